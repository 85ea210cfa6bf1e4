//! The world editor: users, teams, tags and resources of the simulated account.

use crate::view::{WorldEdit, WorldRow, WorldView};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// World editor properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct WorldEditorProps {
    /// What to show.
    pub view: Rc<WorldView>,
    /// Applies a change.
    pub on_edit: Callback<WorldEdit>,
}

fn table(headers: &[&str], rows: &[WorldRow], testid: &str) -> Html {
    html! {
        <table class="list" data-testid={testid.to_owned()}>
            <thead><tr>{ for headers.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
            <tbody>
                { for rows.iter().map(|r| html! {
                    <tr>{ for r.cells.iter().enumerate().map(|(i, c)| html! { <td class={(i > 0).then_some("mono")}>{ c }</td> }) }</tr>
                }) }
            </tbody>
        </table>
    }
}

fn value_of(node: &NodeRef) -> String {
    if let Some(i) = node.cast::<HtmlInputElement>() {
        if i.type_() == "checkbox" {
            return i.checked().to_string();
        }
        return i.value();
    }
    node.cast::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

fn select(node: &NodeRef, id: &str, options: &[String], allow_empty: bool) -> Html {
    html! {
        <select ref={node.clone()} id={id.to_owned()}>
            // explicit defaults: Yew inserts options back to front, so the browser would
            // otherwise start on the last one
            if allow_empty { <option value="" selected=true>{ "—" }</option> }
            { for options.iter().enumerate().map(|(i, o)| html! { <option value={o.clone()} selected={i == 0 && !allow_empty}>{ o }</option> }) }
        </select>
    }
}

/// The world editor page.
#[component]
pub fn WorldEditor(props: &WorldEditorProps) -> Html {
    let v = &props.view;
    let (u_name, u_domain, u_team) = (use_node_ref(), use_node_ref(), use_node_ref());
    let (t_user, t_key, t_value) = (use_node_ref(), use_node_ref(), use_node_ref());
    let (r_type, r_name, r_owner, r_studio) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let (rt_res, rt_key, rt_value) = (use_node_ref(), use_node_ref(), use_node_ref());

    let add_user = {
        let (a, b, c) = (u_name.clone(), u_domain.clone(), u_team.clone());
        props.on_edit.reform(move |e: SubmitEvent| {
            e.prevent_default();
            WorldEdit::AddUser {
                name: value_of(&a),
                domain: value_of(&b),
                team: value_of(&c),
            }
        })
    };
    let tag_user = {
        let (a, b, c) = (t_user.clone(), t_key.clone(), t_value.clone());
        props.on_edit.reform(move |e: SubmitEvent| {
            e.prevent_default();
            WorldEdit::TagUser {
                user: value_of(&a),
                key: value_of(&b),
                value: value_of(&c),
            }
        })
    };
    let add_resource = {
        let (a, b, c, d) = (
            r_type.clone(),
            r_name.clone(),
            r_owner.clone(),
            r_studio.clone(),
        );
        props.on_edit.reform(move |e: SubmitEvent| {
            e.prevent_default();
            WorldEdit::AddResource {
                resource_type: value_of(&a),
                name: value_of(&b),
                owner: value_of(&c),
                created_in_studio: value_of(&d) == "true",
            }
        })
    };
    let tag_resource = {
        let (a, b, c) = (rt_res.clone(), rt_key.clone(), rt_value.clone());
        props.on_edit.reform(move |e: SubmitEvent| {
            e.prevent_default();
            WorldEdit::TagResource {
                resource: value_of(&a),
                key: value_of(&b),
                value: value_of(&c),
            }
        })
    };
    html! {
        <div class="page" data-testid="world-editor">
            <h1>{ "World" }</h1>
            <p class="lead">
                { for v.summary.iter().map(|(k, val)| html! { <><b>{ k }</b>{ ": " }<code>{ val }</code>{ "  " }</> }) }
                { format!(" · teams: {}", if v.teams.is_empty() { "none".to_owned() } else { v.teams.join(", ") }) }
            </p>
            <div class="world">
                <section class="panel">
                    <h2>{ "User profiles" }</h2>
                    <div class="panel-body">
                        { table(&["name", "domain", "execution role", "source identity", "tags"], &v.users, "world-users") }
                        <form class="inline-form" onsubmit={add_user} aria-label="add a user profile">
                            <label>{ "Name" }<input ref={u_name} required=true pattern="[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}" data-testid="new-user-name" /></label>
                            <label>{ "Domain" }{ select(&u_domain, "new-user-domain", &v.domains, false) }</label>
                            <label>{ "Team" }<input ref={u_team} list="teams" data-testid="new-user-team" /></label>
                            <datalist id="teams">{ for v.teams.iter().map(|t| html! { <option value={t.clone()} /> }) }</datalist>
                            <button class="btn" type="submit" data-testid="add-user">{ "Add user" }</button>
                        </form>
                        <form class="inline-form" onsubmit={tag_user} aria-label="tag a user profile">
                            <label>{ "User" }{ select(&t_user, "tag-user", &v.user_names, false) }</label>
                            <label>{ "Tag key" }<input ref={t_key} required=true /></label>
                            <label>{ "Value" }<input ref={t_value} /></label>
                            <button class="btn" type="submit">{ "Set tag" }</button>
                        </form>
                    </div>
                </section>
                <section class="panel">
                    <h2>{ "Resources" }</h2>
                    <div class="panel-body">
                        { table(&["id", "type", "ARN", "owner", "tags"], &v.resources, "world-resources") }
                        <form class="inline-form" onsubmit={add_resource} aria-label="add a resource">
                            <label>{ "Type" }{ select(&r_type, "new-resource-type", &v.resource_types, false) }</label>
                            <label>{ "Name" }<input ref={r_name} required=true data-testid="new-resource-name" /></label>
                            <label>{ "Owner" }{ select(&r_owner, "new-resource-owner", &v.user_names, true) }</label>
                            <label>{ "Created in Studio" }<input ref={r_studio} type="checkbox" checked=true /></label>
                            <button class="btn" type="submit" data-testid="add-resource">{ "Add resource" }</button>
                        </form>
                        <form class="inline-form" onsubmit={tag_resource} aria-label="tag a resource">
                            <label>{ "Resource" }{ select(&rt_res, "tag-resource", &v.resource_ids, false) }</label>
                            <label>{ "Tag key" }<input ref={rt_key} required=true /></label>
                            <label>{ "Value" }<input ref={rt_value} /></label>
                            <button class="btn" type="submit">{ "Set tag" }</button>
                        </form>
                    </div>
                </section>
                <section class="panel">
                    <h2>{ "Roles" }</h2>
                    <div class="panel-body">{ table(&["name", "persona", "tags"], &v.roles, "world-roles") }</div>
                </section>
            </div>
        </div>
    }
}
