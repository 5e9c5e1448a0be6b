//! `pantau eval`: the classifier measured on labelled files.

use std::path::PathBuf;
use std::process::ExitCode;

use pantau_config::Config;

use crate::evaluate::{self, Format};

/// The arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labelled files: NusaX CSV (`id,text,label`), `text<TAB>label`
    /// (a sentiment, or y/n for relevance), or headlines labelled for
    /// both (a TSV with `title`, `relevant`, `sentiment` columns).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Entity whose relevance is measured and toward which tone is
    /// targeted; without it texts are scored whole.
    #[arg(long)]
    entity: Option<String>,
    /// File layout; guessed from the file when omitted.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write each row's prediction to this TSV file.
    #[arg(long)]
    predictions: Option<PathBuf>,
}

/// Evaluates every file.
pub fn run(a: Args, config: &Config) -> anyhow::Result<ExitCode> {
    let ctx = super::classifier_for(config, a.entity.as_deref())?;
    let entity = a.entity.is_some().then_some(0);
    evaluate::run(&ctx, entity, &a.files, a.format, a.predictions.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
