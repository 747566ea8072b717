//! Shared test helpers: fixture folders, running the binary, external tools.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder that lives as long as the returned guard.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("briefbook-test-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
}

/// Copies `from` into `to` recursively (files in `to` are overwritten).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "build" {
                continue;
            }
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `briefbook ARGS` with a fixed SOURCE_DATE_EPOCH unset.
pub fn briefbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefbook"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run briefbook")
}

/// `briefbook --diagnostic-format short build DIR`: one line per diagnostic, for fixtures.
pub fn build_short(dir: &Path) -> Output {
    briefbook(&["--diagnostic-format", "short", "build", dir.to_str().unwrap()])
}

/// Runs an external tool; panics with a clear message if it is not installed, because the
/// validator tests are required (scripts/test installs the tools).
pub fn tool(program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("`{program}` is required for this test but could not be run ({e}); run scripts/test to install it")
    })
}

/// EPUBCheck 5 (`EPUBCHECK_JAR`, set by scripts/test) with `--failonwarnings`: no
/// error and no warning.
pub fn epubcheck(epub: &Path) {
    let jar = std::env::var("EPUBCHECK_JAR")
        .expect("EPUBCHECK_JAR must point at EPUBCheck 5 (run scripts/test)");
    let out = tool("java", &["-jar", &jar, "--failonwarnings", epub.to_str().unwrap()]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "EPUBCheck failed:\n{all}");
    assert!(all.contains("No errors or warnings detected"), "{all}");
}

/// Text of an output stream.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Builds the sample briefing once per test process into a temp folder; returns the folder.
pub fn build_sample(out: &Path) {
    let o = briefbook(&[
        "build",
        root().join("briefing").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "sample build failed:\n{}", text(&o.stderr));
}

/// The layout dump (`PagedDocument::dump`) of the briefing in `dir`, dated 1970.
pub fn layout_dump(dir: &Path) -> String {
    use briefbook::diag::SourceMap;
    let (mut sources, mut warnings) = (SourceMap::default(), Vec::new());
    let options = briefbook::source::LoadOptions {
        source_date_epoch: Some(0),
        ..Default::default()
    };
    let compiled = briefbook::compile::compile(
        &briefbook::world::World::new(dir).unwrap(),
        &mut sources,
        &options,
        &mut warnings,
    )
    .unwrap();
    let layout = &compiled.project.layout;
    briefbook::layout::layout_document(&compiled.document, layout).unwrap().0.dump()
}
