//! `GET /api/v1/overview`: what the Ringkasan page draws — the daily trend
//! by the entity's local date, counts by media type, feed health.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use pantau_aggregate::{Denominator, Tally, WindowCounts};
use pantau_model::{MediaType, Sentiment};
use serde::{Deserialize, Serialize};

use super::{entity, rfc3339, ApiError, ApiResult, Ctx};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OverviewQuery {
    entity: Option<String>,
    days: Option<u32>,
}

/// One day of the trend.
#[derive(Debug, Serialize, PartialEq)]
pub struct Day {
    date: NaiveDate,
    #[serde(flatten)]
    counts: Tally,
}

/// Daily counts of effective sentiment over the `days` local days ending
/// with `today`, every day present, oldest first. Pure: the web chart.
pub fn daily(
    rows: impl IntoIterator<Item = (NaiveDate, Sentiment, u64)>,
    today: NaiveDate,
    days: u32,
    den: Denominator,
) -> Vec<Day> {
    let first = today - Duration::days(i64::from(days.max(1)) - 1);
    let mut by: BTreeMap<NaiveDate, WindowCounts> = first
        .iter_days()
        .take_while(|d| *d <= today)
        .map(|d| (d, WindowCounts::default()))
        .collect();
    for (d, s, n) in rows {
        if let Some(c) = by.get_mut(&d) {
            c.add(s, n);
        }
    }
    by.into_iter()
        .map(|(date, c)| Day {
            date,
            counts: c.tally(den),
        })
        .collect()
}

/// `GET /api/v1/overview?entity=&days=90`.
pub(super) async fn overview(
    State(ctx): State<Arc<Ctx>>,
    Query(q): Query<OverviewQuery>,
) -> ApiResult<Response> {
    let e = entity(&ctx, q.entity.as_deref())?;
    let days = q.days.unwrap_or(90).clamp(1, 731);
    let now = Utc::now();
    let today = now.with_timezone(&e.time_zone).date_naive();
    let first = today - Duration::days(i64::from(days) - 1);
    let from = e
        .time_zone
        .from_local_datetime(&first.and_hms_opt(0, 0, 0).expect("midnight"))
        .earliest()
        .map_or(now - Duration::days(i64::from(days)), |t| {
            t.with_timezone(&Utc)
        });
    let (days_counted, counts) =
        crate::report::daily_counts(&ctx.store, e, from, now + Duration::days(1))
            .await
            .map_err(|e| ApiError::unavailable("overview", format!("{e:#}")))?;
    let trend = daily(
        days_counted.iter().map(|(d, c)| (*d, c.sentiment, c.n)),
        today,
        days,
        crate::state::denominator(e),
    );
    let mut by_media: BTreeMap<MediaType, WindowCounts> = BTreeMap::new();
    for c in &counts.by_media {
        by_media.entry(c.key).or_default().add(c.sentiment, c.n);
    }
    let den = crate::state::denominator(e);
    let by_media_type: Vec<_> = by_media
        .into_iter()
        .map(|(m, c)| {
            let mut v = serde_json::json!({"media_type": m.as_str(), "label": m.label_id()});
            if let (Some(o), Ok(serde_json::Value::Object(t))) =
                (v.as_object_mut(), serde_json::to_value(c.tally(den)))
            {
                o.extend(t);
            }
            v
        })
        .collect();
    let states = ctx
        .store
        .feed_states()
        .await
        .map_err(|e| ApiError::unavailable("overview", e))?;
    let feeds: Vec<_> = ctx
        .state
        .config
        .feeds
        .iter()
        .map(|f| {
            let s = states.iter().find(|s| s.feed_id == f.id);
            let failures = s.map_or(0, |s| s.consecutive_failures);
            serde_json::json!({
                "id": f.id,
                "outlet": f.outlet.as_deref().unwrap_or(&f.id),
                "media_type": f.media_type.as_str(),
                "last_fetch_at": s.and_then(|s| s.last_fetch_at).and_then(rfc3339),
                "last_success_at": s.and_then(|s| s.last_success_at).and_then(rfc3339),
                "last_error": s.and_then(|s| s.last_error.clone()),
                "consecutive_failures": failures,
                "items_seen": s.map_or(0, |s| s.items_seen),
                "failing": failures > 0,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "entity": e.id,
        "name": e.name,
        "target_pct": e.target_pct(today.year()),
        "days": days,
        "daily": trend,
        "by_media_type": by_media_type,
        "feeds": feeds,
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_has_every_day_and_counts_by_local_date() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        let rows = [
            (d(1), Sentiment::Negative),
            (d(1), Sentiment::Neutral),
            (d(3), Sentiment::Positive),
            (d(3), Sentiment::Negative),
            (d(3), Sentiment::Neutral),
            (
                NaiveDate::from_ymd_opt(2026, 2, 27).unwrap(),
                Sentiment::Negative,
            ), // before
        ];
        let rows = rows.map(|(d, s)| (d, s, 1));
        let all = daily(rows, today, 3, Denominator::All);
        assert_eq!(
            all.iter().map(|x| x.date).collect::<Vec<_>>(),
            [d(1), d(2), d(3)]
        );
        assert_eq!(all[0].counts.negative_pct, Some(50.0));
        assert_eq!(all[1].counts.negative_pct, None);
        assert_eq!((all[2].counts.negative, all[2].counts.denominator), (1, 3));
        let op = daily(rows, today, 3, Denominator::Opinionated);
        assert_eq!(op[0].counts.negative_pct, Some(100.0));
        assert_eq!(op[2].counts.negative_pct, Some(50.0));
    }
}
