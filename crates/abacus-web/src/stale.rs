//! Stale examples: an embedded example whose expectations no longer pass under the running
//! Abacus and AWS reference data says so, instead of quietly showing another decision.
//! Free of the DOM, tested natively.

use crate::view::ExpectationView;
use abacus_studio::scenario::MadeWith;

/// The note an embed shows, if its example has gone stale: some expectation's decision is
/// not the expected one, and the link was made with other versions than `running` (or
/// before links recorded them). An example whose expectations fail under the very versions
/// it was made with (a workshop challenge, a pitfall on purpose) is not stale.
pub fn stale_note(
    made_with: Option<&MadeWith>,
    expectations: &[ExpectationView],
    running: &MadeWith,
) -> Option<String> {
    let failing = expectations
        .iter()
        .filter(|e| e.actual.is_some() && !e.passed)
        .count();
    if failing == 0 || made_with == Some(running) {
        return None;
    }
    let made = match made_with {
        Some(m) => format!("Abacus {} and {}", m.engine, m.reference),
        None => "an earlier version of Abacus".to_owned(),
    };
    Some(format!(
        "This example was made with {made}. Under Abacus {} and {}, {failing} of its {} expectations no longer pass: the decisions shown are today's, not the ones the page describes.",
        running.engine,
        running.reference,
        expectations.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_policy::Decision;

    fn exp(passed: bool) -> ExpectationView {
        ExpectationView {
            name: "x".into(),
            expected: Decision::Allow,
            actual: Some(if passed {
                Decision::Allow
            } else {
                Decision::ImplicitDeny
            }),
            passed,
            problem: None,
        }
    }

    #[test]
    fn only_failing_expectations_under_other_versions_are_stale() {
        let now = MadeWith::now("data 2");
        let old = MadeWith {
            engine: "0.0.9".into(),
            reference: "data 1".into(),
        };
        assert_eq!(stale_note(Some(&old), &[exp(true)], &now), None);
        let note = stale_note(Some(&old), &[exp(true), exp(false)], &now).unwrap();
        assert!(
            note.starts_with("This example was made with Abacus 0.0.9 and data 1. Under Abacus "),
            "{note}"
        );
        assert!(
            note.contains("1 of its 2 expectations no longer pass"),
            "{note}"
        );
        assert_eq!(
            stale_note(Some(&now), &[exp(false)], &now),
            None,
            "failing on purpose"
        );
        assert!(stale_note(None, &[exp(false)], &now)
            .unwrap()
            .contains("an earlier version"));
    }
}
