//! The aggregate stage: batches scored articles into store transactions,
//! moves the running counters by what was really new, and acknowledges only
//! after the commit; and the counters' rebuild from the store at start.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use pantau_bus::Subscriber;
use pantau_metrics::events::{InputRejected, InternalEvent};
use pantau_model::ScoredArticle;
use pantau_store::Store;
use tracing::{debug, info};

use crate::state::AppState;

/// Rebuilds the running counters from the store by aggregate SQL: per
/// second for the counts the rolling windows need, per quarter hour before;
/// returns how many assessments were counted.
pub async fn rebuild_counters(state: &AppState, store: &Store) -> anyhow::Result<u64> {
    let fine_from = state.counters.lock().expect("counters lock").fine_from_ms();
    let mut groups = store
        .counted_buckets(900_000, i64::MIN, fine_from)
        .await
        .context("counting the stored assessments")?;
    groups.extend(
        store
            .counted_buckets(1000, fine_from, i64::MAX)
            .await
            .context("counting the stored assessments")?,
    );
    let mut c = state.counters.lock().expect("counters lock");
    let mut n = 0;
    for g in &groups {
        c.add_n(
            &g.entity,
            g.media_type,
            g.sentiment,
            g.effective,
            g.start_ms,
            g.n,
        );
        n += g.n;
    }
    Ok(n)
}

/// The aggregate stage: batches scored articles into store transactions,
/// counts what was new, and acknowledges only after the commit.
pub async fn aggregate<S: Subscriber<ScoredArticle>>(
    mut sub: S,
    store: Store,
    state: Arc<AppState>,
    max_batch: usize,
) {
    let latency = state.metrics.stage_latency.with_label_values(&["store"]);
    let end_to_end = state
        .metrics
        .stage_latency
        .with_label_values(&["end_to_end"]);
    let mut prune_at = Instant::now();
    while let Some(first) = sub.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match sub.try_next() {
                Some(d) => batch.push(d),
                None => break,
            }
        }
        let (items, acks): (Vec<_>, Vec<_>) = batch.into_iter().map(|d| (d.item, d.ack)).unzip();
        let started = Instant::now();
        match store.insert_scored(&items).await {
            Ok(counted) => {
                latency.observe(started.elapsed().as_secs_f64());
                {
                    let mut c = state.counters.lock().expect("counters lock");
                    for r in &counted {
                        c.add(
                            &r.entity,
                            r.media_type,
                            r.sentiment,
                            r.effective,
                            r.event_time_ms,
                        );
                    }
                    if prune_at.elapsed() > Duration::from_secs(3600) {
                        for e in &state.config.entities {
                            c.prune(Utc::now(), e.time_zone);
                        }
                        prune_at = Instant::now();
                    }
                }
                let now = Utc::now();
                for a in &items {
                    let secs =
                        (now - a.article.fetched_at).num_milliseconds().max(0) as f64 / 1000.0;
                    end_to_end.observe(secs);
                }
                debug!(batch = items.len(), new = counted.len(), "stored");
                acks.into_iter().for_each(|a| a.ack());
            }
            Err(e) => {
                // Nothing was committed: the publishers see the failure and
                // deliver again later (a feed's cursor does not advance).
                InputRejected {
                    stage: "aggregate",
                    error_type: "store",
                    count: items.len() as u64,
                    detail: &e.to_string(),
                }
                .emit(&state.metrics);
                for a in acks {
                    a.fail(e.to_string());
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
    info!("aggregate stage drained");
}
