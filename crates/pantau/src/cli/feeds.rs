//! `pantau feeds status` (every configured feed's health) and `pantau
//! feeds check URL|FILE` (what pantau would ingest from a feed, now).

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use pantau_config::Config;
use pantau_ingest::{parse_feed_as, FetchOutcome};

use crate::classify::Classify;
use crate::topology::open_store;

/// The feed commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Every configured feed's health: last success, last error, failures, items.
    Status {
        /// JSON, one object per feed.
        #[arg(long)]
        json: bool,
    },
    /// Fetch or read a feed once and print every item as pantau would ingest it.
    Check {
        /// `http(s)://` URL or a file path.
        source: String,
        /// Entity for relevance and targeted sentiment (default: every entity).
        #[arg(long)]
        entity: Option<String>,
        /// JSON output, one object per item.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a feed command.
pub fn run(command: Command, config: &Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Status { json } => super::runtime()?.block_on(status(config, json)),
        Command::Check {
            source,
            entity,
            json,
        } => {
            let ctx = super::classifier_for(config, entity.as_deref())?;
            super::runtime()?.block_on(check(config, &ctx, &source, entity.as_deref(), json))
        }
    }
}

async fn status(config: &Config, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let states: std::collections::HashMap<String, pantau_store::FeedState> = store
        .feed_states()
        .await?
        .into_iter()
        .map(|s| (s.feed_id.clone(), s))
        .collect();
    store.close().await;
    let tz = config.local_tz();
    let when =
        |ms: Option<i64>| ms.map_or_else(|| "never".to_owned(), |ms| super::local_time(ms, tz));
    let mut failing = 0;
    if !json {
        println!(
            "{:<24} {:<17} {:<17} {:>5} {:>7}  last error",
            "feed", "last success", "last fetch", "fails", "items"
        );
    }
    for f in &config.feeds {
        let s = states.get(&f.id).cloned().unwrap_or_default();
        if s.consecutive_failures > 0 {
            failing += 1;
        }
        if json {
            println!(
                "{}",
                serde_json::json!({
                    "feed": f.id, "url": f.url, "last_success": when(s.last_success_at),
                    "last_fetch": when(s.last_fetch_at), "consecutive_failures": s.consecutive_failures,
                    "items_seen": s.items_seen, "last_error_kind": s.last_error_kind, "last_error": s.last_error,
                })
            );
        } else {
            let err = match (&s.last_error_kind, &s.last_error) {
                (Some(k), Some(e)) if s.consecutive_failures > 0 => format!("{k}: {e}"),
                (Some(k), _) => format!("(recovered; last: {k})"),
                _ => String::new(),
            };
            println!(
                "{:<24} {:<17} {:<17} {:>5} {:>7}  {}",
                f.id,
                when(s.last_success_at),
                when(s.last_fetch_at),
                s.consecutive_failures,
                s.items_seen,
                err.chars().take(100).collect::<String>()
            );
        }
    }
    if !json {
        println!("{} feed(s), {failing} failing", config.feeds.len());
    }
    Ok(ExitCode::SUCCESS)
}

async fn check(
    config: &Config,
    ctx: &Classify,
    source: &str,
    entity: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let url = if source.contains("://") {
        source.to_owned()
    } else {
        let p = std::fs::canonicalize(source).with_context(|| format!("{source}: cannot open"))?;
        format!("file://{}", p.display())
    };
    let fetcher = crate::stages::ingest::fetcher(config)?;
    let (bytes, content_type) = match fetcher.fetch(&url, &Default::default()).await {
        Ok(FetchOutcome::Body {
            bytes,
            content_type,
            ..
        }) => (bytes, content_type),
        Ok(FetchOutcome::NotModified) => {
            anyhow::bail!("{source}: 304 Not Modified without a cursor")
        }
        Err(e) => {
            eprintln!("error: {e} ({})", e.kind.as_str());
            return Ok(ExitCode::FAILURE);
        }
    };
    let parsed = match parse_feed_as(
        &bytes,
        content_type.as_deref(),
        source,
        None,
        pantau_model::MediaType::Online,
        Utc::now(),
    ) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let tz = entity
        .and_then(|e| config.entity(e))
        .map_or_else(|| config.local_tz(), |e| e.time_zone);
    if !json {
        println!(
            "{}: {} items{}",
            parsed.title.as_deref().unwrap_or(source),
            parsed.items.len(),
            if parsed.undated > 0 {
                format!(", {} without a usable date", parsed.undated)
            } else {
                String::new()
            }
        );
    }
    for mut a in parsed.items {
        a.relevance = ctx.relevance(&a);
        let published = a.published_at.map(|t| t.with_timezone(&tz).to_rfc3339());
        let scored = ctx.classify(a.clone());
        if json {
            println!(
                "{}",
                serde_json::json!({
                    "id": a.id, "published": published, "title": a.title, "url": a.url,
                    "media_type": a.media_type, "relevance": a.relevance, "assessments": scored.assessments,
                })
            );
        } else {
            let verdict = match scored.assessments.first() {
                Some(s) => format!("{} {} ({:+.2})", s.entity, s.sentiment, s.score),
                None => "not relevant".to_owned(),
            };
            println!(
                "{}  {}  {:<28}  {}",
                a.id,
                published.as_deref().unwrap_or("(no date: first-seen time)"),
                verdict,
                a.title
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
