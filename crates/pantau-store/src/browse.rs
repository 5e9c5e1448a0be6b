//! The analysts' article list: filtered, paged assessments with their text
//! and explanation (the web page "Artikel" and `GET /api/v1/articles`).

use pantau_model::{MediaType, Sentiment};

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
    /// Only assessments nobody has reviewed (overridden or confirmed).
    pub unreviewed: bool,
    /// Which first.
    pub order: ArticleOrder,
    /// Page size.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// The order of a listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ArticleOrder {
    /// Newest first.
    #[default]
    Newest,
    /// Most negative classifier score first (the review queue's "what
    /// hurts the KPI most").
    MostNegative,
}

impl ArticleOrder {
    /// The `ORDER BY` of a query over `assessments s` and `articles a`.
    pub(crate) fn sql(self) -> &'static str {
        match self {
            ArticleOrder::Newest => "s.event_time DESC, a.id, s.entity",
            ArticleOrder::MostNegative => "s.score ASC, s.event_time DESC, a.id, s.entity",
        }
    }
}

impl std::str::FromStr for ArticleOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "newest" => Ok(ArticleOrder::Newest),
            "negative" => Ok(ArticleOrder::MostNegative),
            other => Err(format!(
                "unknown order {other:?}: expected newest or negative"
            )),
        }
    }
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
    /// From the entity's own channel: shown, not counted in the KPI.
    pub own_channel: bool,
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

/// Text searches stop counting here: a `LIKE` over every body of a large
/// store costs seconds, and "more than 10,000" is all a reader needs.
pub const TEXT_COUNT_CAP: i64 = 10_000;

/// How many rows match a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchCount {
    /// Rows counted: all of them, or [`TEXT_COUNT_CAP`] when `capped`.
    pub n: i64,
    /// More match than were counted (a text search past the cap).
    pub capped: bool,
}

/// A query's values, bound in the order of their `$N`.
enum Bind {
    Text(String),
    Int(i64),
}

/// The filter as SQL conditions, only those it sets, so the planner walks
/// the `(entity, event_time, …)` index instead of scanning every row (a
/// generic `$1 = '' OR …` hides the index from it).
fn conditions(f: &ArticleFilter) -> (String, Vec<Bind>) {
    let mut sql = vec![
        "s.event_time >= $1".to_owned(),
        "s.event_time < $2".to_owned(),
    ];
    let mut binds = vec![
        Bind::Int(f.from_ms.unwrap_or(i64::MIN)),
        Bind::Int(f.to_ms.unwrap_or(i64::MAX)),
    ];
    let mut add = |cond: &dyn Fn(usize) -> String, value: Bind| {
        binds.push(value);
        sql.push(cond(binds.len()));
    };
    if let Some(e) = &f.entity {
        add(&|n| format!("s.entity = ${n}"), Bind::Text(e.clone()));
    }
    if let Some(s) = f.sentiment {
        add(
            &|n| format!("COALESCE(s.override_sentiment, s.sentiment) = ${n}"),
            Bind::Text(s.as_str().into()),
        );
    }
    if let Some(m) = f.media_type {
        add(
            &|n| format!("s.media_type = ${n}"),
            Bind::Text(m.as_str().into()),
        );
    }
    if let Some(o) = &f.outlet {
        add(&|n| format!("s.outlet = ${n}"), Bind::Text(o.clone()));
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        add(
            &|n| {
                format!(
                    "(LOWER(a.title) LIKE ${n} ESCAPE '\\' OR LOWER(a.summary) LIKE ${n} ESCAPE '\\' \
                     OR LOWER(a.body) LIKE ${n} ESCAPE '\\')"
                )
            },
            Bind::Text(like_pattern(t)),
        );
    }
    if f.unreviewed {
        sql.push("s.override_by IS NULL".to_owned());
    }
    (sql.join(" AND "), binds)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_all<'q>(mut q: AnyQuery<'q>, binds: &'q [Bind]) -> AnyQuery<'q> {
    for b in binds {
        q = match b {
            Bind::Text(t) => q.bind(t.as_str()),
            Bind::Int(i) => q.bind(*i),
        };
    }
    q
}

impl Store {
    /// One page of assessments matching `f`, newest first, and how many match
    /// in all (a text search counts up to [`TEXT_COUNT_CAP`]).
    pub async fn article_page(
        &self,
        f: &ArticleFilter,
    ) -> Result<(MatchCount, Vec<ArticleDetail>), StoreError> {
        let (cond, binds) = conditions(f);
        let searching = f.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        let from = if searching {
            "FROM assessments s JOIN articles a ON a.id = s.article_id"
        } else {
            // Counting needs only the covering index.
            "FROM assessments s"
        };
        let count_sql = if searching {
            format!(
                "SELECT COUNT(*) AS n FROM (SELECT 1 {from} WHERE {cond} LIMIT {}) AS m",
                TEXT_COUNT_CAP + 1
            )
        } else {
            format!("SELECT COUNT(*) AS n {from} WHERE {cond}")
        };
        let counted: i64 = bind_all(sqlx::query(&count_sql), &binds)
            .fetch_one(&self.read)
            .await?
            .try_get("n")?;
        let total = MatchCount {
            n: if searching {
                counted.min(TEXT_COUNT_CAP)
            } else {
                counted
            },
            capped: searching && counted > TEXT_COUNT_CAP,
        };
        let page_sql = format!(
            "SELECT a.id, s.entity, a.title, a.summary, a.body, a.outlet, a.url, s.media_type, \
             s.event_time, s.sentiment, COALESCE(s.override_sentiment, s.sentiment) AS eff, s.score, \
             s.relevance, s.explanation, s.override_by, s.override_at, s.override_reason, \
             s.own_channel FROM assessments s JOIN articles a ON a.id = s.article_id WHERE {cond} \
             ORDER BY {} LIMIT {} OFFSET {}",
            f.order.sql(),
            f.limit.clamp(1, 500),
            f.offset.max(0)
        );
        let rows = bind_all(sqlx::query(&page_sql), &binds)
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
                    own_channel: r.try_get::<i64, _>("own_channel")? != 0,
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
