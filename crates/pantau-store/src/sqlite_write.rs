//! The aggregate stage's write on SQLite, done the way SQLite is fast: one
//! connection of its own (rusqlite, no async bridge), statements prepared
//! once and reused for every row of every batch, one `BEGIN IMMEDIATE`
//! transaction per batch, and no read before a write — a key is inserted
//! and only when it was already there is its owner looked up.
//!
//! The guarantees are the store's: an article and an assessment are
//! inserted at most once (`ON CONFLICT DO NOTHING`), a [`Counted`] comes
//! back only for an assessment this call really inserted, and the commit
//! (WAL, `synchronous = FULL`) happens before the call returns.

use std::path::Path;
use std::sync::Mutex;

use pantau_model::ScoredArticle;
use rusqlite::{params, Connection, OptionalExtension};

use crate::articles::{other_keys, tally, Counted, ADD_TOTAL};
use crate::{ms, StoreError};

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e.to_string())
    }
}

const INSERT_KEY: &str =
    "INSERT INTO article_keys (key, article_id) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING";
const KEY_OWNER: &str = "SELECT article_id FROM article_keys WHERE key = ?1";
const MOVE_KEY: &str = "UPDATE article_keys SET article_id = ?2 WHERE key = ?1";
const INSERT_ARTICLE: &str = "INSERT INTO articles (id, source, outlet, media_type, url, guid, \
    title, summary, body, published_at, fetched_at, stored_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (id) DO NOTHING";
const INSERT_ASSESSMENT: &str = "INSERT INTO assessments (article_id, entity, event_time, \
    media_type, sentiment, score, relevance, explanation, outlet, own_channel) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (article_id, entity) DO NOTHING";

/// The writer's page cache, in KiB (SQLite's negative `cache_size`).
const WRITER_CACHE_KIB: i64 = -32 * 1024;

/// WAL pages the writer lets accumulate before it checkpoints itself: only
/// reached when the checkpointer thread falls behind (16 KiB pages: 256 MiB).
const WRITER_AUTOCHECKPOINT_PAGES: i64 = 16_384;

/// The writer's connection, and the thread that checkpoints behind it.
#[derive(Debug)]
pub(crate) struct SqliteWriter {
    conn: Mutex<Connection>,
    /// A commit's nudge to the checkpointer (it coalesces them).
    committed: std::sync::mpsc::SyncSender<()>,
}

/// Copies committed WAL frames into the database file on a thread of its
/// own, so the writer's commits never wait for a checkpoint (SQLite's
/// default runs one inside the commit that crosses 1,000 pages). A PASSIVE
/// checkpoint takes no lock the writer needs; the writer restarts the WAL
/// from its beginning once every frame has been copied.
fn spawn_checkpointer(
    path: &Path,
    nudges: std::sync::mpsc::Receiver<()>,
) -> Result<(), StoreError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let checkpoint = move || {
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "WAL checkpoint failed; the writer's own takes over");
        }
    };
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            use std::sync::mpsc::RecvTimeoutError;
            loop {
                match nudges.recv_timeout(std::time::Duration::from_secs(5)) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {
                        // Commits that came meanwhile are covered by this one.
                        while nudges.try_recv().is_ok() {}
                        checkpoint();
                    }
                    Err(RecvTimeoutError::Disconnected) => {
                        checkpoint();
                        return;
                    }
                }
            }
        })
        .map_err(|e| StoreError::Sqlite(format!("starting the checkpoint thread: {e}")))?;
    Ok(())
}

impl SqliteWriter {
    /// Opens the (migrated) database file for writing.
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        // WAL + FULL: a commit is on disk before it is acknowledged.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The indexes' pages stay in memory across batches: with SQLite's
        // default 2 MiB a batch's random key inserts read pages back and
        // spill dirty ones to the WAL mid-transaction (the profile's
        // `pagerStress`).
        conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.set_prepared_statement_cache_capacity(16);
        conn.pragma_update(None, "wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES)?;
        let (committed, nudges) = std::sync::mpsc::sync_channel(1);
        spawn_checkpointer(path, nudges)?;
        Ok(SqliteWriter {
            conn: Mutex::new(conn),
            committed,
        })
    }

    /// Inserts a batch in one transaction; see the module docs.
    pub(crate) fn insert_scored(
        &self,
        batch: &[ScoredArticle],
    ) -> Result<Vec<Counted>, StoreError> {
        let now = ms(chrono::Utc::now());
        let mut conn = self.conn.lock().expect("writer lock");
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut counted = Vec::new();
        {
            let mut insert_key = tx.prepare_cached(INSERT_KEY)?;
            let mut key_owner = tx.prepare_cached(KEY_OWNER)?;
            let mut move_key = tx.prepare_cached(MOVE_KEY)?;
            let mut insert_article = tx.prepare_cached(INSERT_ARTICLE)?;
            let mut insert_assessment = tx.prepare_cached(INSERT_ASSESSMENT)?;
            for s in batch {
                let a = &s.article;
                let id = a.id.as_str();
                // Each key is claimed for this article; a key some other
                // article holds already makes this one a copy of it.
                let mut claimed: Vec<String> = Vec::new();
                let mut owner: Option<String> = None;
                for k in other_keys(a) {
                    if insert_key.execute(params![k, id])? == 1 {
                        claimed.push(k);
                        continue;
                    }
                    let held: Option<String> =
                        key_owner.query_row([&k], |r| r.get(0)).optional()?;
                    if let Some(h) = held.filter(|h| h != id) {
                        owner.get_or_insert(h);
                    }
                }
                if let Some(owner) = owner {
                    // The keys this copy claimed belong to the original.
                    for k in &claimed {
                        move_key.execute(params![k, owner])?;
                    }
                    tracing::debug!(article = %a.id, duplicate_of = %owner, "same article under another id");
                    continue;
                }
                insert_article.execute(params![
                    id,
                    a.source,
                    a.outlet,
                    a.media_type.as_str(),
                    a.url,
                    a.guid,
                    a.title,
                    a.summary,
                    a.body,
                    a.published_at.map(ms),
                    ms(a.fetched_at),
                    now,
                ])?;
                let event_time = ms(a.event_time());
                for asm in &s.assessments {
                    let inserted = insert_assessment.execute(params![
                        id,
                        asm.entity.as_str(),
                        event_time,
                        a.media_type.as_str(),
                        asm.sentiment.as_str(),
                        f64::from(asm.score),
                        asm.relevance_reason,
                        asm.explanation.to_stored(),
                        a.outlet,
                        i64::from(a.own_channel),
                    ])?;
                    // Only rows really inserted count: a redelivery counts
                    // nothing, and the entity's own channel is not coverage.
                    if inserted == 1 && !a.own_channel {
                        counted.push(Counted {
                            entity: asm.entity.to_string(),
                            media_type: a.media_type,
                            sentiment: asm.sentiment,
                            effective: asm.sentiment,
                            event_time_ms: event_time,
                        });
                    }
                }
            }
            let mut add_total = tx.prepare_cached(ADD_TOTAL)?;
            for (entity, media, sentiment, n) in tally(&counted) {
                add_total.execute(params![entity, media.as_str(), sentiment.as_str(), n])?;
            }
        }
        tx.commit()?;
        // Full means a nudge is pending already.
        let _ = self.committed.try_send(());
        Ok(counted)
    }
}

/// Runs blocking work without stalling the runtime's other tasks where it
/// can (a multi-threaded runtime hands them to another worker); on a
/// current-thread runtime (tests, tools) it simply runs.
pub(crate) fn blocking<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}
