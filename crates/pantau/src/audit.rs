//! The audit over the store: drawing a period's review sample
//! (`pantau audit draw`) and reading what the samples say about a report's
//! period (the `audit` of `pantau report` and `/api/v1/report`). The
//! arithmetic is `pantau-audit`'s; this wires it to the store.

use anyhow::Context;
use chrono::{DateTime, Utc};
use pantau_aggregate::{period_bounds, Denominator};
use pantau_audit::{
    allocate, draw as draw_sample, rooms, Stratum, StratumReviews, StratumTally, Verdict,
};
use pantau_config::EntityConfig;
use pantau_model::Period;
use pantau_report::{local_date, AuditInput};
use pantau_store::{NewDraw, SamplePeriod, Store};

use crate::state::{denominator, AppState};

/// One sampled article as the CLI's JSON and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SampleItem {
    /// Article id.
    pub id: String,
    /// Position in the review order (0-based).
    pub seq: i64,
    /// Headline.
    pub title: String,
    /// Link.
    pub url: Option<String>,
    /// Publication.
    pub outlet: String,
    /// Media type.
    pub media_type: &'static str,
    /// Publication time in the entity's zone, RFC 3339.
    pub published: String,
    /// The classifier's decision (the stratum).
    pub sentiment: &'static str,
    /// The verdict, once given.
    pub verdict: Option<Verdict>,
    /// Who gave it.
    pub verdict_by: Option<String>,
    /// Drawn by the draw that printed it.
    pub new: bool,
}

/// A period's sample in review order; `new` marks a draw's articles.
pub async fn sample(
    store: &Store,
    e: &EntityConfig,
    period: &str,
    new: &[String],
) -> anyhow::Result<Vec<SampleItem>> {
    let sample = store
        .audit_sample(&e.id, period)
        .await
        .context("reading the sample")?;
    Ok(sample
        .into_iter()
        .map(|a| SampleItem {
            new: new.contains(&a.article_id),
            id: a.article_id,
            seq: a.seq,
            title: a.title,
            url: a.url,
            outlet: a.outlet,
            media_type: a.media_type.as_str(),
            published: DateTime::from_timestamp_millis(a.event_time_ms)
                .map(|t| t.with_timezone(&e.time_zone).to_rfc3339())
                .unwrap_or_default(),
            sentiment: a.classified.as_str(),
            verdict: a.verdict,
            verdict_by: a.verdict_by,
        })
        .collect())
}

/// What a draw added.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// The sample's period.
    pub period: SamplePeriod,
    /// The seed it used.
    pub seed: u64,
    /// The new articles, in review order.
    pub ids: Vec<String>,
    /// Per stratum ([`Stratum::ALL`]): how many were drawn now.
    pub by_stratum: [u64; 4],
    /// Asked for more than the period had left.
    pub short_by: u64,
}

/// The sample period of `period` for `entity`, refusing one that
/// overlaps another period's sample: each sample is a stratified sample
/// of its own period, and two over the same days would count those days'
/// articles twice.
async fn sample_period(
    store: &Store,
    entity: &EntityConfig,
    period: &Period,
) -> anyhow::Result<SamplePeriod> {
    let (from, to) = period_bounds(period, entity.time_zone);
    let wanted = SamplePeriod {
        period: period.to_string(),
        from_ms: from.timestamp_millis(),
        to_ms: to.timestamp_millis(),
    };
    let overlapping = store
        .audit_periods(&entity.id, wanted.from_ms, wanted.to_ms)
        .await
        .context("reading the audit samples")?;
    if let Some(other) = overlapping.iter().find(|p| **p != wanted) {
        anyhow::bail!(
            "the audit sample of {} overlaps {}: samples of one entity may not share days \
             (draw more for {} itself, or for periods beside it)",
            other.period,
            wanted.period,
            other.period
        );
    }
    Ok(wanted)
}

/// The strata of one sample period within `[from_ms, to_ms)`.
async fn strata(
    store: &Store,
    entity: &str,
    sample: &SamplePeriod,
    from_ms: i64,
    to_ms: i64,
) -> anyhow::Result<[StratumReviews; 4]> {
    store
        .audit_strata(entity, sample, from_ms, to_ms)
        .await
        .with_context(|| format!("tallying the audit sample of {}", sample.period))
}

/// Draws `size` more articles into the audit sample of `period`:
/// allocated across the strata (the classifier's decisions, its neutrals
/// split by their lean) by Neyman's rule (on prior
/// spreads until each has reviews, then on what its reviews showed) and
/// chosen with a ChaCha8 generator seeded by `seed`.
pub async fn draw(
    store: &Store,
    entity: &EntityConfig,
    period: &Period,
    size: u64,
    seed: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<Drawn> {
    let sample = sample_period(store, entity, period).await?;
    let opinionated = denominator(entity) == Denominator::Opinionated;
    let reviews = strata(store, &entity.id, &sample, sample.from_ms, sample.to_ms).await?;
    let tallies: Vec<StratumTally> = reviews.iter().map(|s| s.tally(opinionated)).collect();
    let prior: Vec<f64> = reviews.iter().map(StratumReviews::prior_sd).collect();
    let counts = allocate(&rooms(&tallies, &prior), size);
    let mut frames: [Vec<String>; 4] = Default::default();
    for (id, s) in store
        .audit_frame(&entity.id, sample.from_ms, sample.to_ms)
        .await
        .context("reading the period's assessments")?
    {
        frames[s.index()].push(id);
    }
    let drawn = draw_sample(&frames, &counts, seed);
    let items: Vec<(String, Stratum)> = drawn
        .iter()
        .map(|(h, id)| (id.clone(), Stratum::ALL[*h]))
        .collect();
    store
        .add_audit_draw(&NewDraw {
            entity: &entity.id,
            period: &sample,
            seed,
            at: now,
            items: &items,
        })
        .await
        .context("recording the draw")?;
    let mut by_stratum = [0; 4];
    for (h, _) in &drawn {
        by_stratum[*h] += 1;
    }
    Ok(Drawn {
        short_by: size.saturating_sub(items.len() as u64),
        ids: items.into_iter().map(|(id, _)| id).collect(),
        by_stratum,
        period: sample,
        seed,
    })
}

/// What the audit samples say about `[from, to)`: the strata of every
/// sample period that overlaps it (restricted to it), and the first run
/// of days no sample covers.
pub async fn input(
    store: &Store,
    entity: &EntityConfig,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<AuditInput> {
    let (from_ms, to_ms) = (from.timestamp_millis(), to.timestamp_millis());
    let samples = store
        .audit_periods(&entity.id, from_ms, to_ms)
        .await
        .context("reading the audit samples")?;
    let mut input = AuditInput::default();
    let mut covered_to = from_ms;
    for s in &samples {
        if s.from_ms > covered_to && input.uncovered.is_none() {
            input.uncovered = Some(gap(covered_to, s.from_ms, entity));
        }
        covered_to = covered_to.max(s.to_ms);
        input
            .strata
            .extend(strata(store, &entity.id, s, from_ms, to_ms).await?);
        input.samples.push(s.period.clone());
    }
    if !samples.is_empty() && covered_to < to_ms && input.uncovered.is_none() {
        input.uncovered = Some(gap(covered_to, to_ms, entity));
    }
    Ok(input)
}

/// `[from, to)` as its first and last local days.
fn gap(from_ms: i64, to_ms: i64, e: &EntityConfig) -> (chrono::NaiveDate, chrono::NaiveDate) {
    (
        local_date(from_ms, e.time_zone),
        local_date(to_ms - 1, e.time_zone),
    )
}

/// Refreshes the audited estimates the metrics show
/// (`pantau_negative_audited_ratio{entity,window}`): each entity's current
/// month, quarter and year, where a reviewed sample covers them.
pub async fn refresh(state: &AppState, store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    use chrono::Datelike;
    let mut out = Vec::new();
    for e in &state.config.entities {
        let today = now.with_timezone(&e.time_zone).date_naive();
        let (y, m) = (today.year(), today.month());
        let windows = [
            ("month", Period::Month(y, m)),
            ("quarter", Period::Quarter(y, (m - 1) / 3 + 1)),
            ("year", Period::Year(y)),
        ];
        for (window, period) in windows {
            let (from, to) = period_bounds(&period, e.time_zone);
            let input = input(store, e, from, to).await?;
            let opinionated = denominator(e) == Denominator::Opinionated;
            let Some(a) = pantau_report::audit_summary(&input, opinionated, None) else {
                continue;
            };
            if let (Some(r), Some(lo), Some(hi)) = (a.estimate, a.ci_low, a.ci_high) {
                out.push(pantau_metrics::scrape::AuditSample {
                    entity: e.id.clone(),
                    window,
                    ratio: r / 100.0,
                    low: lo / 100.0,
                    high: hi / 100.0,
                    reviewed: a.sample_size,
                });
            }
        }
    }
    *state.audit.lock().expect("audit lock") = out;
    Ok(())
}
