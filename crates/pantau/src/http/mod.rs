//! The HTTP server: the web pages, `/metrics`, `/healthz`, `/readyz`, and
//! the API under `/api/v1`. One error type ([`ApiError`]) answers every
//! refusal; one file per resource.
//!
//! # Layout
//!
//! - [`error`]: [`ApiError`], the one JSON error shape; [`auth`]: who is
//!   asking (session cookie, an account's token, the shared token) and the
//!   gates of writes and private reads; `session` (sign-in and out);
//!   `client` (the client's address behind trusted proxies).
//! - `ops`: metrics and health, served by every process.
//! - `kpi` (`/api/v1/kpi`, `/api/v1/entities`), `overview`, `outlook`
//!   (projected closes, budget, spikes), `stories` (`/api/v1/stories`,
//!   `/api/v1/issues`), `articles`
//!   (list, history, review), `audit` (a period's review sample, verdicts),
//!   `push` (`POST /api/v1/articles`), `report`,
//!   `survey` (form, index, public submissions), `web` (the pages).
//! - [`router`]: everything, on `http.listen`; [`public_router`]: the
//!   survey alone, on `http.public_listen`.

pub mod auth;
pub mod error;

mod articles;
mod audit;
mod client;
mod kpi;
mod limits;
mod ops;
mod outlook;
mod overview;
mod push;
mod report;
mod session;
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
    /// Per-client limit on sign-in attempts.
    pub sign_in_limiter: RateLimiter,
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
/// `Retry-After`, never queued) and a time budget; writes check who sends
/// them before their body is read; pages and reads are private when
/// sign-in is required (`http.require_login`), the survey form never.
pub fn router(ctx: Arc<Ctx>) -> Router {
    let config = &ctx.state.config;
    let push_limit = config.http.max_push_bytes;
    let mut pages = Router::new();
    for (path, file) in web::PAGES {
        pages = pages.route(path, get(web::page(file)));
    }
    let heavy = Router::new()
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
    let private = pages
        .merge(heavy)
        .route("/api/v1/entities", get(kpi::entities))
        .route_layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            auth::reads,
        ));
    let writes = Router::new()
        .route(
            "/api/v1/articles",
            post(push::post).layer(DefaultBodyLimit::max(push_limit)),
        )
        .route("/api/v1/articles/{id}", patch(articles::review))
        .route("/api/v1/articles/{id}/confirm", post(articles::confirm))
        .route("/api/v1/audit/{id}", put(audit::record))
        .route("/api/v1/issues/{id}", patch(stories::edit_issue))
        .route("/api/v1/stories/{id}/issue", put(stories::move_story))
        .route_layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            auth::writes,
        ));
    survey_routes(&ctx)
        .route("/masuk", get(web::page("masuk.html")))
        .route(
            "/api/v1/session",
            get(session::current)
                .post(session::sign_in)
                .delete(session::sign_out)
                .layer(DefaultBodyLimit::max(4096)),
        )
        .route("/api/v1/auth/check", get(articles::auth_check))
        .merge(private)
        .merge(writes)
        .with_state(ctx.clone())
        .merge(ops_router(ctx.state.clone()))
}

/// What anyone may use: the survey's page, its form and its submissions,
/// and the assets.
fn survey_routes(ctx: &Ctx) -> Router<Arc<Ctx>> {
    Router::new()
        .route("/survei", get(web::page("survei.html")))
        .route("/assets/{name}", get(web::asset))
        .route("/api/v1/survey/form", get(survey::form))
        .route(
            "/api/v1/survey/responses",
            post(survey::submit).layer(DefaultBodyLimit::max(
                ctx.state.config.survey.max_body_bytes,
            )),
        )
}

/// The public survey alone (`http.public_listen`): the form at `/` and
/// `/survei`; nothing of the staff's pages, API or metrics.
pub fn public_router(ctx: Arc<Ctx>) -> Router {
    survey_routes(&ctx)
        .route("/", get(web::page("survei.html")))
        .fallback(|| async {
            (
                axum::http::StatusCode::NOT_FOUND,
                "Tidak ditemukan. Alamat ini hanya melayani Survei Kepuasan Masyarakat: /survei\n",
            )
        })
        .with_state(ctx)
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

pub(crate) fn rfc3339(ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339())
}
