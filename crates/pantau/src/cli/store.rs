//! `pantau store check` (SQLite's integrity check, or PostgreSQL's schema
//! version) and `pantau store backup FILE` (SQLite's online backup).

use std::path::PathBuf;
use std::process::ExitCode;

use pantau_config::Config;

use crate::topology::open_existing_store;

/// The store commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check the store: every problem found, exit 1 when there is one.
    Check,
    /// Copy the running SQLite store into a new file, consistently, while
    /// pantau keeps writing (PostgreSQL: use pg_dump).
    Backup {
        /// The new file.
        file: PathBuf,
    },
}

/// Runs a store command.
pub fn run(command: Command, config: &Config) -> anyhow::Result<ExitCode> {
    super::runtime()?.block_on(async {
        let store = open_existing_store(config).await?;
        let code = match command {
            Command::Check => {
                let problems = store.check().await?;
                for p in &problems {
                    println!("problem: {p}");
                }
                if problems.is_empty() {
                    println!(
                        "{}: ok ({} articles)",
                        pantau_store::redact(&config.store_url()),
                        store.article_count().await?
                    );
                    ExitCode::SUCCESS
                } else {
                    println!("{} problem(s)", problems.len());
                    ExitCode::FAILURE
                }
            }
            Command::Backup { file } => {
                let bytes = store.backup(&file).await?;
                println!(
                    "{}: {bytes} bytes, a consistent copy of the store",
                    file.display()
                );
                ExitCode::SUCCESS
            }
        };
        store.close().await;
        anyhow::Ok(code)
    })
}
