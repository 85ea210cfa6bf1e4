//! Hostile and huge scenario documents (issue 11) through the built `abacus` binary: each
//! is small enough for a share link, and each must give bounded output. The bounds are
//! the caps themselves, so these finish quickly by construction; no wall-clock is measured.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should fail the test loudly"
)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

/// `abacus_policy::parse::MAX_DIAGNOSTICS_PER_POLICY`.
const MAX_DIAGNOSTICS_PER_POLICY: usize = abacus_policy::parse::MAX_DIAGNOSTICS_PER_POLICY;
/// `abacus_studio::scenario::MAX_SCENARIO_ISSUES`.
const MAX_SCENARIO_ISSUES: usize = abacus_studio::scenario::MAX_SCENARIO_ISSUES;

fn seed() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/001-s3-own-prefix.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Writes `doc` to a file of its own under the temp dir and runs `abacus ARGS FILE`.
fn abacus(name: &str, doc: &Value, args: &[&str]) -> Output {
    let dir = std::env::temp_dir().join(format!("abacus-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, doc.to_string()).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_abacus"));
    cmd.arg(args[0]).arg(&file).args(&args[1..]);
    let out = cmd.output().unwrap();
    let _ = std::fs::remove_file(&file);
    out
}

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_policy_of_900k_at_signs_gives_capped_diagnostics() {
    let mut doc = seed();
    doc["policies"][0]["text"] = Value::from("@".repeat(900_000));
    let out = abacus("at-signs", &doc, &["run"]);
    // the broken policy is reported and left out; the run itself completes
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let err = lines(&out.stderr);
    let policy = format!("policy `{}`:", doc["policies"][0]["id"].as_str().unwrap());
    let diagnostics = err.iter().filter(|l| l.starts_with(&policy)).count();
    // the first ones, then the one that counts the rest
    assert_eq!(diagnostics, MAX_DIAGNOSTICS_PER_POLICY + 1);
    assert!(err.len() <= MAX_DIAGNOSTICS_PER_POLICY + 5, "{}", err.len());
    let last = err
        .iter()
        .find(|l| l.contains("policy-too-many-diagnostics"))
        .unwrap();
    assert!(last.contains("899801 more diagnostics not shown"), "{last}");
}

#[test]
fn a_hundred_thousand_bad_attachments_give_capped_errors() {
    let mut doc = seed();
    doc["policies"][0]["attachedTo"] = Value::Array(vec![Value::from("x"); 100_000]);
    let out = abacus("attachments", &doc, &["run"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty());
    let err = lines(&out.stderr);
    // each issue is a line and a `help:` line
    assert!(err.len() <= 2 * (MAX_SCENARIO_ISSUES + 1), "{}", err.len());
    let located = err
        .iter()
        .filter(|l| l.contains("attachedTo[") && l.contains(".json:1:"))
        .count();
    assert_eq!(located, MAX_SCENARIO_ISSUES);
    assert!(err
        .iter()
        .any(|l| l.contains("99900 more problems not shown")));
}

#[test]
fn duplicate_matrix_users_and_actions_give_one_row_and_one_action() {
    let mut doc = seed();
    let user = doc["world"]["users"][0]["name"].clone();
    doc["matrix"]["users"] = Value::Array(vec![user.clone(); 2_000]);
    doc["matrix"]["actions"] = Value::Array(vec![Value::from("s3:GetObject"); 2_000]);
    let out = abacus("matrix-duplicates", &doc, &["matrix"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let table = lines(&out.stdout);
    assert_eq!(table.len(), 2, "{table:?}");
    assert!(table[1].starts_with(user.as_str().unwrap()));
    assert_eq!(table[0].matches("s3:GetObject").count(), 2, "{}", table[0]);
}

#[test]
fn a_matrix_over_the_cap_is_refused() {
    let mut doc = seed();
    let users: Vec<Value> = (0..4_000).map(|i| Value::from(format!("u{i}"))).collect();
    doc["matrix"]["users"] = Value::Array(users);
    let out = abacus("matrix-too-large", &doc, &["matrix", "--json"]);
    // refused: exit 1, the reason on stderr, the JSON still says why
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("matrix-too-large")
            || String::from_utf8_lossy(&out.stderr).contains("more than the limit")
    );
    assert!(lines(&out.stdout).len() <= 20);
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["refused"]["code"], "matrix-too-large");
    assert_eq!(
        m["refused"]["limit"],
        abacus_studio::evaluate::MAX_MATRIX_CELLS
    );
    assert_eq!(m["cells"], Value::Array(Vec::new()));
    let table = abacus("matrix-too-large-table", &doc, &["matrix"]);
    assert_eq!(table.status.code(), Some(1), "{table:?}");
    assert!(String::from_utf8_lossy(&table.stderr).contains("more than the limit of 20000"));
}

fn policy(statement: Value) -> Value {
    Value::from(serde_json::json!({"Version": "2012-10-17", "Statement": [statement]}).to_string())
}

fn decision(out: &Output) -> String {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["decision"].as_str().unwrap().to_owned()
}

#[test]
fn a_long_wildcard_against_a_long_object_name_is_decided() {
    // issue 11: 42 s on the quadratic matcher; the matcher is linear now
    let mut doc = seed();
    let pattern = format!("arn:aws:s3:::my-bucket/*{}b", "a".repeat(100_000));
    doc["policies"][1]["text"] = policy(
        serde_json::json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": pattern}),
    );
    doc["selection"]["resource"] = Value::Null;
    let name = format!("arn:aws:s3:::my-bucket/{}", "a".repeat(450_000));
    doc["selection"]["resourceArn"] = Value::from(name.clone());
    let out = abacus("long-wildcard", &doc, &["run", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(decision(&out), "ImplicitDeny");
    // the same pattern allows a name that ends in `b`
    doc["selection"]["resourceArn"] = Value::from(format!("{name}b"));
    let out = abacus("long-wildcard-b", &doc, &["run", "--json"]);
    assert_eq!(decision(&out), "Allow");
}

#[test]
fn many_variables_over_a_long_tag_are_bounded() {
    // issue 11: out of memory under a 4 GiB limit
    let mut doc = seed();
    doc["world"]["roles"][0]["tags"]["team"] = Value::from("x".repeat(50_000));
    let resource = format!(
        "arn:aws:s3:::b/{}",
        "${aws:PrincipalTag/team}".repeat(20_000)
    );
    doc["policies"][1]["text"] = policy(
        serde_json::json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}),
    );
    let out = abacus("many-variables", &doc, &["run", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(decision(&out), "ImplicitDeny");
    // the cap is reported on the policy
    assert!(String::from_utf8_lossy(&out.stderr).contains("policy-too-many-variables"));
}

#[test]
fn string_like_over_many_variables_is_decided() {
    // issue 11: 3.7 s when every pushed piece rescanned the pattern
    let mut doc = seed();
    doc["world"]["roles"][0]["tags"]["team"] = Value::from("y".repeat(10_000));
    doc["policies"][1]["text"] = policy(serde_json::json!({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringLike": {"aws:PrincipalTag/team": "${aws:PrincipalTag/team}".repeat(1_000)}}
    }));
    let out = abacus("string-like", &doc, &["run", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(decision(&out), "ImplicitDeny");
}
