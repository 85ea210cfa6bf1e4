//! `abacus eval` on files large enough to be read and decided on several threads: the lines
//! come out in file order, an unreadable case fails the whole file at its place, and the
//! diagnostics of a policy given as an object point into the file.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure should fail the test loudly"
)]

use serde_json::{json, Value};
use std::process::{Command, Output};

fn scratch(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("abacus-eval-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn eval(file: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_abacus"))
        .args(["eval", file])
        .output()
        .unwrap()
}

/// Case `i`: allowed when `i` is even, implicitly denied when odd, each with its expectation.
fn case(i: usize) -> Value {
    let action = if i.is_multiple_of(2) {
        "s3:GetObject"
    } else {
        "s3:PutObject"
    };
    json!({
        "name": format!("case-{i}"),
        "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": action,
                    "resource": "arn:aws:s3:::bucket/key", "context": {}},
        "identityPolicies": [{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}],
        "expected": if i.is_multiple_of(2) { "Allow" } else { "ImplicitDeny" }
    })
}

/// Writes one case per line, so that line `i + 2` holds case `i`.
fn file_of(cases: &[Value]) -> String {
    let lines: Vec<String> = cases.iter().map(|c| c.to_string()).collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}

#[test]
fn a_thousand_cases_come_out_in_file_order() {
    let cases: Vec<Value> = (0..1000).map(case).collect();
    let file = scratch("thousand.json", &file_of(&cases));
    let out = eval(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1001);
    for (i, line) in lines.iter().take(1000).enumerate() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["name"], format!("case-{i}"));
        assert_eq!(v["passed"], true);
    }
    assert_eq!(lines[1000], "1000 passed, 0 failed");
}

#[test]
fn an_unreadable_case_late_in_a_large_file_fails_the_file_at_its_place() {
    let mut cases: Vec<Value> = (0..700).map(case).collect();
    cases[650] = json!({"name": "broken", "request": {"principal": 7}});
    let file = scratch("broken.json", &file_of(&cases));
    let out = eval(&file);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "nothing is printed for a file that fails"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    // case 650 sits on line 652
    assert!(err.contains(":652:"), "{err}");
    assert!(err.contains("case 650: "), "{err}");
}

#[test]
fn diagnostics_of_a_late_case_point_into_the_file() {
    let mut cases: Vec<Value> = (0..600).map(case).collect();
    // an unknown element in case 555's policy, given as an object
    cases[555]["identityPolicies"][0]["Statement"][0]["Condtion"] = json!({});
    let text = file_of(&cases);
    let file = scratch("diagnostics.json", &text);
    let out = eval(&file);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line: Value = serde_json::from_str(stdout.lines().nth(555).unwrap()).unwrap();
    let d = &line["diagnostics"][0];
    assert_eq!(d["start"]["line"], 557, "{d}");
    let start = d["span"]["start"].as_u64().unwrap() as usize;
    assert!(text[start..].starts_with("\"Condtion\""), "{d}");
    let line_start = text[..start].rfind('\n').unwrap() + 1;
    assert_eq!(
        d["start"]["column"].as_u64().unwrap() as usize,
        text[line_start..start].chars().count() + 1
    );
}
