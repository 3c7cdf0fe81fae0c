//! Finding many phrases in a page in one pass.
//!
//! The evidence tables name some sixty lower-case phrases. Looking for each with `str::contains`
//! reads a 64 KiB page sixty times; this reads it once, and looks at only one place in five.
//! Every phrase of eight bytes or more is filed under each of its first five 4-byte pieces (at
//! offsets 0 to 4). Wherever such a phrase occurs, one of its first five positions is a multiple
//! of five, and the four bytes there are one of the pieces it is filed under: so the scan hashes
//! the four bytes at every fifth position, and one bit test in a small table (nearly always
//! negative) says whether some phrase may be there. Shorter phrases (a few) are looked for one
//! at a time, by `memchr`'s SIMD search for their rarest byte.
//! A whole diagnosis of a 64 KiB page, this scan included, takes ~70 µs natively and ~135 µs in
//! wasm (docs/benchmarks.md).
//! (A general multi-pattern crate such as aho-corasick would do the same and more, at several
//! times the wasm size this core is allowed.)

/// Phrases at least this long are found by the strided scan; shorter ones one at a time.
const STRIDED: usize = 8;
/// The scan's step: a phrase of `STRIDED` bytes has `STRIDED - 4 + 1` four-byte pieces.
const STEP: usize = STRIDED - 3;

/// A fixed set of lower-case phrases, ready to be looked for in lower-cased text.
#[derive(Debug)]
pub struct PhraseSet {
    /// Sorted, without duplicates; indexes into it name phrases.
    phrases: Vec<&'static str>,
    /// One bit for each hash of a filed piece (8 KB, so the test at each step stays in the
    /// fastest cache and rarely passes where no phrase is).
    pieces: Vec<u64>,
    /// (hash, the piece's four bytes, its offset in the phrase, the phrase's first eight bytes,
    /// phrase index), sorted by hash.
    entries: Vec<(u16, u32, usize, u64, usize)>,
    /// Where each 64-hash bucket (one word of `pieces`) begins in `entries`, and where the last
    /// ends: a hit looks at a handful of entries, no search. (u16: up to 65,535 entries, five
    /// per phrase; the tables have about sixty phrases.)
    buckets: Vec<u16>,
    /// Phrases shorter than `STRIDED` bytes (a few), each with the offset of its rarest byte: they
    /// are looked for one at a time, by `memchr` on that byte. (A `memmem` searcher would do it
    /// too, for 1.4 KB more of gzipped wasm.)
    short: Vec<(usize, usize)>,
}

impl PhraseSet {
    /// Files the phrases. Upper-case letters in a phrase would never match lower-cased text.
    pub fn new(phrases: impl IntoIterator<Item = &'static str>) -> PhraseSet {
        // Filed in order as they come (a sort would cost the wasm several KB for sixty phrases).
        let mut sorted: Vec<&'static str> = Vec::new();
        for phrase in phrases {
            if let Err(at) = sorted.binary_search(&phrase) {
                sorted.insert(at, phrase);
            }
        }
        let mut set = PhraseSet { phrases: Vec::new(), pieces: vec![0; 1024], entries: Vec::new(), buckets: Vec::new(), short: Vec::new() };
        for (i, phrase) in sorted.iter().enumerate() {
            let b = phrase.as_bytes();
            if b.len() < STRIDED {
                set.short.push((i, rarest(b)));
                continue;
            }
            for offset in 0..STEP {
                let piece = four(&b[offset..]);
                let h = hash(piece);
                set.pieces[usize::from(h >> 6)] |= 1 << (h & 63);
                let at = set.entries.partition_point(|e| e.0 <= h);
                set.entries.insert(at, (h, piece, offset, eight(b), i));
            }
        }
        set.buckets = (0..=1024).map(|b| set.entries.partition_point(|e| usize::from(e.0 >> 6) < b)).map(|at| u16::try_from(at).unwrap_or(u16::MAX)).collect();
        set.phrases = sorted;
        set
    }

    /// The phrases, sorted; a phrase's index here is its index in [`PhraseSet::scan`]'s answer.
    pub fn phrases(&self) -> &[&'static str] {
        &self.phrases
    }

    /// The index of `phrase`, if it is one of the set's (a lookup, as the scan's: this runs for
    /// every row of every table).
    pub fn index_of(&self, phrase: &str) -> Option<usize> {
        let b = phrase.as_bytes();
        if b.len() < STRIDED {
            return self.short.iter().map(|(p, _)| *p).find(|&p| same(self.phrases[p], phrase));
        }
        let h = hash(four(b));
        let bucket = usize::from(h >> 6);
        self.entries[usize::from(self.buckets[bucket])..usize::from(self.buckets[bucket + 1])]
            .iter()
            .find(|e| e.0 == h && e.2 == 0 && same(self.phrases[e.4], phrase))
            .map(|e| e.4)
    }

    /// Which phrases `lower` contains, by index.
    pub fn scan(&self, lower: &str) -> Vec<bool> {
        let mut found = vec![false; self.phrases.len()];
        let text = lower.as_bytes();
        let mut at = 0;
        while let Some(bytes) = text.get(at..at + 4) {
            let piece = four(bytes);
            let h = hash(piece);
            let bucket = usize::from(h >> 6);
            if self.pieces[bucket] >> (h & 63) & 1 == 1 {
                let filed = &self.entries[usize::from(self.buckets[bucket])..usize::from(self.buckets[bucket + 1])];
                for &(_, piece_filed, offset, first, p) in filed.iter().filter(|e| e.0 == h) {
                    let Some(rest) = at.checked_sub(offset).and_then(|start| text.get(start..)) else { continue };
                    if piece_filed == piece && !found[p] && eight(rest) == first && rest.starts_with(self.phrases[p].as_bytes()) {
                        found[p] = true;
                    }
                }
            }
            at += STEP;
        }
        for &(p, rare) in &self.short {
            let phrase = self.phrases[p].as_bytes();
            // (The empty phrase is in every text.)
            found[p] = phrase.get(rare).is_none_or(|&byte| memchr::memchr_iter(byte, text).any(|at| at >= rare && text[at - rare..].starts_with(phrase)));
        }
        found
    }
}

/// Whether two phrases are the same: nearly always the very same text of a table row (one
/// pointer comparison), else compared byte by byte.
fn same(filed: &str, phrase: &str) -> bool {
    std::ptr::eq(filed, phrase) || filed == phrase
}

/// The first four bytes, little-endian (`b` has at least four).
fn four(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// The offset of the byte of `phrase` that is least common in ordinary text: anything but a
/// letter or a space first, then the letters from the rarest (English letter frequencies).
fn rarest(phrase: &[u8]) -> usize {
    const COMMON: &[u8] = b" etaoinsrhldcumfpgwybvkxjqz";
    let rank = |b: u8| COMMON.iter().position(|&c| c == b).map_or(0, |at| COMMON.len() - at);
    (0..phrase.len()).min_by_key(|&at| rank(phrase[at])).unwrap_or(0)
}

/// Up to the first eight bytes, little-endian (missing bytes are 0).
fn eight(b: &[u8]) -> u64 {
    match b.first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => b.iter().rev().fold(0, |acc, &byte| acc << 8 | u64::from(byte)),
    }
}

/// A 16-bit hash of four bytes (Fibonacci hashing).
fn hash(four: u32) -> u16 {
    (u64::from(four).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_contains_finds() {
        const PHRASES: [&str; 8] = ["bad gateway", "bad request", "gateway", "x", "", "nginx", "ray id:", "zzz"];
        let set = PhraseSet::new(PHRASES);
        let text = "502 bad gateway. nginx/1.22.1 ray id: 8a1b";
        let found = set.scan(text);
        for phrase in PHRASES {
            let i = set.index_of(phrase).unwrap();
            assert_eq!(found[i], text.contains(phrase), "{phrase:?}");
        }
        assert_eq!(set.index_of("not a phrase"), None);
    }

    /// The scan looks at every fifth place: a long phrase must be found at any offset, at the
    /// very end, and not where only its pieces are.
    #[test]
    fn long_phrases_at_every_offset() {
        let set = PhraseSet::new(["upstream timed out", "the upstream server"]);
        for pad in 0..12 {
            for tail in ["", ".", " and more"] {
                let text = format!("{}the upstream server{tail}", "x".repeat(pad));
                assert_eq!(set.scan(&text), vec![true, false], "{text:?}");
            }
        }
        assert_eq!(set.scan("the upstream serve upstream timed ou"), vec![false, false]);
        assert_eq!(set.scan("upstream timed out"), vec![false, true]);
    }

    #[test]
    fn phrases_at_the_very_end_and_overlapping() {
        let set = PhraseSet::new(["aab", "ab", "b"]);
        let found = set.scan("aaab");
        assert_eq!(found, vec![true, true, true]);
        assert_eq!(set.scan(""), vec![false, false, false]);
    }
}
