//! How well the classifier did in a period, measured on its audit sample.

use pantau_model::Sentiment;
use serde::Serialize;

use crate::{Stratum, StratumTally, Verdict};

/// What the reviews of one stratum found, as the store tallies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StratumReviews {
    /// The stratum (the classifier's decision, its neutrals split by
    /// their lean).
    pub stratum: Stratum,
    /// Assessments in the stratum.
    pub population: u64,
    /// Drawn into the sample (reviewed or not).
    pub sampled: u64,
    /// Reviewed, by verdict in [`Verdict::ALL`]'s order.
    pub verdicts: [u64; 4],
}

impl StratumReviews {
    /// What a first draw assumes of the stratum's spread
    /// ([`Stratum::prior_sd`]).
    pub fn prior_sd(&self) -> f64 {
        self.stratum.prior_sd()
    }

    /// The estimator's view: negatives, and what is in the denominator
    /// (with `opinionated`, neutral verdicts are not).
    pub fn tally(&self, opinionated: bool) -> StratumTally {
        let by = |keep: &dyn Fn(Verdict) -> bool| -> u64 {
            Verdict::ALL
                .iter()
                .zip(self.verdicts)
                .filter(|(v, _)| keep(**v))
                .map(|(_, n)| n)
                .sum()
        };
        StratumTally {
            population: self.population,
            sampled: self.sampled,
            reviewed: self.verdicts.iter().sum(),
            negative: by(&|v| v == Verdict::Negative),
            counted: by(&|v| v.counted(opinionated)),
        }
    }
}

/// Reviewed articles by the classifier's decision (rows: negative,
/// neutral, positive) and the analyst's verdict (columns: negative,
/// neutral, positive, not relevant).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// `counts[classifier][verdict]`.
    pub counts: [[u64; 4]; 3],
}

impl Confusion {
    /// Adds `n` reviews of articles the classifier called `classified`.
    pub fn add(&mut self, classified: Sentiment, verdict: Verdict, n: u64) {
        self.counts[classified.index()][verdict.index()] += n;
    }

    /// The confusion matrix of these strata's reviews.
    pub fn of(strata: &[StratumReviews]) -> Self {
        let mut c = Confusion::default();
        for s in strata {
            for (v, n) in Verdict::ALL.iter().zip(s.verdicts) {
                c.add(s.stratum.classified(), *v, n);
            }
        }
        c
    }

    /// Reviews of articles the classifier called `s`.
    pub fn reviewed(&self, s: Sentiment) -> u64 {
        self.row(s).iter().sum()
    }

    /// The share of the classifier's `s` decisions the analysts confirmed
    /// (a not-relevant verdict is a miss too); `None` without reviews.
    /// Within a stratum the sample is random, so this is an unbiased
    /// estimate of the classifier's precision on the period.
    pub fn precision(&self, s: Sentiment) -> Option<f64> {
        let n = self.reviewed(s);
        (n > 0).then(|| self.row(s)[Verdict::from(s).index()] as f64 / n as f64)
    }

    fn row(&self, s: Sentiment) -> [u64; 4] {
        self.counts[s.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_counts_a_not_relevant_verdict_as_a_miss() {
        let mut c = Confusion::default();
        c.add(Sentiment::Negative, Verdict::Negative, 6);
        c.add(Sentiment::Negative, Verdict::Neutral, 3);
        c.add(Sentiment::Negative, Verdict::NotRelevant, 1);
        c.add(Sentiment::Neutral, Verdict::Neutral, 4);
        assert_eq!(c.precision(Sentiment::Negative), Some(0.6));
        assert_eq!(c.precision(Sentiment::Neutral), Some(1.0));
        assert_eq!(c.precision(Sentiment::Positive), None);
        assert_eq!(c.counts[0], [6, 3, 0, 1]);
    }

    #[test]
    fn a_stratum_tallies_by_the_denominator() {
        let s = StratumReviews {
            stratum: Stratum::Neutral,
            population: 100,
            sampled: 12,
            verdicts: [2, 6, 1, 1],
        };
        let all = s.tally(false);
        assert_eq!((all.reviewed, all.negative, all.counted), (10, 2, 9));
        assert_eq!(s.tally(true).counted, 3);
        assert_eq!(Confusion::of(&[s]).counts[1], [2, 6, 1, 1]);
    }
}
