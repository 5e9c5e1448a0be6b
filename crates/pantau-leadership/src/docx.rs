//! The leadership report as a Word document (DOCX, docx-rs): the PDF's
//! letterhead, narrative, IKU table and most negative articles, with the
//! charts' numbers as tables — the version the bureau edits before it
//! signs. The same sentences as the PDF ([`crate::narrative`]).

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, Shading, Table, TableCell,
    TableRow, WidthType,
};
use pantau_aggregate::Tally;

use crate::narrative::{
    int_id, kpi_rows, media_rows, method_note, more_outlets, negative_meta, outlet_rows,
    paragraphs, pct_id, points_id, why_negative,
};
use crate::{Leadership, RenderError};

/// A4 in twentieths of a point, and 2 cm margins.
const A4: (u32, u32) = (11_906, 16_838);
const MARGIN: i32 = 1_134;
/// The text width between the margins, in twips.
const TEXT_WIDTH: usize = 11_906 - 2 * 1_134;

const INK: &str = "1F2933";
const GREY: &str = "52606D";
const BLUE: &str = "0B3C5D";
const RED: &str = "B42318";

/// A run of `text` at `half_points` (Word's unit: 24 = 12 pt).
fn run(text: &str, half_points: usize, colour: &str) -> Run {
    Run::new().add_text(text).size(half_points).color(colour)
}

fn para(text: &str, half_points: usize, colour: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, half_points, colour))
}

fn centred(text: &str, half_points: usize, bold: bool, colour: &str) -> Paragraph {
    let r = run(text, half_points, colour);
    Paragraph::new()
        .add_run(if bold { r.bold() } else { r })
        .align(AlignmentType::Center)
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, 26, BLUE).bold())
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(280).after(100))
}

/// A body paragraph with room after it (6 pt), as a letter is set.
fn body(text: &str, half_points: usize, colour: &str) -> Paragraph {
    para(text, half_points, colour).line_spacing(LineSpacing::new().after(120))
}

fn cell(text: &str, bold: bool, right: bool, width: usize) -> TableCell {
    let r = run(text, 19, INK);
    let p = Paragraph::new().add_run(if bold { r.bold() } else { r });
    TableCell::new()
        .add_paragraph(if right {
            p.align(AlignmentType::Right)
        } else {
            p
        })
        .width(width, WidthType::Dxa)
}

/// A table with a shaded header row; numbers (every column but the first)
/// right-aligned.
fn table(header: &[&str], rows: &[Vec<String>], widths: &[usize]) -> Table {
    let head = TableRow::new(
        header
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (h, w))| cell(h, true, i > 0, *w).shading(Shading::new().fill("E4E7EB")))
            .collect(),
    );
    let body = rows.iter().map(|r| {
        TableRow::new(
            r.iter()
                .zip(widths)
                .enumerate()
                .map(|(i, (v, w))| cell(v, false, i > 0, *w))
                .collect(),
        )
    });
    Table::new(std::iter::once(head).chain(body).collect())
        .set_grid(widths.to_vec())
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// Label, articles, negative, neutral, positive, % negative.
fn sentiment_rows(rows: &[(String, Tally)]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|(label, t)| {
            vec![
                label.clone(),
                int_id(t.total),
                int_id(t.negative),
                int_id(t.neutral),
                int_id(t.positive),
                t.negative_pct.map(pct_id).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect()
}

const SENTIMENT_HEADER: [&str; 6] = ["", "Berita", "Negatif", "Netral", "Positif", "% negatif"];
const SENTIMENT_WIDTHS: [usize; 6] = [3_238, 1_100, 1_100, 1_100, 1_100, 1_000];

/// The report as DOCX bytes.
pub fn render_docx(l: &Leadership<'_>) -> Result<Vec<u8>, RenderError> {
    let r = l.report;
    let lh = l.letterhead;
    let mut doc = Docx::new().page_size(A4.0, A4.1).page_margin(
        PageMargin::new()
            .top(MARGIN)
            .bottom(MARGIN)
            .left(MARGIN)
            .right(MARGIN),
    );

    // Letterhead (kop surat).
    doc = doc.add_paragraph(centred(&lh.institution, 28, true, INK));
    if let Some(unit) = &lh.unit {
        doc = doc.add_paragraph(centred(unit, 24, true, INK));
    }
    if let Some(address) = &lh.address {
        doc = doc.add_paragraph(centred(address, 17, false, GREY));
    }
    doc = doc.add_paragraph(centred(&"━".repeat(48), 16, false, INK));
    doc = doc
        .add_paragraph(centred(
            "LAPORAN PEMANTAUAN PEMBERITAAN MEDIA",
            26,
            true,
            INK,
        ))
        .add_paragraph(centred(
            &format!("Persentase Pemberitaan Negatif tentang {}", r.entity_name),
            21,
            false,
            INK,
        ))
        .add_paragraph(centred(
            &format!(
                "Periode {} ({} – {})",
                l.period_label,
                pantau_model::date_id(r.from),
                pantau_model::date_id(r.to)
            ),
            20,
            false,
            GREY,
        ));

    doc = doc.add_paragraph(heading("Ringkasan"));
    for p in paragraphs(l) {
        doc = doc.add_paragraph(body(&p, 20, INK).align(AlignmentType::Both));
    }

    doc = doc.add_paragraph(heading("Capaian indikator kinerja"));
    let kpi: Vec<Vec<String>> = kpi_rows(r).into_iter().map(|(k, v)| vec![k, v]).collect();
    doc = doc.add_table(table(&["Indikator", "Nilai"], &kpi, &[4_800, 4_838]));

    if !r.by_media_type.is_empty() {
        let rows = media_rows(r);
        let mut header = SENTIMENT_HEADER;
        header[0] = "Jenis media";
        doc = doc
            .add_paragraph(heading("Menurut jenis media"))
            .add_table(table(&header, &sentiment_rows(&rows), &SENTIMENT_WIDTHS));
    }

    if !r.by_outlet.is_empty() {
        let rows = outlet_rows(r);
        let mut header = SENTIMENT_HEADER;
        header[0] = "Media";
        doc = doc
            .add_paragraph(heading("Media dengan berita terbanyak"))
            .add_table(table(&header, &sentiment_rows(&rows), &SENTIMENT_WIDTHS));
        if let Some(more) = more_outlets(r) {
            doc = doc.add_paragraph(para(&more, 16, GREY));
        }
    }

    if !r.top_issues.is_empty() {
        let rows: Vec<Vec<String>> = r
            .top_issues
            .iter()
            .map(|i| {
                vec![
                    i.label.clone(),
                    int_id(i.articles),
                    int_id(i.negative),
                    i.points
                        .map_or_else(|| "—".into(), |p| format!("+{}", points_id(p))),
                ]
            })
            .collect();
        doc = doc
            .add_paragraph(heading("Isu utama (sumbangan pada persentase negatif)"))
            .add_table(table(
                &["Isu", "Berita", "Negatif", "Poin"],
                &rows,
                &[5_638, 1_300, 1_300, 1_400],
            ));
    }

    if !r.top_negative.is_empty() {
        doc = doc.add_paragraph(heading("Berita paling negatif dan alasannya"));
        for (i, a) in r.top_negative.iter().enumerate() {
            doc = doc
                .add_paragraph(para(&negative_meta(i, a), 16, GREY).keep_next(true))
                .add_paragraph(
                    Paragraph::new()
                        .add_run(run(&a.title, 20, INK).bold())
                        .keep_next(true),
                );
            if let Some(why) = why_negative(a) {
                doc = doc.add_paragraph(para(&why, 18, RED));
            }
            if let Some(url) = &a.url {
                doc = doc.add_paragraph(body(url, 15, BLUE));
            }
        }
    }
    doc = doc.add_paragraph(para(
        "Grafik tren dan batang tersedia dalam versi PDF laporan ini.",
        16,
        GREY,
    ));

    // Signature, on the right.
    if lh.signatory_name.is_some() || lh.signatory_title.is_some() {
        let right = |p: Paragraph| p.align(AlignmentType::Right);
        let place = lh
            .city
            .as_deref()
            .map(|c| format!("{c}, "))
            .unwrap_or_default();
        doc = doc
            .add_paragraph(Paragraph::new())
            .add_paragraph(right(para(
                &format!("{place}{}", pantau_model::date_id(l.signed_on)),
                20,
                INK,
            )));
        if let Some(t) = &lh.signatory_title {
            doc = doc.add_paragraph(right(para(t, 20, INK)));
        }
        for _ in 0..3 {
            doc = doc.add_paragraph(Paragraph::new());
        }
        if let Some(n) = &lh.signatory_name {
            doc = doc.add_paragraph(right(Paragraph::new().add_run(run(n, 20, INK).bold())));
        }
        if let Some(nip) = &lh.signatory_nip {
            doc = doc.add_paragraph(right(para(&format!("NIP {nip}"), 19, INK)));
        }
    }
    doc = doc.add_paragraph(Paragraph::new()).add_paragraph(para(
        &format!("{} Dibuat pantau, {}.", method_note(r), l.generated),
        15,
        GREY,
    ));

    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| RenderError::Write(format!("DOCX: {e}")))?;
    Ok(out.into_inner())
}
