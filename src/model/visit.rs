//! Walking the document: every block and every run of inline content, in reading order.

use super::{Block, BlockKind, Document, Inline, Section};

/// Calls `f` on every block of the document (sections, then footnotes), depth first.
pub fn each_block<'a>(doc: &'a Document, f: &mut dyn FnMut(&'a Block)) {
    fn section<'a>(s: &'a Section, f: &mut dyn FnMut(&'a Block)) {
        blocks(&s.blocks, f);
        for c in &s.children {
            section(c, f);
        }
    }
    for s in &doc.sections {
        section(s, f);
    }
    for n in &doc.footnotes {
        blocks(&n.blocks, f);
    }
}

/// Calls `f` on each block in `list` and the blocks nested inside them.
pub fn blocks<'a>(list: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for b in list {
        f(b);
        match &b.kind {
            BlockKind::List(l) => l.items.iter().for_each(|i| blocks(&i.blocks, f)),
            BlockKind::Quote(q) => blocks(q, f),
            BlockKind::Aside(a) => blocks(&a.blocks, f),
            _ => {}
        }
    }
}

/// The inline lists held directly by a block (not those of nested blocks).
pub fn block_inlines(b: &Block) -> Vec<&[Inline]> {
    let mut out: Vec<&[Inline]> = Vec::new();
    match &b.kind {
        BlockKind::Paragraph(c) => out.push(c),
        BlockKind::Table(t) => {
            out.extend(t.caption.as_deref());
            for row in t.header.iter().chain(&t.rows) {
                out.extend(row.cells.iter().map(|c| c.content.as_slice()));
            }
            out.extend(t.source.as_deref());
        }
        BlockKind::KeyFigures(k) => {
            out.extend(k.title.as_deref());
            for fig in &k.figures {
                out.push(&fig.value);
                out.push(&fig.label);
                out.extend(fig.note.as_deref());
            }
            out.extend(k.source.as_deref());
        }
        BlockKind::Aside(a) => out.extend(a.title.as_deref()),
        BlockKind::Chart(c) => {
            out.extend(c.caption.as_deref());
            out.extend(c.source.as_deref());
        }
        BlockKind::Timeline(t) => {
            out.extend(t.caption.as_deref());
            for e in &t.events {
                out.push(&e.title);
                out.extend(e.detail.as_deref());
            }
            out.extend(t.source.as_deref());
        }
        _ => {}
    }
    out
}

/// Calls `f` on every inline list in the document: headings, then block content.
pub fn each_inline_list<'a>(doc: &'a Document, f: &mut dyn FnMut(&'a [Inline])) {
    for (_, s) in doc.walk() {
        f(&s.heading.content);
    }
    each_block(doc, &mut |b| {
        for list in block_inlines(b) {
            f(list);
        }
    });
}

/// Calls `f` on every inline list in the document that may be changed: headings and
/// block content of each section, then the footnotes'.
pub fn each_inline_list_mut(doc: &mut Document, f: &mut dyn FnMut(&mut Vec<Inline>)) {
    fn section(s: &mut Section, f: &mut dyn FnMut(&mut Vec<Inline>)) {
        f(&mut s.heading.content);
        blocks_mut(&mut s.blocks, f);
        for c in &mut s.children {
            section(c, f);
        }
    }
    for s in &mut doc.sections {
        section(s, f);
    }
    for n in &mut doc.footnotes {
        blocks_mut(&mut n.blocks, f);
    }
}

/// Calls `f` on every inline list of `list` (as [`each_inline_list_mut`] does for a
/// whole document).
pub(super) fn blocks_mut(list: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    let opt = |l: &mut Option<Vec<Inline>>, f: &mut dyn FnMut(&mut Vec<Inline>)| {
        if let Some(l) = l {
            f(l);
        }
    };
    for b in list {
        match &mut b.kind {
            BlockKind::Paragraph(c) => f(c),
            BlockKind::List(l) => {
                l.items.iter_mut().for_each(|i| blocks_mut(&mut i.blocks, f));
            }
            BlockKind::Quote(q) => blocks_mut(q, f),
            BlockKind::Table(t) => {
                opt(&mut t.caption, f);
                opt(&mut t.source, f);
                for row in t.header.iter_mut().chain(&mut t.rows) {
                    row.cells.iter_mut().for_each(|c| f(&mut c.content));
                }
            }
            BlockKind::KeyFigures(k) => {
                opt(&mut k.title, f);
                opt(&mut k.source, f);
                for fig in &mut k.figures {
                    f(&mut fig.value);
                    f(&mut fig.label);
                    opt(&mut fig.unit, f);
                    opt(&mut fig.note, f);
                    if let Some(c) = &mut fig.change {
                        f(&mut c.text);
                    }
                }
            }
            BlockKind::Aside(a) => {
                opt(&mut a.title, f);
                blocks_mut(&mut a.blocks, f);
            }
            BlockKind::Chart(c) => {
                opt(&mut c.caption, f);
                opt(&mut c.source, f);
            }
            BlockKind::Timeline(t) => {
                opt(&mut t.caption, f);
                opt(&mut t.source, f);
                for e in &mut t.events {
                    f(&mut e.title);
                    opt(&mut e.detail, f);
                }
            }
            BlockKind::Code { .. }
            | BlockKind::Rule
            | BlockKind::Image(_)
            | BlockKind::PageBreak => {}
        }
    }
}
