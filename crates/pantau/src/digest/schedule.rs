//! The service's digest task: at each configured local time a digest per
//! entity with recipients is made, stored and sent; failed deliveries are
//! tried again with backoff, also those left by an earlier run or by
//! `pantau digest --send`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pantau_digest::{next_slot, parse_times, Backoff};
use pantau_store::Store;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use super::deliver::{run_due, Deliverer};
use crate::shutdown::{stopped, Shutdown};
use crate::state::AppState;

/// How often due retries are looked for between slots.
const RETRY_POLL: Duration = Duration::from_secs(30);

/// Starts the task when there is anything to send: sending times, or
/// recipients whose earlier deliveries may still be pending.
pub fn spawn(state: Arc<AppState>, store: Store, mut sd: Shutdown) -> Option<JoinHandle<()>> {
    let config = &state.config.digest;
    if config.times.is_empty() && config.recipients.is_empty() {
        return None;
    }
    let deliverer = match Deliverer::new(config) {
        Ok(d) => d,
        Err(e) => {
            warn!(error = %format!("{e:#}"), "digests disabled: the delivery channels could not be set up");
            return None;
        }
    };
    let times = parse_times(&config.times).unwrap_or_default();
    Some(tokio::spawn(async move {
        let backoff = Backoff::default();
        let entities: Vec<_> = (state.config.entities.iter())
            .filter(|e| !super::recipients(&state.config, &e.id).is_empty())
            .cloned()
            .collect();
        let mut next: Vec<Option<DateTime<Utc>>> = entities
            .iter()
            .map(|e| next_slot(&times, e.time_zone, Utc::now()))
            .collect();
        for (e, at) in entities.iter().zip(&next) {
            if let Some(at) = at {
                info!(entity = %e.id, next = %at.with_timezone(&e.time_zone), "digest scheduled");
            }
        }
        loop {
            let now = Utc::now();
            for (e, slot) in entities.iter().zip(next.iter_mut()) {
                let Some(at) = *slot else { continue };
                if at > now {
                    continue;
                }
                *slot = next_slot(&times, e.time_zone, now);
                if let Err(err) = make_scheduled(&state, &store, e, at).await {
                    warn!(entity = %e.id, error = %format!("{err:#}"), "digest not made");
                }
            }
            if let Err(err) = run_due(&store, &deliverer, &state.metrics, &backoff).await {
                warn!(error = %format!("{err:#}"), "digest deliveries not tried");
            }
            let until_slot = next
                .iter()
                .flatten()
                .min()
                .map(|t| (*t - Utc::now()).to_std().unwrap_or_default())
                .unwrap_or(RETRY_POLL);
            tokio::select! {
                _ = tokio::time::sleep(until_slot.min(RETRY_POLL)) => {}
                _ = stopped(&mut sd) => return,
            }
        }
    }))
}

async fn make_scheduled(
    state: &AppState,
    store: &Store,
    e: &pantau_config::EntityConfig,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let since = super::default_since(store, &e.id, at).await?;
    let input = super::gather(store, &state.config, e, since, at).await?;
    let id = super::digest_id(e, at, true);
    match super::make_and_store(store, &state.config, &id, &input).await? {
        Some(r) => {
            state.metrics.digests.with_label_values(&[&e.id]).inc();
            info!(entity = %e.id, digest = %id, subject = %r.subject, "digest made");
        }
        None => info!(entity = %e.id, digest = %id, "digest of this slot already made"),
    }
    Ok(())
}
