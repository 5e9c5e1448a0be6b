//! Stories: the copies and light rewrites of one news story, found as
//! articles arrive. Each article gets a [`Fingerprint`] — its headline's
//! words and marks (places, numbers), and a MinHash signature of its
//! lead — and the [`StoryIndex`] finds the stories it may belong to by
//! locality-sensitive hashing of the signatures' bands (Broder 1997;
//! Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3),
//! then checks each candidate: the headlines' word overlap, or the leads'
//! when the headline was rewritten, no conflicting place or number ("banjir
//! di Demak" is not "banjir di Garut"), and close in time. An outlet's own
//! write-up of the event shares little text but the same facts — places
//! and figures, weighted by how few stories name them — and joins by
//! those. No batch
//! re-clustering: an article joins a story or founds one, and a story's id
//! is its first article's.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::normalise::{canonical_words, headline_core, is_stopword, lead_core};

/// Hashes per signature.
pub const HASHES: usize = 32;
/// LSH bands of [`ROWS`] hashes: two leads with Jaccard similarity `s`
/// share a band with probability `1 - (1 - s^4)^8` (0.40 at s = 0.5, 0.83
/// at 0.7).
pub const BANDS: usize = 8;
/// Rows per band.
pub const ROWS: usize = HASHES / BANDS;
/// Words of the lead that are compared.
const LEAD_WORDS: usize = 48;

/// How alike two copies must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryRules {
    /// Headline word overlap (Jaccard) that makes two articles one story.
    pub headline: f64,
    /// Lead overlap (estimated Jaccard of the word pairs) that makes them
    /// one story when the headline was rewritten…
    pub lead: f64,
    /// …as long as the headlines still share this much.
    pub headline_with_lead: f64,
    /// Lead overlap that makes them one story whatever the headlines.
    pub lead_alone: f64,
    /// Lead overlap of one text copied: headlines that name different
    /// places or numbers are still one story.
    pub lead_verbatim: f64,
    /// Copies of one story appear within this many milliseconds of its
    /// latest article.
    pub max_gap_ms: i64,
    /// Facts two independent write-ups of one event share (weighted: a
    /// fact in every other article counts less than one), enough to make
    /// them one story when no place in either headline is foreign to the
    /// other article…
    pub shared_facts: f64,
    /// …and they appear this close to the story's latest article.
    pub facts_gap_ms: i64,
}

impl Default for StoryRules {
    fn default() -> Self {
        StoryRules {
            headline: 0.45,
            lead: 0.45,
            headline_with_lead: 0.2,
            lead_alone: 0.8,
            lead_verbatim: 0.9,
            max_gap_ms: 3 * 86_400_000,
            shared_facts: 1.5,
            facts_gap_ms: 36 * 3_600_000,
        }
    }
}

/// What an article's story is recognised by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The headline's distinctive words, hashed, sorted, without repeats.
    pub words: Vec<u32>,
    /// Places and numbers in the headline, hashed: two stories that each
    /// name one the other does not are different stories.
    pub marks: Vec<u32>,
    /// MinHash of the lead's word pairs (absent without a lead).
    pub lead: Option<[u16; HASHES]>,
    /// The concrete facts of headline and lead, hashed: places and the
    /// figures a reporter copies from the source ("2.450 rumah", "Rp18,4
    /// miliar", "M 5,6"). Independent write-ups of one event share them.
    pub facts: Vec<u32>,
    /// The places the headline names, hashed (a subset of `facts`).
    pub headline_places: Vec<u32>,
}

fn hash32(s: &str, seed: u64) -> u32 {
    let mut h = FxHasher::default();
    seed.hash(&mut h);
    s.hash(&mut h);
    let x = h.finish();
    (x ^ (x >> 32)) as u32
}

/// A 64-bit mix (splitmix64's finaliser): the i-th MinHash function.
fn mix(x: u64, i: u64) -> u64 {
    let mut z = x ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn minhash(shingles: &FxHashSet<u64>) -> Option<[u16; HASHES]> {
    if shingles.is_empty() {
        return None;
    }
    let mut sig = [u16::MAX; HASHES];
    for &s in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            // b-bit minwise hashing: the low 16 bits of each minimum (Li
            // & König 2010); the minimum is taken over the full 64 bits.
            let v = mix(s, i as u64);
            let low = (v >> 48) as u16;
            if low < *slot {
                *slot = low;
            }
        }
    }
    Some(sig)
}

impl Fingerprint {
    /// The fingerprint of an article. `places` holds lower-case place
    /// names (one word each: `demak`, `garut`).
    pub fn of(title: &str, lead: &str, places: &FxHashSet<String>) -> Fingerprint {
        let core = headline_core(title);
        let lead_text = lead_core(lead);
        let mut words = Vec::new();
        let mut marks = Vec::new();
        for (w, _) in canonical_words(core) {
            if is_stopword(&w) {
                continue;
            }
            let h = hash32(&w, 1);
            if places.contains(&w) {
                marks.push(h);
            }
            // Numbers by their digit runs: `M5,2` and `M 5,2` both name 5
            // and 2.
            for run in w
                .split(|c: char| !c.is_ascii_digit())
                .filter(|r| !r.is_empty())
            {
                marks.push(hash32(run.trim_start_matches('0'), 2));
            }
            words.push(h);
        }
        words.sort_unstable();
        words.dedup();
        marks.sort_unstable();
        marks.dedup();
        let (facts, headline_places) = facts(core, &lead_text, places);
        let lead_words: Vec<String> = canonical_words(&lead_text)
            .into_iter()
            .map(|w| w.0)
            .filter(|w| !is_stopword(w))
            .take(LEAD_WORDS)
            .collect();
        let shingles: FxHashSet<u64> = lead_words
            .windows(2)
            .map(|p| {
                let mut h = FxHasher::default();
                p.hash(&mut h);
                h.finish()
            })
            .collect();
        Fingerprint {
            words,
            marks,
            lead: if lead_words.len() >= 8 {
                minhash(&shingles)
            } else {
                None
            },
            facts,
            headline_places,
        }
    }

    /// The LSH keys: the headline's words taken as a set (one key per
    /// pair of its two smallest hashes and per word, banded below), and
    /// the lead's bands.
    fn keys(&self) -> Vec<u64> {
        let mut keys = Vec::with_capacity(BANDS + self.words.len());
        // Every headline word is a key: short headlines defeat banding,
        // and candidates are checked anyway. Common words are capped by
        // the index (a bucket keeps its latest stories only).
        for w in &self.words {
            keys.push(u64::from(*w) | (1 << 63));
        }
        for f in &self.facts {
            keys.push(u64::from(*f) | (1 << 62) | (1 << 63));
        }
        if let Some(sig) = &self.lead {
            for (b, band) in sig.chunks(ROWS).enumerate() {
                let mut k = b as u64;
                for v in band {
                    k = k.wrapping_mul(0x1_0000_01B3).wrapping_add(u64::from(*v));
                }
                keys.push(k & !(1 << 63));
            }
        }
        keys
    }
}

impl Fingerprint {
    /// How alike two articles are: (headline word overlap, estimated lead
    /// overlap), each 0–1, and whether their places or numbers conflict.
    pub fn similarity(&self, other: &Fingerprint) -> (f64, f64, bool) {
        let lead = match (&self.lead, &other.lead) {
            (Some(a), Some(b)) => lead_similarity(a, b),
            _ => 0.0,
        };
        (
            jaccard(&self.words, &other.words),
            lead,
            conflict(&self.marks, &other.marks),
        )
    }
}

/// The one-word place names of a gazetteer (one name per line, `#`
/// comments), lower-cased, without the words many names share (`barat`,
/// `kota`): what [`Fingerprint::of`] takes as `places`.
pub fn places_from_gazetteer(text: &str) -> FxHashSet<String> {
    const GENERIC: [&str; 14] = [
        "barat",
        "timur",
        "utara",
        "selatan",
        "tengah",
        "tenggara",
        "daya",
        "besar",
        "kota",
        "kepulauan",
        "raya",
        "laut",
        "kabupaten",
        "pulau",
    ];
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| !l.trim().contains(' '))
        .map(|l| l.trim().to_lowercase())
        .filter(|w| !w.is_empty() && !GENERIC.contains(&w.as_str()))
        .collect()
}

/// Words of the lead whose facts are read.
const FACT_WORDS: usize = 80;

/// Words after which a capitalised word names a place: `di Tambora`,
/// `Kecamatan Wanayasa`, `Desa Suwidak` (the gazetteer lists provinces,
/// regencies and cities; these find the villages and districts too).
const BEFORE_PLACE: &[&str] = &[
    "di",
    "ke",
    "dari",
    "desa",
    "dusun",
    "kampung",
    "kelurahan",
    "kecamatan",
    "kabupaten",
    "kota",
    "perumahan",
    "sungai",
    "kali",
    "gunung",
    "pulau",
    "tol",
];

/// The facts of a headline and lead: places (from the gazetteer, and
/// capitalised words after [`BEFORE_PLACE`]), and figures, not years or
/// dates. Figures are written one way: `4,50` and `4,5`, `2.450` and
/// `2450`, `empat` and `4` are one fact. How much a fact says is the
/// index's business (how many articles name it).
fn facts(headline: &str, lead: &str, places: &FxHashSet<String>) -> (Vec<u32>, Vec<u32>) {
    let mut out = Vec::new();
    let mut in_headline = Vec::new();
    // The lead first: it is written in sentence case, so a capitalised
    // word after a marker is a name there. A headline capitalises every
    // word ("… di Tambora Ludes Terbakar"), so its marked words count
    // only when the lead names them too.
    for (t, text) in [lead, headline].into_iter().enumerate() {
        let in_lead = t == 0;
        let lead_facts = if in_lead { Vec::new() } else { sorted(&out) };
        let tokens: Vec<&str> = text.split_whitespace().take(FACT_WORDS).collect();
        let mut after_marker = false;
        for (i, token) in tokens.iter().enumerate() {
            if token.contains('/') {
                after_marker = false;
                continue; // a date: (12/2/2026)
            }
            let money = i > 0 && tokens[i - 1].eq_ignore_ascii_case("rp");
            if let Some(fact) = figure(token, tokens.get(i + 1).copied(), money) {
                out.push(hash32(&fact, 4));
            }
            let word = token.trim_matches(|c: char| !c.is_alphanumeric());
            let lower = word.to_lowercase();
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            for part in lower.split('-') {
                let h = hash32(part, 3);
                let named = places.contains(part)
                    || (after_marker
                        && capitalised
                        && (in_lead || lead_facts.binary_search(&h).is_ok()));
                if named {
                    out.push(h);
                    if !in_lead {
                        in_headline.push(h);
                    }
                }
            }
            let marker = BEFORE_PLACE.contains(&lower.as_str());
            // In the lead a run of capitalised words after a marker is
            // one place ("di Jembatan Besi"); punctuation ends it.
            after_marker =
                marker || (in_lead && after_marker && capitalised && word.len() == token.len());
        }
    }
    for v in [&mut out, &mut in_headline] {
        v.sort_unstable();
        v.dedup();
    }
    (out, in_headline)
}

fn sorted(v: &[u32]) -> Vec<u32> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v
}

/// The figure a token names, written one way, as a fact: a figure of four
/// digits or a decimal by itself (`2.450`, `5,4`: one outlet writes
/// "2.450 rumah", another "2.450 rumah warga"), a smaller one with the
/// word it counts (`5 tahun` is not `lima lumbung`), money marked as such
/// (`Rp500 juta` is not `500 jiwa`).
fn figure(token: &str, next: Option<&str>, money_before: bool) -> Option<String> {
    let word = token.trim_matches(|c: char| !c.is_alphanumeric());
    let (prefix, digits) = match word.find(|c: char| c.is_ascii_digit()) {
        Some(start) => (&word[..start], &word[start..]),
        None => {
            // `empat`, `seribu`: the number a rewrite writes in digits.
            let canon = crate::normalise::canonical(word);
            if canon.is_empty() || !canon.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            return Some(counted(&canon, next, money_before));
        }
    };
    let run: String = digits
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    let run = run.trim_end_matches(['.', ',']);
    // Indonesian: `.` groups thousands, `,` marks decimals.
    let (whole, fraction) = match run.split_once(',') {
        Some((w, f)) => (w.replace('.', ""), f.trim_end_matches('0').to_owned()),
        None => (run.replace('.', ""), String::new()),
    };
    let whole = whole.trim_start_matches('0');
    let year = fraction.is_empty()
        && whole.len() == 4
        && (whole.starts_with("19") || whole.starts_with("20"));
    if year || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let money = money_before || prefix.eq_ignore_ascii_case("rp");
    if !fraction.is_empty() {
        return Some(format!(
            "{}{whole},{fraction}",
            if money { "rp" } else { "" }
        ));
    }
    Some(counted(whole, next, money))
}

/// A whole number as a fact: by itself from four digits, else with the
/// word after it.
fn counted(whole: &str, next: Option<&str>, money: bool) -> String {
    let money = if money { "rp" } else { "" };
    if whole.len() >= 4 {
        return format!("{money}{whole}");
    }
    let unit = next
        .map(|n| n.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|n| n.chars().all(char::is_alphabetic))
        .map(crate::normalise::canonical)
        .unwrap_or_default();
    format!("{money}{whole} {unit}")
}

/// Jaccard similarity of two sorted sets.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// The summed weights of the facts of `a` (sorted, with their weights)
/// that `b` (sorted) names too.
fn shared_weight(a: &[u32], weights: &[f32], b: &[u32]) -> f64 {
    a.iter()
        .zip(weights)
        .filter(|(x, _)| b.binary_search(x).is_ok())
        .map(|(_, w)| f64::from(*w))
        .sum()
}

/// Whether `a`'s headline names a place `b` never mentions.
fn foreign_place(a: &Fingerprint, b: &Fingerprint) -> bool {
    a.headline_places
        .iter()
        .any(|p| b.facts.binary_search(p).is_err())
}

/// Whether each names a place or number the other does not.
fn conflict(a: &[u32], b: &[u32]) -> bool {
    let only = |x: &[u32], y: &[u32]| x.iter().any(|m| y.binary_search(m).is_err());
    only(a, b) && only(b, a)
}

fn lead_similarity(a: &[u16; HASHES], b: &[u16; HASHES]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64;
    // A 16-bit minimum collides by chance with probability 2^-16.
    let chance = 1.0 / 65_536.0;
    ((same - chance) / (1.0 - chance)).max(0.0)
}

#[derive(Debug)]
struct Known {
    id: Box<str>,
    /// The founder's fingerprint, then up to [`VARIANTS`] − 1 copies that
    /// differ from every one before (a rewrite is matched by the next
    /// rewrite of it, not only by the original).
    prints: Vec<Fingerprint>,
    last_ms: i64,
}

/// Fingerprints kept per story at most.
const VARIANTS: usize = 4;

/// Stories in a bucket at most: a word every headline has must not make
/// every story a candidate.
const BUCKET: usize = 16;

/// Counters per row of the fact-frequency sketch.
const SKETCH_WIDTH: usize = 1 << 18;

/// How many stories named each fact, roughly: a count-min sketch
/// (Cormode & Muthukrishnan 2005) of two rows, so memory stays fixed
/// however many figures the archive holds. It over-counts, never under:
/// a fact can only look commoner than it is.
#[derive(Debug)]
struct FactCounts {
    rows: Vec<u32>,
    articles: u64,
}

impl Default for FactCounts {
    fn default() -> Self {
        FactCounts {
            rows: vec![0; 2 * SKETCH_WIDTH],
            articles: 0,
        }
    }
}

impl FactCounts {
    fn slots(fact: u32) -> [usize; 2] {
        let a = mix(u64::from(fact), 101) as usize % SKETCH_WIDTH;
        let b = mix(u64::from(fact), 202) as usize % SKETCH_WIDTH;
        [a, SKETCH_WIDTH + b]
    }

    fn add(&mut self, facts: &[u32]) {
        self.articles += 1;
        for &f in facts {
            for s in Self::slots(f) {
                self.rows[s] = self.rows[s].saturating_add(1);
            }
        }
    }

    /// A fact's weight, 0–1: 1 for a fact few articles name, less for one
    /// most do ("Jakarta"). Fifty articles of prior keep the first ones
    /// from calling everything rare or common.
    fn weight(&self, fact: u32) -> f32 {
        const PRIOR: f64 = 50.0;
        let seen = Self::slots(fact)
            .iter()
            .map(|&s| self.rows[s])
            .min()
            .unwrap_or(0);
        let idf = ((self.articles as f64 + PRIOR) / (f64::from(seen) + 1.0)).ln() / PRIOR.ln();
        idf.clamp(0.0, 1.0) as f32
    }
}

/// The stories seen so far, and the buckets that find them.
#[derive(Debug, Default)]
pub struct StoryIndex {
    rules: StoryRules,
    stories: Vec<Known>,
    buckets: FxHashMap<u64, Vec<u32>>,
    fact_counts: FactCounts,
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    /// Its story's id.
    pub story: String,
    /// Whether it founded the story.
    pub new: bool,
}

impl StoryIndex {
    /// An empty index.
    pub fn new(rules: StoryRules) -> Self {
        StoryIndex {
            rules,
            ..Default::default()
        }
    }

    /// Stories known.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    /// Whether no story is known.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Assigns an article (its id, fingerprint and time) to the story it
    /// is a copy of, or founds a story with the article's id.
    pub fn assign(&mut self, article_id: &str, f: Fingerprint, at_ms: i64) -> Assigned {
        let keys = f.keys();
        let weights: Vec<f32> = f
            .facts
            .iter()
            .map(|x| self.fact_counts.weight(*x))
            .collect();
        let mut best: Option<(f64, u32)> = None;
        let mut seen = FxHashSet::default();
        for k in &keys {
            let Some(bucket) = self.buckets.get(k) else {
                continue;
            };
            for &s in bucket {
                if !seen.insert(s) {
                    continue;
                }
                if let Some(score) = self.same_story(&self.stories[s as usize], &f, &weights, at_ms)
                {
                    if best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, s));
                    }
                }
            }
        }
        let (index, new) = match best {
            Some((score, s)) => {
                let known = &mut self.stories[s as usize];
                known.last_ms = known.last_ms.max(at_ms);
                // A copy unlike every fingerprint kept is a variant worth
                // keeping: the next rewrite may only resemble it.
                if known.prints.len() < VARIANTS && score < 1.6 {
                    known.prints.push(f);
                    self.index_keys(keys, s);
                }
                (s, false)
            }
            None => {
                let s = self.stories.len() as u32;
                // Counted per story, not per article: thirty copies of one
                // report must not make its own facts look common.
                self.fact_counts.add(&f.facts);
                self.stories.push(Known {
                    id: article_id.into(),
                    prints: vec![f],
                    last_ms: at_ms,
                });
                self.index_keys(keys, s);
                (s, true)
            }
        };
        Assigned {
            story: self.stories[index as usize].id.to_string(),
            new,
        }
    }

    fn index_keys(&mut self, keys: Vec<u64>, s: u32) {
        for k in keys {
            let b = self.buckets.entry(k).or_default();
            if b.contains(&s) {
                continue;
            }
            if b.len() == BUCKET {
                b.remove(0);
            }
            b.push(s);
        }
    }

    /// Adds a story known from before (at start-up, from the store).
    pub fn restore(&mut self, story_id: &str, f: Fingerprint, last_ms: i64) {
        let s = self.stories.len() as u32;
        self.index_keys(f.keys(), s);
        self.fact_counts.add(&f.facts);
        self.stories.push(Known {
            id: story_id.into(),
            prints: vec![f],
            last_ms,
        });
    }

    /// The match score of an article against a known story, `None` when
    /// it is not a copy.
    fn same_story(&self, s: &Known, f: &Fingerprint, weights: &[f32], at_ms: i64) -> Option<f64> {
        let r = &self.rules;
        let gap = (at_ms - s.last_ms).abs();
        if gap > r.max_gap_ms {
            return None;
        }
        let mut best = None;
        for p in &s.prints {
            let (headline, lead, conflicting) = p.similarity(f);
            // A place or number named by each headline and not the other
            // is not this copy, unless the leads are one text (two
            // headlines picking two figures of one report). A lead copied
            // nearly word for word is the same story whatever the
            // headline says; a looser one needs some of the headline too.
            let copy = (!conflicting || lead >= r.lead_verbatim)
                && (headline >= r.headline
                    || lead >= r.lead_alone
                    || (lead >= r.lead && headline >= r.headline_with_lead));
            // Another outlet's own report of the event: the same places
            // and figures, close in time, and not two headlines each
            // naming a place the other article never mentions (the flood
            // in Bekasi is not the flood in Bandung that day).
            let event = !copy
                && gap <= r.facts_gap_ms
                && shared_weight(&f.facts, weights, &p.facts) >= r.shared_facts
                && !(foreign_place(p, f) && foreign_place(f, p));
            let score = if copy { headline + lead } else { headline };
            if (copy || event) && best.is_none_or(|b| score > b) {
                best = Some(score);
            }
        }
        best
    }

    /// Memory held per story, roughly, in bytes (for the benchmark).
    pub fn approx_bytes(&self) -> usize {
        let stories: usize = self
            .stories
            .iter()
            .map(|s| {
                std::mem::size_of::<Known>()
                    + s.id.len()
                    + s.prints
                        .iter()
                        .map(|p| {
                            std::mem::size_of::<Fingerprint>()
                                + 4 * (p.words.capacity()
                                    + p.marks.capacity()
                                    + p.facts.capacity()
                                    + p.headline_places.capacity())
                        })
                        .sum::<usize>()
            })
            .sum();
        let buckets: usize = self
            .buckets
            .values()
            .map(|b| 8 + std::mem::size_of::<Vec<u32>>() + 4 * b.capacity() + 8)
            .sum();
        stories + buckets + 4 * self.fact_counts.rows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> FxHashSet<String> {
        ["demak", "garut", "bekasi"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn copies_join_and_other_places_do_not() {
        let p = places();
        let mut ix = StoryIndex::new(StoryRules::default());
        let f = |t: &str| Fingerprint::of(t, "", &p);
        let a = ix.assign("a", f("Banjir Rendam Ratusan Rumah di Demak"), 0);
        assert!(a.new);
        let b = ix.assign(
            "b",
            f("BANJIR RENDAM RATUSAN RUMAH DI DEMAK - Kompas.com"),
            3_600_000,
        );
        assert_eq!((b.story.as_str(), b.new), ("a", false));
        let c = ix.assign("c", f("Banjir Rendam Ratusan Rumah di Garut"), 3_600_000);
        assert!(c.new, "another place is another story");
        let d = ix.assign(
            "d",
            f("Banjir Rendam Ratusan Rumah di Demak"),
            10 * 86_400_000,
        );
        assert!(d.new, "ten days later is another flood");
    }

    #[test]
    fn a_rewritten_headline_joins_by_its_lead() {
        let p = places();
        let lead = "Kementerian Sosial menyalurkan bantuan logistik senilai Rp 1,2 miliar kepada korban banjir di Kabupaten Demak, Jawa Tengah, pada Kamis. Bantuan berupa makanan siap saji, selimut, tenda dan perlengkapan bayi diterima langsung oleh pengungsi di posko utama.";
        let mut ix = StoryIndex::new(StoryRules::default());
        ix.assign(
            "a",
            Fingerprint::of("Kemensos Kirim Bantuan untuk Korban Banjir Demak", lead, &p),
            0,
        );
        let rewrapped = lead.replace(". ", ".\n");
        let b = ix.assign(
            "b",
            Fingerprint::of(
                "Pengungsi Banjir Demak Terima Logistik dari Pemerintah",
                &format!("DEMAK, KOMPAS.com - {rewrapped}"),
                &p,
            ),
            1,
        );
        assert_eq!(b.story, "a");
    }

    #[test]
    fn figures_are_written_one_way() {
        assert_eq!(figure("2.450", Some("rumah"), false).unwrap(), "2450");
        assert_eq!(figure("4,50%", None, false).unwrap(), "4,5");
        assert_eq!(figure("4,5", Some("persen"), false).unwrap(), "4,5");
        assert_eq!(figure("Rp18,4", Some("miliar"), false).unwrap(), "rp18,4");
        assert_eq!(figure("500", Some("juta"), true).unwrap(), "rp500 juta");
        assert_eq!(figure("500", Some("jiwa"), false).unwrap(), "500 jiwa");
        assert_eq!(figure("empat", Some("warga"), false).unwrap(), "4 warga");
        assert_eq!(figure("4", Some("warga"), false).unwrap(), "4 warga");
        assert_eq!(figure("2026", None, false), None);
        assert_eq!(figure("Kamis", None, false), None);
    }

    #[test]
    fn independent_reports_of_one_event_join_and_the_lookalike_does_not() {
        let p: FxHashSet<String> = ["bekasi", "bandung", "bogor"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut ix = StoryIndex::new(StoryRules::default());
        let a = ix.assign(
            "a",
            Fingerprint::of(
                "Kali Bekasi Meluap, 2.450 Rumah di Jatiasih Terendam",
                "Kali Bekasi meluap setelah hujan deras mengguyur wilayah hulu di Bogor. Sebanyak 2.450 rumah di Kecamatan Jatiasih dan Rawalumbu, Kota Bekasi, terendam banjir hingga dua meter. Sebanyak 860 warga mengungsi ke masjid terdekat.",
                &p,
            ),
            0,
        );
        assert!(a.new);
        // Another outlet's own words: little of the headline or lead in
        // common, the same places and figures.
        let b = ix.assign(
            "b",
            Fingerprint::of(
                "Banjir Bekasi Hari Ini: Pondok Gede Permai Terendam, 860 Warga Mengungsi",
                "Banjir kembali melanda Kota Bekasi, Jawa Barat. Luapan sungai merendam 2.450 rumah di Jatiasih dan Rawalumbu. Kepala BPBD mengatakan 860 warga telah mengungsi ke gedung sekolah.",
                &p,
            ),
            3_600_000,
        );
        assert_eq!(b.story, "a");
        // The same day's flood elsewhere: the same kind of words and
        // figures, other places.
        let c = ix.assign(
            "c",
            Fingerprint::of(
                "Banjir Rendam 3.200 Rumah di Kabupaten Bandung, 1.140 Warga Mengungsi",
                "Banjir akibat luapan Sungai Citarum merendam 3.200 rumah di Dayeuhkolot, Kabupaten Bandung, Jawa Barat. Sebanyak 1.140 warga mengungsi ke masjid dan gedung sekolah.",
                &p,
            ),
            3_600_000,
        );
        assert!(c.new, "{c:?}");
    }

    #[test]
    fn jaccard_and_conflict() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert!(conflict(&[1, 2], &[1, 3]));
        assert!(!conflict(&[1, 2], &[1]));
        assert!(!conflict(&[], &[1]));
    }
}
