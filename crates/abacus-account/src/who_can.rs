//! Who can: for one action on one resource, every principal of the world that is allowed,
//! with the statements that allow it, and every one that is explicitly denied, with the
//! statements that deny it.
//!
//! The principals are the world's Studio user profiles, calling from their Studio space
//! through their execution role sessions (with their source identity and the SageMaker
//! context keys), its roles, each as a session of its own obtained outside Studio (no source
//! identity, no SageMaker keys), and its IAM users, calling with their own access keys. Each is decided
//! with every check the call makes (the simulator's whole plan: sessions, role chaining,
//! PassRole and the other implied authorizations), so the answer is the one the workspace
//! shows for that request.

use abacus_policy::{Decision, Effect};
use abacus_studio::evaluate::Workspace;
use abacus_studio::request::{Parameters, RequestError, Route};
use abacus_studio::scenario::{Scenario, Selection};

/// Who a row is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// A Studio user profile, from its Studio space.
    UserProfile(String),
    /// A role, as a session of its own outside Studio.
    RoleSession(String),
    /// An IAM user, with its access keys.
    IamUser(String),
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Who::UserProfile(n) => write!(f, "user profile {n} (Studio space)"),
            Who::RoleSession(n) => write!(f, "role {n} (a session of its own)"),
            Who::IamUser(n) => write!(f, "IAM user {n} (access keys)"),
        }
    }
}

/// One principal's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Who.
    pub who: Who,
    /// The principal ARN that signs the call (a role session's for a profile).
    pub principal_arn: String,
    /// The decision of the whole call, or why it could not be built.
    pub decision: Result<Decision, String>,
    /// The deciding statements of the selected call, `policy: Sid` (or `policy: statement
    /// N`), with their effect.
    pub deciding: Vec<(String, Effect)>,
    /// When another check of the call decided (a session, PassRole, ...), which.
    pub decided_by_check: Option<String>,
}

/// Who can, and who is denied.
#[derive(Clone, Debug, PartialEq)]
pub struct WhoCan {
    /// The action asked about.
    pub action: String,
    /// The resource ARN asked about (`*` for none).
    pub resource_arn: String,
    /// One row per principal: profiles, then roles, then IAM users, each in world order.
    pub rows: Vec<Row>,
}

impl WhoCan {
    /// The rows whose call is allowed.
    pub fn allowed(&self) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(|r| r.decision == Ok(Decision::Allow))
    }

    /// The rows an explicit deny stops.
    pub fn denied(&self) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(|r| r.decision == Ok(Decision::ExplicitDeny))
    }
}

/// Why the question cannot be asked of this scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhoCanError {
    /// The world has no user profile (every request is made in a profile's name; roles and
    /// IAM users are asked in the first profile's name, with their own credentials).
    NoUserProfile,
}

impl std::fmt::Display for WhoCanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WhoCanError::NoUserProfile => write!(f, "the world has no user profile"),
        }
    }
}

impl std::error::Error for WhoCanError {}

/// Every principal of `scenario`'s world on `action` against `resource_arn` (`*` when the
/// action takes no resource).
pub fn who_can(
    scenario: &Scenario,
    action: &str,
    resource_arn: &str,
) -> Result<WhoCan, WhoCanError> {
    let world = &scenario.world;
    let carrier = world
        .users
        .first()
        .ok_or(WhoCanError::NoUserProfile)?
        .name
        .clone();
    let ws = Workspace::new(scenario);
    let selection = |user: &str, route: Route| Selection {
        user: user.to_owned(),
        action: action.to_owned(),
        resource: None,
        resource_arn: (resource_arn != "*").then(|| resource_arn.to_owned()),
        route,
        parameters: Parameters::default(),
    };
    let mut rows = Vec::new();
    for u in &world.users {
        rows.push(row(
            &ws,
            Who::UserProfile(u.name.clone()),
            &selection(&u.name, Route::StudioSpace),
        ));
    }
    for r in &world.roles {
        rows.push(row(
            &ws,
            Who::RoleSession(r.name.clone()),
            &selection(
                &carrier,
                Route::RoleSession {
                    role: r.name.clone(),
                    session_name: None,
                    source_identity: None,
                },
            ),
        ));
    }
    for i in &world.iam_users {
        rows.push(row(
            &ws,
            Who::IamUser(i.name.clone()),
            &selection(
                &carrier,
                Route::AccessKeys {
                    iam_user: Some(i.name.clone()),
                },
            ),
        ));
    }
    Ok(WhoCan {
        action: action.to_owned(),
        resource_arn: resource_arn.to_owned(),
        rows,
    })
}

fn row(ws: &Workspace, who: Who, selection: &Selection) -> Row {
    match ws.evaluate(selection) {
        Ok(ev) => {
            // each statement once (the same SCP can allow at several organization levels)
            let mut deciding: Vec<(String, Effect)> = Vec::new();
            for s in &ev.authorization.deciding {
                let what = match &s.sid {
                    Some(sid) if !sid.is_empty() => format!("{}: {sid}", s.policy_name),
                    _ => format!("{}: statement {}", s.policy_name, s.index + 1),
                };
                if !deciding.iter().any(|(w, _)| *w == what) {
                    deciding.push((what, s.effect));
                }
            }
            // the first call that is not allowed decides, in the order AWS makes them
            let first_denied = |calls: &[abacus_studio::evaluate::ImpliedCall]| {
                calls
                    .iter()
                    .find(|c| c.authorization.decision != Decision::Allow)
                    .map(|c| c.request.action.clone())
            };
            let decided_by_check = first_denied(&ev.before).or_else(|| {
                (ev.authorization.decision == Decision::Allow)
                    .then(|| first_denied(&ev.after))
                    .flatten()
            });
            Row {
                who,
                principal_arn: ev.principal_arn,
                decision: Ok(ev.decision),
                deciding,
                decided_by_check,
            }
        }
        Err(e) => Row {
            who,
            principal_arn: String::new(),
            decision: Err(describe(&e)),
            deciding: Vec::new(),
            decided_by_check: None,
        },
    }
}

fn describe(e: &RequestError) -> String {
    format!("{e} ({})", e.help())
}
