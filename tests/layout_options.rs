//! `[layout]`: justified body text fills the measure and ragged-right text does not; named
//! page sizes; furniture templates.

mod harness;

use std::collections::BTreeMap;

use briefbook::compile::compile;
use briefbook::diag::SourceMap;
use briefbook::layout::{layout_document, FrameItem};

/// Right edges of the body lines on the chapter page, keyed by baseline.
fn right_edges(justify: bool) -> (Vec<f64>, f64) {
    let dir = harness::temp_dir();
    let manifest = format!(
        "[book]\ntitle = \"T\"\nclassification = \"UNCLASSIFIED\"\nissue-date = 2025-06-12\n\n\
         [layout]\njustify = {justify}\n\n[contents]\nsections = [\"s.md\"]\n"
    );
    std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
    let para = "The delegation will arrive in Astana on the first day and meet the host before \
                the plenary session, where trade, transport and customs cooperation are on the \
                agenda together with tourism, education and the preservation of heritage. "
        .repeat(4);
    std::fs::write(dir.path().join("s.md"), format!("# Chapter\n\n{para}\n")).unwrap();
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let c = compile(
        &briefbook::world::World::new(dir.path()).unwrap(),
        &mut sources,
        &Default::default(),
        &mut warnings,
    )
    .unwrap();
    let (paged, _) = layout_document(&c.document, &c.project.layout).unwrap();
    let page = paged.pages.last().unwrap();
    let mut lines: BTreeMap<i64, f64> = BTreeMap::new();
    for (pos, item) in page.items() {
        if let FrameItem::Text(run) = item {
            if (run.size.0 - 10.5).abs() < 0.01 {
                let right = pos.x.0 + run.width().0;
                let e = lines.entry((pos.y.0 * 100.0) as i64).or_insert(0.0);
                *e = e.max(right);
            }
        }
    }
    let edges: Vec<f64> = lines.values().copied().collect();
    let max = edges.iter().copied().fold(0.0, f64::max);
    (edges, max)
}

#[test]
fn justified_lines_end_together_and_ragged_lines_do_not() {
    let (justified, measure) = right_edges(true);
    assert!(justified.len() >= 5, "expected a paragraph of several lines");
    let full = justified[..justified.len() - 1]
        .iter()
        .filter(|e| (measure - **e).abs() < 0.5)
        .count();
    assert_eq!(
        full,
        justified.len() - 1,
        "every justified line but the last fills the measure: {justified:?}"
    );

    let (ragged, measure) = right_edges(false);
    let short =
        ragged[..ragged.len() - 1].iter().filter(|e| (measure - **e) > 2.0).count();
    assert!(short >= 2, "ragged-right lines should end at different places: {ragged:?}");
}

#[test]
fn furniture_templates_set_the_running_heads_and_feet() {
    let dir = harness::temp_dir();
    let manifest = "[book]\ntitle = \"Atlas\"\nclassification = \"secret\"\nissue-date = 2025-06-12\n\n\
                    [contents]\nsections = [\"s.md\"]\n\n[furniture]\nheader-left = \"{{title}}\"\n\
                    header-center = \"\"\nfooter-left = \"\"\nfooter-right = \"{{page}}/{{pages}}\"\n";
    std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
    std::fs::write(dir.path().join("s.md"), "# Chapter\n\nText.\n").unwrap();
    let mut sources = SourceMap::default();
    let mut warnings = Vec::new();
    let c = compile(
        &briefbook::world::World::new(dir.path()).unwrap(),
        &mut sources,
        &Default::default(),
        &mut warnings,
    )
    .unwrap();
    let (paged, _) = layout_document(&c.document, &c.project.layout).unwrap();
    let dump = paged.dump();
    let last = dump.rsplit("page ").next().unwrap();
    assert!(last.contains("\"3/3\""), "footer-right missing:\n{last}");
    assert!(last.contains("\"Atlas\""), "header-left missing:\n{last}");
    assert_eq!(
        last.matches("\"SECRET\"").count(),
        1,
        "only the footer centre shows the marking:\n{last}"
    );
    assert!(
        !last.contains("\"Chapter\" NotoSans-Regular 6.75"),
        "footer-left was emptied:\n{last}"
    );
}

/// The page size a manifest's `[layout] page-size = SIZE` gives, in millimetres.
fn page_size(size: &str) -> (f64, f64) {
    let dir = harness::temp_dir();
    let manifest = format!(
        "[book]\ntitle = \"T\"\nclassification = \"UNCLASSIFIED\"\nissue-date = 2025-06-12\n\n\
         [layout]\npage-size = {size}\n\n[contents]\nsections = [\"s.md\"]\n"
    );
    std::fs::write(dir.path().join("briefing.toml"), manifest).unwrap();
    std::fs::write(dir.path().join("s.md"), "# Chapter\n\nText.\n").unwrap();
    let mut sources = SourceMap::default();
    let c = compile(
        &briefbook::world::World::new(dir.path()).unwrap(),
        &mut sources,
        &Default::default(),
        &mut Vec::new(),
    )
    .unwrap_or_else(|e| panic!("{size}: {e:#?}"));
    (c.project.layout.page_width.get(), c.project.layout.page_height.get())
}

/// The ISO and North American sizes are known by name, in any case.
#[test]
fn named_page_sizes_are_read_in_any_case() {
    for (name, size) in [
        ("\"A3\"", (297.0, 420.0)),
        ("\"A4\"", (210.0, 297.0)),
        ("\"a5\"", (148.0, 210.0)),
        ("\"A6\"", (105.0, 148.0)),
        ("\"b5\"", (176.0, 250.0)),
        ("\"LETTER\"", (215.9, 279.4)),
        ("\"Legal\"", (215.9, 355.6)),
        ("\"executive\"", (184.15, 266.7)),
        ("{ width = 170, height = 240 }", (170.0, 240.0)),
    ] {
        assert_eq!(page_size(name), size, "{name}");
    }
}
