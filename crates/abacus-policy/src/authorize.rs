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

use crate::access_denied::{access_denied, AccessDenied, DenyReason};
use crate::ast::{Effect, PrincipalSpec, Statement};
use crate::conditions::{self, ConditionOutcome};
use crate::decision::Decision;
use crate::diagnostic::Span;
use crate::explain::{
    ConditionTrace, ElementTrace, Explanation, PolicyStatus, PolicyTrace, PrincipalSummary,
    StatementTrace, Step, StepOutcome, ValueTrace,
};
use crate::kind::{is_trust_action, PolicyKind};
use crate::parse::{parse_policy, ParsedPolicy};
use crate::principal::{
    match_principal, not_principal_lists, CallerInfo, GrantKind, PrincipalKind,
};
use crate::request::{Context, ContextValue, Request};
use crate::wildcard::Pattern;
use serde::Serialize;
use std::borrow::Cow;
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
    eval.run().decision
}

/// Decides `request` against `set` and explains why.
pub fn authorize(set: &PolicySet, request: &Request) -> Authorization {
    let mut eval = Evaluator::new(set, request, true);
    let verdict = eval.run();
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

// Services whose actions RCPs apply to come from the reference data (AWS Organizations User
// Guide: "Resource control policies (RCPs)", list of AWS services that support RCPs).
use abacus_reference::RCP_SERVICES;

/// Which policy's statements matched, as found by the evaluator.
#[derive(Clone, Copy, Debug, Default)]
struct PolicyResult {
    deny: Option<usize>,
    /// Best allow: its statement index and (resource policies) its grant kind.
    allow: Option<(usize, Option<GrantKind>)>,
    invalid: bool,
}

/// The outcome of the logic, before presentation.
struct Verdict {
    decision: Decision,
    reason: Option<DenyReason>,
    allow_summary: String,
    /// Which policy types' allows were needed (for `deciding`).
    needed: Vec<PolicyKind>,
}

/// Where each policy's result is, by kind and position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    kind: PolicyKind,
    level: usize,
    index: usize,
}

struct Evaluator<'a> {
    set: &'a PolicySet,
    request: &'a Request,
    caller: CallerInfo<'a>,
    /// The action's first eight bytes as a word, for quick rejects.
    action_head: u64,
    /// The action's service bit, against [`Statement::service_filter`].
    service_bit: u64,
    context: Cow<'a, Context>,
    scratch: Pattern,
    tracing: bool,
    steps: Vec<Step>,
    traces: Vec<PolicyTrace>,
    missing: Vec<String>,
    /// (slot, result) for every evaluated policy (tracing only).
    results: Vec<(Slot, PolicyResult)>,
}

impl<'a> Evaluator<'a> {
    fn new(set: &'a PolicySet, request: &'a Request, tracing: bool) -> Self {
        let caller = CallerInfo::parse(&request.principal);
        Self {
            set,
            request,
            caller,
            action_head: crate::wildcard::head_word(&request.action),
            service_bit: crate::ast::service_bit(service_of(&request.action)),
            context: derived_context(&request.context, &caller),
            scratch: Pattern::default(),
            tracing,
            steps: Vec::new(),
            traces: Vec::new(),
            missing: Vec::new(),
            results: Vec::new(),
        }
    }

    fn step(&mut self, name: &str, outcome: StepOutcome, detail: impl FnOnce() -> String) {
        if self.tracing {
            self.steps.push(Step {
                name: name.to_owned(),
                outcome,
                detail: detail(),
            });
        }
    }

    /// Records the SCP or RCP step and returns the implicit deny when some organization
    /// level (root first) has no policy of `kind` that allows the request.
    fn organization_gate(
        &mut self,
        kind: PolicyKind,
        applies: &Result<(), Cow<'static, str>>,
        missing_level: Option<usize>,
        action: &str,
    ) -> Option<Verdict> {
        let (step, short) = match kind {
            PolicyKind::Rcp => ("resource control policies", "RCP"),
            _ => ("service control policies", "SCP"),
        };
        match (applies, missing_level) {
            (Err(why), _) => {
                self.step(step, StepOutcome::Skipped, || why.to_string());
                None
            }
            (Ok(()), Some(level)) => {
                self.step(step, StepOutcome::ImplicitDeny, || {
                    format!("no {short} at organization level {level} allows `{action}`; every level from the root down must allow it")
                });
                Some(Verdict::implicit(kind))
            }
            (Ok(()), None) => {
                self.step(step, StepOutcome::Continue, || {
                    format!("every organization level has an {short} that allows the request")
                });
                None
            }
        }
    }

    fn service(&self) -> &str {
        service_of(&self.request.action)
    }

    fn is_service_linked_role(&self) -> bool {
        let arn = match self.context.get_lowercase("aws:principalarn") {
            Some(ContextValue::Single(s)) => s.as_str(),
            _ => self.caller.arn,
        };
        arn.contains(":role/aws-service-role/")
    }

    /// Evaluates every policy of one kind list. Returns per-policy results.
    fn eval_list(
        &mut self,
        policies: &'a [NamedPolicy],
        kind: PolicyKind,
        level: Option<usize>,
        applies: Result<(), Cow<'static, str>>,
    ) -> ListResult {
        let mut out = ListResult::default();
        for (i, np) in policies.iter().enumerate() {
            if let Err(why) = &applies {
                if self.tracing {
                    self.traces.push(PolicyTrace {
                        name: np.name.clone(),
                        kind,
                        level,
                        status: PolicyStatus::NotApplicable,
                        note: Some(why.to_string()),
                        statements: Vec::new(),
                    });
                }
                continue;
            }
            let r = self.eval_policy(np, kind, level);
            if self.tracing {
                self.results.push((
                    Slot {
                        kind,
                        level: level.unwrap_or(0),
                        index: i,
                    },
                    r,
                ));
            }
            if r.deny.is_some() && out.deny.is_none() {
                out.deny = Some(i);
            }
            if let Some((_, g)) = r.allow {
                out.any_allow = true;
                let rank = |g: Option<GrantKind>| match g {
                    Some(GrantKind::Direct | GrantKind::Everyone) | None => 0,
                    Some(GrantKind::Role) => 1,
                    Some(GrantKind::Account) => 2,
                };
                if out.best_grant.is_none() || rank(g) < rank(out.best_grant.flatten()) {
                    out.best_grant = Some(g);
                }
            }
            if out.deny.is_some() && !self.tracing {
                break;
            }
        }
        out
    }

    fn eval_policy(
        &mut self,
        np: &NamedPolicy,
        kind: PolicyKind,
        level: Option<usize>,
    ) -> PolicyResult {
        let parsed = &np.parsed;
        let mut result = PolicyResult::default();
        let mut trace = self.tracing.then(|| PolicyTrace {
            name: np.name.clone(),
            kind,
            level,
            status: PolicyStatus::NoMatch,
            note: None,
            statements: Vec::new(),
        });
        let policy = match &parsed.policy {
            Some(p) if parsed.is_valid_for(kind) => p,
            _ => {
                result.invalid = true;
                if let Some(t) = trace.as_mut() {
                    let errors: Vec<String> = parsed
                        .diagnostics_for(kind)
                        .into_iter()
                        .filter(|d| d.is_error())
                        .map(|d| format!("{}:{} {}", d.start.line, d.start.column, d.message))
                        .collect();
                    t.status = PolicyStatus::Invalid;
                    t.note = Some(format!(
                        "this policy has {} error{} as {}, so AWS would reject it; it is not evaluated ({})",
                        errors.len(),
                        if errors.len() == 1 { "" } else { "s" },
                        kind.describe_with_article(),
                        errors.join("; ")
                    ));
                }
                if let Some(t) = trace {
                    self.traces.push(t);
                }
                return result;
            }
        };
        if trace.is_none() {
            // fast path: no trace structures at all
            for st in &policy.statements {
                if st.service_filter & self.service_bit == 0 {
                    continue; // its actions are all for other services
                }
                let Some(grant) = self.eval_statement(st, kind, None) else {
                    continue;
                };
                if st.effect_or_allow() == Effect::Deny {
                    result.deny = Some(st.index);
                    return result;
                }
                result.allow = better_allow(result.allow, st.index, grant);
            }
            return result;
        }
        for st in &policy.statements {
            let mut st_trace = trace.as_ref().map(|_| StatementTrace {
                index: st.index,
                sid: st.sid.as_ref().map(|s| s.value.clone()),
                effect: st.effect_or_allow(),
                span: st.span,
                applies: false,
                grant: None,
                elements: Vec::new(),
                conditions: Vec::new(),
            });
            let applies = self.eval_statement(st, kind, st_trace.as_mut());
            if let Some(grant) = applies {
                match st.effect_or_allow() {
                    Effect::Deny => {
                        result.deny.get_or_insert(st.index);
                    }
                    Effect::Allow => {
                        result.allow = better_allow(result.allow, st.index, grant);
                    }
                }
            }
            if let (Some(t), Some(s)) = (trace.as_mut(), st_trace) {
                t.statements.push(s);
            }
            if result.deny.is_some() && !self.tracing {
                break;
            }
        }
        if let Some(mut t) = trace {
            t.status = if result.deny.is_some() {
                PolicyStatus::Denies
            } else if result.allow.is_some() {
                PolicyStatus::Allows
            } else {
                PolicyStatus::NoMatch
            };
            self.traces.push(t);
        }
        result
    }

    /// `None` when the statement does not apply; `Some(grant)` when it does (the grant
    /// kind only for resource-based policies).
    fn eval_statement(
        &mut self,
        st: &Statement,
        kind: PolicyKind,
        mut trace: Option<&mut StatementTrace>,
    ) -> Option<Option<GrantKind>> {
        let tracing = trace.is_some();
        let mut ok = true;
        // Principal (resource-based policies only; RCPs always use "*")
        let mut grant = None;
        if kind == PolicyKind::Resource {
            let (matched, g) = self.eval_principal(st, trace.as_deref_mut());
            ok &= matched;
            grant = g;
        }
        if !ok && !tracing {
            return None;
        }
        let action_ok = self.eval_action(st, trace.as_deref_mut());
        ok &= action_ok;
        if !action_ok {
            // A statement for other actions is explained by its Action alone (this also
            // keeps traced evaluation fast for large policy sets).
            if let Some(t) = trace {
                t.applies = false;
            }
            return None;
        }
        ok &= self.eval_resource(st, trace.as_deref_mut());
        if !ok && !tracing {
            return None;
        }
        let relevant = ok; // element matches: the conditions decide
        for c in &st.conditions {
            let present = self.context.get_lowercase(&c.key_lower).is_some();
            if tracing {
                let (outcome, values) = conditions::evaluate_traced(c, &self.context);
                if !present && relevant {
                    self.note_missing(&c.key.value);
                }
                for v in values.iter().filter_map(|v| v.unresolved.as_ref()) {
                    if v.is_missing() && relevant {
                        self.note_missing(&v.key);
                    }
                }
                ok &= outcome.is_match();
                if let Some(t) = trace.as_deref_mut() {
                    t.conditions
                        .push(condition_trace(c, &self.context, outcome, values));
                }
            } else if !conditions::evaluate_with(c, &self.context, &mut self.scratch).is_match() {
                return None;
            }
        }
        if let Some(t) = trace {
            t.applies = ok;
            t.grant = grant;
        }
        ok.then_some(grant)
    }

    fn note_missing(&mut self, key: &str) {
        if !self.missing.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            self.missing.push(key.to_owned());
        }
    }

    fn eval_principal(
        &mut self,
        st: &Statement,
        trace: Option<&mut StatementTrace>,
    ) -> (bool, Option<GrantKind>) {
        let caller = self.caller;
        let (element, principal) = match (&st.principal, &st.not_principal) {
            (Some(p), _) => ("Principal", p),
            (None, Some(p)) => ("NotPrincipal", p),
            (None, None) => {
                if let Some(t) = trace {
                    t.elements.push(ElementTrace {
                        element: "Principal".into(),
                        request_value: caller.arn.to_owned(),
                        matched: false,
                        span: st.span,
                        values: Vec::new(),
                        detail: "a resource-based policy statement applies only to the principals it names, and this one names none".into(),
                    });
                }
                return (false, None);
            }
        };
        let found = match_principal(&principal.spec, &caller);
        // IAM User Guide: "Permissions boundaries for IAM entities": a Deny with
        // NotPrincipal always denies an IAM user or role that has a permissions boundary,
        // whatever NotPrincipal lists.
        let boundary_override = element == "NotPrincipal"
            && st.effect_or_allow() == Effect::Deny
            && !self.set.permission_boundaries.is_empty()
            && matches!(
                caller.kind,
                PrincipalKind::User | PrincipalKind::Role | PrincipalKind::RoleSession
            );
        let (matched, grant) = if element == "Principal" {
            (found.is_some(), found.map(|(g, _)| g))
        } else if boundary_override {
            (true, Some(GrantKind::Everyone))
        } else {
            let listed = not_principal_lists(&principal.spec, &caller);
            (!listed, (!listed).then_some(GrantKind::Everyone))
        };
        if let Some(t) = trace {
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
                                matched: found.is_some_and(|(_, idx)| idx == i),
                                span: v.span,
                                note: None,
                            });
                            i += 1;
                        }
                    }
                }
            }
            let detail = match (element, found) {
                ("NotPrincipal", _) if boundary_override => "the caller has a permissions boundary, and a Deny with NotPrincipal always applies to IAM users and roles with a permissions boundary, whatever NotPrincipal lists (use `ArnNotEquals` on `aws:PrincipalArn` instead)".into(),
                ("Principal", Some((g, _))) => format!(
                    "the caller ({}) is named: the statement {}",
                    caller.kind_words(),
                    g.describe()
                ),
                ("Principal", None) => format!(
                    "the caller `{}` ({}) is not among the named principals",
                    caller.arn,
                    caller.kind_words()
                ),
                (_, _) if !matched => "the caller is listed in NotPrincipal (its account and, for a role session, its role and session), so the statement does not apply to it".into(),
                (_, Some(_)) => "the caller is only partly listed in NotPrincipal: AWS checks the account, then the role, then the session or user, and the Deny applies to any level that is not listed".into(),
                (_, None) => {
                    "the caller is not listed in NotPrincipal, so the statement applies to it"
                        .into()
                }
            };
            t.elements.push(ElementTrace {
                element: element.into(),
                request_value: caller.arn.to_owned(),
                matched,
                span: principal.span,
                values,
                detail,
            });
        }
        (matched, grant)
    }

    fn eval_action(&mut self, st: &Statement, trace: Option<&mut StatementTrace>) -> bool {
        let action = self.request.action.as_str();
        let (element, list, negated) = match (&st.action, &st.not_action) {
            (Some(l), _) => ("Action", l, false),
            (None, Some(l)) => ("NotAction", l, true),
            (None, None) => return false,
        };
        let Some(t) = trace else {
            let head = self.action_head;
            return list
                .items
                .iter()
                .any(|a| a.value.matches_with_head(action, head))
                != negated;
        };
        let values: Vec<ValueTrace> = list
            .items
            .iter()
            .map(|a| ValueTrace {
                written: a.value.text.clone(),
                resolved: None,
                matched: a.value.matches(action),
                span: a.span,
                note: None,
            })
            .collect();
        let any = values.iter().any(|v| v.matched);
        let matched = any != negated;
        let detail = match (negated, any) {
            (false, true) => format!("`{action}` matches (action names are case-insensitive)"),
            (false, false) => format!("`{action}` is not listed"),
            (true, true) => {
                format!("`{action}` is listed in NotAction, so the statement does not cover it")
            }
            (true, false) => {
                format!("`{action}` is not listed in NotAction, so the statement covers it")
            }
        };
        t.elements.push(ElementTrace {
            element: element.into(),
            request_value: action.to_owned(),
            matched,
            span: list.span,
            values,
            detail,
        });
        matched
    }

    fn eval_resource(&mut self, st: &Statement, trace: Option<&mut StatementTrace>) -> bool {
        let (element, list, negated) = match (&st.resource, &st.not_resource) {
            (Some(l), _) => ("Resource", l, false),
            (None, Some(l)) => ("NotResource", l, true),
            (None, None) => {
                // trust policies have no Resource: the statement covers the role itself
                if let Some(t) = trace {
                    t.elements.push(ElementTrace {
                        element: "Resource".into(),
                        request_value: self.request.resource.clone(),
                        matched: true,
                        span: st.span,
                        values: Vec::new(),
                        detail: "no Resource element: the statement covers the resource the policy is attached to".into(),
                    });
                }
                return true;
            }
        };
        let resource = self.request.resource.as_str();
        let mut any = false;
        let mut values = Vec::new();
        for r in &list.items {
            let template = &r.value.template;
            let literal_hit =
                (template.has_variables() && !template.has_wildcards() && trace.is_none())
                    .then(|| template.equals(&self.context, resource));
            let (hit, resolved, note) = match (literal_hit, template.fixed_pattern()) {
                (Some(Some(hit)), _) => (hit, None, None),
                (_, fixed) => match fixed {
                    Some(p) => (p.matches_resource(resource), None, None),
                    None => match template.resolve_pattern(&self.context, &mut self.scratch) {
                        Ok(()) => {
                            let hit = self.scratch.matches_resource(resource);
                            let resolved = trace
                                .is_some()
                                .then(|| {
                                    template
                                        .resolve_string(&self.context)
                                        .map(Cow::into_owned)
                                        .ok()
                                })
                                .flatten();
                            (hit, resolved, None)
                        }
                        Err(u) => {
                            if trace.is_some() && u.is_missing() {
                                self.note_missing(&u.key);
                            }
                            let note = if u.limit.is_some() {
                                u.explain()
                            } else if u.multivalued {
                                format!("`${{{}}}` is multivalued, and multivalued keys cannot be policy variables, so this value matches nothing", u.key)
                            } else {
                                format!("the request has no `{}`, so `${{{}}}` has no value and this value matches nothing", u.key, u.key)
                            };
                            (false, None, Some(note))
                        }
                    },
                },
            };
            any |= hit;
            if trace.is_none() && hit {
                break;
            }
            if trace.is_some() {
                values.push(ValueTrace {
                    written: r.value.text.clone(),
                    resolved,
                    matched: hit,
                    span: r.span,
                    note,
                });
            }
        }
        let matched = any != negated;
        if let Some(t) = trace {
            let detail = match (negated, any) {
                (false, true) => format!("`{resource}` matches"),
                (false, false) => {
                    let listed: Vec<String> = values
                        .iter()
                        .map(|v| match &v.resolved {
                            Some(r) if *r != v.written => format!("`{r}` (from `{}`)", v.written),
                            _ => format!("`{}`", v.written),
                        })
                        .collect();
                    match values.iter().find_map(|v| v.note.as_deref()) {
                        Some(note) => {
                            format!("`{resource}` does not match {}; {note}", listed.join(", "))
                        }
                        None => format!("`{resource}` does not match {}", listed.join(", ")),
                    }
                }
                (true, true) => format!(
                    "`{resource}` is listed in NotResource, so the statement does not cover it"
                ),
                (true, false) => {
                    format!("`{resource}` is not listed in NotResource, so the statement covers it")
                }
            };
            t.elements.push(ElementTrace {
                element: element.into(),
                request_value: resource.to_owned(),
                matched,
                span: list.span,
                values,
                detail,
            });
        }
        matched
    }

    fn run(&mut self) -> Verdict {
        let set = self.set;
        let request = self.request;
        let action = request.action.as_str();
        let caller = self.caller;
        let management = set.management_account_id.as_deref();
        let slr = self.is_service_linked_role();

        // Applicability of organization policies.
        let scp_applies: Result<(), Cow<'static, str>> = if set.scps.is_empty() {
            Err("no service control policies".into())
        } else if management.is_some_and(|m| m == caller.account) {
            Err("SCPs do not restrict principals of the organization's management account".into())
        } else if caller.kind == PrincipalKind::Service {
            Err("SCPs do not restrict service principals".into())
        } else if slr {
            Err("SCPs do not restrict service-linked roles".into())
        } else {
            Ok(())
        };
        let resource_account: &str = {
            let a = resource_account_of(request);
            if a.is_empty() {
                caller.account
            } else {
                a
            }
        };
        let rcp_applies: Result<(), Cow<'static, str>> = if set.rcps.is_empty() {
            Err("no resource control policies".into())
        } else if !RCP_SERVICES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(self.service()))
        {
            Err(format!(
                "RCPs do not apply to `{}` actions (not a service that supports RCPs)",
                self.service()
            )
            .into())
        } else if management.is_some_and(|m| m == resource_account) {
            Err("RCPs do not restrict resources in the organization's management account".into())
        } else if slr {
            Err("RCPs do not restrict service-linked roles".into())
        } else {
            Ok(())
        };

        // Evaluate every policy (the fast path stops at the first deny).
        let mut deny: Option<PolicyKind> = None;
        let mut scp_missing_level: Option<usize> = None;
        for (level, policies) in set.scps.iter().enumerate() {
            let r = self.eval_list(policies, PolicyKind::Scp, Some(level), scp_applies.clone());
            if r.deny.is_some() {
                deny.get_or_insert(PolicyKind::Scp);
            }
            if !r.any_allow && scp_missing_level.is_none() {
                scp_missing_level = Some(level);
            }
            if deny.is_some() && !self.tracing {
                return self.denied(PolicyKind::Scp, action);
            }
        }
        let mut rcp_missing_level: Option<usize> = None;
        for (level, policies) in set.rcps.iter().enumerate() {
            let r = self.eval_list(policies, PolicyKind::Rcp, Some(level), rcp_applies.clone());
            if r.deny.is_some() {
                deny.get_or_insert(PolicyKind::Rcp);
            }
            if !r.any_allow && rcp_missing_level.is_none() {
                rcp_missing_level = Some(level);
            }
            if deny.is_some() && !self.tracing {
                return self.denied(PolicyKind::Rcp, action);
            }
        }
        let identity_applies: Result<(), Cow<'static, str>> = match caller.kind {
            PrincipalKind::Service => {
                Err("service principals have no identity-based policies".into())
            }
            PrincipalKind::Anonymous => {
                Err("anonymous callers have no identity-based policies".into())
            }
            _ => Ok(()),
        };
        let identity = self.eval_list(
            &set.identity,
            PolicyKind::Identity,
            None,
            identity_applies.clone(),
        );
        if identity.deny.is_some() {
            deny.get_or_insert(PolicyKind::Identity);
            if !self.tracing {
                return self.denied(PolicyKind::Identity, action);
            }
        }
        let resource_policies = set.resource.as_slice();
        let resource = self.eval_list(resource_policies, PolicyKind::Resource, None, Ok(()));
        if resource.deny.is_some() {
            deny.get_or_insert(PolicyKind::Resource);
            if !self.tracing {
                return self.denied(PolicyKind::Resource, action);
            }
        }
        let boundary_applies: Result<(), Cow<'static, str>> = match caller.kind {
            PrincipalKind::Root => {
                Err("permissions boundaries do not apply to the account root user".into())
            }
            PrincipalKind::Service | PrincipalKind::Anonymous => {
                Err("permissions boundaries apply only to IAM users and roles".into())
            }
            _ => Ok(()),
        };
        let boundary = self.eval_list(
            &set.permission_boundaries,
            PolicyKind::PermissionBoundary,
            None,
            boundary_applies.clone(),
        );
        if boundary.deny.is_some() {
            deny.get_or_insert(PolicyKind::PermissionBoundary);
            if !self.tracing {
                return self.denied(PolicyKind::PermissionBoundary, action);
            }
        }
        let session_applies: Result<(), Cow<'static, str>> = match caller.kind {
            PrincipalKind::RoleSession | PrincipalKind::FederatedUser | PrincipalKind::Other => {
                Ok(())
            }
            _ => Err(
                "session policies apply only to role sessions and federated user sessions".into(),
            ),
        };
        let session = self.eval_list(
            set.session.as_slice(),
            PolicyKind::Session,
            None,
            session_applies.clone(),
        );
        if session.deny.is_some() {
            deny.get_or_insert(PolicyKind::Session);
            if !self.tracing {
                return self.denied(PolicyKind::Session, action);
            }
        }

        // 1. deny evaluation
        if let Some(kind) = deny {
            self.step("deny evaluation", StepOutcome::ExplicitDeny, || {
                format!(
                    "a Deny statement in {} applies, and an explicit deny overrides every allow",
                    kind.describe_with_article()
                )
            });
            return self.denied(kind, action);
        }
        self.step("deny evaluation", StepOutcome::Continue, || {
            "no Deny statement applies to this request".into()
        });

        // 2. RCPs, 3. SCPs: every organization level must allow
        if let Some(verdict) =
            self.organization_gate(PolicyKind::Rcp, &rcp_applies, rcp_missing_level, action)
        {
            return verdict;
        }
        if let Some(verdict) =
            self.organization_gate(PolicyKind::Scp, &scp_applies, scp_missing_level, action)
        {
            return verdict;
        }

        // identity side: identity policies, then boundary, then session policy
        let root = caller.kind == PrincipalKind::Root;
        let identity_ok = root || identity.any_allow;
        let boundary_ok =
            set.permission_boundaries.is_empty() || boundary_applies.is_err() || boundary.any_allow;
        // IAM User Guide: "Policy evaluation logic" (session policies): a federated user
        // session from GetFederationToken without a session policy has no permissions.
        let federated_without_session =
            caller.kind == PrincipalKind::FederatedUser && set.session.is_none();
        let session_ok = !federated_without_session
            && (set.session.is_none() || session_applies.is_err() || session.any_allow);
        let caps_ok = boundary_ok && session_ok;
        let cap_failure = if !boundary_ok {
            PolicyKind::PermissionBoundary
        } else {
            PolicyKind::Session
        };

        let trust = is_trust_action(&self.request.action);
        let key_policy = self.service().eq_ignore_ascii_case("kms") && set.resource.is_some();
        let cross_account = !caller.account.is_empty() && resource_account != caller.account;
        let grant = resource.best_grant.flatten().or(if resource.any_allow {
            Some(GrantKind::Direct)
        } else {
            None
        });

        // 4. resource-based policy
        let required = (trust || key_policy) && !set.caller_side_only;
        // set when the resource policy allowed the role but a boundary/session policy capped it
        let mut capped_by: Option<PolicyKind> = None;
        let what = if trust {
            "role trust policy"
        } else if key_policy {
            "key policy"
        } else {
            "resource-based policy"
        };
        if required && !resource.any_allow {
            self.step("resource-based policy", StepOutcome::ImplicitDeny, || {
                format!("the {what} must allow `{action}` itself, and it does not")
            });
            return Verdict::implicit(PolicyKind::Resource);
        }
        if cross_account {
            if !resource.any_allow {
                self.step("resource-based policy", StepOutcome::ImplicitDeny, || {
                    format!("the resource is in account {resource_account} and the caller in {}: across accounts the resource-based policy must allow the request too", caller.account)
                });
                return Verdict::implicit(PolicyKind::Resource);
            }
            self.step("resource-based policy", StepOutcome::Continue, || {
                "across accounts, the resource-based policy allows; the caller's own account must allow as well".into()
            });
        } else if let Some(g) = grant {
            match g {
                GrantKind::Direct | GrantKind::Everyone if caller.kind != PrincipalKind::Role => {
                    self.step("resource-based policy", StepOutcome::Allow, || {
                        format!(
                            "the {what} allows the request and {}; in the same account such a grant is not limited by an implicit deny in identity-based policies, permissions boundaries or session policies",
                            g.describe()
                        )
                    });
                    return self.allowed(
                        || format!("The {what} allows `{action}` and {}", g.describe()),
                        || vec![PolicyKind::Resource],
                    );
                }
                GrantKind::Direct | GrantKind::Everyone | GrantKind::Role => {
                    if caps_ok {
                        self.step("resource-based policy", StepOutcome::Allow, || {
                            format!("the {what} allows the request and names the role, not the session; such a grant is still capped by the permissions boundary and session policy, which allow it")
                        });
                        return self.allowed(
                            || format!("The {what} allows `{action}` for the caller's role"),
                            || {
                                let mut needed = vec![PolicyKind::Resource];
                                if !set.permission_boundaries.is_empty() {
                                    needed.push(PolicyKind::PermissionBoundary);
                                }
                                if set.session.is_some() {
                                    needed.push(PolicyKind::Session);
                                }
                                needed
                            },
                        );
                    }
                    self.step("resource-based policy", StepOutcome::Continue, || {
                        format!("the {what} allows the role (not this session), so the grant is capped by the {}, which does not allow it", cap_failure.describe())
                    });
                    capped_by = Some(cap_failure);
                }
                GrantKind::Account => self.step("resource-based policy", StepOutcome::Continue, || {
                    format!("the {what} names the caller's account, which delegates the decision to the account's identity-based policies")
                }),
            }
        } else {
            self.step(
                "resource-based policy",
                if set.resource.is_none() {
                    StepOutcome::Skipped
                } else {
                    StepOutcome::Continue
                },
                || {
                    if set.resource.is_none() {
                        "the resource has no resource-based policy".into()
                    } else {
                        "the resource-based policy does not allow the request".into()
                    }
                },
            );
        }

        // 5. identity-based policies
        if let Err(why) = &identity_applies {
            let why = why.clone();
            self.step("identity-based policies", StepOutcome::ImplicitDeny, || {
                why.to_string()
            });
            return Verdict::implicit(PolicyKind::Resource);
        }
        if !identity_ok {
            self.step("identity-based policies", StepOutcome::ImplicitDeny, || {
                format!("no identity-based policy allows `{action}`")
            });
            return Verdict::implicit(capped_by.unwrap_or(PolicyKind::Identity));
        }
        self.step("identity-based policies", StepOutcome::Continue, || {
            if root {
                "the caller is the account root user, which needs no identity-based policy".into()
            } else {
                "an identity-based policy allows the request".into()
            }
        });
        // 6. boundary and session policy
        if !boundary_ok {
            self.step("permissions boundary", StepOutcome::ImplicitDeny, || {
                format!("the permissions boundary does not allow `{action}`; it caps what identity-based policies can grant")
            });
            return Verdict::implicit(PolicyKind::PermissionBoundary);
        }
        if federated_without_session {
            self.step("session policy", StepOutcome::ImplicitDeny, || {
                "the caller is a federated user session created without a session policy, and such a session has no permissions of its own".into()
            });
            return Verdict::implicit(PolicyKind::Session);
        }
        if !session_ok {
            self.step("session policy", StepOutcome::ImplicitDeny, || {
                format!("the session policy does not allow `{action}`; it caps what the role's identity-based policies can grant")
            });
            return Verdict::implicit(PolicyKind::Session);
        }
        let boundary_applied = !set.permission_boundaries.is_empty() && boundary_applies.is_ok();
        let session_applied = set.session.is_some() && session_applies.is_ok();
        let resource_needed = cross_account || (required && resource.any_allow);
        self.step("decision", StepOutcome::Allow, || {
            "every required policy type allows the request".into()
        });
        self.allowed(
            || {
                if root {
                    format!("The account root user may perform `{action}`: nothing denies it")
                } else {
                    format!("An identity-based policy allows `{action}`, and nothing denies it or caps it")
                }
            },
            || {
                let mut needed = vec![PolicyKind::Identity];
                if boundary_applied {
                    needed.push(PolicyKind::PermissionBoundary);
                }
                if session_applied {
                    needed.push(PolicyKind::Session);
                }
                if resource_needed {
                    needed.push(PolicyKind::Resource);
                }
                needed
            },
        )
    }

    /// An Allow verdict; the summary and the list of needed policy types are built only
    /// when tracing (the fast path allocates nothing).
    fn allowed(
        &self,
        summary: impl FnOnce() -> String,
        needed: impl FnOnce() -> Vec<PolicyKind>,
    ) -> Verdict {
        if self.tracing {
            Verdict::allow(summary(), needed())
        } else {
            Verdict::allow(String::new(), Vec::new())
        }
    }

    fn denied(&self, kind: PolicyKind, _action: &str) -> Verdict {
        Verdict {
            decision: Decision::ExplicitDeny,
            reason: Some(DenyReason::Explicit(kind)),
            allow_summary: String::new(),
            needed: vec![kind],
        }
    }

    /// The statements that decided the verdict (tracing only).
    fn deciding(&self, verdict: &Verdict) -> Vec<StatementRef> {
        let mut out = Vec::new();
        let want_deny = verdict.decision == Decision::ExplicitDeny;
        if verdict.decision == Decision::ImplicitDeny {
            return out;
        }
        for (slot, r) in &self.results {
            // organization policies that apply had to allow too
            let org = !want_deny && matches!(slot.kind, PolicyKind::Scp | PolicyKind::Rcp);
            if !verdict.needed.contains(&slot.kind) && !org {
                continue;
            }
            let idx = if want_deny {
                r.deny
            } else {
                r.allow.map(|(i, _)| i)
            };
            let Some(idx) = idx else {
                continue;
            };
            let np = match slot.kind {
                PolicyKind::Identity => self.set.identity.get(slot.index),
                PolicyKind::Resource => self.set.resource.as_ref(),
                PolicyKind::PermissionBoundary => self.set.permission_boundaries.get(slot.index),
                PolicyKind::Session => self.set.session.as_ref(),
                PolicyKind::Scp => self
                    .set
                    .scps
                    .get(slot.level)
                    .and_then(|l| l.get(slot.index)),
                PolicyKind::Rcp => self
                    .set
                    .rcps
                    .get(slot.level)
                    .and_then(|l| l.get(slot.index)),
            };
            let Some(np) = np else {
                continue;
            };
            let Some(st) = np
                .parsed
                .policy
                .as_ref()
                .and_then(|p| p.statements.get(idx))
            else {
                continue;
            };
            out.push(StatementRef {
                policy_name: np.name.clone(),
                kind: slot.kind,
                index: idx,
                sid: st.sid.as_ref().map(|s| s.value.clone()),
                span: st.span,
                effect: st.effect_or_allow(),
            });
        }
        out
    }
}

impl Verdict {
    fn implicit(kind: PolicyKind) -> Self {
        Verdict {
            decision: Decision::ImplicitDeny,
            reason: Some(DenyReason::NoAllow(kind)),
            allow_summary: String::new(),
            needed: Vec::new(),
        }
    }

    fn allow(summary: String, needed: Vec<PolicyKind>) -> Self {
        Verdict {
            decision: Decision::Allow,
            reason: None,
            allow_summary: summary,
            needed,
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct ListResult {
    deny: Option<usize>,
    any_allow: bool,
    best_grant: Option<Option<GrantKind>>,
}

/// Keeps the strongest grant: one naming the caller (or everyone) beats one naming the
/// role, which beats one naming the account.
fn better_allow(
    current: Option<(usize, Option<GrantKind>)>,
    index: usize,
    grant: Option<GrantKind>,
) -> Option<(usize, Option<GrantKind>)> {
    let rank = |g: Option<GrantKind>| match g {
        Some(GrantKind::Direct | GrantKind::Everyone) | None => 0,
        Some(GrantKind::Role) => 1,
        Some(GrantKind::Account) => 2,
    };
    match current {
        Some((_, g)) if rank(g) <= rank(grant) => current,
        _ => Some((index, grant)),
    }
}

/// The account id in a resource ARN (empty for ARNs without one, like S3's).
fn resource_account_of(request: &Request) -> &str {
    match crate::principal::split_arn(&request.resource) {
        Some(("arn", _, _, account, _)) if !account.is_empty() => account,
        // S3 bucket and object ARNs carry no account; AWS knows the owner, which the
        // request states as `aws:ResourceAccount` ("AWS global condition context keys").
        _ => match request.context.get("aws:ResourceAccount") {
            Some(ContextValue::Single(a)) => a.as_str(),
            _ => "",
        },
    }
}

/// `sagemaker` of `sagemaker:CreateTrainingJob`.
fn service_of(action: &str) -> &str {
    crate::principal::split_byte(action, b':').map_or(action, |(s, _)| s)
}

/// Adds the keys AWS puts in every authenticated request when the caller's context
/// lacks them: `aws:PrincipalArn`, `aws:PrincipalAccount`, and `aws:username` for IAM
/// users (IAM User Guide: "AWS global condition context keys").
fn derived_context<'c>(ctx: &'c Context, caller: &CallerInfo<'_>) -> Cow<'c, Context> {
    let iam = matches!(
        caller.kind,
        PrincipalKind::RoleSession
            | PrincipalKind::Role
            | PrincipalKind::User
            | PrincipalKind::Root
            | PrincipalKind::FederatedUser
    );
    if !iam {
        return Cow::Borrowed(ctx);
    }
    let need_arn = !ctx.contains_lowercase("aws:principalarn");
    let need_account =
        !ctx.contains_lowercase("aws:principalaccount") && !caller.account.is_empty();
    let need_user = caller.kind == PrincipalKind::User && !ctx.contains_lowercase("aws:username");
    if !(need_arn || need_account || need_user) {
        return Cow::Borrowed(ctx);
    }
    let mut c = ctx.clone();
    if need_arn {
        c.insert_single("aws:PrincipalArn", caller.principal_arn());
    }
    if need_account {
        c.insert_single("aws:PrincipalAccount", caller.account);
    }
    if need_user {
        c.insert_single("aws:username", caller.name);
    }
    Cow::Owned(c)
}

fn condition_trace(
    c: &crate::ast::Condition,
    ctx: &Context,
    outcome: ConditionOutcome,
    values: Vec<conditions::ResolvedValue>,
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
            let why = if op.base == crate::ast::Operator::Null {
                "`Null: true` asks exactly that"
            } else if op.set == Some(crate::ast::SetOperator::ForAllValues) {
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
        Some(crate::request::ContextValue::Multi(_)) if op.set.is_none() && op.base != crate::ast::Operator::Null => format!(
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

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/StudioRole/alice";

    fn policy(name: &str, statements: &str) -> NamedPolicy {
        NamedPolicy::from_text(
            name,
            &format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#),
        )
    }

    fn req(principal: &str, action: &str, resource: &str) -> Request {
        Request {
            principal: principal.into(),
            action: action.into(),
            resource: resource.into(),
            context: Context::new(),
        }
    }

    // AWS Security Blog, "Enhanced access denied error messages with policy ARNs": "with an
    // explicit deny in a service control policy: arn:aws:organizations::...", for SCPs,
    // RCPs, permissions boundaries, session policies and identity-based policies only
    #[test]
    fn an_explicit_deny_names_the_denying_policy_by_arn_where_aws_does() {
        const SCP_ARN: &str = "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd";
        const DENY: &str = r#"{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}"#;
        let allow_all = || policy("all", r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
        let r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k");
        let scp = PolicySet {
            identity: vec![allow_all()],
            scps: vec![vec![
                allow_all(),
                policy("deny-s3", DENY).with_arn(Some(SCP_ARN.into())),
            ]],
            ..Default::default()
        };
        let a = authorize(&scp, &r).access_denied.unwrap();
        assert!(
            a.message.ends_with(&format!(
                "with an explicit deny in a service control policy: {SCP_ARN}"
            )),
            "{}",
            a.message
        );
        let managed = "arn:aws:iam::111122223333:policy/DenyObjects";
        let identity = PolicySet {
            identity: vec![
                allow_all(),
                policy("d", DENY).with_arn(Some(managed.into())),
            ],
            ..Default::default()
        };
        let a = authorize(&identity, &r).access_denied.unwrap();
        assert_eq!(
            a.reason,
            format!("with an explicit deny in an identity-based policy: {managed}")
        );
        // resource-based policies are not covered; a policy without an ARN is not named
        let resource = PolicySet {
            identity: vec![allow_all().with_arn(Some(managed.into()))],
            resource: Some(
                policy(
                    "bucket",
                    r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#,
                )
                .with_arn(Some("arn:aws:s3:::b".into())),
            ),
            ..Default::default()
        };
        assert_eq!(
            authorize(&resource, &r).access_denied.unwrap().reason,
            "with an explicit deny in a resource-based policy"
        );
        let unnamed = PolicySet {
            identity: vec![allow_all(), policy("d", DENY)],
            ..Default::default()
        };
        assert_eq!(
            authorize(&unnamed, &r).access_denied.unwrap().reason,
            "with an explicit deny in an identity-based policy"
        );
    }

    const ALLOW_GET: &str =
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;

    // IAM User Guide: "Policy evaluation logic"
    #[test]
    fn identity_allow_and_implicit_deny() {
        let set = PolicySet {
            identity: vec![policy("p", ALLOW_GET)],
            ..Default::default()
        };
        let a = authorize(&set, &req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k"));
        assert_eq!(a.decision, Decision::Allow);
        assert_eq!(a.deciding.len(), 1);
        let a = authorize(&set, &req(SESSION, "s3:PutObject", "arn:aws:s3:::b/k"));
        assert_eq!(a.decision, Decision::ImplicitDeny);
        assert_eq!(
            a.access_denied.unwrap().reason,
            "because no identity-based policy allows the s3:PutObject action"
        );
    }

    #[test]
    fn explicit_deny_wins() {
        let set = PolicySet {
            identity: vec![
                policy("p", ALLOW_GET),
                policy("d", r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#),
            ],
            ..Default::default()
        };
        let r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k");
        assert_eq!(authorize_decision(&set, &r), Decision::ExplicitDeny);
        let a = authorize(&set, &r);
        assert_eq!(a.deciding[0].policy_name, "d");
        assert!(a
            .access_denied
            .unwrap()
            .reason
            .contains("explicit deny in an identity-based policy"));
    }

    // IAM User Guide: "Policy evaluation logic" (resource-based policies in the same account)
    #[test]
    fn resource_policy_grants_by_principal_kind() {
        let boundary = policy(
            "b",
            r#"{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}"#,
        );
        let r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k");
        let with = |principal: &str| PolicySet {
            resource: Some(policy(
                "bucket",
                &format!(
                    r#"{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
                ),
            )),
            permission_boundaries: vec![boundary.clone()],
            ..Default::default()
        };
        // naming the session: not limited by the boundary's implicit deny
        assert_eq!(authorize_decision(&with(SESSION), &r), Decision::Allow);
        // naming the role: limited by the boundary
        let a = authorize(&with("arn:aws:iam::111122223333:role/StudioRole"), &r);
        assert_eq!(a.decision, Decision::ImplicitDeny);
        assert!(a
            .access_denied
            .unwrap()
            .reason
            .contains("permissions boundary"));
        // naming the account: identity policies must allow
        let a = authorize(&with("arn:aws:iam::111122223333:root"), &r);
        assert_eq!(a.decision, Decision::ImplicitDeny);
    }

    // IAM User Guide: "IAM role trust policies" (the trust policy must allow)
    #[test]
    fn trust_policy_is_required() {
        let trust = policy(
            "trust",
            r#"{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}"#,
        );
        let set = PolicySet {
            resource: Some(trust),
            ..Default::default()
        };
        let r = req(
            "sagemaker.amazonaws.com",
            "sts:SetSourceIdentity",
            "arn:aws:iam::111122223333:role/StudioRole",
        );
        assert_eq!(authorize_decision(&set, &r), Decision::Allow);
        let r = req(
            "sagemaker.amazonaws.com",
            "sts:TagSession",
            "arn:aws:iam::111122223333:role/StudioRole",
        );
        assert_eq!(authorize_decision(&set, &r), Decision::ImplicitDeny);
        // identity policies alone never let someone assume a role
        let set = PolicySet {
            identity: vec![policy(
                "p",
                r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#,
            )],
            ..Default::default()
        };
        let r = req(
            SESSION,
            "sts:AssumeRole",
            "arn:aws:iam::111122223333:role/Other",
        );
        assert_eq!(authorize_decision(&set, &r), Decision::ImplicitDeny);
    }

    // AWS Organizations User Guide: "SCP evaluation" (every level must allow)
    #[test]
    fn scp_levels() {
        let full = policy(
            "FullAWSAccess",
            r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
        );
        let only_sm = policy(
            "OnlySageMaker",
            r#"{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}"#,
        );
        let set = PolicySet {
            identity: vec![policy("p", ALLOW_GET)],
            scps: vec![vec![full.clone()], vec![only_sm]],
            ..Default::default()
        };
        let r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k");
        let a = authorize(&set, &r);
        assert_eq!(a.decision, Decision::ImplicitDeny);
        assert!(a
            .access_denied
            .unwrap()
            .reason
            .contains("no service control policy allows"));
        let mgmt = PolicySet {
            management_account_id: Some("111122223333".into()),
            ..set
        };
        assert_eq!(authorize_decision(&mgmt, &r), Decision::Allow);
    }

    #[test]
    fn invalid_policies_are_not_evaluated() {
        let set = PolicySet {
            identity: vec![NamedPolicy::from_text(
                "broken",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",}]}"#,
            )],
            ..Default::default()
        };
        let a = authorize(&set, &req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k"));
        assert_eq!(a.decision, Decision::ImplicitDeny);
        assert_eq!(a.explanation.policies[0].status, PolicyStatus::Invalid);
    }

    #[test]
    fn missing_keys_are_reported() {
        let set = PolicySet {
            identity: vec![policy(
                "p",
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:SourceIdentity}/*"}"#,
            )],
            ..Default::default()
        };
        let a = authorize(
            &set,
            &req(SESSION, "s3:GetObject", "arn:aws:s3:::b/alice/k"),
        );
        assert_eq!(a.decision, Decision::ImplicitDeny);
        assert_eq!(a.missing_keys, vec!["aws:SourceIdentity".to_string()]);
        assert!(
            a.explanation.near_misses[0].contains("aws:SourceIdentity"),
            "{:?}",
            a.explanation.near_misses
        );
        let mut r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/alice/k");
        r.context.insert_single("aws:SourceIdentity", "alice");
        assert_eq!(authorize(&set, &r).decision, Decision::Allow);
    }

    // IAM User Guide: "AWS JSON policy elements: Principal" (not allowed in identity-based
    // policies; required in resource-based policies)
    #[test]
    fn policies_invalid_for_their_type_are_not_evaluated() {
        let with_principal = policy(
            "p",
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#,
        );
        assert!(!with_principal.parsed.is_valid_for(PolicyKind::Identity));
        assert!(with_principal.parsed.is_valid_for(PolicyKind::Resource));
        let codes: Vec<String> = with_principal
            .parsed
            .diagnostics_for(PolicyKind::Identity)
            .into_iter()
            .map(|d| d.code)
            .collect();
        assert_eq!(codes, vec!["policy-principal-not-allowed"]);
        let set = PolicySet {
            identity: vec![with_principal],
            ..Default::default()
        };
        let a = authorize(&set, &req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k"));
        assert_eq!(a.decision, Decision::ImplicitDeny);
        assert_eq!(a.explanation.policies[0].status, PolicyStatus::Invalid);
    }

    // IAM User Guide: "Policy evaluation logic" (session policies; GetFederationToken)
    #[test]
    fn federated_user_needs_a_session_policy() {
        let set = PolicySet {
            identity: vec![policy("p", ALLOW_GET)],
            ..Default::default()
        };
        let r = req(
            "arn:aws:sts::111122223333:federated-user/bob",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        );
        let a = authorize(&set, &r);
        assert_eq!(a.decision, Decision::ImplicitDeny);
        assert!(a
            .access_denied
            .unwrap()
            .reason
            .contains("no session policy"));
    }

    // IAM User Guide: "AWS JSON policy elements: Principal" (`{"AWS": "*"}` and `"*"`)
    #[test]
    fn aws_star_includes_anonymous_callers() {
        let set = PolicySet {
            resource: Some(policy(
                "bucket",
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
            )),
            ..Default::default()
        };
        assert_eq!(
            authorize_decision(&set, &req("anonymous", "s3:GetObject", "arn:aws:s3:::b/k")),
            Decision::Allow
        );
    }

    #[test]
    fn fast_and_traced_paths_agree() {
        let set = PolicySet {
            identity: vec![
                policy("p", ALLOW_GET),
                policy(
                    "q",
                    r#"{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"}"#,
                ),
            ],
            resource: Some(policy(
                "bucket",
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}"#,
            )),
            ..Default::default()
        };
        for action in ["s3:GetObject", "s3:PutObject", "s3:ListBucket"] {
            let r = req(SESSION, action, "arn:aws:s3:::b/k");
            assert_eq!(
                authorize_decision(&set, &r),
                authorize(&set, &r).decision,
                "{action}"
            );
        }
    }
}
