//! Where each line of an expanded section came from in its source file.
//!
//! Expansion changes lengths and can add lines (`{{#each}}`, the `table` helper), so
//! offsets in the expanded text are mapped back through a line diff: lines that came
//! through unchanged map exactly (same column); lines made by the template map to the
//! source line that produced them, and within such a line the text outside the
//! mustaches keeps its columns.

use std::ops::Range;

use super::align::{self, Piece};

/// Maps byte offsets in expanded text to byte ranges in the source file.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct OriginMap {
    /// Start offset of each expanded line.
    out_starts: Vec<usize>,
    /// For each expanded line: the source byte range of its origin line, and whether
    /// the line is a verbatim copy (so columns carry over).
    origin: Vec<(Range<usize>, bool)>,
    /// For each expanded line that is not a copy: where its pieces came from, if it reads
    /// as its origin line with the mustaches filled in (else empty).
    pieces: Vec<Vec<Piece>>,
}

impl OriginMap {
    /// Builds the map for `source` (the section body, starting at byte `base` of its file)
    /// expanded into `expanded`.
    pub fn new(source: &str, base: usize, expanded: &str) -> Self {
        let src_lines = line_ranges(source);
        let out_lines = line_ranges(expanded);
        let src_text: Vec<&str> = src_lines.iter().map(|r| &source[r.clone()]).collect();
        let out_text: Vec<&str> =
            out_lines.iter().map(|r| &expanded[r.clone()]).collect();
        let pairs = align::matched_lines(&src_text, &out_text);
        let abs = |i: usize| base + src_lines[i].start..base + src_lines[i].end;
        let mut origin = vec![(base..base, false); out_lines.len()];
        let mut pieces = vec![Vec::new(); out_lines.len()];
        // Between two copied lines lie the source lines the template consumed and the
        // lines it made; each made line is laid at one of the consumed lines.
        let mut prev: Option<(usize, usize)> = None;
        let ends = [(src_lines.len(), out_lines.len())];
        for &(i, j) in pairs.iter().chain(&ends) {
            let (src_from, out_from) = prev.map_or((0, 0), |(pi, pj)| (pi + 1, pj + 1));
            let consumed: Vec<usize> = (src_from..i).collect();
            // Lines that are only a block tag are removed by handlebars: what follows them
            // was written on the lines in between.
            let written: Vec<usize> = consumed
                .iter()
                .copied()
                .filter(|&k| !align::is_block_tag_line(src_text[k]))
                .collect();
            let candidates = if written.is_empty() { &consumed } else { &written };
            for (k, out) in (out_from..j).enumerate() {
                // Lines made where nothing was consumed come from the line just before.
                let src = match candidates.get(k.min(candidates.len().saturating_sub(1)))
                {
                    Some(&s) => s,
                    None => prev.map_or(0, |(pi, _)| pi),
                };
                if src_lines.is_empty() {
                    continue;
                }
                origin[out] = (abs(src), false);
                pieces[out] =
                    align::line_pieces(src_text[src], abs(src).start, out_text[out])
                        .unwrap_or_default();
            }
            if let Some(o) = origin.get_mut(j) {
                *o = (abs(i), true);
            }
            prev = Some((i, j));
        }
        Self { out_starts: out_lines.iter().map(|r| r.start).collect(), origin, pieces }
    }

    /// A map that sends every offset to `range` (for text with no line structure of its own,
    /// such as a string inside a briefing block).
    pub fn constant(range: Range<usize>) -> Self {
        Self {
            out_starts: vec![0],
            origin: vec![(range, false)],
            pieces: vec![Vec::new()],
        }
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
        let col = offset - self.out_starts[line];
        if *exact {
            let p = (src.start + col).min(src.end);
            return p..p;
        }
        let piece = self.pieces[line].iter().find(|p| {
            if is_start {
                p.out.start <= col && col < p.out.end
            } else {
                p.out.start < col && col <= p.out.end
            }
        });
        match piece {
            Some(p) if p.exact => {
                let at = p.src.start + (col - p.out.start);
                at..at
            }
            Some(p) if is_start => p.src.start..p.src.start,
            Some(p) => p.src.end..p.src.end,
            None if is_start => src.start..src.start,
            None => src.end..src.end,
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

    /// Line and column (1-based) of a source offset.
    fn line_col(src: &str, at: usize) -> (usize, usize) {
        let line = src[..at].matches('\n').count() + 1;
        (line, at - src[..at].rfind('\n').map_or(0, |i| i + 1) + 1)
    }

    #[test]
    fn lines_after_a_stand_alone_block_keep_their_place() {
        let src = "# One\n\n{{#with book}}\n- a {{title}}\n- b {{title}}\n{{/with}}\n\
                   - c {{x}}\n- d {{x}}\n\n  ![A photo](img/photo.png)\n- e\n";
        let out =
            "# One\n\n- a T\n- b T\n- c 1\n- d 1\n\n  ![A photo](img/photo.png)\n- e\n";
        let map = OriginMap::new(src, 0, out);
        let img = out.find("![").unwrap();
        assert_eq!(line_col(src, map.map(img..img + 2).start), (10, 3));
        // A line the block wrote points at its own line, not at `{{#with}}`.
        let a = out.find("- a").unwrap();
        assert_eq!(line_col(src, map.map(a..a + 3).start), (4, 1));
    }

    #[test]
    fn text_beside_a_mustache_keeps_its_column() {
        let src = "Intro\n\nSee [there](#x) and {{book.title}} then [again](#y).\n";
        let out = "Intro\n\nSee [there](#x) and A Long Title then [again](#y).\n";
        let map = OriginMap::new(src, 0, out);
        let again = out.find("[again]").unwrap();
        let r = map.map(again..again + 7);
        assert_eq!(&src[r.clone()], "[again]");
        assert_eq!(line_col(src, r.start), (3, 41));
        let title = out.find("A Long").unwrap();
        assert_eq!(&src[map.map(title..title + 12)], "{{book.title}}");
    }
}
