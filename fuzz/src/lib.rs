//! Shared code for the fuzz targets: the whole pipeline on an in-memory briefing folder,
//! the fixed files each target puts around its fuzzed input, and the structure-aware
//! briefing generator.
//!
//! Every target ends in [`build`]: load → expand → model, then layout and both
//! exporters when the first stages succeed, then every diagnostic printed in both
//! formats. Errors and warnings are ordinary results; only a panic, an abort, a
//! timeout or running out of memory is a finding.

pub mod briefing;
pub mod data_target;
pub mod fixtures;

use briefbook::compile::compile;
use briefbook::diag::{emit, Diagnostic, DiagnosticFormat, SourceMap};
use briefbook::export::epub::export_epub;
use briefbook::export::pdf::export_pdf;
use briefbook::layout::layout_document;
use briefbook::source::LoadOptions;
use briefbook::world::World;

/// Run once before fuzzing (`fuzz_target!(init: ...)`): lets libFuzzer report a stack
/// overflow as a crash with its input saved.
///
/// libFuzzer's `main` replaces Rust's, so the alternate signal stack that Rust's
/// runtime sets up for its stack-overflow message is missing, and a SIGSEGV caused by
/// an overflow kills the process before any handler can run: nothing is saved. Here an
/// alternate stack is installed with a SIGSEGV handler that uses it. libFuzzer keeps
/// that handler (it chains to an existing SIGSEGV handler); the handler says what
/// happened and aborts, and libFuzzer's SIGABRT handler, running on the same
/// alternate stack, saves the input as a crash.
pub fn init() {
    // libfuzzer-sys's panic hook aborts, so even a panic that the build contains on
    // purpose (`briefbook::guard::catch`) would count as a crash: let those through.
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !briefbook::guard::catching() {
            abort(info);
        }
    }));
    const ALT_STACK: usize = 4 << 20;
    extern "C" fn on_segv(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
        let msg = b"\n==briefbook-fuzz== SIGSEGV: most likely a stack overflow (deep recursion)\n";
        // SAFETY: write(2) and abort(3) are async-signal-safe.
        unsafe {
            libc::write(2, msg.as_ptr().cast(), msg.len());
            libc::abort();
        }
    }
    let stack = Box::leak(vec![0u8; ALT_STACK].into_boxed_slice());
    // SAFETY: the stack is leaked, so it lives as long as the process; the structs are
    // zeroed C structs filled in before use.
    unsafe {
        let ss = libc::stack_t {
            ss_sp: stack.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: ALT_STACK,
        };
        libc::sigaltstack(&ss, std::ptr::null_mut());
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_segv as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut());
    }
}

/// One file of the in-memory briefing folder.
pub type File = (String, Vec<u8>);

/// Builds the briefing made of `files` into a PDF and an EPUB, in memory.
///
/// Besides not crashing, two things are checked, because a user would otherwise be
/// left without a message: a failed stage reports at least one error, and every
/// diagnostic can be printed (its span lies inside its file, on character boundaries).
pub fn build(files: Vec<File>) {
    if let Some(dir) = dump_dir() {
        dump(dir, &files);
    }
    let world = World::in_memory(files);
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    // A fixed date, so a manifest without `issue-date` still builds (as with
    // SOURCE_DATE_EPOCH set in a reproducible build).
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    match compile(&world, &mut sources, &options, &mut diagnostics) {
        Err(errors) => failed(&mut diagnostics, errors),
        // Front-end mode: the parsers and the model only, many times faster.
        Ok(_) if front_only() => {}
        Ok(compiled) => {
            let doc = &compiled.document;
            match layout_document(doc, &compiled.project.layout) {
                Ok((paged, warnings)) => {
                    diagnostics.extend(warnings);
                    match export_pdf(&paged, &doc.meta) {
                        Ok(pdf) => assert!(pdf.starts_with(b"%PDF-")),
                        Err(errors) => failed(&mut diagnostics, errors),
                    }
                }
                Err(errors) => failed(&mut diagnostics, errors),
            }
            match export_epub(doc) {
                Ok((epub, warnings)) => {
                    diagnostics.extend(warnings);
                    assert!(epub.starts_with(b"PK"));
                }
                Err(errors) => failed(&mut diagnostics, errors),
            }
        }
    }
    if verbose() {
        let mut out = Vec::new();
        let _ = emit(&mut out, &sources, &diagnostics, DiagnosticFormat::Short);
        eprintln!(
            "--- {} diagnostic(s)\n{}",
            diagnostics.len(),
            String::from_utf8_lossy(&out)
        );
    }
    for format in [DiagnosticFormat::Short, DiagnosticFormat::Human] {
        let mut out = Vec::new();
        if let Err(e) = emit(&mut out, &sources, &diagnostics, format) {
            panic!("a diagnostic cannot be printed ({format:?}): {e}\n{diagnostics:#?}");
        }
    }
}

/// `BRIEFBOOK_FUZZ_DUMP=DIR`: write each input's briefing folder into `DIR` as well
/// (to reproduce a finding with `briefbook build DIR`; run one input at a time).
fn dump_dir() -> Option<&'static std::path::Path> {
    static DIR: std::sync::OnceLock<Option<std::path::PathBuf>> =
        std::sync::OnceLock::new();
    DIR.get_or_init(|| std::env::var_os("BRIEFBOOK_FUZZ_DUMP").map(Into::into)).as_deref()
}

/// `BRIEFBOOK_FUZZ_FRONT=1`: stop after load → expand → model (no layout, no books),
/// to spend the executions on the parsers, templates and the model.
fn front_only() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("BRIEFBOOK_FUZZ_FRONT").is_some())
}

/// `BRIEFBOOK_FUZZ_VERBOSE=1`: print each input's diagnostics (to see how far inputs get).
fn verbose() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("BRIEFBOOK_FUZZ_VERBOSE").is_some())
}

fn dump(dir: &std::path::Path, files: &[File]) {
    for (path, bytes) in files {
        // Only plain relative paths: a fuzzed manifest may name `../x` or `/x`.
        let plain = std::path::Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain {
            continue;
        }
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, bytes);
    }
}

fn failed(diagnostics: &mut Vec<Diagnostic>, errors: Vec<Diagnostic>) {
    assert!(
        errors.iter().any(Diagnostic::is_error),
        "a stage failed without an error: {errors:#?}"
    );
    diagnostics.extend(errors);
}

/// `(path, bytes)` from text.
pub fn file(path: &str, text: &str) -> File {
    (path.to_string(), text.as_bytes().to_vec())
}

/// Splits a fuzz input into a selector byte and the rest (a target's variants).
pub fn split(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((first, rest)) => (*first, rest),
        None => (0, data),
    }
}
