//! Control characters from the user's files never reach the terminal raw: an expectation
//! name or a policy value with `ESC[2K\r` cannot print over the real result line.
#![cfg(test)]

use std::process::Command;

fn abacus(args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_abacus"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("abacus-terminal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn forged_scenario() -> String {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/001-s3-own-prefix.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(base).unwrap()).unwrap();
    doc["name"] = "evil\u{1b}]0;title\u{7}".into();
    doc["expectations"][0]["name"] = "x\u{1b}[2K\r8 passed, 0 failed".into();
    doc.to_string()
}

#[test]
fn test_run_and_lint_escape_control_characters() {
    let scenario = scratch("forged.json", &forged_scenario());
    for args in [
        vec!["test", scenario.as_str()],
        vec!["run", scenario.as_str()],
        vec!["lint", scenario.as_str()],
    ] {
        let (stdout, stderr) = abacus(&args);
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\r') && !stderr.contains('\u{1b}'),
            "{args:?}: {stdout:?}"
        );
    }
    let (stdout, _) = abacus(&["test", scenario.as_str()]);
    assert!(
        stdout.contains("x\\u{1b}[2K\\r8 passed, 0 failed"),
        "{stdout}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.ends_with(" passed, 0 failed"))
            .count(),
        2,
        "the forged name stays on its own line: {stdout}"
    );

    let policy = scratch(
        "forged-policy.json",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:Get\u{1b}[2KObject\", \"Resource\": \"*\"}]}",
    );
    let (stdout, _) = abacus(&["lint", policy.as_str()]);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
}
