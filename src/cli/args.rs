//! The command line as typed (clap derive only; no logic here).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turn a briefing source into a print-quality PDF and an EPUB 3.
#[derive(Debug, Parser)]
#[command(name = "briefbook", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (includes --timings).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Print the time each stage takes (load, expand, model, layout, pdf, epub).
    #[arg(long, global = true)]
    pub timings: bool,
    /// How problems are printed.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub diagnostic_format: Format,
    /// Also let the briefing read files inside DIR (repeatable). A briefing reads only
    /// its own folder otherwise; symlinks out of it are refused.
    #[arg(long, global = true, value_name = "DIR")]
    pub allow_read: Vec<PathBuf>,
    /// Declare and check a PDF standard (repeatable; combinable): `ua-1` (PDF/UA-1,
    /// the default), `a-2b`, `a-2u`, `a-2a` (PDF/A-2). Overrides `[output] pdf-standard`.
    #[arg(long, global = true, value_name = "NAME", value_parser = ["ua-1", "a-2b", "a-2u", "a-2a"])]
    pub pdf_standard: Vec<String>,
    /// Threads to use (default: one per core). The books are the same whatever the
    /// number.
    #[arg(long, global = true, value_name = "N")]
    pub jobs: Option<usize>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  briefbook init my-briefing          create a new briefing that builds as it is
  briefbook build my-briefing         write the PDF and the EPUB to my-briefing/build/
  briefbook build --pdf --out /tmp    only the PDF, into /tmp
  briefbook build --edition press-ru  one edition (repeatable); its numbered copies too
  briefbook check                     report every problem in the briefing here, write nothing
  briefbook watch my-briefing         rebuild whenever a section, data file or image changes

Exit status: 0 success (warnings allowed), 1 errors in the briefing, 2 usage or I/O errors.
SOURCE_DATE_EPOCH, if set, fixes the dates written into the files.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the PDF and/or the EPUB.
    Build(BuildArgs),
    /// Check the briefing without writing anything.
    Check(CheckArgs),
    /// Create a new briefing in DIR.
    Init(InitArgs),
    /// Build, then rebuild whenever a file the build read changes (Ctrl-C to stop).
    Watch(BuildArgs),
}

/// `briefbook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The briefing folder (with briefing.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Build the PDF (both formats are built when neither flag is given).
    #[arg(long)]
    pub pdf: bool,
    /// Build the EPUB.
    #[arg(long)]
    pub epub: bool,
    /// Write the books here instead of the manifest's `[output] dir`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Build this edition (repeatable). `build` makes every edition when none is named;
    /// `watch` rebuilds the first.
    #[arg(long, value_name = "NAME", conflicts_with = "all_editions")]
    pub edition: Vec<String>,
    /// Build every edition the manifest declares.
    #[arg(long)]
    pub all_editions: bool,
    /// Encrypt numbered copies with the passwords in FILE (kept outside the briefing
    /// folder): a CSV with columns `edition`, `copy`, `password`. Copies it does not
    /// name are not encrypted. Passwords are never printed.
    #[arg(long, value_name = "FILE")]
    pub passwords: Option<PathBuf>,
}

/// `briefbook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The briefing folder (with briefing.toml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `briefbook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist or be empty).
    pub dir: PathBuf,
}

/// Diagnostic output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The offending line with a marker and hints.
    Human,
    /// One line per problem: `file:line:col: error: message`.
    Short,
}
