//! Analyst review's effect on the running counters: overrides recorded by
//! any process (the API, `pantau review set` elsewhere) are applied once
//! each. The HTTP side is [`crate::http`]'s, the CLI's [`crate::cli`]'s.

use std::sync::Arc;

use chrono::Utc;
use pantau_store::{AuditEntry, Store};

use crate::shutdown::{stopped, Shutdown};
use crate::state::AppState;

/// How far back each sync looks: overrides committed out of time order by
/// concurrent writers still get applied, exactly once (by id).
const OVERLAP_MS: i64 = 120_000;

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
        if e.counted {
            counters.reclassify(&e.entity, e.media_type, e.old, e.new, e.event_time_ms);
        }
        sync.applied.insert(e.id.clone(), e.at_ms);
        sync.high_water_ms = sync.high_water_ms.max(e.at_ms);
        applied += 1;
    }
    let floor = sync.high_water_ms - 2 * OVERLAP_MS;
    sync.applied.retain(|_, at| *at >= floor);
    Ok(applied)
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
    mut shutdown: Shutdown,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
                _ = stopped(&mut shutdown) => return,
            }
            if let Err(e) = sync(&state, &store).await {
                tracing::warn!(error = %e, "review sync failed");
            }
        }
    })
}
