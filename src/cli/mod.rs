//! The command-line layer: parse flags, run a command, print diagnostics, pick the exit code.

pub mod args;
mod build;
mod init;
mod matrix;
mod watch;

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use args::{Cli, Command, Format};

use crate::diag::{emit, Diagnostic, DiagnosticFormat, SourceMap};
use crate::world::World;

/// Success, possibly with warnings.
pub const EXIT_OK: u8 = 0;
/// The briefing has errors.
pub const EXIT_SOURCE: u8 = 1;
/// Usage or I/O failure.
pub const EXIT_IO: u8 = 2;
/// Exit status: briefbook itself failed (a bug; nothing was written).
pub const EXIT_INTERNAL: u8 = 3;

/// What one command run reports back.
pub(crate) struct Console {
    pub quiet: bool,
    pub timings: bool,
    pub format: DiagnosticFormat,
    pub started: Instant,
    /// Folders the briefing may read besides its own (`--allow-read`).
    pub allow_read: Vec<std::path::PathBuf>,
    /// The PDF standards asked for with `--pdf-standard`.
    pub pdf_standards: Vec<crate::model::PdfStandard>,
    /// The numbered copies' passwords (`--passwords`).
    pub passwords: Option<std::sync::Arc<crate::copies::Passwords>>,
}

impl Console {
    /// Prints diagnostics (warnings only unless quiet) to stderr.
    pub(crate) fn report(&self, sources: &SourceMap, diagnostics: &[Diagnostic]) {
        let shown: Vec<Diagnostic> =
            diagnostics.iter().filter(|d| d.is_error() || !self.quiet).cloned().collect();
        if shown.is_empty() {
            return;
        }
        // stderr is unbuffered: without a buffer every piece of every diagnostic
        // would be a write of its own.
        let mut err = std::io::BufWriter::new(std::io::stderr().lock());
        let _ = emit(&mut err, sources, &shown, self.format);
        let _ = err.flush();
    }

    /// A progress line on stderr (not in quiet mode).
    pub(crate) fn say(&self, message: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{message}");
        }
    }

    /// A status line on stderr (watch mode), shown unless quiet.
    pub(crate) fn status(&self, message: &str) {
        self.say(message);
    }

    /// Per-stage times on stderr (with --timings or --verbose).
    pub(crate) fn timings(&self, timings: &[(&str, f64)]) {
        if self.timings {
            let mut err = std::io::stderr().lock();
            for (stage, ms) in timings {
                let _ = writeln!(err, "  {stage:<8} {ms:>9.1} ms");
            }
        }
    }
}

/// Shows the running stage on a terminal (`""` clears it); silent when quiet or when
/// stderr is not a terminal, so logs and pipes get no control characters.
pub(crate) fn progress(quiet: bool, stage: &str) {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = if stage.is_empty() {
        write!(err, "\r\x1b[2K")
    } else {
        write!(err, "\r\x1b[2K  {stage}\u{2026}")
    };
    let _ = err.flush();
}

/// Runs the parsed command line and returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    if let Some(n) = cli.jobs {
        // Only fails if a pool was already built (never, here); the default pool is fine.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
    let console = Console {
        quiet: cli.quiet,
        timings: cli.timings || cli.verbose,
        format: match cli.diagnostic_format {
            Format::Human => DiagnosticFormat::Human,
            Format::Short => DiagnosticFormat::Short,
        },
        started: Instant::now(),
        allow_read: cli.allow_read,
        pdf_standards: cli
            .pdf_standard
            .iter()
            .filter_map(|n| crate::model::PdfStandard::parse(n))
            .collect(),
        passwords: None,
    };
    let mut console = console;
    let passwords = match &cli.command {
        Command::Build(a) | Command::Watch(a) => a.passwords.as_deref(),
        _ => None,
    };
    if let Some(path) = passwords {
        // Read by the command line, not through the briefing's file layer: the file is
        // meant to live outside the briefing folder.
        let read = std::fs::read_to_string(path)
            .map_err(|e| format!("failed to read `{}` ({e})", path.display()))
            .and_then(|text| {
                crate::copies::Passwords::parse(&path.display().to_string(), &text)
            });
        match read {
            Ok(p) => console.passwords = Some(std::sync::Arc::new(p)),
            Err(message) => {
                let _ = writeln!(std::io::stderr(), "error: {message}");
                return ExitCode::from(EXIT_IO);
            }
        }
    }
    let code = match cli.command {
        Command::Build(a) => {
            let formats = build::Formats::from_flags(a.pdf, a.epub);
            build::build(&console, &a.dir, formats, a.out.as_deref(), true, &a.edition)
        }
        Command::Check(a) => build::build(
            &console,
            &a.dir,
            build::Formats::from_flags(false, false),
            None,
            false,
            &[],
        ),
        Command::Init(a) => init::init(&console, &a.dir),
        Command::Watch(a) => {
            let formats = build::Formats::from_flags(a.pdf, a.epub);
            watch::watch(&console, &a.dir, formats, a.out.as_deref(), &a.edition)
        }
    };
    ExitCode::from(code)
}

/// The briefing folder `dir` as the build sees it: confined to itself and the folders
/// allowed with `--allow-read`.
pub(crate) fn world(
    console: &Console,
    dir: &std::path::Path,
) -> Result<World, Diagnostic> {
    let unusable = |what: &std::path::Path, e: std::io::Error| {
        Diagnostic::spanless(format!("cannot open the folder `{}` ({e})", what.display()))
    };
    let mut world = World::new(dir).map_err(|e| {
        unusable(dir, e).with_hint("run `briefbook init DIR` to create a new briefing")
    })?;
    for allowed in &console.allow_read {
        world = world.allow_read(allowed).map_err(|e| unusable(allowed, e))?;
    }
    Ok(world)
}

/// `SOURCE_DATE_EPOCH` from the environment; an unusable value is ignored with a note.
pub(crate) fn source_date_epoch(console: &Console) -> Option<i64> {
    let raw = std::env::var("SOURCE_DATE_EPOCH").ok()?;
    match raw.trim().parse() {
        Ok(v) => Some(v),
        Err(_) => {
            console.say(&format!(
                "warning: ignoring SOURCE_DATE_EPOCH={raw:?} (not a whole number)"
            ));
            None
        }
    }
}
