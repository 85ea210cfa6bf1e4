//! Whole-document checks that need more than one element: duplicate `Sid`s, ARN shape,
//! principal identifiers, unfilled placeholders, and `${...}` in policies whose version
//! makes it literal text.

use crate::ast::{Policy, PrincipalSpec, PrincipalType, Statement};
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, LineIndex, Severity, Span};
use crate::kind::PolicyKind;
use crate::values::{parse_bool, parse_date, Cidr, Decimal};

/// Appends the document-level diagnostics for `policy`.
pub fn validate(policy: &Policy, index: &LineIndex, out: &mut Vec<Diagnostic>) {
    let mut v = Validator { index, out };
    let mut sids: Vec<(&str, Span)> = Vec::new();
    for st in &policy.statements {
        if let Some(sid) = &st.sid {
            if let Some((_, first)) = sids.iter().find(|(s, _)| *s == sid.value) {
                let pos = index.position(first.start);
                v.push(
                    Severity::Error,
                    Code::PolicyDuplicateSid.as_str(),
                    sid.span,
                    format!("duplicate `Sid` `{}`", sid.value),
                    format!("the same Sid is used at {}:{}; each statement's Sid must be unique within the policy", pos.line, pos.column),
                );
            } else {
                sids.push((&sid.value, sid.span));
            }
            if !sid.value.is_empty() && !sid.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
                v.push(
                    Severity::Warning,
                    Code::PolicySidCharacters.as_str(),
                    sid.span,
                    format!("`Sid` `{}` has characters other than letters and digits", sid.value),
                    "IAM identity policies accept only A-Z, a-z and 0-9 in a Sid (some resource policies accept more)",
                );
            }
        }
        v.statement(st, policy.supports_variables());
    }
}

/// Which statement shapes a policy has, to decide per policy type whether AWS would
/// accept it (computed once at parse time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PolicyShape {
    /// Some statement has `Principal` or `NotPrincipal`.
    pub any_principal: bool,
    /// Some statement has neither.
    pub missing_principal: bool,
    /// Some statement has neither `Resource` nor `NotResource`.
    pub missing_resource: bool,
    /// Some statement has a principal other than `"Principal": "*"`.
    pub non_star_principal: bool,
}

impl PolicyShape {
    /// Computes the shape of `policy`.
    pub fn of(policy: &Policy) -> Self {
        let mut shape = PolicyShape::default();
        for st in &policy.statements {
            let has = st.principal.is_some() || st.not_principal.is_some();
            shape.any_principal |= has;
            shape.missing_principal |= !has;
            shape.missing_resource |= st.resource.is_none() && st.not_resource.is_none();
            shape.non_star_principal |= st.not_principal.is_some()
                || st
                    .principal
                    .as_ref()
                    .is_some_and(|p| p.spec != PrincipalSpec::Any);
        }
        shape
    }

    /// True when AWS accepts a policy of this shape as `kind`.
    pub fn valid_for(&self, kind: PolicyKind) -> bool {
        match kind {
            PolicyKind::Identity
            | PolicyKind::PermissionBoundary
            | PolicyKind::Session
            | PolicyKind::Scp => !self.any_principal && !self.missing_resource,
            PolicyKind::Resource => !self.missing_principal,
            PolicyKind::Rcp => {
                !self.missing_principal && !self.non_star_principal && !self.missing_resource
            }
        }
    }
}

/// The errors a policy has as a policy of type `kind` (IAM User Guide: "AWS JSON policy
/// elements: Principal" — required in resource-based policies, not allowed in
/// identity-based policies; "IAM JSON policy elements: Resource" — statements need
/// `Resource` or `NotResource`; AWS Organizations User Guide: "RCP syntax" — RCPs use
/// `"Principal": "*"`).
pub fn kind_diagnostics(policy: &Policy, index: &LineIndex, kind: PolicyKind) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut v = Validator {
        index,
        out: &mut out,
    };
    let identity_like = matches!(
        kind,
        PolicyKind::Identity
            | PolicyKind::PermissionBoundary
            | PolicyKind::Session
            | PolicyKind::Scp
    );
    for st in &policy.statements {
        let head = Span::new(st.span.start, st.span.start + 1);
        let principal = st.principal.as_ref().or(st.not_principal.as_ref());
        if identity_like {
            if let Some(p) = principal {
                v.push(
                    Severity::Error,
                    Code::PolicyPrincipalNotAllowed.as_str(),
                    p.span,
                    format!("{} cannot have `Principal` or `NotPrincipal`", kind.describe_with_article()),
                    "the policy applies to the identity it is attached to; remove the element (principals belong in resource-based policies such as bucket policies and role trust policies)",
                );
            }
        } else if principal.is_none() {
            v.push(
                Severity::Error,
                Code::PolicyMissingPrincipal.as_str(),
                head,
                format!("a statement in {} needs a `Principal`", kind.describe_with_article()),
                if kind == PolicyKind::Rcp {
                    "resource control policies use `\"Principal\": \"*\"` and narrow callers with conditions"
                } else {
                    "name who the statement applies to, e.g. `\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/Name\"}`"
                },
            );
        } else if kind == PolicyKind::Rcp
            && st
                .principal
                .as_ref()
                .is_none_or(|p| p.spec != PrincipalSpec::Any)
        {
            if let Some(p) = principal {
                v.push(
                    Severity::Error,
                    Code::PolicyRcpPrincipal.as_str(),
                    p.span,
                    "resource control policies support only `\"Principal\": \"*\"`".into(),
                    "use `\"Principal\": \"*\"` and restrict callers with conditions such as `aws:PrincipalOrgID`",
                );
            }
        }
        let needs_resource = identity_like || kind == PolicyKind::Rcp;
        if needs_resource && st.resource.is_none() && st.not_resource.is_none() {
            v.push(
                Severity::Error,
                Code::PolicyMissingResource.as_str(),
                head,
                format!(
                    "a statement in {} needs `Resource` or `NotResource`",
                    kind.describe_with_article()
                ),
                "add `\"Resource\": \"*\"` or the ARNs the statement covers",
            );
        }
    }
    out
}

struct Validator<'a> {
    index: &'a LineIndex,
    out: &'a mut Vec<Diagnostic>,
}

impl Validator<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &str,
        span: Span,
        message: String,
        help: impl Into<String>,
    ) {
        self.out.push(Diagnostic::new(
            self.index, severity, code, span, message, help,
        ));
    }

    fn statement(&mut self, st: &Statement, variables: bool) {
        for list in [&st.action, &st.not_action].into_iter().flatten() {
            for a in &list.items {
                self.searchable(&a.value.pattern, true, a.span);
            }
        }
        for list in [&st.resource, &st.not_resource].into_iter().flatten() {
            for r in &list.items {
                self.resource(&r.value.text, r.span);
                self.literal_variable(&r.value.text, r.span, variables);
                if let Some(p) = r.value.template.fixed_pattern() {
                    self.searchable(p, false, r.span);
                }
            }
        }
        for c in &st.conditions {
            self.condition_values(c);
            for value in &c.values {
                if let Some(p) = value.value.template.fixed_pattern() {
                    if value.value.template.has_wildcards() {
                        self.searchable(p, false, value.span);
                    }
                }
                self.placeholder(&value.value.text, value.span);
                if c.operator.value.base.accepts_variables() {
                    self.literal_variable(&value.value.text, value.span, variables);
                }
            }
        }
        if let (Some(np), Some(crate::ast::Effect::Allow)) =
            (&st.not_principal, st.effect.as_ref().map(|e| e.value))
        {
            self.push(
                Severity::Error,
                Code::PolicyNotprincipalAllow.as_str(),
                np.span,
                "`NotPrincipal` with `\"Effect\": \"Allow\"` grants access to every principal not listed, anonymous users included".into(),
                "`NotPrincipal` is supported only with `\"Effect\": \"Deny\"` (\"AWS JSON policy elements: NotPrincipal\"); name the principals in `Principal` instead",
            );
        }
        for p in [&st.principal, &st.not_principal].into_iter().flatten() {
            let PrincipalSpec::Map { entries } = &p.spec else {
                continue;
            };
            for e in entries {
                for id in &e.values {
                    self.principal_id(e.kind.value, &id.value, id.span);
                }
            }
        }
    }

    /// Values an operator cannot compare (IAM User Guide: "IAM JSON policy elements:
    /// Condition operators": numbers, ISO 8601 dates or epoch seconds, `true`/`false`,
    /// CIDR ranges; variables only with string and ARN operators).
    fn condition_values(&mut self, c: &crate::ast::Condition) {
        use crate::ast::Operator as O;
        let base = c.operator.value.base;
        for v in &c.values {
            let text = v.value.text.as_str();
            let (ok, expected) = match base {
                O::NumericEquals
                | O::NumericNotEquals
                | O::NumericLessThan
                | O::NumericLessThanEquals
                | O::NumericGreaterThan
                | O::NumericGreaterThanEquals => (
                    Decimal::parse(text.trim()).is_some(),
                    "a number",
                ),
                O::DateEquals
                | O::DateNotEquals
                | O::DateLessThan
                | O::DateLessThanEquals
                | O::DateGreaterThan
                | O::DateGreaterThanEquals => (
                    parse_date(text).is_some(),
                    "an ISO 8601 date (`2025-01-31`, `2025-01-31T12:00:00Z`, two-digit time fields) or epoch seconds, from year 0000 to 9999",
                ),
                O::Bool | O::Null => (
                    parse_bool(text).is_some(),
                    "`true` or `false`",
                ),
                O::IpAddress | O::NotIpAddress => (
                    Cidr::parse(text).is_some(),
                    "an IP address or CIDR range such as `203.0.113.0/24` or `2001:db8::/32`",
                ),
                _ => (true, ""),
            };
            if ok {
                continue;
            }
            let variable = if crate::variables::has_variable_start(text) {
                "; policy variables work only with string and ARN operators"
            } else {
                ""
            };
            self.push(
                Severity::Error,
                Code::PolicyInvalidConditionValue.as_str(),
                v.span,
                format!("`{text}` is not a valid value for `{}`", base.as_str()),
                format!("`{}` compares {expected}{variable}", base.as_str()),
            );
        }
    }

    /// A run between two `*` too long to search makes a pattern match nothing
    /// ([`crate::wildcard::MAX_SEARCHED_CHUNK_CHARS`]).
    fn searchable(&mut self, pattern: &crate::wildcard::Pattern, ignore_case: bool, span: Span) {
        if pattern.is_too_long_to_search(ignore_case) {
            let max = crate::wildcard::MAX_SEARCHED_CHUNK_CHARS;
            self.push(
                Severity::Error,
                Code::PolicyWildcardTooLong.as_str(),
                span,
                format!("a run of more than {max} characters between two `*` that has a `?` (or is an action name) matches nothing here"),
                format!("AWS limits ARNs to 2,048 characters and policies to a few thousand; shorten the text between the wildcards to at most {max} characters"),
            );
        }
    }

    fn literal_variable(&mut self, text: &str, span: Span, variables: bool) {
        if !variables && crate::variables::has_variable_start(text) {
            self.push(
                Severity::Warning,
                Code::PolicyVariableWithoutVersion.as_str(),
                span,
                format!("`{text}` contains `${{` but policy variables need `\"Version\": \"2012-10-17\"`"),
                "without that Version the `${...}` is matched as literal text; add `\"Version\": \"2012-10-17\"` at the top of the policy",
            );
        }
    }

    fn placeholder(&mut self, text: &str, span: Span) -> bool {
        // most values have neither bracket: one vector scan tells
        if memchr::memchr2(b'<', b'{', text.as_bytes()).is_none() {
            return false;
        }
        let angle = text
            .find('<')
            .is_some_and(|i| text.get(i..).is_some_and(|r| r.contains('>')));
        let brace = text
            .match_indices('{')
            .any(|(i, _)| i == 0 || text.get(i - 1..i) != Some("$"));
        if angle || brace {
            self.push(
                Severity::Warning,
                Code::PolicyPlaceholder.as_str(),
                span,
                format!("`{text}` looks like it contains an unfilled placeholder"),
                "replace `<...>` or `{...}` placeholders (region, account number, domain id) with real values",
            );
            return true;
        }
        false
    }

    fn resource(&mut self, text: &str, span: Span) {
        if text == "*" {
            return;
        }
        let mut fields = text.splitn(6, ':');
        let (arn, partition, service) = (fields.next(), fields.next(), fields.next());
        let parts = [arn, partition, service].iter().flatten().count() + fields.count();
        // a trailing `*` may stand for the remaining segments ("IAM JSON policy elements:
        // Resource": a `*` at the end of a segment can expand beyond the colons)
        let well_formed = (parts == 6 || (parts >= 3 && text.ends_with('*')))
            && arn == Some("arn")
            && partition.is_some_and(|p| !p.is_empty())
            && service.is_some_and(|s| !s.is_empty());
        if !well_formed {
            let help = if text.starts_with("arn:") {
                "an ARN has six parts: `arn:partition:service:region:account-id:resource` (region or account may be empty, e.g. `arn:aws:s3:::bucket/*`)"
            } else {
                "a resource is `*` or an ARN such as `arn:aws:sagemaker:us-east-1:111122223333:training-job/*`"
            };
            self.push(
                Severity::Error,
                Code::PolicyMalformedArn.as_str(),
                span,
                format!("`{text}` is not a valid resource ARN"),
                help,
            );
            return;
        }
        if service.is_some_and(crate::wildcard::Pattern::has_wildcard) {
            self.push(
                Severity::Warning,
                Code::PolicyWildcardInService.as_str(),
                span,
                format!("`{text}` uses a wildcard in the service segment"),
                "AWS does not support wildcards in the service segment of a resource ARN; name the service, e.g. `arn:aws:s3:::*`",
            );
        }
        self.placeholder(text, span);
    }

    fn principal_id(&mut self, kind: PrincipalType, id: &str, span: Span) {
        match kind {
            PrincipalType::Aws => {
                let account = id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit());
                let arn = id.starts_with("arn:") && id.splitn(6, ':').count() == 6;
                if id != "*" && !account && !arn {
                    self.push(
                        Severity::Error,
                        Code::PolicyInvalidPrincipal.as_str(),
                        span,
                        format!("`{id}` is not an AWS principal"),
                        "write `*`, a 12-digit account id, or an ARN such as `arn:aws:iam::111122223333:root` or `arn:aws:iam::111122223333:role/Name`",
                    );
                }
            }
            PrincipalType::Service => {
                if id != "*" && (!id.contains('.') || id.contains(':')) {
                    self.push(
                        Severity::Error,
                        Code::PolicyInvalidPrincipal.as_str(),
                        span,
                        format!("`{id}` is not a service principal"),
                        "service principals look like `sagemaker.amazonaws.com`",
                    );
                }
            }
            PrincipalType::Federated | PrincipalType::CanonicalUser => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::parse_policy;

    fn codes(text: &str) -> Vec<String> {
        parse_policy(text)
            .diagnostics
            .iter()
            .map(|d| d.code.clone())
            .collect()
    }

    // IAM User Guide: "IAM JSON policy elements: Sid", "IAM JSON policy elements: Resource"
    #[test]
    fn duplicate_sids_and_bad_arns() {
        let c = codes(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3"},{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"bucket"}]}"#,
        );
        assert_eq!(
            c,
            vec![
                "policy-malformed-arn",
                "policy-duplicate-sid",
                "policy-malformed-arn"
            ]
        );
    }

    // IAM User Guide: "IAM policy elements: Variables and tags" (Version 2012-10-17 only)
    #[test]
    fn variables_in_old_versions_are_flagged() {
        let c = codes(
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}]}"#,
        );
        assert_eq!(c, vec!["policy-variable-without-version"]);
    }

    // IAM User Guide: "IAM JSON policy elements: Condition operators"
    #[test]
    fn condition_values_must_fit_their_operator() {
        let c = codes(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"},"DateGreaterThan":{"aws:CurrentTime":"2025-13-01"},"IpAddress":{"aws:SourceIp":"10.0.0.0/33"},"Bool":{"aws:SecureTransport":"yes"},"NumericEquals":{"k":"${aws:username}"}}}]}"#,
        );
        assert_eq!(
            c.iter()
                .filter(|c| *c == "policy-invalid-condition-value")
                .count(),
            5,
            "{c:?}"
        );
        let ok = codes(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":["10", 2.5]},"DateGreaterThan":{"aws:CurrentTime":["2025-01-01T00:00:00Z","1700000000"]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32","192.0.2.1"]},"Bool":{"aws:SecureTransport":true}}}]}"#,
        );
        assert!(ok.is_empty(), "{ok:?}");
    }

    // IAM User Guide: "IAM JSON policy elements: Condition operators" (date operators):
    // overflowing or signed fields are reported at the value, not wrapped or accepted
    #[test]
    fn out_of_range_dates_are_located() {
        for bad in [
            "170141183460469231731687303716",
            "9223372036854775807-01-01T00:00:00Z",
            "2025-01-01T-1:00:00Z",
            "2025-01-01T00:-30:00Z",
        ] {
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{{"DateLessThan":{{"aws:CurrentTime":"{bad}"}}}}}}]}}"#
            );
            let p = parse_policy(&text);
            let d: Vec<_> = p.diagnostics.iter().collect();
            assert_eq!(d.len(), 1, "{bad}: {d:?}");
            assert_eq!(d[0].code, "policy-invalid-condition-value");
            assert!(d[0].is_error());
            assert_eq!(&text[d[0].span.start..d[0].span.end], format!("\"{bad}\""));
        }
    }

    #[test]
    fn unsearchable_wildcard_runs_are_reported() {
        let run = "a".repeat(crate::wildcard::MAX_SEARCHED_CHUNK_CHARS) + "?";
        let c = codes(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*{run}*","Resource":"arn:aws:s3:::b/*{run}*","Condition":{{"StringLike":{{"s3:prefix":"*{run}*"}}}}}}]}}"#
        ));
        assert_eq!(c, vec!["policy-wildcard-too-long"; 3]);
        let ok = codes(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/{run}*"}}]}}"#
        ));
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn placeholders_are_warned() {
        let c = codes(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:sagemaker:<region>:{account}:training-job/*"}]}"#,
        );
        assert_eq!(c, vec!["policy-placeholder"]);
    }
}
