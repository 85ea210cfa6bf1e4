//! The evaluator's unit tests: each AWS rule of the module docs, on small policy sets.

use super::*;
use crate::explain::PolicyStatus;
use crate::request::Context;

const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/StudioRole/alice";

fn policy(name: &str, statements: &str) -> NamedPolicy {
    NamedPolicy::from_text(
        name,
        &format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#),
    )
}

fn req(principal: &str, action: &str, resource: &str) -> Request {
    Request {
        principal: principal.into(),
        action: action.into(),
        resource: resource.into(),
        context: Context::new(),
    }
}

// AWS Security Blog, "Enhanced access denied error messages with policy ARNs": "with an
// explicit deny in a service control policy: arn:aws:organizations::...", for SCPs,
// RCPs, permissions boundaries, session policies and identity-based policies only
#[test]
fn an_explicit_deny_names_the_denying_policy_by_arn_where_aws_does() {
    const SCP_ARN: &str =
        "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd";
    const DENY: &str = r#"{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}"#;
    let allow_all = || policy("all", r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
    let r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k");
    let scp = PolicySet {
        identity: vec![allow_all()],
        scps: vec![vec![
            allow_all(),
            policy("deny-s3", DENY).with_arn(Some(SCP_ARN.into())),
        ]],
        ..Default::default()
    };
    let a = authorize(&scp, &r).access_denied.unwrap();
    assert!(
        a.message.ends_with(&format!(
            "with an explicit deny in a service control policy: {SCP_ARN}"
        )),
        "{}",
        a.message
    );
    let managed = "arn:aws:iam::111122223333:policy/DenyObjects";
    let identity = PolicySet {
        identity: vec![
            allow_all(),
            policy("d", DENY).with_arn(Some(managed.into())),
        ],
        ..Default::default()
    };
    let a = authorize(&identity, &r).access_denied.unwrap();
    assert_eq!(
        a.reason,
        format!("with an explicit deny in an identity-based policy: {managed}")
    );
    // resource-based policies are not covered; a policy without an ARN is not named
    let resource = PolicySet {
        identity: vec![allow_all().with_arn(Some(managed.into()))],
        resource: Some(
            policy(
                "bucket",
                r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#,
            )
            .with_arn(Some("arn:aws:s3:::b".into())),
        ),
        ..Default::default()
    };
    assert_eq!(
        authorize(&resource, &r).access_denied.unwrap().reason,
        "with an explicit deny in a resource-based policy"
    );
    let unnamed = PolicySet {
        identity: vec![allow_all(), policy("d", DENY)],
        ..Default::default()
    };
    assert_eq!(
        authorize(&unnamed, &r).access_denied.unwrap().reason,
        "with an explicit deny in an identity-based policy"
    );
}

const ALLOW_GET: &str =
    r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#;

// IAM User Guide: "Policy evaluation logic"
#[test]
fn identity_allow_and_implicit_deny() {
    let set = PolicySet {
        identity: vec![policy("p", ALLOW_GET)],
        ..Default::default()
    };
    let a = authorize(&set, &req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k"));
    assert_eq!(a.decision, Decision::Allow);
    assert_eq!(a.deciding.len(), 1);
    let a = authorize(&set, &req(SESSION, "s3:PutObject", "arn:aws:s3:::b/k"));
    assert_eq!(a.decision, Decision::ImplicitDeny);
    assert_eq!(
        a.access_denied.unwrap().reason,
        "because no identity-based policy allows the s3:PutObject action"
    );
}

#[test]
fn explicit_deny_wins() {
    let set = PolicySet {
        identity: vec![
            policy("p", ALLOW_GET),
            policy("d", r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#),
        ],
        ..Default::default()
    };
    let r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k");
    assert_eq!(authorize_decision(&set, &r), Decision::ExplicitDeny);
    let a = authorize(&set, &r);
    assert_eq!(a.deciding[0].policy_name, "d");
    assert!(a
        .access_denied
        .unwrap()
        .reason
        .contains("explicit deny in an identity-based policy"));
}

// IAM User Guide: "Policy evaluation logic" (resource-based policies in the same account)
#[test]
fn resource_policy_grants_by_principal_kind() {
    let boundary = policy(
        "b",
        r#"{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}"#,
    );
    let r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k");
    let with = |principal: &str| PolicySet {
        resource: Some(policy(
            "bucket",
            &format!(
                r#"{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
            ),
        )),
        permission_boundaries: vec![boundary.clone()],
        ..Default::default()
    };
    // naming the session: not limited by the boundary's implicit deny
    assert_eq!(authorize_decision(&with(SESSION), &r), Decision::Allow);
    // naming the role: limited by the boundary
    let a = authorize(&with("arn:aws:iam::111122223333:role/StudioRole"), &r);
    assert_eq!(a.decision, Decision::ImplicitDeny);
    assert!(a
        .access_denied
        .unwrap()
        .reason
        .contains("permissions boundary"));
    // naming the account: identity policies must allow
    let a = authorize(&with("arn:aws:iam::111122223333:root"), &r);
    assert_eq!(a.decision, Decision::ImplicitDeny);
}

// IAM User Guide: "IAM role trust policies" (the trust policy must allow)
#[test]
fn trust_policy_is_required() {
    let trust = policy(
        "trust",
        r#"{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}"#,
    );
    let set = PolicySet {
        resource: Some(trust),
        ..Default::default()
    };
    let r = req(
        "sagemaker.amazonaws.com",
        "sts:SetSourceIdentity",
        "arn:aws:iam::111122223333:role/StudioRole",
    );
    assert_eq!(authorize_decision(&set, &r), Decision::Allow);
    let r = req(
        "sagemaker.amazonaws.com",
        "sts:TagSession",
        "arn:aws:iam::111122223333:role/StudioRole",
    );
    assert_eq!(authorize_decision(&set, &r), Decision::ImplicitDeny);
    // identity policies alone never let someone assume a role
    let set = PolicySet {
        identity: vec![policy(
            "p",
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#,
        )],
        ..Default::default()
    };
    let r = req(
        SESSION,
        "sts:AssumeRole",
        "arn:aws:iam::111122223333:role/Other",
    );
    assert_eq!(authorize_decision(&set, &r), Decision::ImplicitDeny);
}

// AWS Organizations User Guide: "SCP evaluation" (every level must allow)
#[test]
fn scp_levels() {
    let full = policy(
        "FullAWSAccess",
        r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
    );
    let only_sm = policy(
        "OnlySageMaker",
        r#"{"Effect":"Allow","Action":"sagemaker:*","Resource":"*"}"#,
    );
    let set = PolicySet {
        identity: vec![policy("p", ALLOW_GET)],
        scps: vec![vec![full.clone()], vec![only_sm]],
        ..Default::default()
    };
    let r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k");
    let a = authorize(&set, &r);
    assert_eq!(a.decision, Decision::ImplicitDeny);
    assert!(a
        .access_denied
        .unwrap()
        .reason
        .contains("no service control policy allows"));
    let mgmt = PolicySet {
        management_account_id: Some("111122223333".into()),
        ..set
    };
    assert_eq!(authorize_decision(&mgmt, &r), Decision::Allow);
}

#[test]
fn invalid_policies_are_not_evaluated() {
    let set = PolicySet {
        identity: vec![NamedPolicy::from_text(
            "broken",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",}]}"#,
        )],
        ..Default::default()
    };
    let a = authorize(&set, &req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k"));
    assert_eq!(a.decision, Decision::ImplicitDeny);
    assert_eq!(a.explanation.policies[0].status, PolicyStatus::Invalid);
}

#[test]
fn missing_keys_are_reported() {
    let set = PolicySet {
        identity: vec![policy(
            "p",
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:SourceIdentity}/*"}"#,
        )],
        ..Default::default()
    };
    let a = authorize(
        &set,
        &req(SESSION, "s3:GetObject", "arn:aws:s3:::b/alice/k"),
    );
    assert_eq!(a.decision, Decision::ImplicitDeny);
    assert_eq!(a.missing_keys, vec!["aws:SourceIdentity".to_string()]);
    assert!(
        a.explanation.near_misses[0].contains("aws:SourceIdentity"),
        "{:?}",
        a.explanation.near_misses
    );
    let mut r = req(SESSION, "s3:GetObject", "arn:aws:s3:::b/alice/k");
    r.context.insert_single("aws:SourceIdentity", "alice");
    assert_eq!(authorize(&set, &r).decision, Decision::Allow);
}

// IAM User Guide: "AWS JSON policy elements: Principal" (not allowed in identity-based
// policies; required in resource-based policies)
#[test]
fn policies_invalid_for_their_type_are_not_evaluated() {
    let with_principal = policy(
        "p",
        r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#,
    );
    assert!(!with_principal.parsed.is_valid_for(PolicyKind::Identity));
    assert!(with_principal.parsed.is_valid_for(PolicyKind::Resource));
    let codes: Vec<String> = with_principal
        .parsed
        .diagnostics_for(PolicyKind::Identity)
        .into_iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, vec!["policy-principal-not-allowed"]);
    let set = PolicySet {
        identity: vec![with_principal],
        ..Default::default()
    };
    let a = authorize(&set, &req(SESSION, "s3:GetObject", "arn:aws:s3:::b/k"));
    assert_eq!(a.decision, Decision::ImplicitDeny);
    assert_eq!(a.explanation.policies[0].status, PolicyStatus::Invalid);
}

// IAM User Guide: "Policy evaluation logic" (session policies; GetFederationToken)
#[test]
fn federated_user_needs_a_session_policy() {
    let set = PolicySet {
        identity: vec![policy("p", ALLOW_GET)],
        ..Default::default()
    };
    let r = req(
        "arn:aws:sts::111122223333:federated-user/bob",
        "s3:GetObject",
        "arn:aws:s3:::b/k",
    );
    let a = authorize(&set, &r);
    assert_eq!(a.decision, Decision::ImplicitDeny);
    assert!(a
        .access_denied
        .unwrap()
        .reason
        .contains("no session policy"));
}

// IAM User Guide: "AWS JSON policy elements: Principal" (`{"AWS": "*"}` and `"*"`)
#[test]
fn aws_star_includes_anonymous_callers() {
    let set = PolicySet {
        resource: Some(policy(
            "bucket",
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
        )),
        ..Default::default()
    };
    assert_eq!(
        authorize_decision(&set, &req("anonymous", "s3:GetObject", "arn:aws:s3:::b/k")),
        Decision::Allow
    );
}

#[test]
fn fast_and_traced_paths_agree() {
    let set = PolicySet {
        identity: vec![
            policy("p", ALLOW_GET),
            policy(
                "q",
                r#"{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"}"#,
            ),
        ],
        resource: Some(policy(
            "bucket",
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}"#,
        )),
        ..Default::default()
    };
    for action in ["s3:GetObject", "s3:PutObject", "s3:ListBucket"] {
        let r = req(SESSION, action, "arn:aws:s3:::b/k");
        assert_eq!(
            authorize_decision(&set, &r),
            authorize(&set, &r).decision,
            "{action}"
        );
    }
}

// IAM User Guide, "IAM JSON policy elements: Action": action names are case-insensitive.
// The fast path folds the action once; an action too long to fold is matched ignoring case
// all the same.
#[test]
fn actions_match_ignoring_case_however_long() {
    let long = format!("svc:Get{}", "X".repeat(300));
    for (action, pattern, expected) in [
        (
            "SageMaker:StopTrainingJob",
            "sagemaker:stoptrainingjob",
            Decision::Allow,
        ),
        (
            "sagemaker:StopTrainingJob",
            "SAGEMAKER:Stop*",
            Decision::Allow,
        ),
        (
            "sagemaker:StopTrainingJob",
            "sagemaker:S?op*Job",
            Decision::Allow,
        ),
        (
            "sagemaker:StopTrainingJobs",
            "sagemaker:StopTrainingJob",
            Decision::ImplicitDeny,
        ),
        (long.as_str(), "SVC:get*", Decision::Allow),
        (long.as_str(), &long.to_ascii_lowercase(), Decision::Allow),
        (long.as_str(), "svc:put*", Decision::ImplicitDeny),
    ] {
        let set = PolicySet {
            identity: vec![policy(
                "p",
                &format!(r#"{{"Effect":"Allow","Action":"{pattern}","Resource":"*"}}"#),
            )],
            ..Default::default()
        };
        let r = req(SESSION, action, "*");
        assert_eq!(
            authorize_decision(&set, &r),
            expected,
            "{action} / {pattern}"
        );
        assert_eq!(
            authorize(&set, &r).decision,
            expected,
            "{action} / {pattern} (traced)"
        );
    }
}
