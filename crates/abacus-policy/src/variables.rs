//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}`
//! and the special characters `${*}`, `${?}`, `${$}`.
//!
//! IAM User Guide, "IAM policy elements: Variables and tags": variables are replaced by
//! the value of the request's context key of the same name; they work only in policies
//! with `"Version": "2012-10-17"` (elsewhere `${...}` is literal text); a key that is
//! missing from the request (with no default) means the value never matches; multivalued
//! keys cannot be used as variables; `${*}`, `${?}` and `${$}` stand for a literal `*`,
//! `?` and `$` where those characters would otherwise be wildcards.

use crate::request::{Context, ContextValue};
use crate::wildcard::Pattern;
use serde::Serialize;
use std::borrow::Cow;

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
    pub key_lower: String,
    /// The default from `${key, 'default'}`.
    pub default: Option<String>,
}

/// A policy string split into text and variables.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Template {
    /// The pieces in order.
    pub pieces: Vec<Piece>,
    #[serde(skip)]
    has_variables: bool,
    /// Some text piece contains `*` or `?` (otherwise wildcard matching is equality).
    #[serde(skip)]
    wild: bool,
    /// Precompiled pattern when there are no variables.
    #[serde(skip)]
    fixed: Option<Pattern>,
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
}

impl Template {
    /// A template that is just `text` (no variable syntax is interpreted).
    pub fn text(text: &str) -> Self {
        let mut t = Template {
            pieces: vec![Piece::Text {
                text: text.to_owned(),
            }],
            has_variables: false,
            wild: text.contains(['*', '?']),
            fixed: None,
        };
        t.fixed = Some(Pattern::compile(text));
        t
    }

    /// Parses `text`. With `enabled` false (policy version other than 2012-10-17) the
    /// text stays literal, and any `${` is reported as a warning by the validator.
    pub fn parse(text: &str, enabled: bool) -> (Self, Vec<VariableError>) {
        if !enabled || !text.contains("${") {
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
                    code: "policy-unclosed-variable",
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
                            code: "policy-invalid-variable",
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
        let has_variables = pieces.iter().any(|p| matches!(p, Piece::Variable(_)));
        let wild = pieces
            .iter()
            .any(|p| matches!(p, Piece::Text { text } if text.contains(['*', '?'])));
        let mut t = Template {
            pieces,
            has_variables,
            wild,
            fixed: None,
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

    /// The value with variables replaced, for operators without wildcards.
    pub fn resolve_string(&self, ctx: &Context) -> Result<Cow<'_, str>, Unresolved> {
        if let [Piece::Text { text } | Piece::Literal { text }] = self.pieces.as_slice() {
            return Ok(Cow::Borrowed(text));
        }
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
    /// variable has no value.
    pub fn equals(&self, ctx: &Context, text: &str) -> Option<bool> {
        let mut rest = text;
        for piece in &self.pieces {
            let part = match piece {
                Piece::Text { text } | Piece::Literal { text } => text.as_str(),
                Piece::Variable(v) => lookup(v, ctx).ok()?,
            };
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => {
                    // still resolve the remaining variables: an unresolved one means no value
                    return self.resolvable(ctx).then_some(false);
                }
            }
        }
        Some(rest.is_empty())
    }

    fn resolvable(&self, ctx: &Context) -> bool {
        self.variables().all(|v| lookup(v, ctx).is_ok())
    }

    /// Resolves into `out` as a wildcard pattern: text keeps its wildcards, substituted
    /// values and `${*}`-style characters are literal.
    pub fn resolve_pattern(&self, ctx: &Context, out: &mut Pattern) -> Result<(), Unresolved> {
        out.clear();
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

/// The value a variable stands for: the single value of its key, else its default.
fn lookup<'c>(v: &'c Variable, ctx: &'c Context) -> Result<&'c str, Unresolved> {
    match ctx.get_lowercase(&v.key_lower) {
        Some(ContextValue::Single(s)) => Ok(s),
        Some(ContextValue::Multi(_)) => Err(Unresolved {
            key: v.key.clone(),
            multivalued: true,
        }),
        None => v.default.as_deref().ok_or_else(|| Unresolved {
            key: v.key.clone(),
            multivalued: false,
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
        key_lower: key.to_ascii_lowercase(),
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
                multivalued: false
            })
        );
        let mut c = Context::new();
        c.insert_multi("aws:username", vec!["a".into()]);
        assert!(t.resolve_string(&c).unwrap_err().multivalued);
    }

    #[test]
    fn unclosed_variable_is_reported() {
        let (_, e) = Template::parse("a/${aws:username", true);
        assert_eq!(e[0].code, "policy-unclosed-variable");
        assert_eq!(e[0].start, 2);
    }
}
