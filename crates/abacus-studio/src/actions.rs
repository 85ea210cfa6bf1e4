//! The action catalogue: which resource each action targets, which context keys the call
//! carries and how CloudTrail records it. The facts live in `data/actions.json` (embedded),
//! not in code, so they can be reviewed against the Service Authorization Reference.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The embedded catalogue text (`data/actions.json`, compacted by build.rs).
pub const CATALOGUE_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/actions.json"));

/// The whole catalogue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalogue {
    /// What the catalogue encodes and where the facts come from.
    #[serde(default)]
    pub about: String,
    /// Resource types by id.
    pub resource_types: BTreeMap<String, ResourceType>,
    /// Actions in catalogue order.
    pub actions: Vec<ActionSpec>,
}

/// One resource type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceType {
    /// Service prefix (empty for `none`).
    pub service: String,
    /// ARN format, exactly the reference's (a test checks it); filled by `model::fill_arn`.
    pub arn: String,
    /// SageMaker lowercases resource names in ARNs.
    #[serde(default)]
    pub lowercase_name: bool,
    /// Condition-key prefixes under which the resource's tags are visible, e.g.
    /// `aws:ResourceTag` and `sagemaker:ResourceTag`.
    pub tag_key_prefixes: Vec<String>,
    /// CloudTrail `resources[].type` for data events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_trail_type: Option<String>,
    /// The Service Authorization Reference's resource type this one is, `service:name`
    /// (e.g. `s3:object`); empty for `none`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
}

/// Which family of context keys a call carries (see the catalogue's `about`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyFamily {
    /// `aws:ResourceTag/*` and the service's `ResourceTag/*`.
    ResourceTags,
    /// `aws:RequestTag/*` and `aws:TagKeys`.
    RequestTags,
    /// `s3:RequestObjectTag/*` and `s3:RequestObjectTagKeys` (object tags in PutObject).
    RequestObjectTags,
    /// `sagemaker:DomainId` and `sagemaker:UserProfileName` (Studio space only).
    StudioContext,
    /// `sagemaker:TaggingAction` (AddTags issued by a create call).
    TaggingAction,
    /// `s3:prefix` (listing with a prefix).
    S3Prefix,
    /// `sagemaker:FileSystemDirectoryPath`.
    FileSystemDirectoryPath,
    /// `iam:PassedToService`.
    PassedToService,
    /// `sts:SourceIdentity`.
    StsSourceIdentity,
    /// `sts:TransitiveTagKeys`.
    TransitiveTagKeys,
    /// `sagemaker:OwnerUserProfileArn` and `sagemaker:SpaceSharingType` (spaces and apps).
    SpaceOwnership,
}

/// CloudTrail event category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventCategory {
    /// Management (control plane) event.
    #[default]
    Management,
    /// Data event (S3 objects, endpoint invocations); `resources` is filled in.
    Data,
}

/// One action.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActionSpec {
    /// `service:Action`.
    pub action: String,
    /// Resource type id the call is authorized against (`none` = `*`).
    pub resource_type: String,
    /// Tagging actions accept any taggable resource type.
    #[serde(default)]
    pub any_resource_type: bool,
    /// For calls authorized on `*` that still name a resource in the request (e.g. the
    /// table of `lakeformation:GetDataAccess`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// CloudTrail `eventSource` when it is not `SERVICE.amazonaws.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    /// CloudTrail `eventName` when it differs from the action name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// Context key families the call carries.
    pub keys: Vec<KeyFamily>,
    /// CloudTrail `readOnly`.
    pub read_only: bool,
    /// Management or data event.
    #[serde(default)]
    pub category: EventCategory,
    /// False for permission-only actions that CloudTrail does not log on their own.
    #[serde(default = "yes")]
    pub logged: bool,
    /// CloudTrail `requestParameters` template.
    #[serde(default)]
    pub request_parameters: serde_json::Value,
    /// CloudTrail `responseElements` template for a successful call.
    #[serde(default)]
    pub response_elements: serde_json::Value,
    /// Further resource types the action accepts (derived actions: the reference's other
    /// resource types for it).
    #[serde(skip)]
    pub other_resource_types: Vec<String>,
    /// True when the spec is derived from the Service Authorization Reference rather than
    /// written in the Studio catalogue: CloudTrail names are then derived from the action.
    #[serde(skip)]
    pub derived: bool,
}

fn yes() -> bool {
    true
}

impl ActionSpec {
    /// The service prefix, e.g. `sagemaker`.
    pub fn service(&self) -> &str {
        self.action.split(':').next().unwrap_or("")
    }

    /// The action name without prefix, e.g. `StopTrainingJob`.
    pub fn name(&self) -> &str {
        self.action.split(':').nth(1).unwrap_or("")
    }

    /// CloudTrail `eventSource`.
    pub fn event_source(&self) -> String {
        self.event_source
            .clone()
            .unwrap_or_else(|| format!("{}.amazonaws.com", self.service()))
    }

    /// CloudTrail `eventName`.
    pub fn event_name(&self) -> String {
        self.event_name
            .clone()
            .unwrap_or_else(|| self.name().to_owned())
    }

    /// True when the call carries `family`.
    pub fn carries(&self, family: KeyFamily) -> bool {
        self.keys.contains(&family)
    }

    /// True when a resource of type `resource_type` can be the action's target.
    pub fn accepts(&self, resource_type: &str) -> bool {
        self.resource_type == resource_type
            || self.other_resource_types.iter().any(|t| t == resource_type)
            || (self.any_resource_type && resource_type != "none")
    }
}

impl Catalogue {
    /// The action named `action` (case-insensitive, as IAM action names are).
    pub fn action(&self, action: &str) -> Option<&ActionSpec> {
        self.actions
            .iter()
            .find(|a| a.action.eq_ignore_ascii_case(action))
    }

    /// The resource type `id`.
    pub fn resource_type(&self, id: &str) -> Option<&ResourceType> {
        self.resource_types.get(id)
    }

    /// Actions that act on resources of type `resource_type` (tagging actions included).
    pub fn actions_on(&self, resource_type: &str) -> impl Iterator<Item = &ActionSpec> + '_ {
        let rt = resource_type.to_owned();
        self.actions
            .iter()
            .filter(move |a| a.resource_type == rt || (a.any_resource_type && rt != "none"))
    }

    /// Checks internal consistency: every action's resource type exists, names are unique.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for a in &self.actions {
            if !seen.insert(a.action.to_ascii_lowercase()) {
                out.push(format!("duplicate action `{}`", a.action));
            }
            if !self.resource_types.contains_key(&a.resource_type) {
                out.push(format!(
                    "action `{}` names unknown resource type `{}`",
                    a.action, a.resource_type
                ));
            }
            if let Some(t) = &a.target_type {
                if !self.resource_types.contains_key(t) {
                    out.push(format!(
                        "action `{}` names unknown target type `{t}`",
                        a.action
                    ));
                }
            }
        }
        out
    }
}

/// The spec of any action: the Studio catalogue's entry where it has one, otherwise derived
/// from the Service Authorization Reference (see [`crate::derived`]). `None` when neither
/// knows the action (or its service is not loaded yet). A catalogue entry is borrowed: a
/// spec carries its CloudTrail template, and an access matrix asks for one per cell.
pub fn spec(action: &str) -> Option<std::borrow::Cow<'static, ActionSpec>> {
    match catalogue().action(action) {
        Some(a) => Some(std::borrow::Cow::Borrowed(a)),
        None => crate::derived::action_spec(action).map(std::borrow::Cow::Owned),
    }
}

/// Any resource type: a catalogue id (`s3-object`, borrowed) or a reference one
/// (`s3:accesspoint`, built from the reference).
pub fn resource_type_spec(id: &str) -> Option<std::borrow::Cow<'static, ResourceType>> {
    match catalogue().resource_type(id) {
        Some(r) => Some(std::borrow::Cow::Borrowed(r)),
        None => crate::derived::resource_type(id).map(std::borrow::Cow::Owned),
    }
}

/// The embedded catalogue, parsed once. A parse failure yields an empty catalogue (never a
/// panic); the unit test below guarantees the embedded file parses.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| serde_json::from_str(CATALOGUE_JSON).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_parses_and_is_consistent() {
        let parsed: Catalogue = serde_json::from_str(CATALOGUE_JSON).unwrap();
        assert!(parsed.actions.len() > 90);
        assert_eq!(parsed.problems(), Vec::<String>::new());
    }

    #[test]
    fn lookup_is_case_insensitive() {
        // IAM User Guide: "IAM JSON policy elements: Action" (action names are case-insensitive)
        let a = catalogue().action("SageMaker:stoptrainingjob").unwrap();
        assert_eq!(a.action, "sagemaker:StopTrainingJob");
        assert_eq!(a.event_source(), "sagemaker.amazonaws.com");
    }

    #[test]
    fn actions_on_a_type_include_tagging() {
        let names: Vec<&str> = catalogue()
            .actions_on("experiment")
            .map(|a| a.action.as_str())
            .collect();
        assert!(names.contains(&"sagemaker:DeleteExperiment"));
        assert!(names.contains(&"sagemaker:AddTags"));
        assert!(!names.contains(&"s3:GetObject"));
    }

    #[test]
    fn s3_list_bucket_is_logged_as_list_objects_data_event() {
        let a = catalogue().action("s3:ListBucket").unwrap();
        assert_eq!(a.event_name(), "ListObjects");
        assert_eq!(a.category, EventCategory::Data);
    }

    // The catalogue is a layer of Studio facts over the Service Authorization Reference: every
    // action and resource type it names exists there, with the same ARN shape, and the key
    // families it declares are ones the reference lists for the action.
    #[test]
    fn the_catalogue_agrees_with_the_reference() {
        let reference = abacus_reference::current();
        let mut problems = Vec::new();
        for (id, rt) in &catalogue().resource_types {
            if id == "none" {
                continue;
            }
            let Some((svc, name)) = rt.reference.split_once(':') else {
                problems.push(format!("{id}: no reference type"));
                continue;
            };
            match reference.resource_type(svc, name) {
                None => problems.push(format!("{id}: `{}` not in the reference", rt.reference)),
                Some(r) => {
                    if rt.arn != r.arn {
                        problems.push(format!("{id}: ARN `{}` vs reference `{}`", rt.arn, r.arn));
                    }
                }
            }
        }
        for a in &catalogue().actions {
            let Some((service, ra)) = reference.action(&a.action) else {
                problems.push(format!("{}: not in the reference", a.action));
                continue;
            };
            let keys = reference.action_keys(service, ra);
            let has = |k: &str| keys.iter().any(|x| x.eq_ignore_ascii_case(k));
            let resource_tags = keys
                .iter()
                .any(|k| k.to_ascii_lowercase().contains(":resourcetag/"));
            if a.carries(KeyFamily::ResourceTags) && !resource_tags && !a.any_resource_type {
                problems.push(format!(
                    "{}: resourceTags but the reference lists no ResourceTag key for its resource types",
                    a.action
                ));
            }
            if a.carries(KeyFamily::RequestTags)
                && !has("aws:RequestTag/${TagKey}")
                && !has("aws:TagKeys")
            {
                problems.push(format!(
                    "{}: requestTags but the reference lists no aws:RequestTag",
                    a.action
                ));
            }
        }
        assert_eq!(problems, Vec::<String>::new());
    }

    #[test]
    fn every_seed_action_is_catalogued() {
        for action in [
            "sagemaker:StopTrainingJob",
            "sagemaker:DescribeTrainingJob",
            "sagemaker:UpdateTrainingJob",
            "sagemaker:AddTags",
            "sagemaker:CreateTrainingJob",
            "sagemaker:CreateUserProfile",
            "sagemaker:CreatePresignedDomainUrl",
            "sagemaker:DeleteExperiment",
            "sagemaker:CreateApp",
            "sagemaker:InvokeEndpoint",
            "s3:ListBucket",
            "s3:GetObject",
            "s3:PutObject",
            "s3:DeleteObject",
            "secretsmanager:GetSecretValue",
            "elasticmapreduce:GetClusterSessionCredentials",
            "sts:AssumeRole",
            "sts:SetSourceIdentity",
            "sts:TagSession",
            "sts:SetContext",
            "lakeformation:GetDataAccess",
            "iam:PassRole",
            "iam:ListRoles",
            "kms:DescribeKey",
            "kms:ListAliases",
            "sagemaker:UpdateDomain",
            "sts:AssumeRoleWithSAML",
            "logs:ListLogDeliveries",
            "logs:CreateLogDelivery",
            "logs:PutResourcePolicy",
            "logs:UpdateLogDelivery",
            "ecr:CompleteLayerUpload",
            "ecr:InitiateLayerUpload",
            "ecr:CreateRepository",
            "ecr:StartImageScan",
            "cloudwatch:DescribeAlarms",
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "s3:AbortMultipartUpload",
            "s3:CreateBucket",
            "s3:PutBucketCORS",
            "s3:ListAllMyBuckets",
            "s3:GetBucketCORS",
            "s3:GetBucketLocation",
            "sagemaker:GetSearchSuggestions",
            "sagemaker:Search",
            "sagemaker:RenderUiTemplate",
            "sagemaker:BatchGetMetrics",
            "sagemaker:DisassociateTrialComponent",
            "sagemaker:AssociateTrialComponent",
            "sagemaker:BatchPutMetrics",
            "ec2:DescribeVpcEndpoints",
            "athena:StartQueryExecution",
            "glue:GetTable",
            "s3:GetDataAccess",
        ] {
            assert!(catalogue().action(action).is_some(), "{action}");
        }
    }
}
