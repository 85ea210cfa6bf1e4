//! The gallery and the template library in the browser: fetched as one file
//! (`gallery.json`, see `abacus_templates::bundle`) when the Gallery screen first opens, so
//! that the first download carries neither, then turned into cards once.
//!
//! Pure: the fetching itself is [`crate::platform::load_gallery`]; the state holds a
//! [`GalleryLoad`], changed by the reducer's gallery actions.

use crate::view::Card;
use abacus_studio::course::Course;
use abacus_studio::evaluate::Workspace;
use abacus_studio::scenario::Scenario;
use abacus_templates::bundle::{self, Bundle};
use abacus_templates::gallery::Category;
use std::rc::Rc;

/// The gallery bundle's URL, relative to the page (so the app works under any sub-path).
pub const URL: &str = bundle::FILE_NAME;

/// The name of the performance measure of fetching and reading the bundle.
pub const MEASURE: &str = "abacus-gallery-load";

/// The gallery as read, with its cards built once.
#[derive(Debug)]
pub struct Loaded {
    /// The scenarios, challenges and templates.
    pub bundle: Bundle,
    /// Scenario and challenge cards (opened as the workspace).
    pub scenarios: Rc<Vec<Card>>,
    /// Template cards (added as a policy).
    pub templates: Rc<Vec<Card>>,
    /// The shipped courses.
    pub courses: Rc<Vec<Rc<Course>>>,
}

impl PartialEq for Loaded {
    /// The cards follow from the bundle.
    fn eq(&self, other: &Self) -> bool {
        self.bundle == other.bundle
    }
}

/// Where the gallery stands.
#[derive(Clone, Debug, Default)]
pub enum GalleryLoad {
    /// Not asked for yet (the Gallery screen has not been opened).
    #[default]
    NotRequested,
    /// Being fetched.
    Loading,
    /// Read and ready.
    Ready(Rc<Loaded>),
    /// Could not be fetched or read: why.
    Failed(String),
}

impl PartialEq for GalleryLoad {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (GalleryLoad::NotRequested, GalleryLoad::NotRequested)
            | (GalleryLoad::Loading, GalleryLoad::Loading) => true,
            (GalleryLoad::Ready(a), GalleryLoad::Ready(b)) => Rc::ptr_eq(a, b),
            (GalleryLoad::Failed(a), GalleryLoad::Failed(b)) => a == b,
            _ => false,
        }
    }
}

impl GalleryLoad {
    /// The loaded gallery, if it is ready.
    pub fn ready(&self) -> Option<&Rc<Loaded>> {
        match self {
            GalleryLoad::Ready(loaded) => Some(loaded),
            _ => None,
        }
    }
}

impl Loaded {
    /// Reads a bundle's text and builds the cards. A bundle whose library has load errors is
    /// refused too: the templates would be silently incomplete.
    pub fn from_json(text: &str) -> Result<Loaded, String> {
        let bundle = bundle::from_json(text)?;
        if let Some(first) = bundle.library.load_errors.first() {
            return Err(format!(
                "the template library in the bundle is broken: {first}"
            ));
        }
        let (scenarios, templates) = cards(&bundle);
        let courses = bundle
            .courses
            .iter()
            .map(|text| {
                Course::from_json(text)
                    .map(Rc::new)
                    .map_err(|e| format!("a course in the bundle is broken: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Loaded {
            bundle,
            scenarios: Rc::new(scenarios),
            templates: Rc::new(templates),
            courses: Rc::new(courses),
        })
    }

    /// The gallery scenario `id`.
    pub fn scenario(&self, id: &str) -> Option<Scenario> {
        Scenario::from_json(&self.bundle.gallery.get(id)?.scenario_json).ok()
    }

    /// The gallery challenge `id` with its worked solution applied.
    pub fn solution(&self, id: &str) -> Option<Scenario> {
        Scenario::from_json(&self.bundle.gallery.get(id)?.solved_scenario_json()?).ok()
    }
}

/// The cards: (scenarios and challenges, templates).
fn cards(bundle: &Bundle) -> (Vec<Card>, Vec<Card>) {
    let scenarios = bundle
        .gallery
        .entries
        .iter()
        .map(|e| {
            // the badge is the studio's own expectation check of the scenario as shipped
            let badge = Scenario::from_json(&e.scenario_json).ok().and_then(|s| {
                let results = Workspace::new(&s).check_expectations();
                let passed = results.iter().filter(|r| r.passed).count();
                (!results.is_empty()).then(|| {
                    let all = passed == results.len();
                    let word = if all { "pass" } else { "fail" };
                    (all, format!("{word} {passed}/{}", results.len()))
                })
            });
            let group = match e.category {
                Category::UseCase => format!("Use cases · seed {}", e.seed),
                Category::Challenge => "Challenges".to_owned(),
            };
            Card {
                id: e.id.clone(),
                title: e.title.clone(),
                description: e.description.clone(),
                group,
                tags: vec![e.section.clone()],
                badge,
                hint: e.hint.clone(),
                has_solution: e.solution.is_some(),
            }
        })
        .collect();
    let templates = bundle
        .library
        .templates
        .iter()
        .map(|t| Card {
            id: t.id.clone(),
            title: t.title.clone(),
            description: t.description.clone(),
            group: format!("{:?} policies", t.kind),
            tags: vec![format!("seed {}", t.source.seed)],
            badge: None,
            hint: None,
            has_solution: false,
        })
        .collect();
    (scenarios, templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded() -> Loaded {
        Loaded::from_json(&bundle::to_json().unwrap()).unwrap()
    }

    #[test]
    fn the_bundle_becomes_cards_for_every_scenario_and_template() {
        let l = loaded();
        assert_eq!(l.scenarios.len(), l.bundle.gallery.entries.len());
        assert_eq!(l.templates.len(), l.bundle.library.templates.len());
        let challenges: Vec<&Card> = l.scenarios.iter().filter(|c| c.has_solution).collect();
        assert!(challenges.len() >= 4);
        for c in challenges {
            let (pass, label) = c.badge.clone().unwrap();
            assert!(!pass, "{} fails as shipped", c.id);
            assert!(label.starts_with("fail "), "{label}");
        }
    }

    #[test]
    fn scenarios_and_solutions_open_by_id() {
        let l = loaded();
        let challenge = l.scenarios.iter().find(|c| c.has_solution).unwrap();
        let shipped = l.scenario(&challenge.id).unwrap();
        let solved = l.solution(&challenge.id).unwrap();
        assert_ne!(shipped, solved);
        assert!(Workspace::new(&solved)
            .check_expectations()
            .iter()
            .all(|r| r.passed));
        assert!(l.scenario("no-such-scenario").is_none());
        assert!(
            l.solution("001-s3-own-prefix").is_none(),
            "a use case has no solution"
        );
    }

    #[test]
    fn a_broken_bundle_is_an_error_not_an_empty_gallery() {
        assert!(Loaded::from_json("<html>404</html>")
            .unwrap_err()
            .starts_with("the gallery bundle is not JSON"));
        let broken_library = r#"{"format": "abacus-gallery-1", "gallery": [],
            "library": {"catalog": "{}", "personas": "{}", "templates": []}}"#;
        assert!(Loaded::from_json(broken_library)
            .unwrap_err()
            .starts_with("the template library in the bundle is broken"));
    }
}
