//! The stages over Apache Kafka: `pantau ingest`, `classify` and
//! `aggregate` as services of their own (or all three in one process with
//! `bus.kind = "kafka"`), each with its `/metrics` and `/readyz` (not ready
//! while no broker is reachable; it waits and retries).

use std::sync::Arc;
use std::time::Duration;

use pantau_bus::kafka::{KafkaEvent, KafkaPublisher, KafkaSettings, KafkaSubscriber, Observer};
use pantau_bus::{Delivery, Subscriber};
use pantau_metrics::events::{InputRejected, InternalEvent};
use pantau_model::{RawArticle, ScoredArticle};
use pantau_store::Store;
use tracing::{info, warn};

use super::{Role, Runtime};
use crate::shutdown::{stopped, Shutdown};
use crate::stages::{aggregate, classify, ingest};
use crate::state::AppState;

/// Ends a subscriber's stream at shutdown, so a stage over Kafka drains
/// what it holds and stops like one over the embedded bus.
struct UntilShutdown<S> {
    inner: S,
    shutdown: Shutdown,
}

impl<T: Send, S: Subscriber<T>> Subscriber<T> for UntilShutdown<S> {
    async fn recv(&mut self) -> Option<Delivery<T>> {
        if *self.shutdown.borrow() {
            return None;
        }
        let mut sd = self.shutdown.clone();
        tokio::select! {
            d = self.inner.recv() => d,
            _ = stopped(&mut sd) => None,
        }
    }

    fn try_next(&mut self) -> Option<Delivery<T>> {
        if *self.shutdown.borrow() {
            return None;
        }
        self.inner.try_next()
    }
}

/// The client settings of one stage, with the observer that turns the
/// client's events into metrics and readiness.
fn settings(state: &Arc<AppState>, stage: &str) -> KafkaSettings {
    let config = &state.config;
    let observer = {
        let state = state.clone();
        Arc::new(move |event: KafkaEvent<'_>| {
            let m = &state.metrics;
            match event {
                KafkaEvent::Produced { topic } => m
                    .kafka_messages
                    .with_label_values(&[topic, "produced"])
                    .inc(),
                KafkaEvent::Consumed { topic } => m
                    .kafka_messages
                    .with_label_values(&[topic, "consumed"])
                    .inc(),
                KafkaEvent::ProduceFailed { .. } => {
                    m.kafka_errors.with_label_values(&["produce"]).inc()
                }
                KafkaEvent::ConsumeFailed => m.kafka_errors.with_label_values(&["consume"]).inc(),
                KafkaEvent::Lag { group, partitions } => {
                    // Replace, so partitions moved to another consumer vanish.
                    m.kafka_lag.reset();
                    for (topic, partition, lag) in partitions {
                        m.kafka_lag
                            .with_label_values(&[topic, &partition.to_string(), group])
                            .set(*lag);
                    }
                }
                KafkaEvent::Connected(up) => {
                    m.kafka_connected.set(i64::from(up));
                    state.set_broker_up(up);
                }
            }
        }) as Observer
    };
    KafkaSettings {
        brokers: config.kafka.brokers.clone(),
        client_id: format!("{}-{stage}", config.kafka.client_id),
        options: config.kafka.librdkafka_options.clone(),
        observer,
    }
}

/// Creates the topics, waiting with backoff while the broker is unreachable.
async fn topics_ready(state: &Arc<AppState>, stage: &str, shutdown: &mut Shutdown) -> bool {
    let settings = settings(state, stage);
    let k = &state.config.kafka;
    let mut delay = Duration::from_secs(1);
    loop {
        match pantau_bus::kafka::ensure_topics(
            &settings,
            &[&k.raw_topic, &k.scored_topic],
            k.partitions,
            k.replication,
        )
        .await
        {
            Ok(()) => return true,
            Err(e) => {
                warn!(brokers = %k.brokers, error = %e, retry_in = ?delay, "kafka not ready");
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = stopped(shutdown) => return false,
                }
                delay = (delay * 2).min(Duration::from_secs(30));
            }
        }
    }
}

/// Counts and logs a message no stage can read, and skips it.
fn rejected(state: &Arc<AppState>, stage: &'static str) -> Arc<dyn Fn(&str) + Send + Sync> {
    let m = state.metrics.clone();
    Arc::new(move |why: &str| {
        InputRejected {
            stage,
            error_type: "decode",
            count: 1,
            detail: why,
        }
        .emit(&m)
    })
}

/// Feeds → the raw topic.
async fn run_ingest(rt: &Runtime, store: Store) -> anyhow::Result<()> {
    let state = &rt.state;
    let k = &state.config.kafka;
    let publisher =
        KafkaPublisher::<RawArticle>::new(&settings(state, "ingest"), &k.raw_topic, |a| {
            a.id.to_string()
        })?;
    let ingest = Arc::new(ingest::Ingest {
        publisher,
        fetcher: ingest::fetcher(&state.config)?,
        classify: rt.classify.clone(),
        store,
        state: state.clone(),
        fulltext_seen: Default::default(),
    });
    for f in ingest::spawn_feeds(&ingest, &rt.shutdown) {
        let _ = f.await;
    }
    ingest.publisher.flush(Duration::from_secs(10));
    Ok(())
}

/// The raw topic → the scored topic.
async fn run_classify(rt: &Runtime) -> anyhow::Result<()> {
    let state = &rt.state;
    let k = &state.config.kafka;
    let settings = settings(state, "classify");
    let sub = KafkaSubscriber::<RawArticle>::new(
        &settings,
        &k.classify_group,
        &k.raw_topic,
        |b| RawArticle::from_json(b).map_err(|e| e.to_string()),
        rejected(state, "classify"),
    )?;
    let publisher = KafkaPublisher::<ScoredArticle>::new(&settings, &k.scored_topic, |s| {
        s.article.id.to_string()
    })?;
    let sub = UntilShutdown {
        inner: sub,
        shutdown: rt.shutdown.clone(),
    };
    classify::classify(
        sub,
        &publisher,
        rt.classify.clone(),
        state.clone(),
        state.config.bus.capacity,
    )
    .await;
    publisher.flush(Duration::from_secs(10));
    Ok(())
}

/// The scored topic → the store and the counters.
async fn run_aggregate(rt: &Runtime, store: Store) -> anyhow::Result<()> {
    let state = &rt.state;
    let k = &state.config.kafka;
    let sub = KafkaSubscriber::<ScoredArticle>::new(
        &settings(state, "aggregate"),
        &k.aggregate_group,
        &k.scored_topic,
        |b| ScoredArticle::from_json(b).map_err(|e| e.to_string()),
        rejected(state, "aggregate"),
    )?;
    let sub = UntilShutdown {
        inner: sub,
        shutdown: rt.shutdown.clone(),
    };
    aggregate::aggregate(sub, store, state.clone(), state.config.bus.store_batch).await;
    Ok(())
}

/// Runs the runtime's role over Kafka until a signal, then drains.
pub async fn run(mut rt: Runtime) -> anyhow::Result<()> {
    let http = rt.serve_http(None)?;
    let signal = rt.stop_on_signal();
    let role = rt.role;
    if !topics_ready(&rt.state, role.name(), &mut rt.shutdown.clone()).await {
        let _ = http.await;
        return Ok(());
    }
    let refreshers = rt.spawn_refreshers();
    rt.state.set_ready(true);
    crate::systemd::ready(role.name());
    info!(role = role.name(), brokers = %rt.state.config.kafka.brokers, "pantau service running");
    let store = rt.store.clone();
    let with_store = || store.clone().expect("this role has a store");
    match role {
        Role::Ingest => run_ingest(&rt, with_store()).await?,
        Role::Classify => run_classify(&rt).await?,
        Role::Aggregate => run_aggregate(&rt, with_store()).await?,
        Role::All => {
            let (a, b, c) = tokio::join!(
                run_ingest(&rt, with_store()),
                run_classify(&rt),
                run_aggregate(&rt, with_store())
            );
            a.and(b).and(c)?;
        }
    }
    rt.state.set_ready(false);
    crate::systemd::stopping();
    let _ = http.await;
    for r in refreshers {
        let _ = r.await;
    }
    signal.abort();
    if let Some(s) = store {
        s.close().await;
    }
    info!(role = role.name(), "stopped cleanly");
    Ok(())
}
