//! The case format of `abacus eval` (`shared/DESIGN.md`, "Interfaces others rely on").
//!
//! A file holds one case or an array of cases:
//! `{"name", "request": {"principal", "action", "resource", "context"},
//! "identityPolicies": [doc], "resourcePolicy": doc, "permissionBoundaries": [doc],
//! "sessionPolicy": doc, "serviceControlPolicies": [[doc], ...],
//! "resourceControlPolicies": [[doc], ...], "managementAccountId", "expected"}`.
//! Outer SCP/RCP arrays are organization levels, root first. A doc is a JSON object, or
//! a JSON string holding policy text (so that malformed policies can be tested). Unknown
//! fields (`doc`, the AWS page a case cites; notes) are accepted and ignored.
//!
//! The file is read once, from its text: each case of an array is deserialized from its own
//! slice, and a policy given as an object keeps its exact source text and where it starts in
//! the file, so that its diagnostics point into the file.

use crate::authorize::{authorize, authorize_decision, Authorization, NamedPolicy, PolicySet};
use crate::decision::Decision;
use crate::diagnostic::{Diagnostic, LineIndex, Position};
use crate::kind::PolicyKind;
use crate::request::Request;
use scan::{split_array, ArrayScan, Walker};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

mod pieces;
mod scan;

pub use pieces::{LineParts, NotLines, PieceStart};

/// A policy document in a case: its text, exactly as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDoc {
    /// The policy text (the object's source text, or the string's content).
    pub text: String,
    /// Where the text starts in the case file (byte offset and position), for a policy given
    /// as an object; `None` for policy text in a JSON string, whose positions are its own.
    pub origin: Option<(usize, Position)>,
    /// The text's address while the file is read (see [`parse_cases`], which turns it into
    /// `origin`); `None` afterwards.
    address: Option<usize>,
}

impl PolicyDoc {
    /// A policy document of `text`, from no file.
    pub fn new(text: impl Into<String>) -> Self {
        PolicyDoc {
            text: text.into(),
            origin: None,
            address: None,
        }
    }
}

impl<'de> Deserialize<'de> for PolicyDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // borrowed: the slice of the file itself, whose address says where it is
        let raw: &'de RawValue = Deserialize::deserialize(deserializer)?;
        let text = raw.get().trim_start();
        if text.starts_with('"') {
            let s: String = serde_json::from_str(text).map_err(serde::de::Error::custom)?;
            Ok(PolicyDoc::new(s))
        } else if text.starts_with('{') {
            Ok(PolicyDoc {
                text: text.to_owned(),
                origin: None,
                address: Some(text.as_ptr() as usize),
            })
        } else {
            Err(serde::de::Error::custom(
                "a policy must be a JSON object or a string holding policy text",
            ))
        }
    }
}

impl Serialize for PolicyDoc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// One test case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The AWS documentation page the case encodes (title), if given.
    #[serde(default)]
    pub doc: Option<String>,
    /// The request.
    pub request: Request,
    /// Identity-based policies.
    #[serde(default)]
    pub identity_policies: Vec<PolicyDoc>,
    /// Resource-based policy (or the role trust policy for STS role actions).
    #[serde(default)]
    pub resource_policy: Option<PolicyDoc>,
    /// Permissions boundaries.
    #[serde(default)]
    pub permission_boundaries: Vec<PolicyDoc>,
    /// Session policy.
    #[serde(default)]
    pub session_policy: Option<PolicyDoc>,
    /// SCPs by organization level, root first.
    #[serde(default)]
    pub service_control_policies: Vec<Vec<PolicyDoc>>,
    /// RCPs by organization level, root first.
    #[serde(default)]
    pub resource_control_policies: Vec<Vec<PolicyDoc>>,
    /// The organization's management account id, if it matters.
    #[serde(default)]
    pub management_account_id: Option<String>,
    /// The expected decision.
    #[serde(default)]
    pub expected: Option<Decision>,
}

impl Case {
    /// Every policy document, in the order of [`Case::policy_set`]'s kinds: identity,
    /// resource, boundaries, session, SCPs, RCPs.
    fn docs_mut(&mut self) -> impl Iterator<Item = &mut PolicyDoc> {
        self.identity_policies
            .iter_mut()
            .chain(self.resource_policy.iter_mut())
            .chain(self.permission_boundaries.iter_mut())
            .chain(self.session_policy.iter_mut())
            .chain(self.service_control_policies.iter_mut().flatten())
            .chain(self.resource_control_policies.iter_mut().flatten())
    }

    /// The origins of [`Case::docs_mut`], in the same order.
    fn origins(&self) -> Vec<Option<(usize, Position)>> {
        self.identity_policies
            .iter()
            .chain(self.resource_policy.iter())
            .chain(self.permission_boundaries.iter())
            .chain(self.session_policy.iter())
            .chain(self.service_control_policies.iter().flatten())
            .chain(self.resource_control_policies.iter().flatten())
            .map(|d| d.origin)
            .collect()
    }

    /// Turns the addresses its policies were read at into places in `text`, which starts at
    /// byte `base` of the file, moving `walker` (over `text`) forward (cases come in file
    /// order; within a case, policies are visited by offset).
    fn anchor(&mut self, text: &str, base: usize, walker: &mut Walker<'_>) {
        let start = text.as_ptr() as usize;
        let mut docs: Vec<(usize, &mut PolicyDoc)> = self
            .docs_mut()
            .filter_map(|doc| {
                let offset = doc.address.take()?.checked_sub(start)?;
                (offset <= text.len()).then_some((offset, doc))
            })
            .collect();
        docs.sort_by_key(|(offset, _)| *offset);
        for (offset, doc) in docs {
            doc.origin = Some((base + offset, walker.position(offset)));
        }
    }

    /// Parses every policy and assembles the policy set. Policies are named by role and
    /// position: `identity[0]`, `resource`, `scp[1][0]`, ...
    pub fn policy_set(&self) -> PolicySet {
        let named = |name: String, d: &PolicyDoc| NamedPolicy::from_text(name, &d.text);
        PolicySet {
            identity: self
                .identity_policies
                .iter()
                .enumerate()
                .map(|(i, d)| named(format!("identity[{i}]"), d))
                .collect(),
            resource: self
                .resource_policy
                .as_ref()
                .map(|d| named("resource".into(), d)),
            permission_boundaries: self
                .permission_boundaries
                .iter()
                .enumerate()
                .map(|(i, d)| named(format!("boundary[{i}]"), d))
                .collect(),
            session: self
                .session_policy
                .as_ref()
                .map(|d| named("session".into(), d)),
            scps: levels(&self.service_control_policies, "scp"),
            rcps: levels(&self.resource_control_policies, "rcp"),
            management_account_id: self.management_account_id.clone(),
            caller_side_only: false,
        }
    }
}

fn levels(levels: &[Vec<PolicyDoc>], prefix: &str) -> Vec<Vec<NamedPolicy>> {
    levels
        .iter()
        .enumerate()
        .map(|(l, docs)| {
            docs.iter()
                .enumerate()
                .map(|(i, d)| NamedPolicy::from_text(format!("{prefix}[{l}][{i}]"), &d.text))
                .collect()
        })
        .collect()
}

/// A diagnostic in one of a case's policies.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyDiagnostic {
    /// The policy's name within the case.
    pub policy: String,
    /// The diagnostic.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

/// The result of running one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseOutcome {
    /// The case's name.
    pub name: Option<String>,
    /// The decision.
    pub decision: Decision,
    /// The expected decision, if the case gave one.
    pub expected: Option<Decision>,
    /// `Some(true)` when it matched the expectation.
    pub passed: Option<bool>,
    /// Errors and warnings in the case's policies.
    pub diagnostics: Vec<PolicyDiagnostic>,
    /// The full authorization (decision, explanation, deciding statements, ...).
    pub authorization: Authorization,
}

/// A case's decision without the explanation: what `abacus eval` prints unless it is asked
/// to explain.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseVerdict {
    /// The case's name.
    pub name: Option<String>,
    /// The decision.
    pub decision: Decision,
    /// The expected decision, if the case gave one.
    pub expected: Option<Decision>,
    /// `Some(true)` when it matched the expectation.
    pub passed: Option<bool>,
    /// Errors and warnings in the case's policies.
    pub diagnostics: Vec<PolicyDiagnostic>,
}

/// Decides one case on the evaluator's fast path ([`authorize_decision`]: no explanation).
pub fn decide_case(case: &Case) -> CaseVerdict {
    let set = case.policy_set();
    let decision = authorize_decision(&set, &case.request);
    CaseVerdict {
        name: case.name.clone(),
        decision,
        expected: case.expected,
        passed: case.expected.map(|e| e == decision),
        diagnostics: case_diagnostics(case, &set),
    }
}

/// Runs one case.
pub fn run_case(case: &Case) -> CaseOutcome {
    let set = case.policy_set();
    let authorization = authorize(&set, &case.request);
    CaseOutcome {
        name: case.name.clone(),
        decision: authorization.decision,
        expected: case.expected,
        passed: case.expected.map(|e| e == authorization.decision),
        diagnostics: case_diagnostics(case, &set),
        authorization,
    }
}

/// The diagnostics of every policy of `case` (parsed into `set`), placed in the case file
/// where the policy was given as an object.
fn case_diagnostics(case: &Case, set: &PolicySet) -> Vec<PolicyDiagnostic> {
    let mut diagnostics = Vec::new();
    let mut origins = case.origins().into_iter();
    let all = set
        .identity
        .iter()
        .map(|p| (p, PolicyKind::Identity))
        .chain(set.resource.iter().map(|p| (p, PolicyKind::Resource)))
        .chain(
            set.permission_boundaries
                .iter()
                .map(|p| (p, PolicyKind::PermissionBoundary)),
        )
        .chain(set.session.iter().map(|p| (p, PolicyKind::Session)))
        .chain(set.scps.iter().flatten().map(|p| (p, PolicyKind::Scp)))
        .chain(set.rcps.iter().flatten().map(|p| (p, PolicyKind::Rcp)));
    for (p, kind) in all {
        let origin = origins.next().flatten();
        for d in p.parsed.diagnostics_for(kind) {
            diagnostics.push(PolicyDiagnostic {
                policy: p.name.clone(),
                diagnostic: match origin {
                    Some(o) => in_file(d, o),
                    None => d,
                },
            });
        }
    }
    diagnostics
}

/// `d`, found in a policy whose text starts at `origin` in the file, placed in the file.
fn in_file(mut d: Diagnostic, (offset, at): (usize, Position)) -> Diagnostic {
    let place = |p: Position| {
        if p.line == 1 {
            Position {
                line: at.line,
                column: at.column + p.column - 1,
                column_utf16: at.column_utf16 + p.column_utf16 - 1,
            }
        } else {
            Position {
                line: at.line + p.line - 1,
                ..p
            }
        }
    };
    d.span.start += offset;
    d.span.end += offset;
    d.start = place(d.start);
    d.end = place(d.end);
    d
}

/// A case file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseError {
    /// Lowercase message.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::fmt::Display for CaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Reads one case or an array of cases, from the text itself: each case of an array from
/// its own slice (no intermediate JSON value, keys in their written order), and errors
/// placed in the file.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, CaseError> {
    let file = CaseFile::split(text)?;
    file.read(0..file.len()).collect()
}

/// A case file split into its cases, each still text, so that they can be read in parts
/// (on several threads: `abacus eval` reads and decides each part where it is read).
pub struct CaseFile<'a> {
    text: &'a str,
    /// Each case's text and where it starts in the file.
    cases: Vec<(usize, &'a str)>,
    /// The file is one case, not an array.
    single: bool,
}

impl<'a> CaseFile<'a> {
    /// Splits `text`: one case object, or an array of them. Fails when the file is not
    /// JSON, or neither an object nor an array.
    pub fn split(text: &'a str) -> Result<Self, CaseError> {
        match text.trim_start().chars().next() {
            Some('[') => {
                let cases = match split_array(text) {
                    Some(cases) => cases,
                    // not plain JSON at the top level: serde finds and places the error
                    None => {
                        let items: Vec<&RawValue> =
                            serde_json::from_str(text).map_err(|e| located(text, e, 0, None))?;
                        let start = text.as_ptr() as usize;
                        items
                            .iter()
                            .map(|raw| {
                                let slice = raw.get();
                                ((slice.as_ptr() as usize).saturating_sub(start), slice)
                            })
                            .collect()
                    }
                };
                Ok(CaseFile {
                    text,
                    cases,
                    single: false,
                })
            }
            Some('{') => Ok(CaseFile {
                text,
                cases: vec![(0, text)],
                single: true,
            }),
            _ => Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                Err(e) => located(text, e, 0, None),
                Ok(_) => CaseError {
                    message: "a case file holds a case object or an array of cases".into(),
                    line: 1,
                    column: 1,
                },
            }),
        }
    }

    /// How many cases the file holds.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// True for an empty array.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// Reads the cases of `range` (indexes into the file's cases), in order and one at a
    /// time (a caller that decides each case and drops it holds one case in memory); an
    /// error names its case and its place in the file.
    pub fn read(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = Result<Case, CaseError>> + '_ {
        let first = range.start;
        let cases = self.cases.get(range).unwrap_or_default();
        let walker = Walker::new(self.text);
        read_cases(self.text, 0, cases, first, self.single, false, walker)
    }

    /// The file's cases in parts of about `part_bytes` of text each, found as the file is
    /// scanned: a caller can decide the first part while the rest of the file is still
    /// being split (on a many-megabyte array the split is the one step on one core). The
    /// parts hold the cases [`CaseFile::split`] finds, in order; a file that is not a
    /// plain array of objects is split as [`CaseFile::split`] does, and its error (if any)
    /// is the last item.
    pub fn parts(text: &'a str, part_bytes: usize) -> CaseParts<'a> {
        CaseParts {
            text,
            scan: ArrayScan::new(text).ok(),
            walker: Walker::new(text),
            next: 0,
            part_bytes: part_bytes.max(1),
            done: false,
            guessed: false,
        }
    }
}

impl<'a> CaseFile<'a> {
    /// The parts of `piece`, text of a file of one case per line that starts at `start` (see
    /// [`LineParts`]): for deciding the file's first cases while the rest is still read.
    pub fn line_parts(piece: &'a str, start: PieceStart, part_bytes: usize) -> LineParts<'a> {
        LineParts::new(piece, start, part_bytes)
    }
}

/// Reads `cases` (slices of `text`, which starts at byte `base` of the file; the first of
/// them case number `first`) in order, one at a time; `walker` places their policies in the
/// file and must not be past the first.
/// When the cases were `guessed` ([`CaseParts::guessing_lines`]), one that does not read
/// says only that (its real error needs the file split again).
fn read_cases<'a>(
    text: &'a str,
    base: usize,
    cases: &'a [(usize, &'a str)],
    first: usize,
    single: bool,
    guessed: bool,
    mut walker: Walker<'a>,
) -> impl Iterator<Item = Result<Case, CaseError>> + 'a {
    cases.iter().enumerate().map(move |(i, &(at, slice))| {
        let case = (!single).then_some(first + i);
        let mut c: Case = serde_json::from_str(slice).map_err(|e| {
            if guessed {
                // (placing the error would read the whole file, for every such case)
                return CaseError {
                    message: format!(
                        "case {}: not read (the file was split at line ends; split it again without guessing)",
                        first + i
                    ),
                    line: 1,
                    column: 1,
                };
            }
            // a case that is not even JSON may have misled the quick split: report what
            // serde finds in the whole file, as if it had split it (`text` is the whole
            // file here: the cases of a piece are guesses)
            if !single {
                if let Err(whole) = serde_json::from_str::<Vec<&RawValue>>(text) {
                    return located(text, whole, 0, None);
                }
            }
            located(text, e, at, case)
        })?;
        c.anchor(text, base, &mut walker);
        Ok(c)
    })
}

/// Consecutive cases of a file (see [`CaseFile::parts`]).
pub struct CasePart<'a> {
    /// The file's text, or the piece of it the part was found in.
    text: &'a str,
    /// Where `text` starts in the file.
    base: usize,
    /// The number of the first case in the file.
    first: usize,
    cases: Vec<(usize, &'a str)>,
    single: bool,
    /// Split while the scan guessed lines (see [`read_cases`]).
    guessed: bool,
    /// Where the first case starts: offset in `text` and position in the file.
    start: (usize, Position),
}

impl CasePart<'_> {
    /// How many cases the part holds.
    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// Reads the part's cases, as [`CaseFile::read`] does.
    pub fn read(&self) -> impl Iterator<Item = Result<Case, CaseError>> + '_ {
        let (offset, at) = self.start;
        let walker = Walker::at(self.text, offset, at);
        read_cases(
            self.text,
            self.base,
            &self.cases,
            self.first,
            self.single,
            self.guessed,
            walker,
        )
    }
}

/// The parts of a case file, split as they are asked for (see [`CaseFile::parts`]).
pub struct CaseParts<'a> {
    text: &'a str,
    /// The quick scan, until it ends or meets something irregular.
    scan: Option<ArrayScan<'a>>,
    /// Places each part's first case.
    walker: Walker<'a>,
    /// The number of the next case.
    next: usize,
    part_bytes: usize,
    done: bool,
    /// A scan that ended had guessed.
    guessed: bool,
}

impl<'a> CaseParts<'a> {
    /// The same parts, splitting a file of one case per line at its line ends instead of
    /// following every bracket: much less work, but a guess (a line could be part of a
    /// case). The parts are right when every one of their cases reads; when one does not
    /// (its error then says only that, as placing it would read the whole file), split the
    /// file again without guessing for the right cases and errors.
    pub fn guessing_lines(mut self) -> Self {
        self.scan = self.scan.map(ArrayScan::guessing_lines);
        self
    }

    /// True when some part so far was split by guessing lines.
    pub fn guessed(&self) -> bool {
        self.guessed || self.scan.as_ref().is_some_and(ArrayScan::guessed)
    }

    fn part(&mut self, cases: Vec<(usize, &'a str)>, single: bool) -> CasePart<'a> {
        let first = self.next;
        self.next += cases.len();
        // (parts are made of one case or more: the first always exists)
        let offset = cases.first().map_or(0, |&(offset, _)| offset);
        CasePart {
            text: self.text,
            base: 0,
            first,
            cases,
            single,
            guessed: self.guessed(),
            start: (offset, self.walker.position(offset)),
        }
    }

    /// The quick scan met something irregular: the cases not given yet (or the error), as
    /// [`CaseFile::split`] finds them.
    fn rest_as_split(&mut self) -> Option<Result<CasePart<'a>, CaseError>> {
        self.done = true;
        self.guessed = self.guessed();
        self.scan = None;
        match CaseFile::split(self.text) {
            Err(e) => Some(Err(e)),
            Ok(file) => {
                let rest: Vec<_> = file.cases.into_iter().skip(self.next).collect();
                (!rest.is_empty()).then(|| Ok(self.part(rest, file.single)))
            }
        }
    }
}

impl<'a> Iterator for CaseParts<'a> {
    type Item = Result<CasePart<'a>, CaseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let Some(scan) = self.scan.as_mut() else {
            return self.rest_as_split();
        };
        let mut cases = Vec::new();
        match scan::take_part(self.part_bytes, &mut cases, || scan.next_element()) {
            Ok(ended) => self.done = ended,
            Err(scan::Irregular) => return self.rest_as_split(),
        }
        (!cases.is_empty()).then(|| Ok(self.part(cases, false)))
    }
}

/// A serde error in `slice` (which starts at `base` in `text`), placed in the file.
fn located(text: &str, e: serde_json::Error, base: usize, case: Option<usize>) -> CaseError {
    let prefix = case.map(|i| format!("case {i}: ")).unwrap_or_default();
    // serde_json's line and column are inside the slice
    let at = LineIndex::new(text).position(base);
    let (line, column) = match e.line().max(1) {
        1 => (at.line, at.column + e.column().max(1) - 1),
        n => (at.line + n - 1, e.column().max(1)),
    };
    CaseError {
        message: format!("{prefix}{e}"),
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A case whose name is `name` (any text), laid out as `layout` says: 0 on one line,
    /// 1 pretty-printed over several lines, 2 on two lines that each run from `{` to `}`.
    fn laid_out(name: &str, layout: u8) -> String {
        let name = serde_json::to_string(name).unwrap();
        let request = r#"{"principal": "p", "action": "s3:GetObject", "resource": "*"}"#;
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
        match layout % 3 {
            0 => format!("{{\"name\": {name}, \"request\": {request}, \"identityPolicies\": [{policy}]}}"),
            1 => format!("{{\n  \"name\": {name},\n  \"request\": {request},\n  \"identityPolicies\": [\n    {policy}\n  ]\n}}"),
            _ => format!("{{\"name\": {name}, \"identityPolicies\": [{policy},\n{policy}], \"request\": {request}}}"),
        }
    }

    proptest! {
        // whatever the layout and the part size, parts hold the cases of the whole file;
        // guessing lines, they do too whenever every case reads (when one does not, the
        // caller splits again without guessing)
        #[test]
        fn parts_and_guessed_parts_agree_with_the_whole_file(
            cases in proptest::collection::vec(("[a-z},\\[\\]\"{ \n]{0,12}", 0u8..3), 0..12),
            part_bytes in 1usize..2_000,
        ) {
            let text = format!(
                "[\n{}\n]\n",
                cases.iter().map(|(n, l)| laid_out(n, *l)).collect::<Vec<_>>().join(",\n")
            );
            let whole = parse_cases(&text).unwrap();
            prop_assert_eq!(via_parts(&text, part_bytes).unwrap(), whole.clone());
            let mut guessed = Vec::new();
            let mut all_read = true;
            for part in CaseFile::parts(&text, part_bytes).guessing_lines() {
                for case in part.unwrap().read() {
                    match case {
                        Ok(case) => guessed.push(case),
                        Err(_) => all_read = false,
                    }
                }
            }
            if all_read {
                prop_assert_eq!(guessed, whole);
            }
        }
    }

    /// Every case of `text` read part by part (parts of about `bytes`).
    fn via_parts(text: &str, bytes: usize) -> Result<Vec<Case>, CaseError> {
        let mut cases = Vec::new();
        for part in CaseFile::parts(text, bytes) {
            for case in part?.read() {
                cases.push(case?);
            }
        }
        Ok(cases)
    }

    #[test]
    fn parts_hold_the_cases_the_whole_file_holds() {
        let case = |n: usize| {
            format!(
                "{{\"name\": \"c{n}\", \"request\": {{\"principal\": \"p\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}},\n  \"identityPolicies\": [{{\"Version\": \"2012-10-17\", \"Statement\": [[]]}}]}}"
            )
        };
        let many = format!(
            "[\n{}\n]\n",
            (0..7).map(case).collect::<Vec<_>>().join(",\n")
        );
        let texts = [
            many.as_str(),
            "[]",
            // one case, not an array
            r#"{"request":{"principal":"p","action":"s3:GetObject","resource":"*"}}"#,
            // valid JSON the quick scan does not split: the rest as serde splits it
            r#"[{"request":{"principal":"p","action":"s3:GetObject","resource":"*"}}, 1]"#,
            // not JSON, and a case that is not
            "[{}, {} {}]",
            "[\n{\"name\": \"a\", \"request\" {}}\n]",
            "[1,",
        ];
        for text in texts {
            let whole = parse_cases(text);
            for bytes in [1, 100, 400, usize::MAX] {
                assert_eq!(via_parts(text, bytes), whole, "{bytes}: {text}");
            }
        }
        // the policies of later parts are placed in the file, as in the whole file's read
        let whole = parse_cases(&many).unwrap();
        let last = whole.last().unwrap().identity_policies[0].origin.unwrap();
        assert_eq!(last.1.line, 15);
        assert_eq!(CaseFile::parts(&many, 400).count(), 3);
    }

    #[test]
    fn guessing_lines_finds_the_cases_of_a_file_of_one_case_per_line() {
        let case = |n: usize| {
            format!(
                "{{\"name\": \"c{n}\", \"request\": {{\"principal\": \"p\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}}, \"identityPolicies\": [{{\"Version\": \"2012-10-17\", \"Statement\": [[]]}}]}}"
            )
        };
        let cases: Vec<String> = (0..6).map(case).collect();
        let one_per_line = format!("[\n{}\n]\n", cases.join(",\n"));
        // pretty-printed from the fourth case on: the guess stops there
        let mixed = format!(
            "[\n{},\n  {{\n \"name\": \"late\",\n \"request\": {{\"principal\": \"p\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}}\n  }}\n]",
            cases.get(..3).unwrap().join(",\n")
        );
        for text in [&one_per_line, &mixed] {
            for bytes in [1, 300, usize::MAX] {
                let mut parts = CaseFile::parts(text, bytes).guessing_lines();
                let mut read = Vec::new();
                for part in parts.by_ref() {
                    read.extend(part.unwrap().read().map(Result::unwrap));
                }
                assert!(parts.guessed());
                assert_eq!(read, parse_cases(text).unwrap(), "{bytes}: {text}");
            }
        }
        // a line that is only part of a case is a wrong guess: that case does not read
        let request = r#""request": {"principal": "p", "action": "s3:GetObject", "resource": "*"}"#;
        let wrong = format!(
            "[\n{{\"name\": \"a\", \"identityPolicies\": [{{\"Version\": \"2012-10-17\"}},\n{{\"Version\": \"2012-10-17\"}}], {request}}},\n{{\"name\": \"b\", {request}}}\n]"
        );
        assert_eq!(parse_cases(&wrong).unwrap().len(), 2);
        let mut parts = CaseFile::parts(&wrong, usize::MAX).guessing_lines();
        let first = parts.next().unwrap().unwrap();
        assert_eq!(first.len(), 3);
        assert!(first.read().next().unwrap().is_err());
        assert!(parts.guessed());
        // a line that does not look whole ends the guess, and the split is right from there
        let two_lines = one_per_line.replace(", \"identityPolicies\"", ",\n\"identityPolicies\"");
        let mut parts = CaseFile::parts(&two_lines, usize::MAX).guessing_lines();
        let cases: Vec<Case> = parts
            .next()
            .unwrap()
            .unwrap()
            .read()
            .map(Result::unwrap)
            .collect();
        assert_eq!(cases, parse_cases(&two_lines).unwrap());
        // without guessing, nothing is a guess
        let mut parts = CaseFile::parts(&one_per_line, 10);
        assert_eq!(parts.by_ref().count(), 6);
        assert!(!parts.guessed());
    }

    #[test]
    fn a_case_that_is_not_json_is_reported_as_serde_reads_the_file() {
        // the quick split accepts this (brackets balance), the case itself is not JSON
        let text = "[\n{\"name\": \"a\", \"request\" {}}\n]";
        let whole = serde_json::from_str::<Vec<&RawValue>>(text).unwrap_err();
        let err = parse_cases(text).unwrap_err();
        assert_eq!(err.message, whole.to_string());
        assert_eq!((err.line, err.column), (whole.line(), whole.column()));
    }

    // IAM User Guide: "Policy evaluation logic"
    #[test]
    fn reads_and_runs_cases() {
        let text = r#"[{"name":"a","doc":"Policy evaluation logic","request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
            "identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}],"expected":"Allow"},
            {"name":"b","request":{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
            "identityPolicies":["{\"Version\":\"2012-10-17\",\"Statement\":[[]]}"],"expected":"ImplicitDeny"}]"#;
        let cases = parse_cases(text).unwrap();
        assert_eq!(cases.len(), 2);
        let a = run_case(&cases[0]);
        assert_eq!(a.passed, Some(true));
        let b = run_case(&cases[1]);
        assert_eq!(b.passed, Some(true));
        assert!(b
            .diagnostics
            .iter()
            .any(|d| d.diagnostic.code == "policy-nested-statement-array"));
    }

    #[test]
    fn single_case_and_errors() {
        let one = r#"{"request":{"principal":"p","action":"s3:GetObject","resource":"*"}}"#;
        assert_eq!(parse_cases(one).unwrap().len(), 1);
        let err = parse_cases("{\n  \"request\": 1\n}").unwrap_err();
        assert!(err.line >= 1);
        let err = parse_cases("[1,").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn diagnostics_of_object_policies_in_array_files_point_into_the_file() {
        // the policy object starts on line 3, column 25; its `Statement` holds a nested array
        let text = "[\n  {\"request\": {\"principal\": \"p\", \"action\": \"s3:GetObject\", \"resource\": \"*\"},\n   \"identityPolicies\": [{\"Version\": \"2012-10-17\",\n      \"Statement\": [[]]}]}\n]";
        let cases = parse_cases(text).unwrap();
        let doc = &cases[0].identity_policies[0];
        assert!(
            doc.text.starts_with("{\"Version\""),
            "the written text, not re-serialized"
        );
        assert_eq!(doc.origin.map(|(_, p)| (p.line, p.column)), Some((3, 25)));
        let outcome = run_case(&cases[0]);
        let d = &outcome.diagnostics[0].diagnostic;
        assert_eq!(d.code, "policy-nested-statement-array");
        assert_eq!(
            text.get(d.span.start..d.span.start + 2),
            Some("[]"),
            "the span is the file's: the nested array"
        );
        assert_eq!((d.start.line, d.start.column), (4, 21));
        // policy text in a string keeps its own positions
        let text = r#"{"request":{"principal":"p","action":"a:B","resource":"*"},"identityPolicies":["{\"Statement\":[[]]}"]}"#;
        let outcome = run_case(&parse_cases(text).unwrap()[0]);
        assert_eq!(outcome.diagnostics[0].diagnostic.start.line, 1);
    }

    #[test]
    fn errors_in_array_files_are_placed_in_the_file() {
        let text = "[\n  {\"request\": {\"principal\": \"p\", \"action\": \"a:B\", \"resource\": \"*\"}},\n  {\"request\": 5}\n]";
        let e = parse_cases(text).unwrap_err();
        assert!(e.message.starts_with("case 1: "), "{e}");
        assert_eq!(e.line, 3, "{e}");
        let e = parse_cases("5").unwrap_err();
        assert!(e.message.contains("case object or an array"), "{e}");
    }
}
