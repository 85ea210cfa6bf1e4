//! The access matrix: users × actions (own and others' resources) as a colour grid, with
//! the diff against a baseline (who gained access, who lost it).
//!
//! The table is an ARIA grid: one tab stop, the arrow keys, Home and End move between
//! cells, Enter or Space opens one. The cell last opened keeps the focus for when the user
//! comes back from the workspace.

use crate::matrix_edit::MatrixEdit;
use crate::view::{decision_style, MatrixChange, MatrixColumn, MatrixView};
use abacus_policy::Decision;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Matrix properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct MatrixProps {
    /// The current matrix.
    pub view: Rc<MatrixView>,
    /// Changes against the baseline.
    pub changes: Rc<Vec<MatrixChange>>,
    /// Whether a baseline was taken.
    pub has_baseline: bool,
    /// The actions the columns come from (to remove one).
    pub actions: Rc<Vec<String>>,
    /// Actions to offer when adding a column.
    pub known_actions: Rc<Vec<String>>,
    /// Loads the request of cell (row, column) into the workspace.
    pub on_cell: Callback<(usize, usize)>,
    /// Takes the current matrix as the new baseline.
    pub on_baseline: Callback<()>,
    /// Adds or removes columns (a document edit).
    pub on_edit: Callback<MatrixEdit>,
    /// Milliseconds the last recomputation took, if measured.
    #[prop_or_default]
    pub elapsed_ms: Option<f64>,
    /// The matrix is being computed: the page shows that and its column controls, and the
    /// grid once it is ready.
    #[prop_or_default]
    pub computing: bool,
}

thread_local! {
    /// The grid's current cell and whether it was opened: the component is dropped while
    /// the workspace shows the cell's request, and focus must come back to it.
    static CURRENT: Cell<((usize, usize), bool)> = const { Cell::new(((0, 0), false)) };
}

fn short(d: Option<Decision>) -> &'static str {
    match d {
        Some(Decision::Allow) => "A",
        Some(Decision::ExplicitDeny) => "D",
        Some(Decision::ImplicitDeny) => "–",
        None => "·",
    }
}

fn cell_id(r: usize, c: usize) -> String {
    format!("matrix-cell-{r}-{c}")
}

fn focus_cell(r: usize, c: usize) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("[data-testid={}]", cell_id(r, c)))
                .ok()
        })
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// Where a grid key moves the focus from (r, c) in a rows × cols grid, if anywhere.
fn grid_move(
    key: &str,
    ctrl: bool,
    (r, c): (usize, usize),
    rows: usize,
    cols: usize,
) -> Option<(usize, usize)> {
    let (last_r, last_c) = (rows.checked_sub(1)?, cols.checked_sub(1)?);
    Some(match key {
        "ArrowRight" => (r, (c + 1).min(last_c)),
        "ArrowLeft" => (r, c.saturating_sub(1)),
        "ArrowDown" => ((r + 1).min(last_r), c),
        "ArrowUp" => (r.saturating_sub(1), c),
        "Home" if ctrl => (0, 0),
        "End" if ctrl => (last_r, last_c),
        "Home" => (r, 0),
        "End" => (r, last_c),
        _ => return None,
    })
}

/// The header: the action on two lines (service, name), then whose resource; read as
/// `service:Name (own)`.
fn header(c: &MatrixColumn) -> Html {
    let (service, name) = c.action.split_once(':').unwrap_or(("", c.action.as_str()));
    let scope = match c.scope.as_str() {
        "own" => "(own)",
        "others'" => "(others')",
        _ => "(any)",
    };
    html! {
        <th class="col" scope="col" title={c.label()}>
            <span>{ service }{ ":" }</span><span>{ name }</span>{ " " }<span class="scope">{ scope }</span>
        </th>
    }
}

/// The access matrix page.
#[component]
pub fn Matrix(props: &MatrixProps) -> Html {
    let v = &props.view;
    let (rows, cols) = (v.users.len(), v.columns.len());
    let active = use_state(|| {
        let ((r, c), _) = CURRENT.with(Cell::get);
        if r < rows && c < cols {
            (r, c)
        } else {
            (0, 0)
        }
    });
    // the grid's one tab stop, kept inside the grid when a column or row goes away
    let tab_stop = (
        active.0.min(rows.saturating_sub(1)),
        active.1.min(cols.saturating_sub(1)),
    );
    let note = use_state(String::new);
    // back from the workspace: the cell that was opened gets the focus again, once the grid
    // is there (the matrix of the changed document may still be computing)
    use_effect_with(props.computing, |computing| {
        let ((r, c), opened) = CURRENT.with(Cell::get);
        if opened && !computing {
            CURRENT.with(|s| s.set(((r, c), false)));
            focus_cell(r, c);
        }
    });
    let column_form = columns_form(props, use_node_ref(), use_node_ref());
    if props.computing {
        // as many children as the full page, the column form at the same place (Yew matches
        // unkeyed children by position), so that what is typed there while the matrix
        // computes stays when the grid arrives
        return html! {
            <div class="page">
                <h1>{ "Access matrix" }</h1>
                <p class="lead" role="status" data-testid="matrix-computing">{ "Computing the access matrix…" }</p>
                { legend() }
                <div class="matrix-tools"></div>
                { column_form }
                <div class="matrix-wrap"></div>
                <div hidden=true></div>
            </div>
        };
    }
    if let Some(refused) = &v.refused {
        return html! {
            <div class="page">
                <h1>{ "Access matrix" }</h1>
                <div class="notice error" role="alert" data-testid="matrix-refused">
                    <p>{ refused.to_string() }</p><p>{ refused.help() }</p>
                </div>
                { column_form }
            </div>
        };
    }
    let flags = v.changed_cells(&props.changes);
    let changed = |r: usize, c: usize| flags.get(r * cols + c).copied().flatten();
    let head = v.columns.iter().map(header);
    let on_key = {
        let active = active.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some((r, c)) = grid_move(&e.key(), e.ctrl_key(), tab_stop, rows, cols) {
                e.prevent_default();
                active.set((r, c));
                CURRENT.with(|s| s.set(((r, c), false)));
                focus_cell(r, c);
            }
        })
    };
    let grid_rows = v.users.iter().enumerate().map(|(r, user)| {
        let cells = v.cells.get(r).into_iter().flatten().enumerate().map(|(c, d)| {
            let col = v.columns.get(c).map(MatrixColumn::label).unwrap_or_default();
            let change = changed(r, c);
            let (mark, said) = match change {
                Some("gained") => ("▲", ", gained access since the baseline"),
                Some("lost") => ("▼", ", lost access since the baseline"),
                Some(_) => ("", ", the kind of deny changed since the baseline"),
                None => ("", ""),
            };
            let (name, kind) = match d {
                Some(d) => (decision_style(*d).1.to_owned(), d.as_str()),
                None => (
                    format!("no decision: {}", v.no_decision.get(&(r, c)).map_or("no request could be built", String::as_str)),
                    "none",
                ),
            };
            let label = format!("{user}, {col}: {name}{said}");
            let class = classes!(
                format!("cell-{kind}"),
                change.map(|k| format!("cell-{k}"))
            );
            let open = d.is_some();
            let onclick = {
                let (on_cell, active) = (props.on_cell.clone(), active.clone());
                Callback::from(move |_| {
                    active.set((r, c));
                    CURRENT.with(|s| s.set(((r, c), open)));
                    if open {
                        on_cell.emit((r, c));
                    }
                })
            };
            html! {
                <td role="gridcell">
                    <button {class} title={label.clone()} aria-label={label} {onclick}
                        tabindex={if tab_stop == (r, c) { "0" } else { "-1" }} aria-disabled={(!open).then_some("true")}
                        data-testid={cell_id(r, c)} data-decision={kind} data-change={change}>
                        { short(*d) }{ mark }
                    </button>
                </td>
            }
        });
        html! { <tr><th class="row" scope="row">{ user }</th>{ for cells }</tr> }
    });
    let count = |k: &str| props.changes.iter().filter(|c| c.kind() == k).count();
    let change_line = |c: &MatrixChange| {
        let before = c.before.map(|d| d.as_str()).unwrap_or("—");
        let (mark, word) = match c.kind() {
            "gained" => ("▲", "Gained"),
            "lost" => ("▼", "Lost"),
            _ => ("", "Other deny"),
        };
        html! { <li class={c.kind()}><span aria-hidden="true">{ mark }</span>
            { format!(" {word}: {} · {}: {} → {}", c.user, c.column.label(), before, c.after.as_str()) }
        </li> }
    };
    let copy_diff = {
        let changes = props.changes.clone();
        Callback::from(move |_: MouseEvent| {
            crate::platform::copy_text(&crate::markdown::matrix_diff_markdown(&changes));
        })
    };
    let on_baseline = {
        let (cb, note, allowed) = (props.on_baseline.clone(), note.clone(), v.allowed());
        Callback::from(move |_| {
            note.set(format!(
                "Baseline set: {allowed} allowed cells. Changes are now counted from here."
            ));
            cb.emit(());
        })
    };
    html! {
        <div class="page">
            <h1>{ "Access matrix" }</h1>
            <p class="lead">
                { format!("{rows} users × {cols} action columns, {} allowed. ", v.allowed()) }
                { "Each user is tried against their own resource and against someone else's. Use the arrow keys to move between cells; click a cell or press Enter to open that request in the workspace." }
                if let Some(ms) = props.elapsed_ms { { recomputed(ms) } }
            </p>
            { legend() }
            <div class="matrix-tools">
                <button class="btn small" onclick={on_baseline} data-testid="matrix-baseline">{ "Set baseline for diff" }</button>
                <span role="status" data-testid="matrix-baseline-status">{ (*note).clone() }</span>
            </div>
            { column_form }
            <div class="matrix-wrap">
                <table class="matrix" role="grid" data-testid="matrix" aria-label="access matrix" onkeydown={on_key}>
                    <thead><tr><th class="row" scope="col">{ "User" }</th>{ for head }</tr></thead>
                    <tbody>{ for grid_rows }</tbody>
                </table>
            </div>
            <section class="diff" data-testid="matrix-diff" aria-live="polite">
                <h2 class="section-title">{ "Changes since the baseline" }</h2>
                if !props.has_baseline {
                    <p>{ "The baseline is taken when you open this page; edit a policy and come back to see who gained or lost access." }</p>
                } else if props.changes.is_empty() {
                    <p>{ "No change: every user keeps exactly the same access." }</p>
                } else {
                    <p>{ format!("{} gained, {} lost, {} with another kind of deny.", count("gained"), count("lost"), count("changed")) }
                        { " " }<button class="btn small" data-testid="copy-matrix-diff" onclick={copy_diff}>{ "Copy as Markdown" }</button></p>
                    <ul>{ for ["gained", "lost", "changed"].into_iter().flat_map(|k| props.changes.iter().filter(move |c| c.kind() == k)).map(change_line) }</ul>
                }
            </section>
        </div>
    }
}

/// What the cell glyphs and marks mean.
fn legend() -> Html {
    let swatch = |class: &'static str, glyph: &'static str, text: &'static str| {
        html! {
            <li><span class={classes!("swatch", class)} aria-hidden="true">{ glyph }</span>{ text }</li>
        }
    };
    html! {
        <ul class="legend" aria-label="legend" data-testid="matrix-legend">
            { swatch("cell-Allow", "A", "Allow") }
            { swatch("cell-ExplicitDeny", "D", "Explicit deny") }
            { swatch("cell-ImplicitDeny", "–", "Implicit deny") }
            { swatch("cell-none", "·", "No decision: no request could be built (no fitting resource, or a missing parameter; the cell says why)") }
            { swatch("cell-gained", "▲", "Gained access since the baseline") }
            { swatch("cell-lost", "▼", "Lost access since the baseline") }
            { swatch("cell-changed", "", "Other deny since the baseline (implicit ↔ explicit)") }
        </ul>
    }
}

/// Add a column (any action, typed or chosen) or remove one: a document edit.
fn columns_form(props: &MatrixProps, action: NodeRef, column: NodeRef) -> Html {
    let add = {
        let (on_edit, action) = (props.on_edit.clone(), action.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = action.cast::<HtmlInputElement>() {
                on_edit.emit(MatrixEdit::Add(input.value()));
                input.set_value("");
            }
        })
    };
    let remove = {
        let (on_edit, column) = (props.on_edit.clone(), column.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(select) = column.cast::<HtmlSelectElement>() {
                on_edit.emit(MatrixEdit::Remove(select.value()));
            }
        })
    };
    html! {
        <div class="matrix-columns">
            <form class="inline-form" onsubmit={add} aria-label="add a column">
                <label>{ "Action (own and others' resources where it takes one)" }
                    <input ref={action} list="matrix-known-actions" data-testid="matrix-add-action" placeholder="service:Action" autocomplete="off" />
                </label>
                <datalist id="matrix-known-actions">{ for props.known_actions.iter().map(|a| html! { <option value={a.clone()} /> }) }</datalist>
                <button class="btn small" data-testid="matrix-add">{ "Add column" }</button>
            </form>
            <form class="inline-form" onsubmit={remove} aria-label="remove a column">
                <label>{ "Columns of" }
                    <select ref={column} data-testid="matrix-remove-action">{ for props.actions.iter().enumerate().map(|(i, a)| html! { <option value={a.clone()} selected={i == 0}>{ a }</option> }) }</select>
                </label>
                <button class="btn small" data-testid="matrix-remove">{ "Remove" }</button>
            </form>
        </div>
    }
}

/// ` Recomputed in 12.3 ms.`: tenths by integer arithmetic, because `{:.1}` on an `f64`
/// pulls the exact float formatter (and its tables) into the web bundle.
fn recomputed(ms: f64) -> String {
    let tenths = (ms * 10.0).round() as u64;
    format!(" Recomputed in {}.{} ms.", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::grid_move;

    #[test]
    fn recompute_time_has_one_decimal() {
        assert_eq!(super::recomputed(12.34), " Recomputed in 12.3 ms.");
        assert_eq!(super::recomputed(0.96), " Recomputed in 1.0 ms.");
        assert_eq!(super::recomputed(0.0), " Recomputed in 0.0 ms.");
    }

    #[test]
    fn grid_keys_move_within_the_grid() {
        let at = (1, 1);
        assert_eq!(grid_move("ArrowRight", false, at, 3, 3), Some((1, 2)));
        assert_eq!(grid_move("ArrowRight", false, (1, 2), 3, 3), Some((1, 2)));
        assert_eq!(grid_move("ArrowLeft", false, (1, 0), 3, 3), Some((1, 0)));
        assert_eq!(grid_move("ArrowDown", false, at, 3, 3), Some((2, 1)));
        assert_eq!(grid_move("ArrowUp", false, at, 3, 3), Some((0, 1)));
        assert_eq!(grid_move("Home", false, at, 3, 3), Some((1, 0)));
        assert_eq!(grid_move("End", false, at, 3, 3), Some((1, 2)));
        assert_eq!(grid_move("Home", true, at, 3, 3), Some((0, 0)));
        assert_eq!(grid_move("End", true, at, 3, 3), Some((2, 2)));
        assert_eq!(grid_move("a", false, at, 3, 3), None);
        assert_eq!(
            grid_move("ArrowUp", false, (0, 0), 0, 0),
            None,
            "an empty grid"
        );
    }
}
