//! The app shell. It owns the reducer ([`crate::state`]) and one long-lived
//! [`Deriver`], hands the state and its dispatcher to everything under it through a context
//! ([`crate::context`]), runs the work that goes on whichever screen is shown
//! ([`crate::hooks`]: links, reference data, autosave, the matrix, shortcuts, the request
//! panel's action picker), and renders the chrome ([`crate::chrome`]) around the current
//! screen ([`crate::screens`]), or an embed's page, with the derived results.

use crate::account_view::AccountData;
use crate::chrome::header::Header;
use crate::chrome::message_bar::message_bar;
use crate::chrome::share_bar::ShareBar;
use crate::context::Store;
use crate::derive::{Derived, Deriver};
use crate::hooks::embed_height::use_embed_height;
use crate::hooks::links::use_links;
use crate::hooks::matrix::use_matrix;
use crate::hooks::persistence::use_persistence;
use crate::hooks::reference::use_reference_files;
use crate::hooks::shortcuts::use_shortcuts;
use crate::screens::account::AccountScreen;
use crate::screens::embed::embed_page;
use crate::screens::gallery::GalleryScreen;
use crate::screens::matrix::matrix_screen;
use crate::screens::workspace::{use_action_picker, workspace_screen};
use crate::screens::world::world_screen;
use crate::state::{AppState, Screen};
use crate::{perf, platform, reference};
use std::rc::Rc;
use yew::prelude::*;

/// The application root.
#[component]
pub fn App() -> Html {
    let boot = use_memo((), |_| platform::boot());
    let state = {
        let boot = boot.clone();
        use_reducer(move || {
            let mut s = AppState::new(boot.doc.clone(), boot.notice.clone());
            s.own_attempt = !boot.linked;
            // a course kept with the autosave of one of its steps (a course link opens later,
            // once the browser has inflated it)
            s.course = boot.course.clone();
            let (progress, warning) = platform::load_progress(boot.embed.is_some());
            s.progress = Rc::new(progress);
            if s.notice.is_none() {
                s.notice = warning;
            }
            s
        })
    };
    let handlers = crate::context::use_handlers(&state);
    let store = Store::new(&state, handlers);
    let embed = boot.embed;
    // the welcome note shows on a first visit (nothing autosaved, no link) until dismissed
    let intro = use_state(|| boot.first_visit);
    // the share bar shows the link of the document as it was: an edit closes it
    let share_url = use_state(|| None::<String>);
    // the Account screen's import report and trail, kept while the page lives (in memory
    // only: real-account data is never autosaved)
    let account = use_state(|| Rc::new(AccountData::default()));
    // presenter mode (`?present`): larger text, nothing kept in the browser, Reset
    let presenter = use_memo((), |_| platform::presenter());

    // derived views: the workspace panels on every change, the matrix only when shown; both
    // read the Service Authorization Reference too, so a newly installed file recomputes them.
    // One long-lived deriver keeps what it derived by what it depends on (the document's
    // revision says when it changed: every new document bumps it).
    let deriver = use_mut_ref(Deriver::default);
    let derived: Rc<Derived> = {
        let (deriver, doc) = (deriver.clone(), store.doc.clone());
        use_memo(
            (store.revision, store.active_policy, store.reference),
            move |(revision, active, reference)| {
                deriver
                    .borrow_mut()
                    .workspace(&doc, *revision, *active, *reference)
            },
        )
    };
    let matrix = use_matrix(&store, &deriver, embed.is_none());
    let version_line = use_memo(store.reference, |_| {
        reference::version_line(&abacus_reference::current())
    });

    let mut links = use_links(&store, &boot);
    use_reference_files(&store, links.pending.take());
    use_persistence(&store, embed, &derived);
    {
        let share_url = share_url.clone();
        use_effect_with(store.revision, move |_| {
            if share_url.is_some() {
                share_url.set(None);
                platform::forget_link();
            }
        });
    }
    use_effect(|| {
        perf::measure_rendered();
        perf::mark_first_render();
    });
    use_shortcuts(&store);
    use_embed_height(embed.is_some());
    let picker = use_action_picker(&store);

    let page = match embed {
        Some(mode) => embed_page(&store, &derived, mode, &links, picker),
        None => {
            let screen = match store.screen {
                Screen::Workspace => workspace_screen(&store, &derived, &intro, picker),
                Screen::Matrix => matrix_screen(&store, matrix.as_deref()),
                Screen::Gallery => html! { <GalleryScreen /> },
                Screen::World => world_screen(&store),
                Screen::Account => html! { <AccountScreen data={account.clone()} /> },
            };
            html! {
                <div class={classes!("app", presenter.then_some("presenter"))}>
                    <Header share_url={share_url.clone()} presenter={*presenter} />
                    { message_bar(&store) }
                    <ShareBar url={share_url} />
                    { screen }
                    <footer class="appfoot">
                        <span data-testid="reference-version">{ version_line.as_str() }</span>
                    </footer>
                </div>
            }
        }
    };
    html! {
        <ContextProvider<Store> context={store}>{ page }</ContextProvider<Store>>
    }
}
