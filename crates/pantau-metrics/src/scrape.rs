//! The families computed at scrape time from state the binary owns — the
//! KPI windows and the survey index — named here like every other metric.
//! The binary fills a [`Scrape`]; [`Scrape::families`] turns it into the
//! exposition's families.

use prometheus::proto::{MetricFamily, MetricType};

use crate::family;

/// One entity × media type × sentiment total.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleTotal {
    /// Entity id.
    pub entity: String,
    /// `print`, `tv`, `radio`, `online`, `social`.
    pub media_type: &'static str,
    /// The classifier's decision.
    pub sentiment: &'static str,
    /// Articles counted.
    pub articles: u64,
}

/// One entity's window.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSample {
    /// Entity id.
    pub entity: String,
    /// `24h`, `7d`, `30d`, `month`, `quarter`, `year`.
    pub window: &'static str,
    /// Articles per effective sentiment: negative, neutral, positive.
    pub articles: [u64; 3],
    /// Negative / denominator, 0..1; `None` while the window is empty.
    pub negative_ratio: Option<f64>,
}

/// One entity's calendar window for one media type.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaWindowSample {
    /// Entity id.
    pub entity: String,
    /// `month`, `quarter`, `year`.
    pub window: &'static str,
    /// `print`, `tv`, `radio`, `online`, `social`.
    pub media_type: &'static str,
    /// Articles per effective sentiment: negative, neutral, positive.
    pub articles: [u64; 3],
    /// Negative / denominator, 0..1; `None` while it has no articles.
    pub negative_ratio: Option<f64>,
}

/// One entity's audited estimate for a calendar window.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditSample {
    /// Entity id.
    pub entity: String,
    /// `month`, `quarter`, `year`.
    pub window: &'static str,
    /// The estimated true negative share, 0..1.
    pub ratio: f64,
    /// The 95 % interval's lower bound, 0..1.
    pub low: f64,
    /// Its upper bound.
    pub high: f64,
    /// Articles reviewed behind it.
    pub reviewed: u64,
}

/// One entity's projected close of a calendar window.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionSample {
    /// Entity id.
    pub entity: String,
    /// `month`, `quarter`, `year`.
    pub window: &'static str,
    /// The projected negative share at the close, 0..1.
    pub ratio: f64,
    /// The probability of closing at or over the target, when one is set.
    pub p_over_target: Option<f64>,
    /// Negative articles that still fit under the target.
    pub budget: Option<u64>,
}

/// Whether an entity's window is spiking now.
#[derive(Debug, Clone, PartialEq)]
pub struct SpikeSample {
    /// Entity id.
    pub entity: String,
    /// `day` (today so far) or `hour` (the last complete hour).
    pub window: &'static str,
    /// A share or volume spike.
    pub spiking: bool,
}

/// One survey unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSample {
    /// Unit id.
    pub unit: String,
    /// This year's score (25–100), when there are responses.
    pub score: Option<f64>,
    /// The target score, when set.
    pub target: Option<f64>,
    /// Responses stored.
    pub respondents: i64,
}

/// What a scrape shows of the KPI and the survey.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scrape {
    /// Every entity × media type × sentiment, zeros included.
    pub articles: Vec<ArticleTotal>,
    /// Every entity × window.
    pub windows: Vec<WindowSample>,
    /// Every entity × calendar window × media type.
    pub media_windows: Vec<MediaWindowSample>,
    /// Each entity's target this year, 0..1.
    pub targets: Vec<(String, f64)>,
    /// Every configured survey unit.
    pub units: Vec<UnitSample>,
    /// The audited estimates that exist (a window with a reviewed sample).
    pub audits: Vec<AuditSample>,
    /// The projected closes.
    pub projections: Vec<ProjectionSample>,
    /// Every entity's `day` and `hour` spike state.
    pub spikes: Vec<SpikeSample>,
}

impl Scrape {
    /// The families, named and described.
    pub fn families(&self) -> Vec<MetricFamily> {
        let articles = self
            .articles
            .iter()
            .map(|a| {
                (
                    vec![
                        ("entity", a.entity.clone()),
                        ("media_type", a.media_type.to_owned()),
                        ("sentiment", a.sentiment.to_owned()),
                    ],
                    a.articles as f64,
                )
            })
            .collect();
        let mut ratio = Vec::new();
        let mut window_articles = Vec::new();
        for w in &self.windows {
            let labels = || {
                vec![
                    ("entity", w.entity.clone()),
                    ("window", w.window.to_owned()),
                ]
            };
            if let Some(r) = w.negative_ratio {
                ratio.push((labels(), r));
            }
            for (s, n) in ["negative", "neutral", "positive"].iter().zip(w.articles) {
                let mut l = labels();
                l.push(("sentiment", (*s).to_owned()));
                window_articles.push((l, n as f64));
            }
        }
        let mut media_ratio = Vec::new();
        let mut media_articles = Vec::new();
        for w in &self.media_windows {
            let labels = || {
                vec![
                    ("entity", w.entity.clone()),
                    ("window", w.window.to_owned()),
                    ("media_type", w.media_type.to_owned()),
                ]
            };
            if let Some(r) = w.negative_ratio {
                media_ratio.push((labels(), r));
            }
            for (s, n) in ["negative", "neutral", "positive"].iter().zip(w.articles) {
                let mut l = labels();
                l.push(("sentiment", (*s).to_owned()));
                media_articles.push((l, n as f64));
            }
        }
        let targets = self
            .targets
            .iter()
            .map(|(e, t)| (vec![("entity", e.clone())], *t))
            .collect();
        let unit = |u: &UnitSample| vec![("unit", u.unit.clone())];
        let ikm = (self.units.iter())
            .filter_map(|u| u.score.map(|s| (unit(u), s)))
            .collect();
        let ikm_target = (self.units.iter())
            .filter_map(|u| u.target.map(|t| (unit(u), t)))
            .collect();
        let respondents = (self.units.iter())
            .map(|u| (unit(u), u.respondents as f64))
            .collect();
        let audit = |value: &dyn Fn(&AuditSample) -> f64| {
            self.audits
                .iter()
                .map(|a| {
                    (
                        vec![
                            ("entity", a.entity.clone()),
                            ("window", a.window.to_owned()),
                        ],
                        value(a),
                    )
                })
                .collect::<Vec<_>>()
        };
        let projection = |value: &dyn Fn(&ProjectionSample) -> Option<f64>| {
            self.projections
                .iter()
                .filter_map(|p| {
                    value(p).map(|v| {
                        (
                            vec![
                                ("entity", p.entity.clone()),
                                ("window", p.window.to_owned()),
                            ],
                            v,
                        )
                    })
                })
                .collect::<Vec<_>>()
        };
        let spikes = self
            .spikes
            .iter()
            .map(|s| {
                (
                    vec![
                        ("entity", s.entity.clone()),
                        ("window", s.window.to_owned()),
                    ],
                    f64::from(u8::from(s.spiking)),
                )
            })
            .collect();
        vec![
            family::build(
                "pantau_negative_projected_ratio",
                "Projected negative share (0..1) at the close of the current month, quarter and year, from the period so far and the last 28 days.",
                MetricType::GAUGE,
                projection(&|p| Some(p.ratio)),
            ),
            family::build(
                "pantau_negative_over_target_probability",
                "Probability (0..1) that the window closes at or over the target; absent without a target.",
                MetricType::GAUGE,
                projection(&|p| p.p_over_target),
            ),
            family::build(
                "pantau_negative_budget_articles",
                "Negative articles that still fit under the target at the projected volume of the window; absent without a target.",
                MetricType::GAUGE,
                projection(&|p| p.budget.map(|b| b as f64)),
            ),
            family::build(
                "pantau_negative_spike",
                "1 while negative coverage spikes (share or volume) today so far (window=day) or in the last complete hour (window=hour) against the 28 days before, else 0.",
                MetricType::GAUGE,
                spikes,
            ),
            family::build(
                "pantau_negative_audited_ratio",
                "Audited estimate of the true negative share (0..1) per entity and calendar window, from the analysts' random review sample; absent without one.",
                MetricType::GAUGE,
                audit(&|a| a.ratio),
            ),
            family::build(
                "pantau_negative_audited_ratio_low",
                "Lower bound of the audited estimate's 95% confidence interval (0..1).",
                MetricType::GAUGE,
                audit(&|a| a.low),
            ),
            family::build(
                "pantau_negative_audited_ratio_high",
                "Upper bound of the audited estimate's 95% confidence interval (0..1).",
                MetricType::GAUGE,
                audit(&|a| a.high),
            ),
            family::build(
                "pantau_audit_reviewed_articles",
                "Articles reviewed in the audit sample behind the audited estimate.",
                MetricType::GAUGE,
                audit(&|a| a.reviewed as f64),
            ),
            family::build(
                "pantau_ikm_score",
                "Public satisfaction score (IKM x 25, 25..100) of each unit, year to date; absent without responses.",
                MetricType::GAUGE,
                ikm,
            ),
            family::build(
                "pantau_ikm_target",
                "Target satisfaction score of each unit (25..100): the score must stay above it.",
                MetricType::GAUGE,
                ikm_target,
            ),
            family::build(
                "pantau_survey_respondents_total",
                "Survey responses stored per unit.",
                MetricType::COUNTER,
                respondents,
            ),
            family::build(
                "pantau_articles_total",
                "Monitored articles per entity, media type and the classifier's sentiment (analysts' overrides do not move it, the entity's own channels are not counted; rebuilt from the store at start).",
                MetricType::COUNTER,
                articles,
            ),
            family::build(
                "pantau_negative_ratio",
                "Negative articles / monitored articles (0..1) per entity and window, analysts' overrides included; absent while a window has no articles.",
                MetricType::GAUGE,
                ratio,
            ),
            family::build(
                "pantau_window_articles",
                "Articles per entity, window and (override-aware) sentiment.",
                MetricType::GAUGE,
                window_articles,
            ),
            family::build(
                "pantau_window_media_articles",
                "Articles per entity, calendar window (month, quarter, year to date), media type and (override-aware) sentiment.",
                MetricType::GAUGE,
                media_articles,
            ),
            family::build(
                "pantau_window_media_negative_ratio",
                "Negative / monitored articles (0..1) per entity, calendar window and media type, analysts' overrides included, as the report counts; absent while it has no articles.",
                MetricType::GAUGE,
                media_ratio,
            ),
            family::build(
                "pantau_negative_target_ratio",
                "The entity's negative-coverage target for the current year (0..1): the ratio must stay below it.",
                MetricType::GAUGE,
                targets,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_families_named_with_their_samples() {
        let s = Scrape {
            articles: vec![ArticleTotal {
                entity: "k".into(),
                media_type: "tv",
                sentiment: "negative",
                articles: 2,
            }],
            windows: vec![WindowSample {
                entity: "k".into(),
                window: "24h",
                articles: [1, 2, 1],
                negative_ratio: Some(0.25),
            }],
            media_windows: vec![MediaWindowSample {
                entity: "k".into(),
                window: "year",
                media_type: "radio",
                articles: [3, 0, 1],
                negative_ratio: Some(0.75),
            }],
            targets: vec![("k".into(), 0.2)],
            units: vec![UnitSample {
                unit: "ppid".into(),
                score: None,
                target: Some(82.0),
                respondents: 0,
            }],
            projections: vec![ProjectionSample {
                entity: "k".into(),
                window: "month",
                ratio: 0.18,
                p_over_target: Some(0.25),
                budget: Some(12),
            }],
            spikes: vec![SpikeSample {
                entity: "k".into(),
                window: "day",
                spiking: true,
            }],
            audits: vec![AuditSample {
                entity: "k".into(),
                window: "month",
                ratio: 0.125,
                low: 0.0625,
                high: 0.25,
                reviewed: 80,
            }],
        };
        let text = crate::Metrics::new().encode(s.families());
        for line in [
            "pantau_articles_total{entity=\"k\",media_type=\"tv\",sentiment=\"negative\"} 2",
            "pantau_negative_ratio{entity=\"k\",window=\"24h\"} 0.25",
            "pantau_window_articles{entity=\"k\",window=\"24h\",sentiment=\"neutral\"} 2",
            "pantau_negative_target_ratio{entity=\"k\"} 0.2",
            "pantau_window_media_articles{entity=\"k\",window=\"year\",media_type=\"radio\",sentiment=\"negative\"} 3",
            "pantau_window_media_negative_ratio{entity=\"k\",window=\"year\",media_type=\"radio\"} 0.75",
            "pantau_ikm_target{unit=\"ppid\"} 82",
            "pantau_negative_audited_ratio{entity=\"k\",window=\"month\"} 0.125",
            "pantau_negative_projected_ratio{entity=\"k\",window=\"month\"} 0.18",
            "pantau_negative_over_target_probability{entity=\"k\",window=\"month\"} 0.25",
            "pantau_negative_budget_articles{entity=\"k\",window=\"month\"} 12",
            "pantau_negative_spike{entity=\"k\",window=\"day\"} 1",
            "pantau_negative_audited_ratio_low{entity=\"k\",window=\"month\"} 0.0625",
            "pantau_negative_audited_ratio_high{entity=\"k\",window=\"month\"} 0.25",
            "pantau_audit_reviewed_articles{entity=\"k\",window=\"month\"} 80",
            "pantau_survey_respondents_total{unit=\"ppid\"} 0",
        ] {
            assert!(text.contains(line), "{line} missing in\n{text}");
        }
        assert!(!text.contains("pantau_ikm_score"), "no responses, no score");
    }
}
