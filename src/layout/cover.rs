//! The PDF cover: the elements of the cover template set in their regions.

use super::flow::Area;
use super::frame::{Frame, FrameItem};
use super::furniture::block_at;
use super::shape::{Role, Shaper, TextStyle};
use super::text::Piece;
use super::units::{Color, Point, Pt, Size};
use crate::model::Align;
use crate::template::{CoverLine, CoverRegion, CoverStyle};

/// The cover page, from the elements of the cover template: each region's elements are
/// stacked top to bottom; `header` and `footer` are centred in the margins (where the
/// marking sits on every other page), `top` starts at the top of the text area, `middle`
/// at 28% of its height (higher if it would otherwise run into the foot), and `foot` ends
/// at the foot of the text area.
pub fn cover(
    shaper: &mut Shaper,
    lines: &[CoverLine],
    page: Size,
    area: Area,
    body: Pt,
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
        let mut stack: Vec<Element> = Vec::new();
        for line in lines.iter().filter(|l| l.region == region) {
            if line.style == CoverStyle::Band {
                let y = if line.text == "bottom" { page.height - BAND } else { Pt::ZERO };
                let size = Size::new(page.width, BAND);
                let band =
                    FrameItem::Rect { size, fill: Some(Color::ACCENT), stroke: None };
                f.push(Point::new(Pt::ZERO, y), band);
                continue;
            }
            let mut e = element(shaper, line, area, body);
            if stack.is_empty() {
                e.space_before = Pt::ZERO;
            }
            stack.push(e);
        }
        stacks.push(stack);
    }
    let heights: Vec<Pt> = stacks
        .iter()
        .map(|s| s.iter().map(|e| e.space_before + e.height).sum())
        .collect();
    let bottom_margin = page.height - area.top - area.height;
    let top = area.top + Pt(10.0);
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

/// The height of the cover's accent band.
const BAND: Pt = Pt(8.0);

/// One cover element, set at y = 0.
struct Element {
    items: Vec<(Point, FrameItem)>,
    height: Pt,
    space_before: Pt,
}

/// Sets one cover element in the width of the text area.
fn element(shaper: &mut Shaper, line: &CoverLine, area: Area, body: Pt) -> Element {
    let sans = TextStyle::new(Role::Heading, body);
    let (style, text, align, leading, space_before) = match line.style {
        CoverStyle::Rule => {
            let rule = FrameItem::Line {
                delta: Point::new(Pt(72.0), Pt::ZERO),
                color: Color::ACCENT,
                width: Pt(2.0),
            };
            let items = vec![(Point::new(area.left, Pt::ZERO), rule)];
            return Element { items, height: body * 1.5, space_before: body * 1.5 };
        }
        CoverStyle::Spacer | CoverStyle::Band => {
            let n = line.text.parse::<f64>().unwrap_or(1.0).clamp(0.0, 40.0);
            return Element { items: vec![], height: body * n, space_before: Pt::ZERO };
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
            let s = sans.sized(body * 2.8).bold().color(Color::ACCENT);
            (s, line.text.clone(), Align::Left, 1.15, Pt::ZERO)
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
    Element { items: f.items, height, space_before }
}
