use super::*;

const ENTITY: &str = r#"
name = "Kementerian Contoh"
time_zone = "Asia/Makassar"
[targets]
2025 = 15.0
[terms]
names = ["Kementerian Contoh"]
ambiguous = ["KC"]
context = ["bansos"]
"#;

fn write(dir: &Path, main: &str, entity: Option<&str>) -> PathBuf {
    std::fs::create_dir_all(dir.join("entities")).unwrap();
    if let Some(e) = entity {
        std::fs::write(dir.join("entities/contoh.toml"), e).unwrap();
    }
    let p = dir.join("pantau.toml");
    std::fs::write(&p, main).unwrap();
    p
}

fn no_env() -> BTreeMap<String, String> {
    BTreeMap::new()
}

#[test]
fn minimal_file_gets_defaults() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "", Some(ENTITY));
    let c = load_with_env(&p, &no_env()).unwrap();
    assert_eq!(c.http.listen, default_listen());
    assert_eq!(c.ingest.max_body_bytes, 15 * 1024 * 1024);
    assert_eq!(c.entities.len(), 1);
    let e = &c.entities[0];
    assert_eq!(e.id, "contoh");
    assert_eq!(e.time_zone, chrono_tz::Asia::Makassar);
    assert_eq!(e.target_pct(2025), Some(15.0));
    assert_eq!(e.target_pct(2026), None);
    assert!(c.store_url().starts_with("sqlite://"));
    assert!(c.store_url().ends_with("pantau.db"));
}

#[test]
fn every_error_is_reported_with_its_key_path() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"
[http]
listne = "x"
[ingest]
default_interval = "soon"
[[feeds]]
id = "ok"
url = "https://a.example/rss"
[[feeds]]
id = "Bad Id"
url = "ftp://a.example/rss"
interval = "5s"
[[feeds]]
id = "ok"
url = "https://b.example/rss"
media_type = "koran"
"#;
    let p = write(d.path(), main, Some("name = 1\n[terms]\n"));
    let errs = load_with_env(&p, &no_env()).unwrap_err().0;
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(has("http.listne"), "{text:#?}");
    assert!(has("unknown field `listne`"), "{text:#?}");
    assert!(has("ingest.default_interval"), "{text:#?}");
    assert!(has("feeds[1].id"), "{text:#?}");
    assert!(has("feeds[1].url") && has("\"ftp\""), "{text:#?}");
    assert!(has("feeds[1].interval"), "{text:#?}");
    assert!(has("feeds[2].media_type"), "{text:#?}");
    assert!(has("contoh.toml: name"), "{text:#?}");
    assert!(errs.len() >= 7, "{text:#?}");
}

#[test]
fn duplicate_feed_ids_and_bad_entities_are_errors() {
    let d = tempfile::tempdir().unwrap();
    let main = "[[feeds]]\nid = \"a\"\nurl = \"https://a.example/\"\n[[feeds]]\nid = \"a\"\nurl = \"https://b.example/\"\n";
    let entity = "name = \"X\"\n[targets]\nnext = 120.0\n[terms]\npeople = [\"Budi\"]\n";
    let p = write(d.path(), main, Some(entity));
    let text = load_with_env(&p, &no_env()).unwrap_err().to_string();
    assert!(
        text.contains("feeds[1].id: \"a\" is used by an earlier feed"),
        "{text}"
    );
    assert!(text.contains("targets.next: key must be a year"), "{text}");
    assert!(text.contains("120 is not a percentage"), "{text}");
    assert!(
        text.contains("terms: needs at least one of names"),
        "{text}"
    );
    assert!(text.contains("terms.context"), "{text}");
}

#[test]
fn environment_overrides_the_file() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "[http]\nlisten = \"127.0.0.1:1\"\n", Some(ENTITY));
    let env: BTreeMap<String, String> = [
        ("PANTAU__HTTP__LISTEN", "127.0.0.1:2"),
        ("PANTAU__INGEST__TIMEOUT", "5s"),
        ("PANTAU__HTTP__API_TOKEN", "0123456789abcdef0123"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let c = load_with_env(&p, &env).unwrap();
    assert_eq!(c.http.listen.port(), 2);
    assert_eq!(c.ingest.timeout, Duration::from_secs(5));
    assert_eq!(c.http.api_token.as_deref(), Some("0123456789abcdef0123"));

    let bad: BTreeMap<String, String> = [("PANTAU__HTTP__NOPE".to_owned(), "1".to_owned())].into();
    let text = load_with_env(&p, &bad).unwrap_err().to_string();
    assert!(text.contains("http.nope"), "{text}");
}

#[test]
fn unreadable_and_invalid_files_name_the_file() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("nope.toml");
    let text = load_with_env(&missing, &no_env()).unwrap_err().to_string();
    assert!(text.contains("nope.toml: cannot read"), "{text}");
    let p = write(d.path(), "[http\n", Some(ENTITY));
    let text = load_with_env(&p, &no_env()).unwrap_err().to_string();
    assert!(text.contains("pantau.toml: invalid TOML"), "{text}");
}

#[test]
fn shipped_configs_are_valid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config");
    for name in ["pantau.toml", "demo.toml"] {
        let c =
            load_with_env(&root.join(name), &no_env()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let k = c.entity("kemensos").expect("kemensos entity");
        assert!(!k.terms.exclusions.is_empty());
        assert!(!c.feeds.is_empty());
    }
}

#[test]
fn the_digest_section_is_checked_and_its_secrets_come_from_the_environment() {
    let d = tempfile::tempdir().unwrap();
    let main = r#"
[digest]
times = ["07:00", "7 pagi"]
[digest.smtp]
host = "smtp.example.go.id"
username = "pantau"
from = "Pantau <pantau@example.go.id>"
[[digest.recipients]]
entity = "contoh"
email = ["kabiro@example.go.id", "kabiro"]
telegram = ["-1001"]
webhook = ["ftp://gateway.example/wa"]
[[digest.recipients]]
entity = "lain"
"#;
    let p = write(d.path(), main, Some(ENTITY));
    let errors = load_with_env(&p, &no_env()).unwrap_err().to_string();
    for expected in [
        "digest.times[1]: \"7 pagi\" is not a time of day",
        "digest.smtp.password: username and password go together",
        "digest.recipients[0].email[1]: \"kabiro\" is not an e-mail address",
        "digest.recipients[0].telegram: Telegram chats need a [digest.telegram] bot",
        "digest.recipients[0].webhook[0]: \"ftp://gateway.example/wa\" is not an http(s) URL",
        "digest.recipients[1].entity: unknown entity \"lain\"",
    ] {
        assert!(
            errors.contains(expected),
            "missing {expected:?} in\n{errors}"
        );
    }
    let fixed = main
        .replace(", \"7 pagi\"", "")
        .replace(", \"kabiro\"", "")
        .replace("telegram = [\"-1001\"]\n", "")
        .replace("ftp://", "https://")
        .replace("entity = \"lain\"", "entity = \"contoh\"");
    let p = write(d.path(), &fixed, Some(ENTITY));
    let env: BTreeMap<_, _> = [("PANTAU__DIGEST__SMTP__PASSWORD".into(), "rahasia".into())].into();
    let c = load_with_env(&p, &env).unwrap();
    let smtp = c.digest.smtp.as_ref().unwrap();
    assert_eq!(smtp.password.as_deref(), Some("rahasia"));
    assert_eq!((smtp.security, smtp.port()), (SmtpSecurity::Starttls, 587));
    assert_eq!(c.digest.recipients_of("contoh").count(), 2);
}

#[test]
fn sign_in_is_required_beyond_loopback_unless_said_otherwise() {
    let d = tempfile::tempdir().unwrap();
    let load = |http: &str| {
        let p = write(d.path(), &format!("[http]\n{http}\n"), Some(ENTITY));
        load_with_env(&p, &BTreeMap::new())
    };
    assert!(!load("listen = \"127.0.0.1:1\"")
        .unwrap()
        .http
        .login_required());
    assert!(load("listen = \"0.0.0.0:1\"")
        .unwrap()
        .http
        .login_required());
    assert!(load("listen = \"[::]:1\"").unwrap().http.login_required());
    assert!(!load("listen = \"0.0.0.0:1\"\nrequire_login = false")
        .unwrap()
        .http
        .login_required());
    assert!(load("listen = \"127.0.0.1:1\"\nrequire_login = true")
        .unwrap()
        .http
        .login_required());
    let c = load("public_listen = \"0.0.0.0:8080\"\ntrusted_proxies = [\"10.0.0.0/8\", \"192.0.2.1/32\"]\nsession_ttl = \"8h\"")
        .unwrap();
    assert_eq!(c.http.trusted_proxies.len(), 2);
    assert_eq!(c.http.session_ttl, Duration::from_secs(8 * 3600));
    let same = load("listen = \"127.0.0.1:9\"\npublic_listen = \"127.0.0.1:9\"")
        .unwrap_err()
        .to_string();
    assert!(same.contains("http.public_listen"), "{same}");
    let bad = load("trusted_proxies = [\"not-an-address\"]")
        .unwrap_err()
        .to_string();
    assert!(bad.contains("trusted_proxies"), "{bad}");
}
