//! The seed samples exactly as the seeds print them (`library/seed-originals/`), with the
//! template that corrects each and the diagnostics that prove the original is rejected.

use serde::{Deserialize, Serialize};

/// Embeds each original by id.
macro_rules! original_texts {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_str!(concat!("../library/seed-originals/", $id, ".txt")))),*]
    };
}

const TEXTS: &[(&str, &str)] = original_texts![
    "001-trust-source-identity",
    "001-addtags-on-create",
    "001-training-job-context-keys",
    "001-training-job-source-identity",
    "001-s3-prefix-per-user",
    "001-s3-bucket-policy-deny",
    "001-secrets-per-user",
    "001-emr-cluster-by-tag",
    "001-fsx-directory-per-user",
    "003-trust-tagsession",
    "003-team-policy-2-supporting-services",
    "004-trust-identity-propagation",
];

const INDEX: &str = include_str!(concat!(env!("OUT_DIR"), "/seed-originals-index.json"));

/// A diagnostic the original must produce.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// Its code.
    pub code: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (Unicode scalar values).
    pub column: usize,
}

/// One seed sample as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedOriginal {
    /// Stable id, `SEED-name`.
    pub id: String,
    /// Seed number.
    pub seed: String,
    /// Seed section.
    pub section: String,
    /// The library template that corrects it.
    pub template: String,
    /// What is wrong with it, in words.
    pub problem: String,
    /// Diagnostics it must produce (parser or linter).
    pub expect: Vec<Expected>,
    /// The text exactly as printed.
    #[serde(default)]
    pub text: String,
}

#[derive(Deserialize)]
struct Index {
    originals: Vec<SeedOriginal>,
}

/// Every seed original with its text (an entry whose text file is missing is skipped;
/// a test checks there is none).
pub fn seed_originals() -> Vec<SeedOriginal> {
    let Ok(index) = serde_json::from_str::<Index>(INDEX) else {
        return Vec::new();
    };
    index
        .originals
        .into_iter()
        .filter_map(|mut o| {
            let (_, text) = TEXTS.iter().find(|(id, _)| *id == o.id)?;
            o.text = (*text).to_owned();
            Some(o)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_original_has_text_and_a_known_template() {
        let originals = seed_originals();
        assert_eq!(originals.len(), TEXTS.len());
        let library = crate::Library::builtin();
        for o in &originals {
            let t = library
                .get(&o.template)
                .unwrap_or_else(|| panic!("{}: {}", o.id, o.template));
            assert!(!o.text.is_empty());
            if let Some(original) = &t.original {
                assert!(TEXTS.iter().any(|(id, _)| id == original), "{}", t.id);
            }
        }
    }

    #[test]
    fn originals_are_verbatim() {
        let originals = seed_originals();
        let fsx = originals
            .iter()
            .find(|o| o.id == "001-fsx-directory-per-user")
            .unwrap();
        assert!(fsx.text.contains("${aws:SourceIdentity}\u{201d}"));
        assert!(
            fsx.text.contains('\u{a0}'),
            "the page's non-breaking spaces are kept"
        );
        let s3 = originals
            .iter()
            .find(|o| o.id == "001-s3-prefix-per-user")
            .unwrap();
        assert!(s3
            .text
            .contains("\"Statement\": [\u{a0}\u{a0} \u{a0} \u{a0} \u{a0}["));
    }
}
