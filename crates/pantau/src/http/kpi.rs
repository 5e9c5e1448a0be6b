//! `GET /api/v1/kpi` (the running windows, or the report of a period) and
//! `GET /api/v1/entities`.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, Utc};
use serde::Deserialize;

use super::{entity, ApiError, ApiResult, Ctx};

#[derive(Debug, Deserialize)]
pub(super) struct KpiQuery {
    entity: Option<String>,
    /// A report period (`2023`, `2023-Q2`, `2023-05`, `FROM..TO`): the same
    /// report as `pantau report`; without it, the running windows.
    period: Option<String>,
}

/// `GET /api/v1/kpi?entity&period`.
pub(super) async fn kpi(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<KpiQuery>,
) -> ApiResult<Response> {
    let state = &ctx.state;
    if let Some(p) = &q.period {
        let period: pantau_model::Period = p
            .parse()
            .map_err(|e| ApiError::BadRequest(format!("{e}")))?;
        let e = entity(&ctx, q.entity.as_deref())?;
        let r = crate::report::compute(&ctx.store, e, &period, 10)
            .await
            .map_err(|e| ApiError::unavailable("report", format!("{e:#}")))?;
        return Ok(Json(r).into_response());
    }
    let mut all = state.kpi(Utc::now());
    if let Some(e) = &q.entity {
        all.retain(|k| &k.entity == e);
        if all.is_empty() {
            return Err(ApiError::NotFound(format!(
                "unknown entity {e:?}; configured: {}",
                state.config.entity_ids()
            )));
        }
    }
    Ok(Json(all).into_response())
}

/// `GET /api/v1/entities`.
pub(super) async fn entities(State(ctx): State<Arc<Ctx>>) -> Response {
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
