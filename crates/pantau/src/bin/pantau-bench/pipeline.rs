//! The embedded pipeline and the store stage alone, each beside the
//! SQLite floor (Python's sqlite3 writing the same rows), rounds in turn.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use futures::stream::{FuturesUnordered, StreamExt};
use pantau::classify::Classify;
use pantau::stages::{aggregate, classify};
use pantau::state::AppState;
use pantau_bus::Publisher;
use pantau_model::RawArticle;

use super::{article, peak_rss_kib};

/// Rounds of each side, taken in turn: this machine's speed moves by half
/// from minute to minute, so each side's fastest round is compared, as
/// Python's `timeit` advises.
const ROUNDS: usize = 3;

/// One pass of the embedded pipeline.
struct PipelineRun {
    seconds: f64,
    relevance_s: f64,
    classify_s: f64,
    store_s: f64,
    batches: u64,
}

/// `make bench`'s first table: the embedded pipeline, raw articles to
/// SQLite and counters, beside the SQLite floor, rounds in turn.
pub(crate) fn pipeline_bench(n: u64) -> anyhow::Result<()> {
    let mut runs = Vec::new();
    let mut floors = Vec::new();
    let mut hashed = Vec::new();
    for round in 1..=ROUNDS {
        let run = pipeline_once(n)?;
        eprintln!("round {round}: pipeline {:.0}/s", n as f64 / run.seconds);
        runs.push(run);
        floors.extend(floor_rate(n)?);
        hashed.push(hashed_floor_rate(n)?);
    }
    let best = runs
        .iter()
        .min_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .expect("at least one round");
    let rate = n as f64 / best.seconds;
    println!("| benchmark | articles | seconds | articles/s | peak RSS (MiB) |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| embedded end-to-end (raw → relevance → classify → SQLite + counters), fastest of {ROUNDS} | {n} | {:.2} | {rate:.0} | {:.0} |",
        best.seconds,
        peak_rss_kib().unwrap_or(0) as f64 / 1024.0
    );
    println!();
    let per = |s: f64| s * 1e6 / n as f64;
    println!(
        "busy per article: relevance {:.1} µs (the producer, as ingest), classify {:.1} µs, store commits {:.1} µs ({} batches, {:.0} articles/batch)",
        per(best.relevance_s),
        per(best.classify_s),
        per(best.store_s),
        best.batches,
        n as f64 / best.batches.max(1) as f64
    );
    print_beside_floor(
        "pantau, end to end (relevance, classify, store, counters)",
        rate,
        &floors,
        &hashed,
    );
    Ok(())
}

#[tokio::main]
async fn pipeline_once(n: u64) -> anyhow::Result<PipelineRun> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/pantau.toml");
    let mut config = pantau_config::load(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir = tempfile::tempdir()?;
    config.store.url = Some(format!("sqlite://{}/bench.db", dir.path().display()));
    let store = pantau_store::Store::open(&config.store_url()).await?;
    let classifier = pantau_sentiment::Classifier::load(&config.lexicon_dir).context("lexicons")?;
    let ctx = Arc::new(Classify::new(classifier, &config.entities));
    let cap = config.bus.capacity;
    let batch = config.bus.store_batch;
    let state = Arc::new(AppState::new(config, pantau_metrics::Metrics::new()));

    let (raw_pub, raw_sub) = pantau_bus::embedded::channel::<RawArticle>(cap);
    let (scored_pub, scored_sub) = pantau_bus::embedded::channel(cap);
    let agg = tokio::spawn(aggregate::aggregate(
        scored_sub,
        store.clone(),
        state.clone(),
        batch,
    ));
    let cls = tokio::spawn(classify::classify(
        raw_sub,
        scored_pub,
        ctx.clone(),
        state.clone(),
        cap,
    ));

    let now = Utc::now();
    // Articles are generated on the fly (memory stays the pipeline's own);
    // relevance, ingest's work, is part of the measured time.
    let started = Instant::now();
    let mut in_flight = FuturesUnordered::new();
    let mut failed = 0u64;
    let mut relevance_time = std::time::Duration::ZERO;
    for i in 0..n {
        let mut a = article(i, now, 2000);
        let t = Instant::now();
        a.relevance = ctx.relevance(&a);
        relevance_time += t.elapsed();
        anyhow::ensure!(!a.relevance.is_empty(), "bench articles must be relevant");
        if in_flight.len() >= 2 * cap {
            if let Some(r) = in_flight.next().await {
                failed += u64::from(Result::is_err(&r));
            }
        }
        in_flight.push(raw_pub.publish(a));
    }
    while let Some(r) = in_flight.next().await {
        failed += u64::from(Result::is_err(&r));
    }
    let elapsed = started.elapsed();
    drop(in_flight);
    drop(raw_pub);
    cls.await?;
    agg.await?;
    let stored = store.article_count().await?;
    let counted: u64 = state
        .counters
        .lock()
        .expect("lock")
        .totals()
        .iter()
        .map(|t| t.3)
        .sum();
    anyhow::ensure!(failed == 0, "{failed} publishes failed");
    anyhow::ensure!(
        stored as u64 == n && counted == n,
        "stored {stored}, counted {counted}, expected {n}"
    );
    store.close().await;
    let busy = |stage: &str| {
        let h = state.metrics.stage_latency.with_label_values(&[stage]);
        (h.get_sample_sum(), h.get_sample_count())
    };
    let (classify_s, _) = busy("classify");
    let (store_s, batches) = busy("store");
    Ok(PipelineRun {
        seconds: elapsed.as_secs_f64(),
        relevance_s: relevance_time.as_secs_f64(),
        classify_s,
        store_s,
        batches,
    })
}

/// The store stage alone: the same generated articles, classified before
/// the clock starts, written in the aggregate stage's batches. Only the
/// store's calls are timed: the figure to set beside the SQLite floor.
pub(crate) fn store_bench(n: u64) -> anyhow::Result<()> {
    let mut best: Option<(f64, u64)> = None;
    let mut floors = Vec::new();
    let mut hashed = Vec::new();
    for round in 1..=ROUNDS {
        let (seconds, explanation_bytes) = store_once(n)?;
        eprintln!("round {round}: store {:.0}/s", n as f64 / seconds);
        if best.is_none_or(|(s, _)| seconds < s) {
            best = Some((seconds, explanation_bytes));
        }
        floors.extend(floor_rate(n)?);
        hashed.push(hashed_floor_rate(n)?);
    }
    let (seconds, explanation_bytes) = best.expect("at least one round");
    let rate = n as f64 / seconds;
    println!(
        "| store stage alone, fastest of {ROUNDS} | articles | seconds | articles/s | explanation bytes/article |"
    );
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| SQLite, bus.store_batch per transaction, WAL + FULL | {n} | {seconds:.2} | {rate:.0} | {} |",
        explanation_bytes / n
    );
    print_beside_floor(
        "pantau's store stage alone (same articles, same batches)",
        rate,
        &floors,
        &hashed,
    );
    Ok(())
}

/// One pass of the store alone: seconds inside the store, explanation bytes.
#[tokio::main]
async fn store_once(n: u64) -> anyhow::Result<(f64, u64)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/pantau.toml");
    let mut config = pantau_config::load(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let dir = tempfile::tempdir()?;
    config.store.url = Some(format!("sqlite://{}/bench.db", dir.path().display()));
    let store = pantau_store::Store::open(&config.store_url()).await?;
    let classifier = pantau_sentiment::Classifier::load(&config.lexicon_dir).context("lexicons")?;
    let ctx = Classify::new(classifier, &config.entities);
    let batch = config.bus.store_batch as u64;
    let now = Utc::now();
    let mut in_store = std::time::Duration::ZERO;
    let mut counted = 0;
    let mut explanation_bytes = 0;
    let mut start = 0;
    while start < n {
        let scored: Vec<_> = (start..(start + batch).min(n))
            .map(|i| {
                let mut a = article(i, now, 2000);
                a.relevance = ctx.relevance(&a);
                ctx.classify(a)
            })
            .collect();
        explanation_bytes += scored
            .iter()
            .flat_map(|s| &s.assessments)
            .map(|a| a.explanation.to_stored().len() as u64)
            .sum::<u64>();
        let t = Instant::now();
        counted += store.insert_scored(&scored).await?.len();
        in_store += t.elapsed();
        start += batch;
    }
    anyhow::ensure!(counted as u64 == n, "counted {counted} of {n}");
    store.close().await;
    Ok((in_store.as_secs_f64(), explanation_bytes))
}

/// The store's yardstick: Python's sqlite3 writing as many 2 KB articles
/// with the same durability (`../shared/bench/sqlite_floor.py N`), in
/// rows/s; `None` when the script is not there.
fn floor_rate(n: u64) -> anyhow::Result<Option<f64>> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/bench/sqlite_floor.py");
    if !script.exists() {
        return Ok(None);
    }
    let floor = python_rate(&script, n)?;
    eprintln!("floor: {floor:.0}/s");
    Ok(Some(floor))
}

/// The same floor with content-hash ids (`scripts/sqlite_floor_hashed.py`):
/// what SQLite does when every batch writes into random index leaves, as a
/// deduplicating store's batches must.
fn hashed_floor_rate(n: u64) -> anyhow::Result<f64> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts/sqlite_floor_hashed.py");
    let rate = python_rate(&script, n)?;
    eprintln!("floor with content-hash ids: {rate:.0}/s");
    Ok(rate)
}

/// Runs a floor script with `n` and reads the rows/s of its last line.
fn python_rate(script: &std::path::Path, n: u64) -> anyhow::Result<f64> {
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(n.to_string())
        .output()
        .with_context(|| format!("running {} (python3)", script.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let floor: f64 = text
        .lines()
        .last()
        .and_then(|l| l.split("= ").nth(1))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|r| r.parse().ok())
        .with_context(|| format!("reading the floor's rate from {text:?}"))?;
    Ok(floor)
}

/// The table of `what` beside the fastest floor round, and beside the
/// fastest round of the same floor with content-hash ids.
fn print_beside_floor(what: &str, rate: f64, floors: &[f64], hashed: &[f64]) {
    println!();
    let rounds = |r: &[f64]| {
        r.iter()
            .map(|f| format!("{f:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let hashed_best = hashed.iter().copied().reduce(f64::max).unwrap_or(f64::NAN);
    let Some(floor) = floors.iter().copied().reduce(f64::max) else {
        println!("(../shared/bench/sqlite_floor.py is missing: no floor to compare with)");
        return;
    };
    println!("| store path (fastest round of each) | articles/s |");
    println!("|---|---:|");
    println!("| {what} | {rate:.0} |");
    println!(
        "| SQLite floor: Python sqlite3, 510 per transaction, WAL + FULL, sequential ids ({} rounds: {}) | {floor:.0} |",
        floors.len(),
        rounds(floors)
    );
    println!("| ratio (goal ≥ 0.9) | {:.2} |", rate / floor);
    println!(
        "| the same floor with content-hash ids, as a deduplicating store has (scripts/sqlite_floor_hashed.py; {} rounds: {}) | {hashed_best:.0} |",
        hashed.len(),
        rounds(hashed)
    );
    println!("| ratio to it | {:.2} |", rate / hashed_best);
}
