//! The hot path's word table: lower-case word → entry id, for the one lookup
//! every scored token gets. Words of up to 16 bytes — nearly all of them —
//! are stored inline in the slot as a zero-padded 128-bit key, so a lookup
//! is one 16-byte load, one multiply to hash, and usually one slot compared
//! as two integers: no pointer to chase, no `memcmp`, no byte-wise hashing.
//! Longer words go to an ordinary map.

use rustc_hash::FxHashMap;

use crate::vocab::{EntryId, NO_ENTRY};

/// Longest word stored inline.
pub(crate) const INLINE: usize = 16;

/// Bytes a buffer must have after its last word for [`WordTable::get_at`]
/// to read a full 16-byte key without running off the end.
pub(crate) const PADDING: usize = INLINE;

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    lo: u64,
    hi: u64,
    /// Word length; 0 marks an empty slot (there are no empty words).
    len: u32,
    id: EntryId,
}

/// Open addressing with linear probing, at most half full.
#[derive(Debug, Clone)]
pub(crate) struct WordTable {
    slots: Vec<Slot>,
    mask: usize,
    /// Words stored inline.
    inline: usize,
    long: FxHashMap<Box<[u8]>, EntryId>,
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
    // Keep the word's bytes, zero the rest (`len` is 1..=16).
    Some(if len <= 8 {
        (lo & (u64::MAX >> (64 - 8 * len)), 0)
    } else {
        (lo, hi & (u64::MAX >> (128 - 8 * len)))
    })
}

/// The zero-padded key of `word` (at most [`INLINE`] bytes).
pub(crate) fn key_of(word: &[u8]) -> (u64, u64) {
    let mut buf = [0u8; INLINE];
    buf[..word.len()].copy_from_slice(word);
    let k = u128::from_le_bytes(buf);
    (k as u64, (k >> 64) as u64)
}

impl WordTable {
    pub fn new<'w>(words: impl ExactSizeIterator<Item = (&'w str, EntryId)>) -> Self {
        let mut table = Self::with_capacity(words.len());
        for (w, id) in words {
            table.insert(w.as_bytes(), id);
        }
        table
    }

    fn with_capacity(words: usize) -> Self {
        let slots = (words * 2).next_power_of_two().max(16);
        WordTable {
            slots: vec![Slot::default(); slots],
            mask: slots - 1,
            inline: 0,
            long: FxHashMap::default(),
        }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.inline + self.long.len()
    }

    /// Adds a word (or replaces its id), growing the table to stay at most
    /// half full.
    pub fn insert(&mut self, word: &[u8], id: EntryId) {
        if word.is_empty() {
            return;
        }
        if word.len() > INLINE {
            self.long.insert(word.into(), id);
            return;
        }
        if (self.inline + 1) * 2 > self.slots.len() {
            let mut bigger = Self::with_capacity(self.slots.len());
            for s in self.slots.iter().filter(|s| s.len != 0) {
                bigger.insert_key(s.lo, s.hi, s.len as usize, s.id);
            }
            bigger.long = std::mem::take(&mut self.long);
            *self = bigger;
        }
        let (lo, hi) = key_of(word);
        self.insert_key(lo, hi, word.len(), id);
    }

    fn insert_key(&mut self, lo: u64, hi: u64, len: usize, id: EntryId) {
        let mut i = hash(lo, hi, len) as usize & self.mask;
        loop {
            let s = &mut self.slots[i];
            if s.len == 0 {
                self.inline += 1;
            }
            if s.len == 0 || (s.len as usize == len && s.lo == lo && s.hi == hi) {
                *s = Slot {
                    lo,
                    hi,
                    len: len as u32,
                    id,
                };
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The entry of the word `buf[start..end]`; `buf` must have [`PADDING`]
    /// bytes after `end`.
    #[inline]
    pub fn get_at(&self, buf: &[u8], start: usize, end: usize) -> EntryId {
        match key_at(buf, start, end) {
            Some((lo, hi)) => self.get_key(lo, hi, end - start),
            None => self.get(&buf[start..end]),
        }
    }

    /// The entry of `word`, wherever it is.
    pub fn get(&self, word: &[u8]) -> EntryId {
        if word.len() > INLINE || word.is_empty() {
            return self.long.get(word).copied().unwrap_or(NO_ENTRY);
        }
        let (lo, hi) = key_of(word);
        self.get_key(lo, hi, word.len())
    }

    #[inline(always)]
    fn get_key(&self, lo: u64, hi: u64, len: usize) -> EntryId {
        let mut i = hash(lo, hi, len) as usize & self.mask;
        loop {
            let s = &self.slots[i];
            if s.lo == lo && s.hi == hi && s.len as usize == len {
                return s.id;
            }
            if s.len == 0 {
                return NO_ENTRY;
            }
            i = (i + 1) & self.mask;
        }
    }
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
                .map(|(i, w)| (w.as_str(), i as EntryId)),
        );
        for (i, w) in words.iter().enumerate() {
            assert_eq!(table.get(w.as_bytes()), i as EntryId, "{w}");
            // In a padded buffer, between other bytes.
            let mut buf = format!("xx {w} yy").into_bytes();
            buf.extend([0; PADDING]);
            assert_eq!(table.get_at(&buf, 3, 3 + w.len()), i as EntryId, "{w}");
        }
        for absent in ["", "kata", "kata5000", "tidak ", "tida", "sangatt", "b"] {
            assert_eq!(table.get(absent.as_bytes()), NO_ENTRY, "{absent:?}");
        }
        // A prefix of a stored word is not the word, whatever follows it.
        let buf = b"tidakxx\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        assert_eq!(table.get_at(buf, 0, 4), NO_ENTRY);
        assert_eq!(table.get_at(buf, 0, 5), table.get(b"tidak"));
        // Without padding the lookup still answers, by copying.
        assert_eq!(table.get_at(b"tidak", 0, 5), table.get(b"tidak"));
    }

    #[test]
    fn grows_as_words_are_added() {
        let mut table = WordTable::new(std::iter::empty());
        for i in 0..3000u32 {
            table.insert(format!("w{i}").as_bytes(), i);
            table.insert(format!("w{i}").as_bytes(), i); // a repeat is no new word
        }
        table.insert(b"a-very-long-word-indeed", 7);
        assert_eq!(table.len(), 3001);
        assert!((0..3000u32).all(|i| table.get(format!("w{i}").as_bytes()) == i));
        assert_eq!(table.get(b"a-very-long-word-indeed"), 7);
        assert_eq!(table.get(b"w3000"), NO_ENTRY);
    }
}
