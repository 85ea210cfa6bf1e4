//! `abacus eval FILE... [--explain]`: policy cases in the format of `shared/DESIGN.md`
//! (see `abacus_policy::case`).
//!
//! Prints one JSON line per case: `{"file", "name", "decision", "expected", "passed"}`
//! plus `diagnostics` when a policy has findings, and with `--explain` the reason, the
//! deciding statements, the missing keys and the explanation tree. When any case has an
//! expectation it ends with `N passed, N failed` and exits 1 on a mismatch. Unreadable
//! files are reported with file, line and column and exit 2.

use abacus_policy::case::{decide_case, run_case, Case, CaseError, CaseFile, PolicyDiagnostic};
use abacus_policy::decision::Decision;
use serde::Serialize;
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
        let printed = match CaseFile::split(&text).and_then(|f| decide_all(file, &f, explain)) {
            Ok(p) => p,
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
        for (line, passed_case) in printed {
            if let Some(ok) = passed_case {
                with_expectations = true;
                if ok {
                    passed += 1;
                } else {
                    failed += 1;
                }
            }
            if writeln!(out, "{line}").is_err() {
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

/// One printed line and, when the case has an expectation, whether it passed.
type Printed = (String, Option<bool>);

/// Reads and decides every case of `file`, in order, spreading them over the machine's
/// cores: cases are independent, and a file of thousands is common (corpora, generated
/// checks). Each thread reads its own part of the file, so reading is spread too. The
/// first unreadable case (in file order) fails the whole file, as before anything is
/// printed.
fn decide_all(file: &str, cases: &CaseFile<'_>, explain: bool) -> Result<Vec<Printed>, CaseError> {
    let decide = |range: std::ops::Range<usize>| -> Vec<Result<Printed, CaseError>> {
        cases
            .read(range)
            .map(|c| c.map(|c| printed(file, &c, explain)))
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // below a few hundred cases a thread costs more than it saves
    if threads < 2 || cases.len() < 256 {
        return decide(0..cases.len()).into_iter().collect();
    }
    let chunk = cases.len().div_ceil(threads);
    let parts: Vec<Vec<Result<Printed, CaseError>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cases.len())
            .step_by(chunk)
            .map(|from| {
                let to = (from + chunk).min(cases.len());
                scope.spawn(move || decide(from..to))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                // the release build aborts on a panic; a test build reports it in place
                w.join().unwrap_or_else(|_| {
                    vec![Err(CaseError {
                        message: "internal error while deciding these cases".into(),
                        line: 1,
                        column: 1,
                    })]
                })
            })
            .collect()
    });
    parts.into_iter().flatten().collect()
}

/// The JSON line of one case (keys in alphabetical order, as serde_json's maps print them).
#[derive(Serialize)]
struct Line<'a> {
    decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnostics: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<Decision>,
    file: &'a str,
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    passed: Option<bool>,
}

fn diagnostics_value(diagnostics: &[PolicyDiagnostic]) -> Option<Value> {
    (!diagnostics.is_empty()).then(|| json!(diagnostics))
}

fn printed(file: &str, case: &Case, explain: bool) -> Printed {
    if !explain {
        let v = decide_case(case);
        let line = Line {
            decision: v.decision,
            diagnostics: diagnostics_value(&v.diagnostics),
            expected: v.expected,
            file,
            name: v.name.as_deref(),
            passed: v.passed,
        };
        let text = serde_json::to_string(&line).unwrap_or_else(|e| {
            json!({"file": file, "error": format!("cannot print the result: {e}")}).to_string()
        });
        return (text, v.passed);
    }
    let outcome = run_case(case);
    let mut line = json!({
        "file": file,
        "name": outcome.name,
        "decision": outcome.decision,
    });
    if let Some(obj) = line.as_object_mut() {
        if let Some(expected) = outcome.expected {
            obj.insert("expected".into(), json!(expected));
            obj.insert("passed".into(), json!(outcome.passed));
        }
        if let Some(d) = diagnostics_value(&outcome.diagnostics) {
            obj.insert("diagnostics".into(), d);
        }
        let a = &outcome.authorization;
        obj.insert("summary".into(), json!(a.explanation.summary));
        obj.insert("accessDenied".into(), json!(a.access_denied));
        obj.insert("deciding".into(), json!(a.deciding));
        obj.insert("missingKeys".into(), json!(a.missing_keys));
        obj.insert("explanation".into(), json!(a.explanation));
    }
    (Value::to_string(&line), outcome.passed)
}
