//! `pantau digest`: the clipping on demand — shown, or sent to the
//! configured recipients and stored; the stored ones listed and re-sent.

use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use pantau_config::Config;
use pantau_digest::Backoff;
use pantau_store::{DeliveryOutcome, Store};

use crate::digest::deliver::{attempt, Deliverer};
use crate::topology::open_existing_store;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text, as the e-mail's text part.
    Text,
    /// The e-mail's HTML part.
    Html,
    /// The Telegram messages (HTML), one after another.
    Telegram,
    /// The JSON webhook's body.
    Json,
}

/// The arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Entity (default: the only configured one).
    #[arg(long)]
    entity: Option<String>,
    /// New articles since: a duration back (`12h`, `2d`) or a moment (RFC
    /// 3339, or YYYY-MM-DD[THH:MM] local); default the end of the last
    /// digest, else a day back.
    #[arg(long)]
    since: Option<String>,
    /// The digest's moment (as `--since`'s moment); default now.
    #[arg(long)]
    at: Option<String>,
    /// Store it and send it to the entity's recipients now.
    #[arg(long, conflicts_with_all = ["list", "resend"])]
    send: bool,
    /// What to print.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// List the stored digests with their deliveries instead.
    #[arg(long, conflicts_with_all = ["resend", "since", "at"])]
    list: bool,
    /// Send a stored digest again: what was not delivered, or everything
    /// with `--all`.
    #[arg(long, value_name = "ID", conflicts_with_all = ["since", "at"])]
    resend: Option<String>,
    /// With `--resend`: every recipient, also those that received it.
    #[arg(long, requires = "resend")]
    all: bool,
}

/// Tries in this command before leaving a delivery to the service.
const TRIES_HERE: u32 = 3;

/// Runs `pantau digest`.
pub fn run(a: Args, config: &Config) -> anyhow::Result<ExitCode> {
    super::init_logging(Some(config));
    super::runtime()?.block_on(async {
        let store = open_existing_store(config).await?;
        if a.list {
            return list(&store, config, a.entity.as_deref()).await;
        }
        if let Some(id) = &a.resend {
            return resend(&store, config, id, a.all).await;
        }
        let e = config
            .entity_or_only(a.entity.as_deref())
            .map_err(anyhow::Error::msg)?;
        let until = match &a.at {
            Some(s) => super::outlook::parse_at(s, e.time_zone)?,
            None => Utc::now(),
        };
        let since = match &a.since {
            Some(s) => parse_since(s, until, e.time_zone)?,
            None => crate::digest::default_since(&store, &e.id, until).await?,
        };
        anyhow::ensure!(
            since < until,
            "--since {} is not before the digest's moment {}",
            since.to_rfc3339(),
            until.to_rfc3339()
        );
        let input = crate::digest::gather(&store, config, e, since, until).await?;
        if !a.send {
            let r = pantau_digest::render(&input);
            print!("{}", show(&input, &r, a.format));
            return Ok(ExitCode::SUCCESS);
        }
        let recipients = crate::digest::recipients(config, &e.id);
        anyhow::ensure!(
            !recipients.is_empty(),
            "no recipients for {}: add a [[digest.recipients]] with entity = {:?} to {}",
            e.id,
            e.id,
            config.path.display()
        );
        let id = crate::digest::digest_id(e, until, false);
        let r = crate::digest::make_and_store(&store, config, &id, &input)
            .await?
            .context("a digest with this id already exists")?;
        print!("{}", show(&input, &r, a.format));
        send_now(&store, config, &id).await
    })
}

/// `12h`, `2d` back from `until`, or a moment.
fn parse_since(s: &str, until: DateTime<Utc>, tz: chrono_tz::Tz) -> anyhow::Result<DateTime<Utc>> {
    match humantime::parse_duration(s) {
        Ok(d) => Ok(until - chrono::Duration::from_std(d).context("--since is too long")?),
        Err(_) => super::outlook::parse_at(s, tz).map_err(|_| {
            anyhow::anyhow!(
                "--since {s:?}: expected a duration (12h, 2d) or a moment (RFC 3339, YYYY-MM-DD[THH:MM])"
            )
        }),
    }
}

fn show(input: &pantau_digest::DigestInput, r: &pantau_digest::Rendered, f: Format) -> String {
    match f {
        Format::Text => r.text.clone(),
        Format::Html => r.html.clone(),
        Format::Telegram => r.telegram.join("\n\n———\n\n") + "\n",
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&crate::digest::payload(input, r))
                .expect("a digest serialises");
            s.push('\n');
            s
        }
    }
}

/// Sends the digest's pending deliveries now, a few tries each; what
/// still fails is left pending for the running service (and
/// `--resend`). Exit 1 when anything was not delivered.
async fn send_now(store: &Store, config: &Config, id: &str) -> anyhow::Result<ExitCode> {
    let deliverer = Deliverer::new(&config.digest)?;
    let metrics = pantau_metrics::Metrics::new();
    let digest = store
        .digest(id)
        .await?
        .with_context(|| format!("no digest {id:?}"))?;
    let backoff = Backoff::default();
    let mut undelivered = 0;
    for mut d in digest.deliveries.clone() {
        if d.status != "pending" {
            continue;
        }
        let mut outcome;
        let mut tries = 0;
        loop {
            tries += 1;
            outcome = attempt(store, &deliverer, &metrics, &d, &digest, &backoff).await?;
            d.attempts += 1;
            match &outcome {
                DeliveryOutcome::Retry { .. } if tries < TRIES_HERE => {
                    tokio::time::sleep(std::time::Duration::from_secs(2 * tries as u64)).await;
                }
                _ => break,
            }
        }
        let line = match &outcome {
            DeliveryOutcome::Sent(_) => "terkirim".to_owned(),
            DeliveryOutcome::Retry { next_ms, error } => {
                undelivered += 1;
                format!(
                    "BELUM TERKIRIM ({error}); layanan yang berjalan mencoba lagi mulai {}",
                    super::local_time(*next_ms, config.local_tz())
                )
            }
            DeliveryOutcome::Failed(error) => {
                undelivered += 1;
                format!("GAGAL ({error})")
            }
        };
        eprintln!("{} {}: {line}", d.channel, d.target);
    }
    if undelivered > 0 {
        eprintln!(
            "{undelivered} pengiriman belum berhasil; kirim ulang: pantau digest --resend {id}"
        );
        return Ok(ExitCode::from(1));
    }
    eprintln!("kliping {id} terkirim");
    Ok(ExitCode::SUCCESS)
}

async fn list(store: &Store, config: &Config, entity: Option<&str>) -> anyhow::Result<ExitCode> {
    let digests = store.digests(entity, 50).await?;
    if digests.is_empty() {
        println!("Belum ada kliping tersimpan.");
    }
    let tz = config.local_tz();
    for d in digests {
        println!("{}  {}", d.id, d.subject);
        for x in &d.deliveries {
            let detail = match x.status.as_str() {
                "sent" => x
                    .sent_ms
                    .map(|t| format!("terkirim {}", super::local_time(t, tz)))
                    .unwrap_or_default(),
                "pending" => format!(
                    "menunggu (percobaan {}), berikutnya {}{}",
                    x.attempts,
                    x.next_ms
                        .map_or_else(String::new, |t| super::local_time(t, tz)),
                    x.last_error
                        .as_deref()
                        .map_or_else(String::new, |e| format!("; terakhir: {e}"))
                ),
                _ => format!(
                    "GAGAL setelah {} percobaan: {}",
                    x.attempts,
                    x.last_error.as_deref().unwrap_or("")
                ),
            };
            println!("    {:<8} {:<40} {detail}", x.channel, x.target);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn resend(store: &Store, config: &Config, id: &str, all: bool) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        store.digest(id).await?.is_some(),
        "no digest {id:?}: `pantau digest --list` shows the stored ones"
    );
    let n = store
        .resend_digest(id, all, Utc::now().timestamp_millis())
        .await?;
    if n == 0 {
        eprintln!("every delivery of {id} was sent; --all sends it to everyone again");
        return Ok(ExitCode::SUCCESS);
    }
    send_now(store, config, id).await
}
