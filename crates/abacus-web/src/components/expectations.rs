//! The scenario's expectations, checked live against the policies (a challenge is solved
//! when they all pass), and the request builder's notes.

use crate::view::{decision_style, ExpectationView};
use std::rc::Rc;
use yew::prelude::*;

/// Expectations panel properties.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectationsProps {
    /// Checked expectations (the studio's `check_expectations`).
    pub items: Rc<Vec<ExpectationView>>,
    /// Why context keys are present or absent in this request.
    pub notes: Rc<Vec<String>>,
    /// Loads the request of expectation `index` (absent in a read-only embed).
    pub on_load: Option<Callback<usize>>,
}

/// Why an expectation fails, in the app's words (each fact once).
fn failure(e: &ExpectationView) -> String {
    match e.actual {
        Some(actual) if actual != e.expected => format!(
            "expected {}, got {}",
            decision_style(e.expected).1,
            decision_style(actual).1
        ),
        _ => e.problem.clone().unwrap_or_default(),
    }
}

/// The expectations panel.
pub fn expectations(props: &ExpectationsProps) -> Html {
    let passed = props.items.iter().filter(|e| e.passed).count();
    let total = props.items.len();
    let rows = props.items.iter().enumerate().map(|(i, e)| {
        let name = match &props.on_load {
            Some(cb) => html! {
                <button class="link" onclick={cb.reform(move |_| i)} data-testid="load-expectation"
                    title="load this request">{ &e.name }</button>
            },
            None => html! { <span>{ &e.name }</span> },
        };
        html! {
            <li data-passed={e.passed.to_string()}>
                <span class={classes!("badge", if e.passed { "pass" } else { "fail" })}>{ if e.passed { "pass" } else { "fail" } }</span>
                <span>{ name }
                    if !e.passed { <span class="why">{ " " }{ failure(e) }</span> }
                </span>
            </li>
        }
    });
    html! {
        <>
        if total > 0 {
            <section class="panel" aria-label="expectations" data-testid="expectations">
                <h2>{ "Expectations" }
                    <span class={classes!("badge", if passed == total { "pass" } else { "fail" })} aria-live="polite">
                        { format!("{passed}/{total} pass") }</span></h2>
                <div class="panel-body"><ul class="expectations">{ for rows }</ul></div>
            </section>
        }
        if !props.notes.is_empty() {
            <section class="panel" aria-label="request notes">
                <h2>{ "Request context notes" }</h2>
                <div class="panel-body"><ul class="notes">{ for props.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul></div>
            </section>
        }
        </>
    }
}
