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
//!
//! A third column may give an entry a [`Mark`] instead of (or beside) its
//! weight: `instruction` (a rule or an order: the rest of its clause states
//! what should be, it does not judge), `service` (a how-to or schedule
//! article: "cara cek"), `intent` (what is only planned: the praise after it
//! in its clause is damped) or `remedy` (a verb that fights the problem
//! after it: "tekan kesalahan data"). Files whose name starts with `names` list proper names, one per
//! line ("Banggai", "Bener Meriah"): written capitalised they are names,
//! never sentiment, and never stemmed into a sentiment root.
//!
//! The sub-directory `targeted/` of a language holds the *news register*:
//! entries that replace or add to the others when the tone toward an entity
//! is scored ("salurkan", delivering aid, is praise of whoever delivers it;
//! in a product review it means nothing). See [`Lexicon::load_overlay`].

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
    /// Several problems, every one of them.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<LexiconError>),
}

impl LexiconError {
    /// Every single problem this holds.
    pub fn all(&self) -> Vec<&LexiconError> {
        match self {
            LexiconError::Many(v) => v.iter().flat_map(LexiconError::all).collect(),
            e => vec![e],
        }
    }
}

/// What an entry is besides its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// An order or a rule ("dilarang", "tak boleh", "wajib"): the terms of
    /// its clause say what should be, not how things are.
    Instruction,
    /// A how-to or schedule article ("cara cek", "jadwal pencairan"): it
    /// informs, it does not judge.
    Service,
    /// A proper name ("Banggai", "Bener Meriah"): written capitalised, it is
    /// no sentiment word.
    Name,
    /// What is only intended or announced ("akan", "bakal", "rencana"):
    /// the praise after it in its clause is damped (a plan is not an
    /// achievement); criticism stays.
    Intent,
    /// A verb that fights what follows ("tekan kesalahan data", "cegah
    /// putus sekolah"): the problem after it, within three words, is an
    /// achievement, as a negator would turn it.
    Remedy,
}

impl Mark {
    fn parse(s: &str) -> Option<Mark> {
        match s {
            "instruction" => Some(Mark::Instruction),
            "service" => Some(Mark::Service),
            "name" => Some(Mark::Name),
            "remedy" => Some(Mark::Remedy),
            "intent" => Some(Mark::Intent),
            _ => None,
        }
    }
}

/// A multi-word expression.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub words: Vec<String>,
    pub text: String,
    pub weight: f32,
    pub topic: bool,
    pub mark: Option<Mark>,
}

/// One language's entries.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    pub(crate) words: FxHashMap<String, f32>,
    /// First word → phrases starting with it, longest first.
    pub(crate) phrases: FxHashMap<String, Vec<Phrase>>,
    /// Single words that are topic words.
    pub(crate) topic: rustc_hash::FxHashSet<String>,
    /// Single words with a [`Mark`].
    pub(crate) marks: FxHashMap<String, Mark>,
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
        self.insert_entry(term, Some(weight), false, None);
    }

    /// Adds a proper name: written capitalised it is never a sentiment
    /// word; a word without a weight of its own gets a weight of 0, so
    /// that affix stripping never reduces it ("Banggai" → "bangga").
    pub fn insert_name(&mut self, name: &str) {
        self.insert_entry(name, None, false, Some(Mark::Name));
    }

    /// Whether a single word is a topic word.
    pub fn is_topic(&self, w: &str) -> bool {
        self.topic.contains(w)
    }

    /// The [`Mark`] of a single word, if it has one.
    pub fn mark(&self, w: &str) -> Option<Mark> {
        self.marks.get(w).copied()
    }

    /// `weight` `None` keeps the term's weight (0 when it had none).
    fn insert_entry(&mut self, term: &str, weight: Option<f32>, topic: bool, mark: Option<Mark>) {
        let words: Vec<String> = term.split_whitespace().map(str::to_lowercase).collect();
        match words.len() {
            0 => {}
            1 => {
                let w = &words[0];
                if weight.is_some() {
                    if topic {
                        self.topic.insert(w.clone());
                    } else {
                        self.topic.remove(w);
                    }
                }
                match mark {
                    Some(m) => {
                        self.marks.insert(w.clone(), m);
                    }
                    // A name stays a name whatever weight a later file gives it.
                    None if self.marks.get(w) != Some(&Mark::Name) => {
                        self.marks.remove(w);
                    }
                    None => {}
                }
                let old = self.words.get(w).copied();
                self.words.insert(w.clone(), weight.or(old).unwrap_or(0.0));
            }
            _ => {
                let list = self.phrases.entry(words[0].clone()).or_default();
                let old = list.iter().position(|p| p.words == words);
                let old = old.map(|i| list.remove(i));
                list.push(Phrase {
                    text: words.join(" "),
                    words,
                    weight: weight.or(old.as_ref().map(|p| p.weight)).unwrap_or(0.0),
                    topic: if weight.is_some() {
                        topic
                    } else {
                        old.as_ref().is_some_and(|p| p.topic)
                    },
                    mark: mark.or(old.and_then(|p| p.mark)),
                });
                list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
            }
        }
    }

    /// Reads every `*.tsv`/`*.txt` file in `dir` (sorted by name).
    pub fn load_dir(dir: &Path) -> Result<Self, LexiconError> {
        let mut lex = Lexicon::default();
        lex.add_dir(dir)?;
        if lex.is_empty() {
            return Err(LexiconError::Empty(dir.to_owned()));
        }
        Ok(lex)
    }

    /// This lexicon with the news register of `dir` (a language
    /// directory's `targeted/`, when there is one) read over it: the
    /// lexicon of targeted scoring.
    pub fn load_overlay(&self, dir: &Path) -> Result<Self, LexiconError> {
        let mut lex = self.clone();
        if dir.is_dir() {
            lex.add_dir(dir)?;
        }
        Ok(lex)
    }

    /// Reads every file of `dir`, every line: all problems at once, the
    /// good lines read.
    fn add_dir(&mut self, dir: &Path) -> Result<(), LexiconError> {
        let io = |source| LexiconError::Io {
            path: dir.to_owned(),
            source,
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tsv" || x == "txt"))
            .collect();
        files.sort();
        let mut errors = Vec::new();
        for f in files {
            match std::fs::read_to_string(&f) {
                Ok(text) => self.add_lines(&f, &text, &mut errors),
                Err(source) => errors.push(LexiconError::Io {
                    path: f.clone(),
                    source,
                }),
            }
        }
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(LexiconError::Many(errors)),
        }
    }

    /// Parses lexicon text (for files and tests); the first bad line is
    /// the error.
    pub fn add_text(&mut self, path: &Path, text: &str) -> Result<(), LexiconError> {
        let mut errors = Vec::new();
        self.add_lines(path, text, &mut errors);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Parses lexicon text, every bad line reported in `errors` and skipped.
    fn add_lines(&mut self, path: &Path, text: &str, errors: &mut Vec<LexiconError>) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with("names") {
            for line in text.lines() {
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    self.insert_name(line);
                }
            }
            return;
        }
        let topic = name.starts_with("topic");
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Err(e) = self.add_line(path, i + 1, line, topic) {
                errors.push(e);
            }
        }
    }

    /// Parses one `term<TAB>weight[<TAB>mark]` line.
    fn add_line(
        &mut self,
        path: &Path,
        n: usize,
        line: &str,
        topic: bool,
    ) -> Result<(), LexiconError> {
        {
            let err = |message: String| LexiconError::Line {
                path: path.to_owned(),
                line: n,
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
            // A third column is a mark; VADER's third column (a number) is not.
            let mark = match cols.next().map(str::trim) {
                Some(m) if m.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                    Some(Mark::parse(m).ok_or_else(|| {
                        err(format!(
                            "mark {m:?} is not one of instruction, service, intent, remedy, name"
                        ))
                    })?)
                }
                _ => None,
            };
            self.insert_entry(term, Some(weight), topic, mark);
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
            "# c\nbagus\t2.0\nsalah sasaran\t-2.5\t0.8\t[-2, -3]\n\n",
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
        let e = l.add_text(Path::new("z.tsv"), "x\t0\torder\n").unwrap_err();
        assert!(e.to_string().contains("z.tsv:1: mark \"order\""), "{e}");
    }

    #[test]
    fn marks_and_names() {
        let mut l = Lexicon::default();
        l.add_text(
            Path::new("a.tsv"),
            "serang\t-2.2\ndilarang\t0\tinstruction\ncara cek\t0\tservice\n",
        )
        .unwrap();
        l.add_text(
            Path::new("names-places.txt"),
            "# places\nSerang\nBanggai\nBener Meriah\n",
        )
        .unwrap();
        assert_eq!(l.mark("dilarang"), Some(Mark::Instruction));
        assert_eq!(l.phrases["cara"][0].mark, Some(Mark::Service));
        // A name keeps the word's weight (lower-case "serang" is an attack) …
        assert_eq!(
            (l.word("serang"), l.mark("serang")),
            (Some(-2.2), Some(Mark::Name))
        );
        // … and a name without one is blocked, so it is never stemmed.
        assert_eq!(
            (l.word("banggai"), l.mark("banggai")),
            (Some(0.0), Some(Mark::Name))
        );
        assert_eq!(l.phrases["bener"][0].mark, Some(Mark::Name));
        // A later file's weight leaves the name a name.
        l.add_text(Path::new("z.tsv"), "serang\t-3\n").unwrap();
        assert_eq!(
            (l.word("serang"), l.mark("serang")),
            (Some(-3.0), Some(Mark::Name))
        );
    }
}
