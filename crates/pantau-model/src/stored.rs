//! An explanation as the store keeps it: compact JSON, a third of the
//! plain form's size — the explanation of a long article can be larger than
//! the article, and the store writes one per assessment.
//!
//! `{"v":2,"l":"id","s":"t","t":[[position,"text",lemma|0,weight,effective,["modifier codes"]?],…]}`:
//! the lemma is `0` when it is the text in lower case, weights are rounded
//! to four decimals, and each modifier is a short code (`x0.30` for
//! `context ×0.30`, `ntidak` for `negated by "tidak"`). [`decode`] reads
//! this form and the plain JSON of [`Explanation`] alike, so rows written
//! before stay readable.

use std::fmt::Write as _;

use serde_json::Value;

use crate::{CompactString, Explanation, MatchedTerm};

/// Modifier wordings with a value after them, and their codes.
const VALUED: [(&str, &str); 6] = [
    ("topic word ×", "t"),
    ("context ×", "x"),
    ("instruction ×", "i"),
    ("intent ×", "p"),
    ("service article ×", "S"),
    ("service sentence ×", "s"),
];

/// Modifier wordings with a word in quotes after them, and their codes.
const QUOTED: [(&str, &str); 4] = [
    ("negated by ", "n"),
    ("boosted by ", "b"),
    ("dampened by ", "d"),
    ("remedied by ", "r"),
];

/// Modifiers without a value.
const PLAIN: [(&str, &str); 4] = [
    ("headline", "h"),
    ("after contrast", "A"),
    ("before contrast", "B"),
    ("conceded", "C"),
];

/// Writes modifier `m` as its short code, a JSON string.
fn push_modifier(out: &mut String, m: &str) {
    if let Some((_, code)) = PLAIN.iter().find(|(w, _)| *w == m) {
        return push_str(out, code);
    }
    let mut coded = |code: &str, rest: &str| {
        out.push('"');
        out.push_str(code);
        push_escaped(out, rest);
        out.push('"');
    };
    for (prefix, code) in VALUED {
        if let Some(v) = m.strip_prefix(prefix) {
            return coded(code, v);
        }
    }
    for (prefix, code) in QUOTED {
        if let Some(w) = m
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('"'))
            .and_then(|r| r.strip_suffix('"'))
        {
            return coded(code, w);
        }
    }
    // Anything else is kept as written.
    coded("=", m)
}

fn decode_modifier(code: &str) -> String {
    let Some(first) = code.chars().next() else {
        return String::new();
    };
    let rest = &code[first.len_utf8()..];
    if first == '=' {
        return rest.to_owned();
    }
    let key = &code[..first.len_utf8()];
    if rest.is_empty() {
        if let Some((w, _)) = PLAIN.iter().find(|(_, c)| *c == key) {
            return (*w).to_owned();
        }
    }
    if let Some((w, _)) = VALUED.iter().find(|(_, c)| *c == key) {
        return format!("{w}{rest}");
    }
    if let Some((w, _)) = QUOTED.iter().find(|(_, c)| *c == key) {
        return format!("{w}\"{rest}\"");
    }
    code.to_owned()
}

/// `s` as a JSON string, escaped.
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    push_escaped(out, s);
    out.push('"');
}

/// `s` escaped for inside a JSON string.
fn push_escaped(out: &mut String, s: &str) {
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// A weight rounded to four decimals, as the shortest number (`-1.5`,
/// `2.0`, `0.3024`). Written from the integer of ten-thousandths: the
/// float formatter was a tenth of the store stage's time.
fn push_weight(out: &mut String, x: f32) {
    let scaled = (f64::from(x) * 1e4).round();
    if !scaled.is_finite() || scaled.abs() >= 1e15 {
        let _ = write!(out, "{}", f64::from(x));
        return;
    }
    let n = scaled as i64;
    if n < 0 {
        out.push('-');
    }
    let n = n.unsigned_abs();
    let mut digits = itoa::Buffer::new();
    out.push_str(digits.format(n / 10_000));
    out.push('.');
    let frac = n % 10_000;
    if frac == 0 {
        out.push('0');
        return;
    }
    // Four places with leading zeros, trailing zeros dropped.
    let four = [frac / 1000, frac / 100 % 10, frac / 10 % 10, frac % 10];
    let last = four.iter().rposition(|&d| d != 0).unwrap_or(0);
    for d in &four[..=last] {
        out.push(char::from(b'0' + *d as u8));
    }
}

/// Whether `lemma` is `text` in lower case (then it is not stored).
fn is_lower_of(lemma: &str, text: &str) -> bool {
    let mut l = lemma.chars();
    text.chars()
        .flat_map(char::to_lowercase)
        .all(|c| l.next() == Some(c))
        && l.next().is_none()
}

/// The compact form of `e`.
pub fn encode(e: &Explanation) -> String {
    let mut out = String::with_capacity(32 + e.terms.len() * 40);
    out.push_str("{\"v\":2,\"l\":");
    push_str(&mut out, &e.language);
    out.push_str(",\"s\":");
    push_str(
        &mut out,
        match e.scope.as_str() {
            "targeted" => "t",
            "whole" => "w",
            other => other,
        },
    );
    out.push_str(",\"t\":[");
    for (i, t) in e.terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(itoa::Buffer::new().format(t.position));
        out.push(',');
        push_str(&mut out, &t.text);
        out.push(',');
        if is_lower_of(&t.lemma, &t.text) {
            out.push('0');
        } else {
            push_str(&mut out, &t.lemma);
        }
        out.push(',');
        push_weight(&mut out, t.weight);
        out.push(',');
        push_weight(&mut out, t.effective);
        if !t.modifiers.is_empty() {
            out.push_str(",[");
            for (j, m) in t.modifiers.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                push_modifier(&mut out, m);
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push_str("]}");
    out
}

/// Reads an explanation in either stored form.
pub fn decode(s: &str) -> Result<Explanation, serde_json::Error> {
    let v: Value = serde_json::from_str(s)?;
    if v.get("v").and_then(Value::as_u64) != Some(2) {
        return serde_json::from_value(v);
    }
    let bad = || serde::de::Error::custom("malformed compact explanation");
    let str_of = |v: &Value| v.as_str().map(str::to_owned);
    let scope = match v.get("s").and_then(Value::as_str) {
        Some("t") => "targeted".to_owned(),
        Some("w") => "whole".to_owned(),
        Some(o) => o.to_owned(),
        None => String::new(),
    };
    let mut terms = Vec::new();
    for t in v.get("t").and_then(Value::as_array).ok_or_else(bad)? {
        let a = t.as_array().ok_or_else(bad)?;
        let text = a.get(1).and_then(str_of).ok_or_else(bad)?;
        let lemma = match a.get(2) {
            Some(Value::String(l)) => l.clone(),
            _ => text.to_lowercase(),
        };
        let num = |i: usize| a.get(i).and_then(Value::as_f64).map(|x| x as f32);
        terms.push(MatchedTerm {
            position: a.first().and_then(Value::as_u64).ok_or_else(bad)? as usize,
            text: text.into(),
            lemma: lemma.into(),
            weight: num(3).ok_or_else(bad)?,
            effective: num(4).ok_or_else(bad)?,
            modifiers: a
                .get(5)
                .and_then(Value::as_array)
                .map(|ms| {
                    ms.iter()
                        .filter_map(Value::as_str)
                        .map(|m| CompactString::from(decode_modifier(m)))
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    Ok(Explanation {
        language: v.get("l").and_then(str_of).unwrap_or_default(),
        scope,
        terms,
    })
}

/// The Indonesian wording of each modifier wording above (values keep
/// their place after it, written with a decimal comma).
const INDONESIAN: [(&str, &str); 14] = [
    ("topic word ×", "kata topik ×"),
    ("context ×", "konteks ×"),
    ("instruction ×", "kalimat perintah ×"),
    ("intent ×", "rencana ×"),
    ("service article ×", "artikel layanan ×"),
    ("service sentence ×", "kalimat layanan ×"),
    ("negated by ", "dinegasikan oleh "),
    ("boosted by ", "dikuatkan oleh "),
    ("dampened by ", "dilemahkan oleh "),
    ("remedied by ", "diatasi oleh "),
    ("headline", "judul"),
    ("after contrast", "sesudah pertentangan"),
    ("before contrast", "sebelum pertentangan"),
    ("conceded", "diakui"),
];

/// Modifier `m` (as the classifier words it) in Indonesian: "negated by
/// \"tidak\"" → "dinegasikan oleh \"tidak\"", "context ×0.30" → "konteks
/// ×0,30"; a wording it does not know stays as it is.
pub fn modifier_in_indonesian(m: &str) -> String {
    for (en, id) in INDONESIAN {
        if let Some(rest) = m.strip_prefix(en) {
            let valued = en.ends_with('×');
            if valued && rest.parse::<f64>().is_ok() {
                return format!("{id}{}", rest.replace('.', ","));
            }
            if !valued && (en.ends_with(' ') || rest.is_empty()) {
                return format!("{id}{rest}");
            }
        }
    }
    m.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, lemma: &str, w: f32, e: f32, pos: usize, mods: &[&str]) -> MatchedTerm {
        MatchedTerm {
            text: text.into(),
            lemma: lemma.into(),
            weight: w,
            effective: e,
            position: pos,
            modifiers: mods.iter().map(|m| (*m).into()).collect(),
        }
    }

    #[test]
    fn round_trips_and_is_a_third_of_the_size() {
        let e = Explanation {
            language: "id".into(),
            scope: "targeted".into(),
            terms: vec![
                term("Mengeluhkan", "keluh", -1.5, -3.0, 6, &["headline"]),
                term(
                    "tidak tepat sasaran",
                    "tidak tepat sasaran",
                    -2.5,
                    -0.75,
                    39,
                    &["context ×0.30"],
                ),
                term(
                    "bagus",
                    "bagus",
                    2.0,
                    -0.6,
                    80,
                    &[
                        "negated by \"tidak\"",
                        "boosted by \"sangat\"",
                        "context ×0.30",
                    ],
                ),
                term(
                    "lambat",
                    "lambat",
                    -1.5,
                    -0.45,
                    99,
                    &[
                        "remedied by \"tekan\"",
                        "after contrast",
                        "something new ×2",
                    ],
                ),
            ],
        };
        let s = encode(&e);
        assert_eq!(decode(&s).unwrap(), e, "{s}");
        let plain = serde_json::to_string(&e).unwrap();
        assert!(s.len() * 2 < plain.len(), "{} vs {}", s.len(), plain.len());
        // The plain form (rows written before) reads the same.
        assert_eq!(decode(&plain).unwrap(), e);
        assert!(decode("{\"v\":2,\"t\":[[1]]}").is_err());
        // Quotes, backslashes and control characters survive.
        let odd = Explanation {
            language: "id".into(),
            scope: "targeted".into(),
            terms: vec![term("\"a\\b\u{1}\"", "x", 1.0, 1.0, 0, &["=raw"])],
        };
        assert_eq!(decode(&encode(&odd)).unwrap(), odd);
        assert!(serde_json::from_str::<Value>(&encode(&odd)).is_ok());
    }

    #[test]
    fn weights_keep_four_decimals() {
        let e = Explanation {
            language: "id".into(),
            scope: "whole".into(),
            terms: vec![term("x", "x", 0.359_999_98, 1.0 / 3.0, 0, &[])],
        };
        let d = decode(&encode(&e)).unwrap();
        assert_eq!(d.terms[0].weight, 0.36);
        assert_eq!(d.terms[0].effective, 0.3333);
        assert_eq!(d.scope, "whole");
    }

    #[test]
    fn weights_are_written_as_the_shortest_four_decimal_number() {
        // The oracle: the rounded value through the float formatter.
        let oracle = |x: f32| {
            let r = (f64::from(x) * 1e4).round() / 1e4;
            if r == r.trunc() {
                format!("{}.0", r as i64)
            } else {
                format!("{r}")
            }
        };
        let mut x = -8.0f32;
        while x <= 8.0 {
            let mut out = String::new();
            push_weight(&mut out, x);
            // -0.0 rounds to 0.0 either way; the oracle writes "0.0" too.
            let want = oracle(x);
            assert_eq!(out, if want == "-0.0" { "0.0".into() } else { want }, "{x}");
            x += 0.000_37;
        }
        for (x, want) in [
            (-1.5, "-1.5"),
            (2.0, "2.0"),
            (0.0502, "0.0502"),
            (-0.00004, "0.0"),
        ] {
            let mut out = String::new();
            push_weight(&mut out, x);
            assert_eq!(out, want);
        }
    }

    #[test]
    fn every_modifier_has_an_indonesian_wording() {
        let english: Vec<&str> = VALUED
            .iter()
            .chain(&QUOTED)
            .chain(&PLAIN)
            .map(|(w, _)| *w)
            .collect();
        assert_eq!(english.len(), INDONESIAN.len());
        for w in english {
            let sample = if w.ends_with('×') {
                format!("{w}0.30")
            } else if w.ends_with(' ') {
                format!("{w}\"tidak\"")
            } else {
                w.to_owned()
            };
            let id = modifier_in_indonesian(&sample);
            assert_ne!(id, sample, "{sample} has no Indonesian wording");
            assert!(!id.contains("0.30"), "{id}: a decimal point");
        }
        assert_eq!(
            modifier_in_indonesian("negated by \"tidak\""),
            "dinegasikan oleh \"tidak\""
        );
        assert_eq!(modifier_in_indonesian("context ×0.30"), "konteks ×0,30");
        assert_eq!(modifier_in_indonesian("headline"), "judul");
        // Unknown wordings, and known words inside other ones, are kept.
        assert_eq!(modifier_in_indonesian("headliner"), "headliner");
        assert_eq!(modifier_in_indonesian("something new"), "something new");
    }
}
