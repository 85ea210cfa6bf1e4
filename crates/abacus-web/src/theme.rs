//! The theme choice (system, light or dark), remembered across reloads.
//!
//! The choice lives in the same key-value store as the autosave, behind
//! [`KeyValue`](crate::store::KeyValue), so the rules are tested natively; the platform
//! layer only copies it onto `<html data-theme>`.

use crate::store::KeyValue;

/// Where the theme choice is stored.
pub const THEME_KEY: &str = "abacus.theme.v1";

/// The user's theme choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the system's light or dark preference.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// Reads a stored value; anything unknown (an older or tampered store) means
    /// [`Theme::System`].
    pub fn parse(text: &str) -> Theme {
        match text {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The theme button's order: system → light → dark → system.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    /// The `data-theme` attribute value, or `None` to follow the system.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

/// The stored choice ([`Theme::System`] when nothing is stored).
pub fn load(store: &dyn KeyValue) -> Theme {
    store
        .get(THEME_KEY)
        .map(|t| Theme::parse(&t))
        .unwrap_or_default()
}

/// Stores `theme`; the error is the browser's reason (quota, private mode).
pub fn save(store: &mut dyn KeyValue, theme: Theme) -> Result<(), String> {
    store.set(THEME_KEY, theme.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    #[test]
    fn the_button_cycles_through_all_three_choices() {
        let mut t = Theme::System;
        let mut seen = Vec::new();
        for _ in 0..3 {
            t = t.next();
            seen.push(t);
        }
        assert_eq!(seen, [Theme::Light, Theme::Dark, Theme::System]);
    }

    #[test]
    fn a_saved_choice_is_loaded_back() {
        let mut store = MemoryStore::default();
        assert_eq!(load(&store), Theme::System);
        for t in [Theme::Dark, Theme::Light, Theme::System] {
            save(&mut store, t).unwrap();
            assert_eq!(load(&store), t);
        }
    }

    #[test]
    fn an_unknown_stored_value_follows_the_system() {
        let mut store = MemoryStore::default();
        store.set(THEME_KEY, "sepia").unwrap();
        assert_eq!(load(&store), Theme::System);
        assert_eq!(load(&store).attribute(), None);
    }
}
