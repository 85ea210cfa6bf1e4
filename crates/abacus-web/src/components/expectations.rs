//! The scenario's expectations, checked live against the policies (a challenge is solved
//! when they all pass), and the request builder's notes.

use crate::view::ExpectationView;
use std::rc::Rc;
use yew::prelude::*;

/// Expectations panel properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ExpectationsProps {
    /// Checked expectations (the studio's `check_expectations`).
    pub items: Rc<Vec<ExpectationView>>,
    /// Why context keys are present or absent in this request.
    #[prop_or_default]
    pub notes: Rc<Vec<String>>,
}

/// The expectations panel.
#[component]
pub fn Expectations(props: &ExpectationsProps) -> Html {
    let passed = props.items.iter().filter(|e| e.passed).count();
    let total = props.items.len();
    let rows = props.items.iter().map(|e| {
        let actual = e.actual.map(|d| d.as_str()).unwrap_or("no request");
        html! {
            <li data-passed={e.passed.to_string()}>
                <span class={classes!("badge", if e.passed { "pass" } else { "fail" })}>{ if e.passed { "pass" } else { "fail" } }</span>
                <span>{ &e.name }
                    if !e.passed {
                        <span class="why">{ format!(" expected {}, got {actual}", e.expected.as_str()) }
                            { e.problem.as_ref().map(|p| format!(" ({p})")).unwrap_or_default() }</span>
                    }
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
                        { format!("{passed}/{total}") }</span></h2>
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
