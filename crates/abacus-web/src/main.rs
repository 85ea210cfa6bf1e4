//! The Abacus playground app (trunk entry point).

fn main() {
    abacus_web::run();
}
