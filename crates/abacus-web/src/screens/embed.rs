//! The embed (`#embed&s=…` or `#embed=edit&s=…` in a docs page's `<iframe>`): no app chrome,
//! the workspace's editor, explanation and decision panels, read-only or editable, and an
//! "Open in Abacus" link. While the link is being inflated it says so; a link that could
//! not be opened shows why in place of any example, so a docs page never shows the wrong
//! content.

use super::workspace::{decision_and_request, editor_panel, lower_panel, use_action_picker};
use crate::chrome::message_bar::MessageBar;
use crate::codec::EmbedMode;
use crate::context::{Results, Store};
use crate::doc;
use yew::prelude::*;

/// Embed properties.
#[derive(Clone, PartialEq, Properties)]
pub struct EmbedPageProps {
    /// Read-only or editable.
    pub mode: EmbedMode,
    /// The link is still being inflated.
    pub decoding: bool,
    /// The link could not be opened (the notice says why).
    pub broken: bool,
    /// The link opening this document in the full app.
    pub open_link: AttrValue,
}

/// The whole page of an embed.
#[component]
pub fn EmbedPage(props: &EmbedPageProps) -> Html {
    let (store, results) = (use_context::<Store>(), use_context::<Results>());
    let (Some(store), Some(results)) = (store, results) else {
        return Html::default();
    };
    let picker = use_action_picker(&store);
    let mode = props.mode;
    let body = if props.decoding {
        html! {
            <main class="workspace" aria-label="example" aria-busy="true">
                <h1 class="sr-only">{ "Abacus example" }</h1>
                <p role="status" data-testid="embed-opening">{ "Opening the example…" }</p>
            </main>
        }
    } else if props.broken {
        let why = store
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        html! {
            <main class="embed-broken notice error" data-testid="embed-error"><div role="alert">
                <h1>{ "This example could not be opened" }</h1>
                <p>{ why }</p>
                <p>{ "The link may have been cut when it was copied, or made by another version of Abacus. Ask the page's author for a new link." }</p>
            </div></main>
        }
    } else {
        html! {
            <>
                <main class="workspace" aria-label="example">
                    <h1 class="sr-only">{ doc::title(&store.doc) }</h1>
                    <MessageBar />
                    <div class="center">{ editor_panel(&store, &results, Some(mode)) }{ lower_panel(&store, &results) }</div>
                    { decision_and_request(&store, &results, Some(mode), picker) }
                </main>
            </>
        }
    };
    html! {
        <div class="app embed" data-testid="embed">
            { body }
            <footer class="embed-foot">
                { if mode == EmbedMode::ReadOnly { "Read-only example · " } else { "Editable example · " } }
                <a href={props.open_link.clone()} target="_blank" rel="noopener">{ "Open in Abacus" }</a>
            </footer>
        </div>
    }
}
