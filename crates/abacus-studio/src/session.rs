//! The role session SageMaker creates before a user's call can happen.
//!
//! A Studio space, and a job or pipeline the user starts, run as a role session that
//! SageMaker itself creates: `sagemaker.amazonaws.com` calls `sts:AssumeRole` on the
//! execution (or job) role. With `ExecutionRoleIdentityConfig = USER_PROFILE_NAME` the
//! session carries the profile name as its source identity, which also needs
//! `sts:SetSourceIdentity`; with trusted identity propagation it carries the Identity Center
//! user's identity context, which also needs `sts:SetContext`. The role's trust policy must
//! allow each of them for the SageMaker service principal, or the session never exists and
//! the user's call cannot happen.
//!
//! Facts encoded (cited in the tests below):
//! - IAM User Guide, "Monitor and control actions taken with assumed roles": setting a source
//!   identity needs `sts:SetSourceIdentity` in the role trust policy.
//! - SageMaker Developer Guide, "Monitor user resource access from Amazon SageMaker Studio"
//!   ("Turn on sourceIdentity in CloudTrail logs for SageMaker AI Studio Classic") and seed
//!   001: with source identity on, every execution role's trust policy allows
//!   `sts:AssumeRole` and `sts:SetSourceIdentity` for `sagemaker.amazonaws.com`; without it
//!   actions fail with `AccessDeniedException` or `ValidationError`.
//! - SageMaker Developer Guide, trusted identity propagation setup and seed 004: the trust
//!   policy allows `sts:SetContext` in addition to `sts:AssumeRole`.

use crate::actions::{catalogue, KeyFamily};
use crate::implied::{self, SessionCreator, SessionRule, SessionWhen};
use crate::model::{ExecutionRoleIdentityConfig, World};
use crate::request::Selection;
use crate::request::{epoch_seconds, identity_context, BuiltRequest, Caller, RequestError, Route};
use abacus_policy::{Context, Request};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The service principal that assumes execution and job roles.
pub const SAGEMAKER_SERVICE: &str = "sagemaker.amazonaws.com";

/// The session name SageMaker gives the sessions it creates.
const SESSION_NAME: &str = "SageMaker";

/// The documented audience of a console sign-in's SAML assertion (IAM User Guide, "Create a
/// role for a third-party identity provider (SAML 2.0 federation)": the trust policy tests
/// `SAML:aud` against the SAML federation endpoint).
pub const SAML_SIGN_IN_AUDIENCE: &str = "https://signin.aws.amazon.com/saml";

/// A SAML sign-in: the IdP's assertion exchanged for a role session.
#[derive(Clone, Debug, PartialEq)]
pub struct SamlSignIn {
    /// `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
    pub provider_arn: String,
    /// The `RoleSessionName` attribute.
    pub session_name: String,
    /// `PrincipalTag:*` attributes: session tags, which need `sts:TagSession`.
    pub principal_tags: crate::model::Tags,
    /// `TransitiveTagKeys` attribute.
    pub transitive_tag_keys: Vec<String>,
}

/// Who creates a session.
#[derive(Clone, Debug, PartialEq)]
pub enum Creator {
    /// `sagemaker.amazonaws.com` assumes the role (Studio spaces, jobs, pipelines).
    SageMaker,
    /// The person's SAML identity provider, through `sts:AssumeRoleWithSAML`.
    Saml(SamlSignIn),
    /// An EMR cluster's EC2 instance profile role assumes a step's runtime role ("Runtime
    /// roles for Amazon EMR steps": `sts:AssumeRole` and `sts:TagSession`, plus
    /// `sts:SetSourceIdentity` when the source identity is propagated).
    Emr {
        /// The instance profile role.
        instance_profile_role: String,
    },
}

/// The session name of the instance profile role's session on the cluster's instances (not
/// documented; illustrative).
const EMR_INSTANCE_SESSION: &str = "emr-instance";

/// The role session SageMaker (or a sign-in) creates for a selection's route.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSession {
    /// Who creates it.
    pub creator: Creator,
    /// The role SageMaker assumes.
    pub role: String,
    /// What runs as that session, e.g. `Studio space` or `training job`.
    pub runs: String,
    /// The source identity set on the session (`USER_PROFILE_NAME`).
    pub source_identity: Option<String>,
    /// True when the session carries an identity context (trusted identity propagation).
    pub identity_context: bool,
}

/// One STS permission checked when the session is created.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionCall {
    /// Why it is needed.
    pub why: String,
    /// The rule that asks for it (`data/implied.json`, `sessions`).
    pub rule: &'static SessionRule,
    /// The request, by `sagemaker.amazonaws.com` on the role.
    pub built: BuiltRequest,
}

/// The session SageMaker creates for `selection`, or `None` when the route uses the
/// person's own credentials (access keys, console sign-in) or a session made outside
/// Studio ([`Route::RoleSession`]).
pub fn service_session(
    world: &World,
    selection: &Selection,
) -> Result<Option<ServiceSession>, RequestError> {
    let user = world
        .user(&selection.user)
        .ok_or_else(|| RequestError::UnknownUser(selection.user.clone()))?;
    let domain = world
        .domain(&user.domain)
        .ok_or_else(|| RequestError::UnknownDomain(user.domain.clone()))?;
    let execution_role = || {
        world
            .execution_role_of(user)
            .ok_or_else(|| RequestError::UnknownDomain(user.domain.clone()))
    };
    let (role, runs) = match &selection.route {
        Route::StudioSpace => (execution_role()?, "Studio space"),
        // The chained call starts from the Studio space session.
        Route::RoleChain { .. } => (execution_role()?, "Studio space"),
        Route::TrainingJob { role } => (
            role.clone().map_or_else(execution_role, Ok)?,
            "training job",
        ),
        Route::ProcessingJob { role } => (
            role.clone().map_or_else(execution_role, Ok)?,
            "processing job",
        ),
        Route::Pipeline { role } => (role.clone().map_or_else(execution_role, Ok)?, "pipeline"),
        Route::Endpoint { role } => (
            role.clone().map_or_else(execution_role, Ok)?,
            "endpoint inference container",
        ),
        Route::TransformJob { role } => (
            role.clone().map_or_else(execution_role, Ok)?,
            "batch transform job",
        ),
        Route::Console => return Ok(saml_sign_in(world, user)),
        // how the session was obtained is outside the model
        Route::RoleSession { .. } => return Ok(None),
        Route::EmrStep {
            role,
            instance_profile_role,
            ..
        } => {
            let instance_profile_role = instance_profile_role
                .clone()
                .unwrap_or_else(|| crate::request::EMR_DEFAULT_INSTANCE_PROFILE_ROLE.to_owned());
            for r in [role, &instance_profile_role] {
                if world.role(r).is_none() {
                    return Err(RequestError::UnknownRole(r.clone()));
                }
            }
            let source_identity = match domain.execution_role_identity_config {
                ExecutionRoleIdentityConfig::UserProfileName => Some(user.name.clone()),
                ExecutionRoleIdentityConfig::Disabled => None,
            };
            return Ok(Some(ServiceSession {
                creator: Creator::Emr {
                    instance_profile_role,
                },
                role: role.clone(),
                runs: "EMR step".to_owned(),
                source_identity,
                identity_context: false,
            }));
        }
        Route::AccessKeys { .. } => return Ok(None),
    };
    if world.role(&role).is_none() {
        return Err(RequestError::UnknownRole(role));
    }
    let model_role = matches!(
        selection.route,
        Route::Endpoint { .. } | Route::TransformJob { .. }
    );
    let source_identity = match domain.execution_role_identity_config {
        // the model's containers do not run from the user's Studio session
        _ if model_role => None,
        ExecutionRoleIdentityConfig::UserProfileName => Some(user.name.clone()),
        ExecutionRoleIdentityConfig::Disabled => None,
    };
    let identity_context =
        !model_role && identity_context(world, user, domain.trusted_identity_propagation).is_some();
    Ok(Some(ServiceSession {
        creator: Creator::SageMaker,
        role,
        runs: runs.to_owned(),
        source_identity,
        identity_context,
    }))
}

/// The console session of a SAML-federated user whose identity provider the world names.
fn saml_sign_in(world: &World, user: &crate::model::UserProfile) -> Option<ServiceSession> {
    let crate::model::Authentication::Saml {
        role,
        session_name,
        principal_tags,
        transitive_tag_keys,
        saml_provider: Some(provider),
    } = &user.auth
    else {
        return None;
    };
    let provider_arn = if provider.starts_with("arn:") {
        provider.clone()
    } else {
        format!(
            "arn:{}:iam::{}:saml-provider/{provider}",
            world.partition, world.account
        )
    };
    Some(ServiceSession {
        creator: Creator::Saml(SamlSignIn {
            provider_arn,
            session_name: session_name.clone(),
            principal_tags: principal_tags.clone(),
            transitive_tag_keys: transitive_tag_keys.clone(),
        }),
        role: role.clone(),
        runs: "console".to_owned(),
        source_identity: None,
        identity_context: false,
    })
}

impl ServiceSession {
    /// The STS permissions checked when the session is created, in the order STS checks
    /// them: the `sessions` rules of `data/implied.json` for this session's creator, each
    /// when it applies (a source identity, an identity context, session tags).
    pub fn calls(&self, world: &World) -> Vec<SessionCall> {
        let creator = match &self.creator {
            Creator::SageMaker => SessionCreator::SageMaker,
            Creator::Saml(_) => SessionCreator::Saml,
            Creator::Emr { .. } => SessionCreator::Emr,
        };
        implied::session_rules()
            .iter()
            .filter(|r| r.creator == creator)
            .filter(|r| match r.when {
                SessionWhen::Always => true,
                SessionWhen::SourceIdentity => self.source_identity.is_some(),
                SessionWhen::IdentityContext => self.identity_context,
                SessionWhen::SessionTags => {
                    matches!(&self.creator, Creator::Saml(s) if !s.principal_tags.is_empty())
                }
            })
            .filter_map(|rule| {
                let built = match &self.creator {
                    Creator::SageMaker => self.request(world, &rule.action),
                    Creator::Saml(saml) => self.saml_request(world, saml, &rule.action),
                    Creator::Emr {
                        instance_profile_role,
                    } => self.emr_request(world, instance_profile_role, &rule.action),
                }?;
                Some(SessionCall {
                    why: self.why(rule),
                    rule,
                    built,
                })
            })
            .collect()
    }

    /// A rule's `why` with this session's values.
    fn why(&self, rule: &SessionRule) -> String {
        let (provider, user, tags, instance_profile_role) = match &self.creator {
            Creator::SageMaker => (String::new(), String::new(), String::new(), String::new()),
            Creator::Saml(saml) => (
                saml.provider_arn.clone(),
                saml.session_name.clone(),
                saml.principal_tags
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                String::new(),
            ),
            Creator::Emr {
                instance_profile_role,
            } => {
                let (k, v) = crate::request::EMR_LAKE_FORMATION_TAG;
                (
                    String::new(),
                    String::new(),
                    format!("{k}={v}"),
                    instance_profile_role.clone(),
                )
            }
        };
        rule.why
            .replace("{role}", &self.role)
            .replace("{runs}", &self.runs)
            .replace(
                "{sourceIdentity}",
                self.source_identity.as_deref().unwrap_or(""),
            )
            .replace("{provider}", &provider)
            .replace("{user}", &user)
            .replace("{tags}", &tags)
            .replace("{instanceProfileRole}", &instance_profile_role)
    }

    /// The request the identity provider's user makes on the role for `action`.
    fn saml_request(&self, world: &World, saml: &SamlSignIn, action: &str) -> Option<BuiltRequest> {
        let spec = crate::actions::spec(action)?;
        let role_arn = world.role_arn(&self.role);
        let mut ctx = self.role_context(world, &spec);
        ctx.insert_single("saml:aud", SAML_SIGN_IN_AUDIENCE);
        if spec.carries(KeyFamily::RequestTags) && !saml.principal_tags.is_empty() {
            for (k, v) in &saml.principal_tags {
                ctx.insert_single(&format!("aws:RequestTag/{k}"), v.clone());
            }
            ctx.insert_multi("aws:TagKeys", saml.principal_tags.keys().cloned().collect());
        }
        if spec.carries(KeyFamily::TransitiveTagKeys) && !saml.transitive_tag_keys.is_empty() {
            ctx.insert_multi("sts:TransitiveTagKeys", saml.transitive_tag_keys.clone());
        }
        let mut vars = self.role_vars(world, &saml.session_name);
        vars.insert("ProviderArn".to_owned(), saml.provider_arn.clone());
        Some(BuiltRequest {
            request: Request {
                principal: saml.provider_arn.clone(),
                action: spec.action.clone(),
                resource: role_arn,
                context: ctx,
            },
            caller: Arc::new(Caller::SamlUser {
                provider_arn: saml.provider_arn.clone(),
                user_name: saml.session_name.clone(),
            }),
            action: spec,
            policy_role: None,
            policy_iam_user: None,
            resource_policy_owner: None,
            trust_policy_role: Some(self.role.clone()),
            resource_name: Some(self.role.clone()),
            source_ip: world.source_ips.external.clone(),
            user_agent: "signin.amazonaws.com".to_owned(),
            vars,
            notes: Vec::new(),
        })
    }

    /// The request the instance profile role's session makes on the runtime role.
    fn emr_request(
        &self,
        world: &World,
        instance_profile_role: &str,
        action: &str,
    ) -> Option<BuiltRequest> {
        let spec = crate::actions::spec(action)?;
        let caller = crate::request::assumed_role_caller(
            world,
            instance_profile_role,
            EMR_INSTANCE_SESSION,
            None,
        )
        .ok()?;
        let principal = format!(
            "arn:{}:sts::{}:assumed-role/{instance_profile_role}/{EMR_INSTANCE_SESSION}",
            world.partition, world.account
        );
        let role_arn = world.role_arn(&self.role);
        let mut ctx = Context::new();
        ctx.insert_single("aws:PrincipalArn", world.role_arn(instance_profile_role));
        ctx.insert_single("aws:PrincipalType", "AssumedRole");
        ctx.insert_single("aws:PrincipalAccount", world.account.clone());
        ctx.insert_single("aws:PrincipalIsAWSService", "false");
        for (k, v) in world
            .role(instance_profile_role)
            .map(|r| r.tags.clone())
            .unwrap_or_default()
        {
            ctx.insert_single(&format!("aws:PrincipalTag/{k}"), v);
        }
        ctx.merge(self.role_context(world, &spec));
        if spec.carries(KeyFamily::RequestTags) {
            let (k, v) = crate::request::EMR_LAKE_FORMATION_TAG;
            ctx.insert_single(&format!("aws:RequestTag/{k}"), v);
            ctx.insert_multi("aws:TagKeys", vec![k.to_owned()]);
        }
        if action == "sts:AssumeRole" {
            ctx.insert_single(
                "sts:RoleSessionName",
                crate::request::EMR_RUNTIME_SESSION_NAME,
            );
        }
        let vars = self.role_vars(world, crate::request::EMR_RUNTIME_SESSION_NAME);
        Some(BuiltRequest {
            request: Request {
                principal,
                action: spec.action.clone(),
                resource: role_arn,
                context: ctx,
            },
            caller: Arc::new(caller),
            action: spec,
            policy_role: Some(instance_profile_role.to_owned()),
            policy_iam_user: None,
            resource_policy_owner: None,
            trust_policy_role: Some(self.role.clone()),
            resource_name: Some(self.role.clone()),
            source_ip: world.source_ips.jobs.clone(),
            user_agent: "aws-sdk-java exec-env/AWS_EMR".to_owned(),
            vars,
            notes: Vec::new(),
        })
    }

    /// The explanation when `action` (one of [`ServiceSession::calls`]) is not allowed, so
    /// the session never existed and `user_action` could not be called from it.
    pub fn failure(&self, action: &str, explicit: bool, user_action: &str) -> String {
        format!(
            "{}; the {} session was never created, so `{user_action}` could not be called",
            self.reason(action, explicit),
            self.runs
        )
    }

    fn reason(&self, action: &str, explicit: bool) -> String {
        if let Creator::Emr {
            instance_profile_role,
        } = &self.creator
        {
            let how = if explicit {
                "is explicitly denied"
            } else {
                "is not allowed"
            };
            return format!(
                "EMR's instance profile role `{instance_profile_role}` could not assume the runtime role `{}`: {action} {how} (the runtime role's trust policy must allow it for the instance profile role)",
                self.role
            );
        }
        if let Creator::Saml(saml) = &self.creator {
            let denies = if explicit {
                "explicitly denies"
            } else {
                "does not allow"
            };
            return format!(
                "the SAML sign-in to `{}` failed: its trust policy {denies} {action} for the identity provider `{}`",
                self.role, saml.provider_arn
            );
        }
        let with = match action {
            "sts:SetSourceIdentity" => " with a source identity",
            "sts:SetContext" => " with the user's identity context",
            _ => "",
        };
        let why = if explicit {
            format!("its trust policy explicitly denies {action} for {SAGEMAKER_SERVICE}")
        } else {
            format!("its trust policy does not allow {action} for {SAGEMAKER_SERVICE}")
        };
        format!("SageMaker could not assume `{}`{with}: {why}", self.role)
    }

    /// The keys every request on the role carries, whoever makes it: the account, region,
    /// time and transport keys (IAM User Guide, "AWS global condition context keys"), the
    /// role's tags as resource tags and the new session's source identity
    /// (`sts:SourceIdentity`) where the action carries them.
    fn role_context(&self, world: &World, spec: &crate::actions::ActionSpec) -> Context {
        let mut ctx = Context::new();
        ctx.insert_single("aws:ResourceAccount", world.account.clone());
        ctx.insert_single("aws:RequestedRegion", world.region.clone());
        ctx.insert_single("aws:CurrentTime", world.clock.clone());
        if let Some(epoch) = epoch_seconds(&world.clock) {
            ctx.insert_single("aws:EpochTime", epoch.to_string());
        }
        ctx.insert_single("aws:SecureTransport", "true");
        ctx.insert_single("aws:ViaAWSService", "false");
        if spec.carries(KeyFamily::ResourceTags) {
            let prefixes = catalogue()
                .resource_type("iam-role")
                .map(|r| r.tag_key_prefixes.clone())
                .unwrap_or_default();
            for (k, v) in world
                .role(&self.role)
                .map(|r| r.tags.clone())
                .unwrap_or_default()
            {
                for p in &prefixes {
                    ctx.insert_single(&format!("{p}/{k}"), v.clone());
                }
            }
        }
        if let (Some(si), true) = (
            &self.source_identity,
            spec.carries(KeyFamily::StsSourceIdentity),
        ) {
            ctx.insert_single("sts:SourceIdentity", si.clone());
        }
        ctx
    }

    /// The CloudTrail template values of a request that creates the session `session_name`
    /// on the role.
    fn role_vars(&self, world: &World, session_name: &str) -> BTreeMap<String, String> {
        let mut vars = BTreeMap::new();
        if let Some(si) = &self.source_identity {
            vars.insert("SourceIdentity".to_owned(), si.clone());
        }
        let role_arn = world.role_arn(&self.role);
        vars.insert("Arn".to_owned(), role_arn);
        vars.insert("Name".to_owned(), self.role.clone());
        vars.insert("ShortName".to_owned(), self.role.clone());
        vars.insert("SessionName".to_owned(), session_name.to_owned());
        vars.insert("Region".to_owned(), world.region.clone());
        vars.insert("Account".to_owned(), world.account.clone());
        vars
    }

    /// The request `sagemaker.amazonaws.com` makes on the role for `action`.
    fn request(&self, world: &World, action: &str) -> Option<BuiltRequest> {
        let spec = crate::actions::spec(action)?;
        let role_arn = world.role_arn(&self.role);
        let mut ctx = Context::new();
        // IAM User Guide: "AWS global condition context keys" (service principal calls carry
        // aws:PrincipalIsAWSService and aws:PrincipalServiceName, no principal ARN or tags).
        ctx.insert_single("aws:PrincipalIsAWSService", "true");
        ctx.insert_single("aws:PrincipalServiceName", SAGEMAKER_SERVICE);
        ctx.insert_single("aws:SourceAccount", world.account.clone());
        ctx.merge(self.role_context(world, &spec));
        if action == "sts:AssumeRole" {
            ctx.insert_single("sts:RoleSessionName", SESSION_NAME);
        }
        let vars = self.role_vars(world, SESSION_NAME);
        Some(BuiltRequest {
            request: Request {
                principal: SAGEMAKER_SERVICE.to_owned(),
                action: spec.action.clone(),
                resource: role_arn,
                context: ctx,
            },
            caller: Arc::new(Caller::AwsService {
                service: SAGEMAKER_SERVICE.to_owned(),
            }),
            action: spec,
            policy_role: None,
            policy_iam_user: None,
            resource_policy_owner: None,
            trust_policy_role: Some(self.role.clone()),
            resource_name: Some(self.role.clone()),
            source_ip: SAGEMAKER_SERVICE.to_owned(),
            user_agent: SAGEMAKER_SERVICE.to_owned(),
            vars,
            notes: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Authentication;
    use crate::request::Parameters;
    use crate::scenario::default_scenario;
    use abacus_policy::ContextValue;

    fn sel(user: &str, route: Route) -> Selection {
        Selection {
            user: user.into(),
            action: "s3:GetObject".into(),
            resource: Some("obj-alice".into()),
            resource_arn: None,
            route,
            parameters: Parameters::default(),
        }
    }

    fn actions(world: &World, s: &ServiceSession) -> Vec<String> {
        s.calls(world)
            .iter()
            .map(|c| c.built.request.action.clone())
            .collect()
    }

    #[test]
    fn source_identity_needs_set_source_identity() {
        // IAM User Guide: "Monitor and control actions taken with assumed roles"
        // (sts:SetSourceIdentity must be allowed in the role trust policy); SageMaker
        // Developer Guide: "Monitor user resource access from Amazon SageMaker Studio"
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        let s = service_session(&w, &sel("alice", Route::StudioSpace))
            .unwrap()
            .unwrap();
        assert_eq!(s.role, "SageMakerStudioTeamARole");
        assert_eq!(s.source_identity.as_deref(), Some("alice"));
        assert_eq!(actions(&w, &s), ["sts:AssumeRole", "sts:SetSourceIdentity"]);
        let calls = s.calls(&w);
        let si = &calls[1].built;
        assert_eq!(si.request.principal, "sagemaker.amazonaws.com");
        assert_eq!(
            si.request.resource,
            "arn:aws:iam::111122223333:role/SageMakerStudioTeamARole"
        );
        assert_eq!(
            si.request.context.get("sts:SourceIdentity"),
            Some(&ContextValue::Single("alice".into()))
        );
        assert_eq!(
            si.request.context.get("aws:SourceAccount"),
            Some(&ContextValue::Single("111122223333".into()))
        );
        assert_eq!(
            si.trust_policy_role.as_deref(),
            Some("SageMakerStudioTeamARole")
        );
        assert!(si.policy_role.is_none());
    }

    #[test]
    fn disabled_domain_needs_only_assume_role() {
        let mut w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        if let Some(d) = w.domains.first_mut() {
            d.execution_role_identity_config = ExecutionRoleIdentityConfig::Disabled;
        }
        let s = service_session(&w, &sel("alice", Route::StudioSpace))
            .unwrap()
            .unwrap();
        assert_eq!(actions(&w, &s), ["sts:AssumeRole"]);
    }

    #[test]
    fn identity_propagation_needs_set_context() {
        // SageMaker Developer Guide: trusted identity propagation setup (seed 004: the
        // execution role trust policy allows sts:SetContext in addition to sts:AssumeRole)
        let mut w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        if let Some(d) = w.domains.first_mut() {
            d.trusted_identity_propagation = true;
        }
        if let Some(u) = w.users.first_mut() {
            u.auth = Authentication::IdentityCenter {
                user_id: "u-1".into(),
                user_name: "alice@example.com".into(),
                groups: vec![],
                permission_set_role: None,
            };
        }
        let s = service_session(&w, &sel("alice", Route::TrainingJob { role: None }))
            .unwrap()
            .unwrap();
        assert_eq!(s.runs, "training job");
        assert_eq!(
            actions(&w, &s),
            ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:SetContext"]
        );
    }

    #[test]
    fn model_containers_run_as_the_model_role_without_the_users_identity() {
        // SageMaker API Reference, CreateModel `ExecutionRoleArn`: the role SageMaker assumes
        // for hosting (endpoints) and for batch transform jobs; SageMaker Developer Guide,
        // "Monitor user resource access from Amazon SageMaker Studio": source identity is
        // recorded only for the Studio session and roles chained from it.
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        for (route, runs) in [
            (
                Route::Endpoint {
                    role: Some("DataEngineerRole".into()),
                },
                "endpoint inference container",
            ),
            (
                Route::TransformJob {
                    role: Some("DataEngineerRole".into()),
                },
                "batch transform job",
            ),
        ] {
            let s = service_session(&w, &sel("alice", route)).unwrap().unwrap();
            assert_eq!(
                (s.role.as_str(), s.runs.as_str()),
                ("DataEngineerRole", runs)
            );
            assert_eq!(s.source_identity, None);
            assert_eq!(actions(&w, &s), ["sts:AssumeRole"]);
        }
    }

    #[test]
    fn a_saml_sign_in_needs_assume_role_with_saml_and_tag_session() {
        // IAM User Guide: "Passing session tags in AWS STS" (sts:TagSession in the trust
        // policy of a role connected to an IdP that passes session tags) and "Create a role
        // for a third-party identity provider (SAML 2.0 federation)" (Federated principal,
        // SAML:aud = https://signin.aws.amazon.com/saml)
        let mut w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        if let Some(u) = w.users.first_mut() {
            u.auth = Authentication::Saml {
                role: "DataEngineerRole".into(),
                session_name: "alice@example.com".into(),
                principal_tags: [("team".to_owned(), "TeamA".to_owned())].into(),
                transitive_tag_keys: vec!["team".into()],
                saml_provider: Some("okta".into()),
            };
        }
        let s = service_session(&w, &sel("alice", Route::Console))
            .unwrap()
            .unwrap();
        assert_eq!(
            actions(&w, &s),
            ["sts:AssumeRoleWithSAML", "sts:TagSession"]
        );
        let calls = s.calls(&w);
        let tag = &calls[1].built;
        assert_eq!(
            tag.request.principal,
            "arn:aws:iam::111122223333:saml-provider/okta"
        );
        assert_eq!(
            tag.request.context.get("saml:aud"),
            Some(&ContextValue::Single(SAML_SIGN_IN_AUDIENCE.into()))
        );
        assert_eq!(
            tag.request.context.get("aws:RequestTag/team"),
            Some(&ContextValue::Single("TeamA".into()))
        );
        assert_eq!(
            tag.request.context.get("sts:TransitiveTagKeys"),
            Some(&ContextValue::Multi(vec!["team".into()]))
        );
        assert_eq!(tag.trust_policy_role.as_deref(), Some("DataEngineerRole"));
    }

    #[test]
    fn an_emr_step_runs_as_the_runtime_role_the_instance_profile_assumes() {
        // "Runtime roles for Amazon EMR steps": the instance profile role assumes the runtime
        // role with sts:AssumeRole and sts:TagSession, and sts:SetSourceIdentity when the
        // calling credentials carry a source identity (PropagateSourceIdentity)
        let mut w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        for name in ["EMR_EC2_DefaultRole", "RuntimeRole"] {
            w.roles.push(crate::model::Role {
                name: name.into(),
                ..w.roles[0].clone()
            });
        }
        let route = Route::EmrStep {
            role: "RuntimeRole".into(),
            cluster: None,
            instance_profile_role: None,
        };
        let s = service_session(&w, &sel("alice", route)).unwrap().unwrap();
        assert_eq!(s.source_identity.as_deref(), Some("alice"));
        assert_eq!(
            actions(&w, &s),
            ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
        );
        let calls = s.calls(&w);
        let tag = &calls[1].built;
        assert_eq!(
            tag.request.principal,
            "arn:aws:sts::111122223333:assumed-role/EMR_EC2_DefaultRole/emr-instance"
        );
        assert_eq!(tag.policy_role.as_deref(), Some("EMR_EC2_DefaultRole"));
        assert_eq!(tag.trust_policy_role.as_deref(), Some("RuntimeRole"));
        assert_eq!(
            tag.request
                .context
                .get("aws:RequestTag/LakeFormationAuthorizedCaller"),
            Some(&ContextValue::Single("Amazon EMR".into()))
        );
        // the instance profile role must exist in the world
        let missing = Route::EmrStep {
            role: "RuntimeRole".into(),
            cluster: None,
            instance_profile_role: Some("NoSuchRole".into()),
        };
        assert_eq!(
            service_session(&w, &sel("alice", missing)),
            Err(RequestError::UnknownRole("NoSuchRole".into()))
        );
    }

    #[test]
    fn own_credentials_need_no_service_session() {
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        let keys = Route::AccessKeys { iam_user: None };
        assert!(service_session(&w, &sel("alice", keys)).unwrap().is_none());
        assert!(service_session(&w, &sel("alice", Route::Console))
            .unwrap()
            .is_none());
        // a chained call starts from the Studio space session
        let chain = Route::RoleChain {
            role: "DataEngineerRole".into(),
            session_name: None,
        };
        let s = service_session(&w, &sel("alice", chain)).unwrap().unwrap();
        assert_eq!(s.role, "SageMakerStudioTeamARole");
        let job = Route::TrainingJob {
            role: Some("Nope".into()),
        };
        assert_eq!(
            service_session(&w, &sel("alice", job)),
            Err(RequestError::UnknownRole("Nope".into()))
        );
    }

    #[test]
    fn failure_names_the_missing_permission() {
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        let s = service_session(&w, &sel("alice", Route::StudioSpace))
            .unwrap()
            .unwrap();
        assert_eq!(
            s.failure("sts:SetSourceIdentity", false, "s3:GetObject"),
            "SageMaker could not assume `SageMakerStudioTeamARole` with a source identity: its trust policy does not allow sts:SetSourceIdentity for sagemaker.amazonaws.com; the Studio space session was never created, so `s3:GetObject` could not be called"
        );
        assert!(s.failure("sts:AssumeRole", true, "s3:GetObject").contains(
            "`SageMakerStudioTeamARole`: its trust policy explicitly denies sts:AssumeRole"
        ));
    }
}
