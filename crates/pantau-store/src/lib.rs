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
//! One `impl Store` per domain: `articles` (the write, known ids, counted
//! rows), `feeds`, `review` (overrides, the audit trail), `survey`,
//! `report` (a period's rows), `browse` (the article list).
//!
//! One schema and one set of queries for both backends (sqlx's `Any`
//! driver): SQLite (WAL, `synchronous=FULL`: a commit survives power loss)
//! is the embedded default, PostgreSQL (`postgres://…`) the shared store when
//! the services scale out. Times are Unix milliseconds.

mod articles;
mod browse;
mod feeds;
mod report;
mod review;
mod sqlite_write;
mod survey;

pub use articles::Counted;
pub use browse::{ArticleDetail, ArticleFilter};
pub use feeds::FeedState;
pub use report::ReportRow;
pub use review::{AuditEntry, ReviewFilter, ReviewItem};

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
    /// SQLite (the writer's own connection) refused or failed.
    #[error("database error: {0}")]
    Sqlite(String),
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
    pub(crate) pool: AnyPool,
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
        let writer = match backend {
            Backend::Sqlite => {
                let path = connect_url
                    .strip_prefix("sqlite://")
                    .and_then(|p| p.split('?').next())
                    .unwrap_or_default();
                Some(std::sync::Arc::new(sqlite_write::SqliteWriter::open(
                    std::path::Path::new(path),
                )?))
            }
            Backend::Postgres => None,
        };
        Ok(Store {
            pool,
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

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
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
