//! Shapers for several threads: chapters are laid out in parallel, each thread with a
//! shaper of its own, so shaping never waits on a lock.
//!
//! Every shaper is forked from the first and caches only pure functions of its keys
//! (see [`Shaper`]), so which shaper a chapter gets cannot change its pages; the idle
//! shapers, their caches warm, are kept for the next build of a watch session.

use std::sync::{Mutex, PoisonError};

use super::shape::Shaper;

/// A pool of shapers over the same fonts and language.
pub(super) struct Shapers {
    pool: Mutex<Pool>,
}

struct Pool {
    /// Forked when every shaper is busy.
    template: Shaper,
    idle: Vec<Shaper>,
}

impl Shapers {
    /// A pool whose shapers are forks of `first` (which is the first of them).
    pub(super) fn new(first: Shaper) -> Self {
        let template = first.fork();
        Self { pool: Mutex::new(Pool { template, idle: vec![first] }) }
    }

    /// An idle shaper, or a new fork when all are busy. Give it back with
    /// [`Shapers::give`]; a shaper not given back (a step panicked) is dropped.
    pub(super) fn take(&self) -> Shaper {
        let mut pool = self.pool.lock().unwrap_or_else(PoisonError::into_inner);
        match pool.idle.pop() {
            Some(shaper) => shaper,
            None => pool.template.fork(),
        }
    }

    /// Returns a shaper to the pool.
    pub(super) fn give(&self, shaper: Shaper) {
        let mut pool = self.pool.lock().unwrap_or_else(PoisonError::into_inner);
        pool.idle.push(shaper);
    }

    /// Runs `f` with a shaper of its own.
    pub(super) fn with<T>(&self, f: impl FnOnce(&mut Shaper) -> T) -> T {
        let mut shaper = self.take();
        let result = f(&mut shaper);
        self.give(shaper);
        result
    }
}
