//! Restricted regions inside a section: a fenced wrapper around any Markdown,
//!
//! ```markdown
//! ::: level=CONFIDENTIAL audience=principal
//! Text for the principal's edition only.
//! :::
//! ```
//!
//! or a fenced block (a briefing block or code) whose info string carries the same
//! attributes after its name (```` ```aside audience=principal ````).
//!
//! Regions are found line by line before templates are expanded, so content an edition
//! may not hold is blanked out of the section's text before anything reads it: it is never
//! expanded, looked up, converted, laid out or written.

use std::ops::Range;

use crate::diag::{Diagnostic, FileId, Sink, Span};

/// One restricted region of a section file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The lines of the region, from the start of its opening line to the end of its
    /// closing line (byte offsets in the file).
    pub lines: Range<usize>,
    /// The marker lines (wrapper) or the attributes of an info string (fenced block):
    /// blanked even when the edition holds the region.
    pub markers: Vec<Range<usize>>,
    /// `level=`, as written, with its place.
    pub level: Option<(String, Range<usize>)>,
    /// `audience=`, each name with its place.
    pub audience: Vec<(String, Range<usize>)>,
    /// The regions enclosing this one, by index into the list (outermost first).
    pub parents: Vec<usize>,
}

/// Finds the regions of a section body (`text[body_start..]`), outer regions before the
/// regions they enclose. Problems (an unclosed wrapper, an unknown attribute) go to `sink`.
pub fn scan(file: FileId, text: &str, body_start: usize, sink: &mut Sink) -> Vec<Region> {
    let mut regions: Vec<Region> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    // The open code fence: its character, length and the region it opened, if any.
    let mut fence: Option<(char, usize, Option<usize>)> = None;
    let mut offset = body_start;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        let line = &text[offset..end];
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let trimmed = &content[indent..];
        if let Some((ch, len, region)) = fence {
            if is_fence_close(trimmed, ch, len) {
                if let Some(r) = region {
                    regions[r].lines.end = end;
                }
                fence = None;
            }
            offset = end;
            continue;
        }
        if let Some((ch, len)) = fence_open(trimmed) {
            let info_start = offset + indent + len;
            let info = &text[info_start..offset + content.len()];
            let region = attributes_after_name(file, info, info_start, sink).map(|a| {
                regions.push(Region {
                    lines: offset..end,
                    markers: std::iter::once(a.range.clone()).collect(),
                    level: a.level,
                    audience: a.audience,
                    parents: open.clone(),
                });
                regions.len() - 1
            });
            fence = Some((ch, len, region));
        } else if indent <= 3 && trimmed.starts_with(":::") {
            let rest = trimmed.trim_start_matches(':');
            let rest_start = offset + content.len() - rest.len();
            if rest.trim().is_empty() {
                match open.pop() {
                    Some(r) => {
                        regions[r].lines.end = end;
                        regions[r].markers.push(offset..offset + content.len());
                    }
                    None => sink.push(
                        Diagnostic::error(
                            Span::new(file, offset..offset + content.len()),
                            "`:::` closes a wrapper that was never opened",
                        )
                        .with_hint("open a wrapper with `::: level=NAME` or `::: audience=NAME` on a line of its own"),
                    ),
                }
            } else {
                let a = parse_attributes(file, rest, rest_start, sink);
                if a.level.is_none() && a.audience.is_empty() {
                    sink.push(
                        Diagnostic::error(
                            Span::new(file, offset..offset + content.len()),
                            "a `:::` wrapper needs `level=` or `audience=`",
                        )
                        .with_hint("e.g. `::: level=CONFIDENTIAL audience=principal`"),
                    );
                }
                regions.push(Region {
                    lines: offset..end,
                    markers: std::iter::once(offset..offset + content.len()).collect(),
                    level: a.level,
                    audience: a.audience,
                    parents: open.clone(),
                });
                open.push(regions.len() - 1);
            }
        }
        offset = end;
    }
    for r in open {
        let line = &regions[r].markers[0];
        sink.push(
            Diagnostic::error(
                Span::new(file, line.clone()),
                "this `:::` wrapper is never closed",
            )
            .with_hint("end it with a line containing only `:::`"),
        );
    }
    if let Some((_, _, Some(r))) = fence {
        // An unclosed fence runs to the end of the file, as in CommonMark.
        regions[r].lines.end = text.len();
    }
    regions
}

/// Replaces every byte of `ranges` except line breaks with a space, so offsets, lines
/// and columns of the rest of the text stay exactly where they were.
pub fn blank(text: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in &mut bytes[r.clone()] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Whole multi-byte characters are replaced (ranges start and end on line or
    // attribute boundaries), so the result is still UTF-8.
    String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
}

/// The footnote labels referenced (`[^label]`) in `text`.
pub fn note_references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("[^") {
        rest = &rest[i + 2..];
        if let Some(j) = rest.find(']') {
            let label = &rest[..j];
            if !label.is_empty() && !label.contains(char::is_whitespace) {
                out.push(label.to_string());
            }
        }
    }
    out
}

fn fence_open(trimmed: &str) -> Option<(char, usize)> {
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.len() - trimmed.trim_start_matches(ch).len();
    // A backtick fence's info string may not contain backticks (CommonMark).
    (len >= 3 && !(ch == '`' && trimmed[len..].contains('`'))).then_some((ch, len))
}

fn is_fence_close(trimmed: &str, ch: char, len: usize) -> bool {
    let run = trimmed.len() - trimmed.trim_start_matches(ch).len();
    run >= len && trimmed[run..].trim().is_empty()
}

/// Attributes written after a name, with the range they take (to blank).
struct Attributes {
    level: Option<(String, Range<usize>)>,
    audience: Vec<(String, Range<usize>)>,
    range: Range<usize>,
}

/// The `level=`/`audience=` words of a fence's info string (after the block's name), or
/// `None` when it has none.
fn attributes_after_name(
    file: FileId,
    info: &str,
    info_start: usize,
    sink: &mut Sink,
) -> Option<Attributes> {
    let name_end = info.trim_start().find(char::is_whitespace)? + info.len()
        - info.trim_start().len();
    let rest = &info[name_end..];
    if !rest.contains('=') {
        return None;
    }
    let a = parse_attributes(file, rest, info_start + name_end, sink);
    (a.level.is_some() || !a.audience.is_empty()).then_some(a)
}

/// Parses `level=NAME audience=a,b` (optionally in `{…}`, values optionally quoted).
fn parse_attributes(
    file: FileId,
    text: &str,
    start: usize,
    sink: &mut Sink,
) -> Attributes {
    let mut a = Attributes {
        level: None,
        audience: Vec::new(),
        range: start..start + text.len(),
    };
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() || bytes[i] == b'{' || bytes[i] == b'}' {
            i += 1;
            continue;
        }
        let word_start = i;
        let mut quoted = false;
        while i < bytes.len()
            && (quoted || !(bytes[i].is_ascii_whitespace() || bytes[i] == b'}'))
        {
            if bytes[i] == b'"' {
                quoted = !quoted;
            }
            i += 1;
        }
        let word = &text[word_start..i];
        let at = start + word_start..start + i;
        let Some((key, value)) = word.split_once('=') else {
            sink.push(
                Diagnostic::error(
                    Span::new(file, at),
                    format!("`{word}` is not an attribute"),
                )
                .with_hint("write `level=NAME` and/or `audience=NAME,NAME`"),
            );
            continue;
        };
        let value_start = at.start + key.len() + 1;
        let (value, value_start) = match value.strip_prefix('"') {
            Some(v) => (v.strip_suffix('"').unwrap_or(v), value_start + 1),
            None => (value, value_start),
        };
        match key {
            "level" => {
                if a.level.is_some() {
                    sink.push(Diagnostic::error(
                        Span::new(file, at.clone()),
                        "`level` is given twice",
                    ));
                }
                a.level =
                    Some((value.to_string(), value_start..value_start + value.len()));
            }
            "audience" => {
                let mut o = value_start;
                for name in value.split(',') {
                    let t = name.trim();
                    if !t.is_empty() {
                        let s = o + (name.len() - name.trim_start().len());
                        a.audience.push((t.to_string(), s..s + t.len()));
                    }
                    o += name.len() + 1;
                }
            }
            _ => sink.push(
                Diagnostic::error(
                    Span::new(file, at.start..at.start + key.len()),
                    format!("unknown attribute `{key}`"),
                )
                .with_hint(
                    "content is marked with `level=NAME` and `audience=NAME,NAME`",
                ),
            ),
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(text: &str) -> (Vec<Region>, Vec<Diagnostic>) {
        let mut sink = Sink::default();
        let r = scan(FileId(0), text, 0, &mut sink);
        (r, sink.diagnostics)
    }

    #[test]
    fn wrappers_nest_and_fences_hide_markers() {
        let text = "# A\n\n::: level=SECRET audience=principal,press\nx\n::: audience=principal\ny\n:::\n:::\n\n```\n:::\n```\n";
        let (r, d) = regions(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].level.as_ref().unwrap().0, "SECRET");
        let names: Vec<_> = r[0].audience.iter().map(|a| a.0.as_str()).collect();
        assert_eq!(names, ["principal", "press"]);
        assert_eq!(&text[r[0].audience[1].1.clone()], "press");
        assert_eq!(r[1].parents, [0]);
        assert_eq!(&text[r[0].lines.clone()], "::: level=SECRET audience=principal,press\nx\n::: audience=principal\ny\n:::\n:::\n");
    }

    #[test]
    fn fenced_block_attributes() {
        let text = "```aside audience=principal\ntext = \"a\"\n```\nafter\n";
        let (r, d) = regions(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.len(), 1);
        assert_eq!(
            &text[r[0].lines.clone()],
            "```aside audience=principal\ntext = \"a\"\n```\n"
        );
        assert_eq!(&text[r[0].markers[0].clone()], " audience=principal");
        // A plain code block is no region.
        assert!(regions("```rust\nlet a = 1;\n```\n").0.is_empty());
    }

    #[test]
    fn problems_are_located() {
        let (_, d) = regions("::: level=A\nx\n");
        assert!(d[0].message.contains("never closed"));
        let (_, d) = regions(":::\n");
        assert!(d[0].message.contains("never opened"));
        let (_, d) = regions("::: colour=red\nx\n:::\n");
        assert!(d.iter().any(|d| d.message.contains("unknown attribute `colour`")));
    }

    #[test]
    fn blanking_keeps_offsets() {
        let text = "a\nжж\nb\n";
        let out = blank(text, std::slice::from_ref(&(2..7)));
        assert_eq!(out, "a\n    \nb\n");
        assert_eq!(note_references("x[^a] y [^b-2] [^ no]"), ["a", "b-2"]);
    }
}
