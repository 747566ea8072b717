//! Navigation: one tree of entries feeds the EPUB navigation document (via
//! epub-builder's `TocElement`s) and the inline contents page, so they always agree.

use epub_builder::TocElement;

use crate::model::Section;

use super::xhtml::{escape, fragment, heading_label_or_untitled};
use crate::locale::Locale;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Hash)]
pub(super) struct NavEntry {
    /// `chNN.xhtml` or `chNN.xhtml#anchor`.
    pub href: String,
    /// "2.1 Title", never empty.
    pub label: String,
    /// Entries one level down.
    pub children: Vec<NavEntry>,
}

fn nav_label(section: &Section, l: &Locale) -> String {
    heading_label_or_untitled(&section.heading, l)
}

/// The entry for a chapter, or `None` if its heading is left out of the contents.
/// Subsections left out still contribute their own included subsections.
pub(super) fn chapter_entry(
    chapter: &Section,
    file: &str,
    l: &Locale,
) -> Option<NavEntry> {
    chapter.heading.in_toc.then(|| NavEntry {
        href: file.to_string(),
        label: nav_label(chapter, l),
        children: child_entries(chapter, file, l),
    })
}

fn child_entries(section: &Section, file: &str, l: &Locale) -> Vec<NavEntry> {
    let mut out = Vec::new();
    for child in &section.children {
        if child.heading.in_toc {
            out.push(NavEntry {
                href: format!("{file}#{}", fragment(&child.heading.anchor)),
                label: nav_label(child, l),
                children: child_entries(child, file, l),
            });
        } else {
            out.extend(child_entries(child, file, l));
        }
    }
    out
}

/// The subsection entries of a chapter as epub-builder TOC children.
pub(super) fn toc_children(entry: &NavEntry) -> Vec<TocElement> {
    entry
        .children
        .iter()
        .map(|e| {
            let mut t = TocElement::new(e.href.clone(), e.label.clone());
            for c in toc_children(e) {
                t = t.child(c);
            }
            t
        })
        .collect()
}

/// The deepest nesting of the entries (1 for chapters only).
pub(super) fn depth(entries: &[NavEntry]) -> usize {
    entries.iter().map(|e| 1 + depth(&e.children)).max().unwrap_or(0)
}

/// The body of the inline contents page: a `doc-toc` navigation list.
pub(super) fn contents_body(title: &str, entries: &[NavEntry]) -> String {
    let mut out = String::new();
    out.push_str(
        "<nav role=\"doc-toc\" aria-labelledby=\"contents-title\" class=\"contents\">\n",
    );
    out.push_str(&format!("<h1 id=\"contents-title\">{}</h1>\n", escape(title)));
    push_list(&mut out, entries);
    out.push_str("</nav>\n");
    out
}

fn push_list(out: &mut String, entries: &[NavEntry]) {
    if entries.is_empty() {
        return;
    }
    out.push_str("<ol>\n");
    for e in entries {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a>",
            escape(&e.href),
            escape(&e.label)
        ));
        if !e.children.is_empty() {
            out.push('\n');
            push_list(out, &e.children);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}
