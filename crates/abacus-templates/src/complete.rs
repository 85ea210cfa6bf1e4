//! Completion at the caret of a policy text: where the caret is in the document, and what
//! may be written there, from the Service Authorization Reference.
//!
//! The place is found from the parser's own tokens ([`abacus_policy::json::lex`]) up to the
//! caret, so it is found in broken JSON too (a string left open, a missing comma): what
//! matters is the chain of member names around the caret, `Statement` → `Condition` →
//! operator. Offered:
//! - member names of the document and of a statement, and condition operators (with
//!   `IfExists` and the set qualifiers where valid);
//! - values of `Version` and `Effect`;
//! - in `Action` / `NotAction`: service prefixes, then the actions of the service with their
//!   access level and description, and the wildcard of what was typed with the count of
//!   actions it matches;
//! - condition keys: the global keys and the keys of the services the policy mentions.
//!
//! Facts encoded: IAM User Guide, "IAM JSON policy element reference" (element names, the
//! values of `Version` and `Effect`), "IAM JSON policy elements: Condition operators" (the
//! operators, `IfExists`, and that `Null` takes neither), "Multivalued context keys" (the
//! `ForAnyValue:` and `ForAllValues:` qualifiers).

use abacus_policy::ast::Operator;
use abacus_policy::json::{lex, Lexeme, LexemeKind};
use abacus_reference::{Reference, ServiceStatus};
use abacus_studio::model::World;

/// At most this many items are offered; the list says how many more there are.
pub const MAX_ITEMS: usize = 200;

/// Where in a policy document a caret is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A member name of the document (`Version`, `Statement`, ...).
    DocumentKey,
    /// A member name of a statement (`Effect`, `Action`, ...).
    StatementKey,
    /// A condition operator: a member name of `Condition`.
    Operator,
    /// A condition key: a member name of an operator's block.
    ConditionKey,
    /// The value of a document or statement element, or an element of its array.
    Value {
        /// The element, e.g. `Action`.
        element: String,
    },
    /// A condition value: of the key, under the operator.
    ConditionValue {
        /// The condition key, as written.
        key: String,
    },
    /// Anywhere else (a principal, outside the document).
    Other,
}

/// One thing that can be written at the caret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// What the list shows, e.g. `sagemaker:StopTrainingJob`.
    pub label: String,
    /// The text that replaces [`Completion::replace`].
    pub insert: String,
    /// A short note: an access level, a key type, a count.
    pub detail: String,
    /// One sentence on what it is (may be empty).
    pub description: String,
    /// The start of a value, for the rest to be typed (a service prefix, a set qualifier,
    /// the fixed part of a key with a variable part): the string stays open.
    pub partial: bool,
}

/// What can be written at a caret, and what it replaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// Where the caret is.
    pub place: Place,
    /// The byte range an accepted item replaces.
    pub replace: (usize, usize),
    /// The text typed so far that the items match (the string up to the caret).
    pub typed: String,
    /// The items, best first.
    pub items: Vec<Item>,
    /// Why the list is empty or cut short, when it is.
    pub note: Option<String>,
}

/// What an object expects next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// A member name (after `{` or `,`).
    Key,
    /// The `:` after a name.
    Colon,
    /// A member's value (after `:`).
    Value,
    /// A `,` or the `}` after a value. A string here is read as the next name (a comma
    /// left out).
    Comma,
}

/// One container around the caret.
#[derive(Clone, Debug)]
struct Frame {
    object: bool,
    /// The member name this container is the value of (`None` for an array element or the
    /// document itself).
    held_by: Option<String>,
    /// In an object: the member name read last, and what comes next.
    key: Option<String>,
    expect: Expect,
    /// The index of its opening token.
    opened: usize,
}

/// The string token the caret is in (or at the end of, when left open).
pub(crate) struct Open {
    /// First byte of the content (after the opening quote).
    content: usize,
    /// One past the content's last byte.
    end: usize,
    /// True when the string is not closed on its line.
    unclosed: bool,
}

/// Where the caret at byte `caret` of `text` is: the place, and the string it is in.
#[cfg(test)]
fn locate(text: &str, caret: usize) -> (Place, Option<Open>) {
    let (place, inside, _) = locate_in(text, &lex(text), caret);
    (place, inside)
}

/// [`locate`] over the tokens of `text`, also giving the index of the opening `{` of the
/// statement around the caret, when there is one.
pub(crate) fn locate_in(
    text: &str,
    tokens: &[Lexeme],
    caret: usize,
) -> (Place, Option<Open>, Option<usize>) {
    let mut stack: Vec<Frame> = Vec::new();
    let mut inside = None;
    for (at, &Lexeme { kind, span }) in tokens.iter().enumerate() {
        let raw = text.get(span.start..span.end).unwrap_or("");
        if span.start >= caret {
            break;
        }
        if kind == LexemeKind::String {
            let closed = raw.len() >= 2 && raw.ends_with('"') && !raw.ends_with("\\\"");
            if caret < span.end || (caret == span.end && !closed) {
                inside = Some(Open {
                    content: span.start + 1,
                    end: if closed { span.end - 1 } else { span.end },
                    unclosed: !closed,
                });
                break;
            }
        }
        let top = stack.last_mut();
        match (kind, raw) {
            (LexemeKind::Punct, "{" | "[") => {
                let held_by = match top {
                    Some(f) if f.object && f.expect == Expect::Value => f.key.clone(),
                    _ => None,
                };
                stack.push(Frame {
                    object: raw == "{",
                    held_by,
                    key: None,
                    expect: Expect::Key,
                    opened: at,
                });
            }
            (LexemeKind::Punct, "}" | "]") => {
                stack.pop();
                value_read(stack.last_mut());
            }
            (LexemeKind::Punct, ":") => {
                if let Some(f) = top.filter(|f| f.object) {
                    f.expect = Expect::Value;
                }
            }
            (LexemeKind::Punct, _) => {
                if let Some(f) = top.filter(|f| f.object) {
                    f.key = None;
                    f.expect = Expect::Key;
                }
            }
            (LexemeKind::String, _) => match top {
                Some(f) if f.object && f.expect != Expect::Value => {
                    f.key = Some(unquote(raw));
                    f.expect = Expect::Colon;
                }
                top => value_read(top),
            },
            _ => value_read(top),
        }
    }
    // the statement: the object held by `Statement` (or by its array), or a bare one
    let statement = stack
        .iter()
        .enumerate()
        .filter(|(_, f)| f.object)
        .find(|(i, f)| {
            let held = f.held_by.as_deref().or_else(|| {
                i.checked_sub(1)
                    .and_then(|p| stack.get(p))
                    .filter(|p| !p.object)
                    .and_then(|p| p.held_by.as_deref())
            });
            held == Some("Statement")
        })
        .map(|(_, f)| f.opened)
        .or_else(|| stack.first().filter(|f| f.object).map(|f| f.opened));
    (place(&stack), inside, statement)
}

/// The action names of the statement opened by token `open`: its `Action`, a string or an
/// array of strings, read to the statement's end.
fn statement_actions(text: &str, tokens: &[Lexeme], open: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let (mut last, mut value_of) = (String::new(), None::<String>);
    for l in tokens.iter().skip(open) {
        let raw = text.get(l.span.start..l.span.end).unwrap_or("");
        match (l.kind, raw, depth) {
            (LexemeKind::Punct, "{" | "[", _) => depth += 1,
            (LexemeKind::Punct, "}" | "]", _) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            (LexemeKind::Punct, ":", 1) => value_of = Some(std::mem::take(&mut last)),
            (LexemeKind::Punct, ",", 1) => value_of = None,
            (LexemeKind::String, _, 1 | 2) if value_of.as_deref() == Some("Action") => {
                out.push(unquote(raw));
            }
            (LexemeKind::String, _, 1) => last = unquote(raw),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A value was read in `frame`: an object expects a `,` next.
fn value_read(frame: Option<&mut Frame>) {
    if let Some(f) = frame.filter(|f| f.object && f.expect == Expect::Value) {
        f.expect = Expect::Comma;
    }
}

/// The content of a string token, quotes removed (escapes kept: member names have none).
pub(crate) fn unquote(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    inner.strip_suffix('"').unwrap_or(inner).to_owned()
}

/// The place the innermost container makes of the caret.
fn place(stack: &[Frame]) -> Place {
    let Some(top) = stack.last() else {
        return Place::Other;
    };
    // the member names that hold each object, from the document down (arrays skipped)
    let names: Vec<&str> = stack
        .iter()
        .skip(1)
        .filter_map(|f| f.held_by.as_deref())
        .collect();
    // the document's own members, or a statement's (also a bare statement, as samples
    // print them)
    let value_of = |element: &str, names: &[&str]| match names {
        [] | ["Statement"] => Place::Value {
            element: element.to_owned(),
        },
        ["Statement", "Condition", _] | ["Condition", _] => Place::ConditionValue {
            key: element.to_owned(),
        },
        _ => Place::Other,
    };
    if top.object {
        if top.expect == Expect::Value {
            return match &top.key {
                Some(k) => value_of(k, &names),
                None => Place::Other,
            };
        }
        return match names.as_slice() {
            [] => Place::DocumentKey,
            ["Statement"] => Place::StatementKey,
            ["Statement", "Condition"] | ["Condition"] => Place::Operator,
            ["Statement", "Condition", _] | ["Condition", _] => Place::ConditionKey,
            _ => Place::Other,
        };
    }
    // an array element: the value of the member that holds the array
    match &top.held_by {
        Some(k) => {
            let outer = names.get(..names.len().saturating_sub(1)).unwrap_or(&[]);
            value_of(k, outer)
        }
        None => Place::Other,
    }
}

/// What can be written at byte `caret` of the policy `text`, or `None` where nothing is
/// offered. Inside a string, an item replaces the string's content (up to the caret when
/// the string is left open, and then closes it); elsewhere it is inserted as a new string.
///
/// `world` gives the values offered for ARNs (partition, Region, account) and condition
/// values (user profile names, tag values, domain ids).
pub fn complete(
    text: &str,
    caret: usize,
    reference: &Reference,
    world: Option<&World>,
) -> Option<Completion> {
    let caret = caret.min(text.len());
    if !text.is_char_boundary(caret) {
        return None;
    }
    let tokens = lex(text);
    let (place, inside, statement) = locate_in(text, &tokens, caret);
    let actions_here = || {
        statement
            .map(|open| statement_actions(text, &tokens, open))
            .unwrap_or_default()
    };
    let (replace, typed, quote, close) = match &inside {
        Some(open) => {
            let end = if open.unclosed { caret } else { open.end };
            let typed = text.get(open.content..caret).unwrap_or("").to_owned();
            ((open.content, end), typed, false, open.unclosed)
        }
        None => ((caret, caret), String::new(), true, false),
    };
    let mut note = None;
    let mut items = match &place {
        Place::DocumentKey => names(DOCUMENT_ELEMENTS, &typed),
        Place::StatementKey => names(STATEMENT_ELEMENTS, &typed),
        Place::Value { element } => match element.as_str() {
            "Version" => names(VERSIONS, &typed),
            "Effect" => names(EFFECTS, &typed),
            "Action" | "NotAction" => actions(reference, &typed, &mut note),
            "Resource" | "NotResource" => resources(reference, world, &actions_here(), &typed),
            _ => return None,
        },
        Place::Operator => operators(&typed),
        Place::ConditionKey => condition_keys(reference, text, &actions_here(), &typed),
        Place::ConditionValue { key } => condition_values(reference, world, key, &typed),
        Place::Other => return None,
    };
    if items.len() > MAX_ITEMS {
        note = Some(format!(
            "{} more: type more of the name to narrow the list",
            items.len() - MAX_ITEMS
        ));
        items.truncate(MAX_ITEMS);
    }
    for item in &mut items {
        // a whole value closes its string; a partial one leaves it open for the rest
        if quote {
            item.insert.insert(0, '"');
        }
        if (quote || close) && !item.partial {
            item.insert.push('"');
        }
    }
    Some(Completion {
        place,
        replace,
        typed,
        items,
        note,
    })
}

/// `(name, description)` of the document's elements.
pub(crate) const DOCUMENT_ELEMENTS: &[(&str, &str)] = &[
    ("Version", "the policy language version: write 2012-10-17"),
    ("Id", "an optional identifier of the policy"),
    ("Statement", "one statement or an array of statements"),
];

/// `(name, description)` of a statement's elements.
pub(crate) const STATEMENT_ELEMENTS: &[(&str, &str)] = &[
    ("Sid", "an optional statement id"),
    ("Effect", "Allow or Deny"),
    (
        "Principal",
        "who the statement applies to (resource-based and trust policies)",
    ),
    ("NotPrincipal", "everyone except the listed principals"),
    ("Action", "the actions the statement covers"),
    ("NotAction", "every action except the listed ones"),
    ("Resource", "the resources the statement covers"),
    ("NotResource", "every resource except the listed ones"),
    ("Condition", "when the statement applies"),
];

const VERSIONS: &[(&str, &str)] = &[
    (
        "2012-10-17",
        "the current version; policy variables need it",
    ),
    ("2008-10-17", "an earlier version, without policy variables"),
];

const EFFECTS: &[(&str, &str)] = &[
    ("Allow", "allows what the statement covers"),
    ("Deny", "denies it, whatever any other policy allows"),
];

/// The fixed names starting with `typed` (any case).
fn names(list: &[(&str, &str)], typed: &str) -> Vec<Item> {
    list.iter()
        .filter(|(name, _)| starts_with_ci(name, typed))
        .map(|(name, description)| Item {
            label: (*name).to_owned(),
            insert: (*name).to_owned(),
            detail: String::new(),
            description: (*description).to_owned(),
            partial: false,
        })
        .collect()
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text
            .as_bytes()
            .iter()
            .zip(prefix.as_bytes())
            .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// Service prefixes, or the actions of the typed service.
fn actions(reference: &Reference, typed: &str, note: &mut Option<String>) -> Vec<Item> {
    let Some((prefix, name)) = typed.split_once(':') else {
        let mut items = Vec::new();
        if typed.is_empty() || typed == "*" {
            items.push(Item {
                label: "*".to_owned(),
                insert: "*".to_owned(),
                detail: "every action".to_owned(),
                description: "every action of every service".to_owned(),
                partial: false,
            });
        }
        let Some(index) = reference.index() else {
            *note = Some("the Service Authorization Reference is not loaded yet".to_owned());
            return items;
        };
        items.extend(
            index
                .services
                .iter()
                .filter(|(p, _, _)| starts_with_ci(p, typed))
                .map(|(p, service_name, count)| Item {
                    label: format!("{p}:"),
                    insert: format!("{p}:"),
                    detail: format!("{count} actions"),
                    description: service_name.clone(),
                    partial: true,
                }),
        );
        return items;
    };
    match reference.status(prefix) {
        ServiceStatus::Loaded => {}
        ServiceStatus::NotLoaded => {
            *note = Some(format!(
                "loading `{prefix}` from the Service Authorization Reference…"
            ));
            return Vec::new();
        }
        ServiceStatus::Unknown => {
            *note = Some(format!(
                "the Service Authorization Reference has no service `{prefix}`"
            ));
            return Vec::new();
        }
        ServiceStatus::NoIndex => {
            *note = Some("the Service Authorization Reference is not loaded yet".to_owned());
            return Vec::new();
        }
    }
    let Some(service) = reference.service(prefix) else {
        return Vec::new();
    };
    let stem = name.trim_end_matches('*');
    let matching: Vec<_> = service
        .actions
        .iter()
        .filter(|a| starts_with_ci(&a.name, stem))
        .collect();
    let mut items = Vec::with_capacity(matching.len() + 1);
    if matching.len() > 1 {
        let wildcard = format!("{}:{stem}*", service.prefix);
        items.push(Item {
            label: wildcard.clone(),
            insert: wildcard,
            detail: format!("{} actions", matching.len()),
            description: format!(
                "every {} action whose name starts with `{stem}`",
                service.name
            ),
            partial: false,
        });
    }
    items.extend(matching.into_iter().map(|a| Item {
        label: format!("{}:{}", service.prefix, a.name),
        insert: format!("{}:{}", service.prefix, a.name),
        detail: a.access_level().as_str().to_owned(),
        description: a.description.clone(),
        partial: false,
    }));
    items
}

/// Condition operators: the base ones, their `IfExists` forms (not `Null`'s), and the set
/// qualifiers once `For` is typed.
fn operators(typed: &str) -> Vec<Item> {
    let qualified = ["ForAnyValue:", "ForAllValues:"]
        .into_iter()
        .find(|q| starts_with_ci(typed, q));
    let (qualifier, rest) = match qualified {
        Some(q) => (q, typed.get(q.len()..).unwrap_or("")),
        None => ("", typed),
    };
    let mut items = Vec::new();
    if qualifier.is_empty() {
        for (q, description) in [
            ("ForAnyValue:", "some value of a multivalued key must match"),
            (
                "ForAllValues:",
                "every value of a multivalued key must match",
            ),
        ] {
            if starts_with_ci(q, typed) && !typed.is_empty() {
                items.push(Item {
                    label: q.to_owned(),
                    insert: q.to_owned(),
                    detail: "set qualifier".to_owned(),
                    description: description.to_owned(),
                    partial: true,
                });
            }
        }
    }
    for op in Operator::ALL {
        let name = op.as_str();
        // IAM User Guide: `Null` takes no `IfExists` and no set qualifier
        if *op == Operator::Null && !qualifier.is_empty() {
            continue;
        }
        let mut forms = vec![(name.to_owned(), "operator")];
        if *op != Operator::Null {
            forms.push((
                format!("{name}IfExists"),
                "operator, true when the key is absent",
            ));
        }
        for (form, detail) in forms {
            if starts_with_ci(&form, rest) {
                let full = format!("{qualifier}{form}");
                items.push(Item {
                    label: full.clone(),
                    insert: full,
                    detail: detail.to_owned(),
                    description: String::new(),
                    partial: false,
                });
            }
        }
    }
    items
}

/// Global keys, then the keys the statement's actions can carry (or, when it has no readable
/// actions, those of the loaded services the policy mentions), each once. A key
/// with a variable part (`aws:PrincipalTag/${TagKey}`) inserts its fixed part, for the rest
/// to be typed.
fn condition_keys(reference: &Reference, text: &str, actions: &[String], typed: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut add = |name: &str, detail: &str, description: String| {
        if starts_with_ci(name, typed) && !items.iter().any(|i| i.label == name) {
            items.push(Item {
                label: name.to_owned(),
                insert: abacus_reference::keys::template_prefix(name).to_owned(),
                detail: detail.to_owned(),
                description,
                partial: abacus_reference::keys::is_template(name),
            });
        }
    };
    if let Some(index) = reference.index() {
        for (k, key_type, category) in &index.global_keys {
            add(k, key_type, format!("global key ({category})"));
        }
    }
    // the keys the statement's actions can carry (their own and their resource types');
    // without readable actions, every key of the services the policy names
    let carried: Vec<(&abacus_reference::Service, &str)> = actions
        .iter()
        .flat_map(|a| abacus_reference::matching_actions(reference, a))
        .flat_map(|(service, a)| {
            reference
                .action_keys(service, a)
                .into_iter()
                .map(move |k| (service, k))
        })
        .collect();
    if carried.is_empty() {
        for prefix in mentioned_prefixes(text) {
            if let Some(service) = reference.service(&prefix) {
                for k in &service.condition_keys {
                    add(&k.name, &k.key_type, k.description.clone());
                }
            }
        }
    } else {
        for (service, name) in carried {
            let key = service
                .condition_keys
                .iter()
                .find(|k| k.name.eq_ignore_ascii_case(name));
            match key {
                Some(k) => add(&k.name, &k.key_type, k.description.clone()),
                None => add(name, "", String::new()),
            }
        }
    }
    items
}

/// `*`, then the ARN formats of the resource types the statement's actions take, with the
/// world's partition, Region and account filled in and every other part a wildcard
/// (`arn:aws:sagemaker:us-east-1:111122223333:training-job/*`).
fn resources(
    reference: &Reference,
    world: Option<&World>,
    actions: &[String],
    typed: &str,
) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut add = |arn: String, detail: String, description: String| {
        if starts_with_ci(&arn, typed) && !items.iter().any(|i| i.insert == arn) {
            items.push(Item {
                label: arn.clone(),
                insert: arn,
                detail,
                description,
                partial: false,
            });
        }
    };
    add(
        "*".to_owned(),
        "every resource".to_owned(),
        "what the actions act on, whatever it is".to_owned(),
    );
    let (partition, region, account) = world.map_or(("aws", "*", "*"), |w| {
        (w.partition.as_str(), w.region.as_str(), w.account.as_str())
    });
    for action in actions {
        for (service, a) in abacus_reference::matching_actions(reference, action) {
            for r in &a.resource_types {
                let Some(rt) = reference.resource_type(&service.prefix, r.name()) else {
                    continue;
                };
                let arn = fill_format(&rt.arn, partition, region, account);
                add(
                    arn,
                    r.name().to_owned(),
                    format!(
                        "the {} ARN format of the Service Authorization Reference",
                        r.name()
                    ),
                );
            }
        }
    }
    items
}

/// An ARN format with `${Partition}`, `${Region}` and `${Account}` filled and every other
/// placeholder a `*`.
fn fill_format(format: &str, partition: &str, region: &str, account: &str) -> String {
    let mut out = String::with_capacity(format.len());
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(end) = after.find('}') else {
            out.push_str(rest.get(start..).unwrap_or(""));
            return out;
        };
        out.push_str(match after.get(..end).unwrap_or("") {
            "Partition" => partition,
            "Region" => region,
            "Account" => account,
            _ => "*",
        });
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Values for a condition key: the world's values of it (user profile names for the source
/// identity, tag values for a tag key, domain ids, the account and Region), `true` and
/// `false` for a Boolean key, and the policy variables that fit (IAM User Guide, "IAM policy
/// elements: Variables and tags").
fn condition_values(
    reference: &Reference,
    world: Option<&World>,
    key: &str,
    typed: &str,
) -> Vec<Item> {
    let lower = key.to_ascii_lowercase();
    let mut items: Vec<Item> = Vec::new();
    let mut add = |value: &str, detail: &str| {
        if starts_with_ci(value, typed) && !items.iter().any(|i| i.insert == value) {
            items.push(Item {
                label: value.to_owned(),
                insert: value.to_owned(),
                detail: detail.to_owned(),
                description: String::new(),
                partial: false,
            });
        }
    };
    let boolean = reference
        .key(key)
        .value_type()
        .is_some_and(|t| t.name() == "Bool");
    if boolean {
        add("true", "Bool");
        add("false", "Bool");
    }
    if let Some(w) = world {
        let tag = lower
            .split_once("tag/")
            .map(|(_, t)| t)
            .filter(|t| !t.is_empty());
        if let Some(tag) = tag {
            let tagged = w
                .users
                .iter()
                .map(|u| &u.tags)
                .chain(w.roles.iter().map(|r| &r.tags))
                .chain(w.resources.iter().map(|r| &r.tags));
            for tags in tagged {
                for (k, v) in tags {
                    if k.eq_ignore_ascii_case(tag) {
                        add(v, "a tag value in the world");
                    }
                }
            }
        }
        match lower.as_str() {
            "aws:sourceidentity" | "sagemaker:userprofilename" | "aws:username" => {
                for u in &w.users {
                    add(&u.name, "a user profile");
                }
            }
            "sagemaker:domainid" => {
                for d in &w.domains {
                    add(&d.id, "a domain");
                }
            }
            "aws:principalaccount" | "aws:resourceaccount" | "aws:sourceaccount" => {
                add(&w.account, "the account");
            }
            "aws:requestedregion" => add(&w.region, "the Region"),
            _ => {}
        }
    }
    for (variable, fits) in [
        ("${aws:SourceIdentity}", true),
        ("${aws:username}", true),
        ("${aws:userid}", true),
        ("${aws:PrincipalAccount}", true),
        ("${aws:PrincipalTag/", true),
        ("${sagemaker:DomainId}", true),
        ("${sagemaker:UserProfileName}", true),
    ] {
        if fits && starts_with_ci(variable, typed) {
            let partial = variable.ends_with('/');
            items.push(Item {
                label: if partial {
                    format!("{variable}…}}")
                } else {
                    variable.to_owned()
                },
                insert: variable.to_owned(),
                detail: "policy variable".to_owned(),
                description:
                    "replaced by the request's value of the key when the policy is evaluated"
                        .to_owned(),
                partial,
            });
        }
    }
    items
}

/// The service prefixes of the actions `text` names (`"prefix:…`), sorted, once each.
fn mentioned_prefixes(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split('"')
        .skip(1)
        .filter_map(|s| s.split_once(':').map(|(p, _)| p))
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(str::to_ascii_lowercase)
        .filter(|p| p != "aws" && p != "arn")
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> std::sync::Arc<Reference> {
        abacus_reference::current()
    }

    fn world() -> World {
        std::sync::Arc::unwrap_or_clone(abacus_studio::scenario::default_scenario().world)
    }

    /// The place at the `|` of `marked`.
    fn place_at(marked: &str) -> Place {
        let caret = marked.find('|').unwrap();
        locate(&marked.replacen('|', "", 1), caret).0
    }

    fn labels(marked: &str) -> Vec<String> {
        let caret = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        complete(&text, caret, &reference(), Some(&world()))
            .map(|c| c.items.into_iter().map(|i| i.label).collect())
            .unwrap_or_default()
    }

    #[test]
    fn places_follow_the_member_names_around_the_caret() {
        // "IAM JSON policy element reference": document, statement, condition block
        for (marked, expected) in [
            (r#"{"|"#, Place::DocumentKey),
            (r#"{"Version": "2012-10-17", "St|"#, Place::DocumentKey),
            (r#"{"Statement": [{"Eff|"#, Place::StatementKey),
            (
                r#"{"Statement": {"Effect": "Allow", "|"}}"#,
                Place::StatementKey,
            ),
            (
                r#"{"Statement": [{"Effect": "|"#,
                Place::Value {
                    element: "Effect".into(),
                },
            ),
            (
                r#"{"Statement": [{"Action": ["s3:GetObject", "sagemaker:Sto|"]}]}"#,
                Place::Value {
                    element: "Action".into(),
                },
            ),
            (
                r#"{"Version": "|"#,
                Place::Value {
                    element: "Version".into(),
                },
            ),
            (r#"{"Statement": [{"Condition": {"Str|"#, Place::Operator),
            (
                r#"{"Statement": [{"Condition": {"StringEquals": {"aws:Res|"#,
                Place::ConditionKey,
            ),
            (
                r#"{"Statement": [{"Condition": {"StringEquals": {"aws:x": "|"#,
                Place::ConditionValue {
                    key: "aws:x".into(),
                },
            ),
            (r#"{"Statement": [{"Principal": {"AWS": "|"#, Place::Other),
            (r#"|"#, Place::Other),
        ] {
            assert_eq!(place_at(marked), expected, "{marked}");
        }
    }

    #[test]
    fn places_are_found_in_broken_json() {
        // a missing comma, a trailing comma, an unquoted word, a string left open earlier
        for marked in [
            r#"{"Statement": [{"Effect": "Allow" "Action": "|"#,
            r#"{"Statement": [{"Effect": "Allow",, "Action": ["s3:x",], "Action": "|"#,
            r#"{"Statement": [{"Effect": Allow, "Action": "|"#,
            "{\"Statement\": [{\"Sid\": \"open\n, \"Action\": \"|",
        ] {
            assert_eq!(
                place_at(marked),
                Place::Value {
                    element: "Action".into()
                },
                "{marked}"
            );
        }
    }

    #[test]
    fn actions_of_a_service_with_their_wildcard() {
        let got = labels(r#"{"Statement": [{"Action": "sagemaker:StopTr|"#);
        assert_eq!(got.first().map(String::as_str), Some("sagemaker:StopTr*"));
        assert!(
            got.iter().any(|l| l == "sagemaker:StopTrainingJob"),
            "{got:?}"
        );
        assert!(got
            .iter()
            .skip(1)
            .all(|l| l.starts_with("sagemaker:StopTr")));
        // a bare statement, as samples print them
        let bare = labels(r#"{"Effect": "Allow", "Action": "sagemaker:StopTrainingJ|"#);
        assert_eq!(bare, ["sagemaker:StopTrainingJob"]);
    }

    #[test]
    fn service_prefixes_first() {
        let got = labels(r#"{"Statement": {"Action": "sagem|"}}"#);
        assert_eq!(got.first().map(String::as_str), Some("sagemaker:"));
        assert!(got
            .iter()
            .all(|p| p.starts_with("sagemaker") && p.ends_with(':')));
        let all = labels(r#"{"Statement": {"NotAction": "|"}}"#);
        assert_eq!(all.first().map(String::as_str), Some("*"));
        assert!(all.len() > 100, "{}", all.len());
    }

    #[test]
    fn an_item_replaces_the_string_or_closes_an_open_one() {
        let r = reference();
        let text = r#"{"Statement": [{"Action": ["sagemaker:Sto"], "Effect": "Allow"}]}"#;
        let caret = text.find("Sto").unwrap() + 3;
        let c = complete(text, caret, &r, None).unwrap();
        assert_eq!(&text[c.replace.0..c.replace.1], "sagemaker:Sto");
        assert_eq!(c.typed, "sagemaker:Sto");
        let item = c
            .items
            .iter()
            .find(|i| i.label == "sagemaker:StopTrainingJob")
            .unwrap();
        assert_eq!(item.insert, "sagemaker:StopTrainingJob");
        assert_eq!(item.detail, "Write");
        // typed into `[]`: the string runs to the end of the line, so only what was typed is
        // replaced, and the item closes the string
        let text = "{\"Statement\": [{\"Action\": [\"sagemaker:Sto],\n\"Effect\": \"Allow\"}]}";
        let caret = text.find("Sto").unwrap() + 3;
        let c = complete(text, caret, &r, None).unwrap();
        assert_eq!(&text[c.replace.0..c.replace.1], "sagemaker:Sto");
        let item = c
            .items
            .iter()
            .find(|i| i.label == "sagemaker:StopTrainingJob")
            .unwrap();
        assert_eq!(item.insert, "sagemaker:StopTrainingJob\"");
        // a service prefix leaves the string open for the action
        let prefix = c.items.iter().find(|i| i.partial);
        assert!(prefix.is_none(), "actions only once the service is typed");
        let text = "{\"Statement\": [{\"Action\": [\"sagem\n";
        let c = complete(text, text.len() - 1, &r, None).unwrap();
        let first = c.items.first().unwrap();
        assert_eq!((first.insert.as_str(), first.partial), ("sagemaker:", true));
        // outside a string: a whole string is inserted
        let text = r#"{"Statement": [{"Effect": }]}"#;
        let caret = text.find(": }").unwrap() + 2;
        let c = complete(text, caret, &r, None).unwrap();
        assert_eq!(c.replace, (caret, caret));
        let inserts: Vec<&str> = c.items.iter().map(|i| i.insert.as_str()).collect();
        assert_eq!(inserts, ["\"Allow\"", "\"Deny\""]);
    }

    #[test]
    fn operators_with_if_exists_and_qualifiers() {
        // "Condition operators": `...IfExists` for every operator but `Null`
        let got = labels(r#"{"Statement": {"Condition": {"Nul|"}}}"#);
        assert_eq!(got, ["Null"]);
        let got = labels(r#"{"Statement": {"Condition": {"StringLikeI|"}}}"#);
        assert_eq!(got, ["StringLikeIfExists"]);
        let got = labels(r#"{"Statement": {"Condition": {"ForAnyValue:StringE|"}}}"#);
        assert_eq!(
            got,
            [
                "ForAnyValue:StringEquals",
                "ForAnyValue:StringEqualsIfExists",
                "ForAnyValue:StringEqualsIgnoreCase",
                "ForAnyValue:StringEqualsIgnoreCaseIfExists"
            ]
        );
        assert!(labels(r#"{"Statement": {"Condition": {"For|"}}}"#)
            .starts_with(&["ForAnyValue:".to_owned(), "ForAllValues:".to_owned()]));
    }

    #[test]
    fn condition_keys_are_global_and_those_the_statement_actions_carry() {
        let got = labels(
            r#"{"Statement": {"Action": "sagemaker:CreateDomain", "Condition": {"StringEquals": {"|"#,
        );
        assert!(got.iter().any(|k| k == "aws:SourceIdentity"), "{got:?}");
        // Service Authorization Reference: CreateDomain carries AppNetworkAccessType, not
        // WorkteamArn (nor DomainId: the domain does not exist yet)
        assert!(
            got.iter().any(|k| k == "sagemaker:AppNetworkAccessType"),
            "{got:?}"
        );
        assert!(!got.iter().any(|k| k == "sagemaker:WorkteamArn"), "{got:?}");
        assert!(!got.iter().any(|k| k == "sagemaker:DomainId"), "{got:?}");
        assert!(!got.iter().any(|k| k == "ec2:InstanceType"), "{got:?}");
        let mut unique = got.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), got.len(), "each key once");
    }

    #[test]
    fn resources_are_the_arn_formats_of_the_statement_actions_with_world_values() {
        // Service Authorization Reference: StopTrainingJob acts on `training-job`
        let got = labels(
            r#"{"Statement": [{"Effect": "Allow", "Resource": "|", "Action": ["sagemaker:StopTrainingJob"]}]}"#,
        );
        assert_eq!(
            got,
            [
                "*",
                "arn:aws:sagemaker:us-east-1:111122223333:training-job/*"
            ]
        );
        let typed = labels(
            r#"{"Statement": {"Action": "sagemaker:StopTrainingJob", "Resource": ["arn:aws:sagemaker:|"]}}"#,
        );
        assert_eq!(
            typed,
            ["arn:aws:sagemaker:us-east-1:111122223333:training-job/*"]
        );
    }

    #[test]
    fn condition_values_from_the_world_and_policy_variables() {
        let got = labels(
            r#"{"Statement": {"Condition": {"StringEquals": {"aws:SourceIdentity": "|"}}}}"#,
        );
        assert!(got.iter().any(|v| v == "alice"), "{got:?}");
        assert!(got.iter().any(|v| v == "${aws:SourceIdentity}"), "{got:?}");
        let team = labels(
            r#"{"Statement": {"Condition": {"StringEquals": {"aws:ResourceTag/team": ["|"]}}}}"#,
        );
        assert!(
            !team.is_empty() && !team.first().unwrap().starts_with('$'),
            "{team:?}"
        );
        let boolean =
            labels(r#"{"Statement": {"Condition": {"Bool": {"aws:ViaAWSService": "|"}}}}"#);
        assert_eq!(
            boolean.get(..2),
            Some(&["true".to_owned(), "false".to_owned()][..])
        );
    }

    #[test]
    fn a_caret_anywhere_in_any_text_never_panics() {
        let texts = [
            "{\"Statement\": [{\"Action\": \"é😀\", \"Condition\": {\"A\": {\"b\": \"\\",
            "”x” {[ , : ] } \"\n\"",
            "",
        ];
        for text in texts {
            for caret in 0..=text.len() + 1 {
                let _ = complete(text, caret, &reference(), Some(&world()));
            }
        }
    }
}
