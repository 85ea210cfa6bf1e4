//! The IAM JSON policy language as a syntax tree with a source [`Span`] on every leaf.
//!
//! Shape follows the IAM User Guide, "Grammar of the IAM JSON policy language". Values
//! that evaluation needs in another form are precompiled here once (lowercase action
//! patterns, variable templates, parsed condition operators), so that evaluation does
//! not allocate.

use crate::diagnostic::Span;
use crate::values::{parse_date, Cidr, Decimal};
use crate::variables::Template;
use crate::wildcard::Pattern;
use serde::Serialize;

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Its source span.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value`.
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// A policy document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    /// `Version`, when present.
    pub version: Option<Spanned<String>>,
    /// `Id`, when present.
    pub id: Option<Spanned<String>>,
    /// The statements, in source order (a single statement object gives one).
    pub statements: Vec<Statement>,
    /// The whole document.
    pub span: Span,
    /// The union of the statements' [`Statement::service_filter`]s: a request for a
    /// service outside it skips the whole policy with one AND.
    #[serde(skip)]
    pub service_filter: u64,
}

impl Policy {
    /// A policy of these statements, with its [`Policy::service_filter`].
    pub fn new(
        version: Option<Spanned<String>>,
        id: Option<Spanned<String>>,
        statements: Vec<Statement>,
        span: Span,
    ) -> Self {
        let mut policy = Policy {
            version,
            id,
            statements,
            span,
            service_filter: u64::MAX,
        };
        policy.service_filter = policy.compute_service_filter();
        policy
    }

    /// Computes [`Policy::service_filter`] from the statements' own filters.
    pub fn compute_service_filter(&self) -> u64 {
        self.statements
            .iter()
            .fold(0, |f, st| f | st.service_filter)
    }

    /// True when `Version` is `2012-10-17`, the only version where `${...}` are variables.
    pub fn supports_variables(&self) -> bool {
        self.version
            .as_ref()
            .is_some_and(|v| v.value == "2012-10-17")
    }
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum Effect {
    /// `"Effect": "Allow"`
    Allow,
    /// `"Effect": "Deny"`
    Deny,
}

impl Effect {
    /// `Allow` or `Deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A list of values written as one string or an array of strings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueList<T> {
    /// The values.
    pub items: Vec<Spanned<T>>,
    /// The whole element value (the string or the array).
    pub span: Span,
}

/// One statement.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Statement {
    /// Position in the policy's statement list (0-based).
    pub index: usize,
    /// `Sid`.
    pub sid: Option<Spanned<String>>,
    /// `Effect` (missing is an error).
    pub effect: Option<Spanned<Effect>>,
    /// `Action`.
    pub action: Option<ValueList<ActionPattern>>,
    /// `NotAction`.
    pub not_action: Option<ValueList<ActionPattern>>,
    /// `Resource`.
    pub resource: Option<ValueList<ResourcePattern>>,
    /// `NotResource`.
    pub not_resource: Option<ValueList<ResourcePattern>>,
    /// `Principal`.
    pub principal: Option<Principal>,
    /// `NotPrincipal`.
    pub not_principal: Option<Principal>,
    /// Every condition, flattened: one per (operator, key) pair, in source order.
    pub conditions: Vec<Condition>,
    /// The `Condition` element's value, when present.
    pub condition_span: Option<Span>,
    /// The statement object.
    pub span: Span,
    /// Precomputed filter of the services its `Action` can match (see
    /// [`service_bit`]); all bits set when it can match any service.
    #[serde(skip)]
    pub service_filter: u64,
    /// Precomputed filter of the (service, first three bytes of the action name) pairs its
    /// `Action` can match (see [`action_bit`]); all bits set when a pattern has no colon,
    /// when its service or the first three bytes of its action name hold a wildcard or
    /// end inside a character, and for `NotAction`.
    #[serde(skip)]
    pub action_filter: u64,
}

/// One bit for an action's service and the first three bytes of its name, folded to
/// lowercase (`sagemaker` and `sto` of `sagemaker:StopTrainingJob`): statements keep the
/// union of their actions' bits, so that one AND skips most statements for other actions
/// of the same service. A name shorter than three bytes (or cut inside a character by the
/// third byte) counts whole.
pub fn action_bit(action: &str) -> u64 {
    action_bits(action).1
}

/// [`service_bit`] and [`action_bit`] of `action` in one pass over its bytes (the action
/// bit's hash goes on from the service's).
pub fn action_bits(action: &str) -> (u64, u64) {
    let (service, name) = crate::principal::split_byte(action, b':').unwrap_or((action, ""));
    let h = fnv(FNV_START, service);
    let class = name.get(..ACTION_CLASS_BYTES).unwrap_or(name);
    (1u64 << (h % 64), 1u64 << (fnv(fnv(h, ":"), class) % 64))
}

/// FNV-1a's offset basis.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over the lowercase bytes of `text`, from `h`.
fn fnv(mut h: u64, text: &str) -> u64 {
    for b in text.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// How many leading bytes of an action's name pick its [`action_bit`]: three tell
/// `Describe` from `Delete` and `Stop` from `Start`, the verbs policies grant by prefix.
const ACTION_CLASS_BYTES: usize = 3;

/// The bit of a service and the leading bytes of an action name (at most
/// [`ACTION_CLASS_BYTES`]), both case folded.
fn action_bit_of(service: &str, class: &str) -> u64 {
    1u64 << (fnv(fnv(fnv(FNV_START, service), ":"), class) % 64)
}

/// One bit for a service prefix (`sagemaker` of `sagemaker:CreateTrainingJob`), case
/// folded. Statements keep the union of their services' bits so that evaluation can
/// skip a statement for another service with one AND.
pub fn service_bit(service: &str) -> u64 {
    1u64 << (fnv(FNV_START, service) % 64)
}

impl Statement {
    /// Computes [`Statement::service_filter`] from the Action / NotAction element.
    pub fn compute_service_filter(&self) -> u64 {
        let Some(list) = &self.action else {
            return u64::MAX; // NotAction (or no action): any service
        };
        let mut filter = 0;
        for a in &list.items {
            match crate::principal::split_byte(&a.value.text, b':') {
                Some((svc, _)) if !Pattern::has_wildcard(svc) => filter |= service_bit(svc),
                _ => return u64::MAX,
            }
        }
        filter
    }

    /// Computes [`Statement::action_filter`] from the Action / NotAction element.
    pub fn compute_action_filter(&self) -> u64 {
        let Some(list) = &self.action else {
            return u64::MAX; // NotAction (or no action): any action
        };
        let mut filter = 0;
        for a in &list.items {
            let text = a.value.text.as_str();
            let Some((svc, name)) = crate::principal::split_byte(text, b':') else {
                return u64::MAX;
            };
            // every action the pattern matches starts with these bytes, unless one of them
            // is a wildcard (or the name is cut inside a UTF-8 character)
            let Some(class) = name.get(..ACTION_CLASS_BYTES.min(name.len())) else {
                return u64::MAX;
            };
            if Pattern::has_wildcard(svc) || Pattern::has_wildcard(class) {
                return u64::MAX;
            }
            filter |= action_bit_of(svc, class);
        }
        filter
    }

    /// The effect, `Allow` when missing (such statements are errors and never evaluated).
    pub fn effect_or_allow(&self) -> Effect {
        self.effect.as_ref().map_or(Effect::Allow, |e| e.value)
    }
}

/// An `Action` / `NotAction` value such as `sagemaker:Describe*`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionPattern {
    /// As written.
    pub text: String,
    /// Compiled; matched ignoring ASCII case because action names are case-insensitive.
    #[serde(skip)]
    pub pattern: Pattern,
}

impl ActionPattern {
    /// Compiles `text`.
    pub fn new(text: &str) -> Self {
        Self::from_string(text.to_owned())
    }

    /// Compiles `text`, keeping it.
    pub fn from_string(text: String) -> Self {
        Self {
            pattern: Pattern::compile_lowercase(&text),
            text,
        }
    }

    /// Does this pattern match `action` (any case)?
    pub fn matches(&self, action: &str) -> bool {
        self.pattern.matches_ignore_ascii_case(action)
    }

    /// [`ActionPattern::matches`] with the action's precomputed
    /// [`crate::wildcard::head_word`] for a quick reject.
    #[inline]
    pub fn matches_with_head(&self, action: &str, head: u128) -> bool {
        !self.pattern.rejects_head_ignore_case(head)
            && self.pattern.matches_ignore_ascii_case(action)
    }

    /// [`ActionPattern::matches_with_head`] given the action folded to lowercase as well
    /// (`lower`), so that the pattern's literal part compares as plain bytes.
    #[inline]
    pub fn matches_folded(&self, action: &str, lower: &[u8], head: u128) -> bool {
        !self.pattern.rejects_head_ignore_case(head) && self.pattern.matches_folded(action, lower)
    }
}

/// A `Resource` / `NotResource` value: `*` or an ARN, possibly with wildcards and variables.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourcePattern {
    /// As written.
    pub text: String,
    /// Split into text and variables.
    pub template: Template,
}

/// A `Principal` / `NotPrincipal` value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Principal {
    /// `"*"` or a map of principal types.
    pub spec: PrincipalSpec,
    /// The element value.
    pub span: Span,
}

/// The two forms of a principal element.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "form", rename_all = "camelCase")]
pub enum PrincipalSpec {
    /// `"Principal": "*"`: everyone (anonymous included).
    Any,
    /// `"Principal": {"AWS": ..., "Service": ...}`.
    Map {
        /// Entries in source order.
        entries: Vec<PrincipalEntry>,
    },
}

/// One `"AWS": [...]`-style entry of a principal map.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrincipalEntry {
    /// The principal type.
    pub kind: Spanned<PrincipalType>,
    /// The identifiers.
    pub values: Vec<Spanned<String>>,
}

/// Principal types of the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum PrincipalType {
    /// `AWS`: account ids, account root ARNs, users, roles, role sessions, `*`.
    Aws,
    /// `Service`: `sagemaker.amazonaws.com`.
    Service,
    /// `Federated`: identity providers.
    Federated,
    /// `CanonicalUser`: S3 canonical ids.
    CanonicalUser,
}

impl PrincipalType {
    /// As written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::Aws => "AWS",
            PrincipalType::Service => "Service",
            PrincipalType::Federated => "Federated",
            PrincipalType::CanonicalUser => "CanonicalUser",
        }
    }
}

/// One condition: an operator applied to one key with one or more values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    /// The operator, e.g. `ForAllValues:StringLikeIfExists`.
    pub operator: Spanned<ConditionOperator>,
    /// The key as written, e.g. `aws:SourceIdentity`.
    pub key: Spanned<String>,
    /// The key folded to lowercase (keys are case-insensitive), for lookup.
    #[serde(skip)]
    pub key_lower: crate::request::LowerKey,
    /// The values (strings, numbers and booleans all become text).
    pub values: Vec<Spanned<ConditionValue>>,
    /// The key's value in the source (a string or an array).
    pub values_span: Span,
}

/// A condition value with its variables.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConditionValue {
    /// As written.
    pub text: String,
    /// Split into text and variables.
    pub template: Template,
    /// The value read as its operator's type, once, when the policy is parsed.
    #[serde(skip)]
    pub typed: TypedValue,
}

impl ConditionValue {
    /// `text` with its `template`, read as a value of `operator`'s type.
    pub fn new(text: String, template: Template, operator: Operator) -> Self {
        let typed = TypedValue::read(&text, operator);
        Self {
            text,
            template,
            typed,
        }
    }
}

/// A condition value read as the type its operator compares (`None` inside when the
/// text is not a valid value of that type: the validator reports it, and it matches
/// nothing).
#[derive(Clone, Debug, PartialEq)]
pub enum TypedValue {
    /// String, ARN, binary, `Bool` and `Null` operators compare the text itself.
    Text,
    /// Numeric operators.
    Number(Option<Decimal>),
    /// Date operators: seconds since the epoch, as [`parse_date`] gives them.
    Date(Option<i128>),
    /// `IpAddress` / `NotIpAddress`.
    Ip(Option<Cidr>),
}

impl TypedValue {
    /// Reads `text` as `operator` compares it.
    pub fn read(text: &str, operator: Operator) -> Self {
        if operator.is_date() {
            return TypedValue::Date(parse_date(text));
        }
        match operator {
            Operator::NumericEquals
            | Operator::NumericNotEquals
            | Operator::NumericLessThan
            | Operator::NumericLessThanEquals
            | Operator::NumericGreaterThan
            | Operator::NumericGreaterThanEquals => TypedValue::Number(Decimal::parse(text.trim())),
            Operator::IpAddress | Operator::NotIpAddress => TypedValue::Ip(Cidr::parse(text)),
            _ => TypedValue::Text,
        }
    }
}

/// A parsed condition operator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConditionOperator {
    /// As written.
    pub text: String,
    /// `ForAllValues:` / `ForAnyValue:`.
    pub set: Option<SetOperator>,
    /// The base operator.
    pub base: Operator,
    /// The `IfExists` suffix.
    pub if_exists: bool,
}

/// Set operators for multivalued keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum SetOperator {
    /// Every request value must match some policy value (true for a missing or empty key).
    ForAllValues,
    /// At least one request value must match some policy value.
    ForAnyValue,
}

macro_rules! operators {
    ($($name:ident),* $(,)?) => {
        /// The base condition operators (IAM User Guide: "IAM JSON policy elements:
        /// Condition operators").
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        pub enum Operator {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                $name,
            )*
        }

        impl Operator {
            /// Every operator.
            pub const ALL: &'static [Operator] = &[$(Operator::$name),*];

            /// The name as written in policies.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Operator::$name => stringify!($name),)*
                }
            }
        }
    };
}

operators!(
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
);

impl Operator {
    /// Looks up an exact operator name.
    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL.iter().copied().find(|o| o.as_str() == name)
    }

    /// Negated operators (`StringNotEquals`, `NotIpAddress`, ...): they match when the
    /// value is not among the policy values, and a missing key makes them true.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Operator::StringNotEquals
                | Operator::StringNotEqualsIgnoreCase
                | Operator::StringNotLike
                | Operator::NumericNotEquals
                | Operator::DateNotEquals
                | Operator::NotIpAddress
                | Operator::ArnNotEquals
                | Operator::ArnNotLike
        )
    }

    /// Date operators (`DateEquals`, `DateLessThan`, ...), whose values are dates.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Operator::DateEquals
                | Operator::DateNotEquals
                | Operator::DateLessThan
                | Operator::DateLessThanEquals
                | Operator::DateGreaterThan
                | Operator::DateGreaterThanEquals
        )
    }

    /// Operators whose policy values may contain policy variables (string and ARN
    /// operators; IAM User Guide: "IAM policy elements: Variables and tags").
    pub fn accepts_variables(self) -> bool {
        matches!(
            self,
            Operator::StringEquals
                | Operator::StringNotEquals
                | Operator::StringEqualsIgnoreCase
                | Operator::StringNotEqualsIgnoreCase
                | Operator::StringLike
                | Operator::StringNotLike
                | Operator::ArnEquals
                | Operator::ArnLike
                | Operator::ArnNotEquals
                | Operator::ArnNotLike
        )
    }
}

impl ConditionOperator {
    /// Parses `ForAnyValue:StringLikeIfExists` and friends. `None` when unknown.
    pub fn parse(text: &str) -> Option<ConditionOperator> {
        let (set, rest) = if let Some(r) = text.strip_prefix("ForAllValues:") {
            (Some(SetOperator::ForAllValues), r)
        } else if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (Some(SetOperator::ForAnyValue), r)
        } else {
            (None, text)
        };
        let (base, if_exists) = match Operator::from_name(rest) {
            Some(op) => (op, false),
            None => (Operator::from_name(rest.strip_suffix("IfExists")?)?, true),
        };
        Some(ConditionOperator {
            text: text.to_owned(),
            set,
            base,
            if_exists,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // IAM User Guide: "IAM JSON policy elements: Condition operators"
    #[test]
    fn parses_operator_names() {
        let op = ConditionOperator::parse("ForAllValues:StringLikeIfExists").unwrap();
        assert_eq!(op.set, Some(SetOperator::ForAllValues));
        assert_eq!(op.base, Operator::StringLike);
        assert!(op.if_exists);
        assert!(ConditionOperator::parse("aws:SourceAccount").is_none());
        assert!(ConditionOperator::parse("StringEqualsIfExistsIfExists").is_none());
        assert_eq!(
            ConditionOperator::parse("NullIfExists").unwrap().base,
            Operator::Null
        );
    }

    /// The statement's filters never skip an action its `Action` matches (IAM User Guide:
    /// "IAM JSON policy elements: Action": names are case-insensitive, `*` and `?` match
    /// anywhere), and they do skip other verbs of the same service.
    #[test]
    fn action_filters_keep_every_matching_action() {
        let patterns = [
            "sagemaker:Describe*",
            "SageMaker:DESCRIBE*",
            "sagemaker:De*",
            "sagemaker:D?scribe*",
            "sagemaker:*",
            "sagemaker:Sto*",
            "sagemaker:StopTrainingJob",
            "s3:Ge?Object",
            "s3:*Object",
            "kms:Re*",
            "kms:E",
            "svc:é*",
            "svc:aé*",
            "*:Describe*",
        ];
        let actions = [
            "sagemaker:DescribeTrainingJob",
            "sagemaker:describedomain",
            "sagemaker:DeleteModel",
            "sagemaker:StopTrainingJob",
            "sagemaker:StartPipelineExecution",
            "s3:GetObject",
            "s3:PutObject",
            "kms:ReEncryptFrom",
            "kms:E",
            "kms:Ex",
            "svc:éa",
            "svc:aéb",
            "svc:a",
            "ec2:DescribeInstances",
        ];
        for pattern in patterns {
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"{pattern}","Resource":"*"}}}}"#
            );
            let parsed = crate::parse::parse_policy(&text);
            let st = parsed
                .policy
                .as_ref()
                .and_then(|p| p.statements.first())
                .unwrap();
            for action in actions {
                let (service, class) = action_bits(action);
                let passes = st.service_filter & service != 0 && st.action_filter & class != 0;
                if ActionPattern::new(pattern).matches(action) {
                    assert!(passes, "{pattern} matches {action} but its filters skip it");
                }
            }
        }
        let describe = crate::parse::parse_policy(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["sagemaker:Describe*","sagemaker:StopTrainingJob"],"Resource":"*"}}"#,
        );
        let st = describe
            .policy
            .as_ref()
            .and_then(|p| p.statements.first())
            .unwrap();
        let skipped = |action: &str| st.action_filter & action_bits(action).1 == 0;
        assert!(skipped("sagemaker:DeleteModel"));
        assert!(skipped("sagemaker:StartTrainingJob"));
        assert!(!skipped("sagemaker:DescribeModel"));
        assert!(!skipped("sagemaker:stoptrainingjob"));
    }

    #[test]
    fn action_patterns_ignore_case() {
        let a = ActionPattern::new("SageMaker:Describe*");
        assert!(a.matches("sagemaker:DESCRIBETrainingJob"));
        assert!(!a.matches("sagemaker:ListTrainingJobs"));
    }
}
