//! The access matrix, computed a slice at a time after the render that shows its screen (so
//! typing never waits for it), its rows planned ahead in idle periods while another screen
//! is shown, and the first matrix seen taken as the diff baseline.
//!
//! The shell calls [`use_matrix`], not the matrix screen: what was computed outlives the
//! screen, so coming back to an unchanged document shows it at once. A new document or
//! leaving the screen stops the computation under way.

use crate::context::Store;
use crate::derive::{Deriver, MatrixData};
use crate::hooks::ByAddress;
use crate::state::{Action, Screen};
use crate::{perf, platform};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A matrix as computed, with the document revision and reference generation it is for.
#[derive(Debug, PartialEq)]
pub struct ComputedMatrix {
    /// `AppState::revision` it was computed for.
    pub revision: u32,
    /// `AppState::reference` it was computed for.
    pub reference: u64,
    /// The matrix.
    pub data: MatrixData,
}

impl ComputedMatrix {
    /// The matrix, if it is the one of this state's document and reference data.
    pub fn current(&self, store: &Store) -> Option<&MatrixData> {
        ((self.revision, self.reference) == (store.revision, store.reference)).then_some(&self.data)
    }
}

/// Computes the matrix while its screen is shown and the last one is out of date, and,
/// with `plan_ahead` (a page that can show the matrix: not an embed), plans its rows while
/// another screen is shown; returns the last one computed (maybe of an older document: see
/// [`ComputedMatrix::current`]).
#[hook]
pub fn use_matrix(
    store: &Store,
    deriver: &Rc<RefCell<Deriver>>,
    plan_ahead: bool,
) -> Option<Rc<ComputedMatrix>> {
    let show = store.screen == Screen::Matrix;
    let computed = use_state(|| None::<Rc<ComputedMatrix>>);
    let matrix: Option<MatrixData> = computed.as_ref().and_then(|m| m.current(store)).cloned();
    let matrix_run = use_mut_ref(|| 0u64);
    {
        let (deriver, computed, matrix_run) =
            (deriver.clone(), computed.clone(), matrix_run.clone());
        let ready = matrix.is_some();
        use_effect_with(
            (store.revision, show, store.reference),
            move |(revision, show, reference)| {
                // a new document or leaving the screen stops the computation under way
                let run = {
                    let mut r = matrix_run.borrow_mut();
                    *r = r.wrapping_add(1);
                    *r
                };
                if *show && !ready {
                    let (revision, reference) = (*revision, *reference);
                    let mut job = deriver.borrow().matrix_job();
                    perf::start("abacus-matrix");
                    platform::in_slices(move |deadline| {
                        let Some(j) = job.as_mut() else {
                            return false;
                        };
                        if *matrix_run.borrow() != run {
                            return false;
                        }
                        let d = deriver.borrow();
                        while !j.done() && !deadline() {
                            if !d.matrix_rows(j, 1) {
                                return false;
                            }
                        }
                        if !j.done() {
                            return true;
                        }
                        if let Some(j) = job.take() {
                            let data = j.finish();
                            perf::end("abacus-matrix");
                            computed.set(Some(Rc::new(ComputedMatrix {
                                revision,
                                reference,
                                data,
                            })));
                        }
                        false
                    });
                } else if !*show && plan_ahead {
                    // the matrix is not shown: plan its rows while the page is idle, so
                    // that opening it only decides (the plans hold over policy edits: after
                    // the first time, this only finds each row planned)
                    let mut prep = deriver.borrow().matrix_prep();
                    platform::when_idle("abacus-matrix-prepare", move |used_up| {
                        let Some(p) = prep.as_mut() else {
                            return false;
                        };
                        if *matrix_run.borrow() != run {
                            return false;
                        }
                        let d = deriver.borrow();
                        while !used_up() {
                            if !d.prepare_matrix_row(p) {
                                if p.done() {
                                    perf::mark("abacus-matrix-prepared");
                                }
                                return false;
                            }
                        }
                        true
                    });
                }
            },
        );
    }
    // the first matrix seen becomes the baseline for the diff
    {
        let dispatch = store.dispatcher();
        let has = store.baseline.is_some();
        use_effect_with(
            (ByAddress(matrix.as_ref().map(|m| m.view.clone())), has),
            move |(ByAddress(m), has)| {
                if let (Some(m), false) = (m, has) {
                    dispatch.dispatch(Action::Baseline(m.clone()));
                }
            },
        );
    }
    (*computed).clone()
}
