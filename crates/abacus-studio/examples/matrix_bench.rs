//! Times a 20 users × 40 actions access matrix on the default scenario's policies
//! (the web app's budget is 50 ms in the browser). Run:
//! `cargo run --release -p abacus-studio --example matrix_bench`

use abacus_studio::actions::catalogue;
use abacus_studio::evaluate::Workspace;
use abacus_studio::scenario::{default_scenario, PolicyKind, Scenario};

fn main() {
    let mut s = default_scenario();
    let template = s.world.users.clone();
    let resources = s.world.resources.clone();
    let mut i = 0;
    while s.world.users.len() < 20 {
        let Some(base) = template.get(i % template.len()) else {
            return;
        };
        let mut u = base.clone();
        u.name = format!("user{i}");
        std::sync::Arc::make_mut(&mut s.world).users.push(u);
        for r in resources
            .iter()
            .filter(|r| r.owner.as_deref() == Some(base.name.as_str()))
        {
            let mut r = r.clone();
            r.id = format!("{}-{i}", r.id);
            r.name = r.name.replace(&base.name, &format!("user{i}"));
            r.owner = Some(format!("user{i}"));
            std::sync::Arc::make_mut(&mut s.world).resources.push(r);
        }
        i += 1;
    }
    s.matrix.actions = catalogue()
        .actions
        .iter()
        .filter(|a| a.action.starts_with("sagemaker:") || a.action.starts_with("s3:"))
        .take(40)
        .map(|a| a.action.clone())
        .collect();
    time(&s, "");
    // Without trust policies SageMaker's session creation is not evaluated.
    s.policies.retain(|p| p.kind != PolicyKind::Trust);
    time(&s, " (no trust policies)");
}

fn time(s: &Scenario, label: &str) {
    let ws = Workspace::new(s);
    let start = std::time::Instant::now();
    let runs = 20;
    let mut cells = 0;
    for _ in 0..runs {
        let m = ws.matrix();
        cells = m.cells.iter().map(Vec::len).sum::<usize>();
    }
    let per = start.elapsed() / runs;
    println!(
        "{} users x {} actions = {cells} cells{label}: {:.2} ms per matrix",
        s.world.users.len(),
        s.matrix.actions.len(),
        per.as_secs_f64() * 1000.0
    );
}
