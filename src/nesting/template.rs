//! Handlebars: blocks and the parentheses and literals inside mustaches, counted over
//! the template text.
//!
//! handlebars' grammar, compiler and renderer all recurse into block helpers, into each
//! `{{else if}}` of a chain (the compiler nests a chain link inside the one before it),
//! and into subexpressions, array and object literals. One count covers them all: the
//! blocks and chain links open around a mustache plus the brackets open inside it.
//! Comments, raw blocks and escaped mustaches (`\{{`) are skipped as handlebars skips
//! them. Partials (`{{> name}}`, `{{#> name}}`) are refused: one defined inline can
//! include itself, and handlebars renders that until the stack overflows.

use super::{Kind, TooDeep, LIMIT};

/// The first block, chain link or bracket in the handlebars template `text` that nests
/// deeper than the limit, or the first partial. Syntax errors are left to handlebars.
pub fn check(text: &str) -> Result<(), TooDeep> {
    Scan { b: text.as_bytes(), open: Vec::new(), depth: 0 }.run()
}

struct Scan<'t> {
    b: &'t [u8],
    /// The blocks open, each with its levels (1, plus one per `{{else …}}` link).
    open: Vec<usize>,
    /// The levels of all open blocks.
    depth: usize,
}

/// What a mustache opens or closes.
enum Tag {
    Block,
    Close,
    /// `{{else if …}}` or `{{^if …}}`: one more link of the chain.
    ChainLink,
    /// `{{> name}}` or `{{#> name}}`.
    Partial,
    /// `{{else}}`, `{{^}}`, or an expression.
    Other,
}

impl Scan<'_> {
    fn run(mut self) -> Result<(), TooDeep> {
        let mut i = 0;
        while let Some(at) = find(self.b, i, b"{{") {
            i = at + 2;
            let backslashes =
                self.b[..at].iter().rev().take_while(|&&c| c == b'\\').count();
            if backslashes == 1 {
                // `\{{` (and `\{{{{`) is literal text.
                if self.b[i..].starts_with(b"{{") {
                    i += 2;
                }
                continue;
            }
            if self.b[i..].starts_with(b"!") {
                // `{{!-- … --}}`, else `{{! … }}`; without an end, handlebars fails.
                let long = self.b[i..].starts_with(b"!--");
                let end = long.then(|| find(self.b, i, b"--}}").map(|e| e + 4)).flatten();
                match end.or_else(|| find(self.b, i, b"}}").map(|e| e + 2)) {
                    Some(e) => i = e,
                    None => return Ok(()),
                }
                continue;
            }
            if self.b[i..].starts_with(b"{{") {
                // A raw block: its helper is one level, its text is not read.
                self.enter(self.depth + 1, at, at + 4)?;
                let Some(body_end) = self.mustache(i + 2, self.depth + 1)? else {
                    continue;
                };
                let Some(close) = find(self.b, body_end, b"{{{{") else { return Ok(()) };
                i = find(self.b, close, b"}}}}").map_or(self.b.len(), |e| e + 4);
                continue;
            }
            let (tag, start) = self.tag(i);
            let base = match tag {
                Tag::Partial => {
                    return Err(TooDeep { kind: Kind::Partial, range: at..at + 2 });
                }
                Tag::Block => {
                    self.enter(self.depth + 1, at, at + 2)?;
                    self.open.push(1);
                    self.depth += 1;
                    self.depth
                }
                Tag::Close => {
                    self.depth -= self.open.pop().unwrap_or(0);
                    self.depth
                }
                Tag::ChainLink if !self.open.is_empty() => {
                    self.enter(self.depth + 1, at, at + 2)?;
                    *self.open.last_mut().expect("a block is open") += 1;
                    self.depth += 1;
                    self.depth
                }
                Tag::ChainLink | Tag::Other => self.depth,
            };
            // A mustache that does not end here is read as text (handlebars reports it).
            if let Some(end) = self.mustache(start, base)? {
                i = end;
            }
        }
        Ok(())
    }

    fn enter(&self, level: usize, start: usize, end: usize) -> Result<(), TooDeep> {
        if level > LIMIT {
            return Err(TooDeep { kind: Kind::Template, range: start..end });
        }
        Ok(())
    }

    /// Reads the start of a mustache whose `{{` ends at `i`: what it is, and where its
    /// expression starts.
    fn tag(&self, mut i: usize) -> (Tag, usize) {
        i = self.skip_space(i);
        if self.b.get(i) == Some(&b'~') {
            i = self.skip_space(i + 1);
        }
        match self.b.get(i) {
            Some(b'>') => (Tag::Partial, i),
            Some(b'#') if self.b.get(self.skip_space(i + 1)) == Some(&b'>') => {
                (Tag::Partial, i)
            }
            Some(b'#') => (Tag::Block, i + 1),
            Some(b'/') => (Tag::Close, i + 1),
            // `{{{x}}}`: the third brace is not a bracket.
            Some(b'{') => (Tag::Other, i + 1),
            Some(b'^') => (self.invert(i + 1), i + 1),
            _ if self.b[i..].starts_with(b"else") => (self.invert(i + 4), i + 4),
            _ => (Tag::Other, i),
        }
    }

    /// After `else` or `^`: a chain link if an expression follows.
    fn invert(&self, i: usize) -> Tag {
        let i = self.skip_space(i);
        match self.b.get(i) {
            Some(b'~' | b'}') | None => Tag::Other,
            Some(_) => Tag::ChainLink,
        }
    }

    fn skip_space(&self, mut i: usize) -> usize {
        while self.b.get(i).is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    }

    /// Reads a mustache's expression from `i` to its closing `}}`, counting brackets on
    /// top of `base`. Returns the offset after the `}}`, or `None` if the mustache is
    /// malformed. A `{{` outside a string cannot be part of a valid mustache, so a
    /// malformed one ends there at the latest: no byte is read by more than a few
    /// mustaches, and the whole scan stays linear.
    fn mustache(&self, mut i: usize, base: usize) -> Result<Option<usize>, TooDeep> {
        let mut brackets = 0usize;
        while let Some(&c) = self.b.get(i) {
            if self.b[i..].starts_with(b"{{") {
                return Ok(None);
            }
            match c {
                b'"' | b'\'' => {
                    i += 1;
                    while let Some(&s) = self.b.get(i) {
                        i += if s == b'\\' { 2 } else { 1 };
                        if s == c {
                            break;
                        }
                    }
                    continue;
                }
                // A path's `.[key]` is a name, not an array.
                b'[' if i > 0 && matches!(self.b[i - 1], b'.' | b'/') => {
                    let key = self.b[i..].iter().position(|&k| k == b']' || k == b'{');
                    match key.map(|k| i + k) {
                        Some(e) if self.b[e] == b']' => i = e + 1,
                        _ => return Ok(None),
                    }
                    continue;
                }
                b'(' | b'[' | b'{' => {
                    brackets += 1;
                    self.enter(base + brackets, i, i + 1)?;
                }
                b'}' if brackets == 0 => {
                    return Ok(self.b[i..].starts_with(b"}}").then_some(i + 2));
                }
                b')' | b']' | b'}' => brackets = brackets.saturating_sub(1),
                _ => {}
            }
            i += 1;
        }
        Ok(None)
    }
}

/// The first occurrence of `what` in `b` at or after `from`.
fn find(b: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(what.len()).position(|w| w == what).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crossing(text: &str) -> Option<std::ops::Range<usize>> {
        check(text).err().map(|e| e.range)
    }

    fn blocks(n: usize) -> String {
        format!("{}x{}", "{{#if a}}".repeat(n), "{{/if}}".repeat(n))
    }

    #[test]
    fn blocks_count_until_closed() {
        assert_eq!(crossing(&blocks(LIMIT)), None);
        assert_eq!(crossing(&blocks(LIMIT + 1)), Some(9 * LIMIT..9 * LIMIT + 2));
        // Siblings do not add up.
        assert_eq!(crossing(&blocks(LIMIT).repeat(3)), None);
        let each = format!(
            "{}{}",
            "{{~#each x as |y|}}".repeat(LIMIT),
            "{{/each~}}".repeat(LIMIT)
        );
        assert_eq!(crossing(&each), None);
        assert!(crossing(&format!("{{{{#each z}}}}{each}{{{{/each}}}}")).is_some());
    }

    #[test]
    fn else_if_chains_nest() {
        let chain =
            |n: usize| format!("{{{{#if a}}}}{}{{{{/if}}}}", "{{else if b}}x".repeat(n));
        assert_eq!(crossing(&chain(LIMIT - 1)), None);
        assert_eq!(
            crossing(&chain(LIMIT)),
            Some(9 + 14 * (LIMIT - 1)..11 + 14 * (LIMIT - 1))
        );
        // A plain `{{else}}` adds nothing.
        let plain = format!(
            "{}{{{{else}}}}{{{{^}}}}{}",
            "{{#if a}}".repeat(LIMIT),
            "{{/if}}".repeat(LIMIT)
        );
        assert_eq!(crossing(&plain), None);
        // After the chain closes, its levels are gone.
        assert_eq!(crossing(&format!("{}{}", chain(LIMIT - 1), blocks(LIMIT))), None);
    }

    #[test]
    fn brackets_add_to_the_blocks_around_them() {
        let sub = |n: usize| format!("{{{{f {}x{}}}}}", "(g ".repeat(n), ")".repeat(n));
        assert_eq!(crossing(&sub(LIMIT)), None);
        assert_eq!(crossing(&sub(LIMIT + 1)), Some(4 + 3 * LIMIT..5 + 3 * LIMIT));
        let inside = format!("{{{{#if a}}}}{}{{{{/if}}}}", sub(LIMIT));
        assert!(crossing(&inside).is_some());
        let array =
            format!("{{{{f {}1{}}}}}", "[".repeat(LIMIT + 1), "]".repeat(LIMIT + 1));
        assert!(crossing(&array).is_some());
        let object = format!(
            "{{{{f {}1{}}}}}",
            "{\"a\": ".repeat(LIMIT + 1),
            "}".repeat(LIMIT + 1)
        );
        assert!(crossing(&object).is_some());
        assert_eq!(crossing(&format!("{{{{{{x}}}}}} {}", sub(LIMIT))), None);
    }

    #[test]
    fn text_comments_strings_and_raw_blocks_do_not_count() {
        let deep = blocks(LIMIT + 1);
        for text in [
            format!("\\{}", deep.replace("{{", "\\{{")),
            format!("{{{{!-- {deep} --}}}}"),
            format!("{{{{{{{{raw}}}}}}}}{deep}{{{{{{{{/raw}}}}}}}}"),
            format!("{{{{f \"{}\" '{}'}}}}", "(".repeat(100), "[".repeat(100)),
            format!("{{{{data.[{}]}}}}", "(".repeat(100)),
            format!("(((( [[[[ {}", "((".repeat(100)),
        ] {
            assert_eq!(crossing(&text), None, "{text}");
        }
        // A malformed mustache ends at the next `{{`, which is read again.
        assert!(crossing(&format!("{{{{x ]]] \"{{{{ {deep}")).is_some());
        assert!(crossing(&format!("{{{{x.[ {deep}")).is_some());
        assert!(crossing(&format!("{{{{!-- }}}} {deep}")).is_some());
        // Two backslashes escape the backslash, not the mustache.
        assert!(crossing(&format!("\\\\{deep}")).is_some());
    }

    #[test]
    fn partials_are_refused() {
        for text in
            ["a {{> p}}", "a {{~ #> p}}x{{/p}}", "{{#*inline \"p\"}}{{>p}}{{/inline}}"]
        {
            let e = check(text).unwrap_err();
            assert_eq!(e.kind, Kind::Partial, "{text}");
            assert_eq!(&text[e.range], "{{", "{text}");
        }
        assert_eq!(check("{{#*inline \"p\"}}x{{/inline}} a > b {{x}}>"), Ok(()));
    }
}
