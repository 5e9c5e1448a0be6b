//! Articles and their assessments: the aggregate stage's idempotent write,
//! what is already known, and the counted rows the counters rebuild from.

use std::collections::HashSet;

use chrono::Utc;
use pantau_model::{ArticleId, MediaType, RawArticle, ScoredArticle, Sentiment};
use sqlx::Row;

use crate::{ms, parse_col, Backend, Store, StoreError};

/// One counted assessment: what the running counters are made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// The entity.
    pub entity: String,
    /// Media type of the article.
    pub media_type: MediaType,
    /// The classifier's decision.
    pub sentiment: Sentiment,
    /// Effective sentiment: an analyst's override when there is one.
    pub effective: Sentiment,
    /// Event time, Unix milliseconds.
    pub event_time_ms: i64,
}

/// The upsert that adds a batch's new assessments to the running totals.
pub(crate) const ADD_TOTAL: &str =
    "INSERT INTO assessment_totals (entity, media_type, sentiment, n) \
    VALUES ($1, $2, $3, $4) ON CONFLICT (entity, media_type, sentiment) \
    DO UPDATE SET n = assessment_totals.n + excluded.n";

/// What `counted` adds to the totals: one row per (entity, media type,
/// sentiment), in a stable order (the same keys locked in the same order).
pub(crate) fn tally(counted: &[Counted]) -> Vec<(&str, MediaType, Sentiment, i64)> {
    let mut by_key =
        std::collections::BTreeMap::<(&str, &str, &str), (MediaType, Sentiment, i64)>::new();
    for c in counted {
        by_key
            .entry((
                c.entity.as_str(),
                c.media_type.as_str(),
                c.sentiment.as_str(),
            ))
            .or_insert((c.media_type, c.sentiment, 0))
            .2 += 1;
    }
    by_key
        .into_iter()
        .map(|((e, _, _), (m, s, n))| (e, m, s, n))
        .collect()
}

impl Store {
    /// Inserts scored articles in one transaction. Returns what was newly
    /// counted: assessments already stored (a redelivery) return nothing.
    pub async fn insert_scored(&self, batch: &[ScoredArticle]) -> Result<Vec<Counted>, StoreError> {
        if let Some(w) = &self.writer {
            return crate::sqlite_write::blocking(|| w.insert_scored(batch));
        }
        self.insert_scored_pooled(batch).await
    }

    /// The write through the pool, one multi-row statement per table and
    /// chunk (PostgreSQL).
    async fn insert_scored_pooled(
        &self,
        batch: &[ScoredArticle],
    ) -> Result<Vec<Counted>, StoreError> {
        let now = ms(Utc::now());
        let mut tx = self.write_tx().await?;
        // Dedup beyond the id: an item sharing a key with a stored article
        // (or an earlier one in this batch) is that article.
        let keys: Vec<Vec<String>> = batch.iter().map(|s| other_keys(&s.article)).collect();
        let mut owners = key_owners(&mut tx, self.backend, keys.iter().flatten()).await?;
        let mut new_keys: Vec<(String, String)> = Vec::new();
        let mut fresh: Vec<&ScoredArticle> = Vec::with_capacity(batch.len());
        for (s, keys) in batch.iter().zip(&keys) {
            let a = &s.article;
            let owner = keys
                .iter()
                .find_map(|k| owners.get(k).filter(|o| o.as_str() != a.id.as_str()))
                .cloned();
            let owner = owner.unwrap_or_else(|| a.id.to_string());
            for k in keys {
                if !owners.contains_key(k) {
                    owners.insert(k.clone(), owner.clone());
                    new_keys.push((k.clone(), owner.clone()));
                }
            }
            if owner != a.id.as_str() {
                tracing::debug!(article = %a.id, duplicate_of = %owner, "same article under another id");
                continue;
            }
            fresh.push(s);
        }
        // Multi-row statements: one round trip per chunk, not per row.
        for chunk in fresh.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO articles (id, source, outlet, media_type, url, guid, title, summary, body, \
                 published_at, fetched_at, stored_at) VALUES {} ON CONFLICT (id) DO NOTHING",
                placeholders(self.backend, chunk.len(), 12)
            );
            let mut q = sqlx::query(&sql);
            for s in chunk {
                let a = &s.article;
                q = q
                    .bind(a.id.as_str())
                    .bind(&a.source)
                    .bind(&a.outlet)
                    .bind(a.media_type.as_str())
                    .bind(&a.url)
                    .bind(&a.guid)
                    .bind(&a.title)
                    .bind(&a.summary)
                    .bind(&a.body)
                    .bind(a.published_at.map(ms))
                    .bind(ms(a.fetched_at))
                    .bind(now);
            }
            q.execute(&mut *tx).await?;
        }
        // What each new assessment row counts as, by (article, entity).
        let mut pending: std::collections::HashMap<&str, Vec<(&str, Counted)>> = Default::default();
        let mut rows = Vec::new();
        for s in &fresh {
            let a = &s.article;
            let event_time = ms(a.event_time());
            for asm in &s.assessments {
                let explanation = asm.explanation.to_stored();
                rows.push((a, asm, event_time, explanation));
                // The entity's own channel is stored, not counted.
                if a.own_channel {
                    continue;
                }
                pending.entry(a.id.as_str()).or_default().push((
                    asm.entity.as_str(),
                    Counted {
                        entity: asm.entity.to_string(),
                        media_type: a.media_type,
                        sentiment: asm.sentiment,
                        effective: asm.sentiment,
                        event_time_ms: event_time,
                    },
                ));
            }
        }
        let mut counted = Vec::new();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO assessments (article_id, entity, event_time, media_type, sentiment, \
                 score, relevance, explanation, outlet, own_channel) VALUES {} \
                 ON CONFLICT (article_id, entity) DO NOTHING RETURNING article_id, entity",
                placeholders(self.backend, chunk.len(), 10)
            );
            let mut q = sqlx::query(&sql);
            for (a, asm, event_time, explanation) in chunk {
                q = q
                    .bind(a.id.as_str())
                    .bind(asm.entity.as_str())
                    .bind(*event_time)
                    .bind(a.media_type.as_str())
                    .bind(asm.sentiment.as_str())
                    .bind(f64::from(asm.score))
                    .bind(&asm.relevance_reason)
                    .bind(explanation.as_str())
                    .bind(&a.outlet)
                    .bind(i64::from(a.own_channel));
            }
            // Only rows really inserted come back: a redelivery counts nothing.
            for row in q.fetch_all(&mut *tx).await? {
                let article: String = row.try_get("article_id")?;
                let entity: String = row.try_get("entity")?;
                if let Some(list) = pending.get_mut(article.as_str()) {
                    if let Some(at) = list.iter().position(|(e, _)| *e == entity) {
                        counted.push(list.swap_remove(at).1);
                    }
                }
            }
        }
        for chunk in new_keys.chunks(400) {
            let sql = format!(
                "INSERT INTO article_keys (key, article_id) VALUES {} ON CONFLICT (key) DO NOTHING",
                placeholders(self.backend, chunk.len(), 2)
            );
            let mut q = sqlx::query(&sql);
            for (k, owner) in chunk {
                q = q.bind(k).bind(owner);
            }
            q.execute(&mut *tx).await?;
        }
        for (entity, media, sentiment, n) in tally(&counted) {
            sqlx::query(ADD_TOTAL)
                .bind(entity)
                .bind(media.as_str())
                .bind(sentiment.as_str())
                .bind(n)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(counted)
    }

    /// Every counted assessment with its effective sentiment.
    pub async fn counted(&self) -> Result<Vec<Counted>, StoreError> {
        let rows = sqlx::query(
            "SELECT entity, media_type, sentiment, COALESCE(override_sentiment, sentiment) AS eff, \
             event_time FROM assessments WHERE own_channel = 0",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Counted {
                    entity: r.try_get("entity")?,
                    media_type: parse_col(r, "media_type")?,
                    sentiment: parse_col(r, "sentiment")?,
                    effective: parse_col(r, "eff")?,
                    event_time_ms: r.try_get("event_time")?,
                })
            })
            .collect()
    }

    /// Which of `articles` are already stored, under their id or any other
    /// of their [dedup keys](RawArticle::dedup_keys).
    pub async fn known(&self, articles: &[&RawArticle]) -> Result<HashSet<ArticleId>, StoreError> {
        let keys: Vec<Vec<String>> = articles.iter().map(|a| other_keys(a)).collect();
        let mut conn = self.pool.acquire().await?;
        let owners = key_owners(&mut conn, self.backend, keys.iter().flatten()).await?;
        let mut known: HashSet<ArticleId> = articles
            .iter()
            .zip(&keys)
            .filter(|(_, keys)| keys.iter().any(|k| owners.contains_key(k)))
            .map(|(a, _)| a.id.clone())
            .collect();
        // Known by id: the articles table itself.
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT id FROM articles WHERE id IN {}",
                placeholders(self.backend, 1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(&mut *conn).await? {
                let id: String = row.try_get("id")?;
                if let Some(id) = ArticleId::parse(&id) {
                    known.insert(id);
                }
            }
        }
        Ok(known)
    }

    /// `(fetched_at, stored_at)` of every article, Unix ms: the ingest-to-
    /// commit latency, for benchmarks.
    pub async fn fetch_and_store_times(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows = sqlx::query("SELECT fetched_at, stored_at FROM articles")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("fetched_at")?, r.try_get("stored_at")?)))
            .collect()
    }

    /// Number of stored articles.
    pub async fn article_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM articles")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }
}

/// Rows per multi-row INSERT: 12 columns × 200 stays far below SQLite's and
/// PostgreSQL's limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 200;

/// `($1,$2,…),($k+1,…)…` for `rows` rows of `cols` parameters; anonymous
/// `?` for SQLite, where numbered parameters cost a linear name lookup each
/// (quadratic in a multi-row statement).
fn placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push(',');
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push(',');
            }
            match backend {
                Backend::Sqlite => out.push('?'),
                Backend::Postgres => {
                    out.push('$');
                    out.push_str(&(r * cols + c + 1).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

/// An article's dedup keys other than its id: the id is the `articles`
/// table's own key (a redelivery conflicts there), so it is not stored again.
pub(crate) fn other_keys(a: &RawArticle) -> Vec<String> {
    let mut keys = a.dedup_keys();
    keys.retain(|k| k != a.id.as_str());
    keys
}

/// key → owning article id, for the stored ones among `keys`.
async fn key_owners<'k>(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    keys: impl Iterator<Item = &'k String>,
) -> Result<std::collections::HashMap<String, String>, StoreError> {
    let keys: Vec<&String> = keys.collect();
    let mut owners = std::collections::HashMap::new();
    for chunk in keys.chunks(500) {
        // One row of `chunk.len()` parameters: `(?, ?, …)`.
        let list = placeholders(backend, 1, chunk.len());
        let sql = format!("SELECT key, article_id FROM article_keys WHERE key IN {list}");
        let mut q = sqlx::query(&sql);
        for k in chunk {
            q = q.bind(k.as_str());
        }
        for row in q.fetch_all(&mut *conn).await? {
            owners.insert(row.try_get("key")?, row.try_get("article_id")?);
        }
    }
    Ok(owners)
}
