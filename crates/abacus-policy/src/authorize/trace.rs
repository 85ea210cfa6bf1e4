//! The explanation tree: how a condition's trace reads (the request's values, the policy
//! values as compared, and why the outcome is what it is).

use crate::ast::{Condition, Operator, SetOperator};
use crate::conditions::{ConditionOutcome, ResolvedValue};
use crate::explain::{ConditionTrace, ValueTrace};
use crate::request::{Context, ContextValue};

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
