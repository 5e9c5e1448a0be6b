//! pantau's Prometheus metrics: one registry, every metric named once here.
//!
//! # Layout
//!
//! - [`Metrics`]: the event metrics that stages increment (feed fetches,
//!   stage latency, rejected input). Labelled series are initialised to zero
//!   so `increase()` works from the first scrape.
//! - [`events`]: one struct per notable event whose `emit()` logs it and
//!   counts it, so the line and its counter never drift.
//! - [`scrape`]: the families computed at scrape time from state the binary
//!   owns (article totals and window ratios are derived from the
//!   store-backed counters, not incremented in place, so a restart or an
//!   analyst's override is exact; the survey index), built with the
//!   [`family`] helpers.
//!
//! Naming follows Prometheus practice: `pantau_` prefix, base units,
//! `_total` on counters, `_ratio` in 0..1, `_timestamp_seconds`.

use prometheus::proto::{Counter, Gauge, LabelPair, Metric, MetricFamily, MetricType};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

pub use prometheus;

pub mod events;
pub mod scrape;

/// Outcomes of a feed fetch besides the error kinds.
pub const FETCH_OK: &str = "ok";
/// A 304 answer.
pub const FETCH_NOT_MODIFIED: &str = "not_modified";

/// The event metrics.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    /// `pantau_feed_fetches_total{feed,outcome}`.
    pub feed_fetches: IntCounterVec,
    /// `pantau_feed_last_success_timestamp_seconds{feed}`.
    pub feed_last_success: IntGaugeVec,
    /// `pantau_feed_items_total{feed}`: new relevant items published.
    pub feed_items: IntCounterVec,
    /// `pantau_fulltext_fetches_total{feed,outcome}`: article pages fetched
    /// for full text (`ok`, a fetch error kind, or `not_readable`).
    pub fulltext_fetches: IntCounterVec,
    /// `pantau_feed_items_undated_total{feed}`: items whose date was missing
    /// or absurd; they count at the time pantau first saw them.
    pub feed_items_undated: IntCounterVec,
    /// `pantau_feed_consecutive_failures{feed}`.
    pub feed_failures: IntGaugeVec,
    /// `pantau_stage_latency_seconds{stage}`.
    pub stage_latency: HistogramVec,
    /// `pantau_rejected_total{stage,error_type}`: bad input rejected.
    pub rejected: IntCounterVec,
    /// `pantau_build_info{version}`.
    pub build_info: IntGaugeVec,
    /// `pantau_kafka_messages_total{topic,direction}`: produced (delivery
    /// acknowledged) and consumed messages.
    pub kafka_messages: IntCounterVec,
    /// `pantau_kafka_errors_total{operation}`: failed produce/consume calls.
    pub kafka_errors: IntCounterVec,
    /// `pantau_kafka_consumer_lag{topic,partition,group}`: messages behind the
    /// log end, for the partitions assigned to this process only.
    pub kafka_lag: IntGaugeVec,
    /// `pantau_kafka_connected`: 1 while a broker is reachable.
    pub kafka_connected: IntGauge,
    /// `pantau_digests_total{entity}`: clippings made and stored.
    pub digests: IntCounterVec,
    /// `pantau_digest_deliveries_total{channel,outcome}`: delivery tries —
    /// `sent`, `retry` (failed, tried again later) or `failed` (given up,
    /// kept for a resend).
    pub digest_deliveries: IntCounterVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Creates and registers every event metric.
    pub fn new() -> Self {
        let registry = Registry::new();
        let feed_fetches = IntCounterVec::new(
            Opts::new(
                "pantau_feed_fetches_total",
                "Feed fetches by feed and outcome.",
            ),
            &["feed", "outcome"],
        )
        .expect("valid metric");
        let feed_last_success = IntGaugeVec::new(
            Opts::new(
                "pantau_feed_last_success_timestamp_seconds",
                "Unix time of the last successful fetch of each feed.",
            ),
            &["feed"],
        )
        .expect("valid metric");
        let fulltext_fetches = IntCounterVec::new(
            Opts::new(
                "pantau_fulltext_fetches_total",
                "Article pages fetched for their full text, by feed and outcome.",
            ),
            &["feed", "outcome"],
        )
        .expect("valid metric");
        let feed_items_undated = IntCounterVec::new(
            Opts::new(
                "pantau_feed_items_undated_total",
                "New relevant feed items with a missing or absurd date, counted at first-seen time instead.",
            ),
            &["feed"],
        )
        .expect("valid metric");
        let feed_items = IntCounterVec::new(
            Opts::new(
                "pantau_feed_items_total",
                "New relevant items published from each feed.",
            ),
            &["feed"],
        )
        .expect("valid metric");
        let feed_failures = IntGaugeVec::new(
            Opts::new(
                "pantau_feed_consecutive_failures",
                "Failed fetches of each feed since its last success.",
            ),
            &["feed"],
        )
        .expect("valid metric");
        let stage_latency = HistogramVec::new(
            HistogramOpts::new(
                "pantau_stage_latency_seconds",
                "Time spent per item or batch in each stage; end_to_end is fetch to store commit.",
            )
            .buckets(vec![
                0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            &["stage"],
        )
        .expect("valid metric");
        let rejected = IntCounterVec::new(
            Opts::new(
                "pantau_rejected_total",
                "Input rejected as invalid, by stage and error type.",
            ),
            &["stage", "error_type"],
        )
        .expect("valid metric");
        let build_info = IntGaugeVec::new(
            Opts::new(
                "pantau_build_info",
                "Always 1; the version of the running build.",
            ),
            &["version"],
        )
        .expect("valid metric");
        let kafka_messages = IntCounterVec::new(
            Opts::new(
                "pantau_kafka_messages_total",
                "Kafka messages produced (delivery acknowledged) and consumed, by topic.",
            ),
            &["topic", "direction"],
        )
        .expect("valid metric");
        let kafka_errors = IntCounterVec::new(
            Opts::new(
                "pantau_kafka_errors_total",
                "Failed Kafka operations (produce, consume), retried or redelivered.",
            ),
            &["operation"],
        )
        .expect("valid metric");
        let kafka_lag = IntGaugeVec::new(
            Opts::new(
                "pantau_kafka_consumer_lag",
                "Messages between the committed offset and the log end, per assigned partition.",
            ),
            &["topic", "partition", "group"],
        )
        .expect("valid metric");
        let kafka_connected = IntGauge::with_opts(Opts::new(
            "pantau_kafka_connected",
            "1 while at least one Kafka broker is reachable (Kafka services only).",
        ))
        .expect("valid metric");
        let digests = IntCounterVec::new(
            Opts::new(
                "pantau_digests_total",
                "Clippings (digests) made and stored, by entity.",
            ),
            &["entity"],
        )
        .expect("valid metric");
        let digest_deliveries = IntCounterVec::new(
            Opts::new(
                "pantau_digest_deliveries_total",
                "Digest delivery tries by channel and outcome: sent, retry (tried again later), failed (given up, kept for a resend).",
            ),
            &["channel", "outcome"],
        )
        .expect("valid metric");
        for c in [
            Box::new(feed_fetches.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(digests.clone()),
            Box::new(digest_deliveries.clone()),
            Box::new(feed_last_success.clone()),
            Box::new(feed_items.clone()),
            Box::new(feed_items_undated.clone()),
            Box::new(fulltext_fetches.clone()),
            Box::new(feed_failures.clone()),
            Box::new(stage_latency.clone()),
            Box::new(rejected.clone()),
            Box::new(build_info.clone()),
        ] {
            registry.register(c).expect("metric registered once");
        }
        // process_cpu_seconds_total, process_resident_memory_bytes,
        // process_open_fds, process_start_time_seconds … (Linux /proc).
        #[cfg(target_os = "linux")]
        registry
            .register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ))
            .expect("process collector registered once");
        build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION")])
            .set(1);
        Metrics {
            registry,
            feed_fetches,
            feed_last_success,
            feed_items,
            feed_items_undated,
            fulltext_fetches,
            feed_failures,
            stage_latency,
            rejected,
            build_info,
            kafka_messages,
            kafka_errors,
            kafka_lag,
            kafka_connected,
            digests,
            digest_deliveries,
        }
    }

    /// Registers the Kafka families: only the services running over Kafka
    /// export them (an embedded pipeline has no broker to be connected to).
    pub fn enable_kafka(&self) {
        for c in [
            Box::new(self.kafka_messages.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(self.kafka_errors.clone()),
            Box::new(self.kafka_lag.clone()),
            Box::new(self.kafka_connected.clone()),
        ] {
            // Registering twice is harmless: the families are already there.
            let _ = self.registry.register(c);
        }
    }

    /// Creates a feed's series at zero so `increase()` works from the start.
    pub fn init_feed(&self, feed: &str, outcomes: &[&str]) {
        for o in outcomes {
            self.feed_fetches.with_label_values(&[feed, o]);
        }
        self.feed_items.with_label_values(&[feed]);
        self.feed_items_undated.with_label_values(&[feed]);
        self.feed_failures.with_label_values(&[feed]);
    }

    /// The text exposition of the event metrics plus `extra` families.
    pub fn encode(&self, extra: Vec<MetricFamily>) -> String {
        let mut families = self.registry.gather();
        // A family without samples (a window with no articles yet) is left
        // out: the text format has no way to say "declared but empty".
        families.extend(extra.into_iter().filter(|f| !f.get_metric().is_empty()));
        families.sort_by(|a, b| a.name().cmp(b.name()));
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&families, &mut buf)
            .expect("text encoding cannot fail");
        String::from_utf8(buf).expect("exposition is UTF-8")
    }
}

/// Builders for families computed at scrape time.
pub mod family {
    use super::*;

    /// A family of the given type with samples `(labels, value)`.
    pub fn build(
        name: &str,
        help: &str,
        kind: MetricType,
        samples: Vec<(Vec<(&str, String)>, f64)>,
    ) -> MetricFamily {
        let mut f = MetricFamily::default();
        f.set_name(name.to_owned());
        f.set_help(help.to_owned());
        f.set_field_type(kind);
        let metrics = samples
            .into_iter()
            .map(|(labels, v)| {
                let mut m = Metric::default();
                let pairs = labels
                    .into_iter()
                    .map(|(k, val)| {
                        let mut p = LabelPair::default();
                        p.set_name(k.to_owned());
                        p.set_value(val);
                        p
                    })
                    .collect::<Vec<_>>();
                m.set_label(pairs);
                match kind {
                    MetricType::COUNTER => {
                        let mut c = Counter::default();
                        c.set_value(v);
                        m.set_counter(c);
                    }
                    _ => {
                        let mut g = Gauge::default();
                        g.set_value(v);
                        m.set_gauge(g);
                    }
                }
                m
            })
            .collect::<Vec<_>>();
        f.set_metric(metrics);
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_has_zeroed_series_and_scrape_time_families() {
        let m = Metrics::new();
        m.init_feed("antara", &[FETCH_OK, "timeout"]);
        m.feed_fetches
            .with_label_values(&["antara", FETCH_OK])
            .inc();
        let extra = family::build(
            "pantau_articles_total",
            "Articles counted.",
            MetricType::COUNTER,
            vec![(
                vec![
                    ("entity", "kemensos".into()),
                    ("sentiment", "negative".into()),
                ],
                3.0,
            )],
        );
        let empty = family::build("pantau_empty", "No samples.", MetricType::GAUGE, vec![]);
        let text = m.encode(vec![extra, empty]);
        assert!(!text.contains("pantau_empty"), "{text}");
        assert!(
            text.contains("pantau_feed_fetches_total{feed=\"antara\",outcome=\"ok\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("pantau_feed_fetches_total{feed=\"antara\",outcome=\"timeout\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("# TYPE pantau_articles_total counter"),
            "{text}"
        );
        assert!(
            text.contains("pantau_articles_total{entity=\"kemensos\",sentiment=\"negative\"} 3"),
            "{text}"
        );
        assert!(text.contains("pantau_build_info{version="), "{text}");
        #[cfg(target_os = "linux")]
        for process in [
            "process_resident_memory_bytes ",
            "process_start_time_seconds ",
            "process_open_fds ",
        ] {
            assert!(text.contains(process), "{process}: {text}");
        }
    }
}
