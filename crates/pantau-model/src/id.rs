//! Article identity.
//!
//! `id` = a stable hash of the canonical URL (scheme and host lower-cased,
//! fragment and tracking parameters removed), or of the source and GUID when
//! the item has no link, or of the source and title when it has neither.
//! Each outlet's copy of a syndicated story has its own URL and so its own id:
//! media monitoring counts publications.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Query parameters that identify a campaign or a click, never the article.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga",
    "_gl", "_hsenc", "_hsmi", "ocid", "cmpid", "spm",
];

fn is_tracking_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || TRACKING_PARAMS.contains(&lower.as_str())
}

/// The canonical form of an article URL: scheme and host lower-cased (by the
/// URL parser), default port dropped, fragment and tracking parameters removed.
/// A string that is not an absolute URL is returned trimmed.
pub fn canonical_url(raw: &str) -> String {
    let trimmed = raw.trim();
    let Ok(mut url) = url::Url::parse(trimmed) else {
        return trimmed.to_owned();
    };
    url.set_fragment(None);
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !is_tracking_param(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    url.to_string()
}

/// A stable article identity: 128 bits of SHA-256, as 32 lower-case hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(String);

impl ArticleId {
    /// The id of an item: its canonical link, else its GUID within its
    /// source, else its title within its source.
    pub fn for_item(link: Option<&str>, guid: Option<&str>, source: &str, title: &str) -> Self {
        if let Some(link) = non_empty(link) {
            return Self::hash(&["url", &canonical_url(link)]);
        }
        if let Some(guid) = non_empty(guid) {
            return Self::hash(&["guid", source, guid]);
        }
        Self::hash(&["title", source, title.trim()])
    }

    /// Wraps an id read back from the store or the wire, checking its shape.
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == 32
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| ArticleId(s.to_owned()))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn hash(parts: &[&str]) -> Self {
        let mut h = Sha256::new();
        for p in parts {
            // A separator that cannot occur in text keeps ("ab","c") != ("a","bc").
            h.update(p.as_bytes());
            h.update([0u8]);
        }
        let digest = h.finalize();
        let mut s = String::with_capacity(32);
        for b in &digest[..16] {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
        }
        ArticleId(s)
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The keys under which an article is a duplicate of another: its id; its
/// GUID within its outlet (an edited headline or link keeps its GUID); and
/// the outlet's own article number in the link (`detik.com/…/d-7654321/slug`
/// and `m.detik.com/…/d-7654321/other-slug` are one article). Two items
/// sharing any key are the same article. Hashed like ids (32 hex digits).
pub fn dedup_keys(
    id: &ArticleId,
    link: Option<&str>,
    guid: Option<&str>,
    outlet: &str,
) -> Vec<String> {
    let mut keys = vec![id.0.clone()];
    // Very short GUIDs ("1", "post") are not identifiers one can trust.
    if let Some(guid) = non_empty(guid).filter(|g| g.chars().count() >= 6) {
        keys.push(ArticleId::hash(&["guid-of", outlet.trim(), guid]).0);
    }
    if let Some((host, number)) = non_empty(link).and_then(outlet_article_number) {
        keys.push(ArticleId::hash(&["article-number", &host, &number]).0);
    }
    keys.dedup();
    keys
}

/// The key of a headline on a site on one day (in WIB): how an item an
/// aggregator relays (Google News links to itself, not to the outlet) is
/// known as the outlet's own item. `site_url` is the outlet's address —
/// the aggregator's `<source url>`, or the item's own link — reduced to its
/// registrable domain, so `nasional.kompas.com` and `www.kompas.com` are one
/// site. `None` for headlines too short to identify anything ("Video",
/// "Foto Hari Ini") or without a site or date.
pub fn headline_key(site_url: &str, title: &str, published: DateTime<Utc>) -> Option<String> {
    let site = registrable_domain(site_url)?;
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < 4 {
        return None;
    }
    let day = (published + chrono::Duration::hours(7))
        .date_naive()
        .to_string();
    Some(ArticleId::hash(&["headline", &site, &words.join(" "), &day]).0)
}

/// `kompas.com` for `https://nasional.kompas.com/read/…`, `republika.co.id`
/// for `https://www.republika.co.id/…`: the last two labels, or three under
/// a second-level domain of a country code (`co.id`, `go.id`, `co.uk`).
pub fn registrable_domain(site_url: &str) -> Option<String> {
    let url = url::Url::parse(site_url.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.trim_matches(['[', ']']).contains(':') {
        return Some(host);
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    const SECOND_LEVEL: &[&str] = &[
        "co", "go", "or", "ac", "sch", "web", "my", "net", "com", "org", "mil", "gov", "edu",
        "biz", "ponpes", "desa", "id",
    ];
    let keep = match labels.as_slice() {
        [.., second, tld] if tld.len() == 2 && SECOND_LEVEL.contains(second) => 3,
        _ => 2,
    };
    Some(labels[labels.len().saturating_sub(keep)..].join("."))
}

/// The host (without `www.`/`m.`/`amp.`) and the article number in a link's
/// path: every run of 6 or more digits that is not a bare date (YYYYMMDD),
/// joined. `None` when the path has none (dates alone do not identify).
fn outlet_article_number(link: &str) -> Option<(String, String)> {
    let url = url::Url::parse(link.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = ["www.", "m.", "amp.", "mobile."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .unwrap_or(&host)
        .to_owned();
    let runs: Vec<&str> = url
        .path()
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| r.len() >= 6 && !is_bare_date(r))
        .collect();
    (!runs.is_empty()).then(|| (host, runs.join("-")))
}

fn is_bare_date(digits: &str) -> bool {
    if digits.len() != 8 {
        return false;
    }
    let n = |r: std::ops::Range<usize>| digits[r].parse::<u32>().unwrap_or(0);
    (1900..=2100).contains(&n(0..4)) && (1..=12).contains(&n(4..6)) && (1..=31).contains(&n(6..8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(link: Option<&str>, guid: Option<&str>, outlet: &str) -> Vec<String> {
        let id = ArticleId::for_item(link, guid, "feed", "judul");
        dedup_keys(&id, link, guid, outlet)
    }

    fn shares_key(a: &[String], b: &[String]) -> bool {
        a.iter().any(|k| b.contains(k))
    }

    #[test]
    fn an_edited_link_with_the_same_guid_is_the_same_article() {
        let a = keys(
            Some("https://kabar.example/a/bansos-cair"),
            Some("kabar-88121"),
            "Kabar",
        );
        let b = keys(
            Some("https://kabar.example/a/bansos-cair-hari-ini"),
            Some("kabar-88121"),
            "Kabar",
        );
        assert!(shares_key(&a, &b));
        // The same GUID at another outlet is another article.
        let c = keys(Some("https://lain.example/x"), Some("kabar-88121"), "Lain");
        assert!(!shares_key(&a, &c));
        // A GUID too short to trust is not a key.
        let d = keys(Some("https://kabar.example/b"), Some("1"), "Kabar");
        let e = keys(Some("https://kabar.example/c"), Some("1"), "Kabar");
        assert!(!shares_key(&d, &e));
    }

    #[test]
    fn the_outlets_article_number_identifies_across_slugs_and_mobile_hosts() {
        let a = keys(
            Some("https://news.detik.example/berita/d-7654321/bansos-telat"),
            None,
            "Detik",
        );
        let b = keys(
            Some("https://news.detik.example/berita/d-7654321/bansos-telat-cair"),
            None,
            "Detik",
        );
        assert!(shares_key(&a, &b));
        let m = keys(
            Some("https://www.kompas.example/read/2026/11/28/10512341/judul"),
            None,
            "K",
        );
        let n = keys(
            Some("https://m.kompas.example/read/2026/11/28/10512341/judul-baru"),
            None,
            "K",
        );
        assert!(shares_key(&m, &n));
        // Another number, another article.
        let o = keys(
            Some("https://news.detik.example/berita/d-7654322/bansos-telat"),
            None,
            "Detik",
        );
        assert!(!shares_key(&a, &o));
        // A date alone is not an article number: two stories of one day differ.
        let p = keys(Some("https://x.example/20261128/bansos"), None, "X");
        let q = keys(Some("https://x.example/20261128/pkh"), None, "X");
        assert!(!shares_key(&p, &q));
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn an_aggregated_headline_is_the_outlets_own_item() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let own = headline_key(
            "https://nasional.kompas.com/read/2026/11/28/10512341/mensos-tinjau",
            "Mensos Tinjau Dapur Umum Korban Banjir",
            at("2026-11-28T03:00:00Z"),
        );
        // Google News: its own link, the outlet in <source url>, the title's
        // case and punctuation as the aggregator wrote it, a later hour.
        let relayed = headline_key(
            "https://www.kompas.com",
            "Mensos tinjau dapur umum korban banjir!",
            at("2026-11-28T09:30:00Z"),
        );
        assert!(own.is_some());
        assert_eq!(own, relayed);
        // Another site, another day (in WIB: 17:30 UTC is the next morning), another headline.
        let other_site = headline_key(
            "https://www.tempo.co",
            "Mensos Tinjau Dapur Umum Korban Banjir",
            at("2026-11-28T03:00:00Z"),
        );
        let next_day = headline_key(
            "https://www.kompas.com",
            "Mensos Tinjau Dapur Umum Korban Banjir",
            at("2026-11-28T17:30:00Z"),
        );
        assert_ne!(own, other_site);
        assert_ne!(own, next_day);
        // Too short to identify an article.
        assert_eq!(
            headline_key(
                "https://www.kompas.com",
                "Video Hari Ini",
                at("2026-11-28T03:00:00Z")
            ),
            None
        );
    }

    #[test]
    fn registrable_domains() {
        let d = |u: &str| registrable_domain(u).unwrap();
        assert_eq!(d("https://nasional.kompas.com/read/x"), "kompas.com");
        assert_eq!(d("https://www.republika.co.id/berita"), "republika.co.id");
        assert_eq!(d("https://kemensos.go.id/feed"), "kemensos.go.id");
        assert_eq!(d("https://www.tempo.co"), "tempo.co");
        assert_eq!(d("http://127.0.0.1:8080/a"), "127.0.0.1");
        assert_eq!(registrable_domain("not a url"), None);
    }

    #[test]
    fn canonical_url_drops_tracking_and_fragment() {
        assert_eq!(
            canonical_url(" HTTPS://Berita.EXAMPLE:443/a/b?id=7&utm_source=rss&fbclid=x#komentar "),
            "https://berita.example/a/b?id=7"
        );
        assert_eq!(
            canonical_url("https://berita.example/a?utm_medium=feed"),
            "https://berita.example/a"
        );
        // The path keeps its case: servers may treat it as significant.
        assert_eq!(
            canonical_url("https://x.example/Berita"),
            "https://x.example/Berita"
        );
        assert_eq!(canonical_url("not a url"), "not a url");
    }

    #[test]
    fn id_prefers_link_then_guid_then_title() {
        let by_link = ArticleId::for_item(
            Some("https://x.example/a?utm_source=a"),
            Some("g1"),
            "f",
            "t",
        );
        assert_eq!(
            by_link,
            ArticleId::for_item(Some("https://X.example/a#top"), Some("g2"), "other", "u")
        );
        let by_guid = ArticleId::for_item(None, Some("g1"), "f", "t");
        assert_eq!(
            by_guid,
            ArticleId::for_item(Some("  "), Some("g1"), "f", "edited title")
        );
        assert_ne!(
            by_guid,
            ArticleId::for_item(None, Some("g1"), "other-feed", "t")
        );
        let by_title = ArticleId::for_item(None, None, "f", "t");
        assert_ne!(by_title, by_guid);
        assert_eq!(by_title.as_str().len(), 32);
        assert_eq!(ArticleId::parse(by_title.as_str()), Some(by_title));
        assert_eq!(ArticleId::parse("xyz"), None);
    }

    #[test]
    fn id_is_stable_across_builds() {
        // Pinned: changing the hash would re-count every stored article.
        assert_eq!(
            ArticleId::for_item(Some("https://berita.example/a"), None, "", "").as_str(),
            {
                let mut h = Sha256::new();
                h.update(b"url\0https://berita.example/a\0");
                let d = h.finalize();
                d[..16]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            }
        );
    }
}
