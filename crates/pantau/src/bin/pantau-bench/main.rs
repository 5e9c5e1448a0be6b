//! `make bench`: end-to-end throughput of the embedded pipeline — generated
//! raw articles → classify → aggregate → SQLite commit and counters — and the
//! process's peak resident memory.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::{Duration, Utc};
use futures::stream::{FuturesUnordered, StreamExt};
use pantau::classify::Classify;
use pantau::stages::{aggregate, classify};
use pantau::state::AppState;
use pantau_bus::Publisher;
use pantau_model::{ArticleId, MediaType, RawArticle, SCHEMA_VERSION};

const SENTENCES: &[&str] = &[
    "Kementerian Sosial menyalurkan bantuan sosial kepada keluarga penerima manfaat di Kabupaten Tirta.",
    "Warga mengeluhkan pencairan bansos yang terlambat dan data penerima yang tidak tepat sasaran.",
    "Menteri Sosial meninjau dapur umum dan memastikan bantuan logistik tersalurkan dengan cepat.",
    "Pemerintah daerah menggelar rapat koordinasi bersama pendamping sosial untuk memutakhirkan data.",
    "Sejumlah penerima mengaku sangat terbantu karena bantuan meringankan biaya sekolah anak.",
    "Aparat menemukan dugaan pungli dalam penyaluran bantuan dan berjanji menindak tegas pelakunya.",
    "Harga beras di pasar tradisional terpantau stabil menjelang akhir pekan menurut pedagang setempat.",
    "Program Keluarga Harapan tahap ketiga dijadwalkan cair pekan depan bagi jutaan keluarga.",
];

#[cfg(feature = "kafka")]
mod kafka;
mod reads;
mod restart;

/// Generated article `i`: about the ministry, ~`body_bytes` of text varied
/// by index, deterministic.
fn article(i: u64, now: chrono::DateTime<Utc>, body_bytes: usize) -> RawArticle {
    let url = format!("https://bench.example/berita/{i}");
    let mut body = String::with_capacity(body_bytes + 200);
    let mut k = i as usize;
    while body.len() < body_bytes {
        body.push_str(SENTENCES[k % SENTENCES.len()]);
        body.push(' ');
        k = k.wrapping_mul(31).wrapping_add(7);
    }
    RawArticle {
        schema_version: SCHEMA_VERSION,
        id: ArticleId::for_item(Some(&url), None, "bench", ""),
        source: "bench".into(),
        outlet: format!("Outlet {}", i % 20),
        media_type: MediaType::ALL[(i % 5) as usize],
        url: Some(url),
        guid: None,
        title: format!("Kemensos dan bansos: laporan nomor {i}"),
        summary: String::new(),
        body,
        published_at: Some(now - Duration::minutes((i % 50_000) as i64)),
        fetched_at: now,
        relevance: vec![],
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("english") => english(
            args.get(1)
                .map(String::as_str)
                .unwrap_or("../shared/eval/nusax-senti/english/test.csv"),
            args.get(2).map(String::as_str),
        ),
        Some("corpus") => corpus(
            args.get(1)
                .map(String::as_str)
                .unwrap_or("../shared/corpus/feedparser/tests"),
            args.get(2).map(String::as_str),
        ),
        Some("restart") => restart::bench(
            args.get(1)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(1_000_000),
            args.get(2).map(String::as_str),
        ),
        Some("reads") => {
            let json = args
                .iter()
                .position(|a| a == "--json")
                .and_then(|i| args.get(i + 1))
                .map(String::as_str);
            let rest: Vec<&str> = args[1..]
                .iter()
                .map(String::as_str)
                .filter(|a| Some(*a) != json && *a != "--json")
                .collect();
            reads::bench(
                rest.first()
                    .map(|s| s.parse())
                    .transpose()?
                    .unwrap_or(200_000),
                rest.get(1).copied(),
                json,
            )
        }
        Some("pipeline") => pipeline_bench(
            args.get(1)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(200_000),
        ),
        Some("store") => store_bench(
            args.get(1)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(200_000),
        ),
        None => pipeline_bench(200_000),
        #[cfg(feature = "kafka")]
        Some("kafka") => kafka::bench(
            args.get(1)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(100_000),
        ),
        #[cfg(feature = "kafka")]
        Some("kafka-produce") => kafka::produce_cmd(&args[1..]),
        Some(other) => {
            anyhow::bail!("unknown benchmark {other:?}: pipeline [N] | store [N] | restart [N] [DIR] | reads [N] [DIR] [--json FILE] | kafka [N] | kafka-produce CONFIG N [START] [BODY_BYTES] | corpus DIR [FEEDPARSER_JSON] | english FILE [VADER_JSON]")
        }
    }
}

/// Parse + normalise throughput on a directory of feeds, beside Python's
/// feedparser on the same files when its figures are given.
fn corpus(dir: &str, feedparser_json: Option<&str>) -> anyhow::Result<()> {
    fn walk(d: &std::path::Path, out: &mut Vec<Vec<u8>>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(d)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else {
                out.push(std::fs::read(&p)?);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(std::path::Path::new(dir), &mut files).with_context(|| format!("{dir}: cannot read"))?;
    let repeat = 20;
    let bytes: usize = files.iter().map(Vec::len).sum::<usize>() * repeat;
    let now = Utc::now();
    let started = Instant::now();
    let mut items = 0usize;
    for _ in 0..repeat {
        for f in &files {
            if let Ok(p) =
                pantau_ingest::parse_feed_as(f, None, "bench", None, MediaType::Online, now)
            {
                items += p.items.len();
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let rate = (files.len() * repeat) as f64 / secs;
    println!("| parse + normalise | feeds | seconds | feeds/s | MB/s |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| pantau (feed-rs + normalise, Rust) | {} | {secs:.3} | {rate:.0} | {:.1} |",
        files.len() * repeat,
        bytes as f64 / secs / 1e6
    );
    anyhow::ensure!(items > 0, "nothing parsed");
    if let Some(path) = feedparser_json {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let py = v["feeds_per_s"].as_f64().unwrap_or(0.0);
        println!(
            "| feedparser 6.0.11 (Python) | {} | {:.3} | {py:.0} | {:.2} |",
            v["feeds"],
            v["seconds"].as_f64().unwrap_or(0.0),
            v["mb_per_s"].as_f64().unwrap_or(0.0)
        );
        println!();
        println!(
            "pantau / feedparser: {:.0}x the feeds per second",
            rate / py.max(1e-9)
        );
    }
    Ok(())
}

/// pantau's English path (VADER lexicon, whole text) on the same texts as
/// Python's vaderSentiment. With `vader_script` (scripts/bench_vader.py),
/// the two take turns — a vaderSentiment pass, then pantau rounds — and
/// each ratio compares runs a few milliseconds apart: this shared
/// machine's speed drifts by a quarter or more from minute to minute,
/// which would otherwise land on one side only.
fn english(file: &str, vader_script: Option<&str>) -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let classifier = pantau_sentiment::Classifier::load(&root.join("config/lexicon"))?;
    let mut reader =
        csv::Reader::from_path(file).with_context(|| format!("{file}: cannot open"))?;
    let texts: Vec<String> = reader
        .records()
        .map(|r| r.map(|r| r.get(1).unwrap_or("").to_owned()))
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(!texts.is_empty(), "{file}: no texts");
    let bytes_per_text = texts.iter().map(String::len).sum::<usize>() as f64 / texts.len() as f64;
    let input = |text| pantau_sentiment::Input {
        text,
        title_len: 0,
        mentions: &[],
    };
    // A round is 100 passes over the texts (40,000 texts, ~50 ms — about
    // as long as one vaderSentiment pass, so neither side's fastest run
    // gets more chances to fall in a quiet moment), timed on its own. Both
    // ways the pipeline can ask: the verdict alone — what vaderSentiment's
    // polarity_scores returns — and with the explanation.
    const PASSES: usize = 100;
    let round = |explain: bool| -> anyhow::Result<f64> {
        let started = Instant::now();
        let mut english = 0usize;
        for _ in 0..PASSES {
            for t in &texts {
                let language = if explain {
                    let s = classifier.score(input(t));
                    std::hint::black_box(&s.explanation);
                    s.explanation.language == "en"
                } else {
                    std::hint::black_box(classifier.tone(input(t))).language
                        == pantau_sentiment::Language::English
                };
                english += usize::from(language);
            }
        }
        let secs = started.elapsed().as_secs_f64();
        anyhow::ensure!(
            english * 10 >= texts.len() * PASSES * 9,
            "texts were not detected as English"
        );
        Ok((texts.len() * PASSES) as f64 / secs)
    };
    for _ in 0..5 {
        round(false)?; // warm-up: caches, allocator, the stemming memo
    }
    // Paired: each vaderSentiment pass is followed at once by one pantau
    // round of each kind, and the ratio is taken within each pair.
    let mut vader = vader_script
        .map(|script| Vader::start(script, file))
        .transpose()?;
    let pairs = if vader.is_some() { 40 } else { 50 };
    let (mut tone, mut score, mut python) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..pairs {
        if let Some(v) = vader.as_mut() {
            python.push(v.pass()?);
        }
        tone.push(round(false)?);
        score.push(round(true)?);
    }
    println!("| English path | texts timed | texts/s, best | texts/s, median | MB/s, median |");
    println!("|---|---:|---:|---:|---:|");
    let row = |what: &str, rates: &[f64], per_run: usize| {
        let (best, median) = best_and_median(rates);
        println!(
            "| {what} | {} | {best:.0} | {median:.0} | {:.2} |",
            rates.len() * per_run,
            median * bytes_per_text / 1e6
        );
    };
    row("pantau, verdict (`tone`)", &tone, texts.len() * PASSES);
    row(
        "pantau, verdict + explanation (`score`)",
        &score,
        texts.len() * PASSES,
    );
    if !python.is_empty() {
        row("vaderSentiment 3.3.2 (Python)", &python, texts.len());
        let quartiles = |ours: &[f64]| -> [f64; 3] {
            let mut r: Vec<f64> = ours.iter().zip(&python).map(|(o, p)| o / p).collect();
            r.sort_by(f64::total_cmp);
            [1, 2, 3].map(|q| r[(r.len() - 1) * q / 4])
        };
        let [t25, t50, t75] = quartiles(&tone);
        let [s25, s50, s75] = quartiles(&score);
        let best = |rates: &[f64]| best_and_median(rates).0;
        println!();
        println!(
            "pantau / vaderSentiment, texts per second: fastest to fastest {:.0}x \
             ({:.0}x with the explanation); over {} back-to-back pairs, median {t50:.0}x \
             (quartiles {t25:.0}x-{t75:.0}x; with the explanation {s50:.0}x, {s25:.0}x-{s75:.0}x)",
            best(&tone) / best(&python),
            best(&score) / best(&python),
            python.len()
        );
    }
    Ok(())
}

/// Python's vaderSentiment, kept running by scripts/bench_vader.py
/// `--serve`: one pass over the texts on request.
struct Vader {
    child: std::process::Child,
    replies: std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
}

impl Vader {
    fn start(script: &str, file: &str) -> anyhow::Result<Vader> {
        use std::io::BufRead;
        let mut child = std::process::Command::new("python3")
            .args([script, file, "--serve"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run python3 {script}"))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut vader = Vader {
            child,
            replies: std::io::BufReader::new(stdout).lines(),
        };
        let ready = vader.reply(script)?;
        anyhow::ensure!(ready == "ready", "{script}: said {ready:?}, not ready");
        Ok(vader)
    }

    fn reply(&mut self, what: &str) -> anyhow::Result<String> {
        match self.replies.next() {
            Some(line) => Ok(line?),
            None => anyhow::bail!("{what}: vaderSentiment stopped ({:?})", self.child.wait()),
        }
    }

    /// Texts per second of one pass.
    fn pass(&mut self) -> anyhow::Result<f64> {
        use std::io::Write;
        let stdin = self.child.stdin.as_mut().context("no stdin")?;
        writeln!(stdin, "pass")?;
        stdin.flush()?;
        let line = self.reply("pass")?;
        line.trim()
            .parse()
            .with_context(|| format!("vaderSentiment answered {line:?}"))
    }
}

impl Drop for Vader {
    fn drop(&mut self) {
        drop(self.child.stdin.take()); // EOF: the script exits
        let _ = self.child.wait();
    }
}

/// The fastest and the median of some rates.
fn best_and_median(rates: &[f64]) -> (f64, f64) {
    let mut sorted = rates.to_vec();
    sorted.sort_by(f64::total_cmp);
    (
        sorted.last().copied().unwrap_or(0.0),
        sorted.get(sorted.len() / 2).copied().unwrap_or(0.0),
    )
}

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
fn pipeline_bench(n: u64) -> anyhow::Result<()> {
    let mut runs = Vec::new();
    let mut floors = Vec::new();
    for round in 1..=ROUNDS {
        let run = pipeline_once(n)?;
        eprintln!("round {round}: pipeline {:.0}/s", n as f64 / run.seconds);
        runs.push(run);
        floors.extend(floor_rate(n)?);
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
fn store_bench(n: u64) -> anyhow::Result<()> {
    let mut best: Option<(f64, u64)> = None;
    let mut floors = Vec::new();
    for round in 1..=ROUNDS {
        let (seconds, explanation_bytes) = store_once(n)?;
        eprintln!("round {round}: store {:.0}/s", n as f64 / seconds);
        if best.is_none_or(|(s, _)| seconds < s) {
            best = Some((seconds, explanation_bytes));
        }
        floors.extend(floor_rate(n)?);
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
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(n.to_string())
        .output()
        .context("running the SQLite floor (python3)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let floor: f64 = text
        .lines()
        .last()
        .and_then(|l| l.split("= ").nth(1))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|r| r.parse().ok())
        .with_context(|| format!("reading the floor's rate from {text:?}"))?;
    eprintln!("floor: {floor:.0}/s");
    Ok(Some(floor))
}

/// The table of `what` beside the fastest floor round.
fn print_beside_floor(what: &str, rate: f64, floors: &[f64]) {
    println!();
    let Some(floor) = floors.iter().copied().reduce(f64::max) else {
        println!("(../shared/bench/sqlite_floor.py is missing: no floor to compare with)");
        return;
    };
    println!("| store path (fastest round of each) | articles/s |");
    println!("|---|---:|");
    println!("| {what} | {rate:.0} |");
    println!(
        "| SQLite floor: Python sqlite3, 510 per transaction, WAL + FULL ({} rounds: {}) | {floor:.0} |",
        floors.len(),
        floors
            .iter()
            .map(|f| format!("{f:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("| ratio (goal ≥ 0.9) | {:.2} |", rate / floor);
}
