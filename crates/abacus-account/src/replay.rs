//! CloudTrail replay: each recorded call becomes the request it was (who, which action, on
//! which resource, from where, when), decided by the scenario as it is now, and compared
//! with what AWS did. After an edit the same records tell what the edit would change.
//!
//! Facts encoded: CloudTrail User Guide, "CloudTrail userIdentity element" (an assumed-role
//! session's role is `sessionContext.sessionIssuer.userName`, its name the last part of the
//! `assumed-role` ARN, its source identity `sessionContext.sourceIdentity`) and "CloudTrail
//! record contents" (`eventSource`, `eventName`, `awsRegion`, `sourceIPAddress`,
//! `errorCode`, `resources`, `requestParameters`); the AWS Lake Formation best practices,
//! "Lake Formation CloudTrail events" (a call an analytics engine makes for the caller
//! has the engine's endpoint, e.g. `athena.amazonaws.com`, as `sourceIPAddress`: it is
//! replayed with that service in `aws:CalledVia`); SageMaker Developer Guide,
//! "Considerations when using sourceIdentity" (a Studio space's calls are the execution
//! role's `SageMaker` session with the profile name as source identity).

use crate::trail::TrailRecord;
use abacus_policy::json::{JsonKind, JsonValue};
use abacus_policy::Decision;
use abacus_studio::actions::{catalogue, resource_type_spec, spec, ActionSpec};
use abacus_studio::evaluate::Workspace;
use abacus_studio::model::{Authentication, World};
use abacus_studio::request::{Parameters, Route};
use abacus_studio::scenario::{Scenario, Selection};

/// What AWS did with a recorded call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// It succeeded (so it was authorized).
    Allowed,
    /// An authorization error (`AccessDenied`, `UnauthorizedOperation`, ...).
    Denied(String),
    /// Another error: whether it was authorized is not known, so it is not compared.
    Failed(String),
}

impl Recorded {
    fn of(record: &TrailRecord) -> Recorded {
        match &record.error_code {
            None => Recorded::Allowed,
            Some(code)
                if code.contains("AccessDenied") || code.contains("UnauthorizedOperation") =>
            {
                Recorded::Denied(code.clone())
            }
            Some(code) => Recorded::Failed(code.clone()),
        }
    }

    /// `allowed`, `denied (CODE)` or `failed (CODE)`.
    pub fn describe(&self) -> String {
        match self {
            Recorded::Allowed => "allowed".to_owned(),
            Recorded::Denied(c) => format!("denied ({c})"),
            Recorded::Failed(c) => format!("failed ({c})"),
        }
    }
}

/// One record, replayed.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayRow {
    /// The record.
    pub record: TrailRecord,
    /// What AWS did.
    pub recorded: Recorded,
    /// The request it was, or why it cannot be simulated.
    pub selection: Result<Selection, String>,
    /// What the scenario decides now (`None` when not simulated or not buildable).
    pub decision: Option<Decision>,
    /// True when the scenario agrees with what AWS did; `None` when not compared.
    pub agrees: Option<bool>,
}

/// Every record, replayed.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    /// In input order.
    pub rows: Vec<ReplayRow>,
}

impl Replay {
    /// How many the scenario decides as AWS did.
    pub fn agreeing(&self) -> usize {
        self.rows.iter().filter(|r| r.agrees == Some(true)).count()
    }

    /// How many it decides otherwise.
    pub fn disagreeing(&self) -> usize {
        self.rows.iter().filter(|r| r.agrees == Some(false)).count()
    }

    /// How many could not be compared (not simulated, or failed for another reason).
    pub fn not_compared(&self) -> usize {
        self.rows.iter().filter(|r| r.agrees.is_none()).count()
    }
}

/// What changes between two replays of the same records (before and after an edit).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayChange {
    /// Records allowed before and denied after, by index.
    pub newly_denied: Vec<usize>,
    /// Records denied before and allowed after, by index.
    pub newly_allowed: Vec<usize>,
    /// Records decided in both.
    pub decided: usize,
}

/// What `after` changes compared with `before` (replays of the same records).
pub fn change(before: &Replay, after: &Replay) -> ReplayChange {
    let mut c = ReplayChange::default();
    for (i, (b, a)) in before.rows.iter().zip(&after.rows).enumerate() {
        let (Some(b), Some(a)) = (b.decision, a.decision) else {
            continue;
        };
        c.decided += 1;
        match (b == Decision::Allow, a == Decision::Allow) {
            (true, false) => c.newly_denied.push(i),
            (false, true) => c.newly_allowed.push(i),
            _ => {}
        }
    }
    c
}

/// Replays `records` against `scenario`.
pub fn replay(scenario: &Scenario, records: &[TrailRecord]) -> Replay {
    let ws = Workspace::new(scenario);
    let world = &scenario.world;
    let rows = records
        .iter()
        .map(|r| {
            let recorded = Recorded::of(r);
            let selection = selection_of(world, r);
            let decision = selection
                .as_ref()
                .ok()
                .map(|s| ws.decide(s).map_err(|e| format!("{e} ({})", e.help())));
            let (selection, decision) = match decision {
                Some(Err(e)) => (Err(e), None),
                Some(Ok(d)) => (selection, Some(d)),
                None => (selection, None),
            };
            let agrees = match (&recorded, decision) {
                (Recorded::Allowed, Some(d)) => Some(d == Decision::Allow),
                (Recorded::Denied(_), Some(d)) => Some(d != Decision::Allow),
                _ => None,
            };
            ReplayRow {
                record: r.clone(),
                recorded,
                selection,
                decision,
                agrees,
            }
        })
        .collect();
    Replay { rows }
}

/// The IAM action of a recorded call: the Studio catalogue's entry with this `eventSource`
/// and `eventName` (where names differ, e.g. S3's `ListObjects` is `s3:ListBucket`), else the
/// reference's action of the same name in the service the event source names.
pub fn action_of(event_source: &str, event_name: &str) -> Option<ActionSpec> {
    if let Some(a) = catalogue()
        .actions
        .iter()
        .find(|a| a.event_source() == event_source && a.event_name() == event_name)
    {
        return Some(a.clone());
    }
    let prefix = event_source.strip_suffix(".amazonaws.com")?;
    spec(&format!("{prefix}:{event_name}")).map(std::borrow::Cow::into_owned)
}

/// The request a record was.
pub fn selection_of(world: &World, r: &TrailRecord) -> Result<Selection, String> {
    let action = action_of(&r.event_source, &r.event_name).ok_or_else(|| {
        format!(
            "no IAM action is known for `{}` `{}`",
            r.event_source, r.event_name
        )
    })?;
    let id = &r.identity;
    if let Some(account) = &id.account {
        if account != &world.account {
            return Err(format!(
                "the caller is in account {account}, not the world's {}",
                world.account
            ));
        }
    }
    let carrier = world
        .users
        .first()
        .map(|u| u.name.clone())
        .ok_or("the world has no user profile")?;
    let (user, route) = match id.kind.as_str() {
        "AssumedRole" => {
            let role = id.role.clone().ok_or(
                "the role session names no role (`sessionContext.sessionIssuer.userName`)",
            )?;
            if world.role(&role).is_none() {
                return Err(format!("role {role} is not in the world (import it)"));
            }
            // a Studio space: the execution role's `SageMaker` session with the profile's
            // name as source identity
            let studio = world.users.iter().find(|u| {
                id.session_name.as_deref() == Some("SageMaker")
                    && id.source_identity.as_deref() == Some(u.name.as_str())
                    && world.execution_role_of(u).as_deref() == Some(role.as_str())
            });
            // without a source identity, the one profile of a domain that sets none whose
            // execution role this is
            let studio = studio.or_else(|| {
                let mut users = world.users.iter().filter(|u| {
                    id.session_name.as_deref() == Some("SageMaker")
                        && id.source_identity.is_none()
                        && world.execution_role_of(u).as_deref() == Some(role.as_str())
                        && world.domain(&u.domain).is_some_and(|d| {
                            d.execution_role_identity_config
                                == abacus_studio::model::ExecutionRoleIdentityConfig::Disabled
                        })
                });
                match (users.next(), users.next()) {
                    (Some(u), None) => Some(u),
                    _ => None,
                }
            });
            // a person's own sign-in: the SAML role and session name of a profile's
            // federation, or its IAM Identity Center permission-set role
            let signed_in = world.users.iter().find(|u| match &u.auth {
                Authentication::Saml {
                    role: r,
                    session_name,
                    ..
                } => *r == role && id.session_name.as_deref() == Some(session_name.as_str()),
                Authentication::IdentityCenter {
                    user_name,
                    permission_set_role: Some(r),
                    ..
                } => *r == role && id.session_name.as_deref() == Some(user_name.as_str()),
                _ => false,
            });
            if let (None, Some(u)) = (studio, signed_in) {
                (u.name.clone(), Route::Console)
            } else {
                match studio {
                    // a job's or pipeline's calls use the same session as the Studio space's: the
                    // world's address of job calls tells them apart (it carries no Studio keys)
                    Some(u) if r.source_ip.as_deref() == Some(world.source_ips.jobs.as_str()) => {
                        (u.name.clone(), Route::TrainingJob { role: Some(role) })
                    }
                    Some(u) => (u.name.clone(), Route::StudioSpace),
                    None => (
                        carrier,
                        Route::RoleSession {
                            role,
                            session_name: id.session_name.clone(),
                            source_identity: id.source_identity.clone(),
                        },
                    ),
                }
            }
        }
        "IAMUser" => {
            let name = id
                .user_name
                .clone()
                .ok_or("the IAM user has no `userName`")?;
            if world.iam_user(&name).is_none() {
                return Err(format!("IAM user {name} is not in the world (import it)"));
            }
            (
                carrier,
                Route::AccessKeys {
                    iam_user: Some(name),
                },
            )
        }
        other => {
            return Err(format!(
            "the caller is `{other}`: only the world's role sessions and IAM users are simulated"
        ))
        }
    };
    let resource_arn = resource_arn(world, r, &action)?;
    let mut parameters = Parameters {
        time: r.event_time.clone().filter(|t| t.ends_with('Z')),
        source_ip: r
            .source_ip
            .clone()
            .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok()),
        region: r.region.clone(),
        // a call a service made with the caller's credentials names the service as its
        // source address (`athena.amazonaws.com`, "Lake Formation CloudTrail events" of
        // the AWS Lake Formation best practices): aws:CalledVia
        called_via: r
            .source_ip
            .iter()
            .filter(|s| s.ends_with(".amazonaws.com"))
            .cloned()
            .collect(),
        ..Parameters::default()
    };
    if let Some(p) = &r.request_parameters {
        parameters.tags = request_tags(p);
    }
    // a world resource is named by its id, so that everything about it takes part (its
    // KMS key, its owner), not only what its ARN lends
    let world_id = resource_arn.as_deref().and_then(|arn| {
        world
            .resources
            .iter()
            .find(|res| world.resolve(res).is_some_and(|x| x.arn == arn))
            .map(|res| res.id.clone())
    });
    Ok(Selection {
        user,
        action: action.action.clone(),
        resource: world_id.clone(),
        resource_arn: if world_id.is_some() {
            None
        } else {
            resource_arn
        },
        route,
        parameters,
    })
}

fn member<'v>(v: &'v JsonValue, key: &str) -> Option<&'v JsonValue> {
    match &v.kind {
        JsonKind::Object(ms) => ms
            .iter()
            .rev()
            .find(|m| m.key.eq_ignore_ascii_case(key))
            .map(|m| &m.value),
        _ => None,
    }
}

fn string(v: &JsonValue) -> Option<&str> {
    match &v.kind {
        JsonKind::String(s) => Some(s),
        _ => None,
    }
}

/// The tags a create or tagging call sends (`tags` / `Tags`: `[{key, value}]`).
fn request_tags(p: &JsonValue) -> abacus_studio::model::Tags {
    let mut tags = abacus_studio::model::Tags::new();
    if let Some(JsonValue {
        kind: JsonKind::Array(items),
        ..
    }) = member(p, "tags")
    {
        for t in items {
            if let (Some(k), Some(v)) = (
                member(t, "key").and_then(string),
                member(t, "value").and_then(string),
            ) {
                tags.insert(k.to_owned(), v.to_owned());
            }
        }
    }
    tags
}

/// The resource ARN a record's call was authorized against: none for an action on `*`;
/// else the record's `resources` entry of the action's type (or its only entry); else the
/// action's ARN format filled from `requestParameters` (each `${Name}` from the member of
/// that name, e.g. `${TrainingJobName}` from `trainingJobName`), or a member that holds the
/// whole ARN.
fn resource_arn(
    world: &World,
    r: &TrailRecord,
    action: &ActionSpec,
) -> Result<Option<String>, String> {
    if action.resource_type == "none" {
        return Ok(None);
    }
    let rtype = resource_type_spec(&action.resource_type);
    let wanted = rtype.as_ref().and_then(|t| t.cloud_trail_type.clone());
    if let Some((_, arn)) = r
        .resources
        .iter()
        .find(|(t, _)| wanted.is_some() && *t == wanted)
        .or_else(|| {
            (r.resources.len() == 1)
                .then(|| r.resources.first())
                .flatten()
        })
    {
        return Ok(Some(arn.clone()));
    }
    let Some(rtype) = rtype else {
        return Err(format!(
            "resource type `{}` has no ARN format",
            action.resource_type
        ));
    };
    let params = r.request_parameters.as_ref();
    // a member that holds the whole ARN of the right service
    let service_prefix = format!("arn:{}:{}:", world.partition, rtype.service);
    if let Some(arn) = params.and_then(|p| match &p.kind {
        JsonKind::Object(ms) => ms
            .iter()
            .filter_map(|m| string(&m.value))
            .find(|s| s.starts_with(&service_prefix)),
        _ => None,
    }) {
        return Ok(Some(arn.to_owned()));
    }
    let region = r.region.clone().unwrap_or_else(|| world.region.clone());
    let mut out = String::new();
    let mut rest = rtype.arn.as_str();
    while let Some(open) = rest.find("${") {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 2..).unwrap_or_default();
        let close = after.find('}').ok_or("a malformed ARN format")?;
        let name = after.get(..close).unwrap_or_default();
        let value = match name {
            "Partition" => world.partition.clone(),
            "Region" => region.clone(),
            "Account" => world.account.clone(),
            // the last name of a format is often the API's plain `name` (Glue's table)
            _ => params
                .and_then(|p| {
                    member(p, name).or_else(|| {
                        let last = !after.get(close + 1..).unwrap_or_default().contains("${");
                        (last && name.ends_with("Name")).then(|| member(p, "name")).flatten()
                    })
                })
                .and_then(string)
                .map(|v| {
                    if rtype.lowercase_name {
                        v.to_ascii_lowercase()
                    } else {
                        v.to_owned()
                    }
                })
                .ok_or_else(|| {
                    format!(
                        "the record does not say which {} it acts on (no `resources` entry, no `{}` in `requestParameters`)",
                        action.resource_type,
                        lower_first(name)
                    )
                })?,
        };
        out.push_str(&value);
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(Some(out))
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The parts of an AccessDenied message: `(principal ARN, action, resource)`; the resource
/// is `*` when the message names none. The form is the IAM User Guide's ("Access denied
/// error messages"): `User: ARN is not authorized to perform: ACTION on resource: RESOURCE
/// because …` (or `… with an explicit deny in …`).
pub fn parse_denied_message(message: &str) -> Option<(String, String, String)> {
    let text = message.trim();
    let rest = text.get(text.find("User: ")? + "User: ".len()..)?;
    let (principal, rest) = rest.split_once(" is not authorized to perform: ")?;
    let end = |s: &str| {
        [
            " because ",
            " with an explicit deny",
            " with an implicit deny",
        ]
        .iter()
        .filter_map(|m| s.find(m))
        .min()
        .unwrap_or(s.len())
    };
    let (action, resource) = match rest.split_once(" on resource: ") {
        Some((action, r)) => (action, r.get(..end(r)).unwrap_or(r)),
        None => (rest.get(..end(rest)).unwrap_or(rest), "*"),
    };
    let clean = |s: &str| s.trim().trim_end_matches(['.', ',']).trim().to_owned();
    let (principal, action, resource) = (clean(principal), clean(action), clean(resource));
    (principal.starts_with("arn:") && action.contains(':')).then_some((principal, action, resource))
}

/// The request an AccessDenied message names, in `world` (see [`parse_denied_message`]).
/// The message carries no source identity: a Studio session (`SageMaker`) is the profile
/// whose execution role it is when only one profile has that role.
pub fn selection_from_denied(world: &World, message: &str) -> Result<Selection, String> {
    let (principal, action, resource) = parse_denied_message(message).ok_or(
        "not an AccessDenied message (`User: ARN is not authorized to perform: ACTION on resource: ARN …`)",
    )?;
    let (prefix, name) = action
        .split_once(':')
        .ok_or("the action has no service prefix")?;
    let account = crate::import::account_of_arn(&principal);
    let identity = if let Some((role, session)) = principal
        .split_once(":assumed-role/")
        .and_then(|(_, r)| r.split_once('/'))
    {
        crate::trail::Identity {
            kind: "AssumedRole".to_owned(),
            arn: Some(principal.clone()),
            account,
            role: Some(role.to_owned()),
            session_name: Some(session.to_owned()),
            ..Default::default()
        }
    } else if let Some((_, user)) = principal.split_once(":user/") {
        crate::trail::Identity {
            kind: "IAMUser".to_owned(),
            arn: Some(principal.clone()),
            account,
            user_name: user.rsplit('/').next().map(str::to_owned),
            ..Default::default()
        }
    } else {
        return Err(format!(
            "`{principal}` is neither a role session nor an IAM user"
        ));
    };
    let record = TrailRecord {
        place: "the message".to_owned(),
        event_id: None,
        event_time: None,
        event_source: format!("{prefix}.amazonaws.com"),
        event_name: name.to_owned(),
        region: None,
        source_ip: None,
        error_code: Some("AccessDenied".to_owned()),
        error_message: Some(message.to_owned()),
        identity,
        resources: if resource == "*" {
            Vec::new()
        } else {
            vec![(None, resource)]
        },
        request_parameters: None,
    };
    let mut selection = selection_of(world, &record)?;
    selection.action = action;
    if let Route::RoleSession {
        role,
        session_name: Some(session),
        ..
    } = &selection.route
    {
        let mut users = world
            .users
            .iter()
            .filter(|u| world.execution_role_of(u).as_deref() == Some(role.as_str()));
        if let (true, Some(u), None) = (session == "SageMaker", users.next(), users.next()) {
            selection.user = u.name.clone();
            selection.route = Route::StudioSpace;
        }
    }
    Ok(selection)
}
