//! Booleans as `Bool` and `Null` compare them (IAM User Guide: "IAM JSON policy elements:
//! Condition operators", Boolean condition operators): `true` or `false`, any case. The
//! one parser, shared by the validator and the evaluator.

/// `true` or `false` in any ASCII case; `None` for anything else (no trimming).
pub fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_and_false_in_any_case() {
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        for bad in ["", "yes", "1", " true", "true ", "truee"] {
            assert_eq!(parse_bool(bad), None, "{bad:?}");
        }
    }
}
