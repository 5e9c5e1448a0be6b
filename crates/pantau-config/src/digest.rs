//! The clipping (`[digest]`): when it goes out, through which SMTP server
//! and chat bot, and to whom for each entity.

use std::time::Duration;

use serde::Deserialize;

/// The scheduled digest and its delivery.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    /// Local sending times in each entity's time zone (`"07:00"`); none:
    /// only `pantau digest --send` sends.
    #[serde(default)]
    pub times: Vec<String>,
    /// New negative articles listed at most (the digest says how many
    /// more there are).
    #[serde(default = "default_max_articles")]
    pub max_articles: usize,
    /// The dashboard's public address, for the digest's links.
    #[serde(default)]
    pub dashboard_url: Option<String>,
    /// The SMTP server, for e-mail recipients.
    #[serde(default)]
    pub smtp: Option<SmtpConfig>,
    /// The Telegram bot, for Telegram chats.
    #[serde(default)]
    pub telegram: Option<TelegramConfig>,
    /// Recipients per entity.
    #[serde(default)]
    pub recipients: Vec<DigestRecipients>,
    /// Time allowed for one delivery (an SMTP session, a webhook call).
    #[serde(default = "default_send_timeout", with = "humantime_serde")]
    pub timeout: Duration,
}

impl Default for DigestConfig {
    fn default() -> Self {
        DigestConfig {
            times: Vec::new(),
            max_articles: default_max_articles(),
            dashboard_url: None,
            smtp: None,
            telegram: None,
            recipients: Vec::new(),
            timeout: default_send_timeout(),
        }
    }
}

fn default_max_articles() -> usize {
    15
}
fn default_send_timeout() -> Duration {
    Duration::from_secs(30)
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or in tests.
    None,
}

/// The SMTP server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    /// Host name.
    pub host: String,
    /// Port (default: 587 for STARTTLS, 465 for TLS, 25 for none).
    #[serde(default)]
    pub port: Option<u16>,
    /// `starttls` (default), `tls` or `none`.
    #[serde(default)]
    pub security: SmtpSecurity,
    /// User name, when the server wants credentials.
    #[serde(default)]
    pub username: Option<String>,
    /// Password: set `PANTAU__DIGEST__SMTP__PASSWORD`, not the file.
    #[serde(default)]
    pub password: Option<String>,
    /// The sender, `Name <address>` or an address.
    pub from: String,
}

impl SmtpConfig {
    /// The port, defaulted by the security.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        })
    }
}

/// The Telegram bot.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramConfig {
    /// The bot's token: set `PANTAU__DIGEST__TELEGRAM__BOT_TOKEN`.
    pub bot_token: String,
    /// The Bot API's address.
    #[serde(default = "default_telegram_api")]
    pub api_url: String,
}

fn default_telegram_api() -> String {
    "https://api.telegram.org".into()
}

/// Who receives one entity's digest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestRecipients {
    /// Entity id.
    pub entity: String,
    /// E-mail addresses.
    #[serde(default)]
    pub email: Vec<String>,
    /// Telegram chat ids (a user, a group `-100…`, or `@channel`).
    #[serde(default)]
    pub telegram: Vec<String>,
    /// Generic JSON webhooks (e.g. a WhatsApp gateway): the digest is
    /// POSTed as JSON.
    #[serde(default)]
    pub webhook: Vec<String>,
}

impl DigestConfig {
    /// The recipients of `entity`.
    pub fn recipients_of<'a>(
        &'a self,
        entity: &'a str,
    ) -> impl Iterator<Item = &'a DigestRecipients> + 'a {
        self.recipients.iter().filter(move |r| r.entity == entity)
    }

    /// Problems, as (key, message).
    pub(crate) fn problems(&self, entity_ids: &[&str]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, t) in self.times.iter().enumerate() {
            let ok = chrono::NaiveTime::parse_from_str(t, "%H:%M").is_ok()
                || chrono::NaiveTime::parse_from_str(t, "%H:%M:%S").is_ok();
            if !ok {
                out.push((
                    format!("digest.times[{i}]"),
                    format!("{t:?} is not a time of day (expected HH:MM, e.g. \"07:00\")"),
                ));
            }
        }
        if self.max_articles == 0 {
            out.push(("digest.max_articles".into(), "must be at least 1".into()));
        }
        if self.timeout.is_zero() {
            out.push(("digest.timeout".into(), "must be positive".into()));
        }
        if let Some(url) = &self.dashboard_url {
            if url::Url::parse(url).is_err() {
                out.push((
                    "digest.dashboard_url".into(),
                    format!("{url:?} is not a URL"),
                ));
            }
        }
        if let Some(s) = &self.smtp {
            if s.host.trim().is_empty() {
                out.push(("digest.smtp.host".into(), "must not be empty".into()));
            }
            if !looks_like_address(&s.from) {
                out.push((
                    "digest.smtp.from".into(),
                    format!("{:?} is not an e-mail address", s.from),
                ));
            }
            if s.username.is_some() != s.password.is_some() {
                out.push((
                    "digest.smtp.password".into(),
                    "username and password go together (set PANTAU__DIGEST__SMTP__PASSWORD)".into(),
                ));
            }
        }
        if let Some(t) = &self.telegram {
            if t.bot_token.trim().is_empty() {
                out.push((
                    "digest.telegram.bot_token".into(),
                    "must not be empty".into(),
                ));
            }
            if url::Url::parse(&t.api_url).is_err() {
                out.push((
                    "digest.telegram.api_url".into(),
                    format!("{:?} is not a URL", t.api_url),
                ));
            }
        }
        for (i, r) in self.recipients.iter().enumerate() {
            let key = |k: &str| format!("digest.recipients[{i}].{k}");
            if !entity_ids.contains(&r.entity.as_str()) {
                out.push((
                    key("entity"),
                    format!(
                        "unknown entity {:?}; configured: {}",
                        r.entity,
                        entity_ids.join(", ")
                    ),
                ));
            }
            for (j, e) in r.email.iter().enumerate() {
                if !looks_like_address(e) {
                    out.push((
                        format!("{}[{j}]", key("email")),
                        format!("{e:?} is not an e-mail address"),
                    ));
                }
            }
            if !r.email.is_empty() && self.smtp.is_none() {
                out.push((
                    key("email"),
                    "e-mail recipients need a [digest.smtp] server".into(),
                ));
            }
            if !r.telegram.is_empty() && self.telegram.is_none() {
                out.push((
                    key("telegram"),
                    "Telegram chats need a [digest.telegram] bot".into(),
                ));
            }
            for (j, w) in r.webhook.iter().enumerate() {
                let ok = url::Url::parse(w).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
                if !ok {
                    out.push((
                        format!("{}[{j}]", key("webhook")),
                        format!("{w:?} is not an http(s) URL"),
                    ));
                }
            }
        }
        out
    }
}

/// `name@host`, or `Name <name@host>`: the shape, not deliverability.
fn looks_like_address(s: &str) -> bool {
    let addr = match (s.rfind('<'), s.ends_with('>')) {
        (Some(i), true) => &s[i + 1..s.len() - 1],
        _ => s.trim(),
    };
    let mut parts = addr.split('@');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(local), Some(host), None)
            if !local.is_empty() && host.contains('.') && !addr.contains(char::is_whitespace)
    ) || matches!(addr.split_once('@'), Some((l, "localhost")) if !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_by_shape() {
        assert!(looks_like_address("humas@kemensos.go.id"));
        assert!(looks_like_address("Biro Humas <humas@kemensos.go.id>"));
        assert!(looks_like_address("pantau@localhost"));
        assert!(!looks_like_address("humas"));
        assert!(!looks_like_address("a b@c.d"));
        assert!(!looks_like_address("@kemensos.go.id"));
    }
}
