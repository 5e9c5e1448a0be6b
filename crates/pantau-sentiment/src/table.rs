//! The hot path's word table: lower-case word → entry id, for the one lookup
//! every scored token gets. Words of up to 16 bytes — nearly all of them —
//! are stored inline in the slot as a zero-padded 128-bit key, so a lookup
//! is one 16-byte load, one multiply to hash, and two adjacent slots
//! compared as integers with one branch: no pointer to chase, no `memcmp`,
//! no byte-wise hashing, and no branch on whether the word is there.
//! Longer words go to an ordinary map. Each word may carry a 24-bit tag
//! beside its id — the vocabulary keeps there what a word can do in each
//! language — so the one slot the lookup reads answers that too.

use rustc_hash::FxHashMap;

use crate::vocab::{EntryId, NO_ENTRY};

/// Longest word stored inline.
pub(crate) const INLINE: usize = 16;

/// Bytes a buffer must have after its last word for [`WordTable::get_at`]
/// to read a full 16-byte key without running off the end.
pub(crate) const PADDING: usize = INLINE;

#[derive(Debug, Clone, Copy)]
struct Slot {
    lo: u64,
    hi: u64,
    /// Word length in the low byte (0 marks an empty slot: there are no
    /// empty words), the word's tag above it.
    meta: u32,
    id: EntryId,
}

impl Slot {
    /// An empty slot: read by a lookup, it is [`Hit::MISS`].
    const EMPTY: Slot = Slot {
        lo: 0,
        hi: 0,
        meta: 0,
        id: NO_ENTRY,
    };

    #[inline(always)]
    fn len(&self) -> usize {
        (self.meta & 0xff) as usize
    }
}

/// What a lookup finds: the word's id and tag, or [`Hit::MISS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub id: EntryId,
    pub tag: u32,
}

impl Hit {
    pub const MISS: Hit = Hit {
        id: NO_ENTRY,
        tag: 0,
    };
}

/// Tags are 24 bits: the slot's low byte is the word's length.
pub(crate) const TAG_BITS: u32 = 24;

/// Open addressing with linear probing, at most half full (built a quarter
/// full or less: most lookups then read one slot).
#[derive(Debug, Clone)]
pub(crate) struct WordTable {
    slots: Vec<Slot>,
    mask: usize,
    /// Words stored inline.
    inline: usize,
    long: FxHashMap<Box<[u8]>, Hit>,
}

/// foldhash's folded multiply: the full 128-bit product, halves xored.
#[inline(always)]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

#[inline(always)]
fn hash(lo: u64, hi: u64, len: usize) -> u64 {
    // Digits of pi: arbitrary odd constants that are no lower-case word.
    folded_multiply(
        lo ^ 0x243f_6a88_85a3_08d3,
        hi ^ 0x1319_8a2e_0370_7344 ^ len as u64,
    )
}

/// The zero-padded key of the word `buf[start..end]`, read in place: `None`
/// for a word longer than [`INLINE`] or without [`PADDING`] after it.
#[inline(always)]
pub(crate) fn key_at(buf: &[u8], start: usize, end: usize) -> Option<(u64, u64)> {
    let len = end.checked_sub(start)?;
    let raw = buf
        .get(start..start + INLINE)
        .filter(|_| (1..=INLINE).contains(&len))?;
    let (lo, hi) = raw.split_at(8);
    let lo = u64::from_le_bytes(lo.try_into().expect("8 bytes"));
    let hi = u64::from_le_bytes(hi.try_into().expect("8 bytes"));
    // Keep the word's bytes, zero the rest: no branch on the length, which
    // is hard to predict.
    let (keep_lo, keep_hi) = KEEP[len];
    Some((lo & keep_lo, hi & keep_hi))
}

/// Per word length, the masks that keep its bytes of a 16-byte key.
static KEEP: [(u64, u64); INLINE + 1] = {
    let mut masks = [(0, 0); INLINE + 1];
    let mut len = 1;
    while len <= INLINE {
        let bits = 8 * len as u32;
        masks[len] = if bits <= 64 {
            (u64::MAX >> (64 - bits), 0)
        } else {
            (u64::MAX, u64::MAX >> (128 - bits))
        };
        len += 1;
    }
    masks
};

/// The zero-padded key of `word` (at most [`INLINE`] bytes).
pub(crate) fn key_of(word: &[u8]) -> (u64, u64) {
    let mut buf = [0u8; INLINE];
    buf[..word.len()].copy_from_slice(word);
    let k = u128::from_le_bytes(buf);
    (k as u64, (k >> 64) as u64)
}

impl WordTable {
    /// A table of `(word, id, tag)`.
    pub fn new<'w>(words: impl ExactSizeIterator<Item = (&'w str, EntryId, u32)>) -> Self {
        let mut table = Self::with_capacity(words.len());
        for (w, id, tag) in words {
            table.insert_tagged(w.as_bytes(), id, tag);
        }
        table
    }

    fn with_capacity(words: usize) -> Self {
        let slots = (words * 4).next_power_of_two().max(16);
        WordTable {
            slots: vec![Slot::EMPTY; slots],
            mask: slots - 1,
            inline: 0,
            long: FxHashMap::default(),
        }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.inline + self.long.len()
    }

    /// Adds a word with tag 0 (or replaces its id).
    pub fn insert(&mut self, word: &[u8], id: EntryId) {
        self.insert_tagged(word, id, 0);
    }

    /// Adds a word with its tag (or replaces both), growing the table to
    /// stay at most half full.
    pub fn insert_tagged(&mut self, word: &[u8], id: EntryId, tag: u32) {
        assert!(tag < 1 << TAG_BITS, "a tag has {TAG_BITS} bits");
        if word.is_empty() {
            return;
        }
        if word.len() > INLINE {
            self.long.insert(word.into(), Hit { id, tag });
            return;
        }
        if (self.inline + 1) * 2 > self.slots.len() {
            // Twice the slots: a quarter full again.
            let mut bigger = Self::with_capacity(self.inline);
            for s in self.slots.iter().filter(|s| s.len() != 0) {
                bigger.insert_key(s.lo, s.hi, s.meta, s.id);
            }
            bigger.long = std::mem::take(&mut self.long);
            *self = bigger;
        }
        let (lo, hi) = key_of(word);
        self.insert_key(lo, hi, word.len() as u32 | tag << 8, id);
    }

    fn insert_key(&mut self, lo: u64, hi: u64, meta: u32, id: EntryId) {
        let len = (meta & 0xff) as usize;
        let mut i = hash(lo, hi, len) as usize & self.mask;
        loop {
            let s = &mut self.slots[i];
            if s.len() == 0 {
                self.inline += 1;
            }
            if s.len() == 0 || (s.len() == len && s.lo == lo && s.hi == hi) {
                *s = Slot { lo, hi, meta, id };
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The entry of the word `buf[start..end]`; `buf` must have [`PADDING`]
    /// bytes after `end`.
    #[inline]
    pub fn get_at(&self, buf: &[u8], start: usize, end: usize) -> EntryId {
        self.find_at(buf, start, end).id
    }

    /// The id and tag of the word `buf[start..end]`; `buf` must have
    /// [`PADDING`] bytes after `end`.
    #[inline(always)]
    pub fn find_at(&self, buf: &[u8], start: usize, end: usize) -> Hit {
        match key_at(buf, start, end) {
            Some((lo, hi)) => self.find_key(lo, hi, end - start),
            None => self.find(&buf[start..end]),
        }
    }

    /// Where the word `buf[start..end]` would be, with its cache line
    /// requested but not waited for: `None` for a word not stored inline
    /// (look it up with [`WordTable::find_at`]). A lookup made later with
    /// [`WordTable::find_located`] then rarely waits on memory.
    #[inline(always)]
    pub fn locate(&self, buf: &[u8], start: usize, end: usize) -> Option<u32> {
        let (lo, hi) = key_at(buf, start, end)?;
        let i = hash(lo, hi, end - start) as usize & self.mask;
        prefetch(&self.slots[i]);
        Some(i as u32)
    }

    /// [`WordTable::find_at`] for a word [`WordTable::locate`] placed at `at`.
    #[inline(always)]
    pub fn find_located(&self, buf: &[u8], start: usize, end: usize, at: u32) -> Hit {
        match key_at(buf, start, end) {
            Some((lo, hi)) => self.probe(lo, hi, end - start, at as usize & self.mask),
            None => self.find(&buf[start..end]),
        }
    }

    /// The id and tag of `word`, wherever it is.
    pub fn find(&self, word: &[u8]) -> Hit {
        if word.len() > INLINE || word.is_empty() {
            return self.long.get(word).copied().unwrap_or(Hit::MISS);
        }
        let (lo, hi) = key_of(word);
        self.find_key(lo, hi, word.len())
    }

    #[inline(always)]
    fn find_key(&self, lo: u64, hi: u64, len: usize) -> Hit {
        self.probe(lo, hi, len, hash(lo, hi, len) as usize & self.mask)
    }

    /// Linear probing for a key from its first slot `i`.
    #[inline(always)]
    fn probe(&self, lo: u64, hi: u64, len: usize, mut i: usize) -> Hit {
        loop {
            // Two slots at a time, one branch for both: whether the word is
            // in the first, the second or missing is hard to predict, that
            // the search ends here is not.
            let next = (i + 1) & self.mask;
            let stop = |s: &Slot| {
                let found = (s.lo == lo) & (s.hi == hi) & (s.len() == len);
                found | (s.meta == 0)
            };
            let (first, second) = (&self.slots[i], &self.slots[next]);
            let (stop0, stop1) = (stop(first), stop(second));
            if stop0 | stop1 {
                // An empty slot reads as a miss; the slot is chosen by index.
                let s = &self.slots[if stop0 { i } else { next }];
                return Hit {
                    id: s.id,
                    tag: s.meta >> 8,
                };
            }
            i = (next + 1) & self.mask;
        }
    }
}

/// Asks the CPU to bring `slot`'s cache line in, without waiting for it.
#[inline(always)]
fn prefetch(slot: &Slot) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    // SAFETY: a prefetch is only a hint: it reads nothing into the program
    // and never faults. It needs SSE, which the cfg above guarantees (every
    // x86-64 CPU has it); the intrinsic is `unsafe` only for that reason.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((slot as *const Slot).cast());
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = slot;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_word_and_nothing_else() {
        let words: Vec<String> = (0..5000)
            .map(|i| format!("kata{i}"))
            .chain(["a", "tidak", "sangat", "kata-kata", "dikeluhkannya"].map(String::from))
            .chain(["tidaktepatsasaransekali", "ketidakberdayaannya-an"].map(String::from))
            .collect();
        let table = WordTable::new(
            words
                .iter()
                .enumerate()
                .map(|(i, w)| (w.as_str(), i as EntryId, i as u32 * 3)),
        );
        for (i, w) in words.iter().enumerate() {
            assert_eq!(table.find(w.as_bytes()).id, i as EntryId, "{w}");
            // In a padded buffer, between other bytes.
            let mut buf = format!("xx {w} yy").into_bytes();
            buf.extend([0; PADDING]);
            assert_eq!(table.get_at(&buf, 3, 3 + w.len()), i as EntryId, "{w}");
            let hit = Hit {
                id: i as EntryId,
                tag: i as u32 * 3,
            };
            assert_eq!(table.find_at(&buf, 3, 3 + w.len()), hit, "{w}");
            // Located first, found later: the same answer.
            let end = 3 + w.len();
            let later = match table.locate(&buf, 3, end) {
                Some(at) => table.find_located(&buf, 3, end, at),
                None => table.find_at(&buf, 3, end),
            };
            assert_eq!(later, hit, "{w}");
        }
        for absent in ["", "kata", "kata5000", "tidak ", "tida", "sangatt", "b"] {
            assert_eq!(table.find(absent.as_bytes()), Hit::MISS, "{absent:?}");
            let mut buf = absent.as_bytes().to_vec();
            buf.extend([0; PADDING]);
            if let Some(at) = table.locate(&buf, 0, absent.len()) {
                let later = table.find_located(&buf, 0, absent.len(), at);
                assert_eq!(later, Hit::MISS, "{absent:?}");
            }
        }
        // A prefix of a stored word is not the word, whatever follows it.
        let buf = b"tidakxx\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        assert_eq!(table.get_at(buf, 0, 4), NO_ENTRY);
        assert_eq!(table.get_at(buf, 0, 5), table.find(b"tidak").id);
        // Without padding the lookup still answers, by copying.
        assert_eq!(table.get_at(b"tidak", 0, 5), table.find(b"tidak").id);
    }

    #[test]
    fn grows_as_words_are_added() {
        let mut table = WordTable::new(std::iter::empty());
        for i in 0..3000u32 {
            table.insert(format!("w{i}").as_bytes(), i);
            // A repeat is no new word; it replaces the id and tag.
            table.insert_tagged(format!("w{i}").as_bytes(), i, i + 1);
        }
        table.insert_tagged(b"a-very-long-word-indeed", 7, 9);
        assert_eq!(table.len(), 3001);
        // Grown by doubling: between a quarter and a half full.
        let load = table.inline as f64 / table.slots.len() as f64;
        assert!((0.25..=0.5).contains(&load), "load {load}");
        // Tags survive the table's growth.
        assert!((0..3000u32)
            .all(|i| table.find(format!("w{i}").as_bytes()) == Hit { id: i, tag: i + 1 }));
        assert_eq!(
            table.find(b"a-very-long-word-indeed"),
            Hit { id: 7, tag: 9 }
        );
        assert_eq!(table.find(b"w3000"), Hit::MISS);
    }
}
