//! Text utilities shared by relevance and sentiment: HTML to text, words,
//! sentences. Pure functions, no I/O, no allocation per token.
//!
//! # Layout
//!
//! - [`html_to_text`]: markup reduced to readable plain text;
//!   [`plain_line`]: a headline as one line of plain text, entities decoded
//!   even when a feed escaped them twice.
//! - [`words`]: word tokens with byte spans (letters, digits, inner hyphens
//!   and apostrophes, so `kata-kata` and `don't` stay one token);
//!   [`name_words`]: the same with hyphenated compounds split into their
//!   parts, for matching names (`Kemensos-BPS` → `Kemensos`, `BPS`).
//! - [`sentences`]: sentence byte ranges.
//! - [`lower_into`], [`eq_lower`]: lower-casing without allocation per word.

use std::ops::Range;

/// A word in a text: its slice and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offset of its first character.
    pub start: usize,
}

impl Word<'_> {
    /// Byte offset just past the word.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '\u{2019}')
}

/// Iterates over the words of `text`: runs of letters and digits, joined by a
/// single inner hyphen or apostrophe (`kata-kata`, `don't`); a hyphen before
/// a capital letter separates two words (`Bangun Tenda-Salurkan Sembako`).
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// The words of `text` for matching names: [`words`], with every
/// hyphenated compound split into its parts. Headlines join names with a
/// hyphen ("Kemensos-BPS Perbarui DTSEN", "Mensos-Menkeu Bahas …"), so a
/// name must be found inside such a compound; apostrophes still join.
pub fn name_words(text: &str) -> NameWords<'_> {
    NameWords {
        words: words(text),
        rest: None,
    }
}

/// Iterator returned by [`name_words`]. A word without a hyphen — nearly
/// every one — passes straight through.
#[derive(Debug, Clone)]
pub struct NameWords<'a> {
    words: Words<'a>,
    /// What is left of a hyphenated compound after the part handed out.
    rest: Option<Word<'a>>,
}

impl<'a> Iterator for NameWords<'a> {
    type Item = Word<'a>;

    #[inline]
    fn next(&mut self) -> Option<Word<'a>> {
        loop {
            let w = match self.rest.take() {
                Some(w) => w,
                None => self.words.next()?,
            };
            let Some(h) = w.text.find('-') else {
                return Some(w);
            };
            if h + 1 < w.text.len() {
                self.rest = Some(Word {
                    text: &w.text[h + 1..],
                    start: w.start + h + 1,
                });
            }
            if h > 0 {
                return Some(Word {
                    text: &w.text[..h],
                    start: w.start,
                });
            }
        }
    }
}

/// Iterator returned by [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// Byte classes for the tokeniser: word character, joiner, a byte that
/// may end a sentence, other; every byte of a non-ASCII character is
/// [`NON_ASCII`] and decoded on the slow path.
const OTHER: u8 = 0;
const JOINER: u8 = 1;
const WORD: u8 = 2;
const TERMINATOR: u8 = 3;
const NON_ASCII: u8 = 4;
static BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            WORD
        } else if c == b'-' || c == b'\'' {
            JOINER
        } else if matches!(c, b'.' | b'!' | b'?' | b'\n' | b'\r') {
            TERMINATOR
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// The class of the (non-ASCII) character at `i` and its width.
#[cold]
fn class_of_char_at(text: &str, i: usize) -> (u8, usize) {
    let Some(c) = text[i..].chars().next() else {
        return (OTHER, 1);
    };
    let class = if is_word_char(c) {
        WORD
    } else if is_joiner(c) {
        JOINER
    } else if c == '…' {
        TERMINATOR
    } else {
        OTHER
    };
    (class, c.len_utf8())
}

/// The class of the character at `i` and its width.
#[inline(always)]
fn class_at(text: &str, i: usize) -> (u8, usize) {
    match BYTE_CLASS[text.as_bytes()[i] as usize] {
        NON_ASCII => class_of_char_at(text, i),
        class => (class, 1),
    }
}

/// The end of the word that starts at `start` (a word character), and
/// whether the word is all ASCII.
#[inline(always)]
fn word_end(text: &str, start: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut ascii = true;
    let mut j = start;
    loop {
        // ASCII letters and digits, the bulk of every word.
        j = ascii_alnum_end(bytes, j);
        if j >= len {
            return (j, ascii);
        }
        let (class, w) = class_at(text, j);
        // A hyphen before a capital joins two words of a Title Case
        // headline ("Tenda-Salurkan Sembako", "SD-SMP"), not one word.
        let joins = class == JOINER
            && j + w < len
            && class_at(text, j + w).0 == WORD
            && !(bytes[j] == b'-' && bytes[j + 1].is_ascii_uppercase());
        // A joiner counts only between two word characters.
        if class == WORD || joins {
            ascii &= w == 1;
            j += w;
        } else {
            return (j, ascii);
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    #[inline]
    fn next(&mut self) -> Option<Word<'a>> {
        let text = self.text;
        let mut i = self.pos;
        // Skip to the start of a word.
        let start = loop {
            if i >= text.len() {
                self.pos = text.len();
                return None;
            }
            match class_at(text, i) {
                (WORD, _) => break i,
                (_, w) => i += w,
            }
        };
        self.pos = word_end(text, start).0;
        Some(Word {
            text: &text[start..self.pos],
            start,
        })
    }
}

/// The high bit of each byte of `x` that is an ASCII letter or digit,
/// eight bytes at a time. No byte borrows from its neighbour: each is at
/// least 0x80 when the constants are subtracted.
#[inline(always)]
fn ascii_alnum_bits(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let ascii = !x & HIGH;
    let low7 = x & !HIGH;
    let folded = low7 | (0x20 * ONES); // 'A'..='Z' onto 'a'..='z'
    let letter = ((folded | HIGH) - 0x61 * ONES) & !((folded | HIGH) - 0x7b * ONES);
    let digit = ((low7 | HIGH) - 0x30 * ONES) & !((low7 | HIGH) - 0x3a * ONES);
    (letter | digit) & ascii
}

/// The end of the run of ASCII letters and digits from `i`.
#[inline(always)]
fn ascii_alnum_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let others = !ascii_alnum_bits(x) & 0x8080_8080_8080_8080;
        if others != 0 {
            return i + (others.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && BYTE_CLASS[bytes[i] as usize] == WORD {
        i += 1;
    }
    i
}

/// A sentence found by [`words_and_sentences`]: its bytes, trimmed, and
/// which of the words reported (counted from 0) are in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub bytes: Range<usize>,
    pub words: Range<usize>,
}

/// [`words`] and [`sentences`] in one pass over `text`: each word's byte
/// span goes to `on_word` in order, with whether the word is all ASCII, and
/// `sents` (cleared first) receives the sentences with their words.
/// Terminators are never part of a word, so one scan finds both.
pub fn words_and_sentences(
    text: &str,
    mut on_word: impl FnMut(Range<usize>, bool),
    sents: &mut Vec<Sentence>,
) {
    sents.clear();
    let mut words = 0;
    let mut words_before = 0;
    let mut end_sentence = |sents: &mut Vec<Sentence>, bytes: Range<usize>, words: usize| {
        if let Some(bytes) = trimmed(text, bytes) {
            sents.push(Sentence {
                bytes,
                words: words_before..words,
            });
        }
        // White space between sentences has no words.
        words_before = words;
    };
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut sentence_start = 0;
    let mut i = 0;
    while i < len {
        // Tested in order of frequency, as branches rather than a jump table:
        // the next class is hard to predict.
        let class = BYTE_CLASS[bytes[i] as usize];
        let (start, ascii) = if class == WORD {
            // The common word: ASCII letters and digits up to a space or
            // punctuation; anything else finishes on the slow path.
            let start = i;
            i = ascii_alnum_end(bytes, i + 1);
            if i < len && matches!(BYTE_CLASS[bytes[i] as usize], JOINER | NON_ASCII) {
                let ascii;
                (i, ascii) = word_end(text, start);
                (start, ascii)
            } else {
                (start, true)
            }
        } else if class < WORD {
            // OTHER or JOINER (outside a word): a range test, not a jump table.
            i += 1;
            continue;
        } else {
            let (class, width) = if class == NON_ASCII {
                class_of_char_at(text, i)
            } else {
                (class, 1)
            };
            if class == WORD {
                let start = i;
                let ascii;
                (i, ascii) = word_end(text, start);
                (start, ascii)
            } else {
                if class == TERMINATOR {
                    let boundary = match bytes[i] {
                        b'\n' | b'\r' => Some(i + 1),
                        _ => after_terminator(text, i + width),
                    };
                    if let Some(end) = boundary {
                        end_sentence(sents, sentence_start..end, words);
                        sentence_start = end;
                    }
                }
                i += width;
                continue;
            }
        };
        // One call site, so the caller's closure is inlined here.
        on_word(start..i, ascii);
        words += 1;
    }
    end_sentence(sents, sentence_start..text.len(), words);
}

/// Writes `s` lower-cased into `buf` (cleared first).
pub fn lower_into(buf: &mut String, s: &str) {
    buf.clear();
    if s.is_ascii() {
        buf.push_str(s);
        buf.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            buf.extend(c.to_lowercase());
        }
    }
}

/// Whether `text` lower-cased equals `lower` (already lower-case), without allocating.
pub fn eq_lower(text: &str, lower: &str) -> bool {
    if text.is_ascii() {
        text.eq_ignore_ascii_case(lower)
    } else {
        text.chars().flat_map(char::to_lowercase).eq(lower.chars())
    }
}

/// Byte ranges of the sentences of `text`. A sentence ends at `.`, `!`, `?`
/// or `…` followed by white space, or at a line break; `Rp.5.000` and
/// `3.5` do not end one. Empty sentences are skipped.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Every terminator is ASCII except '…' (E2 80 A6): scan bytes.
    while i < bytes.len() {
        let b = bytes[i];
        let (boundary, width) = match b {
            b'\n' | b'\r' => (Some(i + 1), 1),
            b'.' | b'!' | b'?' => (after_terminator(text, i + 1), 1),
            0xE2 if bytes[i..].starts_with("…".as_bytes()) => (after_terminator(text, i + 3), 3),
            _ => (None, 1),
        };
        if let Some(end) = boundary {
            out.extend(trimmed(text, start..end));
            start = end;
        }
        i += width;
    }
    out.extend(trimmed(text, start..text.len()));
    out
}

/// Where a sentence ends after a terminator at `next` (its following byte):
/// at the end of text, before white space, or after a closing quote or
/// parenthesis; `None` inside "Rp.5.000" or "3.5".
fn after_terminator(text: &str, next: usize) -> Option<usize> {
    // Mostly a space or the end: no character decoded.
    match text.as_bytes().get(next) {
        None => return Some(text.len()),
        Some(b' ') => return Some(next),
        _ => {}
    }
    match text[next..].chars().next() {
        None => Some(text.len()),
        Some(c) if c.is_whitespace() => Some(next),
        Some(c @ ('"' | '\u{201d}' | '\'' | ')')) => Some(next + c.len_utf8()),
        _ => None,
    }
}

/// `text[r]` without leading and trailing white space, `None` when nothing
/// else is left.
fn trimmed(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text.as_bytes()[r.clone()];
    // ASCII white space is trimmed here, byte by byte (a sentence mostly
    // starts after one space); only a non-ASCII edge needs the Unicode
    // tables of `trim_start` / `trim_end`.
    let ascii_space = |b: &u8| b.is_ascii() && char::from(*b).is_whitespace();
    let mut start = r.start + s.iter().take_while(|b| ascii_space(b)).count();
    if text.as_bytes().get(start).is_some_and(|b| !b.is_ascii()) {
        start = r.end - text[start..r.end].trim_start().len();
    }
    let s = &text.as_bytes()[start..r.end];
    let mut end = r.end - s.iter().rev().take_while(|b| ascii_space(b)).count();
    if start < end && !text.as_bytes()[end - 1].is_ascii() {
        end = start + text[start..end].trim_end().len();
    }
    (start < end).then_some(start..end)
}

/// Reduces HTML (or plain text with entities) to readable text: tags removed,
/// `script`/`style` contents dropped, block elements become line breaks,
/// entities decoded, runs of spaces collapsed, lines trimmed.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            // A lone '<' is text ("a < b").
            out.push('<');
            rest = after;
            continue;
        };
        let tag = &after[..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() && !tag.starts_with('!') && !tag.starts_with('/') {
            // Not a tag ("a <b" with a space, "1 <2>"): keep as text.
            out.push('<');
            rest = after;
            continue;
        }
        rest = &after[gt + 1..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            match find_ascii_ci(rest, &close) {
                Some(p) => {
                    rest = &rest[p..];
                    if let Some(e) = rest.find('>') {
                        rest = &rest[e + 1..];
                    }
                }
                None => rest = "",
            }
            continue;
        }
        if is_block(&name) {
            out.push('\n');
        } else {
            out.push(' ');
        }
    }
    out.push_str(rest);
    let decoded = html_escape::decode_html_entities(&out);
    normalise_whitespace(&decoded)
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len()) + 1)
        .find(|&i| i + n.len() <= h.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "table"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "hr"
            | "pre"
            | "figure"
            | "figcaption"
    )
}

/// Collapses spaces and tabs, trims every line, drops empty lines and
/// turns control characters into spaces.
pub fn normalise_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let mut first = true;
        // Control characters (NUL, escape, …) arrive from broken feeds and
        // pushes; stored, they break exports and terminals: they are gaps.
        for part in line.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c.is_control()) {
            if part.is_empty() {
                continue;
            }
            if first {
                if !out.is_empty() {
                    out.push('\n');
                }
                first = false;
            } else {
                out.push(' ');
            }
            out.push_str(part);
        }
    }
    out
}

/// Joins text onto one line (for titles).
pub fn single_line(s: &str) -> String {
    normalise_whitespace(s).replace('\n', " ")
}

/// A headline (or any one-line field) as plain text on one line: markup
/// removed and entities decoded — twice when the source escaped them twice,
/// as many feeds and archives do ("Cabang &amp;amp; Wilayah" arrives as
/// "Cabang &amp; Wilayah" after the XML parser). A headline never means a
/// literal "&amp;", so a second decoding is safe.
pub fn plain_line(s: &str) -> String {
    let once = html_to_text(s);
    let text = if has_entity(&once) {
        html_to_text(&once)
    } else {
        once
    };
    single_line(&text)
}

/// Whether `s` still holds an HTML character reference (`&amp;`, `&#39;`, `&#x2F;`).
fn has_entity(s: &str) -> bool {
    s.match_indices('&').any(|(at, _)| {
        let rest = &s.as_bytes()[at + 1..];
        let name_len = match rest.first() {
            Some(b'#') => {
                let digits = match rest.get(1) {
                    Some(b'x' | b'X') => {
                        rest[2..]
                            .iter()
                            .take_while(|b| b.is_ascii_hexdigit())
                            .count()
                            + 1
                    }
                    _ => rest[1..].iter().take_while(|b| b.is_ascii_digit()).count(),
                };
                (digits > 0).then_some(digits + 1)
            }
            _ => {
                let n = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                (n > 0).then_some(n)
            }
        };
        name_len.is_some_and(|n| rest.get(n) == Some(&b';'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        words(s).map(|w| w.text).collect()
    }

    #[test]
    fn name_words_split_hyphenated_compounds() {
        let ws: Vec<_> = name_words("Kemensos-BPS Perbarui DTSEN, Sekolah Rakyat-500 kata-kata")
            .map(|w| (w.text, w.start))
            .collect();
        assert_eq!(
            ws,
            [
                ("Kemensos", 0),
                ("BPS", 9),
                ("Perbarui", 13),
                ("DTSEN", 22),
                ("Sekolah", 29),
                ("Rakyat", 37),
                ("500", 44),
                ("kata", 48),
                ("kata", 53)
            ]
        );
    }

    #[test]
    fn control_characters_never_reach_the_store() {
        assert_eq!(
            html_to_text("Kemensos\u{0}salurkan\u{1b}[31m bantuan\u{7f}"),
            "Kemensos salurkan [31m bantuan"
        );
        assert_eq!(plain_line("Judul\u{0}\u{8}baru"), "Judul baru");
    }

    #[test]
    fn plain_line_decodes_entities_escaped_twice() {
        assert_eq!(
            plain_line("Gus Ipul: 556 Cabang &amp;amp; Wilayah"),
            "Gus Ipul: 556 Cabang & Wilayah"
        );
        assert_eq!(
            plain_line("Mensos &amp; Gubernur\n Malut"),
            "Mensos & Gubernur Malut"
        );
        assert_eq!(
            plain_line("Harga &#39;naik&#39; &#x2F; turun"),
            "Harga 'naik' / turun"
        );
        // A bare ampersand is text, not an entity.
        assert_eq!(plain_line("R&D &amp Co"), "R&D &amp Co");
        assert_eq!(plain_line("<b>Mensos</b> tinjau"), "Mensos tinjau");
    }

    #[test]
    fn a_hyphen_before_a_capital_separates_words() {
        assert_eq!(
            texts("Bangun Tenda-Salurkan Sembako, SD-SMP, Anak-anak, Covid-19"),
            [
                "Bangun",
                "Tenda",
                "Salurkan",
                "Sembako",
                "SD",
                "SMP",
                "Anak-anak",
                "Covid-19"
            ]
        );
        let mut sents = Vec::new();
        let mut seen = Vec::new();
        let t = "Kemensos Bangun Tenda-Salurkan Sembako";
        words_and_sentences(t, |r, _| seen.push(&t[r]), &mut sents);
        assert_eq!(seen, ["Kemensos", "Bangun", "Tenda", "Salurkan", "Sembako"]);
    }

    #[test]
    fn words_keep_inner_joiners() {
        assert_eq!(
            texts("Kata-kata Mensos: bansos \"tepat sasaran\"—don't -x- 2024!"),
            [
                "Kata-kata",
                "Mensos",
                "bansos",
                "tepat",
                "sasaran",
                "don't",
                "x",
                "2024"
            ]
        );
        let w = words("  ábc déf").nth(1).unwrap();
        assert_eq!((w.text, w.start, w.end()), ("déf", 7, 11));
        assert_eq!(texts("a--b"), ["a", "b"]);
        assert!(texts("").is_empty());
    }

    #[test]
    fn lower_into_handles_unicode() {
        let mut b = String::new();
        lower_into(&mut b, "KEMENSOS");
        assert_eq!(b, "kemensos");
        lower_into(&mut b, "ÉTÉ");
        assert_eq!(b, "été");
    }

    #[test]
    fn sentences_split_on_terminators_not_numbers() {
        let t = "Harga naik Rp.5.000 hari ini. Mensos hadir! Apa kabar?\nBaris baru";
        let got: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            got,
            [
                "Harga naik Rp.5.000 hari ini.",
                "Mensos hadir!",
                "Apa kabar?",
                "Baris baru"
            ]
        );
    }

    #[test]
    fn html_is_reduced_to_text() {
        let h = "<p>Bansos&nbsp;<b>tersalurkan</b> &amp; tepat</p><script>var x=1<2;</script><p>Kedua   baris</p> a < b";
        assert_eq!(
            html_to_text(h),
            "Bansos tersalurkan & tepat\nKedua baris\na < b"
        );
        assert_eq!(html_to_text("&lt;b&gt;bold&lt;/b&gt;"), "<b>bold</b>");
        assert_eq!(single_line(" a\n  b "), "a b");
    }

    /// The definition of a word, char by char: the oracle of the tokeniser.
    fn reference_words(text: &str) -> Vec<(usize, &str)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !is_word_char(chars[k].1) {
                k += 1;
                continue;
            }
            let start = chars[k].0;
            let mut last = k;
            let mut j = k + 1;
            while j < chars.len() {
                if is_word_char(chars[j].1) {
                    last = j;
                    j += 1;
                } else if is_joiner(chars[j].1)
                    && last + 1 == j
                    && chars.get(j + 1).is_some_and(|c| is_word_char(c.1))
                    && !(chars[j].1 == '-'
                        && chars.get(j + 1).is_some_and(|c| c.1.is_ascii_uppercase()))
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let end = chars[last].0 + chars[last].1.len_utf8();
            out.push((start, &text[start..end]));
            k = last + 1;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn one_pass_finds_the_same_words_and_sentences(
            text in "([a-zA-Z0-9 .!?\n\r'\"()-]|…|’|é|İ|\u{2014}|Σ){0,80}|[a-z ]{60,70}([a-z' .é-]){0,140}|\\PC{0,40}",
        ) {
            let mut fused = Vec::new();
            let mut sents = vec![Sentence { bytes: 5..9, words: 0..1 }]; // cleared first
            let mut ascii_flags = Vec::new();
            words_and_sentences(&text, |w, ascii| {
                fused.push((w.start, &text[w]));
                ascii_flags.push(ascii);
            }, &mut sents);
            let ascii_words: Vec<bool> = fused.iter().map(|(_, w)| w.is_ascii()).collect();
            proptest::prop_assert_eq!(ascii_flags, ascii_words);
            let expected = reference_words(&text);
            proptest::prop_assert_eq!(&fused, &expected);
            let iterated: Vec<(usize, &str)> = words(&text).map(|w| (w.start, w.text)).collect();
            proptest::prop_assert_eq!(&iterated, &expected);
            let bytes: Vec<Range<usize>> = sents.iter().map(|s| s.bytes.clone()).collect();
            proptest::prop_assert_eq!(bytes, sentences(&text));
            // Every word is in exactly the sentence whose bytes hold it.
            let mut next_word = 0;
            for s in &sents {
                proptest::prop_assert_eq!(s.words.start, next_word, "{:?}", s);
                for &(start, _) in &expected[s.words.clone()] {
                    proptest::prop_assert!(s.bytes.contains(&start), "{:?}", s);
                }
                next_word = s.words.end;
            }
            proptest::prop_assert_eq!(next_word, expected.len());
        }
    }

    proptest::proptest! {
        #[test]
        fn name_words_are_the_words_split_at_hyphens(
            text in "([a-zA-Z0-9 .'-]|é|\u{2019}){0,60}",
        ) {
            let got: Vec<(usize, &str)> = name_words(&text).map(|w| (w.start, w.text)).collect();
            let mut want = Vec::new();
            for w in words(&text) {
                let mut at = w.start;
                for part in w.text.split('-') {
                    if !part.is_empty() {
                        want.push((at, part));
                    }
                    at += part.len() + 1;
                }
            }
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        #[test]
        fn trimming_is_str_trim(
            body in "([ \t\n\r\u{0b}\u{0c}\u{1c}\u{85}\u{a0}\u{2003}\u{3000}]|[a-z.]|é|\\PC){0,12}",
        ) {
            let text = format!("x{body}y");
            // Every sub-range that starts and ends on a character boundary.
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            for (k, &from) in bounds.iter().enumerate() {
                for &to in &bounds[k..] {
                    let got = trimmed(&text, from..to).map(|r| &text[r]);
                    let want = Some(text[from..to].trim()).filter(|t| !t.is_empty());
                    proptest::prop_assert_eq!(got, want, "{:?}", &text[from..to]);
                }
            }
        }
    }

    #[test]
    fn eight_bytes_at_a_time_agree_with_the_byte_table() {
        for b in 0..=255u8 {
            for (pos, filler) in [(0, b' '), (3, b'a'), (7, 0xC3)] {
                let mut chunk = [filler; 8];
                chunk[pos] = b;
                let bits = ascii_alnum_bits(u64::from_le_bytes(chunk));
                for (k, &byte) in chunk.iter().enumerate() {
                    let expected = byte.is_ascii_alphanumeric();
                    assert_eq!(
                        bits >> (8 * k + 7) & 1 == 1,
                        expected,
                        "byte {byte:#x} at {k}"
                    );
                }
            }
        }
    }
}
