//! View models: plain data the components render, derived from what the engine computed.
//!
//! Nothing here decides anything about IAM. It reshapes diagnostics, decisions, traces and
//! matrices for display, and diffs two matrices to show who gained or lost access.

use abacus_policy::conditions::ConditionOutcome;
use abacus_policy::explain::{
    ConditionTrace, Explanation, PolicyStatus, StatementTrace, StepOutcome, ValueTrace,
};
use abacus_policy::{Decision, Diagnostic, Severity, StatementRef};
use abacus_studio::evaluate::MatrixTooLarge;

use crate::highlight::Mark;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

// The editor's view models: what derive computes and the editor component draws.

/// A range of lines to tint, e.g. a deciding statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    /// First line, 1-based.
    pub first_line: usize,
    /// Last line, inclusive.
    pub last_line: usize,
    /// CSS class: `band-allow` or `band-deny`.
    pub class: &'static str,
}

/// A diagnostic message shown at the end of its line (inline, like an error lens).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineNote {
    /// 1-based line.
    pub line: usize,
    /// How serious.
    pub severity: Severity,
    /// `code: message`.
    pub text: String,
    /// True when a finding on the line has a quick fix (the note shows a lightbulb).
    pub fixable: bool,
}

/// A request to move the caret (from a click on a diagnostic). `nonce` makes repeated
/// clicks on the same diagnostic move the caret again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jump {
    /// Byte offset to select from.
    pub start: usize,
    /// Byte offset to select to.
    pub end: usize,
    /// Changes on every request.
    pub nonce: u32,
}

/// A quick fix to apply in the editor (from the diagnostics list), through its undo
/// history. `nonce` changes on every request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuickEdit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// The new text.
    pub replacement: String,
    /// Changes on every request.
    pub nonce: u32,
}

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

/// The editor's inline notes: one per line, the first diagnostic starting there. The last
/// `policy-too-many-diagnostics` (the parser's "N more not shown") is never hidden: on a
/// line that already has a note it is appended to it. Linear in the diagnostics.
pub fn line_notes(diagnostics: &[Diagnostic]) -> Vec<LineNote> {
    line_notes_with_fixes(diagnostics, &[])
}

/// [`line_notes`], a line with a quick fix (`fixable[i]` for diagnostic `i`) marked with a
/// lightbulb and its shortcut.
pub fn line_notes_with_fixes(diagnostics: &[Diagnostic], fixable: &[bool]) -> Vec<LineNote> {
    let mut out: Vec<LineNote> = Vec::new();
    // the note of each line, by line number (lines are few next to the text)
    let lines = diagnostics.iter().map(|d| d.start.line).max().unwrap_or(0);
    let mut at_line: Vec<Option<usize>> = vec![None; lines + 1];
    for (i, d) in diagnostics.iter().enumerate() {
        let Some(slot) = at_line.get_mut(d.start.line) else {
            continue;
        };
        let fix = fixable.get(i).copied().unwrap_or(false);
        match slot.and_then(|i| out.get_mut(i)) {
            Some(note) if d.code == "policy-too-many-diagnostics" => {
                note.text.push_str(" · ");
                note.text.push_str(&d.message);
                note.severity = note.severity.min(d.severity);
            }
            Some(_) => {}
            None => {
                *slot = Some(out.len());
                out.push(LineNote {
                    line: d.start.line,
                    severity: d.severity,
                    text: if fix {
                        format!("Ctrl+. fixes · {}", d.message)
                    } else {
                        d.message.clone()
                    },
                    fixable: fix,
                });
            }
        }
    }
    out
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
    /// Outcome word (`matches`, `no match`, `Allow`, ...), if the engine gave one.
    pub status: Option<&'static str>,
    /// Whether the outcome reads as positive (matched / true / allow).
    pub positive: Option<bool>,
    /// Scalar facts (name, value): resolved values, actual values, keys.
    pub facts: Vec<(&'static str, String)>,
    /// Sub-nodes (read them with [`TraceNode::children`]).
    pub children: Vec<TraceNode>,
    /// This statement decided the request.
    pub deciding: bool,
    /// The statements of a policy that did not apply, not converted into nodes yet: in a
    /// world of hundreds of policies they are most of the explanation, shown only when the
    /// user opens them (or copies or prints the explanation).
    pub later: Option<Later>,
}

/// Statement traces to convert when they are shown (see [`TraceNode::later`]). None of them
/// decided the request.
#[derive(Clone, Debug, PartialEq)]
pub struct Later(Rc<Vec<StatementTrace>>);

fn value_fact(v: &ValueTrace) -> String {
    let resolved = match &v.resolved {
        Some(r) if *r != v.written => format!("{} → {}", v.written, r),
        Some(_) => v.written.clone(),
        None if v.written.contains("${") => format!("{} → (no value)", v.written),
        None => v.written.clone(),
    };
    let mark = if v.matched { "✓" } else { "✗" };
    match &v.note {
        Some(n) => format!("{mark} {resolved} ({n})"),
        None => format!("{mark} {resolved}"),
    }
}

fn condition_node(c: &ConditionTrace) -> TraceNode {
    let (status, positive) = match c.outcome {
        ConditionOutcome::Matched => ("true", true),
        ConditionOutcome::Failed => ("false", false),
        ConditionOutcome::FailedBecauseMissing => ("false: key missing", false),
        ConditionOutcome::MatchedBecauseMissing => ("true: key missing", true),
    };
    let actual = match &c.request_values {
        Some(vs) if vs.is_empty() => "[] (empty set)".to_owned(),
        Some(vs) => vs.join(", "),
        None => "(missing from the request)".to_owned(),
    };
    let mut facts = vec![("request value", actual)];
    facts.extend(c.values.iter().map(|v| ("policy value", value_fact(v))));
    if !c.detail.is_empty() {
        facts.push(("why", c.detail.clone()));
    }
    TraceNode {
        deciding: false,
        label: format!("{} {}", c.operator, c.key),
        status: Some(status),
        positive: Some(positive),
        facts,
        children: Vec::new(),
        later: None,
    }
}

fn statement_node(s: &StatementTrace) -> TraceNode {
    let sid = s
        .sid
        .as_deref()
        .map(|x| format!(" {x}"))
        .unwrap_or_default();
    let mut children: Vec<TraceNode> = s
        .elements
        .iter()
        .map(|e| {
            let mut facts = vec![("request", e.request_value.clone())];
            facts.extend(e.values.iter().map(|v| ("value", value_fact(v))));
            if !e.detail.is_empty() {
                facts.push(("why", e.detail.clone()));
            }
            TraceNode {
                deciding: false,
                label: e.element.clone(),
                status: Some(if e.matched { "matches" } else { "no match" }),
                positive: Some(e.matched),
                facts,
                children: Vec::new(),
                later: None,
            }
        })
        .collect();
    children.extend(s.conditions.iter().map(condition_node));
    let mut facts = Vec::new();
    if let Some(g) = &s.grant {
        facts.push(("principal grant", format!("{g:?}")));
    }
    TraceNode {
        deciding: false,
        label: format!("Statement {}{sid} ({})", s.index + 1, s.effect.as_str()),
        status: Some(if s.applies {
            "applies"
        } else {
            "does not apply"
        }),
        positive: Some(s.applies),
        facts,
        children,
        later: None,
    }
}

/// The explanation tree of the engine's [`Explanation`]: the evaluation steps, then each
/// policy > statement > element and condition, with written, resolved and actual values.
/// The policies' traces are moved out of `e`: those of policies that did not apply are kept
/// as they are, to be converted when shown ([`TraceNode::later`]).
#[inline(never)] // called for the call and for each check it needs: one copy in the bundle
pub fn trace_from_explanation(e: &mut Explanation, deciding: &[StatementRef]) -> Vec<TraceNode> {
    let steps = TraceNode {
        deciding: false,
        label: "Evaluation".to_owned(),
        status: Some(e.decision.as_str()),
        positive: Some(e.decision.is_allowed()),
        facts: vec![
            ("summary", e.summary.clone()),
            (
                "principal",
                format!("{} ({:?})", e.principal.arn, e.principal.kind),
            ),
        ],
        children: e
            .steps
            .iter()
            .map(|s| TraceNode {
                deciding: false,
                label: s.name.clone(),
                status: Some(match s.outcome {
                    StepOutcome::Continue => "Continue",
                    StepOutcome::Skipped => "Skipped",
                    StepOutcome::Allow => "Allow",
                    StepOutcome::ExplicitDeny => "ExplicitDeny",
                    StepOutcome::ImplicitDeny => "ImplicitDeny",
                }),
                positive: match s.outcome {
                    StepOutcome::Allow => Some(true),
                    StepOutcome::ExplicitDeny | StepOutcome::ImplicitDeny => Some(false),
                    StepOutcome::Continue | StepOutcome::Skipped => None,
                },
                facts: vec![("detail", s.detail.clone())],
                children: Vec::new(),
                later: None,
            })
            .collect(),
        later: None,
    };
    let mut out = vec![steps];
    out.extend(std::mem::take(&mut e.policies).into_iter().map(|p| {
        let level = p.level.map(|l| format!(", level {l}")).unwrap_or_default();
        let (status, positive) = match p.status {
            PolicyStatus::Allows => ("allows", Some(true)),
            PolicyStatus::Denies => ("denies", Some(false)),
            PolicyStatus::NoMatch => ("no statement applies", None),
            PolicyStatus::NotApplicable => ("not applicable", None),
            PolicyStatus::Invalid => ("invalid: not evaluated", Some(false)),
        };
        let decided = |st: &StatementTrace| {
            deciding
                .iter()
                .any(|d| d.policy_name == p.name && d.index == st.index && d.kind == p.kind)
        };
        let shown_later = positive.is_none() && !p.statements.iter().any(decided);
        let (children, later) = if shown_later {
            (Vec::new(), Some(Later(Rc::new(p.statements))))
        } else {
            let children = p
                .statements
                .iter()
                .map(|st| {
                    let mut node = statement_node(st);
                    node.deciding = decided(st);
                    node
                })
                .collect();
            (children, None)
        };
        TraceNode {
            deciding: false,
            label: format!("{} ({}{level})", p.name, p.kind.describe()),
            status: Some(status),
            positive,
            facts: p.note.map(|n| ("note", n)).into_iter().collect(),
            children,
            later,
        }
    }));
    out
}

impl TraceNode {
    /// The sub-nodes, converted now if they were kept for later.
    pub fn children(&self) -> Cow<'_, [TraceNode]> {
        match &self.later {
            Some(Later(statements)) => Cow::Owned(statements.iter().map(statement_node).collect()),
            None => Cow::Borrowed(&self.children),
        }
    }

    /// This node or one below it decided the request (statements kept for later did not).
    pub fn on_deciding_path(&self) -> bool {
        self.deciding || self.children.iter().any(TraceNode::on_deciding_path)
    }

    /// The node took part in the decision: it decided, allowed or denied, or matched.
    fn took_part(&self) -> bool {
        self.on_deciding_path() || self.positive.is_some()
    }
}

/// The explanation's top-level nodes for reading: (first, the rest). First come the
/// evaluation steps, the policies on the deciding path, and those that allowed or denied;
/// the rest (no statement applies, not applicable) are collapsed by the view.
pub fn trace_for_reading(nodes: &[TraceNode]) -> (Vec<&TraceNode>, Vec<&TraceNode>) {
    let (mut deciding, mut first, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for (i, n) in nodes.iter().enumerate() {
        if i == 0 || n.on_deciding_path() {
            deciding.push(n);
        } else if n.took_part() {
            first.push(n);
        } else {
            rest.push(n);
        }
    }
    deciding.extend(first);
    (deciding, rest)
}

/// The explanation as an indented plain-text outline, for pasting into a review document:
/// one `- label: status` line per node, its facts indented below it.
pub fn trace_outline(nodes: &[TraceNode]) -> String {
    fn walk(nodes: &[TraceNode], depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        for n in nodes {
            out.push_str(&pad);
            out.push_str("- ");
            out.push_str(&n.label);
            if let Some(s) = &n.status {
                out.push_str(": ");
                out.push_str(s);
            }
            if n.deciding {
                out.push_str(" (decided the request)");
            }
            out.push('\n');
            for (k, v) in &n.facts {
                out.push_str(&format!("{pad}    {k}: {v}\n"));
            }
            walk(&n.children(), depth + 1, out);
        }
    }
    let mut out = String::new();
    walk(nodes, 0, &mut out);
    out
}

#[cfg(test)]
mod trace_tests {
    use super::*;

    fn node(label: &str, positive: Option<bool>, deciding: bool) -> TraceNode {
        TraceNode {
            label: label.into(),
            status: Some("s"),
            positive,
            deciding,
            ..TraceNode::default()
        }
    }

    #[test]
    fn the_deciding_path_reads_first_and_what_did_not_apply_is_set_apart() {
        let mut decider = node("P3", Some(true), false);
        decider.children.push(node("Statement 1", Some(true), true));
        let nodes = vec![
            node("Evaluation", Some(true), false),
            node("P1", None, false),
            node("P2", Some(false), false),
            decider,
            node("P4", None, false),
        ];
        let (first, rest) = trace_for_reading(&nodes);
        let labels = |v: &[&TraceNode]| v.iter().map(|n| n.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(&first), ["Evaluation", "P3", "P2"]);
        assert_eq!(labels(&rest), ["P1", "P4"]);
    }

    #[test]
    fn the_outline_keeps_the_tree_structure() {
        let mut p = node("P", Some(true), false);
        let mut st = node("Statement 1", Some(true), true);
        st.facts.push(("request", "s3:GetObject".into()));
        p.children.push(st);
        assert_eq!(
            trace_outline(&[p]),
            "- P: s\n  - Statement 1: s (decided the request)\n      request: s3:GetObject\n"
        );
    }
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

/// Matrix rows or columns by name.
type Names<'a> = BTreeMap<(&'a str, &'a str), usize>;

/// The access matrix as displayed: users × columns of decisions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatrixView {
    /// Row headers (user profile names).
    pub users: Vec<String>,
    /// Column headers.
    pub columns: Vec<MatrixColumn>,
    /// `cells[user][column]`; `None` when no request could be built for the cell.
    pub cells: Vec<Vec<Option<Decision>>>,
    /// Why a `None` cell has no decision, by (row, column).
    pub no_decision: BTreeMap<(usize, usize), String>,
    /// Why the engine refused to compute the matrix (too many cells); then it is empty.
    pub refused: Option<MatrixTooLarge>,
}

impl MatrixView {
    fn cell(&self, row: usize, column: usize) -> Option<Decision> {
        self.cells.get(row)?.get(column).copied().flatten()
    }

    /// Rows and columns by name (`(user, "")`, `(action, scope)`), the first when a name
    /// repeats: one map type for both axes keeps the bundle small.
    fn names(&self) -> (Names<'_>, Names<'_>) {
        let mut rows = Names::new();
        for (i, u) in self.users.iter().enumerate() {
            rows.entry((u.as_str(), "")).or_insert(i);
        }
        let mut cols = Names::new();
        for (i, c) in self.columns.iter().enumerate() {
            cols.entry((c.action.as_str(), c.scope.as_str()))
                .or_insert(i);
        }
        (rows, cols)
    }

    /// Where each row and each column of `other` is in this matrix, by name: linear in rows
    /// plus columns (times a log), not in cells.
    fn positions_of(&self, other: &MatrixView) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
        let (rows, cols) = self.names();
        (
            other
                .users
                .iter()
                .map(|u| rows.get(&(u.as_str(), "")).copied())
                .collect(),
            other
                .columns
                .iter()
                .map(|c| cols.get(&(c.action.as_str(), c.scope.as_str())).copied())
                .collect(),
        )
    }

    /// For each cell, row by row: the [`MatrixChange::kind`] of its change, if `changes`
    /// lists it.
    pub fn changed_cells(&self, changes: &[MatrixChange]) -> Vec<Option<&'static str>> {
        let (rows, cols) = self.names();
        let width = self.columns.len();
        let mut out = vec![None; self.users.len() * width];
        for c in changes {
            let r = rows.get(&(c.user.as_str(), "")).copied();
            let k = cols.get(&(c.column.action.as_str(), c.column.scope.as_str()));
            if let Some(flag) = r
                .zip(k.copied())
                .and_then(|(r, k)| out.get_mut(r * width + k))
            {
                *flag = Some(c.kind());
            }
        }
        out
    }

    /// How many cells allow.
    pub fn allowed(&self) -> usize {
        self.cells
            .iter()
            .flatten()
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

    /// `gained`, `lost` (allowed before, not now), or `changed` (between the two kinds of
    /// deny: the same access, another AccessDenied message).
    pub fn kind(&self) -> &'static str {
        if self.gained() {
            "gained"
        } else if self.before.is_some_and(Decision::is_allowed) {
            "lost"
        } else {
            "changed"
        }
    }
}

/// Cells whose allow/deny outcome changed from `before` to `after` (a change between the two
/// kinds of deny is listed too: it changes the AccessDenied message users see).
pub fn matrix_diff(before: &MatrixView, after: &MatrixView) -> Vec<MatrixChange> {
    // linear: rows and columns are matched by name once, then cells by position
    let at = |rows: &[Option<usize>], cols: &[Option<usize>], r: usize, c: usize| {
        rows.get(r)
            .copied()
            .flatten()
            .zip(cols.get(c).copied().flatten())
    };
    let (rows, cols) = before.positions_of(after);
    let mut out = Vec::new();
    for (r, user) in after.users.iter().enumerate() {
        for (c, column) in after.columns.iter().enumerate() {
            let Some(now) = after.cell(r, c) else {
                continue;
            };
            let was = at(&rows, &cols, r, c).and_then(|(br, bc)| before.cell(br, bc));
            // a new row or column only counts when it brings access
            if was != Some(now) && (was.is_some() || now.is_allowed()) {
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
    let (rows, cols) = after.positions_of(before);
    for (r, user) in before.users.iter().enumerate() {
        for (c, column) in before.columns.iter().enumerate() {
            let was = before.cell(r, c);
            let now = at(&rows, &cols, r, c).and_then(|(ar, ac)| after.cell(ar, ac));
            if was.is_some_and(Decision::is_allowed) && now.is_none() {
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
    /// The chosen action (the list is [`crate::reference::action_picker`]'s, which depends
    /// on the filter and the loaded reference, not on the document).
    pub action: String,
    /// Resources of the world that fit the action.
    pub resources: Vec<Opt>,
    /// The chosen resource id (empty for none).
    pub resource: String,
    /// The ARN the call targets.
    pub resource_arn: String,
    /// The typed ARN, when the resource is named by ARN instead of picked from the world.
    pub custom_arn: Option<String>,
    /// Routes (Studio space, job, access keys, ...).
    pub routes: Vec<Opt>,
    /// The chosen route.
    pub route: String,
    /// Parameters the action needs.
    pub params: Vec<ParamField>,
}

/// A change made in the request panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestEdit {
    /// Another user.
    User(String),
    /// Another action.
    Action(String),
    /// Another resource id (empty for none, [`crate::doc::CUSTOM_ARN`] to type an ARN).
    Resource(String),
    /// The typed resource ARN.
    ResourceArn(String),
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

/// A statement that decided the request, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecidingRef {
    /// E.g. `TeamAccess (identity-based policy): statement 2 \`OwnJobs\` Allow`.
    pub label: String,
    /// Index of its policy in the document, when it is one of the workspace's policies.
    pub policy: Option<usize>,
    /// Byte range of the statement in the policy text.
    pub span: (usize, usize),
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
    /// The statements that decided it.
    pub deciding: Vec<DecidingRef>,
    /// Keys the policies test that the request lacks.
    pub missing_keys: Vec<String>,
}

/// One expectation of the scenario, checked against the current policies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectationView {
    /// What is checked.
    pub name: String,
    /// Expected decision.
    pub expected: Decision,
    /// Actual decision, when the request could be built.
    pub actual: Option<Decision>,
    /// Passed.
    pub passed: bool,
    /// Why it failed beyond the decision.
    pub problem: Option<String>,
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
    /// A hint for a challenge.
    pub hint: Option<String>,
    /// Whether a worked solution can be opened.
    pub has_solution: bool,
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
            cells: vec![
                vec![Some(Allow), Some(ImplicitDeny)],
                vec![Some(Allow), Some(ImplicitDeny)],
            ],
            refused: None,
            ..MatrixView::default()
        };
        let mut after = before.clone();
        after.cells[0][1] = Some(Allow); // alice gains
        after.cells[1][0] = Some(ExplicitDeny); // bob loses
        let d = matrix_diff(&before, &after);
        assert_eq!(d.len(), 2);
        assert!(d[0].gained() && d[0].user == "alice");
        assert!(!d[1].gained() && d[1].user == "bob");
        assert!(matrix_diff(&before, &before).is_empty());
        // the grid draws gains and losses apart
        assert_eq!(
            after.changed_cells(&d),
            vec![None, Some("gained"), Some("lost"), None]
        );
        // implicit to explicit deny is listed, but it is neither a gain nor a loss
        let mut denied = before.clone();
        denied.cells[1][1] = Some(ExplicitDeny);
        let d = matrix_diff(&before, &denied);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind(), "changed");
    }

    #[test]
    fn the_last_note_says_how_many_diagnostics_are_not_shown() {
        // 900 K `@` on one line: 200 diagnostics, then one counting the rest
        let text = "@".repeat(900_000);
        let parsed = abacus_policy::parse::parse_policy(&text);
        let last = parsed.diagnostics.last().unwrap();
        assert_eq!(last.code, "policy-too-many-diagnostics");
        let notes = line_notes(&parsed.diagnostics);
        assert_eq!(notes.len(), 1, "one line, one note");
        assert!(notes[0].text.ends_with(&last.message), "{}", notes[0].text);
        assert!(notes[0].text.contains("more diagnostics not shown"));
        // on its own line it is a note of its own
        let mut two = parsed.diagnostics.clone();
        two.last_mut().unwrap().start.line = 2;
        let notes = line_notes(&two);
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[1].text, last.message);
    }

    #[test]
    fn diff_is_linear_in_the_cells() {
        use Decision::*;
        // 3,000 users × 180 columns: the old diff scanned the names for every cell (cubic)
        let columns: Vec<MatrixColumn> =
            (0..180).map(|i| col(&format!("s3:A{i}"), "own")).collect();
        let before = MatrixView {
            users: (0..3_000).map(|i| format!("user{i}")).collect(),
            cells: vec![vec![Some(ImplicitDeny); columns.len()]; 3_000],
            columns,
            refused: None,
            ..MatrixView::default()
        };
        let mut after = before.clone();
        after.cells[2_999][179] = Some(Allow);
        after.users.push("newcomer".into());
        after.cells.push(vec![Some(Allow); 180]);
        let d = matrix_diff(&before, &after);
        // no wall-clock bound here (it would flake on a busy machine): the size makes a
        // quadratic regression obvious, and `cargo xtask bench` reports the timings
        assert_eq!(d.len(), 181);
        assert_eq!(
            (d[0].user.as_str(), d[0].column.action.as_str()),
            ("user2999", "s3:A179")
        );
        assert!(d[1..].iter().all(|c| c.user == "newcomer" && c.gained()));
        assert!(matrix_diff(&after, &after).is_empty());
        let flags = after.changed_cells(&d);
        assert_eq!(flags.iter().filter(|f| **f == Some("gained")).count(), 181);
        assert_eq!(flags[2_999 * 180 + 179], Some("gained"));
        assert_eq!(flags[3_000 * 180], Some("gained"));
        assert_eq!(flags[0], None);
    }

    #[test]
    fn diff_reports_removed_users_that_had_access() {
        use Decision::*;
        let before = MatrixView {
            users: vec!["carol".into()],
            columns: vec![col("s3:GetObject", "own")],
            cells: vec![vec![Some(Allow)]],
            refused: None,
            ..MatrixView::default()
        };
        let after = MatrixView {
            users: vec![],
            columns: before.columns.clone(),
            cells: vec![],
            refused: None,
            ..MatrixView::default()
        };
        let d = matrix_diff(&before, &after);
        assert_eq!(d.len(), 1);
        assert!(!d[0].gained());
        assert_eq!(before.allowed(), 1);
    }

    #[test]
    fn trace_shows_resolved_variables_actual_values_and_the_deciding_statement() {
        use abacus_policy::{authorize, NamedPolicy, PolicySet, Request};
        // IAM User Guide: "IAM policy elements: Variables and tags"
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "OwnJobs", "Effect": "Allow",
            "Action": "sagemaker:StopTrainingJob", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/owner": "${aws:SourceIdentity}"}}}]}"#;
        let set = PolicySet {
            identity: vec![NamedPolicy::from_text("Team", text)],
            ..PolicySet::default()
        };
        let mut request = Request {
            principal: "arn:aws:sts::111122223333:assumed-role/Studio/SageMaker".into(),
            action: "sagemaker:StopTrainingJob".into(),
            resource: "arn:aws:sagemaker:us-east-1:111122223333:training-job/bob-1".into(),
            ..Request::default()
        };
        request.context.insert_single("aws:SourceIdentity", "alice");
        request
            .context
            .insert_single("aws:ResourceTag/owner", "bob");
        let mut denied = authorize(&set, &request);
        let tree = trace_from_explanation(&mut denied.explanation, &denied.deciding);
        let policy = tree.iter().find(|n| n.label.starts_with("Team")).unwrap();
        // no statement applied: they are converted when shown, the same as at once
        assert!(policy.later.is_some() && policy.children.is_empty());
        assert!(trace_outline(&tree).contains("OwnJobs"), "copied in full");
        let children = policy.children();
        let stmt = &children[0];
        assert!(stmt.label.contains("OwnJobs"));
        assert_eq!(stmt.positive, Some(false));
        let cond = stmt
            .children
            .iter()
            .find(|c| c.label.starts_with("StringEquals"))
            .unwrap();
        let facts: Vec<&str> = cond.facts.iter().map(|(_, v)| v.as_str()).collect();
        assert!(facts.iter().any(|v| v.contains("bob")), "{facts:?}");
        assert!(facts.iter().any(|v| v.contains("→ alice")), "{facts:?}");

        request
            .context
            .insert_single("aws:ResourceTag/owner", "alice");
        let mut allowed = authorize(&set, &request);
        let tree = trace_from_explanation(&mut allowed.explanation, &allowed.deciding);
        let policy = tree.iter().find(|n| n.label.starts_with("Team")).unwrap();
        assert!(policy.later.is_none());
        assert!(policy.children[0].deciding);
        assert_eq!(tree[0].status, Some("Allow"));
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
