//! Stories and issues through the real binary: the constructed syndication
//! set imported as articles groups into its stories (`pantau stories`);
//! issues carry their points of the negative percentage (`pantau
//! issues`); an override of a story reaches every copy with one audit
//! entry each; analysts rename, merge and split issues, audited. And the
//! 1,400 real headlines of `../shared/eval/kemensos-news` form issues.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

mod common;
use common::{pantau_ok, repo, store_config};

#[derive(serde::Deserialize)]
struct Article {
    story: String,
    outlet: String,
    published: String,
    title: String,
    body: String,
}

/// The syndication set as an import file; returns url → true story.
fn syndication(dir: &Path) -> (std::path::PathBuf, HashMap<String, String>) {
    let text =
        std::fs::read_to_string(repo().join("crates/pantau-stories/tests/data/syndication.json"))
            .unwrap();
    let articles: Vec<Article> = serde_json::from_str(&text).unwrap();
    let mut truth = HashMap::new();
    let lines: Vec<String> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let url = format!("https://berita{i}.test/read/{i}");
            truth.insert(url.clone(), a.story.clone());
            serde_json::json!({
                "media_type": "online",
                "outlet": a.outlet,
                "url": url,
                "title": a.title,
                "text": a.body,
                // A year back: the set's December lies ahead of today.
                "published": a.published.replacen("2026-", "2025-", 1),
            })
            .to_string()
        })
        .collect();
    let file = dir.join("syndication.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    (file, truth)
}

fn json(cfg: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&pantau_ok(cfg, args)).unwrap()
}

#[test]
fn stories_group_the_copies_and_issues_attribute_the_kpi() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = store_config(dir.path(), "");
    let (file, truth) = syndication(dir.path());
    // Some lines are not about the ministry (football, weather): exit 0
    // either way, nothing is rejected.
    pantau_ok(&cfg, &["import", file.to_str().unwrap()]);

    let stories = json(&cfg, &["stories", "--period", "2025", "--format", "json"]);
    let stories = stories.as_array().unwrap();
    let mut predicted: Vec<(String, String)> = Vec::new();
    for s in stories {
        for url in s["links"].as_array().unwrap() {
            predicted.push((
                s["id"].as_str().unwrap().to_owned(),
                truth[url.as_str().unwrap()].clone(),
            ));
        }
    }
    assert!(predicted.len() > 100, "{} articles stored", predicted.len());
    let (mut tp, mut fp, mut fne) = (0, 0, 0);
    for i in 0..predicted.len() {
        for j in i + 1..predicted.len() {
            match (
                predicted[i].0 == predicted[j].0,
                predicted[i].1 == predicted[j].1,
            ) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fne += 1,
                _ => {}
            }
        }
    }
    let precision = f64::from(tp) / f64::from(tp + fp);
    let recall = f64::from(tp) / f64::from(tp + fne);
    eprintln!("through pantau: precision {precision:.3}, recall {recall:.3}");
    assert!(
        precision >= 0.95 && recall >= 0.95,
        "precision {precision:.3}, recall {recall:.3}"
    );

    // Issues: each story in one; the points are the issue's negatives
    // over the period's denominator.
    let r = json(&cfg, &["issues", "--period", "2025", "--format", "json"]);
    let issues = r["issues"].as_array().unwrap();
    assert!(!issues.is_empty());
    let den = r["denominator"].as_f64().unwrap();
    let mut seen = BTreeMap::new();
    for i in issues {
        let neg = i["sentiment"]["negative"].as_f64().unwrap();
        if let Some(p) = i["negative_points"].as_f64() {
            assert!((p - 100.0 * neg / den).abs() < 1e-9, "{i}");
        }
        for s in i["story_ids"].as_array().unwrap() {
            assert!(
                seen.insert(s.as_str().unwrap().to_owned(), ()).is_none(),
                "story in two issues"
            );
        }
    }
    assert_eq!(r["unassigned"], 0);
    assert!(r["per_story"]["percent"].is_number());

    // An override of a story reaches every copy, one audit entry each.
    let big = stories
        .iter()
        .find(|s| {
            s["articles"].as_array().unwrap().len() >= 3
                && s["sentiment"]["positive"].as_u64().unwrap()
                    + s["sentiment"]["neutral"].as_u64().unwrap()
                    > 0
        })
        .expect("a story of three copies, not all negative");
    let first = big["articles"][0].as_str().unwrap();
    let out = pantau_ok(
        &cfg,
        &[
            "review",
            "set",
            first,
            "--story",
            "--sentiment",
            "negative",
            "--by",
            "ani",
            "--reason",
            "satu cerita, satu penilaian",
        ],
    );
    assert!(out.contains("copies changed"), "{out}");
    let again = json(&cfg, &["stories", "--period", "2025", "--format", "json"]);
    let same = again
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == big["id"])
        .unwrap();
    assert_eq!(
        same["sentiment"]["negative"].as_u64(),
        Some(big["articles"].as_array().unwrap().len() as u64)
    );
    for a in big["articles"].as_array().unwrap() {
        let h = pantau_ok(&cfg, &["review", "history", a.as_str().unwrap()]);
        assert!(h.contains("by ani"), "{h}");
    }

    // Rename, merge, split: audited, and the view follows.
    let (a, b) = (
        issues[0]["id"].as_str().unwrap(),
        issues[1]["id"].as_str().unwrap(),
    );
    pantau_ok(
        &cfg,
        &["issues", "rename", a, "Bansos salah sasaran", "--by", "ani"],
    );
    pantau_ok(&cfg, &["issues", "merge", b, a, "--by", "ani"]);
    let merged = json(&cfg, &["issues", "--period", "2025", "--format", "json"]);
    let top = merged["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == a)
        .unwrap();
    assert_eq!(top["label"], "Bansos salah sasaran");
    assert_eq!(
        top["stories"].as_u64().unwrap(),
        issues[0]["stories"].as_u64().unwrap() + issues[1]["stories"].as_u64().unwrap()
    );
    assert!(!merged["issues"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == b));
    let story = top["story_ids"][0].as_str().unwrap();
    pantau_ok(
        &cfg,
        &["issues", "move", story, "--new", "Isu baru", "--by", "budi"],
    );
    let split = json(&cfg, &["issues", "--period", "2025", "--format", "json"]);
    let new = split["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "Isu baru")
        .expect("the split issue");
    assert_eq!(new["story_ids"][0], story);
    let history = pantau_ok(&cfg, &["issues", "history"]);
    for line in ["rename", "merge", "move", "oleh ani", "oleh budi"] {
        assert!(history.contains(line), "{line:?} missing from\n{history}");
    }
    let bad = std::process::Command::new(common::BIN)
        .arg("-c")
        .arg(&cfg)
        .args(["issues", "merge", "kemensos-nope", a, "--by", "ani"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn the_real_headlines_form_issues() {
    let tsv = repo().join("../shared/eval/kemensos-news/headlines.tsv");
    let text = std::fs::read_to_string(&tsv)
        .unwrap_or_else(|e| panic!("{} (../shared beside the clone): {e}", tsv.display()));
    let dir = tempfile::tempdir().unwrap();
    let cfg = store_config(dir.path(), "");
    // As they would arrive: in publication order.
    let mut rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    rows.sort_by_key(|r| r[1]);
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "media_type": "online", "outlet": r[2], "url": r[3], "title": r[4],
                "published": format!("{}T12:00:00+07:00", r[1]),
            })
            .to_string()
        })
        .collect();
    let file = dir.path().join("headlines.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    pantau_ok(&cfg, &["import", file.to_str().unwrap()]);
    let r = json(
        &cfg,
        &[
            "issues",
            "--period",
            "2025-10-01..2026-08-31",
            "--format",
            "json",
        ],
    );
    let issues = r["issues"].as_array().unwrap();
    let mut by_size: Vec<&serde_json::Value> = issues.iter().collect();
    by_size.sort_by_key(|i| std::cmp::Reverse(i["stories"].as_u64().unwrap()));
    for i in by_size.iter().take(10) {
        eprintln!(
            "{:>3} stories, {:>3} articles, {:>2} negative: {}",
            i["stories"], i["articles"], i["sentiment"]["negative"], i["label"]
        );
    }
    assert!(issues.len() > 50, "{} issues", issues.len());
    assert!(
        by_size[0]["stories"].as_u64().unwrap() >= 20,
        "the largest issue is small"
    );
    let table = pantau_ok(&cfg, &["issues", "--period", "2025-10-01..2026-08-31"]);
    assert!(table.contains("lima isu teratas menjelaskan"), "{table}");
}
