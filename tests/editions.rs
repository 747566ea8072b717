//! Editions: content above an edition's level or outside its audiences appears nowhere
//! in its files. The fixture (tests/suite/editions) has a marker word in every restricted
//! part; every edition is built by the command line, and every byte of its books is
//! searched: the PDF's extracted text (pdftotext), every object and decoded stream of
//! the PDF (qpdf --json), the raw PDF, and every entry of the EPUB (names and contents).
//! Each marker must also be found in the editions that hold it, so the search is shown to
//! see what it looks for.

mod harness;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURE: &str = "tests/suite/editions";
const EDITIONS: [&str; 3] = ["principal", "delegation", "press"];

/// Each marker and the editions that hold it.
const MARKERS: &[(&str, &[&str])] = &[
    ("markerrestricteda", &["principal", "delegation"]),
    ("markertablez", &["principal", "delegation"]),
    ("markernoter", &["principal", "delegation"]),
    ("markerdefaultd", &["principal", "delegation"]),
    ("markerprincipalb", &["principal"]),
    ("markerfigurec", &["principal"]),
    ("markerconfe", &["principal"]),
    ("markerchartf", &["principal"]),
    ("markerspeakg", &["principal"]),
];

fn build_all() -> (tempfile::TempDir, PathBuf) {
    let dir = harness::temp_dir();
    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_briefbook"))
        .args(["--quiet", "build", FIXTURE, "--out"])
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1749686400")
        .status()
        .unwrap();
    assert!(status.success());
    (dir, out)
}

/// Lowercase, without spaces, line breaks, hyphens or soft hyphens (so a marker broken
/// across lines is still found).
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '\u{ad}')
        .flat_map(char::to_lowercase)
        .collect()
}

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    let mut command = Command::new(program);
    command.args(args).arg(file);
    if program == "pdftotext" {
        command.arg("-");
    }
    let out =
        command.output().unwrap_or_else(|e| panic!("{program} must be installed ({e})"));
    assert!(out.status.success(), "{program} failed on {}", file.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every string of a qpdf JSON dump, with stream data (base64) decoded.
fn qpdf_strings(json: &serde_json::Value, out: &mut String) {
    match json {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| qpdf_strings(v, out)),
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                out.push_str(k);
                out.push('\n');
                match (k.as_str(), v) {
                    ("data", serde_json::Value::String(b64)) => {
                        out.push_str(&String::from_utf8_lossy(&base64(b64)));
                    }
                    _ => qpdf_strings(v, out),
                }
            }
        }
        _ => {}
    }
}

fn base64(s: &str) -> Vec<u8> {
    let table = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(table) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Everything a reader or a tool could get out of an edition's two books, by source.
fn haystacks(out: &Path, edition: &str) -> Vec<(String, String)> {
    let pdf = out.join(format!("{edition}.pdf"));
    let epub = out.join(format!("{edition}.epub"));
    let mut found = vec![
        (
            "pdftotext".to_string(),
            tool("pdftotext", &["-enc", "UTF-8"], &pdf).replace(" -", ""),
        ),
        (
            "raw pdf".to_string(),
            String::from_utf8_lossy(&std::fs::read(&pdf).unwrap()).into(),
        ),
    ];
    let json = tool(
        "qpdf",
        &["--json", "--json-key=qpdf", "--json-stream-data=inline", "--decode-level=all"],
        &pdf,
    );
    let mut strings = String::new();
    qpdf_strings(&serde_json::from_str(&json).unwrap(), &mut strings);
    found.push(("qpdf --json".to_string(), strings));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let text = format!("{}\n{}", entry.name(), String::from_utf8_lossy(&bytes));
        found.push((format!("epub {}", entry.name()), text));
    }
    found
}

#[test]
fn no_edition_holds_content_above_its_level_or_outside_its_audiences() {
    let (_dir, out) = build_all();
    for edition in EDITIONS {
        let hay = haystacks(&out, edition);
        let found_in = |marker: &str, kind: &str| {
            hay.iter().any(|(what, text)| {
                what.starts_with(kind) && normalise(text).contains(marker)
            })
        };
        for (marker, holders) in MARKERS {
            if holders.contains(&edition) {
                // Seen in the PDF's text and in the EPUB: the search sees what it seeks.
                for kind in ["pdftotext", "epub"] {
                    assert!(
                        found_in(marker, kind),
                        "`{marker}` is missing from {kind} of {edition}"
                    );
                }
            } else {
                for (what, text) in &hay {
                    assert!(
                        !normalise(text).contains(marker),
                        "`{marker}` leaks into edition {edition} ({what})"
                    );
                }
            }
        }
    }
}

#[test]
fn marking_is_the_highest_level_held_and_numbering_is_contiguous() {
    let (_dir, out) = build_all();
    let text =
        |e: &str| tool("pdftotext", &["-enc", "UTF-8"], &out.join(format!("{e}.pdf")));
    let principal = text("principal");
    let delegation = text("delegation");
    let press = text("press");
    assert!(principal.contains("CONFIDENTIAL"));
    assert!(delegation.contains("RESTRICTED — DELEGATION ONLY"));
    assert!(!delegation.contains("CONFIDENTIAL"));
    assert!(press.contains("UNCLASSIFIED") && !press.contains("RESTRICTED"));
    // The public table is table 2 where the restricted one is printed, table 1 where not.
    assert!(delegation.contains("Table 2. Public figures"));
    assert!(press.contains("Table 1. Public figures"));
    // Chapters are renumbered: the principal's "3 Assessment" is absent elsewhere, and
    // the speaking notes follow it.
    assert!(principal.contains("3 Assessment"));
    assert!(principal.contains("4 Speaking notes"));
}

#[test]
fn a_link_to_left_out_content_takes_its_alternative() {
    let (_dir, out) = build_all();
    let xhtml = |e: &str| {
        let mut zip = zip::ZipArchive::new(
            std::fs::File::open(out.join(format!("{e}.epub"))).unwrap(),
        )
        .unwrap();
        let mut all = String::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            if entry.name().ends_with(".xhtml") {
                entry.read_to_string(&mut all).unwrap();
            }
        }
        all
    };
    let principal = xhtml("principal");
    let press = xhtml("press");
    assert!(principal.contains("assessment\">the assessment</a>"), "the link is kept");
    assert!(press.contains("see the assessment."), "the text is kept");
    assert!(!press.contains("#assessment"), "no link to the left-out chapter");
}

#[test]
fn a_link_with_no_alternative_in_the_edition_is_an_error_at_the_link() {
    let dir = harness::temp_dir();
    copy_dir(Path::new(FIXTURE), dir.path());
    let public = dir.path().join("sections/01-public.md");
    let text = std::fs::read_to_string(&public)
        .unwrap()
        .replace("(#assessment|)", "(#assessment)");
    std::fs::write(&public, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_briefbook"))
        .args(["check", "--diagnostic-format", "short"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "sections/01-public.md:7:52: error: link to unknown anchor `#assessment`"
        ),
        "{stderr}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn check_prints_the_edition_matrix() {
    let out = Command::new(env!("CARGO_BIN_EXE_briefbook"))
        .args(["check", FIXTURE])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .map(|l| l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect())
        .collect();
    let row = |first: &str| rows.iter().find(|r| r.first() == Some(&first)).cloned();
    assert_eq!(
        row("sections/01-public.md").unwrap(),
        ["sections/01-public.md", "UNCLASSIFIED", "yes", "yes", "yes"]
    );
    assert_eq!(
        row("line 25").unwrap(),
        ["line 25", "CONFIDENTIAL", "principal", "yes", "-", "-"]
    );
    assert_eq!(
        row("sections/04-speaking.md").unwrap(),
        ["sections/04-speaking.md", "RESTRICTED", "principal", "yes", "-", "-"]
    );
    assert!(
        stdout.contains("marking of delegation: RESTRICTED — DELEGATION ONLY"),
        "{stdout}"
    );
}

#[test]
fn per_page_marking_carries_the_highest_level_on_each_page() {
    let dir = harness::temp_dir();
    copy_dir(Path::new(FIXTURE), dir.path());
    let manifest = dir.path().join("briefing.toml");
    let text = std::fs::read_to_string(&manifest).unwrap().replace(
        "default = \"RESTRICTED\"",
        "default = \"RESTRICTED\"\npage-marking = \"per-page\"",
    );
    std::fs::write(&manifest, text).unwrap();
    let out = dir.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_briefbook"))
        .args(["--quiet", "build", "--pdf", "--out"])
        .arg(&out)
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let page = |n: usize| {
        let o = Command::new("pdftotext")
            .args(["-f", &n.to_string(), "-l", &n.to_string(), "-enc", "UTF-8"])
            .arg(out.join("principal.pdf"))
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    // Page 4 holds only the RESTRICTED chapter, page 5 the CONFIDENTIAL one; each chapter
    // heading carries its level as a portion mark.
    let (p4, p5) = (page(4), page(5));
    assert!(
        p4.contains("RESTRICTED — DELEGATION ONLY") && !p4.contains("CONFIDENTIAL"),
        "{p4}"
    );
    assert!(p4.contains("2 (R) Trade detail"), "{p4}");
    assert!(p5.contains("CONFIDENTIAL") && p5.contains("3 (C) Assessment"), "{p5}");
    // The cover carries the book's marking, the highest level in the edition.
    assert!(page(1).contains("CONFIDENTIAL"));
}

#[test]
fn the_samples_editions_hold_what_their_level_and_audiences_allow() {
    let dir = harness::temp_dir();
    harness::build_sample(dir.path());
    let hay = |stem: &str| -> String {
        haystacks(dir.path(), stem).iter().map(|(_, t)| normalise(t)).collect()
    };
    // The principal's speaking notes, the delegation's protocol note and an advice line.
    let notes = normalise("Speaking notes for the principal");
    let protocol = normalise("Protocol: names and spelling");
    let advice = normalise("Our side need not adopt it");
    let principal = hay("principal");
    assert!(principal.contains(&notes) && principal.contains(&protocol));
    let delegation = hay("briefing");
    assert!(!delegation.contains(&notes) && delegation.contains(&advice));
    let press = hay("press-pack");
    for absent in [&notes, &protocol, &advice] {
        assert!(!press.contains(absent.as_str()), "{absent} leaks into the press pack");
    }
    // Talking points are RESTRICTED: the press pack has none of them.
    assert!(!press.contains(&normalise("Cite the trade record, soberly")));
    assert!(delegation.contains(&normalise("Cite the trade record, soberly")));
}
