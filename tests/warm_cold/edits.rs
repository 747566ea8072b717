//! The fixture briefing (`tests/suite/warm-cold`) held in memory, and the random edits
//! `tests/warm_equals_cold.rs` makes to it. Every edit is drawn from a [`Rng`] and the
//! current files only, so a seed replays the same sequence.

use std::collections::BTreeMap;
use std::path::Path;

use super::rng::Rng;
use super::text::{
    classify, csv_rows, csv_text, lines, replace_word, slug, title, words, Kind, WORDS,
};

/// The briefing folder: relative path → bytes.
#[derive(Clone)]
pub struct Briefing {
    files: BTreeMap<String, Vec<u8>>,
    /// A counter for names that must be new (footnote labels, section files).
    fresh: usize,
}

/// One edit: what it did, and whether it breaks the briefing (the build must fail).
pub struct Edit {
    pub what: String,
    pub broken: bool,
}

const MANIFEST: &str = "briefing.toml";
const IMAGE: &str = "images/route.png";
/// Headings the fixture links to (`[…](#id)`); their sections are never removed.
const TARGETS: [&str; 6] =
    ["summary", "trade", "routes", "prospects", "next-steps", "sailings"];
/// Routes and vessels drawn for new rows of `data/sailings.csv`.
const ROUTES: [&str; 4] = ["Aktau–Baku", "Kuryk–Alat", "Aktau–Alat", "Turkmenbashi–Baku"];
const VESSELS: [&str; 3] = ["Barys", "Shahdag", "Merkuri"];

impl Briefing {
    /// The fixture as it is on disk.
    pub fn fixture(dir: &Path) -> Briefing {
        let mut files = BTreeMap::new();
        read_tree(dir, "", &mut files);
        Briefing { files, fresh: 0 }
    }

    /// The folder as (path, bytes) pairs, for `World::in_memory`.
    pub fn files(&self) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
        self.files.iter().map(|(p, b)| (p.clone(), b.clone()))
    }

    fn text(&self, path: &str) -> String {
        String::from_utf8(self.files[path].clone()).unwrap()
    }

    fn set(&mut self, path: &str, text: String) {
        self.files.insert(path.to_string(), text.into_bytes());
    }

    fn fresh(&mut self) -> usize {
        self.fresh += 1;
        self.fresh
    }

    /// The section files in `[contents]`, in order (one per line in the manifest).
    fn sections(&self) -> Vec<String> {
        let manifest = self.text(MANIFEST);
        let start = manifest.find("sections = [\n").unwrap() + "sections = [\n".len();
        let end = start + manifest[start..].find(']').unwrap();
        manifest[start..end]
            .lines()
            .map(|l| l.trim().trim_matches([',', '"']).to_string())
            .collect()
    }

    fn set_sections(&mut self, sections: &[String]) {
        let manifest = self.text(MANIFEST);
        let start = manifest.find("sections = [\n").unwrap() + "sections = [\n".len();
        let end = start + manifest[start..].find(']').unwrap();
        let list: String = sections.iter().map(|s| format!("  \"{s}\",\n")).collect();
        self.set(MANIFEST, format!("{}{list}{}", &manifest[..start], &manifest[end..]));
    }

    /// Sets the `nth` line of the manifest that starts with `key = ` to `key = value`.
    fn set_key(&mut self, key: &str, nth: usize, value: &str) -> String {
        let manifest = self.text(MANIFEST);
        let prefix = format!("{key} = ");
        let mut seen = 0;
        let lines = manifest.lines().map(|l| {
            if !l.starts_with(&prefix) {
                return l.to_string();
            }
            seen += 1;
            match seen == nth + 1 {
                true => format!("{prefix}{value}"),
                false => l.to_string(),
            }
        });
        let text = lines.collect::<Vec<_>>().join("\n") + "\n";
        assert!(
            seen > nth,
            "the fixture's manifest has no line `{key} = …` number {nth}"
        );
        self.set(MANIFEST, text);
        format!("manifest: {key} = {value}")
    }

    /// A random edit, applied.
    pub fn edit(&mut self, rng: &mut Rng) -> Edit {
        let what = match rng.below(100) {
            0..=13 => self.data_cell(rng),
            14..=19 => self.data_row(rng),
            20..=28 => self.section_text(rng),
            29..=32 => self.page_break(rng),
            33..=39 => self.add_footnote(rng),
            40..=43 => self.reference_footnote(rng),
            44..=48 => self.remove_footnote(rng),
            49..=56 => self.rename_heading(rng),
            57..=63 => self.add_section(rng),
            64..=67 => self.remove_section(rng),
            68..=82 => self.manifest_key(rng),
            83..=85 => self.replace_image(rng),
            86..=94 => self.restrict(rng),
            _ => return Edit { what: self.break_it(rng), broken: true },
        };
        Edit { what, broken: false }
    }

    /// A value in a data set: trade (a table, a chart, key figures, a note), ports (a
    /// table, a key figure, notes) or sailings (a table across pages, a note).
    fn data_cell(&mut self, rng: &mut Rng) -> String {
        let (path, column) = match rng.below(5) {
            0 => ("data/ports.csv", 1),
            n @ (1 | 2) => ("data/trade.csv", n),
            n => ("data/sailings.csv", n - 1),
        };
        let mut rows = csv_rows(&self.text(path));
        let row = 1 + rng.below(rows.len() - 1);
        let value = match (path, column) {
            ("data/ports.csv", _) => rng.range(500, 99_999).to_string(),
            ("data/sailings.csv", 2) => rng.range(1, 40).to_string(),
            ("data/sailings.csv", _) => {
                format!("{:.1}", rng.range(100, 500) as f64 / 10.0)
            }
            // A value of 0 would make `growth` fail; a change may be negative.
            (_, 1) => format!("{:.1}", rng.range(1, 1500) as f64 / 10.0),
            _ => format!("{:.1}", rng.range(-300, 300) as f64 / 10.0),
        };
        rows[row][column] = value.clone();
        self.set(path, csv_text(&rows));
        format!("{path}: row {row}, column {column} = {value}")
    }

    /// Adds or removes a port or a sailing (the sailings table breaks across pages, so
    /// the break moves). The trade rows are named by year in the templates.
    fn data_row(&mut self, rng: &mut Rng) -> String {
        let path = match rng.chance(50) {
            true => "data/ports.csv",
            false => "data/sailings.csv",
        };
        let mut rows = csv_rows(&self.text(path));
        let what = if rows.len() > 2 && rng.chance(40) {
            let row = 1 + rng.below(rows.len() - 1);
            rows.remove(row);
            format!("{path}: row {row} removed")
        } else {
            let at = 1 + rng.below(rows.len());
            let row = match path {
                "data/ports.csv" => {
                    vec![
                        format!("Port {}", self.fresh()),
                        rng.range(100, 60_000).to_string(),
                    ]
                }
                _ => vec![
                    rng.one_of(&ROUTES).to_string(),
                    rng.one_of(&VESSELS).to_string(),
                    rng.range(1, 40).to_string(),
                    format!("{:.1}", rng.range(100, 500) as f64 / 10.0),
                ],
            };
            let what = format!("{path}: `{}` added as row {at}", row.join(","));
            rows.insert(at, row);
            what
        };
        self.set(path, csv_text(&rows));
        what
    }

    fn section_text(&mut self, rng: &mut Rng) -> String {
        let path = rng.pick(&self.sections()).clone();
        let mut lines = lines(&self.text(&path));
        let kinds = classify(&lines);
        let prose: Vec<usize> =
            (0..lines.len()).filter(|&i| kinds[i] == Kind::Prose).collect();
        let text: Vec<usize> =
            (0..lines.len()).filter(|&i| kinds[i] != Kind::Other).collect();
        let own: Vec<usize> =
            prose.iter().copied().filter(|&i| lines[i].starts_with("Edited:")).collect();
        let what = match rng.below(4) {
            0 if !own.is_empty() => {
                let i = *rng.pick(&own);
                lines.drain(i - 1..=i);
                format!("{path}: paragraph on line {} removed", i + 1)
            }
            1 | 2 => {
                // Headings and footnotes too.
                let i = *rng.pick(&text);
                let word = *rng.pick(&WORDS);
                match replace_word(&lines[i], rng, word) {
                    Some(line) => lines[i] = line,
                    None => return self.section_text(rng),
                }
                format!("{path}: a word on line {} became `{word}`", i + 1)
            }
            _ => {
                let at = 1 + kinds.iter().position(|k| *k == Kind::Heading).unwrap();
                let n =
                    if rng.chance(20) { rng.range(80, 220) } else { rng.range(3, 30) };
                let para = format!("Edited: {}.", words(rng, n as usize));
                lines.splice(at..at, ["".to_string(), para]);
                format!("{path}: a paragraph of {n} words after line {at}")
            }
        };
        self.set(&path, lines.join("\n"));
        what
    }

    /// Adds a page break after a paragraph, or removes the section's first: every later
    /// page moves, and the chapters on them do not change.
    fn page_break(&mut self, rng: &mut Rng) -> String {
        const BREAK: &str = "```pagebreak";
        let path = rng.pick(&self.sections()).clone();
        let mut lines = lines(&self.text(&path));
        if let Some(at) = lines.iter().position(|l| l == BREAK) {
            lines.drain(at..=at + 1);
            self.set(&path, lines.join("\n"));
            return format!("{path}: the page break on line {} removed", at + 1);
        }
        let kinds = classify(&lines);
        let prose: Vec<usize> =
            (0..lines.len()).filter(|&i| kinds[i] == Kind::Prose).collect();
        if prose.is_empty() {
            return self.section_text(rng);
        }
        let i = *rng.pick(&prose);
        let block = ["".to_string(), BREAK.to_string(), "```".to_string()];
        lines.splice(i + 1..i + 1, block);
        self.set(&path, lines.join("\n"));
        format!("{path}: a page break after line {}", i + 1)
    }

    fn add_footnote(&mut self, rng: &mut Rng) -> String {
        let path = rng.pick(&self.sections()).clone();
        let mut lines = lines(&self.text(&path));
        let prose = prose_lines(&lines);
        if prose.is_empty() {
            return self.add_section(rng);
        }
        let i = *rng.pick(&prose);
        let label = format!("e{}", self.fresh());
        lines[i].push_str(&format!("[^{label}]"));
        let n = if rng.chance(20) { rng.range(40, 90) } else { rng.range(2, 12) };
        let link = if rng.chance(25) { " See [the routes](#routes)." } else { "" };
        // Sometimes the note's text comes from data or the book's facts, so that an edit
        // there changes the note and not the text that refers to it.
        let from_data = match rng.below(8) {
            0 => " The ports handle {{num (sum data.ports \"teu\")}} TEU.",
            1 => " The season has {{count data.sailings}} sailings.",
            2 => " As agreed in {{book.venue}}.",
            3 => " Trade in 2023: {{num (lookup (row data.trade \"year\" 2023) \"value\") decimals=1}}.",
            _ => "",
        };
        let note = words(rng, n as usize);
        lines.push(format!("\n[^{label}]: Note {note}.{from_data}{link}"));
        self.set(&path, lines.join("\n"));
        format!("{path}: footnote [^{label}] ({n} words) on line {}", i + 1)
    }

    /// Refers to a footnote again, from another paragraph of its file (perhaps another
    /// chapter, perhaps before its first reference, which then moves).
    fn reference_footnote(&mut self, rng: &mut Rng) -> String {
        let mut notes = Vec::new();
        for path in self.sections() {
            for line in self.text(&path).lines() {
                if let Some((label, _)) =
                    line.strip_prefix("[^").and_then(|l| l.split_once("]:"))
                {
                    notes.push((path.clone(), label.to_string()));
                }
            }
        }
        if notes.is_empty() {
            return self.add_footnote(rng);
        }
        let (path, label) = rng.pick(&notes).clone();
        let mut lines = lines(&self.text(&path));
        let prose = prose_lines(&lines);
        if prose.is_empty() {
            return self.add_footnote(rng);
        }
        let i = *rng.pick(&prose);
        lines[i].push_str(&format!("[^{label}]"));
        self.set(&path, lines.join("\n"));
        format!("{path}: another reference to [^{label}] on line {}", i + 1)
    }

    /// Removes a footnote, or only its references (the note then warns it is unused).
    fn remove_footnote(&mut self, rng: &mut Rng) -> String {
        let mut notes = Vec::new();
        for path in self.sections() {
            for line in self.text(&path).lines() {
                if let Some(label) =
                    line.strip_prefix("[^").and_then(|l| l.split_once("]:"))
                {
                    notes.push((path.clone(), label.0.to_string()));
                }
            }
        }
        if notes.is_empty() {
            return self.add_footnote(rng);
        }
        let (path, label) = rng.pick(&notes).clone();
        let reference = format!("[^{label}]");
        let definition = format!("{reference}:");
        let text = self.text(&path);
        let keep_note = rng.chance(25);
        let kept = text.lines().filter(|l| keep_note || !l.starts_with(&definition));
        let joined = kept.collect::<Vec<_>>().join("\n");
        // The definition's own `[^label]:` is protected while references are removed.
        let text = joined.replace(&definition, "\u{0}").replace(&reference, "");
        self.set(&path, text.replace('\u{0}', &definition));
        match keep_note {
            true => format!("{path}: references to [^{label}] removed (the note stays)"),
            false => format!("{path}: footnote [^{label}] removed"),
        }
    }

    /// Renames a heading (it is on the contents page); sometimes one without an id that
    /// a link in another chapter names first among its alternatives (`(#ferries|#routes)`),
    /// so that the link goes to its next alternative.
    fn rename_heading(&mut self, rng: &mut Rng) -> String {
        let linked = self.linked_headings();
        let (path, i) = match rng.chance(30) && !linked.is_empty() {
            true => rng.pick(&linked).clone(),
            false => {
                let path = rng.pick(&self.sections()).clone();
                let lines = lines(&self.text(&path));
                let kinds = classify(&lines);
                let headings: Vec<usize> =
                    (0..lines.len()).filter(|&i| kinds[i] == Kind::Heading).collect();
                let i = *rng.pick(&headings);
                (path, i)
            }
        };
        let mut lines = lines(&self.text(&path));
        let line = &lines[i];
        let hashes = line.find(' ').unwrap();
        let id = line.rfind(" {#").map_or("", |at| &line[at..]);
        let title = title(rng);
        lines[i] = format!("{} {title}{id}", &line[..hashes]);
        self.set(&path, lines.join("\n"));
        format!("{path}: heading on line {} renamed `{title}`", i + 1)
    }

    /// Headings without an id whose anchor (the title in lowercase with dashes) a link
    /// names as its first alternative: (section file, line).
    fn linked_headings(&self) -> Vec<(String, usize)> {
        let sections = self.sections();
        let texts: Vec<String> = sections.iter().map(|p| self.text(p)).collect();
        let mut out = Vec::new();
        for (path, text) in sections.iter().zip(&texts) {
            let lines = lines(text);
            for (i, kind) in classify(&lines).into_iter().enumerate() {
                if kind != Kind::Heading || lines[i].contains(" {#") {
                    continue;
                }
                let link = format!("(#{}|", slug(lines[i].trim_start_matches('#')));
                if texts.iter().any(|t| t.contains(&link)) {
                    out.push((path.clone(), i));
                }
            }
        }
        out
    }

    fn add_section(&mut self, rng: &mut Rng) -> String {
        let n = self.fresh();
        let path = format!("sections/added-{n}.md");
        let mut text = String::new();
        match rng.below(6) {
            0 => text.push_str("+++\nnumbered = false\n+++\n\n"),
            1 => text.push_str("+++\ntoc = false\n+++\n\n"),
            _ => {}
        }
        text.push_str(&format!("# {} {{#added-{n}}}\n\n", title(rng)));
        let n_words = rng.range(5, 60) as usize;
        text.push_str(&format!("Added: {}.", words(rng, n_words)));
        if rng.chance(40) {
            text.push_str("[^a]");
        }
        if rng.chance(50) {
            text.push_str(
                " The ports handle {{num (sum data.ports \"teu\")}} containers.",
            );
        }
        if rng.chance(50) {
            text.push_str(&format!("\n\n## {}\n\n", title(rng)));
            let to = rng.pick(&TARGETS);
            text.push_str(&format!("More in [that chapter](#{to}): {}.", words(rng, 8)));
        }
        if text.contains("[^a]") {
            text.push_str(&format!("\n\n[^a]: Added note {}.", words(rng, 4)));
        }
        self.set(&path, text + "\n");
        let mut sections = self.sections();
        let at = rng.below(sections.len() + 1);
        sections.insert(at, path.clone());
        self.set_sections(&sections);
        format!("{path} added at position {at}")
    }

    fn remove_section(&mut self, rng: &mut Rng) -> String {
        let mut sections = self.sections();
        let added: Vec<usize> =
            (0..sections.len()).filter(|&i| sections[i].contains("added-")).collect();
        if added.is_empty() {
            return self.add_section(rng);
        }
        let path = sections.remove(*rng.pick(&added));
        self.set_sections(&sections);
        // Sometimes the file stays in the folder, out of the book.
        if rng.chance(70) {
            self.files.remove(&path);
        }
        format!("{path} removed from the contents")
    }

    /// Marks content for an audience or undoes it: a `:::` wrapper around a paragraph, a
    /// section's front matter `audience`, or an edition (for that audience, or for no
    /// audience, so that it leaves the marked content out).
    fn restrict(&mut self, rng: &mut Rng) -> String {
        const AUDIENCE: &str = "briefers";
        match rng.below(3) {
            0 => {
                let path = rng.pick(&self.sections()).clone();
                let mut lines = lines(&self.text(&path));
                if lines.iter().any(|l| l.starts_with(":::")) {
                    lines.retain(|l| !l.starts_with(":::"));
                    self.set(&path, lines.join("\n"));
                    return format!("{path}: wrappers removed");
                }
                let kinds = classify(&lines);
                // Not an edited paragraph: removing it takes the line before with it.
                let prose: Vec<usize> = (0..lines.len())
                    .filter(|&i| {
                        kinds[i] == Kind::Prose && !lines[i].starts_with("Edited:")
                    })
                    .collect();
                if prose.is_empty() {
                    return self.section_text(rng);
                }
                let i = *rng.pick(&prose);
                lines.insert(i + 1, ":::".to_string());
                lines.insert(i, format!("::: audience={AUDIENCE}"));
                self.set(&path, lines.join("\n"));
                format!("{path}: paragraph on line {} wrapped for {AUDIENCE}", i + 1)
            }
            1 => {
                // Only sections no link points to can leave an edition.
                let added: Vec<String> = self
                    .sections()
                    .into_iter()
                    .filter(|s| s.contains("added-"))
                    .collect();
                if added.is_empty() {
                    return self.add_section(rng);
                }
                let path = rng.pick(&added).clone();
                let text = self.text(&path);
                let line = format!("audience = \"{AUDIENCE}\"\n");
                let (text, what) = match text.find(&line) {
                    Some(at) => (
                        format!("{}{}", &text[..at], &text[at + line.len()..]),
                        "removed",
                    ),
                    None => match text.strip_prefix("+++\n") {
                        Some(rest) => (format!("+++\n{line}{rest}"), "added"),
                        None => (format!("+++\n{line}+++\n\n{text}"), "added"),
                    },
                };
                self.set(&path, text);
                format!("{path}: front matter audience {what}")
            }
            _ => {
                let manifest = self.text(MANIFEST);
                if let Some(at) = manifest.find("\n[[editions]]") {
                    self.set(MANIFEST, manifest[..at + 1].to_string());
                    return "manifest: the edition removed".to_string();
                }
                let audiences = rng.one_of(&["[]", "[\"briefers\"]"]);
                let edition = format!(
                    "\n[[editions]]\nname = \"short\"\naudiences = {audiences}\n"
                );
                self.set(MANIFEST, format!("{manifest}{edition}"));
                format!("manifest: an edition for audiences {audiences}")
            }
        }
    }

    fn manifest_key(&mut self, rng: &mut Rng) -> String {
        match rng.below(16) {
            0 => self.set_key("title", 0, &format!("\"{}\"", title(rng))),
            1 => self.set_key("subtitle", 0, &format!("\"{}\"", title(rng))),
            2 => {
                let c = ["\"RESTRICTED\"", "\"OFFICIAL\"", "\"CONFIDENTIAL — CORRIDOR\""];
                self.set_key("classification", 0, rng.one_of(&c))
            }
            3 => {
                let tags = ["\"en-GB\"", "\"en-US\"", "\"de\"", "\"fr\"", "\"ru\""];
                self.set_key("language", 0, rng.one_of(&tags))
            }
            4 => {
                let sizes = [
                    "\"A4\"",
                    "\"Letter\"",
                    "{ width = 170, height = 240 }",
                    "{ width = 148, height = 210 }",
                ];
                self.set_key("page-size", 0, rng.one_of(&sizes))
            }
            5 => {
                let mut m = || rng.range(12, 35);
                let value = format!(
                    "{{ top = {}, bottom = {}, left = {}, right = {} }}",
                    m(),
                    m(),
                    m(),
                    m()
                );
                self.set_key("margins", 0, &value)
            }
            6 => self.set_key(
                "font-size",
                0,
                rng.one_of(&["9", "9.5", "10.5", "11", "12"]),
            ),
            7 => self.set_key("numbering", 0, rng.one_of(&["true", "false"])),
            8 => {
                let v = ["\"\"", "\"{{title}}\"", "\"{{event}}\"", "\"{{chapter}}\""];
                self.set_key("header-left", 0, rng.one_of(&v))
            }
            9 => {
                let v = [
                    "\"Page {{page}} of {{pages}}\"",
                    "\"{{page}}\"",
                    "\"p. {{page}}/{{pages}}\"",
                ];
                self.set_key("footer-right", 0, rng.one_of(&v))
            }
            10 => self.set_key("venue", 0, &format!("\"{}\"", title(rng))),
            11 => {
                let d = rng.range(0, 3);
                let value = format!(
                    "{{ type = \"number\", unit = \"billion US dollars\", label = \"Trade\", decimals = {d} }}"
                );
                self.set_key("columns.value", 0, &value)
            }
            12 => self.set_key("source", 1, &format!("\"{}\"", title(rng))),
            // The body font and a label: no section's text changes with them.
            13 => {
                self.set_key("body", 0, rng.one_of(&["\"Noto Serif\"", "\"Noto Sans\""]))
            }
            14 => {
                let v = [
                    "\"Table {n} (continued)\"",
                    "\"Table {n}, continued\"",
                    "\"(Table {n})\"",
                ];
                self.set_key("table-continued", 0, rng.one_of(&v))
            }
            _ => {
                let mut sections = self.sections();
                let (a, b) = (rng.below(sections.len()), rng.below(sections.len()));
                sections.swap(a, b);
                self.set_sections(&sections);
                format!("manifest: sections {a} and {b} swapped")
            }
        }
    }

    fn replace_image(&mut self, rng: &mut Rng) -> String {
        let (w, h) = (rng.range(1, 48) as u32, rng.range(1, 48) as u32);
        let (colour, channels) = match rng.below(3) {
            0 => (png::ColorType::Grayscale, 1),
            1 => (png::ColorType::Rgb, 3),
            _ => (png::ColorType::Rgba, 4),
        };
        let seed = rng.next();
        let pixels: Vec<u8> = (0..w * h * channels)
            .map(|i| (seed.rotate_left(i % 64) as u8).wrapping_add(i as u8))
            .collect();
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(colour);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header().unwrap().write_image_data(&pixels).unwrap();
        self.files.insert(IMAGE.to_string(), bytes);
        format!("{IMAGE} replaced: {w} × {h} {colour:?}")
    }

    /// An edit the build must refuse.
    fn break_it(&mut self, rng: &mut Rng) -> String {
        let path = rng.pick(&self.sections()).clone();
        let insert = |b: &mut Briefing, para: &str| {
            let mut lines = lines(&b.text(&path));
            let at =
                1 + classify(&lines).iter().position(|k| *k == Kind::Heading).unwrap();
            lines.splice(at..at, ["".to_string(), para.to_string()]);
            b.set(&path, lines.join("\n"));
        };
        match rng.below(10) {
            0 => {
                insert(self, "Broken: {{book.titel}}.");
                format!("{path}: an unknown template name (broken)")
            }
            1 => {
                insert(self, "Broken: see [nowhere](#nowhere).");
                format!("{path}: a link to a missing anchor (broken)")
            }
            2 => {
                insert(self, "Broken: a note[^missing].");
                format!("{path}: a reference to a missing footnote (broken)")
            }
            3 => self.set_key("title", 0, "\"Unterminated") + " (broken TOML)",
            4 => self.set_key("footer-right", 0, "\"Page {{pagez}}\"") + " (broken)",
            5 => self.set_key("language", 0, "\"not a tag!\"") + " (broken)",
            6 => {
                self.set_key(
                    "margins",
                    0,
                    "{ top = 150, bottom = 150, left = 25, right = 25 }",
                ) + " (broken)"
            }
            7 => {
                let mut rows = csv_rows(&self.text("data/trade.csv"));
                rows[1][1] = "n/a".to_string();
                self.set("data/trade.csv", csv_text(&rows));
                "data/trade.csv: `n/a` in a number column (broken)".to_string()
            }
            8 => {
                self.files.insert(IMAGE.to_string(), b"not an image".to_vec());
                format!("{IMAGE}: not an image (broken)")
            }
            _ => {
                let mut sections = self.sections();
                sections.push("sections/missing.md".to_string());
                self.set_sections(&sections);
                "manifest: a section file that does not exist (broken)".to_string()
            }
        }
    }
}

fn read_tree(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_str().unwrap());
        if entry.file_type().unwrap().is_dir() {
            if name != "build" {
                read_tree(&entry.path(), &format!("{name}/"), files);
            }
        } else {
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
}

/// The lines of ordinary paragraphs (not a table's caption or source line).
fn prose_lines(lines: &[String]) -> Vec<usize> {
    let kinds = classify(lines);
    (0..lines.len())
        .filter(|&i| kinds[i] == Kind::Prose)
        .filter(|&i| !lines[i].starts_with("Table:") && !lines[i].starts_with("Source:"))
        .collect()
}
