//! Runs case files without the CLI (handy while other crates are mid-change):
//! `cargo run -p abacus-policy --example run_cases -- tests/cases/*.json [--explain]`.

use abacus_policy::case::{parse_cases, run_case};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let explain = args.iter().any(|a| a == "--explain");
    let (mut passed, mut failed) = (0, 0);
    for file in args.iter().filter(|a| !a.starts_with("--")) {
        let Ok(text) = std::fs::read_to_string(file) else {
            eprintln!("error: {file}: cannot read");
            continue;
        };
        let cases = match parse_cases(&text) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {file}:{e}");
                continue;
            }
        };
        for case in &cases {
            let o = run_case(case);
            match o.passed {
                Some(true) => passed += 1,
                Some(false) => {
                    failed += 1;
                    println!(
                        "FAIL {file}: {} expected {:?} got {}",
                        o.name.as_deref().unwrap_or("-"),
                        o.expected,
                        o.decision
                    );
                    for d in &o.diagnostics {
                        println!("   {} {}", d.policy, d.diagnostic);
                    }
                    if explain {
                        println!("{}", o.authorization.explanation.to_text());
                    }
                }
                None => {}
            }
        }
    }
    println!("{passed} passed, {failed} failed");
}
