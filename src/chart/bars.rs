//! Bar charts: vertical or horizontal, grouped or stacked, on a zero baseline.

use super::labels::{finite, tick_texts, value_decimals, Cx, AXIS, GRID, TEXT};
use super::{nice_ticks, palette, Anchor, Bounds};
use crate::geom::{Color, Point, Pt, Size};
use crate::model::Chart;

/// One bar (or one piece of a stacked bar), in data units.
struct Seg {
    cat: usize,
    series: usize,
    from: f64,
    to: f64,
}

/// The bars of `chart`: from zero when grouped, piled up (positive and negative values
/// separately) when stacked.
fn segments(chart: &Chart) -> Vec<Seg> {
    let mut out = Vec::new();
    for cat in 0..chart.categories.len() {
        let (mut up, mut down) = (0.0, 0.0);
        for (series, s) in chart.series.iter().enumerate() {
            let Some(v) = finite(s.values.get(cat).copied().flatten()) else { continue };
            if !chart.stacked {
                out.push(Seg { cat, series, from: 0.0, to: v });
            } else if v >= 0.0 {
                out.push(Seg { cat, series, from: up, to: up + v });
                up += v;
            } else {
                out.push(Seg { cat, series, from: down, to: down + v });
                down += v;
            }
        }
    }
    out
}

/// The value range the axis must cover.
fn range(segs: &[Seg]) -> (f64, f64) {
    segs.iter().fold((0.0, 0.0), |(lo, hi), s| {
        (f64::min(lo, s.from.min(s.to)), f64::max(hi, s.from.max(s.to)))
    })
}

/// Stack totals per category (for the labels above stacked bars).
fn totals(chart: &Chart, segs: &[Seg]) -> Vec<Option<f64>> {
    (0..chart.categories.len())
        .map(|c| {
            let mut it = segs.iter().filter(|s| s.cat == c).peekable();
            it.peek()?;
            Some(it.map(|s| s.to - s.from).sum())
        })
        .collect()
}

/// Bars rising from the x axis, with categories along the bottom.
pub(super) fn vertical(cx: &mut Cx<'_>, chart: &Chart) {
    let fs = cx.o.font_size;
    let full = cx.o.width;
    // A few bars do not need the full width: at most 14 em per category.
    let n = chart.categories.len();
    let k = if chart.stacked { 1 } else { chart.series.len().max(1) };
    cx.o.width = full.min(fs * (6.0 + 12.0 * n as f64 + 3.0 * (n * k) as f64));
    let w = cx.o.width;
    let segs = segments(chart);
    let (lo, hi) = range(&segs);
    let ticks = nice_ticks(lo, hi, 5, true);
    let texts = tick_texts(cx, &ticks);
    let mut y = cx.legend(chart, Pt::ZERO, false);
    y = cx.axis_title(&chart.y_label, Pt::ZERO, y, Anchor::Start);
    let axis_w = texts.iter().map(|t| cx.width(t, false)).fold(Pt::ZERO, Pt::max);
    let left = axis_w + fs * 0.6;
    let (top, plot_h) = (y + fs * 1.4, (full * 0.38).min(fs * 20.0));
    let bottom = top + plot_h;
    let ypos = |v: f64| bottom - plot_h * ticks.fraction(v);
    cx.value_grid(&ticks, &texts, left, w, ypos);
    let slot = (w - left) / n as f64;
    let group = (slot * 0.7).min(fs * 4.5 * k as f64);
    let bar_w = group / k as f64;
    let x_of = |s: &Seg| {
        let x0 = left + slot * (s.cat as f64 + 0.5) - group / 2.0;
        if chart.stacked {
            x0
        } else {
            x0 + bar_w * s.series as f64
        }
    };
    for s in &segs {
        let (y0, y1) = (ypos(s.from), ypos(s.to));
        let at = Point::new(x_of(s), y0.min(y1));
        let fill = palette::series_style(s.series).color;
        cx.bar(at, Size::new(bar_w, (y1 - y0).max(-(y1 - y0))), fill);
    }
    cx.line(Point::new(left, ypos(0.0)), Point::new(w, ypos(0.0)), AXIS, Pt(0.8));
    // Category labels: every bar is named, shortened to its slot if need be.
    let mut y = bottom + fs * 1.25;
    for (i, cat) in chart.categories.iter().enumerate() {
        let text = cx.fit(cat, slot - fs * 0.3);
        let at = Point::new(left + slot * (i as f64 + 0.5), y);
        let l = cx.label(&text, at, Anchor::Middle, Color::BLACK);
        cx.put(l);
    }
    y += fs * 0.6;
    if !chart.x_label.trim().is_empty() {
        let at = Point::new(left + (w - left) / 2.0, y + fs * 1.0);
        let l = cx.label(&chart.x_label, at, Anchor::Middle, TEXT);
        cx.put(l);
        y += fs * 1.4;
    }
    cx.height = y;
    // Value labels, where they fit without colliding.
    let dec = value_decimals(chart);
    let area = Bounds { left, top: top - fs * 1.5, right: w, bottom };
    if chart.stacked {
        for s in &segs {
            let (y0, y1) = (ypos(s.from), ypos(s.to));
            let fill = palette::series_style(s.series).color;
            let Some(color) = palette::text_on(fill) else { continue };
            if (y1 - y0).max(y0 - y1) < fs * 1.2 {
                continue;
            }
            let text = cx.number(s.to - s.from, dec);
            let at = Point::new(x_of(s) + bar_w / 2.0, (y0 + y1) / 2.0 + fs * 0.33);
            let l = cx.label(&text, at, Anchor::Middle, color);
            if l.width + fs * 0.3 <= bar_w {
                cx.try_put(l, &area, false);
            }
        }
        for (c, total) in totals(chart, &segs).into_iter().enumerate() {
            let Some(t) = total else { continue };
            let top_v = segs
                .iter()
                .filter(|s| s.cat == c)
                .map(|s| s.to.max(s.from))
                .fold(0.0, f64::max);
            let at = Point::new(left + slot * (c as f64 + 0.5), ypos(top_v) - fs * 0.35);
            let mut l = cx.label(&cx.number(t, dec), at, Anchor::Middle, Color::BLACK);
            l.bold = true;
            cx.try_put(l, &area, true);
        }
    } else {
        for s in &segs {
            let text = cx.number(s.to, dec);
            let mid = x_of(s) + bar_w / 2.0;
            let y_end = ypos(s.to);
            let at = if s.to >= 0.0 {
                Point::new(mid, y_end - fs * 0.35)
            } else {
                Point::new(mid, y_end + fs * 1.0)
            };
            let area = Bounds { bottom: bottom + fs * 0.2, ..area };
            let l = cx.label(&text, at, Anchor::Middle, Color::BLACK);
            let fits = l.width <= bar_w + slot * 0.3 / k as f64;
            if fits && cx.try_put(l, &area, true) {
                continue;
            }
            // No room outside: inside the end of the bar, if it is long enough.
            let fill = palette::series_style(s.series).color;
            let (Some(color), true) = (
                palette::text_on(fill),
                (y_end - ypos(0.0)).max(ypos(0.0) - y_end) >= fs * 1.5,
            ) else {
                continue;
            };
            let y = if s.to >= 0.0 { y_end + fs * 1.05 } else { y_end - fs * 0.4 };
            let l = cx.label(&text, Point::new(mid, y), Anchor::Middle, color);
            if l.width + fs * 0.3 <= bar_w {
                cx.try_put(l, &area, false);
            }
        }
    }
}

/// Bars running right from a column of category names.
pub(super) fn horizontal(cx: &mut Cx<'_>, chart: &Chart) {
    let fs = cx.o.font_size;
    let w = cx.o.width;
    let segs = segments(chart);
    let (lo, hi) = range(&segs);
    let ticks = nice_ticks(lo, hi, 5, true);
    let texts = tick_texts(cx, &ticks);
    let dec = value_decimals(chart);
    let mut y = cx.legend(chart, Pt::ZERO, false);
    let names: Vec<String> =
        chart.categories.iter().map(|c| cx.fit(c, w * 0.35)).collect();
    let name_w = names.iter().map(|t| cx.width(t, false)).fold(Pt::ZERO, Pt::max);
    let left = name_w + fs * 0.6;
    y = cx.axis_title(&chart.y_label, left, y, Anchor::Start);
    // Room on the right for the value label of the longest bar (or stack).
    let ends: Vec<f64> = if chart.stacked {
        totals(chart, &segs).into_iter().flatten().collect()
    } else {
        segs.iter().map(|s| s.to).collect()
    };
    let end_texts: Vec<String> = ends.iter().map(|&v| cx.number(v, dec)).collect();
    let widest =
        end_texts.iter().map(|t| cx.width(t, chart.stacked)).fold(Pt::ZERO, Pt::max);
    let right = (w - widest - fs * 0.5).max(left + (w - left) * 0.6);
    let k = if chart.stacked { 1 } else { chart.series.len().max(1) };
    let bar_h = fs * 1.1;
    let band = bar_h * k as f64 + fs * 0.8;
    let top = y + fs * 0.3;
    let n = chart.categories.len();
    let bottom = top + band * n as f64;
    let xpos = |v: f64| left + (right - left) * ticks.fraction(v);
    for (v, t) in ticks.values.iter().zip(&texts) {
        cx.line(Point::new(xpos(*v), top), Point::new(xpos(*v), bottom), GRID, Pt(0.5));
        let l =
            cx.label(t, Point::new(xpos(*v), bottom + fs * 1.2), Anchor::Middle, TEXT);
        let area = Bounds { left: Pt::ZERO, top, right: w, bottom: bottom + fs * 2.0 };
        cx.try_put(l, &area, false);
    }
    let y_of = |s: &Seg| {
        let y0 = top + band * s.cat as f64 + fs * 0.4;
        if chart.stacked {
            y0
        } else {
            y0 + bar_h * s.series as f64
        }
    };
    for s in &segs {
        let (x0, x1) = (xpos(s.from), xpos(s.to));
        let fill = palette::series_style(s.series).color;
        cx.bar(
            Point::new(x0.min(x1), y_of(s)),
            Size::new((x1 - x0).max(x0 - x1), bar_h),
            fill,
        );
    }
    for (i, name) in names.iter().enumerate() {
        let mid = top + band * (i as f64 + 0.5);
        let l = cx.label(
            name,
            Point::new(left - fs * 0.5, mid + fs * 0.33),
            Anchor::End,
            Color::BLACK,
        );
        cx.put(l);
    }
    cx.line(Point::new(xpos(0.0), top), Point::new(xpos(0.0), bottom), AXIS, Pt(0.8));
    let area = Bounds { left, top, right: w, bottom };
    let totals = totals(chart, &segs);
    for s in &segs {
        let (x0, x1) = (xpos(s.from), xpos(s.to));
        let base = y_of(s) + bar_h / 2.0 + fs * 0.33;
        if chart.stacked {
            let fill = palette::series_style(s.series).color;
            let text = cx.number(s.to - s.from, dec);
            if let Some(color) = palette::text_on(fill) {
                let l = cx.label(
                    &text,
                    Point::new((x0 + x1) / 2.0, base),
                    Anchor::Middle,
                    color,
                );
                if l.width + fs * 0.4 <= (x1 - x0).max(x0 - x1) {
                    cx.try_put(l, &area, false);
                }
            }
            continue;
        }
        let text = cx.number(s.to, dec);
        let (at, anchor) = if s.to >= 0.0 {
            (Point::new(x1 + fs * 0.3, base), Anchor::Start)
        } else {
            (Point::new(x1 - fs * 0.3, base), Anchor::End)
        };
        let l = cx.label(&text, at, anchor, Color::BLACK);
        if cx.try_put(l, &area, true) {
            continue;
        }
        // No room outside: inside the end of the bar, if it is long enough.
        let fill = palette::series_style(s.series).color;
        let Some(color) = palette::text_on(fill) else { continue };
        let (at, anchor) = if s.to >= 0.0 {
            (Point::new(x1 - fs * 0.3, base), Anchor::End)
        } else {
            (Point::new(x1 + fs * 0.3, base), Anchor::Start)
        };
        let l = cx.label(&text, at, anchor, color);
        if l.width + fs * 0.6 <= (x1 - x0).max(x0 - x1) {
            cx.try_put(l, &area, false);
        }
    }
    if chart.stacked {
        for (c, total) in totals.into_iter().enumerate() {
            let Some(t) = total else { continue };
            let end = segs
                .iter()
                .filter(|s| s.cat == c)
                .map(|s| s.to.max(s.from))
                .fold(0.0, f64::max);
            let base = top + band * c as f64 + fs * 0.4 + bar_h / 2.0 + fs * 0.33;
            let mut l = cx.label(
                &cx.number(t, dec),
                Point::new(xpos(end) + fs * 0.3, base),
                Anchor::Start,
                Color::BLACK,
            );
            l.bold = true;
            cx.try_put(l, &area, true);
        }
    }
    let mut y = bottom + fs * 1.8;
    if !chart.x_label.trim().is_empty() && chart.x_label != chart.y_label {
        // The category title heads the name column.
        let l = cx.label(
            chart.x_label.trim(),
            Point::new(left - fs * 0.5, top - fs * 0.5),
            Anchor::End,
            TEXT,
        );
        let area = Bounds { left: Pt::ZERO, top: Pt::ZERO, right: left, bottom: top };
        cx.try_put(l, &area, false);
    }
    y += fs * 0.2;
    cx.height = y;
}
