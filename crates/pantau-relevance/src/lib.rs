//! Decides whether an article is about a monitored entity, and says why.
//!
//! # Layout
//!
//! - [`EntityMatcher`]: compiled from an entity file's terms; [`EntityMatcher::assess`]
//!   returns a [`Verdict`] with every mention (for targeted sentiment) and a
//!   human-readable reason.
//!
//! Rules (see `config/entities/kemensos.toml`): matching is whole-word and
//! case-insensitive; exclusion phrases are masked first; `names`,
//! `officials` and `programmes` suffice alone; `people` and `ambiguous`
//! need a `context` term; an `other_roles` phrase demotes officials to
//! needing context too.

use std::ops::Range;

use pantau_config::EntityConfig;
use pantau_text::{eq_lower, lower_into, words, Word};
use rustc_hash::FxHashMap;

/// The kind of list a term came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// Institution name (strong).
    Name,
    /// Official's title (strong unless another role is mentioned).
    Official,
    /// Programme name (strong).
    Programme,
    /// Personal name (needs context).
    Person,
    /// Ambiguous acronym (needs context).
    Ambiguous,
    /// Confirms a weak match.
    Context,
    /// Masks its words.
    Exclusion,
    /// Another role of an official.
    OtherRole,
}

impl TermKind {
    fn label(self) -> &'static str {
        match self {
            TermKind::Name => "name",
            TermKind::Official => "official",
            TermKind::Programme => "programme",
            TermKind::Person => "person",
            TermKind::Ambiguous => "ambiguous",
            TermKind::Context => "context",
            TermKind::Exclusion => "excluded",
            TermKind::OtherRole => "other role",
        }
    }
}

/// One occurrence of a term in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Which list it came from.
    pub kind: TermKind,
    /// The term as configured.
    pub term: String,
    /// Byte range in the assessed text.
    pub span: Range<usize>,
}

/// The decision for one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the article counts for the entity.
    pub relevant: bool,
    /// Why (matched terms and the rule that decided).
    pub reason: String,
    /// Mentions that identify the entity (strong, and weak ones that were
    /// confirmed); the targeted sentiment scores the sentences around them.
    pub mentions: Vec<Mention>,
}

#[derive(Debug)]
struct Term {
    kind: TermKind,
    display: String,
    words: Vec<String>,
}

/// An entity's terms, compiled for matching.
#[derive(Debug)]
pub struct EntityMatcher {
    terms: Vec<Term>,
    /// First word (lower-case) → indices into `terms`, longest term first.
    by_first: FxHashMap<String, Vec<usize>>,
}

impl EntityMatcher {
    /// Compiles the terms of an entity file.
    pub fn new(entity: &EntityConfig) -> Self {
        let t = &entity.terms;
        let lists = [
            (TermKind::Exclusion, &t.exclusions),
            (TermKind::Name, &t.names),
            (TermKind::Official, &t.officials),
            (TermKind::Programme, &t.programmes),
            (TermKind::Person, &t.people),
            (TermKind::Ambiguous, &t.ambiguous),
            (TermKind::Context, &t.context),
            (TermKind::OtherRole, &t.other_roles),
        ];
        let mut terms = Vec::new();
        let mut buf = String::new();
        for (kind, list) in lists {
            for display in list {
                let ws: Vec<String> = words(display)
                    .map(|w| {
                        lower_into(&mut buf, w.text);
                        buf.clone()
                    })
                    .collect();
                if !ws.is_empty() {
                    terms.push(Term {
                        kind,
                        display: display.clone(),
                        words: ws,
                    });
                }
            }
        }
        let mut by_first: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, term) in terms.iter().enumerate() {
            by_first.entry(term.words[0].clone()).or_default().push(i);
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|&i| std::cmp::Reverse(terms[i].words.len()));
        }
        EntityMatcher { terms, by_first }
    }

    /// Assesses a text (title, summary and body joined by line breaks).
    pub fn assess(&self, text: &str) -> Verdict {
        let toks: Vec<Word<'_>> = words(text).collect();
        // Lower-cased once (ASCII letters in place, offsets unchanged); a
        // non-ASCII word is lower-cased on its own.
        let lower = text.to_ascii_lowercase();
        let mut buf = String::new();
        // (term index, first word, past-last word)
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for i in 0..toks.len() {
            let t = &toks[i];
            let first = if t.text.is_ascii() {
                &lower[t.start..t.end()]
            } else {
                lower_into(&mut buf, t.text);
                buf.as_str()
            };
            let Some(cands) = self.by_first.get(first) else {
                continue;
            };
            for &ti in cands {
                let tw = &self.terms[ti].words;
                if i + tw.len() <= toks.len()
                    && tw[1..]
                        .iter()
                        .zip(&toks[i + 1..])
                        .all(|(w, t)| eq_lower(t.text, w))
                {
                    found.push((ti, i, i + tw.len()));
                }
            }
        }
        // Mask exclusions: any match overlapping an excluded span is dropped.
        let mut masked = vec![false; toks.len()];
        let mut excluded = Vec::new();
        for &(ti, a, b) in &found {
            if self.terms[ti].kind == TermKind::Exclusion {
                masked[a..b].iter_mut().for_each(|m| *m = true);
                excluded.push(ti);
            }
        }
        let mentions: Vec<(TermKind, usize, Range<usize>)> = found
            .iter()
            .filter(|(ti, a, b)| {
                self.terms[*ti].kind != TermKind::Exclusion && !masked[*a..*b].iter().any(|&m| m)
            })
            .map(|&(ti, a, b)| {
                let span = toks[a].start..toks[b - 1].end();
                (self.terms[ti].kind, ti, span)
            })
            .collect();

        let has = |k: TermKind| mentions.iter().any(|m| m.0 == k);
        let other_role = has(TermKind::OtherRole);
        let context = has(TermKind::Context);
        let strong_kinds: &[TermKind] = if other_role {
            &[TermKind::Name, TermKind::Programme]
        } else {
            &[TermKind::Name, TermKind::Official, TermKind::Programme]
        };
        let weak_kinds: &[TermKind] = if other_role {
            &[TermKind::Official, TermKind::Person, TermKind::Ambiguous]
        } else {
            &[TermKind::Person, TermKind::Ambiguous]
        };
        let strong: Vec<_> = mentions
            .iter()
            .filter(|m| strong_kinds.contains(&m.0))
            .collect();
        let weak: Vec<_> = mentions
            .iter()
            .filter(|m| weak_kinds.contains(&m.0))
            .collect();

        let name_list = |ms: &[&(TermKind, usize, Range<usize>)]| {
            let mut seen: Vec<String> = Vec::new();
            for m in ms {
                let s = format!("{} \"{}\"", m.0.label(), self.terms[m.1].display);
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            seen.join(", ")
        };
        let context_ms: Vec<_> = mentions
            .iter()
            .filter(|m| m.0 == TermKind::Context)
            .collect();
        let (relevant, mut reason, identifying) = if !strong.is_empty() {
            let mut ids = strong.clone();
            if context {
                ids.extend(weak.iter().copied());
            }
            (true, name_list(&strong), ids)
        } else if !weak.is_empty() && context {
            (
                true,
                format!("{} with {}", name_list(&weak), name_list(&context_ms)),
                weak.clone(),
            )
        } else if !weak.is_empty() {
            (
                false,
                format!("{} without context", name_list(&weak)),
                vec![],
            )
        } else {
            (false, "no entity term".to_owned(), vec![])
        };
        if other_role {
            let roles: Vec<_> = mentions
                .iter()
                .filter(|m| m.0 == TermKind::OtherRole)
                .collect();
            reason.push_str(&format!("; {}", name_list(&roles)));
        }
        if !excluded.is_empty() {
            excluded.dedup();
            let ex: Vec<String> = excluded
                .iter()
                .map(|&ti| format!("\"{}\"", self.terms[ti].display))
                .collect();
            reason.push_str(&format!("; excluded {}", ex.join(", ")));
        }
        let mut mentions: Vec<Mention> = identifying
            .iter()
            .map(|m| Mention {
                kind: m.0,
                term: self.terms[m.1].display.clone(),
                span: m.2.clone(),
            })
            .collect();
        mentions.sort_by_key(|m| m.span.start);
        Verdict {
            relevant,
            reason,
            mentions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kemensos() -> EntityMatcher {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../config/entities/kemensos.toml"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let e: EntityConfig = toml::from_str(&text).unwrap();
        EntityMatcher::new(&e)
    }

    #[test]
    fn strong_terms_suffice() {
        let m = kemensos();
        let v = m.assess("Mensos tinjau lokasi banjir di Demak");
        assert!(v.relevant, "{v:?}");
        assert_eq!(v.reason, "official \"Mensos\"");
        assert_eq!(v.mentions[0].span, 0..6);
        let v = m.assess("Penyaluran PROGRAM KELUARGA HARAPAN tahap III dimulai");
        assert!(v.relevant && v.reason.contains("programme"), "{v:?}");
    }

    #[test]
    fn whole_words_only() {
        let m = kemensos();
        assert!(!m.assess("Kemensosial adalah kata buatan").relevant);
        assert!(!m.assess("Harga pena naik").relevant);
    }

    #[test]
    fn satgas_pkh_is_forest_enforcement() {
        let m = kemensos();
        let v = m.assess(
            "Satgas PKH sita 20 ribu hektare kebun sawit ilegal. Satuan Tugas Penertiban \
             Kawasan Hutan (PKH) menyebut PKH akan terus bekerja.",
        );
        assert!(!v.relevant, "{v:?}");
        assert!(v.reason.contains("excluded \"Satgas PKH\""), "{}", v.reason);
        // The programme, with its context, is relevant.
        let v = m.assess("Pencairan PKH tahap dua untuk keluarga penerima manfaat dimulai");
        assert!(v.relevant, "{v:?}");
        assert!(
            v.reason.starts_with("ambiguous \"PKH\" with context"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn people_need_context_and_other_roles_demote_titles() {
        let m = kemensos();
        assert!(!m.assess("Gus Ipul hadiri harlah di Jombang").relevant);
        assert!(m.assess("Gus Ipul pastikan bansos cair pekan ini").relevant);
        let v = m.assess(
            "Sekjen PBNU Saifullah Yusuf, yang juga Menteri Sosial, membuka muktamar wilayah.",
        );
        assert!(!v.relevant, "{v:?}");
        assert!(v.reason.contains("other role"), "{}", v.reason);
        let v = m.assess("Sekjen PBNU yang juga Menteri Sosial memantau penyaluran bansos.");
        assert!(v.relevant, "{v:?}");
    }

    #[test]
    fn regional_social_aid_is_not_the_ministry() {
        let m = kemensos();
        let v = m.assess("Dinas Sosial Pemkab Bogor salurkan bansos beras kepada 5.000 warga");
        assert!(!v.relevant, "{v:?}");
        assert_eq!(v.reason, "no entity term");
    }
}
