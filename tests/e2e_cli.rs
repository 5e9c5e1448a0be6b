//! The command line's manners: output piped into `head` ends quietly, a
//! read of a store that does not exist is refused instead of printing
//! zeros, and an import with rejected lines exits non-zero after storing
//! the rest.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

mod common;
use common::{store_config, BIN};

#[test]
fn output_piped_into_a_reader_that_stops_ends_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = store_config(dir.path(), "");
    let mut child = Command::new(BIN)
        .arg("-c")
        .arg(&cfg)
        .args(["classify-text", "--stdin", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        for i in 0..50_000 {
            // The child may be gone: a closed pipe ends the feeding.
            if writeln!(stdin, "Kemensos salurkan bansos ke warga nomor {i}").is_err() {
                break;
            }
        }
    });
    // Read one line, as `| head -1` would, and go away.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{'), "{first}");
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(
        out.status.code(),
        Some(101),
        "a panic's exit code: {stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
    }
}

#[test]
fn reading_a_store_that_does_not_exist_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = store_config(dir.path(), "");
    let db = dir.path().join("data/pantau.db");
    for args in [
        &["report", "--period", "2026-11"][..],
        &["review", "list"],
        &["audit", "show", "--period", "2026-11"],
        &["store", "check"],
        &["survey", "report", "--period", "2026"],
    ] {
        let out = Command::new(BIN)
            .arg("-c")
            .arg(&cfg)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("does not exist"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?} printed a result");
        assert!(!db.exists(), "{args:?} created {}", db.display());
    }
}

#[test]
fn an_import_with_rejected_lines_stores_the_rest_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = store_config(dir.path(), "");
    let file = dir.path().join("kliping.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"media_type":"cetak","outlet":"Harian Nusantara","title":"Kemensos salurkan bantuan banjir","published":"2026-05-02"}"#,
            r#"{"media_type":"koran","outlet":"","title":"Kemensos","published":"kemarin"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("-c")
        .arg(&cfg)
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // Every problem of the line, not the first only.
    let line = stderr
        .lines()
        .find(|l| l.contains("kliping.jsonl:2: rejected"))
        .unwrap_or_else(|| panic!("{stderr}"));
    for field in ["media_type", "outlet", "published"] {
        assert!(line.contains(field), "{field} missing: {line}");
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 stored"));
    // The good line is in the store: the report counts it.
    let report = Command::new(BIN)
        .arg("-c")
        .arg(&cfg)
        .args(["report", "--period", "2026-05", "--format", "json"])
        .output()
        .unwrap();
    assert!(report.status.success());
    let r: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(r["summary"]["total"], 1);
}
