//! Is negative coverage spiking: today so far and the last complete hour,
//! against the 28 days before today.
//!
//! Two one-sided tests per window, each at [`ALPHA`] and only with at
//! least [`MIN_NEGATIVES`] negatives (a quiet day's first two negative
//! headlines are news, not a spike):
//!
//! - **share**: the window's negatives among its articles against the
//!   baseline's share (binomial; the baseline share smoothed by half an
//!   article, so a baseline without negatives does not make every
//!   negative a spike);
//! - **volume**: the window's negative count against the baseline's mean
//!   for the same time of day, scaled by the weekday's usual volume
//!   (Poisson): weekends are quieter, and a Monday morning is not a
//!   spike because Sunday was calm.

use serde::Serialize;

use crate::stats::{binomial_upper, poisson_upper};

/// The significance of each test: a calm stream raises a false spike in
/// about one test in a thousand (fewer: the tests on counts are
/// conservative).
pub const ALPHA: f64 = 0.001;

/// The fewest negatives a spike may have.
pub const MIN_NEGATIVES: u64 = 3;

/// Days of baseline before today.
pub const BASELINE_DAYS: i64 = 28;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// One hour's counts, with its local weekday and hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hour {
    /// First instant, Unix ms.
    pub start_ms: i64,
    /// Local weekday, 0 = Monday.
    pub weekday: u8,
    /// Local hour of the day, 0–23.
    pub hour: u8,
    /// Negative articles.
    pub negative: u64,
    /// Articles in the denominator.
    pub counted: u64,
}

/// What rose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpikeKind {
    /// The negative share.
    Share,
    /// The number of negative articles.
    Volume,
}

/// A spike: the window, what was observed and what the baseline expected.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spike {
    /// `day` (today so far) or `hour` (the last complete hour).
    pub window: &'static str,
    /// Share or volume.
    pub kind: SpikeKind,
    /// The window's first instant, Unix ms.
    pub start_ms: i64,
    /// Observed: the share (0–1) or the negative count.
    pub observed: f64,
    /// Expected by the baseline, in the same unit.
    pub expected: f64,
    /// Negative articles in the window.
    pub negatives: u64,
    /// Articles in the window's denominator.
    pub articles: u64,
    /// The test's p-value.
    pub p_value: f64,
}

/// The spikes at `at_ms` given hourly counts covering at least the
/// baseline (`BASELINE_DAYS` before `day_start_ms`, today's local
/// midnight) and today up to `at_ms`.
pub fn spikes(hours: &[Hour], day_start_ms: i64, at_ms: i64) -> Vec<Spike> {
    let base_from = day_start_ms - BASELINE_DAYS * DAY_MS;
    let baseline: Vec<&Hour> = hours
        .iter()
        .filter(|h| h.start_ms >= base_from && h.start_ms < day_start_ms)
        .collect();
    let (bk, bn) = baseline
        .iter()
        .fold((0u64, 0u64), |(k, n), h| (k + h.negative, n + h.counted));
    // A baseline shorter than 28 days (monitoring began since) counts the
    // days it has; without one there is nothing to compare with.
    let Some(first) = baseline.iter().map(|h| h.start_ms).min() else {
        return Vec::new();
    };
    let days = ((day_start_ms - first + DAY_MS - 1) / DAY_MS).clamp(1, BASELINE_DAYS) as f64;
    let share0 = (bk as f64 + 0.5) / (bn as f64 + 1.0);
    let today_weekday = hours
        .iter()
        .find(|h| h.start_ms >= day_start_ms && h.start_ms < at_ms)
        .map(|h| h.weekday);
    // The weekday's volume against the average day's.
    let weekday_factor = today_weekday.map_or(1.0, |wd| {
        let same: u64 = baseline
            .iter()
            .filter(|h| h.weekday == wd)
            .map(|h| h.counted)
            .sum();
        let per_same = same as f64 / (days / 7.0).max(1.0);
        let per_day = bn as f64 / days;
        if per_day > 0.0 {
            (per_same / per_day).clamp(0.5, 2.0)
        } else {
            1.0
        }
    });
    let floor = 0.5 / days;
    let mut out = Vec::new();
    let mut test = |window, start_ms, k: u64, n: u64, lambda: f64| {
        if k < MIN_NEGATIVES {
            return;
        }
        let p = binomial_upper(k, n, share0);
        if p < ALPHA {
            out.push(Spike {
                window,
                kind: SpikeKind::Share,
                start_ms,
                observed: k as f64 / n as f64,
                expected: share0,
                negatives: k,
                articles: n,
                p_value: p,
            });
        }
        let lambda = lambda.max(floor);
        let p = poisson_upper(k, lambda);
        if p < ALPHA {
            out.push(Spike {
                window,
                kind: SpikeKind::Volume,
                start_ms,
                observed: k as f64,
                expected: lambda,
                negatives: k,
                articles: n,
                p_value: p,
            });
        }
    };

    // Today so far; the baseline's negatives by the same time of day.
    let today: Vec<&Hour> = hours
        .iter()
        .filter(|h| h.start_ms >= day_start_ms && h.start_ms < at_ms)
        .collect();
    let (k, n) = today
        .iter()
        .fold((0u64, 0u64), |(k, n), h| (k + h.negative, n + h.counted));
    let elapsed = (at_ms - day_start_ms).clamp(0, DAY_MS);
    let (full_hours, part) = (
        elapsed / HOUR_MS,
        (elapsed % HOUR_MS) as f64 / HOUR_MS as f64,
    );
    let by_now: f64 = baseline
        .iter()
        .map(|h| {
            let hour = i64::from(h.hour);
            if hour < full_hours {
                h.negative as f64
            } else if hour == full_hours {
                h.negative as f64 * part
            } else {
                0.0
            }
        })
        .sum();
    test("day", day_start_ms, k, n, by_now / days * weekday_factor);

    // The last complete hour.
    let last_start = at_ms - at_ms.rem_euclid(HOUR_MS) - HOUR_MS;
    if let Some(last) = hours.iter().find(|h| h.start_ms == last_start) {
        let same_hour: u64 = baseline
            .iter()
            .filter(|h| h.hour == last.hour && h.start_ms != last_start)
            .map(|h| h.negative)
            .sum();
        test(
            "hour",
            last_start,
            last.negative,
            last.counted,
            same_hour as f64 / days * weekday_factor,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 29 days of hours from `start`: `f(day, hour) -> (negative, counted)`.
    fn stream(f: impl Fn(i64, i64) -> (u64, u64)) -> Vec<Hour> {
        (0..29 * 24)
            .map(|i| {
                let (d, h) = (i / 24, i % 24);
                let (negative, counted) = f(d, h);
                Hour {
                    start_ms: i * HOUR_MS,
                    weekday: (d % 7) as u8,
                    hour: h as u8,
                    negative,
                    counted,
                }
            })
            .collect()
    }

    #[test]
    fn a_day_at_four_times_the_usual_share_is_a_spike_and_a_usual_day_is_not() {
        // 10 articles an hour, 1 negative; today from noon on, 5 an hour,
        // and 8 in the last hour (17:00).
        let usual = stream(|_, _| (1, 10));
        let today = 28 * DAY_MS;
        let at = today + 18 * HOUR_MS;
        assert!(spikes(&usual, today, at).is_empty());
        let bad = stream(|d, h| match (d, h) {
            (28, 17) => (8, 10),
            (28, 12..) => (5, 10),
            _ => (1, 10),
        });
        let s = spikes(&bad, today, at);
        let kinds: Vec<(&str, SpikeKind)> = s.iter().map(|s| (s.window, s.kind)).collect();
        assert!(kinds.contains(&("day", SpikeKind::Share)), "{s:?}");
        assert!(kinds.contains(&("day", SpikeKind::Volume)), "{s:?}");
        assert!(kinds.contains(&("hour", SpikeKind::Share)), "{s:?}");
        let day = s
            .iter()
            .find(|s| s.window == "day" && s.kind == SpikeKind::Volume)
            .unwrap();
        assert_eq!(day.negatives, 12 + 25 + 8);
        assert!((day.expected - 18.0).abs() < 0.01, "{day:?}");
    }

    #[test]
    fn a_short_baseline_counts_the_days_it_has() {
        // Monitoring began 7 days ago: 1 negative an hour is the usual.
        let week: Vec<Hour> = stream(|_, _| (1, 10))
            .into_iter()
            .filter(|h| h.start_ms >= 21 * DAY_MS)
            .collect();
        assert!(spikes(&week, 28 * DAY_MS, 28 * DAY_MS + 18 * HOUR_MS).is_empty());
        // The first day has no baseline at all.
        let first: Vec<Hour> = week
            .iter()
            .copied()
            .filter(|h| h.start_ms >= 28 * DAY_MS)
            .collect();
        assert!(spikes(&first, 28 * DAY_MS, 28 * DAY_MS + 18 * HOUR_MS).is_empty());
    }

    #[test]
    fn two_negatives_on_a_quiet_day_are_not_a_spike() {
        let quiet = stream(|d, h| if d == 28 && h < 2 { (1, 1) } else { (0, 1) });
        assert!(spikes(&quiet, 28 * DAY_MS, 28 * DAY_MS + 3 * HOUR_MS).is_empty());
    }
}
