-- The audit samples: per entity and period, the articles drawn at random
-- (stratified by the classifier's decision) for analysts to review, and
-- their verdicts. An article is in at most one sample of an entity, and
-- the samples of an entity never overlap in time: each is its own
-- stratified sample of its own period.
CREATE TABLE audit_samples (
    entity         TEXT NOT NULL,
    article_id     TEXT NOT NULL,
    period         TEXT NOT NULL,     -- as drawn: 2026-11, 2026-Q4, 2026, FROM..TO
    period_from    BIGINT NOT NULL,   -- its bounds, Unix ms, [from, to)
    period_to      BIGINT NOT NULL,
    stratum        TEXT NOT NULL,     -- the classifier's decision when drawn
    seq            BIGINT NOT NULL,   -- the order to review in (random)
    seed           BIGINT NOT NULL,   -- the draw's seed
    drawn_at       BIGINT NOT NULL,
    verdict        TEXT,              -- negative | neutral | positive | not_relevant
    verdict_by     TEXT,
    verdict_at     BIGINT,
    verdict_reason TEXT,
    PRIMARY KEY (entity, article_id)
);
CREATE INDEX audit_samples_period ON audit_samples (entity, period_from, seq);
