//! The explanation tree: policy > statement > element > condition, with resolved values.

use crate::view::TraceNode;
use std::rc::Rc;
use yew::prelude::*;

/// Explanation properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ExplanationProps {
    /// The tree.
    pub nodes: Rc<Vec<TraceNode>>,
}

fn render(nodes: &[TraceNode], root: bool) -> Html {
    let items = nodes.iter().map(|n| {
        let status_class = match n.positive {
            Some(true) => "status pos",
            Some(false) => "status neg",
            None => "status",
        };
        html! {
            <li class={classes!(n.deciding.then_some("deciding-node"))}>
                <div class="node">
                    <span class="label">{ &n.label }</span>
                    if n.deciding { <span class="badge deciding">{ "decided the request" }</span> }
                    if let Some(s) = &n.status { <span class={status_class}>{ s }</span> }
                </div>
                if !n.facts.is_empty() {
                    <dl class="facts">
                        { for n.facts.iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                    </dl>
                }
                if !n.children.is_empty() { { render(&n.children, false) } }
            </li>
        }
    });
    html! { <ul class={classes!("trace", root.then_some("root"))}>{ for items }</ul> }
}

/// The explanation tree.
#[component]
pub fn Explanation(props: &ExplanationProps) -> Html {
    html! {
        <div data-testid="explanation" aria-label="explanation">
            if props.nodes.is_empty() {
                <p>{ "Nothing to explain yet." }</p>
            } else {
                { render(&props.nodes, true) }
            }
        </div>
    }
}
