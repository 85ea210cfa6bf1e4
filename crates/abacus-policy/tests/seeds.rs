//! The sample policies of the seed articles, as printed (copied from web pages, with
//! their non-breaking spaces and mistakes). The playground must reject the malformed
//! ones precisely and never fix them silently.
//!
//! IAM User Guide: "Grammar of the IAM JSON policy language" (what a valid document is).

use abacus_policy::{parse_policy, ParsedPolicy};

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a missing fixture should fail the test"
)]
fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

fn codes(p: &ParsedPolicy) -> Vec<&str> {
    p.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// Same text with non-breaking spaces replaced, to look at the other findings.
fn clean(name: &str) -> (String, ParsedPolicy) {
    let text = fixture(name).replace('\u{a0}', " ");
    let p = parse_policy(&text);
    (text, p)
}

#[test]
fn every_seed_sample_parses_without_panicking_and_nbsp_is_reported_once() {
    for name in [
        "001-trust-policy",
        "001-addtags-bare-statement",
        "001-training-job-domain",
        "001-training-job-source-identity",
        "001-s3-nested-statement",
        "001-s3-bucket-policy",
        "001-secrets-trailing-comma",
        "001-emr-cluster",
        "001-fsx-smart-quote",
    ] {
        let p = parse_policy(&fixture(name));
        let nbsp = codes(&p)
            .iter()
            .filter(|c| **c == "json-nonbreaking-space")
            .count();
        assert_eq!(nbsp, 1, "{name}: {:?}", p.diagnostics);
    }
}

#[test]
fn valid_samples_are_clean() {
    for name in [
        "001-trust-policy",
        "001-s3-bucket-policy",
        "001-emr-cluster",
    ] {
        let (_, p) = clean(name);
        assert!(p.diagnostics.is_empty(), "{name}: {:?}", p.diagnostics);
    }
    for name in ["003-create-user-profile", "003-presigned-url-username"] {
        let p = parse_policy(&fixture(name));
        assert!(p.diagnostics.is_empty(), "{name}: {:?}", p.diagnostics);
    }
}

#[test]
fn addtags_sample_is_a_bare_statement() {
    let (_, p) = clean("001-addtags-bare-statement");
    assert_eq!(codes(&p)[0], "policy-bare-statement");
    assert!(p.diagnostics[0]
        .message
        .contains("single statement, not a policy document"));
    assert!(codes(&p).contains(&"policy-placeholder"));
}

#[test]
fn training_job_samples_have_a_literal_ellipsis() {
    for name in [
        "001-training-job-domain",
        "001-training-job-source-identity",
    ] {
        let (text, p) = clean(name);
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == "json-ellipsis")
            .unwrap();
        assert_eq!(&text[d.span.start..d.span.end], "...");
        assert!(codes(&p).contains(&"policy-bare-statement"));
    }
}

#[test]
fn s3_sample_has_a_nested_statement_array_at_the_inner_bracket() {
    let (text, p) = clean("001-s3-nested-statement");
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == "policy-nested-statement-array")
        .unwrap();
    let first = text.find('[').unwrap();
    let inner = first + 1 + text[first + 1..].find('[').unwrap();
    assert_eq!(d.span.start, inner);
    assert_eq!(d.start.line, 1);
    assert_eq!(d.start.column, inner + 1);
    assert!(d.message.contains("nested array where a statement belongs"));
}

#[test]
fn secrets_sample_has_a_trailing_comma() {
    let (text, p) = clean("001-secrets-trailing-comma");
    let errors: Vec<_> = p.errors().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let d = errors[0];
    assert_eq!(d.code, "json-trailing-comma");
    assert_eq!(&text[d.span.start..d.span.end], ",");
    assert!(text[d.span.end..].trim_start().starts_with(']'));
}

#[test]
fn fsx_sample_ends_a_string_with_a_smart_quote() {
    let (text, p) = clean("001-fsx-smart-quote");
    let d = p.errors().next().unwrap();
    assert_eq!(d.code, "json-unterminated-string-smart-quote");
    assert!(text[d.span.start..].starts_with("\"/fsx/users/"));
    assert!(d.message.contains('\u{201D}'));
    assert!(d.help.contains("straight double quote"));
    // one precise error, no cascade of "unclosed" noise
    assert_eq!(p.errors().count(), 1, "{:?}", p.diagnostics);
}

#[test]
fn trusted_identity_propagation_trust_policy_misses_its_operator() {
    let p = parse_policy(&fixture("004-trust-missing-operator"));
    assert_eq!(codes(&p), vec!["policy-unknown-condition-operator"]);
    let d = &p.diagnostics[0];
    assert!(d.message.contains("`aws:SourceAccount`"));
    assert!(d.help.contains("operator is missing"));
    assert!(d.help.contains("StringEquals"));
    assert_eq!((d.start.line, d.start.column), (11, 8));
}
