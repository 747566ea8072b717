//! Which source line each expanded line came from, and which bytes of a line with
//! mustaches are the source's own text.

use std::collections::HashMap;
use std::ops::Range;

use similar::{Algorithm, DiffOp, TextDiff};

/// Above this many cells (source lines × expanded lines, after the common start and end
/// are set aside) the exact table costs too much memory and time, and Myers is used.
const MAX_CELLS: usize = 2_000_000;

/// Pairs `(source line, expanded line)` of lines copied unchanged, in increasing order
/// of both: a longest common subsequence of the two lists of lines.
pub(super) fn matched_lines(src: &[&str], out: &[&str]) -> Vec<(usize, usize)> {
    let prefix = src.iter().zip(out).take_while(|(a, b)| a == b).count();
    let suffix = src[prefix..]
        .iter()
        .rev()
        .zip(out[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (s, o) = (&src[prefix..src.len() - suffix], &out[prefix..out.len() - suffix]);
    let mut pairs: Vec<(usize, usize)> = (0..prefix).map(|i| (i, i)).collect();
    // `similar`'s own LCS compares the wrong lines once a common start is set aside
    // (lines after a removed `{{#with}}` lost their place), so the table is built here.
    let middle = if s.len().saturating_mul(o.len()) <= MAX_CELLS {
        lcs(s, o)
    } else {
        myers(s, o)
    };
    pairs.extend(middle.into_iter().map(|(i, j)| (i + prefix, j + prefix)));
    pairs.extend((0..suffix).map(|k| (src.len() - suffix + k, out.len() - suffix + k)));
    pairs
}

/// The exact longest common subsequence, by the classic table.
fn lcs<'a>(src: &[&'a str], out: &[&'a str]) -> Vec<(usize, usize)> {
    // Lines become small numbers so the table compares integers, not strings.
    let mut ids: HashMap<&'a str, u32> = HashMap::new();
    let mut id = |l: &'a str| {
        let n = ids.len() as u32;
        *ids.entry(l).or_insert(n)
    };
    let a: Vec<u32> = src.iter().map(|&l| id(l)).collect();
    let b: Vec<u32> = out.iter().map(|&l| id(l)).collect();
    let w = b.len() + 1;
    // table[i * w + j]: length of the LCS of a[i..] and b[j..].
    let mut table = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i * w + j] = if a[i] == b[j] {
                table[(i + 1) * w + j + 1] + 1
            } else {
                table[(i + 1) * w + j].max(table[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if table[(i + 1) * w + j] >= table[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// Myers' diff: not always the longest, but linear in memory.
fn myers(src: &[&str], out: &[&str]) -> Vec<(usize, usize)> {
    let diff = TextDiff::configure().algorithm(Algorithm::Myers).diff_slices(src, out);
    let mut pairs = Vec::new();
    for op in diff.ops() {
        if let DiffOp::Equal { old_index, new_index, len } = *op {
            pairs.extend((0..len).map(|k| (old_index + k, new_index + k)));
        }
    }
    pairs
}

/// Whether a source line is only a block tag (`{{#with x}}`, `{{else}}`, `{{/each}}`):
/// handlebars removes such a line, so no expanded line is its text.
pub(super) fn is_block_tag_line(line: &str) -> bool {
    let t = line.trim();
    let Some(inner) = t.strip_prefix("{{").and_then(|t| t.strip_suffix("}}")) else {
        return false;
    };
    let inner = inner.trim_start_matches('~');
    !inner.contains("{{")
        && !inner.contains("}}")
        && (inner.starts_with(['#', '/', '^'])
            || inner.trim() == "else"
            || inner.trim_start().starts_with("else "))
}

/// One piece of an expanded line: its bytes `out` (from the line's start) came from
/// the source bytes `src`, as a copy (`exact`) or as what a mustache made.
#[derive(Debug, Clone, PartialEq, Hash)]
pub(super) struct Piece {
    pub out: Range<usize>,
    pub src: Range<usize>,
    pub exact: bool,
}

/// Pieces of `out`, expanded from the source line `src` starting at byte `base`: the text
/// outside the mustaches is found in `out` in order, and keeps its columns; each mustache
/// covers what lies between. `None` if `out` does not read as `src` with its mustaches
/// filled in.
pub(super) fn line_pieces(src: &str, base: usize, out: &str) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let (mut s, mut o) = (0, 0);
    let mut pending: Option<Range<usize>> = None;
    loop {
        let lit_end = src[s..].find("{{").map_or(src.len(), |i| s + i);
        let literal = &src[s..lit_end];
        if literal.is_empty() && pending.is_some() && lit_end < src.len() {
            // Two mustaches side by side make one piece.
            let close = mustache_end(src, lit_end)?;
            pending = pending.map(|p| p.start..close);
            s = close;
            continue;
        }
        let at = if pending.is_none() {
            out[o..].starts_with(literal).then_some(o)?
        } else if lit_end == src.len() {
            // The last piece of text ends the line.
            out.len()
                .checked_sub(literal.len())
                .filter(|&p| p >= o && out[p..] == *literal)?
        } else {
            o + out[o..].find(literal)?
        };
        if let Some(m) = pending.take() {
            pieces.push(Piece {
                out: o..at,
                src: base + m.start..base + m.end,
                exact: false,
            });
        }
        if !literal.is_empty() {
            pieces.push(Piece {
                out: at..at + literal.len(),
                src: base + s..base + lit_end,
                exact: true,
            });
        }
        o = at + literal.len();
        if lit_end == src.len() {
            return (o == out.len()).then_some(pieces);
        }
        let close = mustache_end(src, lit_end)?;
        pending = Some(lit_end..close);
        s = close;
    }
}

/// The end of the mustache that starts at `at`.
fn mustache_end(src: &str, at: usize) -> Option<usize> {
    let close = src[at..].find("}}")? + at + 2;
    // A triple-stash `{{{x}}}` ends with one more brace.
    Some(if src[at..].starts_with("{{{") && src[close..].starts_with('}') {
        close + 1
    } else {
        close
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_built_past_a_common_start() {
        let src = ["a", "b", "{{#with x}}", "c {{y}}", "{{/with}}", "", "d", "e"];
        let out = ["a", "b", "c 1", "", "d", "f"];
        let pairs = matched_lines(&src, &out);
        assert_eq!(pairs, vec![(0, 0), (1, 1), (5, 3), (6, 4)]);
    }

    #[test]
    fn text_outside_mustaches_keeps_its_columns() {
        let src = "See [a](#x) and {{book.title}} then [b](#y).\n";
        let out = "See [a](#x) and Long Title then [b](#y).\n";
        let pieces = line_pieces(src, 100, out).unwrap();
        let b = out.find("[b]").unwrap();
        let p = pieces.iter().find(|p| p.out.contains(&b)).unwrap();
        assert!(p.exact);
        assert_eq!(p.src.start + (b - p.out.start), 100 + src.find("[b]").unwrap());
        let t = out.find("Long").unwrap();
        let p = pieces.iter().find(|p| p.out.contains(&t)).unwrap();
        assert!(!p.exact);
        assert_eq!(&src[p.src.start - 100..p.src.end - 100], "{{book.title}}");
    }

    #[test]
    fn a_line_that_is_not_its_template_has_no_pieces() {
        assert!(line_pieces("- {{x}} a\n", 0, "| 1 | 2 |\n").is_none());
        assert!(line_pieces("x {{y}}\n", 0, "z 1\n").is_none());
    }

    #[test]
    fn block_tag_lines() {
        assert!(is_block_tag_line("{{#with (row data.t \"year\" 2024)}}\n"));
        assert!(is_block_tag_line("  {{/each}}\n"));
        assert!(is_block_tag_line("{{else}}\n"));
        assert!(!is_block_tag_line("{{title}}\n"));
        assert!(!is_block_tag_line("{{#with x}}A {{y}}{{/with}}\n"));
    }
}
