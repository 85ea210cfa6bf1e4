//! Wildcard matching for actions, resources, `StringLike` and `ArnLike`.
//!
//! `*` matches any run of characters (including none) and `?` exactly one character
//! (IAM User Guide: "IAM JSON policy elements: Condition operators", string condition
//! operators; "IAM JSON policy elements: Action"; "IAM JSON policy elements: Resource").
//!
//! The matcher is the greedy two-pointer algorithm with star-restart: it remembers only
//! the most recent `*` and, on a mismatch, lets that star swallow one more character.
//! A later star makes earlier choices final, so there is no exponential backtracking:
//! the worst case is O(n·m) steps for text length n and pattern length m, and typical
//! policy patterns (`arn:aws:s3:::bucket/*`) run in O(n + m). Patterns are compiled once
//! (see [`Pattern`]) so that evaluation allocates nothing.

/// One element of a compiled pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatItem {
    /// A literal byte (UTF-8 sequences are matched byte by byte).
    Byte(u8),
    /// `*`: any run of characters.
    Star,
    /// `?`: exactly one character.
    AnyChar,
}

/// A compiled wildcard pattern.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pattern {
    items: Vec<PatItem>,
    /// The literal bytes before the first wildcard, for a fast memcmp reject.
    prefix: Vec<u8>,
    /// Has a `?` or a `*` that is not at the end of an ARN segment (see
    /// [`Pattern::matches_resource`]).
    restricted: bool,
    /// The first (up to) eight prefix bytes as a word, and the mask of valid bytes.
    head: u64,
    head_mask: u64,
}

impl Pattern {
    /// Compiles `text`, with `*` and `?` as wildcards.
    pub fn compile(text: &str) -> Self {
        let mut p = Pattern::default();
        p.push_wild(text);
        p
    }

    /// A pattern that matches `text` exactly (no wildcards).
    pub fn literal(text: &str) -> Self {
        let mut p = Pattern::default();
        p.push_literal(text);
        p
    }

    /// Appends text whose `*` and `?` are wildcards.
    pub fn push_wild(&mut self, text: &str) {
        self.items.extend(text.bytes().map(|b| match b {
            b'*' => PatItem::Star,
            b'?' => PatItem::AnyChar,
            b => PatItem::Byte(b),
        }));
        self.update_prefix();
    }

    fn update_prefix(&mut self) {
        let items = self.items.as_slice();
        self.restricted = items.iter().enumerate().any(|(i, it)| {
            *it == PatItem::AnyChar
                || (*it == PatItem::Star
                    && !matches!(items.get(i + 1), None | Some(PatItem::Byte(b':'))))
        });
        if self.prefix.len() == self.items.len() {
            self.update_head();
            return;
        }
        let start = self.prefix.len();
        for item in self.items.get(start..).unwrap_or(&[]) {
            match item {
                PatItem::Byte(b) => self.prefix.push(*b),
                _ => break,
            }
        }
        self.update_head();
    }

    fn update_head(&mut self) {
        let n = self.prefix.len().min(8);
        self.head = word(self.prefix.get(..n).unwrap_or(&[]));
        self.head_mask = if n == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * n)) - 1
        };
    }

    /// Quick case-insensitive reject using a text's [`head_word`], computed once per
    /// text: `true` means "cannot match"; `false` means "run the full match".
    #[inline]
    pub fn rejects_head_ignore_case(&self, text_head: u64) -> bool {
        ((text_head | FOLD) ^ (self.head | FOLD)) & self.head_mask != 0
    }

    /// True when the pattern has no wildcard at all.
    fn is_literal(&self) -> bool {
        self.prefix.len() == self.items.len()
    }

    /// Fast check of the literal prefix; `Some(result)` when that alone decides.
    fn prefix_check(&self, text: &[u8], ignore_case: bool) -> Option<bool> {
        let p = self.prefix.as_slice();
        let Some(head) = text.get(..p.len()) else {
            return Some(false);
        };
        // Cheap pre-filter on the first eight bytes as one word. With `| 0x20` ASCII
        // letters compare case-insensitively; other bytes may collide, which only means
        // the exact comparison below runs.
        let fold = if ignore_case {
            0x2020_2020_2020_2020u64
        } else {
            0
        };
        let t = match text.get(..8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])),
            None => word(text),
        };
        if ((t | fold) ^ (self.head | fold)) & self.head_mask != 0 {
            return Some(false);
        }
        let same = if ignore_case {
            head.eq_ignore_ascii_case(p)
        } else {
            head == p
        };
        if !same {
            return Some(false);
        }
        self.is_literal().then_some(text.len() == p.len())
    }

    /// Appends text that matches literally (e.g. a substituted policy variable).
    pub fn push_literal(&mut self, text: &str) {
        self.items.extend(text.bytes().map(PatItem::Byte));
        self.update_prefix();
    }

    /// Removes every item, keeping the allocation (for reuse while resolving variables).
    pub fn clear(&mut self) {
        self.items.clear();
        self.prefix.clear();
        self.restricted = false;
        self.head = 0;
        self.head_mask = 0;
    }

    /// The compiled items.
    pub fn items(&self) -> &[PatItem] {
        &self.items
    }

    /// True when the pattern is exactly `*`.
    pub fn is_match_all(&self) -> bool {
        self.items.iter().all(|i| *i == PatItem::Star) && !self.items.is_empty()
    }

    /// Case-sensitive match of the whole `text`.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_bytes(text.as_bytes(), false)
    }

    fn matches_bytes(&self, text: &[u8], ignore_case: bool) -> bool {
        if let Some(decided) = self.prefix_check(text, ignore_case) {
            return decided;
        }
        let n = self.prefix.len();
        match (self.items.get(n..), text.get(n..)) {
            (Some(items), Some(rest)) => match_items(items, rest, ignore_case),
            _ => false,
        }
    }

    /// Match ignoring ASCII case (action names).
    pub fn matches_ignore_ascii_case(&self, text: &str) -> bool {
        self.matches_bytes(text.as_bytes(), true)
    }

    /// Matches an ARN segment by segment: the pattern and the ARN are split at their
    /// first five colons, and each of the six parts must match on its own, so a wildcard
    /// never crosses a colon that separates ARN fields (IAM User Guide: "IAM JSON policy
    /// elements: Condition operators", ARN condition operators; "IAM JSON policy
    /// elements: Resource"). The resource part may itself contain colons.
    /// A pattern of exactly `*` matches anything.
    pub fn matches_arn(&self, arn: &str, ignore_case: bool) -> bool {
        if self.is_match_all() {
            return true;
        }
        let mut pat_rest: &[PatItem] = &self.items;
        let mut arn_rest: &[u8] = arn.as_bytes();
        for _ in 0..5 {
            let Some(pi) = pat_rest.iter().position(|i| *i == PatItem::Byte(b':')) else {
                return false;
            };
            let Some(ai) = arn_rest.iter().position(|b| *b == b':') else {
                return false;
            };
            let (Some(pseg), Some(aseg)) = (pat_rest.get(..pi), arn_rest.get(..ai)) else {
                return false;
            };
            if !match_items(pseg, aseg, ignore_case) {
                return false;
            }
            pat_rest = pat_rest.get(pi + 1..).unwrap_or(&[]);
            arn_rest = arn_rest.get(ai + 1..).unwrap_or(&[]);
        }
        match_items(pat_rest, arn_rest, ignore_case)
    }
}

impl Pattern {
    /// Matches a `Resource` / `NotResource` value against the request's resource ARN
    /// (IAM User Guide: "IAM JSON policy elements: Resource", using wildcards in
    /// resource ARNs): wildcards work within the colon-separated segments, except that a
    /// `*` that is the last character of a segment may expand beyond the colons (so
    /// `arn:aws:sqs:*` covers every queue). `?` never matches a colon. Case-sensitive.
    pub fn matches_resource(&self, arn: &str) -> bool {
        if self.is_match_all() {
            return true;
        }
        // the literal prefix never contains a wildcard, so it must match byte for byte
        if let Some(decided) = self.prefix_check(arn.as_bytes(), false) {
            return decided;
        }
        let items = self.items.as_slice();
        let bound_star = |i: usize| {
            items.get(i) == Some(&PatItem::Star)
                && !matches!(items.get(i + 1), None | Some(PatItem::Byte(b':')))
        };
        if !self.restricted {
            // every star may cross colons: plain matching is exact
            return self.matches_bytes(arn.as_bytes(), false);
        }
        if items.len() >= 127 || !arn.is_ascii() {
            return self.matches_arn(arn, false);
        }
        // Bit-parallel NFA over pattern positions: O(n·m) with m < 127, no backtracking.
        let m = items.len();
        let closure = |mut set: u128| {
            for (i, it) in items.iter().enumerate() {
                if *it == PatItem::Star && set & (1u128 << i) != 0 {
                    set |= 1u128 << (i + 1);
                }
            }
            set
        };
        let mut states = closure(1);
        for &b in arn.as_bytes() {
            let mut next = 0u128;
            for (i, it) in items.iter().enumerate() {
                if states & (1u128 << i) == 0 {
                    continue;
                }
                match it {
                    PatItem::Byte(x) if *x == b => next |= 1u128 << (i + 1),
                    PatItem::AnyChar if b != b':' => next |= 1u128 << (i + 1),
                    PatItem::Star if b != b':' || !bound_star(i) => next |= 1u128 << i,
                    _ => {}
                }
            }
            states = closure(next);
            if states == 0 {
                return false;
            }
        }
        states & (1u128 << m) != 0
    }
}

/// ORed into a word, folds ASCII letters to lowercase (other bytes may collide; that
/// only costs a full comparison).
const FOLD: u64 = 0x2020_2020_2020_2020;

/// The first eight bytes of `text` as a word, for [`Pattern::rejects_head_ignore_case`].
pub fn head_word(text: &str) -> u64 {
    word(text.as_bytes().get(..8).unwrap_or(text.as_bytes()))
}

/// Up to eight bytes as one little-endian word (missing bytes are zero).
fn word(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    for (d, s) in buf.iter_mut().zip(bytes) {
        *d = *s;
    }
    u64::from_le_bytes(buf)
}

/// Length of the UTF-8 character starting with byte `b` (1 for continuation bytes, so
/// that progress is always made).
fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The greedy matcher over compiled items. See the module docs for the bound.
pub fn match_items(pat: &[PatItem], text: &[u8], ignore_case: bool) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    // (index of the item after the last star, text index where that star's match ends)
    let mut restart: Option<(usize, usize)> = None;
    while let Some(&tb) = text.get(t) {
        match pat.get(p) {
            Some(PatItem::Star) => {
                p += 1;
                if p == pat.len() {
                    return true; // a trailing star takes the rest
                }
                restart = Some((p, t));
                continue;
            }
            Some(PatItem::AnyChar) => {
                p += 1;
                t += char_len(tb);
                continue;
            }
            Some(PatItem::Byte(b)) if *b == tb || (ignore_case && b.eq_ignore_ascii_case(&tb)) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        // mismatch: let the last star swallow one more character, or fail
        let Some((sp, st)) = restart else {
            return false;
        };
        let next = st + text.get(st).map_or(1, |b| char_len(*b));
        restart = Some((sp, next));
        p = sp;
        t = next;
    }
    if t > text.len() {
        return false; // `?` over a truncated UTF-8 sequence
    }
    pat.get(p..)
        .is_some_and(|rest| rest.iter().all(|i| *i == PatItem::Star))
}

/// Convenience: does `pattern` (with `*`/`?`) match `text`?
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p = Pattern::compile(pattern);
    match_items(p.items(), text.as_bytes(), ignore_case)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Obviously-correct exponential reference over chars.
    fn reference(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|i| reference(rest, &t[i..])),
            Some(('?', rest)) => !t.is_empty() && reference(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && reference(rest, &t[1..]),
        }
    }

    #[test]
    fn basics() {
        // IAM User Guide: "IAM JSON policy elements: Action" (wildcards, case-insensitive)
        assert!(wildcard_match(
            "sagemaker:Describe*",
            "sagemaker:describetrainingjob",
            true
        ));
        assert!(!wildcard_match(
            "sagemaker:Describe*",
            "sagemaker:describetrainingjob",
            false
        ));
        assert!(wildcard_match("s3:?etObject", "s3:GetObject", false));
        assert!(wildcard_match("*", "", false));
        assert!(!wildcard_match("?", "", false));
        assert!(wildcard_match("a?c", "a\u{e9}c", false));
        assert!(wildcard_match("*b", "aaab", false));
    }

    #[test]
    fn arn_segments_do_not_let_wildcards_cross_colons() {
        // IAM User Guide: "IAM JSON policy elements: Condition operators" (ARN operators)
        let p = Pattern::compile("arn:aws:iam::*:role/x");
        assert!(p.matches_arn("arn:aws:iam::111122223333:role/x", false));
        let p = Pattern::compile("arn:aws:s3:::bucket/*");
        assert!(p.matches_arn("arn:aws:s3:::bucket/a:b/c", false));
        let p = Pattern::compile("arn:aws:*");
        assert!(!p.matches_arn("arn:aws:s3:::bucket", false));
        let p = Pattern::compile("arn:*:s3:::*");
        assert!(p.matches_arn("arn:aws-cn:s3:::bucket", false));
    }

    // IAM User Guide: "IAM JSON policy elements: Resource" (wildcards in resource ARNs)
    #[test]
    fn resource_stars_at_segment_ends_cross_colons() {
        assert!(Pattern::compile("arn:aws:sqs:*")
            .matches_resource("arn:aws:sqs:us-east-2:111122223333:queue1"));
        assert!(Pattern::compile("arn:aws:sqs:us-east-2:*:queue1")
            .matches_resource("arn:aws:sqs:us-east-2:444455556666:queue1"));
        // a star inside a segment stays inside it
        assert!(
            !Pattern::compile("arn:aws:iam::*1:role/x").matches_resource("arn:aws:iam::2:1:role/x")
        );
        assert!(
            Pattern::compile("arn:aws:iam::*1:role/x").matches_resource("arn:aws:iam::21:role/x")
        );
        assert!(!Pattern::compile("arn:aws:s?s:::b").matches_resource("arn:aws:s:s:::b"));
        assert!(Pattern::compile("arn:aws:s3:::b/*/x").matches_resource("arn:aws:s3:::b/a/b/x"));
        assert!(!Pattern::compile("arn:aws:s3:::b").matches_resource("arn:aws:s3:::b/k"));
    }

    #[test]
    fn no_blow_up_on_adversarial_patterns() {
        let pat = "*a".repeat(200) + "b";
        let text = "a".repeat(5000);
        let start = std::time::Instant::now();
        assert!(!wildcard_match(&pat, &text, false));
        assert!(start.elapsed().as_secs() < 2);
    }

    proptest! {
        #[test]
        fn agrees_with_reference(p in "[ab*?]{0,8}", t in "[ab]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(wildcard_match(&p, &t, false), reference(&pc, &tc));
        }

        #[test]
        fn agrees_with_reference_on_unicode(p in "[a\u{e9}*?]{0,6}", t in "[a\u{e9}]{0,8}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(wildcard_match(&p, &t, false), reference(&pc, &tc));
        }

        #[test]
        fn literal_patterns_match_only_themselves(a in "[a-z*?]{0,8}", b in "[a-z*?]{0,8}") {
            prop_assert_eq!(Pattern::literal(&a).matches(&b), a == b);
        }

        // Resource matching without colons is plain wildcard matching.
        #[test]
        fn resource_matching_without_colons_is_plain(p in "[ab*?]{0,8}", t in "[ab]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(Pattern::compile(&p).matches_resource(&t), reference(&pc, &tc));
        }
    }
}
