//! Early warning for the negative-coverage KPI: is negative coverage
//! spiking now, where will the period end, and how many more negative
//! articles does the target still allow. Pure: the binary reads hourly
//! counts from the store and hands them over.
//!
//! # Layout
//!
//! - `forecast`: [`project`] — the period-end negative share from the
//!   period so far and the recent daily volume and share, with a 95 %
//!   interval, the probability of ending over the target and the
//!   remaining budget of negative articles.
//! - `spike`: [`spikes`] — today's and the last hour's negatives against a
//!   baseline of the 28 days before (share: a one-sided binomial test
//!   against the baseline's share; volume: a one-sided Poisson test against
//!   the baseline's rate for that weekday and time of day), at
//!   [`ALPHA`] with at least [`MIN_NEGATIVES`] negatives.
//! - `stats`: the tails of the binomial, Poisson and normal distributions.

mod forecast;
mod spike;
mod stats;

pub use forecast::{project, PeriodSoFar, Projection, Recent};
pub use spike::{spikes, Hour, Spike, SpikeKind, ALPHA, BASELINE_DAYS, MIN_NEGATIVES};
