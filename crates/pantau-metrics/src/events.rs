//! Internal events, Vector's way: each notable event is a struct whose
//! [`InternalEvent::emit`] writes its log line and moves its counters, so a
//! line and its counter cannot drift apart. The line comes first: whoever
//! sees a counter move can already find the line that explains it.

use std::time::Duration;

use crate::{Metrics, FETCH_NOT_MODIFIED, FETCH_OK};

/// Something worth a log line and a metric.
pub trait InternalEvent {
    /// Logs the event and counts it.
    fn emit(self, metrics: &Metrics);
}

/// A feed was fetched and its new relevant items are durable.
#[derive(Debug)]
pub struct FeedFetched<'a> {
    /// Feed id.
    pub feed: &'a str,
    /// Items in the response.
    pub items: usize,
    /// New relevant items published.
    pub published: usize,
    /// Unix time of the success.
    pub at_secs: i64,
}

impl InternalEvent for FeedFetched<'_> {
    fn emit(self, m: &Metrics) {
        tracing::info!(feed = %self.feed, items = self.items, published = self.published, "feed fetched");
        m.feed_fetches
            .with_label_values(&[self.feed, FETCH_OK])
            .inc();
        m.feed_items
            .with_label_values(&[self.feed])
            .inc_by(self.published as u64);
        succeeded(m, self.feed, self.at_secs);
    }
}

/// A feed answered 304 Not Modified.
#[derive(Debug)]
pub struct FeedNotModified<'a> {
    /// Feed id.
    pub feed: &'a str,
    /// Unix time of the success.
    pub at_secs: i64,
}

impl InternalEvent for FeedNotModified<'_> {
    fn emit(self, m: &Metrics) {
        tracing::debug!(feed = %self.feed, "feed not modified");
        m.feed_fetches
            .with_label_values(&[self.feed, FETCH_NOT_MODIFIED])
            .inc();
        succeeded(m, self.feed, self.at_secs);
    }
}

fn succeeded(m: &Metrics, feed: &str, at_secs: i64) {
    m.feed_last_success.with_label_values(&[feed]).set(at_secs);
    m.feed_failures.with_label_values(&[feed]).set(0);
}

/// A feed fetch failed; it is tried again after `retry_in`.
#[derive(Debug)]
pub struct FeedFetchFailed<'a> {
    /// Feed id.
    pub feed: &'a str,
    /// The bounded error kind (`timeout`, `http_5xx`, `parse`, `store` …).
    pub kind: &'a str,
    /// Failures in a row, this one included.
    pub failures: u32,
    /// When it is tried again.
    pub retry_in: Duration,
    /// The message, naming the feed.
    pub error: &'a str,
}

impl InternalEvent for FeedFetchFailed<'_> {
    fn emit(self, m: &Metrics) {
        tracing::warn!(feed = %self.feed, kind = self.kind, failures = self.failures, retry_in = ?self.retry_in, error = %self.error, "feed fetch failed");
        m.feed_fetches
            .with_label_values(&[self.feed, self.kind])
            .inc();
        m.feed_failures
            .with_label_values(&[self.feed])
            .set(i64::from(self.failures));
    }
}

/// New items of a feed without a usable date: counted at first-seen time.
#[derive(Debug)]
pub struct ItemsUndated<'a> {
    /// Feed id.
    pub feed: &'a str,
    /// How many.
    pub items: usize,
}

impl InternalEvent for ItemsUndated<'_> {
    fn emit(self, m: &Metrics) {
        if self.items == 0 {
            return;
        }
        tracing::debug!(feed = %self.feed, undated = self.items, "new items without a usable date");
        m.feed_items_undated
            .with_label_values(&[self.feed])
            .inc_by(self.items as u64);
    }
}

/// An article page fetched (or not) for its full text.
#[derive(Debug)]
pub struct FulltextFetched<'a> {
    /// Feed id.
    pub feed: &'a str,
    /// The page.
    pub url: &'a str,
    /// `ok`, `not_readable`, `not_modified` or a fetch error kind.
    pub outcome: &'a str,
    /// Why it failed, when it did.
    pub error: Option<&'a str>,
}

impl InternalEvent for FulltextFetched<'_> {
    fn emit(self, m: &Metrics) {
        if let Some(e) = self.error {
            tracing::warn!(feed = %self.feed, url = %self.url, outcome = self.outcome, error = %e, "full text not taken; keeping the teaser");
        }
        m.fulltext_fetches
            .with_label_values(&[self.feed, self.outcome])
            .inc();
    }
}

/// Input refused: a bad push, a bad survey submission, an undecodable
/// message, a batch the store would not take.
#[derive(Debug)]
pub struct InputRejected<'a> {
    /// The stage or endpoint (`push`, `survey`, `review`, `classify`, `aggregate` …).
    pub stage: &'a str,
    /// The bounded reason (`unauthorised`, `malformed`, `invalid`, `decode`, `store` …).
    pub error_type: &'a str,
    /// Items refused.
    pub count: u64,
    /// What was wrong, for the log.
    pub detail: &'a str,
}

impl InternalEvent for InputRejected<'_> {
    fn emit(self, m: &Metrics) {
        if self.error_type == "store" {
            tracing::error!(stage = self.stage, items = self.count, error = %self.detail, "store write failed");
        } else {
            tracing::warn!(stage = self.stage, error_type = self.error_type, items = self.count, error = %self.detail, "input rejected");
        }
        m.rejected
            .with_label_values(&[self.stage, self.error_type])
            .inc_by(self.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_moves_its_own_series() {
        let m = Metrics::new();
        FeedFetched {
            feed: "a",
            items: 10,
            published: 3,
            at_secs: 1_700_000_000,
        }
        .emit(&m);
        FeedFetchFailed {
            feed: "a",
            kind: "timeout",
            failures: 2,
            retry_in: Duration::from_secs(60),
            error: "a: timed out",
        }
        .emit(&m);
        InputRejected {
            stage: "push",
            error_type: "invalid",
            count: 4,
            detail: "items[0].url: required",
        }
        .emit(&m);
        let text = m.encode(vec![]);
        for line in [
            "pantau_feed_fetches_total{feed=\"a\",outcome=\"ok\"} 1",
            "pantau_feed_fetches_total{feed=\"a\",outcome=\"timeout\"} 1",
            "pantau_feed_items_total{feed=\"a\"} 3",
            "pantau_feed_consecutive_failures{feed=\"a\"} 2",
            "pantau_feed_last_success_timestamp_seconds{feed=\"a\"} 1700000000",
            "pantau_rejected_total{error_type=\"invalid\",stage=\"push\"} 4",
        ] {
            assert!(text.contains(line), "{line} missing in\n{text}");
        }
    }
}
