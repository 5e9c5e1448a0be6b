//! The vocabulary: every word form the scorer knows, in both languages, in
//! one table. One hash lookup per scored token answers everything about it —
//! whether it is a function word of a language, and per language its lexicon
//! weight, phrase start, modifier role, booster and (Indonesian) the root that
//! affix stripping reaches — so the hot path never hashes a word twice.

use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

use crate::lang::Language;
use crate::lexicon::{Lexicon, Mark, Phrase};
use crate::stem;
use crate::table::WordTable;

/// Index of an entry in [`Vocab::entries`].
pub(crate) type EntryId = u32;
/// No entry: the word is unknown (or has no root).
pub(crate) const NO_ENTRY: EntryId = u32::MAX;

/// Words that change the terms near them, per language.
#[derive(Debug, Clone, Default)]
pub(crate) struct Modifiers {
    pub negators: &'static [&'static str],
    /// Before a term: word → scale delta (0.3 = ×1.3; -0.3 = ×0.7).
    pub pre: &'static [(&'static str, f32)],
    /// After a term ("bagus sekali", "bagus banget").
    pub post: &'static [(&'static str, f32)],
    /// "X tetapi Y": X weighs less, Y more.
    pub contrast: &'static [&'static str],
    /// "meski X, Y": X weighs less.
    pub concession: &'static [&'static str],
}

/// What a modifier word does to the terms near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Negator,
    Contrast,
    Concession,
}

/// What one word form is to one language's scorer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Surface {
    /// Lexicon weight of the form itself.
    pub weight: Option<f32>,
    /// Whether the lexicon lists it as a topic word.
    pub topic: bool,
    /// Its mark (instruction, service, name), if any.
    pub mark: Option<Mark>,
    /// Some phrase starts with this word.
    pub phrase_start: bool,
    /// Negator, contrast or concession.
    pub role: Option<Role>,
    /// Scale delta as a pre-modifier ("sangat"), 0 when none.
    pub pre: f32,
    /// Scale delta as a post-modifier ("sekali"), 0 when none.
    pub post: f32,
    /// The lexicon root affix stripping reaches, for a form without a
    /// weight of its own; computed once when the vocabulary is built.
    pub root: EntryId,
}

impl Default for Surface {
    fn default() -> Self {
        Surface {
            weight: None,
            topic: false,
            mark: None,
            phrase_start: false,
            role: None,
            pre: 0.0,
            post: 0.0,
            root: NO_ENTRY,
        }
    }
}

/// One lower-case word form.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: Box<str>,
    /// A function word of this language (language detection).
    pub function_word: Option<Language>,
    /// Per pack (see [`PackId`]).
    pub surface: [Surface; 2],
}

/// Which language's lexicon scores a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PackId {
    Indonesian = 0,
    English = 1,
}

/// One language's lexicon with its modifiers.
#[derive(Debug, Clone)]
pub(crate) struct Pack {
    /// Number of lexicon entries (words and phrases).
    pub lexicon_len: usize,
    /// Whether affix stripping applies (Indonesian).
    pub stem: bool,
    /// Phrases by their first two words, longest first: a word that starts
    /// phrases ("tidak" starts a hundred) is matched with one lookup and a
    /// short list, not all of them.
    pub phrases: FxHashMap<(EntryId, EntryId), Vec<PackPhrase>>,
    /// A bit per hash of every key of `phrases`: most words that can start
    /// a phrase are not followed by a word that does, and this says so
    /// from one cached bit.
    pair_bits: Box<[u64]>,
    /// Per entry, the lexicon term it counts as — itself or its root — in
    /// twelve bytes, so scoring a word reads no [`Entry`].
    pub terms: Vec<Term>,
}

/// The lexicon term a word form counts as in one language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Term {
    /// The entry with the weight (the form itself or its root), or
    /// [`NO_ENTRY`] when the form is no term.
    pub lemma: EntryId,
    pub weight: f32,
    pub topic: bool,
    /// The form's own mark: a root's mark is not its derived forms'
    /// ("Serang" is a city, "serangan" still an attack).
    pub mark: Option<Mark>,
}

/// Bits of [`Pack::pair_bits`] (8 KiB): with a thousand or so first-two-word
/// pairs, about one miss in sixty still looks the pair up.
const PAIR_BITS: usize = 1 << 16;

/// The bit of a pair of words in [`Pack::pair_bits`].
#[inline(always)]
fn pair_bit(pair: (EntryId, EntryId)) -> usize {
    let h = (u64::from(pair.0) << 32 | u64::from(pair.1)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 48) as usize
}

impl Pack {
    /// The phrases that start with this pair of words, longest first.
    #[inline]
    pub fn phrases_after(&self, pair: (EntryId, EntryId)) -> Option<&[PackPhrase]> {
        let bit = pair_bit(pair);
        if self.pair_bits[bit / 64] >> (bit % 64) & 1 == 0 {
            return None;
        }
        self.phrases.get(&pair).map(Vec::as_slice)
    }

    /// Whether affix stripping may find a root for a word not in the
    /// vocabulary: its own limits, checked before any work.
    #[inline]
    pub fn may_stem(&self, w: &str) -> bool {
        self.stem && (4..=64).contains(&w.len()) && w.is_ascii()
    }
}

/// What a word can do in one language, as bits: the scorer passes over most
/// words after testing one byte.
pub(crate) mod kind {
    /// A weight of its own, or a root that has one.
    pub const TERM: u8 = 1;
    /// Some phrase starts with it.
    pub const PHRASE: u8 = 2;
    pub const NEGATOR: u8 = 4;
    pub const CONTRAST: u8 = 8;
    pub const CONCESSION: u8 = 16;
    /// Boosts or dampens the word after it.
    pub const PRE: u8 = 32;
    /// Boosts the word before it.
    pub const POST: u8 = 64;
    /// Not in the vocabulary, but affix stripping may reach a root.
    pub const UNKNOWN: u8 = 128;
}

/// The word table's tag of an entry: its [`kind`] bits in both languages
/// and its function-word language, so the lookup that finds a word also
/// says what it can do, without reading the entry.
pub(crate) mod tag {
    use super::Entry;
    use crate::lang::Language;

    const INDONESIAN: u32 = 1;
    const ENGLISH: u32 = 2;

    pub fn of(entry: &Entry, kinds: [u8; 2]) -> u32 {
        let function_word = match entry.function_word {
            Some(Language::Indonesian) => INDONESIAN,
            Some(Language::English) => ENGLISH,
            _ => 0,
        };
        u32::from(kinds[0]) | u32::from(kinds[1]) << 8 | function_word << 16
    }

    /// The word's [`super::kind`] bits in pack `slot`.
    #[inline(always)]
    pub fn kinds(tag: u32, slot: usize) -> u8 {
        (tag >> (8 * slot)) as u8
    }

    /// [`super::kind`] bits `k` in pack `slot`, to be or-ed into a tag.
    #[inline(always)]
    pub fn with_kinds(k: u8, slot: usize) -> u32 {
        u32::from(k) << (8 * slot)
    }

    /// The word's vote for a language, as `Votes::add_flags` counts it:
    /// 1 Indonesian, 2 English, 0 none.
    #[inline(always)]
    pub fn vote(tag: u32) -> u32 {
        tag >> 16 & 3
    }
}

/// A multi-word expression with its words after the first as entries, so
/// matching compares integers.
#[derive(Debug, Clone)]
pub(crate) struct PackPhrase {
    pub rest: Box<[EntryId]>,
    pub text: String,
    pub weight: f32,
    pub topic: bool,
    pub mark: Option<Mark>,
}

/// Both languages' word forms.
#[derive(Debug, Clone)]
pub(crate) struct Vocab {
    index: FxHashMap<Box<str>, EntryId>,
    /// The same words for the hot path (see [`WordTable`]).
    pub table: WordTable,
    pub entries: Vec<Entry>,
    pub packs: [Pack; 2],
    /// Unique per vocabulary: keys the per-thread stemming memos.
    id: u64,
}

/// Ids that tell vocabularies apart in the per-thread memos.
static NEXT_VOCAB_ID: AtomicU64 = AtomicU64::new(1);

impl Vocab {
    pub fn new(
        lexicons: [(Lexicon, &'static Modifiers, bool); 2],
        function_words: impl Iterator<Item = (&'static str, Language)>,
    ) -> Self {
        let mut v = Vocab {
            index: FxHashMap::default(),
            table: WordTable::new(std::iter::empty()),
            entries: Vec::new(),
            packs: lexicons.each_ref().map(|(lexicon, _, stem)| Pack {
                lexicon_len: lexicon.len(),
                stem: *stem,
                phrases: FxHashMap::default(),
                pair_bits: vec![0; PAIR_BITS / 64].into_boxed_slice(),
                terms: Vec::new(),
            }),
            id: NEXT_VOCAB_ID.fetch_add(1, Ordering::Relaxed),
        };
        for (w, language) in function_words {
            // So that a word counts as a function word by its lookup alone,
            // whatever its length (see `Votes::LONGEST`).
            assert!(
                w.len() <= crate::lang::Votes::LONGEST && w.is_ascii(),
                "function word {w:?} is longer than Votes::LONGEST or not ASCII"
            );
            let e = v.intern(w);
            v.entries[e as usize].function_word = Some(language);
        }
        for (slot, (lexicon, modifiers, _)) in lexicons.iter().enumerate() {
            for (w, &weight) in &lexicon.words {
                let e = v.intern(w);
                let s = &mut v.entries[e as usize].surface[slot];
                s.weight = Some(weight);
                s.topic = lexicon.is_topic(w);
                s.mark = lexicon.mark(w);
            }
            for (w, list) in &lexicon.phrases {
                let e = v.intern(w);
                v.entries[e as usize].surface[slot].phrase_start = true;
                // The list is longest first; each pair's share keeps that order.
                for ph in list.iter().filter(|ph: &&Phrase| ph.words.len() > 1) {
                    let rest: Box<[EntryId]> = ph.words[1..].iter().map(|w| v.intern(w)).collect();
                    v.packs[slot]
                        .phrases
                        .entry((e, rest[0]))
                        .or_default()
                        .push(PackPhrase {
                            rest,
                            text: ph.text.clone(),
                            weight: ph.weight,
                            topic: ph.topic,
                            mark: ph.mark,
                        });
                }
            }
            let roles = (modifiers.negators.iter().map(|w| (*w, Role::Negator)))
                .chain(modifiers.contrast.iter().map(|w| (*w, Role::Contrast)))
                .chain(modifiers.concession.iter().map(|w| (*w, Role::Concession)));
            for (w, role) in roles {
                let e = v.intern(w);
                v.entries[e as usize].surface[slot].role = Some(role);
            }
            for &(w, d) in modifiers.pre {
                let e = v.intern(w);
                v.entries[e as usize].surface[slot].pre = d;
            }
            for &(w, d) in modifiers.post {
                let e = v.intern(w);
                v.entries[e as usize].surface[slot].post = d;
            }
        }
        // Every known form without a weight of its own gets its root now,
        // so only unknown words ever reach the memo.
        for slot in 0..2 {
            for e in 0..v.entries.len() {
                if v.entries[e].surface[slot].weight.is_none() {
                    let root = v.strip_affixes(slot, &v.entries[e].key.clone());
                    v.entries[e].surface[slot].root = root;
                }
            }
        }
        for slot in 0..2 {
            let terms = (0..v.entries.len())
                .map(|e| {
                    let s = &v.entries[e].surface[slot];
                    let lemma = if s.weight.is_some() {
                        e as EntryId
                    } else {
                        s.root
                    };
                    match v.entries.get(lemma as usize) {
                        Some(l) => Term {
                            lemma,
                            weight: l.surface[slot].weight.unwrap_or(0.0),
                            topic: l.surface[slot].topic,
                            mark: s.mark,
                        },
                        None => Term {
                            lemma: NO_ENTRY,
                            weight: 0.0,
                            topic: false,
                            mark: None,
                        },
                    }
                })
                .collect();
            let pack = &mut v.packs[slot];
            pack.terms = terms;
            for &pair in pack.phrases.keys() {
                let bit = pair_bit(pair);
                pack.pair_bits[bit / 64] |= 1 << (bit % 64);
            }
        }
        let tags: Vec<u32> = (v.entries.iter())
            .map(|e| tag::of(e, e.surface.each_ref().map(Self::kind_of)))
            .collect();
        v.table = WordTable::new(v.index.iter().map(|(w, &e)| (&**w, e, tags[e as usize])));
        v
    }

    fn kind_of(s: &Surface) -> u8 {
        let mut k = 0;
        if s.weight.is_some() || s.root != NO_ENTRY {
            k |= kind::TERM;
        }
        if s.phrase_start {
            k |= kind::PHRASE;
        }
        k |= match s.role {
            Some(Role::Negator) => kind::NEGATOR,
            Some(Role::Contrast) => kind::CONTRAST,
            Some(Role::Concession) => kind::CONCESSION,
            None => 0,
        };
        if s.pre != 0.0 {
            k |= kind::PRE;
        }
        if s.post != 0.0 {
            k |= kind::POST;
        }
        k
    }

    fn intern(&mut self, w: &str) -> EntryId {
        if let Some(&e) = self.index.get(w) {
            return e;
        }
        let e = self.entries.len() as EntryId;
        self.entries.push(Entry {
            key: w.into(),
            function_word: None,
            surface: [Surface::default(); 2],
        });
        self.index.insert(w.into(), e);
        e
    }

    /// The entry of a lower-case word form.
    #[inline]
    pub fn lookup(&self, lower: &str) -> EntryId {
        self.index.get(lower).copied().unwrap_or(NO_ENTRY)
    }

    /// The root (with a weight in pack `slot`) that affix stripping reaches
    /// from `w`; the stemmer's limits are checked first.
    pub fn strip_affixes(&self, slot: usize, w: &str) -> EntryId {
        let pack = &self.packs[slot];
        if !pack.may_stem(w) {
            return NO_ENTRY;
        }
        // A candidate is a root when it has a weight in this language.
        stem::find_root(w, &mut |c: &str| {
            let e = self.lookup(c);
            let entry = self.entries.get(e as usize)?;
            entry.surface[slot].weight.map(|_| e)
        })
        .unwrap_or(NO_ENTRY)
    }

    /// Unique per vocabulary: what a memo of its roots is keyed by.
    pub fn id(&self) -> u64 {
        self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::TAG_BITS;

    #[test]
    fn a_tag_keeps_both_languages_kinds_and_the_function_word_apart() {
        let entry = |function_word| Entry {
            key: "not".into(),
            function_word,
            surface: [Surface::default(); 2],
        };
        let kinds = [kind::TERM | kind::UNKNOWN, kind::NEGATOR | kind::PRE];
        // The vote: bit 0 Indonesian, bit 1 English.
        for (language, expected) in [
            (None, 0),
            (Some(Language::Indonesian), 1),
            (Some(Language::English), 2),
        ] {
            let t = tag::of(&entry(language), kinds);
            assert!(t < 1 << TAG_BITS, "{t:#x} fits the word table");
            // Marks the scorer keeps above the table's bits change nothing.
            for t in [t, t | 1 << 31] {
                assert_eq!(tag::kinds(t, 0), kinds[0]);
                assert_eq!(tag::kinds(t, 1), kinds[1]);
                assert_eq!(tag::vote(t), expected, "{language:?}");
            }
            assert_eq!(
                tag::kinds(t | tag::with_kinds(kind::POST, 1), 1),
                kinds[1] | kind::POST
            );
        }
    }
}
