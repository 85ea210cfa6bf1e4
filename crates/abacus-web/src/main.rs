//! The Abacus playground app (trunk entry point).

/// The app's allocator in the browser: talc instead of the standard library's dlmalloc,
/// for its size: the bundle is 3 KB (gzip) smaller with it (435.5 KB against 438.5 KB on
/// 2026-12-03), and the browser figures (keystroke, matrix) came out the same within the
/// noise of the same run. The page is single-threaded (no atomics), which is what this
/// variant of the allocator requires.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    abacus_web::run();
}
