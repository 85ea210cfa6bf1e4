//! The template engine: finds `{{slot}}` markers in policy text and fills them.
//!
//! Slot markers use double braces so they never collide with IAM policy variables
//! (`${aws:username}`), which pass through untouched, nor with JSON objects.

use std::collections::BTreeMap;

use abacus_policy::codes::Code;
use abacus_policy::{Diagnostic, LineIndex, Severity, Span};
use serde::Serialize;

use crate::slot::SlotKind;
use crate::world::WorldFacts;

/// User-supplied slot values, by slot name.
pub type Overrides = BTreeMap<String, String>;

/// One `{{name}}` marker in a template text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlotRef {
    /// The slot's name (trimmed).
    pub name: String,
    /// The whole marker, braces included.
    pub span: Span,
}

/// Where a rendered slot value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueSource {
    /// `--set name=value` or the web form.
    Override,
    /// A fact of the scenario's world.
    World,
    /// The slot's own fallback in the library data.
    Default,
}

/// A filled-in value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BoundValue {
    /// The value as inserted (before JSON escaping).
    pub value: String,
    /// Where it came from.
    pub source: ValueSource,
}

/// The result of rendering a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// The policy text with every slot filled.
    pub text: String,
    /// The value each slot received.
    pub values: BTreeMap<String, BoundValue>,
}

/// What the engine needs to know about a declared slot.
pub trait SlotSpec {
    /// The slot's name as written between the braces.
    fn name(&self) -> &str;
    /// Its type.
    fn kind(&self) -> SlotKind;
    /// The world fact that fills it by default.
    fn world_fact(&self) -> Option<&str>;
    /// A fallback when the world lacks that fact.
    fn fallback(&self) -> Option<&str>;
}

/// At most this many diagnostics per kind of problem: each resolves a line/column, and a
/// pathological text must not make that quadratic.
pub(crate) const MAX_DIAGNOSTICS: usize = 100;

/// The longest `{{...}}` marker content searched for its closing braces, in bytes.
const MAX_MARKER: usize = 66;

/// Finds every `{{name}}` marker. An opening `{{` with no closing `}}` on the same line is
/// reported as `template-unclosed-slot`.
pub fn scan_slots(text: &str) -> (Vec<SlotRef>, Vec<Diagnostic>) {
    let index = LineIndex::new(text);
    let mut refs = Vec::new();
    let mut diagnostics = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("{{")) {
        let start = from + found;
        let after = start + 2;
        // slot names are short: a bounded window keeps long texts linear
        let window_end = (after + MAX_MARKER).min(text.len());
        let line_end = text
            .as_bytes()
            .get(after..window_end)
            .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
            .map_or(window_end, |n| after + n);
        let window = text.as_bytes().get(after..line_end).unwrap_or_default();
        match window.windows(2).position(|w| w == b"}}") {
            Some(close) => {
                let end = after + close + 2;
                let name = text
                    .get(after..after + close)
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                refs.push(SlotRef {
                    name,
                    span: Span::new(start, end),
                });
                from = end;
            }
            None if diagnostics.len() >= MAX_DIAGNOSTICS => from = after,
            None => {
                diagnostics.push(Diagnostic::new(
                    &index,
                    Severity::Error,
                    Code::TemplateUnclosedSlot,
                    Span::new(start, after),
                    "slot marker `{{` is never closed",
                    "write slots as `{{name}}` on one line, with a name of at most 64 characters",
                ));
                from = after;
            }
        }
    }
    (refs, diagnostics)
}

/// Chooses each slot's value: the override, else the world fact, else the fallback.
fn choose(slot: &dyn SlotSpec, world: &WorldFacts, overrides: &Overrides) -> Option<BoundValue> {
    if let Some(value) = overrides.get(slot.name()) {
        return Some(BoundValue {
            value: value.clone(),
            source: ValueSource::Override,
        });
    }
    if let Some(value) = slot.world_fact().and_then(|fact| world.get(fact)) {
        return Some(BoundValue {
            value: value.to_owned(),
            source: ValueSource::World,
        });
    }
    slot.fallback().map(|value| BoundValue {
        value: value.to_owned(),
        source: ValueSource::Default,
    })
}

/// Escapes a value for the inside of a JSON string.
fn json_escape(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    quoted
        .get(1..quoted.len().saturating_sub(1))
        .unwrap_or_default()
        .to_owned()
}

/// Fills every slot of `text`. Errors carry spans into `text` (the template).
pub fn render_text(
    text: &str,
    slots: &[&dyn SlotSpec],
    world: &WorldFacts,
    overrides: &Overrides,
) -> Result<Rendered, Vec<Diagnostic>> {
    let index = LineIndex::new(text);
    let (refs, mut diagnostics) = scan_slots(text);
    // built by insertion: `collect` would add a sort to the bundle
    let mut declared: BTreeMap<&str, &dyn SlotSpec> = BTreeMap::new();
    declared.extend(slots.iter().map(|s| (s.name(), *s)));

    for name in overrides.keys() {
        if !declared.contains_key(name.as_str()) {
            let known: Vec<&str> = declared.keys().copied().collect();
            diagnostics.push(Diagnostic::new(
                &index,
                Severity::Error,
                Code::TemplateUnknownOverride,
                Span::new(0, 0),
                format!("this template has no slot `{name}`"),
                format!("its slots are: {}", known.join(", ")),
            ));
        }
    }

    let mut values = BTreeMap::new();
    for slot in slots {
        let Some(bound) = choose(*slot, world, overrides) else {
            continue;
        };
        if let Err(reason) = slot.kind().validate(&bound.value) {
            for r in refs
                .iter()
                .filter(|r| r.name == slot.name())
                .take(MAX_DIAGNOSTICS)
            {
                diagnostics.push(Diagnostic::new(
                    &index,
                    Severity::Error,
                    Code::TemplateInvalidValue,
                    r.span,
                    format!("{reason} for slot `{}`", slot.name()),
                    format!("expected {}", slot.kind().expectation()),
                ));
            }
            continue;
        }
        values.insert(slot.name().to_owned(), bound);
    }

    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in &refs {
        out.push_str(text.get(last..r.span.start).unwrap_or_default());
        last = r.span.end;
        if let Some(bound) = values.get(&r.name) {
            out.push_str(&json_escape(&bound.value));
            continue;
        }
        if diagnostics.len() >= MAX_DIAGNOSTICS {
            continue;
        }
        match declared.get(r.name.as_str()) {
            None => diagnostics.push(Diagnostic::new(
                &index,
                Severity::Error,
                Code::TemplateUnknownSlot,
                r.span,
                format!("slot `{}` is not declared by this template", r.name),
                "declare it in the template's `slots` or fix the name",
            )),
            Some(slot) if choose(*slot, world, overrides).is_none() => {
                diagnostics.push(Diagnostic::new(
                    &index,
                    Severity::Error,
                    Code::TemplateUnfilledSlot,
                    r.span,
                    format!("slot `{}` has no value", r.name),
                    format!(
                        "set it with `--set {}=VALUE` ({})",
                        r.name,
                        slot.kind().expectation()
                    ),
                ));
            }
            // invalid values were reported above
            Some(_) => {}
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());

    if diagnostics.is_empty() {
        Ok(Rendered { text: out, values })
    } else {
        abacus_policy::order::sort_by(&mut diagnostics, |a, b| {
            (a.span.start, &a.code).cmp(&(b.span.start, &b.code))
        });
        Err(diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TestSlot(
        &'static str,
        SlotKind,
        Option<&'static str>,
        Option<&'static str>,
    );
    impl SlotSpec for TestSlot {
        fn name(&self) -> &str {
            self.0
        }
        fn kind(&self) -> SlotKind {
            self.1
        }
        fn world_fact(&self) -> Option<&str> {
            self.2
        }
        fn fallback(&self) -> Option<&str> {
            self.3
        }
    }

    const TEXT: &str =
        r#"{"Resource": "arn:aws:s3:::{{bucket}}/${aws:SourceIdentity}/*", "Sid": "{{ note }}"}"#;

    #[test]
    fn fills_from_world_and_overrides_and_keeps_policy_variables() {
        let bucket = TestSlot("bucket", SlotKind::Bucket, Some("bucket"), None);
        let note = TestSlot("note", SlotKind::Text, None, Some("a \"quoted\" note"));
        let out = render_text(
            TEXT,
            &[&bucket, &note],
            &WorldFacts::example(),
            &Overrides::new(),
        )
        .unwrap();
        assert_eq!(
            out.text,
            r#"{"Resource": "arn:aws:s3:::abacus-ml-data/${aws:SourceIdentity}/*", "Sid": "a \"quoted\" note"}"#
        );
        assert_eq!(out.values["bucket"].source, ValueSource::World);
        let overrides = Overrides::from([("bucket".to_owned(), "other-bucket".to_owned())]);
        let out = render_text(TEXT, &[&bucket, &note], &WorldFacts::example(), &overrides).unwrap();
        assert!(out.text.contains("arn:aws:s3:::other-bucket/"));
        assert_eq!(out.values["bucket"].source, ValueSource::Override);
    }

    #[test]
    fn reports_unfilled_unknown_and_invalid_slots_with_spans() {
        let bucket = TestSlot("bucket", SlotKind::Bucket, Some("bucket"), None);
        let errs =
            render_text(TEXT, &[&bucket], &WorldFacts::empty(), &Overrides::new()).unwrap_err();
        let codes: Vec<&str> = errs.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["template-unfilled-slot", "template-unknown-slot"]);
        let first = &errs[0];
        assert_eq!(&TEXT[first.span.start..first.span.end], "{{bucket}}");
        assert_eq!((first.start.line, first.start.column), (1, 28));

        let overrides = Overrides::from([("bucket".to_owned(), "my_bucket".to_owned())]);
        let errs = render_text(TEXT, &[&bucket], &WorldFacts::empty(), &overrides).unwrap_err();
        assert_eq!(errs[0].code, "template-invalid-value");
        assert!(
            errs[0].message.contains("`my_bucket`"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn long_texts_stay_linear() {
        let text = "{{".repeat(100_000);
        let (refs, diagnostics) = scan_slots(&text);
        assert!(refs.is_empty());
        assert_eq!(diagnostics.len(), MAX_DIAGNOSTICS);
    }

    #[test]
    fn unknown_overrides_and_unclosed_markers_are_errors() {
        let errs = render_text(
            "{{oops",
            &[],
            &WorldFacts::empty(),
            &Overrides::from([("x".into(), "1".into())]),
        )
        .unwrap_err();
        let codes: Vec<&str> = errs.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["template-unclosed-slot", "template-unknown-override"]
        );
    }
}
