//! The audited KPI: analysts review a small stratified random sample of a
//! period's assessments, and the sample says what the negative share truly
//! is, with a 95 % confidence interval — a figure that stays right where
//! the lexicon is wrong, and one an auditor can check. Pure: the store
//! keeps the sample and the verdicts, this crate does the arithmetic.
//!
//! The strata are the classifier's decisions (negative, neutral,
//! positive), its neutrals split by whether they leaned negative: each is
//! a population whose error rate the reviews of its own articles measure.
//!
//! # Layout
//!
//! - `stratum`: [`Stratum`], which of the four populations an assessment
//!   is drawn from.
//! - `verdict`: [`Verdict`], what an analyst decides about one article.
//! - `sample`: [`allocate`] the next reviews across strata (where they
//!   shrink the interval most) and [`draw`] them with a seeded generator,
//!   reproducibly.
//! - `estimate`: [`estimate`] — the stratified ratio estimate of the
//!   negative share from [`StratumTally`]s, its interval ([`METHOD`]), and
//!   how many more reviews would narrow it to ±2 points; [`rooms`], the
//!   Neyman weights of the next draw.
//! - `quality`: [`StratumReviews`] (a stratum's verdicts as the store
//!   counts them) and [`Confusion`], the classifier's confusion matrix
//!   and per-class precision measured on the reviewed sample.

mod estimate;
mod quality;
mod sample;
mod stratum;
mod verdict;

pub use estimate::{estimate, rooms, Estimate, NoEstimate, StratumTally, METHOD};
pub use quality::{Confusion, StratumReviews};
pub use sample::{allocate, draw, Room};
pub use stratum::Stratum;
pub use verdict::Verdict;
