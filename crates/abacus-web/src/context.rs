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
use crate::view::RequestEdit;
use abacus_studio::scenario::PolicyKind;
use std::ops::Deref;
use std::rc::Rc;
use yew::prelude::*;

/// The app state and the way to change it, as the screens read it from context.
#[derive(Clone)]
pub struct Store {
    state: Rc<AppState>,
    dispatch: UseReducerDispatcher<AppState>,
    /// The callbacks made once for the shell's life.
    pub handlers: Rc<Handlers>,
}

impl Store {
    /// The state of the shell's reducer as it is now, its dispatcher and the shell's
    /// [`Handlers`].
    pub fn new(reducer: &UseReducerHandle<AppState>, handlers: Rc<Handlers>) -> Self {
        Self {
            state: Rc::new(AppState::clone(reducer)),
            dispatch: reducer.dispatcher(),
            handlers,
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

/// Callbacks made once for the shell's life (see [`use_handlers`]), each dispatching one
/// kind of action. A callback compares by identity, so one made in a render differs from the
/// last render's and the component given it renders again with everything under it; these
/// stay the same, and a component given only them and unchanged data is skipped (the policy
/// list and the request panel of a large world, on every keystroke).
#[derive(Clone, PartialEq)]
pub struct Handlers {
    /// Opens policy N in the editor.
    pub select_policy: Callback<usize>,
    /// A change in the request panel.
    pub edit_request: Callback<RequestEdit>,
    /// A new action filter.
    pub filter: Callback<String>,
    /// Adds a policy of a kind.
    pub new_policy: Callback<PolicyKind>,
    /// Renames policy N.
    pub rename_policy: Callback<(usize, String)>,
    /// Deletes policy N.
    pub delete_policy: Callback<usize>,
    /// Sets where policy N is attached.
    pub set_attachments: Callback<(usize, Vec<String>)>,
}

impl Handlers {
    fn new(dispatch: &UseReducerDispatcher<AppState>) -> Self {
        fn to<T: 'static>(
            dispatch: &UseReducerDispatcher<AppState>,
            f: fn(T) -> Action,
        ) -> Callback<T> {
            let dispatch = dispatch.clone();
            Callback::from(move |value| dispatch.dispatch(f(value)))
        }
        Handlers {
            select_policy: to(dispatch, Action::SelectPolicy),
            edit_request: to(dispatch, Action::EditRequest),
            filter: to(dispatch, Action::Filter),
            new_policy: to(dispatch, Action::NewPolicy),
            rename_policy: to(dispatch, |(i, name)| Action::RenamePolicy(i, name)),
            delete_policy: to(dispatch, Action::DeletePolicy),
            set_attachments: to(dispatch, |(i, targets)| Action::SetAttachments(i, targets)),
        }
    }
}

/// The shell's [`Handlers`], made on its first render.
#[hook]
pub fn use_handlers(reducer: &UseReducerHandle<AppState>) -> Rc<Handlers> {
    let dispatch = reducer.dispatcher();
    use_memo((), move |_| Handlers::new(&dispatch))
}
