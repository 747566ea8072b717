//! Data sets a template only summarises are not converted to JSON.
//!
//! A template sees a CSV data set as a list of row objects, and serde_json needs a few
//! hundred bytes per row for that: a million-row file becomes gigabytes. When every use
//! of `data.NAME` in a template is the first parameter of a helper that summarises
//! rows (`count`, `sum`, `min`, `max`, `avg`, `row`), or the template has no path to it
//! at all (the name only in a string, as in `{{{table "trade"}}}`), the context holds a
//! small placeholder for it instead, and those helpers read the data set itself
//! ([`super::helpers`]). Anything else the template does with the name (`#each`,
//! `lookup`, a path through it, `data` as a whole, a partial) gets the rows as JSON.
//! The template is read through handlebars' own parse tree, so no use is missed.

use std::collections::{BTreeMap, BTreeSet};

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use handlebars::{Path, PathSeg};
use serde_json::{json, Value as Json};

use crate::source::DataSet;

/// Helpers that read a data set through [`data_set_in`] when given a placeholder.
pub(super) const SUMMARISING: [&str; 6] = ["count", "sum", "min", "max", "avg", "row"];

/// The key of a placeholder object; no data file can produce a value that is an object
/// with only this key at `data.NAME` (only CSV-like sets get placeholders, and their
/// value is a list).
const KEY: &str = "\u{0}briefbook data set";

/// The data sets among `names` that `template` only summarises, or does not reach at
/// all (a name in a string, as in `{{{table "trade"}}}`, is not a path to the rows).
pub(super) fn needs_no_rows<'a>(
    template: &Template,
    names: impl Iterator<Item = &'a str>,
) -> BTreeSet<&'a str> {
    let mut uses = Uses::default();
    uses.template(template);
    if uses.whole {
        return BTreeSet::new();
    }
    names.filter(|n| !uses.other.contains(*n)).collect()
}

/// What `data.NAME` is in the context of a template that only summarises `NAME`.
pub(super) fn placeholder(name: &str) -> Json {
    json!({ KEY: name })
}

/// The data set a placeholder stands for.
pub(super) fn data_set_in<'d>(
    value: &Json,
    data: Option<&'d BTreeMap<String, DataSet>>,
) -> Option<&'d DataSet> {
    let obj = value.as_object().filter(|o| o.len() == 1)?;
    let name = obj.get(KEY)?.as_str()?;
    data?.get(name).filter(|set| set.tree.is_none())
}

/// The names a template uses, sorted by how.
#[derive(Default)]
struct Uses {
    /// Every segment of every path other than `data.NAME` as the first parameter of a
    /// summarising helper, and every helper-or-variable name: the data sets of these
    /// names get their rows.
    other: BTreeSet<String>,
    /// `data` is used as a whole, or the template has something not understood here.
    whole: bool,
}

impl Uses {
    fn template(&mut self, t: &Template) {
        for element in &t.elements {
            self.element(element);
        }
    }

    fn element(&mut self, element: &TemplateElement) {
        match element {
            TemplateElement::RawString(_) | TemplateElement::Comment(_) => {}
            TemplateElement::Expression(h)
            | TemplateElement::HtmlExpression(h)
            | TemplateElement::HelperBlock(h) => self.helper(h),
            // Decorators and partials (not used by briefings) and whatever a later
            // handlebars adds: give the template everything.
            _ => self.whole = true,
        }
    }

    fn helper(&mut self, h: &HelperTemplate) {
        // The name is a helper's or a variable's: a use of that name unless it is one
        // of the summarising helpers. (Block parameters, `as |row|`, name values of
        // the block's parameters, which are counted there.)
        let summarising = match &h.name {
            Parameter::Name(n) if SUMMARISING.contains(&n.as_str()) => true,
            other => {
                self.parameter(other);
                false
            }
        };
        for (i, p) in h.params.iter().enumerate() {
            if !(summarising && i == 0 && data_set_path(p).is_some()) {
                self.parameter(p);
            }
        }
        for p in h.hash.values() {
            self.parameter(p);
        }
        for t in [&h.template, &h.inverse].into_iter().flatten() {
            self.template(t);
        }
    }

    fn parameter(&mut self, p: &Parameter) {
        match p {
            Parameter::Name(n) if n == "data" => self.whole = true,
            Parameter::Name(n) => self.name(n),
            Parameter::Path(Path::Relative((segments, _))) => {
                for (i, seg) in segments.iter().enumerate() {
                    if let PathSeg::Named(n) = seg {
                        // `data` at the end of a path is the whole of `data`.
                        if n == "data" && i + 1 == segments.len() {
                            self.whole = true;
                        }
                        self.name(n);
                    }
                }
            }
            Parameter::Path(Path::Local(_)) | Parameter::Literal(_) => {}
            Parameter::Subexpression(sub) => self.element(&sub.element),
            _ => self.whole = true,
        }
    }

    fn name(&mut self, n: &str) {
        if n == "data" {
            // `data` on its own (as a helper parameter or variable) is the whole set;
            // as the start of a longer path it is counted by the segments after it.
            return;
        }
        self.other.insert(n.to_string());
    }
}

/// `NAME` if `p` is the path `data.NAME` (from the root of the context), the one use
/// of a data set that a summarising helper resolves itself.
fn data_set_path(p: &Parameter) -> Option<&str> {
    let Parameter::Path(Path::Relative((segments, raw))) = p else { return None };
    match segments.as_slice() {
        [PathSeg::Named(d), PathSeg::Named(name)]
            if d == "data" && raw.starts_with("data") =>
        {
            Some(name)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_rows(template: &str) -> Vec<String> {
        let t = Template::compile(template).unwrap();
        let names = ["big", "trade", "other"];
        needs_no_rows(&t, names.into_iter()).into_iter().map(String::from).collect()
    }

    #[test]
    fn summarising_helpers_read_the_data_set_itself() {
        assert_eq!(
            no_rows("{{count data.big}} {{#each data.other}}{{/each}}"),
            ["big", "trade"]
        );
        assert_eq!(
            no_rows(
                "{{num (sum data.big \"value\") decimals=2}}, {{max data.big \"value\"}}, \
                 {{lookup (row data.trade \"year\" 2024) \"value\"}} {{data.other.0.x}}"
            ),
            ["big", "trade"]
        );
        assert_eq!(
            no_rows(
                "{{#if (count data.big)}}{{avg data.big \"v\"}}{{/if}} {{data.trade}}"
            ),
            ["big", "other"]
        );
        assert_eq!(
            no_rows("{{count data.[big]}} {{min data.big \"v\"}} {{data.trade}}"),
            ["big", "other"]
        );
        // Names only in strings or text do not reach the rows.
        assert_eq!(
            no_rows("{{{table \"big\"}}} big trade {{num 3}} {{! other }}"),
            ["big", "other", "trade"]
        );
    }

    #[test]
    fn any_other_use_gets_the_rows() {
        for t in [
            "{{count data.big}} {{#each data.big}}{{value}}{{/each}}",
            "{{count data.big}} {{data.big.0.value}}",
            "{{count data.big}} {{lookup data.big 0}}",
            "{{count data.big}} {{#with data.big as |rows|}}{{/with}}",
            "{{count data.big}} {{num x decimals=data.big}}",
            "{{count data.big}} {{count @root.data.big}}",
            "{{count data.big}} {{count ../data.big}}",
            "{{count data.big}} {{count this.data.big}}",
            "{{count data.big}} {{#each data.other}}{{count big}}{{/each}}",
            "{{count data.big}} {{sum data.other \"v\" big}}",
            "{{count data.big}} {{#each data}}{{/each}}",
            "{{count data.big}} {{lookup data \"big\"}}",
            "{{count data.big}} {{#with data}}{{count big}}{{/with}}",
            "{{count data.big}} {{> partial}}",
            "{{count data.big}} {{big}}",
            "{{count data.big}} {{data}}",
            "{{count data.big}} {{#each data.big}}{{else}}{{/each}}",
            "{{count data.big}} {{#if x}}{{else}}{{data.big}}{{/if}}",
        ] {
            assert!(!no_rows(t).contains(&"big".to_string()), "{t}");
        }
    }
}
