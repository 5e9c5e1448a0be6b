//! The scoring engine behind [`crate::Classifier`]. Everything a text needs
//! while it is scored — its lower-cased copy, word spans, sentences, the
//! vocabulary entry of each word — lives in per-thread scratch buffers that
//! are reused from text to text, so scoring allocates nothing per token and,
//! once warm, nothing at all except the explanation it is asked for.
//!
//! A text is scored in two passes: the first weighs each sentence (is it
//! about the entity, next to one that is, the headline?) and looks up the
//! words of the sentences that count; the second applies the rules clause by
//! clause. Words that can do nothing in the text's language are passed over
//! after a one-byte test.

use std::cell::RefCell;
use std::ops::Range;

use pantau_model::{format_compact, CompactString, MatchedTerm, Sentiment};
use pantau_text::{words_and_sentences, Sentence};

use crate::lang::Votes;
use crate::lexicon::Mark;
use crate::table::{key_at, key_of, WordTable, INLINE, PADDING};
use crate::vocab::{kind, tag, EntryId, Pack, Surface, Vocab, NO_ENTRY};
use crate::{pack_for, Input, Params, Tone};

/// Not looked up yet: only scored words (and the first words, for language
/// detection) are ever hashed.
const PENDING: EntryId = NO_ENTRY - 1;

/// Texts are scored on their first 256 MiB, so that every offset into the
/// scratch — the text, its padding and the lower-case forms of its
/// non-ASCII words, at most about eight times the text — fits a `u32`.
const MAX_TEXT: usize = 1 << 28;

/// [`PADDING`] zero bytes.
const ZEROS: &str = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// Scratch buffers larger than this are released after use, so one huge
/// text does not pin its memory to the thread for good.
const KEEP_BYTES: usize = 1 << 20;

/// One word of the text being scored.
#[derive(Debug, Clone, Copy)]
struct Tok {
    /// Where it is written in the text.
    start: u32,
    end: u32,
    /// Where its lower-case form is in the scratch's `lower` buffer: the
    /// same span for an ASCII word, a span after the text for any other.
    low_start: u32,
    low_end: u32,
    /// Its vocabulary entry, or [`PENDING`].
    entry: EntryId,
    /// The word table's tag (see [`tag`]), and [`CLAUSE_BREAK`].
    tag: u32,
}

/// In [`Tok::tag`], above the word table's bits: a clause ends before this
/// word (`,` `;` `:` or a dash between it and the word before).
const CLAUSE_BREAK: u32 = 1 << 31;
/// In [`Tok::tag`] while the token is being scanned: `entry` holds where
/// [`crate::table::WordTable::locate`] placed the word, to be looked up
/// once the scan is done and its cache line has arrived.
const LOCATED: u32 = 1 << 30;
/// In [`Tok::tag`]: the word is part of an entity mention ("Program
/// Keluarga Harapan", "Sekolah Rakyat"), so it names the entity and says
/// nothing of it.
const IN_MENTION: u32 = 1 << 29;
const _: () = assert!(IN_MENTION >= 1 << crate::table::TAG_BITS);

impl Tok {
    #[inline(always)]
    fn written(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    #[inline(always)]
    fn lowered(&self) -> Range<usize> {
        self.low_start as usize..self.low_end as usize
    }
}

/// A sentence that counts, with its weights and its words.
#[derive(Debug, Clone)]
struct Scored {
    toks: Range<usize>,
    /// Weight of its clauses that mention the entity (or of all of them).
    base: f32,
    /// Headline multiplier.
    head: f32,
    /// Question damping.
    question: f32,
    in_title: bool,
    /// Whether it mentions the entity (its other clauses then weigh less).
    mentioning: bool,
}

/// The roots affix stripping finds for words not in the vocabulary. Trying
/// the candidates costs up to a few dozen lookups, and news repeats its
/// words, so every answer is remembered — per thread, for one vocabulary and
/// language at a time.
#[derive(Debug)]
struct StemMemo {
    /// (vocabulary id, language slot) the answers belong to.
    owner: (u64, usize),
    roots: WordTable,
}

/// In the memo: the word has no root (as opposed to not being there).
const NO_ROOT: EntryId = NO_ENTRY - 2;

/// Distinct unknown words remembered per thread before the memo starts over.
const STEM_MEMO_MAX: usize = 200_000;

impl Default for StemMemo {
    fn default() -> Self {
        StemMemo {
            owner: (0, 0),
            roots: WordTable::new(std::iter::empty()),
        }
    }
}

impl StemMemo {
    /// The root of the unknown word `buf[start..end]` (`buf` padded).
    fn root(&mut self, vocab: &Vocab, slot: usize, buf: &str, start: usize, end: usize) -> EntryId {
        if self.owner != (vocab.id(), slot) || self.roots.len() >= STEM_MEMO_MAX {
            *self = StemMemo {
                owner: (vocab.id(), slot),
                ..StemMemo::default()
            };
        }
        match self.roots.get_at(buf.as_bytes(), start, end) {
            NO_ROOT => NO_ENTRY,
            NO_ENTRY => {
                let word = &buf[start..end];
                let root = vocab.strip_affixes(slot, word);
                let remembered = if root == NO_ENTRY { NO_ROOT } else { root };
                self.roots.insert(word.as_bytes(), remembered);
                root
            }
            root => root,
        }
    }
}

/// Per-thread working memory of [`run`].
#[derive(Debug, Default)]
struct Scratch {
    /// The text with ASCII letters lower-cased (offsets unchanged), then the
    /// lower-case forms of its non-ASCII words, each followed by
    /// [`PADDING`] zero bytes for the word table's reads.
    lower: String,
    toks: Vec<Tok>,
    /// Length of each token's lower-case form, 255 for 255 and more: the
    /// proper-noun check finds the words of a length with `memchr`. Filled
    /// when first needed.
    lens: Vec<u8>,
    /// Per token not in the vocabulary, the root affix stripping finds;
    /// empty for a language without it.
    roots: Vec<EntryId>,
    memo: StemMemo,
    sents: Vec<Sentence>,
    mentioning: Vec<bool>,
    scored: Vec<Scored>,
}

/// A clause of a scored sentence: its tokens, the [`kind`] bits any of
/// them has, and which of its first 64 tokens may match (a term, a phrase
/// start, a negator), so scoring visits those and passes over the rest
/// without a branch per word.
#[derive(Debug, Clone)]
struct Clause {
    toks: Range<usize>,
    kinds: u8,
    may_match: u64,
}

/// What a token must be for the scorer to stop at it.
const MAY_MATCH: u8 = kind::TERM | kind::PHRASE | kind::NEGATOR | kind::UNKNOWN;

impl Scratch {
    /// Finds the words and sentences of `text` in one scan, looking each
    /// word up as it is found when `eager` (every word will be scored) and
    /// the first [`Votes::WORDS`] words always; returns their votes for the
    /// text's language.
    fn prepare(&mut self, vocab: &Vocab, text: &str, eager: bool) -> Votes {
        self.lower.clear();
        self.lower.push_str(text);
        // Room for the word table's 16-byte reads past the last word, and
        // up to a multiple of 32 bytes, so that lower-casing runs in whole
        // vectors without a byte-by-byte tail.
        let padding = PADDING + (32 - (text.len() + PADDING) % 32) % 32;
        for _ in 0..padding / PADDING {
            self.lower.push_str(ZEROS);
        }
        self.lower.push_str(&ZEROS[..padding % PADDING]);
        self.lower.make_ascii_lowercase();
        self.toks.clear();
        let Scratch {
            lower, toks, sents, ..
        } = self;
        let mut prev_end = 0;
        let on_word = |w: Range<usize>, ascii: bool| {
            let (low_start, low_end) = if ascii {
                (w.start, w.end)
            } else {
                let from = lower.len();
                let word = &text[w.clone()];
                // Char by char, without allocating, but for a capital sigma,
                // whose lower case depends on its place in the word.
                if word.contains('Σ') {
                    lower.push_str(&word.to_lowercase());
                } else {
                    lower.extend(word.chars().flat_map(char::to_lowercase));
                }
                let to = lower.len();
                lower.push_str(&ZEROS[..PADDING]);
                (from, to)
            };
            // The first word's "gap" is empty: no break.
            let brk = u32::from(clause_break(text, prev_end, w.start)) * CLAUSE_BREAK;
            prev_end = w.end;
            // Every word is looked up when every word is scored, the first
            // ones always (they vote for the language): located now, found
            // after the scan, so that waiting for memory overlaps the scan.
            let (entry, tag) = if eager || toks.len() < Votes::WORDS {
                match vocab.table.locate(lower.as_bytes(), low_start, low_end) {
                    Some(at) => (at, LOCATED),
                    None => {
                        let hit = vocab.table.find_at(lower.as_bytes(), low_start, low_end);
                        (hit.id, hit.tag)
                    }
                }
            } else {
                (PENDING, 0)
            };
            toks.push(Tok {
                start: w.start as u32,
                end: w.end as u32,
                low_start: low_start as u32,
                low_end: low_end as u32,
                entry,
                tag: tag | brk,
            });
        };
        words_and_sentences(text, on_word, sents);
        // The located words found; the first words vote, if written in
        // ASCII (function words are, and are short), by arithmetic.
        let looked_up = if eager {
            self.toks.len()
        } else {
            self.toks.len().min(Votes::WORDS)
        };
        let mut votes = Votes::default();
        let bytes = self.lower.as_bytes();
        for (i, t) in self.toks[..looked_up].iter_mut().enumerate() {
            if t.tag & LOCATED != 0 {
                let (start, end) = (t.low_start as usize, t.low_end as usize);
                let hit = vocab.table.find_located(bytes, start, end, t.entry);
                t.entry = hit.id;
                t.tag = t.tag & !LOCATED | hit.tag;
            }
            let votes_for = (i < Votes::WORDS) & (t.low_start == t.start);
            votes.add_flags(tag::vote(t.tag) & u32::from(votes_for).wrapping_neg());
        }
        // Filled again for this text when the proper-noun check needs it.
        self.lens.clear();
        votes
    }

    fn release_if_large(&mut self) {
        if self.lower.capacity() > KEEP_BYTES {
            *self = Scratch {
                memo: std::mem::take(&mut self.memo),
                ..Scratch::default()
            };
        }
    }
}

/// Whether the gap between two words, `text[from..to]`, ends a clause.
#[inline(always)]
fn clause_break(text: &str, from: usize, to: usize) -> bool {
    let bytes = text.as_bytes();
    let len = to - from;
    // Most gaps are one or two bytes (" ", ", "): a clause mark among them
    // is found by table, without a branch on which bytes they are. A dash
    // takes three bytes ("—", " - ").
    if len <= 2 {
        let mark = |at: usize, present: bool| {
            present & CLAUSE_MARK[usize::from(bytes.get(at).copied().unwrap_or(0))]
        };
        return mark(from, len >= 1) | mark(from + 1, len == 2);
    }
    let gap = &text[from..to];
    gap.contains([',', ';', ':', '\u{2014}', '\u{2013}']) || gap.contains(" - ")
}

/// The one-byte clause marks.
static CLAUSE_MARK: [bool; 256] = {
    let mut t = [false; 256];
    t[b',' as usize] = true;
    t[b';' as usize] = true;
    t[b':' as usize] = true;
    t
};

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The lower-case form of a token.
#[inline]
fn low<'s>(t: &Tok, lower: &'s str) -> &'s str {
    &lower[t.lowered()]
}

/// Scores `input`; pushes the explanation's terms when `terms` is given.
pub(crate) fn run(
    vocab: &Vocab,
    params: &Params,
    input: Input<'_>,
    terms: Option<&mut Vec<MatchedTerm>>,
) -> Tone {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let tone = run_in(&mut scratch, vocab, params, input, terms);
            scratch.release_if_large();
            tone
        }
        // Only reachable if scoring were re-entered on this thread.
        Err(_) => run_in(&mut Scratch::default(), vocab, params, input, terms),
    })
}

fn run_in(
    sc: &mut Scratch,
    vocab: &Vocab,
    p: &Params,
    input: Input<'_>,
    mut terms: Option<&mut Vec<MatchedTerm>>,
) -> Tone {
    let mut text = input.text;
    if text.len() > MAX_TEXT {
        let mut end = MAX_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text = &text[..end];
    }
    let targeted = !input.mentions.is_empty();
    // Language by function words among the first words; their lookups are
    // kept for scoring. Untargeted, every word is scored: all are looked up.
    let language = sc.prepare(vocab, text, !targeted).decide();
    let slot = pack_for(language) as usize;
    let pack = &vocab.packs[slot];
    let Scratch {
        lower,
        toks,
        lens,
        roots,
        memo,
        sents,
        mentioning,
        scored,
    } = sc;
    let (lower, sents) = (lower.as_str(), &sents[..]);

    // First pass: which sentences count, and how much.
    let mention_in = |r: &Range<usize>| {
        input
            .mentions
            .iter()
            .any(|m| m.start < r.end && r.start < m.end)
    };
    // Untargeted, no sentence mentions the entity and none needs to.
    mentioning.clear();
    if targeted {
        mentioning.extend(sents.iter().map(|s| mention_in(&s.bytes)));
    }
    let mentions = |si: usize| mentioning.get(si).copied().unwrap_or(false);
    // Only a language with affix stripping has roots to find.
    roots.clear();
    if pack.stem {
        roots.resize(toks.len(), NO_ENTRY);
    }
    scored.clear();
    for (si, Sentence { bytes: sent, words }) in sents.iter().enumerate() {
        let near = (si > 0 && mentions(si - 1)) || mentions(si + 1);
        let in_title = sent.start < input.title_len;
        // A headline that does not name the entity frames the story but
        // is not about the entity: it counts as another clause, undoubled.
        let (base, head) = if !targeted || mentions(si) {
            (1.0, if in_title { p.headline } else { 1.0 })
        } else if in_title {
            (p.other_clause, 1.0)
        } else if near {
            (p.neighbour, 1.0)
        } else {
            (0.0, 1.0)
        };
        if base == 0.0 || words.is_empty() {
            continue;
        }
        // Looked up already when every word is scored; only a language
        // with affix stripping has more to do.
        let in_mention = |t: &Tok| {
            input
                .mentions
                .iter()
                .any(|m| m.start < t.end as usize && (t.start as usize) < m.end)
        };
        let mentioning_sentence = mentions(si);
        if targeted || pack.stem {
            for (i, t) in words.clone().zip(&mut toks[words.clone()]) {
                if mentioning_sentence && in_mention(t) {
                    t.tag |= IN_MENTION;
                }
                let (from, to) = (t.low_start as usize, t.low_end as usize);
                if t.entry == PENDING {
                    let hit = vocab.table.find_at(lower.as_bytes(), from, to);
                    t.entry = hit.id;
                    t.tag |= hit.tag;
                }
                // A word not in the vocabulary has no kind bits in its tag,
                // but may be a term through its root.
                if pack.stem && t.entry == NO_ENTRY {
                    if pack.may_stem(&lower[from..to]) {
                        roots[i] = memo.root(vocab, slot, lower, from, to);
                    }
                    if roots[i] != NO_ENTRY {
                        t.tag |= tag::with_kinds(kind::UNKNOWN, slot);
                    }
                }
            }
        }
        // Sentences are trimmed: the last byte is the last character.
        let question = text.as_bytes()[sent.end - 1] == b'?';
        scored.push(Scored {
            toks: words.clone(),
            base,
            head,
            question: if question { 0.6 } else { 1.0 },
            in_title,
            mentioning: mentions(si),
        });
    }

    // Second pass: the rules, clause by clause.
    let toks = &toks[..];
    let doc = Doc {
        vocab,
        pack,
        slot,
        params: p,
        text,
        lower,
        toks,
        roots,
        targeted,
        proper: ProperNouns {
            text,
            lower,
            toks,
            lens: RefCell::new(lens),
            sents,
            title_len: input.title_len,
            answers: RefCell::default(),
        },
    };
    let mut total = 0.0f32;
    // A service marker in the headline makes the whole text a service
    // article; in the body, its sentence only.
    let mut service_article = false;
    for s in scored.iter() {
        let mut sentence_sum = 0.0f32;
        let mut service = false;
        let first_term = terms.as_deref().map_or(0, Vec::len);
        // Each clause is scored as soon as it is split off.
        split_clauses(toks, s.toks.clone(), slot, |clause| {
            if clause.kinds & MAY_MATCH == 0 {
                return;
            }
            let range =
                toks[clause.toks.start].start as usize..toks[clause.toks.end - 1].end as usize;
            // A headline that names the entity is about it in every clause.
            let clause_w = if s.mentioning && !s.in_title && !mention_in(&range) {
                p.other_clause
            } else {
                s.base
            };
            let scale = clause_w * s.head * s.question;
            let (sum, marks) = doc.score_clause(clause, scale, s.in_title, terms.as_deref_mut());
            sentence_sum += sum;
            service |= marks.service;
        });
        if service && s.in_title {
            service_article = true;
        } else if service {
            sentence_sum *= p.service;
            rescale(
                terms.as_deref_mut(),
                first_term,
                p.service,
                "service sentence",
            );
        }
        total += sentence_sum;
    }
    if service_article {
        total *= p.service;
        rescale(terms, 0, p.service, "service article");
    }
    let score = total / (total * total + p.alpha).sqrt();
    let (pos_t, neg_t) = if targeted {
        (p.targeted_positive, p.targeted_negative)
    } else {
        (p.positive_threshold, p.negative_threshold)
    };
    let sentiment = if score >= pos_t {
        Sentiment::Positive
    } else if score <= -neg_t {
        Sentiment::Negative
    } else {
        Sentiment::Neutral
    };
    Tone {
        sentiment,
        score,
        language,
    }
}

/// Multiplies the effective weight of `terms[from..]` by `factor`, noting
/// why in each.
fn rescale(terms: Option<&mut Vec<MatchedTerm>>, from: usize, factor: f32, why: &str) {
    for t in terms.into_iter().flat_map(|ts| ts[from..].iter_mut()) {
        t.effective *= factor;
        t.modifiers.push(format_compact!("{why} ×{factor:.2}"));
    }
}

/// Marks met while a clause was scored.
#[derive(Debug, Default, Clone, Copy)]
struct ClauseMarks {
    service: bool,
}

/// Splits a sentence's tokens into clauses where [`clause_break`] found
/// one, noting what each clause's words can do in pack `slot`, and hands
/// each to `on_clause` in order.
fn split_clauses(
    toks: &[Tok],
    sentence: Range<usize>,
    slot: usize,
    mut on_clause: impl FnMut(&Clause),
) {
    let mut clause = Clause {
        toks: sentence.start..sentence.start,
        kinds: 0,
        may_match: 0,
    };
    for (at, t) in toks[sentence.clone()].iter().enumerate() {
        let at = sentence.start + at;
        if (t.tag & CLAUSE_BREAK != 0) & (at > sentence.start) {
            clause.toks.end = at;
            on_clause(&clause);
            clause = Clause {
                toks: at..at,
                kinds: 0,
                may_match: 0,
            };
        }
        let k = tag::kinds(t.tag, slot);
        clause.kinds |= k;
        let offset = at - clause.toks.start;
        if offset < 64 {
            clause.may_match |= u64::from(k & MAY_MATCH != 0) << offset;
        }
    }
    clause.toks.end = sentence.end;
    on_clause(&clause);
}

/// Words written capitalised inside body sentences and never in lower case:
/// names ("Bagus Hartawan", "Batu Rindang"), not sentiment words, even when
/// they are spelled like one. Sentence-initial words are no evidence, and
/// the Title Case headline borrows what the body shows. Asked only about a
/// capitalised word that would otherwise count — a few per text — so each
/// answer is one scan of the words, remembered for the rest of the text.
struct ProperNouns<'t> {
    text: &'t str,
    lower: &'t str,
    toks: &'t [Tok],
    /// Empty until the first scan.
    lens: RefCell<&'t mut Vec<u8>>,
    sents: &'t [Sentence],
    title_len: usize,
    answers: RefCell<Vec<(&'t str, bool)>>,
}

impl<'t> ProperNouns<'t> {
    fn is_proper(&self, word: &'t str) -> bool {
        if let Some(&(_, known)) = self.answers.borrow().iter().find(|(w, _)| *w == word) {
            return known;
        }
        let answer = self.scan(word);
        self.answers.borrow_mut().push((word, answer));
        answer
    }

    /// The lower-case form of token `t`, and its inline key when it has one.
    fn lower_key(&self, t: &Tok) -> (&'t str, Option<(u64, u64)>) {
        let (from, to) = (t.low_start as usize, t.low_end as usize);
        (
            &self.lower[from..to],
            key_at(self.lower.as_bytes(), from, to),
        )
    }

    /// Whether lower-case `word` is written capitalised inside a body
    /// sentence and nowhere written in lower case.
    fn scan(&self, word: &str) -> bool {
        let key = (word.len() <= INLINE).then(|| key_of(word.as_bytes()));
        let mut capitalised = false;
        let mut lens = self.lens.borrow_mut();
        if lens.is_empty() {
            lens.extend(
                self.toks
                    .iter()
                    .map(|t| (t.low_end - t.low_start).min(255) as u8),
            );
        }
        for i in memchr::memchr_iter(word.len().min(255) as u8, &lens) {
            let t = &self.toks[i];
            if (t.low_end - t.low_start) as usize != word.len() {
                continue;
            }
            // Compared as two integers when both are short, as strings else.
            let (lower, lower_key) = self.lower_key(t);
            let same = match (key, lower_key) {
                (Some(a), Some(b)) => a == b,
                _ => lower == word,
            };
            if !same {
                continue;
            }
            let written = &self.text[t.written()];
            if written.as_bytes()[0].is_ascii_lowercase() {
                if written == word {
                    return false;
                }
                continue;
            }
            if capitalised || (t.start as usize) < self.title_len {
                continue;
            }
            let mut chars = written.chars();
            let starts_upper = chars.next().is_some_and(char::is_uppercase);
            if !starts_upper || !chars.any(char::is_lowercase) {
                continue;
            }
            let si = self
                .sents
                .partition_point(|s| s.bytes.end <= t.start as usize);
            let first_in_sentence = i == 0
                || self
                    .sents
                    .get(si)
                    .is_some_and(|s| (self.toks[i - 1].start as usize) < s.bytes.start);
            capitalised = !first_in_sentence;
        }
        capitalised
    }
}

/// One text being scored, with everything its rules read.
struct Doc<'t> {
    vocab: &'t Vocab,
    pack: &'t Pack,
    slot: usize,
    params: &'t Params,
    text: &'t str,
    lower: &'t str,
    toks: &'t [Tok],
    roots: &'t [EntryId],
    targeted: bool,
    proper: ProperNouns<'t>,
}

/// A rule applied to a matched term, rendered into the explanation only
/// when one is asked for.
#[derive(Debug, Clone, Copy)]
enum Applied {
    Headline,
    Topic(f32),
    /// By the token at this index.
    Negated(usize),
    Boosted(EntryId),
    Dampened(EntryId),
    AfterContrast,
    BeforeContrast,
    Conceded,
    Context(f32),
    /// After an order or a rule.
    Instruction,
    /// Praise of what is only intended ("akan", "bakal").
    Intent,
    /// A problem being fought, by the token at this index ("tekan").
    Remedied(usize),
}

/// At most one of each kind of [`Applied`] per term.
const MAX_APPLIED: usize = 12;

/// A matched term: words, lemma, lexicon weight, topic word, mark.
type Match<'t> = (usize, Lemma<'t>, f32, bool, Option<Mark>);

/// What a matched term is listed as in the explanation, read only when
/// there is one.
#[derive(Debug, Clone, Copy)]
enum Lemma<'t> {
    Entry(EntryId),
    Phrase(&'t str),
}

impl<'t> Doc<'t> {
    /// What token `t` can do in the text's language ([`kind`] bits).
    #[inline(always)]
    fn kind_of(&self, t: &Tok) -> u8 {
        tag::kinds(t.tag, self.slot)
    }

    #[inline(always)]
    fn kind(&self, i: usize) -> u8 {
        self.kind_of(&self.toks[i])
    }

    fn low(&self, i: usize) -> &'t str {
        low(&self.toks[i], self.lower)
    }

    /// The entry of token `i` and its surface in the scoring language.
    fn surface(&self, i: usize) -> Option<(EntryId, &'t Surface)> {
        let e = self.toks[i].entry;
        let entry = self.vocab.entries.get(e as usize)?;
        Some((e, &entry.surface[self.slot]))
    }

    /// The longest phrase starting at token `i` within the clause ending at `end`.
    fn phrase_at(&self, i: usize, end: usize) -> Option<Match<'t>> {
        let following = self.toks.get(i + 1..end)?;
        let list = self
            .pack
            .phrases_after((self.toks[i].entry, following.first()?.entry))?;
        list.iter().find_map(|ph| {
            let matches = ph.rest.len() <= following.len()
                && ph.rest.iter().zip(following).all(|(&e, t)| e == t.entry)
                // A name is a name when written as one ("Bener Meriah").
                && (ph.mark != Some(Mark::Name) || self.capitalised(i));
            matches.then_some((
                ph.rest.len() + 1,
                Lemma::Phrase(&ph.text),
                ph.weight,
                ph.topic,
                ph.mark,
            ))
        })
    }

    /// The single word at `i` as a lexicon term: as written, else by its
    /// root; names spelled like a sentiment word do not count.
    fn word_at(&self, i: usize) -> Option<Match<'t>> {
        let own = self.toks[i].entry;
        let counts_as = match own {
            // Roots are only found (and kept) where affixes are stripped.
            NO_ENTRY => self.roots.get(i).copied().unwrap_or(NO_ENTRY),
            e => e,
        };
        let term = self.pack.terms.get(counts_as as usize)?;
        if term.lemma == NO_ENTRY {
            return None;
        }
        // A root's mark is not its derived forms'.
        let mark = if own == NO_ENTRY { None } else { term.mark };
        if self.capitalised(i) && (mark == Some(Mark::Name) || self.proper.is_proper(self.low(i))) {
            return None;
        }
        Some((1, Lemma::Entry(term.lemma), term.weight, term.topic, mark))
    }

    /// Whether token `i` is written with a capital (ASCII) first letter.
    #[inline]
    fn capitalised(&self, i: usize) -> bool {
        self.text.as_bytes()[self.toks[i].start as usize].is_ascii_uppercase()
    }

    /// Whether any of the `n` tokens from `i` is part of an entity mention.
    #[inline]
    fn in_mention(&self, i: usize, n: usize) -> bool {
        self.toks[i..i + n].iter().any(|t| t.tag & IN_MENTION != 0)
    }

    /// The mark of the word at `i` as written (a negator may be an
    /// instruction: "jangan").
    fn own_mark(&self, i: usize) -> Option<Mark> {
        match self.toks[i].entry {
            NO_ENTRY => None,
            e => self.pack.terms.get(e as usize)?.mark,
        }
    }

    /// Scores the clause of tokens `range`; returns the sum of effective weights.
    fn score_clause(
        &self,
        clause: &Clause,
        scale: f32,
        in_title: bool,
        mut terms: Option<&mut Vec<MatchedTerm>>,
    ) -> (f32, ClauseMarks) {
        let p = self.params;
        let mut marks = ClauseMarks::default();
        // The token of the order or rule whose scope the rest of the
        // clause is, and the remedy ("tekan kesalahan") in reach.
        let mut instruction_at: Option<usize> = None;
        let mut intent_at: Option<usize> = None;
        let mut remedy_by: Option<(usize, usize)> = None;
        let range = clause.toks.clone();
        let toks = &self.toks[range.clone()];
        // Contrast: weight shifts to the part after the contrast word.
        let first_of = |k: u8| {
            (clause.kinds & k != 0)
                .then(|| toks.iter().position(|t| self.kind_of(t) & k != 0))
                .flatten()
                .map(|c| range.start + c)
        };
        let contrast_at = first_of(kind::CONTRAST);
        let concession_at = first_of(kind::CONCESSION);

        let mut sum = 0.0;
        let mut negated_by: Option<(usize, usize)> = None; // (negator index, scope end)
                                                           // The tokens that may match, in order: from the clause's bit mask,
                                                           // or one by one past its first 64 words.
        let mut may_match = clause.may_match;
        let mut beyond = (range.start + 64..range.end).filter(|&i| self.kind(i) & MAY_MATCH != 0);
        let mut next = || {
            if may_match != 0 {
                let offset = may_match.trailing_zeros() as usize;
                may_match &= may_match - 1;
                Some(range.start + offset)
            } else {
                beyond.next()
            }
        };
        // Tokens before `free` are part of a term already matched.
        let mut free = range.start;
        while let Some(i) = next() {
            if i < free {
                continue;
            }
            let k = self.kind(i);
            let is_negator = k & kind::NEGATOR != 0;
            if is_negator {
                // A negator may also start a phrase ("tidak tepat sasaran").
                negated_by = Some((i, i + 4));
            }
            let phrase = if k & kind::PHRASE != 0 {
                self.phrase_at(i, range.end)
            } else {
                None
            };
            let matched = phrase.or_else(|| if is_negator { None } else { self.word_at(i) });
            let Some((n, lemma, weight, topic, mark)) = matched else {
                if is_negator && self.own_mark(i) == Some(Mark::Instruction) {
                    instruction_at = instruction_at.or(Some(i));
                }
                free = i + 1;
                continue;
            };
            match mark {
                Some(Mark::Instruction) => instruction_at = instruction_at.or(Some(i)),
                Some(Mark::Service) => marks.service = true,
                Some(Mark::Remedy) => remedy_by = Some((i, i + n + 3)),
                Some(Mark::Intent) => intent_at = intent_at.or(Some(i)),
                _ => {}
            }
            // A term that starts with the entity's own name says nothing
            // of it; one that reaches into it ("tak dapat bansos") does.
            if weight == 0.0 || (self.targeted && self.in_mention(i, 1)) {
                free = i + n;
                continue;
            }
            let mut applied = [Applied::Headline; MAX_APPLIED];
            let mut n_applied = 0;
            let mut apply = |a: Applied| {
                applied[n_applied] = a;
                n_applied += 1;
            };
            let mut eff = weight * scale;
            if in_title {
                apply(Applied::Headline);
            }
            if topic && self.targeted {
                eff *= p.topic;
                apply(Applied::Topic(p.topic));
            }
            if let Some((ni, end)) = negated_by {
                if ni < i && i < end {
                    // In news, "not a failure" is a denial, far from praise.
                    eff *= if weight < 0.0 && self.targeted {
                        p.negated_negative
                    } else {
                        p.negation
                    };
                    apply(Applied::Negated(ni));
                    negated_by = None;
                }
            }
            if let Some((ri, end)) = remedy_by {
                if ri < i && i < end && weight < 0.0 && mark.is_none() {
                    eff *= p.negation;
                    apply(Applied::Remedied(ri));
                    remedy_by = None;
                }
            }
            if instruction_at.is_some_and(|at| at < i) {
                eff *= p.instruction;
                apply(Applied::Instruction);
            }
            if eff > 0.0 && intent_at.is_some_and(|at| at < i) {
                eff *= p.intent;
                apply(Applied::Intent);
            }
            for back in [1usize, 2] {
                if i < range.start + back {
                    break;
                }
                if self.kind(i - back) & kind::PRE != 0 {
                    let (e, s) = self.surface(i - back).expect("a modifier is an entry");
                    eff *= 1.0 + s.pre;
                    apply(if s.pre > 0.0 {
                        Applied::Boosted(e)
                    } else {
                        Applied::Dampened(e)
                    });
                    break;
                }
            }
            if i + n < range.end && self.kind(i + n) & kind::POST != 0 {
                let (e, s) = self.surface(i + n).expect("a modifier is an entry");
                eff *= 1.0 + s.post;
                apply(Applied::Boosted(e));
            }
            if let Some(c) = contrast_at {
                if i > c {
                    eff *= 1.5;
                    apply(Applied::AfterContrast);
                } else {
                    eff *= 0.5;
                    apply(Applied::BeforeContrast);
                }
            }
            if concession_at.is_some_and(|c| i > c) {
                eff *= 0.5;
                apply(Applied::Conceded);
            }
            if scale != 1.0 && !in_title {
                apply(Applied::Context(scale));
            }
            if let Some(terms) = terms.as_deref_mut() {
                let start = self.toks[i].start as usize;
                let end = self.toks[i + n - 1].end as usize;
                terms.push(MatchedTerm {
                    text: self.text[start..end].into(),
                    lemma: match lemma {
                        Lemma::Entry(e) => (*self.vocab.entries[e as usize].key).into(),
                        Lemma::Phrase(text) => text.into(),
                    },
                    weight,
                    effective: eff,
                    position: start,
                    modifiers: applied[..n_applied]
                        .iter()
                        .map(|a| self.describe(*a))
                        .collect(),
                });
            }
            sum += eff;
            free = i + n;
        }
        (sum, marks)
    }

    /// The explanation's wording of an applied rule.
    fn describe(&self, a: Applied) -> CompactString {
        let key = |e: EntryId| &*self.vocab.entries[e as usize].key;
        match a {
            Applied::Headline => CompactString::const_new("headline"),
            Applied::Topic(m) => format_compact!("topic word ×{m:.2}"),
            Applied::Negated(ni) => format_compact!("negated by \"{}\"", self.low(ni)),
            Applied::Boosted(e) => format_compact!("boosted by \"{}\"", key(e)),
            Applied::Dampened(e) => format_compact!("dampened by \"{}\"", key(e)),
            Applied::AfterContrast => CompactString::const_new("after contrast"),
            Applied::BeforeContrast => CompactString::const_new("before contrast"),
            Applied::Conceded => CompactString::const_new("conceded"),
            Applied::Instruction => {
                format_compact!("instruction ×{:.2}", self.params.instruction)
            }
            Applied::Intent => format_compact!("intent ×{:.2}", self.params.intent),
            Applied::Remedied(ri) => format_compact!("remedied by \"{}\"", self.low(ri)),
            Applied::Context(scale) => format_compact!("context ×{scale:.2}"),
        }
    }
}
