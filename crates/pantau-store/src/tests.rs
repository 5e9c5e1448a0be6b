use super::*;
use crate::stories::{Assignments, IssueAction, IssueChange, IssueRow};
use pantau_model::{
    ArticleId, Assessment, EntityId, Explanation, MediaType, RawArticle, ScoredArticle, Sentiment,
    SCHEMA_VERSION,
};

fn scored(n: u32, entities: &[&str], sentiment: Sentiment) -> ScoredArticle {
    let url = format!("https://berita.example/{n}");
    ScoredArticle {
        schema_version: SCHEMA_VERSION,
        article: RawArticle {
            schema_version: SCHEMA_VERSION,
            id: ArticleId::for_item(Some(&url), None, "f", ""),
            source: "f".into(),
            outlet: "Berita".into(),
            media_type: MediaType::Tv,
            url: Some(url),
            guid: None,
            source_url: None,
            title: format!("judul {n}"),
            summary: String::new(),
            body: String::new(),
            published_at: DateTime::from_timestamp(1_700_000_000 + i64::from(n), 0),
            fetched_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            relevance: vec![],
            own_channel: false,
        },
        assessments: entities
            .iter()
            .map(|e| Assessment {
                entity: EntityId::from(*e),
                relevance_reason: "name \"X\"".into(),
                sentiment,
                score: -0.5,
                explanation: Explanation::default(),
            })
            .collect(),
    }
}

async fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/sub/dir/p.db", dir.path().display());
    let store = Store::open(&url).await.unwrap();
    (dir, store)
}

/// A fresh database on the test PostgreSQL server, which
/// `scripts/postgres.sh start` installs (apt) and starts on first use.
async fn pg_store() -> Store {
    use sqlx::Connection;
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let base = BASE.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/postgres.sh");
        let out = std::process::Command::new("bash")
            .args([script, "start"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/postgres.sh start failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    });
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(base).await.unwrap();
    let db = format!("pantau_t{:016x}", rand_u64());
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {db}").as_str())
        .await
        .unwrap();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    Store::open(&format!("{prefix}/{db}")).await.unwrap()
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

/// Runs a store test against SQLite and against PostgreSQL.
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let (_dir, store) = super::temp_store().await;
                assert_eq!(store.backend(), super::Backend::Sqlite);
                super::$name(store).await;
            }
            #[tokio::test]
            async fn postgres() {
                let store = super::pg_store().await;
                assert_eq!(store.backend(), super::Backend::Postgres);
                super::$name(store).await;
            }
        }
    };
}

on_both!(insert_is_idempotent_and_counts_only_new_assessments);
on_both!(feed_state_tracks_cursor_and_failures);
on_both!(survey_responses_round_trip_and_reject_duplicates);
on_both!(known_finds_stored_articles_under_any_key);
on_both!(an_article_under_another_link_is_not_counted_twice);
on_both!(audit_samples_draw_once_record_verdicts_and_tally_by_stratum);
on_both!(a_confirmation_reviews_without_changing_and_leaves_the_queue);

async fn insert_is_idempotent_and_counts_only_new_assessments(store: Store) {
    let batch = vec![
        scored(1, &["a"], Sentiment::Negative),
        scored(2, &["a", "b"], Sentiment::Positive),
    ];
    let first = store.insert_scored(&batch).await.unwrap();
    assert_eq!(first.len(), 3);
    assert_eq!(first[0].event_time_ms, 1_700_000_001_000);
    assert_eq!(first[0].media_type, MediaType::Tv);
    // Redelivery of the same batch: nothing new.
    assert!(store.insert_scored(&batch).await.unwrap().is_empty());
    // The same article arriving again with a new entity counts for that entity only.
    let again = store
        .insert_scored(&[scored(1, &["a", "c"], Sentiment::Neutral)])
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].entity, "c");
    assert_eq!(store.article_count().await.unwrap(), 2);
    let mut all = store.counted().await.unwrap();
    all.sort_by(|x, y| (&x.entity, x.event_time_ms).cmp(&(&y.entity, y.event_time_ms)));
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].sentiment, Sentiment::Negative);
    // The running totals were kept by the same writes: redeliveries added
    // nothing, and they agree with the stored rows.
    let totals: Vec<_> = store
        .classified_totals()
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.entity, t.sentiment, t.n))
        .collect();
    assert_eq!(
        totals,
        [
            ("a".into(), Sentiment::Negative, 1),
            ("a".into(), Sentiment::Positive, 1),
            ("b".into(), Sentiment::Positive, 1),
            ("c".into(), Sentiment::Neutral, 1),
        ]
    );
}

#[tokio::test]
async fn data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/p.db", dir.path().display());
    {
        let s = Store::open(&url).await.unwrap();
        s.insert_scored(&[scored(1, &["a"], Sentiment::Negative)])
            .await
            .unwrap();
        s.close().await;
    }
    let s = Store::open(&url).await.unwrap();
    assert_eq!(s.counted().await.unwrap().len(), 1);
}

async fn known_finds_stored_articles_under_any_key(s: Store) {
    s.insert_scored(&[scored(1, &["a"], Sentiment::Negative)])
        .await
        .unwrap();
    let stored = scored(1, &[], Sentiment::Negative).article;
    let other = scored(2, &[], Sentiment::Negative).article;
    let known = s.known(&[&stored, &other]).await.unwrap();
    assert!(known.contains(&stored.id) && !known.contains(&other.id));
}

/// The same article with an edited link (its GUID unchanged), or under the
/// outlet's mobile host: one article, counted once.
async fn an_article_under_another_link_is_not_counted_twice(s: Store) {
    let mut first = scored(1, &["a"], Sentiment::Negative);
    first.article.guid = Some("berita-2026-000123".into());
    first.article.url = Some("https://berita.example/read/7654321/bansos-telat".into());
    first.article.id = ArticleId::for_item(first.article.url.as_deref(), None, "f", "");
    assert_eq!(s.insert_scored(&[first.clone()]).await.unwrap().len(), 1);

    let mut edited = first.clone();
    edited.article.url = Some("https://berita.example/read/1/judul-diubah".into());
    edited.article.id = ArticleId::for_item(edited.article.url.as_deref(), None, "f", "");
    let mut mobile = first.clone();
    mobile.article.guid = None;
    mobile.article.url = Some("https://m.berita.example/read/7654321/bansos-telat-cair".into());
    mobile.article.id = ArticleId::for_item(mobile.article.url.as_deref(), None, "f", "");
    assert_ne!(edited.article.id, first.article.id);
    assert_ne!(mobile.article.id, first.article.id);
    let known = s.known(&[&edited.article, &mobile.article]).await.unwrap();
    assert_eq!(known.len(), 2, "both are known under another key");
    // In one batch too, and again (a redelivery): never counted.
    assert!(s
        .insert_scored(&[edited.clone(), mobile.clone()])
        .await
        .unwrap()
        .is_empty());
    assert!(s.insert_scored(&[mobile]).await.unwrap().is_empty());
    assert_eq!(s.article_count().await.unwrap(), 1);
    // A new article in the same batch as a duplicate is counted.
    let fresh = scored(9, &["a"], Sentiment::Positive);
    assert_eq!(s.insert_scored(&[edited, fresh]).await.unwrap().len(), 1);
    assert_eq!(s.article_count().await.unwrap(), 2);
}

async fn feed_state_tracks_cursor_and_failures(store: Store) {
    let t = DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    assert_eq!(store.feed_state("f").await.unwrap().consecutive_failures, 0);
    store
        .feed_failure("f", "http_5xx", "status 503", t)
        .await
        .unwrap();
    store
        .feed_failure("f", "timeout", "timed out", t)
        .await
        .unwrap();
    let s = store.feed_state("f").await.unwrap();
    assert_eq!(s.consecutive_failures, 2);
    assert_eq!(s.last_error_kind.as_deref(), Some("timeout"));
    assert_eq!(s.etag, None);
    store
        .feed_success("f", Some("\"v1\""), None, 5, t)
        .await
        .unwrap();
    store
        .feed_success("f", Some("\"v2\""), Some("Mon"), 2, t)
        .await
        .unwrap();
    let s = store.feed_state("f").await.unwrap();
    assert_eq!(s.consecutive_failures, 0);
    assert_eq!(s.items_seen, 7);
    assert_eq!(s.etag.as_deref(), Some("\"v2\""));
    assert_eq!(s.last_success_at, Some(1_750_000_000_000));
    // The last error stays visible after recovery, for `pantau feeds`.
    assert_eq!(s.last_error.as_deref(), Some("timed out"));
    assert_eq!(store.feed_states().await.unwrap().len(), 1);
}

#[tokio::test]
async fn relative_sqlite_paths_work() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = std::env::current_dir().unwrap();
    // A relative path (as config/pantau.toml's data_dir gives) with a `..` in it.
    let rel = pathdiff(dir.path(), &cwd).join("sub/../p.db");
    let s = Store::open(&format!("sqlite://{}", rel.display()))
        .await
        .unwrap();
    s.insert_scored(&[scored(1, &["a"], Sentiment::Negative)])
        .await
        .unwrap();
    assert!(
        dir.path().join("p.db").exists(),
        "the file is where the relative path says"
    );
}

/// `target` relative to `base` (both absolute).
fn pathdiff(target: &std::path::Path, base: &std::path::Path) -> std::path::PathBuf {
    let ups = base.components().count() - 1;
    let mut p = std::path::PathBuf::new();
    for _ in 0..ups {
        p.push("..");
    }
    p.join(target.strip_prefix("/").unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_opens_of_a_new_file_all_migrate() {
    // ingest and aggregate sharing one SQLite file start at the same time.
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/shared-{round}.db", dir.path().display());
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move { Store::open(&url).await.map(|_| ()) })
            })
            .collect();
        for o in opens {
            o.await
                .unwrap()
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
    }
}

#[tokio::test]
async fn bad_urls_are_named() {
    let e = Store::open("mysql://x").await.unwrap_err().to_string();
    assert!(e.contains("mysql://x"), "{e}");
}

async fn survey_responses_round_trip_and_reject_duplicates(store: Store) {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut r = pantau_survey::Response {
        respondent_id: "r1".into(),
        date: d("2023-05-02"),
        unit: "ppid".into(),
        gender: Some("P".into()),
        age: Some(34),
        education: None,
        occupation: Some("PNS".into()),
        answers: [
            Some(3),
            None,
            Some(4),
            Some(4),
            Some(2),
            Some(3),
            Some(3),
            Some(1),
            Some(4),
        ],
    };
    assert!(store.insert_survey_response(&r, "api").await.unwrap());
    assert!(
        !store.insert_survey_response(&r, "api").await.unwrap(),
        "duplicate id"
    );
    r.respondent_id = "r2".into();
    r.unit = "humas".into();
    r.date = d("2023-07-01");
    assert!(store
        .insert_survey_response(&r, "import:x.csv")
        .await
        .unwrap());
    let all = store
        .survey_responses(None, d("2023-01-01"), d("2024-01-01"))
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].answers[1], None, "a blank stays a blank");
    assert_eq!(all[0].age, Some(34));
    let ppid = store
        .survey_responses(Some("ppid"), d("2023-01-01"), d("2024-01-01"))
        .await
        .unwrap();
    assert_eq!(ppid.len(), 1);
    let q2 = store
        .survey_responses(None, d("2023-04-01"), d("2023-07-01"))
        .await
        .unwrap();
    assert_eq!(q2.len(), 1, "end date is exclusive");
    assert_eq!(
        store.survey_counts().await.unwrap(),
        [("humas".to_owned(), 1), ("ppid".to_owned(), 1)]
    );
}

on_both!(overrides_are_audited_and_survive_redelivery);

async fn overrides_are_audited_and_survive_redelivery(store: Store) {
    let a = scored(7, &["k"], Sentiment::Negative);
    let id = a.article.id.as_str().to_owned();
    store.insert_scored(std::slice::from_ref(&a)).await.unwrap();
    let t = DateTime::from_timestamp(1_760_000_000, 0).unwrap();
    assert!(store
        .set_override("nope", "k", Sentiment::Neutral, "x", "y", t)
        .await
        .unwrap()
        .is_none());
    let e = store
        .set_override(
            &id,
            "k",
            Sentiment::Neutral,
            "Sari",
            "bukan tentang kementerian",
            t,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (e.old, e.new, e.by.as_str()),
        (Sentiment::Negative, Sentiment::Neutral, "Sari")
    );
    assert_eq!(e.event_time_ms, 1_700_000_007_000);
    // A redelivered (re-classified) article never erases the override.
    assert!(store.insert_scored(&[a]).await.unwrap().is_empty());
    let c = store.counted().await.unwrap();
    assert_eq!(
        (c[0].sentiment, c[0].effective),
        (Sentiment::Negative, Sentiment::Neutral)
    );
    let t2 = DateTime::from_timestamp(1_760_000_100, 0).unwrap();
    store
        .set_override(&id, "k", Sentiment::Positive, "Budi", "dibaca ulang", t2)
        .await
        .unwrap();
    // A no-op is refused and leaves no entry: "reviewed" means a change.
    let same = store
        .set_override(&id, "k", Sentiment::Positive, "Budi", "sekali lagi", t2)
        .await;
    assert!(
        matches!(same, Err(StoreError::Unchanged(Sentiment::Positive))),
        "{same:?}"
    );
    let h = store.audit_history(&id).await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(
        (h[1].old, h[1].new),
        (Sentiment::Neutral, Sentiment::Positive)
    );
    assert_eq!(store.audit_since(1_760_000_050_000).await.unwrap().len(), 1);
    let day = Bucketing {
        offset_ms: 0,
        size_ms: 86_400_000,
    };
    let c = store.period_counts("k", 0, i64::MAX, day).await.unwrap();
    assert_eq!(c.overrides, 1);
    assert_eq!(c.by_media.len(), 1);
    assert_eq!(
        c.by_media[0].sentiment,
        Sentiment::Positive,
        "the override wins"
    );
    assert_eq!(
        c.by_bucket[0].key, 1_699_920_000_000,
        "the day's first instant"
    );
    // No longer negative: not among the most negative.
    assert!(store
        .most_negative("k", 0, i64::MAX, 5)
        .await
        .unwrap()
        .is_empty());
    let mut buckets = Vec::new();
    store
        .effective_buckets("k", 60_000, 0, i64::MAX, |start, _, s, n| {
            buckets.push((start, s, n))
        })
        .await
        .unwrap();
    assert_eq!(
        buckets,
        [(1_699_999_980_000, Sentiment::Positive, 1)],
        "the windows count the override"
    );
    let totals = store.classified_totals().await.unwrap();
    assert_eq!(
        totals
            .iter()
            .map(|t| (t.entity.as_str(), t.sentiment, t.n))
            .collect::<Vec<_>>(),
        [("k", Sentiment::Negative, 1)],
        "the totals count the classifier's decision"
    );
    let labelled = store.labelled_overrides().await.unwrap();
    assert_eq!(labelled, [("judul 7".to_owned(), Sentiment::Positive)]);
    let f = ReviewFilter {
        sentiment: Some(Sentiment::Positive),
        limit: 10,
        ..Default::default()
    };
    let items = store.review_list(&f).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].override_by.as_deref(), Some("Budi"));
    let f = ReviewFilter {
        sentiment: Some(Sentiment::Negative),
        limit: 10,
        ..Default::default()
    };
    assert!(store.review_list(&f).await.unwrap().is_empty());
}

/// Batches (which read their keys before writing) and feed-state writes on
/// other connections at the same time: every write succeeds — a batch waits
/// for the lock instead of failing with SQLITE_BUSY_SNAPSHOT.
#[tokio::test]
async fn concurrent_writers_wait_instead_of_failing() {
    let (_dir, store) = temp_store().await;
    let batches = {
        let store = store.clone();
        tokio::spawn(async move {
            for b in 0..40u32 {
                let batch: Vec<_> = (0..20)
                    .map(|i| scored(b * 100 + i, &["a"], Sentiment::Neutral))
                    .collect();
                store.insert_scored(&batch).await.unwrap();
            }
        })
    };
    let feeds = {
        let store = store.clone();
        tokio::spawn(async move {
            let t = DateTime::from_timestamp(1_750_000_000, 0).unwrap();
            for i in 0..200 {
                store
                    .feed_failure(&format!("f{}", i % 7), "timeout", "timed out", t)
                    .await
                    .unwrap();
            }
        })
    };
    batches.await.unwrap();
    feeds.await.unwrap();
    assert_eq!(store.article_count().await.unwrap(), 800);
}

#[tokio::test]
async fn the_checkpointer_copies_commits_into_the_database_file_behind_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let before = std::fs::metadata(&path).unwrap().len();
    // 4 MB of bodies: far past the 1,000 pages SQLite's own checkpoint
    // would wait for, far below the writer's backstop.
    let body = "kata ".repeat(400);
    for b in 0..20 {
        let batch: Vec<_> = (0..100)
            .map(|i| {
                let mut s = scored(b * 100 + i, &["a"], Sentiment::Neutral);
                s.article.body = body.clone();
                s
            })
            .collect();
        assert_eq!(store.insert_scored(&batch).await.unwrap().len(), 100);
    }
    // The writer never checkpoints below its backstop: only the
    // checkpointer thread moves the pages into the main file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let now = std::fs::metadata(&path).unwrap().len();
        if now > before + 2_000_000 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "database file still {now} bytes (was {before}): nothing checkpointed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(store.article_count().await.unwrap(), 2000);
}

on_both!(the_article_list_filters_pages_and_caps_text_counts);

/// The analysts' list: each filter narrows by itself (an override counts as
/// its new sentiment), pages run newest first, and a text search stops
/// counting at the cap.
async fn the_article_list_filters_pages_and_caps_text_counts(store: Store) {
    let mut batch = Vec::new();
    for n in 0..30u32 {
        let sentiment = Sentiment::ALL[(n % 3) as usize];
        let mut s = scored(n, &["k"], sentiment);
        s.article.media_type = if n % 2 == 0 {
            MediaType::Tv
        } else {
            MediaType::Radio
        };
        s.article.outlet = format!("Outlet {}", n % 5);
        if n % 10 == 0 {
            s.article.body = "Warga terdampak BANJIR menerima bantuan 100% tepat".into();
        }
        batch.push(s);
    }
    batch.push(scored(99, &["other"], Sentiment::Negative));
    store.insert_scored(&batch).await.unwrap();
    let page = |f: ArticleFilter| {
        let store = store.clone();
        async move { store.article_page(&f).await.unwrap() }
    };
    let base = ArticleFilter {
        entity: Some("k".into()),
        limit: 7,
        ..Default::default()
    };
    let (total, items) = page(base.clone()).await;
    assert_eq!(
        total,
        MatchCount {
            n: 30,
            capped: false
        }
    );
    assert_eq!(items.len(), 7);
    assert_eq!(items[0].title, "judul 29", "newest first");
    let (_, next) = page(ArticleFilter {
        offset: 7,
        ..base.clone()
    })
    .await;
    assert_eq!(next[0].title, "judul 22");

    let negative = ArticleFilter {
        sentiment: Some(Sentiment::Negative),
        ..base.clone()
    };
    let before = page(negative.clone()).await.0.n;
    let positive_id = batch[Sentiment::ALL
        .iter()
        .position(|s| *s == Sentiment::Positive)
        .unwrap()]
    .article
    .id
    .as_str()
    .to_owned();
    let t = DateTime::from_timestamp(1_760_000_000, 0).unwrap();
    store
        .set_override(&positive_id, "k", Sentiment::Negative, "Sari", "nada", t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page(negative).await.0.n, before + 1, "the override counts");

    let radio = page(ArticleFilter {
        media_type: Some(MediaType::Radio),
        outlet: Some("Outlet 1".into()),
        ..base.clone()
    })
    .await;
    // Odd n with n % 5 == 1: 1, 11, 21.
    assert_eq!(radio.0.n, 3);
    assert!(radio
        .1
        .iter()
        .all(|a| a.outlet == "Outlet 1" && a.media_type == MediaType::Radio));

    let window = page(ArticleFilter {
        from_ms: Some(1_700_000_010_000),
        to_ms: Some(1_700_000_020_000),
        ..base.clone()
    })
    .await;
    assert_eq!(window.0.n, 10, "from inclusive, to exclusive");

    // Case-insensitive substring; `%` is a literal, not a wildcard.
    let text = |t: &str| ArticleFilter {
        text: Some(t.into()),
        ..base.clone()
    };
    assert_eq!(
        page(text("banjir")).await.0,
        MatchCount {
            n: 3,
            capped: false
        }
    );
    assert_eq!(page(text("100%")).await.0.n, 3);
    assert_eq!(page(text("1%0")).await.0.n, 0);
    let everywhere = page(ArticleFilter {
        entity: None,
        ..base.clone()
    })
    .await;
    assert_eq!(everywhere.0.n, 31);

    // Past the cap a text search says "more than".
    let many: Vec<_> = (1000..1000 + TEXT_COUNT_CAP as u32 + 5)
        .map(|n| {
            let mut s = scored(n, &["k"], Sentiment::Neutral);
            s.article.title = format!("Bansos tahap {n}");
            s
        })
        .collect();
    for chunk in many.chunks(2000) {
        store.insert_scored(chunk).await.unwrap();
    }
    assert_eq!(
        page(text("bansos")).await.0,
        MatchCount {
            n: TEXT_COUNT_CAP,
            capped: true
        }
    );
    let all = page(base).await.0;
    assert_eq!(all.n, 30 + TEXT_COUNT_CAP + 5, "no text: exact");
}

async fn audit_samples_draw_once_record_verdicts_and_tally_by_stratum(store: Store) {
    use pantau_audit::{Stratum, Verdict};
    let sentiments = [
        Sentiment::Negative,
        Sentiment::Negative,
        Sentiment::Neutral,
        Sentiment::Neutral,
        Sentiment::Neutral,
        Sentiment::Positive,
    ];
    // The first neutral leaned negative; the other two did not.
    let scores = [-0.5, -0.5, -0.05, 0.0, 0.2, 0.5];
    let batch: Vec<_> = sentiments
        .iter()
        .zip(scores)
        .enumerate()
        .map(|(i, (s, score))| {
            let mut a = scored(i as u32 + 1, &["k"], *s);
            a.assessments[0].score = score;
            a
        })
        .collect();
    store.insert_scored(&batch).await.unwrap();
    // Event times are 1_700_000_001 … 006 s; the period holds them all.
    let (from, to) = (1_700_000_000_000, 1_700_000_010_000);
    let frame = store.audit_frame("k", from, to).await.unwrap();
    assert_eq!(frame.len(), 6);
    assert!(frame.windows(2).all(|w| w[0].0 < w[1].0), "by id");
    let frame_stratum = |id: &str| frame.iter().find(|f| f.0 == id).unwrap().1;
    assert_eq!(
        frame_stratum(batch[2].article.id.as_str()),
        Stratum::NeutralLeaningNegative
    );
    assert_eq!(
        frame_stratum(batch[3].article.id.as_str()),
        Stratum::Neutral
    );
    let id_of = |n: usize| batch[n].article.id.as_str().to_owned();
    let period = SamplePeriod {
        period: "2023-11".into(),
        from_ms: from,
        to_ms: to,
    };
    let t = DateTime::from_timestamp(1_760_000_000, 0).unwrap();
    let drawn = [
        (id_of(0), Stratum::Negative),
        (id_of(2), Stratum::NeutralLeaningNegative),
        (id_of(5), Stratum::Positive),
    ];
    store
        .add_audit_draw(&NewDraw {
            entity: "k",
            period: &period,
            seed: u64::MAX,
            at: t,
            items: &drawn,
        })
        .await
        .unwrap();
    // Drawn articles leave the frame; a second draw continues the order.
    let frame = store.audit_frame("k", from, to).await.unwrap();
    assert_eq!(frame.len(), 3);
    assert!(frame
        .iter()
        .all(|(id, _)| !drawn.iter().any(|d| &d.0 == id)));
    store
        .add_audit_draw(&NewDraw {
            entity: "k",
            period: &period,
            seed: 1,
            at: t,
            items: &[(id_of(3), Stratum::Neutral)],
        })
        .await
        .unwrap();
    let sample = store.audit_sample("k", "2023-11").await.unwrap();
    let order: Vec<(i64, &str)> = sample
        .iter()
        .map(|a| (a.seq, a.article_id.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            (0, drawn[0].0.as_str()),
            (1, &drawn[1].0),
            (2, &drawn[2].0),
            (3, &id_of(3))
        ]
    );
    assert!(sample.iter().all(|a| a.verdict.is_none()));
    assert_eq!(sample[0].classified, Sentiment::Negative);
    assert_eq!(sample[0].title, "judul 1");

    // Only sampled articles take a verdict.
    assert!(store
        .record_verdict(&id_of(1), "k", Verdict::Neutral, "Sari", "", t)
        .await
        .unwrap()
        .is_none());
    // A tone the classifier missed is an override with its audit entry …
    let r = store
        .record_verdict(&id_of(0), "k", Verdict::Neutral, "Sari", "berita netral", t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.period, "2023-11");
    let e = r.overridden.expect("negative → neutral overrides");
    assert_eq!((e.old, e.new), (Sentiment::Negative, Sentiment::Neutral));
    assert_eq!(store.audit_history(&id_of(0)).await.unwrap().len(), 1);
    // … a confirmed tone and a not-relevant verdict are not.
    let r = store
        .record_verdict(&id_of(2), "k", Verdict::Neutral, "Sari", "", t)
        .await
        .unwrap()
        .unwrap();
    assert!(r.overridden.is_none());
    let r = store
        .record_verdict(&id_of(5), "k", Verdict::NotRelevant, "Sari", "", t)
        .await
        .unwrap()
        .unwrap();
    assert!(r.overridden.is_none());
    // A second verdict replaces the first.
    let r = store
        .record_verdict(&id_of(2), "k", Verdict::Negative, "Budi", "dibaca ulang", t)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.previous, Some(Verdict::Neutral));

    let periods = store.audit_periods("k", from, to).await.unwrap();
    assert_eq!(periods, std::slice::from_ref(&period));
    assert!(store
        .audit_periods("k", to, to + 1)
        .await
        .unwrap()
        .is_empty());
    let strata = store.audit_strata("k", &period, from, to).await.unwrap();
    // Strata by the classifier's decision (which the override left
    // alone), the neutrals split by their lean.
    assert_eq!(strata.map(|s| s.stratum), Stratum::ALL);
    assert_eq!(strata[0].population, 2);
    assert_eq!((strata[0].sampled, strata[0].verdicts), (1, [0, 1, 0, 0]));
    assert_eq!((strata[1].population, strata[1].sampled), (1, 1));
    assert_eq!(strata[1].verdicts, [1, 0, 0, 0]);
    assert_eq!((strata[2].population, strata[2].sampled), (2, 1));
    assert_eq!(strata[2].verdicts, [0; 4], "drawn, not yet reviewed");
    assert_eq!(strata[3].verdicts, [0, 0, 0, 1]);
    // A report period that is part of the sample's sees only its part.
    let part = store
        .audit_strata("k", &period, from, 1_700_000_003_500)
        .await
        .unwrap();
    assert_eq!(
        part.iter().map(|s| s.population).collect::<Vec<_>>(),
        [2, 1, 0, 0]
    );
    // Tone verdicts are evaluation data; not-relevant ones are not.
    let labelled = store.labelled_overrides().await.unwrap();
    let labels: Vec<Sentiment> = labelled.iter().map(|l| l.1).collect();
    assert_eq!(labelled.len(), 2, "{labelled:?}");
    assert!(labels.contains(&Sentiment::Negative) && labels.contains(&Sentiment::Neutral));
}

on_both!(digests_are_kept_once_and_their_deliveries_retried_and_resent);

async fn digests_are_kept_once_and_their_deliveries_retried_and_resent(store: Store) {
    let batch = vec![
        scored(1, &["e"], Sentiment::Negative),
        scored(2, &["e"], Sentiment::Negative),
        scored(3, &["e"], Sentiment::Neutral),
        scored(4, &["other"], Sentiment::Negative),
    ];
    store.insert_scored(&batch).await.unwrap();
    let id2 = batch[1].article.id.as_str().to_owned();
    store
        .set_override(&id2, "e", Sentiment::Negative, "ani", "", Utc::now())
        .await
        .unwrap_err(); // already negative: a no-op is refused
    store
        .set_override(
            &id2,
            "e",
            Sentiment::Neutral,
            "ani",
            "bukan kritik",
            Utc::now(),
        )
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now().timestamp_millis();
    let new = store
        .new_articles("e", now - 60_000, now + 60_000, 0, 10)
        .await
        .unwrap();
    assert_eq!(
        (new.total, new.negative, new.unreviewed_negative),
        (3, 1, 1)
    );
    assert_eq!(new.negatives.len(), 1);
    assert_eq!(new.negatives[0].title, "judul 1");
    // Stored before the range: not new.
    let later = store
        .new_articles("e", now + 60_000, now + 120_000, 0, 10)
        .await
        .unwrap();
    assert_eq!(later.total, 0);

    let deliveries = vec![
        ("email".to_owned(), "kabiro@example.go.id".to_owned()),
        ("telegram".to_owned(), "-1001".to_owned()),
    ];
    let d = NewDigest {
        id: "e@2026-12-03T07:00",
        entity: "e",
        created_ms: 1_000,
        since_ms: 0,
        until_ms: 1_000,
        subject: "Kliping",
        text: "teks",
        html: "<p>teks</p>",
        telegram: "[\"teks\"]",
        payload: "{}",
        deliveries: &deliveries,
    };
    assert!(store.save_digest(&d).await.unwrap());
    assert!(
        !store.save_digest(&d).await.unwrap(),
        "one slot, one digest"
    );
    assert_eq!(store.last_digest_until("e").await.unwrap(), Some(1_000));
    assert_eq!(store.last_digest_until("other").await.unwrap(), None);
    let due = store.due_deliveries(1_000).await.unwrap();
    assert_eq!(due.len(), 2);
    assert!(store.due_deliveries(999).await.unwrap().is_empty());
    let (mail, chat) = (&due[0], &due[1]);
    assert_eq!(mail.channel, "email");
    assert!(store.claim_delivery(mail, 5_000).await.unwrap());
    assert!(
        !store.claim_delivery(mail, 5_000).await.unwrap(),
        "claimed once"
    );
    store
        .record_delivery(mail, &DeliveryOutcome::Sent(1_500))
        .await
        .unwrap();
    store
        .record_delivery(
            chat,
            &DeliveryOutcome::Retry {
                next_ms: 61_000,
                error: "connection refused".into(),
            },
        )
        .await
        .unwrap();
    assert!(store.due_deliveries(60_000).await.unwrap().is_empty());
    let again = store.due_deliveries(61_000).await.unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 1));
    store
        .record_delivery(&again[0], &DeliveryOutcome::Failed("HTTP 502".into()))
        .await
        .unwrap();
    let stored = store.digest("e@2026-12-03T07:00").await.unwrap().unwrap();
    let states: Vec<_> = (stored.deliveries.iter())
        .map(|d| (d.status.as_str(), d.attempts, d.last_error.as_deref()))
        .collect();
    assert_eq!(states, [("sent", 1, None), ("failed", 2, Some("HTTP 502"))]);
    assert_eq!(stored.html, "<p>teks</p>");
    // A resend retries what failed; `all` sends everything again.
    assert_eq!(
        store.resend_digest(&stored.id, false, 2_000).await.unwrap(),
        1
    );
    assert_eq!(
        store.due_deliveries(2_000).await.unwrap()[0].channel,
        "telegram"
    );
    assert_eq!(
        store.resend_digest(&stored.id, true, 2_000).await.unwrap(),
        2
    );
    assert!(store.digest("nope").await.unwrap().is_none());
    assert_eq!(store.digests(None, 10).await.unwrap().len(), 1);
}

on_both!(stories_and_issues_are_assigned_once_and_changed_with_an_audit_trail);

async fn stories_and_issues_are_assigned_once_and_changed_with_an_audit_trail(store: Store) {
    let batch = vec![
        scored(1, &["e"], Sentiment::Negative),
        scored(2, &["e"], Sentiment::Negative),
        scored(3, &["e", "f"], Sentiment::Neutral),
    ];
    store.insert_scored(&batch).await.unwrap();
    let id = |i: usize| batch[i].article.id.as_str().to_owned();
    let todo = store.unassigned_articles(0, 10).await.unwrap();
    assert_eq!(todo.len(), 3);
    assert_eq!(
        todo.iter().find(|a| a.id == id(2)).unwrap().entities,
        ["e", "f"]
    );
    assert_eq!(store.stories_cursor().await.unwrap(), None);
    let issue = |id: &str| IssueRow {
        entity: "e".into(),
        id: id.into(),
        label: format!("label {id}"),
        name: None,
        merged_into: None,
        state: "{}".into(),
        first_ms: 1,
        last_ms: 2,
    };
    store
        .save_assignments(&Assignments {
            stories: vec![(id(0), id(0)), (id(1), id(0)), (id(2), id(2))],
            story_issues: vec![
                ("e".into(), id(0), "e-1".into()),
                ("e".into(), id(2), "e-2".into()),
            ],
            issues: vec![issue("e-1"), issue("e-2")],
        })
        .await
        .unwrap();
    // Assigned once: a second round changes nothing.
    store
        .save_assignments(&Assignments {
            stories: vec![(id(1), id(1))],
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(store.unassigned_articles(0, 10).await.unwrap().is_empty());
    assert!(store.stories_cursor().await.unwrap().is_some());
    let mut copies = store.articles_of_story(&id(0)).await.unwrap();
    copies.sort();
    let mut want = vec![id(0), id(1)];
    want.sort();
    assert_eq!(copies, want);
    let rows = store.story_articles("e", i64::MIN, i64::MAX).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.issue.as_deref()
        == Some(if r.story.as_deref() == Some(&id(0)) {
            "e-1"
        } else {
            "e-2"
        })));
    // Rename, merge, move into a new issue, each audited.
    let change = |issue: &'static str, action: IssueAction<'static>| IssueChange {
        entity: "e",
        issue,
        action,
        by: "ani",
        at_ms: 5,
    };
    assert!(store
        .change_issue(&change("e-1", IssueAction::Rename("PBI")))
        .await
        .unwrap());
    assert!(store
        .change_issue(&change("e-2", IssueAction::MergeInto("e-1")))
        .await
        .unwrap());
    assert!(!store
        .change_issue(&change("e-9", IssueAction::MergeInto("e-1")))
        .await
        .unwrap());
    assert!(!store
        .change_issue(&change("e-1", IssueAction::MergeInto("e-1")))
        .await
        .unwrap());
    let story = Box::leak(id(2).into_boxed_str());
    assert!(store
        .change_issue(&change(
            "e-3",
            IssueAction::MoveStory {
                story,
                new_label: Some("Baru")
            }
        ))
        .await
        .unwrap());
    let issues = store.issue_rows("e").await.unwrap();
    let by: std::collections::HashMap<_, _> = issues.iter().map(|i| (i.id.as_str(), i)).collect();
    assert_eq!(by["e-1"].name.as_deref(), Some("PBI"));
    assert_eq!(by["e-2"].merged_into.as_deref(), Some("e-1"));
    assert_eq!(by["e-3"].name.as_deref(), Some("Baru"));
    let moved = store.story_articles("e", i64::MIN, i64::MAX).await.unwrap();
    assert_eq!(
        moved
            .iter()
            .find(|r| r.id == id(2))
            .unwrap()
            .issue
            .as_deref(),
        Some("e-3")
    );
    let audit = store.issue_audit("e").await.unwrap();
    let mut actions: Vec<_> = audit.iter().map(|a| a.3.as_str()).collect();
    actions.sort();
    assert_eq!(actions, ["merge", "move", "rename"]);
    // One override for every copy, one audit entry each.
    let entries = store
        .set_override_many(
            &copies,
            "e",
            Sentiment::Neutral,
            "ani",
            "satu cerita",
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    let again = store
        .set_override_many(
            &copies,
            "e",
            Sentiment::Neutral,
            "ani",
            "satu cerita",
            Utc::now(),
        )
        .await
        .unwrap();
    assert!(again.is_empty(), "no-ops are passed over");
}

async fn a_confirmation_reviews_without_changing_and_leaves_the_queue(store: Store) {
    let mut batch: Vec<ScoredArticle> = (0..4)
        .map(|n| scored(n, &["k"], Sentiment::Negative))
        .collect();
    // The most negative is the oldest: the queue's order shows.
    batch[0].assessments[0].score = -0.9;
    store.insert_scored(&batch).await.unwrap();
    let ids: Vec<String> = batch
        .iter()
        .map(|a| a.article.id.as_str().to_owned())
        .collect();
    let t = DateTime::from_timestamp(1_760_000_000, 0).unwrap();
    let queue = |order| ReviewFilter {
        unreviewed: true,
        order,
        limit: 10,
        ..Default::default()
    };
    let first = store
        .review_list(&queue(ArticleOrder::MostNegative))
        .await
        .unwrap();
    assert_eq!(first[0].article_id, ids[0], "most negative first");
    let newest = store
        .review_list(&queue(ArticleOrder::Newest))
        .await
        .unwrap();
    assert_eq!(newest[0].article_id, ids[3], "newest first");

    let e = store
        .confirm(&ids[3], "k", "Sari", "penilaian benar", t)
        .await
        .unwrap()
        .expect("the assessment exists");
    assert_eq!((e.old, e.new), (Sentiment::Negative, Sentiment::Negative));
    assert!(matches!(
        store.confirm(&ids[3], "k", "Budi", "sekali lagi", t).await,
        Err(StoreError::AlreadyReviewed { by }) if by == "Sari"
    ));
    assert!(store
        .confirm("nope", "k", "Sari", "x", t)
        .await
        .unwrap()
        .is_none());
    store
        .confirm(&ids[2], "k", "Sari", "penilaian benar", t)
        .await
        .unwrap()
        .expect("the assessment exists");

    let left = store
        .review_list(&queue(ArticleOrder::Newest))
        .await
        .unwrap();
    assert_eq!(
        left.iter()
            .map(|i| i.article_id.as_str())
            .collect::<Vec<_>>(),
        [ids[1].as_str(), ids[0].as_str()]
    );
    let page = store
        .article_page(&ArticleFilter {
            entity: Some("k".into()),
            unreviewed: true,
            order: ArticleOrder::MostNegative,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.0.n, 2);
    assert_eq!(page.1[0].article_id, ids[0]);
    let history = store.audit_history(&ids[3]).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].by, "Sari");
    // The effective sentiment is still the classifier's, and counted so.
    let negatives = store
        .review_list(&ReviewFilter {
            sentiment: Some(Sentiment::Negative),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(negatives.len(), 4);
}

on_both!(accounts_tokens_and_sessions_answer_only_while_enabled);
async fn accounts_tokens_and_sessions_answer_only_while_enabled(s: Store) {
    use pantau_accounts::Role;
    assert!(!s.has_accounts().await.unwrap());
    s.add_account("rina", Role::Analyst, "$argon2id$x", 1)
        .await
        .unwrap();
    s.add_account("budi", Role::Viewer, "$argon2id$y", 2)
        .await
        .unwrap();
    assert!(matches!(
        s.add_account("rina", Role::Admin, "$argon2id$z", 3).await,
        Err(StoreError::AccountExists(n)) if n == "rina"
    ));
    assert!(s.has_accounts().await.unwrap());
    s.add_token("rina", "tok-digest", "laptop", 4)
        .await
        .unwrap();
    let listed = s.accounts().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|a| (a.name.as_str(), a.role, a.tokens))
            .collect::<Vec<_>>(),
        [("budi", Role::Viewer, 0), ("rina", Role::Analyst, 1)]
    );
    let signed = s.token_account("tok-digest").await.unwrap().unwrap();
    assert_eq!(
        (signed.name.as_str(), signed.role, signed.csrf),
        ("rina", Role::Analyst, None)
    );
    assert_eq!(s.token_account("other").await.unwrap(), None);

    s.open_session("sess", "rina", "csrf-1", 10, 100)
        .await
        .unwrap();
    let live = s.session("sess", 50).await.unwrap().unwrap();
    assert_eq!(live.csrf.as_deref(), Some("csrf-1"));
    assert_eq!(s.session("sess", 100).await.unwrap(), None, "expired");

    // Disabled: no session, no token, credentials say so.
    assert!(s.set_disabled("rina", true, 60).await.unwrap());
    assert_eq!(s.session("sess", 50).await.unwrap(), None);
    assert_eq!(s.token_account("tok-digest").await.unwrap(), None);
    assert!(s.credentials("rina").await.unwrap().unwrap().disabled);
    assert!(s.set_disabled("rina", false, 61).await.unwrap());
    assert!(s.token_account("tok-digest").await.unwrap().is_some());
    assert_eq!(
        s.session("sess", 50).await.unwrap(),
        None,
        "disabling ended it"
    );
    assert!(!s.set_disabled("nobody", true, 62).await.unwrap());

    // A new password ends sessions; a closed session is gone.
    s.open_session("s2", "budi", "c2", 10, 1000).await.unwrap();
    assert!(s.set_password("budi", "$argon2id$new").await.unwrap());
    assert_eq!(s.session("s2", 20).await.unwrap(), None);
    assert_eq!(
        s.credentials("budi").await.unwrap().unwrap().password_hash,
        "$argon2id$new"
    );
    s.open_session("s3", "budi", "c3", 10, 1000).await.unwrap();
    s.close_session("s3").await.unwrap();
    assert_eq!(s.session("s3", 20).await.unwrap(), None);
    assert_eq!(s.revoke_tokens("rina").await.unwrap(), 1);
    assert_eq!(s.token_account("tok-digest").await.unwrap(), None);
    assert!(s.credentials("nobody").await.unwrap().is_none());
}

on_both!(the_entitys_own_channel_is_stored_and_listed_but_not_counted);
async fn the_entitys_own_channel_is_stored_and_listed_but_not_counted(s: Store) {
    let mut own = scored(1, &["k"], Sentiment::Negative);
    own.article.own_channel = true;
    own.article.outlet = "kemensos.go.id".into();
    let media = scored(2, &["k"], Sentiment::Negative);
    let counted = s.insert_scored(&[own.clone(), media]).await.unwrap();
    // Only the media's article moves the counters and the totals.
    assert_eq!(counted.len(), 1);
    assert_eq!(
        s.classified_totals()
            .await
            .unwrap()
            .iter()
            .map(|t| t.n)
            .sum::<u64>(),
        1
    );
    assert_eq!(s.counted().await.unwrap().len(), 1);
    let day = Bucketing {
        offset_ms: 0,
        size_ms: 86_400_000,
    };
    let c = s.period_counts("k", 0, i64::MAX, day).await.unwrap();
    assert_eq!(c.by_media.iter().map(|g| g.n).sum::<u64>(), 1);
    assert!(c.by_outlet.iter().all(|g| g.key != "kemensos.go.id"));
    let worst = s.most_negative("k", 0, i64::MAX, 10).await.unwrap();
    assert_eq!(worst.len(), 1);
    assert_ne!(worst[0].outlet, "kemensos.go.id");
    let mut sink = 0;
    s.effective_buckets("k", 1000, 0, i64::MAX, |_, _, _, n| sink += n)
        .await
        .unwrap();
    assert_eq!(sink, 1);
    // Still stored and listed.
    let (total, items) = s
        .article_page(&ArticleFilter {
            entity: Some("k".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(total.n, 2);
    assert!(items.iter().any(|i| i.outlet == "kemensos.go.id"));
    // A review of it is recorded, and says the counters stay as they are.
    let t = DateTime::from_timestamp(1_760_000_000, 0).unwrap();
    let e = s
        .set_override(
            own.article.id.as_str(),
            "k",
            Sentiment::Positive,
            "Sari",
            "rilis",
            t,
        )
        .await
        .unwrap()
        .unwrap();
    assert!(!e.counted);
    assert!(!s.audit_since(0).await.unwrap()[0].counted);
    // Not in the audit's population either.
    let pool = s.audit_frame("k", 0, i64::MAX).await.unwrap();
    assert_eq!(pool.len(), 1);
}
