//! The Workspace screen: the policies by kind (with the settings of the one in the editor),
//! the first visit's welcome, the challenge panel, the policy editor with its diagnostics,
//! the explanation and CloudTrail tabs, and on the right the decision, the expectations and
//! the request.
//!
//! The editor, the lower panel and the right column are drawn by functions of their own
//! because an embed shows them too ([`super::embed`]), read-only or editable.

use crate::codec::EmbedMode;
use crate::components::challenge::{challenge_panel, ChallengePanelProps, CourseBar};
use crate::components::cloudtrail::CloudTrail;
use crate::components::completion::CompletionWorld;
use crate::components::decision::{decision_panel, DecisionPanelProps};
use crate::components::diagnostics::{diagnostics, DiagnosticsProps};
use crate::components::editor::Editor;
use crate::components::expectations::{expectations, ExpectationsProps};
use crate::components::policies::{PolicyEdits, PolicyList};
use crate::components::request::RequestPanel;
use crate::components::summary::{summary, SummaryProps};
use crate::components::trace::Explanation;
use crate::context::Store;
use crate::derive::Derived;
use crate::reference::{self, ActionPicker};
use crate::state::{Action, Notice, Screen};
use crate::{doc, policy_edit};
use abacus_studio::scenario::Panel;
use std::rc::Rc;
use yew::prelude::*;

/// The Workspace screen, with the first visit's welcome while `intro` holds (kept by the
/// shell, so that dismissing it holds when the user comes back from another screen) and the
/// request panel's `picker` ([`use_action_picker`]); keyed, so that changing screens
/// replaces the page.
pub fn workspace_screen(
    store: &Store,
    results: &Derived,
    intro: &UseStateHandle<bool>,
    picker: Rc<ActionPicker>,
) -> Html {
    let intro_note = (**intro && store.revision == 0).then(|| {
        let close = {
            let intro = intro.clone();
            Callback::from(move |_| intro.set(false))
        };
        let challenges = {
            let dispatch = store.dispatcher();
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
    let challenge = store.doc.challenge.clone().map(|c| {
        let passed = results.expectations.iter().filter(|e| e.passed).count();
        challenge_panel(&ChallengePanelProps {
            challenge: c,
            instructions: AttrValue::from(store.doc.description.clone()),
            passed,
            total: results.expectations.len(),
            on_solution: store.callback(|_| Action::ShowSolution),
            on_back: store.callback(|_| Action::BackToAttempt),
            course: store.course.as_ref().and_then(|course| {
                let step = crate::course_nav::current_step(course, &store.doc)?;
                Some(CourseBar {
                    title: course.title.clone(),
                    step,
                    steps: Rc::new(crate::course_nav::statuses(course, &store.progress)),
                    on_go: store.callback(Action::GoToStep),
                    on_reset: store.callback(|_| Action::ResetStep),
                    on_leave: store.callback(|_| Action::LeaveCourse),
                })
            }),
        })
    });
    let policy_edits = {
        let policy = store.doc.policies.get(store.active_policy);
        let h = &store.handlers;
        PolicyEdits {
            on_new: h.new_policy.clone(),
            on_rename: h.rename_policy.clone(),
            on_delete: h.delete_policy.clone(),
            on_attach: h.set_attachments.clone(),
            options: Rc::new(
                policy
                    .map(|p| policy_edit::attachment_options(&store.doc, p.kind))
                    .unwrap_or_default(),
            ),
            attached: Rc::new(policy.map(|p| p.attached_to.clone()).unwrap_or_default()),
        }
    };
    html! {
        <main key="workspace" class="workspace" aria-label="workspace">
            <h1 class="sr-only">{ "Workspace: " }{ doc::title(&store.doc) }</h1>
            <PolicyList items={results.policies.clone()} active={store.active_policy}
                on_select={store.handlers.select_policy.clone()} edits={Some(policy_edits)} />
            <div class="center">{ for intro_note }{ challenge }{ editor_panel(store, results, None) }{ lower_panel(store, results) }</div>
            { decision_and_request(store, results, None, picker) }
        </main>
    }
}

/// The action picker of the request panel (the actions matching the filter), for the
/// screens that show [`decision_and_request`]; the shell keeps it.
#[hook]
pub fn use_action_picker(store: &Store) -> Rc<ActionPicker> {
    use_memo(
        (
            store.filter.clone(),
            store.doc.selection.action.clone(),
            store.reference,
            store.unavailable.clone(),
        ),
        |(filter, action, _, unavailable)| {
            reference::action_picker(&abacus_reference::current(), filter, action, unavailable)
        },
    )
}

/// The policy editor with the policy's name, kind and attachments above it, the keyboard
/// hint and the diagnostics under it; `embed` is the embed showing it, if any.
pub fn editor_panel(store: &Store, results: &Derived, embed: Option<EmbedMode>) -> Html {
    let readonly = embed == Some(EmbedMode::ReadOnly);
    let hint = match embed {
        Some(EmbedMode::ReadOnly) => "Read-only example: open it in Abacus to edit",
        Some(EmbedMode::Editable) => "Ctrl+Space completes · Ctrl+I explains · Ctrl+. fixes · Tab indents · Ctrl+Z undoes · Esc then Tab leaves the editor",
        None => "Ctrl+Space completes · Ctrl+I explains · Ctrl+. fixes · Tab indents · Ctrl+Z undoes · Esc then Tab leaves the editor · Alt+1…5 switch screens · Alt+E editor · Alt+U user",
    };
    let active = store.active_policy;
    let policy = results.policies.get(active);
    let label = policy
        .map(|p| format!("Policy text: {} ({})", p.name, p.kind))
        .unwrap_or_else(|| "Policy text".to_owned());
    let on_input = store.callback(move |text| Action::EditPolicy {
        index: active,
        text,
    });
    let on_jump = {
        let dispatch = store.dispatcher();
        let diags = results.active_diagnostics.clone();
        Callback::from(move |i: usize| {
            if let Some(d) = diags.get(i) {
                dispatch.dispatch(Action::Jump(d.span.start, d.span.end));
            }
        })
    };
    let on_fix = {
        let dispatch = store.dispatcher();
        let fixes = results.active_fixes.clone();
        Callback::from(move |i: usize| {
            if let Some(Some(f)) = fixes.get(i) {
                dispatch.dispatch(Action::QuickFix(f.start, f.end, f.replacement.clone()));
            }
        })
    };
    // "Format document": through the editor's history, so one Ctrl+Z takes it back
    let on_format = {
        let dispatch = store.dispatcher();
        let text = results.active_text.clone();
        Callback::from(
            move |_: MouseEvent| match abacus_templates::format::format_policy(&text) {
                Ok(formatted) if formatted != text.as_str() => {
                    dispatch.dispatch(Action::QuickFix(0, text.len(), formatted));
                }
                Ok(_) => dispatch.dispatch(Action::Notify(Some(Notice::info(
                    "the policy is already formatted",
                )))),
                Err(why) => dispatch.dispatch(Action::Notify(Some(Notice::warning(format!(
                    "not formatted: {why}"
                ))))),
            },
        )
    };
    html! {
        <section class="panel editor-panel" aria-label="policy editor">
            <div class="editor-head">
                if let Some(p) = policy {
                    <b>{ &p.name }</b><span class="badge">{ &p.kind }</span><span class="attached">{ &p.attached_to }</span>
                }
                if !readonly {
                    <button class="btn small format-document" data-testid="format-document" onclick={on_format}
                        title="pretty-print the policy; only whitespace changes (one Ctrl+Z in the editor takes it back)">{ "Format" }</button>
                }
            </div>
            <Editor
                text={results.active_text.clone()}
                marks={results.active_marks.clone()}
                bands={results.active_bands.clone()}
                readonly={readonly}
                label={label}
                document={store.doc.policies.get(active).map(|p| AttrValue::from(p.id.clone()))}
                described_by={Some(AttrValue::from("editor-hint diagnostics-list"))}
                on_input={on_input}
                jump={store.jump}
                notes={results.active_notes.clone()}
                reference={store.reference}
                world={Some(CompletionWorld(store.doc.clone()))}
                fixes={results.active_line_fixes.clone()}
                quick_edit={store.quick_edit.clone()}
                context={results.request_context.clone()}
            />
            <div class="editor-hint" id="editor-hint">{ hint }</div>
            { diagnostics(&DiagnosticsProps { items: results.active_diagnostics.clone(), on_jump, fixes: results.active_fixes.clone(), on_fix, id: AttrValue::from("diagnostics-list") }) }
        </section>
    }
}

/// The panel under the editor: the explanation, the CloudTrail records and the summary of the
/// policy in the editor, as tabs.
pub fn lower_panel(store: &Store, results: &Derived) -> Html {
    let panel = store.doc.view.panel;
    // the request as Markdown for a review document
    let copy_markdown = results.decision.clone().map(|decision| {
        let (doc, trace, cloudtrail) = (
            store.doc.clone(),
            results.trace.clone(),
            results.cloudtrail.clone(),
        );
        let dispatch = store.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let md = crate::markdown::request_markdown(&doc, &decision, &trace, &cloudtrail);
            crate::platform::copy_text(&md);
            dispatch.dispatch(Action::Notify(Some(crate::state::Notice::info(
                "copied the request as Markdown",
            ))));
        })
    });
    let tab = |which: Panel, label: &'static str, id: &'static str| {
        let selected = panel == which;
        html! {
            <button role="tab" aria-selected={selected.to_string()} data-testid={id}
                onclick={store.callback(move |_| Action::ShowPanel(which))}>{ label }</button>
        }
    };
    html! {
        <section class="panel lower-panel" aria-label="explanation, CloudTrail and policy summary">
            <div class="subtabs" role="tablist">
                { tab(Panel::Explanation, "Explanation", "tab-explanation") }
                { tab(Panel::CloudTrail, "CloudTrail", "tab-cloudtrail") }
                { tab(Panel::Summary, "Summary", "tab-summary") }
            </div>
            <div class="panel-body" hidden={panel != Panel::Explanation} role="tabpanel" tabindex="0" aria-label="explanation">
                <Explanation nodes={results.trace.clone()} on_copy_markdown={copy_markdown} />
            </div>
            <div class="panel-body" hidden={panel != Panel::CloudTrail} role="tabpanel" tabindex="0" aria-label="CloudTrail records">
                <CloudTrail json={results.cloudtrail.clone()} titles={results.cloudtrail_titles.clone()} />
            </div>
            <div class="panel-body" hidden={panel != Panel::Summary} role="tabpanel" tabindex="0" aria-label="policy summary">
                if panel == Panel::Summary {
                    { summary(&SummaryProps {
                        summary: results.active_summary.clone(),
                        on_select: store.callback(|(start, end)| Action::Jump(start, end)),
                    }) }
                }
            </div>
        </section>
    }
}

/// The right-hand column: the decision (a deciding statement opens it in the editor), the
/// expectations (a failing one loads its request), the request and the request builder's
/// notes; `picker` comes from [`use_action_picker`].
pub fn decision_and_request(
    store: &Store,
    results: &Derived,
    embed: Option<EmbedMode>,
    picker: Rc<ActionPicker>,
) -> Html {
    let readonly = embed == Some(EmbedMode::ReadOnly);
    let on_deciding = {
        let dispatch = store.dispatcher();
        let view = results.decision.clone();
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
    let on_load_expectation = (!readonly).then(|| store.callback(Action::LoadExpectation));
    html! {
        <div class="right">
            { decision_panel(&DecisionPanelProps { view: results.decision.clone(), unavailable: results.unavailable.clone(), on_deciding }) }
            { expectations(&ExpectationsProps { items: results.expectations.clone(), notes: Rc::default(), on_load: on_load_expectation }) }
            <RequestPanel view={results.request.clone()} on_edit={store.handlers.edit_request.clone()}
                actions={picker} filter={AttrValue::from(store.filter.clone())}
                on_filter={store.handlers.filter.clone()} {readonly} />
            { expectations(&ExpectationsProps { items: Rc::default(), notes: results.notes.clone(), on_load: None }) }
        </div>
    }
}
