//! Non-feed media end to end: the push API (valid, invalid, oversized,
//! unauthenticated, duplicate requests) and `pantau import` of JSONL and
//! CSV files, through the real binary.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{repo, Proc, BIN};

const TOKEN: &str = "push-token-0123456789";

fn config(dir: &Path, port: u16) -> PathBuf {
    let root = repo();
    let text = format!(
        "data_dir = {:?}\nentities_dir = {:?}\nlexicon_dir = {:?}\n[http]\nlisten = \"127.0.0.1:{port}\"\n\
         api_token = \"{TOKEN}\"\nmax_push_bytes = 65536\n",
        dir.join("data").display().to_string(),
        root.join("config/entities").display().to_string(),
        root.join("config/lexicon").display().to_string(),
    );
    let p = dir.join("pantau.toml");
    std::fs::write(&p, text).unwrap();
    p
}

async fn post(url: &str, token: Option<&str>, body: String) -> (u16, serde_json::Value) {
    let mut r = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .timeout(Duration::from_secs(10));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let resp = r.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

async fn total_counted(base: &str) -> f64 {
    let m = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    m.lines()
        .filter(|l| l.starts_with("pantau_articles_total{"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

const CLIPPING: &str = r#"{"media_type":"cetak","outlet":"Harian Nusantara","external_id":"kliping-0042",
  "title":"Warga keluhkan bansos Kemensos yang tidak tepat sasaran",
  "text":"Sejumlah warga mengeluhkan penyaluran bansos Kemensos yang dinilai tidak tepat sasaran dan terlambat.",
  "published":"2026-05-02"}"#;
const TV: &str = r#"{"media_type":"elektronik","outlet":"TV Nusantara","title":"Mensos apresiasi relawan",
  "text":"Menteri Sosial mengapresiasi relawan yang membantu warga terdampak banjir. Bantuan tersalurkan dengan cepat.",
  "published":"2026-05-03T19:00:00+07:00"}"#;
const RADIO: &str = r#"{"media_type":"radio","outlet":"Radio Kota","title":"Cuaca cerah akhir pekan",
  "text":"Prakiraan cuaca menyebut langit cerah sepanjang akhir pekan.","published":"2026-05-03"}"#;

#[tokio::test(flavor = "multi_thread")]
async fn push_api_validates_authenticates_and_stores_once() {
    let tmp = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = config(tmp.path(), port);
    let log = std::fs::File::create(tmp.path().join("run.log")).unwrap();
    // systemd's notify socket, as a Type=notify unit with WatchdogSec=0.4s has.
    let notify_path = tmp.path().join("notify.sock");
    let notify = std::os::unix::net::UnixDatagram::bind(&notify_path).unwrap();
    notify
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let _p = Proc(
        Command::new(BIN)
            .args(["run", "--config", cfg.to_str().unwrap()])
            .env("NOTIFY_SOCKET", &notify_path)
            .env("WATCHDOG_USEC", "400000")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while reqwest::get(format!("{base}/readyz"))
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
        != 200
    {
        assert!(Instant::now() < deadline, "pantau did not get ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // systemd hears READY=1 once, then the watchdog's pings.
    let mut heard = Vec::new();
    let mut buf = [0u8; 512];
    while !heard.iter().any(|m: &String| m.contains("WATCHDOG=1")) {
        let n = notify.recv(&mut buf).expect("a notification within 20 s");
        heard.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    assert!(heard[0].contains("READY=1"), "{heard:?}");

    // The container health check: ready here, no answer where nothing listens.
    let health = |url: &str| {
        Command::new(BIN)
            .args(["health", "--config", cfg.to_str().unwrap(), "--url", url])
            .output()
            .unwrap()
    };
    let ready = health(&base);
    assert!(ready.status.success(), "{ready:?}");
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nobody = health(&format!("http://127.0.0.1:{closed}"));
    assert_eq!(nobody.status.code(), Some(1), "{nobody:?}");
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("tidak menjawab"));
    // An import behind the running service's back is refused, nothing stored.
    let file = tmp.path().join("kliping.jsonl");
    std::fs::write(&file, format!("{}\n", CLIPPING.replace('\n', " "))).unwrap();
    let refused = Command::new(BIN)
        .args([
            "import",
            "--config",
            cfg.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("pantau is running on this store") && said.contains("POST /api/v1/articles"),
        "{said}"
    );
    assert_eq!(total_counted(&base).await, 0.0);

    let url = format!("{base}/api/v1/articles");
    let batch = format!("{{\"items\": [{CLIPPING}, {TV}, {RADIO}]}}");

    // Unauthenticated: 401, nothing stored.
    let (status, _) = post(&url, None, batch.clone()).await;
    assert_eq!(status, 401);
    let (status, _) = post(&url, Some("wrong-token-0123456789"), batch.clone()).await;
    assert_eq!(status, 401);
    assert_eq!(total_counted(&base).await, 0.0);

    // Invalid: 422 with every problem, by item and field; nothing stored.
    let bad = format!(
        "[{CLIPPING}, {{\"media_type\":\"koran\",\"outlet\":\"\",\"title\":\"Kemensos\",\"published\":\"besok\"}}, \
         {{\"media_type\":\"online\",\"outlet\":\"Portal\",\"title\":\"Kemensos\",\"published\":\"2026-05-01\"}}]"
    );
    let (status, body) = post(&url, Some(TOKEN), bad).await;
    assert_eq!(status, 422, "{body}");
    let errors = body["errors"].as_array().unwrap();
    let got: Vec<(u64, &str)> = errors
        .iter()
        .map(|e| (e["index"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (1, "media_type"),
            (1, "outlet"),
            (1, "published"),
            (2, "url")
        ],
        "{body}"
    );
    let (status, body) = post(
        &url,
        Some(TOKEN),
        "{\"items\": [{\"media_type\": 5}]}".into(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["errors"][0].as_str().unwrap().starts_with("items[0]:"),
        "{body}"
    );
    assert_eq!(
        total_counted(&base).await,
        0.0,
        "a rejected request stores nothing"
    );

    // Oversized: 413.
    let huge = format!("{{\"media_type\":\"tv\",\"outlet\":\"X\",\"title\":\"Kemensos\",\"text\":\"{}\",\"published\":\"2026-05-01\"}}", "a".repeat(70_000));
    let (status, _) = post(&url, Some(TOKEN), huge.clone()).await;
    assert_eq!(status, 413);
    // A wrong token is refused before the body is read: 401, not 413.
    let (status, _) = post(&url, Some("wrong-token-wrong-token"), huge).await;
    assert_eq!(status, 401);

    // Valid: stored and counted once; the radio item is not about the ministry.
    let (status, body) = post(&url, Some(TOKEN), batch.clone()).await;
    assert_eq!(status, 201, "{body}");
    let statuses: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["stored", "stored", "not_relevant"]);
    assert_eq!(body["results"][0]["entities"][0], "kemensos");
    assert_eq!(total_counted(&base).await, 2.0);
    let m = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains("pantau_articles_total{entity=\"kemensos\",media_type=\"print\",sentiment=\"negative\"} 1"), "{m}");
    assert!(
        m.contains(
            "pantau_articles_total{entity=\"kemensos\",media_type=\"tv\",sentiment=\"positive\"} 1"
        ),
        "{m}"
    );

    // The same request again: duplicates, nothing counted twice.
    let (status, body) = post(&url, Some(TOKEN), batch).await;
    assert_eq!(status, 200);
    let statuses: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["duplicate", "duplicate", "not_relevant"]);
    assert_eq!(total_counted(&base).await, 2.0);
    // One item alone (not a list) works too; an edited headline with the
    // same outlet id is the same clipping.
    let edited = CLIPPING.replace("Warga keluhkan", "Warga mengeluhkan");
    let (status, body) = post(&url, Some(TOKEN), edited).await;
    assert_eq!(
        (status, body["results"][0]["status"].as_str()),
        (200, Some("duplicate")),
        "{body}"
    );
}

#[test]
fn import_jsonl_and_csv_with_line_numbered_rejections() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(tmp.path(), 0);
    let flat = |s: &str| s.replace('\n', " ");
    let jsonl = [
        flat(CLIPPING),
        flat(TV),
        flat(RADIO),
        "{\"media_type\":\"tv\"".to_owned(),
        r#"{"media_type":"sosmed","outlet":"@kemensosri","title":"Kemensos salurkan bantuan","url":"https://x.example/status/1","published":"2026-05-04"}"#.to_owned(),
        flat(CLIPPING),
        r#"{"media_type":"online","outlet":"Portal","title":"Kemensos","published":"2026-05-01"}"#.to_owned(),
    ]
    .join("\n");
    let file = tmp.path().join("kliping.jsonl");
    std::fs::write(&file, jsonl).unwrap();
    let out = Command::new(BIN)
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "import",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Rejected lines make the exit non-zero; the good ones are stored.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.contains("7 items, 3 stored, 1 duplicates, 1 not relevant, 2 rejected"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("kliping.jsonl:4: rejected: EOF while parsing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("kliping.jsonl:7: rejected: url: required for online and social media"),
        "{stderr}"
    );
    assert!(stderr.contains("7/7 items"), "progress bar: {stderr}");

    let csv = "media_type,outlet,title,text,published,external_id\n\
               radio,RRI,Mensos tinjau lumbung sosial,Menteri Sosial meninjau lumbung sosial.,2026-05-05,rri-1\n\
               tv,,Kemensos,,2026-05-05,\n";
    let file = tmp.path().join("siaran.csv");
    std::fs::write(&file, csv).unwrap();
    let out = Command::new(BIN)
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "import",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("2 items, 1 stored, 0 duplicates, 0 not relevant, 1 rejected"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("siaran.csv:3: rejected: outlet"),
        "{stderr}"
    );

    // The report counts them by media type.
    let out = Command::new(BIN)
        .args([
            "--config",
            cfg.to_str().unwrap(),
            "report",
            "--from",
            "2026-05-01",
            "--to",
            "2026-05-31",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["summary"]["total"], 4);
    let by: std::collections::BTreeMap<String, u64> = r["by_media_type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_owned(),
                s["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        (by["print"], by["tv"], by["radio"], by["social"]),
        (1, 1, 1, 1)
    );
}
