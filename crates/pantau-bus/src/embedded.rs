//! The embedded bus: a bounded `mpsc` channel per topic. A full channel makes
//! `publish` wait (back-pressure); memory never grows with the backlog.
//! `publish` then waits for the consumer's acknowledgement, which the last
//! stage gives after its store commit — so "published" means "durable".

use tokio::sync::{mpsc, oneshot};

use crate::{Ack, AckSink, BusError, Delivery, Publisher, Subscriber};

/// Creates a topic with room for `capacity` queued items.
pub fn channel<T: Send>(capacity: usize) -> (EmbeddedPublisher<T>, EmbeddedSubscriber<T>) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    (EmbeddedPublisher { tx }, EmbeddedSubscriber { rx })
}

/// The sending side; clone it for every producer.
#[derive(Debug)]
pub struct EmbeddedPublisher<T> {
    tx: mpsc::Sender<Delivery<T>>,
}

impl<T> Clone for EmbeddedPublisher<T> {
    fn clone(&self) -> Self {
        EmbeddedPublisher {
            tx: self.tx.clone(),
        }
    }
}

struct OneshotAck(oneshot::Sender<Result<(), String>>);

impl AckSink for OneshotAck {
    fn complete(self: Box<Self>, outcome: Result<(), String>) {
        // The publisher may have given up waiting; nothing to do then.
        let _ = self.0.send(outcome);
    }
}

impl<T: Send> Publisher<T> for EmbeddedPublisher<T> {
    async fn publish(&self, item: T) -> Result<(), BusError> {
        let (done_tx, done_rx) = oneshot::channel();
        let delivery = Delivery {
            item,
            ack: Ack::new(Box::new(OneshotAck(done_tx))),
        };
        self.tx.send(delivery).await.map_err(|_| BusError::Closed)?;
        match done_rx.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(reason)) if reason == "dropped" => Err(BusError::Dropped),
            Ok(Err(reason)) => Err(BusError::Failed(reason)),
            Err(_) => Err(BusError::Dropped),
        }
    }
}

/// The receiving side of a topic.
#[derive(Debug)]
pub struct EmbeddedSubscriber<T> {
    rx: mpsc::Receiver<Delivery<T>>,
}

impl<T: Send> Subscriber<T> for EmbeddedSubscriber<T> {
    async fn recv(&mut self) -> Option<Delivery<T>> {
        self.rx.recv().await
    }

    fn try_next(&mut self) -> Option<Delivery<T>> {
        self.rx.try_recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn publish_resolves_only_after_ack() {
        let (p, mut s) = channel::<u32>(4);
        let pending = tokio::spawn(async move { p.publish(7).await });
        let d = s.recv().await.unwrap();
        assert_eq!(d.item, 7);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!pending.is_finished(), "resolved before the ack");
        d.ack.ack();
        assert_eq!(pending.await.unwrap(), Ok(()));
    }

    #[tokio::test]
    async fn dropped_and_failed_acks_are_errors() {
        let (p, mut s) = channel::<u32>(4);
        let p2 = p.clone();
        let a = tokio::spawn(async move { p.publish(1).await });
        let b = tokio::spawn(async move { p2.publish(2).await });
        let mut got = vec![s.recv().await.unwrap(), s.recv().await.unwrap()];
        got.sort_by_key(|d| d.item);
        let second = got.pop().unwrap();
        drop(got); // item 1: dropped without ack
        second.ack.fail("disk full");
        assert_eq!(a.await.unwrap(), Err(BusError::Dropped));
        assert_eq!(b.await.unwrap(), Err(BusError::Failed("disk full".into())));
    }

    #[tokio::test]
    async fn full_channel_is_back_pressure_and_close_ends_recv() {
        let (p, mut s) = channel::<u32>(1);
        let p2 = p.clone();
        let first = tokio::spawn(async move { p.publish(1).await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let second = tokio::spawn(async move { p2.publish(2).await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        // The second is still waiting to enqueue: nothing was lost or grown.
        let queued = s.try_next().expect("one queued");
        assert!(s.try_next().is_none(), "capacity 1: only one queued");
        queued.ack.ack();
        let d = s.recv().await.unwrap();
        d.ack.ack();
        assert!(first.await.unwrap().is_ok() && second.await.unwrap().is_ok());
        assert!(s.recv().await.is_none(), "all publishers gone: recv ends");
    }

    #[tokio::test]
    async fn publish_to_a_closed_topic_fails() {
        let (p, s) = channel::<u32>(1);
        drop(s);
        assert_eq!(p.publish(1).await, Err(BusError::Closed));
    }
}
