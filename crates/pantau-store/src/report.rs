//! The rows a report of a period is built from.

use pantau_model::{MediaType, Sentiment};
use sqlx::Row;

use crate::{parse_col, Store, StoreError};

/// One assessment with its article, for reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Article id.
    pub article_id: String,
    /// Publication.
    pub outlet: String,
    /// Headline.
    pub title: String,
    /// Link, when it has one.
    pub url: Option<String>,
    /// Media type.
    pub media_type: MediaType,
    /// The classifier's decision.
    pub classified: Sentiment,
    /// Effective sentiment (override wins).
    pub effective: Sentiment,
    /// Whether an analyst overrode it.
    pub overridden: bool,
    /// Classifier score.
    pub score: f64,
    /// Event time, Unix ms.
    pub event_time_ms: i64,
    /// The explanation, JSON.
    pub explanation: String,
}

impl Store {
    /// The assessments of `entity` with event time in `[from_ms, to_ms)`,
    /// joined with their articles, for reports.
    pub async fn report_rows(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.outlet, a.title, a.url, s.media_type, s.sentiment, \
             COALESCE(s.override_sentiment, s.sentiment) AS eff, s.score, s.event_time, s.explanation, \
             s.override_by FROM assessments s JOIN articles a ON a.id = s.article_id \
             WHERE s.entity = $1 AND s.event_time >= $2 AND s.event_time < $3 ORDER BY s.event_time, a.id",
        )
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let by: Option<String> = r.try_get("override_by")?;
                Ok(ReportRow {
                    article_id: r.try_get("id")?,
                    outlet: r.try_get("outlet")?,
                    title: r.try_get("title")?,
                    url: r.try_get("url")?,
                    media_type: parse_col(r, "media_type")?,
                    classified: parse_col(r, "sentiment")?,
                    effective: parse_col(r, "eff")?,
                    overridden: by.is_some(),
                    score: r.try_get("score")?,
                    event_time_ms: r.try_get("event_time")?,
                    explanation: r.try_get("explanation")?,
                })
            })
            .collect()
    }
}
