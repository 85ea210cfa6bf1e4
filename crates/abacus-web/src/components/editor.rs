//! The policy editor: a transparent `<textarea>` over a highlighted `<pre>`, with a line
//! gutter, diagnostic underlines and bands marking the statements that decided a request.
//!
//! Keyboard: Tab indents by two spaces; Esc, then Tab, leaves the editor (it never traps
//! focus). Enter keeps the indentation, and Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo and redo one
//! edit at a time; the logic for both is in [`crate::editing`], this is only the DOM side.
//! The overlay is built as escaped HTML, one string per line, which is much cheaper than a
//! virtual-DOM node per token; the lines are keyed by their HTML, so that a keystroke
//! replaces only the line it changed (a large policy has thousands of token nodes).
//!
//! The textarea is the scroll container, so the browser itself keeps the caret in view; the
//! overlay and the gutter follow its scroll position with a transform.
//!
//! Completion ([`super::completion`]): Ctrl+Space, or typing `"` where something can be
//! offered, opens the list under the caret; typing narrows it, the arrows move in it, Enter
//! or Tab accepts (one undoable edit) and Esc closes it. Tab indents and Esc-then-Tab leaves
//! the editor as before whenever no list is open.

use super::completion::{
    listbox, next_list_id, use_list_effects, Accept, CompletionWorld, ListboxProps, Popup,
};
use super::hover::{
    anchored_style, focus_first_link, tooltip, use_hover_measure, use_pointer_hover, PointerHover,
    Tip, TipHandlers,
};
use super::overlay::{flagged_lines, overlay_lines, Gutter};
use crate::editing::{self, EditKind, History, Selection, Snapshot};
use crate::highlight::{self, Mark};
use abacus_policy::Severity;
use gloo::events::{EventListener, EventListenerOptions};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

pub use crate::view::{Band, Jump, LineNote, QuickEdit};
use abacus_templates::fixes::Fix;

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
    /// What the text belongs to (a policy id): another one starts a new undo history. When
    /// absent, the label says it (so renaming would restart the history).
    #[prop_or_default]
    pub document: Option<AttrValue>,
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
    /// The reference data's generation: an open completion list is recomputed when a
    /// service it waits for arrives.
    #[prop_or_default]
    pub reference: u64,
    /// The document whose world completion takes values from (ARNs, condition values).
    #[prop_or_default]
    pub world: Option<CompletionWorld>,
    /// Quick fixes, each with the byte offset of its finding: Ctrl+. applies the first one
    /// on the caret's line.
    #[prop_or_default]
    pub fixes: Rc<Vec<(usize, Fix)>>,
    /// A quick fix to apply now (from the diagnostics list), through the undo history.
    #[prop_or_default]
    pub quick_edit: Option<Rc<QuickEdit>>,
    /// The selected request's context: the hover shows the values of keys and variables.
    #[prop_or_default]
    pub context: Option<Rc<abacus_policy::Context>>,
}

thread_local! {
    /// The nonce of the last quick fix applied (see [`QuickEdit`]).
    static APPLIED: std::cell::Cell<Option<u32>> = const { std::cell::Cell::new(None) };
}

/// `text` with the first fix whose finding is on the line of byte `caret` applied, the caret
/// after the new text.
fn fix_on_line(fixes: &[(usize, Fix)], text: &str, caret: usize) -> Option<Snapshot> {
    let line_of = |at: usize| {
        text.get(..at.min(text.len()))
            .map_or(0, |t| t.matches('\n').count())
    };
    let line = line_of(caret);
    let (_, fix) = fixes.iter().find(|(at, _)| line_of(*at) == line)?;
    Some(Snapshot {
        text: fix.apply(text)?,
        selection: Selection::caret(fix.start + fix.replacement.len()),
    })
}

/// The byte offset of the textarea's caret (the selection's end).
fn caret_of(area: &HtmlTextAreaElement, text: &str) -> usize {
    selection_of(area, text).end
}

/// The textarea's selection as byte offsets into `text` (its value).
fn selection_of(area: &HtmlTextAreaElement, text: &str) -> Selection {
    let start = area.selection_start().ok().flatten().unwrap_or(0);
    let end = area.selection_end().ok().flatten().unwrap_or(start);
    Selection::new(
        editing::byte_offset(text, start as usize),
        editing::byte_offset(text, end as usize),
    )
}

/// Puts `snap` in the textarea. Only the changed range is replaced (a whole new value would
/// move the caret to the end and scroll there), then the selection is set, which also
/// scrolls the caret into view.
fn show(area: &HtmlTextAreaElement, snap: &Snapshot) {
    let old = area.value();
    let (start, old_end, new_end) = editing::changed_range(&old, &snap.text);
    if start != old_end || start != new_end {
        let from = highlight::utf16_offset(&old, start) as u32;
        let to = highlight::utf16_offset(&old, old_end) as u32;
        let replaced = snap
            .text
            .get(start..new_end)
            .and_then(|r| {
                area.set_range_text_with_start_and_end_and_mode(r, from, to, "preserve")
                    .ok()
            })
            .is_some();
        if !replaced {
            area.set_value(&snap.text);
        }
    }
    let from = highlight::utf16_offset(&snap.text, snap.selection.start) as u32;
    let to = highlight::utf16_offset(&snap.text, snap.selection.end) as u32;
    let _ = area.set_selection_range(from, to);
}

/// Moves the overlay and the gutter to the textarea's scroll position. They are moved with
/// a transform set outside the virtual DOM, so scrolling never re-renders.
fn follow_scroll(area: &NodeRef, layer: &NodeRef, gutter: &NodeRef) {
    let Some(area) = area.cast::<Element>() else {
        return;
    };
    let (x, y) = (area.scroll_left(), area.scroll_top());
    if let Some(layer) = layer.cast::<Element>() {
        let _ = layer.set_attribute(
            "style",
            &format!("transform: translate({}px, {}px)", -x, -y),
        );
    }
    if let Some(gutter) = gutter.cast::<Element>() {
        let _ = gutter.set_attribute("style", &format!("transform: translateY({}px)", -y));
    }
}

/// The editor's own state, shared by the Yew handlers and the native listeners.
#[derive(Clone)]
struct Session {
    history: Rc<RefCell<History>>,
    /// The newest `on_input` (native listeners are attached once, the callback changes).
    on_input: Rc<RefCell<Callback<String>>>,
    /// The selection (UTF-16) when the pending edit began, from `beforeinput`.
    pending: Rc<RefCell<Option<(u32, u32)>>>,
}

impl Session {
    /// Makes `after` the text as one undo step of its own (Tab, Enter).
    fn apply(&self, area: &HtmlTextAreaElement, before: Selection, after: Snapshot, at_ms: f64) {
        show(area, &after);
        let text = after.text.clone();
        self.history
            .borrow_mut()
            .record(before, after, EditKind::Single, at_ms);
        self.emit(text);
    }

    /// Records what the browser just did to the textarea (typing, deleting, pasting, …).
    fn record_input(
        &self,
        area: &HtmlTextAreaElement,
        input_type: &str,
        data: Option<String>,
        at_ms: f64,
    ) {
        let value = area.value();
        let selection = selection_of(area, &value);
        let kind = match input_type {
            // a keystroke types one character; more at once (an autocomplete, a dictation)
            // is a step of its own
            "insertText" if data.as_ref().is_some_and(|d| d.chars().count() == 1) => {
                EditKind::Type {
                    space: data.is_some_and(|d| d.chars().all(char::is_whitespace)),
                }
            }
            "insertCompositionText" => EditKind::Type { space: false },
            "deleteContentBackward"
            | "deleteContentForward"
            | "deleteWordBackward"
            | "deleteWordForward" => EditKind::Delete,
            _ => EditKind::Single,
        };
        {
            let mut history = self.history.borrow_mut();
            let before = self.pending.borrow_mut().take().map_or(
                history.present().selection,
                |(from, to)| {
                    let text = &history.present().text;
                    Selection::new(
                        editing::byte_offset(text, from as usize),
                        editing::byte_offset(text, to as usize),
                    )
                },
            );
            history.record(
                before,
                Snapshot {
                    text: value.clone(),
                    selection,
                },
                kind,
                at_ms,
            );
        }
        self.emit(value);
    }

    /// Undoes (or redoes) one step, if there is one.
    fn undo(&self, area: &HtmlTextAreaElement, redo: bool) {
        let snap = {
            let mut history = self.history.borrow_mut();
            if redo {
                history.redo().cloned()
            } else {
                history.undo().cloned()
            }
        };
        if let Some(snap) = snap {
            show(area, &snap);
            self.emit(snap.text);
        }
    }

    /// Tells the app. No borrow is held: the app may re-render the editor right away.
    fn emit(&self, text: String) {
        crate::perf::mark_input();
        let on_input = self.on_input.borrow().clone();
        on_input.emit(text);
    }
}

/// The policy editor.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let layer = use_node_ref();
    let gutter_lines = use_node_ref();
    let escaped = use_mut_ref(|| false);
    let popup = use_state(|| None::<Rc<Popup>>);
    let tip = use_state(|| None::<Rc<Tip>>);
    let measure = use_node_ref();
    // the newest request context, for the hover handlers
    let context = use_mut_ref(|| None::<Rc<abacus_policy::Context>>);
    *context.borrow_mut() = props.context.clone();
    // the newest world, for the handlers (made once per render, read when a key arrives)
    let world = use_mut_ref(|| None::<CompletionWorld>);
    *world.borrow_mut() = props.world.clone();
    let world_of = move |w: &Rc<RefCell<Option<CompletionWorld>>>| w.borrow().clone();
    let list_id = use_state(next_list_id);
    let session = {
        let history = use_mut_ref(|| History::new(&props.text));
        let on_input = use_mut_ref(|| props.on_input.clone());
        let pending = use_mut_ref(|| None);
        *on_input.borrow_mut() = props.on_input.clone();
        Session {
            history,
            on_input,
            pending,
        }
    };
    // A text the editor did not make itself (another policy, an import, a solution) starts a
    // new history: undo must never bring back another document's text.
    let document = props
        .document
        .clone()
        .unwrap_or_else(|| props.label.clone());
    let owner = use_mut_ref(|| document.clone());
    let loads = use_mut_ref(|| 0u32);
    {
        let mut history = session.history.borrow_mut();
        let mut owner = owner.borrow_mut();
        if history.present().text != props.text.as_str() || *owner != document {
            history.reset(&props.text);
            *owner = document;
            *loads.borrow_mut() += 1;
        }
    }
    // A loaded text opens at its top: setting a textarea's value puts the caret at the end,
    // and the textarea would scroll there as soon as it is focused. (Declared before the
    // jump effect, which runs after it and wins.)
    {
        let textarea = textarea.clone();
        let load = *loads.borrow();
        use_effect_with(load, move |_| {
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                let _ = area.set_selection_range(0, 0);
                area.set_scroll_top(0);
                area.set_scroll_left(0);
            }
        });
    }
    let text = props.text.as_str();

    let lines = highlight::line_count(text);
    let overlay = use_memo((props.text.clone(), props.marks.clone()), |(t, m)| {
        overlay_lines(t, m)
    });
    let flagged = use_memo((props.text.clone(), props.marks.clone()), |(t, m)| {
        flagged_lines(t, m)
    });
    let cols = highlight::longest_line(text) + 2;

    // Native listeners: `scroll` (Yew has no need to know) and `beforeinput` (Yew has no
    // handler for it), which gives the selection before an edit and the browser's own
    // undo and redo (menus), taken over so there is only one history.
    {
        let textarea = textarea.clone();
        let layer = layer.clone();
        let gutter_lines = gutter_lines.clone();
        let session = session.clone();
        let popup = popup.clone();
        use_effect_with((), move |_| {
            let mut listeners = Vec::new();
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                listeners.push(EventListener::new(&area, "scroll", move |_| {
                    follow_scroll(&textarea, &layer, &gutter_lines);
                    // the list follows the text it completes (typing a long line scrolls the
                    // textarea sideways): render it again where the text now is
                    if let Some(open) = (*popup).clone() {
                        popup.set(Some(open));
                    }
                }));
                let target = area.clone();
                let options = EventListenerOptions::enable_prevent_default();
                listeners.push(EventListener::new_with_options(
                    &target,
                    "beforeinput",
                    options,
                    move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::InputEvent>() else {
                            return;
                        };
                        match e.input_type().as_str() {
                            kind @ ("historyUndo" | "historyRedo") => {
                                e.prevent_default();
                                session.undo(&area, kind == "historyRedo");
                            }
                            _ => {
                                let from = area.selection_start().ok().flatten().unwrap_or(0);
                                let to = area.selection_end().ok().flatten().unwrap_or(from);
                                *session.pending.borrow_mut() = Some((from, to));
                            }
                        }
                    },
                ));
            }
            move || drop(listeners)
        });
    }
    // Text changes can move the scroll position without a scroll event reaching us before
    // the next paint.
    {
        let textarea = textarea.clone();
        let layer = layer.clone();
        let gutter_lines = gutter_lines.clone();
        use_effect(move || follow_scroll(&textarea, &layer, &gutter_lines));
    }

    {
        let textarea = textarea.clone();
        let text = props.text.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some(jump), Some(area)) = (jump, textarea.cast::<HtmlTextAreaElement>()) {
                let from = highlight::utf16_offset(&text, jump.start) as u32;
                let to = highlight::utf16_offset(&text, jump.end.max(jump.start)) as u32;
                let _ = area.focus();
                let _ = area.set_selection_range(from, to);
                // a few lines of context above the target
                let line = text
                    .get(..jump.start.min(text.len()))
                    .map_or(0, |s| s.matches('\n').count());
                area.set_scroll_top((line as i32 - 3).max(0) * 20);
            }
        });
    }

    // a service the list waits for has arrived: offer its actions
    {
        let popup = popup.clone();
        let world = world.clone();
        let textarea = textarea.clone();
        use_effect_with(props.reference, move |_| {
            if let (Some(open), Some(area)) = (&*popup, textarea.cast::<HtmlTextAreaElement>()) {
                let value = area.value();
                let w = world_of(&world);
                let w = w.as_ref().map(|d| &*d.0.world);
                popup.set(
                    open.refreshed(&value, caret_of(&area, &value), w)
                        .map(Rc::new),
                );
            }
        });
    }
    let accept: Rc<Accept> = {
        let session = session.clone();
        let popup = popup.clone();
        let world = world.clone();
        let textarea = textarea.clone();
        Rc::new(move |open: &Popup, index: usize, at_ms: f64| {
            let Some(area) = textarea.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let value = area.value();
            let before = selection_of(&area, &value);
            let Some(snap) = open.accept(&value, index) else {
                return;
            };
            let (text, caret) = (snap.text.clone(), snap.selection.end);
            session.apply(&area, before, snap, at_ms);
            // the start of a value (a service prefix) goes on to what can follow it
            let partial = open.completion.items.get(index).is_some_and(|i| i.partial);
            let w = world_of(&world);
            let next = partial
                .then(|| Popup::at(&text, caret, w.as_ref().map(|d| &*d.0.world)))
                .flatten();
            popup.set(next.map(Rc::new));
        })
    };
    let on_pick = {
        let popup = popup.clone();
        let accept = accept.clone();
        Callback::from(move |index: usize| {
            if let Some(open) = &*popup {
                accept(open, index, crate::platform::now());
            }
        })
    };

    // a quick fix from the diagnostics list: one undoable edit, and the caret after it
    {
        let textarea = textarea.clone();
        let session = session.clone();
        use_effect_with(props.quick_edit.clone(), move |edit| {
            // once: an editor mounted again (back from another screen) sees the same request
            let fresh = edit.as_ref().is_some_and(|e| {
                APPLIED.with(|applied| applied.replace(Some(e.nonce)) != Some(e.nonce))
            });
            if let (Some(edit), Some(area), true) =
                (edit, textarea.cast::<HtmlTextAreaElement>(), fresh)
            {
                let value = area.value();
                let before = selection_of(&area, &value);
                let fixed = value
                    .get(..edit.start)
                    .zip(value.get(edit.end..))
                    .map(|(a, b)| Snapshot {
                        text: format!("{a}{}{b}", edit.replacement),
                        selection: Selection::caret(edit.start + edit.replacement.len()),
                    });
                if let Some(snap) = fixed {
                    let _ = area.focus();
                    session.apply(&area, before, snap, crate::platform::now());
                }
            }
        });
    }

    let oninput = {
        let session = session.clone();
        let escaped = escaped.clone();
        let popup = popup.clone();
        let world = world.clone();
        Callback::from(move |e: InputEvent| {
            *escaped.borrow_mut() = false;
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                // read, not assumed: a plain `input` event (a script, an extension, a test)
                // has no `inputType`, and the typed getter would throw on it
                let kind = js_sys::Reflect::get(&e, &"inputType".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                let data = js_sys::Reflect::get(&e, &"data".into())
                    .ok()
                    .and_then(|v| v.as_string());
                let quote = kind == "insertText" && data.as_deref() == Some("\"");
                session.record_input(&area, &kind, data, e.time_stamp());
                // typing narrows an open list; a `"` opens one where something fits
                let value = area.value();
                let caret = caret_of(&area, &value);
                let w = world_of(&world);
                let w = w.as_ref().map(|d| &*d.0.world);
                let next = match &*popup {
                    Some(open) => open.refreshed(&value, caret, w),
                    None if quote => {
                        Popup::at(&value, caret, w).filter(|p| !p.completion.items.is_empty())
                    }
                    None => None,
                };
                if next.is_some() || popup.is_some() {
                    popup.set(next.map(Rc::new));
                }
            }
        })
    };
    let tip_id = format!("{}-hover", *list_id);
    let onkeydown = {
        let readonly = props.readonly;
        let fixes = props.fixes.clone();
        let tip = tip.clone();
        let tip_id = tip_id.clone();
        let context = context.clone();
        let escaped = escaped.clone();
        let session = session.clone();
        let popup = popup.clone();
        let world = world.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let modified = e.ctrl_key() || e.alt_key() || e.meta_key();
            let ctrl_i =
                (key == "i" || key == "I") && e.ctrl_key() && !e.alt_key() && !e.shift_key();
            // Ctrl+I on a shown tooltip: into its documentation links
            if ctrl_i && tip.is_some() && focus_first_link(&tip_id) {
                e.prevent_default();
                return;
            }
            if tip.is_some() && !matches!(key.as_str(), "Control" | "Shift" | "Alt" | "Meta") {
                tip.set(None);
            }
            if ctrl_i {
                e.prevent_default();
                crate::perf::start("abacus-hover");
                if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                    let value = area.value();
                    let ctx = context.borrow().clone();
                    tip.set(Tip::at(&value, caret_of(&area, &value), ctx.as_deref()).map(Rc::new));
                }
                return;
            }
            if let Some(open) = (*popup).clone().filter(|_| !modified) {
                let by = match key.as_str() {
                    "ArrowDown" => Some(1),
                    "ArrowUp" => Some(-1),
                    "PageDown" => Some(8),
                    "PageUp" => Some(-8),
                    _ => None,
                };
                if let Some(by) = by {
                    e.prevent_default();
                    popup.set(Some(Rc::new(open.moved(by))));
                    return;
                }
                match key.as_str() {
                    "Enter" | "Tab" if !e.shift_key() && !open.completion.items.is_empty() => {
                        e.prevent_default();
                        accept(&open, open.selected, e.time_stamp());
                        return;
                    }
                    "Escape" => {
                        // closes the list only: a second Esc, then Tab, leaves the editor
                        e.prevent_default();
                        popup.set(None);
                        return;
                    }
                    _ => {}
                }
            }
            if key == "." && (e.ctrl_key() || e.meta_key()) && !e.alt_key() && !readonly {
                e.prevent_default();
                if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                    let value = area.value();
                    let before = selection_of(&area, &value);
                    if let Some(snap) = fix_on_line(&fixes, &value, before.end) {
                        session.apply(&area, before, snap, e.time_stamp());
                        popup.set(None);
                    }
                }
                return;
            }
            if key == " " && e.ctrl_key() && !e.alt_key() && !e.meta_key() && !readonly {
                e.prevent_default();
                crate::perf::start("abacus-completion");
                if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                    let value = area.value();
                    let w = world_of(&world);
                    let w = w.as_ref().map(|d| &*d.0.world);
                    popup.set(Popup::at(&value, caret_of(&area, &value), w).map(Rc::new));
                }
                return;
            }
            if key == "Escape" {
                // the next Tab moves focus on instead of indenting
                *escaped.borrow_mut() = true;
                return;
            }
            let plain = !e.ctrl_key() && !e.alt_key() && !e.meta_key();
            if key == "Tab" && plain && !e.shift_key() {
                if readonly || *escaped.borrow() {
                    *escaped.borrow_mut() = false;
                    return; // let the browser move focus
                }
                e.prevent_default();
                if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                    let value = area.value();
                    let before = selection_of(&area, &value);
                    session.apply(
                        &area,
                        before,
                        editing::indent(&value, before),
                        e.time_stamp(),
                    );
                }
                return;
            }
            *escaped.borrow_mut() = false;
            if readonly || e.is_composing() {
                return;
            }
            let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let command = e.ctrl_key() || e.meta_key();
            match key.as_str() {
                "Enter" if plain => {
                    e.prevent_default();
                    let value = area.value();
                    let before = selection_of(&area, &value);
                    session.apply(
                        &area,
                        before,
                        editing::newline(&value, before),
                        e.time_stamp(),
                    );
                }
                "z" | "Z" if command && !e.alt_key() => {
                    e.prevent_default();
                    session.undo(&area, e.shift_key());
                }
                "y" | "Y" if e.ctrl_key() && !e.alt_key() && !e.shift_key() => {
                    e.prevent_default();
                    session.undo(&area, true);
                }
                _ => {}
            }
        })
    };

    let size = format!(
        "height: max(100%, calc({lines} * var(--lh) + 2 * var(--pad))); width: max(100%, calc({cols}ch + 2 * var(--pad)))"
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
        let class = classes!(class, n.fixable.then_some("lens-fixable"));
        html! { <div {class} {style} aria-hidden="true">{ &n.text }</div> }
    });
    use_hover_measure(tip.is_some());
    use_list_effects(
        popup.is_some(),
        popup.as_ref().map(|p| p.selected),
        (*list_id).clone(),
    );
    let close = {
        let popup = popup.clone();
        Callback::from(move |_: web_sys::Event| {
            if popup.is_some() {
                popup.set(None);
            }
        })
    };
    let onmousedown = close.reform(web_sys::Event::from);
    // the hover: after the pointer rests on a name for a moment
    let PointerHover {
        onmousemove,
        onmouseleave,
        tip_enter,
        tip_leave,
    } = use_pointer_hover(tip.clone(), measure.clone(), context.clone());
    let tip_handlers = TipHandlers::new(&tip, &textarea, &tip_id, tip_enter, tip_leave);
    let area = textarea.cast::<Element>();
    let anchored = |line: usize, column: usize| {
        area.as_ref()
            .map(|a| anchored_style(a, &measure, line, column))
            .unwrap_or_default()
    };
    let shown_tip = tip
        .as_ref()
        .map(|t| tooltip(t, &tip_id, anchored(t.line, t.column), &tip_handlers));
    let described_by = match (&props.described_by, tip.is_some()) {
        (Some(d), true) => Some(AttrValue::from(format!("{d} {tip_id}"))),
        (None, true) => Some(AttrValue::from(tip_id.clone())),
        (d, false) => d.clone(),
    };
    let onblur = close.reform(web_sys::Event::from);
    let active = popup
        .as_ref()
        .filter(|p| !p.completion.items.is_empty())
        .map(|p| AttrValue::from(Popup::option_id(&list_id, p.selected)));
    let list = popup.as_ref().map(|p| {
        listbox(ListboxProps {
            popup: p,
            id: &list_id,
            style: anchored(p.line, p.column),
            on_pick: on_pick.clone(),
        })
    });
    html! {
        <div class="editor">
            <div class="gutter" aria-hidden="true">
                <div class="gutter-lines" ref={gutter_lines}><Gutter flagged={flagged} /></div>
            </div>
            <div class="code">
                <div class="code-scroll" ref={layer}>
                    <div class="code-layer" style={size}>
                        { for bands }
                        { for notes }
                        <pre class="overlay" aria-hidden="true">
                            { for overlay.iter().map(|l| html! {
                                <span key={l.key.clone()}>{ Html::from_html_unchecked(l.html.clone()) }</span>
                            }) }
                        </pre>
                    </div>
                </div>
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
                    aria-describedby={described_by}
                    aria-keyshortcuts="Escape Control+Space Control+I Control+."
                    aria-autocomplete="list"
                    aria-controls={active.is_some().then(|| AttrValue::from((*list_id).clone()))}
                    aria-activedescendant={active}
                    value={props.text.clone()}
                    {oninput}
                    {onkeydown}
                    {onmousedown}
                    {onblur}
                    {onmousemove}
                    {onmouseleave}
                />
                // one child each, either way: Yew matches unkeyed children from the end, so
                // a child appearing after the textarea would re-create it (and lose the focus)
                { list.unwrap_or_default() }
                { shown_tip.unwrap_or_default() }
                <span class="measure" ref={measure} aria-hidden="true">{ "0000000000" }</span>
            </div>
        </div>
    }
}
