//! A case file of one case per line, read in pieces: the pieces read so far can be decided
//! while the rest is still being read from disk, and the file need never be in memory
//! whole (`abacus eval` on a file of many megabytes; reading it took a tenth of the run, on
//! one core, before any case was decided).
//!
//! A piece is text of the file that starts at a line start and ends after a line end.
//! Each line of a piece must be one whole case and its comma, or the last case (then only
//! the closing `]` may follow), as [`super::CaseParts::guessing_lines`] guesses; anything
//! else ends the piece with [`NotLines`], and the caller reads the whole file as one text
//! instead, which finds the right cases and errors. Cases and their policies are placed in
//! the whole file, as if it had been read at once.

use super::scan::{take_part, ArrayScan, Walker};
use super::CasePart;
use crate::diagnostic::Position;

/// Where a piece starts in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PieceStart {
    /// Its byte offset.
    pub offset: usize,
    /// The line of its first byte (1-based): a piece starts at a line start.
    pub line: usize,
    /// The number of its first case in the file.
    pub case: usize,
}

impl PieceStart {
    /// The start of the file.
    pub const FILE: PieceStart = PieceStart {
        offset: 0,
        line: 1,
        case: 0,
    };
}

/// A piece that is not whole lines of one case each (see the module doc): read the whole
/// file instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotLines;

/// The parts of one piece (see [`super::CaseFile::line_parts`]).
pub struct LineParts<'a> {
    piece: &'a str,
    start: PieceStart,
    /// `None` when the file's start does not open an array.
    scan: Option<ArrayScan<'a>>,
    walker: Walker<'a>,
    /// The number of the next case.
    next: usize,
    part_bytes: usize,
    /// A line was not a whole case: nothing more is given.
    failed: bool,
}

impl<'a> LineParts<'a> {
    pub(super) fn new(piece: &'a str, start: PieceStart, part_bytes: usize) -> Self {
        let scan = if start.offset == 0 {
            ArrayScan::new(piece).ok().map(ArrayScan::guessing_lines)
        } else {
            Some(ArrayScan::piece(piece))
        };
        let at = Position {
            line: start.line,
            column: 1,
            column_utf16: 1,
        };
        LineParts {
            piece,
            start,
            scan,
            walker: Walker::at(piece, 0, at),
            next: start.case,
            part_bytes: part_bytes.max(1),
            failed: false,
        }
    }

    /// True once the array's closing `]` was met in this piece (only whitespace may follow it,
    /// here and in any later piece).
    pub fn closed(&self) -> bool {
        self.scan.as_ref().is_some_and(|s| s.closed())
    }

    /// Where the next piece starts: after this one, with the cases found so far counted
    /// (meaningful once every part was taken).
    pub fn next_start(&self) -> PieceStart {
        PieceStart {
            offset: self.start.offset + self.piece.len(),
            line: self.start.line + memchr::memchr_iter(b'\n', self.piece.as_bytes()).count(),
            case: self.next,
        }
    }
}

impl<'a> Iterator for LineParts<'a> {
    type Item = Result<CasePart<'a>, NotLines>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let Some(scan) = self.scan.as_mut() else {
            self.failed = true;
            return Some(Err(NotLines));
        };
        let mut cases = Vec::new();
        if take_part(self.part_bytes, &mut cases, || scan.next_line()).is_err() {
            self.failed = true;
            return Some(Err(NotLines));
        }
        let offset = cases.first()?.0;
        let first = self.next;
        self.next += cases.len();
        Some(Ok(CasePart {
            text: self.piece,
            base: self.start.offset,
            first,
            cases,
            single: false,
            guessed: true,
            start: (offset, self.walker.position(offset)),
        }))
    }
}

impl From<NotLines> for super::CaseError {
    fn from(_: NotLines) -> Self {
        super::CaseError {
            message: "the file is not one case per line: read it whole".into(),
            line: 1,
            column: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{parse_cases, Case, CaseFile};
    use proptest::prelude::*;

    /// An array of `n` cases, one per line, with a policy given as an object (placed in the
    /// file) and, every third case, a non-ASCII name.
    fn of_lines(n: usize) -> String {
        let cases: Vec<String> = (0..n)
            .map(|i| {
                let name = if i % 3 == 0 { format!("é{i}") } else { format!("c{i}") };
                format!("{{\"name\": \"{name}\", \"request\": {{\"principal\": \"p\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}}, \"identityPolicies\": [{{\"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}]}}]}}")
            })
            .collect();
        format!("[\n{}\n]\n", cases.join(",\n"))
    }

    /// The cases of `text` read in two pieces, cut after line `lines` (whole-line pieces);
    /// `None` when a piece is not whole lines or the array does not close in the second.
    fn in_two(text: &str, lines: usize, part_bytes: usize) -> Option<Vec<Case>> {
        let cut = text
            .match_indices('\n')
            .nth(lines)
            .map_or(text.len(), |(i, _)| i + 1);
        let (head, rest) = text.split_at(cut);
        // the cases of a piece's parts, `None` at the first that does not read
        let read = |parts: &mut LineParts<'_>| -> Option<Vec<Case>> {
            let mut cases = Vec::new();
            for part in parts {
                cases.extend(part.ok()?.read().collect::<Result<Vec<_>, _>>().ok()?);
            }
            Some(cases)
        };
        let mut first = CaseFile::line_parts(head, PieceStart::FILE, part_bytes);
        let mut cases = read(&mut first)?;
        let mut second = CaseFile::line_parts(rest, first.next_start(), part_bytes);
        cases.extend(read(&mut second)?);
        second.closed().then_some(cases)
    }

    proptest! {
        // wherever the file is cut at a line end, its two pieces hold the file's cases, with
        // their policies placed in the whole file; cut after its last case, the first piece
        // does not end with a comma and the whole file is read instead
        #[test]
        fn two_pieces_hold_the_cases_of_the_whole_file(
            n in 1usize..40,
            lines in 0usize..45,
            part_bytes in 1usize..2_000,
        ) {
            let text = of_lines(n);
            let whole = parse_cases(&text).unwrap();
            prop_assert!(whole.iter().all(|c| c.identity_policies[0].origin.is_some()));
            let pieces = in_two(&text, lines, part_bytes);
            if lines < n {
                prop_assert_eq!(pieces, Some(whole));
            } else {
                prop_assert!(pieces.is_none() || pieces == Some(whole));
            }
        }
    }

    #[test]
    fn a_piece_that_is_not_whole_lines_says_so() {
        let text = of_lines(10);
        // a case over two lines
        let wrapped = text.replacen("\"request\"", "\n\"request\"", 1);
        assert_eq!(in_two(&wrapped, 5, 100), None);
        // a comma before the close; no close; text after it; not an array
        assert_eq!(in_two(&text.replacen("}\n]", "},\n]", 1), 5, 100), None);
        assert_eq!(in_two(text.trim_end().trim_end_matches(']'), 5, 100), None);
        assert_eq!(in_two(&format!("{text}[]"), 5, 100), None);
        assert_eq!(in_two(&format!("{{}}\n{text}"), 5, 100), None);
        let mut parts = CaseFile::line_parts(&wrapped, PieceStart::FILE, 100);
        assert!(parts.by_ref().any(|p| p.is_err()));
        assert_eq!(parts.next().map(|p| p.is_ok()), None);
    }
}
