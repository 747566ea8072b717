//! The text alternative of a chart: what kind of chart it is, then one sentence per
//! series stating its values, generated from the data (never typed by hand).

use super::labels::finite;
use super::{plan, Plan};
use crate::locale::Locale;
use crate::model::{plain_text, Chart, ChartKind};

/// Series with more categories than this are summarised (first, last, extremes)
/// instead of listing every value.
const MAX_LISTED: usize = 12;

/// Describes `chart` in plain sentences in the book's language, e.g. "Bar chart. Trade
/// rose from 89.4 to 94.8 billion US dollars between 2023 and 2024."
pub fn describe(chart: &Chart, l: &Locale) -> String {
    let kind = l.text(match (chart.kind, plan(chart), chart.stacked) {
        (ChartKind::Line, ..) => "line-chart",
        (_, Plan::HorizontalBars, true) => "stacked-horizontal-bar-chart",
        (_, Plan::HorizontalBars, false) => "horizontal-bar-chart",
        (_, _, true) => "stacked-bar-chart",
        _ => "bar-chart",
    });
    let caption = chart.caption.as_deref().map(plain_text).unwrap_or_default();
    let full_stop = l.text("full-stop");
    let mut out = match caption.trim() {
        "" => l.label("chart-kind", &[("kind", &kind)]),
        c => {
            let c = c.trim_end_matches(['.', '\u{3002}']);
            l.label("chart-kind-caption", &[("kind", &kind), ("caption", c)])
        }
    };
    let space = l.text("sentence-space");
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
        let num = |v: f64| l.number(v, dec);
        out.push_str(&space);
        match points.as_slice() {
            [] => out.push_str(&l.label("series-no-values", &[("name", name)])),
            [(c, v)] => out.push_str(&l.label(
                "series-one-value",
                &[("name", name), ("value", &with_unit(num(*v))), ("category", c)],
            )),
            [(c0, v0), .., (c1, v1)] if temporal => {
                let (a, b) = (num(*v0), num(*v1));
                let ends = [("name", name), ("first", *c0), ("last", *c1)];
                let sentence = if v1 == v0 {
                    let value = with_unit(a);
                    l.label(
                        "series-unchanged",
                        &[&ends[..], &[("value", &value)]].concat(),
                    )
                } else {
                    let key = if v1 > v0 { "series-rose" } else { "series-fell" };
                    let to = with_unit(b);
                    l.label(key, &[&ends[..], &[("from", &a), ("to", &to)]].concat())
                };
                out.push_str(&sentence);
                if points.len() > 2 {
                    out.push_str(&extremes(l, &points, dec, &with_unit));
                    if points.len() <= MAX_LISTED {
                        let list = listing(l, &points, dec);
                        out.push_str(&l.label("in-parentheses", &[("text", &list)]));
                    }
                }
                out.push_str(&full_stop);
            }
            _ if points.len() <= MAX_LISTED => {
                let list = listing(l, &points, dec);
                out.push_str(
                    &l.label("series-listing", &[("name", name), ("list", &list)]),
                );
                if let Some(u) = unit {
                    out.push_str(&l.label("in-parentheses", &[("text", u)]));
                }
                out.push_str(&full_stop);
            }
            _ => {
                let n = points.len().to_string();
                out.push_str(&l.label("series-count", &[("name", name), ("n", &n)]));
                out.push_str(&extremes(l, &points, dec, &with_unit));
                out.push_str(&full_stop);
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
            out.push_str(&space);
            out.push_str(&l.label("totals", &[("list", &listing(l, &totals, dec))]));
        }
    }
    out
}

/// "; highest 12.0 billion US dollars in 2019, lowest 3.1 … in 2020".
fn extremes(
    l: &Locale,
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
    let (high, low) = (with_unit(l.number(hi.1, dec)), with_unit(l.number(lo.1, dec)));
    l.label(
        "extremes",
        &[("high", &high), ("high-at", hi.0), ("low", &low), ("low-at", lo.0)],
    )
}

/// "2023: 89.4; 2024: 94.8".
fn listing(l: &Locale, points: &[(&str, f64)], dec: usize) -> String {
    let items: Vec<String> = points
        .iter()
        .map(|(c, v)| {
            l.label("listing-item", &[("category", c), ("value", &l.number(*v, dec))])
        })
        .collect();
    items.join(&l.text("list-separator"))
}
