//! The case format of `abacus eval` (`shared/DESIGN.md`, "Interfaces others rely on").
//!
//! A file holds one case or an array of cases:
//! `{"name", "request": {"principal", "action", "resource", "context"},
//! "identityPolicies": [doc], "resourcePolicy": doc, "permissionBoundaries": [doc],
//! "sessionPolicy": doc, "serviceControlPolicies": [[doc], ...],
//! "resourceControlPolicies": [[doc], ...], "managementAccountId", "expected"}`.
//! Outer SCP/RCP arrays are organization levels, root first. A doc is a JSON object, or
//! a JSON string holding policy text (so that malformed policies can be tested). Unknown
//! fields (`doc`, the AWS page a case cites; notes) are accepted and ignored.

use crate::authorize::{authorize, Authorization, NamedPolicy, PolicyKind, PolicySet};
use crate::decision::Decision;
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::request::Request;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A policy document in a case: its text, exactly as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDoc {
    /// The policy text (the object's source text, or the string's content).
    pub text: String,
}

impl<'de> Deserialize<'de> for PolicyDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
        let text = raw.get().trim_start();
        if text.starts_with('"') {
            let s: String = serde_json::from_str(text).map_err(serde::de::Error::custom)?;
            Ok(PolicyDoc { text: s })
        } else if text.starts_with('{') {
            Ok(PolicyDoc {
                text: text.to_owned(),
            })
        } else {
            Err(serde::de::Error::custom(
                "a policy must be a JSON object or a string holding policy text",
            ))
        }
    }
}

impl Serialize for PolicyDoc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// One test case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The AWS documentation page the case encodes (title), if given.
    #[serde(default)]
    pub doc: Option<String>,
    /// The request.
    pub request: Request,
    /// Identity-based policies.
    #[serde(default)]
    pub identity_policies: Vec<PolicyDoc>,
    /// Resource-based policy (or the role trust policy for STS role actions).
    #[serde(default)]
    pub resource_policy: Option<PolicyDoc>,
    /// Permissions boundaries.
    #[serde(default)]
    pub permission_boundaries: Vec<PolicyDoc>,
    /// Session policy.
    #[serde(default)]
    pub session_policy: Option<PolicyDoc>,
    /// SCPs by organization level, root first.
    #[serde(default)]
    pub service_control_policies: Vec<Vec<PolicyDoc>>,
    /// RCPs by organization level, root first.
    #[serde(default)]
    pub resource_control_policies: Vec<Vec<PolicyDoc>>,
    /// The organization's management account id, if it matters.
    #[serde(default)]
    pub management_account_id: Option<String>,
    /// The expected decision.
    #[serde(default)]
    pub expected: Option<Decision>,
}

impl Case {
    /// Parses every policy and assembles the policy set. Policies are named by role and
    /// position: `identity[0]`, `resource`, `scp[1][0]`, ...
    pub fn policy_set(&self) -> PolicySet {
        let named = |name: String, d: &PolicyDoc| NamedPolicy::from_text(name, &d.text);
        PolicySet {
            identity: self
                .identity_policies
                .iter()
                .enumerate()
                .map(|(i, d)| named(format!("identity[{i}]"), d))
                .collect(),
            resource: self
                .resource_policy
                .as_ref()
                .map(|d| named("resource".into(), d)),
            permission_boundaries: self
                .permission_boundaries
                .iter()
                .enumerate()
                .map(|(i, d)| named(format!("boundary[{i}]"), d))
                .collect(),
            session: self
                .session_policy
                .as_ref()
                .map(|d| named("session".into(), d)),
            scps: levels(&self.service_control_policies, "scp"),
            rcps: levels(&self.resource_control_policies, "rcp"),
            management_account_id: self.management_account_id.clone(),
            caller_side_only: false,
        }
    }
}

fn levels(levels: &[Vec<PolicyDoc>], prefix: &str) -> Vec<Vec<NamedPolicy>> {
    levels
        .iter()
        .enumerate()
        .map(|(l, docs)| {
            docs.iter()
                .enumerate()
                .map(|(i, d)| NamedPolicy::from_text(format!("{prefix}[{l}][{i}]"), &d.text))
                .collect()
        })
        .collect()
}

/// A diagnostic in one of a case's policies.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyDiagnostic {
    /// The policy's name within the case.
    pub policy: String,
    /// The diagnostic.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// The result of running one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseOutcome {
    /// The case's name.
    pub name: Option<String>,
    /// The decision.
    pub decision: Decision,
    /// The expected decision, if the case gave one.
    pub expected: Option<Decision>,
    /// `Some(true)` when it matched the expectation.
    pub passed: Option<bool>,
    /// Errors and warnings in the case's policies.
    pub diagnostics: Vec<PolicyDiagnostic>,
    /// The full authorization (decision, explanation, deciding statements, ...).
    pub authorization: Authorization,
}

/// Runs one case.
pub fn run_case(case: &Case) -> CaseOutcome {
    let set = case.policy_set();
    let authorization = authorize(&set, &case.request);
    let mut diagnostics = Vec::new();
    let all = set
        .identity
        .iter()
        .map(|p| (p, PolicyKind::Identity))
        .chain(set.resource.iter().map(|p| (p, PolicyKind::Resource)))
        .chain(
            set.permission_boundaries
                .iter()
                .map(|p| (p, PolicyKind::PermissionBoundary)),
        )
        .chain(set.session.iter().map(|p| (p, PolicyKind::Session)))
        .chain(set.scps.iter().flatten().map(|p| (p, PolicyKind::Scp)))
        .chain(set.rcps.iter().flatten().map(|p| (p, PolicyKind::Rcp)));
    for (p, kind) in all {
        for d in p.parsed.diagnostics_for(kind) {
            diagnostics.push(PolicyDiagnostic {
                policy: p.name.clone(),
                diagnostic: d,
            });
        }
    }
    CaseOutcome {
        name: case.name.clone(),
        decision: authorization.decision,
        expected: case.expected,
        passed: case.expected.map(|e| e == authorization.decision),
        diagnostics,
        authorization,
    }
}

/// A case file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseError {
    /// Lowercase message.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::fmt::Display for CaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Reads one case or an array of cases.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, CaseError> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<Case>),
        One(Box<Case>),
    }
    // parse to a value first so that errors carry serde_json's line and column
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| CaseError {
        message: e.to_string(),
        line: e.line().max(1),
        column: e.column().max(1),
    })?;
    let located = |e: serde_json::Error, index: Option<usize>| {
        let prefix = index.map(|i| format!("case {i}: ")).unwrap_or_default();
        CaseError {
            message: format!("{prefix}{e}"),
            line: e.line().max(1),
            column: e.column().max(1),
        }
    };
    match value {
        serde_json::Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| serde_json::from_value::<Case>(v).map_err(|e| located(e, Some(i))))
            .collect(),
        serde_json::Value::Object(_) => {
            // re-read from text so that each object doc keeps its exact source text
            match serde_json::from_str::<OneOrMany>(text) {
                Ok(OneOrMany::One(c)) => Ok(vec![*c]),
                Ok(OneOrMany::Many(v)) => Ok(v),
                Err(_) => serde_json::from_str::<Case>(text)
                    .map(|c| vec![c])
                    .map_err(|e| located(e, None)),
            }
        }
        _ => {
            let _ = LineIndex::new(text);
            Err(CaseError {
                message: "a case file holds a case object or an array of cases".into(),
                line: 1,
                column: 1,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // IAM User Guide: "Policy evaluation logic"
    #[test]
    fn reads_and_runs_cases() {
        let text = r#"[{"name":"a","doc":"Policy evaluation logic","request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
            "identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}],"expected":"Allow"},
            {"name":"b","request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
            "identityPolicies":["{\"Version\":\"2012-10-17\",\"Statement\":[[]]}"],"expected":"ImplicitDeny"}]"#;
        let cases = parse_cases(text).unwrap();
        assert_eq!(cases.len(), 2);
        let a = run_case(&cases[0]);
        assert_eq!(a.passed, Some(true));
        let b = run_case(&cases[1]);
        assert_eq!(b.passed, Some(true));
        assert!(b
            .diagnostics
            .iter()
            .any(|d| d.diagnostic.code == "policy-nested-statement-array"));
    }

    #[test]
    fn single_case_and_errors() {
        let one = r#"{"request":{"principal":"p","action":"s3:GetObject","resource":"*"}}"#;
        assert_eq!(parse_cases(one).unwrap().len(), 1);
        let err = parse_cases("{\n  \"request\": 1\n}").unwrap_err();
        assert!(err.line >= 1);
        let err = parse_cases("[1,").unwrap_err();
        assert_eq!(err.line, 1);
    }
}
