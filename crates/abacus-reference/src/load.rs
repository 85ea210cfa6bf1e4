//! Reading the generated data files, with typed errors that name the element at fault.
//!
//! The files are read into a `serde_json::Value` and walked by hand rather than through
//! derived deserializers: the web app already carries the `Value` parser, and seven derived
//! visitors would add kilobytes to its download for no gain (the files are machine-written,
//! checked by tests, and read once each). A malformed element is reported by its JSON path,
//! e.g. `$.actions[12]`.

use crate::model::{
    AccessLevels, Action, ActionResource, ConditionKey, Index, ResourceType, Service,
};
use serde_json::Value;

/// A data file that does not parse (a truncated download, a file from another version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Which file: `index` or `service`.
    pub file: String,
    /// Where and what: serde_json's message (with line and column) for text that is not
    /// JSON, or the JSON path of the malformed element.
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reference data `{}`: {}", self.file, self.message)
    }
}

impl std::error::Error for LoadError {}

fn error(file: &str, message: String) -> LoadError {
    LoadError {
        file: file.to_owned(),
        message,
    }
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn texts(v: Option<&Value>) -> Option<Vec<String>> {
    v?.as_array()?.iter().map(text).collect()
}

fn member(v: &Value, name: &str) -> Option<String> {
    text(v.get(name)?)
}

/// The array `name` of `root`, each element read by `read`; the first one that fails is
/// reported by its path.
fn elements<T>(
    file: &str,
    root: &Value,
    name: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Result<Vec<T>, LoadError> {
    let Some(items) = root.get(name).and_then(Value::as_array) else {
        return Err(error(
            file,
            format!("`$.{name}` is missing or not an array"),
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            read(item).ok_or_else(|| error(file, format!("`$.{name}[{i}]` is malformed")))
        })
        .collect()
}

fn parse(file: &str, data: &str) -> Result<Value, LoadError> {
    serde_json::from_str(data).map_err(|e| error(file, e.to_string()))
}

fn top(file: &str, root: &Value, name: &str) -> Result<String, LoadError> {
    member(root, name).ok_or_else(|| error(file, format!("`$.{name}` is missing or not a string")))
}

/// A `[a, b, c]` row of three strings.
fn three(v: &Value) -> Option<(String, String, String)> {
    match v.as_array()?.as_slice() {
        [a, b, c] => Some((text(a)?, text(b)?, text(c)?)),
        _ => None,
    }
}

/// Parses `data/index.json`.
pub fn parse_index(data: &str) -> Result<Index, LoadError> {
    let file = "index";
    let root = parse(file, data)?;
    let services = elements(file, &root, "services", |v| {
        match v.as_array()?.as_slice() {
            [p, n, c] => Some((text(p)?, text(n)?, usize::try_from(c.as_u64()?).ok()?)),
            _ => None,
        }
    })?;
    Ok(Index {
        package: top(file, &root, "package")?,
        version: top(file, &root, "version")?,
        updated_at: top(file, &root, "updatedAt")?,
        license: top(file, &root, "license")?,
        services,
        global_keys: elements(file, &root, "globalKeys", three)?,
        docs_package: member(&root, "docsPackage"),
    })
}

/// One action; `api` is the service's API-reference folder, which `"u": 1` stands for
/// (`{api}API_{name}.html`), while a string `u` is the page itself.
fn action(v: &Value, api: Option<&str>) -> Option<Action> {
    let resource_types = v
        .get("r")?
        .as_array()?
        .iter()
        .map(|rt| match rt.as_array()?.as_slice() {
            [name, required, keys] => Some(ActionResource(
                text(name)?,
                u8::from(required.as_u64()? != 0),
                texts(Some(keys))?,
            )),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    let name = member(v, "n")?;
    let docs_url = match v.get("u") {
        None => None,
        Some(Value::String(url)) => Some(url.clone()),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Some(format!("{}API_{name}.html", api?)),
        Some(_) => return None,
    };
    Some(Action {
        name,
        access_levels: AccessLevels::try_from(member(v, "l")?).ok()?,
        description: member(v, "d")?,
        resource_types,
        condition_keys: texts(v.get("k"))?,
        docs_url,
    })
}

/// Parses one `data/services/PREFIX.json`.
pub fn parse_service(data: &str) -> Result<Service, LoadError> {
    let file = "service";
    let root = parse(file, data)?;
    let api = member(&root, "api");
    let mut actions = elements(file, &root, "actions", |v| action(v, api.as_deref()))?;
    // the data is written in this order; a file that is not still reads right, because
    // lookups bisect (see `Service::action`)
    if !actions.is_sorted_by(|a, b| crate::model::cmp_lowercase(&a.name, &b.name).is_le()) {
        actions.sort_by(|a, b| crate::model::cmp_lowercase(&a.name, &b.name));
    }
    Ok(Service {
        prefix: top(file, &root, "prefix")?,
        name: top(file, &root, "name")?,
        actions,
        resource_types: elements(file, &root, "resourceTypes", |v| {
            Some(ResourceType {
                name: member(v, "n")?,
                arn: member(v, "arn")?,
                condition_keys: texts(v.get("k"))?,
            })
        })?,
        condition_keys: elements(file, &root, "conditionKeys", |v| {
            Some(ConditionKey {
                name: member(v, "n")?,
                key_type: member(v, "t")?,
                description: member(v, "d")?,
            })
        })?,
        docs_url: member(&root, "docs"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_element() {
        let e = parse_service(r#"{"prefix": "x", "name": "X", "actions": [{"n": "A", "l": "Write", "d": "", "r": [["t", 1]], "k": []}], "resourceTypes": [], "conditionKeys": []}"#)
            .unwrap_err();
        assert_eq!(e.message, "`$.actions[0]` is malformed");
        let e = parse_service(r#"{"prefix": "x", "name": "X", "actions": [{"n": "A", "l": "Write", "d": "", "r": [], "k": []}, {"n": "B", "l": "Sometimes", "d": "", "r": [], "k": []}], "resourceTypes": [], "conditionKeys": []}"#)
            .unwrap_err();
        assert_eq!(e.message, "`$.actions[1]` is malformed");
        let e = parse_index("{\"package\": 1}").unwrap_err();
        assert_eq!(e.message, "`$.services` is missing or not an array");
        assert!(parse_index("[").unwrap_err().message.contains("line 1"));
        assert_eq!(
            e.to_string(),
            "reference data `index`: `$.services` is missing or not an array"
        );
    }

    #[test]
    fn actions_are_found_by_name_in_any_order_and_case() {
        // a file out of order (the data is written sorted) still finds every action
        let s = parse_service(r#"{"prefix": "x", "name": "X", "actions": [{"n": "Stop", "l": "Write", "d": "", "r": [], "k": []}, {"n": "abort", "l": "Write", "d": "", "r": [], "k": []}, {"n": "List", "l": "List", "d": "", "r": [], "k": []}], "resourceTypes": [], "conditionKeys": []}"#)
            .unwrap();
        for name in ["Stop", "STOP", "abort", "Abort", "list"] {
            assert!(
                s.action(name)
                    .is_some_and(|a| a.name.eq_ignore_ascii_case(name)),
                "{name}"
            );
        }
        assert!(s.action("Start").is_none());
        // and the committed data: bisection finds what a scan finds
        for prefix in ["sagemaker", "s3", "ec2", "iam"] {
            let path = format!("{}/data/services/{prefix}.json", env!("CARGO_MANIFEST_DIR"));
            let s = parse_service(&std::fs::read_to_string(path).unwrap()).unwrap();
            for a in &s.actions {
                let upper = a.name.to_ascii_uppercase();
                assert_eq!(
                    s.action(&upper).map(|f| &f.name),
                    Some(&a.name),
                    "{prefix}:{upper}"
                );
            }
        }
    }

    #[test]
    fn a_service_reads_back() {
        let s = parse_service(r#"{"prefix": "x", "name": "X", "actions": [{"n": "A", "l": "Tagging, Write", "d": "does", "r": [["t", 1, ["x:K"]]], "k": ["aws:TagKeys"]}], "resourceTypes": [{"n": "t", "arn": "arn:${Partition}:x:::t/${Name}", "k": []}], "conditionKeys": [{"n": "x:K", "t": "String", "d": "k"}]}"#)
            .unwrap();
        let a = &s.actions[0];
        assert_eq!(a.access_level(), crate::AccessLevel::Tagging);
        assert!(a.resource_types[0].required());
        assert_eq!(a.resource_types[0].condition_keys(), ["x:K"]);
        assert_eq!(s.resource_types[0].arn, "arn:${Partition}:x:::t/${Name}");
        assert_eq!(s.condition_keys[0].key_type, "String");
        assert_eq!(a.docs_url, None);
        assert_eq!(s.docs_url, None);
    }

    #[test]
    fn documentation_addresses_read_back() {
        let s = parse_service(r#"{"prefix": "x", "name": "X", "docs": "https://docs.example/list_x.html", "api": "https://docs.example/x/API/", "actions": [{"n": "A", "l": "Read", "d": "", "r": [], "k": [], "u": 1}, {"n": "B", "l": "Read", "d": "", "r": [], "k": [], "u": "https://docs.example/x/guide.html#b"}], "resourceTypes": [], "conditionKeys": []}"#)
            .unwrap();
        assert_eq!(
            s.docs_url.as_deref(),
            Some("https://docs.example/list_x.html")
        );
        assert_eq!(
            s.actions[0].docs_url.as_deref(),
            Some("https://docs.example/x/API/API_A.html")
        );
        assert_eq!(
            s.actions[1].docs_url.as_deref(),
            Some("https://docs.example/x/guide.html#b")
        );
        // `"u": 1` without the service's folder is malformed, not silently linkless
        let e = parse_service(r#"{"prefix": "x", "name": "X", "actions": [{"n": "A", "l": "Read", "d": "", "r": [], "k": [], "u": 1}], "resourceTypes": [], "conditionKeys": []}"#)
            .unwrap_err();
        assert_eq!(e.message, "`$.actions[0]` is malformed");
    }
}
