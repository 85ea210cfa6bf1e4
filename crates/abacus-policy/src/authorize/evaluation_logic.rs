//! AWS's policy evaluation logic across policy types (see the [module docs](super)): the
//! applicability of each type, deny evaluation, the organization gates, the resource-based
//! policy, identity-based policies, then the permissions boundary and session policy.

use super::evaluator::{Evaluator, Statements};
use super::StatementRef;
use crate::access_denied::DenyReason;
use crate::decision::Decision;
use crate::explain::StepOutcome;
use crate::kind::{is_trust_action, PolicyKind};
use crate::principal::{GrantKind, PrincipalKind};
use crate::request::{ContextValue, Request};
use std::borrow::Cow;

// Services whose actions RCPs apply to come from the reference data (AWS Organizations User
// Guide: "Resource control policies (RCPs)", list of AWS services that support RCPs).
use abacus_reference::RCP_SERVICES;

/// The outcome of the logic, before presentation.
pub(super) struct Verdict {
    pub(super) decision: Decision,
    pub(super) reason: Option<DenyReason>,
    pub(super) allow_summary: String,
    /// Which policy types' allows were needed (for `deciding`).
    pub(super) needed: Vec<PolicyKind>,
}

impl Evaluator<'_> {
    /// Records the SCP or RCP step and returns the implicit deny when some organization
    /// level (root first) has no policy of `kind` that allows the request.
    pub(super) fn organization_gate(
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

    /// The decision, visiting the statements of each policy that `statements` says.
    pub(super) fn run<S: Statements>(&mut self, statements: &S) -> Verdict {
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
            let r = self.eval_list(
                statements,
                policies,
                PolicyKind::Scp,
                Some(level),
                scp_applies.clone(),
            );
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
            let r = self.eval_list(
                statements,
                policies,
                PolicyKind::Rcp,
                Some(level),
                rcp_applies.clone(),
            );
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
            statements,
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
        let resource = self.eval_list(
            statements,
            resource_policies,
            PolicyKind::Resource,
            None,
            Ok(()),
        );
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
            statements,
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
            statements,
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
    pub(super) fn allowed(
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

    pub(super) fn denied(&self, kind: PolicyKind, _action: &str) -> Verdict {
        Verdict {
            decision: Decision::ExplicitDeny,
            reason: Some(DenyReason::Explicit(kind)),
            allow_summary: String::new(),
            needed: vec![kind],
        }
    }

    /// The statements that decided the verdict (tracing only).
    pub(super) fn deciding(&self, verdict: &Verdict) -> Vec<StatementRef> {
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
