//! The bus over Apache Kafka (rdkafka). A publish resolves on the delivery
//! report of an idempotent producer (`acks=all`); a consumer stores a
//! partition's offset only up to the lowest delivery not yet acknowledged,
//! so a crash re-delivers, never skips (at-least-once; the store's
//! idempotent insert makes counts exact).

use std::collections::{BTreeMap, BTreeSet};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::statistics::Statistics;
use rdkafka::{ClientContext, Message, Offset, TopicPartitionList};
use serde::Serialize;

use crate::{Ack, AckSink, BusError, Delivery, Publisher, Subscriber};

/// What the clients report for metrics and readiness.
#[derive(Debug, Clone, PartialEq)]
pub enum KafkaEvent<'a> {
    /// A message's delivery was acknowledged by the broker.
    Produced {
        /// Topic.
        topic: &'a str,
    },
    /// A message could not be delivered (it is retried or nacked).
    ProduceFailed {
        /// Topic.
        topic: &'a str,
    },
    /// A message was received.
    Consumed {
        /// Topic.
        topic: &'a str,
    },
    /// Receiving failed (the consumer retries).
    ConsumeFailed,
    /// Consumer lag of every partition assigned to this consumer now
    /// (replacing the previous report): (topic, partition, lag).
    Lag {
        /// Consumer group.
        group: &'a str,
        /// Assigned partitions and their lag in messages.
        partitions: &'a [(String, i32, i64)],
    },
    /// Whether any broker is reachable.
    Connected(bool),
}

/// Receives [`KafkaEvent`]s (from librdkafka's threads: keep it quick).
pub type Observer = Arc<dyn Fn(KafkaEvent<'_>) + Send + Sync>;

/// Connection settings shared by producers and consumers.
#[derive(Clone)]
pub struct KafkaSettings {
    /// `host:port,host:port`.
    pub brokers: String,
    /// Client id (shows in broker logs and metrics).
    pub client_id: String,
    /// Anything else for librdkafka (security, tuning), passed through.
    pub options: BTreeMap<String, String>,
    /// Metrics and readiness hook.
    pub observer: Observer,
}

impl std::fmt::Debug for KafkaSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaSettings")
            .field("brokers", &self.brokers)
            .field("client_id", &self.client_id)
            .field("options", &self.options.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// How often librdkafka reports statistics (lag, broker states).
const STATISTICS_INTERVAL_MS: &str = "5000";

impl KafkaSettings {
    fn base(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &self.brokers)
            .set("client.id", &self.client_id)
            .set("statistics.interval.ms", STATISTICS_INTERVAL_MS);
        for (k, v) in &self.options {
            c.set(k, v);
        }
        c
    }

    fn context(&self, group: Option<&str>) -> Observed {
        Observed {
            observer: self.observer.clone(),
            group: group.map(str::to_owned),
            tracker: Arc::default(),
        }
    }
}

/// Assigned partitions and their lag, from one statistics report: a
/// partition counts when it is being fetched (librdkafka's `fetch_state`
/// other than `none`/`stopped`) and its lag is known.
fn assigned_lag(stats: &Statistics) -> Vec<(String, i32, i64)> {
    let mut out: Vec<_> = stats
        .topics
        .iter()
        .flat_map(|(topic, t)| {
            t.partitions.values().filter_map(move |p| {
                let assigned = p.partition >= 0
                    && !matches!(p.fetch_state.as_str(), "none" | "stopping" | "stopped");
                // Lag behind the committed offset; before the first commit,
                // behind the stored one.
                let lag = if p.consumer_lag >= 0 {
                    p.consumer_lag
                } else {
                    p.consumer_lag_stored
                };
                (assigned && lag >= 0).then(|| (topic.clone(), p.partition, lag))
            })
        })
        .collect();
    out.sort();
    out
}

/// A client's context: statistics and errors to the observer; for
/// consumers, a synchronous commit when partitions are taken away and the
/// in-flight offsets of partitions no longer assigned forgotten.
struct Observed {
    observer: Observer,
    group: Option<String>,
    tracker: Arc<Mutex<Tracker>>,
}

impl ClientContext for Observed {
    fn stats(&self, stats: Statistics) {
        // Bootstrap entries have node id -1; a real broker connection is UP.
        let up = stats
            .brokers
            .values()
            .any(|b| b.nodeid >= 0 && b.state == "UP");
        (self.observer)(KafkaEvent::Connected(up));
        if let Some(group) = &self.group {
            let partitions = assigned_lag(&stats);
            (self.observer)(KafkaEvent::Lag {
                group,
                partitions: &partitions,
            });
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        if matches!(
            error.rdkafka_error_code(),
            Some(RDKafkaErrorCode::AllBrokersDown)
        ) {
            (self.observer)(KafkaEvent::Connected(false));
        }
        tracing::warn!(error = %error, reason, "kafka client error");
    }
}

/// Creates the topics when absent (an existing topic is left as it is).
pub async fn ensure_topics(
    settings: &KafkaSettings,
    topics: &[&str],
    partitions: i32,
    replication: i32,
) -> Result<(), BusError> {
    let admin: AdminClient<DefaultClientContext> = settings
        .base()
        .create()
        .map_err(|e| BusError::Failed(format!("kafka admin client: {e}")))?;
    let new: Vec<NewTopic<'_>> = topics
        .iter()
        .map(|t| NewTopic::new(t, partitions, TopicReplication::Fixed(replication)))
        .collect();
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    let results = admin
        .create_topics(new.iter(), &opts)
        .await
        .map_err(|e| BusError::Failed(format!("creating topics: {e}")))?;
    for r in results {
        match r {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((t, code)) => return Err(BusError::Failed(format!("creating topic {t}: {code}"))),
        }
    }
    Ok(())
}

/// Publishes JSON messages keyed by `key(item)`.
pub struct KafkaPublisher<T> {
    producer: FutureProducer<Observed>,
    observer: Observer,
    topic: String,
    key: fn(&T) -> String,
    _t: PhantomData<fn(T)>,
}

impl<T> KafkaPublisher<T> {
    /// An idempotent producer (`enable.idempotence=true`, so `acks=all`).
    pub fn new(
        settings: &KafkaSettings,
        topic: &str,
        key: fn(&T) -> String,
    ) -> Result<Self, BusError> {
        let producer: FutureProducer<Observed> = settings
            .base()
            .set("enable.idempotence", "true")
            .set("compression.type", "zstd")
            .set("linger.ms", "5")
            // A broker outage shorter than this is waited out, not an error.
            .set("message.timeout.ms", "300000")
            .create_with_context(settings.context(None))
            .map_err(|e| BusError::Failed(format!("kafka producer: {e}")))?;
        Ok(KafkaPublisher {
            producer,
            observer: settings.observer.clone(),
            topic: topic.to_owned(),
            key,
            _t: PhantomData,
        })
    }

    /// Waits (bounded) for queued messages before shutdown: the producer's
    /// drop waits only briefly.
    pub fn flush(&self, timeout: Duration) {
        if let Err(e) = self.producer.flush(timeout) {
            tracing::warn!(error = %e, "kafka producer flush incomplete");
        }
    }
}

impl<T: Serialize + Send + Sync> Publisher<T> for KafkaPublisher<T> {
    async fn publish(&self, item: T) -> Result<(), BusError> {
        let payload = serde_json::to_vec(&item).map_err(|e| BusError::Failed(e.to_string()))?;
        let key = (self.key)(&item);
        loop {
            let record = FutureRecord::to(&self.topic).key(&key).payload(&payload);
            match self.producer.send_result(record) {
                Ok(delivery) => {
                    let result = match delivery.await {
                        Ok(Ok(_)) => Ok(()),
                        Ok(Err((e, _))) => Err(BusError::Failed(format!("kafka delivery: {e}"))),
                        Err(_) => Err(BusError::Dropped),
                    };
                    (self.observer)(match result {
                        Ok(()) => KafkaEvent::Produced { topic: &self.topic },
                        Err(_) => KafkaEvent::ProduceFailed { topic: &self.topic },
                    });
                    return result;
                }
                // A full local queue is back-pressure: wait and retry.
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err((e, _)) => {
                    (self.observer)(KafkaEvent::ProduceFailed { topic: &self.topic });
                    return Err(BusError::Failed(format!("kafka send: {e}")));
                }
            }
        }
    }
}

/// Offsets in flight per partition: a partition's committed position never
/// passes a delivery that is not acknowledged yet.
#[derive(Debug, Default)]
struct Tracker {
    /// (topic, partition) → (pending offsets, highest offset seen)
    partitions: BTreeMap<(String, i32), (BTreeSet<i64>, i64)>,
}

impl Tracker {
    fn start(&mut self, topic: &str, partition: i32, offset: i64) {
        let e = self
            .partitions
            .entry((topic.to_owned(), partition))
            .or_insert_with(|| (BTreeSet::new(), offset - 1));
        e.0.insert(offset);
        e.1 = e.1.max(offset);
    }

    /// Forgets a partition that is no longer assigned: acknowledgements still
    /// in flight for it store nothing, and a later assignment starts afresh
    /// from the committed offset.
    fn forget(&mut self, topic: &str, partition: i32) {
        self.partitions.remove(&(topic.to_owned(), partition));
    }

    /// Marks `offset` done; returns the offset to store (the next to read).
    fn done(&mut self, topic: &str, partition: i32, offset: i64) -> Option<i64> {
        let e = self.partitions.get_mut(&(topic.to_owned(), partition))?;
        e.0.remove(&offset);
        Some(e.0.first().copied().unwrap_or(e.1 + 1))
    }
}

impl ConsumerContext for Observed {
    fn pre_rebalance(
        &self,
        consumer: &rdkafka::consumer::BaseConsumer<Self>,
        rebalance: &Rebalance<'_>,
    ) {
        if let Rebalance::Revoke(revoked) = rebalance {
            if let Err(e) = consumer.commit_consumer_state(CommitMode::Sync) {
                if !matches!(e, KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) {
                    tracing::warn!(error = %e, "commit on revoke failed");
                }
            }
            let mut tracker = self.tracker.lock().expect("tracker lock");
            for p in revoked.elements() {
                tracker.forget(p.topic(), p.partition());
            }
            tracing::info!(partitions = revoked.count(), "kafka partitions revoked");
        }
    }

    fn post_rebalance(
        &self,
        _consumer: &rdkafka::consumer::BaseConsumer<Self>,
        rebalance: &Rebalance<'_>,
    ) {
        if let Rebalance::Assign(assigned) = rebalance {
            tracing::info!(partitions = assigned.count(), "kafka partitions assigned");
        }
    }
}

type Inner = StreamConsumer<Observed>;

/// Consumes JSON messages in a consumer group.
pub struct KafkaSubscriber<T> {
    consumer: Arc<Inner>,
    observer: Observer,
    tracker: Arc<Mutex<Tracker>>,
    decode: fn(&[u8]) -> Result<T, String>,
    rejected: Arc<dyn Fn(&str) + Send + Sync>,
}

struct KafkaAck {
    consumer: Arc<Inner>,
    tracker: Arc<Mutex<Tracker>>,
    topic: String,
    partition: i32,
    offset: i64,
}

impl AckSink for KafkaAck {
    fn complete(self: Box<Self>, outcome: Result<(), String>) {
        if outcome.is_err() {
            // Not processed: keep the offset where it is; the message comes
            // back after a restart or rebalance.
            return;
        }
        let next = self.tracker.lock().expect("tracker lock").done(
            &self.topic,
            self.partition,
            self.offset,
        );
        if let Some(next) = next {
            let mut tpl = TopicPartitionList::new();
            if tpl
                .add_partition_offset(&self.topic, self.partition, Offset::Offset(next))
                .is_ok()
            {
                if let Err(e) = self.consumer.store_offsets(&tpl) {
                    tracing::debug!(error = %e, "offset not stored (partition revoked?)");
                }
            }
        }
    }
}

impl<T> KafkaSubscriber<T> {
    /// Joins `group` on `topic`. Offsets are stored only after the output is
    /// durable and committed in the background; `rejected` is called with
    /// the reason for each message that cannot be decoded (it is skipped).
    pub fn new(
        settings: &KafkaSettings,
        group: &str,
        topic: &str,
        decode: fn(&[u8]) -> Result<T, String>,
        rejected: Arc<dyn Fn(&str) + Send + Sync>,
    ) -> Result<Self, BusError> {
        let context = settings.context(Some(group));
        let tracker = context.tracker.clone();
        let consumer: Inner = settings
            .base()
            .set("group.id", group)
            .set("enable.auto.commit", "true")
            .set("auto.commit.interval.ms", "1000")
            .set("enable.auto.offset.store", "false")
            .set("auto.offset.reset", "earliest")
            .set("partition.assignment.strategy", "cooperative-sticky")
            .set("session.timeout.ms", "10000")
            .create_with_context(context)
            .map_err(|e| BusError::Failed(format!("kafka consumer: {e}")))?;
        consumer
            .subscribe(&[topic])
            .map_err(|e| BusError::Failed(format!("subscribe {topic}: {e}")))?;
        Ok(KafkaSubscriber {
            consumer: Arc::new(consumer),
            observer: settings.observer.clone(),
            tracker,
            decode,
            rejected,
        })
    }

    /// Commits stored offsets now (at shutdown).
    pub fn commit(&self) {
        if let Err(e) = self.consumer.commit_consumer_state(CommitMode::Sync) {
            tracing::debug!(error = %e, "final commit");
        }
    }

    fn delivery(&self, m: &rdkafka::message::BorrowedMessage<'_>) -> Option<Delivery<T>> {
        let (topic, partition, offset) = (m.topic().to_owned(), m.partition(), m.offset());
        (self.observer)(KafkaEvent::Consumed { topic: &topic });
        self.tracker
            .lock()
            .expect("tracker lock")
            .start(&topic, partition, offset);
        let ack = Ack::new(Box::new(KafkaAck {
            consumer: self.consumer.clone(),
            tracker: self.tracker.clone(),
            topic,
            partition,
            offset,
        }));
        match (self.decode)(m.payload().unwrap_or_default()) {
            Ok(item) => Some(Delivery { item, ack }),
            Err(why) => {
                // A message nobody can read must not block the partition.
                (self.rejected)(&why);
                ack.ack();
                None
            }
        }
    }
}

impl<T: Send> Subscriber<T> for KafkaSubscriber<T> {
    async fn recv(&mut self) -> Option<Delivery<T>> {
        loop {
            match self.consumer.recv().await {
                Ok(m) => {
                    if let Some(d) = self.delivery(&m) {
                        return Some(d);
                    }
                }
                Err(e) => {
                    (self.observer)(KafkaEvent::ConsumeFailed);
                    tracing::warn!(error = %e, "kafka receive failed; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
    }

    fn try_next(&mut self) -> Option<Delivery<T>> {
        loop {
            match self.consumer.recv().now_or_never()? {
                Ok(m) => {
                    if let Some(d) = self.delivery(&m) {
                        return Some(d);
                    }
                }
                Err(_) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_never_pass_an_unacknowledged_delivery() {
        let mut t = Tracker::default();
        for o in 10..15 {
            t.start("raw", 0, o);
        }
        // 12 and 13 done first: position stays at 10.
        assert_eq!(t.done("raw", 0, 12), Some(10));
        assert_eq!(t.done("raw", 0, 13), Some(10));
        assert_eq!(t.done("raw", 0, 10), Some(11));
        assert_eq!(t.done("raw", 0, 11), Some(14));
        assert_eq!(t.done("raw", 0, 14), Some(15));
        assert_eq!(t.done("raw", 1, 0), None, "unknown partition");
        // Revoked while 20 was in flight: its late acknowledgement stores
        // nothing, and a new assignment starts from what it is given.
        t.start("raw", 0, 20);
        t.forget("raw", 0);
        assert_eq!(t.done("raw", 0, 20), None);
        t.start("raw", 0, 16);
        assert_eq!(t.done("raw", 0, 16), Some(17));
    }

    #[test]
    fn lag_is_reported_for_assigned_partitions_only() {
        let mut stats = Statistics::default();
        let mut topic = rdkafka::statistics::Topic::default();
        for (p, state, lag, stored) in [
            (0, "active", 7, 3),
            (1, "none", 99, 99),
            (2, "offset-query", -1, -1),
            (3, "active", -1, 4),
            (-1, "none", 5, 5),
        ] {
            topic.partitions.insert(
                p,
                rdkafka::statistics::Partition {
                    partition: p,
                    fetch_state: state.into(),
                    consumer_lag: lag,
                    consumer_lag_stored: stored,
                    ..Default::default()
                },
            );
        }
        stats.topics.insert("raw".into(), topic);
        assert_eq!(
            assigned_lag(&stats),
            [("raw".to_owned(), 0, 7), ("raw".to_owned(), 3, 4)]
        );
    }
}
