//! The README's table of diagnostic codes agrees with the registries both ways: every code
//! of `abacus_policy::codes::Code` and of the linter's rules is in the table with its
//! severity, and every code the README names is registered. The diagnostics the seed
//! samples and the gallery actually produce carry registered codes and severities.
#![cfg(test)]

use abacus_policy::codes::{Code, CodeSeverity};
use abacus_policy::{parse_policy, Diagnostic};
use abacus_studio::scenario::Scenario;
use abacus_templates::lint::{lint_policy, lint_scenario, RULES};
use abacus_templates::originals::seed_originals;
use abacus_tests::repo_root;
use std::collections::BTreeMap;

/// Code → severity label, from the registry and the linter's rules.
fn registered() -> BTreeMap<&'static str, &'static str> {
    let mut all: BTreeMap<&'static str, &'static str> = Code::ALL
        .iter()
        .map(|c| (c.as_str(), c.severity().label()))
        .collect();
    for rule in RULES {
        let label = CodeSeverity::Fixed(rule.severity).label();
        if let Some(registry) = all.insert(rule.code, label) {
            // a rule reported by the parser is in both, alike
            assert_eq!(registry, label, "{}", rule.code);
        }
    }
    all
}

/// The rows of every table of README.md whose first header cell is `code`, by the heading
/// of the section they are in: (code, the row's second cell).
fn readme_tables() -> BTreeMap<String, Vec<(String, String)>> {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let mut tables: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut heading = String::new();
    let mut in_table = false;
    for line in readme.lines() {
        if line.starts_with('#') {
            heading = line.trim_start_matches('#').trim().to_owned();
        }
        if line.starts_with("| code |") {
            in_table = true;
            tables.entry(heading.clone()).or_default();
            continue;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        if !in_table || line.starts_with("|---") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let code = cells.first().unwrap().trim_matches('`').to_owned();
        let second = cells.get(1).copied().unwrap_or_default().to_owned();
        tables
            .entry(heading.clone())
            .or_default()
            .push((code, second));
    }
    tables
}

#[test]
fn the_readme_lists_every_registered_code_and_only_those() {
    let registered = registered();
    let tables = readme_tables();
    let table = tables
        .get("Diagnostic codes")
        .expect("README.md has a `## Diagnostic codes` section with a `| code |` table");
    let mut listed: BTreeMap<&str, &str> = BTreeMap::new();
    for (code, severity) in table {
        assert!(
            listed.insert(code, severity).is_none(),
            "`{code}` is listed twice"
        );
    }
    let missing: Vec<_> = registered
        .iter()
        .filter(|(code, _)| !listed.contains_key(*code))
        .map(|(code, severity)| format!("| `{code}` | {severity} | ... |"))
        .collect();
    assert!(
        missing.is_empty(),
        "registered but not in the README:\n{}",
        missing.join("\n")
    );
    for (code, severity) in &listed {
        match registered.get(code) {
            Some(expected) => assert_eq!(severity, expected, "severity of `{code}`"),
            None => panic!("the README lists `{code}`, which no registry has"),
        }
    }
    // other code tables (e.g. the reference lint rules) name only registered codes
    for (section, rows) in &tables {
        for (code, _) in rows {
            assert!(
                registered.contains_key(code.as_str()),
                "section `{section}` of the README names `{code}`, which no registry has"
            );
        }
    }
}

fn check(what: &str, d: &Diagnostic, registered: &BTreeMap<&str, &str>) {
    let Some(severity) = registered.get(d.code.as_str()) else {
        panic!("{what}: `{}` is not registered", d.code);
    };
    if *severity != "varies" {
        assert_eq!(*severity, d.severity.to_string(), "{what}: {}", d.code);
    }
}

#[test]
fn seed_samples_and_the_gallery_report_registered_codes() {
    let registered = registered();
    let mut seen = 0;
    for o in seed_originals() {
        for d in parse_policy(&o.text)
            .diagnostics
            .iter()
            .chain(&lint_policy(&o.text))
        {
            check(&o.id, d, &registered);
            seen += 1;
        }
    }
    let mut files: Vec<_> = std::fs::read_dir(repo_root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let scenario = Scenario::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (policy, d) in lint_scenario(&scenario) {
            check(&format!("{} {policy}", path.display()), &d, &registered);
            seen += 1;
        }
    }
    assert!(seen > 20, "{seen}");
}
