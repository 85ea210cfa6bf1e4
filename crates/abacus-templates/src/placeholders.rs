//! Doc-style placeholders in pasted policy text: `<region>`, `<account id>`,
//! `{account_number}`, `my_bucket`. IAM policy variables (`${...}`) and template slots
//! (`{{...}}`) are not placeholders.
//!
//! Each placeholder gets a suggested binding (a slot kind and the world fact that fills it),
//! so the editor can offer "replace `<region>` with `us-east-1`" and [`bind`] can do it.

use abacus_policy::codes::Code;
use abacus_policy::{Diagnostic, LineIndex, Severity, Span};
use serde::Serialize;

use crate::library::Slot;
use crate::render::Overrides;
use crate::slot::SlotKind;
use crate::world::{self, WorldFacts};

/// Which world value a placeholder most likely stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Binding {
    /// The slot name used for it (`account_id`, `region`, ...).
    pub slot: String,
    /// The type its value must have.
    pub kind: SlotKind,
    /// The world fact that fills it, when the world has one.
    pub fact: Option<&'static str>,
}

/// One placeholder found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    /// Where it is, delimiters included.
    pub span: Span,
    /// The placeholder as written, e.g. `<account_number>`.
    pub text: String,
    /// Its name without delimiters, e.g. `account_number`.
    pub name: String,
    /// The suggested binding.
    pub binding: Binding,
}

impl Placeholder {
    /// The world value suggested for it, if the world has that fact.
    pub fn suggestion(&self, world: &WorldFacts) -> Option<String> {
        self.binding
            .fact
            .and_then(|fact| world.get(fact))
            .map(str::to_owned)
    }
}

/// Literal names that AWS samples use as stand-ins (matched as whole words).
const DOC_NAMES: &[&str] = &[
    "my_bucket",
    "my-bucket",
    "my_domain",
    "my-domain",
    "my_role",
    "my-role",
    "123456789012",
    "012345678901",
];

/// Finds every placeholder in `text`, in order.
pub fn detect(text: &str) -> Vec<Placeholder> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hit = match b {
            b'<' => delimited(text, i, b'>'),
            // `${...}` is a policy variable and `{{...}}` a template slot
            b'{' if i.checked_sub(1).and_then(|p| bytes.get(p)) != Some(&b'$')
                && i.checked_sub(1).and_then(|p| bytes.get(p)) != Some(&b'{')
                && bytes.get(i + 1) != Some(&b'{') =>
            {
                delimited(text, i, b'}')
            }
            _ => doc_name(text, i),
        };
        match hit {
            Some(end) => {
                let raw = text.get(i..end).unwrap_or_default();
                let name = raw
                    .trim_matches(|c| matches!(c, '<' | '>' | '{' | '}'))
                    .trim();
                found.push(Placeholder {
                    span: Span::new(i, end),
                    text: raw.to_owned(),
                    name: name.to_owned(),
                    binding: binding_for(name, text.get(..i).unwrap_or_default()),
                });
                i = end;
            }
            None => {
                i += text
                    .get(i..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8)
            }
        }
    }
    found
}

/// The longest placeholder name, in bytes.
const MAX_NAME: usize = 60;

/// `<name>` or `{name}`: a letter first, then letters, digits, spaces, `_`, `-`, `.`;
/// at most 60 characters, on one line. Returns the end offset.
fn delimited(text: &str, start: usize, close: u8) -> Option<usize> {
    let rest = text.get(start + 1..)?;
    // names are short: looking further would make long pastes quadratic
    let window = rest.as_bytes().get(..rest.len().min(MAX_NAME + 1))?;
    let end = window.iter().position(|b| *b == close)?;
    let inner = rest.get(..end)?;
    let mut chars = inner.chars();
    let first = chars.next()?;
    let ok = first.is_ascii_alphabetic()
        && inner.len() <= MAX_NAME
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'));
    ok.then_some(start + 1 + end + 1)
}

/// A literal doc name starting at `start`, on word boundaries. Returns the end offset.
fn doc_name(text: &str, start: usize) -> Option<usize> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let bytes = text.as_bytes();
    if start > 0 && bytes.get(start - 1).is_some_and(|b| is_word(*b)) {
        return None;
    }
    let rest = text.get(start..)?;
    DOC_NAMES.iter().find_map(|name| {
        let end = start + name.len();
        (rest.starts_with(name) && !bytes.get(end).is_some_and(|b| is_word(*b))).then_some(end)
    })
}

/// Guesses the binding from the placeholder's name, and for `<value>` from the CLI flag
/// before it (`--domain-id <value>`).
fn binding_for(name: &str, before: &str) -> Binding {
    let key: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let flag = before.trim_end().rsplit(' ').next().unwrap_or_default();
    let make = |slot: &str, kind, fact| Binding {
        slot: slot.to_owned(),
        kind,
        fact,
    };
    if key.chars().all(|c| c.is_ascii_digit()) {
        return make("account_id", SlotKind::AccountId, Some(world::ACCOUNT_ID));
    }
    if key.contains("account") {
        make("account_id", SlotKind::AccountId, Some(world::ACCOUNT_ID))
    } else if key.contains("region") || flag == "--region" {
        make("region", SlotKind::Region, Some(world::REGION))
    } else if key.contains("partition") {
        make("partition", SlotKind::Partition, Some(world::PARTITION))
    } else if key.contains("domainid") || (key == "value" && flag == "--domain-id") {
        make("domain_id", SlotKind::DomainId, Some(world::DOMAIN_ID))
    } else if key == "mydomain" || key == "domain" {
        make("domain_prefix", SlotKind::Text, Some(world::DOMAIN_ID))
    } else if key.contains("bucket") {
        make("bucket", SlotKind::Bucket, Some(world::BUCKET))
    } else if key.contains("role") {
        make("role_name", SlotKind::RoleName, Some(world::ROLE_NAME))
    } else if key.contains("team") {
        make("team", SlotKind::Team, Some(world::TEAM))
    } else if key.contains("profile") || key.contains("user") {
        make(
            "user_profile",
            SlotKind::UserProfile,
            Some(world::USER_PROFILE),
        )
    } else if key.contains("identityprovider") || key == "idp" {
        make("identity_provider", SlotKind::Text, None)
    } else {
        let slot: String = name
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        make(&slot, SlotKind::Text, None)
    }
}

/// One warning per placeholder, for the editor and the linter (`doc-placeholder`).
pub fn diagnostics(text: &str, world: &WorldFacts) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    detect(text)
        .into_iter()
        .take(crate::render::MAX_DIAGNOSTICS)
        .map(|p| {
            let help = match p.suggestion(world) {
                Some(value) => format!(
                    "replace it with a real {} such as `{value}` from the world",
                    p.binding.kind
                ),
                None => format!("replace it with a real {}", p.binding.kind),
            };
            Diagnostic::new(
                &index,
                Severity::Warning,
                Code::DocPlaceholder,
                p.span,
                format!("`{}` looks like a documentation placeholder", p.text),
                help,
            )
        })
        .collect()
}

/// Replaces every placeholder: an override keyed by its slot name (or by its name as
/// written) wins, else the world's suggestion. Values are validated by the binding's kind.
/// Placeholders left without a value are errors (`unbound-placeholder`).
pub fn bind(
    text: &str,
    world: &WorldFacts,
    overrides: &Overrides,
) -> Result<String, Vec<Diagnostic>> {
    let index = LineIndex::new(text);
    let mut out = String::with_capacity(text.len());
    let mut errors = Vec::new();
    let mut last = 0;
    for p in detect(text) {
        out.push_str(text.get(last..p.span.start).unwrap_or_default());
        last = p.span.end;
        let value = overrides
            .get(&p.binding.slot)
            .or_else(|| overrides.get(&p.name))
            .cloned()
            .or_else(|| p.suggestion(world));
        match value {
            Some(value) => match p.binding.kind.validate(&value) {
                Ok(()) => out.push_str(&value),
                Err(_) if errors.len() >= crate::render::MAX_DIAGNOSTICS => {}
                Err(reason) => errors.push(Diagnostic::new(
                    &index,
                    Severity::Error,
                    Code::TemplateInvalidValue,
                    p.span,
                    format!("{reason} for placeholder `{}`", p.text),
                    format!("expected {}", p.binding.kind.expectation()),
                )),
            },
            None if errors.len() >= crate::render::MAX_DIAGNOSTICS => {}
            None => errors.push(Diagnostic::new(
                &index,
                Severity::Error,
                Code::UnboundPlaceholder,
                p.span,
                format!("placeholder `{}` has no value", p.text),
                format!("set it with `--set {}=VALUE`", p.binding.slot),
            )),
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Turns a pasted text into a template: each placeholder becomes a `{{slot}}` marker (the
/// same placeholder name twice becomes the same slot), so the template form and
/// [`crate::render::render_text`] can fill it. Returns the template text and its slots.
pub fn to_template(text: &str) -> (String, Vec<Slot>) {
    let mut out = String::with_capacity(text.len());
    let mut slots: Vec<Slot> = Vec::new();
    let mut last = 0;
    for p in detect(text) {
        out.push_str(text.get(last..p.span.start).unwrap_or_default());
        last = p.span.end;
        out.push_str("{{");
        out.push_str(&p.binding.slot);
        out.push_str("}}");
        if !slots.iter().any(|s| s.name == p.binding.slot) {
            slots.push(Slot {
                name: p.binding.slot.clone(),
                kind: p.binding.kind,
                description: format!("replaces `{}` from the pasted text", p.text),
                world: p.binding.fact.map(str::to_owned),
                default: None,
            });
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
    (out, slots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_angle_brace_and_literal_placeholders_but_not_variables() {
        let text = r#"{"Resource": "arn:aws:sagemaker:{region}:<account_number>:user-profile/<domain_id>/${aws:SourceIdentity}", "B": "arn:aws:s3:::my_bucket/{{slot}}"}"#;
        let found = detect(text);
        let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["region", "account_number", "domain_id", "my_bucket"]
        );
        let slots: Vec<&str> = found.iter().map(|p| p.binding.slot.as_str()).collect();
        assert_eq!(slots, ["region", "account_id", "domain_id", "bucket"]);
        assert_eq!(&text[found[0].span.start..found[0].span.end], "{region}");
    }

    /// Random texts from a small alphabet of delimiters and multi-byte characters never
    /// make detection, binding or slot scanning panic.
    #[test]
    fn random_texts_never_panic() {
        let alphabet: Vec<char> = "<>{}${}\n a_1-.\u{a0}\u{201d}\u{1F600}my_bucket"
            .chars()
            .collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let world = WorldFacts::example();
        for _ in 0..2000 {
            let len = (state % 40) as usize;
            let text: String = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    alphabet[(state % alphabet.len() as u64) as usize]
                })
                .collect();
            for p in detect(&text) {
                assert!(text.get(p.span.start..p.span.end).is_some(), "{text:?}");
            }
            let _ = bind(&text, &world, &Overrides::new());
            let _ = diagnostics(&text, &world);
            let _ = crate::render::scan_slots(&text);
        }
    }

    #[test]
    fn long_pastes_stay_linear() {
        let text = "<".repeat(200_000) + &"{".repeat(200_000);
        assert!(detect(&text).is_empty());
    }

    #[test]
    fn json_objects_are_not_placeholders() {
        assert!(detect(r#"{"Version": "2012-10-17", "Statement": []}"#).is_empty());
        assert!(detect("{\n\"a\": 1}").is_empty());
    }

    #[test]
    fn cli_value_after_domain_id_flag_is_a_domain_id() {
        let found = detect("aws sagemaker update-domain --domain-id <value> --region <region>");
        assert_eq!(found[0].binding.kind, SlotKind::DomainId);
        assert_eq!(found[1].binding.kind, SlotKind::Region);
    }

    #[test]
    fn seed_003_placeholders_get_bindings() {
        let found = detect("arn:aws:iam::<account id>:saml-provider/<identity provider> <Team Role Name> <S3 BucketName> <unique profile name>");
        let kinds: Vec<SlotKind> = found.iter().map(|p| p.binding.kind).collect();
        assert_eq!(
            kinds,
            [
                SlotKind::AccountId,
                SlotKind::Text,
                SlotKind::RoleName,
                SlotKind::Bucket,
                SlotKind::UserProfile
            ]
        );
    }

    #[test]
    fn bind_replaces_with_world_values_and_reports_the_rest() {
        let world = WorldFacts::example();
        let text = r#""arn:aws:secretsmanager:<region>:<account_number>:secret:x""#;
        assert_eq!(
            bind(text, &world, &Overrides::new()).unwrap(),
            r#""arn:aws:secretsmanager:us-east-1:111122223333:secret:x""#
        );
        let errs = bind("<identity provider>", &world, &Overrides::new()).unwrap_err();
        assert_eq!(errs[0].code, "unbound-placeholder");
        let overrides = Overrides::from([("identity_provider".to_owned(), "Okta".to_owned())]);
        assert_eq!(
            bind("<identity provider>", &world, &overrides).unwrap(),
            "Okta"
        );
        let overrides = Overrides::from([("region".to_owned(), "mars".to_owned())]);
        assert_eq!(
            bind("<region>", &world, &overrides).unwrap_err()[0].code,
            "template-invalid-value"
        );
    }

    #[test]
    fn pasted_text_becomes_a_template() {
        let text = r#"{"R": "arn:aws:sagemaker:{region}:{account_number}:x/<region>/<identity provider>"}"#;
        let (template, slots) = to_template(text);
        assert_eq!(
            template,
            r#"{"R": "arn:aws:sagemaker:{{region}}:{{account_id}}:x/{{region}}/{{identity_provider}}"}"#
        );
        let names: Vec<&str> = slots.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["region", "account_id", "identity_provider"]);
        let specs: Vec<&dyn crate::render::SlotSpec> = slots
            .iter()
            .map(|s| s as &dyn crate::render::SlotSpec)
            .collect();
        let overrides = Overrides::from([("identity_provider".to_owned(), "Okta".to_owned())]);
        let rendered =
            crate::render::render_text(&template, &specs, &WorldFacts::example(), &overrides)
                .unwrap();
        assert!(rendered
            .text
            .contains("arn:aws:sagemaker:us-east-1:111122223333:x/us-east-1/Okta"));
    }

    #[test]
    fn diagnostics_point_at_each_placeholder() {
        let d = diagnostics("x\n  <region>", &WorldFacts::example());
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].start.line, d[0].start.column), (2, 3));
        assert!(d[0].help.contains("`us-east-1`"));
    }
}
