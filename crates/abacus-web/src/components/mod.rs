//! The app's components, one per file.

pub mod cloudtrail;
pub mod decision;
pub mod diagnostics;
pub mod editor;
pub mod policies;
pub mod request;
pub mod trace;
