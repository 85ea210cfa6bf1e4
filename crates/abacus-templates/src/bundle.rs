//! The gallery bundle: the scenario gallery and the template library in one JSON file that
//! the web app fetches when its Gallery screen first opens, so that neither sits in the
//! first download.
//!
//! Natively the gallery and the library are embedded ([`Gallery::builtin`],
//! [`Library::builtin`]); [`to_json`] writes them out (`cargo xtask` does, before every
//! trunk build, through this crate's `web_bundle` example) and [`from_json`] reads them back.
//! The reader goes over `serde_json::Value` by hand, like the library's own readers: the app
//! parses values anyway, and derived visitors would cost the web bundle code for a one-off
//! shape. A wrong shape is an error naming its place.

use crate::gallery::{Category, Gallery, GalleryEntry, Solution};
use crate::library::{optional_text, text, Library};
use serde_json::Value;

/// The bundle's file name, next to the app's `index.html`.
pub const FILE_NAME: &str = "gallery.json";

/// The format tag a bundle starts with; a bundle of another format is refused.
pub const FORMAT: &str = "abacus-gallery-1";

/// The gallery and the library, as read from a bundle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bundle {
    /// The scenario gallery.
    pub gallery: Gallery,
    /// The template library.
    pub library: Library,
    /// The shipped courses, each as its JSON text (`abacus_studio::course` reads them).
    pub courses: Vec<String>,
}

/// The embedded gallery and library as a bundle's JSON text (compact).
pub fn to_json() -> Result<String, String> {
    let (catalog, personas, templates) = Library::builtin_texts();
    let bundle = serde_json::json!({
        "format": FORMAT,
        "gallery": Gallery::builtin().entries,
        "courses": crate::courses::COURSES
            .iter()
            .map(|c| serde_json::from_str::<Value>(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("a shipped course is not JSON: {e}"))?,
        "library": {
            "catalog": catalog,
            "personas": personas,
            "templates": templates,
        },
    });
    serde_json::to_string(&bundle).map_err(|e| format!("cannot write the gallery bundle: {e}"))
}

fn array<'v>(v: &'v Value, key: &str, at: &str) -> Result<&'v [Value], String> {
    match v.get(key) {
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("{at}.{key} must be an array")),
        None => Err(format!("{at}: missing `{key}`")),
    }
}

fn entry(v: &Value, at: &str) -> Result<GalleryEntry, String> {
    let category = match text(v, "category", at)?.as_str() {
        "use-case" => Category::UseCase,
        "challenge" => Category::Challenge,
        other => {
            return Err(format!(
                "{at}.category is `{other}`, not `use-case` or `challenge`"
            ))
        }
    };
    let solution = match v.get("solution") {
        None | Some(Value::Null) => None,
        Some(s) => {
            let at = format!("{at}.solution");
            Some(Solution {
                policy: text(s, "policy", &at)?,
                text: text(s, "text", &at)?,
                explanation: text(s, "explanation", &at)?,
            })
        }
    };
    Ok(GalleryEntry {
        id: text(v, "id", at)?,
        title: text(v, "title", at)?,
        description: text(v, "description", at)?,
        category,
        seed: text(v, "seed", at)?,
        section: text(v, "section", at)?,
        scenario_json: text(v, "scenario_json", at)?,
        hint: optional_text(v, "hint", at)?,
        solution,
    })
}

/// Reads a bundle. A bundle that is not JSON, of another format or of a wrong shape is an
/// error naming the place; problems inside the library's own files end up in
/// `library.load_errors`, as they would for the embedded library.
pub fn from_json(text_in: &str) -> Result<Bundle, String> {
    let root: Value = serde_json::from_str(text_in)
        .map_err(|e| format!("the gallery bundle is not JSON: {e}"))?;
    match root.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(format!(
                "the gallery bundle has format `{other}`, this Abacus reads `{FORMAT}`"
            ))
        }
        None => return Err("the gallery bundle has no `format`".to_owned()),
    }
    let entries = array(&root, "gallery", "bundle")?
        .iter()
        .enumerate()
        .map(|(i, v)| entry(v, &format!("gallery[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let library = root
        .get("library")
        .ok_or("the gallery bundle has no `library`")?;
    let templates = array(library, "templates", "library")?
        .iter()
        .enumerate()
        .map(|(i, pair)| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(id), Value::String(text)]) => Ok((id.clone(), text.clone())),
            _ => Err(format!("library.templates[{i}] must be [id, text]")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    // a bundle from before courses has none
    let courses = match root.get("courses") {
        None => Vec::new(),
        Some(_) => array(&root, "courses", "bundle")?
            .iter()
            .map(Value::to_string)
            .collect(),
    };
    Ok(Bundle {
        courses,
        gallery: Gallery {
            entries,
            load_errors: Vec::new(),
        },
        library: Library::from_texts(
            &text(library, "catalog", "library")?,
            &text(library, "personas", "library")?,
            &templates,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_bundle_reads_back_as_the_embedded_gallery_and_library() {
        let bundle = from_json(&to_json().unwrap()).unwrap();
        assert_eq!(bundle.gallery, Gallery::builtin());
        assert_eq!(bundle.library, Library::builtin());
        assert!(bundle.library.load_errors.is_empty());
        assert!(bundle.gallery.entries.len() >= 20);
        assert_eq!(bundle.courses.len(), crate::courses::COURSES.len());
        for (text, original) in bundle.courses.iter().zip(crate::courses::COURSES) {
            let read = abacus_studio::course::Course::from_json(text).unwrap();
            assert_eq!(
                read,
                abacus_studio::course::Course::from_json(original).unwrap()
            );
        }
    }

    #[test]
    fn a_broken_bundle_is_refused_with_its_place() {
        assert!(from_json("{")
            .unwrap_err()
            .starts_with("the gallery bundle is not JSON"));
        assert_eq!(
            from_json(r#"{"format": "abacus-gallery-9"}"#).unwrap_err(),
            "the gallery bundle has format `abacus-gallery-9`, this Abacus reads `abacus-gallery-1`"
        );
        let bad_entry = r#"{"format": "abacus-gallery-1", "gallery": [{"id": "x", "title": "t",
            "description": "d", "category": "quiz", "seed": "001", "section": "s",
            "scenario_json": "{}"}], "library": {}}"#;
        assert_eq!(
            from_json(bad_entry).unwrap_err(),
            "gallery[0].category is `quiz`, not `use-case` or `challenge`"
        );
        let bad_template = r#"{"format": "abacus-gallery-1", "gallery": [],
            "library": {"catalog": "{}", "personas": "{}", "templates": [["only-id"]]}}"#;
        assert_eq!(
            from_json(bad_template).unwrap_err(),
            "library.templates[0] must be [id, text]"
        );
    }
}
