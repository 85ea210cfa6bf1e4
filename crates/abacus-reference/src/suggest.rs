//! Did-you-mean: the nearest names by edit distance (case-insensitive), for typos such as
//! `s3:GetObjcet` or `glue:GetTabel`.

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped:
/// returns `None` as soon as the distance must exceed `max`.
pub fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut prev2: Vec<usize> = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur: Vec<usize> = vec![0; width];
    for (i, &ca) in a.iter().enumerate() {
        cur.fill(usize::MAX);
        if let Some(c) = cur.first_mut() {
            *c = i + 1;
        }
        let mut row_min = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let del = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            let sub = prev
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(cost);
            let mut best = del.min(ins).min(sub);
            if i > 0 && j > 0 && a.get(i - 1) == Some(&cb) && b.get(j - 1) == Some(&ca) {
                best = best.min(
                    prev2
                        .get(j - 1)
                        .copied()
                        .unwrap_or(usize::MAX)
                        .saturating_add(1),
                );
            }
            if let Some(c) = cur.get_mut(j + 1) {
                *c = best;
            }
            row_min = row_min.min(best);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|&d| d <= max)
}

/// Up to `limit` candidates nearest to `name`, closest first (ties in candidate order),
/// within a distance that grows with the name's length (1 for short names, up to 3).
pub fn nearest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let max = (name.len() / 4).clamp(1, 3);
    // distances are 1..=3: one bucket each keeps candidate order without a sort
    let mut buckets: [Vec<&str>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for c in candidates {
        if let Some(bucket) = distance(name, c, max)
            .and_then(|d| d.checked_sub(1))
            .and_then(|i| buckets.get_mut(i))
        {
            bucket.push(c);
        }
    }
    buckets.into_iter().flatten().take(limit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpositions_and_typos() {
        assert_eq!(distance("GetObjcet", "GetObject", 3), Some(1));
        assert_eq!(distance("GetTabel", "GetTable", 3), Some(1));
        assert_eq!(distance("kitten", "sitting", 3), Some(3));
        assert_eq!(distance("kitten", "sitting", 2), None);
        assert_eq!(distance("ABC", "abc", 0), Some(0));
    }

    #[test]
    fn nearest_names() {
        let names = ["GetObject", "GetObjectAcl", "PutObject", "GetBucketAcl"];
        assert_eq!(nearest("GetObjcet", names, 2), vec!["GetObject"]);
        assert!(nearest("Completely", names, 2).is_empty());
    }
}
