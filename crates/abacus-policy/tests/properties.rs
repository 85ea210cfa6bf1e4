//! Property tests across the engine: the parser never panics and keeps spans inside the
//! text; the fast path and the traced path always agree; explicit deny always wins.
//!
//! IAM User Guide: "Policy evaluation logic" (an explicit deny in any policy overrides
//! any allow); "Grammar of the IAM JSON policy language".

use abacus_policy::{
    authorize, authorize_decision, parse_policy, ActionSet, Context, Decision, NamedPolicy,
    PolicySet, Request,
};
use proptest::prelude::*;
use std::sync::Arc;

fn statement() -> impl Strategy<Value = String> {
    let effect = proptest::sample::select(vec!["Allow", "Deny"]);
    // JSON values: one action or a list, some written in another case
    let action = proptest::sample::select(vec![
        r#""s3:GetObject""#,
        r#""s3:*""#,
        r#""s3:Get*""#,
        r#""sagemaker:*""#,
        r#""*""#,
        r#""s3:?etObject""#,
        r#""S3:getobject""#,
        r#"["s3:PutObject","SageMaker:Create*"]"#,
    ]);
    let not = any::<bool>();
    let resource = proptest::sample::select(vec![
        "*",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/${aws:SourceIdentity}/*",
        "arn:aws:s3:::other/*",
        "arn:aws:s3:::b/a?/*",
    ]);
    let condition = prop_oneof![
        Just(String::new()),
        Just(r#","Condition":{"StringEquals":{"aws:SourceIdentity":"alice"}}"#.to_owned()),
        Just(
            r#","Condition":{"StringNotEquals":{"aws:SourceIdentity":["alice","bob"]}}"#.to_owned()
        ),
        Just(
            r#","Condition":{"StringLikeIfExists":{"s3:prefix":"home/${aws:SourceIdentity}/*"}}"#
                .to_owned()
        ),
        Just(r#","Condition":{"Null":{"aws:SourceIdentity":"true"}}"#.to_owned()),
        Just(r#","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}"#.to_owned()),
        Just(r#","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["t*"]}}"#.to_owned()),
        Just(r#","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#.to_owned()),
    ];
    (effect, action, not, resource, condition).prop_map(|(e, a, not, r, c)| {
        let action_key = if not { "NotAction" } else { "Action" };
        format!(r#"{{"Effect":"{e}","{action_key}":{a},"Resource":"{r}"{c}}}"#)
    })
}

fn policy() -> impl Strategy<Value = String> {
    proptest::collection::vec(statement(), 1..4).prop_map(|sts| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            sts.join(",")
        )
    })
}

fn request() -> impl Strategy<Value = Request> {
    let action = proptest::sample::select(vec![
        "s3:GetObject",
        "s3:PutObject",
        "sagemaker:CreateTrainingJob",
        "S3:getObject",
    ]);
    let resource = proptest::sample::select(vec![
        "arn:aws:s3:::b/alice/k",
        "arn:aws:s3:::b/ab/k",
        "arn:aws:s3:::other/x",
    ]);
    let identity = proptest::sample::select(vec![None, Some("alice"), Some("bob")]);
    let tags = prop_oneof![
        Just(None),
        Just(Some(vec![])),
        Just(Some(vec!["team"])),
        Just(Some(vec!["team", "x"]))
    ];
    (action, resource, identity, tags, any::<bool>()).prop_map(|(a, r, id, tags, ip)| {
        let mut context = Context::new();
        if let Some(id) = id {
            context.insert_single("aws:SourceIdentity", id);
        }
        if let Some(tags) = tags {
            context.insert_multi("aws:TagKeys", tags.into_iter().map(str::to_owned).collect());
        }
        context.insert_single("aws:SourceIp", if ip { "10.1.2.3" } else { "192.0.2.1" });
        Request {
            principal: "arn:aws:sts::111122223333:assumed-role/StudioRole/alice".into(),
            action: a.into(),
            resource: r.into(),
            context,
        }
    })
}

/// A resource-based policy's `Principal` or `NotPrincipal` element (`"*"`, a role, an
/// account, a user left out, a service).
fn principal() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        r#""Principal":"*""#,
        r#""Principal":{"AWS":"arn:aws:iam::111122223333:role/StudioRole"}"#,
        r#""Principal":{"AWS":"111122223333"}"#,
        r#""NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"}"#,
        r#""Principal":{"Service":"sagemaker.amazonaws.com"}"#,
    ])
}

/// The policy `text` with `element` (a `Principal` or `NotPrincipal`) in each statement.
fn with_principal(text: &str, element: &str) -> String {
    text.replace(r#""Effect""#, &format!(r#"{element},"Effect""#))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parser_never_panics_and_spans_stay_inside(text in "\\PC{0,200}") {
        let p = parse_policy(&text);
        for d in &p.diagnostics {
            prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len());
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        }
    }

    #[test]
    fn parser_survives_mangled_policies(p in policy(), cut in 0usize..400, junk in "[\\[\\]{},:\"\u{201D}.]{0,3}") {
        let mut text = p.clone();
        let at = (cut % (text.len() + 1)).min(text.len());
        if text.is_char_boundary(at) {
            text.insert_str(at, &junk);
        }
        let parsed = parse_policy(&text);
        for d in &parsed.diagnostics {
            prop_assert!(d.span.end <= text.len());
        }
    }

    // found by cargo-fuzz: variable errors inside strings with escapes
    #[test]
    fn spans_in_escaped_strings_stay_on_char_boundaries(prefix in "(\\\\|\\u00e9|\\u20ac|é|a){0,6}", tail in "\\$\\{[a-z:]{0,5}") {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::{prefix}{tail}"}}]}}"#);
        let p = parse_policy(&text);
        for d in &p.diagnostics {
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{:?} in {}", d, text);
        }
    }

    #[test]
    fn generated_policies_are_valid(p in policy()) {
        let parsed = parse_policy(&p);
        prop_assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    }

    #[test]
    fn fast_and_traced_paths_agree(identity in proptest::collection::vec(policy(), 0..3), boundary in proptest::option::of(policy()), resource in proptest::option::of(policy()), req in request()) {
        let resource_policy = resource.map(|r| r.replace(r#""Effect""#, r#""Principal":"*","Effect""#));
        let set = PolicySet {
            identity: identity.iter().enumerate().map(|(i, t)| NamedPolicy::from_text(format!("i{i}"), t)).collect(),
            permission_boundaries: boundary.iter().map(|t| NamedPolicy::from_text("b", t)).collect(),
            resource: resource_policy.as_ref().map(|t| NamedPolicy::from_text("r", t)),
            ..Default::default()
        };
        let fast = authorize_decision(&set, &req);
        let traced = authorize(&set, &req);
        prop_assert_eq!(fast, traced.decision);
        prop_assert_eq!(traced.access_denied.is_none(), fast == Decision::Allow);
    }

    // a set narrowed to the request's action decides as the whole set, for every policy
    // type and organization level, callers of every kind, principals that do and do not
    // match, policies invalid for their type, empty organization levels and the management
    // account (and a request for another action, or the same in another case, is decided
    // against the whole set)
    #[test]
    fn a_set_narrowed_to_the_action_decides_as_the_whole_set(
        scps in proptest::collection::vec(proptest::collection::vec((policy(), any::<bool>()), 0..3), 0..3),
        rcps in proptest::collection::vec(proptest::collection::vec((policy(), principal()), 0..3), 0..2),
        identity in proptest::collection::vec((policy(), any::<bool>()), 0..3),
        boundary in proptest::option::of(policy()),
        resource in proptest::option::of((policy(), principal())),
        session in proptest::option::of(policy()),
        req in request(),
        caller in proptest::sample::select(vec![
            "arn:aws:sts::111122223333:assumed-role/StudioRole/alice",
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:iam::111122223333:root",
            "sagemaker.amazonaws.com",
        ]),
        management in any::<bool>(),
        narrowed_to in proptest::sample::select(vec!["s3:GetObject", "s3:PutObject", "sagemaker:CreateTrainingJob", "S3:GETOBJECT"]),
    ) {
        // a Principal makes an identity policy or an SCP invalid for its type
        let invalid = |t: &String, spoil: bool| if spoil { with_principal(t, r#""Principal":"*""#) } else { t.clone() };
        let named = |prefix: &str, texts: Vec<String>| -> Vec<NamedPolicy> {
            texts.iter().enumerate().map(|(i, t)| NamedPolicy::from_text(format!("{prefix}{i}"), t)).collect()
        };
        let set = Arc::new(PolicySet {
            scps: scps.iter().map(|level| named("scp", level.iter().map(|(t, spoil)| invalid(t, *spoil)).collect())).collect(),
            rcps: rcps.iter().map(|level| named("rcp", level.iter().map(|(t, p)| with_principal(t, p)).collect())).collect(),
            identity: named("i", identity.iter().map(|(t, spoil)| invalid(t, *spoil)).collect()),
            permission_boundaries: boundary.iter().map(|t| NamedPolicy::from_text("b", t)).collect(),
            resource: resource.as_ref().map(|(t, p)| NamedPolicy::from_text("r", &with_principal(t, p))),
            session: session.as_ref().map(|t| NamedPolicy::from_text("s", t)),
            management_account_id: management.then(|| "111122223333".to_owned()),
            ..Default::default()
        });
        let req = Request { principal: caller.to_owned(), ..req };
        let whole = authorize_decision(&set, &req);
        prop_assert_eq!(ActionSet::new(set.clone(), &req.action).decide(&req), whole);
        prop_assert_eq!(ActionSet::new(set, narrowed_to).decide(&req), whole);
    }

    #[test]
    fn an_applicable_deny_always_wins(p in policy(), req in request()) {
        let deny_all = NamedPolicy::from_text("deny", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#);
        let set = PolicySet {
            identity: vec![NamedPolicy::from_text("p", &p), deny_all],
            ..Default::default()
        };
        prop_assert_eq!(authorize_decision(&set, &req), Decision::ExplicitDeny);
    }
}
