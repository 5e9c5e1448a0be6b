//! End-to-end: the satisfaction survey through the real binary — CSV import,
//! the report, the public submission API and the `pantau_ikm_score` metric.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, Utc};

mod common;
use common::{free_port, repo, Proc, BIN};

fn write_config(dir: &Path, port: u16) -> PathBuf {
    let repo = repo();
    let text = format!(
        "data_dir = {:?}\nentities_dir = {:?}\nlexicon_dir = {:?}\n[http]\nlisten = \"127.0.0.1:{port}\"\n\
         [survey]\nrate_limit_per_minute = 4\nmax_body_bytes = 2048\n\
         [[survey.units]]\nid = \"ppid\"\nname = \"Layanan Informasi PPID\"\ntarget = 82.0\npopulation = 1000\n",
        dir.join("data").display().to_string(),
        repo.join("config/entities").display().to_string(),
        repo.join("config/lexicon").display().to_string(),
    );
    let path = dir.join("pantau.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn pantau(config: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The IKM score computed the long way: per element sum / answered, mean of
/// the nine, × 25.
fn expected_score(rows: &[[Option<u8>; 9]]) -> f64 {
    let mut nrr_sum = 0.0;
    for e in 0..9 {
        let answered: Vec<f64> = rows.iter().filter_map(|r| r[e]).map(f64::from).collect();
        nrr_sum += answered.iter().sum::<f64>() / answered.len() as f64;
    }
    nrr_sum / 9.0 * 25.0
}

fn http(method: &str, url: &str, body: Option<String>) -> (u16, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = reqwest::Client::new();
        let mut req = if method == "POST" {
            c.post(url)
        } else {
            c.get(url)
        };
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        match req.timeout(Duration::from_secs(5)).send().await {
            Ok(r) => {
                let s = r.status().as_u16();
                (s, r.text().await.unwrap_or_default())
            }
            Err(_) => (0, String::new()),
        }
    })
}

fn ikm_metric(port: u16) -> Option<f64> {
    let (_, m) = http("GET", &format!("http://127.0.0.1:{port}/metrics"), None);
    m.lines()
        .find_map(|l| l.strip_prefix("pantau_ikm_score{unit=\"ppid\"} "))
        .map(|v| v.parse().unwrap())
}

#[test]
fn import_report_api_and_metric_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = write_config(tmp.path(), port);
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let year = today.year();
    let jan1 = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap();

    // 310 valid rows with a spread of answers and some blanks, 4 invalid rows,
    // 2 duplicates.
    let mut csv = String::from(
        "respondent_id,date,unit,gender,age,education,occupation,u1,u2,u3,u4,u5,u6,u7,u8,u9\n",
    );
    let mut rows = Vec::new();
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as u32
    };
    for i in 0..310 {
        let mut a = [None; 9];
        for (e, x) in a.iter_mut().enumerate() {
            let r = next() % 20;
            *x = if r == 0 {
                None
            } else {
                Some((1 + (r + e as u32) % 4).max(2 + (i % 3 == 0) as u32) as u8)
            };
        }
        rows.push(a);
        let date = (today - Days::days(i64::from(next() % 300))).max(jan1);
        let cells: Vec<String> = a
            .iter()
            .map(|x| x.map_or(String::new(), |v| v.to_string()))
            .collect();
        csv.push_str(&format!(
            "r{i},{date},ppid,{},{},SMA,Wiraswasta,{}\n",
            if i % 2 == 0 { "L" } else { "P" },
            20 + i % 50,
            cells.join(",")
        ));
    }
    csv.push_str(&format!(
        "bad1,{today},ppid,L,30,SMA,PNS,5,3,3,3,3,3,3,3,3\n"
    ));
    csv.push_str("bad2,2023-02-30,ppid,L,30,SMA,PNS,3,3,3,3,3,3,3,3,3\n");
    csv.push_str(&format!(
        "bad3,{today},gudang,L,30,SMA,PNS,3,3,3,3,3,3,3,3,3\n"
    ));
    csv.push_str(&format!(",{today},ppid,L,30,SMA,PNS,3,3,3,3,3,3,3,3,3\n"));
    csv.push_str(&format!("r5,{today},ppid,L,30,SMA,PNS,1,1,1,1,1,1,1,1,1\n"));
    csv.push_str(&format!("r7,{today},ppid,L,30,SMA,PNS,1,1,1,1,1,1,1,1,1\n"));
    let file = tmp.path().join("skm.csv");
    std::fs::write(&file, csv).unwrap();

    let (ok, out, err) = pantau(&config, &["survey", "import", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains("316 rows, 310 imported, 2 duplicates, 4 rejected"),
        "{out}\n{err}"
    );
    assert!(
        err.contains("skm.csv:312: rejected: u1: 5 is not an answer 1–4"),
        "{err}"
    );
    assert!(err.contains("skm.csv:313: rejected: date"), "{err}");
    assert!(
        err.contains("skm.csv:314: rejected: unit: \"gudang\""),
        "{err}"
    );
    assert!(
        err.contains("skm.csv:315: rejected: respondent_id"),
        "{err}"
    );
    assert!(
        err.contains("skm.csv:316: duplicate: r5 repeated in the file")
            || err.contains("r5 already stored"),
        "{err}"
    );
    // Importing again stores nothing twice.
    let (_, out, _) = pantau(&config, &["survey", "import", file.to_str().unwrap()]);
    assert!(out.contains("0 imported, 312 duplicates"), "{out}");

    let want = expected_score(&rows);
    let (ok, json, err) = pantau(
        &config,
        &[
            "survey",
            "report",
            "--period",
            &year.to_string(),
            "--unit",
            "ppid",
            "--format",
            "json",
        ],
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let r = &v[0];
    assert_eq!(r["result"]["respondents"], 310);
    let score = r["result"]["score"].as_f64().unwrap();
    assert!(
        (score - want).abs() < 1e-9,
        "report {score} vs expected {want}"
    );
    assert_eq!(r["minimum_sample"], 278);
    assert_eq!(r["achieved"], serde_json::Value::Bool(score > 82.0));
    let (ok, table, _) = pantau(
        &config,
        &[
            "survey",
            "report",
            "--period",
            &year.to_string(),
            "--weight",
            "0.111",
        ],
    );
    assert!(ok);
    assert!(table.contains("Dengan bobot tepat 1/9 nilainya"), "{table}");
    assert!(
        table.contains(&format!("Nilai konversi {:.2}", want * 0.999)),
        "{table}"
    );

    // The running service exports the same score, and the API moves it.
    let log = std::fs::File::create(tmp.path().join("run.log")).unwrap();
    let _p = Proc(
        Command::new(BIN)
            .args(["run", "--config", config.to_str().unwrap()])
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut got = None;
    while Instant::now() < deadline && got.is_none() {
        got = ikm_metric(port);
        std::thread::sleep(Duration::from_millis(100));
    }
    let got = got.expect("pantau_ikm_score exported");
    assert!((got - want).abs() < 1e-9, "metric {got} vs {want}");

    let url = format!("http://127.0.0.1:{port}/api/v1/survey/responses");
    let (status, body) = http(
        "POST",
        &url,
        Some(r#"{"unit":"ppid","answers":[4,4,4,4,4,4,4,4,4],"gender":"P"}"#.into()),
    );
    assert_eq!(status, 201, "{body}");
    rows.push([Some(4); 9]);
    let after = ikm_metric(port).unwrap();
    assert!((after - expected_score(&rows)).abs() < 1e-9, "{after}");
    assert!(after > got);

    let (status, body) = http(
        "POST",
        &url,
        Some(r#"{"unit":"ppid","answers":[5,0,3,3,3,3,3,3]}"#.into()),
    );
    assert_eq!(status, 422, "{body}");
    for reason in ["expected 9 answers", "u1", "u2"] {
        assert!(body.contains(reason), "{body}");
    }
    let (status, _) = http(
        "POST",
        &url,
        Some(format!(
            r#"{{"unit":"ppid","answers":[3,3,3,3,3,3,3,3,3],"occupation":"{}"}}"#,
            "x".repeat(4000)
        )),
    );
    assert_eq!(status, 413, "oversized body");
    // A public response cannot date itself into a closed period, nor choose
    // its respondent id.
    let (status, body) = http(
        "POST",
        &url,
        Some(r#"{"unit":"ppid","date":"2020-01-01","answers":[1,1,1,1,1,1,1,1,1]}"#.into()),
    );
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("2020-01-01 is more than 2 day(s) ago"),
        "{body}"
    );
    // Four accepted per minute per client (the oversized body never reached
    // the handler, the back-dated one did): one more passes, then 429.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let (status, _) = http(
            "POST",
            &url,
            Some(r#"{"unit":"ppid","answers":[3,3,3,3,3,3,3,3,3]}"#.into()),
        );
        statuses.push(status);
    }
    assert_eq!(statuses, [201, 429, 429, 429]);
    rows.push([Some(3); 9]);
    let last = ikm_metric(port).unwrap();
    assert!(
        (last - expected_score(&rows)).abs() < 1e-9,
        "rejected submissions change nothing: {last}"
    );
}
