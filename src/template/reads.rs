//! Which data sets a section's template reads, found from its text, conservatively:
//! every data set whose name appears anywhere in the text, and all of them if a mustache
//! uses `data` other than as `data.NAME` or `data.[NAME]` (as in `{{#each data}}`).
//! Expansion and conversion key their memoized results with these data sets' digests.

use std::collections::BTreeMap;

use crate::source::DataSet;

/// The names of the data sets `text` may read (see [`data_read_by`]), memoized by the text
/// and the names of all data sets: finding them scans the text once per data set, which
/// for a large book costs more than hashing it.
pub fn names_read(
    memo: &crate::memo::Memo,
    text: &str,
    data: &BTreeMap<String, DataSet>,
) -> std::sync::Arc<Vec<String>> {
    let names: Vec<&String> = data.keys().collect();
    memo.get_or("reads", &(text, &names), || {
        data_read_by(text, data).map(|(n, _)| n.clone()).collect()
    })
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
