//! Rendering the report: aligned text, Markdown, CSV or JSON, with
//! Indonesian or English labels.

use std::fmt::Write as _;

use pantau_model::{Format, MediaType};

use crate::{KpiReport, Slice};

/// Label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Bahasa Indonesia (default).
    Id,
    /// English.
    En,
}

struct Labels {
    title: &'static str,
    period: &'static str,
    monitored: &'static str,
    positive: &'static str,
    neutral: &'static str,
    negative: &'static str,
    negative_pct: &'static str,
    target: &'static str,
    status: &'static str,
    achieved: &'static str,
    not_achieved: &'static str,
    no_target: &'static str,
    no_data: &'static str,
    by_media: &'static str,
    by_outlet: &'static str,
    trend: &'static str,
    top: &'static str,
    issues: &'static str,
    points: &'static str,
    stories: &'static str,
    overrides: &'static str,
    denominator_all: &'static str,
    denominator_opinionated: &'static str,
    media: &'static str,
    outlet: &'static str,
    month: &'static str,
    audited: &'static str,
    audited_basis: &'static str,
    uncertain: &'static str,
    reviewed: &'static str,
    ci: &'static str,
    more_reviews: &'static str,
    precision: &'static str,
    confusion: &'static str,
    classifier: &'static str,
    not_relevant: &'static str,
    no_reviews: &'static str,
    unreviewed: &'static str,
    nothing_counted: &'static str,
    uncovered: &'static str,
}

const ID: Labels = Labels {
    title: "Laporan IKU: persentase pemberitaan negatif",
    period: "Periode",
    monitored: "Berita dipantau",
    positive: "Positif",
    neutral: "Netral",
    negative: "Negatif",
    negative_pct: "Persentase negatif",
    target: "Target",
    status: "Status",
    achieved: "Tercapai",
    not_achieved: "Tidak tercapai",
    no_target: "tidak ada target untuk tahun ini",
    no_data: "tidak ada data",
    by_media: "Per jenis media",
    by_outlet: "Per media (outlet)",
    trend: "Tren bulanan",
    top: "Berita paling negatif",
    issues: "Isu utama",
    points: "poin",
    stories: "cerita",
    overrides: "Koreksi analis",
    denominator_all: "negatif / seluruh berita dipantau × 100",
    denominator_opinionated: "negatif / (positif + negatif) × 100",
    media: "Jenis media",
    outlet: "Media",
    month: "Bulan",
    audited: "Estimasi teraudit",
    audited_basis: "menurut estimasi teraudit",
    uncertain: "belum pasti: IK 95 % melewati target",
    reviewed: "berita ditinjau",
    ci: "IK 95 %",
    more_reviews: "Untuk ±2 poin",
    precision: "Presisi pengklasifikasi",
    confusion: "Matriks kebingungan (baris: pengklasifikasi, kolom: hasil tinjauan)",
    classifier: "Pengklasifikasi",
    not_relevant: "tidak relevan",
    no_reviews: "sampel belum ditinjau",
    unreviewed: "strata ini belum ada yang ditinjau",
    nothing_counted: "semua berita yang ditinjau di luar penyebut",
    uncovered: "belum ada sampel audit untuk",
};

const EN: Labels = Labels {
    title: "IKU report: negative coverage percentage",
    period: "Period",
    monitored: "Monitored articles",
    positive: "Positive",
    neutral: "Neutral",
    negative: "Negative",
    negative_pct: "Negative percentage",
    target: "Target",
    status: "Status",
    achieved: "Achieved",
    not_achieved: "Not achieved",
    no_target: "no target for this year",
    no_data: "no data",
    by_media: "By media type",
    by_outlet: "By outlet",
    trend: "Monthly trend",
    top: "Most negative articles",
    issues: "Top issues",
    points: "points",
    stories: "stories",
    overrides: "Analyst corrections",
    denominator_all: "negative / all monitored × 100",
    denominator_opinionated: "negative / (positive + negative) × 100",
    media: "Media type",
    outlet: "Outlet",
    month: "Month",
    audited: "Audited estimate",
    audited_basis: "on the audited estimate",
    uncertain: "not yet certain: the 95% CI crosses the target",
    reviewed: "articles reviewed",
    ci: "95% CI",
    more_reviews: "For ±2 points",
    precision: "Classifier precision",
    confusion: "Confusion matrix (rows: classifier, columns: review verdict)",
    classifier: "Classifier",
    not_relevant: "not relevant",
    no_reviews: "the sample is not reviewed yet",
    unreviewed: "no review yet in this stratum",
    nothing_counted: "every reviewed article is outside the denominator",
    uncovered: "no audit sample yet for",
};

fn media_label(key: &str, lang: Lang) -> String {
    match (key.parse::<MediaType>(), lang) {
        (Ok(m), Lang::Id) => m.label_id().to_owned(),
        (Ok(m), Lang::En) => match m {
            MediaType::Print => "print".into(),
            MediaType::Tv => "TV".into(),
            MediaType::Radio => "radio".into(),
            MediaType::Online => "online".into(),
            MediaType::Social => "social media".into(),
        },
        _ => key.to_owned(),
    }
}

fn pct(p: Option<f64>, l: &Labels) -> String {
    p.map_or_else(|| l.no_data.to_owned(), |p| format!("{p:.2}%"))
}

/// A percentage as the language writes it: `12,4 %` or `12.4%`.
fn pct1(p: f64, lang: Lang) -> String {
    match lang {
        Lang::Id => format!("{p:.1} %").replace('.', ","),
        Lang::En => format!("{p:.1}%"),
    }
}

fn ratio(p: Option<f64>, lang: Lang) -> String {
    match (p, lang) {
        (None, _) => "—".into(),
        (Some(p), Lang::Id) => format!("{p:.2}").replace('.', ","),
        (Some(p), Lang::En) => format!("{p:.2}"),
    }
}

/// The audit's lines of the summary: the estimate with its interval, the
/// reviews that would narrow it, the classifier's precision.
fn audit_lines(r: &KpiReport, l: &Labels, lang: Lang) -> Vec<(&'static str, String)> {
    let Some(a) = &r.audit else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match (a.estimate, a.ci_low, a.ci_high) {
        (Some(e), Some(lo), Some(hi)) => {
            let range = match lang {
                Lang::Id => format!(
                    "{}–{}",
                    pct1(lo, lang).trim_end_matches(" %"),
                    pct1(hi, lang)
                ),
                Lang::En => format!(
                    "{}–{}",
                    pct1(lo, lang).trim_end_matches('%'),
                    pct1(hi, lang)
                ),
            };
            out.push((
                l.audited,
                format!(
                    "{} ({}: {range}), {} {}",
                    pct1(e, lang),
                    l.ci,
                    a.sample_size,
                    l.reviewed
                ),
            ));
            if let Some(m) = a.reviews_for_2_points.filter(|m| *m > 0) {
                let more = match lang {
                    Lang::Id => format!("tinjau {m} berita lagi"),
                    Lang::En => format!("review {m} more articles"),
                };
                out.push((l.more_reviews, more));
            }
        }
        _ => {
            let why = a.missing.as_deref().unwrap_or("");
            let words = if let Some(days) = why.strip_prefix("uncovered ") {
                format!("{} {}", l.uncovered, days.replace("..", " – "))
            } else if let Some(s) = why.strip_prefix("unreviewed_") {
                let s = s
                    .parse::<pantau_audit::Stratum>()
                    .map_or(s.to_owned(), |s| match lang {
                        Lang::Id => s.label_id().to_owned(),
                        Lang::En => s.as_str().replace('_', " "),
                    });
                format!("{} ({s})", l.unreviewed)
            } else if why == "nothing_counted" {
                l.nothing_counted.to_owned()
            } else {
                l.no_reviews.to_owned()
            };
            out.push((
                l.audited,
                format!("— ({words}; {} {})", a.sample_size, l.reviewed),
            ));
        }
    }
    if a.sample_size > 0 {
        let p = a.precision;
        out.push((
            l.precision,
            format!(
                "{} {}, {} {}, {} {}",
                l.negative.to_lowercase(),
                ratio(p.negative, lang),
                l.neutral.to_lowercase(),
                ratio(p.neutral, lang),
                l.positive.to_lowercase(),
                ratio(p.positive, lang)
            ),
        ));
    }
    out
}

/// Renders a report.
pub fn render(r: &KpiReport, format: Format, lang: Lang) -> String {
    let l = match lang {
        Lang::Id => &ID,
        Lang::En => &EN,
    };
    match format {
        Format::Json => serde_json::to_string_pretty(r).expect("serialisable") + "\n",
        Format::Csv => render_csv(r, l, lang),
        Format::Table => render_text(r, l, lang, false),
        Format::Markdown => render_text(r, l, lang, true),
    }
}

fn status(r: &KpiReport, l: &Labels) -> String {
    if let Some((achieved, certain)) = r.audit.as_ref().and_then(|a| a.achieved.zip(a.certain)) {
        let word = if achieved { l.achieved } else { l.not_achieved };
        return if certain {
            format!("{word} ({})", l.audited_basis)
        } else {
            format!("{word} ({}; {})", l.audited_basis, l.uncertain)
        };
    }
    match (r.target_pct, r.achieved) {
        (None, _) => l.no_target.to_owned(),
        (Some(_), None) => l.no_data.to_owned(),
        (Some(_), Some(true)) => l.achieved.to_owned(),
        (Some(_), Some(false)) => l.not_achieved.to_owned(),
    }
}

fn render_csv(r: &KpiReport, l: &Labels, lang: Lang) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "section",
        "key",
        l.monitored,
        l.positive,
        l.neutral,
        l.negative,
        l.negative_pct,
    ]);
    let mut row = |section: &str, s: &Slice, key: String| {
        let _ = w.write_record([
            section.to_owned(),
            key,
            s.counts.total.to_string(),
            s.counts.positive.to_string(),
            s.counts.neutral.to_string(),
            s.counts.negative.to_string(),
            s.counts
                .negative_pct
                .map(|p| format!("{p:.4}"))
                .unwrap_or_default(),
        ]);
    };
    row("total", &r.summary, r.period.clone());
    for s in &r.by_media_type {
        row("media_type", s, media_label(&s.key, lang));
    }
    for s in &r.by_outlet {
        row("outlet", s, s.key.clone());
    }
    for s in &r.trend {
        row("month", s, s.key.clone());
    }
    let _ = w.write_record([
        "target".to_owned(),
        r.period.clone(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        r.target_pct.map(|t| format!("{t:.4}")).unwrap_or_default(),
    ]);
    if let Some(a) = &r.audit {
        let fmt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
        for (key, value) in [
            ("audit_estimate", fmt(a.estimate)),
            ("audit_ci_low", fmt(a.ci_low)),
            ("audit_ci_high", fmt(a.ci_high)),
            ("audit_sample_size", a.sample_size.to_string()),
            (
                "audit_reviews_for_2_points",
                a.reviews_for_2_points
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
            ),
        ] {
            let _ = w.write_record([
                key.to_owned(),
                r.period.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                value,
            ]);
        }
    }
    let _ = w.write_record([
        "status".to_owned(),
        r.period.clone(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        status(r, l),
    ]);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn render_text(r: &KpiReport, l: &Labels, lang: Lang, md: bool) -> String {
    let mut o = String::new();
    let h1 = if md { "# " } else { "" };
    let h2 = if md { "## " } else { "" };
    let _ = writeln!(o, "{h1}{} — {} ({})", l.title, r.entity_name, r.entity);
    let _ = writeln!(o);
    let den = if r.denominator == "all" {
        l.denominator_all
    } else {
        l.denominator_opinionated
    };
    let mut kv = vec![
        (
            l.period,
            format!("{} ({} – {}, {})", r.period, r.from, r.to, r.time_zone),
        ),
        (l.monitored, r.summary.counts.total.to_string()),
        (l.positive, r.summary.counts.positive.to_string()),
        (l.neutral, r.summary.counts.neutral.to_string()),
        (l.negative, r.summary.counts.negative.to_string()),
        (
            l.negative_pct,
            format!("{} ({den})", pct(r.summary.counts.negative_pct, l)),
        ),
        (
            l.target,
            r.target_pct
                .map_or_else(|| l.no_target.to_owned(), |t| format!("< {t:.2}%")),
        ),
        (l.status, status(r, l)),
        (l.overrides, r.overrides.to_string()),
    ];
    let at = kv.len() - 2;
    for (i, line) in audit_lines(r, l, lang).into_iter().enumerate() {
        kv.insert(at + i, line);
    }
    if md {
        let _ = writeln!(o, "| | |\n|---|---|");
        for (k, v) in &kv {
            let _ = writeln!(o, "| {k} | {v} |");
        }
    } else {
        for (k, v) in &kv {
            let _ = writeln!(o, "{k:<22} {v}");
        }
    }
    let table = |o: &mut String,
                 title: &str,
                 first: &str,
                 slices: &[Slice],
                 key: &dyn Fn(&str) -> String| {
        let _ = writeln!(o);
        let _ = writeln!(o, "{h2}{title}");
        if md {
            let _ = writeln!(o);
            let _ = writeln!(
                o,
                "| {first} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|---:|",
                l.monitored, l.positive, l.neutral, l.negative, l.negative_pct
            );
        } else {
            let _ = writeln!(
                o,
                "{first:<24} {:>9} {:>8} {:>8} {:>8} {:>10}",
                "total", "+", "0", "-", "% neg"
            );
        }
        for s in slices {
            let k = key(&s.key);
            if md {
                let _ = writeln!(
                    o,
                    "| {k} | {} | {} | {} | {} | {} |",
                    s.counts.total,
                    s.counts.positive,
                    s.counts.neutral,
                    s.counts.negative,
                    pct(s.counts.negative_pct, l)
                );
            } else {
                let _ = writeln!(
                    o,
                    "{k:<24} {:>9} {:>8} {:>8} {:>8} {:>10}",
                    s.counts.total,
                    s.counts.positive,
                    s.counts.neutral,
                    s.counts.negative,
                    pct(s.counts.negative_pct, l)
                );
            }
        }
    };
    if let Some(a) = r.audit.as_ref().filter(|a| a.sample_size > 0) {
        let _ = writeln!(o);
        let _ = writeln!(o, "{h2}{}", l.confusion);
        let cols = [l.negative, l.neutral, l.positive, l.not_relevant];
        if md {
            let _ = writeln!(o);
            let _ = writeln!(
                o,
                "| {} | {} |\n|---|---:|---:|---:|---:|",
                l.classifier,
                cols.join(" | ")
            );
        } else {
            let _ = writeln!(
                o,
                "{:<24} {:>9} {:>8} {:>8} {:>14}",
                l.classifier, cols[0], cols[1], cols[2], cols[3]
            );
        }
        for (row, label) in a
            .confusion
            .counts
            .iter()
            .zip([l.negative, l.neutral, l.positive])
        {
            if md {
                let cells: Vec<String> = row.iter().map(u64::to_string).collect();
                let _ = writeln!(o, "| {label} | {} |", cells.join(" | "));
            } else {
                let _ = writeln!(
                    o,
                    "{label:<24} {:>9} {:>8} {:>8} {:>14}",
                    row[0], row[1], row[2], row[3]
                );
            }
        }
    }
    table(&mut o, l.by_media, l.media, &r.by_media_type, &|k| {
        media_label(k, lang)
    });
    table(&mut o, l.by_outlet, l.outlet, &r.by_outlet, &|k| {
        k.to_owned()
    });
    if r.trend.len() > 1 {
        table(&mut o, l.trend, l.month, &r.trend, &|k| k.to_owned());
    }
    if !r.top_issues.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{h2}{}", l.issues);
        if md {
            let _ = writeln!(o);
        }
        for (i, t) in r.top_issues.iter().enumerate() {
            let points = t.points.map_or_else(
                || "—".to_owned(),
                |p| match lang {
                    Lang::Id => format!("+{p:.1}").replace('.', ","),
                    Lang::En => format!("+{p:.1}"),
                },
            );
            let _ = writeln!(
                o,
                "{}{}. {}: {points} {} ({} {} / {} {}, {} {})",
                if md { "" } else { "  " },
                i + 1,
                t.label,
                l.points,
                t.negative,
                l.negative.to_lowercase(),
                t.articles,
                l.monitored.to_lowercase(),
                t.stories,
                l.stories
            );
        }
    }
    if !r.top_negative.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{h2}{}", l.top);
        if md {
            let _ = writeln!(o);
        }
        for (i, a) in r.top_negative.iter().enumerate() {
            let terms: Vec<String> = a
                .terms
                .iter()
                .map(|(t, w)| format!("\"{t}\" {w:+.2}"))
                .collect();
            let star = if a.overridden { " *" } else { "" };
            let _ = writeln!(
                o,
                "{}{}. {} — {} ({}), {}{star}: {}",
                if md { "" } else { "  " },
                i + 1,
                a.date,
                a.outlet,
                media_label(a.media_type.as_str(), lang),
                a.title,
                if terms.is_empty() {
                    "—".to_owned()
                } else {
                    terms.join(", ")
                }
            );
        }
    }
    o
}

/// A CSV as Indonesian spreadsheets read it: `;` between fields and a
/// decimal comma (`12,5`), since Excel and LibreOffice in an Indonesian
/// locale take `,` for the decimal mark and split nothing on it.
pub fn csv_for_indonesian_locale(csv_text: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_writer(Vec::new());
    for record in reader.records().flatten() {
        let fields: Vec<String> = record
            .iter()
            .map(|f| {
                let numeric = !f.is_empty()
                    && f.chars().filter(|c| *c == '.').count() == 1
                    && f.trim_start_matches('-')
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.');
                if numeric {
                    f.replace('.', ",")
                } else {
                    f.to_owned()
                }
            })
            .collect();
        let _ = w.write_record(&fields);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod locale_tests {
    use super::csv_for_indonesian_locale;

    #[test]
    fn semicolons_and_decimal_commas_and_text_untouched() {
        let csv = "section,key,% neg\ntotal,2026-11,12.5000\noutlet,\"Kompas, Jakarta\",-0.25\nmonth,v1.2.3,7\n";
        assert_eq!(
            csv_for_indonesian_locale(csv),
            "section;key;% neg\ntotal;2026-11;12,5000\noutlet;Kompas, Jakarta;-0,25\nmonth;v1.2.3;7\n"
        );
    }
}
