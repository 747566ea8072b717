//! `briefbook watch`: a data edit rebuilds both books, a broken source keeps the previous
//! books byte-identical and prints the diagnostic, a fix rebuilds, Ctrl-C exits cleanly,
//! and a rebuild gives the same bytes as a cold build. Waits are event-driven (the status
//! lines on stderr) and bounded.

mod harness;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use harness::*;

/// Longest wait for one status line (a debug build of the fixture takes a few seconds).
const WAIT: Duration = Duration::from_secs(90);

struct Watch {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(dir: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefbook"))
            .args(["--diagnostic-format", "short", "watch", dir.to_str().unwrap()])
            .env_remove("SOURCE_DATE_EPOCH")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start briefbook watch");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines, seen: Vec::new() }
    }

    /// Waits for the next status line that starts with one of `prefixes`.
    fn wait_for(&mut self, prefixes: &[&str]) -> String {
        loop {
            match self.lines.recv_timeout(WAIT) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if prefixes.iter().any(|p| line.starts_with(p)) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line starting with {prefixes:?}; saw:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Ctrl-C, then a bounded wait for a clean exit.
    fn interrupt(mut self) {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill").args(["-INT", &pid]).status().unwrap().success();
        assert!(ok);
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "watch exited with {status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("watch did not stop on Ctrl-C");
    }
}

fn pdf_text(path: &Path) -> String {
    text(&tool("pdftotext", &[path.to_str().unwrap(), "-"]).stdout)
}

#[test]
fn watch_rebuilds_on_data_edits_and_keeps_books_on_errors() {
    let dir = temp_dir();
    copy_tree(&root().join("tests/suite/base"), dir.path());
    let pdf = dir.path().join("build/briefing.pdf");
    let epub = dir.path().join("build/briefing.epub");
    let mut watch = Watch::start(dir.path());
    watch.wait_for(&["built in"]);
    assert!(pdf_text(&pdf).contains("94.8"));

    // One data cell changes; both books follow.
    std::fs::write(
        dir.path().join("data/trade.csv"),
        "year,value\n2023,89.4\n2024,97.3\n",
    )
    .unwrap();
    let status = watch.wait_for(&["rebuilt in", "error:"]);
    assert!(status.starts_with("rebuilt in"), "{status}");
    assert!(
        (status.contains("; PDF page ") || status.contains("; PDF pages "))
            && !status.contains("no page changed"),
        "{status}"
    );
    assert!(pdf_text(&pdf).contains("97.3"), "PDF does not show the new value");
    let good_pdf = std::fs::read(&pdf).unwrap();
    let good_epub = std::fs::read(&epub).unwrap();
    assert!(String::from_utf8_lossy(&unzip_all(&good_epub)).contains("97.3"));

    // A broken source: diagnostic printed, books untouched.
    std::fs::write(dir.path().join("sections/one.md"), "# One\n\nTrade was {{nope}}.\n")
        .unwrap();
    let status = watch.wait_for(&["rebuilt in", "error:"]);
    assert!(status.contains("previous books are unchanged"), "{status}");
    assert!(
        watch
            .seen
            .iter()
            .any(|l| l.contains("sections/one.md:3:11: error: unknown name `nope`")),
        "{:#?}",
        watch.seen
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), good_pdf);
    assert_eq!(std::fs::read(&epub).unwrap(), good_epub);

    // Fixed again: rebuilt, and the rebuild equals a cold build of the same source.
    std::fs::write(dir.path().join("sections/one.md"), "# One\n\nTrade was {{num (lookup (row data.trade \"year\" 2024) \"value\") decimals=1}} now.\n").unwrap();
    let status = watch.wait_for(&["rebuilt in", "error:"]);
    assert!(status.starts_with("rebuilt in"), "{status}");
    assert!(pdf_text(&pdf).contains("97.3 now"));
    watch.interrupt();

    let cold = temp_dir();
    let out = briefbook(&[
        "build",
        dir.path().to_str().unwrap(),
        "--out",
        cold.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in ["briefing.pdf", "briefing.epub"] {
        assert!(
            std::fs::read(cold.path().join(name)).unwrap()
                == std::fs::read(dir.path().join("build").join(name)).unwrap(),
            "{name}: the watch rebuild differs from a cold build"
        );
    }
}

/// All entries of a zip, concatenated (to search the EPUB's text).
fn unzip_all(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        zip.by_index(i).unwrap().read_to_end(&mut out).unwrap();
    }
    out
}
