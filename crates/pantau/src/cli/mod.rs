//! The command line: one file per command, each with its arguments and a
//! `run`; this file parses and dispatches, and holds what every command
//! shares (the configuration, logging, the async runtime).

mod audit;
mod check_config;
mod classify_text;
mod demo_server;
mod digest;
mod eval;
mod feeds;
mod health;
mod import;
mod outlook;
mod report;
mod review;
mod serve;
mod store;
mod stories;
mod survey;
mod user;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pantau_config::Config;

use crate::classify::Classify;
use crate::topology::Role;

/// The `pantau` command line.
#[derive(Debug, Parser)]
#[command(
    name = "pantau",
    version,
    about = "Media monitoring: negative-coverage KPI and public satisfaction index"
)]
pub struct Cli {
    /// Configuration file.
    #[arg(
        long,
        short,
        global = true,
        env = "PANTAU_CONFIG",
        default_value = "config/pantau.toml"
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every stage in one process (embedded bus by default; `bus.kind =
    /// "kafka"` runs the three stages over Kafka in one process).
    Run,
    /// The ingest service over Kafka: poll feeds, publish relevant items.
    Ingest,
    /// The classify service over Kafka (run as many as the raw topic has partitions).
    Classify,
    /// The aggregate service over Kafka: store, counters, metrics, API.
    Aggregate,
    /// Validate the configuration and print a summary (exit 1 on any error).
    CheckConfig,
    /// Classify text: relevance to an entity, sentiment, and the explanation.
    ClassifyText(classify_text::Args),
    /// Measure the classifier on labelled files: tone (accuracy, macro-F1,
    /// confusion matrix), relevance (precision, recall, F1) and the
    /// negative share against the true one.
    Eval(eval::Args),
    /// Feed tools.
    Feeds {
        #[command(subcommand)]
        command: feeds::Command,
    },
    /// Import articles from print, TV, radio or social media: JSONL or CSV
    /// with the fields of `POST /api/v1/articles`. Run it while pantau is
    /// stopped, or push to a running service with the API; counters are
    /// rebuilt from the store at start.
    Import(import::Args),
    /// Early warning: spikes of negative coverage now, and the projected
    /// close of the month, quarter and year against the target, with the
    /// negative articles the target still allows.
    Outlook(outlook::Args),
    /// The clipping (kliping): the KPI and its forecast, spikes, the new
    /// negative articles and why, what needs review — shown, or sent by
    /// e-mail, Telegram and webhooks (`--send`); `--list`, `--resend ID`.
    Digest(digest::Args),
    /// A period's stories: syndicated copies and light rewrites of one
    /// news story, grouped; the negative percentage counted per story.
    Stories(stories::StoriesArgs),
    /// A period's issues (isu): stories about one matter, ranked by their
    /// points of the negative percentage; rename, merge, move (audited).
    Issues(stories::IssuesArgs),
    /// The KPI report of a period, from the store (IKU form).
    Report(report::Args),
    /// Analyst review: list, override (with an audit trail), history, export.
    Review {
        #[command(subcommand)]
        command: review::Command,
    },
    /// The audited KPI: draw a random sample of a period's articles,
    /// record the analysts' verdicts; `pantau report` then shows the true
    /// negative share with a 95 % interval.
    Audit {
        #[command(subcommand)]
        command: audit::Command,
    },
    /// The public satisfaction survey (SKM/IKM, PermenPAN-RB No. 14/2017).
    Survey {
        #[command(subcommand)]
        command: survey::Command,
    },
    /// Staff accounts: add (with a one-time password), list, disable,
    /// enable, new password, API tokens.
    User {
        #[command(subcommand)]
        command: user::Command,
    },
    /// The store: check its integrity, back it up.
    Store {
        #[command(subcommand)]
        command: store::Command,
    },
    /// Ask a running pantau whether it is ready (`/readyz`): exit 0 or 1,
    /// for container health checks.
    Health(health::Args),
    /// Serve the demo feeds from localhost with fresh dates (for `make demo`).
    #[command(hide = true)]
    DemoServer(demo_server::Args),
}

impl Cli {
    /// Runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let path = self.config;
        if !matches!(
            self.command,
            Command::Run
                | Command::Ingest
                | Command::Classify
                | Command::Aggregate
                | Command::DemoServer(_)
        ) {
            end_quietly_on_a_closed_pipe();
        }
        match self.command {
            Command::Run => serve::run(&path, Role::All),
            Command::Ingest => serve::run(&path, Role::Ingest),
            Command::Classify => serve::run(&path, Role::Classify),
            Command::Aggregate => serve::run(&path, Role::Aggregate),
            Command::CheckConfig => check_config::run(&path),
            Command::ClassifyText(a) => classify_text::run(a, &load_config(&path)?),
            Command::Eval(a) => eval::run(a, &load_config(&path)?),
            Command::Feeds { command } => feeds::run(command, &load_config(&path)?),
            Command::Import(a) => import::run(a, &load_config(&path)?),
            Command::Outlook(a) => outlook::run(a, &load_config(&path)?),
            Command::Digest(a) => digest::run(a, &load_config(&path)?),
            Command::Stories(a) => stories::run_stories(a, &load_config(&path)?),
            Command::Issues(a) => stories::run_issues(a, &load_config(&path)?),
            Command::Report(a) => report::run(a, &load_config(&path)?),
            Command::Review { command } => review::run(command, &load_config(&path)?),
            Command::Audit { command } => audit::run(command, &load_config(&path)?),
            Command::Survey { command } => survey::run(command, &load_config(&path)?),
            Command::Store { command } => store::run(command, &load_config(&path)?),
            Command::User { command } => user::run(command, &load_config(&path)?),
            Command::Health(a) => health::run(a, &load_config(&path)?),
            Command::DemoServer(a) => demo_server::run(a),
        }
    }
}

/// A command whose output is piped into `head` ends as Unix tools do when
/// the reader goes away, by SIGPIPE, instead of panicking on the next
/// `println!` (Rust ignores SIGPIPE by default). The services keep the
/// default: a client closing its socket must never stop them.
fn end_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called before any thread is spawned; resetting a signal's
    // disposition to its default has no other effect on the process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Loads and validates the configuration; every error at once.
fn load_config(path: &Path) -> anyhow::Result<Config> {
    pantau_config::load(path).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Logs to standard error, as the configuration says (`RUST_LOG` wins).
fn init_logging(config: Option<&Config>) {
    use tracing_subscriber::EnvFilter;
    let level = config.map_or("info", |c| c.log.level.as_str());
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    // Colours only on a terminal: log files and journald get plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    if config.is_some_and(|c| c.log.format == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// The async runtime of the commands that do I/O.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// The classifier with the matcher of one entity (or of all of them).
fn classifier_for(config: &Config, entity: Option<&str>) -> anyhow::Result<Classify> {
    if let Some(e) = entity {
        config.entity_or_only(Some(e)).map_err(anyhow::Error::msg)?;
    }
    let classifier = pantau_sentiment::Classifier::load(&config.lexicon_dir)
        .with_context(|| format!("loading lexicons from {}", config.lexicon_dir.display()))?;
    let entities: Vec<_> = config
        .entities
        .iter()
        .filter(|e| entity.is_none_or(|id| e.id == id))
        .cloned()
        .collect();
    Ok(Classify::new(classifier, &entities).with_own_channels(&config.feeds))
}

/// Unix milliseconds as a local date and time, for listings.
fn local_time(ms: i64, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}
