//! One item pushed or imported — a print clipping, a TV or radio
//! transcript, a social-media post — validated into a raw article.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use pantau_model::{ArticleId, MediaType, RawArticle, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};

/// One pushed or imported item.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// print, tv, radio, online, social (or cetak, elektronik, media sosial).
    pub media_type: String,
    /// The publication, station or account.
    pub outlet: String,
    /// Headline (or the first line of a post).
    pub title: String,
    /// Full text, transcript or post.
    #[serde(default)]
    pub text: String,
    /// Summary, when separate from the text.
    #[serde(default)]
    pub summary: String,
    /// Link; required for online and social media, optional otherwise.
    #[serde(default)]
    pub url: Option<String>,
    /// The outlet's own id (clipping number, post id): identifies the item
    /// when it has no link.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Publication time, RFC 3339, or a date (YYYY-MM-DD, read at local
    /// midnight of the bureau's time zone).
    pub published: String,
}

/// A problem with one field of one item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// Item index in the request (0-based) or line number in a file.
    pub index: usize,
    /// The field.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Largest text accepted per item, in bytes.
const MAX_TEXT: usize = 200_000;

impl Item {
    /// Validates the item and builds the raw article; every problem at
    /// once. A date without a time is read at midnight in `tz`.
    pub fn to_raw(
        &self,
        index: usize,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> Result<RawArticle, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut err = |field: &str, message: String| {
            errs.push(FieldError {
                index,
                field: field.to_owned(),
                message,
            })
        };
        let media: Option<MediaType> = self
            .media_type
            .parse()
            .map_err(|e| err("media_type", format!("{e}")))
            .ok();
        if self.outlet.trim().is_empty() || self.outlet.len() > 200 {
            err("outlet", "required, at most 200 characters".into());
        }
        if self.title.trim().is_empty() || self.title.len() > 1000 {
            err("title", "required, at most 1000 characters".into());
        }
        if self.text.len() > MAX_TEXT || self.summary.len() > MAX_TEXT {
            err("text", format!("at most {MAX_TEXT} bytes"));
        }
        let url = self.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
        match (url, media) {
            (Some(u), _) => {
                if !url::Url::parse(u).is_ok_and(|p| matches!(p.scheme(), "http" | "https")) {
                    err("url", format!("{u:?} is not an http(s) URL"));
                }
            }
            (None, Some(MediaType::Online | MediaType::Social)) => {
                err("url", "required for online and social media".into());
            }
            (None, _) => {}
        }
        let published = parse_published(&self.published, tz)
            .map_err(|m| err("published", m))
            .ok()
            .filter(|t| {
                // Feeds call such dates unusable; a pushed one is the
                // sender's mistake, and the sender is told.
                if t.year() < 1990 {
                    err(
                        "published",
                        format!("{} is before 1990: not a publication date", t.date_naive()),
                    );
                    return false;
                }
                let ok = *t <= now + chrono::Duration::hours(26);
                if !ok {
                    err("published", "is in the future".into());
                }
                ok
            });
        if !errs.is_empty() {
            return Err(errs);
        }
        let media = media.expect("validated");
        let outlet = self.outlet.trim().to_owned();
        let title = pantau_text::plain_line(&self.title);
        let source = format!("push:{}", outlet.to_lowercase());
        Ok(RawArticle {
            schema_version: SCHEMA_VERSION,
            id: ArticleId::for_item(url, self.external_id.as_deref(), &source, &title),
            source,
            outlet,
            media_type: media,
            url: url.map(pantau_model::canonical_url),
            guid: self.external_id.clone(),
            source_url: None,
            title,
            summary: pantau_text::html_to_text(&self.summary),
            body: pantau_text::html_to_text(&self.text),
            published_at: published,
            fetched_at: now,
            relevance: Vec::new(),
            own_channel: false,
        })
    }
}

fn parse_published(s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(tz).earliest())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| format!("{s:?} is not a valid date"));
    }
    Err(format!(
        "{s:?} is not an RFC 3339 time (2024-05-02T08:00:00+07:00) or a date (2024-05-02)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Jakarta;

    fn item(json: &str) -> Item {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn validation_lists_every_problem() {
        let now = Utc::now();
        let it = item(
            r#"{"media_type":"koran","outlet":"","title":"","url":"ftp://x","published":"kemarin"}"#,
        );
        let errs = it.to_raw(3, now, Jakarta).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["media_type", "outlet", "title", "url", "published"]
        );
        assert!(errs.iter().all(|e| e.index == 3));
        let it =
            item(r#"{"media_type":"online","outlet":"A","title":"T","published":"2024-05-02"}"#);
        assert_eq!(
            it.to_raw(0, now, Jakarta).unwrap_err()[0].field,
            "url",
            "online needs a link"
        );
        let it = item(
            r#"{"media_type":"cetak","outlet":"Harian X","title":"Kemensos","published":"2024-05-02","external_id":"kliping-7"}"#,
        );
        let raw = it.to_raw(0, now, Jakarta).unwrap();
        assert_eq!(raw.media_type, MediaType::Print);
        assert_eq!(
            raw.published_at.unwrap().to_rfc3339(),
            "2024-05-01T17:00:00+00:00"
        );
        assert_eq!(
            raw.id,
            ArticleId::for_item(None, Some("kliping-7"), "push:harian x", "Kemensos")
        );
        let future =
            item(r#"{"media_type":"tv","outlet":"TV","title":"T","published":"2999-01-01"}"#);
        assert_eq!(
            future.to_raw(0, now, Jakarta).unwrap_err()[0].message,
            "is in the future"
        );
        for old in ["0001-01-01", "1970-01-01T00:00:00Z"] {
            let it = item(&format!(
                r#"{{"media_type":"tv","outlet":"TV","title":"T","published":"{old}"}}"#
            ));
            let e = &it.to_raw(0, now, Jakarta).unwrap_err()[0];
            assert_eq!(e.field, "published");
            assert!(
                e.message
                    .ends_with("is before 1990: not a publication date"),
                "{e:?}"
            );
        }
        // A date is read at midnight where the bureau is.
        let it = item(r#"{"media_type":"tv","outlet":"TV","title":"T","published":"2024-05-02"}"#);
        let t = it
            .to_raw(0, now, chrono_tz::Asia::Jayapura)
            .unwrap()
            .published_at
            .unwrap();
        assert_eq!(t.to_rfc3339(), "2024-05-01T15:00:00+00:00");
    }
}
