//! `pantau demo-server`: serves the bundled sample feeds from localhost,
//! with their date placeholders filled in relative to now, so the demo's
//! windows always hold data.
//!
//! Placeholders: `{{rfc2822:-3h}}` (RSS dates) and `{{rfc3339:-2d5h}}`
//! (Atom, JSON Feed): now minus a duration of days, hours and minutes.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, FixedOffset, Utc};

/// Parses `-6d12h30m` into a negative offset.
pub fn parse_offset(s: &str) -> Option<Duration> {
    let rest = s.strip_prefix('-')?;
    let mut total = Duration::zero();
    let mut num = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += match c {
            'd' => Duration::days(n),
            'h' => Duration::hours(n),
            'm' => Duration::minutes(n),
            _ => return None,
        };
    }
    num.is_empty().then_some(-total)
}

/// Fills every placeholder in `template` relative to `now`.
pub fn render(template: &str, now: DateTime<Utc>) -> Result<String, String> {
    let wib = FixedOffset::east_opt(7 * 3600).expect("valid offset");
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or("unclosed {{")?;
        let inner = &after[..end];
        let (format, offset) = inner
            .split_once(':')
            .ok_or_else(|| format!("bad placeholder {inner:?}"))?;
        let t = now + parse_offset(offset).ok_or_else(|| format!("bad offset {offset:?}"))?;
        match format {
            "rfc2822" => out.push_str(&t.with_timezone(&wib).to_rfc2822()),
            "rfc3339" => out.push_str(&t.with_timezone(&wib).to_rfc3339()),
            _ => return Err(format!("bad placeholder format {format:?}")),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Serves `dir` under `/feeds/` until the process ends.
pub async fn serve(dir: PathBuf, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    let app = Router::new()
        .route("/feeds/{name}", get(feed))
        .with_state(Arc::new(dir));
    axum::serve(listener, app).await?;
    Ok(())
}

async fn feed(State(dir): State<Arc<PathBuf>>, Path(name): Path<String>) -> Response {
    if name.contains('/') || name.starts_with('.') {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(text) = tokio::fs::read_to_string(dir.join(&name)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let content_type = match name.rsplit('.').next() {
        Some("json") => "application/feed+json",
        Some("atom") => "application/atom+xml",
        _ => "application/rss+xml",
    };
    match render(&text, Utc::now()) {
        Ok(body) => ([(header::CONTENT_TYPE, content_type)], body).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{name}: {e}\n")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_placeholders() {
        assert_eq!(
            parse_offset("-6d12h30m"),
            Some(-(Duration::days(6) + Duration::hours(12) + Duration::minutes(30)))
        );
        assert_eq!(parse_offset("-0m"), Some(Duration::zero()));
        assert_eq!(parse_offset("3h"), None);
        assert_eq!(parse_offset("-3x"), None);
        assert_eq!(parse_offset("-3"), None);
        let now = DateTime::parse_from_rfc3339("2026-05-20T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            render("<d>{{rfc2822:-1h}}</d> {{rfc3339:-1d}}", now).unwrap(),
            "<d>Wed, 20 May 2026 18:00:00 +0700</d> 2026-05-19T19:00:00+07:00"
        );
        assert!(render("{{rfc2822:-1h", now).is_err());
        assert!(render("{{iso:-1h}}", now).is_err());
    }
}
