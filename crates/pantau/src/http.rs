//! The HTTP server: `/metrics`, `/healthz`, `/readyz`, `/api/v1/kpi`.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;

use crate::pipeline::Shutdown;
use crate::state::AppState;

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/api/v1/kpi", get(kpi))
        .with_state(state)
}

/// Serves until shutdown.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    mut shutdown: Shutdown,
) {
    let app = router(state);
    let result = axum::serve(listener, app)
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

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
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

async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.is_ready() {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
    }
}

#[derive(Debug, Deserialize)]
struct KpiQuery {
    entity: Option<String>,
}

async fn kpi(State(state): State<Arc<AppState>>, Query(q): Query<KpiQuery>) -> Response {
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
