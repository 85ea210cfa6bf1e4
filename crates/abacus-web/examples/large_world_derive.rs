//! Times the app's derivation on a scenario file natively: the first derive, keystrokes in
//! the editor's policy (`KEYS` of them, 40 by default), then the access matrix
//! (`node tests/e2e/large-world.mjs /tmp/large.json && cargo run --release -p abacus-web
//! --example large_world_derive -- /tmp/large.json`). With `KEYS` set it stops after the
//! keystrokes, for a profiler; with `COLUMN` set it also times the matrix with a column
//! added (only its cells planned).

use abacus_web::derive::Deriver;
use std::rc::Rc;
use std::time::Instant;

fn main() -> Result<(), String> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: large_world_derive FILE")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let t = Instant::now();
    let doc = abacus_web::doc::parse(&text).map_err(|e| e.to_string())?;
    println!("read and validated: {:?}", t.elapsed());
    let active = abacus_web::doc::initial_policy(&doc);
    let mut d = Deriver::default();
    let t = Instant::now();
    let mut doc = Rc::new(doc);
    d.workspace(&doc, 1, active, 0);
    println!("first derive: {:?}", t.elapsed());
    let mut times = Vec::new();
    let n: u32 = std::env::var("KEYS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(40);
    for i in 0..n {
        let t = Instant::now();
        let mut next = (*doc).clone();
        let clone = t.elapsed();
        if let Some(p) = next.policies.get_mut(active) {
            let mut text = p.text.to_string();
            text.insert(1, ' ');
            p.text = text.into();
        }
        doc = Rc::new(next);
        d.workspace(&doc, i + 2, active, 0);
        times.push((t.elapsed(), clone));
    }
    times.sort();
    if std::env::var("KEYS").is_ok() {
        return Ok(());
    }
    if let (Some(median), Some(max)) = (times.get(times.len() / 2), times.last()) {
        println!(
            "keystroke: median {:?} (of which the document clone {:?}), max {:?}",
            median.0, median.1, max.0
        );
    }
    // the matrix of the document, then again after an edit of the policy in the editor
    // `EDITS`: how many matrices after an edit (one by default)
    let edits: usize = std::env::var("EDITS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(1);
    // `COLUMN` set: then a matrix with a column added (only its cells planned)
    let column = std::env::var("COLUMN").is_ok();
    let runs = std::iter::once("")
        .chain(column.then_some(" with a column added"))
        .chain(std::iter::repeat_n(" after an edit", edits));
    for run in runs {
        if run == " with a column added" {
            let mut next = (*doc).clone();
            next.matrix
                .actions
                .push("sagemaker:ListTrainingJobs".to_owned());
            doc = Rc::new(next);
            d.workspace(&doc, n + 2, active, 0);
        } else if !run.is_empty() {
            let mut next = (*doc).clone();
            if let Some(p) = next.policies.get_mut(active) {
                p.text = format!(" {}", p.text).into();
            }
            doc = Rc::new(next);
            d.workspace(&doc, n + 2, active, 0);
        }
        let t = Instant::now();
        let mut job = d.matrix_job().ok_or("no job")?;
        while !job.done() {
            d.matrix_rows(&mut job, 1);
        }
        let m = job.finish();
        println!(
            "matrix {} × {}{run}: {:?}",
            m.view.users.len(),
            m.view.columns.len(),
            t.elapsed()
        );
    }
    Ok(())
}
