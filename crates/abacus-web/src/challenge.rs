//! The challenge loop: opening a gallery challenge (or resuming the attendee's attempt),
//! showing its worked solution without losing the attempt, and going back to it.
//!
//! Pure: the challenge travels in the document (`Scenario::challenge`), the attempts in
//! [`Progress`]; the app asks for confirmation before anything replaces an attempt.

use crate::progress::Progress;
use abacus_studio::scenario::{Challenge, ChallengeSolution, Scenario};
use abacus_templates::gallery::{Category, GalleryEntry};

/// The shipped document of gallery entry `entry`; a challenge carries its instructions,
/// hint and solution in `challenge`.
pub fn shipped(entry: &GalleryEntry) -> Result<Scenario, String> {
    let mut doc = Scenario::from_json(&entry.scenario_json)
        .map_err(|e| format!("the gallery scenario “{}” is broken: {e}", entry.title))?;
    if entry.category == Category::Challenge {
        doc.challenge = Some(Challenge {
            id: entry.id.clone(),
            title: entry.title.clone(),
            hint: entry.hint.clone().unwrap_or_default(),
            solution: entry.solution.as_ref().map(|s| ChallengeSolution {
                policy: s.policy.clone(),
                text: s.text.clone(),
                explanation: s.explanation.clone(),
            }),
            more_hints: Vec::new(),
            solution_shown: false,
        });
        // open on the policy the task is about
        if let Some(s) = &entry.solution {
            doc.view.policy = Some(s.policy.clone());
        }
    }
    Ok(doc)
}

/// What "Open" shows for `entry`: the attendee's saved attempt when there is one (and it
/// still reads), else the shipped document; with the message for the notice bar.
pub fn open(entry: &GalleryEntry, progress: &Progress) -> Result<(Scenario, String), String> {
    if let Some(attempt) = progress.get(&entry.id) {
        if let Ok(doc) = Scenario::from_json(&attempt.document) {
            return Ok((
                doc,
                format!(
                    "resumed your attempt at “{}” ({}); “Start over” in the gallery resets it",
                    entry.title,
                    attempt.label()
                ),
            ));
        }
    }
    let doc = shipped(entry)?;
    let what = if doc.challenge.is_some() {
        "the challenge"
    } else {
        "the scenario"
    };
    Ok((doc, format!("opened {what} “{}”", entry.title)))
}

/// `doc` with its challenge's worked solution applied (the attempt itself is kept in
/// [`Progress`], which never records a document showing the solution).
pub fn with_solution(doc: &Scenario) -> Result<Scenario, String> {
    let challenge = doc
        .challenge
        .as_ref()
        .ok_or("this workspace is not a challenge")?;
    let solution = challenge
        .solution
        .as_ref()
        .ok_or("this challenge has no worked solution")?;
    let mut next = doc.clone();
    let policy = next
        .policies
        .iter_mut()
        .find(|p| p.id == solution.policy)
        .ok_or_else(|| {
            format!(
                "the policy the solution replaces (`{}`) is not in the workspace",
                solution.policy
            )
        })?;
    policy.text = solution.text.as_str().into();
    next.view.policy = Some(solution.policy.clone());
    if let Some(c) = next.challenge.as_mut() {
        c.solution_shown = true;
    }
    Ok(next)
}

/// The attendee's attempt at the challenge `doc` shows, from `progress`.
pub fn attempt(doc: &Scenario, progress: &Progress) -> Result<Scenario, String> {
    let id = doc
        .challenge
        .as_ref()
        .map(|c| c.id.as_str())
        .ok_or("this workspace is not a challenge")?;
    let saved = progress
        .get(id)
        .ok_or("there is no saved attempt at this challenge in this browser")?;
    Scenario::from_json(&saved.document)
        .map_err(|e| format!("your saved attempt could not be read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::evaluate::Workspace;
    use abacus_templates::gallery::Gallery;

    fn passed(doc: &Scenario) -> (usize, usize) {
        let results = Workspace::new(doc).check_expectations();
        (results.iter().filter(|r| r.passed).count(), results.len())
    }

    #[test]
    fn the_loop_open_attempt_solution_and_back_keeps_the_attempt() {
        let gallery = Gallery::builtin();
        let entry = gallery.of(Category::Challenge).next().unwrap();
        let progress = Progress::default();
        let (doc, message) = open(entry, &progress).unwrap();
        assert!(message.starts_with("opened the challenge"), "{message}");
        let challenge = doc.challenge.clone().unwrap();
        assert_eq!(challenge.id, entry.id);
        assert!(!challenge.solution_shown);
        let fix = challenge.solution.as_ref().map(|s| s.policy.clone());
        assert_eq!(doc.view.policy, fix, "opens on the policy to fix");
        let (p, t) = passed(&doc);
        assert!(p < t, "fails as shipped");

        // the attendee edits, the attempt is recorded
        let mut attempt_doc = doc.clone();
        attempt_doc.policies[0].name = "edited".into();
        let progress = progress.record(&attempt_doc, p, t).unwrap();

        let solved = with_solution(&attempt_doc).unwrap();
        let (p, t) = passed(&solved);
        assert_eq!(p, t, "the solution passes");
        assert!(
            progress.record(&solved, p, t).is_none(),
            "the solution is not an attempt"
        );
        assert_eq!(attempt(&solved, &progress).unwrap(), attempt_doc);

        // opening it again resumes the attempt
        let (resumed, message) = open(entry, &progress).unwrap();
        assert_eq!(resumed, attempt_doc);
        assert!(message.starts_with("resumed your attempt"), "{message}");
    }

    #[test]
    fn use_cases_are_no_challenge_and_have_no_solution() {
        let gallery = Gallery::builtin();
        let entry = gallery.of(Category::UseCase).next().unwrap();
        let (doc, message) = open(entry, &Progress::default()).unwrap();
        assert!(doc.challenge.is_none());
        assert!(message.starts_with("opened the scenario"), "{message}");
        assert!(with_solution(&doc).is_err());
        assert!(attempt(&doc, &Progress::default()).is_err());
    }
}
