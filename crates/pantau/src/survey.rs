//! The satisfaction survey in the binary: `pantau survey import` and
//! `report` over the store, and the IKM snapshot the metrics read. The
//! questionnaire, the CSV format and the report itself are
//! `pantau-survey`'s; the HTTP side is [`crate::http`]'s.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context};
use chrono::{Datelike, Utc};
use pantau_config::{Config, SurveyUnit};
use pantau_model::Period;
use pantau_store::Store;
use pantau_survey::csv as survey_csv;
use pantau_survey::{compute, unit_report, Unit, UnitReport, Weight};
use serde::Serialize;

use crate::state::{AppState, SurveySnapshot};

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
    let headers = survey_csv::header_index(
        reader
            .headers()
            .with_context(|| format!("{name}: no header row"))?,
    );
    let missing = survey_csv::missing_columns(&headers);
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
        let r = match survey_csv::parse_record(&headers, &rec) {
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
        let unit = Unit {
            id: &u.id,
            name: &u.name,
            target: u.target,
            population: u.population,
        };
        out.push(unit_report(&unit, &period, &rs, weight)?);
    }
    if out.is_empty() {
        bail!("no responses in {period}");
    }
    Ok(out)
}

/// The configured units' ids, for messages.
pub fn unit_ids(config: &Config) -> String {
    config
        .survey
        .units
        .iter()
        .map(|u| u.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

// ----------------------------------------------------------------- metrics

/// Recomputes the snapshot from the store (called at start, after each
/// submission and every minute, so imports by another process show up).
pub async fn refresh(state: &AppState, store: &Store) -> anyhow::Result<()> {
    let counts: HashMap<String, i64> = store.survey_counts().await?.into_iter().collect();
    let year = Utc::now().with_timezone(&state.config.local_tz()).year();
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
