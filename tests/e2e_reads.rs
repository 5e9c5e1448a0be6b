//! Heavy reads never starve the pipeline: on a store of 200,000 articles,
//! 16 clients at once ask for two years' overview, the year's report and a
//! text search while two feeds (new items on every fetch) and a push every
//! 200 ms keep writing — `pantau-bench reads`, the same run `make bench`
//! times. Latencies are the benchmark's to report; this test checks what
//! must hold whatever the machine's speed.

use std::process::Command;

const BENCH: &str = env!("CARGO_BIN_EXE_pantau-bench");

#[test]
fn heavy_reads_are_shed_and_never_starve_feeds_or_pushes() {
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("reads.json");
    let out = Command::new(BENCH)
        .args(["reads", "200000"])
        .arg(tmp.path().join("store"))
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pantau-bench reads failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    let f: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();

    // Every push stored (201): none waited for a read and gave up with 503.
    assert!(f["pushes"].as_u64().unwrap() >= 10, "{table}");
    assert_eq!(f["push_statuses"], serde_json::json!([201]), "{table}");

    // The feeds kept polling, and no poll failed for want of the store.
    let fetches: std::collections::HashMap<String, f64> =
        serde_json::from_value(f["feed_fetches"].clone()).unwrap();
    assert!(fetches.get("ok").copied().unwrap_or(0.0) >= 2.0, "{table}");
    assert_eq!(fetches.get("store").copied(), Some(0.0), "{table}");

    // Every read answered or shed, each kind answered at least once; the
    // reads over the limit were refused with 503 and told when to retry.
    let mut shed = 0;
    for r in f["reads"].as_array().unwrap() {
        assert_eq!(r["other"], serde_json::json!([]), "{}: {table}", r["path"]);
        assert!(
            r["answered"].as_u64().unwrap() >= 1,
            "{}: {table}",
            r["path"]
        );
        assert_eq!(r["shed"], r["shed_with_retry_after"], "{table}");
        shed += r["shed"].as_u64().unwrap();
    }
    assert!(shed > 0, "16 clients against a limit of 4: {table}");

    // A read's memory does not grow with the store.
    assert!(f["peak_rss_mib"].as_f64().unwrap() < 300.0, "{table}");
}
