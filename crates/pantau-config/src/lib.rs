//! pantau configuration: typed, layered, validated at start-up.
//!
//! # Layout
//!
//! - [`Config`]: the main file (`config/pantau.toml`) — HTTP, store, bus,
//!   ingest defaults, feeds, logging.
//! - [`entity::EntityConfig`]: one file per monitored entity in
//!   `config/entities/*.toml` — names, officials, programmes, exclusions,
//!   targets per year, time zone.
//! - `digest`: [`DigestConfig`] — the clipping's sending times, SMTP
//!   server, Telegram bot and recipients per entity.
//! - `report`: [`ReportConfig`] — the leadership report's letterhead (kop
//!   surat) and signature block.
//! - [`load`]: reads the file, lays `PANTAU__SECTION__KEY` environment
//!   variables over it, deserialises each section on its own and validates
//!   everything, returning *all* errors with their key paths at once.
//!
//! Layers, lowest first: built-in defaults (serde `default`s), the file, the
//! environment.

mod digest;
pub mod entity;
mod env;
mod report;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pantau_model::MediaType;
use serde::de::DeserializeOwned;
use serde::Deserialize;

pub use digest::{DigestConfig, DigestRecipients, SmtpConfig, SmtpSecurity, TelegramConfig};
pub use entity::{Denominator, EntityConfig, EntityTerms};
pub use report::{Letterhead, ReportConfig};

/// One problem in the configuration, with the key path it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where: `file: key.path` (or just the file).
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} configuration error(s):", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

/// The whole configuration, loaded and validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// Directory for the SQLite store and other state.
    pub data_dir: PathBuf,
    /// HTTP server.
    pub http: HttpConfig,
    /// Durable store.
    pub store: StoreConfig,
    /// The bus between stages.
    pub bus: BusConfig,
    /// Feed polling defaults.
    pub ingest: IngestConfig,
    /// Feeds to poll.
    pub feeds: Vec<FeedConfig>,
    /// Logging.
    pub log: LogConfig,
    /// The satisfaction survey (IKM).
    pub survey: SurveyConfig,
    /// Apache Kafka, for `pantau ingest`, `classify` and `aggregate`.
    pub kafka: KafkaConfig,
    /// The clipping: sending times, SMTP, Telegram, recipients.
    pub digest: DigestConfig,
    /// The leadership report's letterhead.
    pub report: ReportConfig,
    /// Monitored entities, from `entities_dir`.
    pub entities: Vec<EntityConfig>,
    /// Lexicon directory.
    pub lexicon_dir: PathBuf,
}

/// The top level of the main file; each section is deserialised on its own so
/// an error in one does not hide errors in the others.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopLevel {
    /// Directory for state (relative to the config file's directory).
    #[serde(default = "default_data_dir")]
    data_dir: PathBuf,
    /// Directory of entity files (relative to the config file's directory).
    #[serde(default = "default_entities_dir")]
    entities_dir: PathBuf,
    /// Directory of lexicon files (relative to the config file's directory).
    #[serde(default = "default_lexicon_dir")]
    lexicon_dir: PathBuf,
    #[serde(default)]
    http: Option<toml::Value>,
    #[serde(default)]
    store: Option<toml::Value>,
    #[serde(default)]
    bus: Option<toml::Value>,
    #[serde(default)]
    ingest: Option<toml::Value>,
    #[serde(default)]
    log: Option<toml::Value>,
    #[serde(default)]
    survey: Option<toml::Value>,
    #[serde(default)]
    kafka: Option<toml::Value>,
    #[serde(default)]
    digest: Option<toml::Value>,
    #[serde(default)]
    report: Option<toml::Value>,
    #[serde(default)]
    feeds: Vec<toml::Value>,
}

impl Default for TopLevel {
    fn default() -> Self {
        TopLevel {
            data_dir: default_data_dir(),
            entities_dir: default_entities_dir(),
            lexicon_dir: default_lexicon_dir(),
            http: None,
            store: None,
            bus: None,
            ingest: None,
            log: None,
            survey: None,
            kafka: None,
            digest: None,
            report: None,
            feeds: Vec::new(),
        }
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("../data")
}
fn default_entities_dir() -> PathBuf {
    PathBuf::from("entities")
}
fn default_lexicon_dir() -> PathBuf {
    PathBuf::from("lexicon")
}

/// The HTTP server: metrics, health and the API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// A shared bearer token for the write API, from before accounts
    /// (`pantau user add`); its writes name their reviewer in `by`.
    #[serde(default)]
    pub api_token: Option<String>,
    /// Whether the dashboard and the read API need a signed-in account
    /// (the public survey never does). Unset: required when `listen` is
    /// beyond loopback.
    #[serde(default)]
    pub require_login: Option<bool>,
    /// How long a sign-in lasts.
    #[serde(default = "default_session_ttl", with = "humantime_serde")]
    pub session_ttl: std::time::Duration,
    /// Mark the session cookie `Secure` (set it when the dashboard is
    /// served over HTTPS, e.g. behind the nginx of `deploy/nginx/`).
    #[serde(default)]
    pub cookie_secure: bool,
    /// A second address serving only the public survey (its page, its
    /// form and its submissions), for the bureau to expose alone.
    #[serde(default)]
    pub public_listen: Option<SocketAddr>,
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For`
    /// names the client: the survey's and sign-in's rate limits key on it
    /// only for requests that come from one of these.
    #[serde(default)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Largest `POST /api/v1/articles` body, in bytes.
    #[serde(default = "default_push_bytes")]
    pub max_push_bytes: usize,
    /// Heavy reads (reports, the overview, article lists) served at once;
    /// one more is answered 503 with `Retry-After` at once, not queued.
    #[serde(default = "default_read_concurrency")]
    pub read_concurrency: usize,
    /// How long a read may take before it is cancelled (503).
    #[serde(default = "default_read_timeout", with = "humantime_serde")]
    pub read_timeout: std::time::Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            listen: default_listen(),
            api_token: None,
            require_login: None,
            session_ttl: default_session_ttl(),
            cookie_secure: false,
            public_listen: None,
            trusted_proxies: Vec::new(),
            max_push_bytes: default_push_bytes(),
            read_concurrency: default_read_concurrency(),
            read_timeout: default_read_timeout(),
        }
    }
}

fn default_session_ttl() -> std::time::Duration {
    std::time::Duration::from_secs(12 * 3600)
}

impl HttpConfig {
    /// Whether pages and reads need a signed-in account: as configured, or,
    /// unset, whenever the service listens beyond loopback.
    pub fn login_required(&self) -> bool {
        self.require_login
            .unwrap_or_else(|| !self.listen.ip().is_loopback())
    }
}

fn default_read_concurrency() -> usize {
    4
}

fn default_read_timeout() -> std::time::Duration {
    std::time::Duration::from_secs(20)
}

fn default_push_bytes() -> usize {
    4 * 1024 * 1024
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 9464))
}

/// The durable store.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// `sqlite://path/to/file.db` (default: `pantau.db` in the data directory)
    /// or `postgres://user:password@host:port/db`; prefer setting it with
    /// `PANTAU__STORE__URL` so the password stays out of the file.
    #[serde(default)]
    pub url: Option<String>,
}

/// Which bus carries articles between the stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BusKind {
    /// Bounded in-process channels; every stage in one process.
    #[default]
    Embedded,
    /// Apache Kafka; one stage per process.
    Kafka,
}

/// The bus between stages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusConfig {
    /// `embedded` (default) or `kafka`.
    #[serde(default)]
    pub kind: BusKind,
    /// Capacity of each embedded channel, in messages.
    #[serde(default = "default_capacity")]
    pub capacity: usize,
    /// Articles written to the store per transaction, at most.
    #[serde(default = "default_batch")]
    pub store_batch: usize,
}

impl Default for BusConfig {
    fn default() -> Self {
        BusConfig {
            kind: BusKind::Embedded,
            capacity: default_capacity(),
            store_batch: default_batch(),
        }
    }
}

fn default_capacity() -> usize {
    4096
}
/// Large enough that a backlog commits in few transactions: the store's
/// keys are content hashes, so every batch writes into random leaves of
/// each index, and a commit's cost grows with the leaves it touches, not
/// with its rows (the store bench: 512 per transaction 15,069 articles/s,
/// 4,096 per transaction 31,442/s). A batch is what is waiting, at most
/// this: at a steady trickle it is one or a few articles, with no wait.
fn default_batch() -> usize {
    4096
}

/// Feed polling defaults and limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    /// Poll interval for feeds that do not set their own.
    #[serde(default = "default_interval", with = "humantime_serde")]
    pub default_interval: Duration,
    /// Shortest allowed feed interval.
    #[serde(default = "default_min_interval", with = "humantime_serde")]
    pub min_interval: Duration,
    /// Longest allowed feed interval.
    #[serde(default = "default_max_interval", with = "humantime_serde")]
    pub max_interval: Duration,
    /// Time allowed to connect.
    #[serde(default = "default_connect_timeout", with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// Time allowed for a whole fetch.
    #[serde(default = "default_timeout", with = "humantime_serde")]
    pub timeout: Duration,
    /// Largest response body accepted, in bytes.
    #[serde(default = "default_max_body")]
    pub max_body_bytes: u64,
    /// Feeds fetched at once, at most.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// Fetches to any one host at once, at most (politeness to outlets that
    /// publish several feeds).
    #[serde(default = "default_per_host_concurrency")]
    pub per_host_concurrency: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            default_interval: default_interval(),
            min_interval: default_min_interval(),
            max_interval: default_max_interval(),
            connect_timeout: default_connect_timeout(),
            timeout: default_timeout(),
            max_body_bytes: default_max_body(),
            concurrency: default_concurrency(),
            per_host_concurrency: default_per_host_concurrency(),
        }
    }
}

fn default_interval() -> Duration {
    Duration::from_secs(15 * 60)
}
fn default_min_interval() -> Duration {
    Duration::from_secs(60)
}
fn default_max_interval() -> Duration {
    Duration::from_secs(24 * 3600)
}
fn default_connect_timeout() -> Duration {
    Duration::from_secs(10)
}
fn default_timeout() -> Duration {
    Duration::from_secs(30)
}
fn default_max_body() -> u64 {
    15 * 1024 * 1024
}
fn default_concurrency() -> usize {
    8
}
fn default_per_host_concurrency() -> usize {
    2
}

/// One feed to poll.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// Short stable id, used in metrics and the store (`[a-z0-9_.-]`).
    pub id: String,
    /// `http(s)://` URL of an RSS, Atom or JSON feed, or `file://` path.
    pub url: String,
    /// Publication name; defaults to the feed's own title.
    #[serde(default)]
    pub outlet: Option<String>,
    /// Media type of its items.
    #[serde(default = "default_media_type")]
    pub media_type: MediaType,
    /// Poll interval; defaults to `ingest.default_interval`.
    #[serde(default, with = "humantime_serde")]
    pub interval: Option<Duration>,
    /// Fetch each new item's page and use its main text as the body (for
    /// feeds that carry only a teaser). Same politeness as the feed.
    #[serde(default)]
    pub full_text: bool,
    /// The entity's own channel (its website, its accounts): items are
    /// stored and shown but not counted in the KPI, which is about coverage
    /// by the media.
    #[serde(default)]
    pub own_channel: bool,
}

fn default_media_type() -> MediaType {
    MediaType::Online
}

impl FeedConfig {
    /// The effective poll interval.
    pub fn interval_or(&self, ingest: &IngestConfig) -> Duration {
        self.interval.unwrap_or(ingest.default_interval)
    }
}

/// Log output.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// `text` (default) or `json`.
    #[serde(default = "default_log_format")]
    pub format: String,
    /// A tracing filter, e.g. `info` or `pantau=debug,info`; `RUST_LOG` wins.
    #[serde(default = "default_log_level")]
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: default_log_format(),
            level: default_log_level(),
        }
    }
}

fn default_log_format() -> String {
    "text".into()
}
fn default_log_level() -> String {
    "info".into()
}

/// Apache Kafka: the bus when the stages run as separate services.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaConfig {
    /// Bootstrap brokers, `host:port,host:port`.
    #[serde(default = "default_brokers")]
    pub brokers: String,
    /// Client id prefix (the service name is appended).
    #[serde(default = "default_client_id")]
    pub client_id: String,
    /// Topic of raw articles (key: article id).
    #[serde(default = "default_raw_topic")]
    pub raw_topic: String,
    /// Topic of scored articles (key: article id).
    #[serde(default = "default_scored_topic")]
    pub scored_topic: String,
    /// Partitions of topics pantau creates.
    #[serde(default = "default_partitions")]
    pub partitions: i32,
    /// Replication factor of topics pantau creates.
    #[serde(default = "default_replication")]
    pub replication: i32,
    /// Consumer group of `pantau classify`.
    #[serde(default = "default_classify_group")]
    pub classify_group: String,
    /// Consumer group of `pantau aggregate`.
    #[serde(default = "default_aggregate_group")]
    pub aggregate_group: String,
    /// Passed to librdkafka as they are (security.protocol, sasl.*, ssl.*, tuning).
    #[serde(default)]
    pub librdkafka_options: BTreeMap<String, String>,
}

impl Default for KafkaConfig {
    fn default() -> Self {
        KafkaConfig {
            brokers: default_brokers(),
            client_id: default_client_id(),
            raw_topic: default_raw_topic(),
            scored_topic: default_scored_topic(),
            partitions: default_partitions(),
            replication: default_replication(),
            classify_group: default_classify_group(),
            aggregate_group: default_aggregate_group(),
            librdkafka_options: BTreeMap::new(),
        }
    }
}

fn default_brokers() -> String {
    "127.0.0.1:9092".into()
}
fn default_client_id() -> String {
    "pantau".into()
}
fn default_raw_topic() -> String {
    "pantau.articles.raw".into()
}
fn default_scored_topic() -> String {
    "pantau.articles.scored".into()
}
fn default_partitions() -> i32 {
    4
}
fn default_replication() -> i32 {
    1
}
fn default_classify_group() -> String {
    "pantau-classify".into()
}
fn default_aggregate_group() -> String {
    "pantau-aggregate".into()
}

/// The public satisfaction survey (SKM) and its index (IKM).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyConfig {
    /// Service units surveyed.
    #[serde(default)]
    pub units: Vec<SurveyUnit>,
    /// Public submissions accepted per client address per minute.
    #[serde(default = "default_survey_rate")]
    pub rate_limit_per_minute: u32,
    /// Largest accepted submission body, in bytes.
    #[serde(default = "default_survey_body")]
    pub max_body_bytes: usize,
    /// How many days back a public submission may date itself (the form
    /// sends today): a closed period's index cannot be changed from outside.
    #[serde(default = "default_survey_grace")]
    pub grace_days: u32,
}

impl Default for SurveyConfig {
    fn default() -> Self {
        SurveyConfig {
            units: Vec::new(),
            rate_limit_per_minute: default_survey_rate(),
            max_body_bytes: default_survey_body(),
            grace_days: default_survey_grace(),
        }
    }
}

fn default_survey_grace() -> u32 {
    2
}

fn default_survey_rate() -> u32 {
    10
}
fn default_survey_body() -> usize {
    16 * 1024
}

/// One surveyed service unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyUnit {
    /// Short id (`ppid`), a metric label.
    pub id: String,
    /// Full name, for reports.
    pub name: String,
    /// Target score (25–100): the IKM must stay *above* it.
    #[serde(default)]
    pub target: Option<f64>,
    /// People served per year, for the minimum sample size.
    #[serde(default)]
    pub population: Option<u64>,
}

impl Config {
    /// The store URL, defaulting to SQLite in the data directory.
    pub fn store_url(&self) -> String {
        match &self.store.url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}", self.data_dir.join("pantau.db").display()),
        }
    }

    /// The entity with this id.
    pub fn entity(&self, id: &str) -> Option<&EntityConfig> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// The entity named `id`, or the only configured one; the message says
    /// which exist.
    pub fn entity_or_only(&self, id: Option<&str>) -> Result<&EntityConfig, String> {
        match id {
            Some(id) => self
                .entity(id)
                .ok_or_else(|| format!("unknown entity {id:?}; configured: {}", self.entity_ids())),
            None if self.entities.len() == 1 => Ok(&self.entities[0]),
            None if self.entities.is_empty() => Err("no entities are configured".into()),
            None => Err("several entities are configured: choose one with --entity".into()),
        }
    }

    /// The configured entities' ids, for messages.
    pub fn entity_ids(&self) -> String {
        self.entities
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The time zone of dates given without one (a pushed item's date, a
    /// survey response's day, the year of the IKM metrics): the bureau's,
    /// which is its first entity's.
    pub fn local_tz(&self) -> chrono_tz::Tz {
        self.entities
            .first()
            .map_or(chrono_tz::Asia::Jakarta, |e| e.time_zone)
    }
}

/// Where the lexicons of the configuration at `path` are, read leniently
/// (the file may have errors elsewhere): what `check-config` checks even
/// when the configuration does not load.
pub fn lexicon_dir_of(path: &Path) -> PathBuf {
    let base = path.parent().unwrap_or(Path::new("."));
    let dir = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|t| t.get("lexicon_dir")?.as_str().map(PathBuf::from))
        .unwrap_or_else(default_lexicon_dir);
    base.join(dir)
}

/// Reads and validates the configuration at `path`, with the process
/// environment as the top layer.
pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
    let vars: BTreeMap<String, String> = std::env::vars().collect();
    load_with_env(path, &vars)
}

/// As [`load`], with the environment given explicitly (for tests).
pub fn load_with_env(path: &Path, vars: &BTreeMap<String, String>) -> Result<Config, ConfigErrors> {
    let file = path.display().to_string();
    let mut errors = Vec::new();
    let err = |key: &str, message: String| ConfigError {
        location: if key.is_empty() {
            file.clone()
        } else {
            format!("{file}: {key}")
        },
        message,
    };

    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigErrors(vec![err("", format!("cannot read: {e}"))]))?;
    let mut value: toml::Value = toml::from_str(&text)
        .map_err(|e| ConfigErrors(vec![err("", format!("invalid TOML: {}", e.message()))]))?;
    let from_env = env::overlay(&mut value, vars, &mut |var, message| {
        errors.push(ConfigError {
            location: format!("environment {var}"),
            message,
        })
    });
    // Where a key's value came from: the variable that set it, else the file.
    let locate = |key: &str| match from_env
        .iter()
        .find(|(k, _)| key == k || key.starts_with(&format!("{k}.")))
    {
        Some((_, var)) => format!("environment {var} ({key})"),
        None if key.is_empty() => file.clone(),
        None => format!("{file}: {key}"),
    };
    let mut report = |key: String, message: String| {
        errors.push(ConfigError {
            location: locate(&key),
            message,
        })
    };

    let top: TopLevel = deserialize_all("", value, &mut report).unwrap_or_default();
    let base = path.parent().unwrap_or(Path::new("."));
    let section = |name: &str, v: Option<toml::Value>| v.map(|v| (name.to_owned(), v));
    let http: HttpConfig = parse_section(section("http", top.http), &mut report);
    let store: StoreConfig = parse_section(section("store", top.store), &mut report);
    let bus: BusConfig = parse_section(section("bus", top.bus), &mut report);
    let ingest: IngestConfig = parse_section(section("ingest", top.ingest), &mut report);
    let log: LogConfig = parse_section(section("log", top.log), &mut report);
    let survey: SurveyConfig = parse_section(section("survey", top.survey), &mut report);
    let kafka: KafkaConfig = parse_section(section("kafka", top.kafka), &mut report);
    let digest: DigestConfig = parse_section(section("digest", top.digest), &mut report);
    let report_config: ReportConfig = parse_section(section("report", top.report), &mut report);
    // Each feed keeps its index, so its errors name the right one.
    let mut feeds = Vec::new();
    let mut feed_index = Vec::new();
    for (i, v) in top.feeds.into_iter().enumerate() {
        if let Some(f) = deserialize_all::<FeedConfig>(&format!("feeds[{i}]"), v, &mut report) {
            feeds.push(f);
            feed_index.push(i);
        }
    }

    let entities_dir = base.join(&top.entities_dir);
    let entities = entity::load_dir(&entities_dir, &mut errors);

    let config = Config {
        path: path.to_owned(),
        data_dir: base.join(&top.data_dir),
        http,
        store,
        bus,
        ingest,
        feeds,
        log,
        survey,
        kafka,
        digest,
        report: report_config,
        entities,
        lexicon_dir: base.join(&top.lexicon_dir),
    };
    config.validate(&file, &feed_index, &mut errors);
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(ConfigErrors(errors))
    }
}

fn join_key(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else if key.is_empty() || key == "." {
        prefix.to_owned()
    } else if key.starts_with('[') {
        format!("{prefix}{key}")
    } else {
        format!("{prefix}.{key}")
    }
}

fn parse_section<T: DeserializeOwned + Default>(
    v: Option<(String, toml::Value)>,
    report: &mut impl FnMut(String, String),
) -> T {
    let Some((name, v)) = v else {
        return T::default();
    };
    deserialize_all(&name, v, report).unwrap_or_default()
}

/// Deserialises `v` (at key path `prefix`), reporting *every* problem: a
/// key serde refuses (unknown, or a bad value) is reported and removed, and
/// the rest is tried again, so one typo never hides the next. `None` when
/// what is left still does not make a `T` (a required key is missing).
pub(crate) fn deserialize_all<T: DeserializeOwned>(
    prefix: &str,
    mut v: toml::Value,
    report: &mut impl FnMut(String, String),
) -> Option<T> {
    // Each round removes one key; a table has far fewer.
    for _ in 0..256 {
        match deserialize::<T>(v.clone()) {
            Ok(t) => return Some(t),
            Err((key, message)) => {
                let full = join_key(prefix, &key);
                report(full, message);
                if key.is_empty() || !remove_key(&mut v, &key) {
                    return None;
                }
            }
        }
    }
    None
}

/// Removes the value at a key path (`a.b[2].c`); whether it was there.
fn remove_key(v: &mut toml::Value, path: &str) -> bool {
    let mut segs: Vec<(String, Option<usize>)> = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').unwrap_or((part, ""));
        let index = rest.trim_end_matches(']').parse().ok();
        segs.push((name.to_owned(), index));
    }
    let Some((last, segs)) = segs.split_last() else {
        return false;
    };
    let mut node = v;
    for (name, index) in segs {
        let Some(next) = node.as_table_mut().and_then(|t| t.get_mut(name)) else {
            return false;
        };
        node = match index {
            Some(i) => match next.as_array_mut().and_then(|a| a.get_mut(*i)) {
                Some(n) => n,
                None => return false,
            },
            None => next,
        };
    }
    let Some(table) = node.as_table_mut() else {
        return false;
    };
    match last.1 {
        Some(i) => match table.get_mut(&last.0).and_then(|a| a.as_array_mut()) {
            Some(a) if i < a.len() => {
                a.remove(i);
                true
            }
            _ => false,
        },
        None => table.remove(&last.0).is_some(),
    }
}

/// Deserialises with the path of the failing key.
pub(crate) fn deserialize<T: DeserializeOwned>(v: toml::Value) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let mut path = e.path().to_string();
        if path == "." {
            path.clear();
        }
        let message = e.into_inner().to_string();
        // serde may report an unknown key at its parent: name the key
        // itself (once: it may be in the path already).
        if let Some(field) = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
        {
            if path.rsplit('.').next() != Some(field) {
                path = join_key(&path, field);
            }
        }
        (path, message)
    })
}

impl Config {
    /// Checks what each section cannot check alone; `feed_index` is the
    /// position in the file of each feed that parsed.
    fn validate(&self, file: &str, feed_index: &[usize], errors: &mut Vec<ConfigError>) {
        let clean_so_far = errors.is_empty();
        let mut push = |key: String, message: String| {
            errors.push(ConfigError {
                location: format!("{file}: {key}"),
                message,
            })
        };
        let ing = &self.ingest;
        if ing.min_interval > ing.max_interval {
            push(
                "ingest.min_interval".into(),
                format!(
                    "{} is longer than ingest.max_interval {}",
                    humantime::format_duration(ing.min_interval),
                    humantime::format_duration(ing.max_interval)
                ),
            );
        }
        if ing.default_interval < ing.min_interval || ing.default_interval > ing.max_interval {
            push(
                "ingest.default_interval".into(),
                "must lie between ingest.min_interval and ingest.max_interval".into(),
            );
        }
        if ing.concurrency == 0 {
            push("ingest.concurrency".into(), "must be at least 1".into());
        }
        if ing.per_host_concurrency == 0 {
            push(
                "ingest.per_host_concurrency".into(),
                "must be at least 1".into(),
            );
        }
        if ing.max_body_bytes < 1024 {
            push(
                "ingest.max_body_bytes".into(),
                "must be at least 1024".into(),
            );
        }
        if ing.timeout.is_zero() || ing.connect_timeout.is_zero() {
            push("ingest.timeout".into(), "timeouts must be positive".into());
        }
        if self.http.read_concurrency == 0 {
            push("http.read_concurrency".into(), "must be at least 1".into());
        }
        if self.http.read_timeout.is_zero() {
            push("http.read_timeout".into(), "must be positive".into());
        }
        if self.bus.capacity == 0 {
            push("bus.capacity".into(), "must be at least 1".into());
        }
        if self.bus.store_batch == 0 {
            push("bus.store_batch".into(), "must be at least 1".into());
        }
        if self.kafka.brokers.trim().is_empty() {
            push(
                "kafka.brokers".into(),
                "must name at least one broker".into(),
            );
        }
        if self.kafka.partitions < 1 || self.kafka.replication < 1 {
            push(
                "kafka.partitions".into(),
                "partitions and replication must be at least 1".into(),
            );
        }
        let ids: Vec<&str> = self.entities.iter().map(|e| e.id.as_str()).collect();
        for (key, message) in self.digest.problems(&ids) {
            push(key, message);
        }
        for (key, message) in self.report.problems() {
            push(key, message);
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            push(
                "log.format".into(),
                format!("{:?}: expected \"text\" or \"json\"", self.log.format),
            );
        }
        if let Some(url) = &self.store.url {
            let ok = url.starts_with("sqlite://")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://");
            if !ok {
                push(
                    "store.url".into(),
                    "expected sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DB".into(),
                );
            }
        }
        if let Some(t) = &self.http.api_token {
            if t.len() < 16 {
                push(
                    "http.api_token".into(),
                    "must be at least 16 characters".into(),
                );
            }
        }
        if self
            .http
            .public_listen
            .is_some_and(|p| p == self.http.listen)
        {
            push(
                "http.public_listen".into(),
                "must differ from http.listen: the public survey gets an address of its own".into(),
            );
        }
        if self.http.session_ttl < std::time::Duration::from_secs(60) {
            push("http.session_ttl".into(), "at least one minute".into());
        }
        let mut ids = HashSet::new();
        for (n, f) in self.feeds.iter().enumerate() {
            let i = feed_index.get(n).copied().unwrap_or(n);
            let key = |k: &str| format!("feeds[{i}].{k}");
            if f.id.is_empty()
                || !f
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
            {
                push(
                    key("id"),
                    format!(
                        "{:?}: use lower-case letters, digits, '-', '_' or '.'",
                        f.id
                    ),
                );
            }
            if !ids.insert(f.id.as_str()) {
                push(key("id"), format!("{:?} is used by an earlier feed", f.id));
            }
            match url::Url::parse(&f.url) {
                Ok(u) if matches!(u.scheme(), "http" | "https" | "file") => {}
                Ok(u) => push(
                    key("url"),
                    format!("scheme {:?} is not http, https or file", u.scheme()),
                ),
                Err(e) => push(key("url"), format!("{:?} is not a URL: {e}", f.url)),
            }
            if let Some(iv) = f.interval {
                if iv < ing.min_interval || iv > ing.max_interval {
                    push(
                        key("interval"),
                        format!(
                            "{} is outside [{}, {}] (ingest.min_interval, ingest.max_interval)",
                            humantime::format_duration(iv),
                            humantime::format_duration(ing.min_interval),
                            humantime::format_duration(ing.max_interval)
                        ),
                    );
                }
            }
        }
        let mut unit_ids = HashSet::new();
        for (i, u) in self.survey.units.iter().enumerate() {
            let key = |k: &str| format!("survey.units[{i}].{k}");
            if u.id.is_empty()
                || !u
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b))
            {
                push(
                    key("id"),
                    format!("{:?}: use lower-case letters, digits, '-' or '_'", u.id),
                );
            }
            if !unit_ids.insert(u.id.as_str()) {
                push(key("id"), format!("{:?} is used by an earlier unit", u.id));
            }
            if let Some(t) = u.target {
                if !(25.0..=100.0).contains(&t) {
                    push(key("target"), format!("{t} is not a score in 25..100"));
                }
            }
        }
        if self.survey.rate_limit_per_minute == 0 {
            push(
                "survey.rate_limit_per_minute".into(),
                "must be at least 1".into(),
            );
        }
        if self.entities.is_empty() && clean_so_far {
            push(
                "entities_dir".into(),
                "no entity files (*.toml) found".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests;
