//! The fetcher against a local HTTP server that misbehaves the ways real
//! feed servers do: conditional GET, rate limits, slow drips, huge bodies,
//! gzip bombs, redirect loops, HTML instead of a feed, a wrong charset, and
//! a server that fails and then recovers.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use pantau_ingest::{parse_feed_as, Cursor, FetchErrorKind, FetchOutcome, Fetcher, FetcherConfig};
use pantau_model::MediaType;

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>Kemensos salurkan bansos</title><link>https://x.example/1</link><pubDate>Thu, 02 May 2024 10:00:00 WIB</pubDate></item>
</channel></rss>"#;

#[derive(Default)]
struct Flags {
    healthy: AtomicBool,
    hits: AtomicUsize,
}

async fn server(flags: Arc<Flags>) -> String {
    let f = flags.clone();
    let app = Router::new()
        .route(
            "/etag",
            get(|h: HeaderMap| async move {
                if h.get(header::IF_NONE_MATCH).is_some_and(|v| v == "\"v1\"") {
                    return StatusCode::NOT_MODIFIED.into_response();
                }
                ([(header::ETAG, "\"v1\""), (header::LAST_MODIFIED, "Thu, 02 May 2024 10:00:00 GMT")], FEED).into_response()
            }),
        )
        .route(
            "/ratelimit",
            get(|| async { (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "120")], "slow down") }),
        )
        .route(
            "/slow",
            get(|| async {
                let stream = futures::stream::unfold(0, |i| async move {
                    if i > 20 {
                        return None;
                    }
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    Some((Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"<rss>")), i + 1))
                });
                Response::new(Body::from_stream(stream))
            }),
        )
        .route("/big", get(|| async { vec![b'x'; 3 * 1024 * 1024] }))
        .route(
            "/big-chunked",
            get(|| async {
                let stream = futures::stream::iter((0..100).map(|_| Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b'y'; 64 * 1024]))));
                Response::new(Body::from_stream(stream))
            }),
        )
        .route(
            "/bomb",
            get(|| async {
                use std::io::Write;
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
                let zeros = vec![0u8; 1024 * 1024];
                for _ in 0..64 {
                    gz.write_all(&zeros).unwrap();
                }
                let body = gz.finish().unwrap();
                ([(header::CONTENT_ENCODING, "gzip"), (header::CONTENT_TYPE, "application/rss+xml")], body)
            }),
        )
        .route("/loop", get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop")]) }))
        .route(
            "/html",
            get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<!doctype html><html><body><h1>Berita</h1></body></html>") }),
        )
        .route(
            "/cp1252",
            get(|| async {
                let mut body = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><item><title>Caf\xe9 \x93Kemensos\x94</title><link>https://x.example/c</link></item></channel></rss>".to_vec();
                body.shrink_to_fit();
                ([(header::CONTENT_TYPE, "application/rss+xml; charset=windows-1252")], body)
            }),
        )
        .route(
            "/flaky",
            get(move || {
                let f = f.clone();
                async move {
                    f.hits.fetch_add(1, Ordering::SeqCst);
                    if f.healthy.load(Ordering::SeqCst) {
                        FEED.into_response()
                    } else {
                        (StatusCode::SERVICE_UNAVAILABLE, "maintenance").into_response()
                    }
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetcherConfig {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
        max_body_bytes: 1024 * 1024,
        max_redirects: 5,
    })
    .unwrap()
}

#[tokio::test]
async fn misbehaving_servers_get_the_right_outcome() {
    let flags = Arc::new(Flags::default());
    let base = server(flags.clone()).await;
    let f = fetcher();
    let none = Cursor::default();

    // Conditional GET: the validators come back and a repeat is a 304.
    let FetchOutcome::Body { cursor, bytes, .. } =
        f.fetch(&format!("{base}/etag"), &none).await.unwrap()
    else {
        panic!("expected a body")
    };
    assert_eq!(cursor.etag.as_deref(), Some("\"v1\""));
    assert!(cursor.last_modified.is_some());
    let items = parse_feed_as(&bytes, None, "etag", None, MediaType::Online, Utc::now()).unwrap();
    // "WIB" is read as +07:00.
    assert_eq!(
        items.items[0].published_at.unwrap().to_rfc3339(),
        "2024-05-02T03:00:00+00:00"
    );
    assert!(matches!(
        f.fetch(&format!("{base}/etag"), &cursor).await.unwrap(),
        FetchOutcome::NotModified
    ));

    let e = f
        .fetch(&format!("{base}/ratelimit"), &none)
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.retry_after),
        (FetchErrorKind::RateLimited, Some(Duration::from_secs(120)))
    );

    let started = Instant::now();
    let e = f.fetch(&format!("{base}/slow"), &none).await.unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Timeout, "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the total timeout bounds a slow drip"
    );

    for path in ["big", "big-chunked", "bomb"] {
        let e = f.fetch(&format!("{base}/{path}"), &none).await.unwrap_err();
        assert_eq!(e.kind, FetchErrorKind::TooLarge, "{path}: {e}");
        assert!(e.to_string().contains("1048576-byte limit"), "{e}");
    }

    let e = f.fetch(&format!("{base}/loop"), &none).await.unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Redirects, "{e}");

    let FetchOutcome::Body {
        bytes,
        content_type,
        ..
    } = f.fetch(&format!("{base}/html"), &none).await.unwrap()
    else {
        panic!()
    };
    let e = parse_feed_as(
        &bytes,
        content_type.as_deref(),
        "html-feed",
        None,
        MediaType::Online,
        Utc::now(),
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with("html-feed: not a usable feed"),
        "{e}"
    );

    let FetchOutcome::Body {
        bytes,
        content_type,
        ..
    } = f.fetch(&format!("{base}/cp1252"), &none).await.unwrap()
    else {
        panic!()
    };
    let items = parse_feed_as(
        &bytes,
        content_type.as_deref(),
        "cp",
        None,
        MediaType::Online,
        Utc::now(),
    )
    .unwrap();
    assert_eq!(items.items[0].title, "Café \u{201c}Kemensos\u{201d}");

    // Down, then fixed: the next fetch succeeds.
    let e = f.fetch(&format!("{base}/flaky"), &none).await.unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Http5xx);
    flags.healthy.store(true, Ordering::SeqCst);
    assert!(matches!(
        f.fetch(&format!("{base}/flaky"), &none).await.unwrap(),
        FetchOutcome::Body { .. }
    ));
    assert_eq!(flags.hits.load(Ordering::SeqCst), 2);

    let e = f
        .fetch("http://127.0.0.1:1/nothing", &none)
        .await
        .unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Connect, "{e}");
}
