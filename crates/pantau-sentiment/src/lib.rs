//! The lexicon stage: sentiment of Indonesian and English news toward an
//! entity, with the explanation of every decision. Pure: no I/O after the
//! lexicons are loaded.
//!
//! # Layout
//!
//! - [`lexicon`]: lexicon files (`term<TAB>weight`), words and phrases.
//! - [`stem`]: Indonesian affix stripping guided by the lexicon.
//! - [`eval`]: accuracy, macro-F1 and the confusion matrix.
//! - [`lang`]: language detection (id / en / other) by function words.
//! - [`Classifier`]: scores a text. With entity mentions it is *targeted*: the
//!   clauses that mention the entity count fully, the rest of their sentence
//!   and the neighbouring sentences a little, everything else not at all; the
//!   headline counts double. Without mentions it scores the whole text.
//!
//! Rules per clause, in order: phrases (longest first), then words (as
//! written, then reduplicated or affix-stripped for Indonesian); a negator
//! flips the sign of a term within the next three words; boosters and
//! dampeners scale it; after a contrast word ("tetapi", "namun") the clause
//! weighs more and the one before less; a concession ("meski") weighs less;
//! questions weigh less. The sum is squashed into [-1, 1] as VADER does.

pub mod eval;
pub mod lang;
pub mod lexicon;
pub mod stem;

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use pantau_model::{Explanation, MatchedTerm, Sentiment};
use pantau_text::{sentences, words, Word};
use rustc_hash::{FxHashMap, FxHashSet};

pub use lang::Language;
pub use lexicon::{Lexicon, LexiconError};

/// Tunable constants of the scorer, with defaults chosen on training data.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Score at or above which a whole text is positive (tuned on the
    /// training splits of SmSA and NusaX: reviews and comments).
    pub positive_threshold: f32,
    /// Score at or below the negative of which a whole text is negative.
    pub negative_threshold: f32,
    /// |score| at or above which a targeted (news) score is not neutral;
    /// symmetric, because damped topic words leave low-level noise in news.
    pub targeted_threshold: f32,
    /// Multiplier of a negated term (sign flip and damping).
    pub negation: f32,
    /// Headline multiplier.
    pub headline: f32,
    /// Weight of clauses in a mentioning sentence that do not mention the entity.
    pub other_clause: f32,
    /// Weight of sentences next to a mentioning sentence.
    pub neighbour: f32,
    /// VADER's normalisation constant.
    pub alpha: f32,
    /// Multiplier of topic words (disaster, poverty…) in targeted scoring.
    pub topic: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            positive_threshold: 0.3,
            negative_threshold: 0.1,
            targeted_threshold: 0.2,
            negation: -0.75,
            headline: 2.0,
            other_clause: 0.2,
            neighbour: 0.3,
            alpha: 15.0,
            topic: 0.0,
        }
    }
}

/// Words that change the terms near them, per language.
#[derive(Debug, Clone, Default)]
struct Modifiers {
    negators: &'static [&'static str],
    /// Before a term: word → scale delta (0.3 = ×1.3; -0.3 = ×0.7).
    pre: &'static [(&'static str, f32)],
    /// After a term ("bagus sekali", "bagus banget").
    post: &'static [(&'static str, f32)],
    /// "X tetapi Y": X weighs less, Y more.
    contrast: &'static [&'static str],
    /// "meski X, Y": X weighs less.
    concession: &'static [&'static str],
}

const ID_MODIFIERS: Modifiers = Modifiers {
    negators: &[
        "tidak", "tak", "bukan", "belum", "tanpa", "jangan", "kurang", "gak", "nggak", "ngga",
        "enggak", "engga", "ga", "gk", "tdk", "ndak", "nda", "bkn", "blm", "tiada",
    ],
    pre: &[
        ("sangat", 0.4),
        ("amat", 0.3),
        ("paling", 0.4),
        ("terlalu", 0.3),
        ("sungguh", 0.3),
        ("benar-benar", 0.3),
        ("begitu", 0.2),
        ("makin", 0.2),
        ("semakin", 0.2),
        ("super", 0.4),
        ("sgt", 0.4),
        ("agak", -0.4),
        ("cukup", -0.2),
        ("sedikit", -0.4),
        ("lumayan", -0.2),
        ("kian", 0.2),
        ("teramat", 0.5),
    ],
    post: &[
        ("sekali", 0.4),
        ("banget", 0.4),
        ("bgt", 0.4),
        ("nian", 0.3),
    ],
    contrast: &[
        "tetapi",
        "tapi",
        "namun",
        "sedangkan",
        "padahal",
        "sayangnya",
        "tp",
    ],
    concession: &[
        "meski",
        "meskipun",
        "walau",
        "walaupun",
        "biarpun",
        "kendati",
        "sekalipun",
    ],
};

const EN_MODIFIERS: Modifiers = Modifiers {
    negators: &[
        "not",
        "no",
        "never",
        "without",
        "nothing",
        "neither",
        "nor",
        "none",
        "cannot",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "wouldn't",
        "shouldn't",
        "can't",
        "couldn't",
        "hardly",
        "barely",
        "lack",
        "lacks",
    ],
    pre: &[
        ("very", 0.3),
        ("extremely", 0.4),
        ("really", 0.3),
        ("so", 0.2),
        ("too", 0.2),
        ("highly", 0.3),
        ("absolutely", 0.4),
        ("most", 0.3),
        ("deeply", 0.3),
        ("quite", 0.1),
        ("slightly", -0.4),
        ("somewhat", -0.3),
        ("barely", -0.4),
        ("kind", -0.3),
        ("fairly", -0.2),
    ],
    post: &[],
    contrast: &["but", "however", "yet", "although", "though", "whereas"],
    concession: &["despite", "even"],
};

/// One language's lexicon with its modifiers.
#[derive(Debug, Clone)]
struct Pack {
    lexicon: Lexicon,

    stem: bool,
    /// Everything known about a lower-case word form — lexicon weight,
    /// phrase start, modifier role, booster — in one table: one hash lookup
    /// per token on the hot path.
    surface: FxHashMap<String, Surface>,
    /// Unique per pack: keys the per-thread stemming memo.
    id: u64,
}

/// What one word form is to the scorer.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Surface {
    /// Lexicon weight of the form itself.
    weight: Option<f32>,
    /// Whether the lexicon is a topic word list entry for it.
    topic: bool,
    /// Some phrase starts with this word.
    phrase_start: bool,
    /// Negator, contrast or concession.
    role: Option<Role>,
    /// Scale delta as a pre-modifier ("sangat"), 0 when none.
    pre: f32,
    /// Scale delta as a post-modifier ("sekali"), 0 when none.
    post: f32,
}

/// What a modifier word does to the terms near it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Negator,
    Contrast,
    Concession,
}

impl Pack {
    fn new(lexicon: Lexicon, modifiers: &'static Modifiers, stem: bool) -> Self {
        let mut surface: FxHashMap<String, Surface> = FxHashMap::default();
        for (w, &v) in &lexicon.words {
            let e = surface.entry(w.clone()).or_default();
            e.weight = Some(v);
            e.topic = lexicon.is_topic(w);
        }
        for w in lexicon.phrases.keys() {
            surface.entry(w.clone()).or_default().phrase_start = true;
        }
        let roles = (modifiers.negators.iter().map(|w| (*w, Role::Negator)))
            .chain(modifiers.contrast.iter().map(|w| (*w, Role::Contrast)))
            .chain(modifiers.concession.iter().map(|w| (*w, Role::Concession)));
        for (w, role) in roles {
            surface.entry(w.to_owned()).or_default().role = Some(role);
        }
        for &(w, d) in modifiers.pre {
            surface.entry(w.to_owned()).or_default().pre = d;
        }
        for &(w, d) in modifiers.post {
            surface.entry(w.to_owned()).or_default().post = d;
        }
        Pack {
            lexicon,
            stem,
            surface,
            id: NEXT_PACK_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The lemma and weight of a single word (lower-case) that is not a
    /// lexicon form itself, by affix stripping. Stripping tries up to a few
    /// dozen candidates, so its answers are memoised per thread: news
    /// repeats its words.
    fn stem_lookup(&self, w: &str) -> Option<(Cow<'_, str>, f32)> {
        // The stemmer's own limits, checked before the memo is consulted.
        if w.len() > 64 || w.len() < 4 || !self.stem || !w.is_ascii() {
            return None;
        }
        STEM_CACHE.with(|cell| {
            let mut cache = cell.borrow_mut();
            if cache.0 != self.id {
                cache.0 = self.id;
                cache.1.clear();
            }
            if let Some(hit) = cache.1.get(w) {
                return hit.as_ref().map(|(l, v)| (Cow::Owned(l.clone()), *v));
            }
            let found = stem::find_root(w, &mut |c: &str| {
                self.lexicon
                    .words
                    .get_key_value(c)
                    .map(|(k, &v)| (k.as_str(), v))
            });
            if cache.1.len() >= STEM_CACHE_MAX {
                cache.1.clear();
            }
            cache
                .1
                .insert(w.to_owned(), found.map(|(l, v)| (l.to_owned(), v)));
            found.map(|(l, v)| (Cow::Borrowed(l), v))
        })
    }
}

/// Distinct words remembered per thread before the memo starts over.
const STEM_CACHE_MAX: usize = 200_000;

type StemMemo = (u64, FxHashMap<String, Option<(String, f32)>>);

thread_local! {
    /// (pack id, word → root and weight): valid for one lexicon at a time.
    static STEM_CACHE: std::cell::RefCell<StemMemo> = std::cell::RefCell::new((0, FxHashMap::default()));
}

/// Ids that tell lexicons apart in the per-thread memo.
static NEXT_PACK_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// What to score: the article text and where the entity is mentioned.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Title, a line break, then summary and body (see [`compose`]).
    pub text: &'a str,
    /// Byte length of the headline at the start of `text`.
    pub title_len: usize,
    /// Byte ranges of entity mentions; empty scores the whole text.
    pub mentions: &'a [Range<usize>],
}

/// The result for one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Negative, neutral or positive.
    pub sentiment: Sentiment,
    /// In [-1, 1].
    pub score: f32,
    /// Matched terms and scope.
    pub explanation: Explanation,
}

/// Joins headline, summary and body into the text that relevance and
/// sentiment both read; returns it with the headline's byte length.
pub fn compose(title: &str, summary: &str, body: &str) -> (String, usize) {
    let mut text = String::with_capacity(title.len() + summary.len() + body.len() + 2);
    text.push_str(title);
    let title_len = text.len();
    for part in [summary, body] {
        // Feeds often repeat the summary as the body's first paragraph.
        if !part.is_empty() && !text.contains(part) {
            text.push('\n');
            text.push_str(part);
        }
    }
    (text, title_len)
}

/// The lexicon classifier for Indonesian and English.
#[derive(Debug, Clone)]
pub struct Classifier {
    id: Pack,
    en: Pack,
    params: Params,
}

impl Classifier {
    /// Loads `dir/id` and `dir/en`.
    pub fn load(dir: &Path) -> Result<Self, LexiconError> {
        Ok(Self::from_lexicons(
            Lexicon::load_dir(&dir.join("id"))?,
            Lexicon::load_dir(&dir.join("en"))?,
        ))
    }

    /// Builds a classifier from lexicons already in memory.
    pub fn from_lexicons(id: Lexicon, en: Lexicon) -> Self {
        Classifier {
            id: Pack::new(id, &ID_MODIFIERS, true),
            en: Pack::new(en, &EN_MODIFIERS, false),
            params: Params::default(),
        }
    }

    /// Replaces the scoring constants.
    pub fn with_params(mut self, params: Params) -> Self {
        self.params = params;
        self
    }

    /// The scoring constants.
    pub fn params(&self) -> Params {
        self.params
    }

    /// Number of entries per language (id, en).
    pub fn sizes(&self) -> (usize, usize) {
        (self.id.lexicon.len(), self.en.lexicon.len())
    }

    /// Scores a text.
    pub fn score(&self, input: Input<'_>) -> Scored {
        let toks: Vec<Word<'_>> = words(input.text).collect();
        // Lower-cased once: ASCII letters in place (offsets unchanged), the
        // rare non-ASCII word on its own.
        let mut lower_text = input.text.to_owned();
        lower_text.make_ascii_lowercase();
        // Only the tokens that are scored are ever lower-cased: in targeted
        // mode, a few sentences.
        let low = |t: &Word<'_>| -> Cow<'_, str> {
            if t.text.is_ascii() {
                Cow::Borrowed(&lower_text[t.start..t.end()])
            } else {
                Cow::Owned(t.text.to_lowercase())
            }
        };
        let language = lang::detect_lowered(&toks, &lower_text);
        let pack = match language {
            Language::English => &self.en,
            _ => &self.id,
        };
        let p = &self.params;
        let targeted = !input.mentions.is_empty();
        let sents = sentences(input.text);
        let mention_in = |r: &Range<usize>| {
            input
                .mentions
                .iter()
                .any(|m| m.start < r.end && r.start < m.end)
        };
        let mentioning: Vec<bool> = sents.iter().map(mention_in).collect();
        let proper = ProperNouns {
            toks: &toks,
            sents: &sents,
            title_len: input.title_len,
            names: Default::default(),
        };

        let mut terms = Vec::new();
        let mut total = 0.0f32;
        let mut tok_i = 0;
        let mut info = Vec::new();
        let mut clows: Vec<Cow<'_, str>> = Vec::new();
        let mut clause_buf = Vec::new();
        for (si, sent) in sents.iter().enumerate() {
            let near = (si > 0 && mentioning[si - 1]) || mentioning.get(si + 1) == Some(&true);
            let in_title = sent.start < input.title_len;
            // A headline that does not name the entity frames the story but
            // is not about the entity: it counts as another clause, undoubled.
            let (base, head) = if !targeted || mentioning[si] {
                (1.0, if in_title { p.headline } else { 1.0 })
            } else if in_title {
                (p.other_clause, 1.0)
            } else if near {
                (p.neighbour, 1.0)
            } else {
                (0.0, 1.0)
            };
            let question = input.text[sent.clone()].trim_end().ends_with('?');
            // Tokens of this sentence.
            while tok_i < toks.len() && toks[tok_i].start < sent.start {
                tok_i += 1;
            }
            let first = tok_i;
            while tok_i < toks.len() && toks[tok_i].start < sent.end {
                tok_i += 1;
            }
            if base == 0.0 {
                continue;
            }
            let stoks = &toks[first..tok_i];
            clauses(input.text, stoks, &mut clause_buf);
            for clause in clause_buf.iter().cloned() {
                let ctoks = &stoks[clause];
                clows.clear();
                clows.extend(ctoks.iter().map(low));
                let clause_range = ctoks[0].start..ctoks[ctoks.len() - 1].end();
                // A headline that names the entity is about it in every clause.
                let clause_w =
                    if targeted && mentioning[si] && !in_title && !mention_in(&clause_range) {
                        p.other_clause
                    } else {
                        base
                    };
                let scale = clause_w * head * if question { 0.6 } else { 1.0 };
                let ctx = ClauseCtx {
                    pack,
                    params: p,
                    text: input.text,
                    scale,
                    in_title,
                    targeted,
                    proper: &proper,
                };
                total += score_clause(&ctx, ctoks, &clows, &mut info, &mut terms);
            }
        }
        let score = total / (total * total + p.alpha).sqrt();
        let (pos_t, neg_t) = if targeted {
            (p.targeted_threshold, p.targeted_threshold)
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
        Scored {
            sentiment,
            score,
            explanation: Explanation {
                language: language.code().to_owned(),
                scope: if targeted { "targeted" } else { "whole" }.to_owned(),
                terms,
            },
        }
    }
}

/// Splits a sentence's tokens into clauses at `,` `;` `:` and dashes.
fn clauses(text: &str, toks: &[Word<'_>], out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    for i in 1..toks.len() {
        let gap = &text[toks[i - 1].end()..toks[i].start];
        if gap.contains([',', ';', ':', '\u{2014}', '\u{2013}']) || gap.contains(" - ") {
            out.push(start..i);
            start = i;
        }
    }
    if start < toks.len() {
        out.push(start..toks.len());
    }
}

/// Words written capitalised inside body sentences and never in lower case:
/// names ("Bagus Hartawan", "Batu Rindang"), not sentiment words, even when
/// they are spelled like one. Sentence-initial words are no evidence, and
/// the Title Case headline borrows what the body shows. Built on the first
/// question (a text whose scored clauses have no capitalised candidate
/// never pays for it).
struct ProperNouns<'t> {
    toks: &'t [Word<'t>],
    sents: &'t [Range<usize>],
    title_len: usize,
    names: std::cell::OnceCell<FxHashSet<String>>,
}

impl ProperNouns<'_> {
    fn is_proper(&self, lower: &str) -> bool {
        self.names.get_or_init(|| self.build()).contains(lower)
    }

    fn build(&self) -> FxHashSet<String> {
        let mut capital: FxHashSet<String> = FxHashSet::default();
        // Lengths of the capitalised words: most lower-case words can be
        // ruled out without hashing them.
        let mut lengths = 0u64;
        let mut si = 0;
        for (i, t) in self.toks.iter().enumerate() {
            if t.start < self.title_len {
                continue;
            }
            let mut chars = t.text.chars();
            let Some(c0) = chars.next() else { continue };
            if !c0.is_uppercase() || !chars.any(char::is_lowercase) {
                continue;
            }
            while si < self.sents.len() && self.sents[si].end <= t.start {
                si += 1;
            }
            let first_in_sentence = i == 0
                || self
                    .sents
                    .get(si)
                    .is_some_and(|s| self.toks[i - 1].start < s.start);
            if !first_in_sentence {
                let lower = t.text.to_lowercase();
                lengths |= 1u64 << lower.len().min(63);
                capital.insert(lower);
            }
        }
        if !capital.is_empty() {
            // A word also written in lower case somewhere is an ordinary word.
            for t in self.toks {
                if t.text.as_bytes()[0].is_ascii_lowercase()
                    && lengths & (1u64 << t.text.len().min(63)) != 0
                {
                    capital.remove(t.text);
                }
            }
        }
        capital
    }
}

struct ClauseCtx<'a> {
    pack: &'a Pack,
    params: &'a Params,
    text: &'a str,
    scale: f32,
    in_title: bool,
    targeted: bool,
    proper: &'a ProperNouns<'a>,
}

/// One token of a clause, looked up once.
#[derive(Clone, Copy)]
struct TokenInfo<'p> {
    /// The lower-case form as a key of the surface table, and its entry.
    surface: Option<(&'p str, &'p Surface)>,
}

/// Scores one clause; returns the sum of effective weights.
fn score_clause<'p>(
    ctx: &ClauseCtx<'p>,
    toks: &[Word<'_>],
    lows: &[Cow<'_, str>],
    info: &mut Vec<TokenInfo<'p>>,
    terms: &mut Vec<MatchedTerm>,
) -> f32 {
    let (pack, p, text, scale, in_title) =
        (ctx.pack, ctx.params, ctx.text, ctx.scale, ctx.in_title);
    info.clear();
    info.extend(lows.iter().map(|l| {
        TokenInfo {
            surface: pack
                .surface
                .get_key_value(l.as_ref())
                .map(|(k, v)| (k.as_str(), v)),
        }
    }));
    let role = |i: usize| info[i].surface.and_then(|(_, s)| s.role);
    // Contrast: weight shifts to the part after the contrast word.
    let contrast_at = (0..toks.len()).find(|&i| role(i) == Some(Role::Contrast));
    let concession_at = (0..toks.len()).find(|&i| role(i) == Some(Role::Concession));

    let mut sum = 0.0;
    let mut negated_by: Option<(usize, usize)> = None; // (negator index, scope end)
    let mut i = 0;
    while i < toks.len() {
        let low: &str = &lows[i];
        let surface = info[i].surface.map(|(_, s)| *s).unwrap_or_default();
        let is_negator = surface.role == Some(Role::Negator);
        if is_negator {
            negated_by = Some((i, i + 4));
            // A negator may also start a phrase ("tidak tepat sasaran").
        }
        // Phrases, longest first.
        let mut matched: Option<(usize, Cow<'_, str>, f32, bool)> = None;
        if surface.phrase_start {
            if let Some(cands) = pack.lexicon.phrases.get(low) {
                for ph in cands {
                    let n = ph.words.len();
                    if i + n <= toks.len()
                        && ph.words[1..]
                            .iter()
                            .zip(&lows[i + 1..])
                            .all(|(w, l)| w == l.as_ref())
                    {
                        matched = Some((n, Cow::Borrowed(ph.text.as_str()), ph.weight, ph.topic));
                        break;
                    }
                }
            }
        }
        if matched.is_none()
            && !is_negator
            && !(toks[i].text.as_bytes()[0].is_ascii_uppercase() && ctx.proper.is_proper(low))
        {
            matched = match (info[i].surface, surface.weight) {
                (Some((key, _)), Some(w)) => Some((1, Cow::Borrowed(key), w, surface.topic)),
                _ => pack.stem_lookup(low).map(|(lemma, w)| {
                    let topic = pack.lexicon.is_topic(&lemma);
                    (1, lemma, w, topic)
                }),
            };
        }
        let Some((n, lemma, weight, topic)) = matched else {
            i += 1;
            continue;
        };
        if weight == 0.0 {
            i += n;
            continue;
        }
        let mut eff = weight * scale;
        let mut modifiers = Vec::new();
        if in_title {
            modifiers.push("headline".to_owned());
        }
        if topic && ctx.targeted {
            eff *= p.topic;
            modifiers.push(format!("topic word ×{:.2}", p.topic));
        }
        if let Some((ni, end)) = negated_by {
            if ni < i && i < end {
                eff *= p.negation;
                modifiers.push(format!("negated by \"{}\"", toks[ni].text.to_lowercase()));
                negated_by = None;
            }
        }
        for back in [1usize, 2] {
            if i >= back {
                if let Some((word, s)) = info[i - back].surface.filter(|(_, s)| s.pre != 0.0) {
                    let d = s.pre;
                    eff *= 1.0 + d;
                    modifiers.push(format!(
                        "{} by \"{word}\"",
                        if d > 0.0 { "boosted" } else { "dampened" },
                    ));
                    break;
                }
            }
        }
        if let Some((word, s)) = info
            .get(i + n)
            .and_then(|t| t.surface)
            .filter(|(_, s)| s.post != 0.0)
        {
            eff *= 1.0 + s.post;
            modifiers.push(format!("boosted by \"{word}\""));
        }
        if let Some(c) = contrast_at {
            if i > c {
                eff *= 1.5;
                modifiers.push("after contrast".to_owned());
            } else {
                eff *= 0.5;
                modifiers.push("before contrast".to_owned());
            }
        }
        if let Some(c) = concession_at {
            if i > c {
                eff *= 0.5;
                modifiers.push("conceded".to_owned());
            }
        }
        if scale != 1.0 && !in_title {
            modifiers.push(format!("context ×{scale:.2}"));
        }
        let start = toks[i].start;
        let end = toks[i + n - 1].end();
        terms.push(MatchedTerm {
            text: text[start..end].to_owned(),
            lemma: lemma.into_owned(),
            weight,
            effective: eff,
            position: start,
            modifiers,
        });
        sum += eff;
        i += n;
    }
    sum
}

#[cfg(test)]
mod tests;
