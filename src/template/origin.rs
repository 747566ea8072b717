//! Where each line of an expanded section came from in its source file.
//!
//! Expansion changes lengths and can add lines (`{{#each}}`, the `table` helper), so
//! offsets in the expanded text are mapped back through a line diff: lines that came
//! through unchanged map exactly (same column); lines made by the template map to the
//! source line that produced them.

use std::ops::Range;

use similar::{Algorithm, DiffOp, TextDiff};

/// Maps byte offsets in expanded text to byte ranges in the source file.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct OriginMap {
    /// Start offset of each expanded line.
    out_starts: Vec<usize>,
    /// For each expanded line: the source byte range of its origin line, and whether
    /// the line is a verbatim copy (so columns carry over).
    origin: Vec<(Range<usize>, bool)>,
}

impl OriginMap {
    /// Builds the map for `source` (the section body, starting at byte `base` of its file)
    /// expanded into `expanded`.
    pub fn new(source: &str, base: usize, expanded: &str) -> Self {
        let src_lines = line_ranges(source);
        let out_lines = line_ranges(expanded);
        // Myers costs (lines of both) × (lines changed): a helper that turns one line
        // into a 5,000-row table made it the slowest step of the build. LCS costs
        // (lines of one) × (lines of the other), small when the template is short.
        let cells = source.lines().count().saturating_mul(expanded.lines().count());
        let algorithm =
            if cells <= 2_000_000 { Algorithm::Lcs } else { Algorithm::Myers };
        let diff =
            TextDiff::configure().algorithm(algorithm).diff_lines(source, expanded);
        let mut origin = vec![(base..base, false); out_lines.len()];
        let src_range = |i: usize| {
            let r: &Range<usize> =
                src_lines.get(i).or(src_lines.last()).unwrap_or(&(0..0));
            base + r.start..base + r.end
        };
        for op in diff.ops() {
            match *op {
                DiffOp::Equal { old_index, new_index, len } => {
                    for k in 0..len {
                        if let Some(o) = origin.get_mut(new_index + k) {
                            *o = (src_range(old_index + k), true);
                        }
                    }
                }
                DiffOp::Insert { old_index, new_index, new_len } => {
                    // Inserted lines come from the template line just before them.
                    let from = src_range(old_index.saturating_sub(1));
                    for k in 0..new_len {
                        if let Some(o) = origin.get_mut(new_index + k) {
                            *o = (from.clone(), false);
                        }
                    }
                }
                DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                    for k in 0..new_len {
                        let src = old_index + k.min(old_len.saturating_sub(1));
                        if let Some(o) = origin.get_mut(new_index + k) {
                            *o = (src_range(src), false);
                        }
                    }
                }
                DiffOp::Delete { .. } => {}
            }
        }
        Self { out_starts: out_lines.iter().map(|r| r.start).collect(), origin }
    }

    /// A map that sends every offset to `range` (for text with no line structure of its own,
    /// such as a string inside a briefing block).
    pub fn constant(range: Range<usize>) -> Self {
        Self { out_starts: vec![0], origin: vec![(range, false)] }
    }

    /// The source range for an expanded range.
    pub fn map(&self, range: Range<usize>) -> Range<usize> {
        let start = self.point(range.start, true);
        let end = self.point(range.end.max(range.start), false);
        start.start..end.end.max(start.start)
    }

    fn point(&self, offset: usize, is_start: bool) -> Range<usize> {
        if self.out_starts.is_empty() {
            return 0..0;
        }
        let line = match self.out_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let (src, exact) = &self.origin[line];
        if *exact {
            let col = offset - self.out_starts[line];
            let p = (src.start + col).min(src.end);
            p..p
        } else if is_start {
            src.start..src.start
        } else {
            src.end..src.end
        }
    }
}

/// Byte ranges of lines, newline included.
fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        out.push(start..i + 1);
        start = i + 1;
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_lines_keep_their_columns() {
        let src = "# Title\n\nTrade was {{x}}.\n\nEnd *here*.\n";
        let out = "# Title\n\nTrade was 94.8.\n\nEnd *here*.\n";
        let map = OriginMap::new(src, 10, out);
        let here = out.find("*here*").unwrap();
        assert_eq!(
            map.map(here..here + 6),
            10 + src.find("*here*").unwrap()..10 + src.find("*here*").unwrap() + 6
        );
    }

    #[test]
    fn generated_lines_map_to_their_template_line() {
        let src = "Intro\n{{#each rows}}\n- {{this}}\n{{/each}}\nOutro\n";
        let out = "Intro\n- a\n- b\n- c\nOutro\n";
        let map = OriginMap::new(src, 0, out);
        let b = out.find("- b").unwrap();
        let r = map.map(b..b + 3);
        let line = &src[r.start..];
        assert!(
            line.starts_with("{{#each") || line.starts_with("- {{this}}"),
            "{line:?}"
        );
        let outro = out.find("Outro").unwrap();
        assert_eq!(
            map.map(outro..outro + 5),
            src.find("Outro").unwrap()..src.find("Outro").unwrap() + 5
        );
    }
}
