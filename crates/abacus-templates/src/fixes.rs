//! Quick fixes: the mechanical edit that resolves a finding, where there is one. Each fix is
//! one replacement of a byte range, applied by the editor as one undoable edit.
//!
//! Fixed: a trailing comma (removed), a smart quote used as a string delimiter (made
//! straight), an unknown action or service with a near real name (replaced by it),
//! `aws:ResourceTag/…` on actions that create their resource (IAM User Guide, "Controlling
//! access to AWS resources using tags": at creation the request's tags are tested with
//! `aws:RequestTag/…`), a missing `Version` (added as `2012-10-17`), and a bare statement
//! (wrapped in a policy document).

use crate::lint::codes as lint;
use abacus_policy::codes::Code;
use abacus_policy::Diagnostic;

/// The edit that resolves a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What it does, e.g. "Remove the trailing comma".
    pub title: String,
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// The new text.
    pub replacement: String,
}

impl Fix {
    /// `text` with the fix applied (`None` when its range is not in `text`).
    pub fn apply(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len() + self.replacement.len());
        out.push_str(text.get(..self.start)?);
        out.push_str(&self.replacement);
        out.push_str(text.get(self.end..)?);
        Some(out)
    }
}

/// The quick fix of `finding` in `text`, if it has a mechanical one.
pub fn fix(text: &str, finding: &Diagnostic) -> Option<Fix> {
    let (start, end) = (finding.span.start, finding.span.end);
    let spanned = text.get(start..end)?;
    let edit = |title: &str, start: usize, end: usize, replacement: String| Fix {
        title: title.to_owned(),
        start,
        end,
        replacement,
    };
    match Code::parse(&finding.code) {
        Some(Code::JsonTrailingComma) => {
            let comma = spanned.find(',')?;
            Some(edit(
                "Remove the trailing comma",
                start + comma,
                start + comma + 1,
                String::new(),
            ))
        }
        Some(Code::JsonSmartQuote) if is_smart_quote(spanned) => {
            Some(edit("Use a straight quote", start, end, "\"".to_owned()))
        }
        Some(Code::PolicyMissingVersion) => {
            let brace = text.find('{')?;
            let indent = if text.get(brace + 1..)?.starts_with('\n') {
                "\n  "
            } else {
                " "
            };
            Some(edit(
                "Add \"Version\": \"2012-10-17\"",
                brace + 1,
                brace + 1,
                format!("{indent}\"Version\": \"2012-10-17\","),
            ))
        }
        Some(Code::PolicyBareStatement) => {
            let (from, to) = (text.find('{')?, text.rfind('}')? + 1);
            let statement = text.get(from..to)?;
            Some(edit(
                "Wrap the statement in a policy document",
                from,
                to,
                format!(
                    "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}",
                    statement.replace('\n', "\n    ")
                ),
            ))
        }
        _ => match finding.code.as_str() {
            lint::UNKNOWN_ACTION => {
                let suggestion = first_suggestion(&finding.message)
                    .or_else(|| first_suggestion(&finding.help))?;
                let (from, to) = string_content(text, start, end);
                Some(edit(
                    &format!("Replace with `{suggestion}`"),
                    from,
                    to,
                    suggestion.to_owned(),
                ))
            }
            lint::KEY_NOT_APPLICABLE if finding.help.contains("aws:RequestTag/") => {
                let (from, to) = string_content(text, start, end);
                let key = text.get(from..to)?;
                let (_, tag) = key.split_once('/')?;
                if !key.to_ascii_lowercase().contains("resourcetag/") {
                    return None;
                }
                let new = format!("aws:RequestTag/{tag}");
                Some(edit(&format!("Use `{new}`"), from, to, new))
            }
            _ => None,
        },
    }
}

fn is_smart_quote(text: &str) -> bool {
    matches!(text, "\u{201C}" | "\u{201D}")
}

/// The content range of the string at `start..end` (its quotes left out when the span has
/// them).
fn string_content(text: &str, start: usize, end: usize) -> (usize, usize) {
    let quoted = text
        .get(start..end)
        .is_some_and(|s| s.len() >= 2 && s.starts_with('"') && s.ends_with('"'));
    if quoted {
        (start + 1, end - 1)
    } else {
        (start, end)
    }
}

/// The first name in "did you mean `a` or `b`?".
fn first_suggestion(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once("did you mean `")?;
    rest.split_once('`').map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_policy::parse_policy;

    /// The fix of the first finding with `code` in `text`, applied, and the findings of the
    /// result with that code.
    fn fixed(text: &str, code: &str) -> (String, Vec<Diagnostic>) {
        let parsed = parse_policy(text);
        let d = parsed
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {:?}", parsed.diagnostics));
        let f = fix(text, d).expect("a fix");
        let out = f.apply(text).unwrap();
        let after = parse_policy(&out)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == code)
            .collect();
        (out, after)
    }

    #[test]
    fn a_trailing_comma_is_removed() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]}"#;
        let (out, after) = fixed(text, "json-trailing-comma");
        assert_eq!(out, text.replace(r#""*",}"#, r#""*"}"#));
        assert!(after.is_empty());
        assert!(!parse_policy(&out).has_errors());
    }

    #[test]
    fn a_smart_quote_delimiter_is_made_straight() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \u{201C}Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
        let (out, after) = fixed(text, "json-smart-quote");
        assert!(after.is_empty(), "{after:?}");
        assert!(!parse_policy(&out).has_errors(), "{out}");
    }

    #[test]
    fn a_missing_version_and_a_bare_statement() {
        let text = "{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}";
        let (out, after) = fixed(text, "policy-missing-version");
        assert!(after.is_empty());
        assert!(
            out.starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\""),
            "{out}"
        );
        let bare = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#;
        let (out, after) = fixed(bare, "policy-bare-statement");
        assert!(after.is_empty());
        assert!(!parse_policy(&out).has_errors(), "{out}");
    }

    #[test]
    fn the_linter_findings_are_fixed_in_place() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sagemaker:CreateTrainingJob", "sagemaker:StopTrainingJobs"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]}"#;
        let mut text = text.to_owned();
        for code in [lint::KEY_NOT_APPLICABLE, lint::UNKNOWN_ACTION] {
            let found = crate::lint::lint_policy(&text);
            let d = found.iter().find(|d| d.code == code).unwrap();
            let f = fix(&text, d).unwrap_or_else(|| panic!("no fix for {d:?}"));
            text = f.apply(&text).unwrap();
            assert!(
                !crate::lint::lint_policy(&text)
                    .iter()
                    .any(|d| d.code == code),
                "{code} still in {text}"
            );
        }
        assert!(text.contains(r#""aws:RequestTag/team""#), "{text}");
        assert!(text.contains(r#""sagemaker:StopTrainingJob""#), "{text}");
    }

    #[test]
    fn lint_findings_with_a_mechanical_fix() {
        // "Controlling access to AWS resources using tags": create actions test
        // aws:RequestTag, not aws:ResourceTag
        let text = r#"{"a": 1, "aws:ResourceTag/team": "x"}"#;
        let at = text.find("\"aws:").unwrap();
        let d = Diagnostic {
            code: lint::KEY_NOT_APPLICABLE.to_owned(),
            severity: abacus_policy::Severity::Warning,
            message: "no request of sagemaker:CreateDomain carries `aws:ResourceTag/team`".into(),
            help: "at creation the resource has no tags yet: test the tags in the request with `aws:RequestTag/team` instead".into(),
            span: abacus_policy::Span::new(at, at + "\"aws:ResourceTag/team\"".len()),
            start: Default::default(),
            end: Default::default(),
        };
        let f = fix(text, &d).unwrap();
        assert_eq!(
            f.apply(text).unwrap(),
            r#"{"a": 1, "aws:RequestTag/team": "x"}"#
        );
        let text = r#"{"Action": "sagemaker:StopTrainingJobs"}"#;
        let at = text.find("\"sagemaker").unwrap();
        let typo = Diagnostic {
            code: lint::UNKNOWN_ACTION.to_owned(),
            message: "`sagemaker:StopTrainingJobs` is not an action of `sagemaker`; did you mean `sagemaker:StopTrainingJob`?".into(),
            span: abacus_policy::Span::new(at, text.len() - 1),
            ..d
        };
        let f = fix(text, &typo).unwrap();
        assert_eq!(
            f.apply(text).unwrap(),
            r#"{"Action": "sagemaker:StopTrainingJob"}"#
        );
        assert_eq!(f.title, "Replace with `sagemaker:StopTrainingJob`");
    }
}
