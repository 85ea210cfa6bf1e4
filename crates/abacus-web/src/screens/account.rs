//! The Account screen: bring your own account. Import the JSON of AWS CLI exports (the
//! import replaces the workspace), ask who can do an action on a resource, and replay
//! CloudTrail records against the workspace as it is now, with what the edits since the
//! trail was loaded change. An AccessDenied message pasted alone opens its request.
//!
//! Everything is read in the page and kept in memory ([`AccountData`], held by the shell so
//! it survives changing screens): nothing is sent, autosaved or put in a link.

use crate::account_view::{
    import_exports, policies_of, read_pasted, read_trail_files, replay_view, who_can_view,
    AccountData, Pasted,
};
use crate::context::Store;
use crate::platform;
use crate::state::{Action, Notice, Screen};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Account screen properties.
#[derive(Clone, PartialEq, Properties)]
pub struct AccountScreenProps {
    /// What the screen keeps between visits.
    pub data: UseStateHandle<Rc<AccountData>>,
}

/// The Account screen.
#[component]
pub fn AccountScreen(props: &AccountScreenProps) -> Html {
    let store = use_context::<Store>();
    let paste = use_node_ref();
    let data = props.data.clone();
    let who = {
        let doc = store.as_ref().map(|s| s.doc.clone());
        let revision = store.as_ref().map_or(0, |s| s.revision);
        use_memo(
            (revision, data.who_action.clone(), data.who_resource.clone()),
            move |(_, action, resource)| {
                let doc = doc?;
                (!action.trim().is_empty()).then(|| who_can_view(&doc, action, resource))
            },
        )
    };
    let replayed = {
        let doc = store.as_ref().map(|s| s.doc.clone());
        let revision = store.as_ref().map_or(0, |s| s.revision);
        let trail = data.trail.clone();
        let baseline = data.baseline.clone();
        use_memo((revision, trail.as_ref().map(Rc::as_ptr)), move |_| {
            let (doc, trail) = (doc?, trail?);
            Some(replay_view(&doc, &trail, baseline.as_deref()))
        })
    };
    // the report is on the page: the end of `abacus-import`
    {
        let shown = data.report.as_ref().map(Rc::as_ptr);
        use_effect_with(shown, move |shown| {
            if shown.is_some() {
                crate::perf::end("abacus-import");
            }
        });
    }
    let Some(store) = store else {
        return Html::default();
    };

    let on_exports = {
        let (dispatch, data) = (store.dispatcher(), data.clone());
        Callback::from(move |e: Event| {
            // `abacus-import`: from the pick to the report on the page
            crate::perf::start("abacus-import");
            let (dispatch, data) = (dispatch.clone(), data.clone());
            platform::read_files(e, move |files| match files {
                Err(why) => dispatch.dispatch(Action::Notify(Some(Notice::error(why)))),
                Ok(files) => match import_exports(files) {
                    Ok((doc, report)) => {
                        let summary = report.summary.clone();
                        data.set(Rc::new(AccountData {
                            report: Some(Rc::new(report)),
                            ..AccountData::default()
                        }));
                        dispatch.dispatch(Action::Load(Box::new(doc), Some(Notice::info(summary))));
                        dispatch.dispatch(Action::Show(Screen::Account));
                    }
                    Err(report) => {
                        let summary = report.summary.clone();
                        let mut next = (**data).clone();
                        next.report = Some(Rc::new(report));
                        data.set(Rc::new(next));
                        dispatch.dispatch(Action::Notify(Some(Notice::error(summary))));
                    }
                },
            });
        })
    };
    let set_who = |action: bool| {
        let data = data.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let mut next = (*data).as_ref().clone();
            if action {
                next.who_action = input.value();
            } else {
                next.who_resource = input.value();
            }
            data.set(Rc::new(next));
        })
    };
    // a paste: a trail to replay, or an AccessDenied message to open
    let take_text = {
        let (dispatch, data, doc) = (store.dispatcher(), data.clone(), store.doc.clone());
        Rc::new(move |name: String, text: String| {
            take_pasted(&dispatch, &data, read_pasted(&doc, &name, &text));
        })
    };
    let on_replay = {
        let (paste, take_text) = (paste.clone(), take_text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(area) = paste.cast::<HtmlTextAreaElement>() {
                take_text("pasted text".to_owned(), area.value());
            }
        })
    };
    let take_files = {
        let (dispatch, data, doc) = (store.dispatcher(), data.clone(), store.doc.clone());
        Rc::new(move |files: Vec<(String, String)>| {
            take_pasted(&dispatch, &data, read_trail_files(&doc, &files));
        })
    };
    let on_trail_files = {
        let (dispatch, take_files) = (store.dispatcher(), take_files.clone());
        Callback::from(move |e: Event| {
            let (dispatch, take_files) = (dispatch.clone(), take_files.clone());
            platform::read_files(e, move |files| match files {
                Err(why) => dispatch.dispatch(Action::Notify(Some(Notice::error(why)))),
                Ok(files) => take_files(files),
            });
        })
    };
    let on_explain =
        store.callback(|s: abacus_studio::scenario::Selection| Action::OpenCell(Box::new(s)));

    let report = data.report.as_ref().map(|r| {
        html! {
            <div data-testid="import-report">
                <p><b>{ &r.summary }</b></p>
                if !r.recognised.is_empty() {
                    <ul class="plain">{ for r.recognised.iter().map(|(f, k)| html! { <li><code>{ f }</code>{ ": " }{ k }</li> }) }</ul>
                }
                if !r.notes.is_empty() {
                    <h3>{ "What the import decided" }</h3>
                    <ul data-testid="import-notes">{ for r.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                }
                if !r.versions.is_empty() {
                    <h3>{ "Managed policy versions not in effect" }</h3>
                    <ul data-testid="import-versions">{ for r.versions.iter().map(|v| {
                        let indexes = policies_of(&store.doc, &v.arn);
                        let in_use = indexes.iter().any(|i| store.doc.policies.get(*i).is_some_and(|p| p.text == v.text));
                        let (label, text) = if in_use {
                            (format!("Back to {} (in effect)", v.default_version), v.default_text.clone())
                        } else {
                            (format!("Try {} in the workspace", v.version), v.text.clone())
                        };
                        let dispatch = store.dispatcher();
                        let on = Callback::from(move |_: MouseEvent| {
                            for index in &indexes {
                                dispatch.dispatch(Action::EditPolicy { index: *index, text: text.clone() });
                            }
                        });
                        html! {
                            <li>
                                <code>{ &v.name }</code>{ format!(" {} (in effect: {}) ", v.version, v.default_version) }
                                <button class="btn small" data-testid="try-version" data-version={v.version.clone()} onclick={on}>{ label }</button>
                            </li>
                        }
                    }) }</ul>
                }
                if !r.errors.is_empty() {
                    <ul data-testid="import-errors" role="alert">{ for r.errors.iter().map(|e| html! { <li><code>{ e }</code></li> }) }</ul>
                }
            </div>
        }
    });
    let who_result = match who.as_ref() {
        None => Html::default(),
        Some(Err(e)) => {
            html! { <p class="error" data-testid="who-can-error" role="alert">{ e }</p> }
        }
        Some(Ok(v)) => html! {
            <>
                <p data-testid="who-can-summary" role="status"><b>{ &v.summary }</b></p>
                <div class="table-scroll"><table class="list" data-testid="who-can">
                    <thead><tr><th scope="col">{ "who" }</th><th scope="col">{ "principal" }</th><th scope="col">{ "decision" }</th><th scope="col">{ "deciding statements" }</th></tr></thead>
                    <tbody>{ for v.rows.iter().map(|r| html! {
                        <tr data-testid="who-can-row" data-decision={r.decision.clone()}>
                            <td>{ &r.who }</td><td><code>{ &r.principal }</code></td>
                            <td><span class={classes!("badge", decision_class(&r.decision))}>{ &r.decision }</span></td>
                            <td>{ &r.why }</td>
                        </tr>
                    }) }</tbody>
                </table></div>
            </>
        },
    };
    let replay_result = replayed.as_ref().as_ref().map(|v| {
        html! {
            <>
                <p data-testid="replay-summary" role="status"><b>{ &v.summary }</b></p>
                if let Some(c) = &v.change {
                    <p data-testid="replay-change" class="replay-change" role="status">{ c }</p>
                }
                <div class="table-scroll"><table class="list" data-testid="replay">
                    <thead><tr><th scope="col">{ "time" }</th><th scope="col">{ "caller" }</th><th scope="col">{ "event" }</th><th scope="col">{ "AWS did" }</th><th scope="col">{ "decided now" }</th><th scope="col"><span class="sr-only">{ "open" }</span></th></tr></thead>
                    <tbody>{ for v.rows.iter().map(|r| {
                        let agrees = match r.agrees { Some(true) => "true", Some(false) => "false", None => "" };
                        let open = r.selection.clone().map(|s| {
                            let on = on_explain.reform(move |_: MouseEvent| s.clone());
                            html! { <button class="btn small" data-testid="replay-explain" onclick={on}>{ "Explain" }</button> }
                        });
                        html! {
                            <tr data-testid="replay-row" data-agrees={agrees} data-changed={r.changed.to_string()}
                                class={classes!(r.changed.then_some("changed"), (r.agrees == Some(false)).then_some("disagrees"))}>
                                <td><code>{ &r.time }</code></td><td><code>{ &r.who }</code></td><td>{ &r.event }</td>
                                <td>{ &r.recorded }</td>
                                <td>
                                    <span class={classes!("badge", decision_class(&r.decision))}>{ &r.decision }</span>
                                    if let Some(why) = &r.why { <div class="muted">{ why }</div> }
                                </td>
                                <td>{ open.unwrap_or_default() }</td>
                            </tr>
                        }
                    }) }</tbody>
                </table></div>
                if v.hidden > 0 {
                    <p class="muted">{ format!("{} more record(s) agree and are not listed", v.hidden) }</p>
                }
            </>
        }
    });
    html! {
        <main key="account" class="page" data-testid="account-screen">
            <h1>{ "Account" }</h1>
            <p class="lead">{ "Bring your own account: import what the AWS CLI prints about it, ask who can do what, and replay CloudTrail against your edits. Nothing leaves this page: files are read here, kept in memory only, and never autosaved or put in a link." }</p>
            <div class="account">
                <section class="panel" aria-labelledby="account-import">
                    <h2 id="account-import">{ "Import AWS exports" }</h2>
                    <div class="panel-body">
                        <p>{ "The JSON of " }<code>{ "aws iam get-account-authorization-details" }</code>{ ", " }<code>{ "aws sagemaker describe-domain" }</code>{ ", " }<code>{ "list-user-profiles" }</code>{ " / " }<code>{ "describe-user-profile" }</code>{ ", " }<code>{ "list-tags" }</code>{ ", " }<code>{ "aws organizations describe-policy" }</code>{ " / " }<code>{ "list-targets-for-policy" }</code>{ ", " }<code>{ "aws s3api get-bucket-policy" }</code>{ " / " }<code>{ "get-bucket-tagging" }</code>{ " and " }<code>{ "aws secretsmanager get-resource-policy" }</code>{ " / " }<code>{ "describe-secret" }</code>{ ". Name a file that does not say what it is about " }<code>{ "…@SUBJECT.json" }</code>{ ". The import replaces the workspace." }</p>
                        <label class="btn">{ "Choose export files…" }
                            <input type="file" multiple=true accept="application/json,.json" class="sr-only" data-testid="import-exports" onchange={on_exports} />
                        </label>
                        { report.unwrap_or_default() }
                    </div>
                </section>
                <section class="panel" aria-labelledby="account-who-can">
                    <h2 id="account-who-can">{ "Who can" }</h2>
                    <div class="panel-body">
                        <form class="inline-form" aria-label="who can" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                            <label>{ "Action" }<input data-testid="who-can-action" value={data.who_action.clone()} placeholder="s3:GetObject" onchange={set_who(true)} /></label>
                            <label>{ "Resource ARN" }<input data-testid="who-can-resource" value={data.who_resource.clone()} placeholder="* or arn:aws:…" onchange={set_who(false)} /></label>
                            <button class="btn" type="submit">{ "Ask" }</button>
                        </form>
                        { who_result }
                    </div>
                </section>
                <section class="panel wide" aria-labelledby="account-replay">
                    <h2 id="account-replay">{ "CloudTrail replay" }</h2>
                    <div class="panel-body">
                        <form class="replay-form" aria-label="CloudTrail replay" onsubmit={on_replay}>
                            <label for="replay-input">{ "CloudTrail records (a log file, " }<code>{ "aws cloudtrail lookup-events" }</code>{ " output or an array), or an AccessDenied message" }</label>
                            <textarea id="replay-input" ref={paste} data-testid="replay-input" rows="5" spellcheck="false" />
                            <div class="row">
                                <button class="btn" type="submit" data-testid="replay-load">{ "Replay" }</button>
                                <label class="btn">{ "Open trail files…" }
                                    <input type="file" multiple=true accept="application/json,.json" class="sr-only" data-testid="replay-file" onchange={on_trail_files} />
                                </label>
                            </div>
                        </form>
                        if !data.trail_errors.is_empty() {
                            <ul data-testid="replay-errors" role="alert">{ for data.trail_errors.iter().map(|e| html! { <li><code>{ e }</code></li> }) }</ul>
                        }
                        { replay_result.unwrap_or_default() }
                    </div>
                </section>
            </div>
        </main>
    }
}

/// The badge colour of a decision.
fn decision_class(decision: &str) -> &'static str {
    match decision {
        "Allow" => "pass",
        "ExplicitDeny" => "fail",
        "ImplicitDeny" => "warning",
        _ => "",
    }
}

/// Takes what a paste or trail files are: a trail is kept (with its replay now, the
/// baseline of later edits), an AccessDenied message opens its request, errors are shown.
fn take_pasted(
    dispatch: &UseReducerDispatcher<crate::state::AppState>,
    data: &UseStateHandle<Rc<AccountData>>,
    pasted: Pasted,
) {
    match pasted {
        Pasted::Trail(records, baseline) => {
            let mut next = (***data).clone();
            let n = records.len();
            next.trail = Some(records);
            next.baseline = Some(baseline);
            next.trail_errors = Vec::new();
            data.set(Rc::new(next));
            dispatch.dispatch(Action::Notify(Some(Notice::info(format!(
                "replaying {n} CloudTrail record(s) against the workspace"
            )))));
        }
        Pasted::Request(selection) => {
            dispatch.dispatch(Action::OpenCell(selection));
            dispatch.dispatch(Action::Notify(Some(Notice::info(
                "opened the request the AccessDenied message names",
            ))));
        }
        Pasted::Errors(errors) => {
            let mut next = (***data).clone();
            next.trail_errors = errors;
            data.set(Rc::new(next));
        }
    }
}
