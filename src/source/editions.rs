//! Editions: several books from one source. An edition is a view of the manifest —
//! its book facts, language, `[locale]` strings and output stem laid over the
//! manifest's, and its sections chosen from `[contents]` — so the rest of the pipeline
//! builds it exactly as it builds a plain book.
//!
//! Today an edition chooses sections by language (front matter `language`) or by an
//! explicit list; classification levels, audiences and recipients are to slot in here
//! as further ways of choosing.

use toml::Spanned;

use super::manifest::{BookSection, EditionSection, Manifest};
use super::SectionFile;
use crate::diag::{Diagnostic, FileId, Sink, Span};
use crate::locale::primary_subtag;

/// The names of the manifest's editions, in order (empty: one plain book).
pub fn names(manifest: &Manifest) -> Vec<String> {
    manifest.editions.iter().map(|e| e.get_ref().name.get_ref().clone()).collect()
}

/// The manifest as edition `name` sees it (`None`: the first edition, or the plain
/// book when none is declared). An unknown name, a repeated name or stem, or a section
/// not in `[contents]` is an error.
pub(super) fn view(
    manifest: &Manifest,
    name: Option<&str>,
    file: FileId,
    sink: &mut Sink,
) -> Option<(Manifest, Option<EditionSection>)> {
    check_unique(manifest, file, sink);
    let edition = match name {
        None => match manifest.editions.first() {
            Some(e) => e.get_ref().clone(),
            None => return Some((manifest.clone(), None)),
        },
        Some(name) => {
            match manifest.editions.iter().find(|e| e.get_ref().name.get_ref() == name) {
                Some(e) => e.get_ref().clone(),
                None => {
                    let known = names(manifest).join(", ");
                    sink.push(
                        Diagnostic::spanless(format!(
                            "the manifest has no edition `{name}`"
                        ))
                        .with_hint(if known.is_empty() {
                            "declare editions with `[[editions]]` in briefing.toml"
                                .to_string()
                        } else {
                            format!("editions: {known}")
                        }),
                    );
                    return None;
                }
            }
        }
    };
    let mut m = manifest.clone();
    if let Some(b) = &edition.book {
        apply_book(&mut m.book, b);
    }
    if let Some(language) = &edition.language {
        m.book.language = language.clone();
    }
    if let Some(over) = &edition.locale {
        let mut merged =
            manifest.locale.as_ref().map(|l| l.get_ref().clone()).unwrap_or_default();
        for (k, v) in over.get_ref() {
            match (merged.get_mut(k), v) {
                (Some(toml::Value::Table(base)), toml::Value::Table(o)) => {
                    base.extend(o.clone());
                }
                _ => {
                    merged.insert(k.clone(), v.clone());
                }
            }
        }
        m.locale = Some(Spanned::new(over.span(), merged));
    }
    m.output.stem = edition.stem.clone().unwrap_or_else(|| edition.name.clone());
    if let Some(list) = &edition.sections {
        for s in list {
            if !manifest.contents.sections.iter().any(|c| c.get_ref() == s.get_ref()) {
                sink.push(
                    Diagnostic::error(
                        Span::new(file, s.span()),
                        format!("`{}` is not in `[contents] sections`", s.get_ref()),
                    )
                    .with_hint("an edition chooses from the book's sections; add the file to `[contents]`"),
                );
            }
        }
        m.contents.sections = list.clone();
    }
    Some((m, Some(edition)))
}

/// Whether a section is written in `edition_language` (its front matter `language`, else
/// the book's; primary subtags compared).
pub(super) fn in_language(
    s: &SectionFile,
    book_language: &str,
    edition_language: &str,
) -> bool {
    primary_subtag(s.options.language.as_deref().unwrap_or(book_language))
        == primary_subtag(edition_language)
}

fn apply_book(book: &mut BookSection, o: &super::manifest::BookOverrides) {
    let set = |field: &mut Option<String>, v: &Option<String>| {
        if let Some(v) = v {
            *field = Some(v.clone());
        }
    };
    if let Some(t) = &o.title {
        book.title = t.clone();
    }
    if let Some(c) = &o.classification {
        book.classification = Some(Spanned::new(0..0, c.clone()));
    }
    set(&mut book.subtitle, &o.subtitle);
    set(&mut book.event, &o.event);
    set(&mut book.venue, &o.venue);
    set(&mut book.organisation, &o.organisation);
    set(&mut book.edition, &o.edition);
    set(&mut book.description, &o.description);
    set(&mut book.accessibility_certifier, &o.accessibility_certifier);
    if let Some(a) = &o.authors {
        book.authors = a.clone();
    }
    if let Some(s) = &o.subjects {
        book.subjects = s.clone();
    }
}

/// Edition names and output stems must differ (two editions writing one file would
/// overwrite each other).
fn check_unique(manifest: &Manifest, file: FileId, sink: &mut Sink) {
    let mut seen: Vec<(String, String)> = Vec::new();
    for e in &manifest.editions {
        let e = e.get_ref();
        let name = e.name.get_ref().clone();
        let stem = e.stem.as_ref().unwrap_or(&e.name);
        if seen.iter().any(|(n, _)| *n == name) {
            sink.push(Diagnostic::error(
                Span::new(file, e.name.span()),
                format!("edition `{name}` is declared twice"),
            ));
        }
        if seen.iter().any(|(_, s)| s == stem.get_ref()) {
            sink.push(
                Diagnostic::error(
                    Span::new(file, stem.span()),
                    format!("two editions write `{}`", stem.get_ref()),
                )
                .with_hint("give each edition its own `stem`"),
            );
        }
        seen.push((name, stem.get_ref().clone()));
    }
}
