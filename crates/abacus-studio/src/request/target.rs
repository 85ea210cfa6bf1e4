//! ARN resolution: which resource a call targets, and its ARN. A selection names its
//! resource by world id, by ARN (a world resource with that ARN, or a resource outside
//! the world), or not at all (an action on `*`, or a create call naming the new resource
//! in `parameters.name`). The [`Target`] found carries what the keys and the evaluation
//! need: ARN, account, tags, the resource whose resource-based policy applies, the space
//! owner.
//!
//! Facts encoded: IAM User Guide, "IAM identifiers" (ARN format
//! `arn:partition:service:region:account-id:resource`); S3 objects are governed by their
//! bucket's policy; S3 ARNs have no account, so the world's account owns them.

use super::selection::Selection;
use super::RequestError;
use crate::actions::ActionSpec;
use crate::model::{Resource, Tags, UserProfile, World};

/// The resource a call targets, resolved.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Target {
    /// The request's resource ARN.
    pub(super) arn: String,
    /// The resource's name (`bucket/key` for S3 objects).
    pub(super) name: String,
    /// Its resource type, e.g. `training-job`.
    pub(super) resource_type: String,
    /// `aws:ResourceAccount`.
    pub(super) account: String,
    /// Its tags (`aws:ResourceTag/*`).
    pub(super) tags: Tags,
    /// The owner's Studio domain, when known.
    pub(super) domain: Option<String>,
    /// Resource id whose resource-based policy applies.
    pub(super) policy_owner: Option<String>,
    /// `sagemaker:OwnerUserProfileArn`.
    pub(super) owner_profile_arn: Option<String>,
    /// `sagemaker:SpaceSharingType`.
    pub(super) space_sharing_type: Option<String>,
    /// Why the target has no tags or policy, for the trace panel.
    pub(super) note: Option<String>,
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
fn arn_target<'w>(
    world: &'w World,
    action: &ActionSpec,
    arn: &str,
) -> Result<Resolved<'w>, RequestError> {
    let parts = parse_request_arn(arn).map_err(|reason| RequestError::InvalidArn {
        arn: arn.to_owned(),
        reason,
    })?;
    if let Some(r) = world
        .resources
        .iter()
        .find(|r| world.resolve(r).is_some_and(|resolved| resolved.arn == arn))
    {
        check_accepts(action, r)?;
        return Ok(Resolved::World(r));
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
    Ok(Resolved::Made(Box::new(Target {
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
    })))
}

/// What a call targets, before a world resource is made a [`Target`] (which a caller may
/// keep: it does not depend on the call, see [`resource_target`]).
pub(super) enum Resolved<'w> {
    /// A world resource of a type the action acts on.
    World(&'w Resource),
    /// A resource outside the world, or one the call creates.
    Made(Box<Target>),
}

/// An error unless `action` acts on resources of `r`'s type.
fn check_accepts(action: &ActionSpec, r: &Resource) -> Result<(), RequestError> {
    if action.accepts(&r.resource_type) {
        Ok(())
    } else {
        Err(RequestError::WrongResourceType {
            action: action.action.clone(),
            expected: action.resource_type.clone(),
            found: r.resource_type.clone(),
        })
    }
}

/// The target of a world resource, whichever action acts on it (see [`check_accepts`]).
pub(super) fn resource_target(world: &World, r: &Resource) -> Result<Target, RequestError> {
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

/// The target of `selection`'s call by `user` to `action`: `None` for an action on `*`.
pub(super) fn resolve_target<'w>(
    world: &'w World,
    user: &UserProfile,
    action: &ActionSpec,
    selection: &Selection,
) -> Result<Option<Resolved<'w>>, RequestError> {
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
        check_accepts(action, r)?;
        return Ok(Some(Resolved::World(r)));
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
    Ok(Some(Resolved::Made(Box::new(Target {
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
    }))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::build_request;
    use crate::request::route::Route;
    use crate::request::test_support::{by_arn, sel, single};
    use crate::scenario::default_scenario;

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
}
