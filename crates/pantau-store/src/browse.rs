//! The analysts' article list: filtered, paged assessments with their text
//! and explanation (the web page "Artikel" and `GET /api/v1/articles`).

use pantau_model::{MediaType, Sentiment};
use std::sync::LazyLock;

use sqlx::Row;

use crate::{parse_col, Store, StoreError};

/// Filters of the article list; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Only this entity.
    pub entity: Option<String>,
    /// Only this effective sentiment (an override wins).
    pub sentiment: Option<Sentiment>,
    /// Only this media type.
    pub media_type: Option<MediaType>,
    /// Only this outlet (exact).
    pub outlet: Option<String>,
    /// Event time at or after, Unix ms.
    pub from_ms: Option<i64>,
    /// Event time before, Unix ms.
    pub to_ms: Option<i64>,
    /// Words that must occur (case-insensitively) in the headline, summary
    /// or body.
    pub text: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// One assessment with everything needed to show and review it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleDetail {
    /// Article id.
    pub article_id: String,
    /// Entity.
    pub entity: String,
    /// Headline.
    pub title: String,
    /// Summary as ingested.
    pub summary: String,
    /// Body as ingested.
    pub body: String,
    /// Publication.
    pub outlet: String,
    /// Link.
    pub url: Option<String>,
    /// Media type.
    pub media_type: MediaType,
    /// Event time, Unix ms.
    pub event_time_ms: i64,
    /// The classifier's decision.
    pub classified: Sentiment,
    /// Effective sentiment.
    pub effective: Sentiment,
    /// Classifier score.
    pub score: f64,
    /// Why the article is about the entity.
    pub relevance: String,
    /// The explanation, JSON.
    pub explanation: String,
    /// The override: who, when (Unix ms), why.
    pub override_by: Option<String>,
    /// When it was overridden.
    pub override_at_ms: Option<i64>,
    /// Why.
    pub override_reason: Option<String>,
}

/// `LIKE` pattern for a literal substring, lower-cased (`\` escapes).
fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

const WHERE: &str = "($1 = '' OR s.entity = $1) \
     AND ($2 = '' OR COALESCE(s.override_sentiment, s.sentiment) = $2) \
     AND ($3 = '' OR s.media_type = $3) AND ($4 = '' OR a.outlet = $4) \
     AND s.event_time >= $5 AND s.event_time < $6 \
     AND ($7 = '' OR LOWER(a.title) LIKE $7 ESCAPE '\\' OR LOWER(a.summary) LIKE $7 ESCAPE '\\' \
          OR LOWER(a.body) LIKE $7 ESCAPE '\\')";

static COUNT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT COUNT(*) AS n FROM assessments s JOIN articles a ON a.id = s.article_id WHERE {WHERE}")
});

static PAGE_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT a.id, s.entity, a.title, a.summary, a.body, a.outlet, a.url, s.media_type, \
         s.event_time, s.sentiment, COALESCE(s.override_sentiment, s.sentiment) AS eff, s.score, \
         s.relevance, s.explanation, s.override_by, s.override_at, s.override_reason \
         FROM assessments s JOIN articles a ON a.id = s.article_id WHERE {WHERE} \
         ORDER BY s.event_time DESC, a.id, s.entity LIMIT $8 OFFSET $9"
    )
});

impl Store {
    /// One page of assessments matching `f`, newest first, and how many match
    /// in all.
    pub async fn article_page(
        &self,
        f: &ArticleFilter,
    ) -> Result<(i64, Vec<ArticleDetail>), StoreError> {
        let pattern = f
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(like_pattern)
            .unwrap_or_default();
        let binds =
            |q: sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments<'static>>| {
                q.bind(f.entity.clone().unwrap_or_default())
                    .bind(f.sentiment.map_or("", Sentiment::as_str).to_owned())
                    .bind(f.media_type.map_or("", MediaType::as_str).to_owned())
                    .bind(f.outlet.clone().unwrap_or_default())
                    .bind(f.from_ms.unwrap_or(i64::MIN))
                    .bind(f.to_ms.unwrap_or(i64::MAX))
                    .bind(pattern.clone())
            };
        let total: i64 = binds(sqlx::query(COUNT_SQL.as_str()))
            .fetch_one(&self.read)
            .await?
            .try_get("n")?;
        let rows = binds(sqlx::query(PAGE_SQL.as_str()))
            .bind(f.limit.clamp(1, 500))
            .bind(f.offset.max(0))
            .fetch_all(&self.read)
            .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(ArticleDetail {
                    article_id: r.try_get("id")?,
                    entity: r.try_get("entity")?,
                    title: r.try_get("title")?,
                    summary: r.try_get("summary")?,
                    body: r.try_get("body")?,
                    outlet: r.try_get("outlet")?,
                    url: r.try_get("url")?,
                    media_type: parse_col(r, "media_type")?,
                    event_time_ms: r.try_get("event_time")?,
                    classified: parse_col(r, "sentiment")?,
                    effective: parse_col(r, "eff")?,
                    score: r.try_get("score")?,
                    relevance: r.try_get("relevance")?,
                    explanation: r.try_get("explanation")?,
                    override_by: r.try_get("override_by")?,
                    override_at_ms: r.try_get("override_at")?,
                    override_reason: r.try_get("override_reason")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((total, items))
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_pattern_escapes_wildcards_and_lowercases() {
        assert_eq!(like_pattern("Bansos"), "%bansos%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
