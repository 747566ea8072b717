//! TEMPORARY stub until the layout engine lands (replaced at merge).
#![allow(missing_docs)]
use super::LayoutOptions;
use crate::diag::{DiagResult, Diagnostic};
pub struct PagedDocument {
    pub pages: Vec<()>,
}
pub fn layout_document(
    _: &crate::model::Document,
    _: &LayoutOptions,
) -> DiagResult<(PagedDocument, Vec<Diagnostic>)> {
    Ok((PagedDocument { pages: vec![] }, vec![]))
}
