//! The decision panel: Allow, explicit or implicit deny, the AccessDenied message, the
//! deciding statements and the missing keys. It is an ARIA live region.

use crate::view::{decision_style, DecisionView};
use std::rc::Rc;
use yew::prelude::*;

/// Decision panel properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct DecisionPanelProps {
    /// What to show; `None` while a policy cannot be evaluated.
    pub view: Option<Rc<DecisionView>>,
    /// Why nothing can be shown (e.g. no user in the world).
    #[prop_or_default]
    pub unavailable: Option<AttrValue>,
    /// Shows deciding statement `i` in the editor.
    #[prop_or_default]
    pub on_deciding: Callback<usize>,
}

/// The decision panel as a component of its own, as the component tests mount it; the screens
/// call [`decision_panel`] (a component type costs wasm, and its callbacks are new on every render).
#[component]
pub fn DecisionPanel(props: &DecisionPanelProps) -> Html {
    decision_panel(props)
}

/// The decision panel.
pub fn decision_panel(props: &DecisionPanelProps) -> Html {
    let Some(v) = &props.view else {
        return html! {
            <section class="decision implicit-deny" data-testid="decision" data-decision="" aria-live="polite">
                <div class="verdict">{ "No decision" }</div>
                <p>{ props.unavailable.clone().unwrap_or_default() }</p>
            </section>
        };
    };
    let (class, label) = decision_style(v.decision);
    // drawn, not a font glyph: Debian's Chromium has no font for ⛔
    let icon = match v.decision {
        abacus_policy::Decision::Allow => html! { "✔" },
        abacus_policy::Decision::ExplicitDeny => html! {
            <svg width="20" height="20" viewBox="0 0 20 20" data-testid="deny-icon">
                <circle cx="10" cy="10" r="9" fill="currentColor" />
                <rect x="4" y="8.5" width="12" height="3" fill="#fff" />
            </svg>
        },
        abacus_policy::Decision::ImplicitDeny => html! { "∅" },
    };
    html! {
        <section class={classes!("decision", class)} data-testid="decision" data-decision={v.decision.as_str()}
            aria-live="polite" aria-atomic="true" aria-label="decision">
            <div class="verdict"><span aria-hidden="true">{ icon }</span>{ label }</div>
            <div class="request-line">{ &v.request_line }</div>
            if let Some(message) = &v.message {
                <div class="access-denied" data-testid="access-denied-message">{ message }</div>
            }
            if !v.deciding.is_empty() {
                <ul class="deciding" aria-label="deciding statements" data-testid="deciding">
                    { for v.deciding.iter().enumerate().map(|(i, d)| {
                        let onclick = props.on_deciding.reform(move |_| i);
                        html! { <li><button class="link" {onclick} disabled={d.policy.is_none()}
                            title="show this statement in the editor">{ &d.label }</button></li> }
                    }) }
                </ul>
            }
            if !v.missing_keys.is_empty() {
                <div class="missing" data-testid="missing-keys">
                    { "Missing keys: " }
                    <span class="chips">{ for v.missing_keys.iter().map(|k| html! { <code class="chip">{ k }</code> }) }</span>
                </div>
            }
        </section>
    }
}
