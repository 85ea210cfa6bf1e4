//! The challenge panel of the workspace: the task, the hint and a live pass count stay in
//! view while the attendee edits; the worked solution is shown only after a confirmation
//! and never replaces the attempt (it stays in the progress, one click away).

use abacus_studio::scenario::Challenge;
use yew::prelude::*;

/// Challenge panel properties.
#[derive(Clone, Debug, PartialEq)]
pub struct ChallengePanelProps {
    /// The challenge the workspace holds.
    pub challenge: Challenge,
    /// What to do (the scenario's description).
    pub instructions: AttrValue,
    /// Expectations that pass now.
    pub passed: usize,
    /// Expectations in all.
    pub total: usize,
    /// Shows the worked solution (asked for after the confirmation).
    pub on_solution: Callback<()>,
    /// Returns from the solution to the saved attempt.
    pub on_back: Callback<()>,
}

/// The challenge panel.
pub fn challenge_panel(props: &ChallengePanelProps) -> Html {
    let c = &props.challenge;
    let solved = props.total > 0 && props.passed == props.total;
    let status = if c.solution_shown {
        format!(
            "showing the worked solution: {}/{} pass",
            props.passed, props.total
        )
    } else if solved {
        format!("solved: all {} expectations pass", props.total)
    } else {
        format!("{}/{} expectations pass", props.passed, props.total)
    };
    let on_solution = {
        let cb = props.on_solution.clone();
        Callback::from(move |_| {
            if crate::platform::confirm("Show the worked solution? It replaces the policy on screen; your attempt is kept and “Back to my attempt” returns to it.") {
                cb.emit(());
            }
        })
    };
    let on_back = props.on_back.reform(|_| ());
    html! {
        <section class="panel challenge-panel" aria-labelledby="challenge-title" data-testid="challenge-panel">
            <h2 id="challenge-title">{ "Challenge: " }{ &c.title }</h2>
            <div class="panel-body">
                <p>{ &props.instructions }</p>
                if !c.hint.is_empty() {
                    <details><summary>{ "Hint" }</summary><p>{ &c.hint }</p></details>
                }
                if c.solution_shown {
                    if let Some(s) = c.solution.as_ref().filter(|s| !s.explanation.is_empty()) {
                        <p class="why" data-testid="solution-explanation">{ &s.explanation }</p>
                    }
                }
                <div class="row">
                    <span class={classes!("badge", if solved { "pass" } else { "fail" })} role="status"
                        data-testid="challenge-status">{ status }</span>
                    <span class="spacer"></span>
                    if c.solution_shown {
                        <button class="btn small" onclick={on_back} data-testid="back-to-attempt">{ "Back to my attempt" }</button>
                    } else if c.solution.is_some() {
                        <button class="btn small" onclick={on_solution} data-testid="show-solution">{ "Show the solution" }</button>
                    }
                </div>
            </div>
        </section>
    }
}
