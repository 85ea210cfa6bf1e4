//! The app shell: header with screens and document actions, the message bar, and the
//! screens. It owns the reducer and the effects (autosave, performance marks); everything
//! shown is derived from the document by [`crate::derive`].

use crate::codec::EmbedMode;
use crate::components::challenge::ChallengePanel;
use crate::components::cloudtrail::CloudTrail;
use crate::components::decision::DecisionPanel;
use crate::components::diagnostics::Diagnostics;
use crate::components::editor::Editor;
use crate::components::expectations::Expectations;
use crate::components::gallery::Gallery;
use crate::components::matrix::Matrix;
use crate::components::policies::{PolicyEdits, PolicyList};
use crate::components::request::RequestPanel;
use crate::components::trace::Explanation;
use crate::components::world::WorldEditor;
use crate::derive::{self, Derived, Deriver, MatrixData};
use crate::gallery_load::GalleryLoad;
use crate::platform;
use crate::reference::{self, ReferenceFile};
use crate::state::{Action, AppState, Notice, NoticeLevel, Screen};
use crate::{doc, perf};
use abacus_reference::ServiceStatus;
use abacus_studio::scenario::Panel;
use std::rc::Rc;
use yew::prelude::*;

/// The application root.
#[component]
pub fn App() -> Html {
    let boot = use_memo((), |_| platform::boot());
    let state = {
        let boot = boot.clone();
        use_reducer(move || {
            let mut s = AppState::new(boot.doc.clone(), boot.notice.clone());
            s.own_attempt = !boot.linked;
            let (progress, warning) = platform::load_progress(boot.embed.is_some());
            s.progress = Rc::new(progress);
            if s.notice.is_none() {
                s.notice = warning;
            }
            s
        })
    };
    let embed = boot.embed;
    let loaded_progress = state.progress.clone();
    let loaded_progress = use_memo((), move |_| loaded_progress);
    let share_url = use_state(|| None::<String>);
    let embed_editable = use_state(|| false);
    let embed_broken = use_state(|| boot.broken);
    // the welcome note shows on a first visit (nothing autosaved, no link) until dismissed
    let intro = use_state(|| boot.first_visit);

    // derived views: the workspace panels on every change, the matrix only when shown; both
    // read the Service Authorization Reference too, so a newly installed file recomputes them.
    // One long-lived deriver keeps what it derived by what it depends on (the document's
    // revision says when it changed: every new document bumps it).
    let deriver = use_mut_ref(Deriver::default);
    let derived: Rc<Derived> = {
        let (deriver, doc) = (deriver.clone(), state.doc.clone());
        use_memo(
            (state.revision, state.active_policy, state.reference),
            move |(revision, active, reference)| {
                deriver
                    .borrow_mut()
                    .workspace(&doc, *revision, *active, *reference)
            },
        )
    };
    let show_matrix = state.screen == Screen::Matrix;
    // the matrix, computed a slice at a time after the render that shows its screen (so
    // typing never waits for it), with the revision and reference generation it is for
    let computed = use_state(|| None::<Rc<(u32, u64, MatrixData)>>);
    let matrix: Option<MatrixData> = computed
        .as_ref()
        .filter(|m| (m.0, m.1) == (state.revision, state.reference))
        .map(|m| m.2.clone());
    let matrix_run = use_mut_ref(|| 0u64);
    {
        let (deriver, computed, matrix_run) =
            (deriver.clone(), computed.clone(), matrix_run.clone());
        let ready = matrix.is_some();
        use_effect_with(
            (state.revision, show_matrix, state.reference),
            move |(revision, show, reference)| {
                // a new document or leaving the screen stops the computation under way
                let run = {
                    let mut r = matrix_run.borrow_mut();
                    *r = r.wrapping_add(1);
                    *r
                };
                if *show && !ready {
                    let key = (*revision, *reference);
                    let mut job = deriver.borrow().matrix_job();
                    perf::start("abacus-matrix");
                    platform::in_slices(move |deadline| {
                        let Some(j) = job.as_mut() else {
                            return false;
                        };
                        if *matrix_run.borrow() != run {
                            return false;
                        }
                        let d = deriver.borrow();
                        while !j.done() && !deadline() {
                            if !d.matrix_rows(j, 1) {
                                return false;
                            }
                        }
                        if !j.done() {
                            return true;
                        }
                        if let Some(j) = job.take() {
                            let data = j.finish();
                            perf::end("abacus-matrix");
                            computed.set(Some(Rc::new((key.0, key.1, data))));
                        }
                        false
                    });
                }
            },
        );
    }
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
    let scanned = use_mut_ref(|| None::<(Rc<abacus_studio::scenario::Scenario>, u64)>);
    {
        let loader = loader.clone();
        let waiting = (*pending).clone();
        let d = state.doc.clone();
        use_effect_with(
            (state.revision, state.filter.clone(), state.reference),
            move |(_, filter, generation)| {
                let current = abacus_reference::current();
                // texts scanned before with the same reference data asked for their services
                let prev = scanned
                    .borrow()
                    .clone()
                    .filter(|(_, g)| g == generation)
                    .map(|(d, _)| d);
                let mut mentioned = reference::mentioned_since(prev.as_deref(), &d, filter);
                *scanned.borrow_mut() = Some((d.clone(), *generation));
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
        let embed_broken = embed_broken.clone();
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
                    embed_broken.set(embed.is_some() && b.broken);
                    dispatch.dispatch(if b.linked {
                        Action::Load(Box::new(b.doc), b.notice)
                    } else {
                        Action::OpenOwn(Box::new(b.doc), b.notice)
                    });
                }
            },
        );
    }

    // the first matrix seen becomes the baseline for the diff
    {
        let dispatch = state.dispatcher();
        let has = state.baseline.is_some();
        use_effect_with(
            (matrix.as_ref().map(|m| m.view.clone()), has),
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
                platform::autosave_later(d, move |n| dispatch.dispatch(Action::Notify(Some(n))));
            }
        });
    }
    // the share bar shows the link of the document as it was: an edit closes it
    {
        let share_url = share_url.clone();
        use_effect_with(state.revision, move |_| {
            if share_url.is_some() {
                share_url.set(None);
                platform::forget_link();
            }
        });
    }
    // a challenge attempt is recorded whenever its expectations are checked again
    {
        let dispatch = state.dispatcher();
        let attempt = embed.is_none() && state.doc.challenge.is_some();
        let doc = state.doc.clone();
        use_effect_with((derived.clone(), attempt), move |(d, attempt)| {
            if *attempt {
                let passed = d.expectations.iter().filter(|e| e.passed).count();
                let total = d.expectations.len();
                dispatch.dispatch(Action::AttemptChecked { doc, passed, total });
            }
        });
    }
    {
        let dispatch = state.dispatcher();
        let loaded = loaded_progress.clone();
        use_effect_with(state.progress.clone(), move |p| {
            // the progress as loaded is never written back: when it could not be read nor
            // backed up, it stays untouched until the attendee records an attempt
            if embed.is_none() && !Rc::ptr_eq(p, &loaded) {
                platform::save_progress_later(p.clone(), move |n| {
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
            let listener =
                platform::on_hash_change(embed.is_some(), move |followed| match followed {
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
    let open_link = use_state(String::new);
    {
        let open_link = open_link.clone();
        let d = state.doc.clone();
        // not for the placeholder shown while the embed's own link is being decoded
        let placeholder = boot.decoding.is_some() && state.revision == 0;
        use_effect_with((embed.is_some(), state.revision), move |(embedded, _)| {
            if *embedded && !placeholder {
                platform::full_app_link_later(d, move |link| open_link.set(link));
            }
        });
    }
    // a share link in the URL: the browser inflates it, then it opens
    let decoding = use_state(|| boot.decoding.is_some());
    {
        let dispatch = state.dispatcher();
        let pending = pending.clone();
        let embed_broken = embed_broken.clone();
        let decoding = decoding.clone();
        let started = boot.decoding.clone();
        use_effect_with((), move |_| {
            if let Some(started) = started {
                platform::open_link(started, move |b| {
                    embed_broken.set(b.broken);
                    decoding.set(false);
                    if b.pending.is_some() {
                        pending.set(b.pending);
                        dispatch.dispatch(Action::Notify(b.notice));
                    } else if b.linked {
                        dispatch.dispatch(Action::Load(Box::new(b.doc), b.notice));
                    } else {
                        // a broken link fell back to the visitor's own autosave
                        dispatch.dispatch(Action::OpenOwn(Box::new(b.doc), b.notice));
                    }
                });
            }
        });
    }

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
        Some(EmbedMode::Editable) => "Tab indents · Ctrl+Z undoes · Esc then Tab leaves the editor",
        None => "Tab indents · Ctrl+Z undoes · Esc then Tab leaves the editor · Alt+1…4 switch screens · Alt+E editor · Alt+U user",
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
                document={state.doc.policies.get(state.active_policy).map(|p| AttrValue::from(p.id.clone()))}
                described_by={Some(AttrValue::from("editor-hint diagnostics-list"))}
                on_input={on_policy_input}
                jump={state.jump}
                notes={derived.active_notes.clone()}
            />
            <div class="editor-hint" id="editor-hint">{ hint }</div>
            <Diagnostics items={derived.active_diagnostics.clone()} on_jump={on_jump} id="diagnostics-list" />
        </section>
    };
    let panel = state.doc.view.panel;
    let lower_panel = {
        let tab = |which: Panel, label: &'static str, id: &'static str| {
            let dispatch = dispatch.clone();
            let selected = panel == which;
            html! {
                <button role="tab" aria-selected={selected.to_string()} data-testid={id}
                    onclick={Callback::from(move |_| dispatch.dispatch(Action::ShowPanel(which)))}>{ label }</button>
            }
        };
        html! {
            <section class="panel lower-panel" aria-label="explanation and CloudTrail">
                <div class="subtabs" role="tablist">
                    { tab(Panel::Explanation, "Explanation", "tab-explanation") }
                    { tab(Panel::CloudTrail, "CloudTrail", "tab-cloudtrail") }
                </div>
                <div class="panel-body" hidden={panel != Panel::Explanation} role="tabpanel" tabindex="0" aria-label="explanation">
                    <Explanation nodes={derived.trace.clone()} />
                </div>
                <div class="panel-body" hidden={panel != Panel::CloudTrail} role="tabpanel" tabindex="0" aria-label="CloudTrail records">
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
    let on_load_expectation = (!readonly).then(|| {
        let dispatch = dispatch.clone();
        Callback::from(move |i| dispatch.dispatch(Action::LoadExpectation(i)))
    });
    let request = html! {
        <>
            <Expectations items={derived.expectations.clone()} notes={Rc::new(Vec::new())} on_load={on_load_expectation} />
            <RequestPanel view={derived.request.clone()} on_edit={on_request} readonly={readonly}
                actions={picker.clone()} filter={AttrValue::from(state.filter.clone())} {on_filter} />
            <Expectations items={Rc::new(Vec::new())} notes={derived.notes.clone()} />
        </>
    };
    let challenge = state.doc.challenge.clone().map(|c| {
        let passed = derived.expectations.iter().filter(|e| e.passed).count();
        let on_solution = {
            let dispatch = dispatch.clone();
            Callback::from(move |_| dispatch.dispatch(Action::ShowSolution))
        };
        let on_back = {
            let dispatch = dispatch.clone();
            Callback::from(move |_| dispatch.dispatch(Action::BackToAttempt))
        };
        html! {
            <ChallengePanel challenge={c} instructions={AttrValue::from(state.doc.description.clone())}
                passed={passed} total={derived.expectations.len()} {on_solution} {on_back} />
        }
    });

    let notice = state.notice.as_ref().map(|n| {
        let class = match n.level {
            NoticeLevel::Info => "notice info",
            NoticeLevel::Warning => "notice warning",
            NoticeLevel::Error => "notice error",
        };
        let dispatch = dispatch.clone();
        html! {
            <div class={class} role={if n.level == NoticeLevel::Error { "alert" } else { "status" }} data-testid="notice" data-level={format!("{:?}", n.level).to_ascii_lowercase()}>
                <p>{ &n.text }</p>
                <button class="btn small" aria-label="dismiss the message" onclick={Callback::from(move |_| dispatch.dispatch(Action::Notify(None)))}>{ "✕" }</button>
            </div>
        }
    });
    let share_bar = share_url.as_ref().map(|url| {
        let snippet = format!(
            "<iframe src=\"{}\" width=\"100%\" height=\"560\" title=\"Abacus example\"></iframe>",
            url.replacen("#s=", if *embed_editable { "#embed=edit&s=" } else { "#embed&s=" }, 1)
        );
        let copy = |text: String, what: &'static str| {
            let dispatch = dispatch.clone();
            Callback::from(move |_| {
                platform::copy_text(&text);
                dispatch.dispatch(Action::Notify(Some(Notice::info(format!("{what} copied to the clipboard")))));
            })
        };
        let on_editable = {
            let embed_editable = embed_editable.clone();
            Callback::from(move |_| embed_editable.set(!*embed_editable))
        };
        let close = {
            let share_url = share_url.clone();
            Callback::from(move |_| share_url.set(None))
        };
        html! {
            <section class="share-bar" aria-label="share" data-testid="share-bar">
                <label class="field">{ "Share link" }
                    <input class="mono" readonly=true value={url.clone()} data-testid="share-url" /></label>
                <button class="btn small" onclick={copy(url.clone(), "the link")} data-testid="copy-link">{ "Copy link" }</button>
                <label class="field">{ "Embed in a docs page" }
                    <input class="mono" readonly=true value={snippet.clone()} data-testid="embed-snippet" /></label>
                <button class="btn small" onclick={copy(snippet, "the embed snippet")} data-testid="copy-snippet">{ "Copy snippet" }</button>
                <label><input type="checkbox" checked={*embed_editable} onchange={on_editable} data-testid="embed-editable" />{ " editable embed" }</label>
                <button class="btn small" aria-label="close the share bar" onclick={close}>{ "✕" }</button>
            </section>
        }
    });
    if let Some(mode) = embed {
        let body = if *decoding {
            html! {
                <main class="workspace" aria-label="example" aria-busy="true">
                    <h1 class="sr-only">{ "Abacus example" }</h1>
                    <p role="status" data-testid="embed-opening">{ "Opening the example…" }</p>
                </main>
            }
        } else if *embed_broken {
            let why = state
                .notice
                .as_ref()
                .map(|n| n.text.clone())
                .unwrap_or_default();
            html! {
                <main class="embed-broken notice error" data-testid="embed-error"><div role="alert">
                    <h1>{ "This example could not be opened" }</h1>
                    <p>{ why }</p>
                    <p>{ "The link may have been cut when it was copied, or made by another version of Abacus. Ask the page's author for a new link." }</p>
                </div></main>
            }
        } else {
            html! {
                <>
                    <main class="workspace" aria-label="example">
                        <h1 class="sr-only">{ doc::title(&state.doc) }</h1>
                        { for notice }
                        <div class="center">{ editor }{ lower_panel }</div>
                        <div class="right">{ decision }{ request }</div>
                    </main>
                </>
            }
        };
        return html! {
            <div class="app embed" data-testid="embed">
                { body }
                <footer class="embed-foot">
                    { if mode == EmbedMode::ReadOnly { "Read-only example · " } else { "Editable example · " } }
                    <a href={(*open_link).clone()} target="_blank" rel="noopener">{ "Open in Abacus" }</a>
                </footer>
            </div>
        };
    }

    let intro_note = (*intro && state.revision == 0).then(|| {
        let close = {
            let intro = intro.clone();
            Callback::from(move |_| intro.set(false))
        };
        let challenges = {
            let dispatch = dispatch.clone();
            let intro = intro.clone();
            Callback::from(move |_| {
                intro.set(false);
                dispatch.dispatch(Action::Show(Screen::Gallery));
            })
        };
        html! {
            <section class="panel intro" aria-labelledby="intro-title" data-testid="intro">
                <h2 id="intro-title">{ "Welcome to Abacus" }</h2>
                <div class="panel-body">
                    <p>{ "Edit the IAM policies on the left: the decision for the selected Studio user, action and resource updates as you type, with the statements that decided it, the AccessDenied message and the CloudTrail records the call would write. The expectations say which decisions the scenario wants." }</p>
                    <div class="row">
                        <button class="btn primary small" onclick={challenges} data-testid="intro-challenges">{ "Try a challenge" }</button>
                        <button class="btn small" onclick={close} data-testid="intro-close">{ "Start with this example" }</button>
                    </div>
                </div>
            </section>
        }
    });
    let policy_edits = {
        let active = state.active_policy;
        let kind = state.doc.policies.get(active).map(|p| p.kind);
        let d = dispatch.clone();
        let d2 = dispatch.clone();
        let d3 = dispatch.clone();
        let d4 = dispatch.clone();
        PolicyEdits {
            on_new: Callback::from(move |k| d.dispatch(Action::NewPolicy(k))),
            on_rename: Callback::from(move |n| d2.dispatch(Action::RenamePolicy(active, n))),
            on_delete: Callback::from(move |_| d3.dispatch(Action::DeletePolicy(active))),
            on_attach: Callback::from(move |t| d4.dispatch(Action::SetAttachments(active, t))),
            options: Rc::new(
                kind.map(|k| crate::policy_edit::attachment_options(&state.doc, k))
                    .unwrap_or_default(),
            ),
            attached: Rc::new(
                state
                    .doc
                    .policies
                    .get(active)
                    .map(|p| p.attached_to.clone())
                    .unwrap_or_default(),
            ),
        }
    };
    let screen = match state.screen {
        Screen::Workspace => html! {
            <main class="workspace" aria-label="workspace">
                <h1 class="sr-only">{ "Workspace: " }{ doc::title(&state.doc) }</h1>
                <PolicyList items={derived.policies.clone()} active={state.active_policy} on_select={on_select_policy} edits={Some(policy_edits)} />
                <div class="center">{ for intro_note }{ challenge }{ editor }{ lower_panel }</div>
                <div class="right">{ decision }{ request }</div>
            </main>
        },
        Screen::Matrix => match &matrix {
            Some(m) => {
                let changes = Rc::new(
                    state
                        .baseline
                        .as_ref()
                        .map(|b| crate::view::matrix_diff(b, &m.view))
                        .unwrap_or_default(),
                );
                let on_cell = {
                    let (dispatch, m) = (dispatch.clone(), m.clone());
                    Callback::from(move |(r, c)| {
                        if let Some(sel) = m.request(r, c) {
                            dispatch.dispatch(Action::OpenCell(Box::new(sel.clone())));
                        }
                    })
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
            None => {
                // computing: the page with its column controls, the grid once it is ready
                let stale = computed.as_ref().map(|m| m.2.clone());
                let on_edit = {
                    let dispatch = dispatch.clone();
                    Callback::from(move |e| dispatch.dispatch(Action::EditMatrix(e)))
                };
                html! {
                    <main class="page-host" style="display:contents">
                        <Matrix view={Rc::new(crate::view::MatrixView::default())} changes={Rc::new(Vec::new())}
                            has_baseline={state.baseline.is_some()}
                            actions={stale.as_ref().map(|m| m.actions.clone()).unwrap_or_default()}
                            known_actions={stale.as_ref().map(|m| m.known_actions.clone()).unwrap_or_default()}
                            on_cell={Callback::noop()} on_baseline={Callback::noop()} on_edit={on_edit}
                            computing={true} />
                    </main>
                }
            }
        },
        Screen::Gallery => {
            let loaded = state.gallery.ready().cloned();
            let entry = {
                let loaded = loaded.clone();
                move |id: &str| {
                    loaded
                        .as_ref()
                        .and_then(|l| l.bundle.gallery.get(id).cloned())
                }
            };
            let on_open = {
                let dispatch = dispatch.clone();
                let progress = state.progress.clone();
                let entry = entry.clone();
                Callback::from(move |id: String| {
                    let opened = entry(&id)
                        .ok_or_else(|| "this gallery entry is gone: reload the page".to_owned())
                        .and_then(|e| crate::challenge::open(&e, &progress));
                    dispatch.dispatch(match opened {
                        Ok((d, message)) => {
                            Action::OpenOwn(Box::new(d), Some(Notice::info(message)))
                        }
                        Err(e) => Action::Notify(Some(Notice::error(e))),
                    })
                })
            };
            let on_start_over = {
                let dispatch = dispatch.clone();
                let entry = entry.clone();
                Callback::from(move |id: String| {
                    dispatch.dispatch(Action::ForgetAttempt(id.clone()));
                    match entry(&id).map(|e| crate::challenge::shipped(&e).map(|d| (d, e.title))) {
                        Some(Ok((d, title))) => dispatch.dispatch(Action::OpenOwn(
                            Box::new(d),
                            Some(Notice::info(format!("started “{title}” over"))),
                        )),
                        Some(Err(e)) => dispatch.dispatch(Action::Notify(Some(Notice::error(e)))),
                        None => {}
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
                Callback::from(move |id: String| {
                    let shipped = entry(&id)
                        .ok_or_else(|| "this gallery entry is gone: reload the page".to_owned())
                        .and_then(|e| crate::challenge::shipped(&e));
                    let solved = shipped
                        .as_ref()
                        .map_err(Clone::clone)
                        .and_then(crate::challenge::with_solution);
                    match (shipped, solved) {
                        (Ok(shipped), Ok(d)) => {
                            // "Back to my attempt" needs an attempt: the shipped one, if none
                            dispatch.dispatch(Action::KeepAttempt(Box::new(shipped)));
                            dispatch.dispatch(Action::OpenOwn(
                                Box::new(d),
                                Some(Notice::info("showing the worked solution; your own attempt is kept: “Back to my attempt” returns to it")),
                            ));
                        }
                        (Err(e), _) | (_, Err(e)) => {
                            dispatch.dispatch(Action::Notify(Some(Notice::error(e))))
                        }
                    }
                })
            };
            let on_retry = {
                let dispatch = dispatch.clone();
                Callback::from(move |_| dispatch.dispatch(Action::GalleryRetry))
            };
            html! {
                <main style="display:contents">
                    <Gallery load={state.gallery.clone()} on_open={on_open} on_template={on_template} on_solution={on_solution}
                        on_start_over={on_start_over} on_retry={on_retry} progress={state.progress.clone()} />
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
            let (dispatch, share_url) = (dispatch.clone(), share_url.clone());
            platform::share_later((*d).clone(), move |url, notice| {
                share_url.set(url);
                dispatch.dispatch(Action::Notify(Some(notice)));
            });
        })
    };
    let on_export = {
        let d = state.doc.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |_| dispatch.dispatch(Action::Notify(Some(platform::export(&d)))))
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
            { for share_bar }
            { screen }
            <footer class="appfoot">
                <span data-testid="reference-version">{ version_line.as_str() }</span>
            </footer>
        </div>
    }
}
