//! `abacus eval FILE... [--explain]`: policy cases in the format of `shared/DESIGN.md`
//! (see `abacus_policy::case`).
//!
//! Prints one JSON line per case: `{"file", "name", "decision", "expected", "passed"}`
//! plus `diagnostics` when a policy has findings, and with `--explain` the reason, the
//! deciding statements, the missing keys and the explanation tree. When any case has an
//! expectation it ends with `N passed, N failed` and exits 1 on a mismatch. Unreadable
//! files are reported with file, line and column and exit 2.

use abacus_policy::case::{
    decide_case, run_case, Case, CaseError, CaseFile, CasePart, PolicyDiagnostic,
};
use abacus_policy::decision::Decision;
use serde::Serialize;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::{mpsc, Mutex, PoisonError};

mod pieces;

use pieces::decide_in_pieces;

const USAGE: &str = "usage: abacus eval FILE... [--explain]";

/// Runs `abacus eval ARGS`.
pub fn main(args: &[String]) -> ExitCode {
    let mut explain = false;
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "--explain" => explain = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with("--") => {
                eprintln!(
                    "error: unknown option `{}`\n{USAGE}",
                    crate::terminal::shown(flag)
                );
                return ExitCode::from(2);
            }
            file => files.push(file),
        }
    }
    if files.is_empty() {
        eprintln!("error: no case files given\n{USAGE}");
        return ExitCode::from(2);
    }
    let (mut passed, mut failed, mut bad_files) = (0usize, 0usize, 0usize);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut with_expectations = false;
    for file in files {
        let decided = match decide_path(file, explain) {
            Ok(decided) => decided,
            Err(e) => {
                eprintln!("error: {}: cannot read: {e}", crate::terminal::shown(file));
                bad_files += 1;
                continue;
            }
        };
        let lines = match decided {
            Ok(lines) => lines,
            Err(e) => {
                eprintln!(
                    "error: {}:{}:{}: {}",
                    crate::terminal::shown(file),
                    e.line,
                    e.column.max(1),
                    crate::terminal::shown(&e.message)
                );
                bad_files += 1;
                continue;
            }
        };
        passed += lines.passed;
        failed += lines.failed;
        with_expectations |= lines.passed + lines.failed > 0;
        // a file's lines go out in one write (stdout flushes every line otherwise: one
        // system call per case), before anything said about the next file
        if out.write_all(&lines.text).is_err() {
            return ExitCode::from(2); // stdout closed (e.g. piped into `head`)
        }
    }
    if with_expectations && writeln!(out, "{passed} passed, {failed} failed").is_err() {
        return ExitCode::from(2);
    }
    if bad_files > 0 {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The printed lines of consecutive cases, and how many met or missed their expectations.
#[derive(Debug, Default, PartialEq)]
struct Lines {
    /// The lines, one a case, each ended by a line feed (JSON: UTF-8).
    text: Vec<u8>,
    passed: usize,
    failed: usize,
}

impl Lines {
    /// These lines, then those of `parts` in order.
    fn joined(mut self, parts: Vec<Lines>) -> Lines {
        self.text
            .reserve(parts.iter().map(|p| p.text.len()).sum::<usize>());
        for part in parts {
            self.append(part);
        }
        self
    }

    fn append(&mut self, more: Lines) {
        self.text.extend_from_slice(&more.text);
        self.passed += more.passed;
        self.failed += more.failed;
    }

    /// The line of case `n` (tests).
    #[cfg(test)]
    fn line(&self, n: usize) -> &str {
        let text = std::str::from_utf8(&self.text).unwrap_or_default();
        text.lines().nth(n).unwrap_or_default()
    }

    /// How many cases (tests).
    #[cfg(test)]
    fn cases(&self) -> usize {
        self.text.iter().filter(|&&b| b == b'\n').count()
    }
}

/// Text per part of a case file (see [`CaseFile::parts`]): a few hundred cases, enough that
/// handing a part to a thread costs nothing next to deciding it.
const PART_BYTES: usize = 256 * 1024;

/// Parts decided by the threads: each part's number and its lines, or the error of its
/// first unreadable case.
type Decided = Mutex<Vec<(usize, Result<Lines, CaseError>)>>;

/// A file of at least this many bytes is read in pieces (see [`decide_in_pieces`]).
const PIECES_FROM_BYTES: usize = 4 * 1024 * 1024;

/// Reads the file `file` and decides every case, in order, spreading them over the
/// machine's cores: cases are independent, and a file of thousands is common (corpora,
/// generated checks). The first unreadable case (in file order) fails the whole file, as
/// does a file that cannot be split, before anything is printed. `Err` when the file
/// cannot be read.
fn decide_path(file: &str, explain: bool) -> std::io::Result<Result<Lines, CaseError>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut f = std::fs::File::open(file)?;
    // (0 for what has no length, a pipe: read at once)
    let len = f
        .metadata()
        .map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX));
    if threads < 2 || len < PIECES_FROM_BYTES {
        return Ok(decide_on(file, &read_whole(f)?, explain, threads));
    }
    decide_in_pieces(file, &mut f, explain, threads, PART_BYTES)
}

/// All of `reader`'s text.
fn read_whole(mut reader: impl Read) -> std::io::Result<String> {
    let mut text = String::new();
    reader.read_to_string(&mut text)?;
    Ok(text)
}

/// What reading text that is not UTF-8 says (as `read_to_string` says it).
fn not_utf8() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "stream did not contain valid UTF-8",
    )
}

/// Decides the cases of the file `file`, whose text is `text`, on `threads` threads. A file
/// of one case per line is split at its line ends
/// ([`abacus_policy::case::CaseParts::guessing_lines`]); when a case then does not read, the
/// file is split again by its brackets, which finds the right cases and errors.
fn decide_on(file: &str, text: &str, explain: bool, threads: usize) -> Result<Lines, CaseError> {
    match decide_parts(file, text, explain, threads, true) {
        (Err(_), Guessed(true)) => decide_parts(file, text, explain, threads, false).0,
        (decided, _) => decided,
    }
}

/// Whether some part was split by guessing lines (see [`decide_on`]).
struct Guessed(bool);

/// [`decide_on`], guessing lines or not, and whether it guessed.
fn decide_parts(
    file: &str,
    text: &str,
    explain: bool,
    threads: usize,
    guess_lines: bool,
) -> (Result<Lines, CaseError>, Guessed) {
    // below a few parts a thread costs more than it saves
    if threads < 2 || text.len() < 2 * PART_BYTES {
        let one_by_one = || -> Result<Lines, CaseError> {
            let mut lines = Lines::default();
            for part in CaseFile::parts(text, usize::MAX) {
                lines.append(decide_part(file, &part?, explain)?);
            }
            Ok(lines)
        };
        return (one_by_one(), Guessed(false));
    }
    let mut parts = CaseFile::parts(text, PART_BYTES);
    if guess_lines {
        parts = parts.guessing_lines();
    }
    // no more helpers than parts
    let helpers = (threads - 1).min(text.len() / PART_BYTES);
    let decided = decide_spread(file, explain, helpers, parts.by_ref(), Lines::default());
    (decided, Guessed(parts.guessed()))
}

/// A part's lines, or the error of its first unreadable case (only the file's first is
/// reported).
fn decide_part(file: &str, part: &CasePart<'_>, explain: bool) -> Result<Lines, CaseError> {
    let mut lines = Lines::default();
    for case in part.read() {
        print_case(&mut lines, file, &case?, explain);
    }
    Ok(lines)
}

/// Decides `parts` on this thread and `helpers` more: this thread hands each part to the
/// next free thread as soon as the iterator gives it (so a split that scans the file
/// overlaps the deciding), then decides parts itself. The lines `before`, then those of the
/// parts in order; else the split's error (the iterator's), or the first unreadable case in
/// file order.
fn decide_spread<'a, E: Into<CaseError>>(
    file: &str,
    explain: bool,
    helpers: usize,
    parts: impl Iterator<Item = Result<CasePart<'a>, E>>,
    before: Lines,
) -> Result<Lines, CaseError> {
    let (parts_tx, parts_rx) = mpsc::channel::<(usize, CasePart<'_>)>();
    let parts_rx = Mutex::new(parts_rx);
    let decided: Decided = Mutex::new(Vec::new());
    // decides a part and keeps its lines (no lock is held while deciding, so none is ever
    // poisoned by a panic there)
    let decide_and_keep = |number: usize, part: CasePart<'_>| {
        let lines = decide_part(file, &part, explain);
        decided
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((number, lines));
    };
    // takes parts until the split has ended and every part is taken
    let work = || loop {
        let next = match parts_rx.lock() {
            Ok(rx) => rx.recv(),
            // (a thread panicked holding it: the parts it left are counted missing below)
            Err(_) => return,
        };
        let Ok((number, part)) = next else {
            return;
        };
        decide_and_keep(number, part);
    };
    let mut sent = 0;
    let mut split_error = None;
    let mut lost = false;
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (0..helpers).map(|_| scope.spawn(work)).collect();
        for part in parts {
            match part {
                Ok(part) => {
                    // (the receiver lives as long as this function: sending cannot fail, and
                    // if it did, this thread decides the part)
                    if let Err(mpsc::SendError((number, part))) = parts_tx.send((sent, part)) {
                        decide_and_keep(number, part);
                    }
                    sent += 1;
                }
                Err(e) => {
                    split_error = Some(e.into());
                    break;
                }
            }
        }
        drop(parts_tx);
        work();
        for helper in helpers {
            // the release build aborts on a panic; a test build reports it below
            lost |= helper.join().is_err();
        }
    });
    if let Some(e) = split_error {
        return Err(e);
    }
    let mut decided = decided.into_inner().unwrap_or_else(PoisonError::into_inner);
    if lost || decided.len() != sent {
        return Err(CaseError {
            message: "internal error while deciding these cases".into(),
            line: 1,
            column: 1,
        });
    }
    decided.sort_by_key(|(number, _)| *number);
    let parts: Result<Vec<Lines>, CaseError> =
        decided.into_iter().map(|(_, lines)| lines).collect();
    Ok(before.joined(parts?))
}

/// The JSON line of one case (keys in alphabetical order, as serde_json's maps print them).
#[derive(Serialize)]
struct Line<'a> {
    decision: Decision,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnostics: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<Decision>,
    file: &'a str,
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    passed: Option<bool>,
}

fn diagnostics_value(diagnostics: &[PolicyDiagnostic]) -> Option<Value> {
    (!diagnostics.is_empty()).then(|| json!(diagnostics))
}

/// Prints the line of `case` into `lines`, and counts its expectation.
fn print_case(lines: &mut Lines, file: &str, case: &Case, explain: bool) {
    let before = lines.text.len();
    let (written, passed) = if explain {
        let outcome = run_case(case);
        let line = explained_line(file, &outcome);
        (
            serde_json::to_writer(&mut lines.text, &line),
            outcome.passed,
        )
    } else {
        let v = decide_case(case);
        let line = Line {
            decision: v.decision,
            diagnostics: diagnostics_value(&v.diagnostics),
            expected: v.expected,
            file,
            name: v.name.as_deref(),
            passed: v.passed,
        };
        (serde_json::to_writer(&mut lines.text, &line), v.passed)
    };
    if let Err(e) = written {
        // (these values always print; if one did not, its line says so)
        lines.text.truncate(before);
        let error = json!({"file": file, "error": format!("cannot print the result: {e}")});
        lines.text.extend_from_slice(error.to_string().as_bytes());
    }
    lines.text.push(b'\n');
    match passed {
        Some(true) => lines.passed += 1,
        Some(false) => lines.failed += 1,
        None => {}
    }
}

/// The line of a case run with `--explain`.
fn explained_line(file: &str, outcome: &abacus_policy::case::CaseOutcome) -> Value {
    let mut line = json!({
        "file": file,
        "name": outcome.name,
        "decision": outcome.decision,
    });
    if let Some(obj) = line.as_object_mut() {
        if let Some(expected) = outcome.expected {
            obj.insert("expected".into(), json!(expected));
            obj.insert("passed".into(), json!(outcome.passed));
        }
        if let Some(d) = diagnostics_value(&outcome.diagnostics) {
            obj.insert("diagnostics".into(), d);
        }
        let a = &outcome.authorization;
        obj.insert("summary".into(), json!(a.explanation.summary));
        obj.insert("accessDenied".into(), json!(a.access_denied));
        obj.insert("deciding".into(), json!(a.deciding));
        obj.insert("missingKeys".into(), json!(a.missing_keys));
        obj.insert("explanation".into(), json!(a.explanation));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case array of about a megabyte (several parts), three lines a case, its case `bad`
    /// not a case.
    pub(super) fn big_file(bad: Option<usize>) -> String {
        let cases: Vec<String> = (0..3_000)
            .map(|n| {
                if Some(n) == bad {
                    return "{\"name\": \"broken\"}".to_owned();
                }
                let effect = if n % 3 == 0 { "Deny" } else { "Allow" };
                format!(
                    "{{\"name\": \"case-{n}\", \"request\": {{\"principal\": \"arn:aws:iam::111122223333:user/u{n}\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::bucket/key-{n}\"}},\n \"identityPolicies\": [{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"{effect}\", \"Action\": \"s3:Get*\", \"Resource\": \"arn:aws:s3:::bucket/key-{n}\"}}, {{\"Effect\": \"Allow\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\", \"Condition\": {{\"Bool\": {{\"aws:SecureTransport\": \"true\"}}}}}}]}}],\n \"expected\": \"{}\"}}",
                    if n % 3 == 0 { "ExplicitDeny" } else { "Allow" }
                )
            })
            .collect();
        format!("[\n{}\n]\n", cases.join(",\n"))
    }

    /// [`big_file`] with one case per line (the layout programs write, split by lines).
    pub(super) fn big_file_of_lines(bad: Option<usize>) -> String {
        big_file(bad).replace(",\n \"", ", \"")
    }

    #[test]
    fn every_thread_count_prints_the_same_lines_in_file_order() {
        let of_lines = big_file_of_lines(None);
        let text = big_file(None);
        assert!(text.len() > 4 * PART_BYTES);
        let one = decide_on("f", &text, false, 1).unwrap();
        assert_eq!((one.cases(), one.passed, one.failed), (3_000, 3_000, 0));
        assert!(one.line(2_999).contains("\"case-2999\""));
        assert_eq!(decide_on("f", &of_lines, false, 1).unwrap(), one);
        for threads in [2, 3, 8] {
            let by_lines = decide_on("f", &of_lines, false, threads);
            assert_eq!(by_lines.unwrap(), one, "{threads}");
            assert_eq!(
                decide_on("f", &text, false, threads).unwrap(),
                one,
                "{threads}"
            );
        }
    }

    #[test]
    fn files_whose_lines_only_look_like_cases_decide_alike_on_any_thread_count() {
        // every line runs from `{` to `}` and ends with `,`, but a case spans two lines:
        // each guess fails, and the file is split again by brackets
        let request = r#""request": {"principal": "p", "action": "s3:GetObject", "resource": "*"}"#;
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
        let cases: Vec<String> = (0..2_500)
            .map(|n| {
                format!("{{\"name\": \"c{n}\", \"identityPolicies\": [{policy},\n{policy}], {request}}}")
            })
            .collect();
        let text = format!("[\n{}\n]\n", cases.join(",\n"));
        assert!(text.len() > 2 * PART_BYTES);
        let one = decide_on("f", &text, false, 1).unwrap();
        assert_eq!(one.cases(), 2_500);
        assert_eq!(decide_on("f", &text, false, 2).unwrap(), one);
        // a separator followed by a space JSON does not know is an error on every count
        let odd = big_file_of_lines(None).replacen(",\n", ",\u{a0}\n", 1_000);
        let one = decide_on("f", &odd, false, 1).unwrap_err();
        assert_eq!(decide_on("f", &odd, false, 2).unwrap_err(), one);
    }

    #[test]
    fn the_first_bad_case_fails_the_file_on_any_thread_count() {
        let text = big_file(Some(2_500));
        let one = decide_on("f", &text, false, 1).unwrap_err();
        assert!(one.message.starts_with("case 2500: "), "{}", one.message);
        assert_eq!(one.line, 3 * 2_500 + 2);
        for threads in [2, 3] {
            assert_eq!(decide_on("f", &text, false, threads).unwrap_err(), one);
        }
        // one case per line: the same case fails, on its own line
        let text = big_file_of_lines(Some(2_500));
        let one = decide_on("f", &text, false, 1).unwrap_err();
        assert!(one.message.starts_with("case 2500: "), "{}", one.message);
        assert_eq!(one.line, 2_500 + 2);
        for threads in [2, 3] {
            assert_eq!(decide_on("f", &text, false, threads).unwrap_err(), one);
        }
        // a file that cannot be split fails as a whole
        let cut = text.get(..text.len() - 3).unwrap();
        let one = decide_on("f", cut, false, 1).unwrap_err();
        assert_eq!(decide_on("f", cut, false, 2).unwrap_err(), one);
    }
}
