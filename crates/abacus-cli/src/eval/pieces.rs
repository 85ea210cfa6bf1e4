//! A large case file of one case per line, read in pieces while it is decided (see
//! [`decide_in_pieces`]).

use super::{decide_on, decide_part, not_utf8, read_whole, Decided, Lines};
use abacus_policy::case::{CaseError, CaseFile, PieceStart};
use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};

/// A piece grows past its size to end at a line end, up to this many times its size: a
/// longer line means a file that is not one case per line (a whole array on one line), which
/// is then read whole without more searching.
const MAX_LINE_PIECES: usize = 16;

/// Whole lines of a file read in pieces, and where they start.
struct Piece {
    number: usize,
    text: String,
    start: PieceStart,
}

/// Why reading pieces stopped before the end: the file is not one case per line, or a case
/// did not read (both: read it whole), or it cannot be read.
enum Unread {
    NotLines,
    Stopped,
    Failed(std::io::Error),
}

/// Held by each deciding thread: the last to end, however it ends (a panic included), drops
/// the receiving end of the pieces, so that the reader, waiting for room, stops instead of
/// waiting for ever.
struct LastOut<'a> {
    live: &'a AtomicUsize,
    pieces: &'a Mutex<Option<mpsc::Receiver<Piece>>>,
}

impl Drop for LastOut<'_> {
    fn drop(&mut self) {
        if self.live.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.pieces
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
        }
    }
}

/// Reads and decides a file from `reader` in pieces of about `piece_bytes`: a thread reads
/// the file, cuts it at line ends and checks each piece's lines, and the deciding threads
/// take the pieces as they come, giving their text back for the next piece to be read into.
/// So the read overlaps the deciding (reading the 20 MB bench file took a tenth of the run
/// before any case was decided), and the file is never all in memory. A file of one case
/// per line is read so ([`CaseFile::line_parts`]); anything else, or any case that does not
/// read (the reading then stops), has the whole file read again from where it started and
/// decided as one text ([`decide_on`]), which finds the right cases and errors: what is
/// printed is the same.
pub(super) fn decide_in_pieces<R: Read + Seek + Send>(
    file: &str,
    reader: &mut R,
    explain: bool,
    threads: usize,
    piece_bytes: usize,
) -> std::io::Result<Result<Lines, CaseError>> {
    let from = reader.stream_position()?;
    // a few pieces ahead of the deciding at most
    let (pieces_tx, pieces_rx) = mpsc::sync_channel::<Piece>(2 * threads);
    let (spare_tx, spare_rx) = mpsc::channel::<String>();
    let pieces_rx = Mutex::new(Some(pieces_rx));
    let live = AtomicUsize::new(threads);
    let stop = AtomicBool::new(false);
    let decided: Decided = Mutex::new(Vec::new());
    // takes pieces until the reading has ended and every piece is taken
    let work = || {
        let _out = LastOut {
            live: &live,
            pieces: &pieces_rx,
        };
        loop {
            let next = match pieces_rx.lock() {
                Ok(rx) => match rx.as_ref() {
                    Some(rx) => rx.recv(),
                    None => return,
                },
                Err(_) => return,
            };
            let Ok(piece) = next else {
                return;
            };
            if !stop.load(Ordering::Acquire) {
                // (the reader checked the piece's lines: it is one part)
                let mut lines = Lines::default();
                let mut outcome = Ok(());
                for part in CaseFile::line_parts(&piece.text, piece.start, usize::MAX) {
                    match part
                        .map_err(CaseError::from)
                        .and_then(|p| decide_part(file, &p, explain))
                    {
                        Ok(more) => lines.append(more),
                        Err(e) => outcome = Err(e),
                    }
                }
                // a case did not read: the file will be read whole, stop reading pieces
                stop.fetch_or(outcome.is_err(), Ordering::AcqRel);
                decided
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((piece.number, outcome.map(|()| lines)));
            }
            // (the reader may have ended: then the text is simply freed)
            let _ = spare_tx.send(piece.text);
        }
    };
    let mut lost = false;
    let (source, stop_reading) = (&mut *reader, &stop);
    let read = std::thread::scope(|scope| {
        let read = scope.spawn(move || {
            let sent = read_pieces(source, piece_bytes, &pieces_tx, &spare_rx, stop_reading);
            // (the deciding threads end once they have taken every piece sent)
            drop(pieces_tx);
            sent
        });
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        work();
        for helper in helpers {
            lost |= helper.join().is_err();
        }
        read.join()
    });
    let read = match read {
        Ok(read) => read,
        Err(_) => Err(Unread::Failed(std::io::Error::other(
            "the thread reading the file failed",
        ))),
    };
    let pieces = match read {
        Ok(pieces) => Some(pieces),
        Err(Unread::Failed(e)) => return Err(e),
        Err(Unread::NotLines | Unread::Stopped) => None,
    };
    let mut decided = decided.into_inner().unwrap_or_else(PoisonError::into_inner);
    decided.sort_by_key(|(number, _)| *number);
    let parts: Result<Vec<Lines>, CaseError> = decided.into_iter().map(|(_, l)| l).collect();
    match (parts, pieces) {
        (Ok(parts), Some(pieces)) if !lost && parts.len() == pieces => {
            Ok(Ok(Lines::default().joined(parts)))
        }
        // not one case per line, a case did not read, or a thread failed: the whole file
        _ => {
            reader.seek(SeekFrom::Start(from))?;
            Ok(decide_on(file, &read_whole(reader)?, explain, threads))
        }
    }
}

/// Reads `reader` in pieces of whole lines of about `piece_bytes` (a longer line makes a
/// longer piece), reusing the texts that come back as `spare`, checks that each piece's
/// lines are cases of one array, and sends it. The number of pieces sent; [`Unread`] when
/// a piece is not whole cases of one array or the file cannot be read (the pieces sent so
/// far are then of no use).
fn read_pieces(
    mut reader: impl Read,
    piece_bytes: usize,
    pieces: &mpsc::SyncSender<Piece>,
    spare: &mpsc::Receiver<String>,
    stop: &AtomicBool,
) -> Result<usize, Unread> {
    let mut start = PieceStart::FILE;
    let mut number = 0;
    let mut carry: Vec<u8> = Vec::new();
    let mut closed = false;
    loop {
        if stop.load(Ordering::Acquire) {
            return Err(Unread::Stopped);
        }
        let mut buf = spare.try_recv().map(String::into_bytes).unwrap_or_default();
        buf.clear();
        buf.append(&mut carry);
        // read until the piece is long enough and holds a line end, or the file ends (the
        // carried bytes hold none: each read is searched once)
        let mut eof = false;
        let mut line_end = false;
        while buf.len() < piece_bytes || !line_end {
            if buf.len() > MAX_LINE_PIECES * piece_bytes.max(1) {
                // a line this long is not one of a file of one case per line
                return Err(Unread::NotLines);
            }
            let before = buf.len();
            let want = piece_bytes.saturating_sub(before).max(16 * 1024);
            buf.reserve(want);
            let got = (&mut reader)
                .take(u64::try_from(want).unwrap_or(u64::MAX))
                .read_to_end(&mut buf)
                .map_err(Unread::Failed)?;
            if got == 0 {
                eof = true;
                break;
            }
            line_end |= buf.get(before..).is_some_and(|new| new.contains(&b'\n'));
        }
        let cut = if eof {
            buf.len()
        } else {
            buf.iter()
                .rposition(|&b| b == b'\n')
                .map_or(buf.len(), |i| i + 1)
        };
        carry.extend_from_slice(buf.get(cut..).unwrap_or_default());
        buf.truncate(cut);
        let text = String::from_utf8(buf).map_err(|_| Unread::Failed(not_utf8()))?;
        if text.is_empty() && eof {
            return if closed {
                Ok(number)
            } else {
                Err(Unread::NotLines)
            };
        }
        if closed {
            // after the array, only whitespace
            if text
                .bytes()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            {
                continue;
            }
            return Err(Unread::NotLines);
        }
        let next = {
            let mut parts = CaseFile::line_parts(&text, start, usize::MAX);
            if !parts.by_ref().all(|p| p.is_ok()) {
                return Err(Unread::NotLines);
            }
            closed = parts.closed();
            parts.next_start()
        };
        if pieces
            .send(Piece {
                number,
                text,
                start,
            })
            .is_err()
        {
            // (no thread decides any more: they all failed, see `LastOut`)
            return Err(Unread::Failed(std::io::Error::other(
                "the threads deciding the file failed",
            )));
        }
        number += 1;
        start = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::tests::{big_file, big_file_of_lines};
    use crate::eval::PART_BYTES;

    /// [`decide_in_pieces`] on `text`, in pieces of about `piece` bytes.
    fn in_pieces(text: &str, piece: usize, threads: usize) -> Result<Lines, CaseError> {
        let bytes = text.as_bytes().to_vec();
        // (read from a place after the start: the whole file is read again from there)
        let mut reader = std::io::Cursor::new([b"ignored".as_slice(), &bytes].concat());
        reader.set_position(7);
        decide_in_pieces("f", &mut reader, false, threads, piece).unwrap()
    }

    #[test]
    fn a_file_read_in_pieces_prints_what_the_whole_file_prints() {
        let lines = big_file_of_lines(None);
        // policies without a version: diagnostics, placed in the file, in every piece
        let versionless = lines.replace("\"Version\": \"2012-10-17\", ", "");
        let texts = [
            lines.clone(),
            versionless.clone(),
            // a case that does not read
            big_file_of_lines(Some(2_500)),
            // cases over several lines: not one case per line
            big_file(None),
            // not closed; closed twice; a comma before the close; text after it
            lines.get(..lines.len() - 3).unwrap().to_owned(),
            format!("{lines}]"),
            lines.replacen("}\n]", "},\n]", 1),
            format!("{lines}{{}}"),
        ];
        let whole = decide_on("f", &versionless, false, 1).unwrap();
        assert!((0..3_000).all(|n| whole.line(n).contains("\"line\":")));
        assert!(whole
            .line(2_999)
            .contains(&format!("\"line\":{}", 2_999 + 2)));
        for text in &texts {
            let whole = decide_on("f", text, false, 1);
            for piece in [0, 1, 100, 4_096, PART_BYTES, text.len() / 2, text.len() + 1] {
                for threads in [2, 3] {
                    assert_eq!(in_pieces(text, piece, threads), whole, "{piece} {threads}");
                }
            }
        }
    }

    /// The pieces `read_pieces` makes of `text`, or why it stopped.
    fn pieces_of(text: &str, piece_bytes: usize) -> Result<Vec<Piece>, Unread> {
        let (tx, rx) = mpsc::sync_channel(100_000);
        let (_spare_tx, spare_rx) = mpsc::channel();
        let n = read_pieces(
            text.as_bytes(),
            piece_bytes,
            &tx,
            &spare_rx,
            &AtomicBool::new(false),
        )?;
        drop(tx);
        let pieces: Vec<Piece> = rx.iter().collect();
        assert_eq!(pieces.len(), n);
        Ok(pieces)
    }

    #[test]
    fn a_file_of_one_case_per_line_is_read_in_pieces_of_whole_lines() {
        let text = big_file_of_lines(None);
        let pieces = pieces_of(&text, 4_096).ok().unwrap();
        assert!(pieces.len() > 20, "{}", pieces.len());
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
        assert!(pieces.iter().all(|p| p.text.ends_with('\n')));
        let last = pieces.last().unwrap();
        assert_eq!(last.start.offset + last.text.len(), text.len());
        // (each piece says where it starts)
        assert!(pieces
            .windows(2)
            .all(|w| w[1].start.offset == w[0].start.offset + w[0].text.len()));
        // cases over several lines, or an array that does not close: read whole instead
        assert!(matches!(
            pieces_of(&big_file(None), 4_096),
            Err(Unread::NotLines)
        ));
        let cut = text.get(..text.len() - 3).unwrap();
        assert!(matches!(pieces_of(cut, 4_096), Err(Unread::NotLines)));
        // a whole array on one line: given up after a bounded read (the file is then read
        // whole), and decided as the whole file is
        let one_line = text.replace('\n', "");
        assert!(matches!(pieces_of(&one_line, 4_096), Err(Unread::NotLines)));
        assert_eq!(
            in_pieces(&one_line, 4_096, 2),
            decide_on("f", &one_line, false, 1)
        );
    }

    #[test]
    fn the_last_deciding_thread_to_end_lets_the_reader_stop() {
        // (however the threads end, a panic included: the reader must not wait for room)
        let (tx, rx) = mpsc::sync_channel::<Piece>(0);
        let pieces = Mutex::new(Some(rx));
        let live = AtomicUsize::new(2);
        let first = LastOut {
            live: &live,
            pieces: &pieces,
        };
        let second = LastOut {
            live: &live,
            pieces: &pieces,
        };
        drop(first);
        assert!(pieces.lock().unwrap().is_some());
        let piece = || Piece {
            number: 0,
            text: String::new(),
            start: PieceStart::FILE,
        };
        assert!(matches!(
            tx.try_send(piece()),
            Err(mpsc::TrySendError::Full(_))
        ));
        drop(second);
        assert!(pieces.lock().unwrap().is_none());
        assert!(tx.send(piece()).is_err());
    }

    #[test]
    fn reading_stops_once_a_case_did_not_read() {
        let text = big_file_of_lines(None);
        let (tx, _rx) = mpsc::sync_channel(100);
        let (_spare_tx, spare_rx) = mpsc::channel();
        let stop = AtomicBool::new(true);
        let read = read_pieces(text.as_bytes(), 4_096, &tx, &spare_rx, &stop);
        assert!(matches!(read, Err(Unread::Stopped)));
        // and the file is decided whole, from where it was first read
        let bad = big_file_of_lines(Some(700));
        assert_eq!(in_pieces(&bad, 4_096, 2), decide_on("f", &bad, false, 1));
    }

    #[test]
    fn a_file_read_in_pieces_must_be_utf8_throughout() {
        let bytes = big_file_of_lines(None).into_bytes();
        for at in [10, bytes.len() - 10] {
            let mut bad = bytes.clone();
            bad[at] = 0xff;
            for piece in [0, 100, bytes.len() / 2] {
                let mut reader = std::io::Cursor::new(bad.clone());
                let e = decide_in_pieces("f", &mut reader, false, 2, piece).unwrap_err();
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
                assert_eq!(e.to_string(), "stream did not contain valid UTF-8");
            }
        }
    }
}
