//! Templates, seed originals, the linter and the gallery, through the public API.

use abacus_policy::parse_policy;
use abacus_templates::lint::{lint_policy, lint_scenario};
use abacus_templates::originals::seed_originals;
use abacus_templates::render::Overrides;
use abacus_templates::{Library, WorldFacts};

fn worlds() -> Vec<(&'static str, WorldFacts)> {
    vec![
        ("example", WorldFacts::example()),
        (
            "default scenario",
            WorldFacts::from_scenario(&abacus_studio::scenario::default_scenario()),
        ),
    ]
}

/// Render, then parse with the engine: zero errors (and zero warnings) for every template.
#[test]
fn every_library_template_round_trips_through_the_parser() {
    let library = Library::builtin();
    assert!(library.load_errors.is_empty(), "{:?}", library.load_errors);
    assert!(library.templates.len() >= 20);
    for (world_name, world) in worlds() {
        for t in &library.templates {
            let rendered = t
                .render(&world, &Overrides::new())
                .unwrap_or_else(|e| panic!("{} in {world_name}: {e:?}", t.id));
            let parsed = parse_policy(&rendered.text);
            let problems: Vec<String> =
                parsed.diagnostics.iter().map(ToString::to_string).collect();
            assert!(
                problems.is_empty(),
                "{} in {world_name}: {problems:#?}",
                t.id
            );
            assert!(parsed.policy.is_some());
        }
    }
}

/// Policy variables pass through rendering untouched.
#[test]
fn policy_variables_survive_rendering() {
    let library = Library::builtin();
    let t = library.get("presigned-url-federation").unwrap();
    let text = t
        .render(&WorldFacts::example(), &Overrides::new())
        .unwrap()
        .text;
    assert!(
        text.contains(
            r#""sagemaker:ResourceTag/studiouserid": "${aws:PrincipalTag/studiouserid}""#
        ),
        "{text}"
    );
}

/// Each seed sample, exactly as printed, is rejected (or flagged) at the exact place.
#[test]
fn seed_originals_are_rejected_precisely() {
    let originals = seed_originals();
    assert!(originals.len() >= 12);
    for o in &originals {
        let found = lint_policy(&o.text);
        for e in &o.expect {
            assert!(
                found.iter().any(|d| d.code == e.code
                    && d.start.line == e.line
                    && d.start.column == e.column),
                "{}: expected {} at {}:{}, got {:#?}",
                o.id,
                e.code,
                e.line,
                e.column,
                found.iter().map(ToString::to_string).collect::<Vec<_>>()
            );
        }
        let rejected = parse_policy(&o.text).has_errors();
        let expect_error = o.expect.iter().any(|e| {
            e.code.starts_with("json-")
                || e.code.starts_with("policy-") && e.code != "policy-placeholder"
        });
        assert_eq!(rejected, expect_error, "{}", o.id);
    }
}

/// The corrected template of each malformed original parses cleanly.
#[test]
fn corrected_templates_of_originals_parse() {
    let library = Library::builtin();
    for o in seed_originals() {
        let t = library.get(&o.template).unwrap();
        let text = t
            .render(&WorldFacts::example(), &Overrides::new())
            .unwrap()
            .text;
        assert!(!parse_policy(&text).has_errors(), "{}", t.id);
        assert!(
            !lint_policy(&text)
                .iter()
                .any(|d| d.code == "s3-object-action-on-bucket-arn"),
            "{}",
            t.id
        );
    }
}

/// The seed's team policy 3 lets a developer re-tag resources; the hardened one does not.
#[test]
fn team_policy_3_as_printed_is_flagged_and_the_hardened_one_is_not() {
    let library = Library::builtin();
    let world = WorldFacts::example();
    let printed = library
        .get("team-policy-3-developer")
        .unwrap()
        .render(&world, &Overrides::new())
        .unwrap()
        .text;
    assert!(lint_policy(&printed)
        .iter()
        .any(|d| d.code == "abac-unrestricted-tagging"));
    let hardened = library
        .get("team-policy-3-developer-hardened")
        .unwrap()
        .render(&world, &Overrides::new())
        .unwrap()
        .text;
    assert!(!lint_policy(&hardened)
        .iter()
        .any(|d| d.code == "abac-unrestricted-tagging"));
}

/// The default scenario and every gallery scenario lint without errors.
#[test]
fn seed_scenarios_lint_without_errors() {
    use abacus_templates::gallery::Gallery;
    let mut scenarios = vec![(
        "default".to_owned(),
        abacus_studio::scenario::default_scenario(),
    )];
    for entry in Gallery::builtin().entries {
        let scenario = abacus_studio::scenario::Scenario::from_json(&entry.scenario_json).unwrap();
        scenarios.push((entry.id, scenario));
    }
    for (name, scenario) in scenarios {
        let errors: Vec<String> = lint_scenario(&scenario)
            .into_iter()
            .filter(|(_, d)| d.is_error())
            .map(|(id, d)| format!("{id}: {d}"))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

fn expectation_results(json: &str) -> Vec<(String, bool, String)> {
    let Ok(scenario) = abacus_studio::scenario::Scenario::from_json(json) else {
        return vec![(
            "the scenario does not load".to_owned(),
            false,
            String::new(),
        )];
    };
    abacus_studio::evaluate::Workspace::new(&scenario)
        .check_expectations()
        .into_iter()
        .map(|r| {
            let detail = format!(
                "expected {:?}, got {:?} {:?}",
                r.expected, r.actual, r.problem
            );
            (r.name, r.passed, detail)
        })
        .collect()
}

/// Each challenge fails as shipped and passes with its documented solution.
#[test]
fn challenges_fail_as_shipped_and_pass_when_solved() {
    use abacus_templates::gallery::{Category, Gallery};
    let gallery = Gallery::builtin();
    assert!(gallery.load_errors.is_empty(), "{:?}", gallery.load_errors);
    let challenges: Vec<_> = gallery.of(Category::Challenge).collect();
    assert!(challenges.len() >= 3);
    for c in challenges {
        let shipped = expectation_results(&c.scenario_json);
        assert!(
            shipped.iter().any(|(_, passed, _)| !passed),
            "{}: every expectation already passes as shipped",
            c.id
        );
        let solved = expectation_results(&c.solved_scenario_json().unwrap());
        let failing: Vec<_> = solved.iter().filter(|(_, passed, _)| !passed).collect();
        assert!(
            failing.is_empty(),
            "{}: still failing with the solution: {failing:#?}",
            c.id
        );
    }
}

/// Every use-case scenario of the gallery passes its own expectations, and the gallery
/// lists every scenario file of the repository.
#[test]
fn use_cases_pass_and_cover_every_scenario_file() {
    use abacus_templates::gallery::{Category, Gallery};
    let gallery = Gallery::builtin();
    for entry in gallery.of(Category::UseCase) {
        let failing: Vec<_> = expectation_results(&entry.scenario_json)
            .into_iter()
            .filter(|(_, passed, _)| !passed)
            .collect();
        assert!(failing.is_empty(), "{}: {failing:#?}", entry.id);
    }
    let dir = abacus_tests::repo_root().join("scenarios");
    for file in std::fs::read_dir(dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(
                gallery.get(&id).is_some(),
                "scenarios/{id}.json is not in the gallery"
            );
        }
    }
}

/// Cross-policy rules look at the policies of one role together: a trust policy without
/// `sts:SetSourceIdentity` matters only for the role whose policies test the source identity.
#[test]
fn scenario_lint_groups_policies_by_role() {
    let text = std::fs::read_to_string(
        abacus_tests::repo_root().join("scenarios/001-secrets-per-user.json"),
    )
    .unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let policies = value["policies"].as_array_mut().unwrap();
    let trust = policies
        .iter_mut()
        .find(|p| p["id"] == "trust-execution")
        .unwrap();
    let weak_trust = trust["text"]
        .as_str()
        .unwrap()
        .replace(",\n        \"sts:SetSourceIdentity\"", "");
    assert!(!weak_trust.contains("SetSourceIdentity"), "{weak_trust}");
    trust["text"] = serde_json::Value::String(weak_trust);
    let scenario = abacus_studio::scenario::Scenario::from_json(&value.to_string()).unwrap();
    let found = lint_scenario(&scenario);
    assert!(
        found.iter().any(|(id, d)| id == "trust-execution" && d.code == "trust-missing-set-source-identity"),
        "{found:#?}"
    );

    // the same weak trust policy on a role whose policies never test the source identity
    value["policies"][0]["attachedTo"] = serde_json::json!(["role:DataEngineerRole"]);
    let scenario = abacus_studio::scenario::Scenario::from_json(&value.to_string()).unwrap();
    let found = lint_scenario(&scenario);
    assert!(
        !found
            .iter()
            .any(|(_, d)| d.code == "trust-missing-set-source-identity"),
        "{found:#?}"
    );
}

/// A domain that sets no source identity makes `${aws:SourceIdentity}` policies of its
/// execution roles dead for Studio calls.
#[test]
fn source_identity_policies_in_a_domain_that_sets_none() {
    let text = std::fs::read_to_string(
        abacus_tests::repo_root().join("scenarios/001-secrets-per-user.json"),
    )
    .unwrap();
    let scenario = abacus_studio::scenario::Scenario::from_json(&text).unwrap();
    assert!(!lint_scenario(&scenario)
        .iter()
        .any(|(_, d)| d.code == "domain-source-identity-disabled"));
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["world"]["domains"][0]["executionRoleIdentityConfig"] = "DISABLED".into();
    let scenario = abacus_studio::scenario::Scenario::from_json(&value.to_string()).unwrap();
    let found = lint_scenario(&scenario);
    let (id, d) = found
        .iter()
        .find(|(_, d)| d.code == "domain-source-identity-disabled")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(id, "secrets");
    let policy = &scenario
        .policies
        .iter()
        .find(|p| p.id == "secrets")
        .unwrap()
        .text;
    assert!(policy[d.span.start..d.span.end].contains("${aws:SourceIdentity}"));
}

/// The rules read from the Service Authorization Reference raise no false positives on
/// valid ABAC policies: every rendered library template, every gallery scenario (and each
/// challenge's solution) is clean of them.
#[test]
fn reference_rules_are_quiet_on_the_library_and_the_gallery() {
    use abacus_templates::gallery::Gallery;
    use abacus_templates::lint::codes;
    let reference_codes = [
        codes::UNKNOWN_ACTION,
        codes::WILDCARD_MATCHES_NO_ACTION,
        codes::KEY_NOT_APPLICABLE,
        codes::OPERATOR_TYPE_MISMATCH,
        codes::RESOURCE_TYPE_MISMATCH,
        codes::UNKNOWN_CONDITION_KEY,
    ];
    let mut found = Vec::new();
    let library = Library::builtin();
    for (world_name, world) in worlds() {
        for t in &library.templates {
            let text = t.render(&world, &Overrides::new()).unwrap().text;
            for d in lint_policy(&text) {
                if reference_codes.contains(&d.code.as_str()) {
                    found.push(format!("{} in {world_name}: {d}", t.id));
                }
            }
        }
    }
    let mut scenarios = vec![(
        "default".to_owned(),
        abacus_studio::scenario::default_scenario(),
    )];
    for entry in Gallery::builtin().entries {
        let scenario = abacus_studio::scenario::Scenario::from_json(&entry.scenario_json).unwrap();
        scenarios.push((entry.id.clone(), scenario));
        if let Some(solved) = entry.solved_scenario_json() {
            let scenario = abacus_studio::scenario::Scenario::from_json(&solved).unwrap();
            scenarios.push((format!("{} (solved)", entry.id), scenario));
        }
    }
    for (name, scenario) in scenarios {
        for (id, d) in lint_scenario(&scenario) {
            if reference_codes.contains(&d.code.as_str()) {
                found.push(format!("{name} / {id}: {d}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
