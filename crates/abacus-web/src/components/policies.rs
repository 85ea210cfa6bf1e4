//! The policy list: grouped by kind, with what each is attached to and its diagnostics;
//! and the user's own policies managed here: new, rename, attach or detach, delete.

use crate::policy_edit::KINDS;
use crate::view::PolicyItem;
use abacus_studio::scenario::PolicyKind;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the list can change (absent in a read-only embed). The callbacks are given the
/// index of the policy they change, so that they can be made once (see
/// [`crate::context::Handlers`]) and the list is not rendered again for new ones.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyEdits {
    /// Adds an empty policy of a kind.
    pub on_new: Callback<PolicyKind>,
    /// Renames policy N.
    pub on_rename: Callback<(usize, String)>,
    /// Deletes policy N.
    pub on_delete: Callback<usize>,
    /// Sets where policy N is attached.
    pub on_attach: Callback<(usize, Vec<String>)>,
    /// Every place the active policy can go: (`prefix:name`, label).
    pub options: Rc<Vec<(String, String)>>,
    /// Where it is attached now.
    pub attached: Rc<Vec<String>>,
}

/// Policy list properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct PolicyListProps {
    /// The policies, in document order.
    pub items: Rc<Vec<PolicyItem>>,
    /// The index being edited.
    pub active: usize,
    /// Picks a policy to edit.
    pub on_select: Callback<usize>,
    /// Managing policies.
    #[prop_or_default]
    pub edits: Option<PolicyEdits>,
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The settings of the active policy (number `index`): name, attachments, delete.
fn settings(index: usize, item: &PolicyItem, e: &PolicyEdits) -> Html {
    // the field goes back to the current name; a rename that is accepted renders the new
    // one, and a refused one (a duplicate) leaves no stale text behind
    let current = item.name.clone();
    let on_rename = e.on_rename.reform(move |ev: Event| {
        let input = ev.target_unchecked_into::<HtmlInputElement>();
        let wanted = input.value();
        input.set_value(&current);
        (index, wanted)
    });
    let checks = e.options.iter().map(|(value, label)| {
        let on = e.attached.contains(value);
        let attached = e.attached.clone();
        let v = value.clone();
        let onchange = e.on_attach.reform(move |_| {
            let mut next: Vec<String> = attached.iter().filter(|a| **a != v).cloned().collect();
            if !on {
                next.push(v.clone());
            }
            (index, next)
        });
        html! {
            <li><label><input type="checkbox" checked={on} {onchange} />{ " " }{ label }</label></li>
        }
    });
    let name = item.name.clone();
    let on_delete = e.on_delete.clone();
    let on_delete = Callback::from(move |_| {
        if crate::platform::confirm(&format!(
            "Delete the policy “{name}”? Export or share first to keep a copy."
        )) {
            on_delete.emit(index);
        }
    });
    html! {
        <details class="policy-settings" data-testid="policy-settings">
            <summary>{ "Policy settings" }</summary>
            <label class="field">{ "Name" }
                <input value={item.name.clone()} onchange={on_rename} data-testid="policy-name" />
            </label>
            <fieldset>
                <legend>{ "Attached to" }</legend>
                if e.options.is_empty() {
                    <p class="why">{ "nothing in this world can hold this kind of policy" }</p>
                } else {
                    <ul class="attach-list" data-testid="policy-attachments">{ for checks }</ul>
                }
            </fieldset>
            <button class="btn small danger" onclick={on_delete} data-testid="delete-policy">{ "Delete policy" }</button>
        </details>
    }
}

/// The left-hand list of policies.
#[component]
pub fn PolicyList(props: &PolicyListProps) -> Html {
    let kind_ref = use_node_ref();
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
                                    <span class="badge error">{ count(p.errors, "error", "errors") }</span>
                                }
                                if p.warnings > 0 {
                                    <span class="badge warning">{ count(p.warnings, "warning", "warnings") }</span>
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
    let manage = props.edits.as_ref().map(|e| {
        let on_new = {
            let cb = e.on_new.clone();
            let kind_ref = kind_ref.clone();
            Callback::from(move |_| {
                let chosen = kind_ref
                    .cast::<HtmlSelectElement>()
                    .map(|s| s.selected_index())
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| KINDS.get(i))
                    .map_or(PolicyKind::Identity, |(k, _)| *k);
                cb.emit(chosen);
            })
        };
        html! {
            <>
                <div class="row new-policy">
                    <select ref={kind_ref} aria-label="kind of the new policy" data-testid="new-policy-kind">
                        { for KINDS.iter().enumerate().map(|(i, (_, label))| html! { <option selected={i == 0}>{ *label }</option> }) }
                    </select>
                    <button class="btn small" onclick={on_new} data-testid="new-policy">{ "New" }</button>
                </div>
                if let Some(item) = props.items.get(props.active) { { settings(props.active, item, e) } }
            </>
        }
    });
    html! {
        <nav class="panel" aria-label="policies">
            <h2>{ "Policies" }</h2>
            <ul class="policy-list" data-testid="policy-list">{ for groups }</ul>
            { for manage }
        </nav>
    }
}
