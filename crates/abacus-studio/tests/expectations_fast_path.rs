//! `Workspace::check_expectations` answers an expectation that names neither a check nor a
//! message from the decision alone (`Workspace::decide`, no trace, no CloudTrail records).
//! This corpus test holds that path to the whole evaluation on every expectation of every
//! scenario of the repository, every gallery challenge and every step of the shipped
//! courses, as shipped and with the worked solution: the same decision, the same verdict and
//! the same problem.
#![cfg(test)]

mod common;

use abacus_studio::course::Course;
use abacus_studio::evaluate::Workspace;
use abacus_studio::scenario::Scenario;
use common::{json_files, root};

/// Every document to check: (name, scenario).
fn corpus() -> Vec<(String, Scenario)> {
    let mut docs = Vec::new();
    for path in json_files(&root().join("scenarios")) {
        let s = Scenario::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        docs.push((path.display().to_string(), s));
    }
    for path in json_files(&root().join("crates/abacus-templates/gallery/challenges")) {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let s = Scenario::from_json(&v["scenario"].to_string()).unwrap();
        docs.push((path.display().to_string(), s));
    }
    for path in json_files(&root().join("courses")) {
        let c = Course::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for step in &c.steps {
            let solved = step.solved();
            docs.push((
                format!("{} {}", path.display(), step.id),
                step.scenario.clone(),
            ));
            docs.push((format!("{} {} solved", path.display(), step.id), solved));
        }
    }
    docs
}

#[test]
fn the_decision_alone_answers_expectations_as_the_whole_evaluation_does() {
    let mut fast = 0;
    for (name, doc) in corpus() {
        let ws = Workspace::new(&doc);
        let results = ws.check_expectations();
        assert_eq!(results.len(), doc.expectations.len());
        for (e, r) in doc.expectations.iter().zip(&results) {
            if e.check.is_some() || e.message_contains.is_some() {
                continue;
            }
            fast += 1;
            let full = ws.evaluate(&e.request);
            let (actual, problem) = match &full {
                Ok(ev) if ev.decision == e.expected => (Some(ev.decision), None),
                Ok(ev) => (
                    Some(ev.decision),
                    Some(format!("expected {}, got {}", e.expected, ev.decision)),
                ),
                Err(err) => (None, Some(err.to_string())),
            };
            assert_eq!(r.actual, actual, "{name}: {}", e.name);
            assert_eq!(r.problem, problem, "{name}: {}", e.name);
            assert_eq!(r.passed, problem.is_none(), "{name}: {}", e.name);
        }
    }
    assert!(fast >= 150, "{fast} expectations on the fast path");
}
