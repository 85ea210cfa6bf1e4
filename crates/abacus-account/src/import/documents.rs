//! Policy documents inside exports, as text. They come three ways:
//! - decoded, as a JSON object (the AWS CLI decodes IAM's documents): the object's own
//!   source text, with the indentation it had inside the file removed;
//! - URL-encoded, as a string (the raw IAM API: "Policies returned by this operation are
//!   URL-encoded compliant with RFC 3986", AWS CLI Command Reference,
//!   `get-account-authorization-details`): decoded;
//! - as a string holding the JSON (`describe-policy`'s `Content`, `get-bucket-policy`'s
//!   `Policy`, `get-resource-policy`'s `ResourcePolicy`): kept as it is.
//!
//! The text is never reformatted beyond that: the policy is shown, linted and evaluated as
//! AWS holds it.

use super::error::{ImportError, Reporter};
use super::node::{Node, REEXPORT};
use abacus_policy::json::JsonKind;

/// The policy document at `node`, as text.
pub(crate) fn policy_text(
    node: &Node<'_>,
    source: &str,
    report: &Reporter<'_>,
) -> Result<String, Box<ImportError>> {
    match &node.value.kind {
        JsonKind::Object(_) => {
            let span = node.value.span;
            let text = source.get(span.start..span.end).ok_or_else(|| {
                node.error(
                    report,
                    "the document's place in the file is unreadable",
                    REEXPORT,
                )
            })?;
            Ok(abacus_policy::json::dedent_value(text))
        }
        JsonKind::String(s) => {
            let trimmed = s.trim_start();
            if trimmed.starts_with('{') || trimmed.starts_with('[') {
                return Ok(s.clone());
            }
            if !s.contains('%') {
                return Err(node.error(
                    report,
                    "this string is neither a policy document nor a URL-encoded one",
                    REEXPORT,
                ));
            }
            let decoded = percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map_err(|_| {
                    node.error(
                        report,
                        "the URL-encoded policy document does not decode to UTF-8 text",
                        REEXPORT,
                    )
                })?;
            Ok(decoded.into_owned())
        }
        other => Err(node.error(
            report,
            format!("expected a policy document, found {}", other.describe()),
            REEXPORT,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_policy::json::parse_json;

    fn text_of(file: &str, key: &str) -> Result<String, Box<ImportError>> {
        let (root, _) = parse_json(file);
        let root = root.unwrap();
        let report = Reporter::new("f.json", file);
        let node = Node::root(&root).get(key).unwrap();
        policy_text(&node, file, &report)
    }

    #[test]
    fn the_three_forms_read_back() {
        // decoded by the CLI: the object's own text, dedented
        let file = "{\n    \"Doc\": {\n        \"Version\": \"2012-10-17\",\n        \"Statement\": []\n    }\n}";
        assert_eq!(
            text_of(file, "Doc").unwrap(),
            "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": []\n}"
        );
        // the raw API's URL encoding (RFC 3986)
        let file =
            r#"{"Doc": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"}"#;
        assert_eq!(
            text_of(file, "Doc").unwrap(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        // JSON in a string
        let file = r#"{"Doc": "{\"Version\":\"2012-10-17\"}"}"#;
        assert_eq!(text_of(file, "Doc").unwrap(), r#"{"Version":"2012-10-17"}"#);
        // neither
        let e = text_of(r#"{"Doc": 3}"#, "Doc").unwrap_err();
        assert_eq!(e.path, "$.Doc");
        assert_eq!(e.message, "expected a policy document, found a number");
        let e = text_of(r#"{"Doc": "not a policy"}"#, "Doc").unwrap_err();
        assert!(e.message.contains("neither"), "{e}");
    }
}
