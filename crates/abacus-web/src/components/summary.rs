//! The policy summary tab, as the IAM console summarises a policy: per service, the access
//! levels allowed and denied, and per statement its actions, resources and conditions; the
//! actions the reference does not recognise are listed apart. A statement's entry is a
//! button that selects the statement in the editor.

use abacus_policy::Span;
use abacus_templates::lint::PolicySummary;
use std::rc::Rc;
use yew::prelude::*;

/// Summary properties.
pub struct SummaryProps {
    /// The summary, and each statement's span in the policy text.
    pub summary: Rc<(PolicySummary, Vec<Span>)>,
    /// Selects a byte range of the policy in the editor.
    pub on_select: Callback<(usize, usize)>,
}

/// The summary of the policy in the editor.
pub fn summary(props: &SummaryProps) -> Html {
    let (summary, spans) = &*props.summary;
    if summary.services.is_empty() && summary.unrecognized.is_empty() {
        return html! {
            <div class="summary" data-testid="summary">
                <p class="muted">{ "This policy grants and denies nothing the summary can name (no readable statement with actions)." }</p>
            </div>
        };
    }
    let services = summary.services.iter().map(|s| {
        let denied = (!s.denied.is_empty()).then(|| {
            let names: Vec<&str> = s.denied.iter().map(|l| l.as_str()).collect();
            names.join(", ")
        });
        let grants = s.grants.iter().map(|g| {
            let span = spans.get(g.statement).copied();
            let onclick = span.map(|sp| props.on_select.reform(move |_: MouseEvent| (sp.start, sp.end)));
            let levels: Vec<&str> = g.levels.iter().map(|l| l.as_str()).collect();
            let name = g
                .sid
                .clone()
                .unwrap_or_else(|| format!("statement {}", g.statement + 1));
            html! {
                <li data-statement={g.statement.to_string()}>
                    <button class="link" {onclick} title="select the statement in the editor">
                        { format!("{} {name}", g.effect) }
                    </button>
                    { format!(": {}", if levels.is_empty() { "no level".to_owned() } else { levels.join(", ") }) }
                    <div class="muted">{ g.actions.join(", ") }</div>
                    if !g.resources.is_empty() {
                        <div>{ "Resources: " }<code>{ g.resources.join(", ") }</code></div>
                    }
                    if !g.conditions.is_empty() {
                        <div>{ "Conditions: " }<code>{ g.conditions.join("; ") }</code></div>
                    }
                </li>
            }
        });
        html! {
            <section class="summary-service" data-service={s.service.clone()}>
                <h3>
                    <code>{ &s.service }</code>{ " — allows " }<b>{ s.allowed_text() }</b>
                    if let Some(d) = denied {
                        { "; denies " }<b>{ d }</b>
                    }
                </h3>
                <ul>{ for grants }</ul>
            </section>
        }
    });
    html! {
        <div class="summary" data-testid="summary">
            { for services }
            if !summary.unrecognized.is_empty() {
                <section class="summary-unrecognized">
                    <h3>{ "Not recognised by the Service Authorization Reference" }</h3>
                    <ul>{ for summary.unrecognized.iter().map(|a| html! { <li><code>{ a }</code></li> }) }</ul>
                </section>
            }
        </div>
    }
}
