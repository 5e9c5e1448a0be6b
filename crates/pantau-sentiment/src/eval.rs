//! Measuring the classifier on labelled data: accuracy, macro-F1, per-class
//! precision and recall, and the confusion matrix; precision and recall of
//! a yes/no decision (relevance); and the negative share the KPI would
//! report against the true one. Pure arithmetic.

use pantau_model::Sentiment;

/// Counts of (gold, predicted) pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Confusion {
    /// `counts[gold][predicted]`, indexed in [`Sentiment::ALL`] order.
    pub counts: [[u64; 3]; 3],
}

fn idx(s: Sentiment) -> usize {
    match s {
        Sentiment::Negative => 0,
        Sentiment::Neutral => 1,
        Sentiment::Positive => 2,
    }
}

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    /// The class.
    pub class: Sentiment,
    /// Correct among predicted as this class.
    pub precision: f64,
    /// Found among gold of this class.
    pub recall: f64,
    /// Harmonic mean of the two (0 when both are 0).
    pub f1: f64,
    /// Gold examples of this class.
    pub support: u64,
}

impl Confusion {
    /// Records one example.
    pub fn add(&mut self, gold: Sentiment, predicted: Sentiment) {
        self.counts[idx(gold)][idx(predicted)] += 1;
    }

    /// Examples recorded.
    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// Share predicted correctly.
    pub fn accuracy(&self) -> f64 {
        let correct: u64 = (0..3).map(|i| self.counts[i][i]).sum();
        ratio(correct, self.total())
    }

    /// Scores per class, in [`Sentiment::ALL`] order.
    pub fn per_class(&self) -> [ClassScores; 3] {
        Sentiment::ALL.map(|class| {
            let i = idx(class);
            let tp = self.counts[i][i];
            let predicted: u64 = (0..3).map(|g| self.counts[g][i]).sum();
            let support: u64 = self.counts[i].iter().sum();
            let precision = ratio(tp, predicted);
            let recall = ratio(tp, support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            ClassScores {
                class,
                precision,
                recall,
                f1,
                support,
            }
        })
    }

    /// Unweighted mean of the per-class F1 scores.
    pub fn macro_f1(&self) -> f64 {
        self.per_class().iter().map(|c| c.f1).sum::<f64>() / 3.0
    }
}

/// Counts of a yes/no decision against gold (relevance).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Binary {
    /// Gold yes, predicted yes.
    pub true_positive: u64,
    /// Gold no, predicted yes.
    pub false_positive: u64,
    /// Gold yes, predicted no.
    pub false_negative: u64,
    /// Gold no, predicted no.
    pub true_negative: u64,
}

impl Binary {
    /// Records one example.
    pub fn add(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.true_positive += 1,
            (false, true) => self.false_positive += 1,
            (true, false) => self.false_negative += 1,
            (false, false) => self.true_negative += 1,
        }
    }

    /// Examples recorded.
    pub fn total(&self) -> u64 {
        self.true_positive + self.false_positive + self.false_negative + self.true_negative
    }

    /// Correct among predicted yes.
    pub fn precision(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }

    /// Found among gold yes.
    pub fn recall(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }

    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

/// The KPI measured against gold: the negative share of the articles the
/// classifier counts (its relevant ones) beside the true share of the
/// truly relevant ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NegativeShare {
    /// Predicted relevant.
    pub predicted_relevant: u64,
    /// Predicted relevant and predicted negative.
    pub predicted_negative: u64,
    /// Gold relevant.
    pub true_relevant: u64,
    /// Gold relevant and gold negative.
    pub true_negative: u64,
}

impl NegativeShare {
    /// Records one article: gold relevance and tone (the tone of an
    /// irrelevant one is `None`), and the classifier's.
    pub fn add(&mut self, gold: (bool, Option<Sentiment>), predicted: (bool, Sentiment)) {
        if gold.0 {
            self.true_relevant += 1;
            self.true_negative += u64::from(gold.1 == Some(Sentiment::Negative));
        }
        if predicted.0 {
            self.predicted_relevant += 1;
            self.predicted_negative += u64::from(predicted.1 == Sentiment::Negative);
        }
    }

    /// The share the classifier reports, in percent.
    pub fn predicted_pct(&self) -> f64 {
        100.0 * ratio(self.predicted_negative, self.predicted_relevant)
    }

    /// The true share, in percent.
    pub fn true_pct(&self) -> f64 {
        100.0 * ratio(self.true_negative, self.true_relevant)
    }

    /// Predicted minus true, in percentage points.
    pub fn gap_points(&self) -> f64 {
        self.predicted_pct() - self.true_pct()
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Sentiment::*;

    #[test]
    fn hand_computed_example() {
        let mut c = Confusion::default();
        // gold negative: 3 right, 1 as neutral; gold neutral: 1 right, 1 as positive;
        // gold positive: 2 right.
        for (g, p, n) in [
            (Negative, Negative, 3),
            (Negative, Neutral, 1),
            (Neutral, Neutral, 1),
            (Neutral, Positive, 1),
            (Positive, Positive, 2),
        ] {
            for _ in 0..n {
                c.add(g, p);
            }
        }
        assert_eq!(c.total(), 8);
        assert!((c.accuracy() - 6.0 / 8.0).abs() < 1e-12);
        let [neg, neu, pos] = c.per_class();
        assert!((neg.precision - 1.0).abs() < 1e-12 && (neg.recall - 0.75).abs() < 1e-12);
        assert!((neu.precision - 0.5).abs() < 1e-12 && (neu.recall - 0.5).abs() < 1e-12);
        assert!((pos.precision - 2.0 / 3.0).abs() < 1e-12 && (pos.recall - 1.0).abs() < 1e-12);
        let f1 = |p: f64, r: f64| 2.0 * p * r / (p + r);
        let want = (f1(1.0, 0.75) + 0.5 + f1(2.0 / 3.0, 1.0)) / 3.0;
        assert!((c.macro_f1() - want).abs() < 1e-12);
    }

    #[test]
    fn empty_is_zero_not_nan() {
        let c = Confusion::default();
        assert_eq!(c.accuracy(), 0.0);
        assert_eq!(c.macro_f1(), 0.0);
        let b = Binary::default();
        assert_eq!((b.precision(), b.recall(), b.f1()), (0.0, 0.0, 0.0));
        assert_eq!(NegativeShare::default().gap_points(), 0.0);
    }

    #[test]
    fn relevance_and_the_negative_share() {
        let mut b = Binary::default();
        for (g, p, n) in [
            (true, true, 8),
            (false, true, 2),
            (true, false, 2),
            (false, false, 5),
        ] {
            for _ in 0..n {
                b.add(g, p);
            }
        }
        assert_eq!(b.total(), 17);
        assert!((b.precision() - 0.8).abs() < 1e-12 && (b.recall() - 0.8).abs() < 1e-12);
        assert!((b.f1() - 0.8).abs() < 1e-12);
        let mut k = NegativeShare::default();
        // 4 truly relevant, 1 truly negative; the classifier counts 5, 2 negative.
        k.add((true, Some(Negative)), (true, Negative));
        k.add((true, Some(Neutral)), (true, Negative));
        k.add((true, Some(Positive)), (true, Positive));
        k.add((true, Some(Neutral)), (false, Neutral));
        k.add((false, None), (true, Neutral));
        k.add((false, None), (true, Neutral));
        k.add((false, None), (false, Negative));
        assert!((k.true_pct() - 25.0).abs() < 1e-12);
        assert!((k.predicted_pct() - 40.0).abs() < 1e-12);
        assert!((k.gap_points() - 15.0).abs() < 1e-12);
    }
}
