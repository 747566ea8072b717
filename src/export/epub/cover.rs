//! The generated cover image: a 1200×1800 PNG with the title, subtitle, event, dates and
//! classification marking drawn in the bundled Noto Sans (Droid Sans Fallback for Chinese).
//! PNG, not SVG: e-readers and calibre show raster covers without a browser engine.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont};

use crate::config::bundled_face;
use crate::model::Meta;

/// Cover width in pixels.
pub(super) const WIDTH: u32 = 1200;
/// Cover height in pixels.
pub(super) const HEIGHT: u32 = 1800;

const BLUE: [u8; 3] = [0x1f, 0x3a, 0x5f];
const PAPER: [u8; 3] = [0xf2, 0xf4, 0xf7];
const AMBER: [u8; 3] = [0xc8, 0x8a, 0x12];
const RED: [u8; 3] = [0x9a, 0x1c, 0x1c];
const MARGIN: f32 = 90.0;

/// An RGB canvas.
struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    fn fill(&mut self, top: u32, bottom: u32, colour: [u8; 3]) {
        for y in top..bottom.min(HEIGHT) {
            for x in 0..WIDTH {
                let i = ((y * WIDTH + x) * 3) as usize;
                self.pixels[i..i + 3].copy_from_slice(&colour);
            }
        }
    }

    /// Blends `colour` over the pixel with coverage `alpha` (0–1).
    fn blend(&mut self, x: i32, y: i32, colour: [u8; 3], alpha: f32) {
        if x < 0 || y < 0 || x >= WIDTH as i32 || y >= HEIGHT as i32 {
            return;
        }
        let i = ((y as u32 * WIDTH + x as u32) * 3) as usize;
        let a = alpha.clamp(0.0, 1.0);
        for (pixel, target) in self.pixels[i..i + 3].iter_mut().zip(colour) {
            let old = f32::from(*pixel);
            *pixel = (old + (f32::from(target) - old) * a).round() as u8;
        }
    }
}

/// The fonts text is drawn with: a main face and a fallback for what it lacks.
struct Faces<'f> {
    main: FontRef<'f>,
    fallback: Option<FontRef<'f>>,
}

impl Faces<'_> {
    /// The face and glyph for a character (fallback when the main face lacks it).
    fn glyph(&self, c: char) -> (&FontRef<'_>, GlyphId) {
        let id = self.main.glyph_id(c);
        if id.0 == 0 {
            if let Some(f) = &self.fallback {
                let fid = f.glyph_id(c);
                if fid.0 != 0 {
                    return (f, fid);
                }
            }
        }
        (&self.main, id)
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| {
                let (font, id) = self.glyph(c);
                font.as_scaled(PxScale::from(size)).h_advance(id)
            })
            .sum()
    }

    /// Draws one line with its left end at `x` and its baseline at `y`.
    fn draw(
        &self,
        canvas: &mut Canvas,
        text: &str,
        size: f32,
        x: f32,
        y: f32,
        colour: [u8; 3],
    ) {
        let mut pen = x;
        for c in text.chars() {
            let (font, id) = self.glyph(c);
            let scaled = font.as_scaled(PxScale::from(size));
            let glyph = id.with_scale_and_position(size, ab_glyph::point(pen, y));
            if let Some(outline) = font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, coverage| {
                    canvas.blend(
                        b.min.x as i32 + gx as i32,
                        b.min.y as i32 + gy as i32,
                        colour,
                        coverage,
                    );
                });
            }
            pen += scaled.h_advance(id);
        }
    }

    /// Breaks `text` into lines no wider than `width` (a word longer than a line stands alone).
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate =
                if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if self.width(&candidate, size) > width && !line.is_empty() {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Draws wrapped text from baseline `y` and returns the baseline after the last line.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &self,
        canvas: &mut Canvas,
        text: &str,
        size: f32,
        y: f32,
        colour: [u8; 3],
        centred: bool,
        max_lines: usize,
    ) -> f32 {
        let width = WIDTH as f32 - 2.0 * MARGIN;
        let mut y = y;
        for line in self.wrap(text, size, width).into_iter().take(max_lines) {
            let x = if centred {
                (WIDTH as f32 - self.width(&line, size)) / 2.0
            } else {
                MARGIN
            };
            self.draw(canvas, &line, size, x, y, colour);
            y += size * 1.2;
        }
        y
    }
}

/// What the cover shows: every line it draws (the memo's key for the image).
#[derive(Hash)]
pub(super) struct Cover<'a> {
    marking: &'a str,
    organisation: Option<&'a str>,
    title: &'a str,
    subtitle: Option<&'a str>,
    /// Event, venue and dates, those given.
    event: Vec<String>,
    edition: Option<&'a str>,
}

impl<'a> Cover<'a> {
    /// The cover of the book `meta` describes.
    pub(super) fn of(meta: &'a Meta) -> Self {
        Self {
            marking: meta.classification.trim(),
            organisation: meta.organisation.as_deref(),
            title: &meta.title,
            subtitle: meta.subtitle.as_deref(),
            event: [meta.event.clone(), meta.venue.clone(), meta.event_dates()]
                .into_iter()
                .flatten()
                .collect(),
            edition: meta.edition.as_deref(),
        }
    }
}

/// Draws the cover and encodes it as an RGB PNG (deterministic: no time chunk).
pub(super) fn cover_png(cover: &Cover) -> Result<Vec<u8>, String> {
    let load = |family: &str, bold: bool| {
        bundled_face(family, bold, false)
            .and_then(|b| FontRef::try_from_slice(b).ok())
            .ok_or_else(|| format!("bundled font `{family}` is missing"))
    };
    let fallback = load("Droid Sans Fallback", false).ok();
    let bold = Faces { main: load("Noto Sans", true)?, fallback: fallback.clone() };
    let regular = Faces { main: load("Noto Sans", false)?, fallback };

    let mut canvas = Canvas { pixels: vec![0; (WIDTH * HEIGHT * 3) as usize] };
    canvas.fill(0, HEIGHT, BLUE);
    canvas.fill(0, 70, RED);
    canvas.fill(HEIGHT - 70, HEIGHT, RED);
    canvas.fill(560, 1060, PAPER);
    canvas.fill(1060, 1076, AMBER);

    let marking = cover.marking;
    bold.paragraph(&mut canvas, marking, 30.0, 47.0, PAPER, true, 1);
    bold.paragraph(&mut canvas, marking, 30.0, HEIGHT as f32 - 23.0, PAPER, true, 1);
    if let Some(org) = cover.organisation {
        bold.paragraph(&mut canvas, &org.to_uppercase(), 34.0, 200.0, PAPER, false, 2);
    }
    let mut y = bold.paragraph(&mut canvas, cover.title, 84.0, 680.0, BLUE, false, 3);
    if let Some(sub) = cover.subtitle {
        y = regular.paragraph(&mut canvas, sub, 50.0, y + 20.0, BLUE, false, 2);
    }
    let _ = y;
    let mut y = 1200.0;
    for line in &cover.event {
        y = regular.paragraph(&mut canvas, line, 44.0, y, PAPER, false, 2) + 8.0;
    }
    if let Some(edition) = cover.edition {
        regular.paragraph(&mut canvas, edition, 34.0, 1640.0, PAPER, false, 1);
    }

    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let err = |e: png::EncodingError| format!("failed to encode the cover image ({e})");
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(&canvas.pixels).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            title: "Second China–Central Asia Summit 中国".into(),
            subtitle: Some("Delegation briefing book".into()),
            event: Some("Summit".into()),
            venue: Some("Astana".into()),
            start_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 16),
            end_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 18),
            organisation: Some("Secretariat".into()),
            classification: "RESTRICTED".into(),
            language: "en".into(),
            edition: Some("First edition".into()),
            issue_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 12).unwrap(),
            timestamp: chrono::DateTime::from_timestamp(0, 0).unwrap(),
            authors: vec![],
            description: None,
            subjects: vec![],
            identifier: uuid::Uuid::nil(),
            accessibility_certifier: None,
            locale: Default::default(),
            pdf_standards: Vec::new(),
            copy: None,
        }
    }

    #[test]
    fn cover_is_a_png_of_the_right_size_with_text_drawn() {
        let png = cover_png(&Cover::of(&meta())).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(&png[..]));
        let mut reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        // The title band holds dark title pixels, not only paper.
        let band = &buf[(700 * WIDTH * 3) as usize..(760 * WIDTH * 3) as usize];
        assert!(band.chunks(3).any(|p| p[0] < 0x60), "no title text drawn");
        assert_eq!(png, cover_png(&Cover::of(&meta())).unwrap(), "deterministic");
    }
}
