//! Where the period will end: the negative share at its close, projected
//! from the period so far and the recent days.
//!
//! The rest of the period is modelled as the recent days continued: its
//! volume Poisson at the recent daily rate (itself uncertain, estimated
//! from `Recent::days`), each article negative with the recent share
//! (a Beta(½ + negatives, ½ + others) posterior). The end share
//! `(K₀ + K) / (N₀ + V)` gets its mean and variance by the law of total
//! variance and the delta method, and a normal 95 % interval clamped to
//! 0–1; the probability of ending at or over the target is read from the
//! same normal. What is already counted is certain, so the interval
//! narrows to the count itself as the period closes.

use serde::Serialize;

use crate::stats::normal_cdf;

const Z: f64 = 1.959_963_984_540_054;

/// The period up to now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodSoFar {
    /// Negative articles so far.
    pub negative: u64,
    /// Articles in the denominator so far.
    pub counted: u64,
    /// Days left until the period closes (fractional).
    pub remaining_days: f64,
}

/// The recent days the rest of the period is projected from (typically
/// the 28 days before now).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recent {
    /// How many days they span.
    pub days: f64,
    /// Negative articles in them.
    pub negative: u64,
    /// Articles in the denominator.
    pub counted: u64,
}

/// The projected close of a period. Shares are fractions (0–1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Projection {
    /// The share so far (`None` before the first article).
    pub so_far: Option<f64>,
    /// The projected share at the close.
    pub projected: f64,
    /// Its 95 % interval.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// Articles the denominator is projected to hold at the close.
    pub projected_articles: f64,
    /// The probability of closing at or over the target.
    pub p_over_target: Option<f64>,
    /// Negative articles that still fit under the target at the projected
    /// volume (0 when none does).
    pub remaining_budget: Option<u64>,
}

/// Projects the period's close; `None` when there is nothing to project
/// from (no article so far and none recently).
pub fn project(so_far: PeriodSoFar, recent: Recent, target: Option<f64>) -> Option<Projection> {
    let (k0, n0) = (so_far.negative as f64, so_far.counted as f64);
    let rem = so_far.remaining_days.max(0.0);
    let rate = if recent.days > 0.0 {
        recent.counted as f64 / recent.days
    } else {
        0.0
    };
    // Volume of the rest: Poisson at a rate known from `recent.days` days.
    let m_v = rate * rem;
    let var_v = m_v
        + if recent.days > 0.0 {
            rem * rem * rate / recent.days
        } else {
            0.0
        };
    // The recent share, a Beta posterior.
    let a = recent.negative as f64 + 0.5;
    let b = (recent.counted - recent.negative.min(recent.counted)) as f64 + 0.5;
    let p = a / (a + b);
    let var_p = p * (1.0 - p) / (a + b + 1.0);
    let total = n0 + m_v;
    if total <= 0.0 {
        return None;
    }
    let m_k = m_v * p;
    let var_k = m_v * (p * (1.0 - p) - var_p) + (var_v + m_v * m_v) * (var_p + p * p) - m_k * m_k;
    let cov_kv = p * var_v;
    let neg = k0 + m_k;
    let share = neg / total;
    let var_s = var_k / total.powi(2) + neg * neg * var_v / total.powi(4)
        - 2.0 * neg * cov_kv / total.powi(3);
    let sd = var_s.max(0.0).sqrt();
    let p_over_target = target.map(|t| {
        if sd == 0.0 {
            f64::from(u8::from(share >= t))
        } else {
            1.0 - normal_cdf((t - share) / sd)
        }
    });
    let remaining_budget = target.map(|t| {
        // The largest b with (K₀ + b) / total < t.
        let room = t * total - k0;
        if room <= 0.0 {
            0
        } else {
            (room.ceil() - 1.0).max(0.0) as u64
        }
    });
    Some(Projection {
        so_far: (n0 > 0.0).then(|| k0 / n0),
        projected: share,
        low: (share - Z * sd).clamp(0.0, 1.0),
        high: (share + Z * sd).clamp(0.0, 1.0),
        projected_articles: total,
        p_over_target,
        remaining_budget,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_period_is_its_count() {
        let p = project(
            PeriodSoFar {
                negative: 12,
                counted: 100,
                remaining_days: 0.0,
            },
            Recent {
                days: 28.0,
                negative: 300,
                counted: 1000,
            },
            Some(0.2),
        )
        .unwrap();
        assert_eq!((p.projected, p.low, p.high), (0.12, 0.12, 0.12));
        assert_eq!(p.p_over_target, Some(0.0));
        // 7 more make 19 of 100, below 20 %; an 8th would reach it.
        assert_eq!(p.remaining_budget, Some(7));
    }

    #[test]
    fn the_rest_of_the_period_follows_the_recent_days() {
        // Half a month at 10 %, the recent days at 30 %, 100 a day.
        let p = project(
            PeriodSoFar {
                negative: 150,
                counted: 1500,
                remaining_days: 15.0,
            },
            Recent {
                days: 28.0,
                negative: 840,
                counted: 2800,
            },
            Some(0.2),
        )
        .unwrap();
        assert!((p.projected - 0.2).abs() < 0.002, "{p:?}");
        assert!((p.projected_articles - 3000.0).abs() < 1e-9);
        assert!(
            p.low < 0.2 && p.high > 0.2 && p.high - p.low < 0.05,
            "{p:?}"
        );
        let over = p.p_over_target.unwrap();
        assert!((0.3..0.7).contains(&over), "{over}");
        // 3000 × 20 % = 600: 449 more negatives keep it below.
        assert_eq!(p.remaining_budget, Some(449));
        assert_eq!(
            project(
                PeriodSoFar {
                    negative: 0,
                    counted: 0,
                    remaining_days: 10.0
                },
                Recent {
                    days: 28.0,
                    negative: 0,
                    counted: 0
                },
                None
            ),
            None
        );
    }
}
