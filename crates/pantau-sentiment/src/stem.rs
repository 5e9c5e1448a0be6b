//! Indonesian affix stripping, dictionary-guided: a candidate root is accepted
//! only when the lexicon knows it, so no root-word list is needed and a
//! word is never reduced past a sentiment root (the approach of
//! Nazief–Adriani, with the lexicon as the dictionary).
//!
//! Handles particles (-lah, -kah, -tah, -pun), possessives (-ku, -mu, -nya),
//! suffixes (-kan, -an, -i), prefixes (di-, ke-, se-, ter-, ber-, meN-,
//! peN-, per-, memper-, diper-) with the nasal recoding of meN-/peN-
//! (menyalurkan → salur, mengeluh → keluh, memukul → pukul, menolak → tolak),
//! confixes (ke-…-an, peN-…-an, per-…-an) and reduplication (kata-kata).
//! Allocation-free: candidates are slices or built in a stack buffer.

/// Longest word the stemmer considers (bytes); longer words are skipped.
const MAX_WORD: usize = 48;

/// Tries the roots of `word` (lower-case) from the least to the most
/// stripped, calling `known` on each; returns the first `known` accepts.
pub fn find_root<T>(word: &str, known: &mut impl FnMut(&str) -> Option<T>) -> Option<T> {
    if word.len() > MAX_WORD || word.len() < 4 || !word.is_ascii() {
        return reduplicated(word, known);
    }
    if let Some(t) = reduplicated(word, known) {
        return Some(t);
    }
    // Inflectional endings: particle, then possessive.
    let mut bases: [&str; 3] = [word, "", ""];
    let mut n = 1;
    let mut w = word;
    for set in [&["lah", "kah", "tah", "pun"][..], &["nya", "ku", "mu"][..]] {
        if let Some(s) = set.iter().find_map(|p| strip_suffix(w, p)) {
            w = s;
            bases[n] = w;
            n += 1;
        }
    }
    for (i, &base) in bases[..n].iter().enumerate() {
        if i > 0 {
            if let Some(t) = known(base) {
                return Some(t);
            }
        }
        // Derivational suffix (or none), then prefixes.
        for suffix in ["", "kan", "an", "i"] {
            let Some(stem) = (if suffix.is_empty() {
                Some(base)
            } else {
                strip_suffix(base, suffix)
            }) else {
                continue;
            };
            if !suffix.is_empty() {
                if let Some(t) = known(stem) {
                    return Some(t);
                }
            }
            if let Some(t) = strip_prefixes(stem, 2, known) {
                return Some(t);
            }
        }
    }
    None
}

fn strip_suffix<'a>(w: &'a str, suffix: &str) -> Option<&'a str> {
    // Keep at least three letters of root.
    w.strip_suffix(suffix).filter(|s| s.len() >= 3)
}

fn reduplicated<T>(word: &str, known: &mut impl FnMut(&str) -> Option<T>) -> Option<T> {
    let (a, b) = word.split_once('-')?;
    if a == b || b.starts_with(a) || a.ends_with(b) {
        // kata-kata, sayur-mayur is not caught (different halves): that is a lexicon entry.
        known(a).or_else(|| find_root(a, known))
    } else {
        None
    }
}

/// Strips up to `depth` prefixes from `w`, trying recoded roots.
fn strip_prefixes<T>(w: &str, depth: u8, known: &mut impl FnMut(&str) -> Option<T>) -> Option<T> {
    if depth == 0 {
        return None;
    }
    let mut buf = [0u8; MAX_WORD + 1];
    let try_root = |root: &str, known: &mut dyn FnMut(&str) -> Option<T>| -> Option<T> {
        if root.len() < 3 {
            return None;
        }
        known(root)
    };
    let mut recoded =
        |letter: u8, rest: &str, known: &mut dyn FnMut(&str) -> Option<T>| -> Option<T> {
            if rest.len() + 1 > MAX_WORD || rest.len() < 2 {
                return None;
            }
            buf[0] = letter;
            buf[1..=rest.len()].copy_from_slice(rest.as_bytes());
            // Only ASCII letters are ever written here, so this cannot fail.
            let s = std::str::from_utf8(&buf[..=rest.len()]).ok()?;
            known(s)
        };
    let starts_vowel = |s: &str| s.bytes().next().is_some_and(|b| b"aiueo".contains(&b));

    // meN- and peN- with nasal assimilation.
    for (nasal, pe) in [("meng", false), ("peng", true)] {
        let _ = pe;
        if let Some(rest) = w.strip_prefix(nasal) {
            if let Some(r) = rest.strip_prefix('e').filter(|r| r.len() >= 3) {
                // menge-/penge- before one-syllable roots (mengebom → bom).
                if let Some(t) = try_root(r, known) {
                    return Some(t);
                }
            }
            if let Some(t) = try_root(rest, known) {
                return Some(t);
            }
            if starts_vowel(rest) {
                if let Some(t) = recoded(b'k', rest, known) {
                    return Some(t);
                }
            }
        }
    }
    for (nasal, letter) in [("meny", b's'), ("peny", b's')] {
        if let Some(rest) = w.strip_prefix(nasal) {
            if starts_vowel(rest) {
                if let Some(t) = recoded(letter, rest, known) {
                    return Some(t);
                }
            }
        }
    }
    for (nasal, letter) in [("mem", b'p'), ("pem", b'p'), ("men", b't'), ("pen", b't')] {
        if let Some(rest) = w.strip_prefix(nasal) {
            if let Some(t) = try_root(rest, known) {
                return Some(t);
            }
            if starts_vowel(rest) {
                // me- before a root in n- or m- ("menaikkan" → naik, not
                // taik; "memakan" → makan) is tried before the recoded
                // root, which the lexicon would otherwise always prefer.
                if let Some(t) = recoded(nasal.as_bytes()[2], rest, known) {
                    return Some(t);
                }
                if let Some(t) = recoded(letter, rest, known) {
                    return Some(t);
                }
            }
        }
    }
    // me-/pe- before l, r, w, y, m, n, ny, ng (melapor → lapor).
    for pre in ["me", "pe"] {
        if let Some(rest) = w.strip_prefix(pre) {
            if rest.bytes().next().is_some_and(|b| b"lrwymn".contains(&b)) {
                if let Some(t) = try_root(rest, known) {
                    return Some(t);
                }
            }
        }
    }
    // Plain prefixes; memper-/diper- first.
    for pre in [
        "memper", "diper", "ber", "bel", "be", "ter", "te", "per", "di", "ke", "se",
    ] {
        if let Some(rest) = w.strip_prefix(pre) {
            if let Some(t) = try_root(rest, known) {
                return Some(t);
            }
            if depth > 1 {
                if let Some(t) = strip_prefixes(rest, depth - 1, known) {
                    return Some(t);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOTS: &[&str] = &[
        "keluh",
        "salur",
        "pukul",
        "tolak",
        "kirim",
        "bom",
        "lapor",
        "bantu",
        "rugi",
        "sejahtera",
        "ringan",
        "kecewa",
        "puas",
        "kritik",
        "tangkap",
        "hancur",
        "baik",
        "kata",
        "protes",
        "selewengkan",
        "naik",
        "taik",
        "makan",
        "pakan",
    ];

    fn root(word: &str) -> Option<&'static str> {
        find_root(word, &mut |c: &str| {
            ROOTS.iter().find(|r| **r == c).copied()
        })
    }

    #[test]
    fn affixes_reach_the_root() {
        for (word, want) in [
            ("dikeluhkan", "keluh"),
            ("keluhan", "keluh"),
            ("mengeluhkan", "keluh"),
            ("keluhannya", "keluh"),
            ("menyalurkan", "salur"),
            ("tersalurkan", "salur"),
            ("penyaluran", "salur"),
            ("memukul", "pukul"),
            ("menolak", "tolak"),
            ("penolakan", "tolak"),
            ("mengirimkan", "kirim"),
            ("mengebom", "bom"),
            ("melaporkan", "lapor"),
            ("dibantu", "bantu"),
            ("membantu", "bantu"),
            ("kerugian", "rugi"),
            ("merugikan", "rugi"),
            ("kesejahteraan", "sejahtera"),
            ("meringankan", "ringan"),
            ("dikecewakan", "kecewa"),
            ("kekecewaan", "kecewa"),
            ("memuaskan", "puas"),
            ("dikritiklah", "kritik"),
            ("ditangkap", "tangkap"),
            ("penangkapan", "tangkap"),
            ("kehancuran", "hancur"),
            ("memperbaiki", "baik"),
            ("kebaikannya", "baik"),
            ("diprotes", "protes"),
            ("kata-kata", "kata"),
            ("diselewengkan", "selewengkan"),
            // The root in n- or m- before the recoded one.
            ("menaikkan", "naik"),
            ("memakan", "makan"),
        ] {
            assert_eq!(root(word), Some(want), "{word}");
        }
    }

    #[test]
    fn unknown_words_and_short_words_find_nothing() {
        assert_eq!(root("meja"), None);
        assert_eq!(root("di"), None);
        assert_eq!(root("menteri"), None);
        assert_eq!(root(&"x".repeat(200)), None);
        assert_eq!(root("ménolak"), None);
    }
}
