//! The survey report of a unit for a period: the index, the weight's
//! effect, the sample against Krejcie–Morgan, scores per demographic group;
//! rendered as text, Markdown, CSV or JSON (in Indonesian).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pantau_model::{Format, Period};
use serde::Serialize;

use crate::{compute, krejcie_morgan, IkmResult, Response, SurveyError, Weight};

/// A surveyed unit, as the report needs it.
#[derive(Debug, Clone, Copy)]
pub struct Unit<'a> {
    /// Unit id.
    pub id: &'a str,
    /// Unit name.
    pub name: &'a str,
    /// Target score (25–100), when set.
    pub target: Option<f64>,
    /// Population served, for the minimum sample.
    pub population: Option<u64>,
}

/// A unit's index could not be computed.
#[derive(Debug, thiserror::Error)]
#[error("unit {unit} in {period}: {source}")]
pub struct ReportError {
    /// The unit.
    pub unit: String,
    /// The period.
    pub period: String,
    /// Why.
    pub source: SurveyError,
}

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
    unit: &Unit<'_>,
    period: &Period,
    responses: &[Response],
    weight: Weight,
) -> Result<UnitReport, ReportError> {
    let result = compute(responses, weight).map_err(|source| ReportError {
        unit: unit.id.to_owned(),
        period: period.to_string(),
        source,
    })?;
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
        unit: unit.id.to_owned(),
        name: unit.name.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn report_text_shows_weight_difference_sample_and_groups() {
        let unit = Unit {
            id: "ppid",
            name: "PPID",
            target: Some(80.0),
            population: Some(1000),
        };
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
        let r = unit_report(&unit, &Period::Year(2023), &rs, Weight::Rounded(0.111)).unwrap();
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
        let e = unit_report(&unit, &Period::Year(2023), &[], Weight::Exact).unwrap_err();
        assert!(e.to_string().starts_with("unit ppid in 2023"), "{e}");
    }
}
