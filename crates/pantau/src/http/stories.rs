//! `GET /api/v1/stories` and `GET /api/v1/issues`: a period's stories
//! (syndicated copies grouped) and issues (stories about one matter),
//! each issue with its points of the negative percentage.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pantau_model::Period;
use serde::Deserialize;

use super::{entity, ApiError, ApiResult, Ctx};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StoriesQuery {
    entity: Option<String>,
    /// `2026`, `2026-Q4`, `2026-11`, `FROM..TO`; default this month.
    period: Option<String>,
    /// Stories: only those of this issue.
    issue: Option<String>,
}

fn period_of(q: &StoriesQuery, tz: chrono_tz::Tz) -> ApiResult<Period> {
    match &q.period {
        Some(p) => p
            .parse()
            .map_err(|e| ApiError::BadRequest(format!("period: {e}"))),
        None => {
            use chrono::Datelike;
            let t = chrono::Utc::now().with_timezone(&tz);
            Ok(Period::Month(t.year(), t.month()))
        }
    }
}

/// `GET /api/v1/stories?entity&period&issue`: a list of `{id, title,
/// articles, outlets, sentiment, issue, …}`, most copies first.
pub(super) async fn stories(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<StoriesQuery>,
) -> ApiResult<Response> {
    let e = entity(&ctx, q.entity.as_deref())?;
    let period = period_of(&q, e.time_zone)?;
    let (mut list, _) = crate::stories::view::compute(&ctx.store, e, &period)
        .await
        .map_err(|e| ApiError::unavailable("stories", format!("{e:#}")))?;
    if let Some(issue) = &q.issue {
        list.retain(|s| s.issue.as_deref() == Some(issue.as_str()));
    }
    Ok(Json(list).into_response())
}

/// `GET /api/v1/issues?entity&period`: the issues ranked by negative
/// articles, with the attribution.
pub(super) async fn issues(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<StoriesQuery>,
) -> ApiResult<Response> {
    if q.issue.is_some() {
        return Err(ApiError::BadRequest(
            "issue: only /api/v1/stories takes it".into(),
        ));
    }
    let e = entity(&ctx, q.entity.as_deref())?;
    let period = period_of(&q, e.time_zone)?;
    let (_, report) = crate::stories::view::compute(&ctx.store, e, &period)
        .await
        .map_err(|e| ApiError::unavailable("issues", format!("{e:#}")))?;
    Ok(Json(report).into_response())
}
