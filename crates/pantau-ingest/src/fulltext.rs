//! Full text of an article page, for feeds that carry only a teaser: the
//! page's main text by readability.js's method (the `dom_smoothie` crate),
//! navigation, menus and related-article lists left out.

/// Why a page yielded no text.
#[derive(Debug, thiserror::Error)]
pub enum FullTextError {
    /// The page could not be read as an article.
    #[error("no article text found: {0}")]
    NotReadable(String),
    /// The text found is too short to be an article body.
    #[error("main text too short ({0} characters)")]
    TooShort(usize),
}

/// Texts shorter than this are teasers, cookie banners or error pages.
const MIN_CHARS: usize = 200;

/// The main text of an HTML page at `url`, paragraphs separated by a blank
/// line, whitespace normalised within them.
pub fn main_text(html: &str, url: &str) -> Result<String, FullTextError> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut r = dom_smoothie::Readability::new(html, Some(url), Some(cfg))
        .map_err(|e| FullTextError::NotReadable(e.to_string()))?;
    let article = r
        .parse()
        .map_err(|e| FullTextError::NotReadable(e.to_string()))?;
    let paragraphs: Vec<String> = article
        .text_content
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let text = paragraphs.join("\n\n");
    let chars = text.chars().count();
    if chars < MIN_CHARS {
        return Err(FullTextError::TooShort(chars));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="id"><head><title>Bansos Cair | Kabar</title></head>
<body>
<nav><a href="/">Beranda</a> <a href="/politik">Politik</a> <a href="/olahraga">Olahraga</a> Menu Login Daftar</nav>
<div class="sidebar"><h3>Terpopuler</h3><ul><li><a href="/1">Artis A menikah</a></li><li><a href="/2">Harga emas naik</a></li></ul></div>
<article>
<h1>Bansos Tahap Empat Cair</h1>
<p>Kementerian Sosial memastikan bantuan sosial tahap keempat telah tersalurkan kepada lebih dari
dua juta keluarga penerima manfaat di seluruh provinsi pada pekan ini.</p>
<p>Menteri Sosial mengatakan penyaluran dilakukan melalui bank Himbara dan PT Pos Indonesia, dengan
pendampingan petugas di daerah yang sulit dijangkau agar warga tidak perlu menempuh perjalanan jauh.</p>
<p>Warga di beberapa kabupaten menyambut baik pencairan tersebut karena bertepatan dengan kebutuhan
sekolah anak menjelang tahun ajaran baru.</p>
</article>
<footer>Hak cipta 2026 Kabar. Pedoman media siber. Kontak redaksi.</footer>
</body></html>"#;

    #[test]
    fn keeps_the_article_and_drops_the_page_furniture() {
        let text = main_text(PAGE, "https://kabar.example/berita/1").unwrap();
        assert!(
            text.contains("tahap keempat telah tersalurkan kepada lebih dari dua juta keluarga")
        );
        assert!(text.contains("menjelang tahun ajaran baru"));
        for furniture in ["Terpopuler", "Artis A menikah", "Hak cipta", "Olahraga"] {
            assert!(!text.contains(furniture), "{furniture:?} kept:\n{text}");
        }
        assert!(text.contains("\n\n"), "paragraphs are kept apart");
    }

    #[test]
    fn a_page_without_an_article_is_an_error() {
        let err = main_text(
            "<html><body><p>Halaman tidak ditemukan</p></body></html>",
            "https://x.example/",
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                FullTextError::TooShort(_) | FullTextError::NotReadable(_)
            ),
            "{err}"
        );
        assert!(main_text("", "https://x.example/").is_err());
    }
}
