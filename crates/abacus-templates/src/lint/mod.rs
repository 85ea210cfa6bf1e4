//! The ABAC linter: the mistakes attribute-based designs typically make, each with a code,
//! a severity, a span and a help text, as [`Diagnostic`]s like the parser's.
//!
//! [`lint_policy`] lints one policy text (parser findings included); [`lint_set`] and
//! [`lint_scenario`] lint several policies together, which the cross-policy rules need
//! (trust policy vs `aws:SourceIdentity`, tagging permissions vs tag-based access).

mod cross;
pub mod knowledge;
mod reference_rules;
mod rules;
mod summary;

use abacus_policy::order;
use abacus_policy::{parse_policy, Diagnostic, ParsedPolicy, Severity};
use abacus_studio::model::ExecutionRoleIdentityConfig;
use abacus_studio::scenario::{PolicyKind, Scenario};
use serde::Serialize;
use std::sync::Arc;

use crate::library::PolicyUse;

pub use cross::{infer_use, LintInput};
pub use summary::{summarize, Grant, PolicySummary, ServiceSummary};

/// The rule codes.
pub mod codes {
    /// Tagging allowed without restriction while access depends on resource tags.
    pub const ABAC_UNRESTRICTED_TAGGING: &str = "abac-unrestricted-tagging";
    /// `aws:SourceIdentity` used, but the trust policy lacks `sts:SetSourceIdentity`.
    pub const TRUST_MISSING_SET_SOURCE_IDENTITY: &str = "trust-missing-set-source-identity";
    /// Variables in a policy without `"Version": "2012-10-17"` (reported by the parser).
    pub const VARIABLE_WITHOUT_VERSION: &str =
        abacus_policy::codes::Code::PolicyVariableWithoutVersion.as_str();
    /// S3 object actions on bucket-only resources.
    pub const OBJECT_ACTION_ON_BUCKET_ARN: &str = "s3-object-action-on-bucket-arn";
    /// `NotPrincipal` with `Allow`.
    pub const NOT_PRINCIPAL_WITH_ALLOW: &str = "not-principal-with-allow";
    /// `NotAction` with `Allow` and `"Resource": "*"`.
    pub const NOT_ACTION_ALLOW_ALL: &str = "not-action-allow-all-resources";
    /// `ForAllValues`/`ForAnyValue` on a single-valued key.
    pub const SET_OPERATOR_SINGLE_VALUED: &str = "set-operator-on-single-valued-key";
    /// A plain operator (no `ForAllValues`/`ForAnyValue`) on a multivalued key.
    pub const MULTIVALUED_WITHOUT_SET_OPERATOR: &str = "multivalued-key-without-set-operator";
    /// Negated operator in an `Allow` on a key that may be missing.
    pub const NEGATED_MISSING_KEY: &str = "negated-operator-missing-key";
    /// `ForAllValues` in an `Allow` without a `Null` guard.
    pub const FOR_ALL_VALUES_MISSING_KEY: &str = "for-all-values-missing-key";
    /// `StringEquals` with `*` or `?`.
    pub const STRING_EQUALS_WILDCARD: &str = "string-equals-wildcard";
    /// A key the service does not define.
    pub const UNKNOWN_CONDITION_KEY: &str = "unknown-condition-key";
    /// A service key used with another service's actions.
    pub const CONDITION_KEY_SERVICE_MISMATCH: &str = "condition-key-service-mismatch";
    /// `*` or `service:*` in an attribute-based statement.
    pub const BROAD_ACTION_IN_ABAC: &str = "broad-action-in-abac";
    /// `aws:SourceIdentity` tested on a Studio execution role of a domain that sets none.
    pub const SOURCE_IDENTITY_DISABLED: &str = "domain-source-identity-disabled";
    /// `sagemaker:UserProfileName`/`DomainId` used for an action that lacks them.
    pub const CONTEXT_KEY_ABSENT: &str = "sagemaker-context-key-absent";
    /// An unknown service prefix or action name (Service Authorization Reference).
    pub const UNKNOWN_ACTION: &str = "unknown-action";
    /// A wildcard action that matches no action of its service.
    pub const WILDCARD_MATCHES_NO_ACTION: &str = "action-wildcard-matches-nothing";
    /// A condition key that none of the statement's actions can carry.
    pub const KEY_NOT_APPLICABLE: &str = "condition-key-not-applicable";
    /// A typed operator (Date, Numeric, Bool, IpAddress, Arn, Binary) on a key of another type.
    pub const OPERATOR_TYPE_MISMATCH: &str = "operator-type-mismatch";
    /// An action whose resource types no `Resource` of the statement can name.
    pub const RESOURCE_TYPE_MISMATCH: &str = "resource-type-mismatch";
}

/// A rule's documentation, for `abacus lint --rules` and the web app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// The code its findings carry.
    pub code: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// Whether it needs several policies (a scenario) to fire.
    pub cross_policy: bool,
    /// What it catches.
    pub summary: &'static str,
}

/// Every rule.
pub const RULES: &[RuleInfo] = &[
    RuleInfo { code: codes::ABAC_UNRESTRICTED_TAGGING, severity: Severity::Warning, cross_policy: true, summary: "tagging actions (sagemaker:AddTags, *:TagResource) allowed without a sagemaker:TaggingAction or resource-tag condition while access is decided by resource tags: re-tagging takes a resource over" },
    RuleInfo { code: codes::TRUST_MISSING_SET_SOURCE_IDENTITY, severity: Severity::Warning, cross_policy: true, summary: "policies test aws:SourceIdentity but the role's trust policy does not allow sts:SetSourceIdentity" },
    RuleInfo { code: codes::SOURCE_IDENTITY_DISABLED, severity: Severity::Warning, cross_policy: true, summary: "a policy of a Studio execution role tests aws:SourceIdentity, but the domain's ExecutionRoleIdentityConfig is DISABLED, so Studio sessions carry none" },
    RuleInfo { code: codes::VARIABLE_WITHOUT_VERSION, severity: Severity::Warning, cross_policy: false, summary: "${...} in a policy without \"Version\": \"2012-10-17\" is literal text (reported by the parser)" },
    RuleInfo { code: codes::OBJECT_ACTION_ON_BUCKET_ARN, severity: Severity::Warning, cross_policy: false, summary: "S3 object actions whose Resource is only a bucket ARN never match" },
    RuleInfo { code: codes::NOT_PRINCIPAL_WITH_ALLOW, severity: Severity::Error, cross_policy: false, summary: "NotPrincipal with Allow is not supported" },
    RuleInfo { code: codes::NOT_ACTION_ALLOW_ALL, severity: Severity::Warning, cross_policy: false, summary: "NotAction with Allow on Resource \"*\" allows everything else" },
    RuleInfo { code: codes::SET_OPERATOR_SINGLE_VALUED, severity: Severity::Warning, cross_policy: false, summary: "ForAllValues/ForAnyValue on a single-valued key" },
    RuleInfo { code: codes::MULTIVALUED_WITHOUT_SET_OPERATOR, severity: Severity::Warning, cross_policy: false, summary: "a multivalued key compared without ForAllValues/ForAnyValue" },
    RuleInfo { code: codes::NEGATED_MISSING_KEY, severity: Severity::Warning, cross_policy: false, summary: "a negated operator in an Allow is true when the key is missing" },
    RuleInfo { code: codes::FOR_ALL_VALUES_MISSING_KEY, severity: Severity::Info, cross_policy: false, summary: "ForAllValues in an Allow is true when the key is missing or empty" },
    RuleInfo { code: codes::STRING_EQUALS_WILDCARD, severity: Severity::Warning, cross_policy: false, summary: "StringEquals does not interpret * and ?" },
    RuleInfo { code: codes::UNKNOWN_CONDITION_KEY, severity: Severity::Warning, cross_policy: false, summary: "a condition key the service does not define" },
    RuleInfo { code: codes::CONDITION_KEY_SERVICE_MISMATCH, severity: Severity::Warning, cross_policy: false, summary: "a service's condition key used only with other services' actions" },
    RuleInfo { code: codes::BROAD_ACTION_IN_ABAC, severity: Severity::Warning, cross_policy: false, summary: "* or service:* actions in an attribute-based statement" },
    RuleInfo { code: codes::UNKNOWN_ACTION, severity: Severity::Warning, cross_policy: false, summary: "a service prefix or action the Service Authorization Reference does not list (with the nearest real names)" },
    RuleInfo { code: codes::WILDCARD_MATCHES_NO_ACTION, severity: Severity::Warning, cross_policy: false, summary: "a wildcard action that matches no action of its service" },
    RuleInfo { code: codes::KEY_NOT_APPLICABLE, severity: Severity::Warning, cross_policy: false, summary: "a condition key that none of the statement's actions can carry: with a positive operator the statement never applies; negated or IfExists, the key is always absent (aws:ResourceTag on create actions: use aws:RequestTag)" },
    RuleInfo { code: codes::OPERATOR_TYPE_MISMATCH, severity: Severity::Warning, cross_policy: false, summary: "a Date, Numeric, Bool, IpAddress, Arn or Binary operator on a key of another type" },
    RuleInfo { code: codes::RESOURCE_TYPE_MISMATCH, severity: Severity::Warning, cross_policy: false, summary: "an action whose resource types no Resource of the statement can name (or a specific Resource for an action that supports only *)" },
    RuleInfo { code: codes::CONTEXT_KEY_ABSENT, severity: Severity::Warning, cross_policy: false, summary: "${sagemaker:UserProfileName} or ${sagemaker:DomainId} used for an action whose requests lack the key" },
];

/// Lints one policy text: the parser's diagnostics, then the single-policy rules and the
/// cross-policy rules applied to this policy alone. Sorted by position.
pub fn lint_policy(text: &str) -> Vec<Diagnostic> {
    let parsed = parse_policy(text);
    let mut out = parsed.diagnostics.clone();
    out.extend(lint_parsed(&parsed));
    sort(&mut out);
    out
}

/// The lint findings (no parser diagnostics) for one parsed policy.
pub fn lint_parsed(parsed: &ParsedPolicy) -> Vec<Diagnostic> {
    let input = LintInput {
        id: "",
        kind: None,
        parsed,
    };
    lint_set(&[input]).into_iter().map(|(_, d)| d).collect()
}

/// Lints several policies together: each one's single-policy findings plus the
/// cross-policy findings, each with the id of the policy it points into.
pub fn lint_set(inputs: &[LintInput<'_>]) -> Vec<(String, Diagnostic)> {
    let mut out = Vec::new();
    for input in inputs {
        let Some(policy) = &input.parsed.policy else {
            continue;
        };
        let mut sink = rules::Sink {
            index: &input.parsed.line_index,
            out: Vec::new(),
        };
        rules::check_policy(policy, &mut sink);
        out.extend(sink.out.into_iter().map(|d| (input.id.to_owned(), d)));
    }
    out.extend(cross::check_set(inputs));
    order::sort_by(&mut out, |a, b| {
        (&a.0, a.1.span.start, &a.1.code).cmp(&(&b.0, b.1.span.start, &b.1.code))
    });
    out
}

/// Lints a scenario: every policy's parser diagnostics and single-policy findings, plus the
/// cross-policy rules over each role's policies (its trust policy and everything attached
/// to it) and over each IAM user's policies. Findings come back with their policy's id,
/// grouped by policy in document order. Parses every policy: a caller that already holds
/// them parsed calls [`lint_scenario_parsed`].
pub fn lint_scenario(scenario: &Scenario) -> Vec<(String, Diagnostic)> {
    let parsed: Vec<ParsedPolicy> = scenario
        .policies
        .iter()
        .map(|p| parse_policy(&p.text))
        .collect();
    let refs: Vec<&ParsedPolicy> = parsed.iter().collect();
    lint_scenario_parsed(scenario, &refs)
}

/// [`lint_scenario`] of already parsed policies: `parsed[i]` is `scenario.policies[i]`
/// parsed (policies without a parsed counterpart are not linted).
pub fn lint_scenario_parsed(
    scenario: &Scenario,
    parsed: &[&ParsedPolicy],
) -> Vec<(String, Diagnostic)> {
    let mut found: Vec<(String, Diagnostic)> = Vec::new();
    for (entry, parsed) in scenario.policies.iter().zip(parsed) {
        found.extend(
            lint_entry(entry.kind, parsed)
                .into_iter()
                .map(|d| (entry.id.clone(), d)),
        );
    }
    found.extend(lint_scenario_cross(scenario, parsed));
    sort_scenario_findings(scenario, &mut found);
    found
}

/// The findings of one policy of a scenario on its own, as [`lint_scenario`] reports them:
/// its parser diagnostics, the single-policy rules and the cross-policy rules applied to it
/// alone. They depend only on the kind and the text (and the reference data loaded), so a
/// caller may keep them per text.
pub fn lint_entry(kind: PolicyKind, parsed: &ParsedPolicy) -> Vec<Diagnostic> {
    let input = LintInput {
        id: "",
        kind: Some(use_of(kind)),
        parsed,
    };
    let mut out = parsed.diagnostics.clone();
    out.extend(lint_set(&[input]).into_iter().map(|(_, d)| d));
    out
}

/// The findings of [`lint_scenario`] that need several policies of the scenario: the
/// cross-policy rules over each principal's policies and the domain's source identity
/// setting. `parsed[i]` is `scenario.policies[i]` parsed.
pub fn lint_scenario_cross(
    scenario: &Scenario,
    parsed: &[&ParsedPolicy],
) -> Vec<(String, Diagnostic)> {
    let inputs = lint_inputs(scenario, parsed);
    let mut found: Vec<(String, Diagnostic)> = Vec::new();
    for principal in principals(scenario) {
        let group: Vec<LintInput<'_>> = scenario
            .policies
            .iter()
            .zip(&inputs)
            .filter(|(entry, _)| entry.attached_to.iter().any(|t| t == principal))
            .map(|(_, input)| *input)
            .collect();
        if group.len() > 1 {
            found.extend(cross::check_set(&group));
        }
    }
    found.extend(source_identity_disabled(scenario, &inputs));
    found
}

/// Sorts findings as [`lint_scenario`] returns them (by policy in document order, then by
/// position and code) and drops repeats.
pub fn sort_scenario_findings(scenario: &Scenario, found: &mut Vec<(String, Diagnostic)>) {
    // the first policy with each id (ids are unique in a valid scenario)
    let mut positions: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, p) in scenario.policies.iter().enumerate() {
        positions.entry(p.id.as_str()).or_insert(i);
    }
    let position = |id: &str| positions.get(id).copied().unwrap_or(usize::MAX);
    order::sort_by(found, |a, b| {
        (position(&a.0), a.1.span.start, &a.1.code).cmp(&(
            position(&b.0),
            b.1.span.start,
            &b.1.code,
        ))
    });
    found.dedup();
}

// SageMaker Developer Guide: "Monitoring user resource access from Amazon SageMaker Studio"
// — the user profile name becomes the source identity only with
// ExecutionRoleIdentityConfig=USER_PROFILE_NAME.
/// [`lint_scenario_cross`] for a caller that lints the same scenario again after each
/// edit (the app): the findings of each principal's group of policies are kept, and a
/// group whose policies are the same parses as before (the same `Arc`s, which the
/// workspace keeps for every text an edit leaves alone), with the same ids and kinds, is
/// not checked again. An edit to one policy re-checks only the groups it is in. The
/// findings are those of [`lint_scenario_cross`], in the same order.
#[derive(Debug, Default)]
pub struct CrossLint {
    groups: Vec<CrossGroup>,
}

/// One principal's policies as last checked, and what the check found.
#[derive(Debug)]
struct CrossGroup {
    principal: String,
    members: Vec<(String, PolicyKind, Arc<ParsedPolicy>)>,
    found: Vec<(String, Diagnostic)>,
}

impl CrossLint {
    /// The cross-policy findings of `scenario`, whose policy `i` parsed is `parsed[i]`.
    pub fn run(
        &mut self,
        scenario: &Scenario,
        parsed: &[Arc<ParsedPolicy>],
    ) -> Vec<(String, Diagnostic)> {
        let refs: Vec<&ParsedPolicy> = parsed.iter().map(|p| &**p).collect();
        let inputs = lint_inputs(scenario, &refs);
        let before = std::mem::take(&mut self.groups);
        let mut found: Vec<(String, Diagnostic)> = Vec::new();
        for principal in principals(scenario) {
            let members: Vec<usize> = scenario
                .policies
                .iter()
                .enumerate()
                .filter(|(_, entry)| entry.attached_to.iter().any(|t| t == principal))
                .map(|(i, _)| i)
                .collect();
            if members.len() < 2 {
                continue;
            }
            let key: Vec<(String, PolicyKind, Arc<ParsedPolicy>)> = members
                .iter()
                .filter_map(|i| {
                    let entry = scenario.policies.get(*i)?;
                    Some((entry.id.clone(), entry.kind, parsed.get(*i)?.clone()))
                })
                .collect();
            let same = |g: &&CrossGroup| {
                g.principal == principal
                    && g.members.len() == key.len()
                    && g.members
                        .iter()
                        .zip(&key)
                        .all(|(a, b)| a.0 == b.0 && a.1 == b.1 && Arc::ptr_eq(&a.2, &b.2))
            };
            let group_found = match before.iter().find(same) {
                Some(g) => g.found.clone(),
                None => {
                    let group: Vec<LintInput<'_>> = members
                        .iter()
                        .filter_map(|i| inputs.get(*i).copied())
                        .collect();
                    cross::check_set(&group)
                }
            };
            found.extend(group_found.iter().cloned());
            self.groups.push(CrossGroup {
                principal: principal.to_owned(),
                members: key,
                found: group_found,
            });
        }
        found.extend(source_identity_disabled(scenario, &inputs));
        found
    }
}

/// Every policy of `scenario` as a lint input (`parsed[i]` is policy `i` parsed).
fn lint_inputs<'a>(scenario: &'a Scenario, parsed: &[&'a ParsedPolicy]) -> Vec<LintInput<'a>> {
    scenario
        .policies
        .iter()
        .zip(parsed)
        .map(|(entry, parsed)| LintInput {
            id: &entry.id,
            kind: Some(use_of(entry.kind)),
            parsed,
        })
        .collect()
}

/// The principals policies are attached to (`role:` and `iam-user:` targets), sorted.
fn principals(scenario: &Scenario) -> Vec<&str> {
    let mut principals: Vec<&str> = scenario
        .policies
        .iter()
        .flat_map(|p| p.attached_to.iter().map(String::as_str))
        .filter(|t| t.starts_with("role:") || t.starts_with("iam-user:"))
        .collect();
    order::sort(&mut principals);
    principals.dedup();
    principals
}

fn source_identity_disabled(
    scenario: &Scenario,
    inputs: &[LintInput<'_>],
) -> Vec<(String, Diagnostic)> {
    let world = &scenario.world;
    // execution roles of users in domains that set no source identity, with the domain
    let mut roles: Vec<(String, &str)> = Vec::new();
    for user in &world.users {
        let Some(domain) = world.domain(&user.domain) else {
            continue;
        };
        if domain.execution_role_identity_config != ExecutionRoleIdentityConfig::Disabled {
            continue;
        }
        if let Some(role) = world.execution_role_of(user) {
            if !roles.iter().any(|(r, _)| *r == role) {
                roles.push((role, domain.id.as_str()));
            }
        }
    }
    let mut out = Vec::new();
    for (entry, input) in scenario.policies.iter().zip(inputs) {
        if entry.kind == PolicyKind::Trust {
            continue;
        }
        let Some((role, domain)) = roles.iter().find(|(r, _)| {
            entry
                .attached_to
                .iter()
                .any(|t| t.strip_prefix("role:") == Some(r))
        }) else {
            continue;
        };
        let Some(span) = input
            .parsed
            .policy
            .as_ref()
            .and_then(rules::first_source_identity_use)
        else {
            continue;
        };
        out.push((
            entry.id.clone(),
            Diagnostic::new(
                &input.parsed.line_index,
                Severity::Warning,
                codes::SOURCE_IDENTITY_DISABLED,
                span,
                format!("`{role}` is the Studio execution role of domain `{domain}`, whose ExecutionRoleIdentityConfig is DISABLED: its sessions have no `aws:SourceIdentity`, so this never matches calls from Studio"),
                "set the domain's ExecutionRoleIdentityConfig to USER_PROFILE_NAME (and allow `sts:SetSourceIdentity` in the role's trust policy)",
            ),
        ));
    }
    out
}

fn use_of(kind: PolicyKind) -> PolicyUse {
    match kind {
        PolicyKind::Trust => PolicyUse::Trust,
        PolicyKind::Resource => PolicyUse::Resource,
        PolicyKind::Identity
        | PolicyKind::Boundary
        | PolicyKind::Session
        | PolicyKind::Scp
        | PolicyKind::Rcp => PolicyUse::Identity,
    }
}

fn sort(diagnostics: &mut [Diagnostic]) {
    order::sort_by(diagnostics, |a, b| {
        (a.span.start, &a.code).cmp(&(b.span.start, &b.code))
    });
}

#[cfg(test)]
mod tests;
