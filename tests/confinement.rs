//! A briefing reads only its own folder. One case per way out — `..` paths, absolute
//! paths, a symlinked file, a symlinked folder and a symlink chain, for every kind of
//! read (data, section, cover template, image, font) — and the output stem and folder.
//! Each must fail with exit 1 at the manifest or Markdown line that names the path, and
//! a marker written in the outside file must appear nowhere: not in stdout or stderr, and
//! no book is written that could carry it.

mod harness;

use std::path::{Path, PathBuf};

use harness::*;

/// Written into every outside file; must never reach a message or a book.
const MARKER: &str = "OUTSIDE-MARKER-7731";

/// A briefing folder beside an `outside/` folder holding one file of each kind.
struct Fixture {
    _guard: tempfile::TempDir,
    briefing: PathBuf,
    outside: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let guard = temp_dir();
        let briefing = guard.path().join("briefing");
        let outside = guard.path().join("outside");
        copy_tree(&root().join("tests/suite/base"), &briefing);
        for dir in ["data", "sections", "images", "fonts", "covers"] {
            std::fs::create_dir_all(outside.join(dir)).unwrap();
        }
        let csv = format!("year,value\n2024,{MARKER}\n");
        std::fs::write(outside.join("data/trade.csv"), &csv).unwrap();
        std::fs::write(outside.join("secret.csv"), &csv).unwrap();
        let md = format!("# {MARKER}\n\n{MARKER} paragraph.\n");
        std::fs::write(outside.join("sections/one.md"), &md).unwrap();
        std::fs::write(outside.join("secret.md"), &md).unwrap();
        std::fs::write(outside.join("cover.hbs"), format!("[top]\ntitle: {MARKER}\n"))
            .unwrap();
        std::fs::write(
            outside.join("covers/front.hbs"),
            format!("[top]\ntitle: {MARKER}\n"),
        )
        .unwrap();
        std::fs::write(outside.join("secret.png"), png_with_text(MARKER)).unwrap();
        std::fs::write(outside.join("images/p.png"), png_with_text(MARKER)).unwrap();
        let font = std::fs::read(root().join("fonts/NotoSans-Regular.ttf")).unwrap();
        std::fs::write(outside.join("fonts/Outside.ttf"), &font).unwrap();
        std::fs::write(
            outside.join("briefing.toml"),
            format!("[book]\ntitle = \"{MARKER}\"\n"),
        )
        .unwrap();
        Fixture { _guard: guard, briefing, outside }
    }

    fn manifest(&self) -> String {
        std::fs::read_to_string(self.briefing.join("briefing.toml")).unwrap()
    }

    fn set_manifest(&self, text: &str) {
        std::fs::write(self.briefing.join("briefing.toml"), text).unwrap();
    }

    /// Replaces `path` inside the briefing by a symlink to `target`.
    fn link(&self, path: &str, target: &Path) {
        let at = self.briefing.join(path);
        if at.is_dir() && !at.is_symlink() {
            std::fs::remove_dir_all(&at).unwrap();
        } else if at.exists() || at.is_symlink() {
            std::fs::remove_file(&at).unwrap();
        }
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &at).unwrap();
    }

    fn append_section(&self, text: &str) {
        let path = self.briefing.join("sections/one.md");
        let mut s = std::fs::read_to_string(&path).unwrap();
        s.push_str(text);
        std::fs::write(path, s).unwrap();
    }

    /// Builds; asserts exit 1, a diagnostic at `file:line:` saying why, no marker
    /// anywhere and no book written.
    fn refused_at(&self, file: &str, line: usize) {
        let out = build_short(&self.briefing);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "wrong exit status; stderr:\n{stderr}");
        let prefix = format!("{file}:{line}:");
        assert!(
            stderr.lines().any(|l| l.starts_with(&prefix) && l.contains("outside")),
            "expected a line starting with `{prefix}` saying `outside`; stderr:\n{stderr}"
        );
        self.no_marker(&stdout, &stderr);
    }

    fn no_marker(&self, stdout: &str, stderr: &str) {
        assert!(!stdout.contains(MARKER), "marker in stdout:\n{stdout}");
        assert!(!stderr.contains(MARKER), "marker in stderr:\n{stderr}");
        // (A `build` symlink to the outside folder is covered by the walk below.)
        let build = self.briefing.join("build");
        assert!(!build.exists() || build.is_symlink(), "a refused build wrote books");
        for entry in walk(&self.outside) {
            let name = entry.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                !name.ends_with(".pdf") && !name.ends_with(".epub"),
                "a book was written outside: {}",
                entry.display()
            );
        }
    }
}

/// 1-based number of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle in text") + 1
}

/// Every file below `dir` (symlinks not followed).
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

/// A 2 × 2 PNG that carries `text` in a tEXt chunk.
fn png_with_text(text: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, 2, 2);
        enc.set_color(png::ColorType::Rgb);
        enc.add_text_chunk("Comment".into(), text.into()).unwrap();
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[200; 12]).unwrap();
    }
    bytes
}

// ---- data sets ----

fn data_path_case(path: &str) {
    let f = Fixture::new();
    let m =
        f.manifest().replace("path = \"data/trade.csv\"", &format!("path = \"{path}\""));
    f.set_manifest(&m);
    f.refused_at("briefing.toml", line_of(&m, path));
}

#[test]
fn data_path_with_dotdot() {
    data_path_case("../outside/secret.csv");
}

#[test]
fn data_path_absolute() {
    let f = Fixture::new();
    data_path_case(f.outside.join("secret.csv").to_str().unwrap());
}

#[test]
fn data_file_symlink() {
    let f = Fixture::new();
    f.link("data/trade.csv", &f.outside.join("secret.csv"));
    f.refused_at("briefing.toml", line_of(&f.manifest(), "data/trade.csv"));
}

#[test]
fn data_folder_symlink() {
    let f = Fixture::new();
    f.link("data", &f.outside.join("data"));
    f.refused_at("briefing.toml", line_of(&f.manifest(), "data/trade.csv"));
}

#[test]
fn data_symlink_chain() {
    let f = Fixture::new();
    // data/trade.csv → data/hop.csv → ../../outside/secret.csv (relative, two hops).
    f.link("data/hop.csv", Path::new("../../outside/secret.csv"));
    f.link("data/trade.csv", Path::new("hop.csv"));
    f.refused_at("briefing.toml", line_of(&f.manifest(), "data/trade.csv"));
}

// ---- sections ----

fn section_path_case(f: &Fixture, path: &str) {
    let m = f.manifest().replace("\"sections/one.md\"", &format!("\"{path}\""));
    f.set_manifest(&m);
    f.refused_at("briefing.toml", line_of(&m, path));
}

#[test]
fn section_path_with_dotdot() {
    section_path_case(&Fixture::new(), "../outside/secret.md");
}

#[test]
fn section_path_absolute() {
    let f = Fixture::new();
    let abs = f.outside.join("secret.md");
    section_path_case(&f, abs.to_str().unwrap());
}

#[test]
fn section_file_symlink() {
    let f = Fixture::new();
    f.link("sections/one.md", &f.outside.join("secret.md"));
    f.refused_at("briefing.toml", line_of(&f.manifest(), "sections/one.md"));
}

#[test]
fn section_folder_symlink() {
    let f = Fixture::new();
    f.link("sections", &f.outside.join("sections"));
    f.refused_at("briefing.toml", line_of(&f.manifest(), "sections/one.md"));
}

// ---- the cover template ----

fn cover_case(f: &Fixture, path: &str) {
    let m = format!("{}\n[furniture]\ncover = \"{path}\"\n", f.manifest());
    f.set_manifest(&m);
    f.refused_at("briefing.toml", line_of(&m, "cover ="));
}

#[test]
fn cover_path_with_dotdot() {
    cover_case(&Fixture::new(), "../outside/cover.hbs");
}

#[test]
fn cover_path_absolute() {
    let f = Fixture::new();
    let abs = f.outside.join("cover.hbs");
    cover_case(&f, abs.to_str().unwrap());
}

#[test]
fn cover_file_symlink() {
    let f = Fixture::new();
    f.link("cover.hbs", &f.outside.join("cover.hbs"));
    cover_case(&f, "cover.hbs");
}

#[test]
fn cover_folder_symlink() {
    let f = Fixture::new();
    f.link("covers", &f.outside.join("covers"));
    cover_case(&f, "covers/front.hbs");
}

// ---- images ----

fn image_case(f: &Fixture, path: &str) {
    f.append_section(&format!("\n![A picture]({path})\n"));
    let section = std::fs::read_to_string(f.briefing.join("sections/one.md")).unwrap();
    f.refused_at("sections/one.md", line_of(&section, path));
}

#[test]
fn image_path_with_dotdot() {
    image_case(&Fixture::new(), "../outside/secret.png");
}

#[test]
fn image_path_absolute() {
    let f = Fixture::new();
    let abs = f.outside.join("secret.png");
    image_case(&f, abs.to_str().unwrap());
}

#[test]
fn image_file_symlink() {
    let f = Fixture::new();
    f.link("images/p.png", &f.outside.join("secret.png"));
    image_case(&f, "images/p.png");
}

#[test]
fn image_folder_symlink() {
    let f = Fixture::new();
    f.link("images", &f.outside.join("images"));
    image_case(&f, "images/p.png");
}

// ---- fonts in the briefing's fonts/ folder ----

#[test]
fn font_file_symlink() {
    let f = Fixture::new();
    f.link("fonts/Outside.ttf", &f.outside.join("fonts/Outside.ttf"));
    f.refused_at("briefing.toml", 1);
}

#[test]
fn font_folder_symlink() {
    let f = Fixture::new();
    f.link("fonts", &f.outside.join("fonts"));
    f.refused_at("briefing.toml", 1);
}

// ---- the manifest itself ----

#[test]
fn manifest_symlink() {
    let f = Fixture::new();
    f.link("briefing.toml", &f.outside.join("briefing.toml"));
    let out = build_short(&f.briefing);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // Nothing in the briefing can be pointed at: a usage/I-O failure (exit 2).
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.contains("outside the briefing folder"), "stderr:\n{stderr}");
    f.no_marker(&stdout, &stderr);
}

// ---- where the books are written ----

fn output_case(f: &Fixture, key: &str, value: &str) {
    let m = format!("{}\n[output]\n{key} = \"{value}\"\n", f.manifest());
    f.set_manifest(&m);
    let line = line_of(&m, &format!("{key} ="));
    let out = build_short(&f.briefing);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    let prefix = format!("briefing.toml:{line}:");
    assert!(
        stderr.lines().any(|l| l.starts_with(&prefix)),
        "no `{prefix}` in:\n{stderr}"
    );
    f.no_marker(&text(&out.stdout), &stderr);
}

#[test]
fn output_stem_with_separators() {
    let f = Fixture::new();
    output_case(&f, "stem", "../outside/book");
    let f = Fixture::new();
    let abs = f.outside.join("book");
    output_case(&f, "stem", abs.to_str().unwrap());
}

#[test]
fn output_dir_escapes() {
    let f = Fixture::new();
    output_case(&f, "dir", "../outside");
    let f = Fixture::new();
    output_case(&f, "dir", "build/../../outside");
    let f = Fixture::new();
    let abs = f.outside.clone();
    output_case(&f, "dir", abs.to_str().unwrap());
    let f = Fixture::new();
    f.link("build", &f.outside);
    output_case(&f, "dir", "build");
}

// ---- what is allowed ----

#[test]
fn symlinks_inside_the_folder_are_followed() {
    let f = Fixture::new();
    std::fs::rename(f.briefing.join("data/trade.csv"), f.briefing.join("data/real.csv"))
        .unwrap();
    f.link("data/trade.csv", Path::new("real.csv"));
    let out = build_short(&f.briefing);
    assert!(out.status.success(), "stderr:\n{}", text(&out.stderr));
}

#[test]
fn allow_read_widens_the_folder_and_the_marker_then_shows() {
    // The same escape as `data_file_symlink`, allowed explicitly: the build succeeds and
    // the outside value reaches the book — so the refusals above are what keeps it out.
    let f = Fixture::new();
    f.link("data/trade.csv", &f.outside.join("secret.csv"));
    let m = f.manifest().replace("type = \"number\"", "type = \"text\"");
    f.set_manifest(&m);
    std::fs::write(
        f.briefing.join("sections/one.md"),
        "# One\n\nValue: {{lookup (row data.trade \"year\" 2024) \"value\"}}.\n",
    )
    .unwrap();
    let outside = f.outside.to_str().unwrap();
    let dir = f.briefing.to_str().unwrap();
    let out = briefbook(&["--allow-read", outside, "build", "--epub", dir]);
    assert!(out.status.success(), "stderr:\n{}", text(&out.stderr));
    let epub = std::fs::File::open(f.briefing.join("build/briefing.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(epub).unwrap();
    let found = (0..zip.len()).any(|i| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_index(i).unwrap(), &mut s).is_ok()
            && s.contains(MARKER)
    });
    assert!(found, "the allowed outside value is not in the EPUB");
}

#[test]
fn output_out_flag_may_point_anywhere() {
    let f = Fixture::new();
    let elsewhere = f.outside.join("books");
    let dir = f.briefing.to_str().unwrap();
    let out = briefbook(&["build", "--pdf", dir, "--out", elsewhere.to_str().unwrap()]);
    assert!(out.status.success(), "stderr:\n{}", text(&out.stderr));
    assert!(elsewhere.join("briefing.pdf").is_file());
}

// ---- files that are not ordinary files, or too large ----

#[test]
fn a_pipe_is_refused_without_blocking() {
    let f = Fixture::new();
    let csv = f.briefing.join("data/trade.csv");
    std::fs::remove_file(&csv).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&csv).status().unwrap();
    assert!(made.success());
    // Reading a pipe would wait for a writer forever; the build must refuse it.
    let out = build_short(&f.briefing);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    let line = line_of(&f.manifest(), "data/trade.csv");
    let prefix = format!("briefing.toml:{line}:");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&prefix) && l.contains("not a regular file")),
        "stderr:\n{stderr}"
    );
}

#[test]
fn a_file_over_its_limit_is_an_error_naming_the_limit() {
    let f = Fixture::new();
    // A sparse 300 MB data file: over the 256 MB limit, costing no disk space.
    let file = std::fs::File::create(f.briefing.join("data/trade.csv")).unwrap();
    file.set_len(300 << 20).unwrap();
    let out = build_short(&f.briefing);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(stderr.contains("larger than 256 MiB, the limit"), "stderr:\n{stderr}");
}

/// `[output]` may give `dir` or `stem` alone; the other keeps its default.
#[test]
fn output_with_only_dir_or_only_stem() {
    for (table, written) in
        [("dir = \"out\"", "out/briefing.pdf"), ("stem = \"book\"", "build/book.pdf")]
    {
        let dir = temp_dir();
        copy_tree(&root().join("tests/suite/base"), dir.path());
        let manifest = dir.path().join("briefing.toml");
        let m = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(&manifest, format!("{m}\n[output]\n{table}\n")).unwrap();
        let o = briefbook(&["build", dir.path().to_str().unwrap()]);
        assert!(o.status.success(), "{table}: {}", text(&o.stderr));
        assert!(dir.path().join(written).is_file(), "{table}: no {written}");
        let epub = written.replace(".pdf", ".epub");
        assert!(dir.path().join(&epub).is_file(), "{table}: no {epub}");
    }
}
