//! `pantau demo-server`: the demo feeds served from localhost with fresh
//! dates (`make demo`, the tests).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// The arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of feed templates.
    #[arg(long, default_value = "demo/feeds")]
    dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: String,
}

/// Serves until killed.
pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    super::init_logging(None);
    super::runtime()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(&a.listen)
            .await
            .with_context(|| format!("binding {}", a.listen))?;
        tracing::info!(addr = %listener.local_addr()?, dir = %a.dir.display(), "demo feeds served");
        crate::demo::serve(a.dir, listener).await
    })?;
    Ok(ExitCode::SUCCESS)
}
