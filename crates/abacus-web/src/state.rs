//! The app state: one workspace document plus what is on screen, changed only through
//! [`Action`]s by [`AppState::apply`] (a pure function, tested natively).
//!
//! The document (`Scenario`) is the single source of truth: it is what is autosaved,
//! shared in the link and exported. Everything the panels show is derived from it by
//! [`crate::derive`].

use crate::course_nav;
use crate::doc;
use crate::gallery_load::{GalleryLoad, Loaded};
use crate::progress::Progress;
use crate::view::{Jump, MatrixView, QuickEdit, RequestEdit, WorldEdit};
use crate::{challenge, policy_edit};
use abacus_studio::scenario::{Panel, PolicyKind, Scenario};
use std::rc::Rc;
use yew::Reducible;

/// The screens of the app.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Screen {
    /// Policies, editor, request, decision.
    #[default]
    Workspace,
    /// Users × actions.
    Matrix,
    /// Scenarios, challenges, templates.
    Gallery,
    /// Users, teams, tags, resources.
    World,
    /// Bring your own account: import AWS exports, who can, CloudTrail replay.
    Account,
}

impl Screen {
    /// Every screen, in tab order.
    pub const ALL: [Screen; 5] = [
        Screen::Workspace,
        Screen::Matrix,
        Screen::Gallery,
        Screen::World,
        Screen::Account,
    ];

    /// The tab label.
    pub fn label(self) -> &'static str {
        match self {
            Screen::Workspace => "Workspace",
            Screen::Matrix => "Access matrix",
            Screen::Gallery => "Gallery",
            Screen::World => "World",
            Screen::Account => "Account",
        }
    }

    /// A CSS selector for its tab button.
    pub fn tab_selector(self) -> &'static str {
        match self {
            Screen::Workspace => "[data-testid=tab-workspace]",
            Screen::Matrix => "[data-testid=tab-matrix]",
            Screen::Gallery => "[data-testid=tab-gallery]",
            Screen::World => "[data-testid=tab-world]",
            Screen::Account => "[data-testid=tab-account]",
        }
    }

    /// The `data-testid` of its tab.
    pub fn testid(self) -> &'static str {
        match self {
            Screen::Workspace => "tab-workspace",
            Screen::Matrix => "tab-matrix",
            Screen::Gallery => "tab-gallery",
            Screen::World => "tab-world",
            Screen::Account => "tab-account",
        }
    }
}

/// How serious a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    /// Information (e.g. "link copied").
    Info,
    /// Something was recovered or is risky (long link, corrupt autosave).
    Warning,
    /// Something failed (bad share link, bad import).
    Error,
}

/// A message in the bar under the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Level.
    pub level: NoticeLevel,
    /// Text.
    pub text: String,
}

impl Notice {
    /// An info notice.
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            level: NoticeLevel::Info,
            text: text.into(),
        }
    }
    /// A warning.
    pub fn warning(text: impl Into<String>) -> Self {
        Self {
            level: NoticeLevel::Warning,
            text: text.into(),
        }
    }
    /// An error.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            level: NoticeLevel::Error,
            text: text.into(),
        }
    }
}

/// The whole app state.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The workspace document.
    pub doc: Rc<Scenario>,
    /// The policy in the editor.
    pub active_policy: usize,
    /// The screen shown.
    pub screen: Screen,
    /// The message bar.
    pub notice: Option<Notice>,
    /// The matrix the diff compares against.
    pub baseline: Option<Rc<MatrixView>>,
    /// A pending caret move in the editor.
    pub jump: Option<Jump>,
    /// A pending quick fix in the editor.
    pub quick_edit: Option<Rc<QuickEdit>>,
    /// Bumped on every document change (drives autosave and the URL).
    pub revision: u32,
    /// The text of the action filter (view state: not part of the document).
    pub filter: String,
    /// `abacus_reference::generation()` when the last reference file was installed: what
    /// is derived from the document depends on it too.
    pub reference: u64,
    /// Services whose reference file could not be loaded.
    pub unavailable: std::collections::BTreeSet<String>,
    /// The reference index could not be loaded (so no other service will be).
    pub index_failed: bool,
    /// The gallery and template library, fetched when the Gallery screen first opens.
    pub gallery: GalleryLoad,
    /// The attendee's attempts at the challenges (kept in this browser).
    pub progress: Rc<Progress>,
    /// The document on screen is the attendee's own (opened from the gallery or the
    /// autosave), so a challenge in it is recorded as their attempt; a shared link or an
    /// imported file is someone else's and never replaces the attempt.
    pub own_attempt: bool,
    /// The course being followed, while the workspace shows one of its steps.
    pub course: Option<Rc<abacus_studio::course::Course>>,
}

impl AppState {
    /// The state with step `index` of `course` open (the attendee's attempt, else as
    /// shipped), as their own work.
    fn open_step(&self, course: Rc<abacus_studio::course::Course>, index: usize) -> AppState {
        match course_nav::open_step(&course, index, &self.progress) {
            Ok((doc, message)) => {
                let mut next =
                    self.apply(Action::OpenOwn(Box::new(doc), Some(Notice::info(message))));
                next.course = Some(course);
                next
            }
            Err(e) => {
                let mut next = self.clone();
                next.notice = Some(Notice::error(e));
                next
            }
        }
    }

    /// A state showing `doc`.
    pub fn new(doc: Scenario, notice: Option<Notice>) -> Self {
        Self {
            active_policy: doc::initial_policy(&doc),
            doc: Rc::new(doc),
            screen: Screen::Workspace,
            notice,
            baseline: None,
            jump: None,
            quick_edit: None,
            revision: 0,
            filter: String::new(),
            reference: 0,
            unavailable: Default::default(),
            index_failed: false,
            gallery: GalleryLoad::NotRequested,
            progress: Rc::default(),
            own_attempt: true,
            course: None,
        }
    }
}

/// Everything that changes the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// New text for policy `index` (a keystroke).
    EditPolicy {
        /// Policy index.
        index: usize,
        /// Its whole new text.
        text: String,
    },
    /// Show policy `index` in the editor.
    SelectPolicy(usize),
    /// Change the request.
    EditRequest(RequestEdit),
    /// Load the request of a matrix cell (the cell keeps it) and go to the workspace.
    OpenCell(Box<abacus_studio::scenario::Selection>),
    /// Change the world.
    EditWorld(WorldEdit),
    /// Add or remove access-matrix columns.
    EditMatrix(crate::matrix_edit::MatrixEdit),
    /// Add a policy (from the template library).
    AddPolicy(doc::NewPolicy),
    /// Replace the document (gallery, import, share link).
    Load(Box<Scenario>, Option<Notice>),
    /// Switch screens.
    Show(Screen),
    /// Set or clear the message bar.
    Notify(Option<Notice>),
    /// Move the caret to a byte range of the active policy.
    Jump(usize, usize),
    /// Replace a byte range of the active policy (a quick fix), as one undoable edit.
    QuickFix(usize, usize, String),
    /// Take this matrix as the diff baseline.
    Baseline(Rc<MatrixView>),
    /// New text in the action filter.
    Filter(String),
    /// A reference file was installed; the registry is now at this generation.
    ReferenceInstalled(u64),
    /// A reference file could not be loaded: the service (none for the index) and why.
    ReferenceFailed(Option<String>, Notice),
    /// The gallery bundle is being fetched.
    GalleryRequested,
    /// The gallery bundle was read.
    GalleryLoaded(Rc<Loaded>),
    /// The gallery bundle could not be fetched or read: why.
    GalleryFailed(String),
    /// Ask for the gallery again after a failure.
    GalleryRetry,
    /// Show this panel under the editor.
    ShowPanel(Panel),
    /// Add an empty policy of this kind and edit it.
    NewPolicy(PolicyKind),
    /// Rename policy `index`.
    RenamePolicy(usize, String),
    /// Delete policy `index`.
    DeletePolicy(usize),
    /// Attach policy `index` to exactly these targets (`prefix:name`).
    SetAttachments(usize, Vec<String>),
    /// Load the request of expectation `index`.
    LoadExpectation(usize),
    /// The expectations were checked: `passed` of `total` pass (records a challenge attempt).
    AttemptChecked {
        /// The document that was checked (ignored unless it is still the one on screen).
        doc: Rc<Scenario>,
        /// Passing expectations.
        passed: usize,
        /// All expectations.
        total: usize,
    },
    /// Open the attendee's own document (a gallery challenge, their attempt, the autosave):
    /// as `Load`, but a challenge in it is recorded as their attempt.
    OpenOwn(Box<Scenario>, Option<Notice>),
    /// Keep `doc` (a challenge as shipped) as the attempt, unless one is already kept: so that
    /// "Back to my attempt" has somewhere to go after the solution was opened first.
    KeepAttempt(Box<Scenario>),
    /// Replace the challenge attempt on screen with its worked solution (the attempt is
    /// kept in the progress).
    ShowSolution,
    /// Go back from the solution to the saved attempt.
    BackToAttempt,
    /// Forget the attempt at challenge `id`.
    ForgetAttempt(String),
    /// Follow a course: open its first step not passed yet (the attendee's attempt at it,
    /// if any).
    /// The notice, when there is one, comes first (e.g. where the previous autosave went).
    OpenCourse(Rc<abacus_studio::course::Course>, Option<Notice>),
    /// Open step `index` of the course.
    GoToStep(usize),
    /// Start the step on screen over: its attempt is forgotten and it opens as shipped.
    ResetStep,
    /// Stop following the course (the workspace stays).
    LeaveCourse,
}

impl AppState {
    /// Applies `action`, returning the next state (the old one is untouched).
    pub fn apply(&self, action: Action) -> AppState {
        let mut next = self.clone();
        let opens_own = matches!(action, Action::OpenOwn(..));
        match action {
            Action::EditPolicy { index, text } => {
                let mut d = (*self.doc).clone();
                if doc::set_policy_text(&mut d, index, text) {
                    next.doc = Rc::new(d);
                    next.revision = self.revision.wrapping_add(1);
                }
            }
            Action::SelectPolicy(index) => {
                if let Some(p) = self.doc.policies.get(index) {
                    next.active_policy = index;
                    next.jump = None;
                    if self.doc.view.policy.as_ref() != Some(&p.id) {
                        let mut d = (*self.doc).clone();
                        d.view.policy = Some(p.id.clone());
                        next.set_doc(d);
                    }
                }
            }
            Action::EditRequest(edit) => {
                let mut d = (*self.doc).clone();
                if let Some(note) = doc::edit_request(&mut d, edit) {
                    next.notice = Some(Notice::warning(note));
                }
                next.set_doc(d);
            }
            Action::OpenCell(selection) => {
                let mut d = (*self.doc).clone();
                d.selection = *selection;
                next.set_doc(d);
                next.screen = Screen::Workspace;
            }
            Action::EditWorld(edit) => {
                let mut d = (*self.doc).clone();
                match doc::edit_world(&mut d, edit) {
                    Ok(()) => {
                        next.doc = Rc::new(d);
                        next.revision = self.revision.wrapping_add(1);
                        next.notice = None;
                    }
                    Err(e) => next.notice = Some(Notice::error(e)),
                }
            }
            Action::EditMatrix(edit) => {
                let mut d = (*self.doc).clone();
                match crate::matrix_edit::apply(&mut d, edit) {
                    Ok(()) => {
                        next.doc = Rc::new(d);
                        next.revision = self.revision.wrapping_add(1);
                        next.notice = None;
                    }
                    Err(e) => next.notice = Some(Notice::error(e)),
                }
            }
            Action::AddPolicy(policy) => {
                let mut d = (*self.doc).clone();
                let name = policy.name.clone();
                next.active_policy = doc::add_policy(&mut d, policy);
                d.view.policy = d.policies.get(next.active_policy).map(|p| p.id.clone());
                next.doc = Rc::new(d);
                next.revision = self.revision.wrapping_add(1);
                next.screen = Screen::Workspace;
                next.notice = Some(Notice::info(format!("added policy `{name}`")));
            }
            Action::Load(doc, notice) | Action::OpenOwn(doc, notice) => {
                next = AppState::new(*doc, notice);
                next.own_attempt = opens_own;
                next.progress = self.progress.clone();
                next.screen = Screen::Workspace;
                next.revision = self.revision.wrapping_add(1);
                next.filter = self.filter.clone();
                next.reference = self.reference;
                next.unavailable = self.unavailable.clone();
                next.index_failed = self.index_failed;
                next.gallery = self.gallery.clone();
                // the course stays while the workspace shows one of its steps
                next.course = self
                    .course
                    .clone()
                    .filter(|c| course_nav::current_step(c, &next.doc).is_some());
            }
            Action::Show(screen) => next.screen = screen,
            Action::Notify(notice) => next.notice = notice,
            Action::Jump(start, end) => {
                let nonce = self.jump.map_or(0, |j| j.nonce.wrapping_add(1));
                next.jump = Some(Jump { start, end, nonce });
            }
            Action::QuickFix(start, end, replacement) => {
                let nonce = self
                    .quick_edit
                    .as_ref()
                    .map_or(0, |e| e.nonce.wrapping_add(1));
                next.quick_edit = Some(Rc::new(QuickEdit {
                    start,
                    end,
                    replacement,
                    nonce,
                }));
            }
            Action::Baseline(m) => next.baseline = Some(m),
            Action::Filter(text) => next.filter = text,
            Action::ReferenceInstalled(generation) => {
                next.reference = self.reference.max(generation);
            }
            Action::ReferenceFailed(service, notice) => {
                next.index_failed |= service.is_none();
                next.unavailable.extend(service);
                next.notice = Some(notice);
            }
            Action::GalleryRequested => next.gallery = GalleryLoad::Loading,
            Action::GalleryLoaded(loaded) => next.gallery = GalleryLoad::Ready(loaded),
            Action::GalleryFailed(why) => next.gallery = GalleryLoad::Failed(why),
            Action::GalleryRetry => {
                if matches!(self.gallery, GalleryLoad::Failed(_)) {
                    next.gallery = GalleryLoad::NotRequested;
                }
            }
            Action::ShowPanel(panel) => {
                if self.doc.view.panel != panel {
                    let mut d = (*self.doc).clone();
                    d.view.panel = panel;
                    next.set_doc(d);
                }
            }
            Action::NewPolicy(kind) => {
                let mut d = (*self.doc).clone();
                let index = policy_edit::new_policy(&mut d, kind);
                let name = d.policies.get(index).map(|p| p.name.clone());
                next.set_doc(d);
                next = next.apply(Action::SelectPolicy(index));
                next.screen = Screen::Workspace;
                next.notice = name.map(|n| {
                    Notice::info(format!(
                        "added the policy “{n}”: write its statements in the editor"
                    ))
                });
            }
            Action::RenamePolicy(index, name) => {
                let mut d = (*self.doc).clone();
                match policy_edit::rename_policy(&mut d, index, &name) {
                    Ok(()) => next.set_doc(d),
                    Err(e) => next.notice = Some(Notice::error(e)),
                }
            }
            Action::DeletePolicy(index) => {
                let mut d = (*self.doc).clone();
                match policy_edit::delete_policy(&mut d, index) {
                    Ok(name) => {
                        next.set_doc(d);
                        next.active_policy = doc::initial_policy(&next.doc);
                        next.notice = Some(Notice::info(format!("deleted the policy “{name}”")));
                    }
                    Err(e) => next.notice = Some(Notice::error(e)),
                }
            }
            Action::SetAttachments(index, targets) => {
                let mut d = (*self.doc).clone();
                match policy_edit::set_attachments(&mut d, index, targets) {
                    Ok(()) => next.set_doc(d),
                    Err(e) => next.notice = Some(Notice::error(e)),
                }
            }
            Action::LoadExpectation(index) => {
                if let Some(e) = self.doc.expectations.get(index) {
                    let mut d = (*self.doc).clone();
                    d.selection = e.request.clone();
                    next.set_doc(d);
                    next.screen = Screen::Workspace;
                }
            }
            Action::AttemptChecked { doc, passed, total } => {
                let current = Rc::ptr_eq(&doc, &self.doc);
                if let Some(p) = self
                    .progress
                    .record(&self.doc, passed, total)
                    .filter(|_| current && self.own_attempt)
                {
                    next.progress = Rc::new(p);
                }
            }
            Action::KeepAttempt(doc) => {
                let id = doc.challenge.as_ref().map(|c| c.id.clone());
                if id.is_some_and(|id| self.progress.get(&id).is_none()) {
                    let results =
                        abacus_studio::evaluate::Workspace::new(&doc).check_expectations();
                    let passed = results.iter().filter(|r| r.passed).count();
                    if let Some(p) = self.progress.record(&doc, passed, results.len()) {
                        next.progress = Rc::new(p);
                    }
                }
            }
            Action::ShowSolution => match challenge::with_solution(&self.doc) {
                Ok(d) => {
                    next.set_doc(d);
                    next.active_policy = doc::initial_policy(&next.doc);
                    next.jump = None;
                    next.notice = Some(Notice::info("showing the worked solution; your attempt is kept: “Back to my attempt” returns to it"));
                }
                Err(e) => next.notice = Some(Notice::error(e)),
            },
            Action::BackToAttempt => match challenge::attempt(&self.doc, &self.progress) {
                Ok(d) => {
                    next.set_doc(d);
                    next.own_attempt = true;
                    next.active_policy = doc::initial_policy(&next.doc);
                    next.jump = None;
                    next.notice = Some(Notice::info("back to your attempt"));
                }
                Err(e) => next.notice = Some(Notice::error(e)),
            },
            Action::ForgetAttempt(id) => next.progress = Rc::new(self.progress.forget(&id)),
            Action::OpenCourse(course, notice) => {
                let step = course_nav::first_open_step(&course, &self.progress);
                next = self.open_step(course, step);
                if let (Some(first), Some(then)) = (notice, next.notice.as_mut()) {
                    then.text = format!("{}; {}", first.text, then.text);
                    if first.level as u8 > then.level as u8 {
                        then.level = first.level;
                    }
                }
            }
            Action::GoToStep(index) => {
                if let Some(course) = self.course.clone() {
                    next = self.open_step(course, index);
                }
            }
            Action::ResetStep => {
                let course = self.course.clone();
                if let Some((course, step)) =
                    course.and_then(|c| course_nav::current_step(&c, &self.doc).map(|i| (c, i)))
                {
                    let id = course.steps.get(step).map(|s| course.challenge_id(&s.id));
                    let mut forgot = self.clone();
                    if let Some(id) = id {
                        forgot.progress = Rc::new(self.progress.forget(&id));
                    }
                    next = forgot.open_step(course, step);
                }
            }
            Action::LeaveCourse => next.course = None,
        }
        next.active_policy = next
            .active_policy
            .min(doc::policy_count(&next.doc).saturating_sub(1));
        next
    }
}

impl AppState {
    /// Replaces the document (an edit: autosaved and put in the URL).
    fn set_doc(&mut self, doc: Scenario) {
        self.doc = Rc::new(doc);
        self.revision = self.revision.wrapping_add(1);
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::scenario::default_scenario;

    fn state() -> AppState {
        AppState::new(default_scenario(), None)
    }

    #[test]
    fn starts_on_the_first_identity_policy() {
        let s = state();
        assert_eq!(
            s.doc.policies[s.active_policy].kind,
            abacus_studio::scenario::PolicyKind::Identity
        );
        assert_eq!(s.revision, 0);
    }

    #[test]
    fn editing_a_policy_changes_only_the_document_and_bumps_the_revision() {
        let s = state();
        let next = s.apply(Action::EditPolicy {
            index: 1,
            text: "{}".into(),
        });
        assert_eq!(next.doc.policies[1].text, "{}");
        assert_eq!(next.revision, 1);
        assert_eq!(
            s.doc.policies[1].text,
            default_scenario().policies[1].text,
            "old state untouched"
        );
        let same = next.apply(Action::EditPolicy {
            index: 1,
            text: "{}".into(),
        });
        assert_eq!(same.revision, 1, "no change, no new revision");
        let out = next.apply(Action::EditPolicy {
            index: 999,
            text: "x".into(),
        });
        assert_eq!(out.doc, next.doc);
    }

    #[test]
    fn selecting_policies_is_clamped() {
        let s = state().apply(Action::SelectPolicy(2));
        assert_eq!(s.active_policy, 2);
        assert_eq!(s.apply(Action::SelectPolicy(999)).active_policy, 2);
    }

    #[test]
    fn request_edits_change_the_selection() {
        let s = state().apply(Action::EditRequest(RequestEdit::User("bob".into())));
        assert_eq!(s.doc.selection.user, "bob");
        let s = s.apply(Action::EditRequest(RequestEdit::Route(
            "access-keys".into(),
        )));
        assert_eq!(doc::route_key(&s.doc.selection.route), "access-keys");
        let s = s.apply(Action::EditRequest(RequestEdit::Param(
            "tags".into(),
            "team=a".into(),
        )));
        assert_eq!(
            s.doc
                .selection
                .parameters
                .tags
                .get("team")
                .map(String::as_str),
            Some("a")
        );
    }

    #[test]
    fn a_typed_resource_arn_reaches_the_request_panel_and_the_decision() {
        let s = state().apply(Action::EditRequest(RequestEdit::Resource(
            doc::CUSTOM_ARN.into(),
        )));
        let arn = "arn:aws:sagemaker:us-east-1:444455556666:training-job/elsewhere";
        let s = s.apply(Action::EditRequest(RequestEdit::ResourceArn(arn.into())));
        assert_eq!(s.revision, 2);
        let d = crate::derive::workspace(&s.doc, s.active_policy);
        assert_eq!(d.request.resource, doc::CUSTOM_ARN);
        assert_eq!(d.request.custom_arn.as_deref(), Some(arn));
        assert_eq!(d.request.resource_arn, arn);
        assert!(d
            .request
            .resources
            .iter()
            .any(|o| o.value == doc::CUSTOM_ARN));
        assert!(d.decision.is_some());
        let s = s.apply(Action::EditRequest(RequestEdit::ResourceArn(
            "arn:aws:s3:::b/*".into(),
        )));
        let d = crate::derive::workspace(&s.doc, s.active_policy);
        assert!(d.decision.is_none());
        assert!(d
            .unavailable
            .as_deref()
            .is_some_and(|m| m.contains("no wildcards")));
    }

    #[test]
    fn loading_a_document_resets_the_view_but_not_the_revision_counter() {
        let s = state()
            .apply(Action::Show(Screen::Gallery))
            .apply(Action::SelectPolicy(3));
        let mut other = default_scenario();
        other.name = "other".into();
        let next = s.apply(Action::Load(Box::new(other), Some(Notice::info("loaded"))));
        assert_eq!(next.doc.name, "other");
        assert_eq!(next.screen, Screen::Workspace);
        assert!(next.revision > s.revision);
        assert_eq!(
            next.notice.as_ref().map(|n| n.level),
            Some(NoticeLevel::Info)
        );
    }

    #[test]
    fn refused_world_edits_leave_the_document_and_explain() {
        let s = state();
        let next = s.apply(Action::EditWorld(WorldEdit::TagUser {
            user: "nobody".into(),
            key: "team".into(),
            value: "x".into(),
        }));
        assert_eq!(next.doc, s.doc);
        assert_eq!(next.notice.map(|n| n.level), Some(NoticeLevel::Error));
    }

    #[test]
    fn matrix_cells_open_their_request_in_the_workspace() {
        let s = state().apply(Action::Show(Screen::Matrix));
        let m = crate::derive::matrix(&s.doc);
        let cell = m.request(1, 0).unwrap().clone();
        let next = s.apply(Action::OpenCell(Box::new(cell.clone())));
        assert_eq!(next.screen, Screen::Workspace);
        assert_eq!(next.doc.selection, cell);
        assert_eq!(next.doc.selection.user, "bob");
        assert_eq!(next.revision, s.revision + 1);
        // the cell's request is the one the matrix decided
        let decided = crate::derive::workspace(&next.doc, next.active_policy);
        assert_eq!(
            decided.decision.map(|d| d.decision),
            m.view.cells[1][0],
            "opening a cell reproduces it"
        );
        // a cell without a request opens nothing
        assert_eq!(m.request(99, 99), None);
    }

    #[test]
    fn matrix_column_edits_change_the_document_or_explain() {
        use crate::matrix_edit::MatrixEdit;
        let s = state().apply(Action::Show(Screen::Matrix));
        let next = s.apply(Action::EditMatrix(MatrixEdit::Add(
            "sagemaker:DeleteExperiment".into(),
        )));
        assert_eq!(next.revision, s.revision + 1);
        assert!(next
            .doc
            .matrix
            .actions
            .contains(&"sagemaker:DeleteExperiment".to_owned()));
        assert_eq!(next.screen, Screen::Matrix);
        let refused = next.apply(Action::EditMatrix(MatrixEdit::Add("nope:Nope".into())));
        assert_eq!(refused.doc, next.doc);
        assert_eq!(refused.revision, next.revision);
        assert_eq!(refused.notice.map(|n| n.level), Some(NoticeLevel::Error));
    }

    #[test]
    fn reference_installs_move_the_generation_forward_and_failures_notify() {
        let s = state().apply(Action::ReferenceInstalled(3));
        assert_eq!(s.reference, 3);
        assert_eq!(s.apply(Action::ReferenceInstalled(2)).reference, 3);
        let notice = Notice::warning("`ec2` could not be loaded");
        let failed = s.apply(Action::ReferenceFailed(Some("ec2".into()), notice.clone()));
        assert!(failed.unavailable.contains("ec2"));
        assert_eq!(failed.notice, Some(notice));
        assert_eq!(failed.doc, s.doc, "the document is untouched");
        let f = failed.apply(Action::Filter("ec2".into()));
        let loaded = f.apply(Action::Load(Box::new(default_scenario()), None));
        assert_eq!(
            (loaded.filter.as_str(), loaded.reference),
            ("ec2", 3),
            "loading a document keeps the view's reference state"
        );
        assert!(loaded.unavailable.contains("ec2"));
    }

    #[test]
    fn jumps_carry_a_fresh_nonce() {
        let a = state().apply(Action::Jump(3, 5));
        let b = a.apply(Action::Jump(3, 5));
        assert_ne!(a.jump.map(|j| j.nonce), b.jump.map(|j| j.nonce));
    }

    #[test]
    fn quick_fixes_carry_a_fresh_nonce_and_leave_the_document_to_the_editor() {
        let s = state();
        let a = s.apply(Action::QuickFix(3, 4, String::new()));
        let b = a.apply(Action::QuickFix(3, 4, String::new()));
        let nonce = |s: &AppState| s.quick_edit.as_ref().map(|e| e.nonce);
        assert_ne!(nonce(&a), nonce(&b));
        // the editor applies it, through its undo history, and reports the new text
        assert_eq!(b.doc, s.doc);
    }

    #[test]
    fn the_gallery_loads_once_survives_a_new_document_and_retries_only_after_a_failure() {
        let s = state().apply(Action::GalleryRequested);
        assert_eq!(s.gallery, GalleryLoad::Loading);
        assert_eq!(s.apply(Action::GalleryRetry).gallery, GalleryLoad::Loading);
        let failed = s.apply(Action::GalleryFailed("HTTP 404".into()));
        assert_eq!(failed.gallery, GalleryLoad::Failed("HTTP 404".into()));
        assert_eq!(
            failed.apply(Action::GalleryRetry).gallery,
            GalleryLoad::NotRequested
        );
        let bundle = abacus_templates::bundle::to_json().unwrap();
        let loaded = Rc::new(Loaded::from_json(&bundle).unwrap());
        let ready = s.apply(Action::GalleryLoaded(loaded.clone()));
        let reloaded = ready.apply(Action::Load(Box::new(default_scenario()), None));
        assert!(reloaded
            .gallery
            .ready()
            .is_some_and(|l| Rc::ptr_eq(l, &loaded)));
    }

    #[test]
    fn templates_become_policies_and_open_in_the_editor() {
        let s = state();
        let library = abacus_templates::Library::builtin();
        let id = &library.templates[0].id;
        let policy = doc::policy_from_template(&s.doc, &library, id).unwrap();
        let next = s.apply(Action::AddPolicy(policy));
        assert_eq!(next.doc.policies.len(), s.doc.policies.len() + 1);
        assert_eq!(next.active_policy, next.doc.policies.len() - 1);
        assert!(doc::parse(&doc::to_json(&next.doc)).is_ok());
    }

    fn challenge_doc() -> Scenario {
        let gallery = abacus_templates::gallery::Gallery::builtin();
        let entry = gallery
            .of(abacus_templates::gallery::Category::Challenge)
            .next()
            .unwrap();
        challenge::shipped(entry).unwrap()
    }

    fn checked(s: &AppState, passed: usize) -> AppState {
        s.apply(Action::AttemptChecked {
            doc: s.doc.clone(),
            passed,
            total: 5,
        })
    }

    #[test]
    fn only_the_attendees_own_document_is_recorded_as_their_attempt() {
        let id = challenge_doc().challenge.unwrap().id;
        let own = state().apply(Action::OpenOwn(Box::new(challenge_doc()), None));
        let own = checked(&own, 2);
        assert_eq!(own.progress.get(&id).unwrap().passed, 2);
        // counts computed for a document no longer on screen are ignored
        let stale = own.apply(Action::AttemptChecked {
            doc: Rc::new(default_scenario()),
            passed: 5,
            total: 5,
        });
        assert_eq!(stale.progress.get(&id).unwrap().passed, 2);
        // a shared link or an import of the same challenge never replaces the attempt
        let foreign = own.apply(Action::Load(Box::new(challenge_doc()), None));
        assert!(!foreign.own_attempt);
        assert_eq!(checked(&foreign, 5).progress, own.progress);
    }

    #[test]
    fn the_solution_is_not_an_attempt_and_back_returns_to_it() {
        let id = challenge_doc().challenge.unwrap().id;
        let s = checked(
            &state().apply(Action::OpenOwn(Box::new(challenge_doc()), None)),
            1,
        );
        let attempt = s.doc.clone();
        let shown = s.apply(Action::ShowSolution);
        assert!(shown.doc.challenge.as_ref().unwrap().solution_shown);
        assert_eq!(checked(&shown, 5).progress, s.progress, "not recorded");
        let back = shown.apply(Action::BackToAttempt);
        assert_eq!(*back.doc, *attempt);
        assert_eq!(back.progress.get(&id).unwrap().passed, 1);
        // opened with the solution first: the shipped document is kept to come back to
        let fresh = state().apply(Action::KeepAttempt(Box::new(challenge_doc())));
        let kept = fresh.progress.get(&id).unwrap().clone();
        let again = fresh.apply(Action::KeepAttempt(Box::new(challenge_doc())));
        assert_eq!(
            again.progress.get(&id),
            Some(&kept),
            "an attempt is never replaced"
        );
    }

    #[test]
    fn policy_edits_select_and_remember_the_policy() {
        let s = state().apply(Action::NewPolicy(PolicyKind::Identity));
        let new_id = s.doc.policies[s.active_policy].id.clone();
        assert_eq!(s.doc.view.policy.as_deref(), Some(new_id.as_str()));
        let s = s.apply(Action::SelectPolicy(0));
        assert_eq!(
            s.doc.view.policy.as_deref(),
            Some(s.doc.policies[0].id.as_str())
        );
        let s = s.apply(Action::DeletePolicy(0));
        assert_eq!(s.doc.view.policy, None);
        assert!(s.active_policy < s.doc.policies.len());
        assert!(s.notice.unwrap().text.starts_with("deleted the policy"));
        let s = state().apply(Action::ShowPanel(Panel::CloudTrail));
        assert_eq!(s.doc.view.panel, Panel::CloudTrail);
        assert!(doc::parse(&doc::to_json(&s.doc)).is_ok());
    }

    #[test]
    fn an_expectation_loads_its_request() {
        let mut d = default_scenario();
        let want = d.expectations[1].request.clone();
        d.selection.user = "carol".into();
        let s = AppState::new(d, None).apply(Action::LoadExpectation(1));
        assert_eq!(s.doc.selection, want);
        assert_eq!(s.screen, Screen::Workspace);
    }
}
