//! A request's context: its condition keys and their values.
//!
//! Condition key names are case-insensitive ("IAM JSON policy elements: Condition" in the
//! IAM User Guide), so [`Context`] stores them folded to lowercase while remembering the
//! spelling it was given.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use std::fmt;
use std::sync::Arc;

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
///
/// A context may share keys with others instead of holding copies ([`Context::share`]):
/// the access matrix builds thousands of requests, and the keys of a row's caller, or of a
/// column's resource, are the same in each of them.
#[derive(Clone, Default)]
pub struct Context {
    /// Sorted for lookup, without duplicates: by the lowercase key's length, then its
    /// first eight bytes, then the whole key. Every condition and policy variable of a
    /// decision looks a key up, and this order decides almost every step of the binary
    /// search with two integer comparisons instead of a string comparison.
    entries: Vec<Entry>,
    /// Keys shared with other contexts, looked up after `entries`. None holds layers of its
    /// own, and no key is in two of them or in `entries` too ([`Context::share`] and
    /// [`Context::put`] keep it so): a key has one place.
    shared: Vec<Arc<Context>>,
}

/// One key of a [`Context`].
#[derive(Clone, PartialEq, Eq)]
struct Entry {
    /// The key as given, then folded to lowercase: one allocation for both (ASCII folding
    /// keeps the length, so each is half of it).
    spellings: String,
    head: u64,
    /// [`key_hash`] of the lowercase key: what a lookup in a small context compares.
    hash: u64,
    value: ContextValue,
}

impl Entry {
    fn new(key: &str, value: ContextValue) -> Self {
        let mut spellings = String::with_capacity(key.len() * 2);
        spellings.push_str(key);
        spellings.push_str(key);
        if let Some(lower) = spellings.get_mut(key.len()..) {
            lower.make_ascii_lowercase();
        }
        let lower = spellings.get(key.len()..).unwrap_or_default();
        Entry {
            head: head_of(lower),
            hash: key_hash(lower),
            spellings,
            value,
        }
    }

    /// The key as given.
    fn key(&self) -> &str {
        self.spellings
            .get(..self.spellings.len() / 2)
            .unwrap_or_default()
    }

    /// The key folded to lowercase.
    fn lower(&self) -> &str {
        self.spellings
            .get(self.spellings.len() / 2..)
            .unwrap_or_default()
    }

    /// Where the entry goes in a [`Context`]: by the lowercase key's length (twice it, as
    /// `spellings` holds), then its first eight bytes, then the whole key.
    fn order(&self) -> (usize, u64, &[u8]) {
        (self.spellings.len(), self.head, self.lower_bytes())
    }

    /// [`Entry::lower`] as bytes, for comparisons (no character-boundary check).
    fn lower_bytes(&self) -> &[u8] {
        let bytes = self.spellings.as_bytes();
        bytes.get(bytes.len() / 2..).unwrap_or_default()
    }
}

/// The most keys a context is scanned for instead of bisected (a Studio request carries
/// about two dozen).
const SCANNED_KEYS: usize = 32;

/// A context key folded to lowercase, with its [`key_hash`]: made once where a policy
/// names a key (a condition's key, a `${...}` variable) and looked up in every decision
/// without being folded or hashed again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LowerKey {
    text: String,
    hash: u64,
}

impl LowerKey {
    /// `key` folded to lowercase (ASCII: keys are case-insensitive).
    pub fn new(key: &str) -> Self {
        let text = key.to_ascii_lowercase();
        LowerKey {
            hash: key_hash(&text),
            text,
        }
    }

    /// The lowercase key.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::ops::Deref for LowerKey {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<str> for LowerKey {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for LowerKey {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// A hash of a lowercase key, eight bytes at a time (a multiply and a rotation per word,
/// its length mixed in): a lookup compares it with each entry's and compares bytes only
/// when they are equal.
fn key_hash(lower_key: &str) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut bytes = lower_key.as_bytes();
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    while let Some((word, rest)) = bytes.split_first_chunk::<8>() {
        h = (h ^ u64::from_le_bytes(*word))
            .wrapping_mul(K)
            .rotate_left(29);
        bytes = rest;
    }
    let mut last = 0u64;
    let mut shift = 0;
    while let Some((b, rest)) = bytes.split_first() {
        last |= (*b as u64) << shift;
        shift += 8;
        bytes = rest;
    }
    (h ^ last).wrapping_mul(K)
}

/// Up to the first eight bytes of `key` as a word (missing bytes are zero).
fn head_of(key: &str) -> u64 {
    if let Some(head) = key.as_bytes().first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    let mut buf = [0u8; 8];
    for (d, s) in buf.iter_mut().zip(key.bytes()) {
        *d = s;
    }
    u64::from_be_bytes(buf)
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
        self.put(Entry::new(key, value));
    }

    /// Adds `entry`, replacing the entry of the same key (a shared layer that holds it is
    /// copied in first).
    fn put(&mut self, entry: Entry) {
        if !self.shared.is_empty() {
            self.unshare(entry.lower());
        }
        self.put_own(entry);
    }

    /// Adds `entry` to the context's own keys, replacing the one of the same key there.
    fn put_own(&mut self, entry: Entry) {
        match self.position(entry.lower()) {
            Ok(i) => {
                if let Some(e) = self.entries.get_mut(i) {
                    *e = entry;
                }
            }
            Err(at) => {
                if self.entries.capacity() == 0 {
                    // a request context has a few dozen keys: grow once, not five times;
                    // one that shares its caller's and its target's keys holds a few of
                    // its own (the access matrix keeps thousands)
                    self.entries
                        .reserve(if self.shared.is_empty() { 32 } else { 4 });
                }
                // `position` gives an insertion point of at most the length
                self.entries.insert(at, entry);
            }
        }
    }

    /// Copies the shared layer that holds `lower_key`, if one does, into the context's own
    /// keys (the layers and the own keys are disjoint, so each copy is an insertion).
    fn unshare(&mut self, lower_key: &str) {
        let Some(i) = self
            .shared
            .iter()
            .position(|layer| find_in(&layer.entries, lower_key).is_some())
        else {
            return;
        };
        let layer = self.shared.remove(i);
        for e in &layer.entries {
            self.put_own(e.clone());
        }
    }

    /// Adds every key of `keys`, as inserting each in turn would; when none of them is here
    /// yet, without copying them: `keys` is kept as a shared layer (a reference count), and
    /// looked up after the context's own keys.
    pub fn share(&mut self, keys: &Arc<Context>) {
        // layers hold no layers: a context that has some is copied, and its layers shared
        let disjoint = keys.shared.is_empty()
            && (self.is_empty()
                || keys
                    .entries
                    .iter()
                    .all(|e| self.find_hashed(e.lower(), e.hash).is_none()));
        if disjoint {
            if !keys.entries.is_empty() {
                self.shared.push(keys.clone());
            }
            return;
        }
        for e in &keys.entries {
            self.put(e.clone());
        }
        for layer in &keys.shared {
            self.share(layer);
        }
    }

    /// Every entry: the own ones, then each shared layer's (in no useful order).
    fn all_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .chain(self.shared.iter().flat_map(|layer| layer.entries.iter()))
    }

    /// Where a lowercase key is in `entries` (`Ok`) or would go (`Err`).
    fn position(&self, lower_key: &str) -> Result<usize, usize> {
        position_in(&self.entries, lower_key)
    }

    /// A context of `entries` given in order (see [`Context`]'s `Deserialize` for which of
    /// two spellings of a key stays).
    fn from_entries(mut entries: Vec<Entry>) -> Context {
        // in lookup order, and within one lowercase key by spelling, then as given (a
        // stable sort): the last of each lowercase key is the one that stays
        entries.sort_by(|a, b| a.order().cmp(&b.order()).then_with(|| a.key().cmp(b.key())));
        let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
        for e in entries {
            match kept.last_mut() {
                Some(last) if last.lower_bytes() == e.lower_bytes() => *last = e,
                _ => kept.push(e),
            }
        }
        Context {
            entries: kept,
            shared: Vec::new(),
        }
    }

    /// Frees the room reserved for more keys: for a context kept long (the access
    /// matrix keeps thousands of requests).
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
        self.shared.shrink_to_fit();
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
            self.put(e);
        }
        for layer in &other.shared {
            self.share(layer);
        }
    }

    /// Removes `key` (any case).
    pub fn remove(&mut self, key: &str) -> Option<ContextValue> {
        let lower = key.to_ascii_lowercase();
        if !self.shared.is_empty() {
            self.unshare(&lower);
        }
        let at = self.position(&lower).ok()?;
        // `position` found the key at `at`, so it is in bounds
        Some(self.entries.remove(at).value)
    }

    /// Looks `key` up case-insensitively.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.get_lowercase(&key.to_ascii_lowercase())
    }

    /// Looks up a key that is already folded to lowercase, without allocating.
    #[inline]
    pub fn get_lowercase(&self, lower_key: &str) -> Option<&ContextValue> {
        self.find(lower_key).map(|e| &e.value)
    }

    /// The entry of a lowercase key: the context's own, then its shared layers'.
    #[inline]
    fn find(&self, lower_key: &str) -> Option<&Entry> {
        match find_in(&self.entries, lower_key) {
            Some(e) => Some(e),
            None if self.shared.is_empty() => None,
            None => self.find_shared(lower_key),
        }
    }

    /// [`Context::find`] in the shared layers (out of line: most contexts have none).
    #[inline(never)]
    fn find_shared(&self, lower_key: &str) -> Option<&Entry> {
        self.shared
            .iter()
            .find_map(|layer| find_in(&layer.entries, lower_key))
    }

    /// Looks up a key a policy names (see [`LowerKey`]).
    #[inline]
    pub fn get_key(&self, key: &LowerKey) -> Option<&ContextValue> {
        self.find_hashed(&key.text, key.hash).map(|e| &e.value)
    }

    /// [`Context::find`] for a key whose [`key_hash`] is known.
    #[inline]
    fn find_hashed(&self, lower_key: &str, hash: u64) -> Option<&Entry> {
        match find_hashed_in(&self.entries, lower_key, hash) {
            Some(e) => Some(e),
            None if self.shared.is_empty() => None,
            None => self.find_hashed_shared(lower_key, hash),
        }
    }

    /// [`Context::find_hashed`] in the shared layers (out of line: most contexts have none).
    #[inline(never)]
    fn find_hashed_shared(&self, lower_key: &str, hash: u64) -> Option<&Entry> {
        self.shared
            .iter()
            .find_map(|layer| find_hashed_in(&layer.entries, lower_key, hash))
    }

    /// True when a key already folded to lowercase is present (no allocation).
    pub fn contains_lowercase(&self, lower_key: &str) -> bool {
        self.find(lower_key).is_some()
    }

    /// True when `key` (any case) is present.
    pub fn contains(&self, key: &str) -> bool {
        self.contains_lowercase(&key.to_ascii_lowercase())
    }

    /// Keys (as given) and values, ordered by lowercase key. The order is made when asked
    /// (explanations, JSON): deciding never iterates, and inserting stays one shift.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.sorted().into_iter().map(|e| (e.key(), &e.value))
    }

    /// Every entry, ordered by lowercase key.
    fn sorted(&self) -> Vec<&Entry> {
        let mut sorted: Vec<&Entry> = self.all_entries().collect();
        crate::order::sort_by(&mut sorted, |a, b| a.lower().cmp(b.lower()));
        sorted
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len() + self.shared.iter().map(|l| l.entries.len()).sum::<usize>()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where a lowercase key is in `entries`, sorted as [`Context`]'s are (`Ok`), or would go
/// (`Err`).
fn position_in(entries: &[Entry], lower_key: &str) -> Result<usize, usize> {
    let (len, head) = (lower_key.len(), head_of(lower_key));
    entries.binary_search_by(|e| e.order().cmp(&(2 * len, head, lower_key.as_bytes())))
}

/// The entry of a lowercase key in `entries`. Contexts are small: up to [`SCANNED_KEYS`], a
/// forward scan in the length order of `entries` is cheaper than bisection, and the whole
/// key is compared only when its length and first eight bytes already agree.
#[inline]
fn find_in<'e>(entries: &'e [Entry], lower_key: &str) -> Option<&'e Entry> {
    if entries.len() > SCANNED_KEYS {
        return entries.get(position_in(entries, lower_key).ok()?);
    }
    let (len, head) = (lower_key.len(), head_of(lower_key));
    let both = 2 * len;
    for e in entries {
        // `spellings` is twice the key's length, its lowercase half second
        if e.spellings.len() > both {
            return None;
        }
        // eight bytes or fewer: the head word holds the whole key
        if e.spellings.len() == both
            && e.head == head
            && (len <= 8 || e.spellings.as_bytes().get(len + 8..) == lower_key.as_bytes().get(8..))
        {
            return Some(e);
        }
    }
    None
}

/// [`find_in`] for a key whose [`key_hash`] is known: in a small context each entry's hash
/// is compared with it, and bytes only where they are equal.
#[inline]
fn find_hashed_in<'e>(entries: &'e [Entry], lower_key: &str, hash: u64) -> Option<&'e Entry> {
    if entries.len() > SCANNED_KEYS {
        return find_in(entries, lower_key);
    }
    entries
        .iter()
        .find(|e| e.hash == hash && e.lower_bytes() == lower_key.as_bytes())
}

impl PartialEq for Context {
    /// The same keys, spelled alike, with the same values (whether shared or not).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.sorted() == other.sorted()
    }
}

impl Eq for Context {}

impl Serialize for Context {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Context {
    /// A JSON object of keys and values, read straight into entries that are sorted once
    /// (a case file has thousands of contexts). Keys that differ only in case keep the last
    /// in byte order (`aws:x` over `AWS:x`), and a key given twice its last value: as if the
    /// object were read into a `BTreeMap` and its keys inserted in order.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = Context;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Context, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(key) = map.next_key::<String>()? {
                    let value: ContextValue = map.next_value()?;
                    entries.push(Entry::new(&key, value));
                }
                Ok(Context::from_entries(entries))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        // the lookup order is an implementation detail: the context behaves as a map from
        // lowercase keys, iterated in key order
        #[test]
        fn behaves_like_a_map_of_lowercase_keys(
            ops in proptest::collection::vec(("[a-cA-C:/]{0,10}|[aA:]{7,18}", 0u8..4), 0..40),
        ) {
            let mut ctx = Context::new();
            let mut model: BTreeMap<String, (String, String)> = BTreeMap::new();
            for (i, (key, op)) in ops.iter().enumerate() {
                let lower = key.to_ascii_lowercase();
                if *op == 0 {
                    prop_assert_eq!(
                        ctx.remove(key).is_some(),
                        model.remove(&lower).is_some()
                    );
                } else {
                    ctx.insert_single(key, i.to_string());
                    model.insert(lower.clone(), (key.clone(), i.to_string()));
                }
                prop_assert_eq!(ctx.len(), model.len());
                let expected = model.get(&lower).map(|(_, v)| ContextValue::Single(v.clone()));
                prop_assert_eq!(ctx.get(&key.to_ascii_uppercase()), expected.as_ref());
                // the hashed lookup of a key a policy names agrees (small and large contexts)
                let named = LowerKey::new(&key.to_ascii_uppercase());
                prop_assert_eq!(ctx.get_key(&named), expected.as_ref());
            }
            let listed: Vec<(String, String)> = ctx
                .iter()
                .map(|(k, v)| (k.to_owned(), v.values().concat()))
                .collect();
            let expected: Vec<(String, String)> = model.into_values().collect();
            prop_assert_eq!(listed, expected);
        }
    }

    proptest! {
        // a context with shared layers behaves as the one that got every key inserted: ops
        // are inserts (op 1–3), removals (op 0) and shares of a layer of keys (op 4, the layer
        // itself sharing one when the key ends in `/`)
        #[test]
        fn shared_layers_behave_as_inserted_keys(
            ops in proptest::collection::vec(
                (proptest::collection::vec("[a-cA-C:/]{0,10}|[aA:]{7,18}", 1..5), 0u8..5),
                0..30,
            ),
        ) {
            let mut ctx = Context::new();
            let mut flat = Context::new();
            let mut layers = Vec::new();
            for (i, (keys, op)) in ops.iter().enumerate() {
                let value = i.to_string();
                match op {
                    0 => {
                        let k = keys.first().map(String::as_str).unwrap_or_default();
                        prop_assert_eq!(ctx.remove(k), flat.remove(k));
                    }
                    4 => {
                        let mut layer = Context::new();
                        for k in keys {
                            layer.insert_single(k, value.clone());
                            flat.insert_single(k, value.clone());
                        }
                        if keys.iter().any(|k| k.ends_with('/')) {
                            let mut inner = Context::new();
                            inner.insert_single("inner:key", value.clone());
                            let inner = Arc::new(inner);
                            let mut outer = layer;
                            outer.share(&inner);
                            layer = outer;
                            flat.insert_single("inner:key", value.clone());
                        }
                        let layer = Arc::new(layer);
                        ctx.share(&layer);
                        layers.push(layer);
                    }
                    _ => {
                        for k in keys {
                            ctx.insert_single(k, value.clone());
                            flat.insert_single(k, value.clone());
                        }
                    }
                }
                prop_assert_eq!(ctx.len(), flat.len());
                prop_assert!(ctx == flat);
                for k in keys {
                    let upper = k.to_ascii_uppercase();
                    prop_assert_eq!(ctx.get(&upper), flat.get(&upper));
                    prop_assert_eq!(ctx.get_key(&LowerKey::new(&upper)), flat.get(&upper));
                }
            }
            let listed = |c: &Context| -> Vec<(String, String)> {
                c.iter().map(|(k, v)| (k.to_owned(), v.values().concat())).collect()
            };
            prop_assert_eq!(listed(&ctx), listed(&flat));
            prop_assert_eq!(
                serde_json::to_string(&ctx).unwrap(),
                serde_json::to_string(&flat).unwrap()
            );
            // the layers themselves are never changed by the contexts that share them
            for layer in &layers {
                prop_assert!(layer.shared.len() <= 1);
            }
        }
    }

    #[test]
    fn keys_new_to_a_context_are_shared_not_copied() {
        let mut caller = Context::new();
        caller.insert_single("aws:PrincipalTag/team", "ml");
        caller.insert_single("aws:SourceIdentity", "alice");
        let caller = Arc::new(caller);
        let mut cell = Context::new();
        cell.insert_single("aws:ResourceTag/team", "ml");
        cell.share(&caller);
        assert_eq!(Arc::strong_count(&caller), 2);
        assert_eq!(cell.len(), 3);
        assert_eq!(
            cell.get("aws:sourceidentity"),
            Some(&ContextValue::Single("alice".into()))
        );
        // changing a shared key copies the layer: the layer itself stays as it was
        cell.insert_single("AWS:SourceIdentity", "bob");
        assert_eq!(Arc::strong_count(&caller), 1);
        assert_eq!(
            caller.get("aws:SourceIdentity"),
            Some(&ContextValue::Single("alice".into()))
        );
        assert_eq!(
            cell.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            [
                "aws:PrincipalTag/team",
                "aws:ResourceTag/team",
                "AWS:SourceIdentity"
            ]
        );
        // a layer with a key the context has is copied in, replacing it
        let mut again = Context::new();
        again.insert_single("aws:SourceIdentity", "carol");
        cell.share(&Arc::new(again));
        assert_eq!(
            cell.get("aws:SourceIdentity"),
            Some(&ContextValue::Single("carol".into()))
        );
        assert_eq!(cell.len(), 3);
    }

    proptest! {
        // read from JSON, a context is what inserting the object's keys in byte order gives
        // (as when it was read through a BTreeMap): spellings, values and order
        #[test]
        fn a_context_read_from_json_is_its_keys_inserted_in_order(
            pairs in proptest::collection::vec(("[aAbB:]{0,6}|[aA]{9,12}", 0u32..5), 0..40),
        ) {
            let object = format!(
                "{{{}}}",
                pairs
                    .iter()
                    .map(|(k, v)| format!("{}: {v}", serde_json::to_string(k).unwrap()))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let read: Context = serde_json::from_str(&object).unwrap();
            let mut inserted = Context::new();
            let by_key: BTreeMap<String, u32> = pairs.iter().cloned().collect();
            for (k, v) in by_key {
                inserted.insert_single(&k, v.to_string());
            }
            let listed = |c: &Context| -> Vec<(String, String)> {
                c.iter().map(|(k, v)| (k.to_owned(), v.values().concat())).collect()
            };
            prop_assert_eq!(listed(&read), listed(&inserted));
            prop_assert!(read == inserted);
        }
    }

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
