//! The stages and `pantau run`: ingest → classify → aggregate over a bus.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use futures::stream::{FuturesUnordered, StreamExt};
use pantau_bus::{BusError, Publisher, Subscriber};
use pantau_config::{Config, FeedConfig};
use pantau_ingest::{
    parse_feed_as, Cursor, FetchError, FetchErrorKind, FetchOutcome, Fetcher, FetcherConfig,
};
use pantau_metrics::{FETCH_NOT_MODIFIED, FETCH_OK};
use pantau_model::{RawArticle, ScoredArticle};
use pantau_store::Store;
use tokio::sync::{watch, Semaphore};
use tracing::{debug, error, info, warn};

use crate::classify::Classify;
use crate::state::AppState;

/// Receives `true` when the process should stop.
pub type Shutdown = watch::Receiver<bool>;

/// Resolves once shutdown is signalled.
pub async fn stopped(shutdown: &mut Shutdown) {
    while !*shutdown.borrow() {
        if shutdown.changed().await.is_err() {
            return;
        }
    }
}

/// Rebuilds the running counters from the store.
pub async fn rebuild_counters(state: &AppState, store: &Store) -> anyhow::Result<usize> {
    let rows = store
        .counted()
        .await
        .context("reading counted articles from the store")?;
    let mut c = state.counters.lock().expect("counters lock");
    for r in &rows {
        c.add(
            &r.entity,
            r.media_type,
            r.sentiment,
            r.effective,
            r.event_time_ms,
        );
    }
    Ok(rows.len())
}

// ---------------------------------------------------------------- aggregate

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
                error!(error = %e, batch = items.len(), "store write failed");
                state
                    .metrics
                    .rejected
                    .with_label_values(&["aggregate", "store"])
                    .inc_by(items.len() as u64);
                for a in acks {
                    a.fail(e.to_string());
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
    info!("aggregate stage drained");
}

// ----------------------------------------------------------------- classify

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

// ------------------------------------------------------------------- ingest

/// Outcome of one poll, for logs and scheduling.
#[derive(Debug)]
pub enum PollResult {
    /// Items published (new relevant ones) out of items in the feed.
    Fetched {
        /// Items in the response.
        items: usize,
        /// New relevant items, now durable.
        published: usize,
    },
    /// 304.
    NotModified,
}

/// A feed poll that failed, with the kind for metrics.
#[derive(Debug)]
pub struct PollError {
    /// Metric label.
    pub kind: &'static str,
    /// Message naming the feed.
    pub message: String,
    /// Server-requested delay.
    pub retry_after: Option<Duration>,
}

impl From<FetchError> for PollError {
    fn from(e: FetchError) -> Self {
        PollError {
            kind: e.kind.as_str(),
            message: e.to_string(),
            retry_after: e.retry_after,
        }
    }
}

/// Context for polling feeds.
/// Fetch permits of one feed: at most `ingest.concurrency` fetches at once
/// overall, and at most `ingest.per_host_concurrency` to its host.
#[derive(Debug, Clone)]
pub struct FetchPermits {
    all: Arc<Semaphore>,
    host: Arc<Semaphore>,
}

/// Starts one polling task per configured feed, with shared fetch permits.
pub fn spawn_feeds<P>(
    ingest: &Arc<Ingest<P>>,
    shutdown: &Shutdown,
) -> Vec<tokio::task::JoinHandle<()>>
where
    P: Publisher<RawArticle> + Send + Sync + 'static,
{
    let cfg = &ingest.state.config;
    let all = Arc::new(Semaphore::new(cfg.ingest.concurrency));
    let mut hosts: std::collections::HashMap<String, Arc<Semaphore>> = Default::default();
    cfg.feeds
        .iter()
        .map(|f| {
            let host = url::Url::parse(&f.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                .unwrap_or_default();
            let host = hosts
                .entry(host)
                .or_insert_with(|| Arc::new(Semaphore::new(cfg.ingest.per_host_concurrency)))
                .clone();
            let permits = FetchPermits {
                all: all.clone(),
                host,
            };
            let (ingest, feed, sd) = (ingest.clone(), f.clone(), shutdown.clone());
            tokio::spawn(async move { ingest.run_feed(feed, permits, sd).await })
        })
        .collect()
}

/// The ingest stage: polls feeds, publishes their new relevant items.
pub struct Ingest<P> {
    /// Where new items go.
    pub publisher: P,
    /// HTTP client.
    pub fetcher: Fetcher,
    /// Relevance matchers.
    pub classify: Arc<Classify>,
    /// Cursor and feed state.
    pub store: Store,
    /// Metrics and config.
    pub state: Arc<AppState>,
    /// Items whose page was already fetched for full text: an item that
    /// proved irrelevant is not fetched again at every poll.
    pub fulltext_seen: std::sync::Mutex<std::collections::HashSet<pantau_model::ArticleId>>,
}

impl<P: Publisher<RawArticle>> Ingest<P> {
    /// Fetches a feed once and publishes its new relevant items; advances the
    /// feed's cursor only when every one of them is durable.
    pub async fn poll(&self, feed: &FeedConfig) -> Result<PollResult, PollError> {
        let state = self
            .store
            .feed_state(&feed.id)
            .await
            .map_err(|e| PollError {
                kind: "store",
                message: format!("{}: reading feed state: {e}", feed.id),
                retry_after: None,
            })?;
        let cursor = Cursor {
            etag: state.etag,
            last_modified: state.last_modified,
        };
        let fetched_at = Utc::now();
        let (bytes, new_cursor, content_type) = match self.fetcher.fetch(&feed.url, &cursor).await?
        {
            FetchOutcome::NotModified => {
                self.record_success(feed, &cursor, 0).await?;
                return Ok(PollResult::NotModified);
            }
            FetchOutcome::Body {
                bytes,
                cursor,
                content_type,
            } => (bytes, cursor, content_type),
        };
        let parsed = parse_feed_as(
            &bytes,
            content_type.as_deref(),
            &feed.id,
            feed.outlet.as_deref(),
            feed.media_type,
            fetched_at,
        )
        .map_err(|e| PollError {
            kind: FetchErrorKind::Parse.as_str(),
            message: e.to_string(),
            retry_after: None,
        })?;
        let total = parsed.items.len();
        let mut items = parsed.items;
        // Only new items are worth relevance, a page fetch or a publish.
        let refs: Vec<&RawArticle> = items.iter().collect();
        let known = self.store.known(&refs).await.map_err(|e| PollError {
            kind: "store",
            message: format!("{}: checking known ids: {e}", feed.id),
            retry_after: None,
        })?;
        items.retain(|a| !known.contains(&a.id));
        if feed.full_text {
            for a in &mut items {
                let first_time = {
                    let mut seen = self.fulltext_seen.lock().expect("lock");
                    // Bounded memory: forgetting means one more fetch, no harm.
                    if seen.len() > 100_000 {
                        seen.clear();
                    }
                    seen.insert(a.id.clone())
                };
                if first_time {
                    self.fill_full_text(feed, a).await;
                }
            }
        }
        let relevant: Vec<RawArticle> = items
            .into_iter()
            .filter_map(|mut a| {
                a.relevance = self.classify.relevance(&a);
                (!a.relevance.is_empty()).then_some(a)
            })
            .collect();
        let published = relevant.len();
        // Flagged: stored without a publication date (NULL) and counted at
        // first-seen time.
        let undated = relevant.iter().filter(|a| a.published_at.is_none()).count();
        if undated > 0 {
            debug!(feed = %feed.id, undated, "new items without a usable date");
            self.state
                .metrics
                .feed_items_undated
                .with_label_values(&[&feed.id])
                .inc_by(undated as u64);
        }
        let ids: Vec<_> = relevant.iter().map(|a| a.id.clone()).collect();
        let results =
            futures::future::join_all(relevant.into_iter().map(|a| self.publisher.publish(a)))
                .await;
        if let Some(e) = results.into_iter().find_map(Result::err) {
            // Not durable: their pages are fetched again on the next poll.
            let mut seen = self.fulltext_seen.lock().expect("lock");
            for id in &ids {
                seen.remove(id);
            }
            return Err(PollError {
                kind: "publish",
                message: format!("{}: items not durable, cursor kept: {e}", feed.id),
                retry_after: None,
            });
        }
        self.record_success(feed, &new_cursor, published as i64)
            .await?;
        Ok(PollResult::Fetched {
            items: total,
            published,
        })
    }

    /// Replaces a teaser body with the article page's main text; on any
    /// failure the teaser stays (logged and counted).
    async fn fill_full_text(&self, feed: &FeedConfig, a: &mut RawArticle) {
        let Some(url) = a.url.clone() else { return };
        let outcome = match self.fetcher.fetch(&url, &Cursor::default()).await {
            Ok(FetchOutcome::Body {
                bytes,
                content_type,
                ..
            }) => {
                let (html, _) = pantau_ingest::decode::to_utf8(&bytes, content_type.as_deref());
                match pantau_ingest::fulltext::main_text(&html, &url) {
                    Ok(text) => {
                        a.body = text;
                        "ok"
                    }
                    Err(e) => {
                        warn!(feed = %feed.id, url = %url, error = %e, "full text not extracted; keeping the teaser");
                        "not_readable"
                    }
                }
            }
            Ok(FetchOutcome::NotModified) => "not_modified",
            Err(e) => {
                warn!(feed = %feed.id, url = %url, error = %e.message, "article page not fetched; keeping the teaser");
                e.kind.as_str()
            }
        };
        self.state
            .metrics
            .fulltext_fetches
            .with_label_values(&[&feed.id, outcome])
            .inc();
    }

    async fn record_success(
        &self,
        feed: &FeedConfig,
        cursor: &Cursor,
        n: i64,
    ) -> Result<(), PollError> {
        self.store
            .feed_success(
                &feed.id,
                cursor.etag.as_deref(),
                cursor.last_modified.as_deref(),
                n,
                Utc::now(),
            )
            .await
            .map_err(|e| PollError {
                kind: "store",
                message: format!("{}: saving cursor: {e}", feed.id),
                retry_after: None,
            })
    }

    /// Polls one feed on its interval until shutdown, with exponential
    /// backoff and jitter after failures.
    pub async fn run_feed(&self, feed: FeedConfig, permits: FetchPermits, mut shutdown: Shutdown) {
        let cfg = &self.state.config.ingest;
        let interval = feed.interval_or(cfg);
        let m = &self.state.metrics;
        let mut failures: u32 = 0;
        loop {
            let result = {
                // The host's permit first: a feed waiting for its busy host
                // holds no global permit meanwhile.
                let _host = tokio::select! {
                    p = permits.host.acquire() => p.expect("semaphore open"),
                    _ = stopped(&mut shutdown) => return,
                };
                let _permit = tokio::select! {
                    p = permits.all.acquire() => p.expect("semaphore open"),
                    _ = stopped(&mut shutdown) => return,
                };
                // Abandoning a poll at shutdown is safe: items already queued
                // are still stored, and the cursor, not advanced, makes the
                // next start fetch them again (the store drops duplicates).
                tokio::select! {
                    r = self.poll(&feed) => r,
                    _ = stopped(&mut shutdown) => return,
                }
            };
            let delay = match result {
                Ok(r) => {
                    failures = 0;
                    let outcome = match &r {
                        PollResult::NotModified => FETCH_NOT_MODIFIED,
                        PollResult::Fetched { .. } => FETCH_OK,
                    };
                    m.feed_fetches.with_label_values(&[&feed.id, outcome]).inc();
                    m.feed_last_success
                        .with_label_values(&[&feed.id])
                        .set(Utc::now().timestamp());
                    m.feed_failures.with_label_values(&[&feed.id]).set(0);
                    if let PollResult::Fetched { items, published } = r {
                        m.feed_items
                            .with_label_values(&[&feed.id])
                            .inc_by(published as u64);
                        info!(feed = %feed.id, items, published, "feed fetched");
                    } else {
                        debug!(feed = %feed.id, "feed not modified");
                    }
                    interval
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let backoff = backoff(interval, cfg.max_interval, failures, e.retry_after);
                    // Log before counting: whoever sees the counter move can
                    // already find the line that explains it.
                    warn!(feed = %feed.id, kind = e.kind, failures, retry_in = ?backoff, error = %e.message, "feed fetch failed");
                    if let Err(se) = self
                        .store
                        .feed_failure(&feed.id, e.kind, &e.message, Utc::now())
                        .await
                    {
                        error!(feed = %feed.id, error = %se, "cannot record feed failure");
                    }
                    m.feed_fetches.with_label_values(&[&feed.id, e.kind]).inc();
                    m.feed_failures
                        .with_label_values(&[&feed.id])
                        .set(i64::from(failures));
                    backoff
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = stopped(&mut shutdown) => return,
            }
        }
    }
}

/// Delay after `failures` consecutive failures: the interval doubled per
/// failure (capped at `max`), ±20 % jitter, never less than `retry_after`.
pub fn backoff(
    interval: Duration,
    max: Duration,
    failures: u32,
    retry_after: Option<Duration>,
) -> Duration {
    let base = interval
        .checked_mul(1u32 << failures.saturating_sub(1).min(10))
        .unwrap_or(max)
        .min(max);
    let jitter = 0.8 + fastrand::f64() * 0.4;
    base.mul_f64(jitter).max(retry_after.unwrap_or_default())
}

// ---------------------------------------------------------------------- run

/// Builds the fetcher from the ingest configuration.
pub fn fetcher(config: &Config) -> anyhow::Result<Fetcher> {
    Ok(Fetcher::new(FetcherConfig {
        connect_timeout: config.ingest.connect_timeout,
        timeout: config.ingest.timeout,
        max_body_bytes: config.ingest.max_body_bytes,
        max_redirects: 5,
    })?)
}

/// Every outcome label of `pantau_feed_fetches_total`.
pub fn fetch_outcomes() -> Vec<&'static str> {
    let mut v = vec![FETCH_OK, FETCH_NOT_MODIFIED, "store", "publish"];
    v.extend(FetchErrorKind::ALL.iter().map(|k| k.as_str()));
    v
}

/// `pantau run`: every stage in one process over the embedded bus, plus the
/// HTTP server, until SIGINT/SIGTERM; then drains and exits.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let store_url = config.store_url();
    let store = Store::open(&store_url)
        .await
        .with_context(|| format!("opening the store {store_url}"))?;
    let classifier = pantau_sentiment::Classifier::load(&config.lexicon_dir)
        .with_context(|| format!("loading lexicons from {}", config.lexicon_dir.display()))?;
    let classify_ctx = Arc::new(Classify::new(classifier, &config.entities));
    let metrics = pantau_metrics::Metrics::new();
    let outcomes = fetch_outcomes();
    for f in &config.feeds {
        metrics.init_feed(&f.id, &outcomes);
    }
    let state = Arc::new(AppState::new(config, metrics));
    let n = rebuild_counters(&state, &store).await?;
    info!(articles = n, "counters rebuilt from the store");
    crate::review::mark_current(&state, &store).await?;

    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let listener = tokio::net::TcpListener::bind(state.config.http.listen)
        .await
        .with_context(|| format!("binding http.listen {}", state.config.http.listen))?;
    info!(addr = %listener.local_addr()?, "http listening");
    if let Err(e) = crate::survey::refresh(&state, &store).await {
        warn!(error = %e, "survey metrics not computed");
    }

    let review_sync = crate::review::spawn_sync(state.clone(), store.clone(), shutdown_rx.clone());
    // Imports by `pantau survey import` in another process show up within a minute.
    let survey_refresh = {
        let (state, store, mut sd) = (state.clone(), store.clone(), shutdown_rx.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(60)) => {}
                    _ = stopped(&mut sd) => return,
                }
                if let Err(e) = crate::survey::refresh(&state, &store).await {
                    warn!(error = %e, "survey metrics not refreshed");
                }
            }
        })
    };

    let cap = state.config.bus.capacity;
    let (raw_pub, raw_sub) = pantau_bus::embedded::channel::<RawArticle>(cap);
    let (scored_pub, scored_sub) = pantau_bus::embedded::channel::<ScoredArticle>(cap);
    let aggregate = tokio::spawn(aggregate(
        scored_sub,
        store.clone(),
        state.clone(),
        state.config.bus.store_batch,
    ));
    let classify_task = tokio::spawn(classify(
        raw_sub,
        scored_pub,
        classify_ctx.clone(),
        state.clone(),
        cap,
    ));

    let ctx = Arc::new(crate::http::Ctx {
        state: state.clone(),
        store: store.clone(),
        limiter: Default::default(),
        push: Some(crate::push::PushCtx {
            publisher: raw_pub.clone(),
            classify: classify_ctx.clone(),
        }),
    });
    let http = tokio::spawn(crate::http::serve(listener, ctx, shutdown_rx.clone()));
    let fetcher = fetcher(&state.config)?;
    let ingest = Arc::new(Ingest {
        publisher: raw_pub,
        fetcher,
        classify: classify_ctx,
        store: store.clone(),
        state: state.clone(),
        fulltext_seen: Default::default(),
    });
    let feeds = spawn_feeds(&ingest, &shutdown_rx);
    drop(ingest);
    state.set_ready(true);
    info!(
        feeds = feeds.len(),
        entities = state.config.entities.len(),
        "pantau running"
    );

    wait_for_signal().await;
    info!("shutting down: draining the pipeline");
    state.set_ready(false);
    let _ = shutdown_tx.send(true);
    for f in feeds {
        let _ = f.await;
    }
    // The feed tasks held the last raw publishers: classify and aggregate now drain.
    let _ = classify_task.await;
    let _ = aggregate.await;
    let _ = http.await;
    let _ = survey_refresh.await;
    let _ = review_sync.await;
    store.close().await;
    info!("stopped cleanly");
    Ok(())
}

async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_honours_retry_after() {
        let i = Duration::from_secs(60);
        let max = Duration::from_secs(600);
        for _ in 0..50 {
            let b1 = backoff(i, max, 1, None);
            assert!(
                b1 >= Duration::from_secs(48) && b1 <= Duration::from_secs(72),
                "{b1:?}"
            );
            let b3 = backoff(i, max, 3, None);
            assert!(
                b3 >= Duration::from_secs(192) && b3 <= Duration::from_secs(288),
                "{b3:?}"
            );
            let b20 = backoff(i, max, 20, None);
            assert!(b20 <= Duration::from_secs(720), "{b20:?}");
            let ra = backoff(i, max, 1, Some(Duration::from_secs(3600)));
            assert_eq!(ra, Duration::from_secs(3600));
        }
    }
}

// ------------------------------------------------------------ over Kafka

/// The three services of the scaled-out deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Feeds → raw topic.
    Ingest,
    /// Raw topic → scored topic.
    Classify,
    /// Scored topic → store, counters, metrics, API.
    Aggregate,
}

impl Service {
    fn name(self) -> &'static str {
        match self {
            Service::Ingest => "ingest",
            Service::Classify => "classify",
            Service::Aggregate => "aggregate",
        }
    }
}

/// Ends a subscriber's stream at shutdown, so a stage over Kafka drains
/// what it holds and stops like one over the embedded bus.
struct UntilShutdown<S> {
    inner: S,
    shutdown: Shutdown,
}

impl<T: Send, S: Subscriber<T>> Subscriber<T> for UntilShutdown<S> {
    async fn recv(&mut self) -> Option<pantau_bus::Delivery<T>> {
        if *self.shutdown.borrow() {
            return None;
        }
        let mut sd = self.shutdown.clone();
        tokio::select! {
            d = self.inner.recv() => d,
            _ = stopped(&mut sd) => None,
        }
    }

    fn try_next(&mut self) -> Option<pantau_bus::Delivery<T>> {
        if *self.shutdown.borrow() {
            return None;
        }
        self.inner.try_next()
    }
}

fn kafka_settings(state: &Arc<AppState>, service: Service) -> pantau_bus::kafka::KafkaSettings {
    use pantau_bus::kafka::KafkaEvent;
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
        }) as pantau_bus::kafka::Observer
    };
    pantau_bus::kafka::KafkaSettings {
        brokers: config.kafka.brokers.clone(),
        client_id: format!("{}-{}", config.kafka.client_id, service.name()),
        options: config.kafka.librdkafka_options.clone(),
        observer,
    }
}

/// Creates the topics, waiting with backoff while the broker is unreachable.
async fn topics_ready(state: &Arc<AppState>, service: Service, shutdown: &mut Shutdown) -> bool {
    let settings = kafka_settings(state, service);
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

/// `pantau ingest|classify|aggregate`: one stage as its own process over Kafka,
/// with its own `/metrics` and `/readyz` (not ready while the broker is not).
pub async fn run_service(config: Config, service: Service) -> anyhow::Result<()> {
    let metrics = pantau_metrics::Metrics::new();
    metrics.enable_kafka();
    let outcomes = fetch_outcomes();
    if service == Service::Ingest {
        for f in &config.feeds {
            metrics.init_feed(&f.id, &outcomes);
        }
    }
    let store = if service == Service::Classify {
        None
    } else {
        let url = config.store_url();
        Some(
            Store::open(&url)
                .await
                .with_context(|| format!("opening the store {}", pantau_store::redact(&url)))?,
        )
    };
    let classifier = pantau_sentiment::Classifier::load(&config.lexicon_dir)
        .with_context(|| format!("loading lexicons from {}", config.lexicon_dir.display()))?;
    let classify_ctx = Arc::new(Classify::new(classifier, &config.entities));
    let state = Arc::new(AppState::new(config, metrics));
    if let (Service::Aggregate, Some(store)) = (service, &store) {
        let n = rebuild_counters(&state, store).await?;
        info!(articles = n, "counters rebuilt from the store");
        crate::review::mark_current(&state, store).await?;
    }
    let (shutdown_tx, mut shutdown_rx) = watch::channel(false);
    let listener = tokio::net::TcpListener::bind(state.config.http.listen)
        .await
        .with_context(|| format!("binding http.listen {}", state.config.http.listen))?;
    info!(addr = %listener.local_addr()?, service = service.name(), "http listening");
    let http_store = match &store {
        Some(s) => s.clone(),
        // classify has no store of its own; the HTTP API it serves needs none.
        None => {
            Store::open(&format!(
                "sqlite://{}/classify-http.db",
                state.config.data_dir.display()
            ))
            .await?
        }
    };
    let ctx = Arc::new(crate::http::Ctx {
        state: state.clone(),
        store: http_store,
        limiter: Default::default(),
        push: None,
    });
    let http = tokio::spawn(crate::http::serve(listener, ctx, shutdown_rx.clone()));
    let signal = tokio::spawn(async move {
        wait_for_signal().await;
        let _ = shutdown_tx.send(true);
    });

    if !topics_ready(&state, service, &mut shutdown_rx).await {
        let _ = http.await;
        return Ok(());
    }
    state.set_ready(true);
    let settings = kafka_settings(&state, service);
    let k = state.config.kafka.clone();
    let rejected = {
        let m = state.metrics.clone();
        let stage = service.name();
        Arc::new(move |why: &str| {
            warn!(stage, error = why, "undecodable message skipped");
            m.rejected.with_label_values(&[stage, "decode"]).inc();
        }) as Arc<dyn Fn(&str) + Send + Sync>
    };
    info!(service = service.name(), brokers = %k.brokers, "pantau service running");
    match service {
        Service::Ingest => {
            let publisher = pantau_bus::kafka::KafkaPublisher::<RawArticle>::new(
                &settings,
                &k.raw_topic,
                |a| a.id.to_string(),
            )?;
            let ingest = Arc::new(Ingest {
                publisher,
                fetcher: fetcher(&state.config)?,
                classify: classify_ctx,
                store: store.clone().expect("ingest has a store"),
                state: state.clone(),
                fulltext_seen: Default::default(),
            });
            for f in spawn_feeds(&ingest, &shutdown_rx) {
                let _ = f.await;
            }
            ingest.publisher.flush(Duration::from_secs(10));
        }
        Service::Classify => {
            let sub = pantau_bus::kafka::KafkaSubscriber::<RawArticle>::new(
                &settings,
                &k.classify_group,
                &k.raw_topic,
                |b| RawArticle::from_json(b).map_err(|e| e.to_string()),
                rejected,
            )?;
            let publisher = pantau_bus::kafka::KafkaPublisher::<ScoredArticle>::new(
                &settings,
                &k.scored_topic,
                |s| s.article.id.to_string(),
            )?;
            let sub = UntilShutdown {
                inner: sub,
                shutdown: shutdown_rx.clone(),
            };
            classify(
                sub,
                &publisher,
                classify_ctx,
                state.clone(),
                state.config.bus.capacity,
            )
            .await;
            publisher.flush(Duration::from_secs(10));
        }
        Service::Aggregate => {
            let store = store.clone().expect("aggregate has a store");
            let sub = pantau_bus::kafka::KafkaSubscriber::<ScoredArticle>::new(
                &settings,
                &k.aggregate_group,
                &k.scored_topic,
                |b| ScoredArticle::from_json(b).map_err(|e| e.to_string()),
                rejected,
            )?;
            let review =
                crate::review::spawn_sync(state.clone(), store.clone(), shutdown_rx.clone());
            let sub = UntilShutdown {
                inner: sub,
                shutdown: shutdown_rx.clone(),
            };
            aggregate(
                sub,
                store.clone(),
                state.clone(),
                state.config.bus.store_batch,
            )
            .await;
            let _ = review.await;
        }
    }
    state.set_ready(false);
    let _ = http.await;
    signal.abort();
    if let Some(s) = store {
        s.close().await;
    }
    info!(service = service.name(), "stopped cleanly");
    Ok(())
}
