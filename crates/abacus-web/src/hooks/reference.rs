//! Loading the Service Authorization Reference: the index and the seed services at startup
//! (in parallel, after the first render), then every service the workspace mentions or a
//! waiting link needs, each file once. Each installed file is a new reference generation in
//! the state, so everything derived from the reference is derived again.

use crate::context::Store;
use crate::platform;
use crate::reference::{self, ReferenceFile};
use crate::startup::Pending;
use crate::state::Action;
use abacus_studio::scenario::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// Fetches the reference files the document (and `waiting`, a link not opened yet) needs.
#[hook]
pub fn use_reference_files(store: &Store, waiting: Option<Pending>) {
    let loader = use_mut_ref(reference::Loader::default);
    let load = {
        let dispatch = store.dispatcher();
        move |file: ReferenceFile| {
            let dispatch = dispatch.clone();
            let service = match &file {
                ReferenceFile::Service(p) => Some(p.clone()),
                ReferenceFile::Index => None,
            };
            platform::load_reference(file, move |result| match result {
                Ok(generation) => dispatch.dispatch(Action::ReferenceInstalled(generation)),
                Err(notice) => dispatch.dispatch(Action::ReferenceFailed(service, notice)),
            });
        }
    };
    {
        let loader = loader.clone();
        let load = load.clone();
        use_effect_with((), move |_| {
            load(ReferenceFile::Index);
            for file in loader.borrow_mut().claim_seeds() {
                load(file);
            }
        });
    }
    let scanned = use_mut_ref(|| None::<(Rc<Scenario>, u64)>);
    {
        let d = store.doc.clone();
        use_effect_with(
            (store.revision, store.filter.clone(), store.reference),
            move |(_, filter, generation)| {
                let current = abacus_reference::current();
                // texts scanned before with the same reference data asked for their services
                let prev = scanned
                    .borrow()
                    .clone()
                    .filter(|(_, g)| g == generation)
                    .map(|(d, _)| d);
                let mut mentioned = reference::mentioned_since(prev.as_deref(), &d, filter);
                *scanned.borrow_mut() = Some((d.clone(), *generation));
                mentioned.extend(waiting.into_iter().flat_map(|p| p.services));
                let wanted = loader.borrow_mut().claim(&mentioned, |p| current.status(p));
                for file in wanted {
                    load(file);
                }
            },
        );
    }
}
