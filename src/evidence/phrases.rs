//! Finding many phrases in a page in one pass.
//!
//! The evidence tables name some sixty lower-case phrases. Looking for each with `str::contains`
//! reads a 64 KiB page sixty times; this reads it once: every phrase is filed under its first eight
//! bytes (four for short ones), and each position of the text looks up only the phrases that start
//! with its bytes: one bit test in a small table, nearly always negative.
//! About 2 ns a byte natively on a 64 KiB page (docs/benchmarks.md).
//! (A general multi-pattern crate such as aho-corasick would do the same and more, at several
//! times the wasm size this core is allowed.)

/// A fixed set of lower-case phrases, ready to be looked for in lower-cased text.
#[derive(Debug)]
pub struct PhraseSet {
    /// Sorted, without duplicates; indexes into it name phrases.
    phrases: Vec<&'static str>,
    /// One bit for each hash of a phrase's first four bytes (8 KB, so the test at each position
    /// of the text stays in the fastest cache and rarely passes where no phrase starts).
    starts: Vec<u64>,
    /// (hash, the first eight bytes (fewer for shorter phrases), a mask of the bytes that count,
    /// phrase index), sorted by hash.
    entries: Vec<(u16, u64, u64, usize)>,
    /// Hash -> where its entries begin in `entries` (for hashes whose bit is set).
    first: Vec<u8>,
    /// Phrases shorter than four bytes (looked for one at a time).
    short: Vec<usize>,
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
        let mut set = PhraseSet {
            phrases: Vec::new(),
            starts: vec![0; 1024],
            entries: Vec::new(),
            first: vec![0; 1 << 16],
            short: Vec::new(),
        };
        for (i, phrase) in sorted.iter().enumerate() {
            let b = phrase.as_bytes();
            if b.len() < 4 {
                set.short.push(i);
                continue;
            }
            let (start, mask) = (little_end(b), mask(b.len()));
            let h = hash(start & 0xffff_ffff);
            set.starts[usize::from(h >> 6)] |= 1 << (h & 63);
            let at = set.entries.partition_point(|e| e.0 <= h);
            set.entries.insert(at, (h, start & mask, mask, i));
        }
        for (at, e) in set.entries.iter().enumerate().rev() {
            set.first[usize::from(e.0)] = u8::try_from(at).unwrap_or(u8::MAX);
        }
        set.phrases = sorted;
        set
    }

    /// The phrases, sorted.
    pub fn phrases(&self) -> &[&'static str] {
        &self.phrases
    }

    /// The index of `phrase` in this set, if it is one of its phrases (found through its first
    /// four bytes, as the scan finds it: this runs for every row of every table).
    pub fn index_of(&self, phrase: &str) -> Option<usize> {
        let b = phrase.as_bytes();
        if b.len() < 4 {
            return self.short.iter().copied().find(|&p| self.phrases[p] == phrase);
        }
        self.filed_under(little_end(b)).map(|e| e.3).find(|&p| self.phrases[p] == phrase)
    }

    /// The entries filed under the first four bytes of `start` (little-endian): nearly always
    /// none, which one bit test in `starts` tells.
    #[inline]
    fn filed_under(&self, start: u64) -> impl Iterator<Item = &(u16, u64, u64, usize)> {
        let h = hash(start & 0xffff_ffff);
        let filed = self.starts[usize::from(h >> 6)] >> (h & 63) & 1 == 1;
        let from = if filed { usize::from(self.first[usize::from(h)]) } else { self.entries.len() };
        self.entries[from..].iter().take_while(move |e| e.0 == h)
    }

    /// Which phrases `lower` contains, by index.
    pub fn scan(&self, lower: &str) -> Vec<bool> {
        let mut found = vec![false; self.phrases.len()];
        let text = lower.as_bytes();
        for i in 0..text.len().saturating_sub(3) {
            let rest = &text[i..];
            let mut filed = self.filed_under(u64::from(u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]))).peekable();
            if filed.peek().is_none() {
                continue;
            }
            let here = little_end(rest);
            for &(_, start, mask, p) in filed {
                if here & mask == start && !found[p] && rest.starts_with(self.phrases[p].as_bytes()) {
                    found[p] = true;
                }
            }
        }
        for &p in &self.short {
            found[p] = lower.contains(self.phrases[p]);
        }
        found
    }
}

/// Up to the first eight bytes as a little-endian number (missing bytes are 0).
fn little_end(b: &[u8]) -> u64 {
    match b.first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => b.iter().rev().fold(0, |acc, &byte| acc << 8 | u64::from(byte)),
    }
}

/// The bits of [`little_end`] that a phrase of `len` bytes fills.
fn mask(len: usize) -> u64 {
    if len >= 8 { u64::MAX } else { (1u64 << (8 * len)) - 1 }
}

/// A phrase's first four bytes to 16 bits (Fibonacci hashing: multiply, keep the high bits).
fn hash(four: u64) -> u16 {
    (four.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_contains_finds() {
        let set = PhraseSet::new([
            "bad gateway",
            "bad request",
            "gateway",
            "x",
            "",
            "nginx",
            "ray id:",
            "zzz",
        ]);
        let text = "502 bad gateway. nginx/1.22.1 ray id: 8a1b";
        let found = set.scan(text);
        for phrase in [
            "bad gateway",
            "bad request",
            "gateway",
            "x",
            "",
            "nginx",
            "ray id:",
            "zzz",
        ] {
            let i = set.index_of(phrase).unwrap();
            assert_eq!(found[i], text.contains(phrase), "{phrase:?}");
        }
        assert_eq!(set.index_of("not a phrase"), None);
    }

    #[test]
    fn phrases_at_the_very_end_and_overlapping() {
        let set = PhraseSet::new(["aab", "ab", "b"]);
        let found = set.scan("aaab");
        assert_eq!(found, vec![true, true, true]);
        assert_eq!(set.scan(""), vec![false, false, false]);
    }
}
