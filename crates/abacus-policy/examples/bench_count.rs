//! Runs the benchmark scenario's fast path N times (for instruction counting with
//! `valgrind --tool=callgrind`, which is immune to machine load):
//! `cargo build --release -p abacus-policy --example bench_count`.

#[path = "../benches/scenario/mod.rs"]
mod scenario;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let set = scenario::set();
    let req = scenario::request();
    let mut allowed = 0;
    for _ in 0..n {
        if abacus_policy::authorize_decision(std::hint::black_box(&set), std::hint::black_box(&req))
            .is_allowed()
        {
            allowed += 1;
        }
    }
    println!("{allowed}/{n} allowed");
}
