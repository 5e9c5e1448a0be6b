//! The survey over HTTP: the questionnaire the public form asks
//! (`GET /api/v1/survey/form`), the index per unit (`GET …/ikm`), and the
//! public submission (`POST …/responses`, no token, rate-limited per
//! client).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, NaiveDate, Utc};
use pantau_model::Period;
use pantau_survey::{questionnaire, FieldError, Response as SurveyResponse, ELEMENTS};
use serde::Deserialize;

use super::{ApiError, ApiResult, Ctx};

/// `GET /api/v1/survey/form`: what the public form asks.
pub(super) async fn form(State(ctx): State<Arc<Ctx>>) -> Response {
    let units: Vec<_> = ctx
        .state
        .config
        .survey
        .units
        .iter()
        .map(|u| serde_json::json!({"id": u.id, "name": u.name}))
        .collect();
    let questions: Vec<_> = pantau_survey::ELEMENTS
        .iter()
        .zip(questionnaire::QUESTIONS)
        .map(|((code, element), (text, options))| {
            serde_json::json!({"code": code, "element": element, "text": text, "options": options})
        })
        .collect();
    Json(serde_json::json!({
        "units": units,
        "questions": questions,
        "genders": questionnaire::GENDERS,
        "educations": questionnaire::EDUCATIONS,
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IkmQuery {
    unit: Option<String>,
    period: Option<String>,
}

/// `GET /api/v1/survey/ikm?unit&period`: the index per unit (this year by
/// default).
pub(super) async fn ikm(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<IkmQuery>,
) -> ApiResult<Response> {
    let period: Period = match q.period.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => p
            .parse()
            .map_err(|e| ApiError::BadRequest(format!("period: {e}")))?,
        None => Period::Year(
            Utc::now()
                .with_timezone(&ctx.state.config.local_tz())
                .year(),
        ),
    };
    let unit = q.unit.as_deref().filter(|u| !u.is_empty());
    match crate::survey::report(
        &ctx.store,
        &ctx.state.config,
        period,
        unit,
        pantau_survey::Weight::Exact,
    )
    .await
    {
        Ok(r) => Ok(Json(r).into_response()),
        // No responses or an unknown unit: the caller's question, not a fault.
        Err(e) => Err(ApiError::NotFound(format!("{e:#}"))),
    }
}

/// A public submission.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    unit: String,
    #[serde(default)]
    respondent_id: Option<String>,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    age: Option<u8>,
    #[serde(default)]
    education: Option<String>,
    #[serde(default)]
    occupation: Option<String>,
    /// U1..U9, `null` for a blank.
    answers: Vec<Option<u8>>,
}

/// Fixed-window rate limit per client address.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// Whether one more request from `ip` is allowed this minute.
    pub fn allow(&self, ip: IpAddr, per_minute: u32) -> bool {
        let mut w = self.windows.lock().expect("rate limiter lock");
        let now = Instant::now();
        if w.len() > 10_000 {
            w.retain(|_, (t, _)| now.duration_since(*t) < Duration::from_secs(60));
        }
        let e = w.entry(ip).or_insert((now, 0));
        if now.duration_since(e.0) >= Duration::from_secs(60) {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= per_minute
    }
}

fn unprocessable(errors: Vec<FieldError>) -> ApiError {
    ApiError::Invalid(
        errors
            .iter()
            .map(|e| serde_json::to_value(e).unwrap_or_default())
            .collect(),
    )
}

/// `POST /api/v1/survey/responses`: one response from the public form.
pub(super) async fn submit(
    State(ctx): State<Arc<Ctx>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let state = &ctx.state;
    let client = super::client::client_ip(peer, &headers, &state.config.http.trusted_proxies);
    if !ctx
        .limiter
        .allow(client, state.config.survey.rate_limit_per_minute)
    {
        super::rejected(state, "survey", "rate_limited", 1);
        return Err(ApiError::TooMany {
            message: "too many submissions; try again in a minute".into(),
            retry_after_secs: 60,
        });
    }
    let sub: Submission = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => {
            super::rejected(state, "survey", "malformed", 1);
            return Err(unprocessable(vec![FieldError {
                field: "body".into(),
                message: format!("not a valid submission: {e}"),
            }]));
        }
    };
    let mut errors = Vec::new();
    if sub.answers.len() != ELEMENTS.len() {
        errors.push(FieldError {
            field: "answers".into(),
            message: format!(
                "expected 9 answers (U1..U9, null for a blank), found {}",
                sub.answers.len()
            ),
        });
    }
    if !state.config.survey.units.iter().any(|u| u.id == sub.unit) {
        errors.push(FieldError {
            field: "unit".into(),
            message: format!(
                "{:?} is not a surveyed unit ({})",
                sub.unit,
                crate::survey::unit_ids(&state.config)
            ),
        });
    }
    let mut answers = [None; 9];
    for (a, v) in answers.iter_mut().zip(&sub.answers) {
        *a = *v;
    }
    let today = Utc::now()
        .with_timezone(&state.config.local_tz())
        .date_naive();
    // Only the bureau's own programs (with the API token) name a respondent;
    // the public gets a receipt number from the server.
    let trusted = matches!(
        super::auth::principal(&ctx, &headers).await,
        Ok(Some(p)) if p.role().may(pantau_accounts::Action::Push)
    );
    let given_id = sub.respondent_id.filter(|_| trusted);
    let r = SurveyResponse {
        respondent_id: given_id.unwrap_or_else(|| format!("web-{:016x}", fastrand::u64(..))),
        date: sub.date.unwrap_or(today),
        unit: sub.unit,
        gender: sub.gender,
        age: sub.age,
        education: sub.education,
        occupation: sub.occupation,
        answers,
    };
    errors.extend(r.validate());
    let grace = state.config.survey.grace_days;
    if r.date > today {
        errors.push(FieldError {
            field: "date".into(),
            message: "is in the future".into(),
        });
    } else if !trusted && (today - r.date).num_days() > i64::from(grace) {
        errors.push(FieldError {
            field: "date".into(),
            message: format!(
                "{} is more than {grace} day(s) ago: a public response dates from the day it is given",
                r.date
            ),
        });
    }
    if !errors.is_empty() {
        super::rejected(state, "survey", "invalid", 1);
        return Err(unprocessable(errors));
    }
    match ctx.store.insert_survey_response(&r, "api").await {
        Ok(true) => {
            if let Err(e) = crate::survey::refresh(state, &ctx.store).await {
                tracing::warn!(error = %e, "survey metrics not refreshed");
            }
            Ok((
                StatusCode::CREATED,
                Json(serde_json::json!({"respondent_id": r.respondent_id})),
            )
                .into_response())
        }
        Ok(false) => Err(ApiError::Conflict(format!(
            "respondent {} already answered",
            r.respondent_id
        ))),
        Err(e) => {
            tracing::error!(error = %e, "survey response not stored");
            Err(ApiError::Unavailable("not stored; try again".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limiter_allows_n_per_minute_per_address() {
        let l = RateLimiter::default();
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!((0..3).all(|_| l.allow(a, 3)));
        assert!(!l.allow(a, 3));
        assert!(l.allow(b, 3));
    }
}
