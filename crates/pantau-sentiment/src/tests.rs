#![allow(clippy::single_range_in_vec_init)] // one mention is the common case
use super::*;

fn classifier() -> Classifier {
    let mut id = Lexicon::default();
    id.add_text(
        Path::new("test-id.tsv"),
        "bagus\t2.0\nburuk\t-2.0\nkeluh\t-1.8\nsalur\t1.2\nbantu\t1.5\nbantuan\t0\n\
         tewas\t-3.0\nbanjir\t-1.5\nkecewa\t-2.5\nsalah sasaran\t-2.5\ntidak tepat sasaran\t-2.5\n\
         tepat sasaran\t2.0\napresiasi\t2.2\nkorupsi\t-3.2\n",
    )
    .unwrap();
    let mut en = Lexicon::default();
    en.add_text(Path::new("test-en.tsv"), "good\t1.9\nbad\t-2.5\n")
        .unwrap();
    Classifier::from_lexicons(id, en)
}

fn whole(c: &Classifier, text: &str) -> Scored {
    c.score(Input {
        text,
        title_len: 0,
        mentions: &[],
    })
}

/// The lemmas of the terms a score matched, in order.
fn lemmas(s: &Scored) -> Vec<&str> {
    s.explanation
        .terms
        .iter()
        .map(|t| t.lemma.as_str())
        .collect()
}

fn effective(s: &Scored, lemma: &str) -> f32 {
    s.explanation
        .terms
        .iter()
        .find(|t| t.lemma == lemma)
        .unwrap_or_else(|| panic!("{lemma} not matched in {:?}", s.explanation.terms))
        .effective
}

#[test]
fn negation_flips_within_its_scope_only() {
    let c = classifier();
    let s = whole(&c, "Pelayanan ini tidak bagus untuk warga.");
    assert_eq!(s.sentiment, Sentiment::Negative, "{s:?}");
    assert!(effective(&s, "bagus") < 0.0);
    assert!(s.explanation.terms[0]
        .modifiers
        .iter()
        .any(|m| m == "negated by \"tidak\""));
    // Beyond three words the negator no longer reaches.
    let s = whole(&c, "Tidak ada yang menyangka hasilnya bagus.");
    assert!(effective(&s, "bagus") > 0.0, "{s:?}");
}

#[test]
fn affixed_forms_reach_their_root_but_blocks_hold() {
    let c = classifier();
    let s = whole(
        &c,
        "Warga mengeluhkan antrean. Keluhan itu dikeluhkan lagi.",
    );
    assert_eq!(lemmas(&s), ["keluh", "keluh", "keluh"]);
    assert_eq!(s.sentiment, Sentiment::Negative);
    // "bantuan" (aid) is blocked from becoming "bantu" (to help).
    let s = whole(&c, "Bantuan datang hari ini.");
    assert!(s.explanation.terms.is_empty(), "{s:?}");
    let s = whole(&c, "Relawan membantu warga.");
    assert_eq!(s.explanation.terms[0].lemma, "bantu");
}

#[test]
fn phrases_win_over_their_words() {
    let c = classifier();
    let s = whole(&c, "Bansos tidak tepat sasaran di desa itu.");
    assert_eq!(s.explanation.terms.len(), 1, "{s:?}");
    assert_eq!(s.explanation.terms[0].lemma, "tidak tepat sasaran");
    assert_eq!(s.sentiment, Sentiment::Negative);
    let s = whole(&c, "Bansos itu tepat sasaran.");
    assert_eq!(s.explanation.terms[0].lemma, "tepat sasaran");
    assert_eq!(s.sentiment, Sentiment::Positive);
}

#[test]
fn contrast_shifts_weight_to_the_later_clause() {
    let c = classifier();
    let s = whole(&c, "Programnya bagus tetapi warga kecewa");
    assert_eq!(s.sentiment, Sentiment::Negative, "{s:?}");
    assert!((effective(&s, "bagus") - 1.0).abs() < 1e-6);
    assert!((effective(&s, "kecewa") + 3.75).abs() < 1e-6);
    let s = whole(&c, "Meski warga kecewa, hasilnya bagus sekali");
    assert_eq!(s.sentiment, Sentiment::Positive, "{s:?}");
    assert!(effective(&s, "bagus") > 2.0, "booster after: {s:?}");
}

#[test]
fn targeted_scoring_ignores_the_disaster_around_the_ministry() {
    let c = classifier();
    let title = "Banjir bandang, 12 warga tewas";
    let body = "Banjir bandang melanda Kabupaten Tirta. Sebanyak 12 warga tewas dan ratusan rumah rusak. \
                Kemensos mengirim bantuan logistik dan membantu dapur umum. Warga mengapresiasi respons cepat itu.";
    let (text, title_len) = compose(title, body, "");
    let at = text.find("Kemensos").unwrap();
    let mention = [at..at + "Kemensos".len()];
    let targeted = c.score(Input {
        text: &text,
        title_len,
        mentions: &mention,
    });
    assert_ne!(targeted.sentiment, Sentiment::Negative, "{targeted:?}");
    assert_eq!(targeted.explanation.scope, "targeted");
    // The same text without a target is negative: the disaster dominates.
    let untargeted = whole(&c, &text);
    assert_eq!(untargeted.sentiment, Sentiment::Negative, "{untargeted:?}");

    // And the opposite: a ministry criticised inside a neutral story.
    let body = "Rapat kerja digelar di Jakarta. Kemensos dikritik karena bansos salah sasaran. Rapat berakhir sore.";
    let (text, title_len) = compose("Rapat kerja Komisi VIII", body, "");
    let at = text.find("Kemensos").unwrap();
    let s = c.score(Input {
        text: &text,
        title_len,
        mentions: &[at..at + 8],
    });
    assert_eq!(s.sentiment, Sentiment::Negative, "{s:?}");
}

#[test]
fn headline_counts_double_and_english_uses_its_own_lexicon() {
    let c = classifier();
    let (text, title_len) = compose("Layanan bagus", "Isi berita ini biasa.", "");
    let s = c.score(Input {
        text: &text,
        title_len,
        mentions: &[],
    });
    assert!((effective(&s, "bagus") - 4.0).abs() < 1e-6, "{s:?}");
    let s = whole(&c, "The service was not good and the food is bad.");
    assert_eq!(s.explanation.language, "en");
    assert_eq!(s.sentiment, Sentiment::Negative);
}

#[test]
fn score_is_bounded_and_empty_text_is_neutral() {
    let c = classifier();
    let s = whole(&c, "");
    assert_eq!((s.sentiment, s.score), (Sentiment::Neutral, 0.0));
    let many = "korupsi ".repeat(500);
    let s = whole(&c, &many);
    assert!(s.score >= -1.0 && s.score < -0.99, "{}", s.score);
}

#[test]
fn each_classifier_keeps_its_own_roots_on_a_shared_thread() {
    // The per-thread memo of roots belongs to one vocabulary at a time: a
    // second classifier on the same thread must not see the first's roots.
    let with_root = classifier();
    let mut id = Lexicon::default();
    id.add_text(Path::new("other-id.tsv"), "bagus\t2.0\n")
        .unwrap();
    let without_root = Classifier::from_lexicons(id, Lexicon::default());
    let text = "Warga dikeluhkan soal antrean.";
    for _ in 0..2 {
        assert!(whole(&without_root, text).explanation.terms.is_empty());
        assert_eq!(effective(&whole(&with_root, text), "keluh"), -1.8);
    }
}

#[test]
fn a_long_text_leaves_nothing_behind_for_the_next() {
    let c = classifier();
    let short = "Penyaluran bantuan tidak tepat sasaran, warga kecewa.";
    let first = whole(&c, short);
    let long = "Korupsi bansos. ".repeat(50_000) + "Sangat bagus sekali!";
    assert_eq!(whole(&c, &long).sentiment, Sentiment::Negative);
    assert_eq!(whole(&c, short), first);
    // And a fresh thread, with fresh scratch buffers, agrees.
    let fresh = std::thread::scope(|s| s.spawn(|| whole(&c, short)).join().unwrap());
    assert_eq!(fresh, first);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_and_stays_in_range(text in "\\PC{0,200}", cut in 0usize..200) {
            let c = classifier();
            let title_len = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
            let mentions = [0..title_len];
            let s = c.score(Input { text: &text, title_len, mentions: &mentions });
            prop_assert!((-1.0..=1.0).contains(&s.score));
            let s = whole(&c, &text);
            prop_assert!((-1.0..=1.0).contains(&s.score));
            // The verdict alone is the same decision as with its explanation.
            let tone = c.tone(Input { text: &text, title_len: 0, mentions: &[] });
            prop_assert_eq!(tone.sentiment, s.sentiment);
            prop_assert_eq!(tone.score, s.score);
            prop_assert_eq!(tone.language.code(), s.explanation.language.as_str());
        }
    }
}

#[test]
fn a_clause_longer_than_64_words_is_scored_to_its_end() {
    let c = classifier();
    // One clause: no comma, no sentence end. Terms before and after the
    // 64th word, a negator just before the 64th reaching past it, and a
    // phrase straddling it.
    let filler = |n: usize| vec!["warga"; n].join(" ");
    let text = format!(
        "{} bagus {} tidak {} bagus {} tepat sasaran buruk",
        filler(10),
        filler(52),
        filler(1),
        filler(20)
    );
    let s = whole(&c, &text);
    let found: Vec<(&str, f32)> = s
        .explanation
        .terms
        .iter()
        .map(|t| (t.lemma.as_str(), t.effective))
        .collect();
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!((found[0].0, found[0].1 > 0.0), ("bagus", true));
    // Word 63 is "tidak"; the "bagus" it negates is word 65, past the
    // clause's 64-word mask.
    assert_eq!((found[1].0, found[1].1 < 0.0), ("bagus", true), "{found:?}");
    assert_eq!(found[2].0, "tepat sasaran");
    assert_eq!((found[3].0, found[3].1 < 0.0), ("buruk", true));
    // The same words split into short clauses find the same terms.
    let short = whole(&c, &text.replace("warga warga", "warga, warga"));
    assert_eq!(lemmas(&short), lemmas(&s));
}

#[test]
fn a_longer_text_scored_before_leaves_nothing_behind() {
    let c = classifier();
    // Capitalised terms send both texts through the proper-noun check,
    // whose per-thread scratch the longer text fills first.
    let long = "Warga Bagus datang ke balai. ".repeat(20) + "Pak Buruk bilang hasilnya bagus.";
    let short = "Kata Buruk itu buruk. Bagus.";
    let fresh = std::thread::scope(|s| s.spawn(|| whole(&c, short)).join().unwrap());
    let _ = whole(&c, &long);
    assert_eq!(whole(&c, short), fresh);
}

#[test]
fn non_ascii_words_are_lower_cased_as_words() {
    // "κακος" with a final sigma (ς, U+03C2).
    let mut id = Lexicon::default();
    id.add_text(
        Path::new("test-id.tsv"),
        "\u{e9}chec\t-2.0\n\u{3ba}\u{3b1}\u{3ba}\u{3bf}\u{3c2}\t-2.0\n",
    )
    .unwrap();
    let c = Classifier::from_lexicons(id, Lexicon::default());
    // Char by char: É → é.
    assert_eq!(lemmas(&whole(&c, "warga \u{c9}CHEC total")), ["\u{e9}chec"]);
    // A capital sigma ending a word is ς, not σ: "ΚΑΚΟΣ" is "κακος".
    assert_eq!(
        lemmas(&whole(
            &c,
            "warga \u{39a}\u{391}\u{39a}\u{39f}\u{3a3} total"
        )),
        ["\u{3ba}\u{3b1}\u{3ba}\u{3bf}\u{3c2}"]
    );
}

#[test]
fn the_language_is_told_by_function_words() {
    let c = classifier();
    let language = |text| whole(&c, text).explanation.language;
    assert_eq!(
        language("Menteri Sosial meninjau lokasi banjir di Demak dan memberi bantuan"),
        "id"
    );
    assert_eq!(
        language("The minister visited the flood site and delivered aid"),
        "en"
    );
    assert_eq!(language("Kemensos PKH BPNT"), "other");
    // One English word in Indonesian text does not make it English.
    assert_eq!(language("the raid memang film indonesia terbaik"), "id");
    // Capitals vote; only words written in ASCII do: "Kita" spelled with
    // a Kelvin sign (U+212A) lower-cases to "kita" but does not count.
    assert_eq!(language("THE minister AND the aid"), "en");
    assert_eq!(
        language("\u{212a}ita \u{212a}ami \u{212a}amu the aid and"),
        "en"
    );
    assert_eq!(language("Kita Kami Kamu the aid and"), "id");
}

/// Scores `text` (a headline) targeted at the spans of `names` in it.
fn toward(c: &Classifier, text: &str, names: &[&str]) -> Scored {
    let mentions: Vec<_> = names
        .iter()
        .map(|n| {
            let at = text.find(n).unwrap_or_else(|| panic!("{n} not in {text}"));
            at..at + n.len()
        })
        .collect();
    c.score(Input {
        text,
        title_len: text.len(),
        mentions: &mentions,
    })
}

/// A classifier whose news register (targeted scoring) differs from its
/// general lexicon, with marks and names.
fn news_classifier() -> Classifier {
    let mut id = Lexicon::default();
    id.add_text(
        Path::new("general.tsv"),
        "bangga\t2.0\nmalu\t-1.5\nserang\t-2.2\nharapan\t1.5\ntolak\t-1.8\nsalur\t0\n\
         korban\t-2.0\nbanjir\t-2.0\nbagus\t2.0\nsalah\t-2.0\npuji\t2.0\n",
    )
    .unwrap();
    id.add_text(
        Path::new("names-places.txt"),
        "# places\nBanggai\nMaluku Utara\nMaluku\nSerang\nBener Meriah\n",
    )
    .unwrap();
    let mut news = id.clone();
    news.add_text(
        Path::new("targeted/20.tsv"),
        "salur\t1.5\nkorban\t0\nbanjir\t0\ntak boleh\t0\tinstruction\ndilarang\t0\tinstruction\n\
         cara cek\t0\tservice\najak\t0\tinstruction\ntekan\t0\tremedy\nakan\t0\tintent\n\
         tak dapat bansos\t-2.0\n",
    )
    .unwrap();
    let en = || {
        let mut en = Lexicon::default();
        en.add_text(Path::new("en.tsv"), "good\t1.9\n").unwrap();
        en
    };
    Classifier::from_registers([id, en()], [news, en()])
}

#[test]
fn the_news_register_scores_tone_toward_the_entity_only() {
    let c = news_classifier();
    let text = "Kemensos salurkan bantuan untuk korban banjir";
    let s = toward(&c, text, &["Kemensos"]);
    assert_eq!(s.sentiment, Sentiment::Positive, "{s:?}");
    assert_eq!(
        lemmas(&s),
        ["salur"],
        "event words are silent in the register"
    );
    // Scored whole (a review, a comment), the general lexicon applies.
    let s = whole(&c, text);
    assert_eq!(s.sentiment, Sentiment::Negative, "{s:?}");
    assert_eq!(lemmas(&s), ["korban", "banjir"]);
}

#[test]
fn the_entitys_own_names_never_score() {
    let c = news_classifier();
    // "Harapan" is hope, but in the programme's name it says nothing.
    let text = "Program Keluarga Harapan tahap dua";
    let s = toward(&c, text, &["Program Keluarga Harapan"]);
    assert!(lemmas(&s).is_empty(), "{s:?}");
    assert_eq!(s.sentiment, Sentiment::Neutral);
    let s = toward(&c, "Kemensos beri harapan baru", &["Kemensos"]);
    assert_eq!(lemmas(&s), ["harapan"]);
}

#[test]
fn place_names_are_not_stemmed_into_sentiment() {
    let c = news_classifier();
    for text in [
        "Dorong Pembangunan Sekolah di Banggai, Kemensos Turun Tangan",
        "Sekolah di Maluku Utara Selesai, Kata Kemensos",
        "Kemensos Kirim Logistik ke Serang dan Bener Meriah",
    ] {
        let s = toward(&c, text, &["Kemensos"]);
        assert!(lemmas(&s).is_empty(), "{text}: {s:?}");
    }
    // Written in lower case the words keep their meaning, and a derived
    // form of a name's word is no name ("Serangan" is an attack).
    let s = toward(&c, "Kemensos malu, serangan terus", &["Kemensos"]);
    assert_eq!(lemmas(&s), ["malu", "serang"]);
    let s = toward(&c, "Serangan ke Kantor Kemensos", &["Kemensos"]);
    assert_eq!(lemmas(&s), ["serang"]);
}

#[test]
fn an_instruction_states_what_should_be_and_judges_no_one() {
    let c = news_classifier();
    for text in [
        "Mensos: RS Tak Boleh Tolak Pasien Penerima Bantuan",
        "Mensos: Rumah Sakit Dilarang Tolak Pasien",
    ] {
        let s = toward(&c, text, &["Mensos"]);
        assert_eq!(s.sentiment, Sentiment::Neutral, "{text}: {s:?}");
        let t = &s.explanation.terms[0];
        assert_eq!(t.lemma, "tolak");
        assert_eq!(t.effective, 0.0);
        assert!(
            t.modifiers.iter().any(|m| m == "instruction ×0.00"),
            "{t:?}"
        );
    }
    // The same words reported as what happened are negative.
    let s = toward(
        &c,
        "Mensos: Ada RS Tolak Pasien Penerima Bantuan",
        &["Mensos"],
    );
    assert_eq!(s.sentiment, Sentiment::Negative, "{s:?}");
}

#[test]
fn a_service_article_informs_and_judges_no_one() {
    let c = news_classifier();
    let s = toward(
        &c,
        "Cara Cek Penerima PKH: Bantuan Sudah Disalurkan",
        &["PKH"],
    );
    assert_eq!(s.sentiment, Sentiment::Neutral, "{s:?}");
    let t = &s.explanation.terms[0];
    assert_eq!((t.lemma.as_str(), t.effective), ("salur", 0.0));
    assert!(
        t.modifiers.iter().any(|m| m == "service article ×0.00"),
        "{t:?}"
    );
    let s = toward(&c, "Bantuan PKH Sudah Disalurkan", &["PKH"]);
    assert_eq!(s.sentiment, Sentiment::Positive, "{s:?}");
}

#[test]
fn an_instruction_reaches_the_rest_of_its_clause_only() {
    let c = news_classifier();
    let s = toward(&c, "Mensos Puji Museum, Ajak Siswa Belajar", &["Mensos"]);
    assert_eq!(s.sentiment, Sentiment::Positive, "{s:?}");
    let s = toward(&c, "Mensos Puji Museum yang Ajak Siswa", &["Mensos"]);
    assert_eq!(lemmas(&s), ["puji"]);
    assert!(
        effective(&s, "puji") > 0.0,
        "praise before the order stands: {s:?}"
    );
}

#[test]
fn a_remedy_turns_the_problem_it_fights_into_an_achievement() {
    let c = news_classifier();
    let s = toward(
        &c,
        "Digitalisasi Kemensos Tekan Kesalahan Data",
        &["Kemensos"],
    );
    assert_eq!(s.sentiment, Sentiment::Positive, "{s:?}");
    let t = &s.explanation.terms[0];
    assert_eq!(t.lemma, "salah");
    assert!(
        t.modifiers.iter().any(|m| m == "remedied by \"tekan\""),
        "{t:?}"
    );
    let s = toward(&c, "Kesalahan Data Kemensos", &["Kemensos"]);
    assert_eq!(s.sentiment, Sentiment::Negative, "{s:?}");
}

#[test]
fn a_phrase_may_reach_into_the_entitys_name_but_not_start_with_it() {
    let c = news_classifier();
    // "bansos" is the mention: the phrase that ends in it still counts.
    let s = toward(&c, "Warga Miskin Tak Dapat Bansos", &["Bansos"]);
    assert_eq!(lemmas(&s), ["tak dapat bansos"]);
    assert_eq!(s.sentiment, Sentiment::Negative, "{s:?}");
}

#[test]
fn a_denied_failure_is_no_praise_in_news() {
    let c = news_classifier();
    let s = toward(&c, "Kemensos: Data Tidak Salah", &["Kemensos"]);
    let e = effective(&s, "salah");
    assert!(
        e > 0.0 && e < 2.0 * 2.0 * 0.75,
        "damped more than a negation: {e}"
    );
    assert_eq!(s.sentiment, Sentiment::Neutral, "{s:?}");
}

#[test]
fn praise_of_what_is_only_intended_is_damped() {
    let c = news_classifier();
    let s = toward(&c, "Kemensos Akan Salurkan Bantuan", &["Kemensos"]);
    assert_eq!(s.sentiment, Sentiment::Neutral, "{s:?}");
    assert!(s.explanation.terms[0]
        .modifiers
        .iter()
        .any(|m| m == "intent ×0.30"));
    // Criticism of a plan is criticism all the same.
    let s = toward(&c, "Kemensos Akan Tolak Usulan Warga", &["Kemensos"]);
    assert_eq!(s.sentiment, Sentiment::Negative, "{s:?}");
}
