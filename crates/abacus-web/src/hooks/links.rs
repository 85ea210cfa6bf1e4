//! Share links: the one in the URL at startup (the browser inflates it, then it opens), one
//! pasted into the open tab later, a document that waits for reference data before it can
//! open, and the embed's "Open in Abacus" link, compressed once per document change.

use crate::context::Store;
use crate::platform;
use crate::startup::{Boot, Pending};
use crate::state::Action;
use abacus_reference::ServiceStatus;
use std::rc::Rc;
use yew::prelude::*;

/// Where the links stand, for the shell to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Links {
    /// A document waiting for reference data (its services are loaded first).
    pub pending: Option<Pending>,
    /// The embed's link asked for a document that could not be opened.
    pub broken: bool,
    /// The link in the URL is still being inflated.
    pub decoding: bool,
    /// The embed's "Open in Abacus" link (empty until compressed).
    pub open_link: AttrValue,
}

/// Opens links as they come and as the reference data they wait for arrives.
#[hook]
pub fn use_links(store: &Store, boot: &Rc<Boot>) -> Links {
    let embed = boot.embed;
    let embed_broken = use_state(|| boot.broken);
    // a share link or autosave naming services not loaded yet opens once they are
    let pending = use_state(|| boot.pending.clone());
    {
        let dispatch = store.dispatcher();
        let pending = pending.clone();
        let embed_broken = embed_broken.clone();
        let (unavailable, index_failed) = (store.unavailable.clone(), store.index_failed);
        use_effect_with(
            (
                store.reference,
                unavailable,
                index_failed,
                (*pending).clone(),
            ),
            move |(_, unavailable, index_failed, _)| {
                let Some(waiting) = (*pending).clone() else {
                    return;
                };
                let current = abacus_reference::current();
                let settled = |p: &str| {
                    unavailable.contains(p)
                        || match current.status(p) {
                            ServiceStatus::Loaded | ServiceStatus::Unknown => true,
                            ServiceStatus::NotLoaded => false,
                            ServiceStatus::NoIndex => *index_failed,
                        }
                };
                if let Some(b) = platform::resume(&waiting, embed.is_some(), settled) {
                    pending.set(None);
                    embed_broken.set(embed.is_some() && b.broken);
                    dispatch.dispatch(if b.linked {
                        Action::Load(Box::new(b.doc), b.notice)
                    } else {
                        Action::OpenOwn(Box::new(b.doc), b.notice)
                    });
                }
            },
        );
    }
    // a link pasted into the open tab
    {
        let dispatch = store.dispatcher();
        let pending = pending.clone();
        use_effect_with((), move |_| {
            let listener =
                platform::on_hash_change(embed.is_some(), move |followed| match followed {
                    // a link waiting for reference data opens later; the workspace stays till then
                    Ok(b) if b.pending.is_some() => {
                        pending.set(b.pending);
                        dispatch.dispatch(Action::Notify(b.notice));
                    }
                    Ok(Boot {
                        course: Some(course),
                        notice,
                        ..
                    }) => dispatch.dispatch(Action::OpenCourse(course, notice)),
                    Ok(b) => dispatch.dispatch(Action::Load(Box::new(b.doc), b.notice)),
                    Err(n) => dispatch.dispatch(Action::Notify(Some(n))),
                });
            move || drop(listener)
        });
    }
    // the embed's "Open in Abacus" link compresses the whole document: once per change
    let open_link = use_state(String::new);
    {
        let open_link = open_link.clone();
        let d = store.doc.clone();
        // not for the placeholder shown while the embed's own link is being decoded
        let placeholder = boot.decoding.is_some() && store.revision == 0;
        use_effect_with((embed.is_some(), store.revision), move |(embedded, _)| {
            if *embedded && !placeholder {
                platform::full_app_link_later(d, move |link| open_link.set(link));
            }
        });
    }
    // a share link in the URL: the browser inflates it, then it opens
    let decoding = use_state(|| boot.decoding.is_some());
    {
        let dispatch = store.dispatcher();
        let pending = pending.clone();
        let embed_broken = embed_broken.clone();
        let decoding = decoding.clone();
        let started = boot.decoding.clone();
        use_effect_with((), move |_| {
            if let Some(started) = started {
                platform::open_link(started, move |b| {
                    embed_broken.set(b.broken);
                    decoding.set(false);
                    if b.pending.is_some() {
                        pending.set(b.pending);
                        dispatch.dispatch(Action::Notify(b.notice));
                    } else if let Some(course) = b.course {
                        dispatch.dispatch(Action::OpenCourse(course, b.notice));
                    } else if b.linked {
                        dispatch.dispatch(Action::Load(Box::new(b.doc), b.notice));
                    } else {
                        // a broken link fell back to the visitor's own autosave
                        dispatch.dispatch(Action::OpenOwn(Box::new(b.doc), b.notice));
                    }
                });
            }
        });
    }
    Links {
        pending: (*pending).clone(),
        broken: *embed_broken,
        decoding: *decoding,
        open_link: AttrValue::from((*open_link).clone()),
    }
}
