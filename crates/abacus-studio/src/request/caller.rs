//! The signing identity: which [`Caller`] a [`Route`] makes of the user, with the principal
//! tags, source IP and user agent that come with it.
//!
//! Facts encoded (cited next to the code and in the tests below):
//! - SageMaker Developer Guide, "Considerations when using sourceIdentity" and the domain's
//!   `ExecutionRoleIdentityConfig`: with `USER_PROFILE_NAME` the profile name is the
//!   execution role session's source identity for calls from the private space and from
//!   jobs and pipelines the user starts; it persists through role chaining; external
//!   access keys carry none.
//! - IAM Identity Center User Guide: identity-enhanced role sessions carry the Identity
//!   Center user ([`OnBehalfOf`]) when the domain propagates trusted identities.
//! - IAM User Guide, "Passing session tags in AWS STS": session tags override the role's
//!   tags with the same key.

use super::route::{Route, EMR_LAKE_FORMATION_TAG, EMR_RUNTIME_SESSION_NAME};
use super::RequestError;
use crate::model::{
    unique_id, Authentication, Domain, ExecutionRoleIdentityConfig, Tags, UserProfile, World,
};
use serde::Serialize;

/// The identity that signs the call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Caller {
    /// A role session (Studio execution role, job role, chained role, federated session).
    #[serde(rename_all = "camelCase")]
    AssumedRole {
        /// Role name.
        role: String,
        /// Role ARN (`aws:PrincipalArn`).
        role_arn: String,
        /// Role unique id (`AROA...`).
        role_id: String,
        /// Session name.
        session_name: String,
        /// Source identity, when set.
        #[serde(skip_serializing_if = "Option::is_none")]
        source_identity: Option<String>,
        /// Identity Center user the session acts for (trusted identity propagation).
        #[serde(skip_serializing_if = "Option::is_none")]
        on_behalf_of: Option<OnBehalfOf>,
    },
    /// IAM user credentials.
    #[serde(rename_all = "camelCase")]
    IamUser {
        /// User name.
        name: String,
        /// User unique id (`AIDA...`).
        user_id: String,
        /// Signed in to the console (temporary session credentials) rather than calling
        /// with the user's long-term access keys.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        console: bool,
    },
    /// An AWS service acting as itself, e.g. SageMaker assuming the execution role.
    #[serde(rename_all = "camelCase")]
    AwsService {
        /// Service principal, e.g. `sagemaker.amazonaws.com`.
        service: String,
    },
    /// A person authenticated by a SAML identity provider, before STS gives them a role
    /// session (`sts:AssumeRoleWithSAML`).
    #[serde(rename_all = "camelCase")]
    SamlUser {
        /// The identity provider, `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
        provider_arn: String,
        /// The user's name in the assertion (its `RoleSessionName`).
        user_name: String,
    },
}

/// The identity context of an identity-enhanced role session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OnBehalfOf {
    /// Identity store user id.
    pub user_id: String,
    /// `arn:aws:identitystore::ACCOUNT:identitystore/d-...`.
    pub identity_store_arn: String,
    /// The user's groups (what connected services such as S3 Access Grants look up).
    pub groups: Vec<String>,
}

/// The signing identity of one call and what travels with it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Signer {
    /// Who signs (shared by the requests it signs).
    pub(super) caller: std::sync::Arc<Caller>,
    /// `aws:PrincipalTag/*`: the role's or IAM user's tags, plus session tags.
    pub(super) principal_tags: Tags,
    /// `aws:SourceIp`.
    pub(super) source_ip: String,
    /// The user agent CloudTrail records.
    pub(super) user_agent: String,
}

/// The signer of a call `user` (of `domain`) makes by `route`; why keys are present or
/// absent goes to `notes`.
pub(super) fn sign(
    world: &World,
    user: &UserProfile,
    domain: &Domain,
    route: &Route,
    notes: &mut Vec<String>,
) -> Result<Signer, RequestError> {
    let studio_source_identity = match domain.execution_role_identity_config {
        ExecutionRoleIdentityConfig::UserProfileName => Some(user.name.clone()),
        ExecutionRoleIdentityConfig::Disabled => None,
    };
    let on_behalf_of = identity_context(world, user, domain.trusted_identity_propagation);
    let execution_role = || {
        world
            .execution_role_of(user)
            .ok_or_else(|| RequestError::UnknownDomain(user.domain.clone()))
    };
    let (caller, principal_tags, source_ip, user_agent) = match route {
        Route::StudioSpace => {
            let role = execution_role()?;
            let c = role_session(
                world,
                &role,
                "SageMaker",
                studio_source_identity.clone(),
                on_behalf_of,
            )?;
            (
                c,
                role_tags(world, &role),
                world.source_ips.studio.clone(),
                studio_agent(),
            )
        }
        Route::TrainingJob { role } | Route::ProcessingJob { role } | Route::Pipeline { role } => {
            let role = match role {
                Some(r) => r.clone(),
                None => execution_role()?,
            };
            let c = role_session(
                world,
                &role,
                "SageMaker",
                studio_source_identity.clone(),
                on_behalf_of,
            )?;
            notes.push("jobs and pipelines started from Studio keep the user's source identity, but SageMaker context keys (`sagemaker:DomainId`, `sagemaker:UserProfileName`) exist only inside Studio".to_owned());
            (
                c,
                role_tags(world, &role),
                world.source_ips.jobs.clone(),
                job_agent(),
            )
        }
        Route::EmrStep { role, .. } => {
            // "Runtime roles for Amazon EMR steps": with PropagateSourceIdentity, EMR applies
            // the calling credentials' source identity to the runtime role session; the
            // session carries EMR's Lake Formation session tag.
            let c = role_session(
                world,
                role,
                EMR_RUNTIME_SESSION_NAME,
                studio_source_identity.clone(),
                None,
            )?;
            let mut tags = role_tags(world, role);
            tags.insert(
                EMR_LAKE_FORMATION_TAG.0.to_owned(),
                EMR_LAKE_FORMATION_TAG.1.to_owned(),
            );
            notes.push(format!("the step runs as the runtime role `{role}`, which EMR's instance profile role assumed with the user's source identity and the `LakeFormationAuthorizedCaller` session tag; no SageMaker context keys"));
            (c, tags, world.source_ips.jobs.clone(), emr_agent())
        }
        Route::Endpoint { role } | Route::TransformJob { role } => {
            let role = match role {
                Some(r) => r.clone(),
                None => execution_role()?,
            };
            // SageMaker Developer Guide, "Monitor user resource access from Amazon SageMaker
            // Studio": the source identity is recorded only for calls made with the Studio
            // execution role session or a role chained from it.
            let c = role_session(world, &role, "SageMaker", None, None)?;
            notes.push("the model's container runs as the model's execution role, which SageMaker assumes: no source identity and no SageMaker context keys, whoever deployed the model".to_owned());
            (
                c,
                role_tags(world, &role),
                world.source_ips.jobs.clone(),
                job_agent(),
            )
        }
        Route::AccessKeys { iam_user } => {
            let name = match (iam_user, &user.auth) {
                (Some(n), _) => n.clone(),
                (None, Authentication::IamUser { user_name }) => user_name.clone(),
                (None, _) => return Err(RequestError::NoIamUser(user.name.clone())),
            };
            let iam = world
                .iam_user(&name)
                .ok_or_else(|| RequestError::UnknownIamUser(name.clone()))?;
            notes.push("external access keys carry no `aws:SourceIdentity` and no SageMaker context keys, even when used inside Studio".to_owned());
            (
                Caller::IamUser {
                    name: name.clone(),
                    user_id: unique_id("AIDA", &world.account, &name),
                    console: false,
                },
                iam.tags.clone(),
                world.source_ips.external.clone(),
                cli_agent(),
            )
        }
        Route::RoleChain { role, session_name } => {
            let session = session_name.clone().unwrap_or_else(|| "chained".to_owned());
            let c = role_session(world, role, &session, studio_source_identity.clone(), None)?;
            notes.push("the source identity persists through role chaining; the chained role's tags become the principal tags".to_owned());
            (
                c,
                role_tags(world, role),
                world.source_ips.studio.clone(),
                studio_agent(),
            )
        }
        Route::RoleSession {
            role,
            session_name,
            source_identity,
        } => {
            let session = session_name.clone().unwrap_or_else(|| "session".to_owned());
            let c = role_session(world, role, &session, source_identity.clone(), None)?;
            notes.push(format!(
                "a session of `{role}` obtained outside Studio: how it was assumed is not modelled, and it carries no SageMaker context keys{}",
                if source_identity.is_some() { "" } else { " and no source identity" }
            ));
            (
                c,
                role_tags(world, role),
                world.source_ips.external.clone(),
                cli_agent(),
            )
        }
        Route::Console => console_caller(world, user)?,
    };
    if *route == Route::StudioSpace && studio_source_identity.is_none() {
        notes.push(format!(
            "domain `{}` has ExecutionRoleIdentityConfig=DISABLED, so no `aws:SourceIdentity`",
            domain.id
        ));
    }
    Ok(Signer {
        caller: std::sync::Arc::new(caller),
        principal_tags,
        source_ip,
        user_agent,
    })
}

/// The principal ARN of `caller`: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (no
/// path, as STS writes it), the IAM user ARN, or the service principal's name.
pub fn principal_arn(world: &World, caller: &Caller) -> String {
    match caller {
        Caller::AssumedRole {
            role, session_name, ..
        } => [
            "arn:",
            &world.partition,
            ":sts::",
            &world.account,
            ":assumed-role/",
            role,
            "/",
            session_name,
        ]
        .concat(),
        Caller::IamUser { name, .. } => world.iam_user_arn(name),
        Caller::AwsService { service } => service.clone(),
        Caller::SamlUser { provider_arn, .. } => provider_arn.clone(),
    }
}

fn role_session(
    world: &World,
    role: &str,
    session_name: &str,
    source_identity: Option<String>,
    on_behalf_of: Option<OnBehalfOf>,
) -> Result<Caller, RequestError> {
    if world.role(role).is_none() {
        return Err(RequestError::UnknownRole(role.to_owned()));
    }
    Ok(Caller::AssumedRole {
        role: role.to_owned(),
        role_arn: world.role_arn(role),
        role_id: unique_id("AROA", &world.account, role),
        session_name: session_name.to_owned(),
        source_identity,
        on_behalf_of,
    })
}

fn role_tags(world: &World, role: &str) -> Tags {
    world.role(role).map(|r| r.tags.clone()).unwrap_or_default()
}

/// The role session `role` / `session_name` (checked to exist in the world).
pub(crate) fn assumed_role_caller(
    world: &World,
    role: &str,
    session_name: &str,
    source_identity: Option<String>,
) -> Result<Caller, RequestError> {
    role_session(world, role, session_name, source_identity, None)
}

/// The Identity Center user an identity-enhanced session of `user` acts for, when the
/// domain propagates trusted identities (`enabled`) and the user signs in through Identity
/// Center.
pub(crate) fn identity_context(
    world: &World,
    user: &UserProfile,
    enabled: bool,
) -> Option<OnBehalfOf> {
    if !enabled {
        return None;
    }
    let Authentication::IdentityCenter {
        user_id, groups, ..
    } = &user.auth
    else {
        return None;
    };
    let store = world
        .identity_store_id
        .clone()
        .unwrap_or_else(|| "d-0000000000".to_owned());
    Some(OnBehalfOf {
        user_id: user_id.clone(),
        identity_store_arn: format!(
            "arn:{}:identitystore::{}:identitystore/{}",
            world.partition, world.account, store
        ),
        groups: groups.clone(),
    })
}

fn console_caller(
    world: &World,
    user: &UserProfile,
) -> Result<(Caller, Tags, String, String), RequestError> {
    let ip = world.source_ips.external.clone();
    match &user.auth {
        Authentication::IamUser { user_name } => {
            let iam = world
                .iam_user(user_name)
                .ok_or_else(|| RequestError::UnknownIamUser(user_name.clone()))?;
            Ok((
                Caller::IamUser {
                    name: user_name.clone(),
                    user_id: unique_id("AIDA", &world.account, user_name),
                    console: true,
                },
                iam.tags.clone(),
                ip,
                console_agent(),
            ))
        }
        Authentication::Saml {
            role,
            session_name,
            principal_tags,
            ..
        } => {
            let caller = role_session(world, role, session_name, None, None)?;
            // Session tags override role tags with the same key
            // (IAM User Guide: "Passing session tags in AWS STS").
            let mut tags = role_tags(world, role);
            for (k, v) in principal_tags {
                tags.insert(k.clone(), v.clone());
            }
            Ok((caller, tags, ip, console_agent()))
        }
        Authentication::IdentityCenter {
            user_name,
            permission_set_role,
            ..
        } => {
            let role = permission_set_role
                .clone()
                .or_else(|| world.execution_role_of(user))
                .ok_or_else(|| RequestError::UnknownDomain(user.domain.clone()))?;
            let caller = role_session(world, &role, user_name, None, None)?;
            Ok((caller, role_tags(world, &role), ip, console_agent()))
        }
    }
}

fn studio_agent() -> String {
    "Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.11.9 exec-env/AWS_SageMaker_Studio".to_owned()
}
fn job_agent() -> String {
    "Boto3/1.34.131 md/Botocore#1.34.131 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.10.14 exec-env/AWS_SageMaker_TrainingJob".to_owned()
}
fn cli_agent() -> String {
    "aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9"
        .to_owned()
}
fn emr_agent() -> String {
    "aws-sdk-java/1.12.772 Linux/5.10 OpenJDK_64-Bit_Server_VM/17 java/17 scala/2.12.18 vendor/Amazon.com_Inc. exec-env/AWS_EMR".to_owned()
}
fn console_agent() -> String {
    "AWS Internal".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::build_request;
    use crate::request::test_support::{sel, single};
    use crate::scenario::default_scenario;

    #[test]
    fn training_job_keeps_source_identity_but_not_studio_keys() {
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        let b = build_request(
            &w,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                Route::TrainingJob { role: None },
            ),
        )
        .unwrap();
        assert_eq!(single(&b, "aws:SourceIdentity").as_deref(), Some("alice"));
        assert!(single(&b, "sagemaker:UserProfileName").is_none());
    }

    #[test]
    fn access_keys_carry_no_source_identity() {
        // IAM User Guide: "AWS global condition context keys" (aws:username for IAM users)
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        let b = build_request(
            &w,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                Route::AccessKeys { iam_user: None },
            ),
        )
        .unwrap();
        assert_eq!(b.request.principal, "arn:aws:iam::111122223333:user/alice");
        assert!(single(&b, "aws:SourceIdentity").is_none());
        assert_eq!(single(&b, "aws:username").as_deref(), Some("alice"));
    }

    #[test]
    fn a_role_session_outside_studio_carries_only_what_it_is_given() {
        // IAM User Guide: "AWS global condition context keys" (aws:PrincipalArn is the role
        // for a role session; aws:SourceIdentity only when the session has one); SageMaker
        // context keys only for calls from within Studio
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        let route = |source_identity: Option<&str>| Route::RoleSession {
            role: "DataEngineerRole".into(),
            session_name: Some("nightly".into()),
            source_identity: source_identity.map(Into::into),
        };
        let b = build_request(
            &w,
            &sel("alice", "s3:GetObject", Some("obj-alice"), route(None)),
        )
        .unwrap();
        assert_eq!(
            b.request.principal,
            "arn:aws:sts::111122223333:assumed-role/DataEngineerRole/nightly"
        );
        assert!(single(&b, "aws:SourceIdentity").is_none());
        assert!(single(&b, "sagemaker:UserProfileName").is_none());
        assert_eq!(
            single(&b, "aws:PrincipalArn").as_deref(),
            Some("arn:aws:iam::111122223333:role/DataEngineerRole")
        );
        let b = build_request(
            &w,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                route(Some("ana")),
            ),
        )
        .unwrap();
        assert_eq!(single(&b, "aws:SourceIdentity").as_deref(), Some("ana"));
    }

    #[test]
    fn role_chaining_keeps_source_identity() {
        // IAM User Guide: "Monitor and control actions taken with assumed roles"
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        let b = build_request(
            &w,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                Route::RoleChain {
                    role: "DataEngineerRole".into(),
                    session_name: None,
                },
            ),
        )
        .unwrap();
        assert_eq!(single(&b, "aws:SourceIdentity").as_deref(), Some("alice"));
        assert_eq!(
            b.request.principal,
            "arn:aws:sts::111122223333:assumed-role/DataEngineerRole/chained"
        );
    }

    #[test]
    fn identity_enhanced_sessions_carry_the_identity_center_user() {
        // IAM Identity Center User Guide: "AWS STS condition context keys for IAM Identity Center"
        let mut w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        w.identity_store_id = Some("d-1234567890".into());
        if let Some(d) = w.domains.first_mut() {
            d.trusted_identity_propagation = true;
        }
        if let Some(u) = w.users.first_mut() {
            u.auth = Authentication::IdentityCenter {
                user_id: "u-1".into(),
                user_name: "alice@example.com".into(),
                groups: vec!["DataScientists".into()],
                permission_set_role: None,
            };
        }
        let b = build_request(
            &w,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                Route::TrainingJob { role: None },
            ),
        )
        .unwrap();
        assert_eq!(single(&b, "identitystore:UserId").as_deref(), Some("u-1"));
        assert_eq!(
            single(&b, "identitystore:IdentityStoreArn").as_deref(),
            Some("arn:aws:identitystore::111122223333:identitystore/d-1234567890")
        );
        let plain = build_request(
            &default_scenario().world,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                Route::StudioSpace,
            ),
        )
        .unwrap();
        assert!(single(&plain, "identitystore:UserId").is_none());
    }
}
