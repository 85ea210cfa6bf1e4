//! The one glob rule behind every wildcard comparison: `*` matches any run of characters
//! (colons included), `?` exactly one character, in time linear in text and pattern.
//!
//! The pattern is split at its stars into chunks (literal bytes and `?`). Without a star
//! the single chunk must cover the whole text. Otherwise the first chunk is anchored at
//! the start, the last at the end, and each middle chunk is taken at its leftmost
//! occurrence after the previous one: a leftmost occurrence leaves the most text for the
//! chunks that follow, so it succeeds whenever any placement does.
//!
//! Work: anchored chunks cost their length. A middle chunk of plain literal bytes
//! (case-sensitive) is found with `str::find`, which is linear (two-way). A middle chunk
//! with `?`, or any middle chunk when ignoring case, is found with bit-parallel
//! Shift-And over characters: O(text × ⌈chunk / 64⌉) word steps, kept linear by
//! [`MAX_SEARCHED_CHUNK_CHARS`]. Each search starts where the previous one ended, so the
//! whole match reads the text once.

use super::PatItem;

/// The longest middle chunk (text between two `*`) that is searched with `?` in it, or
/// with case ignored, in characters. Longer chunks make the pattern match nothing, and
/// the validator reports them (`policy-wildcard-too-long`): AWS caps an ARN at 2,048
/// characters and a managed policy at 6,144, so no policy AWS accepts needs more.
/// At this size a search costs at most 64 word steps per text character.
pub const MAX_SEARCHED_CHUNK_CHARS: usize = 4096;

/// A slice of a compiled pattern: its items and the raw bytes behind them (a wildcard
/// item's raw byte is `*` or `?`).
#[derive(Clone, Copy)]
pub(crate) struct Pat<'a> {
    pub items: &'a [PatItem],
    pub raw: &'a [u8],
}

impl<'a> Pat<'a> {
    pub(crate) fn sub(self, start: usize, end: usize) -> Pat<'a> {
        Pat {
            items: self.items.get(start..end).unwrap_or(&[]),
            raw: self.raw.get(start..end).unwrap_or(&[]),
        }
    }

    /// The chunks between stars, in order (empty chunks included).
    fn chunks(self) -> impl Iterator<Item = Pat<'a>> {
        let mut start = 0usize;
        let ends = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, it)| **it == PatItem::Star)
            .map(|(i, _)| i)
            .chain(std::iter::once(self.items.len()));
        ends.map(move |end| {
            let chunk = self.sub(start, end);
            start = end + 1;
            chunk
        })
    }

    fn has_any_char(self) -> bool {
        self.items.contains(&PatItem::AnyChar)
    }

    /// Characters in the chunk (a `?` counts one, a literal UTF-8 sequence one).
    fn char_len(self) -> usize {
        self.items
            .iter()
            .filter(|it| !matches!(it, PatItem::Byte(b) if is_continuation(*b)))
            .count()
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Length of the UTF-8 character starting with lead byte `b`.
fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn same(p: u8, t: u8, ignore_case: bool) -> bool {
    p == t || (ignore_case && p.eq_ignore_ascii_case(&t))
}

/// Does `pat` match the whole of `text`?
pub(crate) fn glob(pat: Pat<'_>, text: &str, ignore_case: bool) -> bool {
    let bytes = text.as_bytes();
    let mut chunks = pat.chunks();
    let Some(first) = chunks.next() else {
        return text.is_empty();
    };
    let Some(mut pos) = match_forward(first, bytes, 0, ignore_case) else {
        return false;
    };
    let Some(last_star) = pat.items.iter().rposition(|it| *it == PatItem::Star) else {
        return pos == bytes.len(); // no star: one chunk covers everything
    };
    let last = pat.sub(last_star + 1, pat.items.len());
    let Some(tail_start) = match_backward(last, bytes, ignore_case) else {
        return false;
    };
    if tail_start < pos {
        return false;
    }
    let Some(window) = text.get(..tail_start) else {
        return false;
    };
    // every chunk but the first and the last
    let middle_count = pat.items.iter().filter(|it| **it == PatItem::Star).count() - 1;
    for chunk in chunks.take(middle_count) {
        if chunk.items.is_empty() {
            continue;
        }
        match find(chunk, window, pos, ignore_case) {
            Some(end) => pos = end,
            None => return false,
        }
    }
    true
}

/// Matches `chunk` (no stars) at byte `pos`; the end of the match.
fn match_forward(chunk: Pat<'_>, text: &[u8], pos: usize, ignore_case: bool) -> Option<usize> {
    let mut t = pos;
    for item in chunk.items {
        let tb = *text.get(t)?;
        match item {
            PatItem::Byte(b) if same(*b, tb, ignore_case) => t += 1,
            PatItem::AnyChar => t += char_len(tb),
            _ => return None,
        }
    }
    (t <= text.len()).then_some(t)
}

/// Matches `chunk` (no stars) ending at the end of `text`; the start of the match.
fn match_backward(chunk: Pat<'_>, text: &[u8], ignore_case: bool) -> Option<usize> {
    let mut t = text.len();
    for item in chunk.items.iter().rev() {
        t = t.checked_sub(1)?;
        let tb = *text.get(t)?;
        match item {
            PatItem::Byte(b) if same(*b, tb, ignore_case) => {}
            PatItem::AnyChar => {
                while t > 0 && text.get(t).is_some_and(|b| is_continuation(*b)) {
                    t -= 1;
                }
            }
            _ => return None,
        }
    }
    Some(t)
}

/// The end of the leftmost occurrence of `chunk` in `text` at or after byte `from`.
fn find(chunk: Pat<'_>, text: &str, from: usize, ignore_case: bool) -> Option<usize> {
    let hay = text.get(from..)?;
    if !ignore_case && !chunk.has_any_char() {
        if let Ok(needle) = std::str::from_utf8(chunk.raw) {
            return hay.find(needle).map(|i| from + i + needle.len());
        }
    }
    shift_and(chunk, hay, ignore_case).map(|end| from + end)
}

/// True when searching `chunk` would need more than [`MAX_SEARCHED_CHUNK_CHARS`].
fn too_long_to_search(chunk: Pat<'_>, ignore_case: bool) -> bool {
    (ignore_case || chunk.has_any_char()) && chunk.char_len() > MAX_SEARCHED_CHUNK_CHARS
}

/// True when some middle chunk of `pat` is too long to search, which makes the pattern
/// match nothing (see [`MAX_SEARCHED_CHUNK_CHARS`]).
pub(crate) fn has_unsearchable_chunk(pat: Pat<'_>, ignore_case: bool) -> bool {
    let stars = pat.items.iter().filter(|it| **it == PatItem::Star).count();
    pat.chunks()
        .skip(1)
        .take(stars.saturating_sub(1))
        .any(|c| too_long_to_search(c, ignore_case))
}

/// One character of a chunk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CharItem {
    Any,
    Lit(char),
}

fn char_items(chunk: Pat<'_>, ignore_case: bool) -> Option<Vec<CharItem>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let flush = |out: &mut Vec<CharItem>, from: usize, to: usize| -> Option<()> {
        let run = std::str::from_utf8(chunk.raw.get(from..to)?).ok()?;
        out.extend(run.chars().map(|c| {
            CharItem::Lit(if ignore_case {
                c.to_ascii_lowercase()
            } else {
                c
            })
        }));
        Some(())
    };
    for (i, item) in chunk.items.iter().enumerate() {
        if *item == PatItem::AnyChar {
            flush(&mut out, start, i)?;
            out.push(CharItem::Any);
            start = i + 1;
        }
    }
    flush(&mut out, start, chunk.items.len())?;
    Some(out)
}

/// Shift-And over characters: the end (in bytes) of the leftmost occurrence of `chunk`.
fn shift_and(chunk: Pat<'_>, hay: &str, ignore_case: bool) -> Option<usize> {
    if too_long_to_search(chunk, ignore_case) {
        return None;
    }
    let items = char_items(chunk, ignore_case)?;
    let k = items.len();
    let words = k.div_ceil(64).max(1);
    // masks: 128 ASCII rows, then one row per distinct non-ASCII character
    let mut any = vec![0u64; words];
    let mut others: Vec<char> = items
        .iter()
        .filter_map(|it| match it {
            CharItem::Lit(c) if !c.is_ascii() => Some(*c),
            _ => None,
        })
        .collect();
    crate::order::sort(&mut others);
    others.dedup();
    let mut table = vec![0u64; (128 + others.len()) * words];
    for (i, it) in items.iter().enumerate() {
        let (w, bit) = (i / 64, 1u64 << (i % 64));
        match it {
            CharItem::Any => {
                if let Some(x) = any.get_mut(w) {
                    *x |= bit;
                }
            }
            CharItem::Lit(c) => {
                let row = if c.is_ascii() {
                    Some(*c as usize)
                } else {
                    others.binary_search(c).ok().map(|r| 128 + r)
                };
                if let Some(x) = row.and_then(|r| table.get_mut(r * words + w)) {
                    *x |= bit;
                }
            }
        }
    }
    let last_word = (k - 1) / 64;
    let last_bit = 1u64 << ((k - 1) % 64);
    let mut state = vec![0u64; words];
    for (i, c) in hay.char_indices() {
        let c = if ignore_case {
            c.to_ascii_lowercase()
        } else {
            c
        };
        let row = if c.is_ascii() {
            Some(c as usize)
        } else {
            others.binary_search(&c).ok().map(|r| 128 + r)
        };
        let mut carry = 1u64; // a new occurrence may start at every character
        for (w, s) in state.iter_mut().enumerate() {
            let lit = row
                .and_then(|r| table.get(r * words + w))
                .copied()
                .unwrap_or(0);
            let mask = lit | any.get(w).copied().unwrap_or(0);
            let next_carry = *s >> 63;
            *s = ((*s << 1) | carry) & mask;
            carry = next_carry;
        }
        if state.get(last_word).is_some_and(|s| s & last_bit != 0) {
            return Some(i + c.len_utf8());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wildcard::Pattern;

    fn g(p: &str, t: &str) -> bool {
        Pattern::compile(p).with_pat(|p| glob(p, t, false))
    }

    #[test]
    fn chunks_are_anchored_and_searched() {
        assert!(g("a*b*c", "a-b-c"));
        assert!(g("a*b*c", "abc"));
        assert!(!g("a*b*c", "ac"));
        assert!(!g("ab*ba", "aba")); // first and last chunk may not overlap
        assert!(g("*?x*", "\u{e9}x"));
        assert!(g("*a?c*", "zza\u{e9}cz"));
        assert!(!g("*a?c*", "zzacz"));
        assert!(g("?", "\u{1F600}"));
        assert!(!g("??", "\u{1F600}"));
    }

    #[test]
    fn long_searched_chunks_use_several_words() {
        let chunk = "a".repeat(100) + "?" + &"b".repeat(100);
        let text = "x".to_owned() + &"a".repeat(300) + "Z" + &"b".repeat(100) + "y";
        assert!(g(&format!("*{chunk}*"), &text));
        let short = text.replace('Z', "").replacen('b', "", 1);
        assert!(!g(&format!("*{chunk}*"), &short));
    }

    #[test]
    fn over_long_searched_chunks_match_nothing() {
        let chunk = "a".repeat(MAX_SEARCHED_CHUNK_CHARS) + "?";
        let p = Pattern::compile(&format!("*{chunk}*"));
        assert!(p.with_pat(|p| has_unsearchable_chunk(p, false)));
        assert!(!p.with_pat(|p| glob(p, &(chunk.clone() + "b"), false)));
        // literal chunks have no limit
        let lit = "a".repeat(MAX_SEARCHED_CHUNK_CHARS * 2);
        let p = Pattern::compile(&format!("*{lit}*"));
        assert!(!p.with_pat(|p| has_unsearchable_chunk(p, false)));
        assert!(p.with_pat(|p| glob(p, &format!("x{lit}y"), false)));
    }

    #[test]
    fn ignore_case_searches_fold_ascii() {
        let p = Pattern::compile("s3:*object*");
        assert!(p.with_pat(|p| glob(p, "S3:GetObjectAcl", true)));
        assert!(!p.with_pat(|p| glob(p, "S3:GetObjectAcl", false)));
    }
}
