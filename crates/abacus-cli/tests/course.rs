//! Course packs on the command line: `abacus test` checks that every step of the shipped
//! course fails as shipped and passes with its worked solution, reports a broken course with
//! the place of each problem, and `abacus share` makes a course's link, which reads back
//! through the app's codec as the same course.
#![cfg(test)]

use abacus_studio::course::Course;
use abacus_studio::share::{unwrap, Fragment, MAX_DECODED_LEN};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn abacus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_abacus"))
        .args(args)
        .output()
        .unwrap()
}

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../courses/studio-abac.json")
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("abacus-course-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_step_of_the_shipped_course_fails_as_shipped_and_passes_with_its_solution() {
    let o = abacus(&["test", shipped().to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let course = Course::from_json(&std::fs::read_to_string(shipped()).unwrap()).unwrap();
    assert!(course.steps.len() >= 4);
    for (i, step) in course.steps.iter().enumerate() {
        let wanted = format!("step {} `{}`", i + 1, step.id);
        assert!(
            out.lines()
                .any(|l| l.starts_with("ok ") && l.contains(&wanted)),
            "{out}"
        );
    }
    assert!(
        out.ends_with(&format!("{} passed, 0 failed\n", course.steps.len())),
        "{out}"
    );
    // from source identity through team tags to PassRole
    let ids: Vec<&str> = course.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"own-prefix"));
    assert_eq!(ids.last(), Some(&"pass-role"));
}

#[test]
fn a_step_that_passes_as_shipped_fails_the_test() {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(shipped()).unwrap()).unwrap();
    // ship the first step already solved
    let solution = v["steps"][0]["solution"].clone();
    let policies = v["steps"][0]["scenario"]["policies"]
        .as_array_mut()
        .unwrap();
    for p in policies.iter_mut() {
        if p["id"] == solution["policy"] {
            p["text"] = solution["text"].clone();
        }
    }
    let path = temp_file("solved.json", &serde_json::to_string_pretty(&v).unwrap());
    let o = abacus(&["test", path.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL") && out.contains("passes as shipped: nothing to fix"),
        "{out}"
    );
}

#[test]
fn a_broken_course_is_reported_with_places_and_exit_2() {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(shipped()).unwrap()).unwrap();
    v["steps"][1]["id"] = v["steps"][0]["id"].clone();
    v["steps"][2]["scenario"]["world"]["account"] = json!("1234");
    let text = serde_json::to_string_pretty(&v).unwrap();
    let path = temp_file("broken.json", &text);
    let o = abacus(&["test", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`steps[1].id`: duplicate step id `own-prefix`"),
        "{err}"
    );
    let line = text
        .lines()
        .position(|l| l.contains("\"account\": \"1234\""))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(":{line}:")) && err.contains("`steps[2].scenario.world.account`"),
        "{err}"
    );
}

#[test]
fn a_courses_link_reads_back_as_the_same_course_and_refuses_embedding() {
    let o = abacus(&[
        "share",
        shipped().to_str().unwrap(),
        "--base",
        "https://ws.example/abacus/",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let url = String::from_utf8(o.stdout).unwrap();
    let hash = &url.trim()[url.find('#').unwrap()..];
    let fragment = Fragment::parse(hash, "");
    let deflated = unwrap(fragment.share.as_deref().unwrap()).unwrap();
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_DECODED_LEN).unwrap();
    let back = Course::from_json(std::str::from_utf8(&json).unwrap()).unwrap();
    let original = Course::from_json(&std::fs::read_to_string(shipped()).unwrap()).unwrap();
    assert_eq!(back, original);
    let o = abacus(&["share", shipped().to_str().unwrap(), "--embed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("share it without --embed"));
}
