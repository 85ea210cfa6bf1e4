//! The Abacus playground: a Yew single-page app over the engine crates.
//!
//! Data flows one way: the document ([`state`]) → derived results ([`derive`], computed by
//! the engine crates) → view models ([`view`]) → [`components`]. The shell ([`app`]) owns
//! the state and the derivation and hands both through [`context`] to the [`screens`] and
//! the [`chrome`] around them; what it runs whatever the screen is lives in [`hooks`].
//! Pure, DOM-free modules ([`codec`], [`store`], [`theme`], [`startup`], [`highlight`], [`view`], [`doc`], [`state`],
//! [`reference`], [`gallery_load`], [`progress`]) are
//! tested natively; components that need a DOM are tested with wasm-bindgen-test.

pub mod account_view;
pub mod app;
pub mod arn_shape;
pub mod challenge;
pub mod chrome;
pub mod codec;
pub mod components;
pub mod compress;
pub mod context;
pub mod course_nav;
pub mod derive;
pub mod doc;
pub mod editing;
pub mod gallery_load;
pub mod highlight;
pub mod hooks;
pub mod instructions;
pub mod markdown;
pub mod matrix_edit;
pub mod perf;
pub mod platform;
pub mod policy_edit;
pub mod progress;
pub mod reference;
pub mod screens;
pub mod stale;
pub mod startup;
pub mod state;
pub mod store;
pub mod theme;
pub mod view;

/// Mounts the app on `<body>`.
pub fn run() {
    platform::apply_stored_theme();
    yew::Renderer::<app::App>::new().render();
}
