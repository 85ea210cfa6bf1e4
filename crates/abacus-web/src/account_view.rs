//! The Account screen's data and view models, free of the DOM (tested natively): what an
//! import of AWS exports reported, the who-can table, and the CloudTrail replay (its summary
//! against the document as it is now, and what the edits since the trail was loaded change).
//!
//! Nothing here leaves the page: the exports and the trail are read from the user's files
//! or paste, kept in memory only (never in the autosave or a link), and gone on reload.

use abacus_account::import::{import, ImportFile};
use abacus_account::replay::{change, replay, selection_from_denied, Replay};
use abacus_account::trail::{read_trail, TrailRecord};
use abacus_account::who_can::who_can;
use abacus_policy::Decision;
use abacus_studio::scenario::{Scenario, Selection};
use std::rc::Rc;

/// What the shell keeps for the Account screen between visits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountData {
    /// The last import's report.
    pub report: Option<Rc<ImportReport>>,
    /// The loaded trail.
    pub trail: Option<Rc<Vec<TrailRecord>>>,
    /// The replay of the trail against the document as it was when the trail was loaded.
    pub baseline: Option<Rc<Replay>>,
    /// Why the last paste or file could not be read.
    pub trail_errors: Vec<String>,
    /// The who-can question: action and resource ARN.
    pub who_action: String,
    /// The resource ARN (`*` for none).
    pub who_resource: String,
}

/// What an import said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// `(file, command)` of each recognised file.
    pub recognised: Vec<(String, String)>,
    /// What the import decided.
    pub notes: Vec<String>,
    /// Every problem, `file:line:column: JSON-PATH: message (help)`; nothing was imported.
    pub errors: Vec<String>,
    /// `imported account …: N domain(s), …`.
    pub summary: String,
    /// The managed policy versions that are not in effect, to try in the workspace.
    pub versions: Vec<OtherVersionRow>,
}

/// A managed policy version that is not the default one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OtherVersionRow {
    /// The policy's ARN (its workspace entries carry it).
    pub arn: String,
    /// The policy's name.
    pub name: String,
    /// This version, e.g. `v1`.
    pub version: String,
    /// Its document.
    pub text: String,
    /// The version in effect, e.g. `v2`.
    pub default_version: String,
    /// The default version's document, as imported.
    pub default_text: String,
}

/// The workspace policies (by index) that are the managed policy `arn`.
pub fn policies_of(doc: &Scenario, arn: &str) -> Vec<usize> {
    doc.policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.arn.as_deref() == Some(arn))
        .map(|(i, _)| i)
        .collect()
}

/// Imports `files` (`(name, text)`): the scenario and the report, or the report of errors.
pub fn import_exports(
    files: Vec<(String, String)>,
) -> Result<(Scenario, ImportReport), ImportReport> {
    let files: Vec<ImportFile> = files
        .into_iter()
        .map(|(name, text)| ImportFile { name, text })
        .collect();
    match import(&files) {
        Ok(i) => {
            let w = &i.scenario.world;
            let summary = format!(
                "imported account {} from {} file(s): {} domain(s), {} user profile(s), {} role(s), {} IAM user(s), {} resource(s), {} policies",
                w.account,
                files.len(),
                w.domains.len(),
                w.users.len(),
                w.roles.len(),
                w.iam_users.len(),
                w.resources.len(),
                i.scenario.policies.len()
            );
            let report = ImportReport {
                recognised: i
                    .recognised
                    .iter()
                    .map(|(f, k)| (f.clone(), k.command().to_owned()))
                    .collect(),
                notes: i.notes.iter().map(|n| n.message.clone()).collect(),
                errors: Vec::new(),
                summary,
                versions: i
                    .other_versions
                    .iter()
                    .map(|v| {
                        let default = i
                            .scenario
                            .policies
                            .iter()
                            .find(|p| p.arn.as_deref() == Some(v.policy_arn.as_str()));
                        OtherVersionRow {
                            arn: v.policy_arn.clone(),
                            name: default.map(|p| p.name.clone()).unwrap_or_default(),
                            version: v.version.clone(),
                            text: v.text.clone(),
                            default_version: v.default_version.clone(),
                            default_text: default.map(|p| p.text.to_string()).unwrap_or_default(),
                        }
                    })
                    .collect(),
            };
            Ok((i.scenario, report))
        }
        Err(errors) => Err(ImportReport {
            errors: errors.iter().map(ToString::to_string).collect(),
            summary: format!("nothing imported: {} problem(s)", errors.len()),
            ..ImportReport::default()
        }),
    }
}

/// One who-can row, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhoRow {
    /// `user profile ana (Studio space)`.
    pub who: String,
    /// The signing principal's ARN.
    pub principal: String,
    /// `Allow`, `ExplicitDeny`, `ImplicitDeny`, or `not asked`.
    pub decision: String,
    /// The deciding statements, or why it was not asked.
    pub why: String,
}

/// The who-can table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhoCanView {
    /// The allowed rows, then the explicitly denied, then the rest.
    pub rows: Vec<WhoRow>,
    /// `N allowed, N denied`.
    pub summary: String,
}

fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "Allow",
        Decision::ExplicitDeny => "ExplicitDeny",
        Decision::ImplicitDeny => "ImplicitDeny",
    }
}

/// Who can `action` on `resource` (`*` or empty for none) in `doc`; an error for an
/// unknown action or an empty question.
pub fn who_can_view(doc: &Scenario, action: &str, resource: &str) -> Result<WhoCanView, String> {
    let action = action.trim();
    if action.is_empty() {
        return Err("name an action, e.g. `s3:GetObject`".to_owned());
    }
    if abacus_studio::actions::spec(action).is_none() {
        return Err(format!(
            "`{action}` is not an action of the Service Authorization Reference"
        ));
    }
    let resource = match resource.trim() {
        "" => "*",
        r => r,
    };
    let answer = who_can(doc, action, resource).map_err(|e| e.to_string())?;
    let mut rows: Vec<(u8, WhoRow)> = answer
        .rows
        .iter()
        .map(|r| {
            let (rank, decision, why) = match &r.decision {
                Ok(d) => (
                    match d {
                        Decision::Allow => 0,
                        Decision::ExplicitDeny => 1,
                        Decision::ImplicitDeny => 2,
                    },
                    decision_name(*d).to_owned(),
                    match &r.decided_by_check {
                        Some(c) => format!("decided by the `{c}` check"),
                        None => r
                            .deciding
                            .iter()
                            .map(|(s, _)| s.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    },
                ),
                Err(e) => (3, "not asked".to_owned(), e.clone()),
            };
            (
                rank,
                WhoRow {
                    who: r.who.to_string(),
                    principal: r.principal_arn.clone(),
                    decision,
                    why,
                },
            )
        })
        .collect();
    rows.sort_by_key(|(rank, _)| *rank);
    Ok(WhoCanView {
        summary: format!(
            "{} allowed, {} denied",
            answer.allowed().count(),
            answer.denied().count()
        ),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

/// One replayed record, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayRowView {
    /// `eventTime`.
    pub time: String,
    /// Who made the call (`userIdentity.arn`, or its type).
    pub who: String,
    /// `s3.amazonaws.com GetObject`.
    pub event: String,
    /// What AWS did.
    pub recorded: String,
    /// What the document decides now, or `not simulated`.
    pub decision: String,
    /// True when they agree; `None` when not compared.
    pub agrees: Option<bool>,
    /// The request, to open in the workspace.
    pub selection: Option<Selection>,
    /// Why it is not simulated.
    pub why: Option<String>,
    /// True when the edits since the trail was loaded change its decision.
    pub changed: bool,
}

/// The replay view.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayView {
    /// `N agree, N disagree, N not compared`.
    pub summary: String,
    /// What the edits since loading change, when they change anything.
    pub change: Option<String>,
    /// At most [`MAX_REPLAY_ROWS`] rows (disagreements and changes first).
    pub rows: Vec<ReplayRowView>,
    /// How many rows are not shown.
    pub hidden: usize,
}

/// Rows shown at most (the summary counts all).
pub const MAX_REPLAY_ROWS: usize = 500;

/// The replay of `records` against `doc`, compared with `baseline` (the replay when the
/// trail was loaded).
pub fn replay_view(
    doc: &Scenario,
    records: &[TrailRecord],
    baseline: Option<&Replay>,
) -> ReplayView {
    let now = replay(doc, records);
    let delta = baseline.map(|b| change(b, &now));
    let change_text = delta.as_ref().and_then(|c| {
        (!c.newly_denied.is_empty() || !c.newly_allowed.is_empty()).then(|| {
            format!(
                "this edit would deny {} of {} recorded calls, allow {} that were denied",
                c.newly_denied.len(),
                c.decided,
                c.newly_allowed.len()
            )
        })
    });
    let changed = |i: usize| {
        delta
            .as_ref()
            .is_some_and(|c| c.newly_denied.contains(&i) || c.newly_allowed.contains(&i))
    };
    let mut rows: Vec<(u8, ReplayRowView)> = now
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let rec = &r.record;
            let view = ReplayRowView {
                time: rec.event_time.clone().unwrap_or_default(),
                who: rec
                    .identity
                    .arn
                    .clone()
                    .unwrap_or_else(|| rec.identity.kind.clone()),
                event: format!("{} {}", rec.event_source, rec.event_name),
                recorded: r.recorded.describe(),
                decision: r
                    .decision
                    .map_or("not simulated".to_owned(), |d| decision_name(d).to_owned()),
                agrees: r.agrees,
                selection: r.selection.as_ref().ok().cloned(),
                why: r.selection.as_ref().err().cloned(),
                changed: changed(i),
            };
            let rank = match (view.changed, view.agrees) {
                (true, _) => 0,
                (_, Some(false)) => 1,
                (_, Some(true)) => 2,
                (_, None) => 3,
            };
            (rank, view)
        })
        .collect();
    rows.sort_by_key(|(rank, _)| *rank);
    let hidden = rows.len().saturating_sub(MAX_REPLAY_ROWS);
    rows.truncate(MAX_REPLAY_ROWS);
    ReplayView {
        summary: format!(
            "{} agree, {} disagree, {} not compared",
            now.agreeing(),
            now.disagreeing(),
            now.not_compared()
        ),
        change: change_text,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        hidden,
    }
}

/// What a paste (or a file) is.
#[derive(Clone, Debug, PartialEq)]
pub enum Pasted {
    /// CloudTrail records, with their replay against the document now (the baseline).
    Trail(Rc<Vec<TrailRecord>>, Rc<Replay>),
    /// An AccessDenied message: the request it names.
    Request(Box<Selection>),
    /// Neither: why.
    Errors(Vec<String>),
}

/// Reads a paste or a file: CloudTrail records (a log file, a lookup-events page, an
/// array), or an AccessDenied message.
pub fn read_pasted(doc: &Scenario, name: &str, text: &str) -> Pasted {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return read_trail_files(doc, &[(name.to_owned(), text.to_owned())]);
    }
    match selection_from_denied(&doc.world, text) {
        Ok(s) => Pasted::Request(Box::new(s)),
        Err(e) => Pasted::Errors(vec![format!(
            "{e}: paste CloudTrail records (JSON) or an AccessDenied message"
        )]),
    }
}

/// Reads trail files (each a log file, a lookup-events page or an array) as one trail, in
/// order; every problem of every file when one is broken.
pub fn read_trail_files(doc: &Scenario, files: &[(String, String)]) -> Pasted {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        match read_trail(&ImportFile {
            name: name.clone(),
            text: text.clone(),
        }) {
            Ok(r) => records.extend(r),
            Err(e) => errors.extend(e.iter().map(ToString::to_string)),
        }
    }
    if !errors.is_empty() {
        return Pasted::Errors(errors);
    }
    let baseline = replay(doc, &records);
    Pasted::Trail(Rc::new(records), Rc::new(baseline))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(rel: &str) -> (String, String) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../abacus-account/tests/fixtures")
            .join(rel);
        (rel.to_owned(), std::fs::read_to_string(path).unwrap())
    }

    fn exports() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../abacus-account/tests/fixtures/exports");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|n| fixture(&format!("exports/{n}")))
            .collect()
    }

    #[test]
    fn an_import_reports_what_it_recognised_and_decided() {
        let (doc, report) = import_exports(exports()).unwrap();
        assert_eq!(doc.world.account, "444455556666");
        assert_eq!(report.recognised.len(), 15);
        assert!(report
            .summary
            .starts_with("imported account 444455556666 from 15 file(s)"));
        assert!(!report.notes.is_empty());
        // the version not in effect, to try in the workspace
        let v = &report.versions[0];
        assert_eq!(
            (
                v.name.as_str(),
                v.version.as_str(),
                v.default_version.as_str()
            ),
            ("ReadMlData", "v1", "v2")
        );
        assert!(!v.text.contains("s3:ListBucket") && v.default_text.contains("s3:ListBucket"));
        assert_eq!(policies_of(&doc, &v.arn).len(), 1);
        let bad = import_exports(vec![("x.json".to_owned(), "{".to_owned())]).unwrap_err();
        assert_eq!(bad.summary, "nothing imported: 1 problem(s)");
        assert!(bad.errors[0].starts_with("x.json:1:"), "{:?}", bad.errors);
    }

    #[test]
    fn who_can_lists_the_allowed_first() {
        let (doc, _) = import_exports(exports()).unwrap();
        let v = who_can_view(
            &doc,
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:eu-west-1:444455556666:secret:team-red/db-AbCdEf",
        )
        .unwrap();
        assert_eq!(v.summary, "0 allowed, 3 denied");
        assert_eq!(v.rows[0].decision, "ExplicitDeny");
        assert!(v.rows[0].why.contains("resource policy"), "{:?}", v.rows[0]);
        assert!(who_can_view(&doc, "", "").is_err());
        assert!(who_can_view(&doc, "sagemaker:Nope", "*")
            .unwrap_err()
            .contains("not an action"));
    }

    #[test]
    fn a_replay_shows_what_an_edit_changes() {
        let (doc, _) = import_exports(exports()).unwrap();
        let (name, text) = fixture("trail/cloudtrail-log.json");
        let Pasted::Trail(records, baseline) = read_pasted(&doc, &name, &text) else {
            panic!("a trail");
        };
        let v = replay_view(&doc, &records, Some(&baseline));
        assert_eq!(v.summary, "5 agree, 1 disagree, 1 not compared");
        assert_eq!(v.change, None, "nothing edited yet");
        assert_eq!(v.rows[0].agrees, Some(false), "disagreements first");
        let mut edited = doc.clone();
        edited.policies.retain(|p| p.name != "ReadMlData");
        let v = replay_view(&edited, &records, Some(&baseline));
        assert_eq!(
            v.change.as_deref(),
            Some("this edit would deny 2 of 6 recorded calls, allow 0 that were denied")
        );
        assert!(v.rows[0].changed && v.rows[1].changed);
        // an AccessDenied message alone opens its request
        let m = "User: arn:aws:iam::444455556666:user/platform-admin is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:444455556666:secret:team-red/db-AbCdEf with an explicit deny in a resource-based policy";
        assert!(matches!(read_pasted(&doc, "paste", m), Pasted::Request(_)));
        assert!(matches!(
            read_pasted(&doc, "paste", "hello"),
            Pasted::Errors(_)
        ));
        // two files are one trail
        let Pasted::Trail(both, _) = read_trail_files(
            &doc,
            &[
                fixture("trail/cloudtrail-log.json"),
                fixture("trail/lookup-events.json"),
            ],
        ) else {
            panic!("a trail");
        };
        assert_eq!(both.len(), 9);
    }
}
