//! Reading and writing the lines of the fixture's files, and random words.

use super::rng::Rng;

/// Words for paragraphs, titles and notes.
pub const WORDS: [&str; 24] = [
    "corridor",
    "freight",
    "rail",
    "ferry",
    "customs",
    "port",
    "tariff",
    "transit",
    "capacity",
    "agreement",
    "delegation",
    "schedule",
    "border",
    "container",
    "route",
    "investment",
    "terminal",
    "logistics",
    "ministers",
    "summit",
    "cargo",
    "crossing",
    "harbour",
    "timetable",
];

/// What a line of a section file is, for choosing where an edit goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Heading,
    /// Text that starts with a letter, outside front matter and fenced blocks.
    Prose,
    /// A footnote: `[^label]: text`.
    Note,
    Other,
}

pub fn classify(lines: &[String]) -> Vec<Kind> {
    let (mut front, mut fence) = (false, false);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if l == "+++" && (i == 0 || front) {
                front = i == 0;
                return Kind::Other;
            }
            if l.starts_with("```") {
                fence = !fence;
                return Kind::Other;
            }
            match (front || fence, l.chars().next()) {
                (true, _) => Kind::Other,
                (false, Some('#')) => Kind::Heading,
                (false, Some(c)) if c.is_alphabetic() => Kind::Prose,
                (false, Some('[')) if l.starts_with("[^") && l.contains("]: ") => {
                    Kind::Note
                }
                _ => Kind::Other,
            }
        })
        .collect()
}

pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// `line` with one plain word (outside `{{…}}`) replaced by `word`.
pub fn replace_word(line: &str, rng: &mut Rng, word: &str) -> Option<String> {
    let mut tokens: Vec<String> = line.split(' ').map(str::to_string).collect();
    let mut inside = false;
    let mut plain = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        inside |= t.contains("{{");
        if !inside && !t.is_empty() && t.chars().all(char::is_alphabetic) {
            plain.push(i);
        }
        if t.contains("}}") {
            inside = false;
        }
    }
    if plain.is_empty() {
        return None;
    }
    let i = *rng.pick(&plain);
    tokens[i] = word.to_string();
    Some(tokens.join(" "))
}

pub fn words(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| *rng.pick(&WORDS)).collect::<Vec<_>>().join(" ")
}

pub fn title(rng: &mut Rng) -> String {
    let n = 1 + rng.below(4);
    let w = words(rng, n);
    let mut chars = w.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A heading's anchor when it has no id: its title in lowercase, words joined by dashes.
pub fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// The fixture's CSV files have no quoted fields.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
}

pub fn csv_text(rows: &[Vec<String>]) -> String {
    rows.iter().map(|r| r.join(",") + "\n").collect()
}
