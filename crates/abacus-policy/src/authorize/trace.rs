//! The explanation tree: how a condition's trace reads (the request's values, the policy
//! values as compared, and why the outcome is what it is).

use crate::ast::{Condition, Operator, PrincipalSpec, SetOperator};
use crate::conditions::{ConditionOutcome, ResolvedValue};
use crate::explain::{ConditionTrace, ValueTrace};
use crate::kind::PolicyKind;
use crate::parse::ParsedPolicy;
use crate::principal::{CallerInfo, GrantKind};
use crate::request::{Context, ContextValue};

/// Why a policy that AWS would reject as a `kind` policy is not evaluated, with its errors.
pub(super) fn invalid_policy_note(parsed: &ParsedPolicy, kind: PolicyKind) -> String {
    let errors: Vec<String> = parsed
        .diagnostics_for(kind)
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}:{} {}", d.start.line, d.start.column, d.message))
        .collect();
    format!(
        "this policy has {} error{} as {}, so AWS would reject it; it is not evaluated ({})",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        kind.describe_with_article(),
        errors.join("; ")
    )
}

/// The values of a `Principal` / `NotPrincipal` element as written, marking the one that
/// named the caller (`found`: its position among every listed value).
pub(super) fn principal_values(
    principal: &crate::ast::Principal,
    found: Option<usize>,
) -> Vec<ValueTrace> {
    let mut values = Vec::new();
    match &principal.spec {
        PrincipalSpec::Any => values.push(ValueTrace {
            written: "*".into(),
            resolved: None,
            matched: true,
            span: principal.span,
            note: None,
        }),
        PrincipalSpec::Map { entries } => {
            let mut i = 0;
            for e in entries {
                for v in &e.values {
                    values.push(ValueTrace {
                        written: format!("{}: {}", e.kind.value.as_str(), v.value),
                        resolved: None,
                        matched: found == Some(i),
                        span: v.span,
                        note: None,
                    });
                    i += 1;
                }
            }
        }
    }
    values
}

/// Why a `Principal` / `NotPrincipal` element matched the caller or not.
pub(super) fn principal_detail(
    caller: &CallerInfo<'_>,
    negated: bool,
    boundary_override: bool,
    matched: bool,
    found: Option<GrantKind>,
) -> String {
    match (negated, found) {
        (true, _) if boundary_override => "the caller has a permissions boundary, and a Deny with NotPrincipal always applies to IAM users and roles with a permissions boundary, whatever NotPrincipal lists (use `ArnNotEquals` on `aws:PrincipalArn` instead)".into(),
        (false, Some(g)) => format!(
            "the caller ({}) is named: the statement {}",
            caller.kind_words(),
            g.describe()
        ),
        (false, None) => format!(
            "the caller `{}` ({}) is not among the named principals",
            caller.arn,
            caller.kind_words()
        ),
        (true, _) if !matched => "the caller is listed in NotPrincipal (its account and, for a role session, its role and session), so the statement does not apply to it".into(),
        (true, Some(_)) => "the caller is only partly listed in NotPrincipal: AWS checks the account, then the role, then the session or user, and the Deny applies to any level that is not listed".into(),
        (true, None) => {
            "the caller is not listed in NotPrincipal, so the statement applies to it".into()
        }
    }
}

/// Why the request's action is covered by an `Action` / `NotAction` element or not
/// (`listed`: some value matches it).
pub(super) fn action_detail(action: &str, negated: bool, listed: bool) -> String {
    match (negated, listed) {
        (false, true) => format!("`{action}` matches (action names are case-insensitive)"),
        (false, false) => format!("`{action}` is not listed"),
        (true, true) => {
            format!("`{action}` is listed in NotAction, so the statement does not cover it")
        }
        (true, false) => {
            format!("`{action}` is not listed in NotAction, so the statement covers it")
        }
    }
}

/// Why a policy value of a `Resource` element whose variable could not be replaced
/// matches nothing.
pub(super) fn unresolved_resource_note(u: &crate::variables::Unresolved) -> String {
    if u.limit.is_some() {
        u.explain()
    } else if u.multivalued {
        format!("`${{{}}}` is multivalued, and multivalued keys cannot be policy variables, so this value matches nothing", u.key)
    } else {
        format!(
            "the request has no `{}`, so `${{{}}}` has no value and this value matches nothing",
            u.key, u.key
        )
    }
}

/// Why the request's resource is covered by a `Resource` / `NotResource` element or not
/// (`listed`: some value matches it), naming each value as resolved.
pub(super) fn resource_detail(
    resource: &str,
    negated: bool,
    listed: bool,
    values: &[ValueTrace],
) -> String {
    match (negated, listed) {
        (false, true) => format!("`{resource}` matches"),
        (false, false) => {
            let shown: Vec<String> = values
                .iter()
                .map(|v| match &v.resolved {
                    Some(r) if *r != v.written => format!("`{r}` (from `{}`)", v.written),
                    _ => format!("`{}`", v.written),
                })
                .collect();
            match values.iter().find_map(|v| v.note.as_deref()) {
                Some(note) => format!("`{resource}` does not match {}; {note}", shown.join(", ")),
                None => format!("`{resource}` does not match {}", shown.join(", ")),
            }
        }
        (true, true) => {
            format!("`{resource}` is listed in NotResource, so the statement does not cover it")
        }
        (true, false) => {
            format!("`{resource}` is not listed in NotResource, so the statement covers it")
        }
    }
}

/// The trace of one condition: the request's values, the policy values as compared (with
/// variables resolved) and why the outcome is what it is.
pub(super) fn condition_trace(
    c: &Condition,
    ctx: &Context,
    outcome: ConditionOutcome,
    values: Vec<ResolvedValue>,
) -> ConditionTrace {
    let request_values = ctx.get_lowercase(&c.key_lower).map(|v| {
        v.values()
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    let op = &c.operator.value;
    let shown = |v: &Option<Vec<String>>| match v {
        None => "nothing".to_owned(),
        Some(vs) if vs.is_empty() => "an empty list".to_owned(),
        Some(vs) => vs
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    // the policy values as compared, with variables resolved
    let policy_values = {
        let shown: Vec<String> = values
            .iter()
            .map(|v| match (&v.resolved, &v.unresolved) {
                (Some(r), _) if *r != v.written => format!("`{r}` (from `{}`)", v.written),
                (Some(r), _) => format!("`{r}`"),
                (None, Some(u)) if u.limit.is_some() => {
                    format!(
                        "`{}` (over a resolution limit, so it matches nothing)",
                        v.written
                    )
                }
                (None, Some(u)) => format!(
                    "`{}` (`${{{}}}` has no value, so it matches nothing)",
                    v.written, u.key
                ),
                (None, None) => format!("`{}`", v.written),
            })
            .collect();
        match shown.len() {
            1 => format!("with {}", shown.join("")),
            _ => format!("with any of {}", shown.join(", ")),
        }
    };
    let detail = match outcome {
        ConditionOutcome::FailedBecauseMissing => format!(
            "the request has no `{}`, and a missing key makes `{}` false",
            c.key.value, op.text
        ),
        ConditionOutcome::MatchedBecauseMissing => {
            let why = if op.base == Operator::Null {
                "`Null: true` asks exactly that"
            } else if op.set == Some(SetOperator::ForAllValues) {
                "`ForAllValues` is true when there are no values (use it with care in Allow statements)"
            } else if op.if_exists {
                "`...IfExists` is true when the key is absent"
            } else {
                "a negated operator is true when the key is absent"
            };
            format!("the request has no `{}`; {why}", c.key.value)
        }
        ConditionOutcome::Matched => format!(
            "the request's {} satisfies `{}` {}",
            shown(&request_values),
            op.text,
            policy_values
        ),
        ConditionOutcome::Failed => format!(
            "the request's {} does not satisfy `{}` {}",
            shown(&request_values),
            op.text,
            policy_values
        ),
    };
    // "Single-valued vs. multivalued context keys": multivalued keys need a set operator;
    // AWS does not document the result without one, and this engine treats it as
    // ForAnyValue. Say so rather than pretend.
    let detail = match ctx.get_lowercase(&c.key_lower) {
        Some(ContextValue::Multi(_)) if op.set.is_none() && op.base != Operator::Null => format!(
            "{detail}; note: `{}` is multivalued here but the operator has no `ForAllValues:`/`ForAnyValue:` qualifier (AWS requires one for multivalued keys; this playground compares each value as if `ForAnyValue:`)",
            c.key.value
        ),
        _ => detail,
    };
    let values = c
        .values
        .iter()
        .zip(values)
        .map(|(pv, rv)| {
            let note = rv
                .unresolved
                .as_ref()
                .map(crate::variables::Unresolved::explain);
            ValueTrace {
                written: rv.written,
                resolved: rv.resolved,
                matched: rv.matched_some_request_value,
                span: pv.span,
                note,
            }
        })
        .collect();
    ConditionTrace {
        operator: op.text.clone(),
        key: c.key.value.clone(),
        span: c.key.span,
        request_values,
        values,
        outcome,
        detail,
    }
}
