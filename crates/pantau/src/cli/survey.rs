//! `pantau survey import|report`: survey responses from CSV, and the IKM
//! of a period per unit.

use std::path::PathBuf;
use std::process::ExitCode;

use pantau_config::Config;

use crate::topology::{open_existing_store, open_store};

/// The survey commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
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
        format: super::report::Format,
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

/// Runs a survey command.
pub fn run(command: Command, config: &Config) -> anyhow::Result<ExitCode> {
    super::runtime()?.block_on(async {
        let store = match command {
            Command::Import { .. } => open_store(config).await?,
            _ => open_existing_store(config).await?,
        };
        match command {
            Command::Import { file } => {
                let s = crate::survey::import(&store, config, &file).await?;
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
            Command::Report {
                period,
                unit,
                weight,
                format,
            } => {
                let reports =
                    crate::survey::report(&store, config, period, unit.as_deref(), weight).await?;
                print!("{}", pantau_survey::render(&reports, format.into()));
            }
        }
        store.close().await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
