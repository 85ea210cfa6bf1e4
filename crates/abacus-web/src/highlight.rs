//! JSON syntax highlighting for the editor overlay, tolerant of any text.
//!
//! The editor is a transparent `<textarea>` over a `<pre>`; this module cuts the text into
//! [`Segment`]s carrying a CSS class and, where a diagnostic covers them, its severity.
//! Byte ranges always fall on `char` boundaries, and the segments tile the text exactly, so
//! the overlay lines up with the textarea glyph for glyph. The tokens are the parser's own
//! (`abacus_policy::json::lex`), so the colours show the text as the parser reads it; what is
//! valid is decided by the parser's diagnostics, which are passed in.

use abacus_policy::json::{lex, LexemeKind};
use abacus_policy::Severity;

/// What a run of text is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An object key (a string followed by `:`).
    Key,
    /// A string value.
    String,
    /// A number.
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// `{ } [ ] : ,`
    Punct,
    /// Spaces and newlines.
    Space,
    /// Anything a JSON lexer would not accept (smart quotes, `...`, stray words).
    Invalid,
}

impl TokenKind {
    /// The CSS class of this kind.
    pub fn class(self) -> &'static str {
        match self {
            TokenKind::Key => "tok-key",
            TokenKind::String => "tok-str",
            TokenKind::Number => "tok-num",
            TokenKind::Literal => "tok-lit",
            TokenKind::Punct => "tok-punct",
            TokenKind::Space => "",
            TokenKind::Invalid => "tok-invalid",
        }
    }
}

/// A lexed run of text: `start..end` byte offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Kind of the run.
    pub kind: TokenKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

fn char_len_at(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .map_or(1, char::len_utf8)
}

/// Lexes `text` into tokens that tile it completely: the parser's own tokens
/// ([`abacus_policy::json::lex`]), a string followed by `:` as a key, and the gaps between
/// them as spaces, or as invalid text where they hold something else (a comment, a
/// non-breaking space).
pub fn tokenize(text: &str) -> Vec<Token> {
    let lexemes = lex(text);
    let mut tokens = Vec::with_capacity(lexemes.len() * 2 + 1);
    let mut at = 0;
    for (i, l) in lexemes.iter().enumerate() {
        gap(text, at, l.span.start, &mut tokens);
        let kind = match l.kind {
            LexemeKind::String => {
                let colon = lexemes.get(i + 1).is_some_and(|next| {
                    next.kind == LexemeKind::Punct
                        && text.as_bytes().get(next.span.start) == Some(&b':')
                });
                if colon {
                    TokenKind::Key
                } else {
                    TokenKind::String
                }
            }
            LexemeKind::Number => TokenKind::Number,
            LexemeKind::Literal => TokenKind::Literal,
            LexemeKind::Punct => TokenKind::Punct,
            LexemeKind::Invalid => TokenKind::Invalid,
        };
        push(
            &mut tokens,
            Token {
                kind,
                start: l.span.start,
                end: l.span.end,
            },
        );
        at = l.span.end;
    }
    gap(text, at, text.len(), &mut tokens);
    tokens
}

/// Adds `token`, joined to the one before when both are invalid (a pasted flood of stray
/// characters stays one span) or both space.
fn push(tokens: &mut Vec<Token>, token: Token) {
    match tokens.last_mut() {
        Some(last)
            if last.kind == token.kind
                && matches!(token.kind, TokenKind::Invalid | TokenKind::Space)
                && last.end == token.start =>
        {
            last.end = token.end;
        }
        _ => tokens.push(token),
    }
}

/// The text between two lexemes, line by line: what the reader skipped besides JSON
/// whitespace (a comment, a non-breaking space, a byte-order mark) is invalid, from its
/// first to its last character on the line; the whitespace around it is space.
fn gap(text: &str, from: usize, to: usize, tokens: &mut Vec<Token>) {
    let Some(between) = text.get(from..to) else {
        return;
    };
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut at = from;
    for line in between.split_inclusive('\n') {
        let lead = line.len() - line.trim_start_matches(is_space).len();
        let body = line.trim_matches(is_space).len();
        for (kind, len) in [
            (TokenKind::Space, lead),
            (TokenKind::Invalid, body),
            (TokenKind::Space, line.len() - lead - body),
        ] {
            if len > 0 {
                push(
                    tokens,
                    Token {
                        kind,
                        start: at,
                        end: at + len,
                    },
                );
                at += len;
            }
        }
    }
}

/// A diagnostic's reach in the text, for underlining.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// First byte.
    pub start: usize,
    /// One past the last byte (equal to `start` for a point such as "unexpected end").
    pub end: usize,
    /// How serious it is.
    pub severity: Severity,
}

/// A piece of the overlay: a byte range with its token kind and the worst diagnostic on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The token it belongs to.
    pub kind: TokenKind,
    /// The most serious diagnostic covering it (a zero-width mark covers the next character,
    /// or is rendered as a caret at the end of the text).
    pub mark: Option<Severity>,
}

fn snap_to_char(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Cuts `text` into segments by token and by diagnostic mark.
pub fn segments(text: &str, marks: &[Mark]) -> Vec<Segment> {
    // zero-width marks widen to the character they point at, so they stay visible
    let marks: Vec<Mark> = marks
        .iter()
        .map(|m| {
            let start = snap_to_char(text, m.start);
            let mut end = snap_to_char(text, m.end.max(start));
            if end == start && start < text.len() {
                end = start + char_len_at(text, start);
            }
            Mark {
                start,
                end,
                severity: m.severity,
            }
        })
        .collect();
    // one sweep: mark edges sorted by position, and how many marks of each severity are
    // open (linear in the text plus n log n in the marks, however many marks there are)
    // packed as `position × 8 + starts × 4 + severity`, so a plain integer sort orders them
    // (sorted through `abacus_policy::order`, whose one sort the whole bundle shares)
    let mut edges: Vec<usize> = marks
        .iter()
        .flat_map(|m| {
            let severity = m.severity as usize;
            [m.start * 8 + 4 + severity, m.end * 8 + severity]
        })
        .collect();
    abacus_policy::order::sort(&mut edges);
    let mut open = [0usize; 3];
    let mut next = 0;
    let mut out = Vec::new();
    for token in tokenize(text) {
        let mut from = token.start;
        while from < token.end {
            // apply every edge at or before `from`; the segment runs to the next edge
            while let Some(&edge) = edges.get(next) {
                if edge / 8 > from {
                    break;
                }
                if let Some(n) = open.get_mut(edge % 4) {
                    *n = if edge & 4 != 0 {
                        *n + 1
                    } else {
                        n.saturating_sub(1)
                    };
                }
                next += 1;
            }
            let to = edges
                .get(next)
                .map_or(token.end, |e| (e / 8).min(token.end));
            let mark = [Severity::Error, Severity::Warning, Severity::Info]
                .into_iter()
                .zip(open)
                .find(|(_, n)| *n > 0)
                .map(|(s, _)| s);
            out.push(Segment {
                start: from,
                end: to,
                kind: token.kind,
                mark,
            });
            from = to;
        }
    }
    out
}

/// Number of lines in `text` (an empty text, or one ending in a newline, still shows a last line).
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count() + 1
}

/// Length of the longest line, in UTF-16 units (sizes the editor so it never wraps).
pub fn longest_line(text: &str) -> usize {
    text.split('\n')
        .map(|l| l.encode_utf16().count())
        .max()
        .unwrap_or(0)
}

/// The byte offset of 1-based `line` and UTF-16 `column` (what the textarea's selection uses
/// is UTF-16 too: see [`utf16_offset`]).
pub fn byte_offset(text: &str, line: usize, column_utf16: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let mut units = 1;
            for (bi, ch) in l.char_indices() {
                if units >= column_utf16 {
                    return offset + bi;
                }
                units += ch.len_utf16();
            }
            return offset + l.trim_end_matches('\n').len();
        }
        offset += l.len();
    }
    text.len()
}

/// The UTF-16 offset of byte `offset` (for `textarea.setSelectionRange`).
pub fn utf16_offset(text: &str, offset: usize) -> usize {
    text.get(..snap_to_char(text, offset))
        .map_or(0, |s| s.encode_utf16().count())
}

/// The line (from 0) and column (UTF-16 units) of byte `offset` of `text`, for placing a
/// popup at a character.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..snap_to_char(text, offset)).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count(),
        before
            .get(line_start..)
            .unwrap_or("")
            .encode_utf16()
            .count(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_of_offsets() {
        assert_eq!(line_and_column("ab\nc😀d", 0), (0, 0));
        assert_eq!(line_and_column("ab\nc😀d", 3), (1, 0));
        assert_eq!(line_and_column("ab\nc😀d", 8), (1, 3));
        assert_eq!(line_and_column("ab", 99), (0, 2));
    }

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Space)
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn keys_strings_numbers_and_literals() {
        let k = kinds(r#"{"Effect": "Allow", "n": 12.5, "b": true}"#);
        assert_eq!(k[1], (TokenKind::Key, "\"Effect\""));
        assert_eq!(k[3], (TokenKind::String, "\"Allow\""));
        assert_eq!(k[7], (TokenKind::Number, "12.5"));
        assert_eq!(k[11], (TokenKind::Literal, "true"));
    }

    #[test]
    fn malformed_text_still_tiles_exactly() {
        // smart quote, literal dots, unterminated string, escapes at the end
        for text in [
            "{\"a\": ”x”, ...}",
            "\"open\n{",
            "\"\\",
            "é😀",
            "",
            "@@é@ @",
        ] {
            let toks = tokenize(text);
            let mut at = 0;
            for t in &toks {
                assert_eq!(t.start, at, "{text:?}");
                at = t.end;
                assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            }
            assert_eq!(at, text.len(), "{text:?}");
        }
        assert!(kinds("{ ... }")
            .iter()
            .any(|(k, _)| *k == TokenKind::Invalid));
        // a run of stray characters is one token
        assert_eq!(
            kinds("@@é@ @,"),
            [
                (TokenKind::Invalid, "@@é@"),
                (TokenKind::Invalid, "@"),
                (TokenKind::Punct, ",")
            ]
        );
    }

    #[test]
    fn colours_follow_the_parser() {
        // what the parser rejects shows as invalid, whole: a number with a leading zero, a
        // lone minus, a smart-quoted string
        assert_eq!(
            kinds("{\"a\": 01, \"b\": -, \"c\": ”x”}"),
            [
                (TokenKind::Punct, "{"),
                (TokenKind::Key, "\"a\""),
                (TokenKind::Punct, ":"),
                (TokenKind::Invalid, "01"),
                (TokenKind::Punct, ","),
                (TokenKind::Key, "\"b\""),
                (TokenKind::Punct, ":"),
                (TokenKind::Invalid, "-"),
                (TokenKind::Punct, ","),
                (TokenKind::Key, "\"c\""),
                (TokenKind::Punct, ":"),
                (TokenKind::Invalid, "”x”"),
                (TokenKind::Punct, "}"),
            ]
        );
        // a comment is skipped by the parser: invalid text between tokens
        assert_eq!(
            kinds("// note\n{}"),
            [
                (TokenKind::Invalid, "// note"),
                (TokenKind::Punct, "{"),
                (TokenKind::Punct, "}"),
            ]
        );
    }

    #[test]
    fn marks_split_tokens_and_keep_the_worst_severity() {
        let text = r#"{"Action": "s3:GetObject"}"#;
        let marks = [
            Mark {
                start: 11,
                end: 14,
                severity: Severity::Warning,
            },
            Mark {
                start: 12,
                end: 13,
                severity: Severity::Error,
            },
        ];
        let segs = segments(text, &marks);
        let total: usize = segs.iter().map(|s| s.end - s.start).sum();
        assert_eq!(total, text.len());
        let at12 = segs.iter().find(|s| s.start == 12).unwrap();
        assert_eq!(at12.mark, Some(Severity::Error));
        let at11 = segs.iter().find(|s| s.start == 11).unwrap();
        assert_eq!(at11.mark, Some(Severity::Warning));
    }

    #[test]
    fn segments_are_linear_in_the_number_of_marks() {
        // 50 K marks, overlapping in threes, on a 100 K-character line: the quadratic
        // version took seconds here (about 21 s per render in the browser)
        let text = "@".repeat(100_010);
        let marks: Vec<Mark> = (0..50_000)
            .map(|i| Mark {
                start: 2 * i,
                end: 2 * i + 3,
                severity: if i % 7 == 0 {
                    Severity::Error
                } else {
                    Severity::Warning
                },
            })
            .collect();
        let segs = segments(&text, &marks);
        // no wall-clock bound here (it would flake on a busy machine): the size makes a
        // quadratic regression obvious, and `cargo xtask bench` reports the timings
        assert_eq!(
            segs.iter().map(|s| s.end - s.start).sum::<usize>(),
            text.len()
        );
        // byte 14 is under mark 7 (an error) and mark 6 (a warning)
        let at14 = segs.iter().find(|s| s.start == 14).unwrap();
        assert_eq!(at14.mark, Some(Severity::Error));
        let at2 = segs.iter().find(|s| s.start == 2).unwrap();
        assert_eq!(at2.mark, Some(Severity::Error), "mark 0 reaches byte 2");
        let at4 = segs.iter().find(|s| s.start == 4).unwrap();
        assert_eq!(at4.mark, Some(Severity::Warning));
        assert_eq!(segs.last().unwrap().mark, None);
    }

    #[test]
    fn zero_width_marks_cover_one_character() {
        let segs = segments(
            "[1,]",
            &[Mark {
                start: 3,
                end: 3,
                severity: Severity::Error,
            }],
        );
        let marked: Vec<_> = segs.iter().filter(|s| s.mark.is_some()).collect();
        assert_eq!(marked.len(), 1);
        assert_eq!((marked[0].start, marked[0].end), (3, 4));
    }

    #[test]
    fn positions_convert_between_lines_and_offsets() {
        let text = "ab\n😀x\ny";
        assert_eq!(line_count(text), 3);
        assert_eq!(longest_line(text), 3);
        assert_eq!(byte_offset(text, 2, 3), 7);
        assert_eq!(byte_offset(text, 3, 1), 9);
        assert_eq!(byte_offset(text, 9, 1), text.len());
        assert_eq!(utf16_offset(text, 7), 5);
    }
}
