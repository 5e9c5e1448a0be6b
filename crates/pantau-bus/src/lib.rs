//! The bus between pantau's stages: a publisher/subscriber pair of traits and
//! the embedded implementation (bounded in-process channels).
//!
//! # Layout
//!
//! - [`Publisher`]: `publish(item)` resolves only when the item is *durable*
//!   downstream — on the embedded bus, when the last stage has committed it
//!   to the store and acknowledged it; on Kafka, on the delivery report.
//! - [`Subscriber`]: yields [`Delivery`]s; each carries an [`Ack`] that the
//!   consumer completes once its own output is durable. An `Ack` dropped
//!   without completion is a negative acknowledgement: the publisher learns
//!   the item was not processed, and does not advance its cursor.
//! - [`embedded`]: the in-process implementation.
//! - [`kafka`]: Apache Kafka (rdkafka), for the services run apart; the
//!   `kafka` cargo feature (on by default).
//!
//! Stages are written against the traits, so they do not know which bus
//! carries them.

pub mod embedded;
#[cfg(feature = "kafka")]
pub mod kafka;

use std::fmt;
use std::future::Future;

/// Why a publish did not become durable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusError {
    /// Nobody is consuming any more (shutdown).
    #[error("bus closed: no consumer")]
    Closed,
    /// The consumer dropped the item without acknowledging it (it crashed or
    /// is shutting down).
    #[error("item dropped before it was durable")]
    Dropped,
    /// The consumer refused or failed to store the item.
    #[error("item not stored: {0}")]
    Failed(String),
}

impl BusError {
    /// Whether publishing the same item again later may succeed: not once
    /// the bus is closed (the process is stopping; the next start fetches
    /// it again), yes when a consumer dropped or failed it.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, BusError::Closed)
    }
}

/// Completes an acknowledgement; implemented per bus.
pub trait AckSink: Send {
    /// Reports the outcome of processing the delivery.
    fn complete(self: Box<Self>, outcome: Result<(), String>);
}

/// The acknowledgement of one delivery. Complete it with [`Ack::ack`] once the
/// consumer's output is durable, or [`Ack::fail`]; dropping it is a failure.
#[must_use = "an Ack dropped without ack() tells the publisher the item was lost"]
pub struct Ack(Option<Box<dyn AckSink>>);

impl Ack {
    /// Wraps a bus-specific sink.
    pub fn new(sink: Box<dyn AckSink>) -> Self {
        Ack(Some(sink))
    }

    /// An acknowledgement nobody waits for (items from a tool, tests).
    pub fn none() -> Self {
        Ack(None)
    }

    /// The item is durable downstream.
    pub fn ack(mut self) {
        if let Some(s) = self.0.take() {
            s.complete(Ok(()));
        }
    }

    /// The item could not be processed.
    pub fn fail(mut self, reason: impl Into<String>) {
        if let Some(s) = self.0.take() {
            s.complete(Err(reason.into()));
        }
    }
}

impl Drop for Ack {
    fn drop(&mut self) {
        if let Some(s) = self.0.take() {
            s.complete(Err("dropped".into()));
        }
    }
}

impl fmt::Debug for Ack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Ack(pending)"
        } else {
            "Ack(done)"
        })
    }
}

/// An item received from the bus with its acknowledgement.
#[derive(Debug)]
pub struct Delivery<T> {
    /// The message.
    pub item: T,
    /// Complete once the consumer's output is durable.
    pub ack: Ack,
}

/// Publishes items of type `T`.
pub trait Publisher<T>: Send + Sync {
    /// Resolves when the item is durable (see the crate docs). Waiting to
    /// enqueue is back-pressure, not an error.
    fn publish(&self, item: T) -> impl Future<Output = Result<(), BusError>> + Send;
}

impl<T, P: Publisher<T>> Publisher<T> for &P {
    fn publish(&self, item: T) -> impl Future<Output = Result<(), BusError>> + Send {
        (**self).publish(item)
    }
}

/// Receives items of type `T`.
pub trait Subscriber<T>: Send {
    /// The next delivery, or `None` when every publisher is gone and the
    /// queue is drained.
    fn recv(&mut self) -> impl Future<Output = Option<Delivery<T>>> + Send;

    /// A delivery that is ready now, without waiting (for batching).
    fn try_next(&mut self) -> Option<Delivery<T>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_bus_is_final_a_dropped_or_failed_item_is_not() {
        assert!(!BusError::Closed.is_retryable());
        assert!(BusError::Dropped.is_retryable());
        assert!(BusError::Failed("database is locked".into()).is_retryable());
    }
}
