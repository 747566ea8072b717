//! Tagged PDF, checked with tools that share no code with us: poppler's
//! `pdfinfo -struct-text` (the structure tree with its text) against the model, qpdf's
//! JSON for the catalog and the figures' text alternatives, and the `pdfua` checker
//! (PDFUA, set by scripts/test) for the machine-checkable part of PDF/UA-1.

mod harness;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::export::pdf::{export_pdf, standards};
use briefbook::layout::layout_document;
use briefbook::model::{visit, BlockKind, Document};
use briefbook::source::LoadOptions;
use harness::{root, tool};

/// The sample's model and its PDF as the command line writes it (PDF/UA-1).
fn sample() -> (Document, Vec<u8>) {
    let mut sources = SourceMap::default();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let world = briefbook::world::World::new(&root().join("briefing")).unwrap();
    let compiled = compile(&world, &mut sources, &options, &mut Vec::new()).unwrap();
    let (paged, _) =
        layout_document(&compiled.document, &compiled.project.layout).unwrap();
    let (meta, problems) = standards(&compiled.document, &[]);
    assert!(problems.is_empty(), "{problems:?}");
    let pdf = export_pdf(&paged, &meta).unwrap();
    (compiled.document, pdf)
}

/// `pdfinfo -struct-text` of `pdf`, as (indent, line) pairs.
fn struct_text(pdf: &[u8]) -> Vec<(usize, String)> {
    let dir = harness::temp_dir();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = tool("pdfinfo", &["-struct-text", path.to_str().unwrap()]);
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| (l.len() - l.trim_start().len(), l.trim().to_string()))
        .collect()
}

/// The text lines directly under each element whose line starts with `role`.
fn texts_of(tree: &[(usize, String)], role: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (indent, line)) in tree.iter().enumerate() {
        let first = line.split([' ', ':']).next().unwrap_or("");
        if first != role {
            continue;
        }
        let mut text = String::new();
        for (inner, l) in &tree[i + 1..] {
            if inner <= indent {
                break;
            }
            if let Some(t) = l.strip_prefix('"') {
                text.push_str(t.strip_suffix('"').unwrap_or(t));
            }
        }
        out.push(text);
    }
    out
}

#[test]
fn the_structure_tree_follows_the_model() {
    let (doc, pdf) = sample();
    let tree = struct_text(&pdf);
    assert_eq!(tree.first().map(|t| t.1.as_str()), Some("Document"));

    // Headings in order, with their numbers, at the depth of their section.
    let mut expected = Vec::new();
    for (depth, s) in doc.walk() {
        let h = &s.heading;
        let text = match h.number_label() {
            Some(l) => format!("{l}\u{2002}{}", h.title()),
            None => h.title(),
        };
        expected.push((format!("H{}", (depth + 1).min(6)), text));
    }
    let found: Vec<(String, String)> = tree
        .iter()
        .enumerate()
        .filter(|(_, (_, l))| l.starts_with('H') && l.contains("(block)"))
        .map(|(i, (_, l))| {
            let role = l.split(' ').next().unwrap().to_string();
            let text = tree[i + 1].1.trim_matches('"').to_string();
            (role, text)
        })
        .collect();
    // The cover title and "Contents" come first; chapter headings follow in order
    // (panel titles are headings too, so the model's are a subsequence).
    let mut rest = found.iter();
    for (role, text) in &expected {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            rest.any(|(r, t)| r == role && norm(t) == norm(text)),
            "heading {role} {text:?} missing or out of order in {found:?}"
        );
    }

    // Every header cell of every table is a TH with column scope.
    let mut header_cells = 0;
    visit::each_block(&doc, &mut |b| {
        if let BlockKind::Table(t) = &b.kind {
            header_cells += t.header.iter().map(|r| r.cells.len()).sum::<usize>();
        }
    });
    let th = texts_of(&tree, "TH");
    assert!(
        th.len() >= header_cells && header_cells > 0,
        "{} TH for {header_cells}",
        th.len()
    );
    assert!(th.iter().any(|t| t == "Measure"), "{th:?}");
    let scopes = tree.iter().filter(|(_, l)| l == "/Scope /Column").count();
    assert_eq!(scopes, th.len());

    // Lists: items with a label and a body; the numbered talking points keep numbers.
    let labels = texts_of(&tree, "Lbl");
    assert!(labels.iter().any(|l| l == "1."), "{labels:?}");
    assert!(texts_of(&tree, "LBody").len() >= labels.len() - 1);

    // Footnotes: each a Note with its number first, then its text.
    for note in &doc.footnotes {
        let i = tree
            .iter()
            .position(|(_, l)| l.starts_with(&format!("Note <{}>", note.anchor)))
            .unwrap_or_else(|| panic!("no Note for {}", note.anchor));
        assert_eq!(tree[i + 1].1, "Link (inline)");
        assert_eq!(tree[i + 2].1, format!("\"{}.\"", note.number));
    }

    // Charts are figures; the contents page is a TOC.
    let charts = {
        let mut n = 0;
        visit::each_block(&doc, &mut |b| {
            n += usize::from(matches!(b.kind, BlockKind::Chart(_)));
        });
        n
    };
    assert_eq!(texts_of(&tree, "Figure").len(), charts);
    assert!(texts_of(&tree, "TOCI").len() >= doc.sections.len());
}

#[test]
fn figures_carry_the_epub_alt_text_and_the_catalog_is_tagged() {
    let (doc, pdf) = sample();
    let dir = harness::temp_dir();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = tool("qpdf", &["--json", path.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let objects = json["qpdf"][1].as_object().unwrap();
    let values = || objects.values().filter_map(|v| v.get("value"));
    let catalog = values().find(|v| v["/Type"] == "/Catalog").unwrap();
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true);
    assert_eq!(catalog["/ViewerPreferences"]["/DisplayDocTitle"], true);
    assert!(
        catalog.get("/StructTreeRoot").is_some() && catalog.get("/Metadata").is_some()
    );
    let root = values().find(|v| v["/Type"] == "/StructTreeRoot").unwrap();
    assert!(root.get("/ParentTree").is_some());

    let alts: Vec<String> = values()
        .filter(|v| v["/S"] == "/Figure")
        .filter_map(|v| {
            v["/Alt"].as_str().map(|s| s.trim_start_matches("u:").to_string())
        })
        .collect();
    visit::each_block(&doc, &mut |b| {
        if let BlockKind::Chart(c) = &b.kind {
            let alt = briefbook::chart::describe(c, &doc.meta.locale);
            assert!(alts.contains(&alt), "{alt:?} not among {alts:?}");
        }
    });
    // Every page follows the structure order for tabbing; every link is described.
    for page in values().filter(|v| v["/Type"] == "/Page") {
        assert_eq!(page["/Tabs"], "/S");
    }
    for annot in values().filter(|v| v["/Subtype"] == "/Link") {
        assert!(annot["/Contents"].as_str().is_some_and(|s| s.len() > 2), "{annot}");
        assert!(annot.get("/StructParent").is_some());
    }
}

#[test]
fn pdfua_finds_nothing_in_the_sample() {
    let Ok(pdfua) = std::env::var("PDFUA") else {
        panic!("PDFUA must point at the pdfua checker (run scripts/test)");
    };
    let (_, pdf) = sample();
    let dir = harness::temp_dir();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = tool(&pdfua, &["check", path.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("errors=0 warnings=0"), "{report}");
}
