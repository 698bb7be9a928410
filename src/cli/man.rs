//! `hvecs man`: manual pages (roff) made from the same clap definitions as `--help`.

use std::path::Path;

use clap::CommandFactory;

use super::args::Cli;
use super::exit::{CliError, ExitCode};

/// The page of `hvecs` or of one of its subcommands (`path`, e.g. `["servers", "list"]`).
pub fn page(path: &[String]) -> Result<String, CliError> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut at = cmd;
    for (i, name) in path.iter().enumerate() {
        let Some(sub) = at.find_subcommand(name).cloned() else {
            let known: Vec<&str> = at.get_subcommands().map(|c| c.get_name()).collect();
            return Err(CliError::new(
                ExitCode::Usage,
                format!(
                    "no command `hvecs {}`; the commands there are: {}",
                    path[..=i].join(" "),
                    known.join(", ")
                ),
            ));
        };
        at = sub;
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(at)
        .render(&mut out)
        .map_err(|e| CliError::new(ExitCode::Failed, format!("cannot render the page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Writes a page for `hvecs` and one for every subcommand into `dir` (made if missing).
pub fn write_all(dir: &Path) -> Result<String, CliError> {
    let fail = |e: std::io::Error| {
        CliError::new(
            ExitCode::Usage,
            format!("cannot write the pages to {}: {e}", dir.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    clap_mangen::generate_to(Cli::command(), dir).map_err(fail)?;
    let count = std::fs::read_dir(dir)
        .map_err(fail)?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".1"))
        .count();
    Ok(format!(
        "{count} pages in {} (read one with: man {}/hvecs-servers-list.1)\n",
        dir.display(),
        dir.display()
    ))
}
