//! Issues (*isu*): stories about the same matter over days and outlets,
//! grouped incrementally — each new story joins the issue whose terms it
//! shares most (cosine similarity of TF-IDF vectors over the headline's
//! distinctive words and word pairs, IDF from the stories seen so far),
//! or founds one. An issue's label is its strongest terms, as written.
//! The ministry's everyday vocabulary ("bantuan", "korban", "salurkan")
//! weighs little and never joins a story alone: "Bantuan untuk Korban
//! Banjir Semarang" and "Bantuan untuk Korban Ledakan SMAN 72" are two
//! matters.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::normalise::{canonical, canonical_words, headline_core, is_stopword};

/// Words found in stories of every matter the ministry is in the news for:
/// what it did or how, not about what. As written; compared canonical.
const EVERYDAY_WORDS: &[&str] = &[
    "bantuan",
    "bantu",
    "korban",
    "salurkan",
    "penyaluran",
    "warga",
    "masyarakat",
    "pastikan",
    "tinjau",
    "beri",
    "berikan",
    "siap",
    "siapkan",
    "apresiasi",
    "dukung",
    "dukungan",
    "serahkan",
    "terima",
    "penerima",
    "pemerintah",
    "layanan",
    "upaya",
    "perkuat",
    "imbau",
    "ajak",
    "kunjungi",
    "jenguk",
    "hadir",
    "gelar",
    "buka",
    "tahun",
    "hari",
    "bakal",
    "terkait",
    "kasus",
    "program",
    "menteri",
    "wamensos",
    "gus",
    "ipul",
    "cair",
    "cek",
    "cara",
    "daftar",
    "nasional",
    "sosial",
    "pusat",
    "daerah",
    "indonesia",
    "ri",
    "negara",
    "kondisi",
    "tangani",
    "penanganan",
    "percepat",
    "fokus",
    "optimalkan",
    "tingkatkan",
    "wujudkan",
    "kawal",
    "terdampak",
    "ribuan",
    "ratusan",
    "puluhan",
    "sejumlah",
];

/// Whether a term (a word or a pair) is everyday vocabulary only.
fn is_everyday(key: &str) -> bool {
    static WORDS: std::sync::OnceLock<FxHashSet<String>> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| EVERYDAY_WORDS.iter().map(|w| canonical(w)).collect());
    key.split(' ').all(|w| words.contains(w))
}

/// How much an everyday term weighs beside a distinctive one.
const EVERYDAY_WEIGHT: f32 = 0.3;

/// How issues form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IssueRules {
    /// Cosine similarity to join an issue.
    pub join: f64,
    /// An issue quiet for longer than this takes no new stories, in ms.
    pub max_gap_ms: i64,
    /// Terms an issue keeps (its strongest).
    pub terms: usize,
}

impl Default for IssueRules {
    fn default() -> Self {
        IssueRules {
            join: 0.2,
            max_gap_ms: 21 * 86_400_000,
            terms: 24,
        }
    }
}

/// A term of a story: canonical form and as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    /// Canonical (`sekolah rakyat`, `pbi`).
    pub key: String,
    /// As written in the headline (`Sekolah Rakyat`, `PBI`).
    pub shown: String,
}

/// The distinctive terms of a headline: its words and adjacent word pairs
/// without stopwords and without the entity's own names (every story of
/// the entity has those).
pub fn terms(title: &str, own_names: &FxHashSet<String>) -> Vec<Term> {
    let words: Vec<(String, String)> = canonical_words(headline_core(title))
        .into_iter()
        .filter(|(w, _)| !is_stopword(w) && !own_names.contains(w) && w.chars().count() > 1)
        .filter(|(w, _)| !w.chars().all(|c| c.is_ascii_digit()))
        // Amounts say how much, not what about.
        .filter(|(w, _)| {
            !matches!(
                w.as_str(),
                "rp" | "persen" | "ribu" | "juta" | "miliar" | "triliun" | "amp"
            )
        })
        .collect();
    let mut out: Vec<Term> = words
        .iter()
        .map(|(k, s)| Term {
            key: k.clone(),
            shown: s.clone(),
        })
        .collect();
    for pair in words.windows(2) {
        out.push(Term {
            key: format!("{} {}", pair[0].0, pair[1].0),
            shown: format!("{} {}", pair[0].1, pair[1].1),
        });
    }
    let mut seen = FxHashSet::default();
    out.retain(|t| seen.insert(t.key.clone()));
    out
}

/// An issue's state, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueState {
    /// Id.
    pub id: String,
    /// Term → weight (the sum of its stories' TF-IDF vectors, the
    /// strongest [`IssueRules::terms`] kept).
    pub centroid: Vec<(String, f32)>,
    /// Term → how it is written most.
    pub shown: Vec<(String, String)>,
    /// Stories in it.
    pub stories: u32,
    /// First story, Unix ms.
    pub first_ms: i64,
    /// Latest story, Unix ms.
    pub last_ms: i64,
}

impl IssueState {
    /// The generated label: its strongest terms, word pairs that chain
    /// joined into one phrase ("PBI JKN" + "JKN dinonaktifkan" → "PBI JKN
    /// Dinonaktifkan"), at most three phrases.
    pub fn label(&self) -> String {
        // How each canonical word is written.
        let mut shown_word: FxHashMap<&str, &str> = FxHashMap::default();
        for (k, v) in &self.shown {
            let (ks, vs): (Vec<&str>, Vec<&str>) = (k.split(' ').collect(), v.split(' ').collect());
            if ks.len() == vs.len() {
                for (k, v) in ks.into_iter().zip(vs) {
                    shown_word.entry(k).or_insert(v);
                }
            } else if ks.len() == 1 {
                shown_word.entry(k.as_str()).or_insert(v.as_str());
            }
        }
        let top = self.centroid.first().map_or(0.0, |c| c.1);
        let mut phrases: Vec<Vec<&str>> = Vec::new();
        for (k, w) in &self.centroid {
            let words: Vec<&str> = k.split(' ').collect();
            let holder =
                |x: &str, phrases: &[Vec<&str>]| phrases.iter().position(|p| p.contains(&x));
            let strong = *w >= 0.6 * top;
            if let [a, b] = words[..] {
                match (holder(a, &phrases), holder(b, &phrases)) {
                    (Some(_), Some(_)) => continue,
                    (Some(i), None) => {
                        if strong && phrases[i].last() == Some(&a) && phrases[i].len() < 4 {
                            phrases[i].push(b);
                        }
                        continue;
                    }
                    (None, Some(j)) => {
                        if strong && phrases[j].first() == Some(&b) && phrases[j].len() < 4 {
                            phrases[j].insert(0, a);
                        }
                        continue;
                    }
                    (None, None) => {}
                }
            } else if words.iter().any(|x| holder(x, &phrases).is_some()) {
                continue;
            }
            // Later terms may still join or extend the three shown.
            if phrases.len() < 3 {
                phrases.push(words);
            }
        }
        // A word shown alone reads badly: a pair that links it to another
        // phrase joins them ("Pembangunan Sekolah" + "Rakyat").
        for (k, _) in &self.centroid {
            let Some((a, b)) = k.split_once(' ') else {
                continue;
            };
            let end = phrases.iter().position(|p| p.last() == Some(&a));
            let start = phrases.iter().position(|p| p.first() == Some(&b));
            if let (Some(i), Some(j)) = (end, start) {
                if i != j
                    && (phrases[i].len() == 1 || phrases[j].len() == 1)
                    && phrases[i].len() + phrases[j].len() <= 4
                {
                    let tail = phrases.remove(j);
                    let i = if j < i { i - 1 } else { i };
                    phrases[i].extend(tail);
                }
            }
        }
        phrases
            .iter()
            .map(|p| {
                p.iter()
                    .map(|w| shown_word.get(w).copied().unwrap_or(w))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The issues of one entity, and the term statistics they are weighed by.
#[derive(Debug, Default)]
pub struct IssueIndex {
    rules: IssueRules,
    issues: Vec<IssueState>,
    by_id: FxHashMap<String, usize>,
    /// Stories each term appeared in.
    df: FxHashMap<String, u32>,
    docs: u32,
    next: u64,
}

/// Where a story went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The issue's id.
    pub issue: String,
    /// Whether the story founded it.
    pub new: bool,
}

impl IssueIndex {
    /// An empty index; ids are `prefix-1`, `prefix-2`, … after `next`.
    pub fn new(rules: IssueRules, next: u64) -> Self {
        IssueIndex {
            rules,
            next,
            ..Default::default()
        }
    }

    /// Counts a story's terms into the document frequencies without
    /// assigning it (at start-up, the stories already assigned).
    pub fn observe(&mut self, terms: &[Term]) {
        self.docs += 1;
        for t in terms {
            *self.df.entry(t.key.clone()).or_default() += 1;
        }
    }

    /// Adds an issue known from before.
    pub fn restore(&mut self, state: IssueState) {
        if let Some(n) = state
            .id
            .rsplit('-')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
        {
            self.next = self.next.max(n);
        }
        self.by_id.insert(state.id.clone(), self.issues.len());
        self.issues.push(state);
    }

    /// The issue by id.
    pub fn get(&self, id: &str) -> Option<&IssueState> {
        self.by_id.get(id).map(|&i| &self.issues[i])
    }

    fn idf(&self, key: &str) -> f32 {
        let df = self.df.get(key).copied().unwrap_or(0) as f32;
        ((1.0 + self.docs as f32) / (1.0 + df)).ln() + 1.0
    }

    /// Assigns a story (its headline's terms, its time) to an issue, with
    /// `prefix` for a new issue's id.
    pub fn assign(&mut self, terms: &[Term], at_ms: i64, prefix: &str) -> Joined {
        self.observe(terms);
        let vector: Vec<(String, f32)> = terms
            .iter()
            .map(|t| {
                // Pairs are worth more: "sekolah rakyat" says more than
                // "sekolah" and "rakyat".
                let pair = if t.key.contains(' ') { 1.5 } else { 1.0 };
                let everyday = if is_everyday(&t.key) {
                    EVERYDAY_WEIGHT
                } else {
                    1.0
                };
                (t.key.clone(), pair * everyday * self.idf(&t.key))
            })
            .collect();
        let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        let mut best: Option<(f64, usize)> = None;
        if norm > 0.0 {
            for (i, issue) in self.issues.iter().enumerate() {
                if (at_ms - issue.last_ms).abs() > self.rules.max_gap_ms {
                    continue;
                }
                let c_norm = issue
                    .centroid
                    .iter()
                    .map(|(_, w)| w * w)
                    .sum::<f32>()
                    .sqrt();
                if c_norm == 0.0 {
                    continue;
                }
                let mut dot = 0.0;
                let mut distinctive = false;
                for (k, w) in &vector {
                    if let Some((_, cw)) = issue.centroid.iter().find(|(ck, _)| ck == k) {
                        dot += w * cw;
                        distinctive |= !is_everyday(k);
                    }
                }
                let cos = f64::from(dot / (norm * c_norm));
                if distinctive && cos >= self.rules.join && best.is_none_or(|(b, _)| cos > b) {
                    best = Some((cos, i));
                }
            }
        }
        let (i, new) = match best {
            Some((_, i)) => (i, false),
            None => {
                self.next += 1;
                let id = format!("{prefix}-{}", self.next);
                self.by_id.insert(id.clone(), self.issues.len());
                self.issues.push(IssueState {
                    id,
                    centroid: Vec::new(),
                    shown: Vec::new(),
                    stories: 0,
                    first_ms: at_ms,
                    last_ms: at_ms,
                });
                (self.issues.len() - 1, true)
            }
        };
        let keep = self.rules.terms;
        let issue = &mut self.issues[i];
        issue.stories += 1;
        issue.first_ms = issue.first_ms.min(at_ms);
        issue.last_ms = issue.last_ms.max(at_ms);
        let mut centroid: FxHashMap<String, f32> = issue.centroid.drain(..).collect();
        for (k, w) in vector {
            *centroid.entry(k).or_default() += w / norm.max(f32::EPSILON);
        }
        let mut centroid: Vec<(String, f32)> = centroid.into_iter().collect();
        centroid.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        centroid.truncate(keep);
        for t in terms {
            if centroid.iter().any(|(k, _)| *k == t.key)
                && !issue.shown.iter().any(|(k, _)| *k == t.key)
            {
                issue.shown.push((t.key.clone(), t.shown.clone()));
            }
        }
        issue
            .shown
            .retain(|(k, _)| centroid.iter().any(|(c, _)| c == k));
        issue.centroid = centroid;
        Joined {
            issue: issue.id.clone(),
            new,
        }
    }

    /// Every issue.
    pub fn issues(&self) -> &[IssueState] {
        &self.issues
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stories_of_one_matter_form_one_issue_and_others_their_own() {
        let own: FxHashSet<String> = ["kemensos", "mensos"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut ix = IssueIndex::new(IssueRules::default(), 0);
        let day = 86_400_000;
        let mut go = |t: &str, d: i64| ix.assign(&terms(t, &own), d * day, "kemensos").issue;
        let a = go("Ribuan Peserta PBI JKN Dinonaktifkan, Warga Bingung", 0);
        let b = go("Kemensos Jelaskan Alasan PBI JKN Dinonaktifkan", 1);
        let c = go("Mensos Resmikan Sekolah Rakyat di Surabaya", 1);
        let d = go(
            "DPR Minta Kemensos Aktifkan Lagi PBI JKN yang Dinonaktifkan",
            2,
        );
        let e = go("Sekolah Rakyat Kedua Dibuka di Makassar", 3);
        assert_eq!(a, b);
        assert_eq!(a, d);
        assert_ne!(a, c);
        assert_eq!(c, e);
        // Everyday words alone ("bantuan korban") do not make one matter.
        let flood = go("Kemensos Salurkan Bantuan untuk Korban Banjir Semarang", 4);
        let blast = go(
            "Mensos Siap Berikan Bantuan untuk Korban Ledakan SMAN 72",
            4,
        );
        assert_ne!(flood, blast);
        assert_eq!(
            flood,
            go("Tinjau Banjir Semarang, Mensos Pastikan Bantuan Korban", 5)
        );
        let label = ix.get(&a).unwrap().label();
        assert!(label.contains("PBI JKN"), "{label}");
    }

    #[test]
    fn a_label_joins_the_phrases_a_pair_links() {
        let owned = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(k, s)| (k.to_string(), s.to_string()))
                .collect::<Vec<_>>()
        };
        let issue = IssueState {
            id: "kemensos-1".into(),
            centroid: vec![
                ("pembangunan sekolah".into(), 3.0),
                ("rakyat".into(), 2.5),
                ("rampung".into(), 2.0),
                ("sekolah rakyat".into(), 1.0),
            ],
            shown: owned(&[
                ("pembangunan sekolah", "Pembangunan Sekolah"),
                ("rakyat", "Rakyat"),
                ("rampung", "Rampung"),
                ("sekolah rakyat", "Sekolah Rakyat"),
            ]),
            stories: 4,
            first_ms: 0,
            last_ms: 0,
        };
        assert_eq!(issue.label(), "Pembangunan Sekolah Rakyat · Rampung");
    }

    #[test]
    fn terms_leave_out_the_entity_and_stopwords() {
        let own: FxHashSet<String> = ["kemensos"].iter().map(|s| s.to_string()).collect();
        let t: Vec<String> = terms(
            "Kemensos Salurkan Bansos untuk Korban Banjir - Kompas.com",
            &own,
        )
        .into_iter()
        .map(|t| t.key)
        .collect();
        assert!(t.contains(&"bansos".to_string()));
        assert!(t.contains(&"korban banjir".to_string()));
        assert!(!t
            .iter()
            .any(|k| k.contains("kemensos") || k.contains("untuk") || k.contains("kompas")));
    }
}
