//! Policy text → [`ast::Policy`] plus every diagnostic, never panicking.
//!
//! The JSON layer ([`crate::json`]) keeps spans and recovers from syntax errors; this
//! module maps JSON onto the grammar of the IAM User Guide ("Grammar of the IAM JSON
//! policy language", "IAM JSON policy element reference") and reports each departure
//! at its place. It never "fixes" a policy silently: anything it cannot read faithfully
//! is an error, and a policy with errors is never evaluated. The mapping itself is in
//! `builder`; this module runs the steps and caps what they report.

use crate::ast;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, LineIndex, Severity, Span};
use crate::json::parse_json_counted;
use crate::kind::PolicyKind;
use crate::validate::{self, kind_diagnostics, PolicyShape};
use builder::Builder;
use serde::Serialize;

/// A parsed policy: the tree (when the text is a JSON object), every diagnostic, and the
/// line index that resolves spans.
#[derive(Clone, Debug, Serialize)]
pub struct ParsedPolicy {
    /// The syntax tree; `None` only when the text holds no JSON object at all.
    pub policy: Option<ast::Policy>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Resolves spans of this text.
    #[serde(skip)]
    pub line_index: LineIndex,
    /// Statement shapes, to check per policy type cheaply.
    #[serde(skip)]
    shape: PolicyShape,
    /// What [`MAX_DIAGNOSTICS_PER_POLICY`] left out of `diagnostics` (whose last entry then
    /// says so).
    #[serde(skip)]
    hidden: Option<Hidden>,
}

impl ParsedPolicy {
    /// True when any diagnostic is an error (such a policy is rejected by AWS and never
    /// evaluated here).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// True when the policy parses without errors and AWS accepts it as a `kind`
    /// policy (e.g. no `Principal` in identity-based policies).
    pub fn is_valid_for(&self, kind: PolicyKind) -> bool {
        self.policy.is_some() && !self.has_errors() && self.shape.valid_for(kind)
    }

    /// Every diagnostic for this policy used as a `kind` policy: the parser's and the
    /// type-specific ones, in source order.
    ///
    /// Capped like `diagnostics`: at most [`MAX_DIAGNOSTICS_PER_POLICY`], then one
    /// `policy-too-many-diagnostics` that counts everything left out.
    pub fn diagnostics_for(&self, kind: PolicyKind) -> Vec<Diagnostic> {
        let shown = match self.hidden {
            Some(_) => self.diagnostics.split_last().map_or(&[][..], |(_, s)| s),
            None => self.diagnostics.as_slice(),
        };
        let mut all = shown.to_vec();
        if let Some(p) = &self.policy {
            all.extend(kind_diagnostics(p, &self.line_index, kind));
        }
        crate::order::sort_by_key(&mut all, |d| (d.span.start, d.span.end));
        let rest = all.split_off(all.len().min(MAX_DIAGNOSTICS_PER_POLICY));
        let cut = Hidden::of(rest.iter().map(|d| (d.span, d.severity)));
        let hidden = match (self.hidden, cut) {
            (Some(a), Some(b)) => Some(a.merge(b)),
            (a, b) => a.or(b),
        };
        if let Some(h) = hidden {
            all.push(h.diagnostic(&self.line_index));
        }
        all
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// At most this many diagnostics are reported per policy, the first ones in source order;
/// the rest are summed up by one last `policy-too-many-diagnostics` diagnostic. A pasted
/// megabyte of garbage would otherwise yield a diagnostic per character, more than any
/// editor can show or any reader can use.
pub const MAX_DIAGNOSTICS_PER_POLICY: usize = 200;

/// Parses and validates policy text. Never panics.
///
/// Reports at most [`MAX_DIAGNOSTICS_PER_POLICY`] diagnostics plus one saying how many
/// more there are; positions are resolved (through the line index) only for those.
pub fn parse_policy(text: &str) -> ParsedPolicy {
    let line_index = LineIndex::new(text);
    let (json, json_errors, dropped) = parse_json_counted(text);
    let mut b = Builder::new(text, &line_index);
    for e in json_errors {
        let severity = if e.is_error {
            Severity::Error
        } else {
            Severity::Warning
        };
        b.push(severity, e.code, e.span, e.message, e.help);
    }
    // the builder moves strings out of the tree (which is dropped afterwards)
    let policy = json.and_then(|mut v| b.document(&mut v));
    let mut validated = Vec::new();
    if let Some(p) = &policy {
        validate::validate(p, &line_index, &mut validated);
    }
    let mut found = b.found();
    found.extend(validated.into_iter().map(Found::Resolved));
    let (diagnostics, hidden) = first_diagnostics(found, dropped, &line_index);
    let shape = policy.as_ref().map(PolicyShape::of).unwrap_or_default();
    ParsedPolicy {
        policy,
        diagnostics,
        line_index,
        shape,
        hidden,
    }
}

/// A diagnostic as found: the parser's own keep their positions unresolved until the cap
/// has chosen which ones are reported.
pub(crate) enum Found {
    /// Found by the JSON reader or the grammar mapping.
    Unresolved {
        severity: Severity,
        code: String,
        span: Span,
        message: String,
        help: String,
    },
    /// Found by the validator, positions already resolved.
    Resolved(Diagnostic),
}

impl Found {
    fn span(&self) -> Span {
        match self {
            Found::Unresolved { span, .. } => *span,
            Found::Resolved(d) => d.span,
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Found::Unresolved { severity, .. } => *severity,
            Found::Resolved(d) => d.severity,
        }
    }

    fn resolve(self, index: &LineIndex) -> Diagnostic {
        match self {
            Found::Unresolved {
                severity,
                code,
                span,
                message,
                help,
            } => Diagnostic::new(index, severity, code, span, message, help),
            Found::Resolved(d) => d,
        }
    }
}

/// What the cap left out: how many diagnostics, how many of them errors, the worst
/// severity among them and where the first of them starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hidden {
    count: usize,
    errors: usize,
    worst: Severity,
    first: usize,
}

impl Hidden {
    /// Sums up `left_out` (`None` when it is empty).
    fn of<'a>(left_out: impl Iterator<Item = (Span, Severity)> + 'a) -> Option<Hidden> {
        left_out.fold(None, |acc, (span, severity)| {
            let one = Hidden {
                count: 1,
                errors: usize::from(severity == Severity::Error),
                worst: severity,
                first: span.start,
            };
            Some(acc.map_or(one, |h: Hidden| h.merge(one)))
        })
    }

    fn merge(self, other: Hidden) -> Hidden {
        Hidden {
            count: self.count + other.count,
            errors: self.errors + other.errors,
            // `Severity` orders from the most serious (`Error`) down
            worst: self.worst.min(other.worst),
            first: self.first.min(other.first),
        }
    }

    /// The `policy-too-many-diagnostics` diagnostic, at the first one left out and as
    /// severe as the worst one, so that `has_errors` stays true when errors were cut.
    fn diagnostic(self, index: &LineIndex) -> Diagnostic {
        let plural = if self.count == 1 { "" } else { "s" };
        let of_which = if self.errors == 0 || self.errors == self.count {
            String::new()
        } else {
            format!(", {} of them errors", self.errors)
        };
        Diagnostic::new(
            index,
            self.worst,
            Code::PolicyTooManyDiagnostics,
            Span::new(self.first, self.first),
            format!("{} more diagnostic{plural} not shown{of_which}", self.count),
            format!(
                "only the first {MAX_DIAGNOSTICS_PER_POLICY} are listed, in source order; the others start here (fix the first ones and the rest show up)"
            ),
        )
    }
}

/// Sorts `found` into source order and keeps the first [`MAX_DIAGNOSTICS_PER_POLICY`],
/// each resolved once against `index`; sums up the rest. O(n log n) in the number found.
fn first_diagnostics(
    mut found: Vec<Found>,
    dropped: crate::json::Dropped,
    index: &LineIndex,
) -> (Vec<Diagnostic>, Option<Hidden>) {
    // stable: equal spans keep the order they were found in
    crate::order::sort_by_key(&mut found, |f| {
        let span = f.span();
        (span.start, span.end)
    });
    let rest = found.split_off(found.len().min(MAX_DIAGNOSTICS_PER_POLICY));
    let mut hidden = Hidden::of(rest.iter().map(|f| (f.span(), f.severity())));
    // the JSON reader counted what it did not keep
    if let Some(first) = dropped.first {
        let more = Hidden {
            count: dropped.count,
            errors: dropped.errors,
            worst: if dropped.errors > 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            first,
        };
        hidden = Some(hidden.map_or(more, |h| h.merge(more)));
    }
    let mut out: Vec<Diagnostic> = found.into_iter().map(|f| f.resolve(index)).collect();
    if let Some(h) = hidden {
        out.push(h.diagnostic(index));
    }
    (out, hidden)
}

pub(crate) mod builder;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Effect;

    fn codes(text: &str) -> Vec<String> {
        parse_policy(text)
            .diagnostics
            .iter()
            .map(|d| d.code.clone())
            .collect()
    }

    // IAM User Guide: "Grammar of the IAM JSON policy language"
    #[test]
    fn parses_a_policy() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/${aws:username}/*"],"Condition":{"StringEquals":{"aws:SourceIdentity":["a","b"]}}}}"#,
        );
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let policy = p.policy.unwrap();
        assert_eq!(policy.statements.len(), 1);
        let s = &policy.statements[0];
        assert_eq!(s.effect.as_ref().unwrap().value, Effect::Allow);
        assert!(s.resource.as_ref().unwrap().items[0]
            .value
            .template
            .has_variables());
        assert_eq!(s.conditions[0].values.len(), 2);
    }

    #[test]
    fn grammar_errors_are_all_reported() {
        let c = codes(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"a:b","NotAction":"c:d","Foo":1,"Condition":{"aws:SourceAccount":"","NullIfExists":{"k":"true"}}},{"Action":"a:b"}]}"#,
        );
        for code in [
            "policy-invalid-effect",
            "policy-action-and-not-action",
            "policy-unknown-element",
            "policy-unknown-condition-operator",
            "policy-null-if-exists",
            "policy-missing-effect",
        ] {
            assert!(c.iter().any(|x| x == code), "{code} missing from {c:?}");
        }
    }

    #[test]
    fn nested_statement_array_points_at_the_inner_bracket() {
        let text = r#"{"Version": "2012-10-17", "Statement": [ [ {"Effect":"Allow","Action":"*","Resource":"*"} ] ]}"#;
        let p = parse_policy(text);
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == "policy-nested-statement-array")
            .unwrap();
        assert_eq!(&text[d.span.start..d.span.end], "[");
        assert_eq!(d.span.start, text.find("[ {").unwrap());
    }

    #[test]
    fn bare_statement_is_named() {
        let c = codes(
            r#"{"Sid":"AddTagsOnCreate","Effect":"Allow","Action":["sagemaker:AddTags"],"Resource":"*"}"#,
        );
        assert_eq!(c, vec!["policy-bare-statement"]);
    }

    #[test]
    fn missing_operator_help_names_the_key() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"x.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"aws:SourceAccount":""}}]}"#,
        );
        let d = &p.diagnostics[0];
        assert_eq!(d.code, "policy-unknown-condition-operator");
        assert!(d.help.contains("operator is missing"), "{}", d.help);
        assert!(d.help.contains("StringEquals"));
    }

    #[test]
    fn variable_errors_point_into_escaped_strings() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::\\\u00e9/${x"}]}"#;
        let p = parse_policy(text);
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == "policy-unclosed-variable")
            .unwrap();
        assert!(text.is_char_boundary(d.span.start));
        assert_eq!(&text[d.span.start..d.span.start + 2], "${");
    }

    #[test]
    fn a_flood_of_errors_is_capped_with_a_count_of_the_rest() {
        // issue 11: 900 K `@` gave 900,000 diagnostics
        let text = "@".repeat(900_000);
        let p = parse_policy(&text);
        assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS_PER_POLICY + 1);
        assert!(p.has_errors());
        let (last, shown) = p.diagnostics.split_last().unwrap();
        assert!(shown
            .iter()
            .all(|d| d.code != "policy-too-many-diagnostics"));
        assert!(shown.windows(2).all(|w| w[0].span.start <= w[1].span.start));
        assert_eq!(last.code, "policy-too-many-diagnostics");
        assert_eq!(last.severity, Severity::Error);
        let hidden = p.hidden.unwrap();
        // the JSON reader keeps MAX_JSON_ERRORS and counts the rest: the total is exact
        let (_, kept, dropped) = crate::json::parse_json_counted(&text);
        assert!(kept.len() <= 2 * crate::json::MAX_JSON_ERRORS);
        assert_eq!(
            hidden.count + MAX_DIAGNOSTICS_PER_POLICY,
            kept.len() + dropped.count
        );
        assert!(dropped.count > 890_000 && dropped.errors == dropped.count);
        assert!(
            last.message
                .starts_with(&format!("{} more diagnostics not shown", hidden.count)),
            "{}",
            last.message
        );
        // it points at the first one left out, resolved through the line index
        let first_cut = shown.last().unwrap().span.end;
        assert_eq!(last.span.start, first_cut);
        assert_eq!((last.start.line, last.start.column), (1, first_cut + 1));
        // the type-specific view keeps the cap and the count
        let for_kind = p.diagnostics_for(PolicyKind::Identity);
        assert_eq!(for_kind.len(), MAX_DIAGNOSTICS_PER_POLICY + 1);
        assert_eq!(for_kind.last(), p.diagnostics.last());
    }

    #[test]
    fn the_summary_is_as_severe_as_the_worst_left_out() {
        let statement = |i: usize| {
            format!(r#"{{"Sid":"s-{i}","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#)
        };
        let policy = |n: usize, last: &str| {
            let mut items: Vec<String> = (0..n).map(statement).collect();
            items.push(last.to_owned());
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
                items.join(",")
            )
        };
        // warnings only (`Sid` characters): the summary is a warning
        let p = parse_policy(&policy(MAX_DIAGNOSTICS_PER_POLICY + 10, &statement(9999)));
        assert!(!p.has_errors());
        let last = p.diagnostics.last().unwrap();
        assert_eq!(last.code, "policy-too-many-diagnostics");
        assert_eq!(last.severity, Severity::Warning);
        assert!(
            last.message.starts_with("11 more diagnostics"),
            "{}",
            last.message
        );
        // one error among the cut ones: the summary is an error, so the policy stays invalid
        let p = parse_policy(&policy(
            MAX_DIAGNOSTICS_PER_POLICY + 10,
            r#"{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}"#,
        ));
        assert!(p.has_errors());
        let last = p.diagnostics.last().unwrap();
        assert_eq!(last.severity, Severity::Error);
        assert!(
            last.message.contains("1 of them errors"),
            "{}",
            last.message
        );
        // at the cap exactly, nothing is summed up
        let p = parse_policy(&policy(MAX_DIAGNOSTICS_PER_POLICY - 1, &statement(9999)));
        assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS_PER_POLICY);
        assert!(p.hidden.is_none());
    }

    #[test]
    fn type_specific_diagnostics_are_capped_too() {
        let items = vec![r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#; 300];
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            items.join(",")
        );
        let p = parse_policy(&text);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let d = p.diagnostics_for(PolicyKind::Resource);
        assert_eq!(d.len(), MAX_DIAGNOSTICS_PER_POLICY + 1);
        let last = d.last().unwrap();
        assert_eq!(last.code, "policy-too-many-diagnostics");
        assert!(
            last.message.starts_with("100 more diagnostics"),
            "{}",
            last.message
        );
    }

    #[test]
    fn never_panics_on_fragments() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"arn:aws:s3:::b/${x","Condition":{"StringLike":{"k":["v",1,true,null,[1]]}}}]}"#;
        for end in 0..text.len() {
            let _ = parse_policy(&text[..end]);
        }
    }
}
