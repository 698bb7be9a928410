//! `o` in the remote login: the URL handed to `[ui] open_command` (a browser where there is one),
//! started apart from the terminal (no input, no output) and not waited for.

use std::process::{Command, Stdio};

use crate::config::Secret;
use crate::tui::app::Level;

/// Starts `opener` with `url` as its last argument; what to tell the person (never the URL).
pub fn open(opener: &[String], url: &Secret) -> (Level, String) {
    let Some((program, args)) = opener.split_first() else {
        return (
            Level::Info,
            "no [ui] open_command is set (none by default on a jump host): Y copies the URL".into(),
        );
    };
    let started = Command::new(program)
        .args(args)
        .arg(url.expose())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match started {
        Ok(mut child) => {
            // Reaped in the background, so that it leaves no zombie behind.
            std::thread::spawn(move || child.wait());
            (
                Level::Info,
                format!("opened the remote login with {program}"),
            )
        }
        Err(e) => (
            Level::Error,
            format!("[ui] open_command {program:?} could not start: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_an_opener_it_says_how_to_get_the_url() {
        let (level, said) = open(&[], &Secret::new("https://x/?token=t0k"));
        assert_eq!(level, Level::Info);
        assert!(said.contains("Y copies"), "{said}");
    }

    #[test]
    fn an_opener_gets_the_url_and_a_missing_one_is_named_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("got");
        let script = format!("printf %s \"$1\" > {}", out.display());
        let opener = ["sh".to_owned(), "-c".to_owned(), script, "sh".to_owned()];
        let (level, said) = open(&opener, &Secret::new("https://x/?token=t0k"));
        assert_eq!(level, Level::Info, "{said}");
        let mut got = String::new();
        for _ in 0..100 {
            got = std::fs::read_to_string(&out).unwrap_or_default();
            if !got.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(got, "https://x/?token=t0k");
        let (level, said) = open(
            &["/no/such/opener".to_owned()],
            &Secret::new("https://x/?token=t0k"),
        );
        assert_eq!(level, Level::Error);
        assert!(
            said.contains("/no/such/opener") && !said.contains("t0k"),
            "{said}"
        );
    }
}
