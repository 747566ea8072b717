//! Block content: paragraphs, lists, tables and the briefing blocks (key figures,
//! asides, charts, timelines, page breaks).

use std::path::PathBuf;

use crate::diag::Span;

use super::{ImageData, Inline};

/// One block with its source span.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Where it came from.
    pub span: Span,
}

/// The kinds of block content.
#[derive(Debug, Clone, PartialEq, Hash)]
pub enum BlockKind {
    /// A paragraph of inline content.
    Paragraph(Vec<Inline>),
    /// A bulleted or numbered list.
    List(List),
    /// A table.
    Table(Table),
    /// A block quotation.
    Quote(Vec<Block>),
    /// Preformatted code or text, shown verbatim.
    Code {
        /// The language named in the fence, if any.
        lang: Option<String>,
        /// The code, with its line breaks.
        text: String,
    },
    /// A thematic break.
    Rule,
    /// An image standing on its own.
    Image(Image),
    /// A panel of headline numbers.
    KeyFigures(KeyFigures),
    /// A boxed note set apart from the text.
    Aside(Aside),
    /// A chart drawn from a data set.
    Chart(Chart),
    /// A dated sequence of events.
    Timeline(Timeline),
    /// Start a new page here (ignored by reflowing formats).
    PageBreak,
}

/// A list and its items.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct List {
    /// The first number for an ordered list; `None` for a bulleted list.
    pub start: Option<u64>,
    /// Whether the items are tight (no space between them).
    pub tight: bool,
    /// The items.
    pub items: Vec<ListItem>,
}

/// One list item.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct ListItem {
    /// The item's content (paragraphs, nested lists, …).
    pub blocks: Vec<Block>,
    /// Where it came from.
    pub span: Span,
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Align {
    /// Start of line (left in left-to-right text).
    #[default]
    Left,
    /// Centred.
    Center,
    /// End of line; the default for numeric columns.
    Right,
}

/// A table column's properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Column {
    /// How cells are aligned.
    pub align: Align,
    /// Whether the body cells hold numbers (right-aligned, decimal-aligned in print).
    pub numeric: bool,
}

/// A table with optional caption and source line.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Table {
    /// "Table N" numbering; set for captioned tables.
    pub number: Option<u32>,
    /// The caption, without the "Table N." label.
    pub caption: Option<Vec<Inline>>,
    /// The source line, without the "Source:" label.
    pub source: Option<Vec<Inline>>,
    /// One entry per column.
    pub columns: Vec<Column>,
    /// Header rows (repeated on every page in print).
    pub header: Vec<Row>,
    /// Body rows.
    pub rows: Vec<Row>,
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Row {
    /// One cell per column.
    pub cells: Vec<Cell>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Cell {
    /// The cell's content.
    pub content: Vec<Inline>,
    /// Where it came from.
    pub span: Span,
}

/// An image file placed as a block.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Image {
    /// The file (the briefing folder joined with the path as written).
    pub path: PathBuf,
    /// The path as written in the source (used for names in the EPUB).
    pub src: String,
    /// The text alternative; empty if the source gave none.
    pub alt: String,
    /// A caption (from the image title), if any.
    pub caption: Option<String>,
    /// The checked file (bytes, format, size), read through the world and decoded when
    /// the document is built; both writers take the image from here and never from
    /// the disk. `None` until then (a model built by hand may leave it so; layout
    /// then skips the image with a warning and the EPUB writer reports an error).
    pub data: Option<ImageData>,
}

/// A panel of key figures.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct KeyFigures {
    /// A heading for the panel.
    pub title: Option<Vec<Inline>>,
    /// The figures, in order.
    pub figures: Vec<KeyFigure>,
    /// Where the figures come from.
    pub source: Option<Vec<Inline>>,
}

/// One headline number.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct KeyFigure {
    /// The number as shown ("$94.8 bn").
    pub value: Vec<Inline>,
    /// The unit, shown smaller after the value ("billion US dollars").
    pub unit: Option<Vec<Inline>>,
    /// What it measures.
    pub label: Vec<Inline>,
    /// A short note (a comparison, a year).
    pub note: Option<Vec<Inline>>,
    /// A change on an earlier value ("+5.4 bn on 2023"), with its direction.
    pub change: Option<Change>,
}

/// Which way a key figure moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trend {
    /// It rose (drawn as ▲).
    Up,
    /// It fell (drawn as ▼).
    Down,
    /// It did not change, or the direction is not stated.
    Flat,
}

/// A key figure's change indicator.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Change {
    /// The change as shown ("+5.4 bn").
    pub text: Vec<Inline>,
    /// Its direction (from `trend`, or from the sign of the text).
    pub trend: Trend,
}

/// The kinds of aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum AsideKind {
    /// Background or context.
    #[default]
    Note,
    /// Something protocol staff must act on.
    Important,
    /// A caution.
    Warning,
}

/// A boxed note.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Aside {
    /// What kind of note it is.
    pub kind: AsideKind,
    /// A title shown at the top of the box.
    pub title: Option<Vec<Inline>>,
    /// The content of the box.
    pub blocks: Vec<Block>,
}

/// The kinds of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Bars, one group per category.
    Bar,
    /// Lines, one per series.
    Line,
}

/// A chart, with its data resolved from the data set it names.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Chart {
    /// Bar or line.
    pub kind: ChartKind,
    /// Bars run horizontally.
    pub horizontal: bool,
    /// Bars of several series are stacked rather than grouped.
    pub stacked: bool,
    /// "Figure N" numbering.
    pub number: Option<u32>,
    /// The caption, without the "Figure N." label.
    pub caption: Option<Vec<Inline>>,
    /// The source line.
    pub source: Option<Vec<Inline>>,
    /// The name of the data set the chart was drawn from.
    pub data: String,
    /// Label of the category axis.
    pub x_label: String,
    /// Label of the value axis (with the unit).
    pub y_label: String,
    /// The unit of the values, if known.
    pub unit: Option<String>,
    /// Category labels along the x axis.
    pub categories: Vec<String>,
    /// The series, each with one value per category.
    pub series: Vec<Series>,
}

/// One data series of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The series name (legend entry).
    pub name: String,
    /// One value per category; `None` where the data has no value.
    pub values: Vec<Option<f64>>,
    /// The decimal places its values are shown with, for a series from a data-set
    /// column (declared or as written, see `DataColumn::shown_decimals`); `None` for
    /// inline values, which show as many as the most precise one needs.
    pub decimals: Option<usize>,
}

impl Series {
    /// The decimal places every value of this series is shown with.
    pub fn shown_decimals(&self) -> usize {
        self.decimals.unwrap_or_else(|| {
            let natural = self
                .values
                .iter()
                .flatten()
                .map(|&v| crate::numbers::natural_decimals(v));
            natural.max().unwrap_or(0)
        })
    }
}

impl std::hash::Hash for Series {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.values.len().hash(state);
        for v in &self.values {
            v.map(f64::to_bits).hash(state);
        }
    }
}

/// A timeline of events.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Timeline {
    /// "Figure N" numbering.
    pub number: Option<u32>,
    /// The caption.
    pub caption: Option<Vec<Inline>>,
    /// The source line.
    pub source: Option<Vec<Inline>>,
    /// The events, in the order given.
    pub events: Vec<TimelineEvent>,
}

/// One event on a timeline.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct TimelineEvent {
    /// When it happened, as shown ("c. 138 BC", "16–18 June 2025").
    pub when: String,
    /// The same, as read (for sorting, approximate marks and machine-readable dates).
    pub at: crate::locale::When,
    /// What happened.
    pub title: Vec<Inline>,
    /// More about it.
    pub detail: Option<Vec<Inline>>,
}
