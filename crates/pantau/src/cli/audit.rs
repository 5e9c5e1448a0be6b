//! `pantau audit draw|show|record`: the audited KPI — a random sample of a
//! period's articles for analysts to review, and their verdicts, from
//! which `pantau report` estimates the true negative share with a 95 %
//! interval.

use std::process::ExitCode;

use anyhow::Context;
use pantau_audit::Verdict;
use pantau_config::{Config, EntityConfig};
use pantau_model::{Period, Sentiment};
use pantau_store::Store;

use crate::topology::open_existing_store;

/// Output format of a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text.
    Table,
    /// A JSON list of the sampled articles.
    Json,
}

/// The audit commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Draw a stratified random sample of a period's articles to review
    /// (added to the period's sample; prints the whole sample).
    Draw {
        /// Entity (default: the only configured one).
        #[arg(long)]
        entity: Option<String>,
        /// 2026-11, 2026-Q4, 2026, or FROM..TO (YYYY-MM-DD).
        #[arg(long)]
        period: Period,
        /// How many more articles to draw.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        size: u64,
        /// The generator's seed: the same seed on the same store draws the
        /// same articles (default: a new one, printed).
        #[arg(long)]
        seed: Option<u64>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// The sample of a period in review order, with the verdicts so far.
    Show {
        /// Entity (default: the only configured one).
        #[arg(long)]
        entity: Option<String>,
        /// The sample's period, as drawn.
        #[arg(long)]
        period: Period,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Record the verdict on a sampled article. A tone that differs from
    /// the article's is also an override (audit trail included), which a
    /// running service applies at its next review sync, as with
    /// `pantau review set`.
    Record {
        /// Article id (from `audit draw` or `audit show`).
        id: String,
        /// Its true tone toward the entity.
        #[arg(
            long,
            required_unless_present = "not_relevant",
            conflicts_with = "not_relevant"
        )]
        sentiment: Option<Sentiment>,
        /// The article is not about the entity.
        #[arg(long)]
        not_relevant: bool,
        /// Who reviewed it.
        #[arg(long)]
        by: String,
        /// Why (kept with the verdict and in the audit trail).
        #[arg(long, default_value = "")]
        reason: String,
        /// Entity (default: the only configured one).
        #[arg(long)]
        entity: Option<String>,
    },
}

/// Runs an audit command.
pub fn run(command: Command, config: &Config) -> anyhow::Result<ExitCode> {
    super::runtime()?.block_on(audit(config, command))?;
    Ok(ExitCode::SUCCESS)
}

fn entity<'a>(config: &'a Config, id: Option<&str>) -> anyhow::Result<&'a EntityConfig> {
    config.entity_or_only(id).map_err(anyhow::Error::msg)
}

async fn audit(config: &Config, command: Command) -> anyhow::Result<()> {
    let store = open_existing_store(config).await?;
    match command {
        Command::Draw {
            entity: id,
            period,
            size,
            seed,
            format,
        } => {
            let e = entity(config, id.as_deref())?;
            let seed = seed.unwrap_or_else(|| fastrand::u64(..));
            let d = crate::audit::draw(&store, e, &period, size, seed, chrono::Utc::now()).await?;
            let strata: Vec<String> = pantau_audit::Stratum::ALL
                .iter()
                .zip(d.by_stratum)
                .map(|(s, n)| format!("{} {n}", s.as_str()))
                .collect();
            eprintln!(
                "{}: drew {} ({}) with seed {} — `--seed {}` repeats this draw on the same store",
                d.period.period,
                d.ids.len(),
                strata.join(", "),
                d.seed,
                d.seed
            );
            if d.short_by > 0 {
                eprintln!(
                    "{}: only {} articles were left to draw: the whole period is in the sample",
                    d.period.period,
                    d.ids.len()
                );
            }
            print_sample(&store, e, &d.period.period, &d.ids, format).await?;
        }
        Command::Show {
            entity: id,
            period,
            format,
        } => {
            let e = entity(config, id.as_deref())?;
            print_sample(&store, e, &period.to_string(), &[], format).await?;
        }
        Command::Record {
            id,
            sentiment,
            not_relevant,
            by,
            reason,
            entity: entity_id,
        } => {
            let e = entity(config, entity_id.as_deref())?;
            if by.trim().is_empty() {
                anyhow::bail!("--by is required: the audit says who reviewed each article");
            }
            let verdict = match (sentiment, not_relevant) {
                (_, true) => Verdict::NotRelevant,
                (Some(s), false) => Verdict::from(s),
                (None, false) => anyhow::bail!("give --sentiment or --not-relevant"),
            };
            let Some(r) = store
                .record_verdict(
                    &id,
                    &e.id,
                    verdict,
                    by.trim(),
                    reason.trim(),
                    chrono::Utc::now(),
                )
                .await
                .context("recording the verdict")?
            else {
                anyhow::bail!(
                    "article {id} is in no audit sample of {}: `pantau audit show --period P` lists a sample \
                     (an article outside it is corrected with `pantau review set`)",
                    e.id
                );
            };
            let replaced = r
                .previous
                .map(|p| format!(" (was {p})"))
                .unwrap_or_default();
            let overridden = r
                .overridden
                .map(|o| format!("; override {} → {}", o.old, o.new))
                .unwrap_or_default();
            println!(
                "{id}: {verdict} by {}{replaced} in the sample of {}{overridden}",
                by.trim(),
                r.period
            );
        }
    }
    store.close().await;
    Ok(())
}

async fn print_sample(
    store: &Store,
    e: &EntityConfig,
    period: &str,
    new: &[String],
    format: Format,
) -> anyhow::Result<()> {
    let rows = crate::audit::sample(store, e, period, new).await?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        Format::Table => {
            for r in &rows {
                println!(
                    "{:>4}  {}  {}  {:<8} {:<13} {:<6} {} — {}  {}",
                    r.seq + 1,
                    r.id,
                    r.published.get(..10).unwrap_or(""),
                    r.sentiment,
                    r.verdict.map_or("(belum)", Verdict::as_str),
                    r.media_type,
                    r.outlet,
                    r.title,
                    r.url.as_deref().unwrap_or("")
                );
            }
        }
    }
    let open = rows.iter().filter(|r| r.verdict.is_none()).count();
    eprintln!(
        "{period}: {} in the sample, {open} still to review (review them in this order)",
        rows.len()
    );
    Ok(())
}
