//! `abacus share FILE [--embed | --embed=edit] [--base URL]`: the share link of a scenario
//! or a course, in exactly the app's format (`abacus_studio::share`: raw deflate, base64url, `#s=1.…`), or
//! the `<iframe>` snippet that embeds it.

use crate::terminal::shown;
use abacus_studio::share::{wrap, EmbedMode, Fragment, MAX_DECODED_LEN, WARN_URL_LEN};
use std::process::ExitCode;

const USAGE: &str = "usage: abacus share FILE [--embed | --embed=edit] [--base URL]";

/// The link's fragment (`#s=1.…`, with `embed` first when asked) for the document `json`.
pub fn fragment(json: &str, embed: Option<EmbedMode>) -> String {
    // the level the browser's CompressionStream is not told: any deflate stream reads back
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    Fragment {
        share: Some(wrap(&deflated)),
        embed,
        present: false,
    }
    .to_hash()
}

/// Escapes `text` for an HTML attribute value.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `abacus share`.
pub fn share(args: &[String]) -> ExitCode {
    let mut embed = None;
    let mut base = None;
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--embed" => embed = Some(EmbedMode::ReadOnly),
            "--embed=edit" => embed = Some(EmbedMode::Editable),
            "--base" => match it.next() {
                Some(b) => base = Some(b.clone()),
                None => {
                    eprintln!("error: `--base` needs a URL\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            flag if flag.starts_with("--base=") => {
                base = flag.strip_prefix("--base=").map(str::to_owned);
            }
            flag if flag.starts_with('-') => {
                eprintln!("error: unknown option `{}`\n{USAGE}", shown(flag));
                return ExitCode::from(2);
            }
            _ if file.is_some() => {
                eprintln!("error: one file at a time\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => file = Some(a.clone()),
        }
    }
    let Some(file) = file else {
        eprintln!("error: no file\n{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(text) = crate::scenario::read(&file) else {
        return ExitCode::from(2);
    };
    // a course opens in the full app at its first step; a scenario records the versions it
    // was made with, as the app's Share link does
    let (json, title) = if abacus_studio::course::is_course(&text) {
        let course = match crate::scenario::load_course(&file, &text) {
            Ok(c) => c,
            Err(code) => return code,
        };
        if embed.is_some() {
            eprintln!(
                "error: a course opens in the full app, step by step: share it without --embed (or embed one step's scenario)"
            );
            return ExitCode::from(2);
        }
        (course.to_json_pretty(), course.title)
    } else {
        let mut scenario = match abacus_studio::scenario::Scenario::from_json(&text) {
            Ok(s) => s,
            Err(e) => {
                crate::scenario::print_issues(&file, &e);
                return ExitCode::from(2);
            }
        };
        let reference = abacus_reference::current()
            .index()
            .map_or_else(|| "unknown".to_owned(), abacus_reference::Index::describe);
        scenario.made_with = Some(abacus_studio::scenario::MadeWith::now(&reference));
        (scenario.to_json_pretty(), scenario.name)
    };
    if json.len() > MAX_DECODED_LEN {
        eprintln!(
            "error: {} is {} bytes as a document, more than a link may carry ({MAX_DECODED_LEN})",
            shown(&file),
            json.len()
        );
        return ExitCode::from(2);
    }
    let url = format!(
        "{}{}",
        base.as_deref().unwrap_or(""),
        fragment(&json, embed)
    );
    if url.len() > WARN_URL_LEN {
        eprintln!(
            "warning: the link is {} characters; some chat tools and browsers cut links longer than {WARN_URL_LEN}",
            url.len()
        );
    }
    if base.is_none() {
        eprintln!("note: no --base: append this fragment to the app's address");
    }
    match embed {
        None => println!("{url}"),
        Some(_) => println!(
            "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"520\" loading=\"lazy\" style=\"border:0\" data-abacus></iframe>",
            attribute(&url),
            attribute(&format!("Abacus: {title}"))
        ),
    }
    ExitCode::SUCCESS
}
