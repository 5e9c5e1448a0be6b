//! `GET /api/v1/outlook`: early warning for the Ringkasan page — the
//! projected close of the month, quarter and year, the budget, and the
//! spikes with the articles behind them (as `pantau outlook --format json`).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{entity, ApiError, ApiResult, Ctx};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OutlookQuery {
    entity: Option<String>,
    /// As of this moment (RFC 3339); default now.
    at: Option<String>,
}

/// `GET /api/v1/outlook?entity=&at=`.
pub(super) async fn outlook(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<OutlookQuery>,
) -> ApiResult<Response> {
    let e = entity(&ctx, q.entity.as_deref())?;
    let at = match &q.at {
        None => Utc::now(),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map_err(|_| ApiError::BadRequest(format!("at {s:?}: expected an RFC 3339 time")))?
            .with_timezone(&Utc),
    };
    let o = crate::outlook::compute(&ctx.store, e, at)
        .await
        .map_err(|e| ApiError::unavailable("outlook", format!("{e:#}")))?;
    Ok(Json(o).into_response())
}
