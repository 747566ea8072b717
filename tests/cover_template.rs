//! The PDF cover comes from a handlebars template: the shipped `templates/pdf/cover.hbs`,
//! or the file `[furniture] cover` names. Checked through `pdftotext` (an oracle that shares
//! no code with us) and the layout dump. Bad cover templates are in `tests/errors.rs`.

mod harness;

use std::path::Path;

use harness::{briefbook, layout_dump, root, temp_dir, text, tool};

/// The text of page 1 of the briefing in `dir`, one trimmed non-empty line per line.
fn cover_lines(dir: &Path) -> Vec<String> {
    let out = temp_dir();
    let o = briefbook(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "build failed:\n{}", text(&o.stderr));
    let pdf = out.path().join("briefing.pdf");
    let args = ["-f", "1", "-l", "1", "-layout", pdf.to_str().unwrap(), "-"];
    text(&tool("pdftotext", &args).stdout)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_shipped_cover_shows_every_book_fact() {
    let lines = cover_lines(&root().join("briefing"));
    let all = lines.join("\n");
    for fact in [
        "RESTRICTED — FOR DELEGATION USE ONLY",
        "DELEGATION SECRETARIAT",
        "Second China–Central Asia",
        "Delegation briefing book",
        "Astana, Kazakhstan",
        "16–18 June 2025",
        "First edition",
        "Issued 12 June 2025",
        "Prepared by Delegation Secretariat, Research and Analysis Unit",
    ] {
        assert!(all.contains(fact), "{fact} missing from the cover:\n{all}");
    }
    // The marking at the head and the foot of the page.
    assert!(lines.first().unwrap().contains("RESTRICTED"), "{all}");
    assert!(lines.last().unwrap().contains("RESTRICTED"), "{all}");
}

#[test]
fn a_briefing_can_reorder_drop_and_add_cover_lines() {
    let lines = cover_lines(&root().join("tests/suite/layout/custom-cover"));
    let all = lines.join("\n");
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} missing:\n{all}"))
    };
    // Its own order: the event above the title, the subtitle under the rule.
    let order = [
        at("CONFIDENTIAL"),
        at("Second Ministerial Dialogue"),
        at("Ulaanbaatar, Mongolia · 3–5 September 2025"),
        at("Ministerial Visit to"),
        at("Briefing for the principal"),
        at("Copy No. 7 of 20"),
        at("Second edition, issued 20 August 2025"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{all}");
    assert!(!all.to_uppercase().contains("PROTOCOL DEPARTMENT"), "dropped:\n{all}");
    assert!(lines.last().unwrap().contains("CONFIDENTIAL"), "{all}");
}

#[test]
fn cover_regions_and_the_band_are_placed_on_the_page() {
    let dump = layout_dump(&root().join("tests/suite/layout/custom-cover"));
    let cover: Vec<&str> =
        dump.lines().skip(1).take_while(|l| !l.starts_with("page ")).collect();
    let y_of = |word: &str| -> f64 {
        let line = cover
            .iter()
            .find(|l| l.starts_with("text ") && l.contains(&format!("\"{word}\"")))
            .unwrap_or_else(|| panic!("{word} not on the cover"));
        let pos = line.split_whitespace().nth(1).unwrap();
        pos.split(',').nth(1).unwrap().parse().unwrap()
    };
    let mm = 72.0 / 25.4;
    let (height, top, bottom) = (297.0 * mm, 25.0 * mm, (297.0 - 25.0) * mm);
    // The band sits at the foot of the page.
    let band = format!("rect 0.00,{:.2} 595.28x8.00", height - 8.0);
    assert!(cover.iter().any(|l| l.starts_with(&band)), "{band} not in\n{cover:?}");
    // Header and footer in the margins, the rest inside the text area, in region order.
    let marks: Vec<f64> = cover
        .iter()
        .filter(|l| l.contains("\"CONFIDENTIAL\""))
        .map(|l| l.split_whitespace().nth(1).unwrap().split(',').nth(1).unwrap())
        .map(|y| y.parse().unwrap())
        .collect();
    assert_eq!(marks.len(), 2);
    assert!(marks[0] < top && marks[1] > bottom, "{marks:?}");
    let (event, title, copy, edition) =
        (y_of("Dialogue"), y_of("Visit"), y_of("Copy"), y_of("edition,"));
    assert!(
        top < event && event < title && title < copy && copy < edition,
        "order: {top} {event} {title} {copy} {edition}"
    );
    assert!(
        edition < bottom && edition > bottom - 30.0,
        "the foot ends at the text area"
    );
    // The middle block starts at 28% of the text area.
    assert!((title - (top + (bottom - top) * 0.28)).abs() < 40.0, "title at {title}");
}

#[test]
fn a_long_title_block_moves_up_instead_of_running_into_the_foot() {
    let dir = temp_dir();
    harness::copy_tree(&root().join("tests/suite/layout/custom-cover"), dir.path());
    let manifest = dir.path().join("briefing.toml");
    let long = "Ministerial Visit ".repeat(20);
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("\"Ministerial Visit to Ulaanbaatar\"", &format!("\"{long}End\""));
    std::fs::write(&manifest, text).unwrap();
    let lines = cover_lines(dir.path());
    let all = lines.join("\n");
    let at = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap();
    // pdftotext keeps reading order top to bottom: the whole middle block comes before
    // the foot, and the top block before the title.
    assert!(at("Ulaanbaatar, Mongolia") < at("Ministerial Visit"), "{all}");
    assert!(at("End") < at("Copy No. 7"), "{all}");
    assert!(at("Copy No. 7") < at("Second edition"), "{all}");
}
