//! Containment for dependencies that may panic on hostile input.
//!
//! A decoder that panics on a malformed file (the png crate once did on a bad palette)
//! must give an error for that file, not take the build down. [`catch`] runs such a
//! step and turns a panic into `None`; while it runs, [`catching`] is true so that the
//! program's panic hook (which reports an internal error) stays quiet.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic inside it is caught and becomes `None`.
pub fn catch<T>(f: impl FnOnce() -> T) -> Option<T> {
    let before = CATCHING.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(before));
    result.ok()
}

/// Whether a panic now would be caught by [`catch`] (for panic hooks).
pub fn catching() -> bool {
    CATCHING.with(Cell::get)
}
