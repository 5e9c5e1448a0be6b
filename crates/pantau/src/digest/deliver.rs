//! Sending a stored digest: e-mail over SMTP (plain text with an HTML
//! alternative), Telegram's Bot API, and generic JSON webhooks. A failed
//! try is recorded and tried again with backoff; one refused for good
//! (an unknown address, a bad chat id) is given up at once. Either way the
//! digest stays in the store and `pantau digest --resend` sends it again.

use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use pantau_config::{DigestConfig, SmtpSecurity, TelegramConfig};
use pantau_digest::Backoff;
use pantau_metrics::Metrics;
use pantau_store::{Delivery, DeliveryOutcome, Store, StoredDigest};
use tracing::{info, warn};

/// A delivery that did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// What went wrong (never a credential or a bot token).
    pub message: String,
    /// Refused for good: trying again would not help.
    pub permanent: bool,
}

impl SendError {
    fn transient(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            permanent: false,
        }
    }
    fn permanent(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            permanent: true,
        }
    }
}

/// The channels, built once from the configuration.
pub struct Deliverer {
    smtp: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
    telegram: Option<TelegramConfig>,
    http: reqwest::Client,
}

impl Deliverer {
    /// Builds the SMTP transport and the HTTP client.
    pub fn new(config: &DigestConfig) -> anyhow::Result<Self> {
        let smtp = match &config.smtp {
            None => None,
            Some(s) => {
                let builder = match s.security {
                    SmtpSecurity::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)
                            .with_context(|| format!("digest.smtp.host {:?}", s.host))?
                    }
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)
                        .with_context(|| format!("digest.smtp.host {:?}", s.host))?,
                    SmtpSecurity::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
                    }
                };
                let mut builder = builder.port(s.port()).timeout(Some(config.timeout));
                if let (Some(user), Some(password)) = (&s.username, &s.password) {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                let from: Mailbox = s
                    .from
                    .parse()
                    .with_context(|| format!("digest.smtp.from {:?}", s.from))?;
                Some((builder.build(), from))
            }
        };
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("pantau/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Deliverer {
            smtp,
            telegram: config.telegram.clone(),
            http,
        })
    }

    /// Sends one delivery of `digest`.
    pub async fn send(&self, d: &Delivery, digest: &StoredDigest) -> Result<(), SendError> {
        match d.channel.as_str() {
            "email" => self.email(&d.target, digest).await,
            "telegram" => self.telegram(&d.target, digest).await,
            "webhook" => self.webhook(&d.target, digest).await,
            other => Err(SendError::permanent(format!("unknown channel {other:?}"))),
        }
    }

    async fn email(&self, to: &str, digest: &StoredDigest) -> Result<(), SendError> {
        let Some((transport, from)) = &self.smtp else {
            return Err(SendError::permanent(
                "no [digest.smtp] server is configured",
            ));
        };
        let to: Mailbox = to
            .parse()
            .map_err(|e| SendError::permanent(format!("recipient {to:?}: {e}")))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(&digest.subject)
            .multipart(MultiPart::alternative_plain_html(
                digest.text.clone(),
                digest.html.clone(),
            ))
            .map_err(|e| SendError::permanent(format!("building the message: {e}")))?;
        match transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::permanent(format!("SMTP: {e}"))),
            Err(e) => Err(SendError::transient(format!("SMTP: {e}"))),
        }
    }

    async fn telegram(&self, chat: &str, digest: &StoredDigest) -> Result<(), SendError> {
        let Some(t) = &self.telegram else {
            return Err(SendError::permanent(
                "no [digest.telegram] bot is configured",
            ));
        };
        let messages: Vec<String> = serde_json::from_str(&digest.telegram)
            .map_err(|e| SendError::permanent(format!("stored Telegram messages: {e}")))?;
        let url = format!(
            "{}/bot{}/sendMessage",
            t.api_url.trim_end_matches('/'),
            t.bot_token
        );
        for (i, text) in messages.iter().enumerate() {
            let body = serde_json::json!({
                "chat_id": chat,
                "text": text,
                "parse_mode": "HTML",
                "disable_web_page_preview": true,
            });
            let part = format!("Telegram message {} of {}", i + 1, messages.len());
            let resp = (self.http.post(&url))
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_string())
                .send()
                .await
                // The URL holds the bot's token: never in a message.
                .map_err(|e| SendError::transient(format!("{part}: {}", e.without_url())))?;
            let status = resp.status();
            let answer: serde_json::Value = (resp.bytes().await.ok())
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default();
            if status.is_success() && answer["ok"] == true {
                continue;
            }
            let why = answer["description"]
                .as_str()
                .map_or_else(|| status.to_string(), str::to_owned);
            let message = format!("{part}: Telegram answered {}: {why}", status.as_u16());
            return Err(match status.as_u16() {
                400 | 401 | 403 | 404 => SendError::permanent(message),
                _ => SendError::transient(message),
            });
        }
        Ok(())
    }

    async fn webhook(&self, url: &str, digest: &StoredDigest) -> Result<(), SendError> {
        let resp = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(digest.payload.clone())
            .send()
            .await
            .map_err(|e| SendError::transient(format!("webhook: {}", e.without_url())))?;
        let status = resp.status();
        match status.as_u16() {
            200..=299 => Ok(()),
            400 | 401 | 403 | 404 | 405 | 410 | 413 | 422 => {
                Err(SendError::permanent(format!("webhook answered {status}")))
            }
            _ => Err(SendError::transient(format!("webhook answered {status}"))),
        }
    }
}

/// Tries one delivery and records the outcome: sent; failed and due
/// again after the backoff's wait; or given up (after the last try, or
/// refused for good). Counted in `pantau_digest_deliveries_total`.
pub async fn attempt(
    store: &Store,
    deliverer: &Deliverer,
    metrics: &Metrics,
    d: &Delivery,
    digest: &StoredDigest,
    backoff: &Backoff,
) -> anyhow::Result<DeliveryOutcome> {
    let tried = u32::try_from(d.attempts + 1).unwrap_or(u32::MAX);
    let outcome = match deliverer.send(d, digest).await {
        Ok(()) => DeliveryOutcome::Sent(Utc::now().timestamp_millis()),
        Err(e) => match backoff.after(tried).filter(|_| !e.permanent) {
            Some(wait) => DeliveryOutcome::Retry {
                next_ms: Utc::now().timestamp_millis() + wait.as_millis() as i64,
                error: e.message,
            },
            None => DeliveryOutcome::Failed(e.message),
        },
    };
    let label = match &outcome {
        DeliveryOutcome::Sent(_) => {
            info!(digest = %d.digest_id, channel = %d.channel, to = %d.target, "digest delivered");
            "sent"
        }
        DeliveryOutcome::Retry { next_ms, error } => {
            warn!(digest = %d.digest_id, channel = %d.channel, to = %d.target, try_no = tried,
                  retry_in_s = (next_ms - Utc::now().timestamp_millis()) / 1000, %error,
                  "digest delivery failed; will retry");
            "retry"
        }
        DeliveryOutcome::Failed(error) => {
            tracing::error!(digest = %d.digest_id, channel = %d.channel, to = %d.target, try_no = tried,
                            %error, "digest delivery given up; resend with `pantau digest --resend {}`",
                            d.digest_id);
            "failed"
        }
    };
    metrics
        .digest_deliveries
        .with_label_values(&[d.channel.as_str(), label])
        .inc();
    store
        .record_delivery(d, &outcome)
        .await
        .context("recording a delivery")?;
    Ok(outcome)
}

/// How long a process holds a delivery it is trying.
const LEASE: Duration = Duration::from_secs(300);

/// Tries every due delivery once (claimed first, so two processes never
/// send one twice); returns how many were tried.
pub async fn run_due(
    store: &Store,
    deliverer: &Deliverer,
    metrics: &Metrics,
    backoff: &Backoff,
) -> anyhow::Result<usize> {
    let now = Utc::now().timestamp_millis();
    let due = store
        .due_deliveries(now)
        .await
        .context("reading due deliveries")?;
    let mut tried = 0;
    for d in due {
        if !store
            .claim_delivery(&d, now + LEASE.as_millis() as i64)
            .await?
        {
            continue;
        }
        let Some(digest) = store.digest(&d.digest_id).await? else {
            continue;
        };
        attempt(store, deliverer, metrics, &d, &digest, backoff).await?;
        tried += 1;
    }
    Ok(tried)
}
