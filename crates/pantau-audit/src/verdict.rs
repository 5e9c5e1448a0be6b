//! What an analyst decides about one sampled article.

use std::fmt;
use std::str::FromStr;

use pantau_model::Sentiment;
use serde::{Deserialize, Serialize};

/// An analyst's verdict on a sampled article: its true tone toward the
/// entity, or that it is not about the entity at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Unfavourable to the entity.
    Negative,
    /// Neither, or balanced.
    Neutral,
    /// Favourable to the entity.
    Positive,
    /// Not about the entity: out of the count altogether.
    NotRelevant,
}

impl Verdict {
    /// Every verdict, in a fixed order (the confusion matrix's columns).
    pub const ALL: [Verdict; 4] = [
        Verdict::Negative,
        Verdict::Neutral,
        Verdict::Positive,
        Verdict::NotRelevant,
    ];

    /// Its position in [`Verdict::ALL`] (the confusion matrix's column).
    pub fn index(self) -> usize {
        match self {
            Verdict::Negative => 0,
            Verdict::Neutral => 1,
            Verdict::Positive => 2,
            Verdict::NotRelevant => 3,
        }
    }

    /// The label stored and shown in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Negative => "negative",
            Verdict::Neutral => "neutral",
            Verdict::Positive => "positive",
            Verdict::NotRelevant => "not_relevant",
        }
    }

    /// The Indonesian label used in reports.
    pub fn label_id(self) -> &'static str {
        match self {
            Verdict::NotRelevant => "tidak relevan",
            v => v.sentiment().map_or("", Sentiment::label_id),
        }
    }

    /// The tone, when the article is about the entity.
    pub fn sentiment(self) -> Option<Sentiment> {
        match self {
            Verdict::Negative => Some(Sentiment::Negative),
            Verdict::Neutral => Some(Sentiment::Neutral),
            Verdict::Positive => Some(Sentiment::Positive),
            Verdict::NotRelevant => None,
        }
    }

    /// Whether the article is in the KPI's denominator: every relevant
    /// article, or with `opinionated` only the negative and positive ones.
    pub fn counted(self, opinionated: bool) -> bool {
        match self {
            Verdict::NotRelevant => false,
            Verdict::Neutral => !opinionated,
            Verdict::Negative | Verdict::Positive => true,
        }
    }
}

impl From<Sentiment> for Verdict {
    fn from(s: Sentiment) -> Self {
        match s {
            Sentiment::Negative => Verdict::Negative,
            Sentiment::Neutral => Verdict::Neutral,
            Sentiment::Positive => Verdict::Positive,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verdict label that is none of the four.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVerdict(pub String);

impl fmt::Display for UnknownVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown verdict {:?}: expected negative, neutral, positive or not_relevant",
            self.0
        )
    }
}

impl std::error::Error for UnknownVerdict {}

impl FromStr for Verdict {
    type Err = UnknownVerdict;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "not_relevant" | "tidak_relevan" | "irrelevant" => Ok(Verdict::NotRelevant),
            other => other
                .parse::<Sentiment>()
                .map(Verdict::from)
                .map_err(|_| UnknownVerdict(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_the_denominator_follows_the_setting() {
        for (i, v) in Verdict::ALL.into_iter().enumerate() {
            assert_eq!(v.as_str().parse::<Verdict>(), Ok(v));
            assert_eq!(v.index(), i);
        }
        assert_eq!("negatif".parse::<Verdict>(), Ok(Verdict::Negative));
        assert_eq!("Not-Relevant".parse::<Verdict>(), Ok(Verdict::NotRelevant));
        assert!("bad".parse::<Verdict>().is_err());
        assert!(Verdict::Neutral.counted(false));
        assert!(!Verdict::Neutral.counted(true));
        assert!(!Verdict::NotRelevant.counted(false));
        assert_eq!(Verdict::NotRelevant.sentiment(), None);
    }
}
