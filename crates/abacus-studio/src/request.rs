//! The request-context builder: from "alice, from her Studio space, stops bob's training
//! job" to the principal ARN and the exact context keys AWS evaluates.
//!
//! Facts encoded (and cited in the tests below):
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

use crate::actions::{ActionSpec, KeyFamily};
use crate::model::{fill, unique_id, Authentication, Resource, Tags, UserProfile, World};
use abacus_policy::{Context, Request};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the call comes from.
///
/// JSON: an object with `"type"` next to the variant's fields. `Deserialize` is written by
/// hand, to keep the web bundle small.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Route {
    /// Code or the terminal in the user's private Studio space (execution role session).
    #[default]
    StudioSpace,
    /// A training job the user started (its execution role, `role` or the user's).
    TrainingJob {
        /// Job execution role; the user's execution role when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// A processing job the user started.
    ProcessingJob {
        /// Job execution role; the user's execution role when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// A pipeline step of a pipeline the user started.
    Pipeline {
        /// Pipeline execution role; the user's execution role when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// External long-term access keys of an IAM user, used from anywhere (even Studio).
    #[serde(rename_all = "camelCase")]
    AccessKeys {
        /// The IAM user; the profile's IAM user when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        iam_user: Option<String>,
    },
    /// From the Studio space, assume another role (role chaining), then call.
    #[serde(rename_all = "camelCase")]
    RoleChain {
        /// The role assumed.
        role: String,
        /// `RoleSessionName`; `chained` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session_name: Option<String>,
    },
    /// The person's own sign-in (console or CLI): IAM user, SAML-federated role session or
    /// IAM Identity Center permission-set session. Used e.g. to open Studio.
    Console,
    /// The inference container behind an endpoint, running as the model's execution role
    /// (CreateModel's `ExecutionRoleArn`).
    Endpoint {
        /// The model's execution role; the user's execution role when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// A Batch Transform job, running as the model's execution role.
    TransformJob {
        /// The model's execution role; the user's execution role when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// A step (or a Studio notebook's query) on an EMR cluster with runtime roles: the user
    /// submits it from the Studio space with `AddJobFlowSteps` naming the runtime role, the
    /// cluster's EC2 instance profile role assumes the runtime role, and the step's calls run
    /// as that runtime role session ("Runtime roles for Amazon EMR steps").
    #[serde(rename_all = "camelCase")]
    EmrStep {
        /// The runtime role (`ExecutionRoleArn`).
        role: String,
        /// The cluster's resource id; the user's first EMR cluster when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cluster: Option<String>,
        /// The cluster's EC2 instance profile role; `EMR_EC2_DefaultRole` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instance_profile_role: Option<String>,
    },
}

/// The EC2 instance profile role EMR clusters use unless configured otherwise ("Runtime
/// roles for Amazon EMR steps" uses it as the runtime role's trusted principal).
pub const EMR_DEFAULT_INSTANCE_PROFILE_ROLE: &str = "EMR_EC2_DefaultRole";

/// The session name of a runtime role session. AWS does not document it (the Lake Formation
/// CloudTrail samples show a number), so this one is illustrative.
pub const EMR_RUNTIME_SESSION_NAME: &str = "emr-step";

/// The session tag EMR adds for Lake Formation ("Runtime roles for Amazon EMR steps":
/// `LakeFormationAuthorizedCaller` = `Amazon EMR`).
pub const EMR_LAKE_FORMATION_TAG: (&str, &str) = ("LakeFormationAuthorizedCaller", "Amazon EMR");

impl Route {
    /// A short label, e.g. `studio space`.
    pub fn label(&self) -> String {
        match self {
            Route::StudioSpace => "studio space".to_owned(),
            Route::TrainingJob { .. } => "training job".to_owned(),
            Route::ProcessingJob { .. } => "processing job".to_owned(),
            Route::Pipeline { .. } => "pipeline".to_owned(),
            Route::AccessKeys { .. } => "access keys".to_owned(),
            Route::RoleChain { role, .. } => format!("role chain to {role}"),
            Route::Console => "console sign-in".to_owned(),
            Route::Endpoint { .. } => "endpoint inference container".to_owned(),
            Route::TransformJob { .. } => "batch transform job".to_owned(),
            Route::EmrStep { role, .. } => format!("EMR step as {role}"),
        }
    }
}

// By hand rather than derived: a derived internally tagged enum first buffers the whole
// object in serde's private `Content` tree, a few KiB of wasm. This visitor reads the
// members once, in order, with the derived format and error messages (pinned by tests).
impl<'de> Deserialize<'de> for Route {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RouteVisitor)
    }
}

/// The `"type"` values of [`Route`].
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "camelCase")]
enum RouteKind {
    StudioSpace,
    TrainingJob,
    ProcessingJob,
    Pipeline,
    AccessKeys,
    RoleChain,
    Console,
    Endpoint,
    TransformJob,
    EmrStep,
}

impl RouteKind {
    /// The members a variant accepts besides `"type"`; `None` for unit variants, which
    /// ignore any others.
    fn fields(self) -> Option<&'static [&'static str]> {
        match self {
            RouteKind::StudioSpace | RouteKind::Console => None,
            RouteKind::TrainingJob
            | RouteKind::ProcessingJob
            | RouteKind::Pipeline
            | RouteKind::Endpoint
            | RouteKind::TransformJob => Some(&["role"]),
            RouteKind::EmrStep => Some(&["role", "cluster", "instanceProfileRole"]),
            RouteKind::AccessKeys => Some(&["iamUser"]),
            RouteKind::RoleChain => Some(&["role", "sessionName"]),
        }
    }
}

/// Reads a [`Route`] object member by member.
struct RouteVisitor;

impl<'de> serde::de::Visitor<'de> for RouteVisitor {
    type Value = Route;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("internally tagged enum Route")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Route, A::Error> {
        use serde::de::Error;
        let mut kind: Option<RouteKind> = None;
        let mut role: Option<Option<String>> = None;
        let mut iam_user: Option<Option<String>> = None;
        let mut session_name: Option<Option<String>> = None;
        let mut cluster: Option<Option<String>> = None;
        let mut instance_profile_role: Option<Option<String>> = None;
        // Member names in document order, checked against the variant once it is known.
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "type" => {
                    fill(&mut map, &mut kind, "type")?;
                    continue;
                }
                "role" => Some((&mut role, "role")),
                "iamUser" => Some((&mut iam_user, "iamUser")),
                "sessionName" => Some((&mut session_name, "sessionName")),
                "cluster" => Some((&mut cluster, "cluster")),
                "instanceProfileRole" => Some((&mut instance_profile_role, "instanceProfileRole")),
                _ => None,
            };
            let fields = kind.and_then(RouteKind::fields);
            match (slot, fields) {
                (_, Some(fields)) if !fields.contains(&key.as_str()) => {
                    return Err(A::Error::unknown_field(&key, fields));
                }
                (Some((slot, name)), _) => fill(&mut map, slot, name)?,
                (None, _) => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            seen.push(key);
        }
        let kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
        if let Some(fields) = kind.fields() {
            if let Some(key) = seen.iter().find(|k| !fields.contains(&k.as_str())) {
                return Err(A::Error::unknown_field(key, fields));
            }
        }
        let role = role.flatten();
        // routes that need a role: `null` is a wrong type, absence a missing field
        let role_given = seen.iter().any(|k| k == "role");
        let required_role = |role: Option<String>| match role {
            Some(role) => Ok(role),
            None if role_given => Err(A::Error::invalid_type(
                serde::de::Unexpected::Unit,
                &"a string",
            )),
            None => Err(A::Error::missing_field("role")),
        };
        Ok(match kind {
            RouteKind::StudioSpace => Route::StudioSpace,
            RouteKind::Console => Route::Console,
            RouteKind::TrainingJob => Route::TrainingJob { role },
            RouteKind::ProcessingJob => Route::ProcessingJob { role },
            RouteKind::Pipeline => Route::Pipeline { role },
            RouteKind::Endpoint => Route::Endpoint { role },
            RouteKind::TransformJob => Route::TransformJob { role },
            RouteKind::EmrStep => Route::EmrStep {
                role: required_role(role)?,
                cluster: cluster.flatten(),
                instance_profile_role: instance_profile_role.flatten(),
            },
            RouteKind::AccessKeys => Route::AccessKeys {
                iam_user: iam_user.flatten(),
            },
            RouteKind::RoleChain => Route::RoleChain {
                role: required_role(role)?,
                session_name: session_name.flatten(),
            },
        })
    }
}

/// Request parameters that change the context (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Parameters {
    /// Name of the resource a create call creates (when no existing resource is targeted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Resource type of `name` when the action accepts several (e.g. `sagemaker:AddTags`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Tags sent with the call (`Tags` of a create, `AddTags`, session tags).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
    /// `s3:prefix` of a listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// `FileSystemDataSource` directory paths of a training job.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_system_directory_paths: Vec<String>,
    /// `FileSystemDataSource.FileSystemId` (e.g. `fs-0123456789abcdef0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_system_id: Option<String>,
    /// `FileSystemDataSource.FileSystemType` (`EFS` or `FSxLustre`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_system_type: Option<String>,
    /// `FileSystemDataSource.FileSystemAccessMode` (`rw` or `ro`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_system_access_mode: Option<String>,
    /// `sagemaker:TaggingAction`: the create call that issues this AddTags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tagging_action: Option<String>,
    /// `sts:TransitiveTagKeys` of a role assumption.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitive_tag_keys: Vec<String>,
    /// `iam:PassedToService`; `sagemaker.amazonaws.com` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed_to_service: Option<String>,
    /// The role a call passes to the service (the API's `RoleArn` / `ExecutionRoleArn`): a
    /// role ARN or a world role's name; the caller's execution role when absent. Checked
    /// with `iam:PassRole` (see `implied`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Resource id of the data a call reaches (Glue table for Athena / Lake Formation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `athena` or `emr`: who asks Lake Formation for data access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// SQL text of an Athena query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// S3 Access Grants permission asked for (`READ`, `WRITE`, `READWRITE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// `SpaceSharingSettings.SharingType` of a space being created (`Private`, `Shared`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space_sharing_type: Option<String>,
}

/// One call to simulate: who, what, on which resource, from where, with what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Selection {
    /// User profile name.
    pub user: String,
    /// `service:Action`.
    pub action: String,
    /// Resource id in the world; absent for `*` actions and for creates (then
    /// `parameters.name` names the new resource).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A resource named by its ARN instead of its world id. A world resource with this ARN
    /// lends its tags and resource-based policy; any other ARN is a resource outside the
    /// world, with no tags and no resource-based policy. Give `resource` or this, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
    /// Where the call comes from.
    #[serde(default)]
    pub route: Route,
    /// Request parameters.
    #[serde(default, skip_serializing_if = "is_default")]
    pub parameters: Parameters,
}

impl Selection {
    /// The selection in words, e.g. `alice (domain d-1) calls sagemaker:StopTrainingJob on
    /// bob-xgboost-1 (bob's) from her Studio space`.
    pub fn describe(&self, world: &World) -> String {
        let domain = world
            .user(&self.user)
            .map(|u| format!(" (domain {})", u.domain))
            .unwrap_or_default();
        let target = match (&self.resource_arn, &self.resource) {
            (Some(arn), _) => format!(" on `{arn}`"),
            (None, Some(id)) => match world.resource(id) {
                Some(r) => match r.owner.as_deref() {
                    Some(o) if o == self.user => format!(" on their own {}", r.name),
                    Some(o) => format!(" on {o}'s {}", r.name),
                    None => format!(" on {}", r.name),
                },
                None => format!(" on `{id}`"),
            },
            (None, None) => match &self.parameters.name {
                Some(n) => format!(" creating {n}"),
                None => String::new(),
            },
        };
        let from = match &self.route {
            Route::StudioSpace => "from their Studio space".to_owned(),
            Route::TrainingJob { .. } => "from a training job they started".to_owned(),
            Route::ProcessingJob { .. } => "from a processing job they started".to_owned(),
            Route::Pipeline { .. } => "from a pipeline they started".to_owned(),
            Route::AccessKeys { .. } => "with external access keys".to_owned(),
            Route::RoleChain { role, .. } => format!("after chaining to {role}"),
            Route::Console => "from their own sign-in".to_owned(),
            Route::Endpoint { .. } => "from the inference container of an endpoint".to_owned(),
            Route::TransformJob { .. } => "from a batch transform job".to_owned(),
            Route::EmrStep { role, .. } => {
                format!("from an EMR step running as the runtime role {role}")
            }
        };
        format!("{}{domain} calls {}{target} {from}", self.user, self.action)
    }
}

fn is_default(p: &Parameters) -> bool {
    *p == Parameters::default()
}

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

/// What the builder produced.
#[derive(Clone, Debug, PartialEq)]
pub struct BuiltRequest {
    /// The request the engine evaluates.
    pub request: Request,
    /// The signing identity.
    pub caller: Caller,
    /// The catalogue entry.
    pub action: ActionSpec,
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
    /// Placeholder values for CloudTrail templates.
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

/// Builds the request for `selection` in `world`.
pub fn build_request(world: &World, selection: &Selection) -> Result<BuiltRequest, RequestError> {
    let user = world
        .user(&selection.user)
        .ok_or_else(|| RequestError::UnknownUser(selection.user.clone()))?;
    let domain = world
        .domain(&user.domain)
        .ok_or_else(|| RequestError::UnknownDomain(user.domain.clone()))?;
    let action = crate::actions::spec(&selection.action)
        .ok_or_else(|| RequestError::UnknownAction(selection.action.clone()))?;
    let mut notes = Vec::new();
    if action.derived {
        notes.push(format!(
            "`{}` is simulated from the Service Authorization Reference alone: its resource type, condition keys and access level come from there, and CloudTrail's `eventSource` and `eventName` are derived from the action's name (the Studio catalogue has no entry for it)",
            action.action
        ));
    }
    let mut ctx = Context::new();
    let mut vars = BTreeMap::new();

    // The signing identity and its principal keys.
    let studio_source_identity = match domain.execution_role_identity_config {
        crate::model::ExecutionRoleIdentityConfig::UserProfileName => Some(user.name.clone()),
        crate::model::ExecutionRoleIdentityConfig::Disabled => None,
    };
    let on_behalf_of = identity_context(world, user, domain.trusted_identity_propagation);
    let execution_role = || {
        world
            .execution_role_of(user)
            .ok_or_else(|| RequestError::UnknownDomain(user.domain.clone()))
    };
    let (caller, principal_tags, source_ip, user_agent) = match &selection.route {
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
        Route::Console => console_caller(world, user)?,
    };
    if selection.route == Route::StudioSpace && studio_source_identity.is_none() {
        notes.push(format!(
            "domain `{}` has ExecutionRoleIdentityConfig=DISABLED, so no `aws:SourceIdentity`",
            domain.id
        ));
    }

    match &caller {
        Caller::AssumedRole {
            role_arn,
            role_id,
            session_name,
            source_identity,
            on_behalf_of,
            ..
        } => {
            ctx.insert_single("aws:PrincipalArn", role_arn.clone());
            ctx.insert_single("aws:PrincipalType", "AssumedRole");
            ctx.insert_single("aws:userid", format!("{role_id}:{session_name}"));
            ctx.insert_single("aws:TokenIssueTime", world.clock.clone());
            if let Some(si) = source_identity {
                ctx.insert_single("aws:SourceIdentity", si.clone());
            }
            // IAM Identity Center User Guide: "AWS STS condition context keys for IAM
            // Identity Center" (present in identity-enhanced role sessions).
            if let Some(obo) = on_behalf_of {
                ctx.insert_single("identitystore:UserId", obo.user_id.clone());
                ctx.insert_single(
                    "identitystore:IdentityStoreArn",
                    obo.identity_store_arn.clone(),
                );
            }
        }
        Caller::IamUser { name, user_id, .. } => {
            ctx.insert_single("aws:PrincipalArn", world.iam_user_arn(name));
            ctx.insert_single("aws:PrincipalType", "User");
            ctx.insert_single("aws:userid", user_id.clone());
            ctx.insert_single("aws:username", name.clone());
        }
        // Not built here: service and sign-in sessions come from `session::ServiceSession`.
        Caller::AwsService { .. } | Caller::SamlUser { .. } => {}
    }
    ctx.insert_single("aws:PrincipalAccount", world.account.clone());
    for (k, v) in &principal_tags {
        ctx.insert_single(&format!("aws:PrincipalTag/{k}"), v.clone());
    }
    let requested_region = if action.service() == "iam" {
        "us-east-1".to_owned()
    } else {
        world.region.clone()
    };
    ctx.insert_single("aws:RequestedRegion", requested_region);
    ctx.insert_single("aws:CurrentTime", world.clock.clone());
    if let Some(epoch) = epoch_seconds(&world.clock) {
        ctx.insert_single("aws:EpochTime", epoch.to_string());
    }
    ctx.insert_single("aws:SourceIp", source_ip.clone());
    ctx.insert_single("aws:SecureTransport", "true");
    ctx.insert_single("aws:ViaAWSService", "false");
    ctx.insert_single("aws:PrincipalIsAWSService", "false");

    // The target resource.
    let target = resolve_target(world, user, &action, selection)?;
    let resource_arn = target
        .as_ref()
        .map(|t| t.arn.clone())
        .unwrap_or_else(|| "*".to_owned());
    if let Some(t) = &target {
        ctx.insert_single("aws:ResourceAccount", t.account.clone());
        if let Some(note) = &t.note {
            notes.push(note.clone());
        }
        vars.insert("Arn".to_owned(), t.arn.clone());
        vars.insert("Name".to_owned(), t.name.clone());
        vars.insert(
            "ShortName".to_owned(),
            t.name.rsplit('/').next().unwrap_or(&t.name).to_owned(),
        );
        if let Some((bucket, key)) = t.name.split_once('/') {
            vars.insert("Bucket".to_owned(), bucket.to_owned());
            vars.insert("Key".to_owned(), key.to_owned());
            vars.insert("Database".to_owned(), bucket.to_owned());
        } else {
            vars.insert("Bucket".to_owned(), t.name.clone());
        }
        if let Some(domain_id) = &t.domain {
            vars.insert("DomainId".to_owned(), domain_id.clone());
        }
        if action.carries(KeyFamily::ResourceTags) {
            let prefixes = crate::actions::resource_type_spec(&t.resource_type)
                .map(|r| r.tag_key_prefixes.clone())
                .unwrap_or_default();
            for (k, v) in &t.tags {
                for p in &prefixes {
                    ctx.insert_single(&format!("{p}/{k}"), v.clone());
                }
            }
        }
    }
    vars.insert("Region".to_owned(), world.region.clone());
    vars.insert("Account".to_owned(), world.account.clone());
    vars.entry("DomainId".to_owned())
        .or_insert_with(|| user.domain.clone());
    vars.insert("UserProfileName".to_owned(), user.name.clone());
    if let Ok(role) = execution_role() {
        vars.insert("ExecutionRoleArn".to_owned(), world.role_arn(&role));
    }

    if action.carries(KeyFamily::SpaceOwnership) {
        if let Some(t) = &target {
            if let Some(owner) = &t.owner_profile_arn {
                ctx.insert_single("sagemaker:OwnerUserProfileArn", owner.clone());
            }
            if let Some(sharing) = &t.space_sharing_type {
                ctx.insert_single("sagemaker:SpaceSharingType", sharing.clone());
            }
        }
    }
    let p = &selection.parameters;
    if action.carries(KeyFamily::RequestTags) && !p.tags.is_empty() {
        for (k, v) in &p.tags {
            ctx.insert_single(&format!("aws:RequestTag/{k}"), v.clone());
        }
        ctx.insert_multi("aws:TagKeys", p.tags.keys().cloned().collect());
    }
    if action.carries(KeyFamily::RequestObjectTags) && !p.tags.is_empty() {
        for (k, v) in &p.tags {
            ctx.insert_single(&format!("s3:RequestObjectTag/{k}"), v.clone());
        }
        ctx.insert_multi("s3:RequestObjectTagKeys", p.tags.keys().cloned().collect());
    }
    if action.carries(KeyFamily::StudioContext) {
        if selection.route == Route::StudioSpace {
            ctx.insert_single("sagemaker:DomainId", user.domain.clone());
            ctx.insert_single("sagemaker:UserProfileName", user.name.clone());
        } else {
            notes.push(format!(
                "no `sagemaker:DomainId` / `sagemaker:UserProfileName`: the call does not come from a Studio space ({})",
                selection.route.label()
            ));
        }
    }
    if action.carries(KeyFamily::TaggingAction) {
        if let Some(ta) = &p.tagging_action {
            ctx.insert_single("sagemaker:TaggingAction", ta.clone());
        }
    }
    if action.carries(KeyFamily::S3Prefix) {
        match &p.prefix {
            Some(prefix) => {
                ctx.insert_single("s3:prefix", prefix.clone());
                vars.insert("Prefix".to_owned(), prefix.clone());
            }
            None => notes.push("listing without a prefix: `s3:prefix` is absent, so `...IfExists` conditions on it pass".to_owned()),
        }
    }
    if action.carries(KeyFamily::FileSystemDirectoryPath) {
        if !p.file_system_directory_paths.is_empty() {
            ctx.insert_multi(
                "sagemaker:FileSystemDirectoryPath",
                p.file_system_directory_paths.clone(),
            );
        }
        for (key, value) in [
            ("sagemaker:FileSystemId", &p.file_system_id),
            ("sagemaker:FileSystemType", &p.file_system_type),
            ("sagemaker:FileSystemAccessMode", &p.file_system_access_mode),
        ] {
            if let Some(v) = value {
                ctx.insert_single(key, v.clone());
            }
        }
    }
    if action.carries(KeyFamily::PassedToService) {
        ctx.insert_single(
            "iam:PassedToService",
            p.passed_to_service
                .clone()
                .unwrap_or_else(|| "sagemaker.amazonaws.com".to_owned()),
        );
    }
    if let Caller::AssumedRole {
        source_identity: Some(si),
        ..
    } = &caller
    {
        if action.carries(KeyFamily::StsSourceIdentity) {
            ctx.insert_single("sts:SourceIdentity", si.clone());
        }
        vars.insert("SourceIdentity".to_owned(), si.clone());
    }
    if action.carries(KeyFamily::TransitiveTagKeys) && !p.transitive_tag_keys.is_empty() {
        ctx.insert_multi("sts:TransitiveTagKeys", p.transitive_tag_keys.clone());
    }
    if let Some(target_id) = &p.target {
        if let Some(r) = world.resource(target_id) {
            if let Some(resolved) = world.resolve(r) {
                vars.insert("TargetArn".to_owned(), resolved.arn);
            }
            if r.resource_type == "s3-object" {
                vars.insert("Target".to_owned(), format!("s3://{}", r.name));
            }
        } else {
            return Err(RequestError::UnknownResource(target_id.clone()));
        }
    }
    if let Some(q) = &p.query {
        vars.insert("Query".to_owned(), q.clone());
    }
    if let Some(perm) = &p.permission {
        vars.insert("Permission".to_owned(), perm.clone());
    }
    if action.service() == "sts" {
        // The session being created, not the caller's own.
        vars.insert("SessionName".to_owned(), "chained".to_owned());
    } else if let Caller::AssumedRole { session_name, .. } = &caller {
        vars.insert("SessionName".to_owned(), session_name.clone());
    }
    if let Route::RoleChain { session_name, .. } = &selection.route {
        vars.insert(
            "SessionName".to_owned(),
            session_name.clone().unwrap_or_else(|| "chained".to_owned()),
        );
    }

    let principal = principal_arn(world, &caller);
    let (policy_role, policy_iam_user) = match &caller {
        Caller::AssumedRole { role, .. } => (Some(role.clone()), None),
        Caller::IamUser { name, .. } => (None, Some(name.clone())),
        Caller::AwsService { .. } | Caller::SamlUser { .. } => (None, None),
    };
    let trust_policy_role = match (action.service(), &target) {
        ("sts", Some(t)) if t.resource_type == "iam-role" => Some(t.name.clone()),
        _ => None,
    };
    let resource_policy_owner = target.as_ref().and_then(|t| t.policy_owner.clone());
    Ok(BuiltRequest {
        request: Request {
            principal,
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
        source_ip,
        user_agent,
        vars,
        notes,
    })
}

/// The principal ARN of `caller`: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (no
/// path, as STS writes it), the IAM user ARN, or the service principal's name.
pub fn principal_arn(world: &World, caller: &Caller) -> String {
    match caller {
        Caller::AssumedRole {
            role, session_name, ..
        } => format!(
            "arn:{}:sts::{}:assumed-role/{}/{}",
            world.partition, world.account, role, session_name
        ),
        Caller::IamUser { name, .. } => world.iam_user_arn(name),
        Caller::AwsService { service } => service.clone(),
        Caller::SamlUser { provider_arn, .. } => provider_arn.clone(),
    }
}

struct Target {
    arn: String,
    name: String,
    resource_type: String,
    /// `aws:ResourceAccount`.
    account: String,
    tags: Tags,
    domain: Option<String>,
    policy_owner: Option<String>,
    owner_profile_arn: Option<String>,
    space_sharing_type: Option<String>,
    /// Why the target has no tags or policy, for the trace panel.
    note: Option<String>,
}

/// The parts of a request ARN the builder uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArnParts<'a> {
    /// Service prefix, e.g. `sagemaker`.
    pub service: &'a str,
    /// Account id; empty for S3 buckets and objects.
    pub account: &'a str,
    /// Everything after the fifth colon, e.g. `training-job/name`.
    pub resource: &'a str,
}

/// Checks that `arn` names one concrete resource ("IAM identifiers": ARN format
/// `arn:partition:service:region:account-id:resource`) and returns its parts, or why not.
pub fn parse_request_arn(arn: &str) -> Result<ArnParts<'_>, &'static str> {
    let mut parts = arn.splitn(6, ':');
    let mut next = || parts.next().unwrap_or("");
    let (prefix, partition, service, _region, account, resource) =
        (next(), next(), next(), next(), next(), next());
    if prefix != "arn" {
        return Err("an ARN starts with `arn:`");
    }
    if resource.is_empty() {
        return Err("an ARN has six colon-separated parts and ends with the resource");
    }
    if partition.is_empty() || service.is_empty() {
        return Err("the partition and the service must not be empty");
    }
    if arn.contains(['*', '?']) {
        return Err("a request names one resource, so its ARN has no wildcards");
    }
    // `aws` owns AWS-managed resources (Service Authorization Reference ARN formats such as
    // `arn:${Partition}:iam::aws:role-template/…`)
    let account_ok = account.is_empty()
        || account == "aws"
        || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
    if !account_ok {
        return Err("the account id has 12 digits (or is empty, as for S3, or `aws` for AWS-managed resources)");
    }
    Ok(ArnParts {
        service,
        account,
        resource,
    })
}

/// The target named by a `resourceArn`: the world resource with that ARN, else a resource
/// outside the world (no tags, no resource-based policy) in the ARN's account.
fn arn_target(world: &World, action: &ActionSpec, arn: &str) -> Result<Target, RequestError> {
    let parts = parse_request_arn(arn).map_err(|reason| RequestError::InvalidArn {
        arn: arn.to_owned(),
        reason,
    })?;
    if let Some(r) = world
        .resources
        .iter()
        .find(|r| world.resolve(r).is_some_and(|resolved| resolved.arn == arn))
    {
        return world_target(world, action, r);
    }
    let name = if parts.service == "s3" {
        parts.resource
    } else {
        parts
            .resource
            .rsplit(['/', ':'])
            .next()
            .unwrap_or(parts.resource)
    };
    let account = if parts.account.is_empty() {
        world.account.clone()
    } else {
        parts.account.to_owned()
    };
    Ok(Target {
        arn: arn.to_owned(),
        name: name.to_owned(),
        resource_type: action.resource_type.clone(),
        account,
        tags: Tags::new(),
        domain: None,
        policy_owner: None,
        owner_profile_arn: None,
        space_sharing_type: None,
        note: Some(format!(
            "`{arn}` is not a resource of the world: it has no tags and no resource-based policy"
        )),
    })
}

/// The target of a world resource, checked against the action's resource type.
fn world_target(world: &World, action: &ActionSpec, r: &Resource) -> Result<Target, RequestError> {
    if !action.accepts(&r.resource_type) {
        return Err(RequestError::WrongResourceType {
            action: action.action.clone(),
            expected: action.resource_type.clone(),
            found: r.resource_type.clone(),
        });
    }
    let resolved = world
        .resolve(r)
        .ok_or_else(|| RequestError::UnknownResource(r.id.clone()))?;
    let domain = r
        .owner
        .as_deref()
        .and_then(|o| world.user(o))
        .map(|u| u.domain.clone());
    // S3 objects are governed by their bucket's policy.
    let policy_owner = if r.resource_type == "s3-object" {
        let bucket = r.name.split('/').next().unwrap_or("");
        world
            .resources
            .iter()
            .find(|b| b.resource_type == "s3-bucket" && b.name == bucket)
            .map(|b| b.id.clone())
    } else {
        Some(r.id.clone())
    };
    let owner_profile_arn = r
        .owner
        .as_deref()
        .and_then(|o| world.user(o))
        .map(|u| world.user_profile_arn(&u.domain, &u.name));
    Ok(Target {
        arn: resolved.arn,
        name: r.name.clone(),
        resource_type: r.resource_type.clone(),
        // Every simulated resource lives in the world's one account.
        account: world.account.clone(),
        tags: resolved.tags,
        domain,
        policy_owner,
        owner_profile_arn,
        space_sharing_type: world.space_sharing_types.get(&r.id).cloned(),
        note: None,
    })
}

fn resolve_target(
    world: &World,
    user: &UserProfile,
    action: &ActionSpec,
    selection: &Selection,
) -> Result<Option<Target>, RequestError> {
    if action.resource_type == "none" {
        return match &selection.resource_arn {
            Some(arn) => Err(RequestError::InvalidArn {
                arn: arn.clone(),
                reason: "this action takes no resource (its `Resource` is `*`)",
            }),
            None => Ok(None),
        };
    }
    if let Some(arn) = &selection.resource_arn {
        return arn_target(world, action, arn).map(Some);
    }
    if let Some(id) = &selection.resource {
        let r = world
            .resource(id)
            .ok_or_else(|| RequestError::UnknownResource(id.clone()))?;
        return world_target(world, action, r).map(Some);
    }
    // A create call (or a call naming a resource that is not in the world).
    let Some(name) = &selection.parameters.name else {
        return Err(RequestError::MissingResource(action.action.clone()));
    };
    let resource_type = selection
        .parameters
        .resource_type
        .clone()
        .unwrap_or_else(|| action.resource_type.clone());
    let domain_owner = if resource_type == "user-profile" {
        None
    } else {
        Some(user.name.clone())
    };
    let synthetic = Resource {
        id: String::new(),
        resource_type: resource_type.clone(),
        name: name.clone(),
        owner: domain_owner,
        created_in_studio: false,
        tags: Tags::new(),
        kms_key: None,
    };
    let mut resolved = world
        .resolve(&synthetic)
        .ok_or_else(|| RequestError::UnknownResource(name.clone()))?;
    if resource_type == "user-profile" {
        // A new profile lives in the caller's domain.
        resolved.arn = world.user_profile_arn(&user.domain, name);
    }
    Ok(Some(Target {
        arn: resolved.arn,
        name: name.clone(),
        resource_type,
        account: world.account.clone(),
        tags: Tags::new(),
        domain: Some(user.domain.clone()),
        policy_owner: None,
        // A space or app created now is owned by its creator.
        owner_profile_arn: Some(world.user_profile_arn(&user.domain, &user.name)),
        space_sharing_type: selection.parameters.space_sharing_type.clone(),
        note: None,
    }))
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

/// Seconds since the epoch of an ISO 8601 UTC timestamp `YYYY-MM-DDTHH:MM:SSZ`.
pub fn epoch_seconds(iso: &str) -> Option<i64> {
    let b = iso.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |s: usize, e: usize| iso.get(s..e)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, s) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = if y2 >= 0 { y2 } else { y2 - 399 } / 400;
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resource;
    use crate::scenario::default_scenario;
    use abacus_policy::ContextValue;

    fn route(json: &str) -> Result<Route, String> {
        serde_json::from_str(json).map_err(|e| {
            let m = e.to_string();
            m.split(" at line ").next().unwrap_or_default().to_owned()
        })
    }

    #[test]
    fn routes_read_every_form() {
        assert_eq!(route(r#"{"type": "studioSpace"}"#), Ok(Route::StudioSpace));
        assert_eq!(route(r#"{"type": "console"}"#), Ok(Route::Console));
        assert_eq!(
            route(r#"{"type": "trainingJob"}"#),
            Ok(Route::TrainingJob { role: None })
        );
        assert_eq!(
            route(r#"{"role": "R", "type": "processingJob"}"#),
            Ok(Route::ProcessingJob {
                role: Some("R".into())
            })
        );
        assert_eq!(
            route(r#"{"type": "pipeline", "role": null}"#),
            Ok(Route::Pipeline { role: None })
        );
        assert_eq!(
            route(r#"{"type": "accessKeys", "iamUser": "u"}"#),
            Ok(Route::AccessKeys {
                iam_user: Some("u".into())
            })
        );
        assert_eq!(
            route(r#"{"type": "roleChain", "role": "R", "sessionName": "s"}"#),
            Ok(Route::RoleChain {
                role: "R".into(),
                session_name: Some("s".into())
            })
        );
        for r in [
            Route::StudioSpace,
            Route::TrainingJob {
                role: Some("R".into()),
            },
            Route::RoleChain {
                role: "R".into(),
                session_name: None,
            },
            Route::Console,
        ] {
            assert_eq!(route(&serde_json::to_string(&r).unwrap()), Ok(r));
        }
    }

    #[test]
    fn route_errors_name_the_problem() {
        assert_eq!(
            route(r#"{"type": "lambda"}"#),
            Err("unknown variant `lambda`, expected one of `studioSpace`, `trainingJob`, `processingJob`, `pipeline`, `accessKeys`, `roleChain`, `console`, `endpoint`, `transformJob`, `emrStep`".into())
        );
        assert_eq!(
            route(r#"{"role": "R"}"#),
            Err("missing field `type`".into())
        );
        assert_eq!(
            route(r#"{"type": "roleChain"}"#),
            Err("missing field `role`".into())
        );
        assert_eq!(
            route(r#"{"type": "roleChain", "role": null}"#),
            Err("invalid type: null, expected a string".into())
        );
        assert_eq!(
            route(r#"{"type": "trainingJob", "iamUser": "u"}"#),
            Err("unknown field `iamUser`, expected `role`".into())
        );
        assert_eq!(
            route(r#"{"type": "roleChain", "role": "R", "x": 1}"#),
            Err("unknown field `x`, expected `role` or `sessionName`".into())
        );
        assert_eq!(
            route(r#"{"type": "trainingJob", "role": 5}"#),
            Err("invalid type: integer `5`, expected a string".into())
        );
        // unit variants ignore other members, as serde's derive did
        assert_eq!(
            route(r#"{"type": "console", "role": "R"}"#),
            Ok(Route::Console)
        );
        assert_eq!(
            route(r#""console""#),
            Err("invalid type: string \"console\", expected internally tagged enum Route".into())
        );
    }

    fn sel(user: &str, action: &str, resource: Option<&str>, route: Route) -> Selection {
        Selection {
            user: user.into(),
            action: action.into(),
            resource: resource.map(Into::into),
            resource_arn: None,
            route,
            parameters: Parameters::default(),
        }
    }

    fn single(b: &BuiltRequest, key: &str) -> Option<String> {
        match b.request.context.get(key) {
            Some(ContextValue::Single(v)) => Some(v.clone()),
            _ => None,
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

    #[test]
    fn training_job_keeps_source_identity_but_not_studio_keys() {
        let w = default_scenario().world;
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
        let w = default_scenario().world;
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
    fn role_chaining_keeps_source_identity() {
        // IAM User Guide: "Monitor and control actions taken with assumed roles"
        let w = default_scenario().world;
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
    fn create_with_tags_carries_request_tags_and_tag_keys() {
        let w = default_scenario().world;
        let mut s = sel(
            "alice",
            "sagemaker:CreateExperiment",
            None,
            Route::StudioSpace,
        );
        s.parameters.name = Some("Exp1".into());
        s.parameters.tags.insert("team".into(), "TeamA".into());
        let b = build_request(&w, &s).unwrap();
        assert_eq!(
            b.request.resource,
            "arn:aws:sagemaker:us-east-1:111122223333:experiment/exp1"
        );
        assert_eq!(single(&b, "aws:RequestTag/team").as_deref(), Some("TeamA"));
        assert_eq!(
            b.request.context.get("aws:TagKeys"),
            Some(&ContextValue::Multi(vec!["team".into()]))
        );
    }

    #[test]
    fn list_without_prefix_has_no_prefix_key() {
        let w = default_scenario().world;
        let b = build_request(
            &w,
            &sel("alice", "s3:ListBucket", Some("bucket"), Route::StudioSpace),
        )
        .unwrap();
        assert!(b.request.context.get("s3:prefix").is_none());
    }

    #[test]
    fn wrong_resource_type_is_an_error() {
        let w = default_scenario().world;
        let e = build_request(
            &w,
            &sel(
                "alice",
                "sagemaker:StopTrainingJob",
                Some("bucket"),
                Route::StudioSpace,
            ),
        )
        .unwrap_err();
        assert!(matches!(e, RequestError::WrongResourceType { .. }));
        assert!(e.to_string().starts_with('`'));
    }

    #[test]
    fn identity_enhanced_sessions_carry_the_identity_center_user() {
        // IAM Identity Center User Guide: "AWS STS condition context keys for IAM Identity Center"
        let mut w = default_scenario().world;
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

    #[test]
    fn spaces_carry_owner_and_sharing_type() {
        // SageMaker Developer Guide: Studio spaces, "sagemaker:OwnerUserProfileArn" and
        // "sagemaker:SpaceSharingType" in the space permission examples
        let mut w = default_scenario().world;
        w.resources.push(Resource {
            id: "space-bob".into(),
            resource_type: "space".into(),
            name: "bob-private".into(),
            owner: Some("bob".into()),
            created_in_studio: true,
            tags: Tags::new(),
            kms_key: None,
        });
        w.space_sharing_types
            .insert("space-bob".into(), "Private".into());
        let b = build_request(
            &w,
            &sel(
                "alice",
                "sagemaker:DeleteSpace",
                Some("space-bob"),
                Route::StudioSpace,
            ),
        )
        .unwrap();
        assert_eq!(
            single(&b, "sagemaker:OwnerUserProfileArn").as_deref(),
            Some("arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-xxxxxxxxxxxx/bob")
        );
        assert_eq!(
            single(&b, "sagemaker:SpaceSharingType").as_deref(),
            Some("Private")
        );
        assert_eq!(
            b.request.resource,
            "arn:aws:sagemaker:us-east-1:111122223333:space/d-xxxxxxxxxxxx/bob-private"
        );
    }

    #[test]
    fn describes_the_selection_in_words() {
        let w = default_scenario().world;
        let s = sel(
            "alice",
            "sagemaker:StopTrainingJob",
            Some("tj-bob"),
            Route::StudioSpace,
        );
        assert_eq!(
            s.describe(&w),
            "alice (domain d-xxxxxxxxxxxx) calls sagemaker:StopTrainingJob on bob's bob-xgboost-1 from their Studio space"
        );
    }

    #[test]
    fn epoch_of_known_date() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_seconds("2025-04-18T13:16:36Z"), Some(1_744_982_196));
    }

    fn by_arn(user: &str, action: &str, arn: &str) -> Selection {
        Selection {
            resource_arn: Some(arn.to_owned()),
            ..sel(user, action, None, Route::StudioSpace)
        }
    }

    #[test]
    fn an_arn_of_a_world_resource_is_that_resource() {
        // "IAM identifiers": a resource is named by its ARN; the world's resource with
        // that ARN keeps its tags and its resource-based policy.
        let w = default_scenario().world;
        let by_id = build_request(
            &w,
            &sel(
                "alice",
                "sagemaker:StopTrainingJob",
                Some("tj-bob"),
                Route::StudioSpace,
            ),
        )
        .unwrap();
        let typed = build_request(
            &w,
            &by_arn(
                "alice",
                "sagemaker:StopTrainingJob",
                &by_id.request.resource,
            ),
        )
        .unwrap();
        assert_eq!(typed.request, by_id.request);
        assert_eq!(typed.resource_policy_owner, by_id.resource_policy_owner);
    }

    #[test]
    fn an_arn_outside_the_world_has_no_tags_and_its_own_account() {
        // "AWS global condition context keys": aws:ResourceAccount is the account that
        // owns the resource, here the ARN's account.
        let w = default_scenario().world;
        let arn = "arn:aws:sagemaker:us-east-1:444455556666:training-job/elsewhere";
        let b = build_request(&w, &by_arn("alice", "sagemaker:StopTrainingJob", arn)).unwrap();
        assert_eq!(b.request.resource, arn);
        assert_eq!(
            single(&b, "aws:ResourceAccount").as_deref(),
            Some("444455556666")
        );
        assert!(b
            .request
            .context
            .iter()
            .all(|(k, _)| !k.contains("ResourceTag/")));
        assert_eq!(b.resource_policy_owner, None);
        assert!(b
            .notes
            .iter()
            .any(|n| n.contains("not a resource of the world")));
        assert_eq!(b.vars.get("Name").map(String::as_str), Some("elsewhere"));
    }

    #[test]
    fn an_s3_arn_has_no_account_so_the_world_account_owns_it() {
        let w = default_scenario().world;
        let b = build_request(
            &w,
            &by_arn("alice", "s3:GetObject", "arn:aws:s3:::other-bucket/a/b.csv"),
        )
        .unwrap();
        assert_eq!(
            single(&b, "aws:ResourceAccount").as_deref(),
            Some(w.account.as_str())
        );
        assert_eq!(
            b.vars.get("Bucket").map(String::as_str),
            Some("other-bucket")
        );
        assert_eq!(b.vars.get("Key").map(String::as_str), Some("a/b.csv"));
    }

    #[test]
    fn malformed_request_arns_are_refused_with_the_reason() {
        let w = default_scenario().world;
        for (arn, reason) in [
            ("training-job/x", "starts with `arn:`"),
            ("arn:aws:s3:::", "six colon-separated parts"),
            ("arn:aws:sagemaker:us-east-1", "six colon-separated parts"),
            ("arn::sagemaker:us-east-1:111122223333:x", "partition"),
            (
                "arn:aws:sagemaker:us-east-1:1234:training-job/x",
                "12 digits",
            ),
            ("arn:aws:s3:::bucket/*", "no wildcards"),
        ] {
            let err =
                build_request(&w, &by_arn("alice", "sagemaker:StopTrainingJob", arn)).unwrap_err();
            match &err {
                RequestError::InvalidArn { reason: r, .. } => {
                    assert!(r.contains(reason), "{arn}: {r}")
                }
                other => panic!("{arn}: {other:?}"),
            }
            assert!(err.to_string().contains(arn));
        }
    }

    #[test]
    fn an_arn_on_an_action_without_resources_is_refused() {
        let w = default_scenario().world;
        let err = build_request(
            &w,
            &by_arn("alice", "sagemaker:ListTrainingJobs", "arn:aws:s3:::b"),
        )
        .unwrap_err();
        assert!(matches!(err, RequestError::InvalidArn { .. }), "{err:?}");
    }

    #[test]
    fn an_arn_selection_is_described_by_its_arn() {
        let w = default_scenario().world;
        let s = by_arn("alice", "s3:GetObject", "arn:aws:s3:::b/k");
        assert!(s.describe(&w).contains("on `arn:aws:s3:::b/k`"));
    }
}
