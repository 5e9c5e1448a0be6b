//! Stories and issues: which story each article is a copy of, which issue
//! each story is about for each entity, the issues with analysts' names,
//! merges and moves (audited), and a period's articles with both.

use pantau_model::{MediaType, Sentiment};
use sqlx::Row;

use crate::{parse_col, Store, StoreError};

/// An article not yet assigned to a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unassigned {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Summary and body, the lead.
    pub lead: String,
    /// Stored, Unix ms (the cursor).
    pub stored_ms: i64,
    /// Published (else fetched), Unix ms.
    pub event_ms: i64,
    /// The entities it was assessed for.
    pub entities: Vec<String>,
}

/// A story's first article, for rebuilding the index at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownStory {
    /// Story id (its first article's id).
    pub story_id: String,
    /// Headline.
    pub title: String,
    /// Lead.
    pub lead: String,
    /// Its latest article's time, Unix ms.
    pub last_ms: i64,
}

/// An issue as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueRow {
    /// Entity.
    pub entity: String,
    /// Id.
    pub id: String,
    /// Generated label.
    pub label: String,
    /// An analyst's name, when given.
    pub name: Option<String>,
    /// The issue it was merged into.
    pub merged_into: Option<String>,
    /// Its terms (JSON), for a restart.
    pub state: String,
    /// First story, Unix ms.
    pub first_ms: i64,
    /// Latest story, Unix ms.
    pub last_ms: i64,
}

/// What one assignment round writes, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Assignments {
    /// (article, story).
    pub stories: Vec<(String, String)>,
    /// (entity, story, issue).
    pub story_issues: Vec<(String, String, String)>,
    /// Issues created or changed (label, state, times).
    pub issues: Vec<IssueRow>,
}

/// An article of a period with its story and issue.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryArticle {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Link.
    pub url: Option<String>,
    /// Publication.
    pub outlet: String,
    /// Media type.
    pub media_type: MediaType,
    /// Effective sentiment.
    pub sentiment: Sentiment,
    /// Event time, Unix ms.
    pub event_ms: i64,
    /// Its story (`None` until assigned).
    pub story: Option<String>,
    /// Its story's issue for the entity, as assigned (merges not applied).
    pub issue: Option<String>,
}

impl Store {
    /// Up to `limit` articles stored at or after `from_ms` that have no
    /// story yet, in the order they were stored.
    pub async fn unassigned_articles(
        &self,
        from_ms: i64,
        limit: i64,
    ) -> Result<Vec<Unassigned>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.title, a.summary, a.body, a.stored_at, \
             COALESCE(a.published_at, a.fetched_at) AS event_at FROM articles a \
             LEFT JOIN article_stories st ON st.article_id = a.id \
             WHERE a.stored_at >= $1 AND st.article_id IS NULL ORDER BY a.stored_at, a.id LIMIT $2",
        )
        .bind(from_ms)
        .bind(limit.max(1))
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<Unassigned> = rows
            .iter()
            .map(|r| {
                let summary: String = r.try_get("summary")?;
                let body: String = r.try_get("body")?;
                Ok(Unassigned {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    lead: if body.len() > summary.len() {
                        body
                    } else {
                        summary
                    },
                    stored_ms: r.try_get("stored_at")?,
                    event_ms: r.try_get("event_at")?,
                    entities: Vec::new(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        // The batch's entities in one query per 500 articles, not one per article.
        let mut entities: std::collections::HashMap<String, Vec<String>> = Default::default();
        for chunk in out.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT article_id, entity FROM assessments WHERE article_id IN ({}) \
                 ORDER BY article_id, entity",
                marks.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for a in chunk {
                query = query.bind(&a.id);
            }
            for r in query.fetch_all(&self.pool).await? {
                entities
                    .entry(r.try_get("article_id")?)
                    .or_default()
                    .push(r.try_get("entity")?);
            }
        }
        for a in &mut out {
            a.entities = entities.remove(&a.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// The stories founded at or after `from_ms` (by storing time), their
    /// first article's text: the index's rebuild after a restart.
    pub async fn known_stories(&self, from_ms: i64) -> Result<Vec<KnownStory>, StoreError> {
        let rows = sqlx::query(
            "SELECT st.story_id, a.title, a.summary, a.body, \
             COALESCE(a.published_at, a.fetched_at) AS event_at FROM article_stories st \
             JOIN articles a ON a.id = st.article_id \
             WHERE st.story_id = st.article_id AND a.stored_at >= $1 ORDER BY a.stored_at, a.id",
        )
        .bind(from_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let summary: String = r.try_get("summary")?;
                let body: String = r.try_get("body")?;
                Ok(KnownStory {
                    story_id: r.try_get("story_id")?,
                    title: r.try_get("title")?,
                    lead: if body.len() > summary.len() {
                        body
                    } else {
                        summary
                    },
                    last_ms: r.try_get("event_at")?,
                })
            })
            .collect()
    }

    /// The latest storing time of an assigned article: where assignment
    /// resumes.
    pub async fn stories_cursor(&self) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query(
            "SELECT MAX(a.stored_at) AS m FROM article_stories st JOIN articles a ON a.id = st.article_id",
        )
        .fetch_one(&self.pool)
        .await?
        .try_get("m")?)
    }

    /// Writes one round of assignments in one transaction (an article
    /// already assigned keeps its story).
    pub async fn save_assignments(&self, a: &Assignments) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        for (article, story) in &a.stories {
            sqlx::query(
                "INSERT INTO article_stories (article_id, story_id) VALUES ($1, $2) \
                 ON CONFLICT (article_id) DO NOTHING",
            )
            .bind(article)
            .bind(story)
            .execute(&mut *tx)
            .await?;
        }
        for (entity, story, issue) in &a.story_issues {
            sqlx::query(
                "INSERT INTO story_issues (entity, story_id, issue_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (entity, story_id) DO NOTHING",
            )
            .bind(entity)
            .bind(story)
            .bind(issue)
            .execute(&mut *tx)
            .await?;
        }
        for i in &a.issues {
            sqlx::query(
                "INSERT INTO issues (entity, id, label, state, first_seen, last_seen) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (entity, id) DO UPDATE SET \
                 label = excluded.label, state = excluded.state, \
                 first_seen = excluded.first_seen, last_seen = excluded.last_seen",
            )
            .bind(&i.entity)
            .bind(&i.id)
            .bind(&i.label)
            .bind(&i.state)
            .bind(i.first_ms)
            .bind(i.last_ms)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The issues of `entity`.
    pub async fn issue_rows(&self, entity: &str) -> Result<Vec<IssueRow>, StoreError> {
        let rows = sqlx::query("SELECT * FROM issues WHERE entity = $1 ORDER BY first_seen, id")
            .bind(entity)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(IssueRow {
                    entity: r.try_get("entity")?,
                    id: r.try_get("id")?,
                    label: r.try_get("label")?,
                    name: r.try_get("name")?,
                    merged_into: r.try_get("merged_into")?,
                    state: r.try_get("state")?,
                    first_ms: r.try_get("first_seen")?,
                    last_ms: r.try_get("last_seen")?,
                })
            })
            .collect()
    }

    /// The articles of `entity` in `[from_ms, to_ms)` with their stories
    /// and issues, oldest first.
    pub async fn story_articles(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<StoryArticle>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.article_id, a.title, a.url, a.outlet, s.media_type, \
             COALESCE(s.override_sentiment, s.sentiment) AS eff, s.event_time, st.story_id, si.issue_id \
             FROM assessments s JOIN articles a ON a.id = s.article_id \
             LEFT JOIN article_stories st ON st.article_id = s.article_id \
             LEFT JOIN story_issues si ON si.entity = s.entity AND si.story_id = st.story_id \
             WHERE s.entity = $1 AND s.event_time >= $2 AND s.event_time < $3 \
             AND s.own_channel = 0 ORDER BY s.event_time, s.article_id",
        )
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoryArticle {
                    id: r.try_get("article_id")?,
                    title: r.try_get("title")?,
                    url: r.try_get("url")?,
                    outlet: r.try_get("outlet")?,
                    media_type: parse_col(r, "media_type")?,
                    sentiment: parse_col(r, "eff")?,
                    event_ms: r.try_get("event_time")?,
                    story: r.try_get("story_id")?,
                    issue: r.try_get("issue_id")?,
                })
            })
            .collect()
    }

    /// Per issue (as assigned, merges not applied) and effective
    /// sentiment: the articles and stories of `entity` in `[from_ms,
    /// to_ms)`. Grouped in SQL: no article text is read.
    pub async fn issue_counts(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<(String, Sentiment, u64, u64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT si.issue_id, COALESCE(s.override_sentiment, s.sentiment) AS eff, \
             COUNT(*) AS n, COUNT(DISTINCT st.story_id) AS stories FROM assessments s \
             JOIN article_stories st ON st.article_id = s.article_id \
             JOIN story_issues si ON si.entity = s.entity AND si.story_id = st.story_id \
             WHERE s.entity = $1 AND s.event_time >= $2 AND s.event_time < $3 \
             AND s.own_channel = 0 GROUP BY si.issue_id, COALESCE(s.override_sentiment, s.sentiment)",
        )
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("issue_id")?,
                    parse_col(r, "eff")?,
                    r.try_get::<i64, _>("n")?.max(0) as u64,
                    r.try_get::<i64, _>("stories")?.max(0) as u64,
                ))
            })
            .collect()
    }

    /// The articles of one story.
    pub async fn articles_of_story(&self, story: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT article_id FROM article_stories WHERE story_id = $1 ORDER BY article_id",
        )
        .bind(story)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("article_id")?)).collect()
    }

    /// The story of one article.
    pub async fn story_of(&self, article: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query("SELECT story_id FROM article_stories WHERE article_id = $1")
                .bind(article)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| r.try_get("story_id"))
                .transpose()?,
        )
    }

    /// An analyst's change to an issue, with its audit entry, in one
    /// transaction: `rename` (name = detail), `merge` (into = detail), or
    /// `move` a story (detail = story id) to the issue `target` (created
    /// when it does not exist, for a split). `Ok(false)` when the issue
    /// (or the story) does not exist.
    pub async fn change_issue(&self, change: &IssueChange<'_>) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let exists = |id: &str| {
            sqlx::query("SELECT id FROM issues WHERE entity = $1 AND id = $2")
                .bind(change.entity.to_owned())
                .bind(id.to_owned())
        };
        if let IssueAction::MoveStory {
            new_label: Some(label),
            ..
        } = change.action
        {
            sqlx::query(
                "INSERT INTO issues (entity, id, label, name, state, first_seen, last_seen) \
                 VALUES ($1, $2, $3, $3, '{}', $4, $4) ON CONFLICT (entity, id) DO NOTHING",
            )
            .bind(change.entity)
            .bind(change.issue)
            .bind(label)
            .bind(change.at_ms)
            .execute(&mut *tx)
            .await?;
        }
        if exists(change.issue)
            .fetch_optional(&mut *tx)
            .await?
            .is_none()
        {
            return Ok(false);
        }
        let (action, detail) = match change.action {
            IssueAction::Rename(name) => {
                sqlx::query("UPDATE issues SET name = $1 WHERE entity = $2 AND id = $3")
                    .bind(name)
                    .bind(change.entity)
                    .bind(change.issue)
                    .execute(&mut *tx)
                    .await?;
                ("rename", name.to_owned())
            }
            IssueAction::MergeInto(into) => {
                if exists(into).fetch_optional(&mut *tx).await?.is_none() || into == change.issue {
                    return Ok(false);
                }
                sqlx::query("UPDATE issues SET merged_into = $1 WHERE entity = $2 AND (id = $3 OR merged_into = $3)")
                    .bind(into)
                    .bind(change.entity)
                    .bind(change.issue)
                    .execute(&mut *tx)
                    .await?;
                ("merge", format!("into {into}"))
            }
            IssueAction::MoveStory { story, .. } => {
                let moved = sqlx::query(
                    "UPDATE story_issues SET issue_id = $1 WHERE entity = $2 AND story_id = $3",
                )
                .bind(change.issue)
                .bind(change.entity)
                .bind(story)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if moved == 0 {
                    return Ok(false);
                }
                ("move", format!("story {story}"))
            }
        };
        sqlx::query(
            "INSERT INTO issue_audit (id, entity, issue_id, at, by_whom, action, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(crate::review::audit_id())
        .bind(change.entity)
        .bind(change.issue)
        .bind(change.at_ms)
        .bind(change.by)
        .bind(action)
        .bind(&detail)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The audit trail of an entity's issues, oldest first: (issue, at,
    /// by, action, detail).
    pub async fn issue_audit(
        &self,
        entity: &str,
    ) -> Result<Vec<(String, i64, String, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT issue_id, at, by_whom, action, detail FROM issue_audit WHERE entity = $1 ORDER BY at, id",
        )
        .bind(entity)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("issue_id")?,
                    r.try_get("at")?,
                    r.try_get("by_whom")?,
                    r.try_get("action")?,
                    r.try_get("detail")?,
                ))
            })
            .collect()
    }
}

/// An analyst's change to an issue.
#[derive(Debug, Clone)]
pub struct IssueChange<'a> {
    /// Entity.
    pub entity: &'a str,
    /// The issue changed (for a move: the issue the story goes to).
    pub issue: &'a str,
    /// What.
    pub action: IssueAction<'a>,
    /// Who.
    pub by: &'a str,
    /// When, Unix ms.
    pub at_ms: i64,
}

/// The change.
#[derive(Debug, Clone)]
pub enum IssueAction<'a> {
    /// Give it a name.
    Rename(&'a str),
    /// Count its stories in another issue.
    MergeInto(&'a str),
    /// Move a story here; `new_label` creates this issue first (a split).
    MoveStory {
        /// The story.
        story: &'a str,
        /// The new issue's name, when it is new.
        new_label: Option<&'a str>,
    },
}
