//! Implied authorizations: the other checks AWS makes for one call (`iam:PassRole` on the
//! role a create call passes, `sagemaker:AddTags` for a create with tags,
//! `sts:SetSourceIdentity` on both sides of a role chain, Lake Formation for Athena).
//!
//! The rules are data (`data/implied.json`, embedded): one entry per rule, with the calls that
//! trigger it, whose policies decide it ([`Scope`]) and the AWS pages it encodes. The code
//! here only knows each mechanism ([`CheckKind`]): how to build its request from the call's.
//! The data is read by hand from `serde_json::Value` (a wrong shape is a load error naming
//! the rule), so the web bundle carries no derived visitors for it.

use crate::model::World;
use crate::request::{
    build_request_with, BuiltRequest, Caller, Detail, KeyLayers, Parameters, RequestError,
    Selection,
};
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;

/// The embedded rules (`data/implied.json`, compacted by build.rs).
pub const RULES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/implied.json"));

/// What a rule checks: the mechanism the simulator runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CheckKind {
    /// `iam:PassRole` by the caller on the role the call passes.
    PassRole,
    /// `sagemaker:AddTags` with `sagemaker:TaggingAction` for a create call with tags.
    AddTagsOnCreate,
    /// `sts:SetSourceIdentity` when a session with a source identity assumes a role.
    SetSourceIdentity,
    /// `lakeformation:GetDataAccess` with the caller's credentials, for an Athena query.
    DataAccessViaAthena,
    /// A KMS permission on the customer managed key that encrypts the resource, by the
    /// caller through the service (`kms:ViaService`).
    KmsKey,
}

/// Whose policies decide a check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    /// The usual evaluation: identity, resource (or trust) policies, boundaries, session
    /// policy, SCPs and RCPs.
    #[default]
    All,
    /// Only the caller's side: its permissions (identity) policies, with boundaries,
    /// session policy and SCPs; no resource or trust policy.
    Identity,
    /// Only the target role's trust policy (with SCPs and RCPs): the caller's own policies
    /// cannot grant it.
    Trust,
}

/// One rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Stable id, e.g. `pass-role` (an expectation can name it).
    pub id: String,
    /// The mechanism.
    pub check: CheckKind,
    /// The calls that trigger it (case-insensitive, `*` allowed).
    pub actions: Vec<String>,
    /// Applies only when the request names a role (`roleArn`).
    pub only_with_role: bool,
    /// `iam:PassedToService` for PassRole rules.
    pub passed_to_service: Option<String>,
    /// The KMS action of a `kmsKey` rule, e.g. `kms:Decrypt`.
    pub kms_action: Option<String>,
    /// The service whose endpoint asks KMS (`kms:ViaService` = `SERVICE.REGION.amazonaws.com`).
    pub via_service: Option<String>,
    /// Whose policies decide.
    pub scope: Scope,
    /// Why, with `{role}` and `{action}` placeholders.
    pub why: String,
    /// The AWS documentation pages it encodes, by title.
    pub sources: Vec<String>,
}

impl Rule {
    /// True when the rule applies to `action` (case-insensitive, `*` wildcards).
    pub fn triggered_by(&self, action: &str) -> bool {
        self.actions
            .iter()
            .any(|pattern| abacus_reference::glob_ci(pattern, action))
    }

    /// `why` with its placeholders filled.
    pub fn why_for(&self, role: &str, action: &str) -> String {
        self.why.replace("{role}", role).replace("{action}", action)
    }
}

fn text(v: &Value, key: &str, at: &str) -> Result<String, String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("{at}: `{key}` must be a string"))
}

fn texts(v: &Value, key: &str, at: &str) -> Result<Vec<String>, String> {
    let items = v
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{at}: `{key}` must be an array of strings"))?;
    items
        .iter()
        .map(|i| {
            i.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{at}: `{key}` must hold strings only"))
        })
        .collect()
}

fn rule(v: &Value, at: &str) -> Result<Rule, String> {
    let check = match text(v, "check", at)?.as_str() {
        "passRole" => CheckKind::PassRole,
        "addTagsOnCreate" => CheckKind::AddTagsOnCreate,
        "setSourceIdentity" => CheckKind::SetSourceIdentity,
        "dataAccessViaAthena" => CheckKind::DataAccessViaAthena,
        "kmsKey" => CheckKind::KmsKey,
        other => return Err(format!("{at}: unknown check `{other}`")),
    };
    let scope = match text(v, "scope", at)?.as_str() {
        "all" => Scope::All,
        "identity" => Scope::Identity,
        "trust" => Scope::Trust,
        other => return Err(format!("{at}: unknown scope `{other}`")),
    };
    let passed_to_service = match v.get("passedToService") {
        None => None,
        Some(_) => Some(text(v, "passedToService", at)?),
    };
    if check == CheckKind::PassRole && passed_to_service.is_none() {
        return Err(format!("{at}: a passRole rule needs `passedToService`"));
    }
    let optional = |key: &str| match v.get(key) {
        None => Ok(None),
        Some(_) => text(v, key, at).map(Some),
    };
    let (kms_action, via_service) = (optional("kmsAction")?, optional("viaService")?);
    if check == CheckKind::KmsKey && (kms_action.is_none() || via_service.is_none()) {
        return Err(format!(
            "{at}: a kmsKey rule needs `kmsAction` and `viaService`"
        ));
    }
    let sources = texts(v, "sources", at)?;
    if sources.is_empty() {
        return Err(format!("{at}: cite at least one AWS page in `sources`"));
    }
    Ok(Rule {
        id: text(v, "id", at)?,
        check,
        actions: texts(v, "actions", at)?,
        only_with_role: v
            .get("onlyWithRole")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        passed_to_service,
        kms_action,
        via_service,
        scope,
        why: text(v, "why", at)?,
        sources,
    })
}

/// Who creates a session (see [`SessionRule`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SessionCreator {
    /// SageMaker assumes an execution, job or model role.
    SageMaker,
    /// A console sign-in through the user's SAML identity provider.
    Saml,
    /// An EMR cluster's instance profile role assumes a step's runtime role.
    Emr,
}

/// When a session permission is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SessionWhen {
    /// For every session of its creator.
    Always,
    /// When the session gets a source identity.
    SourceIdentity,
    /// When the session carries an identity context (trusted identity propagation).
    IdentityContext,
    /// When the sign-in passes session tags.
    SessionTags,
}

/// One STS permission checked when a session is created (the `sessions` of
/// `data/implied.json`), in the order STS checks them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRule {
    /// Stable id, e.g. `saml-tag-session`.
    pub id: String,
    /// Who creates the session.
    pub creator: SessionCreator,
    /// The STS action, e.g. `sts:TagSession`.
    pub action: String,
    /// When it is checked.
    pub when: SessionWhen,
    /// Why, with `{role}`, `{runs}`, `{sourceIdentity}`, `{provider}`, `{user}`, `{tags}` and
    /// `{instanceProfileRole}` placeholders.
    pub why: String,
    /// The AWS documentation pages it encodes, by title.
    pub sources: Vec<String>,
}

fn session_rule(v: &Value, at: &str) -> Result<SessionRule, String> {
    let creator = match text(v, "creator", at)?.as_str() {
        "sagemaker" => SessionCreator::SageMaker,
        "saml" => SessionCreator::Saml,
        "emr" => SessionCreator::Emr,
        other => return Err(format!("{at}: unknown creator `{other}`")),
    };
    let when = match text(v, "when", at)?.as_str() {
        "always" => SessionWhen::Always,
        "sourceIdentity" => SessionWhen::SourceIdentity,
        "identityContext" => SessionWhen::IdentityContext,
        "sessionTags" => SessionWhen::SessionTags,
        other => return Err(format!("{at}: unknown `when` `{other}`")),
    };
    let sources = texts(v, "sources", at)?;
    if sources.is_empty() {
        return Err(format!("{at}: cite at least one AWS page in `sources`"));
    }
    Ok(SessionRule {
        id: text(v, "id", at)?,
        creator,
        action: text(v, "action", at)?,
        when,
        why: text(v, "why", at)?,
        sources,
    })
}

fn root(json: &str) -> Result<Value, String> {
    serde_json::from_str(json).map_err(|e| format!("implied.json: {e}"))
}

fn session_rules_in(root: &Value) -> Result<Vec<SessionRule>, String> {
    root.get("sessions")
        .and_then(Value::as_array)
        .ok_or("implied.json: `sessions` must be an array")?
        .iter()
        .enumerate()
        .map(|(i, v)| session_rule(v, &format!("implied.json sessions[{i}]")))
        .collect()
}

fn rules_in(root: &Value) -> Result<Vec<Rule>, String> {
    let items = root
        .get("rules")
        .and_then(Value::as_array)
        .ok_or("implied.json: `rules` must be an array")?;
    let rules: Vec<Rule> = items
        .iter()
        .enumerate()
        .map(|(i, v)| rule(v, &format!("implied.json rules[{i}]")))
        .collect::<Result<_, _>>()?;
    for (i, r) in rules.iter().enumerate() {
        if rules.iter().take(i).any(|earlier| earlier.id == r.id) {
            return Err(format!("implied.json: rule id `{}` is used twice", r.id));
        }
    }
    Ok(rules)
}

/// Reads the session rules from the rules' JSON text.
pub fn parse_session_rules(json: &str) -> Result<Vec<SessionRule>, String> {
    session_rules_in(&root(json)?)
}

/// Reads rules from their JSON text.
pub fn parse_rules(json: &str) -> Result<Vec<Rule>, String> {
    rules_in(&root(json)?)
}

/// The embedded rules and session rules, read from one parse of the file (both empty if the
/// embedded file were broken, which the tests rule out).
fn embedded() -> &'static (Vec<Rule>, Vec<SessionRule>) {
    static EMBEDDED: OnceLock<(Vec<Rule>, Vec<SessionRule>)> = OnceLock::new();
    EMBEDDED.get_or_init(|| {
        root(RULES_JSON)
            .and_then(|r| Ok((rules_in(&r)?, session_rules_in(&r)?)))
            .unwrap_or_default()
    })
}

/// The embedded session rules, in the order STS checks them.
pub fn session_rules() -> &'static [SessionRule] {
    &embedded().1
}

/// The embedded rules, in the order their checks are made.
pub fn rules() -> &'static [Rule] {
    &embedded().0
}

/// The rules `action` triggers, in rule order. Remembered by action: every call a decision
/// plans asks (an access matrix, thousands of times for a few dozen actions), and matching
/// each rule's patterns is most of the cost of [`expand`].
fn triggered(action: &str) -> std::sync::Arc<[&'static Rule]> {
    type Memo =
        std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<[&'static Rule]>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(Memo::default);
    // A poisoned lock (a panic while another thread held it) only loses the memo.
    if let Some(hit) = memo.lock().ok().and_then(|m| m.get(action).cloned()) {
        return hit;
    }
    let found: std::sync::Arc<[&'static Rule]> =
        rules().iter().filter(|r| r.triggered_by(action)).collect();
    if let Ok(mut m) = memo.lock() {
        m.insert(action.to_owned(), found.clone());
    }
    found
}

/// The rule with this id.
pub fn rule_by_id(id: &str) -> Option<&'static Rule> {
    rules().iter().find(|r| r.id == id)
}

/// The role name of a `roleArn` parameter: the last path segment of an IAM role ARN
/// (`arn:aws:iam::111122223333:role/service/Name` → `Name`), or the text itself when it is a
/// plain name.
pub fn role_name(role_arn: &str) -> &str {
    match role_arn.split_once(":role/") {
        Some((_, path)) => path.rsplit('/').next().unwrap_or(path),
        None => role_arn,
    }
}

/// One implied check, with its request built.
#[derive(Clone, Debug)]
pub struct Implied {
    /// The rule that asks for it.
    pub rule: &'static Rule,
    /// Why, filled in.
    pub why: String,
    /// The request.
    pub built: BuiltRequest,
}

/// The role `selection` passes: its `roleArn` parameter (a role ARN or name), else the
/// user's execution role; `None` for a rule that applies only to a named role.
fn passed_role(world: &World, selection: &Selection, rule: &Rule) -> Option<String> {
    match &selection.parameters.role_arn {
        Some(arn) if !arn.trim().is_empty() => Some(role_name(arn.trim()).to_owned()),
        _ if rule.only_with_role => None,
        _ => world
            .user(&selection.user)
            .and_then(|u| world.execution_role_of(u)),
    }
}

/// The customer managed key that encrypts the resource `selection` targets: its own
/// `kmsKey`, or for an S3 object its bucket's.
fn encryption_key(world: &World, selection: &Selection) -> Option<String> {
    let target = world.resource(selection.resource.as_deref()?)?;
    if let Some(key) = &target.kms_key {
        return Some(key.clone());
    }
    if target.resource_type != "s3-object" {
        return None;
    }
    let bucket = target.name.split('/').next()?;
    world
        .resources
        .iter()
        .find(|b| b.resource_type == "s3-bucket" && b.name == bucket)?
        .kms_key
        .clone()
}

/// The checks AWS makes besides `built` (the request of `selection`), in rule order, built
/// with the keys `layers` shares.
pub fn expand(
    world: &World,
    selection: &Selection,
    built: &BuiltRequest,
    detail: Detail,
    layers: &mut KeyLayers,
) -> Result<Vec<Implied>, RequestError> {
    let mut build_request =
        |world: &World, selection: &Selection| build_request_with(world, selection, detail, layers);
    let action = built.action.action.as_str();
    let mut out = Vec::new();
    for rule in triggered(action).iter() {
        let (why, request) = match rule.check {
            CheckKind::PassRole => {
                let Some(role) = passed_role(world, selection, rule) else {
                    continue;
                };
                let check = Selection {
                    user: selection.user.clone(),
                    action: "iam:PassRole".to_owned(),
                    resource: None,
                    resource_arn: None,
                    route: selection.route.clone(),
                    parameters: Parameters {
                        name: Some(role.clone()),
                        resource_type: Some("iam-role".to_owned()),
                        passed_to_service: rule.passed_to_service.clone(),
                        ..Parameters::default()
                    },
                };
                (rule.why_for(&role, action), build_request(world, &check)?)
            }
            CheckKind::AddTagsOnCreate => {
                if selection.parameters.tags.is_empty() {
                    continue;
                }
                let mut tags = selection.clone();
                tags.action = "sagemaker:AddTags".to_owned();
                tags.parameters.tagging_action = Some(built.action.name().to_owned());
                tags.parameters.resource_type = Some(built.action.resource_type.clone());
                if tags.parameters.name.is_none() {
                    tags.parameters.name = built.resource_name.clone();
                }
                tags.resource = None;
                let why = rule.why_for("", built.action.name());
                (why, build_request(world, &tags)?)
            }
            CheckKind::SetSourceIdentity => {
                let has_source_identity = matches!(
                    *built.caller,
                    Caller::AssumedRole {
                        source_identity: Some(_),
                        ..
                    }
                );
                if !has_source_identity {
                    continue;
                }
                let mut si = selection.clone();
                si.action = "sts:SetSourceIdentity".to_owned();
                let role = built.trust_policy_role.clone().unwrap_or_default();
                (rule.why_for(&role, action), build_request(world, &si)?)
            }
            CheckKind::DataAccessViaAthena => {
                if selection.parameters.target.is_none() {
                    continue;
                }
                let mut lf = selection.clone();
                lf.action = "lakeformation:GetDataAccess".to_owned();
                lf.resource = None;
                lf.parameters.via = Some("athena".to_owned());
                let mut request = build_request(world, &lf)?;
                // Athena forwards the caller's credentials ("AWS global condition context
                // keys", aws:CalledVia).
                let ctx = &mut request.request.context;
                ctx.insert_multi("aws:CalledVia", vec!["athena.amazonaws.com".to_owned()]);
                ctx.insert_single("aws:CalledViaFirst", "athena.amazonaws.com");
                ctx.insert_single("aws:CalledViaLast", "athena.amazonaws.com");
                ctx.insert_single("aws:ViaAWSService", "true");
                (rule.why_for("", action), request)
            }
            CheckKind::KmsKey => {
                let Some(key) = encryption_key(world, selection) else {
                    continue;
                };
                let (Some(kms_action), Some(via)) = (&rule.kms_action, &rule.via_service) else {
                    continue;
                };
                let check = Selection {
                    user: selection.user.clone(),
                    action: kms_action.clone(),
                    resource: Some(key.clone()),
                    resource_arn: None,
                    route: selection.route.clone(),
                    parameters: Parameters::default(),
                };
                let mut request = build_request(world, &check)?;
                // "AWS KMS condition keys": kms:ViaService names the service endpoint that
                // asked KMS on the caller's behalf; kms:CallerAccount the caller's account
                let ctx = &mut request.request.context;
                ctx.insert_single(
                    "kms:ViaService",
                    format!("{via}.{}.amazonaws.com", world.region),
                );
                ctx.insert_single("kms:CallerAccount", world.account.clone());
                (rule.why_for(&key, action), request)
            }
        };
        out.push(Implied {
            rule,
            why,
            built: request,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_rules_load_and_each_cites_a_page() {
        let rules = parse_rules(RULES_JSON).unwrap();
        assert!(rules.len() >= 5);
        assert_eq!(rules, super::rules());
        for r in &rules {
            assert!(!r.sources.is_empty(), "{}", r.id);
            assert!(!r.actions.is_empty(), "{}", r.id);
        }
    }

    #[test]
    fn session_rules_load_each_citing_a_page_in_sts_order() {
        let rules = parse_session_rules(RULES_JSON).unwrap();
        assert_eq!(rules, session_rules());
        let actions = |c: SessionCreator| -> Vec<&str> {
            rules
                .iter()
                .filter(|r| r.creator == c)
                .map(|r| r.action.as_str())
                .collect()
        };
        assert_eq!(
            actions(SessionCreator::SageMaker),
            ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:SetContext"]
        );
        assert_eq!(
            actions(SessionCreator::Saml),
            ["sts:AssumeRoleWithSAML", "sts:TagSession"]
        );
        assert_eq!(
            actions(SessionCreator::Emr),
            ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
        );
        let bad = r#"{"sessions": [{"id": "x", "creator": "lambda", "action": "sts:AssumeRole", "when": "always", "why": "", "sources": ["p"]}]}"#;
        assert_eq!(
            parse_session_rules(bad).unwrap_err(),
            "implied.json sessions[0]: unknown creator `lambda`"
        );
    }

    #[test]
    fn pass_role_follows_the_sagemaker_permissions_reference() {
        // "Amazon SageMaker API Permissions: Actions, Permissions, and Resources Reference"
        // lists iam:PassRole for CreateTrainingJob, CreateProcessingJob, CreateModel and
        // CreatePipeline, and not for CreateTransformJob (which runs as the model's role).
        let pass = rule_by_id("pass-role").unwrap();
        for a in [
            "sagemaker:CreateTrainingJob",
            "SageMaker:createprocessingjob",
            "sagemaker:CreateModel",
            "sagemaker:CreatePipeline",
        ] {
            assert!(pass.triggered_by(a), "{a}");
        }
        for a in [
            "sagemaker:CreateTransformJob",
            "sagemaker:CreateSpace",
            "s3:GetObject",
        ] {
            assert!(!pass.triggered_by(a), "{a}");
        }
        assert_eq!(
            pass.passed_to_service.as_deref(),
            Some("sagemaker.amazonaws.com")
        );
        assert!(
            rule_by_id("pass-role-endpoint-config")
                .unwrap()
                .only_with_role
        );
    }

    #[test]
    fn source_identity_is_checked_on_both_sides_of_a_chain() {
        // "Monitor and control actions taken with assumed roles": "permissions for
        // sts:SetSourceIdentity are required in both the permissions policy of the principal
        // who is assuming the role and in the role trust policy of the target role".
        let caller = rule_by_id("set-source-identity-caller").unwrap();
        let trust = rule_by_id("set-source-identity-trust").unwrap();
        assert_eq!((caller.scope, trust.scope), (Scope::Identity, Scope::Trust));
        assert!(caller.triggered_by("sts:AssumeRole") && trust.triggered_by("sts:AssumeRole"));
    }

    #[test]
    fn broken_rules_are_refused_with_their_place() {
        let bad = r#"{"rules": [{"id": "x", "check": "teleport", "actions": [], "scope": "all", "why": "", "sources": ["p"]}]}"#;
        assert_eq!(
            parse_rules(bad).unwrap_err(),
            "implied.json rules[0]: unknown check `teleport`"
        );
        let uncited = r#"{"rules": [{"id": "x", "check": "addTagsOnCreate", "actions": ["a:B"], "scope": "all", "why": "", "sources": []}]}"#;
        assert!(parse_rules(uncited)
            .unwrap_err()
            .contains("cite at least one AWS page"));
        let no_service = r#"{"rules": [{"id": "x", "check": "passRole", "actions": ["a:B"], "scope": "all", "why": "", "sources": ["p"]}]}"#;
        assert!(parse_rules(no_service)
            .unwrap_err()
            .contains("needs `passedToService`"));
    }

    #[test]
    fn role_names_come_from_arns_or_names() {
        assert_eq!(
            role_name("arn:aws:iam::111122223333:role/JobRole"),
            "JobRole"
        );
        assert_eq!(
            role_name("arn:aws:iam::111122223333:role/service-role/JobRole"),
            "JobRole"
        );
        assert_eq!(role_name("JobRole"), "JobRole");
    }
}
