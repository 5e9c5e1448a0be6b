-- Satisfaction survey responses (SKM). Answers 1..4, NULL for a blank.
CREATE TABLE survey_responses (
    respondent_id TEXT PRIMARY KEY,
    unit          TEXT NOT NULL,
    response_date TEXT NOT NULL,       -- YYYY-MM-DD
    gender        TEXT,
    age           BIGINT,
    education     TEXT,
    occupation    TEXT,
    u1 BIGINT, u2 BIGINT, u3 BIGINT, u4 BIGINT, u5 BIGINT,
    u6 BIGINT, u7 BIGINT, u8 BIGINT, u9 BIGINT,
    source        TEXT NOT NULL,       -- "api" or "import:<file>"
    stored_at     BIGINT NOT NULL
);
CREATE INDEX survey_responses_unit_date ON survey_responses (unit, response_date);
