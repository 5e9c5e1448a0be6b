//! The audited figure of a report: what the period's review samples say
//! the true negative share is, and how well the classifier did.

use chrono::NaiveDate;
use pantau_audit::{estimate, Confusion, NoEstimate, StratumReviews, METHOD};
use pantau_model::Sentiment;
use serde::Serialize;

/// A period's audit as the store tallies it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditInput {
    /// The sample periods that overlap the report's period.
    pub samples: Vec<String>,
    /// Their strata within the report's period: four per sample period
    /// (`pantau_audit::Stratum::ALL`).
    pub strata: Vec<StratumReviews>,
    /// Days of the report's period that no sample covers (first, last).
    pub uncovered: Option<(NaiveDate, NaiveDate)>,
}

/// The classifier's precision per decision, from the reviews.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Precision {
    /// Of its negatives, truly negative.
    pub negative: Option<f64>,
    /// Of its neutrals, truly neutral.
    pub neutral: Option<f64>,
    /// Of its positives, truly positive.
    pub positive: Option<f64>,
}

/// The audited estimate beside the as-classified figure. Percentages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditSummary {
    /// The estimated true negative percentage; `None` when the reviews
    /// cannot say (see `missing`).
    pub estimate: Option<f64>,
    /// The 95 % interval's lower bound.
    pub ci_low: Option<f64>,
    /// Its upper bound.
    pub ci_high: Option<f64>,
    /// Articles reviewed.
    pub sample_size: u64,
    /// Articles drawn (reviewed or not).
    pub drawn: u64,
    /// How the estimate and interval are computed.
    pub method: &'static str,
    /// More reviews that would narrow the interval to ±2 points.
    pub reviews_for_2_points: Option<u64>,
    /// The sample periods behind it.
    pub samples: Vec<String>,
    /// Why there is no estimate: `no_reviews`, `unreviewed_negative`
    /// (… `_neutral`, `_positive`), `nothing_counted`, or
    /// `uncovered FROM..TO`.
    pub missing: Option<String>,
    /// Below the target on the audited estimate.
    pub achieved: Option<bool>,
    /// Whether the whole interval is on one side of the target
    /// (`false`: "belum pasti").
    pub certain: Option<bool>,
    /// The classifier's measured precision.
    pub precision: Precision,
    /// The classifier's decisions (rows: negative, neutral, positive)
    /// against the verdicts (columns: negative, neutral, positive, not
    /// relevant).
    pub confusion: Confusion,
}

/// The audit summary of a period: `None` when no sample touches it.
pub fn summarise(
    input: &AuditInput,
    opinionated: bool,
    target_pct: Option<f64>,
) -> Option<AuditSummary> {
    if input.samples.is_empty() {
        return None;
    }
    let tallies: Vec<_> = input.strata.iter().map(|s| s.tally(opinionated)).collect();
    let confusion = Confusion::of(&input.strata);
    let result = match input.uncovered {
        Some((from, to)) => Err(format!("uncovered {from}..{to}")),
        None => estimate(&tallies).map_err(|e| match e {
            NoEstimate::NoReviews => "no_reviews".to_owned(),
            NoEstimate::UnreviewedStratum(h) => format!(
                "unreviewed_{}",
                input.strata.get(h).map_or("", |s| s.stratum.as_str())
            ),
            NoEstimate::NothingCounted => "nothing_counted".to_owned(),
        }),
    };
    let pct = |f: f64| f * 100.0;
    let (estimate, ci_low, ci_high, more, missing) = match &result {
        Ok(e) => (
            Some(pct(e.share)),
            Some(pct(e.low)),
            Some(pct(e.high)),
            Some(e.reviews_for_2_points),
            None,
        ),
        Err(why) => (None, None, None, None, Some(why.clone())),
    };
    let achieved = estimate.zip(target_pct).map(|(e, t)| e < t);
    let certain = ci_low
        .zip(ci_high)
        .zip(target_pct)
        .map(|((lo, hi), t)| hi < t || lo >= t);
    Some(AuditSummary {
        estimate,
        ci_low,
        ci_high,
        sample_size: tallies.iter().map(|t| t.reviewed).sum(),
        drawn: tallies.iter().map(|t| t.sampled).sum(),
        method: METHOD,
        reviews_for_2_points: more,
        samples: input.samples.clone(),
        missing,
        achieved,
        certain,
        precision: Precision {
            negative: confusion.precision(Sentiment::Negative),
            neutral: confusion.precision(Sentiment::Neutral),
            positive: confusion.precision(Sentiment::Positive),
        },
        confusion,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use pantau_audit::Stratum;

    fn stratum(stratum: Stratum, population: u64, verdicts: [u64; 4]) -> StratumReviews {
        StratumReviews {
            stratum,
            population,
            sampled: verdicts.iter().sum(),
            verdicts,
        }
    }

    fn input() -> AuditInput {
        AuditInput {
            samples: vec!["2026-11".into()],
            strata: vec![
                stratum(Stratum::Negative, 20, [20, 0, 0, 0]),
                stratum(Stratum::Neutral, 60, [0, 60, 0, 0]),
                stratum(Stratum::Positive, 20, [0, 0, 20, 0]),
            ],
            uncovered: None,
        }
    }

    #[test]
    fn the_status_follows_the_audited_figure_and_its_certainty() {
        let s = summarise(&input(), false, Some(25.0)).unwrap();
        assert_eq!(s.estimate, Some(20.0));
        assert_eq!((s.ci_low, s.ci_high), (Some(20.0), Some(20.0)));
        assert_eq!((s.achieved, s.certain), (Some(true), Some(true)));
        assert_eq!(s.sample_size, 100);
        assert_eq!(s.precision.negative, Some(1.0));
        // Half the neutrals unreviewed, and one of those reviewed negative:
        // 20 + 60 × 1/30 = 22 negatives in 100, and the interval reaches
        // past a target of 23 %.
        let mut i = input();
        i.strata[1] = StratumReviews {
            sampled: 30,
            ..stratum(Stratum::Neutral, 60, [1, 29, 0, 0])
        };
        let s = summarise(&i, false, Some(23.0)).unwrap();
        assert!((s.estimate.unwrap() - 22.0).abs() < 1e-9);
        assert!(
            s.ci_low.unwrap() < 22.0 && s.ci_high.unwrap() > 23.0,
            "{s:?}"
        );
        assert_eq!((s.achieved, s.certain), (Some(true), Some(false)));
        assert_eq!(s.drawn, 70);
    }

    #[test]
    fn no_sample_no_summary_and_gaps_are_named() {
        assert_eq!(summarise(&AuditInput::default(), false, None), None);
        let mut i = input();
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        i.uncovered = Some((d(1), d(31)));
        let s = summarise(&i, false, Some(25.0)).unwrap();
        assert_eq!(s.estimate, None);
        assert_eq!(
            s.missing.as_deref(),
            Some("uncovered 2026-12-01..2026-12-31")
        );
        assert_eq!(s.achieved, None);
        i.uncovered = None;
        i.strata[2].verdicts = [0; 4];
        let s = summarise(&i, false, None).unwrap();
        assert_eq!(s.missing.as_deref(), Some("unreviewed_positive"));
        // The neutrals that leaned negative are a stratum of their own.
        let mut i = input();
        i.strata
            .push(stratum(Stratum::NeutralLeaningNegative, 5, [0; 4]));
        let s = summarise(&i, false, None).unwrap();
        assert_eq!(
            s.missing.as_deref(),
            Some("unreviewed_neutral_leaning_negative")
        );
        let subject = crate::ReportSubject {
            entity: "k",
            name: "K",
            tz: chrono_tz::Asia::Jakarta,
            denominator: pantau_aggregate::Denominator::All,
            target_pct: None,
        };
        let input = crate::PeriodInput {
            audit: i,
            ..crate::PeriodInput::default()
        };
        let r = crate::build(&subject, &"2026-11".parse().unwrap(), input);
        let text = crate::render(&r, crate::Format::Table, crate::Lang::Id);
        assert!(
            text.contains("strata ini belum ada yang ditinjau (netral condong negatif)"),
            "{text}"
        );
    }

    #[test]
    fn the_report_says_it_in_the_bureau_s_words() {
        use crate::{build, render, Format, Lang, PeriodInput, ReportSubject};
        let mut i = input();
        i.strata[1] = StratumReviews {
            sampled: 30,
            ..stratum(Stratum::Neutral, 60, [1, 29, 0, 0])
        };
        let subject = ReportSubject {
            entity: "k",
            name: "K",
            tz: chrono_tz::Asia::Jakarta,
            denominator: pantau_aggregate::Denominator::All,
            target_pct: Some(23.0),
        };
        let input = PeriodInput {
            audit: i,
            ..PeriodInput::default()
        };
        let r = build(&subject, &"2026-11".parse().unwrap(), input);
        let text = render(&r, Format::Table, Lang::Id);
        let line = text
            .lines()
            .find(|l| l.starts_with("Estimasi teraudit"))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(line.contains("22,0 % (IK 95 %: "), "{line}");
        assert!(line.ends_with("%), 70 berita ditinjau"), "{line}");
        assert!(
            text.contains("Tercapai (menurut estimasi teraudit; belum pasti"),
            "{text}"
        );
        let en = render(&r, Format::Markdown, Lang::En);
        assert!(en.contains("| Audited estimate | 22.0% (95% CI: "), "{en}");
        assert!(en.contains("| Neutral | 1 | 29 | 0 | 0 |"), "{en}");
    }
}
