//! The `:` command line: parsing a command and completing it with `Tab`.

use super::list::registry::{LISTS, by_name};
use crate::read::source::View;

/// A command typed after `:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Show(View),
    Region(String),
    /// `None`: every AZ.
    Az(Option<String>),
    Theme(String),
    Refresh,
    Help,
    /// The message log, every message whole.
    Messages,
    Quit,
    /// `ro` (true) / `rw` (false): read-only on or off.
    ReadOnly(bool),
    /// Another profile of the config: the console opens again on it.
    Profile(String),
    /// The optional server columns to show (`:columns host,tag`; `None`: say which there are).
    Columns(Option<Vec<&'static str>>),
}

/// The command words, in the order completion offers them: each list's name, then these.
pub const WORDS: &[&str] = &[
    "region", "az", "theme", "profile", "refresh", "help", "messages", "ro", "rw", "quit", "q",
    "columns",
];

/// Every command word, in the order completion offers them.
fn words() -> impl Iterator<Item = &'static str> {
    LISTS.iter().map(|s| s.name).chain(WORDS.iter().copied())
}

/// The names a command can take as its argument.
#[derive(Debug, Clone, Copy, Default)]
pub struct Names<'a> {
    pub regions: &'a [String],
    pub azs: &'a [String],
    pub themes: &'a [String],
    /// The config's profiles (none for `hvecs demo` or a console on the environment alone).
    pub profiles: &'a [String],
}

impl<'a> Names<'a> {
    fn for_word(&self, word: &str) -> Option<&'a [String]> {
        match word {
            "region" => Some(self.regions),
            "az" => Some(self.azs),
            "theme" => Some(self.themes),
            "profile" => Some(self.profiles),
            _ => None,
        }
    }
}

pub fn parse(line: &str, names: &Names) -> Result<Command, String> {
    let mut parts = line.split_whitespace();
    let Some(word) = parts.next() else {
        return Err("type a command; Tab completes it".to_owned());
    };
    let arg = parts.next();
    if parts.next().is_some() {
        return Err(format!("{word} takes at most one name"));
    }
    let need = |what: &str| -> Result<String, String> {
        let list = names.for_word(word).unwrap_or(&[]);
        let Some(a) = arg else {
            return Err(format!("{word} needs a {what}: {}", list.join(", ")));
        };
        if !list.is_empty() && !list.iter().any(|n| n == a) {
            return Err(format!(
                "no {what} named {a:?}; the {what}s are: {}",
                list.join(", ")
            ));
        }
        Ok(a.to_owned())
    };
    let no_arg = |c: Command| match arg {
        Some(a) => Err(format!("{word} takes no name (got {a:?})")),
        None => Ok(c),
    };
    if let Some(view) = by_name(word) {
        return no_arg(Command::Show(view));
    }
    match word {
        "ro" => no_arg(Command::ReadOnly(true)),
        "rw" => no_arg(Command::ReadOnly(false)),
        "refresh" => no_arg(Command::Refresh),
        "help" => no_arg(Command::Help),
        "messages" => no_arg(Command::Messages),
        "q" | "quit" => no_arg(Command::Quit),
        "region" => match arg {
            Some(super::app::region_parts::ALL) => {
                Ok(Command::Region(super::app::region_parts::ALL.to_owned()))
            }
            _ => need("region").map(Command::Region),
        },
        "theme" => need("theme").map(Command::Theme),
        "profile" if names.profiles.is_empty() => Err(
            "there are no profiles to switch to: this console runs without a config's profiles"
                .to_owned(),
        ),
        "profile" => need("profile").map(Command::Profile),
        "az" => match arg {
            Some("all") => Ok(Command::Az(None)),
            _ => need("AZ").map(|a| Command::Az(Some(a))),
        },
        "columns" => match arg {
            None => Ok(Command::Columns(None)),
            Some(a) => columns(a).map(|c| Command::Columns(Some(c))),
        },
        other => Err(format!(
            "unknown command {other:?}; the commands are: {}",
            words().collect::<Vec<_>>().join(", ")
        )),
    }
}

/// `host,tag` (or `none`): the optional server columns named, each known.
fn columns(arg: &str) -> Result<Vec<&'static str>, String> {
    use super::list::rows::OPTIONAL_COLUMNS;
    if arg == "none" {
        return Ok(Vec::new());
    }
    arg.split(',')
        .filter(|w| !w.is_empty())
        .map(|w| {
            // `hosts` and `tags` name the columns too (their headers).
            let w = w.to_lowercase();
            let w = w.trim_end_matches('s');
            OPTIONAL_COLUMNS
                .iter()
                .find(|c| **c == w)
                .copied()
                .ok_or_else(|| {
                    format!(
                        "no optional column {w:?}; they are: {} (or none)",
                        OPTIONAL_COLUMNS.join(", ")
                    )
                })
        })
        .collect()
}

/// The result of `Tab`: the line completed as far as it is unambiguous, and what could follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    pub candidates: Vec<String>,
}

pub fn complete(line: &str, names: &Names) -> Completion {
    let (word, rest) = match line.split_once(' ') {
        Some((w, r)) => (w, Some(r.trim_start())),
        None => (line.trim_start(), None),
    };
    match rest {
        None => {
            let found: Vec<String> = words()
                .filter(|w| w.starts_with(word))
                .map(|w| (*w).to_owned())
                .collect();
            let mut line = common_prefix(&found).unwrap_or_else(|| word.to_owned());
            if found.len() == 1 && names.for_word(&line).is_some() {
                line.push(' ');
            }
            Completion {
                line,
                candidates: if found.len() > 1 { found } else { Vec::new() },
            }
        }
        Some(arg) => {
            let mut list: Vec<String> = names.for_word(word).unwrap_or(&[]).to_vec();
            if word == "az" || word == "region" {
                list.insert(0, "all".to_owned());
            }
            let found: Vec<String> = list.into_iter().filter(|n| n.starts_with(arg)).collect();
            let arg = common_prefix(&found).unwrap_or_else(|| arg.to_owned());
            Completion {
                line: format!("{word} {arg}"),
                candidates: if found.len() > 1 { found } else { Vec::new() },
            }
        }
    }
}

fn common_prefix(words: &[String]) -> Option<String> {
    let first = words.first()?;
    let mut len = first.len();
    for w in &words[1..] {
        len = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map(|((i, a), _)| i + a.len_utf8())
            .unwrap_or(0)
            .min(len);
    }
    Some(first[..len].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regions, AZs, themes and profiles the tests' command line knows.
    struct Known([Vec<String>; 4]);

    impl Known {
        fn new() -> Known {
            let words = |w: &[&str]| w.iter().map(|w| (*w).to_owned()).collect();
            Known([
                words(&["region-1", "region-2", "lab"]),
                words(&["region-1a", "region-1b"]),
                words(&["default", "mono"]),
                words(&["lab", "prod"]),
            ])
        }

        fn names(&self) -> Names<'_> {
            let [regions, azs, themes, profiles] = &self.0;
            Names {
                regions,
                azs,
                themes,
                profiles,
            }
        }
    }

    #[test]
    fn commands_parse_and_check_their_names() {
        let known = Known::new();
        let n = known.names();
        assert_eq!(parse("servers", &n), Ok(Command::Show(View::Servers)));
        assert_eq!(parse("hosts", &n), Ok(Command::Show(View::Hosts)));
        assert_eq!(
            parse("columns host,tags", &n),
            Ok(Command::Columns(Some(vec!["host", "tag"])))
        );
        assert_eq!(
            parse("columns none", &n),
            Ok(Command::Columns(Some(vec![])))
        );
        assert_eq!(parse("columns", &n), Ok(Command::Columns(None)));
        assert!(
            parse("columns colour", &n)
                .unwrap_err()
                .contains("host, tag")
        );
        assert_eq!(parse(" disks ", &n), Ok(Command::Show(View::Disks)));
        assert_eq!(
            parse("region region-2", &n),
            Ok(Command::Region("region-2".into()))
        );
        assert_eq!(parse("az all", &n), Ok(Command::Az(None)));
        assert_eq!(
            parse("az region-1b", &n),
            Ok(Command::Az(Some("region-1b".into())))
        );
        assert_eq!(parse("q", &n), Ok(Command::Quit));
        assert_eq!(
            parse("profile prod", &n),
            Ok(Command::Profile("prod".into()))
        );
        let none = Names { profiles: &[], ..n };
        for (line, names, says) in [
            (
                "profile qa",
                &n,
                "no profile named \"qa\"; the profiles are: lab, prod",
            ),
            ("profile lab", &none, "no profiles to switch to"),
            ("region nowhere", &n, "no region named \"nowhere\""),
            ("region", &n, "region-1, region-2"),
            ("servers x", &n, "takes no name"),
            ("fly", &n, "unknown command \"fly\""),
        ] {
            let err = parse(line, names).unwrap_err();
            assert!(err.contains(says), "{line}: {err}");
        }
    }

    #[test]
    fn tab_completes_words_then_names() {
        let known = Known::new();
        let n = known.names();
        assert_eq!(complete("ser", &n).line, "servers");
        assert_eq!(complete("re", &n).line, "re");
        assert_eq!(complete("re", &n).candidates, ["region", "refresh"]);
        assert_eq!(complete("reg", &n).line, "region ");
        assert_eq!(complete("region r", &n).line, "region region-");
        assert_eq!(
            complete("region r", &n).candidates,
            ["region-1", "region-2"]
        );
        assert_eq!(complete("region l", &n).line, "region lab");
        assert_eq!(complete("az a", &n).line, "az all");
        assert_eq!(complete("theme m", &n).line, "theme mono");
        assert_eq!(complete("s", &n).candidates, ["servers", "snapshots"]);
        assert_eq!(complete("pro", &n).line, "profile ");
        assert_eq!(complete("profile p", &n).line, "profile prod");
    }
}
