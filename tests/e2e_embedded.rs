//! End-to-end tests of `pantau run` on the embedded bus: the real binary,
//! real HTTP feeds (served by `pantau demo-server` on loopback), a real
//! SQLite store, and `/metrics` read the way Prometheus reads it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use pantau_aggregate::{Counters, Window};
use pantau_model::{MediaType, Sentiment};

mod common;
use common::{free_port, get, repo, Proc, BIN};

fn spawn(args: &[&str], log: &Path) -> Proc {
    let out = std::fs::File::create(log).unwrap();
    let child = Command::new(BIN)
        .args(args)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .stdin(Stdio::null())
        .spawn()
        .expect("start pantau");
    Proc(child)
}

fn serve_feeds(dir: &Path, log: &Path) -> (Proc, u16) {
    let port = free_port();
    let p = spawn(
        &[
            "demo-server",
            "--dir",
            dir.to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ],
        log,
    );
    wait_http(&format!("http://127.0.0.1:{port}/feeds/none"), |s| s == 404);
    (p, port)
}

fn wait_http(url: &str, ok: impl Fn(u16) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if get(url).is_some_and(|(s, _)| ok(s)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{url} did not answer in time");
}

/// Writes a config with the given feeds, state in `data`, listening on `port`.
fn write_config(dir: &Path, data: &Path, port: u16, feeds: &[(&str, String, &str)]) -> PathBuf {
    let repo = repo();
    let mut s = format!(
        "data_dir = {:?}\nentities_dir = {:?}\nlexicon_dir = {:?}\n[http]\nlisten = \"127.0.0.1:{port}\"\n\
         [ingest]\ndefault_interval = \"1s\"\nmin_interval = \"1s\"\nmax_interval = \"5s\"\ntimeout = \"5s\"\nconnect_timeout = \"1s\"\n",
        data.display().to_string(),
        repo.join("config/entities").display().to_string(),
        repo.join("config/lexicon").display().to_string(),
    );
    for (id, url, media) in feeds {
        s.push_str(&format!(
            "[[feeds]]\nid = {id:?}\nurl = {url:?}\nmedia_type = {media:?}\n"
        ));
    }
    let path = dir.join("pantau.toml");
    std::fs::write(&path, s).unwrap();
    path
}

/// Samples of one metric family: label set → value.
fn samples(metrics: &str, name: &str) -> BTreeMap<BTreeMap<String, String>, f64> {
    let mut out = BTreeMap::new();
    for line in metrics.lines() {
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix('{') else {
            continue;
        };
        let (labels, value) = rest.split_once("} ").unwrap();
        let labels = labels
            .split("\",")
            .filter(|l| !l.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once("=\"").unwrap();
                (k.to_owned(), v.trim_end_matches('"').to_owned())
            })
            .collect();
        out.insert(labels, value.parse().unwrap());
    }
    out
}

fn articles_total(metrics: &str) -> BTreeMap<(String, String), f64> {
    let mut out = BTreeMap::new();
    for (l, v) in samples(metrics, "pantau_articles_total") {
        if v > 0.0 {
            out.insert((l["media_type"].clone(), l["sentiment"].clone()), v);
        }
    }
    out
}

/// Polls `/metrics` until `done` holds or the deadline passes; returns the last text.
fn metrics_until(port: u16, within: Duration, done: impl Fn(&str) -> bool) -> String {
    let url = format!("http://127.0.0.1:{port}/metrics");
    let deadline = Instant::now() + within;
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Some((200, text)) = get(&url) {
            if done(&text) {
                return text;
            }
            last = text;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    last
}

fn parse_offset(s: &str) -> chrono::Duration {
    let mut total = chrono::Duration::zero();
    let mut num = String::new();
    for c in s.trim_start_matches('-').chars() {
        if c.is_ascii_digit() {
            num.push(c);
        } else {
            let n: i64 = num.parse().unwrap();
            num.clear();
            total += match c {
                'd' => chrono::Duration::days(n),
                'h' => chrono::Duration::hours(n),
                _ => chrono::Duration::minutes(n),
            };
        }
    }
    -total
}

#[test]
fn demo_metrics_equal_the_recorded_expectations() {
    let tmp = tempfile::tempdir().unwrap();
    let (_server, feed_port) =
        serve_feeds(&repo().join("demo/feeds"), &tmp.path().join("server.log"));
    let port = free_port();
    let base = format!("http://127.0.0.1:{feed_port}/feeds");
    let feeds = [
        (
            "warta-nusantara",
            format!("{base}/warta-nusantara.xml"),
            "online",
        ),
        (
            "kabar-harian",
            format!("{base}/kabar-harian.atom"),
            "online",
        ),
        (
            "portal-rakyat",
            format!("{base}/portal-rakyat.json"),
            "online",
        ),
        (
            "suara-publik-tv",
            format!("{base}/suara-publik-tv.xml"),
            "tv",
        ),
        ("radio-swara", format!("{base}/radio-swara.xml"), "radio"),
    ];
    let config = write_config(tmp.path(), &tmp.path().join("data"), port, &feeds);
    let started = Utc::now();
    let _pantau = spawn(
        &["run", "--config", config.to_str().unwrap()],
        &tmp.path().join("run.log"),
    );

    // Expectations: counts per media type × sentiment, and each window's ratio.
    let text = std::fs::read_to_string(repo().join("demo/expected.jsonl")).unwrap();
    let mut want: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut counters = Counters::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let e: serde_json::Value = serde_json::from_str(line).unwrap();
        if e.get("duplicate_of").is_some() || e["relevant"] != true {
            continue;
        }
        let media = e["media_type"].as_str().unwrap().to_owned();
        let sentiment = e["sentiment"].as_str().unwrap().to_owned();
        *want.entry((media.clone(), sentiment.clone())).or_default() += 1.0;
        let t: DateTime<Utc> = started + parse_offset(e["offset"].as_str().unwrap());
        let s = sentiment.parse::<Sentiment>().unwrap();
        counters.add(
            "kemensos",
            media.parse::<MediaType>().unwrap(),
            s,
            s,
            t.timestamp_millis(),
        );
    }
    let total: f64 = want.values().sum();
    let metrics = metrics_until(port, Duration::from_secs(10), |m| {
        articles_total(m).values().sum::<f64>() >= total
    });
    let elapsed = Utc::now() - started;
    assert!(elapsed < chrono::Duration::seconds(10), "took {elapsed}");
    assert_eq!(
        articles_total(&metrics),
        want,
        "pantau_articles_total differs from demo/expected.jsonl"
    );

    let now = Utc::now();
    let ratios = samples(&metrics, "pantau_negative_ratio");
    for w in Window::ALL {
        let c = counters.window("kemensos", w, now, chrono_tz::Asia::Jakarta);
        let expected = c.negative as f64 / c.total() as f64;
        let key: BTreeMap<String, String> = [
            ("entity".into(), "kemensos".into()),
            ("window".into(), w.label().into()),
        ]
        .into();
        let got = ratios
            .get(&key)
            .unwrap_or_else(|| panic!("no ratio for {}", w.label()));
        assert!(
            (got - expected).abs() < 1e-9,
            "window {}: got {got}, expected {expected}",
            w.label()
        );
    }
    let target = samples(&metrics, "pantau_negative_target_ratio");
    assert_eq!(target.values().copied().collect::<Vec<_>>(), [0.2]);
    promtool_check_metrics(&metrics);
}

/// `promtool check metrics` (Prometheus's own linter) on a real exposition.
/// `make test` installs promtool (scripts/monitoring.sh install).
fn promtool_check_metrics(text: &str) {
    use std::io::Write;
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool not found: run `scripts/monitoring.sh install` (make test does)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && report.trim().is_empty(),
        "promtool check metrics:\n{report}"
    );
}

/// Writes `feeds` feeds of `per_feed` relevant items each; returns the total.
fn generate_feeds(dir: &Path, feeds: usize, per_feed: usize) -> usize {
    let tones = [
        "Warga kecewa karena bansos terlambat dan tidak tepat sasaran.",
        "Warga mengapresiasi bantuan Kemensos yang tersalurkan dengan cepat dan sangat membantu.",
        "Rapat koordinasi digelar di kantor kecamatan pada Senin pagi.",
    ];
    std::fs::create_dir_all(dir).unwrap();
    for f in 0..feeds {
        let mut xml =
            String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Gen</title>");
        for i in 0..per_feed {
            let n = f * per_feed + i;
            xml.push_str(&format!(
                "<item><title>Kemensos laporan {n}</title><link>https://gen.example/{f}/{i}</link>\
                 <pubDate>{{{{rfc2822:-{}m}}}}</pubDate><description>{}</description></item>",
                n % 5000,
                tones[n % 3]
            ));
        }
        xml.push_str("</channel></rss>");
        std::fs::write(dir.join(format!("gen-{f}.xml")), xml).unwrap();
    }
    feeds * per_feed
}

fn run_to_completion(
    config: &Path,
    port: u16,
    log: &Path,
    total: f64,
) -> BTreeMap<(String, String), f64> {
    let _p = spawn(&["run", "--config", config.to_str().unwrap()], log);
    let m = metrics_until(port, Duration::from_secs(120), |m| {
        articles_total(m).values().sum::<f64>() >= total
    });
    // Let any straggler (a double count would show here) arrive.
    std::thread::sleep(Duration::from_millis(1500));
    let m2 = get(&format!("http://127.0.0.1:{port}/metrics"))
        .map(|x| x.1)
        .unwrap_or(m);
    articles_total(&m2)
}

#[test]
fn kill_9_at_random_points_then_restart_counts_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let feed_dir = tmp.path().join("feeds");
    // Long enough that a kill within 0.75 s of start-up lands mid-stream.
    let total = generate_feeds(&feed_dir, 8, 4000) as f64;
    let (_server, feed_port) = serve_feeds(&feed_dir, &tmp.path().join("server.log"));
    let feeds: Vec<(String, String, &str)> = (0..8)
        .map(|f| {
            (
                format!("gen-{f}"),
                format!("http://127.0.0.1:{feed_port}/feeds/gen-{f}.xml"),
                "online",
            )
        })
        .collect();
    let feeds: Vec<(&str, String, &str)> = feeds
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.clone(), *c))
        .collect();

    // Reference: one uninterrupted run.
    let port = free_port();
    let ref_cfg_dir = tmp.path().join("ref");
    std::fs::create_dir_all(&ref_cfg_dir).unwrap();
    let cfg = write_config(&ref_cfg_dir, &ref_cfg_dir.join("data"), port, &feeds);
    let reference = run_to_completion(&cfg, port, &tmp.path().join("ref.log"), total);
    assert_eq!(
        reference.values().sum::<f64>(),
        total,
        "reference run: {reference:?}"
    );
    assert_eq!(reference.len(), 3, "three tones: {reference:?}");

    // Crashing runs over one data directory.
    let port = free_port();
    let crash_dir = tmp.path().join("crash");
    std::fs::create_dir_all(&crash_dir).unwrap();
    let cfg = write_config(&crash_dir, &crash_dir.join("data"), port, &feeds);
    let mut killed_mid_stream = 0;
    for round in 0..4 {
        let mut p = spawn(
            &["run", "--config", cfg.to_str().unwrap()],
            &tmp.path().join(format!("crash-{round}.log")),
        );
        wait_http(&format!("http://127.0.0.1:{port}/healthz"), |s| s == 200);
        std::thread::sleep(Duration::from_millis(fastrand_ms(round)));
        let before = get(&format!("http://127.0.0.1:{port}/metrics"))
            .map(|(_, m)| articles_total(&m).values().sum::<f64>())
            .unwrap_or(0.0);
        if before < total {
            killed_mid_stream += 1;
        }
        // SIGKILL: no drain, no flush.
        p.0.kill().unwrap();
        p.0.wait().unwrap();
    }
    let after = run_to_completion(&cfg, port, &tmp.path().join("final.log"), total);
    assert_eq!(
        after, reference,
        "counts after kill -9 and restart differ from the uninterrupted run"
    );
    assert!(
        killed_mid_stream >= 1,
        "no kill landed mid-stream; make the stream longer"
    );
}

/// A spread of kill delays, varied per round and per run.
fn fastrand_ms(round: u64) -> u64 {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    50 + (seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(round * 7919)
        % 700)
}

#[test]
fn bad_feeds_are_named_counted_and_the_rest_keeps_flowing() {
    let tmp = tempfile::tempdir().unwrap();
    let feed_dir = tmp.path().join("feeds");
    generate_feeds(&feed_dir, 1, 20);
    std::fs::write(
        feed_dir.join("broken.xml"),
        "<rss><channel><item><title>Kemensos",
    )
    .unwrap();
    let (_server, feed_port) = serve_feeds(&feed_dir, &tmp.path().join("server.log"));
    let dead = free_port(); // nothing listens here
    let port = free_port();
    let feeds = [
        (
            "good",
            format!("http://127.0.0.1:{feed_port}/feeds/gen-0.xml"),
            "online",
        ),
        (
            "broken",
            format!("http://127.0.0.1:{feed_port}/feeds/broken.xml"),
            "online",
        ),
        (
            "missing",
            format!("http://127.0.0.1:{feed_port}/feeds/missing.xml"),
            "online",
        ),
        (
            "unreachable",
            format!("http://127.0.0.1:{dead}/rss"),
            "online",
        ),
    ];
    let cfg = write_config(tmp.path(), &tmp.path().join("data"), port, &feeds);
    let log = tmp.path().join("run.log");
    let mut p = spawn(&["run", "--config", cfg.to_str().unwrap()], &log);
    let metrics = metrics_until(port, Duration::from_secs(20), |m| {
        let f = samples(m, "pantau_feed_fetches_total");
        let n = |feed: &str, outcome: &str| {
            f.iter()
                .find(|(l, _)| l["feed"] == feed && l["outcome"] == outcome)
                .map_or(0.0, |(_, v)| *v)
        };
        articles_total(m).values().sum::<f64>() >= 20.0
            && n("broken", "parse") >= 1.0
            && n("missing", "http_4xx") >= 1.0
            && n("unreachable", "connect") >= 1.0
    });
    assert_eq!(
        articles_total(&metrics).values().sum::<f64>(),
        20.0,
        "{metrics}"
    );
    assert!(
        p.0.try_wait().unwrap().is_none(),
        "pantau exited on bad feeds"
    );
    let text = std::fs::read_to_string(&log).unwrap();
    for feed in ["broken", "missing", "unreachable"] {
        assert!(
            text.lines()
                .any(|l| l.contains("feed fetch failed") && l.contains(&format!("feed={feed}"))),
            "no error logged for {feed}:\n{text}"
        );
    }
    assert!(text.contains("not a usable feed"), "{text}");
    // SIGTERM drains and exits cleanly.
    unsafe_sigterm(p.0.id());
    let status = p.0.wait().unwrap();
    assert!(status.success(), "exit status {status}");
    assert!(std::fs::read_to_string(&log)
        .unwrap()
        .contains("stopped cleanly"));
    // The operator's view: every feed, the failing ones with their error kind.
    let out = Command::new(BIN)
        .args(["--config", cfg.to_str().unwrap(), "feeds", "status"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    let row = |feed: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{feed} ")))
            .unwrap_or_else(|| panic!("{feed} missing:\n{table}"))
            .to_owned()
    };
    assert!(row("good").contains(" 20  "), "{table}");
    assert!(row("broken").contains("parse: "), "{table}");
    assert!(row("missing").contains("http_4xx: "), "{table}");
    assert!(row("unreachable").contains("connect: "), "{table}");
    assert!(table.contains("4 feed(s), 3 failing"), "{table}");
}

fn unsafe_sigterm(pid: u32) {
    let ok = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

#[test]
fn invalid_config_lists_every_error_and_exits_non_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("bad.toml");
    std::fs::write(
        &cfg,
        format!(
            "entities_dir = {:?}\n[http]\nlisten = \"nope\"\n[[feeds]]\nid = \"x\"\nurl = \"gopher://x\"\nintervall = \"1m\"\n",
            repo().join("config/entities").display().to_string()
        ),
    )
    .unwrap();
    for cmd in ["check-config", "run"] {
        let out = Command::new(BIN)
            .args([cmd, "--config", cfg.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{cmd} accepted a bad config");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("bad.toml: http.listen"), "{cmd}: {err}");
        assert!(err.contains("bad.toml: feeds[0].intervall"), "{cmd}: {err}");
    }
}

/// A teaser-only feed with `full_text = true`: the article page's main text
/// becomes the body, so an item whose teaser does not name the ministry but
/// whose article does is counted, scored on its text, and the page's menus
/// are not part of it. The same feed without `full_text` counts nothing.
#[test]
fn full_text_feeds_score_the_article_page_not_the_teaser() {
    let tmp = tempfile::tempdir().unwrap();
    let feed_dir = tmp.path().join("feeds");
    std::fs::create_dir_all(&feed_dir).unwrap();
    let (_server, feed_port) = serve_feeds(&feed_dir, &tmp.path().join("server.log"));
    let page = format!("http://127.0.0.1:{feed_port}/feeds/bansos-tahap-empat.html");
    std::fs::write(
        feed_dir.join("teaser.xml"),
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Kabar</title>\
             <item><title>Penyaluran tahap empat dimulai</title><link>{page}</link>\
             <description>Penyaluran tahap empat dimulai pekan ini.</description>\
             <pubDate>{{{{rfc2822:-2h}}}}</pubDate></item></channel></rss>"
        ),
    )
    .unwrap();
    std::fs::write(
        feed_dir.join("bansos-tahap-empat.html"),
        "<!doctype html><html lang=\"id\"><head><title>Kabar</title></head><body>\
         <nav><a href=\"/\">Beranda</a> <a href=\"/politik\">Politik</a> Terpopuler: korupsi di mana-mana</nav>\
         <article><h1>Penyaluran tahap empat dimulai</h1>\
         <p>Kementerian Sosial mulai menyalurkan bantuan sosial tahap keempat kepada dua juta keluarga \
         penerima manfaat di seluruh provinsi pada pekan ini melalui bank Himbara dan PT Pos Indonesia.</p>\
         <p>Warga di sejumlah kabupaten mengaku sangat terbantu karena bantuan itu tersalurkan tepat waktu \
         dan meringankan kebutuhan sekolah anak menjelang tahun ajaran baru.</p></article>\
         <footer>Hak cipta Kabar</footer></body></html>",
    )
    .unwrap();
    let feed = format!("http://127.0.0.1:{feed_port}/feeds/teaser.xml");
    let port = free_port();
    let cfg = write_config(
        tmp.path(),
        &tmp.path().join("data"),
        port,
        &[("teaser-only", feed.clone(), "online")],
    );
    let with_full_text = std::fs::read_to_string(&cfg).unwrap().replace(
        "[[feeds]]\nid = \"teaser-only\"",
        "[[feeds]]\nid = \"full\"",
    ) + "full_text = true\n";
    // Two runs of the same feed: without and with full text.
    for (run, config_text, want) in [
        ("teaser", std::fs::read_to_string(&cfg).unwrap(), 0.0),
        ("full", with_full_text, 1.0),
    ] {
        let dir = tmp.path().join(run);
        std::fs::create_dir_all(&dir).unwrap();
        let config_text = config_text.replace(
            &format!("{:?}", tmp.path().join("data").display().to_string()),
            &format!("{:?}", dir.join("data").display().to_string()),
        );
        let cfg = dir.join("pantau.toml");
        std::fs::write(&cfg, config_text).unwrap();
        let log = dir.join("run.log");
        let _p = spawn(&["run", "--config", cfg.to_str().unwrap()], &log);
        let metrics = metrics_until(port, Duration::from_secs(20), |m| {
            samples(m, "pantau_feed_fetches_total")
                .iter()
                .any(|(l, v)| l["outcome"] == "ok" && *v >= 2.0)
        });
        let counted: f64 = articles_total(&metrics).values().sum();
        assert_eq!(
            counted,
            want,
            "{run}:\n{}",
            std::fs::read_to_string(&log).unwrap()
        );
        if want > 0.0 {
            let ok = samples(&metrics, "pantau_fulltext_fetches_total")
                .iter()
                .find(|(l, _)| l["outcome"] == "ok")
                .map_or(0.0, |(_, v)| *v);
            assert_eq!(ok, 1.0, "one page fetched once (later polls know the item)");
            // Scored on the article's own words: positive, menus left out.
            assert_eq!(
                articles_total(&metrics).get(&("online".into(), "positive".into())),
                Some(&1.0),
                "{metrics}"
            );
            let (_, body) = get(&format!("http://127.0.0.1:{port}/api/v1/articles")).unwrap();
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            let text: String = v["items"][0]["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["text"].as_str().unwrap())
                .collect();
            assert!(
                text.contains("tahap keempat kepada dua juta keluarga"),
                "{text}"
            );
            assert!(
                !text.contains("Terpopuler") && !text.contains("Hak cipta"),
                "{text}"
            );
        }
    }
}

/// `ingest.per_host_concurrency = 1`: six feeds on one host are fetched one
/// at a time, while another host is fetched alongside. The server answers
/// slowly and records how many requests it serves at once, per host name.
#[test]
fn one_host_is_fetched_at_most_per_host_concurrency_at_a_time() {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let feed_port = listener.local_addr().unwrap().port();
    // host name → (in flight now, most at once)
    let hosts: Arc<Mutex<BTreeMap<String, (usize, usize)>>> = Arc::default();
    let served = Arc::new(AtomicUsize::new(0));
    {
        let (hosts, served) = (hosts.clone(), served.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (hosts, served) = (hosts.clone(), served.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut stream = stream;
                    loop {
                        let mut host = String::new();
                        let mut line = String::new();
                        let mut first = true;
                        loop {
                            line.clear();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            if let Some(h) = line.to_ascii_lowercase().strip_prefix("host:") {
                                host = h.trim().split(':').next().unwrap().to_owned();
                            }
                            if line == "\r\n" && !first {
                                break;
                            }
                            first = false;
                        }
                        {
                            // Per host name, and "*" for all together.
                            let mut h = hosts.lock().unwrap();
                            for key in [host.clone(), "*".to_owned()] {
                                let e = h.entry(key).or_default();
                                e.0 += 1;
                                e.1 = e.1.max(e.0);
                            }
                        }
                        std::thread::sleep(Duration::from_millis(150));
                        let body = "<rss version=\"2.0\"><channel><title>x</title></channel></rss>";
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        {
                            let mut h = hosts.lock().unwrap();
                            h.get_mut(&host).unwrap().0 -= 1;
                            h.get_mut("*").unwrap().0 -= 1;
                        }
                        served.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
        });
    }
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut feeds: Vec<(String, String)> = (0..6)
        .map(|i| {
            (
                format!("same-{i}"),
                format!("http://127.0.0.1:{feed_port}/f{i}.xml"),
            )
        })
        .collect();
    feeds.extend((0..2).map(|i| {
        (
            format!("other-{i}"),
            format!("http://localhost:{feed_port}/g{i}.xml"),
        )
    }));
    let feeds: Vec<(&str, String, &str)> = feeds
        .iter()
        .map(|(id, url)| (id.as_str(), url.clone(), "online"))
        .collect();
    let cfg = write_config(tmp.path(), &tmp.path().join("data"), port, &feeds);
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "[ingest]\n",
        "[ingest]\nper_host_concurrency = 1\nconcurrency = 8\n",
    );
    std::fs::write(&cfg, text).unwrap();
    let log = tmp.path().join("run.log");
    let _p = spawn(&["run", "--config", cfg.to_str().unwrap()], &log);
    let deadline = Instant::now() + Duration::from_secs(30);
    while served.load(Ordering::SeqCst) < 24 {
        assert!(
            Instant::now() < deadline,
            "only {} fetches served:\n{}",
            served.load(Ordering::SeqCst),
            std::fs::read_to_string(&log).unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let h = hosts.lock().unwrap();
    assert_eq!(
        h["127.0.0.1"].1, 1,
        "one host fetched more than once at a time: {h:?}"
    );
    assert_eq!(h["localhost"].1, 1, "{h:?}");
    // The two hosts were fetched side by side: the per-host limit is not a
    // global one.
    assert_eq!(h["*"].1, 2, "{h:?}");
}

/// The ministry's own site (`own_channel = true`) is stored and listed but
/// not counted: not in `pantau_articles_total`, not in the report; the same
/// site's item relayed by an aggregator is its own channel too.
#[test]
fn the_entitys_own_channel_is_listed_but_not_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let feed_dir = tmp.path().join("feeds");
    std::fs::create_dir_all(&feed_dir).unwrap();
    let rss = |items: &str| {
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>{items}</channel></rss>")
    };
    let item = |title: &str, link: &str, extra: &str| {
        format!(
            "<item><title>{title}</title><link>{link}</link>\
             <pubDate>{{{{rfc2822:-30m}}}}</pubDate>{extra}</item>"
        )
    };
    let own: String = (0..3)
        .map(|i| {
            item(
                &format!("Kemensos bantah tudingan bansos tidak tepat sasaran di daerah {i}"),
                &format!("https://kemensos.go.id/berita/{i}"),
                "",
            )
        })
        .collect();
    std::fs::write(feed_dir.join("own.xml"), rss(&own)).unwrap();
    let media: String = (0..4)
        .map(|i| {
            item(
                &format!("Warga kecewa bansos Kemensos terlambat cair di desa nomor {i}"),
                &format!("https://media.example/{i}"),
                "",
            )
        })
        .collect();
    // An aggregator relaying an item of the ministry's site: the site is
    // the host the own feed is served from here.
    let relayed = item(
        "Mensos resmikan sentra layanan sosial baru di Sleman",
        "https://news.google.example/articles/1",
        "<source url=\"http://127.0.0.1/\">Kemensos</source>",
    );
    std::fs::write(feed_dir.join("media.xml"), rss(&(media + &relayed))).unwrap();
    let (_server, feed_port) = serve_feeds(&feed_dir, &tmp.path().join("server.log"));
    let port = free_port();
    let config = write_config(
        tmp.path(),
        &tmp.path().join("data"),
        port,
        &[
            (
                "media",
                format!("http://127.0.0.1:{feed_port}/feeds/media.xml"),
                "online",
            ),
            (
                "kemensos-site",
                format!("http://127.0.0.1:{feed_port}/feeds/own.xml"),
                "online",
            ),
        ],
    );
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "id = \"kemensos-site\"\n",
        "id = \"kemensos-site\"\nown_channel = true\n",
    );
    std::fs::write(&config, text).unwrap();
    let _p = spawn(
        &["run", "--config", config.to_str().unwrap()],
        &tmp.path().join("run.log"),
    );
    let list = format!("http://127.0.0.1:{port}/api/v1/articles?entity=kemensos&limit=50");
    let deadline = Instant::now() + Duration::from_secs(60);
    let page = loop {
        if let Some((200, body)) = get(&list) {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            if v["total"] == 8 {
                break v;
            }
        }
        assert!(Instant::now() < deadline, "8 articles not listed in time");
        std::thread::sleep(Duration::from_millis(100));
    };
    let own_listed: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["own_channel"] == true)
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(own_listed.len(), 4, "{own_listed:?}");
    assert!(
        own_listed.iter().any(|t| t.contains("Sleman")),
        "{own_listed:?}"
    );
    std::thread::sleep(Duration::from_millis(500));
    let (_, metrics) = get(&format!("http://127.0.0.1:{port}/metrics")).unwrap();
    assert_eq!(articles_total(&metrics).values().sum::<f64>(), 4.0);
    let year = Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
        .format("%Y")
        .to_string();
    let (_, report) = get(&format!(
        "http://127.0.0.1:{port}/api/v1/report?entity=kemensos&period={year}&format=json"
    ))
    .unwrap();
    let r: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(r["summary"]["total"], 4, "{report}");
}
