//! Which issue drives the KPI: each issue's negative articles as points of
//! the period's negative percentage, and the percentage counted per story
//! instead of per publication (one wire story on thirty portals counts
//! once).

use serde::Serialize;

/// A story's articles by effective sentiment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoryTally {
    /// Negative copies.
    pub negative: u64,
    /// Neutral copies.
    pub neutral: u64,
    /// Positive copies.
    pub positive: u64,
}

impl StoryTally {
    /// The story's own sentiment: its copies' majority; a tie leans
    /// negative, then positive (the KPI is about negatives: a tie must not
    /// hide one).
    pub fn majority(&self) -> Sentiment3 {
        let (n, u, p) = (self.negative, self.neutral, self.positive);
        if n >= u && n >= p && n > 0 {
            Sentiment3::Negative
        } else if p >= u && p > 0 {
            Sentiment3::Positive
        } else {
            Sentiment3::Neutral
        }
    }
}

/// Three tones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sentiment3 {
    /// Negative.
    Negative,
    /// Neutral.
    Neutral,
    /// Positive.
    Positive,
}

/// The KPI counted per story.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PerStory {
    /// Stories whose majority is negative.
    pub negative_stories: u64,
    /// Stories in the denominator.
    pub counted_stories: u64,
    /// Their percentage; `None` without stories.
    pub percent: Option<f64>,
}

/// The percentage of negative stories; `opinionated` leaves neutral
/// stories out of the denominator, as the entity's KPI does.
pub fn per_story(stories: impl IntoIterator<Item = StoryTally>, opinionated: bool) -> PerStory {
    let (mut neg, mut counted) = (0, 0);
    for s in stories {
        match s.majority() {
            Sentiment3::Negative => {
                neg += 1;
                counted += 1;
            }
            Sentiment3::Positive => counted += 1,
            Sentiment3::Neutral if !opinionated => counted += 1,
            Sentiment3::Neutral => {}
        }
    }
    PerStory {
        negative_stories: neg,
        counted_stories: counted,
        percent: (counted > 0).then(|| 100.0 * neg as f64 / counted as f64),
    }
}

/// An issue's negative articles as points of the period's percentage:
/// the percentage falls by this much were they not negative.
pub fn contribution_points(issue_negative: u64, period_denominator: u64) -> Option<f64> {
    (period_denominator > 0).then(|| 100.0 * issue_negative as f64 / period_denominator as f64)
}

/// The share (0–1) of the period's negatives the `n` largest issues
/// explain, from each issue's negatives.
pub fn explained_by_top(mut negatives: Vec<u64>, n: usize, period_negative: u64) -> Option<f64> {
    if period_negative == 0 {
        return None;
    }
    negatives.sort_unstable_by(|a, b| b.cmp(a));
    let top: u64 = negatives.iter().take(n).sum();
    Some(top.min(period_negative) as f64 / period_negative as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_copies_of_one_negative_story_count_once() {
        let wire = StoryTally {
            negative: 30,
            ..Default::default()
        };
        let others = (0..9).map(|_| StoryTally {
            neutral: 1,
            ..Default::default()
        });
        let s = per_story(std::iter::once(wire).chain(others), false);
        assert_eq!((s.negative_stories, s.counted_stories), (1, 10));
        assert_eq!(s.percent, Some(10.0));
        // Per publication it would be 30 of 39.
        assert_eq!(
            contribution_points(30, 39).map(|p| (p * 10.0).round()),
            Some(769.0)
        );
    }

    #[test]
    fn ties_lean_negative_and_opinionated_leaves_neutral_out() {
        let tie = StoryTally {
            negative: 1,
            neutral: 1,
            positive: 1,
        };
        assert_eq!(tie.majority(), Sentiment3::Negative);
        let calm = StoryTally {
            neutral: 2,
            positive: 1,
            ..Default::default()
        };
        assert_eq!(calm.majority(), Sentiment3::Neutral);
        let s = per_story([tie, calm], true);
        assert_eq!((s.negative_stories, s.counted_stories), (1, 1));
        assert_eq!(explained_by_top(vec![2, 9, 4], 2, 20), Some(13.0 / 20.0));
        assert_eq!(explained_by_top(vec![], 2, 0), None);
    }
}
