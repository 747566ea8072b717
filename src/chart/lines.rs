//! Line charts: one polyline per series, point markers, direct value labels where
//! they fit.

use super::labels::{finite, tick_texts, value_decimals, Cx, AXIS, TEXT};
use super::palette::{MarkerShape, SeriesStyle};
use super::{nice_ticks, palette, Anchor, Bounds, Mark};
use crate::geom::{Color, Point, Pt};
use crate::model::Chart;

/// Value labels are drawn only when there are at most this many points in all.
const MAX_LABELLED_POINTS: usize = 30;
/// Markers are drawn only up to this many points per series.
const MAX_MARKED_POINTS: usize = 40;

/// A point marker of `style` centred on `at`.
pub(super) fn marker(cx: &mut Cx<'_>, style: SeriesStyle, at: Point) {
    let r = cx.o.font_size * 0.32;
    let p = |dx: f64, dy: f64| Point::new(at.x + r * dx, at.y + r * dy);
    let points = match style.marker {
        // An octagon reads as a dot at this size.
        MarkerShape::Circle => vec![
            p(0.41, -1.0),
            p(1.0, -0.41),
            p(1.0, 0.41),
            p(0.41, 1.0),
            p(-0.41, 1.0),
            p(-1.0, 0.41),
            p(-1.0, -0.41),
            p(-0.41, -1.0),
        ],
        MarkerShape::Square => {
            vec![p(-0.9, -0.9), p(0.9, -0.9), p(0.9, 0.9), p(-0.9, 0.9)]
        }
        MarkerShape::Triangle => vec![p(0.0, -1.2), p(1.1, 0.8), p(-1.1, 0.8)],
        MarkerShape::Diamond => {
            vec![p(0.0, -1.25), p(1.1, 0.0), p(0.0, 1.25), p(-1.1, 0.0)]
        }
        MarkerShape::TriangleDown => vec![p(0.0, 1.2), p(-1.1, -0.8), p(1.1, -0.8)],
        MarkerShape::Cross => {
            let (a, b) = (0.35, 1.1);
            vec![
                p(-a, -b),
                p(a, -b),
                p(a, -a),
                p(b, -a),
                p(b, a),
                p(a, a),
                p(a, b),
                p(-a, b),
                p(-a, a),
                p(-b, a),
                p(-b, -a),
                p(-a, -a),
            ]
        }
    };
    let white = Color::rgb(0xff, 0xff, 0xff);
    cx.marks.push(Mark::Path {
        points,
        closed: true,
        fill: Some(style.color),
        stroke: Some((white, Pt(0.5))),
        dash: None,
    });
}

/// Lines over categories spread evenly along the x axis.
pub(super) fn lines(cx: &mut Cx<'_>, chart: &Chart) {
    let fs = cx.o.font_size;
    let w = cx.o.width;
    let values =
        chart.series.iter().flat_map(|s| s.values.iter().copied().filter_map(finite));
    let (lo, hi) =
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    // Start at zero when the data sit near it anyway; otherwise zoom in on the data.
    let zero = lo >= 0.0 && (lo <= (hi - lo) * 0.6 || hi == lo);
    let ticks = nice_ticks(lo, hi, 5, zero);
    let texts = tick_texts(cx, &ticks);
    let mut y = cx.legend(chart, Pt::ZERO, true);
    y = cx.axis_title(&chart.y_label, Pt::ZERO, y, Anchor::Start);
    let axis_w = texts.iter().map(|t| cx.width(t, false)).fold(Pt::ZERO, Pt::max);
    let left = axis_w + fs * 0.6;
    let top = y + fs * 1.4;
    let plot_h = (w * 0.42).min(fs * 22.0);
    let bottom = top + plot_h;
    let ypos = |v: f64| bottom - plot_h * ticks.fraction(v);
    cx.value_grid(&ticks, &texts, left, w, ypos);
    cx.line(Point::new(left, bottom), Point::new(w, bottom), AXIS, Pt(0.8));
    let n = chart.categories.len();
    let inset = fs * 1.5;
    let x_of = |i: usize| {
        if n <= 1 {
            left + (w - left) / 2.0
        } else {
            left + inset + (w - left - inset * 2.0) * (i as f64 / (n - 1) as f64)
        }
    };
    // Category labels: as many as fit side by side, always including the first.
    let widths: Vec<Pt> = chart.categories.iter().map(|c| cx.width(c, false)).collect();
    let widest = widths.iter().copied().fold(Pt::ZERO, Pt::max);
    let spacing = if n > 1 { (w - left - inset * 2.0) / (n - 1) as f64 } else { w };
    let every = ((widest + fs).0 / spacing.0.max(0.01)).ceil().max(1.0) as usize;
    let label_y = bottom + fs * 1.45;
    for (i, cat) in chart.categories.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        cx.line(
            Point::new(x_of(i), bottom),
            Point::new(x_of(i), bottom + fs * 0.3),
            AXIS,
            Pt(0.6),
        );
        let text = cx.fit(cat, w * 0.3);
        let l =
            cx.label(&text, Point::new(x_of(i), label_y), Anchor::Middle, Color::BLACK);
        let area =
            Bounds { left: Pt::ZERO, top: bottom, right: w + fs, bottom: label_y + fs };
        cx.try_put(l, &area, false);
    }
    let mut end = label_y + fs * 0.6;
    if !chart.x_label.trim().is_empty() {
        let l = cx.label(
            &chart.x_label,
            Point::new(left + (w - left) / 2.0, end + fs),
            Anchor::Middle,
            TEXT,
        );
        cx.put(l);
        end += fs * 1.4;
    }
    cx.height = end;
    // The lines, broken where a value is missing; thinner when dense.
    let stroke = if n > MAX_MARKED_POINTS { Pt(1.0) } else { Pt(1.6) };
    for (si, s) in chart.series.iter().enumerate() {
        let style = palette::series_style(si);
        let mut run: Vec<Point> = Vec::new();
        let flush = |cx: &mut Cx<'_>, run: &mut Vec<Point>| {
            if run.len() > 1 {
                for pair in run.windows(2) {
                    cx.segment(pair[0], pair[1]);
                }
                cx.marks.push(Mark::Path {
                    points: std::mem::take(run),
                    closed: false,
                    fill: None,
                    stroke: Some((style.color, stroke)),
                    dash: style.dash,
                });
            }
            run.clear();
        };
        for i in 0..n {
            match finite(s.values.get(i).copied().flatten()) {
                Some(v) => run.push(Point::new(x_of(i), ypos(v))),
                None => flush(cx, &mut run),
            }
        }
        flush(cx, &mut run);
    }
    let marked = n <= MAX_MARKED_POINTS;
    for (si, s) in chart.series.iter().enumerate() {
        for i in 0..n {
            if let Some(v) = finite(s.values.get(i).copied().flatten()) {
                // A lone point (no neighbours) always gets a marker, or it is invisible.
                if marked || n == 1 {
                    marker(cx, palette::series_style(si), Point::new(x_of(i), ypos(v)));
                }
            }
        }
    }
    // Value labels above the point, else below; skipped where they would collide.
    let total: usize =
        chart.series.iter().map(|s| s.values.iter().flatten().count()).sum();
    if total > MAX_LABELLED_POINTS {
        return;
    }
    let dec = value_decimals(chart);
    let area = Bounds { left: Pt::ZERO, top: top - fs * 1.2, right: w + fs, bottom };
    for s in &chart.series {
        for i in 0..n {
            let Some(v) = finite(s.values.get(i).copied().flatten()) else { continue };
            let text = cx.number(v, dec);
            let p = Point::new(x_of(i), ypos(v));
            // Above, below, then to the upper right and upper left of the point.
            let offsets = [
                (0.0, -0.6, Anchor::Middle),
                (0.0, 1.3, Anchor::Middle),
                (0.5, -0.5, Anchor::Start),
                (-0.5, -0.5, Anchor::End),
            ];
            for (dx, dy, anchor) in offsets {
                let at = Point::new(p.x + fs * dx, p.y + fs * dy);
                let l = cx.label(&text, at, anchor, Color::BLACK);
                if cx.try_put(l, &area, false) {
                    break;
                }
            }
        }
    }
}
