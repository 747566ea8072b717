//! Tagged PDF, checked with tools that share no code with us: poppler's
//! `pdfinfo -struct-text` (the structure tree with its text) against the model, qpdf's
//! JSON for the catalog and the figures' text alternatives, and the `pdfua` checker
//! (PDFUA, set by scripts/test) for the machine-checkable part of PDF/UA-1; and the
//! text that pdftotext, pypdf and pdf.js (PDF_ORACLES, set by scripts/test) copy out.

mod harness;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::export::pdf::{export_pdf, standards};
use briefbook::layout::tag::Tag;
use briefbook::layout::{layout_document, FrameItem, PagedDocument};
use briefbook::model::{visit, BlockKind, Document};
use briefbook::source::LoadOptions;
use harness::{root, tool};

/// The sample's model and its PDF as the command line writes it (PDF/UA-1).
fn sample() -> (Document, Vec<u8>) {
    let (document, _, pdf) = sample_paged();
    (document, pdf)
}

/// The sample's model, pages and PDF.
fn sample_paged() -> (Document, PagedDocument, Vec<u8>) {
    let mut sources = SourceMap::default();
    let options = LoadOptions { source_date_epoch: Some(0), ..Default::default() };
    let world = briefbook::world::World::new(&root().join("briefing")).unwrap();
    let compiled = compile(&world, &mut sources, &options, &mut Vec::new()).unwrap();
    let (paged, _) =
        layout_document(&compiled.document, &compiled.project.layout).unwrap();
    let (meta, problems) = standards(&compiled.document, &[]);
    assert!(problems.is_empty(), "{problems:?}");
    let pdf = export_pdf(&paged, &meta).unwrap();
    (compiled.document, paged, pdf)
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

#[test]
fn pdfua_finds_nothing_in_a_numbered_copy() {
    let Ok(pdfua) = std::env::var("PDFUA") else {
        panic!("PDFUA must point at the pdfua checker (run scripts/test)");
    };
    // A copy is written from the objects every copy of its edition shares.
    let dir = harness::temp_dir();
    harness::copy_tree(&root().join("tests/suite/base"), dir.path());
    harness::copy_tree(&root().join("tests/suite/copies"), dir.path());
    let out = dir.path().join("out");
    let built = harness::briefbook(&[
        "build",
        dir.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--pdf",
    ]);
    assert!(built.status.success(), "{}", harness::text(&built.stderr));
    let path = out.join("numbered-copy-02.pdf");
    let out = tool(&pdfua, &["check", path.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("errors=0 warnings=0"), "{report}");
}

/// Every word the sample's layout hyphenates, as (the part before the inserted hyphen,
/// the part after the line break).
fn hyphenated_words(paged: &PagedDocument) -> Vec<(String, String)> {
    let mut words = Vec::new();
    for page in &paged.pages {
        let mut last = String::new(); // the last text item's text
        let mut state = 0; // 1: the hyphen comes next; 2: the next line's text does
        let mut before = String::new();
        for (_, item) in page.items() {
            match item {
                FrameItem::Tag(Tag::Hyphen) => {
                    let word = last.rsplit(|c: char| !c.is_alphanumeric()).next();
                    before = word.unwrap_or("").to_string();
                    state = 1;
                }
                FrameItem::Text(run) => {
                    let t: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
                    match state {
                        1 => state = 2,
                        2 => {
                            let after: String =
                                t.chars().take_while(|c| c.is_alphanumeric()).collect();
                            words.push((std::mem::take(&mut before), after));
                            state = 0;
                        }
                        _ => {}
                    }
                    last = t;
                }
                _ => {}
            }
        }
    }
    words
}

/// The text of `pdf` as pdftotext, pypdf and pdf.js (legacy build, under node) read it.
fn extracted(pdf: &[u8]) -> Vec<(&'static str, String)> {
    let oracles = std::env::var("PDF_ORACLES")
        .expect("PDF_ORACLES must point at pypdf and pdf.js (run scripts/test)");
    let dir = harness::temp_dir();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf).unwrap();
    let path = path.to_str().unwrap();
    let python = format!("{oracles}/venv/bin/python");
    let pypdf = "import sys, pypdf\n\
        r = pypdf.PdfReader(sys.argv[1])\n\
        sys.stdout.write('\\f'.join(p.extract_text() for p in r.pages))";
    let pdfjs = format!(
        "import {{ getDocument }} from '{oracles}/node_modules/pdfjs-dist/legacy/build/pdf.mjs';\n\
         const data = new Uint8Array((await import('fs')).readFileSync(process.argv[2]));\n\
         const doc = await getDocument({{ data, verbosity: 0 }}).promise;\n\
         let out = '';\n\
         for (let i = 1; i <= doc.numPages; i++) {{\n\
           const page = await doc.getPage(i);\n\
           for (const it of (await page.getTextContent()).items)\n\
             out += it.str + (it.hasEOL ? '\\n' : '');\n\
           out += '\\f';\n\
         }}\n\
         process.stdout.write(out);"
    );
    let script = dir.path().join("text.mjs");
    std::fs::write(&script, pdfjs).unwrap();
    let runs = [
        ("pdftotext", tool("pdftotext", &[path, "-"])),
        ("pypdf", tool(&python, &["-c", pypdf, path])),
        ("pdf.js", tool("node", &[script.to_str().unwrap(), path])),
    ];
    runs.into_iter()
        .map(|(name, out)| {
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            (name, String::from_utf8(out.stdout).unwrap())
        })
        .collect()
}

#[test]
fn copied_text_has_no_inserted_hyphens_and_keeps_real_ones() {
    let (_, paged, pdf) = sample_paged();
    let words = hyphenated_words(&paged);
    assert!(words.len() >= 5, "the sample should hyphenate some words: {words:?}");
    assert!(words.iter().any(|(a, b)| a == "Ka" && b == "zakhstan"), "{words:?}");
    for (tool, text) in extracted(&pdf) {
        // A line break after a soft hyphen (U+00AD, the tagged-PDF form of an inserted
        // hyphen) joins the word; so does pdftotext when it rejoins lines itself.
        let joined = text.replace("\u{AD}\n", "");
        for (a, b) in &words {
            let whole = format!("{a}{b}");
            let split = format!("{a}\n{b}");
            // pdf.js drops the soft hyphen (a format character) and keeps the line break.
            let found =
                joined.contains(&whole) || (tool == "pdf.js" && text.contains(&split));
            assert!(found, "{tool} does not read `{whole}` whole");
            for stray in [format!("{a}-\n{b}"), format!("{a}-{b}"), format!("{a} {b}")] {
                assert!(!text.contains(&stray), "{tool} reads `{stray}`");
            }
        }
        for real in ["pre-pandemic", "China–Central"] {
            assert!(text.contains(real), "{tool} loses the hyphen of `{real}`");
        }
    }
}

/// One structure element as pdf.js's `getStructTree()` shows it on a page: its role,
/// alternate text, the text of the marked content under it and its annotation (OBJR)
/// kids.
#[derive(Debug)]
struct Seen {
    role: String,
    alt: Option<String>,
    text: String,
    annotations: usize,
    /// Roles of the elements under it.
    inner: Vec<String>,
}

/// Every element of every page's structure tree as pdf.js (legacy build) reads it, in
/// page and reading order.
fn pdfjs_struct_trees(pdf: &[u8]) -> Vec<Seen> {
    let oracles = std::env::var("PDF_ORACLES")
        .expect("PDF_ORACLES must point at pdf.js (run scripts/test)");
    let dir = harness::temp_dir();
    let path = dir.path().join("t.pdf");
    std::fs::write(&path, pdf).unwrap();
    let script = format!(
        "import {{ getDocument }} from '{oracles}/node_modules/pdfjs-dist/legacy/build/pdf.mjs';\n\
         const data = new Uint8Array((await import('fs')).readFileSync(process.argv[2]));\n\
         const doc = await getDocument({{ data, verbosity: 0 }}).promise;\n\
         const pages = [];\n\
         for (let i = 1; i <= doc.numPages; i++) {{\n\
           const page = await doc.getPage(i);\n\
           const text = {{}}; const open = [];\n\
           const content = await page.getTextContent({{ includeMarkedContent: true }});\n\
           for (const it of content.items) {{\n\
             if (it.type === 'beginMarkedContentProps' || it.type === 'beginMarkedContent')\n\
               open.push(it.id ?? null);\n\
             else if (it.type === 'endMarkedContent') open.pop();\n\
             else {{\n\
               const id = open.findLast(x => x);\n\
               if (id) text[id] = (text[id] ?? '') + it.str + (it.hasEOL ? ' ' : '');\n\
             }}\n\
           }}\n\
           const fill = n => {{\n\
             if (n.type === 'content') n.text = text[n.id] ?? '';\n\
             for (const c of n.children ?? []) fill(c);\n\
           }};\n\
           const tree = await page.getStructTree();\n\
           if (tree) fill(tree);\n\
           pages.push(tree);\n\
         }}\n\
         process.stdout.write(JSON.stringify(pages));"
    );
    let file = dir.path().join("tree.mjs");
    std::fs::write(&file, script).unwrap();
    let out = tool("node", &[file.to_str().unwrap(), path.to_str().unwrap()]);
    assert!(out.status.success(), "pdf.js: {}", String::from_utf8_lossy(&out.stderr));
    let pages: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!pages.is_empty());

    fn text(node: &serde_json::Value) -> String {
        match node["type"].as_str() {
            Some("content") => node["text"].as_str().unwrap_or("").to_string(),
            _ => node["children"]
                .as_array()
                .map(|kids| kids.iter().map(text).collect())
                .unwrap_or_default(),
        }
    }
    fn roles(node: &serde_json::Value, out: &mut Vec<String>) {
        for kid in node["children"].as_array().into_iter().flatten() {
            if let Some(role) = kid["role"].as_str() {
                out.push(role.to_string());
                roles(kid, out);
            }
        }
    }
    fn walk(node: &serde_json::Value, out: &mut Vec<Seen>) {
        for kid in node["children"].as_array().into_iter().flatten() {
            let Some(role) = kid["role"].as_str() else { continue };
            let kids = kid["children"].as_array().map_or(&[][..], Vec::as_slice);
            let mut inner = Vec::new();
            roles(kid, &mut inner);
            out.push(Seen {
                role: role.to_string(),
                alt: kid["alt"].as_str().map(str::to_string),
                text: text(kid).split_whitespace().collect::<Vec<_>>().join(" "),
                // An OBJR kid: "annotation" if it is the element's only kid.
                annotations: kids
                    .iter()
                    .filter(|k| k["type"] == "annotation" || k["type"] == "object")
                    .count(),
                inner,
            });
            walk(kid, out);
        }
    }
    let mut seen = Vec::new();
    for page in &pages {
        walk(page, &mut seen);
    }
    seen
}

#[test]
fn pdfjs_reads_headings_tables_figures_and_whole_links_from_the_structure() {
    let (doc, paged, pdf) = sample_paged();
    let seen = pdfjs_struct_trees(&pdf);
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");

    // Headings in the model's order (the cover, contents and panel titles are headings
    // too, so the model's are a subsequence).
    let found: Vec<(&str, String)> = seen
        .iter()
        .filter(|s| s.role.len() == 2 && s.role.starts_with('H'))
        .map(|s| (s.role.as_str(), s.text.clone()))
        .collect();
    let mut rest = found.iter();
    for (depth, s) in doc.walk() {
        let h = &s.heading;
        let text = match h.number_label() {
            Some(l) => format!("{l}\u{2002}{}", h.title()),
            None => h.title(),
        };
        let role = format!("H{}", (depth + 1).min(6));
        assert!(
            rest.any(|(r, t)| *r == role && norm(t) == norm(&text)),
            "heading {role} {text:?} missing or out of order in {found:?}"
        );
    }

    // Tables hold header cells, and a header cell reads as its text.
    let tables: Vec<&Seen> = seen.iter().filter(|s| s.role == "Table").collect();
    assert!(!tables.is_empty());
    assert!(tables.iter().all(|t| t.inner.iter().any(|r| r == "TH")), "{tables:?}");
    assert!(seen.iter().any(|s| s.role == "TH" && s.text == "Measure"));

    // Every figure has its text alternative.
    let figures: Vec<&Seen> = seen.iter().filter(|s| s.role == "Figure").collect();
    assert!(!figures.is_empty());
    assert!(figures.iter().all(|f| f.alt.as_deref().is_some_and(|a| a.len() > 10)));

    // A link whose text wraps is one Link element with an annotation on each line: the
    // layout has such a link (two areas in one Link span on a page), and pdf.js shows
    // one Link element holding both annotations.
    let mut wrapped = 0;
    for page in &paged.pages {
        let mut depth_in_link: Option<usize> = None;
        let (mut depth, mut areas) = (0usize, 0usize);
        for (_, item) in page.items() {
            match item {
                FrameItem::Tag(Tag::Start(e)) => {
                    depth += 1;
                    if e.role == briefbook::layout::tag::StructRole::Link {
                        depth_in_link.get_or_insert(depth);
                        areas = 0;
                    }
                }
                FrameItem::Tag(Tag::End) => {
                    if depth_in_link == Some(depth) {
                        wrapped += usize::from(areas >= 2);
                        depth_in_link = None;
                    }
                    depth = depth.saturating_sub(1);
                }
                FrameItem::Link { .. } if depth_in_link.is_some() => areas += 1,
                _ => {}
            }
        }
    }
    assert!(wrapped > 0, "the sample should have a link that wraps on a page");
    let whole = seen.iter().filter(|s| s.role == "Link" && s.annotations >= 2).count();
    assert!(whole >= wrapped, "{whole} Link elements with two annotations for {wrapped}");
    assert!(seen.iter().filter(|s| s.role == "Link").all(|s| s.annotations >= 1));
}
