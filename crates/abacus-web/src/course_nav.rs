//! Moving through a course (`abacus_studio::course`): which step the workspace shows, each
//! step's status from the attendee's progress, opening a step (their attempt when there is
//! one, else the step as shipped), and keeping the open course in this browser so that a
//! reload comes back to it.
//!
//! Pure: the course travels in the app state, the attempts in [`Progress`] (one per step,
//! under the challenge id `course-id/step-id`, so that progress is kept per course), the
//! stored course in a [`KeyValue`] store.

use crate::progress::Progress;
use crate::store::KeyValue;
use abacus_studio::course::{self, Course};
use abacus_studio::scenario::Scenario;
use std::rc::Rc;

/// Where the open course is kept (scoped like the autosave).
pub const COURSE_KEY: &str = "abacus.course.v1";

/// What a file or a link holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    /// A scenario document.
    Scenario(Box<Scenario>),
    /// A course.
    Course(Rc<Course>),
}

/// The largest scenario or course file Import opens (as large as an account export).
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

/// Why a file of `bytes` is not read, when it is larger than [`MAX_DOCUMENT_BYTES`].
pub fn too_large(bytes: u64) -> Option<String> {
    (bytes > MAX_DOCUMENT_BYTES).then(|| {
        format!("the file is {bytes} bytes, more than the {MAX_DOCUMENT_BYTES} a scenario or course file is read up to")
    })
}

/// Reads a scenario or a course (a JSON object with a `course` member).
pub fn read_document(text: &str) -> Result<Opened, String> {
    if let Some(why) = too_large(text.len() as u64) {
        return Err(why);
    }
    if course::is_course(text) {
        Course::from_json(text)
            .map(|c| Opened::Course(Rc::new(c)))
            .map_err(|e| format!("the course could not be read: {}", crate::doc::describe(&e)))
    } else {
        crate::doc::parse(text).map(|d| Opened::Scenario(Box::new(d)))
    }
}

/// The step of `course` the document `doc` is (its attempt, or the step as shipped, or its
/// worked solution).
pub fn current_step(course: &Course, doc: &Scenario) -> Option<usize> {
    course.step_of(&doc.challenge.as_ref()?.id)
}

/// One step as the course bar lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepStatus {
    /// The step's title.
    pub title: String,
    /// All its expectations passed in the attendee's last attempt.
    pub passed: bool,
    /// The attempt's badge (`3/5 so far`, `solved 5/5`), when there is one.
    pub label: Option<String>,
}

/// Every step's status from `progress`.
pub fn statuses(course: &Course, progress: &Progress) -> Vec<StepStatus> {
    course
        .steps
        .iter()
        .map(|s| {
            let attempt = progress.get(&course.challenge_id(&s.id));
            StepStatus {
                title: s.title.clone(),
                passed: attempt.is_some_and(|a| a.solved()),
                label: attempt.map(|a| a.label()),
            }
        })
        .collect()
}

/// The step a course opens at: the first one not passed yet (the last when all are).
pub fn first_open_step(course: &Course, progress: &Progress) -> usize {
    statuses(course, progress)
        .iter()
        .position(|s| !s.passed)
        .unwrap_or(course.steps.len().saturating_sub(1))
}

/// Step `index` as the attendee opens it: their saved attempt when there is one (and it
/// still reads), else the step as shipped; with the message for the notice bar.
pub fn open_step(
    course: &Course,
    index: usize,
    progress: &Progress,
) -> Result<(Scenario, String), String> {
    let step = course
        .steps
        .get(index)
        .ok_or_else(|| format!("the course has no step {}", index + 1))?;
    let place = format!("step {} of {}", index + 1, course.steps.len());
    if let Some(attempt) = progress.get(&course.challenge_id(&step.id)) {
        if let Ok(doc) = Scenario::from_json(&attempt.document) {
            return Ok((
                doc,
                format!(
                    "{place}: resumed your attempt ({}); “Reset this step” starts it over",
                    attempt.label()
                ),
            ));
        }
    }
    let doc = course
        .step_document(index)
        .ok_or_else(|| format!("the course has no step {}", index + 1))?;
    Ok((doc, format!("{place}: {}", step.title)))
}

/// Keeps `course` (or forgets it, `None`) in `store`.
pub fn save(store: &mut dyn KeyValue, course: Option<&Course>) -> Result<(), String> {
    match course {
        Some(c) => {
            let text = c.to_json_pretty();
            if store.get(COURSE_KEY).as_deref() == Some(text.as_str()) {
                return Ok(());
            }
            store.set(COURSE_KEY, &text)
        }
        None if store.get(COURSE_KEY).is_some() => store.remove(COURSE_KEY),
        None => Ok(()),
    }
}

/// The course kept in `store`, when the document `doc` (the autosave) is one of its steps.
pub fn load(store: &dyn KeyValue, doc: &Scenario) -> Option<Rc<Course>> {
    let course = Course::from_json(&store.get(COURSE_KEY)?).ok()?;
    current_step(&course, doc).map(|_| Rc::new(course))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use abacus_studio::evaluate::Workspace;

    fn shipped() -> Course {
        Course::from_json(include_str!("../../../courses/studio-abac.json")).unwrap()
    }

    fn checked(doc: &Scenario) -> (usize, usize) {
        let r = Workspace::new(doc).check_expectations();
        (r.iter().filter(|e| e.passed).count(), r.len())
    }

    #[test]
    fn a_course_opens_at_its_first_open_step_and_resumes_each_attempt() {
        let course = shipped();
        let progress = Progress::default();
        assert_eq!(first_open_step(&course, &progress), 0);
        let (doc, message) = open_step(&course, 0, &progress).unwrap();
        assert!(message.starts_with("step 1 of 5: "), "{message}");
        assert_eq!(current_step(&course, &doc), Some(0));
        // the attendee solves step 1 with the worked solution's text
        let solved = crate::challenge::with_solution(&doc).unwrap();
        let mut mine = doc.clone();
        mine.policies = solved.policies.clone();
        let (p, t) = checked(&mine);
        assert_eq!(p, t);
        let progress = progress.record(&mine, p, t).unwrap();
        let s = statuses(&course, &progress);
        assert!(s[0].passed && !s[1].passed);
        assert_eq!(s[0].label.as_deref(), Some("solved 5/5"));
        assert_eq!(first_open_step(&course, &progress), 1);
        let (again, message) = open_step(&course, 0, &progress).unwrap();
        assert_eq!(again, mine);
        assert!(message.contains("resumed your attempt"), "{message}");
        assert!(open_step(&course, 9, &progress).is_err());
        // progress is per course: the same step id in another course is another attempt
        let mut other = course.clone();
        other.id = "other".into();
        assert!(!statuses(&other, &progress)[0].passed);
    }

    #[test]
    fn the_open_course_survives_a_reload_with_its_step() {
        let course = shipped();
        let (doc, _) = open_step(&course, 2, &Progress::default()).unwrap();
        let mut store = MemoryStore::default();
        save(&mut store, Some(&course)).unwrap();
        assert_eq!(load(&store, &doc).as_deref(), Some(&course));
        // another document in the workspace: the course is not brought back
        assert_eq!(
            load(&store, &abacus_studio::scenario::default_scenario()),
            None
        );
        save(&mut store, None).unwrap();
        assert_eq!(load(&store, &doc), None);
    }

    #[test]
    fn files_and_links_hold_a_scenario_or_a_course() {
        let text = include_str!("../../../courses/studio-abac.json");
        assert!(matches!(read_document(text), Ok(Opened::Course(_))));
        let scenario = abacus_studio::scenario::default_scenario().to_json_pretty();
        assert!(matches!(read_document(&scenario), Ok(Opened::Scenario(_))));
        let broken = text.replacen("\"studio-abac\"", "\"Studio ABAC\"", 1);
        let e = read_document(&broken).unwrap_err();
        assert!(e.contains("course id `Studio ABAC` is not an id"), "{e}");
        // an oversize file is refused before it is parsed
        let huge = " ".repeat(MAX_DOCUMENT_BYTES as usize + 1);
        let e = read_document(&huge).unwrap_err();
        assert!(e.contains("more than the 33554432"), "{e}");
        assert!(too_large(MAX_DOCUMENT_BYTES).is_none());
    }

    #[test]
    fn the_app_state_follows_a_course_step_by_step() {
        use crate::state::{Action, AppState};
        let course = Rc::new(shipped());
        let s = AppState::new(abacus_studio::scenario::default_scenario(), None)
            .apply(Action::OpenCourse(course.clone(), None));
        assert_eq!(s.course.as_deref(), Some(&*course));
        assert_eq!(current_step(&course, &s.doc), Some(0));
        assert!(s.own_attempt);
        // the attendee edits step 1: the attempt is recorded as they go
        let edited = s.apply(Action::EditPolicy {
            index: 0,
            text: "{}".into(),
        });
        let checked = edited.apply(Action::AttemptChecked {
            doc: edited.doc.clone(),
            passed: 1,
            total: 5,
        });
        let id = course.challenge_id(&course.steps[0].id);
        assert_eq!(checked.progress.get(&id).map(|a| a.passed), Some(1));
        // on to step 2 and back: the attempt comes back
        let second = checked.apply(Action::GoToStep(1));
        assert_eq!(current_step(&course, &second.doc), Some(1));
        let back = second.apply(Action::GoToStep(0));
        assert_eq!(back.doc, checked.doc);
        // reset: the step as shipped, its attempt forgotten
        let reset = back.apply(Action::ResetStep);
        assert_eq!(reset.progress.get(&id), None);
        assert_eq!(*reset.doc, course.step_document(0).unwrap());
        assert!(reset.course.is_some());
        // the solution is still the course's step; another document leaves the course
        let solution = reset.apply(Action::ShowSolution);
        assert!(solution.course.is_some());
        let other = reset.apply(Action::Load(
            Box::new(abacus_studio::scenario::default_scenario()),
            None,
        ));
        assert_eq!(other.course, None);
        assert_eq!(reset.apply(Action::LeaveCourse).course, None);
        // a course link's notice comes first
        let linked = AppState::new(abacus_studio::scenario::default_scenario(), None).apply(
            Action::OpenCourse(
                course.clone(),
                Some(crate::state::Notice::info("opened the shared workspace")),
            ),
        );
        let text = linked.notice.map(|n| n.text).unwrap_or_default();
        assert!(
            text.starts_with("opened the shared workspace; step 1 of 5"),
            "{text}"
        );
    }
}
