//! Loading: the briefing folder read into a typed [`Project`].
//!
//! The manifest is parsed first; then every section file and data set it names is
//! read. Loading goes on after a problem so that one run reports every error.

mod classify;
mod csv;
mod data;
pub mod editions;
pub mod manifest;
mod recipients;
mod regions;
mod resolve;
mod rows;
mod section;
mod toml_data;

pub use classify::{Entry, Levels, Selection};
pub use data::{ColumnLang, ColumnType, DataColumn, DataSet, Value};
pub use recipients::Recipients;
pub use rows::{Row, Rows};
pub use section::{SectionFile, SectionOptions};

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::LayoutOptions;
use crate::config::Meta;
use crate::diag::{DiagResult, Diagnostic, FileId, Sink, SourceMap, Span};
use crate::limits;
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
    /// The classification levels, when the manifest declares them.
    pub levels: Option<Levels>,
    /// Which sections and regions this edition holds, and its highest level.
    pub selection: Selection,
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
    let original = manifest.clone();
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

    let mut loaded = Vec::new();
    for entry in &manifest.contents.sections {
        let span = Span::new(manifest_file, entry.span());
        if let Some(s) = sink.take(section::load(world, entry.get_ref(), span, sources)) {
            loaded.push(s);
        }
    }
    // An edition without a list of sections takes those in its language.
    let language = edition
        .as_ref()
        .filter(|e| e.sections.is_none())
        .map(|e| e.language.as_ref().map_or(&book_language, |l| l.get_ref()).clone());
    let wanted = |s: &SectionFile| {
        language.as_ref().is_none_or(|l| editions::in_language(s, &book_language, l))
    };
    let levels = classify::Levels::read(&original, manifest_file, &mut sink);
    let clearance = match &edition {
        Some(e) => classify::Clearance::of(e, levels.as_ref(), manifest_file, &mut sink),
        None => classify::Clearance::all(),
    };
    let known = classify::audiences(&original);
    let (sections, selection) = classify::select(
        loaded,
        &wanted,
        &clearance,
        levels.as_ref(),
        &known,
        sources,
        &mut sink,
    );
    if let Some(e) = &edition {
        if sections.is_empty() && !sink.has_errors() {
            let why = match &language {
                Some(l) => format!("in `{l}` "),
                None => String::new(),
            };
            sink.push(
                Diagnostic::error(
                    Span::new(manifest_file, e.name.span()),
                    format!("edition `{}` holds no section {why}at its level and audiences", e.name.get_ref()),
                )
                .with_hint("mark sections with `language`, `level` or `audience` in their front matter, or list them in the edition's `sections`"),
            );
        }
    }
    let meta = meta.map(|mut meta| {
        if let Some(e) = &edition {
            shared_identifier(&original, e, &mut meta);
        }
        marking(
            &original,
            edition.as_ref(),
            levels.as_ref(),
            &selection,
            &mut meta,
            manifest_file,
            &mut sink,
        );
        meta
    });
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
        levels,
        selection,
        recipients,
    };
    Ok((project, sink.diagnostics))
}

/// Editions that share a title, edition statement and event would derive the same
/// identifier, and a reader's library would take one for the other; such an edition's
/// identifier is derived with its name as well. (Editions that differ keep the identifier
/// of the plain book.)
fn shared_identifier(
    manifest: &Manifest,
    edition: &manifest::EditionSection,
    meta: &mut Meta,
) {
    if manifest.book.identifier.is_some() {
        return;
    }
    let facts = |e: &manifest::EditionSection| {
        let b = e.book.clone().unwrap_or_default();
        let book = &manifest.book;
        (
            b.title.unwrap_or_else(|| book.title.clone()),
            b.edition.or_else(|| book.edition.clone()),
            b.event.or_else(|| book.event.clone()),
        )
    };
    let mine = facts(edition);
    let shared =
        manifest.editions.iter().filter(|e| facts(e.get_ref()) == mine).count() > 1;
    if shared {
        let key = format!("{}|edition:{}", meta.identifier, edition.name.get_ref());
        meta.identifier = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, key.as_bytes());
    }
}

/// Sets the book's marking: with levels declared, the marking of the highest level the
/// edition holds (a marking typed in `[book]` would contradict it, so it is an error);
/// otherwise `[book] classification`, which is then required.
fn marking(
    manifest: &Manifest,
    edition: Option<&manifest::EditionSection>,
    levels: Option<&Levels>,
    selection: &Selection,
    meta: &mut Meta,
    file: FileId,
    sink: &mut Sink,
) {
    match levels {
        Some(levels) => {
            if let Some(c) = &manifest.book.classification {
                sink.push(
                    Diagnostic::error(Span::new(file, c.span()), "the marking is computed from `[classification]`")
                        .with_hint("remove `classification` from `[book]`; set the printed text of a level in `[classification.markings]`"),
                );
            }
            if let Some(e) = edition.filter(|e| e.book.as_ref().is_some_and(|b| b.classification.is_some())) {
                sink.push(
                    Diagnostic::error(Span::new(file, e.name.span()), "an edition's marking is computed from `[classification]`")
                        .with_hint("remove `classification` from `[editions.book]`; give the edition a `level`"),
                );
            }
            let level = selection.level.unwrap_or(0);
            let own = edition.and_then(|e| {
                levels.check_markings(&e.markings, file, sink);
                e.markings.get(levels.name(level))
            });
            meta.classification =
                own.map_or_else(|| levels.marking(level).to_string(), |t| t.get_ref().clone());
        }
        None if manifest.book.classification.is_none() => sink.push(
            Diagnostic::error(Span::file_start(file), "`[book]` has no `classification`")
                .with_hint("add `classification = \"UNCLASSIFIED\"` (the marking printed on every page), or declare `[classification] levels`"),
        ),
        None => {}
    }
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
