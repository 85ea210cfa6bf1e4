//! The shipped course packs (`courses/*.json` at the repository root, format of
//! `abacus_studio::course`), embedded for the gallery bundle: the web app gets them with the
//! gallery, when its Gallery screen first opens.

/// Each shipped course's JSON text, in the order the gallery lists them.
pub const COURSES: &[&str] = &[include_str!("../../../courses/studio-abac.json")];

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::course::Course;

    #[test]
    fn every_shipped_course_reads_and_every_step_fails_as_shipped_and_passes_solved() {
        for text in COURSES {
            let course = Course::from_json(text).unwrap();
            for check in course.check() {
                assert!(check.ok(), "{}: {check:?}", course.id);
            }
        }
    }
}
