-- Every key under which an article is known (its id, its GUID within its
-- outlet, the outlet's article number in its link): an item sharing any key
-- with a stored article is that article, not a new one.
CREATE TABLE article_keys (
    key        TEXT PRIMARY KEY,
    article_id TEXT NOT NULL
);
-- Articles stored before this table existed are known by their id.
INSERT INTO article_keys (key, article_id) SELECT id, id FROM articles;
