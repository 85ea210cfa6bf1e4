//! CloudTrail records as AWS writes them, from the three forms they come in: a log file
//! (`{"Records": [...]}`), the output of `aws cloudtrail lookup-events` (each record a JSON
//! string in `Events[].CloudTrailEvent`), or a bare array of records. Fields as the
//! CloudTrail User Guide's "CloudTrail record contents" and "CloudTrail userIdentity
//! element" describe them.

use crate::import::{ImportError, ImportFile};
use abacus_policy::json::{parse_json, JsonKind, JsonValue};
use abacus_policy::LineIndex;

/// The most records one file holds (a day of a busy account's management events); a file
/// with more is refused before any is read.
pub const MAX_RECORDS: usize = 100_000;

/// Who made a recorded call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// `userIdentity.type`: `AssumedRole`, `IAMUser`, `AWSService`, ...
    pub kind: String,
    /// `userIdentity.arn`.
    pub arn: Option<String>,
    /// `userIdentity.accountId`.
    pub account: Option<String>,
    /// `userIdentity.userName` (IAM users).
    pub user_name: Option<String>,
    /// `sessionContext.sessionIssuer.userName`: the role of a role session.
    pub role: Option<String>,
    /// The session name, the last part of an assumed-role ARN.
    pub session_name: Option<String>,
    /// `sessionContext.sourceIdentity`.
    pub source_identity: Option<String>,
}

/// One recorded call.
#[derive(Clone, Debug, PartialEq)]
pub struct TrailRecord {
    /// Where it is: `FILE $.Records[3]` (or `FILE $.Events[3].CloudTrailEvent`).
    pub place: String,
    /// `eventID`.
    pub event_id: Option<String>,
    /// `eventTime`.
    pub event_time: Option<String>,
    /// `eventSource`, e.g. `s3.amazonaws.com`.
    pub event_source: String,
    /// `eventName`, e.g. `GetObject`.
    pub event_name: String,
    /// `awsRegion`.
    pub region: Option<String>,
    /// `sourceIPAddress`.
    pub source_ip: Option<String>,
    /// `errorCode`, when the call failed.
    pub error_code: Option<String>,
    /// `errorMessage`.
    pub error_message: Option<String>,
    /// `userIdentity`.
    pub identity: Identity,
    /// `resources[]`: `(type, ARN)`.
    pub resources: Vec<(Option<String>, String)>,
    /// `requestParameters`.
    pub request_parameters: Option<JsonValue>,
}

impl TrailRecord {
    /// The same record, at another place (the same record read from another file).
    pub fn with_place(mut self, place: &str) -> TrailRecord {
        place.clone_into(&mut self.place);
        self
    }
}

/// The elements of `v`, if it is an array.
fn array(v: Option<&JsonValue>) -> Option<&[JsonValue]> {
    match v {
        Some(JsonValue {
            kind: JsonKind::Array(items),
            ..
        }) => Some(items.as_slice()),
        _ => None,
    }
}

fn member<'v>(v: &'v JsonValue, key: &str) -> Option<&'v JsonValue> {
    match &v.kind {
        JsonKind::Object(ms) => ms.iter().rev().find(|m| m.key == key).map(|m| &m.value),
        _ => None,
    }
}

fn text(v: &JsonValue, key: &str) -> Option<String> {
    match &member(v, key)?.kind {
        JsonKind::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn error(
    file: &ImportFile,
    lines: &LineIndex,
    path: String,
    at: Option<usize>,
    message: impl Into<String>,
) -> ImportError {
    let position = at.map(|o| lines.position(o));
    ImportError {
        file: file.name.clone(),
        path,
        line: position.map(|p| p.line),
        column: position.map(|p| p.column),
        message: message.into(),
        help: "give a CloudTrail log file (`{\"Records\": [...]}`), the output of `aws cloudtrail lookup-events`, or an array of records".to_owned(),
    }
}

/// The records of one file, in file order; or every problem found, each placed.
pub fn read_trail(file: &ImportFile) -> Result<Vec<TrailRecord>, Vec<ImportError>> {
    let lines = LineIndex::new(&file.text);
    if file.text.len() > crate::import::MAX_FILE_BYTES {
        return Err(vec![error(
            file,
            &lines,
            "$".into(),
            None,
            format!(
                "the file is {} bytes, more than the {} a trail is read up to",
                file.text.len(),
                crate::import::MAX_FILE_BYTES
            ),
        )]);
    }
    if file.text.trim().is_empty() {
        return Err(vec![error(
            file,
            &lines,
            "$".into(),
            None,
            "the file is empty",
        )]);
    }
    let (root, json_errors) = parse_json(&file.text);
    if let Some(e) = json_errors.iter().find(|e| e.is_error) {
        return Err(vec![error(
            file,
            &lines,
            "$".into(),
            Some(e.span.start),
            format!("not JSON: {}", e.message),
        )]);
    }
    let Some(root) = root else {
        return Err(vec![error(
            file,
            &lines,
            "$".into(),
            None,
            "the file is empty",
        )]);
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut take = |value: &JsonValue, path: String, errors: &mut Vec<ImportError>| match record(
        value,
        &format!("{} {path}", file.name),
    ) {
        Ok(r) => out.push(r),
        Err(m) => errors.push(error(file, &lines, path, Some(value.span.start), m)),
    };
    // where the records are: the file itself, `Records`, or lookup-events' `Events`
    let found = match &root.kind {
        JsonKind::Array(items) => Some((Shape::Array, items.as_slice())),
        _ => array(member(&root, "Records"))
            .map(|items| (Shape::Records, items))
            .or_else(|| array(member(&root, "Events")).map(|items| (Shape::Events, items))),
    };
    let Some((shape, items)) = found else {
        return Err(vec![error(
            file,
            &lines,
            "$".into(),
            Some(root.span.start),
            "not CloudTrail records (no `Records`, no `Events`, not an array)",
        )]);
    };
    if items.len() > MAX_RECORDS {
        return Err(vec![error(
            file,
            &lines,
            "$".into(),
            Some(root.span.start),
            format!(
                "{} records, more than the {MAX_RECORDS} one file is read up to",
                items.len()
            ),
        )]);
    }
    match shape {
        Shape::Array => {
            for (i, v) in items.iter().enumerate() {
                take(v, format!("$[{i}]"), &mut errors);
            }
        }
        Shape::Records => {
            for (i, v) in items.iter().enumerate() {
                take(v, format!("$.Records[{i}]"), &mut errors);
            }
        }
        Shape::Events => {
            for (i, ev) in items.iter().enumerate() {
                let path = format!("$.Events[{i}].CloudTrailEvent");
                let Some(inner) = member(ev, "CloudTrailEvent") else {
                    errors.push(error(
                        file,
                        &lines,
                        format!("$.Events[{i}]"),
                        Some(ev.span.start),
                        "`CloudTrailEvent` is missing",
                    ));
                    continue;
                };
                let JsonKind::String(s) = &inner.kind else {
                    errors.push(error(
                        file,
                        &lines,
                        path,
                        Some(inner.span.start),
                        "`CloudTrailEvent` is not a string",
                    ));
                    continue;
                };
                let (parsed, inner_errors) = parse_json(s);
                match (parsed, inner_errors.iter().find(|e| e.is_error)) {
                    (Some(v), None) => match record(&v, &format!("{} {path}", file.name)) {
                        Ok(r) => out.push(r),
                        Err(m) => errors.push(error(file, &lines, path, Some(inner.span.start), m)),
                    },
                    (_, Some(e)) => errors.push(error(
                        file,
                        &lines,
                        path,
                        Some(inner.span.start),
                        format!("the record in this string is not JSON: {} (at character {} of the string)", e.message, e.span.start + 1),
                    )),
                    (None, None) => errors.push(error(file, &lines, path, Some(inner.span.start), "the string is empty")),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Where a file holds its records.
enum Shape {
    /// A bare array.
    Array,
    /// A log file's `Records`.
    Records,
    /// A lookup-events page's `Events` (each record a JSON string).
    Events,
}

/// One record, or what is wrong with it.
fn record(v: &JsonValue, place: &str) -> Result<TrailRecord, String> {
    if !matches!(v.kind, JsonKind::Object(_)) {
        return Err(format!("a record is an object, not {}", v.kind.describe()));
    }
    let event_source = text(v, "eventSource").ok_or("`eventSource` is missing")?;
    let event_name = text(v, "eventName").ok_or("`eventName` is missing")?;
    let ui = member(v, "userIdentity").ok_or("`userIdentity` is missing")?;
    let session = member(ui, "sessionContext");
    let arn = text(ui, "arn");
    let identity = Identity {
        kind: text(ui, "type").ok_or("`userIdentity.type` is missing")?,
        session_name: arn
            .as_deref()
            .filter(|a| a.contains(":assumed-role/"))
            .and_then(|a| a.rsplit('/').next())
            .map(str::to_owned),
        arn,
        account: text(ui, "accountId"),
        user_name: text(ui, "userName"),
        role: session
            .and_then(|s| member(s, "sessionIssuer"))
            .and_then(|i| text(i, "userName")),
        source_identity: session.and_then(|s| text(s, "sourceIdentity")),
    };
    let mut resources = Vec::new();
    if let Some(JsonValue {
        kind: JsonKind::Array(items),
        ..
    }) = member(v, "resources")
    {
        for r in items {
            if let Some(arn) = text(r, "ARN").or_else(|| text(r, "arn")) {
                resources.push((text(r, "type"), arn));
            }
        }
    }
    Ok(TrailRecord {
        place: place.to_owned(),
        event_id: text(v, "eventID"),
        event_time: text(v, "eventTime"),
        event_source,
        event_name,
        region: text(v, "awsRegion"),
        source_ip: text(v, "sourceIPAddress"),
        error_code: text(v, "errorCode"),
        error_message: text(v, "errorMessage"),
        identity,
        resources,
        request_parameters: member(v, "requestParameters")
            .filter(|p| matches!(p.kind, JsonKind::Object(_)))
            .cloned(),
    })
}
