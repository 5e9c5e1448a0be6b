//! Language detection by function words: cheap, and reliable on news text,
//! where function words are a third of all words.

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

/// The function words, Indonesian last: the vocabulary keeps the last
/// language given, so a word in both lists counts as Indonesian.
pub(crate) fn function_words() -> impl Iterator<Item = (&'static str, Language)> {
    (EN_WORDS.iter().map(|w| (*w, Language::English)))
        .chain(ID_WORDS.iter().map(|w| (*w, Language::Indonesian)))
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
