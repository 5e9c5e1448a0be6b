-- pantau store, version 1. Times are Unix milliseconds (UTC).

CREATE TABLE articles (
    id            TEXT PRIMARY KEY,      -- ArticleId: hash of canonical URL / GUID
    source        TEXT NOT NULL,         -- feed id, "push" or "import:<file>"
    outlet        TEXT NOT NULL,
    media_type    TEXT NOT NULL,         -- print | tv | radio | online | social
    url           TEXT,
    guid          TEXT,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    body          TEXT NOT NULL,
    published_at  BIGINT,                -- NULL when the source gave no usable date
    fetched_at    BIGINT NOT NULL,
    stored_at     BIGINT NOT NULL
);

-- One row per (article, entity): what the counters count.
CREATE TABLE assessments (
    article_id        TEXT NOT NULL REFERENCES articles(id),
    entity            TEXT NOT NULL,
    event_time        BIGINT NOT NULL,   -- published_at, else fetched_at
    media_type        TEXT NOT NULL,     -- copied from the article for counting
    sentiment         TEXT NOT NULL,     -- the classifier's decision
    score             DOUBLE PRECISION NOT NULL,
    relevance         TEXT NOT NULL,     -- why the article is about the entity
    explanation       TEXT NOT NULL,     -- JSON: matched terms and weights
    override_sentiment TEXT,             -- an analyst's correction, wins when set
    override_by       TEXT,
    override_at       BIGINT,
    override_reason   TEXT,
    PRIMARY KEY (article_id, entity)
);
CREATE INDEX assessments_entity_time ON assessments (entity, event_time);

-- Per-feed cursor and health.
CREATE TABLE feed_state (
    feed_id              TEXT PRIMARY KEY,
    etag                 TEXT,
    last_modified        TEXT,
    last_fetch_at        BIGINT,
    last_success_at      BIGINT,
    last_error           TEXT,
    last_error_kind      TEXT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    items_seen           BIGINT NOT NULL DEFAULT 0
);
