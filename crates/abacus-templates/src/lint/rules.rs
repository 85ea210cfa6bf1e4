//! Single-policy lint rules: each looks at one statement at a time and reports findings
//! with the span of the element at fault.

use abacus_policy::ast::{
    ActionPattern, Condition, Effect, Operator, Policy, SetOperator, Spanned, Statement,
};
use abacus_policy::{Diagnostic, LineIndex, Severity, Span};

use super::codes;
use super::knowledge::{carries_studio_context, KeyInfo, Knowledge};

/// At most this many findings per policy.
pub(crate) const MAX_FINDINGS: usize = 100;

/// Collects findings for one policy text.
pub(crate) struct Sink<'a> {
    pub index: &'a LineIndex,
    pub out: Vec<Diagnostic>,
}

impl Sink<'_> {
    pub fn push(
        &mut self,
        severity: Severity,
        code: &str,
        span: Span,
        message: String,
        help: &str,
    ) {
        // each finding resolves a line/column; a pathological policy must stay linear
        if self.out.len() >= MAX_FINDINGS {
            return;
        }
        self.out.push(Diagnostic::new(
            self.index, severity, code, span, message, help,
        ));
    }
}

/// The statement's `Action` items (empty for `NotAction`).
pub(crate) fn actions(stmt: &Statement) -> &[Spanned<ActionPattern>] {
    stmt.action.as_ref().map_or(&[], |a| a.items.as_slice())
}

/// True when the action text has a wildcard.
pub(crate) fn is_pattern(text: &str) -> bool {
    text.contains('*') || text.contains('?')
}

/// Every variable key used in the statement's resources and condition values.
pub(crate) fn variable_keys(stmt: &Statement) -> Vec<String> {
    let resources = stmt
        .resource
        .iter()
        .chain(stmt.not_resource.iter())
        .flat_map(|r| r.items.iter().map(|i| &i.value.template));
    let values = stmt
        .conditions
        .iter()
        .flat_map(|c| c.values.iter().map(|v| &v.value.template));
    resources
        .chain(values)
        .flat_map(|t| t.variables().map(|v| v.key.clone()))
        .collect()
}

/// The span of the first use of `aws:SourceIdentity` (a variable in a resource or a
/// condition value, or a condition key) in the policy.
pub(crate) fn first_source_identity_use(policy: &Policy) -> Option<Span> {
    let is_si = |t: &abacus_policy::variables::Template| {
        t.variables()
            .any(|v| v.key.eq_ignore_ascii_case("aws:SourceIdentity"))
    };
    policy.statements.iter().find_map(|stmt| {
        let resources = stmt
            .resource
            .iter()
            .chain(stmt.not_resource.iter())
            .flat_map(|r| r.items.iter())
            .find(|i| is_si(&i.value.template))
            .map(|i| i.span);
        let conditions = stmt.conditions.iter().find_map(|c| {
            if c.key_lower == "aws:sourceidentity" {
                return Some(c.key.span);
            }
            c.values
                .iter()
                .find(|v| is_si(&v.value.template))
                .map(|v| v.span)
        });
        match (resources, conditions) {
            (Some(a), Some(b)) => Some(if a.start <= b.start { a } else { b }),
            (a, b) => a.or(b),
        }
    })
}

/// True when the statement decides access by a resource tag (a `ResourceTag/` key or variable).
pub(crate) fn uses_resource_tags(stmt: &Statement) -> bool {
    stmt.conditions
        .iter()
        .any(|c| c.key_lower.contains(":resourcetag/"))
        || variable_keys(stmt)
            .iter()
            .any(|k| k.to_ascii_lowercase().contains(":resourcetag/"))
}

/// True for an attribute-based statement: tag keys, tag conditions or policy variables.
pub(crate) fn is_abac(stmt: &Statement) -> bool {
    stmt.conditions
        .iter()
        .any(|c| c.key_lower.contains("tag/") || c.key_lower == "aws:tagkeys")
        || !variable_keys(stmt).is_empty()
}

/// True when the statement has a condition of any operator on `key_lower`.
pub(crate) fn has_condition_on(stmt: &Statement, key_lower: &str) -> bool {
    stmt.conditions.iter().any(|c| c.key_lower == key_lower)
}

/// Runs every single-policy rule.
pub(crate) fn check_policy(policy: &Policy, sink: &mut Sink<'_>) {
    let knowledge = Knowledge::get();
    for stmt in &policy.statements {
        super::reference_rules::check_statement(stmt, &knowledge, sink);
        not_principal_with_allow(stmt, sink);
        not_action_allow_all_resources(stmt, sink);
        object_action_on_bucket_arn(stmt, sink);
        broad_action_in_abac(stmt, sink);
        context_key_absent(stmt, sink);
        for cond in &stmt.conditions {
            set_operator_on_single_valued_key(cond, sink);
            multivalued_key_without_set_operator(cond, sink);
            negated_operator_missing_key(stmt, cond, sink);
            for_all_values_missing_key(stmt, cond, sink);
            string_equals_wildcard(cond, sink);
            condition_key_for_service(stmt, cond, sink);
        }
    }
}

// IAM User Guide: "AWS JSON policy elements: NotPrincipal" — NotPrincipal must be used
// with Deny; Allow is not supported.
fn not_principal_with_allow(stmt: &Statement, sink: &mut Sink<'_>) {
    if let (Some(np), Effect::Allow) = (&stmt.not_principal, stmt.effect_or_allow()) {
        sink.push(
            Severity::Error,
            codes::NOT_PRINCIPAL_WITH_ALLOW,
            np.span,
            "`NotPrincipal` with `\"Effect\": \"Allow\"` is not supported".into(),
            "use `Principal` to name who is allowed, or use `NotPrincipal` only with `Deny` (better: `aws:PrincipalArn` with an ARN condition operator)",
        );
    }
}

// IAM User Guide: "IAM JSON policy elements: NotAction"
fn not_action_allow_all_resources(stmt: &Statement, sink: &mut Sink<'_>) {
    let Some(not_action) = &stmt.not_action else {
        return;
    };
    let all_resources = stmt
        .resource
        .as_ref()
        .is_some_and(|r| r.items.iter().any(|i| i.value.text == "*"));
    if stmt.effect_or_allow() == Effect::Allow && all_resources {
        sink.push(
            Severity::Warning,
            codes::NOT_ACTION_ALLOW_ALL,
            not_action.span,
            "`NotAction` with `Allow` on `\"Resource\": \"*\"` allows every other action of every service, including ones added later".into(),
            "list the allowed actions in `Action` instead, or use `NotAction` in a `Deny` statement",
        );
    }
}

/// `arn:PARTITION:s3:::BUCKET` with no key part and no wildcard.
fn is_bucket_only_arn(text: &str) -> bool {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(_), Some(service), Some(""), Some(""), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    service.eq_ignore_ascii_case("s3")
        && !resource.is_empty()
        && !resource.contains('/')
        && !is_pattern(resource)
        && !resource.contains("${")
}

// Amazon S3 User Guide: "Policy resources for Amazon S3" — object actions need an object
// ARN (`arn:aws:s3:::bucket/key`); a bucket ARN never matches an object.
fn object_action_on_bucket_arn(stmt: &Statement, sink: &mut Sink<'_>) {
    let knowledge = Knowledge::get();
    let Some(resource) = &stmt.resource else {
        return;
    };
    let object_actions: Vec<&str> = actions(stmt)
        .iter()
        .map(|a| a.value.text.as_str())
        .filter(|a| knowledge.is_s3_object_action(a))
        .collect();
    if object_actions.is_empty()
        || !resource
            .items
            .iter()
            .all(|r| is_bucket_only_arn(&r.value.text))
    {
        return;
    }
    let outcome = match stmt.effect_or_allow() {
        Effect::Allow => "they are never allowed by this statement",
        Effect::Deny => "this deny never applies to them",
    };
    sink.push(
        Severity::Warning,
        codes::OBJECT_ACTION_ON_BUCKET_ARN,
        resource.span,
        format!(
            "object actions ({}) only match object ARNs, but `Resource` names only buckets: {outcome}",
            object_actions.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        ),
        "add the objects, e.g. `arn:aws:s3:::BUCKET/*`, and keep the bucket ARN for bucket actions such as `s3:ListBucket`",
    );
}

// IAM User Guide: "Define permissions based on attributes with ABAC authorization"
fn broad_action_in_abac(stmt: &Statement, sink: &mut Sink<'_>) {
    if !is_abac(stmt) || stmt.effect_or_allow() != Effect::Allow {
        return;
    }
    for a in actions(stmt) {
        let text = a.value.text.as_str();
        if text == "*" || text.ends_with(":*") {
            sink.push(
                Severity::Warning,
                codes::BROAD_ACTION_IN_ABAC,
                a.span,
                format!("`{text}` in an attribute-based statement grants every action, including tagging and permission changes that can defeat the attribute check"),
                "list the actions the attribute should gate; keep tagging actions in their own statement restricted to creation",
            );
        }
    }
}

// The SageMaker context keys exist only for certain actions; a variable with no value
// never matches (IAM User Guide: "IAM policy elements: Variables and tags").
fn context_key_absent(stmt: &Statement, sink: &mut Sink<'_>) {
    let mut used: Vec<String> = variable_keys(stmt)
        .into_iter()
        .filter(|k| is_studio_context_key(k))
        .map(|k| format!("${{{k}}}"))
        .collect();
    used.extend(
        stmt.conditions
            .iter()
            .filter(|c| is_studio_context_key(&c.key.value))
            .map(|c| format!("`{}` condition", c.key.value)),
    );
    abacus_policy::order::sort(&mut used);
    used.dedup();
    let Some(first) = used.first() else {
        return;
    };
    for a in actions(stmt) {
        let text = a.value.text.as_str();
        if is_pattern(text) {
            continue;
        }
        if carries_studio_context(text) == Some(false) {
            sink.push(
                Severity::Warning,
                codes::CONTEXT_KEY_ABSENT,
                a.span,
                format!("`{text}` does not carry `sagemaker:DomainId` or `sagemaker:UserProfileName`, so {first} has no value and this statement never matches that action"),
                "use `${aws:SourceIdentity}` (set from the user profile name) or a resource tag for this action",
            );
        }
    }
}

fn is_studio_context_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("sagemaker:DomainId")
        || key.eq_ignore_ascii_case("sagemaker:UserProfileName")
}

// IAM User Guide: "Set operators for multivalued context keys" — ForAllValues and
// ForAnyValue are for multivalued keys only.
fn set_operator_on_single_valued_key(cond: &Condition, sink: &mut Sink<'_>) {
    let Some(set) = cond.operator.value.set else {
        return;
    };
    if !Knowledge::get()
        .key_info(&cond.key.value)
        .is_single_valued()
    {
        return;
    }
    let (name, effect) = match set {
        SetOperator::ForAllValues => (
            "ForAllValues",
            "is also true when the key is missing, so it can allow more than intended",
        ),
        SetOperator::ForAnyValue => (
            "ForAnyValue",
            "works like the plain operator but hides the intent",
        ),
    };
    sink.push(
        Severity::Warning,
        codes::SET_OPERATOR_SINGLE_VALUED,
        cond.operator.span,
        format!(
            "`{name}` on the single-valued key `{}` {effect}",
            cond.key.value
        ),
        "use the operator without a set qualifier for single-valued keys",
    );
}

// IAM User Guide: "Single-valued vs. multivalued context keys" — multivalued context keys
// require a condition set operator; without one, the policy does not say whether every
// request value or at least one of them must match.
fn multivalued_key_without_set_operator(cond: &Condition, sink: &mut Sink<'_>) {
    let op = &cond.operator.value;
    if op.set.is_some() || op.base == Operator::Null {
        return;
    }
    if !Knowledge::get().key_info(&cond.key.value).is_multivalued() {
        return;
    }
    sink.push(
        Severity::Warning,
        codes::MULTIVALUED_WITHOUT_SET_OPERATOR,
        cond.operator.span,
        format!(
            "`{}` is a multivalued key, compared here without `ForAllValues:` or `ForAnyValue:`, so the policy does not say whether every value of the request or only one must match",
            cond.key.value
        ),
        "write `ForAllValues:` (every request value must match) or `ForAnyValue:` (at least one must) before the operator",
    );
}

fn has_null_guard(stmt: &Statement, key_lower: &str) -> bool {
    stmt.conditions
        .iter()
        .any(|c| c.operator.value.base == Operator::Null && c.key_lower == key_lower)
        || (key_lower == "aws:tagkeys" && requires_a_request_tag(stmt))
}

/// A positive, non-`IfExists` condition on `aws:RequestTag/KEY` fails without that tag, so
/// the request's `aws:TagKeys` cannot be missing or empty when the statement matches.
fn requires_a_request_tag(stmt: &Statement) -> bool {
    stmt.conditions.iter().any(|c| {
        let op = &c.operator.value;
        c.key_lower.starts_with("aws:requesttag/")
            && op.base != Operator::Null
            && !op.base.is_negated()
            && !op.if_exists
            && op.set.is_none()
    })
}

// IAM User Guide: "IAM JSON policy elements: Condition operators" — a negated operator is
// true when the key is missing from the request.
fn negated_operator_missing_key(stmt: &Statement, cond: &Condition, sink: &mut Sink<'_>) {
    let op = &cond.operator.value;
    if stmt.effect_or_allow() != Effect::Allow
        || !op.base.is_negated()
        || op.if_exists
        || op.set.is_some()
        || Knowledge::get().always_present(&cond.key.value)
        || has_null_guard(stmt, &cond.key_lower)
    {
        return;
    }
    sink.push(
        Severity::Warning,
        codes::NEGATED_MISSING_KEY,
        cond.key.span,
        format!(
            "`{}` is true when the request has no `{}`, so this `Allow` also matches requests without the key",
            op.text, cond.key.value
        ),
        "add `\"Null\": {\"KEY\": \"false\"}` to require the key, or write the condition positively",
    );
}

// IAM User Guide: "Set operators for multivalued context keys" — ForAllValues returns true
// when the key is missing or its value is an empty set.
fn for_all_values_missing_key(stmt: &Statement, cond: &Condition, sink: &mut Sink<'_>) {
    let op = &cond.operator.value;
    if stmt.effect_or_allow() != Effect::Allow
        || op.set != Some(SetOperator::ForAllValues)
        || op.base == Operator::Null
        || has_null_guard(stmt, &cond.key_lower)
        || Knowledge::get()
            .key_info(&cond.key.value)
            .is_single_valued()
    {
        return;
    }
    sink.push(
        Severity::Info,
        codes::FOR_ALL_VALUES_MISSING_KEY,
        cond.operator.span,
        format!(
            "`{}` is true when the request has no `{}` at all, so this `Allow` matches such requests too",
            op.text, cond.key.value
        ),
        "if the key must be present, add `\"Null\": {\"KEY\": \"false\"}` to the same statement",
    );
}

// IAM User Guide: "IAM JSON policy elements: Condition operators" — StringEquals compares
// exactly; only StringLike interprets `*` and `?`.
fn string_equals_wildcard(cond: &Condition, sink: &mut Sink<'_>) {
    let op = &cond.operator.value;
    if !matches!(
        op.base,
        Operator::StringEquals
            | Operator::StringNotEquals
            | Operator::StringEqualsIgnoreCase
            | Operator::StringNotEqualsIgnoreCase
    ) {
        return;
    }
    for v in &cond.values {
        // (`*` or `?` in the text, not from a variable or `${*}`)
        if v.value.template.has_wildcards() {
            let like = op
                .base
                .as_str()
                .replace("Equals", "Like")
                .replace("IgnoreCase", "");
            sink.push(
                Severity::Warning,
                codes::STRING_EQUALS_WILDCARD,
                v.span,
                format!(
                    "`{}` compares `{}` literally: `*` and `?` are not wildcards here",
                    op.text, v.value.text
                ),
                &format!("use `{like}` for wildcard matching"),
            );
        }
    }
}

// Service Authorization Reference: each service defines its own condition keys.
fn condition_key_for_service(stmt: &Statement, cond: &Condition, sink: &mut Sink<'_>) {
    let knowledge = Knowledge::get();
    let key = cond.key.value.as_str();
    match knowledge.key_info(key) {
        KeyInfo::UnknownService | KeyInfo::NotLoaded => {}
        KeyInfo::UnknownKey { suggestions } => {
            let hint = if suggestions.is_empty() {
                String::new()
            } else {
                let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
                format!("; did you mean {}?", quoted.join(" or "))
            };
            sink.push(
                Severity::Warning,
                codes::UNKNOWN_CONDITION_KEY,
                cond.key.span,
                format!("`{key}` is not a known condition key of `{}`{hint}", key.split(':').next().unwrap_or_default()),
                "check the key's spelling against the Service Authorization Reference; an unknown key is missing from every request (IAM Access Analyzer policy checks: Invalid service condition key, Invalid global condition key)",
            );
        }
        KeyInfo::Known { .. } => {
            let Some((service, _)) = cond.key_lower.split_once(':') else {
                return;
            };
            if service == "aws" || stmt.action.is_none() {
                return;
            }
            let services: Vec<&str> = actions(stmt)
                .iter()
                .map(|a| a.value.text.split(':').next().unwrap_or("*"))
                .collect();
            if services
                .iter()
                .any(|s| *s == "*" || s.eq_ignore_ascii_case(service))
            {
                return;
            }
            sink.push(
                Severity::Warning,
                codes::CONDITION_KEY_SERVICE_MISMATCH,
                cond.key.span,
                format!("`{key}` belongs to `{service}`, but this statement's actions are {}: the key is missing from their requests", 
                    services.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")),
                "use a key of the actions' service or a global `aws:` key",
            );
        }
    }
}
