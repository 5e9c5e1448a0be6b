//! The clipping reaches people through real servers: an SMTP server
//! (aiosmtpd, from PyPI, started by `scripts/digest_sinks.sh`) receives
//! the e-mail and the test reads the parsed message; a local HTTP server
//! stands in for Telegram's Bot API and a WhatsApp gateway's webhook and
//! the test checks the requests' shape. A delivery that fails is kept and
//! sent by `--resend`; `pantau run` sends at the configured local time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{free_port, pantau_ok, repo, store_config, Proc, BIN};

const BOT_TOKEN: &str = "123456:TEST-token";

/// The sinks on fresh ports, writing into `out`; waits until they listen
/// (the first start installs aiosmtpd into target/test-venv).
fn sinks(out: &Path, smtp_port: u16, http_port: u16) -> Proc {
    let child = Command::new("bash")
        .arg(repo().join("scripts/digest_sinks.sh"))
        .args(["--smtp-port", &smtp_port.to_string()])
        .args(["--http-port", &http_port.to_string()])
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .spawn()
        .expect("scripts/digest_sinks.sh starts");
    let proc = Proc(child);
    let deadline = Instant::now() + Duration::from_secs(240);
    while !out.join("ready").exists() {
        assert!(
            Instant::now() < deadline,
            "the SMTP and HTTP sinks did not start (scripts/digest_sinks.sh)"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    proc
}

fn records(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn wait_for(path: &Path, n: usize, secs: u64) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let r = records(path);
        if r.len() >= n || Instant::now() > deadline {
            return r;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

const NEGATIVES: [&str; 3] = [
    "Kemensos dikecam warga karena bansos korupsi dan salah sasaran di Bekasi",
    "Penyaluran bansos Kemensos terlambat, warga Garut protes",
    "KPK periksa pejabat Kemensos soal korupsi pengadaan bansos",
];

/// Articles about the ministry published in the last hours: three
/// negative, four not; and a negative one published a month ago (stored
/// today, but not news of the day).
fn articles(dir: &Path) -> PathBuf {
    let now = chrono::Utc::now();
    let mut lines = Vec::new();
    let mut push = |i: usize, title: &str, hours_ago: i64| {
        lines.push(
            serde_json::json!({
                "media_type": "online",
                "outlet": format!("Portal {i}"),
                "url": format!("https://berita.test/{i}?a=1&b=2"),
                "title": title,
                "published": (now - chrono::Duration::hours(hours_ago)).to_rfc3339(),
            })
            .to_string(),
        );
    };
    for (i, t) in NEGATIVES.iter().enumerate() {
        push(i, t, 2 + i as i64);
    }
    push(
        10,
        "Kemensos salurkan bantuan untuk korban banjir di Demak",
        3,
    );
    push(11, "Mensos resmikan Sekolah Rakyat di Surabaya", 4);
    push(12, "Kemensos gelar rapat koordinasi program bansos", 5);
    push(
        13,
        "Kemensos raih penghargaan keterbukaan informasi publik",
        6,
    );
    push(
        20,
        "Kemensos dikecam keras atas korupsi bansos bulan lalu",
        24 * 30,
    );
    let file = dir.join("today.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    file
}

fn digest_config(smtp_port: u16, http_port: u16, extra: &str) -> String {
    format!(
        r#"
[digest]
dashboard_url = "http://pantau.kemensos.test/"
{extra}
[digest.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
from = "pantau <pantau@localhost>"
[digest.telegram]
bot_token = "{BOT_TOKEN}"
api_url = "http://127.0.0.1:{http_port}"
"#
    )
}

fn pantau(config: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("-c")
        .arg(config)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_digest_arrives_by_mail_telegram_and_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let (smtp_port, http_port) = (free_port(), free_port());
    let out = dir.path().join("sinks");
    let _sinks = sinks(&out, smtp_port, http_port);
    let recipients = format!(
        r#"
[[digest.recipients]]
entity = "kemensos"
email = ["kabiro@kemensos.go.id", "Humas <humas@kemensos.go.id>"]
telegram = ["-100777"]
webhook = ["http://127.0.0.1:{http_port}/wa"]
"#
    );
    let cfg = store_config(
        dir.path(),
        &(digest_config(smtp_port, http_port, "") + &recipients),
    );
    pantau_ok(&cfg, &["import", articles(dir.path()).to_str().unwrap()]);

    // Shown, not sent: nothing is stored or delivered.
    let shown = pantau_ok(&cfg, &["digest", "--since", "1d"]);
    for t in NEGATIVES {
        assert!(shown.contains(t), "{t:?} missing from\n{shown}");
    }
    assert!(!out.join("mail.jsonl").exists());

    let sent = pantau(&cfg, &["digest", "--since", "1d", "--send"]);
    let stderr = String::from_utf8_lossy(&sent.stderr);
    assert!(sent.status.success(), "{stderr}");

    let mails = wait_for(&out.join("mail.jsonl"), 2, 10);
    assert_eq!(mails.len(), 2, "one message per address: {mails:?}");
    let mut to: Vec<&str> = mails
        .iter()
        .map(|m| m["rcpt_tos"][0].as_str().unwrap())
        .collect();
    to.sort();
    assert_eq!(to, ["humas@kemensos.go.id", "kabiro@kemensos.go.id"]);
    let m = &mails[0];
    assert_eq!(m["mail_from"], "pantau@localhost");
    assert_eq!(m["content_type"], "multipart/alternative");
    let subject = m["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("Kliping Kementerian Sosial Republik Indonesia")
            || subject.starts_with("[PERINGATAN] Kliping Kementerian Sosial"),
        "{subject}"
    );
    assert!(subject.contains("3 berita negatif baru"), "{subject}");
    let text = m["text"].as_str().unwrap();
    let html = m["html"].as_str().unwrap();
    for t in NEGATIVES {
        assert!(
            text.contains(t),
            "{t:?} missing from the text part:\n{text}"
        );
        assert!(html.contains(t), "{t:?} missing from the HTML part");
    }
    assert!(text.contains("Berita negatif baru (3)"), "{text}");
    assert!(text.contains("Mengapa negatif:"), "{text}");
    assert!(text.contains("https://berita.test/0?a=1&b=2"));
    assert!(html.contains("href=\"https://berita.test/0?a=1&amp;b=2\""));
    assert!(
        !text.contains("bulan lalu"),
        "an article published a month ago is not news of the day"
    );
    assert!(!text.contains("Sekolah Rakyat"), "not negative, not listed");
    assert!(
        text.contains("7 berita tentang Kementerian Sosial Republik Indonesia tersimpan"),
        "seven new: the eighth was published a month ago\n{text}"
    );
    assert!(text.contains("Dasbor: http://pantau.kemensos.test/"));

    let requests = wait_for(&out.join("http.jsonl"), 2, 10);
    let telegram: Vec<_> = requests.iter().filter(|r| r["path"] != "/wa").collect();
    assert!(!telegram.is_empty(), "{requests:?}");
    for r in &telegram {
        assert_eq!(r["path"], format!("/bot{BOT_TOKEN}/sendMessage"));
        assert_eq!(r["content_type"], "application/json");
        assert_eq!(r["body"]["chat_id"], "-100777");
        assert_eq!(r["body"]["parse_mode"], "HTML");
        assert!(r["body"]["text"].as_str().unwrap().chars().count() <= 4096);
    }
    let chat: String = telegram
        .iter()
        .map(|r| r["body"]["text"].as_str().unwrap())
        .collect();
    assert!(
        chat.contains("<a href=\"https://berita.test/0?a=1&amp;b=2\">"),
        "{chat}"
    );
    let hook = requests.iter().find(|r| r["path"] == "/wa").unwrap();
    assert_eq!(hook["content_type"], "application/json");
    assert_eq!(hook["body"]["kind"], "pantau.digest");
    assert_eq!(hook["body"]["subject"], subject);
    assert_eq!(hook["body"]["digest"]["new_negative"], 3);
    assert_eq!(
        hook["body"]["digest"]["negatives"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Stored, with every delivery sent.
    let list = pantau_ok(&cfg, &["digest", "--list"]);
    assert!(list.contains(subject), "{list}");
    assert_eq!(list.matches("terkirim").count(), 4, "{list}");
    // The next digest starts where this one ended: nothing new.
    let next = pantau_ok(&cfg, &["digest"]);
    assert!(next.contains("Tidak ada berita negatif baru."), "{next}");
}

#[test]
fn a_failed_delivery_is_kept_and_resent() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on the SMTP port yet.
    let (smtp_port, http_port) = (free_port(), free_port());
    let recipients =
        "[[digest.recipients]]\nentity = \"kemensos\"\nemail = [\"kabiro@kemensos.go.id\"]\n";
    let cfg = store_config(
        dir.path(),
        &(digest_config(smtp_port, http_port, "") + recipients),
    );
    pantau_ok(&cfg, &["import", articles(dir.path()).to_str().unwrap()]);
    let failed = pantau(&cfg, &["digest", "--since", "1d", "--send"]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("BELUM TERKIRIM"), "{stderr}");
    assert!(
        stderr.contains("pantau digest --resend kemensos@"),
        "{stderr}"
    );
    let id = stderr
        .split("--resend ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let list = pantau_ok(&cfg, &["digest", "--list"]);
    assert!(list.contains("menunggu (percobaan 3)"), "{list}");

    let out = dir.path().join("sinks");
    let _sinks = sinks(&out, smtp_port, http_port);
    let resent = pantau(&cfg, &["digest", "--resend", &id]);
    assert!(
        resent.status.success(),
        "{}",
        String::from_utf8_lossy(&resent.stderr)
    );
    let mails = wait_for(&out.join("mail.jsonl"), 1, 10);
    assert_eq!(mails.len(), 1);
    assert!(mails[0]["text"].as_str().unwrap().contains(NEGATIVES[0]));
    assert!(pantau_ok(&cfg, &["digest", "--list"]).contains("terkirim"));
    let unknown = pantau(&cfg, &["digest", "--resend", "kemensos@nope"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no digest \"kemensos@nope\""));
}

#[test]
fn pantau_run_sends_the_digest_at_the_configured_local_time() {
    let dir = tempfile::tempdir().unwrap();
    let (smtp_port, http_port, api_port) = (free_port(), free_port(), free_port());
    let out = dir.path().join("sinks");
    let _sinks = sinks(&out, smtp_port, http_port);
    // Articles first, then a sending time a few seconds from now in the
    // entity's zone (WIB).
    let setup = store_config(dir.path(), "");
    pantau_ok(&setup, &["import", articles(dir.path()).to_str().unwrap()]);
    let slot = (chrono::Utc::now() + chrono::Duration::seconds(8))
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%H:%M:%S")
        .to_string();
    let extra = format!("times = [\"{slot}\"]");
    let cfg = store_config(
        dir.path(),
        &format!(
            "[http]\nlisten = \"127.0.0.1:{api_port}\"\n{}[[digest.recipients]]\nentity = \"kemensos\"\nemail = [\"kabiro@kemensos.go.id\"]\n",
            digest_config(smtp_port, http_port, &extra)
        ),
    );
    let _run = Proc(
        Command::new(BIN)
            .arg("-c")
            .arg(&cfg)
            .arg("run")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mails = wait_for(&out.join("mail.jsonl"), 1, 90);
    assert_eq!(mails.len(), 1, "no digest at {slot} WIB");
    let text = mails[0]["text"].as_str().unwrap();
    for t in NEGATIVES {
        assert!(text.contains(t), "{t:?} missing:\n{text}");
    }
    let list = pantau_ok(&cfg, &["digest", "--list"]);
    assert!(list.contains("kemensos@"), "{list}");
    assert!(list.contains("terkirim"), "{list}");
}
