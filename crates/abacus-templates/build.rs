//! Embeds the crate's JSON data compactly. Every data file is validated with serde_json
//! (a syntax error fails the build with file, line and column) and embedded minified;
//! strings, and so the policy texts inside scenarios, are kept byte-for-byte.
//!
//! The gallery (the repository's `scenarios/*.json` and `gallery/challenges/*.json`, found
//! by listing the folders so a new file needs no code change) is written as pieces: the
//! `world` and `policies` values, repeated across many scenarios, are stored once and
//! shared. The linter's knowledge files become Rust tables (no parsing code in the wasm).
//! Template files are embedded unchanged by `include_str!`: their text is shown.

#[path = "build/json_text.rs"]
mod json_text;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Members whose values are shared between gallery scenarios.
const SHARED_MEMBERS: [&str; 2] = ["world", "policies"];

/// Small data files parsed at run time, embedded as `OUT_DIR/<name>`.
const DATA_FILES: [(&str, &str); 3] = [
    ("library/catalog.json", "catalog.json"),
    ("library/personas.json", "personas.json"),
    (
        "library/seed-originals/index.json",
        "seed-originals-index.json",
    ),
];

/// The file's text, minified, after checking it is JSON and the minified text means the same.
fn minified(path: &Path) -> Result<String, String> {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        // serde's message ends with the position, which the prefix already gives.
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = e.to_string();
        let message = message.strip_suffix(&position).unwrap_or(&message);
        format!(
            "{}:{}:{}: invalid JSON: {message}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    let min = json_text::minify(&text);
    match serde_json::from_str::<serde_json::Value>(&min) {
        Ok(again) if again == value => Ok(min),
        _ => Err(format!(
            "{}: minifying changed the document",
            path.display()
        )),
    }
}

/// `text` without its top-level `about` member: documentation for people editing the file,
/// never read by the code.
fn without_about(text: &str) -> String {
    let Some(value) = json_text::member_value(text, "about", 1) else {
        return text.to_owned();
    };
    let key_start = value.start.saturating_sub("\"about\":".len());
    let (Some(before), Some(after)) = (text.get(..key_start), text.get(value.end..)) else {
        return text.to_owned();
    };
    match (before.strip_suffix(','), after.strip_prefix(',')) {
        (_, Some(rest)) => format!("{before}{rest}"),
        (Some(head), None) => format!("{head}{after}"),
        (None, None) => format!("{before}{after}"),
    }
}

fn json_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter_map(|path| {
            let id = path.file_stem()?.to_str()?.to_owned();
            Some((id, path))
        })
        .collect();
    files.sort();
    files
}

/// Values stored once, referenced by index from the pieces of each scenario.
#[derive(Default)]
struct Shared {
    values: Vec<String>,
}

impl Shared {
    fn index(&mut self, value: &str) -> usize {
        if let Some(i) = self.values.iter().position(|v| v == value) {
            return i;
        }
        self.values.push(value.to_owned());
        self.values.len() - 1
    }
}

/// Rust source of the pieces of one minified document whose shared members sit `depth`
/// objects deep.
fn pieces(path: &Path, text: &str, depth: usize, shared: &mut Shared) -> Result<String, String> {
    let mut ranges: Vec<_> = SHARED_MEMBERS
        .iter()
        .filter_map(|key| json_text::member_value(text, key, depth))
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut code = String::from("&[");
    let mut rebuilt = String::new();
    let mut at = 0;
    for range in ranges {
        let (Some(before), Some(value)) = (text.get(at..range.start), text.get(range.clone()))
        else {
            return Err(format!("{}: overlapping shared members", path.display()));
        };
        let _ = write!(
            code,
            "Piece::Text({before:?}), Piece::Shared({}), ",
            shared.index(value)
        );
        rebuilt.push_str(before);
        rebuilt.push_str(value);
        at = range.end;
    }
    let rest = text.get(at..).unwrap_or_default();
    let _ = write!(code, "Piece::Text({rest:?})]");
    rebuilt.push_str(rest);
    if rebuilt != text {
        return Err(format!(
            "{}: pieces do not rebuild the document",
            path.display()
        ));
    }
    Ok(code)
}

/// A string member of `value`; `None` allowed only when `default` is given.
fn text_member(
    value: &serde_json::Value,
    key: &str,
    default: Option<&str>,
) -> Result<String, String> {
    match (value.get(key), default) {
        (Some(serde_json::Value::String(text)), _) => Ok(text.clone()),
        (None, Some(default)) => Ok(default.to_owned()),
        _ => Err(format!("`{key}` must be a string")),
    }
}

/// The use cases: the head fields the gallery lists, and the scenario as pieces.
fn use_cases(dir: &Path, shared: &mut Shared) -> Result<String, String> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out = String::from("const USE_CASES: &[UseCaseFile] = &[\n");
    for (id, path) in json_files(dir) {
        let text = minified(&path)?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let field = |key, default| {
            text_member(&value, key, default).map_err(|e| format!("{}: {e}", path.display()))
        };
        let _ = writeln!(
            out,
            "    UseCaseFile {{ id: {id:?}, name: {:?}, description: {:?}, source: {:?}, scenario: {} }},",
            field("name", None)?,
            field("description", Some(""))?,
            field("source", Some(""))?,
            pieces(&path, &text, 1, shared)?
        );
    }
    out.push_str("];\n");
    Ok(out)
}

/// The challenges: their fields, and the scenario (under `scenario`) as pieces.
fn challenges(dir: &Path, shared: &mut Shared) -> Result<String, String> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut out = String::from("const CHALLENGES: &[ChallengeFile] = &[\n");
    for (id, path) in json_files(dir) {
        let in_file = |e: String| format!("{}: {e}", path.display());
        let text = minified(&path)?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| in_file(e.to_string()))?;
        let field = |key| text_member(&value, key, None).map_err(in_file);
        let category = match field("category")?.as_str() {
            "use-case" => "UseCase",
            "challenge" => "Challenge",
            other => {
                return Err(in_file(format!(
                    "`category` is `{other}`, not `use-case` or `challenge`"
                )))
            }
        };
        let solution = value.get("solution").cloned().unwrap_or_default();
        let solution_field =
            |key| text_member(&solution, key, None).map_err(|e| in_file(format!("solution: {e}")));
        let scenario = json_text::member_value(&text, "scenario", 1)
            .and_then(|range| text.get(range))
            .filter(|s| s.starts_with('{'))
            .ok_or_else(|| in_file("`scenario` must be an object".to_owned()))?;
        let _ = writeln!(
            out,
            "    ChallengeFile {{ id: {id:?}, title: {:?}, description: {:?}, seed: {:?}, section: {:?}, category: Category::{category}, hint: {:?}, solution: ({:?}, {:?}, {:?}), scenario: {} }},",
            field("title")?,
            field("description")?,
            field("seed")?,
            field("section")?,
            field("hint")?,
            solution_field("policy")?,
            solution_field("text")?,
            solution_field("explanation")?,
            pieces(&path, scenario, 1, shared)?
        );
    }
    out.push_str("];\n");
    Ok(out)
}

/// The parsed file (checked like every data file).
fn parsed(path: &Path) -> Result<serde_json::Value, String> {
    let text = minified(path)?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn strings<'a>(value: &'a serde_json::Value, what: &str) -> Result<Vec<&'a str>, String> {
    value
        .as_array()
        .ok_or_else(|| format!("`{what}` must be an array of strings"))?
        .iter()
        .map(|v| {
            v.as_str()
                .ok_or_else(|| format!("`{what}` must hold strings only"))
        })
        .collect()
}

/// Rust tables of the linter's key facts (`data/key-facts.json`): compiled in, so the wasm
/// needs no code to parse them.
fn knowledge_tables(manifest: &Path) -> Result<String, String> {
    let path = manifest.join("data/key-facts.json");
    println!("cargo:rerun-if-changed={}", path.display());
    let facts = parsed(&path)?;
    let null = serde_json::Value::Null;
    let mut code = String::new();
    for (name, constant) in [
        ("always_present", "ALWAYS_PRESENT"),
        ("multivalued", "MULTIVALUED"),
    ] {
        let list = strings(facts.get(name).unwrap_or(&null), name)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let _ = writeln!(code, "const {constant}: &[&str] = &{list:?};");
    }
    let extra = facts
        .get("extra_global_keys")
        .and_then(|e| e.as_object())
        .ok_or_else(|| format!("{}: `extra_global_keys` must be an object", path.display()))?;
    code.push_str("const EXTRA_GLOBAL_KEYS: &[(&str, &str)] = &[\n");
    for (key, key_type) in extra {
        let key_type = key_type
            .as_str()
            .ok_or_else(|| format!("{}: the type of `{key}` must be a string", path.display()))?;
        let _ = writeln!(code, "    ({key:?}, {key_type:?}),");
    }
    code.push_str("];\n");
    Ok(code)
}

fn run() -> Result<(), String> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let write = |name: &str, text: &str| {
        let path = out_dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };

    for (source, name) in DATA_FILES {
        write(name, &without_about(&minified(&manifest.join(source))?))?;
    }

    write("knowledge_tables.rs", &knowledge_tables(&manifest)?)?;

    let mut shared = Shared::default();
    // Use cases are scenario documents; a challenge holds its scenario under `scenario`.
    let mut code = use_cases(&manifest.join("../../scenarios"), &mut shared)?;
    code += &challenges(&manifest.join("gallery/challenges"), &mut shared)?;
    code.push_str("const SHARED: &[&str] = &[\n");
    for value in &shared.values {
        let _ = writeln!(code, "    {value:?},");
    }
    code.push_str("];\n");
    write("gallery_files.rs", &code)
}

fn main() {
    if let Err(message) = run() {
        println!("cargo:warning={message}");
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}
