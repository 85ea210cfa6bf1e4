//! The three outcomes of AWS policy evaluation ("Policy evaluation logic", IAM User Guide).

use serde::{Deserialize, Serialize};

/// The final answer for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    /// Some applicable policy allows it, every required gate allows it, and nothing denies it.
    Allow,
    /// A statement with `"Effect": "Deny"` matched.
    ExplicitDeny,
    /// Nothing denied it, but nothing (or not every required policy type) allowed it.
    ImplicitDeny,
}

impl Decision {
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
        }
    }

    /// True for [`Decision::Allow`].
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
