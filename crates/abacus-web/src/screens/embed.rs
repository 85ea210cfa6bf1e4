//! The embed (`#embed&s=…` or `#embed=edit&s=…` in a docs page's `<iframe>`): no app chrome,
//! the workspace's editor, explanation and decision panels, read-only or editable, and an
//! "Open in Abacus" link. While the link is being inflated it says so; a link that could
//! not be opened shows why in place of any example, so a docs page never shows the wrong
//! content.

use super::workspace::{decision_and_request, editor_panel, lower_panel};
use crate::chrome::message_bar::message_bar;
use crate::codec::EmbedMode;
use crate::context::Store;
use crate::derive::Derived;
use crate::doc;
use crate::hooks::links::Links;
use crate::reference::ActionPicker;
use std::rc::Rc;
use yew::prelude::*;

/// The whole page of an embed, read-only or editable (`mode`), as its link (`links`) stands;
/// `picker` is the request panel's ([`use_action_picker`](super::workspace::use_action_picker)).
pub fn embed_page(
    store: &Store,
    results: &Derived,
    mode: EmbedMode,
    links: &Links,
    picker: Rc<ActionPicker>,
) -> Html {
    let body = if links.decoding {
        html! {
            <main class="workspace" aria-label="example" aria-busy="true">
                <h1 class="sr-only">{ "Abacus example" }</h1>
                <p role="status" data-testid="embed-opening">{ "Opening the example…" }</p>
            </main>
        }
    } else if links.broken {
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
        let stale = crate::stale::stale_note(
            store.doc.made_with.as_ref(),
            &results.expectations,
            &crate::platform::made_with_now(),
        )
        .map(|note| {
            html! { <p class="notice embed-stale" role="status" data-testid="embed-stale">{ note }</p> }
        });
        html! {
            <>
                { stale.unwrap_or_default() }
                <main class="workspace" aria-label="example">
                    <h1 class="sr-only">{ doc::title(&store.doc) }</h1>
                    { message_bar(store) }
                    <div class="center">{ editor_panel(store, results, Some(mode)) }{ lower_panel(store, results) }</div>
                    { decision_and_request(store, results, Some(mode), picker) }
                </main>
            </>
        }
    };
    html! {
        <div class="app embed" data-testid="embed">
            { body }
            <footer class="embed-foot">
                { if mode == EmbedMode::ReadOnly { "Read-only example · " } else { "Editable example · " } }
                <a href={links.open_link.clone()} target="_blank" rel="noopener">{ "Open in Abacus" }</a>
            </footer>
        </div>
    }
}
