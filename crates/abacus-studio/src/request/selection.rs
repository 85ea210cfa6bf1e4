//! What the user asks to simulate: a [`Selection`] (who calls which action on which
//! resource, from which [`Route`]) with its request [`Parameters`], and the selection in
//! words for the trace panel.

use super::route::Route;
use crate::model::{Tags, World};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Request parameters that change the context (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// The address the call came from (`aws:SourceIp`), instead of the route's; a replayed
    /// CloudTrail record's `sourceIPAddress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// When the call was made (`aws:CurrentTime`, `aws:EpochTime`), ISO 8601 UTC, instead
    /// of the world's clock; a replayed record's `eventTime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The Region the call was sent to (`aws:RequestedRegion`), instead of the world's; a
    /// replayed record's `awsRegion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The services that made the call with the caller's credentials, first to last
    /// (`aws:CalledVia`, `aws:CalledViaFirst`, `aws:CalledViaLast`, and `aws:ViaAWSService`
    /// true), e.g. `athena.amazonaws.com`; a replayed record made by a service for the
    /// caller.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub called_via: Vec<String>,
}

/// One call to simulate: who, what, on which resource, from where, with what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
            Route::RoleSession { role, .. } => format!("as a session of {role}"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::test_support::{by_arn, sel};
    use crate::scenario::default_scenario;

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
    fn an_arn_selection_is_described_by_its_arn() {
        let w = default_scenario().world;
        let s = by_arn("alice", "s3:GetObject", "arn:aws:s3:::b/k");
        assert!(s.describe(&w).contains("on `arn:aws:s3:::b/k`"));
    }
}
