//! Policy templates with typed slots, the library of seed samples, the scenario gallery
//! and the ABAC linter.
//!
//! - [`library`]: the embedded templates (`library/`), each with typed [`slot`]s whose
//!   defaults come from the simulated [`world`]; [`render`] fills them.
//! - [`placeholders`]: finds doc-style placeholders (`<region>`, `{account_number}`,
//!   `my_bucket`) in pasted text and suggests world values for them.

pub mod library;
pub mod placeholders;
pub mod render;
pub mod slot;
pub mod world;

pub use library::{Library, Persona, PolicyUse, Slot, Template};
pub use render::{Overrides, Rendered};
pub use slot::SlotKind;
pub use world::WorldFacts;
