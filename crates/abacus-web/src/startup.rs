//! What the app opens with: a share link, else the autosave, else the default scenario.
//! Pure (the URL, the link's inflated text and the storage are inputs), so every path is
//! tested natively; the browser inflates a link's payload first ([`crate::compress`]).
//!
//! A document whose actions or resource types come from services of the Service
//! Authorization Reference that are not loaded yet (the app starts with none) cannot be
//! validated at once: it is [`Pending`], the default workspace is shown for the moment, and
//! [`resume`] opens it once those services are in (or reports it as before once they are
//! known to be missing).

use crate::codec::{EmbedMode, Fragment, ShareError};
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
    /// A document waiting for reference data before it can be read.
    pub pending: Option<Pending>,
    /// Nothing was autosaved and no link was followed: the app introduces itself.
    pub first_visit: bool,
    /// The document comes from a share link (someone else's: the app never records it as
    /// the visitor's challenge attempt).
    pub linked: bool,
    /// A share link's payload is being inflated by the browser: the app shows that it is
    /// opening it, and finishes the boot with the decoded link.
    pub decoding: Option<Decoding>,
    /// The link asked for a document that could not be opened (an embed then shows the
    /// error in place of any example, so a docs page never shows the wrong content).
    pub broken: bool,
    /// The course being followed: from a course link (the app then opens its first step
    /// not passed yet), or kept in this browser with the autosave of one of its steps.
    pub course: Option<std::rc::Rc<abacus_studio::course::Course>>,
}

impl Boot {
    /// A boot that opens `doc` with `notice`: nothing pending or being decoded, no link, no
    /// course, not a first visit (each caller says what differs).
    fn opening(doc: Scenario, notice: Option<Notice>, embed: Option<EmbedMode>) -> Boot {
        Boot {
            doc,
            notice,
            embed,
            pending: None,
            first_visit: false,
            linked: false,
            decoding: None,
            broken: false,
            course: None,
        }
    }
}

/// The URL parts of a boot still decoding its share link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoding {
    /// `location.hash`.
    pub hash: String,
    /// `location.search`.
    pub search: String,
}

/// The boot while the browser inflates the share link of `hash` and `search`: the default
/// workspace and a note for the moment (an embed shows only that it is opening).
pub fn decoding(hash: String, search: String, embed: Option<EmbedMode>) -> Boot {
    let notice = embed
        .is_none()
        .then(|| Notice::info("opening the shared workspace…"));
    Boot {
        decoding: Some(Decoding { hash, search }),
        ..Boot::opening(default_scenario(), notice, embed)
    }
}

/// Where a deferred document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A share link.
    Share,
    /// The autosave.
    Autosave,
}

/// A document that names actions or resource types of services not loaded yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// Its JSON text.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// The services it needs.
    pub services: Vec<String>,
}

/// The services a scenario's JSON needs from the reference: the prefixes of its actions
/// (request, expectations, matrix) and resource types that the Studio catalogue lacks.
pub fn services_needed(json: &str) -> Vec<String> {
    use abacus_studio::actions::catalogue;
    let Ok(v) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    let at = |path: &[&str]| {
        path.iter()
            .try_fold(&v, |v, k| v.get(k))
            .and_then(|x| x.as_str())
    };
    let list = |path: &[&str]| {
        path.iter()
            .try_fold(&v, |v, k| v.get(k))
            .and_then(|x| x.as_array())
            .map(|a| a.iter().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut actions: Vec<&str> = at(&["selection", "action"]).into_iter().collect();
    actions.extend(
        list(&["expectations"])
            .into_iter()
            .filter_map(|e| e.get("request")?.get("action")?.as_str()),
    );
    actions.extend(
        list(&["matrix", "actions"])
            .into_iter()
            .filter_map(|a| a.as_str()),
    );
    let types = list(&["world", "resources"])
        .into_iter()
        .filter_map(|r| r.get("type")?.as_str())
        .filter(|t| catalogue().resource_type(t).is_none());
    let mut out: Vec<String> = actions
        .into_iter()
        .filter(|a| catalogue().action(a).is_none())
        .chain(types)
        .filter_map(|name| name.split_once(':'))
        .map(|(prefix, _)| prefix.to_ascii_lowercase())
        .collect();
    abacus_policy::order::sort(&mut out);
    out.dedup();
    out
}

/// `Some` when `text` failed to parse and needs services that are not loaded yet.
fn deferred(text: &str, origin: Origin) -> Option<Pending> {
    let reference = abacus_reference::current();
    let services: Vec<String> = services_needed(text);
    services
        .iter()
        .any(|p| reference.service(p).is_none())
        .then(|| Pending {
            text: text.to_owned(),
            origin,
            services,
        })
}

fn waiting(pending: Pending, embed: Option<EmbedMode>) -> Boot {
    let what = match pending.origin {
        Origin::Share => "the shared workspace",
        Origin::Autosave => "your autosaved workspace",
    };
    let notice = Notice::info(format!(
        "opening {what} once the reference data of {} is loaded…",
        pending
            .services
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Boot {
        pending: Some(pending),
        ..Boot::opening(default_scenario(), Some(notice), embed)
    }
}

/// Reads a [`Pending`] document again: `Some` when it opens, or when every service it
/// needs is settled (`settled(prefix)`: loaded, unknown, or failed to load) and it still
/// does not parse — then it is reported as any unreadable document is (a broken link, a
/// corrupt autosave moved aside). `None`: keep waiting.
pub fn resume(
    pending: &Pending,
    storage: &mut dyn KeyValue,
    settled: impl Fn(&str) -> bool,
) -> Option<Boot> {
    let embed = None;
    // the full app: the link's versions are an embed's concern only
    let parsed = doc::parse(&pending.text).map(|mut doc| {
        doc.made_with = None;
        doc
    });
    match parsed {
        Ok(doc) => {
            let notice = match pending.origin {
                Origin::Share => opened_link(&doc, storage),
                Origin::Autosave => Notice::info("reopened your autosaved workspace"),
            };
            Some(Boot {
                linked: pending.origin == Origin::Share,
                ..Boot::opening(doc, Some(notice), embed)
            })
        }
        Err(_) if !pending.services.iter().all(|p| settled(p)) => None,
        Err(e) => Some(match pending.origin {
            Origin::Share => Boot {
                broken: true,
                ..Boot::opening(
                    default_scenario(),
                    Some(Notice::error(format!(
                        "the share link could not be opened: {e}"
                    ))),
                    embed,
                )
            },
            Origin::Autosave => {
                let notice = match store::restore(storage, doc::parse) {
                    Restored::Recovered { message } => Notice::warning(message),
                    _ => Notice::error(e),
                };
                Boot::opening(default_scenario(), Some(notice), embed)
            }
        }),
    }
}

/// Opening a shared document: the autosave it replaces is copied to [`PREVIOUS_KEY`] first
/// (unless it holds that same document), and the notice says where.
fn opened_link(doc: &Scenario, storage: &mut dyn KeyValue) -> Notice {
    let mut text = "opened the shared workspace".to_owned();
    if let Some(previous) = storage.get(store::AUTOSAVE_KEY) {
        if previous != doc::to_json(doc) {
            match storage.set(PREVIOUS_KEY, &previous) {
                Ok(()) => text.push_str(&format!(
                    "; your previous autosave is kept in localStorage under `{}`",
                    storage.name(PREVIOUS_KEY)
                )),
                Err(e) => {
                    return Notice::warning(format!(
                        "{text}, but your previous autosave could not be kept ({e}): export it now from another tab if you need it"
                    ))
                }
            }
        }
    }
    Notice::info(text)
}

/// A share link's payload as the browser decoded it: the document's JSON text, or why it
/// could not be read.
pub type Link = Result<String, ShareError>;

/// The document of a share link (`link`, decoded), or one waiting for reference data, or the
/// error to show. Outside embeds the autosave it replaces is kept (see [`opened_link`]).
fn open_share(
    link: Link,
    embed: Option<EmbedMode>,
    storage: &mut dyn KeyValue,
) -> Result<Boot, Notice> {
    let json = link.map_err(|e| e.to_string());
    if let Some(text) = json
        .as_ref()
        .ok()
        .filter(|j| abacus_studio::course::is_course(j))
    {
        return open_course_link(text, embed, storage);
    }
    if let Some(pending) = json
        .as_ref()
        .ok()
        .filter(|j| doc::parse(j).is_err())
        .and_then(|j| deferred(j, Origin::Share))
    {
        return Ok(waiting(pending, embed));
    }
    match json.and_then(|json| doc::parse(&json)) {
        Ok(mut doc) => {
            // only an embed says whether its example went stale: the opened workspace is
            // the visitor's own now, and saves without the link's versions
            if embed.is_none() {
                doc.made_with = None;
            }
            let notice = embed.is_none().then(|| opened_link(&doc, storage));
            Ok(Boot {
                linked: true,
                ..Boot::opening(doc, notice, embed)
            })
        }
        Err(e) => Err(Notice::error(format!(
            "the share link could not be opened: {e}"
        ))),
    }
}

/// A course's link: the full app follows it from its first step (an embed cannot: it shows
/// one example). The autosave it replaces is kept as for any link.
fn open_course_link(
    text: &str,
    embed: Option<EmbedMode>,
    storage: &mut dyn KeyValue,
) -> Result<Boot, Notice> {
    if embed.is_some() {
        return Err(Notice::error(
            "this link holds a course, which opens in the full app, step by step: embed one step's scenario instead",
        ));
    }
    let course = abacus_studio::course::Course::from_json(text).map_err(|e| {
        Notice::error(format!(
            "the course in the link could not be opened: {}",
            doc::describe(&e)
        ))
    })?;
    let doc = course
        .step_document(0)
        .ok_or_else(|| Notice::error("the course in the link has no steps"))?;
    let notice = opened_link(&doc, storage);
    Ok(Boot {
        course: Some(std::rc::Rc::new(course)),
        ..Boot::opening(doc, Some(notice), embed)
    })
}

/// A share link pasted into the open tab (a hash change): `None` when the URL holds no
/// link; `Err` with the notice to show when the link is broken (the current workspace
/// stays); otherwise what to open, as [`start`] opens a link (the previous autosave is
/// kept; a document waiting for reference data comes back `pending`).
///
/// `link` is the decoded payload of the URL's `#s=…` (`None` when there is none).
pub fn follow_link(
    hash: &str,
    search: &str,
    link: Option<Link>,
    storage: &mut dyn KeyValue,
) -> Option<Result<Boot, Notice>> {
    let fragment = Fragment::parse(hash, search);
    let link = link?;
    let mut scratch = crate::store::MemoryStore::default();
    let storage = if fragment.embed.is_some() {
        &mut scratch
    } else {
        storage
    };
    Some(open_share(link, fragment.embed, storage))
}

/// Decides the starting document from the URL parts, the decoded payload of its `#s=…`
/// (`link`, `None` when there is none) and the storage.
///
/// An embed never reads or writes `storage` (the framing page must not see the visitor's
/// workspace): without a readable link it opens the default example with an error.
pub fn start(hash: &str, search: &str, link: Option<Link>, storage: &mut dyn KeyValue) -> Boot {
    let fragment = Fragment::parse(hash, search);
    let embed = fragment.embed;
    let mut scratch = crate::store::MemoryStore::default();
    let storage = if embed.is_some() {
        &mut scratch
    } else {
        storage
    };
    let mut notices: Vec<Notice> = Vec::new();
    if embed.is_some() && link.is_none() {
        notices.push(Notice::error(
            "this embed names no scenario: its address needs `#embed&s=…` with a share link's payload",
        ));
    }
    if let Some(link) = link {
        match open_share(link, embed, storage) {
            Ok(boot) => return boot,
            Err(notice) => notices.push(notice),
        }
    }
    if notices.is_empty() {
        if let Some(pending) = storage
            .get(store::AUTOSAVE_KEY)
            .filter(|t| doc::parse(t).is_err())
            .and_then(|t| deferred(&t, Origin::Autosave))
        {
            return waiting(pending, embed);
        }
    }
    let broken = embed.is_some() && !notices.is_empty();
    let mut first_visit = false;
    let mut course = None;
    let doc = match store::restore(storage, doc::parse) {
        Restored::Document(doc) => {
            course = crate::course_nav::load(storage, &doc);
            doc
        }
        Restored::Empty => {
            first_visit = notices.is_empty() && embed.is_none();
            default_scenario()
        }
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
    Boot {
        first_visit,
        broken,
        course,
        ..Boot::opening(doc, notice, embed)
    }
}

/// The `#s=…` fragment of a share `payload` (see [`crate::codec::wrap`]; the document's
/// pretty JSON, deflated: indentation costs next to nothing once compressed, and one
/// serializer keeps the wasm smaller).
pub fn share_fragment(payload: String, embed: Option<EmbedMode>) -> String {
    Fragment {
        share: Some(payload),
        embed,
        present: false,
    }
    .to_hash()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::testing::{decode, encode};
    use crate::state::NoticeLevel;
    use crate::store::{MemoryStore, AUTOSAVE_KEY, CORRUPT_KEY};

    /// The fragment the app writes to share `doc` (deflated as the browser would).
    fn share_fragment(doc: &Scenario, embed: Option<EmbedMode>) -> String {
        super::share_fragment(encode(&doc::to_json(doc)), embed)
    }

    /// What the app decodes from the URL's `#s=…` before starting.
    fn link_of(hash: &str, search: &str) -> Option<Link> {
        Fragment::parse(hash, search).share.map(|p| decode(&p))
    }

    fn start(hash: &str, search: &str, storage: &mut dyn KeyValue) -> Boot {
        super::start(hash, search, link_of(hash, search), storage)
    }

    fn follow_link(
        hash: &str,
        search: &str,
        storage: &mut dyn KeyValue,
    ) -> Option<Result<Boot, Notice>> {
        super::follow_link(hash, search, link_of(hash, search), storage)
    }

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
        assert!(b.first_visit, "a first visit is introduced");
        let mut s = MemoryStore::default();
        store::save(&mut s, &doc::to_json(&edited())).unwrap();
        assert!(!start("", "", &mut s).first_visit);
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
    fn the_versions_a_link_was_made_with_stay_with_embeds_only() {
        let mut shared = edited();
        shared.made_with = Some(abacus_studio::scenario::MadeWith::now("data"));
        let hash = share_fragment(&shared, None);
        assert_eq!(
            start(&hash, "", &mut MemoryStore::default()).doc.made_with,
            None
        );
        let embed = share_fragment(&shared, Some(EmbedMode::ReadOnly));
        assert_eq!(
            start(&embed, "", &mut MemoryStore::default()).doc.made_with,
            shared.made_with
        );
    }

    #[test]
    fn share_link_wins_and_keeps_the_previous_autosave() {
        let mut s = MemoryStore::default();
        store::save(&mut s, &doc::to_json(&default_scenario())).unwrap();
        let hash = share_fragment(&edited(), None);
        let b = start(&hash, "", &mut s);
        assert_eq!(b.doc, edited());
        assert!(b.linked, "a link is someone else's document");
        assert!(
            !start("", "", &mut s).linked,
            "the autosave is the visitor's own"
        );
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
        let hash = format!("#s={}", encode("{\"version\": 2, \"name\": 5}"));
        let b = start(&hash, "", &mut MemoryStore::default());
        assert!(b.notice.unwrap().text.contains("could not be opened"));
    }

    #[test]
    fn a_link_opened_in_the_same_tab_keeps_the_previous_autosave() {
        let mut s = MemoryStore::default();
        store::save(&mut s, &doc::to_json(&default_scenario())).unwrap();
        assert_eq!(follow_link("", "", &mut s), None);
        assert_eq!(follow_link("#embed", "", &mut s), None);
        let b = follow_link(&share_fragment(&edited(), None), "", &mut s)
            .unwrap()
            .unwrap();
        assert_eq!(b.doc, edited());
        assert!(b.notice.unwrap().text.contains(PREVIOUS_KEY));
        assert_eq!(s.get(PREVIOUS_KEY), Some(doc::to_json(&default_scenario())));
        // a broken link is an error to show, and nothing is touched
        let mut s = MemoryStore::default();
        s.set(AUTOSAVE_KEY, "junk").unwrap();
        let n = follow_link("#s=1.AAAA", "", &mut s).unwrap().unwrap_err();
        assert_eq!(n.level, NoticeLevel::Error);
        assert!(n.text.contains("could not be opened"), "{}", n.text);
        assert_eq!((s.get(PREVIOUS_KEY), s.get(CORRUPT_KEY)), (None, None));
        // when the copy cannot be made, the user is warned before the autosave is replaced
        let mut s = MemoryStore::default();
        store::save(&mut s, "older").unwrap();
        s.fail_writes = Some("quota exceeded".into());
        let b = follow_link(&share_fragment(&edited(), None), "", &mut s)
            .unwrap()
            .unwrap();
        let n = b.notice.unwrap();
        assert_eq!(n.level, NoticeLevel::Warning);
        assert!(n.text.contains("quota exceeded"), "{}", n.text);
    }

    #[test]
    fn embeds_never_read_or_write_the_autosave() {
        let mut s = MemoryStore::default();
        store::save(&mut s, &doc::to_json(&edited())).unwrap();
        for hash in ["#embed", "#embed&s=1.AAAA", "#embed=edit"] {
            let b = start(hash, "", &mut s);
            assert_eq!(
                b.doc,
                default_scenario(),
                "{hash}: not the visitor's workspace"
            );
            assert!(b.broken, "{hash}: the embed shows the error in place");
            assert_eq!(b.notice.unwrap().level, NoticeLevel::Error, "{hash}");
        }
        for hash in [
            "#embed&s=1.AAA",
            "#embed&s=0.AAAA",
            "#embed&s=9.AAAA",
            "#embed&s=%%%",
        ] {
            assert!(start(hash, "", &mut s).broken, "{hash}");
        }
        assert!(
            !start(
                &share_fragment(&edited(), Some(EmbedMode::ReadOnly)),
                "",
                &mut s
            )
            .broken
        );
        let b = start("", "?embed", &mut s);
        assert!(b.notice.unwrap().text.contains("names no scenario"));
        // a corrupt autosave is neither read nor moved aside by an embed
        let mut s = MemoryStore::default();
        s.set(AUTOSAVE_KEY, "junk").unwrap();
        let b = start("#embed&s=1.AAAA", "", &mut s);
        assert!(b
            .notice
            .unwrap()
            .text
            .contains("share link could not be opened"));
        assert_eq!(s.get(CORRUPT_KEY), None);
        // a valid embedded link writes no previous copy either
        let hash = share_fragment(&default_scenario(), Some(EmbedMode::Editable));
        assert_eq!(start(&hash, "", &mut s).doc, default_scenario());
        assert_eq!(s.get(PREVIOUS_KEY), None);
        let hash = share_fragment(&edited(), Some(EmbedMode::ReadOnly));
        let b = follow_link(&hash, "", &mut s).unwrap().unwrap();
        assert_eq!((b.doc, b.notice), (edited(), None));
        assert_eq!(s.get(PREVIOUS_KEY), None);
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

    fn with_action(action: &str) -> String {
        let mut d = default_scenario();
        d.selection.action = action.into();
        d.selection.resource = None;
        doc::to_json(&d)
    }

    #[test]
    fn documents_needing_unloaded_services_wait_for_them() {
        // a prefix no registry holds, even a native workspace build that bundles every
        // service of the reference
        let text = with_action("nosuchsvc:DescribeInstances");
        assert_eq!(services_needed(&text), ["nosuchsvc"]);
        assert!(services_needed(&doc::to_json(&default_scenario())).is_empty());
        let mut s = MemoryStore::default();
        s.set(AUTOSAVE_KEY, &text).unwrap();
        let b = start("", "", &mut s);
        let pending = b.pending.clone().unwrap();
        assert_eq!(pending.origin, Origin::Autosave);
        assert!(b.notice.unwrap().text.contains("`nosuchsvc`"));
        assert_eq!(s.get(CORRUPT_KEY), None, "not treated as corrupt");
        // still loading: wait
        assert!(resume(&pending, &mut s, |_| false).is_none());
        // settled but still unreadable (ec2 failed to load): reported as a corrupt autosave
        let b = resume(&pending, &mut s, |_| true).unwrap();
        assert_eq!(b.notice.unwrap().level, NoticeLevel::Warning);
        assert_eq!(s.get(CORRUPT_KEY).as_deref(), Some(text.as_str()));
        // a share link waits the same way
        let hash = format!("#s={}", encode(&text));
        let b = start(&hash, "", &mut MemoryStore::default());
        assert_eq!(b.pending.map(|p| p.origin), Some(Origin::Share));
    }

    #[test]
    fn a_waiting_document_opens_once_its_service_is_loaded() {
        abacus_reference::install_service(include_str!(
            "../../abacus-reference/data/services/s3.json"
        ))
        .unwrap();
        let text = with_action("s3:GetObjectTagging");
        let pending = Pending {
            text: text.clone(),
            origin: Origin::Autosave,
            services: vec!["s3".into()],
        };
        let b = resume(&pending, &mut MemoryStore::default(), |_| false).unwrap();
        assert_eq!(b.doc.selection.action, "s3:GetObjectTagging");
        assert_eq!(b.notice.unwrap().level, NoticeLevel::Info);
        // a waiting share link keeps the previous autosave once it opens, as at startup
        let mut s = MemoryStore::default();
        store::save(&mut s, "older").unwrap();
        let shared = Pending {
            origin: Origin::Share,
            ..pending
        };
        let b = resume(&shared, &mut s, |_| false).unwrap();
        assert!(b.notice.unwrap().text.contains(PREVIOUS_KEY));
        assert_eq!(s.get(PREVIOUS_KEY).as_deref(), Some("older"));
    }

    #[test]
    fn a_course_link_opens_its_first_step_and_a_reload_comes_back_to_the_course() {
        let text = include_str!("../../../courses/studio-abac.json");
        let mut storage = MemoryStore::default();
        storage
            .set(AUTOSAVE_KEY, &edited().to_json_pretty())
            .unwrap();
        let boot = super::start("#s=x", "", Some(Ok(text.to_owned())), &mut storage);
        let course = boot.course.clone().expect("a course");
        assert_eq!(boot.doc, course.step_document(0).unwrap());
        assert!(!boot.linked, "the attendee's own work from now on");
        assert!(boot.notice.unwrap().text.contains(PREVIOUS_KEY));
        // an embed cannot follow a course
        let embedded = super::start(
            "#embed&s=x",
            "",
            Some(Ok(text.to_owned())),
            &mut MemoryStore::default(),
        );
        assert!(embedded.course.is_none() && embedded.broken);
        assert!(embedded
            .notice
            .unwrap()
            .text
            .contains("opens in the full app"));
        // the autosave of a step, with the course kept: the reload follows the course again
        let (step, _) = crate::course_nav::open_step(&course, 1, &Default::default()).unwrap();
        let mut storage = MemoryStore::default();
        storage.set(AUTOSAVE_KEY, &step.to_json_pretty()).unwrap();
        crate::course_nav::save(&mut storage, Some(&course)).unwrap();
        let reloaded = super::start("", "", None, &mut storage);
        assert_eq!(reloaded.doc, step);
        assert_eq!(reloaded.course.as_deref(), Some(&*course));
    }
}
