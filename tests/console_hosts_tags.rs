//! Hyper-V hosts and server tags through the real binary against `hvecs sim` run as a separate
//! process: `hosts list`, `servers list --host/--tag`, `servers tag`; in the console `:hosts`,
//! `Enter` on a host, `tag:env=prod`, and `T` on three marked servers (three tag calls counted
//! by `/_sim/stats`).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::cli_env::{Cli, code, json_of, text};
use support::sim_process::{self, accepted};

const TAG_ACTION: &str = "/v1/{project_id}/cloudservers/{server_id}/tags/action";

fn servers(cli: &Cli, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["servers", "list", "-o", "json"];
    args.extend_from_slice(extra);
    let o = cli.run(&args);
    assert_eq!(code(&o), 0, "{}", text(&o));
    json_of(&o).as_array().unwrap().clone()
}

fn names(list: &[Value]) -> Vec<String> {
    let mut n: Vec<String> = list
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn the_cli_lists_hosts_filters_by_host_and_tag_and_tags_servers() {
    let sim = sim_process::start(1000, 40);
    let cli = Cli::new(sim.env());
    let all = servers(&cli, &[]);
    let o = cli.run(&["hosts", "list", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let hosts = json_of(&o);
    let hosts = hosts.as_array().unwrap();
    let placed: u64 = hosts.iter().map(|h| h["servers"].as_u64().unwrap()).sum();
    assert_eq!(placed as usize, all.len(), "every server is on a host");
    let busiest = hosts
        .iter()
        .max_by_key(|h| h["servers"].as_u64().unwrap())
        .unwrap();
    let host = busiest["host"].as_str().unwrap();
    let on_it = servers(&cli, &["--host", host]);
    assert_eq!(on_it.len() as u64, busiest["servers"].as_u64().unwrap());
    assert!(on_it.iter().all(|s| s["OS-EXT-SRV-ATTR:host"] == host));
    let running = on_it.iter().filter(|s| s["status"] == "ACTIVE").count();
    assert_eq!(running as u64, busiest["running"].as_u64().unwrap());
    let table = cli.run(&["hosts", "list"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains(host));

    // Tag three servers; three create calls, and the list finds exactly them.
    let three: Vec<String> = names(&all).into_iter().take(3).collect();
    let mut args = vec!["servers", "tag"];
    args.extend(three.iter().map(String::as_str));
    args.extend(["--add", "maint=week49", "--wait"]);
    let o = cli.run(&args);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(accepted(&sim.stats(), "POST", TAG_ACTION), 3);
    assert_eq!(names(&servers(&cli, &["--tag", "maint=week49"])), three);
    assert_eq!(names(&servers(&cli, &["--tag", "maint"])), three);
    assert!(servers(&cli, &["--tag", "maint=week50"]).is_empty());
    let o = cli.run(&["servers", "tag", &three[0], "--remove", "maint", "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(servers(&cli, &["--tag", "maint"]).len(), 2);
    // A tag the documents do not allow: the API's refusal, named.
    let o = cli.run(&["servers", "tag", &three[0], "--add", "bad.key=1", "--wait"]);
    assert_ne!(code(&o), 0);
    assert!(text(&o).contains("Ecs.0005"), "{}", text(&o));
    // Nothing to add or remove: a usage error, nothing sent.
    let o = cli.run(&["servers", "tag", &three[0]]);
    assert_eq!(code(&o), 2, "{}", text(&o));
}

#[test]
fn hosts_enter_tag_filter_and_t_on_three_marked_servers_in_the_console() {
    let sim = sim_process::start(1000, 60);
    let cli = Cli::new(sim.env());
    let all = servers(&cli, &[]);
    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");

    p.keys(":hosts");
    p.send(b"\r");
    let s = p.wait_text("Hyper-V hosts");
    let first = s
        .lines()
        .find_map(|l| l.split_whitespace().find(|w| w.starts_with("hv-")))
        .expect("a host row")
        .trim_matches('│')
        .to_owned();
    let on_first = all
        .iter()
        .filter(|s| s["OS-EXT-SRV-ATTR:host"] == first.as_str())
        .count();
    p.send(b"\r");
    let s = p.wait_text(&format!("filter \"host:{first}\""));
    let title = s.lines().find(|l| l.contains("Servers")).unwrap();
    assert!(title.contains(&format!("{on_first}/")), "{title}");
    for server in all
        .iter()
        .filter(|s| s["OS-EXT-SRV-ATTR:host"] == first.as_str())
    {
        assert!(s.contains(server["name"].as_str().unwrap()), "{s}");
    }

    // tag:env=prod shows the servers whose env is prod, and only them.
    let prod = servers(&cli, &["--tag", "env=prod"]);
    p.send(b"\x1b");
    p.keys("/tag:env=prod");
    p.send(b"\r");
    let s = p.wait_text("filter \"tag:env=prod\"");
    let title = s.lines().find(|l| l.contains("Servers")).unwrap();
    assert!(title.contains(&format!("{}/", prod.len())), "{title}");

    // T on three marked servers: one tag call each.
    let before = accepted(&sim.stats(), "POST", TAG_ACTION);
    p.keys("   ");
    p.wait_text("3 marked");
    p.keys("T");
    p.wait_text("tags of 3 servers");
    p.keys("team=blue");
    p.send(b"\r");
    p.wait_for("three tag calls", |_| {
        accepted(&sim.stats(), "POST", TAG_ACTION) == before + 3
    });
    let blue = servers(&cli, &["--tag", "team=blue"]);
    assert_eq!(blue.len(), 3);
    assert!(blue.iter().all(|s| {
        s["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("env=prod"))
    }));
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
