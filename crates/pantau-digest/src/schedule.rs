//! When digests go out, and when a failed delivery is tried again.

use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Parses sending times `HH:MM` (or `HH:MM:SS`), sorted, without repeats.
pub fn parse_times(times: &[String]) -> Result<Vec<NaiveTime>, String> {
    let mut out = Vec::with_capacity(times.len());
    for t in times {
        let parsed = NaiveTime::parse_from_str(t, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
            .map_err(|_| format!("{t:?} is not a time of day (expected HH:MM, e.g. \"07:00\")"))?;
        out.push(parsed);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The first sending time strictly after `after`, at the local times of
/// `tz` (a time a clock change skips is taken at its earliest instant
/// after the change). `None` without times.
pub fn next_slot(times: &[NaiveTime], tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let day = after.with_timezone(&tz).date_naive();
    (0..3)
        .filter_map(|d| day.checked_add_days(chrono::Days::new(d)))
        .flat_map(|d| times.iter().map(move |t| d.and_time(*t)))
        .filter_map(|local| {
            let at = tz.from_local_datetime(&local);
            at.earliest()
                .or_else(|| {
                    tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc))
        })
        .filter(|t| *t > after)
        .min()
}

/// Retries of a failed delivery: the first after `first`, each wait twice
/// the one before up to `max_wait`; after `attempts` tries the delivery is
/// given up (kept, counted, and re-sendable by hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Wait before the second try.
    pub first: Duration,
    /// Longest wait.
    pub max_wait: Duration,
    /// Tries in all.
    pub attempts: u32,
}

impl Default for Backoff {
    /// One minute, doubling to an hour, eight tries: about four hours
    /// of an SMTP server or a chat gateway being down.
    fn default() -> Self {
        Backoff {
            first: Duration::from_secs(60),
            max_wait: Duration::from_secs(3600),
            attempts: 8,
        }
    }
}

impl Backoff {
    /// The wait after the `tried`-th failed try, `None` when that was the
    /// last.
    pub fn after(&self, tried: u32) -> Option<Duration> {
        if tried >= self.attempts || tried == 0 {
            return None;
        }
        let factor = 1u32.checked_shl(tried - 1).unwrap_or(u32::MAX);
        Some(self.first.saturating_mul(factor).min(self.max_wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_next_local_sending_time() {
        let times = parse_times(&["17:00".into(), "07:00".into(), "12:00".into()]).unwrap();
        let wib = chrono_tz::Asia::Jakarta;
        // 06:59 WIB → 07:00 WIB the same day.
        assert_eq!(
            next_slot(&times, wib, t("2026-12-02T23:59:00Z")),
            Some(t("2026-12-03T00:00:00Z"))
        );
        // Exactly at 07:00 → the next one, 12:00.
        assert_eq!(
            next_slot(&times, wib, t("2026-12-03T00:00:00Z")),
            Some(t("2026-12-03T05:00:00Z"))
        );
        // After 17:00 → 07:00 tomorrow.
        assert_eq!(
            next_slot(&times, wib, t("2026-12-03T10:30:00Z")),
            Some(t("2026-12-04T00:00:00Z"))
        );
        assert_eq!(next_slot(&[], wib, t("2026-12-03T10:30:00Z")), None);
    }

    #[test]
    fn a_time_a_clock_change_skips_is_sent_after_the_change() {
        let times = parse_times(&["02:30".into()]).unwrap();
        let berlin = chrono_tz::Europe::Berlin;
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST.
        let slot = next_slot(&times, berlin, t("2026-03-28T12:00:00Z")).unwrap();
        assert_eq!(slot, t("2026-03-29T01:30:00Z"));
    }

    #[test]
    fn times_are_checked() {
        assert!(parse_times(&["7 pagi".into()])
            .unwrap_err()
            .contains("7 pagi"));
        assert_eq!(
            parse_times(&["07:00".into(), "07:00:00".into()])
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn backoff_doubles_to_its_ceiling_then_gives_up() {
        let b = Backoff::default();
        let waits: Vec<_> = (1..=8).map(|n| b.after(n).map(|d| d.as_secs())).collect();
        assert_eq!(
            waits,
            [
                Some(60),
                Some(120),
                Some(240),
                Some(480),
                Some(960),
                Some(1920),
                Some(3600),
                None
            ]
        );
    }
}
