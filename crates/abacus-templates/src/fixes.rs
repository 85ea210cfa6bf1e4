//! Quick fixes: the mechanical edit that resolves a finding, where there is one. Each fix is
//! one replacement of a byte range, applied by the editor as one undoable edit.
//!
//! Fixed: a trailing comma (removed), a smart quote used as a string delimiter (made
//! straight), an unknown action, service or condition key with a near real name (replaced
//! by it),
//! `aws:ResourceTag/…` on actions that create their resource (IAM User Guide, "Controlling
//! access to AWS resources using tags": at creation the request's tags are tested with
//! `aws:RequestTag/…`), a missing `Version` (added as `2012-10-17`), a bare statement
//! (wrapped in a policy document), a documentation placeholder (`<region>`,
//! `{account_number}`: the world's value), and an object action's `Resource` that names only
//! buckets (Amazon S3 User Guide, "Policy resources for Amazon S3": the objects `bucket/*`
//! are added, the buckets kept for bucket actions).

use crate::lint::codes as lint;
use crate::WorldFacts;
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

/// The quick fix of `finding` in `text`, if it has a mechanical one; `world` gives the
/// values of documentation placeholders.
pub fn fix(text: &str, finding: &Diagnostic, world: &WorldFacts) -> Option<Fix> {
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
        Some(Code::PolicyPlaceholder) => {
            let bound =
                crate::placeholders::bind(spanned, world, &crate::Overrides::default()).ok()?;
            (bound != spanned).then(|| {
                edit(
                    "Fill the placeholders with the world's values",
                    start,
                    end,
                    bound,
                )
            })
        }
        Some(Code::DocPlaceholder) => {
            let value = between(&finding.help, "such as `", "`")?;
            Some(edit(
                &format!("Use `{value}` from the world"),
                start,
                end,
                value.to_owned(),
            ))
        }
        _ => match finding.code.as_str() {
            lint::OBJECT_ACTION_ON_BUCKET_ARN => {
                let buckets: Vec<String> = abacus_policy::json::lex(spanned)
                    .iter()
                    .filter(|l| l.kind == abacus_policy::json::LexemeKind::String)
                    .filter_map(|l| spanned.get(l.span.start..l.span.end))
                    .map(str::to_owned)
                    .collect();
                if buckets.is_empty() {
                    return None;
                }
                let objects: Vec<String> = buckets
                    .iter()
                    .map(|b| {
                        let inner = b.strip_suffix('"').unwrap_or(b).trim_end_matches('/');
                        format!("{inner}/*\"")
                    })
                    .collect();
                Some(edit(
                    "Add the buckets' objects (`bucket/*`)",
                    start,
                    end,
                    format!("[{}, {}]", buckets.join(", "), objects.join(", ")),
                ))
            }
            lint::UNKNOWN_ACTION | lint::UNKNOWN_CONDITION_KEY => {
                let suggestion = first_suggestion(&finding.message)
                    .or_else(|| first_suggestion(&finding.help))
                    // a key with a variable part (`…/${TagKey}`) is not one edit away
                    .filter(|s| !s.contains("${"))?;
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

/// The text between the first `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(open)?;
    rest.split_once(close).map(|(inside, _)| inside)
}

/// The first name in "did you mean `a` or `b`?".
fn first_suggestion(text: &str) -> Option<&str> {
    between(text, "did you mean `", "`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_policy::parse_policy;

    fn world() -> WorldFacts {
        WorldFacts::from_world(&abacus_studio::scenario::default_scenario().world)
    }

    #[test]
    fn a_placeholder_in_a_policy_takes_the_world_value() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:CreateDomain", "Resource": "arn:aws:sagemaker:<region>:<account-id>:domain/*"}]}"#;
        let (out, after) = fixed(text, "policy-placeholder");
        assert!(after.is_empty(), "{after:?}");
        assert!(
            out.contains("arn:aws:sagemaker:us-east-1:111122223333:domain/*"),
            "{out}"
        );
    }

    /// The fix of the first finding with `code` in `text`, applied, and the findings of the
    /// result with that code.
    fn fixed(text: &str, code: &str) -> (String, Vec<Diagnostic>) {
        let parsed = parse_policy(text);
        let d = parsed
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {:?}", parsed.diagnostics));
        let f = fix(text, d, &world()).expect("a fix");
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
            let f = fix(&text, d, &world()).unwrap_or_else(|| panic!("no fix for {d:?}"));
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
    fn a_misspelt_condition_key_takes_the_suggestion() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:CreateDomain", "Resource": "*", "Condition": {"StringEquals": {"sagemaker:DomainIdd": "d-1"}}}]}"#;
        let found = crate::lint::lint_policy(text);
        let d = found
            .iter()
            .find(|d| d.code == lint::UNKNOWN_CONDITION_KEY)
            .unwrap_or_else(|| panic!("{found:?}"));
        let out = fix(text, d, &world()).unwrap().apply(text).unwrap();
        assert!(out.contains(r#""sagemaker:DomainId": "d-1""#), "{out}");
    }

    #[test]
    fn object_actions_on_bucket_arns_get_the_objects_and_placeholders_the_world() {
        // Amazon S3 User Guide, "Policy resources for Amazon S3"
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::my-bucket"}]}"#;
        let d = crate::lint::lint_policy(text)
            .into_iter()
            .find(|d| d.code == lint::OBJECT_ACTION_ON_BUCKET_ARN)
            .unwrap();
        let out = fix(text, &d, &world()).unwrap().apply(text).unwrap();
        assert!(
            out.contains(r#""Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"]"#),
            "{out}"
        );
        assert!(!crate::lint::lint_policy(&out)
            .iter()
            .any(|d| d.code == lint::OBJECT_ACTION_ON_BUCKET_ARN));
        let sample = r#"{"Resource": "arn:aws:sagemaker:<region>:111122223333:domain/*"}"#;
        let d = crate::placeholders::diagnostics(sample, &world()).remove(0);
        let f = fix(sample, &d, &world()).unwrap();
        assert_eq!(
            f.apply(sample).unwrap(),
            r#"{"Resource": "arn:aws:sagemaker:us-east-1:111122223333:domain/*"}"#
        );
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
        let f = fix(text, &d, &world()).unwrap();
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
        let f = fix(text, &typo, &world()).unwrap();
        assert_eq!(
            f.apply(text).unwrap(),
            r#"{"Action": "sagemaker:StopTrainingJob"}"#
        );
        assert_eq!(f.title, "Replace with `sagemaker:StopTrainingJob`");
    }
}
