//! Reading the structure of a JSON document from its tokens (see the parent module): values
//! with their spans, and recovery at the next `,`, `}` or `]` after an error.

use super::lexer::{Lexer, Tok, Token};
use super::{Errors, JsonKind, JsonMember, JsonValue, MAX_DEPTH};
use crate::codes::Code;
use crate::diagnostic::Span;
use std::borrow::Cow;

/// Reads the structure from the lexer's tokens as they come (no token list): `current` is
/// the next one, already read.
pub(super) struct Parser<'a> {
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
        self.errors.error(code, span, message, help);
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
    fn bump_text(&mut self) -> Cow<'static, str> {
        match self.bump().tok {
            Tok::Str(text) => text,
            Tok::Word(text) => text.into(),
            _ => Cow::Borrowed(""),
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
                    Tok::Str(s) => JsonKind::String(s.into_owned()),
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

impl<'a> Parser<'a> {
    /// A parser at the first token of `lexer`'s text (`text_len` bytes long).
    pub(super) fn new(mut lexer: Lexer<'a>, text_len: usize) -> Self {
        let current = lexer.next_token();
        Parser {
            lexer,
            current,
            pos: 0,
            eof_consumed: false,
            errors: Errors::default(),
            text_len,
        }
    }

    /// The lexer (with its errors) and the structure's errors.
    pub(super) fn finish(self) -> (Lexer<'a>, Errors) {
        (self.lexer, self.errors)
    }

    /// The whole document: one value, then nothing but the end. Reads every token, so that
    /// the reader reports all of its errors, even after the value.
    pub(super) fn document(&mut self, text: &str) -> Option<JsonValue> {
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
