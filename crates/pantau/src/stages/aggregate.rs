//! The aggregate stage: batches scored articles into store transactions,
//! moves the running counters by what was really new, and acknowledges only
//! after the commit; and the counters' rebuild from the store at start.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use pantau_aggregate::Counters;
use pantau_bus::Subscriber;
use pantau_metrics::events::{InputRejected, InternalEvent};
use pantau_model::ScoredArticle;
use pantau_store::Store;
use tracing::{debug, info};

use crate::state::AppState;

/// Rebuilds the running counters from the store by aggregate SQL: the
/// totals in one grouped query; each entity's windows per second for the
/// last 31 days and per quarter hour before, back to the earliest instant a
/// window needs. Rows are counted in as they arrive, so memory goes with the
/// buckets, not the articles. Returns how many assessments were counted.
pub async fn rebuild_counters(state: &AppState, store: &Store) -> anyhow::Result<u64> {
    let totals = store
        .classified_totals()
        .await
        .context("counting the stored assessments")?;
    let now = Utc::now();
    let mut rebuilt = Counters::starting_at(now);
    let fine_from = rebuilt.fine_from_ms();
    let mut n = 0;
    for t in &totals {
        rebuilt.add_total(&t.entity, t.media_type, t.sentiment, t.n);
        n += t.n;
    }
    for e in &state.config.entities {
        let from = Counters::windows_from_ms(now, e.time_zone);
        for (bucket_ms, from, to) in [
            (900_000, from, fine_from.max(from)),
            (1000, fine_from.max(from), i64::MAX),
        ] {
            // Both kinds of window from one pass: the per-media counts
            // fold any bucket into its quarter hour.
            store
                .effective_buckets(
                    &e.id,
                    bucket_ms,
                    from,
                    to,
                    |start_ms, media, sentiment, k| {
                        rebuilt.add_window(&e.id, sentiment, start_ms, k);
                        rebuilt.add_media_window(&e.id, media, sentiment, start_ms, k);
                    },
                )
                .await
                .with_context(|| format!("counting the stored assessments of {}", e.id))?;
        }
    }
    *state.counters.lock().expect("counters lock") = rebuilt;
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
