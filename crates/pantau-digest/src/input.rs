//! The facts of one digest.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// Everything one digest says, gathered by the binary.
#[derive(Debug, Clone, Serialize)]
pub struct DigestInput {
    /// Entity id.
    pub entity: String,
    /// Entity name (`Kementerian Sosial RI`).
    pub entity_name: String,
    /// The entity's time zone: every time is shown in it.
    #[serde(serialize_with = "tz_name")]
    pub time_zone: Tz,
    /// New articles are those stored in `[since, until)`.
    pub since: DateTime<Utc>,
    /// The digest's moment.
    pub until: DateTime<Utc>,
    /// The month, quarter and year so far.
    pub windows: Vec<WindowStatus>,
    /// The month's projected close.
    pub forecast: Option<Forecast>,
    /// Spikes now.
    pub spikes: Vec<SpikeLine>,
    /// Articles about the entity stored since `since`.
    pub new_articles: u64,
    /// Of them negative (the effective sentiment).
    pub new_negative: u64,
    /// The new negative articles, newest first (at most the configured
    /// number; `new_negative` says how many there are).
    pub negatives: Vec<DigestArticle>,
    /// What needs an analyst.
    pub review: ReviewNeeds,
    /// The issues with the most negative articles, with their counts
    /// (empty until issues are tracked).
    pub top_issues: Vec<(String, u64)>,
    /// The dashboard's address, for links.
    pub dashboard_url: Option<String>,
}

fn tz_name<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

/// The KPI of one window so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowStatus {
    /// `month`, `quarter` or `year`.
    pub window: &'static str,
    /// The period (`2026-12`, `2026-Q4`, `2026`).
    pub period: String,
    /// Negative percentage as counted (overrides win); `None` without data.
    pub percent: Option<f64>,
    /// Negative articles.
    pub negative: u64,
    /// Articles in the denominator.
    pub denominator: u64,
    /// The target, percent: the KPI must stay below it.
    pub target: Option<f64>,
    /// The audited estimate and its 95 % interval, with the reviews behind
    /// it, when the period has one.
    pub audited: Option<(f64, f64, f64, u64)>,
}

/// The projected close of the month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The period.
    pub period: String,
    /// Projected negative percentage at the close.
    pub projected: f64,
    /// Its 95 % interval.
    pub ci_low: f64,
    /// Upper bound.
    pub ci_high: f64,
    /// The probability (0–1) of closing at or over the target.
    pub p_over_target: Option<f64>,
    /// Negative articles that still fit under the target.
    pub remaining_budget: Option<u64>,
}

/// A spike of negative coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpikeLine {
    /// `day` (today so far) or `hour` (the last hour).
    pub window: &'static str,
    /// `share` (percent) or `volume` (articles).
    pub kind: &'static str,
    /// Observed.
    pub observed: f64,
    /// What the baseline expected.
    pub expected: f64,
    /// Negative articles in the window.
    pub negatives: u64,
    /// Articles in the window.
    pub articles: u64,
}

/// A negative article, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigestArticle {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Publication.
    pub outlet: String,
    /// Link.
    pub url: Option<String>,
    /// Publication time.
    pub published: DateTime<Utc>,
    /// The terms that made it negative, strongest first.
    pub why: Vec<String>,
    /// Whether an analyst set or confirmed its sentiment.
    pub reviewed: bool,
}

/// What needs an analyst.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReviewNeeds {
    /// New negative articles no analyst has looked at.
    pub unreviewed_negatives: u64,
    /// The month's audit sample: drawn, and still unreviewed.
    pub audit_drawn: u64,
    /// Unreviewed articles of the sample.
    pub audit_unreviewed: u64,
    /// The sample's period.
    pub audit_period: Option<String>,
}
