//! The IAM JSON policy language for Abacus.
//!
//! Phases, each a module:
//! [`json`] (span-preserving JSON with error recovery) → [`parse`] (grammar → [`ast`]) →
//! [`validate`] (document-level checks) → [`authorize`] (AWS evaluation logic across
//! policy types, using [`wildcard`], [`variables`], [`conditions`], [`values`] and [`principal`]) →
//! [`explain`] and [`access_denied`]. [`case`] is the case-file format of `abacus eval`.
//! Shared vocabulary lives in [`diagnostic`], [`request`] (with its [`context`]), [`kind`] (the policy types) and
//! [`decision`].

pub mod access_denied;
pub mod ast;
pub mod authorize;
pub mod case;
pub mod codes;
pub mod conditions;
pub mod context;
pub mod decision;
pub mod diagnostic;
pub mod explain;
pub mod json;
pub mod kind;
pub mod order;
pub mod parse;
pub mod principal;
pub mod request;
pub mod validate;
pub mod values;
pub mod variables;
pub mod wildcard;

pub use access_denied::AccessDenied;
pub use ast::Effect;
pub use authorize::{
    authorize, authorize_decision, ActionSet, Authorization, NamedPolicy, PolicySet, StatementRef,
};
pub use decision::Decision;
pub use diagnostic::{Diagnostic, LineIndex, Position, Severity, Span};
pub use kind::PolicyKind;
pub use parse::{parse_policy, ParsedPolicy};
pub use request::{Context, ContextValue, LowerKey, Request};
