//! `pantau run` over the embedded bus: every stage in one process, joined
//! by bounded channels; at a signal the feeds stop, the channels drain into
//! the store, and the process exits.

use std::sync::Arc;

use pantau_model::{RawArticle, ScoredArticle};
use tracing::info;

use super::Runtime;
use crate::shutdown::stopped;
use crate::sources::push::PushCtx;
use crate::stages::{aggregate, classify, ingest};

/// Runs every stage until a signal, then drains.
pub async fn run(mut rt: Runtime) -> anyhow::Result<()> {
    let store = rt.store.clone().expect("run has a store");
    let state = rt.state.clone();
    let cap = state.config.bus.capacity;
    let (raw_pub, raw_sub) = pantau_bus::embedded::channel::<RawArticle>(cap);
    let (scored_pub, scored_sub) = pantau_bus::embedded::channel::<ScoredArticle>(cap);
    let aggregate = tokio::spawn(aggregate::aggregate(
        scored_sub,
        store.clone(),
        state.clone(),
        state.config.bus.store_batch,
    ));
    let classify_task = tokio::spawn(classify::classify(
        raw_sub,
        scored_pub,
        rt.classify.clone(),
        state.clone(),
        cap,
    ));
    let http = rt.serve_http(Some(PushCtx {
        publisher: raw_pub.clone(),
        classify: rt.classify.clone(),
    }))?;
    let refreshers = rt.spawn_refreshers();
    let ingest = Arc::new(ingest::Ingest {
        publisher: raw_pub,
        fetcher: ingest::fetcher(&state.config)?,
        classify: rt.classify.clone(),
        store: store.clone(),
        state: state.clone(),
        fulltext_seen: Default::default(),
    });
    let feeds = ingest::spawn_feeds(&ingest, &rt.shutdown);
    drop(ingest);
    state.set_ready(true);
    crate::systemd::ready("running");
    info!(
        feeds = feeds.len(),
        entities = state.config.entities.len(),
        "pantau running"
    );
    rt.stop_on_signal();
    stopped(&mut rt.shutdown.clone()).await;
    state.set_ready(false);
    crate::systemd::stopping();
    for f in feeds {
        let _ = f.await;
    }
    // The feed tasks and the HTTP server held the last raw publishers:
    // classify and aggregate now drain.
    let _ = http.await;
    let _ = classify_task.await;
    let _ = aggregate.await;
    for r in refreshers {
        let _ = r.await;
    }
    store.close().await;
    info!("stopped cleanly");
    Ok(())
}
