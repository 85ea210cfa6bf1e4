//! View models: plain data the components render, derived from what the engine computed.
//!
//! Nothing here decides anything about IAM. It reshapes diagnostics, decisions, traces and
//! matrices for display, and diffs two matrices to show who gained or lost access.

use abacus_policy::{Decision, Diagnostic, Severity};
use serde_json::Value;

use crate::highlight::Mark;

/// The underline marks of a policy's diagnostics.
pub fn marks(diagnostics: &[Diagnostic]) -> Vec<Mark> {
    diagnostics
        .iter()
        .map(|d| Mark {
            start: d.span.start,
            end: d.span.end,
            severity: d.severity,
        })
        .collect()
}

/// `error`, `warning` or `info` counts, for a policy tab's badge.
pub fn severity_counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

/// The CSS class and human label of a decision.
pub fn decision_style(decision: Decision) -> (&'static str, &'static str) {
    match decision {
        Decision::Allow => ("allow", "Allow"),
        Decision::ExplicitDeny => ("explicit-deny", "Explicit deny"),
        Decision::ImplicitDeny => ("implicit-deny", "Implicit deny"),
    }
}

/// One node of the explanation tree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceNode {
    /// What this node is (policy name, statement sid, element, condition operator).
    pub label: String,
    /// Outcome word (`matched`, `not matched`, `Allow`, ...), if the engine gave one.
    pub status: Option<String>,
    /// Whether the outcome reads as positive (matched / true / allow).
    pub positive: Option<bool>,
    /// Scalar facts: resolved values, actual values, keys.
    pub facts: Vec<(String, String)>,
    /// Sub-nodes.
    pub children: Vec<TraceNode>,
}

const LABEL_FIELDS: [&str; 9] = [
    "policy_name",
    "policy",
    "name",
    "sid",
    "element",
    "operator",
    "key",
    "kind",
    "statement",
];
const STATUS_FIELDS: [&str; 6] = [
    "outcome", "matched", "matches", "result", "decision", "effect",
];

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some("null".to_owned()),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            Some(format!(
                "[{}]",
                items
                    .iter()
                    .filter_map(scalar_text)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
        _ => None,
    }
}

fn is_span(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.len() == 2 && o.contains_key("start") && o.contains_key("end"))
}

fn positive_word(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "matched" | "match" | "allow" | "yes" | "applies" => Some(true),
        "false" | "notmatched" | "not matched" | "nomatch" | "no match" | "deny"
        | "explicitdeny" | "implicitdeny" | "no" | "skipped" => Some(false),
        _ => None,
    }
}

fn humanize(key: &str) -> String {
    key.replace('_', " ")
}

/// Builds the explanation tree from the engine's serialized explanation, whatever its depth:
/// objects become nodes, arrays of objects become children, scalars become facts.
pub fn trace_from_json(value: &Value) -> Vec<TraceNode> {
    match value {
        Value::Array(items) => items.iter().flat_map(trace_from_json).collect(),
        Value::Object(_) => vec![node_from_object(value, "")],
        _ => Vec::new(),
    }
}

fn node_from_object(value: &Value, fallback: &str) -> TraceNode {
    let mut node = TraceNode {
        label: fallback.to_owned(),
        ..TraceNode::default()
    };
    let Some(obj) = value.as_object() else {
        return node;
    };
    let mut label_parts = Vec::new();
    for f in LABEL_FIELDS {
        if let Some(s) = obj.get(f).and_then(scalar_text) {
            if s != "null" {
                label_parts.push(s);
            }
        }
    }
    if !label_parts.is_empty() {
        node.label = label_parts.join(" · ");
    }
    for f in STATUS_FIELDS {
        if let Some(s) = obj.get(f).and_then(scalar_text) {
            node.positive = positive_word(&s);
            node.status = Some(match obj.get(f) {
                Some(Value::Bool(true)) => "matched".to_owned(),
                Some(Value::Bool(false)) => "not matched".to_owned(),
                _ => s,
            });
            break;
        }
    }
    for (key, v) in obj {
        if LABEL_FIELDS.contains(&key.as_str())
            || STATUS_FIELDS.contains(&key.as_str())
            || is_span(v)
        {
            continue;
        }
        match v {
            Value::Object(_) => node.children.push(node_from_object(v, &humanize(key))),
            Value::Array(items) if items.iter().any(Value::is_object) => {
                for item in items {
                    node.children.push(node_from_object(item, &humanize(key)));
                }
            }
            _ => {
                if let Some(text) = scalar_text(v) {
                    if text != "null" && text != "[]" {
                        node.facts.push((humanize(key), text));
                    }
                }
            }
        }
    }
    node
}

/// One column of the access matrix: an action against the user's own or others' resources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixColumn {
    /// `service:Action`.
    pub action: String,
    /// `own`, `others`, or `*` for actions without a per-user resource.
    pub scope: String,
}

impl MatrixColumn {
    /// The header text.
    pub fn label(&self) -> String {
        if self.scope.is_empty() || self.scope == "*" {
            self.action.clone()
        } else {
            format!("{} ({})", self.action, self.scope)
        }
    }
}

/// The access matrix as displayed: users × columns of decisions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatrixView {
    /// Row headers (user profile names).
    pub users: Vec<String>,
    /// Column headers.
    pub columns: Vec<MatrixColumn>,
    /// `cells[user][column]`.
    pub cells: Vec<Vec<Decision>>,
}

impl MatrixView {
    /// The decision for `user` and `column`, looked up by name.
    pub fn get(&self, user: &str, column: &MatrixColumn) -> Option<Decision> {
        let r = self.users.iter().position(|u| u == user)?;
        let c = self.columns.iter().position(|x| x == column)?;
        self.cells.get(r)?.get(c).copied()
    }

    /// How many cells allow.
    pub fn allowed(&self) -> usize {
        self.cells
            .iter()
            .flatten()
            .filter(|d| d.is_allowed())
            .count()
    }
}

/// One changed cell between two matrices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixChange {
    /// The user.
    pub user: String,
    /// The column.
    pub column: MatrixColumn,
    /// Before the edit (`None` if the row or column is new).
    pub before: Option<Decision>,
    /// After the edit.
    pub after: Decision,
}

impl MatrixChange {
    /// True when access was gained (not allowed before, allowed now).
    pub fn gained(&self) -> bool {
        self.after.is_allowed() && !self.before.is_some_and(Decision::is_allowed)
    }
}

/// Cells whose allow/deny outcome changed from `before` to `after` (a change between the two
/// kinds of deny is listed too: it changes the AccessDenied message users see).
pub fn matrix_diff(before: &MatrixView, after: &MatrixView) -> Vec<MatrixChange> {
    let mut out = Vec::new();
    for (r, user) in after.users.iter().enumerate() {
        for (c, column) in after.columns.iter().enumerate() {
            let Some(now) = after.cells.get(r).and_then(|row| row.get(c)).copied() else {
                continue;
            };
            let was = before.get(user, column);
            if was != Some(now) && !(was.is_none() && !now.is_allowed()) {
                out.push(MatrixChange {
                    user: user.clone(),
                    column: column.clone(),
                    before: was,
                    after: now,
                });
            }
        }
    }
    // access lost by a user or column that no longer exists is still a loss
    for (r, user) in before.users.iter().enumerate() {
        for (c, column) in before.columns.iter().enumerate() {
            let was = before.cells.get(r).and_then(|row| row.get(c)).copied();
            if was.is_some_and(Decision::is_allowed) && after.get(user, column).is_none() {
                out.push(MatrixChange {
                    user: user.clone(),
                    column: column.clone(),
                    before: was,
                    after: Decision::ImplicitDeny,
                });
            }
        }
    }
    out
}

/// One `<option>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt {
    /// The value sent back on change.
    pub value: String,
    /// What the user reads.
    pub label: String,
}

impl Opt {
    /// An option whose label is its value.
    pub fn same(v: impl Into<String>) -> Self {
        let value = v.into();
        Self {
            label: value.clone(),
            value,
        }
    }
}

/// A request parameter the chosen action needs (tags on create, S3 prefix, file system path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamField {
    /// Parameter key, e.g. `aws:RequestTag/team` or `s3:prefix`.
    pub key: String,
    /// Field label.
    pub label: String,
    /// Current value.
    pub value: String,
    /// Example value.
    pub placeholder: String,
}

/// Everything the request panel shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestView {
    /// Users to simulate.
    pub users: Vec<Opt>,
    /// The chosen user.
    pub user: String,
    /// Facts about the chosen user (profile, domain, role, tags, source identity).
    pub identity: Vec<(String, String)>,
    /// Actions.
    pub actions: Vec<Opt>,
    /// The chosen action.
    pub action: String,
    /// Resources of the world that fit the action.
    pub resources: Vec<Opt>,
    /// The chosen resource id, or [`CUSTOM_ARN`].
    pub resource: String,
    /// The ARN typed by the user when `resource` is [`CUSTOM_ARN`].
    pub custom_arn: String,
    /// The ARN the call targets.
    pub resource_arn: String,
    /// Routes (Studio space, job, access keys, ...).
    pub routes: Vec<Opt>,
    /// The chosen route.
    pub route: String,
    /// Parameters the action needs.
    pub params: Vec<ParamField>,
}

/// The `resource-select` value meaning "type an ARN".
pub const CUSTOM_ARN: &str = "__custom_arn";

/// A change made in the request panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestEdit {
    /// Another user.
    User(String),
    /// Another action.
    Action(String),
    /// Another resource id (or [`CUSTOM_ARN`]).
    Resource(String),
    /// The typed ARN.
    CustomArn(String),
    /// Another route.
    Route(String),
    /// A parameter value.
    Param(String, String),
}

/// A policy in the left-hand list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyItem {
    /// Display name.
    pub name: String,
    /// Group heading: identity, resource, boundary, session, SCP, RCP, trust.
    pub kind: String,
    /// What it is attached to.
    pub attached_to: String,
    /// Error count.
    pub errors: usize,
    /// Warning and lint count.
    pub warnings: usize,
    /// One of its statements decided the current request.
    pub deciding: bool,
}

/// The decision panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionView {
    /// The outcome.
    pub decision: Decision,
    /// `principal action resource`, one line.
    pub request_line: String,
    /// The full AWS AccessDenied message, when denied.
    pub message: Option<String>,
    /// Why (the reason clause).
    pub reason: Option<String>,
    /// The statements that decided it, as text.
    pub deciding: Vec<String>,
    /// Keys the policies test that the request lacks.
    pub missing_keys: Vec<String>,
}

/// A card in the gallery (a scenario or a template).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    /// Stable id sent back when opened.
    pub id: String,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub description: String,
    /// Section heading (seed use case, `Challenges`, template kind).
    pub group: String,
    /// Small facts, e.g. `seed 001`, `identity`.
    pub tags: Vec<String>,
    /// Pass/fail of a challenge's expectations, when it has any: (passed, label).
    pub badge: Option<(bool, String)>,
}

/// A change made in the world editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorldEdit {
    /// A new user profile in a domain, with a team tag (empty for none).
    AddUser {
        /// Profile name.
        name: String,
        /// Domain id.
        domain: String,
        /// `team` tag value.
        team: String,
    },
    /// A tag on a user profile.
    TagUser {
        /// Profile name.
        user: String,
        /// Tag key.
        key: String,
        /// Tag value.
        value: String,
    },
    /// A new resource.
    AddResource {
        /// Resource type id from the catalogue.
        resource_type: String,
        /// Name in the ARN.
        name: String,
        /// Owning profile (empty for none).
        owner: String,
        /// Created from Studio (gets the automatic tags).
        created_in_studio: bool,
    },
    /// A tag on a resource.
    TagResource {
        /// Resource id.
        resource: String,
        /// Tag key.
        key: String,
        /// Tag value.
        value: String,
    },
}

/// A row of a world table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorldRow {
    /// Cells, in column order.
    pub cells: Vec<String>,
}

/// What the world editor shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorldView {
    /// Account, region, partition.
    pub summary: Vec<(String, String)>,
    /// Users: name, domain, role, source identity, tags.
    pub users: Vec<WorldRow>,
    /// Roles: name, persona, tags.
    pub roles: Vec<WorldRow>,
    /// Resources: id, type, ARN, owner, tags.
    pub resources: Vec<WorldRow>,
    /// Teams (values of the `team` tags).
    pub teams: Vec<String>,
    /// Domain ids, for the add-user form.
    pub domains: Vec<String>,
    /// Resource type ids, for the add-resource form.
    pub resource_types: Vec<String>,
    /// User names, for owner and tag forms.
    pub user_names: Vec<String>,
    /// Resource ids, for the tag form.
    pub resource_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn col(a: &str, s: &str) -> MatrixColumn {
        MatrixColumn {
            action: a.into(),
            scope: s.into(),
        }
    }

    #[test]
    fn diff_lists_gains_and_losses() {
        use Decision::*;
        let before = MatrixView {
            users: vec!["alice".into(), "bob".into()],
            columns: vec![
                col("sagemaker:StopTrainingJob", "own"),
                col("sagemaker:StopTrainingJob", "others"),
            ],
            cells: vec![vec![Allow, ImplicitDeny], vec![Allow, ImplicitDeny]],
        };
        let mut after = before.clone();
        after.cells[0][1] = Allow; // alice gains
        after.cells[1][0] = ExplicitDeny; // bob loses
        let d = matrix_diff(&before, &after);
        assert_eq!(d.len(), 2);
        assert!(d[0].gained() && d[0].user == "alice");
        assert!(!d[1].gained() && d[1].user == "bob");
        assert!(matrix_diff(&before, &before).is_empty());
    }

    #[test]
    fn diff_reports_removed_users_that_had_access() {
        use Decision::*;
        let before = MatrixView {
            users: vec!["carol".into()],
            columns: vec![col("s3:GetObject", "own")],
            cells: vec![vec![Allow]],
        };
        let after = MatrixView {
            users: vec![],
            columns: before.columns.clone(),
            cells: vec![],
        };
        let d = matrix_diff(&before, &after);
        assert_eq!(d.len(), 1);
        assert!(!d[0].gained());
        assert_eq!(before.allowed(), 1);
    }

    #[test]
    fn trace_tree_follows_the_json_shape() {
        let explanation = json!({
            "policies": [{
                "policy_name": "TeamAccess",
                "kind": "Identity",
                "statements": [{
                    "sid": "OwnJobs",
                    "matched": false,
                    "span": {"start": 1, "end": 9},
                    "conditions": [{
                        "operator": "StringEquals",
                        "key": "aws:ResourceTag/owner",
                        "matched": false,
                        "policy_values": ["${aws:SourceIdentity}"],
                        "resolved_values": ["alice"],
                        "actual": ["bob"]
                    }]
                }]
            }]
        });
        let tree = trace_from_json(&explanation);
        assert_eq!(tree.len(), 1);
        let policy = &tree[0].children[0];
        assert_eq!(policy.label, "TeamAccess · Identity");
        let stmt = &policy.children[0];
        assert_eq!(stmt.label, "OwnJobs");
        assert_eq!(stmt.status.as_deref(), Some("not matched"));
        assert_eq!(stmt.positive, Some(false));
        let cond = &stmt.children[0];
        assert_eq!(cond.label, "StringEquals · aws:ResourceTag/owner");
        assert!(cond
            .facts
            .contains(&("resolved values".into(), "[alice]".into())));
        assert!(cond.facts.contains(&("actual".into(), "[bob]".into())));
        assert!(stmt.facts.iter().all(|(k, _)| k != "span"));
    }

    #[test]
    fn decision_styles_are_distinct() {
        let all = [
            Decision::Allow,
            Decision::ExplicitDeny,
            Decision::ImplicitDeny,
        ]
        .map(decision_style);
        assert_ne!(all[0].0, all[1].0);
        assert_ne!(all[1].0, all[2].0);
    }
}
