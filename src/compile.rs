//! The front half of the pipeline, shared by `build`, `check`, `watch` and library users:
//! load → expand → model.

use std::time::Instant;

use crate::diag::{DiagResult, Diagnostic, SourceMap};
use crate::memo::Memo;
use crate::model::{build_document_with, Document};
use crate::source::{load_project, LoadOptions, Project};
use crate::template::expand_templates_with;
use crate::world::World;

/// A briefing loaded and turned into its document model.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The loaded project (manifest, data sets, settings).
    pub project: Project,
    /// The document model both writers consume.
    pub document: Document,
    /// Milliseconds spent in each stage (`load`, `expand`, `model`).
    pub timings: Vec<(&'static str, f64)>,
}

/// Loads the briefing in `world` and builds its document. Warnings go to `warnings`;
/// the error list holds every error found by the first stage that failed.
pub fn compile(
    world: &World,
    sources: &mut SourceMap,
    options: &LoadOptions,
    warnings: &mut Vec<Diagnostic>,
) -> DiagResult<Compiled> {
    compile_with(world, sources, options, warnings, &Memo::new(), &mut |_| {})
}

/// [`compile`], reusing the work in `cache` (and filling it), and calling `starting`
/// with each stage's name before it runs (for progress). A build with a filled cache
/// gives the same document as one with an empty cache.
pub fn compile_with(
    world: &World,
    sources: &mut SourceMap,
    options: &LoadOptions,
    warnings: &mut Vec<Diagnostic>,
    memo: &Memo,
    starting: &mut dyn FnMut(&'static str),
) -> DiagResult<Compiled> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, clock.elapsed().as_secs_f64() * 1000.0));
        clock = Instant::now();
    };

    starting("load");
    let (project, w) = load_project(world, sources, options)?;
    lap("load", &mut timings);
    warnings.extend(w);

    starting("expand");
    let expanded = expand_templates_with(&project, sources, memo)?;
    lap("expand", &mut timings);

    starting("model");
    let (document, w) = build_document_with(&project, &expanded, world, memo)?;
    lap("model", &mut timings);
    warnings.extend(w);
    Ok(Compiled { project, document, timings })
}
