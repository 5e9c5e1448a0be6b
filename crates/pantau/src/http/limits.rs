//! What keeps the API from starving the pipeline: a concurrency limit and
//! a time budget on heavy reads. (Writes are refused for who sends them
//! before their body is read: `auth::writes`.)

use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower::timeout::TimeoutLayer;
use tower::ServiceBuilder;

use super::ApiError;

/// Seconds a refused read is told to wait.
const RETRY_AFTER_SECS: u64 = 2;

/// The layers of the heavy reads: at most `concurrency` at once (the next
/// is refused at once, 503 with `Retry-After`), each cancelled after
/// `timeout` (503). A cancelled read's query is dropped with it.
pub(super) fn reads(
    concurrency: usize,
    timeout: Duration,
) -> impl tower::Layer<
    axum::routing::Route,
    Service: tower::Service<
        Request,
        Response = Response,
        Error = std::convert::Infallible,
        Future: Send + 'static,
    > + Clone
                 + Send
                 + Sync
                 + 'static,
> + Clone
       + Send
       + Sync
       + 'static {
    ServiceBuilder::new()
        .layer(HandleErrorLayer::new(
            move |e: tower::BoxError| async move { refusal(&e, timeout).into_response() },
        ))
        .layer(LoadShedLayer::new())
        .layer(GlobalConcurrencyLimitLayer::new(concurrency))
        .layer(TimeoutLayer::new(timeout))
}

fn refusal(e: &tower::BoxError, timeout: Duration) -> ApiError {
    if e.is::<tower::timeout::error::Elapsed>() {
        ApiError::Unavailable(format!(
            "the read took longer than {}: narrow it (a shorter period) or try again later",
            humantime::format_duration(timeout)
        ))
    } else if e.is::<tower::load_shed::error::Overloaded>() {
        ApiError::Busy {
            message: "too many reads at once; try again shortly".into(),
            retry_after_secs: RETRY_AFTER_SECS,
        }
    } else {
        ApiError::Unavailable(format!("read failed: {e}"))
    }
}
