//! Decides whether an article is about a monitored entity, and says why.
//!
//! # Layout
//!
//! - [`EntityMatcher`]: compiled from an entity file's terms; [`EntityMatcher::assess`]
//!   returns a [`Verdict`] with every mention (for targeted sentiment) and a
//!   human-readable reason.
//! - `indonesian`: [`reason_in_indonesian`], the reason in the bureau's
//!   language (stored reasons are English).
//!
//! Rules (see `config/entities/kemensos.toml`): matching is whole-word and
//! case-insensitive, and a hyphenated compound is matched by its parts
//! ("Kemensos-BPS"); exclusion phrases are masked first; `names`,
//! `officials`, `office_holders`, `programmes` and `shared_programmes`
//! suffice alone; `people` and `ambiguous` need a `context` term; an
//! `other_roles` phrase demotes officials and office holders to needing
//! context too; an `other_actors` term (another giver of aid) makes shared
//! programmes theirs unless the entity itself is named.

mod indonesian;

use std::ops::Range;

pub use indonesian::reason_in_indonesian;

use pantau_config::EntityConfig;
use pantau_text::{eq_lower, lower_into, name_words, Word};
use rustc_hash::FxHashMap;

/// The kind of list a term came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// Institution name (strong).
    Name,
    /// Official's title (strong unless another role is mentioned).
    Official,
    /// Official now in office, by name (strong unless another role is mentioned).
    OfficeHolder,
    /// Programme name (strong).
    Programme,
    /// The programme family's common name (strong unless another actor is named).
    SharedProgramme,
    /// Another giver of aid or runner of programmes.
    OtherActor,
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
            TermKind::OfficeHolder => "office holder",
            TermKind::Programme => "programme",
            TermKind::SharedProgramme => "shared programme",
            TermKind::OtherActor => "other actor",
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

/// A term found in the text: which, and its span.
type Found = (TermKind, usize, Range<usize>);

impl EntityMatcher {
    /// Compiles the terms of an entity file.
    pub fn new(entity: &EntityConfig) -> Self {
        let t = &entity.terms;
        let lists = [
            (TermKind::Exclusion, &t.exclusions),
            (TermKind::Name, &t.names),
            (TermKind::Official, &t.officials),
            (TermKind::OfficeHolder, &t.office_holders),
            (TermKind::Programme, &t.programmes),
            (TermKind::SharedProgramme, &t.shared_programmes),
            (TermKind::OtherActor, &t.other_actors),
            (TermKind::Person, &t.people),
            (TermKind::Ambiguous, &t.ambiguous),
            (TermKind::Context, &t.context),
            (TermKind::OtherRole, &t.other_roles),
        ];
        let mut terms = Vec::new();
        let mut buf = String::new();
        for (kind, list) in lists {
            for display in list {
                // Split the way texts are, so "PBI-JKN" matches "PBI JKN" too.
                let ws: Vec<String> = name_words(display)
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

    /// Every term occurrence in `text`, exclusions masked; and the
    /// exclusions that masked something.
    fn find(&self, text: &str) -> (Vec<Found>, Vec<usize>) {
        let toks: Vec<Word<'_>> = name_words(text).collect();
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
                if !excluded.contains(&ti) {
                    excluded.push(ti);
                }
            }
        }
        let mentions = found
            .iter()
            .filter(|(ti, a, b)| {
                self.terms[*ti].kind != TermKind::Exclusion && !masked[*a..*b].iter().any(|&m| m)
            })
            .map(|&(ti, a, b)| (self.terms[ti].kind, ti, toks[a].start..toks[b - 1].end()))
            .collect();
        (mentions, excluded)
    }

    /// "kind \"term\"" for each distinct term of `ms`, joined.
    fn name_list<'m>(&self, ms: impl IntoIterator<Item = &'m Found>) -> String {
        // Distinct terms first (a long article names "bansos" thirty
        // times), then one string.
        let mut seen: Vec<(TermKind, usize)> = Vec::new();
        for m in ms {
            let same = |&(k, t): &(TermKind, usize)| {
                k == m.0 && self.terms[t].display == self.terms[m.1].display
            };
            if !seen.iter().any(same) {
                seen.push((m.0, m.1));
            }
        }
        let mut out = String::new();
        for (i, (kind, ti)) in seen.into_iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(kind.label());
            out.push_str(" \"");
            out.push_str(&self.terms[ti].display);
            out.push('"');
        }
        out
    }

    /// Assesses a text (title, summary and body joined by line breaks).
    pub fn assess(&self, text: &str) -> Verdict {
        let (mentions, excluded) = self.find(text);
        let of = |k: TermKind| mentions.iter().filter(move |m| m.0 == k);
        let has = |k: TermKind| of(k).next().is_some();
        let other_role = has(TermKind::OtherRole);
        let other_actor = has(TermKind::OtherActor);
        let context = has(TermKind::Context);

        // Officials and office holders are strong unless another role of
        // theirs is in view; then they are weak, like personal names.
        let mut strong_kinds = vec![TermKind::Name, TermKind::Programme];
        let mut weak_kinds = vec![TermKind::Person, TermKind::Ambiguous];
        let office = [TermKind::Official, TermKind::OfficeHolder];
        if other_role {
            weak_kinds.extend(office);
        } else {
            strong_kinds.extend(office);
        }
        let entity_named = mentions.iter().any(|m| strong_kinds.contains(&m.0));
        // A shared programme ("bansos") is the entity's unless another
        // giver is named and the entity is not.
        let shared_is_others = other_actor && !entity_named;
        if !shared_is_others {
            strong_kinds.push(TermKind::SharedProgramme);
        }
        let strong: Vec<&Found> = mentions
            .iter()
            .filter(|m| strong_kinds.contains(&m.0))
            .collect();
        let weak: Vec<&Found> = mentions
            .iter()
            .filter(|m| weak_kinds.contains(&m.0))
            .collect();

        let (relevant, mut reason, identifying) = if !strong.is_empty() {
            let mut ids = strong.clone();
            if context {
                ids.extend(weak.iter().copied());
            }
            (true, self.name_list(strong.iter().copied()), ids)
        } else if !weak.is_empty() && context {
            (
                true,
                format!(
                    "{} with {}",
                    self.name_list(weak.iter().copied()),
                    self.name_list(of(TermKind::Context))
                ),
                weak.clone(),
            )
        } else if !weak.is_empty() {
            (
                false,
                format!("{} without context", self.name_list(weak.iter().copied())),
                vec![],
            )
        } else if shared_is_others && has(TermKind::SharedProgramme) {
            (
                false,
                format!(
                    "{} of {}",
                    self.name_list(of(TermKind::SharedProgramme)),
                    self.name_list(of(TermKind::OtherActor))
                ),
                vec![],
            )
        } else {
            (false, "no entity term".to_owned(), vec![])
        };
        if other_role {
            reason.push_str(&format!("; {}", self.name_list(of(TermKind::OtherRole))));
        }
        if !excluded.is_empty() {
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
        assert_eq!(
            v.reason,
            "shared programme \"bansos\" of other actor \"Dinas Sosial\", other actor \"Pemkab\""
        );
        // Another giver named beside the ministry does not take it away.
        assert!(
            m.assess("Kemensos dan Polda Sumsel bagikan bansos di Banyuasin")
                .relevant
        );
        // Police handing out their own packages is their news.
        assert!(
            !m.assess("Sambang Kamtibmas, Polda Sumsel Gelar Pembagian Bansos di Banyuasin")
                .relevant
        );
    }

    #[test]
    fn national_bansos_is_the_ministrys() {
        let m = kemensos();
        for title in [
            "11.014 Orang Dicoret dari Daftar Penerima Bansos PKH-BPNT",
            "Cara Cek Desil Bansos 2026 dengan NIK KTP, Anda Masuk Desil Berapa?",
            "Link dan Cara Cek BLT Rp 900.000 Online, Cair Mulai Hari Ini",
        ] {
            let v = m.assess(title);
            assert!(v.relevant, "{title}: {v:?}");
            assert!(v.reason.contains("shared programme"), "{}", v.reason);
        }
    }

    #[test]
    fn hyphenated_names_are_matched_by_their_parts() {
        let m = kemensos();
        let v = m.assess("Kemensos-BPS Perbarui DTSEN Volume 2");
        assert!(v.relevant, "{v:?}");
        assert_eq!(
            v.mentions[0].span,
            0..8,
            "the mention is the name, not the compound"
        );
        assert!(
            m.assess("Kemensos-Kemenkop Teken MoU Pemberdayaan")
                .relevant
        );
        assert!(
            m.assess("Debat Komisi IX DPR dengan Menkes-Mensos soal Rapat")
                .relevant
        );
        assert!(
            m.assess("Target Prabowo: 500 Sekolah Rakyat-500 Ribu Siswa")
                .relevant
        );
        // A term written with a hyphen matches either way.
        assert!(
            m.assess("Dukung Perbaikan Program PBI-JK, F-PKB MPR: Amanat UUD")
                .relevant
        );
        assert!(
            m.assess("Reaktivasi PBI JK bagi pasien cuci darah")
                .relevant
        );
    }

    #[test]
    fn the_programmes_of_2025_and_their_abbreviations() {
        let m = kemensos();
        for title in [
            "Gus Ipul Antusias Lihat Penampilan Bakat Siswa SRMA 14 Bandung Barat",
            "Open House SRMP 2 Medan Dibuka untuk Warga",
            "Sudah Cek Desil DTSEN? Simak Cara Ajukan Pembaruan Datanya",
            "Ratusan Pasien Gagal Ginjal Tak Bisa Cuci Darah akibat BPJS PBI Dinonaktifkan",
            "Data BLTS Masih Dikonsolidasi, PT Pos Cairkan Pekan Depan",
            "Siswa SR di Bekasi Ikuti Upacara",
        ] {
            assert!(m.assess(title).relevant, "{title}");
        }
        // BPJS Ketenagakerjaan's PBI is not the ministry's.
        assert!(
            !m.assess("BPJS Ketenagakerjaan-DJSN Perkuat PBI Jaminan Sosial bagi Pekerja Rentan")
                .relevant
        );
        // Nor is the corporate Sekolah Rakyat of Ancol.
        assert!(
            !m.assess("Penantian Siswa Sekolah Rakyat Ancol yang Berharap Dapat MBG")
                .relevant
        );
    }

    #[test]
    fn the_minister_by_his_nickname_doing_ministry_work() {
        let m = kemensos();
        for title in [
            "Uji Coba Budaya Kerja Baru, Gus Ipul Ngantor Pakai Mobil Listrik",
            "Gus Ipul Takziah ke Rumah Korban Kecelakaan Kereta Api di Bekasi",
            "Ini yang Dibahas dalam Pertemuan Gus Ipul dan Pramono Anung di Balai Kota",
        ] {
            let v = m.assess(title);
            assert!(v.relevant, "{title}: {v:?}");
            assert!(
                v.reason.starts_with("office holder \"Gus Ipul\""),
                "{}",
                v.reason
            );
        }
        // As secretary-general of PBNU he is not the minister.
        for title in [
            "Gus Ipul Ungkap Tahap Awal Persiapan Muktamar NU 2026",
            "Jelang Rapat Pleno PBNU, Gus Ipul Pastikan Tak akan Jadi Pj Ketum",
            "Gus Ipul Minta NU Tak Terjebak pada Spekulasi Pemakzulan Gus Yahya",
        ] {
            let v = m.assess(title);
            assert!(!v.relevant, "{title}: {v:?}");
            assert!(v.reason.contains("other role"), "{}", v.reason);
        }
    }
}
