//! Chart geometry, computed once and drawn by both writers.
//!
//! [`layout_chart`] turns a [`Chart`] from the model into a [`Geometry`]: rectangles,
//! lines, paths and text labels in points, with the origin at the top-left corner of the
//! chart. The PDF writer draws the marks as vectors (`layout/chart.rs`); the EPUB writer
//! writes them as an SVG file (`export/epub/svg.rs`). Text is measured through
//! [`Measure`], so print uses the shaper and SVG uses the bundled font's metrics.
//!
//! # Steps
//! 1. **Plan** ([`plan`]): bar or line, vertical or horizontal, or a data table when
//!    the data cannot make a readable chart (too many categories, no values).
//! 2. **Scale** (`ticks`): a value axis with 1–2–5 steps, zero-based for bars.
//! 3. **Place** (`bars`, `lines`): legend, axes, marks, and value labels that do not
//!    collide with each other (`labels`).
//! 4. **Describe** (`describe`): a sentence per series for the text alternative.

mod bars;
mod describe;
mod labels;
mod lines;
mod measure;
mod palette;
mod ticks;
mod when;

pub use describe::describe;
pub use labels::{overlaps, Bounds};
pub use measure::{Measure, NotoSansMetrics};
pub use palette::{contrast_ratio, series_style, SeriesStyle, MAX_SERIES, PALETTE};
pub use ticks::{format_number, natural_decimals, nice_ticks, Ticks};
pub use when::{parse_when, When};

use crate::layout::{Color, Point, Pt, Size};
use crate::model::{Chart, ChartKind};

/// Vertical bar charts with more bars than this (categories × grouped series) turn
/// horizontal.
pub const MAX_VERTICAL_BARS: usize = 24;
/// Horizontal bar charts with more bars than this are shown as a table (they would not
/// fit on a page).
pub const MAX_HORIZONTAL_BARS: usize = 40;
/// Line charts with more points than this are shown as a table.
pub const MAX_LINE_POINTS: usize = 400;

/// How a chart will be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Bars along the x axis.
    VerticalBars,
    /// Bars from a category column on the left.
    HorizontalBars,
    /// One line per series.
    Lines,
    /// No readable chart is possible: show the data table only.
    Table,
}

/// Decides how `chart` is drawn. Vertical bar charts with many bars become
/// horizontal; charts with far too many bars or points, more series than
/// [`MAX_SERIES`], or no finite value, become a table. The model warns about these
/// when it reads the chart.
pub fn plan(chart: &Chart) -> Plan {
    let n = chart.categories.len();
    let any_value = chart
        .series
        .iter()
        .flat_map(|s| &s.values)
        .any(|v| v.is_some_and(f64::is_finite));
    if n == 0 || !any_value || chart.series.len() > MAX_SERIES {
        return Plan::Table;
    }
    let bars = if chart.stacked { n } else { n * chart.series.len().max(1) };
    match chart.kind {
        ChartKind::Line if n > MAX_LINE_POINTS => Plan::Table,
        ChartKind::Line => Plan::Lines,
        ChartKind::Bar if bars > MAX_HORIZONTAL_BARS => Plan::Table,
        ChartKind::Bar if chart.horizontal || bars > MAX_VERTICAL_BARS => {
            Plan::HorizontalBars
        }
        ChartKind::Bar => Plan::VerticalBars,
    }
}

/// Where a text label sits relative to its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The point is the start of the text.
    Start,
    /// The point is the middle of the text.
    Middle,
    /// The point is the end of the text.
    End,
}

/// A line of text: its anchor point is on the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// The anchor point on the baseline.
    pub at: Point,
    /// The text.
    pub text: String,
    /// Type size.
    pub size: Pt,
    /// Bold face.
    pub bold: bool,
    /// Text colour.
    pub color: Color,
    /// How the text sits on the anchor point.
    pub anchor: Anchor,
    /// The measured width.
    pub width: Pt,
}

impl Label {
    /// The box the text covers (cap height above the baseline, descenders below).
    pub fn bounds(&self) -> Bounds {
        let left = match self.anchor {
            Anchor::Start => self.at.x,
            Anchor::Middle => self.at.x - self.width / 2.0,
            Anchor::End => self.at.x - self.width,
        };
        Bounds {
            left,
            top: self.at.y - self.size * 0.75,
            right: left + self.width,
            bottom: self.at.y + self.size * 0.25,
        }
    }
}

/// One drawn element of a chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A filled rectangle (a bar, a legend swatch).
    Rect {
        /// Top-left corner.
        at: Point,
        /// Width and height.
        size: Size,
        /// Fill colour.
        fill: Color,
        /// Outline colour and width, if any.
        stroke: Option<(Color, Pt)>,
    },
    /// A straight line (an axis, a grid line, a tick).
    Line {
        /// Start.
        from: Point,
        /// End.
        to: Point,
        /// Colour.
        color: Color,
        /// Thickness.
        width: Pt,
    },
    /// A polyline or polygon (a data line, a marker).
    Path {
        /// The corners, in order.
        points: Vec<Point>,
        /// Whether the last point joins the first.
        closed: bool,
        /// Fill colour (closed paths).
        fill: Option<Color>,
        /// Stroke colour and width.
        stroke: Option<(Color, Pt)>,
        /// Dash and gap lengths for the stroke; `None` for solid.
        dash: Option<(Pt, Pt)>,
    },
    /// Text.
    Text(Label),
}

/// A laid-out chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// The chart's size (without caption and source line).
    pub size: Size,
    /// The marks, back to front.
    pub marks: Vec<Mark>,
    /// How the chart was drawn.
    pub plan: Plan,
}

impl Geometry {
    /// The text labels, in drawing order.
    pub fn labels(&self) -> impl Iterator<Item = &Label> {
        self.marks.iter().filter_map(|m| match m {
            Mark::Text(l) => Some(l),
            _ => None,
        })
    }
}

/// Type sizes and the available width.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The width the chart may use.
    pub width: Pt,
    /// The size of tick and value labels (legend and axis titles use the same).
    pub font_size: Pt,
}

/// Lays out `chart` in `options.width`, measuring text with `measure`. A chart whose
/// [`plan`] is [`Plan::Table`] has no marks.
pub fn layout_chart(
    chart: &Chart,
    options: Options,
    numbers: &crate::numbers::NumberFormat,
    measure: &mut dyn Measure,
) -> Geometry {
    let plan = plan(chart);
    let mut cx = labels::Cx::new(options, numbers, measure);
    match plan {
        Plan::VerticalBars => bars::vertical(&mut cx, chart),
        Plan::HorizontalBars => bars::horizontal(&mut cx, chart),
        Plan::Lines => lines::lines(&mut cx, chart),
        Plan::Table => {}
    }
    cx.finish(plan)
}
