//! Loading: the briefing folder read into a typed [`Project`].

pub mod manifest;
