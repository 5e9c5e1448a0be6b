//! The leadership report as PDF: `pantau report --format pdf` on an
//! imported month, read back with Poppler's `pdftotext`, says the same
//! numbers as the JSON report of the same store — the count, the negative
//! percentage with its decimal comma, the target and its status, the change
//! from the month before, the most negative titles — under the letterhead
//! of `[report.letterhead]`, with "Halaman n dari N" on every page.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{pantau_ok, repo, store_config, BIN};

const LETTERHEAD: &str = r#"
[report.letterhead]
institution = "KEMENTERIAN SOSIAL REPUBLIK INDONESIA"
unit = "Biro Hubungan Masyarakat"
address = "Jl. Salemba Raya No. 28, Jakarta Pusat"
city = "Jakarta"
signatory_title = "Kepala Biro Hubungan Masyarakat"
signatory_name = "Dewi Lestari"
signatory_nip = "19750312 200003 2 001"
"#;

const PLACES: [&str; 12] = [
    "Bekasi", "Garut", "Cianjur", "Bantul", "Kupang", "Medan", "Palu", "Sigi", "Ambon", "Jember",
    "Sleman", "Tegal",
];

/// Invented headlines in three tones for each place, spread over November
/// 2026 (and a few in October, for the change).
fn clippings() -> String {
    let mut lines = Vec::new();
    for (i, place) in PLACES.iter().enumerate() {
        let day = 1 + (i * 2) % 28;
        for (j, (title, media, outlet)) in [
            (
                format!("Kemensos Salurkan Bantuan Logistik untuk Korban Banjir {place}"),
                "online",
                "Harian Nusantara",
            ),
            (
                format!(
                    "Warga {place} Keluhkan Bansos PKH Tak Kunjung Cair, Diduga Dipotong Oknum"
                ),
                "cetak",
                "Warta Kota Raya",
            ),
            (
                format!("Mensos Gelar Rapat Koordinasi Data Penerima Bansos di {place}"),
                "tv",
                "Kabar Pagi TV",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            lines.push(serde_json::json!({
                "media_type": media,
                "outlet": outlet,
                "title": title,
                "url": format!("https://berita.example/{i}/{j}"),
                "published": format!("2026-11-{:02}", day + j),
            }));
        }
    }
    for place in &PLACES[..4] {
        lines.push(serde_json::json!({
            "media_type": "cetak",
            "outlet": "Harian Nusantara",
            "title": format!("Kemensos Resmikan Sekolah Rakyat di {place}"),
            "published": "2026-10-15",
        }));
    }
    lines
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A store in `dir` (config sections `extra`) holding the clippings, and
/// its JSON report of November 2026.
fn imported_november(dir: &Path, extra: &str) -> (PathBuf, serde_json::Value) {
    let cfg = store_config(dir, extra);
    let file = dir.join("kliping.jsonl");
    std::fs::write(&file, clippings()).unwrap();
    let imported = pantau_ok(&cfg, &["import", file.to_str().unwrap()]);
    assert!(imported.contains("40 stored"), "{imported}");
    let json = pantau_ok(&cfg, &["report", "--period", "2026-11", "--format", "json"]);
    (cfg, serde_json::from_str(&json).unwrap())
}

/// The standard output of `cmd`, which must succeed.
fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `text` with every run of white space made one space, so a title wrapped
/// over two lines reads as one.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdftotext` of `pdf`, on one line.
fn pdf_text(pdf: &Path) -> String {
    one_line(&stdout_of(Command::new("pdftotext").arg(pdf).arg("-")))
}

fn pages(pdf: &Path) -> usize {
    stdout_of(Command::new("pdfinfo").arg(pdf))
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// 12.5 → "12,50 %", as the report prints a percentage.
fn pct_id(v: f64) -> String {
    format!("{v:.2} %").replace('.', ",")
}

/// The numbers and words both documents must say, against the JSON report.
fn says_what_the_report_says(text: &str, r: &serde_json::Value) {
    let total = r["summary"]["total"].as_u64().unwrap();
    let negative = r["summary"]["negative"].as_u64().unwrap();

    for expected in [
        "KEMENTERIAN SOSIAL REPUBLIK INDONESIA",
        "Biro Hubungan Masyarakat",
        "LAPORAN PEMANTAUAN PEMBERITAAN MEDIA",
        "Periode November 2026 (1 November 2026 – 30 November 2026)",
        "Kepala Biro Hubungan Masyarakat",
        "Dewi Lestari",
        "NIP 19750312 200003 2 001",
        "Harian Nusantara",
        "Warta Kota Raya",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
    let pct = pct_id(r["summary"]["negative_pct"].as_f64().unwrap());
    let narrative = format!(
        "tercatat {total} berita tentang Kementerian Sosial Republik Indonesia dari 3 media; \
         {negative} di antaranya negatif"
    );
    assert!(
        text.contains(&narrative),
        "{narrative:?} missing from: {text}"
    );
    assert!(
        text.contains(&format!("Persentase berita negatif {pct}")),
        "{pct} missing from: {text}"
    );
    let target = pct_id(r["target_pct"].as_f64().expect("the entity has a target"));
    assert!(
        text.contains(&format!("Target (paling tinggi) {target}")),
        "{text}"
    );
    let status = if r["achieved"].as_bool().unwrap() {
        "Status Tercapai"
    } else {
        "Status Tidak tercapai"
    };
    assert!(text.contains(status), "{status:?} missing from: {text}");
    // October had four articles, none of them negative.
    assert!(text.contains("Dibanding Oktober 2026 (0,00 %)"), "{text}");
    assert!(text.contains("(4 menjadi 36)"), "{text}");
    let top = r["top_negative"].as_array().unwrap();
    assert!(!top.is_empty());
    for a in top {
        let title = a["title"].as_str().unwrap();
        assert!(
            text.contains(title),
            "top negative {title:?} missing from: {text}"
        );
    }
    assert!(text.contains("Mengapa negatif:"), "{text}");
}

#[test]
fn the_pdf_says_what_the_json_report_says() {
    stdout_of(&mut Command::new(repo().join("scripts/poppler.sh")));
    let dir = tempfile::tempdir().unwrap();
    let (cfg, r) = imported_november(dir.path(), LETTERHEAD);
    let total = r["summary"]["total"].as_u64().unwrap();
    let negative = r["summary"]["negative"].as_u64().unwrap();
    assert_eq!(total, 36);
    assert!(negative > 0, "the complaints should read negative: {r}");
    let pdf = dir.path().join("laporan.pdf");
    pantau_ok(
        &cfg,
        &[
            "report",
            "--period",
            "2026-11",
            "--format",
            "pdf",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = pdf_text(&pdf);
    says_what_the_report_says(&text, &r);
    let n = pages(&pdf);
    for page in 1..=n {
        let footer = format!("Halaman {page} dari {n}");
        assert!(text.contains(&footer), "{footer:?} missing from: {text}");
    }

    // Every page renders as an image.
    stdout_of(
        Command::new("pdftoppm")
            .args(["-png", "-r", "40"])
            .arg(&pdf)
            .arg(dir.path().join("halaman")),
    );
    let images = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.starts_with("halaman") && name.ends_with(".png")
        })
        .count();
    assert_eq!(images, n);
}

/// The text of a DOCX's `word/document.xml` (read with Python's zipfile,
/// which also proves the file a well-formed zip), one space between runs
/// and paragraphs.
fn docx_text(docx: &Path) -> String {
    one_line(&stdout_of(Command::new("python3").args([
            "-c",
            "import sys, zipfile, xml.dom.minidom as m\n\
             z = zipfile.ZipFile(sys.argv[1])\n\
             assert z.testzip() is None\n\
             d = m.parseString(z.read('word/document.xml'))\n\
             print(' '.join(''.join(t.firstChild.data for t in p.getElementsByTagName('w:t') if t.firstChild) for p in d.getElementsByTagName('w:p')))",
        ])
        .arg(docx)))
}

#[test]
fn the_word_version_says_it_too() {
    let dir = tempfile::tempdir().unwrap();
    let (cfg, r) = imported_november(dir.path(), LETTERHEAD);
    let docx = dir.path().join("laporan.docx");
    pantau_ok(
        &cfg,
        &[
            "report",
            "--period",
            "2026-11",
            "--format",
            "docx",
            "-o",
            docx.to_str().unwrap(),
        ],
    );
    assert!(
        std::fs::read(&docx).unwrap().starts_with(b"PK"),
        "not a zip"
    );
    let text = docx_text(&docx);
    says_what_the_report_says(&text, &r);
    // The charts' numbers, as tables: each outlet's row with its share.
    for o in r["by_outlet"].as_array().unwrap() {
        let row = format!(
            "{} {} {}",
            o["key"].as_str().unwrap(),
            o["total"],
            o["negative"]
        );
        assert!(text.contains(&row), "{row:?} missing from: {text}");
    }
}

#[test]
fn a_pdf_needs_a_file_and_is_in_indonesian() {
    let dir = tempfile::tempdir().unwrap();
    let (cfg, _) = imported_november(dir.path(), "");
    for (args, says) in [
        (&["--format", "pdf"][..], "--output"),
        (&["--format", "docx"][..], "--output FILE.docx"),
        (
            &["--format", "pdf", "--lang", "en", "-o", "x.pdf"],
            "Indonesian",
        ),
    ] {
        let out = Command::new(BIN)
            .arg("-c")
            .arg(&cfg)
            .args(["report", "--period", "2026-11"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{args:?} printed a PDF to the terminal"
        );
        assert!(!dir.path().join("x.pdf").exists());
    }
}
