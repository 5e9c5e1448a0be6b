//! `make bench`: the figures the issues name, each beside its reference in
//! the same run.
//!
//! # Layout
//!
//! - this file: the generated articles, the command line, the feed-parsing
//!   and English-lexicon comparisons (feedparser, vaderSentiment);
//! - `pipeline`: the embedded pipeline and the store stage alone, beside the
//!   SQLite floor;
//! - `kafka`: the Kafka flood and the steady rate's latency;
//! - `restart`: start-up time and memory on a large store;
//! - `reads`: heavy reads while feeds and pushes write;
//! - `stories`: story assignment with a million stories known.

use std::time::Instant;

use anyhow::Context;
use chrono::{Duration, Utc};
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
mod pipeline;
mod reads;
mod restart;
mod stories;

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
        source_url: None,
        title: format!("Kemensos dan bansos: laporan nomor {i}"),
        summary: String::new(),
        body,
        published_at: Some(now - Duration::minutes((i % 50_000) as i64)),
        fetched_at: now,
        relevance: vec![],
        own_channel: false,
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
        Some("pipeline") => pipeline::pipeline_bench(
            args.get(1)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(200_000),
        ),
        Some("stories") => stories::bench(
            args.get(1)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(1_000_000),
            args.get(2)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(100_000),
        ),
        Some("store") => pipeline::store_bench(
            args.get(1)
                .map(|s| s.parse())
                .transpose()?
                .unwrap_or(200_000),
        ),
        None => pipeline::pipeline_bench(200_000),
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
