//! The satisfaction survey in the binary: CSV import, the report in four
//! formats, the public submission endpoint, and the IKM metrics.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::Json;
use chrono::{Datelike, NaiveDate, Utc};
use pantau_config::{Config, SurveyUnit};
use pantau_model::Period;
use pantau_store::Store;
use pantau_survey::{compute, krejcie_morgan, FieldError, IkmResult, Response, Weight, ELEMENTS};
use serde::{Deserialize, Serialize};

use crate::state::AppState;

// ------------------------------------------------------------------ import

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportSummary {
    /// Rows read (excluding the header).
    pub rows: usize,
    /// Newly stored.
    pub imported: usize,
    /// Respondent ids already stored or repeated in the file.
    pub duplicates: Vec<(usize, String)>,
    /// Invalid rows: line number and reasons.
    pub rejected: Vec<(usize, String)>,
}

/// Parses one CSV record into a response; every problem is reported.
fn parse_record(
    headers: &HashMap<String, usize>,
    rec: &csv::StringRecord,
) -> Result<Response, Vec<FieldError>> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|&i| rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let mut errs = Vec::new();
    let mut err = |field: &str, message: String| {
        errs.push(FieldError {
            field: field.to_owned(),
            message,
        })
    };
    let date = match get("date") {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_else(|_| {
            err("date", format!("{d:?} is not a date YYYY-MM-DD"));
            NaiveDate::default()
        }),
        None => {
            err("date", "required".into());
            NaiveDate::default()
        }
    };
    let mut answers = [None; 9];
    for (i, a) in answers.iter_mut().enumerate() {
        let field = format!("u{}", i + 1);
        if let Some(v) = get(&field) {
            match v.parse::<u8>() {
                Ok(n) => *a = Some(n),
                Err(_) => err(&field, format!("{v:?} is not an answer 1–4")),
            }
        }
    }
    let age = get("age").and_then(|a| match a.parse::<u8>() {
        Ok(n) => Some(n),
        Err(_) => {
            err("age", format!("{a:?} is not a number"));
            None
        }
    });
    let r = Response {
        respondent_id: get("respondent_id").unwrap_or("").to_owned(),
        date,
        unit: get("unit").unwrap_or("").to_owned(),
        gender: get("gender").map(str::to_owned),
        age,
        education: get("education").map(str::to_owned),
        occupation: get("occupation").map(str::to_owned),
        answers,
    };
    errs.extend(r.validate());
    if errs.is_empty() {
        Ok(r)
    } else {
        Err(errs)
    }
}

/// `pantau survey import FILE.csv`: validates every row, stores the valid
/// ones, and reports duplicates and rejections with line numbers. A bad row
/// never stops the rest.
pub async fn import(store: &Store, config: &Config, path: &Path) -> anyhow::Result<ImportSummary> {
    let name = path.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("{name}: cannot open"))?;
    let headers: HashMap<String, usize> = reader
        .headers()
        .with_context(|| format!("{name}: no header row"))?
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_ascii_lowercase().replace(' ', "_"), i))
        .collect();
    let mut missing: Vec<&str> = ["respondent_id", "date", "unit"]
        .into_iter()
        .filter(|c| !headers.contains_key(*c))
        .collect();
    let codes: Vec<String> = (1..=9).map(|i| format!("u{i}")).collect();
    missing.extend(
        codes
            .iter()
            .map(String::as_str)
            .filter(|c| !headers.contains_key(*c)),
    );
    if !missing.is_empty() {
        bail!("{name}: header lacks column(s) {}", missing.join(", "));
    }
    let known_units: HashSet<&str> = config.survey.units.iter().map(|u| u.id.as_str()).collect();
    let mut seen = HashSet::new();
    let mut summary = ImportSummary::default();
    let source = format!(
        "import:{}",
        path.file_name()
            .map_or(name.clone(), |f| f.to_string_lossy().into_owned())
    );
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        summary.rows += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                summary.rejected.push((line, format!("malformed CSV: {e}")));
                continue;
            }
        };
        let r = match parse_record(&headers, &rec) {
            Ok(r) => r,
            Err(errs) => {
                let why: Vec<String> = errs.iter().map(ToString::to_string).collect();
                summary.rejected.push((line, why.join("; ")));
                continue;
            }
        };
        if !known_units.is_empty() && !known_units.contains(r.unit.as_str()) {
            let mut units: Vec<_> = known_units.iter().copied().collect();
            units.sort();
            summary.rejected.push((
                line,
                format!(
                    "unit: {:?} is not a configured unit ({})",
                    r.unit,
                    units.join(", ")
                ),
            ));
            continue;
        }
        if !seen.insert(r.respondent_id.clone()) {
            summary
                .duplicates
                .push((line, format!("{} repeated in the file", r.respondent_id)));
            continue;
        }
        if store.insert_survey_response(&r, &source).await? {
            summary.imported += 1;
        } else {
            summary
                .duplicates
                .push((line, format!("{} already stored", r.respondent_id)));
        }
    }
    Ok(summary)
}

// ------------------------------------------------------------------ report

/// Output format of a report (the KPI report's formats).
pub use crate::report::Format;

/// The IKM of one unit for a period.
#[derive(Debug, Serialize)]
pub struct UnitReport {
    /// Unit id.
    pub unit: String,
    /// Unit name.
    pub name: String,
    /// The period.
    pub period: String,
    /// The index with the chosen weight.
    pub result: IkmResult,
    /// The score with the exact 1/9 weight, when another weight was chosen.
    pub exact_score: Option<f64>,
    /// Target score, when set.
    pub target: Option<f64>,
    /// Achieved: score above target.
    pub achieved: Option<bool>,
    /// Population and its Krejcie–Morgan minimum sample.
    pub population: Option<u64>,
    /// Minimum sample for the population.
    pub minimum_sample: Option<u64>,
    /// Demographic group → value → (respondents, score).
    pub groups: BTreeMap<String, BTreeMap<String, (u64, Option<f64>)>>,
}

/// Computes the report of one unit from its responses.
pub fn unit_report(
    unit: &SurveyUnit,
    period: &Period,
    responses: &[Response],
    weight: Weight,
) -> anyhow::Result<UnitReport> {
    let result =
        compute(responses, weight).with_context(|| format!("unit {} in {period}", unit.id))?;
    let exact_score = (weight != Weight::Exact)
        .then(|| compute(responses, Weight::Exact).map(|r| r.score).ok())
        .flatten();
    let mut groups: BTreeMap<String, BTreeMap<String, (u64, Option<f64>)>> = BTreeMap::new();
    type Field = fn(&Response) -> Option<String>;
    let fields: [(&str, Field); 4] = [
        ("gender", |r| r.gender.clone()),
        ("age", |r| r.age.map(age_band)),
        ("education", |r| r.education.clone()),
        ("occupation", |r| r.occupation.clone()),
    ];
    for (name, f) in fields {
        let mut by: BTreeMap<String, Vec<&Response>> = BTreeMap::new();
        for r in responses {
            by.entry(f(r).unwrap_or_else(|| "(tidak diisi)".into()))
                .or_default()
                .push(r);
        }
        if by.len() <= 1 && by.contains_key("(tidak diisi)") {
            continue;
        }
        let g = by
            .into_iter()
            .map(|(k, rs)| {
                let score = compute(rs.iter().copied(), weight).ok().map(|r| r.score);
                (k, (rs.len() as u64, score))
            })
            .collect();
        groups.insert(name.to_owned(), g);
    }
    Ok(UnitReport {
        unit: unit.id.clone(),
        name: unit.name.clone(),
        period: period.to_string(),
        exact_score,
        achieved: unit.target.map(|t| result.score > t),
        target: unit.target,
        population: unit.population,
        minimum_sample: unit.population.map(krejcie_morgan),
        result,
        groups,
    })
}

fn age_band(age: u8) -> String {
    match age {
        0..=24 => "< 25",
        25..=34 => "25–34",
        35..=44 => "35–44",
        45..=54 => "45–54",
        _ => "55+",
    }
    .to_owned()
}

/// Renders reports in a format.
pub fn render(reports: &[UnitReport], format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(reports).expect("serialisable") + "\n",
        Format::Csv => render_csv(reports),
        Format::Table | Format::Markdown => {
            let md = format == Format::Markdown;
            let mut out = String::new();
            for r in reports {
                render_text(&mut out, r, md);
            }
            out
        }
    }
}

fn render_csv(reports: &[UnitReport]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "unit",
        "period",
        "element",
        "name",
        "answered",
        "nrr",
        "weighted_nrr",
    ]);
    for r in reports {
        for e in &r.result.elements {
            let _ = w.write_record([
                r.unit.as_str(),
                r.period.as_str(),
                e.code,
                e.name,
                &e.answered.to_string(),
                &format!("{:.4}", e.nrr),
                &format!("{:.4}", e.weighted),
            ]);
        }
        let target = r.target.map(|t| format!("{t:.2}")).unwrap_or_default();
        for (k, v) in [
            ("IKM", format!("{:.4}", r.result.ikm)),
            ("score", format!("{:.2}", r.result.score)),
            ("grade", r.result.grade.letter().to_owned()),
            ("respondents", r.result.respondents.to_string()),
            ("target", target),
        ] {
            let _ = w.write_record([
                r.unit.as_str(),
                r.period.as_str(),
                k,
                "",
                "",
                v.as_str(),
                "",
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn render_text(out: &mut String, r: &UnitReport, md: bool) {
    let res = &r.result;
    let h = if md { "## " } else { "" };
    let _ = writeln!(
        out,
        "{h}Survei Kepuasan Masyarakat — {} ({}), periode {}",
        r.name, r.unit, r.period
    );
    let _ = writeln!(out);
    let sample = match (r.population, r.minimum_sample) {
        (Some(p), Some(m)) => format!(
            " (minimum sampel Krejcie–Morgan untuk populasi {p}: {m} — {})",
            if res.respondents >= m {
                "terpenuhi"
            } else {
                "BELUM terpenuhi"
            }
        ),
        _ => String::new(),
    };
    let _ = writeln!(out, "Responden: {}{sample}", res.respondents);
    let _ = writeln!(out, "Bobot per unsur: {}", res.weight);
    let _ = writeln!(out);
    if md {
        let _ = writeln!(
            out,
            "| Unsur | | Responden | NRR | NRR tertimbang |\n|---|---|---:|---:|---:|"
        );
    } else {
        let _ = writeln!(
            out,
            "{:<4} {:<42} {:>9} {:>7} {:>15}",
            "", "Unsur", "Responden", "NRR", "NRR tertimbang"
        );
    }
    for e in &res.elements {
        if md {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.3} | {:.4} |",
                e.code, e.name, e.answered, e.nrr, e.weighted
            );
        } else {
            let _ = writeln!(
                out,
                "{:<4} {:<42} {:>9} {:>7.3} {:>15.4}",
                e.code, e.name, e.answered, e.nrr, e.weighted
            );
        }
    }
    let _ = writeln!(out);
    let target = match (r.target, r.achieved) {
        (Some(t), Some(a)) => format!(
            "target {t:.2} — {}",
            if a { "Tercapai" } else { "Tidak tercapai" }
        ),
        _ => "tanpa target untuk unit ini".to_owned(),
    };
    let _ = writeln!(
        out,
        "IKM {:.4}   Nilai konversi {:.2}   Mutu {} ({})   {target}",
        res.ikm,
        res.score,
        res.grade.letter(),
        res.grade.label_id()
    );
    if let Some(x) = r.exact_score {
        let _ = writeln!(
            out,
            "Dengan bobot tepat 1/9 nilainya {x:.2} (selisih {:+.2} karena pembulatan bobot)",
            res.score - x
        );
    }
    let weakest: Vec<String> = res
        .weakest()
        .iter()
        .take(3)
        .map(|e| format!("{} {} ({:.3})", e.code, e.name, e.nrr))
        .collect();
    let _ = writeln!(
        out,
        "Unsur terlemah (prioritas perbaikan): {}",
        weakest.join("; ")
    );
    for (group, values) in &r.groups {
        let label = match group.as_str() {
            "gender" => "jenis kelamin",
            "age" => "usia",
            "education" => "pendidikan",
            _ => "pekerjaan",
        };
        let parts: Vec<String> = values
            .iter()
            .map(|(k, (n, s))| match s {
                Some(s) => format!("{k}: {s:.2} (n={n})"),
                None => format!("{k}: — (n={n})"),
            })
            .collect();
        let _ = writeln!(out, "Per {label}: {}", parts.join(", "));
    }
    let _ = writeln!(out);
}

/// `pantau survey report`.
pub async fn report(
    store: &Store,
    config: &Config,
    period: Period,
    unit: Option<&str>,
    weight: Weight,
) -> anyhow::Result<Vec<UnitReport>> {
    let units: Vec<&SurveyUnit> = match unit {
        Some(u) => vec![config
            .survey
            .units
            .iter()
            .find(|x| x.id == u)
            .with_context(|| {
                format!(
                    "unknown survey unit {u:?}; configured: {}",
                    unit_ids(config)
                )
            })?],
        None => config.survey.units.iter().collect(),
    };
    if units.is_empty() {
        bail!(
            "no survey units configured ([[survey.units]] in {})",
            config.path.display()
        );
    }
    let mut out = Vec::new();
    for u in units {
        let rs = store
            .survey_responses(Some(&u.id), period.start(), period.end_exclusive())
            .await?;
        if rs.is_empty() {
            if unit.is_some() {
                bail!("no responses for unit {} in {period}", u.id);
            }
            continue;
        }
        out.push(unit_report(u, &period, &rs, weight)?);
    }
    if out.is_empty() {
        bail!("no responses in {period}");
    }
    Ok(out)
}

fn unit_ids(config: &Config) -> String {
    config
        .survey
        .units
        .iter()
        .map(|u| u.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

// ----------------------------------------------------------------- metrics

/// Per unit: this year's score (when computable) and responses stored.
#[derive(Debug, Default, Clone)]
pub struct SurveySnapshot {
    /// unit → (score this year, respondents all time)
    pub units: BTreeMap<String, (Option<f64>, i64)>,
}

/// Recomputes the snapshot from the store (called at start, after each
/// submission and every minute, so imports by another process show up).
pub async fn refresh(state: &AppState, store: &Store) -> anyhow::Result<()> {
    let counts: HashMap<String, i64> = store.survey_counts().await?.into_iter().collect();
    let year = Utc::now().with_timezone(&chrono_tz::Asia::Jakarta).year();
    let period = Period::Year(year);
    let mut snap = SurveySnapshot::default();
    for u in &state.config.survey.units {
        let rs = store
            .survey_responses(Some(&u.id), period.start(), period.end_exclusive())
            .await?;
        let score = compute(&rs, Weight::Exact).ok().map(|r| r.score);
        snap.units.insert(
            u.id.clone(),
            (score, counts.get(&u.id).copied().unwrap_or(0)),
        );
    }
    *state.survey.lock().expect("survey lock") = snap;
    Ok(())
}

// -------------------------------------------------------------------- HTTP

/// A public submission.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    unit: String,
    #[serde(default)]
    respondent_id: Option<String>,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    gender: Option<String>,
    #[serde(default)]
    age: Option<u8>,
    #[serde(default)]
    education: Option<String>,
    #[serde(default)]
    occupation: Option<String>,
    /// U1..U9, `null` for a blank.
    answers: Vec<Option<u8>>,
}

/// Fixed-window rate limit per client address.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// Whether one more request from `ip` is allowed this minute.
    pub fn allow(&self, ip: IpAddr, per_minute: u32) -> bool {
        let mut w = self.windows.lock().expect("rate limiter lock");
        let now = Instant::now();
        if w.len() > 10_000 {
            w.retain(|_, (t, _)| now.duration_since(*t) < Duration::from_secs(60));
        }
        let e = w.entry(ip).or_insert((now, 0));
        if now.duration_since(e.0) >= Duration::from_secs(60) {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= per_minute
    }
}

fn unprocessable(errors: Vec<FieldError>) -> HttpResponse {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(serde_json::json!({ "errors": errors })),
    )
        .into_response()
}

/// `POST /api/v1/survey/responses`: one response from the public form.
pub async fn submit(
    State(ctx): State<Arc<crate::http::Ctx>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: axum::body::Bytes,
) -> HttpResponse {
    let state = &ctx.state;
    if !ctx
        .limiter
        .allow(peer.ip(), state.config.survey.rate_limit_per_minute)
    {
        state
            .metrics
            .rejected
            .with_label_values(&["survey", "rate_limited"])
            .inc();
        return (
            StatusCode::TOO_MANY_REQUESTS,
            Json(serde_json::json!({"error": "too many submissions; try again in a minute"})),
        )
            .into_response();
    }
    let sub: Submission = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => {
            state
                .metrics
                .rejected
                .with_label_values(&["survey", "malformed"])
                .inc();
            return unprocessable(vec![FieldError {
                field: "body".into(),
                message: format!("not a valid submission: {e}"),
            }]);
        }
    };
    let mut errors = Vec::new();
    if sub.answers.len() != ELEMENTS.len() {
        errors.push(FieldError {
            field: "answers".into(),
            message: format!(
                "expected 9 answers (U1..U9, null for a blank), found {}",
                sub.answers.len()
            ),
        });
    }
    if !state.config.survey.units.iter().any(|u| u.id == sub.unit) {
        errors.push(FieldError {
            field: "unit".into(),
            message: format!(
                "{:?} is not a surveyed unit ({})",
                sub.unit,
                unit_ids(&state.config)
            ),
        });
    }
    let mut answers = [None; 9];
    for (a, v) in answers.iter_mut().zip(&sub.answers) {
        *a = *v;
    }
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    let r = Response {
        respondent_id: sub
            .respondent_id
            .unwrap_or_else(|| format!("web-{:016x}", fastrand::u64(..))),
        date: sub.date.unwrap_or(today),
        unit: sub.unit,
        gender: sub.gender,
        age: sub.age,
        education: sub.education,
        occupation: sub.occupation,
        answers,
    };
    errors.extend(r.validate());
    if r.date > today {
        errors.push(FieldError {
            field: "date".into(),
            message: "is in the future".into(),
        });
    }
    if !errors.is_empty() {
        state
            .metrics
            .rejected
            .with_label_values(&["survey", "invalid"])
            .inc();
        return unprocessable(errors);
    }
    match ctx.store.insert_survey_response(&r, "api").await {
        Ok(true) => {
            if let Err(e) = refresh(state, &ctx.store).await {
                tracing::warn!(error = %e, "survey metrics not refreshed");
            }
            (StatusCode::CREATED, Json(serde_json::json!({"respondent_id": r.respondent_id}))).into_response()
        }
        Ok(false) => (
            StatusCode::CONFLICT,
            Json(serde_json::json!({"error": format!("respondent {} already answered", r.respondent_id)})),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "survey response not stored");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"error": "not stored; try again"}))).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> SurveyUnit {
        SurveyUnit {
            id: "ppid".into(),
            name: "PPID".into(),
            target: Some(80.0),
            population: Some(1000),
        }
    }

    #[test]
    fn report_text_shows_weight_difference_sample_and_groups() {
        let mk = |id: &str, g: &str, v: u8| Response {
            respondent_id: id.into(),
            date: NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
            unit: "ppid".into(),
            gender: Some(g.into()),
            age: Some(30),
            education: None,
            occupation: None,
            answers: [Some(v); 9],
        };
        let rs = vec![mk("a", "L", 3), mk("b", "P", 4)];
        let r = unit_report(&unit(), &Period::Year(2023), &rs, Weight::Rounded(0.111)).unwrap();
        assert!((r.result.score - 87.4125).abs() < 1e-9);
        assert!((r.exact_score.unwrap() - 87.5).abs() < 1e-9);
        assert_eq!(r.minimum_sample, Some(278));
        assert_eq!(r.achieved, Some(true));
        let (n, p) = r.groups["gender"]["P"];
        assert_eq!(n, 1);
        assert!((p.unwrap() - 99.9).abs() < 1e-9);
        let text = render(&[r], Format::Table);
        assert!(text.contains("Nilai konversi 87.41"), "{text}");
        assert!(
            text.contains("Dengan bobot tepat 1/9 nilainya 87.50 (selisih -0.09"),
            "{text}"
        );
        assert!(text.contains("BELUM terpenuhi"), "{text}");
        assert!(text.contains("Mutu B (Baik)"), "{text}");
        assert!(
            text.contains("Per jenis kelamin: L: 74.93 (n=1), P: 99.90 (n=1)"),
            "{text}"
        );
    }

    #[test]
    fn rate_limiter_allows_n_per_minute_per_address() {
        let l = RateLimiter::default();
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        assert!((0..3).all(|_| l.allow(a, 3)));
        assert!(!l.allow(a, 3));
        assert!(l.allow(b, 3));
    }
}
