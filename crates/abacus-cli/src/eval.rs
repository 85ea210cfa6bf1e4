//! `abacus eval FILE... [--explain]`: policy cases in the format of `shared/DESIGN.md`
//! (see `abacus_policy::case`).
//!
//! Prints one JSON line per case: `{"file", "name", "decision", "expected", "passed"}`
//! plus `diagnostics` when a policy has findings, and with `--explain` the reason, the
//! deciding statements, the missing keys and the explanation tree. When any case has an
//! expectation it ends with `N passed, N failed` and exits 1 on a mismatch. Unreadable
//! files are reported with file, line and column and exit 2.

use abacus_policy::case::{parse_cases, run_case};
use serde_json::{json, Value};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: abacus eval FILE... [--explain]";

/// Runs `abacus eval ARGS`.
pub fn main(args: &[String]) -> ExitCode {
    let mut explain = false;
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "--explain" => explain = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with("--") => {
                eprintln!(
                    "error: unknown option `{}`\n{USAGE}",
                    crate::terminal::shown(flag)
                );
                return ExitCode::from(2);
            }
            file => files.push(file),
        }
    }
    if files.is_empty() {
        eprintln!("error: no case files given\n{USAGE}");
        return ExitCode::from(2);
    }
    let (mut passed, mut failed, mut bad_files) = (0usize, 0usize, 0usize);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut with_expectations = false;
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {}: cannot read: {e}", crate::terminal::shown(file));
                bad_files += 1;
                continue;
            }
        };
        let cases = match parse_cases(&text) {
            Ok(c) => c,
            Err(e) => {
                eprintln!(
                    "error: {}:{}:{}: {}",
                    crate::terminal::shown(file),
                    e.line,
                    e.column.max(1),
                    crate::terminal::shown(&e.message)
                );
                bad_files += 1;
                continue;
            }
        };
        for case in &cases {
            let outcome = run_case(case);
            let mut line = json!({
                "file": file,
                "name": outcome.name,
                "decision": outcome.decision,
            });
            if let Some(obj) = line.as_object_mut() {
                if let Some(expected) = outcome.expected {
                    with_expectations = true;
                    obj.insert("expected".into(), json!(expected));
                    obj.insert("passed".into(), json!(outcome.passed));
                    if outcome.passed == Some(true) {
                        passed += 1;
                    } else {
                        failed += 1;
                    }
                }
                if !outcome.diagnostics.is_empty() {
                    obj.insert("diagnostics".into(), json!(outcome.diagnostics));
                }
                if explain {
                    let a = &outcome.authorization;
                    obj.insert("summary".into(), json!(a.explanation.summary));
                    obj.insert("accessDenied".into(), json!(a.access_denied));
                    obj.insert("deciding".into(), json!(a.deciding));
                    obj.insert("missingKeys".into(), json!(a.missing_keys));
                    obj.insert("explanation".into(), json!(a.explanation));
                }
            }
            if writeln!(out, "{}", Value::to_string(&line)).is_err() {
                return ExitCode::from(2); // stdout closed (e.g. piped into `head`)
            }
        }
    }
    if with_expectations && writeln!(out, "{passed} passed, {failed} failed").is_err() {
        return ExitCode::from(2);
    }
    if bad_files > 0 {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
