//! A server in ERROR through the real binary against `hvecs sim` run as a separate process: its
//! fault is shown, a soft stop is refused with what it still takes, a hard stop is taken (and
//! the fault goes with the ERROR).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::cli_env::{Cli, code, json_of, server_with, text};
use support::sim_process;

#[test]
fn an_error_server_shows_its_fault_refuses_a_soft_stop_and_takes_a_hard_one() {
    let sim = sim_process::start(1000, 300);
    let cli = Cli::new(sim.env());
    let (id, name) = server_with(&cli, "ERROR");
    let o = cli.run(&["servers", "show", &id, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let shown = json_of(&o);
    let message = shown["fault"]["message"].as_str().unwrap_or_default();
    assert!(
        !message.is_empty(),
        "an ERROR server carries its fault: {shown}"
    );
    let table = cli.run(&["servers", "show", &id]);
    assert!(String::from_utf8_lossy(&table.stdout).contains(message));

    let before = sim.mutations();
    let o = cli.run(&["servers", "stop", &name, "--yes"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(
        text(&o).contains("takes only a hard stop, a hard reboot or a delete"),
        "{}",
        text(&o)
    );
    assert_eq!(sim.mutations(), before, "nothing was sent");

    let o = cli.run(&["servers", "stop", "--hard", &name, "--yes", "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let after = json_of(&cli.run(&["servers", "show", &id, "-o", "json"]));
    assert_eq!(after["status"], "SHUTOFF", "{after}");
    assert!(after["fault"].is_null(), "{after}");
}
