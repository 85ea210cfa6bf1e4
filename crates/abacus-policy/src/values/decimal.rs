//! Numbers as numeric condition operators compare them (IAM User Guide: "IAM JSON policy
//! elements: Condition operators", numeric condition operators): the one parser, shared
//! by the validator and the evaluator.

/// A number as numeric conditions write it, `[+-]digits[.digits][(e|E)[+-]digits]`,
/// compared exactly. No floating point on purpose: `f64` parsing is ~14 KB of the web
/// bundle, and exact decimals never confuse two different long numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal {
    /// -1, 0 or 1.
    sign: i8,
    /// Significant digits without leading or trailing zeros (empty for zero).
    digits: Vec<u8>,
    /// The value is `0.digits × 10^point`.
    point: i64,
}

impl Decimal {
    /// Parses a finite number (what `f64` parsing accepted, minus `inf`/`NaN`); magnitudes
    /// of 1e309 and more are rejected as `f64` rejected infinity.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, text.get(1..)?),
            Some(b'+') => (false, text.get(1..)?),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (rest.get(..at)?, rest.get(at + 1..)?.parse::<i64>().ok()?),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.len() + frac.len() == 0 || !all(int) || !all(frac) {
            return None;
        }
        let joined: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
        let leading = joined.iter().take_while(|&&b| b == b'0').count();
        let digits: Vec<u8> = joined.get(leading..)?.to_vec();
        let trailing = digits.iter().rev().take_while(|&&b| b == b'0').count();
        let digits = digits.get(..digits.len() - trailing)?.to_vec();
        if digits.is_empty() {
            return Some(Decimal {
                sign: 0,
                digits,
                point: 0,
            });
        }
        let point = (int.len() as i64 - leading as i64).checked_add(exponent)?;
        if point > 309 {
            return None;
        }
        Some(Decimal {
            sign: if negative { -1 } else { 1 },
            digits,
            point,
        })
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let magnitude = || {
            self.point
                .cmp(&other.point)
                .then_with(|| self.digits.cmp(&other.digits))
        };
        match self.sign.cmp(&other.sign) {
            std::cmp::Ordering::Equal if self.sign > 0 => magnitude(),
            std::cmp::Ordering::Equal if self.sign < 0 => magnitude().reverse(),
            order => order,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_compare_like_the_numbers_they_write() {
        let numbers = [
            "0",
            "-0",
            "+0.000",
            "1",
            "01",
            "1.0",
            "1.5",
            "-1.5",
            "10",
            "9.99",
            "1e1",
            "1E+1",
            "100e-1",
            ".5",
            "5.",
            "-.5",
            "0.1",
            "0.10",
            "123456789",
            "1e308",
            "-1e308",
            "2e-5",
            "0.00002",
            "7",
        ];
        for a in numbers {
            for b in numbers {
                let (x, y) = (a.parse::<f64>().unwrap(), b.parse::<f64>().unwrap());
                let (p, q) = (Decimal::parse(a).unwrap(), Decimal::parse(b).unwrap());
                assert_eq!(p.cmp(&q), x.partial_cmp(&y).unwrap(), "{a} vs {b}");
            }
        }
        for bad in [
            "", "-", ".", "e5", "1e", "1.2.3", "1,5", "0x10", "inf", "NaN", "1e309", " 1", "1 ",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad:?}");
        }
        // exact: f64 would call these equal
        assert!(Decimal::parse("9007199254740993") > Decimal::parse("9007199254740992"));
    }
}
