//! The policy editor: a transparent `<textarea>` over a highlighted `<pre>`, with a line
//! gutter, diagnostic underlines and bands marking the statements that decided a request.
//!
//! Keyboard: Tab indents by two spaces; Esc, then Tab, leaves the editor (it never traps
//! focus). The overlay is built as one escaped HTML string per render, which is much cheaper
//! than a virtual-DOM node per token on every keystroke.

use crate::highlight::{self, Mark, TokenKind};
use abacus_policy::Severity;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// A range of lines to tint, e.g. a deciding statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    /// First line, 1-based.
    pub first_line: usize,
    /// Last line, inclusive.
    pub last_line: usize,
    /// CSS class: `band-allow` or `band-deny`.
    pub class: &'static str,
}

/// A diagnostic message shown at the end of its line (inline, like an error lens).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineNote {
    /// 1-based line.
    pub line: usize,
    /// How serious.
    pub severity: Severity,
    /// `code: message`.
    pub text: String,
}

/// A request to move the caret (from a click on a diagnostic). `nonce` makes repeated
/// clicks on the same diagnostic move the caret again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jump {
    /// Byte offset to select from.
    pub start: usize,
    /// Byte offset to select to.
    pub end: usize,
    /// Changes on every request.
    pub nonce: u32,
}

/// Editor properties.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct EditorProps {
    /// The policy text.
    pub text: AttrValue,
    /// Diagnostic underlines.
    #[prop_or_default]
    pub marks: Rc<Vec<Mark>>,
    /// Tinted line ranges.
    #[prop_or_default]
    pub bands: Rc<Vec<Band>>,
    /// Read-only (embed mode).
    #[prop_or_default]
    pub readonly: bool,
    /// The accessible name, e.g. "Policy text: TeamAccess (identity)".
    pub label: AttrValue,
    /// Id of the element describing the diagnostics, for `aria-describedby`.
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
    /// Called with the whole new text on every edit.
    pub on_input: Callback<String>,
    /// Caret move request.
    #[prop_or_default]
    pub jump: Option<Jump>,
    /// Messages shown at the end of their line.
    #[prop_or_default]
    pub notes: Rc<Vec<LineNote>>,
}

fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(ch),
        }
    }
}

/// The overlay HTML for `text` (escaped; one span per coloured or marked segment).
pub fn overlay_html(text: &str, marks: &[Mark]) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for seg in highlight::segments(text, marks) {
        let slice = text.get(seg.start..seg.end).unwrap_or("");
        let mark_class = match seg.mark {
            Some(Severity::Error) => " diag-error",
            Some(Severity::Warning) => " diag-warning",
            Some(Severity::Info) => " diag-info",
            None => "",
        };
        if seg.kind == TokenKind::Space && mark_class.is_empty() {
            escape_into(&mut out, slice);
        } else {
            out.push_str("<span class=\"");
            out.push_str(seg.kind.class());
            out.push_str(mark_class);
            out.push_str("\">");
            escape_into(&mut out, slice);
            out.push_str("</span>");
        }
    }
    // a zero-width diagnostic at the very end (unexpected end of input) gets a caret
    if marks.iter().any(|m| m.start >= text.len()) {
        out.push_str("<span class=\"diag-error diag-eof\"> </span>");
    }
    // a trailing newline needs a character after it for the last line to have height
    out.push(' ');
    out
}

/// The worst severity starting on each line (index 0 is line 1), from the marks in any
/// order: one pass over the text for the line starts, then a binary search per mark.
pub fn flagged_lines(text: &str, marks: &[Mark]) -> Vec<Option<Severity>> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut worst = vec![None; starts.len()];
    for m in marks {
        // the line whose start is the last one at or before the mark
        let line = starts.partition_point(|&s| s <= m.start).saturating_sub(1);
        if let Some(w) = worst.get_mut(line) {
            *w = Some(w.map_or(m.severity, |s: Severity| s.min(m.severity)));
        }
    }
    worst
}

/// The gutter HTML: one number per line, flagged with the worst diagnostic starting on it.
pub fn gutter_html(flagged: &[Option<Severity>]) -> String {
    let mut out = String::with_capacity(flagged.len() * 24);
    for (i, worst) in flagged.iter().enumerate() {
        match worst {
            Some(Severity::Error) => out.push_str("<span class=\"ln ln-error\">"),
            Some(Severity::Warning) => out.push_str("<span class=\"ln ln-warning\">"),
            Some(Severity::Info) => out.push_str("<span class=\"ln ln-info\">"),
            None => out.push_str("<span class=\"ln\">"),
        }
        out.push_str(&(i + 1).to_string());
        out.push_str("</span>");
    }
    out
}

/// The policy editor.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let scroller = use_node_ref();
    let escaped = use_mut_ref(|| false);
    let text = props.text.as_str();

    let lines = highlight::line_count(text);
    let overlay = use_memo((props.text.clone(), props.marks.clone()), |(t, m)| {
        overlay_html(t, m)
    });
    let gutter = use_memo((props.text.clone(), props.marks.clone()), |(t, m)| {
        gutter_html(&flagged_lines(t, m))
    });
    let cols = highlight::longest_line(text) + 2;

    {
        let textarea = textarea.clone();
        let scroller = scroller.clone();
        let text = props.text.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some(jump), Some(area)) = (jump, textarea.cast::<HtmlTextAreaElement>()) {
                let from = highlight::utf16_offset(&text, jump.start) as u32;
                let to = highlight::utf16_offset(&text, jump.end.max(jump.start)) as u32;
                let _ = area.focus();
                let _ = area.set_selection_range(from, to);
                if let Some(el) = scroller.cast::<web_sys::Element>() {
                    let line = text
                        .get(..jump.start.min(text.len()))
                        .map_or(0, |s| s.matches('\n').count());
                    el.set_scroll_top((line as i32 - 3).max(0) * 20);
                }
            }
        });
    }

    let oninput = {
        let on_input = props.on_input.clone();
        let escaped = escaped.clone();
        Callback::from(move |e: InputEvent| {
            *escaped.borrow_mut() = false;
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                crate::perf::mark_input();
                on_input.emit(area.value());
            }
        })
    };
    let onkeydown = {
        let on_input = props.on_input.clone();
        let readonly = props.readonly;
        let escaped = escaped.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Escape" {
                // the next Tab moves focus on instead of indenting
                *escaped.borrow_mut() = true;
                return;
            }
            if key == "Tab" && !e.shift_key() && !e.ctrl_key() && !e.alt_key() && !e.meta_key() {
                if readonly || *escaped.borrow() {
                    *escaped.borrow_mut() = false;
                    return; // let the browser move focus
                }
                e.prevent_default();
                if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                    let start = area.selection_start().ok().flatten().unwrap_or(0);
                    let end = area.selection_end().ok().flatten().unwrap_or(start);
                    if area
                        .set_range_text_with_start_and_end_and_mode("  ", start, end, "end")
                        .is_ok()
                    {
                        crate::perf::mark_input();
                        on_input.emit(area.value());
                    }
                }
                return;
            }
            *escaped.borrow_mut() = false;
        })
    };

    let style = format!(
        "height: calc({lines} * var(--lh) + 2 * var(--pad)); width: max(100%, calc({cols}ch + 2 * var(--pad)))"
    );
    let bands = props.bands.iter().map(|b| {
        let style = format!(
            "top: calc({} * var(--lh) + var(--pad)); height: calc({} * var(--lh))",
            b.first_line.saturating_sub(1),
            b.last_line.saturating_sub(b.first_line) + 1
        );
        html! { <div class={classes!("band", b.class)} {style}></div> }
    });
    let line_lengths: Vec<usize> = text.split('\n').map(|l| l.encode_utf16().count()).collect();
    let notes = props.notes.iter().map(|n| {
        let col = line_lengths
            .get(n.line.saturating_sub(1))
            .copied()
            .unwrap_or(0)
            + 3;
        let style = format!(
            "top: calc({} * var(--lh) + var(--pad)); left: calc({col}ch + var(--pad))",
            n.line.saturating_sub(1)
        );
        let class = match n.severity {
            Severity::Error => "lens lens-error",
            Severity::Warning => "lens lens-warning",
            Severity::Info => "lens lens-info",
        };
        html! { <div {class} {style} aria-hidden="true">{ &n.text }</div> }
    });
    html! {
        <div class="editor" ref={scroller}>
            <div class="gutter" aria-hidden="true">{ Html::from_html_unchecked(AttrValue::from((*gutter).clone())) }</div>
            <div class="code" style={style.clone()}>
                { for bands }
                { for notes }
                <pre class="overlay" aria-hidden="true">{ Html::from_html_unchecked(AttrValue::from((*overlay).clone())) }</pre>
                <textarea
                    ref={textarea}
                    data-testid="policy-editor"
                    class="input"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    readonly={props.readonly}
                    aria-label={props.label.clone()}
                    aria-describedby={props.described_by.clone()}
                    aria-keyshortcuts="Escape"
                    value={props.text.clone()}
                    {oninput}
                    {onkeydown}
                    {style}
                />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_escapes_markup_and_marks_errors() {
        let html = overlay_html(
            "{\"a<b\": 1,}",
            &[Mark {
                start: 10,
                end: 10,
                severity: Severity::Error,
            }],
        );
        assert!(html.contains("&lt;"));
        assert!(!html.contains("a<b"));
        assert!(html.contains("tok-punct diag-error\">}"));
    }

    #[test]
    fn eof_marks_render_a_caret() {
        let html = overlay_html(
            "{",
            &[Mark {
                start: 1,
                end: 1,
                severity: Severity::Error,
            }],
        );
        assert!(html.contains("diag-eof"));
    }

    #[test]
    fn gutter_is_linear_in_lines_and_marks() {
        let text = "@\n".repeat(50_000);
        let marks: Vec<Mark> = (0..50_000)
            .map(|i| Mark {
                start: 2 * i,
                end: 2 * i + 1,
                severity: Severity::Error,
            })
            .collect();
        let g = gutter_html(&flagged_lines(&text, &marks));
        let html = overlay_html(&text, &marks);
        // no wall-clock bound here (it would flake on a busy machine): the size makes a
        // quadratic regression obvious, and `cargo xtask bench` reports the timings
        assert_eq!(g.matches("ln-error").count(), 50_000);
        assert_eq!(html.matches("diag-error").count(), 50_000);
    }

    #[test]
    fn gutter_flags_the_worst_severity_per_line() {
        let mark = |start, severity| Mark {
            start,
            end: start + 1,
            severity,
        };
        let flagged = flagged_lines(
            "a\nbc\nd",
            &[mark(3, Severity::Warning), mark(2, Severity::Error)],
        );
        assert_eq!(flagged, [None, Some(Severity::Error), None]);
        let g = gutter_html(&flagged);
        assert_eq!(g.matches("class=\"ln").count(), 3);
        assert!(g.contains("ln-error\">2<"));
    }
}
