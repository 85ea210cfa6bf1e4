//! What the app shell ([`crate::app::App`]) hands every component under it through a Yew
//! context, as Yew's `contexts` example does, instead of threading props through each
//! level: [`Store`], the state with the dispatcher that changes it. The screens that keep
//! no state of their own are functions the shell calls with it and with the derived
//! results (each component type costs 0.4 to 1.4 KB of gzipped wasm in Yew's code for it).
//!
//! A [`Store`] compares by identity, so that no render compares two whole documents (Yew's
//! reducer handle would: it reads the live state, and compares the states it was made with
//! field by field). It is the state as the shell rendered it, a new one each time the shell
//! renders, so what reads it renders whenever the shell does, as when it was part of it. A
//! component reading it outside the shell renders nothing.

use crate::state::{Action, AppState};
use std::ops::Deref;
use std::rc::Rc;
use yew::prelude::*;

/// The app state and the way to change it, as the screens read it from context.
#[derive(Clone)]
pub struct Store {
    state: Rc<AppState>,
    dispatch: UseReducerDispatcher<AppState>,
}

impl Store {
    /// The state of the shell's reducer as it is now, and its dispatcher.
    pub fn new(reducer: &UseReducerHandle<AppState>) -> Self {
        Self {
            state: Rc::new(AppState::clone(reducer)),
            dispatch: reducer.dispatcher(),
        }
    }

    /// Applies `action` (the shell renders the next state).
    pub fn dispatch(&self, action: Action) {
        self.dispatch.dispatch(action);
    }

    /// The dispatcher alone, for closures that outlive this render.
    pub fn dispatcher(&self) -> UseReducerDispatcher<AppState> {
        self.dispatch.clone()
    }

    /// A callback dispatching the action `f` makes of its argument.
    pub fn callback<T: 'static>(&self, f: impl Fn(T) -> Action + 'static) -> Callback<T> {
        let dispatch = self.dispatcher();
        Callback::from(move |value| dispatch.dispatch(f(value)))
    }
}

impl Deref for Store {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.state
    }
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        // the same render of the shell
        Rc::ptr_eq(&self.state, &other.state)
    }
}
