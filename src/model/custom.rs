//! The briefing blocks written as fenced blocks with a TOML body.
