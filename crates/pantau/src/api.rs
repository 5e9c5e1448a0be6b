//! The read API behind the web pages: entities, the overview (daily trend,
//! media types, feed health), the article list with highlighted
//! explanations, review history, report downloads and the survey form and
//! index. Writes (review, survey) live in `review.rs` and `survey.rs`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use pantau_config::EntityConfig;
use pantau_model::{Explanation, MatchedTerm, MediaType, Period, Sentiment};
use pantau_store::ArticleFilter;
use serde::{Deserialize, Serialize};

use crate::http::Ctx;
use crate::review::error;

fn unavailable(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what} failed");
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("{what} failed; see the logs"),
    )
}

fn rfc3339(ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339())
}

/// The entity named by `id`, or the only/first configured one.
fn entity<'a>(ctx: &'a Ctx, id: Option<&str>) -> Result<&'a EntityConfig, Box<Response>> {
    crate::report::entity(&ctx.state.config, id)
        .map_err(|e| Box::new(error(StatusCode::NOT_FOUND, format!("{e:#}"))))
}

/// `GET /api/v1/entities`.
pub async fn entities(State(ctx): State<Arc<Ctx>>) -> Response {
    let list: Vec<_> = ctx
        .state
        .config
        .entities
        .iter()
        .map(|e| {
            let year = Utc::now().with_timezone(&e.time_zone).year();
            serde_json::json!({"id": e.id, "name": e.name, "target_pct": e.target_pct(year)})
        })
        .collect();
    Json(list).into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OverviewQuery {
    entity: Option<String>,
    days: Option<u32>,
}

/// One day of the trend.
#[derive(Debug, Serialize, PartialEq)]
pub struct Day {
    date: NaiveDate,
    negative: u64,
    neutral: u64,
    positive: u64,
    denominator: u64,
    negative_pct: Option<f64>,
}

/// Daily counts of effective sentiment over the `days` local days ending
/// with `today`, every day present, oldest first. Pure: the web chart.
pub fn daily(
    rows: impl IntoIterator<Item = (NaiveDate, Sentiment)>,
    today: NaiveDate,
    days: u32,
    den: pantau_aggregate::Denominator,
) -> Vec<Day> {
    let first = today - Duration::days(i64::from(days.max(1)) - 1);
    let mut by: BTreeMap<NaiveDate, [u64; 3]> = first
        .iter_days()
        .take_while(|d| *d <= today)
        .map(|d| (d, [0; 3]))
        .collect();
    for (d, s) in rows {
        if let Some(c) = by.get_mut(&d) {
            c[match s {
                Sentiment::Negative => 0,
                Sentiment::Neutral => 1,
                Sentiment::Positive => 2,
            }] += 1;
        }
    }
    by.into_iter()
        .map(|(date, [negative, neutral, positive])| {
            let denominator = match den {
                pantau_aggregate::Denominator::All => negative + neutral + positive,
                pantau_aggregate::Denominator::Opinionated => negative + positive,
            };
            Day {
                date,
                negative,
                neutral,
                positive,
                denominator,
                negative_pct: (denominator > 0)
                    .then(|| negative as f64 * 100.0 / denominator as f64),
            }
        })
        .collect()
}

/// `GET /api/v1/overview?entity=&days=90`.
pub(crate) async fn overview(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<OverviewQuery>,
) -> Response {
    let e = match entity(&ctx, q.entity.as_deref()) {
        Ok(e) => e,
        Err(r) => return *r,
    };
    let days = q.days.unwrap_or(90).clamp(1, 731);
    let now = Utc::now();
    let today = now.with_timezone(&e.time_zone).date_naive();
    let first = today - Duration::days(i64::from(days) - 1);
    let from = e
        .time_zone
        .from_local_datetime(&first.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .map_or(now - Duration::days(i64::from(days)), |t| {
            t.with_timezone(&Utc)
        });
    let rows = match ctx
        .store
        .report_rows(
            &e.id,
            from.timestamp_millis(),
            now.timestamp_millis() + 86_400_000,
        )
        .await
    {
        Ok(r) => r,
        Err(e) => return unavailable("overview", e),
    };
    let tz = e.time_zone;
    let local_day =
        |ms: i64| DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&tz).date_naive());
    let trend = daily(
        rows.iter()
            .filter_map(|r| local_day(r.event_time_ms).map(|d| (d, r.effective))),
        today,
        days,
        crate::state::denominator(e),
    );
    let mut by_media: BTreeMap<MediaType, [u64; 3]> = BTreeMap::new();
    for r in &rows {
        let c = by_media.entry(r.media_type).or_default();
        c[match r.effective {
            Sentiment::Negative => 0,
            Sentiment::Neutral => 1,
            Sentiment::Positive => 2,
        }] += 1;
    }
    let by_media_type: Vec<_> = by_media
        .into_iter()
        .map(|(m, [neg, neu, pos])| {
            serde_json::json!({
                "media_type": m.as_str(), "label": m.label_id(),
                "negative": neg, "neutral": neu, "positive": pos, "total": neg + neu + pos,
            })
        })
        .collect();
    let states = match ctx.store.feed_states().await {
        Ok(s) => s,
        Err(e) => return unavailable("overview", e),
    };
    let feeds: Vec<_> = ctx
        .state
        .config
        .feeds
        .iter()
        .map(|f| {
            let s = states.iter().find(|s| s.feed_id == f.id);
            let failures = s.map_or(0, |s| s.consecutive_failures);
            serde_json::json!({
                "id": f.id,
                "outlet": f.outlet.as_deref().unwrap_or(&f.id),
                "media_type": f.media_type.as_str(),
                "last_fetch_at": s.and_then(|s| s.last_fetch_at).and_then(rfc3339),
                "last_success_at": s.and_then(|s| s.last_success_at).and_then(rfc3339),
                "last_error": s.and_then(|s| s.last_error.clone()),
                "consecutive_failures": failures,
                "items_seen": s.map_or(0, |s| s.items_seen),
                "failing": failures > 0,
            })
        })
        .collect();
    Json(serde_json::json!({
        "entity": e.id,
        "name": e.name,
        "target_pct": e.target_pct(today.year()),
        "days": days,
        "daily": trend,
        "by_media_type": by_media_type,
        "feeds": feeds,
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArticlesQuery {
    entity: Option<String>,
    sentiment: Option<String>,
    media_type: Option<String>,
    outlet: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// A piece of the scored text: plain, or a matched lexicon term.
#[derive(Debug, PartialEq)]
pub struct Segment<'a> {
    text: &'a str,
    term: Option<&'a MatchedTerm>,
}

impl Serialize for Segment<'_> {
    /// `{"text"}` for plain text; a term adds its lemma, weights and
    /// modifiers (its own `text` is the segment's).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("text", self.text)?;
        if let Some(t) = self.term {
            m.serialize_entry("lemma", &t.lemma)?;
            m.serialize_entry("weight", &t.weight)?;
            m.serialize_entry("effective", &t.effective)?;
            m.serialize_entry("modifiers", &t.modifiers)?;
        }
        m.end()
    }
}

/// Splits `text` into plain and matched segments for highlighting. Terms
/// whose recorded position does not hold their words (a text edited since,
/// an overlap) are left out rather than misplaced.
pub fn segments<'a>(text: &'a str, terms: &'a [MatchedTerm]) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    let mut at = 0;
    for t in terms {
        let end = t.position + t.text.len();
        let fits = t.position >= at
            && text.is_char_boundary(t.position)
            && end <= text.len()
            && text.is_char_boundary(end)
            && text[t.position..end].eq_ignore_ascii_case(&t.text);
        if !fits {
            continue;
        }
        if t.position > at {
            out.push(Segment {
                text: &text[at..t.position],
                term: None,
            });
        }
        out.push(Segment {
            text: &text[t.position..end],
            term: Some(t),
        });
        at = end;
    }
    if at < text.len() {
        out.push(Segment {
            text: &text[at..],
            term: None,
        });
    }
    out
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn local_midnight_ms(date: &str, tz: chrono_tz::Tz, field: &str) -> Result<i64, String> {
    let d: NaiveDate = date
        .parse()
        .map_err(|_| format!("{field}: {date:?} is not a date YYYY-MM-DD"))?;
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .map(|t| t.timestamp_millis())
        .ok_or_else(|| format!("{field}: {date:?} has no midnight in {tz}"))
}

/// `GET /api/v1/articles?entity&sentiment&media_type&outlet&from&to&q&limit&offset`.
pub(crate) async fn articles(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<ArticlesQuery>,
) -> Response {
    let e = match entity(&ctx, q.entity.as_deref()) {
        Ok(e) => e,
        Err(r) => return *r,
    };
    let mut errors = Vec::new();
    let sentiment = nonempty(&q.sentiment).and_then(|s| {
        s.parse::<Sentiment>()
            .map_err(|e| errors.push(format!("sentiment: {e}")))
            .ok()
    });
    let media_type = nonempty(&q.media_type).and_then(|s| {
        s.parse::<MediaType>()
            .map_err(|e| errors.push(format!("media_type: {e}")))
            .ok()
    });
    let from_ms = nonempty(&q.from).and_then(|d| {
        local_midnight_ms(d, e.time_zone, "from")
            .map_err(|e| errors.push(e))
            .ok()
    });
    // `to` is inclusive: the whole day.
    let to_ms = nonempty(&q.to).and_then(|d| {
        local_midnight_ms(d, e.time_zone, "to")
            .map(|ms| ms + 86_400_000)
            .map_err(|e| errors.push(e))
            .ok()
    });
    if !errors.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "errors": errors })),
        )
            .into_response();
    }
    let filter = ArticleFilter {
        entity: Some(e.id.clone()),
        sentiment,
        media_type,
        outlet: nonempty(&q.outlet).map(str::to_owned),
        from_ms,
        to_ms,
        text: nonempty(&q.q).map(str::to_owned),
        limit: q.limit.unwrap_or(50).clamp(1, 200),
        offset: q.offset.unwrap_or(0).max(0),
    };
    let (total, rows) = match ctx.store.article_page(&filter).await {
        Ok(p) => p,
        Err(e) => return unavailable("article list", e),
    };
    let items: Vec<_> = rows
        .iter()
        .map(|a| {
            let explanation: Explanation = serde_json::from_str(&a.explanation).unwrap_or_default();
            let (text, _) = pantau_sentiment::compose(&a.title, &a.summary, &a.body);
            let segments =
                serde_json::to_value(segments(&text, &explanation.terms)).unwrap_or_default();
            serde_json::json!({
                "id": a.article_id,
                "entity": a.entity,
                "title": a.title,
                "outlet": a.outlet,
                "url": a.url,
                "media_type": a.media_type.as_str(),
                "media_label": a.media_type.label_id(),
                "event_time": rfc3339(a.event_time_ms),
                "classified": a.classified,
                "effective": a.effective,
                "score": a.score,
                "relevance": a.relevance,
                "language": explanation.language,
                "scope": explanation.scope,
                "override": a.override_by.as_ref().map(|by| serde_json::json!({
                    "by": by,
                    "at": a.override_at_ms.and_then(rfc3339),
                    "reason": a.override_reason,
                })),
                "segments": segments,
            })
        })
        .collect();
    Json(serde_json::json!({
        "total": total,
        "offset": filter.offset,
        "limit": filter.limit,
        "items": items,
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HistoryQuery {
    entity: Option<String>,
}

/// `GET /api/v1/articles/{id}/history?entity=`: the review audit, oldest first.
pub(crate) async fn history(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> Response {
    match ctx.store.audit_history(&id).await {
        Ok(entries) => Json(
            entries
                .iter()
                .filter(|e| q.entity.as_ref().is_none_or(|x| *x == e.entity))
                .map(crate::review::entry_json)
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => unavailable("history", e),
    }
}

/// `GET /api/v1/auth/check`: 204 when the bearer token is the review token.
pub async fn auth_check(State(ctx): State<Arc<Ctx>>, headers: HeaderMap) -> Response {
    match crate::review::authorised(&ctx.state, &headers) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(r) => *r,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportQuery {
    entity: Option<String>,
    period: String,
    format: Option<String>,
    lang: Option<String>,
}

/// `GET /api/v1/report?entity&period&format=json|csv|md&lang=id|en`.
pub(crate) async fn report(State(ctx): State<Arc<Ctx>>, Query(q): Query<ReportQuery>) -> Response {
    use crate::report::{Format, Lang};
    let period: Period = match q.period.parse() {
        Ok(p) => p,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("period: {e}")),
    };
    let (format, content_type, ext) = match q.format.as_deref().unwrap_or("json") {
        "json" => (Format::Json, "application/json", "json"),
        "csv" => (Format::Csv, "text/csv; charset=utf-8", "csv"),
        "md" | "markdown" => (Format::Markdown, "text/markdown; charset=utf-8", "md"),
        other => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("format: {other:?} is not json, csv or md"),
            )
        }
    };
    let lang = match q.lang.as_deref().unwrap_or("id") {
        "id" => Lang::Id,
        "en" => Lang::En,
        other => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("lang: {other:?} is not id or en"),
            )
        }
    };
    let e = match entity(&ctx, q.entity.as_deref()) {
        Ok(e) => e,
        Err(r) => return *r,
    };
    let r = match crate::report::compute(&ctx.store, e, &period, 10).await {
        Ok(r) => r,
        Err(e) => return unavailable("report", format!("{e:#}")),
    };
    let body = crate::report::render(&r, format, lang);
    let mut headers = vec![(header::CONTENT_TYPE, content_type.to_owned())];
    if format != Format::Json {
        headers.push((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"pantau-{}-{}.{ext}\"", e.id, period),
        ));
    }
    let mut resp = body.into_response();
    for (k, v) in headers {
        if let Ok(v) = v.parse() {
            resp.headers_mut().insert(k, v);
        }
    }
    resp
}

/// The questions of the SKM questionnaire (PermenPAN-RB 14/2017, annex),
/// each with its four answers from 1 (worst) to 4 (best), in `ELEMENTS` order.
const QUESTIONS: [(&str, [&str; 4]); 9] = [
    (
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    ),
    (
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
    ),
    (
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
    ),
    (
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
    ),
    (
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    ),
    (
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
    ),
    (
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"],
    ),
    (
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"],
    ),
    (
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ["Buruk", "Cukup", "Baik", "Sangat baik"],
    ),
];

/// `GET /api/v1/survey/form`: what the public form asks.
pub async fn survey_form(State(ctx): State<Arc<Ctx>>) -> Response {
    let units: Vec<_> = ctx
        .state
        .config
        .survey
        .units
        .iter()
        .map(|u| serde_json::json!({"id": u.id, "name": u.name}))
        .collect();
    let questions: Vec<_> = pantau_survey::ELEMENTS
        .iter()
        .zip(QUESTIONS)
        .map(|((code, element), (text, options))| {
            serde_json::json!({"code": code, "element": element, "text": text, "options": options})
        })
        .collect();
    Json(serde_json::json!({
        "units": units,
        "questions": questions,
        "genders": ["Laki-laki", "Perempuan"],
        "educations": ["SD", "SMP", "SMA", "D1-D3-D4", "S1", "S2", "S3"],
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IkmQuery {
    unit: Option<String>,
    period: Option<String>,
}

/// `GET /api/v1/survey/ikm?unit&period`: the index per unit (this year by
/// default).
pub(crate) async fn survey_ikm(State(ctx): State<Arc<Ctx>>, Query(q): Query<IkmQuery>) -> Response {
    let period: Period = match q.period.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => match p.parse() {
            Ok(p) => p,
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("period: {e}")),
        },
        None => Period::Year(Utc::now().with_timezone(&chrono_tz::Asia::Jakarta).year()),
    };
    let unit = q.unit.as_deref().filter(|u| !u.is_empty());
    match crate::survey::report(
        &ctx.store,
        &ctx.state.config,
        period,
        unit,
        pantau_survey::Weight::Exact,
    )
    .await
    {
        Ok(r) => Json(r).into_response(),
        // No responses or an unknown unit: the caller's question, not a fault.
        Err(e) => error(StatusCode::NOT_FOUND, format!("{e:#}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, position: usize, weight: f32) -> MatchedTerm {
        MatchedTerm {
            text: text.into(),
            lemma: text.to_lowercase().into(),
            weight,
            effective: weight,
            position,
            modifiers: vec![],
        }
    }

    #[test]
    fn segments_cover_the_text_and_mark_terms() {
        let text = "Bansos salah sasaran\nWarga kecewa, bantuan tersalurkan";
        let terms = [
            term("salah sasaran", 7, -2.5),
            term("kecewa", 27, -2.0),
            term("tersalurkan", 43, 1.5),
        ];
        let segs = segments(text, &terms);
        let joined: String = segs.iter().map(|s| s.text).collect();
        assert_eq!(joined, text);
        let marked: Vec<_> = segs
            .iter()
            .filter(|s| s.term.is_some())
            .map(|s| s.text)
            .collect();
        assert_eq!(marked, ["salah sasaran", "kecewa", "tersalurkan"]);
        let json = serde_json::to_value(&segs).unwrap();
        assert_eq!(json[0], serde_json::json!({"text": "Bansos "}));
        assert_eq!(json[1]["text"], "salah sasaran");
        assert_eq!(json[1]["weight"], -2.5);
        assert!(
            serde_json::to_string(&segs[1])
                .unwrap()
                .matches("\"text\"")
                .count()
                == 1
        );
    }

    #[test]
    fn segments_skip_misplaced_overlapping_and_out_of_range_terms() {
        let text = "Hari ini cerah";
        let terms = [
            term("cerah", 3, 1.0),    // the words are not at that position
            term("ini", 5, 0.0),      // fine
            term("hari ini", 0, 1.0), // overlaps the previous: skipped
            term("cerah", 40, 1.0),   // past the end
        ];
        let segs = segments(text, &terms);
        assert_eq!(segs.iter().map(|s| s.text).collect::<String>(), text);
        assert_eq!(segs.iter().filter(|s| s.term.is_some()).count(), 1);
        // A position inside a multi-byte character is not a boundary.
        let t = [term("é", 1, 1.0)];
        assert!(segments("é", &t).iter().all(|s| s.term.is_none()));
    }

    #[test]
    fn daily_has_every_day_and_counts_by_local_date() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        let rows = [
            (d(1), Sentiment::Negative),
            (d(1), Sentiment::Neutral),
            (d(3), Sentiment::Positive),
            (d(3), Sentiment::Negative),
            (d(3), Sentiment::Neutral),
            (
                NaiveDate::from_ymd_opt(2026, 2, 27).unwrap(),
                Sentiment::Negative,
            ), // before
        ];
        let all = daily(rows, today, 3, pantau_aggregate::Denominator::All);
        assert_eq!(
            all.iter().map(|x| x.date).collect::<Vec<_>>(),
            [d(1), d(2), d(3)]
        );
        assert_eq!(all[0].negative_pct, Some(50.0));
        assert_eq!(all[1].negative_pct, None);
        assert_eq!((all[2].negative, all[2].denominator), (1, 3));
        let op = daily(rows, today, 3, pantau_aggregate::Denominator::Opinionated);
        assert_eq!(op[0].negative_pct, Some(100.0));
        assert_eq!(op[2].negative_pct, Some(50.0));
    }
}
