//! End-to-end alerting with the real tools: pantau on the demo feeds with a
//! target the demo's negative share exceeds → Prometheus (Debian's package)
//! scrapes it and evaluates deploy/prometheus/rules → the alert fires →
//! Alertmanager (Debian's package) with deploy/alertmanager routing delivers
//! to a webhook inside this test, which checks the payload. Then positive
//! coverage arrives, the share drops below target, and the resolved
//! notification arrives. On the way, every PromQL expression of the Grafana
//! dashboard runs against this Prometheus.
//!
//! Only timings are shortened for the test (`for:`, scrape, group waits);
//! the expressions, labels, annotations and routes are the shipped ones.
//! `make test` installs the packages (scripts/monitoring.sh install).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Datelike;

mod common;
use common::{free_port, get, repo, Proc, BIN};

fn spawn(program: &str, args: &[String], log: &Path) -> Proc {
    let out = std::fs::File::create(log).unwrap();
    let child = Command::new(program)
        .args(args)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {program} ({e}): run `scripts/monitoring.sh install` (make test does)"));
    Proc(child)
}

/// The body of a successful GET.
fn get_ok(url: &str) -> Option<String> {
    get(url)
        .filter(|(s, _)| (200..300).contains(s))
        .map(|(_, body)| body)
}

fn wait_until<T>(what: &str, within: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(v) = f() {
            return v;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("timed out waiting for {what}");
}

/// Replaces every `key: value` line's value (keeps indentation).
fn set_all(yaml: &str, key: &str, value: &str) -> String {
    yaml.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with(&format!("{key}:")) {
                format!("{}{key}: {value}", &l[..l.len() - t.len()])
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A webhook receiver: every POST body, as JSON.
fn webhook() -> (
    u16,
    Arc<Mutex<Vec<serde_json::Value>>>,
    std::thread::JoinHandle<()>,
) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut len = 0usize;
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            if reader.read_exact(&mut body).is_ok() {
                if let Ok(v) = serde_json::from_slice(&body) {
                    sink.lock().unwrap().push(v);
                }
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (port, got, handle)
}

fn find_notification(
    got: &Mutex<Vec<serde_json::Value>>,
    status: &str,
) -> Option<serde_json::Value> {
    got.lock().unwrap().iter().find_map(|n| {
        n["alerts"].as_array()?.iter().find_map(|a| {
            (a["labels"]["alertname"] == "PantauNegativeAboveTarget"
                && a["labels"]["entity"] == "kemensos"
                && a["status"] == status)
                .then(|| a.clone())
        })
    })
}

#[test]
fn negative_share_above_target_pages_and_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repo();
    let year = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .year();

    // The demo feeds, plus an (at first missing) feed of positive coverage.
    let feeds = tmp.path().join("feeds");
    std::fs::create_dir_all(&feeds).unwrap();
    for f in std::fs::read_dir(root.join("demo/feeds")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, feeds.join(f.file_name().unwrap())).unwrap();
    }
    let feed_port = free_port();
    let _feeds = spawn(
        BIN,
        &[
            "demo-server".into(),
            "--dir".into(),
            feeds.display().to_string(),
            "--listen".into(),
            format!("127.0.0.1:{feed_port}"),
        ],
        &tmp.path().join("feeds.log"),
    );

    // kemensos with a 10 % target: the demo's ~24 % negative share exceeds it.
    let entities = tmp.path().join("entities");
    std::fs::create_dir_all(&entities).unwrap();
    let entity = std::fs::read_to_string(root.join("config/entities/kemensos.toml")).unwrap();
    let entity: String = entity
        .lines()
        .filter(|l| !l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("[targets]", &format!("[targets]\n{year} = 10.0"));
    std::fs::write(entities.join("kemensos.toml"), entity).unwrap();

    let pantau_port = free_port();
    let base = format!("http://127.0.0.1:{feed_port}/feeds");
    let mut cfg = format!(
        "data_dir = {:?}\nentities_dir = {:?}\nlexicon_dir = {:?}\n[http]\nlisten = \"127.0.0.1:{pantau_port}\"\n\
         [ingest]\ndefault_interval = \"1s\"\nmin_interval = \"1s\"\nmax_interval = \"2s\"\ntimeout = \"5s\"\nconnect_timeout = \"1s\"\n",
        tmp.path().join("data").display().to_string(),
        entities.display().to_string(),
        root.join("config/lexicon").display().to_string(),
    );
    for (id, file, media) in [
        ("warta-nusantara", "warta-nusantara.xml", "online"),
        ("kabar-harian", "kabar-harian.atom", "online"),
        ("portal-rakyat", "portal-rakyat.json", "online"),
        ("suara-publik-tv", "suara-publik-tv.xml", "tv"),
        ("radio-swara", "radio-swara.xml", "radio"),
        ("kabar-baik", "kabar-baik.xml", "online"),
    ] {
        cfg.push_str(&format!(
            "[[feeds]]\nid = \"{id}\"\nurl = \"{base}/{file}\"\nmedia_type = \"{media}\"\n"
        ));
    }
    let cfg_path = tmp.path().join("pantau.toml");
    std::fs::write(&cfg_path, cfg).unwrap();
    let _pantau = spawn(
        BIN,
        &[
            "run".into(),
            "--config".into(),
            cfg_path.display().to_string(),
        ],
        &tmp.path().join("pantau.log"),
    );

    // Alertmanager with the shipped routing, receivers pointed at this test.
    let (hook_port, notifications, _hook) = webhook();
    let am_port = free_port();
    let am = std::fs::read_to_string(root.join("deploy/alertmanager/alertmanager.yml")).unwrap();
    let am = am.replace(
        "http://127.0.0.1:9095/alerts",
        &format!("http://127.0.0.1:{hook_port}/alerts"),
    );
    let am = set_all(
        &set_all(&set_all(&am, "group_wait", "1s"), "group_interval", "1s"),
        "repeat_interval",
        "1h",
    );
    let am = am.replace(
        "templates/",
        &format!("{}/", root.join("deploy/alertmanager/templates").display()),
    );
    let am_cfg = tmp.path().join("alertmanager.yml");
    std::fs::write(&am_cfg, am).unwrap();
    let _am = spawn(
        "prometheus-alertmanager",
        &[
            format!("--config.file={}", am_cfg.display()),
            format!("--storage.path={}", tmp.path().join("am").display()),
            format!("--web.listen-address=127.0.0.1:{am_port}"),
            "--cluster.listen-address=".into(),
        ],
        &tmp.path().join("alertmanager.log"),
    );

    // Prometheus with the shipped rules, `for:` shortened.
    let rules =
        std::fs::read_to_string(root.join("deploy/prometheus/rules/pantau.rules.yml")).unwrap();
    std::fs::write(tmp.path().join("rules.yml"), set_all(&rules, "for", "2s")).unwrap();
    let prom_port = free_port();
    std::fs::write(
        tmp.path().join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [rules.yml]\n\
             alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:{am_port}']\n\
             scrape_configs:\n  - job_name: pantau\n    static_configs:\n      - targets: ['127.0.0.1:{pantau_port}']\n"
        ),
    )
    .unwrap();
    let _prom = spawn(
        "prometheus",
        &[
            format!(
                "--config.file={}",
                tmp.path().join("prometheus.yml").display()
            ),
            format!("--storage.tsdb.path={}", tmp.path().join("tsdb").display()),
            format!("--web.listen-address=127.0.0.1:{prom_port}"),
        ],
        &tmp.path().join("prometheus.log"),
    );

    // 1. The alert fires and arrives with entity, window, value and target.
    let firing = wait_until("the firing notification", Duration::from_secs(90), || {
        find_notification(&notifications, "firing")
    });
    let window = firing["labels"]["window"].as_str().unwrap().to_owned();
    assert!(
        ["24h", "7d", "30d", "month", "quarter", "year"].contains(&window.as_str()),
        "{firing}"
    );
    assert_eq!(firing["annotations"]["target"], "10%", "{firing}");
    let value = firing["annotations"]["value"].as_str().unwrap();
    let pct: f64 = value.trim_end_matches('%').parse().unwrap();
    assert!(pct > 10.0 && pct < 100.0, "{firing}");
    assert!(
        firing["annotations"]["summary_id"]
            .as_str()
            .unwrap()
            .contains("melampaui target"),
        "{firing}"
    );
    assert!(
        firing["annotations"]["summary_en"]
            .as_str()
            .unwrap()
            .contains("above the target"),
        "{firing}"
    );

    // 2. Every dashboard expression parses and runs; the core panels have data.
    let prom = format!("http://127.0.0.1:{prom_port}");
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("deploy/grafana/dashboards/pantau.json")).unwrap(),
    )
    .unwrap();
    let mut exprs = Vec::new();
    collect_exprs(&dashboard, &mut exprs);
    assert!(exprs.len() >= 20, "{} expressions", exprs.len());
    let mut empty_core = Vec::new();
    for e in &exprs {
        let q = e
            .replace("$entity", "kemensos")
            .replace("$unit", ".*")
            .replace("$__rate_interval", "1m")
            .replace("$__range", "1h");
        let url = format!("{prom}/api/v1/query?query={}", url_encode(&q));
        let body = get_ok(&url)
            .unwrap_or_else(|| panic!("Prometheus rejected a dashboard expression: {q}"));
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["status"], "success", "{q}: {body}");
        let core = q.contains("pantau_negative_ratio")
            || q.contains("pantau_window_articles")
            || q.contains("pantau_negative_target_ratio");
        if core && v["data"]["result"].as_array().is_none_or(|r| r.is_empty()) {
            empty_core.push(q);
        }
    }
    assert!(
        empty_core.is_empty(),
        "core panels without data: {empty_core:#?}"
    );

    // 3. Positive coverage arrives; the share drops below target; resolved.
    let mut xml = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Kabar Baik</title>",
    );
    for i in 0..150 {
        xml.push_str(&format!(
            "<item><title>Kemensos salurkan bantuan, warga terbantu dan puas ({i})</title>\
             <link>https://kabar-baik.example/{i}</link><pubDate>{{{{rfc2822:-{}m}}}}</pubDate>\
             <description>Warga mengapresiasi bantuan Kemensos yang tepat sasaran dan sangat membantu.</description></item>",
            5 + i
        ));
    }
    xml.push_str("</channel></rss>");
    std::fs::write(feeds.join("kabar-baik.xml"), xml).unwrap();
    let resolved = wait_until("the resolved notification", Duration::from_secs(90), || {
        find_notification(&notifications, "resolved")
    });
    assert_eq!(resolved["labels"]["entity"], "kemensos");
    let kpi = get_ok(&format!(
        "http://127.0.0.1:{pantau_port}/api/v1/kpi?entity=kemensos"
    ))
    .unwrap();
    let kpi: serde_json::Value = serde_json::from_str(&kpi).unwrap();
    for w in kpi[0]["windows"].as_array().unwrap() {
        assert!(w["negative_pct"].as_f64().unwrap() < 10.0, "{w}");
    }
}

fn collect_exprs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k == "expr" {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_owned());
                    }
                } else {
                    collect_exprs(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_exprs(x, out)),
        _ => {}
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
