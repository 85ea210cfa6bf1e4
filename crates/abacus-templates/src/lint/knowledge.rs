//! What the linter knows about AWS, as data: condition keys per service (with single- or
//! multi-valued types), access levels, tagging actions and S3 object actions
//! (`data/condition-keys.json`, `data/access-levels.json`). Which context keys each call
//! carries comes from the Studio simulator's action catalogue, the one place for it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Access levels of the Service Authorization Reference, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AccessLevel {
    /// List resources.
    List,
    /// Read resources or their data.
    Read,
    /// Create, change or delete.
    Write,
    /// Grant or change permissions.
    #[serde(rename = "Permissions management")]
    PermissionsManagement,
    /// Add or remove tags.
    Tagging,
}

impl AccessLevel {
    /// Every level.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// As the reference writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }
}

/// What the tables say about a condition key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyInfo {
    /// The key's service is not in the tables: nothing is known.
    UnknownService,
    /// The service is known but the key is not.
    UnknownKey,
    /// A known key.
    Known {
        /// Its type as the reference writes it (`String`, `ArrayOfString`, ...).
        key_type: String,
    },
}

impl KeyInfo {
    /// True for a known single-valued key.
    pub fn is_single_valued(&self) -> bool {
        matches!(self, KeyInfo::Known { key_type } if !key_type.starts_with("ArrayOf"))
    }
}

// The two data files as Rust tables, written by build.rs (which checks their shape):
// `SERVICES` (service, [(key, type)], always-present keys), `EXACT_LEVELS`, `VERB_PREFIXES`
// (in file order: the first match wins), `TAGGING_ACTIONS` and `S3_OBJECT_ACTIONS`.
include!(concat!(env!("OUT_DIR"), "/knowledge_tables.rs"));

/// One service of `SERVICES`: its prefix, its (key, type) pairs, its always-present keys.
type ServiceTable = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

/// The loaded tables, keys folded to lowercase.
#[derive(Debug, Default)]
pub struct Knowledge {
    /// service → (lowercase key or prefix ending in `/`) → type
    keys: BTreeMap<String, BTreeMap<String, String>>,
    always_present: Vec<String>,
    exact_levels: BTreeMap<String, AccessLevel>,
    verb_prefixes: Vec<(String, AccessLevel)>,
    tagging_actions: Vec<String>,
    s3_object_actions: Vec<String>,
    /// Problems loading the tables: always empty since build.rs compiles them in (a data
    /// error fails the build); kept for callers that report it.
    pub load_errors: Vec<String>,
}

impl Knowledge {
    /// The embedded tables, loaded once.
    pub fn get() -> &'static Knowledge {
        static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
        KNOWLEDGE.get_or_init(Knowledge::load)
    }

    fn load() -> Knowledge {
        let lower = |texts: &[&str]| -> Vec<String> {
            texts.iter().map(|t| t.to_ascii_lowercase()).collect()
        };
        let mut k = Knowledge::default();
        for (service, keys, always_present) in SERVICES {
            k.always_present.extend(lower(always_present));
            k.keys.insert(
                service.to_ascii_lowercase(),
                keys.iter()
                    .map(|(key, t)| (key.to_ascii_lowercase(), (*t).to_owned()))
                    .collect(),
            );
        }
        k.exact_levels = EXACT_LEVELS
            .iter()
            .map(|(a, l)| (a.to_ascii_lowercase(), *l))
            .collect();
        k.verb_prefixes = VERB_PREFIXES
            .iter()
            .map(|(p, l)| (p.to_ascii_lowercase(), *l))
            .collect();
        k.tagging_actions = TAGGING_ACTIONS.iter().map(|a| (*a).to_owned()).collect();
        k.s3_object_actions = lower(S3_OBJECT_ACTIONS);
        k
    }

    /// Looks a condition key up (case-insensitively; tag keys after a known prefix).
    pub fn key_info(&self, key: &str) -> KeyInfo {
        let lower = key.to_ascii_lowercase();
        let Some((service, _)) = lower.split_once(':') else {
            return KeyInfo::UnknownService;
        };
        let Some(keys) = self.keys.get(service) else {
            return KeyInfo::UnknownService;
        };
        // a prefix entry such as `aws:ResourceTag/` is not a key by itself
        if let Some(t) = keys.get(&lower).filter(|_| !lower.ends_with('/')) {
            return KeyInfo::Known {
                key_type: t.clone(),
            };
        }
        keys.iter()
            .find(|(k, _)| {
                k.ends_with('/') && lower.len() > k.len() && lower.starts_with(k.as_str())
            })
            .map_or(KeyInfo::UnknownKey, |(_, t)| KeyInfo::Known {
                key_type: t.clone(),
            })
    }

    /// True for global keys every request carries.
    pub fn always_present(&self, key: &str) -> bool {
        self.always_present.contains(&key.to_ascii_lowercase())
    }

    /// True when `service` has a key table.
    pub fn knows_service(&self, service: &str) -> bool {
        self.keys.contains_key(&service.to_ascii_lowercase())
    }

    /// The access level of one action name such as `sagemaker:DescribeDomain`.
    pub fn access_level(&self, action: &str) -> AccessLevel {
        let lower = action.to_ascii_lowercase();
        if let Some(level) = self.exact_levels.get(&lower) {
            return *level;
        }
        let name = lower.split_once(':').map_or(lower.as_str(), |(_, n)| n);
        self.verb_prefixes
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix.as_str()))
            .map_or(AccessLevel::Write, |(_, level)| *level)
    }

    /// Action names with a known access level, for expanding wildcards.
    pub fn known_actions(&self) -> impl Iterator<Item = &str> {
        self.exact_levels.keys().map(String::as_str)
    }

    /// Actions that add or remove tags.
    pub fn tagging_actions(&self) -> &[String] {
        &self.tagging_actions
    }

    /// True for an S3 action whose resource is an object.
    pub fn is_s3_object_action(&self, action: &str) -> bool {
        self.s3_object_actions
            .contains(&action.to_ascii_lowercase())
    }
}

/// Whether a call of `action` carries `sagemaker:DomainId` and `sagemaker:UserProfileName`
/// (Studio context keys), according to the simulator's action catalogue. `None` when the
/// catalogue does not know the action.
pub fn carries_studio_context(action: &str) -> Option<bool> {
    let (service, _) = action.split_once(':')?;
    if !service.eq_ignore_ascii_case("sagemaker") {
        // SageMaker keys exist only on SageMaker calls
        return Some(false);
    }
    abacus_studio::actions::catalogue()
        .action(action)
        .map(|spec| spec.carries(abacus_studio::actions::KeyFamily::StudioContext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert_eq!(Knowledge::get().load_errors, Vec::<String>::new());
    }

    // Service Authorization Reference: "Actions, resources, and condition keys for Amazon
    // SageMaker AI" (condition key types)
    #[test]
    fn key_types_and_prefixes() {
        let k = Knowledge::get();
        assert!(k.key_info("aws:SourceIdentity").is_single_valued());
        assert!(!k.key_info("aws:TagKeys").is_single_valued());
        assert!(!k
            .key_info("sagemaker:FileSystemDirectoryPath")
            .is_single_valued());
        assert!(k
            .key_info("sagemaker:ResourceTag/sagemaker:user-profile-arn")
            .is_single_valued());
        assert!(k.key_info("AWS:PrincipalTag/team").is_single_valued());
        assert_eq!(k.key_info("sagemaker:UserName"), KeyInfo::UnknownKey);
        assert_eq!(k.key_info("SAML:aud"), KeyInfo::UnknownService);
        assert_eq!(k.key_info("aws:ResourceTag/"), KeyInfo::UnknownKey);
    }

    // IAM User Guide: "Access levels in policy summaries"
    #[test]
    fn access_levels() {
        let k = Knowledge::get();
        assert_eq!(k.access_level("sagemaker:ListApps"), AccessLevel::List);
        assert_eq!(
            k.access_level("sagemaker:DescribeDomain"),
            AccessLevel::Read
        );
        assert_eq!(k.access_level("sagemaker:AddTags"), AccessLevel::Tagging);
        assert_eq!(
            k.access_level("iam:PassRole"),
            AccessLevel::PermissionsManagement
        );
        assert_eq!(
            k.access_level("sagemaker:StopTrainingJob"),
            AccessLevel::Write
        );
        assert!(k.is_s3_object_action("S3:GetObject"));
        assert!(!k.is_s3_object_action("s3:ListBucket"));
    }
}
