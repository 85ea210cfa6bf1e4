//! What the app keeps in this browser: the autosave of the workspace (debounced, serialized
//! after the debounce), the challenge attempt checked with every change of its
//! expectations, the progress of all attempts, and the course being followed. An embed
//! keeps nothing.

use crate::codec::EmbedMode;
use crate::context::Store;
use crate::derive::Derived;
use crate::hooks::ByAddress;
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
    // a challenge attempt is recorded whenever its expectations are checked again: the
    // document (by address) or its pass count changed. The derived results themselves are
    // not the dependency: comparing them compared every policy item, option and record of
    // the screen on every keystroke
    {
        let dispatch = store.dispatcher();
        let attempt = embed.is_none() && store.doc.challenge.is_some();
        let passed = derived.expectations.iter().filter(|e| e.passed).count();
        let total = derived.expectations.len();
        use_effect_with(
            (ByAddress(Some(store.doc.clone())), attempt, passed, total),
            move |(ByAddress(doc), attempt, passed, total)| {
                if let (true, Some(doc)) = (*attempt, doc) {
                    dispatch.dispatch(Action::AttemptChecked {
                        doc: doc.clone(),
                        passed: *passed,
                        total: *total,
                    });
                }
            },
        );
    }
    // the course being followed, so that a reload comes back to it. The dependency is the
    // course itself compared by address: by value, every step's scenario would be compared
    // on every render (each keystroke), and a course changes only by being replaced
    {
        let dispatch = store.dispatcher();
        use_effect_with(ByAddress(store.course.clone()), move |ByAddress(course)| {
            if embed.is_none() {
                if let Err(e) = platform::save_course(course.as_deref()) {
                    dispatch.dispatch(Action::Notify(Some(crate::state::Notice::warning(
                        format!("the course could not be kept in this browser ({e}): after a reload, open it again"),
                    ))));
                }
            }
        });
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
