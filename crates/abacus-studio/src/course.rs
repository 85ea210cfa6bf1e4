//! Course packs: an ordered set of exercises for a workshop, in one JSON document.
//!
//! A course (`{"course": 1, "id", "title", "description", "steps": [...]}`) lists steps; each
//! step has a title, instructions (plain text or the small Markdown subset the app renders),
//! hints, a worked solution (one policy's new text) and a whole scenario document whose
//! expectations say when the step is passed. A step opens as a challenge
//! ([`Course::step_document`]): the attendee's attempts are kept per course and step (the
//! challenge id is `course-id/step-id`).
//!
//! Reading ([`Course::from_json`]) places every problem in the course's own text: each
//! step's scenario is read by [`Scenario::from_json`] from its own byte range, and its
//! issues are moved to the course's lines and columns with `steps[i].scenario.` before
//! their paths. [`Course::check`] is what `abacus test` and the shipped course's test run:
//! every step must fail as shipped and pass with its solution.

use crate::evaluate::Workspace;
use crate::locate::{PathSeg, SpanTree};
use crate::scenario::{
    lower_first, not_shown, render_path, shape_issue, strip_position, Challenge, ChallengeSolution,
    Scenario, ScenarioError, ScenarioIssue, MAX_SCENARIO_ISSUES,
};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The course format's version (the value of `"course"`).
pub const COURSE_VERSION: u64 = 1;
/// Most steps a course may have (a workshop is a few hours, not a semester).
pub const MAX_STEPS: usize = 50;

/// A course: ordered steps, each a challenge.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Course {
    /// The format version, [`COURSE_VERSION`].
    pub course: u64,
    /// Stable id (lowercase letters, digits and `-`): progress is kept under it.
    pub id: String,
    /// The course's title.
    pub title: String,
    /// What it teaches (plain text or the Markdown subset).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// One step of a course.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Stable id within the course (lowercase letters, digits and `-`).
    pub id: String,
    /// The task, in a few words.
    pub title: String,
    /// What to do (plain text or the Markdown subset).
    pub instructions: String,
    /// Hints, shown one at a time when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// The worked solution.
    pub solution: ChallengeSolution,
    /// The world, policies and expectations of the step.
    pub scenario: Scenario,
}

impl Step {
    /// The step's scenario with its worked solution in place.
    pub fn solved(&self) -> Scenario {
        let mut solved = self.scenario.clone();
        if let Some(p) = solved
            .policies
            .iter_mut()
            .find(|p| p.id == self.solution.policy)
        {
            p.text = self.solution.text.as_str().into();
        }
        solved
    }
}

/// The course envelope as read before its scenarios (each read from its own text range).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawCourse {
    course: u64,
    id: String,
    title: String,
    #[serde(default)]
    description: String,
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawStep {
    id: String,
    title: String,
    instructions: String,
    #[serde(default)]
    hints: Vec<String>,
    solution: ChallengeSolution,
    #[allow(dead_code)] // read from its own range by `Scenario::from_json`
    scenario: IgnoredAny,
}

/// Only the `course` member, to tell a course from a scenario.
#[derive(Deserialize)]
struct Probe {
    course: Option<IgnoredAny>,
}

/// `text` is a course document (a JSON object with a `course` member), not a scenario.
pub fn is_course(text: &str) -> bool {
    serde_json::from_str::<Probe>(text).is_ok_and(|p| p.course.is_some())
}

/// How one step fares as shipped and with its solution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepCheck {
    /// The step's id.
    pub id: String,
    /// The step's title.
    pub title: String,
    /// Expectations passing as shipped.
    pub shipped_passed: usize,
    /// Expectations passing with the worked solution.
    pub solved_passed: usize,
    /// Expectations in all.
    pub total: usize,
}

impl StepCheck {
    /// The step is an exercise: something fails as shipped, and the solution passes all.
    pub fn ok(&self) -> bool {
        self.total > 0 && self.shipped_passed < self.total && self.solved_passed == self.total
    }
}

fn issue(path: Vec<PathSeg>, message: String, help: &str) -> (Vec<PathSeg>, String, String) {
    (path, message, help.to_owned())
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Course {
    /// Reads and checks a course document; every problem comes with its place in `text`.
    pub fn from_json(text: &str) -> Result<Course, ScenarioError> {
        let raw: RawCourse = serde_json::from_str(text).map_err(|e| {
            let message = lower_first(&strip_position(&e.to_string()));
            let issue = if e.is_syntax() || e.is_eof() {
                ScenarioIssue {
                    path: String::new(),
                    line: Some(e.line()),
                    column: Some(e.column()),
                    message,
                    help: "fix the JSON syntax at this place".to_owned(),
                }
            } else {
                // a shape error: the path of the place serde stopped at, placed
                shape_issue(
                    text,
                    &e,
                    "compare with the course format in the README",
                    true,
                )
            };
            ScenarioError {
                issues: vec![issue],
            }
        })?;
        let tree = SpanTree::new(text);
        let mut problems = Vec::new();
        let key = |k: &str| PathSeg::Key(k.to_owned());
        if raw.course != COURSE_VERSION {
            problems.push(issue(
                vec![key("course")],
                format!(
                    "course format `{}` is not known; this build reads {COURSE_VERSION}",
                    raw.course
                ),
                "write `\"course\": 1`",
            ));
        }
        if !is_id(&raw.id) {
            problems.push(issue(
                vec![key("id")],
                format!("course id `{}` is not an id", raw.id),
                "use 1 to 64 lowercase letters, digits and `-`, e.g. `studio-abac`",
            ));
        }
        if raw.title.trim().is_empty() {
            problems.push(issue(
                vec![key("title")],
                "the course has no title".to_owned(),
                "give the course a title",
            ));
        }
        if raw.steps.is_empty() || raw.steps.len() > MAX_STEPS {
            problems.push(issue(
                vec![key("steps")],
                format!("the course has {} steps", raw.steps.len()),
                "a course has 1 to 50 steps",
            ));
        }
        let mut ids = HashSet::new();
        let mut steps = Vec::new();
        let mut issues: Vec<ScenarioIssue> = Vec::new();
        for (i, step) in raw.steps.into_iter().enumerate() {
            let at = |k: &str| vec![key("steps"), PathSeg::Index(i), key(k)];
            if !is_id(&step.id) {
                problems.push(issue(
                    at("id"),
                    format!("step id `{}` is not an id", step.id),
                    "use 1 to 64 lowercase letters, digits and `-`",
                ));
            } else if !ids.insert(step.id.clone()) {
                problems.push(issue(
                    at("id"),
                    format!("duplicate step id `{}`", step.id),
                    "give every step a unique id: progress is kept under it",
                ));
            }
            if step.title.trim().is_empty() {
                problems.push(issue(
                    at("title"),
                    "the step has no title".to_owned(),
                    "give the step a title",
                ));
            }
            if step.instructions.trim().is_empty() {
                problems.push(issue(
                    at("instructions"),
                    "the step has no instructions".to_owned(),
                    "say what the attendee should do",
                ));
            }
            let scenario_path = at("scenario");
            let Some(range) = tree.span(&scenario_path) else {
                continue;
            };
            let scenario_text = text.get(range.clone()).unwrap_or_default();
            let scenario = match Scenario::from_json(scenario_text) {
                Ok(s) => s,
                Err(e) => {
                    let (line0, col0) = tree.position_of(range.start);
                    let prefix = render_path(&scenario_path);
                    issues.extend(e.issues.into_iter().map(|mut is| {
                        if let Some(l) = is.line {
                            if l == 1 {
                                is.column = is.column.map(|c| c + col0 - 1);
                            }
                            is.line = Some(l + line0 - 1);
                        }
                        is.path = if is.path.is_empty() {
                            prefix.clone()
                        } else {
                            format!("{prefix}.{}", is.path)
                        };
                        is
                    }));
                    continue;
                }
            };
            let mut scenario_at = scenario_path.clone();
            if scenario.challenge.is_some() {
                scenario_at.push(key("challenge"));
                problems.push(issue(
                    scenario_at.clone(),
                    "a step's scenario has a challenge of its own".to_owned(),
                    "remove it: the step's title, hints and solution make the scenario a challenge",
                ));
            }
            if scenario.expectations.is_empty() {
                let mut p = scenario_path.clone();
                p.push(key("expectations"));
                problems.push(issue(
                    p,
                    "the step's scenario has no expectations".to_owned(),
                    "add the expectations that pass once the step is solved",
                ));
            }
            if scenario.policy(&step.solution.policy).is_none() {
                let mut p = at("solution");
                p.push(key("policy"));
                problems.push(issue(
                    p,
                    format!(
                        "the solution replaces policy `{}`, which the step's scenario does not have",
                        step.solution.policy
                    ),
                    "name the id of one of the scenario's policies",
                ));
            }
            steps.push(Step {
                id: step.id,
                title: step.title,
                instructions: step.instructions,
                hints: step.hints,
                solution: step.solution,
                scenario,
            });
        }
        for (path, message, help) in problems {
            let place = tree.deepest_position(&path);
            issues.push(ScenarioIssue {
                path: render_path(&path),
                line: place.map(|(l, _)| l),
                column: place.map(|(_, c)| c),
                message,
                help,
            });
        }
        if !issues.is_empty() {
            issues.sort_by_key(|i| (i.line.unwrap_or(usize::MAX), i.column));
            // as many as a scenario reports at most (every step may bring as many)
            let total = issues.len();
            issues.truncate(MAX_SCENARIO_ISSUES);
            issues.extend(not_shown(total));
            return Err(ScenarioError { issues });
        }
        Ok(Course {
            course: raw.course,
            id: raw.id,
            title: raw.title,
            description: raw.description,
            steps,
        })
    }

    /// Pretty JSON, the form written to files and share links.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The challenge id of step `step_id`: `course-id/step-id`.
    pub fn challenge_id(&self, step_id: &str) -> String {
        format!("{}/{step_id}", self.id)
    }

    /// The step whose challenge id is `challenge_id`, by index.
    pub fn step_of(&self, challenge_id: &str) -> Option<usize> {
        let step = challenge_id
            .strip_prefix(self.id.as_str())?
            .strip_prefix('/')?;
        self.steps.iter().position(|s| s.id == step)
    }

    /// Step `index` as the attendee opens it: its scenario as a challenge (instructions as
    /// the description, hints, solution), open on the policy the solution replaces.
    pub fn step_document(&self, index: usize) -> Option<Scenario> {
        let step = self.steps.get(index)?;
        let mut doc = step.scenario.clone();
        doc.name = format!("{} · {}. {}", self.title, index + 1, step.title);
        doc.description = step.instructions.clone();
        doc.source = format!("course {}", self.id);
        let mut hints = step.hints.iter();
        doc.challenge = Some(Challenge {
            id: self.challenge_id(&step.id),
            title: step.title.clone(),
            hint: hints.next().cloned().unwrap_or_default(),
            more_hints: hints.cloned().collect(),
            solution: Some(step.solution.clone()),
            solution_shown: false,
        });
        doc.view.policy = Some(step.solution.policy.clone());
        doc.made_with = None;
        Some(doc)
    }

    /// Every step checked as shipped and with its solution.
    pub fn check(&self) -> Vec<StepCheck> {
        self.steps
            .iter()
            .map(|step| {
                let passed = |doc: &Scenario| {
                    Workspace::new(doc)
                        .check_expectations()
                        .iter()
                        .filter(|r| r.passed)
                        .count()
                };
                let solved = step.solved();
                StepCheck {
                    id: step.id.clone(),
                    title: step.title.clone(),
                    shipped_passed: passed(&step.scenario),
                    solved_passed: passed(&solved),
                    total: step.scenario.expectations.len(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;
    use serde_json::{json, Value};

    /// A one-step course around the default scenario, whose solution is its own policy.
    fn course_value() -> Value {
        let scenario: Value = serde_json::from_str(&default_scenario().to_json_pretty()).unwrap();
        let policy = scenario["policies"][0]["id"].as_str().unwrap().to_owned();
        let text = scenario["policies"][0]["text"].as_str().unwrap().to_owned();
        json!({
            "course": 1,
            "id": "demo",
            "title": "Demo",
            "steps": [{
                "id": "one",
                "title": "First",
                "instructions": "Do **this**.",
                "hints": ["look", "look again"],
                "solution": {"policy": policy, "text": text},
                "scenario": scenario
            }]
        })
    }

    #[test]
    fn a_course_reads_and_round_trips() {
        let text = serde_json::to_string_pretty(&course_value()).unwrap();
        assert!(is_course(&text));
        assert!(!is_course(&default_scenario().to_json_pretty()));
        let course = Course::from_json(&text).unwrap();
        assert_eq!(course.steps.len(), 1);
        let again = Course::from_json(&course.to_json_pretty()).unwrap();
        assert_eq!(again, course);
        let doc = course.step_document(0).unwrap();
        let c = doc.challenge.as_ref().unwrap();
        assert_eq!(c.id, "demo/one");
        assert_eq!(c.hint, "look");
        assert_eq!(c.more_hints, ["look again"]);
        assert_eq!(doc.description, "Do **this**.");
        assert_eq!(course.step_of("demo/one"), Some(0));
        assert_eq!(course.step_of("other/one"), None);
        assert!(course.step_document(1).is_none());
    }

    #[test]
    fn problems_in_a_steps_scenario_are_placed_in_the_course_text() {
        let mut v = course_value();
        v["steps"][0]["scenario"]["world"]["account"] = json!("12");
        let text = serde_json::to_string_pretty(&v).unwrap();
        let e = Course::from_json(&text).unwrap_err();
        let issue = &e.issues[0];
        assert_eq!(issue.path, "steps[0].scenario.world.account");
        let line = text
            .lines()
            .position(|l| l.contains("\"account\": \"12\""))
            .unwrap()
            + 1;
        assert_eq!(issue.line, Some(line), "{e}");
        let column = text.lines().nth(line - 1).unwrap().find("\"12\"").unwrap() + 1;
        assert_eq!(issue.column, Some(column), "{e}");
    }

    #[test]
    fn envelope_problems_are_placed_and_all_reported() {
        let mut v = course_value();
        v["course"] = json!(2);
        v["steps"][0]["id"] = json!("Step One");
        v["steps"][0]["solution"]["policy"] = json!("nope");
        v["steps"][0]["scenario"]["expectations"] = json!([]);
        let text = serde_json::to_string_pretty(&v).unwrap();
        let e = Course::from_json(&text).unwrap_err();
        let paths: Vec<&str> = e.issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "course",
                "steps[0].id",
                "steps[0].scenario.expectations",
                "steps[0].solution.policy"
            ],
            "in document order (the keys are sorted here): {e}"
        );
        assert!(e.issues.iter().all(|i| i.line.is_some()));
    }

    #[test]
    fn a_course_reports_at_most_as_many_problems_as_a_scenario() {
        let mut v = course_value();
        let step = v["steps"][0].clone();
        let steps: Vec<Value> = (0..50)
            .map(|i| {
                let mut s = step.clone();
                s["id"] = json!(format!("s{i}"));
                s["scenario"]["world"]["account"] = json!("1");
                s["scenario"]["world"]["clock"] = json!("noon");
                s["instructions"] = json!("");
                s
            })
            .collect();
        v["steps"] = json!(steps);
        let e = Course::from_json(&v.to_string()).unwrap_err();
        assert_eq!(e.issues.len(), MAX_SCENARIO_ISSUES + 1);
        assert_eq!(
            e.issues[MAX_SCENARIO_ISSUES].message,
            "50 more problems not shown"
        );
    }

    #[test]
    fn shape_and_syntax_errors_are_placed() {
        let mut v = course_value();
        v["steps"][0]["hint"] = json!("typo");
        let text = serde_json::to_string_pretty(&v).unwrap();
        let e = Course::from_json(&text).unwrap_err();
        assert!(e.issues[0].message.contains("unknown field `hint`"), "{e}");
        assert_eq!(e.issues[0].path, "steps[0].hint");
        let e = Course::from_json("{\"course\": 1,\n  \"id\": }").unwrap_err();
        assert_eq!(e.issues[0].line, Some(2), "{e}");
    }

    #[test]
    fn a_step_that_passes_as_shipped_is_no_exercise() {
        let course = Course::from_json(&course_value().to_string()).unwrap();
        let checks = course.check();
        // the default scenario passes its expectations as shipped
        assert_eq!(checks[0].shipped_passed, checks[0].total);
        assert!(!checks[0].ok());
    }
}
