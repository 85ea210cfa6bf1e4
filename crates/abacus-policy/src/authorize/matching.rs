//! Matching one statement's elements against the request: `Principal` / `NotPrincipal`
//! (resource-based policies), `Action` / `NotAction` and `Resource` / `NotResource`, with
//! the element traces of the explanation when tracing.

use super::evaluator::Evaluator;
use crate::ast::{Effect, PrincipalSpec, Statement};
use crate::explain::{ElementTrace, StatementTrace, ValueTrace};
use crate::principal::{match_principal, not_principal_lists, GrantKind, PrincipalKind};
use std::borrow::Cow;

impl Evaluator<'_> {
    pub(super) fn eval_principal(
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

    pub(super) fn eval_action(
        &mut self,
        st: &Statement,
        trace: Option<&mut StatementTrace>,
    ) -> bool {
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

    pub(super) fn eval_resource(
        &mut self,
        st: &Statement,
        trace: Option<&mut StatementTrace>,
    ) -> bool {
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
}
