//! Reading the generated data files, with typed errors that name the JSON path.
//!
//! The files are read into a `serde_json::Value` and walked by hand rather than through
//! derived deserializers: the web app already carries the `Value` parser, and seven derived
//! visitors would add several kilobytes to its download for no gain (the files are
//! machine-written, small and read once each).

use crate::model::{
    AccessLevels, Action, ActionResource, ConditionKey, Index, ResourceType, Service,
};
use serde_json::{Map, Value};

/// A data file that does not parse (a truncated download, a file from another version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Which file: `index` or `service`.
    pub file: String,
    /// Where and what: serde_json's message (with line and column) for text that is not
    /// JSON, or the JSON path of a missing or mistyped member.
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "reference data `{}`: {}", self.file, self.message)
    }
}

impl std::error::Error for LoadError {}

/// Walks one file's JSON, remembering which file it is for errors.
struct Reader {
    file: &'static str,
}

impl Reader {
    fn fail<T>(&self, path: &str, what: &str) -> Result<T, LoadError> {
        Err(LoadError {
            file: self.file.to_owned(),
            message: format!("`{path}` {what}"),
        })
    }

    fn parse(&self, text: &str) -> Result<Value, LoadError> {
        serde_json::from_str(text).map_err(|e| LoadError {
            file: self.file.to_owned(),
            message: e.to_string(),
        })
    }

    fn object<'a>(&self, v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, LoadError> {
        match v.as_object() {
            Some(o) => Ok(o),
            None => self.fail(path, "is not an object"),
        }
    }

    fn field<'a>(
        &self,
        o: &'a Map<String, Value>,
        name: &str,
        path: &str,
    ) -> Result<&'a Value, LoadError> {
        match o.get(name) {
            Some(v) => Ok(v),
            None => self.fail(&format!("{path}.{name}"), "is missing"),
        }
    }

    fn string(&self, v: &Value, path: &str) -> Result<String, LoadError> {
        match v.as_str() {
            Some(s) => Ok(s.to_owned()),
            None => self.fail(path, "is not a string"),
        }
    }

    fn str_field(
        &self,
        o: &Map<String, Value>,
        name: &str,
        path: &str,
    ) -> Result<String, LoadError> {
        self.string(self.field(o, name, path)?, &format!("{path}.{name}"))
    }

    fn array<'a>(&self, v: &'a Value, path: &str) -> Result<&'a [Value], LoadError> {
        match v.as_array() {
            Some(a) => Ok(a),
            None => self.fail(path, "is not an array"),
        }
    }

    fn strings(&self, v: &Value, path: &str) -> Result<Vec<String>, LoadError> {
        self.array(v, path)?
            .iter()
            .enumerate()
            .map(|(i, s)| self.string(s, &format!("{path}[{i}]")))
            .collect()
    }

    /// `[a, b, c]` of strings (and one number) as a fixed-length row.
    fn row<'a>(&self, v: &'a Value, len: usize, path: &str) -> Result<&'a [Value], LoadError> {
        let items = self.array(v, path)?;
        if items.len() == len {
            Ok(items)
        } else {
            self.fail(path, &format!("does not have {len} items"))
        }
    }

    fn cell<'a>(&self, row: &'a [Value], i: usize, path: &str) -> Result<&'a Value, LoadError> {
        match row.get(i) {
            Some(v) => Ok(v),
            None => self.fail(&format!("{path}[{i}]"), "is missing"),
        }
    }
}

/// Parses `data/index.json`.
pub fn parse_index(text: &str) -> Result<Index, LoadError> {
    let r = Reader { file: "index" };
    let root = r.parse(text)?;
    let o = r.object(&root, "$")?;
    let mut services = Vec::new();
    for (i, row) in r
        .array(r.field(o, "services", "$")?, "$.services")?
        .iter()
        .enumerate()
    {
        let path = format!("$.services[{i}]");
        let cells = r.row(row, 3, &path)?;
        let count = r.cell(cells, 2, &path)?;
        let Some(count) = count.as_u64().and_then(|c| usize::try_from(c).ok()) else {
            return r.fail(&format!("{path}[2]"), "is not an action count");
        };
        services.push((
            r.string(r.cell(cells, 0, &path)?, &format!("{path}[0]"))?,
            r.string(r.cell(cells, 1, &path)?, &format!("{path}[1]"))?,
            count,
        ));
    }
    let mut global_keys = Vec::new();
    for (i, row) in r
        .array(r.field(o, "globalKeys", "$")?, "$.globalKeys")?
        .iter()
        .enumerate()
    {
        let path = format!("$.globalKeys[{i}]");
        let cells = r.row(row, 3, &path)?;
        global_keys.push((
            r.string(r.cell(cells, 0, &path)?, &format!("{path}[0]"))?,
            r.string(r.cell(cells, 1, &path)?, &format!("{path}[1]"))?,
            r.string(r.cell(cells, 2, &path)?, &format!("{path}[2]"))?,
        ));
    }
    Ok(Index {
        package: r.str_field(o, "package", "$")?,
        version: r.str_field(o, "version", "$")?,
        updated_at: r.str_field(o, "updatedAt", "$")?,
        license: r.str_field(o, "license", "$")?,
        services,
        global_keys,
    })
}

/// Parses one `data/services/PREFIX.json`.
pub fn parse_service(text: &str) -> Result<Service, LoadError> {
    let r = Reader { file: "service" };
    let root = r.parse(text)?;
    let o = r.object(&root, "$")?;
    let mut actions = Vec::new();
    for (i, a) in r
        .array(r.field(o, "actions", "$")?, "$.actions")?
        .iter()
        .enumerate()
    {
        let path = format!("$.actions[{i}]");
        let ao = r.object(a, &path)?;
        let level_text = r.str_field(ao, "l", &path)?;
        let access_levels = match AccessLevels::try_from(level_text) {
            Ok(l) => l,
            Err(e) => return r.fail(&format!("{path}.l"), &e),
        };
        let mut resource_types = Vec::new();
        for (j, rt) in r
            .array(r.field(ao, "r", &path)?, &format!("{path}.r"))?
            .iter()
            .enumerate()
        {
            let rpath = format!("{path}.r[{j}]");
            let cells = r.row(rt, 3, &rpath)?;
            let required = r.cell(cells, 1, &rpath)?.as_u64().unwrap_or(0);
            resource_types.push(ActionResource(
                r.string(r.cell(cells, 0, &rpath)?, &format!("{rpath}[0]"))?,
                u8::from(required != 0),
                r.strings(r.cell(cells, 2, &rpath)?, &format!("{rpath}[2]"))?,
            ));
        }
        actions.push(Action {
            name: r.str_field(ao, "n", &path)?,
            access_levels,
            description: r.str_field(ao, "d", &path)?,
            resource_types,
            condition_keys: r.strings(r.field(ao, "k", &path)?, &format!("{path}.k"))?,
        });
    }
    let mut resource_types = Vec::new();
    for (i, rt) in r
        .array(r.field(o, "resourceTypes", "$")?, "$.resourceTypes")?
        .iter()
        .enumerate()
    {
        let path = format!("$.resourceTypes[{i}]");
        let ro = r.object(rt, &path)?;
        resource_types.push(ResourceType {
            name: r.str_field(ro, "n", &path)?,
            arn: r.str_field(ro, "arn", &path)?,
            condition_keys: r.strings(r.field(ro, "k", &path)?, &format!("{path}.k"))?,
        });
    }
    let mut condition_keys = Vec::new();
    for (i, k) in r
        .array(r.field(o, "conditionKeys", "$")?, "$.conditionKeys")?
        .iter()
        .enumerate()
    {
        let path = format!("$.conditionKeys[{i}]");
        let ko = r.object(k, &path)?;
        condition_keys.push(ConditionKey {
            name: r.str_field(ko, "n", &path)?,
            key_type: r.str_field(ko, "t", &path)?,
            description: r.str_field(ko, "d", &path)?,
        });
    }
    Ok(Service {
        prefix: r.str_field(o, "prefix", "$")?,
        name: r.str_field(o, "name", "$")?,
        actions,
        resource_types,
        condition_keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path() {
        let e = parse_service(r#"{"prefix": "x", "name": "X", "actions": [{"n": "A", "l": "Write", "d": "", "r": [["t", 1]], "k": []}], "resourceTypes": [], "conditionKeys": []}"#)
            .unwrap_err();
        assert_eq!(e.message, "`$.actions[0].r[0]` does not have 3 items");
        let e = parse_service(r#"{"prefix": "x", "name": "X", "actions": [{"n": "A", "l": "Sometimes", "d": "", "r": [], "k": []}], "resourceTypes": [], "conditionKeys": []}"#)
            .unwrap_err();
        assert!(
            e.message.contains("unknown access level `Sometimes`"),
            "{e}"
        );
        let e = parse_index("{\"package\": 1}").unwrap_err();
        assert_eq!(e.message, "`$.services` is missing");
        assert!(parse_index("[").unwrap_err().message.contains("line 1"));
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
    }
}
