//! Every feed of the shared real-world corpus (feedparser's 2,107 test
//! feeds, feed-rs fixtures, Miniflux cases) through the normaliser: none may
//! panic, each is parsed or rejected with an error naming it, and where
//! feedparser's expectation states a title or link, pantau's normalised
//! field is compared with it and the pass rate printed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::Utc;
use pantau_ingest::parse_feed_as;
use pantau_model::{canonical_url, MediaType};

fn shared() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(
        p.is_dir(),
        "../shared/corpus is missing ({}): this test needs the shared corpus beside the clone",
        p.display()
    );
    p
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if !matches!(
            p.file_name().and_then(|n| n.to_str()),
            Some(
                "LICENSE"
                    | "LICENSE-MIT"
                    | "SOURCE.txt"
                    | "MANIFEST.csv"
                    | "EXPECTATIONS.jsonl"
                    | "README.md"
            )
        ) && !p.to_string_lossy().ends_with(".serde.json")
        {
            out.push(p);
        }
    }
}

/// The `Content-Type` a feedparser test file is meant to be served with.
fn content_type(headers: &serde_json::Value) -> Option<String> {
    headers.as_array()?.iter().find_map(|h| {
        let h = h.as_str()?;
        let (k, v) = h.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| v.trim().to_owned())
    })
}

/// Python string literal → text (the escapes the expectations use).
fn py_string(lit: &str) -> Option<String> {
    let q = lit.chars().next()?;
    let inner = lit.strip_prefix(q)?.strip_suffix(q)?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `feed['title'] == '…'`-style checks this test can evaluate.
fn checks(expect: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (pat, field) in [
        ("feed['title'] == ", "feed.title"),
        ("feed.title == ", "feed.title"),
        ("entries[0]['title'] == ", "entry.title"),
        ("entries[0].title == ", "entry.title"),
        ("entries[0]['link'] == ", "entry.link"),
        ("entries[0].link == ", "entry.link"),
    ] {
        if let Some(at) = expect.find(pat) {
            let rest = &expect[at + pat.len()..];
            let q = rest.chars().next().unwrap_or(' ');
            if q != '\'' && q != '"' {
                continue;
            }
            // The literal ends at the next unescaped quote of the same kind.
            let bytes: Vec<char> = rest.chars().collect();
            let mut end = None;
            let mut i = 1;
            while i < bytes.len() {
                if bytes[i] == '\\' {
                    i += 2;
                    continue;
                }
                if bytes[i] == q {
                    end = Some(i);
                    break;
                }
                i += 1;
            }
            if let Some(end) = end {
                let lit: String = bytes[..=end].iter().collect();
                if let Some(v) = py_string(&lit) {
                    out.push((field, v));
                }
            }
        }
    }
    out
}

fn normalise(s: &str) -> String {
    pantau_text::single_line(&pantau_text::html_to_text(s))
}

#[test]
fn the_whole_corpus_parses_or_is_rejected_clearly() {
    let root = shared();
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(all.len() > 2000, "{} files", all.len());

    let mut headers: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut expectations = Vec::new();
    for line in std::fs::read_to_string(root.join("feedparser/EXPECTATIONS.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = v["path"].as_str().unwrap().to_owned();
        headers.insert(path.clone(), content_type(&v["http_headers"]));
        expectations.push((path, v["expect"].as_str().unwrap_or("").to_owned()));
    }

    let (mut parsed, mut rejected) = (0, 0);
    let mut results = BTreeMap::new();
    let mut why_rejected: BTreeMap<String, String> = BTreeMap::new();
    for file in &all {
        let bytes = std::fs::read(file).unwrap();
        let rel = file
            .strip_prefix(root.join("feedparser/tests"))
            .ok()
            .map(|p| p.display().to_string());
        let ct = rel.as_ref().and_then(|r| headers.get(r).cloned().flatten());
        let name = file.display().to_string();
        let outcome = std::panic::catch_unwind(|| {
            parse_feed_as(
                &bytes,
                ct.as_deref(),
                &name,
                None,
                MediaType::Online,
                Utc::now(),
            )
        });
        match outcome {
            Err(_) => panic!("{name}: the normaliser panicked"),
            Ok(Ok(items)) => {
                parsed += 1;
                if let Some(r) = rel {
                    results.insert(r, items);
                }
            }
            Ok(Err(e)) => {
                rejected += 1;
                let msg = e.to_string();
                if let Some(r) = &rel {
                    why_rejected.insert(r.clone(), msg.clone());
                }
                assert!(
                    msg.starts_with(&name) && msg.len() > name.len() + 20,
                    "unclear error: {msg}"
                );
            }
        }
    }

    let (mut checked, mut passed) = (0, 0);
    let mut failures: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (path, expect) in &expectations {
        for (field, want) in checks(expect) {
            checked += 1;
            let got = results.get(path).and_then(|f| match field {
                "feed.title" => f.title.clone(),
                "entry.title" => f.items.first().map(|a| a.title.clone()),
                _ => f.items.first().and_then(|a| a.url.clone()),
            });
            let ok = match (&got, field) {
                (Some(g), "entry.link") => *g == canonical_url(&want),
                (Some(g), _) => *g == normalise(&want),
                // pantau keeps text, not markup: a title that is only markup
                // (an image) is no title, and an item with no text at all is
                // dropped (nothing to classify).
                (None, "entry.title" | "feed.title") => normalise(&want).is_empty(),
                (None, _) => false,
            };
            if ok {
                passed += 1;
            } else {
                failures
                    .entry(field)
                    .or_default()
                    .push(match why_rejected.get(path) {
                        Some(why) => format!("{path}: want {want:?}, rejected: {why}"),
                        None => format!("{path}: want {want:?}, got {got:?}"),
                    });
            }
        }
    }
    let rate = passed as f64 / checked as f64;
    println!(
        "corpus: {} files, {parsed} parsed, {rejected} rejected with an error",
        all.len()
    );
    println!(
        "feedparser expectations (title/link): {passed}/{checked} = {:.1} %",
        rate * 100.0
    );
    // Every failure, for whoever works on the normaliser next.
    if let Some(out) = std::env::var_os("PANTAU_CORPUS_FAILURES") {
        let all: Vec<String> = failures
            .iter()
            .flat_map(|(field, f)| f.iter().map(move |x| format!("{field}\t{x}")))
            .collect();
        std::fs::write(out, all.join("\n") + "\n").unwrap();
    }
    for (field, f) in &failures {
        println!("  {field}: {} failing, e.g.", f.len());
        for x in f.iter().take(3) {
            println!("    {x}");
        }
    }
    // A regression guard just under the rate reached (89.5 %). Classes left:
    // Atom base64-mode text (not decoded), relative links not resolved
    // against the document or Content-Location URI, CDF and RSS 0.90/RDF
    // titles, dc:title and media:title fallbacks, Atom under a foreign
    // namespace, &lang;/&rang; (HTML5's U+27E8/9 where feedparser has
    // U+2329/A), escaped markup inside inline XHTML, malformed comments.
    // PANTAU_CORPUS_FAILURES=FILE writes every failure.
    assert!(rate >= 0.88, "pass rate fell to {:.1} %", rate * 100.0);
}
