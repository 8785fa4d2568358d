//! Sorting with one copy of the sort algorithm in the binary.
//!
//! `slice::sort_by` is generic over the element and the comparison, and since Rust 1.81 each
//! instantiation (driftsort: quicksort, merges, small-sorts) is about 3.6 KB of wasm. Thirty-odd
//! call sites cost ~130 KB of the page's bundle. These helpers sort a list of indices through a
//! `dyn` comparison instead (a single instantiation) and then move the elements into place, which
//! leaves only a few bytes per call site. Stable, like `slice::sort_by`. Not for hot loops over
//! millions of elements; nothing in the simulation sorts that much.

use std::cmp::Ordering;

/// Stable sort of `v` by `cmp`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, &mut order);
}

/// Stable sort of `v` by the key `f` gives each element.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Stable sort of `v` in its natural order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The one instantiation of the standard library's sort.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Reorders `v` so that position `i` holds what was at `order[i]`, following each cycle of the
/// permutation with swaps (`order` is used up as the record of what is done).
pub(crate) fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_ties_in_order() {
        // Pseudo-random pairs with many equal keys: a stable sort keeps each key's second
        // components in their original order, which the standard library's sort_by does too.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in [0usize, 1, 2, 3, 7, 20, 21, 100, 1000] {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    ((x % 7) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std = v.clone();
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "len {len}");
            let mut whole = v.clone();
            sort(&mut whole);
            let mut std_whole = v;
            std_whole.sort();
            assert_eq!(whole, std_whole);
        }
    }

    #[test]
    fn moves_owned_values_without_losing_any() {
        let mut v: Vec<String> = ["pear", "apple", "fig", "apple", "kiwi"].map(String::from).to_vec();
        sort_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, ["pear", "kiwi", "fig", "apple", "apple"]);
    }
}
