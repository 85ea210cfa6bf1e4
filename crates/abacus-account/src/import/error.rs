//! Why an export could not be imported: the file, the JSON path and the line and column of
//! what is wrong, what is wrong, and what to do about it.

use abacus_policy::{LineIndex, Span};

/// One problem with one input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The file's name as given.
    pub file: String,
    /// The JSON path of what is wrong (`$.RoleDetailList[2].RoleName`); `$` for the whole
    /// file.
    pub path: String,
    /// 1-based line, when the place is known.
    pub line: Option<usize>,
    /// 1-based column (characters), when the place is known.
    pub column: Option<usize>,
    /// What is wrong (lowercase, no trailing period).
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        write!(f, ": {}: {} (help: {})", self.path, self.message, self.help)
    }
}

impl std::error::Error for ImportError {}

/// Builds [`ImportError`]s for one file: it knows the file's name and where its lines start.
pub(crate) struct Reporter<'a> {
    file: &'a str,
    lines: LineIndex,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(file: &'a str, text: &str) -> Reporter<'a> {
        Reporter {
            file,
            lines: LineIndex::new(text),
        }
    }

    /// The file's name.
    pub(crate) fn file(&self) -> &str {
        self.file
    }

    /// An error at `span` (or for the whole file when `None`).
    pub(crate) fn at(
        &self,
        path: &str,
        span: Option<Span>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> ImportError {
        let position = span.map(|s| self.lines.position(s.start));
        ImportError {
            file: self.file.to_owned(),
            path: path.to_owned(),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            message: message.into(),
            help: help.into(),
        }
    }
}
