//! `pantau import FILE.jsonl|FILE.csv`: clippings, transcripts and
//! exports into the store.

use std::path::PathBuf;
use std::process::ExitCode;

use pantau_config::Config;

use crate::sources::import::import_file;
use crate::topology::open_store;

/// The arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file (`.jsonl` / `.json` lines, or `.csv` with a header).
    file: PathBuf,
    /// Read as CSV even without a `.csv` extension.
    #[arg(long)]
    csv: bool,
}

/// Imports the file and prints what happened to its lines.
pub fn run(a: Args, config: &Config) -> anyhow::Result<ExitCode> {
    // Held until the import ends: a service starting meanwhile waits.
    let _lock = crate::topology::store_lock::for_import(config)?;
    let ctx = super::classifier_for(config, None)?;
    let is_csv = a.csv || a.file.extension().is_some_and(|e| e == "csv");
    super::runtime()?.block_on(async {
        let store = open_store(config).await?;
        let s = import_file(&store, &ctx, &a.file, is_csv, config.local_tz()).await?;
        for (line, why) in &s.rejected {
            eprintln!("{}:{line}: rejected: {why}", a.file.display());
        }
        println!(
            "{}: {} items, {} stored, {} duplicates, {} not relevant, {} rejected",
            a.file.display(),
            s.read,
            s.stored,
            s.duplicates,
            s.not_relevant,
            s.rejected.len()
        );
        store.close().await;
        anyhow::Ok(s.rejected.len())
    })
    .map(|rejected| {
        if rejected == 0 {
            return ExitCode::SUCCESS;
        }
        // The good lines are stored; importing the corrected file again
        // finds them as duplicates.
        eprintln!(
            "{}: {rejected} line(s) rejected (listed above): correct them and import the file again",
            a.file.display()
        );
        ExitCode::FAILURE
    })
}
