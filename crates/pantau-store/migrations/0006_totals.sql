-- The classifier's running totals per entity, media type and sentiment,
-- kept by the write that inserts the assessments (same transaction): a
-- restart reads a handful of rows instead of grouping every assessment.
CREATE TABLE assessment_totals (
    entity TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sentiment TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (entity, media_type, sentiment)
);
INSERT INTO assessment_totals (entity, media_type, sentiment, n)
    SELECT entity, media_type, sentiment, COUNT(*) FROM assessments
    GROUP BY entity, media_type, sentiment;
