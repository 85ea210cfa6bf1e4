//! The editor's hover: what the name under the pointer (after a short rest) or the caret
//! (Ctrl+I) is, from [`abacus_templates::hover`], shown under its line. The tooltip is a
//! `role="tooltip"` the textarea names in `aria-describedby` while it is shown; any key or
//! moving on closes it.
//!
//! Its documentation links can be reached (WCAG 2.2, 1.4.13 "Content on Hover or Focus"):
//! the pointer may move from the name onto the tooltip without closing it, and Ctrl+I on a
//! shown tooltip moves the focus to its first link; Esc there returns to the editor, and
//! the tooltip closes when the focus or the pointer leaves it.

use abacus_policy::Context;
use abacus_templates::hover::{hover, Hover};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// A shown hover and where.
#[derive(Clone, Debug, PartialEq)]
pub struct Tip {
    /// What is shown.
    pub hover: Hover,
    /// The line (from 0) of what is described.
    pub line: usize,
    /// Its column (UTF-16 units).
    pub column: usize,
}

impl Tip {
    /// The hover for byte `at` of `text`, if there is something to say.
    pub fn at(text: &str, at: usize, context: Option<&Context>) -> Option<Tip> {
        let h = hover(text, at, &abacus_reference::current(), context)?;
        let (line, column) = crate::highlight::line_and_column(text, h.span.0);
        Some(Tip {
            line,
            column,
            hover: h,
        })
    }
}

/// The byte offset of the character at line `line`, column `column` (UTF-16 units) of
/// `text`, if the text has one there.
pub fn offset_at(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line == 0 {
        0
    } else {
        text.match_indices('\n').nth(line - 1)?.0 + 1
    };
    let rest = text.get(start..)?;
    let mut units = 0;
    for (i, c) in rest.char_indices() {
        if c == '\n' {
            return None;
        }
        units += c.len_utf16();
        if units > column {
            return Some(start + i);
        }
    }
    None
}

/// Ends the `abacus-hover` measure when a tooltip is on the page (Ctrl+I to a shown
/// tooltip).
#[hook]
pub fn use_hover_measure(shown: bool) {
    use_effect_with(shown, move |shown| {
        if *shown {
            crate::perf::end("abacus-hover");
        }
    });
}

/// How long a shown tip waits, once the pointer moves off its name, for the pointer to reach
/// it.
const GRACE_MS: u32 = 300;

/// The pointer handlers of the hover.
pub struct PointerHover {
    /// The textarea's `mousemove`.
    pub onmousemove: Callback<MouseEvent>,
    /// The textarea's `mouseleave`.
    pub onmouseleave: Callback<MouseEvent>,
    /// The tooltip's `mouseenter`: the pointer reached it, so it stays.
    pub tip_enter: Callback<MouseEvent>,
    /// The tooltip's `mouseleave`: it closes.
    pub tip_leave: Callback<MouseEvent>,
}

/// The pointer handlers of the hover: a pointer resting 400 ms on a name shows its tip (set
/// into `tip`); moving on or leaving closes it after a short grace, unless the pointer
/// reaches the tooltip. `measure` is an element holding ten characters of the editor's font,
/// for the character width and the line height; `context` holds the newest request context.
#[hook]
pub fn use_pointer_hover(
    tip: UseStateHandle<Option<Rc<Tip>>>,
    measure: NodeRef,
    context: Rc<RefCell<Option<Rc<Context>>>>,
) -> PointerHover {
    let resting = use_mut_ref(|| None::<Timeout>);
    let closing = use_mut_ref(|| None::<Timeout>);
    let close_soon = {
        let tip = tip.clone();
        let closing = closing.clone();
        Rc::new(move || {
            if tip.is_some() && closing.borrow().is_none() {
                let (tip, done) = (tip.clone(), closing.clone());
                *closing.borrow_mut() = Some(Timeout::new(GRACE_MS, move || {
                    *done.borrow_mut() = None;
                    tip.set(None);
                }));
            }
        })
    };
    let onmousemove = {
        let tip = tip.clone();
        let resting = resting.clone();
        let closing = closing.clone();
        let close_soon = close_soon.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let Some(unit) = measure.cast::<HtmlElement>() else {
                return;
            };
            let ch = f64::from(unit.offset_width()) / 10.0;
            let lh = f64::from(unit.offset_height());
            close_soon();
            // offsets from the textarea's padding edge, plus what it has scrolled, less its
            // padding (`--pad`)
            let pad = 8.0;
            let x = f64::from(e.offset_x()) + f64::from(area.scroll_left()) - pad;
            let y = f64::from(e.offset_y()) + f64::from(area.scroll_top()) - pad;
            if ch <= 0.0 || lh <= 0.0 || x < 0.0 || y < 0.0 {
                *resting.borrow_mut() = None;
                return;
            }
            let (line, column) = ((y / lh) as usize, (x / ch) as usize);
            let (tip, context, closing) = (tip.clone(), context.clone(), closing.clone());
            // a new move cancels the pending one (dropping a Timeout cancels it)
            *resting.borrow_mut() = Some(Timeout::new(400, move || {
                let value = area.value();
                let ctx = context.borrow().clone();
                if let Some(t) = offset_at(&value, line, column)
                    .and_then(|at| Tip::at(&value, at, ctx.as_deref()))
                {
                    *closing.borrow_mut() = None;
                    tip.set(Some(Rc::new(t)));
                }
            }));
        })
    };
    let onmouseleave = {
        let resting = resting.clone();
        let close_soon = close_soon.clone();
        Callback::from(move |_: MouseEvent| {
            *resting.borrow_mut() = None;
            close_soon();
        })
    };
    let tip_enter = {
        let closing = closing.clone();
        Callback::from(move |_: MouseEvent| {
            *resting.borrow_mut() = None;
            *closing.borrow_mut() = None;
        })
    };
    let tip_leave = Callback::from(move |_: MouseEvent| close_soon());
    PointerHover {
        onmousemove,
        onmouseleave,
        tip_enter,
        tip_leave,
    }
}

/// Where a popup anchored at line `line`, column `column` (UTF-16 units) of the textarea
/// `area` goes, as an inline style: fixed to the viewport at that character, so that the
/// editor's clipping does not cut it, under the line, or above it when there is no room
/// below. `measure` holds ten characters of the editor's font.
pub fn anchored_style(area: &Element, measure: &NodeRef, line: usize, column: usize) -> String {
    // room a popup needs (its list of eight rows and a description)
    const ROOM: f64 = 240.0;
    let (ch, lh) = measure
        .cast::<HtmlElement>()
        .map(|m| {
            (
                f64::from(m.offset_width()) / 10.0,
                f64::from(m.offset_height()),
            )
        })
        .filter(|(ch, lh)| *ch > 0.0 && *lh > 0.0)
        .unwrap_or((8.0, 20.0));
    let rect = area.get_bounding_client_rect();
    let pad = 8.0;
    let x = rect.left() + pad + column as f64 * ch - f64::from(area.scroll_left());
    let top = rect.top() + pad + line as f64 * lh - f64::from(area.scroll_top());
    let viewport = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::MAX);
    if top + lh + ROOM > viewport && top > ROOM {
        format!(
            "position: fixed; left: {x:.0}px; bottom: {:.0}px",
            viewport - top
        )
    } else {
        format!("position: fixed; left: {x:.0}px; top: {:.0}px", top + lh)
    }
}

/// The tooltip's own handlers.
pub struct TipHandlers {
    /// The pointer reached it.
    pub onmouseenter: Callback<MouseEvent>,
    /// The pointer left it.
    pub onmouseleave: Callback<MouseEvent>,
    /// A key in it (Esc returns to the editor).
    pub onkeydown: Callback<KeyboardEvent>,
    /// The focus left one of its links.
    pub onfocusout: Callback<FocusEvent>,
}

impl TipHandlers {
    /// The handlers of the tooltip `tip_id` over the textarea `textarea`: the pointer
    /// handlers of [`use_pointer_hover`], Esc back to the editor where the caret was, and
    /// closing when the focus leaves the tooltip (not when it moves between its links).
    pub fn new(
        tip: &UseStateHandle<Option<Rc<Tip>>>,
        textarea: &NodeRef,
        tip_id: &str,
        onmouseenter: Callback<MouseEvent>,
        onmouseleave: Callback<MouseEvent>,
    ) -> TipHandlers {
        let onkeydown = {
            let (tip, textarea) = (tip.clone(), textarea.clone());
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    e.prevent_default();
                    tip.set(None);
                    if let Some(area) = textarea.cast::<HtmlElement>() {
                        let _ = area.focus();
                    }
                }
            })
        };
        let onfocusout = {
            let (tip, selector) = (tip.clone(), format!("#{tip_id}"));
            Callback::from(move |e: FocusEvent| {
                let inside = e
                    .related_target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .and_then(|t| t.closest(&selector).ok().flatten())
                    .is_some();
                if !inside {
                    tip.set(None);
                }
            })
        };
        TipHandlers {
            onmouseenter,
            onmouseleave,
            onkeydown,
            onfocusout,
        }
    }
}

/// The tooltip of `tip`, with element id `id`, placed by `style` (see [`anchored_style`]):
/// its title, its facts, and its documentation links (opened in a new tab).
pub fn tooltip(tip: &Tip, id: &str, style: String, on: &TipHandlers) -> Html {
    let links = &tip.hover.links;
    html! {
        <div class="hover" role="tooltip" id={id.to_owned()} data-testid="hover" {style}
            onmouseenter={on.onmouseenter.clone()} onmouseleave={on.onmouseleave.clone()}
            onkeydown={on.onkeydown.clone()} onfocusout={on.onfocusout.clone()}>
            <div class="hover-title"><code>{ &tip.hover.title }</code></div>
            { for tip.hover.lines.iter().map(|l| html! { <div>{ l }</div> }) }
            if !links.is_empty() {
                <div class="hover-links">
                    { for links.iter().map(|l| html! {
                        <a href={l.url.clone()} target="_blank" rel="noopener noreferrer"
                            data-testid="hover-link">
                            { &l.label }<span class="sr-only">{ " (opens in a new tab)" }</span>
                        </a>
                    }) }
                </div>
            }
        </div>
    }
}

/// Moves the focus to the first documentation link of the tooltip `id`; false when it has
/// none.
pub fn focus_first_link(id: &str) -> bool {
    let Some(link) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|tip| tip.query_selector("a").ok().flatten())
        .and_then(|a| a.dyn_into::<HtmlElement>().ok())
    else {
        return false;
    };
    link.focus().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_positions_map_to_characters() {
        let text = "ab\nc😀d\n";
        assert_eq!(offset_at(text, 0, 1), Some(1));
        assert_eq!(offset_at(text, 1, 0), Some(3));
        assert_eq!(offset_at(text, 1, 2), Some(4), "the emoji's second unit");
        assert_eq!(offset_at(text, 1, 3), Some(8));
        assert_eq!(offset_at(text, 1, 9), None, "past the end of the line");
        assert_eq!(offset_at(text, 5, 0), None);
    }
}
