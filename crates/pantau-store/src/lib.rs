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
//!   The same transaction adds them to `assessment_totals`, the
//!   classifier's running totals per entity, media type and sentiment.
//! - the counters' rebuild after a restart: [`Store::classified_totals`]
//!   (those few rows) and [`Store::effective_buckets`] (the windows' counts,
//!   grouped by SQL and streamed); [`Store::counted`] lists every row (tests).
//! - feed state: the cursor (ETag, Last-Modified) and health of each feed.
//!
//! One `impl Store` per domain: `articles` (the write, known ids, counted
//! rows), `feeds`, `review` (overrides, the audit trail), `audit` (the
//! audit samples, their verdicts and tallies), `digest` (the clippings
//! as sent, their deliveries, the new articles they report), `stories`
//! (each article's story, each story's issue, analysts' issue changes),
//! `survey`, `accounts` (staff accounts, API tokens and sign-in sessions,
//! secrets as digests only),
//! `report` (a period's rows), `browse` (the article list).
//!
//! One schema and one set of queries for both backends (sqlx's `Any`
//! driver): SQLite (WAL, `synchronous=FULL`: a commit survives power loss)
//! is the embedded default, PostgreSQL (`postgres://…`) the shared store when
//! the services scale out. Times are Unix milliseconds.

mod accounts;
mod articles;
mod audit;
mod browse;
mod digest;
mod feeds;
mod report;
mod review;
mod sqlite_file;
mod sqlite_write;
mod stories;
mod survey;

pub use accounts::{Account, Credentials, Signed};
pub use articles::Counted;
pub use audit::{NewDraw, SamplePeriod, SampledArticle, VerdictRecorded};
pub use browse::{ArticleDetail, ArticleFilter, ArticleOrder, MatchCount, TEXT_COUNT_CAP};
pub use digest::{Delivery, DeliveryOutcome, NewArticles, NewDigest, StoredDigest};
pub use feeds::FeedState;
pub use report::{Bucketing, ClassifiedTotal, GroupCount, NegativeRow, PeriodCounts};
pub use review::{AuditEntry, ReviewFilter, ReviewItem};
pub use stories::{
    Assignments, IssueAction, IssueChange, IssueRow, KnownStory, StoryArticle, Unassigned,
};

use chrono::{DateTime, Utc};
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
    /// The file at the store's path is not a pantau store; nothing was
    /// written to it.
    #[error("{path}: refused as the store: {reason}")]
    NotAStore {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// SQLite (the writer's own connection) refused or failed.
    #[error("database error: {0}")]
    Sqlite(String),
    /// An override that would change nothing: the assessment already has
    /// this sentiment (a no-op would read as a review in the audit trail).
    #[error("the article is already {0} for this entity: nothing to change")]
    Unchanged(pantau_model::Sentiment),
    /// A confirmation of an assessment someone already reviewed.
    #[error("the article was already reviewed by {by}: correct it with an override instead")]
    AlreadyReviewed {
        /// Who reviewed it.
        by: String,
    },
    /// An account of this name exists.
    #[error("an account named {0:?} exists")]
    AccountExists(String),
    /// A stored value could not be read back.
    #[error("corrupt row: {0}")]
    Corrupt(String),
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
    /// Writes and light reads (feed state, known ids, overrides).
    pub(crate) pool: AnyPool,
    /// Heavy reads (reports, the overview, article lists): connections of
    /// their own, so a burst of them never takes a writer's.
    pub(crate) read: AnyPool,
    /// SQLite only: the database file.
    sqlite_path: Option<std::path::PathBuf>,
    backend: Backend,
    /// SQLite only: the aggregate stage's write connection.
    writer: Option<std::sync::Arc<sqlite_write::SqliteWriter>>,
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
            // Never an empty store in place of a damaged or foreign file.
            if sqlite_file::inspect(&abs)? == sqlite_file::Found::Nothing {
                tracing::info!(path = %abs.display(), "no store there yet: creating a new one");
                sqlite_file::create(&abs)?;
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
            .max_connections(4)
            // A server that refuses is an error at start-up, not after 30 s.
            .acquire_timeout(std::time::Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL + FULL: a commit is on disk before it is acknowledged.
                        for pragma in [
                            // Articles and their explanations are a few KB
                            // each: 16 KiB pages hold them without overflow
                            // chains (set before the first table exists; a
                            // store created before keeps its page size).
                            "PRAGMA page_size = 16384",
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
        let read = AnyPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    let pragmas: &[&str] = match backend {
                        // Readers in WAL mode never block the writer.
                        Backend::Sqlite => {
                            &["PRAGMA busy_timeout = 10000", "PRAGMA query_only = ON"]
                        }
                        Backend::Postgres => &["SET default_transaction_read_only = on"],
                    };
                    for pragma in pragmas {
                        conn.execute(*pragma).await?;
                    }
                    Ok(())
                })
            })
            .connect(&connect_url)
            .await?;
        let sqlite_path = match backend {
            Backend::Sqlite => sqlite_file(&connect_url),
            Backend::Postgres => None,
        };
        let writer = match &sqlite_path {
            Some(path) => Some(std::sync::Arc::new(sqlite_write::SqliteWriter::open(path)?)),
            None => None,
        };
        Ok(Store {
            pool,
            read,
            sqlite_path,
            backend,
            writer,
        })
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

    /// Closes the pools, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
        self.read.close().await;
    }

    /// Checks the store: SQLite's `integrity_check` of the file, or on
    /// PostgreSQL that every migration of this build is applied. Returns
    /// every problem found (none: the store is sound).
    pub async fn check(&self) -> Result<Vec<String>, StoreError> {
        if let Some(path) = &self.sqlite_path {
            let path = path.clone();
            return sqlite_write::blocking(|| sqlite_file::integrity(&path));
        }
        let applied: Vec<i64> = sqlx::query("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("version"))
            .collect::<Result<_, _>>()?;
        Ok(sqlx::migrate!("./migrations")
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .map(|m| format!("migration {} ({}) is not applied", m.version, m.description))
            .collect())
    }

    /// An online backup of an SQLite store into the new file `dest`; its
    /// size in bytes. PostgreSQL stores are backed up with `pg_dump`.
    pub async fn backup(&self, dest: &std::path::Path) -> Result<u64, StoreError> {
        let Some(path) = &self.sqlite_path else {
            return Err(StoreError::Sqlite(
                "a PostgreSQL store is backed up with pg_dump (see the README)".into(),
            ));
        };
        let (path, dest) = (path.clone(), dest.to_owned());
        sqlite_write::blocking(|| sqlite_file::backup(&path, &dest))
    }
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

/// The database file of a `sqlite://path?options` URL; `None` for any
/// other store.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let path = url.strip_prefix("sqlite://")?;
    Some(path.split('?').next().unwrap_or(path).into())
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

#[cfg(test)]
mod tests;
