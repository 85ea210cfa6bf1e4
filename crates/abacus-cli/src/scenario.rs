//! `abacus run`, `abacus test` and `abacus matrix`: scenario documents.

use crate::terminal::{self, shown};
use abacus_policy::Decision;
use abacus_studio::course::{self, Course};
use abacus_studio::evaluate::{Matrix, Workspace};
use abacus_studio::scenario::{Scenario, ScenarioError};
use std::process::ExitCode;

/// Reads a file's text; an unreadable file is printed, with exit code 2.
pub(crate) fn read(path: &str) -> Result<String, ExitCode> {
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read `{}`: {e}", shown(path));
        ExitCode::from(2)
    })
}

/// Prints the problems of a scenario or course file, placed `FILE:LINE:COL`.
pub(crate) fn print_issues(path: &str, e: &ScenarioError) {
    for issue in &e.issues {
        let at = match (issue.line, issue.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", shown(path)),
            _ => shown(path).to_string(),
        };
        let place = if issue.path.is_empty() {
            String::new()
        } else {
            format!(" `{}`", shown(&issue.path))
        };
        eprintln!(
            "{at}: error{place}: {}\n  help: {}",
            shown(&issue.message),
            issue.help
        );
    }
}

/// Reads and checks a scenario file; its problems are printed, with exit code 2.
pub(crate) fn load(path: &str) -> Result<Scenario, ExitCode> {
    let text = read(path)?;
    Scenario::from_json(&text).map_err(|e| {
        print_issues(path, &e);
        ExitCode::from(2)
    })
}

/// Reads and checks a course file; its problems are printed, with exit code 2.
pub(crate) fn load_course(path: &str, text: &str) -> Result<Course, ExitCode> {
    Course::from_json(text).map_err(|e| {
        print_issues(path, &e);
        ExitCode::from(2)
    })
}

/// Runs `abacus run FILE [--request N] [--json]`: the selected request (or expectation N,
/// 1-based), its decision, trace and CloudTrail records.
pub fn run(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut request: Option<usize> = None;
    let mut json = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--request" => {
                let Some(n) = it.next().and_then(|n| n.parse().ok()) else {
                    eprintln!("error: `--request` needs a number (1-based expectation index)");
                    return ExitCode::from(2);
                };
                request = Some(n);
            }
            other if file.is_none() => file = Some(other.to_owned()),
            other => {
                eprintln!("error: unexpected argument `{other}`\nusage: abacus run FILE [--request N] [--json]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("usage: abacus run FILE [--request N] [--json]");
        return ExitCode::from(2);
    };
    let scenario = match load(&file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let selection = match request {
        None => scenario.selection.clone(),
        Some(n) => match n.checked_sub(1).and_then(|i| scenario.expectations.get(i)) {
            Some(e) => e.request.clone(),
            None => {
                eprintln!(
                    "error: `--request {n}` is out of range (the scenario has {} expectations)",
                    scenario.expectations.len()
                );
                return ExitCode::from(2);
            }
        },
    };
    let ws = Workspace::new(&scenario);
    for (id, diags) in ws.diagnostics() {
        for d in diags {
            eprintln!("policy `{}`: {}", shown(&id), shown(d));
        }
    }
    let ev = match ws.evaluate(&selection) {
        Ok(ev) => ev,
        Err(e) => {
            eprintln!("error: {}\n  help: {}", shown(&e), e.help());
            return ExitCode::from(2);
        }
    };
    if json {
        match serde_json::to_string_pretty(&ev) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot serialize the evaluation: {e}");
                return ExitCode::from(2);
            }
        }
        return ExitCode::SUCCESS;
    }
    println!("scenario:  {}", shown(&scenario.name));
    println!(
        "request:   {} {} {} via {}",
        shown(&selection.user),
        shown(&selection.action),
        shown(selection.resource.as_deref().unwrap_or("(new or *)")),
        shown(selection.route.label())
    );
    println!("principal: {}", shown(&ev.principal_arn));
    println!("resource:  {}", shown(&ev.request.resource));
    println!("decision:  {}", ev.decision);
    if let Some(m) = &ev.denial_message {
        println!("message:   {}", shown(m));
    }
    println!("\ncontext:");
    for (k, v) in ev.request.context.iter() {
        println!(
            "  {} = {}",
            shown(k),
            serde_json::to_string(v).unwrap_or_default()
        );
    }
    for call in ev.before.iter().chain(&ev.after) {
        let rule = call
            .check
            .as_deref()
            .map(|r| format!(" [{}]", shown(r)))
            .unwrap_or_default();
        println!(
            "\nalso: {} on {} -> {}{rule} ({})",
            shown(&call.request.action),
            shown(&call.request.resource),
            call.authorization.decision,
            shown(&call.why)
        );
        if let Some(d) = &call.authorization.access_denied {
            println!("      message: {}", shown(&d.message));
        }
        if !call.sources.is_empty() {
            println!("      per: {}", shown(&call.sources.join("; ")));
        }
    }
    println!("\ntrace:");
    println!("  {}", shown(&ev.authorization.explanation.summary));
    for step in &ev.authorization.explanation.steps {
        println!("  - {}: {}", shown(&step.name), shown(&step.detail));
    }
    for s in &ev.authorization.deciding {
        println!(
            "  decided by {} statement {}{}",
            shown(&s.policy_name),
            s.index,
            shown(
                s.sid
                    .as_deref()
                    .map(|x| format!(" ({x})"))
                    .unwrap_or_default()
            )
        );
    }
    for n in &ev.notes {
        println!("  note: {}", shown(n));
    }
    println!("\ncloudtrail:");
    for r in &ev.cloudtrail {
        println!("{}", abacus_studio::cloudtrail::to_pretty_json(r));
    }
    ExitCode::SUCCESS
}

/// Runs `abacus test FILE...`: checks every expectation, prints `N passed, N failed`.
pub fn test(args: &[String]) -> ExitCode {
    if args.is_empty() {
        eprintln!("usage: abacus test FILE...");
        return ExitCode::from(2);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut unreadable = false;
    for path in args {
        let Ok(text) = read(path) else {
            unreadable = true;
            continue;
        };
        if course::is_course(&text) {
            match load_course(path, &text) {
                Ok(c) => test_course(path, &c, &mut passed, &mut failed),
                Err(_) => unreadable = true,
            }
            continue;
        }
        let scenario = match Scenario::from_json(&text) {
            Ok(s) => s,
            Err(e) => {
                print_issues(path, &e);
                unreadable = true;
                continue;
            }
        };
        let ws = Workspace::new(&scenario);
        for r in ws.check_expectations() {
            if r.passed {
                passed += 1;
                println!("ok    {}: {}", shown(path), shown(&r.name));
            } else {
                failed += 1;
                println!(
                    "FAIL  {}: {}: {}",
                    shown(path),
                    shown(&r.name),
                    shown(r.problem.unwrap_or_default())
                );
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if unreadable {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A course's steps, one line each: a step passes when something fails as shipped (it is an
/// exercise) and every expectation passes with its worked solution.
fn test_course(path: &str, c: &Course, passed: &mut usize, failed: &mut usize) {
    for (i, step) in c.check().iter().enumerate() {
        let counts = format!(
            "{}/{} as shipped, {}/{} with the solution",
            step.shipped_passed, step.total, step.solved_passed, step.total
        );
        let name = format!(
            "step {} `{}` {}",
            i + 1,
            shown(&step.id),
            shown(&step.title)
        );
        if step.ok() {
            *passed += 1;
            println!("ok    {}: {name}: {counts}", shown(path));
        } else {
            *failed += 1;
            let why = if step.total == 0 {
                "no expectations"
            } else if step.shipped_passed == step.total {
                "passes as shipped: nothing to fix"
            } else {
                "the worked solution does not pass"
            };
            println!("FAIL  {}: {name}: {counts}: {why}", shown(path));
        }
    }
}

/// Runs `abacus matrix FILE [--json]`.
pub fn matrix(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| a.as_str() != "--json").collect();
    let [file] = files.as_slice() else {
        eprintln!("usage: abacus matrix FILE [--json]");
        return ExitCode::from(2);
    };
    let scenario = match load(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let m = Workspace::new(&scenario).matrix();
    if let Some(refused) = &m.refused {
        if json {
            if let Ok(s) = serde_json::to_string_pretty(&m) {
                println!("{s}");
            }
        }
        eprintln!("error: {refused}\n  help: {}", refused.help());
        return ExitCode::from(1);
    }
    if json {
        match serde_json::to_string_pretty(&m) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot serialize the matrix: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", terminal::block(&render_table(&m)));
    }
    ExitCode::SUCCESS
}

fn cell_text(d: Option<Decision>) -> &'static str {
    match d {
        Some(Decision::Allow) => "allow",
        Some(Decision::ExplicitDeny) => "DENY",
        Some(Decision::ImplicitDeny) => "deny",
        None => "-",
    }
}

/// A plain-text table; `DENY` marks explicit denies, `-` cells without a resource.
fn render_table(m: &Matrix) -> String {
    let user_w = m.users.iter().map(String::len).max().unwrap_or(4).max(4);
    let widths: Vec<usize> = m.columns.iter().map(|c| c.label.len().max(5)).collect();
    let mut out = format!("{:user_w$}", "user");
    for (c, w) in m.columns.iter().zip(&widths) {
        out.push_str(&format!(" | {:w$}", c.label));
    }
    out.push('\n');
    for (u, row) in m.users.iter().zip(&m.cells) {
        out.push_str(&format!("{u:user_w$}"));
        for (d, w) in row.iter().zip(&widths) {
            out.push_str(&format!(" | {:w$}", cell_text(*d)));
        }
        out.push('\n');
    }
    out
}
