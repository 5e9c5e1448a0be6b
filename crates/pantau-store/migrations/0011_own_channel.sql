-- Items of the entity's own channels (the ministry's website, its accounts)
-- are stored and shown but not counted in the KPI, which is about coverage
-- by the media. The counts' covering index carries the flag, so excluding
-- them reads no row.
ALTER TABLE assessments ADD COLUMN own_channel INTEGER NOT NULL DEFAULT 0;
DROP INDEX assessments_counts;
CREATE INDEX assessments_counts
    ON assessments (entity, event_time, own_channel, media_type, sentiment, override_sentiment, outlet, score);
