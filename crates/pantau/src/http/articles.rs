//! `/api/v1/articles`: the list with highlighted explanations (`GET`), an
//! article's review history, the analyst's override (`PATCH …/{id}`) or
//! confirmation (`POST …/{id}/confirm`), and
//! the token check of the review mode.

use std::sync::Arc;

use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{NaiveDate, TimeZone, Utc};
use pantau_model::{Explanation, MatchedTerm, MediaType, Sentiment};
use pantau_store::{ArticleFilter, ArticleOrder};
use serde::{Deserialize, Serialize};

use super::auth::Principal;
use super::{entity, rfc3339, ApiError, ApiResult, Ctx};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ArticlesQuery {
    entity: Option<String>,
    sentiment: Option<String>,
    media_type: Option<String>,
    outlet: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
    /// `true`: the review queue, only what nobody has reviewed.
    unreviewed: Option<bool>,
    /// `newest` (default) or `negative`.
    order: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
    /// `id` (default): relevance reasons and modifiers in Indonesian; `en`.
    lang: Option<String>,
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

/// `GET /api/v1/articles?entity&sentiment&media_type&outlet&from&to&q&unreviewed&order&limit&offset&lang`.
pub(super) async fn list(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<ArticlesQuery>,
) -> ApiResult<Response> {
    let e = entity(&ctx, q.entity.as_deref())?;
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
    let order = nonempty(&q.order)
        .map(|o| {
            o.parse::<ArticleOrder>()
                .map_err(|e| errors.push(format!("order: {e}")))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let indonesian = match nonempty(&q.lang).unwrap_or("id") {
        "id" => true,
        "en" => false,
        other => {
            errors.push(format!("lang: {other:?} is not id or en"));
            true
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::BadParams(errors));
    }
    let filter = ArticleFilter {
        unreviewed: q.unreviewed.unwrap_or(false),
        order,
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
    let (total, rows) = ctx
        .store
        .article_page(&filter)
        .await
        .map_err(|e| ApiError::unavailable("article list", e))?;
    let items: Vec<_> = rows
        .iter()
        .map(|a| {
            let (text, _) = pantau_sentiment::compose(&a.title, &a.summary, &a.body);
            let mut explanation = Explanation::from_stored(&a.explanation).unwrap_or_default();
            if indonesian {
                for t in &mut explanation.terms {
                    for m in &mut t.modifiers {
                        *m = pantau_model::stored::modifier_in_indonesian(m).into();
                    }
                }
            }
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
                "relevance": if indonesian {
                    pantau_relevance::reason_in_indonesian(&a.relevance)
                } else {
                    a.relevance.clone()
                },
                "language": explanation.language,
                "scope": explanation.scope,
                "own_channel": a.own_channel,
                "override": a.override_by.as_ref().map(|by| serde_json::json!({
                    "by": by,
                    "confirmed": a.effective == a.classified,
                    "at": a.override_at_ms.and_then(rfc3339),
                    "reason": a.override_reason,
                })),
                "segments": segments,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "total": total.n,
        "total_capped": total.capped,
        "offset": filter.offset,
        "limit": filter.limit,
        "items": items,
    }))
    .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HistoryQuery {
    entity: Option<String>,
}

/// `GET /api/v1/articles/{id}/history?entity=`: the review audit, oldest first.
pub(super) async fn history(
    State(ctx): State<Arc<Ctx>>,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Response> {
    let entries = ctx
        .store
        .audit_history(&id)
        .await
        .map_err(|e| ApiError::unavailable("history", e))?;
    Ok(Json(
        entries
            .iter()
            .filter(|e| q.entity.as_ref().is_none_or(|x| *x == e.entity))
            .map(crate::review::entry_json)
            .collect::<Vec<_>>(),
    )
    .into_response())
}

/// `GET /api/v1/auth/check`: 204 when the bearer token (or session) may
/// review, 401 when it is wrong, 403 when its account may only read.
pub(super) async fn auth_check(
    State(ctx): State<Arc<Ctx>>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    match super::auth::principal(&ctx, &headers).await? {
        Some(p) if p.role().may(pantau_accounts::Action::Review) => Ok(StatusCode::NO_CONTENT),
        Some(p) => Err(ApiError::Forbidden(format!(
            "a {} may not review",
            p.role()
        ))),
        None => Err(ApiError::Unauthorized("no bearer token or session".into())),
    }
}

/// A change requested through the API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Change {
    /// The new sentiment.
    sentiment: String,
    /// Who decides: with the shared token only (an account's request
    /// records the account).
    #[serde(default)]
    by: Option<String>,
    /// Why.
    reason: String,
    /// The entity (default: the only configured one).
    #[serde(default)]
    entity: Option<String>,
}

/// Validates a change; every problem at once.
fn validate(
    state: &AppState,
    who: &Principal,
    c: &Change,
) -> Result<(Sentiment, Reviewed), Vec<String>> {
    let mut errs = Vec::new();
    let sentiment = c
        .sentiment
        .parse::<Sentiment>()
        .map_err(|e| errs.push(format!("sentiment: {e}")))
        .ok();
    let reviewed = validate_review(
        state,
        who,
        c.by.as_deref(),
        &c.reason,
        c.entity.as_deref(),
        &mut errs,
    );
    match (sentiment, reviewed) {
        (Some(s), Some(r)) if errs.is_empty() => Ok((s, r)),
        _ => Err(errs),
    }
}

/// Who reviews, and the entity.
#[derive(Debug)]
struct Reviewed {
    by: String,
    entity: String,
}

/// What every review names: who (the account, or with the shared token
/// the `by` given), why, and the entity (its id when known).
fn validate_review(
    state: &AppState,
    who: &Principal,
    by: Option<&str>,
    reason: &str,
    entity: Option<&str>,
    errs: &mut Vec<String>,
) -> Option<Reviewed> {
    let by = who.reviewer(by).map_err(|e| errs.push(e)).ok();
    if reason.trim().len() < 3 || reason.len() > 2000 {
        errs.push("reason: required (3–2000 characters): the audit trail says why".into());
    }
    let entity = match entity {
        Some(e) if state.config.entity(e).is_some() => Some(e.to_owned()),
        Some(e) => {
            errs.push(format!("entity: unknown {e:?}"));
            None
        }
        None if state.config.entities.len() == 1 => Some(state.config.entities[0].id.clone()),
        None => {
            errs.push("entity: required when several entities are monitored".into());
            None
        }
    };
    Some(Reviewed {
        by: by?,
        entity: entity?,
    })
}

/// `PATCH /api/v1/articles/{id}`: an analyst's override.
pub(super) async fn review(
    State(ctx): State<Arc<Ctx>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let state = &ctx.state;
    // Who sends it was checked before the body was read (`auth::writes`).
    let change: Change =
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid([format!("body: {e}")]))?;
    let (sentiment, Reviewed { by, entity }) =
        validate(state, &who, &change).map_err(ApiError::invalid)?;
    match ctx
        .store
        .set_override(
            &id,
            &entity,
            sentiment,
            &by,
            change.reason.trim(),
            Utc::now(),
        )
        .await
    {
        Ok(Some(entry)) => {
            if let Err(e) = crate::review::sync(state, &ctx.store).await {
                tracing::warn!(error = %e, "counters not updated yet; the next sync will");
            }
            tracing::info!(article = %id, entity = %entity, by = %entry.by, old = %entry.old, new = %entry.new, "override recorded");
            Ok(Json(crate::review::entry_json(&entry)).into_response())
        }
        Ok(None) => Err(ApiError::NotFound(format!(
            "no assessment of article {id} for entity {entity}"
        ))),
        Err(e @ pantau_store::StoreError::Unchanged(_)) => Err(ApiError::Conflict(e.to_string())),
        Err(e) => Err(ApiError::unavailable("override", e)),
    }
}

/// A confirmation requested through the API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Confirmation {
    /// Who confirms: with the shared token only.
    #[serde(default)]
    by: Option<String>,
    /// Why (default: the classifier was right).
    #[serde(default)]
    reason: Option<String>,
    /// The entity (default: the only configured one).
    #[serde(default)]
    entity: Option<String>,
}

/// `POST /api/v1/articles/{id}/confirm`: the analyst agrees with the
/// classifier; recorded like an override, so the article leaves the queue.
pub(super) async fn confirm(
    State(ctx): State<Arc<Ctx>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let state = &ctx.state;
    let c: Confirmation =
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid([format!("body: {e}")]))?;
    let reason = c
        .reason
        .clone()
        .unwrap_or_else(|| "dikonfirmasi: penilaian pengklasifikasi benar".into());
    let mut errs = Vec::new();
    let reviewed = validate_review(
        state,
        &who,
        c.by.as_deref(),
        &reason,
        c.entity.as_deref(),
        &mut errs,
    );
    let Reviewed { by, entity } = match reviewed {
        Some(r) if errs.is_empty() => r,
        _ => return Err(ApiError::invalid(errs)),
    };
    match ctx
        .store
        .confirm(&id, &entity, &by, reason.trim(), Utc::now())
        .await
    {
        Ok(Some(entry)) => {
            tracing::info!(article = %id, entity = %entity, by = %entry.by, sentiment = %entry.new, "confirmation recorded");
            Ok(Json(crate::review::entry_json(&entry)).into_response())
        }
        Ok(None) => Err(ApiError::NotFound(format!(
            "no assessment of article {id} for entity {entity}"
        ))),
        Err(e @ pantau_store::StoreError::AlreadyReviewed { .. }) => {
            Err(ApiError::Conflict(e.to_string()))
        }
        Err(e) => Err(ApiError::unavailable("confirmation", e)),
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
}
