//! Components that need a DOM, in headless Chromium (`cargo test -p abacus-web --target
//! wasm32-unknown-unknown`, runner in `.cargo/config.toml`).
#![cfg(target_arch = "wasm32")]
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed DOM lookup is a failed test (wasm_bindgen_test is not seen as a test by clippy.toml)"
)]

use abacus_policy::{Decision, Severity};
use abacus_web::components::decision::{DecisionPanel, DecisionPanelProps};
use abacus_web::components::editor::{Band, Editor, EditorProps};
use abacus_web::components::request::{RequestPanel, RequestPanelProps};
use abacus_web::highlight::Mark;
use abacus_web::view::{DecisionView, Opt, RequestEdit, RequestView};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

fn editor_props(text: &str, seen: Rc<RefCell<Vec<String>>>) -> EditorProps {
    EditorProps {
        text: AttrValue::from(text.to_owned()),
        marks: Rc::new(vec![Mark {
            start: 3,
            end: 3,
            severity: Severity::Error,
        }]),
        bands: Rc::new(vec![Band {
            first_line: 2,
            last_line: 3,
            class: "band-allow",
        }]),
        readonly: false,
        label: "Policy text".into(),
        document: None,
        described_by: None,
        on_input: Callback::from(move |t: String| seen.borrow_mut().push(t)),
        jump: None,
        notes: Rc::new(vec![]),
        reference: 0,
        world: None,
        fixes: Rc::new(vec![]),
        quick_edit: None,
        context: None,
    }
}

fn key(name: &str, ctrl: bool) -> web_sys::KeyboardEvent {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(name);
    init.set_ctrl_key(ctrl);
    init.set_cancelable(true);
    init.set_bubbles(true);
    web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()
}

#[wasm_bindgen_test]
async fn completion_opens_moves_accepts_and_closes_from_the_keyboard() {
    let root = mount();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let text = "{\"Statement\": {\"Effect\": \"\"}}";
    yew::Renderer::<Editor>::with_root_and_props(root.clone(), editor_props(text, seen.clone()))
        .render();
    settle().await;
    let area: HtmlTextAreaElement = root
        .query_selector("[data-testid=policy-editor]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.focus().unwrap();
    let at = text.find("\"\"").unwrap() as u32 + 1;
    area.set_selection_range(at, at).unwrap();
    let open = key(" ", true);
    area.dispatch_event(&open).unwrap();
    assert!(open.default_prevented(), "Ctrl+Space is the editor's");
    settle().await;
    let options = root.query_selector_all("[role=option]").unwrap();
    assert_eq!(options.length(), 2, "Allow and Deny");
    let active = area.get_attribute("aria-activedescendant").unwrap();
    assert_eq!(
        gloo::utils::document()
            .get_element_by_id(&active)
            .unwrap()
            .get_attribute("data-value")
            .as_deref(),
        Some("Allow")
    );
    // Esc closes the list (and only the list); Ctrl+Space opens it again
    area.dispatch_event(&key("Escape", false)).unwrap();
    settle().await;
    assert!(root
        .query_selector("[data-testid=completion]")
        .unwrap()
        .is_none());
    area.dispatch_event(&key(" ", true)).unwrap();
    settle().await;
    area.dispatch_event(&key("ArrowDown", false)).unwrap();
    settle().await;
    let active = area.get_attribute("aria-activedescendant").unwrap();
    assert!(active.ends_with("-1"), "{active}");
    let enter = key("Enter", false);
    area.dispatch_event(&enter).unwrap();
    assert!(enter.default_prevented());
    settle().await;
    assert_eq!(
        seen.borrow().last().map(String::as_str),
        Some("{\"Statement\": {\"Effect\": \"Deny\"}}")
    );
    assert!(root
        .query_selector("[data-testid=completion]")
        .unwrap()
        .is_none());
    assert!(area.get_attribute("aria-activedescendant").is_none());
}

#[wasm_bindgen_test]
async fn editor_renders_gutter_overlay_diagnostics_and_bands() {
    let root = mount();
    let seen = Rc::new(RefCell::new(Vec::new()));
    yew::Renderer::<Editor>::with_root_and_props(root.clone(), editor_props("[1,\n]\n<x>", seen))
        .render();
    settle().await;
    assert_eq!(root.query_selector_all(".gutter .ln").unwrap().length(), 3);
    // the line of the error is flagged in the gutter, numbered from 1
    let flagged = root.query_selector(".gutter .ln-error").unwrap().unwrap();
    assert!(["1", "2", "3"].contains(&flagged.text_content().unwrap().as_str()));
    assert!(root
        .query_selector(".overlay .diag-error")
        .unwrap()
        .is_some());
    // markup in the policy is text, never HTML
    assert!(root.query_selector(".overlay x").unwrap().is_none());
    assert!(root.query_selector(".band.band-allow").unwrap().is_some());
    let area: HtmlTextAreaElement = root
        .query_selector("[data-testid=policy-editor]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(area.value(), "[1,\n]\n<x>");
    assert_eq!(
        area.get_attribute("aria-label").as_deref(),
        Some("Policy text")
    );
}

#[wasm_bindgen_test]
async fn editor_reports_input_and_indents_on_tab_but_lets_go_after_escape() {
    let root = mount();
    let seen = Rc::new(RefCell::new(Vec::new()));
    yew::Renderer::<Editor>::with_root_and_props(root.clone(), editor_props("{}", seen.clone()))
        .render();
    settle().await;
    let area: HtmlTextAreaElement = root
        .query_selector("[data-testid=policy-editor]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value("{ }");
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    assert_eq!(seen.borrow().last().map(String::as_str), Some("{ }"));

    area.set_selection_range(1, 1).unwrap();
    let tab = || {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Tab");
        init.set_cancelable(true);
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()
    };
    let ev = tab();
    area.dispatch_event(&ev).unwrap();
    assert!(ev.default_prevented(), "Tab should indent");
    assert_eq!(seen.borrow().last().map(String::as_str), Some("{   }"));

    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    area.dispatch_event(
        &web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
    )
    .unwrap();
    let ev = tab();
    area.dispatch_event(&ev).unwrap();
    assert!(
        !ev.default_prevented(),
        "after Escape, Tab must move focus on"
    );
}

#[wasm_bindgen_test]
async fn decision_panel_is_a_live_region_with_the_access_denied_message() {
    let root = mount();
    let props = DecisionPanelProps {
        view: Some(Rc::new(DecisionView {
            decision: Decision::ImplicitDeny,
            request_line: "p a r".into(),
            message: Some("User: x is not authorized to perform: s3:GetObject".into()),
            reason: Some("because no identity-based policy allows the s3:GetObject action".into()),
            deciding: vec![],
            missing_keys: vec!["aws:SourceIdentity".into()],
        })),
        unavailable: None,
        on_deciding: Callback::noop(),
    };
    yew::Renderer::<DecisionPanel>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let panel = root
        .query_selector("[data-testid=decision]")
        .unwrap()
        .unwrap();
    assert_eq!(
        panel.get_attribute("data-decision").as_deref(),
        Some("ImplicitDeny")
    );
    assert_eq!(panel.get_attribute("aria-live").as_deref(), Some("polite"));
    let msg = root
        .query_selector("[data-testid=access-denied-message]")
        .unwrap()
        .unwrap();
    assert!(msg.text_content().unwrap().contains("not authorized"));
    assert!(root
        .query_selector("[data-testid=missing-keys]")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn the_whole_app_renders_a_decision_for_the_default_scenario() {
    let root = mount();
    yew::Renderer::<abacus_web::app::App>::with_root(root.clone()).render();
    settle().await;
    let panel = root
        .query_selector("[data-testid=decision]")
        .unwrap()
        .unwrap();
    let decision = panel.get_attribute("data-decision").unwrap_or_default();
    assert!(
        ["Allow", "ExplicitDeny", "ImplicitDeny"].contains(&decision.as_str()),
        "{decision}"
    );
    let record = root
        .query_selector("[data-testid=cloudtrail]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    // SageMaker's AssumeRole of the Studio session, then the user's call
    let json: serde_json::Value = serde_json::from_str(&record).unwrap();
    let records = json.as_array().unwrap();
    assert_eq!(records[0]["eventName"], "AssumeRole");
    assert!(records.last().unwrap().get("eventName").is_some());
}

#[wasm_bindgen_test]
async fn a_state_change_that_derives_nothing_new_still_reaches_the_screen_and_the_header() {
    // the action filter and the screen are state the deriver does not read: the screens and
    // the header see them through the shell's context, not through the derived results
    let root = mount();
    yew::Renderer::<abacus_web::app::App>::with_root(root.clone()).render();
    settle().await;
    let text = |testid: &str| {
        root.query_selector(&format!("[data-testid={testid}]"))
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    let before = text("action-matches");
    let filter: web_sys::HtmlInputElement = root
        .query_selector("[data-testid=action-filter]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    filter.set_value("stoptrainingjob");
    filter
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    settle().await;
    let after = text("action-matches");
    assert_ne!(after, before);
    assert!(after.contains("1 matching action"), "{after}");
    let tab = |testid: &str| {
        root.query_selector(&format!("[data-testid={testid}]"))
            .unwrap()
            .unwrap()
    };
    tab("tab-world")
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    assert_eq!(
        tab("tab-world").get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    assert!(root
        .query_selector("[data-testid=world-editor]")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
async fn request_panel_labels_every_control_and_reports_a_typed_arn() {
    let root = mount();
    let seen: Rc<RefCell<Vec<RequestEdit>>> = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let arn = "arn:aws:s3:::my-bucket/a.csv";
    let props = RequestPanelProps {
        view: Rc::new(RequestView {
            users: vec![Opt::same("alice")],
            user: "alice".into(),
            action: "s3:GetObject".into(),
            resources: vec![Opt {
                value: abacus_web::doc::CUSTOM_ARN.into(),
                label: "Custom ARN…".into(),
            }],
            resource: abacus_web::doc::CUSTOM_ARN.into(),
            resource_arn: arn.into(),
            custom_arn: Some(arn.into()),
            routes: vec![Opt::same("studio")],
            route: "studio".into(),
            ..RequestView::default()
        }),
        on_edit: Callback::from(move |e: RequestEdit| sink.borrow_mut().push(e)),
        readonly: false,
        actions: Rc::new(abacus_web::reference::ActionPicker {
            options: vec![Opt::same("s3:GetObject")],
            message: Some("1 matching action".into()),
        }),
        filter: "getobject".into(),
        on_filter: Callback::noop(),
    };
    yew::Renderer::<RequestPanel>::with_root_and_props(root.clone(), props).render();
    settle().await;
    // every select and input has a <label for=...>
    let controls = root.query_selector_all("select, input").unwrap();
    assert!(controls.length() >= 5);
    for i in 0..controls.length() {
        let el: Element = controls.item(i).unwrap().dyn_into().unwrap();
        let id = el.id();
        assert!(
            root.query_selector(&format!("label[for='{id}']"))
                .unwrap()
                .is_some(),
            "control `{id}` has no label"
        );
    }
    let input: web_sys::HtmlInputElement = root
        .query_selector("[data-testid=resource-arn]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(input.value(), arn);
    assert!(root
        .query_selector("[data-testid=resolved-arn]")
        .unwrap()
        .is_none());
    input.set_value("arn:aws:s3:::other/b.csv");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    assert_eq!(
        seen.borrow().last(),
        Some(&RequestEdit::ResourceArn("arn:aws:s3:::other/b.csv".into()))
    );
}
