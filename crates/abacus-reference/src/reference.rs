//! The loaded reference: the index and the services loaded so far, with lookups.
//!
//! Native builds with the `bundled` feature hold every service (parsed lazily, on first
//! use). The web app starts empty and installs the index and each service as it fetches them
//! ([`crate::install_index`], [`crate::install_service`]); every lookup says whether a
//! service is unknown or only not loaded yet, so callers never mistake "not loaded" for
//! "does not exist".

use crate::keys::{key_matches, ValueType};
use crate::model::{Action, Index, ResourceType, Service};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// A service's data: its text (bundled, parsed on first use) or its parsed form.
#[derive(Debug)]
pub(crate) struct Slot {
    text: Option<&'static str>,
    parsed: OnceLock<Option<Arc<Service>>>,
}

impl Slot {
    #[cfg(feature = "bundled")]
    pub(crate) fn bundled(text: &'static str) -> Slot {
        Slot {
            text: Some(text),
            parsed: OnceLock::new(),
        }
    }

    pub(crate) fn parsed(service: Service) -> Slot {
        let parsed = OnceLock::new();
        let _ = parsed.set(Some(Arc::new(service)));
        Slot { text: None, parsed }
    }

    fn get(&self) -> Option<&Arc<Service>> {
        self.parsed
            .get_or_init(|| {
                // a bundled file that does not parse is caught by the crate's tests
                self.text
                    .and_then(|t| crate::load::parse_service(t).ok())
                    .map(Arc::new)
            })
            .as_ref()
    }
}

/// What the reference says about a service prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceStatus {
    /// Loaded: its actions, resource types and keys can be looked up.
    Loaded,
    /// Listed in the index but not loaded yet (the web app fetches it on demand).
    NotLoaded,
    /// Not in the index: no such service.
    Unknown,
    /// No index is loaded, so nothing can be said.
    NoIndex,
}

/// What the reference says about a condition key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyLookup {
    /// A global key (`aws:…` and the few service keys the IAM User Guide lists as global).
    Global {
        /// The reference's spelling, e.g. `aws:PrincipalTag/${TagKey}`.
        name: String,
        /// Its type.
        value_type: Option<ValueType>,
    },
    /// A key of a loaded service.
    Service {
        /// The reference's spelling.
        name: String,
        /// Its type.
        value_type: Option<ValueType>,
        /// Its description.
        description: String,
    },
    /// The key's service is known, but not loaded yet.
    NotLoaded,
    /// The service is loaded (or is `aws`) and has no such key.
    UnknownKey,
    /// The prefix is no service the reference knows (e.g. `saml:`, `token.actions…:`).
    UnknownService,
}

impl KeyLookup {
    /// The key's type, when known.
    pub fn value_type(&self) -> Option<ValueType> {
        match self {
            KeyLookup::Global { value_type, .. } | KeyLookup::Service { value_type, .. } => {
                *value_type
            }
            _ => None,
        }
    }
}

/// The reference as loaded now.
#[derive(Debug, Default)]
pub struct Reference {
    pub(crate) index: Option<Arc<Index>>,
    /// lowercase prefix → slot
    pub(crate) services: BTreeMap<String, Arc<Slot>>,
}

impl Reference {
    /// A reference of its own, apart from the process-wide one: the index text and the
    /// texts of the services to hold (tests, and tools that must not see other services).
    pub fn from_texts(index: &str, services: &[&str]) -> Result<Reference, crate::LoadError> {
        let mut r = Reference {
            index: Some(Arc::new(crate::load::parse_index(index)?)),
            services: BTreeMap::new(),
        };
        for text in services {
            let service = crate::load::parse_service(text)?;
            r.services.insert(
                service.prefix.to_ascii_lowercase(),
                Arc::new(Slot::parsed(service)),
            );
        }
        Ok(r)
    }

    /// The index (package version, date, services, global keys), once loaded.
    pub fn index(&self) -> Option<&Index> {
        self.index.as_deref()
    }

    /// The loaded service with this prefix (case-insensitive).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services
            .get(&prefix.to_ascii_lowercase())
            .and_then(|s| s.get())
            .map(Arc::as_ref)
    }

    /// Every loaded service, by prefix.
    pub fn services(&self) -> impl Iterator<Item = &Service> + '_ {
        self.services
            .values()
            .filter_map(|s| s.get().map(Arc::as_ref))
    }

    /// Whether `prefix` is loaded, only listed, or unknown.
    pub fn status(&self, prefix: &str) -> ServiceStatus {
        let lower = prefix.to_ascii_lowercase();
        if self.services.contains_key(&lower) {
            return ServiceStatus::Loaded;
        }
        match &self.index {
            None => ServiceStatus::NoIndex,
            Some(index) if index.services.iter().any(|(p, _, _)| *p == lower) => {
                ServiceStatus::NotLoaded
            }
            Some(_) => ServiceStatus::Unknown,
        }
    }

    /// The action `service:Name` (case-insensitive), when its service is loaded.
    pub fn action(&self, action: &str) -> Option<(&Service, &Action)> {
        let (prefix, name) = action.split_once(':')?;
        let service = self.service(prefix)?;
        Some((service, service.action(name)?))
    }

    /// The resource type `name` of `service`.
    pub fn resource_type<'a>(&'a self, service: &str, name: &str) -> Option<&'a ResourceType> {
        self.service(service)?
            .resource_types
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    }

    /// Every condition key that a call of `action` on the resource type `resource` can
    /// carry, as reference templates: the action's own keys, and those of its resource types
    /// (all of them when `resource` is `None`). Global keys are not included.
    pub fn action_keys<'a>(&'a self, service: &'a Service, action: &'a Action) -> Vec<&'a str> {
        let mut keys: Vec<&str> = action.condition_keys.iter().map(String::as_str).collect();
        for ar in &action.resource_types {
            keys.extend(ar.condition_keys().iter().map(String::as_str));
            if let Some(rt) = service
                .resource_types
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(ar.name()))
            {
                keys.extend(rt.condition_keys.iter().map(String::as_str));
            }
        }
        keys
    }

    /// The global key template matching `key`, with its type text.
    pub fn global_key(&self, key: &str) -> Option<(&str, &str)> {
        let index = self.index.as_deref()?;
        index
            .global_keys
            .iter()
            .find(|(name, _, _)| key_matches(name, key))
            .map(|(n, t, _)| (n.as_str(), t.as_str()))
    }

    /// What the reference knows about the condition key `key`.
    pub fn key(&self, key: &str) -> KeyLookup {
        if let Some((name, t)) = self.global_key(key) {
            return KeyLookup::Global {
                name: name.to_owned(),
                value_type: ValueType::parse(t),
            };
        }
        let Some((prefix, _)) = key.split_once(':') else {
            return KeyLookup::UnknownService;
        };
        if prefix.eq_ignore_ascii_case("aws") {
            // every `aws:` key is in the global list
            return match &self.index {
                Some(_) => KeyLookup::UnknownKey,
                None => KeyLookup::NotLoaded,
            };
        }
        match self.status(prefix) {
            ServiceStatus::Loaded => self.service_key(prefix, key),
            ServiceStatus::NotLoaded | ServiceStatus::NoIndex => KeyLookup::NotLoaded,
            ServiceStatus::Unknown => KeyLookup::UnknownService,
        }
    }

    /// A key of the loaded service `prefix`.
    fn service_key(&self, prefix: &str, key: &str) -> KeyLookup {
        if let Some(service) = self.service(prefix) {
            if let Some(k) = service
                .condition_keys
                .iter()
                .find(|k| key_matches(&k.name, key))
            {
                return KeyLookup::Service {
                    name: k.name.clone(),
                    value_type: ValueType::parse(&k.key_type),
                    description: k.description.clone(),
                };
            }
        }
        KeyLookup::UnknownKey
    }
}
