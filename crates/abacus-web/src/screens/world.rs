//! The World screen: the users with their teams and tags, the resources and the roles of
//! the simulated Studio world, editable (an edit is a document change like any other).

use crate::components::world::WorldEditor;
use crate::context::Store;
use crate::derive;
use crate::state::Action;
use std::rc::Rc;
use yew::prelude::*;

/// The World screen (keyed, so that changing screens replaces the page).
pub fn world_screen(store: &Store) -> Html {
    html! {
        <main key="world" style="display:contents">
            <WorldEditor view={Rc::new(derive::world(&store.doc))} on_edit={store.callback(Action::EditWorld)} />
        </main>
    }
}
