//! The app's components, one per file. Those with state or effects of their own, and those
//! the component tests mount on their own (the decision and request panels), are Yew
//! components; the others are functions of their properties, which render whenever the
//! screen showing them does, as they did when their callbacks were new on every render (a
//! component type costs wasm: about 0.8 KB gzip each here).

pub mod challenge;
pub mod cloudtrail;
pub mod completion;
pub mod decision;
pub mod diagnostics;
pub mod editor;
pub mod expectations;
pub mod gallery;
pub mod hover;
pub mod matrix;
pub mod overlay;
pub mod policies;
pub mod request;
pub mod summary;
pub mod trace;
pub mod world;
