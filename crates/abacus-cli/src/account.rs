//! `abacus import`: AWS CLI exports of a real account into a scenario (see
//! `abacus_account::import`). Nothing is sent anywhere: the files are read and the scenario
//! written locally.

use crate::terminal::shown;
use abacus_account::import::{import as import_files, ImportFile};
use std::process::ExitCode;

const USAGE: &str = "usage: abacus import FILE... [-o OUT]";

/// `abacus import FILE... [-o OUT]`: writes the scenario to OUT (or prints it), and on stderr
/// what each file was recognised as and what the import decided.
pub fn import(args: &[String]) -> ExitCode {
    let mut out = None;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => match it.next() {
                Some(p) => out = Some(p.clone()),
                None => {
                    eprintln!("error: `{a}` needs a file name\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            flag if flag.starts_with('-') && flag.len() > 1 => {
                eprintln!("error: unknown option `{}`\n{USAGE}", shown(flag));
                return ExitCode::from(2);
            }
            _ => paths.push(a.clone()),
        }
    }
    if paths.is_empty() {
        eprintln!("error: no files\n{USAGE}");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for p in &paths {
        match std::fs::read_to_string(p) {
            Ok(text) => files.push(ImportFile {
                name: p.clone(),
                text,
            }),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", shown(p));
                return ExitCode::from(2);
            }
        }
    }
    let imported = match import_files(&files) {
        Ok(i) => i,
        Err(errors) => {
            for e in &errors {
                let place = match (e.line, e.column) {
                    (Some(l), Some(c)) => format!("{}:{l}:{c}", e.file),
                    _ if e.file.is_empty() => "import".to_owned(),
                    _ => e.file.clone(),
                };
                eprintln!(
                    "{}: error: {}: {}\n  help: {}",
                    shown(&place),
                    shown(&e.path),
                    shown(&e.message),
                    shown(&e.help)
                );
            }
            eprintln!("nothing imported: {} error(s)", errors.len());
            return ExitCode::from(2);
        }
    };
    for (file, kind) in &imported.recognised {
        eprintln!("recognised {}: {}", shown(file), kind.command());
    }
    for n in &imported.notes {
        eprintln!("note: {}", shown(&n.message));
    }
    let w = &imported.scenario.world;
    eprintln!(
        "imported account {}: {} domain(s), {} user profile(s), {} role(s), {} IAM user(s), {} resource(s), {} policies{}",
        w.account,
        w.domains.len(),
        w.users.len(),
        w.roles.len(),
        w.iam_users.len(),
        w.resources.len(),
        imported.scenario.policies.len(),
        if imported.other_versions.is_empty() {
            String::new()
        } else {
            format!(
                " ({} managed policy version(s) not in effect left out)",
                imported.other_versions.len()
            )
        }
    );
    let json = imported.scenario.to_json_pretty() + "\n";
    match out {
        Some(path) => {
            if let Err(e) = std::fs::write(&path, json) {
                eprintln!("error: cannot write {}: {e}", shown(&path));
                return ExitCode::from(2);
            }
            eprintln!("wrote {}", shown(&path));
        }
        None => print!("{json}"),
    }
    ExitCode::SUCCESS
}

const WHO_USAGE: &str = "usage: abacus who-can SCENARIO ACTION RESOURCE_ARN [--json]";

/// `abacus who-can SCENARIO ACTION RESOURCE_ARN [--json]`: each allowed principal's ARN on a
/// line (with who it is and the allowing statements), then each explicitly denied one
/// (`denied ARN …`), then `N allowed, N denied`.
pub fn who_can(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    let positional: Vec<&String> = args.iter().filter(|a| a.as_str() != "--json").collect();
    if let Some(flag) = positional.iter().find(|a| a.starts_with("--")) {
        eprintln!("error: unknown option `{}`\n{WHO_USAGE}", shown(flag));
        return ExitCode::from(2);
    }
    let [path, action, arn] = positional.as_slice() else {
        eprintln!("error: need SCENARIO, ACTION and RESOURCE_ARN\n{WHO_USAGE}");
        return ExitCode::from(2);
    };
    let scenario = match crate::scenario::load(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if abacus_studio::actions::spec(action).is_none() {
        eprintln!(
            "error: `{}` is not an action of the Service Authorization Reference\n  help: write `service:Action`, e.g. `sagemaker:StopTrainingJob`",
            shown(action)
        );
        return ExitCode::from(2);
    }
    let answer = match abacus_account::who_can::who_can(&scenario, action, arn) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "error: {e}\n  help: add a user profile to the world (who-can asks as each profile and each IAM user)"
            );
            return ExitCode::from(2);
        }
    };
    if json {
        let rows: Vec<serde_json::Value> = answer
            .rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "who": r.who.to_string(),
                    "principal": r.principal_arn,
                    "decision": match &r.decision {
                        Ok(d) => serde_json::to_value(d).unwrap_or_default(),
                        Err(_) => serde_json::Value::Null,
                    },
                    "error": r.decision.as_ref().err(),
                    "deciding": r.deciding.iter().map(|(s, _)| s).collect::<Vec<_>>(),
                    "decidedByCheck": r.decided_by_check,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({"action": answer.action, "resource": answer.resource_arn, "principals": rows})
        );
    } else {
        let line = |r: &abacus_account::who_can::Row| {
            let why = if let Some(check) = &r.decided_by_check {
                format!("decided by the `{check}` check")
            } else if r.deciding.is_empty() {
                String::new()
            } else {
                let s: Vec<&str> = r.deciding.iter().map(|(s, _)| s.as_str()).collect();
                format!("by {}", s.join("; "))
            };
            format!(
                "{}\t{}\t{}",
                shown(&r.principal_arn),
                shown(&r.who),
                shown(why)
            )
        };
        for r in answer.allowed() {
            println!("{}", line(r));
        }
        for r in answer.denied() {
            println!("denied {}", line(r));
        }
        for r in &answer.rows {
            if let Err(e) = &r.decision {
                eprintln!("note: {} not asked: {}", r.who, shown(e));
            }
        }
    }
    println!(
        "{} allowed, {} denied",
        answer.allowed().count(),
        answer.denied().count()
    );
    ExitCode::SUCCESS
}

const REPLAY_USAGE: &str = "usage: abacus replay SCENARIO TRAIL...";

/// `abacus replay SCENARIO TRAIL...`: one JSON line per CloudTrail record (`recorded`,
/// `decision`, `agrees`, the request it was or why it is not simulated), then
/// `N agree, N disagree, N not compared`; exit 1 when any disagree.
pub fn replay(args: &[String]) -> ExitCode {
    if let Some(flag) = args.iter().find(|a| a.starts_with("--")) {
        eprintln!("error: unknown option `{}`\n{REPLAY_USAGE}", shown(flag));
        return ExitCode::from(2);
    }
    let Some((path, trails)) = args.split_first().filter(|(_, t)| !t.is_empty()) else {
        eprintln!("error: need a scenario and at least one trail file\n{REPLAY_USAGE}");
        return ExitCode::from(2);
    };
    let scenario = match crate::scenario::load(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut records = Vec::new();
    let mut failed = false;
    for t in trails {
        let text = match std::fs::read_to_string(t) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", shown(t));
                return ExitCode::from(2);
            }
        };
        match abacus_account::trail::read_trail(&ImportFile {
            name: t.clone(),
            text,
        }) {
            Ok(r) => records.extend(r),
            Err(errors) => {
                failed = true;
                for e in &errors {
                    eprintln!(
                        "{}: error: {}: {}\n  help: {}",
                        shown(match (e.line, e.column) {
                            (Some(l), Some(c)) => format!("{}:{l}:{c}", e.file),
                            _ => e.file.clone(),
                        }),
                        shown(&e.path),
                        shown(&e.message),
                        shown(&e.help)
                    );
                }
            }
        }
    }
    if failed {
        eprintln!("nothing replayed");
        return ExitCode::from(2);
    }
    let replayed = abacus_account::replay::replay(&scenario, &records);
    for row in &replayed.rows {
        let r = &row.record;
        let line = serde_json::json!({
            "record": r.place,
            "eventId": r.event_id,
            "event": format!("{} {}", r.event_source, r.event_name),
            "recorded": row.recorded.describe(),
            "decision": row.decision.map(|d| serde_json::to_value(d).unwrap_or_default()),
            "agrees": row.agrees,
            "request": row.selection.as_ref().ok().map(|s| serde_json::to_value(s).unwrap_or_default()),
            "notSimulated": row.selection.as_ref().err(),
        });
        println!("{line}");
    }
    println!(
        "{} agree, {} disagree, {} not compared",
        replayed.agreeing(),
        replayed.disagreeing(),
        replayed.not_compared()
    );
    if replayed.disagreeing() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
