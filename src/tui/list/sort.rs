//! The sort order of a list: rows by (sort cell, id), numbers by value in a numeric column.
//! Sorting compares fixed-size prefixes first, so that 100k rows sort without chasing strings.

use std::cmp::Ordering;

use super::rows::leading_number;

/// What rows are sorted by: a column's cells (text or numbers), up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

/// Two rows by their (sort cell, id); ties go by id, so that the order is the same whatever
/// order the rows came in.
pub fn compare(
    sort: Sort,
    numeric: bool,
    (ka, ida): (&str, &str),
    (kb, idb): (&str, &str),
) -> Ordering {
    let o = if numeric {
        leading_number(ka).total_cmp(&leading_number(kb))
    } else {
        ka.cmp(kb)
    }
    .then_with(|| ida.cmp(idb));
    if sort.descending { o.reverse() } else { o }
}

/// A row's sort key: the first 16 bytes of its cell (or its number, as ordered bits) and the
/// first 32 of its id, which decide most comparisons without reading the strings.
struct Keyed {
    key: u128,
    /// The cell is all in `key` (a number, or text of at most 16 bytes).
    key_whole: bool,
    id: [u128; 2],
    id_whole: bool,
    row: u32,
}

/// Row indices `0..n` in the order of `compare`, given each row's sort cell and id.
pub fn sorted<'a>(
    n: usize,
    sort: Sort,
    numeric: bool,
    cell: impl Fn(usize) -> &'a str,
    id: impl Fn(usize) -> &'a str,
) -> Vec<u32> {
    let mut keyed: Vec<Keyed> = (0..n)
        .map(|i| {
            let (c, d) = (cell(i), id(i));
            let (key, key_whole) = if numeric {
                (u128::from(number_bits(leading_number(c))), true)
            } else {
                (prefix(c.as_bytes()), c.len() <= 16)
            };
            let d = d.as_bytes();
            Keyed {
                key,
                key_whole,
                id: [prefix(d), prefix(d.get(16..).unwrap_or_default())],
                id_whole: d.len() <= 32,
                row: i as u32,
            }
        })
        .collect();
    let cmp = |a: &Keyed, b: &Keyed| {
        let (ra, rb) = (a.row as usize, b.row as usize);
        let o = a
            .key
            .cmp(&b.key)
            .then_with(|| {
                if a.key_whole && b.key_whole {
                    Ordering::Equal
                } else {
                    cell(ra).cmp(cell(rb))
                }
            })
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| {
                if a.id_whole && b.id_whole {
                    Ordering::Equal
                } else {
                    id(ra).cmp(id(rb))
                }
            });
        if sort.descending { o.reverse() } else { o }
    };
    keyed.sort_unstable_by(cmp);
    keyed.into_iter().map(|k| k.row).collect()
}

/// The first 16 bytes, big-endian, zero-padded: ordered as the bytes are (text holds no NUL).
fn prefix(b: &[u8]) -> u128 {
    let mut buf = [0u8; 16];
    let n = b.len().min(16);
    buf[..n].copy_from_slice(&b[..n]);
    u128::from_be_bytes(buf)
}

/// `f64::total_cmp`'s order as unsigned bits.
fn number_bits(x: f64) -> u64 {
    let b = x.to_bits() as i64;
    let ordered = b ^ ((((b >> 63) as u64) >> 1) as i64);
    (ordered as u64) ^ (1 << 63)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The prefix-first sort is the order of `compare`, for text and numbers, up and down.
        #[test]
        fn prefixes_sort_as_the_strings_do(
            cells in prop::collection::vec("[0-9.]{0,4}[a-c ]{0,20}(é)?", 0..80),
            ids in prop::collection::vec("[ab]{0,40}", 80),
            numeric in any::<bool>(),
            descending in any::<bool>(),
        ) {
            let sort = Sort { column: 0, descending };
            let n = cells.len();
            // ids are unique in a list (after long shared prefixes, here)
            let ids: Vec<String> = ids.iter().enumerate().map(|(i, d)| format!("{d}{i}")).collect();
            let got = sorted(n, sort, numeric, |i| cells[i].as_str(), |i| ids[i].as_str());
            let mut want: Vec<u32> = (0..n as u32).collect();
            want.sort_by(|&a, &b| {
                let (a, b) = (a as usize, b as usize);
                compare(sort, numeric, (&cells[a], &ids[a]), (&cells[b], &ids[b]))
            });
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn numbers_keep_the_order_of_total_cmp() {
        let xs = [f64::NEG_INFINITY, -2.5, -0.0, 0.0, 1.0, 10.0, f64::INFINITY];
        for w in xs.windows(2) {
            assert!(number_bits(w[0]) < number_bits(w[1]), "{w:?}");
        }
    }
}
