//! Sign-in: `POST /api/v1/session` (name and password → an HttpOnly,
//! SameSite=Strict session cookie and the CSRF token its writes echo),
//! `GET /api/v1/session` (who is signed in, whether sign-in is required),
//! `DELETE /api/v1/session` (sign-out).

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use pantau_accounts::Secret;
use serde::Deserialize;

use super::auth::{principal, session_cookie, Principal, COOKIE};
use super::client::client_ip;
use super::{ApiError, ApiResult, Ctx};

/// Sign-in attempts a client may make a minute.
const ATTEMPTS_PER_MINUTE: u32 = 10;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignIn {
    name: String,
    password: String,
}

/// A hash nobody's password matches: an unknown name costs the same
/// argon2 work as a known one, so timing does not tell which names exist.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let decoy = Secret::new_csrf().map(|s| s.expose().to_owned());
        pantau_accounts::hash_password(&decoy.unwrap_or_else(|_| "decoy-password-x".repeat(2)))
            .unwrap_or_default()
    })
}

fn cookie(ctx: &Ctx, value: &str, max_age_secs: u64) -> String {
    let secure = if ctx.state.config.http.cookie_secure {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}")
}

/// `POST /api/v1/session`.
pub(super) async fn sign_in(
    State(ctx): State<Arc<Ctx>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let state = &ctx.state;
    let ip = client_ip(peer, &headers, &state.config.http.trusted_proxies);
    if !ctx.sign_in_limiter.allow(ip, ATTEMPTS_PER_MINUTE) {
        super::rejected(state, "sign_in", "rate_limited", 1);
        return Err(ApiError::TooMany {
            message: "terlalu banyak percobaan masuk; coba lagi dalam satu menit".into(),
            retry_after_secs: 60,
        });
    }
    let s: SignIn =
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid([format!("body: {e}")]))?;
    let name = s.name.trim().to_owned();
    let creds = ctx
        .store
        .credentials(&name)
        .await
        .map_err(|e| ApiError::unavailable("sign-in", e))?;
    let hash = creds
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |c| c.password_hash.clone());
    // argon2 is deliberately slow: off the async workers.
    let matches =
        tokio::task::spawn_blocking(move || pantau_accounts::verify_password(&hash, &s.password))
            .await
            .map_err(|e| ApiError::unavailable("sign-in", e))?;
    let Some(creds) = creds.filter(|c| matches && !c.disabled) else {
        super::rejected(state, "sign_in", "wrong_credentials", 1);
        tracing::warn!(account = %name, client = %ip, "sign-in refused");
        return Err(ApiError::Unauthorized(
            "nama akun atau kata sandi salah (atau akun dinonaktifkan)".into(),
        ));
    };
    let (session, csrf) = Secret::new_session()
        .and_then(|s| Ok((s, Secret::new_csrf()?)))
        .map_err(|e| ApiError::unavailable("sign-in", e))?;
    let now = Utc::now().timestamp_millis();
    let ttl = state.config.http.session_ttl;
    let expires = now + i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2);
    ctx.store
        .open_session(&session.digest(), &name, csrf.expose(), now, expires)
        .await
        .map_err(|e| ApiError::unavailable("sign-in", e))?;
    tracing::info!(account = %name, role = %creds.role, client = %ip, "signed in");
    Ok((
        [(
            header::SET_COOKIE,
            cookie(&ctx, session.expose(), ttl.as_secs()),
        )],
        Json(serde_json::json!({
            "account": {"name": name, "role": creds.role, "role_label": creds.role.label_id()},
            "csrf": csrf.expose(),
            "expires": super::rfc3339(expires),
            "login_required": state.config.http.login_required(),
        })),
    )
        .into_response())
}

/// `GET /api/v1/session`: always 200, so a page can ask before it knows.
pub(super) async fn current(
    State(ctx): State<Arc<Ctx>>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    let who = principal(&ctx, &headers).await?;
    let (account, csrf) = match &who {
        Some(Principal::Account(a)) => (
            serde_json::json!({"name": a.name, "role": a.role, "role_label": a.role.label_id()}),
            a.csrf.clone(),
        ),
        Some(Principal::SharedToken) => (
            serde_json::json!({"name": null, "role": "admin", "role_label": "token bersama"}),
            None,
        ),
        None => (serde_json::Value::Null, None),
    };
    Ok(Json(serde_json::json!({
        "account": account,
        "csrf": csrf,
        "login_required": ctx.state.config.http.login_required(),
    })))
}

/// `DELETE /api/v1/session`: ends the session and clears its cookie.
pub(super) async fn sign_out(
    State(ctx): State<Arc<Ctx>>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(session) = session_cookie(&headers) {
        ctx.store
            .close_session(&pantau_accounts::digest(session))
            .await
            .map_err(|e| ApiError::unavailable("sign-out", e))?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cookie(&ctx, "", 0))],
    )
        .into_response())
}
