//! Self-sizing embeds: an embed inside a frame posts its content's height to the page that
//! frames it, whenever that height changes, so that the host's ten-line script
//! (`docs/embedding.md`) can size the `<iframe>` to it.
//!
//! The message is only a number: the content height in CSS pixels, rounded up. Nothing else
//! crosses the frame (no document, no state), so any origin may receive it.

use yew::prelude::*;

/// Observes the embed's root element (`.app.embed`, which takes its natural height in a
/// frame) and posts its height to the parent window when it changes; after every render it
/// follows the element the page shows now. Does nothing outside an embed or a frame.
#[hook]
pub fn use_embed_height(embedded: bool) {
    let poster = use_mut_ref(|| None::<crate::platform::HeightPoster>);
    {
        let poster = poster.clone();
        use_effect_with(embedded, move |embedded| {
            *poster.borrow_mut() = if *embedded {
                crate::platform::post_height_changes("[data-testid=embed]")
            } else {
                None
            };
            move || *poster.borrow_mut() = None
        });
    }
    use_effect(move || {
        if let Some(p) = poster.borrow().as_ref() {
            p.follow();
        }
    });
}
