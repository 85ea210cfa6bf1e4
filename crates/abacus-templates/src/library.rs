//! The template library: every seed sample as a template with typed slots, its title,
//! description and seed section, plus the personas of seed 002 as role bundles.
//!
//! The data lives in `library/` (catalog.json, personas.json, templates/*.json,
//! seed-originals/*.txt) and is embedded at compile time.

use std::collections::BTreeMap;

use abacus_policy::Diagnostic;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::render::{render_text, Overrides, Rendered, SlotSpec};
pub use crate::slot::SlotKind;
use crate::world::WorldFacts;

/// Embeds each template text by id.
macro_rules! template_texts {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_str!(concat!("../library/templates/", $id, ".json")))),*]
    };
}

/// (id, text) of every template file.
const TEMPLATE_TEXTS: &[(&str, &str)] = template_texts![
    "trust-sagemaker-source-identity",
    "addtags-on-create",
    "training-job-by-context-keys",
    "training-job-by-source-identity",
    "s3-prefix-per-user",
    "s3-bucket-policy-deny-unless-user",
    "secrets-per-user",
    "emr-cluster-by-tag",
    "fsx-directory-per-user",
    "create-user-profile-requires-tag",
    "presigned-url-iam-user",
    "presigned-url-federation",
    "trust-saml-tagsession",
    "team-policy-1-read-only",
    "team-policy-2-supporting-services",
    "team-policy-3-developer",
    "team-policy-3-developer-hardened",
    "deny-retag-ownership-tags",
    "trust-identity-propagation",
    "persona-data-scientist",
    "persona-data-engineer",
    "persona-mlops-engineer",
    "trust-service-role",
    "job-role-s3-bucket-access",
];

const CATALOG: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));
const PERSONAS: &str = include_str!(concat!(env!("OUT_DIR"), "/personas.json"));

/// Where a template comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The seed number, e.g. `001`.
    pub seed: String,
    /// The section heading in that seed.
    pub section: String,
}

/// Which kind of policy a template is, i.e. where it is attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyUse {
    /// An identity-based policy (user, role, permission set).
    Identity,
    /// A role trust policy.
    Trust,
    /// A resource-based policy such as a bucket policy.
    Resource,
}

/// A typed hole in a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// The name written between `{{` and `}}`.
    pub name: String,
    /// Its type; values are validated against it.
    pub kind: SlotKind,
    /// What it means, for the form and `render --list`.
    pub description: String,
    /// The world fact that fills it by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub world: Option<String>,
    /// A fallback when the world has no such fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

impl SlotSpec for Slot {
    fn name(&self) -> &str {
        &self.name
    }
    fn kind(&self) -> SlotKind {
        self.kind
    }
    fn world_fact(&self) -> Option<&str> {
        self.world.as_deref()
    }
    fn fallback(&self) -> Option<&str> {
        self.default.as_deref()
    }
}

impl Slot {
    /// The value this slot takes in `world` when nothing overrides it.
    pub fn default_in(&self, world: &WorldFacts) -> Option<String> {
        self.world
            .as_deref()
            .and_then(|fact| world.get(fact))
            .or(self.default.as_deref())
            .map(str::to_owned)
    }
}

/// A policy template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Template {
    /// Stable id, e.g. `s3-prefix-per-user`.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// What it does and why.
    pub description: String,
    /// Where it is attached.
    pub kind: PolicyUse,
    /// The seed and section it comes from.
    pub source: SourceRef,
    /// Its slots, in form order.
    pub slots: Vec<Slot>,
    /// The policy text with `{{slot}}` markers.
    pub text: String,
    /// Setup commands (CLI) that go with it, with `{{slot}}` markers.
    pub setup: Vec<String>,
    /// The id of the seed original this template corrects, if the seed printed it malformed.
    pub original: Option<String>,
}

impl Template {
    /// Renders the policy text: each slot takes its override, else its world fact, else its
    /// fallback; every value is validated by its kind. Errors point into [`Template::text`].
    pub fn render(
        &self,
        world: &WorldFacts,
        overrides: &Overrides,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let specs: Vec<&dyn SlotSpec> = self.slots.iter().map(|s| s as &dyn SlotSpec).collect();
        render_text(&self.text, &specs, world, overrides)
    }

    /// Renders the setup commands with the same values (overrides for slots the commands do
    /// not use are fine).
    pub fn render_setup(
        &self,
        world: &WorldFacts,
        overrides: &Overrides,
    ) -> Result<Vec<String>, Vec<Diagnostic>> {
        let specs: Vec<&dyn SlotSpec> = self.slots.iter().map(|s| s as &dyn SlotSpec).collect();
        self.setup
            .iter()
            .map(|command| render_text(command, &specs, world, overrides).map(|r| r.text))
            .collect()
    }

    /// The slot called `name`.
    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }
}

/// A persona of seed 002 (or 003) as a role bundle: a trust policy and identity policies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persona {
    /// Stable id, e.g. `data-scientist`.
    pub id: String,
    /// Display title.
    pub title: String,
    /// What the persona does.
    pub description: String,
    /// `user` (a person's role) or `service` (a role a service assumes).
    pub category: String,
    /// The seed and section it comes from.
    pub source: SourceRef,
    /// The template id of its trust policy, if it is a role.
    #[serde(default)]
    pub trust: Option<String>,
    /// The template ids of its identity policies.
    pub policies: Vec<String>,
}

/// A rendered persona bundle: (template id, rendered policy) pairs.
pub type RenderedBundle = Vec<(String, Rendered)>;

/// Render errors of a persona bundle, per template id.
pub type BundleErrors = Vec<(String, Vec<Diagnostic>)>;

/// The whole library.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Library {
    /// Every template, in catalog order.
    pub templates: Vec<Template>,
    /// Every persona bundle.
    pub personas: Vec<Persona>,
    /// Problems loading the embedded data (empty in a correct build; tests check it).
    pub load_errors: Vec<String>,
}

/// A slot entry in the catalog: a common slot's name or a full definition.
enum SlotEntry {
    Common(String),
    Full(Slot),
}

// The catalog and the personas are read from `serde_json::Value` by the small readers
// below rather than by derived `Deserialize` impls: the app parses values anyway, and
// derived visitors for these one-off file shapes cost the web bundle several KiB. Unknown
// members are ignored, as a derive without `deny_unknown_fields` would; a wrong shape is a
// load error naming the place.

/// The string member `key` of `v`.
pub(crate) fn text(v: &Value, key: &str, at: &str) -> Result<String, String> {
    match v.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("{at}: `{key}` must be a string")),
        None => Err(format!("{at}: missing `{key}`")),
    }
}

/// The optional string member `key` of `v` (absent or `null` is `None`).
pub(crate) fn optional_text(v: &Value, key: &str, at: &str) -> Result<Option<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{at}: `{key}` must be a string")),
    }
}

/// The array member `key` of `v` (absent is empty).
fn items<'v>(v: &'v Value, key: &str, at: &str) -> Result<&'v [Value], String> {
    match v.get(key) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("{at}: `{key}` must be an array")),
    }
}

/// The string-array member `key` of `v` (absent is empty).
fn texts(v: &Value, key: &str, at: &str) -> Result<Vec<String>, String> {
    items(v, key, at)?
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{at}: `{key}` must hold strings"))
        })
        .collect()
}

fn source_ref(v: &Value, at: &str) -> Result<SourceRef, String> {
    let source = v
        .get("source")
        .ok_or_else(|| format!("{at}: missing `source`"))?;
    let at = format!("{at}.source");
    Ok(SourceRef {
        seed: text(source, "seed", &at)?,
        section: text(source, "section", &at)?,
    })
}

fn slot_kind(v: &Value, at: &str) -> Result<SlotKind, String> {
    let name = text(v, "kind", at)?;
    SlotKind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| format!("{at}: unknown slot kind `{name}`"))
}

fn policy_use(v: &Value, at: &str) -> Result<PolicyUse, String> {
    match text(v, "kind", at)?.as_str() {
        "identity" => Ok(PolicyUse::Identity),
        "trust" => Ok(PolicyUse::Trust),
        "resource" => Ok(PolicyUse::Resource),
        other => Err(format!("{at}: unknown policy kind `{other}`")),
    }
}

/// A slot definition: `{name, kind, description, world?, default?}`, `name` given apart
/// for common slots (their name is the map key).
fn slot(v: &Value, name: String, at: &str) -> Result<Slot, String> {
    Ok(Slot {
        name,
        kind: slot_kind(v, at)?,
        description: text(v, "description", at)?,
        world: optional_text(v, "world", at)?,
        default: optional_text(v, "default", at)?,
    })
}

fn slot_entry(v: &Value, at: &str) -> Result<SlotEntry, String> {
    match v {
        Value::String(name) => Ok(SlotEntry::Common(name.clone())),
        Value::Object(_) => Ok(SlotEntry::Full(slot(v, text(v, "name", at)?, at)?)),
        _ => Err(format!(
            "{at}: expected a common slot's name or a slot definition"
        )),
    }
}

/// One catalog template, before its common slots are resolved and its text attached.
struct CatalogEntry {
    id: String,
    title: String,
    description: String,
    kind: PolicyUse,
    source: SourceRef,
    slots: Vec<SlotEntry>,
    setup: Vec<String>,
    original: Option<String>,
}

fn catalog_entry(v: &Value, at: &str) -> Result<CatalogEntry, String> {
    Ok(CatalogEntry {
        id: text(v, "id", at)?,
        title: text(v, "title", at)?,
        description: text(v, "description", at)?,
        kind: policy_use(v, at)?,
        source: source_ref(v, at)?,
        slots: items(v, "slots", at)?
            .iter()
            .enumerate()
            .map(|(i, s)| slot_entry(s, &format!("{at}.slots[{i}]")))
            .collect::<Result<_, _>>()?,
        setup: texts(v, "setup", at)?,
        original: optional_text(v, "original", at)?,
    })
}

/// The catalog: common slots by name, and the templates in order.
fn catalog(text: &str) -> Result<(BTreeMap<String, Slot>, Vec<CatalogEntry>), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut common = BTreeMap::new();
    match v.get("common_slots") {
        Some(Value::Object(map)) => {
            for (name, def) in map {
                let at = format!("common_slots.{name}");
                common.insert(name.clone(), slot(def, name.clone(), &at)?);
            }
        }
        _ => return Err("`common_slots` must be an object".to_owned()),
    }
    let templates = items(&v, "templates", "catalog")?
        .iter()
        .enumerate()
        .map(|(i, t)| catalog_entry(t, &format!("templates[{i}]")))
        .collect::<Result<_, _>>()?;
    Ok((common, templates))
}

fn persona(v: &Value, at: &str) -> Result<Persona, String> {
    Ok(Persona {
        id: text(v, "id", at)?,
        title: text(v, "title", at)?,
        description: text(v, "description", at)?,
        category: text(v, "category", at)?,
        source: source_ref(v, at)?,
        trust: optional_text(v, "trust", at)?,
        policies: match v.get("policies") {
            Some(_) => texts(v, "policies", at)?,
            None => return Err(format!("{at}: missing `policies`")),
        },
    })
}

fn personas(text: &str) -> Result<Vec<Persona>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match v.get("personas") {
        Some(_) => items(&v, "personas", "personas.json")?
            .iter()
            .enumerate()
            .map(|(i, p)| persona(p, &format!("personas[{i}]")))
            .collect(),
        None => Err("missing `personas`".to_owned()),
    }
}

impl Library {
    /// The embedded library.
    pub fn builtin() -> Library {
        Library::from_texts(CATALOG, PERSONAS, TEMPLATE_TEXTS)
    }

    /// (catalog, personas, (id, text) of every template): the texts [`Library::builtin`]
    /// reads, for the web app's gallery bundle (see [`crate::bundle`]).
    pub fn builtin_texts() -> (
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    ) {
        (CATALOG, PERSONAS, TEMPLATE_TEXTS)
    }

    /// The library read from its files' texts: `catalog.json`, `personas.json` and each
    /// template file by id. Problems are collected in `load_errors`, each naming its place.
    pub fn from_texts<S: AsRef<str>>(
        catalog_text: &str,
        personas_text: &str,
        templates: &[(S, S)],
    ) -> Library {
        let mut library = Library::default();
        let (common_slots, entries) = match catalog(catalog_text) {
            Ok(c) => c,
            Err(e) => {
                library
                    .load_errors
                    .push(format!("library/catalog.json: {e}"));
                return library;
            }
        };
        for entry in entries {
            let Some(text) = templates
                .iter()
                .find(|(id, _)| id.as_ref() == entry.id)
                .map(|(_, text)| text.as_ref().to_owned())
            else {
                library
                    .load_errors
                    .push(format!("template `{}` has no text file", entry.id));
                continue;
            };
            let mut slots = Vec::new();
            for slot in entry.slots {
                match slot {
                    SlotEntry::Full(slot) => slots.push(slot),
                    SlotEntry::Common(name) => match common_slots.get(&name) {
                        Some(common) => slots.push(common.clone()),
                        None => library.load_errors.push(format!(
                            "template `{}` names unknown common slot `{name}`",
                            entry.id
                        )),
                    },
                }
            }
            library.templates.push(Template {
                id: entry.id,
                title: entry.title,
                description: entry.description,
                kind: entry.kind,
                source: entry.source,
                slots,
                text,
                setup: entry.setup,
                original: entry.original,
            });
        }
        for (id, _) in templates {
            let id = id.as_ref();
            if library.get(id).is_none() {
                library
                    .load_errors
                    .push(format!("template file `{id}` is not in the catalog"));
            }
        }
        match personas(personas_text) {
            Ok(personas) => library.personas = personas,
            Err(e) => library
                .load_errors
                .push(format!("library/personas.json: {e}")),
        }
        library
    }

    /// The template with this id.
    pub fn get(&self, id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }

    /// The persona with this id.
    pub fn persona(&self, id: &str) -> Option<&Persona> {
        self.personas.iter().find(|p| p.id == id)
    }

    /// Renders a persona's bundle: its trust policy (if any) first, then its identity
    /// policies, each as (template id, rendered text). Overrides for slots a template
    /// lacks are ignored for that template; errors are collected per template.
    pub fn render_persona(
        &self,
        persona: &Persona,
        world: &WorldFacts,
        overrides: &Overrides,
    ) -> Result<RenderedBundle, BundleErrors> {
        let mut rendered = Vec::new();
        let mut errors = Vec::new();
        for id in persona.trust.iter().chain(&persona.policies) {
            let Some(template) = self.get(id) else {
                errors.push((id.clone(), Vec::new()));
                continue;
            };
            let own: Overrides = overrides
                .iter()
                .filter(|(name, _)| template.slot(name).is_some())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            match template.render(world, &own) {
                Ok(r) => rendered.push((id.clone(), r)),
                Err(e) => errors.push((id.clone(), e)),
            }
        }
        if errors.is_empty() {
            Ok(rendered)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::scan_slots;

    #[test]
    fn slot_entries_are_a_name_or_a_definition() {
        let entry = |json: &str| slot_entry(&serde_json::from_str(json).unwrap(), "slots[0]");
        assert!(matches!(entry(r#""region""#), Ok(SlotEntry::Common(n)) if n == "region"));
        assert!(matches!(
            entry(r#"{"name": "team", "kind": "team", "description": "the team"}"#),
            Ok(SlotEntry::Full(s)) if s.name == "team"
        ));
        let err = entry("[1]").err().unwrap();
        assert!(
            err.contains("a common slot's name or a slot definition"),
            "{err}"
        );
        let err = entry(r#"{"name": "x"}"#).err().unwrap();
        assert!(err.contains("missing `kind`"), "{err}");
    }

    #[test]
    fn data_readers_name_the_place_of_a_wrong_shape() {
        assert_eq!(
            catalog(r#"{"templates": []}"#).err(),
            Some("`common_slots` must be an object".to_owned())
        );
        let bad_slot = r#"{"common_slots": {}, "templates": [{"id": "t", "title": "T",
            "description": "d", "kind": "identity", "source": {"seed": "001", "section": "s"},
            "slots": ["region", 7]}]}"#;
        assert_eq!(
            catalog(bad_slot).err(),
            Some(
                "templates[0].slots[1]: expected a common slot's name or a slot definition"
                    .to_owned()
            )
        );
        let (_, entries) = catalog(&bad_slot.replace(", 7", "")).unwrap();
        assert_eq!(entries.len(), 1);
        assert!(entries[0].setup.is_empty() && entries[0].original.is_none());
        assert_eq!(
            catalog(&bad_slot.replace("identity", "group")).err(),
            Some("templates[0]: unknown policy kind `group`".to_owned())
        );
        assert_eq!(
            personas(
                r#"{"personas": [{"id": "p", "title": "P", "description": "d",
                "category": "user", "source": {"seed": "002"}, "policies": []}]}"#
            )
            .err(),
            Some("personas[0].source: missing `section`".to_owned())
        );
        assert!(personas("{").is_err());
    }

    #[test]
    fn builtin_library_loads_without_errors() {
        let library = Library::builtin();
        assert_eq!(library.load_errors, Vec::<String>::new());
        assert!(library.templates.len() >= 20, "{}", library.templates.len());
        assert!(!library.personas.is_empty());
    }

    #[test]
    fn every_marker_is_declared_and_every_slot_is_used() {
        let library = Library::builtin();
        for t in &library.templates {
            let mut used: Vec<String> = scan_slots(&t.text).0.into_iter().map(|r| r.name).collect();
            for command in &t.setup {
                used.extend(scan_slots(command).0.into_iter().map(|r| r.name));
            }
            for name in &used {
                assert!(
                    t.slot(name).is_some(),
                    "{}: `{{{{{name}}}}}` is not declared",
                    t.id
                );
            }
            for slot in &t.slots {
                assert!(
                    used.contains(&slot.name),
                    "{}: slot `{}` is unused",
                    t.id,
                    slot.name
                );
            }
        }
    }

    #[test]
    fn every_template_renders_with_the_example_world() {
        let library = Library::builtin();
        let world = WorldFacts::example();
        for t in &library.templates {
            let rendered = t.render(&world, &Overrides::new());
            assert!(rendered.is_ok(), "{}: {:?}", t.id, rendered.err());
            let text = rendered.unwrap().text;
            assert!(!text.contains("{{"), "{}", t.id);
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{}",
                t.id
            );
            assert!(
                t.render_setup(&world, &Overrides::new()).is_ok(),
                "{}",
                t.id
            );
        }
    }

    #[test]
    fn personas_name_existing_templates() {
        let library = Library::builtin();
        for p in &library.personas {
            for id in p.trust.iter().chain(&p.policies) {
                assert!(
                    library.get(id).is_some(),
                    "{}: unknown template `{id}`",
                    p.id
                );
            }
            if let Some(trust) = &p.trust {
                assert_eq!(
                    library.get(trust).unwrap().kind,
                    PolicyUse::Trust,
                    "{}",
                    p.id
                );
            }
        }
    }

    #[test]
    fn personas_render_as_bundles_with_the_trust_policy_first() {
        let library = Library::builtin();
        let persona = library.persona("studio-execution-role").unwrap();
        let overrides = Overrides::from([("bucket".to_owned(), "team-a-data".to_owned())]);
        let bundle = library
            .render_persona(persona, &WorldFacts::example(), &overrides)
            .unwrap();
        assert_eq!(bundle[0].0, "trust-sagemaker-source-identity");
        assert_eq!(bundle.len(), 1 + persona.policies.len());
        assert!(bundle.iter().any(|(_, r)| r.text.contains("team-a-data")));
    }

    #[test]
    fn overriding_a_slot_changes_only_that_value() {
        let library = Library::builtin();
        let t = library.get("s3-prefix-per-user").unwrap();
        let overrides = Overrides::from([("bucket".to_owned(), "team-a-data".to_owned())]);
        let text = t.render(&WorldFacts::example(), &overrides).unwrap().text;
        assert!(
            text.contains("arn:aws:s3:::team-a-data/d-abacus0team0a/users/${aws:SourceIdentity}/*")
        );
    }
}
