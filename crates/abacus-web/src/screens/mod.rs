//! The app's screens, shown by the shell ([`crate::app::App`]) one at a time, plus the
//! embed's page. Each builds the callbacks of the components it shows
//! ([`crate::components`]) from the state and its dispatcher ([`crate::context::Store`]).
//! The screens with no state of their own are functions the shell calls with the store and
//! the derived results, each page keyed so that changing screens replaces it as a
//! component would be replaced; the Gallery, which fetches the gallery when it opens, is a
//! component reading the store from context.

pub mod account;
pub mod embed;
pub mod gallery;
pub mod matrix;
pub mod workspace;
pub mod world;
