//! Printing diagnostics for people (codespan-reporting) or one line each for tools.
//!
//! codespan-reporting is handed, per diagnostic, only the lines it will print (an
//! [`Excerpt`]), not the whole file: it visits every line a label spans and prints each
//! line whole, so a thousand warnings on one long paragraph cost a thousand times the
//! paragraph. What it prints is the same, except that a source line longer than
//! [`LONG_LINE`] characters is shown as a window around the label.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files, Location};
use codespan_reporting::term;

use super::{Diagnostic, FileId, Severity, SourceFile, SourceMap, Span};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiagnosticFormat {
    /// The offending line with a marker, and hints below it.
    #[default]
    Human,
    /// One line: `file:line:col: error: message`.
    Short,
}

/// Source lines up to this many characters are printed whole.
const LONG_LINE: usize = 500;

/// How many characters of a longer line are printed.
const WINDOW: usize = 160;

/// How many of them come before the start of the label (or after its end, on the
/// label's last line).
const LEAD: usize = 40;

/// codespan-reporting prints this many lines after the first line of a label that spans
/// lines, and this many before its last (its defaults); the lines between are elided.
const START_CONTEXT: usize = 3;
const END_CONTEXT: usize = 1;

/// Writes diagnostics to `out` (stderr in the CLI).
pub fn emit(
    out: &mut dyn Write,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    format: DiagnosticFormat,
) -> std::io::Result<()> {
    // Warnings often share a place (every loose line of a paragraph points at the
    // paragraph), and finding a column counts the characters before it on its line.
    let mut places = Places::default();
    if format == DiagnosticFormat::Short {
        for d in diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            match &d.span {
                Some(span) => {
                    let file = sources.get(span.file);
                    let (line, col) =
                        places.line_col(sources, span.file, span.range.start);
                    writeln!(out, "{}:{line}:{col}: {level}: {}", file.name, d.message)?;
                }
                None => writeln!(out, "{level}: {}", d.message)?,
            }
        }
        return Ok(());
    }

    let config = term::Config::default();
    for d in diagnostics {
        let mut cd = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_message(&d.message);
        cd = cd.with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect());
        let result = match &d.span {
            Some(span) => {
                let excerpt = Excerpt::new(sources, span, &mut places);
                let cd =
                    cd.with_labels(vec![cs::Label::primary((), excerpt.range.clone())]);
                term::emit_to_io_write(out, &config, &excerpt, &cd)
            }
            None => term::emit_to_io_write(out, &config, &NoFiles, &cd),
        };
        result.map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(())
}

/// Line and column of byte offsets, remembered.
#[derive(Default)]
struct Places(HashMap<(FileId, usize), (usize, usize)>);

impl Places {
    fn line_col(
        &mut self,
        sources: &SourceMap,
        file: FileId,
        offset: usize,
    ) -> (usize, usize) {
        *self
            .0
            .entry((file, offset))
            .or_insert_with(|| sources.get(file).line_col(offset))
    }
}

/// The lines of one file that codespan-reporting prints for one label, with their real
/// line numbers; long lines cut to a window.
struct Excerpt<'a> {
    name: &'a str,
    /// The lines, each with its line break (the last one only if the file has it).
    text: String,
    /// Where each line starts in `text`.
    starts: Vec<usize>,
    /// The 1-based line number of each line in the file.
    numbers: Vec<usize>,
    /// Where the label starts in the file.
    location: Location,
    /// The label in `text`.
    range: Range<usize>,
}

impl<'a> Excerpt<'a> {
    fn new(sources: &'a SourceMap, span: &Span, places: &mut Places) -> Self {
        let file = sources.get(span.file);
        let len = file.text.len();
        let range = span.range.start.min(len)..span.range.end.min(len);
        let (first, last) = (file.line_index(range.start), file.line_index(range.end));
        // The lines codespan prints: all of a short label's; for a long one the first
        // few and the last two, with two unprinted lines between them that keep its
        // "lines elided" mark and its gutter width as they would be.
        let lines: Vec<Option<usize>> = if last - first <= START_CONTEXT + END_CONTEXT + 3
        {
            (first..=last).map(Some).collect()
        } else {
            let head = (first..=first + START_CONTEXT).map(Some);
            let gap = [None, None];
            let tail = (last - END_CONTEXT..=last).map(Some);
            head.chain(gap).chain(tail).collect()
        };
        let mut excerpt = Excerpt {
            name: &file.name,
            text: String::new(),
            starts: Vec::with_capacity(lines.len()),
            numbers: Vec::with_capacity(lines.len()),
            location: {
                let (line, col) = places.line_col(sources, span.file, range.start);
                Location { line_number: line, column_number: col }
            },
            range: 0..0,
        };
        let mut hidden = first + START_CONTEXT;
        for line in lines {
            excerpt.starts.push(excerpt.text.len());
            let Some(line) = line else {
                hidden += 1;
                excerpt.numbers.push(hidden + 1);
                excerpt.text.push('\n');
                continue;
            };
            excerpt.numbers.push(line + 1);
            let real = file.line_range(line);
            let at = excerpt.text.len();
            // The label's ends on this line, as offsets into it.
            let start = (line == first).then(|| range.start - real.start);
            let end = (line == last).then(|| range.end - real.start);
            let map = excerpt.push_line(&file.text[real], start, end);
            let place = |offset: usize| at + map.map_or(offset, |m| m(offset));
            if let Some(s) = start {
                excerpt.range.start = place(s);
            }
            if let Some(e) = end {
                excerpt.range.end = place(e);
            }
        }
        excerpt.range.end = excerpt.range.end.max(excerpt.range.start);
        excerpt
    }

    /// Appends one source line (with its line break), cut to a window if it is long;
    /// returns how offsets into the line map to offsets into what was appended, when it
    /// was cut.
    fn push_line(
        &mut self,
        line: &str,
        start: Option<usize>,
        end: Option<usize>,
    ) -> Option<impl Fn(usize) -> usize + Copy> {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.len() <= LONG_LINE || body.chars().nth(LONG_LINE).is_none() {
            self.text.push_str(line);
            return None;
        }
        // Centre the window on the label's start, or on its end on its last line, or
        // show the line's beginning.
        let from = match (start, end) {
            (Some(s), _) => back(body, s.min(body.len()), LEAD),
            (None, Some(e)) => back(body, e.min(body.len()), WINDOW - LEAD),
            (None, None) => 0,
        };
        let to = ahead(body, from, WINDOW);
        let prefix = if from > 0 { "…" } else { "" };
        self.text.push_str(prefix);
        self.text.push_str(&body[from..to]);
        if to < body.len() {
            self.text.push('…');
        }
        if line.ends_with('\n') {
            self.text.push('\n');
        }
        let shift = prefix.len();
        Some(move |offset: usize| offset.clamp(from, to) - from + shift)
    }
}

/// The offset `n` characters before `offset` in `s` (or 0).
fn back(s: &str, mut offset: usize, n: usize) -> usize {
    while !s.is_char_boundary(offset) {
        offset -= 1;
    }
    s[..offset].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i)
}

/// The offset `n` characters after `offset` in `s` (or its end).
fn ahead(s: &str, offset: usize, n: usize) -> usize {
    s[offset..].char_indices().nth(n).map_or(s.len(), |(i, _)| offset + i)
}

impl SourceFile {
    /// The index of the line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts.binary_search(&offset).unwrap_or_else(|next| next - 1)
    }

    /// The bytes of line `index`, with its line break.
    fn line_range(&self, index: usize) -> Range<usize> {
        let start = self.line_starts.get(index).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(index + 1).copied().unwrap_or(self.text.len());
        start..end
    }
}

impl<'a> Files<'a> for Excerpt<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.starts.binary_search(&byte_index).unwrap_or_else(|next| next - 1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        // One past the last line is where a label ending with the file's last line
        // break ends.
        Ok(self.numbers.get(line_index).copied().unwrap_or_else(|| {
            self.numbers.last().map_or(1, |n| n + line_index + 1 - self.numbers.len())
        }))
    }

    fn location(&'a self, (): (), _byte_index: usize) -> Result<Location, FilesError> {
        // Only asked for the start of the one label.
        Ok(self.location)
    }

    fn line_range(
        &'a self,
        (): (),
        line_index: usize,
    ) -> Result<Range<usize>, FilesError> {
        let start = self.starts.get(line_index).copied().unwrap_or(self.text.len());
        let end = self.starts.get(line_index + 1).copied().unwrap_or(self.text.len());
        Ok(start..end)
    }
}

/// The files of a diagnostic without a place.
struct NoFiles;

impl<'a> Files<'a> for NoFiles {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Err(FilesError::FileMissing)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Err(FilesError::FileMissing)
    }

    fn line_index(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Err(FilesError::FileMissing)
    }

    fn line_range(&'a self, (): (), _: usize) -> Result<Range<usize>, FilesError> {
        Err(FilesError::FileMissing)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use codespan_reporting::files::SimpleFiles;

    use super::*;

    /// What codespan-reporting prints for `d` given the whole file, as before excerpts.
    fn whole_file(sources: &SourceMap, d: &Diagnostic) -> String {
        let mut files = SimpleFiles::new();
        for (_, file) in sources.files() {
            files.add(file.name.clone(), file.text.clone());
        }
        let span = d.span.as_ref().unwrap();
        let len = sources.get(span.file).text.len();
        let range = span.range.start.min(len)..span.range.end.min(len);
        let cd = cs::Diagnostic::warning()
            .with_message(&d.message)
            .with_labels(vec![cs::Label::primary(span.file.0 as usize, range)])
            .with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect());
        let mut out = Vec::new();
        term::emit_to_io_write(&mut out, &term::Config::default(), &files, &cd).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn printed(sources: &SourceMap, d: &Diagnostic, format: DiagnosticFormat) -> String {
        let mut out = Vec::new();
        emit(&mut out, sources, std::slice::from_ref(d), format).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn source(text: String) -> (SourceMap, FileId) {
        let mut sources = SourceMap::default();
        let id = sources.add("sections/a.md", Path::new("a.md"), text);
        (sources, id)
    }

    #[test]
    fn excerpts_print_what_the_whole_file_prints() {
        let mut text =
            String::from("# Título\n\nÁ short paragraph\r\nover two lines.\n\n");
        for i in 0..40 {
            text.push_str(&format!("line {i} of a long paragraph with ünïcode\n"));
        }
        text.push_str("last line without a break");
        let (sources, file) = source(text.clone());
        let line = |n: usize| sources.get(file).line_starts[n];
        let mut ranges =
            vec![0..0, 2..8, line(2)..line(3), line(2)..line(4) - 1, line(5)..text.len()];
        for lines in 1..14 {
            ranges.push(line(6)..line(6 + lines));
            ranges.push(line(6) + 3..line(6 + lines) + 4);
        }
        ranges.push(text.len() - 4..text.len());
        ranges.push(text.len()..text.len() + 10);
        for range in ranges {
            let d = Diagnostic::warning(Span::new(file, range.clone()), "a warning")
                .with_hint("a hint");
            assert_eq!(
                printed(&sources, &d, DiagnosticFormat::Human),
                whole_file(&sources, &d),
                "span {range:?}"
            );
        }
    }

    #[test]
    fn long_lines_are_cut_around_the_label() {
        let line = "abcdefghij".repeat(1000);
        let (sources, file) = source(format!("# Title\n\n{line}\n"));
        let start = 9 + 5000;
        let d = Diagnostic::warning(Span::new(file, start..start + 3), "here");
        let out = printed(&sources, &d, DiagnosticFormat::Human);
        assert!(out.contains("sections/a.md:3:5001"), "{out}");
        let shown = out.lines().find(|l| l.starts_with("3 │")).unwrap();
        let text = shown.trim_start_matches("3 │ ");
        assert_eq!(text, format!("…{}…", &line[5000 - LEAD..5000 - LEAD + WINDOW]));
        let marks = out.lines().find(|l| l.contains('^')).unwrap();
        // The carets stand under the label: LEAD characters after the window's start.
        assert_eq!(marks.find('^').unwrap() - marks.find('│').unwrap(), 3 + 1 + LEAD + 1);
        assert_eq!(marks.matches('^').count(), 3);
    }

    #[test]
    fn many_warnings_on_a_long_paragraph_print_a_few_lines_each() {
        let text: String =
            (0..5000).map(|i| format!("{i} {}\n", "word ".repeat(300))).collect();
        let (sources, file) = source(text.clone());
        let d = Diagnostic::warning(Span::new(file, 0..text.len()), "loose line");
        let out = printed(&sources, &d, DiagnosticFormat::Human);
        assert!(out.lines().count() < 15, "{out}");
        assert!(out.lines().all(|l| l.chars().count() < WINDOW + 20), "{out}");
        assert!(out.contains("5000 │ │ 4999 word"), "{out}");
        assert_eq!(
            printed(&sources, &d, DiagnosticFormat::Short),
            "sections/a.md:1:1: warning: loose line\n"
        );
    }
}
