//! Loading: the briefing folder read into a typed [`Project`].
//!
//! The manifest is parsed first; then every section file and data set it names is
//! read. Loading goes on after a problem so that one run reports every error.

mod csv;
mod data;
pub mod manifest;
mod resolve;
mod rows;
mod section;
mod toml_data;

pub use data::{ColumnType, DataColumn, DataSet, Value};
pub use rows::{Row, Rows};
pub use section::{SectionFile, SectionOptions};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{DiagResult, Diagnostic, FileId, Sink, SourceMap, Span};
use crate::layout::LayoutOptions;
use crate::model::Meta;
use manifest::Manifest;

/// The manifest's file name inside a briefing folder.
pub const MANIFEST: &str = "briefing.toml";

/// Settings from outside the briefing folder.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `SOURCE_DATE_EPOCH`: seconds since 1970, for reproducible dates.
    pub source_date_epoch: Option<i64>,
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
    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.root.join(&self.manifest.output.dir)
    }

    /// The output file stem.
    pub fn output_stem(&self) -> &str {
        &self.manifest.output.stem
    }
}

/// Reads the briefing in `root`. Returns the project and its warnings, or every error found.
pub fn load_project(
    root: &Path,
    sources: &mut SourceMap,
    options: &LoadOptions,
) -> DiagResult<(Project, Vec<Diagnostic>)> {
    let manifest_path = root.join(MANIFEST);
    let text = read_text(&manifest_path, crate::limits::MANIFEST_BYTES).map_err(|e| {
        let hint = if e.ends_with(TOO_LARGE) {
            "a manifest is a few kilobytes; is this the right file?"
        } else {
            "run `briefbook init DIR` to create a new briefing"
        };
        vec![Diagnostic::spanless(format!(
            "failed to read `{}` ({e})",
            manifest_path.display()
        ))
        .with_hint(hint)]
    })?;
    let manifest_file = sources.add(MANIFEST, &manifest_path, text);
    let manifest: Manifest = toml::from_str(&sources.get(manifest_file).text)
        .map_err(|e| vec![toml_error(manifest_file, &e)])?;

    let mut sink = Sink::default();
    let meta = resolve::meta(&manifest, manifest_file, options, &mut sink);
    let (layout, numbering) = resolve::layout(
        &manifest,
        manifest_file,
        root,
        meta.as_ref(),
        sources,
        &mut sink,
    );

    let mut sections = Vec::new();
    for entry in &manifest.contents.sections {
        let span = Span::new(manifest_file, entry.span());
        if let Some(s) = sink.take(section::load(root, entry.get_ref(), span, sources)) {
            sections.push(s);
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
            sink.take(data::load(root, name, spec.get_ref(), span, sources))
        {
            data.insert(name.clone(), set);
        }
    }

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
    };
    Ok((project, sink.diagnostics))
}

/// Reads a UTF-8 text file of at most `limit` bytes (see [`crate::limits`]), with a
/// message that names the problem.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // Reading one byte past the limit tells a file at the limit from a bigger one
    // without trusting its metadata (a pipe or a growing file has none that holds).
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {}, {TOO_LARGE}", crate::limits::show(limit)));
    }
    String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
}

/// The end of [`read_text`]'s message for a file over its limit.
pub(crate) const TOO_LARGE: &str = "the limit for this kind of file";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_its_limit_is_refused_before_it_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        std::fs::write(&path, "x".repeat(1024)).unwrap();
        assert_eq!(read_text(&path, 1024).unwrap().len(), 1024);
        let err = read_text(&path, 1023).unwrap_err();
        assert_eq!(err, format!("larger than 1023 bytes, {TOO_LARGE}"));
        std::fs::write(&path, b"ok \xff").unwrap();
        assert!(read_text(&path, 1024).unwrap_err().starts_with("not valid UTF-8"));
    }
}
