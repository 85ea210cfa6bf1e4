//! The gallery: the shipped courses, scenarios by seed use case, challenges with pass/fail
//! badges, and the template library.

use crate::gallery_load::GalleryLoad;
use crate::progress::Progress;
use crate::view::Card;
use std::rc::Rc;
use yew::prelude::*;

/// Gallery properties.
#[derive(Clone, Debug, PartialEq)]
pub struct GalleryProps {
    /// The gallery and template library: loading, ready or failed.
    pub load: GalleryLoad,
    /// Opens a scenario (a challenge: the attempt saved in this browser, if any).
    pub on_open: Callback<String>,
    /// Adds a template's policy to the workspace.
    pub on_template: Callback<String>,
    /// Opens a challenge with its solution applied (asked after a confirmation).
    pub on_solution: Callback<String>,
    /// Forgets the attempt at a challenge and opens it as shipped (after a confirmation).
    pub on_start_over: Callback<String>,
    /// Fetches the gallery again after a failure.
    pub on_retry: Callback<()>,
    /// Follows shipped course `index`.
    pub on_course: Callback<usize>,
    /// The attendee's attempts, for the challenge badges.
    pub progress: Rc<Progress>,
}

/// The callbacks of a card's buttons.
struct CardActions<'a> {
    label: &'static str,
    on: &'a Callback<String>,
    on_solution: &'a Callback<String>,
    on_start_over: &'a Callback<String>,
    progress: &'a Progress,
}

fn confirmed(cb: &Callback<String>, id: &str, question: String) -> Callback<MouseEvent> {
    let (cb, id) = (cb.clone(), id.to_owned());
    Callback::from(move |_| {
        if crate::platform::confirm(&question) {
            cb.emit(id.clone());
        }
    })
}

fn grouped(cards: &[&Card], a: &CardActions<'_>, prefix: &'static str) -> Html {
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
                let onclick = a.on.reform(move |_| id.clone());
                let attempt = a.progress.get(&c.id);
                let action = if attempt.is_some() { "Resume" } else { a.label };
                let badge = match (attempt, c.has_solution) {
                    (Some(at), _) => Some((at.solved(), at.label())),
                    (None, true) => Some((false, "not started".to_owned())),
                    (None, false) => None,
                };
                let on_solution = confirmed(a.on_solution, &c.id, format!(
                    "Open “{}” with its worked solution? Your own attempt stays saved: “Resume” returns to it.", c.title));
                let on_start_over = confirmed(a.on_start_over, &c.id, format!(
                    "Start “{}” over? Your saved attempt ({}) is discarded.", c.title,
                    attempt.map(|at| at.label()).unwrap_or_default()));
                html! {
                    <article class="card" data-testid={format!("{prefix}-{}", c.id)}>
                        <h3>{ &c.title }</h3>
                        <p>{ &c.description }</p>
                        if let Some(hint) = &c.hint {
                            <details><summary>{ "Hint" }</summary><p>{ hint }</p></details>
                        }
                        <div class="row">
                            { for c.tags.iter().map(|t| html! { <span class="badge">{ t }</span> }) }
                            if let Some((pass, label)) = badge {
                                <span class={classes!("badge", if pass { "pass" } else { "fail" })}
                                    data-testid="challenge-badge">{ label }</span>
                            }
                            <span class="spacer"></span>
                            if attempt.is_some() {
                                <button class="btn small" onclick={on_start_over} data-testid="start-over"
                                    aria-label={format!("Start over: {}", c.title)}>{ "Start over" }</button>
                            }
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

/// The shipped courses, each with the attendee's progress through it and Start / Continue.
fn courses(
    courses: &[Rc<abacus_studio::course::Course>],
    progress: &crate::progress::Progress,
    on_course: &Callback<usize>,
) -> Html {
    if courses.is_empty() {
        return Html::default();
    }
    html! {
        <section aria-labelledby="courses-title" data-testid="courses">
            <h2 class="section-title" id="courses-title">{ "Courses" }</h2>
            <div class="cards">
                { for courses.iter().enumerate().map(|(i, c)| {
                    let statuses = crate::course_nav::statuses(c, progress);
                    let passed = statuses.iter().filter(|s| s.passed).count();
                    let started = statuses.iter().any(|s| s.label.is_some());
                    let onclick = on_course.reform(move |_: MouseEvent| i);
                    html! {
                        <article class="card" data-testid={format!("course-card-{}", c.id)}>
                            <h3>{ &c.title }</h3>
                            <div class="instructions">{ crate::components::challenge::instructions_html(&c.description) }</div>
                            <ol class="course-outline">{ for c.steps.iter().zip(&statuses).map(|(s, st)| html! {
                                <li>{ &s.title }{ if st.passed { " ✓" } else { "" } }</li>
                            }) }</ol>
                            <div class="row">
                                <span class={classes!("badge", (passed == statuses.len()).then_some("pass"))}>{ format!("{passed} of {} steps passed", statuses.len()) }</span>
                                <span class="spacer"></span>
                                <button class="btn small primary" data-testid={format!("course-open-{}", c.id)} {onclick}>
                                    { if started { "Continue" } else { "Start" } }
                                    <span class="sr-only">{ format!(" the course {}", c.title) }</span>
                                </button>
                            </div>
                        </article>
                    }
                }) }
            </div>
        </section>
    }
}

/// The gallery page: the courses first, then the challenges, the use cases and the template
/// library. `data-state` is `loading`, `ready` or `failed`.
pub fn gallery(props: &GalleryProps) -> Html {
    let body = match &props.load {
        GalleryLoad::Ready(loaded) => {
            let scenarios = CardActions {
                label: "Open",
                on: &props.on_open,
                on_solution: &props.on_solution,
                on_start_over: &props.on_start_over,
                progress: &props.progress,
            };
            let templates = CardActions {
                label: "Add policy",
                on: &props.on_template,
                ..scenarios
            };
            let (challenges, use_cases): (Vec<&Card>, Vec<&Card>) =
                loaded.scenarios.iter().partition(|c| c.has_solution);
            let all_templates: Vec<&Card> = loaded.templates.iter().collect();
            html! {
                <>
                    { courses(&loaded.courses, &props.progress, &props.on_course) }
                    { grouped(&challenges, &scenarios, "scenario") }
                    { grouped(&use_cases, &scenarios, "scenario") }
                    <h2 class="section-title">{ "Template library" }</h2>
                    { grouped(&all_templates, &templates, "template") }
                </>
            }
        }
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
            <p class="lead">{ "Courses to follow step by step, challenges to solve (the badge shows how far your own attempt got; it is kept in this browser), ready scenarios from the use cases, and the template library. Opening a scenario replaces the workspace: share or export yours first to keep it." }</p>
            { body }
        </div>
    }
}
