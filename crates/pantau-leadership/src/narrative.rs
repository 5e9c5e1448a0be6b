//! What a head of bureau reads first: the period's figure against the
//! target, the change against the previous period, the peak days, the
//! issues and outlets behind the negatives — sentences in Indonesian, from
//! the numbers alone.

use chrono::NaiveDate;
use pantau_aggregate::Tally;
use pantau_report::KpiReport;

use crate::Leadership;

/// An integer with Indonesian thousands separators: `12.345`.
pub fn int_id(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A percentage with two decimals and a decimal comma: `12,34 %`.
pub fn pct_id(p: f64) -> String {
    format!("{p:.2} %").replace('.', ",")
}

/// Points with one decimal and a decimal comma: `3,1`.
pub fn points_id(p: f64) -> String {
    format!("{p:.1}").replace('.', ",")
}

/// Whether the period met its target: on the audited estimate when there is
/// one, else as classified; with the words that say so.
pub fn status_id(r: &KpiReport) -> String {
    if let Some((achieved, certain)) = r.audit.as_ref().and_then(|a| a.achieved.zip(a.certain)) {
        let word = if achieved {
            "Tercapai"
        } else {
            "Tidak tercapai"
        };
        return if certain {
            format!("{word} (menurut estimasi teraudit)")
        } else {
            format!("{word} (menurut estimasi teraudit; belum pasti)")
        };
    }
    match (r.target_pct, r.achieved) {
        (None, _) => "Tanpa target".into(),
        (Some(_), None) => "Belum ada data".into(),
        (Some(_), Some(true)) => "Tercapai".into(),
        (Some(_), Some(false)) => "Tidak tercapai".into(),
    }
}

/// The days with the most negative articles, most first (ties: earlier
/// first), at most `n`, only days with one or more.
pub fn peak_days(daily: &[(NaiveDate, Tally)], n: usize) -> Vec<(NaiveDate, Tally)> {
    let mut days: Vec<_> = daily
        .iter()
        .filter(|(_, t)| t.negative > 0)
        .cloned()
        .collect();
    days.sort_by(|a, b| b.1.negative.cmp(&a.1.negative).then(a.0.cmp(&b.0)));
    days.truncate(n);
    days
}

/// The summary paragraphs.
pub fn paragraphs(l: &Leadership<'_>) -> Vec<String> {
    let r = l.report;
    let s = &r.summary.counts;
    let mut out = Vec::new();
    if s.total == 0 {
        out.push(format!(
            "Selama {} tidak ada berita tentang {} yang tersimpan: belum ada angka untuk dilaporkan.",
            l.period_label, r.entity_name
        ));
        return out;
    }
    let outlets = r.by_outlet.len();
    let mut first = format!(
        "Selama {} tercatat {} berita tentang {} dari {} media; {} di antaranya negatif, {} positif dan {} netral.",
        l.period_label,
        int_id(s.total),
        r.entity_name,
        int_id(outlets as u64),
        int_id(s.negative),
        int_id(s.positive),
        int_id(s.neutral),
    );
    if let Some(p) = s.negative_pct {
        first.push_str(&format!(" Persentase pemberitaan negatif {}", pct_id(p)));
        match r.target_pct {
            Some(t) if p <= t => first.push_str(&format!(
                ", di bawah target paling tinggi {}: target tercapai.",
                pct_id(t)
            )),
            Some(t) => first.push_str(&format!(
                ", {} poin di atas target paling tinggi {}: target tidak tercapai.",
                points_id(p - t),
                pct_id(t)
            )),
            None => first.push('.'),
        }
    }
    out.push(first);

    if let Some(a) = &r.audit {
        if let (Some(e), Some(lo), Some(hi)) = (a.estimate, a.ci_low, a.ci_high) {
            let mut line = format!(
                "Menurut estimasi teraudit dari {} berita yang ditinjau analis, persentase negatif sebenarnya {} (interval keyakinan 95 %: {}–{}).",
                int_id(a.sample_size),
                pct_id(e),
                pct_id(lo).trim_end_matches(" %"),
                pct_id(hi)
            );
            if a.certain == Some(false) {
                line.push_str(" Interval itu memuat target, sehingga capaian belum pasti.");
            }
            out.push(line);
        }
    }

    if let Some(prev) = l.previous {
        let p = &prev.summary.counts;
        if let (Some(now), Some(before)) = (s.negative_pct, p.negative_pct) {
            let d = now - before;
            let change = if d.abs() < 0.05 {
                "tidak berubah".to_owned()
            } else if d > 0.0 {
                format!("naik {} poin", points_id(d))
            } else {
                format!("turun {} poin", points_id(-d))
            };
            let volume = if p.total > 0 {
                let v = (s.total as f64 - p.total as f64) / p.total as f64 * 100.0;
                if v.abs() < 0.5 {
                    ", dengan jumlah berita yang hampir sama".to_owned()
                } else {
                    format!(
                        ", dengan jumlah berita {} {} % ({} menjadi {})",
                        if v > 0.0 { "naik" } else { "turun" },
                        points_id(v.abs()),
                        int_id(p.total),
                        int_id(s.total)
                    )
                }
            } else {
                String::new()
            };
            out.push(format!(
                "Dibanding {} ({}), persentase negatif {change}{volume}.",
                l.previous_label.as_deref().unwrap_or("periode sebelumnya"),
                pct_id(before)
            ));
        }
    }

    let peaks = peak_days(l.daily, 3);
    if !peaks.is_empty() {
        let days: Vec<String> = peaks
            .iter()
            .map(|(d, t)| {
                format!(
                    "{} ({} negatif dari {})",
                    pantau_model::date_id(*d),
                    int_id(t.negative),
                    int_id(t.total)
                )
            })
            .collect();
        out.push(format!(
            "Hari dengan berita negatif terbanyak: {}.",
            join_id(&days)
        ));
    }

    let issues: Vec<String> = r
        .top_issues
        .iter()
        .filter(|i| i.negative > 0)
        .take(3)
        .map(|i| {
            let points = i
                .points
                .map(|p| format!(", +{} poin", points_id(p)))
                .unwrap_or_default();
            format!("{} ({} negatif{points})", i.label, int_id(i.negative))
        })
        .collect();
    if !issues.is_empty() {
        out.push(format!(
            "Isu yang paling banyak menyumbang berita negatif: {}.",
            join_id(&issues)
        ));
    }

    let mut outlets: Vec<_> = r
        .by_outlet
        .iter()
        .filter(|o| o.counts.negative > 0)
        .collect();
    outlets.sort_by(|a, b| {
        b.counts
            .negative
            .cmp(&a.counts.negative)
            .then(a.key.cmp(&b.key))
    });
    let named: Vec<String> = outlets
        .iter()
        .take(3)
        .map(|o| format!("{} ({})", o.key, int_id(o.counts.negative)))
        .collect();
    if !named.is_empty() {
        out.push(format!(
            "Media dengan berita negatif terbanyak: {}.",
            join_id(&named)
        ));
    }
    if r.overrides > 0 {
        out.push(format!(
            "Analis mengoreksi penilaian {} berita; angka di laporan ini memakai hasil koreksi.",
            int_id(r.overrides)
        ));
    }
    out
}

/// The IKU table's rows: label, value (both PDF and Word print these).
pub fn kpi_rows(r: &KpiReport) -> Vec<(String, String)> {
    let s = &r.summary.counts;
    let mut rows: Vec<(String, String)> = vec![
        ("Berita yang dipantau".into(), int_id(s.total)),
        ("Berita positif".into(), int_id(s.positive)),
        ("Berita netral".into(), int_id(s.neutral)),
        ("Berita negatif".into(), int_id(s.negative)),
        (
            "Persentase berita negatif".into(),
            s.negative_pct.map(pct_id).unwrap_or_else(|| "—".into()),
        ),
        (
            "Target (paling tinggi)".into(),
            r.target_pct.map(pct_id).unwrap_or_else(|| "—".into()),
        ),
    ];
    if let Some(a) = &r.audit {
        if let (Some(e), Some(lo), Some(hi)) = (a.estimate, a.ci_low, a.ci_high) {
            rows.push((
                "Estimasi teraudit".into(),
                format!(
                    "{} (IK 95 %: {}–{}), {} berita ditinjau",
                    pct_id(e),
                    pct_id(lo).trim_end_matches(" %"),
                    pct_id(hi),
                    int_id(a.sample_size)
                ),
            ));
        }
    }
    rows.push(("Status".into(), status_id(r)));
    rows.push(("Koreksi analis".into(), int_id(r.overrides)));
    rows
}

/// Outlets listed in the report; the rest are counted in one line.
const TOP_OUTLETS: usize = 10;

/// A media type's Indonesian label ("elektronik"), else the key as stored.
fn media_label(key: &str) -> String {
    key.parse::<pantau_model::MediaType>()
        .map_or_else(|_| key.to_owned(), |m| m.label_id().to_owned())
}

/// The rows of the media-type chart or table: label, counts.
pub fn media_rows(r: &KpiReport) -> Vec<(String, Tally)> {
    r.by_media_type
        .iter()
        .map(|s| (media_label(&s.key), s.counts))
        .collect()
}

/// The rows of the outlets' chart or table: the busiest ten.
pub fn outlet_rows(r: &KpiReport) -> Vec<(String, Tally)> {
    r.by_outlet
        .iter()
        .take(TOP_OUTLETS)
        .map(|s| (s.key.clone(), s.counts))
        .collect()
}

/// "… dan 12 media lainnya." when more outlets than the listed ones.
pub fn more_outlets(r: &KpiReport) -> Option<String> {
    (r.by_outlet.len() > TOP_OUTLETS).then(|| {
        format!(
            "… dan {} media lainnya.",
            int_id((r.by_outlet.len() - TOP_OUTLETS) as u64)
        )
    })
}

/// How the numbers are made, under the report.
pub fn method_note(r: &KpiReport) -> String {
    let formula = if r.denominator == "opinionated" {
        "berita negatif ÷ (berita positif + berita negatif) × 100"
    } else {
        "berita negatif ÷ berita yang dipantau × 100"
    };
    format!(
        "Angka dihitung pantau dari berita yang dipantau; penilaian yang dikoreksi analis memakai \
         hasil koreksi. Persentase negatif = {formula}."
    )
}

/// "3. 4 November 2026 · Kompas · elektronik": the line above a negative
/// article's title.
pub fn negative_meta(i: usize, a: &pantau_report::TopArticle) -> String {
    format!(
        "{}. {} · {} · {}{}",
        i + 1,
        pantau_model::date_id(a.date),
        a.outlet,
        a.media_type.label_id(),
        if a.overridden {
            " · dikoreksi analis"
        } else {
            ""
        }
    )
}

/// "Mengapa negatif: “Tak Tepat Sasaran” (-5,0), …": the terms behind a
/// negative article; `None` when an analyst made it negative.
pub fn why_negative(a: &pantau_report::TopArticle) -> Option<String> {
    (!a.terms.is_empty()).then(|| {
        let why: Vec<String> = a
            .terms
            .iter()
            .map(|(t, w)| format!("“{t}” ({})", format!("{w:+.1}").replace('.', ",")))
            .collect();
        format!("Mengapa negatif: {}", why.join(", "))
    })
}

/// `a`, `a dan b`, `a, b dan c`.
fn join_id(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} dan {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_indonesian_way() {
        assert_eq!(int_id(0), "0");
        assert_eq!(int_id(999), "999");
        assert_eq!(int_id(1000), "1.000");
        assert_eq!(int_id(1234567), "1.234.567");
        assert_eq!(pct_id(12.345), "12,35 %");
        assert_eq!(points_id(2.94), "2,9");
        assert_eq!(join_id(&["a".into(), "b".into(), "c".into()]), "a, b dan c");
        assert_eq!(join_id(&["a".into()]), "a");
    }

    #[test]
    fn peak_days_are_the_most_negative_days() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let t = |neg: u64, total: u64| {
            pantau_aggregate::WindowCounts {
                negative: neg,
                neutral: total - neg,
                positive: 0,
            }
            .tally(pantau_aggregate::Denominator::All)
        };
        let daily = vec![
            (d("2026-11-01"), t(2, 10)),
            (d("2026-11-02"), t(0, 5)),
            (d("2026-11-03"), t(5, 9)),
            (d("2026-11-04"), t(2, 3)),
        ];
        let peaks = peak_days(&daily, 2);
        assert_eq!(
            peaks.iter().map(|(d, _)| d.to_string()).collect::<Vec<_>>(),
            ["2026-11-03", "2026-11-01"]
        );
        assert!(peak_days(&[(d("2026-11-02"), t(0, 5))], 3).is_empty());
    }
}
