//! Sorting that shares one copy of the standard library's sort across the whole program.
//!
//! Every `sort_by`, `sort_by_key`, `sort_unstable` or `collect::<BTreeMap<_, _>>()` of a new
//! element type compiles its own copy of std's sort: about 5 KiB of wasm each, and `twiggy`
//! counted 54 KiB of them in the web app. These helpers sort a permutation of indices with a
//! `dyn` comparator instead, so the one `usize` sort serves every caller, then put the
//! elements in place by following the permutation's cycles (a few swaps, no allocation per
//! element). The sort is stable. For maps and sets, build with `extend` (which inserts one by
//! one) instead of `collect`, which sorts.

use std::cmp::Ordering;

/// The one instantiation of std's stable sort: indices, compared through `compare`.
fn sort_indices(indices: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    indices.sort_by(|a, b| compare(*a, *b));
}

/// Sorts `items` stably by `compare`.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    {
        let view: &[T] = items;
        sort_indices(&mut order, &|a, b| match (view.get(a), view.get(b)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        });
    }
    // `order[i]` is the old position of the element that belongs at `i`; follow each cycle
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !placed.get(at).copied().unwrap_or(true) {
            if let Some(p) = placed.get_mut(at) {
                *p = true;
            }
            let Some(&from) = order.get(at) else { break };
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Sorts `items` stably by `key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` (stably, though equal elements are indistinguishable).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_stays_stable() {
        // a deterministic shuffle with many equal keys
        let mut seed = 7u64;
        let mut items: Vec<(u8, usize)> = (0..2_000)
            .map(|i| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((seed >> 59) as u8, i)
            })
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|x| x.0);
        sort_by_key(&mut items, |x| x.0);
        assert_eq!(items, expected, "stable: equal keys keep their order");
        let mut words = vec!["pear", "apple", "fig", "apple", "kiwi"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "kiwi", "pear"]);
        let mut reversed: Vec<u32> = (0..100).rev().collect();
        sort_by(&mut reversed, |a, b| a.cmp(b));
        assert_eq!(reversed, (0..100).collect::<Vec<u32>>());
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        let mut one = [3];
        sort(&mut one);
        assert_eq!(one, [3]);
    }

    #[test]
    fn every_permutation_of_five_sorts() {
        let base = [4, 1, 3, 0, 2];
        let mut perm = base;
        // Heap's algorithm over all 120 permutations
        let mut c = [0usize; 5];
        let check = |p: &[i32; 5]| {
            let mut v = *p;
            sort(&mut v);
            assert_eq!(v, [0, 1, 2, 3, 4], "{p:?}");
        };
        check(&perm);
        let mut i = 0;
        while i < 5 {
            if c[i] < i {
                if i % 2 == 0 {
                    perm.swap(0, i);
                } else {
                    perm.swap(c[i], i);
                }
                check(&perm);
                c[i] += 1;
                i = 0;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
    }
}
