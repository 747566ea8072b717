//! The running head and foot of one page: a left, a centre and a right slot in the top and
//! bottom margins, fitted so that no two of them overlap.
//!
//! 1. The centre slot (the marking) is centred in the text width; it wraps if it is wider.
//! 2. A side slot sits on the centre slot's line if it fits beside it, at its own size or
//!    shrunk by at most a fifth.
//! 3. If a side slot does not fit, both side slots move to a line of their own, away from
//!    the text area (above the marking in the head, below it in the foot), so that they
//!    stay level with each other. There a slot that shows the chapter title keeps to one
//!    line with the title cut short (ending in "…"); another may wrap to two lines.
//! 4. A side slot that does not fit there either (or whose line would leave the margin)
//!    is left out, with a warning.

use super::flow::Area;
use super::frame::{Frame, FrameItem};
use super::shape::{Role, Shaper, TextStyle};
use super::text::{self, Line, Piece};
use crate::config::Furniture;
use crate::diag::{Diagnostic, Severity};
use crate::geom::{Color, Point, Pt, Size};
use crate::model::Align;

/// The manifest keys of the six slots, in the order `Furniture::render` numbers them.
const KEYS: [&str; 6] = [
    "header-left",
    "header-center",
    "header-right",
    "footer-left",
    "footer-center",
    "footer-right",
];

/// A side slot is shrunk to no less than this share of its size before it moves.
const MIN_SHRINK: f64 = 0.8;

/// The most lines a side slot moved to a line of its own may wrap to.
const MAX_SIDE_LINES: usize = 2;

/// A chapter title cut short keeps at least this many characters before the "…".
const MIN_TITLE_CHARS: usize = 4;

/// The running head and foot of one page, and whether the side slots of each (head,
/// foot) moved off the centre slot's line; `move_sides` moves them in any case (to match
/// other pages). `warnings` gets one for each side slot left out.
#[allow(clippy::too_many_arguments)]
pub fn page_furniture(
    page: Size,
    context: &serde_json::Value,
    shaper: &mut Shaper,
    furniture: &Furniture,
    area: Area,
    body: Pt,
    move_sides: [bool; 2],
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<(Point, FrameItem)>, [bool; 2]) {
    let bottom_margin = page.height - area.top - area.height;
    let edge = Pt(2.0);
    let margins = [
        Margin {
            y: (area.top / 2.0 - body * 0.6).max(edge),
            top: edge,
            bottom: area.top - edge,
            head: true,
        },
        Margin {
            y: page.height - bottom_margin / 2.0 - body * 0.6,
            top: area.top + area.height + edge,
            bottom: page.height - edge,
            head: false,
        },
    ];
    let mut f = Frame::default();
    let mut moved = [false; 2];
    let values = Furniture::context(context);
    for (n, (margin, first)) in margins.into_iter().zip([0, 3]).enumerate() {
        let texts = [0, 1, 2].map(|k| furniture.render_with(first + k, &values));
        let row = Row {
            texts: &texts,
            keys: &KEYS[first..first + 3],
            margin,
            area,
            body,
            render: &|k, chapter, last| {
                let mut context = context.clone();
                context["chapter"] = chapter.into();
                if last {
                    context["page"] = context["pages"].clone();
                }
                furniture.render(first + k, &context)
            },
            chapter: context["chapter"].as_str().unwrap_or_default(),
            move_sides: move_sides[n],
        };
        moved[n] = row.set(&mut f, shaper, warnings);
    }
    (f.items, moved)
}

/// Where one margin's slots may go.
#[derive(Clone, Copy)]
struct Margin {
    /// The top of the centre slot's first line.
    y: Pt,
    /// The highest and lowest y the margin's text may take.
    top: Pt,
    bottom: Pt,
    /// The top margin (moved slots go above the centre slot) or the bottom one (below).
    head: bool,
}

/// The three slots of one margin.
struct Row<'a> {
    texts: &'a [String; 3],
    keys: &'a [&'static str],
    margin: Margin,
    area: Area,
    body: Pt,
    /// Renders slot `k` (0–2) with another chapter title (and as on the last page).
    render: &'a dyn Fn(usize, &str, bool) -> String,
    /// The page's chapter title.
    chapter: &'a str,
    /// Move the side slots to a line of their own even if they fit beside the centre.
    move_sides: bool,
}

impl Row<'_> {
    /// Sets the slots into `out`; returns whether the side slots moved off the centre
    /// slot's line.
    fn set(
        &self,
        out: &mut Frame,
        shaper: &mut Shaper,
        warnings: &mut Vec<Diagnostic>,
    ) -> bool {
        // Set at the nominal place first; the block moves if a moved line would leave
        // the margin.
        let mut slots: [Frame; 3] = Default::default();
        let (shift, moved) = self.set_at_nominal_place(&mut slots, shaper, warnings);
        for (p, item) in slots.into_iter().flat_map(|f| f.items) {
            out.push(Point::new(p.x, p.y + shift), item);
        }
        moved
    }

    /// Sets the slots with the centre slot at the margin's `y`; returns how far the
    /// block must move to stay inside the margin, and whether the side slots moved.
    fn set_at_nominal_place(
        &self,
        f: &mut [Frame; 3],
        shaper: &mut Shaper,
        warnings: &mut Vec<Diagnostic>,
    ) -> (Pt, bool) {
        // Centre slots are set like the marking; the side slots small and grey.
        let centre =
            TextStyle::new(Role::Heading, self.body * 0.85).bold().color(Color::RED);
        let side = TextStyle::new(Role::Heading, self.body * 0.75).color(Color::GREY);
        let (area, y) = (self.area, self.margin.y);
        let width = area.width;
        let gap = self.body * 0.8;

        let mut centre_lines = Vec::new();
        if !self.texts[1].is_empty() {
            let p = [Piece::plain(self.texts[1].clone(), centre)];
            centre_lines = text::layout(shaper, &p, width, Align::Center, 1.2);
        }
        let centre_width = centre_lines.iter().map(|l| l.width).fold(Pt::ZERO, Pt::max);
        let centre_height: Pt = centre_lines.iter().map(|l| l.height).sum();
        place(&mut f[1], centre_lines, area.left, y);

        // Each side slot's natural width, and the room beside the centre slot.
        let sides = [(0, Align::Left), (2, Align::Right)];
        let natural = sides.map(|(k, _)| match self.texts[k].is_empty() {
            true => None,
            false => Some(shaper.shape(&self.texts[k], &side).width),
        });
        let room = |k: usize| -> Pt {
            if centre_width > Pt::ZERO {
                (width - centre_width) / 2.0 - gap
            } else {
                // Without a centre slot the two sides share the line.
                let other = natural[1 - k].map_or(Pt::ZERO, |w| w + gap);
                width - other
            }
        };
        let sizes = [0, 1].map(|n| {
            let w = natural[n]?;
            let room = room(n);
            if w <= room {
                Some(side.size)
            } else {
                let fit = Pt(((side.size * (room / w)).0 * 10.0).floor() / 10.0);
                (room > Pt::ZERO && fit >= side.size * MIN_SHRINK).then_some(fit)
            }
        });
        // Both sides move if one does: a chapter title beside the marking with the page
        // number on the line below reads as a mistake.
        let any_moves = natural.iter().any(Option::is_some)
            && (self.move_sides
                || (0..2).any(|n| natural[n].is_some() && sizes[n].is_none()));
        let mut moved = Vec::new();
        for (n, (k, align)) in sides.into_iter().enumerate() {
            let Some(w) = natural[n] else { continue };
            match sizes[n].filter(|_| !any_moves) {
                Some(size) => {
                    // The smaller side text starts a little lower so the baselines line
                    // up.
                    let drop = match size == side.size {
                        true => self.body * 0.1,
                        false => centre.size - size,
                    };
                    let p = [Piece::plain(self.texts[k].clone(), side.sized(size))];
                    let lines = text::layout(shaper, &p, width, align, 1.2);
                    place(&mut f[k], lines, area.left, y + drop);
                }
                None => moved.push((n, k, align, w)),
            }
        }
        if moved.is_empty() {
            return (Pt::ZERO, false);
        }

        // The slots that did not fit share a line of their own; the right one (a page
        // number, usually short) keeps its width, the left one wraps beside it.
        let mut sets: Vec<(usize, Vec<Line>)> = Vec::new();
        // The left one is fitted beside the right one as wide as it gets (with the last
        // page's number), so a chapter title is cut the same on all of its pages.
        let right = moved.iter().find(|m| m.2 == Align::Right).map_or(Pt::ZERO, |m| {
            let last = (self.render)(m.1, self.chapter, true);
            m.3.max(shaper.shape(&last, &side).width)
        });
        for &(n, k, align, _) in &moved {
            let avail = match align {
                Align::Left if right > Pt::ZERO => width - right - gap,
                _ => width,
            };
            let p = [Piece::plain(self.texts[k].clone(), side)];
            let mut lines =
                text::layout(shaper, &p, avail.max(width * 0.3), Align::Left, 1.2);
            // A chapter title is cut short rather than wrapped into the margin.
            let one_line = lines.len() == 1 && lines[0].width <= avail;
            if !one_line {
                if let Some(short) = self.short_title(k, avail, &side, shaper) {
                    let p = [Piece::plain(short, side)];
                    lines = text::layout(shaper, &p, avail, Align::Left, 1.2);
                }
            }
            if lines.len() > MAX_SIDE_LINES || lines.iter().any(|l| l.width > avail) {
                warnings.push(left_out(self.keys[k], self.margin.head));
                continue;
            }
            sets.push((n, lines));
        }
        let height = sets
            .iter()
            .map(|(_, lines)| lines.iter().map(|l| l.height).sum::<Pt>())
            .fold(Pt::ZERO, Pt::max);
        // Slots left out did not move: other pages need not follow.
        if sets.is_empty() {
            return (Pt::ZERO, false);
        }
        // The moved line goes away from the text; the block keeps inside the margin.
        let (top, bottom) = match self.margin.head {
            true => (y - height, y + centre_height),
            false => (y, y + centre_height + height),
        };
        let shift = if top < self.margin.top {
            self.margin.top - top
        } else if bottom > self.margin.bottom {
            self.margin.bottom - bottom
        } else {
            Pt::ZERO
        };
        if top + shift < self.margin.top || bottom + shift > self.margin.bottom {
            for (n, _) in sets {
                warnings.push(left_out(self.keys[sides[n].0], self.margin.head));
            }
            return (Pt::ZERO, false);
        }
        let line_y = match self.margin.head {
            true => y - height,
            false => y + centre_height,
        };
        for (n, lines) in sets {
            let (k, align) = sides[n];
            let x = match align {
                Align::Right => {
                    let w = lines.iter().map(|l| l.width).fold(Pt::ZERO, Pt::max);
                    area.left + width - w
                }
                _ => area.left,
            };
            place(&mut f[k], lines, x, line_y);
        }
        (shift, true)
    }
}

impl Row<'_> {
    /// Slot `k`'s text with the chapter title cut short (at a word if it has several) so
    /// that it fits `width` on one line; `None` if the slot does not show the title or
    /// fewer than [`MIN_TITLE_CHARS`] of it would fit.
    fn short_title(
        &self,
        k: usize,
        width: Pt,
        style: &TextStyle,
        shaper: &mut Shaper,
    ) -> Option<String> {
        let title = self.chapter.trim();
        // A slot that reads the same with another title does not show it.
        if title.is_empty() || (self.render)(k, "\u{FFFC}", false) == self.texts[k] {
            return None;
        }
        // Cut at a word end if one fits, else anywhere (a long word, or a title in a
        // script written without spaces).
        let ends: Vec<usize> = title.char_indices().map(|(i, _)| i).skip(1).collect();
        // Not after a short word: "Trade and…", not "Trade and the…" or "Торговля и…".
        let words = ends.iter().copied().filter(|&i| {
            let last = title[..i].rsplit(' ').next().unwrap_or_default();
            title[i..].starts_with(' ') && last.chars().count() > 2
        });
        let cuts: Vec<usize> = words.rev().chain(ends.iter().copied().rev()).collect();
        let punctuation = |c: char| c.is_whitespace() || ",;:–—-".contains(c);
        cuts.into_iter()
            .map(|i| title[..i].trim_end_matches(punctuation))
            .filter(|kept| kept.chars().count() >= MIN_TITLE_CHARS)
            .map(|kept| (self.render)(k, &format!("{kept}…"), false))
            .find(|text| shaper.shape(text, style).width <= width)
    }
}

/// Places lines one under the other, the first at `y`, from `x`.
fn place(f: &mut Frame, lines: Vec<Line>, x: Pt, y: Pt) {
    let mut y = y;
    for line in lines {
        for (pos, item) in line.items {
            f.push(Point::new(x + pos.x, y + pos.y), item);
        }
        y += line.height;
    }
}

/// The warning for a side slot with no room in its margin.
fn left_out(key: &str, head: bool) -> Diagnostic {
    let margin = if head { "top" } else { "bottom" };
    let message = format!(
        "`[furniture] {key}` does not fit in the {margin} margin of some pages and is left \
         out there"
    );
    Diagnostic { severity: Severity::Warning, span: None, message, hints: vec![] }
        .with_hint("shorten it, or make the page or its margins larger")
}
