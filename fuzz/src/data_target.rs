//! The `csv` and `toml_data` targets: a data set from the fuzzer, read by a fixed
//! section chosen by a selector byte.

use crate::fixtures::BOOK;
use crate::{build, file, split};

/// Which kind of data file the fuzzer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `data/d.csv`.
    Csv,
    /// `data/d.toml`.
    Toml,
}

/// Builds a briefing whose data set `d` is `data` after its selector byte.
///
/// Selector `s`: `s % 4` picks the section — 0: any shape (`count`, `table`, `#each`;
/// for TOML, `#each` over the keys), 1: the aggregate and formatting helpers over
/// `year`/`value`, 2: charts, a key figure and a table over `year`/`value`, 3: a
/// timeline over `when`/`event`/`detail`; `s / 4 % 2` whether the manifest declares the
/// columns' types (and units, labels, decimals) or leaves them to inference.
pub fn build_data(data: &[u8], format: Format) {
    let (selector, bytes) = split(data);
    let variant = selector % 4;
    let declared = selector / 4 % 2 == 1;
    let (path, rows) = match format {
        Format::Csv => ("data/d.csv", "data.d"),
        Format::Toml => ("data/d.toml", "data.d.rows"),
    };
    let columns = match (variant, declared) {
        (_, false) | (0, true) => "",
        (1 | 2, true) => {
            "columns.year = { type = \"integer\", label = \"Year\" }\n\
             columns.value = { type = \"number\", unit = \"tonnes\", label = \"Value\", \
             decimals = 1 }\n"
        }
        _ => {
            "columns.when = { type = \"text\", label = \"When\" }\n\
              columns.detail = { type = \"text\" }\n"
        }
    };
    let manifest = format!(
        "{BOOK}\n[contents]\nsections = [\"sections/data.md\"]\n\n\
         [data.d]\npath = \"{path}\"\nsource = \"Fuzz Statistics Office\"\n{columns}"
    );
    let section = match (variant, format) {
        (0, Format::Csv) => ANY_CSV.to_string(),
        (0, Format::Toml) => ANY_TOML.to_string(),
        (1, _) => HELPERS.replace("ROWS", rows),
        (2, _) => CHARTS.replace("ROWS", rows),
        _ => TIMELINE.to_string(),
    };
    build(vec![
        file("briefing.toml", &manifest),
        file("sections/data.md", &section),
        (path.to_string(), bytes.to_vec()),
    ]);
}

const ANY_CSV: &str = r#"# Data

The set has {{count data.d}} rows.

{{{table "d" caption="Every row"}}}

{{#each data.d}}
- Row {{@index}}:{{#each this}} {{@key}} = {{this}};{{/each}}
{{/each}}
"#;

const ANY_TOML: &str = r#"# Data

{{#each data.d}}
- {{@key}}: {{this}}
{{/each}}
"#;

const HELPERS: &str = r#"# Figures

{{count ROWS}} rows; total {{num (sum ROWS "value") decimals=2}}, largest
{{num (max ROWS "value")}}, first year {{min ROWS "year"}}, mean
{{unit (avg ROWS "value") "t" decimals=3}}, growth
{{growth (min ROWS "value") (max ROWS "value")}}.

{{#with (row ROWS "year" 2024)}}
In {{year}} the value was {{money value currency="EUR" decimals=1 scale="million"}}
({{percent value}}).
{{/with}}

{{#each ROWS}}
- {{num year}}: {{num value decimals=2}}
{{/each}}
"#;

const CHARTS: &str = r#"# Charts

{{{table "d" columns="year,value" caption="By year"}}}

```chart
type = "bar"
data = "d"
x = "year"
y = "value"
caption = "Bars"
```

```chart
type = "line"
data = "d"
x = "year"
y = ["value"]
caption = "A line"
```

```chart
type = "bar"
horizontal = true
stacked = true
data = "d"
x = "year"
y = ["value", "value"]
```
"#;

const TIMELINE: &str = r#"# Timeline

```timeline
data = "d"
when = "when"
title = "event"
detail = "detail"
caption = "Events"
```

{{{table "d"}}}
"#;
