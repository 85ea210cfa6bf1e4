//! Import of the synthetic exports under `tests/fixtures/exports` (written for this repo in
//! the shapes the AWS CLI Command Reference documents; no real account data): every kind is
//! recognised, the world and policies are what the files say, and the imported scenario
//! decides as AWS would.
#![cfg(test)]

use abacus_account::import::{import, ExportKind, ImportFile};
use abacus_policy::Decision;
use abacus_studio::evaluate::Workspace;
use abacus_studio::model::ExecutionRoleIdentityConfig;
use abacus_studio::scenario::{PolicyKind, Selection};
use std::path::Path;

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/exports"
    ))
}

fn file(rel: &str) -> ImportFile {
    ImportFile {
        name: rel.to_owned(),
        text: std::fs::read_to_string(fixtures().join(rel)).unwrap(),
    }
}

fn all_files() -> Vec<ImportFile> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names.iter().map(|n| file(n)).collect()
}

#[test]
fn every_kind_is_recognised_and_the_world_is_what_the_files_say() {
    let imported = import(&all_files()).unwrap_or_else(|e| panic!("{e:#?}"));
    let kinds: std::collections::BTreeSet<ExportKind> =
        imported.recognised.iter().map(|(_, k)| *k).collect();
    assert_eq!(
        kinds.len(),
        ExportKind::ALL.len(),
        "{:?}",
        imported.recognised
    );

    let w = &imported.scenario.world;
    assert_eq!(
        (w.account.as_str(), w.region.as_str()),
        ("444455556666", "eu-west-1")
    );
    let d = &w.domains[0];
    assert_eq!(d.id, "d-abcdefgh1234");
    assert_eq!(
        d.execution_role_identity_config,
        ExecutionRoleIdentityConfig::UserProfileName
    );
    assert_eq!(d.default_execution_role, "StudioTeamRedRole");
    assert_eq!(d.tags.get("env").map(String::as_str), Some("dev"));
    let ana = w.users.iter().find(|u| u.name == "ana").unwrap();
    assert_eq!(ana.tags.get("team").map(String::as_str), Some("red"));
    assert_eq!(ana.execution_role.as_deref(), Some("StudioTeamRedRole"));
    let ben = w.users.iter().find(|u| u.name == "ben").unwrap();
    assert_eq!(
        ben.execution_role, None,
        "listed only: the domain's default role"
    );
    let role = w
        .roles
        .iter()
        .find(|r| r.name == "StudioTeamRedRole")
        .unwrap();
    assert_eq!(role.path, "/service-role/");
    assert_eq!(role.tags.get("team").map(String::as_str), Some("red"));
    assert_eq!(
        w.organization,
        ["Root", "ML", "444455556666"],
        "roots, then units, then the account"
    );

    let p = &imported.scenario.policies;
    let by_name = |n: &str| p.iter().find(|x| x.name == n).unwrap();
    assert_eq!(
        by_name("StudioTeamRedRole trust policy").kind,
        PolicyKind::Trust
    );
    let read = by_name("ReadMlData");
    assert!(
        read.text.contains("s3:ListBucket"),
        "the default version (v2)"
    );
    assert_eq!(
        read.attached_to,
        ["role:StudioTeamRedRole", "iam-user:platform-admin"]
    );
    assert_eq!(
        by_name("StudioBoundary (boundary)").kind,
        PolicyKind::Boundary
    );
    assert_eq!(
        by_name("ListStudio (group ml-readers)").attached_to,
        ["iam-user:platform-admin"]
    );
    assert_eq!(by_name("EuOnly").attached_to, ["org:ML"]);
    assert_eq!(
        by_name("FullAWSAccess").attached_to,
        ["org:Root", "org:ML", "org:444455556666"]
    );
    assert_eq!(
        by_name("abacus-ml-data bucket policy").kind,
        PolicyKind::Resource
    );
    assert_eq!(
        by_name("team-red/db-AbCdEf resource policy").attached_to,
        ["resource:secret-team-red/db-AbCdEf"]
    );
    // the access matrix asks the actions the policies allow by name
    assert_eq!(
        imported.scenario.matrix.actions,
        [
            "s3:GetObject",
            "s3:ListBucket",
            "sagemaker:StopTrainingJob",
            "sagemaker:DescribeTrainingJob",
            "sagemaker:DescribeUserProfile",
            "sagemaker:CreatePresignedDomainUrl",
        ]
    );
    let m = Workspace::new(&imported.scenario).matrix();
    assert_eq!(m.users, ["ana", "ben"]);
    assert!(!m.columns.is_empty());
    // the policy version not in effect is kept apart
    assert_eq!(imported.other_versions.len(), 1);
    assert_eq!(imported.other_versions[0].version, "v1");
    // what the exports leave open is said
    let notes: Vec<&str> = imported.notes.iter().map(|n| n.message.as_str()).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("arn:aws:iam::aws:policy/AmazonSageMakerReadOnly")),
        "{notes:#?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("how the person signs in")),
        "{notes:#?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("organizational units")),
        "{notes:#?}"
    );
}

#[test]
fn the_imported_world_decides_as_aws_would() {
    // SageMaker Developer Guide, "Considerations when using sourceIdentity": with
    // USER_PROFILE_NAME the profile name is the execution role session's source identity,
    // so `${aws:SourceIdentity}` in the role's policy names the caller's own profile.
    let imported = import(&all_files()).unwrap();
    let ws = Workspace::new(&imported.scenario);
    let describe = |user: &str, profile: &str| {
        ws.decide(&Selection {
            user: user.to_owned(),
            action: "sagemaker:DescribeUserProfile".to_owned(),
            resource: Some(format!("profile-{profile}")),
            ..imported.scenario.selection.clone()
        })
        .unwrap()
    };
    assert_eq!(describe("ana", "ana"), Decision::Allow);
    assert_eq!(describe("ana", "ben"), Decision::ImplicitDeny);
    // the secret's resource policy denies every principal not tagged team=red; ben's
    // sessions use the same role (tag team=red), so the identity side decides: no
    // identity policy allows GetSecretValue without a resource
    let secret = ws
        .decide(&Selection {
            user: "ben".to_owned(),
            action: "secretsmanager:GetSecretValue".to_owned(),
            resource: Some("secret-team-red/db-AbCdEf".to_owned()),
            ..imported.scenario.selection.clone()
        })
        .unwrap();
    assert_eq!(secret, Decision::ImplicitDeny);
}

#[test]
fn the_raw_apis_url_encoded_documents_import_alike() {
    let decoded = import(&[
        file("get-account-authorization-details.json"),
        file("describe-domain.json"),
        file("list-user-profiles.json"),
    ])
    .unwrap();
    let raw = import(&[
        file("raw-api/get-account-authorization-details.json"),
        file("describe-domain.json"),
        file("list-user-profiles.json"),
    ])
    .unwrap();
    assert_eq!(decoded.scenario.policies.len(), raw.scenario.policies.len());
    for (a, b) in decoded.scenario.policies.iter().zip(&raw.scenario.policies) {
        assert_eq!(
            (&a.id, a.kind, &a.attached_to),
            (&b.id, b.kind, &b.attached_to)
        );
        let json = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
        assert_eq!(json(&a.text), json(&b.text), "{}", a.name);
    }
}

#[test]
fn who_can_asks_every_profile_and_iam_user_of_the_imported_world() {
    use abacus_account::who_can::{who_can, Who};
    let imported = import(&all_files()).unwrap();
    // the team's bucket: both profiles and the team role's own session (the role's managed
    // policy) and the admin
    // (through the group's managed policy) may read; the role's boundary and the SCPs allow
    let read = who_can(
        &imported.scenario,
        "s3:GetObject",
        "arn:aws:s3:::abacus-ml-data/x.csv",
    )
    .unwrap();
    let allowed: Vec<&Who> = read.allowed().map(|r| &r.who).collect();
    assert_eq!(
        allowed,
        [
            &Who::UserProfile("ana".to_owned()),
            &Who::UserProfile("ben".to_owned()),
            &Who::RoleSession("StudioTeamRedRole".to_owned()),
            &Who::IamUser("platform-admin".to_owned())
        ]
    );
    let ana = &read.rows[0];
    assert_eq!(
        ana.principal_arn,
        "arn:aws:sts::444455556666:assumed-role/StudioTeamRedRole/SageMaker"
    );
    assert!(
        ana.deciding
            .iter()
            .any(|(s, _)| s == "ReadMlData: statement 1"),
        "{ana:?}"
    );
    assert_eq!(
        ana.deciding
            .iter()
            .filter(|(s, _)| s.starts_with("FullAWSAccess"))
            .count(),
        1,
        "each statement once"
    );
    // the secret's resource policy denies every principal not tagged team=red: the IAM
    // users are explicitly denied; the profiles' role is tagged red, so nothing denies
    // them (or the role's own session) and nothing allows them
    let secret = who_can(
        &imported.scenario,
        "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:eu-west-1:444455556666:secret:team-red/db-AbCdEf",
    )
    .unwrap();
    assert_eq!(secret.allowed().count(), 0);
    let denied: Vec<String> = secret.denied().map(|r| r.who.to_string()).collect();
    assert_eq!(
        denied,
        [
            "IAM user platform-admin (access keys)",
            "IAM user ana (access keys)",
            "IAM user ben (access keys)"
        ]
    );
    assert_eq!(
        secret.rows[0].decision,
        Ok(Decision::ImplicitDeny),
        "ana's Studio session"
    );
    let role = &secret.rows[2];
    assert_eq!(role.who, Who::RoleSession("StudioTeamRedRole".to_owned()));
    assert_eq!(role.decision, Ok(Decision::ImplicitDeny));
    assert_eq!(
        role.principal_arn,
        "arn:aws:sts::444455556666:assumed-role/StudioTeamRedRole/session"
    );
}

#[test]
fn an_anonymised_import_names_nothing_of_the_account_and_decides_alike() {
    use abacus_account::anonymise::anonymise;
    let imported = import(&all_files()).unwrap();
    let (anon, replaced) = anonymise(&imported.scenario).unwrap();
    assert!(replaced > 20, "{replaced}");
    let text = anon.to_json_pretty();
    for secret in [
        "444455556666",
        "StudioTeamRedRole",
        "platform-admin",
        "d-abcdefgh1234",
        "abacus-ml-data",
        "team-red/db",
        "\"ana\"",
        "ReadMlData",
        "StudioBoundary",
        "777788889999",
        "o-exampleorg1",
    ] {
        assert!(
            !text.contains(secret),
            "`{secret}` is still in the anonymised scenario"
        );
    }
    // the same decisions, for the same (renamed) requests
    let ws = Workspace::new(&imported.scenario);
    let wa = Workspace::new(&anon);
    for (u, ua) in imported.scenario.world.users.iter().zip(&anon.world.users) {
        for (r, ra) in imported
            .scenario
            .world
            .resources
            .iter()
            .zip(&anon.world.resources)
        {
            for action in [
                "sagemaker:DescribeUserProfile",
                "s3:GetObject",
                "secretsmanager:GetSecretValue",
                "s3:ListBucket",
            ] {
                let s = |user: &str, res: &str| Selection {
                    user: user.to_owned(),
                    action: action.to_owned(),
                    resource: Some(res.to_owned()),
                    ..imported.scenario.selection.clone()
                };
                assert_eq!(
                    ws.decide(&s(&u.name, &r.id)).ok(),
                    wa.decide(&s(&ua.name, &ra.id)).ok(),
                    "{} {action} {}",
                    u.name,
                    r.id
                );
            }
        }
    }
}
