//! Markdown events → document model.
