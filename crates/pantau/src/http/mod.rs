//! The HTTP server: the web pages, `/metrics`, `/healthz`, `/readyz`, and
//! the API under `/api/v1`. One error type ([`ApiError`]) answers every
//! refusal; one file per resource.
//!
//! # Layout
//!
//! - [`error`]: [`ApiError`], the one JSON error shape; [`auth`]: the
//!   bearer token of writes.
//! - `ops`: metrics and health, served by every process.
//! - `kpi` (`/api/v1/kpi`, `/api/v1/entities`), `overview`, `outlook`
//!   (projected closes, budget, spikes), `stories` (`/api/v1/stories`,
//!   `/api/v1/issues`), `articles`
//!   (list, history, review), `audit` (a period's review sample, verdicts),
//!   `push` (`POST /api/v1/articles`), `report`,
//!   `survey` (form, index, public submissions), `web` (the pages).

pub mod auth;
pub mod error;

mod articles;
mod audit;
mod kpi;
mod limits;
mod ops;
mod outlook;
mod overview;
mod push;
mod report;
mod stories;
mod survey;
mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use axum::Router;
use chrono::DateTime;
use pantau_config::EntityConfig;
use pantau_store::Store;

pub use error::{ApiError, ApiResult};
pub use survey::RateLimiter;

use crate::shutdown::{stopped, Shutdown};
use crate::sources::push::PushCtx;
use crate::state::AppState;

/// What the API handlers share.
#[derive(Debug)]
pub struct Ctx {
    /// Counters, metrics, config.
    pub state: Arc<AppState>,
    /// The store.
    pub store: Store,
    /// Per-client limit on public submissions.
    pub limiter: RateLimiter,
    /// Where pushed articles go (the embedded pipeline only).
    pub push: Option<PushCtx>,
}

/// Metrics and health only: what a process without a store serves (the
/// classify service).
pub fn ops_router(state: Arc<AppState>) -> Router {
    ops::routes().with_state(state)
}

/// Every route: the pages, the API, metrics and health. Heavy reads share
/// a small concurrency limit (one more is refused at once with 503 and
/// `Retry-After`, never queued) and a time budget; writes check their token
/// before their body is read.
pub fn router(ctx: Arc<Ctx>) -> Router {
    let config = &ctx.state.config;
    let survey_limit = config.survey.max_body_bytes;
    let push_limit = config.http.max_push_bytes;
    let mut pages = Router::new();
    for (path, file) in web::PAGES {
        pages = pages.route(path, get(web::page(file)));
    }
    let reads = Router::new()
        .route("/api/v1/kpi", get(kpi::kpi))
        .route("/api/v1/overview", get(overview::overview))
        .route("/api/v1/outlook", get(outlook::outlook))
        .route("/api/v1/stories", get(stories::stories))
        .route("/api/v1/issues", get(stories::issues))
        .route("/api/v1/report", get(report::report))
        .route("/api/v1/articles", get(articles::list))
        .route("/api/v1/articles/{id}/history", get(articles::history))
        .route("/api/v1/audit", get(audit::sample))
        .route("/api/v1/survey/ikm", get(survey::ikm))
        .layer(limits::reads(
            config.http.read_concurrency,
            config.http.read_timeout,
        ));
    let writes = Router::new()
        .route(
            "/api/v1/articles",
            post(push::post).layer(DefaultBodyLimit::max(push_limit)),
        )
        .route("/api/v1/articles/{id}", patch(articles::review))
        .route("/api/v1/articles/{id}/confirm", post(articles::confirm))
        .route("/api/v1/audit/{id}", put(audit::record))
        .route_layer(axum::middleware::from_fn_with_state(
            ctx.state.clone(),
            limits::token_first,
        ));
    pages
        .route("/assets/{name}", get(web::asset))
        .route("/api/v1/entities", get(kpi::entities))
        .route("/api/v1/auth/check", get(articles::auth_check))
        .route("/api/v1/survey/form", get(survey::form))
        .route(
            "/api/v1/survey/responses",
            post(survey::submit).layer(DefaultBodyLimit::max(survey_limit)),
        )
        .merge(reads)
        .merge(writes)
        .with_state(ctx.clone())
        .merge(ops_router(ctx.state.clone()))
}

/// Serves `app` until shutdown.
pub async fn serve(listener: tokio::net::TcpListener, app: Router, mut shutdown: Shutdown) {
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move { stopped(&mut shutdown).await })
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "http server failed");
    }
}

/// The entity named by `id`, or the only configured one.
fn entity<'a>(ctx: &'a Ctx, id: Option<&str>) -> ApiResult<&'a EntityConfig> {
    ctx.state
        .config
        .entity_or_only(id)
        .map_err(ApiError::NotFound)
}

/// Counts (and logs) a refused request.
fn rejected(state: &AppState, stage: &str, error_type: &str, count: u64) {
    use pantau_metrics::events::{InputRejected, InternalEvent};
    InputRejected {
        stage,
        error_type,
        count,
        detail: "refused over HTTP",
    }
    .emit(&state.metrics);
}

fn rfc3339(ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339())
}
