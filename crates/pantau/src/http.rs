//! The HTTP server: the web pages, `/metrics`, `/healthz`, `/readyz`, and
//! the API under `/api/v1` (KPI, overview, articles and review, report,
//! survey).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use chrono::Utc;
use pantau_store::Store;
use serde::Deserialize;

use crate::pipeline::Shutdown;
use crate::state::AppState;
use crate::survey::RateLimiter;

/// What the handlers share.
#[derive(Debug)]
pub struct Ctx {
    /// Counters, metrics, config.
    pub state: Arc<AppState>,
    /// The store (survey submissions).
    pub store: Store,
    /// Per-client limit on public submissions.
    pub limiter: RateLimiter,
    /// Where pushed articles go (the embedded pipeline).
    pub push: Option<crate::push::PushCtx>,
}

/// The routes.
pub fn router(ctx: Arc<Ctx>) -> Router {
    let survey_limit = ctx.state.config.survey.max_body_bytes;
    let push_limit = ctx.state.config.http.max_push_bytes;
    let mut router = Router::new();
    for (path, file) in crate::web::PAGES {
        router = router.route(path, get(crate::web::page(file)));
    }
    router
        .route("/assets/{name}", get(crate::web::asset))
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/api/v1/kpi", get(kpi))
        .route("/api/v1/entities", get(crate::api::entities))
        .route("/api/v1/overview", get(crate::api::overview))
        .route("/api/v1/report", get(crate::api::report))
        .route("/api/v1/auth/check", get(crate::api::auth_check))
        .route("/api/v1/articles/{id}", patch(crate::review::patch))
        .route("/api/v1/articles/{id}/history", get(crate::api::history))
        .route(
            "/api/v1/articles",
            post(crate::push::post)
                .layer(DefaultBodyLimit::max(push_limit))
                .get(crate::api::articles),
        )
        .route("/api/v1/survey/form", get(crate::api::survey_form))
        .route("/api/v1/survey/ikm", get(crate::api::survey_ikm))
        .route(
            "/api/v1/survey/responses",
            post(crate::survey::submit).layer(DefaultBodyLimit::max(survey_limit)),
        )
        .with_state(ctx)
}

/// Serves until shutdown.
pub async fn serve(listener: tokio::net::TcpListener, ctx: Arc<Ctx>, mut shutdown: Shutdown) {
    let app = router(ctx);
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        while !*shutdown.borrow() {
            if shutdown.changed().await.is_err() {
                break;
            }
        }
    })
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "http server failed");
    }
}

async fn metrics(State(ctx): State<Arc<Ctx>>) -> Response {
    let state = &ctx.state;
    let body = state.metrics.encode(state.metric_families(Utc::now()));
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

async fn readyz(State(ctx): State<Arc<Ctx>>) -> Response {
    if ctx.state.is_ready() {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
    }
}

#[derive(Debug, Deserialize)]
struct KpiQuery {
    entity: Option<String>,
    /// A report period (`2023`, `2023-Q2`, `2023-05`, `FROM..TO`): the same
    /// report as `pantau report`; without it, the running windows.
    period: Option<String>,
}

async fn kpi(State(ctx): State<Arc<Ctx>>, Query(q): Query<KpiQuery>) -> Response {
    let state = &ctx.state;
    if let Some(p) = &q.period {
        let period: pantau_model::Period = match p.parse() {
            Ok(p) => p,
            Err(e) => {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(serde_json::json!({"error": e.to_string()})),
                )
                    .into_response()
            }
        };
        let entity = match crate::report::entity(&state.config, q.entity.as_deref()) {
            Ok(e) => e,
            Err(e) => {
                return (
                    StatusCode::NOT_FOUND,
                    Json(serde_json::json!({"error": format!("{e:#}")})),
                )
                    .into_response()
            }
        };
        return match crate::report::compute(&ctx.store, entity, &period, 10).await {
            Ok(r) => Json(r).into_response(),
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "report failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(serde_json::json!({"error": "report failed; see the logs"})),
                )
                    .into_response()
            }
        };
    }
    let mut all = state.kpi(Utc::now());
    if let Some(e) = &q.entity {
        all.retain(|k| &k.entity == e);
        if all.is_empty() {
            let known: Vec<_> = state
                .config
                .entities
                .iter()
                .map(|e| e.id.as_str())
                .collect();
            return (
                StatusCode::NOT_FOUND,
                Json(serde_json::json!({
                    "error": format!("unknown entity {e:?}"),
                    "entities": known,
                })),
            )
                .into_response();
        }
    }
    Json(all).into_response()
}
