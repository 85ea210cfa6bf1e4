//! Raw deflate (RFC 1951) for share links, both ways, small enough for the wasm bundle.
//!
//! [`compress`]: LZ77 over a 32 KiB window with hash chains and one-step lazy matching,
//! written as a single fixed-Huffman block (`BTYPE=01`), or as stored blocks when that would
//! be shorter (incompressible input). Any inflater reads it.
//!
//! [`inflate`]: reads every deflate stream (stored, fixed and dynamic Huffman blocks, as
//! written by any compressor, so links made by older builds still open), decoding codes bit
//! by bit from canonical code-length counts. Hostile input is an error, never a panic, and
//! the output is capped. A general-purpose deflate library was a large share of the bundle,
//! while share links need neither speed nor compression levels.

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

/// Why [`inflate`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InflateError {
    /// Not a valid deflate stream (including one cut short).
    Corrupt,
    /// The output would exceed the limit.
    TooLarge,
}

/// Base lengths of length symbols 257..=285 (their extra-bit counts are in
/// [`LENGTH_EXTRA`]).
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Order in which a dynamic block lists the code-length code's lengths.
const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
/// Longest Huffman code deflate allows.
const MAX_BITS: usize = 15;

/// Little-endian bit source; reading past the end is [`InflateError::Corrupt`].
struct BitReader<'a> {
    data: &'a [u8],
    /// Position in bits.
    pos: usize,
}

impl BitReader<'_> {
    fn bits(&mut self, n: u32) -> Result<u32, InflateError> {
        let mut value = 0;
        for i in 0..n {
            let byte = self.data.get(self.pos / 8).ok_or(InflateError::Corrupt)?;
            value |= u32::from((byte >> (self.pos % 8)) & 1) << i;
            self.pos += 1;
        }
        Ok(value)
    }

    fn align(&mut self) {
        self.pos = self.pos.div_ceil(8) * 8;
    }
}

/// A canonical Huffman code: how many codes have each length, and the symbols in code order.
struct Huffman {
    counts: [u16; MAX_BITS + 1],
    symbols: Vec<u16>,
}

impl Huffman {
    /// The code for `lengths` (one per symbol, 0 = unused). Over-subscribed lengths are
    /// corrupt; an incomplete code is accepted (its unused codes fail when read).
    fn new(lengths: &[u8]) -> Result<Huffman, InflateError> {
        let mut counts = [0u16; MAX_BITS + 1];
        for &l in lengths {
            if let Some(c) = counts.get_mut(usize::from(l)) {
                *c += 1;
            }
        }
        let mut left: i32 = 1;
        for &c in counts.iter().skip(1) {
            left = left * 2 - i32::from(c);
            if left < 0 {
                return Err(InflateError::Corrupt);
            }
        }
        // Symbols sorted by (length, symbol): the canonical code order.
        let mut symbols = Vec::with_capacity(lengths.len());
        for len in 1..=MAX_BITS as u8 {
            for (sym, _) in lengths.iter().enumerate().filter(|(_, &l)| l == len) {
                symbols.push(sym as u16);
            }
        }
        Ok(Huffman { counts, symbols })
    }

    /// Reads one symbol, a bit at a time (codes are stored most significant bit first).
    fn decode(&self, bits: &mut BitReader) -> Result<usize, InflateError> {
        let mut code: i32 = 0; // bits read so far
        let mut first: i32 = 0; // first code of the current length
        let mut index: i32 = 0; // index of that code's symbol in `symbols`
        for &count in self.counts.iter().skip(1) {
            code |= bits.bits(1)? as i32;
            let count = i32::from(count);
            if code - first < count {
                let at = (index + code - first) as usize;
                return self
                    .symbols
                    .get(at)
                    .map(|&s| usize::from(s))
                    .ok_or(InflateError::Corrupt);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(InflateError::Corrupt)
    }
}

/// The fixed literal/length and distance codes of `BTYPE=01`.
fn fixed_codes() -> Result<(Huffman, Huffman), InflateError> {
    let mut lengths = [8u8; 288];
    for (sym, l) in lengths.iter_mut().enumerate() {
        *l = match sym {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        };
    }
    Ok((Huffman::new(&lengths)?, Huffman::new(&[5; 30])?))
}

/// The codes a dynamic block (`BTYPE=10`) describes in its header.
fn dynamic_codes(bits: &mut BitReader) -> Result<(Huffman, Huffman), InflateError> {
    let nlen = bits.bits(5)? as usize + 257;
    let ndist = bits.bits(5)? as usize + 1;
    let ncode = bits.bits(4)? as usize + 4;
    if nlen > 286 || ndist > 30 {
        return Err(InflateError::Corrupt);
    }
    let mut code_lengths = [0u8; 19];
    for &at in CODE_LENGTH_ORDER.iter().take(ncode) {
        if let Some(l) = code_lengths.get_mut(at) {
            *l = bits.bits(3)? as u8;
        }
    }
    let code_length_code = Huffman::new(&code_lengths)?;
    let mut lengths: Vec<u8> = Vec::with_capacity(nlen + ndist);
    while lengths.len() < nlen + ndist {
        let (value, repeat) = match code_length_code.decode(bits)? {
            sym @ 0..=15 => (sym as u8, 1),
            16 => (
                *lengths.last().ok_or(InflateError::Corrupt)?,
                3 + bits.bits(2)? as usize,
            ),
            17 => (0, 3 + bits.bits(3)? as usize),
            _ => (0, 11 + bits.bits(7)? as usize),
        };
        if lengths.len() + repeat > nlen + ndist {
            return Err(InflateError::Corrupt);
        }
        lengths.extend(std::iter::repeat_n(value, repeat));
    }
    let (lit, dist) = lengths.split_at(nlen);
    Ok((Huffman::new(lit)?, Huffman::new(dist)?))
}

/// Decodes one Huffman-coded block into `out`.
fn inflate_block(
    bits: &mut BitReader,
    out: &mut Vec<u8>,
    limit: usize,
    (lit, dist): &(Huffman, Huffman),
) -> Result<(), InflateError> {
    loop {
        let sym = lit.decode(bits)?;
        if sym < 256 {
            if out.len() >= limit {
                return Err(InflateError::TooLarge);
            }
            out.push(sym as u8);
            continue;
        }
        if sym == 256 {
            return Ok(());
        }
        let at = sym - 257;
        let base = LENGTH_BASE.get(at).ok_or(InflateError::Corrupt)?;
        let extra = LENGTH_EXTRA.get(at).copied().unwrap_or(0);
        let len = usize::from(*base) + bits.bits(u32::from(extra))? as usize;
        let dsym = dist.decode(bits)? as u32;
        if dsym >= 30 {
            return Err(InflateError::Corrupt);
        }
        // Distance codes 0..=3 are 1..=4; then two codes per extra bit.
        let distance = if dsym < 4 {
            dsym as usize + 1
        } else {
            let extra = dsym / 2 - 1;
            let base = ((2 + (dsym & 1)) << extra) + 1;
            (base + bits.bits(extra)?) as usize
        };
        if distance > out.len() {
            return Err(InflateError::Corrupt);
        }
        if out.len() + len > limit {
            return Err(InflateError::TooLarge);
        }
        for _ in 0..len {
            let byte = out
                .get(out.len() - distance)
                .copied()
                .ok_or(InflateError::Corrupt)?;
            out.push(byte);
        }
    }
}

/// Decodes a raw deflate stream whose output is at most `limit` bytes.
pub fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let mut bits = BitReader { data, pos: 0 };
    let mut out = Vec::new();
    loop {
        let last = bits.bits(1)? == 1;
        match bits.bits(2)? {
            0 => {
                bits.align();
                let header = bits.bits(32)?;
                let len = (header & 0xffff) as usize;
                if header >> 16 != !header & 0xffff {
                    return Err(InflateError::Corrupt);
                }
                let start = bits.pos / 8;
                let block = data.get(start..start + len).ok_or(InflateError::Corrupt)?;
                if out.len() + len > limit {
                    return Err(InflateError::TooLarge);
                }
                out.extend_from_slice(block);
                bits.pos += len * 8;
            }
            1 => inflate_block(&mut bits, &mut out, limit, &fixed_codes()?)?,
            2 => {
                let codes = dynamic_codes(&mut bits)?;
                inflate_block(&mut bits, &mut out, limit, &codes)?;
            }
            _ => return Err(InflateError::Corrupt),
        }
        if last {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes with miniz_oxide (a reference inflater) and with ours; both must agree.
    fn unpack(deflated: &[u8]) -> Vec<u8> {
        let reference = miniz_oxide::inflate::decompress_to_vec(deflated).unwrap();
        assert_eq!(inflate(deflated, usize::MAX), Ok(reference.clone()));
        reference
    }

    fn round_trip(data: &[u8]) -> Vec<u8> {
        let packed = compress(data);
        assert_eq!(unpack(&packed), data, "len {}", data.len());
        // both block forms decode, whichever one was chosen
        assert_eq!(unpack(&fixed_block(data)), data);
        assert_eq!(unpack(&stored_blocks(data)), data);
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

    fn samples() -> Vec<Vec<u8>> {
        let json = abacus_studio::scenario::default_scenario().to_json_pretty();
        let mut text = Vec::new();
        for i in 0..40u64 {
            text.extend(noise(300, i % 3));
            text.extend(format!("{i}: {json}").bytes().take(3_000));
        }
        vec![
            Vec::new(),
            b"a".to_vec(),
            json.into_bytes(),
            vec![b' '; 70_000],
            noise(70_000, 3),
            text,
        ]
    }

    #[test]
    fn inflate_reads_what_a_full_deflater_writes() {
        // levels 0..=10: stored, fixed and dynamic Huffman blocks, several blocks per stream
        for data in samples() {
            for level in 0..=10 {
                let packed = miniz_oxide::deflate::compress_to_vec(&data, level);
                assert_eq!(
                    inflate(&packed, usize::MAX),
                    Ok(data.clone()),
                    "level {level}"
                );
            }
        }
    }

    #[test]
    fn inflate_caps_the_output() {
        let data = vec![b'x'; 10_000];
        for packed in [
            compress(&data),
            stored_blocks(&data),
            miniz_oxide::deflate::compress_to_vec(&data, 9),
        ] {
            assert_eq!(inflate(&packed, 10_000), Ok(data.clone()));
            assert_eq!(inflate(&packed, 9_999), Err(InflateError::TooLarge));
        }
    }

    #[test]
    fn inflate_rejects_broken_streams_without_panicking() {
        assert_eq!(inflate(&[], 100), Err(InflateError::Corrupt));
        assert_eq!(inflate(&[0, 0, 0], 100), Err(InflateError::Corrupt));
        assert_eq!(inflate(&[0b111], 100), Err(InflateError::Corrupt)); // BTYPE=11
                                                                        // stored block whose NLEN is not the complement of LEN
        assert_eq!(
            inflate(&[1, 1, 0, 0, 0, b'a'], 100),
            Err(InflateError::Corrupt)
        );
        // a back-reference before the start: fixed block, length 3 at distance 1, no output yet
        let mut bits = Bits {
            out: Vec::new(),
            acc: 0,
            count: 0,
        };
        bits.put(1, 1);
        bits.put(1, 2);
        put_match(&mut bits, 3, 1);
        put_symbol(&mut bits, 256);
        assert_eq!(inflate(&bits.finish(), 100), Err(InflateError::Corrupt));
        // every truncation and many bit flips of real streams: an error or some output, no panic
        for data in samples().into_iter().take(3) {
            for packed in [
                compress(&data),
                miniz_oxide::deflate::compress_to_vec(&data, 9),
            ] {
                for end in 0..packed.len() {
                    assert!(inflate(packed.get(..end).unwrap(), 1 << 20).is_err());
                }
                for i in 0..packed.len().min(400) {
                    let mut broken = packed.clone();
                    broken[i] ^= 1 << (i % 8);
                    let _ = inflate(&broken, 1 << 20);
                }
            }
        }
        for seed in 1..300u64 {
            let _ = inflate(&noise(200, seed), 1 << 20);
        }
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
