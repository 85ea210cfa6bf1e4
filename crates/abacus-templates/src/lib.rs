//! Policy templates with typed slots, the library of seed samples, the scenario gallery
//! and the ABAC linter.
//!
//! - [`library`]: the embedded templates (`library/`), each with typed [`slot`]s whose
//!   defaults come from the simulated [`world`]; [`render`] fills them.
//! - [`placeholders`]: finds doc-style placeholders (`<region>`, `{account_number}`,
//!   `my_bucket`) in pasted text and suggests world values for them.
//! - [`lint`]: the ABAC linter and the Access Analyzer-like policy summary.
//! - [`fixes`]: the quick fix of a finding, where there is a mechanical one.
//! - [`format`]: "Format document", a pretty-print that changes only whitespace.
//! - [`hover`]: what the name under the caret or pointer is, for the editor's hover.
//! - [`complete`]: completion at the editor's caret (element names, actions, operators,
//!   condition keys) from the Service Authorization Reference.
//! - [`gallery`]: ready scenarios per seed use case and workshop challenges.
//! - [`bundle`]: the gallery and the library as one file, which the web app fetches.
//! - [`originals`]: the seed samples exactly as printed, with the diagnostics they must get.

pub mod bundle;
pub mod complete;
pub mod courses;
pub mod fixes;
pub mod format;
pub mod gallery;
pub mod hover;
pub mod library;
pub mod lint;
pub mod originals;
pub mod placeholders;
pub mod render;
pub mod slot;
pub mod world;

// The build script's JSON helpers, for their unit tests.
#[cfg(test)]
#[path = "../build/json_text.rs"]
mod json_text;

pub use library::{Library, Persona, PolicyUse, Slot, Template};
pub use render::{Overrides, Rendered};
pub use slot::SlotKind;
pub use world::WorldFacts;
