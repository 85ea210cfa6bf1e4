//! The app shell's long-lived work, as custom hooks that [`crate::app::App`] calls: they run
//! in the shell, so they go on whichever screen is shown (a screen's own effects live in its
//! component).

pub mod embed_height;
pub mod links;
pub mod matrix;
pub mod persistence;
pub mod reference;
pub mod shortcuts;

use std::rc::Rc;

/// An effect's dependency equal only to the very same value, or to none when none: for
/// values whose comparison by content would cost more than the effect (a document, a course,
/// a matrix of thousands of cells), and which change only by being replaced.
pub(crate) struct ByAddress<T>(pub(crate) Option<Rc<T>>);

impl<T> PartialEq for ByAddress<T> {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}
