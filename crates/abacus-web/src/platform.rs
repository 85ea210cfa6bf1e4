//! The browser side: localStorage, the URL, the clipboard, files and the theme. Thin
//! wrappers; the decisions they carry out are made in pure modules ([`crate::startup`],
//! [`crate::store`], [`crate::codec`]).

use crate::codec::{self, Fragment};
use crate::doc;
use crate::startup::{self, Boot};
use crate::state::Notice;
use crate::store::{self, KeyValue, MemoryStore, Scoped};
use crate::theme::{self, Theme};
use abacus_studio::scenario::Scenario;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Runs `task` in the background. Every task goes through this one boxed call: each
/// `spawn_local::<F>` of its own would add a copy of the executor's task code to the bundle.
fn spawn(task: impl std::future::Future<Output = ()> + 'static) {
    let task: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> = Box::pin(task);
    wasm_bindgen_futures::spawn_local(task);
}

/// How long the first slice of background work ([`in_slices`]) may hold the page, in
/// milliseconds: enough for the gallery's matrices (about 30 ms of work) to finish without
/// yielding, which costs them nothing; under the 50 ms chunks of work the RAIL model allows
/// before input must be answered.
const FIRST_SLICE_MS: f64 = 40.0;

/// How long each later slice may hold the page: a keystroke waits at most about this long.
const SLICE_MS: f64 = 8.0;

/// Runs `step` in slices until it returns false, yielding to the browser between slices so
/// that input and rendering go on (the access matrix of a large world is computed so).
/// `step` gets a deadline: it should return (true, to be called again) once it says the
/// slice is used up.
pub fn in_slices(mut step: impl FnMut(&dyn Fn() -> bool) -> bool + 'static) {
    spawn(async move {
        let mut budget = FIRST_SLICE_MS;
        loop {
            let start = now();
            let deadline = move || now() - start > budget;
            if !step(&deadline) {
                break;
            }
            budget = SLICE_MS;
            yield_to_browser().await;
        }
    });
}

/// How much of an idle period [`when_idle`] leaves unused, in milliseconds: a step that
/// starts with less than this left could overrun the period (a row of the large world's
/// matrix plans in about 1 ms, its first rows in about 2).
const IDLE_MARGIN_MS: f64 = 3.0;

/// How long [`when_idle`] works before it lets the browser handle what has arrived, in
/// milliseconds: an idle period lasts up to 50 ms, and a key pressed during it would wait
/// for the rest of it.
const IDLE_SLICE_MS: f64 = 4.0;

/// Runs `step` in the browser's idle periods (`requestIdleCallback`: when no input,
/// rendering or other task waits) until it returns false, in slices of about
/// [`IDLE_SLICE_MS`] with a yield to the browser between them. `step` gets a deadline: it
/// should return (true, to be called again) once it says the slice is used up. Each slice
/// is measured as `name`. Without `requestIdleCallback` (Safari) nothing runs: the work is
/// left for when it is needed.
pub fn when_idle(name: &'static str, mut step: impl FnMut(&dyn Fn() -> bool) -> bool + 'static) {
    spawn(async move {
        while let Some(period) = idle_period().await {
            loop {
                let start = now();
                let in_period = period.clone();
                let used_up = move || {
                    now() - start > IDLE_SLICE_MS || in_period.time_remaining() < IDLE_MARGIN_MS
                };
                crate::perf::start(name);
                let more = step(&used_up);
                crate::perf::end(name);
                if !more {
                    return;
                }
                if period.time_remaining() < IDLE_MARGIN_MS {
                    break;
                }
                yield_to_browser().await;
            }
        }
    });
}

/// Waits for the browser's next idle period; `None` without `requestIdleCallback`.
async fn idle_period() -> Option<web_sys::IdleDeadline> {
    let window = web_sys::window()?;
    let mut requested = false;
    let idle = js_sys::Promise::new(&mut |resolve, _| {
        requested = window.request_idle_callback(&resolve).is_ok();
    });
    if !requested {
        return None;
    }
    wasm_bindgen_futures::JsFuture::from(idle)
        .await
        .ok()
        .and_then(|deadline| deadline.dyn_into().ok())
}

/// `performance.now()`, in milliseconds (0 without a window).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets the browser handle input and render before the next slice: a message to a
/// `MessageChannel` runs as a task of its own, without the 4 ms a nested `setTimeout(0)`
/// is clamped to.
async fn yield_to_browser() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let port = channel.port2();
    let received = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    if port.post_message(&wasm_bindgen::JsValue::NULL).is_err() {
        return;
    }
    let _ = wasm_bindgen_futures::JsFuture::from(received).await;
    // the channel lives until its message has arrived
    drop(channel);
}

/// `localStorage` as a [`KeyValue`].
pub struct LocalStorage(web_sys::Storage);

impl LocalStorage {
    /// The page's storage, if the browser allows it (private modes may not).
    pub fn open() -> Option<Self> {
        web_sys::window()?
            .local_storage()
            .ok()
            .flatten()
            .map(LocalStorage)
    }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Option<String> {
        self.0.get_item(key).ok().flatten()
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        self.0.set_item(key, value).map_err(js_error)
    }

    fn remove(&mut self, key: &str) -> Result<(), String> {
        self.0.remove_item(key).map_err(js_error)
    }
}

/// This deployment's keys in `localStorage` (see [`Scoped`]).
/// Reloads the page: in presenter mode, where nothing is kept, that starts over.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// True in presenter mode (`?present` or `#present`): nothing is read from or written to
/// the browser's storage, so a shared screen never shows saved work, and a reload starts
/// over.
pub fn presenter() -> bool {
    let (hash, search) = location();
    Fragment::parse(&hash, &search).present
}

fn workspace_storage() -> Option<Scoped<LocalStorage>> {
    if presenter() {
        return None;
    }
    let path = web_sys::window()?.location().pathname().ok()?;
    Some(Scoped::new(LocalStorage::open()?, &path))
}

fn location() -> (String, String) {
    web_sys::window()
        .map(|w| w.location())
        .map(|l| (l.hash().unwrap_or_default(), l.search().unwrap_or_default()))
        .unwrap_or_default()
}

/// Reads the URL and the storage to decide the starting document. A share link's payload
/// is inflated by the browser, which takes a moment: the boot then says so (`decoding`), and
/// [`open_link`] finishes it.
pub fn boot() -> Boot {
    let (hash, search) = location();
    let fragment = Fragment::parse(&hash, &search);
    if fragment.share.is_some() {
        // a presenter's link stays in the address: a reload (Reset) opens it again
        if fragment.embed.is_none() && !fragment.present {
            // the link has been read: from now on the workspace lives in the autosave, so a
            // reload keeps the edits made since instead of reopening the link
            forget_link();
        }
        return startup::decoding(hash, search, fragment.embed);
    }
    start_with(&hash, &search, None)
}

/// `startup::start` with this deployment's storage (none for an embed).
fn start_with(hash: &str, search: &str, link: Option<startup::Link>) -> Boot {
    let embedded = Fragment::parse(hash, search).embed.is_some();
    match workspace_storage() {
        Some(mut s) => {
            // an autosave from before keys were scoped is copied once (never for an embed,
            // which must not touch the visitor's storage); a failure leaves it where it is
            if !embedded {
                let _ = s.migrate();
            }
            startup::start(hash, search, link, &mut s)
        }
        None if presenter() => {
            let mut b = startup::start(hash, search, link, &mut MemoryStore::default());
            b.first_visit = false;
            b.notice.get_or_insert(Notice::info(
                "Presenter mode: this session reads and writes nothing in this browser; Reset starts over",
            ));
            b
        }
        None => {
            let mut b = startup::start(hash, search, link, &mut MemoryStore::default());
            b.notice.get_or_insert(Notice::warning(
                "localStorage is unavailable: nothing will be autosaved",
            ));
            b
        }
    }
}

/// The decoded payload of a share link (`1.…`), inflated by the browser within the cap.
async fn decode_link(payload: &str) -> startup::Link {
    let deflated = codec::unwrap(payload)?;
    let inflated = crate::compress::inflate(&deflated, codec::MAX_DECODED_LEN).await?;
    codec::text(inflated)
}

/// Finishes a boot that was `decoding` a share link: `done` gets what to open.
pub fn open_link(decoding: startup::Decoding, done: impl FnOnce(Boot) + 'static) {
    spawn(async move {
        let payload = Fragment::parse(&decoding.hash, &decoding.search).share;
        let link = match payload {
            Some(p) => Some(decode_link(&p).await),
            None => None,
        };
        done(start_with(&decoding.hash, &decoding.search, link));
    });
}

/// The share payload (`1.…`) of `doc`, deflated by the browser, with the versions it is
/// made with (`madeWith`: an embed says so when its expectations no longer pass under
/// others).
pub async fn link_payload(doc: &Scenario) -> Result<String, String> {
    let mut doc = doc.clone();
    doc.made_with = Some(made_with_now());
    let deflated = crate::compress::deflate(doc::to_json(&doc).as_bytes()).await?;
    Ok(codec::wrap(&deflated))
}

/// Watches the element `selector` and posts its height (CSS pixels, rounded up) to the
/// parent window whenever it changes; `None` when the page is not framed. Dropping the
/// result stops it. The page may replace the element (an example that finishes opening):
/// [`HeightPoster::follow`] moves the watch to the element that matches now.
pub fn post_height_changes(selector: &'static str) -> Option<HeightPoster> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    // not framed: the parent is the window itself
    if js_sys::Object::is(&parent, &window) {
        return None;
    }
    let document = window.document()?;
    let root = document.document_element()?;
    let _ = root.class_list().add_1("framed");
    let last = Rc::new(std::cell::Cell::new(0.0_f64));
    let post = {
        let last = last.clone();
        move |element: &web_sys::Element| {
            let height = element.get_bounding_client_rect().height().ceil();
            if height > 0.0 && (height - last.get()).abs() >= 1.0 {
                last.set(height);
                let _ = parent.post_message(&wasm_bindgen::JsValue::from_f64(height), "*");
            }
        }
    };
    let watched: Rc<RefCell<Option<web_sys::Element>>> = Rc::new(RefCell::new(None));
    let callback = {
        let (watched, post) = (watched.clone(), post.clone());
        wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| {
            if let Some(el) = watched.borrow().as_ref() {
                post(el);
            }
        })
    };
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    let poster = HeightPoster {
        observer,
        selector,
        watched,
        post: Box::new(post),
        _callback: callback,
    };
    poster.follow();
    Some(poster)
}

/// A running [`post_height_changes`]: dropping it disconnects the observer.
pub struct HeightPoster {
    observer: web_sys::ResizeObserver,
    selector: &'static str,
    watched: Rc<RefCell<Option<web_sys::Element>>>,
    post: Box<dyn Fn(&web_sys::Element)>,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl HeightPoster {
    /// Watches the element that matches the selector now (after a render replaced it),
    /// and posts its height if that changed.
    pub fn follow(&self) {
        let current = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(self.selector).ok().flatten());
        let same = match (&current, self.watched.borrow().as_ref()) {
            (Some(a), Some(b)) => a.is_same_node(Some(b)),
            (None, None) => true,
            _ => false,
        };
        if !same {
            if let Some(old) = self.watched.borrow().as_ref() {
                self.observer.unobserve(old);
            }
            if let Some(new) = &current {
                self.observer.observe(new);
            }
            *self.watched.borrow_mut() = current;
        }
        if let Some(el) = self.watched.borrow().as_ref() {
            (self.post)(el);
        }
    }
}

impl Drop for HeightPoster {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// The versions running now.
pub fn made_with_now() -> abacus_studio::scenario::MadeWith {
    let reference = abacus_reference::current()
        .index()
        .map_or_else(|| "unknown".to_owned(), abacus_reference::Index::describe);
    abacus_studio::scenario::MadeWith::now(&reference)
}

thread_local! {
    static PENDING_SAVE: RefCell<Option<Timeout>> = const { RefCell::new(None) };
}

/// Saves `doc` a moment after the last edit (so typing stays instant: it is serialized
/// then, once); `failed` gets the warning to show when the browser refuses the write
/// (storage full or blocked).
pub fn autosave_later(doc: std::rc::Rc<Scenario>, failed: impl FnOnce(Notice) + 'static) {
    let timeout = Timeout::new(300, move || {
        if let Some(mut s) = workspace_storage() {
            if let Err(e) = store::save(&mut s, &doc::to_json(&doc)) {
                failed(Notice::warning(format!(
                    "autosave failed ({e}): your latest edits are not kept in this browser; use Export to keep them"
                )));
            }
        }
    });
    PENDING_SAVE.with(|p| *p.borrow_mut() = Some(timeout));
}

/// Keeps the course being followed (or forgets it) in this browser, so that a reload comes
/// back to it; nothing in an embed or in presenter mode. Errors are for the notice bar.
pub fn save_course(course: Option<&abacus_studio::course::Course>) -> Result<(), String> {
    match workspace_storage() {
        Some(mut s) => crate::course_nav::save(&mut s, course),
        None => Ok(()),
    }
}

/// The challenge progress kept in this browser, and a warning when it could not be read.
/// An embed never reads it (nor writes it: see [`save_progress_later`]).
pub fn load_progress(embedded: bool) -> (crate::progress::Progress, Option<Notice>) {
    match workspace_storage().filter(|_| !embedded) {
        Some(mut s) => {
            let (p, warning) = crate::progress::load(&mut s);
            (p, warning.map(Notice::warning))
        }
        None => Default::default(),
    }
}

thread_local! {
    static PENDING_PROGRESS: RefCell<Option<Timeout>> = const { RefCell::new(None) };
}

/// Saves the challenge progress a moment after the last change, as the autosave is saved.
pub fn save_progress_later(
    progress: std::rc::Rc<crate::progress::Progress>,
    failed: impl FnOnce(Notice) + 'static,
) {
    let timeout = Timeout::new(300, move || {
        if let Some(mut s) = workspace_storage() {
            if let Err(e) = crate::progress::save(&mut s, &progress) {
                failed(Notice::warning(format!(
                    "your challenge progress could not be saved ({e}): the gallery badges will not show it after a reload"
                )));
            }
        }
    });
    PENDING_PROGRESS.with(|p| *p.borrow_mut() = Some(timeout));
}

/// Asks the user to confirm `question` (the browser's own dialog, which every screen reader
/// announces); false when the browser cannot ask.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Copies `text` to the clipboard.
pub fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Calls `f` when the user pastes another share link into this tab: with what to open
/// (see [`startup::follow_link`]), or with the error to show while the workspace stays.
pub fn on_hash_change(
    embedded: bool,
    f: impl Fn(Result<Boot, Notice>) + 'static,
) -> Option<EventListener> {
    let window = web_sys::window()?;
    let f = std::rc::Rc::new(f);
    Some(EventListener::new(&window, "hashchange", move |_| {
        let (hash, search) = location();
        let Some(payload) = Fragment::parse(&hash, &search).share else {
            return;
        };
        let f = f.clone();
        spawn(async move {
            let link = Some(decode_link(&payload).await);
            // a page that started as an embed stays out of the visitor's storage
            let followed = match workspace_storage().filter(|_| !embedded) {
                Some(mut s) => startup::follow_link(&hash, &search, link, &mut s),
                None => startup::follow_link(&hash, &search, link, &mut MemoryStore::default()),
            };
            let Some(result) = followed else {
                return;
            };
            if result.as_ref().is_ok_and(|b| b.embed.is_none()) && !presenter() {
                // as at startup: a reload keeps the edits made since, not the link
                forget_link();
            }
            f(result);
        });
    }))
}

fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_owned())
        .map(|h| {
            // drop `?embed` so the full app opens
            h.split('?').next().unwrap_or("").to_owned()
        })
        .unwrap_or_default()
}

/// Takes a shared link out of the address bar (after an edit it no longer shows the
/// document, and a reload must reopen the autosave, not the older link).
pub fn forget_link() {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&base_url()));
    }
}

/// A link opening `doc` in the full app.
pub async fn full_app_link(doc: &Scenario) -> Result<String, String> {
    let payload = link_payload(doc).await?;
    Ok(format!(
        "{}{}",
        base_url(),
        startup::share_fragment(payload, None)
    ))
}

/// Computes [`full_app_link`] in the background (measured as `abacus-open-link`); `done`
/// gets it unless the browser could not compress.
pub fn full_app_link_later(doc: std::rc::Rc<Scenario>, done: impl FnOnce(String) + 'static) {
    crate::perf::start("abacus-open-link");
    spawn(async move {
        if let Ok(link) = full_app_link(&doc).await {
            crate::perf::end("abacus-open-link");
            done(link);
        }
    });
}

/// [`share`] in the background: `done` gets the link (if one could be made) and the notice.
pub fn share_later(doc: Scenario, done: impl FnOnce(Option<String>, Notice) + 'static) {
    spawn(async move {
        let (url, notice) = share(&doc).await;
        done(url, notice);
    });
}

/// Puts `doc` in the URL, copies the link, and says how long it is: (the link, if one
/// could be made, and the notice).
pub async fn share(doc: &Scenario) -> (Option<String>, Notice) {
    let payload = match link_payload(doc).await {
        Ok(p) => p,
        Err(e) => return (None, Notice::error(format!("no link could be made: {e}"))),
    };
    let fragment = startup::share_fragment(payload, None);
    let url = format!("{}{}", base_url(), fragment);
    if let Some(w) = web_sys::window() {
        if let Ok(history) = w.history() {
            let _ =
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&fragment));
        }
        let _ = w.navigator().clipboard().write_text(&url);
    }
    let notice = if url.len() > codec::WARN_URL_LEN {
        Notice::warning(format!(
            "link copied, but it is long ({} characters): some chat tools cut long links; export the scenario file instead if it breaks",
            url.len()
        ))
    } else {
        Notice::info(format!(
            "link copied to the clipboard ({} characters)",
            url.len()
        ))
    };
    (Some(url), notice)
}

/// Downloads `doc` as a scenario file; the notice says what was saved, or why not.
pub fn export(doc: &Scenario) -> Notice {
    let json = doc::to_json(doc);
    let name: String = doc
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = format!("{}.abacus.json", name.trim_matches('-'));
    let file =
        gloo::file::File::new_with_options(&name, json.as_str(), Some("application/json"), None);
    let url = gloo::file::ObjectUrl::from(file);
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let notice = match anchor {
        Some(a) => {
            a.set_href(&url);
            a.set_download(&name);
            a.click();
            Notice::info(format!(
                "downloaded the scenario as {name} ({} KB): Import opens it again",
                json.len().div_ceil(1024)
            ))
        }
        None => Notice::error("the browser refused the download: copy a share link instead"),
    };
    // keep the URL alive until the download has started
    Timeout::new(5_000, move || drop(url)).forget();
    notice
}

thread_local! {
    static READER: RefCell<Option<gloo::file::callbacks::FileReader>> = const { RefCell::new(None) };
}

/// Reads the file chosen in an `<input type=file>` as a scenario document.
pub fn import(e: Event, done: impl FnOnce(Result<crate::course_nav::Opened, String>) + 'static) {
    let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    input.set_value("");
    let file = gloo::file::File::from(file);
    let name = file.name();
    // refused before it is read: a huge file would hold the tab
    if let Some(why) = crate::course_nav::too_large(file.size()) {
        done(Err(format!("`{name}` is not opened: {why}")));
        return;
    }
    let reader = gloo::file::callbacks::read_as_text(&file, move |result| {
        done(match result {
            Ok(text) => crate::course_nav::read_document(&text)
                .map_err(|e| format!("`{name}` is not a valid scenario or course: {e}")),
            Err(e) => Err(format!("cannot read `{name}`: {e}")),
        });
    });
    READER.with(|r| *r.borrow_mut() = Some(reader));
}

thread_local! {
    /// The readers of a multi-file pick (dropping a reader cancels it).
    static READERS: RefCell<Vec<gloo::file::callbacks::FileReader>> = const { RefCell::new(Vec::new()) };
}

/// One read file, `(name, text)`, or why it could not be read.
type FileRead = Result<(String, String), String>;

/// Reads every file a file input picked (`multiple`), then calls `done` with `(name, text)`
/// of each, in the order picked, or why one could not be read. Nothing leaves the page.
pub fn read_files(e: Event, done: impl FnOnce(Result<Vec<(String, String)>, String>) + 'static) {
    let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
        return;
    };
    let Some(list) = input.files() else {
        return;
    };
    let files: Vec<gloo::file::File> = (0..list.length())
        .filter_map(|i| list.get(i))
        .map(gloo::file::File::from)
        .collect();
    input.set_value("");
    if files.is_empty() {
        return;
    }
    let slots: Rc<RefCell<Vec<Option<FileRead>>>> = Rc::new(RefCell::new(vec![None; files.len()]));
    let done = Rc::new(RefCell::new(Some(done)));
    let readers: Vec<gloo::file::callbacks::FileReader> = files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let name = file.name();
            let (slots, done) = (slots.clone(), done.clone());
            gloo::file::callbacks::read_as_text(file, move |result| {
                let entry = result
                    .map(|text| (name.clone(), text))
                    .map_err(|e| format!("cannot read `{name}`: {e}"));
                if let Some(slot) = slots.borrow_mut().get_mut(i) {
                    *slot = Some(entry);
                }
                let all: Option<Vec<FileRead>> = slots.borrow().iter().cloned().collect();
                if let Some(all) = all {
                    let result: Result<Vec<(String, String)>, String> = all.into_iter().collect();
                    if let Some(f) = done.borrow_mut().take() {
                        f(result);
                    }
                    READERS.with(|r| r.borrow_mut().clear());
                }
            })
        })
        .collect();
    READERS.with(|r| *r.borrow_mut() = readers);
}

/// The last `performance.measure` called `name`, in milliseconds.
pub fn last_measure(name: &str) -> Option<f64> {
    let p = web_sys::window()?.performance()?;
    let entries = p.get_entries_by_name(name);
    let last = entries.get(entries.length().checked_sub(1)?);
    let entry: web_sys::PerformanceEntry = last.dyn_into().ok()?;
    Some(entry.duration())
}

/// The page's `<html>` element, which carries `data-theme`.
fn html_root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

fn set_theme_attribute(theme: Theme) {
    let Some(root) = html_root() else {
        return;
    };
    match theme.attribute() {
        Some(t) => {
            let _ = root.set_attribute("data-theme", t);
        }
        None => {
            let _ = root.remove_attribute("data-theme");
        }
    }
}

/// The theme shown now (from `<html data-theme>`).
pub fn current_theme() -> Theme {
    html_root()
        .and_then(|root| root.get_attribute("data-theme"))
        .map(|t| Theme::parse(&t))
        .unwrap_or_default()
}

/// Puts the remembered theme on `<html data-theme>` (call before the first render).
pub fn apply_stored_theme() {
    // an embed follows the system theme: it never reads the visitor's storage
    let (hash, search) = location();
    let embedded = Fragment::parse(&hash, &search).embed.is_some();
    let theme = LocalStorage::open()
        .filter(|_| !embedded)
        .map(|s| theme::load(&s))
        .unwrap_or_default();
    set_theme_attribute(theme);
}

/// System → light → dark → system: shown on `<html data-theme>` and remembered in
/// `localStorage` (when the browser refuses the write, the choice lasts for this page).
pub fn cycle_theme() -> Theme {
    let next = current_theme().next();
    set_theme_attribute(next);
    if let Some(mut store) = LocalStorage::open() {
        let _ = theme::save(&mut store, next);
    }
    next
}

/// Calls `f` with the lowercase key of every Alt+key press (`Alt+1`, `Alt+E`, ...), using
/// the physical key so layouts where Alt composes characters still work.
pub fn on_shortcut(f: impl Fn(char) + 'static) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    // not passive: the shortcut must not also type or open a browser menu
    let options = gloo::events::EventListenerOptions::enable_prevent_default();
    Some(EventListener::new_with_options(
        &document,
        "keydown",
        options,
        move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if !e.alt_key() || e.ctrl_key() || e.meta_key() {
                return;
            }
            let code = e.code();
            let key = code
                .strip_prefix("Digit")
                .or_else(|| code.strip_prefix("Key"))
                .and_then(|k| k.chars().next())
                .map(|c| c.to_ascii_lowercase());
            if let Some(k) = key {
                if matches!(k, '1'..='5' | 'e' | 'u') {
                    e.prevent_default();
                    f(k);
                }
            }
        },
    ))
}

/// Focuses the first element matching `selector` (after the next render, so a screen
/// switch can happen first).
pub fn focus(selector: &'static str) {
    Timeout::new(0, move || {
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(selector).ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        }
    })
    .forget();
}

fn js_error(e: wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused the request".to_owned())
}

/// Fetches `url` (relative to the page) as text.
/// Fetches and reads the gallery bundle (measured as [`crate::gallery_load::MEASURE`]),
/// then calls `done` with the gallery or why it could not be loaded.
pub fn load_gallery(done: impl FnOnce(Result<crate::gallery_load::Loaded, String>) + 'static) {
    use crate::gallery_load::{Loaded, MEASURE, URL};
    crate::perf::start(MEASURE);
    spawn(async move {
        let result = match fetch_text(URL).await {
            Ok(text) => Loaded::from_json(&text),
            Err(e) => Err(e),
        };
        crate::perf::end(MEASURE);
        done(result);
    });
}

async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(js_error)?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| "fetch returned no response".to_owned())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    text.as_string()
        .ok_or_else(|| "the response is not text".to_owned())
}

/// Opens a document that was waiting for reference data, when it can be (see
/// [`startup::resume`]); `settled(prefix)` says a service is loaded or will not be.
/// An embed never touches the storage.
pub fn resume(
    pending: &startup::Pending,
    embed: bool,
    settled: impl Fn(&str) -> bool,
) -> Option<Boot> {
    match workspace_storage().filter(|_| !embed) {
        Some(mut s) => startup::resume(pending, &mut s, settled),
        None => startup::resume(pending, &mut MemoryStore::default(), settled),
    }
}

/// Fetches a reference file in the background and installs it; `done` gets the registry's
/// new generation, or the warning to show. Measured as `abacus-reference-load:…`.
pub fn load_reference(
    file: crate::reference::ReferenceFile,
    done: impl FnOnce(Result<u64, Notice>) + 'static,
) {
    let name = file.measure_name();
    crate::perf::start(&name);
    spawn(async move {
        let result = match fetch_text(&file.url()).await {
            Ok(text) => crate::perf::measure(&name.replacen("-load:", "-install:", 1), || {
                file.install(&text)
            }),
            Err(e) => Err(e),
        };
        crate::perf::end(&name);
        done(
            result
                .map(|()| abacus_reference::generation())
                .map_err(|e| file.failure_notice(&e)),
        );
    });
}
