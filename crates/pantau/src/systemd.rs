//! systemd's service protocol (`Type=notify`): READY=1 once the store is
//! open and the stages run, STOPPING=1 when draining starts, and
//! WATCHDOG=1 at half the unit's `WatchdogSec` from the async runtime, so
//! a runtime that hangs is restarted. Without `NOTIFY_SOCKET` (not under
//! systemd) every call does nothing.

use std::time::Duration;

use sd_notify::NotifyState;
use tracing::{debug, warn};

/// Tells systemd the service is ready, and starts the watchdog's pings
/// when the unit asks for them. Call from inside the runtime.
pub fn ready(status: &str) {
    send(&[NotifyState::Ready, NotifyState::Status(status)]);
    if let Some(every) = watchdog_interval() {
        debug!(?every, "systemd watchdog on");
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                send(&[NotifyState::Watchdog]);
            }
        });
    }
}

/// Tells systemd the service is draining.
pub fn stopping() {
    send(&[NotifyState::Stopping, NotifyState::Status("draining")]);
}

/// sd_notify does nothing without `NOTIFY_SOCKET`.
fn send(states: &[NotifyState]) {
    if let Err(e) = sd_notify::notify(false, states) {
        warn!(error = %e, "systemd notification failed");
    }
}

/// Half of `WATCHDOG_USEC`, as sd_watchdog_enabled(3) reads it: the
/// variable is for this process when `WATCHDOG_PID` is unset or names it.
fn watchdog_interval() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
    if let Ok(pid) = std::env::var("WATCHDOG_PID") {
        if pid.parse::<u32>().ok()? != std::process::id() {
            return None;
        }
    }
    (usec > 0).then(|| Duration::from_micros(usec / 2))
}
