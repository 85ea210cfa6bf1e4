//! Writes the gallery bundle (the scenario gallery and the template library, see
//! `abacus_templates::bundle`) to the path given, for the web app to fetch.
//! `cargo xtask` runs it before every trunk build.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: web_bundle OUT.json");
        return ExitCode::from(2);
    };
    let written = abacus_templates::bundle::to_json().and_then(|json| {
        let path = std::path::Path::new(&path);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        // unchanged contents are not rewritten, so trunk's watcher does not rebuild for nothing
        if std::fs::read_to_string(path).ok().as_deref() == Some(json.as_str()) {
            return Ok(());
        }
        std::fs::write(path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
