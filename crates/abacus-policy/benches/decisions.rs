//! Decisions per second on a seed-style SageMaker Studio request: a role session of the
//! shared execution role with `aws:SourceIdentity`, ten policies (six identity-based
//! policies, a permissions boundary, a session policy, two SCP levels) and about fifty
//! statements with wildcards, variables and conditions. Parsing is measured separately.
//!
//! `cargo bench -p abacus-policy --bench decisions` prints criterion's figures and a
//! final `decisions/s: N` line for the fast path.

use abacus_policy::{authorize, authorize_decision, parse_policy, Decision};
use criterion::{black_box, Criterion};
use std::time::Instant;

mod scenario;
use scenario::{request, set, texts};

fn benches(c: &mut Criterion) {
    let texts = texts();
    c.bench_function("parse 10 policies (50 statements)", |b| {
        b.iter(|| {
            for (_, t) in &texts {
                black_box(parse_policy(black_box(t)));
            }
        })
    });
    let set = set();
    let req = request();
    c.bench_function("authorize_decision (fast path)", |b| {
        b.iter(|| authorize_decision(black_box(&set), black_box(&req)))
    });
    c.bench_function("authorize (with explanation)", |b| {
        b.iter(|| authorize(black_box(&set), black_box(&req)))
    });
}

mod group {
    //! criterion's generated entry point (the macro's function has no doc comment).
    use super::benches;
    criterion::criterion_group!(group, benches);
}

fn main() {
    let set = set();
    let req = request();
    let statements: usize = set
        .identity
        .iter()
        .chain(&set.permission_boundaries)
        .chain(set.session.iter())
        .chain(set.scps.iter().flatten())
        .filter_map(|p| p.parsed.policy.as_ref())
        .map(|p| p.statements.len())
        .sum();
    assert_eq!(authorize_decision(&set, &req), Decision::Allow);
    group::group();
    Criterion::default().configure_from_args().final_summary();
    let n = 2_000_000u32;
    let start = Instant::now();
    for _ in 0..n {
        black_box(authorize_decision(black_box(&set), black_box(&req)));
    }
    let secs = start.elapsed().as_secs_f64();
    println!("policies: 10, statements: {statements}");
    println!("decisions/s: {:.0}", f64::from(n) / secs);
}
