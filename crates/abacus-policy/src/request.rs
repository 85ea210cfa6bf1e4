//! The request an authorization decision is made for.
//!
//! This is the contract between the engine and everything that builds requests (the
//! Studio simulator, the CLI's case files, the web app). Condition key names are
//! case-insensitive ("IAM JSON policy elements: Condition" in the IAM User Guide), so
//! [`Context`] stores them folded to lowercase while remembering the spelling it was given.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// One authorization request: who calls which action on which resource, with which keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The calling principal's ARN, e.g.
    /// `arn:aws:sts::111122223333:assumed-role/StudioRole/SageMaker` or
    /// `arn:aws:iam::111122223333:user/alice`. The engine derives the principal kind
    /// (role session, role, IAM user, account root, service, federated user) from it.
    pub principal: String,
    /// `service:Action`, e.g. `sagemaker:StopTrainingJob`.
    pub action: String,
    /// The target resource ARN, or `*` for actions without a resource.
    pub resource: String,
    /// The request context keys.
    #[serde(default)]
    pub context: Context,
}

/// A context key's value: AWS keys are single-valued or multivalued (sets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key (strings, numbers, dates, booleans, IPs, ARNs are all text here).
    Single(String),
    /// A multivalued key such as `aws:TagKeys` (possibly empty).
    Multi(Vec<String>),
}

impl ContextValue {
    /// All values as a slice-like iterator (one for single-valued keys).
    pub fn values(&self) -> Vec<&str> {
        match self {
            ContextValue::Single(v) => vec![v.as_str()],
            ContextValue::Multi(vs) => vs.iter().map(String::as_str).collect(),
        }
    }

    /// True for [`ContextValue::Multi`].
    pub fn is_multi(&self) -> bool {
        matches!(self, ContextValue::Multi(_))
    }
}

impl Serialize for ContextValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ContextValue::Single(v) => serializer.serialize_str(v),
            ContextValue::Multi(vs) => vs.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ContextValue {
    /// Accepts a string, number or boolean (single-valued) or an array of those (multivalued).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        fn scalar<E: serde::de::Error>(v: serde_json::Value) -> Result<String, E> {
            match v {
                serde_json::Value::String(s) => Ok(s),
                serde_json::Value::Bool(b) => Ok(b.to_string()),
                serde_json::Value::Number(n) => Ok(n.to_string()),
                other => Err(E::custom(format!(
                    "a context value must be a string, number, boolean or an array of those, not `{other}`"
                ))),
            }
        }
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Array(items) => Ok(ContextValue::Multi(
                items.into_iter().map(scalar).collect::<Result<_, _>>()?,
            )),
            other => Ok(ContextValue::Single(scalar(other)?)),
        }
    }
}

/// The request context: condition keys and their values, looked up case-insensitively.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Sorted by lowercase key, without duplicates: a lookup is a binary search, which
    /// every condition and policy variable of a decision makes.
    entries: Vec<Entry>,
}

/// One key of a [`Context`].
#[derive(Clone, PartialEq, Eq)]
struct Entry {
    /// The key folded to lowercase.
    lower: String,
    /// The key as given.
    key: String,
    value: ContextValue,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` (any case) to `value`, replacing an earlier value of the same key.
    pub fn insert(&mut self, key: &str, value: ContextValue) {
        let lower = key.to_ascii_lowercase();
        match self.position(&lower) {
            Ok(i) => {
                if let Some(e) = self.entries.get_mut(i) {
                    e.key = key.to_owned();
                    e.value = value;
                }
            }
            // `position` gives an insertion point of at most the length
            Err(i) => self.entries.insert(
                i,
                Entry {
                    lower,
                    key: key.to_owned(),
                    value,
                },
            ),
        }
    }

    /// Where a lowercase key is (`Ok`) or would go (`Err`).
    fn position(&self, lower_key: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|e| e.lower.as_str().cmp(lower_key))
    }

    /// Sets a single-valued key.
    pub fn insert_single(&mut self, key: &str, value: impl Into<String>) {
        self.insert(key, ContextValue::Single(value.into()));
    }

    /// Sets a multivalued key.
    pub fn insert_multi(&mut self, key: &str, values: Vec<String>) {
        self.insert(key, ContextValue::Multi(values));
    }

    /// Adds every key of `other`, replacing the keys both have.
    pub fn merge(&mut self, other: Context) {
        for e in other.entries {
            self.insert(&e.key, e.value);
        }
    }

    /// Removes `key` (any case).
    pub fn remove(&mut self, key: &str) -> Option<ContextValue> {
        let i = self.position(&key.to_ascii_lowercase()).ok()?;
        // `position` found the key at `i`, so `i` is in bounds
        Some(self.entries.remove(i).value)
    }

    /// Looks `key` up case-insensitively.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.get_lowercase(&key.to_ascii_lowercase())
    }

    /// Looks up a key that is already folded to lowercase, without allocating.
    pub fn get_lowercase(&self, lower_key: &str) -> Option<&ContextValue> {
        let i = self.position(lower_key).ok()?;
        self.entries.get(i).map(|e| &e.value)
    }

    /// True when a key already folded to lowercase is present (no allocation).
    pub fn contains_lowercase(&self, lower_key: &str) -> bool {
        self.position(lower_key).is_ok()
    }

    /// True when `key` (any case) is present.
    pub fn contains(&self, key: &str) -> bool {
        self.contains_lowercase(&key.to_ascii_lowercase())
    }

    /// Keys (as given) and values, ordered by lowercase key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|e| (e.key.as_str(), &e.value))
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Serialize for Context {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, ContextValue>::deserialize(deserializer)?;
        let mut ctx = Context::new();
        for (k, v) in raw {
            ctx.insert(&k, v);
        }
        Ok(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_but_keep_their_spelling() {
        let mut ctx = Context::new();
        ctx.insert_single("aws:SourceIdentity", "alice");
        assert_eq!(
            ctx.get("AWS:sourceidentity"),
            Some(&ContextValue::Single("alice".into()))
        );
        assert_eq!(
            ctx.iter().next().map(|(k, _)| k),
            Some("aws:SourceIdentity")
        );
    }

    #[test]
    fn json_round_trip_keeps_single_and_multi_values() {
        let ctx: Context =
            serde_json::from_str(r#"{"aws:TagKeys":["team"],"aws:SecureTransport":true}"#).unwrap();
        assert_eq!(
            ctx.get("aws:tagkeys"),
            Some(&ContextValue::Multi(vec!["team".into()]))
        );
        assert_eq!(
            ctx.get("aws:securetransport"),
            Some(&ContextValue::Single("true".into()))
        );
        let back = serde_json::to_string(&ctx).unwrap();
        assert_eq!(
            back,
            r#"{"aws:SecureTransport":"true","aws:TagKeys":["team"]}"#
        );
    }
}
