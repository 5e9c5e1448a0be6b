//! The outlook on synthetic streams whose truth is known: a long calm
//! stream raises false spikes at no more than the stated rate, an injected
//! spike is flagged, and the period-end projection's interval holds the
//! realised share.

use pantau_outlook::{project, spikes, Hour, PeriodSoFar, Recent, SpikeKind, ALPHA};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> u64 {
    // Knuth's method: fine for the few articles of an hour or a day.
    let l = (-lambda).exp();
    let (mut k, mut p) = (0u64, 1.0);
    loop {
        p *= rng.gen::<f64>();
        if p <= l {
            return k;
        }
        k += 1;
    }
}

fn binomial(rng: &mut ChaCha8Rng, n: u64, p: f64) -> u64 {
    (0..n).filter(|_| rng.gen::<f64>() < p).count() as u64
}

/// A news-like day: quiet at night, busy in the morning, quieter weekends.
fn volume(day: i64, hour: i64) -> f64 {
    let diurnal = [
        0.3, 0.2, 0.2, 0.2, 0.4, 0.8, 1.5, 2.5, 3.5, 4.0, 4.0, 3.8, 3.5, 3.5, 3.6, 3.4, 3.0, 2.6,
        2.2, 2.0, 1.8, 1.4, 1.0, 0.6,
    ];
    let weekend = if day % 7 >= 5 { 0.6 } else { 1.0 };
    diurnal[hour as usize] * weekend
}

fn calm(days: i64, share: f64, seed: u64) -> Vec<Hour> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..days * 24)
        .map(|i| {
            let (d, h) = (i / 24, i % 24);
            let counted = poisson(&mut rng, volume(d, h));
            Hour {
                start_ms: i * HOUR_MS,
                weekday: (d % 7) as u8,
                hour: h as u8,
                negative: binomial(&mut rng, counted, share),
                counted,
            }
        })
        .collect()
}

#[test]
fn a_long_calm_stream_raises_false_spikes_at_most_at_the_stated_rate() {
    let hours = calm(400, 0.12, 1);
    let (mut tests, mut raised) = (0u64, 0u64);
    for day in 28..400 {
        let start = day * DAY_MS;
        let window = &hours[((day - 28) * 24) as usize..((day + 1) * 24) as usize];
        for h in 1..=24 {
            let at = start + h * HOUR_MS;
            let upto: Vec<Hour> = window.iter().copied().filter(|x| x.start_ms < at).collect();
            // Two windows × two kinds at every hour.
            tests += 4;
            raised += spikes(&upto, start, at).len() as u64;
        }
    }
    let rate = raised as f64 / tests as f64;
    eprintln!("{raised} false spikes in {tests} tests over 372 calm days: {rate:.5} per test (α = {ALPHA})");
    assert!(rate <= ALPHA, "false-spike rate {rate}");
}

#[test]
fn an_injected_spike_is_flagged_with_what_was_expected() {
    let mut hours = calm(29, 0.12, 2);
    // Day 28 from 08:00: twice the volume, 45 % negative.
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for h in hours
        .iter_mut()
        .filter(|h| h.start_ms >= 28 * DAY_MS + 8 * HOUR_MS)
    {
        h.counted = poisson(&mut rng, 2.0 * volume(28, i64::from(h.hour)));
        h.negative = binomial(&mut rng, h.counted, 0.45);
    }
    let at = 28 * DAY_MS + 13 * HOUR_MS;
    let upto: Vec<Hour> = hours.into_iter().filter(|h| h.start_ms < at).collect();
    let s = spikes(&upto, 28 * DAY_MS, at);
    let share = s
        .iter()
        .find(|s| s.window == "day" && s.kind == SpikeKind::Share)
        .unwrap_or_else(|| panic!("{s:?}"));
    assert!(share.observed > 2.0 * share.expected, "{share:?}");
    assert!((share.expected - 0.12).abs() < 0.03, "{share:?}");
    assert!(
        s.iter()
            .any(|s| s.window == "day" && s.kind == SpikeKind::Volume),
        "{s:?}"
    );
}

#[test]
fn the_projection_s_interval_holds_the_realised_close() {
    let (mut covered, mut runs) = (0, 0);
    for seed in 0..400 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let share = 0.12;
        let mut day = || {
            let n = poisson(&mut rng, 60.0);
            let k = binomial(&mut rng, n, share);
            (k, n)
        };
        let history: Vec<(u64, u64)> = (0..28).map(|_| day()).collect();
        let month: Vec<(u64, u64)> = (0..30).map(|_| day()).collect();
        let sum = |d: &[(u64, u64)]| d.iter().fold((0, 0), |(k, n), x| (k + x.0, n + x.1));
        // Day 10 of 30: the 28 days before now are 18 of history and 10 of the month.
        let (k0, n0) = sum(&month[..10]);
        let (kr, nr) = {
            let (a, b) = sum(&history[10..]);
            (a + k0, b + n0)
        };
        let p = project(
            PeriodSoFar {
                negative: k0,
                counted: n0,
                remaining_days: 20.0,
            },
            Recent {
                days: 28.0,
                negative: kr,
                counted: nr,
            },
            Some(0.15),
        )
        .unwrap();
        let (k, n) = sum(&month);
        let realised = k as f64 / n as f64;
        runs += 1;
        covered += u32::from(p.low <= realised && realised <= p.high);
        // The budget agrees with the target at the projected volume.
        let b = p.remaining_budget.unwrap() as f64;
        assert!((k0 as f64 + b) / p.projected_articles < 0.15);
        assert!((k0 as f64 + b + 1.0) / p.projected_articles >= 0.15);
    }
    let coverage = f64::from(covered) / f64::from(runs);
    eprintln!(
        "the 95 % interval held the realised close in {:.1} % of {runs} months",
        coverage * 100.0
    );
    assert!(coverage >= 0.90, "{coverage}");
}
