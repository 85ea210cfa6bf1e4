//! The Access matrix screen: users × actions on their own and others' resources. A cell
//! opens its request in the workspace; after an edit, the diff against the baseline says who
//! gained and who lost access. While the matrix of a changed document is being computed
//! (by the shell: [`crate::hooks::matrix`]), the page shows that, with its column controls.

use crate::components::matrix::Matrix;
use crate::context::Store;
use crate::hooks::matrix::ComputedMatrix;
use crate::platform;
use crate::state::Action;
use crate::view::{matrix_diff, MatrixView};
use std::rc::Rc;
use yew::prelude::*;

/// The Access matrix screen, with the last matrix computed (maybe of an older document);
/// keyed, so that changing screens replaces the page.
pub fn matrix_screen(store: &Store, computed: Option<&ComputedMatrix>) -> Html {
    let on_edit = store.callback(Action::EditMatrix);
    let current = computed.and_then(|m| m.current(store));
    let page = match current {
        Some(m) => {
            let changes = Rc::new(
                store
                    .baseline
                    .as_ref()
                    .map(|b| matrix_diff(b, &m.view))
                    .unwrap_or_default(),
            );
            let on_cell = {
                let (dispatch, m) = (store.dispatcher(), m.clone());
                Callback::from(move |(r, c)| {
                    if let Some(sel) = m.request(r, c) {
                        dispatch.dispatch(Action::OpenCell(Box::new(sel.clone())));
                    }
                })
            };
            let on_baseline = {
                let v = m.view.clone();
                store.callback(move |_| Action::Baseline(v.clone()))
            };
            html! {
                <Matrix view={m.view.clone()} changes={changes} has_baseline={store.baseline.is_some()}
                    actions={m.actions.clone()} known_actions={m.known_actions.clone()}
                    on_cell={on_cell} on_baseline={on_baseline} on_edit={on_edit}
                    elapsed_ms={platform::last_measure("abacus-matrix")} />
            }
        }
        None => {
            // computing: the page with its column controls, the grid once it is ready
            let stale = computed.map(|m| &m.data);
            html! {
                <Matrix view={Rc::new(MatrixView::default())} changes={Rc::new(Vec::new())}
                    has_baseline={store.baseline.is_some()}
                    actions={stale.map(|m| m.actions.clone()).unwrap_or_default()}
                    known_actions={stale.map(|m| m.known_actions.clone()).unwrap_or_default()}
                    on_cell={Callback::noop()} on_baseline={Callback::noop()} on_edit={on_edit}
                    computing={true} />
            }
        }
    };
    html! {
        <main key="matrix" class="page-host" style="display:contents">{ page }</main>
    }
}
