//! Tables too wide for a portrait page go on landscape pages, checked through poppler
//! (`pdfinfo` for the page sizes, `pdftotext` for the text and its boxes). The fixture
//! `tests/suite/layout/landscape` has a 12-column, 72-row table of long names that does
//! not fit an A4 portrait text area even at 7 pt, and an 8-column table that fits once its
//! type is a little smaller.

mod harness;

use std::path::{Path, PathBuf};

use harness::{briefbook, layout_dump, root, temp_dir, text, tool};

/// Builds the fixture into `out`; returns the PDF's path.
fn build(out: &Path) -> PathBuf {
    let dir = root().join("tests/suite/layout/landscape");
    let o = briefbook(&["build", dir.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "landscape failed to build:\n{}", text(&o.stderr));
    out.join("briefing.pdf")
}

/// Width and height of every page, from `pdfinfo -f 1 -l 999`.
fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let out = tool("pdfinfo", &["-f", "1", "-l", "999", pdf.to_str().unwrap()]);
    text(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let dims = l.split("size:").nth(1).unwrap();
            let mut nums = dims.split_whitespace().filter_map(|w| w.parse::<f64>().ok());
            (nums.next().unwrap(), nums.next().unwrap())
        })
        .collect()
}

fn page_text(pdf: &Path, n: usize) -> String {
    let n = n.to_string();
    let args = ["-f", &n, "-l", &n, "-layout", pdf.to_str().unwrap(), "-"];
    text(&tool("pdftotext", &args).stdout)
}

/// The words of page `n` with their right edges, from `pdftotext -bbox`.
fn words(pdf: &Path, n: usize) -> Vec<(String, f64)> {
    let n = n.to_string();
    let args = ["-f", &n, "-l", &n, "-bbox", pdf.to_str().unwrap(), "-"];
    let bbox = text(&tool("pdftotext", &args).stdout);
    bbox.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let x_max = l
                .split("xMax=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|v| v.parse().ok())
                .expect("xMax");
            let word = l.split('>').nth(1).and_then(|r| r.split('<').next()).unwrap();
            (word.to_string(), x_max)
        })
        .collect()
}

const A4: (f64, f64) = (595.276, 841.89);

fn is(size: (f64, f64), want: (f64, f64)) -> bool {
    (size.0 - want.0).abs() < 0.01 && (size.1 - want.1).abs() < 0.01
}

#[test]
fn a_table_too_wide_for_portrait_goes_on_landscape_pages() {
    let dir = temp_dir();
    let pdf = build(dir.path());
    let sizes = page_sizes(&pdf);
    let texts: Vec<String> = (1..=sizes.len()).map(|n| page_text(&pdf, n)).collect();
    let wide: Vec<usize> =
        (1..=sizes.len()).filter(|&n| texts[n - 1].contains("Call0")).collect();
    assert!(wide.len() >= 2, "72 rows should need several pages: {wide:?}");
    for (n, &size) in sizes.iter().enumerate().map(|(i, s)| (i + 1, s)) {
        if wide.contains(&n) {
            assert!(is(size, (A4.1, A4.0)), "table page {n} is not landscape: {size:?}");
        } else {
            assert!(is(size, A4), "page {n} should be portrait: {size:?}");
        }
    }
    // The table's pages follow each other; the text after it is on a portrait page.
    assert_eq!(wide.last().unwrap() - wide[0] + 1, wide.len());
    let after = (1..=sizes.len())
        .find(|&n| texts[n - 1].contains("continues on a portrait page"))
        .expect("the paragraph after the table");
    assert_eq!(after, wide.last().unwrap() + 1);

    let right_margin = A4.1 - 25.0 * 72.0 / 25.4;
    let mut calls = 0;
    for (i, &n) in wide.iter().enumerate() {
        let t = &texts[n - 1];
        // Every page shows the header row; later ones say the table continues.
        let header = t.lines().any(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w.first() == Some(&"call") && w.last() == Some(&"tonnage") && w.len() == 12
        });
        assert!(header, "landscape page {n} lacks the header row:\n{t}");
        assert_eq!(t.contains("Table 1 (continued)"), i > 0, "page {n}:\n{t}");
        // The marking and the folio are in the landscape page's margins.
        assert!(t.contains("RESTRICTED"), "page {n} lacks the marking");
        assert!(t.contains(&format!("Page {n} of {}", sizes.len())), "page {n}:\n{t}");
        for (word, x_max) in words(&pdf, n) {
            assert!(x_max <= right_margin + 0.5, "page {n}: {word} ends at {x_max}");
            // No word of the table is broken: every name is whole.
            assert!(!word.ends_with('-'), "page {n}: broken word {word}");
            if word.starts_with("Call0") {
                assert_eq!(word.len(), 7, "page {n}: {word}");
                calls += 1;
            }
        }
    }
    assert_eq!(calls, 72, "every row once");
    assert!(texts[wide[0] - 1].contains("Table 1. Port calls by harbour"));
    assert!(texts[wide.last().unwrap() - 1].contains("Source: Port authorities"));
    for name in ["Ouagadougou", "Antananarivo", "Tegucigalpa"] {
        assert!(texts[wide[0] - 1].contains(name), "{name} not whole");
    }
}

#[test]
fn contents_and_running_heads_count_landscape_pages() {
    let dir = temp_dir();
    let pdf = build(dir.path());
    let sizes = page_sizes(&pdf);
    let contents = page_text(&pdf, 2);
    let find = |needle: &str| {
        (3..=sizes.len()).find(|&n| page_text(&pdf, n).contains(needle)).unwrap()
    };
    let entry = |title: &str| -> usize {
        let line = contents.lines().find(|l| l.contains(title)).expect(title);
        line.split_whitespace().last().unwrap().parse().unwrap()
    };
    // The heading over the table goes on the first landscape page with it.
    let harbour = find("Calls by harbour\n");
    assert!(is(sizes[harbour - 1], (A4.1, A4.0)));
    assert_eq!(entry("Calls by harbour"), harbour);
    assert_eq!(entry("Capitals"), find("2 Capitals"));
}

#[test]
fn a_table_that_fits_after_shrinking_stays_portrait() {
    let dir = temp_dir();
    let pdf = build(dir.path());
    let sizes = page_sizes(&pdf);
    let n = (1..=sizes.len())
        .find(|&n| page_text(&pdf, n).contains("Capitals by region"))
        .expect("the second table");
    assert!(is(sizes[n - 1], A4), "page {n}: {:?}", sizes[n - 1]);
    let t = page_text(&pdf, n);
    assert!(t.contains("The text after it stays on the same page."));
    let right_margin = A4.0 - 25.0 * 72.0 / 25.4;
    for (word, x_max) in words(&pdf, n) {
        assert!(x_max <= right_margin + 0.5, "{word} ends at {x_max}");
        assert!(!word.ends_with('-'), "broken word {word}");
    }
    let line = t.lines().find(|l| l.trim_start().starts_with("region0")).unwrap();
    assert_eq!(line.split_whitespace().count(), 8, "{line}");
}

/// The type size of the first text item that reads `word`, from the laid-out pages.
fn size_of(word: &str) -> f64 {
    let dump = layout_dump(&root().join("tests/suite/layout/landscape"));
    let line = dump
        .lines()
        .find(|l| l.starts_with("text ") && l.contains(&format!("\"{word}\"")))
        .unwrap_or_else(|| panic!("{word} not laid out"));
    line.split_whitespace().nth(4).unwrap().parse().unwrap()
}

#[test]
fn tables_are_set_as_large_as_their_pages_allow() {
    // The usual table size is 0.82 of the 10.5 pt body: 8.61 pt.
    let usual = 8.61;
    let wide = size_of("Call001");
    let shrunk = size_of("region0");
    assert!((7.0..usual).contains(&wide), "landscape table at {wide} pt");
    assert!((7.0..usual).contains(&shrunk), "shrunk table at {shrunk} pt");
    // Set at 7 pt, the wide table would fit landscape with room to spare.
    assert!(wide > 7.5, "landscape table not enlarged to its width: {wide} pt");
}
