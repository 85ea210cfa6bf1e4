//! The keys of the action's key families that come from the request itself rather than
//! from the principal or the resource: request tags, S3 object tags, SageMaker's Studio
//! keys, `sagemaker:TaggingAction`, `s3:prefix`, the file system keys of a training job,
//! `iam:PassedToService`, `sts:SourceIdentity` and `sts:TransitiveTagKeys`.
//!
//! Each family is present only when the action carries it (the catalogue's
//! [`KeyFamily`] list, from the Service Authorization Reference) and the call gives its
//! value. Facts encoded: `sagemaker:DomainId` / `sagemaker:UserProfileName` are only present
//! for SageMaker calls made from within Studio; a listing without a prefix has no
//! `s3:prefix`; `iam:PassedToService` names the service the role is passed to.

use super::caller::Caller;
use super::route::Route;
use super::selection::Selection;
use crate::actions::{ActionSpec, KeyFamily};
use crate::model::UserProfile;
use abacus_policy::Context;

/// Inserts the request's family keys of `action` into `ctx`, for `selection` made by
/// `user` and signed by `caller`; why keys are absent goes to `notes`.
pub(super) fn insert(
    ctx: &mut Context,
    notes: &mut Vec<String>,
    action: &ActionSpec,
    selection: &Selection,
    user: &UserProfile,
    caller: &Caller,
) {
    let p = &selection.parameters;
    if action.carries(KeyFamily::RequestTags) && !p.tags.is_empty() {
        for (k, v) in &p.tags {
            ctx.insert_single(&["aws:RequestTag/", k].concat(), v.clone());
        }
        ctx.insert_multi("aws:TagKeys", p.tags.keys().cloned().collect());
    }
    if action.carries(KeyFamily::RequestObjectTags) && !p.tags.is_empty() {
        for (k, v) in &p.tags {
            ctx.insert_single(&["s3:RequestObjectTag/", k].concat(), v.clone());
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
            Some(prefix) => ctx.insert_single("s3:prefix", prefix.clone()),
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
    } = caller
    {
        if action.carries(KeyFamily::StsSourceIdentity) {
            ctx.insert_single("sts:SourceIdentity", si.clone());
        }
    }
    if action.carries(KeyFamily::TransitiveTagKeys) && !p.transitive_tag_keys.is_empty() {
        ctx.insert_multi("sts:TransitiveTagKeys", p.transitive_tag_keys.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::request::build_request;
    use crate::request::route::Route;
    use crate::request::test_support::{sel, single};
    use crate::scenario::default_scenario;
    use abacus_policy::ContextValue;

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
}
