//! Scenario tests: every `scenarios/*.json` document loads, every expectation holds, and
//! the CloudTrail records of each scenario's selected request match their snapshots
//! (`tests/snapshots/`).
#![cfg(test)]

use abacus_policy::Decision;
use abacus_studio::cloudtrail::to_pretty_json;
use abacus_studio::evaluate::Workspace;
use abacus_studio::scenario::{default_scenario, Route, Scenario, Selection};
use abacus_tests::repo_root;
use std::path::PathBuf;

fn scenario_files() -> Vec<PathBuf> {
    let dir = repo_root().join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn load(name: &str) -> Scenario {
    let path = repo_root().join("scenarios").join(format!("{name}.json"));
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sel(user: &str, action: &str, resource: &str) -> Selection {
    Selection {
        user: user.into(),
        action: action.into(),
        resource: Some(resource.into()),
        route: Route::StudioSpace,
        ..Default::default()
    }
}

#[test]
fn the_gallery_folder_holds_only_valid_scenarios() {
    let files = scenario_files();
    assert!(files.len() >= 18);
    for f in &files {
        assert_eq!(
            f.extension().and_then(|e| e.to_str()),
            Some("json"),
            "{f:?}"
        );
        let stem = f.file_stem().unwrap().to_str().unwrap();
        assert!(
            stem.starts_with("001-")
                || stem.starts_with("002-")
                || stem.starts_with("003-")
                || stem.starts_with("004-"),
            "{stem} is not named after a seed use case"
        );
        let text = std::fs::read_to_string(f).unwrap();
        let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{f:?}: {e}"));
        assert!(!s.expectations.is_empty(), "{f:?} has no expectations");
        assert!(
            !s.source.is_empty(),
            "{f:?} does not name its seed use case"
        );
    }
}

#[test]
fn every_expectation_holds() {
    let mut failures = Vec::new();
    let mut count = 0;
    for f in scenario_files() {
        let s = Scenario::from_json(&std::fs::read_to_string(&f).unwrap()).unwrap();
        for r in Workspace::new(&s).check_expectations() {
            count += 1;
            if !r.passed {
                failures.push(format!("{}: {}: {:?}", f.display(), r.name, r.problem));
            }
        }
    }
    assert!(count >= 60);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_seeds_own_denials_hold() {
    // seed 003: Team B deleting Team A's experiment gets the AccessDenied message
    let ws = Workspace::new(&load("003-team-artifacts-isolation"));
    let ev = ws
        .evaluate(&sel("userb1", "sagemaker:DeleteExperiment", "exp-a1"))
        .unwrap();
    assert_eq!(ev.decision, Decision::ImplicitDeny);
    assert!(ev.denial_message.unwrap().starts_with(
        "User: arn:aws:sts::111122223333:assumed-role/SageMakerStudioDeveloperTeamBRole/SageMaker is not authorized to perform: sagemaker:DeleteExperiment on resource: arn:aws:sagemaker:us-east-1:111122223333:experiment/usera1teamaexperiment1"
    ));
    // seed 001: another user's S3 prefix, secret and EMR cluster
    for (scenario, action, resource) in [
        ("001-s3-own-prefix", "s3:GetObject", "obj-bob"),
        (
            "001-secrets-per-user",
            "secretsmanager:GetSecretValue",
            "secret-bob",
        ),
        (
            "001-emr-cluster-by-user-tag",
            "elasticmapreduce:GetClusterSessionCredentials",
            "emr-bob",
        ),
        (
            "001-training-jobs-own-resources-context-keys",
            "sagemaker:StopTrainingJob",
            "tj-bob",
        ),
    ] {
        let ws = Workspace::new(&load(scenario));
        let own = resource.replace("bob", "alice");
        assert_eq!(
            ws.decide(&sel("alice", action, &own)).unwrap(),
            Decision::Allow,
            "{scenario}"
        );
        assert_ne!(
            ws.decide(&sel("alice", action, resource)).unwrap(),
            Decision::Allow,
            "{scenario}"
        );
    }
    // seed 001: another user's FSx directory
    let s = load("001-fsx-user-directory");
    let mut fsx = sel("alice", "sagemaker:CreateTrainingJob", "unused");
    fsx.resource = None;
    fsx.parameters.name = Some("j".into());
    fsx.parameters.file_system_directory_paths = vec!["/fsx/users/bob".into()];
    assert_eq!(
        Workspace::new(&s).decide(&fsx).unwrap(),
        Decision::ImplicitDeny
    );
}

#[test]
fn default_scenario_opens_on_the_seed_001_world() {
    let s = default_scenario();
    assert_eq!(s.world.domains[0].id, "d-xxxxxxxxxxxx");
    let users: Vec<&str> = s.world.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(users, ["alice", "bob", "carol"]);
    assert!(Workspace::new(&s)
        .check_expectations()
        .iter()
        .all(|r| r.passed));
}

/// The snapshots below follow, and this test checks on every expectation of every scenario:
/// - "CloudTrail userIdentity element": temporary credentials' `accessKeyId` belongs to the
///   session ("If the request was made with temporary security credentials, this is the access
///   key ID of the temporary credentials"), so one session keeps one key in all its records,
///   the key its `AssumeRole*` response returned; an AWS service that assumes a role appears
///   as `type` `AWSService` with `invokedBy`; `sourceIdentity` sits in the session context;
/// - "Logging IAM and AWS STS API calls with AWS CloudTrail": the `AssumeRole` record carries
///   `sourceIdentity` in `requestParameters` and `responseElements`;
/// - STS API Reference, "AssumeRole": credentials last 3,600 s by default, so they expire
///   after the session's duration, not at its creation;
/// - "CloudTrail record contents": `errorCode` is the service's error; S3's is `AccessDenied`
///   (Amazon S3 API Reference, "Error responses") and the JSON-protocol services' is
///   `AccessDeniedException` (their "Common Errors" pages).
#[test]
fn every_record_follows_the_cloudtrail_user_guide() {
    for f in scenario_files() {
        let stem = f.file_stem().unwrap().to_str().unwrap().to_owned();
        let s = Scenario::from_json(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let ws = Workspace::new(&s);
        for e in &s.expectations {
            let ev = ws.evaluate(&e.request).unwrap();
            let mut keys: std::collections::BTreeMap<String, String> = Default::default();
            for r in &ev.cloudtrail {
                let at = format!("{stem}: {}: {}", e.name, r["eventName"]);
                // a session's credentials, as its creator received them
                if let Some(creds) = r["responseElements"].get("credentials") {
                    let session = r["responseElements"]["assumedRoleUser"]["arn"]
                        .as_str()
                        .unwrap()
                        .to_owned();
                    let key = creds["accessKeyId"].as_str().unwrap().to_owned();
                    assert!(key.starts_with("ASIA"), "{at}");
                    assert_ne!(creds["expiration"], s.world.clock.as_str(), "{at}");
                    keys.insert(session, key);
                }
                let identity = &r["userIdentity"];
                if identity["type"] == "AssumedRole" {
                    let arn = identity["arn"].as_str().unwrap();
                    let key = identity["accessKeyId"].as_str().unwrap();
                    if let Some(issued) = keys.get(arn) {
                        assert_eq!(key, issued, "{at}: the session's own key");
                    }
                }
                if identity["type"] == "AWSService" {
                    assert!(identity["invokedBy"].is_string(), "{at}");
                }
                if let Some(code) = r.get("errorCode") {
                    let expected = match r["eventSource"].as_str().unwrap() {
                        "s3.amazonaws.com" | "iam.amazonaws.com" | "sts.amazonaws.com" => {
                            "AccessDenied"
                        }
                        _ => "AccessDeniedException",
                    };
                    assert_eq!(code, expected, "{at}");
                }
            }
        }
    }
}

#[test]
fn cloudtrail_records_match_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo_root().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for f in scenario_files() {
            let stem = f.file_stem().unwrap().to_str().unwrap().to_owned();
            let s = Scenario::from_json(&std::fs::read_to_string(&f).unwrap()).unwrap();
            let ev = Workspace::new(&s).evaluate(&s.selection).unwrap();
            assert!(
                !ev.cloudtrail.is_empty(),
                "{stem}: the selected call writes no record"
            );
            let text: Vec<String> = ev.cloudtrail.iter().map(to_pretty_json).collect();
            insta::assert_snapshot!(format!("cloudtrail-{stem}"), text.join("\n"));
        }
    });
}

#[test]
fn records_are_deterministic() {
    let s = default_scenario();
    let a = Workspace::new(&s)
        .evaluate(&s.selection)
        .unwrap()
        .cloudtrail;
    let b = Workspace::new(&s)
        .evaluate(&s.selection)
        .unwrap()
        .cloudtrail;
    assert_eq!(a, b);
}

#[test]
fn execution_role_trust_policy_gates_the_studio_session() {
    // seed 001 prerequisites; IAM User Guide: "Monitor and control actions taken with
    // assumed roles" (sts:SetSourceIdentity must be allowed by the role trust policy)
    let ws = Workspace::new(&load("001-trust-policy-without-set-source-identity"));
    let ev = ws
        .evaluate(&sel("alice", "sagemaker:StopTrainingJob", "tj-alice"))
        .unwrap();
    assert_eq!(ev.decision, Decision::ImplicitDeny);
    assert!(ev.denial_message.unwrap().starts_with(
        "SageMaker could not assume `SageMakerStudioTeamARole` with a source identity: its trust policy does not allow sts:SetSourceIdentity for sagemaker.amazonaws.com"
    ));
    assert_eq!(ev.cloudtrail.len(), 1);
    assert_eq!(ev.cloudtrail[0]["eventSource"], "sts.amazonaws.com");
    assert_eq!(ev.cloudtrail[0]["errorCode"], "AccessDenied");
    // the same role and trust policy serve dave's domain, which sets no source identity
    assert_eq!(
        ws.decide(&sel("dave", "sagemaker:StopTrainingJob", "tj-dave"))
            .unwrap(),
        Decision::Allow
    );
}

#[test]
fn every_modelled_trust_policy_lets_sagemaker_create_the_session() {
    // Only the scenario about an insufficient trust policy may fail SageMaker's calls.
    for f in scenario_files() {
        let stem = f.file_stem().unwrap().to_str().unwrap().to_owned();
        if stem == "001-trust-policy-without-set-source-identity" {
            continue;
        }
        let s = Scenario::from_json(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let ws = Workspace::new(&s);
        for e in &s.expectations {
            let ev = ws.evaluate(&e.request).unwrap();
            for c in &ev.before {
                if c.request.principal == "sagemaker.amazonaws.com" {
                    assert_eq!(
                        c.authorization.decision,
                        Decision::Allow,
                        "{stem}: {}: {}",
                        e.name,
                        c.request.action
                    );
                }
            }
        }
    }
}

/// Every action of the seed services can be simulated: the resource comes from the
/// reference's ARN format filled from the world (or `*`), and the run yields a decision and
/// a CloudTrail record named after the action (Service Authorization Reference, each seed
/// service's "Actions, resources, and condition keys" page).
#[test]
fn every_action_of_the_seed_services_is_simulated() {
    use abacus_studio::actions::{resource_type_spec, spec};
    use abacus_studio::model::fill_arn;
    let scenario = abacus_studio::scenario::default_scenario();
    let workspace = abacus_studio::evaluate::Workspace::new(&scenario);
    let world = &scenario.world;
    let reference = abacus_reference::current();
    let mut failures = Vec::new();
    let mut count = 0;
    for prefix in abacus_reference::SEED_SERVICES {
        let service = reference.service(prefix).unwrap();
        for action in &service.actions {
            let name = format!("{}:{}", service.prefix, action.name);
            let spec = spec(&name).unwrap_or_else(|| panic!("{name} has no spec"));
            let mut selection = scenario.selection.clone();
            selection.action = name.clone();
            selection.resource = None;
            selection.resource_arn = None;
            if spec.resource_type != "none" {
                let rt = resource_type_spec(&spec.resource_type).unwrap();
                let arn = fill_arn(
                    &rt.arn,
                    &world.partition,
                    &world.region,
                    &world.account,
                    "d-example",
                    "example/part/name",
                );
                // a few formats end in a literal `*` (`identitystore:::membership/*`)
                selection.resource_arn = Some(arn.replace('*', "example"));
            }
            count += 1;
            match workspace.evaluate(&selection) {
                Ok(e) => {
                    let record = serde_json::Value::Array(e.cloudtrail.clone()).to_string();
                    // permission-only actions write no record of their own, and Lake
                    // Formation's GetDataAccess is recorded for the Athena or EMR query that
                    // calls it (`parameters.via`), which this generic request does not name
                    if spec.logged
                        && name != "lakeformation:GetDataAccess"
                        && spec.event_name.is_none()
                        && !record.contains(&format!("\"eventName\":\"{}\"", action.name))
                    {
                        failures.push(format!(
                            "{name}: CloudTrail lacks the eventName: {record:.200}"
                        ));
                    }
                }
                Err(err) => failures.push(format!("{name}: {err}")),
            }
        }
    }
    assert!(count > 1000, "{count}");
    assert!(
        failures.is_empty(),
        "{} of {count}: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}
