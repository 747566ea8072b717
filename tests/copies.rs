//! Numbered copies: an edition with `recipients` writes one PDF per recipient, named by
//! copy number, with the copy and its recipient on the cover (read back with pdftotext,
//! which shares no code with us), and a register whose hashes match the files. Two
//! builds in separate processes give the same bytes; bad recipients data is an error at
//! its row.

mod harness;

use std::path::Path;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::export::pdf::{export_copy, export_pdf_sharing, share, standards, Look};
use briefbook::layout::layout_edition;
use briefbook::memo::Memo;
use briefbook::model::Meta;
use briefbook::source::LoadOptions;
use harness::*;
use sha2::{Digest, Sha256};

/// The fixture: the base briefing with an edition of five numbered copies.
fn fixture(dir: &Path) {
    let suite = root().join("tests/suite");
    copy_tree(&suite.join("base"), dir);
    copy_tree(&suite.join("copies"), dir);
}

fn build(dir: &Path, out: &Path) -> std::process::Output {
    let o = briefbook(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--pdf",
    ]);
    assert!(o.status.success(), "build failed:\n{}", text(&o.stderr));
    o
}

fn pdf_text(pdf: &Path, page: Option<u32>) -> String {
    let mut args: Vec<String> = Vec::new();
    if let Some(p) = page {
        args.extend(["-f".into(), p.to_string(), "-l".into(), p.to_string()]);
    }
    args.extend([pdf.to_str().unwrap().to_string(), "-".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    text(&tool("pdftotext", &args).stdout)
}

const RECIPIENTS: [&str; 5] = [
    "Head of delegation",
    "Deputy head of delegation",
    "Trade adviser",
    "Legal adviser",
    "Press officer",
];

#[test]
fn each_recipient_gets_a_numbered_copy_listed_in_the_register() {
    let dir = temp_dir();
    fixture(dir.path());
    let out = dir.path().join("out");
    build(dir.path(), &out);

    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let copies: Vec<String> =
        (1..=5).map(|n| format!("numbered-copy-{n:02}.pdf")).collect();
    for c in &copies {
        assert!(names.contains(c), "{c} missing from {names:?}");
    }
    assert!(!names.contains(&"numbered.pdf".to_string()), "an unnumbered PDF: {names:?}");
    for n in &names {
        for r in RECIPIENTS {
            assert!(!n.contains(&r.replace(' ', "-")) && !n.contains(r), "{n} names {r}");
        }
    }

    // The register: one row per copy, its hash that of the file written.
    let register = std::fs::read_to_string(out.join("register.csv")).unwrap();
    let mut lines = register.lines();
    assert_eq!(lines.next(), Some("edition,copy,recipient,file,pages,sha256,encrypted"));
    let rows: Vec<Vec<String>> =
        lines.map(|l| l.split(',').map(str::to_string).collect()).collect();
    assert_eq!(rows.len(), 5, "{register}");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], "numbered");
        assert_eq!(row[1], (i + 1).to_string());
        assert_eq!(row[3], copies[i]);
        let bytes = std::fs::read(out.join(&row[3])).unwrap();
        let hash: String =
            Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(row[5], hash, "copy {}", i + 1);
        let info = text(&tool("pdfinfo", &[out.join(&row[3]).to_str().unwrap()]).stdout);
        assert!(info.contains(&format!("Pages:           {}", row[4])), "{info}");
    }
    // Copy 3's recipient, as the data file orders them (copy numbers are not row order).
    let recipient = |n: usize| rows[n - 1][2].clone();
    assert_eq!(recipient(3), "Trade adviser");

    // Copy 3 names itself and its recipient, and no other recipient.
    let cover = pdf_text(&out.join(&copies[2]), Some(1));
    let flat = cover.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Copy 3 of 5"), "{flat}");
    assert!(flat.contains("issued to Trade adviser"), "{flat}");
    let all = pdf_text(&out.join(&copies[2]), None);
    let all = all.split_whitespace().collect::<Vec<_>>().join(" ");
    for other in RECIPIENTS.iter().filter(|r| **r != "Trade adviser") {
        assert!(!all.contains(other), "copy 3 names {other}");
    }
    // The running foot names the copy on every page after the cover.
    let page2 = pdf_text(&out.join(&copies[2]), Some(2));
    assert!(page2.contains("No. 3/5"), "{page2}");
}

#[test]
fn copies_are_reproducible_across_processes() {
    let dir = temp_dir();
    fixture(dir.path());
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(dir.path(), &a);
    build(dir.path(), &b);
    for n in 1..=5 {
        let name = format!("numbered-copy-{n:02}.pdf");
        let x = std::fs::read(a.join(&name)).unwrap();
        let y = std::fs::read(b.join(&name)).unwrap();
        assert!(x == y, "{name} differs between two builds");
    }
    let x = std::fs::read(a.join("register.csv")).unwrap();
    let y = std::fs::read(b.join("register.csv")).unwrap();
    assert_eq!(x, y);
    // Copies differ from each other (the cover and watermark are their own).
    let one = std::fs::read(a.join("numbered-copy-01.pdf")).unwrap();
    let two = std::fs::read(a.join("numbered-copy-02.pdf")).unwrap();
    assert_ne!(one, two);
}

/// Copy `number` of the `numbered` edition in `dir`, written from the objects the
/// edition's copies share, and written as a book of its own.
fn both_ways(dir: &Path, number: usize) -> (Vec<u8>, Vec<u8>) {
    let mut sources = SourceMap::default();
    let options =
        LoadOptions { source_date_epoch: Some(0), edition: Some("numbered".into()) };
    let world = briefbook::world::World::new(dir).unwrap();
    let compiled = compile(&world, &mut sources, &options, &mut Vec::new()).unwrap();
    let memo = Memo::new();
    let (edition, _) =
        layout_edition(&compiled.document, &compiled.project.layout, &memo).unwrap();
    let (meta, _) = standards(&compiled.document, &[]);
    let look = Look { watermark: true, own_furniture: edition.copies_own_furniture() };
    let shared = share(edition.paged(), &meta, look, &memo).unwrap();
    let shared = shared.expect("the copies share the edition's objects");
    let mark = &compiled.project.recipients.as_ref().unwrap().copies[number - 1];
    assert_eq!(mark.number, number);
    let laid = edition.copy(mark, &memo).unwrap();
    // Pages that are not the edition's do not fit.
    let other = export_copy(&shared, &laid.pages[1..], laid.own_furniture, &Memo::new());
    assert!(other.is_none());
    let file = export_copy(&shared, &laid.pages, laid.own_furniture, &Memo::new());
    let file = file.expect("the copy fits the shared objects").unwrap();
    let fast = [&file.head[..], &file.own].concat();
    assert_eq!(Sha256::digest(&fast)[..], file.sha256);
    let meta = Meta { copy: Some(mark.clone()), ..meta };
    let paged = edition.copy_paged(laid);
    let alone = export_pdf_sharing(&paged, &meta, &Memo::new(), &memo).unwrap();
    (fast, alone)
}

/// What a reader gets from a PDF: its pages and their sizes, its text, and its
/// structure tree with the text of each element (poppler, which shares no code with us;
/// objects unnamed, as their numbers differ); and that qpdf finds the file sound.
fn reading(dir: &Path, name: &str, pdf: &[u8]) -> [String; 3] {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    let path = path.to_str().unwrap();
    let check = tool("qpdf", &["--check", path]);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let pages = text(&tool("pdfinfo", &["-f", "1", "-l", "999", path]).stdout);
    let pages: Vec<&str> = pages.lines().filter(|l| l.starts_with("Page ")).collect();
    let structure = text(&tool("pdfinfo", &["-struct-text", path]).stdout);
    let structure: Vec<&str> = structure
        .lines()
        .map(|l| match l.trim_start().starts_with("Object ") {
            true => "Object",
            false => l,
        })
        .collect();
    [pages.join("\n"), pdf_text(Path::new(path), None), structure.join("\n")]
}

#[test]
fn a_copy_written_from_the_shared_objects_reads_as_the_copy_written_alone() {
    // Running heads naming the copy (each copy's own).
    let dir = temp_dir();
    fixture(dir.path());
    // Running heads that are the edition's, and landscape pages (two watermarks).
    let wide = temp_dir();
    copy_tree(&root().join("tests/suite/layout/landscape"), wide.path());
    let recipients = root().join("tests/suite/copies/data/recipients.csv");
    std::fs::copy(recipients, wide.path().join("data/recipients.csv")).unwrap();
    let manifest = wide.path().join("briefing.toml");
    let mut toml = std::fs::read_to_string(&manifest).unwrap();
    toml.push_str(
        "\n[data.recipients]\npath = \"data/recipients.csv\"\n\n[[editions]]\n\
         name = \"numbered\"\nrecipients = \"recipients\"\n\
         watermark = \"Copy {{copy}} of {{copies}} — {{recipient}}\"\n",
    );
    std::fs::write(&manifest, toml).unwrap();

    for (source, number) in [(dir.path(), 3), (wide.path(), 4)] {
        let (fast, alone) = both_ways(source, number);
        let out = temp_dir();
        let fast = reading(out.path(), "fast.pdf", &fast);
        let alone = reading(out.path(), "alone.pdf", &alone);
        assert_eq!(fast, alone, "{}", source.display());
        assert!(fast[1].contains(&format!("Copy {number} of 5")), "{}", fast[1]);
        assert!(fast[2].starts_with("Document"), "{}", fast[2]);
    }
}

/// Builds the fixture with `recipients.csv` replaced; returns stderr (the build must fail
/// with status 1 and write nothing).
fn failing(csv: &str) -> String {
    let dir = temp_dir();
    fixture(dir.path());
    std::fs::write(dir.path().join("data/recipients.csv"), csv).unwrap();
    let out = build_short(dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.path().join("build").exists(), "a failed build wrote output");
    stderr
}

#[test]
fn bad_recipients_are_errors_at_their_row() {
    let e = failing(
        "copy,recipient\n1,Head of delegation\n2,Trade adviser\n2,Legal adviser\n",
    );
    assert!(
        e.lines()
            .any(|l| l
                .starts_with("data/recipients.csv:4:1: error: copy 2 is listed twice")),
        "{e}"
    );
    let e = failing("copy,recipient\n1,Head of delegation\n5,Trade adviser\n");
    assert!(
        e.lines().any(|l| l.starts_with(
            "data/recipients.csv:3:1: error: copy number `5` is not one of 1 to 2"
        )),
        "{e}"
    );
    let e = failing("copy,name\n1,Head of delegation\n");
    assert!(
        e.lines().any(|l| l.starts_with(
            "data/recipients.csv:1:1: error: the recipients have no `recipient` column"
        )),
        "{e}"
    );
    let e = failing("copy,recipient\n1,\n");
    assert!(
        e.lines()
            .any(|l| l
                .starts_with("data/recipients.csv:2:1: error: copy 1 has no recipient")),
        "{e}"
    );
}

#[test]
fn a_watermark_with_an_unknown_name_is_an_error_at_the_manifest() {
    let dir = temp_dir();
    fixture(dir.path());
    let manifest = std::fs::read_to_string(dir.path().join("briefing.toml")).unwrap();
    let manifest = manifest.replace("{{recipient}}\"", "{{recipent}}\"");
    std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
    let out = build_short(dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.lines().any(|l| l.starts_with("briefing.toml:")
            && l.contains("error: invalid watermark template (unknown name `recipent`)")),
        "{stderr}"
    );
}

#[test]
fn copy_epubs_name_the_copy_on_their_title_page() {
    let dir = temp_dir();
    fixture(dir.path());
    let manifest = std::fs::read_to_string(dir.path().join("briefing.toml")).unwrap();
    std::fs::write(
        dir.path().join("briefing.toml"),
        format!("{manifest}copy-epubs = true\n"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = briefbook(&[
        "build",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!out.join("numbered.epub").exists(), "an unnumbered EPUB beside the copies");
    for n in 1..=5 {
        let file =
            std::fs::File::open(out.join(format!("numbered-copy-{n:02}.epub"))).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let name =
            zip.file_names().find(|f| f.ends_with("title.xhtml")).unwrap().to_string();
        let mut page = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut page)
            .unwrap();
        assert!(page.contains(&format!("Copy {n} of 5 — issued to ")), "{page}");
    }
}

#[test]
fn copies_named_in_a_passwords_file_are_encrypted_and_the_password_is_never_printed() {
    let dir = temp_dir();
    fixture(dir.path());
    let out = dir.path().join("out");
    // The passwords live outside the briefing folder.
    let secrets = temp_dir();
    let file = secrets.path().join("passwords.csv");
    std::fs::write(&file, "edition,copy,password\nnumbered,2,tulip-4491\n").unwrap();
    let args = |out: &Path| {
        vec![
            "build".to_string(),
            dir.path().to_str().unwrap().to_string(),
            "--out".into(),
            out.to_str().unwrap().to_string(),
            "--pdf".into(),
            "--passwords".into(),
            file.to_str().unwrap().to_string(),
        ]
    };
    let run = |out: &Path| {
        let a = args(out);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        briefbook(&a)
    };
    let o = run(&out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let printed = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(!printed.contains("tulip"), "the password was printed:\n{printed}");

    let copy = |n: usize| out.join(format!("numbered-copy-0{n}.pdf"));
    // Copy 2 opens only with its password; copy 1 has none.
    let check = |pdf: &Path, password: Option<&str>| {
        let mut a = vec!["--check".to_string()];
        if let Some(p) = password {
            a.push(format!("--password={p}"));
        }
        a.push(pdf.to_str().unwrap().to_string());
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        tool("qpdf", &a).status.code()
    };
    assert_eq!(check(&copy(2), None), Some(2), "copy 2 opened without its password");
    assert_eq!(check(&copy(2), Some("tulip-4491")), Some(0));
    assert_eq!(check(&copy(1), None), Some(0));
    let shown = text(
        &tool(
            "qpdf",
            &["--show-encryption", "--password=tulip-4491", copy(2).to_str().unwrap()],
        )
        .stdout,
    );
    assert!(shown.contains("R = 6") && shown.contains("AESv3"), "{shown}");
    let register = std::fs::read_to_string(out.join("register.csv")).unwrap();
    assert!(register.lines().nth(2).unwrap().ends_with(",yes"), "{register}");
    assert!(register.lines().nth(1).unwrap().ends_with(",no"), "{register}");

    // The same source and password give the same bytes.
    let again = dir.path().join("again");
    assert!(run(&again).status.success());
    assert_eq!(
        std::fs::read(copy(2)).unwrap(),
        std::fs::read(again.join("numbered-copy-02.pdf")).unwrap()
    );

    // PDF/A forbids encryption: refused before anything is written.
    let refused = dir.path().join("refused");
    let mut a = args(&refused);
    a.extend(["--pdf-standard".into(), "a-2b".into()]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let o = briefbook(&a);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("PDF/A does not allow encryption"),
        "{}",
        text(&o.stderr)
    );
    assert!(!refused.join("numbered-copy-02.pdf").exists());
}
