//! The request panel: simulated user, action (searchable), resource, route and the
//! parameters the action needs.

use crate::reference::ActionPicker;
use crate::view::{Opt, RequestEdit, RequestView};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Request panel properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct RequestPanelProps {
    /// What to show.
    pub view: Rc<RequestView>,
    /// Applies a change.
    pub on_edit: Callback<RequestEdit>,
    /// The action list for the current filter (see [`crate::reference::action_picker`]).
    #[prop_or_default]
    pub actions: Rc<ActionPicker>,
    /// The action filter's text.
    #[prop_or_default]
    pub filter: AttrValue,
    /// A new filter text.
    #[prop_or_default]
    pub on_filter: Callback<String>,
    /// Read-only (embed mode).
    #[prop_or_default]
    pub readonly: bool,
}

fn options(list: &[Opt], selected: &str) -> Html {
    list.iter()
        .map(|o| html! { <option value={o.value.clone()} selected={o.value == selected}>{ &o.label }</option> })
        .collect()
}

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn input_value(e: &InputEvent) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// The request panel. A component of its own, so that a render of the screen that changes
/// neither the request view nor the action list (every keystroke in the editor) skips its
/// thousand options: the screens give it the shell's [`crate::context::Handlers`], which stay
/// the same from render to render.
#[component]
pub fn RequestPanel(props: &RequestPanelProps) -> Html {
    let v = &props.view;
    let edit =
        |f: fn(String) -> RequestEdit| props.on_edit.reform(move |e: Event| f(select_value(&e)));
    let on_filter = props.on_filter.reform(|e: InputEvent| input_value(&e));
    let identity = v.identity.iter().map(|(k, val)| {
        html! { <><dt>{ k }</dt><dd data-testid={format!("identity-{}", k.to_ascii_lowercase().replace(' ', "-"))}>{ val }</dd></> }
    });
    let params = v.params.iter().map(|p| {
        let key = p.key.clone();
        let oninput = props.on_edit.reform(move |e: InputEvent| RequestEdit::Param(key.clone(), input_value(&e)));
        let id = format!("param-{}", p.key.replace([':', '/'], "-"));
        html! {
            <div class="field">
                <label for={id.clone()}>{ &p.label }</label>
                <input id={id} type="text" value={p.value.clone()} placeholder={p.placeholder.clone()}
                    data-testid={format!("param-{}", p.key)} readonly={props.readonly} {oninput} />
            </div>
        }
    });
    let on_arn = props
        .on_edit
        .reform(|e: InputEvent| RequestEdit::ResourceArn(input_value(&e)));
    let disabled = props.readonly;
    html! {
        <section class="panel" aria-label="request">
            <h2>{ "Request" }</h2>
            <div class="panel-body">
                <div class="field">
                    <label for="user-select">{ "User" }</label>
                    <select id="user-select" data-testid="user-select" {disabled} onchange={edit(RequestEdit::User)}>
                        { options(&v.users, &v.user) }
                    </select>
                </div>
                <dl class="identity" aria-label="simulated identity">{ for identity }</dl>
                <div class="field">
                    <label for="action-filter">{ "Find action" }</label>
                    <input id="action-filter" type="search" placeholder="name, description or service, e.g. stop, tag-set, ec2"
                        data-testid="action-filter" aria-describedby="action-matches"
                        value={props.filter.clone()} oninput={on_filter} {disabled} />
                    if let Some(m) = &props.actions.message {
                        <small id="action-matches" class="hint" data-testid="action-matches" aria-live="polite">{ m }</small>
                    }
                </div>
                <div class="field">
                    <label for="action-select">{ "Action" }</label>
                    <select id="action-select" data-testid="action-select" {disabled} onchange={edit(RequestEdit::Action)}>
                        if props.actions.options.is_empty() {
                            <option value={v.action.clone()} selected=true>{ &v.action }</option>
                        } else {
                            { options(&props.actions.options, &v.action) }
                        }
                    </select>
                </div>
                <div class="field">
                    <label for="resource-select">{ "Resource" }</label>
                    <select id="resource-select" data-testid="resource-select" {disabled} onchange={edit(RequestEdit::Resource)}>
                        { options(&v.resources, &v.resource) }
                    </select>
                </div>
                if let Some(arn) = &v.custom_arn {
                    <div class="field">
                        <label for="resource-arn">{ "Resource ARN" }</label>
                        <input id="resource-arn" class="mono" type="text" spellcheck="false" autocomplete="off"
                            data-testid="resource-arn" value={arn.clone()} readonly={props.readonly}
                            placeholder="arn:aws:sagemaker:us-east-1:111122223333:training-job/name"
                            aria-describedby="resource-arn-help" oninput={on_arn} />
                        <small id="resource-arn-help" class="hint">{ "A world resource with this ARN keeps its tags and policy; any other ARN has no tags and no resource policy." }</small>
                    </div>
                } else if !v.resource_arn.is_empty() {
                    <div class="arn mono" data-testid="resolved-arn" title="the ARN the call is authorized against">{ &v.resource_arn }</div>
                }
                <div class="field">
                    <label for="route-select">{ "Route" }</label>
                    <select id="route-select" data-testid="route-select" {disabled} onchange={edit(RequestEdit::Route)}>
                        { options(&v.routes, &v.route) }
                    </select>
                </div>
                { for params }
            </div>
        </section>
    }
}
