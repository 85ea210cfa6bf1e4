//! The share bar, shown after "Share link": the link and the `<iframe>` snippet of an embed
//! in labelled fields, each with a copy button, and "editable embed" to switch the snippet
//! to `#embed=edit`.

use crate::context::Store;
use crate::platform;
use crate::state::{Action, Notice};
use yew::prelude::*;

/// Share bar properties.
#[derive(Clone, PartialEq, Properties)]
pub struct ShareBarProps {
    /// The link shown (the bar is closed when there is none); closing the bar clears it.
    pub url: UseStateHandle<Option<String>>,
}

/// The share bar. Always mounted in the full app, so that the "editable embed" choice
/// outlives the bar being closed.
#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let store = use_context::<Store>();
    let embed_editable = use_state(|| false);
    let (Some(store), Some(url)) = (store, props.url.as_ref()) else {
        return Html::default();
    };
    let snippet = format!(
        "<iframe src=\"{}\" width=\"100%\" height=\"560\" title=\"Abacus example\" data-abacus></iframe>",
        url.replacen(
            "#s=",
            if *embed_editable {
                "#embed=edit&s="
            } else {
                "#embed&s="
            },
            1
        )
    );
    let copy = |text: String, what: &'static str| {
        store.callback(move |_| {
            platform::copy_text(&text);
            Action::Notify(Some(Notice::info(format!(
                "{what} copied to the clipboard"
            ))))
        })
    };
    let on_editable = {
        let embed_editable = embed_editable.clone();
        Callback::from(move |_| embed_editable.set(!*embed_editable))
    };
    let close = {
        let url = props.url.clone();
        Callback::from(move |_| url.set(None))
    };
    html! {
        <section class="share-bar" aria-label="share" data-testid="share-bar">
            <label class="field">{ "Share link" }
                <input class="mono" readonly=true value={url.clone()} data-testid="share-url" /></label>
            <button class="btn small" onclick={copy(url.clone(), "the link")} data-testid="copy-link">{ "Copy link" }</button>
            <label class="field">{ "Embed in a docs page" }
                <input class="mono" readonly=true value={snippet.clone()} data-testid="embed-snippet" /></label>
            <button class="btn small" onclick={copy(snippet, "the embed snippet")} data-testid="copy-snippet">{ "Copy snippet" }</button>
            <label><input type="checkbox" checked={*embed_editable} onchange={on_editable} data-testid="embed-editable" />{ " editable embed" }</label>
            <button class="btn small" aria-label="close the share bar" onclick={close}>{ "✕" }</button>
        </section>
    }
}
