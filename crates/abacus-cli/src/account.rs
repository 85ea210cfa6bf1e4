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
