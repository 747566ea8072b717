//! TOML: tables and arrays, counted over the tokens of `toml_parser` (the parser the
//! `toml` crate uses), so strings, comments and quoted keys are read exactly as the
//! real parse reads them.
//!
//! The root table is level 0. A header `[a.b.c]` makes tables at levels 1, 2 and 3; an
//! array of tables takes two levels, the array and its entry (after `[[a]]`, `[a.b]`
//! puts `b` at level 3); a dotted key adds a table per dot; an array or inline table is
//! one level inside what holds it.

use std::collections::HashSet;
use std::ops::Range;

use toml_parser::decoder::Encoding;
use toml_parser::parser::{parse_document, EventReceiver};
use toml_parser::{ErrorSink, Raw, Source, Span};

use super::{Kind, TooDeep, LIMIT};

/// The first table or array in the TOML document `text` that nests deeper than the
/// limit. Syntax errors are left to the real parse.
pub fn check(text: &str) -> Result<(), TooDeep> {
    let tokens = Source::new(text).lex().into_vec();
    let mut scan = Scan { text, ..Scan::default() };
    parse_document(&tokens, &mut scan, &mut ());
    match scan.crossing {
        Some(range) => Err(TooDeep { kind: Kind::Toml, range }),
        None => Ok(()),
    }
}

/// The parser's events, reduced to levels.
#[derive(Default)]
struct Scan<'t> {
    text: &'t str,
    /// The level of the table the last header opened.
    table: usize,
    /// Inside a header.
    in_header: bool,
    /// The header's keys so far (decoded), and the level they reach.
    path: Vec<String>,
    path_level: usize,
    /// The paths declared as arrays of tables (`[[a.b]]`).
    arrays: HashSet<Vec<String>>,
    /// Simple keys of the key (or header) being read.
    keys: usize,
    /// Open arrays and inline tables: (level, is an array).
    open: Vec<(usize, bool)>,
    /// The level a container value of the current key would get.
    value_level: usize,
    /// The first crossing; once found, nothing more is entered.
    crossing: Option<Range<usize>>,
}

impl Scan<'_> {
    /// The level of the table that holds the key being read.
    fn parent(&self) -> usize {
        match self.open.last() {
            Some(&(level, false)) => level,
            _ => self.table,
        }
    }

    /// Records `level` at `span`; false once the limit is crossed.
    fn enter(&mut self, level: usize, span: Span) -> bool {
        if self.crossing.is_some() {
            return false;
        }
        if level > LIMIT {
            self.crossing = Some(span.start()..span.end());
            return false;
        }
        true
    }

    /// A container value opens: one level inside the array holding it, or at the level
    /// its key gives.
    fn open(&mut self, span: Span, array: bool) -> bool {
        let level = match self.open.last() {
            Some(&(level, true)) => level + 1,
            _ => self.value_level,
        };
        let allowed = self.enter(level, span);
        if allowed {
            self.open.push((level, array));
            // The first key inside an inline table starts afresh.
            self.keys = 0;
        }
        allowed
    }

    fn open_header(&mut self) {
        self.in_header = true;
        self.path.clear();
        self.path_level = 0;
    }

    /// One more key of a header: a table, or an array of tables and its last entry.
    fn header_key(&mut self, span: Span, encoding: Option<Encoding>) {
        let mut name = String::new();
        let raw =
            Raw::new_unchecked(&self.text[span.start()..span.end()], encoding, span);
        raw.decode_key(&mut name, &mut ());
        self.path.push(name);
        self.path_level += 1 + usize::from(self.arrays.contains(&self.path));
        self.enter(self.path_level, span);
    }

    fn close_header(&mut self) {
        self.table = self.path_level;
        self.in_header = false;
        self.keys = 0;
    }
}

impl EventReceiver for Scan<'_> {
    fn std_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.open_header();
    }

    fn std_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.close_header();
    }

    fn array_table_open(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.open_header();
    }

    fn array_table_close(&mut self, span: Span, _error: &mut dyn ErrorSink) {
        // The first `[[a]]` declares the array `a`: its entries are one level further in.
        if self.arrays.insert(self.path.clone()) {
            self.path_level += 1;
            self.enter(self.path_level, span);
        }
        self.close_header();
    }

    fn inline_table_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(span, false)
    }

    fn inline_table_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.open.pop();
    }

    fn array_open(&mut self, span: Span, _error: &mut dyn ErrorSink) -> bool {
        self.open(span, true)
    }

    fn array_close(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.open.pop();
    }

    fn simple_key(
        &mut self,
        span: Span,
        encoding: Option<Encoding>,
        _error: &mut dyn ErrorSink,
    ) {
        if self.in_header {
            self.header_key(span, encoding);
            return;
        }
        self.keys += 1;
        // Every key but the last names a table; the last is checked when its value
        // turns out to be a table or an array.
        if self.keys > 1 {
            self.enter(self.parent() + self.keys - 1, span);
        }
    }

    fn key_val_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.value_level = self.parent() + self.keys;
        self.keys = 0;
    }

    fn value_sep(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        self.keys = 0;
    }

    fn newline(&mut self, _span: Span, _error: &mut dyn ErrorSink) {
        if self.in_header {
            // An unclosed header (an error the real parse reports).
            self.close_header();
        }
        if self.open.is_empty() {
            self.keys = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crossing(text: &str) -> Option<Range<usize>> {
        check(text).err().map(|e| e.range)
    }

    /// `text` with `{}` replaced by `n` nested copies of `open` … `close` around `1`.
    fn nest(text: &str, open: &str, close: &str, n: usize) -> String {
        text.replace("{}", &format!("{}1{}", open.repeat(n), close.repeat(n)))
    }

    #[test]
    fn arrays_and_inline_tables() {
        // `a` holds the outermost array, at level 1.
        assert_eq!(crossing(&nest("a = {}", "[", "]", LIMIT)), None);
        let over = nest("a = {}", "[", "]", LIMIT + 1);
        assert_eq!(crossing(&over), Some(4 + LIMIT..5 + LIMIT));
        assert_eq!(crossing(&nest("a = {}", "{b = ", "}", LIMIT)), None);
        let over = nest("a = {}", "{b = ", "}", LIMIT + 1);
        assert_eq!(crossing(&over), Some(4 + 5 * LIMIT..5 + 5 * LIMIT));
        assert_eq!(crossing(&nest("a = [{}]", "{b = [", "]}", LIMIT / 2 - 1)), None);
        assert!(crossing(&nest("a = [{}]", "{b = [", "]}", LIMIT / 2)).is_some());
    }

    #[test]
    fn headers_and_dotted_keys_count_their_tables() {
        let path = |n: usize| vec!["k"; n].join(".");
        assert_eq!(crossing(&format!("[{}]\nx = 1\n", path(LIMIT))), None);
        let over = format!("[{}]\nx = 1\n", path(LIMIT + 1));
        assert_eq!(crossing(&over), Some(1 + 2 * LIMIT..2 + 2 * LIMIT));
        assert_eq!(crossing(&format!("[[{}]]\n", path(LIMIT - 1))), None);
        assert!(crossing(&format!("[[{}]]\n", path(LIMIT))).is_some());
        // `k.k … = 1`: the last key names the value, not a table.
        assert_eq!(crossing(&format!("{} = 1\n", path(LIMIT + 1))), None);
        assert!(crossing(&format!("{} = 1\n", path(LIMIT + 2))).is_some());
        // Each array of tables in a header's path counts its entry too, however its
        // keys are quoted.
        let quoted = |n: usize| {
            let keys = (0..n).map(|i| ["k", "\"k\"", "'k'", "\"\\u006b\""][i % 4]);
            keys.collect::<Vec<_>>().join(".")
        };
        let arrays: String =
            (1..=LIMIT / 2).map(|n| format!("[[{}]]\n", quoted(n))).collect();
        assert_eq!(crossing(&arrays), None);
        assert!(crossing(&format!("{arrays}[[{}]]\n", quoted(LIMIT / 2 + 1))).is_some());
        assert!(crossing(&format!("{arrays}[{}]\n", quoted(LIMIT / 2 + 1))).is_some());
        assert_eq!(crossing("[a]\n[a.b]\n[[c]]\n[[c]]\n"), None);
        // Levels add up: a header, a dotted key and an array.
        let mixed = format!("[{}]\n{} = [1]\n", path(LIMIT - 3), path(3));
        assert_eq!(crossing(&mixed), None);
        let over = format!("[{}]\n{} = [[1]]\n", path(LIMIT - 3), path(3));
        assert!(crossing(&over).is_some());
    }

    #[test]
    fn strings_and_comments_do_not_count() {
        let text = format!(
            "a = \"{}\"\nb = '''{}'''\n# {}\n[\"x.y\".'z[']\nc = [[1], [2]]\n",
            "[".repeat(100),
            "{".repeat(100),
            "[".repeat(100)
        );
        assert_eq!(check(&text), Ok(()));
    }
}
