//! Import: the JSON that AWS CLI commands print about an account, several files at once,
//! into one scenario (world and policies).
//!
//! Each file's kind is told by its shape ([`ExportKind`]); the outputs that do not name what
//! they are about (`list-tags`, `get-bucket-policy`, `get-bucket-tagging`,
//! `list-targets-for-policy`) take it from the file name, `…@SUBJECT.json` (e.g.
//! `list-tags@alice.json`, `get-bucket-policy@ml-data.json`). Every file is read with the
//! span-preserving JSON reader of `abacus_policy::json`, so every error names the file, the
//! JSON path and the line and column.
//!
//! All or nothing: any error, and nothing is imported. What the exports leave open (a
//! profile's sign-in, a role no IAM export describes, an organizational unit's place) is
//! decided and said in an [`ImportNote`].

mod assemble;
mod collect;
mod documents;
mod error;
mod iam;
mod kinds;
mod node;
mod others;
mod sagemaker;

pub use error::ImportError;
pub use kinds::ExportKind;

use abacus_policy::json::parse_json;
use abacus_studio::scenario::Scenario;
use error::Reporter;
use node::Node;

/// The largest file read (an account's authorization details are a few MB; a file past
/// this is refused before it is parsed, so a wrong file cannot stall the page).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// The most files one import reads.
pub const MAX_FILES: usize = 500;

/// One input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportFile {
    /// Its name (for messages, and the subject of `…@SUBJECT.json`).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Something the import decided because the exports leave it open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportNote {
    /// What was decided and what to do about it.
    pub message: String,
}

/// A managed policy version that is not the default (kept for diffing; only the default
/// version is in effect).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherVersion {
    /// The policy's ARN.
    pub policy_arn: String,
    /// This version's id, e.g. `v2`.
    pub version: String,
    /// The version in effect.
    pub default_version: String,
    /// Its document.
    pub text: String,
}

/// What an import made.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The scenario (it passes [`Scenario::from_json`]'s checks).
    pub scenario: Scenario,
    /// Each file and what it was recognised as.
    pub recognised: Vec<(String, ExportKind)>,
    /// What the import decided.
    pub notes: Vec<ImportNote>,
    /// Managed policy versions that are not in effect.
    pub other_versions: Vec<OtherVersion>,
}

/// The account id of an ARN, if it names one.
pub fn account_of_arn(arn: &str) -> Option<String> {
    collect::arn_parts(arn)
        .map(|p| p.3)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
}

/// The subject of a file named `…@SUBJECT.json`.
fn subject_of(name: &str) -> Option<&str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.strip_suffix(".json").unwrap_or(base);
    let (_, subject) = stem.rsplit_once('@')?;
    (!subject.is_empty()).then_some(subject)
}

/// Imports `files` into one scenario; every problem of every file, or the scenario.
pub fn import(files: &[ImportFile]) -> Result<Imported, Vec<ImportError>> {
    let mut collected = collect::Collected::default();
    let mut recognised = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match read_file(file, &mut collected) {
            Ok(kind) => recognised.push((file.name.clone(), kind)),
            Err(e) => errors.push(*e),
        }
    }
    if files.len() > MAX_FILES {
        return Err(vec![ImportError {
            file: String::new(),
            path: "$".to_owned(),
            line: None,
            column: None,
            message: format!(
                "{} files, more than the {MAX_FILES} one import reads",
                files.len()
            ),
            help: "import the exports of one account, one file per command".to_owned(),
        }]);
    }
    if files.is_empty() {
        errors.push(ImportError {
            file: String::new(),
            path: "$".to_owned(),
            line: None,
            column: None,
            message: "no files".to_owned(),
            help: "give the JSON that the AWS CLI printed, one file per command".to_owned(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let assembled = assemble::assemble(collected)?;
    // the scenario must read back as any document does
    let text = assembled.scenario.to_json_pretty();
    if let Err(e) = Scenario::from_json(&text) {
        return Err(e
            .issues
            .into_iter()
            .map(|i| ImportError {
                file: String::new(),
                path: i.path,
                line: None,
                column: None,
                message: format!("the imported scenario is not valid: {}", i.message),
                help: i.help,
            })
            .collect());
    }
    Ok(Imported {
        scenario: assembled.scenario,
        recognised,
        notes: assembled.notes,
        other_versions: assembled.other_versions,
    })
}

/// Reads one file into `out`; its kind.
fn read_file(
    file: &ImportFile,
    out: &mut collect::Collected,
) -> Result<ExportKind, Box<ImportError>> {
    let report = Reporter::new(&file.name, &file.text);
    if file.text.len() > MAX_FILE_BYTES {
        return Err(Box::new(report.at(
            "$",
            None,
            format!(
                "the file is {} bytes, more than the {MAX_FILE_BYTES} an export is read up to",
                file.text.len()
            ),
            "give the JSON the AWS CLI printed for one command",
        )));
    }
    if file.text.trim().is_empty() {
        return Err(Box::new(report.at(
            "$",
            None,
            "the file is empty",
            "give the JSON the AWS CLI printed",
        )));
    }
    let (root, json_errors) = parse_json(&file.text);
    if let Some(e) = json_errors.iter().find(|e| e.is_error) {
        return Err(Box::new(report.at(
            "$",
            Some(e.span),
            format!("not JSON: {}", e.message),
            e.help.clone(),
        )));
    }
    let Some(root) = root else {
        return Err(Box::new(report.at(
            "$",
            None,
            "the file is empty",
            "give the JSON the AWS CLI printed",
        )));
    };
    let root = Node::root(&root);
    let Some(kind) = kinds::detect(&root) else {
        let known: Vec<&str> = ExportKind::ALL.iter().map(|k| k.command()).collect();
        return Err(root.error(
            &report,
            "not an export Abacus reads",
            format!("give the JSON output of one of: {}", known.join(", ")),
        ));
    };
    let subject = || {
        subject_of(&file.name).ok_or_else(|| {
            root.error(
                &report,
                format!("the output of `{}` does not say what it is about", kind.command()),
                "name the file after it: `…@SUBJECT.json` (a bucket name, a domain id, a user profile name or an organizations policy id)",
            )
        })
    };
    let text = file.text.as_str();
    match kind {
        ExportKind::AuthorizationDetails => iam::read(&root, text, &report, out)?,
        ExportKind::Domain => sagemaker::domain(&root, &report, out)?,
        ExportKind::UserProfiles => sagemaker::profiles(&root, &report, out)?,
        ExportKind::UserProfile => sagemaker::profile(&root, &report, out)?,
        ExportKind::SageMakerTags => others::sagemaker_tags(&root, subject()?, &report, out)?,
        ExportKind::OrganizationsPolicy => others::org_policy(&root, text, &report, out)?,
        ExportKind::OrganizationsTargets => others::org_targets(&root, subject()?, &report, out)?,
        ExportKind::BucketPolicy => others::bucket_policy(&root, subject()?, text, &report, out)?,
        ExportKind::BucketTagging => others::bucket_tagging(&root, subject()?, &report, out)?,
        ExportKind::SecretPolicy | ExportKind::SecretDescription => {
            others::secret(&root, text, &report, out)?
        }
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_come_from_the_file_name() {
        assert_eq!(subject_of("exports/list-tags@alice.json"), Some("alice"));
        assert_eq!(
            subject_of("get-bucket-policy@ml-data.json"),
            Some("ml-data")
        );
        assert_eq!(subject_of("targets@p-abcd1234"), Some("p-abcd1234"));
        assert_eq!(subject_of("list-tags.json"), None);
        assert_eq!(subject_of("x@.json"), None);
    }
}
