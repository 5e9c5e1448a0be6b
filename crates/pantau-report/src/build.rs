//! Building the report from the period's assessed articles.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use pantau_model::{MediaType, Period, Sentiment};
use serde::Serialize;

use pantau_aggregate::{Denominator, Tally, WindowCounts};

use crate::audit::{summarise, AuditInput, AuditSummary};

/// A period's counts and most negative articles, as the store reads them
/// (by aggregate SQL: the report never holds the period's articles).
#[derive(Debug, Clone, Default)]
pub struct PeriodInput {
    /// Assessments by media type and effective sentiment.
    pub by_media: Vec<(MediaType, Sentiment, u64)>,
    /// By outlet.
    pub by_outlet: Vec<(String, Sentiment, u64)>,
    /// By local month (year, month).
    pub by_month: Vec<((i32, u32), Sentiment, u64)>,
    /// Assessments an analyst overrode.
    pub overrides: u64,
    /// The most negative articles, most negative first.
    pub most_negative: Vec<TopArticle>,
    /// The period's audit samples.
    pub audit: AuditInput,
}

/// An issue of the period and its share of the KPI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopIssue {
    /// Id.
    pub id: String,
    /// Its name (the analysts', else generated).
    pub label: String,
    /// Stories.
    pub stories: u64,
    /// Articles.
    pub articles: u64,
    /// Negative articles.
    pub negative: u64,
    /// Its points of the negative percentage.
    pub points: Option<f64>,
}

/// The most negative of an article's matched terms (effective weight,
/// lowest first), at most five: what made it negative.
pub fn negative_terms(terms: impl IntoIterator<Item = (String, f64)>) -> Vec<(String, f64)> {
    let mut t: Vec<(String, f64)> = terms.into_iter().filter(|t| t.1 < 0.0).collect();
    t.sort_by(|a, b| a.1.total_cmp(&b.1));
    t.truncate(5);
    t
}

/// The counts of one slice: a media type, an outlet, a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slice {
    /// Label: a media type, an outlet, a month.
    pub key: String,
    /// Its counts, in the one shape every count takes.
    #[serde(flatten)]
    pub counts: Tally,
}

impl Slice {
    fn new(key: String, c: WindowCounts, d: Denominator) -> Self {
        Slice {
            key,
            counts: c.tally(d),
        }
    }
}

/// A negative article with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopArticle {
    /// Article id.
    pub article_id: String,
    /// Publication date in the entity's time zone.
    pub date: NaiveDate,
    /// Publication.
    pub outlet: String,
    /// Media type.
    pub media_type: MediaType,
    /// Headline.
    pub title: String,
    /// Link.
    pub url: Option<String>,
    /// Classifier score.
    pub score: f64,
    /// Whether an analyst set the sentiment.
    pub overridden: bool,
    /// The most negative matched terms.
    pub terms: Vec<(String, f64)>,
}

/// The KPI report of one entity for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiReport {
    /// Entity id.
    pub entity: String,
    /// Entity name.
    pub entity_name: String,
    /// The period as asked (`2023`, `2023-Q2`, `2023-05`, `FROM..TO`).
    pub period: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Time zone of the dates.
    pub time_zone: String,
    /// `all` or `opinionated`.
    pub denominator: &'static str,
    /// The whole period.
    pub summary: Slice,
    /// Target percentage for the period's year, when set.
    pub target_pct: Option<f64>,
    /// Achieved: negative % below the target (`None` without target or
    /// data), as classified.
    pub achieved: Option<bool>,
    /// The audited estimate, when the period has an audit sample
    /// (`null` otherwise).
    pub audit: Option<AuditSummary>,
    /// Assessments an analyst overrode.
    pub overrides: u64,
    /// By media type (all five, in the IKU's order).
    pub by_media_type: Vec<Slice>,
    /// By outlet, largest first.
    pub by_outlet: Vec<Slice>,
    /// Month by month.
    pub trend: Vec<Slice>,
    /// The most negative articles.
    pub top_negative: Vec<TopArticle>,
    /// The issues behind the negatives ("Isu utama"), filled in by the
    /// caller from the stories and issues it tracks; left out of the JSON
    /// while there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub top_issues: Vec<TopIssue>,
}

/// Entity facts the report needs.
#[derive(Debug, Clone)]
pub struct ReportSubject<'a> {
    /// Entity id.
    pub entity: &'a str,
    /// Entity name.
    pub name: &'a str,
    /// Time zone.
    pub tz: Tz,
    /// Denominator.
    pub denominator: Denominator,
    /// Target percentage for the period's year.
    pub target_pct: Option<f64>,
}

/// Builds the report of a period from its counts.
pub fn build(subject: &ReportSubject<'_>, period: &Period, input: PeriodInput) -> KpiReport {
    let d = subject.denominator;
    let mut all = WindowCounts::default();
    let mut media: BTreeMap<MediaType, WindowCounts> = MediaType::ALL
        .iter()
        .map(|m| (*m, WindowCounts::default()))
        .collect();
    for (m, s, n) in &input.by_media {
        all.add(*s, *n);
        media.entry(*m).or_default().add(*s, *n);
    }
    let mut outlets: BTreeMap<String, WindowCounts> = BTreeMap::new();
    for (o, s, n) in &input.by_outlet {
        outlets.entry(o.clone()).or_default().add(*s, *n);
    }
    let mut months: BTreeMap<(i32, u32), WindowCounts> = period
        .months()
        .into_iter()
        .map(|m| (m, WindowCounts::default()))
        .collect();
    for (m, s, n) in &input.by_month {
        months.entry(*m).or_default().add(*s, *n);
    }
    let summary = Slice::new("total".into(), all, d);
    let achieved = summary
        .counts
        .negative_pct
        .zip(subject.target_pct)
        .map(|_| {
            (all.negative as f64) * 100.0
                < subject.target_pct.unwrap_or(0.0) * all.denominator(d) as f64
        });
    let mut by_outlet: Vec<Slice> = outlets
        .into_iter()
        .map(|(k, c)| Slice::new(k, c, d))
        .collect();
    by_outlet.sort_by(|a, b| b.counts.total.cmp(&a.counts.total).then(a.key.cmp(&b.key)));
    KpiReport {
        entity: subject.entity.to_owned(),
        entity_name: subject.name.to_owned(),
        period: period.to_string(),
        from: period.start(),
        to: period.end_exclusive().pred_opt().expect("a day before"),
        time_zone: subject.tz.name().to_owned(),
        denominator: match d {
            Denominator::All => "all",
            Denominator::Opinionated => "opinionated",
        },
        summary,
        target_pct: subject.target_pct,
        achieved,
        audit: summarise(
            &input.audit,
            d == Denominator::Opinionated,
            subject.target_pct,
        ),
        overrides: input.overrides,
        by_media_type: media
            .into_iter()
            .map(|(m, c)| Slice::new(m.as_str().into(), c, d))
            .collect(),
        by_outlet,
        trend: months
            .into_iter()
            .map(|((y, m), c)| Slice::new(format!("{y}-{m:02}"), c, d))
            .collect(),
        top_negative: input.most_negative,
        top_issues: Vec::new(),
    }
}

/// The local date of an instant in `tz`.
pub fn local_date(ms: i64, tz: Tz) -> NaiveDate {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive()
}
#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Jakarta;

    /// Five articles: (outlet, media, sentiment, month).
    fn input() -> PeriodInput {
        use MediaType::*;
        use Sentiment::*;
        let rows = [
            ("A", Online, Negative, 4),
            ("A", Online, Positive, 4),
            ("B", Tv, Neutral, 5),
            ("B", Tv, Negative, 6),
            ("C", Print, Positive, 6),
        ];
        let mut i = PeriodInput {
            overrides: 1,
            ..PeriodInput::default()
        };
        for (o, m, s, month) in rows {
            i.by_media.push((m, s, 1));
            i.by_outlet.push((o.to_owned(), s, 1));
            i.by_month.push(((2023, month), s, 1));
        }
        i.most_negative.push(TopArticle {
            article_id: "a0".into(),
            date: NaiveDate::from_ymd_opt(2023, 4, 2).unwrap(),
            outlet: "A".into(),
            media_type: Online,
            title: "judul".into(),
            url: None,
            score: -0.9,
            overridden: true,
            terms: negative_terms([
                ("korupsi".to_owned(), -3.0),
                ("baik".to_owned(), 1.0),
                ("lambat".to_owned(), -1.0),
            ]),
        });
        i
    }

    #[test]
    fn counts_percentages_status_and_slices() {
        let subject = ReportSubject {
            entity: "k",
            name: "K",
            tz: Jakarta,
            denominator: Denominator::All,
            target_pct: Some(40.0),
        };
        let p: Period = "2023-Q2".parse().unwrap();
        let r = build(&subject, &p, input());
        assert_eq!((r.summary.counts.total, r.summary.counts.negative), (5, 2));
        assert_eq!(r.summary.counts.negative_pct, Some(40.0));
        assert_eq!(
            r.achieved,
            Some(false),
            "exactly at the target is not below it"
        );
        assert_eq!(r.overrides, 1);
        assert_eq!(r.by_media_type.len(), 5);
        let pct = |key: &str| {
            r.by_media_type
                .iter()
                .find(|s| s.key == key)
                .unwrap()
                .counts
                .negative_pct
        };
        assert_eq!(pct("tv"), Some(50.0));
        assert_eq!(pct("radio"), None);
        assert_eq!(r.by_outlet[0].key, "A");
        let trend: Vec<(&str, u64)> = r
            .trend
            .iter()
            .map(|s| (s.key.as_str(), s.counts.total))
            .collect();
        assert_eq!(trend, [("2023-04", 2), ("2023-05", 1), ("2023-06", 2)]);
        assert_eq!(
            r.top_negative[0].terms,
            [("korupsi".to_owned(), -3.0), ("lambat".to_owned(), -1.0)]
        );
        assert_eq!(r.to, NaiveDate::from_ymd_opt(2023, 6, 30).unwrap());
        let opinionated = ReportSubject {
            denominator: Denominator::Opinionated,
            target_pct: None,
            ..subject
        };
        let r = build(&opinionated, &p, input());
        assert_eq!(r.summary.counts.negative_pct, Some(50.0));
        assert_eq!(r.achieved, None);
    }
}
