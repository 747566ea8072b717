//! Exporters: pure functions from the model (EPUB) or the laid-out pages (PDF) to bytes.

pub mod epub;
pub mod pdf;
