//! Finds where a JSON path (`policies[2].kind`) sits in a document's text, so scenario
//! errors can point at a line and column. A small scanner, independent of serde: it only
//! needs to skip values and find keys and array elements.
//!
//! [`locate_all`] places any number of paths in one pass over the text (a document with
//! 100 K bad entries must not be rescanned once per entry); [`locate`] places one.

use abacus_policy::LineIndex;
use std::collections::HashMap;

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// 1-based (line, column in characters) of the value at `path` in `text`, or `None` when
/// the path does not exist or the text is not well-formed there.
pub fn locate(text: &str, path: &[PathSeg]) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    for seg in path {
        pos = match seg {
            PathSeg::Key(k) => find_member(text, pos, k)?,
            PathSeg::Index(i) => find_element(bytes, pos, *i)?,
        };
    }
    Some(line_col(text, pos))
}

/// For each of `paths`, the 1-based (line, column in characters) of its value, or of its
/// deepest ancestor that exists in `text` (the document itself at worst); `None` only when
/// the text holds no value at all.
///
/// One pass over the text whatever the number of paths: the scanner walks every value
/// once, keeping its current path, and notes where the values on the wanted paths start;
/// positions then come from a [`LineIndex`]. Work is O(text + paths × depth).
pub fn locate_all(text: &str, paths: &[&[PathSeg]]) -> Vec<Option<(usize, usize)>> {
    // every prefix of every wanted path, with where its value starts once seen
    let mut wanted: HashMap<&[PathSeg], Option<usize>> = HashMap::new();
    let mut deepest = 0;
    for p in paths {
        deepest = deepest.max(p.len());
        for n in 0..=p.len() {
            if let Some(prefix) = p.get(..n) {
                wanted.insert(prefix, None);
            }
        }
    }
    scan(text, |path, offset| {
        if path.len() <= deepest {
            if let Some(slot @ None) = wanted.get_mut(path) {
                *slot = Some(offset);
            }
        }
    });
    let index = LineIndex::new(text);
    paths
        .iter()
        .map(|p| {
            let offset = (0..=p.len()).rev().find_map(|n| {
                p.get(..n)
                    .and_then(|prefix| wanted.get(prefix).copied().flatten())
            })?;
            let at = index.position(offset);
            Some((at.line, at.column))
        })
        .collect()
}

/// Walks the JSON `text` once, calling `seen(path, offset)` at the start of every value.
/// Stops quietly where the text is not well-formed.
fn scan(text: &str, mut seen: impl FnMut(&[PathSeg], usize)) {
    let b = text.as_bytes();
    let mut path: Vec<PathSeg> = Vec::new();
    // one entry per open container: is it an object
    let mut open: Vec<bool> = Vec::new();
    let mut i = skip_ws(b, 0);
    let mut expect_value = true;
    while let Some(&c) = b.get(i) {
        if expect_value {
            seen(&path, i);
            expect_value = false;
            match c {
                b'{' | b'[' => {
                    let object = c == b'{';
                    i = skip_ws(b, i + 1);
                    let close = if object { b'}' } else { b']' };
                    if b.get(i) == Some(&close) {
                        i += 1; // empty: the container is a finished value
                    } else if object {
                        let Some((key, next)) = member_key(text, i) else {
                            return;
                        };
                        open.push(true);
                        path.push(PathSeg::Key(key));
                        i = next;
                        expect_value = true;
                    } else {
                        open.push(false);
                        path.push(PathSeg::Index(0));
                        expect_value = true;
                    }
                }
                _ => match skip_value(b, i) {
                    Some(end) => i = end,
                    None => return,
                },
            }
        } else {
            // after a value: `,` or the end of the container
            match (c, open.last()) {
                (b',', Some(true)) => {
                    let Some((key, next)) = member_key(text, skip_ws(b, i + 1)) else {
                        return;
                    };
                    path.pop();
                    path.push(PathSeg::Key(key));
                    i = next;
                    expect_value = true;
                }
                (b',', Some(false)) => {
                    if let Some(PathSeg::Index(n)) = path.last_mut() {
                        *n += 1;
                    }
                    i += 1;
                    expect_value = true;
                }
                (b'}', Some(true)) | (b']', Some(false)) => {
                    open.pop();
                    path.pop();
                    i += 1;
                }
                _ => return,
            }
        }
        i = skip_ws(b, i);
    }
}

/// The member key at `pos` (which holds `"`) and where its value starts, past the `:`.
fn member_key(text: &str, pos: usize) -> Option<(String, usize)> {
    let b = text.as_bytes();
    if b.get(pos)? != &b'"' {
        return None;
    }
    let end = skip_string(b, pos)?;
    let raw = text.get(pos..end)?;
    let key = match raw.get(1..raw.len() - 1) {
        Some(plain) if !plain.contains('\\') => plain.to_owned(),
        _ => serde_json::from_str(raw).ok()?,
    };
    let colon = skip_ws(b, end);
    if b.get(colon)? != &b':' {
        return None;
    }
    Some((key, skip_ws(b, colon + 1)))
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text
        .get(line_start..offset)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while let Some(c) = b.get(pos) {
        if c.is_ascii_whitespace() {
            pos += 1;
        } else {
            break;
        }
    }
    pos
}

/// End of the string starting at `pos` (which holds `"`), just past the closing quote.
fn skip_string(b: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        match b.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// End of the value starting at `pos`.
fn skip_value(b: &[u8], pos: usize) -> Option<usize> {
    match b.get(pos)? {
        b'"' => skip_string(b, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            loop {
                match b.get(i)? {
                    b'"' => {
                        i = skip_string(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = pos;
            while let Some(c) = b.get(i) {
                if matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            Some(i)
        }
    }
}

fn find_member(text: &str, pos: usize, key: &str) -> Option<usize> {
    let b = text.as_bytes();
    if b.get(pos)? != &b'{' {
        return None;
    }
    let mut i = skip_ws(b, pos + 1);
    loop {
        if b.get(i)? != &b'"' {
            return None;
        }
        let end = skip_string(b, i)?;
        let raw = text.get(i..end)?;
        let name: String = serde_json::from_str(raw).ok()?;
        i = skip_ws(b, end);
        if b.get(i)? != &b':' {
            return None;
        }
        let value_start = skip_ws(b, i + 1);
        if name == key {
            return Some(value_start);
        }
        i = skip_ws(b, skip_value(b, value_start)?);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            _ => return None,
        }
    }
}

fn find_element(b: &[u8], pos: usize, index: usize) -> Option<usize> {
    if b.get(pos)? != &b'[' {
        return None;
    }
    let mut i = skip_ws(b, pos + 1);
    let mut n = 0;
    loop {
        if b.get(i)? == &b']' {
            return None;
        }
        if n == index {
            return Some(i);
        }
        i = skip_ws(b, skip_value(b, i)?);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            _ => return None,
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let t = "{\n  \"a\": [1, {\"b\": \"x\\\"y\"}],\n  \"c\": {\"d\": true}\n}";
        assert_eq!(
            locate(t, &[PathSeg::Key("c".into()), PathSeg::Key("d".into())]),
            Some((3, 14))
        );
        assert_eq!(
            locate(
                t,
                &[
                    PathSeg::Key("a".into()),
                    PathSeg::Index(1),
                    PathSeg::Key("b".into())
                ]
            ),
            Some((2, 18))
        );
        assert_eq!(locate(t, &[PathSeg::Key("zz".into())]), None);
        assert_eq!(
            locate(t, &[PathSeg::Key("a".into()), PathSeg::Index(5)]),
            None
        );
    }

    #[test]
    fn locate_all_agrees_with_locate_and_falls_back_to_ancestors() {
        let t = "{\n  \"a\": [1, {\"b\": \"x\\\"y\", \"\\u0063\": []}],\n  \"c\": {\"d\": true, \"é\": {}},\n  \"e\": []\n}";
        let k = |s: &str| PathSeg::Key(s.into());
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
            assert_eq!(*got, locate(t, p), "{p:?}");
        }
        // missing: the deepest ancestor that exists
        let missing = [k("a"), PathSeg::Index(5), k("z")];
        let parent = [k("a")];
        assert_eq!(locate_all(t, &[&missing]), vec![locate(t, &parent)]);
        let missing = [k("e"), PathSeg::Index(0)];
        assert_eq!(locate_all(t, &[&missing]), vec![locate(t, &[k("e")])]);
        assert_eq!(locate_all("  ", &[&[k("a")]]), vec![None]);
    }

    #[test]
    fn never_panics_on_garbage() {
        for t in ["", "{", "[", "{\"a\"", "{\"a\":", "[1,", "\"", "{\"a\":[}"] {
            let _ = locate(t, &[PathSeg::Key("a".into()), PathSeg::Index(0)]);
            let _ = locate_all(t, &[&[PathSeg::Key("a".into()), PathSeg::Index(0)]]);
        }
    }
}
