//! The explanation tree: policy > statement > element > condition, with resolved values.

use crate::view::{trace_for_reading, trace_outline, TraceNode};
use std::rc::Rc;
use yew::prelude::*;

/// Explanation properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ExplanationProps {
    /// The tree.
    pub nodes: Rc<Vec<TraceNode>>,
    /// Copies the whole request (decision, message, statements, trace, CloudTrail) as
    /// Markdown, when there is a decision.
    #[prop_or_default]
    pub on_copy_markdown: Option<Callback<MouseEvent>>,
}

fn render<'a>(nodes: impl IntoIterator<Item = &'a TraceNode>, root: bool) -> Html {
    let items = nodes.into_iter().map(|n| {
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
                if !n.children.is_empty() || n.later.is_some() { { render(n.children().iter(), false) } }
            </li>
        }
    });
    html! { <ul class={classes!("trace", root.then_some("root"))}>{ for items }</ul> }
}

/// The explanation tree: the deciding path first, then what allowed or denied; the
/// policies that did not apply are collapsed. "Copy" puts an indented outline on the
/// clipboard, so that a review document keeps the structure.
///
/// What did not apply is rendered only while its section is open: in a world of hundreds
/// of policies it is thousands of nodes that nobody sees collapsed, and every keystroke
/// would otherwise build and compare them again.
#[component]
pub fn Explanation(props: &ExplanationProps) -> Html {
    let open = use_state(|| false);
    // printing shows what did not apply too (the print stylesheet shows every panel)
    {
        let open = open.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "beforeprint", move |_| open.set(true))
            });
            move || drop(listener)
        });
    }
    if props.nodes.is_empty() {
        return html! { <div data-testid="explanation"><p>{ "Nothing to explain yet." }</p></div> };
    }
    let (first, rest) = trace_for_reading(&props.nodes);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = e.target_dyn_into::<web_sys::Element>() {
                open.set(d.has_attribute("open"));
            }
        })
    };
    let copy = {
        let nodes = props.nodes.clone();
        Callback::from(move |_| crate::platform::copy_text(&trace_outline(&nodes)))
    };
    let rest_count = rest.len();
    html! {
        <div data-testid="explanation">
            <div class="row">
                <span class="spacer"></span>
                <button class="btn small" onclick={copy} data-testid="copy-explanation">{ "Copy as text" }</button>
                if let Some(on) = props.on_copy_markdown.clone() {
                    <button class="btn small" onclick={on} data-testid="copy-markdown">{ "Copy as Markdown" }</button>
                }
            </div>
            { render(first, true) }
            if rest_count > 0 {
                <details class="not-applied" data-testid="not-applied" open={*open} {ontoggle}>
                    <summary>{ format!("{rest_count} {} that did not apply", if rest_count == 1 { "policy" } else { "policies" }) }</summary>
                    if *open { { render(rest, true) } }
                </details>
            }
        </div>
    }
}
