//! The one read-only switch of a cloud session: every regional client, the runner and the console
//! screen read the same flag, so a toggle holds everywhere at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared flag: clones see every change.
#[derive(Debug, Clone, Default)]
pub struct ReadOnly(Arc<AtomicBool>);

impl ReadOnly {
    pub fn new(on: bool) -> Self {
        ReadOnly(Arc::new(AtomicBool::new(on)))
    }

    pub fn get(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    pub fn set(&self, on: bool) {
        self.0.store(on, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let a = ReadOnly::new(true);
        let b = a.clone();
        b.set(false);
        assert!(!a.get());
    }
}
