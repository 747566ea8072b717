//! The chart-building context: marks so far, text measuring, collision-free label
//! placement, the legend and the value axis.

use super::{palette, Anchor, Geometry, Label, Mark, Measure, Options, Plan, Ticks};
use crate::geom::{Color, Point, Pt, Size};
use crate::model::Chart;
use crate::numbers::NumberFormat;

/// Axis and label text (6.2:1 on white).
pub(super) const TEXT: Color = Color::GREY;
/// Grid lines.
pub(super) const GRID: Color = Color::rgb(0xdd, 0xe0, 0xe4);
/// The zero line and the category axis.
pub(super) const AXIS: Color = Color::rgb(0x40, 0x40, 0x40);

/// An axis-aligned box, for collision tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Left edge.
    pub left: Pt,
    /// Top edge.
    pub top: Pt,
    /// Right edge.
    pub right: Pt,
    /// Bottom edge.
    pub bottom: Pt,
}

/// Whether two boxes overlap (touching edges do not count).
pub fn overlaps(a: &Bounds, b: &Bounds) -> bool {
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
}

/// Marks and placed labels while a chart is built.
pub(super) struct Cx<'m> {
    pub o: Options,
    /// How numbers are written in the book's language.
    numbers: &'m NumberFormat,
    measure: &'m mut dyn Measure,
    pub marks: Vec<Mark>,
    /// Boxes of the labels placed so far.
    taken: Vec<Bounds>,
    /// Boxes of the bars drawn so far.
    bars: Vec<Bounds>,
    /// Data line segments drawn so far (labels keep off them).
    segments: Vec<(Point, Point)>,
    pub height: Pt,
}

impl<'m> Cx<'m> {
    pub fn new(
        o: Options,
        numbers: &'m NumberFormat,
        measure: &'m mut dyn Measure,
    ) -> Self {
        Self {
            o,
            numbers,
            measure,
            marks: Vec::new(),
            taken: Vec::new(),
            bars: Vec::new(),
            segments: Vec::new(),
            height: Pt::ZERO,
        }
    }

    pub fn finish(self, plan: Plan) -> Geometry {
        Geometry { size: Size::new(self.o.width, self.height), marks: self.marks, plan }
    }

    pub fn width(&mut self, text: &str, bold: bool) -> Pt {
        self.measure.width(text, self.o.font_size, bold)
    }

    /// A label in the chart's text size.
    pub fn label(
        &mut self,
        text: &str,
        at: Point,
        anchor: Anchor,
        color: Color,
    ) -> Label {
        let width = self.width(text, false);
        let size = self.o.font_size;
        Label { at, text: text.to_string(), size, bold: false, color, anchor, width }
    }

    /// `text`, shortened with an ellipsis to fit `max`.
    pub fn fit(&mut self, text: &str, max: Pt) -> String {
        if self.width(text, false) <= max {
            return text.to_string();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let t: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
            if self.width(&t, false) <= max {
                return t;
            }
        }
        "…".to_string()
    }

    /// Draws a label that must appear; it also reserves its box.
    pub fn put(&mut self, label: Label) {
        self.taken.push(label.bounds());
        self.marks.push(Mark::Text(label));
    }

    /// Draws an optional label if its box is inside `area` and clear of other labels
    /// (and of bars, with `avoid_bars`); reports success.
    pub fn try_put(&mut self, label: Label, area: &Bounds, avoid_bars: bool) -> bool {
        let b = label.bounds();
        let inside = b.left >= area.left
            && b.right <= area.right
            && b.top >= area.top
            && b.bottom <= area.bottom;
        let hits_bar = avoid_bars && self.bars.iter().any(|t| overlaps(t, &b));
        let hits_bar = hits_bar || self.segments.iter().any(|(p, q)| crosses(*p, *q, &b));
        if !inside || hits_bar || self.taken.iter().any(|t| overlaps(t, &b)) {
            return false;
        }
        self.put(label);
        true
    }

    /// Remembers a data line so that labels keep off it.
    pub fn segment(&mut self, from: Point, to: Point) {
        self.segments.push((from, to));
    }

    /// Draws a bar and remembers its box.
    pub fn bar(&mut self, at: Point, size: Size, fill: Color) {
        self.bars.push(Bounds {
            left: at.x,
            top: at.y,
            right: at.x + size.width,
            bottom: at.y + size.height,
        });
        self.rect(at, size, fill);
    }

    /// Horizontal grid lines at the value ticks, with their labels right-aligned left of
    /// the plot (the value axis of vertical bar and line charts).
    pub fn value_grid(
        &mut self,
        ticks: &Ticks,
        texts: &[String],
        left: Pt,
        right: Pt,
        ypos: impl Fn(f64) -> Pt,
    ) {
        let fs = self.o.font_size;
        for (v, t) in ticks.values.iter().zip(texts) {
            self.line(
                Point::new(left, ypos(*v)),
                Point::new(right, ypos(*v)),
                GRID,
                Pt(0.5),
            );
            let l = self.label(
                t,
                Point::new(left - fs * 0.4, ypos(*v) + fs * 0.33),
                Anchor::End,
                TEXT,
            );
            self.put(l);
        }
    }

    pub fn line(&mut self, from: Point, to: Point, color: Color, width: Pt) {
        self.marks.push(Mark::Line { from, to, color, width });
    }

    pub fn rect(&mut self, at: Point, size: Size, fill: Color) {
        self.marks.push(Mark::Rect { at, size, fill, stroke: None });
    }

    /// The legend (only for several series), wrapped over the width from `y`; returns
    /// the y below it.
    pub fn legend(&mut self, chart: &Chart, y: Pt, lines: bool) -> Pt {
        if chart.series.len() < 2 {
            return y;
        }
        let fs = self.o.font_size;
        let swatch = fs * 0.8;
        let gap = fs * 1.2;
        let (mut x, mut row) = (Pt::ZERO, y);
        for (i, s) in chart.series.iter().enumerate() {
            let name = self.fit(&s.name, self.o.width * 0.8);
            let w = self.width(&name, false);
            let item = swatch + fs * 0.4 + w;
            if x > Pt::ZERO && x + item > self.o.width {
                x = Pt::ZERO;
                row += fs * 1.5;
            }
            let style = palette::series_style(i);
            if lines {
                let mid = row + fs * 0.5;
                let points = vec![Point::new(x, mid), Point::new(x + swatch * 1.5, mid)];
                self.marks.push(Mark::Path {
                    points,
                    closed: false,
                    fill: None,
                    stroke: Some((style.color, Pt(1.6))),
                    dash: style.dash,
                });
                super::lines::marker(self, style, Point::new(x + swatch * 0.75, mid));
                x += swatch * 0.7;
            } else {
                self.rect(
                    Point::new(x, row + fs * 0.1),
                    Size::new(swatch, swatch),
                    style.color,
                );
            }
            let at = Point::new(x + swatch + fs * 0.4, row + fs * 0.85);
            let label = self.label(&name, at, Anchor::Start, Color::BLACK);
            self.put(label);
            x += item + gap;
        }
        row + fs * 1.6
    }

    /// The value axis title (the unit) above the plot, at the left edge.
    pub fn axis_title(&mut self, text: &str, x: Pt, y: Pt, anchor: Anchor) -> Pt {
        if text.trim().is_empty() {
            return y;
        }
        let fs = self.o.font_size;
        let t = self.fit(text, self.o.width);
        let label = self.label(&t, Point::new(x, y + fs * 0.85), anchor, TEXT);
        self.put(label);
        y + fs * 1.5
    }
}

/// Whether the segment `p`–`q` passes through the box `b` (Liang–Barsky clipping).
pub fn crosses(p: Point, q: Point, b: &Bounds) -> bool {
    let (dx, dy) = ((q.x - p.x).0, (q.y - p.y).0);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let checks = [
        (-dx, (p.x - b.left).0),
        (dx, (b.right - p.x).0),
        (-dy, (p.y - b.top).0),
        (dy, (b.bottom - p.y).0),
    ];
    for (den, num) in checks {
        if den == 0.0 {
            if num < 0.0 {
                return false;
            }
        } else {
            let t = num / den;
            if den < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// Tick labels of a value axis, with the decimals the step needs.
pub(super) fn tick_texts(cx: &Cx<'_>, t: &Ticks) -> Vec<String> {
    t.values.iter().map(|&v| cx.number(v, t.decimals)).collect()
}

impl Cx<'_> {
    /// A value label or tick in the book's separators.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        crate::numbers::format_number_in(value, decimals, self.numbers)
    }
}

/// Decimals for value labels: the most any series shows (as written or declared), so
/// every label of a chart has the same.
pub(super) fn value_decimals(chart: &Chart) -> usize {
    chart.series.iter().map(crate::model::Series::shown_decimals).max().unwrap_or(0)
}

/// The finite values of every series, with `None` for gaps.
pub(super) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_crossing_boxes_are_found() {
        let b =
            Bounds { left: Pt(10.0), top: Pt(10.0), right: Pt(20.0), bottom: Pt(20.0) };
        let p = |x, y| Point::new(Pt(x), Pt(y));
        assert!(crosses(p(0.0, 0.0), p(30.0, 30.0), &b));
        assert!(crosses(p(15.0, 0.0), p(15.0, 12.0), &b));
        assert!(!crosses(p(0.0, 0.0), p(30.0, 5.0), &b));
        assert!(!crosses(p(0.0, 25.0), p(9.0, 0.0), &b));
    }

    #[test]
    fn touching_boxes_do_not_overlap() {
        let b = |l, t, r, bo| Bounds {
            left: Pt(l),
            top: Pt(t),
            right: Pt(r),
            bottom: Pt(bo),
        };
        assert!(!overlaps(&b(0.0, 0.0, 10.0, 10.0), &b(10.0, 0.0, 20.0, 10.0)));
        assert!(overlaps(&b(0.0, 0.0, 10.0, 10.0), &b(9.0, 9.0, 20.0, 20.0)));
        assert!(!overlaps(&b(0.0, 0.0, 10.0, 10.0), &b(0.0, 11.0, 10.0, 20.0)));
    }
}
