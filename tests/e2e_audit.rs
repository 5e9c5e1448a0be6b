//! The audited KPI on real headlines, end to end: the 400 test rows of
//! `../shared/eval/kemensos-news` imported as one month, an 80-article
//! audit drawn, the true verdicts recorded for the drawn articles only,
//! and `pantau report` showing an estimate whose interval holds the true
//! share; then, on the same classified month, many simulated audits check
//! that the interval keeps its 95 % promise on real data.

use std::collections::BTreeMap;

use chrono::Datelike;
use std::path::Path;
use std::process::{Command, Output};

use pantau_audit::{allocate, draw, estimate, rooms, Stratum, StratumReviews, Verdict};

mod common;
use common::{free_port, get, pantau_ok, repo, store_config, Proc, BIN};

const TOKEN: &str = "audit-test-token-0123456789";

/// A test row's true verdict, by its index.
fn gold() -> Vec<(String, Verdict)> {
    let path = repo().join("../shared/eval/kemensos-news/headlines.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (split, title, relevant, sentiment) = (
        col("split"),
        col("title"),
        col("relevant"),
        col("sentiment"),
    );
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[split] == "test")
        .map(|f| {
            let v = if f[relevant] == "n" {
                Verdict::NotRelevant
            } else {
                f[sentiment].parse().unwrap()
            };
            (f[title].to_owned(), v)
        })
        .collect()
}

/// Records each sampled article's true verdict.
fn record_truth(cfg: &Path, sample: &[serde_json::Value], rows: &[(String, Verdict)]) {
    for a in sample {
        let (_, truth) = &rows[index_of(a["url"].as_str().unwrap())];
        let id = a["id"].as_str().unwrap();
        let mut args = vec!["audit", "record", id, "--by", "Uji Audit"];
        match truth {
            Verdict::NotRelevant => args.push("--not-relevant"),
            v => args.extend(["--sentiment", v.as_str()]),
        }
        pantau_ok(cfg, &args);
    }
}

fn pantau(config: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("-c")
        .arg(config)
        .args(args)
        .output()
        .unwrap()
}

/// A fresh store holding the test rows as February 2026's online news;
/// each row's link names its index.
fn month(dir: &Path, rows: &[(String, Verdict)]) -> std::path::PathBuf {
    let cfg = store_config(dir, "");
    import(dir, &cfg, rows, &|i| {
        format!("2026-02-{:02}T{:02}:00:00+07:00", i % 28 + 1, 8 + i % 10)
    });
    cfg
}

fn import(dir: &Path, cfg: &Path, rows: &[(String, Verdict)], published: &dyn Fn(usize) -> String) {
    let jsonl: String = rows
        .iter()
        .enumerate()
        .map(|(i, (title, _))| {
            serde_json::json!({
                "media_type": "online",
                "outlet": if i % 3 == 0 { "Kompas" } else { "Detik" },
                "url": format!("https://kemensos-news.test/{i}"),
                "title": title,
                "published": published(i),
            })
            .to_string()
                + "\n"
        })
        .collect();
    let file = dir.join("month.jsonl");
    std::fs::write(&file, jsonl).unwrap();
    pantau_ok(cfg, &["import", file.to_str().unwrap()]);
}

fn index_of(url: &str) -> usize {
    url.rsplit('/').next().unwrap().parse().unwrap()
}

#[test]
fn an_audit_of_80_real_headlines_estimates_the_true_share() {
    let rows = gold();
    assert_eq!(rows.len(), 400);
    let dir = tempfile::tempdir().unwrap();
    let cfg = month(dir.path(), &rows);

    // Before any draw the report has no audit.
    let before: serde_json::Value = serde_json::from_str(&pantau_ok(
        &cfg,
        &["report", "--period", "2026-02", "--format", "json"],
    ))
    .unwrap();
    assert!(before["audit"].is_null());

    let draw_args = [
        "audit", "draw", "--period", "2026-02", "--size", "80", "--seed", "2026", "--format",
        "json",
    ];
    let sample: Vec<serde_json::Value> =
        serde_json::from_str(&pantau_ok(&cfg, &draw_args)).unwrap();
    assert_eq!(sample.len(), 80);
    for field in ["id", "title", "url", "outlet", "published", "sentiment"] {
        assert!(sample.iter().all(|a| !a[field].is_null()), "{field}");
    }
    assert!(sample
        .iter()
        .all(|a| a["new"] == true && a["verdict"].is_null()));
    let by_stratum = |s: &str| sample.iter().filter(|a| a["sentiment"] == s).count();
    assert!(by_stratum("negative") > 0 && by_stratum("neutral") > by_stratum("negative"));

    // The seed reproduces the draw on the same data.
    let again_dir = tempfile::tempdir().unwrap();
    let again_cfg = month(again_dir.path(), &rows);
    let again: Vec<serde_json::Value> =
        serde_json::from_str(&pantau_ok(&again_cfg, &draw_args)).unwrap();
    let ids = |s: &[serde_json::Value]| s.iter().map(|a| a["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&sample), ids(&again));

    // Outside the sample, a verdict is refused with the way out.
    let sampled: Vec<&str> = sample.iter().map(|a| a["id"].as_str().unwrap()).collect();
    let outside = pantau(
        &cfg,
        &[
            "audit",
            "record",
            "0123456789abcdef",
            "--sentiment",
            "negative",
            "--by",
            "uji",
        ],
    );
    assert!(!outside.status.success());
    assert!(String::from_utf8_lossy(&outside.stderr).contains("in no audit sample"));

    record_truth(&cfg, &sample, &rows);
    let shown = pantau_ok(
        &cfg,
        &["audit", "show", "--period", "2026-02", "--format", "json"],
    );
    let shown: Vec<serde_json::Value> = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown.len(), 80);
    assert!(shown.iter().all(|a| a["verdict_by"] == "Uji Audit"));
    assert!(shown
        .iter()
        .all(|a| sampled.contains(&a["id"].as_str().unwrap())));

    let report: serde_json::Value = serde_json::from_str(&pantau_ok(
        &cfg,
        &["report", "--period", "2026-02", "--format", "json"],
    ))
    .unwrap();
    let audit = &report["audit"];
    let f = |k: &str| audit[k].as_f64().unwrap_or_else(|| panic!("{k}: {audit}"));
    let relevant = rows.iter().filter(|r| r.1 != Verdict::NotRelevant).count();
    let negative = rows.iter().filter(|r| r.1 == Verdict::Negative).count();
    let truth = 100.0 * negative as f64 / relevant as f64;
    let classified = report["summary"]["negative_pct"].as_f64().unwrap();
    eprintln!(
        "true {truth:.2} %, as classified (after the 80 overrides) {classified:.2} %, audited {:.2} % ({:.2}–{:.2}), {} more reviews for ±2 points",
        f("estimate"),
        f("ci_low"),
        f("ci_high"),
        audit["reviews_for_2_points"]
    );
    assert_eq!(audit["sample_size"], 80);
    assert!(f("ci_low") <= truth && truth <= f("ci_high"), "{audit}");
    // Within 2 points of the truth is what 80 reviews of this month give
    // about two draws in three (the simulation below measures it): the
    // promise checked here is the interval's.
    assert!(audit["reviews_for_2_points"].as_u64().unwrap() > 0);
    assert!(audit["method"].as_str().unwrap().contains("Wilson"));
    // The confusion matrix holds the 80 reviews.
    let cells: u64 = audit["confusion"]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|c| c.as_u64().unwrap()))
        .sum();
    assert_eq!(cells, 80);
    let table = pantau_ok(&cfg, &["report", "--period", "2026-02"]);
    assert!(table.contains("Estimasi teraudit"), "{table}");
    assert!(table.contains("80 berita ditinjau"), "{table}");
    assert!(table.contains("Matriks kebingungan"), "{table}");
    let csv = pantau_ok(&cfg, &["report", "--period", "2026-02", "--format", "csv"]);
    assert!(csv
        .lines()
        .any(|l| l.starts_with("audit_estimate,2026-02,")));
    // The verdicts are evaluation data.
    let export = dir.path().join("labelled.tsv");
    let said = pantau_ok(&cfg, &["review", "export", export.to_str().unwrap()]);
    let tones = sample
        .iter()
        .filter(|a| rows[index_of(a["url"].as_str().unwrap())].1 != Verdict::NotRelevant)
        .count();
    assert!(said.contains(&format!("{tones} labelled rows")), "{said}");
}

#[test]
fn on_real_headlines_the_interval_keeps_its_promise() {
    let rows = gold();
    let dir = tempfile::tempdir().unwrap();
    let cfg = month(dir.path(), &rows);
    // The classifier's decision and the truth of every stored article.
    let listed = pantau_ok(&cfg, &["review", "list", "--limit", "1000"]);
    let mut frames: BTreeMap<Stratum, Vec<Verdict>> = BTreeMap::new();
    let stored = {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let url = format!("sqlite://{}/data/pantau.db", dir.path().display());
            let store = pantau_store::Store::open(&url).await.unwrap();
            let items = store
                .review_list(&pantau_store::ReviewFilter {
                    limit: 1000,
                    ..Default::default()
                })
                .await
                .unwrap();
            store.close().await;
            items
        })
    };
    assert_eq!(stored.len(), listed.lines().count());
    for item in &stored {
        let truth = rows[index_of(item.url.as_deref().unwrap())].1;
        frames
            .entry(Stratum::of(item.classified, item.score))
            .or_default()
            .push(truth);
    }
    let frames: Vec<(Stratum, Vec<Verdict>)> = frames.into_iter().collect();
    let all: Vec<Verdict> = frames.iter().flat_map(|f| f.1.clone()).collect();
    let truth = all.iter().filter(|v| **v == Verdict::Negative).count() as f64
        / all.iter().filter(|v| v.counted(false)).count() as f64;

    let draws = 500;
    let (mut covered, mut within_2, mut width) = (0, 0, 0.0);
    for seed in 0..draws {
        let empty: Vec<StratumReviews> = frames
            .iter()
            .map(|(s, f)| StratumReviews {
                stratum: *s,
                population: f.len() as u64,
                sampled: 0,
                verdicts: [0; 4],
            })
            .collect();
        let tallies: Vec<_> = empty.iter().map(|s| s.tally(false)).collect();
        let prior: Vec<f64> = empty.iter().map(StratumReviews::prior_sd).collect();
        let counts = allocate(&rooms(&tallies, &prior), 80);
        let lists: Vec<Vec<Verdict>> = frames.iter().map(|f| f.1.clone()).collect();
        let mut reviews = empty.clone();
        for (h, v) in draw(&lists, &counts, seed) {
            reviews[h].sampled += 1;
            reviews[h].verdicts[v.index()] += 1;
        }
        let t: Vec<_> = reviews.iter().map(|s| s.tally(false)).collect();
        let e = estimate(&t).unwrap();
        covered += u32::from(e.low <= truth && truth <= e.high);
        within_2 += u32::from((e.share - truth).abs() <= 0.02);
        width += e.high - e.low;
    }
    let coverage = f64::from(covered) / f64::from(draws as u32);
    eprintln!(
        "{} stored articles, true share {:.2} %: over {draws} audits of 80, the 95 % interval held it {:.1} % of the time (mean width {:.1} points); the estimate was within 2 points {:.1} % of the time",
        all.len(),
        truth * 100.0,
        coverage * 100.0,
        width / f64::from(draws as u32) * 100.0,
        f64::from(within_2) / f64::from(draws as u32) * 100.0
    );
    assert!(coverage >= 0.90, "coverage {coverage}");
}

#[test]
fn a_running_service_exports_this_months_audited_estimate() {
    let rows = gold();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let cfg = store_config(
        dir.path(),
        &format!("[http]\nlisten = \"127.0.0.1:{port}\"\napi_token = \"{TOKEN}\"\n"),
    );
    // This month's news, spread from its first instant until now.
    let tz = chrono_tz::Asia::Jakarta;
    let now = chrono::Utc::now().with_timezone(&tz);
    let first = now.date_naive().with_day(1).unwrap();
    let start =
        chrono::TimeZone::from_local_datetime(&tz, &first.and_hms_opt(0, 0, 0).unwrap()).unwrap();
    let span = (now - start).num_seconds().max(400);
    import(dir.path(), &cfg, &rows, &|i| {
        (start + chrono::Duration::seconds(span * i as i64 / 400)).to_rfc3339()
    });
    let period = first.format("%Y-%m").to_string();
    let sample: Vec<serde_json::Value> = serde_json::from_str(&pantau_ok(
        &cfg,
        &[
            "audit", "draw", "--period", &period, "--size", "40", "--format", "json",
        ],
    ))
    .unwrap();
    assert_eq!(sample.len(), 40);
    record_truth(&cfg, &sample, &rows);

    let log = std::fs::File::create(dir.path().join("run.log")).unwrap();
    let _run = Proc(
        Command::new(BIN)
            .arg("-c")
            .arg(&cfg)
            .arg("run")
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let value = |text: &str, name: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{name}{{entity=\"kemensos\",window=\"month\"}}")))
            .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
    };
    let metrics = loop {
        if let Some((200, text)) = get(&format!("{base}/metrics")) {
            if value(&text, "pantau_negative_audited_ratio").is_some()
                && value(&text, "pantau_negative_projected_ratio").is_some()
            {
                break text;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no audited estimate in /metrics: {}",
            std::fs::read_to_string(dir.path().join("run.log")).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    };
    let ratio = value(&metrics, "pantau_negative_audited_ratio").unwrap();
    let low = value(&metrics, "pantau_negative_audited_ratio_low").unwrap();
    let high = value(&metrics, "pantau_negative_audited_ratio_high").unwrap();
    assert!(
        low <= ratio && ratio <= high && high <= 1.0,
        "{low} {ratio} {high}"
    );
    assert_eq!(
        value(&metrics, "pantau_audit_reviewed_articles"),
        Some(40.0)
    );
    // The running windows carry it (the Ringkasan cards show it).
    let (_, body) = get(&format!("{base}/api/v1/kpi?entity=kemensos")).unwrap();
    let kpi: serde_json::Value = serde_json::from_str(&body).unwrap();
    let month = kpi[0]["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["window"] == "month")
        .unwrap()
        .clone();
    assert!((month["audited"]["estimate_pct"].as_f64().unwrap() / 100.0 - ratio).abs() < 1e-9);
    assert_eq!(month["audited"]["reviewed"], 40);
    // The API's report of the month carries the same estimate.
    let (status, body) = get(&format!("{base}/api/v1/kpi?period={period}")).unwrap();
    assert_eq!(status, 200, "{body}");
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    let estimate = report["audit"]["estimate"].as_f64().unwrap();
    assert!(
        (estimate / 100.0 - ratio).abs() < 1e-9,
        "{estimate} vs {ratio}"
    );
    assert_eq!(report["audit"]["sample_size"], 40);

    // Verdicts over the API: the token first, then the body, then the sample.
    let put = |id: &str, token: Option<&str>, body: serde_json::Value| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut r = reqwest::Client::new()
                .put(format!("{base}/api/v1/audit/{id}"))
                .header("content-type", "application/json")
                .body(body.to_string());
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            let resp = r.send().await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        })
    };
    let first = sample[0]["id"].as_str().unwrap();
    let good = serde_json::json!({"verdict": "not_relevant", "by": "Uji API"});
    assert_eq!(put(first, None, good.clone()).0, 401);
    let (status, body) = put(
        first,
        Some(TOKEN),
        serde_json::json!({"verdict": "buruk", "by": ""}),
    );
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("verdict") && body.contains("by"), "{body}");
    assert_eq!(put("0123456789abcdef", Some(TOKEN), good.clone()).0, 404);
    let (status, body) = put(first, Some(TOKEN), good);
    assert_eq!(status, 200, "{body}");
    let (_, listed) = get(&format!("{base}/api/v1/audit?period={period}")).unwrap();
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed["items"][0]["verdict"], "not_relevant");
    assert_eq!(listed["items"][0]["verdict_by"], "Uji API");
    assert_eq!(listed["reviewed"], 40);
}
