//! `pantau review list|set|confirm|history|export`: the analysts' side of
//! the KPI — assessments to read (the queue: `list --unreviewed`),
//! overrides and confirmations with an audit trail, and the reviews as
//! labelled data.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use pantau_config::Config;

use crate::topology::open_existing_store;

/// The review commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Assessments, newest (or most negative) first; `--unreviewed` is the
    /// review queue.
    List {
        /// Only this entity.
        #[arg(long)]
        entity: Option<String>,
        /// Only this (effective) sentiment.
        #[arg(long)]
        sentiment: Option<pantau_model::Sentiment>,
        /// Only this media type.
        #[arg(long)]
        media_type: Option<pantau_model::MediaType>,
        /// Published on or after this day (YYYY-MM-DD, entity time zone).
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        /// Only those nobody has reviewed (overridden or confirmed).
        #[arg(long)]
        unreviewed: bool,
        /// Which first: `newest`, or `negative` (most negative score).
        #[arg(long, default_value = "newest")]
        order: pantau_store::ArticleOrder,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Confirm the classifier's sentiment of one or more articles: recorded
    /// like an override (who, when, why), so they leave the queue.
    Confirm {
        /// Article ids (from `review list --unreviewed`).
        #[arg(required = true)]
        ids: Vec<String>,
        /// Who confirms.
        #[arg(long)]
        by: String,
        /// Why (kept in the audit trail).
        #[arg(long, default_value = "dikonfirmasi: penilaian pengklasifikasi benar")]
        reason: String,
        /// Entity (default: the only configured one).
        #[arg(long)]
        entity: Option<String>,
    },
    /// Override an article's sentiment for an entity; recorded in the audit trail.
    Set {
        /// Article id (from `review list`).
        id: String,
        /// The corrected sentiment.
        #[arg(long)]
        sentiment: pantau_model::Sentiment,
        /// Who decides.
        #[arg(long)]
        by: String,
        /// Why (kept in the audit trail).
        #[arg(long)]
        reason: String,
        /// Entity (default: the only configured one).
        #[arg(long)]
        entity: Option<String>,
        /// Every copy of the article's story (`pantau stories`), one audit
        /// entry per article.
        #[arg(long)]
        story: bool,
    },
    /// Every override of an article.
    History {
        /// Article id.
        id: String,
    },
    /// Write the overrides as labelled data (`text<TAB>label`) for `pantau eval`.
    Export {
        /// Output file.
        file: PathBuf,
    },
}

/// Runs a review command.
pub fn run(command: Command, config: &Config) -> anyhow::Result<ExitCode> {
    super::runtime()?.block_on(review(config, command))?;
    Ok(ExitCode::SUCCESS)
}

/// The entity a review (override or confirmation) is for, once the
/// reviewer and the reason the audit trail records are there.
fn reviewed_entity<'c>(
    config: &'c Config,
    entity: Option<&str>,
    by: &str,
    reason: &str,
) -> anyhow::Result<&'c pantau_config::EntityConfig> {
    let entity = config.entity_or_only(entity).map_err(anyhow::Error::msg)?;
    if by.trim().is_empty() || reason.trim().len() < 3 {
        anyhow::bail!("--by and --reason (at least 3 characters) are required: the audit trail says who and why");
    }
    Ok(entity)
}

async fn review(config: &Config, command: Command) -> anyhow::Result<()> {
    let store = open_existing_store(config).await?;
    match command {
        Command::List {
            entity,
            sentiment,
            media_type,
            since,
            unreviewed,
            order,
            limit,
        } => {
            let tz = config
                .entity_or_only(entity.as_deref())
                .map_or_else(|_| config.local_tz(), |e| e.time_zone);
            let since_ms = since.map(|d| {
                pantau_aggregate::period_bounds(&pantau_model::Period::Range(d, d), tz)
                    .0
                    .timestamp_millis()
            });
            let items = store
                .review_list(&pantau_store::ReviewFilter {
                    entity,
                    sentiment,
                    media_type,
                    since_ms,
                    unreviewed,
                    order,
                    limit,
                })
                .await?;
            for i in &items {
                let changed = match &i.override_by {
                    Some(by) if i.classified == i.effective => format!(" (confirmed by {by})"),
                    Some(by) => format!(" (classifier: {}, set by {by})", i.classified),
                    None => String::new(),
                };
                println!(
                    "{}  {}  {:<8} {:<6} {:+.2}  {} — {}{changed}",
                    i.article_id,
                    super::local_time(i.event_time_ms, tz),
                    i.effective.as_str(),
                    i.media_type.as_str(),
                    i.score,
                    i.outlet,
                    i.title
                );
            }
            eprintln!("{} assessment(s)", items.len());
        }
        Command::Set {
            id,
            sentiment,
            by,
            reason,
            entity,
            story,
        } => {
            let entity = reviewed_entity(config, entity.as_deref(), &by, &reason)?;
            if story {
                let Some(story_id) = store.story_of(&id).await? else {
                    anyhow::bail!("article {id} has no story yet: `pantau stories` assigns them");
                };
                let copies = store.articles_of_story(&story_id).await?;
                let entries = store
                    .set_override_many(
                        &copies,
                        &entity.id,
                        sentiment,
                        by.trim(),
                        reason.trim(),
                        chrono::Utc::now(),
                    )
                    .await?;
                for e in &entries {
                    println!(
                        "{}: {} → {} for {} by {} ({})",
                        e.article_id, e.old, e.new, e.entity, e.by, e.reason
                    );
                }
                println!(
                    "story {story_id}: {} of {} copies changed",
                    entries.len(),
                    copies.len()
                );
                return Ok(());
            }
            match store
                .set_override(
                    &id,
                    &entity.id,
                    sentiment,
                    by.trim(),
                    reason.trim(),
                    chrono::Utc::now(),
                )
                .await?
            {
                Some(e) => println!(
                    "{}: {} → {} for {} by {} ({})",
                    e.article_id, e.old, e.new, e.entity, e.by, e.reason
                ),
                None => anyhow::bail!("no assessment of article {id} for entity {}", entity.id),
            }
        }
        Command::Confirm {
            ids,
            by,
            reason,
            entity,
        } => {
            let entity = reviewed_entity(config, entity.as_deref(), &by, &reason)?;
            let now = chrono::Utc::now();
            let mut refused = 0;
            for id in &ids {
                match store
                    .confirm(id, &entity.id, by.trim(), reason.trim(), now)
                    .await
                {
                    Ok(Some(e)) => println!(
                        "{}: {} confirmed for {} by {}",
                        e.article_id, e.new, e.entity, e.by
                    ),
                    Ok(None) => {
                        refused += 1;
                        eprintln!(
                            "error: {id}: no assessment of this article for entity {}",
                            entity.id
                        );
                    }
                    Err(e @ pantau_store::StoreError::AlreadyReviewed { .. }) => {
                        refused += 1;
                        eprintln!("error: {id}: {e}");
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            store.close().await;
            if refused > 0 {
                anyhow::bail!("{refused} of {} not confirmed", ids.len());
            }
            return Ok(());
        }
        Command::History { id } => {
            let tz_of = |entity: &str| {
                config
                    .entity(entity)
                    .map_or_else(|| config.local_tz(), |e| e.time_zone)
            };
            let h = store.audit_history(&id).await?;
            if h.is_empty() {
                println!("{id}: no overrides");
            }
            for e in h {
                println!(
                    "{}  {}  {} → {}  by {}: {}",
                    super::local_time(e.at_ms, tz_of(&e.entity)),
                    e.entity,
                    e.old,
                    e.new,
                    e.by,
                    e.reason
                );
            }
        }
        Command::Export { file } => {
            let rows = store.labelled_overrides().await?;
            let mut out = String::from("text\tlabel\n");
            for (text, label) in &rows {
                out.push_str(&text.replace(['\t', '\n', '\r'], " "));
                out.push('\t');
                out.push_str(label.as_str());
                out.push('\n');
            }
            std::fs::write(&file, out)
                .with_context(|| format!("{}: cannot write", file.display()))?;
            println!(
                "{}: {} labelled rows (read it with `pantau eval {}`)",
                file.display(),
                rows.len(),
                file.display()
            );
        }
    }
    store.close().await;
    Ok(())
}
