//! The target resource's keys: `aws:ResourceAccount`, the resource tags under every tag-key
//! prefix of its resource type (`aws:ResourceTag/*` and the service's own, e.g.
//! `sagemaker:ResourceTag/*`), and a Studio space's owner and sharing type.
//!
//! Facts encoded: IAM User Guide, "AWS global condition context keys"
//! (`aws:ResourceAccount` is the account that owns the resource); SageMaker Developer
//! Guide, the space permission examples (`sagemaker:OwnerUserProfileArn`,
//! `sagemaker:SpaceSharingType`). Resource-tag keys exist only for actions that carry them
//! (never for the resource a create call makes).

use super::target::Target;
use crate::actions::{ActionSpec, KeyFamily};
use abacus_policy::Context;

/// Which of a target's keys an action carries besides `aws:ResourceAccount`: its tags, and
/// a space's ownership. The keys of a target are the same for the actions that carry the
/// same families, so they are built once for each (see `KeyLayers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Carried {
    /// `KeyFamily::ResourceTags`.
    pub(super) tags: bool,
    /// `KeyFamily::SpaceOwnership`.
    pub(super) space: bool,
}

impl Carried {
    /// What `action` carries.
    pub(super) fn by(action: &ActionSpec) -> Self {
        Carried {
            tags: action.carries(KeyFamily::ResourceTags),
            space: action.carries(KeyFamily::SpaceOwnership),
        }
    }
}

/// Inserts the keys of `target` that an action carrying `carried` has into `ctx`.
pub(super) fn insert(ctx: &mut Context, carried: Carried, target: &Target) {
    ctx.insert_single("aws:ResourceAccount", target.account.clone());
    if carried.tags {
        let spec = crate::actions::resource_type_spec(&target.resource_type);
        let prefixes = spec.as_ref().map_or(&[][..], |r| &r.tag_key_prefixes[..]);
        for (k, v) in &target.tags {
            for p in prefixes {
                ctx.insert_single(&[p.as_str(), "/", k].concat(), v.clone());
            }
        }
    }
    if carried.space {
        if let Some(owner) = &target.owner_profile_arn {
            ctx.insert_single("sagemaker:OwnerUserProfileArn", owner.clone());
        }
        if let Some(sharing) = &target.space_sharing_type {
            ctx.insert_single("sagemaker:SpaceSharingType", sharing.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Resource, Tags};
    use crate::request::build_request;
    use crate::request::route::Route;
    use crate::request::test_support::{by_arn, sel, single};
    use crate::scenario::default_scenario;

    #[test]
    fn spaces_carry_owner_and_sharing_type() {
        // SageMaker Developer Guide: Studio spaces, "sagemaker:OwnerUserProfileArn" and
        // "sagemaker:SpaceSharingType" in the space permission examples
        let mut w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
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
    fn an_arn_outside_the_world_has_no_tags_and_its_own_account() {
        // "AWS global condition context keys": aws:ResourceAccount is the account that
        // owns the resource, here the ARN's account.
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
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
}
