//! Sort by a column with Shift and a letter of its header, as well as `o` (k9s's habit). The
//! rule: each column takes the first letter of its header that no key of the key map holds
//! (`X`, `R`, `D`, `O`, `Y`, `G`… stay what they are) and no column before it took; the header
//! underlines it. A column left with none is sorted with `o`.

use super::rows::Column;
use crate::tui::keymap::{Key, Keymap};

/// The letter (upper case) of each column, in the columns' order.
pub fn sort_letters(columns: &[Column], keymap: &Keymap) -> Vec<Option<char>> {
    let mut used: Vec<char> = Vec::new();
    columns
        .iter()
        .map(|c| {
            let letter = c.header.chars().find(|ch| {
                ch.is_ascii_uppercase()
                    && !used.contains(ch)
                    && keymap.action(Key::char(*ch)).is_none()
            });
            used.extend(letter);
            letter
        })
        .collect()
}

/// The column whose letter is `c`, if any.
pub fn column_of(columns: &[Column], keymap: &Keymap, c: char) -> Option<usize> {
    sort_letters(columns, keymap)
        .iter()
        .position(|l| *l == Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::list::rows::{DISK_COLUMNS, SERVER_COLUMNS};

    #[test]
    fn each_column_takes_the_first_free_letter_of_its_header() {
        let keymap = Keymap::default();
        let letters = sort_letters(SERVER_COLUMNS, &keymap);
        let by_header: Vec<(&str, Option<char>)> = SERVER_COLUMNS
            .iter()
            .map(|c| c.header)
            .zip(letters.iter().copied())
            .collect();
        assert_eq!(by_header[0], ("NAME", Some('N')));
        assert_eq!(by_header[1], ("STATUS", Some('S')));
        // T is the tags key: TASK takes its next free letter.
        assert_eq!(by_header[2], ("TASK", Some('A')));
        // R is hard reboot: REGION takes its next letter.
        assert_eq!(by_header[3], ("REGION", Some('E')));
        for (h, l) in &by_header {
            if let Some(l) = l {
                assert!(h.contains(*l), "{h}: {l}");
                assert!(keymap.action(Key::char(*l)).is_none(), "{l} is a key");
            }
        }
        let taken: Vec<char> = letters.iter().flatten().copied().collect();
        let mut unique = taken.clone();
        unique.dedup();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), taken.len(), "no letter twice: {taken:?}");
        assert_eq!(column_of(SERVER_COLUMNS, &keymap, 'N'), Some(0));
        assert_eq!(
            column_of(SERVER_COLUMNS, &keymap, 'X'),
            None,
            "a key's letter"
        );
        assert!(
            sort_letters(DISK_COLUMNS, &keymap)
                .iter()
                .any(Option::is_some)
        );
    }

    #[test]
    fn a_letter_the_config_binds_is_left_to_its_key() {
        let mut keys = std::collections::BTreeMap::new();
        keys.insert("refresh".to_owned(), vec!["N".to_owned()]);
        let keymap = Keymap::with_overrides(&keys, None).unwrap();
        let letters = sort_letters(SERVER_COLUMNS, &keymap);
        assert_eq!(letters[0], Some('A'), "NAME: N is refresh now");
    }
}
