//! Why a decision came out the way it did: policy > statement > element > condition.
//!
//! Built by [`crate::authorize`] (the traced path); every node carries the source span it
//! talks about so that the web app can highlight it, and plain sentences a workshop
//! attendee can read.

use crate::ast::Effect;
use crate::conditions::ConditionOutcome;
use crate::decision::Decision;
use crate::diagnostic::Span;
use crate::kind::PolicyKind;
use crate::principal::{GrantKind, PrincipalKind};
use serde::Serialize;
use std::fmt::Write as _;

/// The whole explanation of one decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// The decision.
    pub decision: Decision,
    /// One sentence: why.
    pub summary: String,
    /// The caller, as the engine understood it.
    pub principal: PrincipalSummary,
    /// The steps of AWS's evaluation logic, in order, with what each found.
    pub steps: Vec<Step>,
    /// Every policy that was considered.
    pub policies: Vec<PolicyTrace>,
    /// Near misses for a denied request: Allow statements that cover the action but
    /// failed on their resource, principal or a condition, each with the reason.
    pub near_misses: Vec<String>,
}

/// The calling principal as classified from its ARN.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalSummary {
    /// The ARN as given.
    pub arn: String,
    /// Its kind.
    pub kind: PrincipalKind,
    /// Its account id (may be empty).
    pub account: String,
}

/// One step of the evaluation logic ("Policy evaluation logic", IAM User Guide).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Short name: `deny evaluation`, `resource control policies`, ...
    pub name: String,
    /// What the step concluded.
    pub outcome: StepOutcome,
    /// A sentence.
    pub detail: String,
}

/// What a step concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepOutcome {
    /// Evaluation continues.
    Continue,
    /// The step does not apply to this request.
    Skipped,
    /// The request is allowed here.
    Allow,
    /// The request is explicitly denied here.
    ExplicitDeny,
    /// The request is implicitly denied here.
    ImplicitDeny,
}

/// What one policy contributed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyTrace {
    /// The policy's name.
    pub name: String,
    /// Its type.
    pub kind: PolicyKind,
    /// Organization level (0 = root) for SCPs and RCPs.
    pub level: Option<usize>,
    /// What it did.
    pub status: PolicyStatus,
    /// A sentence about it (e.g. why it was not evaluated).
    pub note: Option<String>,
    /// Its statements.
    pub statements: Vec<StatementTrace>,
}

/// A policy's overall effect on this request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyStatus {
    /// At least one Deny statement applies.
    Denies,
    /// At least one Allow statement applies and no Deny.
    Allows,
    /// No statement applies.
    NoMatch,
    /// The policy does not take part (e.g. SCPs for the management account).
    NotApplicable,
    /// The policy has errors, so AWS would reject it; it is not evaluated.
    Invalid,
}

/// One statement.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementTrace {
    /// 0-based index in the policy.
    pub index: usize,
    /// `Sid`.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// The statement's span.
    pub span: Span,
    /// True when every element and condition matched.
    pub applies: bool,
    /// For resource-based policies: how the `Principal` named the caller.
    pub grant: Option<GrantKind>,
    /// Action / NotAction, Resource / NotResource, Principal / NotPrincipal.
    pub elements: Vec<ElementTrace>,
    /// Each condition.
    pub conditions: Vec<ConditionTrace>,
}

/// One element (`Action`, `NotResource`, `Principal`, ...).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementTrace {
    /// The element name.
    pub element: String,
    /// The request's value it was compared with.
    pub request_value: String,
    /// Whether the element is satisfied (for `Not...` elements: nothing listed matched).
    pub matched: bool,
    /// The element's span.
    pub span: Span,
    /// Each listed value.
    pub values: Vec<ValueTrace>,
    /// A sentence.
    pub detail: String,
}

/// One value of an element.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueTrace {
    /// As written.
    pub written: String,
    /// With variables replaced, when that differs; `None` when a variable had no value.
    pub resolved: Option<String>,
    /// Whether it matched the request value.
    pub matched: bool,
    /// Its span.
    pub span: Span,
    /// E.g. why a variable did not resolve.
    pub note: Option<String>,
}

/// One condition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionTrace {
    /// The operator as written.
    pub operator: String,
    /// The key as written.
    pub key: String,
    /// The span of the key.
    pub span: Span,
    /// The request's values of the key (`None` when the key is missing).
    pub request_values: Option<Vec<String>>,
    /// Each policy value, resolved.
    pub values: Vec<ValueTrace>,
    /// The result.
    pub outcome: ConditionOutcome,
    /// A sentence.
    pub detail: String,
}

impl Explanation {
    /// Allow statements of the given policy types that cover the action but did not
    /// apply, with the first reason each failed.
    pub fn find_near_misses(policies: &[PolicyTrace], kinds: &[PolicyKind]) -> Vec<String> {
        let mut out = Vec::new();
        for p in policies.iter().filter(|p| kinds.contains(&p.kind)) {
            for s in p
                .statements
                .iter()
                .filter(|s| s.effect == Effect::Allow && !s.applies)
            {
                let action_ok = s
                    .elements
                    .iter()
                    .any(|e| (e.element == "Action" || e.element == "NotAction") && e.matched);
                if !action_ok {
                    continue;
                }
                let reason = s
                    .elements
                    .iter()
                    .find(|e| !e.matched)
                    .map(|e| format!("{}: {}", e.element, e.detail))
                    .or_else(|| {
                        s.conditions
                            .iter()
                            .find(|c| !c.outcome.is_match())
                            .map(|c| {
                                format!("condition `{}` on `{}`: {}", c.operator, c.key, c.detail)
                            })
                    });
                if let Some(reason) = reason {
                    let sid = s
                        .sid
                        .as_deref()
                        .map(|x| format!(" (`{x}`)"))
                        .unwrap_or_default();
                    out.push(format!(
                        "statement {}{sid} of {} covers the action but did not apply: {reason}",
                        s.index, p.name
                    ));
                }
            }
        }
        out
    }

    /// A plain-text rendering (for the CLI and tests).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}: {}", self.decision, self.summary);
        for hint in &self.near_misses {
            let _ = writeln!(out, "  near miss: {hint}");
        }
        for step in &self.steps {
            let _ = writeln!(
                out,
                "  step {} [{:?}]: {}",
                step.name, step.outcome, step.detail
            );
        }
        for p in &self.policies {
            let level = p.level.map(|l| format!(" level {l}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  policy {} ({}{}): {:?}",
                p.name,
                p.kind.describe(),
                level,
                p.status
            );
            if let Some(n) = &p.note {
                let _ = writeln!(out, "    {n}");
            }
            for s in &p.statements {
                let sid = s.sid.as_deref().unwrap_or("-");
                let _ = writeln!(
                    out,
                    "    statement {} (Sid {sid}, {}): {}",
                    s.index,
                    s.effect.as_str(),
                    if s.applies {
                        "applies"
                    } else {
                        "does not apply"
                    }
                );
                for e in &s.elements {
                    let _ = writeln!(
                        out,
                        "      {} {}: {}",
                        e.element,
                        if e.matched { "ok" } else { "no" },
                        e.detail
                    );
                }
                for c in &s.conditions {
                    let _ = writeln!(
                        out,
                        "      {} {} -> {:?}: {}",
                        c.operator, c.key, c.outcome, c.detail
                    );
                }
            }
        }
        out
    }
}
