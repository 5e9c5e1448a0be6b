//! Fetching a feed: HTTP(S) with conditional GET, or a local file.

use std::time::Duration;

use futures::StreamExt;
use reqwest::header::{
    HeaderMap, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER,
};
use reqwest::StatusCode;

/// Settings of the HTTP client.
#[derive(Debug, Clone)]
pub struct FetcherConfig {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for the whole fetch, body included.
    pub timeout: Duration,
    /// Largest body accepted, in bytes (after decompression).
    pub max_body_bytes: u64,
    /// Redirects followed at most.
    pub max_redirects: usize,
}

impl Default for FetcherConfig {
    fn default() -> Self {
        FetcherConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 15 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// The validators of the last successful response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// `ETag` header.
    pub etag: Option<String>,
    /// `Last-Modified` header.
    pub last_modified: Option<String>,
}

/// What a fetch brought back.
#[derive(Debug)]
pub enum FetchOutcome {
    /// `304 Not Modified`: nothing new.
    NotModified,
    /// A body, with the validators to remember once its items are durable.
    Body {
        /// The (decompressed) body.
        bytes: Vec<u8>,
        /// Validators of this response.
        cursor: Cursor,
        /// `Content-Type`, when given.
        content_type: Option<String>,
    },
}

/// The kind of a fetch failure: a small, fixed vocabulary (a metric label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchErrorKind {
    /// Could not connect (DNS, refused, TLS).
    Connect,
    /// Took too long.
    Timeout,
    /// 4xx other than 429.
    Http4xx,
    /// 5xx.
    Http5xx,
    /// 429 Too Many Requests.
    RateLimited,
    /// Body over the size cap.
    TooLarge,
    /// Too many redirects.
    Redirects,
    /// Local file missing or unreadable.
    File,
    /// The response is not a feed.
    Parse,
    /// Anything else on the wire.
    Other,
}

impl FetchErrorKind {
    /// The label used in metrics and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchErrorKind::Connect => "connect",
            FetchErrorKind::Timeout => "timeout",
            FetchErrorKind::Http4xx => "http_4xx",
            FetchErrorKind::Http5xx => "http_5xx",
            FetchErrorKind::RateLimited => "rate_limited",
            FetchErrorKind::TooLarge => "too_large",
            FetchErrorKind::Redirects => "redirects",
            FetchErrorKind::File => "file",
            FetchErrorKind::Parse => "parse",
            FetchErrorKind::Other => "other",
        }
    }

    /// Every kind (to initialise labelled metrics at zero).
    pub const ALL: [FetchErrorKind; 10] = [
        FetchErrorKind::Connect,
        FetchErrorKind::Timeout,
        FetchErrorKind::Http4xx,
        FetchErrorKind::Http5xx,
        FetchErrorKind::RateLimited,
        FetchErrorKind::TooLarge,
        FetchErrorKind::Redirects,
        FetchErrorKind::File,
        FetchErrorKind::Parse,
        FetchErrorKind::Other,
    ];
}

/// A failed fetch: what kind, a message naming the source, and when to retry.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{url}: {message}")]
pub struct FetchError {
    /// The kind.
    pub kind: FetchErrorKind,
    /// The URL (or path) fetched.
    pub url: String,
    /// What happened.
    pub message: String,
    /// The server's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
}

impl FetchError {
    fn new(kind: FetchErrorKind, url: &str, message: impl Into<String>) -> Self {
        FetchError {
            kind,
            url: url.to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }
}

/// Fetches feeds.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    config: FetcherConfig,
}

/// The `User-Agent` pantau sends.
pub fn user_agent() -> String {
    format!(
        "pantau/{} (media monitoring; feed reader)",
        env!("CARGO_PKG_VERSION")
    )
}

impl Fetcher {
    /// Builds the HTTP client.
    pub fn new(config: FetcherConfig) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::limited(config.max_redirects))
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .build()
            .map_err(|e| FetchError::new(FetchErrorKind::Other, "-", e.to_string()))?;
        Ok(Fetcher { client, config })
    }

    /// Fetches `url` (`http(s)://` or `file://`), conditionally on `cursor`.
    pub async fn fetch(&self, url: &str, cursor: &Cursor) -> Result<FetchOutcome, FetchError> {
        if let Some(path) = url.strip_prefix("file://") {
            return self.read_file(url, path).await;
        }
        let mut req = self.client.get(url);
        if let Some(etag) = &cursor.etag {
            req = req.header(IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &cursor.last_modified {
            req = req.header(IF_MODIFIED_SINCE, lm);
        }
        let resp = req.send().await.map_err(|e| classify(url, &e))?;
        let status = resp.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(FetchOutcome::NotModified);
        }
        if !status.is_success() {
            let kind = match status.as_u16() {
                429 => FetchErrorKind::RateLimited,
                500..=599 => FetchErrorKind::Http5xx,
                _ => FetchErrorKind::Http4xx,
            };
            let mut err = FetchError::new(kind, url, format!("HTTP status {status}"));
            err.retry_after = retry_after(resp.headers());
            return Err(err);
        }
        let headers = resp.headers().clone();
        if let Some(len) = resp.content_length() {
            if len > self.config.max_body_bytes {
                return Err(too_large(url, self.config.max_body_bytes));
            }
        }
        let mut bytes = Vec::new();
        let mut stream = resp.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| classify(url, &e))?;
            if bytes.len() as u64 + chunk.len() as u64 > self.config.max_body_bytes {
                return Err(too_large(url, self.config.max_body_bytes));
            }
            bytes.extend_from_slice(&chunk);
        }
        let header = |name| {
            headers
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(FetchOutcome::Body {
            bytes,
            cursor: Cursor {
                etag: header(ETAG),
                last_modified: header(LAST_MODIFIED),
            },
            content_type: header(reqwest::header::CONTENT_TYPE),
        })
    }

    async fn read_file(&self, url: &str, path: &str) -> Result<FetchOutcome, FetchError> {
        let file_err =
            |e: std::io::Error| FetchError::new(FetchErrorKind::File, url, e.to_string());
        let meta = tokio::fs::metadata(path).await.map_err(file_err)?;
        if meta.len() > self.config.max_body_bytes {
            return Err(too_large(url, self.config.max_body_bytes));
        }
        let bytes = tokio::fs::read(path).await.map_err(file_err)?;
        Ok(FetchOutcome::Body {
            bytes,
            cursor: Cursor::default(),
            content_type: None,
        })
    }
}

fn too_large(url: &str, cap: u64) -> FetchError {
    FetchError::new(
        FetchErrorKind::TooLarge,
        url,
        format!("body larger than the {cap}-byte limit (ingest.max_body_bytes)"),
    )
}

fn classify(url: &str, e: &reqwest::Error) -> FetchError {
    let kind = if e.is_timeout() {
        FetchErrorKind::Timeout
    } else if e.is_redirect() {
        FetchErrorKind::Redirects
    } else if e.is_connect() {
        FetchErrorKind::Connect
    } else {
        FetchErrorKind::Other
    };
    // The full source chain says *why* (refused, DNS, certificate…).
    let mut message = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        message.push_str(": ");
        message.push_str(&s.to_string());
        src = s.source();
    }
    FetchError::new(kind, url, message)
}

/// `Retry-After`: seconds, or an HTTP date (time from now; a date in the
/// past means now). Capped at a day.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_value(headers.get(RETRY_AFTER)?.to_str().ok()?, chrono::Utc::now())
}

fn retry_after_value(v: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = v.trim();
    let secs = match v.parse::<u64>() {
        Ok(s) => s,
        Err(_) => {
            let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
            u64::try_from((at.with_timezone(&chrono::Utc) - now).num_seconds()).unwrap_or(0)
        }
    };
    Some(Duration::from_secs(secs.min(24 * 3600)))
}

#[cfg(test)]
mod retry_after_tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-28T07:28:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            retry_after_value(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after_value("Sat, 28 Nov 2026 07:30:30 GMT", now),
            Some(Duration::from_secs(150))
        );
        assert_eq!(
            retry_after_value("Sat, 28 Nov 2026 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after_value("99999999", now),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(retry_after_value("soon", now), None);
    }
}
