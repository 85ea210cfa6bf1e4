//! Action specs for actions outside the Studio catalogue, derived from the Service
//! Authorization Reference, so that any action of a loaded service can be simulated.
//!
//! - The target is the action's first required resource type (else its first one); a
//!   reference type that the catalogue models (`s3:object` is `s3-object`) keeps the
//!   catalogue's id, so world resources of that type are offered. Others are named
//!   `service:type` (e.g. `s3:accesspoint`), with the reference's ARN format.
//! - Key families follow what the reference lists: resource tags only where the resource
//!   type supports `…:ResourceTag/${TagKey}` (never on the resource a create call makes:
//!   it has no tags yet), request tags only where the action lists `aws:RequestTag` or
//!   `aws:TagKeys`, and so on.
//! - CloudTrail: `readOnly` follows the access level (List and Read are read-only); S3
//!   object actions are data events ("Logging data events" in the CloudTrail User Guide);
//!   `eventSource` is `SERVICE.amazonaws.com` and `eventName` the action name, and the run's
//!   notes say these are derived.

use crate::actions::{catalogue, ActionSpec, EventCategory, KeyFamily, ResourceType};
use abacus_reference::{keys, Action, Service};

/// Reference resource types whose calls CloudTrail logs as data events.
const DATA_EVENT_TYPES: &[&str] = &["s3:object", "s3:accesspointobject"];

/// The catalogue id for a reference resource type, or `service:type`.
fn type_id(service: &str, name: &str) -> String {
    let qualified = format!("{service}:{name}");
    catalogue()
        .resource_types
        .iter()
        .find(|(_, rt)| rt.reference.eq_ignore_ascii_case(&qualified))
        .map(|(id, _)| id.clone())
        .unwrap_or(qualified)
}

/// True when `action` creates the resource it is authorized on: a `Create…` call that
/// takes request tags. The new resource has no tags yet, so `aws:ResourceTag` is absent
/// (IAM User Guide: "Controlling access to AWS resources using tags").
pub fn creates_its_resource(action: &Action) -> bool {
    action.name.starts_with("Create")
        && action
            .condition_keys
            .iter()
            .any(|k| k.eq_ignore_ascii_case("aws:RequestTag/${TagKey}"))
}

fn lists(keys: &[&str], wanted: &str) -> bool {
    keys.iter().any(|k| k.eq_ignore_ascii_case(wanted))
}

/// The derived spec of `action` (`service:Name`), when the reference has it loaded.
pub fn action_spec(action: &str) -> Option<ActionSpec> {
    let reference = abacus_reference::current();
    let (service, a) = reference.action(action)?;
    Some(spec_of(&reference, service, a))
}

fn spec_of(reference: &abacus_reference::Reference, service: &Service, a: &Action) -> ActionSpec {
    // required types first, then those the Studio world models (ids without a colon)
    let all: Vec<(bool, String, &str)> = a
        .resource_types
        .iter()
        .map(|r| (r.required(), type_id(&service.prefix, r.name()), r.name()))
        .collect();
    let mut typed: Vec<&(bool, String, &str)> = Vec::with_capacity(all.len());
    for (required, modelled) in [(true, true), (true, false), (false, true), (false, false)] {
        typed.extend(
            all.iter()
                .filter(|(r, id, _)| *r == required && id.contains(':') != modelled),
        );
    }
    let types: Vec<&str> = typed.iter().map(|(_, _, name)| *name).collect();
    let ids: Vec<String> = typed.iter().map(|(_, id, _)| id.clone()).collect();
    let (resource_type, other_resource_types) = match ids.split_first() {
        Some((first, rest)) => (first.clone(), rest.to_vec()),
        None => ("none".to_owned(), Vec::new()),
    };

    let all_keys = reference.action_keys(service, a);
    let own: Vec<&str> = a.condition_keys.iter().map(String::as_str).collect();
    let mut families = Vec::new();
    let resource_tags = all_keys.iter().any(|k| {
        keys::is_template(k)
            && keys::template_prefix(k)
                .to_ascii_lowercase()
                .ends_with(":resourcetag/")
    });
    if resource_tags && !creates_its_resource(a) {
        families.push(KeyFamily::ResourceTags);
    }
    if lists(&own, "aws:RequestTag/${TagKey}") || lists(&own, "aws:TagKeys") {
        families.push(KeyFamily::RequestTags);
    }
    if lists(&own, "s3:RequestObjectTag/<key>") {
        families.push(KeyFamily::RequestObjectTags);
    }
    if lists(&own, "s3:prefix") {
        families.push(KeyFamily::S3Prefix);
    }
    if lists(&own, "sagemaker:FileSystemDirectoryPath") {
        families.push(KeyFamily::FileSystemDirectoryPath);
    }
    if lists(&own, "iam:PassedToService") {
        families.push(KeyFamily::PassedToService);
    }
    if service.prefix == "sagemaker" {
        // the simulator's documented approximation: Studio context keys on every SageMaker
        // call from a Studio space (see the crate README)
        families.push(KeyFamily::StudioContext);
    }
    let data_event = types.first().is_some_and(|t| {
        let q = format!("{}:{t}", service.prefix);
        DATA_EVENT_TYPES.iter().any(|d| d.eq_ignore_ascii_case(&q))
    });
    ActionSpec {
        action: format!("{}:{}", service.prefix, a.name),
        resource_type,
        other_resource_types,
        keys: families,
        read_only: a.access_level().is_read_only(),
        category: if data_event {
            EventCategory::Data
        } else {
            EventCategory::Management
        },
        logged: true,
        derived: true,
        ..ActionSpec::default()
    }
}

/// A reference resource type named `service:type`.
pub fn resource_type(id: &str) -> Option<ResourceType> {
    let (service, name) = id.split_once(':')?;
    let reference = abacus_reference::current();
    let rt = reference.resource_type(service, name)?;
    let mut tag_key_prefixes: Vec<String> = rt
        .condition_keys
        .iter()
        .filter(|k| keys::is_template(k))
        .map(|k| keys::template_prefix(k).trim_end_matches('/').to_owned())
        .filter(|p| p.to_ascii_lowercase().ends_with(":resourcetag"))
        .collect();
    tag_key_prefixes.dedup();
    Some(ResourceType {
        service: service.to_ascii_lowercase(),
        arn: rt.arn.clone(),
        lowercase_name: false,
        tag_key_prefixes,
        cloud_trail_type: None,
        reference: format!("{service}:{}", rt.name),
    })
}

/// Why `action` cannot be simulated, with the nearest real names where there are some.
pub fn unknown_action_message(action: &str) -> String {
    use abacus_reference::ServiceStatus;
    let reference = abacus_reference::current();
    let Some((prefix, name)) = action.split_once(':') else {
        return format!("`{action}` is not an action name (`service:Action`)");
    };
    match reference.status(prefix) {
        ServiceStatus::Loaded => {
            let names = reference
                .service(prefix)
                .map(|s| {
                    abacus_reference::suggest::nearest(
                        name,
                        s.actions.iter().map(|a| a.name.as_str()),
                        3,
                    )
                    .into_iter()
                    .map(|n| format!("`{}:{n}`", s.prefix))
                    .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            if names.is_empty() {
                format!("`{prefix}` has no action `{name}` in the Service Authorization Reference")
            } else {
                format!(
                    "`{prefix}` has no action `{name}` in the Service Authorization Reference; did you mean {}?",
                    names.join(" or ")
                )
            }
        }
        ServiceStatus::NotLoaded => {
            format!("the reference data of `{prefix}` is not loaded yet")
        }
        ServiceStatus::Unknown | ServiceStatus::NoIndex => {
            format!("`{prefix}` is not a service prefix of the Service Authorization Reference")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Service Authorization Reference: "Actions, resources, and condition keys for Amazon S3"
    #[test]
    fn s3_get_object_tagging_targets_the_catalogue_object_type() {
        let a = action_spec("s3:GetObjectTagging").unwrap();
        assert_eq!(a.action, "s3:GetObjectTagging");
        assert_eq!(a.resource_type, "s3-object");
        assert!(a.read_only);
        assert_eq!(a.category, EventCategory::Data);
        assert!(a.derived);
    }

    // "Actions, resources, and condition keys for Amazon SageMaker AI": DeleteTrainingJob
    // acts on a training job, which supports aws:ResourceTag
    #[test]
    fn sagemaker_delete_training_job_carries_resource_tags() {
        let a = action_spec("sagemaker:DeleteTrainingJob").unwrap();
        assert_eq!(a.resource_type, "training-job");
        assert!(a.carries(KeyFamily::ResourceTags));
        assert!(!a.carries(KeyFamily::RequestTags));
        assert!(!a.read_only);
    }

    #[test]
    fn create_calls_carry_request_tags_not_resource_tags() {
        let reference = abacus_reference::current();
        let (s, a) = reference.action("sagemaker:CreateTrainingJob").unwrap();
        assert!(creates_its_resource(a));
        let spec = spec_of(&reference, s, a);
        assert!(spec.carries(KeyFamily::RequestTags));
        assert!(!spec.carries(KeyFamily::ResourceTags));
        assert!(spec.carries(KeyFamily::FileSystemDirectoryPath));
    }

    #[test]
    fn unmodelled_resource_types_use_the_reference_format() {
        let rt = resource_type("s3:accesspoint").unwrap();
        assert_eq!(
            rt.arn,
            "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}"
        );
        let rt = resource_type("elasticmapreduce:cluster").unwrap();
        assert_eq!(
            rt.tag_key_prefixes,
            vec![
                "aws:ResourceTag".to_owned(),
                "elasticmapreduce:ResourceTag".to_owned()
            ]
        );
        assert!(resource_type("s3:nothing").is_none());
    }

    #[test]
    fn unknown_actions_are_explained() {
        assert_eq!(
            unknown_action_message("s3:GetObjcet"),
            "`s3` has no action `GetObjcet` in the Service Authorization Reference; did you mean `s3:GetObject`?"
        );
        assert!(unknown_action_message("nosuch:Thing").contains("not a service prefix"));
    }

    #[test]
    fn actions_without_resource_types_take_star() {
        let a = action_spec("s3:ListAllMyBuckets").unwrap();
        assert_eq!(a.resource_type, "none");
        assert!(action_spec("s3:GetObjcet").is_none());
    }
}
