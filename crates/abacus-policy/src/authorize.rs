//! AWS policy evaluation across policy types (IAM User Guide: "Policy evaluation logic",
//! "How AWS enforcement code logic evaluates requests to allow or deny access",
//! "Policy evaluation for requests within a single account", "Cross-account policy
//! evaluation logic"; AWS Organizations User Guide: "Service control policies (SCPs)",
//! "Resource control policies (RCPs)").
//!
//! The order, as the docs give it:
//! 1. Deny evaluation: an applicable `Deny` statement in any policy decides `ExplicitDeny`.
//! 2. RCPs (resources in member accounts, supported services): every level of the
//!    organization, root first, must allow.
//! 3. SCPs (principals in member accounts): every level must allow.
//! 4. Resource-based policy: in the same account, an allow that names the caller itself
//!    (IAM user, role session, federated user session) or `*` allows the request even if
//!    identity policies, the permissions boundary or the session policy do not; an allow
//!    that names the role (not the session) still needs the boundary and session policy
//!    to allow; an allow that names the account delegates to identity policies. Role
//!    trust policies (and KMS key policies) must allow: identity policies alone never
//!    suffice.
//! 5. Identity-based policies must allow (the account root user needs none).
//! 6. A permissions boundary, then a session policy, must also allow.
//!
//! Across accounts, both the identity side and the resource policy must allow.
//!
//! [`authorize_decision`] is the fast path (no trace, no allocation for typical requests);
//! [`authorize`] runs the same code with tracing on and builds the explanation.
//!
//! The evaluator is split by what each part decides:
//! - [`evaluator`] walks the policies of each type and their statements, on the fast path
//!   without any trace structure;
//! - [`matching`] matches one statement's elements (`Principal`, `Action`, `Resource`) and
//!   conditions against the request;
//! - [`evaluation_logic`] combines the policy types' results into the decision, in the
//!   order above;
//! - [`trace`] builds the explanation tree (policy > statement > element > condition);
//! - [`narrowed`] keeps, for a set and one action, the statements that cover the action
//!   ([`ActionSet`]), so that many decisions of that action visit those alone.

mod evaluation_logic;
mod evaluator;
mod matching;
mod narrowed;
#[cfg(test)]
mod tests;
mod trace;

use crate::access_denied::{access_denied, AccessDenied, DenyReason};
use crate::ast::Effect;
use crate::decision::Decision;
use crate::diagnostic::Span;
use crate::explain::{Explanation, PrincipalSummary};
use crate::kind::PolicyKind;
use crate::parse::{parse_policy, ParsedPolicy};
use crate::request::Request;
use evaluator::Evaluator;
pub use narrowed::ActionSet;
use serde::Serialize;
use std::sync::Arc;

/// A policy with a display name, parsed once and shared.
#[derive(Clone, Debug, Serialize)]
pub struct NamedPolicy {
    /// Display name, e.g. `StudioExecutionRolePolicy`.
    pub name: String,
    /// The parsed text.
    #[serde(skip)]
    pub parsed: Arc<ParsedPolicy>,
    /// The policy's ARN, when known (a managed policy, an SCP or RCP): an explicit deny by
    /// it names it in the AccessDenied message, as AWS does for the policy types it covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

impl NamedPolicy {
    /// Parses `text` under `name`.
    pub fn from_text(name: impl Into<String>, text: &str) -> Self {
        Self {
            name: name.into(),
            parsed: Arc::new(parse_policy(text)),
            arn: None,
        }
    }

    /// The same policy with its ARN.
    pub fn with_arn(mut self, arn: Option<String>) -> Self {
        self.arn = arn.filter(|a| !a.trim().is_empty());
        self
    }

    /// Wraps an already parsed policy (e.g. from a parse cache).
    pub fn new(name: impl Into<String>, parsed: Arc<ParsedPolicy>) -> Self {
        Self {
            name: name.into(),
            parsed,
            arn: None,
        }
    }
}

/// Every policy that applies to one request.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PolicySet {
    /// Identity-based policies of the caller (all of them; any may allow).
    pub identity: Vec<NamedPolicy>,
    /// The resource's policy: bucket policy, secret policy, key policy, or the role's
    /// trust policy for `sts:AssumeRole`, `sts:SetSourceIdentity`, `sts:TagSession`,
    /// `sts:SetContext`.
    pub resource: Option<NamedPolicy>,
    /// The caller's permissions boundary (each listed one must allow).
    pub permission_boundaries: Vec<NamedPolicy>,
    /// The session policy passed when the session was created.
    pub session: Option<NamedPolicy>,
    /// SCPs by organization level, root first; each level must allow. Empty means the
    /// account is not in an organization.
    pub scps: Vec<Vec<NamedPolicy>>,
    /// RCPs by organization level, root first; each level must allow.
    pub rcps: Vec<Vec<NamedPolicy>>,
    /// The organization's management account: SCPs do not restrict its principals, and
    /// RCPs do not restrict its resources.
    pub management_account_id: Option<String>,
    /// Evaluate the caller's side alone: the request needs no resource-based or trust
    /// policy. For the half of a two-sided check that AWS makes in the caller's permissions,
    /// e.g. `sts:SetSourceIdentity` when chaining roles, which "permissions for
    /// sts:SetSourceIdentity are required in both the permissions policy of the principal who
    /// is assuming the role and in the role trust policy of the target role" (IAM User Guide,
    /// "Monitor and control actions taken with assumed roles"); the trust side is a separate
    /// evaluation.
    pub caller_side_only: bool,
}

/// A statement that decided a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    /// The policy's name.
    pub policy_name: String,
    /// The policy's type.
    pub kind: PolicyKind,
    /// The statement's index in the policy.
    pub index: usize,
    /// Its `Sid`.
    pub sid: Option<String>,
    /// Its span in the policy text.
    pub span: Span,
    /// Its effect.
    pub effect: Effect,
}

/// The decision with everything that explains it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    /// Allow, ExplicitDeny or ImplicitDeny.
    pub decision: Decision,
    /// Policy > statement > element > condition.
    pub explanation: Explanation,
    /// The statements that decided it (the denying ones, or the allowing ones of each
    /// required policy type); empty for an implicit deny.
    pub deciding: Vec<StatementRef>,
    /// Condition keys and variables the policies test that the request lacks.
    pub missing_keys: Vec<String>,
    /// The AccessDenied error, unless allowed.
    pub access_denied: Option<AccessDenied>,
}

/// Decides `request` against `set`, without building an explanation.
pub fn authorize_decision(set: &PolicySet, request: &Request) -> Decision {
    let mut eval = Evaluator::new(set, request, false);
    eval.run(&evaluator::Every).decision
}

/// Decides `request` against `set` and explains why.
pub fn authorize(set: &PolicySet, request: &Request) -> Authorization {
    let mut eval = Evaluator::new(set, request, true);
    let verdict = eval.run(&evaluator::Every);
    let deciding = eval.deciding(&verdict);
    let missing_keys = std::mem::take(&mut eval.missing);
    let mut access_denied = verdict.reason.map(|r| access_denied(request, r));
    if let (Some(denied), Some(DenyReason::Explicit(kind))) = (&mut access_denied, verdict.reason) {
        if let Some(arn) = denying_policy_arn(set, kind, &deciding) {
            denied.name_policy(arn);
        }
    }
    let summary = match (&access_denied, verdict.decision) {
        (Some(a), _) => capitalize(&a.reason),
        (None, _) => verdict.allow_summary.clone(),
    };
    Authorization {
        decision: verdict.decision,
        explanation: Explanation {
            decision: verdict.decision,
            summary,
            principal: PrincipalSummary {
                arn: request.principal.clone(),
                kind: eval.caller.kind,
                account: eval.caller.account.to_owned(),
            },
            steps: std::mem::take(&mut eval.steps),
            near_misses: if verdict.decision == Decision::ImplicitDeny {
                let kinds: &[PolicyKind] = match verdict.reason {
                    Some(DenyReason::NoAllow(k)) if k != PolicyKind::Identity => {
                        &[k, PolicyKind::Identity, PolicyKind::Resource]
                    }
                    _ => &[PolicyKind::Identity, PolicyKind::Resource],
                };
                Explanation::find_near_misses(&eval.traces, kinds)
            } else {
                Vec::new()
            },
            policies: std::mem::take(&mut eval.traces),
        },
        deciding,
        missing_keys,
        access_denied,
    }
}

/// The ARN of the policy whose Deny decided, for the policy types whose explicit denies AWS
/// names by ARN: "The policy types covered in this update are service control policies
/// (SCPs), resource control policies (RCPs), permissions boundaries policies, session
/// policies, and identity-based policies", only within one account or organization (AWS
/// Security Blog, "Enhanced access denied error messages with policy ARNs"), which is every
/// case here: identity, boundary and session policies belong to the caller's account, SCPs
/// and RCPs to its organization. Resource-based and trust policies are not covered.
fn denying_policy_arn<'a>(
    set: &'a PolicySet,
    kind: PolicyKind,
    deciding: &[StatementRef],
) -> Option<&'a str> {
    let candidates: Vec<&NamedPolicy> = match kind {
        PolicyKind::Identity => set.identity.iter().collect(),
        PolicyKind::PermissionBoundary => set.permission_boundaries.iter().collect(),
        PolicyKind::Session => set.session.iter().collect(),
        PolicyKind::Scp => set.scps.iter().flatten().collect(),
        PolicyKind::Rcp => set.rcps.iter().flatten().collect(),
        PolicyKind::Resource => return None,
    };
    let statement = deciding
        .iter()
        .find(|s| s.kind == kind && s.effect == Effect::Deny)?;
    candidates
        .into_iter()
        .find(|p| p.name == statement.policy_name)?
        .arn
        .as_deref()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // ASCII: the reasons are our own English sentences, and Unicode case mapping would
        // pull ~25 KB of case tables into the web bundle.
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}
