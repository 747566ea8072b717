//! The `briefbook` command line.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    briefbook::cli::run(briefbook::cli::args::Cli::parse())
}
