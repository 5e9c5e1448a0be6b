//! `POST /api/v1/articles`: clippings, transcripts and posts pushed by
//! other programs — one item, a list, or `{"items": [...]}`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

use super::{ApiError, ApiResult, Ctx};
use crate::sources::item::Item;

/// The request body: one item, a list, or `{"items": [...]}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Body {
    Batch { items: Vec<Item> },
    List(Vec<Item>),
    One(Box<Item>),
}

/// Most items per request.
pub const MAX_BATCH: usize = 1000;

/// `POST /api/v1/articles`.
pub(super) async fn post(
    State(ctx): State<Arc<Ctx>>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let state = &ctx.state;
    // The token was checked before the body was read (`limits::token_first`).
    let Some(push) = &ctx.push else {
        return Err(ApiError::Unavailable(
            "this process does not ingest (embedded pipeline only)".into(),
        ));
    };
    let items = match serde_json::from_slice::<Body>(&body) {
        Ok(Body::Batch { items }) | Ok(Body::List(items)) => items,
        Ok(Body::One(item)) => vec![*item],
        Err(e) => {
            super::rejected(state, "push", "malformed", 1);
            // Say which item and field when one item is at fault.
            let detail = match serde_json::from_slice::<serde_json::Value>(&body) {
                Ok(v) => item_errors(&v),
                Err(_) => vec![format!("body: not JSON: {e}")],
            };
            return Err(ApiError::invalid(detail));
        }
    };
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(ApiError::invalid([format!(
            "items: between 1 and {MAX_BATCH} per request"
        )]));
    }
    let now = Utc::now();
    let tz = state.config.local_tz();
    let mut raws = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (i, it) in items.iter().enumerate() {
        match it.to_raw(i, now, tz) {
            Ok(r) => raws.push(r),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        super::rejected(state, "push", "invalid", items.len() as u64);
        return Err(ApiError::Invalid(
            errors
                .iter()
                .map(|e| serde_json::to_value(e).unwrap_or_default())
                .collect(),
        ));
    }
    let outcomes = crate::sources::push::push(&ctx.store, push, raws)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "pushed items not stored");
            ApiError::Unavailable("not stored; nothing was counted; try again".into())
        })?;
    let code = if outcomes.iter().any(|o| o.status == "stored") {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((code, Json(serde_json::json!({ "results": outcomes }))).into_response())
}

/// Field errors of a body that did not deserialise, item by item.
fn item_errors(v: &serde_json::Value) -> Vec<String> {
    let list: Vec<&serde_json::Value> = match v {
        serde_json::Value::Array(a) => a.iter().collect(),
        serde_json::Value::Object(o) if o.contains_key("items") => o["items"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        if let Err(e) = serde_json::from_value::<Item>((*item).clone()) {
            out.push(format!("items[{i}]: {e}"));
        }
    }
    if out.is_empty() {
        out.push("body: expected an item, a list of items, or {\"items\": [...]}".into());
    }
    out
}
