//! Diagnostics shared by every phase (parser, validator, template engine, linter).
//!
//! A diagnostic always points at source text: a byte [`Span`] plus the resolved
//! [`Position`]s of its start and end, with columns in both Unicode scalar values
//! (for terminals) and UTF-16 code units (for the browser's editor).

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into the policy text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column counted in Unicode scalar values.
    pub column: usize,
    /// 1-based column counted in UTF-16 code units (what a browser `<textarea>` uses).
    pub column_utf16: usize,
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The policy is rejected by AWS (or cannot be evaluated faithfully).
    Error,
    /// The policy is accepted but probably does not do what its author meant.
    Warning,
    /// Advice.
    Info,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One finding about a piece of source text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable machine-readable code, e.g. `json-trailing-comma` or `abac-unrestricted-addtags`.
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// Lowercase message without a trailing period; user input in backticks.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// Where it is.
    pub span: Span,
    /// Resolved start of `span`.
    pub start: Position,
    /// Resolved end of `span`.
    pub end: Position,
}

impl Diagnostic {
    /// Builds a diagnostic, resolving the span's positions against `index`.
    pub fn new(
        index: &LineIndex,
        severity: Severity,
        code: impl Into<String>,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            severity,
            message: message.into(),
            help: help.into(),
            span,
            start: index.position(span.start),
            end: index.position(span.end),
        }
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    /// `LINE:COL severity code message`, the format the CLI prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{} {} {} {}",
            self.start.line, self.start.column, self.severity, self.code, self.message
        )
    }
}

/// Maps byte offsets of one text to line/column positions.
///
/// Lookups cost O(log n) plus a scan of at most [`CHECKPOINT_CHARS`] characters, so a
/// megabyte pasted on one line still resolves hundreds of diagnostics instantly.
#[derive(Clone, Debug)]
pub struct LineIndex {
    text: String,
    /// Positions at every line start and every `CHECKPOINT_CHARS` characters within a line,
    /// ordered by byte offset; built on the first lookup, because most texts (valid
    /// policies) never need one.
    checkpoints: std::sync::OnceLock<Vec<(usize, Position)>>,
}

/// How many characters apart the in-line checkpoints are.
pub const CHECKPOINT_CHARS: usize = 64;

impl LineIndex {
    /// An index of `text`; the pass over it happens on the first [`LineIndex::position`].
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    /// The checkpoints of `text`, in one pass.
    fn index(text: &str) -> Vec<(usize, Position)> {
        let start = Position {
            line: 1,
            column: 1,
            column_utf16: 1,
        };
        let mut checkpoints = vec![(0, start)];
        let mut pos = start;
        for (i, ch) in text.char_indices() {
            if ch == '\n' {
                pos = Position {
                    line: pos.line + 1,
                    column: 1,
                    column_utf16: 1,
                };
                checkpoints.push((i + 1, pos));
                continue;
            }
            pos.column += 1;
            pos.column_utf16 += ch.len_utf16();
            if (pos.column - 1).is_multiple_of(CHECKPOINT_CHARS) {
                checkpoints.push((i + ch.len_utf8(), pos));
            }
        }
        checkpoints
    }

    /// The position of byte `offset`; offsets past the end clamp to the end, and an offset
    /// inside a multi-byte character counts that character as passed.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let checkpoints = self.checkpoints.get_or_init(|| Self::index(&self.text));
        let idx = match checkpoints.binary_search_by(|(b, _)| b.cmp(&offset)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let Some(&(base, mut pos)) = checkpoints.get(idx) else {
            return Position::default();
        };
        // No line start lies between the checkpoint and `offset` (line starts are
        // checkpoints), so this scan stays on one line and is at most CHECKPOINT_CHARS long.
        for (i, ch) in self.text.get(base..).unwrap_or("").char_indices() {
            if base + i >= offset {
                break;
            }
            pos.column += 1;
            pos.column_utf16 += ch.len_utf16();
        }
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_both_column_units() {
        let text = "ab\n\u{1F600}x\ny";
        let index = LineIndex::new(text);
        assert_eq!(
            index.position(0),
            Position {
                line: 1,
                column: 1,
                column_utf16: 1
            }
        );
        assert_eq!(
            index.position(3),
            Position {
                line: 2,
                column: 1,
                column_utf16: 1
            }
        );
        // after the emoji (4 bytes, 2 UTF-16 units)
        assert_eq!(
            index.position(7),
            Position {
                line: 2,
                column: 2,
                column_utf16: 3
            }
        );
        assert_eq!(
            index.position(9),
            Position {
                line: 3,
                column: 1,
                column_utf16: 1
            }
        );
        assert_eq!(
            index.position(999),
            Position {
                line: 3,
                column: 2,
                column_utf16: 2
            }
        );
    }

    #[test]
    fn checkpoints_agree_with_a_plain_scan_on_long_mixed_lines() {
        let line: String = (0..300)
            .map(|i| match i % 5 {
                0 => '\u{1F600}',
                1 => 'é',
                _ => 'a',
            })
            .collect();
        let text = format!("{line}\n{line}\n\nend");
        let index = LineIndex::new(&text);
        let (mut line_no, mut col, mut col16) = (1, 1, 1);
        for (i, ch) in text.char_indices() {
            let want = Position {
                line: line_no,
                column: col,
                column_utf16: col16,
            };
            assert_eq!(index.position(i), want, "at byte {i}");
            if ch == '\n' {
                (line_no, col, col16) = (line_no + 1, 1, 1);
            } else {
                col += 1;
                col16 += ch.len_utf16();
            }
        }
        let end = Position {
            line: line_no,
            column: col,
            column_utf16: col16,
        };
        assert_eq!(index.position(text.len()), end);
    }
}
