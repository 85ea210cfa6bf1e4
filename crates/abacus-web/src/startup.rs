//! What the app opens with: a share link, else the autosave, else the default scenario.
//! Pure (the URL and the storage are inputs), so every path is tested natively.

use crate::codec::{self, EmbedMode, Fragment};
use crate::doc;
use crate::state::Notice;
use crate::store::{self, KeyValue, Restored};
use abacus_studio::scenario::{default_scenario, Scenario};

/// Where the autosave is kept when a share link replaces the workspace.
pub const PREVIOUS_KEY: &str = "abacus.workspace.v1.previous";

/// The starting point.
#[derive(Clone, Debug, PartialEq)]
pub struct Boot {
    /// The document.
    pub doc: Scenario,
    /// What to tell the user.
    pub notice: Option<Notice>,
    /// Embed mode, if asked for.
    pub embed: Option<EmbedMode>,
}

/// Decides the starting document from the URL parts and the storage.
pub fn start(hash: &str, search: &str, storage: &mut dyn KeyValue) -> Boot {
    let fragment = Fragment::parse(hash, search);
    let embed = fragment.embed;
    let mut notices: Vec<Notice> = Vec::new();
    if let Some(payload) = &fragment.share {
        match codec::decode(payload)
            .map_err(|e| e.to_string())
            .and_then(|json| doc::parse(&json))
        {
            Ok(doc) => {
                if embed.is_none() {
                    let mut text = "opened the shared workspace".to_owned();
                    if let Some(previous) = storage.get(store::AUTOSAVE_KEY) {
                        if previous != doc::to_json(&doc)
                            && storage.set(PREVIOUS_KEY, &previous).is_ok()
                        {
                            text.push_str(&format!(
                                "; your previous autosave is kept in localStorage under `{PREVIOUS_KEY}`"
                            ));
                        }
                    }
                    notices.push(Notice::info(text));
                }
                return Boot {
                    doc,
                    notice: notices.pop(),
                    embed,
                };
            }
            Err(e) => notices.push(Notice::error(format!(
                "the share link could not be opened: {e}"
            ))),
        }
    }
    let doc = match store::restore(storage, doc::parse) {
        Restored::Document(doc) => doc,
        Restored::Empty => default_scenario(),
        Restored::Recovered { message } => {
            notices.push(Notice::warning(message));
            default_scenario()
        }
    };
    let notice = if notices.is_empty() {
        None
    } else {
        let level = notices
            .iter()
            .map(|n| n.level)
            .max_by_key(|l| *l as u8)
            .unwrap_or(crate::state::NoticeLevel::Info);
        Some(Notice {
            level,
            text: notices
                .into_iter()
                .map(|n| n.text)
                .collect::<Vec<_>>()
                .join(" · "),
        })
    };
    Boot { doc, notice, embed }
}

/// The `#s=…` fragment sharing `doc` (its JSON, deflated: indentation costs next to
/// nothing once compressed, and one serializer keeps the wasm smaller).
pub fn share_fragment(doc: &Scenario, embed: Option<EmbedMode>) -> String {
    Fragment {
        share: Some(codec::encode(&doc::to_json(doc))),
        embed,
    }
    .to_hash()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::NoticeLevel;
    use crate::store::{MemoryStore, AUTOSAVE_KEY, CORRUPT_KEY};

    fn edited() -> Scenario {
        let mut d = default_scenario();
        d.name = "edited workspace".into();
        d
    }

    #[test]
    fn fresh_start_opens_the_default() {
        let b = start("", "", &mut MemoryStore::default());
        assert_eq!(b.doc, default_scenario());
        assert_eq!(b.notice, None);
        assert_eq!(b.embed, None);
    }

    #[test]
    fn autosave_comes_back() {
        let mut s = MemoryStore::default();
        store::save(&mut s, &doc::to_json(&edited())).unwrap();
        assert_eq!(start("", "", &mut s).doc.name, "edited workspace");
    }

    #[test]
    fn corrupt_autosave_is_recovered_with_a_warning() {
        let mut s = MemoryStore::default();
        s.set(AUTOSAVE_KEY, "{\"version\": 2, \"name\": ").unwrap();
        let b = start("", "", &mut s);
        assert_eq!(b.doc, default_scenario());
        let n = b.notice.unwrap();
        assert_eq!(n.level, NoticeLevel::Warning);
        assert!(n.text.contains(CORRUPT_KEY));
        assert!(s.get(CORRUPT_KEY).is_some());
    }

    #[test]
    fn share_link_wins_and_keeps_the_previous_autosave() {
        let mut s = MemoryStore::default();
        store::save(&mut s, &doc::to_json(&default_scenario())).unwrap();
        let hash = share_fragment(&edited(), None);
        let b = start(&hash, "", &mut s);
        assert_eq!(b.doc, edited());
        assert!(b.notice.unwrap().text.contains(PREVIOUS_KEY));
        assert!(s.get(PREVIOUS_KEY).is_some());
    }

    #[test]
    fn bad_share_link_falls_back_with_an_error() {
        let mut s = MemoryStore::default();
        store::save(&mut s, &doc::to_json(&edited())).unwrap();
        let b = start("#s=1.AAAA", "", &mut s);
        assert_eq!(b.doc.name, "edited workspace");
        assert_eq!(b.notice.unwrap().level, NoticeLevel::Error);
        // a valid payload that is not a scenario is rejected field by field
        let hash = format!("#s={}", codec::encode("{\"version\": 2, \"name\": 5}"));
        let b = start(&hash, "", &mut MemoryStore::default());
        assert!(b.notice.unwrap().text.contains("could not be opened"));
    }

    #[test]
    fn embed_flag_is_read_from_hash_or_query() {
        let hash = share_fragment(&edited(), Some(EmbedMode::ReadOnly));
        let b = start(&hash, "", &mut MemoryStore::default());
        assert_eq!(b.embed, Some(EmbedMode::ReadOnly));
        assert_eq!(b.notice, None);
        assert_eq!(
            start("", "?embed=edit", &mut MemoryStore::default()).embed,
            Some(EmbedMode::Editable)
        );
    }
}
