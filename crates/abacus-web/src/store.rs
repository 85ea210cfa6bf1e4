//! Autosave: the workspace document in `localStorage`, recovered (never lost) when corrupt.
//!
//! The browser storage sits behind [`KeyValue`] so the recovery rules are tested natively.
//! A stored value that does not parse is moved aside under [`CORRUPT_KEY`] before anything
//! overwrites it, and the user is told where it went and why.
//!
//! `localStorage` is shared by the whole origin, so the app reaches it through [`Scoped`]:
//! every key gets the deployment's directory as a suffix (`abacus.workspace.v1@/demo/abacus/`),
//! and two deployments on one host keep apart.

/// Where the workspace document is autosaved.
pub const AUTOSAVE_KEY: &str = "abacus.workspace.v1";
/// Where an unreadable autosave is kept, so that a corrupt store is never silently lost.
pub const CORRUPT_KEY: &str = "abacus.workspace.v1.corrupt";

/// A string key-value store (`localStorage`, or a map in tests).
pub trait KeyValue {
    /// The value under `key`.
    fn get(&self, key: &str) -> Option<String>;
    /// Stores `value` under `key`; errors carry the browser's reason (quota, private mode).
    fn set(&mut self, key: &str, value: &str) -> Result<(), String>;
    /// Removes `key` and its value.
    fn remove(&mut self, key: &str) -> Result<(), String>;
    /// The name `key` really has in the store, for messages that tell users where to look.
    fn name(&self, key: &str) -> String {
        key.to_owned()
    }
}

/// A [`KeyValue`] whose keys are those of one deployment: `KEY@DIR`, where DIR is the page's
/// path up to its last `/` (`/demo/abacus/index.html` → `/demo/abacus/`).
pub struct Scoped<S> {
    inner: S,
    dir: String,
}

impl<S: KeyValue> Scoped<S> {
    /// The keys of the deployment serving `pathname` (`location.pathname`).
    pub fn new(inner: S, pathname: &str) -> Self {
        let dir = pathname.rfind('/').and_then(|i| pathname.get(..=i));
        Self {
            inner,
            dir: dir.unwrap_or("/").to_owned(),
        }
    }

    /// Copies an autosave from before keys were scoped (bare [`AUTOSAVE_KEY`]) to this
    /// deployment's key, once: only while that key is empty. The old key is left as it is.
    pub fn migrate(&mut self) -> Result<(), String> {
        match self.inner.get(AUTOSAVE_KEY) {
            Some(old) if self.get(AUTOSAVE_KEY).is_none() => self.set(AUTOSAVE_KEY, &old),
            _ => Ok(()),
        }
    }
}

impl<S: KeyValue> KeyValue for Scoped<S> {
    fn get(&self, key: &str) -> Option<String> {
        self.inner.get(&self.name(key))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let name = self.name(key);
        self.inner.set(&name, value)
    }

    fn remove(&mut self, key: &str) -> Result<(), String> {
        let name = self.name(key);
        self.inner.remove(&name)
    }

    fn name(&self, key: &str) -> String {
        format!("{key}@{}", self.dir)
    }
}

/// What loading the autosave found.
#[derive(Debug, PartialEq)]
pub enum Restored<T> {
    /// Nothing saved yet.
    Empty,
    /// The saved document.
    Document(T),
    /// The saved text did not parse; it was moved to [`CORRUPT_KEY`]. The message says why.
    Recovered {
        /// A user-facing explanation.
        message: String,
    },
}

/// Loads the autosave through `parse`; a value `parse` rejects is preserved under
/// [`CORRUPT_KEY`] (unless that already holds the same text) and reported.
pub fn restore<T>(
    store: &mut dyn KeyValue,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Restored<T> {
    let Some(text) = store.get(AUTOSAVE_KEY) else {
        return Restored::Empty;
    };
    match parse(&text) {
        Ok(doc) => Restored::Document(doc),
        Err(reason) => {
            let corrupt_key = store.name(CORRUPT_KEY);
            let kept = if store.get(CORRUPT_KEY).as_deref() == Some(text.as_str()) {
                Ok(())
            } else {
                store.set(CORRUPT_KEY, &text)
            };
            let message = match kept {
                Ok(()) => format!(
                    "the autosaved workspace could not be read ({reason}); it was kept in localStorage under `{corrupt_key}` ({} characters) and the default workspace was opened",
                    text.chars().count()
                ),
                Err(e) => format!(
                    "the autosaved workspace could not be read ({reason}) and could not be backed up ({e}); it is left untouched under `{}` until you edit",
                    store.name(AUTOSAVE_KEY)
                ),
            };
            Restored::Recovered { message }
        }
    }
}

/// Saves `text` as the autosave. Errors are returned for the status line, never panicked on.
pub fn save(store: &mut dyn KeyValue, text: &str) -> Result<(), String> {
    if store.get(AUTOSAVE_KEY).as_deref() == Some(text) {
        return Ok(());
    }
    store.set(AUTOSAVE_KEY, text)
}

/// An in-memory [`KeyValue`], for tests and as a fallback when storage is unavailable.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    entries: std::collections::BTreeMap<String, String>,
    /// When set, every `set` fails with this message (a full or blocked storage).
    pub fail_writes: Option<String>,
}

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.entries.get(key).cloned()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        if let Some(e) = &self.fail_writes {
            return Err(e.clone());
        }
        self.entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), String> {
        if let Some(e) = &self.fail_writes {
            return Err(e.clone());
        }
        self.entries.remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_number(text: &str) -> Result<i32, String> {
        text.parse::<i32>().map_err(|e| e.to_string())
    }

    #[test]
    fn empty_store_restores_nothing() {
        let mut store = MemoryStore::default();
        assert_eq!(restore(&mut store, parse_number), Restored::Empty);
    }

    #[test]
    fn saved_document_comes_back() {
        let mut store = MemoryStore::default();
        save(&mut store, "42").unwrap();
        assert_eq!(restore(&mut store, parse_number), Restored::Document(42));
    }

    #[test]
    fn corrupt_store_is_backed_up_and_reported() {
        let mut store = MemoryStore::default();
        store.set(AUTOSAVE_KEY, "{not json").unwrap();
        let Restored::Recovered { message } = restore(&mut store, parse_number) else {
            panic!("expected recovery");
        };
        assert!(message.contains(CORRUPT_KEY), "{message}");
        assert_eq!(store.get(CORRUPT_KEY).as_deref(), Some("{not json"));
        // the original is untouched until the next save
        assert_eq!(store.get(AUTOSAVE_KEY).as_deref(), Some("{not json"));
    }

    #[test]
    fn keys_are_scoped_to_the_deployment_and_the_old_autosave_is_copied_once() {
        let mut shared = MemoryStore::default();
        shared.set(AUTOSAVE_KEY, "1").unwrap();
        let mut a = Scoped::new(shared, "/a/index.html");
        assert_eq!(a.name(AUTOSAVE_KEY), "abacus.workspace.v1@/a/");
        assert_eq!(a.get(AUTOSAVE_KEY), None);
        a.migrate().unwrap();
        assert_eq!(a.get(AUTOSAVE_KEY).as_deref(), Some("1"));
        save(&mut a, "2").unwrap();
        a.migrate().unwrap();
        assert_eq!(a.get(AUTOSAVE_KEY).as_deref(), Some("2"), "only once");
        // another deployment on the same host neither sees nor overwrites it
        let mut b = Scoped::new(a.inner, "/b/");
        b.migrate().unwrap();
        save(&mut b, "3").unwrap();
        assert_eq!(b.inner.get("abacus.workspace.v1@/a/").as_deref(), Some("2"));
        assert_eq!(b.inner.get("abacus.workspace.v1@/b/").as_deref(), Some("3"));
        assert_eq!(b.inner.get(AUTOSAVE_KEY).as_deref(), Some("1"), "kept");
        assert_eq!(Scoped::new(MemoryStore::default(), "").name("k"), "k@/");
        // messages name the scoped keys
        b.set(AUTOSAVE_KEY, "junk").unwrap();
        let Restored::Recovered { message } = restore(&mut b, parse_number) else {
            panic!("expected recovery");
        };
        assert!(
            message.contains("`abacus.workspace.v1.corrupt@/b/`"),
            "{message}"
        );
    }

    #[test]
    fn failed_backup_leaves_the_original_in_place() {
        let mut store = MemoryStore::default();
        store.set(AUTOSAVE_KEY, "junk").unwrap();
        store.fail_writes = Some("quota exceeded".into());
        let Restored::Recovered { message } = restore(&mut store, parse_number) else {
            panic!("expected recovery");
        };
        assert!(message.contains("quota exceeded"), "{message}");
        assert_eq!(store.get(AUTOSAVE_KEY).as_deref(), Some("junk"));
        assert_eq!(save(&mut store, "1"), Err("quota exceeded".into()));
    }
}
