//! The audited negative share: a stratified ratio estimate and its 95 %
//! interval.
//!
//! In stratum h (a [`crate::Stratum`]) of `N` articles, `n` were reviewed:
//! `a` truly negative, `b` truly in the denominator (relevant; with the
//! opinionated denominator also not neutral). The negative and counted
//! totals are estimated as `Σ N·a/n` and `Σ N·b/n`, the share as their
//! ratio R — the reviewed articles count exactly, the unreviewed ones of
//! a stratum in the proportions its reviews showed. Its variance is the
//! linearised one of a stratified ratio (Cochran, *Sampling Techniques*,
//! §6.11), with each stratum's finite-population correction `1 − n/N`,
//! so a stratum reviewed whole adds nothing. The stratum's shares enter
//! the variance with half an article added to each outcome, so a stratum
//! whose reviews found no negative still admits that some are (otherwise
//! a few reviews would claim certainty). The interval is Wilson's score
//! interval at the effective sample size `R (1 − R) / V` (Korn & Graubard
//! 1998): it stays inside 0–100 % and is honest near 0, where the negative
//! share lives.

use serde::Serialize;

use crate::sample::{allocate, Room};

/// The method, as reports name it.
pub const METHOD: &str = "stratified ratio estimate by classifier decision (neutrals split by negative lean); 95% Wilson interval at the design-effective sample size (Korn & Graubard 1998), finite-population corrected";

/// The normal quantile of a two-sided 95 % interval.
const Z: f64 = 1.959_963_984_540_054;

/// The half-width the analyst's planning figure aims at: ±2 points.
const TARGET_HALF_WIDTH: f64 = 0.02;

/// One stratum of a period's audit: its population and what its reviews
/// found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StratumTally {
    /// Assessments in the stratum.
    pub population: u64,
    /// Drawn into the sample (reviewed or not).
    pub sampled: u64,
    /// Sampled and reviewed.
    pub reviewed: u64,
    /// Reviewed and truly negative.
    pub negative: u64,
    /// Reviewed and in the denominator.
    pub counted: u64,
}

/// The audited estimate, as fractions (0–1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimated true negative share.
    pub share: f64,
    /// The interval's lower bound.
    pub low: f64,
    /// Its upper bound.
    pub high: f64,
    /// Reviews behind it.
    pub reviewed: u64,
    /// More reviews (drawn as `allocate` would) that would bring the
    /// interval's half-width to 2 points or less; 0 when it already is.
    pub reviews_for_2_points: u64,
}

/// Why there is no estimate: never a guess in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "stratum")]
pub enum NoEstimate {
    /// Nothing has been reviewed.
    NoReviews,
    /// This stratum (index) has articles but no review: its error rate is
    /// unknown.
    UnreviewedStratum(usize),
    /// Every review found the article outside the denominator.
    NothingCounted,
}

/// The negative share the reviews imply, with its 95 % interval.
pub fn estimate(strata: &[StratumTally]) -> Result<Estimate, NoEstimate> {
    let reviewed: u64 = strata.iter().map(|s| s.reviewed).sum();
    if reviewed == 0 {
        return Err(NoEstimate::NoReviews);
    }
    if let Some(h) = strata
        .iter()
        .position(|s| s.population > 0 && s.reviewed == 0)
    {
        return Err(NoEstimate::UnreviewedStratum(h));
    }
    let (mut neg, mut counted) = (0.0, 0.0);
    for s in strata.iter().filter(|s| s.reviewed > 0) {
        let w = s.population.max(s.reviewed) as f64 / s.reviewed as f64;
        neg += w * s.negative as f64;
        counted += w * s.counted as f64;
    }
    if counted <= 0.0 {
        return Err(NoEstimate::NothingCounted);
    }
    let share = neg / counted;
    let n: Vec<u64> = strata.iter().map(|s| s.reviewed).collect();
    let variance = variance(strata, &n, share, counted);
    let (low, high) = wilson(share, variance, strata);
    let half = (high - low) / 2.0;
    let reviews_for_2_points = if half <= TARGET_HALF_WIDTH {
        0
    } else {
        reviews_for(strata, share, counted, TARGET_HALF_WIDTH)
    };
    Ok(Estimate {
        share,
        low,
        high,
        reviewed,
        reviews_for_2_points,
    })
}

/// The smoothed variance of the linearised residual `d = y − R·x` in a
/// stratum (per review): half an article added to each of its three
/// outcomes (negative, counted but not negative, not counted).
fn residual_variance(s: &StratumTally, share: f64) -> f64 {
    let n = s.reviewed as f64;
    let total = n + 1.5;
    let p_neg = (s.negative as f64 + 0.5) / total;
    let p_other = ((s.counted - s.negative.min(s.counted)) as f64 + 0.5) / total;
    let mean = p_neg * (1.0 - share) - p_other * share;
    let second = p_neg * (1.0 - share).powi(2) + p_other * share * share;
    let v = (second - mean * mean).max(0.0);
    // Bessel's correction, as a sample variance would have it.
    if n > 1.0 {
        v * n / (n - 1.0)
    } else {
        v
    }
}

/// `V(R) ≈ Σ N² (1 − n/N) S² / n / X²` with `n[h]` reviews per stratum.
fn variance(strata: &[StratumTally], n: &[u64], share: f64, counted: f64) -> f64 {
    let mut v = 0.0;
    for (s, &n) in strata.iter().zip(n) {
        let big_n = s.population.max(n) as f64;
        if n == 0 || big_n == 0.0 {
            continue;
        }
        let n = n as f64;
        let fpc = 1.0 - n / big_n;
        v += big_n * big_n * fpc * residual_variance(s, share) / n;
    }
    v / (counted * counted)
}

/// Wilson's interval for `share` at the effective sample size.
fn wilson(share: f64, variance: f64, strata: &[StratumTally]) -> (f64, f64) {
    if variance <= 0.0 {
        // Every article reviewed: the estimate is the count.
        return (share, share);
    }
    let n_eff = if share > 0.0 && share < 1.0 {
        share * (1.0 - share) / variance
    } else {
        // At 0 or 1 the formula says nothing: the reviews in the
        // denominator are the sample.
        strata.iter().map(|s| s.counted).sum::<u64>().max(1) as f64
    };
    let z2 = Z * Z;
    let denom = 1.0 + z2 / n_eff;
    let centre = (share + z2 / (2.0 * n_eff)) / denom;
    let half = Z / denom * (share * (1.0 - share) / n_eff + z2 / (4.0 * n_eff * n_eff)).sqrt();
    // Rounding must not put the estimate outside its own interval.
    (
        (centre - half).clamp(0.0, share),
        (centre + half).clamp(share, 1.0),
    )
}

/// Reviews beyond today's that would bring `Z·√V` to `target`, allocated
/// by Neyman weights from today's reviews (a binary search: the variance
/// only falls as reviews are added).
fn reviews_for(strata: &[StratumTally], share: f64, counted: f64, target: f64) -> u64 {
    let rooms = next_rooms(strata, share);
    let room: u64 = rooms.iter().map(|r| r.room).sum();
    let half_width_after = |m: u64| {
        let extra = allocate(&rooms, m);
        let n: Vec<u64> = strata
            .iter()
            .zip(&extra)
            .map(|(s, e)| s.reviewed + e)
            .collect();
        Z * variance(strata, &n, share, counted).sqrt()
    };
    let (mut lo, mut hi) = (0u64, room);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if half_width_after(mid) <= target {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// How the next draw should split its reviews: Neyman allocation,
/// `n ∝ N·S`, with each stratum's `S` the standard deviation its reviews
/// showed (smoothed) once every stratum has some, and `prior_sd` before —
/// nothing is known yet of the strata's error rates.
pub fn rooms(strata: &[StratumTally], prior_sd: &[f64]) -> Vec<Room> {
    match estimate(strata) {
        Ok(e) => next_rooms(strata, e.share),
        Err(_) => strata
            .iter()
            .zip(prior_sd.iter().chain(std::iter::repeat(&0.5)))
            .map(|(s, sd)| Room {
                weight: (s.population as f64 * sd).powi(2),
                ..room(s)
            })
            .collect(),
    }
}

fn room(s: &StratumTally) -> Room {
    let sampled = s.sampled.max(s.reviewed);
    Room {
        sampled,
        room: s.population.saturating_sub(sampled),
        weight: 1.0,
    }
}

/// Neyman weights `N² S²` from the reviews so far.
fn next_rooms(strata: &[StratumTally], share: f64) -> Vec<Room> {
    strata
        .iter()
        .map(|s| Room {
            weight: (s.population as f64).powi(2) * residual_variance(s, share),
            ..room(s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(population: u64, reviewed: u64, negative: u64, counted: u64) -> StratumTally {
        StratumTally {
            population,
            sampled: reviewed,
            reviewed,
            negative,
            counted,
        }
    }

    #[test]
    fn a_full_review_is_the_exact_count_and_the_interval_collapses() {
        let e = estimate(&[tally(10, 10, 7, 9), tally(30, 30, 2, 28), tally(5, 5, 0, 5)]).unwrap();
        assert!((e.share - 9.0 / 42.0).abs() < 1e-12);
        assert_eq!((e.low, e.high), (e.share, e.share));
        assert_eq!(e.reviews_for_2_points, 0);
    }

    #[test]
    fn no_review_no_estimate() {
        assert_eq!(
            estimate(&[tally(10, 0, 0, 0), tally(30, 0, 0, 0)]),
            Err(NoEstimate::NoReviews)
        );
        assert_eq!(
            estimate(&[tally(10, 4, 2, 4), tally(30, 0, 0, 0)]),
            Err(NoEstimate::UnreviewedStratum(1))
        );
        assert_eq!(
            estimate(&[tally(10, 4, 0, 0)]),
            Err(NoEstimate::NothingCounted)
        );
        // An empty stratum needs no review.
        assert!(estimate(&[tally(10, 4, 2, 4), tally(0, 0, 0, 0)]).is_ok());
    }

    #[test]
    fn the_estimate_weights_each_stratum_by_its_population() {
        // Classifier negatives: 100, half truly negative; neutrals: 900, of
        // which 2 in 20 reviewed were negative and 1 not relevant.
        let e = estimate(&[tally(100, 20, 10, 20), tally(900, 20, 2, 19)]).unwrap();
        let neg = 50.0 + 90.0;
        let counted = 100.0 + 855.0;
        assert!((e.share - neg / counted).abs() < 1e-12);
        assert!(e.low < e.share && e.share < e.high);
        assert!(
            e.high - e.low > 0.04,
            "40 reviews cannot pin it to ±2 points"
        );
        assert!(e.reviews_for_2_points > 0);
        // Reviewing the suggested number (in the same proportions) does.
        let more = e.reviews_for_2_points;
        let rooms = next_rooms(&[tally(100, 20, 10, 20), tally(900, 20, 2, 19)], e.share);
        let extra = allocate(&rooms, more);
        let grown = [
            tally(100, 20 + extra[0], 10 + extra[0] / 2, 20 + extra[0]),
            tally(
                900,
                20 + extra[1],
                (2 * (20 + extra[1])) / 20,
                (19 * (20 + extra[1])) / 20,
            ),
        ];
        let e2 = estimate(&grown).unwrap();
        assert!(
            e2.high - e2.low <= 0.045,
            "{more} more reviews: {:.3}–{:.3}",
            e2.low,
            e2.high
        );
    }

    #[test]
    fn a_stratum_with_no_negatives_found_still_widens_the_interval() {
        let e = estimate(&[tally(20, 20, 10, 20), tally(2000, 30, 0, 30)]).unwrap();
        assert!(e.share < 0.01);
        // The 1970 unreviewed neutrals may hide a few percent of negatives.
        assert!(e.high > 0.03, "{e:?}");
        assert_eq!(e.low.max(0.0), e.low);
    }
}
