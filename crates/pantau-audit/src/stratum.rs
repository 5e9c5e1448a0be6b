//! The strata of an audit sample: the classifier's decision, with its
//! neutrals split by whether any negative evidence was found.

use std::fmt;
use std::str::FromStr;

use pantau_model::Sentiment;
use serde::{Deserialize, Serialize};

/// Which stratum an assessment is drawn from.
///
/// The classifier's neutrals are most of a period and hide most of its
/// missed negatives, so their stratum's spread dominates the interval.
/// Splitting off the neutrals that leaned negative (a score below zero:
/// some unfavourable wording, too little to decide) puts the likeliest
/// misses in a small stratum of their own. On the kemensos-news train
/// split, one in ten of those is truly negative against fewer than two in
/// a hundred of the other neutrals, so the same reviews narrow the
/// interval more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stratum {
    /// The classifier said negative.
    Negative,
    /// It said neutral, with a score below zero.
    NeutralLeaningNegative,
    /// It said neutral, with no negative lean.
    Neutral,
    /// It said positive.
    Positive,
}

impl Stratum {
    /// Every stratum, in the order tallies are kept.
    pub const ALL: [Stratum; 4] = [
        Stratum::Negative,
        Stratum::NeutralLeaningNegative,
        Stratum::Neutral,
        Stratum::Positive,
    ];

    /// The stratum of an assessment the classifier decided `sentiment`
    /// with `score` (negative is unfavourable).
    pub fn of(sentiment: Sentiment, score: f64) -> Stratum {
        match sentiment {
            Sentiment::Negative => Stratum::Negative,
            Sentiment::Neutral if score < 0.0 => Stratum::NeutralLeaningNegative,
            Sentiment::Neutral => Stratum::Neutral,
            Sentiment::Positive => Stratum::Positive,
        }
    }

    /// Its position in [`Stratum::ALL`].
    pub fn index(self) -> usize {
        match self {
            Stratum::Negative => 0,
            Stratum::NeutralLeaningNegative => 1,
            Stratum::Neutral => 2,
            Stratum::Positive => 3,
        }
    }

    /// The classifier's decision (the confusion matrix's row).
    pub fn classified(self) -> Sentiment {
        match self {
            Stratum::Negative => Sentiment::Negative,
            Stratum::NeutralLeaningNegative | Stratum::Neutral => Sentiment::Neutral,
            Stratum::Positive => Sentiment::Positive,
        }
    }

    /// The label stored and shown in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Stratum::Negative => "negative",
            Stratum::NeutralLeaningNegative => "neutral_leaning_negative",
            Stratum::Neutral => "neutral",
            Stratum::Positive => "positive",
        }
    }

    /// The Indonesian label used in reports and on the command line.
    pub fn label_id(self) -> &'static str {
        match self {
            Stratum::NeutralLeaningNegative => "netral condong negatif",
            s => s.classified().label_id(),
        }
    }

    /// What a first draw assumes of the stratum's spread before any
    /// review: the classifier's negatives are a coin toss (S = 0.5); the
    /// neutrals that leaned negative nearly so (S = 0.4, one in five
    /// wrong); its other decisions hide negatives or irrelevant articles
    /// now and then (S = 0.25, about 7 % of them). Neyman allocation on
    /// these gives the small uncertain strata more than their proportional
    /// share, and the large neutral stratum — where most of the estimate's
    /// error is — the most reviews.
    pub fn prior_sd(self) -> f64 {
        match self {
            Stratum::Negative => 0.5,
            Stratum::NeutralLeaningNegative => 0.4,
            Stratum::Neutral | Stratum::Positive => 0.25,
        }
    }
}

impl fmt::Display for Stratum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Stratum {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stratum::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown stratum {s:?} (expected negative, neutral_leaning_negative, neutral or positive)"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_neutrals_split_by_their_lean() {
        assert_eq!(
            Stratum::of(Sentiment::Neutral, -0.05),
            Stratum::NeutralLeaningNegative
        );
        assert_eq!(Stratum::of(Sentiment::Neutral, 0.0), Stratum::Neutral);
        assert_eq!(Stratum::of(Sentiment::Neutral, 0.2), Stratum::Neutral);
        // A negative or positive decision is its own stratum whatever the score.
        assert_eq!(Stratum::of(Sentiment::Negative, 0.3), Stratum::Negative);
        assert_eq!(Stratum::of(Sentiment::Positive, -0.3), Stratum::Positive);
        for s in Stratum::ALL {
            assert_eq!(Stratum::ALL[s.index()], s);
            assert_eq!(s.as_str().parse::<Stratum>(), Ok(s));
        }
        assert_eq!(
            Stratum::NeutralLeaningNegative.classified(),
            Sentiment::Neutral
        );
        assert!("netral".parse::<Stratum>().is_err());
    }
}
