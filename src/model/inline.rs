//! Inline content: runs of text and the markup inside a paragraph.

use crate::diag::Span;

use super::FootnoteId;

/// One inline node with its source span.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Inline {
    /// What the node is.
    pub kind: InlineKind,
    /// Where it came from.
    pub span: Span,
}

/// The kinds of inline content.
#[derive(Debug, Clone, PartialEq, Hash)]
pub enum InlineKind {
    /// Literal text, never interpreted further.
    Text(String),
    /// Emphasis (usually italic).
    Emphasis(Vec<Inline>),
    /// Strong emphasis (usually bold).
    Strong(Vec<Inline>),
    /// Struck-out text.
    Strikethrough(Vec<Inline>),
    /// Inline code.
    Code(String),
    /// A link to a place in the book or on the web.
    Link {
        /// Where the link goes.
        target: LinkTarget,
        /// The link text.
        content: Vec<Inline>,
    },
    /// A reference to a footnote.
    FootnoteRef(FootnoteId),
    /// A forced line break.
    LineBreak,
    /// Content in a language other than the surrounding text's (see `model::lang`).
    Lang {
        /// A BCP 47 tag (`kk`, `zh-Hans`).
        lang: String,
        /// The content in that language.
        content: Vec<Inline>,
    },
}

/// Where a link points.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// An external address (`https://…`, `mailto:…`).
    Url(String),
    /// An anchor in the book (a heading anchor, without `#`).
    Anchor(String),
}

impl Inline {
    /// A text node.
    pub fn text(text: impl Into<String>, span: Span) -> Self {
        Self { kind: InlineKind::Text(text.into()), span }
    }
}

/// The text of inline content with all markup removed (footnote references dropped).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(&mut out, inlines);
    out
}

fn push_plain(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(t) | InlineKind::Code(t) => out.push_str(t),
            InlineKind::Emphasis(c)
            | InlineKind::Strong(c)
            | InlineKind::Strikethrough(c)
            | InlineKind::Link { content: c, .. }
            | InlineKind::Lang { content: c, .. } => push_plain(out, c),
            InlineKind::FootnoteRef(_) => {}
            InlineKind::LineBreak => out.push(' '),
        }
    }
}
