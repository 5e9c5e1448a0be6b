//! `pantau eval`: the classifier measured on labelled files.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use pantau_model::Sentiment;
use pantau_sentiment::eval::Confusion;
use pantau_sentiment::{Classifier, Input};

/// How a labelled file is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// NusaX-senti CSV: `id,text,label` with a header.
    Nusax,
    /// IndoNLU SmSA: `text<TAB>label`, no header.
    Smsa,
    /// `text<TAB>label`, optional `text<TAB>label` header (pantau's own exports).
    Tsv,
}

impl Format {
    /// Guesses from the file name: `.csv` is NusaX, anything else TSV.
    pub fn guess(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some("csv") => Format::Nusax,
            _ => Format::Tsv,
        }
    }
}

/// One labelled example.
#[derive(Debug, Clone)]
pub struct Example {
    /// 1-based line (or record) number, for messages.
    pub line: usize,
    /// The text.
    pub text: String,
    /// The gold label.
    pub label: Sentiment,
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
                    label: label.parse().with_context(|| format!("{name}:{line}"))?,
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
                out.push(Example {
                    line,
                    text: t.to_owned(),
                    label: l.parse().with_context(|| format!("{name}:{line}"))?,
                });
            }
        }
    }
    if out.is_empty() {
        bail!("{name}: no labelled rows");
    }
    Ok(out)
}

/// Scores every example with whole-text scoring.
pub fn evaluate(
    classifier: &Classifier,
    examples: &[Example],
    mut predictions: Option<&mut dyn Write>,
) -> anyhow::Result<Confusion> {
    let mut c = Confusion::default();
    if let Some(w) = predictions.as_mut() {
        writeln!(w, "line\tgold\tpredicted\tscore\ttext")?;
    }
    for e in examples {
        let s = classifier.score(Input {
            text: &e.text,
            title_len: 0,
            mentions: &[],
        });
        c.add(e.label, s.sentiment);
        if let Some(w) = predictions.as_mut() {
            let text = e.text.replace(['\t', '\n'], " ");
            writeln!(
                w,
                "{}\t{}\t{}\t{:.4}\t{}",
                e.line, e.label, s.sentiment, s.score, text
            )?;
        }
    }
    Ok(c)
}

/// Prints one file's full report.
pub fn print_report(out: &mut impl Write, path: &Path, c: &Confusion) -> std::io::Result<()> {
    writeln!(out, "{} — {} rows", path.display(), c.total())?;
    writeln!(
        out,
        "  accuracy {:.4}   macro-F1 {:.4}",
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

/// `pantau eval`: every file's report, then one summary table.
pub fn run(
    classifier: &Classifier,
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
    for f in files {
        let fmt = format.unwrap_or_else(|| Format::guess(f));
        let examples = read(f, fmt)?;
        let c = evaluate(
            classifier,
            &examples,
            pred_file.as_mut().map(|w| w as &mut dyn Write),
        )?;
        print_report(&mut out, f, &c)?;
        writeln!(out)?;
        summary.push((f.clone(), c));
    }
    if summary.len() > 1 {
        writeln!(out, "| file | rows | accuracy | macro-F1 |")?;
        writeln!(out, "|---|---:|---:|---:|")?;
        for (f, c) in &summary {
            writeln!(
                out,
                "| {} | {} | {:.4} | {:.4} |",
                f.display(),
                c.total(),
                c.accuracy(),
                c.macro_f1()
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_three_formats_and_names_bad_lines() {
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
        assert_eq!(ex[1].label, Sentiment::Negative);
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
        let classifier = Classifier::load(&root.join("config/lexicon")).unwrap();
        let f1 = |file: &str| {
            let path = shared.join(file);
            let ex = read(&path, Format::guess(&path)).unwrap();
            evaluate(&classifier, &ex, None).unwrap().macro_f1()
        };
        let nusax = f1("nusax-senti/indonesian/test.csv");
        assert!(nusax >= 0.72, "NusaX-ID test macro-F1 {nusax:.4} < 0.72");
        let smsa = f1("smsa/valid_preprocess.tsv");
        assert!(smsa >= 0.75, "SmSA valid macro-F1 {smsa:.4} < 0.75");
    }
}
