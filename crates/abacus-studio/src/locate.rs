//! Where a JSON path (`policies[2].kind`) sits in a document's text, and which path a
//! place in the text belongs to, so scenario errors can point at a line and column.
//!
//! Both questions are answered from the span tree of `abacus_policy::json` (every value
//! and key with its byte span), the reader that also reads policies: the text is read once
//! into a [`SpanTree`], then each path or place is a walk down the tree. The reader
//! recovers from errors, so positions inside broken JSON point at what could be read.
//!
//! [`locate_all`] places any number of paths in one reading of the text (a document with
//! 100 K bad entries must not be read once per entry); [`locate`] places one.

use abacus_policy::json::{parse_json, JsonKind, JsonValue};
use abacus_policy::LineIndex;

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// A JSON text read once, with the span of every value and a line index for positions.
///
/// Containers nested deeper than `abacus_policy::json::MAX_DEPTH` are not read, so paths
/// into them end at the deepest container that was.
#[derive(Clone, Debug)]
pub struct SpanTree<'a> {
    text: &'a str,
    root: Option<JsonValue>,
    index: LineIndex,
}

impl<'a> SpanTree<'a> {
    /// Reads `text` (well-formed or not: unreadable parts are left out).
    pub fn new(text: &'a str) -> Self {
        let (root, _errors) = parse_json(text);
        SpanTree {
            text,
            root,
            index: LineIndex::new(text),
        }
    }

    /// The value at `path`, or `None` when the path does not exist. Of duplicate keys, the
    /// first counts.
    fn value(&self, path: &[PathSeg]) -> Option<&JsonValue> {
        let mut value = self.root.as_ref()?;
        for seg in path {
            value = child(value, seg)?;
        }
        Some(value)
    }

    /// The byte range of the value at `path` in the text, or `None` when the path does not
    /// exist (a course reads each step's scenario from its own range, so the scenario's
    /// errors can be placed in the course's text).
    pub fn span(&self, path: &[PathSeg]) -> Option<std::ops::Range<usize>> {
        self.value(path).map(|v| v.span.start..v.span.end)
    }

    /// 1-based (line, column in characters) of byte `offset`.
    pub fn position_of(&self, offset: usize) -> (usize, usize) {
        self.line_col(offset)
    }

    /// 1-based (line, column in characters) of the value at `path`, or `None` when the path
    /// does not exist.
    pub fn position(&self, path: &[PathSeg]) -> Option<(usize, usize)> {
        self.value(path).map(|v| self.line_col(v.span.start))
    }

    /// 1-based (line, column in characters) of the value at `path`, or of its deepest
    /// ancestor that exists (the document itself at worst); `None` only when the text holds
    /// no value at all.
    pub fn deepest_position(&self, path: &[PathSeg]) -> Option<(usize, usize)> {
        let mut value = self.root.as_ref()?;
        for seg in path {
            match child(value, seg) {
                Some(c) => value = c,
                None => break,
            }
        }
        Some(self.line_col(value.span.start))
    }

    /// The JSON path of the value being read once the first `end` bytes of the text are
    /// consumed: the containers opened and not yet closed, each with its current member key
    /// (from the moment the key's opening quote is read) or element index (counting the
    /// commas read). A value that has just been finished still counts as being read, so a
    /// place right after a value (a wrong variant) or right after an object's `}` (a
    /// missing field) names that value or object. This is how a shape error of `serde_json`,
    /// which gives only a place, gets its path.
    ///
    /// Meant for well-formed text. In broken text a container left unclosed spans to the
    /// end of the text, so it counts as open until then, not at the very end.
    pub fn path_at(&self, end: usize) -> Vec<PathSeg> {
        let mut path = Vec::new();
        let mut value = self.root.as_ref();
        while let Some(v) = value {
            // a container is open once its bracket is read and until its closing one is
            let open = v.span.start < end && end < v.span.end;
            if !open {
                break;
            }
            value = match &v.kind {
                JsonKind::Object(members) => {
                    let started = members.partition_point(|m| m.key_span.start < end);
                    started
                        .checked_sub(1)
                        .and_then(|i| members.get(i))
                        .map(|m| {
                            path.push(PathSeg::Key(m.key.to_string()));
                            &m.value
                        })
                }
                JsonKind::Array(items) => {
                    let index = self.elements_passed(v, items, end);
                    path.push(PathSeg::Index(index));
                    items.get(index)
                }
                _ => None,
            };
        }
        path
    }

    /// How many commas of the open `array` (with `items`) lie before `end`: the index of
    /// the element being read.
    fn elements_passed(&self, array: &JsonValue, items: &[JsonValue], end: usize) -> usize {
        let started = items.partition_point(|item| item.span.start < end);
        let Some(last) = started.checked_sub(1) else {
            return 0;
        };
        // The tree keeps no span for commas: the comma after the last element started lies
        // in the gap between that element and the next one (or the closing `]`), which
        // holds nothing else but whitespace.
        let gap_end = items
            .get(started)
            .map_or(array.span.end, |next| next.span.start);
        let gap_start = items.get(last).map_or(gap_end, |item| item.span.end);
        let comma_read = self
            .text
            .get(gap_start..gap_end.max(gap_start))
            .and_then(|gap| gap.find(','))
            .is_some_and(|at| gap_start + at < end);
        if comma_read {
            started
        } else {
            last
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let at = self.index.position(offset);
        (at.line, at.column)
    }
}

/// The member or element `seg` of `value`.
fn child<'v>(value: &'v JsonValue, seg: &PathSeg) -> Option<&'v JsonValue> {
    match (&value.kind, seg) {
        (JsonKind::Object(members), PathSeg::Key(key)) => {
            members.iter().find(|m| m.key == *key).map(|m| &m.value)
        }
        (JsonKind::Array(items), PathSeg::Index(i)) => items.get(*i),
        _ => None,
    }
}

/// 1-based (line, column in characters) of the value at `path` in `text`, or `None` when
/// the path does not exist.
pub fn locate(text: &str, path: &[PathSeg]) -> Option<(usize, usize)> {
    SpanTree::new(text).position(path)
}

/// For each of `paths`, the 1-based (line, column in characters) of its value, or of its
/// deepest ancestor that exists in `text` (the document itself at worst); `None` only when
/// the text holds no value at all.
///
/// The text is read once whatever the number of paths; each path is then a walk down the
/// tree (an element by its index, a member by a scan of its object's keys).
pub fn locate_all(text: &str, paths: &[&[PathSeg]]) -> Vec<Option<(usize, usize)>> {
    let tree = SpanTree::new(text);
    paths.iter().map(|p| tree.deepest_position(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> PathSeg {
        PathSeg::Key(s.into())
    }

    #[test]
    fn finds_nested_values() {
        let t = "{\n  \"a\": [1, {\"b\": \"x\\\"y\"}],\n  \"c\": {\"d\": true}\n}";
        assert_eq!(locate(t, &[k("c"), k("d")]), Some((3, 14)));
        assert_eq!(
            locate(t, &[k("a"), PathSeg::Index(1), k("b")]),
            Some((2, 18))
        );
        assert_eq!(locate(t, &[k("zz")]), None);
        assert_eq!(locate(t, &[k("a"), PathSeg::Index(5)]), None);
    }

    #[test]
    fn locate_all_agrees_with_locate_and_falls_back_to_ancestors() {
        let t = "{\n  \"a\": [1, {\"b\": \"x\\\"y\", \"\\u0063\": []}],\n  \"c\": {\"d\": true, \"é\": {}},\n  \"e\": []\n}";
        let paths: Vec<Vec<PathSeg>> = vec![
            vec![],
            vec![k("c"), k("d")],
            vec![k("a"), PathSeg::Index(1), k("b")],
            vec![k("a"), PathSeg::Index(1), k("c")],
            vec![k("a"), PathSeg::Index(0)],
            vec![k("c"), k("é")],
            vec![k("e")],
        ];
        let refs: Vec<&[PathSeg]> = paths.iter().map(Vec::as_slice).collect();
        let all = locate_all(t, &refs);
        for (p, got) in paths.iter().zip(&all) {
            assert!(got.is_some(), "{p:?}");
            assert_eq!(*got, locate(t, p), "{p:?}");
        }
        // columns count characters: `é` is one
        assert_eq!(locate(t, &[k("c"), k("é")]), Some((3, 25)));
        // missing: the deepest ancestor that exists
        let missing = [k("a"), PathSeg::Index(5), k("z")];
        let parent = [k("a")];
        assert_eq!(locate_all(t, &[&missing]), vec![locate(t, &parent)]);
        let missing = [k("e"), PathSeg::Index(0)];
        assert_eq!(locate_all(t, &[&missing]), vec![locate(t, &[k("e")])]);
        assert_eq!(locate_all("  ", &[&[k("a")]]), vec![None]);
    }

    #[test]
    fn the_first_of_duplicate_keys_counts() {
        let t = "{\"a\": 1,\n \"a\": 2}";
        assert_eq!(locate(t, &[k("a")]), Some((1, 7)));
    }

    #[test]
    fn positions_inside_broken_json_point_at_what_could_be_read() {
        // a missing value, then an unclosed object: the members read are still placed
        let t = "{\"a\": ,\n \"b\": {\"c\": [1, 2\n";
        assert_eq!(locate(t, &[k("b")]), Some((2, 7)));
        assert_eq!(
            locate(t, &[k("b"), k("c"), PathSeg::Index(1)]),
            Some((2, 17))
        );
        assert_eq!(locate(t, &[k("b"), k("c"), PathSeg::Index(2)]), None);
        // a trailing comma and a stray word do not hide what follows them
        let t = "{\"a\": [1, 2,], \"b\": tru, \"c\": \"x\"}";
        assert_eq!(locate(t, &[k("a"), PathSeg::Index(1)]), Some((1, 11)));
        assert_eq!(locate(t, &[k("c")]), Some((1, 31)));
        // an unterminated string ends the document
        let t = "{\"a\": 1, \"b\": \"oops}";
        assert_eq!(locate(t, &[k("a")]), Some((1, 7)));
        assert_eq!(
            locate_all(t, &[&[k("b"), k("x")]]),
            vec![locate(t, &[k("b")]).or(Some((1, 1)))]
        );
        // text after the document is not part of it
        let t = "{\"a\": 1} {\"b\": 2}";
        assert_eq!(locate(t, &[k("b")]), None);
    }

    #[test]
    fn paths_at_places_name_the_value_being_read() {
        let t = r#"{"a": [1, {"b": "x"}, [2]], "c": {"d": true}, "e\"f": 3}"#;
        let at = |needle: &str| {
            let tree = SpanTree::new(t);
            let end = t.find(needle).unwrap() + needle.len();
            tree.path_at(end)
        };
        assert_eq!(at("{"), vec![]);
        assert_eq!(at(r#"{""#), vec![k("a")]);
        assert_eq!(at("[1"), vec![k("a"), PathSeg::Index(0)]);
        assert_eq!(at("1,"), vec![k("a"), PathSeg::Index(1)]);
        assert_eq!(at(r#"{"b""#), vec![k("a"), PathSeg::Index(1), k("b")]);
        // a value just finished is still the one being read
        assert_eq!(at(r#""x""#), vec![k("a"), PathSeg::Index(1), k("b")]);
        // after an object's `}`: the object
        assert_eq!(at(r#""x"}"#), vec![k("a"), PathSeg::Index(1)]);
        assert_eq!(at("[2"), vec![k("a"), PathSeg::Index(2), PathSeg::Index(0)]);
        assert_eq!(at("true"), vec![k("c"), k("d")]);
        assert_eq!(at(r#""e\"f": 3"#), vec![k("e\"f")]);
        // the whole document read: no path
        assert_eq!(SpanTree::new(t).path_at(t.len()), vec![]);
        assert_eq!(SpanTree::new(t).path_at(0), vec![]);
    }

    #[test]
    fn a_comma_counts_once_read() {
        let t = "[1 ,  2]";
        let tree = SpanTree::new(t);
        assert_eq!(tree.path_at(2), vec![PathSeg::Index(0)]);
        assert_eq!(tree.path_at(3), vec![PathSeg::Index(0)]);
        assert_eq!(tree.path_at(4), vec![PathSeg::Index(1)]);
        assert_eq!(tree.path_at(6), vec![PathSeg::Index(1)]);
        assert_eq!(SpanTree::new("[]").path_at(1), vec![PathSeg::Index(0)]);
    }

    #[test]
    fn paths_at_places_in_broken_json() {
        // unclosed containers stay open until the end of the text
        let t = "{\"a\": [1, {\"b\": 2";
        assert_eq!(
            SpanTree::new(t).path_at(t.len() - 1),
            vec![k("a"), PathSeg::Index(1), k("b")]
        );
        let t = "{\"a\": [1,, 2], \"b\": x";
        assert_eq!(SpanTree::new(t).path_at(t.len() - 1), vec![k("b")]);
    }

    #[test]
    fn never_panics_on_garbage() {
        for t in [
            "",
            "{",
            "[",
            "{\"a\"",
            "{\"a\":",
            "[1,",
            "\"",
            "{\"a\":[}",
            "]",
            "}}",
            "{\"é",
            "[\u{a0}]",
        ] {
            let path = [k("a"), PathSeg::Index(0)];
            let _ = locate(t, &path);
            let _ = locate_all(t, &[&path]);
            let tree = SpanTree::new(t);
            for end in 0..=t.len() + 1 {
                let _ = tree.path_at(end);
            }
        }
    }
}
