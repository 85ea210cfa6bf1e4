//! The CloudTrail record AWS would write for an evaluated call.
//!
//! Field set and shapes follow the CloudTrail User Guide pages "CloudTrail record contents
//! for management, data, and network activity events" and "CloudTrail userIdentity
//! element" (AssumedRole with `sessionContext.sessionIssuer`, `attributes` and
//! `sourceIdentity`; IAMUser; `onBehalfOf` for identity-enhanced role sessions). The Lake
//! Formation `GetDataAccess` records follow the examples of seed 001 (Athena with the query
//! id in `auditContext`, EMR with `LakeFormationAuthorizedSessionTag`).
//!
//! Output is a pure function of (world, request, decision, message): the clock and the id
//! seed come from the world, never from the system.

use crate::actions::EventCategory;
use crate::model::{IdGenerator, World};
use crate::request::{BuiltRequest, Caller};
use abacus_policy::Decision;
use serde_json::{json, Map, Value};

/// `eventVersion` written on every record.
pub const EVENT_VERSION: &str = "1.09";

/// Who asked Lake Formation for data access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataAccessRequester {
    /// Amazon Athena (query id in `auditContext`).
    Athena,
    /// Amazon EMR with runtime roles.
    Emr,
}

/// The record for `built`, or `None` for permission-only actions CloudTrail does not log.
/// `denial_message` is the engine's AccessDenied message, written as `errorMessage`.
pub fn record(
    world: &World,
    built: &BuiltRequest,
    decision: Decision,
    denial_message: Option<&str>,
) -> Option<Value> {
    if !built.action.logged {
        return None;
    }
    let mut ids = IdGenerator::new(world.id_seed, &salt(built));
    let mut rec = Map::new();
    rec.insert("eventVersion".into(), json!(EVENT_VERSION));
    rec.insert("userIdentity".into(), user_identity(world, built));
    rec.insert("eventTime".into(), json!(world.clock));
    rec.insert("eventSource".into(), json!(built.action.event_source()));
    rec.insert("eventName".into(), json!(built.action.event_name()));
    rec.insert("awsRegion".into(), json!(world.region));
    rec.insert("sourceIPAddress".into(), json!(built.source_ip));
    rec.insert("userAgent".into(), json!(built.user_agent));
    let allowed = decision.is_allowed();
    if !allowed {
        rec.insert(
            "errorCode".into(),
            json!(access_denied_code(built.action.service())),
        );
        rec.insert(
            "errorMessage".into(),
            json!(denial_message.unwrap_or("Access Denied")),
        );
    }
    rec.insert("requestParameters".into(), request_parameters(built));
    let response = if !allowed {
        Value::Null
    } else if built.action.action == "sts:AssumeRole"
        || built.action.action == "sts:AssumeRoleWithSAML"
    {
        assume_role_response(world, built)
    } else {
        let mut v = fill(&built.action.response_elements, built);
        drop_unfilled(&mut v);
        v
    };
    rec.insert("responseElements".into(), response);
    rec.insert("requestID".into(), json!(ids.uuid()));
    rec.insert("eventID".into(), json!(ids.uuid()));
    rec.insert("readOnly".into(), json!(built.action.read_only));
    let data = built.action.category == EventCategory::Data;
    if data {
        rec.insert("resources".into(), resources(world, built));
    }
    rec.insert("eventType".into(), json!("AwsApiCall"));
    rec.insert("managementEvent".into(), json!(!data));
    rec.insert("recipientAccountId".into(), json!(world.account));
    rec.insert(
        "eventCategory".into(),
        json!(if data { "Data" } else { "Management" }),
    );
    Some(Value::Object(rec))
}

/// The Lake Formation `GetDataAccess` record written when Athena or EMR reads the Glue
/// table `table_arn` for `built`'s caller.
pub fn get_data_access_record(
    world: &World,
    built: &BuiltRequest,
    table_arn: &str,
    requester: DataAccessRequester,
    query_id: Option<&str>,
    decision: Decision,
    denial_message: Option<&str>,
) -> Value {
    let mut ids = IdGenerator::new(world.id_seed, &format!("{}|lf|{table_arn}", salt(built)));
    let mut params = Map::new();
    params.insert("tableArn".into(), json!(table_arn));
    params.insert("durationSeconds".into(), json!(3600));
    params.insert("permissions".into(), json!(["SELECT"]));
    let mut extra = Map::new();
    match requester {
        DataAccessRequester::Athena => {
            if let Some(q) = query_id {
                params.insert(
                    "auditContext".into(),
                    json!({ "additionalAuditContext": format!("{{queryId: {q}}}") }),
                );
            }
            extra.insert("requesterService".into(), json!("ATHENA"));
        }
        DataAccessRequester::Emr => {
            extra.insert(
                "LakeFormationAuthorizedSessionTag".into(),
                json!("LakeFormationAuthorizedCaller:Amazon EMR"),
            );
        }
    }
    let source_ip = match requester {
        DataAccessRequester::Athena => "athena.amazonaws.com".to_owned(),
        DataAccessRequester::Emr => built.source_ip.clone(),
    };
    let mut rec = Map::new();
    rec.insert("eventVersion".into(), json!(EVENT_VERSION));
    rec.insert("userIdentity".into(), user_identity(world, built));
    rec.insert("eventTime".into(), json!(world.clock));
    rec.insert("eventSource".into(), json!("lakeformation.amazonaws.com"));
    rec.insert("eventName".into(), json!("GetDataAccess"));
    rec.insert("awsRegion".into(), json!(world.region));
    rec.insert("sourceIPAddress".into(), json!(source_ip));
    rec.insert(
        "userAgent".into(),
        json!(match requester {
            DataAccessRequester::Athena => "athena.amazonaws.com",
            DataAccessRequester::Emr => "emr.amazonaws.com",
        }),
    );
    if !decision.is_allowed() {
        rec.insert(
            "errorCode".into(),
            json!(access_denied_code("lakeformation")),
        );
        rec.insert(
            "errorMessage".into(),
            json!(denial_message.unwrap_or("Access Denied")),
        );
    }
    rec.insert("requestParameters".into(), Value::Object(params));
    rec.insert("responseElements".into(), Value::Null);
    rec.insert("additionalEventData".into(), Value::Object(extra));
    rec.insert("requestID".into(), json!(ids.uuid()));
    rec.insert("eventID".into(), json!(ids.uuid()));
    rec.insert("readOnly".into(), json!(true));
    rec.insert("eventType".into(), json!("AwsApiCall"));
    rec.insert("managementEvent".into(), json!(true));
    rec.insert("recipientAccountId".into(), json!(world.account));
    rec.insert("eventCategory".into(), json!("Management"));
    Value::Object(rec)
}

/// A deterministic Athena query execution id for `built`.
pub fn query_id(world: &World, built: &BuiltRequest) -> String {
    IdGenerator::new(world.id_seed, &format!("{}|query", salt(built))).uuid()
}

fn salt(built: &BuiltRequest) -> String {
    format!(
        "{}|{}|{}",
        built.request.principal, built.request.action, built.request.resource
    )
}

/// The `errorCode` a service returns when authorization fails. No AWS page lists the
/// CloudTrail value per service; the services' error references give the code:
/// `AccessDenied` for the query/XML-protocol services (Amazon S3 API Reference, "Error
/// responses": "AccessDenied ... 403 Forbidden"; IAM, as in the AWS Security Blog's "An error
/// occurred (AccessDenied) when calling the ListRoles operation"; STS by the same protocol),
/// and `AccessDeniedException` for the JSON-protocol services (the "Common Errors" pages of
/// the SageMaker, Secrets Manager, Athena and other API references; the Glue and Lake
/// Formation API references list it for their operations).
pub fn access_denied_code(service: &str) -> &'static str {
    match service.to_ascii_lowercase().as_str() {
        "s3" | "iam" | "sts" => "AccessDenied",
        _ => "AccessDeniedException",
    }
}

/// How long role credentials last when the caller does not ask otherwise: STS API
/// Reference, "AssumeRole": "By default, the value is set to 3600 seconds".
pub const DEFAULT_SESSION_SECONDS: i64 = 3600;

/// The access key id of one session's temporary credentials (`ASIA...`), the same in every
/// record the session writes and in the response of the call that created it: a function
/// of the session (its ARN and source identity), never of the record.
pub fn session_access_key(
    world: &World,
    session_arn: &str,
    source_identity: Option<&str>,
) -> String {
    let mut ids = IdGenerator::new(
        world.id_seed,
        &format!("session|{session_arn}|{}", source_identity.unwrap_or("")),
    );
    format!("ASIA{}", ids.iam_suffix(16))
}

/// `clock` plus `seconds`, as CloudTrail writes an STS credentials' `expiration`
/// (`Apr 18, 2025 2:16:36 PM`, the form of the example in "CloudTrail userIdentity element");
/// the clock itself when it cannot be read. Written here because std has no calendar and a
/// date crate would add its formatting machinery to the web bundle for this one line; the
/// clock's parse is `request::epoch_seconds`, which this inverts.
fn expiration(clock: &str, seconds: i64) -> String {
    let Some(epoch) = crate::request::epoch_seconds(clock).and_then(|e| e.checked_add(seconds))
    else {
        return clock.to_owned();
    };
    let (days, secs) = (epoch.div_euclid(86_400), epoch.rem_euclid(86_400));
    // civil from days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let name = usize::try_from(month - 1)
        .ok()
        .and_then(|m| MONTHS.get(m))
        .copied()
        .unwrap_or("Jan");
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let (h12, half) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{name} {day}, {year} {h12}:{m:02}:{s:02} {half}")
}

/// The `userIdentity` element.
pub fn user_identity(world: &World, built: &BuiltRequest) -> Value {
    match &*built.caller {
        // A console sign-in works with temporary session credentials ("CloudTrail userIdentity
        // element": "Users also create sessions when they work in the console"; "AWS security
        // credentials": ASIA keys are temporary), so the record carries `sessionContext`;
        // access keys are the user's one long-term key (AKIA).
        Caller::IamUser {
            name,
            user_id,
            console,
        } => {
            let arn = world.iam_user_arn(name);
            let mut key = IdGenerator::new(world.id_seed, &format!("iam-user|{arn}|{console}"));
            let mut ui = json!({
                "type": "IAMUser",
                "principalId": user_id,
                "arn": arn,
                "accountId": world.account,
                "accessKeyId": format!("{}{}", if *console { "ASIA" } else { "AKIA" }, key.iam_suffix(16)),
                "userName": name,
            });
            if let (true, Value::Object(map)) = (*console, &mut ui) {
                map.insert(
                    "sessionContext".into(),
                    json!({ "attributes": { "creationDate": world.clock, "mfaAuthenticated": "false" } }),
                );
            }
            ui
        }
        // CloudTrail User Guide: "CloudTrail userIdentity element" (AWSService with invokedBy).
        Caller::AwsService { service } => json!({
            "type": "AWSService",
            "invokedBy": service,
        }),
        // CloudTrail User Guide: "CloudTrail userIdentity element" (SAMLUser, for
        // AssumeRoleWithSAML). AWS also writes `principalId` and `identityProvider`, hashes
        // it computes from the assertion, which are left out.
        Caller::SamlUser { user_name, .. } => json!({
            "type": "SAMLUser",
            "userName": user_name,
        }),
        Caller::AssumedRole {
            role,
            role_arn,
            role_id,
            session_name,
            source_identity,
            on_behalf_of,
        } => {
            let mut session = Map::new();
            session.insert(
                "sessionIssuer".into(),
                json!({
                    "type": "Role",
                    "principalId": role_id,
                    "arn": role_arn,
                    "accountId": world.account,
                    "userName": role,
                }),
            );
            session.insert(
                "attributes".into(),
                json!({ "creationDate": world.clock, "mfaAuthenticated": "false" }),
            );
            if let Some(si) = source_identity {
                session.insert("sourceIdentity".into(), json!(si));
            }
            let mut ui = Map::new();
            ui.insert("type".into(), json!("AssumedRole"));
            ui.insert(
                "principalId".into(),
                json!(format!("{role_id}:{session_name}")),
            );
            ui.insert("arn".into(), json!(built.request.principal));
            ui.insert("accountId".into(), json!(world.account));
            ui.insert(
                "accessKeyId".into(),
                json!(session_access_key(
                    world,
                    &built.request.principal,
                    source_identity.as_deref()
                )),
            );
            ui.insert("sessionContext".into(), Value::Object(session));
            if let Some(obo) = on_behalf_of {
                ui.insert(
                    "onBehalfOf".into(),
                    json!({ "userId": obo.user_id, "identityStoreArn": obo.identity_store_arn }),
                );
            }
            Value::Object(ui)
        }
    }
}

fn request_parameters(built: &BuiltRequest) -> Value {
    let mut v = fill(&built.action.request_parameters, built);
    drop_unfilled(&mut v);
    v
}

/// Drops template fields whose value the call did not have (e.g. a listing without prefix).
fn drop_unfilled(v: &mut Value) {
    if let Value::Object(map) = v {
        map.retain(|_, val| !matches!(val, Value::String(s) if s.contains("${")));
    }
}

/// `AssumeRole` returns the new session (credentials are not logged in full).
fn assume_role_response(world: &World, built: &BuiltRequest) -> Value {
    let role = built.vars.get("Name").cloned().unwrap_or_default();
    let session = built
        .vars
        .get("SessionName")
        .cloned()
        .unwrap_or_else(|| "chained".to_owned());
    let role_id = crate::model::unique_id("AROA", &world.account, &role);
    let session_arn = format!(
        "arn:{}:sts::{}:assumed-role/{role}/{session}",
        world.partition, world.account
    );
    let source_identity = built.vars.get("SourceIdentity").map(String::as_str);
    let mut out = json!({
        "credentials": {
            "accessKeyId": session_access_key(world, &session_arn, source_identity),
            "sessionToken": "HIDDEN_DUE_TO_SECURITY_REASONS",
            "expiration": expiration(&world.clock, DEFAULT_SESSION_SECONDS),
        },
        "assumedRoleUser": {
            "assumedRoleId": format!("{role_id}:{session}"),
            "arn": session_arn,
        },
    });
    if let (Some(si), Value::Object(map)) = (built.vars.get("SourceIdentity"), &mut out) {
        map.insert("sourceIdentity".into(), json!(si));
    }
    out
}

/// Replaces `${Var}` placeholders in every string of `template`.
fn fill(template: &Value, built: &BuiltRequest) -> Value {
    match template {
        Value::String(s) => {
            let mut out = s.clone();
            for (k, val) in &built.vars {
                out = out.replace(&format!("${{{k}}}"), val);
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| fill(i, built)).collect()),
        Value::Object(map) => {
            // built by insertion: `collect` would add a sort to the bundle
            let mut filled = serde_json::Map::new();
            filled.extend(map.iter().map(|(k, v)| (k.clone(), fill(v, built))));
            Value::Object(filled)
        }
        other => other.clone(),
    }
}

/// `resources` of a data event: the object and its bucket, or the endpoint.
fn resources(world: &World, built: &BuiltRequest) -> Value {
    let arn = &built.request.resource;
    let rtype = crate::actions::resource_type_spec(&built.action.resource_type)
        .and_then(|r| r.cloud_trail_type.clone())
        .unwrap_or_default();
    let mut out = vec![json!({ "type": rtype, "ARN": arn })];
    if built.action.resource_type == "s3-object" {
        if let Some(bucket) = built.vars.get("Bucket") {
            out.push(json!({
                "accountId": world.account,
                "type": "AWS::S3::Bucket",
                "ARN": format!("arn:{}:s3:::{bucket}", world.partition),
            }));
        }
    } else if built.action.resource_type == "s3-bucket" {
        if let Some(first) = out.first_mut() {
            *first = json!({ "accountId": world.account, "type": "AWS::S3::Bucket", "ARN": arn });
        }
    }
    Value::Array(out)
}

/// Field order of CloudTrail records as AWS writes them (JSON objects are unordered, but
/// people read records in this order). Unknown keys follow, alphabetically.
const FIELD_ORDER: &[&str] = &[
    "eventVersion",
    "userIdentity",
    "type",
    "principalId",
    "arn",
    "ARN",
    "accountId",
    "accessKeyId",
    "userName",
    "sessionContext",
    "sessionIssuer",
    "attributes",
    "creationDate",
    "mfaAuthenticated",
    "sourceIdentity",
    "onBehalfOf",
    "userId",
    "identityStoreArn",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "requestID",
    "eventID",
    "readOnly",
    "resources",
    "eventType",
    "managementEvent",
    "recipientAccountId",
    "eventCategory",
];

/// Pretty JSON (two-space indent) with keys in CloudTrail's order; the form the CLI
/// prints and the snapshots store.
pub fn to_pretty_json(record: &Value) -> String {
    let mut out = String::new();
    write_value(record, 0, &mut out);
    out
}

fn rank(key: &str) -> usize {
    FIELD_ORDER
        .iter()
        .position(|k| *k == key)
        .unwrap_or(FIELD_ORDER.len())
}

fn write_value(v: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            abacus_policy::order::sort_by(&mut keys, |a, b| {
                rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
            });
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push_str(": ");
                if let Some(child) = map.get(*k) {
                    write_value(child, indent + 1, out);
                }
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_value(item, indent + 1, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{build_request, Parameters, Route, Selection};
    use crate::scenario::default_scenario;

    fn built(user: &str, action: &str, resource: &str, route: Route) -> (World, BuiltRequest) {
        let w = std::sync::Arc::unwrap_or_clone(default_scenario().world);
        let b = build_request(
            &w,
            &Selection {
                user: user.into(),
                action: action.into(),
                resource: Some(resource.into()),
                resource_arn: None,
                route,
                parameters: Parameters::default(),
            },
        )
        .unwrap();
        (w, b)
    }

    #[test]
    fn assumed_role_record_has_source_identity_and_issuer() {
        // CloudTrail User Guide: "CloudTrail userIdentity element"
        let (w, b) = built(
            "alice",
            "sagemaker:StopTrainingJob",
            "tj-alice",
            Route::StudioSpace,
        );
        let r = record(&w, &b, Decision::Allow, None).unwrap();
        assert_eq!(r["userIdentity"]["type"], "AssumedRole");
        assert_eq!(
            r["userIdentity"]["sessionContext"]["sourceIdentity"],
            "alice"
        );
        assert_eq!(
            r["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"],
            "SageMakerStudioTeamARole"
        );
        assert_eq!(r["eventName"], "StopTrainingJob");
        assert_eq!(r["managementEvent"], true);
        assert!(r.get("errorCode").is_none());
    }

    #[test]
    fn denied_record_carries_error_and_is_deterministic() {
        let (w, b) = built("alice", "s3:GetObject", "obj-bob", Route::StudioSpace);
        let a = record(
            &w,
            &b,
            Decision::ImplicitDeny,
            Some("User: x is not authorized"),
        )
        .unwrap();
        let again = record(
            &w,
            &b,
            Decision::ImplicitDeny,
            Some("User: x is not authorized"),
        )
        .unwrap();
        assert_eq!(a, again);
        assert_eq!(a["errorCode"], "AccessDenied");
        assert_eq!(a["eventCategory"], "Data");
        assert_eq!(a["resources"][1]["type"], "AWS::S3::Bucket");
        assert_eq!(a["responseElements"], Value::Null);
    }

    #[test]
    fn pretty_json_keeps_cloudtrail_order_and_round_trips() {
        let (w, b) = built(
            "alice",
            "sagemaker:StopTrainingJob",
            "tj-alice",
            Route::StudioSpace,
        );
        let r = record(&w, &b, Decision::Allow, None).unwrap();
        let text = to_pretty_json(&r);
        assert!(text.starts_with("{\n  \"eventVersion\""));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn permission_only_actions_are_not_logged() {
        let (w, b) = built("alice", "iam:PassRole", "role-teama", Route::StudioSpace);
        assert!(record(&w, &b, Decision::Allow, None).is_none());
    }

    #[test]
    fn athena_get_data_access_has_query_id() {
        let (w, b) = built("alice", "s3:GetObject", "obj-alice", Route::StudioSpace);
        let r = get_data_access_record(
            &w,
            &b,
            "arn:aws:glue:us-east-1:1:table/db/t",
            DataAccessRequester::Athena,
            Some("q-1"),
            Decision::Allow,
            None,
        );
        assert_eq!(
            r["requestParameters"]["auditContext"]["additionalAuditContext"],
            "{queryId: q-1}"
        );
        assert_eq!(r["additionalEventData"]["requesterService"], "ATHENA");
        let e = get_data_access_record(
            &w,
            &b,
            "t",
            DataAccessRequester::Emr,
            None,
            Decision::Allow,
            None,
        );
        assert_eq!(
            e["additionalEventData"]["LakeFormationAuthorizedSessionTag"],
            "LakeFormationAuthorizedCaller:Amazon EMR"
        );
    }
}
