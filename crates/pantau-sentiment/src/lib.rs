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
//! - `vocab`, `table`, `score` (private): every word form of both languages
//!   in one table, looked up once per word with inline 16-byte keys, and the
//!   two-pass scoring engine over per-thread scratch buffers.
//! - [`Classifier`]: scores a text ([`Classifier::score`] with the
//!   explanation, [`Classifier::tone`] the verdict alone). With entity
//!   mentions it is *targeted*: the clauses that mention the entity count
//!   fully, the rest of their sentence and the neighbouring sentences a
//!   little, everything else not at all; the headline counts double. Without
//!   mentions it scores the whole text.
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
mod score;
pub mod stem;
mod table;
mod vocab;

use std::ops::Range;
use std::path::Path;

use pantau_model::{Explanation, Sentiment};

use vocab::{Modifiers, PackId, Vocab};

pub use lang::Language;
pub use lexicon::{Lexicon, LexiconError, Mark};

/// Tunable constants of the scorer, with defaults chosen on training data.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Score at or above which a whole text is positive (tuned on the
    /// training splits of SmSA and NusaX: reviews and comments).
    pub positive_threshold: f32,
    /// Score at or below the negative of which a whole text is negative.
    pub negative_threshold: f32,
    /// Score at or above which a targeted (news) score is positive: news
    /// announces, plans and coordinates in words of intent, so the bar for
    /// praise is higher than for criticism.
    pub targeted_positive: f32,
    /// Score at or below the negative of which a targeted score is negative.
    pub targeted_negative: f32,
    /// Multiplier of a negated term (sign flip and damping).
    pub negation: f32,
    /// Multiplier of a negated negative term in targeted scoring: in news
    /// "tidak dipotong" denies a charge more than it praises.
    pub negated_negative: f32,
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
    /// Multiplier of the terms after an order or a rule in its clause
    /// ("RS tak boleh tolak pasien").
    pub instruction: f32,
    /// Multiplier of a service article's terms ("cara cek penerima PKH").
    pub service: f32,
    /// Multiplier of praise after a mark of intent ("akan", "bakal").
    pub intent: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            positive_threshold: 0.3,
            negative_threshold: 0.1,
            targeted_positive: 0.45,
            targeted_negative: 0.3,
            negation: -0.75,
            negated_negative: -0.3,
            headline: 2.0,
            other_clause: 0.2,
            neighbour: 0.3,
            alpha: 15.0,
            topic: 0.0,
            instruction: 0.0,
            service: 0.0,
            intent: 0.3,
        }
    }
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

/// The tone of a text without its explanation: what [`Classifier::tone`]
/// returns when only the decision is needed (evaluation, benchmarks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tone {
    /// Negative, neutral or positive.
    pub sentiment: Sentiment,
    /// In [-1, 1].
    pub score: f32,
    /// The language whose lexicon scored it.
    pub language: Language,
}

/// The lexicon classifier for Indonesian and English.
#[derive(Debug, Clone)]
pub struct Classifier {
    /// Whole-text scoring: the general lexicons.
    whole: Vocab,
    /// Targeted scoring (the tone of news toward an entity): the general
    /// lexicons with each language's news register (`targeted/`) over them.
    targeted: Vocab,
    params: Params,
}

impl Classifier {
    /// Loads `dir/id` and `dir/en`, and their news registers
    /// `dir/id/targeted` and `dir/en/targeted` where present.
    pub fn load(dir: &Path) -> Result<Self, LexiconError> {
        let (id, en) = (dir.join("id"), dir.join("en"));
        let (id_whole, en_whole) = (Lexicon::load_dir(&id)?, Lexicon::load_dir(&en)?);
        let id_targeted = id_whole.load_overlay(&id.join("targeted"))?;
        let en_targeted = en_whole.load_overlay(&en.join("targeted"))?;
        Ok(Self::from_registers(
            [id_whole, en_whole],
            [id_targeted, en_targeted],
        ))
    }

    /// Builds a classifier from lexicons already in memory, the same for
    /// whole-text and targeted scoring.
    pub fn from_lexicons(id: Lexicon, en: Lexicon) -> Self {
        Self::from_registers([id.clone(), en.clone()], [id, en])
    }

    /// Builds a classifier from the (Indonesian, English) lexicons of
    /// whole-text scoring and those of targeted scoring.
    pub fn from_registers(whole: [Lexicon; 2], targeted: [Lexicon; 2]) -> Self {
        let vocab = |[id, en]: [Lexicon; 2]| {
            Vocab::new(
                [(id, &ID_MODIFIERS, true), (en, &EN_MODIFIERS, false)],
                lang::function_words(),
            )
        };
        Classifier {
            whole: vocab(whole),
            targeted: vocab(targeted),
            params: Params::default(),
        }
    }

    fn vocab_for(&self, input: &Input<'_>) -> &Vocab {
        if input.mentions.is_empty() {
            &self.whole
        } else {
            &self.targeted
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

    /// Number of entries per language (id, en) of whole-text scoring.
    pub fn sizes(&self) -> (usize, usize) {
        let [id, en] = &self.whole.packs;
        (id.lexicon_len, en.lexicon_len)
    }

    /// Number of entries per language (id, en) of targeted scoring.
    pub fn targeted_sizes(&self) -> (usize, usize) {
        let [id, en] = &self.targeted.packs;
        (id.lexicon_len, en.lexicon_len)
    }

    /// Scores a text and explains the score.
    pub fn score(&self, input: Input<'_>) -> Scored {
        let mut terms = Vec::new();
        let tone = score::run(
            self.vocab_for(&input),
            &self.params,
            input,
            Some(&mut terms),
        );
        Scored {
            sentiment: tone.sentiment,
            score: tone.score,
            explanation: Explanation {
                language: tone.language.code().to_owned(),
                scope: if input.mentions.is_empty() {
                    "whole"
                } else {
                    "targeted"
                }
                .to_owned(),
                terms,
            },
        }
    }

    /// Scores a text without building its explanation: the same decision
    /// as [`Classifier::score`], for callers that only need the verdict.
    pub fn tone(&self, input: Input<'_>) -> Tone {
        score::run(self.vocab_for(&input), &self.params, input, None)
    }
}

/// The pack that scores a text in `language`.
fn pack_for(language: Language) -> PackId {
    match language {
        Language::English => PackId::English,
        _ => PackId::Indonesian,
    }
}

#[cfg(test)]
mod tests;
