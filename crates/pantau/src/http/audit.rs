//! `GET /api/v1/audit` (a period's review sample, with what it says so
//! far) and `PUT /api/v1/audit/{id}` (a reviewer's verdict): the Artikel
//! page's Audit mode.

use std::sync::Arc;

use axum::extract::{Extension, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use pantau_aggregate::{period_bounds, Denominator};
use pantau_audit::Verdict;
use serde::Deserialize;

use super::auth::Principal;
use super::{entity, ApiError, ApiResult, Ctx};
use crate::state::denominator;

#[derive(Debug, Deserialize)]
pub(super) struct SampleQuery {
    entity: Option<String>,
    /// The sample's period (`2026-11`, …).
    period: String,
}

/// `GET /api/v1/audit?entity&period`: the sample in review order and the
/// period's audited estimate so far (`null` without a sample).
pub(super) async fn sample(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<SampleQuery>,
) -> ApiResult<Response> {
    let period: pantau_model::Period = q
        .period
        .parse()
        .map_err(|e| ApiError::BadRequest(format!("{e}")))?;
    let e = entity(&ctx, q.entity.as_deref())?;
    let items = crate::audit::sample(&ctx.store, e, &period.to_string(), &[])
        .await
        .map_err(|err| ApiError::unavailable("audit sample", format!("{err:#}")))?;
    let (from, to) = period_bounds(&period, e.time_zone);
    let input = crate::audit::input(&ctx.store, e, from, to)
        .await
        .map_err(|err| ApiError::unavailable("audit sample", format!("{err:#}")))?;
    let summary = pantau_report::audit_summary(
        &input,
        denominator(e) == Denominator::Opinionated,
        e.target_pct(period.target_year()),
    );
    Ok(Json(serde_json::json!({
        "entity": e.id,
        "period": period.to_string(),
        "reviewed": items.iter().filter(|i| i.verdict.is_some()).count(),
        "items": items,
        "audit": summary,
    }))
    .into_response())
}

/// A verdict sent by the Audit mode.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VerdictBody {
    /// `negative`, `neutral`, `positive` or `not_relevant`.
    verdict: String,
    /// Who reviewed: with the shared token only.
    #[serde(default)]
    by: Option<String>,
    /// Why (optional).
    #[serde(default)]
    reason: String,
    /// The entity (default: the only configured one).
    #[serde(default)]
    entity: Option<String>,
}

/// `PUT /api/v1/audit/{id}`: records a verdict on a sampled article; a
/// tone that differs from the article's also overrides it, and the
/// running counters take the override at once.
pub(super) async fn record(
    State(ctx): State<Arc<Ctx>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    // Who sends it was checked before the body was read (`auth::writes`).
    let b: VerdictBody =
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid([format!("body: {e}")]))?;
    let mut errs = Vec::new();
    let verdict = b
        .verdict
        .parse::<Verdict>()
        .map_err(|e| errs.push(format!("verdict: {e}")))
        .ok();
    let by = who
        .reviewer(b.by.as_deref())
        .map_err(|e| errs.push(e))
        .unwrap_or_default();
    if b.reason.len() > 2000 {
        errs.push("reason: at most 2000 characters".into());
    }
    let e = entity(&ctx, b.entity.as_deref());
    let (Some(verdict), Ok(e), true) = (verdict, &e, errs.is_empty()) else {
        if let Err(ApiError::NotFound(m)) = e {
            errs.push(format!("entity: {m}"));
        }
        return Err(ApiError::invalid(errs));
    };
    let recorded = ctx
        .store
        .record_verdict(&id, &e.id, verdict, &by, b.reason.trim(), Utc::now())
        .await
        .map_err(|err| ApiError::unavailable("verdict", err))?
        .ok_or_else(|| {
            ApiError::NotFound(format!("article {id} is in no audit sample of {}", e.id))
        })?;
    if recorded.overridden.is_some() {
        if let Err(err) = crate::review::sync(&ctx.state, &ctx.store).await {
            tracing::warn!(error = %err, "counters not updated yet; the next sync will");
        }
    }
    tracing::info!(article = %id, entity = %e.id, by = %by, %verdict, "audit verdict recorded");
    Ok(Json(serde_json::json!({
        "article_id": id,
        "period": recorded.period,
        "verdict": verdict,
        "previous": recorded.previous,
        "overridden": recorded.overridden.map(|o| crate::review::entry_json(&o)),
    }))
    .into_response())
}
