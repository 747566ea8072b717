//! The front half of the pipeline, shared by `build` and `check`: load → expand → model.

use std::path::Path;

use crate::diag::{DiagResult, Diagnostic, SourceMap};
use crate::model::{build_document, Document};
use crate::source::{load_project, LoadOptions, Project};
use crate::template::expand_templates;

/// A briefing loaded and turned into its document model.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The loaded project (manifest, data sets, settings).
    pub project: Project,
    /// The document model both writers consume.
    pub document: Document,
}

/// Loads the briefing in `root` and builds its document. Warnings go to `warnings`;
/// the error list holds every error found by the first stage that failed.
pub fn compile(
    root: &Path,
    sources: &mut SourceMap,
    options: &LoadOptions,
    warnings: &mut Vec<Diagnostic>,
) -> DiagResult<Compiled> {
    let (project, w) = load_project(root, sources, options)?;
    warnings.extend(w);
    let expanded = expand_templates(&project, sources)?;
    let (document, w) = build_document(&project, &expanded)?;
    warnings.extend(w);
    Ok(Compiled { project, document })
}
