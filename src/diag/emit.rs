//! Printing diagnostics for people (codespan-reporting) or one line each for tools.

use std::io::Write;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

use super::{Diagnostic, Severity, SourceMap};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiagnosticFormat {
    /// The offending line with a marker, and hints below it.
    #[default]
    Human,
    /// One line: `file:line:col: error: message`.
    Short,
}

/// Writes diagnostics to `out` (stderr in the CLI).
pub fn emit(
    out: &mut dyn Write,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    format: DiagnosticFormat,
) -> std::io::Result<()> {
    if format == DiagnosticFormat::Short {
        for d in diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            match &d.span {
                Some(span) => {
                    writeln!(out, "{}: {level}: {}", sources.locate(span), d.message)?;
                }
                None => writeln!(out, "{level}: {}", d.message)?,
            }
        }
        return Ok(());
    }

    let mut files = SimpleFiles::new();
    for (_, file) in sources.files() {
        files.add(file.name.clone(), file.text.clone());
    }
    let config = term::Config::default();
    for d in diagnostics {
        let mut cd = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_message(&d.message);
        if let Some(span) = &d.span {
            let len = sources.get(span.file).text.len();
            let range = span.range.start.min(len)..span.range.end.min(len);
            cd = cd.with_labels(vec![cs::Label::primary(span.file.0 as usize, range)]);
        }
        cd = cd.with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect());
        term::emit_to_io_write(out, &config, &files, &cd)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(())
}
