//! Collecting inline content into styled pieces (the input of line breaking).

use super::super::frame::LinkDest;
use super::super::shape::{Role, TextStyle};
use super::super::units::{Color, Pt};
use crate::diag::Span;
use crate::model::{Document, Inline, InlineKind, LinkTarget};

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
        }
    }
}

/// Flattens inline content into styled pieces.
pub fn collect(
    doc: &Document,
    inlines: &[Inline],
    style: TextStyle,
    out: &mut Vec<Piece>,
) {
    collect_inner(doc, inlines, style, None, false, out);
}

fn collect_inner(
    doc: &Document,
    inlines: &[Inline],
    style: TextStyle,
    link: Option<&LinkDest>,
    strike: bool,
    out: &mut Vec<Piece>,
) {
    for inline in inlines {
        let span = Some(inline.span.clone());
        let mut push =
            |text: String, style: TextStyle, raise: Pt, link: Option<LinkDest>| {
                let span = span.clone();
                out.push(Piece { text, style, link, raise, span, strike, anchor: None });
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
                collect_inner(doc, c, style.italic_toggled(), link, strike, out);
            }
            InlineKind::Strong(c) => {
                collect_inner(doc, c, style.bold(), link, strike, out);
            }
            InlineKind::Strikethrough(c) => {
                collect_inner(doc, c, style.color(Color::GREY), link, true, out);
            }
            InlineKind::Link { target, content } => {
                let dest = match target {
                    LinkTarget::Url(u) => LinkDest::Url(u.clone()),
                    LinkTarget::Anchor(a) => LinkDest::Anchor(a.clone()),
                };
                collect_inner(
                    doc,
                    content,
                    style.color(Color::ACCENT),
                    Some(&dest),
                    strike,
                    out,
                );
            }
            InlineKind::FootnoteRef(id) => {
                let Some(note) = doc.footnotes.get(id.0) else { continue };
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

impl TextStyle {
    /// The same style with italic switched (emphasis inside italic text becomes upright).
    pub fn italic_toggled(mut self) -> Self {
        self.italic = !self.italic;
        self
    }
}
