//! Font subsetting: only the glyphs the pages use are embedded (allsorts does the work).
//!
//! Subsetting renumbers glyphs: the new id of a glyph is its index in the sorted list of
//! kept ids (with `.notdef`, id 0, first). [`SubsetFont::map`] translates old ids.

use std::collections::{BTreeMap, BTreeSet};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use printpdf::ParsedFont;
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::layout::{EmbeddedFont, FontId, FrameItem, PagedDocument};

/// One embedded, subset font.
pub struct SubsetFont {
    /// The resource name in the PDF ("F1", "F2", …): ours, so output is deterministic.
    pub resource: printpdf::FontId,
    /// The parsed subset, ready for printpdf.
    pub parsed: ParsedFont,
    /// Old glyph id → new glyph id.
    pub map: BTreeMap<u16, u16>,
    /// The original face (for advance widths).
    pub source: EmbeddedFont,
}

impl SubsetFont {
    /// The `/W` width printpdf writes for a (new) glyph, in 1/1000 em, truncated as
    /// printpdf truncates it.
    pub fn pdf_width(&self, old_gid: u16) -> f32 {
        let upm = f32::from(self.source.units_per_em.max(1));
        let adv = self.source.advances.get(usize::from(old_gid)).copied().unwrap_or(0);
        (f32::from(adv) * 1000.0 / upm) as i64 as f32
    }
}

/// Subsets every face the pages use, in [`FontId`] order.
pub fn subset_fonts(
    paged: &PagedDocument,
) -> Result<BTreeMap<FontId, SubsetFont>, Diagnostic> {
    let mut used: BTreeMap<FontId, BTreeSet<u16>> = BTreeMap::new();
    for page in &paged.pages {
        for (_, item) in &page.frame.items {
            if let FrameItem::Text(run) = item {
                let set = used.entry(run.font).or_insert_with(|| BTreeSet::from([0]));
                set.extend(run.glyphs.iter().map(|g| g.gid));
            }
        }
    }
    let mut out = BTreeMap::new();
    for (n, (id, gids)) in used.into_iter().enumerate() {
        let Some(source) = paged.fonts.get(id.0) else {
            return Err(bug(format!("glyph run refers to unknown font {}", id.0)));
        };
        let ids: Vec<u16> = gids.into_iter().collect();
        let bytes = subset_bytes(&source.bytes, &ids)
            .map_err(|e| bug(format!("failed to subset font `{}` ({e})", source.name)))?;
        let mut warnings = Vec::new();
        let Some(mut parsed) = ParsedFont::from_bytes(&bytes, 0, &mut warnings) else {
            return Err(bug(format!(
                "failed to parse the subset of font `{}`",
                source.name
            )));
        };
        parsed.font_name = Some(format!("{}+{}", tag(&source.name, &ids), source.name));
        let map = ids.iter().enumerate().map(|(new, &old)| (old, new as u16)).collect();
        out.insert(
            id,
            SubsetFont {
                resource: printpdf::FontId(format!("F{}", n + 1)),
                parsed,
                map,
                source: source.clone(),
            },
        );
    }
    Ok(out)
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
