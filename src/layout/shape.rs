//! Shaping: text + style → glyph runs, with per-character font fallback and a cache.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::diag::{Diagnostic, Span};

use super::fonts::FontBook;
use super::frame::{FontId, Glyph, GlyphRun};
use super::glyph_text::GlyphText;
use super::LayoutOptions;
use crate::geom::{Color, Pt};

/// Which of the configured families a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The body (serif) family.
    Body,
    /// The heading / furniture (sans) family.
    Heading,
    /// The code family.
    Mono,
}

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// The family role.
    pub role: Role,
    /// Bold face.
    pub bold: bool,
    /// Italic face.
    pub italic: bool,
    /// Type size.
    pub size: Pt,
    /// Fill colour.
    pub color: Color,
}

impl TextStyle {
    /// A regular style in `role` at `size`.
    pub fn new(role: Role, size: Pt) -> Self {
        Self { role, bold: false, italic: false, size, color: Color::BLACK }
    }

    /// The same style, bold.
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    /// The same style, italic.
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }

    /// The same style in another colour.
    pub fn color(mut self, color: Color) -> Self {
        self.color = color;
        self
    }

    /// The same style at another size.
    pub fn sized(mut self, size: Pt) -> Self {
        self.size = size;
        self
    }

    fn key(&self) -> StyleKey {
        (self.role, self.bold, self.italic, self.size.0.to_bits(), self.color)
    }
}

/// Shaped text: glyph runs (one per face used) and what could not be shown.
#[derive(Debug, Clone)]
pub struct Shaped {
    /// Runs in visual order.
    pub runs: Vec<GlyphRun>,
    /// The total advance.
    pub width: Pt,
    /// Characters no face in the fallback chain covers.
    pub missing: Vec<char>,
}

/// A span as a sortable key (file, start, end).
type SpanKey = (u32, usize, usize);

type StyleKey = (Role, bool, bool, u64, Color);

/// What a harfrust shape plan depends on here (no language, no user features).
type PlanKey = (FontId, Option<harfrust::Script>, harfrust::Direction);

/// Shapes text with harfrust, choosing a face per character from the fallback chain.
///
/// The caches (shaped words, hyphenation points, shape plans, coverage) hold pure
/// functions of their keys, so shapers forked from one ([`Shaper::fork`]) give the same
/// results whichever of them shapes a word: chapters can be laid out on several threads,
/// a shaper each, without the output depending on which thread took which chapter.
pub struct Shaper {
    book: Arc<FontBook>,
    families: Arc<HashMap<Role, Vec<String>>>,
    /// Whether a face has a glyph for a character.
    coverage: HashMap<(FontId, char), bool>,
    cache: HashMap<StyleKey, HashMap<String, Arc<Shaped>>>,
    reported: BTreeSet<(Option<SpanKey>, char)>,
    hyphenator: Option<&'static hyphenation::Standard>,
    /// The book is in Chinese, Japanese or Korean (see `text::cjk`).
    cjk: bool,
    hyphen_cache: HashMap<hyphenation::Language, HashMap<String, Arc<[usize]>>>,
    /// Shape plans by face and segment properties: making one costs more than shaping a
    /// word, and harfrust would otherwise make one per call.
    plans: HashMap<PlanKey, harfrust::ShapePlan>,
    /// Warnings found while shaping (characters no face covers).
    pub warnings: Vec<Diagnostic>,
}

impl Shaper {
    /// A shaper over `book` with the families named in `options`.
    pub fn new(book: FontBook, options: &LayoutOptions) -> Self {
        let mut families = HashMap::new();
        for (role, first) in [
            (Role::Body, &options.body_font),
            (Role::Heading, &options.heading_font),
            (Role::Mono, &options.mono_font),
        ] {
            let mut chain = vec![first.clone()];
            for f in options.fallback_fonts.iter().chain(
                ["Noto Serif", "Noto Sans Math", "Droid Sans Fallback"]
                    .map(String::from)
                    .iter(),
            ) {
                if !chain.iter().any(|c| c.eq_ignore_ascii_case(f)) {
                    chain.push(f.clone());
                }
            }
            families.insert(role, chain);
        }
        Self {
            book: Arc::new(book),
            families: Arc::new(families),
            coverage: HashMap::new(),
            cache: HashMap::new(),
            reported: BTreeSet::new(),
            hyphenator: None,
            cjk: false,
            hyphen_cache: HashMap::new(),
            plans: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    /// A shaper over the same fonts, families and language, with caches of its own (for
    /// another thread).
    pub fn fork(&self) -> Shaper {
        Shaper {
            book: self.book.clone(),
            families: self.families.clone(),
            coverage: HashMap::new(),
            cache: HashMap::new(),
            reported: BTreeSet::new(),
            hyphenator: self.hyphenator,
            cjk: self.cjk,
            hyphen_cache: HashMap::new(),
            plans: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    /// Sets the language of the text (BCP 47), which chooses hyphenation patterns.
    pub fn set_language(&mut self, language: &str) {
        self.hyphenator = super::text::dictionary(language);
        self.cjk = super::text::is_cjk_language(language);
    }

    /// Whether the language is set solid (Chinese, Japanese, Korean): line-breaking
    /// prohibitions, justification between characters and full-width punctuation apply.
    pub fn cjk(&self) -> bool {
        self.cjk
    }

    /// The hyphenation patterns for the language, if there are any.
    pub fn hyphenator(&self) -> Option<&'static hyphenation::Standard> {
        self.hyphenator
    }

    /// Hyphenation points of `word` (byte offsets) with `dict`, cached per dictionary
    /// and word.
    pub fn hyphenation_points(
        &mut self,
        dict: &hyphenation::Standard,
        word: &str,
    ) -> Arc<[usize]> {
        let cache = self.hyphen_cache.entry(dict.language()).or_default();
        if let Some(hit) = cache.get(word) {
            return hit.clone();
        }
        let points: Arc<[usize]> = super::text::hyphenation_points(dict, word).into();
        cache.insert(word.to_string(), points.clone());
        points
    }

    /// Takes the warnings so far and starts a new scope for them: a character is
    /// reported once per place and scope (a chapter), so a chapter laid out again in a
    /// later build reports what it reported the first time.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        self.reported.clear();
        std::mem::take(&mut self.warnings)
    }

    /// The font book.
    pub fn book(&self) -> &FontBook {
        &self.book
    }

    /// Shapes `text` (one line's worth, no line breaks) in `style`.
    pub fn shape(&mut self, text: &str, style: &TextStyle) -> Arc<Shaped> {
        // Looked up by `&str`: a hit allocates nothing.
        if let Some(hit) = self.cache.get(&style.key()).and_then(|m| m.get(text)) {
            return hit.clone();
        }
        let shaped = Arc::new(self.shape_uncached(text, style));
        self.cache
            .entry(style.key())
            .or_default()
            .insert(text.to_string(), shaped.clone());
        shaped
    }

    /// Shapes `text` like [`Shaper::shape`], warning (once per place and character) about
    /// characters that no face covers.
    pub fn shape_at(
        &mut self,
        text: &str,
        style: &TextStyle,
        span: Option<&Span>,
    ) -> Arc<Shaped> {
        let shaped = self.shape(text, style);
        for &c in &shaped.missing {
            let key = (span.map(|s| (s.file.0, s.range.start, s.range.end)), c);
            if !self.reported.insert(key) {
                continue;
            }
            let message = format!("no font has a glyph for U+{:04X} `{c}`", c as u32);
            let chain = self.families[&style.role].join("`, `");
            let diag = match span {
                Some(span) => Diagnostic::warning(span.clone(), message),
                None => Diagnostic {
                    severity: crate::diag::Severity::Warning,
                    span: None,
                    message,
                    hints: vec![],
                },
            };
            self.warnings.push(diag.with_hint(format!(
                "tried `{chain}`; add a font that has it to the briefing's fonts folder"
            )));
        }
        shaped
    }

    /// Whether face `id` has a glyph for `c` (cached).
    fn covers(&mut self, id: FontId, c: char) -> bool {
        let book = &self.book;
        *self.coverage.entry((id, c)).or_insert_with(|| book.face(id).covers(c))
    }

    fn chain(&self, style: &TextStyle) -> Vec<FontId> {
        let mut ids = Vec::new();
        for family in &self.families[&style.role] {
            if let Some(id) = self.book.select(family, style.bold, style.italic) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    fn shape_uncached(&mut self, text: &str, style: &TextStyle) -> Shaped {
        let chain = self.chain(style);
        let mut missing = Vec::new();
        let Some(&primary) = chain.first() else {
            return Shaped {
                runs: vec![],
                width: Pt::ZERO,
                missing: text.chars().collect(),
            };
        };
        // In a CJK book, punctuation next to ideographs comes from their face.
        let chars: Vec<char> = if self.cjk { text.chars().collect() } else { Vec::new() };
        let cjk_face = if self.cjk {
            chain.iter().copied().find(|&id| self.covers(id, '\u{4E2D}'))
        } else {
            None
        };
        // Split into segments of one face each; such punctuation that the CJK face
        // lacks is a segment of its own, set full-width.
        let mut segments: Vec<(FontId, String, bool)> = Vec::new();
        for (i, c) in text.chars().enumerate() {
            let c = if c.is_control() { ' ' } else { c };
            let cjk_punct = cjk_face.is_some() && super::text::cjk_punct(&chars, i);
            let (face, boxed) = if c.is_whitespace() || is_mark(c) {
                (segments.last().map_or(primary, |s| s.0), false)
            } else if let Some(id) =
                cjk_face.filter(|&id| cjk_punct && self.covers(id, c))
            {
                (id, false)
            } else {
                match chain.iter().copied().find(|&id| self.covers(id, c)) {
                    Some(id) => (id, cjk_punct),
                    None => {
                        missing.push(c);
                        (primary, false)
                    }
                }
            };
            match segments.last_mut() {
                Some((id, s, false)) if *id == face && !boxed => s.push(c),
                _ => segments.push((face, c.to_string(), boxed)),
            }
        }
        let mut runs: Vec<GlyphRun> = Vec::with_capacity(segments.len());
        for (id, s, boxed) in &segments {
            let mut run = self.shape_run(*id, s, style);
            if *boxed {
                super::text::full_width(&mut run, s, style.size);
            }
            runs.push(run);
        }
        let width = runs.iter().map(GlyphRun::width).sum();
        Shaped { runs, width, missing }
    }

    fn shape_run(&mut self, id: FontId, text: &str, style: &TextStyle) -> GlyphRun {
        let face = self.book.face(id);
        let upm = f64::from(face.embedded.units_per_em.max(1));
        let scale = style.size.0 / upm;
        let shaper = harfrust::ShaperFont::new(&face.font);
        let mut buffer = harfrust::Buffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        // The plan harfrust would make for this buffer, made once per face and script.
        let (script, direction) = (buffer.script(), buffer.direction());
        let plan = self.plans.entry((id, script, direction)).or_insert_with(|| {
            harfrust::ShapePlan::new(&face.font, direction, script, None, &[])
        });
        let options = harfrust::ShapeOptions::new().plan(Some(plan));
        let mut glyphs = Vec::new();
        if harfrust::shape(&shaper, &mut buffer, options).is_ok() {
            let infos = buffer.glyph_infos();
            let positions = buffer.glyph_positions();
            let mut clusters: Vec<usize> =
                infos.iter().map(|i| i.cluster as usize).collect();
            clusters.sort_unstable();
            clusters.dedup();
            // The text each glyph stands for. A cluster of one glyph gets the whole cluster
            // (a ligature: "ffi"); a cluster of as many glyphs as characters gets one
            // character each; otherwise the first glyph gets the cluster, the rest nothing.
            // (Binary search and one pass per cluster: a run of a million spaces or a base
            // with a million marks takes linear time.)
            let cluster_text = |start: usize| {
                let next = clusters.partition_point(|&c| c <= start);
                let end = clusters.get(next).copied().unwrap_or(text.len());
                text.get(start..end).unwrap_or("")
            };
            glyphs.reserve(infos.len());
            let mut n = 0;
            while n < infos.len() {
                let cluster = infos[n].cluster;
                let count =
                    infos[n..].iter().take_while(|g| g.cluster == cluster).count();
                let whole = cluster_text(cluster as usize);
                let one_each = count > 1 && whole.chars().count() == count;
                let mut chars = whole.chars();
                for (index_in_cluster, pos) in positions[n..n + count].iter().enumerate()
                {
                    let text = if count == 1 {
                        GlyphText::from(whole)
                    } else if one_each {
                        chars.next().map(GlyphText::from).unwrap_or_default()
                    } else if index_in_cluster == 0 {
                        GlyphText::from(whole)
                    } else {
                        GlyphText::default()
                    };
                    glyphs.push(Glyph {
                        gid: u16::try_from(infos[n + index_in_cluster].glyph_id)
                            .unwrap_or(0),
                        advance: Pt(f64::from(pos.x_advance) * scale),
                        text,
                        offset: Pt::ZERO,
                    });
                }
                n += count;
            }
        }
        // A CJK book's bold text in a face without a bold (ideographs in the fallback face)
        // is stroked, or emphasis there would not show.
        let stroked = self.cjk && style.bold && !face.bold;
        GlyphRun {
            font: id,
            size: style.size,
            color: style.color,
            glyphs: glyphs.into(),
            stroked,
        }
    }
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x200B..=0x200D | 0xFE00..=0xFE0F)
}
