//! Helpers of `tests/warm_equals_cold.rs`.

pub mod edits;
pub mod rng;
pub mod text;
