//! Cutting JSON source into tokens (see the parent module for why this reader is written
//! here): each token keeps its span, and the mistakes people make when copying policies
//! (smart quotes, comments, unquoted words, `...`) become tokens the parser can step over,
//! each reported once.

use super::{Errors, JsonError};
use crate::codes::Code;
use crate::diagnostic::{LineIndex, Span};
use std::borrow::Cow;

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

/// A token's kind and content.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    /// A string's value: an element name or operator (see [`known_key`]) without a copy.
    Str(Cow<'static, str>),
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

/// A token and where it is.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) span: Span,
}

/// Reads tokens from the start of a text, one at a time.
pub(super) struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    /// The errors of reading tokens.
    pub(super) errors: Errors,
    /// The text ended inside a string (its missing closers are that string's fault).
    pub(super) eof_in_string: bool,
    /// Count and first place of non-breaking spaces outside strings.
    pub(super) odd_spaces: (usize, Option<Span>),
}

const SMART_QUOTES: [char; 4] = ['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}'];

impl<'a> Lexer<'a> {
    /// A lexer at the start of `text`.
    pub(super) fn new(text: &'a str) -> Self {
        Lexer {
            text,
            pos: 0,
            errors: Errors::default(),
            eof_in_string: false,
            odd_spaces: (0, None),
        }
    }

    pub(super) fn error(&mut self, code: &'static str, span: Span, message: String, help: &str) {
        self.errors.error(code, span, message, help);
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
    pub(super) fn next_token(&mut self) -> Token {
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
            let run = plain_run(rest);
            let plain = self.text.get(from..from + run).unwrap_or_default();
            if rest.get(run) == Some(&b'"') {
                self.pos = from + run + 1;
                return Tok::Str(
                    known_key(plain).map_or_else(|| plain.to_owned().into(), Cow::Borrowed),
                );
            }
            out.push_str(plain);
            self.pos = from + run;
        }
        let mut smart_inside: Option<(usize, char)> = None;
        loop {
            let Some(c) = self.peek_char() else {
                self.eof_in_string = true;
                self.unterminated(start, self.text.len(), smart_inside, true);
                return Tok::Str(out.into());
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
                    return Tok::Str(out.into());
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
        Tok::Str(out.into())
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

/// `text` as a static string when it is a policy element name or a common condition
/// operator: the keys of a policy's objects, most of its strings, need no copy then (the
/// parser keeps a key as the lexer gives it).
fn known_key(text: &str) -> Option<&'static str> {
    // (element names and operators start with a capital: anything else is rejected at once)
    if !text.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    Some(match text {
        "Version" => "Version",
        "Id" => "Id",
        "Statement" => "Statement",
        "Sid" => "Sid",
        "Effect" => "Effect",
        "Principal" => "Principal",
        "NotPrincipal" => "NotPrincipal",
        "Action" => "Action",
        "NotAction" => "NotAction",
        "Resource" => "Resource",
        "NotResource" => "NotResource",
        "Condition" => "Condition",
        "AWS" => "AWS",
        "Service" => "Service",
        "Federated" => "Federated",
        "CanonicalUser" => "CanonicalUser",
        "StringEquals" => "StringEquals",
        "StringNotEquals" => "StringNotEquals",
        "StringEqualsIgnoreCase" => "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase" => "StringNotEqualsIgnoreCase",
        "StringLike" => "StringLike",
        "StringNotLike" => "StringNotLike",
        "ArnEquals" => "ArnEquals",
        "ArnNotEquals" => "ArnNotEquals",
        "ArnLike" => "ArnLike",
        "ArnNotLike" => "ArnNotLike",
        "Bool" => "Bool",
        "BoolIfExists" => "BoolIfExists",
        "Null" => "Null",
        "IpAddress" => "IpAddress",
        "NotIpAddress" => "NotIpAddress",
        "NumericEquals" => "NumericEquals",
        "NumericLessThan" => "NumericLessThan",
        "NumericLessThanIfExists" => "NumericLessThanIfExists",
        "NumericGreaterThan" => "NumericGreaterThan",
        "DateGreaterThan" => "DateGreaterThan",
        "DateLessThan" => "DateLessThan",
        "StringEqualsIfExists" => "StringEqualsIfExists",
        "StringLikeIfExists" => "StringLikeIfExists",
        "ForAnyValue:StringEquals" => "ForAnyValue:StringEquals",
        "ForAnyValue:StringLike" => "ForAnyValue:StringLike",
        "ForAllValues:StringEquals" => "ForAllValues:StringEquals",
        "ForAllValues:StringLike" => "ForAllValues:StringLike",
        _ => return None,
    })
}

/// How many bytes at the start of `bytes` are printable ASCII other than `"` and `\\`: the
/// run a string token takes whole. Eight bytes at a time, each word tested for all four
/// stops at once (a byte below 0x20, 0x80 or above, `"`, `\\`): strings are a third of a
/// policy's text, and a byte loop over them was the lexer's largest cost.
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // the high bit of each byte that is zero (exact for the lowest such byte, which is
    // all that is used: a borrow only runs towards higher bytes)
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
    let mut done = 0;
    while let Some(chunk) = bytes.get(done..).and_then(|b| b.first_chunk::<8>()) {
        let w = u64::from_le_bytes(*chunk);
        let stops = zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            // below 0x20: subtracting 0x20 borrows into the high bit (0x80 and above
            // already have it, and are stops too)
            | (w.wrapping_sub(ONES * 0x20) & !w)
            | w;
        let stops = stops & HIGH;
        if stops != 0 {
            return done + (stops.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let tail = bytes.get(done..).unwrap_or_default();
    done + tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || !(0x20..0x80).contains(&b))
        .unwrap_or(tail.len())
}

#[cfg(test)]
mod tests {
    use super::plain_run;
    use proptest::prelude::*;

    fn by_bytes(bytes: &[u8]) -> usize {
        bytes
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || !(0x20..0x80).contains(&b))
            .unwrap_or(bytes.len())
    }

    proptest! {
        // mostly printable text, with every kind of stop at every place in a word
        #[test]
        fn plain_run_stops_where_a_byte_loop_stops(
            bytes in proptest::collection::vec(
                prop_oneof![
                    8 => 0x20u8..0x7f,
                    1 => Just(b'"'),
                    1 => Just(b'\\'),
                    1 => 0u8..0x20,
                    1 => 0x7fu8..=0xff,
                ],
                0..40,
            ),
        ) {
            prop_assert_eq!(plain_run(&bytes), by_bytes(&bytes));
        }
    }

    #[test]
    fn a_known_key_is_the_text_it_stands_for() {
        // every element name the policy builder knows is read without a copy
        use crate::parse::builder::{PRINCIPAL_ELEMENTS, STATEMENT_ELEMENTS, TOP_ELEMENTS};
        let names = TOP_ELEMENTS
            .iter()
            .chain(&STATEMENT_ELEMENTS)
            .chain(&PRINCIPAL_ELEMENTS);
        for &name in names {
            assert_eq!(super::known_key(name), Some(name));
        }
        let ops = crate::ast::Operator::ALL.iter().map(|op| op.as_str());
        let qualified = ["ForAnyValue:", "ForAllValues:", ""].iter().flat_map(|q| {
            crate::ast::Operator::ALL.iter().flat_map(move |op| {
                [
                    format!("{q}{}", op.as_str()),
                    format!("{q}{}IfExists", op.as_str()),
                ]
            })
        });
        for op in ops.map(str::to_owned).chain(qualified) {
            assert!(super::known_key(&op).is_none_or(|k| k == op), "{op}");
        }
        for other in ["", "action", "aws:SourceIp", "Actions", "StringEqual"] {
            assert_eq!(super::known_key(other), None);
        }
    }

    #[test]
    fn plain_run_of_each_stop_at_each_place() {
        for stop in [0u8, 0x1f, b'"', b'\\', 0x80, 0xff] {
            for len in 0..20 {
                for at in 0..=len {
                    let mut bytes = vec![b'a'; len];
                    if at < len {
                        bytes[at] = stop;
                    }
                    // bytes that borrow or look like stops around it
                    if at + 1 < len {
                        bytes[at + 1] = 0x21;
                    }
                    assert_eq!(plain_run(&bytes), by_bytes(&bytes), "{stop} {len} {at}");
                }
            }
        }
    }
}
