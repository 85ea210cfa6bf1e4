//! A span-preserving JSON reader with error recovery.
//!
//! `serde_json` stops at the first error and forgets where values came from. Policy
//! authors need every mistake at once, each at its exact place, so this reader keeps a
//! byte [`Span`] on every value and key, and after an error resynchronises at the next
//! `,`, `}` or `]` of the current container. It recognises the mistakes people make when
//! copying policies out of blog posts (smart quotes, trailing commas, comments, `...`
//! placeholders) and names them. Nesting deeper than [`MAX_DEPTH`] is an error, never a
//! stack overflow.

use crate::codes::Code;
use crate::diagnostic::{LineIndex, Span};

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
    /// The key, unescaped.
    pub key: String,
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
    let mut lexer = Lexer::new(text);
    let current = lexer.next_token();
    let mut parser = Parser {
        lexer,
        current,
        pos: 0,
        eof_consumed: false,
        errors: Errors::default(),
        text_len: text.len(),
    };
    let value = parser.document(text);
    // the reader's own errors come first, then the structure's (each phase in source order)
    let Parser {
        mut lexer,
        errors: structure,
        ..
    } = parser;
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

impl Parser<'_> {
    /// The whole document: one value, then nothing but the end. Reads every token, so that
    /// the reader reports all of its errors, even after the value.
    fn document(&mut self, text: &str) -> Option<JsonValue> {
        let value = if self.peek_is(&Tok::Eof) {
            if !self.lexer.eof_in_string {
                self.error(
                    Code::JsonEmpty.as_str(),
                    Span::new(text.len(), text.len()),
                    "the document is empty".into(),
                    "write a policy document: `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`",
                );
            }
            None
        } else {
            let value = self.value(0);
            if !self.peek_is(&Tok::Eof) {
                let span = self.peek_span();
                self.error(
                    Code::JsonTrailingContent.as_str(),
                    Span::new(span.start, text.len()),
                    "unexpected text after the end of the JSON document".into(),
                    "a policy is exactly one JSON object; remove the extra text or merge it into the document",
                );
            }
            Some(value)
        };
        while !self.peek_is(&Tok::Eof) {
            self.bump();
        }
        value
    }
}

/// What a token of JSON source is, as the reader cuts it (see [`lex`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LexemeKind {
    /// A string in straight double quotes (maybe unterminated).
    String,
    /// A valid number.
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// `{`, `}`, `[`, `]`, `:` or `,`.
    Punct,
    /// Text the reader rejects: an unquoted word, a malformed number, a smart- or
    /// single-quoted string, a stray character.
    Invalid,
}

/// One token of [`lex`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexeme {
    /// What it is.
    pub kind: LexemeKind,
    /// Where it is.
    pub span: Span,
}

/// The tokens of `text` in order, exactly as [`parse_json`] reads them; whitespace and
/// comments are the gaps between them. The editor colours a policy with these, so that
/// what it shows as a string, a key or an error is what the parser takes it for.
pub fn lex(text: &str) -> Vec<Lexeme> {
    let mut lexer = Lexer::new(text);
    lexer
        .tokenize()
        .into_iter()
        .filter_map(|t| {
            let kind = match t.tok {
                Tok::LBrace
                | Tok::RBrace
                | Tok::LBracket
                | Tok::RBracket
                | Tok::Colon
                | Tok::Comma => LexemeKind::Punct,
                // a smart- or single-quoted string is read (and reported) as a string
                Tok::Str(_) if text.as_bytes().get(t.span.start) != Some(&b'"') => {
                    LexemeKind::Invalid
                }
                Tok::Str(_) => LexemeKind::String,
                Tok::Num(_) => LexemeKind::Number,
                Tok::True | Tok::False | Tok::Null => LexemeKind::Literal,
                Tok::Bad | Tok::Word(_) => LexemeKind::Invalid,
                Tok::Eof => return None,
            };
            Some(Lexeme { kind, span: t.span })
        })
        .collect()
}

/// Where byte `offset` of a string's unescaped value comes from in `raw`, the string's
/// source (opening quote included): escapes are decoded exactly as the reader decodes
/// them, so a diagnostic about part of a value lands on the characters that wrote it.
/// Always a char boundary of `raw`; `raw.len()` for an offset past the value.
pub fn source_offset(raw: &str, offset: usize) -> usize {
    let mut lexer = Lexer {
        text: raw,
        pos: raw.chars().next().map_or(0, char::len_utf8),
        errors: Errors::default(),
        eof_in_string: false,
        odd_spaces: (0, None),
    };
    let mut value = String::new();
    while let Some(c) = lexer.peek_char() {
        let at = lexer.pos;
        if value.len() >= offset || c == '"' {
            return at;
        }
        if c == '\\' {
            lexer.pos += 1;
            lexer.escape(at, &mut value);
        } else {
            lexer.pos += c.len_utf8();
            value.push(c);
        }
    }
    raw.len()
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    Str(String),
    Num(String),
    True,
    False,
    Null,
    /// Unreadable text (already reported by the lexer).
    Bad,
    /// An unquoted word such as `Effect` (already reported by the lexer).
    Word(String),
    Eof,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    span: Span,
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    errors: Errors,
    eof_in_string: bool,
    /// Count and first place of non-breaking spaces outside strings.
    odd_spaces: (usize, Option<Span>),
}

const SMART_QUOTES: [char; 4] = ['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}'];

impl<'a> Lexer<'a> {
    /// A lexer at the start of `text`.
    fn new(text: &'a str) -> Self {
        Lexer {
            text,
            pos: 0,
            errors: Errors::default(),
            eof_in_string: false,
            odd_spaces: (0, None),
        }
    }

    fn error(&mut self, code: &'static str, span: Span, message: String, help: &str) {
        self.errors.push(JsonError {
            code,
            message,
            help: help.to_owned(),
            span,
            is_error: true,
        });
    }

    fn peek_char(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    /// Every token, up to and including the end.
    fn tokenize(&mut self) -> Vec<Token> {
        // about one token per 8 bytes of a typical policy: grow rarely
        let mut tokens = Vec::with_capacity(self.text.len() / 8 + 4);
        loop {
            let token = self.next_token();
            let end = token.tok == Tok::Eof;
            tokens.push(token);
            if end {
                return tokens;
            }
        }
    }

    /// The next token (at the end of the text, `Eof`, again and again).
    fn next_token(&mut self) -> Token {
        self.skip_whitespace_and_comments();
        let start = self.pos;
        // the usual tokens by their first byte, without decoding a character
        let punct = match self.text.as_bytes().get(start) {
            Some(b'{') => Some(Tok::LBrace),
            Some(b'}') => Some(Tok::RBrace),
            Some(b'[') => Some(Tok::LBracket),
            Some(b']') => Some(Tok::RBracket),
            Some(b':') => Some(Tok::Colon),
            Some(b',') => Some(Tok::Comma),
            Some(b'"') => {
                let tok = self.string('"');
                return Token {
                    tok,
                    span: Span::new(start, self.pos),
                };
            }
            _ => None,
        };
        if let Some(tok) = punct {
            self.pos += 1;
            return Token {
                tok,
                span: Span::new(start, self.pos),
            };
        }
        let Some(c) = self.peek_char() else {
            return Token {
                tok: Tok::Eof,
                span: Span::new(start, start),
            };
        };
        // (punctuation and straight-quoted strings were read above)
        let tok = if SMART_QUOTES.contains(&c) {
            let found = c;
            let tok = self.string(found);
            self.error(
                Code::JsonSmartQuote.as_str(),
                Span::new(start, start + c.len_utf8()),
                format!("smart quote `{found}` used as a string delimiter"),
                "JSON strings use straight double quotes `\"`; replace the typographic quote (it often comes from copying a policy out of a web page or a word processor)",
            );
            tok
        } else if c == '\'' {
            let tok = self.string('\'');
            self.error(
                Code::JsonSingleQuote.as_str(),
                Span::new(start, self.pos),
                "single-quoted string".into(),
                "JSON strings use double quotes `\"`",
            );
            tok
        } else if c == '-' || c.is_ascii_digit() {
            self.number()
        } else if c.is_alphabetic() || c == '_' {
            self.word()
        } else if c == '.' {
            let len = self.rest().bytes().take_while(|b| *b == b'.').count();
            self.pos += len;
            let dots = self.text.get(start..self.pos).unwrap_or("");
            if dots == "..." {
                self.error(
                    Code::JsonEllipsis.as_str(),
                    Span::new(start, self.pos),
                    "`...` is not JSON".into(),
                    "the sample elides part of the policy with `...`; remove it or write out the missing elements",
                );
            } else {
                self.error(
                    Code::JsonUnexpectedCharacter.as_str(),
                    Span::new(start, self.pos),
                    format!("unexpected `{dots}`"),
                    "remove it; JSON numbers start with a digit",
                );
            }
            Tok::Bad
        } else {
            self.pos += c.len_utf8();
            self.error(
                Code::JsonUnexpectedCharacter.as_str(),
                Span::new(start, self.pos),
                format!("unexpected character `{}`", c.escape_debug()),
                "remove it; JSON allows only objects, arrays, strings, numbers, `true`, `false` and `null`",
            );
            Tok::Bad
        };
        Token {
            tok,
            span: Span::new(start, self.pos),
        }
    }

    fn skip_whitespace_and_comments(&mut self) {
        // Fast path: ASCII whitespace, then an ASCII token start (not `/`): the common case.
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(self.pos) {
            self.pos += 1;
        }
        match bytes.get(self.pos) {
            None => return,
            Some(&b) if b < 0x80 && b != b'/' => return,
            _ => {}
        }
        loop {
            let text = self.text;
            let rest = text.get(self.pos..).unwrap_or("");
            let mut ws = 0;
            for (i, c) in rest.char_indices() {
                match c {
                    ' ' | '\t' | '\n' | '\r' => {}
                    // A byte-order mark may open a document; elsewhere it is an error.
                    '\u{FEFF}' if self.pos + i == 0 => {}
                    // Non-breaking spaces come from copying policies out of web pages. JSON
                    // does not allow them; report them once and read on as if spaces.
                    '\u{A0}' | '\u{FEFF}' | '\u{2007}' | '\u{202F}' => {
                        let at = self.pos + i;
                        self.odd_spaces.0 += 1;
                        if self.odd_spaces.1.is_none() {
                            self.odd_spaces.1 = Some(Span::new(at, at + c.len_utf8()));
                        }
                    }
                    _ => {
                        ws = i;
                        break;
                    }
                }
                ws = i + c.len_utf8();
            }
            self.pos += ws;
            let rest = self.rest();
            let start = self.pos;
            if rest.starts_with("//") {
                let len = rest.find('\n').unwrap_or(rest.len());
                self.pos += len;
                self.error(
                    Code::JsonComment.as_str(),
                    Span::new(start, self.pos),
                    "comments are not allowed in JSON".into(),
                    "remove the `//` comment; IAM rejects policy documents that contain comments (use `Sid` to label a statement)",
                );
            } else if rest.starts_with("/*") {
                match rest.get(2..).and_then(|r| r.find("*/")) {
                    Some(end) => self.pos += end + 4,
                    None => self.pos = self.text.len(),
                }
                self.error(
                    Code::JsonComment.as_str(),
                    Span::new(start, self.pos),
                    "comments are not allowed in JSON".into(),
                    "remove the `/* */` comment; IAM rejects policy documents that contain comments (use `Sid` to label a statement)",
                );
            } else {
                return;
            }
        }
    }

    /// Reads a string opened by `open` (the cursor is on it). Straight-quoted strings
    /// close only at `"`; smart- or single-quoted ones (already an error) close at any
    /// quote so that recovery stays on track.
    fn string(&mut self, open: char) -> Tok {
        let start = self.pos;
        self.pos += open.len_utf8();
        let mut out = String::new();
        if open == '"' {
            // Fast path: most strings are printable ASCII with no escape. Take that run
            // whole; anything else (an escape, a control character, non-ASCII text that
            // may hold a smart quote) continues character by character below.
            let from = self.pos;
            let rest = self.text.as_bytes().get(from..).unwrap_or_default();
            let run = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || !(0x20..0x80).contains(&b))
                .unwrap_or(rest.len());
            let plain = self.text.get(from..from + run).unwrap_or_default();
            if rest.get(run) == Some(&b'"') {
                self.pos = from + run + 1;
                return Tok::Str(plain.to_owned());
            }
            out.push_str(plain);
            self.pos = from + run;
        }
        let mut smart_inside: Option<(usize, char)> = None;
        loop {
            let Some(c) = self.peek_char() else {
                self.eof_in_string = true;
                self.unterminated(start, self.text.len(), smart_inside, true);
                return Tok::Str(out);
            };
            let at = self.pos;
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                c if open != '"' && (c == open || SMART_QUOTES.contains(&c) || c == '\'') => {
                    self.pos += c.len_utf8();
                    break;
                }
                '\n' | '\r' => {
                    self.unterminated(start, at, smart_inside, false);
                    return Tok::Str(out);
                }
                '\\' => {
                    self.pos += 1;
                    self.escape(at, &mut out);
                }
                c if (c as u32) < 0x20 => {
                    self.pos += 1;
                    self.error(
                        Code::JsonControlCharacter.as_str(),
                        Span::new(at, self.pos),
                        format!("control character `{}` inside a string", c.escape_debug()),
                        "write it escaped (`\\t`, `\\n`, `\\u0000`) or remove it",
                    );
                    out.push(c);
                }
                c => {
                    if SMART_QUOTES.contains(&c) && smart_inside.is_none() {
                        smart_inside = Some((at, c));
                    }
                    self.pos += c.len_utf8();
                    out.push(c);
                }
            }
        }
        if let (Some((at, q)), '"') = (smart_inside, open) {
            self.errors.push(JsonError {
                code: Code::JsonSmartQuoteInString.as_str(),
                message: format!("string contains the smart quote `{q}`"),
                help: "this is valid JSON, but a typographic quote inside a value is usually a copy-paste accident; check that the value is what you meant".into(),
                span: Span::new(at, at + q.len_utf8()),
                is_error: false,
            });
        }
        Tok::Str(out)
    }

    fn unterminated(
        &mut self,
        start: usize,
        end: usize,
        smart: Option<(usize, char)>,
        at_eof: bool,
    ) {
        // the unclosed string swallowed what followed: missing `}`/`]` are its fault
        self.eof_in_string = true;
        let where_ = if at_eof {
            "the document ends inside it"
        } else {
            "a string cannot span lines"
        };
        match smart {
            Some((at, q)) => {
                // rare (an error message naming a place): index the text only now
                let pos = LineIndex::new(self.text).position(at);
                self.error(
                    Code::JsonUnterminatedStringSmartQuote.as_str(),
                    Span::new(start, end),
                    format!(
                        "string is never closed ({where_}); it contains the smart quote `{q}` at {}:{}, which JSON does not accept as a closing quote",
                        pos.line, pos.column
                    ),
                    "replace the smart quote `”` with a straight double quote `\"`",
                );
            }
            None => self.error(
                Code::JsonUnterminatedString.as_str(),
                Span::new(start, end),
                format!("string is never closed ({where_})"),
                "add the closing `\"`",
            ),
        }
    }

    fn escape(&mut self, start: usize, out: &mut String) {
        let Some(c) = self.peek_char() else {
            return;
        };
        self.pos += c.len_utf8();
        let simple = match c {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            return;
        }
        if c == 'u' {
            let Some(high) = self.hex4() else {
                self.error(
                    Code::JsonInvalidEscape.as_str(),
                    Span::new(start, self.pos),
                    "`\\u` must be followed by four hex digits".into(),
                    "write `\\u` and four hex digits, e.g. `\\u00e9`",
                );
                return;
            };
            if (0xD800..0xDC00).contains(&high) && self.rest().starts_with("\\u") {
                let save = self.pos;
                self.pos += 2;
                if let Some(low) = self.hex4().filter(|l| (0xDC00..0xE000).contains(l)) {
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    return;
                }
                self.pos = save;
            }
            out.push(char::from_u32(high).unwrap_or('\u{FFFD}'));
            return;
        }
        self.error(
            Code::JsonInvalidEscape.as_str(),
            Span::new(start, self.pos),
            format!("invalid escape `\\{}`", c.escape_debug()),
            "JSON escapes are `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`",
        );
        out.push(c);
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.rest().get(..4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(digits, 16).ok()?;
        self.pos += 4;
        Some(v)
    }

    fn number(&mut self) -> Tok {
        let start = self.pos;
        let len = self
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
            .count();
        self.pos += len;
        let raw = self.text.get(start..self.pos).unwrap_or("");
        if !is_json_number(raw) {
            self.error(
                Code::JsonInvalidNumber.as_str(),
                Span::new(start, self.pos),
                format!("`{raw}` is not a valid JSON number"),
                "write numbers like `42`, `-1.5` or `1e3` (no leading zeros, no leading `+`); condition values can also be strings",
            );
            return Tok::Bad;
        }
        Tok::Num(raw.to_owned())
    }

    fn word(&mut self) -> Tok {
        let start = self.pos;
        let len = self
            .rest()
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '*')))
            .map_or(self.rest().len(), |(i, _)| i);
        self.pos += len;
        let word = self.text.get(start..self.pos).unwrap_or("");
        match word {
            "true" => Tok::True,
            "false" => Tok::False,
            "null" => Tok::Null,
            _ => {
                let lower = word.to_ascii_lowercase();
                let help = if matches!(lower.as_str(), "true" | "false" | "null") {
                    format!("JSON keywords are lowercase: write `{lower}`")
                } else {
                    format!("strings need double quotes: write `\"{word}\"`")
                };
                self.error(
                    Code::JsonUnquotedText.as_str(),
                    Span::new(start, self.pos),
                    format!("unexpected `{word}`"),
                    &help,
                );
                // kept as a word so that an unquoted key still reads as a key
                Tok::Word(word.to_owned())
            }
        }
    }
}

fn is_json_number(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_len = i - int_start;
    if int_len == 0 || (int_len > 1 && b.get(int_start) == Some(&b'0')) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let s = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

/// Reads the structure from the lexer's tokens as they come (no token list): `current` is
/// the next one, already read.
struct Parser<'a> {
    lexer: Lexer<'a>,
    current: Token,
    /// Tokens consumed so far (recovery checks that it made progress).
    pos: usize,
    /// The end was consumed (it counts once in `pos`).
    eof_consumed: bool,
    /// The structure's errors (the lexer keeps its own).
    errors: Errors,
    text_len: usize,
}

impl Parser<'_> {
    fn error(&mut self, code: &'static str, span: Span, message: String, help: &str) {
        self.errors.push(JsonError {
            code,
            message,
            help: help.to_owned(),
            span,
            is_error: true,
        });
    }

    fn peek(&self) -> &Tok {
        &self.current.tok
    }

    fn peek_is(&self, tok: &Tok) -> bool {
        self.peek() == tok
    }

    fn peek_span(&self) -> Span {
        self.current.span
    }

    /// Consumes the current token (moved out, so its string is not copied) and reads the
    /// next. At the end it stays at `Eof`, counted as consumed once.
    fn bump(&mut self) -> Token {
        if self.current.tok == Tok::Eof {
            if !self.eof_consumed {
                self.eof_consumed = true;
                self.pos += 1;
            }
            return Token {
                tok: Tok::Eof,
                span: Span::new(self.text_len, self.text_len),
            };
        }
        self.pos += 1;
        let next = self.lexer.next_token();
        std::mem::replace(&mut self.current, next)
    }

    /// Consumes the current token and gives its text: a string's value or a word, else
    /// nothing (empty).
    fn bump_text(&mut self) -> String {
        match self.bump().tok {
            Tok::Str(text) | Tok::Word(text) => text,
            _ => String::new(),
        }
    }

    fn describe(tok: &Tok) -> String {
        match tok {
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Colon => "`:`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Str(s) => format!("the string `\"{s}\"`"),
            Tok::Num(n) => format!("the number `{n}`"),
            Tok::True => "`true`".into(),
            Tok::False => "`false`".into(),
            Tok::Null => "`null`".into(),
            Tok::Bad => "invalid text".into(),
            Tok::Word(w) => format!("`{w}`"),
            Tok::Eof => "the end of the document".into(),
        }
    }

    fn starts_value(tok: &Tok) -> bool {
        matches!(
            tok,
            Tok::LBrace
                | Tok::LBracket
                | Tok::Str(_)
                | Tok::Num(_)
                | Tok::True
                | Tok::False
                | Tok::Null
        )
    }

    fn value(&mut self, depth: usize) -> JsonValue {
        let span = self.peek_span();
        // matched by reference: a string token is moved out by `bump`, never copied
        match self.peek() {
            Tok::LBrace | Tok::LBracket if depth >= MAX_DEPTH => {
                self.error(
                    Code::JsonTooDeep.as_str(),
                    span,
                    format!("nesting deeper than {MAX_DEPTH} levels"),
                    "IAM policies nest only a few levels; flatten the document",
                );
                self.skip_container();
                JsonValue {
                    kind: JsonKind::Invalid,
                    span,
                }
            }
            Tok::LBrace => self.object(depth),
            Tok::LBracket => self.array(depth),
            Tok::Str(_) | Tok::Num(_) | Tok::True | Tok::False | Tok::Null => {
                let kind = match self.bump().tok {
                    Tok::Str(s) => JsonKind::String(s),
                    Tok::Num(n) => JsonKind::Number(n),
                    Tok::True => JsonKind::Bool(true),
                    Tok::False => JsonKind::Bool(false),
                    _ => JsonKind::Null,
                };
                JsonValue { kind, span }
            }
            Tok::Bad | Tok::Word(_) => {
                self.bump();
                JsonValue {
                    kind: JsonKind::Invalid,
                    span,
                }
            }
            Tok::Eof => {
                if !self.lexer.eof_in_string {
                    self.error(
                        Code::JsonUnexpectedEnd.as_str(),
                        span,
                        "the document ends where a value was expected".into(),
                        "complete the value and close every open `{` and `[`",
                    );
                }
                JsonValue {
                    kind: JsonKind::Invalid,
                    span,
                }
            }
            other => {
                let found = Self::describe(other);
                self.error(
                    Code::JsonExpectedValue.as_str(),
                    span,
                    format!("expected a value, found {found}"),
                    "write a string, number, object, array, `true`, `false` or `null` here",
                );
                JsonValue {
                    kind: JsonKind::Invalid,
                    span: Span::new(span.start, span.start),
                }
            }
        }
    }

    /// Skips one bracketed container starting at the cursor (used past [`MAX_DEPTH`]).
    fn skip_container(&mut self) {
        let mut depth = 0usize;
        loop {
            match self.bump().tok {
                Tok::LBrace | Tok::LBracket => depth += 1,
                Tok::RBrace | Tok::RBracket => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                Tok::Eof => return,
                _ => {}
            }
        }
    }

    /// Skips to the next `,` or the closing token of the current container, without
    /// consuming it; nested containers are skipped whole.
    fn recover(&mut self, close: &Tok) {
        let mut depth = 0usize;
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::Comma if depth == 0 => return,
                t if depth == 0 && t == close => return,
                Tok::RBrace | Tok::RBracket if depth == 0 => return,
                Tok::LBrace | Tok::LBracket => depth += 1,
                Tok::RBrace | Tok::RBracket => depth -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    fn unclosed(&mut self, open: Span, what: &str, close: char) {
        if self.lexer.eof_in_string {
            return; // the unterminated string already explains the missing tail
        }
        self.error(
            Code::JsonUnclosed.as_str(),
            open,
            format!("this {what} is never closed"),
            &format!("add the matching `{close}`"),
        );
    }

    fn object(&mut self, depth: usize) -> JsonValue {
        let open = self.bump().span;
        let mut members = Vec::new();
        let mut last_comma: Option<Span> = None;
        loop {
            let span = self.peek_span();
            match self.peek() {
                Tok::RBrace => {
                    let close = self.bump().span;
                    if let Some(comma) = last_comma {
                        self.trailing_comma(comma, "object");
                    }
                    return JsonValue {
                        kind: JsonKind::Object(members),
                        span: open.join(close),
                    };
                }
                Tok::Eof => {
                    self.unclosed(open, "object", '}');
                    return JsonValue {
                        kind: JsonKind::Object(members),
                        span: Span::new(open.start, span.end),
                    };
                }
                Tok::Str(_) | Tok::Word(_) => {
                    let key = self.bump_text();
                    last_comma = None;
                    if self.peek_is(&Tok::Colon) {
                        self.bump();
                    } else {
                        let found = self.peek();
                        let (starts_value, found) =
                            (Self::starts_value(found), Self::describe(found));
                        self.error(
                            Code::JsonExpectedColon.as_str(),
                            self.peek_span(),
                            format!("expected `:` after the key `\"{key}\"`, found {found}"),
                            "write `\"Key\": value`",
                        );
                        if !starts_value {
                            self.recover(&Tok::RBrace);
                            members.push(JsonMember {
                                key,
                                key_span: span,
                                value: JsonValue {
                                    kind: JsonKind::Invalid,
                                    span: Span::new(span.end, span.end),
                                },
                            });
                            self.after_member(&Tok::RBrace, &mut last_comma, "object");
                            continue;
                        }
                    }
                    let value = self.value(depth + 1);
                    members.push(JsonMember {
                        key,
                        key_span: span,
                        value,
                    });
                    self.after_member(&Tok::RBrace, &mut last_comma, "object");
                }
                other => {
                    if !matches!(other, Tok::Bad) {
                        let found = Self::describe(other);
                        self.error(
                            Code::JsonExpectedKey.as_str(),
                            span,
                            format!("expected a string key or `}}`, found {found}"),
                            "object keys are strings in double quotes, e.g. `\"Effect\"`",
                        );
                    }
                    let before = self.pos;
                    self.recover(&Tok::RBrace);
                    if self.peek_is(&Tok::Comma) {
                        self.bump();
                    } else if self.pos == before && !self.peek_is(&Tok::RBrace) {
                        // a stray `]`: step over it so that the loop makes progress
                        self.bump();
                    }
                }
            }
        }
    }

    /// After a member or element: expects `,` or the closing token.
    fn after_member(&mut self, close: &Tok, last_comma: &mut Option<Span>, what: &str) {
        match self.peek() {
            Tok::Comma => {
                *last_comma = Some(self.bump().span);
            }
            t if t == close => {}
            Tok::Eof => {}
            found => {
                let span = self.peek_span();
                let closer = if what == "object" { '}' } else { ']' };
                let quiet = matches!(found, Tok::Bad | Tok::Word(_));
                let (starts_value, found) = (Self::starts_value(found), Self::describe(found));
                if starts_value {
                    self.error(
                        Code::JsonMissingComma.as_str(),
                        span,
                        format!("expected `,` or `{closer}`, found {found}"),
                        &format!("separate the {what}'s entries with commas"),
                    );
                } else {
                    if !quiet {
                        self.error(
                            Code::JsonExpectedComma.as_str(),
                            span,
                            format!("expected `,` or `{closer}`, found {found}"),
                            &format!("separate the {what}'s entries with commas and close it with `{closer}`"),
                        );
                    }
                    let before = self.pos;
                    self.recover(close);
                    if self.peek_is(&Tok::Comma) {
                        *last_comma = Some(self.bump().span);
                    } else if self.pos == before && !self.peek_is(close) {
                        self.bump();
                    }
                }
            }
        }
    }

    fn trailing_comma(&mut self, comma: Span, what: &str) {
        self.error(
            Code::JsonTrailingComma.as_str(),
            comma,
            format!("trailing comma before the end of the {what}"),
            "remove the comma after the last entry; JSON does not allow trailing commas",
        );
    }

    fn array(&mut self, depth: usize) -> JsonValue {
        let open = self.bump().span;
        let mut items = Vec::new();
        let mut last_comma: Option<Span> = None;
        loop {
            let span = self.peek_span();
            match self.peek() {
                Tok::RBracket => {
                    let close = self.bump().span;
                    if let Some(comma) = last_comma {
                        self.trailing_comma(comma, "array");
                    }
                    return JsonValue {
                        kind: JsonKind::Array(items),
                        span: open.join(close),
                    };
                }
                Tok::Eof => {
                    self.unclosed(open, "array", ']');
                    return JsonValue {
                        kind: JsonKind::Array(items),
                        span: Span::new(open.start, span.end),
                    };
                }
                Tok::RBrace => {
                    self.error(
                        Code::JsonMismatchedBracket.as_str(),
                        span,
                        "found `}` where the array's `]` was expected".into(),
                        "close the array with `]` before closing the object",
                    );
                    // treat it as the end of this array; the object above will see it again
                    return JsonValue {
                        kind: JsonKind::Array(items),
                        span: Span::new(open.start, span.start),
                    };
                }
                _ => {
                    last_comma = None;
                    let before = self.pos;
                    let value = self.value(depth + 1);
                    items.push(value);
                    if self.pos == before {
                        self.bump();
                    }
                    self.after_member(&Tok::RBracket, &mut last_comma, "array");
                }
            }
        }
    }
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
