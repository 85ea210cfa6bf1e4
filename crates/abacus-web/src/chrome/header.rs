//! The header: the document's title, the screen tabs (an ARIA tablist: the arrow keys, Home
//! and End move between them) and the document actions (share, import, export, theme).

use crate::context::Store;
use crate::course_nav::Opened;
use crate::state::{Action, Notice, Screen};
use crate::{doc, platform};
use std::rc::Rc;
use yew::prelude::*;

/// The `source` of a scenario made by importing AWS exports.
pub const IMPORTED: &str = "import";

/// Header properties.
#[derive(Clone, PartialEq, Properties)]
pub struct HeaderProps {
    /// Where "Share link" puts the link it made (the share bar shows it).
    pub share_url: UseStateHandle<Option<String>>,
    /// Presenter mode: the header offers Reset (start over: nothing is kept).
    #[prop_or_default]
    pub presenter: bool,
}

/// The app's header.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let store = use_context::<Store>();
    let theme = use_state(platform::current_theme);
    let warning = use_state(|| false);
    let Some(store) = store else {
        return Html::default();
    };
    let tabs = Screen::ALL.iter().map(|&s| {
        let selected = store.screen == s;
        html! {
            <button role="tab" aria-selected={selected.to_string()} data-testid={s.testid()}
                tabindex={if selected { "0" } else { "-1" }}
                onclick={store.callback(move |_| Action::Show(s))}>{ s.label() }</button>
        }
    });
    // arrow keys move between the screen tabs (the ARIA tabs pattern)
    let on_tabs_key = {
        let dispatch = store.dispatcher();
        let current = store.screen;
        Callback::from(move |e: KeyboardEvent| {
            let at = Screen::ALL.iter().position(|s| *s == current).unwrap_or(0);
            let n = Screen::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % n,
                "ArrowLeft" => (at + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            if let Some(&screen) = Screen::ALL.get(next) {
                dispatch.dispatch(Action::Show(screen));
                platform::focus(screen.tab_selector());
            }
        })
    };
    // shares `doc` (the document, or its anonymised copy)
    let share = {
        let dispatch = store.dispatcher();
        let share_url = props.share_url.clone();
        Rc::new(move |doc: abacus_studio::scenario::Scenario| {
            let (dispatch, share_url) = (dispatch.clone(), share_url.clone());
            platform::share_later(doc, move |url, notice| {
                share_url.set(url);
                dispatch.dispatch(Action::Notify(Some(notice)));
            });
        })
    };
    // an imported account's link holds its data: ask first
    let imported = store.doc.source == IMPORTED;
    let on_share = {
        let (share, d, warning) = (share.clone(), store.doc.clone(), warning.clone());
        Callback::from(move |_| {
            if imported {
                warning.set(true);
                platform::focus("[data-testid=share-anonymised]");
            } else {
                share((*d).clone());
            }
        })
    };
    let on_anonymised = {
        let (share, d, warning, dispatch) = (
            share.clone(),
            store.doc.clone(),
            warning.clone(),
            store.dispatcher(),
        );
        Callback::from(move |_| {
            warning.set(false);
            match abacus_account::anonymise::anonymise(&d) {
                Ok((mut anon, _)) => {
                    anon.source = format!("{IMPORTED} (anonymised)");
                    share(anon);
                }
                Err(e) => dispatch.dispatch(Action::Notify(Some(Notice::error(e)))),
            }
        })
    };
    let on_as_is = {
        let (share, d, warning) = (share.clone(), store.doc.clone(), warning.clone());
        Callback::from(move |_| {
            warning.set(false);
            share((*d).clone());
        })
    };
    let on_cancel = {
        let warning = warning.clone();
        Callback::from(move |_| {
            warning.set(false);
            platform::focus("[data-testid=share-button]");
        })
    };
    let share_warning = (*warning && imported).then(|| {
        html! {
            <div class="share-warning" role="alertdialog" aria-modal="false" aria-labelledby="share-warning-title" aria-describedby="share-warning-text" data-testid="share-warning">
                <b id="share-warning-title">{ "This link would hold account data" }</b>
                <p id="share-warning-text">{ "The workspace was imported from a real account: a link carries its account id, role and user names and its policies to whoever opens it. Anonymise replaces the account id and every name, consistently, in a copy (the workspace is kept as it is)." }</p>
                <div class="row">
                    <button class="btn primary" data-testid="share-anonymised" onclick={on_anonymised}>{ "Anonymise, then share" }</button>
                    <button class="btn" data-testid="share-as-is" onclick={on_as_is}>{ "Share as is" }</button>
                    <button class="btn" data-testid="share-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                </div>
            </div>
        }
    });
    let on_export = {
        let d = store.doc.clone();
        store.callback(move |_| Action::Notify(Some(platform::export(&d))))
    };
    let on_import = {
        let dispatch = store.dispatcher();
        Callback::from(move |e: Event| {
            let dispatch = dispatch.clone();
            platform::import(e, move |result| match result {
                Ok(Opened::Scenario(d)) => dispatch.dispatch(Action::Load(
                    d,
                    Some(Notice::info("imported the scenario file")),
                )),
                Ok(Opened::Course(c)) => dispatch.dispatch(Action::OpenCourse(
                    c,
                    Some(Notice::info("opened the course file")),
                )),
                Err(msg) => dispatch.dispatch(Action::Notify(Some(Notice::error(msg)))),
            });
        })
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |_| theme.set(platform::cycle_theme()))
    };
    html! {
        <header class="topbar">
            <div class="brand">{ "Abacus" }<small>{ doc::title(&store.doc) }</small></div>
            <nav class="tabs" role="tablist" aria-label="screens" onkeydown={on_tabs_key}>{ for tabs }</nav>
            <span class="spacer"></span>
            if props.presenter {
                <button class="btn" data-testid="presenter-reset" title="start this example over (presenter mode keeps nothing)"
                    onclick={Callback::from(|_| platform::reload())}>{ "Reset" }</button>
            }
            <button class="btn primary" data-testid="share-button" onclick={on_share}>{ "Share link" }</button>
            <label class="btn" data-testid="import-button">{ "Import" }
                <input type="file" accept="application/json,.json" class="sr-only" data-testid="import-file" onchange={on_import} />
            </label>
            <button class="btn" data-testid="export-button" onclick={on_export}>{ "Export" }</button>
            <button class="btn" data-testid="theme-button" data-theme-choice={theme.as_str()} onclick={on_theme}
                title="theme: system, light, dark (remembered)">{ format!("Theme: {}", theme.as_str()) }</button>
            { share_warning.unwrap_or_default() }
        </header>
    }
}
