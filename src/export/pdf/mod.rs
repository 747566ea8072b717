//! PDF export: laid-out pages → printpdf operations → lopdf post-pass → bytes.
//!
//! 1. Subset every used face (`fonts`) and register it under our own resource name.
//! 2. Turn each page's frame into printpdf operations: glyph runs with exact advances and
//!    a Unicode text for every glyph, rectangles, lines, images and link annotations.
//! 3. Fill in the document information from [`Meta`] (dates from `meta.timestamp`).
//! 4. Convert to lopdf and finish the file (`finish`): outline, /Lang, version, /ID.

mod finish;
mod fonts;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use printpdf::{
    Actions, BorderArray, ColorArray, Destination, DictItem, ExternalStream,
    ExternalXObject, ImageCompression, ImageOptimizationOptions, LinkAnnotation, Op,
    PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, RawImage,
    TextItem, TextMatrix, XObject, XObjectId, XObjectTransform,
};

use crate::diag::{DiagResult, Diagnostic};
use crate::layout::{
    Color, FrameItem, GlyphRun, ImageFormat, LinkDest, Page, PagedDocument, Point, Pt,
    Size,
};
use crate::model::Meta;
use fonts::{bug, SubsetFont};
use sha2::{Digest, Sha256};

/// Writes the pages as a PDF file. The bytes depend only on the input.
pub fn export_pdf(paged: &PagedDocument, meta: &Meta) -> DiagResult<Vec<u8>> {
    match catch_unwind(AssertUnwindSafe(|| export_impl(paged, meta))) {
        Ok(result) => result.map_err(|d| vec![d]),
        Err(_) => Err(vec![bug("internal error while writing the PDF".into())]),
    }
}

fn export_impl(paged: &PagedDocument, meta: &Meta) -> Result<Vec<u8>, Diagnostic> {
    let fonts = fonts::subset_fonts(paged)?;
    let mut doc = PdfDocument::new(&meta.title);
    for font in fonts.values() {
        doc.resources
            .fonts
            .map
            .insert(font.resource.clone(), PdfFont::new(font.parsed.clone()));
    }
    let mut images = BTreeMap::new();
    let anchors = paged.anchors();
    let mut pages = Vec::with_capacity(paged.pages.len());
    for page in &paged.pages {
        let ops = page_ops(&anchors, page, &fonts, &mut doc, &mut images);
        let w = printpdf::Mm((page.size.width.0 * 25.4 / 72.0) as f32);
        let h = printpdf::Mm((page.size.height.0 * 25.4 / 72.0) as f32);
        pages.push(PdfPage::new(w, h, ops));
    }
    doc.with_pages(pages);

    let info = &mut doc.metadata.info;
    info.author = meta.authors.join(", ");
    info.subject = meta.description.clone().unwrap_or_default();
    info.keywords = meta.subjects.clone();
    info.creator = "briefbook".into();
    info.producer = "briefbook".into();
    let date = printpdf::OffsetDateTime::from_unix_timestamp(meta.timestamp.timestamp())
        .map_err(|e| bug(format!("invalid timestamp ({e})")))?;
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;

    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: Some(ImageOptimizationOptions {
            max_image_size: None,
            auto_optimize: Some(false),
            format: Some(ImageCompression::Flate),
            ..Default::default()
        }),
    };
    let mut warnings = Vec::new();
    let lo = doc.to_lopdf_document(&options, &mut warnings);
    // The page operations are in `lo` now; free them before serializing.
    drop(doc);
    let outline = finish::resolve_outline(paged);
    finish::finish(lo, meta, &outline)
}

fn color(c: Color) -> printpdf::Color {
    let f = |v: u8| f32::from(v) / 255.0;
    printpdf::Color::Rgb(printpdf::Rgb::new(f(c.r), f(c.g), f(c.b), None))
}

fn pt(v: Pt) -> printpdf::Pt {
    printpdf::Pt(v.0 as f32)
}

/// A rectangle in PDF coordinates (origin bottom-left) from a top-left position.
fn rect(page: Size, pos: Point, size: Size) -> printpdf::Rect {
    printpdf::Rect::from_xywh(
        pt(pos.x),
        pt(page.height - pos.y - size.height),
        pt(size.width),
        pt(size.height),
    )
}

fn page_ops(
    anchors: &BTreeMap<&str, (usize, Point)>,
    page: &Page,
    fonts: &BTreeMap<crate::layout::FontId, SubsetFont>,
    doc: &mut PdfDocument,
    images: &mut BTreeMap<[u8; 32], XObjectId>,
) -> Vec<Op> {
    let mut ops = Vec::new();
    let height = page.size.height;
    let mut line: Option<TextLine> = None;
    for (pos, item) in &page.frame.items {
        if !matches!(
            item,
            FrameItem::Text(_) | FrameItem::Link { .. } | FrameItem::Anchor(_)
        ) {
            // Keep the painting order: text before a shape is drawn before it.
            flush(&mut ops, line.take(), fonts);
        }
        match item {
            FrameItem::Text(run) => {
                let Some(font) = fonts.get(&run.font) else { continue };
                let at = Point::new(pos.x, height - pos.y);
                let joined = line.as_mut().is_some_and(|l| l.append(run, font, at));
                if !joined {
                    flush(&mut ops, line.take(), fonts);
                    line = Some(TextLine::new(run, font, at));
                }
            }
            FrameItem::Rect { size, fill, stroke } => {
                let mut r = rect(page.size, *pos, *size);
                ops.push(Op::SaveGraphicsState);
                if let Some(fill) = fill {
                    ops.push(Op::SetFillColor { col: color(*fill) });
                }
                if let Some((c, w)) = stroke {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    ops.push(Op::SetOutlineThickness { pt: pt(*w) });
                }
                r.mode = Some(match (fill, stroke) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (None, Some(_)) => PaintMode::Stroke,
                    _ => PaintMode::Fill,
                });
                ops.push(Op::DrawRectangle { rectangle: r });
                ops.push(Op::RestoreGraphicsState);
            }
            FrameItem::Line { delta, color: c, width } => {
                let p = |x: Pt, y: Pt| printpdf::LinePoint {
                    p: printpdf::Point { x: pt(x), y: pt(height - y) },
                    bezier: false,
                };
                let line = printpdf::Line {
                    points: vec![p(pos.x, pos.y), p(pos.x + delta.x, pos.y + delta.y)],
                    is_closed: false,
                };
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: pt(*width) });
                ops.push(Op::DrawLine { line });
                ops.push(Op::RestoreGraphicsState);
            }
            FrameItem::Path { points, closed, fill, stroke, dash } => {
                path_ops(&mut ops, height, *pos, points, *closed, *fill, *stroke, *dash);
            }
            FrameItem::Image { data, format, size } => {
                // The same file used twice is embedded once.
                let key: [u8; 32] = Sha256::digest(data.as_slice()).into();
                let id = match images.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let id = XObjectId(format!("Im{}", images.len() + 1));
                        let Some(xobject) = image_xobject(data, *format) else {
                            continue;
                        };
                        doc.resources.xobjects.map.insert(id.clone(), xobject);
                        images.insert(key, id.clone());
                        id
                    }
                };
                // Both kinds are scaled from the unit square (no automatic pixel scaling).
                let transform = XObjectTransform {
                    translate_x: Some(pt(pos.x)),
                    translate_y: Some(pt(height - pos.y - size.height)),
                    scale_x: Some(size.width.0 as f32),
                    scale_y: Some(size.height.0 as f32),
                    no_auto_scale: true,
                    ..Default::default()
                };
                ops.push(Op::UseXobject { id, transform });
            }
            FrameItem::Link { size, target } => {
                let actions = match target {
                    LinkDest::Url(url) => Actions::Uri(url.clone()),
                    LinkDest::Anchor(name) => match anchors.get(name.as_str()).copied() {
                        Some((index, at)) => Actions::Goto(Destination::Xyz {
                            page: index + 1,
                            left: Some(0.0),
                            top: Some((height - at.y + Pt(4.0)).0 as f32),
                            zoom: None,
                        }),
                        None => continue,
                    },
                };
                let link = LinkAnnotation::new(
                    rect(page.size, *pos, *size),
                    actions,
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    Some(ColorArray::Transparent),
                    None,
                );
                ops.push(Op::LinkAnnotation { link });
            }
            FrameItem::Anchor(_) => {}
        }
    }
    flush(&mut ops, line.take(), fonts);
    ops
}

/// A polyline or polygon (chart lines and markers), with round joins.
#[allow(clippy::too_many_arguments)]
fn path_ops(
    ops: &mut Vec<Op>,
    height: Pt,
    pos: Point,
    points: &[Point],
    closed: bool,
    fill: Option<Color>,
    stroke: Option<(Color, Pt)>,
    dash: Option<(Pt, Pt)>,
) {
    if points.len() < 2 || (fill.is_none() && stroke.is_none()) {
        return;
    }
    let points: Vec<printpdf::LinePoint> = points
        .iter()
        .map(|p| printpdf::LinePoint {
            p: printpdf::Point { x: pt(pos.x + p.x), y: pt(height - pos.y - p.y) },
            bezier: false,
        })
        .collect();
    ops.push(Op::SaveGraphicsState);
    if let Some(c) = fill {
        ops.push(Op::SetFillColor { col: color(c) });
    }
    if let Some((c, w)) = stroke {
        ops.push(Op::SetOutlineColor { col: color(c) });
        ops.push(Op::SetOutlineThickness { pt: pt(w) });
        ops.push(Op::SetLineJoinStyle { join: printpdf::LineJoinStyle::Round });
        if let Some((on, off)) = dash {
            let dash = printpdf::LineDashPattern::new(0.0, &[on.0 as f32, off.0 as f32]);
            ops.push(Op::SetLineDashPattern { dash });
        }
    }
    if closed && fill.is_some() {
        let mode = if stroke.is_some() { PaintMode::FillStroke } else { PaintMode::Fill };
        let polygon = printpdf::Polygon {
            rings: vec![printpdf::PolygonRing { points }],
            mode,
            winding_order: printpdf::WindingOrder::NonZero,
        };
        ops.push(Op::DrawPolygon { polygon });
    } else {
        ops.push(Op::DrawLine { line: printpdf::Line { points, is_closed: closed } });
    }
    ops.push(Op::RestoreGraphicsState);
}

/// The image as an XObject: PNGs decoded (stored with Flate), JPEGs passed through (DCT).
fn image_xobject(data: &[u8], format: ImageFormat) -> Option<XObject> {
    match format {
        ImageFormat::Png => {
            let raw = RawImage::decode_from_bytes(data, &mut Vec::new()).ok()?;
            Some(XObject::Image(raw))
        }
        ImageFormat::Jpeg { width, height, components } => {
            let space: &[u8] = match components {
                1 => b"DeviceGray",
                4 => b"DeviceCMYK",
                _ => b"DeviceRGB",
            };
            let mut dict = BTreeMap::new();
            let name = |n: &[u8]| DictItem::Name(n.to_vec());
            dict.insert("Type".to_string(), name(b"XObject"));
            dict.insert("Subtype".to_string(), name(b"Image"));
            dict.insert("Width".to_string(), DictItem::Int(i64::from(width)));
            dict.insert("Height".to_string(), DictItem::Int(i64::from(height)));
            dict.insert("ColorSpace".to_string(), name(space));
            dict.insert("BitsPerComponent".to_string(), DictItem::Int(8));
            dict.insert("Filter".to_string(), name(b"DCTDecode"));
            if components == 4 {
                let decode = [1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec();
                dict.insert("Decode".to_string(), DictItem::Array(decode));
            }
            let stream = ExternalStream { dict, content: data.to_vec(), compress: false };
            Some(XObject::External(ExternalXObject {
                stream,
                width: None,
                height: None,
                dpi: None,
            }))
        }
    }
}

/// Glyph runs on one baseline in one font, size and colour, written as one text object
/// with one TJ: the gaps between the runs (spaces) become TJ offsets. This keeps content
/// streams small (one word per text object would need six operators per word).
struct TextLine {
    font: crate::layout::FontId,
    size: Pt,
    color: Color,
    start: Point,
    /// Where the last glyph ends.
    end: Pt,
    glyphs: Vec<printpdf::Codepoint>,
}

impl TextLine {
    fn new(run: &GlyphRun, font: &SubsetFont, at: Point) -> Self {
        let mut line = Self {
            font: run.font,
            size: run.size,
            color: run.color,
            start: at,
            end: at.x,
            glyphs: Vec::with_capacity(run.glyphs.len() * 8),
        };
        line.push(run, font);
        line
    }

    /// Appends `run` if it continues this line to the right; returns whether it did.
    fn append(&mut self, run: &GlyphRun, font: &SubsetFont, at: Point) -> bool {
        let gap = at.x - self.end;
        let same = self.font == run.font
            && self.size == run.size
            && self.color == run.color
            && (at.y - self.start.y).0.abs() < 0.001
            && gap.0 >= -0.001
            && gap < run.size * 20.0;
        if !same {
            return false;
        }
        if let Some(last) = self.glyphs.last_mut() {
            last.offset -= (gap.0 * 1000.0 / self.size.0.max(0.01)) as f32;
        }
        self.end = at.x;
        self.push(run, font);
        true
    }

    fn push(&mut self, run: &GlyphRun, font: &SubsetFont) {
        let size = run.size.0.max(0.01);
        self.glyphs.extend(run.glyphs.iter().map(|g| printpdf::Codepoint {
            gid: font.map.get(&g.gid).copied().unwrap_or(0),
            offset: font.pdf_width(g.gid) - (g.advance.0 * 1000.0 / size) as f32,
            cid: (!g.text.is_empty()).then(|| g.text.clone()),
        }));
        self.end += run.width();
    }
}

/// Writes a text line as one text object.
fn flush(
    ops: &mut Vec<Op>,
    line: Option<TextLine>,
    fonts: &BTreeMap<crate::layout::FontId, SubsetFont>,
) {
    let Some(line) = line else { return };
    let Some(font) = fonts.get(&line.font) else { return };
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(font.resource.clone()),
        size: pt(line.size),
    });
    ops.push(Op::SetFillColor { col: color(line.color) });
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(pt(line.start.x), pt(line.start.y)),
    });
    ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(line.glyphs)] });
    ops.push(Op::EndTextSection);
}
