//! The text alternative of a chart: what kind of chart it is, then one sentence per
//! series stating its values, generated from the data (never typed by hand).

use super::labels::finite;
use super::{format_number, plan, Plan};
use crate::model::{plain_text, Chart, ChartKind};

/// Series with more categories than this are summarised (first, last, extremes)
/// instead of listing every value.
const MAX_LISTED: usize = 12;

/// Describes `chart` in plain sentences, e.g. "Bar chart. Trade rose from 89.4 to 94.8
/// billion US dollars between 2023 and 2024."
pub fn describe(chart: &Chart) -> String {
    let kind = match (chart.kind, plan(chart), chart.stacked) {
        (ChartKind::Line, ..) => "Line chart",
        (_, Plan::HorizontalBars, true) => "Stacked horizontal bar chart",
        (_, Plan::HorizontalBars, false) => "Horizontal bar chart",
        (_, _, true) => "Stacked bar chart",
        _ => "Bar chart",
    };
    let caption = chart.caption.as_deref().map(plain_text).unwrap_or_default();
    let mut out = match caption.trim() {
        "" => format!("{kind}."),
        c => format!("{kind}: {}.", c.trim_end_matches('.')),
    };
    let unit = chart.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let with_unit = |v: String| match unit {
        Some(u) => format!("{v} {u}"),
        None => v,
    };
    // Years or other numbers along the axis read as a time series.
    let temporal = chart.categories.iter().all(|c| c.trim().parse::<f64>().is_ok());
    for s in &chart.series {
        let points: Vec<(&str, f64)> = chart
            .categories
            .iter()
            .zip(&s.values)
            .filter_map(|(c, v)| Some((c.as_str(), finite(*v)?)))
            .collect();
        let name = s.name.trim();
        // Decimals as written (or declared) for this series' data.
        let dec = s.shown_decimals();
        out.push(' ');
        match points.as_slice() {
            [] => out.push_str(&format!("{name}: no values.")),
            [(c, v)] => {
                out.push_str(&format!(
                    "{name}: {} in {c}.",
                    with_unit(format_number(*v, dec))
                ));
            }
            [(c0, v0), .., (c1, v1)] if temporal => {
                let verb = if v1 > v0 {
                    "rose"
                } else if v1 < v0 {
                    "fell"
                } else {
                    "was unchanged"
                };
                let (a, b) = (format_number(*v0, dec), format_number(*v1, dec));
                if v1 == v0 {
                    out.push_str(&format!(
                        "{name} {verb} at {} between {c0} and {c1}",
                        with_unit(a)
                    ));
                } else {
                    out.push_str(&format!(
                        "{name} {verb} from {a} to {} between {c0} and {c1}",
                        with_unit(b)
                    ));
                }
                if points.len() > 2 {
                    out.push_str(&extremes(&points, dec, &with_unit));
                    if points.len() <= MAX_LISTED {
                        out.push_str(&format!(" ({})", listing(&points, dec)));
                    }
                }
                out.push('.');
            }
            _ if points.len() <= MAX_LISTED => {
                let list = listing(&points, dec);
                out.push_str(&format!("{name}: {list}"));
                if let Some(u) = unit {
                    out.push_str(&format!(" ({u})"));
                }
                out.push('.');
            }
            _ => {
                out.push_str(&format!("{name}, {} values", points.len()));
                out.push_str(&extremes(&points, dec, &with_unit));
                out.push('.');
            }
        }
    }
    // A stacked chart also states what each stack adds up to.
    if chart.stacked && chart.series.len() > 1 {
        let totals: Vec<(&str, f64)> = chart
            .categories
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let vals: Vec<f64> = chart
                    .series
                    .iter()
                    .filter_map(|s| finite(s.values.get(i).copied().flatten()))
                    .collect();
                (!vals.is_empty()).then(|| (c.as_str(), vals.iter().sum()))
            })
            .collect();
        let dec = super::labels::value_decimals(chart);
        if !totals.is_empty() && totals.len() <= MAX_LISTED {
            out.push_str(&format!(" Totals: {}.", listing(&totals, dec)));
        }
    }
    out
}

/// "; highest 12.0 billion US dollars in 2019, lowest 3.1 … in 2020".
fn extremes(
    points: &[(&str, f64)],
    dec: usize,
    with_unit: &dyn Fn(String) -> String,
) -> String {
    let mut hi = points[0];
    let mut lo = points[0];
    for &p in points {
        if p.1 > hi.1 {
            hi = p;
        }
        if p.1 < lo.1 {
            lo = p;
        }
    }
    format!(
        "; highest {} ({}), lowest {} ({})",
        with_unit(format_number(hi.1, dec)),
        hi.0,
        with_unit(format_number(lo.1, dec)),
        lo.0
    )
}

/// "2023: 89.4; 2024: 94.8".
fn listing(points: &[(&str, f64)], dec: usize) -> String {
    let items: Vec<String> =
        points.iter().map(|(c, v)| format!("{c}: {}", format_number(*v, dec))).collect();
    items.join("; ")
}
