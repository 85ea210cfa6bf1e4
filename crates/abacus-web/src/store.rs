//! Autosave: the workspace document in `localStorage`, recovered (never lost) when corrupt.
//!
//! The browser storage sits behind [`KeyValue`] so the recovery rules are tested natively.
//! A stored value that does not parse is moved aside under [`CORRUPT_KEY`] before anything
//! overwrites it, and the user is told where it went and why.

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
            let kept = if store.get(CORRUPT_KEY).as_deref() == Some(text.as_str()) {
                Ok(())
            } else {
                store.set(CORRUPT_KEY, &text)
            };
            let message = match kept {
                Ok(()) => format!(
                    "the autosaved workspace could not be read ({reason}); it was kept in localStorage under `{CORRUPT_KEY}` ({} characters) and the default workspace was opened",
                    text.chars().count()
                ),
                Err(e) => format!(
                    "the autosaved workspace could not be read ({reason}) and could not be backed up ({e}); it is left untouched under `{AUTOSAVE_KEY}` until you edit"
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
