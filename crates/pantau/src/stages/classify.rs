//! The classify stage: scores each raw article ([`crate::classify`]) and
//! publishes it, keeping publishes in flight so the store can batch them;
//! the raw article is acknowledged only when its scored one is durable.

use std::sync::Arc;
use std::time::Instant;

use futures::stream::{FuturesUnordered, StreamExt};
use pantau_bus::{BusError, Publisher, Subscriber};
use pantau_model::{RawArticle, ScoredArticle};
use tracing::{info, warn};

use crate::classify::Classify;
use crate::state::AppState;

/// The classify stage: scores each raw article and publishes it, keeping up
/// to `max_in_flight` publishes open so the store can batch them. The raw
/// article is acknowledged only when its scored article is durable.
pub async fn classify<S, P>(
    mut sub: S,
    publisher: P,
    classify: Arc<Classify>,
    state: Arc<AppState>,
    max_in_flight: usize,
) where
    S: Subscriber<RawArticle>,
    P: Publisher<ScoredArticle>,
{
    let latency = state.metrics.stage_latency.with_label_values(&["classify"]);
    let publisher = &publisher;
    let mut in_flight = FuturesUnordered::new();
    let mut open = true;
    while open || !in_flight.is_empty() {
        tokio::select! {
            Some((result, ack)) = in_flight.next(), if !in_flight.is_empty() => {
                finish(result, ack);
            }
            next = sub.recv(), if open && in_flight.len() < max_in_flight => {
                match next {
                    Some(d) => {
                        let started = Instant::now();
                        let scored = classify.classify(d.item);
                        latency.observe(started.elapsed().as_secs_f64());
                        let ack = d.ack;
                        in_flight.push(async move { (publisher.publish(scored).await, ack) });
                    }
                    None => open = false,
                }
            }
        }
    }
    info!("classify stage drained");
}

fn finish(result: Result<(), BusError>, ack: pantau_bus::Ack) {
    match result {
        Ok(()) => ack.ack(),
        Err(e) => {
            warn!(error = %e, "scored article not stored; the source will deliver it again");
            ack.fail(e.to_string());
        }
    }
}
