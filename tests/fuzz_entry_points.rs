//! The entry points of the fuzz targets (fuzz/src/) under proptest, a few hundred cases each: the
//! config loader, the console's filter and the journal reader never panic and keep their
//! invariants. The gateway answer's target runs in gateway_decoders_never_panic.rs.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../fuzz/src/config_file.rs"]
mod config_file;
#[path = "../fuzz/src/filter_parse.rs"]
mod filter_parse;
#[path = "../fuzz/src/filter_query.rs"]
mod filter_query;
#[path = "../fuzz/src/journal_file.rs"]
mod journal_file;

use proptest::prelude::*;

/// Text made of the pieces each input's grammar is built from, so that cases get past the first
/// syntax error.
fn text_of(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(pieces).prop_map(str::to_owned),
        1 => ".{0,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

const CONFIG: &[&str] = &[
    "[profiles.lab]\n",
    "[profiles.\"a b\"]\n",
    "[profiles.lab.auth]\n",
    "[profiles.lab.services]\n",
    "[ui]\n",
    "[keys]\n",
    "[styles]\n",
    "[styles.header]\n",
    "default_profile = \"lab\"\n",
    "endpoint = \"https://gw.example:8443\"\n",
    "region = \"r1\"\n",
    "ak = \"AK\"\n",
    "sk_env = \"SK\"\n",
    "sk_command = \"echo\"\n",
    "password_env = \"PW\"\n",
    "username = \"u\"\n",
    "domain = \"d\"\n",
    "accent = \"#12ab34\"\n",
    "accent = 300\n",
    "fg = \"red\"\n",
    "bg = \"#zzzzzz\"\n",
    "bold = true\n",
    "theme = \"mono\"\n",
    "refresh_seconds = 99999\n",
    "timeout_seconds = -1\n",
    "max_parallel_tasks = 0\n",
    "down = [\"j\", \"ctrl-n\"]\n",
    "up = [\"j\"]\n",
    "quit = []\n",
    "description = \"x\"\n",
    "ecs = \"https://{region}.ecs.example\"\n",
    "=",
    "\"",
    "'",
    "[",
    "]",
    "\n",
    "{ a = 1 }",
    "é",
];

const FILTER: &[&str] = &[
    "web", "db", " ", "!", "~", "status:", "name:", "az:", "id:", "active", "^", "$", "\\d", "{2}",
    "(", ")", "[", "]", "|", "?", "*", "+", ".", "Σ", "ω", "É", "\n", "\t", "az1", "-0",
];

const JOURNAL: &[&str] = &[
    "{\"v\":1,\"at\":\"2026-12-07T15:48:41Z\",\"task\":",
    "{\"id\":\"t1\",",
    "{\"id\":\"t2\",",
    "\"op\":{\"op\":\"delete\",\"servers\":[{\"id\":\"s1\",\"name\":\"web\"}],\"delete_volumes\":false},",
    "\"op\":{\"op\":\"rename\",\"server\":{\"id\":\"s1\",\"name\":\"a\"},\"name\":\"b\"},",
    "\"priority\":\"interactive\",",
    "\"profile\":\"env\",\"region\":\"r1\",\"principal\":\"AK\",",
    "\"created_at\":\"2026-12-07T15:48:41Z\",",
    "\"state\":\"succeeded\",",
    "\"state\":\"running\",",
    "\"steps\":[],\"targets\":{},",
    "\"progress\":{\"sub_done\":0,\"sub_total\":0,\"steps_done\":1,\"steps_total\":1}",
    "}}\n",
    "}",
    "\n",
    "null",
    "1e999",
    "\"\\ud800\"",
];

/// Real journal lines (fuzz/seeds/journal_file), cut and joined at random places.
fn journal_seed_text() -> impl Strategy<Value = String> {
    let seeds: Vec<String> = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/seeds/journal_file"
    ))
    .map(|d| {
        d.flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    })
    .unwrap_or_default();
    (
        prop::sample::select(seeds),
        any::<prop::sample::Index>(),
        ".{0,4}",
    )
        .prop_map(|(text, at, noise)| {
            let mut cut = at.index(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            format!("{}{noise}{}", &text[..cut], &text[cut..])
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn config_files_never_panic_the_loader(text in text_of(CONFIG)) {
        config_file::run(text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        config_file::run(&bytes);
    }

    #[test]
    fn a_filter_view_is_the_rows_its_query_matches(text in text_of(FILTER)) {
        filter_query::run(text.as_bytes());
    }

    #[test]
    fn a_filter_query_parses_or_says_why_and_its_scan_misses_no_match(text in text_of(FILTER)) {
        filter_parse::run(text.as_bytes());
    }

    #[test]
    fn journals_never_panic_the_reader_and_read_back_the_same(text in text_of(JOURNAL)) {
        journal_file::run(text.as_bytes());
    }

    #[test]
    fn damaged_real_journals_read_back_the_same(text in journal_seed_text()) {
        journal_file::run(text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_reader(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        journal_file::run(&bytes);
    }
}

/// Every committed seed of a target (fuzz/seeds/TARGET) runs through its entry point.
fn run_seeds(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        run(&std::fs::read(e.unwrap().path()).unwrap());
        n += 1;
    }
    assert!(n > 0, "no seeds in {}", dir.display());
}

#[test]
fn the_committed_seeds_run() {
    run_seeds("config_file", config_file::run);
    run_seeds("filter_parse", filter_parse::run);
    run_seeds("filter_query", filter_query::run);
    run_seeds("journal_file", journal_file::run);
}
