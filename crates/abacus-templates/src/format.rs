//! "Format document": a policy pretty-printed with two-space indentation, one member or
//! element per line. Only whitespace changes: every key, string and number is copied from
//! the source as written (escapes included), in the same order, duplicates kept, so the
//! document means exactly what it meant. Text with JSON errors is left alone (the parser's
//! recovery guessed at it; formatting would make the guess look like the user's).

use abacus_policy::json::{parse_json, JsonKind, JsonValue};

/// Why a text cannot be formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The text has JSON errors: their count.
    Invalid(usize),
    /// The text holds no JSON value.
    Empty,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Invalid(n) => write!(
                f,
                "the text has {n} JSON error{}: fix {} first, then format",
                if *n == 1 { "" } else { "s" },
                if *n == 1 { "it" } else { "them" }
            ),
            FormatError::Empty => f.write_str("there is nothing to format"),
        }
    }
}

/// `text` pretty-printed, or why not.
pub fn format_policy(text: &str) -> Result<String, FormatError> {
    let (value, errors) = parse_json(text);
    let errors = errors.iter().filter(|e| e.is_error).count();
    if errors > 0 {
        return Err(FormatError::Invalid(errors));
    }
    let value = value.ok_or(FormatError::Empty)?;
    let mut out = String::with_capacity(text.len());
    write_value(text, &value, 0, &mut out);
    out.push('\n');
    Ok(out)
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn source(text: &str, span: abacus_policy::Span) -> &str {
    text.get(span.start..span.end).unwrap_or("")
}

fn write_value(text: &str, value: &JsonValue, depth: usize, out: &mut String) {
    match &value.kind {
        JsonKind::Object(members) if members.is_empty() => out.push_str("{}"),
        JsonKind::Array(items) if items.is_empty() => out.push_str("[]"),
        JsonKind::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                out.push_str(source(text, m.key_span));
                out.push_str(": ");
                write_value(text, &m.value, depth + 1, out);
            }
            indent(out, depth);
            out.push('}');
        }
        JsonKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write_value(text, item, depth + 1, out);
            }
            indent(out, depth);
            out.push(']');
        }
        // scalars exactly as written (and `Invalid` cannot occur without an error)
        _ => out.push_str(source(text, value.span)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value without its spans, to compare meanings.
    fn meaning(v: &JsonValue) -> String {
        match &v.kind {
            JsonKind::Object(ms) => format!(
                "{{{}}}",
                ms.iter()
                    .map(|m| format!("{:?}:{}", m.key, meaning(&m.value)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            JsonKind::Array(items) => format!(
                "[{}]",
                items.iter().map(meaning).collect::<Vec<_>>().join(",")
            ),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn formatting_changes_only_whitespace() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A\u0042\"q","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":1e2}},"Condition":{}}],"Id":[]}"#;
        let out = format_policy(text).unwrap();
        assert!(out.starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"A\\u0042\\\"q\","), "{out}");
        assert!(
            out.contains("\"s3:max-keys\": 1e2"),
            "numbers as written: {out}"
        );
        assert!(out.contains("\"Condition\": {}"), "duplicates kept: {out}");
        assert!(out.ends_with("\"Id\": []\n}\n"), "{out}");
        let (a, b) = (parse_json(text).0.unwrap(), parse_json(&out).0.unwrap());
        assert_eq!(meaning(&a), meaning(&b));
        assert_eq!(
            format_policy(&out).unwrap(),
            out,
            "formatting is idempotent"
        );
    }

    #[test]
    fn broken_json_is_left_alone_with_why() {
        let e = format_policy(r#"{"a": 1,}"#).unwrap_err();
        assert_eq!(e, FormatError::Invalid(1));
        assert!(e.to_string().contains("fix it first"));
        // an empty text is a JSON error too (`json-empty`)
        assert_eq!(format_policy("  ").unwrap_err(), FormatError::Invalid(1));
    }
}
