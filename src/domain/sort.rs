//! Stable sorting with one compiled sort for the whole app.
//!
//! The standard library's `sort_by` is compiled anew for every element type
//! and every comparison closure (about 3.7 KB of WebAssembly each; the app
//! had 50 copies). These functions sort a list of positions with a single,
//! non-generic sort that calls the comparison through a `dyn` reference,
//! then move the elements into place: what stays generic is a few dozen
//! bytes per use. Same results as the standard stable sorts.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` stably by `compare` (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let items = &*items;
        sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]))
    };
    permute(items, order);
}

/// Sorts `items` stably by a key computed once per element (as
/// `slice::sort_by_cached_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl FnMut(&T) -> K) {
    if items.len() < 2 {
        return;
    }
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = sorted_positions(items.len(), &mut |a, b| keys[a].cmp(&keys[b]));
    permute(items, order);
}

/// Sorts `items` stably in their natural order (as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The pairs as a map, as `collect::<BTreeMap<_, _>>()` makes it (the last
/// value of a key kept), without the standard sort that `collect` compiles
/// for every key and value type: each pair is inserted in turn.
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut out = BTreeMap::new();
    for (k, v) in pairs {
        out.insert(k, v);
    }
    out
}

/// The items as a set, as `collect::<BTreeSet<_>>()` makes it, without its
/// sort (see [`map`]).
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut out = BTreeSet::new();
    for t in items {
        out.insert(t);
    }
    out
}

/// The positions `0..n` in the order `compare` gives them (stable).
#[inline(never)]
fn sorted_positions(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by(|&a, &b| compare(a as usize, b as usize));
    order
}

/// Moves each element to its place: `order[i]` is where the element that
/// goes to `i` is now. Follows each cycle of the permutation once.
fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for start in 0..items.len() {
        if order[start] == DONE {
            continue;
        }
        let mut pos = start;
        loop {
            let from = order[pos] as usize;
            order[pos] = DONE;
            if from == start {
                break;
            }
            items.swap(pos, from);
            pos = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_and_set_are_what_collect_makes() {
        let pairs = [(3, "a"), (1, "b"), (3, "c"), (2, "d"), (1, "e")];
        let collected: BTreeMap<_, _> = pairs.iter().cloned().collect();
        assert_eq!(map(pairs.iter().cloned()), collected);
        assert_eq!(map(pairs.iter().cloned()).get(&3), Some(&"c"));
        let items = ["x", "b", "x", "a", "b"];
        let collected: BTreeSet<_> = items.iter().cloned().collect();
        assert_eq!(set(items.iter().cloned()), collected);
        assert!(map(Vec::<(u8, u8)>::new()).is_empty());
    }

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order() {
        let mut ours = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e'), (0, 'f')];
        let mut std = ours.clone();
        sort_by_key(&mut ours, |p| p.0);
        std.sort_by_key(|p| p.0);
        assert_eq!(ours, std);
        assert_eq!(ours, [(0, 'f'), (1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        sort_by(&mut ours, |a, b| b.1.cmp(&a.1));
        assert_eq!(ours.iter().map(|p| p.1).collect::<String>(), "fedcba");
        let mut words = vec!["b", "a", "c"];
        sort(&mut words);
        assert_eq!(words, ["a", "b", "c"]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }
}

// Property tests run natively only (proptest needs OS randomness).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_list_sorts_as_the_standard_stable_sort(list in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = list.clone();
            let mut std = list;
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(&ours, &std);
            let mut by_key = std.clone();
            sort_by_key(&mut by_key, |p| std::cmp::Reverse(p.1));
            std.sort_by_key(|p| std::cmp::Reverse(p.1));
            prop_assert_eq!(by_key, std);
        }
    }
}
