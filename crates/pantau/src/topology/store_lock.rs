//! Who may write a SQLite store behind the running service's back.
//!
//! A service that keeps counters (`pantau run`, `pantau aggregate`) holds
//! a shared lock on `<store>.lock` while it runs; `pantau import` takes it
//! exclusively. An import into a store a service is counting would leave
//! the service's counters short of the store until its next restart, so it
//! is refused with the way round it (push to the running service, or stop
//! it); a service that starts during an import waits for it, and then
//! rebuilds its counters with the imported articles in them. The locks are
//! the operating system's (`flock`): a killed process holds none.
//! PostgreSQL stores have no file here: an import into one while services
//! count it is the operator's to avoid (see the README).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use anyhow::Context;
use pantau_config::Config;
use tracing::info;

/// The lock file of the configured SQLite store; `None` for PostgreSQL.
fn lock_path(config: &Config) -> Option<PathBuf> {
    let mut path = pantau_store::sqlite_file(&config.store_url())?.into_os_string();
    path.push(".lock");
    Some(path.into())
}

fn open(path: &PathBuf) -> anyhow::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("opening the lock file {}", path.display()))
}

/// The service's shared lock, held for as long as the returned file lives;
/// waits for an import that holds the store.
pub async fn for_service(config: &Config) -> anyhow::Result<Option<File>> {
    let Some(path) = lock_path(config) else {
        return Ok(None);
    };
    let file = open(&path)?;
    match file.try_lock_shared() {
        Ok(()) => return Ok(Some(file)),
        Err(TryLockError::WouldBlock) => {}
        Err(TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("locking {}", path.display()))
        }
    }
    info!(lock = %path.display(), "an import is writing the store: waiting for it to finish");
    tokio::task::spawn_blocking(move || file.lock_shared().map(|()| file))
        .await?
        .with_context(|| format!("locking {}", path.display()))
        .map(Some)
}

/// The import's exclusive lock, or the error that says a service is running.
pub fn for_import(config: &Config) -> anyhow::Result<Option<File>> {
    let Some(path) = lock_path(config) else {
        return Ok(None);
    };
    let file = open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => anyhow::bail!(
            "pantau is running on this store ({}): its counters would not see the import. \
             Push the items to the running service instead (POST /api/v1/articles, the same \
             fields), or stop it, import, and start it again. \
             (pantau sedang berjalan pada penyimpanan ini: kirim lewat API, atau hentikan dulu.)",
            path.with_extension("").display()
        ),
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("locking {}", path.display()))
        }
    }
}
