//! The request-context builder: from "alice, from her Studio space, stops bob's training
//! job" to the principal ARN and the exact context keys AWS evaluates.
//!
//! [`build_request`] runs the parts in order, each a module:
//! - `route`: where the call comes from ([`Route`]);
//! - `selection`: what the user asks for ([`Selection`], [`Parameters`]);
//! - `caller`: the signing identity the route makes of the user ([`Caller`]), its
//!   principal tags, source IP and user agent;
//! - `principal_keys`: the caller's keys and the global keys of every call;
//! - `target`: ARN resolution, i.e. the resource the call targets (by world id, by ARN, or
//!   created by the call) and its ARN ([`parse_request_arn`]);
//! - `resource_keys`: the target's keys (account, resource tags, space ownership);
//! - `family_keys`: the keys of the action's key families that the request itself gives
//!   (request tags, Studio keys, `s3:prefix`, ...);
//! - `vars`: the CloudTrail template placeholders.
//!
//! `layers` keeps the caller's keys and the target's, for the requests that share them
//! ([`KeyLayers`], [`build_request_with`]).
//!
//! Context keys are inserted, and notes written, in that order. Facts encoded (cited in
//! each part and its tests):
//! - IAM User Guide, "AWS global condition context keys": which global keys exist for
//!   which principals (`aws:username` only for IAM users, `aws:PrincipalArn` is the role
//!   ARN for role sessions, `aws:SourceIdentity` only when a source identity is set).
//! - SageMaker Developer Guide, "Considerations when using sourceIdentity" and the domain's
//!   `ExecutionRoleIdentityConfig`: with `USER_PROFILE_NAME` the profile name is the
//!   execution role session's source identity for calls from the private space and from
//!   jobs and pipelines the user starts; it persists through role chaining; external
//!   access keys carry none.
//! - `sagemaker:DomainId` / `sagemaker:UserProfileName` are only present for SageMaker
//!   calls made from within Studio.

mod caller;
mod family_keys;
mod layers;
mod principal_keys;
mod resource_keys;
mod route;
mod selection;
mod target;
mod vars;

pub(crate) use caller::{assumed_role_caller, identity_context};
pub use caller::{principal_arn, Caller, OnBehalfOf};
pub use layers::KeyLayers;
pub use principal_keys::epoch_seconds;
pub use route::{
    Route, EMR_DEFAULT_INSTANCE_PROFILE_ROLE, EMR_LAKE_FORMATION_TAG, EMR_RUNTIME_SESSION_NAME,
};
pub use selection::{Parameters, Selection};
pub use target::{parse_request_arn, ArnParts};

use crate::actions::ActionSpec;
use crate::model::World;
use abacus_policy::{Context, Request};
use std::collections::BTreeMap;

/// What the builder produced.
#[derive(Clone, Debug, PartialEq)]
pub struct BuiltRequest {
    /// The request the engine evaluates.
    pub request: Request,
    /// The signing identity (shared with the other requests of its signer).
    pub caller: std::sync::Arc<Caller>,
    /// The catalogue entry.
    pub action: std::borrow::Cow<'static, ActionSpec>,
    /// Role whose identity policies apply (role sessions), or `None` for IAM users.
    pub policy_role: Option<String>,
    /// IAM user whose identity policies apply.
    pub policy_iam_user: Option<String>,
    /// Resource id whose resource policy applies (the bucket for S3 objects).
    pub resource_policy_owner: Option<String>,
    /// Role whose trust policy applies (role assumption actions).
    pub trust_policy_role: Option<String>,
    /// Source IP of the call.
    pub source_ip: String,
    /// User agent of the call.
    pub user_agent: String,
    /// The target's name (`bucket/key` for S3 objects), when the call has a target.
    pub resource_name: Option<String>,
    /// Placeholder values for CloudTrail templates (empty when built for a decision alone).
    pub vars: BTreeMap<String, String>,
    /// Why keys are present or absent, for the trace panel.
    pub notes: Vec<String>,
}

/// Why a request could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// No such user profile.
    UnknownUser(String),
    /// The action is not in the catalogue.
    UnknownAction(String),
    /// No such resource id.
    UnknownResource(String),
    /// The user's domain is missing.
    UnknownDomain(String),
    /// A referenced role does not exist.
    UnknownRole(String),
    /// A referenced IAM user does not exist.
    UnknownIamUser(String),
    /// The resource has the wrong type for the action.
    WrongResourceType {
        /// Action.
        action: String,
        /// Expected type.
        expected: String,
        /// Actual type.
        found: String,
    },
    /// The action needs a resource (or `parameters.name` for a create).
    MissingResource(String),
    /// Access keys need an IAM user.
    NoIamUser(String),
    /// `resourceArn` is not a usable request ARN.
    InvalidArn {
        /// The ARN as given.
        arn: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestError::UnknownUser(u) => write!(f, "unknown user profile `{u}`"),
            RequestError::UnknownAction(a) => write!(f, "action `{a}` is not in the catalogue"),
            RequestError::UnknownResource(r) => write!(f, "unknown resource `{r}`"),
            RequestError::UnknownDomain(d) => write!(f, "unknown domain `{d}`"),
            RequestError::UnknownRole(r) => write!(f, "unknown role `{r}`"),
            RequestError::UnknownIamUser(u) => write!(f, "unknown IAM user `{u}`"),
            RequestError::WrongResourceType {
                action,
                expected,
                found,
            } => write!(
                f,
                "`{action}` acts on a `{expected}` resource, not on a `{found}`"
            ),
            RequestError::MissingResource(a) => write!(f, "`{a}` needs a target resource"),
            RequestError::NoIamUser(u) => {
                write!(f, "user `{u}` has no IAM user, so no access keys")
            }
            RequestError::InvalidArn { arn, reason } => {
                write!(f, "resource ARN `{arn}`: {reason}")
            }
        }
    }
}

impl RequestError {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            RequestError::UnknownUser(_) => "pick a user from `world.users`",
            RequestError::UnknownAction(_) => {
                "pick an action from the catalogue (`abacus_studio::actions`)"
            }
            RequestError::UnknownResource(_) => "pick a resource id from `world.resources`",
            RequestError::UnknownDomain(_) => "add the domain to `world.domains`",
            RequestError::UnknownRole(_) => "add the role to `world.roles`",
            RequestError::UnknownIamUser(_) => "add the IAM user to `world.iamUsers`",
            RequestError::WrongResourceType { .. } => {
                "pick a resource of the type the action acts on"
            }
            RequestError::MissingResource(_) => {
                "set `resource`, or `parameters.name` for a create call"
            }
            RequestError::NoIamUser(_) => {
                "set `route.iamUser` or give the user IAM-user authentication"
            }
            RequestError::InvalidArn { .. } => {
                "write one concrete ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, e.g. `arn:aws:sagemaker:us-east-1:111122223333:training-job/name` or `arn:aws:s3:::bucket/key`"
            }
        }
    }
}

impl std::error::Error for RequestError {}

/// How much of a request to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// All of it: the context, the CloudTrail placeholders and the notes.
    Full,
    /// What a decision reads: no CloudTrail placeholders, none of the signer's or the
    /// target's notes (the notes on absent action keys stay), and no source IP or user
    /// agent outside the context (they are CloudTrail's). The access matrix builds
    /// thousands of requests and shows only their decisions; the errors are the same as
    /// [`Detail::Full`]'s.
    Decision,
}

/// Builds the request for `selection` in `world`.
pub fn build_request(world: &World, selection: &Selection) -> Result<BuiltRequest, RequestError> {
    build_request_for(world, selection, Detail::Full)
}

/// [`build_request`], to the given [`Detail`].
pub fn build_request_for(
    world: &World,
    selection: &Selection,
    detail: Detail,
) -> Result<BuiltRequest, RequestError> {
    build_request_with(world, selection, detail, &mut KeyLayers::default())
}

/// [`build_request_for`], sharing the keys of callers and targets that `layers` holds
/// from earlier requests of the same world (see [`KeyLayers`]: layers of another world,
/// or of other reference data, are emptied first).
pub fn build_request_with(
    world: &World,
    selection: &Selection,
    detail: Detail,
    layers: &mut KeyLayers,
) -> Result<BuiltRequest, RequestError> {
    layers.for_world(world);
    let user = world
        .user(&selection.user)
        .ok_or_else(|| RequestError::UnknownUser(selection.user.clone()))?;
    let domain = world
        .domain(&user.domain)
        .ok_or_else(|| RequestError::UnknownDomain(user.domain.clone()))?;
    let action = crate::actions::spec(&selection.action)
        .ok_or_else(|| RequestError::UnknownAction(selection.action.clone()))?;
    let mut notes = Vec::new();
    if action.derived && detail == Detail::Full {
        notes.push(format!(
            "`{}` is simulated from the Service Authorization Reference alone: its resource type, condition keys and access level come from there, and CloudTrail's `eventSource` and `eventName` are derived from the action's name (the Studio catalogue has no entry for it)",
            action.action
        ));
    }

    let signed = layers.caller(world, user, domain, selection)?;
    let full = detail == Detail::Full;
    if full {
        notes.extend(signed.notes.iter().cloned());
    }
    let p = &selection.parameters;
    let mut ctx = Context::new();
    // the keys in the order they were always inserted: the caller's, then the target's,
    // then the action's own families (a later key replaces an earlier one)
    ctx.share(&signed.keys);
    ctx.insert_single(
        "aws:RequestedRegion",
        principal_keys::requested_region(&action, p.region.as_deref().unwrap_or(&world.region)),
    );
    let target = match layers.target(world, user, &action, selection)? {
        Some((t, keys)) => {
            if let (Some(note), true) = (&t.note, full) {
                notes.push(note.clone());
            }
            ctx.share(&keys);
            Some(t)
        }
        None => None,
    };
    let caller = signed.signer.caller.clone();
    family_keys::insert(&mut ctx, &mut notes, &action, selection, user, &caller);
    let vars = match detail {
        Detail::Full => {
            vars::template_vars(world, user, &action, selection, &caller, target.as_deref())?
        }
        Detail::Decision => {
            vars::check_target_parameter(world, selection)?;
            BTreeMap::new()
        }
    };

    let resource_arn = target
        .as_ref()
        .map(|t| t.arn.clone())
        .unwrap_or_else(|| "*".to_owned());
    let (policy_role, policy_iam_user) = match &*caller {
        Caller::AssumedRole { role, .. } => (Some(role.clone()), None),
        Caller::IamUser { name, .. } => (None, Some(name.clone())),
        Caller::AwsService { .. } | Caller::SamlUser { .. } => (None, None),
    };
    let trust_policy_role = match (action.service(), &target) {
        ("sts", Some(t)) if t.resource_type == "iam-role" => Some(t.name.clone()),
        _ => None,
    };
    let resource_policy_owner = target.as_ref().and_then(|t| t.policy_owner.clone());
    let resource_name = target.map(|t| t.name.clone());
    Ok(BuiltRequest {
        request: Request {
            principal: signed.principal.clone(),
            action: action.action.clone(),
            resource: resource_arn,
            context: ctx,
        },
        caller,
        action,
        policy_role,
        policy_iam_user,
        resource_policy_owner,
        trust_policy_role,
        resource_name,
        source_ip: if full {
            signed.signer.source_ip.clone()
        } else {
            String::new()
        },
        user_agent: if full {
            signed.signer.user_agent.clone()
        } else {
            String::new()
        },
        vars,
        notes,
    })
}

/// Helpers shared by the tests of the builder's parts.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{BuiltRequest, Parameters, Route, Selection};
    use abacus_policy::ContextValue;

    pub(crate) fn sel(user: &str, action: &str, resource: Option<&str>, route: Route) -> Selection {
        Selection {
            user: user.into(),
            action: action.into(),
            resource: resource.map(Into::into),
            resource_arn: None,
            route,
            parameters: Parameters::default(),
        }
    }

    pub(crate) fn single(b: &BuiltRequest, key: &str) -> Option<String> {
        match b.request.context.get(key) {
            Some(ContextValue::Single(v)) => Some(v.clone()),
            _ => None,
        }
    }

    pub(crate) fn by_arn(user: &str, action: &str, arn: &str) -> Selection {
        Selection {
            resource_arn: Some(arn.to_owned()),
            ..sel(user, action, None, Route::StudioSpace)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{sel, single};
    use super::*;
    use crate::scenario::default_scenario;

    /// The parts of a request a decision reads.
    fn decided(b: BuiltRequest) -> impl PartialEq + std::fmt::Debug {
        (
            b.request,
            b.caller,
            b.policy_role,
            b.policy_iam_user,
            b.resource_policy_owner,
            b.trust_policy_role,
            b.resource_name,
        )
    }

    #[test]
    fn a_request_built_for_a_decision_decides_as_the_full_one() {
        let w = default_scenario().world;
        let targets = std::iter::once(None).chain(w.resources.iter().map(|r| Some(r.id.as_str())));
        let mut compared = 0;
        for user in &w.users {
            for target in targets.clone() {
                for action in &crate::actions::catalogue().actions {
                    let mut s = sel(&user.name, &action.action, target, Route::StudioSpace);
                    s.parameters.name = target.is_none().then(|| "new".to_owned());
                    let full = build_request_for(&w, &s, Detail::Full);
                    let decision = build_request_for(&w, &s, Detail::Decision);
                    if let Ok(d) = &decision {
                        assert!(d.vars.is_empty());
                    }
                    assert_eq!(full.map(decided), decision.map(decided), "{s:?}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }

    #[test]
    fn a_request_for_a_decision_refuses_an_unknown_target_parameter() {
        let w = default_scenario().world;
        let mut s = sel(
            "alice",
            "sagemaker:ListTrainingJobs",
            None,
            Route::StudioSpace,
        );
        s.parameters.target = Some("nowhere".to_owned());
        for detail in [Detail::Full, Detail::Decision] {
            assert_eq!(
                build_request_for(&w, &s, detail).unwrap_err(),
                RequestError::UnknownResource("nowhere".to_owned())
            );
        }
    }

    #[test]
    fn studio_space_carries_source_identity_and_studio_keys() {
        // SageMaker Developer Guide: "Considerations when using sourceIdentity"
        let w = default_scenario().world;
        let b = build_request(
            &w,
            &sel(
                "alice",
                "sagemaker:StopTrainingJob",
                Some("tj-bob"),
                Route::StudioSpace,
            ),
        )
        .unwrap();
        assert_eq!(
            b.request.principal,
            "arn:aws:sts::111122223333:assumed-role/SageMakerStudioTeamARole/SageMaker"
        );
        assert_eq!(single(&b, "aws:SourceIdentity").as_deref(), Some("alice"));
        assert_eq!(
            single(&b, "sagemaker:UserProfileName").as_deref(),
            Some("alice")
        );
        assert_eq!(
            single(&b, "sagemaker:DomainId").as_deref(),
            Some("d-xxxxxxxxxxxx")
        );
        assert_eq!(
            single(&b, "aws:PrincipalArn").as_deref(),
            Some("arn:aws:iam::111122223333:role/SageMakerStudioTeamARole")
        );
        assert!(single(&b, "aws:username").is_none());
        assert_eq!(
            single(&b, "sagemaker:ResourceTag/sagemaker:user-profile-arn").as_deref(),
            Some("arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-xxxxxxxxxxxx/bob")
        );
        assert_eq!(
            single(&b, "aws:PrincipalTag/team").as_deref(),
            Some("TeamA")
        );
    }
}
