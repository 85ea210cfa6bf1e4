//! The walk over every policy of each type and its statements: which statements apply to
//! the request. On the fast path (tracing off) nothing of the explanation is built, and a
//! policy list stops at its first applicable Deny.

use super::narrowed::Narrowed;
use super::trace::invalid_policy_note;
use super::{NamedPolicy, PolicySet};
use crate::ast::{Effect, Statement};
use crate::explain::{PolicyStatus, PolicyTrace, StatementTrace, Step, StepOutcome};
use crate::kind::PolicyKind;
use crate::principal::{CallerInfo, GrantKind, PrincipalKind};
use crate::request::{Context, ContextValue, Request};
use crate::wildcard::Pattern;
use std::borrow::Cow;

/// Which policy's statements matched, as found by the evaluator.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct PolicyResult {
    pub(super) deny: Option<usize>,
    /// Best allow: its statement index and (resource policies) its grant kind.
    pub(super) allow: Option<(usize, Option<GrantKind>)>,
}

/// Where each policy's result is, by kind and position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) kind: PolicyKind,
    pub(super) level: usize,
    pub(super) index: usize,
}

pub(super) struct Evaluator<'a> {
    pub(super) set: &'a PolicySet,
    pub(super) request: &'a Request,
    pub(super) caller: CallerInfo<'a>,
    /// The request's action, prepared for comparison with each statement's.
    pub(super) probe: ActionProbe,
    /// The position, in [`super::narrowed::policies_in_order`], of the next policy list's
    /// first policy.
    pub(super) next_policy: usize,
    pub(super) context: Cow<'a, Context>,
    pub(super) scratch: Pattern,
    pub(super) tracing: bool,
    pub(super) steps: Vec<Step>,
    pub(super) traces: Vec<PolicyTrace>,
    pub(super) missing: Vec<String>,
    /// (slot, result) for every evaluated policy (tracing only).
    pub(super) results: Vec<(Slot, PolicyResult)>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator of `request` against `set`; with `tracing` it records the explanation.
    pub(super) fn new(set: &'a PolicySet, request: &'a Request, tracing: bool) -> Self {
        let caller = CallerInfo::parse(&request.principal);
        Self {
            set,
            request,
            caller,
            probe: ActionProbe::new(&request.action),
            next_policy: 0,
            context: derived_context(&request.context, &caller),
            scratch: Pattern::default(),
            tracing,
            steps: Vec::new(),
            traces: Vec::new(),
            missing: Vec::new(),
            results: Vec::new(),
        }
    }

    #[inline]
    pub(super) fn step(
        &mut self,
        name: &str,
        outcome: StepOutcome,
        detail: impl FnOnce() -> String,
    ) {
        if self.tracing {
            self.steps.push(Step {
                name: name.to_owned(),
                outcome,
                detail: detail(),
            });
        }
    }

    pub(super) fn service(&self) -> &str {
        service_of(&self.request.action)
    }

    pub(super) fn is_service_linked_role(&self) -> bool {
        let arn = match self.context.get_lowercase("aws:principalarn") {
            Some(ContextValue::Single(s)) => s.as_str(),
            _ => self.caller.arn,
        };
        static SERVICE_ROLE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new(":role/aws-service-role/"));
        SERVICE_ROLE.find(arn.as_bytes()).is_some()
    }

    /// Evaluates every policy of one kind list, each as `statements` says. Returns
    /// per-policy results.
    pub(super) fn eval_list<S: Statements>(
        &mut self,
        statements: &S,
        policies: &'a [NamedPolicy],
        kind: PolicyKind,
        level: Option<usize>,
        applies: Result<(), Cow<'static, str>>,
    ) -> ListResult {
        // the lists are evaluated in the order of `policies_in_order`, each once
        let first = if S::POSITIONS {
            let first = self.next_policy;
            self.next_policy = first.saturating_add(policies.len());
            first
        } else {
            0
        };
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
            let r = statements.eval_policy(self, np, kind, level, first.saturating_add(i));
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
            out.add(i, r);
            if out.deny.is_some() && !self.tracing {
                break;
            }
        }
        out
    }

    /// Evaluates one policy, its statements' trace included when tracing. Inlined into
    /// both instances of [`Evaluator::eval_list`] (see [`Statements`]), as it was into the
    /// one before narrowing.
    #[inline(always)]
    pub(super) fn eval_policy(
        &mut self,
        np: &NamedPolicy,
        kind: PolicyKind,
        level: Option<usize>,
    ) -> PolicyResult {
        let parsed = &np.parsed;
        let mut result = PolicyResult::default();
        if !self.tracing {
            // fast path: no trace structures at all
            let Some(policy) = self.contributing(np, kind) else {
                return result;
            };
            for st in &policy.statements {
                if !self.probe.may_cover(st) {
                    continue; // its actions are all for other services or other names
                }
                let Some(grant) = self.statement_applies(st, kind) else {
                    continue;
                };
                if result.add(st, grant) {
                    return result;
                }
            }
            return result;
        }
        let mut trace = PolicyTrace {
            name: np.name.clone(),
            kind,
            level,
            status: PolicyStatus::NoMatch,
            note: None,
            statements: Vec::new(),
        };
        let policy = match &parsed.policy {
            Some(p) if parsed.is_valid_for(kind) => p,
            _ => {
                trace.status = PolicyStatus::Invalid;
                trace.note = Some(invalid_policy_note(parsed, kind));
                self.traces.push(trace);
                return result;
            }
        };
        for st in &policy.statements {
            let mut st_trace = StatementTrace {
                index: st.index,
                sid: st.sid.as_ref().map(|s| s.value.clone()),
                effect: st.effect_or_allow(),
                span: st.span,
                applies: false,
                grant: None,
                elements: Vec::new(),
                conditions: Vec::new(),
            };
            if let Some(grant) = self.trace_statement(st, kind, &mut st_trace) {
                match st.effect_or_allow() {
                    Effect::Deny => {
                        result.deny.get_or_insert(st.index);
                    }
                    Effect::Allow => {
                        result.allow = better_allow(result.allow, st.index, grant);
                    }
                }
            }
            trace.statements.push(st_trace);
        }
        trace.status = if result.deny.is_some() {
            PolicyStatus::Denies
        } else if result.allow.is_some() {
            PolicyStatus::Allows
        } else {
            PolicyStatus::NoMatch
        };
        self.traces.push(trace);
        result
    }

    /// The fast path's result of one policy of a set narrowed to the action: its
    /// statements that `narrowed` lists for it (those whose actions cover the request's).
    /// `None` when the list does not fit the policy (it is then not used).
    pub(super) fn eval_listed(
        &mut self,
        np: &NamedPolicy,
        kind: PolicyKind,
        narrowed: Narrowed<'_>,
        position: usize,
    ) -> Option<PolicyResult> {
        let mut result = PolicyResult::default();
        let statements = np.parsed.policy.as_ref().map_or(&[][..], |p| &p.statements);
        let listed = narrowed.statements(position, statements.len())?;
        if self.contributing(np, kind).is_none() {
            return Some(result);
        }
        for st in listed.iter().filter_map(|&k| statements.get(k)) {
            let Some(grant) = self.applies_to_action(st, kind) else {
                continue;
            };
            if result.add(st, grant) {
                break;
            }
        }
        Some(result)
    }

    /// Fast path: the policy of `np`, unless it contributes nothing to a request of this
    /// action either way (it did not parse, its statements are all for other services, or
    /// it is invalid for its type): the one-AND service filter comes before the validity
    /// checks.
    #[inline(always)]
    fn contributing<'p>(
        &self,
        np: &'p NamedPolicy,
        kind: PolicyKind,
    ) -> Option<&'p crate::ast::Policy> {
        let parsed = &np.parsed;
        let policy = parsed.policy.as_ref()?;
        (policy.service_filter & self.probe.service_bit != 0 && parsed.is_valid_for(kind))
            .then_some(policy)
    }

    pub(super) fn note_missing(&mut self, key: &str) {
        if !self.missing.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            self.missing.push(key.to_owned());
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ListResult {
    pub(super) deny: Option<usize>,
    pub(super) any_allow: bool,
    pub(super) best_grant: Option<Option<GrantKind>>,
}

/// Which statements of each policy an evaluation visits: [`Every`] one, or for a set
/// narrowed to the action ([`Narrowed`]) those that cover it. A type parameter, so that
/// the loop over every statement is compiled as it was before narrowing (sharing the
/// inlined matching with the narrowed loop cost the bench's decisions about 400
/// instructions each, callgrind).
pub(super) trait Statements {
    /// Whether [`Statements::eval_policy`] reads the policy's position (counting them
    /// costs the bench's decisions 50 instructions each).
    const POSITIONS: bool;

    /// The result of the policy `np` at `position` in
    /// [`super::narrowed::policies_in_order`].
    fn eval_policy(
        &self,
        ev: &mut Evaluator<'_>,
        np: &NamedPolicy,
        kind: PolicyKind,
        level: Option<usize>,
        position: usize,
    ) -> PolicyResult;
}

/// Every statement of every policy.
pub(super) struct Every;

impl Statements for Every {
    const POSITIONS: bool = false;

    #[inline(always)]
    fn eval_policy(
        &self,
        ev: &mut Evaluator<'_>,
        np: &NamedPolicy,
        kind: PolicyKind,
        level: Option<usize>,
        _position: usize,
    ) -> PolicyResult {
        ev.eval_policy(np, kind, level)
    }
}

impl Statements for Narrowed<'_> {
    const POSITIONS: bool = true;

    fn eval_policy(
        &self,
        ev: &mut Evaluator<'_>,
        np: &NamedPolicy,
        kind: PolicyKind,
        level: Option<usize>,
        position: usize,
    ) -> PolicyResult {
        if !ev.tracing {
            if let Some(r) = ev.eval_listed(np, kind, *self, position) {
                return r;
            }
        }
        // traced, or a list that does not fit the policy (it is not used)
        ev.eval_policy(np, kind, level)
    }
}

impl ListResult {
    /// Adds the result of the list's policy `i`.
    #[inline]
    fn add(&mut self, i: usize, r: PolicyResult) {
        if r.deny.is_some() && self.deny.is_none() {
            self.deny = Some(i);
        }
        if let Some((_, g)) = r.allow {
            self.any_allow = true;
            let rank = |g: Option<GrantKind>| match g {
                Some(GrantKind::Direct | GrantKind::Everyone) | None => 0,
                Some(GrantKind::Role) => 1,
                Some(GrantKind::Account) => 2,
            };
            if self.best_grant.is_none() || rank(g) < rank(self.best_grant.flatten()) {
                self.best_grant = Some(g);
            }
        }
    }
}

impl PolicyResult {
    /// Fast path: adds a statement that applies, with its grant; true when it denies (the
    /// policy's result is then decided).
    #[inline(always)]
    fn add(&mut self, st: &Statement, grant: Option<GrantKind>) -> bool {
        if st.effect_or_allow() == Effect::Deny {
            self.deny = Some(st.index);
            return true;
        }
        self.allow = better_allow(self.allow, st.index, grant);
        false
    }
}

/// Keeps the strongest grant: one naming the caller (or everyone) beats one naming the
/// role, which beats one naming the account.
pub(super) fn better_allow(
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

/// `sagemaker` of `sagemaker:CreateTrainingJob`.
pub(super) fn service_of(action: &str) -> &str {
    crate::principal::split_byte(action, b':').map_or(action, |(s, _)| s)
}

/// An action prepared for comparison with every statement's `Action` or `NotAction`: the
/// filter bits and the folded text.
#[derive(Clone, Copy)]
pub(super) struct ActionProbe {
    /// The action's first sixteen bytes as a word, for quick rejects.
    pub(super) head: u128,
    /// The action folded to lowercase, compared with each action pattern.
    pub(super) lower: FoldedAction,
    /// The action's service bit, against [`crate::ast::Statement::service_filter`].
    pub(super) service_bit: u64,
    /// The action's bit against [`crate::ast::Statement::action_filter`].
    pub(super) action_bit: u64,
}

impl ActionProbe {
    pub(super) fn new(action: &str) -> Self {
        let (service_bit, action_bit) = crate::ast::action_bits(action);
        ActionProbe {
            head: crate::wildcard::head_word(action),
            lower: FoldedAction::new(action),
            service_bit,
            action_bit,
        }
    }

    /// False when the statement's filters rule the action out (its actions are all for
    /// other services, or other leading bytes of the name); true when they may cover it.
    #[inline]
    pub(super) fn may_cover(&self, st: &Statement) -> bool {
        st.service_filter & self.service_bit != 0 && st.action_filter & self.action_bit != 0
    }
}

/// An action folded to lowercase without allocating: actions are short (the longest in
/// the committed Service Authorization Reference data,
/// `license-manager-linux-subscriptions:ListRegisteredSubscriptionProviders`, is 71
/// bytes); a longer one is not folded and is matched ignoring case instead.
#[derive(Clone, Copy)]
pub(super) struct FoldedAction {
    bytes: [u8; FoldedAction::MAX],
    len: usize,
}

impl FoldedAction {
    const MAX: usize = 128;

    fn new(action: &str) -> Self {
        let mut bytes = [0u8; Self::MAX];
        let len = match bytes.get_mut(..action.len()) {
            Some(dst) => {
                dst.copy_from_slice(action.as_bytes());
                dst.make_ascii_lowercase();
                action.len()
            }
            None => usize::MAX,
        };
        FoldedAction { bytes, len }
    }

    /// The folded action; `None` when it was too long to fold.
    pub(super) fn get(&self) -> Option<&[u8]> {
        self.bytes.get(..self.len)
    }
}

/// Adds the keys AWS puts in every authenticated request when the caller's context
/// lacks them: `aws:PrincipalArn`, `aws:PrincipalAccount`, and `aws:username` for IAM
/// users (IAM User Guide: "AWS global condition context keys").
pub(super) fn derived_context<'c>(ctx: &'c Context, caller: &CallerInfo<'_>) -> Cow<'c, Context> {
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
