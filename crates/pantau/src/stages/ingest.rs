//! The ingest stage: polls each feed on its interval (conditional GET,
//! backoff, per-host limits), admits its new relevant items and publishes
//! them; a feed's cursor advances only when every one of them is durable.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use pantau_bus::Publisher;
use pantau_config::{Config, FeedConfig};
use pantau_ingest::{
    parse_feed_as, Cursor, FetchError, FetchErrorKind, FetchOutcome, Fetcher, FetcherConfig,
};
use pantau_metrics::events::{
    FeedFetchFailed, FeedFetched, FeedNotModified, FulltextFetched, InternalEvent, ItemsUndated,
};
use pantau_metrics::{FETCH_NOT_MODIFIED, FETCH_OK};
use pantau_model::RawArticle;
use pantau_store::Store;
use tokio::sync::Semaphore;
use tracing::error;

use crate::classify::Classify;
use crate::shutdown::{stopped, Shutdown};
use crate::sources::admission::{Admission, Status};
use crate::state::AppState;

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
        for a in &mut items {
            a.own_channel = feed.own_channel;
        }
        // Only new items are worth a page fetch, relevance or a publish.
        let mut admission = Admission::new(&self.store, &self.classify);
        let known = admission.known(&items).await.map_err(|e| PollError {
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
            .filter_map(|mut a| (admission.decide(&mut a, &known) == Status::New).then_some(a))
            .collect();
        let published = relevant.len();
        // Flagged: stored without a publication date (NULL) and counted at
        // first-seen time.
        ItemsUndated {
            feed: &feed.id,
            items: relevant.iter().filter(|a| a.published_at.is_none()).count(),
        }
        .emit(&self.state.metrics);
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
        let (outcome, error) = match self.fetcher.fetch(&url, &Cursor::default()).await {
            Ok(FetchOutcome::Body {
                bytes,
                content_type,
                ..
            }) => {
                let (html, _) = pantau_ingest::decode::to_utf8(&bytes, content_type.as_deref());
                match pantau_ingest::fulltext::main_text(&html, &url) {
                    Ok(text) => {
                        a.body = text;
                        ("ok", None)
                    }
                    Err(e) => ("not_readable", Some(e.to_string())),
                }
            }
            Ok(FetchOutcome::NotModified) => ("not_modified", None),
            Err(e) => (e.kind.as_str(), Some(e.message)),
        };
        FulltextFetched {
            feed: &feed.id,
            url: &url,
            outcome,
            error: error.as_deref(),
        }
        .emit(&self.state.metrics);
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
                    let at_secs = Utc::now().timestamp();
                    match r {
                        PollResult::NotModified => FeedNotModified {
                            feed: &feed.id,
                            at_secs,
                        }
                        .emit(m),
                        PollResult::Fetched { items, published } => FeedFetched {
                            feed: &feed.id,
                            items,
                            published,
                            at_secs,
                        }
                        .emit(m),
                    }
                    interval
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let backoff = backoff(interval, cfg.max_interval, failures, e.retry_after);
                    FeedFetchFailed {
                        feed: &feed.id,
                        kind: e.kind,
                        failures,
                        retry_in: backoff,
                        error: &e.message,
                    }
                    .emit(m);
                    if let Err(se) = self
                        .store
                        .feed_failure(&feed.id, e.kind, &e.message, Utc::now())
                        .await
                    {
                        error!(feed = %feed.id, error = %se, "cannot record feed failure");
                    }
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
