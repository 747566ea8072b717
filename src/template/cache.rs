//! Reuse of expanded sections between builds (watch mode).
//!
//! A section's expansion is a pure function of its template text, the `book` values and
//! the data sets it reads. Which data sets a template reads is found from its text,
//! conservatively: every data set whose name appears anywhere in the text, and all of
//! them if a mustache uses `data` other than as `data.NAME` or `data.[NAME]` (as in
//! `{{#each data}}`). A section is expanded again only when its text, `book` or one of
//! those data sets changed; otherwise its previous expansion is returned as it was.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value as Json;

use super::Expanded;
use crate::diag::FileId;
use crate::source::DataSet;

/// Expanded sections kept from the previous build.
#[derive(Debug, Default)]
pub struct ExpandCache {
    /// The `book` context of the previous build.
    book: Option<Json>,
    /// The names of the data sets in the previous build.
    names: Vec<String>,
    /// By section file name.
    sections: HashMap<String, Entry>,
    /// Sections expanded (not reused) by the last build.
    pub expanded: usize,
    /// Keep nothing (a single build: `build`, `check`).
    pub one_shot: bool,
}

#[derive(Debug)]
struct Entry {
    file: FileId,
    body_start: usize,
    body: String,
    /// The data sets the template may read, as they were. (The set of names is the
    /// same as the build's: [`ExpandCache::begin`] forgets everything when it changes.)
    reads: Vec<(String, DataSet)>,
    result: Expanded,
}

impl ExpandCache {
    /// Starts a build: forgets every section if `book` or the set of data set names
    /// changed (a new data set may be one a template names).
    pub(super) fn begin(&mut self, book: &Json, data: &BTreeMap<String, DataSet>) {
        let same_names = data.keys().eq(self.names.iter());
        if self.book.as_ref() != Some(book) || !same_names {
            self.sections.clear();
            self.book = Some(book.clone());
            self.names = data.keys().cloned().collect();
        }
        self.expanded = 0;
    }

    /// The previous expansion of a section, if nothing it depends on changed.
    pub(super) fn get(
        &self,
        name: &str,
        file: FileId,
        body_start: usize,
        body: &str,
        data: &BTreeMap<String, DataSet>,
    ) -> Option<&Expanded> {
        let e = self.sections.get(name)?;
        let same_source = e.file == file && e.body_start == body_start && e.body == body;
        let same_data = e.reads.iter().all(|(n, old)| data.get(n) == Some(old));
        (same_source && same_data).then_some(&e.result)
    }

    /// Records a fresh expansion.
    pub(super) fn put(
        &mut self,
        name: &str,
        body_start: usize,
        body: &str,
        data: &BTreeMap<String, DataSet>,
        result: &Expanded,
    ) {
        self.expanded += 1;
        if self.one_shot {
            return;
        }
        let reads =
            data_read_by(body, data).map(|(n, set)| (n.clone(), set.clone())).collect();
        let entry = Entry {
            file: result.file,
            body_start,
            body: body.to_string(),
            reads,
            result: result.clone(),
        };
        self.sections.insert(name.to_string(), entry);
    }

    /// Forgets a section (its expansion failed).
    pub(super) fn forget(&mut self, name: &str) {
        self.sections.remove(name);
    }
}

/// The data sets `text` may read: those whose name occurs in it, or all of them when a
/// mustache uses `data` as a whole (reading too many is safe, too few is not).
pub fn data_read_by<'a>(
    text: &'a str,
    data: &'a BTreeMap<String, DataSet>,
) -> impl Iterator<Item = (&'a String, &'a DataSet)> + 'a {
    let all = uses_whole_data(text);
    data.iter().filter(move |(name, _)| all || text.contains(name.as_str()))
}

/// Whether a mustache in `body` uses `data` other than as `data.NAME` / `data.[NAME]`.
fn uses_whole_data(body: &str) -> bool {
    let mut rest = body;
    while let Some(open) = rest.find("{{") {
        let inner = &rest[open + 2..];
        let close = inner.find("}}").unwrap_or(inner.len());
        let mustache = &inner[..close];
        let bytes = mustache.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        let mut from = 0;
        while let Some(i) = mustache[from..].find("data") {
            let at = from + i;
            let end = at + 4;
            // `x.data` counts too (it may be `@root.data`): reading too much is safe.
            let before_ok = at == 0 || !word(bytes[at - 1]);
            let after = bytes.get(end).copied();
            let whole_word = before_ok && !after.is_some_and(word);
            if whole_word && after != Some(b'.') {
                return true;
            }
            from = end;
        }
        rest = &inner[close.min(inner.len())..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_access_is_not_whole_data() {
        assert!(!uses_whole_data("{{data.trade.rows.0.value}} and {{data.[tourism]}}"));
        assert!(!uses_whole_data(
            "the data show {{book.title}}; metadata {{book.dates}}"
        ));
        assert!(!uses_whole_data("{{{table \"trade\"}}} {{#each data.trade.rows}}"));
    }

    #[test]
    fn whole_data_is_detected() {
        assert!(uses_whole_data("{{#each data}}{{@key}}{{/each}}"));
        assert!(uses_whole_data("{{lookup data \"trade\"}}"));
        assert!(uses_whole_data("{{#each @root.data}}{{/each}}"));
        assert!(uses_whole_data("{{#with data }}{{trade.rows}}{{/with}}"));
    }
}
