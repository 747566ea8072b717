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

pub use crate::locale::{parse_when, When};
pub use crate::model::{
    plan, Plan, MAX_HORIZONTAL_BARS, MAX_LINE_POINTS, MAX_SERIES, MAX_VERTICAL_BARS,
};
pub use describe::describe;
pub use labels::{overlaps, Bounds};
pub use measure::{Measure, NotoSansMetrics};
pub use palette::{contrast_ratio, series_style, SeriesStyle, PALETTE};
pub use ticks::{format_number, natural_decimals, nice_ticks, Ticks};

use crate::geom::{Color, Point, Pt, Size};
use crate::model::Chart;

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
