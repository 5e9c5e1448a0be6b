//! `pantau-bench restart N`: a store of N articles, then `pantau run` on it
//! from cold: how long until `/readyz` answers 200, and the process's
//! resident memory then (the counters are rebuilt by aggregate SQL: memory
//! goes with the windows' buckets, not with the articles).

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use pantau_model::{
    ArticleId, Assessment, EntityId, Explanation, MatchedTerm, MediaType, RawArticle,
    ScoredArticle, Sentiment, SCHEMA_VERSION,
};

/// Stored article `i` of `n`, published over the past year.
fn scored(i: u64, n: u64, now: chrono::DateTime<Utc>) -> ScoredArticle {
    let url = format!("https://restart.example/berita/{i}");
    let published = now - chrono::Duration::seconds((i * 365 * 86_400 / n.max(1)) as i64);
    let sentiment = Sentiment::ALL[(i % 3) as usize];
    ScoredArticle {
        schema_version: SCHEMA_VERSION,
        article: RawArticle {
            schema_version: SCHEMA_VERSION,
            id: ArticleId::for_item(Some(&url), None, "bench", ""),
            source: "bench".into(),
            outlet: format!("Outlet {}", i % 40),
            media_type: MediaType::ALL[(i % 5) as usize],
            url: Some(url),
            guid: None,
            source_url: None,
            title: format!("Kemensos salurkan bantuan, laporan nomor {i}"),
            summary: String::new(),
            body:
                "Kementerian Sosial menyalurkan bantuan sosial kepada keluarga penerima manfaat. "
                    .repeat(6),
            published_at: Some(published),
            fetched_at: published,
            relevance: vec![],
            own_channel: false,
        },
        assessments: vec![Assessment {
            entity: EntityId("kemensos".into()),
            relevance_reason: "name \"Kemensos\"".into(),
            sentiment,
            score: 0.5,
            explanation: Explanation {
                language: "id".into(),
                scope: "targeted".into(),
                terms: vec![MatchedTerm {
                    text: "salurkan".into(),
                    lemma: "salur".into(),
                    weight: 1.0,
                    effective: 2.0,
                    position: 9,
                    modifiers: vec!["headline".into()],
                }],
            },
        }],
    }
}

/// A `/proc/PID/status` figure in KiB: `VmRSS:` now, `VmHWM:` the peak.
pub fn rss_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Fills `dir/pantau.db` with `n` articles, unless it exists already (a
/// second run reuses it).
pub async fn fill_store(dir: &std::path::Path, n: u64) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let db = dir.join("pantau.db");
    let existed = db.exists();
    let store = pantau_store::Store::open(&format!("sqlite://{}", db.display())).await?;
    if existed {
        let have = store.article_count().await? as u64;
        eprintln!("{} holds {have} articles already", db.display());
        store.close().await;
        return Ok(());
    }
    let now = Utc::now();
    let started = Instant::now();
    let batch = 2000;
    for from in (0..n).step_by(batch) {
        let items: Vec<ScoredArticle> = (from..(from + batch as u64).min(n))
            .map(|i| scored(i, n, now))
            .collect();
        store.insert_scored(&items).await?;
        if from % 100_000 == 0 {
            eprint!("\rstoring {from}/{n} …");
        }
    }
    eprintln!(
        "\rstored {n} articles in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    store.close().await;
    Ok(())
}

/// `pantau run` on `dir` (its store, `extra` appended to a minimal
/// config, `env` in its environment), its log in `dir/run.log`: the child,
/// its HTTP port, and how long until `/readyz` answered 200.
pub async fn start_pantau(
    dir: &std::path::Path,
    extra: &str,
    env: &[(&str, &str)],
) -> anyhow::Result<(std::process::Child, u16, Duration)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    drop(listener);
    let config = dir.join("pantau.toml");
    // Absolute: pantau reads a relative `data_dir` beside its config file,
    // so `target/bench-store-1m` would name an empty store inside itself.
    let data_dir = std::fs::canonicalize(dir)
        .with_context(|| format!("the store directory {}", dir.display()))?;
    std::fs::write(
        &config,
        format!(
            "data_dir = {:?}\nentities_dir = {:?}\nlexicon_dir = {:?}\n{extra}\n[http]\nlisten = \"127.0.0.1:{port}\"\n",
            data_dir.display().to_string(),
            root.join("config/entities").display().to_string(),
            root.join("config/lexicon").display().to_string(),
        ),
    )?;
    let pantau = std::env::current_exe()?.with_file_name("pantau");
    let started = Instant::now();
    let mut child = std::process::Command::new(&pantau)
        .args(["run", "--config"])
        .arg(&config)
        .envs(env.iter().copied())
        .stderr(std::fs::File::create(dir.join("run.log"))?)
        .spawn()
        .with_context(|| format!("starting {}", pantau.display()))?;
    let client = reqwest::Client::new();
    loop {
        let ok = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .timeout(Duration::from_millis(500))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            return Ok((child, port, started.elapsed()));
        }
        if started.elapsed() > Duration::from_secs(300) || child.try_wait()?.is_some() {
            let _ = child.kill();
            anyhow::bail!(
                "pantau was not ready within 300 s (see {})",
                dir.join("run.log").display()
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Stops `child` with an error unless the pantau it runs serves at least
/// the `n` articles filled into `dir`: the figures are of the filled store,
/// or of nothing.
pub async fn ensure_serves(
    child: &mut std::process::Child,
    port: u16,
    n: u64,
    dir: &std::path::Path,
) -> anyhow::Result<()> {
    let served = stored_articles(port).await;
    if matches!(served, Ok(s) if s >= n) {
        return Ok(());
    }
    let _ = child.kill();
    let _ = child.wait();
    anyhow::bail!(
        "pantau served {served:?} articles, not the store's {n}: it opened another store (see {})",
        dir.join("run.log").display()
    )
}

/// How many articles a running pantau serves (`/api/v1/articles`' total).
async fn stored_articles(port: u16) -> anyhow::Result<u64> {
    let text = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/articles?limit=1"))
        .timeout(Duration::from_secs(120))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let body: serde_json::Value = serde_json::from_str(&text)?;
    body["total"]
        .as_u64()
        .with_context(|| format!("no total in {body}"))
}

/// Builds the store (in `keep`, when given, and only if it is not there
/// yet: a second run restarts on the same store), restarts on it, prints
/// the table.
#[tokio::main]
pub async fn bench(n: u64, keep: Option<&str>) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let dir = keep.map_or(temp.path(), std::path::Path::new);
    fill_store(dir, n).await?;
    let (mut child, port, ready) = start_pantau(dir, "", &[]).await?;
    let rss = rss_kib(child.id(), "VmRSS:").unwrap_or(0) as f64 / 1024.0;
    ensure_serves(&mut child, port, n, dir).await?;
    let _ = child.kill();
    let _ = child.wait();
    println!("| restart on a store of | ready after (s) | RSS when ready (MiB) | goal |");
    println!("|---:|---:|---:|---|");
    println!(
        "| {n} articles | {:.2} | {rss:.0} | ready < 2 s, RSS < 150 MB |",
        ready.as_secs_f64()
    );
    Ok(())
}
