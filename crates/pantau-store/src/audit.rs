//! The audit samples: the random draws analysts review, their verdicts,
//! and the tallies the audited estimate is computed from.

use chrono::{DateTime, Utc};
use pantau_audit::{Stratum, StratumReviews, Verdict};
use pantau_model::{MediaType, Sentiment};
use sqlx::Row;

use crate::review::{apply_override, AuditEntry};
use crate::{ms, parse_col, Store, StoreError};

/// A period that has an audit sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamplePeriod {
    /// As drawn (`2026-11`, `2026-Q4`, …).
    pub period: String,
    /// Its bounds, Unix ms, `[from, to)`.
    pub from_ms: i64,
    /// End, exclusive.
    pub to_ms: i64,
}

/// One article of an audit sample.
#[derive(Debug, Clone, PartialEq)]
pub struct SampledArticle {
    /// Article id.
    pub article_id: String,
    /// Position in the review order.
    pub seq: i64,
    /// Headline.
    pub title: String,
    /// Link.
    pub url: Option<String>,
    /// Publication.
    pub outlet: String,
    /// Media type.
    pub media_type: MediaType,
    /// Event time (publication), Unix ms.
    pub event_time_ms: i64,
    /// The classifier's decision: the stratum.
    pub classified: Sentiment,
    /// The analyst's verdict, once given.
    pub verdict: Option<Verdict>,
    /// Who gave it.
    pub verdict_by: Option<String>,
}

/// A new draw to record.
#[derive(Debug, Clone)]
pub struct NewDraw<'a> {
    /// Entity.
    pub entity: &'a str,
    /// The sample's period.
    pub period: &'a SamplePeriod,
    /// The draw's seed.
    pub seed: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// The drawn articles with their stratum, in review order.
    pub items: &'a [(String, Stratum)],
}

/// What recording a verdict did.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictRecorded {
    /// The sample's period.
    pub period: String,
    /// The verdict it replaced, if the article had one.
    pub previous: Option<Verdict>,
    /// The override it made (a tone verdict that differs from the
    /// article's effective sentiment), with its audit-trail entry.
    pub overridden: Option<AuditEntry>,
}

impl Store {
    /// The sample periods of `entity` that overlap `[from_ms, to_ms)`,
    /// earliest first.
    pub async fn audit_periods(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<SamplePeriod>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT period, period_from, period_to FROM audit_samples \
             WHERE entity = $1 AND period_from < $3 AND period_to > $2 ORDER BY period_from",
        )
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SamplePeriod {
                    period: r.try_get("period")?,
                    from_ms: r.try_get("period_from")?,
                    to_ms: r.try_get("period_to")?,
                })
            })
            .collect()
    }

    /// The sampling frame of a draw: the period's assessments not yet in
    /// any sample, with their stratum, by article id (a stable order, so
    /// a seed reproduces the draw).
    pub async fn audit_frame(
        &self,
        entity: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<(String, Stratum)>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.article_id, a.sentiment, a.score FROM assessments a LEFT JOIN audit_samples s \
             ON s.entity = a.entity AND s.article_id = a.article_id \
             WHERE a.entity = $1 AND a.event_time >= $2 AND a.event_time < $3 AND a.own_channel = 0 \
             AND s.article_id IS NULL \
             ORDER BY a.article_id",
        )
        .bind(entity)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let stratum = Stratum::of(parse_col(r, "sentiment")?, r.try_get("score")?);
                Ok((r.try_get("article_id")?, stratum))
            })
            .collect()
    }

    /// Adds a draw to its period's sample, in one transaction, after the
    /// period's earlier draws in review order.
    pub async fn add_audit_draw(&self, d: &NewDraw<'_>) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let last: Option<i64> = sqlx::query(
            "SELECT MAX(seq) AS m FROM audit_samples WHERE entity = $1 AND period = $2",
        )
        .bind(d.entity)
        .bind(&d.period.period)
        .fetch_one(&mut *tx)
        .await?
        .try_get("m")?;
        let first = last.map_or(0, |m| m + 1);
        for (i, (id, stratum)) in d.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO audit_samples (entity, article_id, period, period_from, period_to, \
                 stratum, seq, seed, drawn_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
            )
            .bind(d.entity)
            .bind(id)
            .bind(&d.period.period)
            .bind(d.period.from_ms)
            .bind(d.period.to_ms)
            .bind(stratum.as_str())
            .bind(first + i as i64)
            // Stored as its bits: BIGINT is signed.
            .bind(d.seed as i64)
            .bind(ms(d.at))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A period's sample in review order, with each article's verdict.
    pub async fn audit_sample(
        &self,
        entity: &str,
        period: &str,
    ) -> Result<Vec<SampledArticle>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.article_id, s.seq, s.verdict, s.verdict_by, a.title, a.url, a.outlet, \
             x.media_type, x.event_time, x.sentiment FROM audit_samples s \
             JOIN assessments x ON x.entity = s.entity AND x.article_id = s.article_id \
             JOIN articles a ON a.id = s.article_id \
             WHERE s.entity = $1 AND s.period = $2 ORDER BY s.seq",
        )
        .bind(entity)
        .bind(period)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let verdict: Option<String> = r.try_get("verdict")?;
                Ok(SampledArticle {
                    article_id: r.try_get("article_id")?,
                    seq: r.try_get("seq")?,
                    title: r.try_get("title")?,
                    url: r.try_get("url")?,
                    outlet: r.try_get("outlet")?,
                    media_type: parse_col(r, "media_type")?,
                    event_time_ms: r.try_get("event_time")?,
                    classified: parse_col(r, "sentiment")?,
                    verdict: verdict
                        .map(|v| v.parse().map_err(|e| StoreError::Corrupt(format!("{e}"))))
                        .transpose()?,
                    verdict_by: r.try_get("verdict_by")?,
                })
            })
            .collect()
    }

    /// Records an analyst's verdict on a sampled article, in one
    /// transaction with what follows from it: a tone that differs from
    /// the article's effective sentiment is also an override, with its
    /// audit-trail entry. `Ok(None)` when the article is in no sample of
    /// the entity. A later verdict replaces an earlier one.
    pub async fn record_verdict(
        &self,
        article_id: &str,
        entity: &str,
        verdict: Verdict,
        by: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<VerdictRecorded>, StoreError> {
        let mut tx = self.write_tx().await?;
        let Some(row) = sqlx::query(
            "SELECT s.period, s.verdict, COALESCE(x.override_sentiment, x.sentiment) AS eff \
             FROM audit_samples s JOIN assessments x ON x.entity = s.entity AND x.article_id = s.article_id \
             WHERE s.entity = $1 AND s.article_id = $2",
        )
        .bind(entity)
        .bind(article_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let period: String = row.try_get("period")?;
        let previous: Option<String> = row.try_get("verdict")?;
        let effective: Sentiment = parse_col(&row, "eff")?;
        sqlx::query(
            "UPDATE audit_samples SET verdict = $1, verdict_by = $2, verdict_at = $3, verdict_reason = $4 \
             WHERE entity = $5 AND article_id = $6",
        )
        .bind(verdict.as_str())
        .bind(by)
        .bind(ms(at))
        .bind(reason)
        .bind(entity)
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
        let overridden = match verdict.sentiment() {
            Some(s) if s != effective => {
                let why = if reason.is_empty() {
                    "audit verdict".to_owned()
                } else {
                    format!("audit verdict: {reason}")
                };
                apply_override(&mut tx, article_id, entity, s, by, &why, at).await?
            }
            _ => None,
        };
        tx.commit().await?;
        Ok(Some(VerdictRecorded {
            period,
            previous: previous.and_then(|v| v.parse().ok()),
            overridden,
        }))
    }

    /// The tallies of one sample period's strata within `[from_ms, to_ms)`
    /// (the report's period, which may be part of the sample's), in
    /// [`Stratum::ALL`]'s order: the population by stratum (the
    /// classifier's decision and, for neutrals, whether the score leaned
    /// negative), how many of it were drawn, and their verdicts. Reviews
    /// are tallied by the article's stratum today, so a sample drawn
    /// before the neutrals were split is post-stratified into both halves.
    pub async fn audit_strata(
        &self,
        entity: &str,
        sample: &SamplePeriod,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<[StratumReviews; 4], StoreError> {
        let (from, to) = (from_ms.max(sample.from_ms), to_ms.min(sample.to_ms));
        let mut out = Stratum::ALL.map(|stratum| StratumReviews {
            stratum,
            population: 0,
            sampled: 0,
            verdicts: [0; 4],
        });
        let stratum_of = |r: &sqlx::any::AnyRow| -> Result<usize, StoreError> {
            let leaning: i64 = r.try_get("leaning")?;
            let lean = if leaning != 0 { -1.0 } else { 0.0 };
            Ok(Stratum::of(parse_col(r, "sentiment")?, lean).index())
        };
        let population = sqlx::query(
            "SELECT sentiment, CAST(CASE WHEN score < 0 THEN 1 ELSE 0 END AS BIGINT) AS leaning, COUNT(*) AS n \
             FROM assessments \
             WHERE entity = $1 AND event_time >= $2 AND event_time < $3 AND own_channel = 0 \
             GROUP BY sentiment, CASE WHEN score < 0 THEN 1 ELSE 0 END",
        )
        .bind(entity)
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await?;
        for r in &population {
            out[stratum_of(r)?].population += r.try_get::<i64, _>("n")?.max(0) as u64;
        }
        let reviews = sqlx::query(
            "SELECT x.sentiment, CAST(CASE WHEN x.score < 0 THEN 1 ELSE 0 END AS BIGINT) AS leaning, \
             COALESCE(s.verdict, '') AS verdict, COUNT(*) AS n FROM audit_samples s \
             JOIN assessments x ON x.entity = s.entity AND x.article_id = s.article_id \
             WHERE s.entity = $1 AND s.period = $2 AND x.event_time >= $3 AND x.event_time < $4 \
             GROUP BY x.sentiment, CASE WHEN x.score < 0 THEN 1 ELSE 0 END, COALESCE(s.verdict, '')",
        )
        .bind(entity)
        .bind(&sample.period)
        .bind(from)
        .bind(to)
        .fetch_all(&self.read)
        .await?;
        for r in &reviews {
            let s = &mut out[stratum_of(r)?];
            let n = r.try_get::<i64, _>("n")?.max(0) as u64;
            s.sampled += n;
            let verdict: String = r.try_get("verdict")?;
            if !verdict.is_empty() {
                let v: Verdict = verdict
                    .parse()
                    .map_err(|e| StoreError::Corrupt(format!("{e}")))?;
                s.verdicts[v.index()] += n;
            }
        }
        Ok(out)
    }
}
