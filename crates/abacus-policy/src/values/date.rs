//! The one date parser, shared by the validator and the date condition operators (IAM
//! User Guide: "IAM JSON policy elements: Condition operators", date condition
//! operators: ISO 8601 dates and date-times, or epoch seconds).
//!
//! Accepted: `YYYY-MM-DD`, optionally followed by `T` and `hh[:mm[:ss[.fraction]]]`
//! and a zone (`Z`, `±hh:mm`, `±hhmm`; UTC without one), or an integer of epoch
//! seconds. Every field has a fixed number of digits and is checked against its range,
//! so `T-1:00:00Z` and `T00:-30:00Z` are refused, and every value lies between
//! [`EARLIEST_EPOCH_SECONDS`] and [`LATEST_EPOCH_SECONDS`]: the arithmetic is checked
//! and cannot overflow, whatever the input.

/// Epoch seconds of `0000-01-01T00:00:00Z`, the earliest four-digit-year date.
pub const EARLIEST_EPOCH_SECONDS: i64 = -62_167_219_200;

/// Epoch seconds of `9999-12-31T23:59:59Z`, the latest four-digit-year date.
pub const LATEST_EPOCH_SECONDS: i64 = 253_402_300_799;

const NANOS: i128 = 1_000_000_000;

/// Parses a date value into nanoseconds since the Unix epoch; `None` when it is not a
/// date of the accepted forms (see the module docs) or is out of range.
pub fn parse_date(s: &str) -> Option<i128> {
    let s = s.trim();
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = s.parse().ok()?;
        if !(EARLIEST_EPOCH_SECONDS..=LATEST_EPOCH_SECONDS).contains(&secs) {
            return None;
        }
        return i128::from(secs).checked_mul(NANOS);
    }
    let (date, time) = match s.find(['T', 't']) {
        Some(i) => (s.get(..i)?, Some(s.get(i + 1..)?)),
        None => (s, None),
    };
    let mut dparts = date.split('-');
    let y = fixed_digits(dparts.next()?, 4)?;
    let m = fixed_digits(dparts.next()?, 2)?;
    let d = fixed_digits(dparts.next()?, 2)?;
    if dparts.next().is_some() || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    let mut secs = days.checked_mul(86_400)?;
    let mut frac: i128 = 0;
    if let Some(time) = time {
        let (clock, offset_secs) = split_zone(time)?;
        let mut parts = clock.split(':');
        let h = fixed_digits(parts.next()?, 2)?;
        let mi = parts.next().map_or(Some(0), |p| fixed_digits(p, 2))?;
        let sec = match parts.next() {
            None => 0,
            Some(sf) => {
                let (sec, fraction) = match sf.split_once('.') {
                    Some((sec, fraction)) => (sec, Some(fraction)),
                    None => (sf, None),
                };
                if let Some(fraction) = fraction {
                    frac = parse_fraction(fraction)?;
                }
                fixed_digits(sec, 2)?
            }
        };
        // 24:00:00 is midnight at the end of the day; a leap second may be 60
        let valid =
            (h < 24 || (h == 24 && mi == 0 && sec == 0 && frac == 0)) && mi <= 59 && sec <= 60;
        if parts.next().is_some() || !valid {
            return None;
        }
        secs = secs
            .checked_add(h * 3600 + mi * 60 + sec)?
            .checked_sub(offset_secs)?;
    }
    i128::from(secs).checked_mul(NANOS)?.checked_add(frac)
}

/// `text` as a number when it is exactly `len` ASCII digits.
fn fixed_digits(text: &str, len: usize) -> Option<i64> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Fractional seconds as nanoseconds (digits past the ninth are dropped).
fn parse_fraction(fraction: &str) -> Option<i128> {
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nanos: i128 = 0;
    let mut scale: i128 = NANOS;
    for b in fraction.bytes().take(9) {
        scale /= 10;
        nanos += i128::from(b - b'0') * scale;
    }
    Some(nanos)
}

/// Splits the zone off a time: `Z`, `+hh:mm`, `-hh:mm`, `+hhmm`, or none (UTC). The
/// offset is in seconds east of UTC.
fn split_zone(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let Some(i) = time.rfind(['+', '-']) else {
        return Some((time, 0));
    };
    let (clock, zone) = time.split_at(i);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let zone = zone.get(1..)?;
    let (hh, mm) = match zone.split_once(':') {
        Some((hh, mm)) => (hh, mm),
        None => (zone.get(..2)?, zone.get(2..)?),
    };
    let (hh, mm) = (fixed_digits(hh, 2)?, fixed_digits(mm, 2)?);
    if hh > 23 || mm > 59 {
        return None;
    }
    Some((clock, sign * (hh * 3600 + mm * 60)))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm);
/// with a four-digit year every step stays far inside `i64`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn iso_and_epoch() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400 * NANOS));
        assert_eq!(parse_date("86400"), Some(86_400 * NANOS));
        assert_eq!(parse_date("-86400"), Some(-86_400 * NANOS));
        assert_eq!(parse_date("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_date("1970-01-01T01:00:00+0100"), Some(0));
        assert_eq!(parse_date("1970-01-01T00:00"), Some(0));
        assert_eq!(parse_date("1970-01-01T00:00:00.5Z"), Some(NANOS / 2));
        assert_eq!(parse_date("2019-02-29"), None);
        assert!(parse_date("2024-02-29T10:00:00.5Z").is_some());
        assert!(parse_date("2024-12-31T24:00:00Z").is_some());
    }

    #[test]
    fn range_limits() {
        assert_eq!(
            parse_date("0000-01-01T00:00:00Z"),
            Some(i128::from(EARLIEST_EPOCH_SECONDS) * NANOS)
        );
        assert_eq!(
            parse_date("9999-12-31T23:59:59Z"),
            Some(i128::from(LATEST_EPOCH_SECONDS) * NANOS)
        );
        assert!(parse_date(&LATEST_EPOCH_SECONDS.to_string()).is_some());
        assert_eq!(parse_date(&(LATEST_EPOCH_SECONDS + 1).to_string()), None);
        assert_eq!(parse_date(&(EARLIEST_EPOCH_SECONDS - 1).to_string()), None);
    }

    // these overflowed (a panic in debug builds, a wrong value in release builds)
    #[test]
    fn huge_values_are_refused_not_wrapped() {
        assert_eq!(parse_date("170141183460469231731687303716"), None);
        assert_eq!(parse_date("-170141183460469231731687303716"), None);
        assert_eq!(parse_date("9223372036854775807"), None);
        assert_eq!(parse_date("9223372036854775807-01-01"), None);
        assert_eq!(parse_date("9223372036854775807-01-01T00:00:00Z"), None);
        assert_eq!(
            parse_date("99999999999999999999999999999999999999999999"),
            None
        );
        assert_eq!(
            parse_date("2025-01-01T00:00:00.99999999999999999999999999Z"),
            Some(parse_date("2025-01-01T00:00:00.999999999Z").unwrap_or(0))
        );
    }

    #[test]
    fn signed_or_short_fields_are_refused() {
        for bad in [
            "2025-01-01T-1:00:00Z",
            "2025-01-01T00:-30:00Z",
            "2025-01-01T00:00:-5Z",
            "2025-+1-01",
            "2025-1-01",
            "25-01-01",
            "2025-01-01T1:00:00Z",
            "2025-01-01T25:00:00Z",
            "2025-01-01T24:30:00Z",
            "2025-01-01T00:60:00Z",
            "2025-01-01T00:00:61Z",
            "2025-01-01T00:00:00+24:00",
            "2025-01-01T00:00:00+-1:00",
            "2025-01-01T00:00:00.Z",
            "2025-99-99T99:99:99Z",
            "-",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "[-+0-9:TZ.]{0,40}") {
            let _ = parse_date(&s);
        }

        #[test]
        fn in_range_results(s in "[-+0-9:TZ.]{0,40}") {
            if let Some(n) = parse_date(&s) {
                let lo = i128::from(EARLIEST_EPOCH_SECONDS - 86_400) * NANOS;
                let hi = i128::from(LATEST_EPOCH_SECONDS + 86_400) * NANOS;
                prop_assert!((lo..=hi).contains(&n));
            }
        }
    }
}
