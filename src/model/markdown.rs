//! Markdown events → blocks and inlines, for one expanded section file.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use super::custom::{self, BlockContext};
use super::{
    Align, Block, BlockKind, Cell, Column, Image, Inline, InlineKind, LinkTarget, List,
    ListItem, Row, Table,
};
use crate::diag::{Diagnostic, Sink, Span};
use crate::nesting;
use crate::template::Expanded;

/// The Markdown extensions briefings use.
pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading or a block, in file order, before sections are formed.
#[derive(Debug, Clone)]
pub(super) enum Item {
    Heading { level: u8, content: Vec<Inline>, id: Option<String>, span: Span },
    Block(Block),
}

/// Footnote references and definitions seen in one file.
#[derive(Debug, Clone, Default)]
pub(super) struct FileNotes {
    /// Labels in order of first reference, with the span of that reference.
    pub refs: Vec<(String, Span)>,
    /// Definitions by label.
    pub defs: Vec<(String, Vec<Block>, Span)>,
}

/// Converts one file. `note_base` is the number of footnotes before this file, so that
/// references get book-wide ids.
pub(super) struct Converter<'a, 's> {
    ex: &'a Expanded,
    events: Vec<(Event<'a>, Range<usize>)>,
    pos: usize,
    sink: &'s mut Sink,
    ctx: &'s BlockContext<'s>,
    pub notes: FileNotes,
    /// The index of each label in `notes.refs` (a file may hold thousands).
    ref_index: HashMap<String, usize>,
    note_base: usize,
    /// Images seen in the paragraph being read.
    images: Vec<Image>,
    /// How many block containers (quotes, lists, footnotes, asides) hold the block
    /// being read.
    depth: usize,
}

impl<'a, 's> Converter<'a, 's> {
    pub(super) fn new(
        ex: &'a Expanded,
        sink: &'s mut Sink,
        ctx: &'s BlockContext<'s>,
        note_base: usize,
    ) -> Self {
        let events = Parser::new_ext(&ex.text, options()).into_offset_iter().collect();
        Self {
            ex,
            events,
            pos: 0,
            sink,
            ctx,
            notes: FileNotes::default(),
            ref_index: HashMap::new(),
            note_base,
            images: Vec::new(),
            depth: ctx.depth,
        }
    }

    fn span(&self, range: Range<usize>) -> Span {
        self.ex.span(range)
    }

    fn next(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        let e = self.events.get(self.pos).cloned();
        self.pos += 1;
        e
    }

    /// Converts the whole file. Conversion recurses into containers and inline markup,
    /// so what nests deeper than the limit is reported and not converted.
    pub(super) fn run(mut self) -> (Vec<Item>, FileNotes) {
        let too_deep = nesting::markdown::check(&self.ex.text, &self.events, self.depth);
        // Each top-level element that nests too deeply is reported and emptied (a footnote
        // or a heading stays, so nothing else is reported for its absence); the rest of
        // the file is converted as usual.
        for (_, e) in &too_deep {
            let span = self.span(e.range.clone());
            self.sink.push(e.diagnostic(span));
        }
        for (events, _) in too_deep.into_iter().rev() {
            let inner =
                events.start + 1..events.end.saturating_sub(1).max(events.start + 1);
            self.events.drain(inner);
        }
        let items = self.items(None);
        (items, self.notes)
    }

    /// Block-level items until the end tag `end` (or the end of input).
    fn items(&mut self, end: Option<TagEnd>) -> Vec<Item> {
        let mut items = Vec::new();
        // Inline content directly inside a container (tight list items) becomes a paragraph.
        let mut loose: Vec<Inline> = Vec::new();
        let mut loose_range: Option<Range<usize>> = None;
        while let Some((event, range)) = self.next() {
            if let Event::End(e) = &event {
                if Some(*e) == end {
                    break;
                }
            }
            let is_inline = starts_inline(&event);
            if is_inline {
                self.pos -= 1;
                let r = loose_range.get_or_insert(range.clone());
                r.end = range.end;
                let more = self.inline_run();
                loose.extend(more);
                continue;
            }
            if !loose.is_empty() {
                let r = loose_range.take().unwrap_or(range.clone());
                let content = std::mem::take(&mut loose);
                let span = self.span(r);
                items.push(Item::Block(self.paragraph(content, span)));
            }
            if let Some(item) = self.block(event, range) {
                items.push(item);
            }
        }
        if !loose.is_empty() {
            let span = self.span(loose_range.unwrap_or(0..0));
            items.push(Item::Block(self.paragraph(loose, span)));
        }
        items
    }

    /// Blocks only (headings inside containers are an error).
    fn blocks(&mut self, end: TagEnd) -> Vec<Block> {
        self.items(Some(end))
            .into_iter()
            .filter_map(|i| match i {
                Item::Block(b) => Some(b),
                Item::Heading { span, .. } => {
                    self.sink.push(
                        Diagnostic::error(
                            span,
                            "a heading cannot be inside a list, quote or footnote",
                        )
                        .with_hint("move the heading out, or use **bold text** instead"),
                    );
                    None
                }
            })
            .collect()
    }

    /// Consecutive inline events (stops before the first block-level event).
    fn inline_run(&mut self) -> Vec<Inline> {
        let mut out = Vec::new();
        while let Some((event, _)) = self.events.get(self.pos) {
            let inline_start = starts_inline(event);
            if !inline_start {
                break;
            }
            let (event, range) = self.next().expect("peeked");
            self.inline(event, range, &mut out);
        }
        out
    }

    fn block(&mut self, event: Event<'a>, range: Range<usize>) -> Option<Item> {
        let span = self.span(range.clone());
        let kind = match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let content = self.inlines(TagEnd::Heading(level));
                let level = heading_level(level);
                return Some(Item::Heading {
                    level,
                    content,
                    id: id.map(|s| s.to_string()),
                    span,
                });
            }
            Event::Start(Tag::Paragraph) => {
                let content = self.inlines(TagEnd::Paragraph);
                return Some(Item::Block(self.paragraph(content, span)));
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                self.depth += 1;
                let blocks = self.blocks(TagEnd::BlockQuote(kind));
                self.depth -= 1;
                BlockKind::Quote(blocks)
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut text = String::new();
                let mut body_range = range.end..range.end;
                while let Some((e, r)) = self.next() {
                    match e {
                        Event::Text(t) => {
                            if text.is_empty() {
                                body_range.start = r.start;
                            }
                            body_range.end = r.end;
                            text.push_str(&t);
                        }
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                // An aside's text is read one level inside the aside.
                let ctx = BlockContext { depth: self.depth, ..*self.ctx };
                return custom::code_block(
                    &ctx, self.ex, &info, text, body_range, span, self.sink,
                )
                .map(Item::Block);
            }
            Event::Start(Tag::List(start)) => {
                self.depth += 1;
                let mut items = Vec::new();
                let mut tight = true;
                while let Some((e, r)) = self.next() {
                    match e {
                        Event::Start(Tag::Item) => {
                            let item_span = self.span(r);
                            let blocks = self.blocks(TagEnd::Item);
                            if blocks
                                .iter()
                                .filter(|b| matches!(b.kind, BlockKind::Paragraph(_)))
                                .count()
                                > 1
                            {
                                tight = false;
                            }
                            items.push(ListItem { blocks, span: item_span });
                        }
                        Event::End(TagEnd::List(_)) => break,
                        _ => {}
                    }
                }
                self.depth -= 1;
                BlockKind::List(List { start, tight, items })
            }
            Event::Start(Tag::Table(aligns)) => {
                let table = self.table(aligns);
                // A table printed with its heading and no rows reads as a mistake; it
                // usually is one (an empty data set, or an `#if` that matched no row).
                if table.rows.is_empty() {
                    self.sink.push(
                        Diagnostic::warning(span.clone(), "this table has no rows")
                            .with_hint(
                            "only the heading row is printed; if a template writes the \
                             rows, its data set has none, or the `#if` or `where` choosing \
                             them matched none",
                        ),
                    );
                }
                BlockKind::Table(table)
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.depth += 1;
                let blocks = self.blocks(TagEnd::FootnoteDefinition);
                self.depth -= 1;
                self.notes.defs.push((label.to_string(), blocks, span));
                return None;
            }
            Event::Start(Tag::HtmlBlock) => {
                let mut html = String::new();
                while let Some((e, _)) = self.next() {
                    match e {
                        Event::Html(t) => html.push_str(&t),
                        Event::End(TagEnd::HtmlBlock) => break,
                        _ => {}
                    }
                }
                if !is_comment(&html) {
                    self.sink.push(raw_html_error(span, self.ctx.in_toml));
                }
                return None;
            }
            Event::Rule => BlockKind::Rule,
            Event::Start(tag) => {
                self.sink.push(Diagnostic::error(
                    span,
                    format!("unsupported Markdown element ({tag:?})"),
                ));
                self.skip_to_end();
                return None;
            }
            _ => return None,
        };
        Some(Item::Block(Block { kind, span }))
    }

    /// Skips to the end of the element just started.
    fn skip_to_end(&mut self) {
        let mut depth = 1;
        while let Some((e, _)) = self.next() {
            match e {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }

    /// A paragraph, or an image standing alone in one.
    fn paragraph(&mut self, content: Vec<Inline>, span: Span) -> Block {
        let images = std::mem::take(&mut self.images);
        let only_space = super::plain_text(&content).trim().is_empty();
        match images.len() {
            0 => {}
            1 if only_space => {
                return Block {
                    kind: BlockKind::Image(images.into_iter().next().expect("one")),
                    span,
                }
            }
            _ => self.sink.push(
                Diagnostic::error(
                    span.clone(),
                    "an image must stand alone in its paragraph",
                )
                .with_hint(if self.ctx.in_toml {
                    // A one-line TOML string has no blank lines to add: `\n\n` is one.
                    "put a blank line before and after the image (in a one-line string, \
                     `\\n\\n`)"
                } else {
                    "put a blank line before and after the image"
                }),
            ),
        }
        Block { kind: BlockKind::Paragraph(content), span }
    }

    fn table(&mut self, aligns: Vec<Alignment>) -> Table {
        let mut header = Vec::new();
        let mut rows = Vec::new();
        let mut in_head = false;
        let mut current: Vec<Cell> = Vec::new();
        while let Some((e, r)) = self.next() {
            match e {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => {
                    header.push(Row { cells: std::mem::take(&mut current) });
                    in_head = false;
                }
                Event::Start(Tag::TableCell) => {
                    let span = self.span(r);
                    let content = self.inlines(TagEnd::TableCell);
                    current.push(Cell { content, span });
                }
                Event::End(TagEnd::TableRow) if !in_head => {
                    rows.push(Row { cells: std::mem::take(&mut current) });
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        let columns = aligns
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let numeric = is_numeric_column(&rows, i);
                let align = match a {
                    Alignment::Left => Align::Left,
                    Alignment::Center => Align::Center,
                    Alignment::Right => Align::Right,
                    Alignment::None if numeric => Align::Right,
                    Alignment::None => Align::Left,
                };
                Column { align, numeric }
            })
            .collect();
        Table { number: None, caption: None, source: None, columns, header, rows }
    }

    /// Inlines until the end tag `end`.
    pub(super) fn inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        // The source range of each inline in `out`, for language spans.
        let mut ranges = Vec::new();
        // pulldown-cmark splits text at `[`, so undefined-footnote checks look at whole runs.
        let mut text_run: Option<Range<usize>> = None;
        while let Some((event, range)) = self.next() {
            if let Event::Text(_) = &event {
                let r = text_run.get_or_insert(range.clone());
                r.end = range.end;
            } else if let Some(r) = text_run.take() {
                self.check_undefined_note(&r);
            }
            if let Event::End(e) = &event {
                if *e == end {
                    break;
                }
            }
            let before = out.len();
            self.inline(event, range.clone(), &mut out);
            if out.len() > before {
                ranges.push(range);
            }
        }
        if let Some(r) = text_run {
            self.check_undefined_note(&r);
        }
        super::lang::bracketed_spans(&mut out, &ranges, &self.ex.text, self.sink);
        // Kept for the session, and most runs (a table cell's) are one node: a vector
        // grown by pushing would hold room for four.
        out.shrink_to_fit();
        out
    }

    fn inline(&mut self, event: Event<'a>, range: Range<usize>, out: &mut Vec<Inline>) {
        let span = self.span(range.clone());
        let kind = match event {
            Event::Text(t) => InlineKind::Text(t.to_string()),
            Event::Code(t) => InlineKind::Code(t.to_string()),
            Event::SoftBreak => InlineKind::Text(" ".into()),
            Event::HardBreak => InlineKind::LineBreak,
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let refs = &mut self.notes.refs;
                let index = *self.ref_index.entry(label).or_insert_with_key(|label| {
                    refs.push((label.clone(), span.clone()));
                    refs.len() - 1
                });
                InlineKind::FootnoteRef(super::FootnoteId(self.note_base + index))
            }
            Event::InlineHtml(html) => {
                let t = html.trim().to_ascii_lowercase();
                if matches!(t.as_str(), "<br>" | "<br/>" | "<br />") {
                    InlineKind::LineBreak
                } else if is_comment(&t) {
                    return;
                } else {
                    self.sink.push(raw_html_error(span, self.ctx.in_toml));
                    return;
                }
            }
            Event::Start(Tag::Emphasis) => {
                InlineKind::Emphasis(self.inlines(TagEnd::Emphasis))
            }
            Event::Start(Tag::Strong) => InlineKind::Strong(self.inlines(TagEnd::Strong)),
            Event::Start(Tag::Strikethrough) => {
                InlineKind::Strikethrough(self.inlines(TagEnd::Strikethrough))
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let content = self.inlines(TagEnd::Link);
                match link_target(&dest_url) {
                    Some(target) => InlineKind::Link { target, content },
                    None => {
                        self.sink.push(
                            Diagnostic::error(span, format!("link target `{dest_url}` is not supported"))
                                .with_hint("link to a heading with `#anchor`, or to a full address such as `https://…`"),
                        );
                        return;
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let alt = super::plain_text(&self.inlines(TagEnd::Image));
                self.images.push(Image {
                    path: self.ctx.root.join(dest_url.as_ref()),
                    src: dest_url.to_string(),
                    alt,
                    caption: (!title.is_empty()).then(|| title.to_string()),
                    data: Default::default(),
                });
                return;
            }
            other => {
                self.sink.push(Diagnostic::error(
                    span,
                    format!("unsupported inline element ({other:?})"),
                ));
                return;
            }
        };
        out.push(Inline { kind, span });
    }
}

impl Converter<'_, '_> {
    /// `[^label]` left as text means the footnote has no definition (pulldown-cmark only
    /// makes a reference when the definition exists). Text from data arrives as `&#91;`,
    /// and an escaped `\[` is deliberate, so neither is reported.
    fn check_undefined_note(&mut self, range: &Range<usize>) {
        let raw = &self.ex.text[range.clone()];
        let mut from = 0;
        while let Some(i) = raw[from..].find("[^") {
            let at = from + i;
            from = at + 2;
            if raw[..at].ends_with('\\') {
                continue;
            }
            if let Some(end) = raw[at..].find(']') {
                let label = &raw[at + 2..at + end];
                if !label.is_empty() && !label.contains(char::is_whitespace) {
                    let span = self.span(range.start + at..range.start + at + end + 1);
                    self.sink.push(
                        Diagnostic::error(
                            span,
                            format!("footnote `[^{label}]` is not defined"),
                        )
                        .with_hint(if self.ctx.in_toml {
                            // A definition in the file does not reach a block's value.
                            format!(
                                "briefing blocks cannot hold footnotes: give the note in the \
                                 text beside the block; to print the brackets, write \
                                 `&#91;^{label}]`"
                            )
                        } else {
                            format!("add a line `[^{label}]: text of the note` to this file")
                        }),
                    );
                }
            }
        }
    }
}

/// Whether an event is (or opens) inline content.
fn starts_inline(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_)
            | Event::InlineHtml(_)
            | Event::Start(
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. }
            )
    )
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

fn raw_html_error(span: Span, in_toml: bool) -> Diagnostic {
    // `\<` is a Markdown escape but not a TOML one: in a block's string it is an error.
    let literal = if in_toml { "`&lt;`" } else { "`\\<`" };
    Diagnostic::error(span, "raw HTML is not supported in briefings").with_hint(format!(
        "write Markdown instead; to show a literal `<`, write {literal}"
    ))
}

/// `#anchor` or an absolute URL; anything else is not a valid link here.
fn link_target(dest: &str) -> Option<LinkTarget> {
    if let Some(anchor) = dest.strip_prefix('#') {
        return (!anchor.is_empty()).then(|| LinkTarget::Anchor(anchor.to_string()));
    }
    let lower = dest.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
        .then(|| LinkTarget::Url(dest.to_string()))
}

/// A column is numeric when every non-empty body cell reads as a number
/// (thousands separators, signs, currency symbols and % allowed).
fn is_numeric_column(rows: &[Row], index: usize) -> bool {
    let mut any = false;
    for row in rows {
        let Some(cell) = row.cells.get(index) else { continue };
        let text = super::plain_text(&cell.content);
        let t: String = text
            .trim()
            .chars()
            .filter(|c| {
                !matches!(
                    c,
                    ',' | '%'
                        | '$'
                        | '€'
                        | '£'
                        | '¥'
                        | '₸'
                        | '+'
                        | '\u{2212}'
                        | '-'
                        | ' '
                        | '\u{a0}'
                        | '×'
                )
            })
            .collect();
        if t.is_empty() {
            continue;
        }
        if t.parse::<f64>().is_err() {
            return false;
        }
        any = true;
    }
    any
}
