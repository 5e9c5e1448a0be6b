//! The clipping ("kliping pagi") a Humas office sends its head of bureau:
//! where the negative-coverage KPI stands, where the month is heading,
//! spikes, the negative articles that arrived since the last clipping and
//! why each is negative, and what still needs an analyst. Pure: the binary
//! gathers a [`DigestInput`] from the store and delivers what [`render`]
//! makes.
//!
//! # Layout
//!
//! - `input`: [`DigestInput`] and its parts — the facts of one digest,
//!   serialisable (the JSON webhook's payload).
//! - `render`: [`render`] — the subject, a plain-text and an HTML body for
//!   e-mail, Telegram messages (Bot API HTML, split under its length
//!   limit), in Indonesian.
//! - `schedule`: [`next_slot`] — the next configured local sending time;
//!   [`Backoff`] — when a failed delivery is tried again, and when it is
//!   given up (and kept for a resend).

mod input;
mod render;
mod schedule;

pub use input::{DigestArticle, DigestInput, Forecast, ReviewNeeds, SpikeLine, WindowStatus};
pub use render::{percent_id, render, Rendered, TELEGRAM_LIMIT};
pub use schedule::{next_slot, parse_times, Backoff};
