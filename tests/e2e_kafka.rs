//! The services over a real Apache Kafka broker (`scripts/kafka.sh start`:
//! Kafka 4.1 in KRaft mode, jars from Maven Central cached outside the repo;
//! `make test` stops it at the end):
//!
//! - the demo feeds through `pantau ingest` → `pantau classify` →
//!   `pantau aggregate`, counts exactly as `demo/expected.jsonl` says;
//! - 50,000 generated articles with `kill -9` of classify, then of
//!   aggregate, at random points; the broker stopped for 20 s mid-stream;
//!   two classify instances with one killed (a rebalance). Every time the
//!   final counts are exact: nothing lost, nothing counted twice.
//!
//! The tests share one broker and one of them stops it, so they run one at
//! a time (`SERIAL`), each on fresh topics and groups.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod common;
use common::{demo_config, demo_feeds, free_port, get, repo, Proc, BIN};

const BENCH: &str = env!("CARGO_BIN_EXE_pantau-bench");

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

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
    let _serial = serial();
    let bootstrap = broker();
    let tmp = tempfile::tempdir().unwrap();
    let root = repo();
    let (_feeds, feed_port) = demo_feeds();
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

/// A config on fresh topics and groups (the broker's data outlives tests).
fn kafka_config(dir: &Path, bootstrap: &str, partitions: u32) -> PathBuf {
    let run = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_micros()
            % 10_000_000
    );
    let root = repo();
    let cfg = format!(
        "data_dir = {data:?}\nentities_dir = {ent:?}\nlexicon_dir = {lex:?}\n\
         [log]\nlevel = \"info\"\n\
         [kafka]\nbrokers = \"{bootstrap}\"\nraw_topic = \"t{run}.raw\"\nscored_topic = \"t{run}.scored\"\n\
         partitions = {partitions}\nclassify_group = \"c{run}\"\naggregate_group = \"a{run}\"\n",
        data = dir.join("data").display().to_string(),
        ent = root.join("config/entities").display().to_string(),
        lex = root.join("config/lexicon").display().to_string(),
    );
    let path = dir.join("pantau.toml");
    std::fs::write(&path, cfg).unwrap();
    path
}

/// One service process with its port and log file; restartable.
struct Service {
    name: String,
    role: &'static str,
    config: PathBuf,
    port: u16,
    log: PathBuf,
    child: Option<Child>,
}

impl Service {
    fn start(name: &str, role: &'static str, config: &Path) -> Service {
        let mut s = Service {
            name: name.to_owned(),
            role,
            config: config.to_owned(),
            port: free_port(),
            log: config.with_file_name(format!("{name}.log")),
            child: None,
        };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        self.child = Some(
            Command::new(BIN)
                .args([self.role, "--config", self.config.to_str().unwrap()])
                .env("PANTAU__HTTP__LISTEN", format!("127.0.0.1:{}", self.port))
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap(),
        );
    }

    /// `kill -9`: no drain, no commit, no goodbye to the group.
    fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn assert_running(&mut self) {
        let status = self.child.as_mut().unwrap().try_wait().unwrap();
        assert!(
            status.is_none(),
            "{} exited ({status:?}):\n{}",
            self.name,
            self.logs()
        );
    }

    fn logs(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<_> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// SIGTERM and a clean exit.
    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status()
                .unwrap();
            let status = c.wait().unwrap();
            assert!(status.success(), "{} exited with {status}", self.name);
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The generator, publishing `n` articles in the background; its last
/// stdout line is the JSON summary of what it published.
fn produce(config: &Path, n: u64) -> Child {
    Command::new(BENCH)
        .args([
            "kafka-produce",
            config.to_str().unwrap(),
            &n.to_string(),
            "0",
            "600",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The counts the aggregate must reach: `(media_type, sentiment)` → n.
fn produced(child: Child) -> (u64, BTreeMap<(String, String), f64>) {
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "kafka-produce failed");
    let summary: serde_json::Value = serde_json::from_str(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    let want = summary["expected"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let (m, s) = k.split_once('/').unwrap();
            ((m.to_owned(), s.to_owned()), v.as_u64().unwrap() as f64)
        })
        .collect();
    (summary["produced"].as_u64().unwrap(), want)
}

/// The aggregate's counted articles (0 while it is down).
fn counted(aggregate: &Service) -> f64 {
    get(&aggregate.url("/metrics"))
        .map(|(_, m)| articles(&m).values().sum())
        .unwrap_or(0.0)
}

/// Waits until the aggregate has counted at least `n`.
fn wait_counted(aggregate: &Service, n: f64, within: Duration) {
    let deadline = Instant::now() + within;
    while counted(aggregate) < n {
        assert!(
            Instant::now() < deadline,
            "aggregate counted {} of {n} within {within:?}:\n{}",
            counted(aggregate),
            aggregate.logs()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits for the expected total, then looks again a little later (a double
/// count would show up late), and compares every count.
fn assert_exact(
    aggregate: &Service,
    total: u64,
    want: &BTreeMap<(String, String), f64>,
    others: &[&Service],
) {
    let logs = || {
        others
            .iter()
            .map(|s| format!("--- {}\n{}", s.name, s.logs()))
            .collect::<String>()
    };
    let deadline = Instant::now() + Duration::from_secs(300);
    while counted(aggregate) < total as f64 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(250));
    }
    std::thread::sleep(Duration::from_secs(3));
    let got = articles(&get(&aggregate.url("/metrics")).unwrap().1);
    assert_eq!(
        &got,
        want,
        "final counts differ\n{}\n{}",
        aggregate.logs(),
        logs()
    );
    let stored = got.values().sum::<f64>();
    assert_eq!(stored, total as f64);
}

/// Random kill points: fractions of the stream, increasing.
fn kill_points(n: u64, kills: usize) -> Vec<f64> {
    let mut points: Vec<f64> = (0..kills)
        .map(|_| n as f64 * (0.1 + 0.7 * fastrand::f64()))
        .collect();
    points.sort_by(f64::total_cmp);
    points
}

const STREAM: u64 = 50_000;

#[test]
fn classify_killed_mid_stream_loses_nothing_and_counts_once() {
    let _serial = serial();
    let bootstrap = broker();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = kafka_config(tmp.path(), &bootstrap, 3);
    let aggregate = Service::start("aggregate", "aggregate", &cfg);
    let mut classify = Service::start("classify", "classify", &cfg);
    let producer = produce(&cfg, STREAM);
    for at in kill_points(STREAM, 2) {
        wait_counted(&aggregate, at, Duration::from_secs(240));
        classify.kill9();
        std::thread::sleep(Duration::from_millis(fastrand::u64(0..1500)));
        classify.spawn();
    }
    let (total, want) = produced(producer);
    assert_eq!(total, STREAM);
    assert_exact(&aggregate, total, &want, &[&classify]);
}

#[test]
fn aggregate_killed_mid_stream_loses_nothing_and_counts_once() {
    let _serial = serial();
    let bootstrap = broker();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = kafka_config(tmp.path(), &bootstrap, 3);
    let mut aggregate = Service::start("aggregate", "aggregate", &cfg);
    let classify = Service::start("classify", "classify", &cfg);
    let producer = produce(&cfg, STREAM);
    for at in kill_points(STREAM, 2) {
        wait_counted(&aggregate, at, Duration::from_secs(240));
        aggregate.kill9();
        std::thread::sleep(Duration::from_millis(fastrand::u64(0..1500)));
        aggregate.spawn();
    }
    let (total, want) = produced(producer);
    assert_exact(&aggregate, total, &want, &[&classify]);
}

#[test]
fn broker_stopped_for_20_seconds_mid_stream_loses_nothing() {
    let _serial = serial();
    let bootstrap = broker();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = kafka_config(tmp.path(), &bootstrap, 3);
    let n = 30_000;
    let mut aggregate = Service::start("aggregate", "aggregate", &cfg);
    let mut classify = Service::start("classify", "classify", &cfg);
    let producer = produce(&cfg, n);
    wait_counted(
        &aggregate,
        n as f64 * (0.1 + 0.3 * fastrand::f64()),
        Duration::from_secs(240),
    );
    let kafka = repo().join("scripts/kafka.sh");
    assert!(Command::new("bash")
        .arg(&kafka)
        .arg("stop")
        .status()
        .unwrap()
        .success());
    let down = Instant::now();
    let mut said_not_ready = false;
    while down.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(500));
        said_not_ready |= get(&aggregate.url("/readyz")).is_some_and(|(code, _)| code == 503);
        aggregate.assert_running();
        classify.assert_running();
    }
    assert!(
        said_not_ready,
        "aggregate's /readyz never said the broker was gone:\n{}",
        aggregate.logs()
    );
    assert_eq!(
        broker(),
        bootstrap,
        "the broker came back on another address"
    );
    let (total, want) = produced(producer);
    assert_exact(&aggregate, total, &want, &[&classify]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(&aggregate.url("/readyz")).map(|r| r.0) != Some(200) {
        assert!(Instant::now() < deadline, "aggregate not ready again");
        std::thread::sleep(Duration::from_millis(250));
    }
    classify.stop();
    aggregate.stop();
}

#[test]
fn two_classifiers_one_killed_rebalances_and_counts_exact() {
    let _serial = serial();
    let bootstrap = broker();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = kafka_config(tmp.path(), &bootstrap, 4);
    let n = 30_000;
    let aggregate = Service::start("aggregate", "aggregate", &cfg);
    let mut first = Service::start("classify-1", "classify", &cfg);
    let mut second = Service::start("classify-2", "classify", &cfg);
    let producer = produce(&cfg, n);
    wait_counted(
        &aggregate,
        n as f64 * (0.15 + 0.4 * fastrand::f64()),
        Duration::from_secs(240),
    );
    // Both share the work before one dies: each reports lag for its own
    // partitions only.
    let lagged = |s: &Service| {
        get(&s.url("/metrics")).map_or(0, |(_, m)| {
            m.lines()
                .filter(|l| l.starts_with("pantau_kafka_consumer_lag{"))
                .count()
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while (lagged(&first) == 0 || lagged(&second) == 0) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
    }
    let (l1, l2) = (lagged(&first), lagged(&second));
    assert!(
        l1 > 0 && l2 > 0 && l1 + l2 <= 4,
        "lag series: {l1} + {l2} of 4 partitions"
    );
    first.kill9();
    let (total, want) = produced(producer);
    assert_exact(&aggregate, total, &want, &[&second]);
    second.assert_running();
}
