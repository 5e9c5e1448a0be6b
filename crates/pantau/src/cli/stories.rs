//! `pantau stories` and `pantau issues`: a period's stories (syndicated
//! copies grouped) and issues (stories about one matter) with each
//! issue's points of the negative percentage; analysts rename, merge and
//! split issues (audited).

use std::process::ExitCode;

use anyhow::Context;
use pantau_config::Config;
use pantau_model::Period;
use pantau_store::{IssueAction, IssueChange, Store};

use crate::stories::{view, Assigner};
use crate::topology::open_existing_store;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text.
    Table,
    /// JSON.
    Json,
}

/// `pantau stories`.
#[derive(Debug, clap::Args)]
pub struct StoriesArgs {
    /// Entity (default: the only configured one).
    #[arg(long)]
    entity: Option<String>,
    /// The period: 2026, 2026-Q4, 2026-11 or FROM..TO.
    #[arg(long)]
    period: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Stories listed at most (table).
    #[arg(long, default_value_t = 30)]
    top: usize,
}

/// `pantau issues`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct IssuesArgs {
    #[command(subcommand)]
    command: Option<IssuesCommand>,
    /// Entity (default: the only configured one).
    #[arg(long, global = true)]
    entity: Option<String>,
    /// The period: 2026, 2026-Q4, 2026-11 or FROM..TO.
    #[arg(long)]
    period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Issues listed at most (table).
    #[arg(long, default_value_t = 15)]
    top: usize,
}

/// Analysts' changes to issues.
#[derive(Debug, clap::Subcommand)]
pub enum IssuesCommand {
    /// Give an issue a name (shown instead of the generated label).
    Rename {
        /// The issue.
        id: String,
        /// Its name.
        name: String,
        /// Who.
        #[arg(long)]
        by: String,
    },
    /// Count an issue's stories in another issue.
    Merge {
        /// The issue merged away.
        id: String,
        /// The issue it joins.
        into: String,
        /// Who.
        #[arg(long)]
        by: String,
    },
    /// Move a story to another issue, or to a new one (`--new NAME`): a
    /// split.
    Move {
        /// The story (its id, or any of its articles' ids).
        story: String,
        /// The issue it goes to.
        #[arg(long, conflicts_with = "new", required_unless_present = "new")]
        to: Option<String>,
        /// Found a new issue with this name for it.
        #[arg(long)]
        new: Option<String>,
        /// Who.
        #[arg(long)]
        by: String,
    },
    /// The audit trail of the entity's issues.
    History,
}

/// Assigns what is not yet assigned, then opens the period's view.
async fn current(store: &Store, config: &Config) -> anyhow::Result<()> {
    let mut a = Assigner::load(store, config).await?;
    let n = a.catch_up(store).await?;
    if n > 0 {
        tracing::info!(articles = n, "stories assigned");
    }
    Ok(())
}

fn parse_period(p: &str) -> anyhow::Result<Period> {
    p.parse()
        .map_err(|e| anyhow::anyhow!("--period {p:?}: {e}"))
}

fn pct(p: Option<f64>) -> String {
    p.map_or("—".into(), |p| format!("{p:.1} %").replace('.', ","))
}

/// Runs `pantau stories`.
pub fn run_stories(a: StoriesArgs, config: &Config) -> anyhow::Result<ExitCode> {
    super::init_logging(Some(config));
    let e = config
        .entity_or_only(a.entity.as_deref())
        .map_err(anyhow::Error::msg)?;
    let period = parse_period(&a.period)?;
    super::runtime()?.block_on(async {
        let store = open_existing_store(config).await?;
        current(&store, config).await?;
        let (stories, report) = view::compute(&store, e, &period).await?;
        match a.format {
            Format::Json => println!("{}", serde_json::to_string_pretty(&stories)?),
            Format::Table => {
                println!(
                    "Cerita {} — {}: {} cerita dari {} berita; persentase negatif {} per berita, {} per cerita",
                    e.name,
                    report.period,
                    stories.len(),
                    stories.iter().map(|s| s.articles.len()).sum::<usize>(),
                    pct(report.percent),
                    pct(report.per_story.percent)
                );
                for s in stories.iter().take(a.top) {
                    println!(
                        "{:>3} berita  −{} ={} +{}  {}  [{}]",
                        s.articles.len(),
                        s.sentiment.negative,
                        s.sentiment.neutral,
                        s.sentiment.positive,
                        s.title,
                        s.outlets.join(", ")
                    );
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `pantau issues`.
pub fn run_issues(a: IssuesArgs, config: &Config) -> anyhow::Result<ExitCode> {
    super::init_logging(Some(config));
    let e = config
        .entity_or_only(a.entity.as_deref())
        .map_err(anyhow::Error::msg)?;
    super::runtime()?.block_on(async {
        let store = open_existing_store(config).await?;
        if let Some(command) = a.command {
            return change(&store, &e.id, command).await;
        }
        let period = parse_period(a.period.as_deref().context("--period is required")?)?;
        current(&store, config).await?;
        let (_, report) = view::compute(&store, e, &period).await?;
        match a.format {
            Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
            Format::Table => {
                println!(
                    "Isu {} — {}: persentase negatif {} ({} dari {}); per cerita {}; lima isu teratas menjelaskan {} berita negatif",
                    e.name,
                    report.period,
                    pct(report.percent),
                    report.negative,
                    report.denominator,
                    pct(report.per_story.percent),
                    pct(report.top5_explain.map(|x| x * 100.0))
                );
                println!(
                    "{:<16} {:>7} {:>7} {:>8} {:>9}  isu",
                    "id", "cerita", "berita", "negatif", "poin"
                );
                for i in report.issues.iter().take(a.top) {
                    println!(
                        "{:<16} {:>7} {:>7} {:>8} {:>9}  {}",
                        i.id,
                        i.stories,
                        i.articles,
                        i.sentiment.negative,
                        i.negative_points
                            .map_or("—".into(), |p| format!("+{p:.1}").replace('.', ",")),
                        i.label
                    );
                }
                if report.unassigned > 0 {
                    println!("({} berita belum diberi cerita)", report.unassigned);
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn change(store: &Store, entity: &str, command: IssuesCommand) -> anyhow::Result<ExitCode> {
    let at_ms = chrono::Utc::now().timestamp_millis();
    match command {
        IssuesCommand::History => {
            for (issue, at, by, action, detail) in store.issue_audit(entity).await? {
                println!(
                    "{}  {issue:<16} {action:<7} {detail}  oleh {by}",
                    super::local_time(at, chrono_tz::Asia::Jakarta)
                );
            }
        }
        IssuesCommand::Rename { id, name, by } => {
            anyhow::ensure!(!name.trim().is_empty(), "the name is empty");
            apply(store, entity, at_ms, &id, IssueAction::Rename(&name), &by).await?;
            eprintln!("isu {id} dinamai {name:?}");
        }
        IssuesCommand::Merge { id, into, by } => {
            apply(
                store,
                entity,
                at_ms,
                &id,
                IssueAction::MergeInto(&into),
                &by,
            )
            .await?;
            eprintln!("isu {id} digabung ke {into}");
        }
        IssuesCommand::Move { story, to, new, by } => {
            let Some(story_id) = store.story_of(&story).await? else {
                anyhow::bail!("no story {story:?}: give a story id or one of its articles' ids");
            };
            let target = to.unwrap_or_else(|| crate::stories::split_issue_id(entity, at_ms));
            let action = IssueAction::MoveStory {
                story: &story_id,
                new_label: new.as_deref(),
            };
            apply(store, entity, at_ms, &target, action, &by).await?;
            eprintln!("cerita {story_id} dipindah ke isu {target}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn apply(
    store: &Store,
    entity: &str,
    at_ms: i64,
    issue: &str,
    action: IssueAction<'_>,
    by: &str,
) -> anyhow::Result<()> {
    anyhow::ensure!(!by.trim().is_empty(), "--by names who changes the issue");
    let ok = store
        .change_issue(&IssueChange {
            entity,
            issue,
            action,
            by,
            at_ms,
        })
        .await?;
    anyhow::ensure!(
        ok,
        "nothing changed: check the ids with `pantau issues --period …` (an issue, a story in an issue)"
    );
    Ok(())
}
