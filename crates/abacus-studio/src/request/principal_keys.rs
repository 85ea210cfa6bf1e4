//! The principal keys and the global keys of a call: who signs it (`aws:PrincipalArn`,
//! `aws:PrincipalType`, `aws:userid`, `aws:username`, `aws:SourceIdentity`, the Identity
//! Center keys, `aws:PrincipalTag/*`) and the keys every request carries (region, time,
//! source IP, transport).
//!
//! Facts encoded: IAM User Guide, "AWS global condition context keys": which global keys
//! exist for which principals (`aws:username` only for IAM users, `aws:PrincipalArn` is the
//! role ARN for role sessions, `aws:SourceIdentity` only when a source identity is set);
//! IAM is a global service whose requests go to `us-east-1`.

use super::caller::{Caller, Signer};
use crate::actions::ActionSpec;
use crate::model::World;
use abacus_policy::Context;

/// Inserts the keys of `signer` and the global keys every call of it carries into `ctx`,
/// with `clock` (ISO 8601 UTC) as the time of the call: all but `aws:RequestedRegion`
/// (see [`requested_region`]), so that the calls of one signer can share them.
pub(super) fn insert(ctx: &mut Context, world: &World, signer: &Signer, clock: &str) {
    let Signer {
        caller,
        principal_tags,
        source_ip,
        ..
    } = signer;
    match &**caller {
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
            ctx.insert_single("aws:userid", [role_id.as_str(), ":", session_name].concat());
            ctx.insert_single("aws:TokenIssueTime", clock.to_owned());
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
    for (k, v) in principal_tags {
        ctx.insert_single(&["aws:PrincipalTag/", k].concat(), v.clone());
    }
    ctx.insert_single("aws:CurrentTime", clock.to_owned());
    if let Some(epoch) = epoch_seconds(clock) {
        ctx.insert_single("aws:EpochTime", epoch.to_string());
    }
    ctx.insert_single("aws:SourceIp", source_ip.clone());
    ctx.insert_single("aws:SecureTransport", "true");
    ctx.insert_single("aws:ViaAWSService", "false");
    ctx.insert_single("aws:PrincipalIsAWSService", "false");
}

/// `aws:RequestedRegion` of a call to `action` sent to `region`: IAM's requests go to
/// `us-east-1`.
pub(super) fn requested_region<'a>(action: &ActionSpec, region: &'a str) -> &'a str {
    if action.service() == "iam" {
        "us-east-1"
    } else {
        region
    }
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
    use crate::request::build_request;
    use crate::request::route::Route;
    use crate::request::test_support::{sel, single};
    use crate::scenario::default_scenario;

    #[test]
    fn a_request_can_carry_its_own_time_address_and_region() {
        // IAM User Guide: "AWS global condition context keys" (aws:CurrentTime,
        // aws:EpochTime, aws:SourceIp, aws:RequestedRegion are the request's)
        let w = default_scenario().world;
        let mut s = sel(
            "alice",
            "s3:GetObject",
            Some("obj-alice"),
            Route::StudioSpace,
        );
        s.parameters.time = Some("2026-03-01T09:30:00Z".into());
        s.parameters.source_ip = Some("203.0.113.10".into());
        s.parameters.region = Some("eu-west-1".into());
        let b = build_request(&w, &s).unwrap();
        assert_eq!(
            single(&b, "aws:CurrentTime").as_deref(),
            Some("2026-03-01T09:30:00Z")
        );
        assert_eq!(single(&b, "aws:EpochTime").as_deref(), Some("1772357400"));
        assert_eq!(single(&b, "aws:SourceIp").as_deref(), Some("203.0.113.10"));
        assert_eq!(b.source_ip, "203.0.113.10");
        assert_eq!(
            single(&b, "aws:RequestedRegion").as_deref(),
            Some("eu-west-1")
        );
        // IAM's requests still go to us-east-1
        let mut i = sel("alice", "iam:ListRoles", None, Route::StudioSpace);
        i.parameters.region = Some("eu-west-1".into());
        let b = build_request(&w, &i).unwrap();
        assert_eq!(
            single(&b, "aws:RequestedRegion").as_deref(),
            Some("us-east-1")
        );
    }

    #[test]
    fn epoch_of_known_date() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_seconds("2025-04-18T13:16:36Z"), Some(1_744_982_196));
    }

    #[test]
    fn role_sessions_and_iam_users_carry_their_own_principal_keys() {
        // IAM User Guide, "AWS global condition context keys"
        let w = default_scenario().world;
        let session = build_request(
            &w,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                Route::StudioSpace,
            ),
        )
        .unwrap();
        assert_eq!(
            single(&session, "aws:PrincipalType").as_deref(),
            Some("AssumedRole")
        );
        assert!(single(&session, "aws:userid").is_some_and(|id| id.ends_with(":SageMaker")));
        assert_eq!(
            single(&session, "aws:SourceIp").as_deref(),
            Some(w.source_ips.studio.as_str())
        );
        assert_eq!(
            single(&session, "aws:RequestedRegion").as_deref(),
            Some(w.region.as_str())
        );
        assert_eq!(
            single(&session, "aws:EpochTime"),
            epoch_seconds(&w.clock).map(|e| e.to_string())
        );
        let keys = build_request(
            &w,
            &sel(
                "alice",
                "s3:GetObject",
                Some("obj-alice"),
                Route::AccessKeys { iam_user: None },
            ),
        )
        .unwrap();
        assert_eq!(single(&keys, "aws:PrincipalType").as_deref(), Some("User"));
        assert_eq!(
            single(&keys, "aws:PrincipalArn").as_deref(),
            Some("arn:aws:iam::111122223333:user/alice")
        );
        assert!(single(&keys, "aws:TokenIssueTime").is_none());
    }

    #[test]
    fn iam_requests_go_to_us_east_1() {
        let w = default_scenario().world;
        let b =
            build_request(&w, &sel("alice", "iam:ListRoles", None, Route::StudioSpace)).unwrap();
        assert_eq!(
            single(&b, "aws:RequestedRegion").as_deref(),
            Some("us-east-1")
        );
    }
}
