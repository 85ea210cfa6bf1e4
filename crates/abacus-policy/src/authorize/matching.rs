//! Matching one statement against the request: `Principal` / `NotPrincipal` (resource-based
//! policies), `Action` / `NotAction`, `Resource` / `NotResource`, then the conditions. When
//! tracing, each element and condition also records its part of the explanation (built by
//! [`super::trace`]); the fast path stops at the first element that does not match and
//! allocates nothing.

use super::evaluator::{ActionProbe, Evaluator};
use super::trace;
use crate::ast::{Effect, Statement};
use crate::conditions;
use crate::explain::{ElementTrace, StatementTrace, ValueTrace};
use crate::kind::PolicyKind;
use crate::principal::{match_principal, not_principal_lists, GrantKind, PrincipalKind};
use std::borrow::Cow;

impl Evaluator<'_> {
    /// Fast path: `None` when the statement does not apply; `Some(grant)` when it does
    /// (the grant kind only for resource-based policies). Stops at the first element that
    /// does not match, in the order principal, action, resource, conditions.
    pub(super) fn statement_applies(
        &mut self,
        st: &Statement,
        kind: PolicyKind,
    ) -> Option<Option<GrantKind>> {
        let grant = self.principal_grant(st, kind)?;
        (self.action_matches(st) && self.resource_matches::<false>(st) && self.conditions_hold(st))
            .then_some(grant)
    }

    /// [`Evaluator::statement_applies`] for a statement whose `Action` or `NotAction` covers
    /// the request's action (of a set narrowed to it): principal, resource, conditions.
    pub(super) fn applies_to_action(
        &mut self,
        st: &Statement,
        kind: PolicyKind,
    ) -> Option<Option<GrantKind>> {
        let grant = self.principal_grant(st, kind)?;
        (self.resource_matches::<true>(st) && self.conditions_hold(st)).then_some(grant)
    }

    /// Fast path: the `Principal` (resource-based policies only; RCPs always use "*"):
    /// `None` when it leaves the caller out, else the grant kind (`Some(None)` for other
    /// policy types). Inlined, as it was when written in [`Evaluator::statement_applies`].
    #[inline(always)]
    fn principal_grant(&mut self, st: &Statement, kind: PolicyKind) -> Option<Option<GrantKind>> {
        if kind != PolicyKind::Resource {
            return Some(None);
        }
        let (matched, grant) = self.eval_principal(st, None);
        matched.then_some(grant)
    }

    /// [`Evaluator::statement_applies`] with every element and condition traced into `t`
    /// (past a mismatch too, so that the explanation is complete), except that a statement
    /// for other actions is explained by its Action alone (this also keeps traced
    /// evaluation fast for large policy sets).
    pub(super) fn trace_statement(
        &mut self,
        st: &Statement,
        kind: PolicyKind,
        t: &mut StatementTrace,
    ) -> Option<Option<GrantKind>> {
        let mut ok = true;
        let mut grant = None;
        if kind == PolicyKind::Resource {
            let (matched, g) = self.eval_principal(st, Some(&mut *t));
            ok &= matched;
            grant = g;
        }
        if !self.trace_action(st, t) {
            t.applies = false;
            return None;
        }
        ok &= self.trace_resource(st, t);
        ok &= self.trace_conditions(st, ok, t);
        t.applies = ok;
        t.grant = grant;
        ok.then_some(grant)
    }

    /// Fast path: do all of the statement's conditions hold?
    fn conditions_hold(&mut self, st: &Statement) -> bool {
        st.conditions
            .iter()
            .all(|c| conditions::evaluate_with(c, &self.context, &mut self.scratch).is_match())
    }

    /// Traced: evaluates every condition into `t`, noting the keys the request lacks when
    /// the statement's elements match (`relevant`: then the conditions decide).
    fn trace_conditions(&mut self, st: &Statement, relevant: bool, t: &mut StatementTrace) -> bool {
        let mut ok = true;
        for c in &st.conditions {
            let present = self.context.get_lowercase(&c.key_lower).is_some();
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
            t.conditions
                .push(trace::condition_trace(c, &self.context, outcome, values));
        }
        ok
    }

    /// `Principal` / `NotPrincipal`: whether the statement applies to the caller, and how
    /// strongly it grants (see [`GrantKind`]).
    pub(super) fn eval_principal(
        &mut self,
        st: &Statement,
        trace: Option<&mut StatementTrace>,
    ) -> (bool, Option<GrantKind>) {
        let caller = self.caller;
        let (negated, principal) = match (&st.principal, &st.not_principal) {
            (Some(p), _) => (false, p),
            (None, Some(p)) => (true, p),
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
        let boundary_override = negated
            && st.effect_or_allow() == Effect::Deny
            && !self.set.permission_boundaries.is_empty()
            && matches!(
                caller.kind,
                PrincipalKind::User | PrincipalKind::Role | PrincipalKind::RoleSession
            );
        let (matched, grant) = if !negated {
            (found.is_some(), found.map(|(g, _)| g))
        } else if boundary_override {
            (true, Some(GrantKind::Everyone))
        } else {
            let listed = not_principal_lists(&principal.spec, &caller);
            (!listed, (!listed).then_some(GrantKind::Everyone))
        };
        if let Some(t) = trace {
            t.elements.push(ElementTrace {
                element: if negated { "NotPrincipal" } else { "Principal" }.into(),
                request_value: caller.arn.to_owned(),
                matched,
                span: principal.span,
                values: trace::principal_values(principal, found.map(|(_, i)| i)),
                detail: trace::principal_detail(
                    &caller,
                    negated,
                    boundary_override,
                    matched,
                    found.map(|(g, _)| g),
                ),
            });
        }
        (matched, grant)
    }

    /// `Action` / `NotAction`: does the statement cover the request's action?
    fn action_matches(&self, st: &Statement) -> bool {
        covers_action(&self.probe, self.request.action.as_str(), st)
    }

    /// [`Evaluator::action_matches`], traced into `t`.
    fn trace_action(&self, st: &Statement, t: &mut StatementTrace) -> bool {
        let action = self.request.action.as_str();
        let (element, list, negated) = match (&st.action, &st.not_action) {
            (Some(l), _) => ("Action", l, false),
            (None, Some(l)) => ("NotAction", l, true),
            (None, None) => return false,
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
        let listed = values.iter().any(|v| v.matched);
        let matched = listed != negated;
        t.elements.push(ElementTrace {
            element: element.into(),
            request_value: action.to_owned(),
            matched,
            span: list.span,
            values,
            detail: trace::action_detail(action, negated, listed),
        });
        matched
    }

    /// `Resource` / `NotResource`: does the statement cover the request's resource? A
    /// statement without either (a trust policy's) covers the resource it is attached to.
    ///
    /// `QUICK`: a value with variables is first checked for its literal ARN fields
    /// ([`crate::variables::Template::may_match_resource`]). The narrowed sets' decisions
    /// do so (a set narrowed to an action decides it for many resources, most of which a
    /// value's literal fields rule out: 5% of the large world's matrix decisions); the
    /// loop over every statement does not (in the bench, where the fields match, the check
    /// cost 43 instructions a decision).
    fn resource_matches<const QUICK: bool>(&mut self, st: &Statement) -> bool {
        let (list, negated) = match (&st.resource, &st.not_resource) {
            (Some(l), _) => (l, false),
            (None, Some(l)) => (l, true),
            (None, None) => return true,
        };
        let resource = self.request.resource.as_str();
        let listed = list.items.iter().any(|r| {
            let template = &r.value.template;
            match template.fixed_pattern() {
                Some(p) => p.matches_resource(resource),
                // a value with variables but no wildcards is compared without building it
                None if !template.has_wildcards() => {
                    template.equals(&self.context, resource) == Some(true)
                }
                // a resource without the value's literal ARN fields cannot match it,
                // whatever its variables hold: rejected before the value is resolved
                None => {
                    (!QUICK || template.may_match_resource(resource))
                        && template.resolve_pattern_into(&self.context, &mut self.scratch)
                        && self.scratch.matches_resource(resource)
                }
            }
        });
        listed != negated
    }

    /// [`Evaluator::resource_matches`], traced into `t`.
    fn trace_resource(&mut self, st: &Statement, t: &mut StatementTrace) -> bool {
        let (element, list, negated) = match (&st.resource, &st.not_resource) {
            (Some(l), _) => ("Resource", l, false),
            (None, Some(l)) => ("NotResource", l, true),
            (None, None) => {
                t.elements.push(ElementTrace {
                    element: "Resource".into(),
                    request_value: self.request.resource.clone(),
                    matched: true,
                    span: st.span,
                    values: Vec::new(),
                    detail: "no Resource element: the statement covers the resource the policy is attached to".into(),
                });
                return true;
            }
        };
        let resource = self.request.resource.as_str();
        let mut values = Vec::with_capacity(list.items.len());
        for r in &list.items {
            let template = &r.value.template;
            let (hit, resolved, note) = match template.fixed_pattern() {
                Some(p) => (p.matches_resource(resource), None, None),
                None => match template.resolve_pattern(&self.context, &mut self.scratch) {
                    Ok(()) => {
                        let hit = self.scratch.matches_resource(resource);
                        let resolved = template
                            .resolve_string(&self.context)
                            .map(Cow::into_owned)
                            .ok();
                        (hit, resolved, None)
                    }
                    Err(u) => {
                        if u.is_missing() {
                            self.note_missing(&u.key);
                        }
                        (false, None, Some(trace::unresolved_resource_note(&u)))
                    }
                },
            };
            values.push(ValueTrace {
                written: r.value.text.clone(),
                resolved,
                matched: hit,
                span: r.span,
                note,
            });
        }
        let listed = values.iter().any(|v| v.matched);
        let matched = listed != negated;
        t.elements.push(ElementTrace {
            element: element.into(),
            request_value: resource.to_owned(),
            matched,
            span: list.span,
            detail: trace::resource_detail(resource, negated, listed, &values),
            values,
        });
        matched
    }
}

/// `Action` / `NotAction`: does the statement cover `action` (prepared as `probe`)?
/// Inlined into the evaluator's loop, as the rest of a statement's matching is.
#[inline(always)]
pub(super) fn covers_action(probe: &ActionProbe, action: &str, st: &Statement) -> bool {
    let (list, negated) = match (&st.action, &st.not_action) {
        (Some(l), _) => (l, false),
        (None, Some(l)) => (l, true),
        (None, None) => return false,
    };
    let head = probe.head;
    // the branch is taken once, outside the loop over the patterns (14 instructions a
    // decision of the bench, measured)
    let listed = match probe.lower.get() {
        Some(lower) => list
            .items
            .iter()
            .any(|a| a.value.matches_folded(action, lower, head)),
        None => list
            .items
            .iter()
            .any(|a| a.value.matches_with_head(action, head)),
    };
    listed != negated
}
