//! The KPI report of a period from the store (`pantau report`,
//! `/api/v1/kpi?period=`, `/api/v1/report`): counts by aggregate SQL, the
//! most negative articles in full, built by `pantau-report`.

use anyhow::Context;
use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use pantau_aggregate::period_bounds;
use pantau_config::EntityConfig;
use pantau_model::{Explanation, Period};
use pantau_report::{
    build, local_date, negative_terms, KpiReport, PeriodInput, ReportSubject, TopArticle, TopIssue,
};
use pantau_store::{Bucketing, GroupCount, Store};

use crate::state::denominator;

const DAY_MS: i64 = 86_400_000;
/// Every zone's offset is a multiple of a quarter of an hour.
const QUARTER_HOUR_MS: i64 = 900_000;

/// Buckets that never straddle a local midnight of `tz` in `[from, to)`:
/// days when the zone keeps one offset all through the range (Indonesia's
/// zones do), quarter hours otherwise.
pub fn local_buckets(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Bucketing {
    let offset_at = |t: DateTime<Utc>| {
        i64::from(
            tz.offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc(),
        ) * 1000
    };
    let first = offset_at(from);
    let mut t = from;
    let mut constant = true;
    while t < to && constant {
        constant = offset_at(t) == first;
        t += chrono::Duration::days(7);
    }
    if constant && offset_at(to) == first {
        Bucketing {
            offset_ms: first,
            size_ms: DAY_MS,
        }
    } else {
        Bucketing {
            offset_ms: 0,
            size_ms: QUARTER_HOUR_MS,
        }
    }
}

/// The counts of `entity` in `[from, to)` by local day, with the rest.
pub async fn daily_counts(
    store: &Store,
    entity: &EntityConfig,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<(
    Vec<(NaiveDate, GroupCount<i64>)>,
    pantau_store::PeriodCounts,
)> {
    let buckets = local_buckets(entity.time_zone, from, to);
    let counts = store
        .period_counts(
            &entity.id,
            from.timestamp_millis(),
            to.timestamp_millis(),
            buckets,
        )
        .await
        .context("counting the period's articles")?;
    let days = counts
        .by_bucket
        .iter()
        .map(|c| (local_date(c.key, entity.time_zone), c.clone()))
        .collect();
    Ok((days, counts))
}

/// Computes the report of `entity` for `period` from the store.
pub async fn compute(
    store: &Store,
    entity: &EntityConfig,
    period: &Period,
    top_n: usize,
) -> anyhow::Result<KpiReport> {
    let (from, to) = period_bounds(period, entity.time_zone);
    let (days, counts) = daily_counts(store, entity, from, to).await?;
    let negatives = store
        .most_negative(
            &entity.id,
            from.timestamp_millis(),
            to.timestamp_millis(),
            top_n as i64,
        )
        .await
        .context("reading the period's most negative articles")?;
    let most_negative = negatives
        .into_iter()
        .map(|r| {
            let terms = Explanation::from_stored(&r.explanation)
                .map(|e| {
                    e.terms
                        .into_iter()
                        .map(|t| (t.text.into(), f64::from(t.effective)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            TopArticle {
                article_id: r.article_id,
                date: local_date(r.event_time_ms, entity.time_zone),
                outlet: r.outlet,
                media_type: r.media_type,
                title: r.title,
                url: r.url,
                score: r.score,
                overridden: r.overridden,
                terms: negative_terms(terms),
            }
        })
        .collect();
    let input = PeriodInput {
        by_media: (counts.by_media.iter())
            .map(|c| (c.key, c.sentiment, c.n))
            .collect(),
        by_outlet: (counts.by_outlet.iter())
            .map(|c| (c.key.clone(), c.sentiment, c.n))
            .collect(),
        by_month: days
            .iter()
            .map(|(d, c)| ((d.year(), d.month()), c.sentiment, c.n))
            .collect(),
        overrides: counts.overrides,
        most_negative,
        audit: crate::audit::input(store, entity, from, to).await?,
    };
    let subject = ReportSubject {
        entity: &entity.id,
        name: &entity.name,
        tz: entity.time_zone,
        denominator: denominator(entity),
        target_pct: entity.target_pct(period.target_year()),
    };
    let mut report = build(&subject, period, input);
    report.top_issues = top_issues(store, entity, from, to, report.summary.counts.denominator)
        .await
        .context("counting the period's issues")?;
    Ok(report)
}

/// Issues shown in a report at most.
const TOP_ISSUES: usize = 5;

/// The issues with the most negative articles in `[from, to)`, merges
/// applied, with their points of the percentage.
pub async fn top_issues(
    store: &Store,
    entity: &EntityConfig,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    denominator: u64,
) -> anyhow::Result<Vec<TopIssue>> {
    let counts = store
        .issue_counts(&entity.id, from.timestamp_millis(), to.timestamp_millis())
        .await?;
    if counts.is_empty() {
        return Ok(Vec::new());
    }
    let rows = store.issue_rows(&entity.id).await?;
    let by_id: std::collections::HashMap<&str, &pantau_store::IssueRow> =
        rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let resolve = |id: &str| crate::stories::resolve_merged(&by_id, id);
    let mut issues: std::collections::BTreeMap<String, TopIssue> = Default::default();
    for (id, sentiment, n, stories) in counts {
        let id = resolve(&id);
        let row = by_id.get(id.as_str());
        let t = issues.entry(id.clone()).or_insert_with(|| TopIssue {
            id: id.clone(),
            label: row.map_or_else(
                || id.clone(),
                |r| r.name.clone().unwrap_or_else(|| r.label.clone()),
            ),
            stories: 0,
            articles: 0,
            negative: 0,
            points: None,
        });
        t.articles += n;
        // Stories counted per tone may overlap (a story with negative and
        // neutral copies): the largest is the floor, good enough for a
        // report line.
        t.stories = t.stories.max(stories);
        if sentiment == pantau_model::Sentiment::Negative {
            t.negative += n;
        }
    }
    let mut out: Vec<TopIssue> = issues.into_values().filter(|t| t.negative > 0).collect();
    out.sort_by(|a, b| b.negative.cmp(&a.negative).then_with(|| a.id.cmp(&b.id)));
    out.truncate(TOP_ISSUES);
    for t in &mut out {
        t.points = pantau_stories::contribution_points(t.negative, denominator);
    }
    Ok(out)
}

/// The leadership report's two documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// PDF, with the charts: what is signed and sent.
    Pdf,
    /// Word (DOCX), the charts' numbers as tables: what the bureau edits.
    Docx,
}

/// The leadership report of `entity` for `period` as PDF or DOCX: the
/// report, the previous period's for the change, the days for the trend
/// and the peaks, the letterhead of `[report]`.
pub async fn leadership(
    store: &Store,
    config: &pantau_config::Config,
    entity: &EntityConfig,
    period: &Period,
    top_n: usize,
    document: Document,
) -> anyhow::Result<Vec<u8>> {
    let report = compute(store, entity, period, top_n).await?;
    let previous_period = period.previous();
    let previous = compute(store, entity, &previous_period, 0).await?;
    let (from, to) = period_bounds(period, entity.time_zone);
    let (days, _) = daily_counts(store, entity, from, to).await?;
    let mut by_day: std::collections::BTreeMap<NaiveDate, pantau_aggregate::WindowCounts> =
        Default::default();
    for (d, c) in &days {
        by_day.entry(*d).or_default().add(c.sentiment, c.n);
    }
    let d = denominator(entity);
    let daily: Vec<_> = by_day.into_iter().map(|(k, c)| (k, c.tally(d))).collect();
    let now = Utc::now().with_timezone(&entity.time_zone);
    let leadership = pantau_leadership::Leadership {
        report: &report,
        period_label: period.label_id(),
        previous: (previous.summary.counts.total > 0).then_some(&previous),
        previous_label: Some(previous_period.label_id()),
        daily: &daily,
        letterhead: &config.report.letterhead,
        generated: format!(
            "{} pukul {}",
            pantau_model::date_id(now.date_naive()),
            now.format("%H.%M %Z")
        ),
        signed_on: now.date_naive(),
    };
    match document {
        Document::Pdf => pantau_leadership::render_pdf(&leadership),
        Document::Docx => pantau_leadership::render_docx(&leadership),
    }
    .context("writing the leadership report")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_where_the_offset_holds_quarter_hours_where_it_changes() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let (a, b) = (t("2026-01-01T00:00:00Z"), t("2027-01-01T00:00:00Z"));
        let jkt = local_buckets(chrono_tz::Asia::Jakarta, a, b);
        assert_eq!((jkt.offset_ms, jkt.size_ms), (7 * 3_600_000, DAY_MS));
        let berlin = local_buckets(chrono_tz::Europe::Berlin, a, b);
        assert_eq!(berlin.size_ms, QUARTER_HOUR_MS);
        let winter = local_buckets(chrono_tz::Europe::Berlin, a, t("2026-02-01T00:00:00Z"));
        assert_eq!((winter.offset_ms, winter.size_ms), (3_600_000, DAY_MS));
    }
}
