//! `pantau import FILE`: clippings, transcripts and exports from a file —
//! JSONL (one item per line) or CSV (a header naming the item's fields).
//! Each valid item is admitted, classified and stored (idempotently); a
//! bad line is reported with its number and never stops the file.

use std::io::BufRead;
use std::path::Path;

use anyhow::Context;
use chrono::Utc;
use chrono_tz::Tz;
use pantau_model::RawArticle;
use pantau_store::Store;
use serde::Serialize;

use super::admission::{Admission, Status};
use super::item::Item;
use crate::classify::Classify;

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportSummary {
    /// Items read.
    pub read: usize,
    /// Newly stored (and counted).
    pub stored: usize,
    /// Already stored, or repeated in the file.
    pub duplicates: usize,
    /// Not about any monitored entity.
    pub not_relevant: usize,
    /// Line number and reason.
    pub rejected: Vec<(usize, String)>,
}

/// Items per store transaction.
const BATCH: usize = 500;

/// Reads the file's items, each with its line number.
fn read_items(path: &Path, csv_format: bool) -> anyhow::Result<Vec<(usize, Result<Item, String>)>> {
    let name = path.display().to_string();
    let mut items = Vec::new();
    if csv_format {
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .with_context(|| format!("{name}: cannot open"))?;
        let headers = r
            .headers()
            .with_context(|| format!("{name}: no header"))?
            .clone();
        for (i, rec) in r.records().enumerate() {
            let line = i + 2;
            let item = rec
                .map_err(|e| format!("malformed CSV: {e}"))
                .and_then(|rec| {
                    let mut obj = serde_json::Map::new();
                    for (h, v) in headers.iter().zip(rec.iter()) {
                        // An empty optional cell is an absent value; an empty
                        // required one is kept, so validation names the field.
                        let h = h.trim();
                        if v.is_empty() && matches!(h, "url" | "external_id" | "text" | "summary") {
                            continue;
                        }
                        obj.insert(h.to_owned(), serde_json::Value::String(v.to_owned()));
                    }
                    serde_json::from_value::<Item>(serde_json::Value::Object(obj))
                        .map_err(|e| e.to_string())
                });
            items.push((line, item));
        }
    } else {
        let f = std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("{name}: cannot open"))?,
        );
        for (i, line) in f.lines().enumerate() {
            let line_no = i + 1;
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    items.push((line_no, Err(format!("unreadable line: {e}"))));
                    continue;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            items.push((
                line_no,
                serde_json::from_str::<Item>(&line).map_err(|e| e.to_string()),
            ));
        }
    }
    Ok(items)
}

/// Imports a file into the store; dates without a time are read in `tz`.
pub async fn import_file(
    store: &Store,
    classify: &Classify,
    path: &Path,
    csv_format: bool,
    tz: Tz,
) -> anyhow::Result<ImportSummary> {
    let items = read_items(path, csv_format)?;
    let mut summary = ImportSummary::default();
    let now = Utc::now();
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(items.len() as u64).with_style(
        indicatif::ProgressStyle::with_template(
            "[{bar:30}] {pos}/{len} items, {per_sec} ({eta} left)",
        )
        .expect("valid template")
        .progress_chars("#> "),
    );
    let mut admission = Admission::new(store, classify);
    let mut batch: Vec<RawArticle> = Vec::with_capacity(BATCH);
    let n = items.len();
    for (k, (line, item)) in items.into_iter().enumerate() {
        summary.read += 1;
        let raw = item.and_then(|it| {
            it.to_raw(line, now, tz).map_err(|errs| {
                errs.iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        });
        match raw {
            Ok(raw) => batch.push(raw),
            Err(why) => summary.rejected.push((line, why)),
        }
        if batch.len() >= BATCH || k + 1 == n {
            let known = admission.known(&batch).await?;
            let mut scored = Vec::with_capacity(batch.len());
            for mut raw in batch.drain(..) {
                match admission.decide(&mut raw, &known) {
                    Status::New => scored.push(classify.classify(raw)),
                    Status::Duplicate => summary.duplicates += 1,
                    Status::NotRelevant => summary.not_relevant += 1,
                }
            }
            summary.stored += scored.len();
            store.insert_scored(&scored).await?;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    // The bar draws only on a terminal; the last line is for every reader.
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    eprintln!(
        "{n}/{n} items in {secs:.1} s ({:.0} items/s)",
        n as f64 / secs
    );
    Ok(summary)
}
