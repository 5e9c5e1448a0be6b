//! Embeds the dashboard (`web/`) into the binary: `OUT_DIR/web_assets.rs`
//! holds `(name, bytes)` pairs, so adding a page needs no Rust change and
//! the binary serves it offline.
//!
//! Pages are assembled here, once: every page file starts with a
//! `<!--page title="…" script="…" current="/path" audience="staff|public"
//! picker="yes|no"-->` line and holds its `<main>`; `_layout.html` gives
//! the head and the header, `_nav.tsv` the navigation (staff pages list it
//! all; the public survey form only itself). Files starting with `_` are
//! not served.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

const ACCOUNT: &str =
    "  <div class=\"account-box\" id=\"account-box\" data-testid=\"account-box\"></div>\n";
const PICKER: &str = "  <div class=\"entity-picker\" id=\"entity-picker\" hidden>\n    \
<label for=\"entity\">Entitas</label>\n    <select id=\"entity\"></select>\n  </div>\n";

/// The attributes of a page's first line.
fn front_matter(name: &str, text: &str) -> Option<(HashMap<String, String>, usize)> {
    let rest = text.strip_prefix("<!--page ")?;
    let end = rest.find("-->")?;
    let mut attrs = HashMap::new();
    let mut s = &rest[..end];
    while let Some(eq) = s.find("=\"") {
        let key = s[..eq].trim().to_owned();
        let after = &s[eq + 2..];
        let close = after
            .find('"')
            .unwrap_or_else(|| panic!("web/{name}: unclosed attribute {key}"));
        attrs.insert(key, after[..close].to_owned());
        s = &after[close + 1..];
    }
    let body_at = "<!--page ".len() + end + "-->".len();
    let body_at = body_at + usize::from(text[body_at..].starts_with('\n'));
    Some((attrs, body_at))
}

/// A page: the layout filled in, then the page's own content.
fn assemble(name: &str, text: &str, layout: &str, nav: &[(String, String)]) -> String {
    let Some((attrs, body_at)) = front_matter(name, text) else {
        return text.to_owned();
    };
    let get = |k: &str| {
        attrs
            .get(k)
            .unwrap_or_else(|| panic!("web/{name}: the page line lacks {k}=\"…\""))
            .as_str()
    };
    let current = get("current");
    let public = get("audience") == "public";
    let mut items = String::new();
    for (path, label) in nav {
        if public && path != current {
            continue;
        }
        let here = if path == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        writeln!(items, "      <li><a href=\"{path}\"{here}>{label}</a></li>").expect("string");
    }
    let brand = if public {
        "Survei Kepuasan Masyarakat"
    } else {
        "pantau <small>Pemantauan Media</small>"
    };
    let picker = if get("picker") == "yes" { PICKER } else { "" };
    // Who is signed in (filled by common.js); the public form has no one.
    let account = if public { "" } else { ACCOUNT };
    layout
        .replace("{{title}}", get("title"))
        .replace("{{script}}", get("script"))
        .replace("{{brand}}", brand)
        .replace("{{nav}}", &items)
        .replace("{{picker}}", picker)
        .replace("{{account}}", account)
        + &text[body_at..]
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    println!("cargo:rerun-if-changed={}", dir.display());
    let read = |n: &str| {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let layout = read("_layout.html");
    let nav: Vec<(String, String)> = read("_nav.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (p, label) = l.split_once('\t').expect("_nav.tsv: path<TAB>label");
            (p.to_owned(), label.to_owned())
        })
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| !n.starts_with('.') && !n.starts_with('_'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let out_dir = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("web");
    std::fs::create_dir_all(&out_dir).expect("create OUT_DIR/web");
    let mut out = String::from(
        "/// Embedded web files: (name, contents).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for n in &names {
        let mut path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        if n.ends_with(".html") {
            let page = assemble(n, &read(n), &layout, &nav);
            path = out_dir.join(n);
            std::fs::write(&path, page).expect("write an assembled page");
        }
        writeln!(
            out,
            "    ({n:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("web_assets.rs");
    std::fs::write(dest, out).expect("write web_assets.rs");
}
