//! The app's components, one per file.

pub mod challenge;
pub mod cloudtrail;
pub mod decision;
pub mod diagnostics;
pub mod editor;
pub mod expectations;
pub mod gallery;
pub mod matrix;
pub mod policies;
pub mod request;
pub mod trace;
pub mod world;
