//! Kafka load: `produce` publishes generated articles to the raw topic the
//! way `pantau ingest` does (relevance attached, keyed by id) and prints
//! what the pipeline must end up counting; `bench` runs `pantau classify`
//! and `pantau aggregate` over a broker and measures throughput and the
//! latency from publish to store commit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::Utc;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::FutureExt;
use pantau::classify::Classify;
use pantau_bus::kafka::{KafkaPublisher, KafkaSettings};
use pantau_bus::Publisher;
use pantau_config::Config;
use pantau_model::RawArticle;

/// Seconds of the steady run not measured.
const WARM_UP_S: f64 = 2.0;

/// What a produce run published: the counts the aggregate must reach.
#[derive(Debug, Default, serde::Serialize)]
pub struct Produced {
    /// Articles published (each relevant to one entity).
    pub produced: u64,
    /// `media_type/sentiment` → articles, by the classifier run here.
    pub expected: BTreeMap<String, u64>,
}

fn load(config: &Path) -> anyhow::Result<Config> {
    pantau_config::load(config).map_err(|e| anyhow::anyhow!("{e}"))
}

fn settings(config: &Config) -> KafkaSettings {
    KafkaSettings {
        brokers: config.kafka.brokers.clone(),
        client_id: format!("{}-bench", config.kafka.client_id),
        options: config.kafka.librdkafka_options.clone(),
        observer: Arc::new(|_| {}),
    }
}

/// Publishes articles `start..start+n` (deterministic by index) to the raw
/// topic, with `body_bytes` of text each; `fetched_at` is the moment of
/// publishing, so the store's `stored_at - fetched_at` is the latency.
pub async fn produce(
    config: &Config,
    start: u64,
    n: u64,
    body_bytes: usize,
    expect: bool,
    rate: Option<f64>,
) -> anyhow::Result<Produced> {
    let classifier = pantau_sentiment::Classifier::load(&config.lexicon_dir).context("lexicons")?;
    let ctx = Classify::new(classifier, &config.entities);
    let k = &config.kafka;
    let settings = settings(config);
    pantau_bus::kafka::ensure_topics(
        &settings,
        &[&k.raw_topic, &k.scored_topic],
        k.partitions,
        k.replication,
    )
    .await?;
    let publisher =
        KafkaPublisher::<RawArticle>::new(&settings, &k.raw_topic, |a| a.id.to_string())?;
    let mut out = Produced::default();
    let mut in_flight = FuturesUnordered::new();
    let mut last_report = Instant::now();
    let began = Instant::now();
    for i in start..start + n {
        if let Some(rate) = rate {
            // Paced: article i - start goes out at (i - start) / rate seconds;
            // deliveries keep being driven while waiting.
            let due = Duration::from_secs_f64((i - start) as f64 / rate);
            while let Some(wait) = due.checked_sub(began.elapsed()) {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => break,
                    Some(r) = in_flight.next(), if !in_flight.is_empty() => {
                        let r: Result<(), pantau_bus::BusError> = r;
                        r.context("publish")?
                    }
                }
            }
        }
        let mut a = super::article(i, Utc::now(), body_bytes);
        a.fetched_at = Utc::now();
        a.relevance = ctx.relevance(&a);
        anyhow::ensure!(
            a.relevance.len() == 1,
            "generated article {i} must be relevant once"
        );
        if expect {
            for s in &ctx.classify(a.clone()).assessments {
                *out.expected
                    .entry(format!(
                        "{}/{}",
                        a.media_type.as_str(),
                        s.sentiment.as_str()
                    ))
                    .or_default() += 1;
            }
        }
        if in_flight.len() >= 5_000 {
            if let Some(r) = in_flight.next().await {
                let r: Result<(), pantau_bus::BusError> = r;
                r.context("publish")?;
            }
        }
        in_flight.push(publisher.publish(a));
        // A publish is handed to the producer when first polled: poll now,
        // so fetched_at is the moment of sending, not of a later batch.
        while let Some(Some(r)) = in_flight.next().now_or_never() {
            r.context("publish")?;
        }
        out.produced += 1;
        if last_report.elapsed() > Duration::from_secs(5) {
            eprintln!("produced {} of {n}", out.produced);
            last_report = Instant::now();
        }
    }
    while let Some(r) = in_flight.next().await {
        r.context("publish")?;
    }
    drop(in_flight);
    publisher.flush(Duration::from_secs(30));
    Ok(out)
}

/// `pantau-bench kafka-produce CONFIG N [START] [BODY_BYTES]`: prints the
/// [`Produced`] summary as one JSON line.
#[tokio::main]
pub async fn produce_cmd(args: &[String]) -> anyhow::Result<()> {
    let [config, n, rest @ ..] = args else {
        bail!("usage: pantau-bench kafka-produce CONFIG N [START] [BODY_BYTES]");
    };
    let config = load(Path::new(config))?;
    let n: u64 = n.parse().context("N")?;
    let start: u64 = rest.first().map(|s| s.parse()).transpose()?.unwrap_or(0);
    let body: usize = rest.get(1).map(|s| s.parse()).transpose()?.unwrap_or(2000);
    let p = produce(&config, start, n, body, true, None).await?;
    println!("{}", serde_json::to_string(&p)?);
    Ok(())
}

struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// `pantau-bench kafka [N]`: the broker from `scripts/kafka.sh start` (or
/// `PANTAU_BENCH_KAFKA`), fresh topics, `pantau classify` and `pantau
/// aggregate` as processes, N generated 2 KB articles published as fast as
/// the producer goes.
#[tokio::main]
pub async fn bench(n: u64) -> anyhow::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let brokers = match std::env::var("PANTAU_BENCH_KAFKA") {
        Ok(b) => b,
        Err(_) => {
            let out = Command::new("bash")
                .arg(root.join("scripts/kafka.sh"))
                .arg("start")
                .stderr(Stdio::inherit())
                .output()
                .context("scripts/kafka.sh start")?;
            anyhow::ensure!(out.status.success(), "scripts/kafka.sh start failed");
            String::from_utf8(out.stdout)?
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_owned()
        }
    };
    let dir = tempfile::tempdir()?;
    let run = format!("bench{}", std::process::id());
    let cfg_path = dir.path().join("pantau.toml");
    std::fs::write(
        &cfg_path,
        format!(
            "data_dir = {data:?}\nentities_dir = {ent:?}\nlexicon_dir = {lex:?}\n\
             [kafka]\nbrokers = {brokers:?}\nraw_topic = \"{run}.raw\"\nscored_topic = \"{run}.scored\"\n\
             partitions = 4\nclassify_group = \"{run}.classify\"\naggregate_group = \"{run}.aggregate\"\n",
            data = dir.path().join("data").display().to_string(),
            ent = root.join("config/entities").display().to_string(),
            lex = root.join("config/lexicon").display().to_string(),
        ),
    )?;
    let config = load(&cfg_path)?;
    let exe: PathBuf = std::env::current_exe()?
        .parent()
        .context("bench binary directory")?
        .join("pantau");
    let mut services = Vec::new();
    for (service, port) in [("aggregate", 19481), ("classify", 19482)] {
        let log = std::fs::File::create(dir.path().join(format!("{service}.log")))?;
        services.push(Service(
            Command::new(&exe)
                .args([
                    service,
                    "--config",
                    cfg_path.to_str().context("UTF-8 path")?,
                ])
                .env("PANTAU__HTTP__LISTEN", format!("127.0.0.1:{port}"))
                .env("PANTAU__LOG__LEVEL", "warn")
                .stdout(log.try_clone()?)
                .stderr(log)
                .spawn()
                .with_context(|| format!("starting {}", exe.display()))?,
        ));
    }
    // The aggregate's store: opened here too, read-only use.
    let store = pantau_store::Store::open(&config.store_url()).await?;
    // Wait until both services are ready (topics created, group joined).
    for port in [19481, 19482] {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ok = reqwest::get(format!("http://127.0.0.1:{port}/readyz"))
                .await
                .is_ok_and(|r| r.status().is_success());
            if ok {
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "service on :{port} not ready");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    // 1. Throughput: n articles as fast as the producer goes.
    let started = Instant::now();
    let produced = produce(&config, 0, n, 2000, false, None).await?;
    let produce_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(produced.produced == n, "produced {}", produced.produced);
    wait_stored(&store, n).await?;
    let flood = store.fetch_and_store_times().await?;
    let first_fetched = flood.iter().map(|t| t.0).min().unwrap_or(0);
    let last_stored = flood.iter().map(|t| t.1).max().unwrap_or(0);
    let flood_s = (last_stored - first_fetched) as f64 / 1000.0;
    let throughput = n as f64 / flood_s.max(1e-3);
    // 2. Latency: a steady stream at half that rate (a flood measures
    // queueing, not the pipeline) for 2 s of warm-up — a new producer's
    // connection and id, the checkpoint of the flood's WAL — then 15 s
    // measured.
    let rate = (throughput / 2.0).max(100.0);
    let paced = (rate * (WARM_UP_S + 15.0)) as u64;
    produce(&config, n, paced, 2000, false, Some(rate)).await?;
    wait_stored(&store, n + paced).await?;
    let steady_times: Vec<(i64, i64)> = store
        .fetch_and_store_times()
        .await?
        .into_iter()
        .filter(|(f, _)| *f > last_stored)
        .collect();
    let steady_from = steady_times.iter().map(|t| t.0).min().unwrap_or(0);
    let measured_from = steady_from + (WARM_UP_S * 1000.0) as i64;
    // Where the tail sits: the p99 of each second of the steady run.
    let mut by_second: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (f, s) in &steady_times {
        by_second
            .entry((f - steady_from) / 1000)
            .or_default()
            .push(s - f);
    }
    let p99_by_second: Vec<i64> = by_second
        .into_values()
        .map(|mut v| {
            v.sort_unstable();
            percentile(&v, 99.0)
        })
        .collect();
    let mut steady: Vec<i64> = steady_times
        .iter()
        .filter(|(f, _)| *f >= measured_from)
        .map(|(f, s)| s - f)
        .collect();
    steady.sort_unstable();
    let mut l: Vec<i64> = flood.iter().map(|(f, s)| s - f).collect();
    l.sort_unstable();
    drop(services);
    println!("| Kafka, 4 partitions: producer → pantau classify → pantau aggregate (SQLite) | articles | seconds | articles/s | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let row = |what: &str, count: usize, secs: f64, lat: &[i64]| {
        println!(
            "| {what} | {count} | {secs:.2} | {:.0} | {} | {} | {} |",
            count as f64 / secs.max(1e-3),
            percentile(lat, 50.0),
            percentile(lat, 99.0),
            lat.last().copied().unwrap_or(0),
        )
    };
    row(
        "as fast as possible (latency includes queueing)",
        n as usize,
        flood_s,
        &l,
    );
    row(
        &format!("steady {rate:.0}/s for 15 s (after {WARM_UP_S} s of warm-up)"),
        steady.len(),
        15.0,
        &steady,
    );
    println!();
    println!("steady run, p99 ms of each second in turn, warm-up included: {p99_by_second:?}");
    println!(
        "producer alone published {n} in {produce_s:.2} s ({:.0}/s); latency = publish (fetched_at) to the aggregate's store commit (stored_at)",
        n as f64 / produce_s
    );
    Ok(())
}

async fn wait_stored(store: &pantau_store::Store, n: u64) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let stored = store.article_count().await? as u64;
        if stored >= n {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "only {stored} of {n} articles stored after 10 minutes"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), 50);
        assert_eq!(percentile(&v, 99.0), 99);
        assert_eq!(percentile(&v, 100.0), 100);
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 50.0), 0);
    }
}
