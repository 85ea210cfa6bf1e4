//! A request built with the keys of earlier requests shared (`build_request_with` and one
//! `KeyLayers`, as every plan of a workspace builds them) is the request built alone: the
//! same context, caller, target, notes and errors. Checked on every scenario of the
//! repository: for each user, through every kind of route and with the request parameters
//! a caller's keys depend on, each catalogue action on each world resource, by ARN, on a
//! resource the call creates and on none; the selections of one caller follow each other,
//! so that its kept keys are used again by other actions, resources and Regions. Then every
//! cell of each scenario's access matrix, decided by one long-lived workspace, against a new
//! workspace for the cell alone.
#![cfg(test)]

mod common;

use abacus_studio::actions::catalogue;
use abacus_studio::evaluate::Workspace;
use abacus_studio::model::World;
use abacus_studio::request::{
    build_request_for, build_request_with, Detail, KeyLayers, Parameters, Route, Selection,
};
use abacus_studio::scenario::Scenario;
use common::{json_files, root};

fn scenarios() -> Vec<(String, Scenario)> {
    json_files(&root().join("scenarios"))
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.display().to_string(), Scenario::from_json(&text).unwrap())
        })
        .collect()
}

/// The routes and parameters a caller's keys depend on, for `world`'s user `user`.
fn callers(world: &World, user: &str) -> Vec<(Route, Parameters)> {
    let role = |i: usize| {
        world
            .roles
            .get(i % world.roles.len().max(1))
            .map(|r| r.name.clone())
    };
    let with = |f: &dyn Fn(&mut Parameters)| {
        let mut p = Parameters::default();
        f(&mut p);
        p
    };
    let mut out = vec![
        (Route::StudioSpace, Parameters::default()),
        (
            Route::StudioSpace,
            with(&|p| p.time = Some("2027-01-05T08:00:00Z".to_owned())),
        ),
        (
            Route::StudioSpace,
            with(&|p| p.source_ip = Some("198.51.100.7".to_owned())),
        ),
        (
            Route::StudioSpace,
            with(&|p| p.called_via = vec!["athena.amazonaws.com".to_owned()]),
        ),
        (Route::TrainingJob { role: None }, Parameters::default()),
        (
            Route::ProcessingJob { role: role(1) },
            Parameters::default(),
        ),
        (Route::AccessKeys { iam_user: None }, Parameters::default()),
        (
            Route::AccessKeys {
                iam_user: world.iam_users.first().map(|u| u.name.clone()),
            },
            Parameters::default(),
        ),
        (Route::Console, Parameters::default()),
    ];
    if let (Some(a), Some(b)) = (role(0), role(1)) {
        out.push((
            Route::RoleChain {
                role: a.clone(),
                session_name: None,
            },
            Parameters::default(),
        ));
        out.push((
            Route::RoleChain {
                role: a.clone(),
                session_name: Some(format!("{user}-chained")),
            },
            Parameters::default(),
        ));
        out.push((
            Route::RoleChain {
                role: b.clone(),
                session_name: None,
            },
            Parameters::default(),
        ));
        out.push((
            Route::RoleSession {
                role: b.clone(),
                session_name: None,
                source_identity: Some(user.to_owned()),
            },
            Parameters::default(),
        ));
        out.push((
            Route::EmrStep {
                role: a,
                cluster: None,
                instance_profile_role: None,
            },
            Parameters::default(),
        ));
        out.push((
            Route::EmrStep {
                role: b,
                cluster: None,
                instance_profile_role: None,
            },
            Parameters::default(),
        ));
    }
    out
}

/// What the calls of one caller target: each world resource by id, a few by ARN (their
/// own, and a foreign one next to an id just built), a resource the call creates (with and
/// without a type and tags), and none.
fn targets(world: &World, user: &str) -> Vec<(Option<String>, Option<String>, Parameters)> {
    let mut out: Vec<(Option<String>, Option<String>, Parameters)> =
        vec![(None, None, Parameters::default())];
    for (i, r) in world.resources.iter().enumerate() {
        out.push((Some(r.id.clone()), None, Parameters::default()));
        if i % 6 == 0 {
            if let Some(resolved) = world.resolve(r) {
                out.push((None, Some(resolved.arn), Parameters::default()));
            }
            out.push((
                Some(r.id.clone()),
                Some(format!("arn:aws:s3:::foreign-bucket/{user}/x")),
                Parameters::default(),
            ));
        }
    }
    let name = |n: &str, kind: Option<&str>, tags: bool| {
        let mut p = Parameters {
            name: Some(n.to_owned()),
            resource_type: kind.map(str::to_owned),
            ..Parameters::default()
        };
        if tags {
            p.tags.insert("team".to_owned(), "ml".to_owned());
        }
        p
    };
    out.push((None, None, name(&format!("{user}-new"), None, false)));
    out.push((None, None, name(&format!("{user}-new"), None, true)));
    out.push((None, None, name("profile-new", Some("user-profile"), false)));
    out
}

#[test]
fn requests_sharing_keys_are_the_requests_built_alone() {
    let mut built = 0;
    let actions = &catalogue().actions;
    for (name, doc) in scenarios() {
        let world = &doc.world;
        let mut layers = KeyLayers::default();
        let mut i: usize = 0;
        for user in &world.users {
            for (route, parameters) in callers(world, &user.name) {
                for (resource, resource_arn, target) in targets(world, &user.name) {
                    let kind = resource
                        .as_deref()
                        .and_then(|id| world.resource(id))
                        .map(|r| &r.resource_type);
                    for action in actions {
                        i += 1;
                        let fits = kind.is_none_or(|k| action.accepts(k));
                        // every action with every caller would be many builds: each
                        // caller takes every third fitting action on a world resource (the
                        // callers together take each), and the others now and then
                        let taken = fits && kind.is_some() && i.is_multiple_of(3);
                        if !taken && !i.is_multiple_of(37) {
                            continue;
                        }
                        let mut p = target.clone();
                        p.time.clone_from(&parameters.time);
                        p.source_ip.clone_from(&parameters.source_ip);
                        p.called_via.clone_from(&parameters.called_via);
                        if i % 5 < 2 {
                            p.region = Some("eu-west-1".to_owned());
                        }
                        let selection = Selection {
                            user: user.name.clone(),
                            action: action.action.clone(),
                            resource: resource.clone(),
                            resource_arn: resource_arn.clone(),
                            route: route.clone(),
                            parameters: p,
                        };
                        let detail = if (i / 3).is_multiple_of(2) {
                            Detail::Decision
                        } else {
                            Detail::Full
                        };
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
    assert!(built > 8_000, "only {built} requests built");
}

#[test]
fn a_long_lived_workspace_decides_each_matrix_cell_as_a_new_one() {
    let mut cells = 0;
    for (name, doc) in scenarios() {
        let ws = Workspace::new(&doc);
        let Ok(layout) = ws.matrix_layout() else {
            continue;
        };
        for user in &layout.users {
            let row = ws.matrix_row(user, &layout.columns, &layout.route);
            for (cell, column) in row.iter().zip(&layout.columns) {
                let Some(selection) = &cell.selection else {
                    continue;
                };
                let alone = Workspace::new(&doc).decide(selection).ok();
                assert_eq!(cell.decision, alone, "{name}: {user} {}", column.action);
                cells += 1;
            }
        }
    }
    assert!(cells > 100, "only {cells} cells");
}

#[test]
fn layers_of_another_world_are_not_used() {
    let (_, doc) = scenarios().into_iter().next().unwrap();
    let world = &doc.world;
    let mut other = World::clone(world);
    let Some(r) = other.resources.first_mut() else {
        return;
    };
    r.tags.insert("team".to_owned(), "another-team".to_owned());
    let id = r.id.clone();
    let user = other.users.first().unwrap().name.clone();
    let action = catalogue()
        .actions
        .iter()
        .find(|a| {
            other
                .resource(&id)
                .is_some_and(|r| a.accepts(&r.resource_type))
        })
        .unwrap();
    let selection = Selection {
        user,
        action: action.action.clone(),
        resource: Some(id),
        resource_arn: None,
        route: Route::StudioSpace,
        parameters: Parameters::default(),
    };
    let mut layers = KeyLayers::default();
    let first = build_request_with(world, &selection, Detail::Decision, &mut layers);
    let second = build_request_with(&other, &selection, Detail::Decision, &mut layers);
    assert_eq!(
        first,
        build_request_for(world, &selection, Detail::Decision)
    );
    assert_eq!(
        second,
        build_request_for(&other, &selection, Detail::Decision)
    );
}
