//! A request built with the keys of earlier requests shared (`build_request_with` and one
//! `KeyLayers`, as the access matrix and every plan of a workspace build them) is the request
//! built alone: the same context, caller, target, notes and errors. Checked on every
//! scenario of the repository, for each user and every catalogue action on each world
//! resource (and on none), through several routes and request parameters, in an order that
//! makes the kept callers change often.
#![cfg(test)]

use abacus_studio::actions::catalogue;
use abacus_studio::request::{
    build_request_for, build_request_with, Detail, KeyLayers, Parameters, Route, Selection,
};
use abacus_studio::scenario::Scenario;
use std::path::Path;

fn scenarios() -> Vec<(String, Scenario)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios"));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.display().to_string(), Scenario::from_json(&text).unwrap())
        })
        .collect()
}

/// The `i`th variant of what a caller's keys depend on besides the user.
fn variant(i: usize) -> (Route, Parameters) {
    let mut p = Parameters::default();
    let route = match i % 5 {
        0 => Route::StudioSpace,
        1 => {
            p.time = Some("2027-01-05T08:00:00Z".to_owned());
            Route::StudioSpace
        }
        2 => {
            p.source_ip = Some("198.51.100.7".to_owned());
            Route::TrainingJob { role: None }
        }
        3 => {
            p.called_via = vec!["athena.amazonaws.com".to_owned()];
            Route::StudioSpace
        }
        _ => Route::AccessKeys { iam_user: None },
    };
    if i.is_multiple_of(3) {
        p.region = Some("eu-west-1".to_owned());
    }
    (route, p)
}

#[test]
fn requests_sharing_keys_are_the_requests_built_alone() {
    let mut built = 0;
    for (name, doc) in scenarios() {
        let world = &doc.world;
        let mut layers = KeyLayers::default();
        let mut resources: Vec<Option<&str>> = vec![None];
        resources.extend(world.resources.iter().map(|r| Some(r.id.as_str())));
        let mut i: usize = 0;
        for resource in resources {
            let kind = resource
                .and_then(|id| world.resource(id))
                .map(|r| &r.resource_type);
            for action in &catalogue().actions {
                if kind.is_some_and(|k| !action.accepts(k)) && !i.is_multiple_of(7) {
                    continue; // a few wrong resource types, for their errors
                }
                for user in &world.users {
                    let (route, parameters) = variant(i);
                    i += 1;
                    let selection = Selection {
                        user: user.name.clone(),
                        action: action.action.clone(),
                        resource: resource.map(str::to_owned),
                        resource_arn: None,
                        route,
                        parameters,
                    };
                    for detail in [Detail::Decision, Detail::Full] {
                        let shared = build_request_with(world, &selection, detail, &mut layers);
                        let alone = build_request_for(world, &selection, detail);
                        assert_eq!(shared, alone, "{name}: {selection:?}");
                        if let (Ok(s), Ok(a)) = (&shared, &alone) {
                            // the same keys in the same spelling, in the JSON the app shows
                            assert_eq!(
                                serde_json::to_string(&s.request).unwrap(),
                                serde_json::to_string(&a.request).unwrap()
                            );
                            built += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(built > 10_000, "only {built} requests built");
}
