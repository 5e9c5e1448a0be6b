//! Stopping: one watch channel says "stop" to every task (mini-redis's
//! shape), and the process waits for SIGINT or SIGTERM.

use tokio::sync::watch;

/// Receives `true` when the process should stop.
pub type Shutdown = watch::Receiver<bool>;

/// Says "stop" to every [`Shutdown`] made from it.
#[derive(Debug, Clone)]
pub struct Trigger(std::sync::Arc<watch::Sender<bool>>);

/// A new trigger and the receiver the tasks clone.
pub fn channel() -> (Trigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (Trigger(std::sync::Arc::new(tx)), rx)
}

impl Trigger {
    /// Tells every task to stop.
    pub fn fire(&self) {
        let _ = self.0.send(true);
    }
}

/// Resolves once shutdown is signalled.
pub async fn stopped(shutdown: &mut Shutdown) {
    while !*shutdown.borrow() {
        if shutdown.changed().await.is_err() {
            return;
        }
    }
}

/// Resolves at SIGINT (Ctrl-C) or SIGTERM.
pub async fn signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
