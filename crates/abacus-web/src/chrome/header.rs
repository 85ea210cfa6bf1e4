//! The header: the document's title, the screen tabs (an ARIA tablist: the arrow keys, Home
//! and End move between them) and the document actions (share, import, export, theme).

use crate::context::Store;
use crate::state::{Action, Notice, Screen};
use crate::{doc, platform};
use yew::prelude::*;

/// Header properties.
#[derive(Clone, PartialEq, Properties)]
pub struct HeaderProps {
    /// Where "Share link" puts the link it made (the share bar shows it).
    pub share_url: UseStateHandle<Option<String>>,
}

/// The app's header.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let store = use_context::<Store>();
    let theme = use_state(platform::current_theme);
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
    let on_share = {
        let dispatch = store.dispatcher();
        let d = store.doc.clone();
        let share_url = props.share_url.clone();
        Callback::from(move |_| {
            let (dispatch, share_url) = (dispatch.clone(), share_url.clone());
            platform::share_later((*d).clone(), move |url, notice| {
                share_url.set(url);
                dispatch.dispatch(Action::Notify(Some(notice)));
            });
        })
    };
    let on_export = {
        let d = store.doc.clone();
        store.callback(move |_| Action::Notify(Some(platform::export(&d))))
    };
    let on_import = {
        let dispatch = store.dispatcher();
        Callback::from(move |e: Event| {
            let dispatch = dispatch.clone();
            platform::import(e, move |result| match result {
                Ok(d) => dispatch.dispatch(Action::Load(
                    Box::new(d),
                    Some(Notice::info("imported the scenario file")),
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
            <button class="btn primary" data-testid="share-button" onclick={on_share}>{ "Share link" }</button>
            <label class="btn" data-testid="import-button">{ "Import" }
                <input type="file" accept="application/json,.json" class="sr-only" data-testid="import-file" onchange={on_import} />
            </label>
            <button class="btn" data-testid="export-button" onclick={on_export}>{ "Export" }</button>
            <button class="btn" data-testid="theme-button" data-theme-choice={theme.as_str()} onclick={on_theme}
                title="theme: system, light, dark (remembered)">{ format!("Theme: {}", theme.as_str()) }</button>
        </header>
    }
}
