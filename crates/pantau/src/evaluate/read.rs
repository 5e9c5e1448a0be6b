//! The labelled files `pantau eval` reads: NusaX CSV, SmSA and pantau's
//! own TSV (tone or relevance), and headlines labelled for both.

use std::path::Path;

use anyhow::{bail, Context};
use pantau_model::Sentiment;

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
        std::fs::write(&news, "title\trelevant\tsentiment\nX\tmaybe\t-\n").unwrap();
        let e = read(&news, Format::News).unwrap_err().to_string();
        assert!(
            e.contains("headlines.tsv:2: `relevant` must be y or n"),
            "{e}"
        );
    }
}
