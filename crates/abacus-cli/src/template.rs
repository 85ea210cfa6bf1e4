//! `abacus render` and `abacus lint`: the template library and the ABAC linter.

use std::collections::BTreeMap;
use std::process::ExitCode;

use crate::terminal::{self, shown};

use abacus_policy::{parse_policy, Diagnostic};
use abacus_studio::scenario::{default_scenario, Scenario};
use abacus_templates::lint::{lint_policy, lint_scenario, summarize, RULES};
use abacus_templates::{placeholders, Library, WorldFacts};

const RENDER_USAGE: &str = "\
usage: abacus render --list
       abacus render ID [--set SLOT=VALUE]... [--scenario FILE] [--setup]
       abacus render ID --slots [--scenario FILE]
       abacus render --bind FILE [--set SLOT=VALUE]... [--scenario FILE]

Prints the rendered policy JSON. Unset slots take the world's values (the default
scenario, or --scenario FILE); --setup also prints the template's setup commands on stderr.
--slots lists the template's slots with their kind, default and description.
--bind replaces doc-style placeholders (`<region>`, `{account_number}`, `my_bucket`) in a
pasted policy with world values, listing each binding on stderr.
";

const LINT_USAGE: &str = "\
usage: abacus lint [--summary] [--json] FILE...
       abacus lint --rules

FILE is a policy or a scenario document. Each finding is printed as
`LINE:COL severity code message`; the exit code is 1 when any finding is an error.
--json prints one JSON document instead: the AWS reference data's package, version and
date, then per file its findings (with the policy id for scenarios) and summaries.
";

/// Runs `abacus render ARGS`.
pub fn render(args: &[String]) -> ExitCode {
    let library = Library::builtin();
    if args.first().map(String::as_str) == Some("--list") {
        for t in &library.templates {
            println!(
                "{:<36} {:<8} seed {} ({})  {}",
                t.id,
                format!("{:?}", t.kind).to_lowercase(),
                t.source.seed,
                t.source.section,
                t.title
            );
        }
        return ExitCode::SUCCESS;
    }
    let mut id = None;
    let mut overrides = BTreeMap::new();
    let mut scenario_path = None;
    let mut show_setup = false;
    let mut bind_path = None;
    let mut show_slots = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--set" => {
                let Some((key, value)) = rest.next().and_then(|kv| kv.split_once('=')) else {
                    eprintln!("error: `--set` needs SLOT=VALUE\n\n{RENDER_USAGE}");
                    return ExitCode::from(2);
                };
                overrides.insert(key.to_owned(), value.to_owned());
            }
            "--scenario" => scenario_path = rest.next().cloned(),
            "--setup" => show_setup = true,
            "--bind" => bind_path = rest.next().cloned(),
            "--slots" => show_slots = true,
            "-h" | "--help" => {
                print!("{RENDER_USAGE}");
                return ExitCode::SUCCESS;
            }
            other if other.starts_with('-') => {
                eprintln!("error: unknown option `{}`\n\n{RENDER_USAGE}", shown(other));
                return ExitCode::from(2);
            }
            other => id = Some(other.to_owned()),
        }
    }
    let scenario = match scenario_path {
        Some(path) => match read_scenario(&path) {
            Ok(s) => s,
            Err(code) => return code,
        },
        None => default_scenario(),
    };
    let world = WorldFacts::from_scenario(&scenario);
    if let Some(path) = bind_path {
        return bind(&path, &world, &overrides);
    }
    let Some(id) = id else {
        eprint!("{RENDER_USAGE}");
        return ExitCode::from(2);
    };
    let Some(template) = library.get(&id) else {
        eprintln!(
            "error: no template `{}` (see `abacus render --list`)",
            shown(id)
        );
        return ExitCode::from(2);
    };
    if show_slots {
        for slot in &template.slots {
            let default = slot
                .default_in(&world)
                .unwrap_or_else(|| "(none: use --set)".to_owned());
            println!(
                "{:<18} {:<16} {:<32} {}",
                slot.name,
                slot.kind.name(),
                default,
                slot.description
            );
        }
        return ExitCode::SUCCESS;
    }
    match template.render(&world, &overrides) {
        Ok(rendered) => {
            print!("{}", rendered.text);
            if show_setup {
                match template.render_setup(&world, &overrides) {
                    Ok(commands) => commands.iter().for_each(|c| eprintln!("# setup: {c}")),
                    Err(errors) => return print_errors(&format!("{id} setup"), &errors),
                }
            }
            ExitCode::SUCCESS
        }
        Err(errors) => print_errors(&id, &errors),
    }
}

/// `render --bind FILE`: placeholders of a pasted policy replaced by world values.
fn bind(path: &str, world: &WorldFacts, overrides: &BTreeMap<String, String>) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", shown(path));
            return ExitCode::from(2);
        }
    };
    let index = abacus_policy::LineIndex::new(&text);
    for p in placeholders::detect(&text) {
        let at = index.position(p.span.start);
        let value = overrides
            .get(&p.binding.slot)
            .cloned()
            .or_else(|| p.suggestion(world))
            .unwrap_or_else(|| "(no value: use --set)".to_owned());
        eprintln!(
            "{}:{} placeholder {} -> {} ({}) = {}",
            at.line,
            at.column,
            shown(&p.text),
            p.binding.slot,
            p.binding.kind,
            shown(&value)
        );
    }
    match placeholders::bind(&text, world, overrides) {
        Ok(bound) => {
            print!("{bound}");
            ExitCode::SUCCESS
        }
        Err(errors) => print_errors(path, &errors),
    }
}

fn print_errors(what: &str, errors: &[Diagnostic]) -> ExitCode {
    eprintln!("-- {}", shown(what));
    for e in errors {
        eprintln!("{}", shown(e));
        eprintln!("  help: {}", e.help);
    }
    ExitCode::from(1)
}

fn read_scenario(path: &str) -> Result<Scenario, ExitCode> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read `{}`: {e}", shown(path));
        ExitCode::from(2)
    })?;
    Scenario::from_json(&text).map_err(|e| {
        for issue in &e.issues {
            eprintln!(
                "{}:{} error scenario {} ({})",
                issue.line.unwrap_or(0),
                issue.column.unwrap_or(0),
                shown(&issue.message),
                shown(&issue.path)
            );
        }
        ExitCode::from(2)
    })
}

/// The scenario to lint: parsed from `text`, or read again from `path` to report its
/// problems with their places (exit code 2).
fn lint_target(path: &str, text: &str) -> Result<Scenario, ExitCode> {
    Scenario::from_json(text).or_else(|_| read_scenario(path))
}

/// True when the text is a JSON object that looks like a scenario (not a policy).
fn is_scenario(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.get("world").is_some() && v.get("Statement").is_none())
}

/// Runs `abacus lint ARGS`.
pub fn lint(args: &[String]) -> ExitCode {
    if args.first().map(String::as_str) == Some("--rules") {
        for rule in RULES {
            let scope = if rule.cross_policy {
                "scenario"
            } else {
                "policy"
            };
            println!(
                "{:<36} {:<8} {:<8} {}",
                rule.code,
                rule.severity.to_string(),
                scope,
                rule.summary
            );
        }
        return ExitCode::SUCCESS;
    }
    let summary = args.iter().any(|a| a == "--summary");
    let json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty()
        || args
            .iter()
            .any(|a| a.starts_with("--") && a != "--summary" && a != "--json")
    {
        eprint!("{LINT_USAGE}");
        return ExitCode::from(2);
    }
    if json {
        return lint_json(&files, summary);
    }
    let mut any_error = false;
    for path in &files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", shown(path));
                return ExitCode::from(2);
            }
        };
        if files.len() > 1 {
            println!("-- {}", shown(path));
        }
        if is_scenario(&text) {
            let scenario = match lint_target(path, &text) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let mut current = String::new();
            for (policy_id, d) in lint_scenario(&scenario) {
                if policy_id != current {
                    println!("-- policy {}", shown(&policy_id));
                    current = policy_id;
                }
                any_error |= d.is_error();
                println!("{}", shown(&d));
            }
            if summary {
                for entry in &scenario.policies {
                    println!("-- summary {}", shown(&entry.id));
                    print!(
                        "{}",
                        terminal::block(&summarize(&parse_policy(&entry.text)).to_string())
                    );
                }
            }
        } else {
            for d in lint_policy(&text) {
                any_error |= d.is_error();
                println!("{}", shown(&d));
            }
            if summary {
                print!(
                    "{}",
                    terminal::block(&summarize(&parse_policy(&text)).to_string())
                );
            }
        }
    }
    if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `abacus lint --json`: one document with the reference data's version and every finding.
fn lint_json(files: &[&String], summary: bool) -> ExitCode {
    let reference = abacus_reference::current();
    let source = reference.index().map(|i| {
        serde_json::json!({"package": i.package, "version": i.version, "updatedAt": i.updated_at})
    });
    let mut any_error = false;
    let mut out_files = Vec::new();
    for path in files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", shown(path));
                return ExitCode::from(2);
            }
        };
        let mut findings = Vec::new();
        let mut summaries = Vec::new();
        if is_scenario(&text) {
            let scenario = match lint_target(path, &text) {
                Ok(s) => s,
                Err(code) => return code,
            };
            for (policy_id, d) in lint_scenario(&scenario) {
                any_error |= d.is_error();
                findings.push(serde_json::json!({"policy": policy_id, "finding": d}));
            }
            if summary {
                for entry in &scenario.policies {
                    summaries.push(serde_json::json!({"policy": entry.id, "summary": summarize(&parse_policy(&entry.text))}));
                }
            }
        } else {
            for d in lint_policy(&text) {
                any_error |= d.is_error();
                findings.push(serde_json::json!({"finding": d}));
            }
            if summary {
                summaries.push(serde_json::json!({"summary": summarize(&parse_policy(&text))}));
            }
        }
        out_files.push(if summary {
            serde_json::json!({"file": path, "findings": findings, "summaries": summaries})
        } else {
            serde_json::json!({"file": path, "findings": findings})
        });
    }
    println!(
        "{}",
        serde_json::json!({"reference": source, "files": out_files})
    );
    if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
