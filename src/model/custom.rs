//! The briefing blocks: fenced blocks whose info string names the block and whose body
//! is TOML (key figures, asides, page breaks, charts, timelines). Text values in them
//! are inline Markdown.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use super::markdown::{Converter, Item};
use super::{
    Aside, AsideKind, Block, BlockKind, Change, Chart, ChartKind, Inline, KeyFigure,
    KeyFigures, Series, Timeline, TimelineEvent, Trend,
};
use crate::chart::{parse_when, When};
use crate::diag::{Diagnostic, Sink, Span};
use crate::source::{DataSet, Value};
use crate::template::{Expanded, OriginMap};

/// The briefing block names.
pub const BLOCK_TYPES: [&str; 5] =
    ["keyfigures", "aside", "pagebreak", "chart", "timeline"];

/// What briefing blocks may refer to.
pub(super) struct BlockContext<'d> {
    /// The briefing folder (for image paths).
    pub root: &'d Path,
    /// The data sets, for charts and timelines.
    pub data: &'d BTreeMap<String, DataSet>,
}

/// A fenced block: a briefing block if its info string names one, else code.
pub(super) fn code_block(
    ctx: &BlockContext<'_>,
    ex: &Expanded,
    info: &str,
    text: String,
    body: Range<usize>,
    span: Span,
    sink: &mut Sink,
) -> Option<Block> {
    let word = info.split_whitespace().next().unwrap_or("");
    let (name, braced) = match word.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
        Some(inner) => (inner, true),
        None => (word, false),
    };
    let known = BLOCK_TYPES.contains(&name);
    if !known {
        let near =
            BLOCK_TYPES.iter().find(|t| edit_distance(t, name) <= 2 && name.len() >= 4);
        if braced || near.is_some() {
            let mut d = Diagnostic::error(span, format!("unknown block type `{name}`"))
                .with_hint(format!("briefing blocks are {}", BLOCK_TYPES.join(", ")));
            if let Some(n) = near {
                d = d.with_hint(format!("did you mean `{n}`?"));
            }
            sink.push(d);
            return None;
        }
        let lang = (!word.is_empty()).then(|| word.to_string());
        return Some(Block { kind: BlockKind::Code { lang, text }, span });
    }
    let mut cx = Cx { ctx, ex, body, span: span.clone(), sink };
    let kind = match name {
        "pagebreak" => {
            if !text.trim().is_empty() {
                cx.sink.push(Diagnostic::error(
                    span.clone(),
                    "a page break takes no settings",
                ));
            }
            Some(BlockKind::PageBreak)
        }
        "keyfigures" => cx.parse::<KeyFiguresSpec>(&text).map(|s| s.resolve(&mut cx)),
        "aside" => cx.parse::<AsideSpec>(&text).map(|s| s.resolve(&mut cx)),
        "chart" => cx.parse::<ChartSpec>(&text).and_then(|s| s.resolve(&mut cx)),
        "timeline" => cx.parse::<TimelineSpec>(&text).and_then(|s| s.resolve(&mut cx)),
        _ => None,
    }?;
    Some(Block { kind, span })
}

/// Everything a block's parser needs, in one place.
struct Cx<'c, 'd> {
    ctx: &'c BlockContext<'d>,
    ex: &'c Expanded,
    body: Range<usize>,
    span: Span,
    sink: &'c mut Sink,
}

impl Cx<'_, '_> {
    /// Parses the TOML body; errors point into it.
    fn parse<T: for<'de> Deserialize<'de>>(&mut self, text: &str) -> Option<T> {
        match toml::from_str::<T>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                let r = e.span().unwrap_or(0..0);
                let span =
                    self.ex.span(self.body.start + r.start..self.body.start + r.end);
                self.sink.push(
                    Diagnostic::error(
                        span,
                        format!("invalid block settings: {}", e.message().trim()),
                    )
                    .with_hint(
                        "see docs/format.md for the keys each briefing block accepts",
                    ),
                );
                None
            }
        }
    }

    fn error(&mut self, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(self.span.clone(), message);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.sink.push(d);
    }

    /// Inline Markdown from a text value.
    fn inline(&mut self, text: &str) -> Vec<Inline> {
        let blocks = self.markdown(text);
        let mut out = Vec::new();
        for b in blocks {
            match b.kind {
                BlockKind::Paragraph(content) => {
                    if !out.is_empty() {
                        out.push(Inline::text(" ", b.span.clone()));
                    }
                    out.extend(content);
                }
                _ => self.error(
                    "this value must be a single line of text".into(),
                    Some(
                        "lists, tables and other blocks only fit in an aside's `text`"
                            .into(),
                    ),
                ),
            }
        }
        out
    }

    /// Block Markdown from a text value (footnotes are not available here).
    fn markdown(&mut self, text: &str) -> Vec<Block> {
        let tmp = Expanded {
            file: self.span.file,
            text: text.to_string(),
            origin: OriginMap::constant(self.span.range.clone()),
        };
        let converter = Converter::new(&tmp, self.sink, self.ctx, 0);
        let (items, notes) = converter.run();
        if !notes.refs.is_empty() || !notes.defs.is_empty() {
            self.error("footnotes cannot be used inside briefing blocks".into(), None);
        }
        let mut blocks = Vec::new();
        for item in items {
            match item {
                Item::Block(b) => blocks.push(b),
                Item::Heading { .. } => self.error(
                    "headings cannot be used inside briefing blocks".into(),
                    Some("use the block's `title` instead".into()),
                ),
            }
        }
        blocks
    }

    fn opt_inline(&mut self, text: &Option<String>) -> Option<Vec<Inline>> {
        text.as_ref().map(|t| self.inline(t))
    }

    /// The data set `name`, or an error listing the available ones.
    fn data_set(&mut self, name: &str) -> Option<&DataSet> {
        let data = self.ctx.data;
        match data.get(name) {
            Some(set) if !set.columns.is_empty() => Some(set),
            Some(_) => {
                self.error(
                    format!("data set `{name}` has no rows"),
                    Some("a TOML data set needs `[[rows]]`".into()),
                );
                None
            }
            None => {
                let names: Vec<_> = data.keys().map(|k| format!("`{k}`")).collect();
                self.error(
                    format!("unknown data set `{name}`"),
                    Some(format!(
                        "data sets declared in briefing.toml: {}",
                        names.join(", ")
                    )),
                );
                None
            }
        }
    }

    fn column(&mut self, set: &DataSet, name: &str) -> Option<usize> {
        let i = set.column(name);
        if i.is_none() {
            self.error(
                format!("data set `{}` has no column `{name}`", set.name),
                Some(format!("available columns are {}", set.column_names())),
            );
        }
        i
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFiguresSpec {
    title: Option<String>,
    source: Option<String>,
    #[serde(default)]
    figure: Vec<FigureSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureSpec {
    value: String,
    unit: Option<String>,
    label: String,
    note: Option<String>,
    change: Option<String>,
    trend: Option<String>,
}

/// The direction of a change: stated in `trend`, or read from the sign of the text.
fn trend(cx: &mut Cx<'_, '_>, change: &str, stated: Option<&str>) -> Trend {
    match stated {
        Some("up") => Trend::Up,
        Some("down") => Trend::Down,
        Some("flat") => Trend::Flat,
        Some(other) => {
            cx.error(
                format!("unknown trend `{other}`"),
                Some("use `up`, `down` or `flat`".into()),
            );
            Trend::Flat
        }
        None => match change.trim_start().chars().next() {
            Some('+' | '\u{25B2}') => Trend::Up,
            Some('-' | '\u{2212}' | '\u{25BC}') => Trend::Down,
            _ => Trend::Flat,
        },
    }
}

impl KeyFiguresSpec {
    fn resolve(self, cx: &mut Cx<'_, '_>) -> BlockKind {
        if self.figure.is_empty() {
            cx.error("a key-figure panel needs at least one `[[figure]]`".into(), None);
        }
        let figures = self
            .figure
            .iter()
            .map(|f| KeyFigure {
                value: cx.inline(&f.value),
                unit: cx.opt_inline(&f.unit),
                label: cx.inline(&f.label),
                note: cx.opt_inline(&f.note),
                change: f.change.as_ref().map(|c| Change {
                    trend: trend(cx, c, f.trend.as_deref()),
                    text: cx.inline(c),
                }),
            })
            .collect();
        BlockKind::KeyFigures(KeyFigures {
            title: cx.opt_inline(&self.title),
            figures,
            source: cx.opt_inline(&self.source),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AsideSpec {
    kind: Option<String>,
    title: Option<String>,
    text: String,
}

impl AsideSpec {
    fn resolve(self, cx: &mut Cx<'_, '_>) -> BlockKind {
        let kind = match self.kind.as_deref() {
            None | Some("note") => AsideKind::Note,
            Some("important") => AsideKind::Important,
            Some("warning") => AsideKind::Warning,
            Some(other) => {
                cx.error(
                    format!("unknown aside kind `{other}`"),
                    Some("use `note`, `important` or `warning`".into()),
                );
                AsideKind::Note
            }
        };
        let title = cx.opt_inline(&self.title);
        let blocks = cx.markdown(&self.text);
        BlockKind::Aside(Aside { kind, title, blocks })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ChartSpec {
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
    fn resolve(self, cx: &mut Cx<'_, '_>) -> Option<BlockKind> {
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
                data_source = set.source.clone();
                let categories =
                    set.rows.iter().map(|r| cell_text(&r.values[xi])).collect();
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
                        values: set.rows.iter().map(|r| r.values[yi].as_f64()).collect(),
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
        if !check_chart_data(cx, kind, self.horizontal, &categories, &series) {
            return None;
        }
        let y_label = self.y_label.clone().or_else(|| unit.clone()).unwrap_or_default();
        let source = self.source.clone().or(data_source);
        Some(BlockKind::Chart(Chart {
            kind,
            horizontal: self.horizontal,
            stacked: self.stacked,
            number: None,
            caption: cx.opt_inline(&self.caption),
            source: cx.opt_inline(&source),
            data: self.data.clone().unwrap_or_default(),
            x_label,
            y_label,
            unit,
            categories,
            series,
        }))
    }
}

/// Errors for data no chart can show; warnings where the chart is drawn differently
/// from what was asked (see [`crate::chart::plan`]). Returns whether to go on.
fn check_chart_data(
    cx: &mut Cx<'_, '_>,
    kind: ChartKind,
    horizontal: bool,
    categories: &[String],
    series: &[Series],
) -> bool {
    use crate::chart::{MAX_HORIZONTAL_BARS, MAX_LINE_POINTS, MAX_VERTICAL_BARS};
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
    let n = categories.len();
    let warn = |cx: &mut Cx<'_, '_>, message: String, hint: &str| {
        cx.sink.push(Diagnostic::warning(cx.span.clone(), message).with_hint(hint));
    };
    match kind {
        ChartKind::Bar if n > MAX_HORIZONTAL_BARS => warn(
            cx,
            format!("{n} categories are too many for a bar chart; it is shown as a table"),
            "plot fewer rows, or use `type = \"line\"` for a long series",
        ),
        ChartKind::Bar if n > MAX_VERTICAL_BARS && !horizontal => warn(
            cx,
            format!("{n} categories are too many for vertical bars; they are drawn horizontally"),
            "set `horizontal = true` to silence this warning",
        ),
        ChartKind::Line if n > MAX_LINE_POINTS => warn(
            cx,
            format!("{n} points are too many for a line chart; it is shown as a table"),
            "aggregate the data set first",
        ),
        _ => {}
    }
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineSpec {
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
                Some(When { year, date: Some(date), approximate: self.approximate })
            }
            (None, Some(0)) => {
                cx.error(
                    "there is no year 0".into(),
                    Some("1 BCE is `year = -1`, 1 CE is `year = 1`".into()),
                );
                return None;
            }
            (None, Some(year)) => {
                Some(When { year, date: None, approximate: self.approximate })
            }
            (None, None) => None,
        };
        match (explicit, &self.when) {
            (Some(w), Some(text)) => Some((w, text.clone())),
            (Some(w), None) => Some((w, w.display())),
            (None, Some(text)) => match parse_when(text) {
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
    fn resolve(self, cx: &mut Cx<'_, '_>) -> Option<BlockKind> {
        let mut source = self.source.clone();
        let events: Vec<EventSpec> = match &self.data {
            Some(name) => {
                let set = cx.data_set(name)?.clone();
                source = source.or_else(|| set.source.clone());
                let wi = cx.column(&set, self.when.as_deref().unwrap_or("when"))?;
                let ti = cx.column(&set, self.title.as_deref().unwrap_or("title"))?;
                let di = match &self.detail {
                    Some(d) => Some(cx.column(&set, d)?),
                    None => set.column("detail"),
                };
                set.rows
                    .iter()
                    .map(|r| EventSpec {
                        when: Some(cell_text(&r.values[wi])),
                        year: None,
                        date: None,
                        approximate: false,
                        title: crate::template::escape_markdown(&cell_text(
                            &r.values[ti],
                        )),
                        detail: di
                            .map(|i| cell_text(&r.values[i]))
                            .filter(|d| !d.is_empty())
                            .map(|d| crate::template::escape_markdown(&d)),
                    })
                    .collect()
            }
            None => self.event,
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
        for e in &events {
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
                title: cx.inline(&e.title),
                detail: cx.opt_inline(&e.detail),
            });
        }
        if out.len() < events.len() {
            return None;
        }
        let events = out;
        Some(BlockKind::Timeline(Timeline {
            number: None,
            caption: cx.opt_inline(&self.caption),
            source: cx.opt_inline(&source),
            events,
        }))
    }
}

/// A data value as display text.
fn cell_text(v: &Value) -> String {
    match v {
        Value::Empty => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Date(d) => d.format("%-d %B %Y").to_string(),
        Value::Text(t) => t.clone(),
    }
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
