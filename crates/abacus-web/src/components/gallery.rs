//! The gallery: scenarios by seed use case, challenges with pass/fail badges, and the
//! template library.

use crate::gallery_load::GalleryLoad;
use crate::view::Card;
use yew::prelude::*;

/// Gallery properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct GalleryProps {
    /// The gallery and template library: loading, ready or failed.
    pub load: GalleryLoad,
    /// Opens a scenario.
    pub on_open: Callback<String>,
    /// Adds a template's policy to the workspace.
    pub on_template: Callback<String>,
    /// Opens a challenge with its solution applied.
    #[prop_or_default]
    pub on_solution: Callback<String>,
    /// Fetches the gallery again after a failure.
    #[prop_or_default]
    pub on_retry: Callback<()>,
}

fn grouped(
    cards: &[Card],
    action: &'static str,
    on: &Callback<String>,
    on_solution: &Callback<String>,
    prefix: &'static str,
) -> Html {
    let mut groups: Vec<&str> = Vec::new();
    for c in cards {
        if !groups.contains(&c.group.as_str()) {
            groups.push(&c.group);
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let items = cards.iter().filter(|c| c.group == g).map(|c| {
                let id = c.id.clone();
                let solution_id = id.clone();
                let on_solution = on_solution.reform(move |_| solution_id.clone());
                let onclick = on.reform(move |_| id.clone());
                html! {
                    <article class="card" data-testid={format!("{prefix}-{}", c.id)}>
                        <h3>{ &c.title }</h3>
                        <p>{ &c.description }</p>
                        if let Some(hint) = &c.hint {
                            <details><summary>{ "Hint" }</summary><p>{ hint }</p></details>
                        }
                        <div class="row">
                            { for c.tags.iter().map(|t| html! { <span class="badge">{ t }</span> }) }
                            if let Some((pass, label)) = &c.badge {
                                <span class={classes!("badge", if *pass { "pass" } else { "fail" })}
                                    data-testid="challenge-badge">{ label }</span>
                            }
                            <span class="spacer"></span>
                            if c.has_solution {
                                <button class="btn small" onclick={on_solution} data-testid="open-solution"
                                    aria-label={format!("Open with the solution: {}", c.title)}>{ "Solution" }</button>
                            }
                            <button class="btn small" {onclick} aria-label={format!("{action}: {}", c.title)}>{ action }</button>
                        </div>
                    </article>
                }
            });
            html! { <><h2 class="section-title">{ g }</h2><div class="cards">{ for items }</div></> }
        })
        .collect()
}

/// The gallery page. `data-state` is `loading`, `ready` or `failed`.
#[component]
pub fn Gallery(props: &GalleryProps) -> Html {
    let body = match &props.load {
        GalleryLoad::Ready(loaded) => html! {
            <>
                { grouped(&loaded.scenarios, "Open", &props.on_open, &props.on_solution, "scenario") }
                <h2 class="section-title">{ "Template library" }</h2>
                { grouped(&loaded.templates, "Add policy", &props.on_template, &Callback::noop(), "template") }
            </>
        },
        GalleryLoad::Failed(why) => {
            let onclick = props.on_retry.reform(|_| ());
            html! {
                <div class="notice error" role="alert" data-testid="gallery-error">
                    <p>{ format!("The gallery could not be loaded ({why}). The workspace keeps working; check the connection and try again.") }</p>
                    <button class="btn small" {onclick}>{ "Try again" }</button>
                </div>
            }
        }
        GalleryLoad::NotRequested | GalleryLoad::Loading => html! {
            <p role="status" data-testid="gallery-loading">{ "Loading the gallery…" }</p>
        },
    };
    let state = match &props.load {
        GalleryLoad::Ready(_) => "ready",
        GalleryLoad::Failed(_) => "failed",
        GalleryLoad::NotRequested | GalleryLoad::Loading => "loading",
    };
    html! {
        <div class="page" data-testid="gallery" data-state={state} aria-busy={(state == "loading").to_string()}>
            <h1>{ "Gallery" }</h1>
            <p class="lead">{ "Scenarios from the use cases, challenges to solve (the badge shows whether your policies meet the expectations), and the template library. Opening a scenario replaces the workspace: share or export yours first to keep it." }</p>
            { body }
        </div>
    }
}
