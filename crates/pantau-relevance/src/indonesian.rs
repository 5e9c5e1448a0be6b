//! The reason of a [`Verdict`](crate::Verdict) in Indonesian. Reasons are
//! stored as [`EntityMatcher::assess`](crate::EntityMatcher::assess) writes
//! them — a closed vocabulary around quoted terms (`official "Mensos",
//! programme "PKH"; excluded "Satgas PKH"`) — so stored rows of any age
//! read in Indonesian on the bureau's pages, and in English where asked.

/// The reason's words, longest first (a phrase wins over its first word).
const WORDS: [(&str, &str); 15] = [
    ("no entity term", "tidak ada istilah entitas"),
    ("without context", "tanpa konteks"),
    ("shared programme", "program bersama"),
    ("office holder", "pejabat"),
    ("other actor", "pihak lain"),
    ("other role", "peran lain"),
    ("programme", "program"),
    ("official", "jabatan"),
    ("ambiguous", "singkatan ambigu"),
    ("excluded", "dikecualikan"),
    ("context", "konteks"),
    ("person", "tokoh"),
    ("name", "nama"),
    ("with", "dengan"),
    ("of", "milik"),
];

/// `reason` with its words in Indonesian; quoted terms stay as they are,
/// anything not of the vocabulary too.
pub fn reason_in_indonesian(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len() + 16);
    // Even pieces are outside quotes, odd pieces are terms.
    for (i, piece) in reason.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 1 {
            out.push_str(piece);
        } else {
            translate_words(piece, &mut out);
        }
    }
    out
}

fn translate_words(mut s: &str, out: &mut String) {
    'outer: while !s.is_empty() {
        let starts_word = s.starts_with(|c: char| c.is_ascii_alphabetic());
        if starts_word {
            for (en, id) in WORDS {
                if let Some(rest) = s.strip_prefix(en) {
                    if !rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                        out.push_str(id);
                        s = rest;
                        continue 'outer;
                    }
                }
            }
        }
        // Copy one word or one separator as it is.
        let end = if starts_word {
            s.find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(s.len())
        } else {
            s.char_indices().nth(1).map_or(s.len(), |(i, _)| i)
        };
        out.push_str(&s[..end]);
        s = &s[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_reason_reads_in_indonesian() {
        for (en, id) in [
            (r#"official "Mensos""#, r#"jabatan "Mensos""#),
            (
                r#"name "Kemensos", programme "PKH""#,
                r#"nama "Kemensos", program "PKH""#,
            ),
            (
                r#"person "Saifullah Yusuf" with context "bansos""#,
                r#"tokoh "Saifullah Yusuf" dengan konteks "bansos""#,
            ),
            (
                r#"ambiguous "PKH" without context"#,
                r#"singkatan ambigu "PKH" tanpa konteks"#,
            ),
            (
                r#"shared programme "bansos" of other actor "Pemprov DKI""#,
                r#"program bersama "bansos" milik pihak lain "Pemprov DKI""#,
            ),
            ("no entity term", "tidak ada istilah entitas"),
            (
                r#"office holder "Gus Ipul"; other role "PBNU"; excluded "Satgas PKH""#,
                r#"pejabat "Gus Ipul"; peran lain "PBNU"; dikecualikan "Satgas PKH""#,
            ),
        ] {
            assert_eq!(reason_in_indonesian(en), id, "{en}");
        }
    }

    #[test]
    fn terms_in_quotes_and_unknown_words_are_kept() {
        // A term that is also a vocabulary word is not translated.
        assert_eq!(
            reason_in_indonesian(r#"name "of context", programme "with""#),
            r#"nama "of context", program "with""#
        );
        // Part of a longer word is not a word of the vocabulary.
        assert_eq!(reason_in_indonesian("nameless often"), "nameless often");
        assert_eq!(reason_in_indonesian(""), "");
    }

    #[test]
    fn what_assess_writes_has_no_english_word_left() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../config/entities/kemensos.toml"
        ))
        .unwrap();
        let e: pantau_config::EntityConfig = toml::from_str(&text).unwrap();
        let m = crate::EntityMatcher::new(&e);
        for text in [
            "Mensos tinjau lokasi banjir",
            "Gus Ipul salurkan bansos di Garut",
            "PKH cair bulan depan",
            "Satgas PKH sita lahan sawit, Kemensos salurkan bantuan",
            "Gus Ipul hadiri muktamar PBNU",
            "Pemprov DKI salurkan bansos",
            "Harga cabai naik",
        ] {
            let id = reason_in_indonesian(&m.assess(text).reason);
            let outside_quotes: String = id.split('"').step_by(2).collect();
            for (en, _) in WORDS {
                let english = outside_quotes
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w == en || en.contains(' ') && outside_quotes.contains(en));
                assert!(!english, "{text}: {id} still says {en:?}");
            }
        }
    }
}
