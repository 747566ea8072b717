//! Page content streams: one page's frame items → content-stream operators.
//!
//! The stream depends only on the page (never on the font subset or other pages), so a
//! compressed stream can be cached and reused: glyphs are written as their original
//! glyph ids (the CIDs; each font's /CIDToGIDMap maps them into the subset), fonts are
//! named after their [`FontId`] and images after their content hash.

use crate::layout::{
    Color, EmbeddedFont, FontId, FrameItem, Glyph, GlyphRun, GlyphText, Page, Path,
    Point, Pt, Size, Watermark,
};

use super::tags::{Snapshot, Switch, Walker};
use super::writer::{hex4, int, num};
use crate::layout::tag::{StructRole, Tag};

/// What one page draws and which glyphs it uses.
pub struct PageContent {
    /// The uncompressed content stream.
    pub stream: Vec<u8>,
    /// Every (font, glyph) the page shows once, with the text of its first occurrence
    /// that has one ("" if none has): the input of /W, ToUnicode and subsetting.
    pub glyphs: Vec<GlyphUse>,
}

/// One glyph of one font used on a page.
pub struct GlyphUse {
    /// The face.
    pub font: FontId,
    /// The original glyph id (= the CID in the PDF).
    pub gid: u16,
    /// The text it stands for.
    pub text: GlyphText,
}

/// The resource name of an image (`Im` + the first 8 bytes of its SHA-256 in hex).
pub fn image_name(key: &[u8; 32]) -> String {
    key[..8].iter().fold(String::from("Im"), |mut s, b| {
        s.push_str(&format!("{b:02x}"));
        s
    })
}

/// The width written into /W for a glyph, in 1/1000 em (truncated; the TJ offsets
/// compensate, so glyphs land exactly where the layout put them).
pub fn pdf_width(face: &EmbeddedFont, cid: u16) -> i64 {
    let upm = f64::from(face.units_per_em.max(1));
    let adv = face.advances.get(usize::from(glyph_of(face, cid))).copied().unwrap_or(0);
    (f64::from(adv) * 1000.0 / upm) as i64
}

/// The CID of a hyphen inserted by hyphenation in `face`: the first code past the
/// face's glyphs, drawn with its hyphen glyph. ToUnicode maps it to the soft hyphen
/// (U+00AD), which is how tagged PDF tells an incidental word division from a real
/// hyphen (ISO 32000-1, 14.8.2.2.3): extractors drop it or join the word over it.
pub fn soft_hyphen_cid(face: &EmbeddedFont) -> Option<u16> {
    face.hyphen?;
    u16::try_from(face.advances.len()).ok()
}

/// The glyph (original id) that `cid` draws: itself, but for the soft hyphen.
pub fn glyph_of(face: &EmbeddedFont, cid: u16) -> u16 {
    match face.hyphen {
        Some(hyphen) if usize::from(cid) == face.advances.len() => hyphen,
        _ => cid,
    }
}

/// An inserted hyphen's run with its hyphen drawn under the soft hyphen's CID (`None`
/// if the face has no such glyph, or the run shows another one: it then reads as a
/// hyphen-minus).
fn soft_hyphen(run: &GlyphRun, face: &EmbeddedFont) -> Option<GlyphRun> {
    let (cid, hyphen) = (soft_hyphen_cid(face)?, face.hyphen?);
    if !run.glyphs.iter().any(|g| g.gid == hyphen) {
        return None;
    }
    let glyphs: Vec<Glyph> = run
        .glyphs
        .iter()
        .map(|g| match g.gid == hyphen {
            true => Glyph { gid: cid, text: "\u{AD}".into(), ..g.clone() },
            false => g.clone(),
        })
        .collect();
    Some(GlyphRun { glyphs: glyphs.into(), ..run.clone() })
}

// A page's content is up to three streams drawn in order: the watermark (a numbered
// copy's), the body and the furniture. Each is complete in itself (no text object or
// marked-content sequence runs from one into the next), so the body's stream serves every
// copy of a page whose copies differ only in furniture and watermark.

/// The body's stream, and the tag walker where the body ends (the furniture's stream
/// goes on from it).
pub fn body_content(
    page: &Page,
    faces: &[EmbeddedFont],
    open: &Snapshot,
) -> (PageContent, Walker) {
    let mut walker = Walker::resume(open);
    let content = draw(page, faces, page.body.items.iter(), &mut walker, false);
    (content, walker)
}

/// The furniture's stream, from where the body left the tag walker.
pub fn furniture_content(
    page: &Page,
    faces: &[EmbeddedFont],
    mut walker: Walker,
) -> PageContent {
    draw(page, faces, page.furniture.items.iter(), &mut walker, true)
}

/// The watermark's stream (drawn first: everything else covers it).
pub fn watermark_content(page: &Page, faces: &[EmbeddedFont]) -> Option<PageContent> {
    let mark = page.watermark.as_ref()?;
    let mut w = Stream::new();
    let mut uses = Uses::new(faces);
    watermark(&mut w, &mut uses, faces, mark, page.size.height);
    w.flush();
    Some(PageContent { stream: w.out, glyphs: uses.finish() })
}

/// Draws `items` of `page` with `walker`; at the end, closes the open marked-content
/// sequence (`last`: the page's last stream, which also ends the page for the walker).
fn draw<'a>(
    page: &Page,
    faces: &[EmbeddedFont],
    items: impl Iterator<Item = &'a (Point, FrameItem)>,
    walker: &mut Walker,
    last: bool,
) -> PageContent {
    let mut w = Stream::new();
    let height = page.size.height;
    let mut uses = Uses::new(faces);
    let mut hyphen = false;
    for (pos, item) in items {
        if !matches!(
            item,
            FrameItem::Text(_)
                | FrameItem::Link { .. }
                | FrameItem::Anchor(_)
                | FrameItem::Tag(_)
        ) {
            // Keep the painting order: text before a shape is drawn before it.
            w.flush();
        }
        if !matches!(
            item,
            FrameItem::Link { .. } | FrameItem::Anchor(_) | FrameItem::Tag(_)
        ) {
            if let Some(switch) = walker.draw(item) {
                // Marked-content sequences and text objects nest: end the line first.
                w.flush();
                mark(&mut w.out, &switch);
            }
        }
        match item {
            FrameItem::Text(run) => {
                let Some(face) = faces.get(run.font.index()) else { continue };
                let soft = std::mem::take(&mut hyphen).then(|| soft_hyphen(run, face));
                let run = soft.as_ref().and_then(Option::as_ref).unwrap_or(run);
                uses.add(run);
                if let Some(space) = face.space {
                    uses.add_glyph(run.font, space, " ");
                }
                let at = Point::new(pos.x, height - pos.y);
                if !w.append(run, face, at) {
                    w.flush();
                    w.start(run, face, at);
                }
            }
            FrameItem::Rect { size, fill, stroke } => {
                let corner = [pos.x.0, (height - pos.y - size.height).0];
                rect(&mut w.out, corner, *size, *fill, stroke.as_deref().copied());
            }
            FrameItem::Line { delta, color, width } => {
                let from = (pos.x.0, (height - pos.y).0);
                let to = ((pos.x + delta.x).0, (height - pos.y - delta.y).0);
                let o = &mut w.out;
                o.extend_from_slice(b"q\n");
                paint_style(o, None, Some((*color, *width)));
                nums(o, &[from.0, from.1]);
                o.extend_from_slice(b"m ");
                nums(o, &[to.0, to.1]);
                o.extend_from_slice(b"l S\nQ\n");
            }
            FrameItem::Path(shape) => {
                let Path { points, closed, fill, stroke, dash } = &**shape;
                let corners: Vec<[f64; 2]> = points
                    .iter()
                    .map(|p| [(pos.x + p.x).0, (height - pos.y - p.y).0])
                    .collect();
                path(&mut w.out, &corners, *closed, *fill, *stroke, *dash);
            }
            FrameItem::Image { image, size } => {
                let name = image_name(image.hash());
                let o = &mut w.out;
                o.extend_from_slice(b"q ");
                let bottom = (height - pos.y - size.height).0;
                nums(o, &[size.width.0, 0.0, 0.0, size.height.0, pos.x.0, bottom]);
                o.extend_from_slice(b"cm /");
                o.extend_from_slice(name.as_bytes());
                o.extend_from_slice(b" Do Q\n");
            }
            FrameItem::Tag(tag) => {
                match tag {
                    Tag::Hyphen => hyphen = true,
                    // A new cell, item or block never begins with a space.
                    Tag::Start(e)
                        if !matches!(e.role, StructRole::Link | StructRole::Span) =>
                    {
                        w.flush();
                        w.last = None;
                    }
                    _ => {}
                }
                walker.tag(tag, &mut |_, _| None);
            }
            FrameItem::Link { .. } | FrameItem::Anchor(_) => {}
        }
    }
    w.flush();
    let open = if last { walker.end_page() } else { walker.pause() };
    if open {
        w.out.extend_from_slice(b"EMC\n");
    }
    PageContent { stream: w.out, glyphs: uses.finish() }
}

/// A watermark, drawn first (everything else covers it) as an artifact: its line is
/// turned about its start by the coordinate matrix, and its runs set along it.
fn watermark(
    w: &mut Stream,
    uses: &mut Uses,
    faces: &[EmbeddedFont],
    mark: &Watermark,
    height: Pt,
) {
    let (cos, sin) = (mark.angle.cos(), mark.angle.sin());
    w.out.extend_from_slice(b"/Artifact BMC\nq\n");
    nums(&mut w.out, &[cos, sin, -sin, cos, mark.origin.x.0, (height - mark.origin.y).0]);
    w.out.extend_from_slice(b"cm\n");
    for (x, run) in &mark.runs {
        let Some(face) = faces.get(run.font.index()) else { continue };
        uses.add(run);
        if !w.append(run, face, Point::new(*x, Pt::ZERO)) {
            w.flush();
            w.start(run, face, Point::new(*x, Pt::ZERO));
        }
    }
    w.flush();
    w.last = None;
    w.out.extend_from_slice(b"Q\nEMC\n");
}

/// Ends the open marked-content sequence and begins the next: content of a structure
/// element (`/P <</MCID 3>> BDC`) or an artifact.
fn mark(o: &mut Vec<u8>, switch: &Switch) {
    if switch.close {
        o.extend_from_slice(b"EMC\n");
    }
    match switch.open {
        Some((role, mcid)) => {
            o.push(b'/');
            o.extend_from_slice(role.name().as_bytes());
            o.extend_from_slice(b"<</MCID ");
            int(o, u64::from(mcid));
            o.extend_from_slice(b">>BDC\n");
        }
        None => o.extend_from_slice(b"/Artifact BMC\n"),
    }
}

/// A filled and/or stroked rectangle from its bottom-left corner.
fn rect(
    o: &mut Vec<u8>,
    corner: [f64; 2],
    size: Size,
    fill: Option<Color>,
    stroke: Option<(Color, Pt)>,
) {
    o.extend_from_slice(b"q\n");
    paint_style(o, fill, stroke);
    nums(o, &[corner[0], corner[1], size.width.0, size.height.0]);
    o.extend_from_slice(b"re ");
    o.extend_from_slice(match (fill, stroke) {
        (Some(_), Some(_)) => b"B\nQ\n",
        (None, Some(_)) => b"S\nQ\n",
        _ => b"f\nQ\n",
    });
}

/// A polyline or polygon (chart lines and markers) with round joins: a filled polygon is
/// closed and filled (and stroked if it has an outline); anything else is stroked.
fn path(
    o: &mut Vec<u8>,
    corners: &[[f64; 2]],
    closed: bool,
    fill: Option<Color>,
    stroke: Option<(Color, Pt)>,
    dash: Option<(Pt, Pt)>,
) {
    if corners.len() < 2 || (fill.is_none() && stroke.is_none()) {
        return;
    }
    o.extend_from_slice(b"q\n");
    paint_style(o, fill, stroke);
    if stroke.is_some() {
        o.extend_from_slice(b"1 j\n");
        if let Some((on, off)) = dash {
            o.push(b'[');
            nums(o, &[on.0, off.0]);
            o.extend_from_slice(b"] 0 d\n");
        }
    }
    for (i, c) in corners.iter().enumerate() {
        nums(o, c);
        o.extend_from_slice(if i == 0 { b"m " } else { b"l " });
    }
    o.extend_from_slice(match (closed && fill.is_some(), stroke.is_some(), closed) {
        (true, true, _) => b"h B\nQ\n",
        (true, false, _) => b"h f\nQ\n",
        (false, _, true) => b"h S\nQ\n",
        (false, _, false) => b"S\nQ\n",
    });
}

/// Numbers separated and followed by spaces.
fn nums(out: &mut Vec<u8>, values: &[f64]) {
    for &v in values {
        num(out, v);
        out.push(b' ');
    }
}

fn rgb(out: &mut Vec<u8>, c: Color, op: &[u8]) {
    nums(out, &[f64::from(c.r) / 255.0, f64::from(c.g) / 255.0, f64::from(c.b) / 255.0]);
    out.extend_from_slice(op);
}

fn paint_style(out: &mut Vec<u8>, fill: Option<Color>, stroke: Option<(Color, Pt)>) {
    if let Some(c) = fill {
        rgb(out, c, b"rg\n");
    }
    if let Some((c, width)) = stroke {
        rgb(out, c, b"RG ");
        num(out, width.0);
        out.extend_from_slice(b" w\n");
    }
}

/// The glyphs a page uses, each (font, gid) once, in order of first use.
struct Uses {
    list: Vec<GlyphUse>,
    /// Per face, glyph id → 1 + index in `list` (0: not used yet). Dense tables: a page
    /// has about 1,700 glyphs, and a hash map lookup per glyph would cost more than
    /// writing it.
    index: Vec<Vec<u32>>,
}

impl Uses {
    fn new(faces: &[EmbeddedFont]) -> Self {
        Self { list: Vec::new(), index: faces.iter().map(|_| Vec::new()).collect() }
    }

    fn add(&mut self, run: &GlyphRun) {
        for g in run.glyphs.iter() {
            self.add_glyph(run.font, g.gid, &g.text);
        }
    }

    fn add_glyph(&mut self, font: FontId, gid: u16, text: &str) {
        let Some(index) = self.index.get_mut(font.index()) else { return };
        let at = usize::from(gid);
        if index.len() <= at {
            index.resize(at + 1, 0);
        }
        match index[at] {
            0 => {
                self.list.push(GlyphUse { font, gid, text: text.into() });
                index[at] = self.list.len() as u32;
            }
            i => {
                let used = &mut self.list[i as usize - 1];
                if used.text.is_empty() && !text.is_empty() {
                    used.text = text.into();
                }
            }
        }
    }

    fn finish(self) -> Vec<GlyphUse> {
        self.list
    }
}

impl Stream {
    fn new() -> Self {
        Self {
            out: Vec::with_capacity(8 * 1024),
            line: None,
            glyphs: Vec::new(),
            last: None,
        }
    }
}

/// The content stream being written, with the text line not yet flushed.
struct Stream {
    out: Vec<u8>,
    line: Option<TextLine>,
    /// Glyph ids and the TJ offset after each, for the current line (reused buffer).
    glyphs: Vec<(u16, f64)>,
    /// The baseline and end of the last text object written.
    last: Option<(Pt, Pt)>,
}

/// A gap between glyph runs on one baseline at least this part of an em is a word
/// space: the writer draws the face's space glyph across it, so that text extraction
/// and assistive technology (which read the glyphs, not the gaps) see the words apart.
const SPACE_GAP: f64 = 0.15;

/// Glyph runs on one baseline in one font, size and colour, written as one text object
/// with one TJ: the gaps between the runs (spaces) become TJ offsets. This keeps content
/// streams small (one word per text object would need six operators per word).
struct TextLine {
    font: FontId,
    /// Stroked as well as filled (bold without a bold face).
    stroked: bool,
    size: Pt,
    color: Color,
    start: Point,
    /// Where the last glyph ends.
    end: Pt,
}

impl Stream {
    fn start(&mut self, run: &GlyphRun, face: &EmbeddedFont, at: Point) {
        // A word set in another font or in another structure element after a space
        // begins with the space.
        let mut start = at;
        let mut space = None;
        if let (Some((y, end)), Some(gid)) = (self.last, face.space) {
            let gap = at.x - end;
            if (y - at.y).0.abs() < 0.001
                && gap.0 >= run.size.0 * SPACE_GAP
                && gap < run.size * 20.0
            {
                start.x = end;
                space = Some((gid, gap));
            }
        }
        self.line = Some(TextLine {
            font: run.font,
            stroked: run.stroked,
            size: run.size,
            color: run.color,
            start,
            end: at.x,
        });
        if let Some((gid, gap)) = space {
            let size = run.size.0.max(0.01);
            self.glyphs.push((gid, pdf_width(face, gid) as f64 - gap.0 * 1000.0 / size));
        }
        self.push(run, face);
    }

    /// Appends `run` if it continues the current line to the right; returns whether it did.
    fn append(&mut self, run: &GlyphRun, face: &EmbeddedFont, at: Point) -> bool {
        let Some(line) = &mut self.line else { return false };
        let gap = at.x - line.end;
        let same = line.font == run.font
            && line.stroked == run.stroked
            && line.size == run.size
            && line.color == run.color
            && (at.y - line.start.y).0.abs() < 0.001
            && gap.0 >= -0.001
            && gap < run.size * 20.0;
        if !same {
            return false;
        }
        let size = line.size.0.max(0.01);
        match face.space {
            Some(gid) if gap.0 >= size * SPACE_GAP => {
                self.glyphs
                    .push((gid, pdf_width(face, gid) as f64 - gap.0 * 1000.0 / size));
            }
            _ => {
                if let Some(last) = self.glyphs.last_mut() {
                    last.1 -= gap.0 * 1000.0 / size;
                }
            }
        }
        line.end = at.x;
        self.push(run, face);
        true
    }

    fn push(&mut self, run: &GlyphRun, face: &EmbeddedFont) {
        let size = run.size.0.max(0.01);
        for g in run.glyphs.iter() {
            // A glyph drawn right of the pen: the pen moves before it, and as much less
            // after it.
            if g.offset != Pt::ZERO {
                match (self.glyphs.last_mut(), &mut self.line) {
                    (Some(last), _) => last.1 -= g.offset.0 * 1000.0 / size,
                    (None, Some(line)) => line.start.x += g.offset,
                    (None, None) => {}
                }
            }
            let advance = g.advance - g.offset;
            self.glyphs
                .push((g.gid, pdf_width(face, g.gid) as f64 - advance.0 * 1000.0 / size));
        }
        if let Some(line) = &mut self.line {
            line.end += run.width();
        }
    }

    /// Writes the current line as one text object.
    fn flush(&mut self) {
        let Some(line) = self.line.take() else { return };
        self.last = Some((line.start.y, line.end));
        let o = &mut self.out;
        if line.stroked {
            // Fill and stroke (render mode 2) with a line a thirtieth of the size wide.
            o.extend_from_slice(b"q\n");
            num(o, line.size.0 / 30.0);
            o.extend_from_slice(b" w\n");
            rgb(o, line.color, b"RG\n");
        }
        o.extend_from_slice(b"BT\n/F");
        int(o, u64::from(line.font.0));
        o.push(b' ');
        num(o, line.size.0);
        o.extend_from_slice(b" Tf\n");
        rgb(o, line.color, b"rg\n");
        if line.stroked {
            o.extend_from_slice(b"2 Tr\n");
        }
        nums(o, &[line.start.x.0, line.start.y.0]);
        o.extend_from_slice(b"Td\n[<");
        let last = self.glyphs.len().saturating_sub(1);
        for (i, &(gid, offset)) in self.glyphs.iter().enumerate() {
            hex4(o, gid);
            let milli = (offset * 1000.0).round();
            if milli != 0.0 && i < last {
                o.push(b'>');
                num(o, offset);
                o.push(b'<');
            }
        }
        o.extend_from_slice(b">] TJ\nET\n");
        if line.stroked {
            o.extend_from_slice(b"Q\n");
        }
        self.glyphs.clear();
    }
}
