//! KPI reports and analyst review, end to end: report numbers against a hand
//! count on SQLite and PostgreSQL, golden files for every format, the API
//! and the CLI agreeing, overrides with their audit trail moving the KPI,
//! and two writers on one PostgreSQL never double-counting.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Asia::Jakarta;
use pantau::report::compute;
use pantau_config::EntityConfig;
use pantau_model::{
    ArticleId, Assessment, EntityId, Explanation, MatchedTerm, MediaType, Period, RawArticle,
    ScoredArticle, Sentiment, SCHEMA_VERSION,
};
use pantau_report::{render, Format, Lang};
use pantau_store::Store;

mod common;
use common::{demo_config, demo_feeds, free_port, repo, Proc, BIN};

fn entity(target: Option<f64>) -> EntityConfig {
    let mut text = String::from(
        "id = \"kemensos\"\nname = \"Kementerian Sosial\"\n[terms]\nnames = [\"Kemensos\"]\n",
    );
    if let Some(t) = target {
        text.push_str(&format!("[targets]\n2023 = {t}\n"));
    }
    toml::from_str(&text).unwrap()
}

fn article(
    i: usize,
    t: DateTime<Utc>,
    media: MediaType,
    outlet: &str,
    s: Sentiment,
    score: f32,
) -> ScoredArticle {
    let url = format!("https://fixture.example/{i}");
    ScoredArticle {
        schema_version: SCHEMA_VERSION,
        article: RawArticle {
            schema_version: SCHEMA_VERSION,
            id: ArticleId::for_item(Some(&url), None, "fixture", ""),
            source: "fixture".into(),
            outlet: outlet.into(),
            media_type: media,
            url: Some(url),
            guid: None,
            source_url: None,
            title: format!("Berita Kemensos nomor {i}"),
            summary: String::new(),
            body: String::new(),
            published_at: Some(t),
            fetched_at: t,
            relevance: vec![],
            own_channel: false,
        },
        assessments: vec![Assessment {
            entity: EntityId::from("kemensos"),
            relevance_reason: "name \"Kemensos\"".into(),
            sentiment: s,
            score,
            explanation: Explanation {
                language: "id".into(),
                scope: "targeted".into(),
                terms: vec![MatchedTerm {
                    text: if s == Sentiment::Negative {
                        "dikeluhkan".into()
                    } else {
                        "membantu".into()
                    },
                    lemma: "x".into(),
                    weight: score * 3.0,
                    effective: score * 3.0,
                    position: 0,
                    modifiers: vec![],
                }],
            },
        }],
    }
}

/// 600 articles over 2023 (and a few in 2022 and 2024 at the year's edges),
/// five media types, six outlets; the fixture's own sentiments.
fn fixture() -> Vec<(ScoredArticle, DateTime<Utc>)> {
    let outlets = ["ANTARA", "Kompas", "Tempo", "TVRI", "RRI", "X"];
    let mut out = Vec::new();
    for i in 0..600usize {
        // Spread over 2023 in Jakarta time, including the edges of the year.
        let day = (i * 7919) % 365;
        let hour = (i * 13) % 24;
        let local = Jakarta
            .with_ymd_and_hms(2023, 1, 1, hour as u32, 0, 0)
            .unwrap()
            + chrono::Duration::days(day as i64);
        let t = local.with_timezone(&Utc);
        let s = match i % 7 {
            0 | 1 => Sentiment::Negative,
            2..=4 => Sentiment::Neutral,
            _ => Sentiment::Positive,
        };
        let score = match s {
            Sentiment::Negative => -0.3 - (i % 50) as f32 / 100.0,
            Sentiment::Neutral => 0.0,
            Sentiment::Positive => 0.5,
        };
        out.push((
            article(i, t, MediaType::ALL[i % 5], outlets[i % 6], s, score),
            t,
        ));
    }
    // Just outside the year, in Jakarta time (inside it in UTC for the first).
    let edge = Jakarta
        .with_ymd_and_hms(2024, 1, 1, 3, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    out.push((
        article(
            600,
            edge,
            MediaType::Online,
            "ANTARA",
            Sentiment::Negative,
            -0.9,
        ),
        edge,
    ));
    let before = Jakarta
        .with_ymd_and_hms(2022, 12, 31, 23, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    out.push((
        article(
            601,
            before,
            MediaType::Online,
            "ANTARA",
            Sentiment::Negative,
            -0.9,
        ),
        before,
    ));
    out
}

async fn pg_url() -> String {
    use sqlx::Connection;
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let base = BASE.get_or_init(|| {
        let out = Command::new("bash")
            .arg(repo().join("scripts/postgres.sh"))
            .arg("start")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/postgres.sh start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    });
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(base).await.unwrap();
    let db = format!(
        "pantau_kpi{}",
        std::process::id() as u64 * 1000 + fastrand_u64() % 1000
    );
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {db}").as_str())
        .await
        .unwrap();
    format!("{}/{db}", base.rsplit_once('/').unwrap().0)
}

fn fastrand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(Instant::now().elapsed().as_nanos() as u64);
    h.finish()
}

/// Loads the fixture, overrides every 15th article, and checks the reports
/// of a year, a quarter and a month against counts made by hand.
async fn report_equals_hand_count(store: Store) {
    let fx = fixture();
    let batch: Vec<ScoredArticle> = fx.iter().map(|(a, _)| a.clone()).collect();
    for chunk in batch.chunks(100) {
        store.insert_scored(chunk).await.unwrap();
    }
    let mut effective: BTreeMap<String, Sentiment> = BTreeMap::new();
    for (i, (a, _)) in fx.iter().enumerate() {
        effective.insert(a.article.id.to_string(), a.assessments[0].sentiment);
        if i % 15 == 0 {
            let new = match a.assessments[0].sentiment {
                Sentiment::Negative => Sentiment::Neutral,
                _ => Sentiment::Negative,
            };
            store
                .set_override(
                    a.article.id.as_str(),
                    "kemensos",
                    new,
                    "Sari",
                    "koreksi analis",
                    Utc::now(),
                )
                .await
                .unwrap()
                .unwrap();
            effective.insert(a.article.id.to_string(), new);
        }
    }
    let e = entity(Some(20.0));
    for period in ["2023", "2023-Q2", "2023-05", "2023-12-25..2024-01-05"] {
        let p: Period = period.parse().unwrap();
        let r = compute(&store, &e, &p, 5).await.unwrap();
        // By hand: the local (Jakarta) date of each article inside the period.
        let inside: Vec<&(ScoredArticle, DateTime<Utc>)> = fx
            .iter()
            .filter(|(_, t)| {
                let d = t.with_timezone(&Jakarta).date_naive();
                d >= p.start() && d < p.end_exclusive()
            })
            .collect();
        let count = |s: Sentiment, m: Option<MediaType>| {
            inside
                .iter()
                .filter(|(a, _)| {
                    effective[a.article.id.as_str()] == s
                        && m.is_none_or(|m| a.article.media_type == m)
                })
                .count() as u64
        };
        assert_eq!(r.summary.counts.total, inside.len() as u64, "{period}");
        assert_eq!(
            r.summary.counts.negative,
            count(Sentiment::Negative, None),
            "{period}"
        );
        assert_eq!(
            r.summary.counts.neutral,
            count(Sentiment::Neutral, None),
            "{period}"
        );
        assert_eq!(
            r.summary.counts.positive,
            count(Sentiment::Positive, None),
            "{period}"
        );
        let pct = r.summary.counts.negative as f64 / r.summary.counts.total as f64 * 100.0;
        assert!((r.summary.counts.negative_pct.unwrap() - pct).abs() < 1e-9);
        // The target of the period's last year (a range into 2024 has none).
        assert_eq!(
            r.achieved,
            e.target_pct(p.target_year()).map(|t| pct < t),
            "{period}"
        );
        for s in &r.by_media_type {
            let m: MediaType = s.key.parse().unwrap();
            assert_eq!(
                s.counts.negative,
                count(Sentiment::Negative, Some(m)),
                "{period} {m}"
            );
            assert_eq!(
                s.counts.total,
                inside
                    .iter()
                    .filter(|(a, _)| a.article.media_type == m)
                    .count() as u64
            );
        }
        assert_eq!(
            r.by_outlet.iter().map(|s| s.counts.total).sum::<u64>(),
            r.summary.counts.total
        );
        assert_eq!(
            r.trend.iter().map(|s| s.counts.total).sum::<u64>(),
            r.summary.counts.total
        );
        let overrides = inside
            .iter()
            .filter(|(a, _)| {
                fx.iter()
                    .position(|(b, _)| b.article.id == a.article.id)
                    .unwrap()
                    % 15
                    == 0
            })
            .count() as u64;
        assert_eq!(r.overrides, overrides, "{period}");
    }
    let year = compute(&store, &e, &"2023".parse().unwrap(), 5)
        .await
        .unwrap();
    assert_eq!(
        year.summary.counts.total, 600,
        "the two edge articles are outside 2023 in Jakarta time"
    );
    assert_eq!(year.trend.len(), 12);
    // A year without a target says so.
    let r = compute(&store, &e, &"2022".parse().unwrap(), 5)
        .await
        .unwrap();
    assert_eq!((r.target_pct, r.achieved), (None, None));
    assert!(render(&r, Format::Table, Lang::Id).contains("tidak ada target untuk tahun ini"));
}

#[tokio::test]
async fn report_equals_hand_count_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}/k.db", dir.path().display()))
        .await
        .unwrap();
    report_equals_hand_count(store).await;
}

#[tokio::test]
async fn report_equals_hand_count_postgres() {
    let store = Store::open(&pg_url().await).await.unwrap();
    report_equals_hand_count(store).await;
}

#[tokio::test]
async fn two_writers_on_one_postgres_never_double_count() {
    let url = pg_url().await;
    let a = Store::open(&url).await.unwrap();
    let b = Store::open(&url).await.unwrap();
    let fx: Vec<ScoredArticle> = fixture().into_iter().map(|(a, _)| a).collect();
    // Overlapping input: writer a takes 0..450, writer b 150..602, in batches, at once.
    let ta = tokio::spawn({
        let items = fx[..450].to_vec();
        async move {
            let mut n = 0;
            for c in items.chunks(25) {
                n += a.insert_scored(c).await.unwrap().len();
            }
            n
        }
    });
    let tb = tokio::spawn({
        let items = fx[150..].to_vec();
        async move {
            let mut n = 0;
            for c in items.chunks(25) {
                n += b.insert_scored(c).await.unwrap().len();
            }
            n
        }
    });
    let (na, nb) = (ta.await.unwrap(), tb.await.unwrap());
    assert_eq!(
        na + nb,
        fx.len(),
        "each assessment counted by exactly one writer"
    );
    let check = Store::open(&url).await.unwrap();
    assert_eq!(check.counted().await.unwrap().len(), fx.len());
}

/// A small fixed report, rendered in every format, pinned by golden files
/// (set UPDATE_GOLDEN=1 to rewrite them after an intended change).
#[tokio::test]
async fn golden_report_formats() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}/g.db", dir.path().display()))
        .await
        .unwrap();
    let fx: Vec<ScoredArticle> = fixture().into_iter().map(|(a, _)| a).take(40).collect();
    store.insert_scored(&fx).await.unwrap();
    let at = Utc.with_ymd_and_hms(2024, 2, 1, 0, 0, 0).unwrap();
    store
        .set_override(
            fx[3].article.id.as_str(),
            "kemensos",
            Sentiment::Negative,
            "Sari",
            "salah baca",
            at,
        )
        .await
        .unwrap()
        .unwrap();
    let r = compute(&store, &entity(Some(25.0)), &"2023".parse().unwrap(), 3)
        .await
        .unwrap();
    let golden = repo().join("tests/data/golden");
    for (name, format, lang) in [
        ("report.id.txt", Format::Table, Lang::Id),
        ("report.en.txt", Format::Table, Lang::En),
        ("report.id.md", Format::Markdown, Lang::Id),
        ("report.id.csv", Format::Csv, Lang::Id),
        ("report.json", Format::Json, Lang::Id),
    ] {
        let got = render(&r, format, lang);
        let path = golden.join(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
                path.display()
            )
        });
        assert_eq!(got, want, "{name} differs from its golden file");
    }
    // The spreadsheet form for an Indonesian locale: the same rows, `;`
    // between fields, decimal commas, text untouched.
    let csv = render(&r, Format::Csv, Lang::Id);
    let id = pantau_report::csv_for_indonesian_locale(&csv);
    assert_eq!(csv.lines().count(), id.lines().count());
    let total = id.lines().nth(1).unwrap();
    assert!(total.starts_with("total;2023;40;"), "{total}");
    assert!(total.ends_with(";32,5000"), "{total}");
    assert!(!id.lines().any(|l| l.contains(".5000")), "{id}");
}

// ------------------------------------------------------------ the service

async fn http(
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let mut r = reqwest::Client::new()
        .request(method, url)
        .timeout(Duration::from_secs(5));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r
            .header("content-type", "application/json")
            .body(b.to_owned());
    }
    let resp = r.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn get_json(url: &str) -> Option<serde_json::Value> {
    let text = reqwest::get(url).await.ok()?.text().await.ok()?;
    serde_json::from_str(&text).ok()
}

fn cli(config: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("--config")
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

#[tokio::test(flavor = "multi_thread")]
async fn api_and_cli_agree_and_overrides_move_the_kpi() {
    let tmp = tempfile::tempdir().unwrap();
    let (_feeds, feed_port) = demo_feeds();
    let port = free_port();
    let token = "test-token-0123456789";
    let config = demo_config(&tmp.path().join("data"), feed_port).replace(
        "listen = \"127.0.0.1:9464\"",
        &format!("listen = \"127.0.0.1:{port}\"\napi_token = \"{token}\""),
    );
    let cfg = tmp.path().join("pantau.toml");
    std::fs::write(&cfg, config).unwrap();
    let log = std::fs::File::create(tmp.path().join("run.log")).unwrap();
    let _run = Proc(
        Command::new(BIN)
            .args(["run", "--config", cfg.to_str().unwrap()])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let kpi_url = format!("{base}/api/v1/kpi?entity=kemensos");
    let deadline = Instant::now() + Duration::from_secs(20);
    let windows = loop {
        if let Some(v) = get_json(&kpi_url).await {
            if v[0]["windows"][5]["denominator"] == 45 {
                break v;
            }
        }
        assert!(Instant::now() < deadline, "the demo did not load");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let year = Utc::now().with_timezone(&Jakarta).year().to_string();

    // The API's report and the CLI's are the same numbers.
    let (status, api) = http(
        reqwest::Method::GET,
        &format!("{kpi_url}&period={year}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "{api}");
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    let cli_json: serde_json::Value = serde_json::from_str(&cli(
        &cfg,
        &["report", "--period", &year, "--format", "json"],
    ))
    .unwrap();
    for key in [
        "summary",
        "by_media_type",
        "by_outlet",
        "trend",
        "target_pct",
        "achieved",
        "top_negative",
    ] {
        assert_eq!(api[key], cli_json[key], "{key} differs between API and CLI");
    }
    assert_eq!(api["summary"]["total"], 45);

    // Pick a negative article to correct.
    let list = cli(
        &cfg,
        &[
            "review",
            "list",
            "--sentiment",
            "negative",
            "--limit",
            "100",
        ],
    );
    let ids: Vec<&str> = list
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(ids.len(), 11, "{list}");
    let patch_url = format!("{base}/api/v1/articles/{}", ids[0]);
    let body =
        r#"{"sentiment":"neutral","by":"Sari","reason":"berita ini netral bagi kementerian"}"#;

    // Without the token: 401 and nothing changed.
    let (status, _) = http(reqwest::Method::PATCH, &patch_url, None, Some(body)).await;
    assert_eq!(status, 401);
    let (status, _) = http(
        reqwest::Method::PATCH,
        &patch_url,
        Some("wrong-token-0123456789"),
        Some(body),
    )
    .await;
    assert_eq!(status, 401);
    assert!(cli(&cfg, &["review", "history", ids[0]]).contains("no overrides"));
    // Invalid: every reason listed.
    let (status, errs) = http(
        reqwest::Method::PATCH,
        &patch_url,
        Some(token),
        Some(r#"{"sentiment":"meh","by":"","reason":""}"#),
    )
    .await;
    assert_eq!(status, 422);
    for f in ["sentiment", "by", "reason"] {
        assert!(errs.contains(f), "{errs}");
    }
    // With the token: recorded, and the running KPI moves at once.
    let year_negative = |v: &serde_json::Value| v[0]["windows"][5]["negative"].as_u64().unwrap();
    let before = year_negative(&windows);
    let (status, done) = http(reqwest::Method::PATCH, &patch_url, Some(token), Some(body)).await;
    assert_eq!(status, 200, "{done}");
    let now = get_json(&kpi_url).await.unwrap();
    assert_eq!(year_negative(&now), before - 1);
    // The same change again is a no-op, refused: it would read as a review.
    let (status, again) = http(reqwest::Method::PATCH, &patch_url, Some(token), Some(body)).await;
    assert_eq!(status, 409, "{again}");
    let history = cli(&cfg, &["review", "history", ids[0]]);
    assert!(
        history.contains("negative → neutral  by Sari: berita ini netral"),
        "{history}"
    );

    // An override from another process reaches the running counters too.
    cli(
        &cfg,
        &[
            "review",
            "set",
            ids[1],
            "--sentiment",
            "positive",
            "--by",
            "Budi",
            "--reason",
            "dibaca ulang",
        ],
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = get_json(&kpi_url).await.unwrap();
        if year_negative(&v) == before - 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the CLI override did not reach the service"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Reports use the overrides; the counter of classifier decisions does not move.
    let r: serde_json::Value = serde_json::from_str(&cli(
        &cfg,
        &["report", "--period", &year, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(r["summary"]["negative"], 9);
    assert_eq!(r["overrides"], 2);
    let metrics = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let classified_negative: f64 = metrics
        .lines()
        .filter(|l| l.starts_with("pantau_articles_total{") && l.contains("sentiment=\"negative\""))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(classified_negative, 11.0);
    // By media type, the year's gauges count as the report does: with the
    // overrides (what Grafana's media-type panel shows).
    let media_gauge = |media: &str, sentiment: &str| -> f64 {
        let head = format!(
            "pantau_window_media_articles{{entity=\"kemensos\",window=\"year\",media_type=\"{media}\",sentiment=\"{sentiment}\"}} "
        );
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(head.as_str()))
            .unwrap_or_else(|| panic!("no {head} in the metrics"))
            .parse()
            .unwrap()
    };
    let by_media = r["by_media_type"].as_array().unwrap();
    assert!(!by_media.is_empty());
    for m in by_media {
        let key = m["key"].as_str().unwrap();
        assert_eq!(
            media_gauge(key, "negative"),
            m["negative"].as_f64().unwrap(),
            "{key}"
        );
        assert_eq!(
            media_gauge(key, "positive"),
            m["positive"].as_f64().unwrap(),
            "{key}"
        );
    }
    let ratio_line = metrics
        .lines()
        .find(|l| {
            l.starts_with("pantau_window_media_negative_ratio{entity=\"kemensos\",window=\"year\"")
        })
        .expect("a media type's negative ratio");
    assert!(ratio_line.contains("media_type="), "{ratio_line}");

    // The corrections become evaluation data.
    let export = tmp.path().join("overrides.tsv");
    cli(&cfg, &["review", "export", export.to_str().unwrap()]);
    let text = std::fs::read_to_string(&export).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    let eval = cli(&cfg, &["eval", export.to_str().unwrap()]);
    assert!(eval.contains("— 2 rows"), "{eval}");

    // The review queue: what nobody has reviewed, most negative first.
    let queue_url = format!("{base}/api/v1/articles?unreviewed=true&order=negative&limit=200");
    let queue = get_json(&queue_url).await.unwrap();
    assert_eq!(queue["total"], 43, "the two corrected are reviewed");
    let scores: Vec<f64> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "{scores:?}");
    let first = queue["items"][0]["id"].as_str().unwrap().to_owned();
    // A confirmation: the classifier was right. Recorded with who and
    // when; the article leaves the queue and no number moves.
    let confirm_url = format!("{base}/api/v1/articles/{first}/confirm");
    let (status, _) = http(
        reqwest::Method::POST,
        &confirm_url,
        None,
        Some(r#"{"by":"Sari"}"#),
    )
    .await;
    assert_eq!(status, 401);
    let (status, done) = http(
        reqwest::Method::POST,
        &confirm_url,
        Some(token),
        Some(r#"{"by":"Sari"}"#),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let (status, again) = http(
        reqwest::Method::POST,
        &confirm_url,
        Some(token),
        Some(r#"{"by":"Budi"}"#),
    )
    .await;
    assert_eq!(status, 409, "{again}");
    assert!(again.contains("already reviewed by Sari"), "{again}");
    assert_eq!(get_json(&queue_url).await.unwrap()["total"], 42);
    let history = cli(&cfg, &["review", "history", &first]);
    assert!(history.contains("by Sari: dikonfirmasi"), "{history}");
    // From the command line, several at once; the queue shrinks by them.
    let listed = cli(&cfg, &["review", "list", "--unreviewed", "--limit", "2"]);
    let two: Vec<&str> = listed
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(two.len(), 2, "{listed}");
    let said = cli(&cfg, &["review", "confirm", two[0], two[1], "--by", "Budi"]);
    assert_eq!(said.matches("confirmed").count(), 2, "{said}");
    assert_eq!(get_json(&queue_url).await.unwrap()["total"], 40);
    let r: serde_json::Value = serde_json::from_str(&cli(
        &cfg,
        &["report", "--period", &year, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        r["summary"]["negative"], 9,
        "a confirmation changes no count"
    );
    assert_eq!(r["overrides"], 2, "nor the corrections");
}
