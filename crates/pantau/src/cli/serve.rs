//! `pantau run`, `ingest`, `classify`, `aggregate`: a process of a role,
//! until SIGINT or SIGTERM.

use std::path::Path;
use std::process::ExitCode;

use crate::topology::{self, Role};

/// Runs `role` with the configuration at `path`.
pub fn run(path: &Path, role: Role) -> anyhow::Result<ExitCode> {
    let config = super::load_config(path)?;
    super::init_logging(Some(&config));
    super::runtime()?.block_on(topology::run(config, role))?;
    Ok(ExitCode::SUCCESS)
}
