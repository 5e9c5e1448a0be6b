//! Building the report from the period's assessed articles.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate};
use chrono_tz::Tz;
use pantau_model::{MediaType, Period, Sentiment};
use serde::Serialize;

use pantau_aggregate::{Denominator, Tally, WindowCounts};

/// One assessed article, as the report needs it.
#[derive(Debug, Clone)]
pub struct ReportItem {
    /// Article id.
    pub article_id: String,
    /// Publication.
    pub outlet: String,
    /// Headline.
    pub title: String,
    /// Link.
    pub url: Option<String>,
    /// Media type.
    pub media_type: MediaType,
    /// Effective sentiment (override wins).
    pub sentiment: Sentiment,
    /// Whether an analyst overrode the classifier.
    pub overridden: bool,
    /// Classifier score.
    pub score: f64,
    /// Event time, Unix ms.
    pub event_time_ms: i64,
    /// Matched terms with their effective weights.
    pub terms: Vec<(String, f64)>,
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
    /// Achieved: negative % below the target (`None` without target or data).
    pub achieved: Option<bool>,
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

/// Builds the report from every item of the period.
pub fn build(
    subject: &ReportSubject<'_>,
    period: &Period,
    items: &[ReportItem],
    top_n: usize,
) -> KpiReport {
    let d = subject.denominator;
    let mut all = WindowCounts::default();
    let mut media: BTreeMap<MediaType, WindowCounts> = MediaType::ALL
        .iter()
        .map(|m| (*m, WindowCounts::default()))
        .collect();
    let mut outlets: BTreeMap<String, WindowCounts> = BTreeMap::new();
    let mut months: BTreeMap<(i32, u32), WindowCounts> = period
        .months()
        .into_iter()
        .map(|m| (m, WindowCounts::default()))
        .collect();
    let mut overrides = 0;
    for it in items {
        all.add(it.sentiment, 1);
        media.entry(it.media_type).or_default().add(it.sentiment, 1);
        outlets
            .entry(it.outlet.clone())
            .or_default()
            .add(it.sentiment, 1);
        let local = local_date(it.event_time_ms, subject.tz);
        months
            .entry((local.year(), local.month()))
            .or_default()
            .add(it.sentiment, 1);
        overrides += u64::from(it.overridden);
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
    let mut negatives: Vec<&ReportItem> = items
        .iter()
        .filter(|i| i.sentiment == Sentiment::Negative)
        .collect();
    negatives.sort_by(|a, b| {
        a.score
            .total_cmp(&b.score)
            .then(a.article_id.cmp(&b.article_id))
    });
    let top_negative = negatives
        .into_iter()
        .take(top_n)
        .map(|i| {
            let mut terms: Vec<(String, f64)> =
                i.terms.iter().filter(|t| t.1 < 0.0).cloned().collect();
            terms.sort_by(|a, b| a.1.total_cmp(&b.1));
            terms.truncate(5);
            TopArticle {
                article_id: i.article_id.clone(),
                date: local_date(i.event_time_ms, subject.tz),
                outlet: i.outlet.clone(),
                media_type: i.media_type,
                title: i.title.clone(),
                url: i.url.clone(),
                score: i.score,
                overridden: i.overridden,
                terms,
            }
        })
        .collect();
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
        overrides,
        by_media_type: media
            .into_iter()
            .map(|(m, c)| Slice::new(m.as_str().into(), c, d))
            .collect(),
        by_outlet,
        trend: months
            .into_iter()
            .map(|((y, m), c)| Slice::new(format!("{y}-{m:02}"), c, d))
            .collect(),
        top_negative,
    }
}

fn local_date(ms: i64, tz: Tz) -> NaiveDate {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Asia::Jakarta;

    fn item(
        i: usize,
        outlet: &str,
        m: MediaType,
        s: Sentiment,
        date: &str,
        score: f64,
    ) -> ReportItem {
        let t =
            chrono::NaiveDateTime::parse_from_str(&format!("{date} 10:00:00"), "%Y-%m-%d %H:%M:%S")
                .unwrap();
        ReportItem {
            article_id: format!("a{i}"),
            outlet: outlet.into(),
            title: format!("judul {i}"),
            url: None,
            media_type: m,
            sentiment: s,
            overridden: i == 0,
            score,
            event_time_ms: Jakarta.from_local_datetime(&t).unwrap().timestamp_millis(),
            terms: vec![
                ("korupsi".into(), -3.0),
                ("baik".into(), 1.0),
                ("lambat".into(), -1.0),
            ],
        }
    }

    #[test]
    fn counts_percentages_status_and_slices() {
        use MediaType::*;
        use Sentiment::*;
        let items = [
            item(0, "A", Online, Negative, "2023-04-02", -0.9),
            item(1, "A", Online, Positive, "2023-04-03", 0.5),
            item(2, "B", Tv, Neutral, "2023-05-09", 0.0),
            item(3, "B", Tv, Negative, "2023-06-30", -0.4),
            item(4, "C", Print, Positive, "2023-06-01", 0.7),
        ];
        let subject = ReportSubject {
            entity: "k",
            name: "K",
            tz: Jakarta,
            denominator: Denominator::All,
            target_pct: Some(40.0),
        };
        let p: Period = "2023-Q2".parse().unwrap();
        let r = build(&subject, &p, &items, 10);
        assert_eq!((r.summary.counts.total, r.summary.counts.negative), (5, 2));
        assert_eq!(r.summary.counts.negative_pct, Some(40.0));
        assert_eq!(
            r.achieved,
            Some(false),
            "exactly at the target is not below it"
        );
        assert_eq!(r.overrides, 1);
        assert_eq!(r.by_media_type.len(), 5);
        assert_eq!(
            r.by_media_type
                .iter()
                .find(|s| s.key == "tv")
                .unwrap()
                .counts
                .negative_pct,
            Some(50.0)
        );
        assert_eq!(
            r.by_media_type
                .iter()
                .find(|s| s.key == "radio")
                .unwrap()
                .counts
                .negative_pct,
            None
        );
        assert_eq!(r.by_outlet[0].key, "A");
        let trend: Vec<(&str, u64)> = r
            .trend
            .iter()
            .map(|s| (s.key.as_str(), s.counts.total))
            .collect();
        assert_eq!(trend, [("2023-04", 2), ("2023-05", 1), ("2023-06", 2)]);
        assert_eq!(r.top_negative[0].article_id, "a0");
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
        let r = build(&opinionated, &p, &items, 1);
        assert_eq!(r.summary.counts.negative_pct, Some(50.0));
        assert_eq!(r.achieved, None);
        assert_eq!(r.top_negative.len(), 1);
    }
}
