-- Reads by aggregate SQL: reports, the overview and the counters' rebuild
-- count assessments by time, media type, outlet and sentiment from one
-- covering index, never touching the rows (and their explanations).
ALTER TABLE assessments ADD COLUMN outlet TEXT;
UPDATE assessments SET outlet = (SELECT a.outlet FROM articles a WHERE a.id = assessments.article_id);
DROP INDEX assessments_entity_time;
CREATE INDEX assessments_counts
    ON assessments (entity, event_time, media_type, sentiment, override_sentiment, outlet, score);
