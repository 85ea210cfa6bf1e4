//! A small raw-deflate (RFC 1951) encoder for share links: LZ77 over a 32 KiB window with
//! hash chains and one-step lazy matching, written as a single fixed-Huffman block
//! (`BTYPE=01`), or as stored blocks when that would be shorter (incompressible input).
//!
//! Any inflater reads the output; the app decodes with `miniz_oxide::inflate`. Only the
//! encoder is ours because a general-purpose compressor is most of a deflate library's
//! weight in the wasm bundle, while share links need neither dynamic Huffman tables nor
//! compression levels.

/// Largest back-reference distance deflate allows.
const WINDOW: usize = 32 * 1024;
/// Shortest and longest match deflate can express.
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
/// Hash table size (bits) over the next three bytes.
const HASH_BITS: u32 = 15;
/// How many earlier positions with the same hash are tried per position.
const MAX_CHAIN: usize = 256;
/// A match at least this long is taken without looking one byte further.
const NICE_MATCH: usize = 128;
/// Largest payload of one stored block.
const STORED_MAX: usize = 0xffff;
/// Marks an empty hash-chain slot.
const NONE: usize = usize::MAX;

/// Raw deflate of `data` (no zlib or gzip header).
pub fn compress(data: &[u8]) -> Vec<u8> {
    let packed = fixed_block(data);
    let stored_len = data.len() + 5 * data.len().div_ceil(STORED_MAX).max(1);
    if packed.len() > stored_len {
        stored_blocks(data)
    } else {
        packed
    }
}

/// Little-endian bit sink, as deflate packs its bits.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    count: u32,
}

impl Bits {
    fn put(&mut self, value: u32, bits: u32) {
        self.acc |= u64::from(value) << self.count;
        self.count += bits;
        while self.count >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.count -= 8;
        }
    }

    /// A Huffman code, which deflate stores most significant bit first.
    fn code(&mut self, code: u32, bits: u32) {
        self.put(code.reverse_bits() >> (32 - bits), bits);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// Literal/length symbol `sym` (0..=287) in the fixed Huffman code.
fn put_symbol(bits: &mut Bits, sym: u32) {
    match sym {
        0..=143 => bits.code(0x30 + sym, 8),
        144..=255 => bits.code(0x190 + sym - 144, 9),
        256..=279 => bits.code(sym - 256, 7),
        _ => bits.code(0xc0 + sym - 280, 8),
    }
}

/// `floor(log2(n))` for `n >= 1`.
fn log2(n: u32) -> u32 {
    31 - n.leading_zeros()
}

/// A back-reference: length code with its extra bits, then distance code with its own.
fn put_match(bits: &mut Bits, len: usize, dist: usize) {
    let len = len as u32;
    if len == MAX_MATCH as u32 {
        put_symbol(bits, 285);
    } else {
        let n = len - 3;
        if n < 8 {
            put_symbol(bits, 257 + n);
        } else {
            let extra = log2(n) - 2;
            put_symbol(bits, 257 + 4 * (extra + 1) + (n >> extra) - 4);
            bits.put(n & ((1 << extra) - 1), extra);
        }
    }
    let n = dist as u32 - 1;
    if n < 4 {
        bits.code(n, 5);
    } else {
        let extra = log2(n) - 1;
        bits.code(2 * extra + (n >> extra), 5);
        bits.put(n & ((1 << extra) - 1), extra);
    }
}

fn hash(data: &[u8], at: usize) -> usize {
    match data.get(at..at + MIN_MATCH) {
        Some(&[a, b, c]) => {
            ((usize::from(a) << 10) ^ (usize::from(b) << 5) ^ usize::from(c))
                & ((1 << HASH_BITS) - 1)
        }
        _ => 0,
    }
}

/// Hash chains over the positions seen so far.
struct Chains {
    head: Vec<usize>,
    prev: Vec<usize>,
}

impl Chains {
    fn insert(&mut self, data: &[u8], at: usize) {
        if at + MIN_MATCH > data.len() {
            return;
        }
        let h = hash(data, at);
        if let (Some(head), Some(prev)) = (self.head.get_mut(h), self.prev.get_mut(at % WINDOW)) {
            *prev = *head;
            *head = at;
        }
    }

    /// Longest earlier match for the bytes at `at`: (length, distance), length 0 if none.
    fn find(&self, data: &[u8], at: usize) -> (usize, usize) {
        let max = MAX_MATCH.min(data.len().saturating_sub(at));
        if max < MIN_MATCH {
            return (0, 0);
        }
        let here = data.get(at..at + max).unwrap_or_default();
        let mut best = (0, 0);
        let mut cand = self.head.get(hash(data, at)).copied().unwrap_or(NONE);
        for _ in 0..MAX_CHAIN {
            // Positions further back than the window may have stale chain links: stop.
            if cand == NONE || cand >= at || at - cand > WINDOW {
                break;
            }
            let there = data.get(cand..).unwrap_or_default();
            let len = here.iter().zip(there).take_while(|(a, b)| a == b).count();
            if len > best.0 {
                best = (len, at - cand);
                if len == max {
                    break;
                }
            }
            cand = self.prev.get(cand % WINDOW).copied().unwrap_or(NONE);
        }
        if best.0 >= MIN_MATCH {
            best
        } else {
            (0, 0)
        }
    }
}

/// The whole input as one final fixed-Huffman block.
fn fixed_block(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits {
        out: Vec::with_capacity(data.len() / 2 + 16),
        acc: 0,
        count: 0,
    };
    bits.put(1, 1); // BFINAL
    bits.put(1, 2); // BTYPE=01: fixed Huffman codes
    let mut chains = Chains {
        head: vec![NONE; 1 << HASH_BITS],
        prev: vec![NONE; WINDOW],
    };
    let byte = |at: usize| u32::from(data.get(at).copied().unwrap_or(0));
    // A match found at `i - 1`, held back to see whether `i` starts a longer one.
    let mut pending: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < data.len() {
        let found = chains.find(data, i);
        chains.insert(data, i);
        match pending.take() {
            Some(held) if found.0 <= held.0 => {
                put_match(&mut bits, held.0, held.1);
                let end = i - 1 + held.0;
                for j in i + 1..end {
                    chains.insert(data, j);
                }
                i = end;
            }
            Some(_) => {
                put_symbol(&mut bits, byte(i - 1));
                pending = Some(found);
                i += 1;
            }
            None if found.0 >= NICE_MATCH => {
                put_match(&mut bits, found.0, found.1);
                for j in i + 1..i + found.0 {
                    chains.insert(data, j);
                }
                i += found.0;
            }
            None if found.0 >= MIN_MATCH => {
                pending = Some(found);
                i += 1;
            }
            None => {
                put_symbol(&mut bits, byte(i));
                i += 1;
            }
        }
    }
    if let Some(held) = pending {
        put_match(&mut bits, held.0, held.1);
    }
    put_symbol(&mut bits, 256); // end of block
    bits.finish()
}

/// The input verbatim in stored blocks (`BTYPE=00`), the last one final.
fn stored_blocks(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 5 * (data.len() / STORED_MAX + 1));
    let mut chunks = data.chunks(STORED_MAX).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(deflated: &[u8]) -> Vec<u8> {
        miniz_oxide::inflate::decompress_to_vec(deflated).unwrap()
    }

    fn round_trip(data: &[u8]) -> Vec<u8> {
        let packed = compress(data);
        assert_eq!(inflate(&packed), data, "len {}", data.len());
        // both block forms decode, whichever one was chosen
        assert_eq!(inflate(&fixed_block(data)), data);
        assert_eq!(inflate(&stored_blocks(data)), data);
        packed
    }

    /// Deterministic pseudo-random bytes (xorshift).
    fn noise(len: usize, mut seed: u64) -> Vec<u8> {
        (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect()
    }

    #[test]
    fn empty_and_single_bytes_round_trip() {
        round_trip(b"");
        for b in [0u8, b'a', 143, 144, 255] {
            round_trip(&[b]);
        }
        round_trip(b"ab");
        round_trip(b"abc");
        round_trip(b"abcabc");
    }

    #[test]
    fn long_repeats_round_trip_and_shrink() {
        let a = vec![b'a'; 300_000];
        // 258-byte matches at 13 bits each: about 2 KB for 300 KB
        assert!(round_trip(&a).len() < 2_500);
        let phrase = b"{\"Effect\":\"Allow\",\"Action\":\"sagemaker:*\"}".repeat(3_000);
        assert!(round_trip(&phrase).len() < phrase.len() / 50);
    }

    #[test]
    fn every_match_length_round_trips() {
        for len in 1..=300 {
            let mut data = noise(40, len as u64);
            let copy = data.clone();
            data.extend(copy.iter().cycle().take(len));
            data.extend(noise(7, 99));
            round_trip(&data);
        }
    }

    #[test]
    fn distances_up_to_the_window_edge_round_trip() {
        for gap in [
            1,
            2,
            3,
            4,
            5,
            200,
            4_096,
            WINDOW - 300,
            WINDOW - 100,
            WINDOW - 1,
            WINDOW,
            WINDOW + 1,
        ] {
            let mut data = noise(100, 7);
            data.extend(noise(gap.saturating_sub(100), 8));
            data.extend(noise(100, 7));
            round_trip(&data);
        }
    }

    #[test]
    fn random_bytes_are_stored_not_expanded() {
        for len in [1_000, 65_535, 65_536, 200_000] {
            let data = noise(len, len as u64);
            let packed = round_trip(&data);
            assert!(packed.len() <= len + 5 * len.div_ceil(STORED_MAX));
        }
    }

    #[test]
    fn mixed_inputs_beyond_64_kib_round_trip() {
        let mut data = Vec::new();
        for i in 0..40u64 {
            data.extend(noise(1_500, i % 5));
            data.extend(
                format!("line {i}: the same words again and again\n")
                    .repeat(20)
                    .bytes(),
            );
        }
        assert!(data.len() > 64 * 1024);
        let packed = round_trip(&data);
        assert!(packed.len() < data.len() / 3);
    }

    #[test]
    fn a_real_scenario_compresses_about_as_well_as_a_full_deflater() {
        let json = abacus_studio::scenario::default_scenario().to_json_pretty();
        let ours = round_trip(json.as_bytes()).len();
        let reference = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9).len();
        assert!(
            ours * 100 <= reference * 125,
            "ours {ours} bytes, miniz level 9 {reference} bytes"
        );
    }
}
