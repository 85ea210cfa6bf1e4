//! The message bar under the header (in an embed, at the top of the example): the state's
//! notice (a link opened or broken, an autosave that failed, what an action did), with its
//! level and a button that dismisses it. Errors are alerts, the rest status messages.

use crate::context::Store;
use crate::state::{Action, NoticeLevel};
use yew::prelude::*;

/// The current notice, if any. A function, not a component: it has no state of its own,
/// and its callers render whenever the state changes.
pub fn message_bar(store: &Store) -> Html {
    let Some(n) = store.notice.as_ref() else {
        return Html::default();
    };
    let (class, level, role) = match n.level {
        NoticeLevel::Info => ("notice info", "info", "status"),
        NoticeLevel::Warning => ("notice warning", "warning", "status"),
        NoticeLevel::Error => ("notice error", "error", "alert"),
    };
    let dismiss = store.callback(|_| Action::Notify(None));
    html! {
        <div class={class} {role} data-testid="notice" data-level={level}>
            <p>{ &n.text }</p>
            <button class="btn small" aria-label="dismiss the message" onclick={dismiss}>{ "✕" }</button>
        </div>
    }
}
