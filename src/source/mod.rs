//! Loading: the briefing folder read into a typed [`Project`].
//!
//! The manifest is parsed first; then every section file and data set it names is
//! read. Loading goes on after a problem so that one run reports every error.

mod csv;
mod data;
pub mod editions;
pub mod manifest;
mod recipients;
mod resolve;
mod rows;
mod section;
mod toml_data;

pub use data::{ColumnLang, ColumnType, DataColumn, DataSet, Value};
pub use recipients::Recipients;
pub use rows::{Row, Rows};
pub use section::{SectionFile, SectionOptions};

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::{DiagResult, Diagnostic, FileId, Sink, SourceMap, Span};
use crate::layout::LayoutOptions;
use crate::limits;
use crate::model::Meta;
use crate::world::{FileError, World};
use manifest::Manifest;

/// The manifest's file name inside a briefing folder.
pub const MANIFEST: &str = "briefing.toml";

/// Settings from outside the briefing folder.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `SOURCE_DATE_EPOCH`: seconds since 1970, for reproducible dates.
    pub source_date_epoch: Option<i64>,
    /// The edition to build (`None`: the first declared, or the plain book).
    pub edition: Option<String>,
}

/// A briefing folder, loaded and typed.
#[derive(Debug, Clone)]
pub struct Project {
    /// The briefing folder.
    pub root: PathBuf,
    /// The manifest as written.
    pub manifest: Manifest,
    /// The manifest's file.
    pub manifest_file: FileId,
    /// Book metadata resolved from `[book]`.
    pub meta: Meta,
    /// Print settings resolved from `[layout]` and `[fonts]`.
    pub layout: LayoutOptions,
    /// Numbering settings from `[layout]`.
    pub numbering: Numbering,
    /// Section files in reading order.
    pub sections: Vec<SectionFile>,
    /// Data sets by name.
    pub data: BTreeMap<String, DataSet>,
    /// The edition this project is (`None`: the plain book, no editions declared).
    pub edition: Option<String>,
    /// Every edition the manifest declares, in order.
    pub editions: Vec<String>,
    /// The numbered copies of this edition (`None`: one unnumbered book).
    pub recipients: Option<Recipients>,
}

/// How headings are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numbering {
    /// Whether headings are numbered at all.
    pub enabled: bool,
    /// The deepest level that gets a number (1 = chapters only).
    pub depth: u8,
}

impl Project {
    /// The output folder (checked to lie inside the briefing folder when loaded).
    pub fn output_dir(&self) -> PathBuf {
        self.root.join(self.manifest.output.dir.get_ref())
    }

    /// The output file stem (checked to be a plain file name when loaded).
    pub fn output_stem(&self) -> &str {
        self.manifest.output.stem.get_ref()
    }
}

/// Reads the briefing in `world`. Returns the project and its warnings, or every error found.
pub fn load_project(
    world: &World,
    sources: &mut SourceMap,
    options: &LoadOptions,
) -> DiagResult<(Project, Vec<Diagnostic>)> {
    let root = world.root();
    let manifest_path = world.path(MANIFEST);
    let text = world.read_text(MANIFEST, limits::MANIFEST_BYTES).map_err(|e| {
        let hint = match e {
            FileError::NotFound => "run `briefbook init DIR` to create a new briefing",
            FileError::TooLarge { .. } => {
                "a manifest is a few kilobytes; is this the right file?"
            }
            _ => e.hint(),
        };
        vec![Diagnostic::spanless(format!(
            "failed to read `{}` ({e})",
            manifest_path.display()
        ))
        .with_hint(hint)]
    })?;
    let manifest_file = sources.add(MANIFEST, &manifest_path, text);
    let manifest: Manifest = parse_toml(manifest_file, &sources.get(manifest_file).text)?;

    let mut sink = Sink::default();
    let all_editions = editions::names(&manifest);
    let book_language = manifest.book.language.get_ref().clone();
    let Some((manifest, edition)) =
        editions::view(&manifest, options.edition.as_deref(), manifest_file, &mut sink)
    else {
        return Err(sink.diagnostics);
    };
    let meta = resolve::meta(&manifest, manifest_file, options, &mut sink);
    let (layout, numbering) = resolve::layout(
        &manifest,
        manifest_file,
        world,
        meta.as_ref(),
        sources,
        &mut sink,
    );

    resolve::output(&manifest, manifest_file, world, &mut sink);

    let mut sections = Vec::new();
    for entry in &manifest.contents.sections {
        let span = Span::new(manifest_file, entry.span());
        if let Some(s) = sink.take(section::load(world, entry.get_ref(), span, sources)) {
            sections.push(s);
        }
    }
    if let Some(e) = edition.as_ref().filter(|e| e.sections.is_none()) {
        let language = e.language.as_ref().map_or(&book_language, |l| l.get_ref());
        sections = editions::by_language(sections, &book_language, language);
        if sections.is_empty() && !sink.has_errors() {
            sink.push(
                Diagnostic::error(
                    Span::new(manifest_file, e.name.span()),
                    format!("edition `{}` has no sections in `{language}`", e.name.get_ref()),
                )
                .with_hint("mark sections with `language = \"…\"` in their front matter, or list them in the edition's `sections`"),
            );
        }
    }
    if manifest.contents.sections.is_empty() {
        sink.push(
            Diagnostic::error(
                Span::file_start(manifest_file),
                "the book has no sections",
            )
            .with_hint("list section files in `[contents] sections = [...]`"),
        );
    }

    let mut data = BTreeMap::new();
    for (name, spec) in &manifest.data {
        let span = Span::new(manifest_file, spec.span());
        if let Some(set) =
            sink.take(data::load(world, name, spec.get_ref(), span, sources))
        {
            data.insert(name.clone(), set);
        }
    }

    let recipients = edition.as_ref().and_then(|e| {
        recipients::load(e, &data, meta.as_ref(), manifest_file, &mut sink)
    });

    if sink.has_errors() {
        return Err(sink.diagnostics);
    }
    let (Some(meta), Some(layout)) = (meta, layout) else {
        return Err(sink.diagnostics);
    };
    let project = Project {
        root: root.to_path_buf(),
        manifest,
        manifest_file,
        meta,
        layout,
        numbering,
        sections,
        data,
        edition: edition.map(|e| e.name.into_inner()),
        editions: all_editions,
        recipients,
    };
    Ok((project, sink.diagnostics))
}

/// Parses a TOML file, checking first that it nests no deeper than the limit (the
/// deserialisers recurse; see [`crate::nesting`]).
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: FileId,
    text: &str,
) -> DiagResult<T> {
    if let Err(e) = crate::nesting::toml::check(text) {
        return Err(vec![e.diagnostic(Span::new(file, e.range.clone()))]);
    }
    toml::from_str(text).map_err(|e| vec![toml_error(file, &e)])
}

/// A TOML parse or type error as a diagnostic at its span.
pub(crate) fn toml_error(file: FileId, error: &toml::de::Error) -> Diagnostic {
    let range = error.span().unwrap_or(0..0);
    let message = error.message().trim().to_string();
    let mut d =
        Diagnostic::error(Span::new(file, range), format!("invalid TOML: {message}"));
    if message.starts_with("unknown field") {
        d = d.with_hint("check the spelling; see docs/format.md for the accepted keys");
    }
    d
}
