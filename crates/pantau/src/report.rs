//! The KPI report of a period from the store: the store's rows become
//! `pantau-report`'s items (`pantau report`, `/api/v1/kpi?period=`,
//! `/api/v1/report`).

use anyhow::Context;
use pantau_aggregate::period_bounds;
use pantau_config::EntityConfig;
use pantau_model::Period;
use pantau_report::{build, KpiReport, ReportItem, ReportSubject};
use pantau_store::Store;

use crate::state::denominator;

/// Computes the report of `entity` for `period` from the store.
pub async fn compute(
    store: &Store,
    entity: &EntityConfig,
    period: &Period,
    top_n: usize,
) -> anyhow::Result<KpiReport> {
    let (from, to) = period_bounds(period, entity.time_zone);
    let rows = store
        .report_rows(&entity.id, from.timestamp_millis(), to.timestamp_millis())
        .await
        .context("reading the period's articles")?;
    let items: Vec<ReportItem> = rows
        .into_iter()
        .map(|r| {
            let terms = pantau_model::Explanation::from_stored(&r.explanation)
                .map(|e| {
                    e.terms
                        .into_iter()
                        .map(|t| (t.text.into(), f64::from(t.effective)))
                        .collect()
                })
                .unwrap_or_default();
            ReportItem {
                article_id: r.article_id,
                outlet: r.outlet,
                title: r.title,
                url: r.url,
                media_type: r.media_type,
                sentiment: r.effective,
                overridden: r.overridden,
                score: r.score,
                event_time_ms: r.event_time_ms,
                terms,
            }
        })
        .collect();
    let subject = ReportSubject {
        entity: &entity.id,
        name: &entity.name,
        tz: entity.time_zone,
        denominator: denominator(entity),
        target_pct: entity.target_pct(period.target_year()),
    };
    Ok(build(&subject, period, &items, top_n))
}
