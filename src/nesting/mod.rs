//! Limits on how deeply the input may nest, checked before anything recursive runs.
//!
//! Markdown containers, inline markup, handlebars blocks and TOML tables can all be
//! nested without bound in the source, and several stages walk them recursively
//! (our Markdown conversion, layout and the EPUB writer; handlebars' parser, compiler
//! and renderer; serde's deserialisers; dropping the trees they build). Without a limit,
//! a file with 100,000 nested `>` aborts the build with a stack overflow and no message.
//!
//! So each kind of nesting has a limit far beyond any real briefing, and a linear,
//! non-recursive scan finds the first place where a file crosses it before the
//! recursive code sees the file: [`markdown`] over pulldown-cmark's events (its parser
//! keeps its tree in an arena and does not recurse), [`template`] over a handlebars
//! template's text, [`toml`] over a TOML document's tokens. The crossing becomes an
//! error at that place, and the file goes no further.

pub mod markdown;
pub mod template;
pub mod toml;

use std::ops::Range;

use crate::diag::{Diagnostic, Span};

/// The deepest nesting each kind of input may have.
pub const LIMIT: usize = 64;

/// What nests too deeply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Markdown block quotes, lists and footnotes, and asides (counted together).
    Blocks,
    /// Emphasis, strong emphasis, strikethrough, links and images in one paragraph.
    Inlines,
    /// Handlebars blocks (`{{#each}}`, `{{#if}}`, each `{{else if}}` of a chain) and the
    /// subexpressions and literals inside a mustache.
    Template,
    /// TOML tables (headers, dotted keys, inline tables) and arrays.
    Toml,
    /// A handlebars partial (`{{> name}}`): it may include itself, so its nesting has no
    /// bound that a scan of the text could see. Briefings have no use for partials.
    Partial,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Blocks => "block quotes, lists and asides",
            Kind::Inlines => "emphasis, links and strikethrough",
            Kind::Template => "handlebars blocks and subexpressions",
            Kind::Toml => "TOML tables and arrays",
            Kind::Partial => "handlebars partials",
        }
    }
}

/// The first place where the input nests deeper than [`LIMIT`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    /// What nests.
    pub kind: Kind,
    /// The opening of the construct one level too deep (byte range in the scanned text).
    pub range: Range<usize>,
}

impl TooDeep {
    /// The message, naming the limit.
    pub fn message(&self) -> String {
        match self.kind {
            Kind::Partial => {
                "handlebars partials (`{{> name}}`) are not supported".into()
            }
            kind => format!("{} are nested more than {LIMIT} levels deep", kind.what()),
        }
    }

    /// The hint that goes with the message.
    pub fn hint(&self) -> String {
        match self.kind {
            Kind::Partial => "a partial can include itself without end; write the text \
                 out, or repeat it with `{{#each}}`"
                .into(),
            _ => format!(
                "a briefing needs a few levels at most; flatten the structure \
                 (briefbook reads up to {LIMIT} levels, see \"Limits\" in docs/format.md)"
            ),
        }
    }

    /// The error at `span` (the place of [`TooDeep::range`] in its file).
    pub fn diagnostic(&self, span: Span) -> Diagnostic {
        Diagnostic::error(span, self.message()).with_hint(self.hint())
    }

    /// The same crossing in a text that starts `offset` bytes into the scanned one.
    pub fn shifted(mut self, offset: usize) -> Self {
        self.range = self.range.start + offset..self.range.end + offset;
        self
    }
}

/// A one-character range at `at` in `text` (the opening marker of a construct).
fn marker(text: &str, at: usize) -> Range<usize> {
    let len = text.get(at..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8);
    at..at + len
}
