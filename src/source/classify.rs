//! Classification levels and audiences: which sections and regions an edition holds,
//! and the marking it carries.
//!
//! Content is marked in its source (a section's front matter `level`/`audience`, a
//! region's `level=`/`audience=`; see [`super::regions`]). An edition holds content whose
//! level is at most its own and whose audiences, if any are named, include one of its
//! own. Content an edition may not hold is blanked out of the section text in the source
//! map before templates are expanded, so no later stage can see it; numbering, notes,
//! contents and links are then made from what is left, as for any book.

use std::collections::BTreeSet;
use std::ops::Range;

use super::manifest::{EditionSection, Manifest};
use super::regions::{self, Region};
use super::SectionFile;
use crate::diag::{Diagnostic, FileId, Sink, SourceMap, Span};

/// The ordered levels of `[classification]`.
#[derive(Debug, Clone)]
pub struct Levels {
    names: Vec<String>,
    /// The level of content that names none.
    default: usize,
    /// The marking printed for each level.
    markings: Vec<String>,
    /// Each page carries the highest level on it (`page-marking = "per-page"`).
    pub per_page: bool,
}

impl Levels {
    /// The levels the manifest declares, or `None` without `[classification]`.
    pub(super) fn read(
        manifest: &Manifest,
        file: FileId,
        sink: &mut Sink,
    ) -> Option<Levels> {
        let c = manifest.classification.as_ref()?.get_ref();
        let names: Vec<String> =
            c.levels.get_ref().iter().map(|l| l.get_ref().clone()).collect();
        for (i, l) in c.levels.get_ref().iter().enumerate() {
            if l.get_ref().trim().is_empty() || l.get_ref().contains(char::is_whitespace)
            {
                sink.push(
                    Diagnostic::error(Span::new(file, l.span()), "a level name is one word")
                        .with_hint("e.g. `RESTRICTED`; set the printed text in `[classification.markings]`"),
                );
            }
            if names[..i].contains(l.get_ref()) {
                sink.push(Diagnostic::error(
                    Span::new(file, l.span()),
                    format!("level `{}` is declared twice", l.get_ref()),
                ));
            }
        }
        if names.is_empty() {
            sink.push(
                Diagnostic::error(Span::new(file, c.levels.span()), "no levels are declared")
                    .with_hint("list them lowest first: `levels = [\"UNCLASSIFIED\", \"RESTRICTED\"]`"),
            );
            return None;
        }
        let mut levels =
            Levels { markings: names.clone(), names, default: 0, per_page: false };
        if let Some(d) = &c.default {
            levels.default = levels.find(d.get_ref(), Span::new(file, d.span()), sink)?;
        }
        levels.check_markings(&c.markings, file, sink);
        for (name, text) in &c.markings {
            if let Some(i) = levels.index(name) {
                levels.markings[i] = text.get_ref().clone();
            }
        }
        if let Some(p) = &c.page_marking {
            match p.get_ref().as_str() {
                "book" => {}
                "per-page" => levels.per_page = true,
                other => sink.push(Diagnostic::error(
                    Span::new(file, p.span()),
                    format!(
                        "`page-marking` is `\"book\"` or `\"per-page\"`, not `{other:?}`"
                    ),
                )),
            }
        }
        Some(levels)
    }

    /// The index of level `name`; an unknown name is an error at `span`.
    fn find(&self, name: &str, span: Span, sink: &mut Sink) -> Option<usize> {
        let found = self.names.iter().position(|n| n == name);
        if found.is_none() {
            let mut d = Diagnostic::error(
                span,
                format!("`{name}` is not a classification level"),
            )
            .with_hint(format!("levels (lowest first): {}", self.names.join(", ")));
            if let Some(n) = self.names.iter().find(|n| n.eq_ignore_ascii_case(name)) {
                d = d.with_hint(format!("did you mean `{n}`?"));
            }
            sink.push(d);
        }
        found
    }

    /// Reports each key of a `markings` table (the manifest's or an edition's) that
    /// names no level.
    pub(super) fn check_markings(
        &self,
        markings: &std::collections::BTreeMap<String, toml::Spanned<String>>,
        file: FileId,
        sink: &mut Sink,
    ) {
        for (name, text) in markings {
            if self.index(name).is_none() {
                sink.push(
                    Diagnostic::error(
                        Span::new(file, text.span()),
                        format!("`markings` names `{name}`, which is not a level"),
                    )
                    .with_hint(format!("levels: {}", self.names.join(", "))),
                );
            }
        }
    }

    /// The level called `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The names, lowest first.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The level of content that names none.
    pub fn default_level(&self) -> usize {
        self.default
    }

    /// A level's name.
    pub fn name(&self, level: usize) -> &str {
        &self.names[level]
    }

    /// The marking printed for a level.
    pub fn marking(&self, level: usize) -> &str {
        &self.markings[level]
    }
}

/// Who may read a piece of content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restriction {
    /// Its level (`None`: the default level).
    pub level: Option<usize>,
    /// The audiences it is for (`None`: everyone).
    pub audience: Option<BTreeSet<String>>,
}

impl Restriction {
    /// This restriction inside `outer`: the higher level, the audiences both allow.
    fn within(&self, outer: &Restriction) -> Restriction {
        let level = match (self.level, outer.level) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let audience = match (&self.audience, &outer.audience) {
            (Some(a), Some(b)) => Some(a.intersection(b).cloned().collect()),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        Restriction { level, audience }
    }
}

/// What one edition may hold.
#[derive(Debug, Clone)]
pub(super) struct Clearance {
    /// The highest level (`None`: any; the plain book).
    level: Option<usize>,
    /// Its audiences (`None`: all; the plain book).
    audiences: Option<BTreeSet<String>>,
}

impl Clearance {
    /// Everything: the book made when no edition is declared.
    pub(super) fn all() -> Self {
        Self { level: None, audiences: None }
    }

    /// What `edition` may hold.
    pub(super) fn of(
        edition: &EditionSection,
        levels: Option<&Levels>,
        file: FileId,
        sink: &mut Sink,
    ) -> Self {
        let level = match (&edition.level, levels) {
            (Some(l), Some(levels)) => {
                levels.find(l.get_ref(), Span::new(file, l.span()), sink)
            }
            (Some(l), None) => {
                sink.push(undeclared(Span::new(file, l.span())));
                None
            }
            (None, Some(levels)) => Some(levels.default),
            (None, None) => None,
        };
        let audiences = edition
            .audiences
            .as_ref()
            .map(|a| a.iter().map(|n| n.get_ref().clone()).collect())
            .unwrap_or_default();
        Self { level, audiences: Some(audiences) }
    }

    fn admits(&self, r: &Restriction, default: usize) -> bool {
        let level_ok = match self.level {
            None => true,
            Some(max) => r.level.unwrap_or(default) <= max,
        };
        let audience_ok = match (&r.audience, &self.audiences) {
            (None, _) | (_, None) => true,
            (Some(a), Some(b)) => !a.is_disjoint(b),
        };
        level_ok && audience_ok
    }
}

/// One row of the edition matrix: a section or a region, and whether this edition holds it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where it starts (a section: the file's start; a region: its opening line).
    pub span: Span,
    /// A region (`true`) or a whole section.
    pub region: bool,
    /// Its level's name (the default level's when it names none), if levels are declared.
    pub level: Option<String>,
    /// The audiences it is for (empty: everyone).
    pub audience: Vec<String>,
    /// Whether this edition holds it.
    pub included: bool,
}

/// What an edition holds, and its computed marking.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Every section and region of the source, in order.
    pub entries: Vec<Entry>,
    /// The highest level the edition holds (with levels declared).
    pub level: Option<usize>,
    /// The level of each held section file (its whole text) and held passage.
    pub places: Vec<(Span, usize)>,
}

/// Chooses the content of an edition from `sections` (every `[contents]` file, with
/// `wanted` saying which the edition's section list or language keeps). Returns the
/// sections it holds, with what it may not hold blanked out of their text in `sources`.
#[allow(clippy::too_many_arguments)]
pub(super) fn select(
    sections: Vec<SectionFile>,
    wanted: &dyn Fn(&SectionFile) -> bool,
    clearance: &Clearance,
    levels: Option<&Levels>,
    known_audiences: &BTreeSet<String>,
    sources: &mut SourceMap,
    sink: &mut Sink,
) -> (Vec<SectionFile>, Selection) {
    let default = levels.map_or(0, |l| l.default);
    let mut selection = Selection::default();
    let mut kept = Vec::new();
    for mut section in sections {
        let file = section.file;
        let text = sources.get(file).text.as_str();
        let own = section_restriction(&section, text, levels, known_audiences, sink);
        let wanted = wanted(&section);
        let included = wanted && clearance.admits(&own, default);
        selection.entries.push(entry(
            Span::file_start(file),
            false,
            &own,
            levels,
            included,
        ));
        let found = regions::scan(file, text, section.body_start, sink);
        let mut effective: Vec<Restriction> = Vec::with_capacity(found.len());
        let mut shown: Vec<bool> = Vec::with_capacity(found.len());
        let mut blank: Vec<Range<usize>> = Vec::new();
        let mut hidden: Vec<Range<usize>> = Vec::new();
        for region in &found {
            let r = region_restriction(file, region, levels, known_audiences, sink);
            let parent = region.parents.last().copied();
            let r = r.within(parent.map_or(&own, |p| &effective[p]));
            // A region inside a hidden one is hidden with it (its lines are blanked).
            let parent_shown = included && parent.is_none_or(|p| shown[p]);
            let holds = parent_shown && clearance.admits(&r, default);
            if holds {
                blank.extend(region.markers.iter().cloned());
                let level = r.level.unwrap_or(default);
                raise(&mut selection.level, level, levels);
                selection.places.push((Span::new(file, region.lines.clone()), level));
            } else if parent_shown {
                hidden.push(region.lines.clone());
            }
            let at = Span::new(file, region.markers[0].clone());
            selection.entries.push(entry(at, true, &r, levels, holds));
            effective.push(r);
            shown.push(holds);
        }
        if included {
            raise(&mut selection.level, own.level.unwrap_or(default), levels);
            let whole = Span::new(file, 0..text.len());
            selection.places.push((whole, own.level.unwrap_or(default)));
            if !blank.is_empty() || !hidden.is_empty() {
                for r in &hidden {
                    section
                        .hidden_notes
                        .extend(regions::note_references(&text[r.clone()]));
                }
                blank.extend(hidden);
                let blanked = regions::blank(text, &blank);
                sources.set_text(file, blanked);
            }
            kept.push(section);
        }
    }
    (kept, selection)
}

fn raise(level: &mut Option<usize>, to: usize, levels: Option<&Levels>) {
    if levels.is_some() {
        *level = Some(level.map_or(to, |l| l.max(to)));
    }
}

fn entry(
    span: Span,
    region: bool,
    r: &Restriction,
    levels: Option<&Levels>,
    included: bool,
) -> Entry {
    Entry {
        span,
        region,
        level: levels.map(|l| l.name(r.level.unwrap_or(l.default)).to_string()),
        audience: r.audience.iter().flatten().cloned().collect(),
        included,
    }
}

/// A section's own restriction, from its front matter.
fn section_restriction(
    section: &SectionFile,
    text: &str,
    levels: Option<&Levels>,
    known: &BTreeSet<String>,
    sink: &mut Sink,
) -> Restriction {
    let file = section.file;
    let at = |key: &str| Span::new(file, front_key(text, section.body_start, key));
    let level = section.options.level.as_ref().and_then(|l| match levels {
        Some(levels) => levels.find(l, at("level"), sink),
        None => {
            sink.push(undeclared(at("level")));
            None
        }
    });
    let audience = section.options.audience.as_ref().map(|names| {
        let names: BTreeSet<String> = names.to_vec().into_iter().collect();
        for n in &names {
            check_audience(n, at("audience"), known, sink);
        }
        names
    });
    Restriction { level, audience }
}

fn region_restriction(
    file: FileId,
    region: &Region,
    levels: Option<&Levels>,
    known: &BTreeSet<String>,
    sink: &mut Sink,
) -> Restriction {
    let level = region.level.as_ref().and_then(|(l, at)| match levels {
        Some(levels) => levels.find(l, Span::new(file, at.clone()), sink),
        None => {
            sink.push(undeclared(Span::new(file, at.clone())));
            None
        }
    });
    let audience = (!region.audience.is_empty()).then(|| {
        for (n, at) in &region.audience {
            check_audience(n, Span::new(file, at.clone()), known, sink);
        }
        region.audience.iter().map(|(n, _)| n.clone()).collect()
    });
    Restriction { level, audience }
}

/// An audience no edition is for is a typo (or content that would never be printed).
fn check_audience(name: &str, span: Span, known: &BTreeSet<String>, sink: &mut Sink) {
    if !known.is_empty() && !known.contains(name) {
        sink.push(
            Diagnostic::error(span, format!("no edition is for audience `{name}`"))
                .with_hint(format!(
                    "audiences of the editions: {}",
                    known.iter().cloned().collect::<Vec<_>>().join(", ")
                )),
        );
    }
}

fn undeclared(span: Span) -> Diagnostic {
    Diagnostic::error(span, "a level is given but the manifest declares no levels").with_hint(
        "declare them in briefing.toml: `[classification] levels = [\"UNCLASSIFIED\", \"RESTRICTED\"]`",
    )
}

/// The range of `key`'s line in the front matter (the file's start if not found).
fn front_key(text: &str, body_start: usize, key: &str) -> Range<usize> {
    let mut offset = 0;
    for line in text[..body_start].split_inclusive('\n') {
        let t = line.trim_start();
        if t.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')) {
            let start = offset + (line.len() - t.len());
            return start..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    0..0
}

/// Every audience the editions are for.
pub(super) fn audiences(manifest: &Manifest) -> BTreeSet<String> {
    manifest
        .editions
        .iter()
        .flat_map(|e| e.get_ref().audiences.iter().flatten())
        .map(|a| a.get_ref().clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> Option<BTreeSet<String>> {
        Some(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn clearance_checks_level_and_audience() {
        let c = Clearance { level: Some(1), audiences: set(&["delegation"]) };
        let r =
            |level, audience: Option<BTreeSet<String>>| Restriction { level, audience };
        assert!(c.admits(&r(None, None), 0));
        assert!(c.admits(&r(Some(1), set(&["delegation", "principal"])), 0));
        assert!(!c.admits(&r(Some(2), None), 0));
        assert!(!c.admits(&r(None, set(&["principal"])), 0));
        // Unmarked content takes the default level.
        assert!(!c.admits(&r(None, None), 2));
        assert!(Clearance::all().admits(&r(Some(9), set(&["x"])), 0));
    }

    #[test]
    fn nested_restrictions_combine() {
        let outer = Restriction { level: Some(1), audience: set(&["a", "b"]) };
        let inner = Restriction { level: None, audience: set(&["b", "c"]) };
        let r = inner.within(&outer);
        assert_eq!(r.level, Some(1));
        assert_eq!(r.audience, set(&["b"]));
    }
}
