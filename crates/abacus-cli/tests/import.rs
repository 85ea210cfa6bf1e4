//! `abacus import` on the synthetic exports of `abacus-account`'s fixtures: a scenario that
//! `abacus run` and `abacus test` read, what each file was recognised as, and a clear error
//! (file, line, column, JSON path) with nothing written when a file is broken.
#![cfg(test)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn exports() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../abacus-account/tests/fixtures/exports")
}

fn abacus(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_abacus"))
        .args(args)
        .output()
        .unwrap()
}

fn export_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(exports())
        .unwrap()
        .flatten()
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".json"))
        .collect();
    files.sort();
    files
}

#[test]
fn exports_become_a_scenario_that_runs() {
    let out_dir = std::env::temp_dir().join(format!("abacus-import-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("imported.json");
    let files = export_files();
    let mut args: Vec<&str> = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-o", out.to_str().unwrap()]);
    let o = abacus(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "get-account-authorization-details.json: aws iam get-account-authorization-details"
        ),
        "{err}"
    );
    assert!(
        err.contains("list-tags@ana.json: aws sagemaker list-tags"),
        "{err}"
    );
    assert!(
        err.contains("imported account 444455556666: 1 domain(s), 2 user profile(s)"),
        "{err}"
    );
    assert!(err.contains("note: "), "{err}");
    // the selected request: ana describes her own profile, allowed by the role's policy
    // through her source identity
    let run = abacus(&["run", out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{text}");
    assert!(text.contains("decision:  Allow"), "{text}");
    assert!(text.contains("aws:SourceIdentity = \"ana\""), "{text}");
    std::fs::remove_dir_all(&out_dir).ok();
}

#[test]
fn a_broken_file_is_placed_and_nothing_is_written() {
    let dir = std::env::temp_dir().join(format!("abacus-import-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("details.json");
    std::fs::write(
        &bad,
        "{\"RoleDetailList\": [\n  {\"Arn\": \"arn:aws:iam::444455556666:role/r\"}\n]}",
    )
    .unwrap();
    let out = dir.join("out.json");
    let o = abacus(&["import", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("details.json:2:3: error: $.RoleDetailList[0]: `RoleName` is missing"),
        "{err}"
    );
    assert!(err.contains("nothing imported"), "{err}");
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn import_then_who_can_on_the_cli() {
    let dir = std::env::temp_dir().join(format!("abacus-who-can-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("imported.json");
    let files = export_files();
    let mut args: Vec<&str> = vec!["import", "-o", out.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    assert!(abacus(&args).status.success());
    let o = abacus(&[
        "who-can",
        out.to_str().unwrap(),
        "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:eu-west-1:444455556666:secret:team-red/db-AbCdEf",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"0 allowed, 3 denied"), "{text}");
    assert!(lines[0].starts_with("denied arn:aws:iam::444455556666:user/platform-admin\tIAM user platform-admin (access keys)\tby team-red/db-AbCdEf resource policy: statement 1"), "{text}");
    let o = abacus(&[
        "who-can",
        out.to_str().unwrap(),
        "s3:GetObject",
        "arn:aws:s3:::abacus-ml-data/x.csv",
        "--json",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["principals"].as_array().unwrap().len(), 6);
    assert_eq!(first["principals"][0]["decision"], "Allow");
    assert!(text.ends_with("4 allowed, 0 denied\n"), "{text}");
    let bad = abacus(&["who-can", out.to_str().unwrap(), "sagemaker:Nope", "*"]);
    assert_eq!(bad.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn import_then_replay_a_trail_on_the_cli() {
    let dir = std::env::temp_dir().join(format!("abacus-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("imported.json");
    let files = export_files();
    let mut args: Vec<&str> = vec!["import", "-o", out.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    assert!(abacus(&args).status.success());
    let trail = exports().join("../trail");
    let log = trail.join("cloudtrail-log.json");
    let lookup = trail.join("lookup-events.json");
    let o = abacus(&[
        "replay",
        out.to_str().unwrap(),
        log.to_str().unwrap(),
        lookup.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "a record disagrees: {text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10, "{text}");
    assert_eq!(lines[9], "7 agree, 1 disagree, 1 not compared");
    let rows: Vec<serde_json::Value> = lines[..9]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[1]["request"]["action"], "s3:ListBucket");
    assert_eq!(rows[2]["recorded"], "denied (AccessDeniedException)");
    assert_eq!(rows[2]["decision"], "ImplicitDeny");
    assert_eq!(rows[2]["agrees"], true);
    assert_eq!(rows[5]["agrees"], false);
    assert_eq!(rows[5]["request"]["parameters"]["region"], "eu-central-1");
    assert!(rows[6]["notSimulated"]
        .as_str()
        .unwrap()
        .contains("AWSService"));
    // a broken trail: placed, nothing replayed
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\"Records\": [{\"eventSource\": \"s3.amazonaws.com\"}]}",
    )
    .unwrap();
    let o = abacus(&["replay", out.to_str().unwrap(), bad.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("bad.json:1:14: error: $.Records[0]: `eventName` is missing"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
