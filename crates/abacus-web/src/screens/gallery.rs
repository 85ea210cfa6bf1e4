//! The Gallery screen: use cases by seed, the workshop challenges with the attendee's own
//! progress (open or resume, start over, the worked solution) and the template library
//! (a template is added to the workspace as a policy).
//!
//! The gallery is fetched (`gallery.json`) when this screen first opens, and again on "Try
//! again" after a failure; the bundle is kept in the state, so it is fetched once.

use crate::components::gallery::{gallery, GalleryProps};
use crate::context::Store;
use crate::gallery_load::GalleryLoad;
use crate::state::{Action, Notice};
use crate::{challenge, doc, platform};
use std::rc::Rc;
use yew::prelude::*;

/// The Gallery screen.
#[component]
pub fn GalleryScreen() -> Html {
    let store = use_context::<Store>();
    // fetched when the screen first opens (or is asked for again)
    {
        let wanted = store
            .as_ref()
            .is_some_and(|s| matches!(s.gallery, GalleryLoad::NotRequested));
        let dispatch = store.as_ref().map(Store::dispatcher);
        use_effect_with(wanted, move |wanted| {
            if let (true, Some(dispatch)) = (*wanted, dispatch) {
                dispatch.dispatch(Action::GalleryRequested);
                platform::load_gallery(move |result| {
                    dispatch.dispatch(match result {
                        Ok(loaded) => Action::GalleryLoaded(Rc::new(loaded)),
                        Err(why) => Action::GalleryFailed(why),
                    })
                });
            }
        });
    }
    let Some(store) = store else {
        return Html::default();
    };
    let loaded = store.gallery.ready().cloned();
    let entry = {
        let loaded = loaded.clone();
        move |id: &str| {
            loaded
                .as_ref()
                .and_then(|l| l.bundle.gallery.get(id).cloned())
        }
    };
    let on_open = {
        let dispatch = store.dispatcher();
        let progress = store.progress.clone();
        let entry = entry.clone();
        Callback::from(move |id: String| {
            let opened = entry(&id)
                .ok_or_else(|| "this gallery entry is gone: reload the page".to_owned())
                .and_then(|e| challenge::open(&e, &progress));
            dispatch.dispatch(match opened {
                Ok((d, message)) => Action::OpenOwn(Box::new(d), Some(Notice::info(message))),
                Err(e) => Action::Notify(Some(Notice::error(e))),
            })
        })
    };
    let on_start_over = {
        let dispatch = store.dispatcher();
        let entry = entry.clone();
        Callback::from(move |id: String| {
            dispatch.dispatch(Action::ForgetAttempt(id.clone()));
            match entry(&id).map(|e| challenge::shipped(&e).map(|d| (d, e.title))) {
                Some(Ok((d, title))) => dispatch.dispatch(Action::OpenOwn(
                    Box::new(d),
                    Some(Notice::info(format!("started “{title}” over"))),
                )),
                Some(Err(e)) => dispatch.dispatch(Action::Notify(Some(Notice::error(e)))),
                None => {}
            }
        })
    };
    let on_template = {
        let dispatch = store.dispatcher();
        let d = store.doc.clone();
        let loaded = loaded.clone();
        Callback::from(move |id: String| {
            let Some(l) = loaded.as_ref() else { return };
            match doc::policy_from_template(&d, &l.bundle.library, &id) {
                Ok(p) => dispatch.dispatch(Action::AddPolicy(p)),
                Err(e) => dispatch.dispatch(Action::Notify(Some(Notice::error(e)))),
            }
        })
    };
    let on_solution = {
        let dispatch = store.dispatcher();
        Callback::from(move |id: String| {
            let shipped = entry(&id)
                .ok_or_else(|| "this gallery entry is gone: reload the page".to_owned())
                .and_then(|e| challenge::shipped(&e));
            let solved = shipped
                .as_ref()
                .map_err(Clone::clone)
                .and_then(challenge::with_solution);
            match (shipped, solved) {
                (Ok(shipped), Ok(d)) => {
                    // "Back to my attempt" needs an attempt: the shipped one, if none
                    dispatch.dispatch(Action::KeepAttempt(Box::new(shipped)));
                    dispatch.dispatch(Action::OpenOwn(
                        Box::new(d),
                        Some(Notice::info("showing the worked solution; your own attempt is kept: “Back to my attempt” returns to it")),
                    ));
                }
                (Err(e), _) | (_, Err(e)) => {
                    dispatch.dispatch(Action::Notify(Some(Notice::error(e))))
                }
            }
        })
    };
    html! {
        <main style="display:contents">
            { gallery(&GalleryProps {
                load: store.gallery.clone(),
                on_open,
                on_template,
                on_solution,
                on_start_over,
                on_retry: store.callback(|_| Action::GalleryRetry),
                on_course: {
                    let loaded = loaded.clone();
                    let dispatch = store.dispatcher();
                    Callback::from(move |i: usize| {
                        if let Some(c) = loaded.as_ref().and_then(|l| l.courses.get(i)) {
                            dispatch.dispatch(Action::OpenCourse(c.clone(), None));
                        }
                    })
                },
                progress: store.progress.clone(),
            }) }
        </main>
    }
}
