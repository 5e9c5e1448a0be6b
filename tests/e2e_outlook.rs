//! `pantau outlook` on a synthetic month with a known steady share and an
//! injected spike: evaluated as of a moment inside the month (`--at`), it
//! flags the spike, projects a close whose interval holds the month's real
//! close, and reports the budget the target leaves.

use std::path::Path;

mod common;
use common::{pantau_ok, store_config};

/// November 2026: 20 articles a day (07:00–16:30 WIB), 2 of them negative
/// (08:00 and 14:00); on the 21st, 12 more negatives from 09:00 to 11:45.
/// Returns the file and the month's real (negative, total).
fn synthetic_month(dir: &Path) -> (std::path::PathBuf, u64, u64) {
    let mut lines = Vec::new();
    let (mut negative, mut total) = (0, 0);
    let mut push = |day: u32, hour: u32, minute: u32, bad: bool| {
        let i = lines.len();
        let title = if bad {
            format!("Kemensos dikecam warga karena bansos korupsi dan salah sasaran ({i})")
        } else {
            format!("Kemensos gelar rapat koordinasi program bansos ({i})")
        };
        lines.push(
            serde_json::json!({
                "media_type": "online",
                "outlet": "Portal Uji",
                "url": format!("https://synthetic.test/{i}"),
                "title": title,
                "published": format!("2026-11-{day:02}T{hour:02}:{minute:02}:00+07:00"),
            })
            .to_string(),
        );
        negative += u64::from(bad);
        total += 1;
    };
    for day in 1..=30 {
        for slot in 0..20 {
            let (hour, minute) = (7 + slot / 2, (slot % 2) * 30);
            push(day, hour, minute, slot == 2 || slot == 14);
        }
        if day == 21 {
            for k in 0..12 {
                push(day, 9 + k / 4, (k % 4) * 15, true);
            }
        }
    }
    let file = dir.join("november.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    (file, negative, total)
}

#[test]
fn the_outlook_flags_the_spike_and_projects_the_close() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = store_config(dir.path(), "");
    let (file, negative, total) = synthetic_month(dir.path());
    pantau_ok(&cfg, &["import", file.to_str().unwrap()]);

    // The day before: calm.
    let calm: serde_json::Value = serde_json::from_str(&pantau_ok(
        &cfg,
        &["outlook", "--at", "2026-11-20T12:30", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(calm["spikes"], serde_json::json!([]), "{calm}");

    let o: serde_json::Value = serde_json::from_str(&pantau_ok(
        &cfg,
        &["outlook", "--at", "2026-11-21T12:30", "--format", "json"],
    ))
    .unwrap();
    let spikes = o["spikes"].as_array().unwrap();
    let day = |kind: &str| {
        spikes
            .iter()
            .find(|s| s["window"] == "day" && s["kind"] == kind)
            .unwrap_or_else(|| panic!("no day {kind} spike: {o}"))
    };
    // 13 negatives by 12:30 (08:00 and the 12 injected) of 23 articles.
    assert_eq!(day("volume")["negatives"], 13);
    assert!(day("volume")["expected"].as_f64().unwrap() < 2.0, "{o}");
    assert!(day("share")["observed"].as_f64().unwrap() > 50.0, "{o}");
    assert!(
        (day("share")["expected"].as_f64().unwrap() - 10.0).abs() < 0.5,
        "{o}"
    );
    // What is behind it: the day's negative articles (the injected ones
    // among them), never a calm one.
    let behind = day("share")["behind"].as_array().unwrap();
    assert_eq!(behind.len(), 5, "{o}");
    for a in behind {
        let title = a["title"].as_str().unwrap();
        assert!(title.starts_with("Kemensos dikecam"), "{title}");
        assert!(a["url"]
            .as_str()
            .unwrap()
            .starts_with("https://synthetic.test/"));
    }

    let m = &o["month"];
    assert_eq!(m["period"], "2026-11");
    assert_eq!(m["so_far_articles"], 400 + 23);
    let close = 100.0 * negative as f64 / total as f64;
    let (lo, hi) = (
        m["ci_low"].as_f64().unwrap(),
        m["ci_high"].as_f64().unwrap(),
    );
    assert!(
        lo <= close && close <= hi,
        "the close {close:.2} % outside {lo:.2}–{hi:.2}"
    );
    // The budget: the most negatives that keep the projected month below
    // the entity's 20 % target.
    let target = m["target_percent"].as_f64().unwrap() / 100.0;
    let projected_total = 424.0 + 9.5 * 20.0;
    let budget = m["remaining_budget"].as_u64().unwrap() as f64;
    let so_far_negative = 53.0;
    assert!(
        (so_far_negative + budget) / projected_total < target + 0.002,
        "{m}"
    );
    assert!(
        (so_far_negative + budget + 2.0) / projected_total >= target,
        "{m}"
    );
    assert!(m["p_over_target"].as_f64().unwrap() < 0.05, "{m}");
    assert!(o["quarter"]["projected_percent"].is_number());
    assert!(o["year"]["remaining_budget"].is_number());

    let table = pantau_ok(&cfg, &["outlook", "--at", "2026-11-21T12:30"]);
    assert!(table.contains("2026-11"), "{table}");
    assert!(table.contains("Lonjakan hari ini"), "{table}");
    assert!(table.contains("Di balik lonjakan hari ini:"), "{table}");
}
