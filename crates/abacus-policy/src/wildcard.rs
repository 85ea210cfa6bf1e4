//! Wildcard matching for actions, resources, `StringLike` and `ArnLike`.
//!
//! `*` matches any run of characters (including none, and including colons) and `?`
//! exactly one character (IAM User Guide: "IAM JSON policy elements: Condition
//! operators", string condition operators; "IAM JSON policy elements: Action"; "IAM JSON
//! policy elements: Resource"). One matcher ([`glob`]) applies that rule to every
//! pattern, whatever its length or text, in time linear in the text and the pattern.
//!
//! ARNs (`Resource`, `NotResource`, `ArnLike`) are compared in six parts: the first five
//! colon-separated fields (`arn`, partition, service, region, account) field by field,
//! then the resource part as a whole, where wildcards match colons like any other
//! character (`log-group:*` covers log streams; S3 keys may hold colons).
//! Patterns are compiled once (see [`Pattern`]); matching allocates only to search a
//! `?` chunk between two stars.

mod glob;

use glob::Pat;
pub use glob::MAX_SEARCHED_CHUNK_CHARS;

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

impl PatItem {
    /// The item of byte `b` of text whose `*` and `?` are wildcards.
    #[inline]
    fn of_wild(b: u8) -> Self {
        match b {
            b'*' => PatItem::Star,
            b'?' => PatItem::AnyChar,
            b => PatItem::Byte(b),
        }
    }
}

/// A compiled wildcard pattern.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pattern {
    /// One item per byte of `raw` when the pattern is longer than its prefix and one
    /// wildcard ([`spelled_out`]); else empty, and the items are those `raw` spells: literal
    /// bytes up to `prefix_len`, then at most one wildcard (its byte `*` or `?`). Most
    /// patterns (`s3:GetObject`, `arn:aws:s3:::bucket/*`) are of that shape: they are
    /// compared by their prefix alone and need no items.
    items: Vec<PatItem>,
    /// The pattern's bytes (`*` or `?` for a wildcard), for substring search.
    raw: String,
    /// How many bytes of `raw` are literal before the first wildcard (the prefix a text
    /// must begin with, compared before anything else). The prefix is always the start of
    /// `raw`: both grow by the same bytes until the first wildcard.
    prefix_len: usize,
    /// The first (up to) sixteen prefix bytes as a word, and the mask of valid bytes.
    /// Sixteen, not eight: actions of one service share their first eight bytes
    /// (`sagemake`), and the bytes after the service name are what tell them apart.
    head: u128,
    head_mask: u128,
    /// Colons in `prefix`: with five or more, the five ARN fields are literal (see
    /// [`Pattern::matches_resource`]).
    prefix_colons: usize,
    /// True when the pattern is one or more `*` and nothing else: it matches anything.
    only_stars: bool,
}

impl Pattern {
    /// Compiles `text`, with `*` and `?` as wildcards.
    pub fn compile(text: &str) -> Self {
        let mut p = Pattern::default();
        p.push_wild(text);
        p
    }

    /// [`Pattern::compile`] of `text` folded to ASCII lowercase (an action pattern), without
    /// a folded copy of the text. (Not [`Pattern::push_wild`] with a byte map: that costs
    /// `push_wild` its plain copy, 2% of reading a case file.)
    pub fn compile_lowercase(text: &str) -> Self {
        let raw = text.to_ascii_lowercase();
        let run = memchr::memchr2(b'*', b'?', raw.as_bytes()).unwrap_or(raw.len());
        let mut p = Pattern {
            items: if spelled_out(raw.len(), run) {
                raw.bytes().map(PatItem::of_wild).collect()
            } else {
                Vec::new()
            },
            only_stars: !raw.is_empty() && raw.bytes().all(|b| b == b'*'),
            ..Pattern::default()
        };
        p.raw = raw;
        p.extend_prefix(run);
        p
    }

    /// A pattern that matches `text` exactly (no wildcards).
    pub fn literal(text: &str) -> Self {
        let mut p = Pattern::default();
        p.push_literal(text);
        p
    }

    /// Appends text whose `*` and `?` are wildcards. Costs O(`text`), whatever the
    /// pattern's length so far.
    pub fn push_wild(&mut self, text: &str) {
        let literal_so_far = self.is_literal();
        self.only_stars = (self.raw.is_empty() || self.only_stars)
            && text.bytes().all(|b| b == b'*')
            && !(self.raw.is_empty() && text.is_empty());
        let run = if literal_so_far {
            memchr::memchr2(b'*', b'?', text.as_bytes()).unwrap_or(text.len())
        } else {
            0
        };
        if self.spell_out_for(text.len(), run) {
            self.items.extend(text.bytes().map(PatItem::of_wild));
        }
        self.raw.push_str(text);
        if literal_so_far {
            self.extend_prefix(run);
        }
    }

    /// Before `more` bytes are added, `literal` of them to the prefix: spells the items out
    /// when the pattern then leaves the shape `items` can be left out for (see there), and
    /// says whether the added bytes' items are to be kept.
    fn spell_out_for(&mut self, more: usize, literal: usize) -> bool {
        let then = spelled_out(self.raw.len() + more, self.prefix_len + literal);
        if then && !self.explicit() {
            self.items = self.spelled_items();
        }
        then
    }

    /// True when `items` is spelled out (see there).
    fn explicit(&self) -> bool {
        spelled_out(self.raw.len(), self.prefix_len)
    }

    /// The items, spelled out from `raw` for a pattern that leaves them out.
    fn spelled_items(&self) -> Vec<PatItem> {
        let mut items: Vec<PatItem> = self.prefix().iter().map(|&b| PatItem::Byte(b)).collect();
        if let Some(&wild) = self.raw.as_bytes().get(self.prefix_len) {
            items.push(PatItem::of_wild(wild));
        }
        items
    }

    /// True when `text` holds a wildcard, `*` or `?`: a short text (a service name) by a
    /// plain loop, a longer one (an ARN) by a vector search, each the cheaper there.
    pub fn has_wildcard(text: &str) -> bool {
        if text.len() < 16 {
            text.bytes().any(|b| b == b'*' || b == b'?')
        } else {
            memchr::memchr2(b'*', b'?', text.as_bytes()).is_some()
        }
    }

    /// Appends text that matches literally (e.g. a substituted policy variable).
    pub fn push_literal(&mut self, text: &str) {
        let literal_so_far = self.is_literal();
        self.only_stars &= text.is_empty();
        let literal = if literal_so_far { text.len() } else { 0 };
        if self.spell_out_for(text.len(), literal) {
            self.items.extend(text.bytes().map(PatItem::Byte));
        }
        self.raw.push_str(text);
        if literal_so_far {
            self.extend_prefix(text.len());
        }
    }

    /// Takes the next `more` bytes of `raw` (just appended to it, before any wildcard) into
    /// the literal prefix.
    fn extend_prefix(&mut self, more: usize) {
        let (from, to) = (self.prefix_len, self.prefix_len + more);
        let added = self.raw.as_bytes().get(from..to).unwrap_or(&[]);
        self.prefix_colons += added.iter().filter(|b| **b == b':').count();
        self.prefix_len = to;
        if from >= HEAD_BYTES {
            return;
        }
        let n = to.min(HEAD_BYTES);
        self.head = word(self.raw.as_bytes().get(..n).unwrap_or(&[]));
        self.head_mask = u128::MAX
            .checked_shr(8 * (HEAD_BYTES - n) as u32)
            .unwrap_or(0);
    }

    /// The literal bytes before the first wildcard.
    fn prefix(&self) -> &[u8] {
        self.raw.as_bytes().get(..self.prefix_len).unwrap_or(&[])
    }

    /// Quick case-insensitive reject using a text's [`head_word`], computed once per
    /// text: `true` means "cannot match"; `false` means "run the full match".
    #[inline]
    pub fn rejects_head_ignore_case(&self, text_head: u128) -> bool {
        ((text_head | FOLD) ^ (self.head | FOLD)) & self.head_mask != 0
    }

    /// True when the pattern has no wildcard at all.
    fn is_literal(&self) -> bool {
        self.prefix_len == self.raw.len()
    }

    /// True when the pattern is its literal prefix and one final `*` (`s3:Get*`,
    /// `arn:aws:s3:::bucket/*`, or `*` itself): whatever follows the prefix matches.
    fn is_prefix_then_star(&self) -> bool {
        // (the byte after the prefix is a wildcard, as the prefix ends at the first one; a
        // pattern of this shape keeps no items)
        self.raw.len() == self.prefix_len + 1 && self.raw.ends_with('*')
    }

    /// Removes every item, keeping the allocation (for reuse while resolving variables).
    pub fn clear(&mut self) {
        self.items.clear();
        self.raw.clear();
        self.prefix_len = 0;
        self.head = 0;
        self.head_mask = 0;
        self.prefix_colons = 0;
        self.only_stars = false;
    }

    /// `f` of the pattern's items and bytes (spelled out for the call when the pattern
    /// leaves its items out: only a final `?` and the ARN comparison of a pattern with
    /// fewer than five literal colons need them).
    fn with_pat<R>(&self, f: impl FnOnce(Pat<'_>) -> R) -> R {
        if self.explicit() {
            return f(Pat {
                items: &self.items,
                raw: self.raw.as_bytes(),
            });
        }
        let items = self.spelled_items();
        f(Pat {
            items: &items,
            raw: self.raw.as_bytes(),
        })
    }

    /// The pattern's text, wildcards as `*` and `?` (a literal `*` or `?` looks the same).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// True when the pattern is exactly `*`.
    pub fn is_match_all(&self) -> bool {
        self.only_stars
    }

    /// True when a run between two `*` is too long to search (more than
    /// [`MAX_SEARCHED_CHUNK_CHARS`] characters with a `?`, or with case ignored): such a
    /// pattern matches nothing, and the validator reports it.
    pub fn is_too_long_to_search(&self, ignore_case: bool) -> bool {
        // (only a pattern with two stars has a chunk between them to search)
        self.explicit() && self.with_pat(|pat| glob::has_unsearchable_chunk(pat, ignore_case))
    }

    /// Case-sensitive match of the whole `text`.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_text(text, false)
    }

    /// Match ignoring ASCII case (action names).
    pub fn matches_ignore_ascii_case(&self, text: &str) -> bool {
        self.matches_text(text, true)
    }

    fn matches_text(&self, text: &str, ignore_case: bool) -> bool {
        if self.only_stars {
            return true;
        }
        let bytes = text.as_bytes();
        let p = self.prefix();
        let Some(head) = bytes.get(..p.len()) else {
            return false;
        };
        let same = if ignore_case {
            head.eq_ignore_ascii_case(p)
        } else {
            head == p
        };
        if !same {
            return false;
        }
        if self.is_literal() {
            return bytes.len() == p.len();
        }
        if self.is_prefix_then_star() {
            return true;
        }
        self.glob(text, ignore_case)
    }

    /// The whole glob of `text` (out of line: the prefix decides most comparisons, and the
    /// comparisons that call this stay small enough to inline).
    #[inline(never)]
    fn glob(&self, text: &str, ignore_case: bool) -> bool {
        self.with_pat(|pat| glob::glob(pat, text, ignore_case))
    }

    /// [`Pattern::matches_ignore_ascii_case`] for a pattern compiled from lowercase text
    /// (as action patterns are), given `text` already folded to lowercase (`lower`): the
    /// literal parts compare as plain bytes. The action of a decision is folded once and
    /// compared with every action pattern.
    pub(crate) fn matches_folded(&self, text: &str, lower: &[u8]) -> bool {
        debug_assert!(
            !self.raw.bytes().any(|b| b.is_ascii_uppercase()),
            "matches_folded needs a pattern compiled from lowercase text"
        );
        if self.only_stars {
            return true;
        }
        let p = self.prefix();
        if self.is_literal() {
            return lower == p;
        }
        if lower.get(..p.len()) != Some(p) {
            return false;
        }
        self.is_prefix_then_star() || self.glob(text, true)
    }

    /// `ArnLike` / `ArnNotLike`: each of the six colon-separated parts of the ARN is
    /// compared on its own (IAM User Guide: "IAM JSON policy elements: Condition
    /// operators", ARN condition operators): the pattern and the ARN are split at their
    /// first five colons, the five fields must match field by field, and the resource
    /// part (which may hold colons) as a whole. A pattern with fewer than five colons
    /// matches nothing, except `*`, which matches anything.
    pub fn matches_arn(&self, arn: &str, ignore_case: bool) -> bool {
        self.matches_arn_parts(arn, ignore_case, false)
    }

    /// `Resource` / `NotResource` against the request's resource ARN (IAM User Guide:
    /// "IAM JSON policy elements: Resource", using wildcards in resource ARNs): the same
    /// six-part comparison as [`Pattern::matches_arn`], case-sensitive, plus the page's
    /// short form: when the pattern has fewer than five colons and ends with `*`, that
    /// `*` expands beyond the colons (`arn:aws:sqs:*` covers every queue). `*` matches
    /// anything; a resource that is not an ARN is compared with a pattern of as many
    /// colons as a whole.
    pub fn matches_resource(&self, arn: &str) -> bool {
        self.matches_arn_parts(arn, false, true)
    }

    fn matches_arn_parts(&self, arn: &str, ignore_case: bool, short_form: bool) -> bool {
        if self.is_match_all() {
            return true;
        }
        if self.prefix_colons >= 5 {
            // The five fields before the resource part are literal: the ARN must begin
            // with them, colons included, and then the resource part is matched as a
            // whole, which is exactly matching the whole text.
            return self.matches_text(arn, ignore_case);
        }
        self.arn_fields(arn, ignore_case, short_form)
    }

    /// [`Pattern::matches_arn_parts`] field by field (out of line, as [`Pattern::glob`]).
    #[inline(never)]
    fn arn_fields(&self, arn: &str, ignore_case: bool, short_form: bool) -> bool {
        self.with_pat(|pat| Self::arn_parts_match(pat, arn, ignore_case, short_form))
    }

    /// [`Pattern::arn_fields`] on the pattern's items.
    fn arn_parts_match(pat: Pat<'_>, arn: &str, ignore_case: bool, short_form: bool) -> bool {
        let mut p_start = 0usize;
        let mut a_rest = arn;
        for _ in 0..5 {
            let Some(pi) = pat
                .items
                .get(p_start..)
                .and_then(|r| r.iter().position(|i| *i == PatItem::Byte(b':')))
            else {
                // fewer than five colons in the pattern: only the Resource short form,
                // where a final `*` takes the remaining fields (a resource that is not
                // an ARN, without colons, is compared as a whole)
                let last = pat.sub(p_start, pat.items.len());
                let takes_rest = last.items.last() == Some(&PatItem::Star) || !a_rest.contains(':');
                return short_form && takes_rest && glob::glob(last, a_rest, ignore_case);
            };
            let Some((field, rest)) = a_rest.split_once(':') else {
                return false;
            };
            if !glob::glob(pat.sub(p_start, p_start + pi), field, ignore_case) {
                return false;
            }
            p_start += pi + 1;
            a_rest = rest;
        }
        glob::glob(pat.sub(p_start, pat.items.len()), a_rest, ignore_case)
    }
}

/// True when a pattern of `len` bytes, the first `prefix_len` of them literal, keeps its
/// items (see `Pattern::items`): it is longer than its prefix and one wildcard.
fn spelled_out(len: usize, prefix_len: usize) -> bool {
    len > prefix_len + 1
}

/// How many leading bytes [`head_word`] keeps.
const HEAD_BYTES: usize = 16;

/// ORed into a word, folds ASCII letters to lowercase (other bytes may collide; that
/// only costs a full comparison).
const FOLD: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;

/// The first sixteen bytes of `text` as a word, for [`Pattern::rejects_head_ignore_case`].
pub fn head_word(text: &str) -> u128 {
    word(text.as_bytes().get(..HEAD_BYTES).unwrap_or(text.as_bytes()))
}

/// Up to sixteen bytes as one little-endian word (missing bytes are zero).
fn word(bytes: &[u8]) -> u128 {
    let mut buf = [0u8; HEAD_BYTES];
    for (d, s) in buf.iter_mut().zip(bytes) {
        *d = *s;
    }
    u128::from_le_bytes(buf)
}

/// Convenience: does `pattern` (with `*`/`?`) match `text`?
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    Pattern::compile(pattern).matches_text(text, ignore_case)
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

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// Naive six-part ARN rule: five fields one by one, then the rest as a whole; for
    /// resources, a pattern with fewer than five colons ending in `*` takes the rest.
    fn arn_reference(p: &str, t: &str, short_form: bool) -> bool {
        if !p.is_empty() && p.chars().all(|c| c == '*') {
            return true;
        }
        let ps: Vec<&str> = p.splitn(6, ':').collect();
        let ts: Vec<&str> = t.splitn(6, ':').collect();
        if ps.len() < 6 {
            let n = ps.len() - 1;
            let rest = t.splitn(n + 1, ':').nth(n);
            return short_form
                && (p.ends_with('*') || ts.len() == n + 1)
                && ts.len() > n
                && ps
                    .iter()
                    .zip(&ts)
                    .take(n)
                    .all(|(a, b)| reference(&chars(a), &chars(b)))
                && rest.is_some_and(|r| reference(&chars(ps[n]), &chars(r)));
        }
        ts.len() == 6
            && ps
                .iter()
                .zip(&ts)
                .all(|(a, b)| reference(&chars(a), &chars(b)))
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

    // IAM User Guide: "IAM JSON policy elements: Resource": wildcards work within the
    // resource part, which may itself contain colons
    #[test]
    fn resource_wildcards_cross_colons_in_the_resource_part() {
        let r = |p: &str, t: &str| Pattern::compile(p).matches_resource(t);
        assert!(r("arn:aws:s3:::b/secret/*b", "arn:aws:s3:::b/secret/a:b"));
        assert!(r("arn:aws:s3:::b/*.csv", "arn:aws:s3:::b/a:b.csv"));
        assert!(r("arn:aws:s3:::b/a?x", "arn:aws:s3:::b/a:x"));
        assert!(r(
            "arn:aws:logs:us-east-1:111122223333:log-group:*",
            "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s"
        ));
        // but not across the five fields before it
        assert!(!r("arn:aws:s3:::b/a?x", "arn:aws:s3::::b/ax"));
        assert!(!r("arn:aws:iam::*:role/x", "arn:aws:iam::1:2:role/x"));
        // ArnLike applies the same rule
        assert!(Pattern::compile("arn:aws:s3:::b/secret/*b")
            .matches_arn("arn:aws:s3:::b/secret/a:b", false));
        assert!(Pattern::compile("arn:aws:s3:::b/a?x").matches_arn("arn:aws:s3:::b/a:x", false));
    }

    #[test]
    fn the_rule_does_not_depend_on_length_or_text() {
        // once, 127+ items and non-ASCII text took another path with another rule
        let long = format!("arn:aws:s3:::b/{}/*b", "d".repeat(200));
        let text = format!("arn:aws:s3:::b/{}/a:b", "d".repeat(200));
        assert!(Pattern::compile(&long).matches_resource(&text));
        assert!(!Pattern::compile(&long).matches_resource(&text.replace("a:b", "a:c")));
        assert!(Pattern::compile("arn:aws:s3:::b/\u{e9}t\u{e9}/*b")
            .matches_resource("arn:aws:s3:::b/\u{e9}t\u{e9}/a:b"));
        assert!(!Pattern::compile("arn:aws:s3:::b/\u{e9}t\u{e9}/?b")
            .matches_resource("arn:aws:s3:::b/\u{e9}t\u{e9}/b"));
        // `?` is one character, however many bytes it takes
        assert!(
            Pattern::compile("arn:aws:s3:::b/?.txt").matches_resource("arn:aws:s3:::b/\u{e9}.txt")
        );
        assert!(Pattern::compile("arn:aws:s3:::b/?.txt")
            .matches_resource("arn:aws:s3:::b/\u{1F600}.txt"));
        assert!(!Pattern::compile("arn:aws:s3:::b/??.txt")
            .matches_resource("arn:aws:s3:::b/\u{1F600}.txt"));
    }

    #[test]
    fn hostile_resource_is_matched_in_one_pass() {
        // was 42 s: `arn:aws:s3:::my-bucket/*` + `a`×100K + `b` against 450K characters
        let pattern = format!("arn:aws:s3:::my-bucket/*{}b", "a".repeat(100_000));
        let text = format!("arn:aws:s3:::my-bucket/{}", "a".repeat(450_000));
        assert!(!Pattern::compile(&pattern).matches_resource(&text));
        assert!(Pattern::compile(&pattern).matches_resource(&(text.clone() + "b")));
        let pattern = format!("*{}?b*", "a".repeat(60));
        assert!(!Pattern::compile(&pattern).matches(&"a".repeat(450_000)));
        let pattern = format!("*a*{}?b*", "a".repeat(3000));
        assert!(!Pattern::compile(&pattern).matches(&"a".repeat(450_000)));
    }

    #[test]
    fn no_blow_up_on_adversarial_patterns() {
        let pat = "*a".repeat(200) + "b";
        let text = "a".repeat(5000);
        assert!(!wildcard_match(&pat, &text, false));
    }

    proptest! {
        #[test]
        fn has_wildcard_is_a_search_for_star_or_question_mark(t in "[a:*?/]{0,40}") {
            prop_assert_eq!(Pattern::has_wildcard(&t), t.contains(['*', '?']));
        }

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

        // a pattern built piece by piece, with wildcards and with literal `*` and `?` (a
        // substituted variable), leaves its items out exactly when its bytes spell them,
        // and matches as a pattern with all of them would (the reference, literal bytes
        // standing for themselves)
        #[test]
        fn items_left_out_are_the_items_the_bytes_spell(
            pieces in proptest::collection::vec(("[ab:*?]{0,4}", any::<bool>()), 0..5),
            t in "[ab:*?]{0,8}",
        ) {
            let mut p = Pattern::default();
            let mut items = Vec::new();
            for (text, wild) in &pieces {
                if *wild {
                    p.push_wild(text);
                    items.extend(text.bytes().map(PatItem::of_wild));
                } else {
                    p.push_literal(text);
                    items.extend(text.bytes().map(PatItem::Byte));
                }
            }
            prop_assert_eq!(p.with_pat(|pat| pat.items.to_vec()), items.clone());
            let wild_items = items.iter().filter(|i| !matches!(i, PatItem::Byte(_))).count();
            let prefix = items.iter().position(|i| !matches!(i, PatItem::Byte(_))).unwrap_or(items.len());
            prop_assert_eq!(p.explicit(), items.len() > prefix + 1);
            prop_assert_eq!(p.is_literal(), wild_items == 0);
            prop_assert_eq!(
                p.is_prefix_then_star(),
                prefix + 1 == items.len() && items.last() == Some(&PatItem::Star)
            );
            // the reference with literal `*` and `?` as other characters
            let as_chars = |it: &PatItem| match it {
                PatItem::Star => '*',
                PatItem::AnyChar => '?',
                PatItem::Byte(b'*') => 'S',
                PatItem::Byte(b'?') => 'Q',
                PatItem::Byte(b) => char::from(*b),
            };
            let pc: Vec<char> = items.iter().map(as_chars).collect();
            let tc: Vec<char> = t.chars().map(|c| match c { '*' => 'S', '?' => 'Q', c => c }).collect();
            prop_assert_eq!(p.matches(&t), reference(&pc, &tc));
            let arn = format!("arn:aws:s3:::{t}");
            let mut q = Pattern::compile("arn:aws:s3:::");
            for (text, wild) in &pieces {
                if *wild { q.push_wild(text) } else { q.push_literal(text) }
            }
            prop_assert_eq!(q.matches_resource(&arn), p.matches(&t));
        }

        // a pattern compiled from lowercase text, given the text folded as well, matches
        // exactly as when it ignores case
        #[test]
        fn folded_matching_ignores_case(p in "[aB:\u{e9}*?]{0,8}", t in "[aAbB:\u{e9}\u{c9}]{0,10}") {
            let pat = Pattern::compile(&p.to_ascii_lowercase());
            let lower = t.to_ascii_lowercase();
            prop_assert_eq!(
                pat.matches_folded(&t, lower.as_bytes()),
                pat.matches_ignore_ascii_case(&t)
            );
        }

        #[test]
        fn compiling_lowercase_is_compiling_the_folded_text(p in "[aB:\u{e9}\u{c9}*?]{0,8}") {
            prop_assert_eq!(Pattern::compile_lowercase(&p), Pattern::compile(&p.to_ascii_lowercase()));
        }

        #[test]
        fn literal_patterns_match_only_themselves(a in "[a-z*?]{0,8}", b in "[a-z*?]{0,8}") {
            prop_assert_eq!(Pattern::literal(&a).matches(&b), a == b);
        }

        // Resource and ArnLike matching agree with a naive six-part reference.
        #[test]
        fn arn_matching_agrees_with_reference(
            p in "(arn|\\*|a)(:[ab*?]{0,2}){0,6}[ab:*?]{0,4}",
            t in "arn(:[ab]{0,2}){0,6}[ab:]{0,4}",
        ) {
            let pat = Pattern::compile(&p);
            prop_assert_eq!(pat.matches_arn(&t, false), arn_reference(&p, &t, false));
            prop_assert_eq!(pat.matches_resource(&t), arn_reference(&p, &t, true));
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
