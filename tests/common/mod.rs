//! Helpers shared by the end-to-end tests (each test crate uses a subset).
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Child;

/// The `pantau` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_pantau");

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A loopback port free at the moment of asking.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process, killed and reaped when dropped.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `pantau demo-server` on the bundled demo feeds, on a free port.
pub fn demo_feeds() -> (Proc, u16) {
    let port = free_port();
    let server = Proc(
        std::process::Command::new(BIN)
            .args([
                "demo-server",
                "--dir",
                repo().join("demo/feeds").to_str().unwrap(),
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    (server, port)
}

/// A blocking GET: status and body, `None` when nothing answered.
pub fn get(url: &str) -> Option<(u16, String)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::Client::new()
            .get(url)
            .timeout(std::time::Duration::from_secs(5))
            .send()
            .await
            .ok()?;
        let status = r.status().as_u16();
        Some((status, r.text().await.ok()?))
    })
}

/// `config/demo.toml` with its state in `data_dir`, the repository's
/// entities and lexicons, and the demo feeds on `feed_port`.
pub fn demo_config(data_dir: &Path, feed_port: u16) -> String {
    let root = repo();
    std::fs::read_to_string(root.join("config/demo.toml"))
        .unwrap()
        .replace(
            "data_dir = \"../target/demo-data\"",
            &format!("data_dir = {:?}", data_dir.display().to_string()),
        )
        .replace(
            "entities_dir = \"entities\"",
            &format!(
                "entities_dir = {:?}",
                root.join("config/entities").display().to_string()
            ),
        )
        .replace(
            "lexicon_dir = \"lexicon\"",
            &format!(
                "lexicon_dir = {:?}",
                root.join("config/lexicon").display().to_string()
            ),
        )
        .replace("127.0.0.1:8787", &format!("127.0.0.1:{feed_port}"))
}
