//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}`
//! and the special characters `${*}`, `${?}`, `${$}`.
//!
//! IAM User Guide, "IAM policy elements: Variables and tags": variables are replaced by
//! the value of the request's context key of the same name; they work only in policies
//! with `"Version": "2012-10-17"` (elsewhere `${...}` is literal text); a key that is
//! missing from the request (with no default) means the value never matches; multivalued
//! keys cannot be used as variables; `${*}`, `${?}` and `${$}` stand for a literal `*`,
//! `?` and `$` where those characters would otherwise be wildcards.
//!
//! Resolution is bounded: a value with more than [`MAX_VARIABLES_PER_VALUE`] variables,
//! or whose resolved text would exceed [`MAX_RESOLVED_VALUE_BYTES`], is not built at all
//! and matches nothing, with a [`ResolveLimit`] saying why (the validator reports the
//! first case at the value as `policy-too-many-variables`).

use crate::codes::Code;
use crate::request::{Context, ContextValue};
use crate::wildcard::Pattern;
use serde::Serialize;
use std::borrow::Cow;

/// The most policy variables one policy value may hold. AWS caps a managed policy at
/// 6,144 characters, so no policy AWS accepts comes near it; past it, resolving a
/// value costs time and memory in proportion to a hostile document's size squared.
pub const MAX_VARIABLES_PER_VALUE: usize = 256;

/// The longest text a policy value may resolve to, in bytes (64 KiB): more than any
/// ARN (2,048 characters) or tag value (256) AWS allows, and small enough that a
/// hostile request cannot make each comparison copy megabytes.
pub const MAX_RESOLVED_VALUE_BYTES: usize = 64 * 1024;

/// One piece of a value with variables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Piece {
    /// Plain text (where the operator has wildcards, `*` and `?` in it are wildcards).
    Text {
        /// The text.
        text: String,
    },
    /// A literal character from `${*}`, `${?}` or `${$}`, never a wildcard.
    Literal {
        /// The character as text.
        text: String,
    },
    /// A variable `${key}` or `${key, 'default'}`.
    Variable(Variable),
}

/// A `${key}` reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Variable {
    /// The key as written, e.g. `aws:SourceIdentity`.
    pub key: String,
    /// The key folded to lowercase, for lookup.
    #[serde(skip)]
    pub key_lower: crate::request::LowerKey,
    /// The default from `${key, 'default'}`.
    pub default: Option<String>,
}

/// A policy string split into text and variables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Template {
    /// The pieces in order; none for plain text (no `${`), which is `fixed`'s text: most
    /// values are plain, and keep their text once instead of twice.
    pieces: Vec<Piece>,
    has_variables: bool,
    /// How many `${key}` pieces there are.
    variable_count: usize,
    /// Some text piece contains `*` or `?` (otherwise wildcard matching is equality).
    wild: bool,
    /// Precompiled pattern when there are no variables.
    fixed: Option<Pattern>,
    /// With variables: the length of the first text piece's part before its first wildcard
    /// when that part holds the five colons of an ARN's literal fields and is at least 8
    /// bytes long, else 0 (see [`Template::arn_head`]).
    arn_head: usize,
    /// The last 8 bytes of that part, as a word (see [`Template::may_match_resource`]).
    arn_tail: u64,
}

impl Serialize for Template {
    /// `{"pieces": [...]}`, plain text as one text piece.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut t = serializer.serialize_struct("Template", 1)?;
        match self.plain() {
            Some(text) => t.serialize_field(
                "pieces",
                &[Piece::Text {
                    text: text.to_owned(),
                }],
            )?,
            None => t.serialize_field("pieces", &self.pieces)?,
        }
        t.end()
    }
}

/// A problem in `${...}` syntax, at byte offsets within the string's unescaped text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariableError {
    /// Stable code.
    pub code: &'static str,
    /// Lowercase message.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// Byte range within the value.
    pub start: usize,
    /// End of the byte range within the value.
    pub end: usize,
}

/// Why a variable could not be replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    /// The key as written in the policy.
    pub key: String,
    /// True when the key is present but multivalued (which cannot be a variable).
    pub multivalued: bool,
    /// Set when the value was not resolved because it is over a limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<ResolveLimit>,
}

impl Unresolved {
    /// True when the request simply has no value for the key (no default either).
    pub fn is_missing(&self) -> bool {
        !self.multivalued && self.limit.is_none()
    }

    /// Why the policy value matches nothing, for explanations.
    pub fn explain(&self) -> String {
        match self.limit {
            Some(ResolveLimit::TooManyVariables { count }) => format!(
                "this value has {count} policy variables, more than the {MAX_VARIABLES_PER_VALUE} resolved per value, so it matches nothing"
            ),
            Some(ResolveLimit::TooLong) => format!(
                "with `${{{}}}` replaced this value would be longer than {MAX_RESOLVED_VALUE_BYTES} bytes, the most resolved per value, so it matches nothing",
                self.key
            ),
            None if self.multivalued => format!(
                "`{}` is multivalued and cannot be used as a policy variable; this value matches nothing",
                self.key
            ),
            None => format!(
                "the request has no `{}`, so this value matches nothing",
                self.key
            ),
        }
    }
}

/// A limit that stopped a value from being resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ResolveLimit {
    /// More than [`MAX_VARIABLES_PER_VALUE`] variables.
    TooManyVariables {
        /// How many the value has.
        count: usize,
    },
    /// The resolved text would be longer than [`MAX_RESOLVED_VALUE_BYTES`].
    TooLong,
}

/// True when `text` holds `${`, where a policy variable would start. Checked for every
/// resource and condition value; a byte search for `$` is cheaper than a substring search.
pub fn has_variable_start(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'$', bytes).any(|i| bytes.get(i + 1) == Some(&b'{'))
}

impl Template {
    /// A template that is just `text` (no variable syntax is interpreted).
    pub fn text(text: &str) -> Self {
        Template {
            pieces: Vec::new(),
            has_variables: false,
            variable_count: 0,
            wild: Pattern::has_wildcard(text),
            fixed: Some(Pattern::compile(text)),
            arn_head: 0,
            arn_tail: 0,
        }
    }

    /// The text of a plain template (see `pieces`).
    fn plain(&self) -> Option<&str> {
        self.pieces
            .is_empty()
            .then(|| self.fixed.as_ref().map_or("", Pattern::as_str))
    }

    /// The pieces in order (plain text as one text piece).
    pub fn pieces(&self) -> Cow<'_, [Piece]> {
        match self.plain() {
            Some(text) => Cow::Owned(vec![Piece::Text {
                text: text.to_owned(),
            }]),
            None => Cow::Borrowed(&self.pieces),
        }
    }

    /// Parses `text`. With `enabled` false (policy version other than 2012-10-17) the
    /// text stays literal, and any `${` is reported as a warning by the validator.
    pub fn parse(text: &str, enabled: bool) -> (Self, Vec<VariableError>) {
        if !enabled || !has_variable_start(text) {
            return (Template::text(text), Vec::new());
        }
        let mut errors = Vec::new();
        let mut pieces = Vec::new();
        let mut buf = String::new();
        let mut rest = text;
        let mut offset = 0usize;
        while let Some(i) = rest.find("${") {
            buf.push_str(rest.get(..i).unwrap_or(""));
            let after = rest.get(i + 2..).unwrap_or("");
            let start = offset + i;
            let Some(close) = after.find('}') else {
                errors.push(VariableError {
                    code: Code::PolicyUnclosedVariable.as_str(),
                    message: "`${` is never closed".into(),
                    help: "close the variable with `}`, e.g. `${aws:username}`; for a literal `$` write `${$}`".into(),
                    start,
                    end: text.len(),
                });
                buf.push_str(rest.get(i..).unwrap_or(""));
                rest = "";
                break;
            };
            let inner = after.get(..close).unwrap_or("");
            let end = start + 2 + close + 1;
            match inner.trim() {
                c @ ("*" | "?" | "$") => {
                    if !buf.is_empty() {
                        pieces.push(Piece::Text {
                            text: std::mem::take(&mut buf),
                        });
                    }
                    pieces.push(Piece::Literal { text: c.to_owned() });
                }
                _ => match parse_variable(inner) {
                    Ok(var) => {
                        if !buf.is_empty() {
                            pieces.push(Piece::Text {
                                text: std::mem::take(&mut buf),
                            });
                        }
                        pieces.push(Piece::Variable(var));
                    }
                    Err((message, help)) => {
                        errors.push(VariableError {
                            code: Code::PolicyInvalidVariable.as_str(),
                            message,
                            help,
                            start,
                            end,
                        });
                        buf.push_str(rest.get(i..i + 2 + close + 1).unwrap_or(""));
                    }
                },
            }
            offset = end;
            rest = after.get(close + 1..).unwrap_or("");
        }
        buf.push_str(rest);
        if !buf.is_empty() {
            pieces.push(Piece::Text { text: buf });
        }
        let variable_count = pieces
            .iter()
            .filter(|p| matches!(p, Piece::Variable(_)))
            .count();
        if variable_count > MAX_VARIABLES_PER_VALUE {
            errors.push(VariableError {
                code: Code::PolicyTooManyVariables.as_str(),
                message: format!(
                    "{variable_count} policy variables in one value, more than {MAX_VARIABLES_PER_VALUE}"
                ),
                help: format!(
                    "a value resolves at most {MAX_VARIABLES_PER_VALUE} variables and otherwise matches nothing; AWS policies are far smaller"
                ),
                start: 0,
                end: text.len(),
            });
        }
        let has_variables = variable_count > 0;
        let wild = pieces
            .iter()
            .any(|p| matches!(p, Piece::Text { text } if Pattern::has_wildcard(text)));
        let (arn_head, arn_tail) = match pieces.first() {
            Some(Piece::Text { text }) if has_variables => {
                let end = text.find(['*', '?']).unwrap_or(text.len());
                let colons = text.bytes().take(end).filter(|b| *b == b':').count();
                match tail_word(text.as_bytes(), end) {
                    Some(tail) if colons >= 5 => (end, tail),
                    _ => (0, 0),
                }
            }
            _ => (0, 0),
        };
        let mut t = Template {
            pieces,
            has_variables,
            variable_count,
            wild,
            fixed: None,
            arn_head,
            arn_tail,
        };
        if !has_variables {
            let mut p = Pattern::default();
            for piece in &t.pieces {
                match piece {
                    Piece::Text { text } => p.push_wild(text),
                    Piece::Literal { text } => p.push_literal(text),
                    Piece::Variable(_) => {}
                }
            }
            t.fixed = Some(p);
        }
        (t, errors)
    }

    /// For a value with variables that begins with an ARN's literal fields (its first five
    /// colons before any wildcard or variable): that beginning. Matched as a resource
    /// (`Pattern::matches_resource`), the value resolved can only match an ARN that begins
    /// with it, whatever the variables hold, so a resource without it is rejected before
    /// the value is resolved.
    pub fn arn_head(&self) -> Option<&str> {
        match self.pieces.first() {
            Some(Piece::Text { text }) if self.arn_head > 0 => text.get(..self.arn_head),
            _ => None,
        }
    }

    /// False when `resource` cannot match the value as a resource, whatever its variables
    /// hold: the resource lacks the last 8 bytes of [`Template::arn_head`] where they must
    /// be (one word compared: a quick reject, not a match; true without a head).
    #[inline]
    pub fn may_match_resource(&self, resource: &str) -> bool {
        self.arn_head == 0 || tail_word(resource.as_bytes(), self.arn_head) == Some(self.arn_tail)
    }

    /// True when at least one `${key}` needs a value from the request.
    pub fn has_variables(&self) -> bool {
        self.has_variables
    }

    /// True when some text piece has `*` or `?`; without them, wildcard matching is
    /// plain equality (see [`Template::equals`]).
    pub fn has_wildcards(&self) -> bool {
        self.wild
    }

    /// The variables, in order.
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Variable(v) => Some(v),
            _ => None,
        })
    }

    /// The precompiled wildcard pattern when the template has no variables.
    pub fn fixed_pattern(&self) -> Option<&Pattern> {
        self.fixed.as_ref()
    }

    /// Checks, without building anything, that every variable has a value and that the
    /// value stays within [`MAX_VARIABLES_PER_VALUE`] and [`MAX_RESOLVED_VALUE_BYTES`].
    fn check_resolvable(&self, ctx: &Context) -> Result<(), Unresolved> {
        if !self.has_variables {
            return Ok(());
        }
        if self.variable_count > MAX_VARIABLES_PER_VALUE {
            let key = self.variables().next().map(|v| v.key.clone());
            return Err(Unresolved {
                key: key.unwrap_or_default(),
                multivalued: false,
                limit: Some(ResolveLimit::TooManyVariables {
                    count: self.variable_count,
                }),
            });
        }
        let mut len = 0usize;
        for piece in &self.pieces {
            let (part, key) = match piece {
                Piece::Text { text } | Piece::Literal { text } => (text.as_str(), None),
                Piece::Variable(v) => (lookup(v, ctx)?, Some(v)),
            };
            len = len.saturating_add(part.len());
            if len > MAX_RESOLVED_VALUE_BYTES {
                return Err(Unresolved {
                    key: key.map(|v| v.key.clone()).unwrap_or_default(),
                    multivalued: false,
                    limit: Some(ResolveLimit::TooLong),
                });
            }
        }
        Ok(())
    }

    /// The value with variables replaced, for operators without wildcards.
    pub fn resolve_string(&self, ctx: &Context) -> Result<Cow<'_, str>, Unresolved> {
        if let Some(text) = self.plain() {
            return Ok(Cow::Borrowed(text));
        }
        if let [Piece::Text { text } | Piece::Literal { text }] = self.pieces.as_slice() {
            return Ok(Cow::Borrowed(text));
        }
        self.check_resolvable(ctx)?;
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text { text } | Piece::Literal { text } => out.push_str(text),
                Piece::Variable(v) => out.push_str(lookup(v, ctx)?),
            }
        }
        Ok(Cow::Owned(out))
    }

    /// Compares the resolved value with `text` without building it: `None` when a
    /// variable has no value or a limit stops the value from being resolved (as
    /// [`Template::resolve_string`] fails). One pass, looking each variable up once, and
    /// no allocation even when a variable is missing.
    pub fn equals(&self, ctx: &Context, text: &str) -> Option<bool> {
        if let Some(plain) = self.plain() {
            return Some(plain == text);
        }
        if self.variable_count > MAX_VARIABLES_PER_VALUE {
            return None;
        }
        // `None` once a piece differs; the later variables must still resolve
        let mut rest = Some(text);
        let mut len = 0usize;
        for piece in &self.pieces {
            let part = match piece {
                Piece::Text { text } | Piece::Literal { text } => text.as_str(),
                Piece::Variable(v) => value_of(v, ctx)?,
            };
            len = len.saturating_add(part.len());
            if self.has_variables && len > MAX_RESOLVED_VALUE_BYTES {
                return None;
            }
            rest = rest.and_then(|r| r.strip_prefix(part));
        }
        Some(rest.is_some_and(str::is_empty))
    }

    /// [`Template::resolve_pattern`] without saying why it fails, for the fast path: one
    /// pass, each variable looked up once, no allocation once `out` has grown. `false`
    /// when a variable has no value or a limit stops the value (then `out` holds a part).
    pub fn resolve_pattern_into(&self, ctx: &Context, out: &mut Pattern) -> bool {
        out.clear();
        if let Some(text) = self.plain() {
            out.push_wild(text);
            return true;
        }
        if self.variable_count > MAX_VARIABLES_PER_VALUE {
            return false;
        }
        let mut len = 0usize;
        for piece in &self.pieces {
            let (part, wild) = match piece {
                Piece::Text { text } => (text.as_str(), true),
                Piece::Literal { text } => (text.as_str(), false),
                Piece::Variable(v) => match value_of(v, ctx) {
                    Some(value) => (value, false),
                    None => return false,
                },
            };
            len = len.saturating_add(part.len());
            if self.has_variables && len > MAX_RESOLVED_VALUE_BYTES {
                return false;
            }
            if wild {
                out.push_wild(part);
            } else {
                out.push_literal(part);
            }
        }
        true
    }

    /// Resolves into `out` as a wildcard pattern: text keeps its wildcards, substituted
    /// values and `${*}`-style characters are literal.
    pub fn resolve_pattern(&self, ctx: &Context, out: &mut Pattern) -> Result<(), Unresolved> {
        out.clear();
        if let Some(text) = self.plain() {
            out.push_wild(text);
            return Ok(());
        }
        self.check_resolvable(ctx)?;
        for piece in &self.pieces {
            match piece {
                Piece::Text { text } => out.push_wild(text),
                Piece::Literal { text } => out.push_literal(text),
                Piece::Variable(v) => out.push_literal(lookup(v, ctx)?),
            }
        }
        Ok(())
    }
}

/// The 8 bytes of `bytes` that end at `end`, as a word (`None` when `end` is under 8 or past
/// the end).
#[inline]
fn tail_word(bytes: &[u8], end: usize) -> Option<u64> {
    let word: [u8; 8] = bytes.get(end.checked_sub(8)?..end)?.try_into().ok()?;
    Some(u64::from_le_bytes(word))
}

/// The value a variable stands for: the single value of its key, else its default; `None`
/// without saying why (see [`lookup`]), so without allocating.
fn value_of<'c>(v: &'c Variable, ctx: &'c Context) -> Option<&'c str> {
    match ctx.get_key(&v.key_lower) {
        Some(ContextValue::Single(s)) => Some(s),
        Some(ContextValue::Multi(_)) => None,
        None => v.default.as_deref(),
    }
}

/// The value a variable stands for: the single value of its key, else its default.
fn lookup<'c>(v: &'c Variable, ctx: &'c Context) -> Result<&'c str, Unresolved> {
    match ctx.get_key(&v.key_lower) {
        Some(ContextValue::Single(s)) => Ok(s),
        Some(ContextValue::Multi(_)) => Err(Unresolved {
            key: v.key.clone(),
            multivalued: true,
            limit: None,
        }),
        None => v.default.as_deref().ok_or_else(|| Unresolved {
            key: v.key.clone(),
            multivalued: false,
            limit: None,
        }),
    }
}

fn parse_variable(inner: &str) -> Result<Variable, (String, String)> {
    let (key, default) = match inner.split_once(',') {
        None => (inner.trim(), None),
        Some((k, d)) => {
            let d = d.trim();
            let quoted = d
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .filter(|d| !d.contains('\''));
            let Some(d) = quoted else {
                return Err((
                    format!("invalid default in `${{{inner}}}`"),
                    "write a default in single quotes: `${aws:username, 'nobody'}`".into(),
                ));
            };
            (k.trim(), Some(d.to_owned()))
        }
    };
    if key.is_empty() {
        return Err((
            "empty variable `${}`".into(),
            "name a condition key, e.g. `${aws:username}`".into(),
        ));
    }
    if key.contains(char::is_whitespace) || key.contains('{') {
        return Err((
            format!("`{key}` is not a condition key name"),
            "variables name a condition key such as `${aws:SourceIdentity}`".into(),
        ));
    }
    Ok(Variable {
        key: key.to_owned(),
        key_lower: crate::request::LowerKey::new(key),
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // plain text keeps no pieces, and behaves as the same text kept as one text piece
        #[test]
        fn plain_text_behaves_as_one_text_piece(text in "[ab:*?/$]{0,8}", other in "[ab:*?/]{0,8}") {
            let plain = Template::text(&text);
            prop_assert!(plain.pieces.is_empty());
            let piece = Template {
                pieces: vec![Piece::Text { text: text.clone() }],
                ..plain.clone()
            };
            let c = ctx(&[("k", "v")]);
            prop_assert_eq!(plain.resolve_string(&c), piece.resolve_string(&c));
            prop_assert_eq!(plain.equals(&c, &other), piece.equals(&c, &other));
            prop_assert_eq!(plain.equals(&c, &text), Some(true));
            let (mut a, mut b) = (Pattern::default(), Pattern::default());
            prop_assert_eq!(plain.resolve_pattern_into(&c, &mut a), piece.resolve_pattern_into(&c, &mut b));
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(plain.resolve_pattern(&c, &mut a), piece.resolve_pattern(&c, &mut b));
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(plain.fixed_pattern(), Some(&a));
            prop_assert_eq!(plain.pieces().into_owned(), piece.pieces.clone());
            prop_assert_eq!(serde_json::to_value(&plain).unwrap(), serde_json::to_value(&piece).unwrap());
            prop_assert_eq!(plain.variables().count(), 0);
        }
    }

    fn ctx(pairs: &[(&str, &str)]) -> Context {
        let mut c = Context::new();
        for (k, v) in pairs {
            c.insert_single(k, *v);
        }
        c
    }

    // IAM User Guide: "IAM policy elements: Variables and tags"
    #[test]
    fn resolves_keys_case_insensitively() {
        let (t, e) = Template::parse("users/${AWS:SourceIdentity}/*", true);
        assert!(e.is_empty());
        let c = ctx(&[("aws:sourceidentity", "alice")]);
        assert_eq!(t.resolve_string(&c).unwrap(), "users/alice/*");
    }

    #[test]
    fn an_arn_head_is_the_literal_arn_fields_before_a_wildcard_or_variable() {
        let head = |text: &str| Template::parse(text, true).0.arn_head().map(str::to_owned);
        assert_eq!(
            head("arn:aws:s3:::b/teams/${aws:PrincipalTag/team}/*").as_deref(),
            Some("arn:aws:s3:::b/teams/")
        );
        assert_eq!(
            head("arn:aws:s3:::b-*/${aws:SourceIdentity}/*").as_deref(),
            Some("arn:aws:s3:::b-")
        );
        // fewer than five colons before the first wildcard or variable
        assert_eq!(head("arn:aws:s3:*:*/${aws:SourceIdentity}"), None);
        assert_eq!(head("arn:aws:sagemaker:${aws:RequestedRegion}:1:x/*"), None);
        assert_eq!(head("${aws:SourceIdentity}:a:b:c:d:e"), None);
        // no variables: the value is a fixed pattern
        assert_eq!(head("arn:aws:s3:::b/*"), None);
    }

    // the fast path's early reject agrees with resolving and matching, for resources with
    // and without the head, and values whose variables have no value
    proptest::proptest! {
        #[test]
        fn a_resource_without_the_arn_head_never_matches(
            value in "arn:aws:s3:::[ab*?]{0,3}/\\$\\{aws:SourceIdentity\\}[/*a]{0,2}",
            resource in "arn:aws:s3:::[abB]{0,3}/[a/]{0,3}",
            identity in proptest::option::of("[a/]{0,2}"),
        ) {
            let (t, e) = Template::parse(&value, true);
            proptest::prop_assert!(e.is_empty(), "{:?}", e);
            let c = identity.map_or_else(Context::new, |i| ctx(&[("aws:SourceIdentity", &i)]));
            let mut p = Pattern::default();
            let matched = t.resolve_pattern_into(&c, &mut p) && p.matches_resource(&resource);
            if let Some(h) = t.arn_head() {
                if !resource.starts_with(h) {
                    proptest::prop_assert!(!matched, "{value} matched {resource} without {h}");
                }
            }
            if !t.may_match_resource(&resource) {
                proptest::prop_assert!(!matched, "{value} matched {resource}, rejected quickly");
            }
        }
    }

    #[test]
    fn literal_when_disabled() {
        let (t, _) = Template::parse("users/${aws:username}", false);
        assert!(!t.has_variables());
        assert_eq!(
            t.resolve_string(&Context::new()).unwrap(),
            "users/${aws:username}"
        );
    }

    #[test]
    fn defaults_and_special_characters() {
        let (t, e) = Template::parse("${aws:PrincipalTag/team, 'none'}-${*}${?}${$}", true);
        assert!(e.is_empty());
        assert_eq!(t.resolve_string(&Context::new()).unwrap(), "none-*?$");
        let mut p = Pattern::default();
        t.resolve_pattern(&Context::new(), &mut p).unwrap();
        assert!(p.matches("none-*?$"));
        assert!(!p.matches("none-ab$"));
    }

    #[test]
    fn missing_and_multivalued_keys_do_not_resolve() {
        let (t, _) = Template::parse("${aws:username}", true);
        assert_eq!(
            t.resolve_string(&Context::new()),
            Err(Unresolved {
                key: "aws:username".into(),
                multivalued: false,
                limit: None,
            })
        );
        let mut c = Context::new();
        c.insert_multi("aws:username", vec!["a".into()]);
        assert!(t.resolve_string(&c).unwrap_err().multivalued);
    }

    #[test]
    fn many_variables_are_refused_not_resolved() {
        // once 3.7 s: StringLike of `${v}` x 1,000 with a 10K-character value
        let text = "${v}".repeat(1000);
        let (t, e) = Template::parse(&text, true);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, "policy-too-many-variables");
        assert_eq!((e[0].start, e[0].end), (0, text.len()));
        let c = ctx(&[("v", &"x".repeat(10_000))]);
        let mut p = Pattern::default();
        let err = t.resolve_pattern(&c, &mut p).unwrap_err();
        assert_eq!(
            err.limit,
            Some(ResolveLimit::TooManyVariables { count: 1000 })
        );
        assert!(!err.is_missing());
        assert!(err.explain().contains("1000 policy variables"));
        assert_eq!(t.equals(&c, "x"), None);
        assert!(t.resolve_string(&c).is_err());
        // once out of memory: `${aws:PrincipalTag/team}` x 20K with a 50K-character tag
        let (t, _) = Template::parse(&"${aws:PrincipalTag/team}".repeat(20_000), true);
        let c = ctx(&[("aws:principaltag/team", &"t".repeat(50_000))]);
        assert_eq!(
            t.resolve_string(&c).unwrap_err().limit,
            Some(ResolveLimit::TooManyVariables { count: 20_000 })
        );
    }

    #[test]
    fn long_resolved_values_are_refused() {
        let c = ctx(&[("v", &"x".repeat(10_000))]);
        // 200 variables are allowed, but 2 MB of text is not
        let (t, e) = Template::parse(&"${v}".repeat(200), true);
        assert!(e.is_empty());
        let err = t.resolve_string(&c).unwrap_err();
        assert_eq!(err.limit, Some(ResolveLimit::TooLong));
        assert_eq!(err.key, "v");
        assert!(err.explain().contains("65536 bytes"));
        let mut p = Pattern::default();
        assert!(t.resolve_pattern(&c, &mut p).is_err());
        assert_eq!(t.equals(&c, &"x".repeat(2_000_000)), None);
        // exactly at the limit still resolves
        let exact = ctx(&[("v", &"x".repeat(MAX_RESOLVED_VALUE_BYTES - 2))]);
        let (t, _) = Template::parse("a${v}b", true);
        assert_eq!(
            t.resolve_string(&exact).unwrap().len(),
            MAX_RESOLVED_VALUE_BYTES
        );
        let over = ctx(&[("v", &"x".repeat(MAX_RESOLVED_VALUE_BYTES - 1))]);
        assert!(t.resolve_string(&over).is_err());
    }

    #[test]
    fn a_variable_start_is_found_as_a_substring_search_finds_it() {
        for text in [
            "",
            "$",
            "{",
            "${",
            "a$b{c",
            "$$",
            "a$${x}",
            "${aws:username}",
            "x$",
            "€${",
        ] {
            assert_eq!(has_variable_start(text), text.contains("${"), "{text}");
        }
    }

    #[test]
    fn unclosed_variable_is_reported() {
        let (_, e) = Template::parse("a/${aws:username", true);
        assert_eq!(e[0].code, "policy-unclosed-variable");
        assert_eq!(e[0].start, 2);
    }
}
