//! The PDF cover: the elements of the cover template set in their regions.

use super::flow::Area;
use super::frame::{Frame, FrameItem};
use super::furniture::block_at;
use super::shape::{Role, Shaper, TextStyle};
use super::tag::{self, Element as Tagged, StructRole};
use super::text::Piece;
use crate::config::{CoverLine, CoverRegion, CoverStyle};
use crate::diag::{Diagnostic, Severity};
use crate::geom::{Color, Point, Pt, Size};
use crate::model::Align;

/// The cover page, from the elements of the cover template: each region's elements are
/// stacked top to bottom; `header` and `footer` are centred in the margins (where the
/// marking sits on every other page), `top` starts at the top of the text area, `middle`
/// at 28% of its height (higher if it would otherwise run into the foot), and `foot` ends
/// at the foot of the text area.
///
/// A title block too tall for the room between the top and the foot is set again with
/// the title smaller, down to [`MIN_TITLE_SCALE`] of its size; if it is still too tall,
/// the title is cut short with "…" and `warnings` says so. The block never runs into
/// the foot.
pub fn cover(
    shaper: &mut Shaper,
    lines: &[CoverLine],
    page: Size,
    area: Area,
    body: Pt,
    warnings: &mut Vec<Diagnostic>,
) -> Frame {
    let mut f = Frame::default();
    let regions = [
        CoverRegion::Header,
        CoverRegion::Top,
        CoverRegion::Middle,
        CoverRegion::Foot,
        CoverRegion::Footer,
    ];
    let mut stacks: Vec<Vec<Element>> = Vec::new();
    for region in regions {
        for line in lines.iter().filter(|l| l.region == region) {
            if line.style == CoverStyle::Band {
                let y = if line.text == "bottom" { page.height - BAND } else { Pt::ZERO };
                let size = Size::new(page.width, BAND);
                let band =
                    FrameItem::Rect { size, fill: Some(Color::ACCENT), stroke: None };
                f.push(Point::new(Pt::ZERO, y), band);
            }
        }
        stacks.push(stack(shaper, lines, region, area, body, &Title::AS_WRITTEN));
    }
    let height =
        |s: &[Element]| -> Pt { s.iter().map(|e| e.space_before + e.height).sum() };
    let top = area.top + Pt(10.0);
    // The room for the title block: below the top region, above the foot region.
    let room = (area.top + area.height - height(&stacks[3]) - body)
        - (top + height(&stacks[1]) + body);
    if height(&stacks[2]) > room {
        let fitted = fit_middle(shaper, lines, area, body, room);
        if let Some(dropped) = fitted.1 {
            warnings.push(title_cut(dropped));
        }
        stacks[2] = fitted.0;
    }
    let heights: Vec<Pt> = stacks
        .iter()
        .map(|s| s.iter().map(|e| e.space_before + e.height).sum())
        .collect();
    let bottom_margin = page.height - area.top - area.height;
    let foot = area.top + area.height - heights[3];
    // A long title block moves up rather than run into the foot, but not into the top.
    let middle = (area.top + area.height * 0.28)
        .min(foot - heights[2] - body)
        .max(top + heights[1] + body);
    for (k, stack) in stacks.into_iter().enumerate() {
        // In the margins, the first line sits where the running heads' marking does.
        let first = stack.first().map_or(Pt::ZERO, |e| e.height);
        let centre = (heights[k] - first) / 2.0;
        let mut y = match regions[k] {
            CoverRegion::Header => (area.top / 2.0 - body * 0.6 - centre).max(Pt(2.0)),
            CoverRegion::Top => top,
            CoverRegion::Middle => middle,
            CoverRegion::Foot => foot,
            CoverRegion::Footer => {
                page.height - bottom_margin / 2.0 - body * 0.6 - centre
            }
        };
        for e in stack {
            y += e.space_before;
            for (p, item) in e.items {
                f.push(Point::new(p.x, y + p.y), item);
            }
            y += e.height;
        }
    }
    f
}

/// How the title is set: at `scale` of its usual size, cut after `words` words.
struct Title {
    scale: f64,
    words: Option<usize>,
}

impl Title {
    const AS_WRITTEN: Title = Title { scale: 1.0, words: None };
}

/// The smallest share of its usual size a long title is set at (twice the body size,
/// still larger than the subtitle).
pub const MIN_TITLE_SCALE: f64 = 0.72;

/// The elements of one region, the title set as `title` says.
fn stack(
    shaper: &mut Shaper,
    lines: &[CoverLine],
    region: CoverRegion,
    area: Area,
    body: Pt,
    title: &Title,
) -> Vec<Element> {
    let mut stack: Vec<Element> = Vec::new();
    for line in lines.iter().filter(|l| l.region == region) {
        if line.style == CoverStyle::Band {
            continue;
        }
        let mut e = element(shaper, line, area, body, title);
        if stack.is_empty() {
            e.space_before = Pt::ZERO;
        }
        stack.push(e);
    }
    stack
}

/// The title block set to fit `room`: the title smaller, then cut short. Returns the
/// elements and, if the title was cut, whether elements below the subtitle were left
/// out too.
fn fit_middle(
    shaper: &mut Shaper,
    lines: &[CoverLine],
    area: Area,
    body: Pt,
    room: Pt,
) -> (Vec<Element>, Option<bool>) {
    let height =
        |s: &[Element]| -> Pt { s.iter().map(|e| e.space_before + e.height).sum() };
    let mut scale: f64 = 1.0;
    loop {
        scale = (scale - 0.07).max(MIN_TITLE_SCALE);
        let title = Title { scale, words: None };
        let middle = stack(shaper, lines, CoverRegion::Middle, area, body, &title);
        if height(&middle) <= room {
            return (middle, None);
        }
        if scale <= MIN_TITLE_SCALE {
            break;
        }
    }
    // Still too tall at the smallest size: as many words as fit, then "…".
    let words = lines
        .iter()
        .find(|l| l.region == CoverRegion::Middle && l.style == CoverStyle::Title)
        .map_or(0, |l| l.text.split_whitespace().count());
    let (mut lo, mut hi) = (0, words);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let title = Title { scale: MIN_TITLE_SCALE, words: Some(mid) };
        let middle = stack(shaper, lines, CoverRegion::Middle, area, body, &title);
        if height(&middle) <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let title = Title { scale: MIN_TITLE_SCALE, words: Some(lo) };
    let mut middle = stack(shaper, lines, CoverRegion::Middle, area, body, &title);
    // A page too small even for that: the elements below the title and subtitle go,
    // last first, rather than run into the foot.
    let kept = |e: &Element| matches!(e.style, CoverStyle::Title | CoverStyle::Subtitle);
    let mut dropped = false;
    while height(&middle) > room {
        let Some(last) = middle.iter().rposition(|e| !kept(e)) else { break };
        middle.remove(last);
        dropped = true;
    }
    (middle, Some(dropped))
}

/// The warning for a title cut short on the cover (and elements below the subtitle
/// left out, if `dropped`).
fn title_cut(dropped: bool) -> Diagnostic {
    let also = if dropped { ", without the elements below the subtitle" } else { "" };
    let message = format!(
        "the title is too long for the cover even at the smallest title size; the cover \
         shows it cut short{also}"
    );
    Diagnostic { severity: Severity::Warning, span: None, message, hints: vec![] }
        .with_hint("shorten the title, or put the rest in the subtitle")
}

/// The height of the cover's accent band.
const BAND: Pt = Pt(8.0);

/// One cover element, set at y = 0.
struct Element {
    style: CoverStyle,
    items: Vec<(Point, FrameItem)>,
    height: Pt,
    space_before: Pt,
}

/// Sets one cover element in the width of the text area.
fn element(
    shaper: &mut Shaper,
    line: &CoverLine,
    area: Area,
    body: Pt,
    title: &Title,
) -> Element {
    let sans = TextStyle::new(Role::Heading, body);
    let (style, text, align, leading, space_before) = match line.style {
        CoverStyle::Rule => {
            let rule = FrameItem::Line {
                delta: Point::new(Pt(72.0), Pt::ZERO),
                color: Color::ACCENT,
                width: Pt(2.0),
            };
            let items = vec![(Point::new(area.left, Pt::ZERO), rule)];
            return Element {
                style: line.style,
                items,
                height: body * 1.5,
                space_before: body * 1.5,
            };
        }
        CoverStyle::Spacer | CoverStyle::Band => {
            let n = line.text.parse::<f64>().unwrap_or(1.0).clamp(0.0, 40.0);
            return Element {
                style: line.style,
                items: vec![],
                height: body * n,
                space_before: Pt::ZERO,
            };
        }
        CoverStyle::Marking => {
            let s = sans.sized(body * 0.85).bold().color(Color::RED);
            (s, line.text.to_uppercase(), Align::Center, 1.2, Pt::ZERO)
        }
        CoverStyle::Organisation => {
            let s = sans.sized(body * 1.1).bold().color(Color::GREY);
            (s, line.text.to_uppercase(), Align::Left, 1.3, Pt::ZERO)
        }
        CoverStyle::Title => {
            let size = match title.scale {
                1.0 => body * 2.8,
                scale => body * (2.8 * scale),
            };
            let s = sans.sized(size).bold().color(Color::ACCENT);
            let text = match title.words {
                None => line.text.clone(),
                Some(n) => {
                    let words: Vec<&str> = line.text.split_whitespace().take(n).collect();
                    format!("{}\u{2026}", words.join(" "))
                }
            };
            (s, text, Align::Left, 1.15, Pt::ZERO)
        }
        CoverStyle::Subtitle => {
            let s = sans.sized(body * 1.5).color(Color::GREY);
            (s, line.text.clone(), Align::Left, 1.25, body * 0.4)
        }
        CoverStyle::Event => (
            sans.sized(body * 1.15).bold(),
            line.text.clone(),
            Align::Left,
            1.4,
            Pt::ZERO,
        ),
        CoverStyle::Meta => {
            (sans.sized(body * 1.15), line.text.clone(), Align::Left, 1.4, Pt::ZERO)
        }
        CoverStyle::Small => {
            let s = sans.sized(body * 0.9).color(Color::GREY);
            (s, line.text.clone(), Align::Left, 1.3, Pt::ZERO)
        }
    };
    let mut f = Frame::default();
    let inner = Area { top: Pt::ZERO, ..area };
    let height = block_at(
        &mut f,
        shaper,
        &[Piece::plain(text, style)],
        inner,
        Pt::ZERO,
        align,
        leading,
    );
    // The cover's lines are content (the marking too, once); the title is its heading.
    let role = match line.style {
        CoverStyle::Title => StructRole::H(1),
        _ => StructRole::P,
    };
    if !f.items.is_empty() {
        tag::wrap_items(&mut f.items, Tagged::new(role));
    }
    Element { style: line.style, items: f.items, height, space_before }
}
