//! Lexicon files: `term<TAB>weight` per line, `#` comments, UTF-8.
//!
//! A directory holds one sub-directory per language (`id/`, `en/`); every
//! `*.tsv` and `*.txt` in it is read. VADER's own format (`token<TAB>mean<TAB>sd<TAB>[ratings]`)
//! reads the same way: extra columns are ignored. Weights are on VADER's
//! scale, [-4, 4]. A weight of 0 is a *block*: the word is known to be
//! neutral, so affix stripping never reduces it to a sentiment root
//! ("bantuan", aid, must not become "bantu", to help).
//!
//! Files whose name starts with `topic` list *topic words*: disaster, poverty
//! and victim vocabulary that describes the situation an article is about
//! rather than judging anyone. They keep their weight when a whole text is
//! scored, but weigh little in targeted scoring: a ministry delivering aid
//! after a deadly flood is not negative news for the ministry.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

/// A problem in a lexicon file.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file or directory could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not `term<TAB>weight` with a weight in [-4, 4].
    #[error("{path}:{line}: {message}")]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The language directory holds no entries.
    #[error("{0}: no lexicon entries found")]
    Empty(PathBuf),
}

/// A multi-word expression.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    pub text: String,
    pub weight: f32,
    pub topic: bool,
}

/// One language's entries.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    pub(crate) words: FxHashMap<String, f32>,
    /// First word → phrases starting with it, longest first.
    pub(crate) phrases: FxHashMap<String, Vec<Phrase>>,
    /// Single words that are topic words.
    pub(crate) topic: rustc_hash::FxHashSet<String>,
}

impl Lexicon {
    /// Number of entries (words and phrases).
    pub fn len(&self) -> usize {
        self.words.len() + self.phrases.values().map(Vec::len).sum::<usize>()
    }

    /// Whether it has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The weight of a single word, if listed.
    pub fn word(&self, w: &str) -> Option<f32> {
        self.words.get(w).copied()
    }

    /// Adds one entry; a later entry for the same term replaces the earlier.
    pub fn insert(&mut self, term: &str, weight: f32) {
        self.insert_entry(term, weight, false);
    }

    /// Whether a single word is a topic word.
    pub fn is_topic(&self, w: &str) -> bool {
        self.topic.contains(w)
    }

    fn insert_entry(&mut self, term: &str, weight: f32, topic: bool) {
        let words: Vec<String> = term.split_whitespace().map(str::to_lowercase).collect();
        match words.len() {
            0 => {}
            1 => {
                if topic {
                    self.topic.insert(words[0].clone());
                } else {
                    self.topic.remove(&words[0]);
                }
                self.words.insert(words[0].clone(), weight);
            }
            _ => {
                let list = self.phrases.entry(words[0].clone()).or_default();
                list.retain(|p| p.words != words);
                list.push(Phrase {
                    text: words.join(" "),
                    words,
                    weight,
                    topic,
                });
                list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
            }
        }
    }

    /// Reads every `*.tsv`/`*.txt` file in `dir` (sorted by name).
    pub fn load_dir(dir: &Path) -> Result<Self, LexiconError> {
        let io = |source| LexiconError::Io {
            path: dir.to_owned(),
            source,
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tsv" || x == "txt"))
            .collect();
        files.sort();
        let mut lex = Lexicon::default();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|source| LexiconError::Io {
                path: f.clone(),
                source,
            })?;
            lex.add_text(&f, &text)?;
        }
        if lex.is_empty() {
            return Err(LexiconError::Empty(dir.to_owned()));
        }
        Ok(lex)
    }

    /// Parses lexicon text (for files and tests).
    pub fn add_text(&mut self, path: &Path, text: &str) -> Result<(), LexiconError> {
        let topic = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("topic"));
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: String| LexiconError::Line {
                path: path.to_owned(),
                line: i + 1,
                message,
            };
            let mut cols = line.split('\t');
            let term = cols.next().unwrap_or("").trim();
            let weight = cols
                .next()
                .ok_or_else(|| err(format!("expected term<TAB>weight, found {line:?}")))?;
            let weight: f32 = weight
                .trim()
                .parse()
                .map_err(|_| err(format!("weight {weight:?} is not a number")))?;
            if !(-4.0..=4.0).contains(&weight) {
                return Err(err(format!("weight {weight} is outside [-4, 4]")));
            }
            if term.is_empty() {
                return Err(err("empty term".into()));
            }
            self.insert_entry(term, weight, topic);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_phrases_and_reports_bad_lines() {
        let mut l = Lexicon::default();
        l.add_text(
            Path::new("x.tsv"),
            "# c\nbagus\t2.0\nsalah sasaran\t-2.5\tnote\n\n",
        )
        .unwrap();
        assert_eq!(l.word("bagus"), Some(2.0));
        assert_eq!(l.phrases["salah"][0].weight, -2.5);
        assert_eq!(l.len(), 2);
        let e = l
            .add_text(Path::new("x.tsv"), "ok\t1\nbad 1\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.tsv:2: expected term<TAB>weight, found \"bad 1\""
        );
        let e = l.add_text(Path::new("y.tsv"), "x\t9\n").unwrap_err();
        assert!(e.to_string().contains("y.tsv:1: weight 9 is outside"));
    }
}
