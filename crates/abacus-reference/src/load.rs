//! Parsing the generated data files, with typed errors.

use crate::model::{Index, Service};

/// A data file that does not parse (a truncated download, a file from another version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Which file: `index` or the service prefix the caller expected.
    pub file: String,
    /// Where and what, as serde_json reports it (line and column included).
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reference data `{}`: {}", self.file, self.message)
    }
}

impl std::error::Error for LoadError {}

/// Parses `data/index.json`.
pub fn parse_index(text: &str) -> Result<Index, LoadError> {
    serde_json::from_str(text).map_err(|e| LoadError {
        file: "index".to_owned(),
        message: e.to_string(),
    })
}

/// Parses one `data/services/PREFIX.json`.
pub fn parse_service(text: &str) -> Result<Service, LoadError> {
    serde_json::from_str(text).map_err(|e| LoadError {
        file: "service".to_owned(),
        message: e.to_string(),
    })
}
