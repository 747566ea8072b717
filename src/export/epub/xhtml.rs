//! The model as XHTML body markup: sections, blocks and inlines, always well formed.
//!
//! Every text value goes through [`push_escaped`] (only the five XML entities, never
//! an HTML named entity). Language spans come from the model (`InlineKind::Lang`);
//! metadata strings, which are not model text, are tagged by script (`model::lang`). Links to anchors are resolved through the anchor → file map built
//! before any file is written.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostic, Span};
use crate::locale::Locale;
use crate::model::{
    Block, BlockKind, Document, Heading, Inline, InlineKind, LinkTarget, List, Section,
};

use super::{internal_error, NOTES_FILE};
use crate::model::lang;

/// Appends `text` with `& < > " '` escaped; characters XML forbids become U+FFFD.
pub(super) fn push_escaped(out: &mut String, text: &str) {
    // Byte scan: every character that needs care starts with an ASCII byte or, for
    // U+FFFE and U+FFFF, with 0xEF; runs between them are copied in one go.
    let bytes = text.as_bytes();
    let mut done = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (len, with) = match b {
            b'&' => (1, "&amp;"),
            b'<' => (1, "&lt;"),
            b'>' => (1, "&gt;"),
            b'"' => (1, "&quot;"),
            b'\'' => (1, "&apos;"),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            // Not allowed in XML 1.0, not even as a character reference.
            0..=0x1F => (1, "\u{FFFD}"),
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                (3, "\u{FFFD}")
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[done..i]);
        out.push_str(with);
        i += len;
        done = i;
    }
    out.push_str(&text[done..]);
}

/// `text` escaped for XML content or a double-quoted attribute.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// A fragment identifier for an `href`: unreserved ASCII kept, the rest percent-encoded.
pub(super) fn fragment(anchor: &str) -> String {
    let mut out = String::new();
    for b in anchor.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An external URL made valid: characters URLs may not hold are percent-encoded
/// (EPUBCheck RSC-020 rejects, say, a raw `<` or space in a query).
pub(super) fn clean_url(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = String::new();
    let mut seen_hash = false;
    for (i, &b) in bytes.iter().enumerate() {
        let valid_escape = b == b'%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        let keep = match b {
            b'%' => valid_escape,
            b'#' if !seen_hash => {
                seen_hash = true;
                true
            }
            b'#' => false,
            b'!' | b'$' | b'&'..=b';' | b'=' | b'?' | b'@' | b'_' | b'~' => true,
            _ => b.is_ascii_alphanumeric(),
        };
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `<span lang="…" xml:lang="…">`.
fn push_lang_open(out: &mut String, lang: &str) {
    let lang = escape(lang);
    out.push_str(&format!("<span lang=\"{lang}\" xml:lang=\"{lang}\">"));
}

/// The heading as shown: "2.1 Title", or just the title when unnumbered.
pub(super) fn heading_label(heading: &Heading) -> String {
    match heading.number_label() {
        Some(n) => format!("{n} {}", heading.title()).trim_end().to_string(),
        None => heading.title(),
    }
}

/// [`heading_label`], or "Untitled section" when that is blank (an empty `<title>`
/// or navigation link is an EPUBCheck error).
pub(super) fn heading_label_or_untitled(heading: &Heading, locale: &Locale) -> String {
    let label = heading_label(heading);
    if label.trim().is_empty() {
        locale.text("untitled-section")
    } else {
        label
    }
}

/// Renders model content into XHTML, one file at a time, collecting diagnostics.
pub(super) struct Writer<'a> {
    pub(super) doc: &'a Document,
    anchors: &'a BTreeMap<String, String>,
    /// Primary subtag of the book language.
    pub(super) book_lang: String,
    /// The file being written (links to its own anchors still name it).
    pub(super) file: String,
    /// Per footnote: the file and id of its first reference.
    pub(super) first_refs: Vec<Option<(String, String)>>,
    /// Per footnote: how many references have been written so far.
    pub(super) ref_counts: Vec<u32>,
    /// Footnote indices, once per reference written (a kept chapter replays them).
    pub(super) note_refs: Vec<usize>,
    /// Anchors looked up so far (what a kept chapter must check again).
    pub(super) anchors_read: BTreeSet<String>,
    /// Footnotes looked up so far.
    pub(super) notes_read: BTreeSet<usize>,
    /// Images and charts met so far (their names depend on what came before, so a
    /// chapter holding one is never kept).
    pub(super) media_uses: usize,
    /// Images read so far, in order of first use.
    pub(super) images: Vec<super::images::ImageResource>,
    /// Warnings and errors found so far.
    pub(super) diags: Vec<Diagnostic>,
    /// Whether some image had no text alternative.
    pub(super) missing_alt: bool,
    /// The page-break markers of the chapter being written (none elsewhere).
    pub(super) flow: Option<super::pagelist::Flow>,
    /// Names of the scroll regions in the file being written (landmarks must have
    /// distinct names).
    pub(super) regions: Vec<String>,
}

impl<'a> Writer<'a> {
    /// A writer for `doc`, resolving anchors through `anchors`.
    pub(super) fn new(doc: &'a Document, anchors: &'a BTreeMap<String, String>) -> Self {
        Self {
            doc,
            anchors,
            book_lang: lang::primary_subtag(&doc.meta.language),
            file: String::new(),
            first_refs: vec![None; doc.footnotes.len()],
            ref_counts: vec![0; doc.footnotes.len()],
            note_refs: Vec::new(),
            anchors_read: BTreeSet::new(),
            notes_read: BTreeSet::new(),
            media_uses: 0,
            images: Vec::new(),
            diags: Vec::new(),
            missing_alt: false,
            flow: None,
            regions: Vec::new(),
        }
    }

    /// Appends a string that is not model text (a title from the manifest, a chart
    /// label from data), escaped, with foreign-script runs in language spans. Model
    /// text carries its language already and is written by [`Self::inlines`].
    pub(super) fn text(&self, out: &mut String, text: &str) {
        for (run, lang) in lang::split(text, &self.book_lang) {
            match lang {
                Some(l) => {
                    push_lang_open(out, l);
                    push_escaped(out, run);
                    out.push_str("</span>");
                }
                None => push_escaped(out, run),
            }
        }
    }

    /// A section and its subsections as nested `<section>` elements.
    pub(super) fn section(&mut self, out: &mut String, section: &Section, chapter: bool) {
        self.section_at(out, section, chapter, 1);
    }

    /// [`Self::section`] with its heading at most at level `cap`: headings never skip
    /// a level (a `####` under a `##` is written as `<h3>`), so the outline that
    /// assistive technology reads has no gaps.
    fn section_at(
        &mut self,
        out: &mut String,
        section: &Section,
        chapter: bool,
        cap: u8,
    ) {
        let h = &section.heading;
        out.push_str("<section");
        if !h.anchor.is_empty() {
            out.push_str(&format!(" id=\"{}\"", escape(&h.anchor)));
        }
        if chapter {
            out.push_str(" epub:type=\"chapter\" role=\"doc-chapter\"");
        }
        out.push_str(">\n");
        // The heading and each block are flow items (page-break markers go between).
        self.flow_before(out);
        let level = h.level.clamp(1, 6).min(cap);
        // A heading with no text is left out rather than written empty.
        if !heading_label(h).trim().is_empty() {
            out.push_str(&format!("<h{level}>"));
            if let Some(n) = h.number_label() {
                out.push_str(&format!("<span class=\"secnum\">{}</span> ", escape(&n)));
            }
            self.inlines(out, &h.content, false);
            out.push_str(&format!("</h{level}>\n"));
        }
        self.flow_after(out);
        for block in &section.blocks {
            self.flow_before(out);
            self.block(out, block);
            self.flow_after(out);
        }
        for child in &section.children {
            self.section_at(out, child, false, (level + 1).min(6));
        }
        out.push_str("</section>\n");
    }

    fn flow_before(&mut self, out: &mut String) {
        if let Some(f) = &mut self.flow {
            f.before(out);
        }
    }

    fn flow_after(&mut self, out: &mut String) {
        if let Some(f) = &mut self.flow {
            f.after(out);
        }
    }

    /// `<div class="table-wrap" …>`: a focusable scroll region named `name`, made
    /// distinct from the other regions of the file with a number if need be.
    pub(super) fn region(&mut self, out: &mut String, name: &str) {
        let mut unique = name.to_string();
        let mut n = 1;
        while self.regions.contains(&unique) {
            n += 1;
            unique = format!("{name} ({n})");
        }
        out.push_str(&format!(
            "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n",
            escape(&unique)
        ));
        self.regions.push(unique);
    }

    /// At the start of body row `row` of a table: the pages that begin there.
    pub(super) fn flow_row(&mut self, out: &mut String, row: usize) {
        if let Some(f) = &mut self.flow {
            f.row(out, row);
        }
    }

    /// Inline content.
    pub(super) fn inlines(
        &mut self,
        out: &mut String,
        inlines: &[Inline],
        in_link: bool,
    ) {
        for inline in inlines {
            self.inline(out, inline, in_link);
        }
    }

    /// Inline content into a new string.
    pub(super) fn inline_string(&mut self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        self.inlines(&mut out, inlines, false);
        out
    }

    fn wrapped(
        &mut self,
        out: &mut String,
        tag: &str,
        content: &[Inline],
        in_link: bool,
    ) {
        out.push_str(&format!("<{tag}>"));
        self.inlines(out, content, in_link);
        out.push_str(&format!("</{tag}>"));
    }

    fn inline(&mut self, out: &mut String, inline: &Inline, in_link: bool) {
        match &inline.kind {
            InlineKind::Text(t) => push_escaped(out, t),
            InlineKind::Emphasis(c) => self.wrapped(out, "em", c, in_link),
            InlineKind::Strong(c) => self.wrapped(out, "strong", c, in_link),
            InlineKind::Strikethrough(c) => self.wrapped(out, "s", c, in_link),
            InlineKind::Code(t) => {
                out.push_str("<code>");
                push_escaped(out, t);
                out.push_str("</code>");
            }
            InlineKind::LineBreak => out.push_str("<br/>"),
            // HTML forbids a link inside a link: keep only the text.
            InlineKind::Link { content, .. } if in_link => {
                self.inlines(out, content, true);
            }
            InlineKind::Link { target, content } => {
                let href = match target {
                    LinkTarget::Url(url) => Some(clean_url(url)),
                    LinkTarget::Anchor(a) => self.resolve(a, &inline.span),
                };
                match href {
                    Some(href) => {
                        out.push_str(&format!("<a href=\"{}\">", escape(&href)));
                        self.inlines(out, content, true);
                        out.push_str("</a>");
                    }
                    None => self.inlines(out, content, in_link),
                }
            }
            InlineKind::FootnoteRef(id) => self.footnote_ref(out, id.0, in_link),
            // A run in the book's own language needs no span.
            InlineKind::Lang { lang, content } if *lang == self.doc.meta.language => {
                self.inlines(out, content, in_link);
            }
            InlineKind::Lang { lang, content } => {
                push_lang_open(out, lang);
                self.inlines(out, content, in_link);
                out.push_str("</span>");
            }
        }
    }

    /// `file#anchor` for an anchor, or `None` (with a warning) if no heading has it.
    fn resolve(&mut self, anchor: &str, span: &Span) -> Option<String> {
        if !self.anchors_read.contains(anchor) {
            self.anchors_read.insert(anchor.to_string());
        }
        match self.anchors.get(anchor) {
            Some(file) => Some(format!("{file}#{}", fragment(anchor))),
            None => {
                self.diags.push(
                    Diagnostic::warning(
                        span.clone(),
                        format!("unknown anchor `{anchor}`"),
                    )
                    .with_hint("the link is written as plain text in the EPUB"),
                );
                None
            }
        }
    }

    fn footnote_ref(&mut self, out: &mut String, index: usize, in_link: bool) {
        self.notes_read.insert(index);
        let Some(note) = self.doc.footnotes.get(index) else {
            self.diags.push(internal_error(format!("footnote {index} does not exist")));
            return;
        };
        if in_link {
            out.push_str(&format!("<sup>{}</sup>", note.number));
            return;
        }
        self.ref_counts[index] += 1;
        self.note_refs.push(index);
        let id = match self.ref_counts[index] {
            1 => note.ref_anchor.clone(),
            n => format!("{}-{n}", note.ref_anchor),
        };
        if self.first_refs[index].is_none() {
            self.first_refs[index] = Some((self.file.clone(), id.clone()));
        }
        out.push_str(&format!(
            "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" \
             href=\"{NOTES_FILE}#{}\" id=\"{}\">{}</a>",
            escape(&fragment(&note.anchor)),
            escape(&id),
            note.number
        ));
    }

    /// A sequence of blocks.
    pub(super) fn blocks(&mut self, out: &mut String, blocks: &[Block]) {
        for block in blocks {
            self.block(out, block);
        }
    }

    fn block(&mut self, out: &mut String, block: &Block) {
        match &block.kind {
            BlockKind::Paragraph(c) => {
                self.wrapped(out, "p", c, false);
                out.push('\n');
            }
            BlockKind::List(list) => self.list(out, list),
            BlockKind::Table(t) => self.table(out, t),
            BlockKind::Quote(blocks) => {
                out.push_str("<blockquote>\n");
                self.blocks(out, blocks);
                out.push_str("</blockquote>\n");
            }
            BlockKind::Code { lang, text } => {
                out.push_str("<pre><code");
                if let Some(l) = lang {
                    let l: String = l
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || "+-_".contains(*c))
                        .collect();
                    if !l.is_empty() {
                        out.push_str(&format!(" class=\"language-{l}\""));
                    }
                }
                out.push('>');
                push_escaped(out, text);
                out.push_str("</code></pre>\n");
            }
            BlockKind::Rule => out.push_str("<hr/>\n"),
            BlockKind::Image(image) => self.image(out, image, &block.span),
            BlockKind::KeyFigures(k) => self.key_figures(out, k),
            BlockKind::Aside(a) => self.aside(out, a),
            BlockKind::Chart(c) => self.chart(out, c),
            BlockKind::Timeline(t) => self.timeline(out, t),
            // Reflowing text has no pages.
            BlockKind::PageBreak => {}
        }
    }

    fn list(&mut self, out: &mut String, list: &List) {
        let tag = match list.start {
            Some(1) => "ol".to_string(),
            Some(n) => format!("ol start=\"{n}\""),
            None => "ul".to_string(),
        };
        let close = if list.start.is_some() { "ol" } else { "ul" };
        out.push_str(&format!("<{tag}>\n"));
        for item in &list.items {
            out.push_str("<li>");
            for (i, block) in item.blocks.iter().enumerate() {
                match &block.kind {
                    // Tight items hold their text without paragraph spacing.
                    BlockKind::Paragraph(c) if list.tight => {
                        if i > 0 {
                            out.push_str("<br/>");
                        }
                        self.inlines(out, c, false);
                    }
                    _ => {
                        if i > 0 || !list.tight {
                            out.push('\n');
                        }
                        self.block(out, block);
                    }
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str(&format!("</{close}>\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_uses_only_the_five_entities_and_drops_control_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>]]>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;]]&gt;\u{FFFD}"
        );
        // Non-characters go, other characters (in any script) and whitespace stay.
        assert_eq!(
            escape("\u{FFFE}Астана\t\u{FFFF}\u{FFFD}\u{FEFF}\n阿 & é\u{1F}"),
            "\u{FFFD}Астана\t\u{FFFD}\u{FFFD}\u{FEFF}\n阿 &amp; é\u{FFFD}"
        );
    }

    #[test]
    fn urls_are_made_valid() {
        assert_eq!(
            clean_url("https://e.org/a b?q=<1>&r=%zz#x#y"),
            "https://e.org/a%20b?q=%3C1%3E&r=%25zz#x%23y"
        );
        assert_eq!(
            clean_url("https://e.org/Астана"),
            "https://e.org/%D0%90%D1%81%D1%82%D0%B0%D0%BD%D0%B0"
        );
        assert_eq!(
            clean_url("mailto:a@b.org?subject=Hi%20there"),
            "mailto:a@b.org?subject=Hi%20there"
        );
    }
}
