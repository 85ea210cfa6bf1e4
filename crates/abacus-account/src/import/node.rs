//! A JSON value of an input file with its path (`$.UserDetailList[0].UserName`), read from
//! the span tree of `abacus_policy::json` so that every error names the path and points at
//! the line and column of what is wrong.

use super::error::{ImportError, Reporter};
use abacus_policy::json::{JsonKind, JsonValue};

/// What to do about a value of the wrong shape.
pub(crate) const REEXPORT: &str =
    "export the file again with the AWS CLI command it comes from (`--output json`), unedited";

/// A value and where it is.
#[derive(Clone)]
pub(crate) struct Node<'v> {
    pub(crate) value: &'v JsonValue,
    pub(crate) path: String,
}

impl<'v> Node<'v> {
    /// The root of a file.
    pub(crate) fn root(value: &'v JsonValue) -> Node<'v> {
        Node {
            value,
            path: "$".to_owned(),
        }
    }

    /// An error about this value.
    pub(crate) fn error(
        &self,
        report: &Reporter<'_>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Box<ImportError> {
        Box::new(report.at(&self.path, Some(self.value.span), message, help))
    }

    /// The member `key`, if this is an object that has it (the last one, as JSON readers
    /// keep).
    pub(crate) fn get(&self, key: &str) -> Option<Node<'v>> {
        let JsonKind::Object(members) = &self.value.kind else {
            return None;
        };
        let m = members.iter().rev().find(|m| m.key == key)?;
        if matches!(m.value.kind, JsonKind::Null) {
            return None;
        }
        let simple = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        Some(Node {
            value: &m.value,
            path: if simple {
                format!("{}.{key}", self.path)
            } else {
                format!("{}[{key:?}]", self.path)
            },
        })
    }

    /// True when this is an object with member `key`.
    pub(crate) fn has(&self, key: &str) -> bool {
        matches!(&self.value.kind, JsonKind::Object(ms) if ms.iter().any(|m| m.key == key))
    }

    /// True when this is an object.
    pub(crate) fn is_object(&self) -> bool {
        matches!(self.value.kind, JsonKind::Object(_))
    }

    /// The member `key`, which must be there.
    pub(crate) fn need(
        &self,
        report: &Reporter<'_>,
        key: &str,
    ) -> Result<Node<'v>, Box<ImportError>> {
        self.get(key)
            .ok_or_else(|| self.error(report, format!("`{key}` is missing"), REEXPORT))
    }

    /// This value as a string.
    pub(crate) fn str(&self, report: &Reporter<'_>) -> Result<&'v str, Box<ImportError>> {
        match &self.value.kind {
            JsonKind::String(s) => Ok(s),
            other => Err(self.error(
                report,
                format!("expected a string, found {}", other.describe()),
                REEXPORT,
            )),
        }
    }

    /// The string member `key`, which must be there.
    pub(crate) fn need_str(
        &self,
        report: &Reporter<'_>,
        key: &str,
    ) -> Result<&'v str, Box<ImportError>> {
        self.need(report, key)?.str(report)
    }

    /// The string member `key`, if there (an error when it is there but not a string).
    pub(crate) fn opt_str(
        &self,
        report: &Reporter<'_>,
        key: &str,
    ) -> Result<Option<&'v str>, Box<ImportError>> {
        self.get(key).map(|n| n.str(report)).transpose()
    }

    /// The elements of this array.
    pub(crate) fn items(&self, report: &Reporter<'_>) -> Result<Vec<Node<'v>>, Box<ImportError>> {
        match &self.value.kind {
            JsonKind::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| Node {
                    value,
                    path: format!("{}[{i}]", self.path),
                })
                .collect()),
            other => Err(self.error(
                report,
                format!("expected an array, found {}", other.describe()),
                REEXPORT,
            )),
        }
    }

    /// The elements of the array member `key`; none when it is absent or `null`.
    pub(crate) fn list(
        &self,
        report: &Reporter<'_>,
        key: &str,
    ) -> Result<Vec<Node<'v>>, Box<ImportError>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(n) => n.items(report),
        }
    }

    /// The boolean member `key`, if there.
    pub(crate) fn opt_bool(
        &self,
        report: &Reporter<'_>,
        key: &str,
    ) -> Result<Option<bool>, Box<ImportError>> {
        match self.get(key) {
            None => Ok(None),
            Some(n) => match n.value.kind {
                JsonKind::Bool(b) => Ok(Some(b)),
                ref other => Err(n.error(
                    report,
                    format!("expected a boolean, found {}", other.describe()),
                    REEXPORT,
                )),
            },
        }
    }

    /// An error when this output is one page of a longer list (`NextToken` is set).
    pub(crate) fn refuse_next_page(&self, report: &Reporter<'_>) -> Result<(), Box<ImportError>> {
        match self.opt_str(report, "NextToken")? {
            Some(_) => Err(self.error(
                report,
                "this is one page of a longer list (`NextToken` is set)",
                "run the command without `--max-items`, or import every page",
            )),
            None => Ok(()),
        }
    }

    /// The AWS tag list `[{"Key": …, "Value": …}]` of member `key`, in order.
    pub(crate) fn tags(
        &self,
        report: &Reporter<'_>,
        key: &str,
    ) -> Result<Vec<(String, String)>, Box<ImportError>> {
        let mut out = Vec::new();
        for t in self.list(report, key)? {
            out.push((
                t.need_str(report, "Key")?.to_owned(),
                t.opt_str(report, "Value")?.unwrap_or_default().to_owned(),
            ));
        }
        Ok(out)
    }
}
