//! `pantau eval`: the classifier measured on labelled files — tone
//! (accuracy, macro-F1, confusion matrix), relevance (precision, recall,
//! F1) and, where a file labels both, the negative share the KPI would
//! report against the true one.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use pantau_model::Sentiment;
use pantau_sentiment::eval::{Binary, Confusion, NegativeShare};
use pantau_sentiment::{compose, Input};

use crate::classify::Classify;

mod read;
pub use read::{read, Example, Format, Gold};

/// The figures of one labelled set.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// Rows.
    pub rows: u64,
    /// Tone on the rows that label it (news: the relevant ones).
    pub tone: Confusion,
    /// Relevance, where labelled.
    pub relevance: Binary,
    /// The negative share, where relevance and tone are both labelled.
    pub share: NegativeShare,
}

/// Scores every example. With an entity, relevance is decided by its
/// matcher and tone is targeted at its mentions; without one, texts are
/// scored whole and relevance cannot be measured.
pub fn evaluate(
    classify: &Classify,
    entity: Option<usize>,
    examples: &[Example],
    mut predictions: Option<&mut dyn Write>,
) -> anyhow::Result<Figures> {
    let mut f = Figures::default();
    if let Some(w) = predictions.as_mut() {
        writeln!(w, "line\tgold\tpredicted\tscore\trelevance\ttext")?;
    }
    let matcher = entity.map(|i| &classify.entities[i].1);
    for e in examples {
        let (text, title_len) = compose(&e.text, "", "");
        let verdict = matcher.map(|m| m.assess(&text));
        let mentions: Vec<_> = verdict
            .iter()
            .filter(|v| v.relevant)
            .flat_map(|v| v.mentions.iter().map(|m| m.span.clone()))
            .collect();
        let s = classify.classifier.tone(Input {
            text: &text,
            title_len,
            mentions: &mentions,
        });
        let relevant = verdict.as_ref().map(|v| v.relevant);
        let need_entity = || {
            anyhow::anyhow!(
                "line {}: a relevance label needs an entity to match (give --entity)",
                e.line
            )
        };
        match e.gold {
            Gold::Tone(gold) => f.tone.add(gold, s.sentiment),
            Gold::Relevance(gold) => f.relevance.add(gold, relevant.ok_or_else(need_entity)?),
            Gold::News {
                relevant: gold,
                tone,
            } => {
                let predicted = relevant.ok_or_else(need_entity)?;
                f.relevance.add(gold, predicted);
                if let Some(t) = tone {
                    f.tone.add(t, s.sentiment);
                }
                f.share.add((gold, tone), (predicted, s.sentiment));
            }
        }
        f.rows += 1;
        if let Some(w) = predictions.as_mut() {
            let gold = match e.gold {
                Gold::Tone(t) => t.to_string(),
                Gold::Relevance(r) => if r { "y" } else { "n" }.to_owned(),
                Gold::News { relevant, tone } => match tone {
                    Some(t) => t.to_string(),
                    None if !relevant => "-".to_owned(),
                    None => "?".to_owned(),
                },
            };
            let rel = verdict.as_ref().map_or(String::new(), |v| {
                format!("{}: {}", if v.relevant { "y" } else { "n" }, v.reason)
            });
            let text = e.text.replace(['\t', '\n'], " ");
            writeln!(
                w,
                "{}\t{}\t{}\t{:.4}\t{}\t{}",
                e.line, gold, s.sentiment, s.score, rel, text
            )?;
        }
    }
    Ok(f)
}

/// Prints one set's full report.
pub fn print_report(out: &mut impl Write, title: &str, f: &Figures) -> std::io::Result<()> {
    writeln!(out, "{title} — {} rows", f.rows)?;
    let b = &f.relevance;
    if b.total() > 0 {
        writeln!(
            out,
            "  relevance  precision {:.4}  recall {:.4}  F1 {:.4}   (tp {}, fp {}, fn {}, tn {})",
            b.precision(),
            b.recall(),
            b.f1(),
            b.true_positive,
            b.false_positive,
            b.false_negative,
            b.true_negative
        )?;
    }
    let k = &f.share;
    if k.true_relevant > 0 {
        writeln!(
            out,
            "  negative share  predicted {:.1} % ({} of {} counted)  true {:.1} % ({} of {})  gap {:+.1} points",
            k.predicted_pct(),
            k.predicted_negative,
            k.predicted_relevant,
            k.true_pct(),
            k.true_negative,
            k.true_relevant,
            k.gap_points()
        )?;
    }
    let c = &f.tone;
    if c.total() == 0 {
        return Ok(());
    }
    writeln!(
        out,
        "  tone ({} rows)  accuracy {:.4}   macro-F1 {:.4}",
        c.total(),
        c.accuracy(),
        c.macro_f1()
    )?;
    writeln!(out, "  class      precision  recall     f1   support")?;
    for s in c.per_class() {
        writeln!(
            out,
            "  {:<9}  {:>9.4}  {:>6.4}  {:>6.4}  {:>7}",
            s.class.as_str(),
            s.precision,
            s.recall,
            s.f1,
            s.support
        )?;
    }
    writeln!(out, "  confusion (rows: gold, columns: predicted)")?;
    writeln!(out, "             negative   neutral  positive")?;
    for (g, row) in Sentiment::ALL.iter().zip(c.counts) {
        writeln!(
            out,
            "  {:<9}  {:>9} {:>9} {:>9}",
            g.as_str(),
            row[0],
            row[1],
            row[2]
        )?;
    }
    Ok(())
}

/// The examples of a file grouped by split, in the order they first appear
/// (one group, unnamed, when the file has no splits).
fn by_split(examples: Vec<Example>) -> Vec<(Option<String>, Vec<Example>)> {
    let mut groups: Vec<(Option<String>, Vec<Example>)> = Vec::new();
    for e in examples {
        match groups.iter_mut().find(|(s, _)| *s == e.split) {
            Some((_, g)) => g.push(e),
            None => groups.push((e.split.clone(), vec![e])),
        }
    }
    groups
}

/// Formats a figure, or a dash where the set does not measure it.
fn cell(present: bool, value: f64, digits: usize) -> String {
    if present {
        format!("{value:.digits$}")
    } else {
        "–".to_owned()
    }
}

/// `pantau eval`: every file's (and split's) report, then one summary table.
pub fn run(
    classify: &Classify,
    entity: Option<usize>,
    files: &[PathBuf],
    format: Option<Format>,
    predictions: Option<&Path>,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut summary = Vec::new();
    let mut pred_file = match predictions {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None => None,
    };
    for path in files {
        let fmt = format.unwrap_or_else(|| Format::guess(path));
        for (split, examples) in by_split(read(path, fmt)?) {
            let title = match &split {
                Some(s) => format!("{} [{s}]", path.display()),
                None => path.display().to_string(),
            };
            let f = evaluate(
                classify,
                entity,
                &examples,
                pred_file.as_mut().map(|w| w as &mut dyn Write),
            )
            .with_context(|| title.clone())?;
            print_report(&mut out, &title, &f)?;
            writeln!(out)?;
            summary.push((title, f));
        }
    }
    if summary.len() > 1 {
        writeln!(
            out,
            "| set | rows | tone macro-F1 | relevance P / R / F1 | negative share predicted / true (gap) |"
        )?;
        writeln!(out, "|---|---:|---:|---:|---:|")?;
        for (title, f) in &summary {
            let (b, k) = (&f.relevance, &f.share);
            let rel = b.total() > 0;
            let share = if k.true_relevant > 0 {
                format!(
                    "{:.1} % / {:.1} % ({:+.1})",
                    k.predicted_pct(),
                    k.true_pct(),
                    k.gap_points()
                )
            } else {
                "–".to_owned()
            };
            writeln!(
                out,
                "| {} | {} | {} | {} / {} / {} | {} |",
                title,
                f.rows,
                cell(f.tone.total() > 0, f.tone.macro_f1(), 4),
                cell(rel, b.precision(), 3),
                cell(rel, b.recall(), 3),
                cell(rel, b.f1(), 3),
                share
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_are_reported_apart_in_the_order_they_come() {
        let ex = |split: &str| Example {
            line: 1,
            text: String::new(),
            gold: Gold::Relevance(true),
            split: Some(split.to_owned()),
        };
        let groups = by_split(vec![ex("train"), ex("test"), ex("train")]);
        let names: Vec<_> = groups
            .iter()
            .map(|(s, g)| (s.as_deref(), g.len()))
            .collect();
        assert_eq!(names, [(Some("train"), 2), (Some("test"), 1)]);
    }

    fn kemensos() -> Classify {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text = std::fs::read_to_string(root.join("config/entities/kemensos.toml")).unwrap();
        let mut e: pantau_config::EntityConfig = toml::from_str(&text).unwrap();
        e.id = "kemensos".into();
        let classifier = pantau_sentiment::Classifier::load(&root.join("config/lexicon")).unwrap();
        Classify::new(classifier, &[e])
    }

    #[test]
    fn news_rows_are_measured_for_relevance_tone_and_the_share() {
        let rows = [
            (
                "Kemensos Salurkan Bantuan untuk Korban Banjir Bekasi",
                true,
                Some(Sentiment::Positive),
            ),
            (
                "KPK Periksa Pejabat Kemensos Terkait Korupsi Bansos",
                true,
                Some(Sentiment::Negative),
            ),
            (
                "Satgas PKH Sita 20 Ribu Hektare Kebun Sawit Ilegal",
                false,
                None,
            ),
        ];
        let examples: Vec<Example> = rows
            .iter()
            .enumerate()
            .map(|(i, (t, relevant, tone))| Example {
                line: i + 2,
                text: (*t).to_owned(),
                gold: Gold::News {
                    relevant: *relevant,
                    tone: *tone,
                },
                split: None,
            })
            .collect();
        let c = kemensos();
        let f = evaluate(&c, Some(0), &examples, None).unwrap();
        assert_eq!(f.rows, 3);
        assert_eq!(f.relevance.true_positive + f.relevance.false_negative, 2);
        assert_eq!(f.tone.total(), 2, "tone is measured on the relevant rows");
        assert_eq!(f.share.true_relevant, 2);
        assert_eq!(f.share.true_negative, 1);
        // Without an entity a relevance label cannot be measured.
        let e = evaluate(&c, None, &examples, None).unwrap_err().to_string();
        assert!(e.contains("needs an entity"), "{e}");
    }

    /// The quality bars on the shared evaluation data (regression guards:
    /// they fail when a lexicon or rule change makes the classifier worse).
    #[test]
    fn shared_eval_quality_bars() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let shared = root.join("../shared/eval");
        assert!(
            shared.is_dir(),
            "../shared/eval is missing ({}): this test needs the shared evaluation data beside the clone",
            shared.display()
        );
        let c = kemensos();
        let figures = |file: &str, entity: Option<usize>| {
            let path = shared.join(file);
            let ex = read(&path, Format::guess(&path)).unwrap();
            by_split(ex)
                .into_iter()
                .map(|(split, ex)| (split, evaluate(&c, entity, &ex, None).unwrap()))
                .collect::<Vec<_>>()
        };
        let nusax = figures("nusax-senti/indonesian/test.csv", None)[0]
            .1
            .tone
            .macro_f1();
        assert!(nusax >= 0.72, "NusaX-ID test macro-F1 {nusax:.4} < 0.72");
        let smsa = figures("smsa/valid_preprocess.tsv", None)[0]
            .1
            .tone
            .macro_f1();
        assert!(smsa >= 0.75, "SmSA valid macro-F1 {smsa:.4} < 0.75");
        // Real ministry headlines: relevance, the tone toward the ministry,
        // and the KPI itself (the lexicon was tuned on train only).
        for (split, f) in figures("kemensos-news/headlines.tsv", Some(0)) {
            let split = split.unwrap_or_default();
            let (p, f1) = (f.relevance.precision(), f.relevance.f1());
            assert!(
                p >= 0.98 && f1 >= 0.95,
                "kemensos-news {split}: relevance P {p:.3} F1 {f1:.3}"
            );
            let tone = f.tone.macro_f1();
            assert!(
                tone >= 0.75,
                "kemensos-news {split}: tone macro-F1 {tone:.4} < 0.75"
            );
            let gap = f.share.gap_points();
            assert!(
                gap.abs() <= 2.0,
                "kemensos-news {split}: negative share off by {gap:+.1} points"
            );
        }
    }
}
