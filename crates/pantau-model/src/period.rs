//! Reporting periods: a year (`2023`), a quarter (`2023-Q2`), a month
//! (`2023-05`) or a date range, as calendar dates in the reader's time zone.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate};

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A calendar year.
    Year(i32),
    /// A quarter, 1–4.
    Quarter(i32, u32),
    /// A month, 1–12.
    Month(i32, u32),
    /// From the first date to the second, both included.
    Range(NaiveDate, NaiveDate),
}

/// The months in Indonesian.
pub const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// A date as Indonesian writes it: `3 Desember 2026`.
pub fn date_id(d: NaiveDate) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS_ID[d.month0() as usize],
        d.year()
    )
}

/// A period that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid period {0:?}: expected YYYY, YYYY-Qn, YYYY-MM, or a range FROM..TO (YYYY-MM-DD)")]
pub struct PeriodError(pub String);

impl Period {
    /// The first day.
    pub fn start(&self) -> NaiveDate {
        match *self {
            Period::Year(y) => ymd(y, 1, 1),
            Period::Quarter(y, q) => ymd(y, (q - 1) * 3 + 1, 1),
            Period::Month(y, m) => ymd(y, m, 1),
            Period::Range(a, _) => a,
        }
    }

    /// The day after the last day.
    pub fn end_exclusive(&self) -> NaiveDate {
        match *self {
            Period::Year(y) => ymd(y + 1, 1, 1),
            Period::Quarter(y, 4) => ymd(y + 1, 1, 1),
            Period::Quarter(y, q) => ymd(y, q * 3 + 1, 1),
            Period::Month(y, 12) => ymd(y + 1, 1, 1),
            Period::Month(y, m) => ymd(y, m + 1, 1),
            Period::Range(_, b) => b + Duration::days(1),
        }
    }

    /// The year whose target applies: the year of the last day.
    pub fn target_year(&self) -> i32 {
        (self.end_exclusive() - Duration::days(1)).year()
    }

    /// The calendar months the period touches, in order (for trends).
    pub fn months(&self) -> Vec<(i32, u32)> {
        let mut out = Vec::new();
        let (mut y, mut m) = (self.start().year(), self.start().month());
        let end = self.end_exclusive();
        while ymd(y, m, 1) < end {
            out.push((y, m));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }

    /// The period just before, of the same kind and length: the previous
    /// year, quarter or month; for a range, as many days ending the day
    /// before it starts.
    pub fn previous(&self) -> Period {
        match *self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
            Period::Range(a, b) => {
                let days = (b - a).num_days();
                let end = a - Duration::days(1);
                Period::Range(end - Duration::days(days), end)
            }
        }
    }

    /// The period as the bureau writes it: `Tahun 2026`, `Triwulan IV
    /// 2026`, `November 2026`, `1–15 November 2026`.
    pub fn label_id(&self) -> String {
        match *self {
            Period::Year(y) => format!("Tahun {y}"),
            Period::Quarter(y, q) => {
                format!(
                    "Triwulan {} {y}",
                    ["I", "II", "III", "IV"][(q - 1) as usize]
                )
            }
            Period::Month(y, m) => format!("{} {y}", MONTHS_ID[(m - 1) as usize]),
            Period::Range(a, b) if a == b => date_id(a),
            Period::Range(a, b) if (a.year(), a.month()) == (b.year(), b.month()) => {
                format!("{}–{}", a.day(), date_id(b))
            }
            Period::Range(a, b) => format!("{} – {}", date_id(a), date_id(b)),
        }
    }

    /// Builds a range, checking its order.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if from > to {
            return Err(PeriodError(format!("{from}..{to}")));
        }
        Ok(Period::Range(from, to))
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError(s.to_owned());
        let s = s.trim();
        if let Some((a, b)) = s.split_once("..") {
            let d = |x: &str| NaiveDate::parse_from_str(x.trim(), "%Y-%m-%d").map_err(|_| err());
            return Period::range(d(a)?, d(b)?);
        }
        let year = |x: &str| {
            x.parse::<i32>()
                .ok()
                .filter(|y| (1900..=9999).contains(y) && x.len() == 4)
                .ok_or_else(err)
        };
        match s.split_once('-') {
            None => Ok(Period::Year(year(s)?)),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                    match q.parse::<u32>() {
                        Ok(q @ 1..=4) => Ok(Period::Quarter(y, q)),
                        _ => Err(err()),
                    }
                } else {
                    match rest.parse::<u32>() {
                        Ok(m @ 1..=12) if rest.len() == 2 => Ok(Period::Month(y, m)),
                        _ => Err(err()),
                    }
                }
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Range(a, b) => write!(f, "{a}..{b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_period_and_the_indonesian_label() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(Period::Month(2026, 1).previous(), Period::Month(2025, 12));
        assert_eq!(Period::Month(2026, 11).previous(), Period::Month(2026, 10));
        assert_eq!(
            Period::Quarter(2026, 1).previous(),
            Period::Quarter(2025, 4)
        );
        assert_eq!(Period::Year(2026).previous(), Period::Year(2025));
        let r = Period::Range(d("2026-11-10"), d("2026-11-16"));
        assert_eq!(
            r.previous(),
            Period::Range(d("2026-11-03"), d("2026-11-09"))
        );
        assert_eq!(Period::Month(2026, 11).label_id(), "November 2026");
        assert_eq!(Period::Quarter(2026, 4).label_id(), "Triwulan IV 2026");
        assert_eq!(Period::Year(2026).label_id(), "Tahun 2026");
        assert_eq!(r.label_id(), "10–16 November 2026");
        assert_eq!(
            Period::Range(d("2026-12-20"), d("2027-01-05")).label_id(),
            "20 Desember 2026 – 5 Januari 2027"
        );
        assert_eq!(date_id(d("2026-12-03")), "3 Desember 2026");
    }

    #[test]
    fn parses_and_bounds_every_form() {
        let p: Period = "2023".parse().unwrap();
        assert_eq!(
            (p.start(), p.end_exclusive()),
            (ymd(2023, 1, 1), ymd(2024, 1, 1))
        );
        assert_eq!(p.months().len(), 12);
        let q: Period = "2023-Q4".parse().unwrap();
        assert_eq!(
            (q.start(), q.end_exclusive()),
            (ymd(2023, 10, 1), ymd(2024, 1, 1))
        );
        assert_eq!(q.months(), [(2023, 10), (2023, 11), (2023, 12)]);
        let m: Period = "2024-02".parse().unwrap();
        assert_eq!(m.end_exclusive(), ymd(2024, 3, 1));
        assert_eq!(m.to_string(), "2024-02");
        let r: Period = "2023-12-15..2024-01-10".parse().unwrap();
        assert_eq!(r.end_exclusive(), ymd(2024, 1, 11));
        assert_eq!(r.months(), [(2023, 12), (2024, 1)]);
        assert_eq!(r.target_year(), 2024);
        for bad in [
            "23",
            "2023-13",
            "2023-Q5",
            "2023-5",
            "x",
            "2024-01-10..2023-01-01",
            "2023-Q",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }
}
