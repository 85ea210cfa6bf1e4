//! The Abacus playground: a Yew single-page app over the engine crates.
//!
//! Pure, DOM-free modules ([`codec`], [`store`], [`highlight`], [`view`]) are tested
//! natively; the components live in [`components`] and are tested with wasm-bindgen-test.

pub mod codec;
pub mod components;
pub mod highlight;
pub mod perf;
pub mod store;
pub mod view;
