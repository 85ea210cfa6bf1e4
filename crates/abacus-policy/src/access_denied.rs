//! The AccessDenied message AWS returns, with its reason (IAM User Guide:
//! "Troubleshoot access denied error messages").
//!
//! Format: `User: ARN is not authorized to perform: ACTION on resource: ARN REASON`,
//! where REASON is `with an explicit deny in a|an POLICY TYPE` or
//! `because no POLICY TYPE allows the ACTION action`.

use crate::kind::{is_trust_action, PolicyKind};
use crate::request::Request;
use serde::Serialize;

/// The AWS-style error a denied caller would see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessDenied {
    /// The full message: `User: ARN is not authorized to perform: ACTION on resource: ARN because ...`.
    pub message: String,
    /// The reason part: `because no identity-based policy allows the s3:GetObject action`.
    pub reason: String,
}

impl AccessDenied {
    /// Appends the denying policy's ARN to an explicit deny, as AWS's enhanced messages do:
    /// `... with an explicit deny in a service control policy: arn:aws:organizations::...`.
    pub fn name_policy(&mut self, arn: &str) {
        self.reason = format!("{}: {arn}", self.reason);
        self.message = format!("{}: {arn}", self.message);
    }
}

/// Why a request was denied, as AWS words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenyReason {
    /// A Deny statement in a policy of this type applied.
    Explicit(PolicyKind),
    /// No policy of this type allowed the request.
    NoAllow(PolicyKind),
}

/// The reason text, e.g. `because no identity-based policy allows the s3:GetObject action`.
/// For the actions a role's trust policy authorizes (`sts:AssumeRole`, `sts:TagSession`, ...)
/// the resource-based policy is named as AWS names it: `because no role trust policy allows
/// the sts:AssumeRole action`, `with an explicit deny in the role trust policy`.
pub fn reason_text(reason: DenyReason, action: &str) -> String {
    let trust = is_trust_action(action);
    match reason {
        DenyReason::Explicit(PolicyKind::Resource) if trust => {
            "with an explicit deny in the role trust policy".to_owned()
        }
        DenyReason::NoAllow(PolicyKind::Resource) if trust => {
            format!("because no role trust policy allows the {action} action")
        }
        DenyReason::Explicit(kind) => {
            format!("with an explicit deny in {}", kind.describe_with_article())
        }
        DenyReason::NoAllow(kind) => {
            format!("because no {} allows the {action} action", kind.describe())
        }
    }
}

/// The full AccessDenied for `request`.
pub fn access_denied(request: &Request, reason: DenyReason) -> AccessDenied {
    let reason = reason_text(reason, &request.action);
    // S3 quotes the resource ARN in its messages ("Troubleshoot access denied (403
    // Forbidden) errors in Amazon S3"); IAM's examples show it bare.
    let on = if request.resource.is_empty() || request.resource == "*" {
        String::new()
    } else if request.action.to_ascii_lowercase().starts_with("s3:") {
        format!(" on resource: \"{}\"", request.resource)
    } else {
        format!(" on resource: {}", request.resource)
    };
    AccessDenied {
        message: format!(
            "User: {} is not authorized to perform: {}{on} {reason}",
            request.principal, request.action
        ),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // IAM User Guide: "Troubleshoot access denied error messages": "... sts:AssumeRole because
    // no role trust policy allows the sts:AssumeRole action" and "... with an explicit deny in
    // the role trust policy"
    #[test]
    fn trust_policies_are_named_as_role_trust_policies() {
        assert_eq!(
            reason_text(DenyReason::NoAllow(PolicyKind::Resource), "sts:AssumeRole"),
            "because no role trust policy allows the sts:AssumeRole action"
        );
        assert_eq!(
            reason_text(DenyReason::Explicit(PolicyKind::Resource), "STS:TagSession"),
            "with an explicit deny in the role trust policy"
        );
        assert_eq!(
            reason_text(
                DenyReason::NoAllow(PolicyKind::Resource),
                "secretsmanager:GetSecretValue"
            ),
            "because no resource-based policy allows the secretsmanager:GetSecretValue action"
        );
    }

    // IAM User Guide: "Troubleshoot access denied error messages"
    #[test]
    fn wording() {
        let r = Request {
            principal: "arn:aws:iam::123456789012:user/MaryMajor".into(),
            action: "codecommit:ListRepositories".into(),
            resource: "*".into(),
            context: Default::default(),
        };
        assert_eq!(
            access_denied(&r, DenyReason::NoAllow(PolicyKind::Identity)).message,
            "User: arn:aws:iam::123456789012:user/MaryMajor is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action"
        );
        assert_eq!(
            reason_text(DenyReason::Explicit(PolicyKind::Scp), "x:Y"),
            "with an explicit deny in a service control policy"
        );
        assert_eq!(
            reason_text(DenyReason::Explicit(PolicyKind::Identity), "x:Y"),
            "with an explicit deny in an identity-based policy"
        );
    }
}
