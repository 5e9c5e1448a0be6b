//! Items an aggregator relays: RSS 2.0's `<source url="…">Outlet</source>`
//! names the publication an item came from (Google News sets it on every
//! item, and writes the outlet after the headline: "Judul - Kompas.com").
//! feed-rs does not read `<source>` on RSS items, so this reads it, item by
//! item, in document order.

use quick_xml::events::Event;
use quick_xml::Reader;

/// The publication an aggregated item came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSource {
    /// Its name, as the aggregator wrote it ("Kompas.com").
    pub name: String,
    /// Its address (`url` attribute), when given.
    pub url: Option<String>,
}

/// One entry per RSS `<item>`, in document order: its `<source>`, if any.
/// Empty for Atom and JSON feeds, and for XML that does not read (the feed
/// parser reports that).
pub fn item_sources(xml: &str) -> Vec<Option<ItemSource>> {
    if !xml.contains("<source") {
        return Vec::new();
    }
    let mut reader = Reader::from_str(xml);
    let mut sources = Vec::new();
    // Depth below the current <item>, when inside one.
    let mut in_item: Option<usize> = None;
    let mut current: Option<(Option<String>, String)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name();
                match in_item {
                    None if name.as_ref().eq_ignore_ascii_case(b"item") => {
                        in_item = Some(0);
                        sources.push(None);
                    }
                    Some(0) if name.as_ref() == b"source" => {
                        let url = e
                            .try_get_attribute("url")
                            .ok()
                            .flatten()
                            // Raw bytes: plain_line decodes the references.
                            .and_then(|a| {
                                std::str::from_utf8(&a.value)
                                    .ok()
                                    .map(pantau_text::plain_line)
                            })
                            .filter(|u| !u.is_empty());
                        current = Some((url, String::new()));
                        in_item = Some(1);
                    }
                    Some(d) => in_item = Some(d + 1),
                    None => {}
                }
            }
            Ok(Event::End(_)) => match in_item {
                Some(0) => in_item = None,
                Some(1) if current.is_some() => {
                    let (url, name) = current.take().expect("checked");
                    let name = pantau_text::plain_line(&name);
                    if let Some(slot) = sources.last_mut() {
                        *slot = (!name.is_empty()).then_some(ItemSource { name, url });
                    }
                    in_item = Some(0);
                }
                Some(d) => in_item = Some(d - 1),
                None => {}
            },
            Ok(Event::Text(t)) => {
                if let (Some(1), Some((_, name))) = (in_item, current.as_mut()) {
                    if let Ok(text) = t.decode() {
                        name.push_str(&text);
                    }
                }
            }
            Ok(Event::CData(t)) => {
                if let (Some(1), Some((_, name))) = (in_item, current.as_mut()) {
                    if let Ok(text) = t.decode() {
                        name.push_str(&text);
                    }
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let (Some(1), Some((_, name))) = (in_item, current.as_mut()) {
                    if let Ok(text) = r.decode() {
                        // Kept as a reference: plain_line decodes it.
                        name.push('&');
                        name.push_str(&text);
                        name.push(';');
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    sources
}

/// The headline without the outlet an aggregator appended to it
/// ("Mensos Tinjau Banjir - Kompas.com" → "Mensos Tinjau Banjir").
pub fn strip_outlet_suffix<'a>(title: &'a str, outlet: &str) -> &'a str {
    let outlet = outlet.trim();
    if outlet.is_empty() || title.len() <= outlet.len() {
        return title;
    }
    let cut = title.len() - outlet.len();
    if !title.is_char_boundary(cut) || !title[cut..].eq_ignore_ascii_case(outlet) {
        return title;
    }
    let head = title[..cut].trim_end();
    match head.strip_suffix(['-', '–', '—', '|']) {
        Some(h) if !h.trim().is_empty() => h.trim_end(),
        _ => title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_read_item_by_item() {
        let xml = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Google News</title>
          <item><title>Mensos Tinjau Banjir - Kompas.com</title>
            <source url="https://www.kompas.com">Kompas.com</source></item>
          <item><title>Tanpa sumber</title><description>&lt;source&gt;bukan&lt;/source&gt;</description></item>
          <item><title>x</title><source url="https://www.detik.com"><![CDATA[detik]]>news &amp; co</source></item>
        </channel></rss>"#;
        let s = item_sources(xml);
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[0],
            Some(ItemSource {
                name: "Kompas.com".into(),
                url: Some("https://www.kompas.com".into())
            })
        );
        assert_eq!(s[1], None);
        assert_eq!(s[2].as_ref().unwrap().name, "detiknews & co");
    }

    #[test]
    fn the_outlet_suffix_is_cut_only_when_it_is_the_outlet() {
        assert_eq!(
            strip_outlet_suffix("Mensos Tinjau Banjir - Kompas.com", "Kompas.com"),
            "Mensos Tinjau Banjir"
        );
        assert_eq!(
            strip_outlet_suffix("Bansos Cair | detikNews", "detiknews"),
            "Bansos Cair"
        );
        assert_eq!(
            strip_outlet_suffix("Rapat dengan Kompas.com", "Kompas.com"),
            "Rapat dengan Kompas.com"
        );
        assert_eq!(strip_outlet_suffix("- Tempo", "Tempo"), "- Tempo");
        assert_eq!(strip_outlet_suffix("Judul", "Tempo"), "Judul");
    }
}
