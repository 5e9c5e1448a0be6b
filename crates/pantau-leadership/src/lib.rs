//! The leadership report as PDF and Word (`pantau report --format
//! pdf|docx`): the period report a head of bureau signs, in Indonesian —
//! the bureau's letterhead,
//! the narrative summary first (the figure against the target, the change
//! against the previous period, peak days, the issues and outlets behind
//! the negatives), the IKU table, charts, the most negative articles with
//! the words that made them so, and the signature block. Pure: a report in,
//! bytes out.
//!
//! # Layout
//!
//! - [`render_pdf`]: composes the PDF from a [`Leadership`].
//! - `docx`: [`render_docx`], the same report as a Word document (docx-rs)
//!   for the bureau to edit: the charts' numbers as tables.
//! - `narrative`: the summary's sentences and the Indonesian number,
//!   percentage and status words.
//! - `charts`: the trend against the target, bars by sentiment (media
//!   types, outlets), bars by points (issues).
//! - `layout`: A4 pages over krilla (fonts embedded and subset, text
//!   measured and wrapped, a cursor that breaks pages, "Halaman n dari N").
//!
//! The font is DejaVu Sans (`fonts/`, Bitstream Vera licence, see
//! `fonts/LICENSE.txt`), embedded in the binary: the PDF looks the same on
//! every machine and needs no system font.

mod charts;
mod docx;
mod layout;
mod narrative;

use chrono::{Datelike, Duration, NaiveDate};
use pantau_aggregate::{Denominator, Tally, WindowCounts};
use pantau_config::Letterhead;
use pantau_report::KpiReport;

pub use docx::render_docx;
pub use narrative::{
    int_id, kpi_rows, media_rows, method_note, more_outlets, negative_meta, outlet_rows,
    paragraphs, pct_id, peak_days, status_id, why_negative,
};

use layout::{Pages, BLUE, GREY, INK, MARGIN, PAGE_W, RED, RULE};

/// What could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The embedded font could not be read.
    #[error("font: {0}")]
    Font(String),
    /// A layout value out of range.
    #[error("layout: {0}")]
    Layout(&'static str),
    /// krilla or docx-rs refused the document.
    #[error("writing the report: {0}")]
    Write(String),
}

/// Everything the leadership report shows.
#[derive(Debug, Clone)]
pub struct Leadership<'a> {
    /// The period's report.
    pub report: &'a KpiReport,
    /// The period as the bureau writes it (`November 2026`).
    pub period_label: String,
    /// The previous period's report, for the change.
    pub previous: Option<&'a KpiReport>,
    /// The previous period as written (`Oktober 2026`).
    pub previous_label: Option<String>,
    /// The period's counts by local day (days without articles may be
    /// missing).
    pub daily: &'a [(NaiveDate, Tally)],
    /// The letterhead and signature.
    pub letterhead: &'a Letterhead,
    /// When it was made, as written in the footer.
    pub generated: String,
    /// The date under the signature.
    pub signed_on: NaiveDate,
}

/// The trend's buckets: every day of a period up to two months long
/// (days without articles as zero), else the months.
fn trend_buckets(l: &Leadership<'_>) -> Vec<(String, Tally)> {
    let r = l.report;
    let days = (r.to - r.from).num_days() + 1;
    if days <= 62 {
        let by_day: std::collections::HashMap<NaiveDate, Tally> = l.daily.iter().cloned().collect();
        let zero = WindowCounts::default().tally(Denominator::All);
        (0..days)
            .map(|i| {
                let d = r.from + Duration::days(i);
                (
                    format!("{}/{}", d.day(), d.month()),
                    by_day.get(&d).copied().unwrap_or(zero),
                )
            })
            .collect()
    } else {
        r.trend
            .iter()
            .map(|s| {
                let label = s
                    .key
                    .split_once('-')
                    .and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?)))
                    .filter(|(_, m)| (1..=12).contains(m))
                    .map_or_else(
                        || s.key.clone(),
                        // Three letters, for the chart's axis: "Agu 26".
                        |(y, m)| format!("{} {}", &pantau_model::MONTHS_ID[m - 1][..3], &y[2..]),
                    );
                (label, s.counts)
            })
            .collect()
    }
}

/// The report as PDF bytes.
pub fn render_pdf(l: &Leadership<'_>) -> Result<Vec<u8>, RenderError> {
    let r = l.report;
    let lh = l.letterhead;
    let mut p = Pages::new()?;

    // Letterhead (kop surat).
    p.centred(13.5, true, INK, &lh.institution);
    if let Some(unit) = &lh.unit {
        p.centred(12.0, true, INK, unit);
    }
    if let Some(address) = &lh.address {
        p.centred(8.5, false, GREY, address);
    }
    p.y += 4.0;
    p.line(&[(MARGIN, p.y), (PAGE_W - MARGIN, p.y)], 1.6, INK, false);
    p.line(
        &[(MARGIN, p.y + 2.6), (PAGE_W - MARGIN, p.y + 2.6)],
        0.5,
        INK,
        false,
    );
    p.y += 16.0;
    p.centred(12.5, true, INK, "LAPORAN PEMANTAUAN PEMBERITAAN MEDIA");
    p.centred(
        10.5,
        false,
        INK,
        &format!("Persentase Pemberitaan Negatif tentang {}", r.entity_name),
    );
    p.centred(
        10.0,
        false,
        GREY,
        &format!(
            "Periode {} ({} – {})",
            l.period_label,
            pantau_model::date_id(r.from),
            pantau_model::date_id(r.to)
        ),
    );

    p.heading("Ringkasan", 40.0);
    for para in paragraphs(l) {
        p.paragraph(9.5, false, INK, 0.0, &para);
        p.y += 3.0;
    }

    p.heading("Capaian indikator kinerja", 120.0);
    let rows = kpi_rows(r);
    for (i, (k, v)) in rows.iter().enumerate() {
        p.ensure(16.0);
        if i % 2 == 0 {
            p.rect(
                MARGIN,
                p.y,
                layout::WIDTH,
                15.0,
                layout::Colour(0xf1, 0xf4, 0xf7),
            );
        }
        let y = p.y + 10.5;
        p.text_at(MARGIN + 6.0, y, 9.0, false, INK, k);
        let bold = k == "Persentase berita negatif" || k == "Status";
        let colour = if k == "Status" && r.achieved == Some(false) {
            RED
        } else {
            INK
        };
        p.text_at(MARGIN + 200.0, y, 9.0, bold, colour, v);
        p.y += 15.0;
    }

    let buckets = trend_buckets(l);
    if !buckets.is_empty() {
        p.heading("Tren terhadap target", 180.0);
        charts::trend(&mut p, &buckets, r.target_pct);
    }

    if !r.by_media_type.is_empty() {
        let rows = media_rows(r);
        p.heading("Menurut jenis media", charts::bars_height(rows.len()));
        charts::sentiment_bars(&mut p, &rows);
    }

    if !r.by_outlet.is_empty() {
        let rows = outlet_rows(r);
        p.heading(
            "Media dengan berita terbanyak",
            charts::bars_height(rows.len()),
        );
        charts::sentiment_bars(&mut p, &rows);
        if let Some(more) = more_outlets(r) {
            p.paragraph(8.0, false, GREY, 0.0, &more);
        }
    }

    if !r.top_issues.is_empty() {
        p.heading("Isu utama (sumbangan pada persentase negatif)", 60.0);
        charts::issue_bars(&mut p, &r.top_issues);
    }

    if !r.top_negative.is_empty() {
        p.heading("Berita paling negatif dan alasannya", 60.0);
        for (i, a) in r.top_negative.iter().enumerate() {
            p.ensure(46.0);
            p.paragraph(8.0, false, GREY, 0.0, &negative_meta(i, a));
            p.paragraph(9.5, true, INK, 10.0, &a.title);
            if let Some(why) = why_negative(a) {
                p.paragraph(8.5, false, RED, 10.0, &why);
            }
            if let Some(url) = &a.url {
                p.paragraph(7.5, false, BLUE, 10.0, url);
            }
            p.y += 4.0;
        }
    }

    // Signature.
    if lh.signatory_name.is_some() || lh.signatory_title.is_some() {
        p.y += 14.0;
        p.ensure(90.0);
        let x = PAGE_W - MARGIN - 210.0;
        let mut y = p.y + 10.0;
        let place = lh
            .city
            .as_deref()
            .map(|c| format!("{c}, "))
            .unwrap_or_default();
        p.text_at(
            x,
            y,
            9.5,
            false,
            INK,
            &format!("{place}{}", pantau_model::date_id(l.signed_on)),
        );
        y += 14.0;
        if let Some(t) = &lh.signatory_title {
            for line in p.fonts.wrap(t, 9.5, false, 210.0) {
                p.text_at(x, y, 9.5, false, INK, &line);
                y += 13.0;
            }
        }
        y += 40.0;
        if let Some(n) = &lh.signatory_name {
            p.text_at(x, y, 9.5, true, INK, n);
            y += 13.0;
        }
        if let Some(nip) = &lh.signatory_nip {
            p.text_at(x, y, 9.0, false, INK, &format!("NIP {nip}"));
            y += 13.0;
        }
        p.y = y;
    }
    p.y += 10.0;
    p.ensure(14.0);
    p.line(&[(MARGIN, p.y), (MARGIN + 120.0, p.y)], 0.4, RULE, false);
    p.y += 4.0;
    p.paragraph(7.5, false, GREY, 0.0, &method_note(r));

    let title = format!(
        "Laporan Pemantauan Media — {} — {}",
        r.entity_name, l.period_label
    );
    let footer = format!(
        "pantau · {} · {} · dibuat {}",
        r.entity_name, l.period_label, l.generated
    );
    p.finish(&title, &footer)
}
