//! A small page writer over krilla: A4 pages drawn as recorded operations
//! (so every page's footer can say "n dari N"), text measured with the
//! embedded font's own advances, wrapped at word boundaries, and a cursor
//! that starts a new page when a block would not fit.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke, StrokeDash};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use crate::RenderError;

/// A4 in points.
pub const PAGE_W: f32 = 595.28;
/// A4 in points.
pub const PAGE_H: f32 = 841.89;
/// Left and right margin (2 cm).
pub const MARGIN: f32 = 56.7;
const TOP: f32 = 50.0;
/// Where the body ends; the footer lives below.
const BOTTOM: f32 = PAGE_H - 60.0;
/// The width text may take.
pub const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A colour, RGB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour(pub u8, pub u8, pub u8);

/// Body text.
pub const INK: Colour = Colour(0x1a, 0x1a, 0x1a);
/// Secondary text.
pub const GREY: Colour = Colour(0x55, 0x5d, 0x66);
/// Rules and grid lines.
pub const RULE: Colour = Colour(0xc8, 0xcd, 0xd3);
/// Negative.
pub const RED: Colour = Colour(0xb4, 0x23, 0x18);
/// Neutral.
pub const NEUTRAL: Colour = Colour(0x9a, 0xa3, 0xad);
/// Positive.
pub const GREEN: Colour = Colour(0x1e, 0x7b, 0x45);
/// The target line and headings.
pub const BLUE: Colour = Colour(0x0d, 0x3b, 0x66);
/// Volume bars.
pub const VOLUME: Colour = Colour(0xdd, 0xe3, 0xea);

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: Colour,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Colour,
    },
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        colour: Colour,
        dashed: bool,
    },
}

/// The fonts and their metrics.
pub struct Fonts {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
}

impl Fonts {
    fn load() -> Result<Fonts, RenderError> {
        let face = |data: &'static [u8]| {
            ttf_parser::Face::parse(data, 0).map_err(|e| RenderError::Font(e.to_string()))
        };
        Ok(Fonts {
            regular: face(REGULAR)?,
            bold: face(BOLD)?,
        })
    }

    /// The width of `text` at `size`.
    pub fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        let units = f32::from(face.units_per_em());
        let advance: f32 = text
            .chars()
            .map(|c| {
                let g = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                f32::from(face.glyph_hor_advance(g).unwrap_or(0))
            })
            .sum();
        advance * size / units
    }

    /// `text` broken into lines no wider than `width` (a word longer than
    /// the line is cut).
    pub fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, bold) <= width || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            }
            // A single word wider than the line: cut it.
            while self.width(&line, size, bold) > width && line.chars().count() > 1 {
                let mut cut = line.chars().count() - 1;
                while cut > 1
                    && self.width(&line.chars().take(cut).collect::<String>(), size, bold) > width
                {
                    cut -= 1;
                }
                let head: String = line.chars().take(cut).collect();
                let tail: String = line.chars().skip(cut).collect();
                lines.push(head);
                line = tail;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// The document being laid out.
pub struct Pages {
    /// Fonts and metrics.
    pub fonts: Fonts,
    pages: Vec<Vec<Op>>,
    /// The cursor: the next line's top, on the last page.
    pub y: f32,
}

impl Pages {
    /// A document with its first page.
    pub fn new() -> Result<Pages, RenderError> {
        Ok(Pages {
            fonts: Fonts::load()?,
            pages: vec![Vec::new()],
            y: TOP,
        })
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Makes room for `height` more: a new page when it would not fit.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    /// Text with its baseline at `y`.
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, colour: Colour, text: &str) {
        self.ops().push(Op::Text {
            x,
            y,
            size,
            bold,
            colour,
            text: text.to_owned(),
        });
    }

    /// Text ending at `right`.
    pub fn text_right(
        &mut self,
        right: f32,
        y: f32,
        size: f32,
        bold: bool,
        colour: Colour,
        text: &str,
    ) {
        let w = self.fonts.width(text, size, bold);
        self.text_at(right - w, y, size, bold, colour, text);
    }

    /// Text centred on the page.
    pub fn centred(&mut self, size: f32, bold: bool, colour: Colour, text: &str) {
        for line in self.fonts.wrap(text, size, bold, WIDTH) {
            self.ensure(size * 1.4);
            let w = self.fonts.width(&line, size, bold);
            let y = self.y + size;
            self.text_at((PAGE_W - w) / 2.0, y, size, bold, colour, &line);
            self.y += size * 1.4;
        }
    }

    /// A paragraph from the left margin (plus `indent`), wrapped.
    pub fn paragraph(&mut self, size: f32, bold: bool, colour: Colour, indent: f32, text: &str) {
        for line in self.fonts.wrap(text, size, bold, WIDTH - indent) {
            self.ensure(size * 1.45);
            let y = self.y + size;
            self.text_at(MARGIN + indent, y, size, bold, colour, &line);
            self.y += size * 1.45;
        }
    }

    /// A section heading, kept with at least `keep` of what follows.
    pub fn heading(&mut self, text: &str, keep: f32) {
        self.y += 8.0;
        self.ensure(22.0 + keep);
        let y = self.y + 12.0;
        self.text_at(MARGIN, y, 12.0, true, BLUE, text);
        self.y += 18.0;
        self.line(
            &[(MARGIN, self.y), (PAGE_W - MARGIN, self.y)],
            0.6,
            RULE,
            false,
        );
        self.y += 8.0;
    }

    /// A filled rectangle.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Colour) {
        if w > 0.0 && h > 0.0 {
            self.ops().push(Op::Rect { x, y, w, h, colour });
        }
    }

    /// A line through `points`.
    pub fn line(&mut self, points: &[(f32, f32)], width: f32, colour: Colour, dashed: bool) {
        if points.len() >= 2 {
            self.ops().push(Op::Line {
                points: points.to_vec(),
                width,
                colour,
                dashed,
            });
        }
    }

    /// Writes the PDF, with `footer` (left) and "Halaman n dari N" (right)
    /// on every page.
    pub fn finish(mut self, title: &str, footer: &str) -> Result<Vec<u8>, RenderError> {
        let total = self.pages.len();
        for n in 0..total {
            let page_label = format!("Halaman {} dari {total}", n + 1);
            let y = PAGE_H - 32.0;
            let ops = &mut self.pages[n];
            ops.push(Op::Line {
                points: vec![(MARGIN, y - 12.0), (PAGE_W - MARGIN, y - 12.0)],
                width: 0.5,
                colour: RULE,
                dashed: false,
            });
            ops.push(Op::Text {
                x: MARGIN,
                y,
                size: 7.5,
                bold: false,
                colour: GREY,
                text: footer.to_owned(),
            });
            let w = self.fonts.width(&page_label, 7.5, false);
            ops.push(Op::Text {
                x: PAGE_W - MARGIN - w,
                y,
                size: 7.5,
                bold: false,
                colour: GREY,
                text: page_label,
            });
        }
        let regular =
            Font::new(REGULAR.into(), 0).ok_or_else(|| RenderError::Font("DejaVuSans".into()))?;
        let bold =
            Font::new(BOLD.into(), 0).ok_or_else(|| RenderError::Font("DejaVuSans-Bold".into()))?;
        let mut doc = Document::new();
        doc.set_metadata(
            krilla::metadata::Metadata::new()
                .title(title.to_owned())
                .language("id".into())
                .creator("pantau".into()),
        );
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(RenderError::Layout("page size"))?;
        for ops in &self.pages {
            let mut page = doc.start_page_with(settings.clone());
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        bold: b,
                        colour,
                        text,
                    } => {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*colour)));
                        let font = if *b { bold.clone() } else { regular.clone() };
                        surface.draw_text(
                            Point::from_xy(*x, *y),
                            font,
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Rect { x, y, w, h, colour } => {
                        let mut pb = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(*x, *y, *w, *h) {
                            pb.push_rect(r);
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_stroke(None);
                            surface.set_fill(Some(fill(*colour)));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Line {
                        points,
                        width,
                        colour,
                        dashed,
                    } => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(points[0].0, points[0].1);
                        for (x, y) in &points[1..] {
                            pb.line_to(*x, *y);
                        }
                        if let Some(path) = pb.finish() {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
                                width: *width,
                                dash: dashed.then(|| StrokeDash {
                                    array: vec![4.0, 3.0],
                                    offset: 0.0,
                                }),
                                ..Stroke::default()
                            }));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        doc.finish()
            .map_err(|e| RenderError::Write(format!("PDF: {e:?}")))
    }
}

fn fill(c: Colour) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_and_wrapped_within_the_width() {
        let f = Fonts::load().unwrap();
        let short = f.width("ab", 10.0, false);
        assert!(short > 0.0 && short < f.width("abcd", 10.0, false));
        assert!(f.width("abc", 10.0, true) > f.width("abc", 10.0, false));
        let text = "Persentase pemberitaan negatif Kementerian Sosial selama November 2026 berada di bawah target";
        let lines = f.wrap(text, 10.0, false, 150.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| f.width(l, 10.0, false) <= 150.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), text);
        let long = f.wrap(&"x".repeat(200), 10.0, false, 100.0);
        assert!(long.len() > 1 && long.iter().all(|l| f.width(l, 10.0, false) <= 100.0));
    }
}
