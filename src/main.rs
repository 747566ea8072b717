//! The `briefbook` command line.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    fix_malloc_threshold();
    let cli = briefbook::cli::args::Cli::parse();
    // A panic is a bug in briefbook, never the user's fault: say so plainly. Books are
    // written to a temporary file and renamed, so the last good books stay intact.
    std::panic::set_hook(Box::new(|info| {
        // A panic that `guard::catch` contains is an error for one input, reported as such.
        if briefbook::guard::catching() {
            return;
        }
        eprintln!(
            "error: internal error in briefbook ({info}); no book was written or changed\n \
             = hint: this is a bug; please report it with the briefing that caused it"
        );
    }));
    match std::panic::catch_unwind(|| briefbook::cli::run(cli)) {
        Ok(code) => code,
        Err(_) => ExitCode::from(briefbook::cli::EXIT_INTERNAL),
    }
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
