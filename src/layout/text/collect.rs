//! Collecting inline content into styled pieces (the input of line breaking).

use std::ops::Range;
use std::sync::Arc;

use super::super::frame::LinkDest;
use super::super::inputs::NotesView;
use super::super::shape::{Role, TextStyle};
use crate::diag::Span;
use crate::geom::{Color, Pt};
use crate::model::{Inline, InlineKind, LinkTarget};

/// A run of text in one style, before line breaking.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The text (`\n` is a forced line break).
    pub text: String,
    /// How it looks.
    pub style: TextStyle,
    /// Where it links to.
    pub link: Option<LinkDest>,
    /// How far the baseline is raised (footnote references).
    pub raise: Pt,
    /// Where it came from, for warnings.
    pub span: Option<Span>,
    /// Struck out.
    pub strike: bool,
    /// An anchor placed where the piece starts (footnote references).
    pub anchor: Option<String>,
    /// Parts of the text in a language other than the book's (byte ranges into
    /// `text`, with their BCP 47 tags), for the structure tags of tagged PDF.
    pub langs: Vec<(Range<usize>, Arc<str>)>,
}

impl Piece {
    /// A piece of plain text.
    pub fn plain(text: impl Into<String>, style: TextStyle) -> Self {
        Self {
            text: text.into(),
            style,
            link: None,
            raise: Pt::ZERO,
            span: None,
            strike: false,
            anchor: None,
            langs: Vec::new(),
        }
    }
}

/// Flattens inline content into styled pieces; runs in a language other than the book's
/// (`language`) are marked for the writer.
pub fn collect(
    notes: &NotesView,
    language: &str,
    inlines: &[Inline],
    style: TextStyle,
    out: &mut Vec<Piece>,
) {
    collect_inner(notes, language, inlines, style, None, false, out);
}

fn collect_inner(
    notes: &NotesView,
    language: &str,
    inlines: &[Inline],
    style: TextStyle,
    link: Option<&LinkDest>,
    strike: bool,
    out: &mut Vec<Piece>,
) {
    // Whether the last piece pushed at this level came from a text run or a language
    // span: a language span is set as if its text were part of its neighbours (the
    // same piece), so tagging a name's language never changes how a line is set.
    let (mut after_text, mut after_lang) = (false, false);
    for inline in inlines {
        if let InlineKind::Lang { content, lang } = &inline.kind {
            let start = out.len();
            collect_inner(notes, language, content, style, link, strike, out);
            // Only a language other than the book's is marked (`model::lang` decides
            // the language of a run once; this only records it for the writer).
            if !lang.eq_ignore_ascii_case(language) {
                let tag: Arc<str> = lang.as_str().into();
                for p in &mut out[start..] {
                    if p.langs.is_empty() && !p.text.is_empty() {
                        p.langs.push((0..p.text.len(), tag.clone()));
                    }
                }
            }
            if (after_text || after_lang) && start > 0 && start < out.len() {
                merge(out, start);
            }
            (after_text, after_lang) = (false, true);
            continue;
        }
        if let InlineKind::Text(t) = &inline.kind {
            if after_lang {
                if let Some(last) = out.last_mut() {
                    let same = last.style == style
                        && last.link.as_ref() == link
                        && last.raise == Pt::ZERO
                        && last.strike == strike
                        && last.anchor.is_none();
                    if same {
                        last.text.push_str(t);
                        (after_text, after_lang) = (true, false);
                        continue;
                    }
                }
            }
        }
        after_text = matches!(inline.kind, InlineKind::Text(_));
        after_lang = false;
        let span = Some(inline.span.clone());
        let mut push =
            |text: String, style: TextStyle, raise: Pt, link: Option<LinkDest>| {
                let span = span.clone();
                out.push(Piece {
                    text,
                    style,
                    link,
                    raise,
                    span,
                    strike,
                    anchor: None,
                    langs: Vec::new(),
                });
            };
        match &inline.kind {
            InlineKind::Text(t) => push(t.clone(), style, Pt::ZERO, link.cloned()),
            InlineKind::Code(t) => {
                let mut s = style;
                s.role = Role::Mono;
                s.size = style.size * 0.9;
                push(t.clone(), s, Pt::ZERO, link.cloned());
            }
            InlineKind::LineBreak => push("\n".into(), style, Pt::ZERO, None),
            InlineKind::Emphasis(c) => {
                // Ideographs have no italic: emphasis in a CJK book is bold.
                let style = if super::is_cjk_language(language) {
                    style.bold()
                } else {
                    style.italic_toggled()
                };
                collect_inner(notes, language, c, style, link, strike, out);
            }
            InlineKind::Strong(c) => {
                collect_inner(notes, language, c, style.bold(), link, strike, out);
            }
            InlineKind::Strikethrough(c) => {
                collect_inner(
                    notes,
                    language,
                    c,
                    style.color(Color::GREY),
                    link,
                    true,
                    out,
                );
            }
            InlineKind::Link { target, content } => {
                let dest = match target {
                    LinkTarget::Url(u) => LinkDest::Url(u.clone()),
                    LinkTarget::Anchor(a) => LinkDest::Anchor(a.clone()),
                };
                collect_inner(
                    notes,
                    language,
                    content,
                    style.color(Color::ACCENT),
                    Some(&dest),
                    strike,
                    out,
                );
            }
            InlineKind::Lang { .. } => {}
            InlineKind::FootnoteRef(id) => {
                let Some(note) = notes.get(id.0) else { continue };
                let s = style.sized(style.size * 0.68).color(Color::ACCENT);
                let dest = LinkDest::Anchor(note.anchor.clone());
                push(note.number.to_string(), s, style.size * 0.36, Some(dest));
                if let Some(last) = out.last_mut() {
                    last.anchor = Some(note.ref_anchor.clone());
                }
            }
        }
    }
}

/// Joins `out[at]` to the piece before it when they differ only in their text.
fn merge(out: &mut Vec<Piece>, at: usize) {
    let (a, b) = (&out[at - 1], &out[at]);
    let same = a.style == b.style
        && a.link == b.link
        && a.raise == b.raise
        && a.strike == b.strike
        && a.anchor.is_none()
        && b.anchor.is_none();
    if same {
        let b = out.remove(at);
        let a = &mut out[at - 1];
        let offset = a.text.len();
        a.text.push_str(&b.text);
        a.langs.extend(
            b.langs.into_iter().map(|(r, l)| (r.start + offset..r.end + offset, l)),
        );
    }
}

impl TextStyle {
    /// The same style with italic switched (emphasis inside italic text becomes upright).
    pub fn italic_toggled(mut self) -> Self {
        self.italic = !self.italic;
        self
    }
}
