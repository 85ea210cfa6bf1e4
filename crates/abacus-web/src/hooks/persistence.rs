//! What the app keeps in this browser: the autosave of the workspace (debounced, serialized
//! after the debounce), the challenge attempt checked with every change of its
//! expectations, the progress of all attempts, and the course being followed. An embed
//! keeps nothing.

use crate::codec::EmbedMode;
use crate::context::Store;
use crate::derive::Derived;
use crate::platform;
use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;

/// Saves the document and the challenge progress as they change.
#[hook]
pub fn use_persistence(store: &Store, embed: Option<EmbedMode>, derived: &Rc<Derived>) {
    let loaded_progress = store.progress.clone();
    let loaded_progress = use_memo((), move |_| loaded_progress);
    // autosave (debounced inside)
    {
        let d = store.doc.clone();
        let dispatch = store.dispatcher();
        use_effect_with(store.revision, move |rev| {
            if *rev > 0 && embed.is_none() {
                platform::autosave_later(d, move |n| dispatch.dispatch(Action::Notify(Some(n))));
            }
        });
    }
    // a challenge attempt is recorded whenever its expectations are checked again
    {
        let dispatch = store.dispatcher();
        let attempt = embed.is_none() && store.doc.challenge.is_some();
        let doc = store.doc.clone();
        use_effect_with((derived.clone(), attempt), move |(d, attempt)| {
            if *attempt {
                let passed = d.expectations.iter().filter(|e| e.passed).count();
                let total = d.expectations.len();
                dispatch.dispatch(Action::AttemptChecked { doc, passed, total });
            }
        });
    }
    // the course being followed, so that a reload comes back to it. The dependency is the
    // course itself compared by address: by value, every step's scenario would be compared
    // on every render (each keystroke), and a course changes only by being replaced
    {
        let dispatch = store.dispatcher();
        use_effect_with(
            SameCourse(store.course.clone()),
            move |SameCourse(course)| {
                if embed.is_none() {
                    if let Err(e) = platform::save_course(course.as_deref()) {
                        dispatch.dispatch(Action::Notify(Some(crate::state::Notice::warning(
                        format!("the course could not be kept in this browser ({e}): after a reload, open it again"),
                    ))));
                    }
                }
            },
        );
    }
    {
        let dispatch = store.dispatcher();
        use_effect_with(store.progress.clone(), move |p| {
            // the progress as loaded is never written back: when it could not be read nor
            // backed up, it stays untouched until the attendee records an attempt
            if embed.is_none() && !Rc::ptr_eq(p, &loaded_progress) {
                platform::save_progress_later(p.clone(), move |n| {
                    dispatch.dispatch(Action::Notify(Some(n)))
                });
            }
        });
    }
}

/// The course being followed, equal only to the very same course (see above).
struct SameCourse(Option<Rc<abacus_studio::course::Course>>);

impl PartialEq for SameCourse {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}
