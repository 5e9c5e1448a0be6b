//! The clipping over the store (`pantau digest`, the scheduled sending):
//! what a digest says is gathered here, `pantau-digest` writes it, and
//! [`deliver`] sends it; [`schedule`] is the service's task that makes
//! one at each configured local time and retries failed deliveries.

pub mod deliver;
pub mod schedule;

use anyhow::Context;
use chrono::{DateTime, Datelike, Utc};
use pantau_config::{Config, EntityConfig};
use pantau_digest::{
    render, DigestArticle, DigestInput, Forecast, Rendered, ReviewNeeds, SpikeLine, WindowStatus,
};
use pantau_model::{Explanation, Period};
use pantau_store::{NewDigest, Store};

const DAY_MS: i64 = 86_400_000;
/// How long before its window an article may have been published and
/// still be news in a digest (a late-fetched item of last week is; one of
/// last year re-published by an aggregator is not).
const PUBLISHED_WITHIN_MS: i64 = 7 * DAY_MS;

/// Where a digest's new articles begin when nothing says: the end of the
/// entity's last digest, else a day before.
pub async fn default_since(
    store: &Store,
    entity: &str,
    until: DateTime<Utc>,
) -> anyhow::Result<DateTime<Utc>> {
    let last = store
        .last_digest_until(entity)
        .await
        .context("reading the last digest")?;
    let day_before = until - chrono::Duration::days(1);
    Ok(last
        .and_then(DateTime::from_timestamp_millis)
        .filter(|t| *t < until)
        .unwrap_or(day_before))
}

/// Gathers the facts of `e`'s digest for `[since, until)`.
pub async fn gather(
    store: &Store,
    config: &Config,
    e: &EntityConfig,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> anyhow::Result<DigestInput> {
    let local = until.with_timezone(&e.time_zone);
    let (y, m) = (local.year(), local.month());
    let mut windows = Vec::new();
    let mut review = ReviewNeeds::default();
    let mut top_issues = Vec::new();
    for (window, period) in [
        ("month", Period::Month(y, m)),
        ("quarter", Period::Quarter(y, (m - 1) / 3 + 1)),
        ("year", Period::Year(y)),
    ] {
        let r = crate::report::compute(store, e, &period, 0)
            .await
            .with_context(|| format!("the KPI of {period}"))?;
        let audited = r
            .audit
            .as_ref()
            .and_then(|a| Some((a.estimate?, a.ci_low?, a.ci_high?, a.sample_size)));
        if window == "month" {
            top_issues = (r.top_issues.iter())
                .map(|t| {
                    let points = t.points.map_or_else(String::new, |p| {
                        format!(" (+{p:.1} poin)").replace('.', ",")
                    });
                    (format!("{}{points}", t.label), t.negative)
                })
                .collect();
            if let Some(a) = &r.audit {
                review.audit_drawn = a.drawn;
                review.audit_unreviewed = a.drawn.saturating_sub(a.sample_size);
                review.audit_period = a.samples.first().cloned();
            }
        }
        windows.push(WindowStatus {
            window,
            period: r.period.clone(),
            percent: r.summary.counts.negative_pct,
            negative: r.summary.counts.negative,
            denominator: r.summary.counts.denominator,
            target: r.target_pct,
            audited,
        });
    }
    let outlook = crate::outlook::compute(store, e, until)
        .await
        .context("the outlook")?;
    let forecast = outlook.month.as_ref().map(|p| Forecast {
        period: p.period.clone(),
        projected: p.projected_percent,
        ci_low: p.ci_low,
        ci_high: p.ci_high,
        p_over_target: p.p_over_target,
        remaining_budget: p.remaining_budget,
    });
    let spikes = (outlook.spikes.iter())
        .map(|s| SpikeLine {
            window: s.window,
            kind: match s.kind {
                pantau_outlook::SpikeKind::Share => "share",
                pantau_outlook::SpikeKind::Volume => "volume",
            },
            observed: s.observed,
            expected: s.expected,
            negatives: s.negatives,
            articles: s.articles,
        })
        .collect();
    let (from_ms, to_ms) = (since.timestamp_millis(), until.timestamp_millis());
    let new = store
        .new_articles(
            &e.id,
            from_ms,
            to_ms,
            from_ms - PUBLISHED_WITHIN_MS,
            config.digest.max_articles as i64,
        )
        .await
        .context("reading the new articles")?;
    review.unreviewed_negatives = new.unreviewed_negative;
    let negatives = (new.negatives.into_iter())
        .map(|r| {
            let terms = Explanation::from_stored(&r.explanation)
                .map(|x| {
                    (x.terms.into_iter())
                        .map(|t| (t.text.into(), f64::from(t.effective)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            DigestArticle {
                id: r.article_id,
                title: r.title,
                outlet: r.outlet,
                url: r.url,
                published: DateTime::from_timestamp_millis(r.event_time_ms).unwrap_or_default(),
                why: (pantau_report::negative_terms(terms).into_iter())
                    .take(4)
                    .map(|(t, _)| t)
                    .collect(),
                reviewed: r.overridden,
            }
        })
        .collect();
    Ok(DigestInput {
        entity: e.id.clone(),
        entity_name: e.name.clone(),
        time_zone: e.time_zone,
        since,
        until,
        windows,
        forecast,
        spikes,
        new_articles: new.total,
        new_negative: new.negative,
        negatives,
        review,
        top_issues,
        dashboard_url: config.digest.dashboard_url.clone(),
    })
}

/// The configured recipients of `entity`, as (channel, target).
pub fn recipients(config: &Config, entity: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in config.digest.recipients_of(entity) {
        out.extend(r.email.iter().map(|a| ("email".to_owned(), a.clone())));
        out.extend(
            r.telegram
                .iter()
                .map(|c| ("telegram".to_owned(), c.clone())),
        );
        out.extend(r.webhook.iter().map(|u| ("webhook".to_owned(), u.clone())));
    }
    out.sort();
    out.dedup();
    out
}

/// The JSON webhook's body: the digest's facts, its subject and its
/// plain text (what a WhatsApp gateway forwards).
pub fn payload(input: &DigestInput, r: &Rendered) -> serde_json::Value {
    serde_json::json!({
        "kind": "pantau.digest",
        "subject": r.subject,
        "text": r.text,
        "digest": input,
    })
}

/// Renders and stores a digest with a delivery per recipient; `None`
/// when a digest with this id exists (a slot already made).
pub async fn make_and_store(
    store: &Store,
    config: &Config,
    id: &str,
    input: &DigestInput,
) -> anyhow::Result<Option<Rendered>> {
    let rendered = render(input);
    let deliveries = recipients(config, &input.entity);
    let telegram = serde_json::to_string(&rendered.telegram)?;
    let payload = payload(input, &rendered).to_string();
    let saved = store
        .save_digest(&NewDigest {
            id,
            entity: &input.entity,
            created_ms: Utc::now().timestamp_millis(),
            since_ms: input.since.timestamp_millis(),
            until_ms: input.until.timestamp_millis(),
            subject: &rendered.subject,
            text: &rendered.text,
            html: &rendered.html,
            telegram: &telegram,
            payload: &payload,
            deliveries: &deliveries,
        })
        .await
        .context("storing the digest")?;
    Ok(saved.then_some(rendered))
}

/// A digest's id: its entity and local moment (a scheduled one's slot to
/// the minute, so one slot is made once; one made by hand to the
/// millisecond).
pub fn digest_id(e: &EntityConfig, at: DateTime<Utc>, scheduled: bool) -> String {
    let local = at.with_timezone(&e.time_zone);
    let stamp = if scheduled {
        local.format("%Y-%m-%dT%H:%M")
    } else {
        local.format("%Y-%m-%dT%H:%M:%S%.3f")
    };
    format!("{}@{stamp}", e.id)
}
