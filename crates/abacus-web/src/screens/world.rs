//! The World screen: the users with their teams and tags, the resources and the roles of
//! the simulated Studio world, editable (an edit is a document change like any other).

use crate::components::world::WorldEditor;
use crate::context::Store;
use crate::derive;
use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;

/// The World screen.
#[component]
pub fn WorldScreen() -> Html {
    let Some(store) = use_context::<Store>() else {
        return Html::default();
    };
    html! {
        <main style="display:contents">
            <WorldEditor view={Rc::new(derive::world(&store.doc))} on_edit={store.callback(Action::EditWorld)} />
        </main>
    }
}
