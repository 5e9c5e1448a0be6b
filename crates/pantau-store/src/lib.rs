//! pantau's durable store: articles with their assessments, and feed state.
//!
//! # Layout
//!
//! - [`Store::open`]: opens (creating) the database and runs the migrations in
//!   `migrations/`.
//! - [`Store::insert_scored`]: the idempotent write of the aggregate stage —
//!   an article is inserted once by its id (`ON CONFLICT DO NOTHING`) and a
//!   [`Counted`] row is returned only for assessments that were really new,
//!   so at-least-once delivery still counts exactly once.
//! - [`Store::counted`]: every counted assessment, to rebuild the running
//!   counters after a restart.
//! - feed state: the cursor (ETag, Last-Modified) and health of each feed.
//!
//! One schema and one set of queries for both backends (sqlx's `Any`
//! driver): SQLite (WAL, `synchronous=FULL`: a commit survives power loss)
//! is the embedded default, PostgreSQL (`postgres://…`) the shared store when
//! the services scale out. Times are Unix milliseconds.

use std::collections::HashSet;

mod browse;
pub use browse::{ArticleDetail, ArticleFilter};

use chrono::{DateTime, Utc};
use pantau_model::{ArticleId, MediaType, RawArticle, ScoredArticle, Sentiment};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Connection, Executor, Row};

/// A store operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is not one this build can open.
    #[error("invalid store URL {url:?}: {reason}")]
    Url {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The database refused or failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back.
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

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

/// One assessment with its article, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Article id.
    pub article_id: String,
    /// Publication.
    pub outlet: String,
    /// Headline.
    pub title: String,
    /// Link, when it has one.
    pub url: Option<String>,
    /// Media type.
    pub media_type: MediaType,
    /// The classifier's decision.
    pub classified: Sentiment,
    /// Effective sentiment (override wins).
    pub effective: Sentiment,
    /// Whether an analyst overrode it.
    pub overridden: bool,
    /// Classifier score.
    pub score: f64,
    /// Event time, Unix ms.
    pub event_time_ms: i64,
    /// The explanation, JSON.
    pub explanation: String,
}

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

fn audit_id() -> String {
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

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

impl Store {
    /// Opens the store at `url` — `sqlite://path/to/file.db` or
    /// `postgres://user:password@host:port/db` — creating an SQLite file if
    /// needed, and runs pending migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let bad = |reason: &str| StoreError::Url {
            url: redact(url),
            reason: reason.to_owned(),
        };
        sqlx::any::install_default_drivers();
        let (backend, connect_url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                return Err(bad("no file path"));
            }
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        bad(&format!("cannot create directory {}: {e}", dir.display()))
                    })?;
                }
            }
            // The URL layer would read a relative path's first segment as a
            // host name: hand the driver an absolute path.
            let abs = std::path::absolute(path)
                .map_err(|e| bad(&format!("cannot resolve {path}: {e}")))?;
            if abs.to_str().is_none_or(|p| p.contains(['?', '#'])) {
                return Err(bad("the SQLite path must be UTF-8 without '?' or '#'"));
            }
            (
                Backend::Sqlite,
                format!("sqlite://{}?mode=rwc", abs.display()),
            )
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(bad("expected sqlite://PATH or postgres://…"));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL + FULL: a commit is on disk before it is acknowledged.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA busy_timeout = 10000",
                            "PRAGMA foreign_keys = ON",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&connect_url)
            .await?;
        // Make the first connection now so a wrong URL fails at start-up.
        pool.acquire().await?.ping().await?;
        // Services sharing one SQLite file (ingest and aggregate) may start
        // together, and SQLite has no migration lock of its own (PostgreSQL's
        // migrations take an advisory lock).
        // A migration that lost a race to another process fails ("already
        // exists") and rolls back; running the migrator again finds it applied.
        let mut attempt = 0;
        loop {
            match sqlx::migrate!("./migrations").run(&pool).await {
                Ok(()) => break,
                Err(e) if backend == Backend::Sqlite && attempt < 20 => {
                    attempt += 1;
                    tracing::debug!(error = %e, attempt, "migration raced another process; retrying");
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Store { pool, backend })
    }

    /// A transaction that reads before it writes. On SQLite it takes the
    /// write lock up front: a deferred one would fail to upgrade
    /// (SQLITE_BUSY_SNAPSHOT) when another writer committed in between,
    /// instead of waiting its turn.
    async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Inserts scored articles in one transaction. Returns what was newly
    /// counted: assessments already stored (a redelivery) return nothing.
    pub async fn insert_scored(&self, batch: &[ScoredArticle]) -> Result<Vec<Counted>, StoreError> {
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
                let explanation = serde_json::to_string(&asm.explanation)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
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
                rows.push((a, asm, event_time, explanation));
            }
        }
        let mut counted = Vec::new();
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO assessments (article_id, entity, event_time, media_type, sentiment, \
                 score, relevance, explanation) VALUES {} ON CONFLICT (article_id, entity) DO NOTHING \
                 RETURNING article_id, entity",
                placeholders(self.backend, chunk.len(), 8)
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
                    .bind(explanation.as_str());
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
        tx.commit().await?;
        Ok(counted)
    }

    /// Every counted assessment with its effective sentiment.
    pub async fn counted(&self) -> Result<Vec<Counted>, StoreError> {
        let rows = sqlx::query(
            "SELECT entity, media_type, sentiment, COALESCE(override_sentiment, sentiment) AS eff, \
             event_time FROM assessments",
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

    /// Stores one survey response; `Ok(false)` when the respondent id is
    /// already stored (a duplicate is never counted twice).
    pub async fn insert_survey_response(
        &self,
        r: &pantau_survey::Response,
        source: &str,
    ) -> Result<bool, StoreError> {
        let a = |i: usize| r.answers[i].map(i64::from);
        let done = sqlx::query(
            "INSERT INTO survey_responses (respondent_id, unit, response_date, gender, age, education, \
             occupation, u1, u2, u3, u4, u5, u6, u7, u8, u9, source, stored_at) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) \
             ON CONFLICT (respondent_id) DO NOTHING",
        )
        .bind(&r.respondent_id)
        .bind(&r.unit)
        .bind(r.date.format("%Y-%m-%d").to_string())
        .bind(&r.gender)
        .bind(r.age.map(i64::from))
        .bind(&r.education)
        .bind(&r.occupation)
        .bind(a(0))
        .bind(a(1))
        .bind(a(2))
        .bind(a(3))
        .bind(a(4))
        .bind(a(5))
        .bind(a(6))
        .bind(a(7))
        .bind(a(8))
        .bind(source)
        .bind(ms(Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Responses dated in `[from, to)`, optionally for one unit, oldest first.
    pub async fn survey_responses(
        &self,
        unit: Option<&str>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<pantau_survey::Response>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM survey_responses WHERE response_date >= $1 AND response_date < $2 \
             AND ($3 IS NULL OR unit = $3) ORDER BY response_date, respondent_id",
        )
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(to.format("%Y-%m-%d").to_string())
        .bind(unit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let date: String = row.try_get("response_date")?;
                let mut answers = [None; 9];
                for (i, a) in answers.iter_mut().enumerate() {
                    let v: Option<i64> = row.try_get(format!("u{}", i + 1).as_str())?;
                    *a = v.map(|v| v.clamp(0, 255) as u8);
                }
                let age: Option<i64> = row.try_get("age")?;
                Ok(pantau_survey::Response {
                    respondent_id: row.try_get("respondent_id")?,
                    date: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                        .map_err(|e| StoreError::Corrupt(format!("response_date {date:?}: {e}")))?,
                    unit: row.try_get("unit")?,
                    gender: row.try_get("gender")?,
                    age: age.map(|a| a.clamp(0, 255) as u8),
                    education: row.try_get("education")?,
                    occupation: row.try_get("occupation")?,
                    answers,
                })
            })
            .collect()
    }

    /// Responses stored per unit, all time.
    pub async fn survey_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT unit, COUNT(*) AS n FROM survey_responses GROUP BY unit ORDER BY unit",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("unit")?, r.try_get("n")?)))
            .collect()
    }

    /// The assessments of `entity` with event time in `[from_ms, to_ms)`,
    /// joined with their articles, for reports.
    pub async fn report_rows(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.outlet, a.title, a.url, s.media_type, s.sentiment, \
             COALESCE(s.override_sentiment, s.sentiment) AS eff, s.score, s.event_time, s.explanation, \
             s.override_by FROM assessments s JOIN articles a ON a.id = s.article_id \
             WHERE s.entity = $1 AND s.event_time >= $2 AND s.event_time < $3 ORDER BY s.event_time, a.id",
        )
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let by: Option<String> = r.try_get("override_by")?;
                Ok(ReportRow {
                    article_id: r.try_get("id")?,
                    outlet: r.try_get("outlet")?,
                    title: r.try_get("title")?,
                    url: r.try_get("url")?,
                    media_type: parse_col(r, "media_type")?,
                    classified: parse_col(r, "sentiment")?,
                    effective: parse_col(r, "eff")?,
                    overridden: by.is_some(),
                    score: r.try_get("score")?,
                    event_time_ms: r.try_get("event_time")?,
                    explanation: r.try_get("explanation")?,
                })
            })
            .collect()
    }

    /// Records an analyst's override of one assessment, with its audit entry,
    /// in one transaction. `Ok(None)` when the assessment does not exist.
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
        let Some(row) = sqlx::query(
            "SELECT COALESCE(override_sentiment, sentiment) AS eff, event_time FROM assessments \
             WHERE article_id = $1 AND entity = $2",
        )
        .bind(article_id)
        .bind(entity)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let old: Sentiment = parse_col(&row, "eff")?;
        let event_time_ms: i64 = row.try_get("event_time")?;
        sqlx::query(
            "UPDATE assessments SET override_sentiment = $1, override_by = $2, override_at = $3, \
             override_reason = $4 WHERE article_id = $5 AND entity = $6",
        )
        .bind(sentiment.as_str())
        .bind(by)
        .bind(ms(at))
        .bind(reason)
        .bind(article_id)
        .bind(entity)
        .execute(&mut *tx)
        .await?;
        let entry = AuditEntry {
            id: audit_id(),
            article_id: article_id.to_owned(),
            entity: entity.to_owned(),
            at_ms: ms(at),
            by: by.to_owned(),
            old,
            new: sentiment,
            reason: reason.to_owned(),
            event_time_ms,
        };
        sqlx::query(
            "INSERT INTO review_audit (id, article_id, entity, at, by_whom, old_sentiment, new_sentiment, reason) \
             VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        )
        .bind(&entry.id)
        .bind(article_id)
        .bind(entity)
        .bind(entry.at_ms)
        .bind(by)
        .bind(old.as_str())
        .bind(sentiment.as_str())
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(entry))
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
            "SELECT r.*, s.event_time FROM review_audit r JOIN assessments s \
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
                })
            })
            .collect()
    }

    /// Assessments for review, newest first, filtered.
    pub async fn review_list(&self, f: &ReviewFilter) -> Result<Vec<ReviewItem>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, s.entity, a.title, a.outlet, a.url, s.media_type, s.sentiment, \
             COALESCE(s.override_sentiment, s.sentiment) AS eff, s.score, s.event_time, s.override_by \
             FROM assessments s JOIN articles a ON a.id = s.article_id \
             WHERE ($1 = '' OR s.entity = $1) AND ($2 = '' OR COALESCE(s.override_sentiment, s.sentiment) = $2) \
             AND ($3 = '' OR s.media_type = $3) AND s.event_time >= $4 \
             ORDER BY s.event_time DESC, a.id LIMIT $5",
        )
        .bind(f.entity.as_deref().unwrap_or(""))
        .bind(f.sentiment.map_or("", Sentiment::as_str))
        .bind(f.media_type.map_or("", MediaType::as_str))
        .bind(f.since_ms.unwrap_or(i64::MIN))
        .bind(f.limit.max(1))
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

    /// The analysts' corrections as labelled text (headline, summary and
    /// body), for `pantau eval`.
    pub async fn labelled_overrides(&self) -> Result<Vec<(String, Sentiment)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.title, a.summary, a.body, s.override_sentiment FROM assessments s \
             JOIN articles a ON a.id = s.article_id WHERE s.override_sentiment IS NOT NULL ORDER BY a.id, s.entity",
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
                Ok((text, parse_col(r, "override_sentiment")?))
            })
            .collect()
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
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
fn other_keys(a: &RawArticle) -> Vec<String> {
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

/// Reads a text column into a vocabulary type (sentiment, media type).
fn parse_col<T: std::str::FromStr>(r: &AnyRow, col: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    let v: String = r.try_get(col)?;
    v.parse()
        .map_err(|e| StoreError::Corrupt(format!("{col} {v:?}: {e}")))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
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

#[cfg(test)]
mod tests;
