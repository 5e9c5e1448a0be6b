-- Stories (copies of one news story across outlets) and issues (stories
-- about one matter, per entity). Assigned by a background task in the
-- order articles were stored; `stored_at` is its cursor.
CREATE INDEX articles_stored_at ON articles (stored_at);

CREATE TABLE article_stories (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id),
    story_id    TEXT NOT NULL          -- the story's first article
);
CREATE INDEX article_stories_story ON article_stories (story_id);

CREATE TABLE issues (
    entity       TEXT NOT NULL,
    id           TEXT NOT NULL,
    label        TEXT NOT NULL,        -- generated from its terms
    name         TEXT,                 -- an analyst's name for it, wins
    merged_into  TEXT,                 -- merged: its stories count there
    state        TEXT NOT NULL,        -- JSON: its terms, for a restart
    first_seen   BIGINT NOT NULL,
    last_seen    BIGINT NOT NULL,
    PRIMARY KEY (entity, id)
);

CREATE TABLE story_issues (
    entity    TEXT NOT NULL,
    story_id  TEXT NOT NULL,
    issue_id  TEXT NOT NULL,
    PRIMARY KEY (entity, story_id)
);
CREATE INDEX story_issues_issue ON story_issues (entity, issue_id);

-- Analysts' changes to issues: rename, merge, move a story.
CREATE TABLE issue_audit (
    id        TEXT PRIMARY KEY,
    entity    TEXT NOT NULL,
    issue_id  TEXT NOT NULL,
    at        BIGINT NOT NULL,
    by_whom   TEXT NOT NULL,
    action    TEXT NOT NULL,       -- rename | merge | move
    detail    TEXT NOT NULL
);
