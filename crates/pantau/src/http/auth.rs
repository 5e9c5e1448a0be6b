//! Who is asking, and what they may do: a signed-in account (the session
//! cookie, with a CSRF token on writes), an account's API token, or the
//! shared `http.api_token` of installations from before accounts.
//!
//! The gates are middleware: [`writes`] resolves and checks the principal
//! before a write's body is read and hands it to the handler as an
//! extension; [`reads`] keeps pages and reads private when
//! `http.require_login` holds (pages redirect to `/masuk`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use pantau_accounts::{Action, Role};
use pantau_store::Signed;
use subtle::ConstantTimeEq;

use super::{ApiError, Ctx};

/// The session cookie's name.
pub const COOKIE: &str = "pantau_session";
/// The header a session's writes echo their CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Who a request comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The shared `http.api_token`: may write, names its reviewer in `by`.
    SharedToken,
    /// An account, by session or by its API token.
    Account(Signed),
}

impl Principal {
    /// The role: the shared token is the installation's own key.
    pub fn role(&self) -> Role {
        match self {
            Principal::SharedToken => Role::Admin,
            Principal::Account(a) => a.role,
        }
    }

    /// The reviewer the audit trail records: the account, or for the
    /// shared token the `by` of the request. An account's request may leave
    /// `by` out; one that names someone else is refused, so nobody signs a
    /// review as another.
    pub fn reviewer(&self, by: Option<&str>) -> Result<String, String> {
        let by = by.map(str::trim).filter(|b| !b.is_empty());
        match (self, by) {
            (Principal::Account(a), None) => Ok(a.name.clone()),
            (Principal::Account(a), Some(b)) if b == a.name => Ok(a.name.clone()),
            (Principal::Account(a), Some(b)) => Err(format!(
                "by: {b:?} is not the signed-in account {:?}: the audit trail records the account",
                a.name
            )),
            (Principal::SharedToken, Some(b)) if b.len() <= 100 => Ok(b.to_owned()),
            (Principal::SharedToken, _) => {
                Err("by: required with the shared token, at most 100 characters".into())
            }
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// The session id in the request's cookies.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// Who the request comes from: `None` for an anonymous one (or an expired
/// session); an error for a bearer token that is wrong — a caller that
/// presents a credential is told it failed, not served as anonymous.
pub async fn principal(ctx: &Ctx, headers: &HeaderMap) -> Result<Option<Principal>, ApiError> {
    if let Some(given) = bearer(headers) {
        if let Some(shared) = &ctx.state.config.http.api_token {
            // Constant time: the token is a secret.
            if bool::from(given.as_bytes().ct_eq(shared.as_bytes())) {
                return Ok(Some(Principal::SharedToken));
            }
        }
        let signed = ctx
            .store
            .token_account(&pantau_accounts::digest(given))
            .await
            .map_err(|e| ApiError::unavailable("sign-in", e))?;
        return match signed {
            Some(a) => Ok(Some(Principal::Account(a))),
            None => Err(ApiError::Unauthorized(
                "wrong, revoked or disabled bearer token".into(),
            )),
        };
    }
    let Some(session) = session_cookie(headers) else {
        return Ok(None);
    };
    let signed = ctx
        .store
        .session(
            &pantau_accounts::digest(session),
            Utc::now().timestamp_millis(),
        )
        .await
        .map_err(|e| ApiError::unavailable("sign-in", e))?;
    Ok(signed.map(Principal::Account))
}

/// The principal of a write doing `action`, or why it is refused: nobody
/// signed in, a role that may not, or a session's write without its CSRF
/// token (a cross-site form cannot read it, so cannot send it).
pub async fn authorise(
    ctx: &Ctx,
    headers: &HeaderMap,
    action: Action,
) -> Result<Principal, ApiError> {
    let Some(p) = principal(ctx, headers).await? else {
        return Err(ApiError::Unauthorized(
            "sign in (/masuk) or send an account's bearer token (pantau user token NAME)".into(),
        ));
    };
    if !p.role().may(action) {
        let name = match &p {
            Principal::Account(a) => a.name.as_str(),
            Principal::SharedToken => "token",
        };
        return Err(ApiError::Forbidden(format!(
            "account {name} is a {}: this needs the analyst role",
            p.role()
        )));
    }
    if let Principal::Account(Signed {
        csrf: Some(csrf), ..
    }) = &p
    {
        let echoed = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if !echoed.is_some_and(|e| pantau_accounts::same_secret(e, csrf)) {
            return Err(ApiError::Forbidden(
                "missing or wrong X-CSRF-Token: reload the page and try again".into(),
            ));
        }
    }
    Ok(p)
}

/// Middleware of the writes: the principal is checked before the body is
/// read, counted when refused, and passed on as an extension.
pub(super) async fn writes(State(ctx): State<Arc<Ctx>>, mut req: Request, next: Next) -> Response {
    let push = req.method() == Method::POST && req.uri().path() == "/api/v1/articles";
    let action = if push { Action::Push } else { Action::Review };
    match authorise(&ctx, req.headers(), action).await {
        Ok(p) => {
            req.extensions_mut().insert(p);
            next.run(req).await
        }
        Err(e) => {
            super::rejected(
                &ctx.state,
                if push { "push" } else { "review" },
                "unauthorised",
                1,
            );
            e.into_response()
        }
    }
}

/// Middleware of the private pages and reads: when sign-in is required,
/// an anonymous page request is sent to `/masuk` (and back after), an
/// anonymous API request refused with 401.
pub(super) async fn reads(State(ctx): State<Arc<Ctx>>, req: Request, next: Next) -> Response {
    if !ctx.state.config.http.login_required() {
        return next.run(req).await;
    }
    match principal(&ctx, req.headers()).await {
        Ok(Some(_)) => next.run(req).await,
        Ok(None) if !req.uri().path().starts_with("/api/") => {
            let back = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let to = format!(
                "/masuk?next={}",
                url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
            );
            Redirect::to(&to).into_response()
        }
        Ok(None) => {
            ApiError::Unauthorized("sign in first (/masuk): this pantau requires it".into())
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(name: &str, role: Role) -> Principal {
        Principal::Account(Signed {
            name: name.into(),
            role,
            csrf: None,
        })
    }

    #[test]
    fn the_audit_trail_records_the_account() {
        let rina = account("rina", Role::Analyst);
        assert_eq!(rina.reviewer(None).unwrap(), "rina");
        assert_eq!(rina.reviewer(Some(" rina ")).unwrap(), "rina");
        assert!(rina
            .reviewer(Some("budi"))
            .unwrap_err()
            .contains("not the signed-in"));
        assert_eq!(
            Principal::SharedToken.reviewer(Some("Budi S.")).unwrap(),
            "Budi S."
        );
        assert!(Principal::SharedToken.reviewer(None).is_err());
        assert!(Principal::SharedToken
            .reviewer(Some(&"x".repeat(101)))
            .is_err());
        assert_eq!(Principal::SharedToken.role(), Role::Admin);
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        assert_eq!(session_cookie(&h), None);
        h.append(
            header::COOKIE,
            "a=1; pantau_session=ps_abc; b=2".parse().unwrap(),
        );
        assert_eq!(session_cookie(&h), Some("ps_abc"));
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, "a=1".parse().unwrap());
        h.append(header::COOKIE, "pantau_session=ps_x".parse().unwrap());
        assert_eq!(session_cookie(&h), Some("ps_x"));
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, "pantau_session=".parse().unwrap());
        assert_eq!(session_cookie(&h), None);
    }
}
