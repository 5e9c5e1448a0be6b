//! State shared by the stages and the HTTP server, and the KPI view of it.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Datelike, Utc};
use pantau_aggregate::{Counters, Denominator, Tally, Window};
use pantau_config::{Config, EntityConfig};
use pantau_metrics::prometheus::proto::MetricFamily;
use pantau_metrics::scrape::{
    ArticleTotal, AuditSample, MediaWindowSample, ProjectionSample, Scrape, SpikeSample,
    UnitSample, WindowSample,
};
use pantau_metrics::Metrics;
use pantau_model::Sentiment;
use serde::Serialize;

/// Which audit entries (analysts' overrides) the running counters already
/// reflect; kept up to date by [`crate::review`].
#[derive(Debug, Default)]
pub struct ReviewSync {
    /// Entry id → its time, for entries inside the overlap.
    pub applied: HashMap<String, i64>,
    /// Newest entry time seen.
    pub high_water_ms: i64,
}

/// Per survey unit: this year's score (when computable) and responses
/// stored; refreshed by [`crate::survey::refresh`].
#[derive(Debug, Default, Clone)]
pub struct SurveySnapshot {
    /// unit → (score this year, respondents all time)
    pub units: BTreeMap<String, (Option<f64>, i64)>,
}

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
    pub review_sync: Mutex<ReviewSync>,
    /// Survey index per unit, refreshed from the store.
    pub survey: Mutex<SurveySnapshot>,
    /// The audited estimates of the calendar windows, refreshed from the
    /// store by [`crate::audit::refresh`].
    pub audit: Mutex<Vec<AuditSample>>,
    /// Each entity's outlook (spikes, projected closes), refreshed from the
    /// store by [`crate::outlook::refresh`].
    pub outlook: Mutex<Vec<crate::outlook::Outlook>>,
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
            counters: Mutex::new(Counters::starting_at(Utc::now())),
            review_sync: Mutex::default(),
            survey: Mutex::new(Default::default()),
            audit: Mutex::default(),
            outlook: Mutex::default(),
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
        let audits = self.audit.lock().expect("audit lock").clone();
        self.config
            .entities
            .iter()
            .map(|e| {
                let mut k = entity_kpi(&counters, e, now);
                for w in &mut k.windows {
                    w.audited = audits
                        .iter()
                        .find(|a| a.entity == e.id && a.window == w.window)
                        .map(|a| Audited {
                            estimate_pct: a.ratio * 100.0,
                            ci_low_pct: a.low * 100.0,
                            ci_high_pct: a.high * 100.0,
                            reviewed: a.reviewed,
                        });
                }
                k
            })
            .collect()
    }

    /// The families computed from the counters and the survey at scrape time.
    pub fn metric_families(&self, now: DateTime<Utc>) -> Vec<MetricFamily> {
        let totals = self.counters.lock().expect("counters lock").totals();
        let mut scrape = Scrape::default();
        // Every entity × media type × sentiment exists from the first scrape.
        for e in &self.config.entities {
            for m in pantau_model::MediaType::ALL {
                for s in Sentiment::ALL {
                    let n = totals
                        .iter()
                        .find(|t| t.0 == e.id && t.1 == m && t.2 == s)
                        .map_or(0, |t| t.3);
                    scrape.articles.push(ArticleTotal {
                        entity: e.id.clone(),
                        media_type: m.as_str(),
                        sentiment: s.as_str(),
                        articles: n,
                    });
                }
            }
        }
        {
            let counters = self.counters.lock().expect("counters lock");
            for e in &self.config.entities {
                let den = denominator(e);
                for w in [
                    Window::MonthToDate,
                    Window::QuarterToDate,
                    Window::YearToDate,
                ] {
                    let by = counters
                        .window_by_media(&e.id, w, now, e.time_zone)
                        .unwrap_or_default();
                    // Every media type, zeros included, so a panel's series
                    // does not vanish in a quiet month.
                    for m in pantau_model::MediaType::ALL {
                        let c = by
                            .iter()
                            .find(|(k, _)| *k == m)
                            .map(|(_, c)| *c)
                            .unwrap_or_default();
                        scrape.media_windows.push(MediaWindowSample {
                            entity: e.id.clone(),
                            window: w.label(),
                            media_type: m.as_str(),
                            articles: [c.negative, c.neutral, c.positive],
                            negative_ratio: c.negative_ratio(den),
                        });
                    }
                }
            }
        }
        for k in self.kpi(now) {
            for w in &k.windows {
                let c = &w.counts;
                scrape.windows.push(WindowSample {
                    entity: k.entity.clone(),
                    window: w.window,
                    articles: [c.negative, c.neutral, c.positive],
                    negative_ratio: c.negative_ratio,
                });
            }
            if let Some(t) = k.target_pct {
                scrape.targets.push((k.entity.clone(), t / 100.0));
            }
        }
        let survey = self.survey.lock().expect("survey lock").clone();
        for u in &self.config.survey.units {
            let (score, respondents) = survey.units.get(&u.id).copied().unwrap_or((None, 0));
            scrape.units.push(UnitSample {
                unit: u.id.clone(),
                score,
                target: u.target,
                respondents,
            });
        }
        scrape.audits = self.audit.lock().expect("audit lock").clone();
        for o in self.outlook.lock().expect("outlook lock").iter() {
            for (window, p) in [
                ("month", &o.month),
                ("quarter", &o.quarter),
                ("year", &o.year),
            ] {
                if let Some(p) = p {
                    scrape.projections.push(ProjectionSample {
                        entity: o.entity.clone(),
                        window,
                        ratio: p.projected_percent / 100.0,
                        p_over_target: p.p_over_target,
                        budget: p.remaining_budget,
                    });
                }
            }
            for window in ["day", "hour"] {
                scrape.spikes.push(SpikeSample {
                    entity: o.entity.clone(),
                    window,
                    spiking: o.spikes.iter().any(|s| s.window == window),
                });
            }
        }
        scrape.families()
    }
}

/// One window of an entity's KPI.
#[derive(Debug, Clone, Serialize)]
pub struct WindowKpi {
    /// `24h`, `7d`, `30d`, `month`, `quarter`, `year`.
    pub window: &'static str,
    /// First instant of the window.
    pub start: DateTime<Utc>,
    /// Its counts, in the one shape every count takes.
    #[serde(flatten)]
    pub counts: Tally,
    /// Whether the window is below target (`None` without target or data).
    pub achieved: Option<bool>,
    /// The audited estimate of a calendar window with a reviewed sample
    /// (refreshed every minute; `null` otherwise).
    pub audited: Option<Audited>,
}

/// A window's audited estimate, in percent.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Audited {
    /// The estimated true negative percentage.
    pub estimate_pct: f64,
    /// The 95 % interval's lower bound.
    pub ci_low_pct: f64,
    /// Its upper bound.
    pub ci_high_pct: f64,
    /// Reviews behind it.
    pub reviewed: u64,
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
            WindowKpi {
                window: w.label(),
                start: w.start(now, e.time_zone),
                counts: c.tally(den),
                // The IKU: achieved when the percentage is *below* the target.
                // Compared in integers-times-100 so that exactly at the target
                // (29 of 100 against 29 %) is not achieved by a rounding error.
                achieved: target_pct
                    .filter(|_| c.denominator(den) > 0)
                    .map(|t| (c.negative as f64) * 100.0 < t * c.denominator(den) as f64),
                audited: None,
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
