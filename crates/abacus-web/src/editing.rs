//! The policy editor's editing logic, free of the DOM: an undo history that groups typing
//! into one step per word, Enter that keeps (or deepens) the indentation, and Tab indent.
//!
//! The textarea's own undo stack cannot be used: every render that sets its value, and every
//! edit made from code (Tab, Enter), clears or splits it. So the editor keeps this history
//! and handles Ctrl+Z itself. Offsets here are byte offsets into the text; the editor
//! converts the textarea's UTF-16 offsets at the boundary.

use std::collections::VecDeque;

/// One indentation level.
pub const INDENT: &str = "  ";

/// Typing more than this long after the previous keystroke starts a new undo step.
pub const PAUSE_MS: f64 = 1000.0;

/// The most undo steps kept.
const MAX_STEPS: usize = 300;

/// The most text bytes the undo steps may hold (a pasted 200 kB document must not make
/// every later keystroke keep another copy for ever).
const MAX_BYTES: usize = 8 << 20;

/// A selection in byte offsets, `start <= end`; equal ends are a caret.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Where it starts.
    pub start: usize,
    /// Where it ends (exclusive).
    pub end: usize,
}

impl Selection {
    /// A selection between two offsets, in either order.
    pub fn new(a: usize, b: usize) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
        }
    }

    /// A caret at `at`.
    pub fn caret(at: usize) -> Self {
        Self { start: at, end: at }
    }
}

/// A text with its selection: what undo and redo go back to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The whole text.
    pub text: String,
    /// The selection in it.
    pub selection: Selection,
}

/// What an edit was, which decides whether it joins the undo step before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditKind {
    /// Typed characters; `space` when they were whitespace.
    Type {
        /// The typed text was whitespace.
        space: bool,
    },
    /// A deletion with Backspace or Delete.
    Delete,
    /// An edit that is one step on its own: indent, auto-indent, paste, cut, drop.
    Single,
}

impl EditKind {
    /// Whether an edit of kind `next` continues a step that ended with `self`. Typing
    /// whitespace after a word ends the word's step, so undo removes one word at a time.
    fn continues_with(self, next: EditKind) -> bool {
        match (self, next) {
            (EditKind::Type { space: before }, EditKind::Type { space: now }) => before || !now,
            (EditKind::Delete, EditKind::Delete) => true,
            _ => false,
        }
    }
}

/// One undo step: the state before it, and the selection right after it (the text after
/// it is the next step's `before`, or the present, so it is not stored twice).
#[derive(Clone, Debug)]
struct Step {
    before: Snapshot,
    after_selection: Selection,
    kind: EditKind,
    at_ms: f64,
}

/// One redo step: the state it goes to, and the selection before it (to rebuild the undo
/// step).
#[derive(Clone, Debug)]
struct Redo {
    after: Snapshot,
    before_selection: Selection,
    kind: EditKind,
}

/// The editor's undo and redo history.
#[derive(Clone, Debug, Default)]
pub struct History {
    present: Snapshot,
    undo: VecDeque<Step>,
    redo: Vec<Redo>,
    /// Whether the last undo step may still grow (false after undo, redo or a single step).
    open: bool,
    bytes: usize,
}

impl History {
    /// A history with nothing to undo, at `text` with the caret at its start.
    pub fn new(text: &str) -> Self {
        Self {
            present: Snapshot {
                text: text.to_owned(),
                selection: Selection::default(),
            },
            ..Self::default()
        }
    }

    /// Forgets everything and starts again at `text` (another policy was loaded).
    pub fn reset(&mut self, text: &str) {
        *self = Self::new(text);
    }

    /// The text and selection as the editor last left them.
    pub fn present(&self) -> &Snapshot {
        &self.present
    }

    /// Whether there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Records an edit from the present text, where the selection was `before_selection`,
    /// to `after`, made at `at_ms` (any clock in milliseconds, e.g. the event's time stamp).
    /// It joins the previous step when both are typing (or both deleting), the caret did
    /// not move in between, and less than [`PAUSE_MS`] passed.
    pub fn record(
        &mut self,
        before_selection: Selection,
        after: Snapshot,
        kind: EditKind,
        at_ms: f64,
    ) {
        if after.text == self.present.text {
            self.present.selection = after.selection;
            return;
        }
        let open = self.open;
        let joined = match self.undo.back_mut() {
            Some(last)
                if open
                    && last.kind.continues_with(kind)
                    && last.after_selection == before_selection
                    && (0.0..=PAUSE_MS).contains(&(at_ms - last.at_ms)) =>
            {
                last.after_selection = after.selection;
                last.kind = kind;
                last.at_ms = at_ms;
                true
            }
            _ => false,
        };
        let before_text = std::mem::replace(&mut self.present, after).text;
        if !joined {
            self.bytes += before_text.len();
            self.undo.push_back(Step {
                before: Snapshot {
                    text: before_text,
                    selection: before_selection,
                },
                after_selection: self.present.selection,
                kind,
                at_ms,
            });
            self.trim();
        }
        self.redo.clear();
        self.open = kind != EditKind::Single;
    }

    /// Drops the oldest steps beyond the limits (always keeping the newest one).
    fn trim(&mut self) {
        while self.undo.len() > 1 && (self.undo.len() > MAX_STEPS || self.bytes > MAX_BYTES) {
            if let Some(old) = self.undo.pop_front() {
                self.bytes = self.bytes.saturating_sub(old.before.text.len());
            }
        }
    }

    /// Goes back one step; returns the state to show, or `None` if there is nothing to undo.
    pub fn undo(&mut self) -> Option<&Snapshot> {
        let step = self.undo.pop_back()?;
        self.bytes = self.bytes.saturating_sub(step.before.text.len());
        let mut after = std::mem::replace(&mut self.present, step.before);
        after.selection = step.after_selection;
        self.redo.push(Redo {
            after,
            before_selection: self.present.selection,
            kind: step.kind,
        });
        self.open = false;
        Some(&self.present)
    }

    /// Goes forward one undone step; returns the state to show, or `None` if there is none.
    pub fn redo(&mut self) -> Option<&Snapshot> {
        let redo = self.redo.pop()?;
        let mut before = std::mem::replace(&mut self.present, redo.after);
        before.selection = redo.before_selection;
        self.bytes += before.text.len();
        self.undo.push_back(Step {
            before,
            after_selection: self.present.selection,
            kind: redo.kind,
            at_ms: f64::NEG_INFINITY,
        });
        self.open = false;
        Some(&self.present)
    }
}

/// The largest char boundary of `text` at or before `at` (offsets from the DOM may be
/// stale by the time they are used).
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at = at.saturating_sub(1);
    }
    at
}

/// `sel` clamped into `text` on char boundaries.
fn clamp(text: &str, sel: Selection) -> Selection {
    Selection::new(boundary(text, sel.start), boundary(text, sel.end))
}

/// The byte offset of UTF-16 offset `units` in `text` (the textarea counts in UTF-16), or
/// the text's length past its end.
pub fn byte_offset(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (i, ch) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += ch.len_utf16();
    }
    text.len()
}

/// What changed from `old` to `new`: the byte range `start..old_end` of `old` became
/// `start..new_end` of `new` (common prefix and suffix left out, on char boundaries), so the
/// editor replaces only that range and the browser keeps its scroll position.
pub fn changed_range(old: &str, new: &str) -> (usize, usize, usize) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let prefix = boundary(new, prefix);
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .chars()
        .rev()
        .zip(new.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .scan(0, |sum, n| {
            *sum += n;
            Some(*sum)
        })
        .take_while(|&sum| sum <= max_suffix)
        .last()
        .unwrap_or(0);
    (prefix, old.len() - suffix, new.len() - suffix)
}

/// The closing bracket of an opening one.
fn closer_of(open: char) -> Option<char> {
    match open {
        '{' => Some('}'),
        '[' => Some(']'),
        _ => None,
    }
}

/// What Enter does at `sel`: a line break whose new line keeps the current line's
/// indentation, one level deeper after `{` or `[`; between a bracket pair (`{|}`) the closing
/// bracket goes on a line of its own at the outer indentation.
pub fn newline(text: &str, sel: Selection) -> Snapshot {
    let sel = clamp(text, sel);
    let head = text.get(..sel.start).unwrap_or(text);
    let tail = text.get(sel.end..).unwrap_or("");
    let line = head
        .rfind('\n')
        .map_or(head, |i| head.get(i + 1..).unwrap_or(""));
    let code = line.trim_start_matches([' ', '\t']);
    let indent = line.get(..line.len() - code.len()).unwrap_or("");
    // The text after the caret moves to the new line, which already has its indentation;
    // but a caret inside the leading whitespace just pushes the line down as it is.
    let tail = if code.is_empty() {
        tail
    } else {
        tail.trim_start_matches([' ', '\t'])
    };
    let opener = code.trim_end_matches([' ', '\t']).chars().last();
    let closer = opener.and_then(closer_of);
    let mut out = String::with_capacity(text.len() + 2 * indent.len() + 4);
    out.push_str(head);
    out.push('\n');
    out.push_str(indent);
    if closer.is_some() {
        out.push_str(INDENT);
    }
    let caret = out.len();
    if closer.is_some() && tail.chars().next() == closer {
        out.push('\n');
        out.push_str(indent);
    }
    out.push_str(tail);
    Snapshot {
        text: out,
        selection: Selection::caret(caret),
    }
}

/// What Tab does at `sel`: a selection over several lines indents each of them (blank lines
/// stay blank); otherwise two spaces replace the selection.
pub fn indent(text: &str, sel: Selection) -> Snapshot {
    let sel = clamp(text, sel);
    let head = text.get(..sel.start).unwrap_or(text);
    let selected = text.get(sel.start..sel.end).unwrap_or("");
    if !selected.contains('\n') {
        let mut out = String::with_capacity(text.len() + INDENT.len());
        out.push_str(head);
        out.push_str(INDENT);
        let caret = out.len();
        out.push_str(text.get(sel.end..).unwrap_or(""));
        return Snapshot {
            text: out,
            selection: Selection::caret(caret),
        };
    }
    let first = head.rfind('\n').map_or(0, |i| i + 1);
    // a selection ending at the start of a line does not take that line with it
    let last = if selected.ends_with('\n') {
        sel.end - 1
    } else {
        sel.end
    };
    let mut out = String::with_capacity(text.len() + INDENT.len() * 8);
    let mut start = sel.start;
    let mut end = sel.end;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let here = line_start;
        line_start += line.len();
        let blank = line.trim_end_matches(['\n', '\r']).trim().is_empty();
        if here >= first && here <= last && !blank {
            out.push_str(INDENT);
            if here < sel.start {
                start += INDENT.len();
            }
            if here < sel.end {
                end += INDENT.len();
            }
        }
        out.push_str(line);
    }
    Snapshot {
        text: out,
        selection: Selection::new(start, end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `a|b` into the text and the caret at `|` (or `[a]b` into a selection).
    fn at(marked: &str) -> (String, Selection) {
        if let Some(c) = marked.find('|') {
            return (marked.replacen('|', "", 1), Selection::caret(c));
        }
        let s = marked.find('[').unwrap();
        let e = marked.find(']').unwrap() - 1;
        (
            marked.replacen('[', "", 1).replacen(']', "", 1),
            Selection::new(s, e),
        )
    }

    /// Shows a snapshot with its caret as `|` (or selection as `[…]`).
    fn show(s: &Snapshot) -> String {
        let mut t = s.text.clone();
        if s.selection.start == s.selection.end {
            t.insert(s.selection.start, '|');
        } else {
            t.insert(s.selection.end, ']');
            t.insert(s.selection.start, '[');
        }
        t
    }

    fn enter(marked: &str) -> String {
        let (t, s) = at(marked);
        show(&newline(&t, s))
    }

    fn tab(marked: &str) -> String {
        let (t, s) = at(marked);
        show(&indent(&t, s))
    }

    #[test]
    fn enter_keeps_the_indentation() {
        assert_eq!(enter("  \"a\": 1,|\n"), "  \"a\": 1,\n  |\n");
        assert_eq!(enter("x|"), "x\n|");
        assert_eq!(enter("    |"), "    \n    |");
    }

    #[test]
    fn enter_after_an_opening_bracket_indents_one_level() {
        assert_eq!(enter("  \"S\": [|"), "  \"S\": [\n    |");
        assert_eq!(enter("{ |"), "{ \n  |");
        assert_eq!(enter("{| \"a\": 1 }"), "{\n  |\"a\": 1 }");
    }

    #[test]
    fn enter_between_brackets_puts_the_closer_on_its_own_line() {
        assert_eq!(enter("{|}"), "{\n  |\n}");
        assert_eq!(enter("  [|]"), "  [\n    |\n  ]");
        assert_eq!(enter("  {| }"), "  {\n    |\n  }");
        assert_eq!(enter("[|}"), "[\n  |}");
    }

    #[test]
    fn enter_inside_the_indentation_pushes_the_line_down() {
        assert_eq!(enter("  |  \"a\""), "  \n  |  \"a\"");
        assert_eq!(enter("|  \"a\""), "\n|  \"a\"");
    }

    #[test]
    fn enter_replaces_a_selection_and_splits_the_rest() {
        assert_eq!(enter("  a[bc]d"), "  a\n  |d");
        assert_eq!(enter("  \"a\": 1,|   \"b\""), "  \"a\": 1,\n  |\"b\"");
    }

    #[test]
    fn offsets_out_of_range_or_inside_a_char_are_clamped() {
        let s = newline("é", Selection::caret(1));
        assert_eq!(s.text, "\né");
        let s = newline("ab", Selection::caret(99));
        assert_eq!(show(&s), "ab\n|");
    }

    #[test]
    fn tab_inserts_two_spaces_or_indents_selected_lines() {
        assert_eq!(tab("a|b"), "a  |b");
        assert_eq!(tab("a[b]c"), "a  |c");
        assert_eq!(tab("[a\nb]\nc"), "[  a\n  b]\nc");
        assert_eq!(tab("x[a\n\nb\n]c"), "  x[a\n\n  b\n]c");
        assert_eq!(tab("xa\nb[c\nd]"), "xa\n  b[c\n  d]");
    }

    #[test]
    fn utf16_offsets_map_to_bytes() {
        assert_eq!(byte_offset("aé😀b", 0), 0);
        assert_eq!(byte_offset("aé😀b", 2), 3);
        assert_eq!(byte_offset("aé😀b", 4), 7);
        assert_eq!(byte_offset("aé😀b", 9), 8);
    }

    #[test]
    fn changed_range_leaves_out_common_ends() {
        assert_eq!(changed_range("abc", "abXc"), (2, 2, 3));
        assert_eq!(changed_range("aaa", "aa"), (2, 3, 2));
        assert_eq!(changed_range("same", "same"), (4, 4, 4));
        assert_eq!(changed_range("", "new"), (0, 0, 3));
        // 'é' and 'è' share their first byte: the range still starts on a char boundary
        assert_eq!(changed_range("é", "è"), (0, 2, 2));
    }

    /// Types `s` one char at a time at the caret, `dt` ms apart, starting at `t`.
    fn type_str(h: &mut History, s: &str, t: f64, dt: f64) -> f64 {
        let mut t = t;
        for ch in s.chars() {
            let p = h.present().clone();
            let at = p.selection.start;
            let mut text = p.text.clone();
            text.insert(at, ch);
            h.record(
                p.selection,
                Snapshot {
                    text,
                    selection: Selection::caret(at + ch.len_utf8()),
                },
                EditKind::Type {
                    space: ch.is_whitespace(),
                },
                t,
            );
            t += dt;
        }
        t
    }

    fn caret_at(h: &mut History, at: usize) {
        let text = h.present().text.clone();
        h.record(
            Selection::caret(at),
            Snapshot {
                text,
                selection: Selection::caret(at),
            },
            EditKind::Single,
            0.0,
        );
    }

    #[test]
    fn typing_a_word_is_one_step_and_spaces_start_the_next() {
        let mut h = History::new("");
        type_str(&mut h, "hello world", 0.0, 50.0);
        assert_eq!(h.present().text, "hello world");
        assert_eq!(h.undo().map(show).as_deref(), Some("hello|"));
        assert_eq!(h.undo().map(show).as_deref(), Some("|"));
        assert!(h.undo().is_none());
        assert_eq!(h.redo().map(show).as_deref(), Some("hello|"));
        assert_eq!(h.redo().map(show).as_deref(), Some("hello world|"));
        assert!(h.redo().is_none());
    }

    #[test]
    fn a_pause_or_a_caret_jump_starts_a_new_step() {
        let mut h = History::new("");
        let t = type_str(&mut h, "ab", 0.0, 50.0);
        type_str(&mut h, "cd", t + PAUSE_MS + 1.0, 50.0);
        assert_eq!(h.undo().map(show).as_deref(), Some("ab|"));
        let mut h = History::new("xy");
        caret_at(&mut h, 2);
        type_str(&mut h, "ab", 0.0, 50.0);
        caret_at(&mut h, 0);
        type_str(&mut h, "cd", 200.0, 50.0);
        assert_eq!(h.present().text, "cdxyab");
        assert_eq!(h.undo().map(show).as_deref(), Some("|xyab"));
        assert_eq!(h.undo().map(show).as_deref(), Some("xy|"));
    }

    #[test]
    fn single_edits_never_merge_and_restore_the_selection() {
        let (text, sel) = at("a[b\nc]");
        let mut h = History::new(&text);
        let tabbed = indent(&text, sel);
        h.record(sel, tabbed.clone(), EditKind::Single, 0.0);
        let p = h.present().clone();
        h.record(
            p.selection,
            newline(&p.text, p.selection),
            EditKind::Single,
            1.0,
        );
        assert_eq!(h.undo().map(show), Some(show(&tabbed)));
        assert_eq!(h.undo().map(show).as_deref(), Some("a[b\nc]"));
    }

    #[test]
    fn typing_after_an_indent_is_its_own_step() {
        let mut h = History::new("x");
        let tabbed = indent("x", Selection::caret(0));
        h.record(Selection::caret(0), tabbed, EditKind::Single, 0.0);
        type_str(&mut h, "ab", 10.0, 10.0);
        assert_eq!(h.undo().map(show).as_deref(), Some("  |x"));
        assert_eq!(h.undo().map(show).as_deref(), Some("|x"));
    }

    #[test]
    fn deletions_group_but_not_with_typing() {
        let mut h = History::new("abc");
        caret_at(&mut h, 3);
        for (i, t) in ["ab", "a"].iter().enumerate() {
            let at = t.len();
            h.record(
                Selection::caret(at + 1),
                Snapshot {
                    text: (*t).to_owned(),
                    selection: Selection::caret(at),
                },
                EditKind::Delete,
                i as f64 * 10.0,
            );
        }
        type_str(&mut h, "z", 30.0, 10.0);
        assert_eq!(h.undo().map(show).as_deref(), Some("a|"));
        assert_eq!(h.undo().map(show).as_deref(), Some("abc|"));
    }

    #[test]
    fn a_new_edit_clears_redo_and_reset_forgets_everything() {
        let mut h = History::new("");
        type_str(&mut h, "ab", 0.0, 10.0);
        h.undo();
        assert!(h.can_redo());
        type_str(&mut h, "c", 100.0, 10.0);
        assert!(!h.can_redo());
        h.reset("other policy");
        assert!(!h.can_undo());
        assert_eq!(h.present().text, "other policy");
    }

    #[test]
    fn undo_after_redo_does_not_merge_new_typing_into_the_redone_step() {
        let mut h = History::new("");
        type_str(&mut h, "ab", 0.0, 10.0);
        h.undo();
        h.redo();
        type_str(&mut h, "cd", 30.0, 10.0);
        assert_eq!(h.undo().map(show).as_deref(), Some("ab|"));
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::new("");
        for i in 0..(MAX_STEPS + 50) {
            let p = h.present().clone();
            let mut text = p.text.clone();
            text.push(' ');
            h.record(
                p.selection,
                Snapshot {
                    text,
                    selection: Selection::caret(i + 1),
                },
                EditKind::Single,
                0.0,
            );
        }
        let mut n = 0;
        while h.undo().is_some() {
            n += 1;
        }
        assert_eq!(n, MAX_STEPS);
    }
}
