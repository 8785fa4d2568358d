//! The virtual clock: a priority queue of timed wake-ups. Ties are broken by insertion order, so
//! the same inputs always pop in the same order (determinism).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::time::Millis;

#[derive(Debug)]
struct Entry<E> {
    at: Millis,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

#[derive(Debug)]
pub struct Clock<E> {
    now: Millis,
    seq: u64,
    queue: BinaryHeap<Reverse<Entry<E>>>,
}

impl<E> Default for Clock<E> {
    fn default() -> Self {
        Clock { now: 0, seq: 0, queue: BinaryHeap::new() }
    }
}

impl<E> Clock<E> {
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Schedules `event` at `at` (never in the past: a late wake-up fires now).
    pub fn at(&mut self, at: Millis, event: E) {
        let at = at.max(self.now);
        self.seq += 1;
        self.queue.push(Reverse(Entry { at, seq: self.seq, event }));
    }

    pub fn after(&mut self, delay: Millis, event: E) {
        self.at(self.now.saturating_add(delay), event);
    }

    /// Time of the next wake-up, if any.
    pub fn next_at(&self) -> Option<Millis> {
        self.queue.peek().map(|Reverse(e)| e.at)
    }

    /// Pops the next wake-up due at or before `limit`, moving `now` to its time.
    pub fn pop_until(&mut self, limit: Millis) -> Option<E> {
        if self.next_at()? > limit {
            return None;
        }
        let Reverse(entry) = self.queue.pop()?;
        self.now = entry.at;
        Some(entry.event)
    }

    /// Moves `now` forward to `t` (used once every wake-up up to `t` has fired).
    pub fn set_now(&mut self, t: Millis) {
        self.now = self.now.max(t);
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut c = Clock::default();
        c.at(20, "b");
        c.at(10, "a");
        c.at(20, "c");
        assert_eq!(c.pop_until(100), Some("a"));
        assert_eq!(c.now(), 10);
        assert_eq!(c.pop_until(100), Some("b"));
        assert_eq!(c.pop_until(100), Some("c"));
        assert_eq!(c.pop_until(100), None);
    }

    #[test]
    fn respects_limit_and_never_goes_back() {
        let mut c = Clock::default();
        c.at(50, 1);
        assert_eq!(c.pop_until(49), None);
        c.set_now(40);
        c.at(10, 2); // in the past: fires at now
        assert_eq!(c.next_at(), Some(40));
    }
}
