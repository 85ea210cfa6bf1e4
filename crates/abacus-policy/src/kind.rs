//! The policy types of a request (IAM User Guide: "Policies and permissions in AWS
//! Identity and Access Management", policy types), shared by the parser and validator
//! (which policy shapes AWS accepts as each type), the evaluator, and the explanations.

use serde::{Deserialize, Serialize};

/// The policy types of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    /// Attached to the user or role (managed or inline).
    Identity,
    /// Attached to the resource: bucket policy, secret policy, key policy, role trust policy.
    Resource,
    /// The permissions boundary of the user or role.
    PermissionBoundary,
    /// Passed when the session was created.
    Session,
    /// AWS Organizations service control policy.
    Scp,
    /// AWS Organizations resource control policy.
    Rcp,
}

impl PolicyKind {
    /// The words AWS uses in AccessDenied messages: `identity-based policy`, ...
    pub fn describe(self) -> &'static str {
        self.describe_with_article()
            .split_once(' ')
            .map_or("", |(_, rest)| rest)
    }

    /// The same words with their indefinite article: `an identity-based policy`, `a session policy`.
    pub fn describe_with_article(self) -> &'static str {
        match self {
            PolicyKind::Identity => "an identity-based policy",
            PolicyKind::Resource => "a resource-based policy",
            PolicyKind::PermissionBoundary => "a permissions boundary",
            PolicyKind::Session => "a session policy",
            PolicyKind::Scp => "a service control policy",
            PolicyKind::Rcp => "a resource control policy",
        }
    }
}

/// Actions authorized by the role's trust policy, in lowercase (IAM User Guide: "IAM role
/// trust policies"; "Passing session tags in AWS STS"; "Monitor and control actions taken
/// with assumed roles" for `sts:SetSourceIdentity`). For these the resource-based policy
/// is the role's trust policy, which must allow.
const TRUST_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:setsourceidentity",
    "sts:tagsession",
    "sts:setcontext",
];

/// True when `action` (any case) is authorized by the role's trust policy.
pub fn is_trust_action(action: &str) -> bool {
    TRUST_ACTIONS.iter().any(|t| t.eq_ignore_ascii_case(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_drop_the_article() {
        assert_eq!(PolicyKind::Identity.describe(), "identity-based policy");
        assert_eq!(
            PolicyKind::PermissionBoundary.describe(),
            "permissions boundary"
        );
        assert_eq!(
            PolicyKind::Scp.describe_with_article(),
            "a service control policy"
        );
    }

    #[test]
    fn trust_actions_ignore_case() {
        assert!(is_trust_action("sts:AssumeRole"));
        assert!(is_trust_action("STS:TAGSESSION"));
        assert!(!is_trust_action("sts:GetCallerIdentity"));
    }
}
