//! Parsed feed → normalised raw articles: plain text, checked dates, ids.

use chrono::{DateTime, Duration, Utc};
use pantau_model::{ArticleId, MediaType, RawArticle, SCHEMA_VERSION};
use pantau_text::{html_to_text, plain_line};

/// A body that is not a usable feed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{source_id}: not a usable feed: {message}")]
pub struct NormalizeError {
    /// The feed id or file.
    pub source_id: String,
    /// What the parser said.
    pub message: String,
}

/// The items of one feed response.
#[derive(Debug, Clone)]
pub struct FeedItems {
    /// The feed's own title, plain text.
    pub title: Option<String>,
    /// Normalised items, in feed order, duplicates (same id) removed.
    pub items: Vec<RawArticle>,
    /// Items whose date was missing or absurd (they use the fetch time).
    pub undated: usize,
}

/// The Atom 0.3 namespace, still served by old blog engines and archives.
const ATOM03_NS: &str = "http://purl.org/atom/ns#";

/// Atom 0.3 read as Atom 1.0 (the parser knows only 1.0): the namespace,
/// and the renamed elements (`issued`/`modified`/`tagline`/`copyright` →
/// `published`/`updated`/`subtitle`/`rights`). An escaped-mode HTML title
/// stays HTML text and is reduced to plain text like any other.
fn atom03_as_atom10(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(ATOM03_NS) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.replace(ATOM03_NS, "http://www.w3.org/2005/Atom");
    // 0.3 named content types by MIME type; 1.0 by keyword.
    for (mime, keyword) in [
        ("text/plain", "text"),
        ("text/html", "html"),
        ("application/xhtml+xml", "xhtml"),
    ] {
        out = out.replace(&format!("type=\"{mime}\""), &format!("type=\"{keyword}\""));
    }
    for (old, new) in [
        ("issued", "published"),
        ("modified", "updated"),
        ("tagline", "subtitle"),
        ("copyright", "rights"),
    ] {
        for (from, to) in [("<", "<"), ("</", "</")] {
            for close in ['>', ' ', '\n', '\t', '\r', '/'] {
                out = out.replace(&format!("{from}{old}{close}"), &format!("{to}{new}{close}"));
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Drops comments, DOCTYPEs and processing instructions before the root
/// element (keeping the XML declaration): the parser refuses some of them,
/// and they never carry items. Gives `<rss>` without a version one.
fn strip_prolog(text: &str) -> std::borrow::Cow<'_, str> {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    let mut decl = "";
    if rest.starts_with("<?xml ") || rest.starts_with("<?xml\t") {
        if let Some(end) = rest.find("?>") {
            decl = &rest[..end + 2];
            rest = &rest[end + 2..];
        }
    }
    let before = rest.len();
    loop {
        rest = rest.trim_start();
        let skip = if rest.starts_with("<!--") {
            rest.find("-->").map(|e| e + 3)
        } else if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype") {
            // An internal subset ([...]) may hold '>' characters.
            match (rest.find('['), rest.find('>')) {
                (Some(b), Some(g)) if b < g => rest.find("]>").map(|e| e + 2),
                (_, Some(g)) => Some(g + 1),
                _ => None,
            }
        } else if rest.starts_with("<?") {
            rest.find("?>").map(|e| e + 2)
        } else {
            None
        };
        match skip {
            Some(n) => rest = &rest[n..],
            None => break,
        }
    }
    // `<rss>` without a version is common in the wild; the parser wants one.
    let unversioned = rest.starts_with("<rss")
        && rest[..rest.find('>').unwrap_or(0)]
            .find("version")
            .is_none()
        && rest[4..].starts_with(['>', ' ', '\n', '\t', '\r']);
    if rest.len() == before && decl.is_empty() && !unversioned {
        return std::borrow::Cow::Borrowed(text);
    }
    if unversioned {
        return std::borrow::Cow::Owned(format!("{decl}<rss version=\"2.0\"{}", &rest[4..]));
    }
    std::borrow::Cow::Owned(format!("{decl}{rest}"))
}

/// Dates before this are absurd for news.
const EARLIEST: i64 = 631_152_000; // 1990-01-01
/// Dates further in the future than this (clock skew, time-zone slips) are absurd.
fn future_slack() -> Duration {
    Duration::hours(26)
}

/// Parses `bytes` as RSS, Atom or JSON Feed and normalises its items.
/// `outlet` overrides the feed's title as the publication name.
pub fn parse_feed(
    bytes: &[u8],
    source_id: &str,
    outlet: Option<&str>,
    media_type: MediaType,
    fetched_at: DateTime<Utc>,
) -> Result<FeedItems, NormalizeError> {
    parse_feed_as(bytes, None, source_id, outlet, media_type, fetched_at)
}

/// As [`parse_feed`], with the response's `Content-Type` (for its charset).
pub fn parse_feed_as(
    bytes: &[u8],
    content_type: Option<&str>,
    source_id: &str,
    outlet: Option<&str>,
    media_type: MediaType,
    fetched_at: DateTime<Utc>,
) -> Result<FeedItems, NormalizeError> {
    let (text, _) = crate::decode::to_utf8(bytes, content_type);
    let text = strip_prolog(&text);
    let text = atom03_as_atom10(&text);
    let bytes = text.as_bytes();
    let err = |message: String| NormalizeError {
        source_id: source_id.to_owned(),
        message,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(err("empty body".into()));
    }
    let sources = crate::relayed::item_sources(&text);
    let feed = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        .build()
        .parse(bytes)
        .map_err(|e| err(e.to_string()))?;
    let title = feed
        .title
        .as_ref()
        .map(|t| plain_line(&t.content))
        .filter(|t| !t.is_empty());
    let outlet = outlet
        .map(str::to_owned)
        .or_else(|| title.clone())
        .unwrap_or_else(|| source_id.to_owned());
    let mut items = Vec::with_capacity(feed.entries.len());
    let mut seen = std::collections::HashSet::new();
    let mut undated = 0;
    // The relayed outlets line up with the entries only if every item was read.
    let sources = if sources.len() == feed.entries.len() {
        sources
    } else {
        vec![None; feed.entries.len()]
    };
    for (e, relayed) in feed.entries.into_iter().zip(sources) {
        let link = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| e.links.first())
            .map(|l| l.href.trim().to_owned())
            .filter(|h| !h.is_empty());
        let guid = Some(e.id.trim().to_owned()).filter(|g| !g.is_empty());
        // RSS: a GUID is a permalink unless it says otherwise; without a
        // <link>, a GUID that is a web address is the item's link.
        let link = link.or_else(|| {
            guid.clone()
                .filter(|g| g.starts_with("http://") || g.starts_with("https://"))
        });
        let mut title_text = e
            .title
            .as_ref()
            .map(|t| plain_line(&t.content))
            .unwrap_or_default();
        if let Some(r) = &relayed {
            title_text = crate::relayed::strip_outlet_suffix(&title_text, &r.name).to_owned();
        }
        let summary = e
            .summary
            .as_ref()
            .map(|t| html_to_text(&t.content))
            .unwrap_or_default();
        let body = e
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .map(html_to_text)
            .filter(|b| *b != summary)
            .unwrap_or_default();
        // Nothing to classify and nowhere to fetch text from (a link-only
        // item can still get its text from a full-text feed's page fetch).
        if title_text.is_empty() && summary.is_empty() && body.is_empty() && link.is_none() {
            continue;
        }
        let published = e
            .published
            .or(e.updated)
            .filter(|d| d.timestamp() >= EARLIEST && *d <= fetched_at + future_slack());
        let id = ArticleId::for_item(link.as_deref(), guid.as_deref(), source_id, &title_text);
        if !seen.insert(id.clone()) {
            continue;
        }
        if published.is_none() {
            undated += 1;
        }
        items.push(RawArticle {
            schema_version: SCHEMA_VERSION,
            id,
            source: source_id.to_owned(),
            outlet: relayed
                .as_ref()
                .map_or_else(|| outlet.clone(), |r| r.name.clone()),
            media_type,
            url: link.map(|l| pantau_model::canonical_url(&l)),
            guid,
            source_url: relayed.and_then(|r| r.url),
            title: title_text,
            summary,
            body,
            published_at: published,
            fetched_at,
            relevance: Vec::new(),
            own_channel: false,
        });
    }
    Ok(FeedItems {
        title,
        items,
        undated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_0_3_reads_as_atom_1_0() {
        let atom03 = r#"<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">
<title>Kabar</title><tagline>Berita</tagline>
<entry><title type="text/html" mode="escaped">Mensos &lt;b>tinjau&lt;/b> banjir</title>
<link rel="alternate" type="text/html" href="https://k.example/1"/><id>urn:k:1</id>
<issued>2026-05-19T08:00:00+07:00</issued><modified>2026-05-19T09:00:00+07:00</modified>
<summary>Ringkasan</summary></entry></feed>"#;
        let f = parse_feed(atom03.as_bytes(), "k", None, MediaType::Online, now()).unwrap();
        assert_eq!(f.title.as_deref(), Some("Kabar"));
        let a = &f.items[0];
        assert_eq!(a.title, "Mensos tinjau banjir");
        assert_eq!(a.url.as_deref(), Some("https://k.example/1"));
        assert_eq!(
            a.published_at.unwrap().to_rfc3339(),
            "2026-05-19T01:00:00+00:00"
        );
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-20T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Warta &amp; Berita</title>
<item><title>Mensos &lt;b&gt;tinjau&lt;/b&gt; banjir</title><link>https://w.example/a?utm_source=rss</link>
<guid>g1</guid><pubDate>Wed, 20 May 2026 08:00:00 +0700</pubDate>
<description><![CDATA[<p>Bantuan <b>tersalurkan</b>&nbsp;cepat.</p>]]></description></item>
<item><title>Tanpa tanggal: Kemensos &amp;amp; BPS</title><guid>g2</guid><description>x</description></item>
<item><title>Dari masa depan</title><link>https://w.example/c</link><pubDate>Wed, 20 May 2099 08:00:00 +0700</pubDate></item>
<item><title>Duplikat</title><link>https://w.example/a#x</link></item>
</channel></rss>"#;

    #[test]
    fn an_aggregators_item_takes_its_outlet_and_is_the_outlets_own_item() {
        let gnews = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>"Kemensos" - Google News</title>
<item><title>Mensos Tinjau Dapur Umum Korban Banjir - Kompas.com</title>
<link>https://news.google.com/rss/articles/CBMiZGh0dHBzOi8v?oc=5</link><guid isPermaLink="false">CBMiZGh0dHBz</guid>
<pubDate>Tue, 19 May 2026 09:30:00 GMT</pubDate><source url="https://www.kompas.com">Kompas.com</source></item>
<item><title>Tanpa sumber</title><link>https://news.google.com/rss/articles/XYZ</link></item>
</channel></rss>"#;
        let f = parse_feed(
            gnews.as_bytes(),
            "gnews",
            Some("Google News"),
            MediaType::Online,
            now(),
        )
        .unwrap();
        let relayed = &f.items[0];
        assert_eq!(relayed.outlet, "Kompas.com");
        assert_eq!(relayed.title, "Mensos Tinjau Dapur Umum Korban Banjir");
        assert_eq!(
            relayed.source_url.as_deref(),
            Some("https://www.kompas.com")
        );
        assert_eq!(
            f.items[1].outlet, "Google News",
            "no <source>: the feed's outlet"
        );

        let own = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Kompas</title>
<item><title>Mensos Tinjau Dapur Umum Korban Banjir</title>
<link>https://nasional.kompas.com/read/2026/11/28/10512341/mensos-tinjau-dapur-umum</link>
<pubDate>Tue, 19 May 2026 10:05:00 +0700</pubDate></item></channel></rss>"#;
        let f2 = parse_feed(
            own.as_bytes(),
            "kompas",
            Some("Kompas.com"),
            MediaType::Online,
            now(),
        )
        .unwrap();
        let own_keys = f2.items[0].dedup_keys();
        assert_ne!(relayed.id, f2.items[0].id);
        assert!(
            relayed.dedup_keys().iter().any(|k| own_keys.contains(k)),
            "the relayed copy and the outlet's item are one article"
        );
    }

    #[test]
    fn rss_items_are_normalised() {
        let f = parse_feed(RSS.as_bytes(), "warta", None, MediaType::Online, now()).unwrap();
        assert_eq!(f.title.as_deref(), Some("Warta & Berita"));
        assert_eq!(f.items.len(), 3, "the duplicate link is dropped");
        let a = &f.items[0];
        assert_eq!(a.title, "Mensos tinjau banjir");
        assert_eq!(a.summary, "Bantuan tersalurkan cepat.");
        assert_eq!(a.url.as_deref(), Some("https://w.example/a"));
        assert_eq!(a.outlet, "Warta & Berita");
        assert_eq!(
            a.published_at.unwrap().to_rfc3339(),
            "2026-05-20T01:00:00+00:00"
        );
        assert_eq!(
            a.id,
            ArticleId::for_item(Some("https://w.example/a"), None, "", "")
        );
        // A title escaped twice by its feed is decoded twice.
        assert_eq!(f.items[1].title, "Tanpa tanggal: Kemensos & BPS");
        // No link: the id comes from the GUID within the source.
        assert_eq!(
            f.items[1].id,
            ArticleId::for_item(None, Some("g2"), "warta", "")
        );
        assert_eq!(f.items[1].published_at, None);
        assert_eq!(f.items[2].published_at, None, "absurd future date dropped");
        assert_eq!(f.undated, 2);
    }

    #[test]
    fn atom_and_json_feed_parse() {
        let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>K</title>
<id>urn:k</id><updated>2026-05-20T00:00:00Z</updated>
<entry><title>Judul</title><id>urn:1</id><link href="https://k.example/1"/>
<published>2026-05-19T10:00:00+07:00</published><updated>2026-05-19T11:00:00+07:00</updated>
<summary>Ringkas</summary></entry></feed>"#;
        let f = parse_feed(atom.as_bytes(), "k", Some("Kabar"), MediaType::Tv, now()).unwrap();
        assert_eq!(f.items[0].outlet, "Kabar");
        assert_eq!(f.items[0].media_type, MediaType::Tv);
        assert_eq!(
            f.items[0].published_at.unwrap().to_rfc3339(),
            "2026-05-19T03:00:00+00:00"
        );
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"P","items":[
            {"id":"p1","url":"https://p.example/1","title":"T","content_text":"Isi","date_published":"2026-05-19T00:00:00Z"}]}"#;
        let f = parse_feed(json.as_bytes(), "p", None, MediaType::Online, now()).unwrap();
        assert_eq!(f.items[0].summary.len() + f.items[0].body.len(), 3);
        assert_eq!(f.items[0].url.as_deref(), Some("https://p.example/1"));
    }

    #[test]
    fn garbage_is_rejected_with_the_source_named() {
        for bad in [
            "",
            "<html><body>not a feed</body></html>",
            "{\"a\":1}",
            "<rss><channel><item>",
        ] {
            let e = parse_feed(bad.as_bytes(), "bad-feed", None, MediaType::Online, now());
            let msg = e.expect_err(bad).to_string();
            assert!(msg.starts_with("bad-feed: not a usable feed"), "{msg}");
        }
    }
}
