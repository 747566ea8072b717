//! Embedded fonts: allsorts subsets each face to the glyphs the pages use, and we write
//! the Type0 / CIDFontType2 objects ourselves.
//!
//! The CIDs in the content streams are the *original* glyph ids, so page streams do not
//! depend on the subset. Subsetting renumbers glyphs (the new id of a glyph is its index
//! in the sorted list of kept ids, `.notdef` first); the /CIDToGIDMap stream maps each
//! CID to that new id, and /W and ToUnicode are keyed by CID. One CID is not a glyph
//! id: the one past the face's last glyph draws the hyphen and reads as a soft hyphen
//! (see `content::soft_hyphen_cid`).

use std::io::Write as _;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::layout::EmbeddedFont;

use super::content::{glyph_of, pdf_width};
use super::writer::{deflate, hex4, name, reference, Ref, Writer};

/// One face's font objects, ready to write: everything that is costly to make (the
/// subset, the compressed streams) is done, so the objects can be memoized and rewritten
/// under new object numbers.
pub struct FontObjects {
    /// "ABCDEF+Name".
    base_font: String,
    /// The FontDescriptor entries other than /FontName and /FontFile2.
    descriptor: Vec<u8>,
    /// The /W array.
    widths: Vec<u8>,
    /// The compressed subset font program and its uncompressed length.
    font_file: (Vec<u8>, usize),
    /// The compressed /CIDToGIDMap stream.
    cid_to_gid: Vec<u8>,
    /// The compressed ToUnicode CMap.
    to_unicode: Vec<u8>,
}

impl FontObjects {
    /// About how many bytes the objects take in the file.
    pub fn size(&self) -> usize {
        let parts = [&self.descriptor, &self.widths, &self.font_file.0, &self.cid_to_gid];
        parts.iter().map(|p| p.len()).sum::<usize>() + self.to_unicode.len() + 1024
    }

    /// Subsets `face` to the glyphs `used` (sorted by glyph id, starting with 0) and
    /// makes the objects; each glyph's text goes into ToUnicode.
    pub fn new(face: &EmbeddedFont, used: &[(u16, &str)]) -> Result<Self, Diagnostic> {
        let ids: Vec<u16> = used.iter().map(|&(gid, _)| gid).collect();
        // The glyphs to keep: those of the CIDs (the soft hyphen's is another CID's).
        let mut glyphs: Vec<u16> = ids.iter().map(|&cid| glyph_of(face, cid)).collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        let program = subset_bytes(&face.bytes, &glyphs)
            .map_err(|e| bug(format!("failed to subset font `{}` ({e})", face.name)))?;
        let base_font = format!("{}+{}", tag(&face.name, &ids), face.name);

        let mut widths = b"[".to_vec();
        let mut prev: Option<u16> = None;
        for &gid in &ids {
            if prev.is_some_and(|p| p + 1 == gid) {
                widths.truncate(widths.len() - 1);
                let _ = write!(widths, " {}]", pdf_width(face, gid));
            } else {
                let _ = write!(widths, "{}[{}]", gid, pdf_width(face, gid));
            }
            prev = Some(gid);
        }
        widths.push(b']');

        let max = ids.last().copied().unwrap_or(0);
        let mut map = vec![0u8; (usize::from(max) + 1) * 2];
        for &cid in &ids {
            let new = glyphs.binary_search(&glyph_of(face, cid)).unwrap_or(0);
            let at = usize::from(cid) * 2;
            map[at..at + 2].copy_from_slice(&(new as u16).to_be_bytes());
        }

        Ok(Self {
            base_font,
            descriptor: descriptor(face),
            widths,
            font_file: (deflate(&program), program.len()),
            cid_to_gid: deflate(&map),
            to_unicode: deflate(&to_unicode(used)),
        })
    }

    /// Writes the objects; returns the Type0 font's reference.
    pub fn write(&self, w: &mut Writer) -> Ref {
        let [type0, cid, desc, file, map, unicode] = [(); 6].map(|()| w.reserve());
        let mut base = Vec::new();
        name(&mut base, &self.base_font);

        let mut o = b"<</Type/Font/Subtype/Type0/BaseFont".to_vec();
        o.extend_from_slice(&base);
        o.extend_from_slice(b"/Encoding/Identity-H/DescendantFonts[");
        reference(&mut o, cid);
        o.extend_from_slice(b"]/ToUnicode ");
        reference(&mut o, unicode);
        o.extend_from_slice(b">>");
        w.object(type0, &o);

        let mut o = b"<</Type/Font/Subtype/CIDFontType2/BaseFont".to_vec();
        o.extend_from_slice(&base);
        o.extend_from_slice(
            b"/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor ",
        );
        reference(&mut o, desc);
        o.extend_from_slice(b"/DW 1000/W");
        o.extend_from_slice(&self.widths);
        o.extend_from_slice(b"/CIDToGIDMap ");
        reference(&mut o, map);
        o.extend_from_slice(b">>");
        w.object(cid, &o);

        let mut o = b"<</Type/FontDescriptor/FontName".to_vec();
        o.extend_from_slice(&base);
        o.extend_from_slice(&self.descriptor);
        o.extend_from_slice(b"/FontFile2 ");
        reference(&mut o, file);
        o.extend_from_slice(b">>");
        w.object(desc, &o);

        let dict = format!("/Filter/FlateDecode/Length1 {}", self.font_file.1);
        w.stream(file, dict.as_bytes(), &self.font_file.0);
        w.stream(map, b"/Filter/FlateDecode", &self.cid_to_gid);
        w.stream(unicode, b"/Filter/FlateDecode", &self.to_unicode);
        type0
    }
}

/// The FontDescriptor metrics from the face's tables, in 1/1000 em.
fn descriptor(face: &EmbeddedFont) -> Vec<u8> {
    let mut out = Vec::new();
    let Ok(ttf) = ttf_parser::Face::parse(&face.bytes, 0) else {
        let _ = write!(out, "/Flags 4/FontBBox[0 0 0 0]/ItalicAngle 0/Ascent 0/Descent 0/CapHeight 0/StemV 80");
        return out;
    };
    let scale = 1000.0 / f64::from(ttf.units_per_em().max(1));
    let s = |v: i16| (f64::from(v) * scale).round() as i64;
    let bbox = ttf.global_bounding_box();
    let italic = ttf.is_italic() || ttf.italic_angle() != 0.0;
    // Flags: 1 fixed pitch, 2 serif, 4 symbolic (CID fonts use their own glyph set), 64 italic.
    let serif = face.name.contains("Serif") && !face.name.contains("Sans");
    let flags = 4
        + if ttf.is_monospaced() { 1 } else { 0 }
        + if serif { 2 } else { 0 }
        + if italic { 64 } else { 0 };
    // StemV is not stored in TrueType fonts; estimate it from the weight class.
    let stem_v = (10.0 + 0.244 * (f64::from(ttf.weight().to_number()) - 50.0)).round();
    let _ = write!(
        out,
        "/Flags {flags}/FontBBox[{} {} {} {}]/ItalicAngle {}/Ascent {}/Descent {}/CapHeight {}/StemV {stem_v}",
        s(bbox.x_min),
        s(bbox.y_min),
        s(bbox.x_max),
        s(bbox.y_max),
        (f64::from(ttf.italic_angle()) * 10.0).round() / 10.0,
        s(ttf.ascender()),
        s(ttf.descender()),
        s(ttf.capital_height().unwrap_or(ttf.ascender())),
    );
    out
}

/// A ToUnicode CMap mapping each CID (original glyph id) to its text.
fn to_unicode(used: &[(u16, &str)]) -> Vec<u8> {
    let mapped: Vec<&(u16, &str)> = used.iter().filter(|(_, t)| !t.is_empty()).collect();
    let mut o = Vec::with_capacity(64 + mapped.len() * 16);
    o.extend_from_slice(
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in mapped.chunks(100) {
        let _ = writeln!(o, "{} beginbfchar", chunk.len());
        for (gid, text) in chunk {
            o.push(b'<');
            hex4(&mut o, *gid);
            o.extend_from_slice(b"> <");
            for unit in text.encode_utf16() {
                hex4(&mut o, unit);
            }
            o.extend_from_slice(b">\n");
        }
        o.extend_from_slice(b"endbfchar\n");
    }
    o.extend_from_slice(
        b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n",
    );
    o
}

fn subset_bytes(font: &[u8], ids: &[u16]) -> Result<Vec<u8>, String> {
    let data = ReadScope::new(font).read::<FontData<'_>>().map_err(|e| e.to_string())?;
    let provider = data.table_provider(0).map_err(|e| e.to_string())?;
    subset(&provider, ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| e.to_string())
}

/// A six-letter subset tag derived from the font and the glyphs kept (stable across runs).
fn tag(name: &str, ids: &[u16]) -> String {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    for id in ids {
        h.update(id.to_be_bytes());
    }
    h.finalize().iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

/// An internal failure, reported as a diagnostic.
pub fn bug(message: String) -> Diagnostic {
    Diagnostic::spanless(message).with_hint("please report this as a bug")
}
