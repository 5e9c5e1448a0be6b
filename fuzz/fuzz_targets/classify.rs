//! Any bytes: the classifier must not panic, must stay in [-1, 1], and every
//! explained term must point inside the text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pantau_sentiment::{Classifier, Input};

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/lexicon");
        Classifier::load(&dir).expect("config/lexicon")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Use the first byte to place a headline boundary and a mention.
    let cut = data.first().map_or(0, |b| *b as usize % (text.len() + 1));
    let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let mentions = [0..cut];
    for m in [&mentions[..], &[]] {
        let s = classifier().score(Input { text, title_len: cut, mentions: m });
        assert!((-1.0..=1.0).contains(&s.score));
        for t in &s.explanation.terms {
            assert!(t.position < text.len() || text.is_empty());
        }
    }
});
