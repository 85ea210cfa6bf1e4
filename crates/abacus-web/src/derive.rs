//! Everything the screens show, derived from the document by the engine crates.
//!
//! The app never decides anything itself: the studio's `Workspace` builds the request,
//! assembles the policy set and produces the CloudTrail records; the engine authorizes and
//! explains; the templates crate lints. This module only reshapes their results into view
//! models.

use crate::doc;
use crate::highlight::Mark;
use crate::view::{
    self, Band, DecisionView, ExpectationView, MatrixColumn, MatrixView, Opt, ParamField,
    PolicyItem, RequestView, TraceNode, WorldRow, WorldView,
};
use abacus_policy::{Diagnostic, LineIndex};
use abacus_studio::actions::catalogue;
use abacus_studio::evaluate::{Evaluation, MatrixColumn as StudioColumn, ResourceScope, Workspace};
use abacus_studio::model::Authentication;
use abacus_studio::request::{RequestError, Route};
use abacus_studio::scenario::{PolicyKind, Scenario, Selection};
use std::rc::Rc;
use yew::AttrValue;

/// The workspace screen's derived data.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    /// Left-hand list.
    pub policies: Rc<Vec<PolicyItem>>,
    /// Text of the policy in the editor.
    pub active_text: AttrValue,
    /// Its diagnostics (parser, validator, linter).
    pub active_diagnostics: Rc<Vec<Diagnostic>>,
    /// Their underline marks.
    pub active_marks: Rc<Vec<Mark>>,
    /// Its diagnostics as inline notes at their lines.
    pub active_notes: Rc<Vec<crate::view::LineNote>>,
    /// Deciding statements inside it.
    pub active_bands: Rc<Vec<Band>>,
    /// The request panel.
    pub request: Rc<RequestView>,
    /// The decision, when the request could be built.
    pub decision: Option<Rc<DecisionView>>,
    /// Why there is no decision.
    pub unavailable: Option<AttrValue>,
    /// The explanation tree.
    pub trace: Rc<Vec<TraceNode>>,
    /// CloudTrail records, pretty JSON.
    pub cloudtrail: AttrValue,
    /// One title per record.
    pub cloudtrail_titles: Vec<AttrValue>,
    /// The scenario's expectations, checked.
    pub expectations: Rc<Vec<ExpectationView>>,
    /// Notes of the request builder (why keys are present or absent).
    pub notes: Rc<Vec<String>>,
}

/// Group heading of a policy kind.
pub fn kind_label(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity",
        PolicyKind::Resource => "resource",
        PolicyKind::Boundary => "boundary",
        PolicyKind::Session => "session",
        PolicyKind::Scp => "SCP",
        PolicyKind::Rcp => "RCP",
        PolicyKind::Trust => "trust",
    }
}

fn attached_label(targets: &[String]) -> String {
    if targets.is_empty() {
        "not attached".to_owned()
    } else {
        format!("→ {}", targets.join(", "))
    }
}

/// Diagnostics of every policy: the engine's parse and validation findings plus the ABAC
/// lints (the templates crate's `lint_scenario` returns both), by policy index.
fn diagnostics(doc: &Scenario) -> Vec<Vec<Diagnostic>> {
    let mut out = vec![Vec::new(); doc.policies.len()];
    for (id, d) in abacus_templates::lint::lint_scenario(doc) {
        if let Some(i) = doc.policies.iter().position(|p| p.id == id) {
            if let Some(slot) = out.get_mut(i) {
                slot.push(d);
            }
        }
    }
    out
}

fn lines_of(text: &str, span: abacus_policy::Span) -> (usize, usize) {
    let index = LineIndex::new(text);
    (
        index.position(span.start).line,
        index.position(span.end.max(span.start)).line,
    )
}

fn request_view(doc: &Scenario, eval: Option<&Evaluation>) -> RequestView {
    let w = &doc.world;
    let sel = &doc.selection;
    let users = w
        .users
        .iter()
        .map(|u| {
            let team = u
                .tags
                .get("team")
                .map(|t| format!(" · {t}"))
                .unwrap_or_default();
            Opt {
                value: u.name.clone(),
                label: format!("{}{team}", u.name),
            }
        })
        .collect();
    let mut identity = Vec::new();
    if let Some(u) = w.user(&sel.user) {
        identity.push(("Profile".to_owned(), u.name.clone()));
        identity.push(("Domain".to_owned(), u.domain.clone()));
        if let Some(role) = w.execution_role_of(u) {
            identity.push(("Role".to_owned(), role));
        }
        identity.push(("Tags".to_owned(), doc::format_tags(&u.tags)));
        let signin = match &u.auth {
            Authentication::IamUser { user_name } => format!("IAM user {user_name}"),
            Authentication::Saml { role, .. } => format!("SAML → {role}"),
            Authentication::IdentityCenter { user_name, .. } => {
                format!("Identity Center {user_name}")
            }
        };
        identity.push(("Sign-in".to_owned(), signin));
    }
    if let Some(e) = eval {
        let source_identity = e
            .request
            .context
            .get("aws:SourceIdentity")
            .map(|v| v.values().join(", "))
            .unwrap_or_else(|| "(none)".to_owned());
        identity.push(("Source identity".to_owned(), source_identity));
        identity.push(("Principal".to_owned(), e.principal_arn.clone()));
    }
    let mut resources: Vec<Opt> = std::iter::once(Opt {
        value: String::new(),
        label: match (
            doc::takes_resource(doc),
            sel.action.to_ascii_lowercase().contains(":create"),
        ) {
            (true, true) => "(a new resource: fill “New name”)",
            (true, false) => "(none: pick a resource or a custom ARN)",
            (false, _) => "(none: the action takes `*`)",
        }
        .to_owned(),
    })
    .chain(
        doc::resources_for(doc, &sel.action, &sel.user)
            .into_iter()
            .map(|id| {
                let owner = w
                    .resource(&id)
                    .and_then(|r| r.owner.clone())
                    .map(|o| format!(" · {o}"))
                    .unwrap_or_default();
                Opt {
                    label: format!("{id}{owner}"),
                    value: id,
                }
            }),
    )
    .collect();
    if doc::takes_resource(doc) {
        resources.push(Opt {
            value: doc::CUSTOM_ARN.to_owned(),
            label: "Custom ARN…".to_owned(),
        });
    }
    let mut routes: Vec<Opt> = [
        ("studio", "Studio space (execution role)"),
        ("training-job", "Training job"),
        ("processing-job", "Processing job"),
        ("pipeline", "Pipeline step"),
        ("endpoint", "Endpoint inference container (model role)"),
        ("transform-job", "Batch Transform job (model role)"),
        ("access-keys", "Access keys (IAM user)"),
        ("console", "Console sign-in"),
    ]
    .iter()
    .map(|(v, l)| Opt {
        value: (*v).to_owned(),
        label: (*l).to_owned(),
    })
    .collect();
    routes.extend(w.roles.iter().map(|r| Opt {
        value: format!("role-chain:{}", r.name),
        label: format!("Role chain → {}", r.name),
    }));
    // EMR steps with runtime roles, where the world has the clusters' instance profile role
    let instance_profile = abacus_studio::request::EMR_DEFAULT_INSTANCE_PROFILE_ROLE;
    if w.role(instance_profile).is_some() {
        routes.extend(
            w.roles
                .iter()
                .filter(|r| r.name != instance_profile)
                .map(|r| Opt {
                    value: format!("emr-step:{}", r.name),
                    label: format!("EMR step as runtime role {}", r.name),
                }),
        );
    }
    RequestView {
        users,
        user: sel.user.clone(),
        identity,
        action: sel.action.clone(),
        resources,
        resource: match &sel.resource_arn {
            Some(_) => doc::CUSTOM_ARN.to_owned(),
            None => sel.resource.clone().unwrap_or_default(),
        },
        resource_arn: eval.map(|e| e.request.resource.clone()).unwrap_or_default(),
        custom_arn: sel.resource_arn.clone(),
        routes,
        route: doc::route_key(&sel.route),
        params: doc::param_fields(doc)
            .into_iter()
            .map(|(key, label, value, placeholder)| ParamField {
                key: key.to_owned(),
                label: label.to_owned(),
                value,
                placeholder: placeholder.to_owned(),
            })
            .collect(),
    }
}

/// What to do about a request that cannot be built, in the words of the request panel's
/// controls (the studio's own help names the document's JSON fields).
fn request_help(e: &RequestError) -> &'static str {
    match e {
        RequestError::MissingResource(_) => "pick one in the Resource list, choose “Custom ARN…” to type its ARN, or fill “New name” for a create call",
        RequestError::UnknownResource(_) | RequestError::WrongResourceType { .. } => {
            "pick a resource in the Resource list"
        }
        RequestError::UnknownUser(_) => "pick a user in the User list",
        RequestError::NoIamUser(_) => {
            "pick another route, or a user who signs in as an IAM user"
        }
        RequestError::UnknownAction(_) => "pick an action in the Action list",
        _ => e.help(),
    }
}

/// Derives the workspace screen for `doc` with policy `active` in the editor.
pub fn workspace(doc: &Scenario, active: usize) -> Derived {
    let ws = Workspace::new(doc);
    let eval = ws.evaluate(&doc.selection);
    let diags = diagnostics(doc);
    let (eval, error) = match eval {
        Ok(e) => (Some(e), None),
        Err(e) => (None, Some(format!("{e}: {}", request_help(&e)))),
    };
    let deciding = eval
        .as_ref()
        .map(|e| decider(e).deciding.clone())
        .unwrap_or_default();
    let policies: Vec<PolicyItem> = doc
        .policies
        .iter()
        .zip(&diags)
        .map(|(p, d)| {
            let (errors, warnings) = view::severity_counts(d);
            PolicyItem {
                name: p.name.clone(),
                kind: kind_label(p.kind).to_owned(),
                attached_to: attached_label(&p.attached_to),
                errors,
                warnings,
                deciding: deciding.iter().any(|s| s.policy_name == p.name),
            }
        })
        .collect();
    let active_entry = doc.policies.get(active);
    let active_text = active_entry.map(|p| p.text.clone()).unwrap_or_default();
    let active_diagnostics = diags.get(active).cloned().unwrap_or_default();
    let active_bands = active_entry
        .map(|p| {
            deciding
                .iter()
                .filter(|s| s.policy_name == p.name)
                .map(|s| {
                    let (first_line, last_line) = lines_of(&p.text, s.span);
                    let class = if s.effect == abacus_policy::Effect::Deny {
                        "band-deny"
                    } else {
                        "band-allow"
                    };
                    Band {
                        first_line,
                        last_line,
                        class,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let request = request_view(doc, eval.as_ref());
    let (decision, trace, cloudtrail, titles) = match &eval {
        Some(e) => {
            // the whole call's outcome: an implied check (PassRole, ...) can deny it
            let a = decider(e);
            let r = &e.request;
            let decision = DecisionView {
                decision: e.decision,
                request_line: format!("{} {} {}", r.principal, r.action, r.resource),
                message: e.denial_message.clone(),
                reason: a.access_denied.as_ref().map(|d| d.reason.clone()),
                deciding: a
                    .deciding
                    .iter()
                    .map(|s| {
                        let sid = s
                            .sid
                            .as_deref()
                            .map(|x| format!(" `{x}`"))
                            .unwrap_or_default();
                        view::DecidingRef {
                            label: format!(
                                "{} ({}): statement {}{sid} {}",
                                s.policy_name,
                                s.kind.describe(),
                                s.index + 1,
                                s.effect.as_str()
                            ),
                            policy: doc.policies.iter().position(|p| p.name == s.policy_name),
                            span: (s.span.start, s.span.end),
                        }
                    })
                    .collect(),
                missing_keys: a.missing_keys.clone(),
            };
            let records = e.cloudtrail.as_slice();
            let titles = records
                .iter()
                .map(|rec| {
                    let src = rec
                        .get("eventSource")
                        .and_then(|v| v.as_str())
                        .unwrap_or("");
                    let name = rec.get("eventName").and_then(|v| v.as_str()).unwrap_or("");
                    AttrValue::from(format!("{src} {name}"))
                })
                .collect();
            let json = match records {
                [] => "// CloudTrail does not log this permission-only action as its own event"
                    .to_owned(),
                [one] => serde_json::to_string_pretty(one).unwrap_or_default(),
                many => serde_json::to_string_pretty(many).unwrap_or_default(),
            };
            let mut trace = view::trace_from_explanation(
                &e.authorization.explanation,
                &e.authorization.deciding,
            );
            trace.extend(checks_node(e));
            (Some(Rc::new(decision)), trace, json, titles)
        }
        None => (None, Vec::new(), String::new(), Vec::new()),
    };
    let expectations = ws
        .check_expectations()
        .into_iter()
        .map(|x| ExpectationView {
            name: x.name,
            expected: x.expected,
            actual: x.actual,
            passed: x.passed,
            problem: x.problem,
        })
        .collect();
    let notes = eval.as_ref().map(|e| e.notes.clone()).unwrap_or_default();
    Derived {
        expectations: Rc::new(expectations),
        notes: Rc::new(notes),
        policies: Rc::new(policies),
        active_text: AttrValue::from(active_text),
        active_marks: Rc::new(view::marks(&active_diagnostics)),
        active_notes: Rc::new(view::line_notes(&active_diagnostics)),
        active_diagnostics: Rc::new(active_diagnostics),
        active_bands: Rc::new(active_bands),
        request: Rc::new(request),
        decision,
        unavailable: error.map(AttrValue::from),
        trace: Rc::new(trace),
        cloudtrail: AttrValue::from(cloudtrail),
        cloudtrail_titles: titles,
    }
}

/// The authorization that decided the whole call: the selected call's own, unless a call or
/// check AWS makes around it (SageMaker's session, a role-chaining hop, `iam:PassRole`, ...)
/// is what denied it.
fn decider(e: &Evaluation) -> &abacus_policy::Authorization {
    if e.decision == e.authorization.decision {
        return &e.authorization;
    }
    e.before
        .iter()
        .chain(&e.after)
        .map(|c| &c.authorization)
        .find(|a| {
            a.decision == e.decision
                && a.access_denied.as_ref().map(|d| &d.message) == e.denial_message.as_ref()
        })
        .or_else(|| {
            e.before
                .iter()
                .chain(&e.after)
                .map(|c| &c.authorization)
                .find(|a| a.decision == e.decision)
        })
        .unwrap_or(&e.authorization)
}

/// A trace node listing every other authorization the call needs, in the order AWS makes
/// them, each with why, the rule and pages it follows, whose policies decide it, and its
/// own trace; `None` when the call needs none.
fn checks_node(e: &Evaluation) -> Option<TraceNode> {
    let calls: Vec<_> = e.before.iter().chain(&e.after).collect();
    if calls.is_empty() {
        return None;
    }
    let all_allowed = calls.iter().all(|c| c.authorization.decision.is_allowed());
    let children = calls
        .iter()
        .map(|c| {
            let a = &c.authorization;
            let mut facts = vec![("why".to_owned(), c.why.clone())];
            if let Some(rule) = &c.check {
                facts.push(("rule".to_owned(), rule.clone()));
            }
            let side = match c.scope {
                abacus_studio::implied::Scope::All => None,
                abacus_studio::implied::Scope::Identity => {
                    Some("the caller's permissions policies only")
                }
                abacus_studio::implied::Scope::Trust => Some("the role's trust policy only"),
            };
            if let Some(side) = side {
                facts.push(("decided by".to_owned(), side.to_owned()));
            }
            if !c.sources.is_empty() {
                facts.push(("AWS documentation".to_owned(), c.sources.join("; ")));
            }
            if let Some(d) = &a.access_denied {
                facts.push(("AccessDenied".to_owned(), d.message.clone()));
            }
            TraceNode {
                label: format!(
                    "{} on {} by {}",
                    c.request.action, c.request.resource, c.request.principal
                ),
                status: Some(a.decision.as_str().to_owned()),
                positive: Some(a.decision.is_allowed()),
                facts,
                children: view::trace_from_explanation(&a.explanation, &a.deciding),
                deciding: false,
            }
        })
        .collect();
    Some(TraceNode {
        label: format!(
            "Other authorizations this call needs ({}), in the order AWS makes them",
            calls.len()
        ),
        status: Some(
            if all_allowed {
                "all allowed"
            } else {
                "one is denied"
            }
            .to_owned(),
        ),
        positive: Some(all_allowed),
        facts: Vec::new(),
        children,
        deciding: false,
    })
}

/// The matrix as computed by the studio.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixData {
    /// What is displayed.
    pub view: Rc<MatrixView>,
    /// The actions the columns come from, each once (for removing a column).
    pub actions: Rc<Vec<String>>,
    /// Actions the studio models, to offer when adding a column.
    pub known_actions: Rc<Vec<String>>,
}

fn scope_label(scope: ResourceScope) -> &'static str {
    match scope {
        ResourceScope::Own => "own",
        ResourceScope::Others => "others'",
        ResourceScope::Any => "*",
    }
}

/// The request behind matrix cell (row, column), as the studio lays the matrix out.
pub fn matrix_selection(doc: &Scenario, row: usize, col: usize) -> Option<Selection> {
    let ws = Workspace::new(doc);
    let m = ws.matrix();
    let user = m.users.get(row)?;
    let column = m.columns.get(col)?;
    ws.matrix_selection(user, column, &doc.matrix.route.clone().unwrap_or_default())
}

/// Why the matrix has no decision for `user` in `column`: the studio found no resource to
/// try, or could not build the request.
fn no_decision(ws: &Workspace, user: &str, column: &StudioColumn, route: &Route) -> String {
    let Some(spec) = abacus_studio::actions::spec(&column.action) else {
        return format!("`{}` is not a known action", column.action);
    };
    if let Some(sel) = ws.matrix_selection(user, column, route) {
        return match ws.decide(&sel) {
            Err(e) => format!("the request cannot be built: {e}"),
            Ok(_) => "no decision".to_owned(),
        };
    }
    let kind = &spec.resource_type;
    let world = &ws.scenario().world.resources;
    if world
        .iter()
        .any(|r| &r.resource_type == kind && r.owner.is_none())
        && !world
            .iter()
            .any(|r| &r.resource_type == kind && r.owner.is_some())
    {
        return format!("the world's {kind} resources are shared (no owner), so none is {user}'s own or someone else's");
    }
    let whose = match column.scope {
        ResourceScope::Own => format!("of {user}'s own"),
        _ => format!("owned by someone other than {user}"),
    };
    format!("the world has no {kind} {whose}")
}

/// Computes the whole access matrix.
pub fn matrix(doc: &Scenario) -> MatrixData {
    let ws = Workspace::new(doc);
    let m = ws.matrix();
    let route = doc.matrix.route.clone().unwrap_or_default();
    let mut no = std::collections::BTreeMap::new();
    for (r, row) in m.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let (None, Some(user), Some(column)) = (cell, m.users.get(r), m.columns.get(c)) {
                no.insert((r, c), no_decision(&ws, user, column, &route));
            }
        }
    }
    let view = MatrixView {
        users: m.users,
        columns: m
            .columns
            .iter()
            .map(|c| MatrixColumn {
                action: c.action.clone(),
                scope: scope_label(c.scope).to_owned(),
            })
            .collect(),
        cells: m.cells,
        no_decision: no,
        refused: m.refused,
    };
    let mut actions: Vec<String> = Vec::new();
    for c in &view.columns {
        if actions.last() != Some(&c.action) {
            actions.push(c.action.clone());
        }
    }
    MatrixData {
        view: Rc::new(view),
        actions: Rc::new(actions),
        known_actions: Rc::new(
            catalogue()
                .actions
                .iter()
                .map(|a| a.action.clone())
                .collect(),
        ),
    }
}

/// The world editor's tables.
pub fn world(doc: &Scenario) -> WorldView {
    let w = &doc.world;
    let source_identity = |domain: &str, name: &str| {
        w.domain(domain)
            .map(|d| {
                if d.execution_role_identity_config
                    == abacus_studio::model::ExecutionRoleIdentityConfig::UserProfileName
                {
                    name.to_owned()
                } else {
                    "(not set by the domain)".to_owned()
                }
            })
            .unwrap_or_default()
    };
    let mut teams: Vec<String> = w
        .users
        .iter()
        .filter_map(|u| u.tags.get("team").cloned())
        .collect();
    abacus_policy::order::sort(&mut teams);
    teams.dedup();
    WorldView {
        summary: vec![
            ("account".to_owned(), w.account.clone()),
            ("region".to_owned(), w.region.clone()),
            ("partition".to_owned(), w.partition.clone()),
        ],
        users: w
            .users
            .iter()
            .map(|u| WorldRow {
                cells: vec![
                    u.name.clone(),
                    u.domain.clone(),
                    w.execution_role_of(u).unwrap_or_default(),
                    source_identity(&u.domain, &u.name),
                    doc::format_tags(&u.tags),
                ],
            })
            .collect(),
        roles: w
            .roles
            .iter()
            .map(|r| WorldRow {
                cells: vec![r.name.clone(), r.persona.clone(), doc::format_tags(&r.tags)],
            })
            .collect(),
        resources: w
            .resources
            .iter()
            .map(|r| {
                let resolved = w.resolve(r);
                WorldRow {
                    cells: vec![
                        r.id.clone(),
                        r.resource_type.clone(),
                        resolved.as_ref().map(|x| x.arn.clone()).unwrap_or_default(),
                        r.owner.clone().unwrap_or_default(),
                        resolved
                            .map(|x| doc::format_tags(&x.tags))
                            .unwrap_or_default(),
                    ],
                }
            })
            .collect(),
        teams,
        domains: w.domains.iter().map(|d| d.id.clone()).collect(),
        resource_types: catalogue()
            .resource_types
            .keys()
            .filter(|k| k.as_str() != "none")
            .cloned()
            .collect(),
        user_names: w.users.iter().map(|u| u.name.clone()).collect(),
        resource_ids: w.resources.iter().map(|r| r.id.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_policy::Decision;
    use abacus_studio::scenario::default_scenario;

    /// A training job alice starts from her Studio space, in the default scenario.
    fn create_training_job() -> Scenario {
        let mut doc = default_scenario();
        doc.selection = Selection {
            user: "alice".into(),
            action: "sagemaker:CreateTrainingJob".into(),
            resource: None,
            resource_arn: None,
            route: abacus_studio::request::Route::StudioSpace,
            parameters: abacus_studio::request::Parameters {
                name: Some("alice-train-1".into()),
                file_system_directory_paths: vec!["/fsx/users/alice".into()],
                ..Default::default()
            },
        };
        doc
    }

    #[test]
    fn removing_pass_role_flips_the_decision_to_the_pass_role_denial() {
        // issue 12: "remove the statement that allows iam:PassRole and
        // sagemaker:CreateTrainingJob is still allowed"
        let doc = create_training_job();
        let allowed = workspace(&doc, 0);
        assert_eq!(allowed.decision.as_ref().unwrap().decision, Decision::Allow);
        let mut without = doc.clone();
        without.policies.retain(|p| p.id != "pass-execution-role");
        let denied = workspace(&without, 0);
        let d = denied.decision.as_ref().unwrap();
        assert_eq!(d.decision, Decision::ImplicitDeny);
        let message = d.message.clone().unwrap();
        assert!(
            message.contains("is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/SageMakerStudioTeamARole"),
            "{message}"
        );
        assert_eq!(
            d.reason.as_deref(),
            Some("because no identity-based policy allows the iam:PassRole action")
        );
        // every check is its own step of the explanation, with its own trace
        let checks = denied
            .trace
            .iter()
            .find(|n| n.label.starts_with("Other authorizations this call needs"))
            .unwrap();
        let pass = checks
            .children
            .iter()
            .find(|c| c.label.starts_with("iam:PassRole"))
            .unwrap();
        assert_eq!(pass.status.as_deref(), Some("ImplicitDeny"));
        assert!(pass
            .facts
            .iter()
            .any(|(k, v)| k == "rule" && v == "pass-role"));
        assert!(!pass.children.is_empty(), "its own trace");
    }

    #[test]
    fn a_matrix_over_the_cap_is_shown_as_refused() {
        let mut doc = default_scenario();
        doc.matrix.users = (0..20_001).map(|i| format!("u{i}")).collect();
        let m = matrix(&doc);
        let refused = m.view.refused.unwrap();
        assert_eq!(refused.code, "matrix-too-large");
        assert!(m.view.cells.is_empty());
        assert!(refused.to_string().contains("more than the limit of 20000"));
    }

    #[test]
    fn cells_without_a_decision_say_why() {
        // the Athena workgroup is shared: no user owns one, so no cell can be tried
        let shared = doc::parse(include_str!(
            "../../../scenarios/001-lake-formation-athena-audit.json"
        ))
        .unwrap();
        let m = matrix(&shared);
        let v = &m.view;
        let empty = v.cells.iter().flatten().filter(|c| c.is_none()).count();
        assert!(empty > 0);
        assert_eq!(v.no_decision.len(), empty, "every empty cell has a reason");
        assert!(v
            .no_decision
            .values()
            .all(|why| why.contains("athena-workgroup resources are shared")));
        // carol has no EMR cluster of her own in the default world
        let d = default_scenario();
        let m = matrix(&d);
        let v = &m.view;
        let carol = v.users.iter().position(|u| u == "carol").unwrap();
        let own = v
            .columns
            .iter()
            .position(|c| c.action.starts_with("elasticmapreduce:") && c.scope == "own")
            .unwrap();
        assert_eq!(v.cells[carol][own], None);
        assert_eq!(
            v.no_decision.get(&(carol, own)).map(String::as_str),
            Some("the world has no emr-cluster of carol's own")
        );
        assert!(m.actions.iter().any(|a| a == "s3:GetObject"));
        assert!(m.known_actions.len() > m.actions.len());
    }
}
