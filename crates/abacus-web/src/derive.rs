//! Everything the screens show, derived from the document by the engine crates.
//!
//! The app never decides anything itself: the studio's `Workspace` builds the request,
//! assembles the policy set and produces the CloudTrail records; the engine authorizes and
//! explains; the templates crate lints. This module only reshapes their results into view
//! models.
//!
//! [`Deriver`] lives as long as the app and keeps what it derived keyed by what it depends
//! on, so that an edit costs what it changed, not the size of the document: one
//! `Workspace` re-parses only policy texts it has not seen; lint findings are kept per
//! policy text (and the reference data loaded); the decision, trace, CloudTrail records and
//! expectations are kept per (world and policies, request); the policy list and the request
//! panel are kept while what they show stays, so that their components are not rendered
//! again (see [`crate::context::Handlers`]); the matrix is computed a few
//! rows at a time ([`MatrixJob`]) and each cell keeps the request it decided; its rows are
//! planned ahead while the page is idle ([`MatrixPrep`]), so that opening it only decides.

use crate::doc;
use crate::highlight::Mark;
use crate::view::{
    self, Band, DecisionView, ExpectationView, MatrixColumn, MatrixView, Opt, ParamField,
    PolicyItem, RequestView, TraceNode, WorldRow, WorldView,
};
use abacus_policy::{Diagnostic, LineIndex};
use abacus_studio::actions::catalogue;
use abacus_studio::evaluate::{
    Evaluation, MatrixCell, MatrixColumn as StudioColumn, MatrixLayout, MatrixTooLarge,
    ResourceScope, Workspace,
};
use abacus_studio::model::{Authentication, World};
use abacus_studio::request::RequestError;
use abacus_studio::scenario::{PolicyKind, Scenario, Selection};
use abacus_templates::fixes::Fix;
use abacus_templates::lint::{summarize, PolicySummary};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;
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
    /// The quick fix of each of its diagnostics, where there is one.
    pub active_fixes: Rc<Vec<Option<Fix>>>,
    /// The same fixes with where their finding starts (a byte offset), for the editor's
    /// Ctrl+. on the caret's line.
    pub active_line_fixes: Rc<Vec<(usize, Fix)>>,
    /// The selected request's context (for the editor's hover: the values of keys and
    /// variables), when the request could be built.
    pub request_context: Option<Rc<abacus_policy::Context>>,
    /// The policy summary of the policy in the editor, with each statement's span (a
    /// summary entry selects its statement).
    pub active_summary: Rc<(PolicySummary, Vec<abacus_policy::Span>)>,
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

fn lines_of(text: &str, span: abacus_policy::Span) -> (usize, usize) {
    let index = LineIndex::new(text);
    (
        index.position(span.start).line,
        index.position(span.end.max(span.start)).line,
    )
}

/// What the request panel shows of the evaluation: the source identity, the principal and
/// the ARN the call targets.
type Called = (String, String, String);

fn called(eval: &Evaluation) -> Called {
    let source_identity = eval
        .request
        .context
        .get("aws:SourceIdentity")
        .map(|v| v.values().join(", "))
        .unwrap_or_else(|| "(none)".to_owned());
    (
        source_identity,
        eval.principal_arn.clone(),
        eval.request.resource.clone(),
    )
}

fn request_view(doc: &Scenario, called: Option<&Called>) -> RequestView {
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
    if let Some((source_identity, principal, _)) = called {
        identity.push(("Source identity".to_owned(), source_identity.clone()));
        identity.push(("Principal".to_owned(), principal.clone()));
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
    routes.extend(w.roles.iter().map(|r| Opt {
        value: format!("role-session:{}", r.name),
        label: format!("Session of {} (outside Studio)", r.name),
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
        resource_arn: called.map(|(_, _, arn)| arn.clone()).unwrap_or_default(),
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

/// The evaluation of the selected request and everything shown from it.
#[derive(Debug)]
struct Evaluated {
    /// The evaluation, or why the request could not be built. The policy traces of its
    /// explanations have moved into `trace` (see [`view::trace_from_explanation`]).
    eval: Result<Evaluation, String>,
    /// The request's context, for the editor's hover.
    context: Option<Rc<abacus_policy::Context>>,
    decision: Option<Rc<DecisionView>>,
    trace: Rc<Vec<TraceNode>>,
    cloudtrail: AttrValue,
    titles: Vec<AttrValue>,
    expectations: Rc<Vec<ExpectationView>>,
    notes: Rc<Vec<String>>,
}

/// The derived results of the document on screen, kept between renders (see the module
/// documentation). Natively testable: it holds no DOM.
#[derive(Debug, Default)]
pub struct Deriver {
    /// The workspace of the document last synced.
    ws: Option<Workspace>,
    /// That document, its revision and the reference generation it was derived with.
    synced: Option<(Rc<Scenario>, u32, u64)>,
    /// Lint findings of each policy on its own (parser diagnostics included), by policy
    /// index in the document last synced.
    own: Vec<Rc<Vec<Diagnostic>>>,
    /// The cross-policy findings, kept per principal's group of policies.
    cross: abacus_templates::lint::CrossLint,
    /// The reference generation `lint` was computed with.
    lint_reference: u64,
    /// Every policy's findings, by policy index.
    diagnostics: Vec<Rc<Vec<Diagnostic>>>,
    /// The selected request, evaluated.
    evaluated: Option<Rc<Evaluated>>,
    /// The policy list last shown: kept while equal, so that the list is not rendered again.
    policy_items: Rc<Vec<PolicyItem>>,
    /// The request panel last shown, with what it was made of: the world (by identity), the
    /// selection, the reference generation and what it shows of the evaluation.
    request: Option<(RequestInputs, Rc<RequestView>)>,
}

/// What [`request_view`] reads.
#[derive(Debug)]
struct RequestInputs {
    world: Arc<World>,
    selection: Selection,
    reference: u64,
    called: Option<Called>,
}

impl RequestInputs {
    fn same(&self, other: &RequestInputs) -> bool {
        Arc::ptr_eq(&self.world, &other.world)
            && self.reference == other.reference
            && self.called == other.called
            && self.selection == other.selection
    }
}

impl Deriver {
    /// Brings the derived results up to `doc` (at `revision`, with the reference data at
    /// generation `reference`): re-parses and re-lints only changed policy texts, and
    /// evaluates again only when the world, the policies, the expectations or the request
    /// changed.
    pub fn sync(&mut self, doc: &Rc<Scenario>, revision: u32, reference: u64) {
        let (inputs_same, selection_same) = match &self.synced {
            Some((_, r, g)) if *r == revision && *g == reference => return,
            Some((prev, _, g)) => {
                let same = Rc::ptr_eq(prev, doc)
                    || (prev.policies.len() == doc.policies.len()
                        // texts first (by version, else word by word: see `PolicyText`):
                        // an edit stops here, before the world is compared
                        && prev
                            .policies
                            .iter()
                            .zip(&doc.policies)
                            .all(|(a, b)| a.text == b.text)
                        && prev.world == doc.world
                        && prev.policies == doc.policies
                        && prev.expectations == doc.expectations
                        && prev.matrix == doc.matrix);
                (same && *g == reference, prev.selection == doc.selection)
            }
            None => (false, false),
        };
        if !inputs_same || self.ws.is_none() {
            match &mut self.ws {
                Some(ws) => ws.update(doc),
                None => self.ws = Some(Workspace::new(doc)),
            }
            self.relint(doc, reference);
        }
        self.synced = Some((doc.clone(), revision, reference));
        if !(inputs_same && selection_same) || self.evaluated.is_none() {
            self.evaluated = self.ws.as_ref().map(|ws| Rc::new(evaluated(ws, doc)));
        }
    }

    /// The revision and reference generation the derived results are for.
    pub fn synced(&self) -> Option<(u32, u64)> {
        self.synced.as_ref().map(|(_, r, g)| (*r, *g))
    }

    /// Lints every policy: the findings of each text on its own are kept (and reused while
    /// the text, its kind and the reference data stay), the cross-policy findings are
    /// computed again. As in [`Workspace::update`], a text is looked for at its own place in
    /// the document before first, then among the others (a policy moved or deleted).
    fn relint(&mut self, doc: &Scenario, reference: u64) {
        let Some(ws) = &self.ws else {
            return;
        };
        if self.lint_reference != reference {
            self.own.clear();
            self.lint_reference = reference;
        }
        // `own` holds the findings of the document last synced, policy by policy
        let previous = self.synced.as_ref().map(|(p, ..)| p.clone());
        let old = match &previous {
            Some(p) if p.policies.len() == self.own.len() => p.policies.as_slice(),
            _ => &[],
        };
        let before = std::mem::take(&mut self.own);
        let parsed = ws.parsed();
        let mut own: Vec<Rc<Vec<Diagnostic>>> = Vec::with_capacity(parsed.len());
        for (i, (entry, parsed)) in doc.policies.iter().zip(&parsed).enumerate() {
            let at = |j: usize| {
                old.get(j)
                    .filter(|o| o.kind == entry.kind && o.text == entry.text)
                    .and_then(|_| before.get(j))
                    .cloned()
            };
            let findings = at(i)
                .or_else(|| (0..old.len()).filter(|j| *j != i).find_map(at))
                .unwrap_or_else(|| {
                    let mut found: Vec<(String, Diagnostic)> =
                        abacus_templates::lint::lint_entry(entry.kind, parsed)
                            .into_iter()
                            .map(|d| (String::new(), d))
                            .collect();
                    sort_findings(&mut found);
                    Rc::new(found.into_iter().map(|(_, d)| d).collect())
                });
            own.push(findings);
        }
        self.own = own.clone();
        let mut cross: BTreeMap<&str, Vec<(String, Diagnostic)>> = BTreeMap::new();
        for (id, d) in self.cross.run(doc, &ws.parsed_shared()) {
            if let Some(p) = doc.policies.iter().find(|p| p.id == id) {
                cross.entry(p.id.as_str()).or_default().push((id, d));
            }
        }
        self.diagnostics = doc
            .policies
            .iter()
            .zip(own)
            .map(|(p, own)| match cross.remove(p.id.as_str()) {
                None => own,
                Some(mut more) => {
                    more.extend(own.iter().map(|d| (String::new(), d.clone())));
                    sort_findings(&mut more);
                    Rc::new(more.into_iter().map(|(_, d)| d).collect())
                }
            })
            .collect();
    }

    /// The workspace screen for `doc` (at `revision`) with policy `active` in the editor.
    pub fn workspace(
        &mut self,
        doc: &Rc<Scenario>,
        revision: u32,
        active: usize,
        reference: u64,
    ) -> Derived {
        self.sync(doc, revision, reference);
        let none = Rc::new(Vec::new());
        let diag = |i: usize| self.diagnostics.get(i).cloned().unwrap_or(none.clone());
        let evaluated = self.evaluated.clone();
        let eval = evaluated.as_ref().and_then(|e| e.eval.as_ref().ok());
        let deciding = eval
            .map(|e| decider(e).deciding.clone())
            .unwrap_or_default();
        let items: Vec<PolicyItem> = doc
            .policies
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (errors, warnings) = view::severity_counts(&diag(i));
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
        let active_diagnostics = diag(active);
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
        if *self.policy_items != items {
            self.policy_items = Rc::new(items);
        }
        let inputs = RequestInputs {
            world: doc.world.clone(),
            selection: doc.selection.clone(),
            reference,
            called: eval.map(called),
        };
        let request = match &self.request {
            Some((kept, view)) if kept.same(&inputs) => view.clone(),
            _ => {
                let view = Rc::new(request_view(doc, inputs.called.as_ref()));
                self.request = Some((inputs, view.clone()));
                view
            }
        };
        let unavailable = evaluated
            .as_ref()
            .and_then(|e| e.eval.as_ref().err())
            .map(|e| AttrValue::from(e.clone()));
        let (decision, trace, cloudtrail, titles, expectations, notes) = match &evaluated {
            Some(e) => (
                e.decision.clone(),
                e.trace.clone(),
                e.cloudtrail.clone(),
                e.titles.clone(),
                e.expectations.clone(),
                e.notes.clone(),
            ),
            None => Default::default(),
        };
        let facts = abacus_templates::WorldFacts::from_world(&doc.world);
        let active_fixes: Vec<Option<Fix>> = active_diagnostics
            .iter()
            .map(|d| abacus_templates::fixes::fix(&active_text, d, &facts))
            .collect();
        let fixable: Vec<bool> = active_fixes.iter().map(Option::is_some).collect();
        let parsed = self.ws.as_ref().and_then(|ws| ws.parsed_policy(active));
        let active_summary = parsed.map_or_else(Default::default, |p| {
            let spans = p
                .policy
                .iter()
                .flat_map(|policy| policy.statements.iter().map(|s| s.span))
                .collect();
            (summarize(p), spans)
        });
        let line_fixes: Vec<(usize, Fix)> = active_diagnostics
            .iter()
            .zip(&active_fixes)
            .filter_map(|(d, f)| f.clone().map(|f| (d.span.start, f)))
            .collect();
        Derived {
            expectations,
            notes,
            policies: self.policy_items.clone(),
            active_marks: Rc::new(view::marks(&active_diagnostics)),
            active_notes: Rc::new(view::line_notes_with_fixes(&active_diagnostics, &fixable)),
            active_fixes: Rc::new(active_fixes),
            active_line_fixes: Rc::new(line_fixes),
            active_summary: Rc::new(active_summary),
            request_context: evaluated.as_ref().and_then(|e| e.context.clone()),
            active_text: AttrValue::from(String::from(active_text)),
            active_diagnostics,
            active_bands: Rc::new(active_bands),
            request,
            decision,
            unavailable,
            trace,
            cloudtrail,
            cloudtrail_titles: titles,
        }
    }
}

/// Sorts one policy's findings as the linter sorts a scenario's (by position, then code)
/// and drops repeats.
fn sort_findings(found: &mut Vec<(String, Diagnostic)>) {
    abacus_policy::order::sort_by(found, |a, b| {
        (a.1.span.start, &a.1.code).cmp(&(b.1.span.start, &b.1.code))
    });
    found.dedup();
}

/// Evaluates the selected request of `doc` and checks its expectations.
fn evaluated(ws: &Workspace, doc: &Scenario) -> Evaluated {
    let mut eval = ws
        .evaluate(&doc.selection)
        .map_err(|e| format!("{e}: {}", request_help(&e)));
    let (decision, trace, cloudtrail, titles) = match &mut eval {
        Ok(e) => {
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
            let a = &mut e.authorization;
            let mut trace = view::trace_from_explanation(&mut a.explanation, &a.deciding);
            trace.extend(checks_node(e));
            (Some(Rc::new(decision)), trace, json, titles)
        }
        Err(_) => (None, Vec::new(), String::new(), Vec::new()),
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
    Evaluated {
        context: eval
            .as_ref()
            .ok()
            .map(|e| Rc::new(e.request.context.clone())),
        eval,
        decision,
        trace: Rc::new(trace),
        cloudtrail: AttrValue::from(cloudtrail),
        titles,
        expectations: Rc::new(expectations),
        notes: Rc::new(notes),
    }
}

/// Derives the workspace screen for `doc` with policy `active` in the editor, from scratch
/// (the app keeps a [`Deriver`] instead).
pub fn workspace(doc: &Scenario, active: usize) -> Derived {
    Deriver::default().workspace(&Rc::new(doc.clone()), 0, active, 0)
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
fn checks_node(e: &mut Evaluation) -> Option<TraceNode> {
    let mut calls: Vec<_> = e.before.iter_mut().chain(&mut e.after).collect();
    if calls.is_empty() {
        return None;
    }
    let all_allowed = calls.iter().all(|c| c.authorization.decision.is_allowed());
    let count = calls.len();
    let children = calls
        .iter_mut()
        .map(|c| {
            let a = &mut c.authorization;
            let mut facts = vec![("why", c.why.clone())];
            if let Some(rule) = &c.check {
                facts.push(("rule", rule.clone()));
            }
            let side = match c.scope {
                abacus_studio::implied::Scope::All => None,
                abacus_studio::implied::Scope::Identity => {
                    Some("the caller's permissions policies only")
                }
                abacus_studio::implied::Scope::Trust => Some("the role's trust policy only"),
            };
            if let Some(side) = side {
                facts.push(("decided by", side.to_owned()));
            }
            if !c.sources.is_empty() {
                facts.push(("AWS documentation", c.sources.join("; ")));
            }
            if let Some(d) = &a.access_denied {
                facts.push(("AccessDenied", d.message.clone()));
            }
            TraceNode {
                label: format!(
                    "{} on {} by {}",
                    c.request.action, c.request.resource, c.request.principal
                ),
                status: Some(a.decision.as_str()),
                positive: Some(a.decision.is_allowed()),
                facts,
                children: view::trace_from_explanation(&mut a.explanation, &a.deciding),
                deciding: false,
                later: None,
            }
        })
        .collect();
    Some(TraceNode {
        label: format!(
            "Other authorizations this call needs ({count}), in the order AWS makes them"
        ),
        status: Some(if all_allowed {
            "all allowed"
        } else {
            "one is denied"
        }),
        positive: Some(all_allowed),
        facts: Vec::new(),
        children,
        deciding: false,
        later: None,
    })
}

/// The matrix as computed by the studio.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixData {
    /// What is displayed.
    pub view: Rc<MatrixView>,
    /// The request behind each cell (`requests[row][column]`), so that opening a cell needs
    /// no recomputation; `None` where no request could be built.
    pub requests: Rc<Vec<Vec<Option<Arc<Selection>>>>>,
    /// The actions the columns come from, each once (for removing a column).
    pub actions: Rc<Vec<String>>,
    /// Actions the studio models, to offer when adding a column.
    pub known_actions: Rc<Vec<String>>,
}

impl MatrixData {
    /// The request of cell (row, column).
    pub fn request(&self, row: usize, col: usize) -> Option<&Selection> {
        self.requests.get(row)?.get(col)?.as_deref()
    }
}

fn scope_label(scope: ResourceScope) -> &'static str {
    match scope {
        ResourceScope::Own => "own",
        ResourceScope::Others => "others'",
        ResourceScope::Any => "*",
    }
}

/// Why the matrix has no decision for `user` in `column`: the studio found no resource to
/// try, or could not build the request.
fn no_decision(
    ws: &Workspace,
    user: &str,
    column: &StudioColumn,
    request: Option<&Selection>,
) -> String {
    let Some(spec) = abacus_studio::actions::spec(&column.action) else {
        return format!("`{}` is not a known action", column.action);
    };
    if let Some(sel) = request {
        return match ws.decide(sel) {
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

/// An access matrix being computed a few rows at a time (so that the page stays responsive
/// on a large world): [`Deriver::matrix_job`], then [`Deriver::matrix_rows`] until it says
/// done, then [`MatrixJob::finish`].
#[derive(Debug)]
pub struct MatrixJob {
    /// The layout, or why the matrix is refused.
    layout: Result<MatrixLayout, MatrixTooLarge>,
    /// The rows computed so far.
    rows: Vec<Vec<MatrixCell>>,
    /// Why each empty cell so far has no decision.
    no_decision: std::collections::BTreeMap<(usize, usize), String>,
    /// The revision and reference generation it is computed for.
    key: Option<(u32, u64)>,
}

impl MatrixJob {
    /// Rows computed so far, of how many.
    pub fn progress(&self) -> (usize, usize) {
        let total = self.layout.as_ref().map_or(0, |l| l.users.len());
        (self.rows.len(), total)
    }

    /// The computed matrix (rows not computed yet are left out).
    pub fn finish(self) -> MatrixData {
        let (users, columns, refused) = match self.layout {
            Ok(l) => (l.users, l.columns, None),
            Err(too_large) => (Vec::new(), Vec::new(), Some(too_large)),
        };
        let users: Vec<String> = users.into_iter().take(self.rows.len()).collect();
        let mut cells = Vec::with_capacity(self.rows.len());
        let mut requests = Vec::with_capacity(self.rows.len());
        for row in self.rows {
            let (d, r): (Vec<_>, Vec<_>) =
                row.into_iter().map(|c| (c.decision, c.selection)).unzip();
            cells.push(d);
            requests.push(r);
        }
        let view = MatrixView {
            users,
            columns: columns
                .iter()
                .map(|c| MatrixColumn {
                    action: c.action.clone(),
                    scope: scope_label(c.scope).to_owned(),
                })
                .collect(),
            cells,
            no_decision: self.no_decision,
            refused,
        };
        let mut actions: Vec<String> = Vec::new();
        for c in &view.columns {
            if actions.last() != Some(&c.action) {
                actions.push(c.action.clone());
            }
        }
        MatrixData {
            view: Rc::new(view),
            requests: Rc::new(requests),
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
}

impl MatrixJob {
    /// A job for the matrix of `ws`, derived at `key` (revision and reference generation).
    fn new(ws: &Workspace, key: Option<(u32, u64)>) -> Self {
        MatrixJob {
            layout: ws.matrix_layout(),
            rows: Vec::new(),
            no_decision: Default::default(),
            key,
        }
    }

    /// Whether every row is computed.
    pub fn done(&self) -> bool {
        let (done, total) = self.progress();
        done >= total
    }

    /// Computes up to `rows` more rows with `ws`.
    fn compute(&mut self, ws: &Workspace, rows: usize) {
        let Ok(layout) = &self.layout else {
            return;
        };
        for _ in 0..rows {
            let r = self.rows.len();
            let Some(user) = layout.users.get(r) else {
                break;
            };
            let row = ws.matrix_row(user, &layout.columns, &layout.route);
            for (c, (cell, column)) in row.iter().zip(&layout.columns).enumerate() {
                if cell.decision.is_none() {
                    self.no_decision.insert(
                        (r, c),
                        no_decision(ws, user, column, cell.selection.as_deref()),
                    );
                }
            }
            self.rows.push(row);
        }
    }
}

impl Deriver {
    /// Starts computing the access matrix of the document last synced (`None` before the
    /// first [`Deriver::sync`]).
    pub fn matrix_job(&self) -> Option<MatrixJob> {
        Some(MatrixJob::new(self.ws.as_ref()?, self.synced()))
    }

    /// Computes up to `rows` more rows of `job`; false when the document changed since the
    /// job started (the job is stale and must be dropped), true otherwise.
    pub fn matrix_rows(&self, job: &mut MatrixJob, rows: usize) -> bool {
        match &self.ws {
            Some(ws) if job.key == self.synced() => {
                job.compute(ws, rows);
                true
            }
            _ => false,
        }
    }
}

/// The access matrix's rows being planned ahead, while the page is idle and the matrix is
/// not shown (see [`Workspace::prepare_matrix_row`]): opening the matrix then only decides
/// its cells. [`Deriver::matrix_prep`], then [`Deriver::prepare_matrix_row`] until it says
/// to stop.
#[derive(Debug)]
pub struct MatrixPrep {
    /// The layout to plan for, worked out by the first step (`None` before it; `Some(None)`
    /// when the matrix is refused: nothing to plan).
    layout: Option<Option<MatrixLayout>>,
    /// The next row to plan.
    next: usize,
    /// The revision and reference generation it was started for.
    key: Option<(u32, u64)>,
}

impl MatrixPrep {
    /// Whether every row of the matrix is planned and kept.
    pub fn done(&self) -> bool {
        matches!(&self.layout, Some(Some(l)) if self.next >= l.users.len())
    }
}

impl Deriver {
    /// Starts planning the rows of the access matrix of the document last synced (`None`
    /// before the first [`Deriver::sync`]). Costs nothing until its first step.
    pub fn matrix_prep(&self) -> Option<MatrixPrep> {
        self.ws.as_ref()?;
        Some(MatrixPrep {
            layout: None,
            next: 0,
            key: self.synced(),
        })
    }

    /// Plans the next row of `prep` (a row planned already costs a look-up); false when
    /// there is nothing more to do: every row is planned, the matrix is refused, the
    /// workspace keeps no more rows (see [`Workspace::prepare_matrix_row`]), or the
    /// document changed since `prep` started (it is stale).
    pub fn prepare_matrix_row(&self, prep: &mut MatrixPrep) -> bool {
        let Some(ws) = &self.ws else {
            return false;
        };
        if prep.key != self.synced() {
            return false;
        }
        let Some(layout) = prep.layout.get_or_insert_with(|| ws.matrix_layout().ok()) else {
            return false;
        };
        let Some(user) = layout.users.get(prep.next) else {
            return false;
        };
        if !ws.prepare_matrix_row(layout, user) {
            return false;
        }
        prep.next += 1;
        prep.next < layout.users.len()
    }
}

/// Computes the whole access matrix at once.
pub fn matrix(doc: &Scenario) -> MatrixData {
    let ws = Workspace::new(doc);
    let mut job = MatrixJob::new(&ws, None);
    let (_, total) = job.progress();
    job.compute(&ws, total);
    job.finish()
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
        assert_eq!(pass.status, Some("ImplicitDeny"));
        assert!(pass
            .facts
            .iter()
            .any(|(k, v)| *k == "rule" && v == "pass-role"));
        assert!(!pass.children.is_empty(), "its own trace");
    }

    #[test]
    fn a_kept_deriver_derives_what_a_fresh_one_does() {
        let mut kept = Deriver::default();
        let mut doc = default_scenario();
        let mut revision = 0;
        let mut check = |kept: &mut Deriver, doc: &Scenario, active: usize, reference: u64| {
            revision += 1;
            let derived = kept.workspace(&Rc::new(doc.clone()), revision, active, reference);
            assert_eq!(derived, workspace(doc, active), "revision {revision}");
        };
        check(&mut kept, &doc, 1, 0);
        // a keystroke in one policy: a finding appears in it, the decision may change
        doc.policies[1].text = doc.policies[1].text.replacen("{", "{,", 1).into();
        check(&mut kept, &doc, 1, 0);
        // another request only
        doc.selection.user = "bob".into();
        check(&mut kept, &doc, 1, 0);
        // another policy in the editor, the same document
        check(&mut kept, &doc, 2, 0);
        // a world edit
        std::sync::Arc::make_mut(&mut doc.world)
            .users
            .retain(|u| u.name != "carol");
        doc.selection.user = "alice".into();
        check(&mut kept, &doc, 2, 0);
        // new reference data
        check(&mut kept, &doc, 2, 1);
        // two policies with one text, then a rename
        let copy = doc.policies[2].clone();
        doc.policies.push(abacus_studio::scenario::PolicyEntry {
            id: "copy".into(),
            name: "Copy".into(),
            ..copy
        });
        check(&mut kept, &doc, 3, 1);
        doc.policies[3].name = "Renamed".into();
        check(&mut kept, &doc, 3, 1);
    }

    #[test]
    fn the_matrix_in_slices_is_the_matrix_at_once() {
        let doc = default_scenario();
        let mut d = Deriver::default();
        d.sync(&Rc::new(doc.clone()), 1, 0);
        let mut job = d.matrix_job().unwrap();
        let mut slices = 0;
        while !job.done() {
            assert!(d.matrix_rows(&mut job, 1));
            slices += 1;
        }
        assert_eq!(slices, doc.world.users.len());
        assert_eq!(job.finish(), matrix(&doc));
        // a job of an older document is stale
        let mut stale = d.matrix_job().unwrap();
        d.sync(&Rc::new(doc.clone()), 2, 0);
        assert!(!d.matrix_rows(&mut stale, 1));
    }

    #[test]
    fn a_matrix_planned_ahead_is_the_matrix_at_once() {
        let doc = default_scenario();
        let mut d = Deriver::default();
        d.sync(&Rc::new(doc.clone()), 1, 0);
        let mut prep = d.matrix_prep().unwrap();
        let mut rows = 1;
        while d.prepare_matrix_row(&mut prep) {
            rows += 1;
        }
        assert_eq!(rows, doc.world.users.len(), "one row at a time, then done");
        assert!(prep.done());
        let mut job = d.matrix_job().unwrap();
        while !job.done() {
            assert!(d.matrix_rows(&mut job, 1));
        }
        assert_eq!(job.finish(), matrix(&doc));
        // planning ahead for an older document stops
        let mut stale = d.matrix_prep().unwrap();
        d.sync(&Rc::new(doc.clone()), 2, 0);
        assert!(!d.prepare_matrix_row(&mut stale));
        assert!(!stale.done(), "stopped, not done");
        // a refused matrix has nothing to plan
        let mut huge = doc.clone();
        huge.matrix.users = (0..300).map(|i| format!("user-{i}")).collect();
        huge.matrix.actions = abacus_studio::actions::catalogue()
            .actions
            .iter()
            .map(|a| a.action.clone())
            .collect();
        d.sync(&Rc::new(huge), 3, 0);
        let mut refused = d.matrix_prep().unwrap();
        assert!(!d.prepare_matrix_row(&mut refused));
        assert!(
            matches!(refused.layout, Some(None)),
            "the matrix is refused"
        );
        assert!(!refused.done(), "nothing planned");
    }

    #[test]
    fn every_matrix_cell_keeps_the_request_it_decided() {
        let doc = default_scenario();
        let m = matrix(&doc);
        let ws = Workspace::new(&doc);
        for (r, row) in m.view.cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match m.request(r, c) {
                    Some(sel) if cell.is_some() => {
                        assert_eq!(sel.user, m.view.users[r]);
                        assert_eq!(ws.decide(sel).ok(), *cell, "({r}, {c})");
                    }
                    _ => assert!(cell.is_none() || m.request(r, c).is_some()),
                }
            }
        }
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
