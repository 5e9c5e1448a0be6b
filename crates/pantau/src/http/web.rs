//! The built-in dashboard: HTML pages and their assets, embedded in the
//! binary at build time (see `build.rs`), served from the same HTTP server as
//! the API. No CDN: everything works offline.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

/// The staff's pages: URL path → file. (The public survey form, `/survei`,
/// and the sign-in page, `/masuk`, are routed apart: anyone may see them.)
pub const PAGES: [(&str, &str); 6] = [
    ("/", "ringkasan.html"),
    ("/ringkasan", "ringkasan.html"),
    ("/artikel", "artikel.html"),
    ("/isu", "isu.html"),
    ("/laporan", "laporan.html"),
    ("/survei/hasil", "survei-hasil.html"),
];

/// An embedded file by name.
pub fn file(name: &str) -> Option<&'static [u8]> {
    embedded::FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn serve(name: &str) -> Response {
    match file(name) {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, content_type(name)),
                // Assets change with the binary: revalidate, never go stale.
                (header::CACHE_CONTROL, "no-cache"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// A page, by its file name.
pub fn page(name: &'static str) -> impl Fn() -> std::future::Ready<Response> + Clone {
    move || std::future::ready(serve(name))
}

/// `GET /assets/{name}`. Pages are served at their own paths only.
pub async fn asset(Path(name): Path<String>) -> Response {
    if name.ends_with(".html") {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    serve(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_and_its_assets_are_embedded() {
        // The staff's pages, and the two anyone may see.
        for name in PAGES
            .iter()
            .map(|(_, f)| *f)
            .chain(["survei.html", "masuk.html"])
        {
            let html = std::str::from_utf8(file(name).expect(name)).expect("UTF-8");
            assert!(
                html.contains("lang=\"id\""),
                "{name} is not marked Indonesian"
            );
            // Every asset a page links is embedded too (no CDN, no 404).
            for part in html.split("/assets/").skip(1) {
                let asset: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    .collect();
                assert!(
                    file(&asset).is_some(),
                    "{name} links missing /assets/{asset}"
                );
            }
            assert!(
                !html.contains("http://") && !html.contains("https://"),
                "{name} loads from the network"
            );
        }
        assert_eq!(content_type("app.css"), "text/css; charset=utf-8");
        assert!(file("nope.js").is_none());
    }
}
