//! The SQLite file itself: refused at once when it is not a store (never
//! silently replaced by an empty one), checked for integrity, and copied
//! online for a backup.

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

/// The first 16 bytes of every SQLite database file.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What opening finds at the store's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// No file: a new store is created.
    Nothing,
    /// An SQLite database that opens.
    Database,
}

fn refused(path: &Path, why: String) -> StoreError {
    StoreError::NotAStore {
        path: path.display().to_string(),
        reason: why,
    }
}

/// Looks at the file before anything writes to it: an empty file, a file
/// that is not SQLite, or one whose header or schema SQLite cannot read is
/// refused, naming the cause.
///
/// Only SQLite opens the file here. A descriptor of our own, once closed,
/// would drop every POSIX lock this process's SQLite connections hold on it.
pub(crate) fn inspect(path: &Path) -> Result<Found, StoreError> {
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => return Err(refused(path, format!("cannot be read: {e}"))),
    };
    if len == 0 {
        return Err(refused(
            path,
            "the file is empty (0 bytes), not a pantau store; restore it from a backup, \
             or move it away to start a new store"
                .into(),
        ));
    }
    // Reading the schema finds a foreign or damaged file now, not after a
    // connection pool has waited for it.
    let checked =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).and_then(|conn| {
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
        });
    match checked {
        Ok(_) => Ok(Found::Database),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            let head = first_bytes(path);
            Err(refused(
                path,
                if head.as_slice() == MAGIC {
                    format!("the database is damaged: {e}; restore the store from a backup")
                } else {
                    format!(
                        "not an SQLite database (it begins {}); restore the store from a backup",
                        printable(&head)
                    )
                },
            ))
        }
        Err(e) => Err(refused(path, format!("the database is damaged: {e}"))),
    }
}

/// The file's first 16 bytes (SQLite's magic when it is one). Only read for
/// a file SQLite refused, which it therefore holds no lock on.
fn first_bytes(path: &Path) -> Vec<u8> {
    let mut head = [0u8; 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].to_vec()
}

/// Bytes as a quoted string, unprintable ones as dots.
fn printable(bytes: &[u8]) -> String {
    let shown: String = bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        })
        .collect();
    format!("{shown:?}")
}

/// Creates a new, empty store file at `path` whole or not at all: the
/// database is made under a temporary name with its page size and WAL mode
/// set, then linked into place. An empty file at the store's path can
/// therefore only come from outside — a truncation, a failed copy — and is
/// refused; a second process creating the same store at the same moment
/// finds the first one's file and uses it.
pub(crate) fn create(path: &Path) -> Result<(), StoreError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = path.with_file_name(format!(".{name}.new-{}-{nanos}", std::process::id()));
    let made = (|| -> Result<(), rusqlite::Error> {
        let conn = Connection::open(&tmp)?;
        // Articles and their explanations are a few KB each: 16 KiB pages
        // hold them without overflow chains. WAL writes the first page.
        conn.execute_batch("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;")?;
        conn.close().map_err(|(_, e)| e)
    })();
    let linked =
        made.map_err(StoreError::from)
            .and_then(|()| match std::fs::hard_link(&tmp, path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                Err(e) => Err(refused(path, format!("cannot create the store file: {e}"))),
            });
    let _ = std::fs::remove_file(&tmp);
    linked
}

/// SQLite's `integrity_check`: `Ok(())`, or every problem it reports.
pub(crate) fn integrity(path: &Path) -> Result<Vec<String>, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows.into_iter().filter(|r| r != "ok").collect())
}

/// Copies the live database to `dest` with SQLite's online backup: writers
/// go on meanwhile, and the copy is one consistent moment of the store.
pub(crate) fn backup(path: &Path, dest: &Path) -> Result<u64, StoreError> {
    if dest.exists() {
        return Err(StoreError::Sqlite(format!(
            "{} exists already: choose a new file for the backup",
            dest.display()
        )));
    }
    let src = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut dst = Connection::open(dest)?;
    let backup = rusqlite::backup::Backup::new(&src, &mut dst)?;
    backup.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
    drop(backup);
    Ok(std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
}
