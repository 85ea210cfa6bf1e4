//! The quick reading of a case file's text: where each case of an array starts and ends
//! ([`ArrayScan`]), and line and column of offsets met in order ([`Walker`]). Both scan
//! bytes only; serde reads the cases themselves.

use crate::diagnostic::Position;

/// The elements of a top-level JSON array, each with its offset, found one at a time: a
/// quick byte scan that follows strings (with their escapes) and bracket nesting. Any
/// irregularity outside the elements (a missing comma, unbalanced brackets, a string left
/// open, text after the array, an element that is not an object or array) ends the scan
/// with [`Irregular`], and serde then reads the file and reports it; serde reads each
/// element afterwards anyway, which checks its insides.
///
/// Guessing lines ([`ArrayScan::guessing_lines`]), an element that fills its line (from
/// `{` to `}`, then `,` or the line of the closing `]`) is taken as it stands, without
/// following its brackets: files of one case per line (what programs write) are split at
/// the cost of finding their line ends. A line that is only part of an element (a
/// pretty-printed case) would be taken wrongly, which is why such elements are guesses (see
/// [`ArrayScan::guessed`]); the first line that does not look like a whole element ends the
/// guessing, and the scan follows brackets from there.
pub(super) struct ArrayScan<'a> {
    text: &'a str,
    /// Where the next element (or the closing `]`) starts; `None` once the array ended.
    at: Option<usize>,
    /// Still taking whole lines as elements.
    lines: bool,
    /// Some element was a line taken as it stands.
    guessed: bool,
}

/// The scan met something that is not a plain array of containers (see [`ArrayScan`]).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Irregular;

impl<'a> ArrayScan<'a> {
    /// A scan of `text`, which must open with `[` (after whitespace).
    pub(super) fn new(text: &'a str) -> Result<Self, Irregular> {
        let i = skip_ws(text.as_bytes(), 0);
        if text.as_bytes().get(i) != Some(&b'[') {
            return Err(Irregular);
        }
        let mut scan = ArrayScan {
            text,
            at: Some(skip_ws(text.as_bytes(), i + 1)),
            lines: false,
            guessed: false,
        };
        if let Some(first) = scan.at.filter(|&at| text.as_bytes().get(at) == Some(&b']')) {
            // an empty array
            scan.close(first)?;
        }
        Ok(scan)
    }

    /// The same scan, taking elements that fill their line as they stand (see the type's
    /// doc).
    pub(super) fn guessing_lines(mut self) -> Self {
        self.lines = true;
        self
    }

    /// A scan of a piece of a file of one case per line that starts at a line start inside
    /// the array, after an element's line and its comma (a file's first piece starts with
    /// `[` and is scanned by [`ArrayScan::new`]): only whole lines are taken (see
    /// [`ArrayScan::next_line`]).
    pub(super) fn piece(text: &'a str) -> Self {
        ArrayScan {
            text,
            at: Some(skip_ws(text.as_bytes(), 0)),
            lines: true,
            guessed: false,
        }
    }

    /// The next element when it fills its line (see [`ArrayScan::guessing_lines`]);
    /// `Ok(None)` when the array has closed or the text has ended (a piece of the file;
    /// [`ArrayScan::closed`] tells which); [`Irregular`] for a line that is not a whole
    /// element.
    pub(super) fn next_line(&mut self) -> Result<Option<(usize, &'a str)>, Irregular> {
        match self.at {
            None => Ok(None),
            Some(start) if start == self.text.len() => Ok(None),
            Some(start) => self.whole_line(start).map(Some).ok_or(Irregular),
        }
    }

    /// True once the array's closing `]` was met.
    pub(super) fn closed(&self) -> bool {
        self.at.is_none()
    }

    /// True when some element was a whole line taken without following its brackets:
    /// the elements are right if each of them is a complete JSON value.
    pub(super) fn guessed(&self) -> bool {
        self.guessed
    }

    /// The next element and its offset; `None` after the last.
    pub(super) fn next_element(&mut self) -> Result<Option<(usize, &'a str)>, Irregular> {
        let b = self.text.as_bytes();
        let Some(start) = self.at else {
            return Ok(None);
        };
        if self.lines {
            match self.whole_line(start) {
                Some(element) => return Ok(Some(element)),
                None => self.lines = false,
            }
        }
        let end = skip_container(b, start).ok_or(Irregular)?;
        let element = self.text.get(start..end).ok_or(Irregular)?;
        let i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => self.at = Some(skip_ws(b, i + 1)),
            Some(b']') => {
                self.close(i)?;
            }
            _ => return Err(Irregular),
        }
        Ok(Some((start, element)))
    }

    /// The element at `start` when it fills its line, moving past it; `None` (nothing moved)
    /// when the line is not one element followed by `,` or by the closing `]`.
    fn whole_line(&mut self, start: usize) -> Option<(usize, &'a str)> {
        let b = self.text.as_bytes();
        let rest = b.get(start..)?;
        let line_end = start + memchr::memchr(b'\n', rest)?;
        // only JSON's own whitespace: anything else around a separator is an error for
        // serde to report, never a guess
        let json_ws = [' ', '\t', '\r'];
        let line = self.text.get(start..line_end)?.trim_end_matches(json_ws);
        let next = skip_ws(b, line_end);
        let (element, after) = match line.strip_suffix(',') {
            Some(element) => (element.trim_end_matches(json_ws), Some(next)),
            // the last element: the array closes on a later line, and nothing follows it
            None if b.get(next) == Some(&b']') && skip_ws(b, next + 1) == b.len() => (line, None),
            None => return None,
        };
        if !(element.starts_with('{') && element.ends_with('}')) {
            return None;
        }
        self.at = after;
        self.guessed = true;
        Some((start, element))
    }

    /// The array closes at `i`: nothing but whitespace may follow.
    fn close(&mut self, i: usize) -> Result<Option<(usize, &'a str)>, Irregular> {
        self.at = None;
        if skip_ws(self.text.as_bytes(), i + 1) == self.text.len() {
            Ok(None)
        } else {
            Err(Irregular)
        }
    }
}

/// Takes the elements `next` gives into `cases` up to about `part_bytes` of text: `Ok(true)`
/// once `next` has given them all, `Ok(false)` when the part is full first.
pub(super) fn take_part<'a>(
    part_bytes: usize,
    cases: &mut Vec<(usize, &'a str)>,
    mut next: impl FnMut() -> Result<Option<(usize, &'a str)>, Irregular>,
) -> Result<bool, Irregular> {
    let mut bytes = 0;
    while bytes < part_bytes {
        match next()? {
            Some((offset, slice)) => {
                bytes += slice.len();
                cases.push((offset, slice));
            }
            None => return Ok(true),
        }
    }
    Ok(false)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// Every element of a top-level JSON array (see [`ArrayScan`]), or `None` when the scan
/// meets an irregularity.
pub(super) fn split_array(text: &str) -> Option<Vec<(usize, &str)>> {
    let mut scan = ArrayScan::new(text).ok()?;
    let mut out = Vec::new();
    while let Some(element) = scan.next_element().ok()? {
        out.push(element);
    }
    Some(out)
}

/// The end of the object or array starting at `i` (see [`ArrayScan`]).
fn skip_container(b: &[u8], mut i: usize) -> Option<usize> {
    let mut open: Vec<u8> = Vec::new();
    loop {
        let c = *b.get(i)?;
        i += 1;
        match c {
            // inside a string, straight to its next quote or backslash (a vector scan:
            // this split is the one part of `abacus eval` that runs on one core)
            b'"' => loop {
                i += memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
                match *b.get(i)? {
                    b'"' => {
                        i += 1;
                        break;
                    }
                    _ => i += 2,
                }
            },
            b'{' => open.push(b'}'),
            b'[' => open.push(b']'),
            b'}' | b']' => {
                if open.pop()? != c {
                    return None;
                }
                if open.is_empty() {
                    return Some(i);
                }
            }
            // anything else before the first bracket: not a container
            _ if open.is_empty() => return None,
            _ => {}
        }
    }
}

/// Positions of increasing offsets in one text, in one pass over it in all: a file of
/// thousands of cases, even minified on one line, is walked once instead of indexed whole.
pub(super) struct Walker<'a> {
    text: &'a str,
    offset: usize,
    at: Position,
    /// Where it started (what it goes back to for an offset it has passed).
    start: (usize, Position),
}

impl<'a> Walker<'a> {
    /// A walker at the start of `text`.
    pub(super) fn new(text: &'a str) -> Self {
        let at = Position {
            line: 1,
            column: 1,
            column_utf16: 1,
        };
        Walker::at(text, 0, at)
    }

    /// A walker that starts at byte `offset` of `text`, whose position is `at` (as
    /// [`Walker::position`] gave it).
    pub(super) fn at(text: &'a str, offset: usize, at: Position) -> Self {
        Walker {
            text,
            offset,
            at,
            start: (offset, at),
        }
    }

    /// The position of byte `offset` (clamped to the text; an offset inside a character
    /// counts it as passed, as [`crate::diagnostic::LineIndex::position`] does).
    pub(super) fn position(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            // never happens for offsets visited in order; stay right regardless (from the
            // start of a walker made at a place, from the text's start before it)
            let (from, at) = self.start;
            *self = if offset >= from {
                Walker::at(self.text, from, at)
            } else {
                Walker::new(self.text)
            };
        }
        let bytes = self.text.as_bytes();
        let between = bytes.get(self.offset..offset).unwrap_or_default();
        // (memchr: a vector scan; a file of one case per line has a newline every few
        // kilobytes, and a byte loop here was a tenth of `abacus eval`)
        let (from, newlines) = match memchr::memrchr(b'\n', between) {
            Some(last) => (
                self.offset + last + 1,
                memchr::memchr_iter(b'\n', between).count(),
            ),
            None => (self.offset, 0),
        };
        if newlines > 0 {
            self.at = Position {
                line: self.at.line + newlines,
                column: 1,
                column_utf16: 1,
            };
        }
        // from..offset lies on one line; count its characters (UTF-8 continuation bytes
        // start no character)
        // (counted as whole runs, which the compiler vectorises, not byte by byte)
        let run = bytes.get(from..offset).unwrap_or_default();
        // (ASCII text, the usual case, is told at once: one byte, one character)
        let (continuation, astral) = if run.is_ascii() {
            (0, 0)
        } else {
            (
                run.iter().filter(|&&b| b & 0xC0 == 0x80).count(),
                // 4-byte characters are two UTF-16 code units
                run.iter().filter(|&&b| b >= 0xF0).count(),
            )
        };
        let characters = run.len() - continuation;
        self.at.column += characters;
        self.at.column_utf16 += characters + astral;
        self.offset = offset;
        self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::LineIndex;
    use serde_json::value::RawValue;

    fn serde_split(text: &str) -> Option<Vec<(usize, String)>> {
        let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
        let start = text.as_ptr() as usize;
        Some(
            items
                .iter()
                .map(|r| (r.get().as_ptr() as usize - start, r.get().to_owned()))
                .collect(),
        )
    }

    #[test]
    fn the_quick_split_finds_what_serde_finds() {
        let valid = [
            "[]",
            " [ ] \n",
            r#"[{"a": 1}]"#,
            "[\n  {\"a\": \"x]}\\\"[{\"},\n  [1, {\"b\": []}] ,{}\r\n]\n",
            r#"[{"k": "\\"}, {"k": "\u005d"}]"#,
        ];
        for text in valid {
            let quick = split_array(text)
                .unwrap_or_else(|| panic!("{text}"))
                .into_iter()
                .map(|(o, s)| (o, s.to_owned()))
                .collect::<Vec<_>>();
            assert_eq!(Some(quick), serde_split(text), "{text}");
        }
        // irregular outside the elements: left to serde
        for text in [
            "[{} {}]",
            "[{},]",
            "[{}] x",
            "[{\"a\": \"open}]",
            "[{]",
            "[1, 2]",
            "[\"s\"]",
            "[{}",
        ] {
            assert_eq!(split_array(text), None, "{text}");
        }
    }

    #[test]
    fn the_walker_agrees_with_the_line_index() {
        let text = "{\n  \"a\": \"h\u{e9}llo \u{1F600} x\",\r\n\n  \"b\": [1, 2]\n}";
        let index = LineIndex::new(text);
        let mut walker = Walker::new(text);
        for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
            assert_eq!(
                walker.position(offset),
                index.position(offset),
                "offset {offset}"
            );
        }
        // and when asked out of order
        assert_eq!(walker.position(3), index.position(3));
    }

    #[test]
    fn the_scan_gives_elements_one_at_a_time_and_stops_at_an_irregularity() {
        let mut scan = ArrayScan::new(" [{\"a\": 1}, [2] ,{}\n]\n").unwrap();
        assert_eq!(scan.next_element(), Ok(Some((2, "{\"a\": 1}"))));
        assert_eq!(scan.next_element(), Ok(Some((12, "[2]"))));
        assert_eq!(scan.next_element(), Ok(Some((17, "{}"))));
        assert_eq!(scan.next_element(), Ok(None));
        assert_eq!(scan.next_element(), Ok(None));
        let mut scan = ArrayScan::new("[{}, {} {}]").unwrap();
        assert_eq!(scan.next_element(), Ok(Some((1, "{}"))));
        assert_eq!(scan.next_element(), Err(Irregular));
        assert!(ArrayScan::new("{}").is_err());
    }

    #[test]
    fn guessing_lines_takes_only_lines_that_json_separates() {
        /// The elements found, whether any was guessed, and whether the scan ended
        /// irregular.
        fn scanned(text: &str) -> (Vec<&str>, bool, bool) {
            let mut scan = ArrayScan::new(text).unwrap().guessing_lines();
            let mut elements = Vec::new();
            loop {
                match scan.next_element() {
                    Ok(Some((_, element))) => elements.push(element),
                    Ok(None) => return (elements, scan.guessed(), false),
                    Err(Irregular) => return (elements, scan.guessed(), true),
                }
            }
        }
        assert_eq!(
            scanned("[\n{\"a\": 1} ,\t\r\n  {\"b\": 2}\r\n]\r\n"),
            (vec!["{\"a\": 1}", "{\"b\": 2}"], true, false)
        );
        // not JSON whitespace: never a guess, and the bracket scan stops at it
        for odd in ["\u{a0}", "\u{c}", "\u{2028}"] {
            for text in [
                format!("[\n{{\"a\": 1}},{odd}\n{{\"b\": 2}}\n]"),
                format!("[\n{{\"a\": 1}}{odd},\n{{\"b\": 2}}\n]"),
                format!("[\n{{\"a\": 1}}{odd}\n]"),
            ] {
                let (_, guessed, irregular) = scanned(&text);
                assert!(!guessed && irregular, "{text:?}");
            }
        }
        // text after the closing bracket: no guess either
        let (_, guessed, irregular) = scanned("[\n{\"a\": 1}\n] x");
        assert!(!guessed && irregular);
    }

    #[test]
    fn a_walker_started_midway_agrees_with_one_from_the_start() {
        let text = "[\n  {\"a\": \"\u{e9}\"},\n  {\"b\": 2}\n]";
        let mut whole = Walker::new(text);
        let middle = text.find("{\"b\"").unwrap();
        let at = whole.position(middle);
        let mut from_middle = Walker::at(text, middle, at);
        for offset in middle..=text.len() {
            assert_eq!(
                from_middle.position(offset),
                whole.position(offset),
                "{offset}"
            );
        }
    }
}
