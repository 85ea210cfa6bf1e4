//! The app shell: header with screens and document actions, the message bar, and the
//! screens. It owns the reducer and the effects (autosave, performance marks); everything
//! shown is derived from the document by [`crate::derive`].

use crate::codec::EmbedMode;
use crate::components::cloudtrail::CloudTrail;
use crate::components::decision::DecisionPanel;
use crate::components::diagnostics::Diagnostics;
use crate::components::editor::Editor;
use crate::components::expectations::Expectations;
use crate::components::gallery::Gallery;
use crate::components::matrix::Matrix;
use crate::components::policies::PolicyList;
use crate::components::request::RequestPanel;
use crate::components::trace::Explanation;
use crate::components::world::WorldEditor;
use crate::derive::{self, Derived};
use crate::gallery_load::GalleryLoad;
use crate::platform;
use crate::reference::{self, ReferenceFile};
use crate::state::{Action, AppState, Notice, NoticeLevel, Screen};
use crate::{doc, perf};
use abacus_reference::ServiceStatus;
use std::rc::Rc;
use yew::prelude::*;

/// Which lower panel is shown under the editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lower {
    Explanation,
    CloudTrail,
}

/// The application root.
#[component]
pub fn App() -> Html {
    let boot = use_memo((), |_| platform::boot());
    let state = {
        let boot = boot.clone();
        use_reducer(move || AppState::new(boot.doc.clone(), boot.notice.clone()))
    };
    let embed = boot.embed;
    let lower = use_state(|| Lower::Explanation);
    let share_url = use_state(|| None::<String>);

    // derived views: the workspace panels on every change, the matrix only when shown; both
    // read the Service Authorization Reference too, so a newly installed file recomputes them
    let derived: Rc<Derived> = use_memo(
        (state.doc.clone(), state.active_policy, state.reference),
        |(d, active, _)| derive::workspace(d, *active),
    );
    let show_matrix = state.screen == Screen::Matrix;
    let matrix = use_memo(
        (state.doc.clone(), show_matrix, state.reference),
        |(d, show, _)| show.then(|| perf::measure("abacus-matrix", || derive::matrix(d))),
    );
    let picker = use_memo(
        (
            state.filter.clone(),
            state.doc.selection.action.clone(),
            state.reference,
            state.unavailable.clone(),
        ),
        |(filter, action, _, unavailable)| {
            reference::action_picker(&abacus_reference::current(), filter, action, unavailable)
        },
    );
    let version_line = use_memo(state.reference, |_| {
        reference::version_line(&abacus_reference::current())
    });

    // the reference: the index and the seed services at startup (in parallel, after the
    // first render), then every service the workspace mentions, each file once
    let loader = use_mut_ref(reference::Loader::default);
    let load = {
        let dispatch = state.dispatcher();
        move |file: ReferenceFile| {
            let dispatch = dispatch.clone();
            let service = match &file {
                ReferenceFile::Service(p) => Some(p.clone()),
                ReferenceFile::Index => None,
            };
            platform::load_reference(file, move |result| match result {
                Ok(generation) => dispatch.dispatch(Action::ReferenceInstalled(generation)),
                Err(notice) => dispatch.dispatch(Action::ReferenceFailed(service, notice)),
            });
        }
    };
    {
        let loader = loader.clone();
        let load = load.clone();
        use_effect_with((), move |_| {
            load(ReferenceFile::Index);
            for file in loader.borrow_mut().claim_seeds() {
                load(file);
            }
        });
    }
    // the gallery and the template library: fetched when the Gallery screen first opens
    {
        let dispatch = state.dispatcher();
        let wanted =
            state.screen == Screen::Gallery && matches!(state.gallery, GalleryLoad::NotRequested);
        use_effect_with(wanted, move |wanted| {
            if *wanted {
                dispatch.dispatch(Action::GalleryRequested);
                platform::load_gallery(move |result| {
                    dispatch.dispatch(match result {
                        Ok(loaded) => Action::GalleryLoaded(Rc::new(loaded)),
                        Err(why) => Action::GalleryFailed(why),
                    })
                });
            }
        });
    }
    // a share link or autosave naming services not loaded yet opens once they are
    let pending = use_state(|| boot.pending.clone());
    {
        let loader = loader.clone();
        let waiting = (*pending).clone();
        use_effect_with(
            (state.doc.clone(), state.filter.clone(), state.reference),
            move |(d, filter, _)| {
                let current = abacus_reference::current();
                let mut mentioned = reference::mentioned(d, filter);
                mentioned.extend(waiting.into_iter().flat_map(|p| p.services));
                let wanted = loader.borrow_mut().claim(&mentioned, |p| current.status(p));
                for file in wanted {
                    load(file);
                }
            },
        );
    }
    {
        let dispatch = state.dispatcher();
        let pending = pending.clone();
        let (unavailable, index_failed) = (state.unavailable.clone(), state.index_failed);
        use_effect_with(
            (
                state.reference,
                unavailable,
                index_failed,
                (*pending).clone(),
            ),
            move |(_, unavailable, index_failed, _)| {
                let Some(waiting) = (*pending).clone() else {
                    return;
                };
                let current = abacus_reference::current();
                let settled = |p: &str| {
                    unavailable.contains(p)
                        || match current.status(p) {
                            ServiceStatus::Loaded | ServiceStatus::Unknown => true,
                            ServiceStatus::NotLoaded => false,
                            ServiceStatus::NoIndex => *index_failed,
                        }
                };
                if let Some(b) = platform::resume(&waiting, embed.is_some(), settled) {
                    pending.set(None);
                    dispatch.dispatch(Action::Load(Box::new(b.doc), b.notice));
                }
            },
        );
    }

    // the first matrix seen becomes the baseline for the diff
    {
        let dispatch = state.dispatcher();
        let has = state.baseline.is_some();
        use_effect_with(
            ((*matrix).clone().map(|m| m.view.clone()), has),
            move |(m, has)| {
                if let (Some(m), false) = (m, has) {
                    dispatch.dispatch(Action::Baseline(m.clone()));
                }
            },
        );
    }
    // autosave (debounced inside) and the keystroke measure
    {
        let d = state.doc.clone();
        let dispatch = state.dispatcher();
        use_effect_with(state.revision, move |rev| {
            if *rev > 0 && embed.is_none() {
                platform::autosave_later(doc::to_json(&d), move |n| {
                    dispatch.dispatch(Action::Notify(Some(n)))
                });
            }
        });
    }
    use_effect(|| {
        perf::measure_rendered();
        perf::mark_first_render();
    });
    {
        let dispatch = state.dispatcher();
        let pending = pending.clone();
        use_effect_with((), move |_| {
            let listener = platform::on_hash_change(move |followed| match followed {
                // a link waiting for reference data opens later; the workspace stays till then
                Ok(b) if b.pending.is_some() => {
                    pending.set(b.pending);
                    dispatch.dispatch(Action::Notify(b.notice));
                }
                Ok(b) => dispatch.dispatch(Action::Load(Box::new(b.doc), b.notice)),
                Err(n) => dispatch.dispatch(Action::Notify(Some(n))),
            });
            move || drop(listener)
        });
    }

    // keyboard shortcuts: Alt+1..4 screens, Alt+E the editor, Alt+U the user
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = platform::on_shortcut(move |key| {
                let screen = match key {
                    '1' => Some(Screen::Workspace),
                    '2' => Some(Screen::Matrix),
                    '3' => Some(Screen::Gallery),
                    '4' => Some(Screen::World),
                    _ => None,
                };
                match (screen, key) {
                    (Some(s), _) => dispatch.dispatch(Action::Show(s)),
                    (None, 'e') => platform::focus("[data-testid=policy-editor]"),
                    (None, 'u') => platform::focus("[data-testid=user-select]"),
                    _ => {}
                }
            });
            move || drop(listener)
        });
    }

    // the embed's "Open in Abacus" link compresses the whole document: once per change
    let open_link = use_memo((embed.is_some(), state.revision), {
        let d = state.doc.clone();
        move |(embedded, _)| {
            embedded.then(|| perf::measure("abacus-open-link", || platform::full_app_link(&d)))
        }
    });

    let dispatch = state.dispatcher();
    let on_policy_input = {
        let dispatch = dispatch.clone();
        let index = state.active_policy;
        Callback::from(move |text: String| dispatch.dispatch(Action::EditPolicy { index, text }))
    };
    let on_select_policy = {
        let dispatch = dispatch.clone();
        Callback::from(move |i: usize| dispatch.dispatch(Action::SelectPolicy(i)))
    };
    let on_request = {
        let dispatch = dispatch.clone();
        Callback::from(move |e| dispatch.dispatch(Action::EditRequest(e)))
    };
    let on_filter = {
        let dispatch = dispatch.clone();
        Callback::from(move |text| dispatch.dispatch(Action::Filter(text)))
    };
    let on_jump = {
        let dispatch = dispatch.clone();
        let diags = derived.active_diagnostics.clone();
        Callback::from(move |i: usize| {
            if let Some(d) = diags.get(i) {
                dispatch.dispatch(Action::Jump(d.span.start, d.span.end));
            }
        })
    };

    let readonly = embed == Some(EmbedMode::ReadOnly);
    let hint = match embed {
        Some(EmbedMode::ReadOnly) => "Read-only example: open it in Abacus to edit",
        Some(EmbedMode::Editable) => "Tab indents · Esc then Tab leaves the editor",
        None => "Tab indents · Esc then Tab leaves the editor · Alt+1…4 switch screens · Alt+E editor · Alt+U user",
    };
    let policy_label = derived
        .policies
        .get(state.active_policy)
        .map(|p| format!("Policy text: {} ({})", p.name, p.kind))
        .unwrap_or_else(|| "Policy text".to_owned());
    let editor = html! {
        <section class="panel editor-panel" aria-label="policy editor">
            <div class="editor-head">
                if let Some(p) = derived.policies.get(state.active_policy) {
                    <b>{ &p.name }</b><span class="badge">{ &p.kind }</span><span class="attached">{ &p.attached_to }</span>
                }
            </div>
            <Editor
                text={derived.active_text.clone()}
                marks={derived.active_marks.clone()}
                bands={derived.active_bands.clone()}
                readonly={readonly}
                label={policy_label}
                described_by={Some(AttrValue::from("editor-hint diagnostics-list"))}
                on_input={on_policy_input}
                jump={state.jump}
                notes={derived.active_notes.clone()}
            />
            <div class="editor-hint" id="editor-hint">{ hint }</div>
            <Diagnostics items={derived.active_diagnostics.clone()} on_jump={on_jump} id="diagnostics-list" />
        </section>
    };
    let lower_panel = {
        let tab = |which: Lower, label: &'static str, id: &'static str| {
            let lower = lower.clone();
            let selected = *lower == which;
            html! {
                <button role="tab" aria-selected={selected.to_string()} data-testid={id}
                    onclick={Callback::from(move |_| lower.set(which))}>{ label }</button>
            }
        };
        html! {
            <section class="panel lower-panel" aria-label="explanation and CloudTrail">
                <div class="subtabs" role="tablist">
                    { tab(Lower::Explanation, "Explanation", "tab-explanation") }
                    { tab(Lower::CloudTrail, "CloudTrail", "tab-cloudtrail") }
                </div>
                <div class="panel-body" hidden={*lower != Lower::Explanation} role="tabpanel">
                    <Explanation nodes={derived.trace.clone()} />
                </div>
                <div class="panel-body" hidden={*lower != Lower::CloudTrail} role="tabpanel">
                    <CloudTrail json={derived.cloudtrail.clone()} titles={derived.cloudtrail_titles.clone()} />
                </div>
            </section>
        }
    };
    let on_deciding = {
        let dispatch = dispatch.clone();
        let view = derived.decision.clone();
        Callback::from(move |i: usize| {
            let Some(d) = view.as_ref().and_then(|v| v.deciding.get(i)) else {
                return;
            };
            if let Some(policy) = d.policy {
                dispatch.dispatch(Action::SelectPolicy(policy));
                dispatch.dispatch(Action::Jump(d.span.0, d.span.1));
            }
        })
    };
    let decision = html! {
        <DecisionPanel view={derived.decision.clone()} unavailable={derived.unavailable.clone()} {on_deciding} />
    };
    let request = html! {
        <>
            <RequestPanel view={derived.request.clone()} on_edit={on_request} readonly={readonly}
                actions={picker.clone()} filter={AttrValue::from(state.filter.clone())} {on_filter} />
            <Expectations items={derived.expectations.clone()} notes={derived.notes.clone()} />
        </>
    };

    let notice = state.notice.as_ref().map(|n| {
        let class = match n.level {
            NoticeLevel::Info => "notice info",
            NoticeLevel::Warning => "notice warning",
            NoticeLevel::Error => "notice error",
        };
        let dispatch = dispatch.clone();
        let share_url_reset = share_url.clone();
        html! {
            <div class={class} role="status" data-testid="notice" data-level={format!("{:?}", n.level).to_ascii_lowercase()}>
                <p>{ &n.text }</p>
                if let Some(url) = &*share_url {
                    <input class="mono" readonly=true value={url.clone()} data-testid="share-url" aria-label="share link" size="32" />
                    <input class="mono" readonly=true data-testid="embed-snippet" aria-label="embed snippet for a docs page" size="24"
                        value={format!("<iframe src=\"{}\" width=\"100%\" height=\"560\" title=\"Abacus example\"></iframe>", url.replacen("#s=", "#embed&s=", 1))} />
                }
                <button class="btn small" aria-label="dismiss" onclick={Callback::from(move |_| { share_url_reset.set(None); dispatch.dispatch(Action::Notify(None)) })}>{ "✕" }</button>
            </div>
        }
    });
    if let Some(mode) = embed {
        return html! {
            <div class="app embed" data-testid="embed">
                { for notice }
                <div class="workspace">
                    <div class="center">{ editor }{ lower_panel }</div>
                    <div class="right">{ decision }{ request }</div>
                </div>
                <div class="embed-foot">
                    { if mode == EmbedMode::ReadOnly { "Read-only example · " } else { "Editable example · " } }
                    <a href={(*open_link).clone()} target="_blank" rel="noopener">{ "Open in Abacus" }</a>
                </div>
            </div>
        };
    }

    let screen = match state.screen {
        Screen::Workspace => html! {
            <main class="workspace" aria-label="workspace">
                <PolicyList items={derived.policies.clone()} active={state.active_policy} on_select={on_select_policy} />
                <div class="center">{ editor }{ lower_panel }</div>
                <div class="right">{ decision }{ request }</div>
            </main>
        },
        Screen::Matrix => match &*matrix {
            Some(m) => {
                let changes = Rc::new(
                    state
                        .baseline
                        .as_ref()
                        .map(|b| crate::view::matrix_diff(b, &m.view))
                        .unwrap_or_default(),
                );
                let on_cell = {
                    let dispatch = dispatch.clone();
                    Callback::from(move |(r, c)| dispatch.dispatch(Action::OpenCell(r, c)))
                };
                let on_baseline = {
                    let dispatch = dispatch.clone();
                    let v = m.view.clone();
                    Callback::from(move |_| dispatch.dispatch(Action::Baseline(v.clone())))
                };
                let on_edit = {
                    let dispatch = dispatch.clone();
                    Callback::from(move |e| dispatch.dispatch(Action::EditMatrix(e)))
                };
                html! {
                    <main class="page-host" style="display:contents">
                        <Matrix view={m.view.clone()} changes={changes} has_baseline={state.baseline.is_some()}
                            actions={m.actions.clone()} known_actions={m.known_actions.clone()}
                            on_cell={on_cell} on_baseline={on_baseline} on_edit={on_edit}
                            elapsed_ms={platform::last_measure("abacus-matrix")} />
                    </main>
                }
            }
            None => html! {},
        },
        Screen::Gallery => {
            let loaded = state.gallery.ready().cloned();
            let on_open = {
                let dispatch = dispatch.clone();
                let loaded = loaded.clone();
                Callback::from(move |id: String| {
                    match loaded.as_ref().and_then(|l| l.scenario(&id)) {
                        Some(d) => dispatch.dispatch(Action::Load(
                            Box::new(d),
                            Some(Notice::info(format!("opened `{id}` from the gallery"))),
                        )),
                        None => dispatch.dispatch(Action::Notify(Some(Notice::error(format!(
                            "no gallery scenario `{id}`"
                        ))))),
                    }
                })
            };
            let on_template = {
                let dispatch = dispatch.clone();
                let d = state.doc.clone();
                let loaded = loaded.clone();
                Callback::from(move |id: String| {
                    let Some(l) = loaded.as_ref() else { return };
                    match doc::policy_from_template(&d, &l.bundle.library, &id) {
                        Ok(p) => dispatch.dispatch(Action::AddPolicy(p)),
                        Err(e) => dispatch.dispatch(Action::Notify(Some(Notice::error(e)))),
                    }
                })
            };
            let on_solution = {
                let dispatch = dispatch.clone();
                let loaded = loaded.clone();
                Callback::from(move |id: String| {
                    match loaded.as_ref().and_then(|l| l.solution(&id)) {
                        Some(d) => dispatch.dispatch(Action::Load(
                            Box::new(d),
                            Some(Notice::info(format!(
                                "opened `{id}` with its solution applied"
                            ))),
                        )),
                        None => dispatch.dispatch(Action::Notify(Some(Notice::error(format!(
                            "no solution for `{id}`"
                        ))))),
                    }
                })
            };
            let on_retry = {
                let dispatch = dispatch.clone();
                Callback::from(move |_| dispatch.dispatch(Action::GalleryRetry))
            };
            html! {
                <main style="display:contents">
                    <Gallery load={state.gallery.clone()} on_open={on_open} on_template={on_template} on_solution={on_solution} on_retry={on_retry} />
                </main>
            }
        }
        Screen::World => {
            let on_edit = {
                let dispatch = dispatch.clone();
                Callback::from(move |e| dispatch.dispatch(Action::EditWorld(e)))
            };
            html! {
                <main style="display:contents">
                    <WorldEditor view={Rc::new(derive::world(&state.doc))} on_edit={on_edit} />
                </main>
            }
        }
    };

    let tabs = Screen::ALL.iter().map(|&s| {
        let dispatch = dispatch.clone();
        let selected = state.screen == s;
        html! {
            <button role="tab" aria-selected={selected.to_string()} data-testid={s.testid()}
                tabindex={if selected { "0" } else { "-1" }}
                onclick={Callback::from(move |_| dispatch.dispatch(Action::Show(s)))}>{ s.label() }</button>
        }
    });
    // arrow keys move between the screen tabs (the ARIA tabs pattern)
    let on_tabs_key = {
        let dispatch = dispatch.clone();
        let current = state.screen;
        Callback::from(move |e: KeyboardEvent| {
            let at = Screen::ALL.iter().position(|s| *s == current).unwrap_or(0);
            let n = Screen::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % n,
                "ArrowLeft" => (at + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            if let Some(&screen) = Screen::ALL.get(next) {
                dispatch.dispatch(Action::Show(screen));
                platform::focus(screen.tab_selector());
            }
        })
    };
    let on_share = {
        let dispatch = dispatch.clone();
        let d = state.doc.clone();
        let share_url = share_url.clone();
        Callback::from(move |_| {
            let (url, notice) = platform::share(&d);
            share_url.set(Some(url));
            dispatch.dispatch(Action::Notify(Some(notice)));
        })
    };
    let on_export = {
        let d = state.doc.clone();
        Callback::from(move |_| platform::export(&d))
    };
    let on_import = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let dispatch = dispatch.clone();
            platform::import(e, move |result| match result {
                Ok(d) => dispatch.dispatch(Action::Load(
                    Box::new(d),
                    Some(Notice::info("imported the scenario file")),
                )),
                Err(msg) => dispatch.dispatch(Action::Notify(Some(Notice::error(msg)))),
            });
        })
    };
    let theme = use_state(platform::current_theme);
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |_| theme.set(platform::cycle_theme()))
    };
    html! {
        <div class="app">
            <header class="topbar">
                <div class="brand">{ "Abacus" }<small>{ doc::title(&state.doc) }</small></div>
                <nav class="tabs" role="tablist" aria-label="screens" onkeydown={on_tabs_key}>{ for tabs }</nav>
                <span class="spacer"></span>
                <button class="btn primary" data-testid="share-button" onclick={on_share}>{ "Share link" }</button>
                <label class="btn" data-testid="import-button">{ "Import" }
                    <input type="file" accept="application/json,.json" class="sr-only" data-testid="import-file" onchange={on_import} />
                </label>
                <button class="btn" data-testid="export-button" onclick={on_export}>{ "Export" }</button>
                <button class="btn" data-testid="theme-button" data-theme-choice={theme.as_str()} onclick={on_theme}
                    title="theme: system, light, dark (remembered)">{ format!("Theme: {}", theme.as_str()) }</button>
            </header>
            { for notice }
            { screen }
            <footer class="appfoot">
                <span data-testid="reference-version">{ version_line.as_str() }</span>
            </footer>
        </div>
    }
}
