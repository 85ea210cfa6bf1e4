//! What the name under the caret or the pointer is, for the editor's hover: an action (its
//! service, access level, description, resource types and condition keys, from the Service
//! Authorization Reference), a condition key (its type and description, and its value in the
//! current request), a condition operator, a policy variable (what it resolves to for the
//! current request), an ARN (its parts) or an element name.
//!
//! Facts encoded: IAM User Guide, "IAM JSON policy elements: Condition operators" (negated
//! operators and `...IfExists` are true when the key is absent), "IAM policy elements:
//! Variables and tags" (a variable with no value in the request makes its condition not
//! match), "IAM identifiers" (ARN format).
//!
//! Each hover links to the AWS documentation page of what it describes, where one exists:
//! an action's page (usually its API reference) and its service's Service Authorization
//! Reference page come from the pinned reference data; the IAM User Guide pages for global
//! keys, operators, variables and elements are the [`guide`] addresses below, each under its
//! page title.

use crate::complete::{locate_in, unquote, Place, DOCUMENT_ELEMENTS, STATEMENT_ELEMENTS};
use abacus_policy::ast::Operator;
use abacus_policy::json::{lex, LexemeKind};
use abacus_policy::{Context, ContextValue};
use abacus_reference::{KeyLookup, Reference};

/// What a hover shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The name, e.g. `sagemaker:StopTrainingJob`.
    pub title: String,
    /// One fact per line.
    pub lines: Vec<String>,
    /// AWS documentation pages about it, most specific first.
    pub links: Vec<DocLink>,
    /// The byte range of what is described.
    pub span: (usize, usize),
}

/// A link to an AWS documentation page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocLink {
    /// What the page is, e.g. `API reference` or `Service Authorization Reference`.
    pub label: String,
    /// Its address.
    pub url: String,
}

impl DocLink {
    fn new(label: &str, url: &str) -> DocLink {
        DocLink {
            label: label.to_owned(),
            url: url.to_owned(),
        }
    }
}

/// IAM User Guide pages, each named by its title.
pub mod guide {
    /// "AWS global condition context keys".
    pub const GLOBAL_KEYS: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html";
    /// "IAM JSON policy elements: Condition operators".
    pub const OPERATORS: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html";
    /// "IAM policy elements: Variables and tags".
    pub const VARIABLES: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html";
    /// "IAM JSON policy elements: Condition".
    pub const CONDITION: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html";
    /// "IAM JSON policy element reference".
    pub const ELEMENTS: &str =
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html";
}

/// The Service Authorization Reference page of the loaded service `prefix`, if the data has
/// one.
fn service_page(reference: &Reference, prefix: &str) -> Option<DocLink> {
    let service = reference.service(prefix)?;
    let url = service.docs_url.as_deref()?;
    Some(DocLink::new(
        &format!("{} in the Service Authorization Reference", service.name),
        url,
    ))
}

/// The hover for the string at byte `at` of the policy `text`; `context` is the current
/// request's, for the values of keys and variables.
pub fn hover(
    text: &str,
    at: usize,
    reference: &Reference,
    context: Option<&Context>,
) -> Option<Hover> {
    let tokens = lex(text);
    let token = tokens
        .iter()
        .find(|l| l.kind == LexemeKind::String && l.span.start < at && at < l.span.end)?;
    let raw = text.get(token.span.start..token.span.end)?;
    let content = unquote(raw);
    let span = (token.span.start, token.span.end);
    // a variable under the pointer wins over the value around it
    if let Some(h) = variable_at(&content, at - token.span.start - 1, context) {
        return Some(Hover {
            span: (
                token.span.start + 1 + h.span.0,
                token.span.start + 1 + h.span.1,
            ),
            ..h
        });
    }
    let (place, _, _) = locate_in(text, &tokens, token.span.start + 1);
    let (lines, links) = match &place {
        Place::DocumentKey => element(DOCUMENT_ELEMENTS, &content)?,
        Place::StatementKey => element(STATEMENT_ELEMENTS, &content)?,
        Place::Value { element } => match element.as_str() {
            "Action" | "NotAction" => action(reference, &content)?,
            "Resource" | "NotResource" => arn(reference, &content)?,
            _ => return None,
        },
        Place::Operator => (
            operator(&content)?,
            vec![DocLink::new(
                "IAM JSON policy elements: Condition operators",
                guide::OPERATORS,
            )],
        ),
        Place::ConditionKey => key(reference, &content, context),
        Place::ConditionValue { .. } | Place::Other => return None,
    };
    Some(Hover {
        title: content,
        lines,
        links,
        span,
    })
}

/// Lines and links of a hover.
type Described = (Vec<String>, Vec<DocLink>);

fn element(list: &[(&str, &str)], name: &str) -> Option<Described> {
    let (_, description) = list.iter().find(|(n, _)| *n == name)?;
    let link = if name == "Condition" {
        DocLink::new("IAM JSON policy elements: Condition", guide::CONDITION)
    } else {
        DocLink::new("IAM JSON policy element reference", guide::ELEMENTS)
    };
    Some((vec![format!("policy element: {description}")], vec![link]))
}

fn action(reference: &Reference, name: &str) -> Option<Described> {
    if name == "*" {
        return Some((vec!["every action of every service".to_owned()], Vec::new()));
    }
    if name.contains(['*', '?']) {
        let matched = abacus_reference::matching_actions(reference, name);
        let mut levels: Vec<&str> = matched
            .iter()
            .map(|(_, a)| a.access_level().as_str())
            .collect();
        levels.sort_unstable();
        levels.dedup();
        let links = name
            .split_once(':')
            .and_then(|(prefix, _)| service_page(reference, prefix))
            .into_iter()
            .collect();
        return Some((
            vec![
                format!("matches {} actions of the loaded services", matched.len()),
                format!("access levels: {}", levels.join(", ")),
            ],
            links,
        ));
    }
    let (service, a) = reference.action(name)?;
    let mut lines = vec![
        format!("{} ({})", service.name, service.prefix),
        format!("access level: {}", a.access_level().as_str()),
        a.description.clone(),
    ];
    if a.resource_types.is_empty() {
        lines.push("resource types: none (the action is authorized on `*`)".to_owned());
    } else {
        let types: Vec<String> = a
            .resource_types
            .iter()
            .map(|r| {
                if r.required() {
                    format!("{} (required)", r.name())
                } else {
                    r.name().to_owned()
                }
            })
            .collect();
        lines.push(format!("resource types: {}", types.join(", ")));
    }
    let keys = reference.action_keys(service, a);
    if !keys.is_empty() {
        let shown: Vec<&str> = keys.iter().take(6).copied().collect();
        let more = keys.len().saturating_sub(shown.len());
        lines.push(format!(
            "condition keys: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let mut links = Vec::new();
    if let Some(url) = &a.docs_url {
        let label = if url.contains("/API_") {
            "API reference"
        } else {
            "documentation"
        };
        links.push(DocLink::new(&format!("{} {label}", a.name), url));
    }
    links.extend(service_page(reference, &service.prefix));
    Some((lines, links))
}

fn operator(name: &str) -> Option<Vec<String>> {
    let (set, rest) = match name.split_once(':') {
        Some((q @ ("ForAnyValue" | "ForAllValues"), rest)) => (Some(q), rest),
        _ => (None, name),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let op = Operator::from_name(base)?;
    let mut lines = vec![format!("condition operator `{}`", op.as_str())];
    if op.is_negated() {
        lines.push("negated: true when the key is absent from the request".to_owned());
    }
    if if_exists {
        lines.push("IfExists: true when the key is absent from the request".to_owned());
    }
    match set {
        Some("ForAnyValue") => lines.push(
            "ForAnyValue: some value of a multivalued key must match; false when the key is absent".to_owned(),
        ),
        Some(_) => lines.push(
            "ForAllValues: every value of a multivalued key must match; true when the key is absent".to_owned(),
        ),
        None => {}
    }
    Some(lines)
}

fn value_text(v: &ContextValue) -> String {
    match v {
        ContextValue::Single(s) => format!("`{s}`"),
        ContextValue::Multi(vs) => {
            let quoted: Vec<String> = vs.iter().map(|v| format!("`{v}`")).collect();
            format!("[{}]", quoted.join(", "))
        }
    }
}

fn key(reference: &Reference, name: &str, context: Option<&Context>) -> Described {
    let lookup = reference.key(name);
    let links = match &lookup {
        KeyLookup::Global { .. } => vec![DocLink::new(
            "AWS global condition context keys",
            guide::GLOBAL_KEYS,
        )],
        KeyLookup::Service { .. } => name
            .split_once(':')
            .and_then(|(prefix, _)| service_page(reference, prefix))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    let mut lines = match lookup {
        KeyLookup::Global { name, value_type } => vec![format!(
            "global condition key `{name}`{}",
            value_type.map_or(String::new(), |t| format!(", type {}", t.name()))
        )],
        KeyLookup::Service {
            name,
            value_type,
            description,
        } => vec![
            format!(
                "service condition key `{name}`{}",
                value_type.map_or(String::new(), |t| format!(", type {}", t.name()))
            ),
            description,
        ],
        KeyLookup::NotLoaded => vec!["its service is being loaded from the reference".to_owned()],
        KeyLookup::UnknownKey | KeyLookup::UnknownService => {
            vec!["not a key the Service Authorization Reference lists".to_owned()]
        }
    };
    if let Some(ctx) = context {
        lines.push(match ctx.get(name) {
            Some(v) => format!("in the current request: {}", value_text(v)),
            None => "absent from the current request".to_owned(),
        });
    }
    (lines, links)
}

/// The variable `${…}` around byte `at` of a string's content.
fn variable_at(content: &str, at: usize, context: Option<&Context>) -> Option<Hover> {
    let mut from = 0;
    while let Some(open) = content.get(from..)?.find("${") {
        let start = from + open;
        let close = start + content.get(start..)?.find('}')?;
        if (start..=close).contains(&at) {
            let name = content.get(start + 2..close)?.trim();
            let mut lines = vec![
                "policy variable: replaced by the request's value of the key when the policy is evaluated"
                    .to_owned(),
            ];
            if let Some(ctx) = context {
                lines.push(match ctx.get(name) {
                    Some(v) => format!("in the current request: {}", value_text(v)),
                    None => {
                        "absent from the current request: a condition that uses it does not match"
                            .to_owned()
                    }
                });
            }
            return Some(Hover {
                title: format!("${{{name}}}"),
                lines,
                links: vec![DocLink::new(
                    "IAM policy elements: Variables and tags",
                    guide::VARIABLES,
                )],
                span: (start, close + 1),
            });
        }
        from = close + 1;
    }
    None
}

fn arn(reference: &Reference, text: &str) -> Option<Described> {
    let mut parts = text.splitn(6, ':');
    let (prefix, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if prefix != "arn" {
        return None;
    }
    let or_any = |s: &str| {
        if s.is_empty() {
            "(none)".to_owned()
        } else {
            s.to_owned()
        }
    };
    Some((
        vec![
            format!("ARN of service `{service}`, partition `{partition}`"),
            format!("Region {}, account {}", or_any(region), or_any(account)),
            format!("resource `{resource}`"),
        ],
        service_page(reference, service).into_iter().collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(marked: &str, context: Option<&Context>) -> Option<Hover> {
        let i = marked.find('|').unwrap();
        hover(
            &marked.replacen('|', "", 1),
            i,
            &abacus_reference::current(),
            context,
        )
    }

    #[test]
    fn an_action_shows_its_level_resource_types_and_keys() {
        let h = at(
            r#"{"Statement": {"Action": "sagemaker:StopTrai|ningJob"}}"#,
            None,
        )
        .unwrap();
        assert_eq!(h.title, "sagemaker:StopTrainingJob");
        assert!(
            h.lines.iter().any(|l| l == "access level: Write"),
            "{:?}",
            h.lines
        );
        assert!(
            h.lines
                .iter()
                .any(|l| l.starts_with("resource types: training-job")),
            "{:?}",
            h.lines
        );
        let w = at(r#"{"Statement": {"Action": "sagemaker:Desc|ribe*"}}"#, None).unwrap();
        assert!(
            w.lines.first().unwrap().starts_with("matches "),
            "{:?}",
            w.lines
        );
    }

    #[test]
    fn keys_and_variables_show_their_value_in_the_request() {
        let mut ctx = Context::new();
        ctx.insert_single("aws:SourceIdentity", "alice");
        let h = at(
            r#"{"Statement": {"Resource": "arn:aws:s3:::b/${aws:Source|Identity}/*"}}"#,
            Some(&ctx),
        )
        .unwrap();
        assert_eq!(h.title, "${aws:SourceIdentity}");
        assert!(
            h.lines
                .iter()
                .any(|l| l == "in the current request: `alice`"),
            "{:?}",
            h.lines
        );
        let k = at(
            r#"{"Statement": {"Condition": {"StringEquals": {"aws:Principal|Tag/team": "x"}}}}"#,
            Some(&ctx),
        )
        .unwrap();
        assert!(
            k.lines.first().unwrap().starts_with("global condition key"),
            "{:?}",
            k.lines
        );
        assert!(k
            .lines
            .iter()
            .any(|l| l == "absent from the current request"));
    }

    #[test]
    fn operators_arns_and_elements() {
        // "Condition operators": negated and IfExists are true on a missing key
        let h = at(
            r#"{"Statement": {"Condition": {"StringNotEq|ualsIfExists": {}}}}"#,
            None,
        )
        .unwrap();
        assert_eq!(h.lines.len(), 3, "{:?}", h.lines);
        let a = at(r#"{"Statement": {"Resource": "arn:aws:sagemaker:us-east-1:1111|22223333:training-job/*"}}"#, None).unwrap();
        assert_eq!(a.lines[1], "Region us-east-1, account 111122223333");
        let e = at(r#"{"Statement": {"Eff|ect": "Allow"}}"#, None).unwrap();
        assert_eq!(e.lines, ["policy element: Allow or Deny"]);
        assert!(at(r#"{"Statement": {"Sid": "a|b"}}"#, None).is_none());
    }

    fn urls(h: &Hover) -> Vec<&str> {
        h.links.iter().map(|l| l.url.as_str()).collect()
    }

    #[test]
    fn each_hover_links_to_its_documentation_page() {
        // an action: its API reference page, then its service's page, both from the data
        let h = at(
            r#"{"Statement": {"Action": "sagemaker:StopTrai|ningJob"}}"#,
            None,
        )
        .unwrap();
        assert_eq!(
            urls(&h),
            [
                "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StopTrainingJob.html",
                "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html",
            ]
        );
        assert_eq!(h.links[0].label, "StopTrainingJob API reference");
        // a wildcard and a service key: the service's page
        let w = at(r#"{"Statement": {"Action": "s3:Get|*"}}"#, None).unwrap();
        assert_eq!(w.links.len(), 1);
        assert!(w.links[0].url.contains("/service-authorization/"), "{w:?}");
        let k = at(
            r#"{"Statement": {"Condition": {"StringEquals": {"sagemaker:Domain|Id": "d"}}}}"#,
            None,
        )
        .unwrap();
        assert_eq!(
            urls(&k),
            [w.links[0].url.replace("amazons3", "amazonsagemaker")]
        );
        // the IAM User Guide pages
        let g = at(
            r#"{"Statement": {"Condition": {"StringEquals": {"aws:Principal|Tag/team": "x"}}}}"#,
            None,
        )
        .unwrap();
        assert_eq!(urls(&g), [guide::GLOBAL_KEYS]);
        let o = at(r#"{"Statement": {"Condition": {"Str|ingLike": {}}}}"#, None).unwrap();
        assert_eq!(urls(&o), [guide::OPERATORS]);
        let v = at(
            r#"{"Statement": {"Resource": "arn:aws:s3:::b/${aws:user|name}"}}"#,
            None,
        )
        .unwrap();
        assert_eq!(urls(&v), [guide::VARIABLES]);
        let c = at(r#"{"Statement": {"Cond|ition": {}}}"#, None).unwrap();
        assert_eq!(urls(&c), [guide::CONDITION]);
        let e = at(r#"{"Vers|ion": "2012-10-17"}"#, None).unwrap();
        assert_eq!(urls(&e), [guide::ELEMENTS]);
        // an ARN: its service's page; an unknown action: none
        let a = at(
            r#"{"Statement": {"Resource": "arn:aws:sagemaker:us-east-1:1|11122223333:domain/d"}}"#,
            None,
        )
        .unwrap();
        assert_eq!(urls(&a), urls(&k));
        assert!(at(r#"{"Statement": {"Action": "sagemaker:Nope|Nope"}}"#, None).is_none());
    }
}
