//! Challenge progress: the attendee's own attempt at each gallery challenge, kept in this
//! browser so that the gallery's badges show how far *they* got, and opening a challenge
//! again resumes their work instead of the shipped document.
//!
//! One `localStorage` value (under [`PROGRESS_KEY`], scoped like the autosave) maps a
//! challenge id to its last checked attempt. An unreadable value is moved aside under
//! [`CORRUPT_PROGRESS_KEY`] before anything overwrites it, as the autosave is.

use crate::store::KeyValue;
use abacus_studio::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the progress is kept.
pub const PROGRESS_KEY: &str = "abacus.challenges.v1";
/// Where an unreadable progress value is kept.
pub const CORRUPT_PROGRESS_KEY: &str = "abacus.challenges.v1.corrupt";

/// The last checked attempt at one challenge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// Expectations that pass.
    pub passed: usize,
    /// Expectations in all.
    pub total: usize,
    /// The attempt's document, as JSON (what "Open" resumes).
    pub document: String,
}

impl Attempt {
    /// All expectations pass.
    pub fn solved(&self) -> bool {
        self.total > 0 && self.passed == self.total
    }

    /// The badge text, e.g. `solved 5/5` or `3/5 so far`.
    pub fn label(&self) -> String {
        if self.solved() {
            format!("solved {}/{}", self.passed, self.total)
        } else {
            format!("{}/{} so far", self.passed, self.total)
        }
    }
}

/// Every challenge's attempt, by challenge id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    attempts: BTreeMap<String, Attempt>,
    /// Attempts forgotten here ("Start over"): not brought back from the store when
    /// another tab's progress is merged in on save.
    forgotten: std::collections::BTreeSet<String>,
}

impl Progress {
    /// The attempt at challenge `id`.
    pub fn get(&self, id: &str) -> Option<&Attempt> {
        self.attempts.get(id)
    }

    /// The progress after checking `doc` (`passed` of `total` expectations): `None` when
    /// nothing changes, or when `doc` is no attempt (no challenge, or its solution shown).
    pub fn record(&self, doc: &Scenario, passed: usize, total: usize) -> Option<Progress> {
        let challenge = doc.challenge.as_ref().filter(|c| !c.solution_shown)?;
        let attempt = Attempt {
            passed,
            total,
            document: doc.to_json_pretty(),
        };
        if self.attempts.get(&challenge.id) == Some(&attempt) {
            return None;
        }
        let mut next = self.clone();
        next.forgotten.remove(&challenge.id);
        next.attempts.insert(challenge.id.clone(), attempt);
        Some(next)
    }

    /// Forgets the attempt at `id` ("Start over").
    pub fn forget(&self, id: &str) -> Progress {
        let mut next = self.clone();
        next.attempts.remove(id);
        next.forgotten.insert(id.to_owned());
        next
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.attempts).unwrap_or_default()
    }

    /// Reads the stored form.
    pub fn from_json(text: &str) -> Result<Progress, String> {
        serde_json::from_str(text)
            .map(|attempts| Progress {
                attempts,
                forgotten: Default::default(),
            })
            .map_err(|e| e.to_string())
    }
}

/// Loads the progress from `store`; an unreadable value is kept aside and reported (the
/// message is for the notice bar), and the progress starts empty.
pub fn load(store: &mut dyn KeyValue) -> (Progress, Option<String>) {
    let Some(text) = store.get(PROGRESS_KEY) else {
        return (Progress::default(), None);
    };
    match Progress::from_json(&text) {
        Ok(p) => (p, None),
        Err(why) => {
            let kept = store.set(CORRUPT_PROGRESS_KEY, &text);
            let message = match kept {
                Ok(()) => format!(
                    "your challenge progress could not be read ({why}); it was kept in localStorage under `{}`",
                    store.name(CORRUPT_PROGRESS_KEY)
                ),
                Err(e) => format!(
                    "your challenge progress could not be read ({why}) nor backed up ({e})"
                ),
            };
            (Progress::default(), Some(message))
        }
    }
}

/// Saves the progress (errors are for the notice bar). Attempts another tab saved meanwhile
/// are kept: this tab's attempts win for the challenges it has, the others stay (unless this
/// tab started them over).
pub fn save(store: &mut dyn KeyValue, progress: &Progress) -> Result<(), String> {
    let mut merged = progress.clone();
    if let Some(stored) = store
        .get(PROGRESS_KEY)
        .and_then(|t| Progress::from_json(&t).ok())
    {
        for (id, attempt) in stored.attempts {
            if !merged.forgotten.contains(&id) {
                merged.attempts.entry(id).or_insert(attempt);
            }
        }
    }
    let text = merged.to_json();
    if store.get(PROGRESS_KEY).as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    store.set(PROGRESS_KEY, &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use abacus_studio::scenario::{default_scenario, Challenge};

    fn attempt_doc() -> Scenario {
        let mut d = default_scenario();
        d.challenge = Some(Challenge {
            id: "c1".into(),
            title: "fix it".into(),
            hint: String::new(),
            solution: None,
            more_hints: Vec::new(),
            solution_shown: false,
        });
        d
    }

    #[test]
    fn an_attempt_is_recorded_once_per_change_and_survives_storage() {
        let d = attempt_doc();
        let p = Progress::default().record(&d, 3, 5).unwrap();
        assert_eq!(p.get("c1").unwrap().label(), "3/5 so far");
        assert!(p.record(&d, 3, 5).is_none(), "unchanged");
        let solved = p.record(&d, 5, 5).unwrap();
        assert!(solved.get("c1").unwrap().solved());
        assert_eq!(solved.get("c1").unwrap().label(), "solved 5/5");

        let mut store = MemoryStore::default();
        save(&mut store, &solved).unwrap();
        assert_eq!(load(&mut store), (solved.clone(), None));
        let resumed = Scenario::from_json(&solved.get("c1").unwrap().document).unwrap();
        assert_eq!(resumed, d);
        assert_eq!(solved.forget("c1").get("c1"), None);
    }

    #[test]
    fn documents_that_are_no_attempt_are_not_recorded() {
        assert!(Progress::default()
            .record(&default_scenario(), 1, 1)
            .is_none());
        let mut shown = attempt_doc();
        if let Some(c) = shown.challenge.as_mut() {
            c.solution_shown = true;
        }
        assert!(Progress::default().record(&shown, 5, 5).is_none());
    }

    #[test]
    fn unreadable_progress_is_kept_aside() {
        let mut store = MemoryStore::default();
        store.set(PROGRESS_KEY, "{broken").unwrap();
        let (p, message) = load(&mut store);
        assert_eq!(p, Progress::default());
        assert!(message.unwrap().contains(CORRUPT_PROGRESS_KEY));
        assert_eq!(store.get(CORRUPT_PROGRESS_KEY).as_deref(), Some("{broken"));
    }

    #[test]
    fn another_tabs_attempts_are_kept_unless_started_over_here() {
        let mut store = MemoryStore::default();
        let mut other = attempt_doc();
        if let Some(c) = other.challenge.as_mut() {
            c.id = "c2".into();
        }
        let theirs = Progress::default().record(&other, 1, 4).unwrap();
        save(&mut store, &theirs).unwrap();
        let mine = Progress::default().record(&attempt_doc(), 2, 5).unwrap();
        save(&mut store, &mine).unwrap();
        let (both, _) = load(&mut store);
        assert_eq!(both.get("c1").map(|a| a.passed), Some(2));
        assert_eq!(
            both.get("c2").map(|a| a.passed),
            Some(1),
            "the other tab's attempt stays"
        );
        save(&mut store, &both.forget("c2")).unwrap();
        assert_eq!(load(&mut store).0.get("c2"), None, "started over here");
    }
}
