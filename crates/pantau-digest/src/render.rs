//! The digest as people read it: one document of sections, written out as
//! plain text and HTML for e-mail and as Telegram's HTML, in Indonesian.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};
use pantau_model::MONTHS_ID;

use crate::input::{DigestInput, WindowStatus};

/// Telegram refuses a message longer than 4,096 characters; the rest of
/// the budget is left for the entities Telegram counts differently.
pub const TELEGRAM_LIMIT: usize = 3_900;

/// A digest ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The e-mail subject (also the chat messages' first line).
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// Telegram messages (Bot API `parse_mode = HTML`), each under
    /// [`TELEGRAM_LIMIT`], in order.
    pub telegram: Vec<String>,
}

/// A percentage as Indonesian writes it: `12,4 %`.
pub fn percent_id(p: f64) -> String {
    format!("{p:.1} %").replace('.', ",")
}

fn number_id(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

const DAYS: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

/// `Kamis, 3 Desember 2026 pukul 07.00 WIB`.
fn long_time(t: DateTime<Utc>, tz: Tz) -> String {
    let l = t.with_timezone(&tz);
    format!(
        "{}, {} {} {} pukul {:02}.{:02} {}",
        DAYS[l.weekday().num_days_from_monday() as usize],
        l.day(),
        MONTHS_ID[l.month0() as usize],
        l.year(),
        l.hour(),
        l.minute(),
        l.format("%Z")
    )
}

/// `3 Des 06.12`.
fn short_time(t: DateTime<Utc>, tz: Tz) -> String {
    let l = t.with_timezone(&tz);
    format!(
        "{} {} {:02}.{:02}",
        l.day(),
        &MONTHS_ID[l.month0() as usize][..3],
        l.hour(),
        l.minute()
    )
}

/// One line of a section: text, an optional link, and indented details.
#[derive(Debug, Default)]
struct Item {
    /// Shown in bold in HTML (a headline).
    strong: Option<String>,
    text: String,
    link: Option<String>,
    details: Vec<String>,
}

impl Item {
    fn plain(text: String) -> Self {
        Item {
            text,
            ..Default::default()
        }
    }
}

#[derive(Debug)]
struct Section {
    title: String,
    items: Vec<Item>,
    /// Shown when there are no items.
    empty: &'static str,
    numbered: bool,
}

fn window_label(w: &WindowStatus) -> String {
    let name = match w.window {
        "month" => "Bulan ini",
        "quarter" => "Triwulan ini",
        "year" => "Tahun ini",
        other => other,
    };
    format!("{name} ({})", w.period)
}

/// `Tercapai`, `Tidak tercapai`, or nothing without a target or data.
fn status(w: &WindowStatus) -> Option<&'static str> {
    let (p, t) = (w.percent?, w.target?);
    Some(if p < t { "Tercapai" } else { "Tidak tercapai" })
}

fn kpi_section(d: &DigestInput) -> Section {
    let items = d
        .windows
        .iter()
        .map(|w| {
            let mut text = match w.percent {
                Some(p) => format!(
                    "{}: {} ({} dari {} berita)",
                    window_label(w),
                    percent_id(p),
                    w.negative,
                    w.denominator
                ),
                None => format!("{}: belum ada berita", window_label(w)),
            };
            if let Some(t) = w.target {
                text.push_str(&format!(" · target < {}", percent_id(t)));
            }
            if let Some(s) = status(w) {
                text.push_str(&format!(" · {s}"));
            }
            let mut details = Vec::new();
            if let Some((est, lo, hi, n)) = w.audited {
                let mut line = format!(
                    "Estimasi teraudit: {} (IK 95 %: {}–{}), {n} berita ditinjau",
                    percent_id(est),
                    number_id(lo),
                    percent_id(hi)
                );
                if w.target.is_some_and(|t| lo < t && t <= hi) {
                    line.push_str(" · belum pasti");
                }
                details.push(line);
            }
            Item {
                text,
                details,
                ..Default::default()
            }
        })
        .collect();
    Section {
        title: "Status IKU: persentase berita negatif".into(),
        items,
        empty: "Belum ada berita.",
        numbered: false,
    }
}

fn forecast_section(d: &DigestInput) -> Option<Section> {
    let f = d.forecast.as_ref()?;
    let mut items = vec![Item::plain(format!(
        "Proyeksi akhir periode {}: {} (IK 95 %: {}–{})",
        f.period,
        percent_id(f.projected),
        number_id(f.ci_low),
        percent_id(f.ci_high)
    ))];
    if let Some(p) = f.p_over_target {
        items.push(Item::plain(format!(
            "Peluang melewati target: {}",
            percent_id(p * 100.0)
        )));
    }
    if let Some(b) = f.remaining_budget {
        items.push(Item::plain(if b == 0 {
            "Sisa anggaran: tidak ada; satu berita negatif lagi membawa bulan ini ke atas target pada volume proyeksi".into()
        } else {
            format!("Sisa anggaran: {b} berita negatif lagi masih di bawah target pada volume proyeksi")
        }));
    }
    Some(Section {
        title: "Proyeksi dan sisa anggaran".into(),
        items,
        empty: "",
        numbered: false,
    })
}

fn spike_section(d: &DigestInput) -> Section {
    let items = d
        .spikes
        .iter()
        .map(|s| {
            let when = if s.window == "hour" {
                "Jam terakhir"
            } else {
                "Hari ini"
            };
            Item::plain(if s.kind == "share" {
                format!(
                    "{when}: pangsa berita negatif {} (biasanya {}), {} dari {} berita",
                    percent_id(s.observed),
                    percent_id(s.expected),
                    s.negatives,
                    s.articles
                )
            } else {
                format!(
                    "{when}: {} berita negatif (biasanya {})",
                    s.negatives,
                    number_id(s.expected)
                )
            })
        })
        .collect();
    Section {
        title: "Lonjakan berita negatif".into(),
        items,
        empty: "Tidak ada lonjakan.",
        numbered: false,
    }
}

fn negatives_section(d: &DigestInput) -> Section {
    let tz = d.time_zone;
    let items = d
        .negatives
        .iter()
        .map(|a| {
            let mut details = Vec::new();
            if !a.why.is_empty() {
                details.push(format!("Mengapa negatif: {}", a.why.join(", ")));
            }
            if a.reviewed {
                details.push("Sudah ditinjau analis".into());
            }
            Item {
                strong: Some(a.title.clone()),
                text: format!(" — {}, {}", a.outlet, short_time(a.published, tz)),
                link: a.url.clone(),
                details,
            }
        })
        .collect();
    let shown = d.negatives.len() as u64;
    let title = if shown < d.new_negative {
        format!(
            "Berita negatif baru ({shown} dari {}, yang terbaru)",
            d.new_negative
        )
    } else {
        format!("Berita negatif baru ({})", d.new_negative)
    };
    Section {
        title,
        items,
        empty: "Tidak ada berita negatif baru.",
        numbered: true,
    }
}

fn review_section(d: &DigestInput) -> Section {
    let r = &d.review;
    let mut items = Vec::new();
    if r.unreviewed_negatives > 0 {
        items.push(Item::plain(format!(
            "{} berita negatif baru belum ditinjau analis",
            r.unreviewed_negatives
        )));
    }
    if let Some(p) = &r.audit_period {
        if r.audit_unreviewed > 0 {
            items.push(Item::plain(format!(
                "Sampel audit {p}: {} dari {} berita belum ditinjau",
                r.audit_unreviewed, r.audit_drawn
            )));
        }
    }
    Section {
        title: "Perlu ditinjau".into(),
        items,
        empty: "Tidak ada.",
        numbered: false,
    }
}

fn issues_section(d: &DigestInput) -> Option<Section> {
    if d.top_issues.is_empty() {
        return None;
    }
    Some(Section {
        title: "Isu utama".into(),
        items: (d.top_issues.iter())
            .map(|(name, n)| Item::plain(format!("{name}: {n} berita negatif")))
            .collect(),
        empty: "",
        numbered: true,
    })
}

/// Whether the digest carries a warning: a spike, a window over its
/// target, or a month more likely than not to close over it.
fn warns(d: &DigestInput) -> bool {
    !d.spikes.is_empty()
        || d.windows
            .iter()
            .any(|w| status(w) == Some("Tidak tercapai"))
        || (d.forecast.as_ref()).is_some_and(|f| f.p_over_target.is_some_and(|p| p >= 0.5))
}

fn subject(d: &DigestInput) -> String {
    let mut s = String::new();
    if warns(d) {
        s.push_str("[PERINGATAN] ");
    }
    s.push_str(&format!(
        "Kliping {}, {}: {} berita negatif baru",
        d.entity_name,
        long_time(d.until, d.time_zone),
        d.new_negative
    ));
    if let Some(w) = d.windows.first() {
        if let Some(p) = w.percent {
            s.push_str(&format!(", bulan ini {}", percent_id(p)));
            if let Some(t) = w.target {
                s.push_str(&format!(" (target < {})", percent_id(t)));
            }
        }
    }
    s
}

fn sections(d: &DigestInput) -> Vec<Section> {
    let mut out = vec![kpi_section(d)];
    out.extend(forecast_section(d));
    out.push(spike_section(d));
    out.push(negatives_section(d));
    out.extend(issues_section(d));
    out.push(review_section(d));
    out
}

fn intro(d: &DigestInput) -> String {
    format!(
        "{} berita tentang {} tersimpan sejak {} (sampai {}).",
        d.new_articles,
        d.entity_name,
        long_time(d.since, d.time_zone),
        long_time(d.until, d.time_zone)
    )
}

/// Renders the digest for every channel.
pub fn render(d: &DigestInput) -> Rendered {
    let subject = subject(d);
    let sections = sections(d);
    Rendered {
        text: plain(d, &subject, &sections),
        html: html(d, &subject, &sections),
        telegram: telegram(d, &subject, &sections),
        subject,
    }
}

fn plain(d: &DigestInput, subject: &str, sections: &[Section]) -> String {
    let mut out = format!("{subject}\n\n{}\n", intro(d));
    for s in sections {
        let rule = "-".repeat(s.title.chars().count());
        out.push_str(&format!("\n{}\n{rule}\n", s.title));
        if s.items.is_empty() {
            out.push_str(&format!("  {}\n", s.empty));
        }
        for (i, item) in s.items.iter().enumerate() {
            let bullet = if s.numbered {
                format!("{}.", i + 1)
            } else {
                "-".into()
            };
            let strong = item.strong.as_deref().unwrap_or("");
            out.push_str(&format!("  {bullet} {strong}{}\n", item.text));
            if let Some(url) = &item.link {
                out.push_str(&format!("     {url}\n"));
            }
            for line in &item.details {
                out.push_str(&format!("     {line}\n"));
            }
        }
    }
    if let Some(url) = &d.dashboard_url {
        out.push_str(&format!("\nDasbor: {url}\n"));
    }
    out.push_str("\n-- \nSurel ini dikirim otomatis oleh pantau; balasan tidak dibaca.\n");
    out
}

fn html(d: &DigestInput, subject: &str, sections: &[Section]) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">",
    );
    out.push_str(&format!("<title>{}</title></head>\n", esc(subject)));
    out.push_str(
        "<body style=\"font-family:Arial,Helvetica,sans-serif;color:#1f2933;max-width:680px;margin:0 auto;padding:16px\">\n",
    );
    out.push_str(&format!(
        "<h1 style=\"font-size:20px\">{}</h1>\n<p>{}</p>\n",
        esc(subject),
        esc(&intro(d))
    ));
    for s in sections {
        out.push_str(&format!(
            "<h2 style=\"font-size:16px;border-bottom:1px solid #d0d7de;padding-bottom:4px\">{}</h2>\n",
            esc(&s.title)
        ));
        if s.items.is_empty() {
            out.push_str(&format!("<p>{}</p>\n", esc(s.empty)));
            continue;
        }
        let list = if s.numbered { "ol" } else { "ul" };
        out.push_str(&format!("<{list}>\n"));
        for item in &s.items {
            out.push_str("<li style=\"margin-bottom:8px\">");
            if let Some(strong) = &item.strong {
                match &item.link {
                    Some(url) => out.push_str(&format!(
                        "<a href=\"{}\"><strong>{}</strong></a>",
                        attr(url),
                        esc(strong)
                    )),
                    None => out.push_str(&format!("<strong>{}</strong>", esc(strong))),
                }
            }
            out.push_str(&esc(&item.text));
            for line in &item.details {
                out.push_str(&format!(
                    "<br><span style=\"color:#52606d\">{}</span>",
                    esc(line)
                ));
            }
            out.push_str("</li>\n");
        }
        out.push_str(&format!("</{list}>\n"));
    }
    if let Some(url) = &d.dashboard_url {
        out.push_str(&format!(
            "<p><a href=\"{}\">Buka dasbor pantau</a></p>\n",
            attr(url)
        ));
    }
    out.push_str(
        "<p style=\"color:#7b8794;font-size:12px\">Dikirim oleh pantau.</p>\n</body></html>\n",
    );
    out
}

/// Telegram's HTML: bold titles and headlines, links; each line balanced,
/// so the messages split between lines.
fn telegram(d: &DigestInput, subject: &str, sections: &[Section]) -> Vec<String> {
    let mut lines = vec![format!("<b>{}</b>", esc(subject)), String::new()];
    lines.push(esc(&intro(d)).into_owned());
    for s in sections {
        lines.push(String::new());
        lines.push(format!("<b>{}</b>", esc(&s.title)));
        if s.items.is_empty() {
            lines.push(esc(s.empty).into_owned());
        }
        for (i, item) in s.items.iter().enumerate() {
            let bullet = if s.numbered {
                format!("{}.", i + 1)
            } else {
                "•".into()
            };
            let head = match (&item.strong, &item.link) {
                (Some(t), Some(url)) => format!("<a href=\"{}\">{}</a>", attr(url), esc(t)),
                (Some(t), None) => format!("<b>{}</b>", esc(t)),
                _ => String::new(),
            };
            lines.push(format!("{bullet} {head}{}", esc(&item.text)));
            for line in &item.details {
                lines.push(format!("   <i>{}</i>", esc(line)));
            }
        }
    }
    if let Some(url) = &d.dashboard_url {
        lines.push(String::new());
        lines.push(format!("<a href=\"{}\">Buka dasbor pantau</a>", attr(url)));
    }
    split_messages(&lines, TELEGRAM_LIMIT)
}

/// Joins lines into messages of at most `limit` characters, breaking
/// between lines (a single longer line is cut at a character boundary,
/// which only a pathological headline reaches).
fn split_messages(lines: &[String], limit: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines {
        let line: String = if line.chars().count() > limit {
            line.chars().take(limit).collect()
        } else {
            line.clone()
        };
        if current.chars().count() + line.chars().count() + 1 > limit && !current.is_empty() {
            out.push(std::mem::take(&mut current).trim_end().to_owned());
        }
        current.push_str(&line);
        current.push('\n');
    }
    if !current.trim().is_empty() {
        out.push(current.trim_end().to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{DigestArticle, Forecast, ReviewNeeds, SpikeLine};

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn article(i: usize, title: &str) -> DigestArticle {
        DigestArticle {
            id: format!("a{i}"),
            title: title.into(),
            outlet: "Kompas.com".into(),
            url: Some(format!("https://example.com/{i}?a=1&b=2")),
            published: t("2026-12-03T00:12:00Z"),
            why: vec!["korupsi".into(), "salah sasaran".into()],
            reviewed: false,
        }
    }

    fn input() -> DigestInput {
        DigestInput {
            entity: "kemensos".into(),
            entity_name: "Kementerian Sosial RI".into(),
            time_zone: chrono_tz::Asia::Jakarta,
            since: t("2026-12-02T10:00:00Z"),
            until: t("2026-12-03T00:00:00Z"),
            windows: vec![
                WindowStatus {
                    window: "month",
                    period: "2026-12".into(),
                    percent: Some(12.5),
                    negative: 5,
                    denominator: 40,
                    target: Some(15.0),
                    audited: Some((14.0, 9.5, 20.1, 30)),
                },
                WindowStatus {
                    window: "year",
                    period: "2026".into(),
                    percent: Some(16.0),
                    negative: 160,
                    denominator: 1000,
                    target: Some(15.0),
                    audited: None,
                },
            ],
            forecast: Some(Forecast {
                period: "2026-12".into(),
                projected: 12.9,
                ci_low: 9.0,
                ci_high: 17.5,
                p_over_target: Some(0.21),
                remaining_budget: Some(34),
            }),
            spikes: vec![SpikeLine {
                window: "day",
                kind: "share",
                observed: 45.0,
                expected: 11.0,
                negatives: 9,
                articles: 20,
            }],
            new_articles: 20,
            new_negative: 3,
            negatives: vec![
                article(1, "Bansos <salah> sasaran & KPK"),
                article(2, "Penyaluran PKH terlambat"),
            ],
            review: ReviewNeeds {
                unreviewed_negatives: 3,
                audit_drawn: 40,
                audit_unreviewed: 10,
                audit_period: Some("2026-12".into()),
            },
            top_issues: vec![],
            dashboard_url: Some("http://127.0.0.1:9464/".into()),
        }
    }

    #[test]
    fn indonesian_numbers_dates_and_status() {
        let r = render(&input());
        assert!(r.subject.starts_with("[PERINGATAN] Kliping Kementerian Sosial RI, Kamis, 3 Desember 2026 pukul 07.00 WIB: 3 berita negatif baru, bulan ini 12,5 % (target < 15,0 %)"), "{}", r.subject);
        assert!(
            r.text.contains(
                "Bulan ini (2026-12): 12,5 % (5 dari 40 berita) · target < 15,0 % · Tercapai"
            ),
            "{}",
            r.text
        );
        assert!(r.text.contains(
            "Tahun ini (2026): 16,0 % (160 dari 1000 berita) · target < 15,0 % · Tidak tercapai"
        ));
        assert!(r.text.contains(
            "Estimasi teraudit: 14,0 % (IK 95 %: 9,5–20,1 %), 30 berita ditinjau · belum pasti"
        ));
        assert!(r.text.contains(
            "Hari ini: pangsa berita negatif 45,0 % (biasanya 11,0 %), 9 dari 20 berita"
        ));
        assert!(r.text.contains("Sisa anggaran: 34 berita negatif lagi"));
        assert!(r
            .text
            .contains("Berita negatif baru (2 dari 3, yang terbaru)"));
        assert!(r
            .text
            .contains("1. Bansos <salah> sasaran & KPK — Kompas.com, 3 Des 07.12"));
        assert!(r.text.contains("Mengapa negatif: korupsi, salah sasaran"));
        assert!(r
            .text
            .contains("Sampel audit 2026-12: 10 dari 40 berita belum ditinjau"));
        assert!(!r.text.contains("Isu utama"), "no issues, no section");
    }

    #[test]
    fn html_and_telegram_escape_what_they_quote() {
        let r = render(&input());
        assert!(r.html.contains("Bansos &lt;salah&gt; sasaran &amp; KPK"));
        assert!(r
            .html
            .contains("href=\"https://example.com/1?a=1&amp;b=2\""));
        assert!(!r.html.contains("<salah>"));
        let tg = r.telegram.join("\n");
        assert!(tg.contains("<a href=\"https://example.com/1?a=1&amp;b=2\">Bansos &lt;salah&gt; sasaran &amp; KPK</a>"), "{tg}");
        assert!(tg.starts_with("<b>[PERINGATAN] Kliping"));
    }

    #[test]
    fn a_calm_digest_warns_of_nothing() {
        let mut d = input();
        d.spikes.clear();
        d.windows.truncate(1);
        d.forecast.as_mut().unwrap().p_over_target = Some(0.1);
        let r = render(&d);
        assert!(r.subject.starts_with("Kliping "), "{}", r.subject);
        assert!(r.text.contains("Tidak ada lonjakan."));
        d.forecast.as_mut().unwrap().p_over_target = Some(0.6);
        assert!(render(&d).subject.starts_with("[PERINGATAN]"));
    }

    #[test]
    fn long_digests_split_into_telegram_sized_messages_between_lines() {
        let mut d = input();
        d.negatives = (0..200)
            .map(|i| article(i, &format!("Berita negatif nomor {i} tentang bansos")))
            .collect();
        d.new_negative = 200;
        let r = render(&d);
        assert!(r.telegram.len() > 1);
        for m in &r.telegram {
            assert!(m.chars().count() <= TELEGRAM_LIMIT);
            assert_eq!(m.matches("<a ").count(), m.matches("</a>").count());
        }
        let all = r.telegram.join("\n");
        assert!(all.contains("200. <a href=\"https://example.com/199"));
    }
}
