//! Policy text → [`ast::Policy`] plus every diagnostic, never panicking.
//!
//! The JSON layer ([`crate::json`]) keeps spans and recovers from syntax errors; this
//! module maps JSON onto the grammar of the IAM User Guide ("Grammar of the IAM JSON
//! policy language", "IAM JSON policy element reference") and reports each departure
//! at its place. It never "fixes" a policy silently: anything it cannot read faithfully
//! is an error, and a policy with errors is never evaluated.

use crate::ast::{
    self, ActionPattern, Condition, ConditionOperator, ConditionValue, Effect, Policy, Principal,
    PrincipalEntry, PrincipalSpec, PrincipalType, ResourcePattern, Spanned, Statement, ValueList,
};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, LineIndex, Severity, Span};
use crate::json::{parse_json_counted, source_offset, JsonKind, JsonMember, JsonValue};
use crate::kind::PolicyKind;
use crate::validate::{self, kind_diagnostics, PolicyShape};
use crate::variables::Template;
use serde::Serialize;

/// A parsed policy: the tree (when the text is a JSON object), every diagnostic, and the
/// line index that resolves spans.
#[derive(Clone, Debug, Serialize)]
pub struct ParsedPolicy {
    /// The syntax tree; `None` only when the text holds no JSON object at all.
    pub policy: Option<ast::Policy>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Resolves spans of this text.
    #[serde(skip)]
    pub line_index: LineIndex,
    /// Statement shapes, to check per policy type cheaply.
    #[serde(skip)]
    shape: PolicyShape,
    /// What [`MAX_DIAGNOSTICS_PER_POLICY`] left out of `diagnostics` (whose last entry then
    /// says so).
    #[serde(skip)]
    hidden: Option<Hidden>,
}

impl ParsedPolicy {
    /// True when any diagnostic is an error (such a policy is rejected by AWS and never
    /// evaluated here).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// True when the policy parses without errors and AWS accepts it as a `kind`
    /// policy (e.g. no `Principal` in identity-based policies).
    pub fn is_valid_for(&self, kind: PolicyKind) -> bool {
        self.policy.is_some() && !self.has_errors() && self.shape.valid_for(kind)
    }

    /// Every diagnostic for this policy used as a `kind` policy: the parser's and the
    /// type-specific ones, in source order.
    ///
    /// Capped like `diagnostics`: at most [`MAX_DIAGNOSTICS_PER_POLICY`], then one
    /// `policy-too-many-diagnostics` that counts everything left out.
    pub fn diagnostics_for(&self, kind: PolicyKind) -> Vec<Diagnostic> {
        let shown = match self.hidden {
            Some(_) => self.diagnostics.split_last().map_or(&[][..], |(_, s)| s),
            None => self.diagnostics.as_slice(),
        };
        let mut all = shown.to_vec();
        if let Some(p) = &self.policy {
            all.extend(kind_diagnostics(p, &self.line_index, kind));
        }
        crate::order::sort_by_key(&mut all, |d| (d.span.start, d.span.end));
        let rest = all.split_off(all.len().min(MAX_DIAGNOSTICS_PER_POLICY));
        let cut = Hidden::of(rest.iter().map(|d| (d.span, d.severity)));
        let hidden = match (self.hidden, cut) {
            (Some(a), Some(b)) => Some(a.merge(b)),
            (a, b) => a.or(b),
        };
        if let Some(h) = hidden {
            all.push(h.diagnostic(&self.line_index));
        }
        all
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// At most this many diagnostics are reported per policy, the first ones in source order;
/// the rest are summed up by one last `policy-too-many-diagnostics` diagnostic. A pasted
/// megabyte of garbage would otherwise yield a diagnostic per character, more than any
/// editor can show or any reader can use.
pub const MAX_DIAGNOSTICS_PER_POLICY: usize = 200;

/// Parses and validates policy text. Never panics.
///
/// Reports at most [`MAX_DIAGNOSTICS_PER_POLICY`] diagnostics plus one saying how many
/// more there are; positions are resolved (through the line index) only for those.
pub fn parse_policy(text: &str) -> ParsedPolicy {
    let line_index = LineIndex::new(text);
    let (json, json_errors, dropped) = parse_json_counted(text);
    let mut b = Builder {
        text,
        index: &line_index,
        diags: Vec::new(),
        variables: false,
    };
    for e in json_errors {
        let severity = if e.is_error {
            Severity::Error
        } else {
            Severity::Warning
        };
        b.push(severity, e.code, e.span, e.message, e.help);
    }
    // the builder moves strings out of the tree (which is dropped afterwards)
    let policy = json.and_then(|mut v| b.document(&mut v));
    let mut validated = Vec::new();
    if let Some(p) = &policy {
        validate::validate(p, &line_index, &mut validated);
    }
    let mut found = b.diags;
    found.extend(validated.into_iter().map(Found::Resolved));
    let (diagnostics, hidden) = first_diagnostics(found, dropped, &line_index);
    let shape = policy.as_ref().map(PolicyShape::of).unwrap_or_default();
    ParsedPolicy {
        policy,
        diagnostics,
        line_index,
        shape,
        hidden,
    }
}

/// A diagnostic as found: the parser's own keep their positions unresolved until the cap
/// has chosen which ones are reported.
enum Found {
    /// Found by the JSON reader or the grammar mapping.
    Unresolved {
        severity: Severity,
        code: String,
        span: Span,
        message: String,
        help: String,
    },
    /// Found by the validator, positions already resolved.
    Resolved(Diagnostic),
}

impl Found {
    fn span(&self) -> Span {
        match self {
            Found::Unresolved { span, .. } => *span,
            Found::Resolved(d) => d.span,
        }
    }

    fn severity(&self) -> Severity {
        match self {
            Found::Unresolved { severity, .. } => *severity,
            Found::Resolved(d) => d.severity,
        }
    }

    fn resolve(self, index: &LineIndex) -> Diagnostic {
        match self {
            Found::Unresolved {
                severity,
                code,
                span,
                message,
                help,
            } => Diagnostic::new(index, severity, code, span, message, help),
            Found::Resolved(d) => d,
        }
    }
}

/// What the cap left out: how many diagnostics, how many of them errors, the worst
/// severity among them and where the first of them starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hidden {
    count: usize,
    errors: usize,
    worst: Severity,
    first: usize,
}

impl Hidden {
    /// Sums up `left_out` (`None` when it is empty).
    fn of<'a>(left_out: impl Iterator<Item = (Span, Severity)> + 'a) -> Option<Hidden> {
        left_out.fold(None, |acc, (span, severity)| {
            let one = Hidden {
                count: 1,
                errors: usize::from(severity == Severity::Error),
                worst: severity,
                first: span.start,
            };
            Some(acc.map_or(one, |h: Hidden| h.merge(one)))
        })
    }

    fn merge(self, other: Hidden) -> Hidden {
        Hidden {
            count: self.count + other.count,
            errors: self.errors + other.errors,
            // `Severity` orders from the most serious (`Error`) down
            worst: self.worst.min(other.worst),
            first: self.first.min(other.first),
        }
    }

    /// The `policy-too-many-diagnostics` diagnostic, at the first one left out and as
    /// severe as the worst one, so that `has_errors` stays true when errors were cut.
    fn diagnostic(self, index: &LineIndex) -> Diagnostic {
        let plural = if self.count == 1 { "" } else { "s" };
        let of_which = if self.errors == 0 || self.errors == self.count {
            String::new()
        } else {
            format!(", {} of them errors", self.errors)
        };
        Diagnostic::new(
            index,
            self.worst,
            Code::PolicyTooManyDiagnostics,
            Span::new(self.first, self.first),
            format!("{} more diagnostic{plural} not shown{of_which}", self.count),
            format!(
                "only the first {MAX_DIAGNOSTICS_PER_POLICY} are listed, in source order; the others start here (fix the first ones and the rest show up)"
            ),
        )
    }
}

/// Sorts `found` into source order and keeps the first [`MAX_DIAGNOSTICS_PER_POLICY`],
/// each resolved once against `index`; sums up the rest. O(n log n) in the number found.
fn first_diagnostics(
    mut found: Vec<Found>,
    dropped: crate::json::Dropped,
    index: &LineIndex,
) -> (Vec<Diagnostic>, Option<Hidden>) {
    // stable: equal spans keep the order they were found in
    crate::order::sort_by_key(&mut found, |f| {
        let span = f.span();
        (span.start, span.end)
    });
    let rest = found.split_off(found.len().min(MAX_DIAGNOSTICS_PER_POLICY));
    let mut hidden = Hidden::of(rest.iter().map(|f| (f.span(), f.severity())));
    // the JSON reader counted what it did not keep
    if let Some(first) = dropped.first {
        let more = Hidden {
            count: dropped.count,
            errors: dropped.errors,
            worst: if dropped.errors > 0 {
                Severity::Error
            } else {
                Severity::Warning
            },
            first,
        };
        hidden = Some(hidden.map_or(more, |h| h.merge(more)));
    }
    let mut out: Vec<Diagnostic> = found.into_iter().map(|f| f.resolve(index)).collect();
    if let Some(h) = hidden {
        out.push(h.diagnostic(index));
    }
    (out, hidden)
}

struct Builder<'a> {
    /// The policy text (to map offsets inside escaped strings back to the source).
    text: &'a str,
    index: &'a LineIndex,
    diags: Vec<Found>,
    /// `Version` is 2012-10-17: `${...}` are variables.
    variables: bool,
}

/// The most element names one object may hold (each list below fits, checked when built).
const MAX_ELEMENTS: usize = 16;
const _: () = assert!(
    TOP_ELEMENTS.len() <= MAX_ELEMENTS
        && STATEMENT_ELEMENTS.len() <= MAX_ELEMENTS
        && PRINCIPAL_ELEMENTS.len() <= MAX_ELEMENTS
);
const TOP_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const PRINCIPAL_ELEMENTS: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];
const STATEMENT_ELEMENTS: [&str; 10] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Version",
];

impl Builder<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &str,
        span: Span,
        message: String,
        help: impl Into<String>,
    ) {
        self.diags.push(Found::Unresolved {
            severity,
            code: code.to_owned(),
            span,
            message,
            help: help.into(),
        });
    }

    fn error(&mut self, code: &str, span: Span, message: String, help: impl Into<String>) {
        self.push(Severity::Error, code, span, message, help);
    }

    fn wrong_type(&mut self, element: &str, expected: &str, value: &JsonValue) {
        if value.kind == JsonKind::Invalid {
            return; // already reported by the JSON reader
        }
        self.error(
            Code::PolicyWrongType.as_str(),
            value.span,
            format!(
                "`{element}` must be {expected}, not {}",
                value.kind.describe()
            ),
            format!("write `{element}` as {expected}"),
        );
    }

    /// Members of an object checked against the allowed element names: unknown and
    /// duplicate names are reported; the first occurrence of each known name is returned.
    fn elements<'v>(
        &mut self,
        members: &'v mut [JsonMember],
        allowed: &[&'static str],
        place: &str,
    ) -> Vec<(&'static str, &'v mut JsonMember)> {
        // where each allowed name was first seen, by its place in `allowed` (a short list:
        // a scan beats a map, and nothing is allocated)
        let mut seen = [None::<Span>; MAX_ELEMENTS];
        let mut out = Vec::with_capacity(members.len());
        for m in members.iter_mut() {
            let Some((i, &name)) = allowed.iter().enumerate().find(|(_, a)| **a == m.key) else {
                let near = allowed.iter().find(|a| a.eq_ignore_ascii_case(&m.key));
                match near {
                    Some(n) => self.error(
                        Code::PolicyElementCase.as_str(),
                        m.key_span,
                        format!("unknown element `{}` in {place}", m.key),
                        format!("element names are case-sensitive: write `{n}`"),
                    ),
                    None => self.error(
                        Code::PolicyUnknownElement.as_str(),
                        m.key_span,
                        format!("unknown element `{}` in {place}", m.key),
                        format!("{place} may contain only {}", allowed.join(", ")),
                    ),
                }
                continue;
            };
            let Some(first_seen) = seen.get_mut(i) else {
                continue; // (never: every list of elements fits, see MAX_ELEMENTS)
            };
            if let Some(first) = *first_seen {
                let first = self.index.position(first.start);
                self.error(
                    Code::PolicyDuplicateElement.as_str(),
                    m.key_span,
                    format!("duplicate element `{name}` in {place}"),
                    format!(
                        "`{name}` already appears at {}:{}; merge the two into one (JSON parsers disagree on which one wins)",
                        first.line, first.column
                    ),
                );
                continue;
            }
            *first_seen = Some(m.key_span);
            out.push((name, m));
        }
        out
    }

    fn document(&mut self, v: &mut JsonValue) -> Option<Policy> {
        let JsonKind::Object(members) = &mut v.kind else {
            if v.kind != JsonKind::Invalid {
                let help = if matches!(v.kind, JsonKind::Array(_)) {
                    "a policy is an object: `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`; put this array under `Statement`"
                } else {
                    "a policy is an object: `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`"
                };
                self.error(
                    Code::PolicyNotObject.as_str(),
                    v.span,
                    format!(
                        "a policy document must be a JSON object, not {}",
                        v.kind.describe()
                    ),
                    help,
                );
            }
            return None;
        };
        let span = v.span;
        let has = |k: &str| members.iter().any(|m| m.key == k);
        let bare =
            !has("Statement") && (has("Effect") || has("Action") || has("Sid") || has("Resource"));
        if bare {
            self.error(
                Code::PolicyBareStatement.as_str(),
                span,
                "this looks like a single statement, not a policy document".into(),
                "wrap it in a policy document: `{\"Version\": \"2012-10-17\", \"Statement\": [ ...this statement... ]}`",
            );
            self.variables = true;
            let statement = self.statement_members(members, span, 0);
            return Some(Policy::new(None, None, vec![statement], span));
        }
        let elements = self.elements(members, &TOP_ELEMENTS, "a policy document");
        let mut version = None;
        let mut id = None;
        let mut statement_value = None;
        for (name, m) in elements {
            match name {
                "Version" => version = self.string_element("Version", &mut m.value),
                "Id" => id = self.string_element("Id", &mut m.value),
                _ => statement_value = Some(&mut m.value),
            }
        }
        match &version {
            None => self.push(
                Severity::Warning,
                Code::PolicyMissingVersion.as_str(),
                Span::new(span.start, span.start + 1),
                "the policy has no `Version`".into(),
                "add `\"Version\": \"2012-10-17\"`; without it AWS uses 2008-10-17, where policy variables like `${aws:username}` are plain text",
            ),
            Some(ver) if ver.value != "2012-10-17" && ver.value != "2008-10-17" => self.error(
                Code::PolicyUnknownVersion.as_str(),
                ver.span,
                format!("unknown policy version `{}`", ver.value),
                "`Version` is a fixed date, not today's date: use `2012-10-17` (current) or `2008-10-17`",
            ),
            Some(_) => {}
        }
        self.variables = version.as_ref().is_some_and(|v| v.value == "2012-10-17");
        let mut statements = Vec::new();
        match statement_value {
            None => self.error(
                Code::PolicyMissingStatement.as_str(),
                Span::new(span.start, span.start + 1),
                "the policy has no `Statement`".into(),
                "add `\"Statement\": [ { \"Effect\": ..., \"Action\": ..., \"Resource\": ... } ]`",
            ),
            Some(sv) => match &mut sv.kind {
                JsonKind::Object(members) => {
                    statements.push(self.statement_members(members, sv.span, 0));
                }
                JsonKind::Array(items) => {
                    if items.is_empty() {
                        self.error(
                            Code::PolicyEmptyStatement.as_str(),
                            sv.span,
                            "`Statement` is empty".into(),
                            "add at least one statement",
                        );
                    }
                    for item in items.iter_mut() {
                        match &mut item.kind {
                            JsonKind::Object(members) => {
                                let i = statements.len();
                                statements.push(self.statement_members(members, item.span, i));
                            }
                            JsonKind::Array(inner) => {
                                self.error(
                                    Code::PolicyNestedStatementArray.as_str(),
                                    Span::new(item.span.start, item.span.start + 1),
                                    "nested array where a statement belongs".into(),
                                    "`Statement` is one array of statement objects: remove the inner `[` and its matching `]`",
                                );
                                // still read the statements inside so that their own
                                // mistakes are reported too
                                for s in inner.iter_mut() {
                                    if let JsonKind::Object(members) = &mut s.kind {
                                        let i = statements.len();
                                        statements.push(self.statement_members(members, s.span, i));
                                    }
                                }
                            }
                            _ => {
                                self.wrong_type("Statement", "an array of statement objects", item)
                            }
                        }
                    }
                }
                _ => self.wrong_type("Statement", "a statement object or an array of them", sv),
            },
        }
        Some(Policy::new(version, id, statements, span))
    }

    fn string_element(&mut self, name: &str, v: &mut JsonValue) -> Option<Spanned<String>> {
        match &mut v.kind {
            JsonKind::String(s) => Some(Spanned::new(std::mem::take(s), v.span)),
            _ => {
                self.wrong_type(name, "a string", v);
                None
            }
        }
    }

    /// The statement of an object's `members` (`span`: the object's).
    fn statement_members(
        &mut self,
        members: &mut [JsonMember],
        span: Span,
        index: usize,
    ) -> Statement {
        let elements = self.elements(members, &STATEMENT_ELEMENTS, "a statement");
        let mut st = Statement {
            index,
            sid: None,
            effect: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            principal: None,
            not_principal: None,
            conditions: Vec::new(),
            condition_span: None,
            span,
            service_filter: u64::MAX,
            action_filter: u64::MAX,
        };
        let mut effect_seen = false;
        for (name, m) in elements {
            let value = &mut m.value;
            match name {
                "Sid" => st.sid = self.string_element("Sid", value),
                "Effect" => {
                    effect_seen = true;
                    st.effect = self.effect(value);
                }
                "Action" => st.action = self.actions("Action", value),
                "NotAction" => st.not_action = self.actions("NotAction", value),
                "Resource" => st.resource = self.resources("Resource", value),
                "NotResource" => st.not_resource = self.resources("NotResource", value),
                "Principal" => st.principal = self.principal("Principal", value),
                "NotPrincipal" => st.not_principal = self.principal("NotPrincipal", value),
                "Condition" => {
                    st.condition_span = Some(value.span);
                    st.conditions = self.conditions(value);
                }
                _ => self.error(
                    Code::PolicyMisplacedVersion.as_str(),
                    m.key_span,
                    "`Version` belongs to the policy document, not to a statement".into(),
                    "move `\"Version\": \"2012-10-17\"` to the top level of the policy",
                ),
            }
        }
        let head = Span::new(span.start, span.start + 1);
        if !effect_seen {
            self.error(
                Code::PolicyMissingEffect.as_str(),
                head,
                "the statement has no `Effect`".into(),
                "add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`",
            );
        }
        match (&st.action, &st.not_action) {
            (Some(_), Some(n)) => self.error(
                Code::PolicyActionAndNotAction.as_str(),
                n.span,
                "a statement cannot have both `Action` and `NotAction`".into(),
                "keep one of them; to exclude actions from an allow, use a separate `Deny` statement or `NotAction` alone",
            ),
            (None, None) if !members.iter().any(|m| m.key == "Action" || m.key == "NotAction") => {
                self.error(
                    Code::PolicyMissingAction.as_str(),
                    head,
                    "the statement has no `Action` or `NotAction`".into(),
                    "add `\"Action\": \"service:ActionName\"` (wildcards allowed)",
                );
            }
            _ => {}
        }
        if let (Some(_), Some(n)) = (&st.resource, &st.not_resource) {
            self.error(
                Code::PolicyResourceAndNotResource.as_str(),
                n.span,
                "a statement cannot have both `Resource` and `NotResource`".into(),
                "keep one of them",
            );
        }
        if let (Some(_), Some(n)) = (&st.principal, &st.not_principal) {
            self.error(
                Code::PolicyPrincipalAndNotPrincipal.as_str(),
                n.span,
                "a statement cannot have both `Principal` and `NotPrincipal`".into(),
                "keep one of them",
            );
        }
        st.service_filter = st.compute_service_filter();
        st.action_filter = st.compute_action_filter();
        st
    }

    fn effect(&mut self, v: &JsonValue) -> Option<Spanned<Effect>> {
        let JsonKind::String(s) = &v.kind else {
            self.wrong_type("Effect", "`\"Allow\"` or `\"Deny\"`", v);
            return None;
        };
        match s.as_str() {
            "Allow" => Some(Spanned::new(Effect::Allow, v.span)),
            "Deny" => Some(Spanned::new(Effect::Deny, v.span)),
            other => {
                let help = if other.eq_ignore_ascii_case("allow") {
                    "`Effect` is case-sensitive: write `\"Allow\"`".to_owned()
                } else if other.eq_ignore_ascii_case("deny") {
                    "`Effect` is case-sensitive: write `\"Deny\"`".to_owned()
                } else {
                    "`Effect` is `\"Allow\"` or `\"Deny\"`".to_owned()
                };
                self.error(
                    Code::PolicyInvalidEffect.as_str(),
                    v.span,
                    format!("invalid effect `{other}`"),
                    help,
                );
                None
            }
        }
    }

    /// A string or an array of strings (nested arrays and other types are errors).
    fn string_list(&mut self, name: &str, v: &mut JsonValue) -> Option<Vec<Spanned<String>>> {
        match &mut v.kind {
            JsonKind::String(s) => Some(vec![Spanned::new(std::mem::take(s), v.span)]),
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.error(
                        Code::PolicyEmptyList.as_str(),
                        v.span,
                        format!("`{name}` is an empty array"),
                        format!("list at least one value in `{name}`"),
                    );
                }
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter_mut() {
                    match &mut item.kind {
                        JsonKind::String(s) => out.push(Spanned::new(std::mem::take(s), item.span)),
                        JsonKind::Array(_) => self.error(
                            Code::PolicyNestedArray.as_str(),
                            Span::new(item.span.start, item.span.start + 1),
                            format!("nested array inside `{name}`"),
                            format!("`{name}` is a string or one flat array of strings"),
                        ),
                        _ => self.wrong_type(name, "a string or an array of strings", item),
                    }
                }
                Some(out)
            }
            _ => {
                self.wrong_type(name, "a string or an array of strings", v);
                None
            }
        }
    }

    fn actions(&mut self, name: &str, v: &mut JsonValue) -> Option<ValueList<ActionPattern>> {
        let items = self.string_list(name, v)?;
        let mut out = Vec::with_capacity(items.len());
        for s in items {
            let text = s.value.as_str();
            let valid = text == "*"
                || crate::principal::split_byte(text, b':').is_some_and(|(svc, act)| {
                    !svc.is_empty()
                        && !act.is_empty()
                        && svc.bytes().all(|b| {
                            b.is_ascii_alphanumeric() || b == b'-' || b == b'*' || b == b'?'
                        })
                        && memchr::memchr(b':', act.as_bytes()).is_none()
                        && !act.contains(char::is_whitespace)
                });
            if !valid {
                self.error(
                    Code::PolicyInvalidAction.as_str(),
                    s.span,
                    format!("`{text}` is not an action"),
                    "write actions as `service:ActionName`, e.g. `sagemaker:CreateTrainingJob`; wildcards `*` and `?` are allowed, and `*` alone means every action",
                );
            }
            out.push(Spanned::new(ActionPattern::from_string(s.value), s.span));
        }
        Some(ValueList {
            items: out,
            span: v.span,
        })
    }

    fn resources(&mut self, name: &str, v: &mut JsonValue) -> Option<ValueList<ResourcePattern>> {
        let items = self.string_list(name, v)?;
        let mut out = Vec::with_capacity(items.len());
        for s in items {
            let template = self.template(&s.value, s.span);
            out.push(Spanned::new(
                ResourcePattern {
                    text: s.value,
                    template,
                },
                s.span,
            ));
        }
        Some(ValueList {
            items: out,
            span: v.span,
        })
    }

    /// Parses variables in a string value, reporting `${` mistakes at their place.
    fn template(&mut self, text: &str, span: Span) -> Template {
        let (t, errors) = Template::parse(text, self.variables);
        for e in errors {
            // offsets are within the unescaped value: map them back through the escapes
            let raw = self.text.get(span.start..span.end).unwrap_or("");
            let start = span.start + source_offset(raw, e.start);
            let end = (span.start + source_offset(raw, e.end)).max(start);
            self.error(e.code, Span::new(start, end), e.message, e.help);
        }
        t
    }

    fn principal(&mut self, name: &str, v: &mut JsonValue) -> Option<Principal> {
        match &mut v.kind {
            JsonKind::String(s) if s == "*" => Some(Principal {
                spec: PrincipalSpec::Any,
                span: v.span,
            }),
            JsonKind::String(s) => {
                self.error(
                    Code::PolicyInvalidPrincipal.as_str(),
                    v.span,
                    format!("`{name}` as a string must be `\"*\"`, not `{s}`"),
                    format!("name principals by type: `\"{name}\": {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}` or `{{\"Service\": \"sagemaker.amazonaws.com\"}}`"),
                );
                None
            }
            JsonKind::Object(members) => {
                let elements = self.elements(members, &PRINCIPAL_ELEMENTS, "a principal");
                let mut entries = Vec::new();
                for (kind, m) in elements {
                    let kind = match kind {
                        "AWS" => PrincipalType::Aws,
                        "Service" => PrincipalType::Service,
                        "Federated" => PrincipalType::Federated,
                        _ => PrincipalType::CanonicalUser,
                    };
                    let Some(values) =
                        self.string_list(&format!("{name}.{}", kind.as_str()), &mut m.value)
                    else {
                        continue;
                    };
                    entries.push(PrincipalEntry {
                        kind: Spanned::new(kind, m.key_span),
                        values,
                    });
                }
                Some(Principal {
                    spec: PrincipalSpec::Map { entries },
                    span: v.span,
                })
            }
            _ => {
                self.wrong_type(name, "`\"*\"` or an object like `{\"AWS\": [...]}`", v);
                None
            }
        }
    }

    fn conditions(&mut self, v: &mut JsonValue) -> Vec<Condition> {
        let JsonKind::Object(blocks) = &mut v.kind else {
            self.wrong_type("Condition", "an object of operators, e.g. `{\"StringEquals\": {\"aws:SourceIdentity\": \"alice\"}}`", v);
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut seen_ops: Vec<&str> = Vec::new();
        for block in blocks.iter_mut() {
            let Some(op) = self.operator(block) else {
                continue;
            };
            // the operator's name stays in the tree (kept for duplicates); its keys' values
            // are moved out
            let JsonMember {
                key: block_key,
                key_span: block_key_span,
                value: block_value,
            } = block;
            let block_key: &str = block_key;
            if seen_ops.contains(&block_key) {
                self.error(
                    Code::PolicyDuplicateConditionOperator.as_str(),
                    *block_key_span,
                    format!("duplicate condition operator `{block_key}`"),
                    "put all keys for one operator in a single block; with duplicate JSON keys only one block would survive",
                );
                continue;
            }
            seen_ops.push(block_key);
            let values_of = block_value.span;
            let JsonKind::Object(keys) = &mut block_value.kind else {
                self.wrong_type(
                    block_key,
                    "an object of condition keys and values",
                    block_value,
                );
                continue;
            };
            if keys.is_empty() {
                self.error(
                    Code::PolicyEmptyCondition.as_str(),
                    values_of,
                    format!("`{block_key}` has no condition keys"),
                    "add `\"key\": \"value\"` pairs or remove the operator",
                );
            }
            let mut seen_keys: Vec<crate::request::LowerKey> = Vec::new();
            for k in keys.iter_mut() {
                let lower = crate::request::LowerKey::new(&k.key);
                if seen_keys.contains(&lower) {
                    self.error(
                        Code::PolicyDuplicateConditionKey.as_str(),
                        k.key_span,
                        format!("duplicate condition key `{}` under `{block_key}`", k.key),
                        "condition keys are case-insensitive; list all values of a key in one array",
                    );
                    continue;
                }
                seen_keys.push(lower.clone());
                let raw = self.condition_values(&k.key, &mut k.value);
                let values = raw
                    .into_iter()
                    .map(|s| {
                        let template = if op.base.accepts_variables() {
                            self.template(&s.value, s.span)
                        } else {
                            Template::text(&s.value)
                        };
                        Spanned::new(ConditionValue::new(s.value, template, op.base), s.span)
                    })
                    .collect();
                out.push(Condition {
                    operator: Spanned::new(op.clone(), *block_key_span),
                    key: Spanned::new(std::mem::take(&mut k.key), k.key_span),
                    key_lower: lower,
                    values,
                    values_span: k.value.span,
                });
            }
        }
        out
    }

    fn operator(&mut self, block: &JsonMember) -> Option<ConditionOperator> {
        let name = block.key.as_str();
        if let Some(op) = ConditionOperator::parse(name) {
            if op.base == ast::Operator::Null && op.if_exists {
                self.error(
                    Code::PolicyNullIfExists.as_str(),
                    block.key_span,
                    format!("`{name}` is not an operator: `Null` cannot take `IfExists`"),
                    "`Null` already tests whether the key exists; write `Null` with `\"true\"` (key absent) or `\"false\"` (key present)",
                );
                return None;
            }
            return Some(op);
        }
        let case_fix = ast::Operator::ALL.iter().find_map(|o| {
            let base = name
                .trim_start_matches("ForAllValues:")
                .trim_start_matches("ForAnyValue:");
            let base = base.strip_suffix("IfExists").unwrap_or(base);
            (o.as_str().eq_ignore_ascii_case(base) && o.as_str() != base).then(|| o.as_str())
        });
        let help = if let Some(fix) = case_fix {
            format!("operator names are case-sensitive: write `{fix}`")
        } else if name.contains(':') && !name.starts_with("For") {
            let example_value = match &block.value.kind {
                JsonKind::String(s) => format!("\"{s}\""),
                _ => "...".to_owned(),
            };
            format!(
                "`{name}` is a condition key, not an operator: the operator is missing; write e.g. `\"Condition\": {{\"StringEquals\": {{\"{name}\": {example_value}}}}}`"
            )
        } else {
            "use an operator such as `StringEquals`, `StringLike`, `ArnLike`, `NumericLessThan`, `DateGreaterThan`, `Bool`, `IpAddress` or `Null`, optionally with `ForAllValues:`/`ForAnyValue:` and `IfExists`".to_owned()
        };
        self.error(
            Code::PolicyUnknownConditionOperator.as_str(),
            block.key_span,
            format!("unknown condition operator `{name}`"),
            help,
        );
        None
    }

    /// Condition values: a string, number or boolean, or an array of those.
    fn condition_values(&mut self, key: &str, v: &mut JsonValue) -> Vec<Spanned<String>> {
        let scalar = |j: &mut JsonValue| -> Option<String> {
            match &mut j.kind {
                JsonKind::String(s) | JsonKind::Number(s) => Some(std::mem::take(s)),
                JsonKind::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        };
        if let Some(s) = scalar(v) {
            return vec![Spanned::new(s, v.span)];
        }
        match &mut v.kind {
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.error(
                        Code::PolicyEmptyList.as_str(),
                        v.span,
                        format!("condition key `{key}` has no values"),
                        "list at least one value",
                    );
                }
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter_mut() {
                    match scalar(item) {
                        Some(s) => out.push(Spanned::new(s, item.span)),
                        None => self.wrong_type(key, "a string, number or boolean", item),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, "a value or an array of values", v);
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        parse_policy(text)
            .diagnostics
            .iter()
            .map(|d| d.code.clone())
            .collect()
    }

    // IAM User Guide: "Grammar of the IAM JSON policy language"
    #[test]
    fn parses_a_policy() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/${aws:username}/*"],"Condition":{"StringEquals":{"aws:SourceIdentity":["a","b"]}}}}"#,
        );
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let policy = p.policy.unwrap();
        assert_eq!(policy.statements.len(), 1);
        let s = &policy.statements[0];
        assert_eq!(s.effect.as_ref().unwrap().value, Effect::Allow);
        assert!(s.resource.as_ref().unwrap().items[0]
            .value
            .template
            .has_variables());
        assert_eq!(s.conditions[0].values.len(), 2);
    }

    #[test]
    fn grammar_errors_are_all_reported() {
        let c = codes(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"a:b","NotAction":"c:d","Foo":1,"Condition":{"aws:SourceAccount":"","NullIfExists":{"k":"true"}}},{"Action":"a:b"}]}"#,
        );
        for code in [
            "policy-invalid-effect",
            "policy-action-and-not-action",
            "policy-unknown-element",
            "policy-unknown-condition-operator",
            "policy-null-if-exists",
            "policy-missing-effect",
        ] {
            assert!(c.iter().any(|x| x == code), "{code} missing from {c:?}");
        }
    }

    #[test]
    fn nested_statement_array_points_at_the_inner_bracket() {
        let text = r#"{"Version": "2012-10-17", "Statement": [ [ {"Effect":"Allow","Action":"*","Resource":"*"} ] ]}"#;
        let p = parse_policy(text);
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == "policy-nested-statement-array")
            .unwrap();
        assert_eq!(&text[d.span.start..d.span.end], "[");
        assert_eq!(d.span.start, text.find("[ {").unwrap());
    }

    #[test]
    fn bare_statement_is_named() {
        let c = codes(
            r#"{"Sid":"AddTagsOnCreate","Effect":"Allow","Action":["sagemaker:AddTags"],"Resource":"*"}"#,
        );
        assert_eq!(c, vec!["policy-bare-statement"]);
    }

    #[test]
    fn missing_operator_help_names_the_key() {
        let p = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"x.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"aws:SourceAccount":""}}]}"#,
        );
        let d = &p.diagnostics[0];
        assert_eq!(d.code, "policy-unknown-condition-operator");
        assert!(d.help.contains("operator is missing"), "{}", d.help);
        assert!(d.help.contains("StringEquals"));
    }

    #[test]
    fn variable_errors_point_into_escaped_strings() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::\\\u00e9/${x"}]}"#;
        let p = parse_policy(text);
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == "policy-unclosed-variable")
            .unwrap();
        assert!(text.is_char_boundary(d.span.start));
        assert_eq!(&text[d.span.start..d.span.start + 2], "${");
    }

    #[test]
    fn a_flood_of_errors_is_capped_with_a_count_of_the_rest() {
        // issue 11: 900 K `@` gave 900,000 diagnostics
        let text = "@".repeat(900_000);
        let p = parse_policy(&text);
        assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS_PER_POLICY + 1);
        assert!(p.has_errors());
        let (last, shown) = p.diagnostics.split_last().unwrap();
        assert!(shown
            .iter()
            .all(|d| d.code != "policy-too-many-diagnostics"));
        assert!(shown.windows(2).all(|w| w[0].span.start <= w[1].span.start));
        assert_eq!(last.code, "policy-too-many-diagnostics");
        assert_eq!(last.severity, Severity::Error);
        let hidden = p.hidden.unwrap();
        // the JSON reader keeps MAX_JSON_ERRORS and counts the rest: the total is exact
        let (_, kept, dropped) = crate::json::parse_json_counted(&text);
        assert!(kept.len() <= 2 * crate::json::MAX_JSON_ERRORS);
        assert_eq!(
            hidden.count + MAX_DIAGNOSTICS_PER_POLICY,
            kept.len() + dropped.count
        );
        assert!(dropped.count > 890_000 && dropped.errors == dropped.count);
        assert!(
            last.message
                .starts_with(&format!("{} more diagnostics not shown", hidden.count)),
            "{}",
            last.message
        );
        // it points at the first one left out, resolved through the line index
        let first_cut = shown.last().unwrap().span.end;
        assert_eq!(last.span.start, first_cut);
        assert_eq!((last.start.line, last.start.column), (1, first_cut + 1));
        // the type-specific view keeps the cap and the count
        let for_kind = p.diagnostics_for(PolicyKind::Identity);
        assert_eq!(for_kind.len(), MAX_DIAGNOSTICS_PER_POLICY + 1);
        assert_eq!(for_kind.last(), p.diagnostics.last());
    }

    #[test]
    fn the_summary_is_as_severe_as_the_worst_left_out() {
        let statement = |i: usize| {
            format!(r#"{{"Sid":"s-{i}","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#)
        };
        let policy = |n: usize, last: &str| {
            let mut items: Vec<String> = (0..n).map(statement).collect();
            items.push(last.to_owned());
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
                items.join(",")
            )
        };
        // warnings only (`Sid` characters): the summary is a warning
        let p = parse_policy(&policy(MAX_DIAGNOSTICS_PER_POLICY + 10, &statement(9999)));
        assert!(!p.has_errors());
        let last = p.diagnostics.last().unwrap();
        assert_eq!(last.code, "policy-too-many-diagnostics");
        assert_eq!(last.severity, Severity::Warning);
        assert!(
            last.message.starts_with("11 more diagnostics"),
            "{}",
            last.message
        );
        // one error among the cut ones: the summary is an error, so the policy stays invalid
        let p = parse_policy(&policy(
            MAX_DIAGNOSTICS_PER_POLICY + 10,
            r#"{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}"#,
        ));
        assert!(p.has_errors());
        let last = p.diagnostics.last().unwrap();
        assert_eq!(last.severity, Severity::Error);
        assert!(
            last.message.contains("1 of them errors"),
            "{}",
            last.message
        );
        // at the cap exactly, nothing is summed up
        let p = parse_policy(&policy(MAX_DIAGNOSTICS_PER_POLICY - 1, &statement(9999)));
        assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS_PER_POLICY);
        assert!(p.hidden.is_none());
    }

    #[test]
    fn type_specific_diagnostics_are_capped_too() {
        let items = vec![r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#; 300];
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            items.join(",")
        );
        let p = parse_policy(&text);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let d = p.diagnostics_for(PolicyKind::Resource);
        assert_eq!(d.len(), MAX_DIAGNOSTICS_PER_POLICY + 1);
        let last = d.last().unwrap();
        assert_eq!(last.code, "policy-too-many-diagnostics");
        assert!(
            last.message.starts_with("100 more diagnostics"),
            "{}",
            last.message
        );
    }

    #[test]
    fn never_panics_on_fragments() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"arn:aws:s3:::b/${x","Condition":{"StringLike":{"k":["v",1,true,null,[1]]}}}]}"#;
        for end in 0..text.len() {
            let _ = parse_policy(&text[..end]);
        }
    }
}
