//! The placeholder values of the CloudTrail templates (`{Arn}`, `{Bucket}`, `{SessionName}`,
//! ...): what [`crate::cloudtrail`] fills into the event a call records. They come from the
//! target, the world, the signing identity and the request parameters; none is a condition
//! key.

use super::caller::Caller;
use super::route::Route;
use super::selection::Selection;
use super::target::Target;
use super::RequestError;
use crate::actions::{ActionSpec, KeyFamily};
use crate::model::{UserProfile, World};
use std::collections::BTreeMap;

/// Fails as [`template_vars`] does, without building them: `parameters.target` must name a
/// world resource.
pub(super) fn check_target_parameter(
    world: &World,
    selection: &Selection,
) -> Result<(), RequestError> {
    match &selection.parameters.target {
        Some(id) if world.resource(id).is_none() => Err(RequestError::UnknownResource(id.clone())),
        _ => Ok(()),
    }
}

/// The template placeholders of `selection`'s call by `user`, signed by `caller`, on
/// `target`. Fails when `parameters.target` names no world resource.
pub(super) fn template_vars(
    world: &World,
    user: &UserProfile,
    action: &ActionSpec,
    selection: &Selection,
    caller: &Caller,
    target: Option<&Target>,
) -> Result<BTreeMap<String, String>, RequestError> {
    let mut vars = BTreeMap::new();
    if let Some(t) = target {
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
    }
    vars.insert("Region".to_owned(), world.region.clone());
    vars.insert("Account".to_owned(), world.account.clone());
    vars.entry("DomainId".to_owned())
        .or_insert_with(|| user.domain.clone());
    vars.insert("UserProfileName".to_owned(), user.name.clone());
    if let Some(role) = world.execution_role_of(user) {
        vars.insert("ExecutionRoleArn".to_owned(), world.role_arn(&role));
    }
    let p = &selection.parameters;
    if action.carries(KeyFamily::S3Prefix) {
        if let Some(prefix) = &p.prefix {
            vars.insert("Prefix".to_owned(), prefix.clone());
        }
    }
    if let Caller::AssumedRole {
        source_identity: Some(si),
        ..
    } = caller
    {
        vars.insert("SourceIdentity".to_owned(), si.clone());
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
    } else if let Caller::AssumedRole { session_name, .. } = caller {
        vars.insert("SessionName".to_owned(), session_name.clone());
    }
    if let Route::RoleChain { session_name, .. } = &selection.route {
        vars.insert(
            "SessionName".to_owned(),
            session_name.clone().unwrap_or_else(|| "chained".to_owned()),
        );
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use crate::request::build_request;
    use crate::request::route::Route;
    use crate::request::test_support::sel;
    use crate::scenario::default_scenario;

    #[test]
    fn placeholders_name_the_target_and_the_session() {
        let w = default_scenario().world;
        let mut s = sel("alice", "s3:ListBucket", Some("bucket"), Route::StudioSpace);
        s.parameters.prefix = Some("alice/".into());
        let b = build_request(&w, &s).unwrap();
        let var = |k: &str| b.vars.get(k).map(String::as_str);
        assert_eq!(var("Prefix"), Some("alice/"));
        assert_eq!(var("SessionName"), Some("SageMaker"));
        assert_eq!(var("SourceIdentity"), Some("alice"));
        assert_eq!(var("UserProfileName"), Some("alice"));
        assert_eq!(var("Account"), Some(w.account.as_str()));
        assert_eq!(var("Arn"), Some(b.request.resource.as_str()));
        let chained = build_request(
            &w,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                Route::RoleChain {
                    role: "DataEngineerRole".into(),
                    session_name: Some("etl".into()),
                },
            ),
        )
        .unwrap();
        assert_eq!(
            chained.vars.get("SessionName").map(String::as_str),
            Some("etl")
        );
    }

    #[test]
    fn an_unknown_parameter_target_is_an_error() {
        let w = default_scenario().world;
        let mut s = sel(
            "alice",
            "s3:GetObject",
            Some("obj-alice"),
            Route::StudioSpace,
        );
        s.parameters.target = Some("nowhere".into());
        assert_eq!(
            build_request(&w, &s).unwrap_err(),
            crate::request::RequestError::UnknownResource("nowhere".into())
        );
    }
}
