//! How a chart will be shown, decided from its data alone: the model warns about a
//! chart that becomes a table or turns horizontal, and the chart geometry draws it so.

use super::{Chart, ChartKind};

/// The most series a chart draws; a chart with more is shown as its data table, with
/// a warning, because no seventh colour, dash and marker stays distinguishable.
pub const MAX_SERIES: usize = 6;

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
