//! TEMPORARY stub until the EPUB writer lands (replaced at merge).
#![allow(missing_docs)]
use crate::diag::{DiagResult, Diagnostic};
pub fn export_epub(_: &crate::model::Document) -> DiagResult<(Vec<u8>, Vec<Diagnostic>)> {
    Err(vec![Diagnostic::spanless("epub writer not merged yet")])
}
