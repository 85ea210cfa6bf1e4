//! Parse arbitrary text as a policy, then evaluate requests against it in every policy
//! role. Checks: no panic, no hang, diagnostics point inside the text, and the fast path
//! (`authorize_decision`) agrees with the traced path (`authorize`).
#![no_main]

use abacus_policy::{authorize, authorize_decision, parse_policy, Context, NamedPolicy, PolicySet, Request};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The first line after a `\u{1}` (if any) becomes request fields, so the fuzzer can
    // steer actions, resources and context values too.
    let (policy_text, extra) = text.split_once('\u{1}').unwrap_or((&text, ""));
    let parsed = parse_policy(policy_text);
    for d in &parsed.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= policy_text.len(), "{d:?}");
        assert!(policy_text.is_char_boundary(d.span.start) || d.span.start == policy_text.len());
    }
    let mut fields = extra.split('\u{2}');
    let action = fields.next().filter(|s| !s.is_empty()).unwrap_or("s3:GetObject");
    let resource = fields.next().filter(|s| !s.is_empty()).unwrap_or("arn:aws:s3:::b/k");
    let principal = fields
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("arn:aws:sts::111122223333:assumed-role/R/s");
    let mut context = Context::new();
    let mut rest = fields;
    while let (Some(k), Some(v)) = (rest.next(), rest.next()) {
        if v.contains(',') {
            context.insert_multi(k, v.split(',').map(str::to_owned).collect());
        } else {
            context.insert_single(k, v);
        }
    }
    let request = Request {
        principal: principal.to_owned(),
        action: action.to_owned(),
        resource: resource.to_owned(),
        context,
    };
    let p = NamedPolicy::new("fuzz", Arc::new(parsed));
    let allow_all = NamedPolicy::from_text(
        "all",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    let sets = [
        PolicySet { identity: vec![p.clone()], ..Default::default() },
        PolicySet { resource: Some(p.clone()), ..Default::default() },
        PolicySet { identity: vec![allow_all.clone()], permission_boundaries: vec![p.clone()], session: Some(p.clone()), ..Default::default() },
        PolicySet { identity: vec![allow_all.clone()], scps: vec![vec![allow_all.clone()], vec![p.clone()]], rcps: vec![vec![p.clone()]], ..Default::default() },
    ];
    for set in &sets {
        let fast = authorize_decision(set, &request);
        let traced = authorize(set, &request);
        assert_eq!(fast, traced.decision, "fast and traced paths disagree");
        let _ = serde_json::to_string(&traced);
    }
});
