//! What two copies of one story still share once the outlet's dressing is
//! gone: the headline without "– Kompas.com" or "VIDEO:", the lead without
//! its dateline and "Baca juga" lines, words lower-cased, lightly stemmed
//! and put into one canonical form ("Kementerian Sosial" → `kemensos`).

/// Prefixes outlets put before a headline.
const PREFIXES: &[&str] = &[
    "video",
    "foto",
    "infografis",
    "breaking news",
    "breaking",
    "live",
    "live report",
    "eksklusif",
    "exclusive",
    "update",
    "terkini",
    "viral",
    "berita foto",
    "berita video",
    "opini",
    "cek fakta",
];

/// Multi-word phrases and their one canonical token.
const PHRASES: &[(&str, &str)] = &[
    ("kementerian sosial", "kemensos"),
    ("kementrian sosial", "kemensos"),
    ("menteri sosial", "mensos"),
    ("bantuan sosial", "bansos"),
    ("meninggal dunia", "tewas"),
    ("program keluarga harapan", "pkh"),
    ("bantuan pangan non tunai", "bpnt"),
    ("penerima bantuan iuran", "pbi"),
    ("data tunggal sosial ekonomi nasional", "dtsen"),
    ("komisi pemberantasan korupsi", "kpk"),
    ("badan pemeriksa keuangan", "bpk"),
    ("presiden prabowo", "prabowo"),
    ("gus ipul", "mensos"),
    ("sumatera barat", "sumbar"),
    ("sumatera utara", "sumut"),
    ("sumatera selatan", "sumsel"),
    ("jawa barat", "jabar"),
    ("jawa tengah", "jateng"),
    ("jawa timur", "jatim"),
    ("kalimantan barat", "kalbar"),
    ("kalimantan timur", "kaltim"),
    ("kalimantan selatan", "kalsel"),
    ("sulawesi selatan", "sulsel"),
    ("sulawesi utara", "sulut"),
    ("nusa tenggara barat", "ntb"),
    ("nusa tenggara timur", "ntt"),
    ("daerah istimewa yogyakarta", "diy"),
    ("saifullah yusuf", "mensos"),
];

/// Single words with a common synonym in headlines.
const SYNONYMS: &[(&str, &str)] = &[
    // Kept as they are: stemming would eat them.
    ("mensos", "mensos"),
    ("kemensos", "kemensos"),
    ("bansos", "bansos"),
    ("sekolah", "sekolah"),
    ("masalah", "masalah"),
    ("menteri", "menteri"),
    ("pemerintah", "pemerintah"),
    ("meninggal", "tewas"),
    ("wafat", "tewas"),
    ("kementrian", "kementerian"),
    ("serah", "salur"),
    ("beri", "salur"),
    ("kucur", "salur"),
    ("masyarakat", "warga"),
    ("penduduk", "warga"),
    ("rendam", "landa"),
    ("terjang", "landa"),
    ("cair", "salur"),
    // Numbers written out, as the digits a rewrite uses.
    ("dua", "2"),
    ("tiga", "3"),
    ("empat", "4"),
    ("lima", "5"),
    ("enam", "6"),
    ("tujuh", "7"),
    ("delapan", "8"),
    ("sembilan", "9"),
    ("sepuluh", "10"),
    ("seratus", "100"),
    ("seribu", "1000"),
    ("ii", "2"),
    ("iii", "3"),
    ("iv", "4"),
];

/// Words that say nothing about which story it is.
const STOPWORDS: &[&str] = &[
    "yang",
    "di",
    "ke",
    "dari",
    "dan",
    "untuk",
    "ini",
    "itu",
    "dengan",
    "pada",
    "dalam",
    "akan",
    "jadi",
    "ada",
    "hingga",
    "soal",
    "oleh",
    "sebagai",
    "bagi",
    "atas",
    "juga",
    "usai",
    "saat",
    "kata",
    "begini",
    "lagi",
    "sudah",
    "telah",
    "bisa",
    "agar",
    "supaya",
    "karena",
    "serta",
    "para",
    "pun",
    "kah",
    "lah",
    "nya",
    "ya",
    "the",
    "of",
    "a",
    "an",
    "to",
    "in",
    "se",
    "sang",
    "si",
    "tersebut",
    "yakni",
    "yaitu",
    "jelang",
    "demi",
    "kini",
    "masih",
    "baru",
    "terus",
    "harus",
    "minta",
    "sebut",
    "ungkap",
    "jelaskan",
    "tegaskan",
    "katakan",
    "bilang",
    "adalah",
    "merupakan",
    "oleh",
    "atau",
    "tak",
    "tidak",
    "belum",
    "per",
    "via",
    "vs",
];

/// A headline without the outlet's prefix (`VIDEO:`, `[FOTO]`) or suffix
/// (`– Kompas.com`, `| Tempo.co`, `- detikNews`).
pub fn headline_core(title: &str) -> &str {
    let mut t = title.trim();
    // `[VIDEO] …`, `(FOTO) …`
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(rest) = t.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                if is_prefix_word(&rest[..end]) {
                    t = rest[end + close.len_utf8()..].trim_start();
                }
            }
        }
    }
    // `VIDEO: …`
    if let Some(i) = t.find(':') {
        if i < 24 && is_prefix_word(&t[..i]) {
            t = t[i + 1..].trim_start();
        }
    }
    // `… – Kompas.com`: a short last segment after a separator, when what
    // is left is still a headline.
    for sep in [" | ", " - ", " – ", " — ", " : ", " :: "] {
        if let Some(i) = t.rfind(sep) {
            let (head, tail) = (&t[..i], &t[i + sep.len()..]);
            let tail_words = tail.split_whitespace().count();
            let head_words = head.split_whitespace().count();
            if tail_words <= 4 && head_words >= 4 && looks_like_outlet(tail, sep) {
                t = head.trim_end();
            }
        }
    }
    t
}

fn is_prefix_word(s: &str) -> bool {
    let lower = s.trim().to_lowercase();
    PREFIXES.contains(&lower.as_str())
}

/// A suffix is an outlet's name: a domain, or a few capitalised words (a
/// colon or a dash before a capitalised short phrase in a headline is
/// otherwise a quote's speaker, which comes first, not last).
fn looks_like_outlet(tail: &str, sep: &str) -> bool {
    let t = tail.trim();
    let domain = [
        ".com", ".co", ".id", ".net", ".tv", ".news", "news", "online",
    ]
    .iter()
    .any(|d| t.to_lowercase().contains(d));
    let capitalised = t.split_whitespace().all(|w| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    });
    domain || (sep != " : " && capitalised)
}

/// A body without its dateline (`JAKARTA, KOMPAS.com -`), `Baca juga:`
/// lines and editor's tags, as one line.
pub fn lead_core(body: &str) -> String {
    let mut out = String::with_capacity(body.len().min(4096));
    for line in body.lines() {
        let l = line.trim();
        let lower = l.to_lowercase();
        if lower.starts_with("baca juga")
            || lower.starts_with("simak juga")
            || lower.starts_with("lihat juga")
            || lower.starts_with("editor:")
            || lower.starts_with("penulis:")
            || lower.starts_with("sumber:")
            || lower.starts_with("(ant")
            || lower.starts_with("[gambas")
        {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(l);
    }
    strip_dateline(&out).to_owned()
}

/// `JAKARTA, KOMPAS.com - Kementerian …` → `Kementerian …`: a dash within
/// the first words after an upper-case place.
fn strip_dateline(s: &str) -> &str {
    let head: String = s.chars().take(80).collect();
    for sep in [" - ", " – ", " — ", "--"] {
        if let Some(i) = head.find(sep) {
            let before = &s[..i];
            let first = before.split([',', ' ']).next().unwrap_or("");
            let upper = first.len() >= 3 && first.chars().all(|c| !c.is_lowercase());
            if upper && before.split_whitespace().count() <= 6 {
                return s[i + sep.len()..].trim_start();
            }
        }
    }
    s
}

/// A word lower-cased, lightly stemmed and made canonical.
pub fn canonical(word: &str) -> String {
    let lower = word.to_lowercase();
    if let Some((_, c)) = SYNONYMS.iter().find(|(w, _)| *w == lower) {
        return (*c).to_owned();
    }
    let stemmed = stem(&lower);
    match SYNONYMS.iter().find(|(w, _)| *w == stemmed) {
        Some((_, c)) => (*c).to_owned(),
        None => stemmed,
    }
}

/// The light stemming two rewrites of one headline need: `menyalurkan`,
/// `salurkan` and `disalurkan` all become `salur`.
fn stem(w: &str) -> String {
    if w.chars().count() < 6 || !w.chars().all(char::is_alphabetic) {
        return w.to_owned();
    }
    let mut s = w;
    for suffix in ["kannya", "nya", "kan"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            if rest.chars().count() >= 4 {
                s = rest;
                break;
            }
        }
    }
    let prefixed = [
        ("meny", "s"),
        ("peny", "s"),
        ("meng", ""),
        ("peng", ""),
        ("mem", ""),
        ("pem", ""),
        ("men", ""),
        ("pen", ""),
        ("mel", "l"),
        ("mer", "r"),
        ("mew", "w"),
        ("di", ""),
        ("ber", ""),
        ("ter", ""),
    ];
    for (p, add) in prefixed {
        if let Some(rest) = s.strip_prefix(p) {
            if rest.chars().count() >= 4 {
                return format!("{add}{rest}");
            }
        }
    }
    s.to_owned()
}

/// Whether a canonical word carries nothing about the story.
pub fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

type Phrases = std::collections::HashMap<&'static str, Vec<(Vec<&'static str>, &'static str)>>;

/// [`PHRASES`] by their first word.
fn phrases() -> &'static Phrases {
    static BY_FIRST: std::sync::OnceLock<Phrases> = std::sync::OnceLock::new();
    BY_FIRST.get_or_init(|| {
        let mut m: Phrases = std::collections::HashMap::new();
        for (p, c) in PHRASES {
            let words: Vec<&str> = p.split(' ').collect();
            m.entry(words[0]).or_default().push((words, *c));
        }
        m
    })
}

/// The canonical words of a text, phrases joined, stopwords kept (the
/// caller decides): `(canonical, as written)`.
pub fn canonical_words(text: &str) -> Vec<(String, String)> {
    let raw: Vec<&str> = pantau_text::words(text).map(|w| w.text).collect();
    let lower: Vec<String> = raw.iter().map(|w| w.to_lowercase()).collect();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    'words: while i < raw.len() {
        if let Some(candidates) = phrases().get(lower[i].as_str()) {
            for (words, canon) in candidates {
                let n = words.len();
                if i + n <= raw.len() && words.iter().zip(&lower[i..i + n]).all(|(p, w)| p == w) {
                    out.push(((*canon).to_owned(), raw[i..i + n].join(" ")));
                    i += n;
                    continue 'words;
                }
            }
        }
        // Hyphenated compounds count as their parts (`PBI-JKN`).
        if raw[i].contains('-') && !raw[i].chars().all(|c| c.is_numeric() || c == '-') {
            for part in raw[i].split('-').filter(|p| !p.is_empty()) {
                out.push((canonical(part), part.to_owned()));
            }
        } else {
            out.push((canonical(raw[i]), raw[i].to_owned()));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlet_dressing_comes_off() {
        assert_eq!(
            headline_core("Mensos Salurkan Bansos di Demak - Kompas.com"),
            "Mensos Salurkan Bansos di Demak"
        );
        assert_eq!(
            headline_core("VIDEO: Mensos Salurkan Bansos di Demak | Tempo.co"),
            "Mensos Salurkan Bansos di Demak"
        );
        assert_eq!(
            headline_core("[FOTO] Mensos Salurkan Bansos di Demak – Antara News"),
            "Mensos Salurkan Bansos di Demak"
        );
        // A speaker's colon and a headline's own dash stay.
        assert_eq!(
            headline_core("Mensos: Bansos Harus Tepat Sasaran"),
            "Mensos: Bansos Harus Tepat Sasaran"
        );
        assert_eq!(
            headline_core("Banjir di Demak - ribuan warga mengungsi ke masjid"),
            "Banjir di Demak - ribuan warga mengungsi ke masjid"
        );
    }

    #[test]
    fn leads_lose_datelines_and_read_alsos() {
        let body = "JAKARTA, KOMPAS.com - Kementerian Sosial menyalurkan bantuan.\nBaca juga: Banjir Demak\nWarga menerima paket.\n(ant/red)";
        assert_eq!(
            lead_core(body),
            "Kementerian Sosial menyalurkan bantuan. Warga menerima paket."
        );
    }

    #[test]
    fn rewrites_meet_in_one_canonical_form() {
        let a: Vec<_> = canonical_words("Kementerian Sosial menyalurkan bantuan sosial")
            .into_iter()
            .map(|w| w.0)
            .collect();
        let b: Vec<_> = canonical_words("Kemensos salurkan bansos")
            .into_iter()
            .map(|w| w.0)
            .collect();
        assert_eq!(a, b);
        assert_eq!(canonical("disalurkan"), "salur");
        assert_eq!(canonical("meninggal"), "tewas");
        assert_eq!(canonical("Demak"), "demak");
    }
}
