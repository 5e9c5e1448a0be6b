//! `pantau eval`: the classifier measured on labelled files — tone
//! (accuracy, macro-F1, confusion matrix), relevance (precision, recall,
//! F1) and, where a file labels both, the negative share the KPI would
//! report against the true one.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use pantau_model::Sentiment;
use pantau_sentiment::eval::{Binary, Confusion, NegativeShare};
use pantau_sentiment::{compose, Input};

use crate::classify::Classify;

/// How a labelled file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// NusaX-senti CSV: `id,text,label` with a header.
    Nusax,
    /// IndoNLU SmSA: `text<TAB>label`, no header.
    Smsa,
    /// `text<TAB>label`, optional `text<TAB>label` header (pantau's own
    /// exports); a label is a sentiment, or `y`/`n` for relevance.
    Tsv,
    /// Headlines labelled for relevance and tone (kemensos-news
    /// `headlines.tsv`): a header naming `title`, `relevant` (y/n) and
    /// `sentiment` (`-` when not relevant), optionally `split`; each split
    /// is reported on its own.
    News,
}

impl Format {
    /// Guesses from the file: `.csv` is NusaX; a TSV whose header names
    /// `title` and `relevant` is news; anything else TSV.
    pub fn guess(path: &Path) -> Format {
        if path.extension().and_then(|e| e.to_str()) == Some("csv") {
            return Format::Nusax;
        }
        let header = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| t.lines().next().map(str::to_owned))
            .unwrap_or_default();
        let cols: Vec<&str> = header.split('\t').collect();
        if cols.contains(&"title") && cols.contains(&"relevant") {
            Format::News
        } else {
            Format::Tsv
        }
    }
}

/// What a labelled row says is true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gold {
    /// The tone of a text.
    Tone(Sentiment),
    /// Whether the text is about the entity.
    Relevance(bool),
    /// Both: relevance, and the tone toward the entity when relevant.
    News {
        /// Whether it is about the entity.
        relevant: bool,
        /// Its tone toward the entity (`None` when not relevant).
        tone: Option<Sentiment>,
    },
}

/// One labelled example.
#[derive(Debug, Clone)]
pub struct Example {
    /// 1-based line (or record) number, for messages.
    pub line: usize,
    /// The text (a headline is decoded as a feed's would be).
    pub text: String,
    /// The gold label.
    pub gold: Gold,
    /// The split it belongs to (`train`, `test`), when the file says.
    pub split: Option<String>,
}

fn relevance_label(s: &str) -> Option<bool> {
    match s {
        "y" | "yes" | "relevant" => Some(true),
        "n" | "no" | "not_relevant" => Some(false),
        _ => None,
    }
}

/// Reads a labelled file; a malformed row is an error naming the file and line.
pub fn read(path: &Path, format: Format) -> anyhow::Result<Vec<Example>> {
    let name = path.display();
    let mut out = Vec::new();
    match format {
        Format::Nusax => {
            let mut r =
                csv::Reader::from_path(path).with_context(|| format!("{name}: cannot open"))?;
            let headers = r
                .headers()
                .with_context(|| format!("{name}: no header"))?
                .clone();
            let col = |n: &str| headers.iter().position(|h| h == n);
            let (Some(t), Some(l)) = (col("text"), col("label")) else {
                bail!("{name}: header must have `text` and `label` columns, found {headers:?}");
            };
            for (i, rec) in r.records().enumerate() {
                let line = i + 2;
                let rec = rec.with_context(|| format!("{name}:{line}: malformed CSV"))?;
                let label = rec.get(l).unwrap_or("");
                out.push(Example {
                    line,
                    text: rec.get(t).unwrap_or("").to_owned(),
                    gold: Gold::Tone(label.parse().with_context(|| format!("{name}:{line}"))?),
                    split: None,
                });
            }
        }
        Format::Smsa | Format::Tsv => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("{name}: cannot read"))?;
            for (i, row) in text.lines().enumerate() {
                let line = i + 1;
                if row.trim().is_empty() || (i == 0 && row.starts_with("text\t")) {
                    continue;
                }
                let Some((t, l)) = row.rsplit_once('\t') else {
                    bail!("{name}:{line}: expected text<TAB>label");
                };
                let gold = match relevance_label(l) {
                    Some(relevant) => Gold::Relevance(relevant),
                    None => Gold::Tone(l.parse().with_context(|| format!("{name}:{line}"))?),
                };
                out.push(Example {
                    line,
                    text: pantau_text::plain_line(t),
                    gold,
                    split: None,
                });
            }
        }
        Format::News => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("{name}: cannot read"))?;
            let mut lines = text.lines().enumerate();
            let header: Vec<&str> = lines
                .next()
                .map(|(_, h)| h.split('\t').collect())
                .unwrap_or_default();
            let col = |n: &str| header.iter().position(|h| *h == n);
            let (Some(t), Some(r), Some(s)) = (col("title"), col("relevant"), col("sentiment"))
            else {
                bail!(
                    "{name}:1: header must name `title`, `relevant` and `sentiment` columns, found {header:?}"
                );
            };
            let split = col("split");
            for (i, row) in lines {
                let line = i + 1;
                if row.trim().is_empty() {
                    continue;
                }
                let cells: Vec<&str> = row.split('\t').collect();
                let cell = |c: usize, what: &str| {
                    cells
                        .get(c)
                        .copied()
                        .with_context(|| format!("{name}:{line}: no `{what}` column"))
                };
                let relevant = relevance_label(cell(r, "relevant")?).with_context(|| {
                    format!(
                        "{name}:{line}: `relevant` must be y or n, found {:?}",
                        cells[r]
                    )
                })?;
                let tone = match (relevant, cell(s, "sentiment")?) {
                    (false, _) => None,
                    (true, label) => Some(label.parse().with_context(|| format!("{name}:{line}"))?),
                };
                out.push(Example {
                    line,
                    text: pantau_text::plain_line(cell(t, "title")?),
                    gold: Gold::News { relevant, tone },
                    split: split.and_then(|c| cells.get(c)).map(|s| (*s).to_owned()),
                });
            }
        }
    }
    if out.is_empty() {
        bail!("{name}: no labelled rows");
    }
    Ok(out)
}

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
    fn reads_all_formats_and_names_bad_lines() {
        let d = tempfile::tempdir().unwrap();
        let csv = d.path().join("x.csv");
        std::fs::write(
            &csv,
            "id,text,label\n1,\"bagus, sekali\",positive\n2,jelek,negative\n",
        )
        .unwrap();
        let ex = read(&csv, Format::guess(&csv)).unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].text, "bagus, sekali");
        assert_eq!(ex[1].gold, Gold::Tone(Sentiment::Negative));
        let tsv = d.path().join("x.tsv");
        std::fs::write(
            &tsv,
            "text\tlabel\nmakanan enak\tpositive\nbiasa\tneutral\n",
        )
        .unwrap();
        assert_eq!(read(&tsv, Format::Tsv).unwrap().len(), 2);
        std::fs::write(&tsv, "ok\tpositive\nno label here\n").unwrap();
        let e = read(&tsv, Format::Smsa).unwrap_err().to_string();
        assert!(e.contains("x.tsv:2: expected text<TAB>label"), "{e}");
        std::fs::write(&tsv, "ok\tsenang\n").unwrap();
        let e = format!("{:#}", read(&tsv, Format::Smsa).unwrap_err());
        assert!(e.contains("x.tsv:1") && e.contains("senang"), "{e}");
        // Relevance labels, and a headline's entities decoded as a feed's are.
        std::fs::write(
            &tsv,
            "Mensos &amp; Gubernur Bahas Bansos\ty\nSatgas PKH\tn\n",
        )
        .unwrap();
        let ex = read(&tsv, Format::guess(&tsv)).unwrap();
        assert_eq!(ex[0].gold, Gold::Relevance(true));
        assert_eq!(ex[0].text, "Mensos & Gubernur Bahas Bansos");
        assert_eq!(ex[1].gold, Gold::Relevance(false));
        // News: both labels, by split.
        let news = d.path().join("headlines.tsv");
        std::fs::write(
            &news,
            "split\ttitle\trelevant\tsentiment\nA\tKemensos salurkan bantuan\ty\tpositive\nB\tSatgas PKH sita lahan\tn\t-\n",
        )
        .unwrap();
        assert_eq!(Format::guess(&news), Format::News);
        let ex = read(&news, Format::News).unwrap();
        assert_eq!(
            ex[0].gold,
            Gold::News {
                relevant: true,
                tone: Some(Sentiment::Positive)
            }
        );
        assert_eq!(ex[1].split.as_deref(), Some("B"));
        let groups = by_split(ex);
        assert_eq!(groups.len(), 2);
        std::fs::write(&news, "title\trelevant\tsentiment\nX\tmaybe\t-\n").unwrap();
        let e = read(&news, Format::News).unwrap_err().to_string();
        assert!(
            e.contains("headlines.tsv:2: `relevant` must be y or n"),
            "{e}"
        );
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
    }
}
