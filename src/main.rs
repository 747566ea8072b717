//! The `briefbook` command line.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    fix_malloc_threshold();
    briefbook::cli::run(briefbook::cli::args::Cli::parse())
}

/// Pins glibc's mmap threshold at its initial 128 KiB. By default glibc raises it each
/// time a large block is freed, after which large blocks come from the heap and their
/// memory is not returned: a 600-page build then peaked anywhere between 125 and 245 MB
/// from run to run; pinned, it peaks at 90 MB every time (docs/performance.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)] // The crate's only unsafe block (`unsafe_code` is denied elsewhere).
fn fix_malloc_threshold() {
    // SAFETY: mallopt only sets an allocator parameter; called once, before any thread
    // exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fix_malloc_threshold() {}
