//! Chapters through the memo: a chapter page is rendered once for its inputs and
//! reused while they hold.
//!
//! A chapter page reads its section, its file name, its page-break markers, the book
//! language (`lang` attribute and `meta.language`), the marking, the locale (figure
//! labels, "Untitled section"), the anchors its links resolve to, the footnotes it
//! refers to (number, anchor, reference anchor), and the writer's reference count of
//! each of those footnotes when it starts (back-link ids like `fnref3-2`).
//!
//! The step's key holds the first six. What the chapter resolved (anchors and
//! footnotes) is only known once it is rendered, so the result records it and is
//! reused only while the document still has the same values ([`Memo::get_or_valid`]).
//! The reference counts are handled in two steps: [`ahead`] renders the chapter as if
//! no chapter before it referred to its footnotes (the usual case, so every chapter is
//! rendered on every thread); [`in_turn`], keyed by that step's key and the counts, is
//! asked only when the chapter's turn shows otherwise. A chapter that shows an image
//! or a chart is never kept: image names depend on what came before, and image files
//! are read from disk ([`Chapter`] is `None` for it).

use std::collections::{BTreeMap, HashMap};

use crate::diag::Diagnostic;
use crate::locale::Locale;
use crate::memo::Memo;
use crate::model::{Document, FlowPos, Section};

use super::xhtml::Writer;

/// The inputs of a chapter page that its key holds.
#[derive(Hash)]
pub(super) struct ChapterInputs<'a> {
    pub section: &'a Section,
    pub file: &'a str,
    pub marks: &'a [(String, FlowPos)],
    /// The `lang` attribute (the book language, or `und`).
    pub language: &'a str,
    /// `meta.language` as written (language spans in it are left out).
    pub book_language: &'a str,
    pub classification: &'a str,
    pub locale: &'a Locale,
}

/// What a chapter page shows of a footnote: its number, anchor and reference anchor.
type NoteValues = (u32, String, String);

/// What a chapter read beyond its key: anchors and where they resolved, footnotes and
/// their number, anchor and reference anchor.
#[derive(Clone, Default)]
pub(super) struct Reads {
    anchors: Vec<(String, Option<String>)>,
    notes: Vec<(usize, Option<NoteValues>)>,
}

impl Reads {
    /// Whether `doc` and `anchors` still give what was read.
    fn hold(&self, doc: &Document, anchors: &BTreeMap<String, String>) -> bool {
        self.anchors.iter().all(|(a, file)| anchors.get(a) == file.as_ref())
            && self.notes.iter().all(|(i, note)| note_values(doc, *i) == *note)
    }
}

/// The values of footnote `index` that a chapter page shows.
fn note_values(doc: &Document, index: usize) -> Option<NoteValues> {
    let n = doc.footnotes.get(index)?;
    Some((n.number, n.anchor.clone(), n.ref_anchor.clone()))
}

/// One footnote's references in a chapter: the writer's count before and after, and
/// the first reference if the chapter holds it.
#[derive(Clone)]
struct NoteUse {
    index: usize,
    before: u32,
    after: u32,
    first: Option<(String, String)>,
}

/// A rendered chapter page and what rendering it did to the writer.
pub(super) struct Chapter {
    page: String,
    notes: Vec<NoteUse>,
    diags: Vec<Diagnostic>,
    reads: Reads,
}

/// Renders a chapter page with a writer `w` (fresh, but for the starting reference
/// counts); `None` if it failed.
pub(super) type Render<'r> =
    dyn Fn(&mut Writer, &Section, &[(String, FlowPos)]) -> Option<String> + Sync + 'r;

/// The chapter rendered as if no chapter before it referred to its footnotes, and the
/// step's key. Safe to call from several threads.
pub(super) fn ahead(
    memo: &Memo,
    inputs: &ChapterInputs,
    (doc, anchors): (&Document, &BTreeMap<String, String>),
    render: &Render,
) -> (u128, std::sync::Arc<Option<Chapter>>) {
    memo.get_or_valid_keyed(
        "epub chapter",
        inputs,
        |c: &Option<Chapter>| c.as_ref().is_none_or(|c| c.reads.hold(doc, anchors)),
        || record(doc, anchors, inputs, &[], render),
    )
}

/// The chapter after a writer whose reference counts are those of `w` (for the
/// footnotes `ahead` found it refers to); `key` is `ahead`'s key.
pub(super) fn in_turn(
    memo: &Memo,
    (key, ahead): (u128, &Chapter),
    inputs: &ChapterInputs,
    (doc, anchors): (&Document, &BTreeMap<String, String>),
    w: &Writer,
    render: &Render,
) -> std::sync::Arc<Option<Chapter>> {
    let counts: Vec<(usize, u32)> = ahead
        .notes
        .iter()
        .map(|n| (n.index, w.ref_counts.get(n.index).copied().unwrap_or(0)))
        .collect();
    memo.get_or_valid(
        "epub chapter in turn",
        &(key, &counts),
        |c: &Option<Chapter>| c.as_ref().is_none_or(|c| c.reads.hold(doc, anchors)),
        || record(doc, anchors, inputs, &counts, render),
    )
}

/// Renders the chapter with a fresh writer that starts at `counts`, and records what
/// it did; `None` if it showed an image or a chart, or failed.
fn record(
    doc: &Document,
    anchors: &BTreeMap<String, String>,
    inputs: &ChapterInputs,
    counts: &[(usize, u32)],
    render: &Render,
) -> Option<Chapter> {
    let mut w = Writer::new(doc, anchors);
    w.file = inputs.file.to_string();
    for &(i, count) in counts {
        if let Some(c) = w.ref_counts.get_mut(i) {
            *c = count;
        }
    }
    let page = render(&mut w, inputs.section, inputs.marks)?;
    if w.media_uses != 0 {
        return None;
    }
    let mut notes: Vec<NoteUse> = Vec::new();
    // Where each note is in `notes` (a chapter may reference thousands).
    let mut at: HashMap<usize, usize> = HashMap::new();
    for &index in &w.note_refs {
        match at.get(&index) {
            Some(&k) => notes[k].before -= 1,
            None => {
                at.insert(index, notes.len());
                notes.push(NoteUse {
                    index,
                    before: w.ref_counts[index] - 1,
                    after: w.ref_counts[index],
                    first: None,
                });
            }
        }
    }
    for n in &mut notes {
        if n.before == 0 {
            n.first = w.first_refs[n.index].clone();
        }
    }
    let reads = Reads {
        anchors: w
            .anchors_read
            .iter()
            .map(|a| (a.clone(), anchors.get(a).cloned()))
            .collect(),
        notes: w.notes_read.iter().map(|&i| (i, note_values(doc, i))).collect(),
    };
    Some(Chapter { page, notes, diags: w.diags, reads })
}

impl Chapter {
    /// The page, if the writer's footnote counts are those the chapter was rendered
    /// after; its effects on the writer (footnote counts, first references, warnings)
    /// are replayed.
    pub(super) fn replay(&self, w: &mut Writer) -> Option<String> {
        if !self.notes.iter().all(|n| w.ref_counts.get(n.index) == Some(&n.before)) {
            return None;
        }
        for n in &self.notes {
            w.ref_counts[n.index] = n.after;
            if let Some(first) = &n.first {
                w.first_refs[n.index] = Some(first.clone());
            }
            let uses = (n.after - n.before) as usize;
            w.note_refs.extend(std::iter::repeat_n(n.index, uses));
        }
        w.diags.extend(self.diags.iter().cloned());
        Some(self.page.clone())
    }
}
