//! The app's screens, one component each, shown by the shell ([`crate::app::App`]) one at a
//! time, plus the embed's page. Each reads the state, its dispatcher and the derived
//! results from context ([`crate::context`]) and builds the callbacks of the components it
//! shows ([`crate::components`]).

pub mod embed;
pub mod gallery;
pub mod matrix;
pub mod workspace;
pub mod world;
