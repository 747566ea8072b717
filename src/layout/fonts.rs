//! Font faces: the bundled Noto/Droid set plus fonts found in the briefing's font folders.
//!
//! Faces are matched by family name (from the `name` table) and style. Folders given in
//! [`LayoutOptions::font_dirs`] are searched first, so a briefing can replace a bundled
//! family by shipping its own files.

use std::sync::Arc;

use harfrust::font::Blob;

use super::frame::{EmbeddedFont, FontId};
use super::LayoutOptions;
use crate::config::{FontFile, BUNDLED_FONTS};
use crate::diag::{Diagnostic, Severity};

/// One loaded face.
pub struct Face {
    /// The family name, as matched against the options.
    pub family: String,
    /// Whether this is a bold face.
    pub bold: bool,
    /// Whether this is an italic face.
    pub italic: bool,
    /// The face for shaping.
    pub font: harfrust::Font,
    /// The data the PDF exporter embeds.
    pub embedded: EmbeddedFont,
}

impl Face {
    fn load(family: &str, bold: bool, italic: bool, bytes: Blob) -> Option<Face> {
        let font = harfrust::Font::new(bytes.clone(), 0)?;
        let parsed = ttf_parser::Face::parse(&bytes, 0).ok()?;
        let advances = (0..parsed.number_of_glyphs())
            .map(|g| parsed.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let name = name_string(&parsed, ttf_parser::name_id::POST_SCRIPT_NAME)
            .unwrap_or_else(|| family.replace(' ', ""));
        let embedded = EmbeddedFont {
            name,
            units_per_em: parsed.units_per_em(),
            advances: Arc::new(advances),
            space: parsed.glyph_index(' ').map(|g| g.0).filter(|&g| g != 0),
            hyphen: parsed.glyph_index('-').map(|g| g.0).filter(|&g| g != 0),
            bytes,
        };
        Some(Face { family: family.to_string(), bold, italic, font, embedded })
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.font.charmap().map_unicode(c).is_some()
    }
}

fn name_string(face: &ttf_parser::Face<'_>, id: u16) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == id && n.is_unicode())
        .find_map(|n| n.to_string())
}

/// All faces available to the layout, in search order.
pub struct FontBook {
    faces: Vec<Face>,
}

impl FontBook {
    /// Loads the faces of the font folders (those of families the options name), then the
    /// bundled faces. Unreadable files and unknown families become warnings.
    pub fn load(options: &LayoutOptions, warnings: &mut Vec<Diagnostic>) -> FontBook {
        let mut wanted: Vec<&str> =
            vec![&options.body_font, &options.heading_font, &options.mono_font];
        wanted.extend(options.fallback_fonts.iter().map(String::as_str));
        let mut faces = Vec::new();
        load_files(&options.font_files, &wanted, &mut faces, warnings);
        for &(family, bold, italic, bytes) in BUNDLED_FONTS {
            if let Some(face) = Face::load(family, bold, italic, Blob::from(bytes)) {
                faces.push(face);
            }
        }
        let book = FontBook { faces };
        for family in wanted {
            if book.select(family, false, false).is_none() {
                warnings.push(warning(format!(
                    "font family `{family}` not found; using the bundled Noto fonts"
                )));
            }
        }
        book
    }

    /// The best face of `family` for the style, if the family is known.
    pub fn select(&self, family: &str, bold: bool, italic: bool) -> Option<FontId> {
        let mut best: Option<(usize, u8)> = None;
        for (i, face) in self.faces.iter().enumerate() {
            if !face.family.eq_ignore_ascii_case(family) {
                continue;
            }
            let score = u8::from(face.bold == bold) * 2 + u8::from(face.italic == italic);
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((i, score));
            }
        }
        best.and_then(|(i, _)| u16::try_from(i).ok().map(FontId))
    }

    /// The face with this id.
    pub fn face(&self, id: FontId) -> &Face {
        &self.faces[id.index()]
    }

    /// The embedding data of every face, indexed by [`FontId`].
    pub fn embedded(&self) -> Vec<EmbeddedFont> {
        self.faces.iter().map(|f| f.embedded.clone()).collect()
    }
}

fn warning(message: String) -> Diagnostic {
    Diagnostic { severity: Severity::Warning, span: None, message, hints: vec![] }
}

fn load_files(
    files: &[FontFile],
    wanted: &[&str],
    faces: &mut Vec<Face>,
    warnings: &mut Vec<Diagnostic>,
) {
    for file in files {
        let Ok(parsed) = ttf_parser::Face::parse(&file.bytes, 0) else {
            warnings.push(warning(format!("failed to parse font `{}`", file.name)));
            continue;
        };
        let family = name_string(&parsed, ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
            .or_else(|| name_string(&parsed, ttf_parser::name_id::FAMILY));
        let Some(family) = family else { continue };
        if !wanted.iter().any(|w| w.eq_ignore_ascii_case(&family)) {
            continue;
        }
        let (bold, italic) = (parsed.is_bold(), parsed.is_italic());
        let blob = Blob::from(file.bytes.as_ref().clone());
        match Face::load(&family, bold, italic, blob) {
            Some(face) => faces.push(face),
            None => {
                warnings.push(warning(format!("failed to load font `{}`", file.name)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_folders_come_before_the_bundled_fonts() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let mut font_files: Vec<FontFile> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ttf"))
            .map(|p| FontFile::new(p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        font_files.sort_by(|a, b| a.name.cmp(&b.name));
        let options = LayoutOptions { font_files, ..Default::default() };
        let mut warnings = Vec::new();
        let book = FontBook::load(&options, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        // The folder holds the same nine faces as the bundled set; they are found first.
        let id = book.select("noto sans", true, false).unwrap();
        assert!(id.index() < BUNDLED_FONTS.len());
        assert!(book.face(id).bold && !book.face(id).italic);
        assert_eq!(book.face(id).embedded.name, "NotoSans-Bold");
        // Noto Sans has no bold italic: the closest style wins.
        let bi = book.select("Noto Sans", true, true).unwrap();
        assert!(book.face(bi).bold);
    }

    #[test]
    fn unknown_family_is_a_warning() {
        let options =
            LayoutOptions { mono_font: "Nope Mono".into(), ..Default::default() };
        let mut warnings = Vec::new();
        FontBook::load(&options, &mut warnings);
        assert!(warnings.iter().any(|w| w.message.contains("Nope Mono")));
    }
}
