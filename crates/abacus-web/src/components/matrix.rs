//! The access matrix: users × actions (own and others' resources) as a colour grid, with
//! the diff against a baseline (who gained access, who lost it).

use crate::view::{decision_style, MatrixChange, MatrixView};
use abacus_policy::Decision;
use std::rc::Rc;
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
    /// Loads the request of cell (row, column) into the workspace.
    pub on_cell: Callback<(usize, usize)>,
    /// Takes the current matrix as the new baseline.
    pub on_baseline: Callback<()>,
    /// Milliseconds the last recomputation took, if measured.
    #[prop_or_default]
    pub elapsed_ms: Option<f64>,
}

fn short(d: Option<Decision>) -> &'static str {
    match d {
        Some(Decision::Allow) => "A",
        Some(Decision::ExplicitDeny) => "D",
        Some(Decision::ImplicitDeny) => "",
        None => "·",
    }
}

/// The access matrix page.
#[component]
pub fn Matrix(props: &MatrixProps) -> Html {
    let v = &props.view;
    if let Some(refused) = &v.refused {
        return html! {
            <div class="page">
                <h1>{ "Access matrix" }</h1>
                <div class="notice error" role="alert" data-testid="matrix-refused">
                    <p>{ refused.to_string() }</p><p>{ refused.help() }</p>
                </div>
            </div>
        };
    }
    let flags = v.changed_cells(&props.changes);
    let width = v.columns.len();
    let changed = |r: usize, c: usize| flags.get(r * width + c).copied().unwrap_or(false);
    let head = v
        .columns
        .iter()
        .map(|c| html! { <th class="col" scope="col" title={c.label()}>{ c.label() }</th> });
    let rows = v.users.iter().enumerate().map(|(r, user)| {
        let cells = v
            .cells
            .get(r)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(c, d)| {
                let onclick = props.on_cell.reform(move |_| (r, c));
                let col = v.columns.get(c).map(|c| c.label()).unwrap_or_default();
                let (name, kind) = match d {
                    Some(d) => (decision_style(*d).1, d.as_str()),
                    None => ("no fitting resource in the world", "none"),
                };
                let label = format!("{user}, {col}: {name}");
                let class = classes!(
                    format!("cell-{kind}"),
                    changed(r, c).then_some("cell-changed")
                );
                html! {
                    <td>
                        <button {class} title={label.clone()} aria-label={label} {onclick}
                            data-testid={format!("matrix-cell-{r}-{c}")} data-decision={kind} disabled={d.is_none()}>
                            { short(*d) }
                        </button>
                    </td>
                }
            });
        html! { <tr><th class="row" scope="row">{ user }</th>{ for cells }</tr> }
    });
    let gained: Vec<&MatrixChange> = props.changes.iter().filter(|c| c.gained()).collect();
    let lost: Vec<&MatrixChange> = props.changes.iter().filter(|c| !c.gained()).collect();
    let change_line = |c: &&MatrixChange| {
        let before = c.before.map(|d| d.as_str()).unwrap_or("—");
        html! { <li class={if c.gained() { "gained" } else { "lost" }}>
            { format!("{} · {}: {} → {}", c.user, c.column.label(), before, c.after.as_str()) }
        </li> }
    };
    let on_baseline = props.on_baseline.reform(|_| ());
    html! {
        <div class="page">
            <h1>{ "Access matrix" }</h1>
            <p class="lead">
                { format!("{} users × {} action columns, {} allowed. ", v.users.len(), v.columns.len(), v.allowed()) }
                { "Each user is tried against their own resource and against someone else's. Click a cell to open that request in the workspace." }
                if let Some(ms) = props.elapsed_ms { { recomputed(ms) } }
            </p>
            <div class="legend" aria-hidden="true">
                <span class="l-allow">{ "Allow" }</span>
                <span class="l-deny">{ "Explicit deny" }</span>
                <span class="l-implicit">{ "Implicit deny" }</span>
                <span class="spacer"></span>
                <button class="btn small" onclick={on_baseline} data-testid="matrix-baseline">{ "Set baseline for diff" }</button>
            </div>
            <div class="matrix-wrap">
                <table class="matrix" data-testid="matrix" aria-label="access matrix">
                    <thead><tr><th class="row" scope="col">{ "User" }</th>{ for head }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <section class="diff" data-testid="matrix-diff" aria-live="polite">
                <h2 class="section-title">{ "Changes since the baseline" }</h2>
                if !props.has_baseline {
                    <p>{ "The baseline is taken when you open this page; edit a policy and come back to see who gained or lost access." }</p>
                } else if props.changes.is_empty() {
                    <p>{ "No change: every user keeps exactly the same access." }</p>
                } else {
                    <p>{ format!("{} gained, {} lost.", gained.len(), lost.len()) }</p>
                    <ul>{ for gained.iter().map(change_line) }{ for lost.iter().map(change_line) }</ul>
                }
            </section>
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
    #[test]
    fn recompute_time_has_one_decimal() {
        assert_eq!(super::recomputed(12.34), " Recomputed in 12.3 ms.");
        assert_eq!(super::recomputed(0.96), " Recomputed in 1.0 ms.");
        assert_eq!(super::recomputed(0.0), " Recomputed in 0.0 ms.");
    }
}
