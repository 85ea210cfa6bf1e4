//! The policy list: grouped by kind, with what each is attached to and its diagnostics.

use crate::view::PolicyItem;
use std::rc::Rc;
use yew::prelude::*;

/// Policy list properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct PolicyListProps {
    /// The policies, in document order.
    pub items: Rc<Vec<PolicyItem>>,
    /// The index being edited.
    pub active: usize,
    /// Picks a policy to edit.
    pub on_select: Callback<usize>,
}

/// The left-hand list of policies.
#[component]
pub fn PolicyList(props: &PolicyListProps) -> Html {
    let mut kinds: Vec<&str> = Vec::new();
    for item in props.items.iter() {
        if !kinds.contains(&item.kind.as_str()) {
            kinds.push(&item.kind);
        }
    }
    let groups = kinds.into_iter().map(|kind| {
        let entries = props
            .items
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == kind)
            .map(|(i, p)| {
                let onclick = props.on_select.reform(move |_| i);
                let current = if i == props.active { "true" } else { "false" };
                html! {
                    <li key={i}>
                        <button {onclick} aria-current={current} data-testid={format!("policy-tab-{i}")}>
                            <span class="name">
                                { &p.name }
                                if p.errors > 0 {
                                    <span class="badge error" title="errors">{ p.errors }</span>
                                }
                                if p.warnings > 0 {
                                    <span class="badge warning" title="warnings">{ p.warnings }</span>
                                }
                                if p.deciding {
                                    <span class="badge deciding" title="one of its statements decided the request">{ "★" }<span class="sr-only">{ "decided the request" }</span></span>
                                }
                            </span>
                            <span class="attached">{ &p.attached_to }</span>
                        </button>
                    </li>
                }
            });
        html! {
            <>
                <li class="group" aria-hidden="true">{ kind }</li>
                { for entries }
            </>
        }
    });
    html! {
        <nav class="panel" aria-label="policies">
            <h2>{ "Policies" }</h2>
            <ul class="policy-list" data-testid="policy-list">{ for groups }</ul>
        </nav>
    }
}
