//! The built-in web pages in a real headless Chromium (Debian's package,
//! driven by `playwright-core` from npm; `scripts/browser.sh install` sets
//! both up), against pantau running on the demo feeds:
//! `tests/browser/web.test.mjs` checks that the numbers shown equal the
//! API's, that a review moves the KPI, that a survey response moves the
//! IKM and an invalid one shows its errors, and the accessibility basics.
//! Screenshots of every page land in `target/web-screenshots/`.

use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::{demo_config, demo_feeds, free_port, get, repo, Proc, BIN};

const TOKEN: &str = "web-test-review-token-0123456789";

#[test]
fn dashboard_pages_in_headless_chromium() {
    let root = repo();
    let install = Command::new("bash")
        .arg(root.join("scripts/browser.sh"))
        .arg("install")
        .status()
        .unwrap();
    assert!(install.success(), "scripts/browser.sh install failed");

    let tmp = tempfile::tempdir().unwrap();
    let (_feeds, feed_port) = demo_feeds();
    let cfg_path = tmp.path().join("pantau.toml");
    std::fs::write(&cfg_path, demo_config(&tmp.path().join("data"), feed_port)).unwrap();
    let port = free_port();
    let log = tmp.path().join("pantau.log");
    let log_file = std::fs::File::create(&log).unwrap();
    let _pantau = Proc(
        Command::new(BIN)
            .args(["run", "--config", cfg_path.to_str().unwrap()])
            .env("PANTAU__HTTP__LISTEN", format!("127.0.0.1:{port}"))
            .env("PANTAU__HTTP__API_TOKEN", TOKEN)
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .unwrap(),
    );
    // Every relevant demo article counted before the browser looks.
    let want = std::fs::read_to_string(root.join("demo/expected.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| {
            let e: serde_json::Value = serde_json::from_str(l).unwrap();
            e.get("duplicate_of").is_none() && e["relevant"] == true
        })
        .count();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let total = get(&format!("{base}/api/v1/articles?limit=1"))
            .and_then(|(_, b)| serde_json::from_str::<serde_json::Value>(&b).ok())
            .and_then(|v| v["total"].as_u64())
            .unwrap_or(0);
        if total as usize >= want {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "demo not ingested: {total} of {want}\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(250));
    }

    // An audit sample of the newest article's month, for the Audit mode.
    let newest = get(&format!("{base}/api/v1/articles?limit=1"))
        .and_then(|(_, b)| serde_json::from_str::<serde_json::Value>(&b).ok())
        .and_then(|v| v["items"][0]["event_time"].as_str().map(str::to_owned))
        .expect("the newest article");
    let audit_period = chrono::DateTime::parse_from_rfc3339(&newest)
        .unwrap()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%Y-%m")
        .to_string();
    let drawn = Command::new(BIN)
        .args([
            "audit",
            "draw",
            "--period",
            &audit_period,
            "--size",
            "4",
            "--seed",
            "7",
        ])
        .args(["--config", cfg_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        drawn.status.success(),
        "audit draw: {}",
        String::from_utf8_lossy(&drawn.stderr)
    );

    let shots = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("web-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("bash")
        .arg(root.join("scripts/browser.sh"))
        .arg("run")
        .env("PANTAU_URL", &base)
        .env("PANTAU_TOKEN", TOKEN)
        .env("PANTAU_AUDIT_PERIOD", &audit_period)
        .env("SCREENSHOT_DIR", &shots)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{}\n--- pantau log\n{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(
        stdout.contains(" passed, 0 failed"),
        "no summary line:\n{stdout}"
    );
    for page in [
        "ringkasan",
        "artikel",
        "artikel-review",
        "artikel-audit",
        "isu",
        "laporan",
        "survei",
        "survei-errors",
        "survei-hasil",
    ] {
        let shot = shots.join(format!("{page}.png"));
        let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{} missing or empty", shot.display());
    }
}
