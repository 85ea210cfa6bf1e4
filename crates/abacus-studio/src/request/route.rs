//! Where a call comes from: the [`Route`] a selection names (the Studio space, a job, a
//! pipeline, external access keys, a role chain, the person's own sign-in, a model's
//! container, an EMR step), its JSON form and its label.
//!
//! The route decides the signing identity (the `caller` part), and with it the source
//! identity, the principal tags, the source IP and whether SageMaker's Studio keys exist.

use crate::model::fill;
use serde::{Deserialize, Serialize};

/// Where the call comes from.
///
/// JSON: an object with `"type"` next to the variant's fields. `Deserialize` is written by
/// hand, to keep the web bundle small.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
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
    /// A session of `role` obtained outside Studio (by a person, a script or a service
    /// whose `sts:AssumeRole` is not modelled), e.g. a role's own session in who-can or the
    /// session a CloudTrail record names. It carries the given source identity and no
    /// SageMaker context keys.
    #[serde(rename_all = "camelCase")]
    RoleSession {
        /// The role.
        role: String,
        /// `RoleSessionName`; `session` when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session_name: Option<String>,
        /// The session's source identity, if it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_identity: Option<String>,
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
            Route::RoleSession { role, .. } => format!("session of {role}"),
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
    RoleSession,
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
            RouteKind::RoleSession => Some(&["role", "sessionName", "sourceIdentity"]),
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
        let mut source_identity: Option<Option<String>> = None;
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
                "sourceIdentity" => Some((&mut source_identity, "sourceIdentity")),
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
            RouteKind::RoleSession => Route::RoleSession {
                role: required_role(role)?,
                session_name: session_name.flatten(),
                source_identity: source_identity.flatten(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(json: &str) -> Result<Route, String> {
        serde_json::from_str(json).map_err(|e| {
            let m = e.to_string();
            m.split(" at line ").next().unwrap_or_default().to_owned()
        })
    }

    #[test]
    fn a_role_session_reads_and_writes_back() {
        let r = route(
            r#"{"type": "roleSession", "role": "R", "sessionName": "s", "sourceIdentity": "ana"}"#,
        )
        .unwrap();
        assert_eq!(
            r,
            Route::RoleSession {
                role: "R".into(),
                session_name: Some("s".into()),
                source_identity: Some("ana".into())
            }
        );
        assert_eq!(route(&serde_json::to_string(&r).unwrap()), Ok(r));
        assert_eq!(
            route(r#"{"type": "roleSession"}"#),
            Err("missing field `role`".to_owned())
        );
        assert!(route(r#"{"type": "roleSession", "role": "R", "iamUser": "u"}"#).is_err());
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
            Err("unknown variant `lambda`, expected one of `studioSpace`, `trainingJob`, `processingJob`, `pipeline`, `accessKeys`, `roleChain`, `roleSession`, `console`, `endpoint`, `transformJob`, `emrStep`".into())
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
}
