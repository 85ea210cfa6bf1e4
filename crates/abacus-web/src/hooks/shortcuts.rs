//! The keyboard shortcuts of the whole app: Alt+1…5 switch screens, Alt+E focuses the
//! policy editor, Alt+U the user.

use crate::context::Store;
use crate::platform;
use crate::state::{Action, Screen};
use yew::prelude::*;

/// Listens for the shortcuts as long as the app is mounted.
#[hook]
pub fn use_shortcuts(store: &Store) {
    let dispatch = store.dispatcher();
    use_effect_with((), move |_| {
        let listener = platform::on_shortcut(move |key| {
            let screen = match key {
                '1' => Some(Screen::Workspace),
                '2' => Some(Screen::Matrix),
                '3' => Some(Screen::Gallery),
                '4' => Some(Screen::World),
                '5' => Some(Screen::Account),
                _ => None,
            };
            match (screen, key) {
                (Some(s), _) => dispatch.dispatch(Action::Show(s)),
                (None, 'e') => platform::focus("[data-testid=policy-editor]"),
                (None, 'u') => platform::focus("[data-testid=user-select]"),
                _ => {}
            }
        });
        move || drop(listener)
    });
}
