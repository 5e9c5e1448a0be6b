//! The demo feeds through three processes over a real Apache Kafka broker:
//! `pantau ingest` → `pantau classify` → `pantau aggregate`, with counts in
//! the aggregate's `/metrics` exactly as `demo/expected.jsonl` says.
//! `scripts/kafka.sh start` runs Kafka 4.1 in KRaft mode (jars from Maven
//! Central, cached outside the repo); `make test` stops it at the end.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{demo_config, free_port, get, repo, Proc, BIN};

fn broker() -> String {
    let out = Command::new("bash")
        .arg(repo().join("scripts/kafka.sh"))
        .arg("start")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scripts/kafka.sh start failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .to_owned()
}

fn articles(metrics: &str) -> BTreeMap<(String, String), f64> {
    let mut out = BTreeMap::new();
    for line in metrics
        .lines()
        .filter(|l| l.starts_with("pantau_articles_total{"))
    {
        let (labels, v) = line.rsplit_once(' ').unwrap();
        let v: f64 = v.parse().unwrap();
        if v == 0.0 {
            continue;
        }
        let get = |k: &str| {
            let at = labels.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            labels[at..].split('"').next().unwrap().to_owned()
        };
        out.insert((get("media_type"), get("sentiment")), v);
    }
    out
}

#[test]
fn demo_through_three_services_over_kafka() {
    let bootstrap = broker();
    let tmp = tempfile::tempdir().unwrap();
    let root = repo();
    let feed_port = free_port();
    let _feeds = Proc(
        Command::new(BIN)
            .args([
                "demo-server",
                "--dir",
                root.join("demo/feeds").to_str().unwrap(),
                "--listen",
                &format!("127.0.0.1:{feed_port}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Fresh topics and groups for this run: the broker's data outlives tests.
    let run = format!(
        "{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos() % 100_000
    );
    let mut cfg = demo_config(&tmp.path().join("data"), feed_port);
    cfg.push_str(&format!(
        "\n[kafka]\nbrokers = \"{bootstrap}\"\nraw_topic = \"t{run}.raw\"\nscored_topic = \"t{run}.scored\"\n\
         partitions = 3\nclassify_group = \"c{run}\"\naggregate_group = \"a{run}\"\n"
    ));
    let cfg_path = tmp.path().join("pantau.toml");
    std::fs::write(&cfg_path, cfg).unwrap();

    let mut procs = Vec::new();
    let mut ports = BTreeMap::new();
    for service in ["aggregate", "classify", "ingest"] {
        let port = free_port();
        ports.insert(service, port);
        let log = std::fs::File::create(tmp.path().join(format!("{service}.log"))).unwrap();
        procs.push(Proc(
            Command::new(BIN)
                .args([service, "--config", cfg_path.to_str().unwrap()])
                .env("PANTAU__HTTP__LISTEN", format!("127.0.0.1:{port}"))
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap(),
        ));
    }

    // Expected counts from the recorded expectations.
    let mut want: BTreeMap<(String, String), f64> = BTreeMap::new();
    for line in std::fs::read_to_string(root.join("demo/expected.jsonl"))
        .unwrap()
        .lines()
    {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        if e.get("duplicate_of").is_none() && e["relevant"] == true {
            *want
                .entry((
                    e["media_type"].as_str().unwrap().to_owned(),
                    e["sentiment"].as_str().unwrap().to_owned(),
                ))
                .or_default() += 1.0;
        }
    }
    let total: f64 = want.values().sum();
    let url = format!("http://127.0.0.1:{}/metrics", ports["aggregate"]);
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut got = BTreeMap::new();
    while Instant::now() < deadline {
        if let Some((_, m)) = get(&url) {
            got = articles(&m);
            if got.values().sum::<f64>() >= total {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    // Stragglers would show as double counts: look again a little later.
    std::thread::sleep(Duration::from_secs(2));
    if let Some((_, m)) = get(&url) {
        got = articles(&m);
    }
    let logs: String = ["ingest", "classify", "aggregate"]
        .iter()
        .map(|s| std::fs::read_to_string(tmp.path().join(format!("{s}.log"))).unwrap_or_default())
        .collect();
    assert_eq!(
        got, want,
        "aggregate's counts over Kafka differ from demo/expected.jsonl\n{logs}"
    );
    for (service, port) in &ports {
        let ready = get(&format!("http://127.0.0.1:{port}/readyz"))
            .map(|r| r.1)
            .unwrap_or_default();
        assert_eq!(ready.trim(), "ready", "{service} not ready");
    }
    // SIGTERM: every service drains and exits cleanly.
    for p in &mut procs {
        Command::new("kill")
            .args(["-TERM", &p.0.id().to_string()])
            .status()
            .unwrap();
    }
    for (p, name) in procs.iter_mut().zip(["aggregate", "classify", "ingest"]) {
        let status = p.0.wait().unwrap();
        assert!(status.success(), "{name} exited with {status}");
    }
}
