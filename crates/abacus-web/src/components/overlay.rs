//! The editor's highlighted overlay, as escaped HTML: one string per line, keyed by its HTML,
//! so that a keystroke replaces only the line it changed (a large policy has thousands of
//! token nodes), and the gutter's line numbers flagged with the worst severity of each line
//! ([`Gutter`]). Natively testable: strings in, strings out.

use crate::highlight::{self, Mark, TokenKind};
use abacus_policy::Severity;
use yew::prelude::*;

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

/// One line of the overlay: its HTML (escaped; one span per coloured or marked segment,
/// ending with the line's newline) and a key that is the same for the same HTML, so that an
/// edit replaces only the lines it changed.
#[derive(Clone, Debug, PartialEq)]
pub struct OverlayLine {
    /// Unique among the lines: the HTML's hash and how many earlier lines have the same.
    pub key: String,
    /// The line's HTML.
    pub html: AttrValue,
}

/// Appends `slice` of kind `kind` to a line's HTML.
fn push_segment(out: &mut String, slice: &str, kind: TokenKind, mark_class: &str) {
    if slice.is_empty() {
        return;
    }
    if kind == TokenKind::Space && mark_class.is_empty() {
        escape_into(out, slice);
    } else {
        out.push_str("<span class=\"");
        out.push_str(kind.class());
        out.push_str(mark_class);
        out.push_str("\">");
        escape_into(out, slice);
        out.push_str("</span>");
    }
}

/// The overlay for `text`, a line at a time (see [`OverlayLine`]). A segment that runs over
/// a newline (whitespace, a mark) is split there into two spans of the same classes, which
/// draw the same. Keyed lines let the virtual DOM keep every line an edit leaves as it was:
/// a keystroke touches one line of the page instead of re-creating every token's node.
pub fn overlay_lines(text: &str, marks: &[Mark]) -> Vec<OverlayLine> {
    use std::collections::HashMap;
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut lines = Vec::with_capacity(highlight::line_count(text));
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut finish = |html: String, lines: &mut Vec<OverlayLine>| {
        let mut h = DefaultHasher::new();
        html.hash(&mut h);
        let hash = h.finish();
        let n = seen.entry(hash).or_insert(0);
        lines.push(OverlayLine {
            key: format!("{hash:x}-{n}"),
            html: AttrValue::from(html),
        });
        *n += 1;
    };
    let mut line = String::new();
    for seg in highlight::segments(text, marks) {
        let slice = text.get(seg.start..seg.end).unwrap_or("");
        let mark_class = match seg.mark {
            Some(Severity::Error) => " diag-error",
            Some(Severity::Warning) => " diag-warning",
            Some(Severity::Info) => " diag-info",
            None => "",
        };
        for piece in slice.split_inclusive('\n') {
            push_segment(&mut line, piece, seg.kind, mark_class);
            if piece.ends_with('\n') {
                finish(std::mem::take(&mut line), &mut lines);
            }
        }
    }
    // a zero-width diagnostic at the very end (unexpected end of input) gets a caret
    if marks.iter().any(|m| m.start >= text.len()) {
        line.push_str("<span class=\"diag-error diag-eof\"> </span>");
    }
    // a trailing newline needs a character after it for the last line to have height
    line.push(' ');
    finish(line, &mut lines);
    lines
}

/// The whole overlay's HTML ([`overlay_lines`] joined).
pub fn overlay_html(text: &str, marks: &[Mark]) -> String {
    overlay_lines(text, marks)
        .iter()
        .map(|l| l.html.as_str())
        .collect()
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

/// The gutter's properties: the worst severity starting on each line (index 0 is line 1), as
/// [`flagged_lines`] gives it.
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct GutterProps {
    /// Per line, its worst finding.
    pub flagged: std::rc::Rc<Vec<Option<Severity>>>,
}

/// The line numbers, each flagged with the worst diagnostic starting on its line: one span
/// per line, rendered only when a line or a flag changed (not for a keystroke within a line).
/// A new line then adds one span and re-flags the lines after it: as one block of HTML, every
/// number was created and laid out again on each Enter (a thousand in a large policy).
#[component]
pub fn Gutter(props: &GutterProps) -> Html {
    props
        .flagged
        .iter()
        .enumerate()
        .map(|(i, worst)| {
            let class = match worst {
                Some(Severity::Error) => "ln ln-error",
                Some(Severity::Warning) => "ln ln-warning",
                Some(Severity::Info) => "ln ln-info",
                None => "ln",
            };
            html! { <span {class}>{ i + 1 }</span> }
        })
        .collect()
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
        let flagged = flagged_lines(&text, &marks);
        let html = overlay_html(&text, &marks);
        // no wall-clock bound here (it would flake on a busy machine): the size makes a
        // quadratic regression obvious, and `cargo xtask bench` reports the timings
        assert_eq!(
            flagged
                .iter()
                .filter(|f| **f == Some(Severity::Error))
                .count(),
            50_000
        );
        assert_eq!(html.matches("diag-error").count(), 50_000);
    }

    #[test]
    fn overlay_lines_end_at_newlines_and_split_spans_there() {
        let text = "{\n  \"a\": 1\n}";
        let lines = overlay_lines(
            text,
            &[Mark {
                start: 0,
                end: text.len(),
                severity: Severity::Warning,
            }],
        );
        assert_eq!(lines.len(), 3);
        for l in lines.iter().take(2) {
            assert!(l.html.ends_with("\n</span>"), "{}", l.html);
        }
        // every line still carries the mark, and the text is the whole text plus the end space
        assert!(lines.iter().all(|l| l.html.contains("diag-warning")));
        let shown: String = overlay_html(text, &[])
            .split('<')
            .map(|p| p.split_once('>').map_or(p, |(_, t)| t))
            .collect();
        assert_eq!(shown, format!("{text} "));
    }

    #[test]
    fn overlay_line_keys_are_unique_and_follow_the_html() {
        let text = "[\n1,\n1,\n2\n]";
        let a = overlay_lines(text, &[]);
        let keys: std::collections::HashSet<&str> = a.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys.len(), a.len(), "keys are unique even for equal lines");
        // an edit to one line changes that line's key only
        let b = overlay_lines("[\n1,\n1,\n3\n]", &[]);
        let changed: Vec<usize> = (0..a.len())
            .filter(|&i| a.get(i).map(|l| &l.key) != b.get(i).map(|l| &l.key))
            .collect();
        assert_eq!(changed, [3]);
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
    }
}
