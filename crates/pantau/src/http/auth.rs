//! Who may write: the bearer token of `http.api_token`.

use axum::http::HeaderMap;
use subtle::ConstantTimeEq;

use super::ApiError;
use crate::state::AppState;

/// Whether the request carries the configured bearer token.
pub fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.config.http.api_token else {
        return Err(ApiError::Forbidden(
            "writes are disabled: set http.api_token (PANTAU__HTTP__API_TOKEN)".into(),
        ));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    // Constant time: the token is a secret.
    match given {
        Some(g) if bool::from(g.as_bytes().ct_eq(token.as_bytes())) => Ok(()),
        _ => Err(ApiError::Unauthorized(
            "missing or wrong bearer token".into(),
        )),
    }
}
