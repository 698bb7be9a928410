//! Shell completion (bash, zsh, fish through clap_complete's dynamic engine): the shell asks the
//! binary itself at each Tab; names of servers, images, disks and regions come from a small cache
//! that the list commands write (never a call to the cloud while completing).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use serde_json::value::RawValue;

use super::args::Cli;
use super::list_stream::Item;

/// The variable the shell's script sets to ask for completions (clap_complete's).
pub const VAR: &str = "COMPLETE";

/// How long a cached list of names completes: after that it is ignored until a list writes it
/// again.
pub const TTL: Duration = Duration::from_secs(15 * 60);

/// At most this many names are kept per kind.
const MAX_NAMES: usize = 10_000;

/// The kinds of names kept, and the value names of the arguments they complete.
const KINDS: &[(&str, &[&str])] = &[
    ("servers", &["SERVER", "SERVERS"]),
    ("images", &["IMAGE", "IMAGES"]),
    ("disks", &["DISK", "DISKS"]),
    ("regions", &["REGION"]),
];

/// When the shell asks for completions (`COMPLETE=bash hvecs -- …`): answers and exits.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(command)
        .var(VAR)
        .complete();
}

/// The command line with the name completers on its arguments.
pub fn command() -> clap::Command {
    with_completers(Cli::command())
}

/// The script that registers hvecs's completion in `shell` (it asks the binary at each Tab).
pub fn registration(shell: clap_complete::Shell) -> Result<String, String> {
    let name = shell.to_string();
    let shells = clap_complete::env::Shells::builtins();
    let Some(completer) = shells.completer(&name) else {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "hvecs", &mut script);
        return Ok(String::from_utf8_lossy(&script).into_owned());
    };
    let mut script = Vec::new();
    completer
        .write_registration(VAR, "hvecs", "hvecs", "hvecs", &mut script)
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&script).into_owned())
}

fn with_completers(mut cmd: clap::Command) -> clap::Command {
    let ids: Vec<(clap::Id, &'static str)> = cmd
        .get_arguments()
        .filter_map(|a| {
            let value = a.get_value_names()?.first()?.to_string();
            let kind = KINDS
                .iter()
                .find(|(_, names)| names.contains(&value.as_str()))?
                .0;
            Some((a.get_id().clone(), kind))
        })
        .collect();
    for (id, kind) in ids {
        cmd = cmd.mut_arg(id, |a| {
            a.add(ArgValueCandidates::new(move || candidates(kind)))
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for s in subs {
        cmd = cmd.mut_subcommand(s, with_completers);
    }
    cmd
}

/// The cache file of one kind of names.
fn cache_file(kind: &str) -> Option<PathBuf> {
    let paths = crate::config::Paths::from_platform().ok()?;
    Some(paths.state_dir.join("complete").join(format!("{kind}.txt")))
}

/// The names of `kind` cached less than `TTL` ago.
fn candidates(kind: &str) -> Vec<CompletionCandidate> {
    cached(kind)
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// The names of `kind` cached less than `TTL` ago (none when older or absent).
pub fn cached(kind: &str) -> Vec<String> {
    let Some(file) = cache_file(kind) else {
        return Vec::new();
    };
    let fresh = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age < TTL);
    if !fresh {
        return Vec::new();
    }
    std::fs::read_to_string(&file)
        .unwrap_or_default()
        .lines()
        .take(MAX_NAMES)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Keeps `names` as the cached names of `kind` (best effort: a cache that cannot be written
/// only completes less).
pub fn remember<'a>(kind: &str, names: impl IntoIterator<Item = &'a str>) {
    let Some(file) = cache_file(kind) else {
        return;
    };
    let mut text = String::new();
    for n in names.into_iter().take(MAX_NAMES) {
        // A name a shell could not take as one word is left out.
        if !n.is_empty() && !n.chars().any(|c| c.is_whitespace() || c.is_control()) {
            text.push_str(n);
            text.push('\n');
        }
    }
    let Some(dir) = file.parent() else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // Written beside and renamed over, so that a Tab never reads half a file.
    let tmp = dir.join(format!(".{kind}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The names a list writes, gathered as its pages go by (the first `MAX_NAMES`).
pub struct Names {
    kind: Option<&'static str>,
    names: Vec<String>,
}

impl Names {
    /// Names of `kind` (nothing is kept for a kind that completes nothing).
    pub fn new(kind: &'static str) -> Names {
        Names {
            kind: KINDS.iter().find(|(k, _)| *k == kind).map(|(k, _)| *k),
            names: Vec::new(),
        }
    }

    /// Notes the names of a page's items (their first cell, else their JSON's `name`).
    pub fn add(&mut self, items: &[Item]) {
        if self.kind.is_none() {
            return;
        }
        for item in items {
            if self.names.len() >= MAX_NAMES {
                return;
            }
            match item.cells.first() {
                Some(name) => self.names.push(name.clone()),
                None => self.names.extend(name_of(&item.json)),
            }
        }
    }

    /// Writes the names to the cache (the list was read whole).
    pub fn keep(self) {
        if let Some(kind) = self.kind {
            remember(kind, self.names.iter().map(String::as_str));
        }
    }
}

fn name_of(json: &RawValue) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        name: String,
    }
    serde_json::from_str::<Named>(json.get())
        .ok()
        .map(|n| n.name)
}

/// Whether `arg` is completed from the cache (for the tests of the command tree).
#[cfg(test)]
pub fn completes(arg: &clap::Arg) -> bool {
    arg.get::<ArgValueCandidates>().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_image_disk_and_region_arguments_complete_from_the_cache() {
        let cmd = command();
        let find = |path: &[&str], arg: &str| {
            let mut c = &cmd;
            for p in path {
                c = c.find_subcommand(p).unwrap();
            }
            c.get_arguments()
                .find(|a| a.get_id() == arg)
                .map(completes)
                .unwrap()
        };
        assert!(find(&["servers", "show"], "server"));
        assert!(find(&["servers", "stop"], "servers"));
        assert!(find(&["images", "show"], "image"));
        assert!(find(&["disks", "attach"], "disk"));
        assert!(find(&["disks", "attach"], "server"));
        assert!(find(&[], "region"));
        assert!(!find(&["servers", "rename"], "name"));
    }
}
