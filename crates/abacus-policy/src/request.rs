//! The request an authorization decision is made for.
//!
//! This is the contract between the engine and everything that builds requests (the
//! Studio simulator, the CLI's case files, the web app). Its context keys are a
//! [`Context`] (see [`crate::context`]).

use serde::{Deserialize, Serialize};

pub use crate::context::{Context, ContextValue, LowerKey};

/// One authorization request: who calls which action on which resource, with which keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The calling principal's ARN, e.g.
    /// `arn:aws:sts::111122223333:assumed-role/StudioRole/SageMaker` or
    /// `arn:aws:iam::111122223333:user/alice`. The engine derives the principal kind
    /// (role session, role, IAM user, account root, service, federated user) from it.
    pub principal: String,
    /// `service:Action`, e.g. `sagemaker:StopTrainingJob`.
    pub action: String,
    /// The target resource ARN, or `*` for actions without a resource.
    pub resource: String,
    /// The request context keys.
    #[serde(default)]
    pub context: Context,
}
