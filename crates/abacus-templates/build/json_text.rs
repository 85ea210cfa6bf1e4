//! Text-level JSON helpers for build.rs: whitespace stripping that keeps every string
//! byte-for-byte (escapes included), and locating a member's value in minified text.
//! Inputs are already validated by serde_json, so the scanners only track strings and depth.

use std::ops::Range;

/// `text` without the whitespace between tokens; strings are copied unchanged.
pub fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// Byte range of the value of member `key` of the object nested `depth` containers deep
/// (1 = the top-level object) in minified JSON `text`.
pub fn member_value(text: &str, key: &str, depth: usize) -> Option<Range<usize>> {
    let needle = format!("\"{key}\":");
    let bytes = text.as_bytes();
    let mut level = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            // A key starts right after `{` or `,` inside an object.
            let after_open = matches!(
                i.checked_sub(1).and_then(|j| bytes.get(j)),
                Some(b'{' | b',')
            );
            if level == depth && after_open && text.get(i..)?.starts_with(&needle) {
                let start = i + needle.len();
                return Some(start..value_end(bytes, start)?);
            }
            in_string = true;
        } else if b == b'{' || b == b'[' {
            level += 1;
        } else if b == b'}' || b == b']' {
            level = level.saturating_sub(1);
        }
        i += 1;
    }
    None
}

/// End (exclusive) of the minified JSON value starting at `start`.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut level = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if level == 0 {
                    return Some(i + 1);
                }
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'{' || b == b'[' {
            level += 1;
        } else if b == b'}' || b == b']' {
            match level {
                0 => return Some(i),
                1 => return Some(i + 1),
                _ => level -= 1,
            }
        } else if level == 0 && b == b',' {
            return Some(i);
        }
        i += 1;
    }
    (level == 0).then_some(i)
}

// Compiled into the library's unit tests by src/lib.rs.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minify_drops_whitespace_between_tokens_only() {
        let text = "{\n  \"a b\": [ 1, \"x \\\" y\\n\" ],\r\n\t\"c\" : {}\n}\n";
        assert_eq!(minify(text), "{\"a b\":[1,\"x \\\" y\\n\"],\"c\":{}}");
    }

    #[test]
    fn minify_keeps_escapes_byte_for_byte() {
        let text = "[\"\\u0041\\/ \\\\\", \"é \\t\"]";
        assert_eq!(minify(text), "[\"\\u0041\\/ \\\\\",\"é \\t\"]");
    }

    #[test]
    fn member_values_are_found_at_their_depth_only() {
        let text = r#"{"s":{"world":{"a":[1,{"world":2}]},"n":"world"},"world":"x,}","p":1}"#;
        let at = |key, depth| member_value(text, key, depth).and_then(|r| text.get(r));
        assert_eq!(at("world", 1), Some(r#""x,}""#));
        assert_eq!(at("world", 2), Some(r#"{"a":[1,{"world":2}]}"#));
        assert_eq!(at("p", 1), Some("1"));
        assert_eq!(at("n", 2), Some(r#""world""#));
        assert_eq!(at("q", 1), None);
    }
}
