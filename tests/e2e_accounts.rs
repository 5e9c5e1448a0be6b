//! Accounts end to end: `pantau user add` before the first start, a service
//! that requires sign-in, and a public listener that serves the survey
//! only. Over HTTP: nothing private without sign-in, a viewer's token reads
//! but cannot write, a session's write without its CSRF token is refused,
//! the public listener has no staff page, API or metrics. Then in headless
//! Chromium (`tests/browser/accounts.test.mjs`): an analyst signs in, works
//! through the review queue, confirms and corrects, and the audit trail
//! names the account; a viewer sees no review control and cannot write.

use std::process::Command;
use std::time::{Duration, Instant};

mod common;
use common::{demo_config, demo_feeds, free_port, pantau_ok, repo, request, Proc, BIN};

/// The value after `label` on the line of `out` that holds it.
fn shown(out: &str, label: &str) -> String {
    out.lines()
        .find_map(|l| l.split_once(label).map(|(_, v)| v.trim().to_owned()))
        .unwrap_or_else(|| panic!("no {label:?} in:\n{out}"))
}

#[test]
fn sign_in_roles_and_the_public_survey_listener() {
    let tmp = tempfile::tempdir().unwrap();
    let (_feeds, feed_port) = demo_feeds();
    let cfg = tmp.path().join("pantau.toml");
    std::fs::write(&cfg, demo_config(&tmp.path().join("data"), feed_port)).unwrap();

    // Accounts before the first start: `user add` creates the store.
    let rina = pantau_ok(&cfg, &["user", "add", "rina", "--role", "analyst"]);
    let rina_password = shown(&rina, "password (shown once):");
    let budi = pantau_ok(
        &cfg,
        &["user", "add", "budi", "--role", "viewer", "--token"],
    );
    let budi_password = shown(&budi, "password (shown once):");
    let budi_token = shown(&budi, "API token (shown once):");
    assert!(budi_token.starts_with("pt_"), "{budi}");
    let again = Command::new(BIN)
        .args([
            "-c",
            cfg.to_str().unwrap(),
            "user",
            "add",
            "rina",
            "--role",
            "admin",
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    let bad = Command::new(BIN)
        .args([
            "-c",
            cfg.to_str().unwrap(),
            "user",
            "add",
            "Rina S",
            "--role",
            "analyst",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success(), "a bad name was accepted");
    let list: serde_json::Value =
        serde_json::from_str(&pantau_ok(&cfg, &["user", "list", "--format", "json"])).unwrap();
    assert_eq!(list[0]["name"], "budi");
    assert_eq!(list[0]["role"], "viewer");
    assert_eq!(list[0]["tokens"], 1);
    assert_eq!(list[1]["name"], "rina");
    // The store holds neither password nor token in the clear.
    let db = std::fs::read(tmp.path().join("data/pantau.db")).unwrap();
    for secret in [&rina_password, &budi_token] {
        assert!(
            !db.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "a secret is stored in the clear"
        );
    }

    let port = free_port();
    let public_port = free_port();
    let log = tmp.path().join("pantau.log");
    let log_file = std::fs::File::create(&log).unwrap();
    let _pantau = Proc(
        Command::new(BIN)
            .args(["run", "--config", cfg.to_str().unwrap()])
            .env("PANTAU__HTTP__LISTEN", format!("127.0.0.1:{port}"))
            .env("PANTAU__HTTP__REQUIRE_LOGIN", "true")
            .env(
                "PANTAU__HTTP__PUBLIC_LISTEN",
                format!("127.0.0.1:{public_port}"),
            )
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let public = format!("http://127.0.0.1:{public_port}");
    let viewer = format!("Bearer {budi_token}");
    let as_viewer = [("authorization", viewer.as_str())];

    // The demo ingested (read with the viewer's token).
    let want = std::fs::read_to_string(repo().join("demo/expected.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| {
            let e: serde_json::Value = serde_json::from_str(l).unwrap();
            e.get("duplicate_of").is_none() && e["relevant"] == true
        })
        .count() as u64;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let total = request(
            "GET",
            &format!("{base}/api/v1/articles?limit=1"),
            &as_viewer,
            None,
        )
        .and_then(|(_, _, b)| serde_json::from_str::<serde_json::Value>(&b).ok())
        .and_then(|v| v["total"].as_u64())
        .unwrap_or(0);
        if total >= want {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "demo not ingested: {total} of {want}\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(250));
    }

    // Nothing private without sign-in: pages go to /masuk, reads are 401.
    for page in ["/", "/artikel", "/laporan", "/isu", "/survei/hasil"] {
        let (status, location, _) = request("GET", &format!("{base}{page}"), &[], None).unwrap();
        assert_eq!(status, 303, "{page} served without sign-in");
        assert!(
            location
                .as_deref()
                .is_some_and(|l| l.starts_with("/masuk?next=")),
            "{page}: {location:?}"
        );
    }
    for api in [
        "/api/v1/kpi",
        "/api/v1/articles",
        "/api/v1/report?period=2026",
        "/api/v1/entities",
        "/api/v1/survey/ikm",
        "/api/v1/issues",
    ] {
        let (status, _, body) = request("GET", &format!("{base}{api}"), &[], None).unwrap();
        assert_eq!(
            status, 401,
            "{api} answered {status} without sign-in: {body}"
        );
    }
    // What anyone may see, on the staff listener too.
    for open in ["/masuk", "/survei", "/api/v1/survey/form", "/healthz"] {
        let (status, _, _) = request("GET", &format!("{base}{open}"), &[], None).unwrap();
        assert_eq!(status, 200, "{open}");
    }
    // A wrong token is told so; the viewer's token reads but cannot write.
    let (status, _, _) = request(
        "GET",
        &format!("{base}/api/v1/kpi"),
        &[("authorization", "Bearer pt_wrong")],
        None,
    )
    .unwrap();
    assert_eq!(status, 401);
    let (status, _, _) = request("GET", &format!("{base}/api/v1/kpi"), &as_viewer, None).unwrap();
    assert_eq!(status, 200);
    let items: serde_json::Value = serde_json::from_str(
        &request(
            "GET",
            &format!("{base}/api/v1/articles?unreviewed=true&limit=1"),
            &as_viewer,
            None,
        )
        .unwrap()
        .2,
    )
    .unwrap();
    let some_id = items["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, _, body) = request(
        "POST",
        &format!("{base}/api/v1/articles/{some_id}/confirm"),
        &as_viewer,
        Some("{}"),
    )
    .unwrap();
    assert_eq!(status, 403, "a viewer confirmed: {body}");
    assert!(body.contains("viewer"), "{body}");

    // Sign-in over the API: a wrong password is 401; the right one gives an
    // HttpOnly, SameSite cookie and a CSRF token writes must echo.
    let (status, _, _) = request(
        "POST",
        &format!("{base}/api/v1/session"),
        &[],
        Some(r#"{"name":"rina","password":"salah-salah-salah"}"#),
    )
    .unwrap();
    assert_eq!(status, 401);
    let (set_cookie, body) = {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let body = serde_json::json!({"name": "rina", "password": rina_password});
            let r = reqwest::Client::new()
                .post(format!("{base}/api/v1/session"))
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 200);
            let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
            (cookie, r.text().await.unwrap())
        })
    };
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    let csrf = body["csrf"].as_str().unwrap().to_owned();
    assert_eq!(body["account"]["role"], "analyst");
    let confirm_url = format!("{base}/api/v1/articles/{some_id}/confirm");
    let (status, _, body) = request(
        "POST",
        &confirm_url,
        &[("cookie", cookie.as_str())],
        Some("{}"),
    )
    .unwrap();
    assert_eq!(status, 403, "a write without its CSRF token: {body}");
    assert!(body.contains("CSRF"), "{body}");
    // Someone else's name is refused: the trail records the account.
    let (status, _, body) = request(
        "POST",
        &confirm_url,
        &[("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())],
        Some(r#"{"by":"budi"}"#),
    )
    .unwrap();
    assert_eq!(status, 422, "{body}");
    let (status, _, body) = request(
        "POST",
        &confirm_url,
        &[("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())],
        Some("{}"),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let entry: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(entry["by"], "rina");
    // Issues: an analyst renames one and merges it into another (each in
    // the issues' audit trail); a viewer cannot.
    let all_time = "2000-01-01..2099-12-31";
    let issues_of = || -> serde_json::Value {
        let (status, _, body) = request(
            "GET",
            &format!("{base}/api/v1/issues?period={all_time}"),
            &as_viewer,
            None,
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let issues = loop {
        let r = issues_of();
        if r["issues"].as_array().unwrap().len() >= 2 && r["unassigned"] == 0 {
            break r;
        }
        assert!(Instant::now() < deadline, "fewer than two issues: {r}");
        std::thread::sleep(Duration::from_millis(250));
    };
    let (first, second) = (&issues["issues"][0], &issues["issues"][1]);
    let (a, b) = (
        first["id"].as_str().unwrap().to_owned(),
        second["id"].as_str().unwrap().to_owned(),
    );
    let stories_together = first["stories"].as_u64().unwrap() + second["stories"].as_u64().unwrap();
    let issue_url = format!("{base}/api/v1/issues/{a}");
    let as_rina = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
    let (status, _, body) = request(
        "PATCH",
        &issue_url,
        &as_viewer,
        Some(r#"{"name":"Isu dari pembaca"}"#),
    )
    .unwrap();
    assert_eq!(status, 403, "a viewer renamed an issue: {body}");
    for (bad, why) in [
        ("{}", "exactly one"),
        (r#"{"name":"x","merge_into":"y"}"#, "exactly one"),
        (r#"{"name":"   "}"#, "name"),
    ] {
        let (status, _, body) = request("PATCH", &issue_url, &as_rina, Some(bad)).unwrap();
        assert_eq!(status, 422, "{bad}: {body}");
        assert!(body.contains(why), "{bad}: {body}");
    }
    let (status, _, body) = request(
        "PATCH",
        &format!("{base}/api/v1/issues/tidak-ada"),
        &as_rina,
        Some(r#"{"name":"Isu uji"}"#),
    )
    .unwrap();
    assert_eq!(status, 404, "{body}");
    let (status, _, body) = request(
        "PATCH",
        &issue_url,
        &as_rina,
        Some(r#"{"name":"Isu uji peramban"}"#),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let said: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (said["action"].as_str(), said["by"].as_str()),
        (Some("rename"), Some("rina"))
    );
    let renamed = issues_of();
    let shown = renamed["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == a.as_str())
        .unwrap_or_else(|| panic!("{a} gone after a rename: {renamed}"));
    assert_eq!(shown["label"], "Isu uji peramban");
    let merge = serde_json::json!({ "merge_into": b }).to_string();
    let (status, _, body) = request("PATCH", &issue_url, &as_rina, Some(&merge)).unwrap();
    assert_eq!(status, 200, "{body}");
    let merged = issues_of();
    let list = merged["issues"].as_array().unwrap();
    assert!(
        list.iter().all(|i| i["id"] != a.as_str()),
        "{a} still listed after its merge: {merged}"
    );
    let into = list.iter().find(|i| i["id"] == b.as_str()).unwrap();
    assert_eq!(
        into["stories"].as_u64().unwrap(),
        stories_together,
        "{into}"
    );
    // A story split off into a new issue.
    let (_, _, body) = request(
        "GET",
        &format!("{base}/api/v1/stories?period={all_time}&issue={b}"),
        &as_viewer,
        None,
    )
    .unwrap();
    let stories: serde_json::Value = serde_json::from_str(&body).unwrap();
    let story = stories[0]["id"].as_str().unwrap().to_owned();
    let move_url = format!("{base}/api/v1/stories/{story}/issue");
    let split = r#"{"new_name":"Isu pisahan"}"#;
    let (status, _, _) = request("PUT", &move_url, &as_viewer, Some(split)).unwrap();
    assert_eq!(status, 403, "a viewer split a story");
    let both = format!(r#"{{"to":"{b}","new_name":"Isu pisahan"}}"#);
    let (status, _, body) = request("PUT", &move_url, &as_rina, Some(&both)).unwrap();
    assert_eq!(status, 422, "{body}");
    let (status, _, _) = request(
        "PUT",
        &format!("{base}/api/v1/stories/tidak-ada/issue"),
        &as_rina,
        Some(split),
    )
    .unwrap();
    assert_eq!(status, 404);
    let (status, _, body) = request("PUT", &move_url, &as_rina, Some(split)).unwrap();
    assert_eq!(status, 200, "{body}");
    let moved: serde_json::Value = serde_json::from_str(&body).unwrap();
    let new_issue = moved["issue"].as_str().unwrap().to_owned();
    let after = issues_of();
    let list = after["issues"].as_array().unwrap();
    let founded = list.iter().find(|i| i["id"] == new_issue.as_str()).unwrap();
    assert_eq!(
        (founded["label"].as_str(), founded["stories"].as_u64()),
        (Some("Isu pisahan"), Some(1))
    );
    let left = list.iter().find(|i| i["id"] == b.as_str()).unwrap();
    assert_eq!(
        left["stories"].as_u64().unwrap(),
        stories_together - 1,
        "{left}"
    );

    // Sign-out ends the session on the server, not only in the browser.
    let (status, _, _) = request(
        "DELETE",
        &format!("{base}/api/v1/session"),
        &[("cookie", cookie.as_str())],
        None,
    )
    .unwrap();
    assert_eq!(status, 204);
    let (status, _, _) = request(
        "GET",
        &format!("{base}/api/v1/kpi"),
        &[("cookie", cookie.as_str())],
        None,
    )
    .unwrap();
    assert_eq!(status, 401, "a signed-out session still reads");

    // The public listener: the survey, nothing else.
    let (status, _, page) = request("GET", &format!("{public}/survei"), &[], None).unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("Survei Kepuasan Masyarakat"));
    let (status, _, _) = request("GET", &format!("{public}/"), &[], None).unwrap();
    assert_eq!(status, 200);
    let (status, _, _) =
        request("GET", &format!("{public}/api/v1/survey/form"), &[], None).unwrap();
    assert_eq!(status, 200);
    for private in [
        "/artikel",
        "/ringkasan",
        "/masuk",
        "/api/v1/kpi",
        "/api/v1/session",
        "/api/v1/articles",
        "/metrics",
    ] {
        let (status, _, _) =
            request("GET", &format!("{public}{private}"), &as_viewer, None).unwrap();
        assert_eq!(status, 404, "the public listener serves {private}");
    }

    // A disabled account's token is refused at once.
    pantau_ok(&cfg, &["user", "disable", "budi"]);
    let (status, _, _) = request("GET", &format!("{base}/api/v1/kpi"), &as_viewer, None).unwrap();
    assert_eq!(status, 401, "a disabled account's token still reads");
    pantau_ok(&cfg, &["user", "enable", "budi"]);

    // The browser: the analyst's day, and the viewer's limits.
    let shots = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
        .join("web-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("bash")
        .arg(repo().join("scripts/browser.sh"))
        .args(["run", "accounts"])
        .env("PANTAU_URL", &base)
        .env("PANTAU_PUBLIC_URL", &public)
        .env("PANTAU_ANALYST", format!("rina:{rina_password}"))
        .env("PANTAU_VIEWER", format!("budi:{budi_password}"))
        .env("PANTAU_READ_TOKEN", &budi_token)
        .env("SCREENSHOT_DIR", &shots)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{}\n--- pantau log\n{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert!(
        stdout.contains(" passed, 0 failed"),
        "no summary line:\n{stdout}"
    );
}
