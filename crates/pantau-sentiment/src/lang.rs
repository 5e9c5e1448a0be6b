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

/// The function words, Indonesian last so that a word in both lists counts
/// as Indonesian when they are collected into a map.
pub(crate) fn function_words() -> impl Iterator<Item = (&'static str, Language)> {
    (EN_WORDS.iter().map(|w| (*w, Language::English)))
        .chain(ID_WORDS.iter().map(|w| (*w, Language::Indonesian)))
}

fn table() -> &'static rustc_hash::FxHashMap<&'static str, Language> {
    static T: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Language>> =
        std::sync::OnceLock::new();
    T.get_or_init(|| function_words().collect())
}

/// Detects the language from the first [`Votes::WORDS`] words.
pub fn detect(words: &[Word<'_>]) -> Language {
    let mut votes = Votes::default();
    let table = table();
    let mut buf = [0u8; Votes::LONGEST];
    for w in words.iter().take(Votes::WORDS) {
        if Votes::counts(w.text) {
            let lower = &mut buf[..w.text.len()];
            lower.copy_from_slice(w.text.as_bytes());
            lower.make_ascii_lowercase();
            let lower = std::str::from_utf8(lower).unwrap_or("");
            votes.add(table.get(lower).copied());
        }
    }
    votes.decide()
}

/// Function-word counts over the first [`Votes::WORDS`] words of a text.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Votes {
    id: u32,
    en: u32,
}

impl Votes {
    /// How many words of a text are read.
    pub const WORDS: usize = 150;

    /// The longest function word, in bytes: longer words are not looked up.
    pub const LONGEST: usize = 6;

    /// Whether a word (as written) can be a function word at all: short and ASCII.
    #[inline]
    pub fn counts(word: &str) -> bool {
        word.len() <= Self::LONGEST && word.is_ascii()
    }

    #[inline]
    pub fn add(&mut self, function_word_of: Option<Language>) {
        match function_word_of {
            Some(Language::Indonesian) => self.id += 1,
            Some(Language::English) => self.en += 1,
            _ => {}
        }
    }

    /// Counts a word's vote (see [`crate::vocab::tag::vote`]): bit 0
    /// Indonesian, bit 1 English. Arithmetic, not a branch: which words
    /// are function words is random.
    #[inline(always)]
    pub fn add_flags(&mut self, flags: u32) {
        self.id += flags & 1;
        self.en += flags >> 1 & 1;
    }

    pub fn decide(self) -> Language {
        if self.id == 0 && self.en == 0 {
            Language::Other
        } else if self.en > self.id && self.en >= 2 {
            Language::English
        } else {
            Language::Indonesian
        }
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
