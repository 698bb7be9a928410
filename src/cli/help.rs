//! The command line as `--help` shows it: a subcommand's help lists its own flags and points to
//! `hvecs --help` for the global ones (which every subcommand still takes).

use clap::CommandFactory;

use super::args::Cli;

/// What a subcommand's help says of the global flags.
const GLOBALS: &str = "Global flags (--profile, --region, -o/--output, --query, --no-headers, \
--read-only, …) work here too: see `hvecs --help`.";

/// The command line to parse with: `Cli`, each subcommand's copy of the global flags hidden
/// from its help.
pub fn command() -> clap::Command {
    let cmd = Cli::command();
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, |sc| own_flags_only(sc, &globals))
    })
}

/// `sc` and its subcommands with the global flags hidden (clap copies a global flag into a
/// subcommand only where it has none of that name) and a pointer to `hvecs --help`.
fn own_flags_only(sc: clap::Command, globals: &[clap::Arg]) -> clap::Command {
    let mut sc = globals
        .iter()
        .fold(sc, |sc, a| sc.arg(a.clone().hide(true)))
        .after_help(GLOBALS);
    let names: Vec<String> = sc
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        sc = sc.mut_subcommand(name, |s| own_flags_only(s, globals));
    }
    sc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every argument of every command, with the path of its command.
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Arg)>) {
        for a in cmd.get_arguments() {
            out.push((path.to_owned(), a.clone()));
        }
        for sc in cmd.get_subcommands() {
            walk(sc, &format!("{path} {}", sc.get_name()), out);
        }
    }

    #[test]
    fn every_argument_has_help() {
        let mut cmd = Cli::command();
        cmd.build();
        let mut args = Vec::new();
        walk(&cmd, "hvecs", &mut args);
        let bare: Vec<String> = args
            .iter()
            .filter(|(_, a)| a.get_help().is_none() && a.get_long_help().is_none())
            .map(|(path, a)| format!("{path}: {}", a.get_id()))
            .collect();
        assert!(args.len() > 100, "the walk found the arguments");
        assert!(
            bare.is_empty(),
            "arguments without help:\n{}",
            bare.join("\n")
        );
    }

    #[test]
    fn a_subcommand_lists_its_own_flags_and_points_to_the_globals() {
        let mut cmd = command();
        let list = cmd
            .find_subcommand_mut("servers")
            .and_then(|s| s.find_subcommand_mut("list"))
            .unwrap();
        let help = list.render_help().to_string();
        assert!(help.contains("--status"), "{help}");
        assert!(!help.contains("--trace-http"), "{help}");
        assert!(help.contains("see `hvecs --help`"), "{help}");
        let top = cmd.render_help().to_string();
        assert!(
            top.contains("--trace-http") && top.contains("--query"),
            "{top}"
        );
        // The globals still parse after a subcommand.
        let m = command()
            .try_get_matches_from(["hvecs", "servers", "list", "-o", "tsv", "--region", "r2"])
            .unwrap();
        assert_eq!(
            m.get_one::<String>("region").map(String::as_str),
            Some("r2")
        );
        let (_, servers) = m.subcommand().unwrap();
        let (_, list) = servers.subcommand().unwrap();
        assert_eq!(
            list.get_one::<String>("region").map(String::as_str),
            Some("r2")
        );
    }
}
