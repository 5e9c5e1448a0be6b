//! `pantau`: one binary for every stage and tool (see the library's docs for
//! the layout). This file is the command line.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::{Parser, Subcommand};
use pantau_config::Config;
use pantau_ingest::{parse_feed_as, FetchOutcome};

use pantau::classify::Classify;
use pantau::{demo, pipeline};

#[derive(Debug, Parser)]
#[command(
    name = "pantau",
    version,
    about = "Media monitoring: negative-coverage KPI and public satisfaction index"
)]
struct Cli {
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
    /// Run every stage in one process over the embedded bus (the default deployment).
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
    ClassifyText {
        /// The text (first line is the headline); omit with --stdin.
        text: Option<String>,
        /// Entity to target (e.g. kemensos); without it the whole text is scored.
        #[arg(long)]
        entity: Option<String>,
        /// Read one text per line from standard input.
        #[arg(long)]
        stdin: bool,
        /// One JSON object per text.
        #[arg(long)]
        json: bool,
    },
    /// Measure the classifier on labelled files: tone (accuracy, macro-F1,
    /// confusion matrix), relevance (precision, recall, F1) and the
    /// negative share against the true one.
    Eval {
        /// Labelled files: NusaX CSV (`id,text,label`), `text<TAB>label`
        /// (a sentiment, or y/n for relevance), or headlines labelled for
        /// both (a TSV with `title`, `relevant`, `sentiment` columns).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Entity whose relevance is measured and toward which tone is
        /// targeted; without it texts are scored whole.
        #[arg(long)]
        entity: Option<String>,
        /// File layout; guessed from the extension when omitted.
        #[arg(long, value_enum)]
        format: Option<pantau::evaluate::Format>,
        /// Write each row's prediction to this TSV file.
        #[arg(long)]
        predictions: Option<PathBuf>,
    },
    /// Feed tools.
    Feeds {
        #[command(subcommand)]
        command: FeedsCommand,
    },
    /// Import articles from print, TV, radio or social media: JSONL or CSV
    /// with the fields of `POST /api/v1/articles`. Run it while pantau is
    /// stopped, or push to a running service with the API; counters are
    /// rebuilt from the store at start.
    Import {
        /// The file (`.jsonl` / `.json` lines, or `.csv` with a header).
        file: PathBuf,
        /// Read as CSV even without a `.csv` extension.
        #[arg(long)]
        csv: bool,
    },
    /// The KPI report of a period, from the store (IKU form).
    Report {
        /// Entity (default: the only configured one).
        #[arg(long)]
        entity: Option<String>,
        /// 2023, 2023-Q2, 2023-05, or FROM..TO (YYYY-MM-DD).
        #[arg(long, conflicts_with_all = ["from", "to"])]
        period: Option<pantau_model::Period>,
        /// First day (with --to), YYYY-MM-DD.
        #[arg(long, requires = "to")]
        from: Option<chrono::NaiveDate>,
        /// Last day (with --from), YYYY-MM-DD.
        #[arg(long, requires = "from")]
        to: Option<chrono::NaiveDate>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: pantau::report::Format,
        /// Label language.
        #[arg(long, value_enum, default_value = "id")]
        lang: pantau::report::Lang,
        /// How many of the most negative articles to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Analyst review: list, override (with an audit trail), history, export.
    Review {
        #[command(subcommand)]
        command: ReviewCommand,
    },
    /// The public satisfaction survey (SKM/IKM, PermenPAN-RB No. 14/2017).
    Survey {
        #[command(subcommand)]
        command: SurveyCommand,
    },
    /// Serve the demo feeds from localhost with fresh dates (for `make demo`).
    #[command(hide = true)]
    DemoServer {
        /// Directory of feed templates.
        #[arg(long, default_value = "demo/feeds")]
        dir: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: String,
    },
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// Assessments, newest first.
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
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: i64,
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

#[derive(Debug, Subcommand)]
enum SurveyCommand {
    /// Import responses from CSV: respondent_id,date,unit,[gender,age,education,occupation,]u1..u9.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// The IKM per unit for a period: NRR per element, score, grade, sample, groups.
    Report {
        /// 2023, 2023-Q2, 2023-05, or FROM..TO (YYYY-MM-DD).
        #[arg(long)]
        period: pantau_model::Period,
        /// One unit (default: every configured unit with responses).
        #[arg(long)]
        unit: Option<String>,
        /// Element weight: 1/9 (exact, default) or a rounded value such as 0.111 or 0.11.
        #[arg(long, default_value = "1/9", value_parser = parse_weight)]
        weight: pantau_survey::Weight,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: pantau::survey::Format,
    },
}

fn parse_weight(s: &str) -> Result<pantau_survey::Weight, String> {
    if s.trim() == "1/9" {
        return Ok(pantau_survey::Weight::Exact);
    }
    match s.trim().parse::<f64>() {
        Ok(w) if w > 0.0 && w < 1.0 => Ok(pantau_survey::Weight::Rounded(w)),
        _ => Err(format!(
            "{s:?}: expected 1/9 or a number between 0 and 1 such as 0.111"
        )),
    }
}

#[derive(Debug, Subcommand)]
enum FeedsCommand {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match real_main(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(path: &Path) -> anyhow::Result<Config> {
    pantau_config::load(path).map_err(|e| anyhow::anyhow!("{e}"))
}

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

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn real_main(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run => {
            let config = load_config(&cli.config)?;
            init_logging(Some(&config));
            runtime()?.block_on(pipeline::run(config))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest | Command::Classify | Command::Aggregate => {
            let config = load_config(&cli.config)?;
            init_logging(Some(&config));
            let service = match cli.command {
                Command::Ingest => pipeline::Service::Ingest,
                Command::Classify => pipeline::Service::Classify,
                _ => pipeline::Service::Aggregate,
            };
            runtime()?.block_on(pipeline::run_service(config, service))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckConfig => {
            match pantau_config::load(&cli.config) {
                Ok(c) => {
                    println!("{}: ok", c.path.display());
                    println!("  store:    {}", c.store_url());
                    println!("  http:     {}", c.http.listen);
                    println!("  feeds:    {}", c.feeds.len());
                    for e in &c.entities {
                        let t = &e.terms;
                        println!(
                        "  entity:   {} ({}), {} terms, {} exclusions, time zone {}, targets {:?}",
                        e.id,
                        e.name,
                        t.names.len() + t.officials.len() + t.programmes.len() + t.people.len() + t.ambiguous.len(),
                        t.exclusions.len(),
                        e.time_zone,
                        e.targets
                    );
                    }
                    let classifier = pantau_sentiment::Classifier::load(&c.lexicon_dir)
                        .with_context(|| format!("lexicons in {}", c.lexicon_dir.display()))?;
                    let (id, en) = classifier.sizes();
                    println!("  lexicon:  {id} Indonesian entries, {en} English entries");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprint!("{e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::ClassifyText {
            text,
            entity,
            stdin,
            json,
        } => {
            let config = load_config(&cli.config)?;
            let ctx = classifier_for(&config, entity.as_deref())?;
            let out = std::io::stdout();
            let mut out = out.lock();
            if stdin {
                for line in std::io::stdin().lock().lines() {
                    let line = line.context("reading standard input")?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    print_classification(&mut out, &ctx, entity.as_deref(), &line, "", json)?;
                }
            } else {
                let text = text.context("give TEXT or --stdin")?;
                let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
                print_classification(&mut out, &ctx, entity.as_deref(), title, body, json)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            files,
            entity,
            format,
            predictions,
        } => {
            let config = load_config(&cli.config)?;
            let ctx = classifier_for(&config, entity.as_deref())?;
            let entity = entity.is_some().then_some(0);
            pantau::evaluate::run(&ctx, entity, &files, format, predictions.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Feeds {
            command: FeedsCommand::Status { json },
        } => {
            let config = load_config(&cli.config)?;
            runtime()?.block_on(feeds_status(&config, json))
        }
        Command::Feeds {
            command:
                FeedsCommand::Check {
                    source,
                    entity,
                    json,
                },
        } => {
            let config = load_config(&cli.config)?;
            let ctx = classifier_for(&config, entity.as_deref())?;
            runtime()?.block_on(feeds_check(&config, &ctx, &source, entity.as_deref(), json))
        }
        Command::Import { file, csv } => {
            let config = load_config(&cli.config)?;
            let ctx = classifier_for(&config, None)?;
            let is_csv = csv || file.extension().is_some_and(|e| e == "csv");
            runtime()?.block_on(async {
                let store = open_store(&config).await?;
                let s = pantau::push::import_file(&store, &ctx, &file, is_csv).await?;
                for (line, why) in &s.rejected {
                    eprintln!("{}:{line}: rejected: {why}", file.display());
                }
                println!(
                    "{}: {} items, {} stored, {} duplicates, {} not relevant, {} rejected",
                    file.display(),
                    s.read,
                    s.stored,
                    s.duplicates,
                    s.not_relevant,
                    s.rejected.len()
                );
                store.close().await;
                anyhow::Ok(())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            entity,
            period,
            from,
            to,
            format,
            lang,
            top,
        } => {
            let config = load_config(&cli.config)?;
            let period = match (period, from, to) {
                (Some(p), _, _) => p,
                (None, Some(a), Some(b)) => pantau_model::Period::range(a, b)?,
                _ => anyhow::bail!("give --period or --from and --to"),
            };
            let entity = pantau::report::entity(&config, entity.as_deref())?;
            runtime()?.block_on(async {
                let store = open_store(&config).await?;
                let r = pantau::report::compute(&store, entity, &period, top).await?;
                print!("{}", pantau::report::render(&r, format, lang));
                store.close().await;
                anyhow::Ok(())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Review { command } => {
            let config = load_config(&cli.config)?;
            runtime()?.block_on(review(&config, command))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Survey { command } => {
            let config = load_config(&cli.config)?;
            runtime()?.block_on(async {
                let store = pantau_store::Store::open(&config.store_url())
                    .await
                    .with_context(|| format!("opening the store {}", config.store_url()))?;
                match command {
                    SurveyCommand::Import { file } => {
                        let s = pantau::survey::import(&store, &config, &file).await?;
                        for (line, why) in &s.rejected {
                            eprintln!("{}:{line}: rejected: {why}", file.display());
                        }
                        for (line, why) in &s.duplicates {
                            eprintln!("{}:{line}: duplicate: {why}", file.display());
                        }
                        println!(
                            "{}: {} rows, {} imported, {} duplicates, {} rejected",
                            file.display(),
                            s.rows,
                            s.imported,
                            s.duplicates.len(),
                            s.rejected.len()
                        );
                    }
                    SurveyCommand::Report {
                        period,
                        unit,
                        weight,
                        format,
                    } => {
                        let reports = pantau::survey::report(
                            &store,
                            &config,
                            period,
                            unit.as_deref(),
                            weight,
                        )
                        .await?;
                        print!("{}", pantau::survey::render(&reports, format));
                    }
                }
                store.close().await;
                anyhow::Ok(())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::DemoServer { dir, listen } => {
            init_logging(None);
            runtime()?.block_on(async {
                let listener = tokio::net::TcpListener::bind(&listen)
                    .await
                    .with_context(|| format!("binding {listen}"))?;
                tracing::info!(addr = %listener.local_addr()?, dir = %dir.display(), "demo feeds served");
                demo::serve(dir, listener).await
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn open_store(config: &Config) -> anyhow::Result<pantau_store::Store> {
    let url = config.store_url();
    pantau_store::Store::open(&url)
        .await
        .with_context(|| format!("opening the store {}", pantau_store::redact(&url)))
}

async fn review(config: &Config, command: ReviewCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let ms_to_date = |ms: i64, tz: chrono_tz::Tz| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    match command {
        ReviewCommand::List {
            entity,
            sentiment,
            media_type,
            since,
            limit,
        } => {
            let tz = pantau::report::entity(config, entity.as_deref())
                .map_or(chrono_tz::Asia::Jakarta, |e| e.time_zone);
            let since_ms = since.map(|d| {
                pantau_aggregate::report::period_bounds(&pantau_model::Period::Range(d, d), tz)
                    .0
                    .timestamp_millis()
            });
            let items = store
                .review_list(&pantau_store::ReviewFilter {
                    entity,
                    sentiment,
                    media_type,
                    since_ms,
                    limit,
                })
                .await?;
            for i in &items {
                let changed = match &i.override_by {
                    Some(by) => format!(" (classifier: {}, set by {by})", i.classified),
                    None => String::new(),
                };
                println!(
                    "{}  {}  {:<8} {:<6} {:+.2}  {} — {}{changed}",
                    i.article_id,
                    ms_to_date(i.event_time_ms, tz),
                    i.effective.as_str(),
                    i.media_type.as_str(),
                    i.score,
                    i.outlet,
                    i.title
                );
            }
            eprintln!("{} assessment(s)", items.len());
        }
        ReviewCommand::Set {
            id,
            sentiment,
            by,
            reason,
            entity,
        } => {
            let entity = pantau::report::entity(config, entity.as_deref())?;
            if by.trim().is_empty() || reason.trim().len() < 3 {
                anyhow::bail!("--by and --reason (at least 3 characters) are required: the audit trail says who and why");
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
        ReviewCommand::History { id } => {
            let h = store.audit_history(&id).await?;
            if h.is_empty() {
                println!("{id}: no overrides");
            }
            for e in h {
                println!(
                    "{}  {}  {} → {}  by {}: {}",
                    ms_to_date(e.at_ms, chrono_tz::Asia::Jakarta),
                    e.entity,
                    e.old,
                    e.new,
                    e.by,
                    e.reason
                );
            }
        }
        ReviewCommand::Export { file } => {
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

fn classifier_for(config: &Config, entity: Option<&str>) -> anyhow::Result<Classify> {
    if let Some(e) = entity {
        if config.entity(e).is_none() {
            let known: Vec<_> = config.entities.iter().map(|e| e.id.as_str()).collect();
            anyhow::bail!("unknown entity {e:?}; configured: {}", known.join(", "));
        }
    }
    let classifier = pantau_sentiment::Classifier::load(&config.lexicon_dir)
        .with_context(|| format!("loading lexicons from {}", config.lexicon_dir.display()))?;
    let entities: Vec<_> = config
        .entities
        .iter()
        .filter(|e| entity.is_none_or(|id| e.id == id))
        .cloned()
        .collect();
    Ok(Classify::new(classifier, &entities))
}

fn print_classification(
    out: &mut impl Write,
    ctx: &Classify,
    entity: Option<&str>,
    title: &str,
    body: &str,
    json: bool,
) -> anyhow::Result<()> {
    let (text, _) = pantau_sentiment::compose(title, body, "");
    let verdict = entity
        .and_then(|_| ctx.entities.first())
        .map(|(_, m)| m.assess(&text));
    let scored = ctx.score_text(title, body, verdict.as_ref().filter(|v| v.relevant));
    if json {
        let v = serde_json::json!({
            "text": if body.is_empty() { title.to_owned() } else { format!("{title}\n{body}") },
            "sentiment": scored.sentiment,
            "score": scored.score,
            "relevance": verdict.as_ref().map(|v| serde_json::json!({
                "entity": entity, "relevant": v.relevant, "reason": v.reason })),
            "explanation": scored.explanation,
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    writeln!(
        out,
        "sentiment: {} (score {:+.3})",
        scored.sentiment, scored.score
    )?;
    if let Some(v) = &verdict {
        writeln!(
            out,
            "relevance: {} to {} — {}",
            if v.relevant {
                "relevant"
            } else {
                "not relevant"
            },
            entity.unwrap_or("-"),
            v.reason
        )?;
    }
    writeln!(
        out,
        "language:  {}, scope: {}",
        scored.explanation.language, scored.explanation.scope
    )?;
    for t in &scored.explanation.terms {
        let mods = if t.modifiers.is_empty() {
            String::new()
        } else {
            format!("  [{}]", t.modifiers.join(", "))
        };
        writeln!(
            out,
            "  {:>+6.2}  {:<28} lexicon {:<24} {:+.1}  @{}{}",
            t.effective,
            format!("\"{}\"", t.text),
            t.lemma,
            t.weight,
            t.position,
            mods
        )?;
    }
    Ok(())
}

async fn feeds_status(config: &Config, json: bool) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let states: std::collections::HashMap<String, pantau_store::FeedState> = store
        .feed_states()
        .await?
        .into_iter()
        .map(|s| (s.feed_id.clone(), s))
        .collect();
    store.close().await;
    let tz = config
        .entities
        .first()
        .map_or(chrono_tz::Asia::Jakarta, |e| e.time_zone);
    let when = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "never".to_owned())
    };
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

async fn feeds_check(
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
    let fetcher = pipeline::fetcher(config)?;
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
        .or(config.entities.first())
        .map_or(chrono_tz::Asia::Jakarta, |e| e.time_zone);
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
