//! Articles that do not come from feeds — print clippings, TV and radio
//! transcripts, social-media exports — pushed through
//! `POST /api/v1/articles` or imported with `pantau import FILE`.

use std::io::{BufRead, Write as _};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use pantau_bus::Publisher;
use pantau_model::{ArticleId, MediaType, RawArticle, SCHEMA_VERSION};
use pantau_store::Store;
use serde::{Deserialize, Serialize};

use crate::classify::Classify;

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
    /// Publication time, RFC 3339, or a date (YYYY-MM-DD, read at 00:00 WIB).
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
    /// Validates the item and builds the raw article; every problem at once.
    pub fn to_raw(&self, index: usize, now: DateTime<Utc>) -> Result<RawArticle, Vec<FieldError>> {
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
        let published = parse_published(&self.published)
            .map_err(|m| err("published", m))
            .ok()
            .filter(|t| {
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
            title,
            summary: pantau_text::html_to_text(&self.summary),
            body: pantau_text::html_to_text(&self.text),
            published_at: published,
            fetched_at: now,
            relevance: Vec::new(),
        })
    }
}

fn parse_published(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let wib = chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset");
        return d
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(wib).single())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| format!("{s:?} is not a valid date"));
    }
    Err(format!(
        "{s:?} is not an RFC 3339 time (2024-05-02T08:00:00+07:00) or a date (2024-05-02)"
    ))
}

/// What happened to one item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Outcome {
    /// Index in the request, or line in the file.
    pub index: usize,
    /// The article id.
    pub id: String,
    /// `stored`, `duplicate` or `not_relevant`.
    pub status: &'static str,
    /// Entities it is relevant to.
    pub entities: Vec<String>,
}

/// The push API's context: where new articles go.
pub struct PushCtx {
    /// The raw-article bus (publish resolves when stored).
    pub publisher: pantau_bus::embedded::EmbeddedPublisher<RawArticle>,
    /// Relevance matchers.
    pub classify: Arc<Classify>,
}

impl std::fmt::Debug for PushCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushCtx")
    }
}

/// The request body: one item, a list, or `{"items": [...]}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Body {
    Batch { items: Vec<Item> },
    List(Vec<Item>),
    One(Box<Item>),
}

fn reject(status: StatusCode, errors: serde_json::Value) -> Response {
    (status, Json(serde_json::json!({ "errors": errors }))).into_response()
}

/// Most items per request.
pub const MAX_BATCH: usize = 1000;

/// `POST /api/v1/articles`.
pub async fn post(
    State(ctx): State<Arc<crate::http::Ctx>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let state = &ctx.state;
    if let Err(r) = crate::review::authorised(state, &headers) {
        state
            .metrics
            .rejected
            .with_label_values(&["push", "unauthorised"])
            .inc();
        return *r;
    }
    let Some(push) = &ctx.push else {
        return reject(
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!(["this process does not ingest (embedded pipeline only)"]),
        );
    };
    let items = match serde_json::from_slice::<Body>(&body) {
        Ok(Body::Batch { items }) | Ok(Body::List(items)) => items,
        Ok(Body::One(item)) => vec![*item],
        Err(e) => {
            state
                .metrics
                .rejected
                .with_label_values(&["push", "malformed"])
                .inc();
            // Say which item and field when one item is at fault.
            let detail = match serde_json::from_slice::<serde_json::Value>(&body) {
                Ok(v) => item_errors(&v),
                Err(_) => vec![format!("body: not JSON: {e}")],
            };
            return reject(StatusCode::UNPROCESSABLE_ENTITY, serde_json::json!(detail));
        }
    };
    if items.is_empty() || items.len() > MAX_BATCH {
        return reject(
            StatusCode::UNPROCESSABLE_ENTITY,
            serde_json::json!([format!("items: between 1 and {MAX_BATCH} per request")]),
        );
    }
    let now = Utc::now();
    let mut raws = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (i, it) in items.iter().enumerate() {
        match it.to_raw(i, now) {
            Ok(r) => raws.push(r),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        state
            .metrics
            .rejected
            .with_label_values(&["push", "invalid"])
            .inc_by(items.len() as u64);
        return reject(
            StatusCode::UNPROCESSABLE_ENTITY,
            serde_json::to_value(errors).unwrap_or_default(),
        );
    }
    match ingest(&ctx.store, push, raws).await {
        Ok(outcomes) => {
            let code = if outcomes.iter().any(|o| o.status == "stored") {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (code, Json(serde_json::json!({ "results": outcomes }))).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "pushed items not stored");
            reject(
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!(["not stored; nothing was counted; try again"]),
            )
        }
    }
}

/// Field errors of a body that did not deserialise, item by item.
fn item_errors(v: &serde_json::Value) -> Vec<String> {
    let list: Vec<&serde_json::Value> = match v {
        serde_json::Value::Array(a) => a.iter().collect(),
        serde_json::Value::Object(o) if o.contains_key("items") => o["items"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        if let Err(e) = serde_json::from_value::<Item>((*item).clone()) {
            out.push(format!("items[{i}]: {e}"));
        }
    }
    if out.is_empty() {
        out.push("body: expected an item, a list of items, or {\"items\": [...]}".into());
    }
    out
}

/// The dedup keys of the items seen so far in one request or file.
#[derive(Debug, Default)]
struct SeenKeys(std::collections::HashSet<String>);

impl SeenKeys {
    /// False when `a` shares a key with an item seen before.
    fn insert(&mut self, a: &RawArticle) -> bool {
        let keys = a.dedup_keys();
        let new = !keys.iter().any(|k| self.0.contains(k));
        self.0.extend(keys);
        new
    }
}

/// Relevance, duplicates, then publish; resolves when every new item is stored.
async fn ingest(
    store: &Store,
    push: &PushCtx,
    mut raws: Vec<RawArticle>,
) -> anyhow::Result<Vec<Outcome>> {
    let known = store.known(&raws.iter().collect::<Vec<_>>()).await?;
    let mut outcomes = Vec::with_capacity(raws.len());
    let mut to_publish = Vec::new();
    let mut seen = SeenKeys::default();
    for (i, r) in raws.iter_mut().enumerate() {
        r.relevance = push.classify.relevance(r);
        let entities: Vec<String> = r.relevance.iter().map(|x| x.entity.to_string()).collect();
        let status = if known.contains(&r.id) || !seen.insert(r) {
            "duplicate"
        } else if entities.is_empty() {
            "not_relevant"
        } else {
            to_publish.push(i);
            "stored"
        };
        outcomes.push(Outcome {
            index: i,
            id: r.id.to_string(),
            status,
            entities,
        });
    }
    let results = futures::future::join_all(
        to_publish
            .iter()
            .map(|&i| push.publisher.publish(raws[i].clone())),
    )
    .await;
    if let Some(e) = results.into_iter().find_map(Result::err) {
        anyhow::bail!("{e}");
    }
    Ok(outcomes)
}

// ------------------------------------------------------------------ import

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportSummary {
    /// Items read.
    pub read: usize,
    /// Newly stored (and counted).
    pub stored: usize,
    /// Already stored.
    pub duplicates: usize,
    /// Not about any monitored entity.
    pub not_relevant: usize,
    /// Line number and reason.
    pub rejected: Vec<(usize, String)>,
}

/// `pantau import FILE`: JSONL (one item per line) or CSV (a header with
/// the item's field names). Each valid item is classified and stored
/// (idempotently); a bad line is reported and never stops the file.
pub async fn import_file(
    store: &Store,
    classify: &Classify,
    path: &Path,
    csv_format: bool,
) -> anyhow::Result<ImportSummary> {
    let name = path.display().to_string();
    let mut items: Vec<(usize, Result<Item, String>)> = Vec::new();
    if csv_format {
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .with_context(|| format!("{name}: cannot open"))?;
        let headers = r
            .headers()
            .with_context(|| format!("{name}: no header"))?
            .clone();
        for (i, rec) in r.records().enumerate() {
            let line = i + 2;
            let item = rec
                .map_err(|e| format!("malformed CSV: {e}"))
                .and_then(|rec| {
                    let mut obj = serde_json::Map::new();
                    for (h, v) in headers.iter().zip(rec.iter()) {
                        // An empty optional cell is an absent value; an empty
                        // required one is kept, so validation names the field.
                        let h = h.trim();
                        if v.is_empty() && matches!(h, "url" | "external_id" | "text" | "summary") {
                            continue;
                        }
                        obj.insert(h.to_owned(), serde_json::Value::String(v.to_owned()));
                    }
                    serde_json::from_value::<Item>(serde_json::Value::Object(obj))
                        .map_err(|e| e.to_string())
                });
            items.push((line, item));
        }
    } else {
        let f = std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("{name}: cannot open"))?,
        );
        for (i, line) in f.lines().enumerate() {
            let line_no = i + 1;
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    items.push((line_no, Err(format!("unreadable line: {e}"))));
                    continue;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            items.push((
                line_no,
                serde_json::from_str::<Item>(&line).map_err(|e| e.to_string()),
            ));
        }
    }
    let mut summary = ImportSummary::default();
    let now = Utc::now();
    let started = Instant::now();
    let n = items.len();
    let mut seen = SeenKeys::default();
    let mut batch = Vec::new();
    for (k, (line, item)) in items.into_iter().enumerate() {
        summary.read += 1;
        let raw = item.and_then(|it| {
            it.to_raw(line, now).map_err(|errs| {
                errs.iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        });
        match raw {
            Ok(mut raw) => {
                raw.relevance = classify.relevance(&raw);
                if raw.relevance.is_empty() {
                    summary.not_relevant += 1;
                } else if !seen.insert(&raw) {
                    summary.duplicates += 1;
                } else {
                    batch.push(raw);
                }
            }
            Err(why) => summary.rejected.push((line, why)),
        }
        if batch.len() >= 500 || (k + 1 == n && !batch.is_empty()) {
            let known = store.known(&batch.iter().collect::<Vec<_>>()).await?;
            summary.duplicates += known.len();
            let scored: Vec<_> = batch
                .drain(..)
                .filter(|r| !known.contains(&r.id))
                .map(|r| classify.classify(r))
                .collect();
            summary.stored += scored.len();
            store.insert_scored(&scored).await?;
        }
        if k % 1000 == 999 || k + 1 == n {
            progress(k + 1, n, started);
        }
    }
    eprintln!();
    Ok(summary)
}

/// A one-line progress bar on standard error.
fn progress(done: usize, total: usize, started: Instant) {
    let width = 30;
    let filled = (done * width)
        .checked_div(total)
        .unwrap_or(width)
        .min(width);
    let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-3);
    eprint!(
        "\r[{}{}] {done}/{total} items, {rate:.0}/s",
        "#".repeat(filled),
        " ".repeat(width - filled)
    );
    let _ = std::io::stderr().flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(json: &str) -> Item {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn validation_lists_every_problem() {
        let now = Utc::now();
        let it = item(
            r#"{"media_type":"koran","outlet":"","title":"","url":"ftp://x","published":"kemarin"}"#,
        );
        let errs = it.to_raw(3, now).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["media_type", "outlet", "title", "url", "published"]
        );
        assert!(errs.iter().all(|e| e.index == 3));
        let it =
            item(r#"{"media_type":"online","outlet":"A","title":"T","published":"2024-05-02"}"#);
        assert_eq!(
            it.to_raw(0, now).unwrap_err()[0].field,
            "url",
            "online needs a link"
        );
        let it = item(
            r#"{"media_type":"cetak","outlet":"Harian X","title":"Kemensos","published":"2024-05-02","external_id":"kliping-7"}"#,
        );
        let raw = it.to_raw(0, now).unwrap();
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
            future.to_raw(0, now).unwrap_err()[0].message,
            "is in the future"
        );
    }
}
