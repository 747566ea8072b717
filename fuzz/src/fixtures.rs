//! The fixed files each target puts around its fuzzed input: small, valid, and using
//! enough of the format that the fuzzed part reaches every stage.

use crate::{file, File};

/// A small valid PNG (4×3 RGB), for image references in sections.
pub const PNG: &[u8] = include_bytes!("../seeds/image/rgb8.png");

/// A small valid JPEG (8×8 RGB).
pub const JPEG: &[u8] = include_bytes!("../seeds/image/rgb.jpg");

/// A section with a little of everything except data: it needs only `[book]`.
pub const PLAIN_SECTION: &str = r#"# {{book.title}} {#top}

A paragraph with *emphasis*, **strong**, `code`, ~~struck~~ and a
[link](#second) to the next heading.[^note]

## Second

- one
- two
  1. nested

| Name | Value |
|:--|--:|
| a | 1 |

```keyfigures
[[figure]]
value = "42"
label = "Answer"
```

[^note]: A footnote.
"#;

/// The trade data set of the sample book.
pub const TRADE_CSV: &str =
    "year,value,change\n2022,80.1,\n2023,89.4,9.3\n2024,94.8,5.4\n";

/// A data set for timelines.
pub const MILESTONES_CSV: &str = "when,event,detail\n\
c. 138 BCE,Zhang Qian’s mission,\"The first route, 2,100 years ago.\"\n\
2013,Silk Road Economic Belt,Announced in Kazakhstan.\n\
16–18 June 2025,Astana Summit,\n";

/// A TOML data set with loose facts and rows.
pub const FACTS_TOML: &str = r#"year = 2024
visitors = 650000
host = { country = "Kazakhstan", capital = "Astana" }

[[rows]]
year = 2023
visitors = 120000

[[rows]]
year = 2024
visitors = 150000
"#;

/// `[book]` with every fact, for targets that fuzz something else.
pub const BOOK: &str = r#"[book]
title = "Fuzz Briefing"
subtitle = "Delegation briefing book"
event = "Second Summit"
venue = "Astana, Kazakhstan"
start-date = 2025-06-16
end-date = 2025-06-18
organisation = "Delegation Secretariat"
classification = "RESTRICTED — FOR DELEGATION USE ONLY"
language = "en-GB"
edition = "First edition"
issue-date = 2025-06-12
authors = ["Research Unit", "Protocol Office"]
description = "A book made by the fuzzer."
subjects = ["Trade"]
"#;

/// The data sets of [`small_data`], as manifest tables.
pub const SMALL_DATA_MANIFEST: &str = r#"
[data.trade]
path = "data/trade.csv"
source = "Example Statistics Office"
columns.year = { type = "integer", label = "Year" }
columns.value = { type = "number", unit = "billion US dollars", label = "Trade", decimals = 1 }
columns.change = { type = "number", unit = "billion US dollars", label = "Change" }

[data.milestones]
path = "data/milestones.csv"
source = "Public reference information"

[data.facts]
path = "data/facts.toml"
"#;

/// A small data set: `trade` (as in the sample book), `milestones`, `facts` (TOML),
/// plus an image at `images/map.png` and `images/photo.jpg`.
pub fn small_data() -> Vec<File> {
    vec![
        file("data/trade.csv", TRADE_CSV),
        file("data/milestones.csv", MILESTONES_CSV),
        file("data/facts.toml", FACTS_TOML),
        ("images/map.png".into(), PNG.to_vec()),
        ("images/photo.jpg".into(), JPEG.to_vec()),
    ]
}

/// The manifest for a single section at `sections/fuzz.md` with [`small_data`].
pub fn small_manifest() -> String {
    format!(
        "{BOOK}\n[contents]\nsections = [\"sections/fuzz.md\", \"sections/anchors.md\"]\n\
         {SMALL_DATA_MANIFEST}"
    )
}

/// The sample book's data files (`briefing/data`) and the chart fixture's, with a
/// manifest declaring them all and one section at `sections/fuzz.md`.
pub fn sample_data() -> Vec<File> {
    let mut files = vec![
        file("data/trade.csv", include_str!("../../briefing/data/trade.csv")),
        file("data/tourism.toml", include_str!("../../briefing/data/tourism.toml")),
        file("data/milestones.csv", include_str!("../../briefing/data/milestones.csv")),
        file("data/states.csv", include_str!("../../briefing/data/states.csv")),
        file(
            "data/exports.csv",
            include_str!("../../tests/suite/charts/data/exports.csv"),
        ),
        file("data/many.csv", include_str!("../../tests/suite/charts/data/many.csv")),
        file("data/facts.toml", FACTS_TOML),
        file(
            "data/wide.csv",
            include_str!("../../tests/suite/layout/landscape/data/wide.csv"),
        ),
        file(
            "data/shrink.csv",
            include_str!("../../tests/suite/layout/landscape/data/shrink.csv"),
        ),
        file(
            "data/rows.csv",
            include_str!("../../tests/suite/layout/long-table/data/rows.csv"),
        ),
        ("images/map.png".into(), PNG.to_vec()),
        ("images/photo.jpg".into(), JPEG.to_vec()),
    ];
    let sample = include_str!("../../briefing/briefing.toml");
    // The sample manifest's [book] and [data.*] tables, with one section of ours.
    let contents = sample.find("[contents]").expect("sample manifest has [contents]");
    let data = sample.find("[data.trade]").expect("sample manifest has [data.trade]");
    let manifest = format!(
        "{}[contents]\nsections = [\"sections/fuzz.md\", \"sections/anchors.md\"]\n\n{}{}",
        &sample[..contents],
        &sample[data..],
        r#"
[data.exports]
path = "data/exports.csv"
source = "Example Statistics Office"
columns.year = { type = "integer", label = "Year" }
columns.exports = { type = "number", unit = "billion US dollars", label = "Exports" }
columns.imports = { type = "number", unit = "billion US dollars", label = "Imports" }
columns.balance = { type = "number", unit = "billion US dollars", label = "Balance" }

[data.many]
path = "data/many.csv"
columns.value = { type = "number", unit = "tonnes" }

[data.facts]
path = "data/facts.toml"

[data.wide]
path = "data/wide.csv"
source = "Port authorities"

[data.shrink]
path = "data/shrink.csv"

[data.rows]
path = "data/rows.csv"
"#
    );
    files.push(file("briefing.toml", &manifest));
    files
}

/// For the manifest target: a file for every quoted path in `manifest` that ends in a
/// known extension, so a fuzzed manifest can name its sections, data sets, cover and
/// fonts freely and still reach them. Sections get [`PLAIN_SECTION`]; `.csv` files
/// the trade data; `.toml` files the facts; anything else (a cover) the shipped cover.
pub fn files_named_in(manifest: &[u8]) -> Vec<File> {
    let text = String::from_utf8_lossy(manifest);
    let mut files = Vec::new();
    for quote in ['"', '\''] {
        let mut parts = text.split(quote);
        parts.next();
        // Every other piece is inside quotes (approximately: escapes are ignored).
        while let Some(inside) = parts.next() {
            parts.next();
            if inside.len() > 200 || inside.contains('\n') {
                continue;
            }
            let lower = inside.to_ascii_lowercase();
            let content = if lower.ends_with(".md") {
                PLAIN_SECTION.as_bytes()
            } else if lower.ends_with(".csv") {
                TRADE_CSV.as_bytes()
            } else if lower.ends_with(".toml") {
                FACTS_TOML.as_bytes()
            } else if lower.ends_with(".hbs") || lower.ends_with(".txt") {
                briefbook::template::DEFAULT_COVER.as_bytes()
            } else if lower.ends_with(".png") {
                PNG
            } else {
                continue;
            };
            files.push((inside.to_string(), content.to_vec()));
        }
    }
    files
}

/// The anchors the sample book's sections link to across files.
const ANCHORS: [&str; 9] = [
    "summary",
    "key-figures",
    "background",
    "trade",
    "connectivity",
    "people",
    "states",
    "talking-points",
    "sources",
];

/// `sections/anchors.md`, a second section with a heading for each anchor the sample
/// sections link to (`#trade`, `#talking-points`…) that `section` does not define
/// itself, so a sample section as a seed is not stopped by its links to the others.
pub fn anchors_for(section: &[u8]) -> File {
    let mut text = String::from("# Anchors {#anchors}\n");
    for id in ANCHORS {
        let own = format!("{{#{id}}}");
        if !section.windows(own.len()).any(|w| w == own.as_bytes()) {
            text.push_str(&format!("\n## Anchor {id} {{#{id}}}\n"));
        }
    }
    file("sections/anchors.md", &text)
}
