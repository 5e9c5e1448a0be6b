//! The report's charts, drawn as vector shapes: the trend of volume and
//! negative percentage against the target, and rows of bars split by
//! sentiment (media types, outlets) or sized by points (issues).

use pantau_aggregate::Tally;

use crate::layout::{
    Pages, BLUE, GREEN, GREY, INK, MARGIN, NEUTRAL, PAGE_W, RED, RULE, VOLUME, WIDTH,
};
use crate::narrative::{int_id, pct_id, points_id};

const SMALL: f32 = 7.5;

/// Volume bars (left axis) and the negative percentage (right axis) per
/// bucket, with the target as a dashed line.
pub fn trend(p: &mut Pages, buckets: &[(String, Tally)], target: Option<f64>) {
    let height = 130.0;
    p.ensure(height + 50.0);
    let (x0, x1) = (MARGIN + 34.0, PAGE_W - MARGIN - 40.0);
    let (top, bottom) = (p.y + 8.0, p.y + 8.0 + height);
    let max_total = buckets
        .iter()
        .map(|(_, t)| t.total)
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    let max_pct = buckets
        .iter()
        .filter_map(|(_, t)| t.negative_pct)
        .fold(target.unwrap_or(0.0), f64::max);
    let max_pct = ((max_pct * 1.2).max(10.0) / 5.0).ceil() * 5.0;
    let y_pct = |v: f64| bottom - (v / max_pct) as f32 * height;
    // Grid and axes.
    for k in 0..=4 {
        let y = bottom - height * k as f32 / 4.0;
        p.line(&[(x0, y), (x1, y)], 0.3, RULE, false);
        let pct = max_pct * f64::from(k) / 4.0;
        p.text_at(
            x1 + 4.0,
            y + 2.5,
            SMALL,
            false,
            RED,
            &format!("{} %", pct.round()),
        );
    }
    p.text_right(
        x0 - 4.0,
        top + 2.5,
        SMALL,
        false,
        GREY,
        &int_id(max_total as u64),
    );
    p.text_right(x0 - 4.0, bottom + 2.5, SMALL, false, GREY, "0");
    let n = buckets.len().max(1);
    let step = (x1 - x0) / n as f32;
    let every = n.div_ceil(12);
    let mut line = Vec::new();
    for (i, (label, t)) in buckets.iter().enumerate() {
        let cx = x0 + step * (i as f32 + 0.5);
        let h = t.total as f32 / max_total * height;
        p.rect(cx - step * 0.35, bottom - h, step * 0.7, h, VOLUME);
        if let Some(v) = t.negative_pct {
            line.push((cx, y_pct(v)));
        }
        if i % every == 0 {
            let w = p.fonts.width(label, SMALL, false);
            p.text_at(cx - w / 2.0, bottom + 11.0, SMALL, false, GREY, label);
        }
    }
    if let Some(t) = target {
        let y = y_pct(t);
        p.line(&[(x0, y), (x1, y)], 1.0, BLUE, true);
    }
    p.line(&line, 1.4, RED, false);
    for (x, y) in &line {
        p.rect(x - 1.6, y - 1.6, 3.2, 3.2, RED);
    }
    p.line(&[(x0, bottom), (x1, bottom)], 0.6, GREY, false);
    // Legend.
    let ly = bottom + 26.0;
    let mut x = MARGIN;
    let mut key = |p: &mut Pages, colour, label: &str| {
        p.rect(x, ly - 6.5, 8.0, 8.0, colour);
        p.text_at(x + 11.0, ly, SMALL + 0.5, false, INK, label);
        x += 22.0 + p.fonts.width(label, SMALL + 0.5, false);
    };
    key(p, VOLUME, "Jumlah berita (sumbu kiri)");
    key(p, RED, "Persentase negatif (sumbu kanan)");
    if let Some(t) = target {
        key(p, BLUE, &format!("Target paling tinggi {}", pct_id(t)));
    }
    p.y = ly + 10.0;
}

/// The height of [`sentiment_bars`] with `rows` rows and its legend, so a
/// heading keeps the whole chart on its page.
pub fn bars_height(rows: usize) -> f32 {
    rows as f32 * 15.0 + 24.0
}

/// One row per slice: its label, a bar of its articles split negative /
/// neutral / positive (scaled to the largest), and its counts.
pub fn sentiment_bars(p: &mut Pages, rows: &[(String, Tally)]) {
    let label_w = 140.0;
    let text_w = 150.0;
    let x0 = MARGIN + label_w;
    let span = WIDTH - label_w - text_w;
    let max = rows.iter().map(|(_, t)| t.total).max().unwrap_or(0).max(1) as f32;
    for (label, t) in rows {
        p.ensure(16.0);
        let y = p.y;
        let shown = fit(p, label, 8.5, label_w - 8.0);
        p.text_at(MARGIN, y + 9.0, 8.5, false, INK, &shown);
        let mut x = x0;
        for (n, colour) in [(t.negative, RED), (t.neutral, NEUTRAL), (t.positive, GREEN)] {
            let w = n as f32 / max * span;
            p.rect(x, y + 1.5, w, 9.0, colour);
            x += w;
        }
        let pct = t.negative_pct.map(pct_id).unwrap_or_else(|| "—".into());
        p.text_at(
            x0 + span + 8.0,
            y + 9.0,
            8.0,
            false,
            GREY,
            &format!(
                "{} berita · {} negatif ({pct})",
                int_id(t.total),
                int_id(t.negative)
            ),
        );
        p.y += 15.0;
    }
    let ly = p.y + 8.0;
    let mut x = MARGIN;
    for (colour, label) in [(RED, "Negatif"), (NEUTRAL, "Netral"), (GREEN, "Positif")] {
        p.rect(x, ly - 6.5, 8.0, 8.0, colour);
        p.text_at(x + 11.0, ly, SMALL + 0.5, false, INK, label);
        x += 22.0 + p.fonts.width(label, SMALL + 0.5, false);
    }
    p.y = ly + 8.0;
}

/// One row per issue: a bar of its points of the negative percentage.
pub fn issue_bars(p: &mut Pages, issues: &[pantau_report::TopIssue]) {
    let label_w = 190.0;
    let text_w = 150.0;
    let x0 = MARGIN + label_w;
    let span = WIDTH - label_w - text_w;
    let max = issues
        .iter()
        .filter_map(|i| i.points)
        .fold(0.0_f64, f64::max)
        .max(0.1);
    for i in issues {
        p.ensure(16.0);
        let y = p.y;
        let shown = fit(p, &i.label, 8.5, label_w - 8.0);
        p.text_at(MARGIN, y + 9.0, 8.5, false, INK, &shown);
        let pts = i.points.unwrap_or(0.0);
        p.rect(x0, y + 1.5, (pts / max) as f32 * span, 9.0, RED);
        p.text_at(
            x0 + span + 8.0,
            y + 9.0,
            8.0,
            false,
            GREY,
            &format!(
                "+{} poin · {} negatif dari {}",
                points_id(pts),
                int_id(i.negative),
                int_id(i.articles)
            ),
        );
        p.y += 15.0;
    }
}

/// `text`, cut with an ellipsis to fit `width`.
fn fit(p: &Pages, text: &str, size: f32, width: f32) -> String {
    if p.fonts.width(text, size, false) <= width {
        return text.to_owned();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let s: String = chars.iter().collect::<String>() + "…";
        if p.fonts.width(&s, size, false) <= width {
            return s;
        }
    }
    "…".into()
}
