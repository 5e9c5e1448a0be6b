//! Text utilities shared by relevance and sentiment: HTML to text, words,
//! sentences. Pure functions, no I/O, no allocation per token.
//!
//! # Layout
//!
//! - [`html_to_text`]: markup reduced to readable plain text.
//! - [`words`]: word tokens with byte spans (letters, digits, inner hyphens
//!   and apostrophes, so `kata-kata` and `don't` stay one token).
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
/// single inner hyphen or apostrophe (`kata-kata`, `don't`).
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// Iterator returned by [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        let mut i = self.pos;
        // Skip to the start of a word; the ASCII fast path avoids char decoding.
        let start = loop {
            if i >= len {
                self.pos = len;
                return None;
            }
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    break i;
                }
                i += 1;
            } else {
                let c = self.text[i..].chars().next()?;
                if is_word_char(c) {
                    break i;
                }
                i += c.len_utf8();
            }
        };
        let mut end = start;
        let mut j = start;
        while j < len {
            let b = bytes[j];
            let (c, w) = if b < 0x80 {
                (b as char, 1)
            } else {
                let c = self.text[j..].chars().next()?;
                (c, c.len_utf8())
            };
            if is_word_char(c) {
                j += w;
                end = j;
            } else if is_joiner(c) && end == j {
                // A joiner counts only between two word characters.
                match self.text[j + w..].chars().next() {
                    Some(n) if is_word_char(n) => j += w,
                    _ => break,
                }
            } else {
                break;
            }
        }
        self.pos = end;
        Some(Word {
            text: &self.text[start..end],
            start,
        })
    }
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
            push_trimmed(&mut out, text, start..end);
            start = end;
        }
        i += width;
    }
    push_trimmed(&mut out, text, start..text.len());
    out
}

/// Where a sentence ends after a terminator at `next` (its following byte):
/// at the end of text, before white space, or after a closing quote or
/// parenthesis; `None` inside "Rp.5.000" or "3.5".
fn after_terminator(text: &str, next: usize) -> Option<usize> {
    match text[next..].chars().next() {
        None => Some(text.len()),
        Some(c) if c.is_whitespace() => Some(next),
        Some(c @ ('"' | '\u{201d}' | '\'' | ')')) => Some(next + c.len_utf8()),
        _ => None,
    }
}

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, r: Range<usize>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
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

/// Collapses spaces and tabs, trims every line and drops empty lines.
pub fn normalise_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let mut first = true;
        for part in line.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        words(s).map(|w| w.text).collect()
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
}
