//! The worst cases of hostile input (issue "Hostile and huge input"), timed: each document is
//! small enough for a share link (64 KiB encoded, 1 MiB decoded), built from
//! `scenarios/001-s3-own-prefix.json`, and is loaded (parsed and validated), evaluated
//! (selected request and expectations), linted and put through the access matrix, exactly
//! what the app does on opening a link. Prints one row per case with the time of each step
//! and the total; run by `cargo xtask bench` (release build). Not a test: figures vary with
//! the machine.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a benchmark harness over fixed, known-good inputs: a failure should stop it loudly"
)]

use abacus_studio::evaluate::Workspace;
use abacus_studio::scenario::Scenario;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn seed() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/001-s3-own-prefix.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("seed scenario")).unwrap()
}

fn policy(statement: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
}

/// The cases: (name, document).
fn cases() -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();

    // a long wildcard pattern against a long object name
    let mut d = seed();
    let pattern = format!("arn:aws:s3:::my-bucket/*{}b", "a".repeat(100_000));
    d["policies"][1]["text"] = Value::from(policy(
        json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": pattern}),
    ));
    d["selection"]["resource"] = Value::Null;
    d["selection"]["resourceArn"] =
        Value::from(format!("arn:aws:s3:::my-bucket/{}", "a".repeat(450_000)));
    out.push(("wildcard 100K pattern vs 450K name", d));

    // 20 K variables resolving to a 50 K tag
    let mut d = seed();
    d["world"]["roles"][0]["tags"]["team"] = Value::from("x".repeat(50_000));
    d["policies"][1]["text"] = Value::from(policy(json!({
        "Effect": "Allow", "Action": "s3:GetObject",
        "Resource": format!("arn:aws:s3:::b/{}", "${aws:PrincipalTag/team}".repeat(20_000))
    })));
    out.push(("20K variables x 50K tag", d));

    // StringLike over 1,000 variables of a 10 K value
    let mut d = seed();
    d["world"]["roles"][0]["tags"]["team"] = Value::from("y".repeat(10_000));
    d["policies"][1]["text"] = Value::from(policy(json!({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringLike": {"aws:PrincipalTag/team": "${aws:PrincipalTag/team}".repeat(1_000)}}
    })));
    out.push(("StringLike 1,000 x 10K value", d));

    // 900 K characters of garbage as a policy
    let mut d = seed();
    d["policies"][1]["text"] = Value::from("@".repeat(900_000));
    out.push(("policy of 900K '@'", d));

    // 100 K invalid attachments
    let mut d = seed();
    d["policies"][1]["attachedTo"] = Value::Array((0..100_000).map(|_| Value::from("x")).collect());
    out.push(("100K invalid attachedTo", d));

    // 2,000 duplicate users and actions in the matrix
    let mut d = seed();
    d["matrix"]["users"] = Value::Array((0..2_000).map(|_| Value::from("alice")).collect());
    d["matrix"]["actions"] =
        Value::Array((0..2_000).map(|_| Value::from("s3:GetObject")).collect());
    out.push(("matrix 2,000 x 2,000 duplicates", d));

    // more distinct users than the matrix cap allows
    let mut d = seed();
    d["matrix"]["users"] = Value::Array((0..4_000).map(|i| Value::from(format!("u{i}"))).collect());
    out.push(("matrix 4,000 users (refused)", d));
    out
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    println!(
        "hostile-input bench, {} (release build; each case: load, evaluate, lint, matrix)",
        std::env::var("ABACUS_BENCH_DATE").unwrap_or_else(|_| "date: see `date`".to_owned())
    );
    println!(
        "{:<36} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}  outcome",
        "case", "doc KiB", "load ms", "eval ms", "lint ms", "matrix ms", "total ms"
    );
    let mut worst = Duration::ZERO;
    for (name, doc) in cases() {
        let text = doc.to_string();
        let start = Instant::now();
        let loaded = Scenario::from_json(&text);
        let load = start.elapsed();
        let (eval, lint, matrix, outcome) = match loaded {
            Err(e) => (
                Duration::ZERO,
                Duration::ZERO,
                Duration::ZERO,
                format!("refused: {} problems", e.issues.len()),
            ),
            Ok(scenario) => {
                let t = Instant::now();
                let ws = Workspace::new(&scenario);
                let decision = ws
                    .evaluate(&scenario.selection)
                    .map(|e| format!("{:?}", e.decision))
                    .unwrap_or_else(|e| format!("request error: {e}"));
                let _ = ws.check_expectations();
                let eval = t.elapsed();
                let t = Instant::now();
                let findings = abacus_templates::lint::lint_scenario(&scenario).len();
                let lint = t.elapsed();
                let t = Instant::now();
                let m = ws.matrix();
                let matrix = t.elapsed();
                let cells = match &m.refused {
                    Some(r) => format!("matrix refused ({} cells)", r.cells),
                    None => format!("{}x{} matrix", m.users.len(), m.columns.len()),
                };
                (
                    eval,
                    lint,
                    matrix,
                    format!("{decision}; {findings} findings; {cells}"),
                )
            }
        };
        let total = load + eval + lint + matrix;
        worst = worst.max(total);
        println!(
            "{:<36} {:>9.1} {:>9} {:>9} {:>9} {:>9} {:>9}  {}",
            name,
            text.len() as f64 / 1024.0,
            ms(load),
            ms(eval),
            ms(lint),
            ms(matrix),
            ms(total),
            outcome
        );
    }
    println!("worst-case load to result: {} ms", ms(worst));
}
