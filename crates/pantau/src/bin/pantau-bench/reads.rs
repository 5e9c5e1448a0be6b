//! `pantau-bench reads N [DIR] [--json FILE]`: heavy reads against a store of
//! N articles while the pipeline writes. `pantau run` polls two feeds that
//! carry new items on every fetch and takes a push every 200 ms, while 16
//! clients at once ask for two years' overview, the year's report and a text
//! search, again and again. The table gives each read's latency (p50, p99),
//! how many reads were shed (503 with `Retry-After`), every push's status
//! and latency, the feeds' fetch outcomes and pantau's peak resident memory.
//! `--json FILE` writes the same figures for a test to check.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{Datelike, Utc};
use serde::Serialize;

use crate::restart::{ensure_serves, fill_store, rss_kib, start_pantau};

/// Parallel readers, as in the hardening issue's probe.
const READERS: usize = 16;
/// How long the readers, pushes and feeds run together.
const RUN_FOR: Duration = Duration::from_secs(20);
const PUSH_EVERY: Duration = Duration::from_millis(200);
const TOKEN: &str = "bench-push-token-0123456789";

/// One kind of read's figures.
#[derive(Debug, Serialize)]
pub struct ReadFigures {
    pub path: String,
    pub answered: usize,
    pub shed: usize,
    /// Shed answers that carried `Retry-After`.
    pub shed_with_retry_after: usize,
    /// Statuses other than 200 and 503 (none expected).
    pub other: Vec<u16>,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The slowest answer of any status, so a slow refusal shows.
    pub max_shed_ms: f64,
}

/// Everything the run measured.
#[derive(Debug, Serialize)]
pub struct Figures {
    pub articles: u64,
    pub reads: Vec<ReadFigures>,
    pub pushes: usize,
    pub push_statuses: Vec<u16>,
    pub push_p99_ms: f64,
    pub push_max_ms: f64,
    /// The first push not answered 201, with its body.
    pub push_refusal: Option<String>,
    /// `pantau_feed_fetches_total` by outcome, summed over the feeds.
    pub feed_fetches: std::collections::BTreeMap<String, f64>,
    pub peak_rss_mib: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

/// A feed whose every fetch carries five items never seen before.
async fn changing_feed() -> anyhow::Result<u16> {
    let next = Arc::new(AtomicU64::new(0));
    let app = axum::Router::new().route(
        "/feed.xml",
        axum::routing::get(move || {
            let next = next.clone();
            async move {
                let now = Utc::now().to_rfc2822();
                let mut items = String::new();
                for _ in 0..5 {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    items.push_str(&format!(
                        "<item><title>Kemensos salurkan bantuan sosial tahap {k}</title>\
                         <link>https://feed.bench.example/berita/{k}</link>\
                         <description>Kementerian Sosial menyalurkan bantuan kepada keluarga penerima manfaat.</description>\
                         <pubDate>{now}</pubDate></item>"
                    ));
                }
                (
                    [("content-type", "application/rss+xml")],
                    format!(
                        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Bench</title>\
                         <link>https://feed.bench.example/</link><description>bench</description>{items}</channel></rss>"
                    ),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(port)
}

/// Runs the bench and prints its table; writes the figures to `json`.
#[tokio::main]
pub async fn bench(n: u64, keep: Option<&str>, json: Option<&str>) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let dir = keep.map_or(temp.path(), std::path::Path::new);
    fill_store(dir, n).await?;
    let feed_port = changing_feed().await?;
    let extra = format!(
        "[ingest]\ndefault_interval = \"1s\"\nmin_interval = \"1s\"\n\
         [[feeds]]\nid = \"bench-a\"\nurl = \"http://127.0.0.1:{feed_port}/feed.xml\"\noutlet = \"Bench A\"\n\
         [[feeds]]\nid = \"bench-b\"\nurl = \"http://127.0.0.1:{feed_port}/feed.xml?b\"\noutlet = \"Bench B\"\n"
    );
    // The token through the environment, as operators are told to.
    let (mut child, port, _) =
        start_pantau(dir, &extra, &[("PANTAU__HTTP__API_TOKEN", TOKEN)]).await?;
    ensure_serves(&mut child, port, n, dir).await?;
    let base = format!("http://127.0.0.1:{port}");
    let result = measure(&base, n).await;
    let peak = rss_kib(child.id(), "VmHWM:").unwrap_or(0) as f64 / 1024.0;
    let _ = child.kill();
    let _ = child.wait();
    let mut figures = result?;
    figures.peak_rss_mib = peak;
    print(&figures);
    if let Some(path) = json {
        std::fs::write(path, serde_json::to_vec_pretty(&figures)?)
            .with_context(|| format!("writing {path}"))?;
    }
    Ok(())
}

/// One answer: status, whether it said when to retry, how long it took.
type Answer = (u16, bool, f64);

async fn measure(base: &str, n: u64) -> anyhow::Result<Figures> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let year = Utc::now().year();
    let paths = [
        "/api/v1/overview?entity=kemensos&days=731".to_owned(),
        format!("/api/v1/report?entity=kemensos&period={year}"),
        "/api/v1/articles?entity=kemensos&q=bantuan&limit=50".to_owned(),
    ];
    let deadline = Instant::now() + RUN_FOR;
    let mut readers = Vec::new();
    for r in 0..READERS {
        let client = client.clone();
        let paths = paths.clone();
        let base = base.to_owned();
        readers.push(tokio::spawn(async move {
            let mut answers: Vec<(usize, Answer)> = Vec::new();
            let mut k = r;
            while Instant::now() < deadline {
                let which = k % paths.len();
                k += 1;
                let started = Instant::now();
                let resp = client.get(format!("{base}{}", paths[which])).send().await;
                let (status, retry) = match resp {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        let retry = resp.headers().contains_key("retry-after");
                        let _ = resp.bytes().await;
                        (status, retry)
                    }
                    Err(_) => (0, false),
                };
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                answers.push((which, (status, retry, ms)));
                if status == 503 {
                    // As a client told to retry would, if sooner.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            answers
        }));
    }
    let pusher = {
        let client = client.clone();
        let base = base.to_owned();
        tokio::spawn(async move {
            let mut answers: Vec<(u16, f64)> = Vec::new();
            let mut refusal = None;
            let mut tick = tokio::time::interval(PUSH_EVERY);
            let mut i = 0u64;
            while Instant::now() < deadline {
                tick.tick().await;
                i += 1;
                let body = serde_json::json!({ "items": [{
                    "media_type": "online",
                    "outlet": "Portal Bench",
                    "url": format!("https://push.bench.example/berita/{}-{i}", Utc::now().timestamp_millis()),
                    "title": format!("Kemensos salurkan bantuan sosial, kiriman {i}"),
                    "text": "Kementerian Sosial menyalurkan bantuan kepada keluarga penerima manfaat.",
                    "published": Utc::now().to_rfc3339(),
                }]});
                let started = Instant::now();
                let resp = client
                    .post(format!("{base}/api/v1/articles"))
                    .bearer_auth(TOKEN)
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .send()
                    .await;
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                let status = match resp {
                    Ok(r) if r.status().as_u16() == 201 => 201,
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let text = r.text().await.unwrap_or_default();
                        refusal.get_or_insert(format!("{status}: {text}"));
                        status
                    }
                    Err(e) => {
                        refusal.get_or_insert(e.to_string());
                        0
                    }
                };
                answers.push((status, ms));
            }
            (answers, refusal)
        })
    };
    let mut answers = Vec::new();
    for r in readers {
        answers.extend(r.await?);
    }
    let (pushes, push_refusal) = pusher.await?;
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await?
        .text()
        .await?;

    let reads = paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let of: Vec<&Answer> = answers.iter().filter(|a| a.0 == i).map(|a| &a.1).collect();
            let mut ok: Vec<f64> = of.iter().filter(|a| a.0 == 200).map(|a| a.2).collect();
            ok.sort_by(f64::total_cmp);
            let shed: Vec<&&Answer> = of.iter().filter(|a| a.0 == 503).collect();
            ReadFigures {
                path: path.clone(),
                answered: ok.len(),
                shed: shed.len(),
                shed_with_retry_after: shed.iter().filter(|a| a.1).count(),
                other: of
                    .iter()
                    .map(|a| a.0)
                    .filter(|s| *s != 200 && *s != 503)
                    .collect(),
                p50_ms: percentile(&ok, 0.5),
                p99_ms: percentile(&ok, 0.99),
                max_shed_ms: shed.iter().map(|a| a.2).fold(0.0, f64::max),
            }
        })
        .collect();
    let mut push_ms: Vec<f64> = pushes.iter().map(|p| p.1).collect();
    push_ms.sort_by(f64::total_cmp);
    let mut push_statuses: Vec<u16> = pushes.iter().map(|p| p.0).collect();
    push_statuses.sort_unstable();
    push_statuses.dedup();
    Ok(Figures {
        articles: n,
        reads,
        pushes: pushes.len(),
        push_statuses,
        push_p99_ms: percentile(&push_ms, 0.99),
        push_max_ms: push_ms.last().copied().unwrap_or(f64::NAN),
        push_refusal,
        feed_fetches: fetch_outcomes(&metrics),
        peak_rss_mib: 0.0,
    })
}

/// `pantau_feed_fetches_total` summed by outcome over the feeds.
fn fetch_outcomes(metrics: &str) -> std::collections::BTreeMap<String, f64> {
    let mut by = std::collections::BTreeMap::<String, f64>::new();
    for line in metrics.lines() {
        let Some(rest) = line.strip_prefix("pantau_feed_fetches_total{") else {
            continue;
        };
        let Some((labels, value)) = rest.rsplit_once("} ") else {
            continue;
        };
        let outcome = labels
            .split(',')
            .find_map(|l| l.strip_prefix("outcome=\""))
            .map(|o| o.trim_end_matches('"').to_owned());
        if let (Some(o), Ok(v)) = (outcome, value.trim().parse::<f64>()) {
            if v == 0.0 && o != "store" {
                continue;
            }
            *by.entry(o).or_default() += v;
        }
    }
    by
}

fn print(f: &Figures) {
    println!(
        "heavy reads on a store of {} articles: {READERS} clients for {} s, pushes every {} ms, two feeds each second",
        f.articles,
        RUN_FOR.as_secs(),
        PUSH_EVERY.as_millis()
    );
    println!("| read | answered | p50 (ms) | p99 (ms) | shed (503) | slowest refusal (ms) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for r in &f.reads {
        println!(
            "| `{}` | {} | {:.0} | {:.0} | {} | {:.0} |",
            r.path, r.answered, r.p50_ms, r.p99_ms, r.shed, r.max_shed_ms
        );
    }
    println!(
        "pushes: {} ({:?}), p99 {:.0} ms, slowest {:.0} ms (goal: every one 201 in < 2 s)",
        f.pushes, f.push_statuses, f.push_p99_ms, f.push_max_ms
    );
    if let Some(r) = &f.push_refusal {
        println!("first refused push: {r}");
    }
    println!(
        "feed fetches by outcome: {:?} (goal: no `store`)",
        f.feed_fetches
    );
    println!(
        "pantau's peak RSS: {:.0} MiB (goal: < 300 MiB)",
        f.peak_rss_mib
    );
}
