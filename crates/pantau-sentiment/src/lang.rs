//! Language detection by function words: cheap, and reliable on news text,
//! where function words are a third of all words.

use pantau_text::Word;

/// The language of a text, as far as the lexicon stage cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Indonesian.
    Indonesian,
    /// English.
    English,
    /// Neither recognised; scored with the Indonesian lexicon.
    Other,
}

impl Language {
    /// ISO 639-1 code, or `other`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Indonesian => "id",
            Language::English => "en",
            Language::Other => "other",
        }
    }
}

const ID_WORDS: &[&str] = &[
    "yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "tidak", "akan", "pada",
    "juga", "dalam", "adalah", "karena", "oleh", "ada", "saat", "sudah", "bisa", "atau", "kami",
    "kita", "mereka", "telah", "lebih", "tak", "nya", "gak", "banget", "sangat", "para", "bagi",
    "memang", "saja", "aja", "mau", "kalau", "sih", "dong", "lagi", "sama", "kok", "deh", "ya",
    "tapi", "jadi", "bisa", "saya", "aku", "kamu", "sini", "mas", "pak", "bu", "nih", "tidak",
];
const EN_WORDS: &[&str] = &[
    "the", "and", "of", "to", "is", "in", "that", "for", "it", "with", "was", "on", "are", "as",
    "be", "by", "this", "not", "have", "has", "from", "at", "were", "will", "they", "their",
    "which", "been", "would", "but", "very", "i", "my", "we",
];

fn table() -> &'static rustc_hash::FxHashMap<&'static str, Language> {
    static T: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Language>> =
        std::sync::OnceLock::new();
    T.get_or_init(|| {
        // Indonesian first: a word in both lists counts as Indonesian.
        EN_WORDS
            .iter()
            .map(|w| (*w, Language::English))
            .chain(ID_WORDS.iter().map(|w| (*w, Language::Indonesian)))
            .collect()
    })
}

/// Detects the language from the first 150 words.
pub fn detect(words: &[Word<'_>]) -> Language {
    let mut lower = String::new();
    for w in words.iter().take(150) {
        lower.push_str(w.text);
        lower.push(' ');
    }
    lower.make_ascii_lowercase();
    // Offsets into `lower`: the words as written, one space apart.
    let mut at = 0;
    let spans: Vec<Word<'_>> = words
        .iter()
        .take(150)
        .map(|w| {
            let start = at;
            at += w.text.len() + 1;
            Word {
                text: w.text,
                start,
            }
        })
        .collect();
    detect_lowered(&spans, &lower)
}

/// As [`detect`], with `lower` the text the words' offsets point into,
/// ASCII letters already lower-cased (the classifier has it at hand).
pub fn detect_lowered(words: &[Word<'_>], lower: &str) -> Language {
    let (mut id, mut en) = (0u32, 0u32);
    let table = table();
    for w in words.iter().take(150) {
        if w.text.len() > 6 || !w.text.is_ascii() {
            continue;
        }
        match table.get(&lower[w.start..w.end()]) {
            Some(Language::Indonesian) => id += 1,
            Some(Language::English) => en += 1,
            _ => {}
        }
    }
    if id == 0 && en == 0 {
        Language::Other
    } else if en > id && en >= 2 {
        Language::English
    } else {
        Language::Indonesian
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pantau_text::words;

    fn lang(s: &str) -> Language {
        detect(&words(s).collect::<Vec<_>>())
    }

    #[test]
    fn detects_by_function_words() {
        assert_eq!(
            lang("Menteri Sosial meninjau lokasi banjir di Demak dan memberi bantuan"),
            Language::Indonesian
        );
        assert_eq!(
            lang("The minister visited the flood site and delivered aid"),
            Language::English
        );
        assert_eq!(lang("Kemensos PKH BPNT"), Language::Other);
        // One English word in Indonesian text does not make it English.
        assert_eq!(
            lang("the raid memang film indonesia terbaik"),
            Language::Indonesian
        );
    }
}
