//! The API's one error type: every refusal and failure is an [`ApiError`],
//! answered with one JSON shape — `{"error": "…"}`, plus `"errors": […]`
//! with every problem when there are several (fields, items).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// A request the API does not fulfil.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 400: a malformed query or parameter.
    BadRequest(String),
    /// 400 with several problems.
    BadParams(Vec<String>),
    /// 401: no or a wrong bearer token.
    Unauthorized(String),
    /// 403: the operation is disabled here.
    Forbidden(String),
    /// 404: no such thing.
    NotFound(String),
    /// 409: it exists already.
    Conflict(String),
    /// 422: the body is well-formed but wrong; every problem listed (strings,
    /// or objects such as `{"item", "field", "message"}`).
    Invalid(Vec<serde_json::Value>),
    /// 429: too many requests from this client; try again after the seconds given.
    TooMany {
        /// The message.
        message: String,
        /// Seconds until a retry may succeed.
        retry_after_secs: u64,
    },
    /// 503: the store or another dependency failed; logged where it happened.
    Unavailable(String),
    /// 503: too busy now; try again after the seconds given.
    Busy {
        /// The message.
        message: String,
        /// Seconds until a retry may succeed.
        retry_after_secs: u64,
    },
}

impl ApiError {
    /// A 422 with string problems.
    pub fn invalid<S: Into<String>>(problems: impl IntoIterator<Item = S>) -> Self {
        ApiError::Invalid(
            problems
                .into_iter()
                .map(|p| serde_json::Value::String(p.into()))
                .collect(),
        )
    }

    /// A 503 for `what`, with the cause logged (never shown: it may name
    /// internals).
    pub fn unavailable(what: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "{what} failed");
        ApiError::Unavailable(format!("{what} failed; see the logs"))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::BadParams(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        let one = |m: &str| serde_json::json!({ "error": m });
        match self {
            ApiError::BadRequest(m)
            | ApiError::Unauthorized(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::Conflict(m)
            | ApiError::Unavailable(m)
            | ApiError::TooMany { message: m, .. }
            | ApiError::Busy { message: m, .. } => one(m),
            ApiError::BadParams(errors) => serde_json::json!({
                "error": format!("{} invalid parameter(s)", errors.len()),
                "errors": errors,
            }),
            ApiError::Invalid(errors) => serde_json::json!({
                "error": format!("{} problem(s) in the request", errors.len()),
                "errors": errors,
            }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status(), Json(self.body())).into_response();
        if let ApiError::TooMany {
            retry_after_secs, ..
        }
        | ApiError::Busy {
            retry_after_secs, ..
        } = self
        {
            if let Ok(v) = retry_after_secs.to_string().parse() {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        resp
    }
}

/// What a handler returns.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shape_with_every_problem_listed() {
        let e = ApiError::NotFound("no such article".into());
        assert_eq!(e.status(), StatusCode::NOT_FOUND);
        assert_eq!(e.body(), serde_json::json!({"error": "no such article"}));
        let e = ApiError::invalid(["sentiment: x", "by: required"]);
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.body()["errors"][1], "by: required");
        assert!(e.body()["error"].as_str().unwrap().starts_with("2 problem"));
        let r = ApiError::TooMany {
            message: "slow down".into(),
            retry_after_secs: 7,
        }
        .into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "7");
    }
}
