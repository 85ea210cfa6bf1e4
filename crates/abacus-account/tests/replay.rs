//! CloudTrail replay against the simulator's own records: every CloudTrail record the
//! simulator writes for a gallery scenario's expectation, replayed against the same
//! scenario, is the same request and gets the same decision (the replay reads what the
//! generator writes, both as the CloudTrail User Guide describes records).
#![cfg(test)]

use abacus_account::import::ImportFile;
use abacus_account::replay::{replay, Recorded};
use abacus_account::trail::read_trail;
use abacus_policy::Decision;
use abacus_studio::evaluate::Workspace;
use abacus_studio::scenario::Scenario;
use std::path::Path;

fn scenarios() -> Vec<(String, Scenario)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios"));
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            out.push((name, Scenario::from_json(&text).unwrap()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn the_simulators_own_records_replay_to_the_same_decisions() {
    let (mut compared, mut skipped) = (0, Vec::new());
    for (name, scenario) in scenarios() {
        let ws = Workspace::new(&scenario);
        // a record carries the call's name, time, address and Region, but not the other
        // parameters a selection can set (a tagging action, a passed role, a query, ...):
        // those expectations are not reproducible from their record alone
        let carried = |p: &abacus_studio::request::Parameters| {
            abacus_studio::request::Parameters {
                name: None,
                ..p.clone()
            } == abacus_studio::request::Parameters::default()
        };
        for exp in scenario
            .expectations
            .iter()
            .filter(|e| e.check.is_none() && carried(&e.request.parameters))
        {
            let Ok(ev) = ws.evaluate(&exp.request) else {
                continue;
            };
            let spec = abacus_studio::actions::spec(&exp.request.action).unwrap();
            // the selected call's own record (the last of its name: the calls before it, such
            // as SageMaker's own AssumeRole of the session, come first)
            let Some(record) = ev.cloudtrail.iter().rev().find(|r| {
                r["eventName"] == spec.event_name().as_str()
                    && r["eventSource"] == spec.event_source().as_str()
            }) else {
                continue; // a permission-only action that CloudTrail does not log
            };
            let file = ImportFile {
                name: "trail.json".to_owned(),
                text: serde_json::json!({ "Records": [record] }).to_string(),
            };
            let records = read_trail(&file).unwrap();
            let replayed = replay(&scenario, &records);
            let row = &replayed.rows[0];
            match &row.selection {
                Ok(_) => {
                    assert_eq!(
                        row.decision,
                        Some(ev.decision),
                        "{name}: {}: {:?}",
                        exp.name,
                        row.selection
                    );
                    let recorded_allowed = row.recorded == Recorded::Allowed;
                    assert_eq!(
                        recorded_allowed,
                        ev.decision == Decision::Allow,
                        "{name}: {}",
                        exp.name
                    );
                    assert_eq!(row.agrees, Some(true), "{name}: {}", exp.name);
                    compared += 1;
                }
                Err(why) => skipped.push(format!("{name}: {}: {why}", exp.name)),
            }
        }
    }
    assert!(compared >= 50, "{compared} compared; skipped: {skipped:#?}");
    assert!(
        skipped.len() * 5 <= compared,
        "{compared} compared; skipped: {skipped:#?}"
    );
}

fn fixture(rel: &str) -> ImportFile {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(rel);
    ImportFile {
        name: rel.to_owned(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

fn imported() -> Scenario {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/exports"
    ));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let files: Vec<ImportFile> = names
        .iter()
        .map(|n| fixture(&format!("exports/{n}")))
        .collect();
    abacus_account::import::import(&files).unwrap().scenario
}

#[test]
fn a_log_file_and_a_lookup_events_page_replay_against_the_imported_account() {
    let scenario = imported();
    let mut records = read_trail(&fixture("trail/cloudtrail-log.json")).unwrap();
    assert_eq!(records.len(), 7);
    let lookup = read_trail(&fixture("trail/lookup-events.json")).unwrap();
    assert_eq!(lookup.len(), 2);
    assert_eq!(
        lookup[0].place,
        "trail/lookup-events.json $.Events[0].CloudTrailEvent"
    );
    assert_eq!(lookup[0].event_id, records[4].event_id);
    assert_eq!(lookup[0].identity, records[4].identity);
    records.extend(lookup);
    let r = replay(&scenario, &records);
    // the same record, from the lookup-events page, is the same request
    assert_eq!(r.rows[7].selection, r.rows[4].selection);
    assert_eq!(r.rows[8].selection, r.rows[2].selection);
    assert_eq!((r.agreeing(), r.disagreeing(), r.not_compared()), (7, 1, 1));
    // S3's ListObjects is authorized as s3:ListBucket, on the bucket
    let list = r.rows[1].selection.as_ref().unwrap();
    assert_eq!(list.action, "s3:ListBucket");
    assert_eq!(list.resource.as_deref(), Some("s3-abacus-ml-data"));
    // a Studio space call: the execution role's SageMaker session with ana's source identity
    let describe = r.rows[2].selection.as_ref().unwrap();
    assert_eq!(
        (describe.user.as_str(), describe.route.label().as_str()),
        ("ana", "studio space")
    );
    assert_eq!(
        r.rows[2].recorded,
        Recorded::Denied("AccessDeniedException".to_owned())
    );
    // the IAM user with its keys, stopped by the secret's resource policy
    assert_eq!(r.rows[3].decision, Some(Decision::ExplicitDeny));
    // the call made in eu-central-1: AWS allowed it; the scenario's SCP denies it
    let outside = &r.rows[5];
    assert_eq!(outside.agrees, Some(false));
    assert_eq!(outside.decision, Some(Decision::ExplicitDeny));
    assert_eq!(
        outside
            .selection
            .as_ref()
            .unwrap()
            .parameters
            .region
            .as_deref(),
        Some("eu-central-1")
    );
    // SageMaker's own AssumeRole is not a principal of the world
    assert!(r.rows[6]
        .selection
        .as_ref()
        .unwrap_err()
        .contains("`AWSService`"));
}

#[test]
fn an_edit_is_measured_against_the_records() {
    let base = imported();
    let records = read_trail(&fixture("trail/cloudtrail-log.json")).unwrap();
    let before = replay(&base, &records);
    // detaching the data policy would deny the two recorded S3 calls
    let mut edited = base.clone();
    edited.policies.retain(|p| p.name != "ReadMlData");
    let change = abacus_account::replay::change(&before, &replay(&edited, &records));
    assert_eq!(change.newly_denied, [0, 1]);
    assert!(change.newly_allowed.is_empty());
    assert_eq!(change.decided, 6, "every simulated record");
    // dropping the Region SCP and allowing ListTrainingJobs allows the record made in
    // eu-central-1, which AWS allowed: the replay then agrees everywhere
    let mut edited = base;
    edited.policies.retain(|p| p.name != "EuOnly");
    edited.policies.push(abacus_studio::scenario::PolicyEntry {
        id: "list-jobs".to_owned(),
        name: "ListJobs".to_owned(),
        kind: abacus_studio::scenario::PolicyKind::Identity,
        text: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sagemaker:ListTrainingJobs", "Resource": "*"}]}"#.into(),
        attached_to: vec!["role:StudioTeamRedRole".to_owned()],
        arn: None,
    });
    let after = replay(&edited, &records);
    let change = abacus_account::replay::change(&before, &after);
    assert_eq!(change.newly_allowed, [5], "{:?}", after.rows[5]);
    assert_eq!(after.disagreeing(), 0);
}

#[test]
fn broken_trails_are_placed() {
    let bad = |text: &str| {
        read_trail(&ImportFile {
            name: "t.json".to_owned(),
            text: text.to_owned(),
        })
        .unwrap_err()
    };
    let e = bad("{\"Records\": [\n  {\"eventSource\": \"s3.amazonaws.com\"}\n]}");
    assert_eq!(e[0].path, "$.Records[0]");
    assert_eq!(e[0].message, "`eventName` is missing");
    assert_eq!((e[0].line, e[0].column), (Some(2), Some(3)));
    let e = bad(r#"{"Events": [{"CloudTrailEvent": "{\"eventSource\": "}]}"#);
    assert_eq!(e[0].path, "$.Events[0].CloudTrailEvent");
    assert!(
        e[0].message
            .starts_with("the record in this string is not JSON"),
        "{}",
        e[0]
    );
    assert!(bad(r#"{"hello": 1}"#)[0]
        .message
        .contains("not CloudTrail records"));
    assert!(bad("[1,").first().unwrap().message.starts_with("not JSON"));
}

#[test]
fn an_access_denied_message_opens_its_request() {
    use abacus_account::replay::{parse_denied_message, selection_from_denied};
    // IAM User Guide, "Access denied error messages": the message names the principal, the
    // action and the resource
    let scenario = imported();
    let m = "User: arn:aws:sts::444455556666:assumed-role/StudioTeamRedRole/SageMaker is not authorized to perform: sagemaker:DescribeUserProfile on resource: arn:aws:sagemaker:eu-west-1:444455556666:user-profile/d-abcdefgh1234/ben because no identity-based policy allows the sagemaker:DescribeUserProfile action";
    assert_eq!(
        parse_denied_message(m),
        Some((
            "arn:aws:sts::444455556666:assumed-role/StudioTeamRedRole/SageMaker".to_owned(),
            "sagemaker:DescribeUserProfile".to_owned(),
            "arn:aws:sagemaker:eu-west-1:444455556666:user-profile/d-abcdefgh1234/ben".to_owned()
        ))
    );
    // two profiles share the role: the message alone cannot say whose session it was
    let s = selection_from_denied(&scenario.world, m).unwrap();
    assert_eq!(s.resource.as_deref(), Some("profile-ben"));
    assert_eq!(s.route.label(), "session of StudioTeamRedRole");
    let ws = Workspace::new(&scenario);
    assert_eq!(ws.decide(&s).unwrap(), Decision::ImplicitDeny);
    let admin = "An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User: arn:aws:iam::444455556666:user/platform-admin is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:444455556666:secret:team-red/db-AbCdEf with an explicit deny in a resource-based policy";
    let s = selection_from_denied(&scenario.world, admin).unwrap();
    assert_eq!(s.resource.as_deref(), Some("secret-team-red/db-AbCdEf"));
    assert_eq!(ws.decide(&s).unwrap(), Decision::ExplicitDeny);
    assert!(selection_from_denied(&scenario.world, "hello").is_err());
}

#[test]
fn a_call_a_service_made_for_the_caller_is_replayed_with_called_via() {
    // AWS Lake Formation best practices, "Lake Formation CloudTrail events": the engine's
    // endpoint is the record's sourceIPAddress; IAM User Guide, "AWS global condition
    // context keys": aws:CalledVia
    let scenario = imported();
    let mut record: serde_json::Value =
        serde_json::from_str(&fixture("trail/cloudtrail-log.json").text).unwrap();
    let mut first = record["Records"][0].take();
    first["sourceIPAddress"] = serde_json::json!("athena.amazonaws.com");
    let file = ImportFile {
        name: "via.json".to_owned(),
        text: serde_json::json!([first]).to_string(),
    };
    let r = replay(&scenario, &read_trail(&file).unwrap());
    let s = r.rows[0].selection.as_ref().unwrap();
    assert_eq!(s.parameters.called_via, ["athena.amazonaws.com"]);
    assert_eq!(
        s.parameters.source_ip, None,
        "a service name is not an address"
    );
    assert_eq!(r.rows[0].agrees, Some(true));
}
