//! The public satisfaction index (Indeks Kepuasan Masyarakat, IKM) of a
//! service unit, computed exactly as PermenPAN-RB No. 14 of 2017 (Survei
//! Kepuasan Masyarakat) prescribes. Pure functions: no I/O.
//!
//! # Layout
//!
//! - [`ELEMENTS`]: the nine elements (unsur) U1–U9, each answered 1–4.
//! - [`Response`] and [`Response::validate`]: one respondent's answers.
//! - [`compute`]: per element NRR = sum of answers / respondents who answered
//!   it (a blank is not a zero); weighted NRR = NRR × weight; IKM = Σ weighted
//!   NRR (1–4); the unit's score = IKM × 25 (25–100); its [`Grade`].
//! - [`Weight`]: exactly 1/9 (default), or a rounded weight (0.111, 0.11) as
//!   many published reports use — the difference shows in the score.
//! - [`krejcie_morgan`]: the minimum sample for a population.
//! - [`questionnaire`]: the questions and answers the public form asks.
//! - [`csv`]: responses in CSV, one respondent per row.
//! - [`report`]: a unit's report for a period, rendered.
//!
//! # Grade boundaries
//!
//! The regulation prints 25.00–64.99 D, 65.00–76.60 C, 76.61–88.30 B,
//! 88.31–100.00 A. A score between two printed bounds (64.995, 76.605,
//! 88.305) belongs to the **higher** class: each printed upper bound is the
//! last value of its class, anything above it is the next class. Scores are
//! compared unrounded, so no rounding mode decides a grade.

pub mod csv;
pub mod questionnaire;
pub mod report;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use report::{render, unit_report, ReportError, Unit, UnitReport};

/// The nine elements of the SKM: code and Indonesian name.
pub const ELEMENTS: [(&str, &str); 9] = [
    ("U1", "Persyaratan"),
    ("U2", "Sistem, Mekanisme, dan Prosedur"),
    ("U3", "Waktu Penyelesaian"),
    ("U4", "Biaya/Tarif"),
    ("U5", "Produk Spesifikasi Jenis Pelayanan"),
    ("U6", "Kompetensi Pelaksana"),
    ("U7", "Perilaku Pelaksana"),
    ("U8", "Penanganan Pengaduan, Saran dan Masukan"),
    ("U9", "Sarana dan Prasarana"),
];

/// The four answer options, 1–4, as the questionnaire words them (generic form).
pub const ANSWERS: [&str; 4] = ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"];

/// One respondent's questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// Respondent id, unique per survey.
    pub respondent_id: String,
    /// Date of the response.
    pub date: chrono::NaiveDate,
    /// Service unit (e.g. `ppid`).
    pub unit: String,
    /// Optional demographics.
    #[serde(default)]
    pub gender: Option<String>,
    /// Age in years.
    #[serde(default)]
    pub age: Option<u8>,
    /// Education.
    #[serde(default)]
    pub education: Option<String>,
    /// Occupation.
    #[serde(default)]
    pub occupation: Option<String>,
    /// Answers to U1..U9, 1–4; `None` is a blank.
    pub answers: [Option<u8>; 9],
}

/// Why a response is invalid (one entry per problem).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field (`respondent_id`, `u3`, `age`…).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl Response {
    /// Every problem with this response; empty when it is valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let mut err = |field: &str, message: String| {
            errs.push(FieldError {
                field: field.to_owned(),
                message,
            })
        };
        if self.respondent_id.trim().is_empty() || self.respondent_id.len() > 100 {
            err("respondent_id", "required, at most 100 characters".into());
        }
        if !valid_unit(&self.unit) {
            err(
                "unit",
                format!(
                    "{:?}: use lower-case letters, digits, '-' or '_'",
                    self.unit
                ),
            );
        }
        for (i, a) in self.answers.iter().enumerate() {
            if let Some(v) = a {
                if !(1..=4).contains(v) {
                    err(&format!("u{}", i + 1), format!("{v} is not an answer 1–4"));
                }
            }
        }
        if self.answers.iter().all(Option::is_none) {
            err("answers", "no element answered".into());
        }
        if let Some(age) = self.age {
            if !(10..=120).contains(&age) {
                err("age", format!("{age} is not an age in 10–120"));
            }
        }
        for (name, v) in [
            ("gender", &self.gender),
            ("education", &self.education),
            ("occupation", &self.occupation),
        ] {
            if v.as_ref().is_some_and(|s| s.len() > 100) {
                err(name, "at most 100 characters".into());
            }
        }
        errs
    }
}

/// Whether a unit id is well formed (it is a metric label).
pub fn valid_unit(unit: &str) -> bool {
    !unit.is_empty()
        && unit.len() <= 50
        && unit
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The weight of each element.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weight {
    /// Exactly 1/9 — the regulation's weight.
    Exact,
    /// A rounded weight (0.111, 0.11) as printed in many reports.
    Rounded(f64),
}

impl Weight {
    /// The numeric weight.
    pub fn value(self) -> f64 {
        match self {
            Weight::Exact => 1.0 / 9.0,
            Weight::Rounded(w) => w,
        }
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Weight::Exact => f.write_str("1/9"),
            Weight::Rounded(w) => write!(f, "{w}"),
        }
    }
}

/// The quality of service (mutu pelayanan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Grade {
    /// 25.00–64.99: tidak baik.
    D,
    /// 65.00–76.60: kurang baik.
    C,
    /// 76.61–88.30: baik.
    B,
    /// 88.31–100.00: sangat baik.
    A,
}

impl Grade {
    /// The letter.
    pub fn letter(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }

    /// The regulation's label (kinerja unit pelayanan).
    pub fn label_id(self) -> &'static str {
        match self {
            Grade::A => "Sangat Baik",
            Grade::B => "Baik",
            Grade::C => "Kurang Baik",
            Grade::D => "Tidak Baik",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Grade::A => "Very good",
            Grade::B => "Good",
            Grade::C => "Less than good",
            Grade::D => "Poor",
        }
    }
}

/// Tolerance for float noise in `IKM × 25` (far below the 0.01 of printed bounds).
const EPS: f64 = 1e-9;

/// The grade of a converted score (25–100). See the crate docs for values
/// between printed bounds.
pub fn grade(score: f64) -> Grade {
    if score > 88.30 + EPS {
        Grade::A
    } else if score > 76.60 + EPS {
        Grade::B
    } else if score > 64.99 + EPS {
        Grade::C
    } else {
        Grade::D
    }
}

/// One element's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElementResult {
    /// `U1`…`U9`.
    pub code: &'static str,
    /// Indonesian name.
    pub name: &'static str,
    /// Respondents who answered this element.
    pub answered: u64,
    /// Sum of their answers.
    pub sum: u64,
    /// Nilai rata-rata: sum / answered.
    pub nrr: f64,
    /// NRR × weight.
    pub weighted: f64,
}

/// The index of a set of responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IkmResult {
    /// Respondents.
    pub respondents: u64,
    /// The weight used, as text (`1/9`, `0.111`).
    pub weight: String,
    /// Per element.
    pub elements: Vec<ElementResult>,
    /// Σ weighted NRR, 1–4.
    pub ikm: f64,
    /// IKM × 25, 25–100.
    pub score: f64,
    /// Quality grade.
    pub grade: Grade,
}

impl IkmResult {
    /// Elements from the weakest (lowest NRR) up.
    pub fn weakest(&self) -> Vec<&ElementResult> {
        let mut v: Vec<_> = self.elements.iter().collect();
        v.sort_by(|a, b| a.nrr.total_cmp(&b.nrr).then(a.code.cmp(b.code)));
        v
    }
}

/// Why an index cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    /// No responses at all.
    #[error("no responses")]
    Empty,
    /// An element nobody answered: its NRR is undefined.
    #[error("element {0} has no answers: its NRR is undefined")]
    Unanswered(&'static str),
}

/// Computes the IKM of `responses` with `weight`. Answers outside 1–4 must be
/// rejected before (see [`Response::validate`]); they are ignored here.
pub fn compute<'a>(
    responses: impl IntoIterator<Item = &'a Response>,
    weight: Weight,
) -> Result<IkmResult, SurveyError> {
    let mut sums = [0u64; 9];
    let mut counts = [0u64; 9];
    let mut respondents = 0;
    for r in responses {
        respondents += 1;
        for (i, a) in r.answers.iter().enumerate() {
            if let Some(v @ 1..=4) = a {
                sums[i] += u64::from(*v);
                counts[i] += 1;
            }
        }
    }
    if respondents == 0 {
        return Err(SurveyError::Empty);
    }
    let w = weight.value();
    let mut elements = Vec::with_capacity(9);
    for (i, (code, name)) in ELEMENTS.iter().enumerate() {
        if counts[i] == 0 {
            return Err(SurveyError::Unanswered(code));
        }
        let nrr = sums[i] as f64 / counts[i] as f64;
        elements.push(ElementResult {
            code,
            name,
            answered: counts[i],
            sum: sums[i],
            nrr,
            weighted: nrr * w,
        });
    }
    let ikm: f64 = elements.iter().map(|e| e.weighted).sum();
    let score = ikm * 25.0;
    Ok(IkmResult {
        respondents,
        weight: weight.to_string(),
        elements,
        ikm,
        score,
        grade: grade(score),
    })
}

/// The minimum sample for a population of `n` by Krejcie & Morgan (1970):
/// s = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P)), χ² = 3.841 (1 df, 95 %),
/// P = 0.5, d = 0.05; rounded to the nearest respondent, as the published
/// table is (N = 50 → 44, 100 → 80, 500 → 217, 1000 → 278).
pub fn krejcie_morgan(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let (chi2, p, d) = (3.841_f64, 0.5_f64, 0.05_f64);
    let n = n as f64;
    let s = chi2 * n * p * (1.0 - p) / (d * d * (n - 1.0) + chi2 * p * (1.0 - p));
    s.round() as u64
}

#[cfg(test)]
mod tests;
