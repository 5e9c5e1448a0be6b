//! Story assignment with many stories already known: articles/s through
//! [`StoryIndex::assign`] (fingerprint included), and memory per story
//! (the process's RSS growth while the known stories were added, and the
//! index's own estimate).

use std::time::Instant;

use pantau_stories::{Fingerprint, StoryIndex, StoryRules};
use rustc_hash::FxHashSet;

const WORDS: usize = 6_000;
const PLACES: usize = 500;

/// A deterministic pseudo-random stream (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn word(i: usize) -> String {
    // Pronounceable, distinct: consonant-vowel syllables from the index.
    const C: &[u8] = b"bcdfghjklmnprstw";
    const V: &[u8] = b"aiueo";
    let mut s = String::new();
    let mut k = i + 7;
    for _ in 0..3 {
        s.push(C[k % C.len()] as char);
        k /= C.len();
        s.push(V[k % V.len()] as char);
        k /= V.len();
    }
    s
}

/// A story's headline and lead.
fn story(rng: &mut Rng) -> (String, String) {
    let mut title: Vec<String> = (0..8).map(|_| word(rng.below(WORDS))).collect();
    title.push(format!("Kota{}", word(WORDS + rng.below(PLACES))));
    let lead: Vec<String> = (0..45).map(|_| word(rng.below(WORDS))).collect();
    (title.join(" "), lead.join(" ") + ".")
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// `pantau-bench stories KNOWN NEW`.
pub fn bench(known: usize, new: usize) -> anyhow::Result<()> {
    let places: FxHashSet<String> = (0..PLACES)
        .map(|i| format!("kota{}", word(WORDS + i)))
        .collect();
    let mut rng = Rng(2026);
    let mut index = StoryIndex::new(StoryRules::default());
    let before = rss_kib();
    let t = Instant::now();
    let mut recent = Vec::with_capacity(10_000);
    for i in 0..known {
        let (title, lead) = story(&mut rng);
        index.restore(
            &format!("s{i}"),
            Fingerprint::of(&title, &lead, &places),
            i as i64,
        );
        if known - i <= 10_000 {
            recent.push((title, lead));
        }
    }
    let built = t.elapsed().as_secs_f64();
    let grown = rss_kib().saturating_sub(before) as f64 * 1024.0;
    println!(
        "stories known: {known} (index built in {built:.1} s); memory per story: {:.0} B by RSS, {:.0} B by the index's estimate",
        grown / known.max(1) as f64,
        index.approx_bytes() as f64 / known.max(1) as f64
    );
    // New articles: half copies of recent stories (an outlet suffix, upper
    // case), half new stories.
    let now = known as i64;
    let mut copies = 0;
    let mut joined = 0;
    let articles: Vec<(String, String, bool)> = (0..new)
        .map(|_| {
            if rng.below(2) == 0 && !recent.is_empty() {
                let (t, l) = &recent[rng.below(recent.len())];
                (
                    format!("{} - Portal{}.com", t.to_uppercase(), rng.below(50)),
                    l.clone(),
                    true,
                )
            } else {
                let (t, l) = story(&mut rng);
                (t, l, false)
            }
        })
        .collect();
    let t = Instant::now();
    for (i, (title, lead, copy)) in articles.iter().enumerate() {
        let a = index.assign(&format!("n{i}"), Fingerprint::of(title, lead, &places), now);
        copies += usize::from(*copy);
        joined += usize::from(*copy && !a.new);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "story assignment: {:.0} articles/s ({:.1} µs per article, fingerprint included) with {known} stories known; {joined} of {copies} copies found their story",
        new as f64 / secs,
        secs * 1e6 / new as f64
    );
    Ok(())
}
