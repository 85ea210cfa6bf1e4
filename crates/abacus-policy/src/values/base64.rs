//! Base64 as `BinaryEquals` compares it (IAM User Guide: "IAM JSON policy elements:
//! Condition operators", binary condition operators: the policy value is base64 encoded).
//! The one decoder of policy values.

/// Decodes standard or URL-safe base64, ignoring surrounding whitespace and trailing `=`
/// padding; `None` at any other character. A final group too short for a byte is
/// dropped, so `QUJD` and `QUJDR` both give `ABC`.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            // the low eight bits of the accumulator are the next byte
            out.push(((acc >> bits) & 0xFF) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_url_safe_alphabets() {
        assert_eq!(decode("QUJD").as_deref(), Some(&b"ABC"[..]));
        assert_eq!(decode("QUJDR").as_deref(), Some(&b"ABC"[..]));
        assert_eq!(decode("QUI=").as_deref(), Some(&b"AB"[..]));
        assert_eq!(decode(" QQ== ").as_deref(), Some(&b"A"[..]));
        assert_eq!(decode("-_-_"), decode("+/+/"));
        assert_eq!(decode("").as_deref(), Some(&b""[..]));
    }

    #[test]
    fn foreign_characters_are_refused() {
        for bad in ["QU JD", "QUJD!", "QU=JD", "é"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
