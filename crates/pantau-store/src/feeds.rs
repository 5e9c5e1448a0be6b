//! Feed state: each feed's cursor (ETag, Last-Modified) and health.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{ms, Store, StoreError};

/// The stored state of one feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    /// Feed id.
    pub feed_id: String,
    /// `ETag` of the last successful response.
    pub etag: Option<String>,
    /// `Last-Modified` of the last successful response.
    pub last_modified: Option<String>,
    /// Last fetch attempt, Unix ms.
    pub last_fetch_at: Option<i64>,
    /// Last successful fetch, Unix ms.
    pub last_success_at: Option<i64>,
    /// Last error message.
    pub last_error: Option<String>,
    /// Last error kind (bounded vocabulary, also a metric label).
    pub last_error_kind: Option<String>,
    /// Failures since the last success.
    pub consecutive_failures: i64,
    /// New items published from this feed, in total.
    pub items_seen: i64,
}

impl Store {
    /// The state of a feed (a default state when never seen).
    pub async fn feed_state(&self, feed_id: &str) -> Result<FeedState, StoreError> {
        let row = sqlx::query("SELECT * FROM feed_state WHERE feed_id = $1")
            .bind(feed_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => feed_state_from_row(&r)?,
            None => FeedState {
                feed_id: feed_id.to_owned(),
                ..FeedState::default()
            },
        })
    }

    /// Every stored feed state, by id.
    pub async fn feed_states(&self) -> Result<Vec<FeedState>, StoreError> {
        let rows = sqlx::query("SELECT * FROM feed_state ORDER BY feed_id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(feed_state_from_row).collect()
    }

    /// Records a successful fetch: advances the cursor. Call only after every
    /// new item of the response is durable.
    pub async fn feed_success(
        &self,
        feed_id: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        new_items: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO feed_state (feed_id, etag, last_modified, last_fetch_at, last_success_at, \
             consecutive_failures, items_seen) VALUES ($1,$2,$3,$4,$4,0,$5) \
             ON CONFLICT (feed_id) DO UPDATE SET etag = excluded.etag, \
             last_modified = excluded.last_modified, last_fetch_at = excluded.last_fetch_at, \
             last_success_at = excluded.last_success_at, consecutive_failures = 0, \
             items_seen = feed_state.items_seen + excluded.items_seen",
        )
        .bind(feed_id)
        .bind(etag)
        .bind(last_modified)
        .bind(ms(at))
        .bind(new_items)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed fetch; the cursor stays where it was.
    pub async fn feed_failure(
        &self,
        feed_id: &str,
        kind: &str,
        message: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO feed_state (feed_id, last_fetch_at, last_error, last_error_kind, \
             consecutive_failures) VALUES ($1,$2,$3,$4,1) \
             ON CONFLICT (feed_id) DO UPDATE SET last_fetch_at = excluded.last_fetch_at, \
             last_error = excluded.last_error, last_error_kind = excluded.last_error_kind, \
             consecutive_failures = feed_state.consecutive_failures + 1",
        )
        .bind(feed_id)
        .bind(ms(at))
        .bind(message)
        .bind(kind)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

fn feed_state_from_row(r: &AnyRow) -> Result<FeedState, StoreError> {
    Ok(FeedState {
        feed_id: r.try_get("feed_id")?,
        etag: r.try_get("etag")?,
        last_modified: r.try_get("last_modified")?,
        last_fetch_at: r.try_get("last_fetch_at")?,
        last_success_at: r.try_get("last_success_at")?,
        last_error: r.try_get("last_error")?,
        last_error_kind: r.try_get("last_error_kind")?,
        consecutive_failures: r.try_get("consecutive_failures")?,
        items_seen: r.try_get("items_seen")?,
    })
}
