//! Running counters of classified articles and the negative ratio per window.
//! Pure: no I/O; the binary feeds it what the store newly counted, and
//! rebuilds it from the store after a restart.
//!
//! # Layout
//!
//! - [`Window`]: rolling 24 h / 7 d / 30 d and calendar month / quarter /
//!   year to date in the entity's time zone; [`Window::start`] is the
//!   window arithmetic.
//! - [`Counters`]: totals per entity × media type × sentiment (for
//!   `pantau_articles_total`) and event counts per entity — per second for
//!   the last 31 days, per quarter hour before — from which any window is
//!   summed (for `pantau_negative_ratio`).
//! - [`WindowCounts::negative_ratio`]: the IKU's fraction, with the
//!   configured denominator; [`WindowCounts::tally`]: the counts in the one
//!   shape ([`Tally`]) the API, the pages and the reports all show.
//! - [`period_bounds`]: the UTC instants of a report period in a time zone.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use pantau_model::{MediaType, Period, Sentiment};
use serde::Serialize;

/// A window over event time, ending now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Window {
    /// The last 24 hours.
    Rolling24h,
    /// The last 7 days.
    Rolling7d,
    /// The last 30 days.
    Rolling30d,
    /// Since the first of this month, in the entity's time zone.
    MonthToDate,
    /// Since the first day of this quarter.
    QuarterToDate,
    /// Since 1 January.
    YearToDate,
}

impl Window {
    /// Every window, in display order.
    pub const ALL: [Window; 6] = [
        Window::Rolling24h,
        Window::Rolling7d,
        Window::Rolling30d,
        Window::MonthToDate,
        Window::QuarterToDate,
        Window::YearToDate,
    ];

    /// The metric label.
    pub fn label(self) -> &'static str {
        match self {
            Window::Rolling24h => "24h",
            Window::Rolling7d => "7d",
            Window::Rolling30d => "30d",
            Window::MonthToDate => "month",
            Window::QuarterToDate => "quarter",
            Window::YearToDate => "year",
        }
    }

    /// Parses a metric label.
    pub fn from_label(s: &str) -> Option<Window> {
        Window::ALL.into_iter().find(|w| w.label() == s)
    }

    /// The first instant of the window that ends at `now`.
    pub fn start(self, now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        let local = now.with_timezone(&tz).date_naive();
        let first_of = |month: u32| {
            let day = NaiveDate::from_ymd_opt(local.year(), month, 1).expect("valid month");
            local_midnight(day, tz)
        };
        match self {
            Window::Rolling24h => now - Duration::hours(24),
            Window::Rolling7d => now - Duration::days(7),
            Window::Rolling30d => now - Duration::days(30),
            Window::MonthToDate => first_of(local.month()),
            Window::QuarterToDate => first_of((local.month0() / 3) * 3 + 1),
            Window::YearToDate => first_of(1),
        }
    }
}

/// Midnight at the start of `day` in `tz`, as UTC. Where midnight does not
/// exist (a DST jump), the first instant after it.
fn local_midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).expect("midnight");
    match tz.from_local_datetime(&naive).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => tz
            .from_local_datetime(&(naive + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&naive)),
    }
}

/// What the negative percentage is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Denominator {
    /// Every monitored article.
    #[default]
    All,
    /// Positive + negative only.
    Opinionated,
}

/// Article counts by sentiment inside a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowCounts {
    /// Negative articles.
    pub negative: u64,
    /// Neutral articles.
    pub neutral: u64,
    /// Positive articles.
    pub positive: u64,
}

impl WindowCounts {
    /// All articles.
    pub fn total(&self) -> u64 {
        self.negative + self.neutral + self.positive
    }

    /// The denominator's count.
    pub fn denominator(&self, d: Denominator) -> u64 {
        match d {
            Denominator::All => self.total(),
            Denominator::Opinionated => self.negative + self.positive,
        }
    }

    /// Negative / denominator, in 0..1; `None` when the denominator is zero
    /// (no data is not "0 % negative").
    pub fn negative_ratio(&self, d: Denominator) -> Option<f64> {
        let den = self.denominator(d);
        (den > 0).then(|| self.negative as f64 / den as f64)
    }

    /// The counts with the negative share, as every count is shown.
    pub fn tally(&self, d: Denominator) -> Tally {
        let ratio = self.negative_ratio(d);
        Tally {
            negative: self.negative,
            neutral: self.neutral,
            positive: self.positive,
            total: self.total(),
            denominator: self.denominator(d),
            negative_ratio: ratio,
            negative_pct: ratio.map(|r| r * 100.0),
        }
    }

    /// Adds `n` articles of a sentiment.
    pub fn add(&mut self, s: Sentiment, n: u64) {
        match s {
            Sentiment::Negative => self.negative += n,
            Sentiment::Neutral => self.neutral += n,
            Sentiment::Positive => self.positive += n,
        }
    }
}

/// Counts by sentiment with the negative share: the one shape in which
/// counts leave pantau (KPI windows, the daily trend, media types, report
/// slices), so a page never re-derives a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tally {
    /// Negative articles.
    pub negative: u64,
    /// Neutral articles.
    pub neutral: u64,
    /// Positive articles.
    pub positive: u64,
    /// All of them.
    pub total: u64,
    /// Those in the denominator (all, or positive + negative).
    pub denominator: u64,
    /// negative / denominator, 0..1; `None` while the denominator is zero.
    pub negative_ratio: Option<f64>,
    /// The same in percent.
    pub negative_pct: Option<f64>,
}

/// The UTC instants `[start, end)` of a report period in a time zone:
/// its first and last local midnights.
pub fn period_bounds(period: &Period, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")))
    };
    (at(period.start()), at(period.end_exclusive()))
}

#[derive(Debug, Default)]
struct EntityCounts {
    totals: BTreeMap<(MediaType, Sentiment), u64>,
    /// Event time → counts: per second for the last 31 days (the rolling
    /// windows are exact), per quarter hour before (the calendar windows
    /// start at a local midnight, which every zone's quarter hours align
    /// with), so memory grows with time, not with articles.
    by_time: BTreeMap<i64, WindowCounts>,
    /// (quarter hour, media type) → counts by effective sentiment: the
    /// calendar windows by media type (they start at a local midnight, a
    /// quarter hour in every zone), bounded by the quarter hours of a year.
    by_media: BTreeMap<(i64, MediaType), WindowCounts>,
}

/// Seconds in the coarse buckets of older counts.
const QUARTER_HOUR: i64 = 900;

/// How far back counts keep their second.
const FINE_DAYS: i64 = 31;

/// Running counters for every entity.
#[derive(Debug)]
pub struct Counters {
    entities: HashMap<String, EntityCounts>,
    /// Counts at or after this second keep it; older ones are by quarter hour.
    fine_from: i64,
}

impl Default for Counters {
    fn default() -> Self {
        Counters {
            entities: HashMap::new(),
            fine_from: i64::MIN,
        }
    }
}

impl Counters {
    /// Empty counters, every count kept to the second (until [`Counters::prune`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Empty counters for a process starting at `now`: counts older than
    /// 31 days go to quarter-hour buckets straight away.
    pub fn starting_at(now: DateTime<Utc>) -> Self {
        Counters {
            entities: HashMap::new(),
            fine_from: (now - Duration::days(FINE_DAYS)).timestamp(),
        }
    }

    /// The second counts before which are kept by quarter hour, Unix ms:
    /// a rebuild reads the store per second after it, per quarter hour before.
    pub fn fine_from_ms(&self) -> i64 {
        self.fine_from.saturating_mul(1000)
    }

    fn key(&self, event_ms: i64) -> i64 {
        let sec = event_ms.div_euclid(1000);
        if sec >= self.fine_from {
            sec
        } else {
            sec.div_euclid(QUARTER_HOUR) * QUARTER_HOUR
        }
    }

    /// Counts one stored assessment: the totals (a Prometheus counter, which
    /// must never go down) by the classifier's decision, the windows (the
    /// KPI) by the effective sentiment, an analyst's override included.
    pub fn add(
        &mut self,
        entity: &str,
        media: MediaType,
        classified: Sentiment,
        effective: Sentiment,
        event_ms: i64,
    ) {
        self.add_n(entity, media, classified, effective, event_ms, 1);
    }

    /// Counts `n` assessments alike.
    pub fn add_n(
        &mut self,
        entity: &str,
        media: MediaType,
        classified: Sentiment,
        effective: Sentiment,
        event_ms: i64,
        n: u64,
    ) {
        self.add_total(entity, media, classified, n);
        self.add_window(entity, effective, event_ms, n);
        self.add_media_window(entity, media, effective, event_ms, n);
    }

    /// Counts `n` assessments into the totals only (a rebuild: the totals
    /// cover every article ever stored, the windows only what they need).
    pub fn add_total(&mut self, entity: &str, media: MediaType, classified: Sentiment, n: u64) {
        let e = self.entities.entry(entity.to_owned()).or_default();
        *e.totals.entry((media, classified)).or_default() += n;
    }

    /// Counts `n` assessments at `event_ms` into the windows only.
    pub fn add_window(&mut self, entity: &str, effective: Sentiment, event_ms: i64, n: u64) {
        let key = self.key(event_ms);
        let e = self.entities.entry(entity.to_owned()).or_default();
        e.by_time.entry(key).or_default().add(effective, n);
    }

    /// Counts `n` assessments of `media` at `event_ms` into the calendar
    /// windows by media type only.
    pub fn add_media_window(
        &mut self,
        entity: &str,
        media: MediaType,
        effective: Sentiment,
        event_ms: i64,
        n: u64,
    ) {
        let key = quarter_hour(event_ms);
        let e = self.entities.entry(entity.to_owned()).or_default();
        e.by_media
            .entry((key, media))
            .or_default()
            .add(effective, n);
    }

    /// The first second any window still needs at `now` — the start of
    /// the year or of the 31 days before, whichever is earlier — as Unix
    /// ms: [`Counters::prune`] forgets what is older, so a rebuild need not
    /// read it.
    pub fn windows_from_ms(now: DateTime<Utc>, tz: Tz) -> i64 {
        Window::YearToDate
            .start(now, tz)
            .min(now - Duration::days(FINE_DAYS))
            .timestamp()
            .saturating_mul(1000)
    }

    /// Moves one assessment's effective sentiment (an analyst's override):
    /// the windows change, the classifier totals do not.
    pub fn reclassify(
        &mut self,
        entity: &str,
        media: MediaType,
        from: Sentiment,
        to: Sentiment,
        event_ms: i64,
    ) {
        let key = self.key(event_ms);
        let Some(e) = self.entities.get_mut(entity) else {
            return;
        };
        let shift = |c: &mut WindowCounts| {
            match from {
                Sentiment::Negative => c.negative = c.negative.saturating_sub(1),
                Sentiment::Neutral => c.neutral = c.neutral.saturating_sub(1),
                Sentiment::Positive => c.positive = c.positive.saturating_sub(1),
            }
            c.add(to, 1);
        };
        if let Some(c) = e.by_time.get_mut(&key) {
            shift(c);
        }
        if let Some(c) = e.by_media.get_mut(&(quarter_hour(event_ms), media)) {
            shift(c);
        }
    }

    /// Totals per entity × media type × classifier sentiment, in a stable order.
    pub fn totals(&self) -> Vec<(String, MediaType, Sentiment, u64)> {
        let mut out: Vec<_> = self
            .entities
            .iter()
            .flat_map(|(e, c)| {
                c.totals
                    .iter()
                    .map(move |(&(m, s), &n)| (e.clone(), m, s, n))
            })
            .collect();
        out.sort();
        out
    }

    /// Counts in `[start, now]` for an entity.
    pub fn range(&self, entity: &str, start: DateTime<Utc>, now: DateTime<Utc>) -> WindowCounts {
        let mut out = WindowCounts::default();
        let Some(e) = self.entities.get(entity) else {
            return out;
        };
        let (a, b) = (start.timestamp(), now.timestamp());
        if a > b {
            return out;
        }
        for c in e.by_time.range(a..=b).map(|(_, c)| c) {
            out.negative += c.negative;
            out.neutral += c.neutral;
            out.positive += c.positive;
        }
        out
    }

    /// Counts in a window ending `now`.
    pub fn window(&self, entity: &str, w: Window, now: DateTime<Utc>, tz: Tz) -> WindowCounts {
        self.range(entity, w.start(now, tz), now)
    }

    /// A calendar window's counts (month, quarter or year to date) by media
    /// type, every media type with articles; `None` for a rolling window
    /// (quarter hours cannot say where "24 hours ago" falls).
    pub fn window_by_media(
        &self,
        entity: &str,
        w: Window,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> Option<Vec<(MediaType, WindowCounts)>> {
        if !matches!(
            w,
            Window::MonthToDate | Window::QuarterToDate | Window::YearToDate
        ) {
            return None;
        }
        let mut out: BTreeMap<MediaType, WindowCounts> = BTreeMap::new();
        let (a, b) = (w.start(now, tz).timestamp(), now.timestamp());
        if let Some(e) = self.entities.get(entity) {
            if a <= b {
                for (&(_, m), c) in e
                    .by_media
                    .range((a, MediaType::Print)..=(b, MediaType::Social))
                {
                    let o = out.entry(m).or_default();
                    o.negative += c.negative;
                    o.neutral += c.neutral;
                    o.positive += c.positive;
                }
            }
        }
        Some(out.into_iter().collect())
    }

    /// Forgets counts older than every window needs (totals are kept):
    /// before both 31 days ago and the start of the year; and folds counts
    /// older than 31 days into quarter-hour buckets.
    pub fn prune(&mut self, now: DateTime<Utc>, tz: Tz) {
        let keep_from = Self::windows_from_ms(now, tz).div_euclid(1000);
        let fine_from = (now - Duration::days(FINE_DAYS)).timestamp();
        self.fine_from = self.fine_from.max(fine_from);
        for e in self.entities.values_mut() {
            let kept = e.by_time.split_off(&keep_from);
            let (old, fine) = {
                let mut kept = kept;
                let fine = kept.split_off(&fine_from);
                (kept, fine)
            };
            let mut by_time = fine;
            for (sec, c) in old {
                let b = by_time
                    .entry(sec.div_euclid(QUARTER_HOUR) * QUARTER_HOUR)
                    .or_default();
                b.add(Sentiment::Negative, c.negative);
                b.add(Sentiment::Neutral, c.neutral);
                b.add(Sentiment::Positive, c.positive);
            }
            e.by_time = by_time;
            e.by_media = e.by_media.split_off(&(keep_from, MediaType::Print));
        }
    }

    /// How many time buckets are held, for all entities (memory).
    pub fn buckets(&self) -> usize {
        self.entities
            .values()
            .map(|e| e.by_time.len() + e.by_media.len())
            .sum()
    }
}

/// The quarter hour of `event_ms`, Unix seconds of its start.
fn quarter_hour(event_ms: i64) -> i64 {
    event_ms.div_euclid(1000).div_euclid(QUARTER_HOUR) * QUARTER_HOUR
}

#[cfg(test)]
mod tests;
