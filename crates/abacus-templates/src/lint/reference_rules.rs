//! Lint rules read from the Service Authorization Reference: unknown services and actions
//! (with did-you-mean), wildcards that match nothing, condition keys that none of a
//! statement's actions can carry, operators whose type does not fit the key, and resources
//! that match no resource type of an action.
//!
//! A service whose data is not loaded yet (the web app fetches it on demand) is never
//! reported: the rules only speak about what the reference says.

use abacus_policy::ast::{Condition, Effect, Operator, SetOperator, Statement};
use abacus_policy::Severity;
use abacus_reference::{keys, suggest, Action, KeyType, Reference, Service, ServiceStatus};

use super::codes;
use super::knowledge::{carries_studio_context, KeyInfo, Knowledge};
use super::rules::{actions, Sink};

/// A wildcard is expanded to at most this many actions for the key rule (`s3:*` has ~200;
/// beyond the cap the statement is not checked).
const MAX_EXPANSION: usize = 2_000;

/// Runs the reference rules on one statement.
pub(crate) fn check_statement(stmt: &Statement, knowledge: &Knowledge, sink: &mut Sink<'_>) {
    let reference = knowledge.reference();
    unknown_actions(stmt, reference, sink);
    let resolved = resolve_actions(stmt, reference);
    for cond in &stmt.conditions {
        operator_type_mismatch(cond, knowledge, sink);
        if let Some(resolved) = &resolved {
            key_not_applicable(stmt, cond, reference, resolved, knowledge, sink);
        }
    }
    resource_type_mismatch(stmt, reference, knowledge, sink);
}

// IAM Access Analyzer policy checks "Invalid service" and "Invalid action"; the Service
// Authorization Reference lists every service prefix and action.
fn unknown_actions(stmt: &Statement, reference: &Reference, sink: &mut Sink<'_>) {
    let lists = stmt.action.iter().chain(stmt.not_action.iter());
    for item in lists.flat_map(|l| l.items.iter()) {
        let text = item.value.text.as_str();
        let Some((prefix, name)) = text.split_once(':') else {
            continue;
        };
        if prefix.contains(['*', '?']) {
            continue;
        }
        match reference.status(prefix) {
            ServiceStatus::NotLoaded | ServiceStatus::NoIndex => {}
            ServiceStatus::Unknown => {
                let prefixes = reference
                    .index()
                    .map(|i| {
                        i.services
                            .iter()
                            .map(|(p, _, _)| p.as_str())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                let near = suggest::nearest(prefix, prefixes, 3);
                sink.push(
                    Severity::Warning,
                    codes::UNKNOWN_ACTION,
                    item.span,
                    format!(
                        "`{prefix}` is not a service prefix of the Service Authorization Reference{}",
                        did_you_mean(&near.iter().map(|p| format!("{p}:{name}")).collect::<Vec<_>>())
                    ),
                    "a statement never matches an action of an unknown service (IAM Access Analyzer policy check: Invalid service)",
                );
            }
            ServiceStatus::Loaded => {
                let Some(service) = reference.service(prefix) else {
                    continue;
                };
                if name.contains(['*', '?']) {
                    if !service
                        .actions
                        .iter()
                        .any(|a| abacus_reference::glob_ci(name, &a.name))
                    {
                        sink.push(
                            Severity::Warning,
                            codes::WILDCARD_MATCHES_NO_ACTION,
                            item.span,
                            format!("`{text}` matches no action of `{}`", service.prefix),
                            "check the pattern against the service's actions: as written, this entry grants or denies nothing",
                        );
                    }
                } else if !service
                    .actions
                    .iter()
                    .any(|a| a.name.eq_ignore_ascii_case(name))
                {
                    let near: Vec<String> =
                        suggest::nearest(name, service.actions.iter().map(|a| a.name.as_str()), 3)
                            .into_iter()
                            .map(|n| format!("{}:{n}", service.prefix))
                            .collect();
                    sink.push(
                        Severity::Warning,
                        codes::UNKNOWN_ACTION,
                        item.span,
                        format!(
                            "`{}` has no action `{name}` in the Service Authorization Reference{}",
                            service.prefix,
                            did_you_mean(&near)
                        ),
                        "an unknown action matches no request, so this entry grants or denies nothing (IAM Access Analyzer policy check: Invalid action)",
                    );
                }
            }
        }
    }
}

fn did_you_mean(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!("; did you mean {}?", quoted.join(" or "))
    }
}

/// The statement's actions, expanded through the reference; `None` when the statement
/// uses `NotAction`, `*`, a service not loaded, or more than [`MAX_EXPANSION`] actions (then
/// nothing can be said about which keys its requests carry).
fn resolve_actions<'a>(
    stmt: &Statement,
    reference: &'a Reference,
) -> Option<Vec<(&'a Service, &'a Action)>> {
    let list = stmt.action.as_ref()?;
    let mut out = Vec::new();
    for item in &list.items {
        let text = item.value.text.as_str();
        let (prefix, _) = text.split_once(':')?;
        if prefix.contains(['*', '?']) || reference.status(prefix) != ServiceStatus::Loaded {
            return None;
        }
        out.extend(abacus_reference::matching_actions(reference, text));
        if out.len() > MAX_EXPANSION {
            return None;
        }
    }
    Some(out)
}

fn is_tag_key(key_lower: &str) -> bool {
    key_lower.starts_with("aws:requesttag/")
        || key_lower.starts_with("aws:resourcetag/")
        || key_lower == "aws:tagkeys"
}

fn is_resource_tag_key(key_lower: &str) -> bool {
    key_lower
        .split_once(':')
        .is_some_and(|(_, rest)| rest.starts_with("resourcetag/"))
}

/// Whether `action` can carry `key`: listed by the reference for the action or its resource
/// types (a create call's own resource has no tags yet), or added by the Studio simulator's
/// catalogue layer (`sagemaker:DomainId`, `sagemaker:UserProfileName`).
fn carries(
    reference: &Reference,
    service: &Service,
    action: &Action,
    key: &str,
    key_lower: &str,
) -> bool {
    if is_resource_tag_key(key_lower) && abacus_studio::derived::creates_its_resource(action) {
        return false;
    }
    if (key_lower == "sagemaker:domainid" || key_lower == "sagemaker:userprofilename")
        && carries_studio_context(&format!("{}:{}", service.prefix, action.name)) == Some(true)
    {
        return true;
    }
    reference
        .action_keys(service, action)
        .iter()
        .any(|t| keys::key_matches(t, key))
}

/// What a condition evaluates to when its key is missing (IAM User Guide: "IAM JSON policy
/// elements: Condition operators" and "Set operators for multivalued context keys").
fn result_when_missing(cond: &Condition) -> bool {
    let op = &cond.operator.value;
    match op.set {
        Some(SetOperator::ForAllValues) => true,
        Some(SetOperator::ForAnyValue) => false,
        None => op.if_exists || op.base.is_negated(),
    }
}

// Service Authorization Reference: each action lists the condition keys its requests can
// carry (its own, its resource types', and the global keys); any other key is missing.
fn key_not_applicable(
    stmt: &Statement,
    cond: &Condition,
    reference: &Reference,
    resolved: &[(&Service, &Action)],
    knowledge: &Knowledge,
    sink: &mut Sink<'_>,
) {
    let key = cond.key.value.as_str();
    let key_lower = cond.key_lower.as_str();
    if resolved.is_empty() || cond.operator.value.base == Operator::Null {
        return;
    }
    match knowledge.key_info(key) {
        KeyInfo::Known { global: true, .. } if !is_tag_key(key_lower) => return,
        KeyInfo::Known { .. } => {}
        _ => return,
    }
    if resolved
        .iter()
        .any(|(s, a)| carries(reference, s, a, key, key_lower))
    {
        return;
    }
    let names: Vec<String> = resolved
        .iter()
        .take(4)
        .map(|(s, a)| format!("`{}:{}`", s.prefix, a.name))
        .collect();
    let more = resolved.len().saturating_sub(4);
    let actions_text = if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    };
    let effect = stmt.effect_or_allow();
    let outcome = if result_when_missing(cond) {
        format!(
            "the key is simply always absent: `{}` is then true, so this condition never restricts the statement",
            cond.operator.value.text
        )
    } else {
        match effect {
            Effect::Allow => {
                "the condition fails on a missing key, so this Allow never applies".to_owned()
            }
            Effect::Deny => {
                "the condition fails on a missing key, so this Deny never applies".to_owned()
            }
        }
    };
    let creates = resolved
        .iter()
        .all(|(_, a)| abacus_studio::derived::creates_its_resource(a));
    let help = if is_resource_tag_key(key_lower) && creates {
        let tag = key.split_once('/').map_or("TAG", |(_, t)| t);
        format!("at creation the resource has no tags yet: test the tags in the request with `aws:RequestTag/{tag}` instead")
    } else {
        "use a key the actions support (see their Condition keys column in the Service Authorization Reference), or move the condition to a statement whose actions carry it".to_owned()
    };
    sink.push(
        Severity::Warning,
        codes::KEY_NOT_APPLICABLE,
        cond.key.span,
        format!("no request of {actions_text} carries `{key}`: {outcome}"),
        &help,
    );
}

/// The key type an operator compares, for the typed operator families.
fn operator_type(op: Operator) -> Option<(KeyType, &'static str)> {
    use Operator as O;
    Some(match op {
        O::NumericEquals
        | O::NumericNotEquals
        | O::NumericLessThan
        | O::NumericLessThanEquals
        | O::NumericGreaterThan
        | O::NumericGreaterThanEquals => (KeyType::Numeric, "numeric"),
        O::DateEquals
        | O::DateNotEquals
        | O::DateLessThan
        | O::DateLessThanEquals
        | O::DateGreaterThan
        | O::DateGreaterThanEquals => (KeyType::Date, "date"),
        O::Bool => (KeyType::Bool, "Boolean"),
        O::BinaryEquals => (KeyType::Binary, "binary"),
        O::IpAddress | O::NotIpAddress => (KeyType::IpAddress, "IP address"),
        O::ArnEquals | O::ArnLike | O::ArnNotEquals | O::ArnNotLike => (KeyType::Arn, "ARN"),
        _ => return None,
    })
}

// IAM User Guide: "IAM JSON policy elements: Condition operators" — each operator family
// compares one type; IAM Access Analyzer's policy validation reports a mismatch ("Type
// mismatch").
fn operator_type_mismatch(cond: &Condition, knowledge: &Knowledge, sink: &mut Sink<'_>) {
    let op = &cond.operator.value;
    let Some((wanted, family)) = operator_type(op.base) else {
        return;
    };
    let KeyInfo::Known { key_type, .. } = knowledge.key_info(&cond.key.value) else {
        return;
    };
    let Some(actual) = abacus_reference::ValueType::parse(&key_type) else {
        return;
    };
    if actual.element == wanted {
        return;
    }
    sink.push(
        Severity::Warning,
        codes::OPERATOR_TYPE_MISMATCH,
        cond.operator.span,
        format!(
            "`{}` compares {family} values, but `{}` is of type {key_type}",
            op.text, cond.key.value
        ),
        "use an operator of the key's type (a String key takes String operators); IAM Access Analyzer's policy validation reports this as \"Type mismatch\"",
    );
}

/// One ARN (pattern or format) split into its first five segments and the resource part;
/// `${…}` placeholders and policy variables count as wildcards.
fn arn_parts(text: &str) -> Option<Vec<String>> {
    let mut flat = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let end = rest.get(start..).and_then(|r| r.find('}'))?;
        flat.push_str(rest.get(..start).unwrap_or(""));
        flat.push('*');
        rest = rest.get(start + end + 1..).unwrap_or("");
    }
    flat.push_str(rest);
    let mut parts: Vec<String> = flat.splitn(6, ':').map(str::to_owned).collect();
    (parts.len() == 6 && parts.first().is_some_and(|p| p == "arn")).then(|| {
        parts.truncate(6);
        parts
    })
}

fn literal_prefix(s: &str) -> &str {
    s.find(['*', '?']).map_or(s, |i| s.get(..i).unwrap_or(""))
}

fn literal_suffix(s: &str) -> &str {
    s.rfind(['*', '?'])
        .map_or(s, |i| s.get(i + 1..).unwrap_or(""))
}

/// True when two segments with wildcards may match a common text: their fixed starts and
/// ends must agree (a necessary condition, so `false` is certain). A segment without any
/// wildcard is matched against the other as a pattern.
fn segments_may_overlap(a: &str, b: &str) -> bool {
    let wild = |s: &str| s.contains(['*', '?']);
    match (wild(a), wild(b)) {
        (false, false) => a == b,
        (false, true) => glob_cs(b, a),
        (true, false) => glob_cs(a, b),
        (true, true) => {
            let (pa, pb) = (literal_prefix(a), literal_prefix(b));
            let (sa, sb) = (literal_suffix(a), literal_suffix(b));
            (pa.starts_with(pb) || pb.starts_with(pa)) && (sa.ends_with(sb) || sb.ends_with(sa))
        }
    }
}

/// Case-sensitive glob, as resource ARNs match (`*` and `?` cross `/` and `:`): the
/// engine's own linear matcher.
fn glob_cs(pattern: &str, text: &str) -> bool {
    abacus_policy::wildcard::wildcard_match(pattern, text, false)
}

/// True when the policy's resource `pattern` may name a resource of the ARN `format`.
fn may_match(pattern: &str, format: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (Some(p), Some(f)) = (arn_parts(pattern), arn_parts(format)) else {
        // not an ARN (the parser reports it): no claim
        return true;
    };
    p.iter().zip(&f).all(|(a, b)| segments_may_overlap(a, b))
}

// Service Authorization Reference: the Resource types column says which ARNs an action can
// be authorized against; an action without resource types only matches `"Resource": "*"`.
fn resource_type_mismatch(
    stmt: &Statement,
    reference: &Reference,
    knowledge: &Knowledge,
    sink: &mut Sink<'_>,
) {
    let Some(resource) = &stmt.resource else {
        return;
    };
    let patterns: Vec<&str> = resource
        .items
        .iter()
        .map(|r| r.value.text.as_str())
        .collect();
    if patterns.contains(&"*") {
        return;
    }
    for item in actions(stmt) {
        let text = item.value.text.as_str();
        if text.contains(['*', '?'])
            || knowledge.is_s3_object_action(text) && patterns.iter().all(|p| is_bucket_arn(p))
        {
            // wildcards: some matched action may fit; S3 object actions on bucket ARNs have
            // their own rule (`s3-object-action-on-bucket-arn`)
            continue;
        }
        let Some((service, action)) = reference.action(text) else {
            continue;
        };
        let formats: Vec<&str> = action
            .resource_types
            .iter()
            .filter_map(|rt| {
                service
                    .resource_types
                    .iter()
                    .find(|r| r.name.eq_ignore_ascii_case(rt.name()))
                    .map(|r| r.arn.as_str())
            })
            .collect();
        let fits = if action.resource_types.is_empty() {
            false
        } else {
            patterns
                .iter()
                .any(|p| formats.iter().any(|f| may_match(p, f)))
        };
        if fits {
            continue;
        }
        let expected = if action.resource_types.is_empty() {
            "it supports no resource-level permissions, so only `\"Resource\": \"*\"` matches it"
                .to_owned()
        } else {
            let types: Vec<String> = action
                .resource_types
                .iter()
                .map(|rt| format!("`{}`", rt.name()))
                .collect();
            format!("it acts on {}", types.join(" or "))
        };
        let outcome = match stmt.effect_or_allow() {
            Effect::Allow => "this statement never allows it",
            Effect::Deny => "this deny never applies to it",
        };
        let example = formats.first().map_or_else(
            || "\"*\"".to_owned(),
            |f| format!("an ARN of the form `{f}`"),
        );
        sink.push(
            Severity::Warning,
            codes::RESOURCE_TYPE_MISMATCH,
            item.span,
            format!("no `Resource` of this statement can name a resource of `{text}`: {expected}, so {outcome}"),
            &format!("give `{text}` a statement whose Resource is {example}"),
        );
    }
}

fn is_bucket_arn(p: &str) -> bool {
    p.strip_prefix("arn:")
        .and_then(|r| r.split_once(":s3:::"))
        .is_some_and(|(_, rest)| !rest.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_overlap() {
        let job = "arn:${Partition}:sagemaker:${Region}:${Account}:training-job/${TrainingJobName}";
        let model = "arn:${Partition}:sagemaker:${Region}:${Account}:model/${ModelName}";
        let p = "arn:aws:sagemaker:us-east-1:111122223333:training-job/*";
        assert!(may_match(p, job));
        assert!(!may_match(p, model));
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        assert!(may_match("arn:aws:s3:::b/*", object));
        assert!(may_match("arn:aws:s3:::b/${aws:SourceIdentity}/*", object));
        assert!(!may_match("arn:aws:s3:::b", object));
        assert!(may_match("arn:aws:s3:::*", object));
        assert!(may_match("*", model));
    }
}
