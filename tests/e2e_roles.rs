//! End-to-end: start-up, one path for every role. Secrets stay out of
//! errors; each role serves what it owns (the aggregate service exports the
//! survey index, the classify service serves metrics and health only and
//! keeps no store); `bus.kind` decides what carries `pantau run`; the test
//! helpers hand out ports nothing else will take.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{free_port, get, repo, Proc, BIN, PORTS};

/// A config with one survey unit, a store in `dir/data`, Kafka brokers
/// nobody listens on, and `extra` appended.
fn write_config(dir: &Path, port: u16, extra: &str) -> PathBuf {
    let repo = repo();
    let dead = free_port();
    let text = format!(
        "data_dir = {:?}\nentities_dir = {:?}\nlexicon_dir = {:?}\n[http]\nlisten = \"127.0.0.1:{port}\"\n\
         [kafka]\nbrokers = \"127.0.0.1:{dead}\"\n\
         [[survey.units]]\nid = \"ppid\"\nname = \"Layanan Informasi PPID\"\ntarget = 82.0\n{extra}",
        dir.join("data").display().to_string(),
        repo.join("config/entities").display().to_string(),
        repo.join("config/lexicon").display().to_string(),
    );
    let path = dir.join("pantau.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn spawn(config: &Path, args: &[&str], log: &Path) -> Proc {
    Proc(
        Command::new(BIN)
            .arg("--config")
            .arg(config)
            .args(args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap(),
    )
}

/// Polls `url` until `ok` holds for its (status, body), or panics.
fn wait_for(url: &str, ok: impl Fn(u16, &str) -> bool, what: &str, log: &Path) -> String {
    let started = Instant::now();
    loop {
        if let Some((s, body)) = get(url) {
            if ok(s, &body) {
                return body;
            }
        }
        if started.elapsed() > Duration::from_secs(60) {
            panic!(
                "{what}: not seen at {url} within 60 s\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_store_password_never_reaches_errors_or_logs() {
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), free_port(), "");
    let dead = free_port();
    let url = format!("postgres://pantau:S3cretPassw0rd@127.0.0.1:{dead}/pantau");
    for args in [
        &["run"][..],
        &["report", "--period", "2026"],
        &["review", "list"],
        &["feeds", "status"],
        &["survey", "report", "--period", "2026"],
        &["aggregate"],
    ] {
        let out = Command::new(BIN)
            .arg("--config")
            .arg(&config)
            .args(args)
            .env("PANTAU__STORE__URL", &url)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded without a store");
        assert!(
            stderr.contains("opening the store postgres://pantau:***@127.0.0.1"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stderr.contains("S3cretPassw0rd"),
            "{args:?} leaked it: {stderr}"
        );
    }
    let out = Command::new(BIN)
        .arg("--config")
        .arg(&config)
        .arg("check-config")
        .env("PANTAU__STORE__URL", &url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(!stdout.contains("S3cretPassw0rd"), "{stdout}");
}

#[test]
fn the_aggregate_service_exports_the_survey_index() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_config(tmp.path(), port, "");
    let today = chrono::Utc::now().date_naive();
    let csv = tmp.path().join("survey.csv");
    let mut rows = String::from("respondent_id,date,unit,u1,u2,u3,u4,u5,u6,u7,u8,u9\n");
    for i in 0..5 {
        rows.push_str(&format!("r{i},{today},ppid,4,4,4,4,4,4,4,4,4\n"));
    }
    std::fs::write(&csv, rows).unwrap();
    let out = Command::new(BIN)
        .arg("--config")
        .arg(&config)
        .args(["survey", "import", csv.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The broker is down: the service waits for it, and serves meanwhile.
    let log = tmp.path().join("aggregate.log");
    let _p = spawn(&config, &["aggregate"], &log);
    let m = wait_for(
        &format!("http://127.0.0.1:{port}/metrics"),
        |s, b| s == 200 && b.contains("pantau_ikm_score{unit=\"ppid\"}"),
        "pantau_ikm_score from the aggregate service",
        &log,
    );
    assert!(m.contains("pantau_ikm_score{unit=\"ppid\"} 100"), "{m}");
    assert!(
        m.contains("pantau_survey_respondents_total{unit=\"ppid\"} 5"),
        "{m}"
    );
    let (status, _) = get(&format!("http://127.0.0.1:{port}/readyz")).unwrap();
    assert_eq!(status, 503, "not ready while no broker is reachable");
}

#[test]
fn the_classify_service_keeps_no_store_and_serves_no_api() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_config(tmp.path(), port, "");
    let log = tmp.path().join("classify.log");
    let _p = spawn(&config, &["classify"], &log);
    let base = format!("http://127.0.0.1:{port}");
    wait_for(&format!("{base}/metrics"), |s, _| s == 200, "metrics", &log);
    assert_eq!(get(&format!("{base}/healthz")).unwrap().0, 200);
    for path in ["/api/v1/kpi", "/api/v1/survey/form", "/"] {
        assert_eq!(get(&format!("{base}{path}")).unwrap().0, 404, "{path}");
    }
    // A submission sent to it is refused, not stored where nobody reads it.
    let status = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            reqwest::Client::new()
                .post(format!("{base}/api/v1/survey/responses"))
                .header("content-type", "application/json")
                .body(r#"{"unit":"ppid","answers":[4,4,4,4,4,4,4,4,4]}"#)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    assert_eq!(status, 404);
    let data = tmp.path().join("data");
    let files: Vec<_> = std::fs::read_dir(&data)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        files.is_empty(),
        "classify wrote {files:?} in {}",
        data.display()
    );
}

#[test]
fn bus_kind_kafka_runs_every_stage_over_kafka() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_config(tmp.path(), port, "[bus]\nkind = \"kafka\"\n");
    let log = tmp.path().join("run.log");
    let _p = spawn(&config, &["run"], &log);
    wait_for(
        &format!("http://127.0.0.1:{port}/readyz"),
        |s, _| s == 503,
        "/readyz (not ready without a broker)",
        &log,
    );
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("kafka not ready") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no sign of Kafka in the log:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let m = get(&format!("http://127.0.0.1:{port}/metrics")).unwrap().1;
    assert!(m.contains("pantau_kafka_connected"), "{m}");
}

#[test]
fn test_ports_are_never_given_twice_nor_from_the_ephemeral_range() {
    let ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .map(|s| {
            let v: Vec<u16> = s
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            v[0]..=v[1]
        })
        .unwrap_or(32768..=60999);
    let ports: Vec<u16> = (0..300).map(|_| free_port()).collect();
    let distinct: std::collections::HashSet<_> = ports.iter().collect();
    assert_eq!(distinct.len(), ports.len(), "a port was handed out twice");
    for p in &ports {
        assert!(
            PORTS.contains(p) && !ephemeral.contains(p),
            "{p} is ephemeral"
        );
    }
}

#[test]
fn a_store_file_that_is_not_a_store_is_refused_at_once_naming_the_cause() {
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), free_port(), "");
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = data.join("pantau.db");
    let mut damaged = b"SQLite format 3\0".to_vec();
    damaged.extend(std::iter::repeat_n(0xA5u8, 8192));
    for (content, cause) in [
        (Vec::new(), "the file is empty (0 bytes)"),
        (
            b"id,title\n1,bukan basis data\n".to_vec(),
            "not an SQLite database",
        ),
        (damaged, "damaged"),
    ] {
        std::fs::write(&db, &content).unwrap();
        for args in [&["run"][..], &["report", "--period", "2026"]] {
            let started = Instant::now();
            let out = Command::new(BIN)
                .arg("--config")
                .arg(&config)
                .args(args)
                .output()
                .unwrap();
            let took = started.elapsed();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{args:?} accepted {cause:?}");
            assert!(
                stderr.contains("refused as the store") && stderr.contains(cause),
                "{args:?}: {stderr}"
            );
            assert!(
                stderr.contains(&db.display().to_string()),
                "names the file: {stderr}"
            );
            assert!(
                took < Duration::from_secs(2),
                "{args:?} took {took:?} for {cause:?}"
            );
            // Nothing was written over it.
            assert_eq!(std::fs::read(&db).unwrap(), content, "{cause}");
        }
    }
}

#[test]
fn store_check_and_an_online_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), free_port(), "");
    let pantau = |args: &[&str]| {
        let out = Command::new(BIN)
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let csv = tmp.path().join("s.csv");
    std::fs::write(
        &csv,
        "respondent_id,date,unit,u1,u2,u3,u4,u5,u6,u7,u8,u9\nr1,2026-01-05,ppid,4,4,4,4,4,4,4,4,4\n",
    )
    .unwrap();
    assert!(pantau(&["survey", "import", csv.to_str().unwrap()]).0);
    let (ok, out) = pantau(&["store", "check"]);
    assert!(ok && out.contains(": ok (0 articles)"), "{out}");
    let copy = tmp.path().join("copy.db");
    let (ok, out) = pantau(&["store", "backup", copy.to_str().unwrap()]);
    assert!(ok, "{out}");
    // The copy is a store: it opens, and holds the response.
    let (ok, out) = Command::new(BIN)
        .arg("--config")
        .arg(&config)
        .args(["survey", "report", "--period", "2026"])
        .env("PANTAU__STORE__URL", format!("sqlite://{}", copy.display()))
        .output()
        .map(|o| {
            (
                o.status.success(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
            )
        })
        .unwrap();
    assert!(ok && out.contains("Responden: 1"), "{out}");
    // A backup never overwrites a file.
    let (ok, _) = pantau(&["store", "backup", copy.to_str().unwrap()]);
    assert!(!ok);
}

#[test]
fn check_config_reports_every_error_of_every_file_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("entities")).unwrap();
    std::fs::create_dir_all(dir.join("lexicon/id")).unwrap();
    std::fs::create_dir_all(dir.join("lexicon/en")).unwrap();
    std::fs::write(
        dir.join("entities/k.toml"),
        "name = \"K\"\nnmaes = 1\n[targets]\n20xx = 10.0\n[terms]\nnames = [\"Kemensos\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("lexicon/id/a.tsv"),
        "baik\t2.0\nburuk\tjelek\nlebih\t9\n",
    )
    .unwrap();
    std::fs::write(dir.join("lexicon/en/b.txt"), "good\t1.9\n").unwrap();
    let cfg = dir.join("pantau.toml");
    std::fs::write(
        &cfg,
        "typo_top = 1\n\
         [http]\nlisten = \"nope\"\napi_tokn = \"x\"\n\
         [ingest]\nconcurrency = \"many\"\ntimeout = \"soon\"\n\
         [bus]\ncapacity = 0\n\
         [[feeds]]\nid = \"ok\"\nurl = \"https://a.example/rss\"\n\
         [[feeds]]\nid = \"Bad ID\"\nurl = \"gopher://x\"\nintervall = \"1m\"\n\
         [[survey.units]]\nid = \"ppid\"\nname = \"PPID\"\ntarget = 200\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["check-config", "--config", cfg.to_str().unwrap()])
        .env("PANTAU__HTTP__MAX_PUSH_BYTES", "lots")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "pantau.toml: typo_top",
        "pantau.toml: http.listen",
        "pantau.toml: http.api_tokn:",
        "pantau.toml: ingest.concurrency",
        "pantau.toml: ingest.timeout",
        "pantau.toml: bus.capacity",
        "pantau.toml: feeds[1].intervall",
        "pantau.toml: feeds[1].id",
        "pantau.toml: feeds[1].url",
        "pantau.toml: survey.units[0].target",
        "environment PANTAU__HTTP__MAX_PUSH_BYTES (http.max_push_bytes)",
        "k.toml: nmaes",
        "k.toml: targets.20xx",
        "a.tsv:2: weight \"jelek\" is not a number",
        "a.tsv:3: weight 9 is outside",
    ] {
        assert!(err.contains(want), "{want:?} missing in\n{err}");
    }
    assert!(!err.contains("api_tokn.api_tokn"), "{err}");
    assert!(
        !err.contains("feeds[0]"),
        "the good feed has no error: {err}"
    );
    assert!(err.contains("15 configuration error(s)"), "{err}");
}
