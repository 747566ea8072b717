//! Inline layout: styled pieces of text → shaped words → lines (greedy filling).
//!
//! Break opportunities follow UAX #14 (`unicode-linebreak`), so CJK text breaks between
//! ideographs. A word wider than the line is broken between characters (an emergency
//! break), so no line is ever wider than the width it was given.

use std::rc::Rc;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::frame::{FrameItem, LinkDest};
use super::shape::{Role, Shaped, Shaper, TextStyle};
use super::units::{Color, Point, Pt, Size};
use crate::diag::Span;
use crate::model::{Align, Document, Inline, InlineKind, LinkTarget};

/// A run of text in one style, before line breaking.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The text (`\n` is a forced line break).
    pub text: String,
    /// How it looks.
    pub style: TextStyle,
    /// Where it links to.
    pub link: Option<LinkDest>,
    /// How far the baseline is raised (footnote references).
    pub raise: Pt,
    /// Where it came from, for warnings.
    pub span: Option<Span>,
    /// Struck out.
    pub strike: bool,
    /// An anchor placed where the piece starts (footnote references).
    pub anchor: Option<String>,
}

impl Piece {
    /// A piece of plain text.
    pub fn plain(text: impl Into<String>, style: TextStyle) -> Self {
        Self {
            text: text.into(),
            style,
            link: None,
            raise: Pt::ZERO,
            span: None,
            strike: false,
            anchor: None,
        }
    }
}

/// Flattens inline content into styled pieces.
pub fn collect(
    doc: &Document,
    inlines: &[Inline],
    style: TextStyle,
    out: &mut Vec<Piece>,
) {
    collect_inner(doc, inlines, style, None, false, out);
}

fn collect_inner(
    doc: &Document,
    inlines: &[Inline],
    style: TextStyle,
    link: Option<&LinkDest>,
    strike: bool,
    out: &mut Vec<Piece>,
) {
    for inline in inlines {
        let span = Some(inline.span.clone());
        let mut push =
            |text: String, style: TextStyle, raise: Pt, link: Option<LinkDest>| {
                let span = span.clone();
                out.push(Piece { text, style, link, raise, span, strike, anchor: None });
            };
        match &inline.kind {
            InlineKind::Text(t) => push(t.clone(), style, Pt::ZERO, link.cloned()),
            InlineKind::Code(t) => {
                let mut s = style;
                s.role = Role::Mono;
                s.size = style.size * 0.9;
                push(t.clone(), s, Pt::ZERO, link.cloned());
            }
            InlineKind::LineBreak => push("\n".into(), style, Pt::ZERO, None),
            InlineKind::Emphasis(c) => {
                collect_inner(doc, c, style.italic_toggled(), link, strike, out);
            }
            InlineKind::Strong(c) => {
                collect_inner(doc, c, style.bold(), link, strike, out);
            }
            InlineKind::Strikethrough(c) => {
                collect_inner(doc, c, style.color(Color::GREY), link, true, out);
            }
            InlineKind::Link { target, content } => {
                let dest = match target {
                    LinkTarget::Url(u) => LinkDest::Url(u.clone()),
                    LinkTarget::Anchor(a) => LinkDest::Anchor(a.clone()),
                };
                collect_inner(
                    doc,
                    content,
                    style.color(Color::ACCENT),
                    Some(&dest),
                    strike,
                    out,
                );
            }
            InlineKind::FootnoteRef(id) => {
                let Some(note) = doc.footnotes.get(id.0) else { continue };
                let s = style.sized(style.size * 0.68).color(Color::ACCENT);
                let dest = LinkDest::Anchor(note.anchor.clone());
                push(note.number.to_string(), s, style.size * 0.36, Some(dest));
                if let Some(last) = out.last_mut() {
                    last.anchor = Some(note.ref_anchor.clone());
                }
            }
        }
    }
}

/// A laid-out line; item positions are relative to the line's top-left corner.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// The width of the content (without trailing spaces).
    pub width: Pt,
    /// The line's height (leading included).
    pub height: Pt,
    /// The baseline's distance from the top.
    pub baseline: Pt,
    /// Glyph runs and link areas.
    pub items: Vec<(Point, FrameItem)>,
}

/// One box of a word: shaped text in one piece's style.
struct WordBox {
    shaped: Rc<Shaped>,
    piece: usize,
}

/// Text between two break opportunities.
struct Word {
    boxes: Vec<WordBox>,
    /// Trailing whitespace (dropped at the end of a line).
    space: Option<WordBox>,
    width: Pt,
    space_width: Pt,
    forced_break: bool,
}

/// Lays out pieces into lines no wider than `width`.
pub fn layout(
    shaper: &mut Shaper,
    pieces: &[Piece],
    width: Pt,
    align: Align,
    leading: f64,
) -> Vec<Line> {
    layout_impl(shaper, pieces, width, align, leading, false)
}

/// Lays out pieces like [`layout`], stretching the spaces of every line but the last
/// (and those ending in a forced break) to fill the width.
pub fn layout_justified(
    shaper: &mut Shaper,
    pieces: &[Piece],
    width: Pt,
    leading: f64,
) -> Vec<Line> {
    layout_impl(shaper, pieces, width, Align::Left, leading, true)
}

fn layout_impl(
    shaper: &mut Shaper,
    pieces: &[Piece],
    width: Pt,
    align: Align,
    leading: f64,
    justify: bool,
) -> Vec<Line> {
    let words = words(shaper, pieces, width);
    let mut lines = Vec::new();
    let mut current: Vec<&Word> = Vec::new();
    let mut used = Pt::ZERO;
    for word in &words {
        let fits = used + word.width <= width + Pt(0.01);
        if !fits && !current.is_empty() {
            lines.push(compose(&current, pieces, width, align, leading, justify));
            current.clear();
            used = Pt::ZERO;
        }
        current.push(word);
        used += word.width + word.space_width;
        if word.forced_break {
            lines.push(compose(&current, pieces, width, align, leading, false));
            current.clear();
            used = Pt::ZERO;
        }
    }
    if !current.is_empty() {
        lines.push(compose(&current, pieces, width, align, leading, false));
    }
    lines
}

/// The narrowest width the pieces can take (widest word) and their natural width
/// (longest forced line).
pub fn measure(shaper: &mut Shaper, pieces: &[Piece]) -> (Pt, Pt) {
    let words = words(shaper, pieces, Pt(f64::MAX));
    let (mut min, mut max, mut line) = (Pt::ZERO, Pt::ZERO, Pt::ZERO);
    for word in &words {
        min = min.max(word.width);
        max = max.max(line + word.width);
        line += word.width + word.space_width;
        if word.forced_break {
            line = Pt::ZERO;
        }
    }
    (min, max)
}

fn words(shaper: &mut Shaper, pieces: &[Piece], width: Pt) -> Vec<Word> {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(pieces.len());
    for p in pieces {
        starts.push(text.len());
        text.push_str(&p.text);
    }
    let mut out = Vec::new();
    let mut prev = 0;
    for (at, kind) in linebreaks(&text) {
        if at == prev {
            continue;
        }
        let segment = &text[prev..at];
        let content_len = segment.trim_end().len();
        let mut word = Word {
            boxes: Vec::new(),
            space: None,
            width: Pt::ZERO,
            space_width: Pt::ZERO,
            forced_break: kind == BreakOpportunity::Mandatory && at < text.len(),
        };
        // The content part, split at piece boundaries.
        for (i, p) in pieces.iter().enumerate() {
            let (ps, pe) = (starts[i], starts[i] + p.text.len());
            let (s, e) = (ps.max(prev), pe.min(prev + content_len));
            if s >= e {
                continue;
            }
            let shaped = shaper.shape_at(&text[s..e], &p.style, p.span.as_ref());
            word.width += shaped.width;
            word.boxes.push(WordBox { shaped, piece: i });
        }
        // Trailing whitespace in the style of the piece it belongs to.
        let space = &segment[content_len..];
        let space_at = prev + content_len;
        if let Some(i) = starts.iter().rposition(|&s| s <= space_at) {
            let visible: String =
                space.chars().filter(|c| *c != '\n' && *c != '\r').collect();
            if !visible.is_empty() {
                let shaped = shaper.shape(&visible, &pieces[i].style);
                word.space_width = shaped.width;
                word.space = Some(WordBox { shaped, piece: i });
            }
        }
        if word.width > width {
            out.extend(split_word(
                shaper,
                pieces,
                &text,
                &starts,
                prev,
                prev + content_len,
                width,
                word,
            ));
        } else {
            out.push(word);
        }
        prev = at;
    }
    out
}

/// Breaks an over-long word between characters into parts that fit `width`.
#[allow(clippy::too_many_arguments)]
fn split_word(
    shaper: &mut Shaper,
    pieces: &[Piece],
    text: &str,
    starts: &[usize],
    from: usize,
    to: usize,
    width: Pt,
    original: Word,
) -> Vec<Word> {
    let piece_at = |at: usize| starts.iter().rposition(|&s| s <= at).unwrap_or(0);
    // Cut points: greedy by single-character widths, with a small safety margin.
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let (mut start, mut used) = (from, Pt::ZERO);
    for (off, c) in text[from..to].char_indices() {
        let at = from + off;
        let p = &pieces[piece_at(at)];
        let w = shaper.shape(c.encode_utf8(&mut [0; 4]), &p.style).width;
        if used + w > width * 0.97 && at > start {
            parts.push((start, at));
            start = at;
            used = Pt::ZERO;
        }
        used += w;
    }
    parts.push((start, to));
    let count = parts.len();
    let mut out = Vec::new();
    for (n, (s, e)) in parts.into_iter().enumerate() {
        let mut word = Word {
            boxes: Vec::new(),
            space: None,
            width: Pt::ZERO,
            space_width: Pt::ZERO,
            forced_break: false,
        };
        for (i, p) in pieces.iter().enumerate() {
            let (ps, pe) = (starts[i], starts[i] + p.text.len());
            let (a, b) = (ps.max(s), pe.min(e));
            if a < b {
                let shaped = shaper.shape(&text[a..b], &p.style);
                word.width += shaped.width;
                word.boxes.push(WordBox { shaped, piece: i });
            }
        }
        if n + 1 == count {
            word.space = original
                .space
                .as_ref()
                .map(|b| WordBox { shaped: b.shaped.clone(), piece: b.piece });
            word.space_width = original.space_width;
            word.forced_break = original.forced_break;
        }
        out.push(word);
    }
    out
}

fn compose(
    words: &[&Word],
    pieces: &[Piece],
    width: Pt,
    align: Align,
    leading: f64,
    justify: bool,
) -> Line {
    let size = words
        .iter()
        .flat_map(|w| w.boxes.iter())
        .map(|b| pieces[b.piece].style.size)
        .fold(Pt::ZERO, Pt::max);
    let size = if size == Pt::ZERO {
        pieces.first().map_or(Pt(10.0), |p| p.style.size)
    } else {
        size
    };
    let height = size * leading;
    let baseline = (height - size * 1.362) / 2.0 + size * 1.069;
    let content: Pt = words.iter().map(|w| w.width + w.space_width).sum::<Pt>()
        - words.last().map_or(Pt::ZERO, |w| w.space_width);
    let mut x = match align {
        Align::Left => Pt::ZERO,
        Align::Center => ((width - content) / 2.0).max(Pt::ZERO),
        Align::Right => (width - content).max(Pt::ZERO),
    };
    let mut items = Vec::new();
    let mut links: Vec<(LinkDest, Pt, Pt, Pt)> = Vec::new();
    let last = words.len().saturating_sub(1);
    // Extra space after each inter-word space when justifying (not if it would gape).
    let stretchable = words.iter().take(last).filter(|w| w.space.is_some()).count();
    let extra = if justify && stretchable > 0 && content < width {
        let per = (width - content) / stretchable as f64;
        if per <= size * 0.3 {
            per
        } else {
            Pt::ZERO
        }
    } else {
        Pt::ZERO
    };
    for (n, word) in words.iter().enumerate() {
        let spaces = if n == last { None } else { word.space.as_ref() };
        for b in word.boxes.iter().chain(spaces) {
            let piece = &pieces[b.piece];
            let mut run_x = x;
            if let Some(anchor) = &piece.anchor {
                let top = baseline - piece.style.size * 1.5;
                items.push((Point::new(x, top), FrameItem::Anchor(anchor.clone())));
            }
            for run in &b.shaped.runs {
                let pos = Point::new(run_x, baseline - piece.raise);
                run_x += run.width();
                if !run.glyphs.is_empty() {
                    items.push((pos, FrameItem::Text(run.clone())));
                }
            }
            if piece.strike && run_x > x {
                let y = baseline - piece.raise - piece.style.size * 0.28;
                let delta = Point::new(run_x - x, Pt::ZERO);
                let line = FrameItem::Line {
                    delta,
                    color: piece.style.color,
                    width: piece.style.size * 0.06,
                };
                items.push((Point::new(x, y), line));
            }
            if let Some(dest) = &piece.link {
                let top = baseline - piece.raise - piece.style.size;
                match links.last_mut() {
                    Some((d, _, end, _)) if d == dest && (*end - x).0.abs() < 0.01 => {
                        *end = run_x;
                    }
                    _ => links.push((dest.clone(), x, run_x, top)),
                }
            }
            x = run_x;
        }
        if n != last && word.space.is_some() {
            x += extra;
        }
    }
    for (dest, start, end, top) in links {
        let size = Size::new(end - start, size * 1.25);
        items.push((Point::new(start, top), FrameItem::Link { size, target: dest }));
    }
    Line { width: content, height, baseline, items }
}

impl TextStyle {
    /// The same style with italic switched (emphasis inside italic text becomes upright).
    pub fn italic_toggled(mut self) -> Self {
        self.italic = !self.italic;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontBook;
    use crate::layout::LayoutOptions;

    fn shaper() -> Shaper {
        let options = LayoutOptions::default();
        Shaper::new(FontBook::load(&options, &mut Vec::new()), &options)
    }

    fn lines(text: &str, width: f64) -> Vec<Line> {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        layout(&mut s, &[Piece::plain(text, style)], Pt(width), Align::Left, 1.4)
    }

    #[test]
    fn lines_never_exceed_the_width() {
        let text = "Astana is the capital. https://example.org/a/really/long/address/without/spaces \
                    supercalifragilisticexpialidocious 阿斯塔纳是哈萨克斯坦的首都。";
        for width in [30.0, 55.5, 80.0, 150.0, 400.0] {
            for line in lines(text, width) {
                assert!(line.width.0 <= width + 0.01, "{} > {width}", line.width.0);
                let end = line
                    .items
                    .iter()
                    .filter_map(|(p, i)| match i {
                        FrameItem::Text(r) => Some(p.x.0 + r.width().0),
                        _ => None,
                    })
                    .fold(0.0, f64::max);
                assert!(end <= width + 0.01, "run ends at {end} > {width}");
            }
        }
    }

    #[test]
    fn justified_lines_fill_the_width_except_the_last() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let text = "The official first floor affords fine office flow. ".repeat(6);
        let lines =
            layout_justified(&mut s, &[Piece::plain(text, style)], Pt(300.0), 1.4);
        assert!(lines.len() > 2);
        let end = |line: &Line| {
            line.items
                .iter()
                .filter_map(|(p, i)| match i {
                    FrameItem::Text(r) => Some(p.x.0 + r.width().0),
                    _ => None,
                })
                .fold(0.0, f64::max)
        };
        for line in &lines[..lines.len() - 1] {
            assert!((end(line) - 300.0).abs() < 0.01, "{}", end(line));
        }
        assert!(end(lines.last().unwrap()) < 299.0);
    }

    #[test]
    fn cjk_breaks_between_ideographs() {
        let out = lines("阿斯塔纳是哈萨克斯坦的首都阿斯塔纳是哈萨克斯坦的首都", 60.0);
        assert!(out.len() >= 4);
    }

    #[test]
    fn forced_break_starts_a_new_line() {
        assert_eq!(lines("one\ntwo", 400.0).len(), 2);
        assert_eq!(lines("one two", 400.0).len(), 1);
    }

    #[test]
    fn ligatures_and_kerning_are_applied() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let shaped = s.shape("office", &style);
        let glyphs: usize = shaped.runs.iter().map(|r| r.glyphs.len()).sum();
        assert!(glyphs < 6, "expected an ffi ligature");
        let texts: String = shaped
            .runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
            .collect();
        assert_eq!(texts, "office");
    }

    #[test]
    fn glyph_texts_add_up_to_the_input() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        for input in ["cafe\u{301}", "е\u{301}сть", "ffi ffl", "Oʻzbek"] {
            let shaped = s.shape(input, &style);
            let texts: String = shaped
                .runs
                .iter()
                .flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str()))
                .collect();
            assert_eq!(texts, input);
        }
    }

    #[test]
    fn fallback_covers_kazakh_uzbek_and_chinese() {
        let mut s = shaper();
        let style = TextStyle::new(Role::Body, Pt(10.0));
        let shaped = s.shape("әғқңөұүһі Oʻzbek 哈萨克", &style);
        assert!(shaped.missing.is_empty(), "{:?}", shaped.missing);
        assert!(shaped.runs.iter().all(|r| r.glyphs.iter().all(|g| g.gid != 0)));
    }
}
