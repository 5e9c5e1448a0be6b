//! State shared by the stages and the HTTP server, and the KPI view of it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Datelike, Utc};
use pantau_aggregate::{Counters, Denominator, Window};
use pantau_config::{Config, EntityConfig};
use pantau_metrics::family;
use pantau_metrics::prometheus::proto::{MetricFamily, MetricType};
use pantau_metrics::Metrics;
use pantau_model::Sentiment;
use serde::Serialize;

/// Shared by every task.
#[derive(Debug)]
pub struct AppState {
    /// The validated configuration.
    pub config: Config,
    /// Event metrics.
    pub metrics: Metrics,
    /// Running counters, rebuilt from the store at start.
    pub counters: Mutex<Counters>,
    /// Which analyst overrides the counters already reflect.
    pub review_sync: Mutex<crate::review::ReviewSync>,
    /// Survey index per unit, refreshed from the store.
    pub survey: Mutex<crate::survey::SurveySnapshot>,
    /// Ready to serve: store open, counters rebuilt, stages running.
    ready: AtomicBool,
    /// A Kafka broker is reachable (always true on the embedded bus).
    broker_up: AtomicBool,
}

impl AppState {
    /// New state; not ready until [`AppState::set_ready`].
    pub fn new(config: Config, metrics: Metrics) -> Self {
        AppState {
            config,
            metrics,
            counters: Mutex::new(Counters::new()),
            review_sync: crate::review::new_sync(),
            survey: Mutex::new(Default::default()),
            ready: AtomicBool::new(false),
            broker_up: AtomicBool::new(true),
        }
    }

    /// Marks the service ready (or not, while shutting down).
    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::SeqCst);
    }

    /// Records whether a Kafka broker is reachable; `/readyz` fails while
    /// none is.
    pub fn set_broker_up(&self, up: bool) {
        let was = self.broker_up.swap(up, Ordering::SeqCst);
        if was != up {
            if up {
                tracing::info!("kafka broker reachable again");
            } else {
                tracing::warn!("no kafka broker reachable; waiting and retrying (not ready)");
            }
        }
    }

    /// Whether `/readyz` answers 200.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst) && self.broker_up.load(Ordering::SeqCst)
    }

    /// The KPI of every entity at `now`.
    pub fn kpi(&self, now: DateTime<Utc>) -> Vec<EntityKpi> {
        let counters = self.counters.lock().expect("counters lock");
        self.config
            .entities
            .iter()
            .map(|e| entity_kpi(&counters, e, now))
            .collect()
    }

    /// Families computed from the counters at scrape time.
    pub fn metric_families(&self, now: DateTime<Utc>) -> Vec<MetricFamily> {
        let totals = {
            let counters = self.counters.lock().expect("counters lock");
            counters.totals()
        };
        let mut articles = Vec::new();
        // Every entity × media type × sentiment exists from the first scrape.
        for e in &self.config.entities {
            for m in pantau_model::MediaType::ALL {
                for s in Sentiment::ALL {
                    let n = totals
                        .iter()
                        .find(|t| t.0 == e.id && t.1 == m && t.2 == s)
                        .map_or(0, |t| t.3);
                    articles.push((
                        vec![
                            ("entity", e.id.clone()),
                            ("media_type", m.as_str().to_owned()),
                            ("sentiment", s.as_str().to_owned()),
                        ],
                        n as f64,
                    ));
                }
            }
        }
        let kpis = self.kpi(now);
        let mut ratio = Vec::new();
        let mut window_articles = Vec::new();
        let mut target = Vec::new();
        for k in &kpis {
            for w in &k.windows {
                if let Some(r) = w.negative_ratio {
                    ratio.push((
                        vec![
                            ("entity", k.entity.clone()),
                            ("window", w.window.to_owned()),
                        ],
                        r,
                    ));
                }
                for (s, n) in [
                    ("negative", w.negative),
                    ("neutral", w.neutral),
                    ("positive", w.positive),
                ] {
                    window_articles.push((
                        vec![
                            ("entity", k.entity.clone()),
                            ("window", w.window.to_owned()),
                            ("sentiment", s.to_owned()),
                        ],
                        n as f64,
                    ));
                }
            }
            if let Some(t) = k.target_pct {
                target.push((vec![("entity", k.entity.clone())], t / 100.0));
            }
        }
        let survey = self.survey.lock().expect("survey lock").clone();
        let mut ikm = Vec::new();
        let mut ikm_target = Vec::new();
        let mut respondents = Vec::new();
        for u in &self.config.survey.units {
            let (score, n) = survey.units.get(&u.id).copied().unwrap_or((None, 0));
            if let Some(s) = score {
                ikm.push((vec![("unit", u.id.clone())], s));
            }
            if let Some(t) = u.target {
                ikm_target.push((vec![("unit", u.id.clone())], t));
            }
            respondents.push((vec![("unit", u.id.clone())], n as f64));
        }
        vec![
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
                "Monitored articles counted per entity, media type and (effective) sentiment.",
                MetricType::COUNTER,
                articles,
            ),
            family::build(
                "pantau_negative_ratio",
                "Negative articles / monitored articles (0..1) per entity and window; absent while a window has no articles.",
                MetricType::GAUGE,
                ratio,
            ),
            family::build(
                "pantau_window_articles",
                "Articles per entity, window and sentiment.",
                MetricType::GAUGE,
                window_articles,
            ),
            family::build(
                "pantau_negative_target_ratio",
                "The entity's negative-coverage target for the current year (0..1): the ratio must stay below it.",
                MetricType::GAUGE,
                target,
            ),
        ]
    }
}

/// One window of an entity's KPI.
#[derive(Debug, Clone, Serialize)]
pub struct WindowKpi {
    /// `24h`, `7d`, `30d`, `month`, `quarter`, `year`.
    pub window: &'static str,
    /// First instant of the window.
    pub start: DateTime<Utc>,
    /// Negative articles.
    pub negative: u64,
    /// Neutral articles.
    pub neutral: u64,
    /// Positive articles.
    pub positive: u64,
    /// Articles in the denominator.
    pub denominator: u64,
    /// negative / denominator, when the denominator is not zero.
    pub negative_ratio: Option<f64>,
    /// The same as a percentage.
    pub negative_pct: Option<f64>,
    /// Whether the window is below target (`None` without target or data).
    pub achieved: Option<bool>,
}

/// An entity's KPI at one instant.
#[derive(Debug, Clone, Serialize)]
pub struct EntityKpi {
    /// Entity id.
    pub entity: String,
    /// Full name.
    pub name: String,
    /// Time zone of the calendar windows.
    pub time_zone: String,
    /// `all` or `opinionated`.
    pub denominator: &'static str,
    /// This year's target (percent), when one is set.
    pub target_pct: Option<f64>,
    /// When computed.
    pub at: DateTime<Utc>,
    /// Every window.
    pub windows: Vec<WindowKpi>,
}

/// Maps the config's denominator onto the aggregate's.
pub fn denominator(e: &EntityConfig) -> Denominator {
    match e.denominator {
        pantau_config::Denominator::All => Denominator::All,
        pantau_config::Denominator::Opinionated => Denominator::Opinionated,
    }
}

fn entity_kpi(counters: &Counters, e: &EntityConfig, now: DateTime<Utc>) -> EntityKpi {
    let den = denominator(e);
    let year = now.with_timezone(&e.time_zone).year();
    let target_pct = e.target_pct(year);
    let windows = Window::ALL
        .iter()
        .map(|&w| {
            let c = counters.window(&e.id, w, now, e.time_zone);
            let ratio = c.negative_ratio(den);
            let pct = ratio.map(|r| r * 100.0);
            WindowKpi {
                window: w.label(),
                start: w.start(now, e.time_zone),
                negative: c.negative,
                neutral: c.neutral,
                positive: c.positive,
                denominator: c.denominator(den),
                negative_ratio: ratio,
                negative_pct: pct,
                // The IKU: achieved when the percentage is *below* the target.
                // Compared in integers-times-100 so that exactly at the target
                // (29 of 100 against 29 %) is not achieved by a rounding error.
                achieved: target_pct
                    .filter(|_| c.denominator(den) > 0)
                    .map(|t| (c.negative as f64) * 100.0 < t * c.denominator(den) as f64),
            }
        })
        .collect();
    EntityKpi {
        entity: e.id.clone(),
        name: e.name.clone(),
        time_zone: e.time_zone.name().to_owned(),
        denominator: match den {
            Denominator::All => "all",
            Denominator::Opinionated => "opinionated",
        },
        target_pct,
        at: now,
        windows,
    }
}
