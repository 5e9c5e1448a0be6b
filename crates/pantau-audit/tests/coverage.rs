//! The interval keeps its promise: over many random review samples of
//! populations whose truth is known, the 95 % interval holds the true
//! negative share at least 90 % of the time; a full review is the exact
//! count; no review, no estimate.

use pantau_audit::{allocate, draw, estimate, rooms, StratumTally, Verdict};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A population: per classifier stratum, the true verdict of each article.
fn population(sizes: [usize; 3], rates: [[f64; 4]; 3], seed: u64) -> Vec<Vec<Verdict>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    sizes
        .iter()
        .zip(rates)
        .map(|(&n, r)| {
            (0..n)
                .map(|_| {
                    let u: f64 = rng.gen();
                    let mut acc = 0.0;
                    for (v, p) in Verdict::ALL.iter().zip(r) {
                        acc += p;
                        if u < acc {
                            return *v;
                        }
                    }
                    Verdict::Neutral
                })
                .collect()
        })
        .collect()
}

fn truth(pop: &[Vec<Verdict>]) -> f64 {
    let all: Vec<Verdict> = pop.iter().flatten().copied().collect();
    let neg = all.iter().filter(|v| **v == Verdict::Negative).count();
    let counted = all.iter().filter(|v| v.counted(false)).count();
    neg as f64 / counted as f64
}

/// Draws `size` reviews as `pantau audit draw` does and tallies them.
fn audit(pop: &[Vec<Verdict>], size: u64, seed: u64) -> Vec<StratumTally> {
    let empty: Vec<StratumTally> = pop
        .iter()
        .map(|s| StratumTally {
            population: s.len() as u64,
            ..StratumTally::default()
        })
        .collect();
    // The priors `audit draw` uses: negative, neutral, positive.
    let counts = allocate(&rooms(&empty, &[0.5, 0.25, 0.25]), size);
    let mut t = empty;
    for (h, v) in draw(pop, &counts, seed) {
        let s = &mut t[h];
        s.sampled += 1;
        s.reviewed += 1;
        s.negative += u64::from(v == Verdict::Negative);
        s.counted += u64::from(v.counted(false));
    }
    t
}

fn coverage(pop: &[Vec<Verdict>], size: u64, draws: u64) -> (f64, f64) {
    let p = truth(pop);
    let mut hits = 0;
    let mut width = 0.0;
    for seed in 0..draws {
        let e = estimate(&audit(pop, size, seed)).expect("every stratum reviewed");
        hits += u32::from(e.low <= p && p <= e.high);
        width += e.high - e.low;
    }
    (f64::from(hits) / draws as f64, width / draws as f64)
}

/// Rows: classifier negative, neutral, positive; columns: the true
/// negative, neutral, positive, not relevant.
const NEWS_LIKE: [[f64; 4]; 3] = [
    [0.60, 0.30, 0.05, 0.05],
    [0.05, 0.88, 0.04, 0.03],
    [0.08, 0.30, 0.60, 0.02],
];

#[test]
fn a_month_of_400_with_80_reviews() {
    let pop = population([60, 300, 40], NEWS_LIKE, 1);
    let (cov, width) = coverage(&pop, 80, 400);
    eprintln!("coverage {cov:.3}, mean width {width:.3}");
    assert!(cov >= 0.90, "coverage {cov:.3}, mean width {width:.3}");
}

#[test]
fn rare_negatives_in_a_large_month() {
    let rates = [
        [0.50, 0.40, 0.05, 0.05],
        [0.01, 0.95, 0.02, 0.02],
        [0.02, 0.30, 0.66, 0.02],
    ];
    let pop = population([50, 4500, 450], rates, 2);
    let (cov, width) = coverage(&pop, 100, 400);
    eprintln!("coverage {cov:.3}, mean width {width:.3}");
    assert!(cov >= 0.90, "coverage {cov:.3}, mean width {width:.3}");
}

#[test]
fn a_small_review_of_a_classifier_that_errs_often() {
    let rates = [
        [0.40, 0.45, 0.05, 0.10],
        [0.15, 0.70, 0.10, 0.05],
        [0.10, 0.40, 0.45, 0.05],
    ];
    let pop = population([120, 700, 180], rates, 3);
    let (cov, width) = coverage(&pop, 30, 400);
    eprintln!("coverage {cov:.3}, mean width {width:.3}");
    assert!(cov >= 0.90, "coverage {cov:.3}, mean width {width:.3}");
}

#[test]
fn more_reviews_give_a_narrower_interval() {
    let pop = population([60, 300, 40], NEWS_LIKE, 4);
    let (_, w80) = coverage(&pop, 80, 100);
    let (_, w200) = coverage(&pop, 200, 100);
    assert!(w200 < w80 * 0.8, "{w80:.3} → {w200:.3}");
}

proptest! {
    #[test]
    fn a_full_review_is_exact_and_collapses(
        sizes in prop::array::uniform3(0usize..60),
        seed in any::<u64>(),
    ) {
        prop_assume!(sizes.iter().sum::<usize>() > 0);
        let pop = population(sizes, NEWS_LIKE, seed);
        let all: u64 = sizes.iter().sum::<usize>() as u64;
        let t = audit(&pop, all, seed);
        match estimate(&t) {
            Ok(e) => {
                prop_assert!((e.share - truth(&pop)).abs() < 1e-12);
                prop_assert_eq!((e.low, e.high), (e.share, e.share));
                prop_assert_eq!(e.reviews_for_2_points, 0);
            }
            // Only when nothing at all is in the denominator.
            Err(_) => prop_assert!(pop.iter().flatten().all(|v| !v.counted(false))),
        }
    }

    #[test]
    fn the_interval_holds_the_estimate_inside_0_to_1(
        sizes in prop::array::uniform3(1usize..500),
        size in 3u64..120,
        seed in any::<u64>(),
    ) {
        let pop = population(sizes, NEWS_LIKE, seed);
        if let Ok(e) = estimate(&audit(&pop, size, seed)) {
            prop_assert!(0.0 <= e.low && e.low <= e.share && e.share <= e.high && e.high <= 1.0, "{:?}", e);
        }
    }
}
