//! The scenario gallery: one ready scenario per seed use case (the studio's
//! `scenarios/*.json`) and workshop challenges (`gallery/challenges/*.json`) whose
//! expectations fail until the attendee fixes a policy.

use serde::{Deserialize, Serialize};

/// A piece of an embedded document: literal text, or a value of `SHARED` (a scenario's
/// `world` or `policies`, stored once although many scenarios repeat it).
enum Piece {
    Text(&'static str),
    Shared(usize),
}

// `USE_CASES` (the studio's `scenarios/*.json`) and `CHALLENGES`
// (`gallery/challenges/*.json`), sorted by file stem, and `SHARED`; written by build.rs,
// which fails the build on a file that is not JSON or lacks a field.
include!(concat!(env!("OUT_DIR"), "/gallery_files.rs"));

/// The document the pieces spell.
fn assemble(pieces: &[Piece]) -> String {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => text.push_str(t),
            // build.rs only writes indices of SHARED.
            Piece::Shared(i) => text.push_str(SHARED.get(*i).copied().unwrap_or_default()),
        }
    }
    text
}

/// What kind of gallery entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// A seed use case, working as shipped.
    UseCase,
    /// A workshop challenge: its expectations fail until a policy is fixed.
    Challenge,
}

/// A challenge's documented solution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    /// The id of the policy to replace.
    pub policy: String,
    /// The fixed policy text.
    pub text: String,
    /// Why it works.
    pub explanation: String,
}

/// One gallery entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GalleryEntry {
    /// Stable id (the file name without `.json`).
    pub id: String,
    /// Title.
    pub title: String,
    /// What it shows or asks.
    pub description: String,
    /// Use case or challenge.
    pub category: Category,
    /// Seed number, e.g. `001`.
    pub seed: String,
    /// Seed section.
    pub section: String,
    /// The scenario document, minified (every string, policy texts included, exactly as
    /// in the file; load it with `Scenario::from_json`).
    pub scenario_json: String,
    /// A hint (challenges).
    pub hint: Option<String>,
    /// The documented solution (challenges).
    pub solution: Option<Solution>,
}

/// The gallery.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Gallery {
    /// Use cases first (by seed), then challenges.
    pub entries: Vec<GalleryEntry>,
    /// Problems reading the embedded files: always empty since build.rs checks them (a bad
    /// file fails the build); kept for callers that report it.
    pub load_errors: Vec<String>,
}

/// A use case as build.rs embeds it: the fields of the scenario file the gallery lists.
struct UseCaseFile {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    source: &'static str,
    scenario: &'static [Piece],
}

/// A challenge file as build.rs embeds it; `solution` is (policy, text, explanation).
struct ChallengeFile {
    id: &'static str,
    title: &'static str,
    description: &'static str,
    seed: &'static str,
    section: &'static str,
    category: Category,
    hint: &'static str,
    solution: (&'static str, &'static str, &'static str),
    scenario: &'static [Piece],
}

/// `seed 001: Amazon S3 access control` → (`001`, `Amazon S3 access control`).
fn split_source(source: &str) -> (String, String) {
    let rest = source.strip_prefix("seed ").unwrap_or(source);
    match rest.split_once(':') {
        Some((seed, section)) => (seed.trim().to_owned(), section.trim().to_owned()),
        None => (String::new(), rest.trim().to_owned()),
    }
}

impl Gallery {
    /// The embedded gallery.
    pub fn builtin() -> Gallery {
        let mut gallery = Gallery::default();
        for file in USE_CASES {
            let (seed, section) = split_source(file.source);
            gallery.entries.push(GalleryEntry {
                id: file.id.to_owned(),
                title: file.name.to_owned(),
                description: file.description.to_owned(),
                category: Category::UseCase,
                seed,
                section,
                scenario_json: assemble(file.scenario),
                hint: None,
                solution: None,
            });
        }
        for file in CHALLENGES {
            let (policy, text, explanation) = file.solution;
            gallery.entries.push(GalleryEntry {
                id: file.id.to_owned(),
                title: file.title.to_owned(),
                description: file.description.to_owned(),
                category: file.category,
                seed: file.seed.to_owned(),
                section: file.section.to_owned(),
                scenario_json: assemble(file.scenario),
                hint: Some(file.hint.to_owned()),
                solution: Some(Solution {
                    policy: policy.to_owned(),
                    text: text.to_owned(),
                    explanation: explanation.to_owned(),
                }),
            });
        }
        gallery
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&GalleryEntry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entries of one category.
    pub fn of(&self, category: Category) -> impl Iterator<Item = &GalleryEntry> {
        self.entries.iter().filter(move |e| e.category == category)
    }
}

impl GalleryEntry {
    /// The scenario with the solution applied: the solution's policy text replaces the
    /// policy of the same id. `None` for entries without a solution, or when the scenario
    /// does not parse or lacks that policy.
    pub fn solved_scenario_json(&self) -> Option<String> {
        let solution = self.solution.as_ref()?;
        let mut value: serde_json::Value = serde_json::from_str(&self.scenario_json).ok()?;
        let policy = value
            .get_mut("policies")?
            .as_array_mut()?
            .iter_mut()
            .find(|p| p.get("id").and_then(|i| i.as_str()) == Some(solution.policy.as_str()))?;
        *policy.get_mut("text")? = serde_json::Value::String(solution.text.clone());
        serde_json::to_string_pretty(&value).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::scenario::Scenario;

    #[test]
    fn builtin_gallery_loads_and_every_scenario_is_valid() {
        let gallery = Gallery::builtin();
        assert_eq!(gallery.load_errors, Vec::<String>::new());
        assert!(gallery.of(Category::UseCase).count() >= 10);
        assert!(gallery.of(Category::Challenge).count() >= 3);
        for entry in &gallery.entries {
            let parsed = Scenario::from_json(&entry.scenario_json);
            assert!(parsed.is_ok(), "{}: {:?}", entry.id, parsed.err());
            assert!(!entry.seed.is_empty(), "{}", entry.id);
        }
    }

    #[test]
    fn titles_are_sentence_case_and_the_app_is_not_told_to_use_the_cli() {
        for entry in Gallery::builtin().entries {
            let first = entry.title.chars().next().unwrap_or(' ');
            assert!(first.is_uppercase(), "{}: `{}`", entry.id, entry.title);
            let shown = format!("{} {}", entry.description, entry.hint.unwrap_or_default());
            assert!(!shown.contains("`abacus "), "{}: {shown}", entry.id);
        }
    }

    #[test]
    fn solutions_apply_to_an_existing_policy() {
        for entry in Gallery::builtin().of(Category::Challenge) {
            let solved = entry.solved_scenario_json();
            assert!(solved.is_some(), "{}", entry.id);
            assert!(
                Scenario::from_json(&solved.unwrap_or_default()).is_ok(),
                "{}",
                entry.id
            );
        }
    }

    #[test]
    fn embedded_scenarios_mean_exactly_the_repository_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let value = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        let gallery = Gallery::builtin();
        for entry in &gallery.entries {
            assert!(
                !entry.scenario_json.contains('\n'),
                "{} is not minified",
                entry.id
            );
            let file = match entry.category {
                Category::UseCase => root.join(format!("../../scenarios/{}.json", entry.id)),
                Category::Challenge => root.join(format!("gallery/challenges/{}.json", entry.id)),
            };
            let original = value(&std::fs::read_to_string(&file).unwrap());
            let scenario = match entry.category {
                Category::UseCase => &original,
                Category::Challenge => &original["scenario"],
            };
            assert_eq!(&value(&entry.scenario_json), scenario, "{}", entry.id);
            let head = |key: &str| original[key].as_str().unwrap_or_default().to_owned();
            match entry.category {
                Category::UseCase => assert_eq!(entry.title, head("name")),
                Category::Challenge => {
                    assert_eq!(entry.title, head("title"));
                    assert_eq!(entry.hint, Some(head("hint")));
                    let solution = entry.solution.as_ref().unwrap();
                    assert_eq!(
                        solution.text,
                        original["solution"]["text"].as_str().unwrap()
                    );
                }
            }
        }
    }

    #[test]
    fn source_lines_split_into_seed_and_section() {
        assert_eq!(
            split_source("seed 001: Amazon S3 access control"),
            ("001".to_owned(), "Amazon S3 access control".to_owned())
        );
    }
}
