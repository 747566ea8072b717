//! Expanded sections → one [`Document`]: sections formed from headings, numbers and
//! anchors assigned, captions attached, footnotes and links resolved.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::custom::BlockContext;
use super::markdown::{Converter, FileNotes, Item};
use super::{
    Block, BlockKind, Document, Footnote, Heading, Inline, InlineKind, LinkTarget,
    Section,
};
use crate::diag::{DiagResult, Diagnostic, Sink, Span};
use crate::memo::Memo;
use crate::source::{Project, SectionOptions};
use crate::template::Expanded;
use crate::world::World;

/// Builds the document from the expanded sections. Returns it with its warnings.
pub fn build_document(
    project: &Project,
    expanded: &[Expanded],
    world: &World,
) -> DiagResult<(Document, Vec<Diagnostic>)> {
    build_document_with(project, expanded, world, &Memo::new())
}

/// A converted file: its blocks, its footnotes and what converting it reported.
#[derive(Debug, Clone)]
struct Converted {
    items: Vec<Item>,
    notes: FileNotes,
    diagnostics: Vec<Diagnostic>,
}

/// [`build_document`], reusing from `memo` the conversion of every file whose inputs
/// are unchanged: its expanded text (and the map back to its source), the number of
/// footnotes before it (references get book-wide ids), the folder and language, the names
/// of the data sets and the digests of those its text names (charts and timelines read
/// them). The book-wide steps (sections, numbers, anchors, links) always run.
pub fn build_document_with(
    project: &Project,
    expanded: &[Expanded],
    world: &World,
    memo: &Memo,
) -> DiagResult<(Document, Vec<Diagnostic>)> {
    let names: Vec<&String> = project.data.keys().collect();
    let mut sink = Sink::default();
    let ctx = BlockContext {
        root: &project.root,
        data: &project.data,
        locale: &project.meta.locale,
        depth: 0,
        in_toml: false,
    };
    let mut footnotes: Vec<Footnote> = Vec::new();
    let mut chapters: Vec<Section> = Vec::new();
    let mut chapter_count = 0;

    for (ex, file) in expanded.iter().zip(&project.sections) {
        let base = footnotes.len();
        let (root, language) = (&project.root, project.meta.language.as_str());
        let read = crate::template::names_read(memo, &ex.text, &project.data);
        let reads: Vec<(&String, Option<u128>)> =
            read.iter().map(|n| (n, project.data.get(n).map(|d| d.digest))).collect();
        let inputs = (ex, base, root, language, &*project.meta.locale, &names, reads);
        let converted = memo.get_or("model", &inputs, || {
            let mut file_sink = Sink::default();
            let (mut items, mut notes) =
                Converter::new(ex, &mut file_sink, &ctx, base).run();
            super::lang::tag_file(&mut items, &mut notes, language);
            Converted { items, notes, diagnostics: file_sink.diagnostics }
        });
        let Converted { items, notes, diagnostics } = (*converted).clone();
        sink.extend(diagnostics);

        // The first definition of each label, and the labels referenced (by label: a
        // file may hold thousands of notes).
        let mut defs: HashMap<&str, &(String, Vec<Block>, Span)> = HashMap::new();
        for def in &notes.defs {
            defs.entry(def.0.as_str()).or_insert(def);
        }
        let referenced: HashSet<&str> =
            notes.refs.iter().map(|(l, _)| l.as_str()).collect();
        for (label, ref_span) in &notes.refs {
            let n = footnotes.len() + 1;
            let def = defs.get(label.as_str());
            let blocks = match def {
                Some((_, blocks, _)) => blocks.clone(),
                None => {
                    sink.push(
                        Diagnostic::error(
                            ref_span.clone(),
                            format!("footnote `[^{label}]` is not defined"),
                        )
                        .with_hint(format!(
                            "add a line `[^{label}]: text of the note` to this file"
                        )),
                    );
                    Vec::new()
                }
            };
            let span = def.map_or(ref_span.clone(), |d| d.2.clone());
            footnotes.push(Footnote {
                number: n as u32,
                anchor: format!("fn-{n}"),
                ref_anchor: format!("fnref-{n}"),
                blocks,
                span,
            });
        }
        for (label, _, span) in &notes.defs {
            // A note referenced only from content this edition leaves out goes with it.
            if !referenced.contains(label.as_str()) && !file.hidden_notes.contains(label)
            {
                sink.push(Diagnostic::warning(
                    span.clone(),
                    format!("footnote `[^{label}]` is never referenced"),
                ));
            }
        }

        let mut sections = sectionize(items, &file.options, &mut sink);
        if sections.is_empty() {
            sink.push(
                Diagnostic::error(
                    crate::diag::Span::file_start(ex.file),
                    "the section file has no heading",
                )
                .with_hint(
                    "start the file with a chapter heading such as `# Trade and economy`",
                ),
            );
        }
        for s in &mut sections {
            let numbered = project.numbering.enabled && file.options.numbered;
            if numbered {
                chapter_count += 1;
            }
            number(
                s,
                if numbered { vec![chapter_count] } else { vec![] },
                project.numbering.depth,
            );
        }
        chapters.extend(sections);
    }

    let mut anchors = Anchors::default();
    let mut counters = (0, 0);
    for s in &mut chapters {
        finish_section(s, &mut anchors, &mut counters, &mut sink);
    }
    for f in &mut footnotes {
        finish_blocks(&mut f.blocks, &mut counters);
    }

    let mut document = Document {
        meta: project.meta.clone(),
        sections: chapters,
        footnotes,
        page_marking: None,
    };
    if let Some(levels) = project.levels.as_ref().filter(|l| l.per_page) {
        let texts =
            (0..levels.names().len()).map(|i| levels.marking(i).to_string()).collect();
        let places = &project.selection.places;
        super::mark_pages(
            &mut document,
            levels.names(),
            texts,
            places,
            levels.default_level(),
        );
        // The portion marks are new text in the headings.
        super::lang::tag_headings(&mut document.sections, &document.meta.language);
    }
    super::images::load_images(&mut document, world, memo, &mut sink);
    choose_link_targets(&mut document, &anchors.used, &mut sink);
    check_links(&document, &anchors.used, !project.editions.is_empty(), &mut sink);
    if sink.has_errors() {
        Err(sink.diagnostics)
    } else {
        Ok((document, sink.diagnostics))
    }
}

/// Forms the section tree of one file from its headings.
fn sectionize(
    items: Vec<Item>,
    options: &SectionOptions,
    sink: &mut Sink,
) -> Vec<Section> {
    let mut roots: Vec<Section> = Vec::new();
    let mut stack: Vec<(u8, Section)> = Vec::new();
    let mut first = true;
    let mut reported = false;

    fn close(stack: &mut Vec<(u8, Section)>, roots: &mut Vec<Section>) {
        if let Some((_, s)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(s),
                None => roots.push(s),
            }
        }
    }

    for item in items {
        match item {
            Item::Heading { level, content, id, span } => {
                while stack.last().is_some_and(|(l, _)| *l >= level) {
                    close(&mut stack, &mut roots);
                }
                let id = id.or_else(|| if first { options.id.clone() } else { None });
                first = false;
                let heading = Heading {
                    level: (stack.len() + 1) as u8,
                    number: Vec::new(),
                    content,
                    anchor: id.unwrap_or_default(),
                    in_toc: options.toc,
                    span,
                };
                stack.push((
                    level,
                    Section { heading, blocks: Vec::new(), children: Vec::new() },
                ));
            }
            Item::Block(b) => {
                match stack.last_mut() {
                    Some((_, s)) => s.blocks.push(b),
                    None if !reported => {
                        reported = true;
                        sink.push(
                        Diagnostic::error(b.span, "text before the first heading")
                            .with_hint("start the file with a chapter heading such as `# Summary`"),
                    );
                    }
                    None => {}
                }
            }
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

/// Numbers a section and its children ("2", "2.1", …) down to `depth` levels.
fn number(section: &mut Section, number: Vec<u32>, depth: u8) {
    let numbered = !number.is_empty() && number.len() <= depth as usize;
    for (i, child) in section.children.iter_mut().enumerate() {
        let mut n = number.clone();
        n.push(i as u32 + 1);
        self::number(child, if numbered { n } else { vec![] }, depth);
    }
    section.heading.number = if numbered { number } else { Vec::new() };
}

/// Unique anchors for headings.
#[derive(Default)]
struct Anchors {
    used: BTreeSet<String>,
}

impl Anchors {
    fn assign(&mut self, heading: &mut Heading, sink: &mut Sink) {
        if !heading.anchor.is_empty() {
            let a = heading.anchor.clone();
            if !valid_anchor(&a) {
                sink.push(
                    Diagnostic::error(heading.span.clone(), format!("`{a}` is not a valid anchor"))
                        .with_hint("anchors start with a letter and use letters, digits, `-` and `_`"),
                );
            } else if !self.used.insert(a.clone()) {
                sink.push(Diagnostic::error(
                    heading.span.clone(),
                    format!("anchor `{a}` is used twice"),
                ));
            }
            return;
        }
        let base = slug(&heading.title());
        let mut candidate = base.clone();
        let mut n = 2;
        while self.used.contains(&candidate)
            || candidate.starts_with("fn-")
            || candidate.starts_with("fnref-")
        {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        heading.anchor = candidate;
    }
}

/// A readable ASCII anchor from a title ("2.1 Trade & Economy" → "trade-economy").
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    match out.chars().next() {
        None => "section".into(),
        Some(c) if !c.is_ascii_alphabetic() => format!("s-{out}"),
        Some(_) => out,
    }
}

fn valid_anchor(a: &str) -> bool {
    a.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn finish_section(
    s: &mut Section,
    anchors: &mut Anchors,
    counters: &mut (u32, u32),
    sink: &mut Sink,
) {
    anchors.assign(&mut s.heading, sink);
    finish_blocks(&mut s.blocks, counters);
    for c in &mut s.children {
        finish_section(c, anchors, counters, sink);
    }
}

/// Attaches `Table:` captions and `Source:` lines, numbers tables and figures.
fn finish_blocks(blocks: &mut Vec<Block>, counters: &mut (u32, u32)) {
    let mut i = 0;
    while i < blocks.len() {
        let next_is_table =
            matches!(blocks.get(i + 1).map(|b| &b.kind), Some(BlockKind::Table(_)));
        if next_is_table {
            if let Some(caption) = strip_label(&blocks[i], "Table:") {
                blocks.remove(i);
                if let BlockKind::Table(t) = &mut blocks[i].kind {
                    t.caption = Some(caption);
                }
                continue;
            }
        }
        if let BlockKind::Table(t) = &blocks[i].kind {
            if t.source.is_none() {
                if let Some(source) =
                    blocks.get(i + 1).and_then(|b| strip_label(b, "Source:"))
                {
                    blocks.remove(i + 1);
                    if let BlockKind::Table(t) = &mut blocks[i].kind {
                        t.source = Some(source);
                    }
                }
            }
        }
        match &mut blocks[i].kind {
            BlockKind::Table(t) if t.caption.is_some() => {
                counters.0 += 1;
                t.number = Some(counters.0);
            }
            BlockKind::Chart(c) if c.caption.is_some() => {
                counters.1 += 1;
                c.number = Some(counters.1);
            }
            BlockKind::Timeline(t) if t.caption.is_some() => {
                counters.1 += 1;
                t.number = Some(counters.1);
            }
            BlockKind::List(l) => {
                for item in &mut l.items {
                    finish_blocks(&mut item.blocks, counters);
                }
            }
            BlockKind::Quote(b) => finish_blocks(b, counters),
            BlockKind::Aside(a) => finish_blocks(&mut a.blocks, counters),
            _ => {}
        }
        i += 1;
    }
}

/// If `block` is a paragraph starting with `label`, its content without the label.
fn strip_label(block: &Block, label: &str) -> Option<Vec<Inline>> {
    let BlockKind::Paragraph(content) = &block.kind else { return None };
    let first = content.first()?;
    let InlineKind::Text(t) = &first.kind else { return None };
    let rest = t.strip_prefix(label)?.trim_start().to_string();
    let mut out = content.clone();
    if rest.is_empty() {
        out.remove(0);
    } else {
        out[0].kind = InlineKind::Text(rest);
    }
    Some(out)
}

/// A link written `[text](#first|#second|)` goes to the first of its anchors that this
/// book holds (editions leave sections out); an empty alternative prints the text
/// unlinked. A link none of whose alternatives is here is an error at the link.
fn choose_link_targets(doc: &mut Document, anchors: &BTreeSet<String>, sink: &mut Sink) {
    fn inlines(list: &mut Vec<Inline>, anchors: &BTreeSet<String>, sink: &mut Sink) {
        let mut i = 0;
        while i < list.len() {
            let mut unlink = false;
            let span = list[i].span.clone();
            match &mut list[i].kind {
                InlineKind::Link { target: LinkTarget::Anchor(a), content }
                    if a.contains('|') =>
                {
                    let options: Vec<&str> =
                        a.split('|').map(|o| o.trim().trim_start_matches('#')).collect();
                    match options.iter().find(|o| o.is_empty() || anchors.contains(**o)) {
                        Some(&"") => unlink = true,
                        Some(o) => *a = o.to_string(),
                        None => {
                            let list = options
                                .iter()
                                .map(|o| format!("`#{o}`"))
                                .collect::<Vec<_>>()
                                .join(", ");
                            sink.push(
                                Diagnostic::error(span, format!("none of the link's targets ({list}) is in this book"))
                                    .with_hint("end the list with an empty alternative, `(#anchor|)`, to print the text unlinked where the heading is left out"),
                            );
                            unlink = true;
                        }
                    }
                    inlines(content, anchors, sink);
                }
                InlineKind::Emphasis(c)
                | InlineKind::Strong(c)
                | InlineKind::Strikethrough(c)
                | InlineKind::Link { content: c, .. }
                | InlineKind::Lang { content: c, .. } => inlines(c, anchors, sink),
                _ => {}
            }
            if unlink {
                let InlineKind::Link { content, .. } = list.remove(i).kind else {
                    unreachable!()
                };
                let n = content.len();
                list.splice(i..i, content);
                i += n;
            } else {
                i += 1;
            }
        }
    }
    super::visit::each_inline_list_mut(doc, &mut |list| inlines(list, anchors, sink));
}

/// Every `#anchor` link must name a heading.
fn check_links(
    doc: &Document,
    anchors: &BTreeSet<String>,
    editions: bool,
    sink: &mut Sink,
) {
    fn inlines(
        list: &[Inline],
        anchors: &BTreeSet<String>,
        editions: bool,
        sink: &mut Sink,
    ) {
        for i in list {
            match &i.kind {
                InlineKind::Link { target: LinkTarget::Anchor(a), content } => {
                    if !anchors.contains(a) {
                        let near: Vec<_> = anchors
                            .iter()
                            .filter(|x| x.contains(a.as_str()) || a.contains(x.as_str()))
                            .take(3)
                            .collect();
                        let mut d = Diagnostic::error(
                            i.span.clone(),
                            format!("link to unknown anchor `#{a}`"),
                        );
                        d = d.with_hint(if near.is_empty() {
                            "anchors come from headings: `## Title {#my-anchor}`, or the title in lowercase with dashes".to_string()
                        } else {
                            format!("did you mean {}?", near.iter().map(|n| format!("`#{n}`")).collect::<Vec<_>>().join(", "))
                        });
                        if editions {
                            d = d.with_hint(format!("if the heading is in other editions only, give an alternative: `(#{a}|#other)`, or `(#{a}|)` to print the text unlinked here"));
                        }
                        sink.push(d);
                    }
                    inlines(content, anchors, editions, sink);
                }
                InlineKind::Emphasis(c)
                | InlineKind::Strong(c)
                | InlineKind::Strikethrough(c)
                | InlineKind::Link { content: c, .. }
                | InlineKind::Lang { content: c, .. } => {
                    inlines(c, anchors, editions, sink);
                }
                _ => {}
            }
        }
    }
    super::visit::each_inline_list(doc, &mut |list| {
        inlines(list, anchors, editions, sink);
    });
}
