//! The clippings: each digest as sent, its deliveries and their state, and
//! the new articles a digest reports.

use sqlx::Row;

use crate::report::NegativeRow;
use crate::{Store, StoreError};

/// A digest to record, with one delivery per recipient.
#[derive(Debug, Clone)]
pub struct NewDigest<'a> {
    /// Unique id (a scheduled digest's names its entity and slot).
    pub id: &'a str,
    /// Entity.
    pub entity: &'a str,
    /// When it was made, Unix ms.
    pub created_ms: i64,
    /// New articles are those stored in `[since_ms, until_ms)`.
    pub since_ms: i64,
    /// End, exclusive.
    pub until_ms: i64,
    /// Subject.
    pub subject: &'a str,
    /// Plain-text body.
    pub text: &'a str,
    /// HTML body.
    pub html: &'a str,
    /// Telegram messages, a JSON array.
    pub telegram: &'a str,
    /// The JSON webhook's body.
    pub payload: &'a str,
    /// (channel, target) of each delivery.
    pub deliveries: &'a [(String, String)],
}

/// A delivery's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The digest.
    pub digest_id: String,
    /// `email`, `telegram` or `webhook`.
    pub channel: String,
    /// Address, chat id or URL.
    pub target: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Tries so far.
    pub attempts: i64,
    /// Pending: when to try next, Unix ms.
    pub next_ms: Option<i64>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was delivered, Unix ms.
    pub sent_ms: Option<i64>,
}

/// A stored digest with its deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDigest {
    /// Id.
    pub id: String,
    /// Entity.
    pub entity: String,
    /// Made, Unix ms.
    pub created_ms: i64,
    /// Start of its new articles, Unix ms.
    pub since_ms: i64,
    /// End, exclusive.
    pub until_ms: i64,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
    /// Telegram messages, a JSON array.
    pub telegram: String,
    /// The JSON webhook's body.
    pub payload: String,
    /// Its deliveries.
    pub deliveries: Vec<Delivery>,
}

/// What a delivery try did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Delivered at this time, Unix ms.
    Sent(i64),
    /// Failed; try again at `next_ms`.
    Retry {
        /// When to try next.
        next_ms: i64,
        /// Why it failed.
        error: String,
    },
    /// Failed for the last time.
    Failed(String),
}

/// The articles about an entity stored in a time range.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticles {
    /// How many.
    pub total: u64,
    /// Of them negative (effective sentiment).
    pub negative: u64,
    /// Negative and never reviewed.
    pub unreviewed_negative: u64,
    /// The negative ones, newest first, at most the limit asked.
    pub negatives: Vec<NegativeRow>,
}

/// The new articles' range: stored in `[$2, $3)`, published after `$4`
/// (which lets the entity-and-time index do the work: an article published
/// weeks before it was stored is not news of the day).
const NEW: &str = "FROM assessments s JOIN articles a ON a.id = s.article_id \
     WHERE s.entity = $1 AND a.stored_at >= $2 AND a.stored_at < $3 AND s.event_time >= $4 \
     AND s.own_channel = 0";

impl Store {
    /// Records a digest and its pending deliveries in one transaction;
    /// `false` (and nothing written) when a digest with its id exists.
    pub async fn save_digest(&self, d: &NewDigest<'_>) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let inserted = sqlx::query(
            "INSERT INTO digests (id, entity, created_at, since_at, until_at, subject, body_text, \
             body_html, telegram, payload) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(d.id)
        .bind(d.entity)
        .bind(d.created_ms)
        .bind(d.since_ms)
        .bind(d.until_ms)
        .bind(d.subject)
        .bind(d.text)
        .bind(d.html)
        .bind(d.telegram)
        .bind(d.payload)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if inserted {
            for (channel, target) in d.deliveries {
                sqlx::query(
                    "INSERT INTO digest_deliveries (digest_id, channel, target, status, attempts, next_at) \
                     VALUES ($1, $2, $3, 'pending', 0, $4) ON CONFLICT DO NOTHING",
                )
                .bind(d.id)
                .bind(channel)
                .bind(target)
                .bind(d.created_ms)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// The latest digests (of one entity, or all), newest first.
    pub async fn digests(
        &self,
        entity: Option<&str>,
        limit: i64,
    ) -> Result<Vec<StoredDigest>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM digests WHERE ($1 = '' OR entity = $1) \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(entity.unwrap_or(""))
        .bind(limit.max(1))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            let deliveries = self.deliveries_of(&id).await?;
            out.push(StoredDigest {
                id,
                entity: r.try_get("entity")?,
                created_ms: r.try_get("created_at")?,
                since_ms: r.try_get("since_at")?,
                until_ms: r.try_get("until_at")?,
                subject: r.try_get("subject")?,
                text: r.try_get("body_text")?,
                html: r.try_get("body_html")?,
                telegram: r.try_get("telegram")?,
                payload: r.try_get("payload")?,
                deliveries,
            });
        }
        Ok(out)
    }

    /// One digest by id.
    pub async fn digest(&self, id: &str) -> Result<Option<StoredDigest>, StoreError> {
        let entity: Option<String> = sqlx::query("SELECT entity FROM digests WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("entity"))
            .transpose()?;
        let Some(entity) = entity else {
            return Ok(None);
        };
        // Few digests per entity per day: the listing finds it.
        let all = self.digests(Some(&entity), i64::MAX).await?;
        Ok(all.into_iter().find(|d| d.id == id))
    }

    async fn deliveries_of(&self, digest_id: &str) -> Result<Vec<Delivery>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM digest_deliveries WHERE digest_id = $1 ORDER BY channel, target",
        )
        .bind(digest_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(delivery).collect()
    }

    /// Pending deliveries due at `now_ms`, oldest first.
    pub async fn due_deliveries(&self, now_ms: i64) -> Result<Vec<Delivery>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM digest_deliveries WHERE status = 'pending' AND next_at <= $1 \
             ORDER BY next_at, digest_id, channel, target",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(delivery).collect()
    }

    /// Claims a due delivery for one try until `lease_until_ms`: `false`
    /// when another process claimed (or settled) it first, so two
    /// aggregate processes never send one digest twice.
    pub async fn claim_delivery(
        &self,
        d: &Delivery,
        lease_until_ms: i64,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "UPDATE digest_deliveries SET next_at = $1 WHERE digest_id = $2 AND channel = $3 \
             AND target = $4 AND status = 'pending' AND next_at = $5",
        )
        .bind(lease_until_ms)
        .bind(&d.digest_id)
        .bind(&d.channel)
        .bind(&d.target)
        .bind(d.next_ms)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Records what a try of one delivery did.
    pub async fn record_delivery(
        &self,
        d: &Delivery,
        outcome: &DeliveryOutcome,
    ) -> Result<(), StoreError> {
        let (status, next, error, sent) = match outcome {
            DeliveryOutcome::Sent(at) => ("sent", None, None, Some(*at)),
            DeliveryOutcome::Retry { next_ms, error } => {
                ("pending", Some(*next_ms), Some(error.as_str()), None)
            }
            DeliveryOutcome::Failed(error) => ("failed", None, Some(error.as_str()), None),
        };
        sqlx::query(
            "UPDATE digest_deliveries SET status = $1, attempts = attempts + 1, next_at = $2, \
             last_error = COALESCE($3, last_error), sent_at = $4 \
             WHERE digest_id = $5 AND channel = $6 AND target = $7",
        )
        .bind(status)
        .bind(next)
        .bind(error)
        .bind(sent)
        .bind(&d.digest_id)
        .bind(&d.channel)
        .bind(&d.target)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Makes every delivery of a digest that was not sent (or all of them,
    /// with `all`) pending again, due at `now_ms`, with its tries reset;
    /// returns how many.
    pub async fn resend_digest(&self, id: &str, all: bool, now_ms: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE digest_deliveries SET status = 'pending', attempts = 0, next_at = $1 \
             WHERE digest_id = $2 AND ($3 = 1 OR status <> 'sent')",
        )
        .bind(now_ms)
        .bind(id)
        .bind(i64::from(all))
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// The end of the entity's latest digest: where the next one's new
    /// articles begin.
    pub async fn last_digest_until(&self, entity: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query("SELECT MAX(until_at) AS m FROM digests WHERE entity = $1")
                .bind(entity)
                .fetch_one(&self.pool)
                .await?
                .try_get("m")?,
        )
    }

    /// The articles about `entity` stored in `[from_ms, to_ms)` and
    /// published at or after `published_from_ms`: their counts, and the
    /// `limit` newest negative ones in full.
    pub async fn new_articles(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
        published_from_ms: i64,
        limit: i64,
    ) -> Result<NewArticles, StoreError> {
        let counts = sqlx::query(&format!(
            "SELECT COUNT(*) AS total, \
             COALESCE(SUM(CASE WHEN COALESCE(s.override_sentiment, s.sentiment) = 'negative' THEN 1 ELSE 0 END), 0) AS neg, \
             COALESCE(SUM(CASE WHEN COALESCE(s.override_sentiment, s.sentiment) = 'negative' \
             AND s.override_by IS NULL THEN 1 ELSE 0 END), 0) AS unreviewed {NEW}"
        ))
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .bind(published_from_ms)
        .fetch_one(&self.read)
        .await?;
        let rows = sqlx::query(&format!(
            "SELECT a.id, a.outlet, a.title, a.url, s.media_type, s.score, s.event_time, \
             s.explanation, s.override_by {NEW} \
             AND COALESCE(s.override_sentiment, s.sentiment) = 'negative' \
             ORDER BY s.event_time DESC, a.id LIMIT $5"
        ))
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .bind(published_from_ms)
        .bind(limit.max(0))
        .fetch_all(&self.read)
        .await?;
        let n = |col: &str| -> Result<u64, StoreError> {
            Ok(counts.try_get::<i64, _>(col)?.max(0) as u64)
        };
        Ok(NewArticles {
            total: n("total")?,
            negative: n("neg")?,
            unreviewed_negative: n("unreviewed")?,
            negatives: rows
                .iter()
                .map(crate::report::negative_row)
                .collect::<Result<_, _>>()?,
        })
    }
}

fn delivery(r: &sqlx::any::AnyRow) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        digest_id: r.try_get("digest_id")?,
        channel: r.try_get("channel")?,
        target: r.try_get("target")?,
        status: r.try_get("status")?,
        attempts: r.try_get("attempts")?,
        next_ms: r.try_get("next_at")?,
        last_error: r.try_get("last_error")?,
        sent_ms: r.try_get("sent_at")?,
    })
}
