//! `performance.mark`/`measure` hooks the perf script reads (`tests/e2e/perf.spec.mjs`).
//!
//! `abacus-input` is marked when an edit arrives; `abacus-keystroke` measures from there to
//! the end of the render that shows the new decision, trace and CloudTrail record.
//! `abacus-matrix` measures one full matrix recomputation, `abacus-matrix-prepare` each
//! slice of an idle period that plans the matrix's rows ahead, and `abacus-matrix-prepared`
//! marks that every row is planned; `abacus-open-link` the embed's
//! "Open in Abacus" link (once per document change); `abacus-first-render` marks the
//! first painted app. `abacus-reference-load:PREFIX` measures fetching and installing a
//! service's reference file, `abacus-reference-install:PREFIX` the install alone;
//! `abacus-completion` from Ctrl+Space to the editor's completion list on the page, and
//! `abacus-hover` from Ctrl+I to its hover.
//! Natively these are no-ops.

#[cfg(target_arch = "wasm32")]
fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

/// Marks the arrival of an edit.
pub fn mark_input() {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        let _ = p.mark("abacus-input");
    }
}

/// Measures input → rendered as `abacus-keystroke`, if an input mark is pending, and clears it.
pub fn measure_rendered() {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        if p.get_entries_by_name("abacus-input").length() > 0 {
            let _ = p.measure_with_start_mark("abacus-keystroke", "abacus-input");
            p.clear_marks_with_mark_name("abacus-input");
        }
    }
}

/// Runs `f`, measured as `name` (e.g. `abacus-matrix`).
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    #[cfg(target_arch = "wasm32")]
    {
        let start_mark = format!("{name}-start");
        let p = performance();
        if let Some(p) = &p {
            let _ = p.mark(&start_mark);
        }
        let out = f();
        if let Some(p) = &p {
            let _ = p.measure_with_start_mark(name, &start_mark);
            p.clear_marks_with_mark_name(&start_mark);
        }
        out
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = name;
        f()
    }
}

/// Marks the first render of the app (read as `abacus-first-render`).
pub fn mark_first_render() {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        if p.get_entries_by_name("abacus-first-render").length() == 0 {
            let _ = p.mark("abacus-first-render");
        }
    }
}

/// Marks that something happened (e.g. `abacus-matrix-prepared`: the access matrix's rows
/// are planned ahead).
pub fn mark(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

/// Marks the start of a span that ends later (e.g. a fetch): `NAME-start`.
pub fn start(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        let _ = p.mark(&format!("{name}-start"));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

/// Measures from [`start`]`(name)` to now as `name` (e.g. `abacus-reference-load:sagemaker`,
/// a service file's fetch and install).
pub fn end(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        let start_mark = format!("{name}-start");
        let _ = p.measure_with_start_mark(name, &start_mark);
        p.clear_marks_with_mark_name(&start_mark);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}
