//! briefbook: one briefing source, two books (a paginated PDF and an EPUB 3).
//!
//! # Steps
//! - **Loading** ([`source`]): `briefing.toml`, the section files and the data sets are
//!   read and typed; every problem carries a file and byte span ([`diag`]).
//! - **Expansion** ([`template`]): each section is expanded with handlebars in strict
//!   mode, with the data sets in scope.
//! - **Model** ([`model`]): the expanded Markdown becomes one format-neutral
//!   [`model::Document`].
//! - **Layout** ([`layout`]): the document is laid out into pages for print.
//! - **Export** ([`export`]): the pages become a PDF, the document becomes an EPUB.
//!
//! [`build()`] runs them all: one call from a briefing folder to its books.

pub mod build;
pub mod chart;
pub mod cli;
pub mod compile;
pub mod config;
pub mod copies;
pub mod diag;
pub mod export;
pub mod geom;
pub mod guard;
pub mod layout;
pub mod limits;
pub mod locale;
pub mod memo;
pub mod model;
pub mod nesting;
pub mod numbers;
pub mod source;
pub mod template;
pub mod world;

pub use build::{build, build_streaming, Books, Failure, Options, Session};
