//! A span-preserving JSON reader with error recovery.
//!
//! `serde_json` stops at the first error and forgets where values came from. Policy
//! authors need every mistake at once, each at its exact place, so this reader keeps a
//! byte [`Span`] on every value and key, and after an error resynchronises at the next
//! `,`, `}` or `]` of the current container. It recognises the mistakes people make when
//! copying policies out of blog posts (smart quotes, trailing commas, comments, `...`
//! placeholders) and names them. Nesting deeper than [`MAX_DEPTH`] is an error, never a
//! stack overflow.
//!
//! Two steps, each in its own module: `lexer` cuts the text into tokens, and `parser` reads
//! the structure from them as they come.

use crate::codes::Code;
use crate::diagnostic::Span;
use lexer::Lexer;
pub use lexer::{lex, source_offset, Lexeme, LexemeKind};
use parser::Parser;

mod lexer;
mod parser;

/// Containers nested deeper than this are rejected (IAM policies nest four levels).
pub const MAX_DEPTH: usize = 64;

/// One JSON value with the span of its source text.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonValue {
    /// What it is.
    pub kind: JsonKind,
    /// Where it is (for strings, including the quotes).
    pub span: Span,
}

/// The kinds of JSON values, plus `Invalid` for text that could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonKind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, kept as its source text.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<JsonValue>),
    /// An object, members in source order (duplicates kept).
    Object(Vec<JsonMember>),
    /// Unreadable text; an error was reported for it.
    Invalid,
}

impl JsonKind {
    /// A short noun for messages: `a string`, `an array`, ...
    pub fn describe(&self) -> &'static str {
        match self {
            JsonKind::Null => "`null`",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
            JsonKind::Invalid => "invalid JSON",
        }
    }
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonMember {
    /// The key, unescaped (an element name or operator is not copied: see the lexer).
    pub key: std::borrow::Cow<'static, str>,
    /// The key's span, including its quotes.
    pub key_span: Span,
    /// The value.
    pub value: JsonValue,
}

/// A JSON syntax error (or a warning about suspicious but valid text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Stable code, e.g. `json-trailing-comma`.
    pub code: &'static str,
    /// Lowercase message, no trailing period.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// Where it is.
    pub span: Span,
    /// False for warnings (valid JSON that is probably a mistake).
    pub is_error: bool,
}

/// At most this many JSON errors are kept per phase (reading tokens, then the structure);
/// the rest are only counted ([`Dropped`]). A pasted megabyte of garbage would otherwise
/// allocate a message per character before any caller could cap the list. Each phase finds
/// its errors in source order, so everything left out lies after what a phase kept.
pub const MAX_JSON_ERRORS: usize = 1_000;

/// What [`MAX_JSON_ERRORS`] left out: how many, how many of them errors, and where the
/// first one starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    /// Errors and warnings not kept.
    pub count: usize,
    /// Of them, errors.
    pub errors: usize,
    /// Offset of the first one left out.
    pub first: Option<usize>,
}

/// The kept errors and the count of the rest.
#[derive(Debug, Default)]
struct Errors {
    kept: Vec<JsonError>,
    kept_in_phase: usize,
    dropped: Dropped,
}

impl Errors {
    /// Records an error (not a warning) at `span`.
    fn error(&mut self, code: &'static str, span: Span, message: String, help: &str) {
        self.push(JsonError {
            code,
            message,
            help: help.to_owned(),
            span,
            is_error: true,
        });
    }

    fn push(&mut self, e: JsonError) {
        if self.kept_in_phase < MAX_JSON_ERRORS {
            self.kept_in_phase += 1;
            self.kept.push(e);
            return;
        }
        let d = &mut self.dropped;
        d.count += 1;
        d.errors += usize::from(e.is_error);
        d.first = Some(d.first.map_or(e.span.start, |f| f.min(e.span.start)));
    }
}

/// The source text of a value nested in a larger document (its first line starts at the
/// value itself) without the indentation every later line shares: a policy inside an
/// export, or a statement inside its policy, shown on its own.
pub fn dedent_value(text: &str) -> String {
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or_default();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    out.push_str(first);
    for l in rest {
        out.push('\n');
        out.push_str(l.get(indent.min(l.len())..).unwrap_or(l));
    }
    out
}

/// Reads `text` as one JSON value. Returns the value (with `Invalid` parts where the text
/// was unreadable; `None` only when there is no value at all) and the errors found (the
/// first [`MAX_JSON_ERRORS`]; see [`parse_json_counted`] for the count of the rest).
pub fn parse_json(text: &str) -> (Option<JsonValue>, Vec<JsonError>) {
    let (value, errors, _) = parse_json_counted(text);
    (value, errors)
}

/// [`parse_json`], with the count of the errors past [`MAX_JSON_ERRORS`].
pub fn parse_json_counted(text: &str) -> (Option<JsonValue>, Vec<JsonError>, Dropped) {
    let mut parser = Parser::new(Lexer::new(text), text.len());
    let value = parser.document(text);
    // the reader's own errors come first, then the structure's (each phase in source order)
    let (mut lexer, structure) = parser.finish();
    if let (n, Some(span)) = lexer.odd_spaces {
        let more = if n > 1 {
            format!(" ({n} in the document; this is the first)")
        } else {
            String::new()
        };
        lexer.error(
            Code::JsonNonbreakingSpace.as_str(),
            span,
            format!("non-breaking space outside a string{more}"),
            "JSON allows only ordinary spaces, tabs and line breaks between tokens; replace non-breaking spaces (they come from copying text out of a web page)",
        );
    }
    let mut errors = lexer.errors;
    errors.kept.extend(structure.kept);
    let (a, b) = (errors.dropped, structure.dropped);
    let dropped = Dropped {
        count: a.count + b.count,
        errors: a.errors + b.errors,
        first: match (a.first, b.first) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        },
    };
    (value, errors.kept, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_value_is_dedented_by_its_shared_indentation() {
        assert_eq!(
            dedent_value("{\n      \"a\": 1,\n\n      \"b\": [\n        2\n      ]\n    }"),
            "{\n  \"a\": 1,\n\n  \"b\": [\n    2\n  ]\n}"
        );
        assert_eq!(dedent_value("\"x\""), "\"x\"");
    }

    #[test]
    fn lex_cuts_the_text_as_the_reader_does() {
        let text = "{\"a\": [1, true], 'b': x} // c";
        let got: Vec<(LexemeKind, &str)> = lex(text)
            .iter()
            .map(|l| (l.kind, &text[l.span.start..l.span.end]))
            .collect();
        use LexemeKind::*;
        assert_eq!(
            got,
            [
                (Punct, "{"),
                (String, "\"a\""),
                (Punct, ":"),
                (Punct, "["),
                (Number, "1"),
                (Punct, ","),
                (Literal, "true"),
                (Punct, "]"),
                (Punct, ","),
                (Invalid, "'b'"),
                (Punct, ":"),
                (Invalid, "x"),
                (Punct, "}"),
            ]
        );
    }

    fn codes(text: &str) -> Vec<&'static str> {
        parse_json(text).1.iter().map(|e| e.code).collect()
    }

    #[test]
    fn reads_values_with_spans() {
        let (v, errs) = parse_json(r#"{"a": [1, "x", true, null]}"#);
        assert!(errs.is_empty());
        let v = v.unwrap();
        let JsonKind::Object(m) = &v.kind else {
            panic!()
        };
        assert_eq!(m[0].key, "a");
        assert_eq!(m[0].key_span, Span::new(1, 4));
        let JsonKind::Array(items) = &m[0].value.kind else {
            panic!()
        };
        assert_eq!(items[1].span, Span::new(10, 13));
    }

    #[test]
    fn reports_trailing_commas_and_keeps_going() {
        assert_eq!(
            codes(r#"{"a": [1,], "b": 2,}"#),
            vec!["json-trailing-comma", "json-trailing-comma"]
        );
    }

    #[test]
    fn reports_comments() {
        assert_eq!(
            codes("{// hi\n\"a\": 1 /* x */}"),
            vec!["json-comment", "json-comment"]
        );
    }

    #[test]
    fn smart_quote_string_end_reports_the_start() {
        let text = "{\"a\": [\"/fsx/${x}\u{201D}\n]}";
        let (_, errs) = parse_json(text);
        assert_eq!(errs[0].code, "json-unterminated-string-smart-quote");
        assert_eq!(errs[0].span.start, 7);
        assert!(errs[0].message.contains('\u{201D}'));
    }

    #[test]
    fn ellipsis_is_named() {
        let errs = codes(r#"{"a": {"b": "c"} ... }"#);
        assert_eq!(errs, vec!["json-ellipsis"]);
    }

    #[test]
    fn source_offsets_follow_the_escapes() {
        // value: a é " 😀 b  (bytes 0, 1..3, 3, 4..8, 8)
        let raw = r#""a\u00e9\"\ud83d\ude00b""#;
        assert_eq!(source_offset(raw, 0), 1);
        assert_eq!(source_offset(raw, 1), 2);
        assert_eq!(source_offset(raw, 3), 8);
        assert_eq!(source_offset(raw, 4), 10);
        assert_eq!(source_offset(raw, 8), 22);
        assert_eq!(source_offset(raw, 9), 23, "the closing quote");
        assert_eq!(
            source_offset("\"ab", 5),
            3,
            "an open string ends at the text's end"
        );
    }

    #[test]
    fn unescapes_strings() {
        let (v, errs) = parse_json(r#""a\"b\u00e9\ud83d\ude00""#);
        assert!(errs.is_empty());
        assert_eq!(
            v.unwrap().kind,
            JsonKind::String("a\"b\u{e9}\u{1F600}".into())
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000);
        let errs = codes(&text);
        assert!(errs.contains(&"json-too-deep"));
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "}",
            "]]]",
            "{\"a\"",
            "{\"a\":",
            "{,}",
            "[,]",
            "{\"a\" 1}",
            "\u{201C}x",
            "'",
            "-",
            "1.",
            "{]",
        ] {
            let _ = parse_json(text);
        }
    }
}
