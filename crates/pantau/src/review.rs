//! Analyst review: overrides with an audit trail, through the CLI and
//! `PATCH /api/v1/articles/{id}`, and their effect on the running counters.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use pantau_model::Sentiment;
use pantau_store::{AuditEntry, Store};
use serde::Deserialize;

use crate::state::AppState;

/// How far back each sync looks: overrides committed out of time order by
/// concurrent writers still get applied, exactly once (by id).
const OVERLAP_MS: i64 = 120_000;

/// Which audit entries the running counters already reflect.
#[derive(Debug, Default)]
pub struct ReviewSync {
    /// Entry id → its time, for entries inside the overlap.
    applied: HashMap<String, i64>,
    /// Newest entry time seen.
    high_water_ms: i64,
}

/// Marks every override up to now as reflected (the counters were just
/// rebuilt from the store, overrides included).
pub async fn mark_current(state: &AppState, store: &Store) -> anyhow::Result<()> {
    let now = Utc::now().timestamp_millis();
    let entries = store.audit_since(now - OVERLAP_MS).await?;
    let mut sync = state.review_sync.lock().expect("review lock");
    for e in entries {
        sync.applied.insert(e.id, e.at_ms);
    }
    sync.high_water_ms = now;
    Ok(())
}

/// Applies overrides recorded since the last sync (by this process or by
/// `pantau review set` elsewhere) to the running counters.
pub async fn sync(state: &AppState, store: &Store) -> anyhow::Result<usize> {
    let since = state.review_sync.lock().expect("review lock").high_water_ms - OVERLAP_MS;
    let entries = store.audit_since(since).await?;
    let mut sync = state.review_sync.lock().expect("review lock");
    let mut counters = state.counters.lock().expect("counters lock");
    let mut applied = 0;
    for e in &entries {
        if sync.applied.contains_key(&e.id) {
            continue;
        }
        counters.reclassify(&e.entity, e.old, e.new, e.event_time_ms);
        sync.applied.insert(e.id.clone(), e.at_ms);
        sync.high_water_ms = sync.high_water_ms.max(e.at_ms);
        applied += 1;
    }
    let floor = sync.high_water_ms - 2 * OVERLAP_MS;
    sync.applied.retain(|_, at| *at >= floor);
    Ok(applied)
}

/// A change requested through the API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The new sentiment.
    sentiment: String,
    /// Who decides.
    by: String,
    /// Why.
    reason: String,
    /// The entity (default: the only configured one).
    #[serde(default)]
    entity: Option<String>,
}

/// A JSON `{"error": …}` response: the API's one shape of refusal.
pub(crate) fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": msg.into() }))).into_response()
}

/// Whether the request carries the configured bearer token; the refusal
/// is boxed (a response is large, and refusals are rare).
pub fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let Some(token) = &state.config.http.api_token else {
        return Err(Box::new(error(
            StatusCode::FORBIDDEN,
            "writes are disabled: set http.api_token (PANTAU__HTTP__API_TOKEN)",
        )));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    // Constant-time comparison: the token is a secret.
    let ok = given.is_some_and(|g| {
        g.len() == token.len()
            && g.bytes()
                .zip(token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    });
    if ok {
        Ok(())
    } else {
        Err(Box::new(error(
            StatusCode::UNAUTHORIZED,
            "missing or wrong bearer token",
        )))
    }
}

/// Validates a change; every problem at once.
fn validate(state: &AppState, c: &Change) -> Result<(Sentiment, String), Vec<String>> {
    let mut errs = Vec::new();
    let sentiment = c
        .sentiment
        .parse::<Sentiment>()
        .map_err(|e| errs.push(format!("sentiment: {e}")))
        .ok();
    if c.by.trim().is_empty() || c.by.len() > 100 {
        errs.push("by: required, at most 100 characters".into());
    }
    if c.reason.trim().len() < 3 || c.reason.len() > 2000 {
        errs.push("reason: required (3–2000 characters): the audit trail says why".into());
    }
    let entity = match &c.entity {
        Some(e) if state.config.entity(e).is_some() => Some(e.clone()),
        Some(e) => {
            errs.push(format!("entity: unknown {e:?}"));
            None
        }
        None if state.config.entities.len() == 1 => Some(state.config.entities[0].id.clone()),
        None => {
            errs.push("entity: required when several entities are monitored".into());
            None
        }
    };
    match (sentiment, entity) {
        (Some(s), Some(e)) if errs.is_empty() => Ok((s, e)),
        _ => Err(errs),
    }
}

/// Shared by the handler: state and store.
pub type ReviewCtx = Arc<crate::http::Ctx>;

/// `PATCH /api/v1/articles/{id}`.
pub async fn patch(
    State(ctx): State<ReviewCtx>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let state = &ctx.state;
    if let Err(r) = authorised(state, &headers) {
        state
            .metrics
            .rejected
            .with_label_values(&["review", "unauthorised"])
            .inc();
        return *r;
    }
    let change: Change = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({"errors": [format!("body: {e}")]})),
            )
                .into_response()
        }
    };
    let (sentiment, entity) = match validate(state, &change) {
        Ok(v) => v,
        Err(errors) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "errors": errors })),
            )
                .into_response()
        }
    };
    match ctx
        .store
        .set_override(
            &id,
            &entity,
            sentiment,
            change.by.trim(),
            change.reason.trim(),
            Utc::now(),
        )
        .await
    {
        Ok(Some(entry)) => {
            if let Err(e) = sync(state, &ctx.store).await {
                tracing::warn!(error = %e, "counters not updated yet; the next sync will");
            }
            tracing::info!(article = %id, entity = %entity, by = %entry.by, old = %entry.old, new = %entry.new, "override recorded");
            Json(entry_json(&entry)).into_response()
        }
        Ok(None) => error(
            StatusCode::NOT_FOUND,
            format!("no assessment of article {id} for entity {entity}"),
        ),
        Err(e) => {
            tracing::error!(error = %e, "override not stored");
            error(StatusCode::SERVICE_UNAVAILABLE, "not stored; try again")
        }
    }
}

/// An audit entry as JSON.
pub fn entry_json(e: &AuditEntry) -> serde_json::Value {
    serde_json::json!({
        "article_id": e.article_id,
        "entity": e.entity,
        "at": chrono::DateTime::from_timestamp_millis(e.at_ms).map(|t| t.to_rfc3339()),
        "by": e.by,
        "old_sentiment": e.old,
        "new_sentiment": e.new,
        "reason": e.reason,
    })
}

/// Keeps the counters in step with overrides made by other processes.
pub fn spawn_sync(
    state: Arc<AppState>,
    store: Store,
    mut shutdown: crate::pipeline::Shutdown,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
                _ = crate::pipeline::stopped(&mut shutdown) => return,
            }
            if let Err(e) = sync(&state, &store).await {
                tracing::warn!(error = %e, "review sync failed");
            }
        }
    })
}

/// For tests and tools: a shared, empty sync state.
pub fn new_sync() -> Mutex<ReviewSync> {
    Mutex::new(ReviewSync::default())
}
