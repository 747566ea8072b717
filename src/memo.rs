//! The one memo of the pipeline: results of pure steps, keyed by a 128-bit hash of
//! everything the step reads.
//!
//! A step is memoized by calling [`Memo::get_or`] with the step's name, its *inputs*
//! (any value that implements [`Hash`]: the step must read nothing else) and a closure
//! that computes the result from them. The result is shared ([`Arc`]), so the book that
//! uses it and the memo hold one copy. A build marks every entry it uses; [`Memo::end`]
//! forgets the rest, so the memo never holds more than one build's results.
//!
//! The rule for a step's inputs: **a value the step reads must be part of its key**.
//! A step is handed its inputs as arguments (never the whole document), so what it can
//! read is what the key holds; `tests/warm_equals_cold.rs` checks, on random edit
//! sequences, that a build reusing the memo equals one starting from an empty memo.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use siphasher::sip128::{Hasher128, SipHasher13};

/// A 128-bit hash of a value (SipHash 1-3 with a fixed key, so equal values hash alike in
/// every process): the one hash the pipeline keys its memo and page streams with.
pub fn hash128<T: Hash + ?Sized>(value: &T) -> u128 {
    let mut state = SipHasher13::new();
    value.hash(&mut state);
    state.finish128().as_u128()
}

/// Results of pure steps from this build and the one before.
#[derive(Default)]
pub struct Memo {
    entries: Mutex<HashMap<u128, Entry>>,
    /// Counts the builds, to tell which entries the current one used.
    build: u64,
    /// How many times each step ran in this build (rather than being reused).
    redone: Mutex<BTreeMap<&'static str, usize>>,
}

struct Entry {
    value: Arc<dyn Any + Send + Sync>,
    /// The last build that used it.
    used: u64,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.entries.lock().map_or(0, |e| e.len());
        write!(f, "Memo({n} results)")
    }
}

impl Memo {
    /// An empty memo (a cold build).
    pub fn new() -> Self {
        Self::default()
    }

    /// The result of `step` for `inputs`: the one kept from an earlier call with equal
    /// inputs, or `compute()`'s. Safe to call from several threads; two threads asking
    /// for the same missing result may both compute it (the results are equal).
    pub fn get_or<K, T>(
        &self,
        step: &'static str,
        inputs: &K,
        compute: impl FnOnce() -> T,
    ) -> Arc<T>
    where
        K: Hash + ?Sized,
        T: Send + Sync + 'static,
    {
        self.get_or_valid(step, inputs, |_| true, compute)
    }

    /// [`Memo::get_or`] that also returns the result's key: it names the result, so a
    /// later step can key on it instead of hashing the result's content.
    pub fn get_keyed<K, T>(
        &self,
        step: &'static str,
        inputs: &K,
        compute: impl FnOnce() -> T,
    ) -> (u128, Arc<T>)
    where
        K: Hash + ?Sized,
        T: Send + Sync + 'static,
    {
        self.get_or_valid_keyed(step, inputs, |_| true, compute)
    }

    /// [`Memo::get_or`] for a step that may read more than its key shows (a data set
    /// named at run time, say): the result records what it read, and `still_valid` checks
    /// that record against the current inputs before a kept result is reused.
    pub fn get_or_valid<K, T>(
        &self,
        step: &'static str,
        inputs: &K,
        still_valid: impl FnOnce(&T) -> bool,
        compute: impl FnOnce() -> T,
    ) -> Arc<T>
    where
        K: Hash + ?Sized,
        T: Send + Sync + 'static,
    {
        self.get_or_valid_keyed(step, inputs, still_valid, compute).1
    }

    /// [`Memo::get_or_valid`] that also returns the result's key.
    pub fn get_or_valid_keyed<K, T>(
        &self,
        step: &'static str,
        inputs: &K,
        still_valid: impl FnOnce(&T) -> bool,
        compute: impl FnOnce() -> T,
    ) -> (u128, Arc<T>)
    where
        K: Hash + ?Sized,
        T: Send + Sync + 'static,
    {
        let key = hash128(&(step, std::any::type_name::<T>(), inputs));
        if let Some(found) = self.lookup::<T>(key) {
            if still_valid(&found) {
                return (key, found);
            }
        }
        (key, self.insert(step, key, compute()))
    }

    fn insert<T: Send + Sync + 'static>(
        &self,
        step: &'static str,
        key: u128,
        value: T,
    ) -> Arc<T> {
        let value = Arc::new(value);
        if let Ok(mut redone) = self.redone.lock() {
            *redone.entry(step).or_default() += 1;
        }
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(key, Entry { value: value.clone(), used: self.build });
        }
        value
    }

    fn lookup<T: Send + Sync + 'static>(&self, key: u128) -> Option<Arc<T>> {
        let mut entries = self.entries.lock().ok()?;
        let entry = entries.get_mut(&key)?;
        entry.used = self.build;
        entry.value.clone().downcast::<T>().ok()
    }

    /// Starts a build: every entry is unused until the build asks for it.
    pub fn start(&mut self) {
        self.build += 1;
        if let Ok(redone) = self.redone.get_mut() {
            redone.clear();
        }
    }

    /// Ends a build: forgets every entry it did not use. Returns how many times each step
    /// ran rather than being reused.
    pub fn end(&mut self) -> BTreeMap<&'static str, usize> {
        let build = self.build;
        if let Ok(entries) = self.entries.get_mut() {
            entries.retain(|_, e| e.used == build);
        }
        self.redone.get_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Forgets everything (after a step panicked, say).
    pub fn clear(&mut self) {
        if let Ok(entries) = self.entries.get_mut() {
            entries.clear();
        }
    }
}

/// Feeds an `f64` to a hasher by its bits (`-0.0` and `0.0` differ, as they print
/// differently; every NaN with the same bits is equal).
pub fn hash_f64<H: Hasher>(value: f64, state: &mut H) {
    state.write_u64(value.to_bits());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_reuse_and_unused_results_are_forgotten() {
        let mut memo = Memo::new();
        memo.start();
        let a = memo.get_or("double", &21, || 42);
        let b = memo.get_or("double", &21, || -> i32 { unreachable!("reused") });
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(*memo.get_or("double", &4, || 8), 8);
        assert_eq!(memo.end().get("double"), Some(&2));

        memo.start();
        assert_eq!(*memo.get_or("double", &4, || -> i32 { unreachable!("kept") }), 8);
        assert!(memo.end().is_empty());
        memo.start();
        // 21 was not used by the last build, so it is gone.
        assert_eq!(*memo.get_or("double", &21, || 43), 43);
    }

    #[test]
    fn steps_and_types_do_not_share_results() {
        let memo = Memo::new();
        assert_eq!(*memo.get_or("a", &1, || 1u32), 1);
        assert_eq!(*memo.get_or("b", &1, || 2u32), 2);
        assert_eq!(*memo.get_or("a", &1, || 3u64), 3);
    }

    #[test]
    fn the_hash_is_stable_across_processes() {
        // SipHash with a fixed key: the same in every process and on every machine.
        assert_eq!(hash128("briefbook"), hash128(&String::from("briefbook")));
        assert_ne!(hash128(&(1u8, 2u8)), hash128(&(2u8, 1u8)));
    }
}
