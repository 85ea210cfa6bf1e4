//! Finds where a JSON path (`policies[2].kind`) sits in a document's text, so scenario
//! errors can point at a line and column. A small scanner, independent of serde: it only
//! needs to skip values and find keys and array elements.

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    fn never_panics_on_garbage() {
        for t in ["", "{", "[", "{\"a\"", "{\"a\":", "[1,", "\"", "{\"a\":[}"] {
            let _ = locate(t, &[PathSeg::Key("a".into()), PathSeg::Index(0)]);
        }
    }
}
