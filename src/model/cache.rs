//! Reuse of converted section files between builds (watch mode).
//!
//! Converting a file's Markdown into blocks depends on its expanded text (and the map
//! back to its source), on the number of footnotes before it (references get book-wide
//! ids), on the briefing folder and language, and on the data sets its briefing blocks
//! read (charts and timelines name them in their text). A file whose inputs are all
//! equal to last time gets its previous blocks and diagnostics back; the book-wide steps
//! (sections, numbers, anchors, links) always run again. Images are read again on every
//! build but decoded only when their bytes changed (see `images/mod.rs`).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::images::ImageMemo;
use super::markdown::{FileNotes, Item};
use crate::diag::{Diagnostic, FileId};
use crate::source::DataSet;
use crate::template::Expanded;

/// Converted files kept from the previous build.
#[derive(Debug, Default)]
pub struct ModelCache {
    files: HashMap<FileId, Entry>,
    /// Files converted (not reused) by the last build.
    pub converted: usize,
    /// Keep nothing (a single build: `build`, `check`).
    pub one_shot: bool,
    /// Images checked by earlier builds, by the SHA-256 of their bytes.
    pub images: ImageMemo,
}

/// What a file's conversion depends on.
#[derive(Debug, PartialEq)]
pub(super) struct Inputs {
    pub expanded: Expanded,
    pub note_base: usize,
    pub root: PathBuf,
    pub language: String,
    pub reads: Vec<(String, DataSet)>,
    /// Every data set name (a data set added since may be one the text names).
    pub names: Vec<String>,
}

impl Inputs {
    /// The inputs of converting `expanded` (data sets: those named in its text).
    pub fn new(
        expanded: &Expanded,
        note_base: usize,
        root: &std::path::Path,
        language: &str,
        data: &BTreeMap<String, DataSet>,
    ) -> Self {
        let reads = crate::template::data_read_by(&expanded.text, data)
            .map(|(n, set)| (n.clone(), set.clone()))
            .collect();
        Self {
            expanded: expanded.clone(),
            note_base,
            root: root.to_path_buf(),
            language: language.to_string(),
            reads,
            names: data.keys().cloned().collect(),
        }
    }
}

/// A converted file.
#[derive(Debug, Clone)]
pub(super) struct Converted {
    pub items: Vec<Item>,
    pub notes: FileNotes,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug)]
struct Entry {
    inputs: Inputs,
    converted: Converted,
}

impl ModelCache {
    /// Starts a build.
    pub(super) fn begin(&mut self) {
        self.converted = 0;
    }

    /// The previous conversion of a file, if its inputs are unchanged.
    pub(super) fn get(
        &self,
        expanded: &Expanded,
        note_base: usize,
        root: &std::path::Path,
        language: &str,
        data: &BTreeMap<String, DataSet>,
    ) -> Option<&Converted> {
        let e = self.files.get(&expanded.file)?;
        let i = &e.inputs;
        let same = i.note_base == note_base
            && i.expanded == *expanded
            && i.root == root
            && i.language == language
            && data.keys().eq(i.names.iter())
            && i.reads.iter().all(|(n, old)| data.get(n) == Some(old));
        same.then_some(&e.converted)
    }

    /// Records a fresh conversion.
    pub(super) fn put(&mut self, inputs: impl FnOnce() -> Inputs, converted: &Converted) {
        self.converted += 1;
        if self.one_shot {
            return;
        }
        let entry = Entry { inputs: inputs(), converted: converted.clone() };
        self.files.insert(entry.inputs.expanded.file, entry);
    }
}
