//! TEMPORARY stub until the PDF writer lands (replaced at merge).
#![allow(missing_docs)]
use crate::diag::{DiagResult, Diagnostic};
pub fn export_pdf(
    _: &crate::layout::PagedDocument,
    _: &crate::model::Meta,
) -> DiagResult<Vec<u8>> {
    Err(vec![Diagnostic::spanless("pdf writer not merged yet")])
}
