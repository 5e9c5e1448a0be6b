//! Issues (*isu*): stories about the same matter over days and outlets,
//! grouped incrementally — each new story joins the issue whose terms it
//! shares most (cosine similarity of TF-IDF vectors over the headline's
//! distinctive words and word pairs, IDF from the stories seen so far),
//! or founds one. An issue's label is its strongest terms, as written.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::normalise::{canonical_words, headline_core, is_stopword};

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
            let overlaps = phrases.iter().any(|p| words.iter().any(|w| p.contains(w)));
            if overlaps {
                if words.len() == 2 && *w >= 0.6 * top {
                    let used = |x: &str| phrases.iter().any(|p| p.contains(&x));
                    let (a, b) = (words[0], words[1]);
                    let (fresh_a, fresh_b) = (!used(a), !used(b));
                    if let Some(p) = phrases.iter_mut().find(|p| p.len() < 4) {
                        if p.last() == Some(&a) && fresh_b {
                            p.push(b);
                        } else if p.first() == Some(&b) && fresh_a {
                            p.insert(0, a);
                        }
                    }
                }
                continue;
            }
            if phrases.len() == 3 {
                break;
            }
            phrases.push(words);
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
                (t.key.clone(), pair * self.idf(&t.key))
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
                let dot: f32 = vector
                    .iter()
                    .filter_map(|(k, w)| {
                        issue
                            .centroid
                            .iter()
                            .find(|(ck, _)| ck == k)
                            .map(|(_, cw)| w * cw)
                    })
                    .sum();
                let cos = f64::from(dot / (norm * c_norm));
                if cos >= self.rules.join && best.is_none_or(|(b, _)| cos > b) {
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
        let label = ix.get(&a).unwrap().label();
        assert!(label.contains("PBI JKN"), "{label}");
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
