//! Prints the diagnostics for policy files: `cargo run -p abacus-policy --example diagnose -- FILE...`.

fn main() {
    for file in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            eprintln!("error: {file}: cannot read");
            continue;
        };
        let parsed = abacus_policy::parse_policy(&text);
        for d in &parsed.diagnostics {
            println!("{file}:{d}\n    help: {}", d.help);
        }
    }
}
