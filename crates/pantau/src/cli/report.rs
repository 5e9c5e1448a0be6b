//! `pantau report`: the KPI report of a period, from the store.

use std::process::ExitCode;

use anyhow::Context;
use pantau_config::Config;
use pantau_model::Period;

use crate::topology::open_existing_store;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text.
    Table,
    /// Markdown.
    Markdown,
    /// CSV.
    Csv,
    /// CSV for Indonesian spreadsheets: `;` between fields, decimal comma.
    CsvId,
    /// JSON.
    Json,
    /// The leadership report: PDF with the letterhead of `[report]`,
    /// narrative, charts and the most negative articles (needs --output).
    Pdf,
    /// The leadership report as Word (DOCX), for editing (needs --output).
    Docx,
}

impl From<Format> for pantau_model::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Table => pantau_model::Format::Table,
            Format::Markdown => pantau_model::Format::Markdown,
            Format::Csv | Format::CsvId => pantau_model::Format::Csv,
            Format::Json | Format::Pdf | Format::Docx => pantau_model::Format::Json,
        }
    }
}

/// Label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Bahasa Indonesia (default).
    Id,
    /// English.
    En,
}

/// The arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Entity (default: the only configured one).
    #[arg(long)]
    entity: Option<String>,
    /// 2023, 2023-Q2, 2023-05, or FROM..TO (YYYY-MM-DD).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    period: Option<Period>,
    /// First day (with --to), YYYY-MM-DD.
    #[arg(long, requires = "to")]
    from: Option<chrono::NaiveDate>,
    /// Last day (with --from), YYYY-MM-DD.
    #[arg(long, requires = "from")]
    to: Option<chrono::NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Label language.
    #[arg(long, value_enum, default_value = "id")]
    lang: Lang,
    /// How many of the most negative articles to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Write to this file instead of standard output (required for pdf and
    /// docx).
    #[arg(long, short)]
    output: Option<std::path::PathBuf>,
}

/// Prints the report.
pub fn run(a: Args, config: &Config) -> anyhow::Result<ExitCode> {
    let period = match (a.period, a.from, a.to) {
        (Some(p), _, _) => p,
        (None, Some(from), Some(to)) => Period::range(from, to)?,
        _ => anyhow::bail!("give --period or --from and --to"),
    };
    let entity = config
        .entity_or_only(a.entity.as_deref())
        .map_err(anyhow::Error::msg)?;
    let lang = match a.lang {
        Lang::Id => pantau_report::Lang::Id,
        Lang::En => pantau_report::Lang::En,
    };
    let document = match a.format {
        Format::Pdf => Some(crate::report::Document::Pdf),
        Format::Docx => Some(crate::report::Document::Docx),
        _ => None,
    };
    if let Some(d) = document {
        let ext = if d == crate::report::Document::Pdf {
            "pdf"
        } else {
            "docx"
        };
        if a.output.is_none() {
            anyhow::bail!("--format {ext} writes a file: give --output FILE.{ext}");
        }
        if lang == pantau_report::Lang::En {
            anyhow::bail!("the leadership report is in Indonesian only (--lang id)");
        }
    }
    let bytes = super::runtime()?.block_on(async {
        let store = open_existing_store(config).await?;
        let bytes = if let Some(d) = document {
            crate::report::leadership(&store, config, entity, &period, a.top, d).await?
        } else {
            let r = crate::report::compute(&store, entity, &period, a.top).await?;
            let out = pantau_report::render(&r, a.format.into(), lang);
            if a.format == Format::CsvId {
                pantau_report::csv_for_indonesian_locale(&out).into_bytes()
            } else {
                out.into_bytes()
            }
        };
        store.close().await;
        anyhow::Ok(bytes)
    })?;
    match &a.output {
        Some(path) => {
            std::fs::write(path, &bytes)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            eprintln!("{}: {} bytes", path.display(), bytes.len());
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
