-- The clippings (digests): each as it was sent, so it can be read again
-- and re-sent, and its deliveries, one per recipient, with their state.
-- A scheduled digest's id names its entity and slot, so a restart never
-- sends one slot twice.
CREATE TABLE digests (
    id          TEXT PRIMARY KEY,
    entity      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    since_at    BIGINT NOT NULL,     -- new articles: stored in [since_at, until_at)
    until_at    BIGINT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    telegram    TEXT NOT NULL,       -- JSON array of messages
    payload     TEXT NOT NULL        -- the JSON webhook's body
);
CREATE INDEX digests_entity_until ON digests (entity, until_at);

CREATE TABLE digest_deliveries (
    digest_id   TEXT NOT NULL REFERENCES digests(id),
    channel     TEXT NOT NULL,       -- email | telegram | webhook
    target      TEXT NOT NULL,       -- the address, chat id or URL
    status      TEXT NOT NULL,       -- pending | sent | failed
    attempts    BIGINT NOT NULL DEFAULT 0,
    next_at     BIGINT,              -- pending: when to try next
    last_error  TEXT,
    sent_at     BIGINT,
    PRIMARY KEY (digest_id, channel, target)
);
CREATE INDEX digest_deliveries_due ON digest_deliveries (status, next_at);
