//! The editor's completion list: what is open at the caret ([`Popup`], from
//! [`abacus_templates::complete`]), how an item is accepted ([`Popup::accept`], one
//! undoable edit), and the listbox. The state and the edit are free of the DOM, so that they
//! test natively; the editor owns the keyboard and the textarea.
//!
//! Accessibility follows the ARIA combobox pattern as far as a multi-line text box allows:
//! the textarea keeps its role, names the listbox with `aria-controls`, says that it
//! completes with `aria-autocomplete="list"`, and points at the selected option with
//! `aria-activedescendant`, which screen readers announce as the selection moves. Each option
//! has `role="option"` and `data-value`, the text it inserts.

use crate::editing::{Selection, Snapshot};
use abacus_studio::model::World;
use abacus_studio::scenario::Scenario;
use abacus_templates::complete::{complete, Completion};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// An open completion list.
#[derive(Clone, Debug, PartialEq)]
pub struct Popup {
    /// What is offered, and what an item replaces.
    pub completion: Completion,
    /// The highlighted item.
    pub selected: usize,
    /// The caret's line (from 0), for placing the list under it.
    pub line: usize,
    /// The column (UTF-16 units) where the replaced text starts.
    pub column: usize,
}

impl Popup {
    /// The completion at byte `caret` of `text`, with values from `world`, if anything is
    /// offered or there is a note to show (a service being loaded).
    pub fn at(text: &str, caret: usize, world: Option<&World>) -> Option<Popup> {
        let completion = complete(text, caret, &abacus_reference::current(), world)?;
        if completion.items.is_empty() && completion.note.is_none() {
            return None;
        }
        let (line, column) = crate::highlight::line_and_column(text, completion.replace.0);
        Some(Popup {
            line,
            column,
            completion,
            selected: 0,
        })
    }

    /// The same list, recomputed for an edited text: the highlighted item stays when it is
    /// still offered. `None` when nothing is offered any more.
    pub fn refreshed(&self, text: &str, caret: usize, world: Option<&World>) -> Option<Popup> {
        let mut next = Popup::at(text, caret, world)?;
        let label = self
            .completion
            .items
            .get(self.selected)
            .map(|i| i.label.as_str());
        next.selected = next
            .completion
            .items
            .iter()
            .position(|i| Some(i.label.as_str()) == label)
            .unwrap_or(0);
        Some(next)
    }

    /// Moves the highlight by `by` items, stopping at either end.
    pub fn moved(&self, by: isize) -> Popup {
        let last = self.completion.items.len().saturating_sub(1);
        let selected = self.selected.saturating_add_signed(by).min(last);
        Popup {
            selected,
            ..self.clone()
        }
    }

    /// `text` with item `index` accepted: its text replaces the typed part, and the caret
    /// goes after it.
    pub fn accept(&self, text: &str, index: usize) -> Option<Snapshot> {
        let item = self.completion.items.get(index)?;
        let (from, to) = self.completion.replace;
        let mut out = String::with_capacity(text.len() + item.insert.len());
        out.push_str(text.get(..from)?);
        out.push_str(&item.insert);
        out.push_str(text.get(to..)?);
        Some(Snapshot {
            text: out,
            selection: Selection::caret(from + item.insert.len()),
        })
    }

    /// The id of option `index` of the listbox `list`.
    pub fn option_id(list: &str, index: usize) -> String {
        format!("{list}-option-{index}")
    }
}

/// A page-unique id for each editor's completion list.
pub fn next_list_id() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("completion-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Accepts item `index` of an open list, at a time stamp (for the undo history).
pub type Accept = dyn Fn(&Popup, usize, f64);

/// The list's effects: the end of the `abacus-completion` measure once a list is on the page
/// (Ctrl+Space to a shown list), and the highlighted option kept in view as the arrows move
/// it.
#[hook]
pub fn use_list_effects(open: bool, selected: Option<usize>, list_id: String) {
    use_effect_with(open, move |open| {
        if *open {
            crate::perf::end("abacus-completion");
        }
    });
    use_effect_with(selected, move |selected| {
        if let Some(i) = selected {
            keep_in_view(&list_id, *i);
        }
    });
}

/// Scrolls the listbox `list` so that option `index` is visible.
pub fn keep_in_view(list: &str, index: usize) {
    let document = web_sys::window().and_then(|w| w.document());
    let Some(document) = document else {
        return;
    };
    let by_id = |id: &str| {
        document
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    let (Some(ul), Some(option)) = (by_id(list), by_id(&Popup::option_id(list, index))) else {
        return;
    };
    let (top, height) = (
        option.offset_top() - ul.offset_top(),
        option.offset_height(),
    );
    if top < ul.scroll_top() {
        ul.set_scroll_top(top);
    } else if top + height > ul.scroll_top() + ul.client_height() {
        ul.set_scroll_top(top + height - ul.client_height());
    }
}

/// How many options the listbox renders at once, around the highlighted one.
const WINDOW: usize = 40;

/// The document whose world completion takes values from, compared by identity: every
/// edit makes a new document, and comparing two worlds on each render would cost more than
/// the list.
#[derive(Clone, Debug)]
pub struct CompletionWorld(pub Rc<Scenario>);

impl PartialEq for CompletionWorld {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Properties of [`listbox`].
pub struct ListboxProps<'a> {
    /// The open list.
    pub popup: &'a Popup,
    /// The listbox's element id.
    pub id: &'a str,
    /// Where it goes (see [`super::hover::anchored_style`]).
    pub style: String,
    /// Accepts item `index` (a click).
    pub on_pick: Callback<usize>,
}

/// The list under the caret: each option's label and detail, the highlighted one's
/// description, and the note when there is one.
pub fn listbox(props: ListboxProps<'_>) -> Html {
    let ListboxProps {
        popup,
        id,
        style,
        on_pick,
    } = props;
    // a press on the list must not take the focus from the textarea
    let keep_focus = Callback::from(|e: MouseEvent| e.prevent_default());
    let items = &popup.completion.items;
    // a window of the list around the highlight: the list shows eight rows, and a few dozen
    // options render in a fraction of the time of two hundred; `aria-setsize` and
    // `aria-posinset` give each its place in the whole list
    let first = popup
        .selected
        .saturating_sub(WINDOW / 2)
        .min(items.len().saturating_sub(WINDOW));
    let setsize = items.len().to_string();
    let options = items.iter().enumerate().skip(first).take(WINDOW).map(|(i, item)| {
        let selected = i == popup.selected;
        let onclick = on_pick.reform(move |_: MouseEvent| i);
        html! {
            <li role="option" id={Popup::option_id(id, i)} aria-selected={selected.to_string()}
                aria-setsize={setsize.clone()} aria-posinset={(i + 1).to_string()}
                class={classes!(selected.then_some("selected"))} data-value={item.insert.clone()} {onclick}>
                <span class="completion-label">{ &item.label }</span>
                if !item.detail.is_empty() {
                    <span class="completion-detail">{ &item.detail }</span>
                }
            </li>
        }
    });
    let description = items
        .get(popup.selected)
        .map(|i| i.description.as_str())
        .filter(|d| !d.is_empty());
    html! {
        <div class="completion" {style} onmousedown={keep_focus}>
            if !items.is_empty() {
                <ul role="listbox" id={id.to_owned()} data-testid="completion" aria-label="Completions">
                    { for options }
                </ul>
            }
            if let Some(d) = description {
                <div class="completion-doc">{ d }</div>
            }
            if let Some(note) = &popup.completion.note {
                <div class="completion-note" role="status">{ note }</div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index and SageMaker, as the app loads them at startup.
    fn bundled() {
        abacus_reference::install_index(abacus_reference::INDEX_JSON).unwrap();
        abacus_reference::install_service(include_str!(
            "../../../abacus-reference/data/services/sagemaker.json"
        ))
        .unwrap();
    }

    #[test]
    fn accepting_replaces_the_typed_part_and_leaves_the_caret_after_it() {
        bundled();
        let text = "{\"Statement\": [{\"Action\": [\"sagemaker:Sto],\n\"Resource\": \"*\"}]}";
        let caret = text.find("Sto").unwrap() + 3;
        let popup = Popup::at(text, caret, None).unwrap();
        assert_eq!((popup.line, popup.column), (0, 28));
        let i = popup
            .completion
            .items
            .iter()
            .position(|i| i.label == "sagemaker:StopTrainingJob")
            .unwrap();
        let snap = popup.accept(text, i).unwrap();
        assert!(snap
            .text
            .starts_with("{\"Statement\": [{\"Action\": [\"sagemaker:StopTrainingJob\"],\n"));
        assert_eq!(
            snap.selection,
            Selection::caret(text.find("Sto").unwrap() + "StopTrainingJob\"".len())
        );
    }

    #[test]
    fn the_highlight_moves_within_the_list_and_survives_typing() {
        bundled();
        let text = "{\"Statement\": {\"Effect\": \"";
        let popup = Popup::at(text, text.len(), None).unwrap();
        assert_eq!(popup.moved(-1).selected, 0);
        let down = popup.moved(5);
        assert_eq!(down.selected, 1, "two items: Allow and Deny");
        let typed = format!("{text}D");
        let next = down.refreshed(&typed, typed.len(), None).unwrap();
        assert_eq!(next.completion.items.len(), 1);
        assert_eq!(next.selected, 0);
        assert!(
            popup.refreshed("[1, 2]", 1, None).is_none(),
            "nothing is offered there"
        );
    }
}
