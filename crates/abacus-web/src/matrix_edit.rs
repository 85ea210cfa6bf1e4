//! Adding and removing access-matrix columns: an edit of the document's `matrix.actions`,
//! so it is autosaved and shared like any other change.
//!
//! The studio turns each action into its columns (own and others' resources, or one column
//! for resource-less actions and creates); the document only lists actions.

use abacus_studio::scenario::Scenario;

/// One change to the matrix's columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatrixEdit {
    /// Add the columns of an action (`service:Action`, any case).
    Add(String),
    /// Remove the columns of an action.
    Remove(String),
}

/// The actions the matrix shows, in column order: the document's list, or the actions of
/// its expectations when the list is empty (each once, as the studio counts them).
pub fn actions(doc: &Scenario) -> Vec<String> {
    let named: Vec<&String> = if doc.matrix.actions.is_empty() {
        doc.expectations.iter().map(|e| &e.request.action).collect()
    } else {
        doc.matrix.actions.iter().collect()
    };
    let mut out: Vec<String> = Vec::new();
    for a in named {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(a)) {
            out.push(a.clone());
        }
    }
    out
}

/// Applies `edit`; a refused edit leaves the document as it was and says why.
pub fn apply(doc: &mut Scenario, edit: MatrixEdit) -> Result<(), String> {
    // the implicit list is written out first: an empty list means "the expectations' actions"
    let mut list = actions(doc);
    match edit {
        MatrixEdit::Add(action) => {
            let action = action.trim();
            if action.is_empty() {
                return Err("type or choose an action to add a column".to_owned());
            }
            let Some(spec) = abacus_studio::actions::spec(action) else {
                return Err(format!(
                    "`{action}` is not a known action (help: choose one from the list, as `service:Action`)"
                ));
            };
            if list.iter().any(|a| a.eq_ignore_ascii_case(&spec.action)) {
                return Err(format!("`{}` is already in the matrix", spec.action));
            }
            list.push(spec.action.clone());
        }
        MatrixEdit::Remove(action) => {
            let before = list.len();
            list.retain(|a| !a.eq_ignore_ascii_case(action.trim()));
            if list.len() == before {
                return Err(format!("`{action}` is not in the matrix"));
            }
            // an empty list would bring back every expectation's action
            if list.is_empty() {
                return Err("the matrix needs at least one action".to_owned());
            }
        }
    }
    doc.matrix.actions = list;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::scenario::default_scenario;

    fn columns(doc: &Scenario) -> Vec<String> {
        crate::derive::matrix(doc)
            .view
            .columns
            .iter()
            .map(|c| c.label())
            .collect()
    }

    #[test]
    fn adding_an_action_adds_its_own_and_others_columns() {
        let mut doc = default_scenario();
        let before = actions(&doc);
        apply(
            &mut doc,
            MatrixEdit::Add("  SageMaker:deleteexperiment ".into()),
        )
        .unwrap();
        let after = actions(&doc);
        assert_eq!(after.len(), before.len() + 1);
        assert_eq!(
            after[..before.len()],
            before[..],
            "the implicit list is kept"
        );
        assert_eq!(
            after.last().map(String::as_str),
            Some("sagemaker:DeleteExperiment")
        );
        let labels = columns(&doc);
        assert!(labels.contains(&"sagemaker:DeleteExperiment (own)".to_owned()));
        assert!(labels.contains(&"sagemaker:DeleteExperiment (others')".to_owned()));
        // it is a document change: it survives the JSON round trip
        let back = crate::doc::parse(&crate::doc::to_json(&doc)).unwrap();
        assert_eq!(actions(&back), after);
    }

    #[test]
    fn removing_an_action_removes_its_columns() {
        let mut doc = default_scenario();
        let first = actions(&doc)[0].clone();
        let n = columns(&doc).len();
        apply(&mut doc, MatrixEdit::Remove(first.to_ascii_uppercase())).unwrap();
        assert!(!actions(&doc).contains(&first));
        let labels = columns(&doc);
        assert!(labels.len() < n);
        assert!(labels.iter().all(|l| !l.starts_with(&first)), "{labels:?}");
    }

    #[test]
    fn refused_edits_leave_the_document_and_say_why() {
        let mut doc = default_scenario();
        let before = doc.clone();
        let first = actions(&doc)[0].clone();
        for (edit, why) in [
            (MatrixEdit::Add(String::new()), "type or choose"),
            (MatrixEdit::Add("nope:Nothing".into()), "not a known action"),
            (MatrixEdit::Add(first.clone()), "already in the matrix"),
            (MatrixEdit::Remove("s3:Nothing".into()), "not in the matrix"),
        ] {
            let err = apply(&mut doc, edit).unwrap_err();
            assert!(err.contains(why), "{err}");
            assert_eq!(doc, before);
        }
        doc.matrix.actions = vec![first.clone()];
        let err = apply(&mut doc, MatrixEdit::Remove(first)).unwrap_err();
        assert!(err.contains("at least one"), "{err}");
    }
}
