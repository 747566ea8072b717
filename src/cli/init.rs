//! `briefbook init DIR`: a new minimal briefing that builds as it is.

use std::io::Write;
use std::path::Path;

use super::{Console, EXIT_IO, EXIT_OK};

const MANIFEST: &str = r#"# The briefing manifest. Reference: docs/format.md in the briefbook repository.

[book]
title = "Briefing Book"
subtitle = "Background and talking points"
event = "Working visit"
venue = "the capital"
start-date = 2026-01-12
end-date = 2026-01-13
organisation = "Delegation Secretariat"
classification = "UNCLASSIFIED"
language = "en-GB"
edition = "First edition"
issue-date = 2026-01-05
authors = ["Policy Unit"]
description = "A briefing book for the delegation."

[contents]
sections = ["sections/01-overview.md"]

[data.figures]
path = "data/figures.csv"
source = "Replace with the source of these figures"
columns.year = { type = "integer", label = "Year" }
columns.value = { type = "number", unit = "million", label = "Value", decimals = 1 }

[output]
dir = "build"
stem = "briefing"
"#;

const SECTION: &str = r#"# Overview

This briefing prepares the delegation for the {{book.event}} to {{book.venue}},
{{daterange book.start-date book.end-date}}.
Edit `sections/01-overview.md` and `data/figures.csv`, then run `briefbook build` again:
every number below follows the data.

The value rose from {{num (lookup (row data.figures "year" 2024) "value") decimals=1}} million
in 2024 to {{num (lookup (row data.figures "year" 2025) "value") decimals=1}} million in 2025,
a change of {{growth (lookup (row data.figures "year" 2024) "value") (lookup (row data.figures "year" 2025) "value")}}
(derived from the data).

{{{table "figures" caption="Example figures"}}}

## Talking points

1. First point.
2. Second point.
"#;

const DATA: &str = "year,value\n2024,10.0\n2025,12.5\n";

/// Creates the briefing; refuses to touch a folder that has files in it.
pub(super) fn init(console: &Console, dir: &Path) -> u8 {
    if dir.exists()
        && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true)
    {
        let _ = writeln!(
            std::io::stderr(),
            "error: `{}` already exists and is not empty\n  hint: choose a new folder name",
            dir.display()
        );
        return EXIT_IO;
    }
    let files = [
        ("briefing.toml", MANIFEST),
        ("sections/01-overview.md", SECTION),
        ("data/figures.csv", DATA),
        (".gitignore", "/build\n"),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = result {
            let _ = writeln!(
                std::io::stderr(),
                "error: failed to write `{}` ({e})",
                path.display()
            );
            return EXIT_IO;
        }
    }
    console.say(&format!(
        "created {} — build it with `briefbook build {}`",
        dir.display(),
        dir.display()
    ));
    EXIT_OK
}
