//! Condition operators (IAM User Guide: "IAM JSON policy elements: Condition operators",
//! "Conditions with multiple context keys or values", "Multivalued context keys").
//!
//! Rules encoded here, each from those pages:
//! - A key missing from the request makes a condition false, except for negated
//!   operators (`StringNotEquals`, `NotIpAddress`, ...), which are then true, and
//!   `...IfExists` (true) and `Null` (which tests for the key).
//! - Several values of one key under one operator are ORed; under a negated operator
//!   they are NORed (the request value must match none of them).
//! - `ForAllValues:` is true when every request value matches (and for a missing or
//!   empty key); `ForAnyValue:` is true when at least one does (false for a missing or
//!   empty key).
//! - String and ARN operators accept policy variables; a variable that cannot be
//!   resolved makes that policy value match nothing.

use crate::ast::{Condition, ConditionValue, Operator, SetOperator, TypedValue};
use crate::request::{Context, ContextValue};
use crate::values::{base64, cidr, parse_bool, parse_date, Decimal};
use crate::variables::Unresolved;
use crate::wildcard::Pattern;
use serde::Serialize;
use std::borrow::Cow;

/// The most resolved text (in bytes) one condition's explanation keeps (1 MiB). Each
/// value is already capped by [`crate::variables::MAX_RESOLVED_VALUE_BYTES`]; this caps
/// a condition with thousands of such values, whose later values are then shown as
/// written.
pub const MAX_TRACED_RESOLVED_BYTES: usize = 1024 * 1024;

/// How a condition came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ConditionOutcome {
    /// The request's values satisfied the operator.
    Matched,
    /// They did not.
    Failed,
    /// The key is missing from the request, which makes this operator false.
    FailedBecauseMissing,
    /// The key is missing, which makes this operator true (negated operators,
    /// `...IfExists`, `Null: true`, `ForAllValues:`).
    MatchedBecauseMissing,
}

impl ConditionOutcome {
    /// True for the two matching outcomes.
    pub fn is_match(self) -> bool {
        matches!(
            self,
            ConditionOutcome::Matched | ConditionOutcome::MatchedBecauseMissing
        )
    }
}

/// One policy value after variable resolution, for explanations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedValue {
    /// As written in the policy.
    pub written: String,
    /// With variables replaced (`None` when a variable had no value).
    pub resolved: Option<String>,
    /// Why it could not be resolved.
    pub unresolved: Option<Unresolved>,
    /// Whether any request value matched this policy value (before negation).
    pub matched_some_request_value: bool,
}

/// Evaluates `cond` against `ctx`. Allocates only for values with variables.
pub fn evaluate(cond: &Condition, ctx: &Context) -> ConditionOutcome {
    evaluate_inner(cond, ctx, None, &mut Pattern::default())
}

/// [`evaluate`] reusing `scratch` for resolved patterns (no allocation once it has grown).
pub fn evaluate_with(cond: &Condition, ctx: &Context, scratch: &mut Pattern) -> ConditionOutcome {
    evaluate_inner(cond, ctx, None, scratch)
}

/// Evaluates and also reports each policy value with its variables resolved.
pub fn evaluate_traced(cond: &Condition, ctx: &Context) -> (ConditionOutcome, Vec<ResolvedValue>) {
    let mut values = Vec::new();
    let outcome = evaluate_inner(cond, ctx, Some(&mut values), &mut Pattern::default());
    (outcome, values)
}

fn evaluate_inner(
    cond: &Condition,
    ctx: &Context,
    mut trace: Option<&mut Vec<ResolvedValue>>,
    scratch: &mut Pattern,
) -> ConditionOutcome {
    let op = &cond.operator.value;
    let present = ctx.get_key(&cond.key_lower);
    if let Some(t) = trace.as_deref_mut() {
        let mut budget = MAX_TRACED_RESOLVED_BYTES;
        for v in &cond.values {
            let template = &v.value.template;
            let (resolved, unresolved) = if op.base.accepts_variables() {
                match template.resolve_string(ctx) {
                    // past the budget the explanation shows the value as written
                    Ok(s) if template.has_variables() && s.len() > budget => (None, None),
                    Ok(s) => {
                        if template.has_variables() {
                            budget -= s.len();
                        }
                        (Some(s.into_owned()), None)
                    }
                    Err(u) => (None, Some(u)),
                }
            } else {
                (Some(v.value.text.clone()), None)
            };
            t.push(ResolvedValue {
                written: v.value.text.clone(),
                resolved,
                unresolved,
                matched_some_request_value: false,
            });
        }
    }
    if op.base == Operator::Null {
        // `Null: true` means "the key is absent"; `false` means "present". A multivalued key
        // whose values are an empty set counts as absent ("Multivalued context key examples":
        // Null false checks that the key exists and its value is not null).
        let absent = match present {
            None => true,
            Some(ContextValue::Multi(v)) => v.is_empty(),
            Some(ContextValue::Single(_)) => false,
        };
        let hit = cond
            .values
            .iter()
            .any(|v| parse_bool(&v.value.text).is_some_and(|want_absent| want_absent == absent));
        return match (hit, absent) {
            (true, true) => ConditionOutcome::MatchedBecauseMissing,
            (true, false) => ConditionOutcome::Matched,
            (false, true) => ConditionOutcome::FailedBecauseMissing,
            (false, false) => ConditionOutcome::Failed,
        };
    }
    if op.base.is_date()
        && cond
            .values
            .iter()
            .any(|v| matches!(v.value.typed, TypedValue::Date(None)))
    {
        // an invalid date (reported by the validator) matches nothing, even negated
        return ConditionOutcome::Failed;
    }
    let request_values: &[String] = match present {
        None => &[],
        Some(ContextValue::Single(s)) => std::slice::from_ref(s),
        Some(ContextValue::Multi(v)) => v,
    };
    let missing = present.is_none();
    let empty = request_values.is_empty();
    match op.set {
        Some(SetOperator::ForAllValues) if empty => {
            return ConditionOutcome::MatchedBecauseMissing;
        }
        Some(SetOperator::ForAnyValue) if empty => {
            return if missing && op.if_exists {
                ConditionOutcome::MatchedBecauseMissing
            } else {
                ConditionOutcome::FailedBecauseMissing
            };
        }
        None if missing => {
            return if op.if_exists || op.base.is_negated() {
                ConditionOutcome::MatchedBecauseMissing
            } else {
                ConditionOutcome::FailedBecauseMissing
            };
        }
        _ => {}
    }
    let negated = op.base.is_negated();
    // does request value `rv` match policy value number `i` (positive sense)?
    let mut value_hits = vec![
        false;
        if trace.is_some() {
            cond.values.len()
        } else {
            0
        }
    ];
    let mut matches_any_policy_value = |rv: &str| -> bool {
        let mut any = false;
        for (i, pv) in cond.values.iter().enumerate() {
            let hit = match_one(op.base, &pv.value, rv, ctx, scratch);
            if hit {
                any = true;
                if let Some(h) = value_hits.get_mut(i) {
                    *h = true;
                } else {
                    break; // untraced: the first hit decides
                }
            }
        }
        any
    };
    // per request value: does it satisfy the operator (negation applied per value)?
    // Traced runs look at every value so that the explanation is complete.
    let tracing = trace.is_some();
    let mut any_hit = false; // some request value matches some policy value
    let mut any_ok = false; // some request value satisfies the (possibly negated) operator
    let mut all_ok = true; // every request value does
    for rv in request_values {
        let hit = matches_any_policy_value(rv);
        any_hit |= hit;
        let ok = hit != negated;
        any_ok |= ok;
        all_ok &= ok;
        let decided = match op.set {
            None => any_hit,
            Some(SetOperator::ForAnyValue) => any_ok,
            Some(SetOperator::ForAllValues) => !all_ok,
        };
        if decided && !tracing {
            break;
        }
    }
    let result = match op.set {
        // without a set operator, a negated operator is the NOR of every pair
        None if negated => !any_hit,
        None => any_hit,
        Some(SetOperator::ForAnyValue) => any_ok,
        Some(SetOperator::ForAllValues) => all_ok,
    };
    if let Some(t) = trace {
        for (rv, hit) in t.iter_mut().zip(value_hits) {
            rv.matched_some_request_value = hit;
        }
    }
    if result {
        ConditionOutcome::Matched
    } else {
        ConditionOutcome::Failed
    }
}

/// Positive-sense comparison of one request value with one policy value.
fn match_one(
    op: Operator,
    value: &ConditionValue,
    rv: &str,
    ctx: &Context,
    scratch: &mut Pattern,
) -> bool {
    use Operator as O;
    let (template, written) = (&value.template, value.text.as_str());
    match op {
        O::StringEquals | O::StringNotEquals => template.equals(ctx, rv) == Some(true),
        O::StringEqualsIgnoreCase | O::StringNotEqualsIgnoreCase => {
            resolve(template, ctx).is_some_and(|pv| pv.to_lowercase() == rv.to_lowercase())
        }
        O::StringLike | O::StringNotLike => {
            if !template.has_wildcards() {
                return template.equals(ctx, rv) == Some(true);
            }
            pattern(template, ctx, scratch).is_some_and(|p| p.matches(rv))
        }
        O::ArnEquals | O::ArnLike | O::ArnNotEquals | O::ArnNotLike => {
            if !template.has_wildcards() {
                return template.equals(ctx, rv) == Some(true);
            }
            pattern(template, ctx, scratch).is_some_and(|p| p.matches_arn(rv, false))
        }
        O::NumericEquals | O::NumericNotEquals => numeric(value, rv).is_some_and(|(p, r)| r == *p),
        O::NumericLessThan => numeric(value, rv).is_some_and(|(p, r)| r < *p),
        O::NumericLessThanEquals => numeric(value, rv).is_some_and(|(p, r)| r <= *p),
        O::NumericGreaterThan => numeric(value, rv).is_some_and(|(p, r)| r > *p),
        O::NumericGreaterThanEquals => numeric(value, rv).is_some_and(|(p, r)| r >= *p),
        O::DateEquals | O::DateNotEquals => dates(value, rv).is_some_and(|(p, r)| r == p),
        O::DateLessThan => dates(value, rv).is_some_and(|(p, r)| r < p),
        O::DateLessThanEquals => dates(value, rv).is_some_and(|(p, r)| r <= p),
        O::DateGreaterThan => dates(value, rv).is_some_and(|(p, r)| r > p),
        O::DateGreaterThanEquals => dates(value, rv).is_some_and(|(p, r)| r >= p),
        O::Bool => parse_bool(written).is_some_and(|p| parse_bool(rv) == Some(p)),
        O::BinaryEquals => match (base64::decode(written), base64::decode(rv)) {
            (Some(p), Some(r)) => p == r,
            _ => written == rv,
        },
        O::IpAddress | O::NotIpAddress => match (&value.typed, cidr::parse_ip(rv)) {
            (TypedValue::Ip(Some(range)), Some(ip)) => range.contains(ip),
            _ => false,
        },
        O::Null => false,
    }
}

fn resolve<'a>(template: &'a crate::variables::Template, ctx: &'a Context) -> Option<Cow<'a, str>> {
    template.resolve_string(ctx).ok()
}

fn pattern<'a>(
    template: &'a crate::variables::Template,
    ctx: &Context,
    scratch: &'a mut Pattern,
) -> Option<&'a Pattern> {
    if let Some(p) = template.fixed_pattern() {
        return Some(p);
    }
    template
        .resolve_pattern_into(ctx, scratch)
        .then_some(&*scratch)
}

/// The policy value as read when parsed (the operator's type decides the variant, so
/// another variant cannot occur: it would match nothing) and the request value.
fn numeric<'v>(value: &'v ConditionValue, request: &str) -> Option<(&'v Decimal, Decimal)> {
    match &value.typed {
        TypedValue::Number(Some(p)) => Some((p, Decimal::parse(request.trim())?)),
        _ => None,
    }
}

/// Like [`numeric`], for dates.
fn dates(value: &ConditionValue, request: &str) -> Option<(i128, i128)> {
    match value.typed {
        TypedValue::Date(Some(p)) => Some((p, parse_date(request)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::parse::parse_policy;
    use proptest::prelude::*;

    fn cond(op: &str, key: &str, values: &str) -> Condition {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"{op}":{{"{key}":{values}}}}}}}]}}"#
        );
        let p = parse_policy(&text);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        p.policy.unwrap().statements[0].conditions[0].clone()
    }

    /// Like [`cond`], for values the validator rejects.
    fn invalid_cond(op: &str, key: &str, values: &str) -> Condition {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"{op}":{{"{key}":{values}}}}}}}]}}"#
        );
        let p = parse_policy(&text);
        assert!(p.has_errors());
        p.policy.unwrap().statements[0].conditions[0].clone()
    }

    fn ctx(pairs: &[(&str, ContextValue)]) -> Context {
        let mut c = Context::new();
        for (k, v) in pairs {
            c.insert(k, v.clone());
        }
        c
    }

    fn s(v: &str) -> ContextValue {
        ContextValue::Single(v.into())
    }

    fn m(v: &[&str]) -> ContextValue {
        ContextValue::Multi(v.iter().map(|s| s.to_string()).collect())
    }

    use ConditionOutcome::*;

    // IAM User Guide: "IAM JSON policy elements: Condition operators" (missing keys)
    #[test]
    fn missing_keys() {
        let empty = Context::new();
        assert_eq!(
            evaluate(
                &cond("StringEquals", "aws:SourceIdentity", r#""a""#),
                &empty
            ),
            FailedBecauseMissing
        );
        assert_eq!(
            evaluate(
                &cond("StringNotEquals", "aws:SourceIdentity", r#""a""#),
                &empty
            ),
            MatchedBecauseMissing
        );
        assert_eq!(
            evaluate(
                &cond("StringEqualsIfExists", "aws:SourceIdentity", r#""a""#),
                &empty
            ),
            MatchedBecauseMissing
        );
        assert_eq!(
            evaluate(&cond("Null", "aws:SourceIdentity", r#""true""#), &empty),
            MatchedBecauseMissing
        );
        assert_eq!(
            evaluate(&cond("Null", "aws:SourceIdentity", r#""false""#), &empty),
            FailedBecauseMissing
        );
        assert_eq!(
            evaluate(
                &cond("ForAllValues:StringEquals", "aws:TagKeys", r#""a""#),
                &empty
            ),
            MatchedBecauseMissing
        );
        assert_eq!(
            evaluate(
                &cond("ForAnyValue:StringEquals", "aws:TagKeys", r#""a""#),
                &empty
            ),
            FailedBecauseMissing
        );
    }

    // IAM User Guide: "Conditions with multiple context keys or values"
    #[test]
    fn multiple_values_or_and_nor() {
        let c = ctx(&[("aws:SourceIdentity", s("b"))]);
        assert_eq!(
            evaluate(
                &cond("StringEquals", "aws:SourceIdentity", r#"["a","b"]"#),
                &c
            ),
            Matched
        );
        assert_eq!(
            evaluate(
                &cond("StringNotEquals", "aws:SourceIdentity", r#"["a","b"]"#),
                &c
            ),
            Failed
        );
        assert_eq!(
            evaluate(
                &cond("StringNotEquals", "aws:SourceIdentity", r#"["a","c"]"#),
                &c
            ),
            Matched
        );
    }

    // IAM User Guide: "Multivalued context keys" (set operators)
    #[test]
    fn set_operators() {
        let c = ctx(&[("aws:TagKeys", m(&["team", "project"]))]);
        assert_eq!(
            evaluate(
                &cond(
                    "ForAllValues:StringEquals",
                    "aws:TagKeys",
                    r#"["team","project","cost"]"#
                ),
                &c
            ),
            Matched
        );
        assert_eq!(
            evaluate(
                &cond("ForAllValues:StringEquals", "aws:TagKeys", r#"["team"]"#),
                &c
            ),
            Failed
        );
        assert_eq!(
            evaluate(
                &cond("ForAnyValue:StringEquals", "aws:TagKeys", r#"["team"]"#),
                &c
            ),
            Matched
        );
        assert_eq!(
            evaluate(
                &cond("ForAnyValue:StringEquals", "aws:TagKeys", r#"["x"]"#),
                &c
            ),
            Failed
        );
        assert_eq!(
            evaluate(
                &cond("ForAllValues:StringNotEquals", "aws:TagKeys", r#"["x"]"#),
                &c
            ),
            Matched
        );
        let empty = ctx(&[("aws:TagKeys", m(&[]))]);
        assert_eq!(
            evaluate(
                &cond("ForAllValues:StringEquals", "aws:TagKeys", r#"["x"]"#),
                &empty
            ),
            MatchedBecauseMissing
        );
        assert_eq!(
            evaluate(
                &cond("ForAnyValue:StringEquals", "aws:TagKeys", r#"["x"]"#),
                &empty
            ),
            FailedBecauseMissing
        );
    }

    #[test]
    fn string_like_and_variables() {
        let c = ctx(&[
            ("aws:SourceIdentity", s("alice")),
            ("s3:prefix", s("home/alice/notes")),
        ]);
        assert_eq!(
            evaluate(
                &cond(
                    "StringLike",
                    "s3:prefix",
                    r#""home/${aws:SourceIdentity}/*""#
                ),
                &c
            ),
            Matched
        );
        let c2 = ctx(&[("s3:prefix", s("home/alice/notes"))]);
        // the variable has no value: the policy value matches nothing
        assert_eq!(
            evaluate(
                &cond(
                    "StringLike",
                    "s3:prefix",
                    r#""home/${aws:SourceIdentity}/*""#
                ),
                &c2
            ),
            Failed
        );
    }

    #[test]
    fn numeric_date_bool_ip_arn_binary() {
        let c = ctx(&[
            ("n", s("5")),
            ("aws:CurrentTime", s("2024-06-01T12:00:00Z")),
            ("aws:SecureTransport", s("true")),
            ("aws:SourceIp", s("203.0.113.7")),
            ("v6", s("2001:db8::1")),
            (
                "aws:SourceArn",
                s("arn:aws:sagemaker:us-east-1:111122223333:training-job/x"),
            ),
            ("b", s("QUJD")),
        ]);
        assert_eq!(evaluate(&cond("NumericLessThan", "n", "10"), &c), Matched);
        assert_eq!(
            evaluate(&cond("NumericGreaterThanEquals", "n", r#""5.0""#), &c),
            Matched
        );
        assert_eq!(
            evaluate(
                &cond("DateGreaterThan", "aws:CurrentTime", r#""2024-01-01""#),
                &c
            ),
            Matched
        );
        assert_eq!(
            evaluate(&cond("DateLessThan", "aws:CurrentTime", "1700000000"), &c),
            Failed
        );
        assert_eq!(
            evaluate(&cond("Bool", "aws:SecureTransport", "true"), &c),
            Matched
        );
        assert_eq!(
            evaluate(
                &cond("IpAddress", "aws:SourceIp", r#""203.0.113.0/24""#),
                &c
            ),
            Matched
        );
        assert_eq!(
            evaluate(
                &cond("NotIpAddress", "aws:SourceIp", r#""203.0.113.0/24""#),
                &c
            ),
            Failed
        );
        assert_eq!(
            evaluate(&cond("IpAddress", "v6", r#""2001:db8::/32""#), &c),
            Matched
        );
        assert_eq!(
            evaluate(
                &cond(
                    "ArnLike",
                    "aws:SourceArn",
                    r#""arn:aws:sagemaker:*:111122223333:training-job/*""#
                ),
                &c
            ),
            Matched
        );
        assert_eq!(
            evaluate(
                &cond(
                    "ArnNotLike",
                    "aws:SourceArn",
                    r#""arn:aws:sagemaker:*:444455556666:*""#
                ),
                &c
            ),
            Matched
        );
        assert_eq!(
            evaluate(&cond("BinaryEquals", "b", r#""QUJD""#), &c),
            Matched
        );
    }

    #[test]
    fn traced_resolution_is_bounded() {
        // thousands of values that each resolve to a long tag: the explanation keeps at
        // most MAX_TRACED_RESOLVED_BYTES of resolved text, and the outcome is exact
        let values = serde_json::to_string(&vec!["${aws:PrincipalTag/team}"; 2000]).unwrap();
        let tag = "t".repeat(50_000);
        let c = ctx(&[
            ("aws:PrincipalTag/team", s(&tag)),
            ("k", s(&(tag.clone() + "x"))),
        ]);
        let (outcome, trace) = evaluate_traced(&cond("StringEquals", "k", &values), &c);
        assert_eq!(outcome, Failed);
        assert_eq!(trace.len(), 2000);
        let kept: usize = trace
            .iter()
            .filter_map(|v| v.resolved.as_ref())
            .map(String::len)
            .sum();
        assert!(kept <= MAX_TRACED_RESOLVED_BYTES, "{kept}");
        assert!(trace[0].resolved.as_deref() == Some(tag.as_str()));
        let c = ctx(&[("aws:PrincipalTag/team", s(&tag)), ("k", s(&tag))]);
        assert_eq!(
            evaluate_traced(&cond("StringEquals", "k", &values), &c).0,
            Matched
        );
    }

    #[test]
    fn over_limit_values_match_nothing() {
        let values = serde_json::to_string(&"${v}".repeat(300)).unwrap();
        let c = ctx(&[("v", s("a")), ("k", s(&"a".repeat(300)))]);
        let p = parse_policy(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"StringLike":{{"k":{values}}}}}}}]}}"#
        ));
        assert!(p
            .diagnostics
            .iter()
            .any(|d| d.code == "policy-too-many-variables" && d.is_error()));
        let cond = p.policy.unwrap().statements[0].conditions[0].clone();
        let (outcome, trace) = evaluate_traced(&cond, &c);
        assert_eq!(outcome, Failed);
        assert!(trace[0]
            .unresolved
            .as_ref()
            .is_some_and(|u| u.limit.is_some()));
    }

    // IAM User Guide: "IAM JSON policy elements: Condition operators" (date operators):
    // a value that is not a date in range matches nothing, whichever the operator
    #[test]
    fn invalid_dates_never_match() {
        let c = ctx(&[("aws:CurrentTime", s("2025-06-01T00:00:00Z"))]);
        for value in [
            r#""170141183460469231731687303716""#,
            r#""9223372036854775807-01-01T00:00:00Z""#,
            r#""2025-01-01T-1:00:00Z""#,
            r#""2025-01-01T00:-30:00Z""#,
        ] {
            for op in [
                "DateLessThan",
                "DateGreaterThan",
                "DateNotEquals",
                "DateEquals",
            ] {
                assert_eq!(
                    evaluate(&invalid_cond(op, "aws:CurrentTime", value), &c),
                    Failed,
                    "{op} {value}"
                );
            }
        }
        // a valid date still compares
        assert_eq!(
            evaluate(
                &cond(
                    "DateLessThan",
                    "aws:CurrentTime",
                    r#""9999-12-31T23:59:59Z""#
                ),
                &c
            ),
            Matched
        );
    }

    proptest! {
        // IAM User Guide: "Conditions with multiple context keys or values": a negated
        // operator is the NOR of its values, i.e. the negation of the positive operator
        // for a present single-valued key.
        #[test]
        fn negation_duality(v in "[ab*]{0,4}", p in proptest::collection::vec("[ab*]{0,4}", 1..3)) {
            let values = serde_json::to_string(&p).unwrap();
            let c = ctx(&[("k", s(&v))]);
            for (pos, neg) in [("StringEquals", "StringNotEquals"), ("StringLike", "StringNotLike"), ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase")] {
                let a = evaluate(&cond(pos, "k", &values), &c).is_match();
                let b = evaluate(&cond(neg, "k", &values), &c).is_match();
                prop_assert_ne!(a, b);
            }
        }

        // IAM User Guide: "IAM JSON policy elements: Condition" (key names are case-insensitive)
        #[test]
        fn key_case_does_not_matter(key in "[a-zA-Z]{1,6}:[a-zA-Z]{1,6}", upper in proptest::bool::ANY) {
            let spelled = if upper { key.to_uppercase() } else { key.to_lowercase() };
            let c = ctx(&[(spelled.as_str(), s("x"))]);
            prop_assert_eq!(evaluate(&cond("StringEquals", &key, r#""x""#), &c), Matched);
        }
    }
}
