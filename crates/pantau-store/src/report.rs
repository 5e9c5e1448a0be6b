//! What reports, the overview and the counters read: counts by aggregate
//! SQL over the covering index `assessments_counts` — never the rows, never
//! their explanations — and the few most negative articles with theirs. A
//! read's memory is bounded by its buckets and groups, not by the articles
//! of its period.

use pantau_model::{MediaType, Sentiment};
use sqlx::Row;

use crate::{parse_col, Store, StoreError};

/// How event times are grouped: bucket = ⌊(event_time + offset) / size⌋,
/// reported by its first instant (UTC ms). A day in a zone of constant
/// offset is `size` = 86 400 000 with the zone's offset; a zone with
/// daylight saving needs buckets small enough to split at its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucketing {
    /// Added to the event time before dividing, ms.
    pub offset_ms: i64,
    /// Bucket length, ms.
    pub size_ms: i64,
}

/// One count of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount<K> {
    /// The group.
    pub key: K,
    /// Effective sentiment (an analyst's override wins).
    pub sentiment: Sentiment,
    /// Assessments.
    pub n: u64,
}

/// A period's counts, each grouping from one query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodCounts {
    /// By time bucket (its first instant, UTC ms).
    pub by_bucket: Vec<GroupCount<i64>>,
    /// By media type.
    pub by_media: Vec<GroupCount<MediaType>>,
    /// By outlet.
    pub by_outlet: Vec<GroupCount<String>>,
    /// Assessments an analyst overrode.
    pub overrides: u64,
}

/// One of the most negative articles of a period, with what explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct NegativeRow {
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
    /// Whether an analyst set its sentiment.
    pub overridden: bool,
    /// Classifier score.
    pub score: f64,
    /// Event time, Unix ms.
    pub event_time_ms: i64,
    /// The stored explanation.
    pub explanation: String,
}

/// A row of `id, outlet, title, url, media_type, score, event_time,
/// explanation, override_by`.
pub(crate) fn negative_row(r: &sqlx::any::AnyRow) -> Result<NegativeRow, StoreError> {
    let by: Option<String> = r.try_get("override_by")?;
    Ok(NegativeRow {
        article_id: r.try_get("id")?,
        outlet: r.try_get("outlet")?,
        title: r.try_get("title")?,
        url: r.try_get("url")?,
        media_type: parse_col(r, "media_type")?,
        overridden: by.is_some(),
        score: r.try_get("score")?,
        event_time_ms: r.try_get("event_time")?,
        explanation: r.try_get("explanation")?,
    })
}

/// The counted assessments of an entity in `[from, to)` (its own
/// channels' are not coverage).
const RANGE: &str = "FROM assessments WHERE entity = $1 AND event_time >= $2 AND event_time < $3 \
    AND own_channel = 0";

/// The effective sentiment.
const EFFECTIVE: &str = "COALESCE(override_sentiment, sentiment)";

/// Every assessment ever stored, by entity, media type and the classifier's
/// decision: the running totals' rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassifiedTotal {
    /// The entity.
    pub entity: String,
    /// Media type.
    pub media_type: MediaType,
    /// The classifier's decision.
    pub sentiment: Sentiment,
    /// Assessments.
    pub n: u64,
}

impl Store {
    /// The counts of `entity` in `[from_ms, to_ms)`.
    pub async fn period_counts(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
        b: Bucketing,
    ) -> Result<PeriodCounts, StoreError> {
        let group = |cols: &str| {
            format!("SELECT {cols} AS k, {EFFECTIVE} AS eff, COUNT(*) AS n {RANGE} GROUP BY k, eff")
        };
        let fetch = |sql: String| async move {
            sqlx::query(&sql)
                .bind(entity)
                .bind(from_ms)
                .bind(to_ms)
                .fetch_all(&self.read)
                .await
        };
        let n = |r: &sqlx::any::AnyRow| -> Result<u64, StoreError> {
            Ok(r.try_get::<i64, _>("n")?.max(0) as u64)
        };
        let mut out = PeriodCounts {
            by_bucket: self.bucket_counts(entity, from_ms, to_ms, b).await?,
            ..PeriodCounts::default()
        };
        for r in fetch(group("media_type")).await? {
            out.by_media.push(GroupCount {
                key: parse_col(&r, "k")?,
                sentiment: parse_col(&r, "eff")?,
                n: n(&r)?,
            });
        }
        for r in fetch(group("COALESCE(outlet, '')")).await? {
            out.by_outlet.push(GroupCount {
                key: r.try_get("k")?,
                sentiment: parse_col(&r, "eff")?,
                n: n(&r)?,
            });
        }
        let r = sqlx::query(&format!(
            "SELECT COUNT(*) AS n {RANGE} AND override_sentiment IS NOT NULL AND override_sentiment <> sentiment"
        ))
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_one(&self.read)
        .await?;
        out.overrides = n(&r)?;
        Ok(out)
    }

    /// The counts of `entity` in `[from_ms, to_ms)` by time bucket and
    /// effective sentiment only (what the outlook reads, every minute).
    pub async fn bucket_counts(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
        b: Bucketing,
    ) -> Result<Vec<GroupCount<i64>>, StoreError> {
        let sql = format!(
            "SELECT ((event_time + {off}) / {size}) * {size} - {off} AS k, {EFFECTIVE} AS eff, COUNT(*) AS n \
             {RANGE} GROUP BY k, eff",
            off = b.offset_ms,
            size = b.size_ms.max(1)
        );
        let rows = sqlx::query(&sql)
            .bind(entity)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(GroupCount {
                    key: r.try_get("k")?,
                    sentiment: parse_col(r, "eff")?,
                    n: r.try_get::<i64, _>("n")?.max(0) as u64,
                })
            })
            .collect()
    }

    /// The `limit` most negative articles (effective sentiment negative,
    /// lowest score first) of `entity` in `[from_ms, to_ms)`, in full.
    pub async fn most_negative(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
        limit: i64,
    ) -> Result<Vec<NegativeRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.outlet, a.title, a.url, s.media_type, s.score, \
             s.event_time, s.explanation, s.override_by FROM assessments s \
             JOIN articles a ON a.id = s.article_id \
             WHERE s.entity = $1 AND s.event_time >= $2 AND s.event_time < $3 \
             AND s.own_channel = 0 AND COALESCE(s.override_sentiment, s.sentiment) = 'negative' \
             ORDER BY s.score, a.id LIMIT $4",
        )
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .bind(limit.max(0))
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(negative_row).collect()
    }

    /// The running totals' rebuild: one row per entity, media type and
    /// classifier decision (a few dozen), however many articles are stored.
    pub async fn classified_totals(&self) -> Result<Vec<ClassifiedTotal>, StoreError> {
        let rows = sqlx::query(
            "SELECT entity, media_type, sentiment, n FROM assessment_totals \
             ORDER BY entity, media_type, sentiment",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ClassifiedTotal {
                    entity: r.try_get("entity")?,
                    media_type: parse_col(r, "media_type")?,
                    sentiment: parse_col(r, "sentiment")?,
                    n: r.try_get::<i64, _>("n")?.max(0) as u64,
                })
            })
            .collect()
    }

    /// The windows' rebuild: `entity`'s assessments in `[from_ms, to_ms)` by
    /// bucket of `bucket_ms`, media type and effective sentiment, handed to
    /// `visit` (bucket start, media type, sentiment, count) as the rows
    /// arrive — none are held.
    pub async fn effective_buckets(
        &self,
        entity: &str,
        bucket_ms: i64,
        from_ms: i64,
        to_ms: i64,
        mut visit: impl FnMut(i64, MediaType, Sentiment, u64),
    ) -> Result<(), StoreError> {
        use futures::TryStreamExt;
        let size = bucket_ms.max(1);
        let sql = format!(
            "SELECT (event_time / {size}) * {size} AS b, media_type, {EFFECTIVE} AS eff, \
             COUNT(*) AS n {RANGE} GROUP BY b, media_type, eff"
        );
        let mut rows = sqlx::query(&sql)
            .bind(entity)
            .bind(from_ms)
            .bind(to_ms)
            .fetch(&self.read);
        while let Some(r) = rows.try_next().await? {
            visit(
                r.try_get("b")?,
                parse_col(&r, "media_type")?,
                parse_col(&r, "eff")?,
                r.try_get::<i64, _>("n")?.max(0) as u64,
            );
        }
        Ok(())
    }
}
