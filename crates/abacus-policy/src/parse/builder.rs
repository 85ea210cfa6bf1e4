//! JSON onto the policy grammar (IAM User Guide: "Grammar of the IAM JSON policy
//! language", "IAM JSON policy element reference"): every element read into the syntax
//! tree, and every departure from the grammar reported at its place.

use super::Found;
use crate::ast::{
    self, ActionPattern, Condition, ConditionOperator, ConditionValue, Effect, Policy, Principal,
    PrincipalEntry, PrincipalSpec, PrincipalType, ResourcePattern, Spanned, Statement, ValueList,
};
use crate::codes::Code;
use crate::diagnostic::{LineIndex, Severity, Span};
use crate::json::{source_offset, JsonKind, JsonMember, JsonValue};
use crate::variables::Template;

/// Maps a JSON tree onto the policy grammar, collecting what it finds.
pub(super) struct Builder<'a> {
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
pub(crate) const TOP_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
pub(crate) const PRINCIPAL_ELEMENTS: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];
pub(crate) const STATEMENT_ELEMENTS: [&str; 10] = [
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

impl<'a> Builder<'a> {
    /// A builder for the policy `text`, whose positions `index` resolves.
    pub(super) fn new(text: &'a str, index: &'a LineIndex) -> Self {
        Builder {
            text,
            index,
            diags: Vec::new(),
            variables: false,
        }
    }

    /// What it found, in the order found.
    pub(super) fn found(self) -> Vec<Found> {
        self.diags
    }

    pub(super) fn push(
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

    pub(super) fn document(&mut self, v: &mut JsonValue) -> Option<Policy> {
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
        self.string_list_of(name, v, |_, s| s)
    }

    /// [`Builder::string_list`], each string made into a `T` by `make` as it is met (no list
    /// of the strings in between).
    fn string_list_of<T>(
        &mut self,
        name: &str,
        v: &mut JsonValue,
        mut make: impl FnMut(&mut Self, Spanned<String>) -> T,
    ) -> Option<Vec<T>> {
        match &mut v.kind {
            JsonKind::String(s) => {
                let s = Spanned::new(std::mem::take(s), v.span);
                Some(vec![make(self, s)])
            }
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
                        JsonKind::String(s) => {
                            let s = Spanned::new(std::mem::take(s), item.span);
                            out.push(make(self, s));
                        }
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
        let items = self.string_list_of(name, v, Self::action)?;
        Some(ValueList {
            items,
            span: v.span,
        })
    }

    /// One action of `Action` or `NotAction`.
    fn action(&mut self, s: Spanned<String>) -> Spanned<ActionPattern> {
        {
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
        }
        Spanned::new(ActionPattern::from_string(s.value), s.span)
    }

    fn resources(&mut self, name: &str, v: &mut JsonValue) -> Option<ValueList<ResourcePattern>> {
        let items = self.string_list_of(name, v, |b, s| {
            let template = b.template(&s.value, s.span);
            Spanned::new(
                ResourcePattern {
                    text: s.value,
                    template,
                },
                s.span,
            )
        })?;
        Some(ValueList {
            items,
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
                    key: Spanned::new(std::mem::take(&mut k.key).into_owned(), k.key_span),
                    key_lower: lower,
                    values,
                    values_span: k.value.span,
                });
            }
        }
        out
    }

    fn operator(&mut self, block: &JsonMember) -> Option<ConditionOperator> {
        let name: &str = &block.key;
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
