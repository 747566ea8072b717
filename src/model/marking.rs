//! Classification marking by page (`page-marking = "per-page"`): the level of every flow
//! item of every chapter, so each page can carry the highest level on it, and a portion
//! mark before each chapter heading.

use super::{Document, Inline, Section};
use crate::diag::Span;

/// The levels a page marking is made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageMarking {
    /// The marking printed for each level, lowest first.
    pub texts: Vec<String>,
    /// For each chapter, the level of each flow item (its heading, its blocks, then its
    /// subsections', in the order of [`super::flow_items`]).
    pub items: Vec<Vec<usize>>,
}

impl PageMarking {
    /// The marking of a page showing flow items `first..=last` of `chapter`.
    pub fn of_items(&self, chapter: usize, first: usize, last: usize) -> Option<&str> {
        let items = self.items.get(chapter)?;
        let level =
            items.get(first..=last.min(items.len().saturating_sub(1)))?.iter().max()?;
        self.texts.get(*level).map(String::as_str)
    }
}

/// Records the level of every flow item (from the marked places of the source: each
/// section file's own level and the passages an edition holds, innermost last) and puts
/// the chapter's level, abbreviated, before each chapter heading: "(R) Trade".
pub fn mark_pages(
    doc: &mut Document,
    names: &[String],
    texts: Vec<String>,
    places: &[(Span, usize)],
    default: usize,
) {
    let level_at = |span: &Span| {
        places
            .iter()
            .filter(|(s, _)| s.file == span.file && s.range.contains(&span.range.start))
            .map(|(_, l)| *l)
            .max()
            .unwrap_or(default)
    };
    let mut items = Vec::with_capacity(doc.sections.len());
    for chapter in &mut doc.sections {
        let mut levels = Vec::new();
        walk(chapter, &mut |span| levels.push(level_at(span)));
        let level = levels.iter().copied().max().unwrap_or(default);
        if let Some(name) = names.get(level) {
            let mark = format!("({}) ", name.chars().next().unwrap_or('?'));
            let span = chapter.heading.span.clone();
            chapter.heading.content.insert(0, Inline::text(mark, span));
        }
        items.push(levels);
    }
    doc.page_marking = Some(PageMarking { texts, items });
}

fn walk(section: &Section, f: &mut dyn FnMut(&Span)) {
    f(&section.heading.span);
    for b in &section.blocks {
        f(&b.span);
    }
    for c in &section.children {
        walk(c, f);
    }
}
