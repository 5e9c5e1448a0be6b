//! Analysts' overrides with their audit trail, and the review listing.

use chrono::{DateTime, Utc};
use pantau_model::{MediaType, Sentiment};
use sqlx::Row;

use crate::{ms, parse_col, Store, StoreError};

/// One recorded override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Unique id.
    pub id: String,
    /// Article.
    pub article_id: String,
    /// Entity.
    pub entity: String,
    /// When, Unix ms.
    pub at_ms: i64,
    /// Who.
    pub by: String,
    /// Effective sentiment before.
    pub old: Sentiment,
    /// After.
    pub new: Sentiment,
    /// Why.
    pub reason: String,
    /// The assessment's event time (for the counters).
    pub event_time_ms: i64,
    /// The article's media type (for the counters by media type).
    pub media_type: MediaType,
    /// Whether the assessment counts in the KPI (not one of the entity's
    /// own channels): the counters move only for those.
    pub counted: bool,
}

/// Filters of `review list`.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    /// Only this entity.
    pub entity: Option<String>,
    /// Only this effective sentiment.
    pub sentiment: Option<Sentiment>,
    /// Only this media type.
    pub media_type: Option<MediaType>,
    /// Event time at or after, Unix ms.
    pub since_ms: Option<i64>,
    /// Only assessments nobody has reviewed.
    pub unreviewed: bool,
    /// Which first.
    pub order: crate::ArticleOrder,
    /// At most this many.
    pub limit: i64,
}

/// One assessment to review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    /// Article id.
    pub article_id: String,
    /// Entity.
    pub entity: String,
    /// Headline.
    pub title: String,
    /// Publication.
    pub outlet: String,
    /// Link.
    pub url: Option<String>,
    /// Media type.
    pub media_type: MediaType,
    /// The classifier's decision.
    pub classified: Sentiment,
    /// Effective sentiment.
    pub effective: Sentiment,
    /// Classifier score.
    pub score: f64,
    /// Event time, Unix ms.
    pub event_time_ms: i64,
    /// Who overrode it, if anyone.
    pub override_by: Option<String>,
}

pub(crate) fn audit_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    format!(
        "{:016x}{:016x}",
        h.finish(),
        std::process::id() as u64 ^ h.finish().rotate_left(17)
    )
}

impl Store {
    /// Records an analyst's override of one assessment, with its audit entry,
    /// in one transaction. `Ok(None)` when the assessment does not exist;
    /// [`StoreError::Unchanged`] when it already has this sentiment.
    pub async fn set_override(
        &self,
        article_id: &str,
        entity: &str,
        sentiment: Sentiment,
        by: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<AuditEntry>, StoreError> {
        let mut tx = self.write_tx().await?;
        let entry = apply_override(&mut tx, article_id, entity, sentiment, by, reason, at).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The same override of several assessments (every copy of one
    /// story), in one transaction with one audit entry per article;
    /// articles that already have the sentiment, or no assessment of the
    /// entity, are passed over.
    pub async fn set_override_many(
        &self,
        article_ids: &[String],
        entity: &str,
        sentiment: Sentiment,
        by: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut out = Vec::new();
        for id in article_ids {
            match apply_override(&mut tx, id, entity, sentiment, by, reason, at).await {
                Ok(Some(e)) => out.push(e),
                Ok(None) | Err(StoreError::Unchanged(_)) => {}
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Records that an analyst read an assessment and agrees with its
    /// sentiment: the same trail as an override (who, when, why) with the
    /// sentiment unchanged, so that "reviewed" means someone looked.
    /// `Ok(None)` when the assessment does not exist;
    /// [`StoreError::AlreadyReviewed`] when someone already has.
    pub async fn confirm(
        &self,
        article_id: &str,
        entity: &str,
        by: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<AuditEntry>, StoreError> {
        let mut tx = self.write_tx().await?;
        let entry = apply_confirm(&mut tx, article_id, entity, by, reason, at).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Audit entries recorded at or after `since_ms`, oldest first.
    pub async fn audit_since(&self, since_ms: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_where("r.at >= $1", &since_ms.to_string(), true)
            .await
    }

    /// Every audit entry of one article, oldest first.
    pub async fn audit_history(&self, article_id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit_where("r.article_id = $1", article_id, false)
            .await
    }

    async fn audit_where(
        &self,
        cond: &str,
        arg: &str,
        numeric: bool,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!(
            "SELECT r.*, s.event_time, s.media_type, s.own_channel FROM review_audit r JOIN assessments s \
             ON s.article_id = r.article_id AND s.entity = r.entity WHERE {cond} ORDER BY r.at, r.id"
        );
        let q = sqlx::query(&sql);
        let q = if numeric {
            q.bind(arg.parse::<i64>().unwrap_or(0))
        } else {
            q.bind(arg)
        };
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    article_id: r.try_get("article_id")?,
                    entity: r.try_get("entity")?,
                    at_ms: r.try_get("at")?,
                    by: r.try_get("by_whom")?,
                    old: parse_col(r, "old_sentiment")?,
                    new: parse_col(r, "new_sentiment")?,
                    reason: r.try_get("reason")?,
                    event_time_ms: r.try_get("event_time")?,
                    media_type: parse_col(r, "media_type")?,
                    counted: r.try_get::<i64, _>("own_channel")? == 0,
                })
            })
            .collect()
    }

    /// Assessments for review, newest first, filtered.
    pub async fn review_list(&self, f: &ReviewFilter) -> Result<Vec<ReviewItem>, StoreError> {
        let sql = format!(
            "SELECT a.id, s.entity, a.title, a.outlet, a.url, s.media_type, s.sentiment, \
             COALESCE(s.override_sentiment, s.sentiment) AS eff, s.score, s.event_time, s.override_by \
             FROM assessments s JOIN articles a ON a.id = s.article_id \
             WHERE ($1 = '' OR s.entity = $1) AND ($2 = '' OR COALESCE(s.override_sentiment, s.sentiment) = $2) \
             AND ($3 = '' OR s.media_type = $3) AND s.event_time >= $4 \
             AND ($6 = 0 OR s.override_by IS NULL) \
             ORDER BY {} LIMIT $5",
            f.order.sql()
        );
        let rows = sqlx::query(&sql)
            .bind(f.entity.as_deref().unwrap_or(""))
            .bind(f.sentiment.map_or("", Sentiment::as_str))
            .bind(f.media_type.map_or("", MediaType::as_str))
            .bind(f.since_ms.unwrap_or(i64::MIN))
            .bind(f.limit.max(1))
            .bind(i64::from(f.unreviewed))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewItem {
                    article_id: r.try_get("id")?,
                    entity: r.try_get("entity")?,
                    title: r.try_get("title")?,
                    outlet: r.try_get("outlet")?,
                    url: r.try_get("url")?,
                    media_type: parse_col(r, "media_type")?,
                    classified: parse_col(r, "sentiment")?,
                    effective: parse_col(r, "eff")?,
                    score: r.try_get("score")?,
                    event_time_ms: r.try_get("event_time")?,
                    override_by: r.try_get("override_by")?,
                })
            })
            .collect()
    }

    /// The analysts' corrections and audit verdicts as labelled text
    /// (headline, summary and body), for `pantau eval`: an audit's tone
    /// verdict where there is one (a random sample, the fairest
    /// evaluation data), else the override.
    pub async fn labelled_overrides(&self) -> Result<Vec<(String, Sentiment)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.title, a.summary, a.body, COALESCE(CASE WHEN v.verdict IN ('negative', 'neutral', 'positive') \
             THEN v.verdict END, s.override_sentiment) AS label FROM assessments s \
             JOIN articles a ON a.id = s.article_id \
             LEFT JOIN audit_samples v ON v.entity = s.entity AND v.article_id = s.article_id \
             WHERE s.override_sentiment IS NOT NULL OR v.verdict IN ('negative', 'neutral', 'positive') \
             ORDER BY a.id, s.entity",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let parts: Vec<String> = ["title", "summary", "body"]
                    .iter()
                    .map(|c| r.try_get::<String, _>(*c))
                    .collect::<Result<_, _>>()?;
                let text = parts
                    .iter()
                    .filter(|p| !p.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                Ok((text, parse_col(r, "label")?))
            })
            .collect()
    }
}

/// The confirmation and its audit entry, inside the caller's transaction.
async fn apply_confirm(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    article_id: &str,
    entity: &str,
    by: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<Option<AuditEntry>, StoreError> {
    let Some(row) = sqlx::query(
        "SELECT COALESCE(override_sentiment, sentiment) AS eff, event_time, override_by, \
         media_type, own_channel FROM assessments WHERE article_id = $1 AND entity = $2",
    )
    .bind(article_id)
    .bind(entity)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    if let Some(earlier) = row.try_get::<Option<String>, _>("override_by")? {
        return Err(StoreError::AlreadyReviewed { by: earlier });
    }
    let sentiment: Sentiment = parse_col(&row, "eff")?;
    let entry = AuditEntry {
        id: audit_id(),
        article_id: article_id.to_owned(),
        entity: entity.to_owned(),
        at_ms: ms(at),
        by: by.to_owned(),
        old: sentiment,
        new: sentiment,
        reason: reason.to_owned(),
        event_time_ms: row.try_get("event_time")?,
        media_type: parse_col(&row, "media_type")?,
        counted: row.try_get::<i64, _>("own_channel")? == 0,
    };
    write_review(tx, &entry).await?;
    Ok(Some(entry))
}

/// The assessment's review columns and the audit entry of one review.
async fn write_review(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    e: &AuditEntry,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE assessments SET override_sentiment = $1, override_by = $2, override_at = $3, \
         override_reason = $4 WHERE article_id = $5 AND entity = $6",
    )
    .bind(e.new.as_str())
    .bind(&e.by)
    .bind(e.at_ms)
    .bind(&e.reason)
    .bind(&e.article_id)
    .bind(&e.entity)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO review_audit (id, article_id, entity, at, by_whom, old_sentiment, new_sentiment, reason) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
    )
    .bind(&e.id)
    .bind(&e.article_id)
    .bind(&e.entity)
    .bind(e.at_ms)
    .bind(&e.by)
    .bind(e.old.as_str())
    .bind(e.new.as_str())
    .bind(&e.reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The override and its audit entry, inside the caller's transaction.
pub(crate) async fn apply_override(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    article_id: &str,
    entity: &str,
    sentiment: Sentiment,
    by: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<Option<AuditEntry>, StoreError> {
    let Some(row) = sqlx::query(
        "SELECT COALESCE(override_sentiment, sentiment) AS eff, event_time, media_type, \
         own_channel FROM assessments WHERE article_id = $1 AND entity = $2",
    )
    .bind(article_id)
    .bind(entity)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let old: Sentiment = parse_col(&row, "eff")?;
    if old == sentiment {
        return Err(StoreError::Unchanged(sentiment));
    }
    let entry = AuditEntry {
        id: audit_id(),
        article_id: article_id.to_owned(),
        entity: entity.to_owned(),
        at_ms: ms(at),
        by: by.to_owned(),
        old,
        new: sentiment,
        reason: reason.to_owned(),
        event_time_ms: row.try_get("event_time")?,
        media_type: parse_col(&row, "media_type")?,
        counted: row.try_get::<i64, _>("own_channel")? == 0,
    };
    write_review(tx, &entry).await?;
    Ok(Some(entry))
}
