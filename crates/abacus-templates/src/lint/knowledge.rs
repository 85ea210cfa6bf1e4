//! What the linter knows about AWS: everything about services, actions, access levels and
//! condition keys comes from the Service Authorization Reference data
//! ([`abacus_reference`]); this module adds only the few key facts the reference does not
//! hold (`data/key-facts.json`: keys every request carries, keys the simulator treats as
//! multivalued). Which context keys a Studio call carries comes from the simulator's
//! catalogue layer.

use abacus_reference::{KeyLookup, Reference, ServiceStatus};
use std::sync::Arc;

pub use abacus_reference::AccessLevel;

// `ALWAYS_PRESENT`, `EXTRA_GLOBAL_KEYS` and `MULTIVALUED` from `data/key-facts.json`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/knowledge_tables.rs"));

/// What the reference says about a condition key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyInfo {
    /// The key's prefix is no service the reference knows (e.g. `saml:`): nothing is known.
    UnknownService,
    /// The service's data is not loaded yet (the web app fetches it): nothing is said.
    NotLoaded,
    /// The service is known but the key is not.
    UnknownKey {
        /// The nearest real keys, for did-you-mean.
        suggestions: Vec<String>,
    },
    /// A known key.
    Known {
        /// Its type as the reference writes it (`String`, `ArrayOfString`, ...).
        key_type: String,
        /// True for the global keys.
        global: bool,
    },
}

impl KeyInfo {
    /// True for a known single-valued key.
    pub fn is_single_valued(&self) -> bool {
        matches!(self, KeyInfo::Known { key_type, .. } if !key_type.starts_with("ArrayOf"))
    }

    /// True for a known multivalued key.
    pub fn is_multivalued(&self) -> bool {
        matches!(self, KeyInfo::Known { key_type, .. } if key_type.starts_with("ArrayOf"))
    }
}

/// A view of the reference as loaded now, with the linter's lookups.
#[derive(Debug)]
pub struct Knowledge {
    reference: Arc<Reference>,
}

impl Knowledge {
    /// The reference as loaded now.
    pub fn get() -> Knowledge {
        Knowledge {
            reference: abacus_reference::current(),
        }
    }

    /// The underlying reference.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// Looks a condition key up (case-insensitively; tag keys after a known prefix).
    pub fn key_info(&self, key: &str) -> KeyInfo {
        if let Some((_, t)) = EXTRA_GLOBAL_KEYS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return KeyInfo::Known {
                key_type: (*t).to_owned(),
                global: true,
            };
        }
        let overridden = MULTIVALUED.iter().any(|k| k.eq_ignore_ascii_case(key));
        match self.reference.key(key) {
            KeyLookup::Global { value_type, .. } => KeyInfo::Known {
                key_type: value_type.map_or_else(|| "String".to_owned(), |t| t.name()),
                global: true,
            },
            KeyLookup::Service { value_type, .. } => KeyInfo::Known {
                key_type: if overridden {
                    "ArrayOfString".to_owned()
                } else {
                    value_type.map_or_else(|| "String".to_owned(), |t| t.name())
                },
                global: false,
            },
            KeyLookup::NotLoaded => KeyInfo::NotLoaded,
            KeyLookup::UnknownService => KeyInfo::UnknownService,
            KeyLookup::UnknownKey => KeyInfo::UnknownKey {
                suggestions: self.key_suggestions(key),
            },
        }
    }

    /// Nearest keys of the key's service (and the global keys).
    fn key_suggestions(&self, key: &str) -> Vec<String> {
        let Some((prefix, _)) = key.split_once(':') else {
            return Vec::new();
        };
        let mut names: Vec<&str> = self
            .reference
            .index()
            .map(|i| i.global_keys.iter().map(|(n, _, _)| n.as_str()).collect())
            .unwrap_or_default();
        if let Some(s) = self.reference.service(prefix) {
            names.extend(s.condition_keys.iter().map(|k| k.name.as_str()));
        }
        // compare a tag key by its prefix (`aws:ResourceTags/x` → `aws:ResourceTag/${TagKey}`)
        let bare = |n: &str| {
            abacus_reference::keys::template_prefix(n)
                .trim_end_matches('/')
                .to_owned()
        };
        let wanted = key.split('/').next().unwrap_or(key);
        let bares: Vec<String> = names.iter().map(|n| bare(n)).collect();
        let nearest =
            abacus_reference::suggest::nearest(wanted, bares.iter().map(String::as_str), 3);
        let mut out: Vec<String> = nearest
            .iter()
            .filter_map(|b| {
                names
                    .iter()
                    .zip(&bares)
                    .find(|(_, x)| x.as_str() == *b)
                    .map(|(n, _)| (*n).to_owned())
            })
            .collect();
        out.dedup();
        out
    }

    /// True for global keys every request carries.
    pub fn always_present(&self, key: &str) -> bool {
        ALWAYS_PRESENT.iter().any(|k| k.eq_ignore_ascii_case(key))
    }

    /// Whether `service` is loaded, only listed, or unknown.
    pub fn service_status(&self, service: &str) -> ServiceStatus {
        self.reference.status(service)
    }

    /// The access level of one action name such as `sagemaker:DescribeDomain`; `None` when
    /// the reference has no such action (or its service is not loaded).
    pub fn access_level(&self, action: &str) -> Option<AccessLevel> {
        self.reference.action(action).map(|(_, a)| a.access_level())
    }

    /// Actions of the seed services whose access level is Tagging (`sagemaker:AddTags`,
    /// `s3:PutObjectTagging`, ...), as `service:Name`.
    pub fn tagging_actions(&self) -> Vec<String> {
        abacus_reference::SEED_SERVICES
            .iter()
            .filter_map(|p| self.reference.service(p))
            .flat_map(|s| {
                s.actions
                    .iter()
                    .filter(|a| a.access_levels.all().contains(&AccessLevel::Tagging))
                    .map(move |a| format!("{}:{}", s.prefix, a.name))
            })
            .collect()
    }

    /// True for an S3 action whose only resource types are objects (`arn:…:s3:::BUCKET/KEY`).
    pub fn is_s3_object_action(&self, action: &str) -> bool {
        let Some((service, a)) = self.reference.action(action) else {
            return false;
        };
        service.prefix == "s3"
            && a.resource_types.iter().any(|r| r.name() == "object")
            && !a.resource_types.iter().any(|r| r.name() == "bucket")
    }
}

/// Whether a call of `action` carries `sagemaker:DomainId` and `sagemaker:UserProfileName`
/// (Studio context keys), according to the simulator's catalogue layer. `None` when the
/// simulator does not know the action.
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

    // Service Authorization Reference: "Actions, resources, and condition keys for Amazon
    // SageMaker AI" (condition key types); IAM User Guide: "AWS global condition context keys"
    #[test]
    fn key_types_and_prefixes() {
        let k = Knowledge::get();
        assert!(k.key_info("aws:SourceIdentity").is_single_valued());
        assert!(k.key_info("aws:TagKeys").is_multivalued());
        assert!(k
            .key_info("sagemaker:FileSystemDirectoryPath")
            .is_multivalued());
        assert!(k
            .key_info("sagemaker:ResourceTag/sagemaker:user-profile-arn")
            .is_single_valued());
        assert!(k.key_info("AWS:PrincipalTag/team").is_single_valued());
        assert!(matches!(
            k.key_info("sagemaker:UserName"),
            KeyInfo::UnknownKey { .. }
        ));
        assert_eq!(k.key_info("SAML:aud"), KeyInfo::UnknownService);
        assert!(matches!(
            k.key_info("aws:ResourceTag/"),
            KeyInfo::UnknownKey { .. }
        ));
    }

    #[test]
    fn unknown_keys_suggest_the_nearest() {
        match Knowledge::get().key_info("aws:SourceIdentty") {
            KeyInfo::UnknownKey { suggestions } => {
                assert_eq!(
                    suggestions.first().map(String::as_str),
                    Some("aws:SourceIdentity")
                );
            }
            other => panic!("{other:?}"),
        }
    }

    // IAM User Guide: "Access levels in policy summaries", with the levels of the Service
    // Authorization Reference (iam:PassRole is Write there)
    #[test]
    fn access_levels() {
        let k = Knowledge::get();
        assert_eq!(
            k.access_level("sagemaker:ListApps"),
            Some(AccessLevel::List)
        );
        assert_eq!(
            k.access_level("sagemaker:DescribeDomain"),
            Some(AccessLevel::Read)
        );
        assert_eq!(
            k.access_level("sagemaker:AddTags"),
            Some(AccessLevel::Tagging)
        );
        assert_eq!(k.access_level("iam:PassRole"), Some(AccessLevel::Write));
        assert_eq!(
            k.access_level("iam:PutRolePolicy"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(
            k.access_level("sagemaker:StopTrainingJob"),
            Some(AccessLevel::Write)
        );
        assert_eq!(k.access_level("s3:GetObjcet"), None);
        assert!(k.is_s3_object_action("S3:GetObject"));
        assert!(!k.is_s3_object_action("s3:ListBucket"));
        assert!(k.tagging_actions().iter().any(|a| a == "sagemaker:AddTags"));
    }
}
