//! The challenge panel of the workspace: the task, the hint and a live pass count stay in
//! view while the attendee edits; the worked solution is shown only after a confirmation
//! and never replaces the attempt (it stays in the progress, one click away). In a course,
//! the panel leads with the course's steps: where the attendee is, which steps pass, the
//! way to the others, and "Reset this step".

use crate::course_nav::StepStatus;
use crate::instructions::{self, Block, Inline};
use abacus_studio::scenario::Challenge;
use std::rc::Rc;
use yew::prelude::*;

/// The course around a challenge that is one of its steps.
#[derive(Clone, Debug, PartialEq)]
pub struct CourseBar {
    /// The course's title.
    pub title: String,
    /// The step on screen (0-based).
    pub step: usize,
    /// Every step's title and status.
    pub steps: Rc<Vec<StepStatus>>,
    /// Opens step `index`.
    pub on_go: Callback<usize>,
    /// Starts the step on screen over (after a confirmation).
    pub on_reset: Callback<()>,
    /// Stops following the course.
    pub on_leave: Callback<()>,
}

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
    /// The course, when the challenge is one of its steps.
    pub course: Option<CourseBar>,
}

fn inline_html(runs: &[Inline]) -> Html {
    runs.iter()
        .map(|r| match r {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Strong(t) => html! { <strong>{ t.clone() }</strong> },
            Inline::Code(t) => html! { <code>{ t.clone() }</code> },
            Inline::Link { text, url } => html! {
                <a href={url.clone()} target="_blank" rel="noopener noreferrer">{ text.clone() }
                    <span class="sr-only">{ " (opens in a new tab)" }</span></a>
            },
        })
        .collect()
}

/// Instructions in the Markdown subset of [`crate::instructions`], as elements.
pub fn instructions_html(text: &str) -> Html {
    instructions::parse(text)
        .iter()
        .map(|b| match b {
            Block::Paragraph(runs) => html! { <p>{ inline_html(runs) }</p> },
            Block::List(items) => html! {
                <ul>{ for items.iter().map(|i| html! { <li>{ inline_html(i) }</li> }) }</ul>
            },
        })
        .collect()
}

/// A click that calls `then` once the user confirms `question`.
fn confirmed(then: &Callback<()>, question: &'static str) -> Callback<MouseEvent> {
    let then = then.clone();
    Callback::from(move |_| {
        if crate::platform::confirm(question) {
            then.emit(());
        }
    })
}

fn course_bar(bar: &CourseBar) -> Html {
    let n = bar.steps.len();
    let go = |i: usize| bar.on_go.reform(move |_: MouseEvent| i);
    let on_reset = confirmed(
        &bar.on_reset,
        "Start this step over? Your edits to it are discarded.",
    );
    let on_leave = bar.on_leave.reform(|_| ());
    let passed = bar.steps.iter().filter(|s| s.passed).count();
    html! {
        <nav class="course-bar" aria-label="course steps" data-testid="course-bar">
            <div class="row">
                <b>{ "Course: " }{ &bar.title }</b>
                <span class="muted" data-testid="course-progress">{ format!("step {} of {n} · {passed} of {n} passed", bar.step + 1) }</span>
                // every step as a numbered button (its title in its label), the current one marked
                <ol class="course-steps">
                    { for bar.steps.iter().enumerate().map(|(i, s)| {
                        let current = i == bar.step;
                        let state = if s.passed { "passed" } else { "not passed yet" };
                        let detail = s.label.clone().unwrap_or_else(|| "not started".to_owned());
                        html! {
                            <li>
                                <button class={classes!("step-chip", current.then_some("current"), s.passed.then_some("passed"))}
                                    aria-current={current.then_some("step")} data-testid={format!("course-step-{}", i + 1)}
                                    data-passed={s.passed.to_string()} onclick={go(i)}
                                    aria-label={format!("step {}: {} ({state})", i + 1, s.title)}
                                    title={format!("{}. {} · {detail}", i + 1, s.title)}>
                                    { if s.passed { format!("{} ✓", i + 1) } else { (i + 1).to_string() } }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
                <span class="spacer"></span>
                <button class="btn small" data-testid="course-prev" disabled={bar.step == 0}
                    onclick={go(bar.step.saturating_sub(1))}>{ "← Previous" }</button>
                <button class="btn small" data-testid="course-next" disabled={bar.step + 1 >= n}
                    onclick={go((bar.step + 1).min(n.saturating_sub(1)))}>{ "Next →" }</button>
                <button class="btn small" data-testid="course-reset" onclick={on_reset}>{ "Reset this step" }</button>
                <button class="btn small" data-testid="course-leave" onclick={on_leave}>{ "Leave the course" }</button>
            </div>
        </nav>
    }
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
    let on_solution = confirmed(
        &props.on_solution,
        "Show the worked solution? It replaces the policy on screen; your attempt is kept and “Back to my attempt” returns to it.",
    );
    let on_back = props.on_back.reform(|_| ());
    html! {
        <section class="panel challenge-panel" aria-labelledby="challenge-title" data-testid="challenge-panel">
            <h2 id="challenge-title">{ if props.course.is_some() { "Step: " } else { "Challenge: " } }{ &c.title }</h2>
            <div class="panel-body">
                { props.course.as_ref().map(course_bar).unwrap_or_default() }
                <div class="instructions" data-testid="instructions">{ instructions_html(&props.instructions) }</div>
                if !c.hint.is_empty() {
                    <details data-testid="hint-1"><summary>{ "Hint" }</summary><p>{ &c.hint }</p></details>
                }
                { for c.more_hints.iter().enumerate().map(|(i, h)| html! {
                    <details data-testid={format!("hint-{}", i + 2)}><summary>{ format!("Hint {}", i + 2) }</summary><p>{ h.clone() }</p></details>
                }) }
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
