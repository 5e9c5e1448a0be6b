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

/// Ports below the kernel's ephemeral range that no other test of this
/// process has been given: a port the kernel handed out (bind to port 0)
/// and released is the next outgoing connection's to take, in this test or
/// a parallel one, before the server it was meant for binds it.
pub const PORTS: std::ops::Range<u16> = 20_000..32_000;

/// A loopback port free now, outside the ephemeral range, never handed to
/// another test of this process.
pub fn free_port() -> u16 {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static GIVEN: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
    let mut given = GIVEN.lock().unwrap();
    let given = given.get_or_insert_with(HashSet::new);
    // Start somewhere different in each test process.
    let span = u32::from(PORTS.end - PORTS.start);
    let mut at = (std::process::id().wrapping_mul(2_654_435_761) % span) as u16;
    for _ in 0..span {
        at = (at + 1) % (span as u16);
        let port = PORTS.start + at;
        if !given.contains(&port) && TcpListener::bind(("127.0.0.1", port)).is_ok() {
            given.insert(port);
            return port;
        }
    }
    panic!("no free port in {PORTS:?}");
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

/// A configuration in `dir` (its data in `dir/data`) with the repository's
/// entities and lexicons, then `extra` (TOML sections such as `[http]`).
pub fn store_config(dir: &Path, extra: &str) -> PathBuf {
    let root = repo();
    let path = dir.join("pantau.toml");
    std::fs::write(
        &path,
        format!(
            "data_dir = {:?}\nentities_dir = {:?}\nlexicon_dir = {:?}\n{extra}",
            dir.join("data").display().to_string(),
            root.join("config/entities").display().to_string(),
            root.join("config/lexicon").display().to_string(),
        ),
    )
    .unwrap();
    path
}

/// `pantau -c CONFIG ARGS…`, which must succeed; its standard output.
pub fn pantau_ok(config: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(BIN)
        .arg("-c")
        .arg(config)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pantau {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A blocking request that follows no redirect: status, the `Location`
/// header, and the body; `None` when nothing answered.
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Option<(u16, Option<String>, String)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .ok()?;
        let mut r = client
            .request(method.parse().ok()?, url)
            .timeout(std::time::Duration::from_secs(10));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        if let Some(b) = body {
            r = r
                .header("content-type", "application/json")
                .body(b.to_owned());
        }
        let r = r.send().await.ok()?;
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Some((status, location, r.text().await.ok()?))
    })
}
