//! The IAM JSON policy language for Abacus.
//!
//! Phases, each a module with its own error type:
//! `parse` (span-preserving JSON → AST) → `validate` (grammar errors and warnings) →
//! `authorize` (AWS evaluation logic across policy types) → `explain` / `access_denied`.
//! Shared vocabulary lives in [`diagnostic`], [`request`] and [`decision`].

pub mod decision;
pub mod diagnostic;
pub mod request;

pub use decision::Decision;
pub use diagnostic::{Diagnostic, LineIndex, Position, Severity, Span};
pub use request::{Context, ContextValue, Request};
