//! A journal file's bytes read back as the runner reads them at start, and every task read
//! written again as compaction writes it: what is read once reads back the same.

use hvecs::runner::journal;

pub fn run(bytes: &[u8]) {
    // `Journal::load` replays the file's bytes (a line that is not UTF-8 is skipped).
    let replay = journal::replay(bytes);
    assert!(replay.skipped <= replay.lines);
    assert!(replay.tasks.len() <= replay.lines - replay.skipped);
    let kept = journal::compacted(replay.tasks.clone(), 1);
    assert!(kept.len() <= replay.tasks.len());
    let mut rewritten = String::new();
    for t in &replay.tasks {
        let Ok(line) = journal::encode(t) else {
            panic!("task {} cannot be written back", t.id);
        };
        rewritten.push_str(&line);
        rewritten.push('\n');
    }
    let again = journal::replay(rewritten.as_bytes());
    assert_eq!(again.skipped, 0, "a task written back is not read");
    assert_eq!(again.tasks, replay.tasks, "a task reads back changed");
}
