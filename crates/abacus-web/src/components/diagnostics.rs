//! The diagnostics list under the editor: engine and lint findings at line:column.

use abacus_policy::{Diagnostic, Severity};
use std::rc::Rc;
use yew::prelude::*;

/// Diagnostics list properties.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagnosticsProps {
    /// The findings for the policy in the editor (parser, validator, linter).
    pub items: Rc<Vec<Diagnostic>>,
    /// Moves the caret to the finding at this index.
    pub on_jump: Callback<usize>,
    /// The quick fix of each finding, where there is one.
    pub fixes: Rc<Vec<Option<abacus_templates::fixes::Fix>>>,
    /// Applies the quick fix of the finding at this index.
    pub on_fix: Callback<usize>,
    /// Element id, for the editor's `aria-describedby`.
    pub id: AttrValue,
}

/// The diagnostics list.
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    let rows = props.items.iter().enumerate().map(|(i, d)| {
        let sev = match d.severity {
            Severity::Error => "sev-error",
            Severity::Warning => "sev-warning",
            Severity::Info => "sev-info",
        };
        let onclick = props.on_jump.reform(move |_| i);
        html! {
            <li data-line={d.start.line.to_string()} data-column={d.start.column.to_string()} data-code={d.code.clone()}>
                <button {onclick} title="show in the editor">
                    <span class="where">{ format!("{}:{}", d.start.line, d.start.column) }</span>
                    <span class={sev}>{ d.severity.to_string() }</span>{ " " }
                    <span class="msg">{ &d.message }</span>{ " " }
                    <span class="code">{ &d.code }</span>
                </button>
                if !d.help.is_empty() {
                    <div class="help">{ &d.help }</div>
                }
                if let Some(Some(fix)) = props.fixes.get(i) {
                    <button class="quick-fix" data-testid="quick-fix" data-code={d.code.clone()}
                        onclick={props.on_fix.reform(move |_| i)}
                        title="apply this fix in the editor (Ctrl+. on the line)">
                        { &fix.title }
                    </button>
                }
            </li>
        }
    });
    html! {
        <>
        if props.items.is_empty() {
            <p class="diagnostics-empty" data-testid="no-diagnostics">{ "No problems found by the parser, validator or linter." }</p>
        }
        <ul class="diagnostics" data-testid="diagnostics" id={props.id.clone()}
            aria-label={format!("{} diagnostics", props.items.len())}>
            { for rows }
        </ul>
        </>
    }
}
