//! Rules that need several policies at once: a trust policy and the identity policies of the
//! same role, or tag-based statements and the tagging permissions that could defeat them.

use abacus_policy::ast::{ActionPattern, Effect, Policy, Statement};
use abacus_policy::{Diagnostic, ParsedPolicy, Severity};

use super::codes;
use super::knowledge::Knowledge;
use super::rules::{actions, has_condition_on, uses_resource_tags, variable_keys, MAX_FINDINGS};
use crate::library::PolicyUse;

/// One policy of a set to lint together.
#[derive(Clone, Copy, Debug)]
pub struct LintInput<'a> {
    /// The policy's name in the scenario (findings are reported under it).
    pub id: &'a str,
    /// Where it is attached; `None` infers it from the text.
    pub kind: Option<PolicyUse>,
    /// The parsed policy.
    pub parsed: &'a ParsedPolicy,
}

/// Guesses where a policy is attached: a `Principal` with only `sts:` actions is a trust
/// policy, a `Principal` otherwise a resource policy, else an identity policy.
pub fn infer_use(policy: &Policy) -> PolicyUse {
    let has_principal = policy
        .statements
        .iter()
        .any(|s| s.principal.is_some() || s.not_principal.is_some());
    if !has_principal {
        return PolicyUse::Identity;
    }
    let only_sts = policy.statements.iter().all(|s| {
        actions(s)
            .iter()
            .all(|a| a.value.text.to_ascii_lowercase().starts_with("sts:"))
    });
    if only_sts {
        PolicyUse::Trust
    } else {
        PolicyUse::Resource
    }
}

fn allows(stmt: &Statement, action: &str) -> bool {
    stmt.effect_or_allow() == Effect::Allow && actions(stmt).iter().any(|a| a.value.matches(action))
}

fn references_source_identity(stmt: &Statement) -> bool {
    has_condition_on(stmt, "aws:sourceidentity")
        || variable_keys(stmt)
            .iter()
            .any(|k| k.eq_ignore_ascii_case("aws:SourceIdentity"))
}

/// Runs the cross-policy rules over `inputs`; findings come back with their policy's id.
pub(crate) fn check_set(inputs: &[LintInput<'_>]) -> Vec<(String, Diagnostic)> {
    let policies: Vec<(&LintInput<'_>, &Policy, PolicyUse)> = inputs
        .iter()
        .filter_map(|i| {
            let policy = i.parsed.policy.as_ref()?;
            Some((i, policy, i.kind.unwrap_or_else(|| infer_use(policy))))
        })
        .collect();
    let mut out = Vec::new();
    trust_missing_set_source_identity(&policies, &mut out);
    unrestricted_tagging(&policies, &mut out);
    out
}

// IAM User Guide: "Monitor and control actions taken with assumed roles" — a role
// session gets a source identity only if the trust policy allows `sts:SetSourceIdentity`;
// SageMaker Developer Guide: "Monitoring user resource access from Amazon SageMaker Studio".
fn trust_missing_set_source_identity(
    policies: &[(&LintInput<'_>, &Policy, PolicyUse)],
    out: &mut Vec<(String, Diagnostic)>,
) {
    let uses_source_identity = policies.iter().any(|(_, p, kind)| {
        *kind != PolicyUse::Trust && p.statements.iter().any(references_source_identity)
    });
    if !uses_source_identity {
        return;
    }
    for (input, policy, kind) in policies {
        if *kind != PolicyUse::Trust {
            continue;
        }
        let grants_set = policy
            .statements
            .iter()
            .any(|s| allows(s, "sts:SetSourceIdentity"));
        if grants_set {
            continue;
        }
        let assume = policy.statements.iter().find_map(|s| {
            if s.effect_or_allow() != Effect::Allow {
                return None;
            }
            actions(s).iter().find(|a| {
                a.value
                    .text
                    .to_ascii_lowercase()
                    .starts_with("sts:assumerole")
            })
        });
        let Some(assume) = assume else {
            continue;
        };
        out.push((
            input.id.to_owned(),
            Diagnostic::new(
                &input.parsed.line_index,
                Severity::Warning,
                codes::TRUST_MISSING_SET_SOURCE_IDENTITY,
                assume.span,
                "policies test `aws:SourceIdentity`, but this trust policy does not allow `sts:SetSourceIdentity`: sessions of this role have no source identity and those statements never match".to_owned(),
                "add `sts:SetSourceIdentity` to the trust policy's actions (template trust-sagemaker-source-identity) and set the domain's ExecutionRoleIdentityConfig to USER_PROFILE_NAME",
            ),
        ));
    }
}

/// Is this tagging grant restricted so it cannot re-tag someone else's resource?
fn tagging_is_restricted(stmt: &Statement) -> bool {
    has_condition_on(stmt, "sagemaker:taggingaction")
        || uses_resource_tags(stmt)
        || stmt.conditions.iter().any(|c| {
            c.key_lower == "aws:tagkeys"
                && c.operator.value.set.is_some()
                && !c.operator.value.base.is_negated()
        })
}

/// A deny that stops `action` outside creation (or always).
fn denied_elsewhere(policies: &[(&LintInput<'_>, &Policy, PolicyUse)], action: &str) -> bool {
    policies.iter().any(|(_, p, _)| {
        p.statements.iter().any(|s| {
            s.effect_or_allow() == Effect::Deny
                && actions(s).iter().any(|a| a.value.matches(action))
                && (s.conditions.is_empty()
                    || has_condition_on(s, "sagemaker:taggingaction")
                    || has_condition_on(s, "aws:tagkeys"))
        })
    })
}

// SageMaker Developer Guide and seed 001 ("access to the sagemaker:AddTags action must be
// tightly controlled"): whoever can change a resource's tags can change who owns it.
fn unrestricted_tagging(
    policies: &[(&LintInput<'_>, &Policy, PolicyUse)],
    out: &mut Vec<(String, Diagnostic)>,
) {
    let tag_based = policies.iter().any(|(_, p, kind)| {
        *kind != PolicyUse::Trust
            && p.statements
                .iter()
                .any(|s| s.effect_or_allow() == Effect::Allow && uses_resource_tags(s))
    });
    if !tag_based {
        return;
    }
    let tagging = Knowledge::get().tagging_actions();
    // whether a deny covers a tagging action is decided once per tagging action, and only
    // for those an allowed action item matches (the reference lists hundreds)
    let mut open: Vec<Option<bool>> = vec![None; tagging.len()];
    for (input, policy, kind) in policies {
        if *kind == PolicyUse::Trust {
            continue;
        }
        for stmt in &policy.statements {
            if stmt.effect_or_allow() != Effect::Allow || tagging_is_restricted(stmt) {
                continue;
            }
            for item in actions(stmt) {
                if out.len() >= MAX_FINDINGS {
                    return;
                }
                let mut listed = None;
                for (t, known) in tagging.iter().zip(open.iter_mut()) {
                    if item.value.matches(t)
                        && *known.get_or_insert_with(|| !denied_elsewhere(policies, t))
                    {
                        listed = Some(t.as_str());
                        break;
                    }
                }
                // any other service's `TagResource`, unless a deny covers it
                let other = (listed.is_none()
                    && is_tag_resource(&item.value)
                    && !denied_elsewhere(policies, &item.value.text))
                .then_some(item.value.text.as_str());
                let Some(tag_action) = listed.or(other) else {
                    continue;
                };
                out.push((
                    input.id.to_owned(),
                    Diagnostic::new(
                        &input.parsed.line_index,
                        Severity::Warning,
                        codes::ABAC_UNRESTRICTED_TAGGING,
                        item.span,
                        if item.value.text.eq_ignore_ascii_case(tag_action) {
                            format!("`{tag_action}` is allowed on existing resources while access is decided by resource tags: a user can re-tag a resource to take it over")
                        } else {
                            format!(
                                "`{}` allows `{tag_action}` on existing resources while access is decided by resource tags: a user can re-tag a resource to take it over",
                                item.value.text
                            )
                        },
                        "allow tagging only at creation with `\"Null\": {\"sagemaker:TaggingAction\": \"false\"}` (template addtags-on-create) or deny changing ownership tags (template deny-retag-ownership-tags)",
                    ),
                ));
            }
        }
    }
}

/// `SERVICE:TagResource` for any service (the tagging action most services share).
fn is_tag_resource(pattern: &ActionPattern) -> bool {
    pattern
        .text
        .split_once(':')
        .is_some_and(|(_, name)| name.eq_ignore_ascii_case("TagResource"))
}
