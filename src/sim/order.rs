//! `Order`: one partition's records in creation order, with a count of the live ones (a Fenwick
//! tree), so that the k-th newest is found in O(log n) and a page is walked from there.

/// Sequence numbers (increasing) of a partition's records in creation order; removed ones stay
/// as holes until they outnumber the live ones, then the order is compacted.
#[derive(Default)]
pub struct Order {
    seqs: Vec<u64>,
    live: Vec<bool>,
    /// Fenwick tree over `live` (1-based: `tree[i - 1]` covers `(i - lowbit(i), i]`).
    tree: Vec<u32>,
    len: usize,
}

fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

impl Order {
    /// Live records.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Appends a record newer than every other (`seq` above all before it).
    pub fn push(&mut self, seq: u64) {
        debug_assert!(self.seqs.last().is_none_or(|&l| l < seq));
        let i = self.seqs.len() + 1;
        // The new node covers (i - lowbit(i), i]: itself plus the live ones before it in range.
        let below = self.prefix(i - 1) - self.prefix(i - lowbit(i));
        self.seqs.push(seq);
        self.live.push(true);
        self.tree.push(below + 1);
        self.len += 1;
    }

    /// Forgets `seq`; false when it is not here.
    pub fn remove(&mut self, seq: u64) -> bool {
        let Some(pos) = self.position(seq) else {
            return false;
        };
        self.live[pos] = false;
        let mut i = pos + 1;
        while i <= self.tree.len() {
            self.tree[i - 1] -= 1;
            i += lowbit(i);
        }
        self.len -= 1;
        if self.seqs.len() > 64 && self.seqs.len() > 2 * self.len {
            self.compact();
        }
        true
    }

    /// Newest first, skipping the `skip` newest.
    pub fn newest(&self, skip: usize) -> Walk<'_> {
        let next = if skip >= self.len {
            None
        } else {
            // The (len - skip)-th live record counted from the oldest.
            Some(self.select(self.len - skip))
        };
        Walk { order: self, next }
    }

    /// Newest first, starting just after (older than) the live record `seq`; `None` when `seq`
    /// is not here.
    pub fn newest_after(&self, seq: u64) -> Option<Walk<'_>> {
        let pos = self.position(seq)?;
        let next = pos.checked_sub(1).and_then(|p| self.live_at_or_before(p));
        Some(Walk { order: self, next })
    }

    fn position(&self, seq: u64) -> Option<usize> {
        self.seqs.binary_search(&seq).ok().filter(|&p| self.live[p])
    }

    /// Live records among the first `i` positions.
    fn prefix(&self, mut i: usize) -> u32 {
        let mut s = 0;
        while i > 0 {
            s += self.tree[i - 1];
            i -= lowbit(i);
        }
        s
    }

    /// The position of the `k`-th live record from the oldest (1 ≤ k ≤ len).
    fn select(&self, mut k: usize) -> usize {
        let n = self.tree.len();
        let mut pos = 0;
        let mut step = if n == 0 { 0 } else { 1 << n.ilog2() };
        while step > 0 {
            if pos + step <= n && (self.tree[pos + step - 1] as usize) < k {
                pos += step;
                k -= self.tree[pos - 1] as usize;
            }
            step >>= 1;
        }
        pos
    }

    /// The newest live position at or before `pos`.
    fn live_at_or_before(&self, pos: usize) -> Option<usize> {
        if self.live[pos] {
            return Some(pos);
        }
        match self.prefix(pos + 1) {
            0 => None,
            k => Some(self.select(k as usize)),
        }
    }

    fn compact(&mut self) {
        let seqs: Vec<u64> = self
            .seqs
            .iter()
            .zip(&self.live)
            .filter(|(_, l)| **l)
            .map(|(s, _)| *s)
            .collect();
        *self = Order::default();
        self.seqs.reserve(seqs.len());
        self.live.reserve(seqs.len());
        self.tree.reserve(seqs.len());
        for s in seqs {
            self.push(s);
        }
    }
}

/// Sequence numbers newest first (see `Order::newest`).
pub struct Walk<'a> {
    order: &'a Order,
    next: Option<usize>,
}

impl Iterator for Walk<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let pos = self.next?;
        self.next = pos
            .checked_sub(1)
            .and_then(|p| self.order.live_at_or_before(p));
        Some(self.order.seqs[pos])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Against a plain list: every skip and every marker gives the same walk, through pushes,
        /// removals and compactions.
        #[test]
        fn walks_like_a_plain_list(ops in prop::collection::vec((any::<bool>(), any::<u16>()), 1..400)) {
            let mut order = Order::default();
            let mut plain: Vec<u64> = Vec::new();
            let mut next = 0u64;
            for (push, pick) in ops {
                if push || plain.is_empty() {
                    next += 1 + u64::from(pick % 3);
                    order.push(next);
                    plain.push(next);
                } else {
                    let s = plain.remove(pick as usize % plain.len());
                    prop_assert!(order.remove(s));
                    prop_assert!(!order.remove(s));
                }
                prop_assert_eq!(order.len(), plain.len());
            }
            let newest: Vec<u64> = plain.iter().rev().copied().collect();
            for skip in 0..=newest.len() + 1 {
                let got: Vec<u64> = order.newest(skip).collect();
                prop_assert_eq!(&got[..], newest.get(skip..).unwrap_or(&[]));
            }
            for (i, s) in newest.iter().enumerate() {
                let got: Vec<u64> = order.newest_after(*s).unwrap().collect();
                prop_assert_eq!(&got[..], &newest[i + 1..]);
            }
            prop_assert!(order.newest_after(next + 1).is_none());
        }
    }
}
