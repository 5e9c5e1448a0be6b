//! Feed bytes to UTF-8, whatever they were sent in, and Indonesian zone
//! names in dates to offsets the date parser knows.
//!
//! The encoding is taken, in order, from a byte-order mark, the HTTP
//! `Content-Type` charset, the XML declaration (`<?xml … encoding="…"?>`),
//! and otherwise UTF-8 — with windows-1252 as the fallback when the bytes
//! are not valid UTF-8 (the most common mislabelled feed). The XML
//! declaration is rewritten to say UTF-8 so the parser does not decode twice.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// The charset parameter of a `Content-Type` value.
fn header_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').trim_matches('\''))
    })
}

/// The encoding named in an XML declaration at the start of `bytes`.
fn xml_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    let text = std::str::from_utf8(head).ok().or_else(|| {
        // The declaration is ASCII; cut at the first non-ASCII byte.
        let n = head
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(head.len());
        std::str::from_utf8(&head[..n]).ok()
    })?;
    let decl = text.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next()?;
    let value = rest[1..].split(quote).next()?;
    Encoding::for_label(value.as_bytes())
}

/// Decodes a feed body to UTF-8 text. Returns the text and the encoding used.
pub fn to_utf8<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (fix_declaration(text), enc);
    }
    let declared = content_type
        .and_then(header_charset)
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .or_else(|| xml_declared(bytes));
    let enc = match declared {
        // A UTF-16 label without a BOM on ASCII-looking bytes is a lie.
        Some(e) if (e == UTF_16LE || e == UTF_16BE) && !bytes.contains(&0) => UTF_8,
        Some(e) => e,
        None => UTF_8,
    };
    if enc == UTF_8 {
        match std::str::from_utf8(bytes) {
            Ok(s) => return (fix_declaration(Cow::Borrowed(s)), UTF_8),
            Err(_) => {
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                return (fix_declaration(text), WINDOWS_1252);
            }
        }
    }
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (fix_declaration(text), enc)
}

/// Rewrites `encoding="…"` in the XML declaration to UTF-8, and Indonesian
/// time-zone names in RFC 822 dates (`… 10:00:00 WIB`) to offsets.
fn fix_declaration(text: Cow<'_, str>) -> Cow<'_, str> {
    let needs_decl = text.trim_start().starts_with("<?xml")
        && text[..text.len().min(200)]
            .find("encoding")
            .is_some_and(|_| {
                !text[..text.len().min(200)]
                    .to_ascii_lowercase()
                    .contains("encoding=\"utf-8\"")
            });
    let needs_zone = [" WIB<", " WITA<", " WIT<"]
        .iter()
        .any(|z| text.contains(z));
    if !needs_decl && !needs_zone {
        return text;
    }
    let mut s = text.into_owned();
    if needs_decl {
        if let Some(end) = s.find("?>") {
            let decl = &s[..end];
            if let Some(at) = decl.find("encoding") {
                let rest = &decl[at..];
                if let Some(q1) = rest.find(['"', '\'']) {
                    let quote = rest.as_bytes()[q1] as char;
                    if let Some(q2) = rest[q1 + 1..].find(quote) {
                        let (a, b) = (at + q1 + 1, at + q1 + 1 + q2);
                        s.replace_range(a..b, "utf-8");
                    }
                }
            }
        }
    }
    for (name, offset) in [
        (" WIB<", " +0700<"),
        (" WITA<", " +0800<"),
        (" WIT<", " +0900<"),
    ] {
        if s.contains(name) {
            s = s.replace(name, offset);
        }
    }
    Cow::Owned(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_declaration_bom_and_fallback() {
        // windows-1252 "é" (0xE9) announced in the header.
        let body = b"<?xml version=\"1.0\"?><rss><channel><title>Caf\xe9</title></channel></rss>";
        let (t, e) = to_utf8(body, Some("application/rss+xml; charset=windows-1252"));
        assert_eq!(e, WINDOWS_1252);
        assert!(t.contains("Café"));
        // ISO-8859-1 in the XML declaration; the declaration is rewritten.
        let body =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><title>Caf\xe9</title></rss>";
        let (t, _) = to_utf8(body, None);
        assert!(
            t.contains("Café") && t.contains("encoding=\"utf-8\""),
            "{t}"
        );
        // UTF-16LE with a BOM.
        let mut body = vec![0xFF, 0xFE];
        for u in "<rss><title>Kemensos ✓</title></rss>".encode_utf16() {
            body.extend(u.to_le_bytes());
        }
        let (t, e) = to_utf8(&body, Some("text/xml; charset=utf-8"));
        assert_eq!(e, UTF_16LE);
        assert_eq!(t, "<rss><title>Kemensos ✓</title></rss>");
        // Declared UTF-8 but not: windows-1252 fallback instead of garbage.
        let (t, e) = to_utf8(
            b"<rss><title>\x93kutip\x94</title></rss>",
            Some("text/xml; charset=utf-8"),
        );
        assert_eq!(e, WINDOWS_1252);
        assert!(t.contains("\u{201c}kutip\u{201d}"), "{t}");
        // Plain UTF-8 is borrowed untouched.
        let (t, _) = to_utf8("<rss>é</rss>".as_bytes(), None);
        assert!(matches!(t, Cow::Borrowed(_)));
    }

    #[test]
    fn indonesian_zones_become_offsets() {
        let (t, _) = to_utf8(b"<pubDate>Sen, 02 Mei 2024 10:00:00 WIB</pubDate><x>WITA</x><d>Tue, 01 Jan 2024 08:00:00 WIT</d>", None);
        assert!(t.contains("10:00:00 +0700<"), "{t}");
        assert!(t.contains("08:00:00 +0900<"), "{t}");
        assert!(t.contains("<x>WITA</x>"), "only dates change: {t}");
    }
}
