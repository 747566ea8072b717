//! The chart and timeline blocks: their TOML settings, the data they draw from, and
//! the checks that turn bad data into diagnostics (missing columns, empty or
//! non-finite data, too many categories, unreadable or unsorted dates).

use serde::Deserialize;

use super::custom::{cell_text, Cx};
use super::{plan, Plan, MAX_SERIES};
use super::{Chart, ChartKind, Series, Timeline, TimelineEvent};
use crate::diag::Diagnostic;
use crate::locale::{parse_when, When};
use crate::model::BlockKind;
use crate::template::{decode_references, escape_markdown};

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct ChartSpec {
    #[serde(rename = "type")]
    kind: String,
    data: Option<String>,
    x: Option<String>,
    y: Option<StringOrList>,
    categories: Option<Vec<String>>,
    #[serde(default)]
    series: Vec<SeriesSpec>,
    #[serde(default)]
    horizontal: bool,
    #[serde(default)]
    stacked: bool,
    caption: Option<String>,
    source: Option<String>,
    x_label: Option<String>,
    y_label: Option<String>,
    unit: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrList {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesSpec {
    name: String,
    values: Vec<f64>,
}

impl ChartSpec {
    /// The settings that are plain text (not Markdown) with character references
    /// decoded, so a value from `{{…}}` reads as the characters it stands for.
    fn decoded(mut self) -> Self {
        let text = |s: &mut String| *s = decode_references(s);
        let opt = |s: &mut Option<String>| s.iter_mut().for_each(text);
        opt(&mut self.data);
        opt(&mut self.x);
        match &mut self.y {
            Some(StringOrList::One(y)) => text(y),
            Some(StringOrList::Many(ys)) => ys.iter_mut().for_each(text),
            None => {}
        }
        self.categories.iter_mut().flatten().for_each(text);
        self.series.iter_mut().for_each(|s| text(&mut s.name));
        opt(&mut self.x_label);
        opt(&mut self.y_label);
        opt(&mut self.unit);
        self
    }

    pub(super) fn resolve(self, cx: &mut Cx<'_, '_>) -> Option<BlockKind> {
        self.decoded().resolve_decoded(cx)
    }

    fn resolve_decoded(self, cx: &mut Cx<'_, '_>) -> Option<BlockKind> {
        let kind = match self.kind.as_str() {
            "bar" => ChartKind::Bar,
            "line" => ChartKind::Line,
            other => {
                cx.error(
                    format!("unknown chart type `{other}`"),
                    Some("use `bar` or `line`".into()),
                );
                return None;
            }
        };
        let mut x_label = self.x_label.clone().unwrap_or_default();
        let mut unit = self.unit.clone();
        let mut data_source = None;
        let (categories, series) = match (&self.data, &self.categories) {
            (Some(name), None) => {
                let set = cx.data_set(name)?.clone();
                let Some(x) = &self.x else {
                    cx.error(
                        "a chart from a data set needs `x` (the category column)".into(),
                        None,
                    );
                    return None;
                };
                let xi = cx.column(&set, x)?;
                let ys = match &self.y {
                    Some(StringOrList::One(y)) => vec![y.clone()],
                    Some(StringOrList::Many(v)) => v.clone(),
                    None => {
                        cx.error(
                            "a chart from a data set needs `y` (the value columns)"
                                .into(),
                            None,
                        );
                        return None;
                    }
                };
                if x_label.is_empty() {
                    x_label = set.columns[xi].label.clone().unwrap_or_else(|| x.clone());
                }
                // A data set's source line is text from the manifest, not Markdown
                // (as in the `table` helper).
                data_source = set.source.as_deref().map(escape_markdown);
                let categories =
                    set.rows.iter().map(|r| cell_text(&r.value(xi))).collect();
                let mut series = Vec::new();
                for y in &ys {
                    let yi = cx.column(&set, y)?;
                    let col = &set.columns[yi];
                    if !col.ty.is_numeric() {
                        cx.error(
                            format!("column `{y}` of `{name}` is not numeric"),
                            None,
                        );
                        return None;
                    }
                    unit = unit.or_else(|| col.unit.clone());
                    let name = col.label.clone().unwrap_or_else(|| y.clone());
                    series.push(Series {
                        name,
                        values: set.rows.iter().map(|r| r.value(yi).as_f64()).collect(),
                        decimals: Some(col.shown_decimals()),
                    });
                }
                (categories, series)
            }
            (None, Some(categories)) => {
                if self.series.is_empty() {
                    cx.error(
                        "an inline chart needs at least one `[[series]]`".into(),
                        None,
                    );
                    return None;
                }
                for s in &self.series {
                    if s.values.len() != categories.len() {
                        cx.error(
                            format!(
                                "series `{}` has {} values for {} categories",
                                s.name,
                                s.values.len(),
                                categories.len()
                            ),
                            None,
                        );
                        return None;
                    }
                }
                let series = self
                    .series
                    .iter()
                    .map(|s| Series {
                        name: s.name.clone(),
                        values: s.values.iter().map(|v| Some(*v)).collect(),
                        decimals: None,
                    })
                    .collect();
                (categories.clone(), series)
            }
            _ => {
                cx.error(
                    "a chart needs either `data` (a data set) or `categories` with `[[series]]`".into(),
                    Some("see docs/format.md, Charts".into()),
                );
                return None;
            }
        };
        if !check_chart_data(cx, &categories, &series) {
            return None;
        }
        let y_label = self.y_label.clone().or_else(|| unit.clone()).unwrap_or_default();
        let source = self.source.clone().or(data_source);
        let chart = Chart {
            kind,
            horizontal: self.horizontal,
            stacked: self.stacked,
            number: None,
            caption: cx.opt_inline(&self.caption, "caption"),
            source: cx.opt_inline(&source, "source"),
            data: self.data.clone().unwrap_or_default(),
            x_label,
            y_label,
            unit,
            categories,
            series,
        };
        warn_about_plan(cx, &chart);
        Some(BlockKind::Chart(chart))
    }
}

/// Warns where the chart will be drawn differently from what was asked: the layout's
/// own [`plan`] decides, so the warning and the drawing always agree.
fn warn_about_plan(cx: &mut Cx<'_, '_>, chart: &Chart) {
    let n = chart.categories.len();
    let bars = if chart.stacked { n } else { n * chart.series.len().max(1) };
    let (message, hint) = match (chart.kind, plan(chart)) {
        (_, Plan::Table) if chart.series.len() > MAX_SERIES => (
            format!(
                "{} series are more than a chart keeps apart (at most {MAX_SERIES}); it is shown as a table",
                chart.series.len()
            ),
            "split it into charts of at most 6 series each, or plot fewer columns",
        ),
        (ChartKind::Bar, Plan::Table) => (
            format!("{bars} bars are too many for a bar chart; it is shown as a table"),
            "plot fewer rows or series, or use `type = \"line\"` for a long series",
        ),
        (ChartKind::Bar, Plan::HorizontalBars) if !chart.horizontal => (
            format!("{bars} bars are too many to stand side by side; they are drawn horizontally"),
            "set `horizontal = true` to silence this warning",
        ),
        (ChartKind::Line, Plan::Table) => (
            format!("{n} points are too many for a line chart; it is shown as a table"),
            "aggregate the data set first",
        ),
        _ => return,
    };
    // Too many series: at the `y` list, or at the first `[[series]]` past the limit.
    let span = if chart.series.len() > MAX_SERIES {
        let key = if chart.data.is_empty() {
            format!("series.{MAX_SERIES}")
        } else {
            "y".into()
        };
        cx.value_span(&key)
    } else {
        cx.span.clone()
    };
    cx.sink.push(Diagnostic::warning(span, message).with_hint(hint));
}

/// Errors for data no chart can show. Returns whether to go on.
fn check_chart_data(
    cx: &mut Cx<'_, '_>,
    categories: &[String],
    series: &[Series],
) -> bool {
    if categories.is_empty() {
        cx.error(
            "the chart has no data (no categories)".into(),
            Some("the data set has no rows, or `categories` is empty".into()),
        );
        return false;
    }
    for s in series {
        if s.values.iter().flatten().any(|v| !v.is_finite()) {
            cx.error(
                format!("series `{}` has a value that is not a finite number", s.name),
                Some("`nan` and `inf` cannot be plotted".into()),
            );
            return false;
        }
    }
    if series.iter().all(|s| s.values.iter().all(Option::is_none)) {
        cx.error(
            "the chart has no values: every cell of its `y` columns is empty".into(),
            None,
        );
        return false;
    }
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TimelineSpec {
    data: Option<String>,
    when: Option<String>,
    title: Option<String>,
    detail: Option<String>,
    caption: Option<String>,
    source: Option<String>,
    #[serde(default)]
    event: Vec<EventSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventSpec {
    when: Option<String>,
    year: Option<i32>,
    date: Option<toml::value::Datetime>,
    /// The last day of a span of days that starts on `date`.
    until: Option<toml::value::Datetime>,
    #[serde(default)]
    approximate: bool,
    title: String,
    detail: Option<String>,
}

impl EventSpec {
    /// When the event happened and how to show it; an error if it cannot be read.
    fn when(&self, cx: &mut Cx<'_, '_>) -> Option<(When, String)> {
        let explicit = match (&self.date, self.year) {
            (Some(d), _) => {
                let date = d.date.and_then(|d| {
                    chrono::NaiveDate::from_ymd_opt(
                        i32::from(d.year),
                        u32::from(d.month),
                        u32::from(d.day),
                    )
                });
                let Some(date) = date.filter(|_| d.time.is_none()) else {
                    cx.error(
                        format!("`date = {d}` is not a date"),
                        Some(
                            "write a TOML date without quotes: `date = 2025-05-31`"
                                .into(),
                        ),
                    );
                    return None;
                };
                let year = chrono::Datelike::year(&date);
                let end = self.until.and_then(|d| d.date).and_then(|d| {
                    chrono::NaiveDate::from_ymd_opt(
                        i32::from(d.year),
                        u32::from(d.month),
                        u32::from(d.day),
                    )
                });
                if end.is_some_and(|e| e <= date) {
                    cx.error(
                        "`until` must be a day after `date`".into(),
                        Some("write the span's last day: `date = 2025-06-16`, `until = 2025-06-18`".into()),
                    );
                    return None;
                }
                Some(When { year, date: Some(date), approximate: self.approximate, end })
            }
            (None, Some(0)) => {
                cx.error(
                    "there is no year 0".into(),
                    Some("1 BCE is `year = -1`, 1 CE is `year = 1`".into()),
                );
                return None;
            }
            (None, Some(year)) => {
                Some(When { year, date: None, approximate: self.approximate, end: None })
            }
            (None, None) => None,
        };
        match (explicit, &self.when) {
            (Some(w), Some(text)) => Some((w, text.clone())),
            (Some(w), None) => Some((w, w.display(cx.locale()))),
            // The reader understands English dates only; an English book shows them as
            // written, a book in another language in its own words.
            (None, Some(text)) => match parse_when(text) {
                Ok(w) if cx.locale().layers.len() > 1 => {
                    Some((w, w.display(cx.locale())))
                }
                Ok(w) => Some((w, text.clone())),
                Err(e) => {
                    cx.error(
                        format!("event `{}`: {e}", self.title),
                        Some(
                            "write a year (`2013`, `c. 138 BCE`), a date (`31 May 2025`), \
                             or keep the text and add `year = -138`"
                                .into(),
                        ),
                    );
                    None
                }
            },
            (None, None) => {
                cx.error(
                    format!("event `{}` has no date", self.title),
                    Some("give `when`, `year` or `date`".into()),
                );
                None
            }
        }
    }
}

impl TimelineSpec {
    pub(super) fn resolve(self, cx: &mut Cx<'_, '_>) -> Option<BlockKind> {
        let mut source = self.source.clone();
        let events: Vec<EventSpec> = match &self.data {
            Some(name) => {
                let set = cx.data_set(&decode_references(name))?.clone();
                source = source.or_else(|| set.source.as_deref().map(escape_markdown));
                let column = |c: &Option<String>, default: &str| {
                    c.as_deref().map_or_else(|| default.to_string(), decode_references)
                };
                let wi = cx.column(&set, &column(&self.when, "when"))?;
                let ti = cx.column(&set, &column(&self.title, "title"))?;
                let di = match &self.detail {
                    Some(d) => Some(cx.column(&set, &decode_references(d))?),
                    None => set.column("detail"),
                };
                set.rows
                    .iter()
                    .map(|r| EventSpec {
                        when: Some(cell_text(&r.value(wi))),
                        year: None,
                        date: None,
                        until: None,
                        approximate: false,
                        title: escape_markdown(&cell_text(&r.value(ti))),
                        detail: di
                            .map(|i| cell_text(&r.value(i)))
                            .filter(|d| !d.is_empty())
                            .map(|d| escape_markdown(&d)),
                    })
                    .collect()
            }
            // `when` is plain text, not Markdown.
            None => self
                .event
                .into_iter()
                .map(|e| EventSpec {
                    when: e.when.as_deref().map(decode_references),
                    ..e
                })
                .collect(),
        };
        if events.is_empty() {
            cx.error(
                "a timeline needs events: `data` or `[[event]]` entries".into(),
                None,
            );
            return None;
        }
        let mut out = Vec::new();
        let mut previous: Option<(When, String)> = None;
        for (i, e) in events.iter().enumerate() {
            let Some((when, text)) = e.when(cx) else { continue };
            if let Some((p, ptext)) = &previous {
                if when.key() < p.key() {
                    cx.sink.push(
                        Diagnostic::warning(
                            cx.span.clone(),
                            format!("timeline events are not in date order: `{text}` comes after `{ptext}`"),
                        )
                        .with_hint("events are shown in the order given; sort them by date"),
                    );
                }
            }
            previous = Some((when, text.clone()));
            out.push(TimelineEvent {
                when: text,
                at: when,
                title: cx.inline(&e.title, &format!("event.{i}.title")),
                detail: cx.opt_inline(&e.detail, &format!("event.{i}.detail")),
            });
        }
        if out.len() < events.len() {
            return None;
        }
        let events = out;
        Some(BlockKind::Timeline(Timeline {
            number: None,
            caption: cx.opt_inline(&self.caption, "caption"),
            source: cx.opt_inline(&source, "source"),
            events,
        }))
    }
}
