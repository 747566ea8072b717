//! Section files: Markdown with optional TOML front matter between `+++` lines.

use serde::Deserialize;

use crate::diag::{DiagResult, Diagnostic, FileId, SourceMap, Span};
use crate::limits;
use crate::world::{FileError, World};

/// One section file, read and split into front matter and body.
#[derive(Debug, Clone)]
pub struct SectionFile {
    /// The file.
    pub file: FileId,
    /// Options from the front matter.
    pub options: SectionOptions,
    /// Byte offset where the Markdown body starts (after the front matter).
    pub body_start: usize,
    /// Footnote labels referenced only from content this edition leaves out (their
    /// notes are left out with it, without a warning).
    pub hidden_notes: Vec<String>,
}

/// Per-section options, from the front matter.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SectionOptions {
    /// Number this file's headings.
    pub numbered: bool,
    /// List this file's headings in contents and navigation.
    pub toc: bool,
    /// Anchor for the file's first heading.
    pub id: Option<String>,
    /// The language the file is written in (BCP 47; default: the book's). An edition
    /// without a list of sections takes those in its language.
    pub language: Option<String>,
    /// The file's classification level (one of `[classification] levels`).
    pub level: Option<String>,
    /// The audiences the file is for (default: everyone).
    pub audience: Option<Audience>,
}

/// One audience or several.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Audience {
    /// `audience = "principal"`.
    One(String),
    /// `audience = ["principal", "delegation"]`.
    Many(Vec<String>),
}

impl Audience {
    /// The names.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Audience::One(a) => vec![a.clone()],
            Audience::Many(a) => a.clone(),
        }
    }
}

impl Default for SectionOptions {
    fn default() -> Self {
        Self {
            numbered: true,
            toc: true,
            id: None,
            language: None,
            level: None,
            audience: None,
        }
    }
}

/// Reads a section file named in the manifest (`span` points at the name there).
pub(super) fn load(
    world: &World,
    rel: &str,
    span: Span,
    sources: &mut SourceMap,
) -> DiagResult<SectionFile> {
    let path = world.path(rel);
    let text = world.read_text(rel, limits::SECTION_BYTES).map_err(|e| {
        let hint = match e {
            FileError::NotFound => {
                "check the path in `[contents] sections`; paths are relative to the briefing folder"
            }
            FileError::TooLarge { .. } => {
                "split the section into several files, each listed in `[contents] sections`"
            }
            _ => e.hint(),
        };
        vec![Diagnostic::error(span.clone(), format!("failed to read section file `{rel}` ({e})"))
            .with_hint(hint)]
    })?;
    let file = sources.add(rel, &path, text);
    let text = &sources.get(file).text;
    let (options, body_start) = front_matter(file, text)?;
    Ok(SectionFile { file, options, body_start, hidden_notes: Vec::new() })
}

/// Splits off `+++`-delimited TOML front matter, if the file starts with it.
fn front_matter(file: FileId, text: &str) -> DiagResult<(SectionOptions, usize)> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        return Ok((SectionOptions::default(), 0));
    }
    let mut offset = first_line_end;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == "+++" {
            let toml_text = &text[first_line_end..offset];
            if let Err(e) = crate::nesting::toml::check(toml_text) {
                let e = e.shifted(first_line_end);
                return Err(vec![e.diagnostic(Span::new(file, e.range.clone()))]);
            }
            return match toml::from_str::<SectionOptions>(toml_text) {
                Ok(options) => Ok((options, end)),
                Err(e) => {
                    let mut d = super::toml_error(file, &e);
                    if let Some(s) = d.span.as_mut() {
                        s.range =
                            s.range.start + first_line_end..s.range.end + first_line_end;
                    }
                    Err(vec![d])
                }
            };
        }
        offset = end;
    }
    Err(vec![Diagnostic::error(Span::new(file, 0..3), "front matter is not closed")
        .with_hint("end the TOML front matter with a line containing only `+++`")])
}
