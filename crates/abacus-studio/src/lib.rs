//! The simulated SageMaker Studio world around a call: the world model, the action
//! catalogue, the request-context builder, the CloudTrail generator and scenario documents.
//!
//! Data flow: [`scenario::Scenario`] (the one document) → [`request::build_request`]
//! (principal + context keys) → `abacus_policy::authorize` → [`cloudtrail::record`].
//! [`evaluate::Workspace`] ties them together with a parse cache.

pub mod actions;
pub mod cloudtrail;
pub mod course;
pub mod derived;
pub mod evaluate;
pub mod implied;
pub mod locate;
pub mod model;
pub mod policy_text;
pub mod request;
pub mod scenario;
pub mod session;
pub mod share;
