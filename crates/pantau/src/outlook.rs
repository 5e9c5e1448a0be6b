//! The outlook over the store (`pantau outlook`, the early-warning
//! metrics): spikes of today and the last hour, and the projected close of
//! the month, quarter and year with the negatives the target still allows.
//! The arithmetic is `pantau-outlook`'s; this reads the counts.

use anyhow::Context;
use chrono::{DateTime, Datelike, Timelike, Utc};
use pantau_aggregate::{period_bounds, Denominator};
use pantau_config::EntityConfig;
use pantau_model::{Period, Sentiment};
use pantau_outlook::{project, spikes, Hour, PeriodSoFar, Projection, Recent, Spike};
use pantau_store::{Bucketing, GroupCount, Store};
use serde::Serialize;

use crate::state::{denominator, AppState};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// One period's projected close, in percent.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodOutlook {
    /// The period (`2026-12`, `2026-Q4`, `2026`).
    pub period: String,
    /// The negative percentage so far.
    pub so_far_percent: Option<f64>,
    /// Articles in the denominator so far.
    pub so_far_articles: u64,
    /// The projected percentage at the close.
    pub projected_percent: f64,
    /// Its 95 % interval.
    pub ci_low: f64,
    /// Upper bound.
    pub ci_high: f64,
    /// Articles the denominator is projected to hold at the close.
    pub projected_articles: f64,
    /// The probability (0–1) of closing at or over the target.
    pub p_over_target: Option<f64>,
    /// Negative articles that still fit under the target.
    pub remaining_budget: Option<u64>,
    /// The target, percent.
    pub target_percent: Option<f64>,
    /// Days left.
    pub remaining_days: f64,
}

/// A spike as the CLI and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct SpikeOut {
    /// `day` or `hour`.
    pub window: &'static str,
    /// `share` or `volume`.
    pub kind: pantau_outlook::SpikeKind,
    /// The window's start.
    pub start: DateTime<Utc>,
    /// Observed: percent for a share, articles for a volume.
    pub observed: f64,
    /// Expected by the baseline, same unit.
    pub expected: f64,
    /// Negatives in the window.
    pub negatives: u64,
    /// Articles in the window.
    pub articles: u64,
    /// The test's p-value.
    pub p_value: f64,
    /// The most negative articles of the window: what is behind it.
    pub behind: Vec<SpikeArticle>,
}

/// An article behind a spike.
#[derive(Debug, Clone, Serialize)]
pub struct SpikeArticle {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication.
    pub outlet: String,
    /// Link.
    pub url: Option<String>,
}

/// Articles named behind each spike, at most.
const BEHIND: i64 = 5;

/// The outlook of one entity at one instant.
#[derive(Debug, Clone, Serialize)]
pub struct Outlook {
    /// Entity id.
    pub entity: String,
    /// As of.
    pub at: DateTime<Utc>,
    /// The month, quarter and year containing `at` (`null` without data).
    pub month: Option<PeriodOutlook>,
    /// The quarter.
    pub quarter: Option<PeriodOutlook>,
    /// The year.
    pub year: Option<PeriodOutlook>,
    /// Spikes now.
    pub spikes: Vec<SpikeOut>,
}

/// Negative and denominator counts per bucket.
fn by_bucket(rows: &[GroupCount<i64>], den: Denominator) -> Vec<(i64, u64, u64)> {
    let mut out: std::collections::BTreeMap<i64, (u64, u64)> = Default::default();
    for r in rows {
        let e = out.entry(r.key).or_default();
        if r.sentiment == Sentiment::Negative {
            e.0 += r.n;
        }
        if den == Denominator::All || r.sentiment != Sentiment::Neutral {
            e.1 += r.n;
        }
    }
    out.into_iter().map(|(k, (n, c))| (k, n, c)).collect()
}

/// Computes the outlook of `e` as of `at` (counts of articles before `at`).
pub async fn compute(
    store: &Store,
    e: &EntityConfig,
    at: DateTime<Utc>,
) -> anyhow::Result<Outlook> {
    let den = denominator(e);
    let tz = e.time_zone;
    let local = at.with_timezone(&tz);
    let (y, m) = (local.year(), local.month());
    let at_ms = at.timestamp_millis();
    let today = Period::Range(local.date_naive(), local.date_naive());
    let day_start = period_bounds(&today, tz).0.timestamp_millis();
    // Hours: the spikes' baseline and today; the last 28 days for "recent".
    let hours_from = day_start - pantau_outlook::BASELINE_DAYS * DAY_MS;
    let hourly = store
        .bucket_counts(
            &e.id,
            hours_from,
            at_ms,
            Bucketing {
                offset_ms: 0,
                size_ms: HOUR_MS,
            },
        )
        .await
        .context("counting the last 28 days by hour")?;
    let hourly = by_bucket(&hourly, den);
    let hours: Vec<Hour> = hourly
        .iter()
        .map(|&(start_ms, negative, counted)| {
            let t = DateTime::from_timestamp_millis(start_ms)
                .unwrap_or_default()
                .with_timezone(&tz);
            Hour {
                start_ms,
                weekday: t.weekday().num_days_from_monday() as u8,
                hour: t.hour() as u8,
                negative,
                counted,
            }
        })
        .collect();
    let recent_from = at_ms - pantau_outlook::BASELINE_DAYS * DAY_MS;
    let recent_hours: Vec<&Hour> = hours.iter().filter(|h| h.start_ms >= recent_from).collect();
    let (rk, rn) = recent_hours
        .iter()
        .fold((0, 0), |(k, n), h| (k + h.negative, n + h.counted));
    // Since monitoring began, when that is less than 28 days ago: the
    // rate is per day of data, not per day of the window.
    let since = recent_hours
        .first()
        .map_or(recent_from, |h| h.start_ms.max(recent_from));
    let recent = Recent {
        days: ((at_ms - since) as f64 / DAY_MS as f64).max(1.0 / 24.0),
        negative: rk,
        counted: rn,
    };
    // Days of the year so far, for the periods' counts.
    let (year_start, _) = period_bounds(&Period::Year(y), tz);
    let daily = store
        .bucket_counts(
            &e.id,
            year_start.timestamp_millis(),
            at_ms,
            crate::report::local_buckets(tz, year_start, at),
        )
        .await
        .context("counting the year so far")?;
    let daily = by_bucket(&daily, den);
    let target = e.target_pct(y);
    let outlook_of = |period: Period| {
        let (from, to) = period_bounds(&period, tz);
        let (from_ms, to_ms) = (from.timestamp_millis(), to.timestamp_millis());
        let (k, n) = daily
            .iter()
            .filter(|d| d.0 >= from_ms && d.0 < to_ms)
            .fold((0, 0), |(k, n), d| (k + d.1, n + d.2));
        let remaining_days = (to_ms - at_ms).max(0) as f64 / DAY_MS as f64;
        let p: Projection = project(
            PeriodSoFar {
                negative: k,
                counted: n,
                remaining_days,
            },
            recent,
            target.map(|t| t / 100.0),
        )?;
        Some(PeriodOutlook {
            period: period.to_string(),
            so_far_percent: p.so_far.map(|s| s * 100.0),
            so_far_articles: n,
            projected_percent: p.projected * 100.0,
            ci_low: p.low * 100.0,
            ci_high: p.high * 100.0,
            projected_articles: p.projected_articles,
            p_over_target: p.p_over_target,
            remaining_budget: p.remaining_budget,
            target_percent: target,
            remaining_days,
        })
    };
    let mut out = Vec::new();
    for s in spikes(&hours, day_start, at_ms) {
        let end = if s.window == "hour" {
            (s.start_ms + HOUR_MS).min(at_ms)
        } else {
            at_ms
        };
        let behind = store
            .most_negative(&e.id, s.start_ms, end, BEHIND)
            .await
            .context("reading the articles behind a spike")?
            .into_iter()
            .map(|r| SpikeArticle {
                id: r.article_id,
                title: r.title,
                outlet: r.outlet,
                url: r.url,
            })
            .collect();
        out.push(spike_out(s, behind));
    }
    Ok(Outlook {
        entity: e.id.clone(),
        at,
        month: outlook_of(Period::Month(y, m)),
        quarter: outlook_of(Period::Quarter(y, (m - 1) / 3 + 1)),
        year: outlook_of(Period::Year(y)),
        spikes: out,
    })
}

fn spike_out(s: Spike, behind: Vec<SpikeArticle>) -> SpikeOut {
    SpikeOut {
        window: s.window,
        kind: s.kind,
        start: DateTime::from_timestamp_millis(s.start_ms).unwrap_or_default(),
        observed: match s.kind {
            pantau_outlook::SpikeKind::Share => s.observed * 100.0,
            pantau_outlook::SpikeKind::Volume => s.observed,
        },
        expected: match s.kind {
            pantau_outlook::SpikeKind::Share => s.expected * 100.0,
            pantau_outlook::SpikeKind::Volume => s.expected,
        },
        negatives: s.negatives,
        articles: s.articles,
        p_value: s.p_value,
        behind,
    }
}

/// Refreshes the early-warning metrics of every entity
/// (`pantau_negative_projected_ratio`, `…_budget_articles`,
/// `…_over_target_probability`, `pantau_negative_spike`).
pub async fn refresh(state: &AppState, store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    let mut all = Vec::new();
    for e in &state.config.entities {
        all.push(compute(store, e, now).await?);
    }
    *state.outlook.lock().expect("outlook lock") = all;
    Ok(())
}
