-- Analyst overrides: every change is recorded here (who, when, old, new, why).
CREATE TABLE review_audit (
    id            TEXT PRIMARY KEY,     -- random, unique
    article_id    TEXT NOT NULL,
    entity        TEXT NOT NULL,
    at            BIGINT NOT NULL,      -- Unix ms
    by_whom       TEXT NOT NULL,
    old_sentiment TEXT NOT NULL,        -- effective sentiment before
    new_sentiment TEXT NOT NULL,
    reason        TEXT NOT NULL
);
CREATE INDEX review_audit_article ON review_audit (article_id, at);
CREATE INDEX review_audit_at ON review_audit (at);
