//! Prints the issues and stories of a headline file, for reading:
//! `cargo run -p pantau-stories --example issues -- headlines.tsv`
//! (the kemensos-news format: split, day, source, link, title, relevant, …;
//! rows with `relevant = y`).

use rustc_hash::FxHashSet;

fn main() {
    let path = std::env::args().nth(1).expect("a headlines.tsv");
    let text = std::fs::read_to_string(&path).expect("readable");
    let own: FxHashSet<String> = ["kemensos", "mensos", "kementerian", "sosial", "menteri"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rows: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() > 5 && f[5] == "y").then(|| (f[1].to_string(), f[4].to_string()))
        })
        .collect();
    rows.sort();
    let places = FxHashSet::default();
    let mut stories = pantau_stories::StoryIndex::new(Default::default());
    let mut issues = pantau_stories::IssueIndex::new(Default::default(), 0);
    let mut members: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (i, (day, title)) in rows.iter().enumerate() {
        let d = chrono_day(day);
        let f = pantau_stories::Fingerprint::of(title, "", &places);
        let a = stories.assign(&i.to_string(), f, d);
        if a.new {
            let j = issues.assign(&pantau_stories::terms(title, &own), d, "isu");
            members.entry(j.issue).or_default().push(title.clone());
        }
    }
    let mut all: Vec<_> = issues.issues().iter().collect();
    all.sort_by_key(|i| std::cmp::Reverse(i.stories));
    println!(
        "{} headlines, {} stories, {} issues",
        rows.len(),
        stories.len(),
        all.len()
    );
    for i in all.iter().take(15) {
        println!("\n{} ({} stories): {}", i.id, i.stories, i.label());
        for t in members[&i.id].iter().take(6) {
            println!("    {t}");
        }
    }
}

fn chrono_day(d: &str) -> i64 {
    let p: Vec<i64> = d.split('-').filter_map(|x| x.parse().ok()).collect();
    // Days since 2000 are enough for ordering and gaps.
    ((p[0] - 2000) * 372 + p[1] * 31 + p[2]) * 86_400_000
}
