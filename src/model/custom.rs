//! The briefing blocks: fenced blocks whose info string names the block and whose body
//! is TOML (key figures, asides, page breaks, charts, timelines). Text values in them
//! are inline Markdown.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use super::figures::{ChartSpec, TimelineSpec};
use super::markdown::{Converter, Item};
use super::{
    Aside, AsideKind, Block, BlockKind, Change, Inline, KeyFigure, KeyFigures, Trend,
};
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
    /// The book's language, for dates the blocks format themselves.
    pub locale: &'d crate::locale::Locale,
    /// How many block containers hold the block being read (see [`crate::nesting`]).
    pub depth: usize,
    /// Whether the Markdown being read is a text value inside a briefing block (a TOML
    /// string), where the fixes a hint suggests must be valid TOML too.
    pub in_toml: bool,
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
        let near = BLOCK_TYPES
            .iter()
            .find(|t| crate::diag::edit_distance(t, name) <= 2 && name.len() >= 4);
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
    let mut cx = Cx { ctx, ex, body, span: span.clone(), sink, values: None };
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
pub(super) struct Cx<'c, 'd> {
    ctx: &'c BlockContext<'d>,
    ex: &'c Expanded,
    body: Range<usize>,
    /// The whole block.
    pub(super) span: Span,
    /// Where diagnostics go.
    pub(super) sink: &'c mut Sink,
    /// Where each value of the body is (see [`value_ranges`]), found on first use.
    values: Option<Vec<(String, Range<usize>)>>,
}

impl Cx<'_, '_> {
    /// The book's language.
    pub(super) fn locale(&self) -> &crate::locale::Locale {
        self.ctx.locale
    }

    /// Parses the TOML body; errors point into it.
    pub(super) fn parse<T: for<'de> Deserialize<'de>>(
        &mut self,
        text: &str,
    ) -> Option<T> {
        if let Err(e) = crate::nesting::toml::check(text) {
            let e = e.shifted(self.body.start);
            let span = self.ex.span(e.range.clone());
            self.sink.push(e.diagnostic(span));
            return None;
        }
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

    pub(super) fn error(&mut self, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(self.span.clone(), message);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.sink.push(d);
    }

    /// The span of the value at `key` (`caption`, `figure.0.change`: see
    /// [`value_ranges`]), or of the whole block if the body does not write it.
    pub(super) fn value_span(&mut self, key: &str) -> Span {
        if self.values.is_none() {
            let body = &self.ex.text[self.body.clone()];
            self.values = Some(value_ranges(body, self.body.start));
        }
        let values = self.values.as_deref().unwrap_or_default();
        match values.iter().find(|(k, _)| k == key) {
            Some((_, range)) => self.ex.span(range.clone()),
            None => self.span.clone(),
        }
    }

    /// An exact map from `text` (the value at `key`) to its place in the file, when the
    /// value is written there as it reads: a string without escapes, on lines the
    /// template copied unchanged. `None` otherwise (then the whole value is the place).
    fn value_origin(&mut self, key: &str, text: &str) -> Option<OriginMap> {
        self.value_span(key);
        let range = self.values.as_deref()?.iter().find(|(k, _)| k == key)?.1.clone();
        let raw = self.ex.text.get(range.clone())?;
        let quotes =
            ["\"\"\"\r\n", "\"\"\"\n", "'''\r\n", "'''\n", "\"\"\"", "'''", "\"", "'"];
        let open = quotes.into_iter().find(|q| raw.starts_with(q))?;
        let close = open.trim_end();
        let content = raw.get(open.len()..raw.len().checked_sub(close.len())?)?;
        if content != text {
            return None;
        }
        let start = range.start + open.len();
        let mapped = self.ex.origin.map(start..start + text.len());
        (mapped.len() == text.len()).then(|| OriginMap::new(text, mapped.start, text))
    }

    /// Inline Markdown from the text value at `key`.
    pub(super) fn inline(&mut self, text: &str, key: &str) -> Vec<Inline> {
        let blocks = self.markdown(text, key);
        let mut out = Vec::new();
        for b in blocks {
            match b.kind {
                BlockKind::Paragraph(content) => {
                    if !out.is_empty() {
                        out.push(Inline::text(" ", b.span.clone()));
                    }
                    out.extend(content);
                }
                _ => {
                    let at = self.value_span(key);
                    self.sink.push(
                        Diagnostic::error(
                            at,
                            format!(
                                "{} must be a single line of text",
                                key_name(key)
                            ),
                        )
                        .with_hint(
                            "lists, tables and other blocks only fit in an aside's `text`",
                        ),
                    );
                }
            }
        }
        out
    }

    /// Block Markdown from the text value at `key` (footnotes are not available here).
    /// Problems in the text are reported at the value, naming the key.
    pub(super) fn markdown(&mut self, text: &str, key: &str) -> Vec<Block> {
        let at = self.value_span(key);
        let origin = self.value_origin(key, text);
        let tmp = Expanded {
            file: self.span.file,
            text: text.to_string(),
            origin: origin.unwrap_or_else(|| OriginMap::constant(at.range.clone())),
        };
        // The text is one level inside the aside that holds it.
        let ctx = BlockContext { depth: self.ctx.depth + 1, in_toml: true, ..*self.ctx };
        let first = self.sink.diagnostics.len();
        let converter = Converter::new(&tmp, self.sink, &ctx, 0);
        let (items, notes) = converter.run();
        // One report per kind of problem in a value (`<b>` and `</b>` are one mistake).
        let mut seen = std::collections::HashSet::new();
        let mut i = first;
        while i < self.sink.diagnostics.len() {
            if seen.insert(self.sink.diagnostics[i].message.clone()) {
                let d = &mut self.sink.diagnostics[i];
                d.message = format!("{} (in {})", d.message, key_name(key));
                i += 1;
            } else {
                self.sink.diagnostics.remove(i);
            }
        }
        if !notes.refs.is_empty() || !notes.defs.is_empty() {
            let message = format!(
                "footnotes cannot be used inside briefing blocks (in {})",
                key_name(key)
            );
            self.sink.push(Diagnostic::error(at.clone(), message));
        }
        let mut blocks = Vec::new();
        for item in items {
            match item {
                Item::Block(b) => blocks.push(b),
                Item::Heading { .. } => self.sink.push(
                    Diagnostic::error(
                        at.clone(),
                        format!(
                            "headings cannot be used inside briefing blocks (in {})",
                            key_name(key)
                        ),
                    )
                    .with_hint(if key == "text" {
                        // Only an aside's `text` holds blocks; an aside has a `title`.
                        "give the aside a `title` instead; to print a `#` at the start of a \
                         line, write `&#35;`"
                    } else {
                        // Charts and timelines have no `title`: say what to do with the `#`.
                        // `\#` is a Markdown escape but not a TOML one; `&#35;` is safe in both.
                        "a `#` at the start makes a heading: leave it out, or write `&#35;` to \
                         print it"
                    }),
                ),
            }
        }
        blocks
    }

    pub(super) fn opt_inline(
        &mut self,
        text: &Option<String>,
        key: &str,
    ) -> Option<Vec<Inline>> {
        text.as_ref().map(|t| self.inline(t, key))
    }

    /// The data set `name`, or an error listing the available ones.
    pub(super) fn data_set(&mut self, name: &str) -> Option<&DataSet> {
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

    pub(super) fn column(&mut self, set: &DataSet, name: &str) -> Option<usize> {
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

/// The direction of a change: stated in `trend`, or read from the sign of the text as
/// printed.
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
            .enumerate()
            .map(|(i, f)| KeyFigure {
                value: cx.inline(&f.value, &format!("figure.{i}.value")),
                unit: cx.opt_inline(&f.unit, &format!("figure.{i}.unit")),
                label: cx.inline(&f.label, &format!("figure.{i}.label")),
                note: cx.opt_inline(&f.note, &format!("figure.{i}.note")),
                change: f.change.as_ref().map(|c| {
                    // The sign the reader sees: a helper's `+6.0%` arrives as `&#43;6.0%`.
                    let text = cx.inline(c, &format!("figure.{i}.change"));
                    Change {
                        trend: trend(cx, &super::plain_text(&text), f.trend.as_deref()),
                        text,
                    }
                }),
            })
            .collect();
        BlockKind::KeyFigures(KeyFigures {
            title: cx.opt_inline(&self.title, "title"),
            figures,
            source: cx.opt_inline(&self.source, "source"),
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
        let title = cx.opt_inline(&self.title, "title");
        let blocks = cx.markdown(&self.text, "text");
        BlockKind::Aside(Aside { kind, title, blocks })
    }
}

/// The byte range (offset by `base`) of every value in a block's TOML body, by its
/// path: `caption` for a top-level key, `figure.1.change` for a key of the second
/// `[[figure]]`. Empty if the body does not parse (that error is reported elsewhere).
fn value_ranges(body: &str, base: usize) -> Vec<(String, Range<usize>)> {
    fn walk(
        table: &toml::de::DeTable<'_>,
        prefix: &str,
        base: usize,
        out: &mut Vec<(String, Range<usize>)>,
    ) {
        for (key, value) in table {
            let path = format!("{prefix}{}", key.get_ref());
            let r = value.span();
            out.push((path.clone(), base + r.start..base + r.end));
            match value.get_ref() {
                toml::de::DeValue::Table(t) => walk(t, &format!("{path}."), base, out),
                toml::de::DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let r = item.span();
                        out.push((format!("{path}.{i}"), base + r.start..base + r.end));
                        if let toml::de::DeValue::Table(t) = item.get_ref() {
                            walk(t, &format!("{path}.{i}."), base, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(table) = toml::de::DeTable::parse(body) {
        walk(table.get_ref(), "", base, &mut out);
    }
    out
}

/// A value's path as the writer knows it: `` `caption` ``, `` `change` of the second
/// `[[figure]]` ``.
fn key_name(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [table, index, key] if index.parse::<usize>().is_ok() => {
            let n: usize = index.parse().unwrap_or(0) + 1;
            format!("`{key}` of `[[{table}]]` number {n}")
        }
        _ => format!("`{path}`"),
    }
}

/// A data value as display text.
pub(super) fn cell_text(v: &Value) -> String {
    match v {
        Value::Empty => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Date(d) => d.format("%-d %B %Y").to_string(),
        Value::Text(t) => t.clone(),
    }
}
