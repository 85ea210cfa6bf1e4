//! The app shell's long-lived work, as custom hooks that [`crate::app::App`] calls: they run
//! in the shell, so they go on whichever screen is shown (a screen's own effects live in its
//! component).

pub mod embed_height;
pub mod links;
pub mod matrix;
pub mod persistence;
pub mod reference;
pub mod shortcuts;
