//! Evaluation of a workspace: build the request, pick the policies that apply, ask the
//! engine, add the calls AWS makes implicitly, and write the CloudTrail records.
//!
//! [`Workspace`] parses each policy text once and keeps the parse while the text stays, so
//! the web app can re-evaluate on every keystroke and fill a whole access matrix cheaply.

use crate::cloudtrail::{self, DataAccessRequester};
use crate::implied::{self, CheckKind, Implied, Rule, Scope, SessionRule};
use crate::model::World;
use crate::request::{
    build_request, build_request_with, BuiltRequest, Caller, Detail, KeyLayers, Parameters,
    RequestError, Route, Selection,
};
use crate::scenario::{PolicyKind, PolicyText, Scenario};
use crate::session::{service_session, ServiceSession};
use abacus_policy::codes::Code;
use abacus_policy::{
    authorize, authorize_decision, parse_policy, ActionSet, Authorization, Decision, Diagnostic,
    NamedPolicy, ParsedPolicy, PolicySet, Request,
};
use serde::Serialize;
// foldhash: the workspace's maps are looked up for every matrix cell (attachments, set
// numbers, narrowed sets), and SipHash was a tenth of planning a large world's matrix
use foldhash::{HashMap, HashMapExt};
use std::collections::HashSet;
use std::sync::Arc;

/// A parsed workspace, ready to evaluate selections.
#[derive(Clone, Debug)]
pub struct Workspace {
    scenario: Scenario,
    /// attachment target -> (policy index, kind)
    attached: HashMap<String, Vec<(usize, PolicyKind)>>,
    named: Vec<NamedPolicy>,
    /// The policy sets decisions have read, by what they depend on.
    sets: SetCache,
    /// The numbers of the sets' keys.
    set_ids: SetIdCache,
    /// The calls decisions have planned, by selection.
    plans: PlanCache,
    /// The access matrix's cells as last planned, by user.
    matrix_plans: MatrixPlanCache,
    /// The keys of callers and targets that planned requests share.
    key_layers: Kept<KeyLayers>,
}

/// What [`Workspace::policy_set`] makes of a request, and so all its set depends on
/// besides the workspace's policies: the caller's role or IAM user (its identity policies
/// and boundaries), the session policy, the trust or resource-based policy that applies
/// (by index), and the scope.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct SetKey {
    scope: Scope,
    policy_role: Option<String>,
    policy_iam_user: Option<String>,
    session: Option<usize>,
    resource: Option<usize>,
}

/// What a workspace derives and keeps behind `&self` (a lock: a decision reads a shared
/// workspace). A copy of the workspace starts with it empty, and it prints no contents.
#[derive(Default)]
struct Kept<T>(std::sync::Mutex<T>);

impl<T: Default> Clone for Kept<T> {
    fn clone(&self) -> Self {
        Kept::default()
    }
}

impl<T> std::fmt::Debug for Kept<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kept")
    }
}

/// The policy sets of decisions, shared: an access matrix decides thousands of requests
/// against the few sets its users and resources make, and building a set clones each of
/// its policies. Indexed by [`SetIds`] number. The cache is emptied whenever the policies
/// change (`rebuild`), and a copy of a workspace starts with an empty one.
type SetCache = Kept<Sets>;

/// The sets of [`SetCache`] by number, and how many narrowed sets they keep in all.
#[derive(Default)]
struct Sets {
    by_id: Vec<Option<KeptSet>>,
    narrowed: usize,
}

impl Sets {
    /// Narrowed sets kept at most, across all sets: as many as the largest matrix has
    /// cells (past it, a decision is made against the whole set). They are dropped with
    /// the sets, at the next edit of a policy.
    const MAX_NARROWED: usize = MAX_MATRIX_CELLS;
}

/// A set of [`SetCache`], and the same set narrowed to each action decided against it (see
/// [`ActionSet`]: a matrix decides each action for many resources, and the users of one
/// role share its set).
struct KeptSet {
    set: Arc<PolicySet>,
    by_action: HashMap<Box<str>, Arc<ActionSet>>,
}

impl KeptSet {
    /// Actions a set keeps narrowed sets for at most: more than the catalogue's actions of
    /// the services a matrix shows (past it, a decision is made against the whole set).
    const MAX_ACTIONS: usize = 4_096;
}

/// A number for each [`SetKey`] a decision has needed. A plan keeps the numbers of its
/// calls' sets, so that deciding it again (the access matrix after each edit) finds each
/// set by index, without making the key (two attachment lookups and copies of names)
/// or hashing it. A key reads the attachments, never a policy's text: the numbers are
/// forgotten with the plans, when the world or an attachment changes.
type SetIdCache = Kept<SetIds>;

/// The numbers of [`SetIdCache`].
#[derive(Default)]
struct SetIds {
    by_key: HashMap<SetKey, usize>,
    /// The key numbered last and its number: the cells of a matrix row, and the calls of a
    /// plan, mostly have the key of the call before, found so without copying its names
    /// or hashing them.
    last: Option<(SetKey, usize)>,
}

/// The calls a decision plans for a selection ([`Workspace::plan_with`] with
/// [`Detail::Decision`], SageMaker's session calls included), by selection. A plan reads the
/// world, where policies are attached and the reference data (the specs of actions and
/// resource types outside the Studio catalogue), never a policy's text: so an edit of a
/// policy (every keystroke) keeps the plans, and the expectations decided again after it
/// build no request. The cache is emptied when the world or an attachment changes, or when
/// reference data is installed, and holds at most [`Plans::MAX`] plans.
///
/// The access matrix's cells are kept apart, by user and column (see [`MatrixPlanCache`]).
type PlanCache = Kept<Plans>;

/// The plans of [`PlanCache`], with the reference generation they were made with.
#[derive(Default)]
struct Plans {
    generation: u64,
    by_selection: HashMap<Selection, Arc<Result<Plan, RequestError>>>,
}

impl Plans {
    /// Plans kept at most: far more than a document's expectations.
    const MAX: usize = 2_000;
}

/// The access matrix's cells as last planned: each cell's selection and the plan of its
/// decision, by user, each row for its own list of columns, for one route. Like [`PlanCache`] it holds
/// over policy edits (a plan reads no policy text), so the matrix after an edit decides
/// every cell again without building a request; it is emptied when the world, an
/// attachment, the reference data or the route change. A row kept for other columns gives
/// the cells of the columns it shares (a cell's plan depends on its column's action and
/// scope alone), so a column added is the only one planned. It holds at most
/// [`MAX_KEPT_MATRIX_CELLS`] cells. The app fills it ahead, row by row, while the page is
/// idle ([`Workspace::prepare_matrix_row`]), so that even the first matrix only decides.
///
/// On the large world of the bench (8,000 cells) this halves the matrix after an edit in
/// the browser and costs the world's first matrix some more: the memory of the kept plans
/// is new to the page, where dropped plans left memory to reuse. A kept cell holds its
/// selection, its requests and their own keys; the keys of its caller and of its target
/// are shared with the other cells (see [`KeyLayers`]). In the browser the large world's
/// first matrix grows the page's memory by about 28 MB, its view included.
type MatrixPlanCache = Kept<MatrixPlans>;

/// The cells of [`MatrixPlanCache`] and what they were planned for.
#[derive(Default)]
struct MatrixPlans {
    generation: u64,
    route: Route,
    /// The columns rows were last kept for: the rows kept for them share this list.
    columns: Arc<[MatrixColumn]>,
    by_user: HashMap<String, KeptRow>,
    /// The cells in `by_user`.
    held: usize,
}

impl MatrixPlans {
    /// True when the kept rows were planned for this reference `generation` and `route`.
    fn holds(&self, generation: u64, route: &Route) -> bool {
        self.generation == generation && self.route == *route
    }

    /// The cells held once `user`'s row is `width` cells (its kept row, if any, given
    /// back); the row fits when this is at most [`MAX_KEPT_MATRIX_CELLS`].
    fn held_with(&self, user: &str, width: usize) -> usize {
        let mine = self.by_user.get(user).map_or(0, |row| row.cells.len());
        self.held.saturating_sub(mine) + width
    }
}

/// A user's row of [`MatrixPlans`]: a cell for each of its columns.
struct KeptRow {
    /// The columns the row was planned for (shared by the rows planned for the same list).
    columns: Arc<[MatrixColumn]>,
    /// `cells[i]` is the cell of `columns[i]`.
    cells: Vec<KeptCell>,
}

impl KeptRow {
    /// The row's cells for `columns`, each from this row's column of the same action and
    /// scope (a cell's plan depends on nothing else of the column); `None` for a column
    /// this row has no cell for.
    fn cells_for(self, columns: &[MatrixColumn]) -> Vec<Option<KeptCell>> {
        if *self.columns == *columns {
            return self.cells.into_iter().map(Some).collect();
        }
        let at: HashMap<(&str, ResourceScope), usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.action.as_str(), c.scope), i))
            .collect();
        columns
            .iter()
            .map(|c| {
                at.get(&(c.action.as_str(), c.scope))
                    .and_then(|i| self.cells.get(*i))
                    .cloned()
            })
            .collect()
    }
}

/// Matrix cells kept at most: the large world's 8,000 and more, at a few KB of plans a
/// cell (a matrix may have up to [`MAX_MATRIX_CELLS`]; the rows past this are planned
/// again each time).
const MAX_KEPT_MATRIX_CELLS: usize = 10_000;

/// The widest matrix row planned ahead ([`Workspace::prepare_matrix_row`]): a row is
/// planned in one piece, in one slice of an idle period, and 400 cells plan in about 5 ms
/// in the browser. Wider rows are planned when the matrix is computed (in slices of its
/// own).
pub const MAX_PREPARED_COLUMNS: usize = 400;

/// One cell of [`MatrixPlans`]: `None` for a column with no request for the user.
type KeptCell = Option<(Arc<Selection>, Arc<Result<Plan, RequestError>>)>;

/// Which policies took part, by policy id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppliedPolicies {
    /// Identity-based policies.
    pub identity: Vec<String>,
    /// Resource-based or trust policy.
    pub resource: Option<String>,
    /// Permissions boundaries.
    pub boundaries: Vec<String>,
    /// Session policy.
    pub session: Option<String>,
    /// SCPs per organization level.
    pub scps: Vec<Vec<String>>,
    /// RCPs per organization level.
    pub rcps: Vec<Vec<String>>,
}

/// A call AWS makes or a check it requires around the selected one (role assumption before
/// a chained call, `iam:PassRole` for a call that passes a role, `sagemaker:AddTags` for a
/// create with tags, Lake Formation for Athena...).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImpliedCall {
    /// Why it happens.
    pub why: String,
    /// The rule that asks for it (`pass-role`, `saml-tag-session`, ...: an implied check or
    /// a session permission of [`crate::implied`]); `None` for the role-chaining hop and
    /// EMR's `AddJobFlowSteps`.
    pub check: Option<String>,
    /// Whose policies decide it.
    pub scope: Scope,
    /// The AWS pages its rule encodes.
    pub sources: Vec<String>,
    /// The request.
    pub request: Request,
    /// The engine's answer.
    pub authorization: Authorization,
    /// Policies that took part.
    pub policies: AppliedPolicies,
}

/// Everything known about one evaluated selection.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// The selection evaluated.
    pub selection: Selection,
    /// Overall outcome: the first call (in the order AWS makes them) that is not allowed
    /// decides; `Allow` when every call is allowed.
    pub decision: Decision,
    /// The AccessDenied message the caller sees, when denied; when SageMaker could not
    /// create the caller's role session, why (the call never happened).
    pub denial_message: Option<String>,
    /// Principal ARN of the selected call.
    pub principal_arn: String,
    /// The selected call's request.
    pub request: Request,
    /// The engine's answer for the selected call.
    pub authorization: Authorization,
    /// Policies that took part in the selected call.
    pub policies: AppliedPolicies,
    /// Calls made or required before the selected one.
    pub before: Vec<ImpliedCall>,
    /// Calls made or required with or after the selected one.
    pub after: Vec<ImpliedCall>,
    /// CloudTrail records, in event order.
    pub cloudtrail: Vec<serde_json::Value>,
    /// Why keys are present or absent.
    pub notes: Vec<String>,
}

/// Whose resource a matrix column targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ResourceScope {
    /// A resource the row's user owns.
    Own,
    /// A resource owned by someone else.
    Others,
    /// No per-user resource (`*` actions and creates).
    Any,
}

/// One matrix column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatrixColumn {
    /// Action.
    pub action: String,
    /// Whose resource.
    pub scope: ResourceScope,
    /// Header text, e.g. `sagemaker:StopTrainingJob (own)`.
    pub label: String,
}

/// Users × (action × own/others' resource).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matrix {
    /// Row users, each once.
    pub users: Vec<String>,
    /// Columns, each action once.
    pub columns: Vec<MatrixColumn>,
    /// `cells[user][column]`; `None` when the world has no fitting resource.
    pub cells: Vec<Vec<Option<Decision>>>,
    /// Why the matrix was not computed (it would exceed [`MAX_MATRIX_CELLS`]); then
    /// `users`, `columns` and `cells` are empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<MatrixTooLarge>,
}

/// The most cells an access matrix may have. Each cell is a full evaluation, and a share
/// link of a few kilobytes can name thousands of users and actions.
pub const MAX_MATRIX_CELLS: usize = 20_000;

/// Policy sets a workspace keeps at most (numbered by [`SetIds`]): far more than the
/// distinct callers, sessions and resource policies of a large account.
const MAX_SETS: usize = 100_000;

/// An access matrix larger than [`MAX_MATRIX_CELLS`], refused instead of computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatrixTooLarge {
    /// Stable code: `matrix-too-large`.
    pub code: &'static str,
    /// Distinct users (rows).
    pub users: usize,
    /// Columns of the distinct actions.
    pub columns: usize,
    /// `users × columns` (saturating).
    pub cells: usize,
    /// [`MAX_MATRIX_CELLS`].
    pub limit: usize,
}

impl MatrixTooLarge {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        "name fewer users in `matrix.users` or fewer actions in `matrix.actions`"
    }
}

impl std::fmt::Display for MatrixTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the access matrix would have {} cells ({} users × {} columns), more than the limit of {}",
            self.cells, self.users, self.columns, self.limit
        )
    }
}

impl std::error::Error for MatrixTooLarge {}

/// The rows, columns and route of an access matrix (see [`Workspace::matrix_layout`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixLayout {
    /// Row users, each once.
    pub users: Vec<String>,
    /// Columns, each action once.
    pub columns: Vec<MatrixColumn>,
    /// The route every cell's call takes.
    pub route: Route,
}

/// One cell of an access matrix (see [`Workspace::matrix_row`]).
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixCell {
    /// The decision; `None` when the request could not be built.
    pub decision: Option<Decision>,
    /// The request the cell decides; `None` when the world has no resource for the
    /// column (or the action is unknown). Shared with the workspace's kept plans.
    pub selection: Option<Arc<Selection>>,
}

/// The outcome of one expectation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpectationResult {
    /// Expectation name.
    pub name: String,
    /// Expected decision.
    pub expected: Decision,
    /// Actual decision (`None` when the request could not be built).
    pub actual: Option<Decision>,
    /// True when the decision (and message, if constrained) matched.
    pub passed: bool,
    /// Why it failed beyond the decision (message mismatch, build error).
    pub problem: Option<String>,
}

/// The `AddJobFlowSteps` the user makes from the Studio space to submit a step that runs as
/// the runtime role `role` ("Runtime roles for Amazon EMR steps": access is controlled with
/// the `elasticmapreduce:ExecutionRoleArn` condition key). The cluster is `cluster`, else the
/// user's first EMR cluster in the world.
fn emr_add_step(
    world: &World,
    selection: &Selection,
    role: &str,
    cluster: Option<&str>,
) -> Result<Call, RequestError> {
    let cluster = cluster.map(str::to_owned).or_else(|| {
        world
            .resources
            .iter()
            .find(|r| {
                r.resource_type == "emr-cluster"
                    && r.owner.as_deref() == Some(selection.user.as_str())
            })
            .map(|r| r.id.clone())
    });
    let step = Selection {
        user: selection.user.clone(),
        action: "elasticmapreduce:AddJobFlowSteps".to_owned(),
        resource: cluster,
        resource_arn: None,
        route: Route::StudioSpace,
        parameters: Parameters::default(),
    };
    let mut built = build_request(world, &step)?;
    let role_arn = world.role_arn(role);
    built
        .request
        .context
        .insert_single("elasticmapreduce:ExecutionRoleArn", role_arn.clone());
    built.vars.insert("ExecutionRoleArn".to_owned(), role_arn);
    Ok(Call {
        why: format!("the user submits the step from the Studio space with `AddJobFlowSteps`, naming `{role}` as its runtime role (`elasticmapreduce:ExecutionRoleArn`)"),
        built,
        session: false,
        rule: None,
        session_rule: None,
    })
}

/// Evaluates `selection` in `scenario` (parses the policies; prefer [`Workspace`] for
/// repeated evaluation).
pub fn evaluate(scenario: &Scenario, selection: &Selection) -> Result<Evaluation, RequestError> {
    Workspace::new(scenario).evaluate(selection)
}

struct Call {
    why: String,
    built: BuiltRequest,
    /// One of the STS permissions SageMaker needs to create the caller's session.
    session: bool,
    /// The implied-authorization rule that asks for it.
    rule: Option<&'static Rule>,
    /// The session rule that asks for it (session calls).
    session_rule: Option<&'static SessionRule>,
}

impl Call {
    fn scope(&self) -> Scope {
        self.rule.map_or(Scope::All, |r| r.scope)
    }

    fn implied(implied: Implied) -> Call {
        Call {
            why: implied.why,
            built: implied.built,
            session: false,
            rule: Some(implied.rule),
            session_rule: None,
        }
    }
}

/// The calls around a selection, in the order AWS makes them.
struct Plan {
    before: Vec<Call>,
    main: BuiltRequest,
    after: Vec<Call>,
    /// The [`SetIds`] number of each call's policy set, in the order `before`, `main`,
    /// `after` (for a plan that decides; empty for a full evaluation's).
    set_ids: Vec<usize>,
    /// The session SageMaker creates, when its trust policy is modelled.
    session: Option<ServiceSession>,
    notes: Vec<String>,
}

impl Plan {
    /// Each call with the scope of its policy set, in the order they are decided: `before`,
    /// `main`, `after`.
    fn calls(&self) -> impl Iterator<Item = (&BuiltRequest, Scope)> {
        self.before
            .iter()
            .map(|c| (&c.built, c.scope()))
            .chain(std::iter::once((&self.main, Scope::All)))
            .chain(self.after.iter().map(|c| (&c.built, c.scope())))
    }

    /// Frees the room the requests' contexts reserved for more keys (a plan the access
    /// matrix keeps).
    fn shrink_to_fit(&mut self) {
        let calls = self.before.iter_mut().chain(self.after.iter_mut());
        for built in calls
            .map(|c| &mut c.built)
            .chain(std::iter::once(&mut self.main))
        {
            built.request.context.shrink_to_fit();
        }
    }
}

impl Workspace {
    /// Parses every policy of `scenario`.
    pub fn new(scenario: &Scenario) -> Self {
        let mut ws = Workspace {
            scenario: scenario.clone(),
            attached: HashMap::new(),
            named: Vec::new(),
            sets: SetCache::default(),
            set_ids: SetIdCache::default(),
            plans: PlanCache::default(),
            matrix_plans: MatrixPlanCache::default(),
            key_layers: Kept::default(),
        };
        ws.rebuild(None);
        ws
    }

    /// Replaces the scenario, re-parsing only policy texts not seen before.
    pub fn update(&mut self, scenario: &Scenario) {
        let previous = std::mem::replace(&mut self.scenario, scenario.clone());
        self.rebuild(Some(&previous));
    }

    /// Parses the policies, keeping the parse of every text `previous` had. An edit changes
    /// one policy, so each text is first compared with the one at the same place, and only
    /// a text not found there is looked for among the others (a policy moved or deleted):
    /// by length first, so that a text is compared in full only with one as long.
    fn rebuild(&mut self, previous: Option<&Scenario>) {
        let before = std::mem::take(&mut self.named);
        let old: &[crate::scenario::PolicyEntry] = previous.map_or(&[], |p| &p.policies);
        let reused = |i: usize, text: &PolicyText| -> Option<Arc<ParsedPolicy>> {
            let at = |j: usize| {
                old.get(j)
                    .filter(|o| o.text == *text)
                    .and_then(|_| before.get(j))
                    .map(|n| n.parsed.clone())
            };
            at(i).or_else(|| (0..old.len()).filter(|j| *j != i).find_map(at))
        };
        let attached_before = std::mem::take(&mut self.attached);
        self.sets = SetCache::default();
        for (i, p) in self.scenario.policies.iter().enumerate() {
            let parsed = reused(i, &p.text).unwrap_or_else(|| Arc::new(parse_policy(&p.text)));
            self.named
                .push(NamedPolicy::new(p.name.clone(), parsed).with_arn(p.arn.clone()));
            for target in &p.attached_to {
                self.attached
                    .entry(target.clone())
                    .or_default()
                    .push((i, p.kind));
            }
        }
        let plans_hold = previous.is_some_and(|p| Arc::ptr_eq(&p.world, &self.scenario.world))
            && attached_before == self.attached;
        if !plans_hold {
            self.set_ids = SetIdCache::default();
            self.plans = PlanCache::default();
            self.matrix_plans = MatrixPlanCache::default();
            self.key_layers = Kept::default();
        }
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Diagnostics per policy id (only policies that have some).
    pub fn diagnostics(&self) -> Vec<(String, Vec<Diagnostic>)> {
        self.scenario
            .policies
            .iter()
            .zip(&self.named)
            .filter(|(_, n)| !n.parsed.diagnostics.is_empty())
            .map(|(p, n)| (p.id.clone(), n.parsed.diagnostics.clone()))
            .collect()
    }

    /// Every policy as parsed, in the scenario's order (`parsed()[i]` is policy `i`): what
    /// the linter reads, so nothing is parsed twice.
    pub fn parsed(&self) -> Vec<&ParsedPolicy> {
        self.named.iter().map(|n| &*n.parsed).collect()
    }

    /// Policy `i` as parsed.
    pub fn parsed_policy(&self, i: usize) -> Option<&ParsedPolicy> {
        self.named.get(i).map(|n| &*n.parsed)
    }

    /// [`Workspace::parsed`], shared: a text that an update leaves alone keeps the same
    /// `Arc`, so a caller can tell what changed by pointer.
    pub fn parsed_shared(&self) -> Vec<Arc<ParsedPolicy>> {
        self.named.iter().map(|n| n.parsed.clone()).collect()
    }

    fn world(&self) -> &World {
        &self.scenario.world
    }

    fn policies_on(&self, target: &str, kind: PolicyKind) -> Vec<usize> {
        self.attached
            .get(target)
            .map(|v| {
                v.iter()
                    .filter(|(_, k)| *k == kind)
                    .map(|(i, _)| *i)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn id_of(&self, i: usize) -> String {
        self.scenario
            .policies
            .get(i)
            .map(|p| p.id.clone())
            .unwrap_or_default()
    }

    fn named_at(&self, i: usize) -> Option<NamedPolicy> {
        self.named.get(i).cloned()
    }

    /// The first policy of `kind` attached to `prefix:name`.
    fn first_on(&self, prefix: &str, name: &str, kind: PolicyKind) -> Option<usize> {
        // the target's name is put together on the stack (every matrix cell looks its
        // session and resource policies up), and in a String only when it is long
        let mut buf = [0u8; 128];
        let joined = buf
            .get_mut(..prefix.len() + name.len())
            .and_then(|dst| {
                let (head, tail) = dst.split_at_mut(prefix.len());
                head.copy_from_slice(prefix.as_bytes());
                tail.copy_from_slice(name.as_bytes());
                std::str::from_utf8(dst).ok()
            })
            .map_or_else(
                || std::borrow::Cow::Owned([prefix, name].concat()),
                std::borrow::Cow::Borrowed,
            );
        self.attached
            .get(joined.as_ref())?
            .iter()
            .find(|(_, k)| *k == kind)
            .map(|(i, _)| *i)
    }

    /// The session policy of `built` for `user`: a role session's, outside a trust check.
    fn session_policy(&self, built: &BuiltRequest, user: &str, scope: Scope) -> Option<usize> {
        let session = matches!(*built.caller, Caller::AssumedRole { .. });
        if scope == Scope::Trust || !session {
            return None;
        }
        self.first_on("user:", user, PolicyKind::Session)
    }

    /// The trust policy (of the role an STS call targets) or resource-based policy that
    /// applies to `built`, unless `scope` is the caller's side alone.
    fn resource_policy(&self, built: &BuiltRequest, scope: Scope) -> Option<usize> {
        match (&built.trust_policy_role, &built.resource_policy_owner) {
            _ if scope == Scope::Identity => None,
            (Some(role), _) => self.first_on("role:", role, PolicyKind::Trust),
            (None, Some(owner)) => self.first_on("resource:", owner, PolicyKind::Resource),
            _ => None,
        }
    }

    /// [`Workspace::policy_set`] for a decision (no ids), built once per [`SetKey`].
    fn decision_set(&self, built: &BuiltRequest, user: &str, scope: Scope) -> Arc<PolicySet> {
        let id = self.set_id(built, user, scope);
        self.set_by_id(id, built, user, scope)
    }

    /// The [`SetIds`] number of the set of `built` for `user` in `scope`.
    fn set_id(&self, built: &BuiltRequest, user: &str, scope: Scope) -> usize {
        let session = self.session_policy(built, user, scope);
        let resource = self.resource_policy(built, scope);
        // A poisoned lock (a panic while another thread held it) only loses the numbers:
        // a number past every set then builds its set each time.
        let Ok(mut ids) = self.set_ids.0.lock() else {
            return usize::MAX;
        };
        if let Some((last, id)) = &ids.last {
            if last.scope == scope
                && last.session == session
                && last.resource == resource
                && last.policy_role == built.policy_role
                && last.policy_iam_user == built.policy_iam_user
            {
                return *id;
            }
        }
        let key = SetKey {
            scope,
            policy_role: built.policy_role.clone(),
            policy_iam_user: built.policy_iam_user.clone(),
            session,
            resource,
        };
        let next = ids.by_key.len();
        let id = *ids.by_key.entry(key.clone()).or_insert(next);
        ids.last = Some((key, id));
        id
    }

    /// The set numbered `id` (see [`Workspace::set_id`]), built from `built`, `user` and
    /// `scope` (which make its key) the first time after an edit.
    fn set_by_id(
        &self,
        id: usize,
        built: &BuiltRequest,
        user: &str,
        scope: Scope,
    ) -> Arc<PolicySet> {
        // A poisoned lock (a panic while another thread held it) only loses the cache.
        if let Some(set) = self.sets.0.lock().ok().and_then(|s| {
            s.by_id
                .get(id)
                .and_then(|k| k.as_ref().map(|k| k.set.clone()))
        }) {
            return set;
        }
        let set = Arc::new(self.policy_set(built, user, scope, false).0);
        self.keep_set(id, &set);
        set
    }

    /// Keeps `set` as the set numbered `id`, unless one is kept already or `id` is past
    /// [`MAX_SETS`].
    fn keep_set(&self, id: usize, set: &Arc<PolicySet>) {
        if let Ok(mut sets) = self.sets.0.lock() {
            if id < MAX_SETS && sets.by_id.len() <= id {
                sets.by_id.resize_with(id + 1, || None);
            }
            if let Some(slot @ None) = sets.by_id.get_mut(id) {
                *slot = Some(KeptSet {
                    set: set.clone(),
                    by_action: HashMap::new(),
                });
            }
        }
    }

    /// The decision of `built` against the set numbered `id`, narrowed to its action (see
    /// [`ActionSet`]; made the first time after an edit). A set that is not kept (its
    /// number past [`MAX_SETS`]), or that keeps no more narrowed sets, decides whole.
    fn decide_call(&self, id: usize, built: &BuiltRequest, user: &str, scope: Scope) -> Decision {
        let (request, action) = (&built.request, built.request.action.as_str());
        let kept = self.sets.0.lock().ok().and_then(|s| {
            let k = s.by_id.get(id)?.as_ref()?;
            Some(match k.by_action.get(action) {
                Some(narrowed) => Ok(narrowed.clone()),
                None => Err(k.set.clone()),
            })
        });
        let set = match kept {
            Some(Ok(narrowed)) => return narrowed.decide(request),
            Some(Err(set)) => set,
            None => self.set_by_id(id, built, user, scope),
        };
        // A poisoned lock (a panic while another thread held it) only loses the cache.
        let room = |sets: &Sets| {
            sets.narrowed < Sets::MAX_NARROWED
                && sets
                    .by_id
                    .get(id)
                    .and_then(Option::as_ref)
                    .is_some_and(|k| {
                        Arc::ptr_eq(&k.set, &set) && k.by_action.len() < KeptSet::MAX_ACTIONS
                    })
        };
        if !self.sets.0.lock().is_ok_and(|s| room(&s)) {
            return authorize_decision(&set, request);
        }
        let narrowed = Arc::new(ActionSet::new(set.clone(), action));
        if let Ok(mut sets) = self.sets.0.lock() {
            if room(&sets) {
                sets.narrowed += 1;
                if let Some(Some(k)) = sets.by_id.get_mut(id) {
                    k.by_action.insert(action.into(), narrowed.clone());
                }
            }
        }
        narrowed.decide(request)
    }

    /// The policies that apply to `built` for `user`, limited to `scope`'s side (see
    /// [`Scope`]), and, with `ids`, which ones they are by id (a decision alone needs no
    /// ids: the access matrix builds thousands of sets).
    fn policy_set(
        &self,
        built: &BuiltRequest,
        user: &str,
        scope: Scope,
        ids: bool,
    ) -> (PolicySet, AppliedPolicies) {
        let mut set = PolicySet {
            caller_side_only: scope == Scope::Identity,
            ..PolicySet::default()
        };
        let mut applied = AppliedPolicies::default();
        let principal_target = match (&built.policy_role, &built.policy_iam_user) {
            (Some(r), _) => Some(format!("role:{r}")),
            (None, Some(u)) => Some(format!("iam-user:{u}")),
            _ => None,
        }
        .filter(|_| scope != Scope::Trust);
        if let Some(t) = &principal_target {
            for i in self.policies_on(t, PolicyKind::Identity) {
                if let Some(n) = self.named_at(i) {
                    set.identity.push(n);
                    if ids {
                        applied.identity.push(self.id_of(i));
                    }
                }
            }
            for i in self.policies_on(t, PolicyKind::Boundary) {
                if let Some(n) = self.named_at(i) {
                    set.permission_boundaries.push(n);
                    if ids {
                        applied.boundaries.push(self.id_of(i));
                    }
                }
            }
        }
        if let Some(i) = self.session_policy(built, user, scope) {
            set.session = self.named_at(i);
            applied.session = ids.then(|| self.id_of(i));
        }
        if let Some(i) = self.resource_policy(built, scope) {
            set.resource = self.named_at(i);
            applied.resource = ids.then(|| self.id_of(i));
        }
        // A policy type with nothing attached at any level is not in use (in AWS an enabled
        // type has at least the full-access policy at every level).
        let levels = &self.world().organization;
        let in_use = |kind: PolicyKind| {
            levels
                .iter()
                .any(|l| !self.policies_on(&format!("org:{l}"), kind).is_empty())
        };
        let (use_scps, use_rcps) = (in_use(PolicyKind::Scp), in_use(PolicyKind::Rcp));
        for level in levels {
            let target = format!("org:{level}");
            if use_scps {
                let scps = self.policies_on(&target, PolicyKind::Scp);
                set.scps
                    .push(scps.iter().filter_map(|i| self.named_at(*i)).collect());
                if ids {
                    applied
                        .scps
                        .push(scps.iter().map(|i| self.id_of(*i)).collect());
                }
            }
            if use_rcps {
                let rcps = self.policies_on(&target, PolicyKind::Rcp);
                set.rcps
                    .push(rcps.iter().filter_map(|i| self.named_at(*i)).collect());
                if ids {
                    applied
                        .rcps
                        .push(rcps.iter().map(|i| self.id_of(*i)).collect());
                }
            }
        }
        (set, applied)
    }

    /// The calls around `selection`, in the order AWS makes them.
    fn plan(&self, selection: &Selection) -> Result<Plan, RequestError> {
        self.plan_with(selection, true, Detail::Full)
    }

    /// [`Workspace::plan`], leaving out SageMaker's session calls unless `with_session`
    /// (the matrix decides them once per user).
    fn plan_with(
        &self,
        selection: &Selection,
        with_session: bool,
        detail: Detail,
    ) -> Result<Plan, RequestError> {
        let world = self.world();
        // A poisoned lock (a panic while another thread held it) only loses what is shared.
        let mut kept = self.key_layers.0.lock().ok();
        let mut fresh = KeyLayers::default();
        let layers = kept.as_deref_mut().unwrap_or(&mut fresh);
        let main = build_request_with(world, selection, detail, layers)?;
        let mut before = Vec::new();
        let mut after = Vec::new();
        let mut notes = Vec::new();
        let mut modelled_session = None;
        let session = if with_session {
            service_session(world, selection)?
        } else {
            None
        };
        if let Route::EmrStep { role, cluster, .. } = &selection.route {
            before.push(emr_add_step(world, selection, role, cluster.as_deref())?);
        }
        if let Some(session) = session {
            let calls = session.calls(world);
            let trusted = !self
                .policies_on(&format!("role:{}", session.role), PolicyKind::Trust)
                .is_empty();
            if trusted {
                before.extend(calls.into_iter().map(|c| Call {
                    why: c.why,
                    built: c.built,
                    session: true,
                    rule: None,
                    session_rule: Some(c.rule),
                }));
                modelled_session = Some(session);
            } else {
                let actions: Vec<String> = calls
                    .iter()
                    .map(|c| format!("`{}`", c.built.action.action))
                    .collect();
                notes.push(format!(
                    "`{}` has no trust policy in this scenario, so the {} that create the {} session are not modelled: the session is assumed to exist",
                    session.role,
                    actions.join(" + "),
                    session.runs
                ));
            }
        }
        if let Route::RoleChain { role, session_name } = &selection.route {
            let hop = Selection {
                user: selection.user.clone(),
                action: "sts:AssumeRole".to_owned(),
                resource: None,
                resource_arn: None,
                route: Route::StudioSpace,
                parameters: Parameters {
                    name: Some(role.clone()),
                    resource_type: Some("iam-role".to_owned()),
                    ..Parameters::default()
                },
            };
            let mut hop_built = build_request_with(world, &hop, detail, layers)?;
            hop_built.vars.insert(
                "SessionName".to_owned(),
                session_name.clone().unwrap_or_else(|| "chained".to_owned()),
            );
            let hop_checks = implied::expand(world, &hop, &hop_built, detail, layers)?;
            before.push(Call {
                why: format!("role chaining: the Studio session assumes `{role}` first"),
                built: hop_built,
                session: false,
                rule: None,
                session_rule: None,
            });
            before.extend(hop_checks.into_iter().map(Call::implied));
        }
        after.extend(
            implied::expand(world, selection, &main, detail, layers)?
                .into_iter()
                .map(Call::implied),
        );
        if after
            .iter()
            .any(|c| c.rule.is_some_and(|r| r.check == CheckKind::PassRole))
        {
            notes.push("the `iam:PassRole` check carries `iam:PassedToService` but not `iam:AssociatedResourceArn`: no AWS page documents that SageMaker sets it".to_owned());
        }
        if after
            .iter()
            .any(|c| c.rule.is_some_and(|r| r.check == CheckKind::KmsKey))
        {
            notes.push("the KMS check carries `kms:ViaService` and `kms:CallerAccount` but no encryption context; the record KMS writes for it (made by the service on the caller's behalf) is not simulated".to_owned());
        }
        if let (
            Route::Console,
            Some(crate::model::Authentication::Saml {
                saml_provider: None,
                ..
            }),
        ) = (
            &selection.route,
            world.user(&selection.user).map(|u| &u.auth),
        ) {
            notes.push("the user's SAML sign-in is assumed to have happened: give the user's `auth` a `samlProvider` to check `sts:AssumeRoleWithSAML` and `sts:TagSession` against the role's trust policy".to_owned());
        }
        if let Route::EmrStep { .. } = &selection.route {
            notes.push("EMR runtime roles: `iam:PassRole` is not checked for `AddJobFlowSteps` (the EMR guide documents only the `elasticmapreduce:ExecutionRoleArn` condition), the Studio session behind it is assumed, and the instance profile and runtime session names are illustrative".to_owned());
        }
        let mut plan = Plan {
            before,
            main,
            after,
            set_ids: Vec::new(),
            session: modelled_session,
            notes,
        };
        // the numbers of the calls' sets, for a plan that decides (a full evaluation builds
        // its sets with their ids, see `Workspace::evaluate`)
        if detail == Detail::Decision {
            plan.set_ids = plan
                .calls()
                .map(|(built, scope)| self.set_id(built, &selection.user, scope))
                .collect();
        }
        Ok(plan)
    }

    /// The decision only, without the explanation or CloudTrail records (expectations that
    /// name no check and no message, and tests).
    pub fn decide(&self, selection: &Selection) -> Result<Decision, RequestError> {
        let plan = self.decision_plan(selection);
        self.decide_plan(&plan, &selection.user)
    }

    /// The decision of SageMaker's session calls for `selection`'s user and route alone
    /// (`Allow` when there are none).
    fn session_decision(&self, selection: &Selection) -> Decision {
        let world = self.world();
        let Ok(Some(session)) = service_session(world, selection) else {
            return Decision::Allow;
        };
        if self
            .policies_on(&format!("role:{}", session.role), PolicyKind::Trust)
            .is_empty()
        {
            return Decision::Allow;
        }
        for call in session.calls(world) {
            let set = self.decision_set(&call.built, &selection.user, Scope::All);
            let d = authorize_decision(&set, &call.built.request);
            if d != Decision::Allow {
                return d;
            }
        }
        Decision::Allow
    }

    /// The decision of the calls of `plan`, made by `user`: the first that is not allowed
    /// decides.
    fn decide_plan(
        &self,
        plan: &Result<Plan, RequestError>,
        user: &str,
    ) -> Result<Decision, RequestError> {
        let plan = plan.as_ref().map_err(Clone::clone)?;
        for (i, (built, scope)) in plan.calls().enumerate() {
            let id = match plan.set_ids.get(i) {
                Some(id) => *id,
                None => self.set_id(built, user, scope),
            };
            let d = self.decide_call(id, built, user, scope);
            if d != Decision::Allow {
                return Ok(d);
            }
        }
        Ok(Decision::Allow)
    }

    /// The plan of a decision of `selection`, with SageMaker's session calls: from the cache
    /// when it holds one (see [`PlanCache`]; the matrix keeps its own, see
    /// [`MatrixPlanCache`]).
    fn decision_plan(&self, selection: &Selection) -> Arc<Result<Plan, RequestError>> {
        // A poisoned lock (a panic while another thread held it) only loses the cache.
        let generation = abacus_reference::generation();
        if let Ok(mut plans) = self.plans.0.lock() {
            if plans.generation != generation {
                // reference data was installed: a plan may now find an action it did not
                plans.by_selection.clear();
                plans.generation = generation;
            }
            if let Some(plan) = plans.by_selection.get(selection) {
                return plan.clone();
            }
        }
        let plan = Arc::new(self.plan_with(selection, true, Detail::Decision));
        if let Ok(mut plans) = self.plans.0.lock() {
            if plans.generation == generation && plans.by_selection.len() < Plans::MAX {
                plans.by_selection.insert(selection.clone(), plan.clone());
            }
        }
        plan
    }

    /// Evaluates `selection` with the full trace and CloudTrail records.
    pub fn evaluate(&self, selection: &Selection) -> Result<Evaluation, RequestError> {
        let world = self.world();
        let Plan {
            before,
            mut main,
            after,
            session,
            notes: plan_notes,
            ..
        } = self.plan(selection)?;
        let query_id = cloudtrail::query_id(world, &main);
        main.vars.insert("QueryId".to_owned(), query_id.clone());
        let run = |call: &Call| {
            let (set, applied) = self.policy_set(&call.built, &selection.user, call.scope(), true);
            ImpliedCall {
                why: call.why.clone(),
                check: call
                    .rule
                    .map(|r| r.id.clone())
                    .or_else(|| call.session_rule.map(|r| r.id.clone())),
                scope: call.scope(),
                sources: call
                    .rule
                    .map(|r| r.sources.clone())
                    .or_else(|| call.session_rule.map(|r| r.sources.clone()))
                    .unwrap_or_default(),
                request: call.built.request.clone(),
                authorization: authorize(&set, &call.built.request),
                policies: applied,
            }
        };
        let before_done: Vec<ImpliedCall> = before.iter().map(run).collect();
        let (main_set, main_applied) = self.policy_set(&main, &selection.user, Scope::All, true);
        let main_auth = authorize(&main_set, &main.request);
        let after_done: Vec<ImpliedCall> = after.iter().map(run).collect();

        let mut cloudtrail = Vec::new();
        let mut session_notes = Vec::new();
        // The session SageMaker creates and the role-chaining hop come first; if one fails,
        // the call never happens and nothing after it is logged.
        let mut blocked = None;
        // A session that was created writes its successful AssumeRole (or
        // AssumeRoleWithSAML) where it happens: the records of its calls carry the access key
        // it returned.
        let session_created = before
            .iter()
            .zip(&before_done)
            .filter(|(c, _)| c.session)
            .all(|(_, d)| d.authorization.decision.is_allowed());
        let mut session_logged = false;
        for (call, done) in before.iter().zip(&before_done) {
            if blocked.is_some() {
                break;
            }
            if call.session && session_created {
                if !session_logged && call.built.action.action.starts_with("sts:AssumeRole") {
                    cloudtrail.extend(cloudtrail::record(
                        world,
                        &call.built,
                        Decision::Allow,
                        None,
                    ));
                    session_logged = true;
                }
                continue;
            }
            let denial = done
                .authorization
                .access_denied
                .as_ref()
                .map(|a| a.message.clone());
            if call.session {
                if done.authorization.decision == Decision::Allow {
                    continue;
                }
                let explanation = session
                    .as_ref()
                    .map(|s| {
                        s.failure(
                            &call.built.action.action,
                            done.authorization.decision == Decision::ExplicitDeny,
                            &main.action.action,
                        )
                    })
                    .unwrap_or_default();
                // STS logs one failed AssumeRole (or AssumeRoleWithSAML), whichever of its
                // permissions was missing.
                let assume = before
                    .iter()
                    .find(|c| c.session && c.built.action.action.starts_with("sts:AssumeRole"))
                    .map_or(&call.built, |c| &c.built);
                if let Some(r) = cloudtrail::record(
                    world,
                    assume,
                    done.authorization.decision,
                    denial.as_deref(),
                ) {
                    cloudtrail.push(r);
                }
                session_notes.push(match &denial {
                    Some(m) => format!("{explanation} (STS: {m})"),
                    None => explanation.clone(),
                });
                blocked = Some((done.authorization.decision, Some(explanation)));
                continue;
            }
            if let Some(r) = cloudtrail::record(
                world,
                &call.built,
                done.authorization.decision,
                denial.as_deref(),
            ) {
                cloudtrail.push(r);
            }
            if blocked.is_none() && done.authorization.decision != Decision::Allow {
                blocked = Some((done.authorization.decision, denial));
            }
        }
        let mut main_outcome = (
            main_auth.decision,
            main_auth.access_denied.as_ref().map(|a| a.message.clone()),
        );
        // A call whose implied checks (PassRole, AddTags, SetSourceIdentity) are not all
        // allowed fails as a whole with the first failing check's AccessDenied; Lake
        // Formation's data access is its own call, logged below.
        if main_outcome.0 == Decision::Allow {
            for (call, done) in after.iter().zip(&after_done) {
                let companion = call
                    .rule
                    .is_some_and(|r| r.check != CheckKind::DataAccessViaAthena);
                if companion && done.authorization.decision != Decision::Allow {
                    main_outcome = (
                        done.authorization.decision,
                        done.authorization
                            .access_denied
                            .as_ref()
                            .map(|a| a.message.clone()),
                    );
                    break;
                }
            }
        }
        let mut overall = blocked.clone().unwrap_or_else(|| main_outcome.clone());
        if blocked.is_none() {
            let via = selection.parameters.via.as_deref();
            let is_lf = main.action.action == "lakeformation:GetDataAccess";
            if is_lf {
                if let Some(table) = main.vars.get("TargetArn") {
                    let requester = if via == Some("athena") {
                        DataAccessRequester::Athena
                    } else {
                        DataAccessRequester::Emr
                    };
                    cloudtrail.push(cloudtrail::get_data_access_record(
                        world,
                        &main,
                        table,
                        requester,
                        Some(&query_id),
                        main_outcome.0,
                        main_outcome.1.as_deref(),
                    ));
                }
            } else if let Some(r) =
                cloudtrail::record(world, &main, main_outcome.0, main_outcome.1.as_deref())
            {
                cloudtrail.push(r);
            }
            if main_outcome.0 == Decision::Allow {
                for (call, done) in after.iter().zip(&after_done) {
                    if call.built.action.action == "lakeformation:GetDataAccess" {
                        if let Some(table) = call.built.vars.get("TargetArn") {
                            let denial = done
                                .authorization
                                .access_denied
                                .as_ref()
                                .map(|a| a.message.clone());
                            cloudtrail.push(cloudtrail::get_data_access_record(
                                world,
                                &call.built,
                                table,
                                DataAccessRequester::Athena,
                                Some(&query_id),
                                done.authorization.decision,
                                denial.as_deref(),
                            ));
                            if overall.0 == Decision::Allow
                                && done.authorization.decision != Decision::Allow
                            {
                                overall = (done.authorization.decision, denial);
                            }
                        }
                    }
                }
            }
        }
        let mut notes = session_notes;
        notes.extend(plan_notes);
        notes.extend(main.notes.iter().cloned());
        for n in &main_auth.missing_keys {
            notes.push(format!(
                "the policies test `{n}`, which this request does not carry"
            ));
        }
        Ok(Evaluation {
            selection: selection.clone(),
            decision: overall.0,
            denial_message: overall.1,
            principal_arn: main.request.principal.clone(),
            request: main.request.clone(),
            authorization: main_auth,
            policies: main_applied,
            before: before_done,
            after: after_done,
            cloudtrail,
            notes,
        })
    }

    /// The access matrix: users × (actions × own/others' resource), or an empty matrix
    /// whose `refused` says why (see [`Workspace::try_matrix`]).
    pub fn matrix(&self) -> Matrix {
        self.try_matrix().unwrap_or_else(|too_large| Matrix {
            users: Vec::new(),
            columns: Vec::new(),
            cells: Vec::new(),
            refused: Some(too_large),
        })
    }

    /// The access matrix: users × (actions × own/others' resource). Users and actions
    /// named twice (actions in any case) give one row or column; a matrix of more than
    /// [`MAX_MATRIX_CELLS`] cells is refused before any cell is evaluated.
    pub fn try_matrix(&self) -> Result<Matrix, MatrixTooLarge> {
        let layout = self.matrix_layout()?;
        let cells = layout
            .users
            .iter()
            .map(|u| {
                self.matrix_row(u, &layout.columns, &layout.route)
                    .into_iter()
                    .map(|c| c.decision)
                    .collect()
            })
            .collect();
        Ok(Matrix {
            users: layout.users,
            columns: layout.columns,
            cells,
            refused: None,
        })
    }

    /// The rows, columns and route of the access matrix, without any cell (see
    /// [`Workspace::try_matrix`]): for computing it a row at a time with
    /// [`Workspace::matrix_row`].
    pub fn matrix_layout(&self) -> Result<MatrixLayout, MatrixTooLarge> {
        let s = &self.scenario;
        let named = if s.matrix.users.is_empty() {
            s.world.users.iter().map(|u| &u.name).collect::<Vec<_>>()
        } else {
            s.matrix.users.iter().collect()
        };
        let mut seen_users = HashSet::new();
        let users: Vec<String> = named
            .into_iter()
            .filter(|u| seen_users.insert(u.as_str()))
            .cloned()
            .collect();
        let mut actions: Vec<&str> = s.matrix.actions.iter().map(String::as_str).collect();
        if actions.is_empty() {
            actions = s
                .expectations
                .iter()
                .map(|e| e.request.action.as_str())
                .collect();
        }
        let route = s.matrix.route.clone().unwrap_or_default();
        let mut columns = Vec::new();
        let mut seen_actions = HashSet::new();
        for a in actions {
            let Some(spec) = crate::actions::spec(a) else {
                continue;
            };
            if !seen_actions.insert(spec.action.to_ascii_lowercase()) {
                continue;
            }
            // a `Create…` call on an existing, tagged resource (CreatePresignedDomainUrl on
            // a user profile) is tried on own and others' resources like any other
            let creates = spec.name().starts_with("Create")
                && !spec.carries(crate::actions::KeyFamily::ResourceTags);
            if spec.resource_type == "none" || creates {
                columns.push(MatrixColumn {
                    action: spec.action.clone(),
                    scope: ResourceScope::Any,
                    label: spec.action.clone(),
                });
            } else {
                columns.push(MatrixColumn {
                    action: spec.action.clone(),
                    scope: ResourceScope::Own,
                    label: format!("{} (own)", spec.action),
                });
                columns.push(MatrixColumn {
                    action: spec.action.clone(),
                    scope: ResourceScope::Others,
                    label: format!("{} (others')", spec.action),
                });
            }
        }
        let cells = users.len().saturating_mul(columns.len());
        if cells > MAX_MATRIX_CELLS {
            return Err(MatrixTooLarge {
                code: Code::MatrixTooLarge.as_str(),
                users: users.len(),
                columns: columns.len(),
                cells,
                limit: MAX_MATRIX_CELLS,
            });
        }
        Ok(MatrixLayout {
            users,
            columns,
            route,
        })
    }

    /// One row of the access matrix: `user` in each of `columns` through `route`, each cell
    /// with the request it decides (so that opening a cell needs no recomputation).
    pub fn matrix_row(
        &self,
        user: &str,
        columns: &[MatrixColumn],
        route: &Route,
    ) -> Vec<MatrixCell> {
        let generation = abacus_reference::generation();
        let planned = self.plan_matrix_row(user, columns, route, generation);
        // The session depends only on the user and the route: decide it once.
        let mut session: Option<Decision> = None;
        let cells = planned
            .iter()
            .map(|cell| {
                let Some((sel, plan)) = cell else {
                    return MatrixCell {
                        decision: None,
                        selection: None,
                    };
                };
                // Request errors (no such resource...) win, as in `decide`.
                let decision = self.decide_plan(plan, user).ok().map(|rest| {
                    let first = *session.get_or_insert_with(|| self.session_decision(sel));
                    if first == Decision::Allow {
                        rest
                    } else {
                        first
                    }
                });
                MatrixCell {
                    decision,
                    selection: Some(sel.clone()),
                }
            })
            .collect();
        // a row not kept is planned again next time
        let _kept = self.keep_matrix_row(user, columns, route, generation, planned);
        cells
    }

    /// `user`'s cells for `columns` through `route`: the kept row's cells of the same
    /// columns (taken out of the cache: [`Workspace::keep_matrix_row`] puts the row back),
    /// the others planned now.
    fn plan_matrix_row(
        &self,
        user: &str,
        columns: &[MatrixColumn],
        route: &Route,
        generation: u64,
    ) -> Vec<KeptCell> {
        let mut kept = self
            .kept_matrix_row(user, route, generation)
            .map(|row| row.cells_for(columns).into_iter());
        columns
            .iter()
            .map(|c| match kept.as_mut().and_then(Iterator::next).flatten() {
                Some(cell) => cell,
                None => self.plan_matrix_cell(user, c, route),
            })
            .collect()
    }

    /// Plans `user`'s row of `layout` and keeps it for [`Workspace::matrix_row`], without
    /// deciding any cell (a row kept already for these columns is left as it is; one kept
    /// for other columns gives the cells of the columns it shares). The app prepares the rows
    /// so while the page is idle: opening the matrix then only decides, as after a policy
    /// edit (plans hold over policy edits, see [`MatrixPlanCache`]). To make room, rows of
    /// users no longer in the matrix are dropped.
    ///
    /// False when the row is not kept: the cache holds its most cells, the row is wider than
    /// [`MAX_PREPARED_COLUMNS`], reference data was installed meanwhile, or the cache's lock
    /// was poisoned. Preparing further rows would then only be planning thrown away.
    pub fn prepare_matrix_row(&self, layout: &MatrixLayout, user: &str) -> bool {
        let (columns, route) = (&layout.columns, &layout.route);
        if columns.len() > MAX_PREPARED_COLUMNS {
            return false;
        }
        let generation = abacus_reference::generation();
        {
            // A poisoned lock (a panic while another thread held it) only loses the cache.
            let Ok(mut kept) = self.matrix_plans.0.lock() else {
                return false;
            };
            if kept.holds(generation, route) {
                let mine = kept.by_user.get(user);
                if mine.is_some_and(|row| *row.columns == **columns) {
                    return true;
                }
                if kept.held_with(user, columns.len()) > MAX_KEPT_MATRIX_CELLS {
                    let users: HashSet<&str> = layout.users.iter().map(String::as_str).collect();
                    let rows = kept.by_user.len();
                    kept.by_user.retain(|u, _| users.contains(u.as_str()));
                    if kept.by_user.len() < rows {
                        kept.held = kept.by_user.values().map(|r| r.cells.len()).sum();
                    }
                    if kept.held_with(user, columns.len()) > MAX_KEPT_MATRIX_CELLS {
                        return false;
                    }
                }
            }
        }
        let cells = self.plan_matrix_row(user, columns, route, generation);
        self.keep_matrix_row(user, columns, route, generation, cells)
    }

    /// One cell of the access matrix planned for a decision: its selection (see
    /// [`Workspace::matrix_selection`]) and the plan of its calls, SageMaker's session calls
    /// left out (the matrix decides them once per user).
    fn plan_matrix_cell(&self, user: &str, column: &MatrixColumn, route: &Route) -> KeptCell {
        let sel = self.matrix_selection(user, column, route)?;
        let mut plan = self.plan_with(&sel, false, Detail::Decision);
        if let Ok(p) = &mut plan {
            p.shrink_to_fit();
        }
        Some((Arc::new(sel), Arc::new(plan)))
    }

    /// `user`'s matrix row as last planned, taken out of the cache, when it was planned for
    /// this route and the reference data of `generation` (the one installed when the row
    /// began).
    fn kept_matrix_row(&self, user: &str, route: &Route, generation: u64) -> Option<KeptRow> {
        // A poisoned lock (a panic while another thread held it) only loses the cache.
        let mut kept = self.matrix_plans.0.lock().ok()?;
        if !kept.holds(generation, route) {
            return None;
        }
        let row = kept.by_user.remove(user)?;
        kept.held = kept.held.saturating_sub(row.cells.len());
        Some(row)
    }

    /// Keeps `user`'s row of cells for `columns` for the next matrix (see
    /// [`MatrixPlanCache`]), unless reference data was installed since the row began
    /// (`generation`): then the row may hold plans made without it. Whether the row is
    /// kept.
    fn keep_matrix_row(
        &self,
        user: &str,
        columns: &[MatrixColumn],
        route: &Route,
        generation: u64,
        cells: Vec<KeptCell>,
    ) -> bool {
        if abacus_reference::generation() != generation || cells.len() != columns.len() {
            return false;
        }
        let Ok(mut kept) = self.matrix_plans.0.lock() else {
            return false;
        };
        if !kept.holds(generation, route) {
            *kept = MatrixPlans {
                generation,
                route: route.clone(),
                ..MatrixPlans::default()
            };
        }
        let held = kept.held_with(user, cells.len());
        if held > MAX_KEPT_MATRIX_CELLS {
            return false;
        }
        if *kept.columns != *columns {
            kept.columns = columns.into();
        }
        let row = KeptRow {
            columns: kept.columns.clone(),
            cells,
        };
        kept.held = held;
        kept.by_user.insert(user.to_owned(), row);
        true
    }

    /// The request behind one access-matrix cell: the cell's user and the column's action,
    /// sent through `route`; for an own/others' column, the first owned world resource of the
    /// action's type that is (or is not) the user's; for a create or resource-less column, a
    /// `USER-new` name where the action takes one.
    ///
    /// `None` when the action is unknown or the world has no resource for the column. This is
    /// the selection [`Workspace::matrix`] evaluates, so loading it reproduces the cell.
    pub fn matrix_selection(
        &self,
        user: &str,
        column: &MatrixColumn,
        route: &Route,
    ) -> Option<Selection> {
        let spec = crate::actions::spec(&column.action)?;
        let mut sel = Selection {
            user: user.to_owned(),
            action: spec.action.clone(),
            resource: None,
            resource_arn: None,
            route: route.clone(),
            parameters: Parameters::default(),
        };
        match column.scope {
            ResourceScope::Any => {
                if spec.resource_type != "none" {
                    sel.parameters.name = Some(format!("{user}-new"));
                }
            }
            ResourceScope::Own | ResourceScope::Others => {
                let own = column.scope == ResourceScope::Own;
                let r = self.world().resources.iter().find(|r| {
                    r.resource_type == spec.resource_type
                        && r.owner.is_some()
                        && (r.owner.as_deref() == Some(user)) == own
                })?;
                sel.resource = Some(r.id.clone());
            }
        }
        Some(sel)
    }

    /// Checks every expectation of the scenario.
    ///
    /// An expectation that names neither a check nor a message is answered by the decision
    /// alone ([`Workspace::decide`], as the matrix is: no trace, no CloudTrail records), which
    /// is what the app does on every keystroke; the others by the whole evaluation.
    pub fn check_expectations(&self) -> Vec<ExpectationResult> {
        self.scenario
            .expectations
            .iter()
            .map(|e| {
                if e.check.is_none() && e.message_contains.is_none() {
                    let (actual, problem) = match self.decide(&e.request) {
                        Ok(d) if d == e.expected => (Some(d), None),
                        Ok(d) => (Some(d), Some(format!("expected {}, got {}", e.expected, d))),
                        Err(err) => (None, Some(err.to_string())),
                    };
                    return ExpectationResult {
                        name: e.name.clone(),
                        expected: e.expected,
                        actual,
                        passed: problem.is_none(),
                        problem,
                    };
                }
                self.check_in_full(e)
            })
            .collect()
    }

    /// Checks expectation `e` from the whole evaluation of its request.
    fn check_in_full(&self, e: &crate::scenario::Expectation) -> ExpectationResult {
        match self.evaluate(&e.request) {
            Ok(ev) => {
                // the whole call, or the one check the expectation names
                let outcome = match &e.check {
                    None => Ok((ev.decision, ev.denial_message.clone())),
                    Some(id) => ev
                        .before
                        .iter()
                        .chain(&ev.after)
                        .find(|c| {
                            c.check.as_deref() == Some(id.as_str())
                                || c.request.action.eq_ignore_ascii_case(id)
                        })
                        .map(|c| {
                            (
                                c.authorization.decision,
                                c.authorization
                                    .access_denied
                                    .as_ref()
                                    .map(|a| a.message.clone()),
                            )
                        })
                        .ok_or_else(|| format!("the check `{id}` is not made for this request")),
                };
                let (decision, message) = match outcome {
                    Ok(o) => o,
                    Err(problem) => {
                        return ExpectationResult {
                            name: e.name.clone(),
                            expected: e.expected,
                            actual: None,
                            passed: false,
                            problem: Some(problem),
                        }
                    }
                };
                let mut problem = None;
                if decision != e.expected {
                    problem = Some(format!("expected {}, got {}", e.expected, decision));
                } else if let Some(want) = &e.message_contains {
                    let got = message.clone().unwrap_or_default();
                    if !got.contains(want.as_str()) {
                        problem = Some(format!(
                            "the AccessDenied message does not contain `{want}`"
                        ));
                    }
                }
                ExpectationResult {
                    name: e.name.clone(),
                    expected: e.expected,
                    actual: Some(decision),
                    passed: problem.is_none(),
                    problem,
                }
            }
            Err(err) => ExpectationResult {
                name: e.name.clone(),
                expected: e.expected,
                actual: None,
                passed: false,
                problem: Some(err.to_string()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn default_expectations_pass() {
        let ws = Workspace::new(&default_scenario());
        for r in ws.check_expectations() {
            assert!(r.passed, "{}: {:?}", r.name, r.problem);
        }
    }

    #[test]
    fn default_selection_is_denied_with_message_and_record() {
        let s = default_scenario();
        let ev = evaluate(&s, &s.selection).unwrap();
        assert_eq!(ev.decision, Decision::ImplicitDeny);
        let msg = ev.denial_message.unwrap();
        assert!(msg.contains("assumed-role/SageMakerStudioTeamARole/SageMaker is not authorized to perform: sagemaker:StopTrainingJob"), "{msg}");
        // CloudTrail User Guide, "CloudTrail userIdentity element": SageMaker's successful
        // AssumeRole (type AWSService) comes first, with the source identity it set; the
        // session's calls carry the access key that AssumeRole returned
        assert_eq!(ev.cloudtrail.len(), 2);
        let (assume, call) = (&ev.cloudtrail[0], &ev.cloudtrail[1]);
        assert_eq!(assume["eventName"], "AssumeRole");
        assert_eq!(assume["userIdentity"]["type"], "AWSService");
        assert_eq!(
            assume["userIdentity"]["invokedBy"],
            "sagemaker.amazonaws.com"
        );
        assert_eq!(assume["requestParameters"]["sourceIdentity"], "alice");
        assert_eq!(
            assume["responseElements"]["credentials"]["accessKeyId"],
            call["userIdentity"]["accessKeyId"]
        );
        // STS API Reference, "AssumeRole": 3600 seconds by default
        assert_eq!(
            assume["responseElements"]["credentials"]["expiration"],
            "Apr 18, 2025 2:16:36 PM"
        );
        // SageMaker is a JSON-protocol service ("Common Errors": AccessDeniedException)
        assert_eq!(call["errorCode"], "AccessDeniedException");
    }

    #[test]
    fn decide_agrees_with_evaluate_on_the_matrix() {
        let mut one_domain_disabled = with_trust(ASSUME_ONLY);
        std::sync::Arc::make_mut(&mut one_domain_disabled.world).domains[0]
            .execution_role_identity_config = crate::model::ExecutionRoleIdentityConfig::Disabled;
        for s in [
            default_scenario(),
            with_trust(ASSUME_ONLY),
            one_domain_disabled,
        ] {
            let ws = Workspace::new(&s);
            let m = ws.matrix();
            assert_eq!(m.cells.len(), m.users.len());
            let mut filled = 0;
            for (ui, row) in m.cells.iter().enumerate() {
                for (ci, cell) in row.iter().enumerate() {
                    let sel =
                        ws.matrix_selection(&m.users[ui], &m.columns[ci], &Route::StudioSpace);
                    let expected = sel.and_then(|sel| ws.evaluate(&sel).ok().map(|e| e.decision));
                    assert_eq!(*cell, expected, "{} {}", m.users[ui], m.columns[ci].label);
                    filled += usize::from(cell.is_some());
                }
            }
            assert!(filled > 0);
        }
    }

    #[test]
    fn matrix_rows_and_columns_are_distinct() {
        // issue 11: 2,000 duplicates of each gave 8 M cells
        let mut s = default_scenario();
        let plain = Workspace::new(&s).matrix();
        let user = plain.users[0].clone();
        let action = plain.columns[0].action.clone();
        s.matrix.users = vec![user.clone(); 2_000];
        s.matrix.actions = (0..2_000)
            .map(|i| {
                if i % 2 == 0 {
                    action.clone()
                } else {
                    action.to_ascii_lowercase()
                }
            })
            .collect();
        let m = Workspace::new(&s).matrix();
        assert_eq!(m.refused, None);
        assert_eq!(m.users, vec![user]);
        let per_action = plain.columns.iter().filter(|c| c.action == action).count();
        assert_eq!(m.columns.len(), per_action);
        assert!(m.columns.iter().all(|c| c.action == action));
        assert_eq!(m.cells.len(), 1);
        assert_eq!(m.cells[0], plain.cells[0][..per_action]);
    }

    #[test]
    fn a_matrix_over_the_cap_is_refused_before_any_cell() {
        let mut s = default_scenario();
        let plain = Workspace::new(&s).matrix();
        let columns = plain.columns.len();
        let users = MAX_MATRIX_CELLS / columns + 1;
        s.matrix.users = (0..users).map(|i| format!("u{i}")).collect();
        let ws = Workspace::new(&s);
        let too_large = ws.try_matrix().unwrap_err();
        assert_eq!(too_large.code, "matrix-too-large");
        assert_eq!((too_large.users, too_large.columns), (users, columns));
        assert!(too_large.cells > MAX_MATRIX_CELLS);
        let message = too_large.to_string();
        assert!(
            message.contains(&format!("limit of {MAX_MATRIX_CELLS}")),
            "{message}"
        );
        let m = ws.matrix();
        assert_eq!(m.refused, Some(too_large));
        assert!(m.users.is_empty() && m.columns.is_empty() && m.cells.is_empty());
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["refused"]["code"], "matrix-too-large");
        // one user fewer fits
        s.matrix.users.truncate(MAX_MATRIX_CELLS / columns);
        let m = Workspace::new(&s).matrix();
        assert_eq!(m.refused, None);
        assert_eq!(m.cells.len(), MAX_MATRIX_CELLS / columns);
        assert!(serde_json::to_value(&m).unwrap().get("refused").is_none());
    }

    fn with_policy(s: &mut Scenario, id: &str, kind: PolicyKind, target: &str, text: &str) {
        s.policies.push(crate::scenario::PolicyEntry {
            id: id.into(),
            name: id.into(),
            kind,
            text: text.into(),
            attached_to: vec![target.into()],
            arn: None,
        });
    }

    #[test]
    fn a_decision_follows_an_update_of_the_policies_it_read() {
        // the cached policy sets go with the policies they were built from
        let s = default_scenario();
        let mut ws = Workspace::new(&s);
        assert_eq!(ws.decide(&s.selection).unwrap(), Decision::ImplicitDeny);
        let mut more = s.clone();
        with_policy(
            &mut more,
            "everything",
            PolicyKind::Identity,
            "role:SageMakerStudioTeamARole",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        ws.update(&more);
        assert_eq!(
            ws.decide(&s.selection).unwrap(),
            evaluate(&more, &s.selection).unwrap().decision
        );
        assert_eq!(ws.decide(&s.selection).unwrap(), Decision::Allow);
        ws.update(&s);
        assert_eq!(ws.decide(&s.selection).unwrap(), Decision::ImplicitDeny);
    }

    #[test]
    fn an_expectation_naming_a_check_the_call_does_not_make_fails_with_why() {
        let mut s = default_scenario();
        let mut e = s.expectations[0].clone();
        e.check = Some("no-such-check".into());
        s.expectations = vec![e];
        let r = &Workspace::new(&s).check_expectations()[0];
        assert!(!r.passed);
        assert_eq!(r.actual, None);
        assert_eq!(
            r.problem.as_deref(),
            Some("the check `no-such-check` is not made for this request")
        );
    }

    #[test]
    fn an_scp_deny_carries_the_scp_arn_the_world_gives_it() {
        // AWS Security Blog, "Enhanced access denied error messages with policy ARNs"
        let mut s = default_scenario();
        std::sync::Arc::make_mut(&mut s.world).organization = vec!["root".into()];
        with_policy(
            &mut s,
            "full",
            PolicyKind::Scp,
            "org:root",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        with_policy(
            &mut s,
            "no-s3",
            PolicyKind::Scp,
            "org:root",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#,
        );
        let arn = "arn:aws:organizations::111122223333:policy/o-abcdefghij/service_control_policy/p-denys3xx";
        if let Some(p) = s.policies.last_mut() {
            p.arn = Some(arn.into());
        }
        let ev = Workspace::new(&s).evaluate(&own_object()).unwrap();
        assert_eq!(ev.decision, Decision::ExplicitDeny);
        let message = ev.denial_message.unwrap();
        assert!(
            message.ends_with(&format!(
                "with an explicit deny in a service control policy: {arn}"
            )),
            "{message}"
        );
    }

    fn own_object() -> Selection {
        Selection {
            user: "alice".into(),
            action: "s3:GetObject".into(),
            resource: Some("obj-alice".into()),
            resource_arn: None,
            route: Route::StudioSpace,
            parameters: Parameters::default(),
        }
    }

    #[test]
    fn scps_apply_per_organization_level() {
        // IAM User Guide: "Policy evaluation logic" (an explicit deny in an SCP wins)
        let mut s = default_scenario();
        std::sync::Arc::make_mut(&mut s.world).organization = vec!["root".into(), "ml-ou".into()];
        let allow_all = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        with_policy(&mut s, "full", PolicyKind::Scp, "org:root", allow_all);
        with_policy(
            &mut s,
            "deny-s3",
            PolicyKind::Scp,
            "org:ml-ou",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
        );
        let ev = Workspace::new(&s).evaluate(&own_object()).unwrap();
        assert_eq!(ev.decision, Decision::ExplicitDeny);
        assert_eq!(
            ev.policies.scps,
            vec![vec!["full".to_owned()], vec!["deny-s3".to_owned()]]
        );
    }

    #[test]
    fn boundaries_and_session_policies_attach_where_declared() {
        // IAM User Guide: "Permissions boundaries for IAM entities" and "Session policies"
        let mut s = default_scenario();
        let only_secrets = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}"#;
        with_policy(
            &mut s,
            "boundary",
            PolicyKind::Boundary,
            "role:SageMakerStudioTeamARole",
            only_secrets,
        );
        let ws = Workspace::new(&s);
        let ev = ws.evaluate(&own_object()).unwrap();
        assert_eq!(ev.policies.boundaries, vec!["boundary".to_owned()]);
        assert_eq!(ev.decision, Decision::ImplicitDeny);

        let mut s = default_scenario();
        with_policy(
            &mut s,
            "session",
            PolicyKind::Session,
            "user:alice",
            only_secrets,
        );
        let ev = Workspace::new(&s).evaluate(&own_object()).unwrap();
        assert_eq!(ev.policies.session.as_deref(), Some("session"));
        assert_eq!(ev.decision, Decision::ImplicitDeny);
    }

    #[test]
    fn role_chaining_checks_the_hop_first() {
        // IAM User Guide: "Monitor and control actions taken with assumed roles"
        let mut sel = own_object();
        sel.route = Route::RoleChain {
            role: "DataEngineerRole".into(),
            session_name: None,
        };
        let ev = Workspace::new(&default_scenario()).evaluate(&sel).unwrap();
        // The default world has no trust policy on DataEngineerRole and no AssumeRole grant.
        assert_ne!(ev.decision, Decision::Allow);
        assert_eq!(
            ev.before.first().map(|c| c.request.action.as_str()),
            Some("sts:AssumeRole")
        );
        // SageMaker's AssumeRole of the Studio session, then the hop's failed AssumeRole
        assert_eq!(ev.cloudtrail.len(), 2);
        assert_eq!(ev.cloudtrail[0]["userIdentity"]["type"], "AWSService");
        assert_eq!(ev.cloudtrail[1]["eventName"], "AssumeRole");
        assert_eq!(ev.cloudtrail[1]["errorCode"], "AccessDenied");
    }

    #[test]
    fn create_with_tags_needs_add_tags() {
        // SageMaker Developer Guide: tagging on create requires sagemaker:AddTags
        // (sagemaker:TaggingAction names the create call)
        let mut s = default_scenario();
        s.policies.retain(|p| p.id != "add-tags-on-create");
        let mut sel = own_object();
        sel.action = "sagemaker:CreateTrainingJob".into();
        sel.resource = None;
        sel.parameters.name = Some("tagged".into());
        sel.parameters.file_system_directory_paths = vec!["/fsx/users/alice".into()];
        sel.parameters.tags.insert("project".into(), "x".into());
        let ev = Workspace::new(&s).evaluate(&sel).unwrap();
        assert_eq!(ev.authorization.decision, Decision::Allow);
        assert_eq!(ev.decision, Decision::ImplicitDeny);
        let message = ev.denial_message.unwrap();
        assert!(message.contains("sagemaker:AddTags"), "{message}");
        let with = Workspace::new(&default_scenario()).evaluate(&sel).unwrap();
        assert_eq!(with.decision, Decision::Allow);
    }

    fn with_trust(text: &str) -> Scenario {
        let mut s = default_scenario();
        for p in &mut s.policies {
            if p.kind == PolicyKind::Trust {
                p.text = text.into();
            }
        }
        s
    }

    const ASSUME_ONLY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    #[test]
    fn trust_policy_without_set_source_identity_blocks_the_session() {
        // IAM User Guide: "Monitor and control actions taken with assumed roles"; SageMaker
        // Developer Guide: "Monitor user resource access from Amazon SageMaker Studio"
        // (the execution role trusts sagemaker.amazonaws.com with sts:SetSourceIdentity)
        let ws = Workspace::new(&with_trust(ASSUME_ONLY));
        let ev = ws.evaluate(&own_object()).unwrap();
        // the user's own call would be allowed, but it never happens
        assert_eq!(ev.authorization.decision, Decision::Allow);
        assert_eq!(ev.decision, Decision::ImplicitDeny);
        assert_eq!(ws.decide(&own_object()).unwrap(), Decision::ImplicitDeny);
        let msg = ev.denial_message.unwrap();
        assert!(msg.starts_with("SageMaker could not assume `SageMakerStudioTeamARole` with a source identity: its trust policy does not allow sts:SetSourceIdentity for sagemaker.amazonaws.com"), "{msg}");
        let before: Vec<(&str, Decision)> = ev
            .before
            .iter()
            .map(|c| (c.request.action.as_str(), c.authorization.decision))
            .collect();
        assert_eq!(
            before,
            [
                ("sts:AssumeRole", Decision::Allow),
                ("sts:SetSourceIdentity", Decision::ImplicitDeny)
            ]
        );
        assert_eq!(
            ev.before[1].policies.resource.as_deref(),
            Some("trust-execution")
        );
        assert!(ev.notes.iter().any(|n| n.contains("(STS: User: sagemaker.amazonaws.com is not authorized to perform: sts:SetSourceIdentity")));
        // CloudTrail: SageMaker's failed AssumeRole, not the user's call
        assert_eq!(ev.cloudtrail.len(), 1);
        let r = &ev.cloudtrail[0];
        assert_eq!(r["eventSource"], "sts.amazonaws.com");
        assert_eq!(r["eventName"], "AssumeRole");
        assert_eq!(r["errorCode"], "AccessDenied");
        assert_eq!(r["userIdentity"]["type"], "AWSService");
        assert_eq!(r["userIdentity"]["invokedBy"], "sagemaker.amazonaws.com");
        assert_eq!(r["requestParameters"]["sourceIdentity"], "alice");
    }

    #[test]
    fn assume_role_only_is_enough_without_source_identity() {
        let mut s = with_trust(ASSUME_ONLY);
        for d in &mut std::sync::Arc::make_mut(&mut s.world).domains {
            d.execution_role_identity_config = crate::model::ExecutionRoleIdentityConfig::Disabled;
        }
        let mut sel = own_object();
        sel.action = "sagemaker:StopTrainingJob".into();
        sel.resource = Some("tj-alice".into());
        let ev = Workspace::new(&s).evaluate(&sel).unwrap();
        assert_eq!(ev.decision, Decision::Allow);
        assert_eq!(ev.before.len(), 1);
        assert_eq!(ev.cloudtrail.len(), 2);
        assert_eq!(ev.cloudtrail[0]["eventName"], "AssumeRole");
        assert!(ev.cloudtrail[0]["requestParameters"]
            .get("sourceIdentity")
            .is_none());
        assert_eq!(ev.cloudtrail[1]["eventName"], "StopTrainingJob");
    }

    #[test]
    fn trust_policy_deny_is_an_explicit_deny() {
        let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]},{"Effect":"Deny","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:SetSourceIdentity","Condition":{"StringEquals":{"sts:SourceIdentity":"alice"}}}]}"#;
        let ws = Workspace::new(&with_trust(deny));
        let ev = ws.evaluate(&own_object()).unwrap();
        assert_eq!(ev.decision, Decision::ExplicitDeny);
        assert!(ev
            .denial_message
            .unwrap()
            .contains("its trust policy explicitly denies sts:SetSourceIdentity"));
        let mut bob = own_object();
        bob.user = "bob".into();
        bob.resource = Some("obj-bob".into());
        assert_eq!(ws.decide(&bob).unwrap(), Decision::Allow);
    }

    #[test]
    fn jobs_and_role_chains_need_the_session_too() {
        let ws = Workspace::new(&with_trust(ASSUME_ONLY));
        let mut job = own_object();
        job.route = Route::TrainingJob { role: None };
        let ev = ws.evaluate(&job).unwrap();
        assert_eq!(ev.decision, Decision::ImplicitDeny);
        assert!(ev
            .denial_message
            .unwrap()
            .contains("the training job session was never created"));
        let mut chain = own_object();
        chain.route = Route::RoleChain {
            role: "DataEngineerRole".into(),
            session_name: None,
        };
        let ev = ws.evaluate(&chain).unwrap();
        assert!(ev
            .denial_message
            .unwrap()
            .starts_with("SageMaker could not assume `SageMakerStudioTeamARole`"));
        // the hop never happens, so only SageMaker's AssumeRole is logged
        assert_eq!(ev.cloudtrail.len(), 1);
        assert_eq!(ev.cloudtrail[0]["userIdentity"]["type"], "AWSService");
        // access keys do not go through SageMaker
        let mut keys = own_object();
        keys.route = Route::AccessKeys { iam_user: None };
        assert!(ws.evaluate(&keys).unwrap().before.is_empty());
    }

    #[test]
    fn missing_trust_policy_keeps_the_session_with_a_note() {
        let mut s = default_scenario();
        s.policies.retain(|p| p.kind != PolicyKind::Trust);
        let ev = Workspace::new(&s).evaluate(&own_object()).unwrap();
        assert_eq!(ev.decision, Decision::Allow);
        assert!(ev.before.is_empty());
        assert!(
            ev.notes.iter().any(|n| n
                .starts_with("`SageMakerStudioTeamARole` has no trust policy in this scenario")),
            "{:?}",
            ev.notes
        );
    }

    #[test]
    fn organization_policy_types_without_policies_are_not_in_use() {
        // AWS Organizations User Guide: "Resource control policies (RCPs)" (an enabled
        // policy type has the full-access policy at every level)
        let mut s = default_scenario();
        std::sync::Arc::make_mut(&mut s.world).organization = vec!["root".into()];
        let ev = Workspace::new(&s).evaluate(&own_object()).unwrap();
        assert_eq!(ev.decision, Decision::Allow);
        assert!(ev.policies.scps.is_empty() && ev.policies.rcps.is_empty());
    }

    #[test]
    fn update_reuses_parsed_policies() {
        let s = default_scenario();
        let mut ws = Workspace::new(&s);
        let before = Arc::as_ptr(&ws.named[0].parsed);
        ws.update(&s);
        assert_eq!(before, Arc::as_ptr(&ws.named[0].parsed));
    }

    #[test]
    fn update_reparses_only_what_changed_and_follows_moved_texts() {
        let s = default_scenario();
        assert!(
            s.policies.len() >= 3,
            "the default scenario has several policies"
        );
        let mut ws = Workspace::new(&s);
        let ptrs = |ws: &Workspace| -> Vec<*const ParsedPolicy> {
            ws.named.iter().map(|n| Arc::as_ptr(&n.parsed)).collect()
        };
        let first = ptrs(&ws);
        // an edit to policy 1: only it is parsed again
        let mut edited = s.clone();
        edited.policies[1].text = format!("{} ", edited.policies[1].text).into();
        ws.update(&edited);
        let after_edit = ptrs(&ws);
        assert_eq!(after_edit[0], first[0]);
        assert_ne!(after_edit[1], first[1]);
        assert_eq!(after_edit[2..], first[2..]);
        // policy 0 deleted: every other text keeps its parse at its new place
        let mut deleted = edited.clone();
        deleted.policies.remove(0);
        ws.update(&deleted);
        assert_eq!(ptrs(&ws), after_edit[1..]);
        // and the diagnostics follow their text
        assert_eq!(ws.parsed().len(), deleted.policies.len());
    }

    /// Held by the tests that count kept plans or install reference data: an install from
    /// another test thread would make a plan or a kept row out of date in the middle.
    static REFERENCE: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn hold_reference() -> std::sync::MutexGuard<'static, ()> {
        REFERENCE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `s` with every Allow made a Deny (the same world and attachments).
    fn all_denied(s: &Scenario) -> Scenario {
        let mut denied = s.clone();
        for p in &mut denied.policies {
            p.text = p.text.replace("\"Allow\"", "\"Deny\"").into();
        }
        denied
    }

    #[test]
    fn plans_outlive_policy_edits_but_not_world_or_attachment_changes() {
        let _reference = hold_reference();
        let s = default_scenario();
        let mut ws = Workspace::new(&s);
        let planned = |ws: &Workspace| ws.plans.0.lock().map(|p| p.by_selection.len()).unwrap_or(0);
        let sel = own_object();
        let decided = ws.decide(&sel).unwrap();
        assert_eq!(decided, ws.evaluate(&sel).unwrap().decision);
        assert_eq!(planned(&ws), 1);
        // every Allow made a Deny: the plan is kept, and the decision follows the texts
        let edited = all_denied(&s);
        ws.update(&edited);
        assert_eq!(planned(&ws), 1, "kept over a text edit");
        let after = ws.decide(&sel).unwrap();
        assert_ne!(after, decided, "the edit changes the decision");
        assert_eq!(after, ws.evaluate(&sel).unwrap().decision);
        // an attachment changes: the plans go
        let mut detached = edited.clone();
        detached.policies[0].attached_to.clear();
        ws.update(&detached);
        assert_eq!(planned(&ws), 0);
        ws.decide(&sel).unwrap();
        // the world changes: the plans go
        let mut moved = detached.clone();
        Arc::make_mut(&mut moved.world).region = "eu-west-1".into();
        ws.update(&moved);
        assert_eq!(planned(&ws), 0);
        assert_eq!(
            ws.decide(&sel).unwrap(),
            ws.evaluate(&sel).unwrap().decision
        );
    }

    #[test]
    fn matrix_plans_outlive_policy_edits_and_decide_as_a_new_workspace_does() {
        let _reference = hold_reference();
        let s = default_scenario();
        let mut ws = Workspace::new(&s);
        let kept = |ws: &Workspace| {
            ws.matrix_plans
                .0
                .lock()
                .map(|k| k.by_user.values().map(|r| r.cells.len()).sum::<usize>())
                .unwrap_or(0)
        };
        let first = ws.matrix();
        let cells = first.users.len() * first.columns.len();
        assert!(cells > 0);
        assert_eq!(kept(&ws), cells, "every cell is kept");
        assert_eq!(first, Workspace::new(&s).matrix());
        // every Allow made a Deny: the plans are kept, and the cells follow the texts
        let edited = all_denied(&s);
        ws.update(&edited);
        assert_eq!(kept(&ws), cells, "kept over a text edit");
        let after = ws.matrix();
        assert_ne!(after, first, "the edit changes the matrix");
        assert_eq!(after, Workspace::new(&edited).matrix());
        // other columns: the rows are planned for them
        let mut fewer = edited.clone();
        assert!(
            fewer.matrix.actions.len() > 1,
            "the default scenario names columns"
        );
        fewer.matrix.actions.truncate(1);
        ws.update(&fewer);
        assert_eq!(ws.matrix(), Workspace::new(&fewer).matrix());
        // an attachment changes: the plans go
        let mut detached = fewer.clone();
        detached.policies[0].attached_to.clear();
        ws.update(&detached);
        assert_eq!(kept(&ws), 0);
        assert_eq!(ws.matrix(), Workspace::new(&detached).matrix());
        // the world changes: the plans go
        let mut moved = detached.clone();
        Arc::make_mut(&mut moved.world).region = "eu-west-1".into();
        ws.update(&moved);
        assert_eq!(kept(&ws), 0);
        assert_eq!(ws.matrix(), Workspace::new(&moved).matrix());
    }

    #[test]
    fn prepared_matrix_rows_are_kept_once_and_decide_as_rows_planned_at_once() {
        let _reference = hold_reference();
        let s = default_scenario();
        let ws = Workspace::new(&s);
        let layout = ws.matrix_layout().unwrap();
        let user = layout.users[0].as_str();
        assert!(ws.prepare_matrix_row(&layout, user));
        let prepared = kept_row(&ws, user).expect("the row is kept");
        assert_eq!(prepared.len(), layout.columns.len());
        // a second preparation leaves the kept row as it is
        assert!(ws.prepare_matrix_row(&layout, user));
        assert!(same_plans(&kept_row(&ws, user).unwrap(), &prepared));
        for u in &layout.users {
            assert!(ws.prepare_matrix_row(&layout, u));
        }
        // the matrix decides the prepared plans, and decides as a new workspace does
        assert_eq!(ws.matrix(), Workspace::new(&s).matrix());
        assert!(
            same_plans(&kept_row(&ws, user).unwrap(), &prepared),
            "decided, not planned"
        );
        // the same plans decide the texts after an edit
        let mut ws = ws;
        let edited = all_denied(&s);
        ws.update(&edited);
        assert_eq!(ws.matrix(), Workspace::new(&edited).matrix());
        assert!(same_plans(&kept_row(&ws, user).unwrap(), &prepared));
        // other columns: the row is prepared for them, with the cells of the columns it
        // shares with the row kept
        let fewer = MatrixLayout {
            columns: layout.columns[..1].to_vec(),
            ..layout.clone()
        };
        assert!(ws.prepare_matrix_row(&fewer, user));
        assert!(same_plans(&kept_row(&ws, user).unwrap(), &prepared[..1]));
    }

    #[test]
    fn a_row_for_other_columns_plans_only_the_cells_not_kept() {
        let _reference = hold_reference();
        let s = default_scenario();
        let ws = Workspace::new(&s);
        let layout = ws.matrix_layout().unwrap();
        ws.matrix();
        let user = layout.users[0].as_str();
        let before = kept_row(&ws, user).expect("kept");
        // own and others' columns of one action trade places: the scope is part of the key
        assert!(layout.columns.iter().any(|c| c.scope == ResourceScope::Own));
        // the first column dropped, the others in reverse order, and a column added
        let mut columns: Vec<MatrixColumn> = layout.columns[1..].iter().rev().cloned().collect();
        let extra = crate::actions::catalogue()
            .actions
            .iter()
            .find(|a| !layout.columns.iter().any(|c| c.action == a.action))
            .expect("an action not in the matrix");
        columns.push(MatrixColumn {
            action: extra.action.clone(),
            scope: ResourceScope::Any,
            label: extra.action.clone(),
        });
        let cells = ws.matrix_row(user, &columns, &layout.route);
        assert_eq!(
            cells,
            Workspace::new(&s).matrix_row(user, &columns, &layout.route)
        );
        let after = kept_row(&ws, user).expect("kept");
        assert_eq!(after.len(), columns.len());
        let shared: Vec<_> = before[1..].iter().rev().cloned().collect();
        assert!(
            same_plans(&after[..shared.len()], &shared),
            "the same plans, not planned again"
        );
        // the other users' rows, kept for the old columns, give their cells too
        let other = layout.users[1].as_str();
        let theirs = kept_row(&ws, other).expect("kept");
        ws.matrix_row(other, &columns, &layout.route);
        let now = kept_row(&ws, other).expect("kept");
        let shared: Vec<_> = theirs[1..].iter().rev().cloned().collect();
        assert!(same_plans(&now[..shared.len()], &shared));
        let held = ws.matrix_plans.0.lock().map(|k| k.held).unwrap();
        let rows = layout.users.len();
        assert_eq!(held, (rows - 2) * layout.columns.len() + 2 * columns.len());
    }

    /// A kept cell's plan (`None` for a cell with no request).
    type KeptPlan = Option<Arc<Result<Plan, RequestError>>>;

    /// The plans of `user`'s kept matrix row.
    fn kept_row(ws: &Workspace, user: &str) -> Option<Vec<KeptPlan>> {
        ws.matrix_plans.0.lock().ok().and_then(|k| {
            k.by_user.get(user).map(|row| {
                row.cells
                    .iter()
                    .map(|c| c.as_ref().map(|(_, plan)| plan.clone()))
                    .collect()
            })
        })
    }

    /// Whether two rows of plans hold the very same plans (not equal ones planned again), and
    /// at least one plan.
    fn same_plans(a: &[KeptPlan], b: &[KeptPlan]) -> bool {
        a.len() == b.len()
            && a.iter().any(Option::is_some)
            && a.iter().zip(b).all(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => Arc::ptr_eq(x, y),
                (None, None) => true,
                _ => false,
            })
    }

    #[test]
    fn a_matrix_row_is_prepared_only_while_the_kept_cells_allow() {
        let _reference = hold_reference();
        let ws = Workspace::new(&default_scenario());
        let layout = ws.matrix_layout().unwrap();
        let (first, second, third) = (&layout.users[0], &layout.users[1], &layout.users[2]);
        assert!(ws.prepare_matrix_row(&layout, first));
        assert!(ws.prepare_matrix_row(&layout, second));
        let fill = |ws: &Workspace| {
            if let Ok(mut kept) = ws.matrix_plans.0.lock() {
                // as if other rows held all but a cell fewer than a row needs
                kept.held = MAX_KEPT_MATRIX_CELLS + 1 - layout.columns.len();
            }
        };
        fill(&ws);
        assert!(!ws.prepare_matrix_row(&layout, third));
        assert!(kept_row(&ws, third).is_none());
        // a row kept already is still reported as kept
        assert!(ws.prepare_matrix_row(&layout, first));
        // the matrix's users changed: the rows of users no longer in it make room
        let without_first = MatrixLayout {
            users: layout.users[1..].to_vec(),
            ..layout.clone()
        };
        fill(&ws);
        assert!(ws.prepare_matrix_row(&without_first, third));
        assert!(kept_row(&ws, first).is_none(), "dropped");
        assert!(kept_row(&ws, second).is_some() && kept_row(&ws, third).is_some());
        let held = ws.matrix_plans.0.lock().map(|k| k.held).unwrap();
        assert_eq!(held, 2 * layout.columns.len(), "counted again");
        // a row too wide to plan in one slice is left to the matrix
        let wide = MatrixLayout {
            columns: std::iter::repeat_n(layout.columns[0].clone(), MAX_PREPARED_COLUMNS + 1)
                .collect(),
            ..layout.clone()
        };
        assert!(!ws.prepare_matrix_row(&wide, first));
    }

    #[test]
    fn plans_are_made_again_when_reference_data_is_installed() {
        let _reference = hold_reference();
        // a plan reads specs derived from the reference: an action unknown before its
        // service is installed is known after (installing the same file again bumps the
        // generation the same way, and changes no other test's answers)
        let ws = Workspace::new(&default_scenario());
        let sel = own_object();
        let first = ws.decision_plan(&sel);
        assert!(Arc::ptr_eq(&first, &ws.decision_plan(&sel)), "kept");
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../abacus-reference/data/services/sagemaker.json"
        );
        abacus_reference::install_service(&std::fs::read_to_string(path).unwrap()).unwrap();
        let again = ws.decision_plan(&sel);
        assert!(!Arc::ptr_eq(&first, &again), "planned again");
        // the matrix's kept rows were planned with the older reference data
        let generation = |ws: &Workspace| ws.matrix_plans.0.lock().map(|k| k.generation).ok();
        let matrix = ws.matrix();
        assert_eq!(generation(&ws), Some(abacus_reference::generation()));
        abacus_reference::install_service(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(ws.matrix(), matrix);
        assert_eq!(
            generation(&ws),
            Some(abacus_reference::generation()),
            "planned again"
        );
        assert_eq!(
            ws.decide(&sel).unwrap(),
            ws.evaluate(&sel).unwrap().decision
        );
    }
}
